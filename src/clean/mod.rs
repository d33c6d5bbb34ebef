//! Clean stage: decoded page → clean text (title line, then one paragraph a
//! line), metadata, removal counts, script, and the map back to raw bytes.
//!
//! Filters, in order: HTML main-content extraction (HTML pages only) → per-line
//! pinyin and tag-fragment removal → line classification (furniture, header
//! metadata, body) → duplicate removal → mojibake marking. Each keeps a char map
//! to the decoded text, which the decode stage maps to raw bytes.

pub mod cues;
pub mod html;
pub mod meta;
pub mod mojibake;
pub mod pinyin;
pub mod text;

pub use cues::Cues;

use crate::decode::Decoded;
use crate::doc::{Document, Mapped, Script, char_byte_offsets};

/// Clean a decoded page into a `Document`.
pub fn clean(id: &str, origin: &str, decoded: &Decoded, cues: &Cues) -> Document {
    // UTF-8 or GBK bytes that an upstream step decoded as Latin-1 or cp1252,
    // or UTF-8 bytes it decoded as GBK: repair them first.
    let mut repaired_text = None;
    let mut repaired = 0;
    let utf8_as_latin = mojibake::has_utf8_as_latin(&decoded.text);
    let utf8_as_gbk = mojibake::has_utf8_as_gbk(&decoded.text);
    let latin_run = mojibake::has_latin_run(&decoded.text);
    if utf8_as_latin || utf8_as_gbk || latin_run {
        let (mut t, mut s) = (decoded.text.clone(), decoded.starts.clone());
        if utf8_as_latin {
            repaired = mojibake::repair_utf8_as_latin(&mut t, &mut s);
        }
        if utf8_as_gbk {
            repaired += mojibake::repair_utf8_as_gbk(&mut t, &mut s);
        }
        if utf8_as_latin || latin_run {
            repaired += mojibake::repair_latin1_gbk(&mut t, &mut s);
        }
        if repaired > 0 {
            repaired_text = Some(Decoded {
                text: t,
                starts: s,
                encoding: decoded.encoding,
                replacements: decoded.replacements,
                evidence: decoded.evidence,
            });
        }
    }
    let decoded = repaired_text.as_ref().unwrap_or(decoded);
    let is_html = html::looks_like_html(&decoded.text);
    let mut cleaned = if is_html && html::nesting_depth(&decoded.text) > html::MAX_DEPTH {
        text::clean_lines(html::strip_tags(&decoded.text), cues)
    } else if is_html {
        let parts = html::extract(&decoded.text);
        let mut lines = Vec::with_capacity(parts.lines.len() + 1);
        if let Some(t) = &parts.title {
            lines.push(locate(&decoded.text, t));
        }
        // The page's own heading repeats the title: left as the first body
        // line, it would end the header before the date-and-source line.
        let heading = parts
            .lines
            .first()
            .is_some_and(|l| Some(l.text.trim()) == parts.title.as_deref().map(str::trim));
        lines.extend(parts.lines.into_iter().skip(usize::from(heading)));
        let mut c = text::clean_lines(lines, cues);
        c.meta.title = parts.title.or(c.meta.title);
        if parts.published.is_some() {
            c.meta.published = parts.published;
            c.meta.published_inferred = false;
        }
        // Three chars at least: a two-char word after a date is more often a
        // link's word (举报) than an outlet.
        let outlet_after_date = parts.after_date.filter(|s| {
            s.chars().count() >= 3 && cues.outlet_name(s, &crate::segment::normalise(s)).is_some()
        });
        c.meta.source = parts
            .source
            .or(c.meta.source)
            .or(parts.shown_source)
            .or(outlet_after_date);
        c.meta.site = parts.site;
        c
    } else {
        text::clean_lines(text::split_lines(&decoded.text), cues)
    };
    let garbled = mojibake::find(&cleaned.text.text);
    cleaned.removed.mojibake = garbled.len() + repaired;
    let script = detect_script(&cleaned.text.text);
    let Mapped { text, src } = cleaned.text;
    let raw = src
        .iter()
        .map(|&s| {
            if s == crate::doc::NONE {
                None
            } else {
                let s = s as usize;
                decoded.starts.get(s + 1).map(|&e| (decoded.starts[s], e))
            }
        })
        .collect();
    Document {
        id: id.to_string(),
        origin: origin.to_string(),
        bytes: decoded.starts.last().copied().unwrap_or(0) as usize,
        encoding: decoded.encoding_name(),
        meta: cleaned.meta,
        script,
        removed: cleaned.removed,
        char_byte: char_byte_offsets(&text),
        text,
        raw,
        garbled,
    }
}

/// A line not taken from the page flow (the HTML title): map it to its first
/// occurrence in the decoded text when there is one.
fn locate(decoded: &str, line: &str) -> Mapped {
    let n = line.chars().count();
    match decoded.find(line) {
        Some(b) => {
            let start = decoded[..b].chars().count() as u32;
            Mapped {
                text: line.to_string(),
                src: (start..start + n as u32).collect(),
            }
        }
        None => Mapped {
            text: line.to_string(),
            src: vec![crate::doc::NONE; n],
        },
    }
}

/// `hant` when the text has more Traditional-only than Simplified-only chars.
pub fn detect_script(text: &str) -> Script {
    // The first few thousand characters decide it; converting a whole long
    // page twice would cost more than the rest of the clean stage.
    let text = &text[..text.floor_char_boundary(1200)];
    let t_only = text
        .chars()
        .filter(|&c| crate::segment::t2s_changes(c))
        .count();
    // Nothing Traditional-only: Simplified, without converting the other way.
    if t_only == 0 {
        return Script::Hans;
    }
    let trad = hanconv::s2t(text);
    let s_only = text
        .chars()
        .zip(trad.chars())
        .filter(|(a, b)| a != b)
        .count();
    if t_only > s_only {
        Script::Hant
    } else {
        Script::Hans
    }
}
