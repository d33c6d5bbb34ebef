#![no_main]
//! Compile any rule file: an error that names the file, never a panic.
use libfuzzer_sys::fuzz_target;
use zhfacts::extract::{Extractor, rules::Sources};

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data).to_string();
    let mut srcs = Sources::builtin();
    srcs.files.retain(|(p, _)| p.starts_with("lexicon/") || p == "macros.toml");
    srcs.files.push(("dates/fuzz.toml".into(), src));
    if let Err(e) = Extractor::from_sources(&srcs) {
        assert!(!e.to_string().is_empty());
    }
});
