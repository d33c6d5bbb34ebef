//! HTML pages: metadata from the head, main content by Chinese-aware text and
//! punctuation density over the DOM, then the same line cleaner as text pages.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use regex::Regex;
use scraper::{Html, Node, Selector};

use super::meta;
use crate::doc::{Mapped, NONE};

const SKIP: &[&str] = &[
    "script", "style", "noscript", "nav", "aside", "footer", "iframe", "select", "button",
    "textarea", "svg", "canvas", "template", "head", "object", "embed", "video", "audio",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "br",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "header",
    "main",
    "figure",
    "figcaption",
    "hr",
    "tbody",
    "font",
];
/// class/id words of page furniture (comments, recommendations, share bars,
/// the page foot: `foot` as a word, as Chinese sites name it).
static FURNITURE_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)comment|recommend|related|footer|\bfoot\b|sidebar|share|copyright|breadcrumb|\bnav|menu|\bad[s_-]|advert|hot-?news|toolbar|login|relate|tuijian|pinglun")
        .unwrap()
});

/// Deeper than this, html5ever's tree builder turns quadratic (every start
/// tag scans the stack of open elements): such pages are read as text with
/// the tags stripped instead.
pub const MAX_DEPTH: usize = 1000;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// The deepest element nesting of the markup (a linear scan of the tags).
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        let close = b.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let name_end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |p| start + p);
        if name_end == start {
            continue;
        }
        let name = html[start..name_end].to_ascii_lowercase();
        let gt = b[name_end..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |p| name_end + p);
        let self_closing = gt > 0 && b.get(gt - 1) == Some(&b'/');
        if close {
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) && !self_closing {
            depth += 1;
            max = max.max(depth);
        }
        i = gt.min(b.len());
    }
    max
}

/// Text lines of markup with every tag removed (block tags break lines),
/// for pages too deep to parse as a tree. Script and style bodies are dropped.
pub fn strip_tags(html: &str) -> Vec<Mapped> {
    let mut lines = Vec::new();
    let mut cur = Mapped::default();
    let mut chars = html.char_indices().enumerate().peekable();
    let mut skip_until: Option<&str> = None;
    while let Some((ci, (bi, c))) = chars.next() {
        if c == '<' {
            let rest = &html[bi..];
            let end = rest.find('>').map_or(rest.len(), |p| p + 1);
            let tag = rest[..end].to_ascii_lowercase();
            if let Some(close) = skip_until {
                if tag.starts_with(close) {
                    skip_until = None;
                }
            } else if tag.starts_with("<script") {
                skip_until = Some("</script");
            } else if tag.starts_with("<style") {
                skip_until = Some("</style");
            }
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if BLOCK.contains(&name.as_str()) || name == "br" {
                lines.push(std::mem::take(&mut cur));
            }
            while chars.peek().is_some_and(|(_, (b, _))| *b < bi + end) {
                chars.next();
            }
            continue;
        }
        if skip_until.is_some() {
            continue;
        }
        if c == '\n' || c == '\r' {
            lines.push(std::mem::take(&mut cur));
        } else {
            cur.push(c, ci as u32);
        }
    }
    lines.push(cur);
    lines.retain(|l| !l.text.trim().is_empty());
    lines
}

/// How much of a line's vote each further ancestor keeps.
const VOTE_DECAY: f64 = 0.9;
/// A table row's vote per char (prose with punctuation votes 1 and more).
const ROW_VOTE: f64 = 0.3;

pub fn looks_like_html(text: &str) -> bool {
    // Flattened text with no markup at all: the common case, one byte scan.
    if memchr::memchr(
        b'<',
        &text.as_bytes()[..text.floor_char_boundary(16 * 1024)],
    )
    .is_none()
    {
        return false;
    }
    let end = text.char_indices().nth(2048).map_or(text.len(), |(b, _)| b);
    let head = text[..end].to_ascii_lowercase();
    head.contains("<html")
        || head.contains("<!doctype html")
        || head.contains("<body")
        || head.contains("<head")
        || (head.contains("<div") && head.contains("</div>"))
        || (head.contains("<p>") && head.contains("</p>"))
        || markup_dense(text)
}

