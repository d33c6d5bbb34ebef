//! Garbled runs left by a wrong decode upstream of us (the page was already
//! broken when scraped): U+FFFD, private-use chars, `?` wedged between hanzi.
//! They are kept in the text (the gold keeps what it cannot restore) but marked,
//! so no fact is ever emitted from them.

use super::pinyin::is_hanzi;

fn is_bad(c: char) -> bool {
    c == '\u{FFFD}' || matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// Char ranges of garbled runs, widened by two chars each side (a wrong decode
/// also shifts the neighbours).
pub fn find(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let wedged_q = c == '?'
            && i > 0
            && is_hanzi(chars[i - 1])
            && chars
                .get(i + 1)
                .is_some_and(|&n| is_hanzi(n) || n == '?' || n == '!');
        if is_bad(c) || wedged_q {
            let s = i;
            while i < chars.len() && (is_bad(chars[i]) || chars[i] == '?' || chars[i] == '!') {
                i += 1;
            }
            let (ws, we) = (s.saturating_sub(2), (i + 2).min(chars.len()));
            match runs.last_mut() {
                Some(last) if last.1 >= ws => last.1 = we,
                _ => runs.push((ws, we)),
            }
        } else {
            i += 1;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_wedged_question_marks_and_replacement_chars() {
        assert_eq!(find("正常的句子。"), vec![]);
        assert_eq!(find("格局?!笆奈濉逼").len(), 1);
        assert_eq!(find("a\u{FFFD}b").len(), 1);
        assert_eq!(find("是吗\u{FF1F}是的"), vec![]);
    }
}

/// Does the text hold four Latin-1 letters in a row (a candidate for repair)?
pub fn has_latin_run(text: &str) -> bool {
    let mut run = 0;
    text.chars().any(|c| {
        run = if matches!(c as u32, 0xA1..=0xFF) {
            run + 1
        } else {
            0
        };
        run >= 4
    })
}

/// Repair runs of GBK text that an upstream step decoded as windows-1252 or
/// Latin-1 (`ÇàµºÊÐ` for 青岛市): re-encode the run to bytes, decode them as
/// GBK, and keep the result when it is clean Chinese. Each repaired char maps
/// to the raw bytes of the chars it came from. Returns the number of runs
/// repaired. Only on pages that already hold Chinese text, so French or
/// German accents are never touched.
pub fn repair_latin1_gbk(text: &mut String, starts: &mut Vec<u32>) -> usize {
    // Latin-1 letters and the cp1252 extras a GBK lead or trail byte becomes
    // (curly quotes, ellipsis and dashes excluded: Chinese text uses them).
    let is_latin = |c: char| {
        matches!(c as u32, 0xA1..=0xFF)
            || matches!(
                c,
                '€' | '‚'
                    | 'ƒ'
                    | '„'
                    | '†'
                    | '‡'
                    | 'ˆ'
                    | '‰'
                    | 'Š'
                    | '‹'
                    | 'Œ'
                    | 'Ž'
                    | '‘'
                    | '’'
                    | '•'
                    | '–'
                    | '˜'
                    | '™'
                    | 'š'
                    | '›'
                    | 'œ'
                    | 'ž'
                    | 'Ÿ'
            )
    };

    let chars: Vec<char> = text.chars().collect();
    if chars.iter().filter(|c| is_hanzi(**c)).count() < 8 {
        return 0;
    }
    let mut out = String::with_capacity(text.len());
    let mut new_starts = Vec::with_capacity(starts.len());
    let mut repaired = 0;
    let mut i = 0;
    while i < chars.len() {
        if !is_latin(chars[i]) {
            out.push(chars[i]);
            new_starts.push(starts[i]);
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && is_latin(chars[i]) {
            i += 1;
        }
        let run: String = chars[s..i].iter().collect();
        let fixed = (i - s >= 4 && (i - s) % 2 == 0)
            .then(|| {
                let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(&run);
                if bad {
                    return None;
                }
                let (t, _, bad) = encoding_rs::GBK.decode(&bytes);
                (!bad
                    && t.chars()
                        .all(|c| is_hanzi(c) || "，。、；：？！“”《》（）".contains(c)))
                .then(|| t.into_owned())
            })
            .flatten();
        match fixed {
            // Two source chars (two bytes) per repaired char.
            Some(t) if t.chars().count() * 2 == i - s => {
                for (k, c) in t.chars().enumerate() {
                    out.push(c);
                    new_starts.push(starts[s + 2 * k]);
                }
                repaired += 1;
            }
            _ => {
                for k in s..i {
                    out.push(chars[k]);
                    new_starts.push(starts[k]);
                }
            }
        }
    }
    new_starts.push(*starts.last().unwrap_or(&0));
    *text = out;
    *starts = new_starts;
    repaired
}

/// The byte a char stands for when UTF-8 bytes were decoded as Latin-1 (every
/// byte a char, U+0080–U+00FF) or as windows-1252 (0x80–0x9F as its extras:
/// € ‚ ƒ … ™ and kin).
fn latin_byte(c: char) -> Option<u8> {
    match c as u32 {
        u @ 0x80..=0xFF => Some(u as u8),
        u if u < 0x80 => None,
        _ => {
            let mut buf = [0u8; 4];
            let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            (!bad && bytes.len() == 1 && bytes[0] >= 0x80).then(|| bytes[0])
        }
    }
}

/// Does the text hold the mark of UTF-8 decoded as Latin-1 or cp1252: the
/// lead byte of a three-byte sequence (à–ï) followed by a continuation byte?
pub fn has_utf8_as_latin(text: &str) -> bool {
    let mut lead = false;
    text.chars().any(|c| {
        let hit = lead && latin_byte(c).is_some_and(|b| (0x80..=0xBF).contains(&b));
        lead = matches!(c as u32, 0xE0..=0xEF);
        hit
    })
}

/// Repair text whose UTF-8 bytes an upstream step decoded as Latin-1 or
/// windows-1252 (`é\u{95}¿æ\u{98}¥` for 长春): each run of chars that stand
/// for the bytes of whole UTF-8 sequences of hanzi and CJK punctuation
/// (three bytes each) becomes those chars, mapped to the raw bytes of the
/// first char of their sequence. Real accented text (Genève) is no such run.
/// Returns the number of runs repaired.
pub fn repair_utf8_as_latin(text: &mut String, starts: &mut Vec<u32>) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut new_starts = Vec::with_capacity(starts.len());
    let mut repaired = 0;
    let mut in_run = false;
    let mut i = 0;
    while i < chars.len() {
        // A three-byte sequence: a lead byte and two continuation bytes.
        let seq = (|| {
            let b0 = latin_byte(chars[i]).filter(|b| (0xE0..=0xEF).contains(b))?;
            let b1 = latin_byte(*chars.get(i + 1)?)?;
            let b2 = latin_byte(*chars.get(i + 2)?)?;
            let bytes = [b0, b1, b2];
            let c = std::str::from_utf8(&bytes).ok()?.chars().next()?;
            (c as u32 >= 0x2E80).then_some(c)
        })();
        match seq {
            Some(c) => {
                out.push(c);
                new_starts.push(starts[i]);
                if !in_run {
                    repaired += 1;
                }
                in_run = true;
                i += 3;
            }
            None => {
                out.push(chars[i]);
                new_starts.push(starts[i]);
                in_run = false;
                i += 1;
            }
        }
    }
    new_starts.push(*starts.last().unwrap_or(&0));
    if repaired > 0 {
        *text = out;
        *starts = new_starts;
    }
    repaired
}

/// Chars a GBK decoder makes of a UTF-8 lead byte of a CJK char (E4–E9)
/// and a continuation byte (鍙 鏃 鏈 甯 …): UTF-8 text read as GBK is full of
/// them, real text holds few. A bit per BMP char.
static UTF8_AS_GBK_MARKS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut bits = vec![0u64; 0x10000 / 64];
    for lead in 0xE4u8..=0xE9 {
        for trail in 0x80u8..=0xBF {
            let pair = [lead, trail];
            let (t, bad) = encoding_rs::GBK.decode_without_bom_handling(&pair);
            if let (false, Some(c)) = (bad, t.chars().next()) {
                let u = c as usize;
                if u < 0x10000 {
                    bits[u / 64] |= 1 << (u % 64);
                }
            }
        }
    }
    bits
});

