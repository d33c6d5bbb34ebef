//! Hostile inputs: each yields a doc or a clear error, never a panic, and a bad
//! page never changes another page's output.

use zhfacts::pipeline::{Input, Pipeline};

fn run(bytes: &[u8]) -> Result<usize, String> {
    let pipe = Pipeline::builtin().unwrap();
    let input = Input {
        id: "x".into(),
        origin: "x".into(),
        bytes,
        charset: None,
        published: None,
    };
    pipe.process(&input)
        .map(|(_, f)| f.len())
        .map_err(|e| format!("{}: {}", e.stage, e.message))
}

#[test]
fn empty_binary_and_truncated_inputs_give_errors_or_docs() {
    assert!(run(b"").unwrap_err().contains("empty"));
    assert!(
        run(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0")
            .unwrap_err()
            .contains("PNG")
    );
    assert!(run(b"\0\0\0\0\0\0\0\0abc\0\0\0").is_err());
    let mut t = "2024年1月24日,青岛市与撒马尔罕市缔结友好城市关系。"
        .as_bytes()
        .to_vec();
    t.pop();
    let _ = run(&t); // a doc or an error record, never a panic
    let (gbk, _, _) =
        encoding_rs::GBK.encode("青岛结好\n2024年1月24日,青岛市与撒马尔罕市缔结友好城市关系。");
    let _ = run(&gbk[..gbk.len() - 1]);
}

#[test]
fn long_enumeration_and_deep_html_finish() {
    let names: Vec<String> = (0..500)
        .map(|i| format!("甲{}市", "乙".repeat(i % 7 + 1)))
        .collect();
    let s = format!("标题\n青岛市与{}结为友好城市。", names.join("、"));
    assert!(run(s.as_bytes()).is_ok());
    let deep = format!(
        "<html><body>{}青岛市与撒马尔罕市结为友好城市。{}</body></html>",
        "<div>".repeat(5000),
        "</div>".repeat(5000)
    );
    let _ = run(deep.as_bytes());
    let many_p = format!("<html><body>{}</body></html>", "<p>字</p>".repeat(10_000));
    let _ = run(many_p.as_bytes());
}

#[test]
fn a_bad_page_does_not_change_a_good_one() {
    let good = "标题\n1月24日,青岛市与乌兹别克斯坦撒马尔罕市在北京签署协议,缔结友好城市关系。\n"
        .as_bytes();
    let a = run(good).unwrap();
    let _ = run(b"\xff\xfe\x00\xd8");
    assert_eq!(run(good).unwrap(), a);
}
