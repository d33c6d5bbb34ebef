//! Inline pinyin annotations: `国际(guójì)`, `了(le)`, `結(jié)`.
//!
//! An annotation is a parenthesised run of Latin letters that follows hanzi and
//! splits into N pinyin syllables with at least N hanzi right before it. That keeps
//! real parentheticals such as `(MBA)`, `(Montpellier)` or `(2023-2025)`.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::doc::Mapped;

static SYLLABLES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../patterns/lexicon/pinyin_syllables.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Fold a toned pinyin letter to plain ASCII (ü → v); `None` if not a pinyin letter.
fn fold(c: char) -> Option<char> {
    Some(match c {
        'a'..='z' => c,
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'ê' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'v',
        'ń' | 'ň' | 'ǹ' => 'n',
        'ḿ' => 'm',
        _ => return None,
    })
}

pub fn is_hanzi(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Fewest syllables the letters split into (None if they do not split).
fn min_syllables(s: &[u8]) -> Option<usize> {
    let n = s.len();
    let mut best = vec![usize::MAX; n + 1];
    best[0] = 0;
    for i in 0..n {
        if best[i] == usize::MAX {
            continue;
        }
        for len in 1..=6.min(n - i) {
            let piece = std::str::from_utf8(&s[i..i + len]).unwrap_or("");
            if SYLLABLES.contains(piece) && best[i] + 1 < best[i + len] {
                best[i + len] = best[i] + 1;
            }
        }
    }
    (best[n] != usize::MAX).then_some(best[n])
}

/// Is `inner` (the text between the parentheses) a pinyin reading of at most `hanzi` syllables?
pub fn is_annotation(inner: &str, hanzi: usize) -> bool {
    if inner.is_empty() || inner.len() > 60 || hanzi == 0 {
        return false;
    }
    // Syllables may stand apart (友好(yǒu hǎo)), one space between.
    if inner.starts_with(' ') || inner.ends_with(' ') || inner.contains("  ") {
        return false;
    }
    let mut folded = Vec::with_capacity(inner.len());
    for c in inner.chars().filter(|&c| c != ' ') {
        match fold(c) {
            Some(f) => folded.push(f as u8),
            None => return false,
        }
    }
    matches!(min_syllables(&folded), Some(n) if n <= hanzi)
}

/// Remove annotations from one line; returns the kept text (mapped) and the count.
pub fn strip(line: Mapped) -> (Mapped, usize) {
    // Most lines have no parenthesis at all: nothing to rebuild.
    if !line.text.contains(['(', '\u{FF08}']) {
        return (line, 0);
    }
    // Annotations as (byte, char) ranges of the line, parentheses included.
    let mut cuts: Vec<((usize, usize), (usize, usize))> = Vec::new();
    let mut hanzi_run = 0usize;
    let mut it = line.text.char_indices().enumerate();
    while let Some((ci, (b, c))) = it.next() {
        if (c == '(' || c == '\u{FF08}') && hanzi_run > 0 {
            // The closing parenthesis within a short window.
            let rest = &line.text[b + c.len_utf8()..];
            let close = rest
                .char_indices()
                .take(62)
                .find(|&(_, d)| d == ')' || d == '\u{FF09}');
            if let Some((k, d)) = close
                && is_annotation(&rest[..k], hanzi_run)
            {
                let inner_chars = rest[..k].chars().count();
                let end_b = b + c.len_utf8() + k + d.len_utf8();
                cuts.push(((b, end_b), (ci, ci + inner_chars + 2)));
                // Skip the inner chars and the closing parenthesis; the hanzi
                // before stay a run: `國際(guójì)化(huà)`.
                for _ in 0..=inner_chars {
                    it.next();
                }
                continue;
            }
        }
        hanzi_run = if is_hanzi(c) { hanzi_run + 1 } else { 0 };
    }
    if cuts.is_empty() {
        return (line, 0);
    }
    let mut out = Mapped {
        text: String::with_capacity(line.text.len()),
        src: Vec::with_capacity(line.src.len()),
    };
    let (mut pb, mut pc) = (0, 0);
    for &((bs, be), (cs, ce)) in &cuts {
        out.text.push_str(&line.text[pb..bs]);
        out.src.extend_from_slice(&line.src[pc..cs]);
        (pb, pc) = (be, ce);
    }
    out.text.push_str(&line.text[pb..]);
    out.src.extend_from_slice(&line.src[pc..]);
    (out, cuts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> (String, usize) {
        let (m, n) = strip(Mapped::identity(s));
        (m.text, n)
    }

    #[test]
    fn removes_toned_and_neutral_annotations() {
        assert_eq!(run("国际(guójì)友城"), ("国际友城".into(), 1));
        assert_eq!(run("好了(le)。"), ("好了。".into(), 1));
        assert_eq!(run("青島結(jié)好"), ("青島結好".into(), 1));
        // Syllables set apart by single spaces.
        assert_eq!(run("结为友好(yǒu hǎo)城市"), ("结为友好城市".into(), 1));
        assert_eq!(
            run("吉尔吉斯斯坦(jíěrjísīsītǎn)"),
            ("吉尔吉斯斯坦".into(), 1)
        );
        assert_eq!(
            run("朋友圈(péngyǒuquān)和汇(huì)资源"),
            ("朋友圈和汇资源".into(), 2)
        );
    }

    #[test]
    fn keeps_real_parentheticals() {
        for s in [
            "中歐班列(齊魯號)",
            "行动计划(2023-2025)",
            "合作中心(简称“气变中心”)",
            "支持县(市、区)",
            "工商管理硕士(MBA)",
            "蒙彼利埃(Montpellier)",
            "(guójì)开头",
            "一个(longwordnotpinyinxyz)",
            "安娜堡市(Ann Arbor)",
            "泰勒(Christopher Taylor)",
            "密歇根大学(University of Michigan)",
            "友好( yǒu hǎo)",
        ] {
            assert_eq!(run(s), (s.to_string(), 0), "{s}");
        }
    }

    #[test]
    fn needs_enough_hanzi_before() {
        // Three syllables after one hanzi are not its reading.
        assert_eq!(run("A国(guójìhuà)").1, 0);
    }

    #[test]
    fn ten_thousand_parentheses_is_linear() {
        let s = "字(zì)".repeat(10_000);
        let (t, n) = run(&s);
        assert_eq!(n, 10_000);
        assert_eq!(t.chars().count(), 10_000);
    }
}
