//! The document as it moves through the pipeline: raw facts about the input, the
//! clean text, and the offset map from every clean char back to raw bytes.

use serde::Serialize;

/// Built text plus, for each of its chars, the index of the source char it came
/// from (`NONE` for synthesized chars such as inserted line breaks).
///
/// Every text-rewriting filter produces one of these, and `compose` chains them,
/// in the spirit of lindera's `OffsetMapping`.
#[derive(Debug, Clone, Default)]
pub struct Mapped {
    pub text: String,
    pub src: Vec<u32>,
}

pub const NONE: u32 = u32::MAX;

impl Mapped {
    pub fn identity(text: &str) -> Self {
        Mapped {
            text: text.to_string(),
            src: (0..text.chars().count() as u32).collect(),
        }
    }
    pub fn push(&mut self, c: char, src: u32) {
        self.text.push(c);
        self.src.push(src);
    }
    pub fn len_chars(&self) -> usize {
        self.src.len()
    }
    /// Map through an earlier stage: `self.src` indexes `earlier.text`.
    pub fn compose(mut self, earlier: &Mapped) -> Mapped {
        for s in &mut self.src {
            if *s != NONE {
                *s = earlier.src.get(*s as usize).copied().unwrap_or(NONE);
            }
        }
        self
    }
}

/// Counts of what cleaning removed (contract field `removed`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Removed {
    pub boilerplate_lines: usize,
    pub pinyin: usize,
    pub duplicate_blocks: usize,
    pub mojibake: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    Hans,
    Hant,
}

/// Metadata found by the clean stage.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub published: Option<String>,
    /// The year of `published` was inferred from the text (the page omitted it).
    pub published_inferred: bool,
    pub source: Option<String>,
    /// The day a dateline gives the story (新华社北京5月20日电), as ISO: the
    /// reference of 昨天 and 今天 in its body, which may be a day before
    /// publication.
    pub dateline: Option<String>,
    /// The site the page is on (浙江海洋大学新闻网): the institution 我校 means
    /// when the text itself never names it. Not part of the output.
    pub site: Option<String>,
}

/// A decoded, cleaned document, ready for segmentation and extraction.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    /// Where the document came from (path, URL, record id).
    pub origin: String,
    pub bytes: usize,
    pub encoding: String,
    pub meta: Meta,
    pub script: Script,
    pub removed: Removed,
    /// Clean text: title line, then one paragraph a line.
    pub text: String,
    /// `char_byte[i]` = byte offset of char `i` in `text`; one extra entry = `text.len()`.
    pub char_byte: Vec<usize>,
    /// Raw byte range of each clean char; `None` where the char has no source bytes.
    pub raw: Vec<Option<(u32, u32)>>,
    /// Clean-char ranges that are garbled (mojibake that could not be repaired):
    /// no fact may be emitted from them.
    pub garbled: Vec<(usize, usize)>,
}

impl Document {
    /// Text of the char span `[s, e)`.
    pub fn slice(&self, s: usize, e: usize) -> &str {
        let e = e.min(self.char_byte.len() - 1);
        let s = s.min(e);
        &self.text[self.char_byte[s]..self.char_byte[e]]
    }
    /// Raw byte range covering the clean char span `[s, e)`, if every end maps.
    pub fn raw_range(&self, s: usize, e: usize) -> Option<(u32, u32)> {
        if s >= e || e > self.raw.len() {
            return None;
        }
        let first = self.raw[s..e].iter().flatten().next()?;
        let last = self.raw[s..e].iter().rev().flatten().next()?;
        Some((first.0, last.1))
    }
    pub fn is_garbled(&self, s: usize, e: usize) -> bool {
        self.garbled.iter().any(|&(gs, ge)| gs < e && s < ge)
    }
    pub fn chars(&self) -> usize {
        self.raw.len()
    }
}

/// Byte offset of each char, plus the end.
pub fn char_byte_offsets(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}