/// Pages wrapped in something else (`<text id=…>` dumps, fragments) still
/// show closing tags and scripts early on; flattened text never does.
fn markup_dense(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(16 * 1024)];
    let closing = head.matches("</").count();
    let scripts = head.matches("<script").count() + head.matches("<style").count();
    closing >= 8 || (scripts >= 1 && closing >= 2)
}

pub struct HtmlParts {
    pub lines: Vec<Mapped>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    /// The outlet after the first dated text of the body (<p class="src">
    /// 2023-06-16 15:02 深圳新闻网</p>): the weakest source, used when the
    /// header lines name none.
    pub shown_source: Option<String>,
    /// The text node after a node that holds only the first date
    /// (<p>2024-07-05 07:12</p><p>济南日报</p>): the source if it is named
    /// like an outlet, which the clean stage's cues tell.
    pub after_date: Option<String>,
    /// The site the page is on (og:site_name, else the tail of <title>).
    pub site: Option<String>,
}

struct TextPiece {
    text: String,
    start_char: Option<usize>,
    line: usize,
    in_link: bool,
    ancestors: Vec<ego_tree::NodeId>,
}

fn is_cjk_punct(c: char) -> bool {
    "。,、;:?!“”‘’《》()—…\u{FF0C}\u{FF1B}\u{FF1A}\u{FF1F}\u{FF01}\u{FF08}\u{FF09}".contains(c)
}

