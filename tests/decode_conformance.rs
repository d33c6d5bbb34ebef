//! Decoding conformance: the external boilerplate pages (true encoding in their
//! JSON), the seeds, and the seeds re-encoded as GBK, Big5 and UTF-16.

mod common;

use encoding_rs::{BIG5, GBK, UTF_16BE, UTF_16LE};
use zhfacts::decode::decode;

#[test]
fn external_pages_decode_to_the_right_encoding_family() {
    let Some(ext) = common::external() else {
        eprintln!("skipped: ../shared/external is absent");
        return;
    };
    let dir = ext.join("boilerplate");
    let (mut right, mut total) = (0, 0);
    let mut wrong = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) != Some("html") {
            continue;
        }
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap())
                .unwrap();
        let want = meta["encoding"].as_str().unwrap().to_string();
        let d = decode(&std::fs::read(&p).unwrap(), None);
        total += 1;
        if d.encoding_name() == want {
            right += 1;
        } else {
            wrong.push(format!(
                "{}: {} (want {want})",
                p.display(),
                d.encoding_name()
            ));
        }
    }
    eprintln!("decode conformance: {right}/{total} right; wrong: {wrong:?}");
    assert_eq!(total, 96);
    assert!(right >= 95, "only {right}/96: {wrong:?}");
}

#[test]
fn seeds_decode_as_utf8_without_replacements() {
    for (id, bytes) in common::seeds() {
        let d = decode(&bytes, None);
        assert_eq!(d.encoding_name(), "utf-8", "{id}");
        assert_eq!(d.replacements, 0, "{id}");
    }
}

#[test]
fn seeds_reencoded_round_trip() {
    for (id, bytes) in common::seeds() {
        let text = String::from_utf8(bytes).unwrap();
        // GBK cannot hold every char of every page: keep the ones it can.
        let (gbk, _, _) = GBK.encode(&text);
        let d = decode(&gbk, None);
        assert_eq!(d.encoding_name(), "gb18030", "{id} as GBK");
        let trad = hanconv::s2t(&text);
        let (b5, _, lossy) = BIG5.encode(&trad);
        if !lossy {
            assert_eq!(decode(&b5, None).encoding_name(), "big5", "{id} as Big5");
        } else {
            let d = decode(&b5, None);
            assert!(
                matches!(d.encoding_name().as_str(), "big5" | "gb18030"),
                "{id}: {}",
                d.encoding_name()
            );
        }
        for (enc, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let mut raw = bom.to_vec();
            for u in text.encode_utf16() {
                let b = if enc == UTF_16LE {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                raw.extend_from_slice(&b);
            }
            let d = decode(&raw, None);
            assert_eq!(d.encoding, enc, "{id}");
            assert_eq!(d.text, text, "{id}");
        }
    }
}
