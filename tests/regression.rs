//! One test per bug found (by the hostile corpus, the external suites or the
//! project's own pages) and fixed. Each names what went wrong.

use zhfacts::pipeline::{Input, Pipeline};

fn pipe() -> &'static Pipeline {
    static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().unwrap())
}

fn process(bytes: &[u8]) -> (zhfacts::doc::Document, Vec<zhfacts::extract::Fact>) {
    pipe()
        .process(&Input::new("r", bytes))
        .map_err(|e| format!("{}: {}", e.stage, e.message))
        .unwrap()
}

fn has(facts: &[zhfacts::extract::Fact], t: &str) -> bool {
    facts.iter().any(|f| f.fact_type == t)
}

/// An 8 MB page on one line took 8 minutes: the whole line was one
/// "sentence" and overlap resolution compared every candidate with every
/// kept fact. Sentences are now cut at commas past 1,600 characters and
/// overlaps are checked in an ordered map.
#[test]
fn run_on_line_is_cut_into_bounded_sentences() {
    let line = "青岛市与撒马尔罕市缔结友好城市关系,".repeat(4000);
    let (_, facts) = process(format!("标题\n{line}").as_bytes());
    assert!(has(&facts, "partnership"));
    let max = zhfacts::segment::MAX_SENTENCE_CHARS;
    assert!(
        facts
            .iter()
            .all(|f| f.sentence.1 - f.sentence.0 <= 4 * max + 1)
    );
}

/// HTML nested 100,000 deep took 53 s inside html5ever (each start tag scans
/// the open-element stack). Deeper than `MAX_DEPTH` the tags are stripped.
#[test]
fn deeply_nested_html_is_read_as_text() {
    let page = format!(
        "<html><body>{}<p>标题</p><p>2024年1月24日,青岛市与撒马尔罕市缔结友好城市关系。</p>{}</body></html>",
        "<div>".repeat(zhfacts::clean::html::MAX_DEPTH + 10),
        "</div>".repeat(zhfacts::clean::html::MAX_DEPTH + 10)
    );
    assert!(zhfacts::clean::html::nesting_depth(&page) > zhfacts::clean::html::MAX_DEPTH);
    let (_, facts) = process(page.as_bytes());
    assert!(has(&facts, "partnership"));
}

/// A short Big5 page cut inside its last character was detected as GB18030
/// (the lone lead byte made Big5 look wrong) and came out as mojibake.
#[test]
fn truncated_big5_is_still_big5() {
    let (b5, _, _) =
        encoding_rs::BIG5.encode("青島結好\n2024年1月24日,青島市與撒馬爾罕市締結友好城市關係。");
    let (doc, _) = process(&b5[..b5.len() - 1]);
    assert_eq!(doc.encoding, "big5");
    assert!(doc.text.contains("撒馬爾罕"));
}

/// A body line that opens with a date (2024年1月24日,青岛市与…) lost its
/// final 。 to truncation and was taken for a dated header line.
#[test]
fn a_dated_clause_is_body_not_header() {
    let (doc, facts) =
        process("青岛结好\n2024年1月24日,青岛市与撒马尔罕市缔结友好城市关系".as_bytes());
    assert!(doc.text.contains("缔结友好城市关系"));
    assert!(has(&facts, "partnership"));
}

/// `2019-09-05T11:10:52` in a meta tag lost its time: the date-time pattern
/// did not accept the ISO `T` between date and time.
#[test]
fn iso_meta_times_keep_their_time() {
    assert_eq!(
        zhfacts::clean::html::normalise_datetime("2019-09-05T11:10:52").as_deref(),
        Some("2019-09-05T11:10:52")
    );
}

/// ASP.NET pages wrap the whole page in one `<form>`; dropping forms as
/// furniture left "no text after cleaning".
#[test]
fn a_page_inside_a_form_keeps_its_text() {
    let page = "<html><body><form id=\"Form1\"><div><p>标题</p><p>2024年1月24日,青岛市与撒马尔罕市缔结友好城市关系。</p></div></form></body></html>";
    let (_, facts) = process(page.as_bytes());
    assert!(has(&facts, "partnership"));
}

/// 姊妹市 (Taiwan's word for sister city) was read as a place named by its
/// shape (姊妹 + 市), which swallowed the relation noun.
#[test]
fn relation_nouns_are_not_place_names() {
    let (_, facts) = process("标题\n台中市與美國聖地牙哥市於1983年締結姊妹市。".as_bytes());
    assert!(has(&facts, "partnership"));
}

/// Found by the `pipeline` fuzz target: a 4-byte hanzi (𫗬, CJK extension)
/// right before an administrative suffix made the generic-noun check slice
/// the sentence inside that char and panic.
#[test]
fn a_wide_hanzi_before_a_suffix_does_not_panic() {
    let (_, facts) = process("标题\n聊城市代表团先后赴𫗬市访问,与其缔结友好城市关系。".as_bytes());
    let _ = facts;
    let crash = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/fuzz-crash-pipeline-1.txt"
    ))
    .unwrap();
    let _ = process(&crash);
}

#[test]
fn an_html_pages_outlet_after_its_shown_date_is_the_source() {
    // The date line is page furniture the HTML stage drops; its outlet
    // still names the source. A Latin word there (AM, by) is none.
    let page = |line: &str| {
        format!(
            "<html><head><title>深圳与海法市签署备忘录_深圳新闻网</title></head><body>\
             <h1>深圳与海法市签署备忘录</h1><p class=\"src\">{line}</p>\
             <div><p>6月15日下午,深圳市与以色列海法市友好交流合作备忘录签约仪式在深圳市民中心举行。\
             深圳市副市长与海法市市长分别代表两市签署备忘录。</p></div></body></html>"
        )
    };
    let (doc, _) = process(page("2023-06-16 15:02 深圳新闻网").as_bytes());
    assert_eq!(doc.meta.source.as_deref(), Some("深圳新闻网"));
    let (doc, _) = process(page("2023-06-16 10:30 AM").as_bytes());
    assert_eq!(doc.meta.source, None);
}

/// A university's own news page says 我校 and names the university only in
/// its site name (<title> …-浙江海洋大学新闻网); and a bare later mention of
/// the foreign partner (釜庆大学是…) is not the home institution.
#[test]
fn our_school_is_the_site_when_the_text_never_names_it() {
    let page = "<html><head><meta charset=\"utf-8\"><title>我校与韩国釜庆大学签署合作协议-浙江海洋大学新闻网</title></head><body>\
        <h2>我校与韩国釜庆大学签署合作协议</h2>\
        <p>6月11日，我校与韩国釜庆大学签署校际交流合作协议。</p>\
        <p>釜庆大学是韩国以海洋水产为特色的大学。</p></body></html>";
    let (doc, facts) = process(page.as_bytes());
    assert_eq!(doc.meta.site.as_deref(), Some("浙江海洋大学新闻网"));
    let names: Vec<String> = facts
        .iter()
        .filter(|f| f.fact_type == "agreement")
        .flat_map(|f| f.fields["parties"].as_array().unwrap().clone())
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"浙江海洋大学".to_string()), "{names:?}");
    assert!(names.contains(&"釜庆大学".to_string()), "{names:?}");
}
