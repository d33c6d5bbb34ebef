//! Batch runs: sources → read stage (a reader thread) → a window of documents
//! processed in parallel → records written in input order. Memory is bounded
//! by the window (documents and bytes in flight), whatever the corpus size.
//! Every document read yields exactly one `doc` or one `error` record.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::decode;
use crate::emit;
use crate::error::Stage;
use crate::input::{self, Format, Item};
use crate::pipeline::{Input, Pipeline};

pub struct Config {
    pub paths: Vec<PathBuf>,
    /// A corpus made by `zhfacts ingest`: its manifest's pages are read too.
    pub corpus: Option<PathBuf>,
    pub format: Format,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Decode every document with this charset (else: container's, then detected).
    pub charset: Option<&'static encoding_rs::Encoding>,
    pub with_text: bool,
    /// Documents already done (a resumed run): read, but not processed again.
    pub skip: HashSet<String>,
    pub window_docs: usize,
    pub window_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            paths: vec![],
            corpus: None,
            format: Format::Auto,
            include: vec![],
            exclude: vec![],
            charset: None,
            with_text: false,
            skip: HashSet::new(),
            window_docs: 256,
            window_bytes: 128 << 20,
        }
    }
}

/// What a run did, as the final summary reports it.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub documents: usize,
    pub ok: usize,
    pub errors: usize,
    pub skipped: usize,
    pub errors_by_stage: BTreeMap<String, usize>,
    pub facts: BTreeMap<String, usize>,
    pub bytes: u64,
    pub seconds: f64,
}

