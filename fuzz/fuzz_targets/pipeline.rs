#![no_main]
//! The whole pipeline on any bytes: a document or an error, never a panic;
//! fact spans lie inside the clean text.
use libfuzzer_sys::fuzz_target;
use zhfacts::pipeline::{Input, Pipeline};

static PIPE: std::sync::LazyLock<Pipeline> = std::sync::LazyLock::new(|| Pipeline::builtin().unwrap());

fuzz_target!(|data: &[u8]| {
    let input = Input { id: "f".into(), origin: "f".into(), bytes: data, charset: None, published: Some("2024-01-25".into()) };
    if let Ok((doc, facts)) = PIPE.process(&input) {
        let n = doc.text.chars().count();
        assert!(facts.iter().all(|f| f.span.1 <= n && f.span.0 < f.span.1));
    }
});
