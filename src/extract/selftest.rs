//! Pattern examples as tests: every `[[rule.example]]` must yield its expected
//! facts (of the rule's type, from that rule or a better one), every
//! `[[rule.negative]]` none of the rule's own.

use serde_json::Value;

use super::{Extractor, Options};
use crate::decode;
use crate::doc::{Document, Meta, Removed, Script, char_byte_offsets};

/// A one-line document for an example sentence.
pub fn example_doc(text: &str, reference: Option<&str>) -> Document {
    let n = text.chars().count();
    Document {
        id: "example".into(),
        origin: "example".into(),
        bytes: text.len(),
        encoding: decode::encoding_label(encoding_rs::UTF_8),
        meta: Meta {
            published: reference.map(str::to_string),
            ..Default::default()
        },
        script: Script::Hans,
        removed: Removed::default(),
        char_byte: char_byte_offsets(text),
        text: text.to_string(),
        raw: (0..n).map(|_| None).collect(),
        garbled: vec![],
    }
}

fn field_matches(expected: &toml::Value, got: Option<&Value>) -> bool {
    let want: Value = serde_json::to_value(expected).unwrap_or(Value::Null);
    match (&want, got) {
        (Value::String(s), _) if s == "null" => got.is_none_or(Value::is_null),
        (Value::Number(a), Some(Value::Number(b))) => {
            (a.as_f64().unwrap_or(f64::NAN) - b.as_f64().unwrap_or(f64::NAN)).abs() < 1e-9
        }
        (w, Some(g)) => w == g,
        _ => false,
    }
}

/// Run every example; returns one message per failure.
pub fn run(ex: &Extractor) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in &ex.rules {
        let loc = format!("{}:{}: rule `{}`", rule.file, rule.line, rule.spec.id);
        for e in &rule.spec.examples {
            let doc = example_doc(&e.text, e.reference.as_deref());
            let facts = ex.extract(&doc, &Options::default());
            for want in &e.expect {
                let ok = facts.iter().any(|f| {
                    f.fact_type == rule.spec.fact_type
                        && want.iter().all(|(k, v)| {
                            if k == "text" {
                                v.as_str() == Some(doc.slice(f.span.0, f.span.1))
                            } else if k == "parties" {
                                let want_names: Vec<String> = v
                                    .as_array()
                                    .map(|a| {
                                        a.iter()
                                            .filter_map(|x| x.as_str().map(str::to_string))
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                let got: Vec<String> = f.fields["parties"]
                                    .as_array()
                                    .map(|a| {
                                        a.iter()
                                            .filter_map(|p| p["name"].as_str().map(str::to_string))
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                want_names == got
                            } else {
                                field_matches(v, f.fields.get(k))
                            }
                        })
                });
                if !ok {
                    let got: Vec<String> = facts
                        .iter()
                        .filter(|f| f.fact_type == rule.spec.fact_type)
                        .map(|f| {
                            format!(
                                "{} {} {}",
                                doc.slice(f.span.0, f.span.1),
                                f.rule,
                                Value::Object(f.fields.clone())
                            )
                        })
                        .collect();
                    failures.push(format!(
                        "{loc}: example `{}` expected {want:?}; got {got:?}",
                        e.text
                    ));
                }
            }
        }
        for n in &rule.spec.negatives {
            let doc = example_doc(&n.text, n.reference.as_deref());
            let facts = ex.extract(&doc, &Options::default());
            if let Some(f) = facts.iter().find(|f| f.rule == rule.spec.id) {
                failures.push(format!(
                    "{loc}: negative `{}` matched `{}`",
                    n.text,
                    doc.slice(f.span.0, f.span.1)
                ));
            }
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_pattern_example_passes() {
        let ex = super::Extractor::builtin().expect("built-in patterns compile");
        let failures = super::run(&ex);
        assert!(
            failures.is_empty(),
            "{} failing examples:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
