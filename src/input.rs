//! Read stage: turn the user's sources (files, directories, standard input,
//! JSON Lines dumps, WARC archives, any of them gzip-compressed) into a stream
//! of raw documents. Streaming: a JSONL or WARC source is read one record at a
//! time, so memory does not grow with the corpus. A record that cannot be read
//! becomes a `Failed` item (one error record), never the end of the run.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::Value;

/// How to read a source. `Auto` looks at the name and the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    /// One document per file (HTML or text).
    Page,
    /// One JSON object a line: `{"id", "url"?, "html"|"text"|"bytes_b64", "published"?}`.
    Jsonl,
    /// WARC response (or resource) records.
    Warc,
}

/// One raw document, as read.
#[derive(Debug, Clone)]
pub struct RawDoc {
    pub id: String,
    /// Where it came from: a path, `path#line`, or a WARC target URI.
    pub origin: String,
    pub bytes: Vec<u8>,
    /// A charset the container declared (HTTP `Content-Type` in a WARC record).
    pub charset: Option<String>,
    /// A publication date the container gave (JSONL `published`, WARC-Date).
    pub published: Option<String>,
}

/// What the reader yields: a document, or the reason one could not be read.
#[derive(Debug)]
pub enum Item {
    Doc(RawDoc),
    Failed {
        id: String,
        origin: String,
        message: String,
    },
}

/// Files under the given paths (directories recursively, sorted), filtered by
/// include/exclude globs on the path; `-` stands for standard input.
pub fn expand_paths(
    paths: &[PathBuf],
    include: &[String],
    exclude: &[String],
) -> Result<Vec<PathBuf>, String> {
    let set = |globs: &[String]| -> Result<Option<globset::GlobSet>, String> {
        if globs.is_empty() {
            return Ok(None);
        }
        let mut b = globset::GlobSetBuilder::new();
        for g in globs {
            b.add(globset::Glob::new(g).map_err(|e| format!("bad glob `{g}`: {e}"))?);
        }
        b.build().map(Some).map_err(|e| e.to_string())
    };
    let (inc, exc) = (set(include)?, set(exclude)?);
    let keep = |p: &Path| {
        let name = p.file_name().map(Path::new).unwrap_or(p);
        let hit = |s: &globset::GlobSet| s.is_match(p) || s.is_match(name);
        inc.as_ref().is_none_or(hit) && !exc.as_ref().is_some_and(hit)
    };
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(p.clone());
        } else if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut files = Vec::new();
            while let Some(d) = stack.pop() {
                let rd = std::fs::read_dir(&d)
                    .map_err(|e| format!("cannot read directory {}: {e}", d.display()))?;
                for e in rd.flatten() {
                    let path = e.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if keep(&path) {
                        files.push(path);
                    }
                }
            }
            files.sort();
            out.extend(files);
        } else {
            // Named explicitly: kept even if missing (it becomes an error record).
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// The id of a file document: its name without extension(s) such as `.html.gz`.
pub fn file_id(p: &Path) -> String {
    if p.as_os_str() == "-" {
        return "stdin".into();
    }
    let name = p
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string());
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string())
}

