//! One phrase in, one normalised value out (`zhfacts normalize`): the
//! normalisers tested on their own, e.g. against Duckling's corpora.

use serde_json::{Value, json};

use super::{Extractor, Options, dates::Prefer, numbers, selftest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Date,
    Count,
}

/// The longest fact of the kind found in the phrase, as
/// `{"text","value","grain"}` (dates) or `{"text","value","unit","approx"}`
/// (counts); `null` fields when nothing parses. A phrase that is a bare
/// numeral (三百二十, 1.2万) is a count without a unit.
pub fn phrase(
    ex: &Extractor,
    kind: Kind,
    text: &str,
    prefer: Prefer,
    reference: Option<&str>,
) -> Value {
    // Minute precision: clock times and hours ago need the time of day.
    let doc = selftest::example_doc(text, reference.map(|s| s.get(..16).unwrap_or(s)));
    let opts = Options { prefer };
    let want = match kind {
        Kind::Date => "date",
        Kind::Count => "count",
    };
    let best = ex
        .extract(&doc, &opts)
        .into_iter()
        .filter(|f| f.fact_type == want)
        .max_by_key(|f| f.span.1 - f.span.0);
    match (kind, best) {
        (Kind::Date, Some(f)) => {
            json!({"text": text, "value": f.fields["value"], "grain": f.fields["grain"]})
        }
        (Kind::Count, Some(f)) => {
            json!({"text": text, "value": f.fields["value"], "unit": f.fields["unit"], "approx": f.fields["approx"]})
        }
        (Kind::Date, None) => json!({"text": text, "value": null, "grain": null}),
        (Kind::Count, None) => {
            let folded = crate::segment::normalise(text);
            // A numeral with a bare classifier (一个, 半个) is still that number.
            let t = folded.trim();
            let value = numbers::parse_number(t)
                .or_else(|| numbers::parse_number(t.strip_suffix(['个', '個'])?))
                .map(|v| {
                    if v.fract() == 0.0 && v.abs() < 9.0e15 {
                        json!(v as i64)
                    } else {
                        json!(v)
                    }
                });
            json!({"text": text, "value": value, "unit": null, "approx": null})
        }
    }
}
