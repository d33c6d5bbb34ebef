//! Flattened text pages: classify each line as title, header metadata, body or
//! furniture, using position, shape (length, punctuation, dates, list structure)
//! and the cue lexicon, never one site's exact string.

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::Cues;
use super::meta;
use super::pinyin;
use crate::doc::{Mapped, Meta, Removed};

static TAG_FRAGMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}(?:\s[^<>]{0,80})?/?>").unwrap());
static SECTION_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[IVX]{1,4})[、.．]?$").unwrap()
});
static DATE_LED: LazyLock<Regex> = LazyLock::new(|| {
    // Year first, or a Republic of China year (民國113年, 中華民國113年,
    // 113-03-08: only where meta::find_datetime took it for one).
    Regex::new(r"^[(\x{FF08}\[【]?\s*(?:\d{4}|(?:中华|中華)?(?:民国|民國)\s*\d{2,3}|\d{3})\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}").unwrap()
});
static TRAILING_BYLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(\x{FF08}][^()\x{FF08}\x{FF09}]{1,40}[)\x{FF09}]\s*$").unwrap());
static ISSUE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{4}\s*年\s*(?:第\s*)?\d{1,3}\s*期").unwrap());

/// Result of cleaning: the clean text mapped to decoded chars, plus metadata.
pub struct Cleaned {
    pub text: Mapped,
    pub meta: Meta,
    pub removed: Removed,
}

/// Split into lines (each a Mapped into the decoded text), without line breaks.
pub fn split_lines(decoded: &str) -> Vec<Mapped> {
    let mut lines = Vec::new();
    // (byte, char) where the current line starts
    let (mut b0, mut c0) = (0usize, 0u32);
    let mut ci = 0u32;
    for (b, c) in decoded.char_indices() {
        if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
            lines.push(Mapped {
                text: decoded[b0..b].to_string(),
                src: (c0..ci).collect(),
            });
            (b0, c0) = (b + c.len_utf8(), ci + 1);
        }
        ci += 1;
    }
    lines.push(Mapped {
        text: decoded[b0..].to_string(),
        src: (c0..ci).collect(),
    });
    lines
}

/// Cut a mapped line to the char range `[s, e)`.
pub fn sub(m: &Mapped, s: usize, e: usize) -> Mapped {
    let byte = |k: usize| {
        m.text
            .char_indices()
            .nth(k)
            .map_or(m.text.len(), |(b, _)| b)
    };
    let (bs, be) = (byte(s), byte(e));
    Mapped {
        text: m.text[bs..be].to_string(),
        src: m.src[s..e].to_vec(),
    }
}

fn trim(m: Mapped) -> Mapped {
    let ws = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}';
    let head = m.text.len() - m.text.trim_start_matches(ws).len();
    let tail = m.text.len() - m.text.trim_end_matches(ws).len();
    if head == 0 && tail == 0 {
        return m;
    }
    let s = m.text[..head].chars().count();
    let e = if head == m.text.len() {
        s
    } else {
        m.src.len() - m.text[m.text.len() - tail..].chars().count()
    };
    sub(&m, s, e)
}

