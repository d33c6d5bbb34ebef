//! Corpus ingestion: copy raw pages into a corpus directory with a
//! `manifest.jsonl` (one line a page: id, sha256, source, encoding, bytes,
//! title, published, ingested_at, duplicate_of, near_duplicate_of). Exact
//! duplicates (same bytes) and near duplicates (syndicated copies of one story:
//! SimHash of the clean text within a small Hamming distance) are reported,
//! never dropped silently. Re-ingesting the same source is a no-op.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::input::{self, Format, Item};
use crate::pipeline::{Input, Pipeline};

/// Two pages whose SimHashes differ in at most this many bits are near duplicates.
pub const NEAR_BITS: u32 = 3;

/// 64-bit SimHash over character 3-grams of the text (whitespace ignored).
pub fn simhash(text: &str) -> u64 {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut acc = [0i32; 64];
    for w in chars.windows(3) {
        // FNV-1a of the shingle: stable across runs and platforms.
        let mut h: u64 = 0xcbf29ce484222325;
        for c in w {
            for b in (*c as u32).to_le_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x100000001b3);
            }
        }
        for (i, a) in acc.iter_mut().enumerate() {
            *a += if h >> i & 1 == 1 { 1 } else { -1 };
        }
    }
    acc.iter()
        .enumerate()
        .fold(0u64, |v, (i, a)| if *a > 0 { v | 1 << i } else { v })
}

/// The manifest in memory: exact and near-duplicate indexes.
struct Index {
    by_sha: HashMap<String, String>,
    seen: std::collections::HashSet<(String, String)>,
    /// Four 16-bit bands of each SimHash: two hashes within 3 bits share a band.
    bands: HashMap<(u8, u16), Vec<(u64, String)>>,
}

impl Index {
    fn near(&self, h: u64) -> Option<String> {
        (0..4u8)
            .flat_map(|b| {
                self.bands
                    .get(&(b, (h >> (16 * b)) as u16))
                    .into_iter()
                    .flatten()
            })
            .find(|(o, _)| (o ^ h).count_ones() <= NEAR_BITS)
            .map(|(_, id)| id.clone())
    }
    fn add_hash(&mut self, h: u64, id: &str) {
        for b in 0..4u8 {
            self.bands
                .entry((b, (h >> (16 * b)) as u16))
                .or_default()
                .push((h, id.to_string()));
        }
    }
}

/// What an ingestion did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    pub added: usize,
    pub exact_duplicates: usize,
    pub near_duplicates: usize,
    pub already_ingested: usize,
    pub unreadable: usize,
}

fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (y, m, d) = crate::extract::dates::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// Ingest every document of `sources` into `corpus`.
pub fn ingest(
    pipe: &Pipeline,
    sources: &[PathBuf],
    format: Format,
    corpus: &Path,
) -> Result<Report, String> {
    let pages = corpus.join("pages");
    std::fs::create_dir_all(&pages)
        .map_err(|e| format!("cannot create {}: {e}", pages.display()))?;
    let manifest = corpus.join("manifest.jsonl");
    let mut index = Index {
        by_sha: HashMap::new(),
        seen: Default::default(),
        bands: HashMap::new(),
    };
    if let Ok(f) = std::fs::File::open(&manifest) {
        for line in std::io::BufReader::new(f).lines().map_while(Result::ok) {
            let Ok(v) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let (id, sha) = (
                v["id"].as_str().unwrap_or(""),
                v["sha256"].as_str().unwrap_or(""),
            );
            index.seen.insert((
                sha.to_string(),
                v["source"].as_str().unwrap_or("").to_string(),
            ));
            if v["duplicate_of"].is_null() {
                index
                    .by_sha
                    .entry(sha.to_string())
                    .or_insert_with(|| id.to_string());
                if let Some(h) = v["simhash"]
                    .as_str()
                    .and_then(|s| u64::from_str_radix(s, 16).ok())
                {
                    index.add_hash(h, id);
                }
            }
        }
    }
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&manifest)
        .map_err(|e| format!("cannot open {}: {e}", manifest.display()))?;
    let files = input::expand_paths(sources, &[], &[])?;
    let mut report = Report::default();
    let mut err: Option<String> = None;
    for f in files {
        input::read_source(&f, format, pipe.max_bytes, &mut |item| {
            if err.is_some() {
                return;
            }
            let d = match item {
                Item::Doc(d) => d,
                Item::Failed { .. } => {
                    report.unreadable += 1;
                    return;
                }
            };
            let sha = hex(&Sha256::digest(&d.bytes));
            if !index.seen.insert((sha.clone(), d.origin.clone())) {
                report.already_ingested += 1;
                return;
            }
            let duplicate_of = index.by_sha.get(&sha).cloned();
            let rel = format!("pages/{}/{sha}", &sha[..2]);
            if duplicate_of.is_none() {
                let p = corpus.join(&rel);
                let write = std::fs::create_dir_all(p.parent().unwrap_or(corpus))
                    .and_then(|_| std::fs::write(&p, &d.bytes));
                if let Err(e) = write {
                    err = Some(format!("cannot write {}: {e}", p.display()));
                    return;
                }
            }
            let cleaned = pipe.clean(&Input {
                id: d.id.clone(),
                origin: d.origin.clone(),
                bytes: &d.bytes,
                charset: d
                    .charset
                    .as_deref()
                    .and_then(|l| crate::decode::encoding_for_label(l).ok()),
                published: d.published.clone(),
            });
            let (mut rec, hash) = match &cleaned {
                Ok(doc) => (
                    json!({"encoding": doc.encoding, "title": doc.meta.title,
                        "published": doc.meta.published, "error": null}),
                    Some(simhash(&doc.text)),
                ),
                Err(e) => (
                    json!({"encoding": null, "title": null, "published": null,
                        "error": format!("{}: {}", e.stage, e.message)}),
                    None,
                ),
            };
            let near = match (&duplicate_of, hash) {
                (None, Some(h)) => index.near(h),
                _ => None,
            };
            match (&duplicate_of, &near) {
                (Some(_), _) => report.exact_duplicates += 1,
                (None, Some(_)) => report.near_duplicates += 1,
                _ => report.added += 1,
            }
            if duplicate_of.is_none() {
                index.by_sha.insert(sha.clone(), d.id.clone());
                if let Some(h) = hash {
                    index.add_hash(h, &d.id);
                }
            }
            let m = rec.as_object_mut().expect("object");
            m.insert("id".into(), json!(d.id));
            m.insert("sha256".into(), json!(sha));
            m.insert("source".into(), json!(d.origin));
            m.insert(
                "path".into(),
                json!(if duplicate_of.is_none() {
                    Some(rel)
                } else {
                    None
                }),
            );
            m.insert("bytes".into(), json!(d.bytes.len()));
            m.insert("ingested_at".into(), json!(now_iso()));
            m.insert("duplicate_of".into(), json!(duplicate_of));
            m.insert("near_duplicate_of".into(), json!(near));
            m.insert("simhash".into(), json!(hash.map(|h| format!("{h:016x}"))));
            if let Err(e) = writeln!(out, "{rec}") {
                err = Some(format!("cannot write {}: {e}", manifest.display()));
            }
        });
    }
    match err {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The documents of a corpus (entries that are not exact duplicates), read
/// from their stored bytes, as the read stage yields them.
pub fn read_corpus(corpus: &Path, limit: usize, sink: &mut dyn FnMut(Item)) {
    let manifest = corpus.join("manifest.jsonl");
    let f = match std::fs::File::open(&manifest) {
        Ok(f) => f,
        Err(e) => {
            return sink(Item::Failed {
                id: "manifest".into(),
                origin: manifest.display().to_string(),
                message: format!("cannot read the corpus manifest: {e}"),
            });
        }
    };
    for (n, line) in std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .enumerate()
    {
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            sink(Item::Failed {
                id: format!("manifest{}", n + 1),
                origin: format!("{}#{}", manifest.display(), n + 1),
                message: "invalid manifest line".into(),
            });
            continue;
        };
        if !v["duplicate_of"].is_null() {
            continue;
        }
        let id = v["id"].as_str().unwrap_or("").to_string();
        let origin = v["source"].as_str().unwrap_or("").to_string();
        let Some(path) = v["path"].as_str() else {
            continue;
        };
        match std::fs::read(corpus.join(path)) {
            Ok(bytes) if bytes.len() <= limit => sink(Item::Doc(input::RawDoc {
                id,
                origin,
                bytes,
                charset: None,
                published: v["published"].as_str().map(str::to_string),
            })),
            Ok(bytes) => sink(Item::Failed {
                id,
                origin,
                message: format!(
                    "input of {} bytes exceeds the limit of {limit} bytes",
                    bytes.len()
                ),
            }),
            Err(e) => sink(Item::Failed {
                id,
                origin,
                message: format!("cannot read {path}: {e}"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simhash_is_close_for_copies_and_far_for_other_stories() {
        let a = "1月24日,青岛市与乌兹别克斯坦撒马尔罕市在北京签署协议,缔结友好城市关系。双方将在经贸、旅游、教育等领域开展合作。".repeat(3);
        let b = format!("打开APP阅读\n{a}\n责任编辑:张三");
        let c = "聊城市与泰国南邦府、塞尔维亚帕利卢拉市结为友好合作关系城市,并发布倡议。".repeat(3);
        assert!((simhash(&a) ^ simhash(&b)).count_ones() <= NEAR_BITS + 3);
        assert!((simhash(&a) ^ simhash(&c)).count_ones() > 10);
    }
}
