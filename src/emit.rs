//! Emit stage: documents, facts and errors as JSON Lines records (see FACTS.md).

use serde_json::{Map, Value, json};

use crate::doc::Document;
use crate::error::Stage;
use crate::extract::Fact;

pub fn doc_record(doc: &Document, with_text: bool) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!("doc"));
    m.insert("doc".into(), json!(doc.id));
    m.insert("title".into(), json!(doc.meta.title));
    m.insert("published".into(), json!(doc.meta.published));
    if doc.meta.published_inferred {
        m.insert("published_inferred".into(), json!(true));
    }
    m.insert("source".into(), json!(doc.meta.source));
    m.insert("script".into(), json!(doc.script));
    m.insert("encoding".into(), json!(doc.encoding));
    m.insert("bytes".into(), json!(doc.bytes));
    m.insert("chars".into(), json!(doc.chars()));
    m.insert("removed".into(), json!(doc.removed));
    if with_text {
        m.insert("text".into(), json!(doc.text));
    }
    Value::Object(m)
}

pub fn fact_record(doc: &Document, f: &Fact) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!(f.fact_type));
    m.insert("doc".into(), json!(doc.id));
    for (k, v) in &f.fields {
        m.insert(k.clone(), v.clone());
    }
    m.insert("text".into(), json!(doc.slice(f.span.0, f.span.1)));
    m.insert("span".into(), json!([f.span.0, f.span.1]));
    m.insert(
        "raw".into(),
        doc.raw_range(f.span.0, f.span.1)
            .map_or(Value::Null, |(s, e)| json!([s, e])),
    );
    m.insert(
        "sentence".into(),
        json!(doc.slice(f.sentence.0, f.sentence.1)),
    );
    m.insert("rule".into(), json!(f.rule));
    if f.mentions.len() > 1 {
        m.insert(
            "mentions".into(),
            json!(f.mentions.iter().map(|(s, e)| [s, e]).collect::<Vec<_>>()),
        );
    }
    Value::Object(m)
}

pub fn error_record(doc: &str, source: &str, stage: Stage, message: &str) -> Value {
    json!({"type": "error", "doc": doc, "source": source, "stage": stage, "message": message})
}