pub fn extract(decoded: &str) -> HtmlParts {
    let doc = Html::parse_document(decoded);
    // Char index of each byte (for mapping found text back to decoded chars).
    let byte_to_char = {
        let mut v = vec![0u32; decoded.len() + 1];
        let mut ci = 0u32;
        for (b, c) in decoded.char_indices() {
            for k in 0..c.len_utf8() {
                v[b + k] = ci;
            }
            ci += 1;
        }
        v[decoded.len()] = ci;
        v
    };

    // Walk the body collecting text pieces, breaking lines at block elements.
    let mut pieces: Vec<TextPiece> = Vec::new();
    let mut line = 0usize;
    let mut cursor = 0usize;
    let root = doc.tree.root();
    enum Item<'a> {
        Open(NodeRef<'a, Node>, bool),
        Close(bool),
    }
    let mut stack: Vec<Item> = vec![Item::Open(root, false)];
    let mut ancestors: Vec<ego_tree::NodeId> = Vec::new();
    // Iterative DFS: deeply nested pages must not overflow the call stack.
    while let Some(item) = stack.pop() {
        let (node, in_link) = match item {
            Item::Close(block) => {
                ancestors.pop();
                if block {
                    line += 1;
                }
                continue;
            }
            Item::Open(n, l) => (n, l),
        };
        match node.value() {
            Node::Text(t) => {
                let s: &str = t;
                if s.trim().is_empty() {
                    continue;
                }
                let found = find_from(decoded, cursor, s);
                let start_char = found.map(|b| {
                    cursor = b + s.len();
                    byte_to_char[b] as usize
                });
                pieces.push(TextPiece {
                    text: s.to_string(),
                    start_char,
                    line,
                    in_link,
                    // Only the nearest ancestors vote: bounded cost on absurdly deep pages.
                    ancestors: ancestors[ancestors.len().saturating_sub(48)..].to_vec(),
                });
            }
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let attrs = format!(
                    "{} {}",
                    e.attr("class").unwrap_or(""),
                    e.attr("id").unwrap_or("")
                );
                if attrs.len() > 1
                    && FURNITURE_ATTR.is_match(&attrs)
                    && name != "body"
                    && name != "html"
                {
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    line += 1;
                }
                // A table row is one line, its cells apart (1 高知市 日本
                // 友好城市 1985年7月25日): a row of a list states one thing.
                if matches!(name, "td" | "th") {
                    pieces.push(TextPiece {
                        text: " ".to_string(),
                        start_char: None,
                        line,
                        in_link,
                        ancestors: ancestors[ancestors.len().saturating_sub(48)..].to_vec(),
                    });
                }
                ancestors.push(node.id());
                stack.push(Item::Close(block));
                // An <a> without href is an anchor, not a link (a stray
                // `<a>` where `</a>` was meant opens one that html5ever keeps
                // open over the rest of the page).
                let link = in_link || (name == "a" && e.attr("href").is_some());
                for c in node.children().collect::<Vec<_>>().into_iter().rev() {
                    stack.push(Item::Open(c, link));
                }
            }
            Node::Document => {
                ancestors.push(node.id());
                stack.push(Item::Close(false));
                for c in node.children().collect::<Vec<_>>().into_iter().rev() {
                    stack.push(Item::Open(c, false));
                }
            }
            _ => {}
        }
    }

    // Group pieces into lines.
    let mut lines: Vec<(Mapped, usize, usize, Vec<ego_tree::NodeId>)> = Vec::new(); // text, link chars, punct
    let mut cur_line = usize::MAX;
    for p in &pieces {
        if p.line != cur_line {
            lines.push((Mapped::default(), 0, 0, p.ancestors.clone()));
            cur_line = p.line;
        }
        let entry = lines.last_mut().unwrap();
        for (k, c) in p.text.chars().enumerate() {
            let c = if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            };
            entry
                .0
                .push(c, p.start_char.map_or(NONE, |s| (s + k) as u32));
            if p.in_link && !c.is_whitespace() {
                entry.1 += 1;
            }
            if is_cjk_punct(c) && !p.in_link {
                entry.2 += 1;
            }
        }
    }

    // Score: each line votes for its ancestors; content lines (punctuated prose,
    // few links) positively, link lists and short fragments negatively.
    let mut score: std::collections::HashMap<ego_tree::NodeId, f64> = Default::default();
    for (m, link, punct, anc) in &lines {
        let n = m.text.chars().filter(|c| !c.is_whitespace()).count();
        if n == 0 {
            continue;
        }
        let link_ratio = *link as f64 / n as f64;
        // A data row (cells, few links: a list of partner cities) is some
        // content: it votes lightly for the container it stands in.
        let row = link_ratio < 0.3
            && m.text.trim().contains(' ')
            && anc.iter().rev().take(3).any(|a| {
                doc.tree
                    .get(*a)
                    .and_then(|n| n.value().as_element())
                    .is_some_and(|e| e.name() == "tr")
            });
        let w = if *punct >= 1 && link_ratio < 0.3 && n >= 8 {
            (n - link) as f64 * (1.0 + (*punct as f64).ln_1p() * 0.2)
        } else if row {
            n as f64 * ROW_VOTE
        } else {
            -(n as f64) * 0.6
        };
        // Nearer ancestors get more of the vote (a decay, as readability's
        // parent/grandparent scoring): the content container outscores <body>.
        let mut share = 1.0;
        for a in anc.iter().rev() {
            *score.entry(*a).or_insert(0.0) += w * share;
            share *= VOTE_DECAY;
        }
    }
    let best = score
        .iter()
        .max_by(|a, b| a.1.partial_cmp(b.1).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(id, _)| *id);

    let mut out = Vec::new();
    for (m, link, _punct, anc) in lines {
        if best.is_some_and(|b| anc.contains(&b)) {
            let n = m.text.chars().filter(|c| !c.is_whitespace()).count();
            if n > 0 && link * 2 > n {
                continue; // link lines inside the content are related-article lists
            }
            out.push(m);
        }
    }

    let (title, published, source) = head_meta(&doc, decoded);
    HtmlParts {
        lines: out,
        title,
        published,
        source,
        shown_source: shown_source(&doc),
        after_date: after_date(&doc),
        site: site_name(&doc),
    }
}

