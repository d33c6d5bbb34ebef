//! Boilerplate cues, loaded from `patterns/clean/boilerplate.toml`.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::wordset::WordSet;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cues {
    pub schema: u32,
    pub tail_openers: Vec<String>,
    pub line_cues: Vec<String>,
    pub line_cue_max_chars: usize,
    pub byline_cues: Vec<String>,
    /// Labels a header date may follow (发布时间：2022年9月2日).
    #[serde(default)]
    pub date_labels: Vec<String>,
    /// Lines that, whole, mark the end of a story ((完), 完): what follows is
    /// the release's stamp or the site's furniture.
    #[serde(default)]
    pub end_marks: Vec<String>,
    /// What a credit line's outlet ends in (`(星岛日报)` alone on a line).
    #[serde(default)]
    pub credit_outlet_suffixes: Vec<String>,
    /// `line_cues` as one automaton: a page asks of every short line.
    #[serde(skip)]
    line_cue_set: WordSet,
}

pub const BUILTIN: &str = include_str!("../../patterns/clean/boilerplate.toml");

impl Cues {
    pub fn parse(src: &str, file: &str) -> Result<Self> {
        let mut c: Cues = toml::from_str(src).map_err(|e| Error::Pattern {
            file: file.to_string(),
            line: e
                .span()
                .map(|s| src[..s.start].matches('\n').count() + 1)
                .unwrap_or(0),
            rule: "boilerplate".into(),
            message: e.message().to_string(),
        })?;
        if c.schema != 1 {
            return Err(Error::Pattern {
                file: file.into(),
                line: 1,
                rule: "boilerplate".into(),
                message: format!("unsupported schema {}", c.schema),
            });
        }
        c.line_cue_set = WordSet::new(&c.line_cues);
        Ok(c)
    }
    pub fn builtin() -> Self {
        Self::parse(BUILTIN, "patterns/clean/boilerplate.toml").expect("built-in cues parse")
    }
    /// `line` is already folded to Simplified.
    pub fn opens_tail(&self, line: &str) -> bool {
        // A short heading announcing a copyright/disclaimer notice (`X版权与…的声明`).
        if line.chars().count() <= 30 && line.contains("版权") && line.contains("声明") {
            return true;
        }
        let l = line.trim_matches(|c: char| c.is_whitespace() || ":\u{FF1A}>›»|".contains(c));
        if self.end_marks.iter().any(|m| l == m) {
            return true;
        }
        self.tail_openers.iter().any(|c| {
            l == c || (l.starts_with(c.as_str()) && l.chars().count() <= c.chars().count() + 6)
        })
    }
    /// The longest line (in chars, once trimmed) that `opens_tail` can accept:
    /// longer body lines need no normalised view at all.
    pub fn tail_max_chars(&self) -> usize {
        let opener = self
            .tail_openers
            .iter()
            .map(|c| c.chars().count() + 6)
            .max()
            .unwrap_or(0);
        opener.max(30)
    }
    /// A superset of what `opens_tail` trims (the full-width forms too, since
    /// it trims the folded line): a raw line trimmed by it is never longer.
    pub fn tail_trimmed_len(raw: &str) -> usize {
        raw.trim_matches(|c: char| c.is_whitespace() || ":\u{FF1A}>›»|\u{FF1E}\u{FF5C}".contains(c))
            .chars()
            .count()
    }
    /// A line that is only an outlet's name in brackets: the outlet, as on
    /// the page. `simp` is the line folded to Simplified.
    pub fn credit_outlet<'a>(&self, line: &'a str, simp: &str) -> Option<&'a str> {
        const OPEN: [char; 3] = ['(', '\u{FF08}', '【'];
        const CLOSE: [char; 3] = [')', '\u{FF09}', '】'];
        let inner = line.trim().strip_prefix(OPEN)?.strip_suffix(CLOSE)?.trim();
        let inner_simp = simp.trim().strip_prefix(OPEN)?.strip_suffix(CLOSE)?.trim();
        self.outlet_name(inner, inner_simp)
    }
    /// A line that is only an outlet's name (济南日报): hanzi, 2 to 12 of
    /// them, ending as an outlet's name does. `simp` is the line folded to
    /// Simplified.
    pub fn outlet_name<'a>(&self, line: &'a str, simp: &str) -> Option<&'a str> {
        let (line, simp) = (line.trim(), simp.trim());
        let n = line.chars().count();
        ((2..=12).contains(&n)
            && line.chars().all(crate::clean::pinyin::is_hanzi)
            && self
                .credit_outlet_suffixes
                .iter()
                .any(|s| simp.ends_with(s.as_str()) && simp != s))
        .then_some(line)
    }
    pub fn is_furniture(&self, line: &str) -> bool {
        line.chars().count() <= self.line_cue_max_chars
            && !line.contains(['。', '!', '?', ';', '\u{FF01}', '\u{FF1F}', '\u{FF1B}'])
            && self.line_cue_set.in_text(line)
    }
}