/// Read every document of one source, handing each to `sink` as soon as it is
/// read. `limit` caps one document's size (also after decompression: a gzip
/// bomb stops at the limit).
pub fn read_source(path: &Path, format: Format, limit: usize, sink: &mut dyn FnMut(Item)) {
    let origin = path.display().to_string();
    let fail = |message: String| Item::Failed {
        id: file_id(path),
        origin: origin.clone(),
        message,
    };
    let raw: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        match File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => return sink(fail(format!("cannot read {origin}: {e}"))),
        }
    };
    let mut reader = BufReader::with_capacity(64 * 1024, raw);
    let gz = match reader.fill_buf() {
        Ok(b) => b.starts_with(&[0x1f, 0x8b]),
        Err(e) => return sink(fail(format!("cannot read {origin}: {e}"))),
    };
    let mut reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(
            64 * 1024,
            flate2::bufread::MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(reader)
    };
    let format = match format {
        Format::Auto => {
            let name = origin.to_ascii_lowercase();
            let name = name.strip_suffix(".gz").unwrap_or(&name);
            let head = reader.fill_buf().map(|b| b.to_vec()).unwrap_or_default();
            if name.ends_with(".warc") || head.starts_with(b"WARC/") {
                Format::Warc
            } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
                Format::Jsonl
            } else {
                Format::Page
            }
        }
        f => f,
    };
    match format {
        Format::Page | Format::Auto => {
            let mut bytes = Vec::new();
            match (&mut reader).take(limit as u64 + 1).read_to_end(&mut bytes) {
                Err(e) => sink(fail(format!("cannot read {origin}: {e}"))),
                Ok(_) if bytes.len() > limit => sink(fail(format!(
                    "input exceeds the limit of {limit} bytes{}",
                    if gz { " after decompression" } else { "" }
                ))),
                Ok(_) => sink(Item::Doc(RawDoc {
                    id: file_id(path),
                    origin,
                    bytes,
                    charset: None,
                    published: None,
                })),
            }
        }
        Format::Jsonl => read_jsonl(&mut reader, &origin, limit, sink),
        Format::Warc => read_warc(&mut reader, &origin, limit, sink),
    }
}

/// Read one line, at most `limit` bytes of it (the rest is skipped).
/// Returns (bytes, too_long) or None at the end.
fn bounded_line(r: &mut dyn BufRead, limit: usize) -> std::io::Result<Option<(Vec<u8>, bool)>> {
    let mut out = Vec::new();
    let mut too_long = false;
    let mut any = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(any.then_some((out, too_long)));
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if out.len() + chunk.len() > limit {
            too_long = true;
        } else {
            out.extend_from_slice(chunk);
        }
        let used = done.unwrap_or(buf.len());
        r.consume(used);
        if done.is_some() {
            return Ok(Some((out, too_long)));
        }
    }
}

fn read_jsonl(r: &mut dyn BufRead, origin: &str, limit: usize, sink: &mut dyn FnMut(Item)) {
    let mut n = 0usize;
    loop {
        let line = match bounded_line(r, limit.saturating_mul(2)) {
            Ok(Some(l)) => l,
            Ok(None) => return,
            Err(e) => {
                return sink(Item::Failed {
                    id: format!("line{}", n + 1),
                    origin: format!("{origin}#{}", n + 1),
                    message: format!("cannot read: {e}"),
                });
            }
        };
        n += 1;
        let at = format!("{origin}#{n}");
        let (bytes, too_long) = line;
        if bytes.iter().all(u8::is_ascii_whitespace) && !too_long {
            continue;
        }
        let failed = |id: String, message: String| Item::Failed {
            id,
            origin: at.clone(),
            message,
        };
        if too_long {
            sink(failed(
                format!("line{n}"),
                format!("record exceeds the limit of {limit} bytes"),
            ));
            continue;
        }
        let v: Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                sink(failed(format!("line{n}"), format!("invalid JSON: {e}")));
                continue;
            }
        };
        let id = match &v["id"] {
            Value::String(s) => s.clone(),
            Value::Number(x) => x.to_string(),
            _ => format!("line{n}"),
        };
        let body = if let Some(s) = v["html"].as_str().or(v["text"].as_str()) {
            Ok(s.as_bytes().to_vec())
        } else if let Some(b) = v["bytes_b64"].as_str() {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|e| format!("bytes_b64 is not base64: {e}"))
        } else {
            Err("record has none of html, text, bytes_b64".to_string())
        };
        match body {
            Err(m) => sink(failed(id, m)),
            Ok(b) if b.len() > limit => sink(failed(
                id,
                format!(
                    "input of {} bytes exceeds the limit of {limit} bytes",
                    b.len()
                ),
            )),
            Ok(bytes) => sink(Item::Doc(RawDoc {
                id,
                origin: v["url"].as_str().map_or(at, str::to_string),
                bytes,
                charset: None,
                published: v["published"].as_str().map(str::to_string),
            })),
        }
    }
}

