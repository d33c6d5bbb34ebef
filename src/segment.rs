//! Segment stage: the normalised view that patterns match against (Traditional
//! folded to Simplified, full-width ASCII to half-width, char-aligned with the
//! clean text), sentence splitting aware of quotes and 《》, and jieba tokens
//! with the project's lexicons loaded.

use std::collections::HashMap;
use std::sync::LazyLock;

use jieba_rs::Jieba;

/// Normalised view of a text: same number of chars, each the folded form of the
/// clean char at the same index, so spans found here are spans of the clean text.
pub fn normalise(text: &str) -> String {
    // Most pages are Simplified: when no char is one Traditional → Simplified
    // conversion would change, the trie walk (the costliest part) is skipped.
    let (mut convert, mut fold) = (false, false);
    for c in text.chars() {
        convert |= T2S_CHANGES.contains(c);
        fold |= fold_width(c) != c;
    }
    if !convert {
        return if fold {
            text.chars().map(fold_width).collect()
        } else {
            text.to_string()
        };
    }
    let simp = hanconv::t2s(text);
    let folded_ok = simp.chars().count() == text.chars().count();
    let base: Box<dyn Iterator<Item = char>> = if folded_ok {
        Box::new(simp.chars())
    } else {
        // Phrase conversion changed the length somewhere: fall back to
        // char-by-char conversion, which keeps the alignment.
        Box::new(text.chars().map(|c| {
            let s = hanconv::t2s(c.to_string());
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(d), None) => d,
                _ => c,
            }
        }))
    };
    base.map(fold_width).collect()
}

/// The chars that Traditional → Simplified conversion changes on their own,
/// as a bitset over the Basic and Supplementary Ideographic planes. A phrase
/// entry of the converter always holds at least one of them, so a text with
/// none of them converts to itself.
struct CharSet(Vec<u64>);

const CHARSET_LIMIT: u32 = 0x3_0000;

impl CharSet {
    fn contains(&self, c: char) -> bool {
        let u = c as u32;
        u < CHARSET_LIMIT && self.0[(u / 64) as usize] & (1 << (u % 64)) != 0
    }
}

/// Whether Traditional → Simplified conversion changes this char on its own.
pub fn t2s_changes(c: char) -> bool {
    T2S_CHANGES.contains(c)
}

static T2S_CHANGES: LazyLock<CharSet> = LazyLock::new(|| {
    let mut bits = vec![0u64; (CHARSET_LIMIT / 64) as usize];
    // Convert every candidate char in one string (one char a line), then
    // compare line by line: one converter call instead of tens of thousands.
    let ranges = [0x2E80..0xA000u32, 0xF900..0xFB00, 0x2_0000..CHARSET_LIMIT];
    let chars: Vec<char> = ranges
        .iter()
        .flat_map(|r| r.clone())
        .filter_map(char::from_u32)
        .collect();
    let mut joined = String::with_capacity(chars.len() * 5);
    for &c in &chars {
        joined.push(c);
        joined.push('\n');
    }
    let converted = hanconv::t2s(&joined);
    for (&c, line) in chars.iter().zip(converted.split('\n')) {
        let mut it = line.chars();
        if !(it.next() == Some(c) && it.next().is_none()) {
            let u = c as u32;
            bits[(u / 64) as usize] |= 1 << (u % 64);
        }
    }
    CharSet(bits)
});

/// Full-width ASCII → half-width; ideographic space → space.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A sentence as a char range `[start, end)` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// Split on 。!?;… and line breaks, not inside “”, 「」 or 《》 (a quoted
/// sentence stays with the sentence that quotes it).
/// Sentences longer than this many characters are cut (see `sentences`).
pub const MAX_SENTENCE_CHARS: usize = 1600;

pub fn sentences(text: &str) -> Vec<Sentence> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth: i32 = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '“' | '「' | '《' | '『' => depth += 1,
            '”' | '」' | '》' | '』' => depth = (depth - 1).max(0),
            _ => {}
        }
        let hard = c == '\n';
        let end_punct = matches!(
            c,
            '。' | '!' | '?' | ';' | '\u{FF01}' | '\u{FF1F}' | '\u{FF1B}'
        );
        // No real sentence is this long: cut a run-on "sentence" (a page
        // without stops, a hostile one-line page) at a comma, else anywhere,
        // so the work per sentence stays bounded and the whole stays linear.
        let long = i - start >= MAX_SENTENCE_CHARS
            && (matches!(c, ',' | '\u{FF0C}' | '、' | ' ') || i - start >= 4 * MAX_SENTENCE_CHARS);
        if long {
            out.push(Sentence { start, end: i + 1 });
            start = i + 1;
            depth = 0;
            i += 1;
            continue;
        }
        if hard || (end_punct && depth == 0) {
            let mut e = i + 1;
            // Closing quotes right after the stop belong to the sentence.
            while e < chars.len() && matches!(chars[e], '”' | '」' | '’' | ')' | '\u{FF09}') {
                e += 1;
            }
            let end = if hard { i } else { e };
            if end > start {
                out.push(Sentence { start, end });
            }
            start = if hard { i + 1 } else { e };
            if hard {
                depth = 0;
            }
            i = e.max(i + 1);
            continue;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push(Sentence {
            start,
            end: chars.len(),
        });
    }
    out
}