/// Remove byte ranges (of `m.text`) from a mapped line.
fn remove_byte_ranges(m: &Mapped, ranges: &[(usize, usize)]) -> Mapped {
    let mut out = Mapped::default();
    for (k, (b, c)) in m.text.char_indices().enumerate() {
        if !ranges.iter().any(|&(s, e)| b >= s && b < e) {
            out.push(c, m.src[k]);
        }
    }
    out
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn has_hanzi(s: &str) -> bool {
    s.chars().any(pinyin::is_hanzi)
}

/// Folding whitespace for duplicate detection.
fn dedup_key(s: &str) -> String {
    if s.contains(char::is_whitespace) {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        s.to_string()
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Phase {
    BeforeTitle,
    Header,
    Body,
    Tail,
}

/// Prepare one raw line: pinyin out, stray tag fragments out, trimmed.
pub fn prepare_line(line: Mapped, removed: &mut Removed) -> Mapped {
    let (l, n) = pinyin::strip(line);
    removed.pinyin += n;
    let tags: Vec<(usize, usize)> = if l.text.contains('<') {
        TAG_FRAGMENT
            .find_iter(&l.text)
            .map(|m| (m.start(), m.end()))
            .collect()
    } else {
        Vec::new()
    };
    let l = if tags.is_empty() {
        l
    } else {
        remove_byte_ranges(&l, &tags)
    };
    trim(l)
}

/// A line that opens with a date, bare or after a label (发布时间：2022年9月2日);
/// `date` is where the line's date stands.
fn date_led(line: &str, date: (usize, usize), simp: &str, cues: &Cues) -> bool {
    DATE_LED.is_match(line)
        // 新华网 2024-09-26 10:12:08: the outlet opens the date line.
        || meta::source_before_date(line, date.0, date.1).is_some()
        || cues.date_labels.iter().any(|l| {
            simp.strip_prefix(l.as_str()).is_some_and(|rest| {
                // 发布时间：…, and a slash after the label (发布/2024年…).
                DATE_LED.is_match(rest.trim_start_matches([':', '\u{FF1A}', ' ', '\u{3000}', '/']))
            })
        })
}

/// How many lines after an end mark a release's stamp may stand on.
const STAMP_LINES: usize = 3;

pub fn clean_lines(lines: Vec<Mapped>, cues: &Cues) -> Cleaned {
    let mut removed = Removed::default();
    let mut meta = Meta::default();
    let mut kept: Vec<Mapped> = Vec::new();
    let mut phase = Phase::BeforeTitle;
    let mut title_key = String::new();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut in_dup_run = false;
    // The tail's date line was just read: a time alone may follow it.
    let mut stamp_follows = false;
    let mut tail_lines = 0;

    for raw in lines {
        let line = prepare_line(raw, &mut removed);
        if line.text.is_empty() {
            continue;
        }
        if phase == Phase::Tail {
            // 完 / 2024年11月18日（星期一） / 香港時間18時45分: a release's
            // stamp after its end mark dates it when nothing above did.
            let mut dated_here = false;
            tail_lines += 1;
            if meta.published.is_none() && tail_lines <= STAMP_LINES {
                if let Some((_, _, dt)) =
                    meta::find_datetime(&line.text).filter(|_| char_len(&line.text) <= 40)
                {
                    meta.published = Some(dt);
                    dated_here = true;
                }
            } else if let Some(p) = meta.published.as_mut()
                && p.len() == 10
                && stamp_follows
                && let Some(t) = meta::find_time_only(&line.text)
            {
                p.push_str(&t);
            }
            stamp_follows = dated_here;
            removed.boilerplate_lines += 1;
            continue;
        }
        // The normalised line is needed by the cue checks of short lines
        // only; most body text never builds it.
        let simp = std::cell::LazyCell::new(|| crate::segment::normalise(&line.text));
        let n = char_len(&line.text);

        // Garbage: no hanzi, no digits (a lone `?`, separators); section numbers.
        let garbage = !has_hanzi(&line.text) && !line.text.chars().any(|c| c.is_ascii_digit())
            || SECTION_NUMBER.is_match(&line.text);
        if garbage {
            removed.boilerplate_lines += 1;
            continue;
        }
        if phase == Phase::Body
            && Cues::tail_trimmed_len(&line.text) <= cues.tail_max_chars()
            && cues.opens_tail(&simp)
        {
            phase = Phase::Tail;
            removed.boilerplate_lines += 1;
            continue;
        }
        if phase != Phase::Body || n <= cues.line_cue_max_chars {
            // Header metadata: date-led lines, source/issue/keyword lines.
            // Full-width digits (２０２４／１０／０７　１６：２０) are read folded.
            let folded: std::borrow::Cow<str> = if line
                .text
                .contains(|c: char| ('\u{FF10}'..='\u{FF19}').contains(&c))
            {
                line.text
                    .chars()
                    .map(crate::segment::fold_width)
                    .collect::<String>()
                    .into()
            } else {
                line.text.as_str().into()
            };
            let text = folded.as_ref();
            if let Some((ds, e, dt)) = meta::find_datetime(text).filter(|&(ds, e, _)| {
                date_led(text, (ds, e), &simp, cues)
                        // 来源：株洲日报 | 2021-04-22 10:15: a header's source line
                        // carries the date further on.
                        || phase != Phase::Body && meta::find_source_label(text).is_some()
            }) {
                if phase != Phase::Body && meta.published.is_none() {
                    meta.published = Some(dt);
                    if meta.source.is_none() {
                        // An outlet before the date outranks a region label
                        // after it (洛阳发布 2024-11-06 18:30 河南).
                        meta.source = meta::source_before_date(text, ds, e)
                            .or_else(|| meta::source_after_date(text, e, &cues.byline_cues))
                            .or_else(|| meta::source_before_edition(text, ds, e));
                    }
                    if let Some(s) = meta::find_source_label(text) {
                        meta.source = Some(s);
                    }
                }
                // A dated header line is a date plus source or author; one that
                // goes on as a clause (2024年1月24日,青岛市与…) is body.
                let clause = text[e..].trim_start().starts_with([',', '\u{FF0C}', '、']);
                if n <= 60 && !text.contains('。') && !clause {
                    removed.boilerplate_lines += 1;
                    continue;
                }
            }
        }
        if phase != Phase::Body
            && let Some(s) = meta::find_source_label(&line.text)
            && phase == Phase::Header
            && (meta::is_source_label(&line.text) || ISSUE_LINE.is_match(&line.text))
        {
            meta.source = Some(s);
            removed.boilerplate_lines += 1;
            continue;
        }
        // (星島日報) alone on a body line: the outlet credited with the story.
        if phase == Phase::Body
            && n <= 14
            && let Some(outlet) = cues.credit_outlet(&line.text, &simp)
        {
            if meta.source.is_none() {
                meta.source = Some(outlet.to_string());
            }
            removed.boilerplate_lines += 1;
            continue;
        }
        if n <= cues.line_cue_max_chars && cues.is_furniture(&simp) {
            removed.boilerplate_lines += 1;
            continue;
        }
        match phase {
            Phase::BeforeTitle => {
                meta.title = Some(line.text.clone());
                title_key = dedup_key(&line.text);
                seen.insert(title_key.clone());
                kept.push(line);
                phase = Phase::Header;
                continue;
            }
            Phase::Header => {
                // 2024-07-05 07:12 / 济南日报: the outlet on a line of its own
                // under the date line.
                if meta.source.is_none()
                    && meta.published.is_some()
                    && let Some(outlet) = cues.outlet_name(&line.text, &simp)
                {
                    meta.source = Some(outlet.to_string());
                    removed.boilerplate_lines += 1;
                    continue;
                }
                // A short line with no punctuation right under the title, made of
                // a name only (author byline such as `毛振鵬`), is header metadata.
                let name_like =
                    n <= 4 && line.text.chars().all(|c| pinyin::is_hanzi(c) || c == '·');
                if name_like {
                    removed.boilerplate_lines += 1;
                    continue;
                }
                phase = Phase::Body;
            }
            _ => {}
        }
        // Body line. A title repeated at the top, or glued to the lead.
        let mut line = line;
        let mut key = dedup_key(&line.text);
        if !title_key.is_empty() && key != title_key && key.starts_with(&title_key) {
            // Find the char index where the title ends (whitespace-insensitive).
            let mut matched = 0;
            let mut cut = 0;
            for (i, c) in line.text.chars().enumerate() {
                if matched >= char_len(&title_key) {
                    break;
                }
                if !c.is_whitespace() {
                    matched += 1;
                }
                cut = i + 1;
            }
            let l2 = trim(sub(&line, cut, line.len_chars()));
            removed.duplicate_blocks += 1;
            line = l2;
            key = dedup_key(&line.text);
        }
        // A byline in parentheses closing the last paragraph.
        if let Some(m) = TRAILING_BYLINE.find(&line.text) {
            let inner = &line.text[m.start()..m.end()];
            let inner_s = crate::segment::normalise(inner);
            if cues
                .byline_cues
                .iter()
                .any(|c| inner_s.contains(c.as_str()))
            {
                let start = line.text[..m.start()].chars().count();
                line = trim(sub(&line, 0, start));
                if line.text.is_empty() {
                    removed.boilerplate_lines += 1;
                    continue;
                }
                key = dedup_key(&line.text);
            }
        }
        if !seen.insert(key) {
            if !in_dup_run {
                removed.duplicate_blocks += 1;
            }
            in_dup_run = true;
            continue;
        }
        in_dup_run = false;
        kept.push(line);
    }

    // The lead may carry a dateline that gives the date and the source.
    if let Some(lead) = kept.get(1)
        && let Some(dl) = meta::find_dateline(&lead.text)
    {
        if meta.source.is_none() && !dl.source.is_empty() {
            meta.source = Some(dl.source.clone());
        }
        let published: Option<(i32, u32, u32)> = meta.published.as_deref().and_then(|p| {
            Some((
                p.get(..4)?.parse().ok()?,
                p.get(5..7)?.parse().ok()?,
                p.get(8..10)?.parse().ok()?,
            ))
        });
        // The dateline's year and month: its own, or the publication's (the
        // period before if the dateline falls after the publication day).
        let dl_date = match (dl.month, published) {
            (Some(month), _) if dl.year.is_some() => dl.year.map(|y| (y, month)),
            (Some(month), Some((y, m, d))) => {
                Some((if (month, dl.day) > (m, d) { y - 1 } else { y }, month))
            }
            (None, Some((y, m, d))) if dl.day > d => {
                Some(if m == 1 { (y - 1, 12) } else { (y, m - 1) })
            }
            (None, Some((y, m, _))) => Some((y, m)),
            _ => None,
        };
        if let Some((y, m)) = dl_date {
            meta.dateline = Some(format!("{y:04}-{m:02}-{:02}", dl.day));
        }
        if meta.published.is_none()
            && let Some(month) = dl.month
        {
            let body: String = kept
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let year = dl.year.or_else(|| {
                meta.published_inferred = true;
                meta::infer_year(&body, month, dl.day)
            });
            if let Some(y) = year {
                meta.published = Some(format!("{y:04}-{month:02}-{:02}", dl.day));
                meta.dateline = meta.published.clone();
            } else {
                meta.published_inferred = false;
            }
        }
    }

    let mut text = Mapped::default();
    for (i, l) in kept.iter().enumerate() {
        if i > 0 {
            text.push('\n', crate::doc::NONE);
        }
        text.text.push_str(&l.text);
        text.src.extend_from_slice(&l.src);
    }
    Cleaned {
        text,
        meta,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{Input, Pipeline};

    /// A header line that is only a date, bracketed as some outlets print it
    /// (（2023年11月8日）), is the publication date and not body text.
    #[test]
    fn bracketed_date_line_is_header_metadata() {
        let p = Pipeline::builtin().unwrap();
        let page = "友城合作再结硕果\n（2023年11月8日）\n本报讯 11月7日,两市签署友好交流协议。\n";
        let doc = p.clean(&Input::new("t", page.as_bytes())).unwrap();
        assert_eq!(doc.meta.published.as_deref(), Some("2023-11-08"));
        assert!(!doc.text.contains("2023年11月8日"), "{}", doc.text);
        assert!(doc.text.contains("11月7日"));
    }

    /// A labelled header date (发布时间：…, 發佈日期 on a Traditional page) is
    /// the publication date and not body text.
    #[test]
    fn labelled_date_line_is_header_metadata() {
        let p = Pipeline::builtin().unwrap();
        for page in [
            "两市签署备忘录\n发布时间：2022年9月2日\n8月31日,两市签署备忘录。\n",
            "兩市簽署備忘錄\n發布日期: 2022-09-02\n8月31日,兩市簽署備忘錄。\n",
            // A slash after the label (a Singapore daily's byline).
            "两市签署备忘录\n发布/2022年9月2日\n8月31日,两市签署备忘录。\n",
            // Taiwan's official calendar, labelled; the unit that published.
            "兩市簽署備忘錄\n發布日期：111-09-02\n發布單位：觀光旅遊局\n8月31日,兩市簽署備忘錄。\n",
            // The calendar's full name opening the header line.
            "兩市簽署備忘錄\n中華民國111年9月2日\n8月31日,兩市簽署備忘錄。\n",
        ] {
            let doc = p.clean(&Input::new("t", page.as_bytes())).unwrap();
            assert_eq!(doc.meta.published.as_deref(), Some("2022-09-02"), "{page}");
            assert!(!doc.text.contains("2022"), "{}", doc.text);
        }
        // Full-width digits on the date line (Taiwan's papers).
        let page = "兩市簽署協定\n２０２４／１０／０７　１６：２０　記者林明宏／台中報導\n8月31日,兩市簽署協定。\n";
        let doc = p.clean(&Input::new("t", page.as_bytes())).unwrap();
        assert_eq!(doc.meta.published.as_deref(), Some("2024-10-07T16:20"));
        assert!(!doc.text.contains("記者"), "{}", doc.text);
        // An author label after the outlet is a byline, not part of it.
        let page = "两市签署协议\n2024年06月12日 08:45  南方日报  作者：李明 王芳\n8月31日,两市签署协议。\n";
        let doc = p.clean(&Input::new("t", page.as_bytes())).unwrap();
        assert_eq!(doc.meta.source.as_deref(), Some("南方日报"));
        // The date further on a source line under the title.
        let page = "两市签署协议\n来源：株洲日报 | 2021-04-22 10:15\n4月21日,两市签署协议。\n";
        let doc = p.clean(&Input::new("t", page.as_bytes())).unwrap();
        assert_eq!(doc.meta.published.as_deref(), Some("2021-04-22T10:15"));
        assert_eq!(doc.meta.source.as_deref(), Some("株洲日报"));
        assert!(!doc.text.contains("来源"), "{}", doc.text);
        // A body line that merely starts with the word 时间 stays body.
        let page = "标题\n正文第一段,两市签署备忘录。\n时间:2022年9月2日上午,两市签署了第二份协议,双方表示将继续推进合作。\n";
        let doc = p.clean(&Input::new("t", page.as_bytes())).unwrap();
        assert!(doc.text.contains("第二份协议"), "{}", doc.text);
    }

    /// A body line that is only an outlet in brackets credits the story: the
    /// source, as on the page, and no body text. A bracketed line of another
    /// kind stays body.
    #[test]
    fn a_bracketed_outlet_alone_on_a_line_is_the_source() {
        assert_source_line(
            "兩校簽署備忘錄\n2024年3月18日\n兩校昨日簽署合作備忘錄。\n（明報）\n",
            Some("明報"),
            "明報",
        );
        assert_source_line(
            "两校签署备忘录\n两校昨日签署合作备忘录。\n(图为签约现场)\n",
            None,
            "签约现场",
        );
    }

    /// An outlet's name alone on the line under the date line is the source;
    /// a short body line that is no outlet's name stays body.
    #[test]
    fn an_outlet_under_the_date_line_is_the_source() {
        assert_source_line(
            "两市结为友好城市\n2024-07-05 07:12\n济南日报\n7月4日,两市结为友好城市。\n",
            Some("济南日报"),
            "济南日报",
        );
        assert_source_line(
            "两市结为友好城市\n2024-07-05 07:12\n合作基础深厚\n7月4日,两市结为友好城市。\n",
            None,
            "合作基础深厚",
        );
    }

    /// The page's source is `source`; `line` is the source's line, gone from
    /// the text, or (no source) a body line kept in it.
    fn assert_source_line(page: &str, source: Option<&str>, line: &str) {
        let doc = Pipeline::builtin()
            .unwrap()
            .clean(&Input::new("t", page.as_bytes()))
            .unwrap();
        assert_eq!(doc.meta.source.as_deref(), source);
        assert_eq!(doc.text.contains(line), source.is_none(), "{}", doc.text);
    }

    /// A relative day in a dateline-led story counts from the dateline's day
    /// (filed on the 27th, published on the 28th: 昨天 is the 26th).
    /// The page's metadata and the value of its date 昨天.
    fn yesterday_on(page: &str) -> (crate::doc::Meta, serde_json::Value) {
        let p = Pipeline::builtin().unwrap();
        let (doc, facts) = p.process(&Input::new("t", page.as_bytes())).unwrap();
        let yesterday = facts
            .iter()
            .find(|f| &doc.text[doc.char_byte[f.span.0]..doc.char_byte[f.span.1]] == "昨天")
            .expect("昨天 is a date");
        (doc.meta, yesterday.fields["value"].clone())
    }

    /// An end mark (完) closes the story: the release's stamp after it is no
    /// body text.
    #[test]
    fn an_end_mark_closes_the_story() {
        let p = Pipeline::builtin().unwrap();
        let page = "政府與迪拜簽署備忘錄\n局長今日在迪拜簽署合作備忘錄。\n完\n2024年11月21日（星期四）\n香港時間18時30分\n";
        let doc = p.clean(&Input::new("t", page.as_bytes())).unwrap();
        assert!(doc.text.contains("合作備忘錄"), "{}", doc.text);
        assert!(
            !doc.text.contains('完') && !doc.text.contains("18時30分"),
            "{}",
            doc.text
        );
        // With no date above the end mark, the stamp dates the release.
        assert_eq!(doc.meta.published.as_deref(), Some("2024-11-21T18:30"));
    }

    #[test]
    fn relative_days_count_from_the_dateline() {
        let page = "两省区结好\n2024年03月28日 08:45 南海网\n南海网海口3月27日讯 昨天,签约仪式在海口举行。\n";
        let (meta, yesterday) = yesterday_on(page);
        assert_eq!(meta.published.as_deref(), Some("2024-03-28T08:45"));
        assert_eq!(meta.dateline.as_deref(), Some("2024-03-27"));
        assert_eq!(yesterday, "2024-03-26");
    }

    /// A day-only dateline takes the page's month, or the month before when
    /// its day is later than the page's.
    #[test]
    fn a_day_only_dateline_takes_the_pages_month() {
        let page = "两市结好\n2024年3月2日 星洲日报\n（槟城29日讯）昨天,签约仪式在槟城举行。\n";
        let (meta, yesterday) = yesterday_on(page);
        assert_eq!(meta.dateline.as_deref(), Some("2024-02-29"));
        assert_eq!(yesterday, "2024-02-28");
    }
}
