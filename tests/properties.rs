//! Bounded property-based runs (proptest) of the entry points the fuzz
//! targets exercise: decode, clean (text and HTML), the pattern compiler, the
//! numeral and date normalisers, and the whole pipeline. CI runs them on every
//! change; `fuzz/` runs the same entry points unbounded.

use proptest::prelude::*;
use zhfacts::extract::Extractor;
use zhfacts::pipeline::{Input, Pipeline};

fn pipe() -> &'static Pipeline {
    static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().unwrap())
}

/// Text that looks like the pages: hanzi, digits, punctuation, markup, pinyin.
fn pagey() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "青岛市",
        "与",
        "乌兹别克斯坦",
        "撒马尔罕市",
        "缔结",
        "友好城市",
        "关系",
        "签署",
        "协议",
        "2024年",
        "1月24日",
        "12个",
        "国家",
        "余",
        "、",
        ",",
        "。",
        "\n",
        "(guó)",
        "<p>",
        "</p>",
        "<div class=\"comment\">",
        "</div>",
        "“",
        "”",
        "《",
        "》",
        "两市",
        "等",
        "结好",
        "今年",
        "去年",
        "第",
        "周年",
        "\u{FFFD}",
        "\u{E000}",
        "a",
        " ",
    ]);
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Any bytes: decoding never panics, and every char maps to a byte range
    /// inside the input.
    #[test]
    fn decode_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let d = zhfacts::decode::decode(&bytes, None);
        prop_assert_eq!(d.starts.len(), d.text.chars().count() + 1);
        prop_assert!(d.starts.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(*d.starts.last().unwrap() as usize <= bytes.len());
    }

    /// Any bytes through the whole pipeline: a doc or an error, never a panic;
    /// every fact's span lies inside the clean text.
    #[test]
    fn pipeline_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let input = Input::new("p", &bytes);
        if let Ok((doc, facts)) = pipe().process(&input) {
            let n = doc.text.chars().count();
            prop_assert!(facts.iter().all(|f| f.span.0 < f.span.1 && f.span.1 <= n));
        }
    }

    /// Page-like text (plain or HTML): clean and extract; spans and raw
    /// ranges are consistent with the text they point into.
    #[test]
    fn pipeline_pagey_text(text in pagey()) {
        let input = Input { id: "p".into(), origin: "p".into(), bytes: text.as_bytes(), charset: None, published: Some("2024-01-25".into()) };
        if let Ok((doc, facts)) = pipe().process(&input) {
            let n = doc.text.chars().count();
            for f in &facts {
                prop_assert!(f.span.1 <= n && f.sentence.0 <= f.span.0 && f.span.1 <= f.sentence.1);
                // A raw range, when there is one, holds bytes of the input.
                if let Some((s, e)) = doc.raw[f.span.0] {
                    prop_assert!(s < e && e as usize <= text.len());
                }
            }
        }
    }

    /// The pattern compiler: arbitrary pattern text is compiled or refused
    /// with an error naming the file and rule; never a panic.
    #[test]
    fn pattern_compiler_any_pattern(pat in "[a-z(){}\\[\\]*+?|\\\\p{}H一二.]{0,40}") {
        let src = format!(
            "schema = 1\n[[rule]]\nid = \"r\"\ntype = \"date\"\npattern = '''{pat}'''\nnormalizer = \"date\"\n[[rule.example]]\ntext = \"x\"\nexpect = []\n"
        );
        let mut srcs = zhfacts::extract::rules::Sources::builtin();
        srcs.files.retain(|(p, _)| !p.starts_with("dates/") && !p.starts_with("counts/") && !p.starts_with("relations/"));
        srcs.files.push(("dates/fuzz.toml".into(), src));
        if let Err(e) = Extractor::from_sources(&srcs) {
            let m = e.to_string();
            prop_assert!(m.contains("dates/fuzz.toml"), "{}", m);
        }
    }

    /// Numerals: never a panic; Arabic integers read back exactly.
    #[test]
    fn numerals(s in "[0-9一二两三四五六七八九十百千万亿零〇点.负-]{0,12}", n in 0u64..10_000_000) {
        let _ = zhfacts::extract::numbers::parse_number(&s);
        prop_assert_eq!(zhfacts::extract::numbers::parse_number(&n.to_string()), Some(n as f64));
    }

    /// Dates: any month/day pair resolves to a valid calendar date or none.
    #[test]
    fn date_resolution(m in 0u32..15, d in 0u32..35, y in 1990i32..2030) {
        use zhfacts::extract::dates::{resolve, DateParts, Prefer, RefDate};
        let (ms, ds) = (m.to_string(), d.to_string());
        let p = DateParts { month: Some(&ms), day: Some(&ds), ..Default::default() };
        let r = RefDate::parse(&format!("{y:04}-06-15"));
        if let Some(v) = resolve(&p, r, Prefer::Past) {
            prop_assert!((1..=12).contains(&m) && (1..=31).contains(&d), "{:?}", v);
            prop_assert_eq!(v.value.len(), 10);
        }
    }
}