fn utf8_as_gbk_mark(c: char) -> bool {
    let u = c as usize;
    u < 0x10000 && UTF8_AS_GBK_MARKS[u / 64] & (1 << (u % 64)) != 0
}

/// Does a line of the text hold enough of those chars to be worth a look
/// (the test `repair_utf8_as_gbk` puts to each line)?
pub fn has_utf8_as_gbk(text: &str) -> bool {
    let (mut hanzi, mut marks) = (0usize, 0usize);
    for c in text.chars() {
        if c == '\n' {
            if dense(marks, hanzi) {
                return true;
            }
            (hanzi, marks) = (0, 0);
        } else if c > '\u{2E80}' {
            hanzi += 1;
            marks += usize::from(utf8_as_gbk_mark(c));
        }
    }
    dense(marks, hanzi)
}

/// A quarter or more of a line's hanzi are marks (a third in such a line),
/// four at least.
fn dense(marks: usize, hanzi: usize) -> bool {
    marks >= 4 && marks * 4 >= hanzi
}

/// Repair lines whose UTF-8 bytes an upstream step decoded as GBK (`5鏈�20鏃ワ紝`
/// for 5月20日,): a line dense with the marks above (a third of such a
/// line's chars are marks; a quarter is asked) is encoded back to GBK
/// bytes and decoded as UTF-8, and kept when most of its non-ASCII
/// bytes then form valid UTF-8 (real Chinese text, so re-read, is nearly all
/// invalid). Three quarters valid is asked: each char the first decode
/// lost (U+FFFD) leaves a few invalid bytes, and stays lost.
/// Each repaired char maps to the raw bytes of the char its first byte came
/// from. Returns the number of lines repaired.
pub fn repair_utf8_as_gbk(text: &mut String, starts: &mut Vec<u32>) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut new_starts = Vec::with_capacity(starts.len());
    let mut repaired = 0;
    let mut line_start = 0;
    while line_start < chars.len() {
        let line_end = chars[line_start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| line_start + p + 1);
        let line = &chars[line_start..line_end];
        let hanzi = line.iter().filter(|&&c| c > '\u{2E80}').count();
        let marks = line.iter().filter(|&&c| utf8_as_gbk_mark(c)).count();
        let fixed = dense(marks, hanzi).then(|| reread_as_utf8(line)).flatten();
        match fixed {
            Some(pieces) => {
                for (c, src) in pieces {
                    out.push(c);
                    new_starts.push(starts[line_start + src]);
                }
                repaired += 1;
            }
            None => {
                for (k, &c) in line.iter().enumerate() {
                    out.push(c);
                    new_starts.push(starts[line_start + k]);
                }
            }
        }
        line_start = line_end;
    }
    new_starts.push(*starts.last().unwrap_or(&0));
    if repaired > 0 {
        *text = out;
        *starts = new_starts;
    }
    repaired
}

