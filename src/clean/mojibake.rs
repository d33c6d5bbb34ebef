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
