//! The external main-content set (`../shared/external/boilerplate`, 96 Chinese
//! pages from public extraction benchmarks): the clean stage's body text
//! against the reference body (bag-of-characters F1, the measure the peers'
//! figures use) on the `human` and `regression` tiers, and the published date
//! at the reference's precision. Prints one line per page. Skipped (and
//! passing) where `../shared` is absent.

mod common;

use std::time::Instant;

use serde_json::Value;
use zhfacts::pipeline::{Input, Pipeline};

/// The numeric fields of a date string (`2005-5-7 21:23:57`, `2003-5`,
/// `2018年3月2日`), at most year..minute: the contract's finest grain.
fn fields(s: &str) -> Vec<u32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty())
        .filter_map(|x| x.parse().ok())
        .take(5)
        .collect()
}

#[test]
fn boilerplate_suite_body_and_date() {
    let Some(ext) = common::external() else {
        eprintln!("skipped: ../shared/external is absent");
        return;
    };
    let dir = ext.join("boilerplate");
    let pipe = Pipeline::builtin().unwrap();
    let mut f1s = Vec::new();
    let (mut dates_ok, mut dates_n) = (0, 0);
    let mut pages = 0;
    let t0 = Instant::now();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    names.sort();
    for html in names {
        let id = html.file_stem().unwrap().to_string_lossy().to_string();
        let reference: Value =
            serde_json::from_str(&std::fs::read_to_string(html.with_extension("json")).unwrap())
                .unwrap();
        let bytes = std::fs::read(&html).unwrap();
        pages += 1;
        let doc = pipe.clean(&Input {
            id: id.clone(),
            origin: html.display().to_string(),
            bytes: &bytes,
            charset: None,
            published: None,
        });
        let tier = reference["gt_quality"].as_str().unwrap_or("");
        let (text, published) = match &doc {
            Ok(d) => (d.text.clone(), d.meta.published.clone()),
            Err(_) => (String::new(), None),
        };
        // The clean text's first line is the title; the reference body has none.
        let body = text.split_once('\n').map_or("", |x| x.1);
        let mut line = format!("{id} {tier:<14}");
        if let (Some(want), true) = (
            reference["body"].as_str(),
            matches!(tier, "human" | "regression"),
        ) {
            let f1 = common::char_f1(body, want).max(common::char_f1(&text, want));
            line += &format!(" body F1 {f1:.3}");
            f1s.push(f1);
        }
        if let Some(want) = reference["published"].as_str() {
            let w = fields(want);
            let g = published.as_deref().map(fields).unwrap_or_default();
            let ok = !w.is_empty() && g.len() >= w.len() && g[..w.len()] == w[..];
            dates_n += 1;
            dates_ok += ok as usize;
            line += &format!(
                " date {} (want {want}, got {})",
                if ok { "ok" } else { "MISS" },
                published.as_deref().unwrap_or("-")
            );
        }
        if let Err(e) = &doc {
            line += &format!(" ERROR {}", e.message);
        }
        eprintln!("{line}");
    }
    let secs = t0.elapsed().as_secs_f64();
    let mean = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
    let acc = dates_ok as f64 / dates_n.max(1) as f64;
    eprintln!(
        "body char-F1 mean {mean:.3} over {} pages; published accuracy {acc:.3} ({dates_ok}/{dates_n}); {pages} pages in {secs:.2} s",
        f1s.len()
    );
    // Floors: what was measured when this test was written; raise, never lower.
    assert!(mean >= 0.92, "mean body F1 {mean:.3}");
    assert!(acc >= 0.80, "published accuracy {acc:.3}");
}