impl Summary {
    pub fn to_json(&self) -> Value {
        json!({"type": "summary", "documents": self.documents, "ok": self.ok,
            "errors": self.errors, "errors_by_stage": self.errors_by_stage,
            "skipped": self.skipped, "facts": self.facts, "bytes": self.bytes,
            "seconds": self.seconds})
    }

    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

/// The number of page files among the sources, when every source is one (a
/// total for progress); `None` when a JSONL or WARC source hides its count.
pub fn known_total(cfg: &Config) -> Option<usize> {
    let files = input::expand_paths(&cfg.paths, &cfg.include, &cfg.exclude).ok()?;
    let container = |p: &PathBuf| {
        let n = p.to_string_lossy().to_ascii_lowercase();
        let n = n.strip_suffix(".gz").unwrap_or(&n).to_string();
        n.ends_with(".jsonl") || n.ends_with(".ndjson") || n.ends_with(".warc") || n == "-"
    };
    (cfg.corpus.is_none()
        && cfg.format != Format::Jsonl
        && cfg.format != Format::Warc
        && !files.iter().any(container))
    .then_some(files.len())
}

/// Run the pipeline over every source, writing JSON Lines to `out`.
/// `progress` is called after each window with the running totals.
pub fn run(
    pipe: &Pipeline,
    cfg: &Config,
    out: &mut (dyn Write + Send),
    progress: &mut dyn FnMut(&Summary),
) -> crate::Result<Summary> {
    // A writer thread takes each finished window, so the workers go on with
    // the next window instead of idling while this one is written.
    std::thread::scope(|scope| {
        let (wtx, wrx) = mpsc::sync_channel::<Vec<u8>>(1);
        let writer = scope.spawn(move || -> crate::Result<()> {
            for buf in wrx {
                out.write_all(&buf).map_err(crate::Error::Output)?;
                out.flush().map_err(crate::Error::Output)?;
            }
            Ok(())
        });
        let sum = run_windows(pipe, cfg, &wtx, progress);
        drop(wtx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(crate::Error::Other("the writer thread panicked".into())));
        // A write error explains a stopped run better than anything else.
        written?;
        sum
    })
}

fn run_windows(
    pipe: &Pipeline,
    cfg: &Config,
    out: &mpsc::SyncSender<Vec<u8>>,
    progress: &mut dyn FnMut(&Summary),
) -> crate::Result<Summary> {
    let files =
        input::expand_paths(&cfg.paths, &cfg.include, &cfg.exclude).map_err(crate::Error::Other)?;
    let started = Instant::now();
    let (tx, rx) = mpsc::sync_channel::<Item>(cfg.window_docs.max(1) * 2);
    let limit = pipe.max_bytes;
    let format = cfg.format;
    let corpus = cfg.corpus.clone();
    let reader = std::thread::spawn(move || {
        if let Some(dir) = corpus {
            crate::ingest::read_corpus(&dir, limit, &mut |item| {
                let _ = tx.send(item);
            });
        }
        for f in files {
            let mut send = |item: Item| {
                let _ = tx.send(item);
            };
            input::read_source(&f, format, limit, &mut send);
        }
    });
    let mut sum = Summary::default();
    let mut window: Vec<Item> = Vec::with_capacity(cfg.window_docs);
    let mut rx = rx.into_iter().peekable();
    loop {
        window.clear();
        let mut bytes = 0usize;
        while window.len() < cfg.window_docs.max(1) && bytes < cfg.window_bytes {
            let Some(item) = rx.next() else { break };
            // A resumed run skips what is already written, docs and read
            // errors alike, so neither is written twice.
            let id = match &item {
                Item::Doc(d) => &d.id,
                Item::Failed { id, .. } => id,
            };
            if cfg.skip.contains(id) {
                sum.skipped += 1;
                continue;
            }
            if let Item::Doc(d) = &item {
                bytes += d.bytes.len();
            }
            window.push(item);
        }
        if window.is_empty() {
            break;
        }
        // Serialise in the workers too: the writer thread only copies bytes.
        let records: Vec<(Vec<Value>, Vec<u8>)> = window
            .par_iter()
            .map(|i| {
                let recs = process(pipe, cfg, i);
                let mut buf = Vec::with_capacity(1024);
                for r in &recs {
                    // Writing a Value into a Vec cannot fail.
                    let _ = serde_json::to_writer(&mut buf, r);
                    buf.push(b'\n');
                }
                (recs, buf)
            })
            .collect();
        let mut bytes_out = Vec::with_capacity(records.iter().map(|r| r.1.len()).sum());
        for (recs, buf) in records {
            for r in &recs {
                match r["type"].as_str() {
                    Some("doc") => {
                        sum.documents += 1;
                        sum.ok += 1;
                        sum.bytes += r["bytes"].as_u64().unwrap_or(0);
                    }
                    Some("error") => {
                        sum.documents += 1;
                        sum.errors += 1;
                        let st = r["stage"].as_str().unwrap_or("?").to_string();
                        *sum.errors_by_stage.entry(st).or_default() += 1;
                    }
                    Some(t) => *sum.facts.entry(t.to_string()).or_default() += 1,
                    None => {}
                }
            }
            bytes_out.extend_from_slice(&buf);
        }
        if out.send(bytes_out).is_err() {
            // The writer stopped on an error; it reports it.
            break;
        }
        sum.seconds = started.elapsed().as_secs_f64();
        progress(&sum);
        if rx.peek().is_none() {
            break;
        }
    }
    let _ = reader.join();
    sum.seconds = started.elapsed().as_secs_f64();
    Ok(sum)
}

fn process(pipe: &Pipeline, cfg: &Config, item: &Item) -> Vec<Value> {
    let d = match item {
        Item::Failed {
            id,
            origin,
            message,
        } => return vec![emit::error_record(id, origin, Stage::Read, message)],
        Item::Doc(d) => d,
    };
    let charset = cfg.charset.or_else(|| {
        d.charset
            .as_deref()
            .and_then(|l| decode::encoding_for_label(l).ok())
    });
    let input = Input {
        id: d.id.clone(),
        origin: d.origin.clone(),
        bytes: &d.bytes,
        charset,
        published: d.published.clone(),
    };
    match pipe.process(&input) {
        Ok((doc, facts)) => {
            let mut v = vec![emit::doc_record(&doc, cfg.with_text)];
            v.extend(facts.iter().map(|f| emit::fact_record(&doc, f)));
            v
        }
        Err(e) => vec![emit::error_record(&d.id, &d.origin, e.stage, &e.message)],
    }
}

/// Where an interrupted run into `path` stopped: the ids of the documents
/// whose records are all there, and the byte length to truncate the file to
/// (the last document, whose facts may be cut short, is done again; so is a
/// torn last line; a final summary record is dropped).
pub fn resume_point(path: &Path) -> std::io::Result<(HashSet<String>, u64)> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((HashSet::new(), 0)),
        Err(e) => return Err(e),
    };
    let mut r = std::io::BufReader::new(f);
    let mut done = HashSet::new();
    let mut last: Option<(String, u64)> = None;
    let mut offset = 0u64;
    let mut good_end = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = r.read_until(b'\n', &mut line)?;
        if n == 0 || !line.ends_with(b"\n") {
            break;
        }
        let Ok(v) = serde_json::from_slice::<Value>(&line) else {
            break;
        };
        match v["type"].as_str() {
            Some("doc") | Some("error") => {
                if let Some((id, _)) = last.take() {
                    done.insert(id);
                }
                last = Some((v["doc"].as_str().unwrap_or("").to_string(), offset));
            }
            Some("summary") => {
                // A finished run: every document before it is complete.
                if let Some((id, _)) = last.take() {
                    done.insert(id);
                }
                return Ok((done, offset));
            }
            _ => {}
        }
        offset += n as u64;
        good_end = offset;
    }
    // The last document may have been cut in the middle of its facts.
    let end = last.map_or(good_end, |(_, start)| start);
    Ok((done, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_point_drops_the_last_document_and_torn_lines() {
        let dir = std::env::temp_dir().join(format!("zhfacts-resume-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("out.jsonl");
        let a = "{\"type\":\"doc\",\"doc\":\"a\"}\n{\"type\":\"date\",\"doc\":\"a\"}\n";
        let b = "{\"type\":\"error\",\"doc\":\"b\"}\n";
        let c = "{\"type\":\"doc\",\"doc\":\"c\"}\n{\"type\":\"da";
        std::fs::write(&p, format!("{a}{b}{c}")).unwrap();
        let (done, end) = resume_point(&p).unwrap();
        assert_eq!(done, HashSet::from(["a".to_string(), "b".to_string()]));
        assert_eq!(end as usize, a.len() + b.len());
        std::fs::write(&p, format!("{a}{b}{{\"type\":\"summary\"}}\n")).unwrap();
        let (done, end) = resume_point(&p).unwrap();
        assert_eq!(done.len(), 2);
        assert_eq!(end as usize, a.len() + b.len());
    }
}