/// WARC: a `WARC/1.x` line, headers, a blank line, `Content-Length` bytes of
/// block, two CRLFs. Response records carry an HTTP message whose body is the
/// page. A record whose length lies is reported and the reader resynchronises
/// on the next `WARC/` line.
fn read_warc(r: &mut dyn BufRead, origin: &str, limit: usize, sink: &mut dyn FnMut(Item)) {
    let mut n = 0usize;
    let mut pending: Option<Vec<u8>> = None;
    loop {
        // Find the version line.
        let first = match pending.take() {
            Some(l) => l,
            None => match bounded_line(r, 4096) {
                Ok(Some((l, _))) => l,
                Ok(None) => return,
                Err(e) => {
                    return sink(Item::Failed {
                        id: format!("record{}", n + 1),
                        origin: origin.to_string(),
                        message: format!("cannot read: {e}"),
                    });
                }
            },
        };
        if !first.starts_with(b"WARC/") {
            continue;
        }
        n += 1;
        let mut headers: Vec<(String, String)> = Vec::new();
        while let Ok(Some((l, _))) = bounded_line(r, 64 * 1024) {
            let l = String::from_utf8_lossy(&l).trim_end().to_string();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let h = |k: &str| headers.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        let id = h("warc-record-id")
            .map(|s| s.trim_matches(['<', '>']).to_string())
            .unwrap_or_else(|| format!("record{n}"));
        let uri = h("warc-target-uri");
        let at = uri.clone().unwrap_or_else(|| format!("{origin}#record{n}"));
        let kind = h("warc-type").unwrap_or_default();
        let len: Option<usize> = h("content-length").and_then(|s| s.parse().ok());
        let failed = |message: String| Item::Failed {
            id: id.clone(),
            origin: at.clone(),
            message,
        };
        let Some(len) = len else {
            sink(failed("WARC record without a valid Content-Length".into()));
            continue;
        };
        // Read the block, never more than the limit into memory.
        let mut block = Vec::new();
        let keep = len.min(limit.saturating_add(64 * 1024));
        let got = (&mut *r)
            .take(keep as u64)
            .read_to_end(&mut block)
            .unwrap_or(0);
        if keep < len {
            let _ = std::io::copy(
                &mut (&mut *r).take((len - keep) as u64),
                &mut std::io::sink(),
            );
        }
        if got < keep {
            sink(failed(format!(
                "WARC record truncated: Content-Length {len}, {got} bytes present"
            )));
            return;
        }
        // The block must be followed by CRLF CRLF; if not, the length lied:
        // report the record and resynchronise on the next WARC/ line.
        let mut trailer = Vec::new();
        let _ = (&mut *r).take(4).read_to_end(&mut trailer);
        if !trailer.iter().all(|b| *b == b'\r' || *b == b'\n') {
            sink(failed(format!(
                "WARC record length {len} does not end at a record boundary"
            )));
            let mut rest = trailer;
            if let Ok(Some((l, _))) = bounded_line(r, 4096) {
                rest.extend_from_slice(&l);
            }
            if let Some(p) = find(&rest, b"WARC/") {
                pending = Some(rest[p..].to_vec());
            }
            continue;
        }
        if kind != "response" && kind != "resource" {
            continue;
        }
        if len > limit {
            sink(failed(format!(
                "input of {len} bytes exceeds the limit of {limit} bytes"
            )));
            continue;
        }
        let (body, charset) = if kind == "response" {
            split_http(&block)
        } else {
            (block.as_slice(), None)
        };
        sink(Item::Doc(RawDoc {
            id,
            origin: at,
            bytes: body.to_vec(),
            charset,
            published: h("warc-date"),
        }));
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// An HTTP response: (body, charset from Content-Type).
fn split_http(block: &[u8]) -> (&[u8], Option<String>) {
    let Some(end) = find(block, b"\r\n\r\n")
        .map(|p| p + 4)
        .or_else(|| find(block, b"\n\n").map(|p| p + 2))
    else {
        return (block, None);
    };
    let head = String::from_utf8_lossy(&block[..end]).to_ascii_lowercase();
    let charset = head
        .lines()
        .find(|l| l.starts_with("content-type:"))
        .and_then(|l| l.split("charset=").nth(1))
        .map(|c| {
            c.trim()
                .trim_matches(['"', '\'', ';'])
                .split(';')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .filter(|c| !c.is_empty());
    (&block[end..], charset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(bytes: &[u8], name: &str, limit: usize) -> Vec<Item> {
        let dir = std::env::temp_dir().join(format!("zhfacts-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        let mut v = Vec::new();
        read_source(&p, Format::Auto, limit, &mut |i| v.push(i));
        v
    }

    fn warc_record(uri: &str, body: &str, declared: Option<usize>) -> Vec<u8> {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\n\r\n{body}");
        let len = declared.unwrap_or(http.len());
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-25T09:36:00Z\r\nContent-Length: {len}\r\n\r\n{http}\r\n\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn jsonl_records_and_bad_lines() {
        let src = "{\"id\":\"a\",\"text\":\"青岛市\",\"published\":\"2024-01-25\"}\nnot json\n\n{\"id\":\"c\",\"bytes_b64\":\"6Z2S5bKb\"}\n{\"id\":\"d\"}\n";
        let items = collect(src.as_bytes(), "dump.jsonl", 1000);
        assert_eq!(items.len(), 4);
        assert!(
            matches!(&items[0], Item::Doc(d) if d.id == "a" && d.published.as_deref() == Some("2024-01-25"))
        );
        assert!(
            matches!(&items[1], Item::Failed { message, .. } if message.contains("invalid JSON"))
        );
        assert!(matches!(&items[2], Item::Doc(d) if d.bytes == "青岛".as_bytes()));
        assert!(matches!(&items[3], Item::Failed { id, .. } if id == "d"));
    }

    #[test]
    fn warc_responses_charset_and_lying_length() {
        let mut w = warc_record("http://a/1", "<p>one</p>", None);
        w.extend(warc_record(
            "http://a/2",
            "<p>two, longer body</p>",
            Some(20),
        ));
        w.extend(warc_record("http://a/3", "<p>three</p>", None));
        let items = collect(&w, "crawl.warc", 1 << 20);
        let docs: Vec<&RawDoc> = items
            .iter()
            .filter_map(|i| match i {
                Item::Doc(d) => Some(d),
                _ => None,
            })
            .collect();
        let failed = items
            .iter()
            .filter(|i| matches!(i, Item::Failed { .. }))
            .count();
        assert_eq!(docs.len(), 2, "{items:?}");
        assert_eq!(failed, 1);
        assert_eq!(docs[0].bytes, b"<p>one</p>");
        assert_eq!(docs[0].charset.as_deref(), Some("gbk"));
        assert_eq!(docs[1].origin, "http://a/3");
    }

    #[test]
    fn gzip_is_transparent_and_bombs_stop_at_the_limit() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![b'a'; 10 << 20]).unwrap();
        let gz = e.finish().unwrap();
        assert!(gz.len() < 64 * 1024);
        let items = collect(&gz, "bomb.html.gz", 1 << 20);
        assert!(
            matches!(&items[0], Item::Failed { message, .. } if message.contains("after decompression"))
        );
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all("<p>青岛</p>".as_bytes()).unwrap();
        let items = collect(&e.finish().unwrap(), "page.html.gz", 1 << 20);
        assert!(
            matches!(&items[0], Item::Doc(d) if d.id == "page" && d.bytes == "<p>青岛</p>".as_bytes())
        );
    }

    #[test]
    fn globs_filter_directories() {
        let dir = std::env::temp_dir().join(format!("zhfacts-glob-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["a.html", "b.txt", "sub/c.html"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let got = expand_paths(
            std::slice::from_ref(&dir),
            &["*.html".into()],
            &["c.*".into()],
        )
        .unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].ends_with("a.html"));
    }
}
