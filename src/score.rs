//! Scorer (FACTS.md, "Scoring"): per document and type, merge relations by key,
//! pair predictions and gold one to one on the type's key, and report
//! precision/recall/F1 per type and micro-averaged, plus attribute accuracy
//! among paired facts, per-rule figures, and the misses and false alarms.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

pub const TYPES: [&str; 4] = ["date", "count", "partnership", "agreement"];

/// Name as the scorer compares it: Simplified, half-width, one trailing 市 off.
pub fn norm_name(s: &str) -> String {
    let n = crate::segment::normalise(s);
    let n = n.trim();
    n.strip_suffix('市').unwrap_or(n).to_string()
}

/// Two names match when equal, or one ends with the other (shorter ≥ 2 chars).
pub fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (norm_name(a), norm_name(b));
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.chars().count() >= 2 && long.ends_with(short.as_str())
}

fn party_names(f: &Value) -> Vec<String> {
    crate::extract::places::party_names(f.get("parties"))
}

fn num_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a == b,
    }
}

/// Do two names lists match as unordered sets (each name pairs with one)?
fn name_sets_match(a: &[String], b: &[String]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    'outer: for x in a {
        for (j, y) in b.iter().enumerate() {
            if !used[j] && names_match(x, y) {
                used[j] = true;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

pub fn keys_match(t: &str, g: &Value, p: &Value) -> bool {
    match t {
        "date" => g.get("value") == p.get("value"),
        "count" => {
            num_eq(
                g.get("value").unwrap_or(&Value::Null),
                p.get("value").unwrap_or(&Value::Null),
            ) && g.get("unit") == p.get("unit")
        }
        "partnership" => name_sets_match(&party_names(g), &party_names(p)),
        "agreement" => {
            g.get("kind") == p.get("kind") && {
                let (mut a, mut b) = (party_names(g), party_names(p));
                a.dedup();
                b.dedup();
                name_sets_match(&a, &b)
            }
        }
        _ => false,
    }
}

/// Merge relation facts with the same key within one document.
fn merge(t: &str, facts: Vec<Value>) -> Vec<Value> {
    if t != "partnership" && t != "agreement" {
        return facts;
    }
    let mut out: Vec<Value> = Vec::new();
    for f in facts {
        match out.iter_mut().find(|g| keys_match(t, g, &f)) {
            Some(g) => {
                if let (Some(gm), Some(fm)) = (g.as_object_mut(), f.as_object()) {
                    for (k, v) in fm {
                        if gm.get(k).is_none_or(Value::is_null) && !v.is_null() {
                            gm.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            None => out.push(f),
        }
    }
    out
}

#[derive(Default, Debug, Clone, Copy)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn p(&self) -> f64 {
        if self.tp + self.fp == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn r(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[derive(Default, Debug)]
pub struct Report {
    pub by_type: BTreeMap<String, Prf>,
    pub by_rule: BTreeMap<String, Prf>,
    /// (type, attribute) → (correct, paired)
    pub attrs: BTreeMap<(String, String), (usize, usize)>,
    pub misses: Vec<Value>,
    pub false_alarms: Vec<Value>,
}

impl Report {
    pub fn micro(&self) -> Prf {
        let mut m = Prf::default();
        for p in self.by_type.values() {
            m.tp += p.tp;
            m.fp += p.fp;
            m.fn_ += p.fn_;
        }
        m
    }

    pub fn to_json(&self) -> Value {
        let prf = |p: &Prf| json!({"tp": p.tp, "fp": p.fp, "fn": p.fn_, "precision": p.p(), "recall": p.r(), "f1": p.f1()});
        json!({
            "micro": prf(&self.micro()),
            "types": self.by_type.iter().map(|(k, v)| (k.clone(), prf(v))).collect::<serde_json::Map<_, _>>(),
            "rules": self.by_rule.iter().map(|(k, v)| (k.clone(), prf(v))).collect::<serde_json::Map<_, _>>(),
            "attributes": self.attrs.iter().map(|((t, a), (c, n))| (format!("{t}.{a}"), json!({"correct": c, "paired": n, "accuracy": if *n == 0 { 0.0 } else { *c as f64 / *n as f64 }}))).collect::<serde_json::Map<_, _>>(),
            "misses": self.misses,
            "false_alarms": self.false_alarms,
        })
    }

    pub fn to_table(&self) -> String {
        let mut s = String::from("type          tp    fp    fn   prec  recall     f1\n");
        for (t, p) in &self.by_type {
            s += &format!(
                "{t:<12} {:>4} {:>5} {:>5}  {:.3}   {:.3}  {:.3}\n",
                p.tp,
                p.fp,
                p.fn_,
                p.p(),
                p.r(),
                p.f1()
            );
        }
        let m = self.micro();
        s += &format!(
            "{:<12} {:>4} {:>5} {:>5}  {:.3}   {:.3}  {:.3}\n",
            "micro",
            m.tp,
            m.fp,
            m.fn_,
            m.p(),
            m.r(),
            m.f1()
        );
        s += "\nattribute accuracy among paired facts:\n";
        for ((t, a), (c, n)) in &self.attrs {
            s += &format!("  {t}.{a:<10} {c}/{n}\n");
        }
        s
    }
}

const ATTRS: &[(&str, &[&str])] = &[
    ("date", &["anchor"]),
    ("count", &["counted", "approx"]),
    ("partnership", &["relation", "date"]),
    ("agreement", &["date", "count"]),
];

/// Score predicted records against gold records (both JSON Lines records).
pub fn score(gold: &[Value], pred: &[Value]) -> Report {
    let mut rep = Report::default();
    let group = |recs: &[Value]| {
        let mut m: HashMap<(String, String), Vec<Value>> = HashMap::new();
        for r in recs {
            let t = r.get("type").and_then(Value::as_str).unwrap_or("");
            if TYPES.contains(&t) {
                let d = r
                    .get("doc")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                m.entry((d, t.to_string())).or_default().push(r.clone());
            }
        }
        m
    };
    let g = group(gold);
    let p = group(pred);
    let mut keys: Vec<&(String, String)> = g.keys().chain(p.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let t = key.1.as_str();
        let gs = merge(t, g.get(key).cloned().unwrap_or_default());
        let ps = merge(t, p.get(key).cloned().unwrap_or_default());
        let mut used = vec![false; gs.len()];
        let entry = rep.by_type.entry(t.to_string()).or_default();
        let mut paired = Vec::new();
        for pf in &ps {
            let rule = pf
                .get("rule")
                .and_then(Value::as_str)
                .unwrap_or("-")
                .to_string();
            match gs
                .iter()
                .enumerate()
                .position(|(i, gf)| !used[i] && keys_match(t, gf, pf))
            {
                Some(i) => {
                    used[i] = true;
                    entry.tp += 1;
                    rep.by_rule.entry(rule).or_default().tp += 1;
                    paired.push((gs[i].clone(), pf.clone()));
                }
                None => {
                    entry.fp += 1;
                    rep.by_rule.entry(rule).or_default().fp += 1;
                    rep.false_alarms.push(pf.clone());
                }
            }
        }
        for (i, gf) in gs.iter().enumerate() {
            if !used[i] {
                entry.fn_ += 1;
                rep.misses.push(gf.clone());
            }
        }
        let attrs = ATTRS
            .iter()
            .find(|(x, _)| *x == t)
            .map(|(_, a)| *a)
            .unwrap_or(&[]);
        for (gf, pf) in paired {
            for a in attrs {
                let e = rep.attrs.entry((t.to_string(), a.to_string())).or_default();
                e.1 += 1;
                let gv = gf.get(*a).unwrap_or(&Value::Null);
                let pv = pf.get(*a).unwrap_or(&Value::Null);
                if num_eq(gv, pv) || gv == pv {
                    e.0 += 1;
                }
            }
        }
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_matching_follows_the_contract() {
        assert!(names_match("莫斯科州巴拉希哈市", "巴拉希哈市"));
        assert!(names_match("青島市", "青岛"));
        assert!(!names_match("市", "城市"));
        assert!(!names_match("南邦府", "南邦市"));
    }

    #[test]
    fn relations_merge_and_pair_unordered() {
        let gold = vec![
            json!({"type":"partnership","doc":"d","parties":[{"name":"青岛市"},{"name":"撒马尔罕市"}]}),
            json!({"type":"partnership","doc":"d","parties":[{"name":"撒马尔罕市"},{"name":"青岛市"}]}),
            json!({"type":"date","doc":"d","value":"2024"}),
        ];
        let pred = vec![
            json!({"type":"partnership","doc":"d","parties":[{"name":"撒马尔罕"},{"name":"青岛"}],"rule":"r"}),
            json!({"type":"date","doc":"d","value":"2023","rule":"x"}),
        ];
        let r = score(&gold, &pred);
        let p = r.by_type["partnership"];
        assert_eq!((p.tp, p.fp, p.fn_), (1, 0, 0));
        let d = r.by_type["date"];
        assert_eq!((d.tp, d.fp, d.fn_), (0, 1, 1));
    }
}
