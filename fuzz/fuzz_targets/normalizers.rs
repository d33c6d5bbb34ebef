#![no_main]
//! Numeral and date normalisers on any phrase: no panic.
use libfuzzer_sys::fuzz_target;
use zhfacts::extract::dates::Prefer;
use zhfacts::extract::normalize::{Kind, phrase};

static EX: std::sync::LazyLock<zhfacts::extract::Extractor> =
    std::sync::LazyLock::new(|| zhfacts::extract::Extractor::builtin().unwrap());

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let _ = zhfacts::extract::numbers::parse_number(&s);
    for k in [Kind::Date, Kind::Count] {
        let _ = phrase(&EX, k, &s, Prefer::Past, Some("2024-01-25"));
    }
});
