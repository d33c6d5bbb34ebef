//! Extraction accuracy on the bundled seeds, scored by the contract's rules.
//! Floors only rise: they are the figures measured when the test was written.

mod common;

use zhfacts::pipeline::{Input, Pipeline};

/// Doc and fact records of the pages, as `zhfacts extract` writes them.
fn predict(pages: Vec<(String, Vec<u8>)>) -> Vec<serde_json::Value> {
    let pipe = Pipeline::builtin().unwrap();
    let mut pred = Vec::new();
    for (id, bytes) in pages {
        let input = Input::new(id.clone(), &bytes);
        let (doc, facts) = pipe.process(&input).map_err(|e| e.message).unwrap();
        pred.push(zhfacts::emit::doc_record(&doc, false));
        pred.extend(facts.iter().map(|f| zhfacts::emit::fact_record(&doc, f)));
    }
    pred
}

#[test]
fn seed_accuracy_holds_its_floor() {
    let pred = predict(common::seeds());
    let gold = common::read_jsonl(&common::root().join("corpus/gold/seeds.jsonl"));
    let rep = zhfacts::score::score(&gold, &pred);
    eprintln!("{}", rep.to_table());
    let f = |t: &str| rep.by_type.get(t).map(|p| p.f1()).unwrap_or(0.0);
    assert!(f("date") >= 0.95, "date F1 {}", f("date"));
    assert!(f("count") >= 0.99, "count F1 {}", f("count"));
    assert!(
        f("partnership") >= 0.95,
        "partnership F1 {}",
        f("partnership")
    );
    assert!(f("agreement") >= 0.95, "agreement F1 {}", f("agreement"));
    // Attribute floors among paired facts, as measured; they only rise.
    let acc = |k: &str| {
        let (a, b) = k.split_once('.').unwrap();
        let (c, n) = rep.attrs[&(a.to_string(), b.to_string())];
        c as f64 / n as f64
    };
    for (k, floor) in [
        ("partnership.relation", 0.88),
        ("partnership.date", 0.97),
        ("agreement.date", 0.95),
        ("date.anchor", 0.97),
        ("count.approx", 0.97),
        ("count.counted", 0.75),
    ] {
        assert!(acc(k) >= floor, "{k} {} < {floor}", acc(k));
    }
}

/// The project's own hand-annotated pages (`corpus/own`, other outlets,
/// phrasings and encodings than the seeds; see `corpus/gold/own/NOTES.md`).
#[test]
fn own_pages_accuracy_holds_its_floor() {
    let mut files: Vec<_> = std::fs::read_dir(common::root().join("corpus/own"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let pred = predict(
        files
            .iter()
            .map(|p| {
                let id = p.file_stem().unwrap().to_string_lossy().to_string();
                (id, std::fs::read(p).unwrap())
            })
            .collect(),
    );
    let gold = common::read_jsonl(&common::root().join("corpus/gold/own.jsonl"));
    let rep = zhfacts::score::score(&gold, &pred);
    eprintln!("{}", rep.to_table());
    assert!(rep.micro().f1() >= 0.97, "micro F1 {}", rep.micro().f1());
    // Doc records: title, published, source, script as annotated.
    for g in gold.iter().filter(|r| r["type"] == "doc") {
        let p = pred
            .iter()
            .find(|r| r["type"] == "doc" && r["doc"] == g["doc"])
            .unwrap();
        for k in ["title", "published", "source", "script"] {
            assert_eq!(p[k], g[k], "{} {k}", g["doc"]);
        }
    }
}

#[test]
fn every_fact_carries_provenance() {
    let pipe = Pipeline::builtin().unwrap();
    for (id, bytes) in common::seeds() {
        let input = Input::new(id.clone(), &bytes);
        let (doc, facts) = pipe.process(&input).map_err(|e| e.message).unwrap();
        for f in &facts {
            let r = zhfacts::emit::fact_record(&doc, f);
            let text = r["text"].as_str().unwrap();
            assert!(!text.is_empty());
            assert!(r["sentence"].as_str().unwrap().contains(text), "{id}: {r}");
            assert!(r["rule"].as_str().unwrap().contains('.'));
            // The raw bytes of the span decode to the surface text.
            let raw = r["raw"].as_array().unwrap();
            let (s, e) = (
                raw[0].as_u64().unwrap() as usize,
                raw[1].as_u64().unwrap() as usize,
            );
            let surface = String::from_utf8_lossy(&bytes[s..e]);
            let chars: String = surface
                .chars()
                .filter(|c| !c.is_ascii_lowercase() && !"()āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(*c))
                .collect();
            let want: String = text.chars().filter(|c| !c.is_ascii_lowercase()).collect();
            assert_eq!(
                chars.replace(['\n'], ""),
                want,
                "{id}: raw {s}..{e} for `{text}`"
            );
        }
    }
}
