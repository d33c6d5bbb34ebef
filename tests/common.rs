#![allow(dead_code)]
//! Helpers shared by the corpus and contract tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/external` beside the checkout, if present (CI has it; a user's
/// fresh clone may not: such tests print that they were skipped and pass).
pub fn external() -> Option<PathBuf> {
    let p = root().join("../shared/external");
    p.is_dir().then_some(p)
}

/// Bag-of-characters F1 over non-whitespace chars (the measure the peers'
/// figures in the issues use).
pub fn char_f1(got: &str, want: &str) -> f64 {
    let bag = |s: &str| {
        let mut m: HashMap<char, usize> = HashMap::new();
        for c in s.chars().filter(|c| !c.is_whitespace()) {
            *m.entry(c).or_default() += 1;
        }
        m
    };
    let (g, w) = (bag(got), bag(want));
    let overlap: usize = g
        .iter()
        .map(|(c, n)| (*n).min(*w.get(c).unwrap_or(&0)))
        .sum();
    let (ng, nw): (usize, usize) = (g.values().sum(), w.values().sum());
    if ng == 0 || nw == 0 {
        return if ng == nw { 1.0 } else { 0.0 };
    }
    let (p, r) = (overlap as f64 / ng as f64, overlap as f64 / nw as f64);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(root().join("corpus/seeds"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

pub fn read_jsonl(p: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
