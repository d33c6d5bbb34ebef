//! Places and parties: the gazetteer (countries, foreign regions, Chinese
//! divisions), party-name normalisation (country prefix split off, descriptors
//! dropped), context resolution (此次, 两市, 我市 → the page's home place), and
//! the partnership and agreement normalisers.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::rules::Lexicons;
use super::{Caps, Ctx};

pub struct Gazetteer {
    /// Country name (any form) → canonical name, longest first.
    countries: Vec<(String, String)>,
    /// Foreign region → country.
    regions: Vec<(String, String)>,
    /// Chinese divisions (full names with suffix).
    cn: HashMap<String, String>,
    descriptors: Vec<String>,
    org_suffixes: Vec<String>,
    /// Words that make a relation a plan, wish or negotiation (`patterns/lexicon/hedges.txt`).
    pub hedges: Vec<String>,
}

impl Gazetteer {
    pub fn new(lex: &Lexicons) -> Self {
        let pairs = |name: &str| -> Vec<(String, String)> {
            lex.get(&format!("{name}#pairs"))
                .map(|v| {
                    v.iter()
                        .filter_map(|l| {
                            l.split_once('\t')
                                .map(|(a, b)| (a.to_string(), b.to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut countries = pairs("countries");
        countries.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
        let mut regions = pairs("foreign_regions");
        regions.extend(pairs("regions_extra"));
        regions.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
        let cn = pairs("cn_places").into_iter().collect();
        let list = |n: &str| lex.get(n).cloned().unwrap_or_default();
        Gazetteer {
            countries,
            regions,
            cn,
            descriptors: list("descriptors"),
            org_suffixes: list("org_suffixes"),
            hedges: list("hedges"),
        }
    }

    /// Split a leading country name: `乌兹别克斯坦撒马尔罕市` → (乌兹别克斯坦, 撒马尔罕市).
    pub fn split_country<'a>(&self, name: &'a str) -> (Option<String>, &'a str) {
        for (n, canon) in &self.countries {
            if let Some(rest) = name.strip_prefix(n.as_str())
                && rest.chars().count() >= 2
            {
                return (Some(canon.clone()), rest);
            }
        }
        (None, name)
    }

    pub fn is_country(&self, name: &str) -> Option<&str> {
        self.countries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
    }

    /// Is this a Chinese place (a known division, or starting with one)?
    pub fn is_chinese(&self, name: &str) -> bool {
        if self.cn.contains_key(name) {
            return true;
        }
        // 山东省聊城市东昌府区: starts with a known division.
        self.cn
            .keys()
            .any(|k| k.chars().count() >= 2 && name.starts_with(k.as_str()))
            || self.cn_stem(name)
    }

    /// 青岛 (without 市) names 青岛市.
    fn cn_stem(&self, name: &str) -> bool {
        ["市", "省", "县", "区"]
            .iter()
            .any(|s| self.cn.contains_key(&format!("{name}{s}")))
    }

    pub fn region_country(&self, name: &str) -> Option<String> {
        self.regions
            .iter()
            .find(|(r, _)| r.chars().count() >= 2 && name.starts_with(r.as_str()))
            .map(|(_, c)| c.clone())
    }

    pub fn is_org(&self, name: &str) -> bool {
        self.org_suffixes.iter().any(|s| name.ends_with(s.as_str()))
    }

    /// Normalise a party: drop descriptors, split the country, look the country up.
    pub fn party(&self, raw: &str) -> Option<(String, Option<String>)> {
        let mut name = raw
            .trim_matches(|c: char| c.is_whitespace() || "“”\"‘’《》,、".contains(c))
            .to_string();
        for d in &self.descriptors {
            if let Some(rest) = name.strip_prefix(d.as_str()) {
                name = rest.to_string();
            }
            // 乌兹别克斯坦首都塔什干: descriptor after the country.
            if let Some(p) = name.find(d.as_str())
                && p > 0
                && self.is_country(&name[..p]).is_some()
            {
                name = format!("{}{}", &name[..p], &name[p + d.len()..]);
            }
        }
        let (country, rest) = self.split_country(&name);
        let rest = rest.to_string();
        if rest.chars().count() < 2 || self.is_country(&rest).is_some() {
            return None;
        }
        let country = country.or_else(|| {
            if self.is_org(&rest) {
                None
            } else if self.is_chinese(&rest) {
                Some("中国".to_string())
            } else {
                self.region_country(&rest)
            }
        });
        Some((rest, country))
    }

    /// The page's home place: the Chinese city/province named most often.
    pub fn home_place(&self, norm: &str) -> Option<String> {
        let mut best: Option<(&str, usize)> = None;
        for (name, level) in &self.cn {
            if level == "county" || name.chars().count() < 2 {
                continue;
            }
            let stem = name.trim_end_matches(['市', '省']);
            if stem.chars().count() < 2 {
                continue;
            }
            let n = norm.matches(stem).count();
            if n > 0 && best.is_none_or(|(b, c)| n > c || (n == c && name.as_str() < b)) {
                best = Some((name, n));
            }
        }
        best.map(|(n, _)| n.to_string())
    }
}

fn party_json(name: &str, country: Option<&str>) -> Value {
    json!({"name": name, "country": country})
}

/// Split a captured list `A、B和C` into its items.
fn split_list(s: &str) -> Vec<&str> {
    s.split(['、', ',', '和', '及', '与', '同'])
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Resolve a party that names no place itself (此次, 我市, 两市...).
fn resolve_party(raw: Option<&str>, ctx: &Ctx) -> Option<(String, Option<String>)> {
    let refers = |s: &str| {
        matches!(
            s,
            "此次"
                | "我市"
                | "该市"
                | "本市"
                | "两市"
                | "双方"
                | "我省"
                | "该省"
                | "我区"
                | "我县"
        )
    };
    match raw {
        Some(s) if !refers(s) => ctx.gaz.party(s),
        _ => ctx.home.and_then(|h| ctx.gaz.party(h)),
    }
}

fn sentence_date(ctx: &Ctx) -> Value {
    ctx.sent_facts
        .iter()
        .filter(|f| f.fact_type == "date" && f.span.0 < ctx.span.1)
        .rfind(|f| f.fields.get("grain").and_then(Value::as_str) != Some("interval"))
        .and_then(|f| f.fields.get("value").cloned())
        .unwrap_or(Value::Null)
}

pub fn partnership_fields(c: &Caps, ctx: &Ctx) -> Vec<Map<String, Value>> {
    // Plans, hopes and negotiations are not partnerships.
    let matched = &ctx.norm_sentence[ctx.before.len()..ctx.norm_sentence.len() - ctx.after.len()];
    if ctx
        .gaz
        .hedges
        .iter()
        .any(|h| matched.contains(h.as_str()) || ctx.before.ends_with(h.as_str()))
    {
        return vec![];
    }
    let Some(a) = resolve_party(c.cap("a"), ctx) else {
        return vec![];
    };
    let relation = c.set("relation").unwrap_or("sister_city");
    let date = sentence_date(ctx);
    let mut out = Vec::new();
    let mut country_carry: Option<String> = None;
    for item in c.cap("b").map(split_list).unwrap_or_default() {
        let Some((name, mut country)) = ctx.gaz.party(item) else {
            continue;
        };
        // 俄罗斯圣彼得堡、彼尔姆: a country prefix carries over the list.
        if country.is_none() {
            country = country_carry.clone();
        } else {
            country_carry = country.clone();
        }
        if name == a.0 {
            continue;
        }
        let mut m = Map::new();
        m.insert(
            "parties".into(),
            json!([
                party_json(&a.0, a.1.as_deref()),
                party_json(&name, country.as_deref())
            ]),
        );
        m.insert("relation".into(), json!(relation));
        m.insert("date".into(), date.clone());
        out.push(m);
    }
    out
}

pub fn agreement_fields(c: &Caps, ctx: &Ctx) -> Option<Map<String, Value>> {
    let kind = c.set("kind").or_else(|| {
        let t = c.cap("title")?;
        Some(if t.contains("备忘录") {
            "memorandum"
        } else if t.contains("意向书") {
            "letter_of_intent"
        } else {
            "agreement"
        })
    })?;
    let mut parties = Vec::new();
    if let Some(a) = c.cap("a")
        && let Some((n, c)) = resolve_party(Some(a), ctx)
    {
        parties.push(party_json(&n, c.as_deref()));
    }
    for item in c.cap("b").map(split_list).unwrap_or_default() {
        if let Some((n, c)) = ctx.gaz.party(item) {
            parties.push(party_json(&n, c.as_deref()));
        }
    }
    let title = c
        .cap("title")
        .map(|t| t.trim_matches(['《', '》']).to_string());
    let count = c
        .cap("count")
        .and_then(super::numbers::parse_number)
        .map(|v| v as i64);
    let mut m = Map::new();
    m.insert("parties".into(), Value::Array(parties));
    m.insert("kind".into(), json!(kind));
    m.insert("title".into(), json!(title));
    m.insert("date".into(), sentence_date(ctx));
    m.insert("place".into(), json!(c.cap("place")));
    m.insert("count".into(), json!(count));
    Some(m)
}

fn names(fields: &Map<String, Value>) -> Vec<String> {
    fields
        .get("parties")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .map(|s| s.trim_end_matches('市').to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub fn partnership_key(fields: &Map<String, Value>) -> Option<String> {
    let mut n = names(fields);
    n.sort();
    Some(n.join("|"))
}

pub fn agreement_key(fields: &Map<String, Value>) -> Option<String> {
    let mut n = names(fields);
    n.sort();
    let kind = fields.get("kind").and_then(Value::as_str).unwrap_or("");
    Some(format!("{}#{kind}", n.join("|")))
}