/// The outlet after the body's first dated text node, set off by spaces (or
/// before it, on a newspaper's page line, or in the node before a labelled
/// date: `<span>东北网</span><span>发布时间：2024年06月14日</span>`); only a
/// name in Chinese (a Latin word there is a byline or an AM/PM).
fn shown_source(doc: &Html) -> Option<String> {
    let body = doc.select(&sel("body")).next()?;
    fn text<'a>(n: &ego_tree::NodeRef<'a, scraper::Node>) -> Option<&'a str> {
        n.value().as_text().map(|t| &**t)
    }
    let nodes: Vec<_> = body
        .descendants()
        .filter(|n| text(n).is_some_and(|t| !t.trim().is_empty()))
        .take(400)
        .collect();
    let (i, start, end) = nodes
        .iter()
        .enumerate()
        .find_map(|(i, n)| meta::find_datetime(text(n)?).map(|(s, e, _)| (i, s, e)))?;
    // A short title before the date line is no outlet, nor is an 编辑 link.
    let furniture = |n: &ego_tree::NodeRef<'_, scraper::Node>| {
        n.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "h1" | "h2" | "h3" | "a"))
        })
    };
    let node = text(&nodes[i])?;
    let labelled = || {
        let head = node[..start].trim();
        head.ends_with([':', '\u{FF1A}'])
            && head
                .trim_end_matches([':', '\u{FF1A}'])
                .chars()
                .all(crate::clean::pinyin::is_hanzi)
    };
    meta::source_after_date(node, end, &[])
        .or_else(|| meta::source_before_edition(node, start, end))
        .or_else(|| {
            let prev_node = nodes.get(i.checked_sub(1)?)?;
            let prev = text(prev_node)?.trim();
            (labelled() && !furniture(prev_node) && (2..=12).contains(&prev.chars().count()))
                .then(|| prev.to_string())
        })
        .filter(|s| {
            s.starts_with(crate::clean::pinyin::is_hanzi)
                && s.chars().all(|c| {
                    crate::clean::pinyin::is_hanzi(c) || c.is_ascii_digit() || "·—-".contains(c)
                })
        })
}

/// The text node right after the body's first node that is a date and
/// nothing else, when it is short and no heading or link.
fn after_date(doc: &Html) -> Option<String> {
    let body = doc.select(&sel("body")).next()?;
    let text = |n: &ego_tree::NodeRef<'_, scraper::Node>| {
        n.value()
            .as_text()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let mut nodes = body.descendants().filter(|n| text(n).is_some()).take(400);
    nodes.find(|n| {
        text(n).is_some_and(|t| {
            meta::find_datetime(&t).is_some_and(|(s, e, _)| s == 0 && e == t.len())
        })
    })?;
    let next = nodes.next()?;
    let linked_or_heading = next.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "h1" | "h2" | "h3" | "a"))
    });
    let t = text(&next)?;
    (!linked_or_heading && t.chars().count() <= 12).then_some(t)
}

fn find_from(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let from = from.min(hay.len());
    if !hay.is_char_boundary(from) {
        return None;
    }
    let window_end = (from + 256 * 1024).min(hay.len());
    let mut we = window_end;
    while !hay.is_char_boundary(we) {
        we -= 1;
    }
    hay[from..we].find(needle).map(|i| from + i)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static JSONLD_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]+)""#).unwrap());
static PUBTIME_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    // 成文日期 (written), 印发日期, 生效日期 date the document, not the page.
    Regex::new(r"(?:发布时间|發佈時間|发表时间|发布日期|發布日期|(?:^|[^文发效])(?:时间|日期))\s*[:\x{FF1A}]?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)")
        .unwrap()
});
static SOURCE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{})\s*[:\x{{FF1A}}]\s*([^\s:\x{{FF1A}}|<>]{{2,24}})",
        meta::SOURCE_LABELS
    ))
    .unwrap()
});