/// A line's chars as GBK bytes read as UTF-8: each new char with the index of
/// the line char its first byte came from; None when the bytes are no UTF-8.
fn reread_as_utf8(line: &[char]) -> Option<Vec<(char, usize)>> {
    let mut bytes: Vec<u8> = Vec::with_capacity(line.len() * 2);
    let mut src: Vec<usize> = Vec::with_capacity(line.len() * 2);
    for (k, &c) in line.iter().enumerate() {
        if c == '\u{FFFD}' {
            bytes.push(b'?');
            src.push(k);
        } else if c.is_ascii() {
            bytes.push(c as u8);
            src.push(k);
        } else {
            let mut buf = [0u8; 4];
            let (b, _, bad) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
            // Two bytes a char, or one: a lone 0x80 reads as €.
            if bad || b.len() > 2 {
                return None;
            }
            bytes.extend_from_slice(&b);
            src.extend(std::iter::repeat_n(k, b.len()));
        }
    }
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    let mut invalid = 0;
    let mut pieces = Vec::with_capacity(line.len());
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            pieces.push((c, src[at + i]));
        }
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            pieces.push(('\u{FFFD}', src[at]));
            invalid += chunk.invalid().len();
            at += chunk.invalid().len();
        }
    }
    let hanzi = pieces.iter().filter(|(c, _)| is_hanzi(*c)).count();
    (non_ascii > 0 && invalid * 4 <= non_ascii && hanzi >= 4).then_some(pieces)
}

