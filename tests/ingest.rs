//! `zhfacts ingest`: manifest fields, exact and near duplicates reported (not
//! dropped), idempotent re-ingestion, and `extract --corpus` over the result.

mod common;

use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhfacts"))
}

fn manifest(dir: &std::path::Path) -> Vec<Value> {
    common::read_jsonl(&dir.join("manifest.jsonl"))
}

#[test]
fn ingest_reports_duplicates_and_is_idempotent() {
    let root = std::env::temp_dir().join(format!("zhfacts-ingest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let seeds = common::seeds();
    for (id, b) in &seeds {
        std::fs::write(src.join(format!("{id}.txt")), b).unwrap();
    }
    // An exact copy under another name, and a syndicated copy of seed 002
    // with different page furniture around the same story.
    std::fs::write(src.join("copy.txt"), &seeds[0].1).unwrap();
    let story = String::from_utf8(seeds[2].1.clone()).unwrap();
    std::fs::write(
        src.join("syndicated.txt"),
        format!("打开APP,阅读更多\n{story}\n分享到:微信"),
    )
    .unwrap();
    let corpus = root.join("corpus");
    let run = || {
        let o = bin()
            .args([
                "ingest",
                src.to_str().unwrap(),
                "--corpus",
                corpus.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run();
    let m = manifest(&corpus);
    assert_eq!(m.len(), 7);
    for r in &m {
        for k in [
            "id",
            "sha256",
            "source",
            "encoding",
            "bytes",
            "title",
            "published",
            "ingested_at",
            "duplicate_of",
            "near_duplicate_of",
        ] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
    }
    let by_id = |id: &str| m.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(by_id("copy")["duplicate_of"], seeds[0].0.as_str());
    assert!(
        by_id("copy")["path"].is_null(),
        "an exact duplicate is not stored twice"
    );
    assert_eq!(
        by_id("syndicated")["near_duplicate_of"],
        seeds[2].0.as_str()
    );
    assert!(by_id(&seeds[1].0)["near_duplicate_of"].is_null());
    // Idempotent.
    run();
    assert_eq!(manifest(&corpus).len(), 7);
    // Extraction over the corpus: every page but the exact copy.
    let o = bin()
        .args(["extract", "--corpus", corpus.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success());
    let docs: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &Value| r["type"] == "doc")
        .collect();
    assert_eq!(docs.len(), 6);
}