fn head_meta(doc: &Html, decoded: &str) -> (Option<String>, Option<String>, Option<String>) {
    let meta_content = |selector: &str| -> Option<String> {
        doc.select(&sel(selector))
            .filter_map(|e| e.value().attr("content"))
            .map(|s| s.trim().to_string())
            .find(|s| !s.is_empty())
    };
    let og_title = meta_content(r#"meta[property="og:title"]"#);
    let h1 = doc
        .select(&sel("h1"))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .find(|s| s.chars().count() >= 4);
    let title_tag = doc
        .select(&sel("title"))
        .map(|e| e.text().collect::<String>())
        .next()
        .map(|t| {
            let raw = t.trim();
            let head = strip_site_suffix(raw);
            // A hyphen inside a name (安特卫普-布鲁日港) looks like the site
            // separator: the page's own heading, a longer head of <title>,
            // tells where the title really ends.
            if raw[head.len()..].trim_start().starts_with('-') {
                doc.root_element()
                    .descendants()
                    .filter_map(|n| n.value().as_text())
                    .map(|t| t.trim())
                    .filter(|t| t.len() > head.len() && t.len() < raw.len())
                    .filter(|t| raw.starts_with(t) && t.starts_with(&*head))
                    .max_by_key(|t| t.len())
                    .map_or(head, str::to_string)
            } else {
                head
            }
        });
    // Without an h1, a second-level heading that says what <title> says
    // (most of its chars there: not a sidebar's 相关新闻) is the page's own
    // headline, in its own wording; one that holds <title> whole only adds
    // a badge (<span>原创</span>…).
    let h2 = title_tag.as_deref().and_then(|tt| {
        doc.select(&sel("h2"))
            .map(|e| e.text().collect::<String>().trim().to_string())
            .find(|h| {
                let n = h.chars().count();
                n >= 6 && h.chars().filter(|c| tt.contains(*c)).count() * 10 >= n * 7
            })
            .filter(|h| !h.contains(tt))
    });
    let title = og_title
        .or(h1)
        .or(h2)
        .or(title_tag)
        .filter(|t| !t.is_empty());

    let mut published = meta_content(r#"meta[property="article:published_time"]"#)
        .or_else(|| meta_content(r#"meta[name="pubdate"]"#))
        .or_else(|| meta_content(r#"meta[name="PubDate"]"#))
        .or_else(|| meta_content(r#"meta[name="publishdate"]"#))
        .or_else(|| meta_content(r#"meta[itemprop="datePublished"]"#))
        .or_else(|| JSONLD_DATE.captures(decoded).map(|c| c[1].to_string()))
        .or_else(|| {
            doc.select(&sel("time"))
                .filter_map(|e| e.value().attr("datetime").map(str::to_string))
                .next()
        });
    // Visible text only: scripts hold dates of their own (build stamps, ads).
    let visible = visible_text(doc, 30_000);
    let labelled = PUBTIME_TEXT.captures(&visible).map(|c| c[1].to_string());
    // The first visible date-time with a time of day, else the first date.
    let shown = || {
        let mut first = None;
        let mut rest = visible.as_str();
        while let Some((_, e, d)) = meta::find_datetime(rest) {
            if d.contains('T') {
                return Some(d);
            }
            first.get_or_insert(d);
            rest = &rest[e..];
        }
        first
    };
    published = match published.and_then(|p| normalise_datetime(&p)) {
        // A date-only meta tag: the page may show the same day with its time.
        Some(p) if !p.contains('T') => Some(
            labelled
                .iter()
                .cloned()
                .chain(shown())
                .filter_map(|x| normalise_datetime(&x))
                .find(|x| x.starts_with(&p) && x.len() > p.len())
                .unwrap_or(p),
        ),
        Some(p) => Some(p),
        None => labelled.or_else(shown),
    };
    let published = published.and_then(|p| normalise_datetime(&p));
    let source = meta_content(r#"meta[property="og:site_name"]"#).or_else(|| {
        let body_text: String = doc
            .select(&sel("body"))
            .next()
            .map(|b| b.text().take(4000).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        SOURCE_TEXT.captures(&body_text).map(|c| c[1].to_string())
    });
    (title, published, source)
}

/// The page's visible text (no script, style, noscript, textarea), joined by
/// spaces, up to about `limit` bytes.
fn visible_text(doc: &Html, limit: usize) -> String {
    let mut out = String::new();
    for node in doc.root_element().descendants() {
        if out.len() >= limit {
            break;
        }
        if let Some(t) = node.value().as_text() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(e.name(), "script" | "style" | "noscript" | "textarea")
                })
            });
            if !hidden {
                out.push_str(t);
                out.push(' ');
            }
        }
    }
    out
}

/// The site's own name: og:site_name, else what follows the last separator
/// of <title> (…签署协议-浙江海洋大学新闻网).
fn site_name(doc: &Html) -> Option<String> {
    let meta = doc
        .select(&sel(r#"meta[property="og:site_name"]"#))
        .filter_map(|e| e.value().attr("content"))
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty());
    meta.or_else(|| {
        let t = doc.select(&sel("title")).next()?.text().collect::<String>();
        let t = t.trim();
        let head = strip_site_suffix(t);
        let tail =
            t[head.len()..].trim_start_matches(|c: char| c.is_whitespace() || "_-|—".contains(c));
        let last = tail.rsplit(['_', '|', '—', '-']).next()?.trim();
        (!last.is_empty()).then(|| last.to_string())
    })
}

/// `<title>` usually ends with the site name after a separator.
fn strip_site_suffix(t: &str) -> String {
    for sep in ["_", " - ", "-", "|", "—"] {
        if let Some(i) = t.find(sep) {
            let head = t[..i].trim();
            if head.chars().count() >= 4 {
                return head.to_string();
            }
        }
    }
    t.to_string()
}

/// Any date(-time) spelling → ISO at the precision given.
pub fn normalise_datetime(s: &str) -> Option<String> {
    if let Some((_, _, d)) = meta::find_datetime(s) {
        return Some(d);
    }
    static YM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d{4})\s*[-/.年]\s*(\d{1,2})").unwrap());
    YM.captures(s).and_then(|c| {
        let (y, m): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        (1..=12).contains(&m).then(|| format!("{y:04}-{m:02}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(html: &str) -> Option<String> {
        extract(html).shown_source
    }

    /// A table of partner cities under the story: each row one line, its
    /// cells apart, and the rows kept with the text they stand under.
    #[test]
    fn table_rows_are_lines_of_the_content() {
        let page = "<html><head><title>友好城市一览表</title></head><body><div class=\"main\">\
                    <p>截至2024年2月,本市已与8个国家的9个城市缔结友好城市关系。</p><table>\
                    <tr><th>序号</th><th>城市</th><th>结好时间</th></tr>\
                    <tr><td>1</td><td>高知市</td><td>1985年7月25日</td></tr></table></div>\
                    <div class=\"side\"><a href=\"/a\">首页</a></div></body></html>";
        let lines: Vec<String> = extract(page)
            .lines
            .into_iter()
            .map(|l| l.text.trim().to_string())
            .collect();
        assert!(
            lines.iter().any(|l| l == "1 高知市 1985年7月25日"),
            "{lines:?}"
        );
    }

    #[test]
    fn an_h2_saying_what_the_title_tag_says_is_the_headline() {
        let page = "<html><head><title>宁波市与某州结为友好城市_某某网</title></head><body>\
                    <h2>相关新闻</h2><h2>宁波与某州缔结友好城市关系</h2><p>正文。</p></body></html>";
        assert_eq!(
            extract(page).title.as_deref(),
            Some("宁波与某州缔结友好城市关系")
        );
        for h2 in ["热点新闻排行榜", "<span>原创</span>两市缔结友好城市关系"] {
            let page = format!(
                "<html><head><title>两市缔结友好城市关系_某某网</title></head><body>\
                 <h2>{h2}</h2><p>正文。</p></body></html>"
            );
            assert_eq!(
                extract(&page).title.as_deref(),
                Some("两市缔结友好城市关系")
            );
        }
    }

    #[test]
    fn a_hyphen_inside_a_name_is_no_title_separator() {
        let page = "<html><head><title>宁波港与比利时安特卫普-布鲁日港缔结友好港关系-港口网</title></head>\
                    <body><div class=\"t\">宁波港与比利时安特卫普-布鲁日港缔结友好港关系</div>\
                    <p>正文。</p></body></html>";
        assert_eq!(
            extract(page).title.as_deref(),
            Some("宁波港与比利时安特卫普-布鲁日港缔结友好港关系")
        );
        // Without a heading to tell, the first separator still cuts.
        let page = "<html><head><title>两市缔结友好城市关系-某某网</title></head><body><p>正文。</p></body></html>";
        assert_eq!(extract(page).title.as_deref(), Some("两市缔结友好城市关系"));
    }

    #[test]
    fn a_stray_anchor_does_not_make_the_rest_of_the_page_a_link() {
        // `<a>` where `</a>` was meant: html5ever keeps the anchor open over
        // the post, which must still read as prose, not a link list.
        let post = "《太行山上》主要讲述八路军总司令朱德率领三个主力师东渡黄河,挺进抗日前线。";
        let page = format!(
            "<html><body><div class=\"menu-bar\"><a href=\"/\">首页</a> <a href=\"/n\">新闻</a></div>\
             <div>作者:<a href=\"/u\">放飞心情<a></div><div><p>{post}</p><p>{post}</p></div>\
             <div><a href=\"/1\">相关帖子一</a> <a href=\"/2\">相关帖子二</a></div></body></html>"
        );
        let text: String = extract(&page)
            .lines
            .iter()
            .map(|l| l.text.clone())
            .collect();
        assert!(text.contains("主要讲述八路军"), "{text}");
    }

    #[test]
    fn a_documents_written_date_is_not_its_publication() {
        // A disclosure table gives 成文日期 (written) before 发布日期.
        let page = "<html><body><table><tr><td>成文日期：</td><td>2024-07-08</td></tr>\
                    <tr><td>发布日期：</td><td>2024-07-10</td></tr></table>\
                    <h1>关于同意建立友好城市关系的批复</h1><p>正文。</p></body></html>";
        assert_eq!(extract(page).published.as_deref(), Some("2024-07-10"));
    }

    #[test]
    fn the_outlet_in_the_node_before_a_labelled_date() {
        let page = "<html><body><h1>抚远市与比金区签署结好意向书</h1>\
                    <p><span>东北网</span> <span>发布时间：2024年06月14日 16:05</span></p>\
                    <p>正文。</p></body></html>";
        assert_eq!(shown(page).as_deref(), Some("东北网"));
    }

    #[test]
    fn the_node_after_a_date_alone_is_offered_as_the_source() {
        let page = "<html><body><h1>两市结好</h1><p class=\"date\">2024-07-05 07:12</p>\
                    <p class=\"source\">济南日报</p><p>正文很长的一段话。</p></body></html>";
        assert_eq!(extract(page).after_date.as_deref(), Some("济南日报"));
        // Not a link, nor a node after a date with more text in it.
        let page = "<html><body><p>2024-07-05 07:12</p><a href=\"/\">首页</a></body></html>";
        assert_eq!(extract(page).after_date, None);
        let page = "<html><body><p>发布于2024-07-05</p><p>济南日报</p></body></html>";
        assert_eq!(extract(page).after_date, None);
    }

    #[test]
    fn a_publishing_unit_labels_the_source() {
        let page = "<html><body><h1>本校與某大學締結姊妹校</h1>\
                    <p>發布日期：2024-10-08\u{3000}發布單位：國際事務處\u{3000}點閱次數：1,532</p>\
                    <p>正文。</p></body></html>";
        assert_eq!(extract(page).source.as_deref(), Some("國際事務處"));
    }

    #[test]
    fn a_short_heading_before_a_labelled_date_is_no_outlet() {
        let page = "<html><body><h1>两市结好</h1>\
                    <p>发布时间：2024年06月14日 16:05</p><p>正文。</p></body></html>";
        assert_eq!(shown(page), None);
        // Nor a link before the date, nor the node before an unlabelled date.
        let page =
            "<html><body><p><a href=\"e\">编辑</a> 发表于:2005-07-31 12:30</p></body></html>";
        assert_eq!(shown(page), None);
        let page = "<html><body><p>东北网</p><p>2024年06月14日</p></body></html>";
        assert_eq!(shown(page), None);
    }
}
