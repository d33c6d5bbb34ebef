//! Clean stage against the gold clean texts and doc records of the seeds, and
//! the offset map property (clean chars map to raw bytes that decode to them).

mod common;

use zhfacts::pipeline::{Input, Pipeline};

#[test]
fn seeds_clean_text_and_metadata_match_gold() {
    let pipe = Pipeline::builtin().unwrap();
    let gold = common::read_jsonl(&common::root().join("corpus/gold/seeds.jsonl"));
    for (id, bytes) in common::seeds() {
        let doc = pipe
            .clean(&Input::new(id.clone(), &bytes))
            .unwrap_or_else(|e| panic!("{id}: {}", e.message));
        let want =
            std::fs::read_to_string(common::root().join(format!("corpus/gold/clean/{id}.txt")))
                .unwrap();
        let f1 = common::char_f1(&doc.text, &want);
        eprintln!("{id}: char F1 {f1:.4}");
        assert!(f1 >= 0.98, "{id}: char F1 {f1:.4}");
        // No pinyin annotation left (a parenthesised toned syllable).
        assert!(
            !doc.text.contains("(guó") && !doc.text.contains("(jié"),
            "{id}"
        );
        let g = gold
            .iter()
            .find(|r| r["type"] == "doc" && r["doc"] == id.as_str())
            .unwrap();
        assert_eq!(doc.meta.title.as_deref(), g["title"].as_str(), "{id} title");
        assert_eq!(
            doc.meta.published.as_deref(),
            g["published"].as_str(),
            "{id} published"
        );
        assert_eq!(
            doc.meta.source.as_deref(),
            g["source"].as_str(),
            "{id} source"
        );
        let script = serde_json::to_value(doc.script).unwrap();
        assert_eq!(script, g["script"], "{id} script");
    }
}

#[test]
fn clean_spans_map_back_to_the_same_raw_text() {
    let pipe = Pipeline::builtin().unwrap();
    for (id, bytes) in common::seeds() {
        let doc = pipe.clean(&Input::new(id.clone(), &bytes)).unwrap();
        for (i, c) in doc.text.chars().enumerate() {
            if c == '\n' {
                continue;
            }
            let (s, e) = doc.raw[i].unwrap_or_else(|| panic!("{id}: char {i} `{c}` unmapped"));
            let raw = std::str::from_utf8(&bytes[s as usize..e as usize]).unwrap();
            assert_eq!(raw, c.to_string(), "{id}: char {i}");
        }
    }
}

#[test]
fn inferred_year_is_recorded() {
    let pipe = Pipeline::builtin().unwrap();
    let (id, bytes) = common::seeds()
        .into_iter()
        .find(|(id, _)| id.starts_with("002"))
        .unwrap();
    let doc = pipe.clean(&Input::new(id.clone(), &bytes)).unwrap();
    assert!(doc.meta.published_inferred);
}
