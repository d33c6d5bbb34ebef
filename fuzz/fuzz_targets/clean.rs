#![no_main]
//! Clean any text, as flattened text and wrapped as HTML: no panic; the clean
//! text's char map has one entry per char.
use libfuzzer_sys::fuzz_target;
use zhfacts::pipeline::{Input, Pipeline};

static PIPE: std::sync::LazyLock<Pipeline> = std::sync::LazyLock::new(|| Pipeline::builtin().unwrap());

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for page in [text.to_string(), format!("<html><body>{text}</body></html>")] {
        let input = Input { id: "f".into(), origin: "f".into(), bytes: page.as_bytes(), charset: None, published: None };
        if let Ok(doc) = PIPE.clean(&input) {
            assert_eq!(doc.raw.len(), doc.text.chars().count());
        }
    }
});