#[cfg(test)]
mod repair_tests {
    use super::*;

    #[test]
    fn gbk_read_as_cp1252_is_repaired_and_mapped() {
        let (gbk, _, _) = encoding_rs::GBK.encode("青岛市");
        let (garbled, _, _) = encoding_rs::WINDOWS_1252.decode(&gbk);
        let mut text = format!("据报道,{garbled}与撒马尔罕市缔结友好城市关系。");
        let n = text.chars().count();
        let mut starts: Vec<u32> = (0..=n as u32).map(|i| i * 10).collect();
        assert_eq!(repair_latin1_gbk(&mut text, &mut starts), 1);
        assert_eq!(text, "据报道,青岛市与撒马尔罕市缔结友好城市关系。");
        assert_eq!(starts.len(), text.chars().count() + 1);
        // 青 covers the raw bytes of the first two garbled chars.
        assert_eq!((starts[4], starts[5]), (40, 60));
    }

    #[test]
    fn utf8_read_as_latin1_or_cp1252_is_repaired_and_mapped() {
        let original = "10月11日，长春市签署意向书。";
        let bytes = original.as_bytes();
        for garbled in [
            bytes.iter().map(|&b| char::from(b)).collect::<String>(),
            encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
        ] {
            assert!(has_utf8_as_latin(&garbled));
            let mut text = garbled.clone();
            let n = text.chars().count();
            let mut starts: Vec<u32> = (0..=n as u32).collect();
            assert!(repair_utf8_as_latin(&mut text, &mut starts) >= 1);
            assert_eq!(text, original);
            assert_eq!(starts.len(), original.chars().count() + 1);
            // 月 stands for the chars 2..5 of the garbled text.
            assert_eq!(starts[2], 2);
            assert_eq!(starts[3], 5);
        }
        let mut text = "Café Müller à Genève, Ã©té".to_string();
        assert!(!has_utf8_as_latin("Café Müller à Genève"));
        let mut starts: Vec<u32> = (0..=text.chars().count() as u32).collect();
        assert_eq!(repair_utf8_as_latin(&mut text, &mut starts), 0);
    }

    #[test]
    fn utf8_read_as_gbk_is_repaired_and_mapped() {
        // 5月20日,青岛市与德国曼海姆市签署友好城市协议书。 as a GBK decoder read
        // its UTF-8 bytes (the lone continuation bytes it lost are U+FFFD).
        let original = "5月20日,青岛市与德国曼海姆市签署友好城市协议书。";
        let (garbled, _, _) = encoding_rs::GBK.decode(original.as_bytes());
        let mut text = format!("标题\n{garbled}\n正文第二行。");
        assert!(has_utf8_as_gbk(&text));
        let n = text.chars().count();
        let mut starts: Vec<u32> = (0..=n as u32).collect();
        assert_eq!(repair_utf8_as_gbk(&mut text, &mut starts), 1);
        let line = text.lines().nth(1).unwrap();
        assert!(line.contains("青岛市与德国曼海姆市签署友好城市"), "{line}");
        assert_eq!(starts.len(), text.chars().count() + 1);
        // Real Chinese text is left alone.
        let mut real = "鏈接与鍙爵:他们在甯场里聊天。第二段正常的中文句子。".to_string();
        let n = real.chars().count();
        let mut starts: Vec<u32> = (0..=n as u32).collect();
        assert_eq!(repair_utf8_as_gbk(&mut real, &mut starts), 0);
    }

    #[test]
    fn real_latin_text_is_left_alone() {
        let mut text = "青岛市与撒马尔罕市缔结友好城市关系,Café Müller à Genève。".to_string();
        let n = text.chars().count();
        let mut starts: Vec<u32> = (0..=n as u32).collect();
        let before = text.clone();
        assert_eq!(repair_latin1_gbk(&mut text, &mut starts), 0);
        assert_eq!(text, before);
    }
}
