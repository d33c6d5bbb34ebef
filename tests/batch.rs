//! Batch contract, through the real binary: on a mixed corpus (good pages,
//! empty, binary, truncated, oversized, gzip, a JSONL dump with bad lines, a
//! WARC archive whose record lies about its length) every input document
//! yields exactly one `doc` or `error` record, the summary adds up, the good
//! pages' output is the same with and without the bad ones, and `--resume`
//! after an interruption neither duplicates nor skips a document.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhfacts"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zhfacts-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn records(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn extract(args: &[&str]) -> Vec<Value> {
    let out = bin().arg("extract").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    records(&String::from_utf8(out.stdout).unwrap())
}

/// Records of the documents whose id is in `ids`, in order.
fn of_docs(recs: &[Value], ids: &[String]) -> Vec<Value> {
    recs.iter()
        .filter(|r| {
            r["doc"]
                .as_str()
                .is_some_and(|d| ids.iter().any(|i| i == d))
        })
        .cloned()
        .collect()
}

fn write_good(dir: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    for (id, bytes) in common::seeds() {
        std::fs::write(dir.join(format!("{id}.txt")), bytes).unwrap();
        ids.push(id);
    }
    ids
}

#[test]
fn every_document_yields_one_record_and_bad_ones_change_nothing() {
    let good = tmp("good");
    let ids = write_good(&good);
    let mixed = tmp("mixed");
    write_good(&mixed);
    let seed0 = common::seeds().remove(0).1;
    std::fs::write(mixed.join("empty.txt"), b"").unwrap();
    std::fs::write(
        mixed.join("image.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    )
    .unwrap();
    let gbk = encoding_rs::GBK
        .encode("青岛市与撒马尔罕市缔结友好城市关系。")
        .0;
    std::fs::write(mixed.join("truncated_gbk.txt"), &gbk[..gbk.len() - 1]).unwrap();
    std::fs::write(mixed.join("oversized.txt"), vec![b'a'; 3 << 20]).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&seed0).unwrap();
    std::fs::write(mixed.join("zipped.txt.gz"), gz.finish().unwrap()).unwrap();
    // JSONL: 2 good records, 1 invalid line, 1 record without a body.
    let text = String::from_utf8_lossy(&seed0).to_string();
    let jl = format!(
        "{}\n{{broken\n{}\n{{\"id\":\"nobody\"}}\n",
        serde_json::json!({"id": "j1", "text": text, "url": "http://x/1"}),
        serde_json::json!({"id": "j2", "html": "<html><body><p>2024年1月24日,青岛市与撒马尔罕市缔结友好城市关系。</p></body></html>"})
    );
    std::fs::write(mixed.join("dump.jsonl"), jl).unwrap();
    // WARC: a good response, one whose Content-Length lies, another good one.
    let rec = |uri: &str, body: &str, lie: bool| {
        let http =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
        let len = if lie { http.len() - 10 } else { http.len() };
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <{uri}>\r\nWARC-Target-URI: {uri}\r\nContent-Length: {len}\r\n\r\n{http}\r\n\r\n"
        )
    };
    let page = "<html><body><p>2023年5月,济南市与德国奥格斯堡市结为友好城市。</p></body></html>";
    let warc =
        rec("urn:w1", page, false) + &rec("urn:w2", page, true) + &rec("urn:w3", page, false);
    std::fs::write(mixed.join("crawl.warc"), warc).unwrap();
    // Documents: 5 seeds + empty + png + truncated + oversized + gz + 4 JSONL
    // lines that are not blank + 3 WARC records.
    let expected_docs = 5 + 4 + 1 + 4 + 3;

    let all = extract(&[
        mixed.to_str().unwrap(),
        "--max-bytes",
        "1000000",
        "--summary",
        "--jobs",
        "2",
    ]);
    let heads: Vec<&Value> = all
        .iter()
        .filter(|r| r["type"] == "doc" || r["type"] == "error")
        .collect();
    assert_eq!(heads.len(), expected_docs, "{heads:#?}");
    let summary = all.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["documents"], expected_docs);
    assert_eq!(
        summary["ok"].as_u64().unwrap() + summary["errors"].as_u64().unwrap(),
        expected_docs as u64
    );
    let n_facts: u64 = summary["facts"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(n_facts as usize, all.len() - heads.len() - 1);
    let errors: Vec<&Value> = all.iter().filter(|r| r["type"] == "error").collect();
    for e in &errors {
        assert!(e["stage"].is_string() && e["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let err = |id: &str| errors.iter().any(|e| e["doc"] == id);
    assert!(err("empty") && err("image") && err("oversized") && err("nobody") && err("urn:w2"));
    for ok in ["zipped", "j1", "j2", "urn:w1", "urn:w3"] {
        assert!(
            all.iter().any(|r| r["type"] == "doc" && r["doc"] == ok),
            "{ok}"
        );
    }
    // The WARC pages' facts survive the lying record between them.
    assert!(
        all.iter()
            .any(|r| r["type"] == "partnership" && r["doc"] == "urn:w3")
    );

    let alone = extract(&[good.to_str().unwrap()]);
    assert_eq!(of_docs(&all, &ids), alone);
}

#[test]
fn resume_neither_duplicates_nor_skips() {
    let dir = tmp("resume");
    write_good(&dir);
    // Pages that fail (at the read stage: too large; later: empty) stay one
    // error record each across the resume.
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(dir.join("-huge.txt"), vec![b'a'; 2 << 20]).unwrap();
    let out = dir.join("out.jsonl");
    let full = extract(&[dir.to_str().unwrap(), "--max-bytes", "1000000"]);
    assert!(
        full.iter()
            .any(|r| r["doc"] == "-huge" && r["stage"] == "read")
    );
    // Interrupt: keep the first two documents and a torn piece of the third.
    let text: String = full.iter().map(|r| format!("{r}\n")).collect();
    let third = full
        .iter()
        .enumerate()
        .filter(|(_, r)| r["type"] == "doc")
        .nth(2)
        .map(|(i, _)| i)
        .unwrap();
    let keep: String = full[..third + 2].iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&out, format!("{keep}{{\"type\":\"cou")).unwrap();
    let o = bin()
        .args([
            "extract",
            dir.to_str().unwrap(),
            "--max-bytes",
            "1000000",
            "--exclude",
            "out.jsonl",
            "-o",
        ])
        .arg(&out)
        .arg("--resume")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}

/// `zhfacts … | head`: a reader that stops early ends the run quietly (exit
/// 0, no panic), for every command that writes to standard output.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let root = env!("CARGO_MANIFEST_DIR");
    let page = format!("{root}/corpus/seeds/002_de2f5222ebd94eff.txt");
    let seeds = format!("{root}/corpus/seeds");
    for args in [
        vec!["extract", seeds.as_str()],
        vec!["clean", page.as_str()],
    ] {
        let mut child = bin()
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the run has loaded its patterns, so before any write.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