/// The project's jieba instance: default dictionary plus the gazetteers of
/// `patterns/lexicon/`, so place names come out as single tokens.
/// Build the stage's lazily loaded tables now (the dictionary, jieba's tag
/// data, the converter's tables): a batch run calls it on one thread while
/// another compiles the patterns, so neither waits for the other later.
pub fn warm_up() {
    let _ = JIEBA.tag("预热", true);
    let _ = normalise("預熱");
}

pub static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut j = Jieba::new();
    for (src, tag) in [
        (include_str!("../patterns/lexicon/countries.tsv"), "ns"),
        (
            include_str!("../patterns/lexicon/foreign_regions.tsv"),
            "ns",
        ),
        (include_str!("../patterns/lexicon/cn_places.tsv"), "ns"),
    ] {
        for line in src.lines().filter(|l| !l.starts_with('#')) {
            if let Some(name) = line.split('\t').next().filter(|n| !n.is_empty()) {
                // Always give a frequency: without one an entry is never chosen.
                j.add_word(name, Some(2000), Some(tag));
            }
        }
    }
    // The project's own dictionary: domain nouns that must stay whole.
    for (w, freq, tag) in user_entries() {
        j.add_word(w, freq, tag);
    }
    j
});

/// Tags the project's dictionary gives words jieba's own dict already has:
/// `add_word` keeps an existing word's tag, so they are applied after tagging.
static TAG_OVERRIDES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    user_entries()
        .filter_map(|(w, _, tag)| Some((w, tag?)))
        .collect()
});

/// The project's dictionary (`jieba_user.txt`): word, frequency, tag.
fn user_entries() -> impl Iterator<Item = (&'static str, Option<usize>, Option<&'static str>)> {
    include_str!("../patterns/lexicon/jieba_user.txt")
        .lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            let (w, freq, tag) = (f.next()?, f.next()?, f.next());
            (!w.starts_with('#')).then(|| (w, freq.parse().ok(), tag))
        })
}

/// POS-tagged words of `text`, with the project's tag corrections.
pub fn tag(text: &str) -> Vec<jieba_rs::Tag<'_>> {
    let mut tags = JIEBA.tag(text, true);
    for t in &mut tags {
        if let Some(tag) = TAG_OVERRIDES.get(t.word) {
            t.tag = tag;
        }
    }
    tags
}

/// Char offsets of token boundaries in `text` (both ends of every token).
pub fn token_boundaries(text: &str) -> Vec<bool> {
    let n = text.chars().count();
    let mut b = vec![false; n + 1];
    for t in JIEBA.cut(text, true) {
        b[t.start] = true;
        b[t.end] = true;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_text_is_left_alone_and_traditional_chars_are_known() {
        assert!(T2S_CHANGES.contains('與'));
        assert!(T2S_CHANGES.contains('簽'));
        assert!(!T2S_CHANGES.contains('与'));
        assert!(!T2S_CHANGES.contains('a'));
        assert_eq!(normalise("与２０２４年"), "与2024年");
        // One Traditional char anywhere sends the whole text through the converter.
        assert_eq!(
            normalise("青岛市与撒马尔罕市簽署"),
            "青岛市与撒马尔罕市签署"
        );
    }

    #[test]
    fn normalise_is_char_aligned() {
        let t = "青島市與烏茲別克斯坦撒馬爾罕市簽署協議,２０２４年";
        let n = normalise(t);
        assert_eq!(n.chars().count(), t.chars().count());
        assert!(n.starts_with("青岛市与乌兹别克斯坦撒马尔罕市签署协议,2024年"));
    }

    #[test]
    fn sentences_respect_quotes() {
        let t = "他说,“我们来了。”随后离开。第二句!\n标题";
        let s: Vec<String> = sentences(t)
            .iter()
            .map(|s| t.chars().skip(s.start).take(s.end - s.start).collect())
            .collect();
        assert_eq!(s, vec!["他说,“我们来了。”随后离开。", "第二句!", "标题"]);
    }

    #[test]
    fn run_on_sentences_are_cut_at_a_comma() {
        let t = "甲,".repeat(MAX_SENTENCE_CHARS) + "。";
        let s = sentences(&t);
        assert!(s.len() >= 2);
        assert!(s.iter().all(|x| x.end - x.start <= MAX_SENTENCE_CHARS + 2));
        assert_eq!(s.last().unwrap().end, t.chars().count());
        let t = "甲".repeat(3 * MAX_SENTENCE_CHARS);
        assert!(
            sentences(&t)
                .iter()
                .all(|x| x.end - x.start <= 4 * MAX_SENTENCE_CHARS + 1)
        );
    }

    #[test]
    fn gazetteer_words_are_tokens() {
        let b = token_boundaries("聊城市与乌兹别克斯坦结好");
        assert!(b[0] && b[3] && b[4] && b[10]);
    }
}
