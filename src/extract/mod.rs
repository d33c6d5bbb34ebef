//! Extract stage: run the compiled pattern rules over each sentence's normalised
//! view, stage by stage, resolve overlaps, normalise captures into contract
//! fields, and merge relation mentions into one fact per relation.

pub mod builtin;
pub mod dates;
pub mod discourse;
pub mod holidays;
pub mod mentions;
pub mod normalize;
pub mod numbers;
pub mod places;
pub mod rules;
pub mod selftest;

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::doc::Document;
use crate::error::Result;
use crate::segment;
use dates::{DateParts, Prefer, RefDate};
use mentions::{Chunker, MentionView};
use places::Gazetteer;
use rules::{Rule, Sources, View};

/// One extracted fact with its provenance.
#[derive(Debug, Clone)]
pub struct Fact {
    pub fact_type: String,
    /// `[start, end)` in chars of the clean text.
    pub span: (usize, usize),
    pub sentence: (usize, usize),
    pub rule: String,
    /// Contract fields of this type (value, grain, parties, ...).
    pub fields: Map<String, Value>,
    /// Spans of every mention merged into this fact (relations only).
    pub mentions: Vec<(usize, usize)>,
}

/// Options of an extraction run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub prefer: Prefer,
}

/// The compiled rule set, built once and shared (read-only) across threads.
pub struct Extractor {
    pub rules: Vec<Rule>,
    pub gazetteer: Gazetteer,
    pub chunker: Chunker,
    discourse: discourse::Discourse,
    holidays: holidays::Holidays,
    /// The rules in sets, one for the text view and one per `requires` list
    /// of the mention view: one pass over a sentence tells which rules of a
    /// set can match at all. A single set of every relation rule made a lazy
    /// DFA whose states cost more to build (0.6 G instructions per worker
    /// thread on varied pages) than the scans it saved; a group's set runs
    /// only when one of its words is present.
    sets: Vec<regex::RegexSet>,
    /// Per rule: its set and its index in that set.
    set_index: Vec<(usize, usize)>,
    /// Every rule's `requires` words in one automaton, and each rule's word
    /// ids in it: one pass over a sentence instead of a search per word.
    required: aho_corasick::AhoCorasick,
    required_ids: Vec<Vec<usize>>,
}

impl Extractor {
    pub fn builtin() -> Result<Self> {
        Self::from_sources(&Sources::builtin())
    }

    pub fn from_dir(dir: &Path) -> Result<Self> {
        Self::from_sources(&Sources::from_dir(dir)?)
    }

    pub fn from_sources(src: &Sources) -> Result<Self> {
        let lex = src.lexicons();
        let macros = rules::global_macros(src.get("macros.toml"))?;
        let mut all = Vec::new();
        for (path, text) in src.rule_files() {
            all.extend(rules::compile_file(text, path, &macros, &lex)?);
        }
        let mut seen = std::collections::HashSet::new();
        for r in &all {
            if !seen.insert(r.spec.id.clone()) {
                return Err(crate::Error::Pattern {
                    file: r.file.clone(),
                    line: r.line,
                    rule: r.spec.id.clone(),
                    message: "duplicate rule id".into(),
                });
            }
        }
        all.sort_by_key(|r| r.spec.stage);
        let mut set_index = Vec::with_capacity(all.len());
        let mut groups: Vec<(View, &[String], Vec<&str>)> = Vec::new();
        for r in &all {
            // The text rules (dates, counts) fire in most sentences: one set
            // for them all costs less than a pass per group.
            let key = match r.spec.view {
                View::Text => (View::Text, &[][..]),
                View::Mentions => (View::Mentions, r.spec.requires.as_slice()),
            };
            let g = match groups.iter().position(|(v, w, _)| (*v, *w) == key) {
                Some(g) => g,
                None => {
                    groups.push((key.0, key.1, Vec::new()));
                    groups.len() - 1
                }
            };
            set_index.push((g, groups[g].2.len()));
            groups[g].2.push(r.expanded.as_str());
        }
        let mut words: Vec<&str> = Vec::new();
        let required_ids = all
            .iter()
            .map(|r| {
                r.spec
                    .requires
                    .iter()
                    .map(|w| match words.iter().position(|x| x == w) {
                        Some(i) => i,
                        None => {
                            words.push(w.as_str());
                            words.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        let required = aho_corasick::AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&words)
            .map_err(|e| crate::Error::Pattern {
                file: "-".into(),
                line: 0,
                rule: "-".into(),
                message: format!("the rules' required words do not compile: {e}"),
            })?;
        let build = |pats: &[&str]| {
            regex::RegexSetBuilder::new(pats)
                .size_limit(256 << 20)
                .dfa_size_limit(256 << 20)
                .build()
                .map_err(|e| crate::Error::Pattern {
                    file: "-".into(),
                    line: 0,
                    rule: "-".into(),
                    message: format!("the rule set does not compile as a whole: {e}"),
                })
        };
        // The rule sets and the lexicon automata are independent: build them
        // side by side (start-up is serial time in every run).
        let (sets, ((gazetteer, chunker), (discourse, holidays))) = rayon::join(
            || {
                groups
                    .iter()
                    .map(|(_, _, p)| build(p))
                    .collect::<Result<Vec<_>>>()
            },
            || {
                rayon::join(
                    || rayon::join(|| Gazetteer::new(&lex), || Chunker::new(&lex)),
                    || {
                        rayon::join(
                            || discourse::Discourse::new(&lex),
                            || holidays::Holidays::new(&lex),
                        )
                    },
                )
            },
        );
        Ok(Extractor {
            sets: sets?,
            set_index,
            required,
            required_ids,
            rules: all,
            gazetteer,
            chunker,
            discourse,
            holidays,
        })
    }

    /// Extract every fact of a document, in reading order.
    pub fn extract(&self, doc: &Document, opts: &Options) -> Vec<Fact> {
        let norm = segment::normalise(&doc.text);
        let norm_chars: Vec<usize> = crate::doc::char_byte_offsets(&norm);
        let reference = doc.meta.published.as_deref().and_then(RefDate::parse);
        let day_reference = doc
            .meta
            .dateline
            .as_deref()
            .and_then(RefDate::parse)
            .or(reference);
        // The page's home place scans the whole page: only when a relation
        // with an omitted subject asks for it.
        let hits_cell = std::cell::OnceCell::new();
        let page_hits = || hits_cell.get_or_init(|| self.chunker.page_hits(&norm));
        let home_cell = std::cell::OnceCell::new();
        let home = || {
            home_cell
                .get_or_init(|| self.chunker.home_place_in(&norm, page_hits()))
                .clone()
        };
        // 我校: the institution the page is about, read from the whole page
        // only when a relation's subject is such a word.
        let page_orgs_cell = std::cell::OnceCell::new();
        let home_org = |ends: &[String]| {
            page_orgs_cell
                .get_or_init(|| {
                    let v = self.chunker.view_in(&norm, 0, page_hits(), &[]);
                    // The site's name (浙江海洋大学新闻网) last: a university's
                    // own news seldom names the university in its text.
                    // Then the source line's (来源：厦门双十中学: a school's
                    // own news names itself as the source).
                    let named = |s: &str| {
                        let s = segment::normalise(s);
                        let hits = self.chunker.page_hits(&s);
                        self.chunker.view_in(&s, 0, &hits, &[]).mentions
                    };
                    let site = doc
                        .meta
                        .site
                        .as_deref()
                        .map(named)
                        .into_iter()
                        .chain(doc.meta.source.as_deref().map(named))
                        .flatten()
                        .collect::<Vec<_>>();
                    // An institution the page calls foreign once (韩国釜庆大学)
                    // is not ours when named bare later (釜庆大学是…).
                    let foreign: Vec<String> = v
                        .mentions
                        .iter()
                        .filter(|m| m.country.as_deref().is_some_and(|c| c != "中国"))
                        .map(|m| m.name.clone())
                        .collect();
                    v.mentions
                        .into_iter()
                        .chain(site)
                        .filter(|m| {
                            m.kind == mentions::Kind::Org
                                && m.country.as_deref().is_none_or(|c| c == "中国")
                                && !foreign.iter().any(|f| f.ends_with(m.name.as_str()))
                        })
                        .collect::<Vec<_>>()
                })
                .iter()
                .find(|m| ends.iter().any(|e| m.name.ends_with(e.as_str())))
                .cloned()
        };
        let mut epithets = self.chunker.epithets(&norm);
        let empty = MentionView::default();
        let mut facts: Vec<Fact> = Vec::new();
        // The year of the last date of the sentences so far (同年, 次年).
        let mut prev_year: Option<i32> = None;
        // The last day the sentences before named, and where (次日 is the
        // day after).
        let mut prev_day: Option<(usize, String)> = None;
        let sentences = segment::sentences(&doc.text);
        // For rules that read table rows: each row's header row, normalised.
        let headers_cell = std::cell::OnceCell::new();
        let headers = || headers_cell.get_or_init(|| table_headers(&doc.text));
        for (si, &sent) in sentences.iter().enumerate() {
            if doc.is_garbled(sent.start, sent.end) && sent.end - sent.start < 8 {
                continue;
            }
            let s_norm = &norm[norm_chars[sent.start]..norm_chars[sent.end]];
            // For 该公司: the institution the sentences before named last,
            // looked up only when a normaliser asks.
            let antecedent_cell = std::cell::OnceCell::new();
            let antecedent = || {
                antecedent_cell
                    .get_or_init(|| {
                        sentences[si.saturating_sub(ANTECEDENT_SENTENCES)..si]
                            .iter()
                            .rev()
                            .find_map(|p| {
                                let (ps, pe) = (norm_chars[p.start], norm_chars[p.end]);
                                let v =
                                    self.chunker
                                        .view_in(&norm[ps..pe], ps, page_hits(), &epithets);
                                v.mentions
                                    .into_iter()
                                    .rev()
                                    .find(|m| m.kind == mentions::Kind::Org)
                            })
                    })
                    .clone()
            };
            // For 两地/双方 signing: the two parties the nearest sentence
            // before named as a pair (佛山市与澳门的交流…), looked up only when
            // asked. A few sentences back at most, and only past sentences
            // that name no place but the pair's own (布拉加是…第三大城市;
            // their governments may be named, 澳门政府总部).
            let pair_cell = std::cell::OnceCell::new();
            let antecedent_pair = || {
                pair_cell
                    .get_or_init(|| {
                        let mut skipped: Vec<String> = Vec::new();
                        for p in sentences[si.saturating_sub(ANTECEDENT_SENTENCES)..si]
                            .iter()
                            .rev()
                        {
                            let (ps, pe) = (norm_chars[p.start], norm_chars[p.end]);
                            let v = self
                                .chunker
                                .view_in(&norm[ps..pe], ps, page_hits(), &epithets);
                            if let Some(pair) = linked_pair(&v) {
                                let ours = skipped.iter().all(|n| {
                                    pair.iter().any(|m| {
                                        let place = places::place_of(&m.name, &self.gazetteer);
                                        crate::score::names_match(place, n)
                                    })
                                });
                                return ours.then_some(pair);
                            }
                            skipped.extend(
                                v.mentions
                                    .iter()
                                    .filter(|m| m.kind == mentions::Kind::Place)
                                    .map(|m| m.name.clone()),
                            );
                        }
                        None
                    })
                    .clone()
            };
            let b2c = byte_to_char(s_norm);
            // Built on first use: most sentences never reach a relation rule.
            let mut view: Option<MentionView> = None;
            let mut present = vec![false; self.required.patterns_len()];
            for m in self.required.find_overlapping_iter(s_norm) {
                present[m.pattern().as_usize()] = true;
            }
            let mut set_hits: Vec<Option<regex::SetMatches>> = vec![None; self.sets.len()];
            let mut tokens: Option<Vec<bool>> = None;
            let mut sent_facts: Vec<Fact> = Vec::new();
            let mut stage = 0u8;
            let mut candidates: Vec<(Fact, i32)> = Vec::new();
            for (ri, rule) in self.rules.iter().enumerate() {
                if rule.spec.stage != stage {
                    flush(&mut candidates, &mut sent_facts);
                    stage = rule.spec.stage;
                }
                let needs = &self.required_ids[ri];
                if !needs.is_empty() && !needs.iter().any(|&w| present[w]) {
                    continue;
                }
                if !rule.spec.under_header.is_empty() {
                    let header = headers().header_of(sent.start);
                    if !header.is_some_and(|h| {
                        rule.spec
                            .under_header
                            .iter()
                            .any(|w| h.contains(w.as_str()))
                    }) {
                        continue;
                    }
                }
                let v: &MentionView = match rule.spec.view {
                    View::Text => &empty,
                    View::Mentions => view.get_or_insert_with(|| {
                        self.chunker
                            .view_in(s_norm, norm_chars[sent.start], page_hits(), &epithets)
                    }),
                };
                let hay = match rule.spec.view {
                    View::Text => s_norm,
                    View::Mentions => v.text.as_str(),
                };
                let (g, i) = self.set_index[ri];
                if !set_hits[g]
                    .get_or_insert_with(|| self.sets[g].matches(hay))
                    .matched(i)
                {
                    continue;
                }
                for caps in rule.regex.captures_iter(hay) {
                    // A `mention` group is the fact's span; the rest of the
                    // match is context (于 + 十一日).
                    let m = rule
                        .group("mention")
                        .and_then(|g| caps.get(g))
                        .or_else(|| caps.get(0))
                        .unwrap();
                    if m.start() == m.end() {
                        continue;
                    }
                    let (ns, ne) = match rule.spec.view {
                        View::Text => (m.start(), m.end()),
                        View::Mentions => (v.to_norm[m.start()], v.to_norm[m.end()]),
                    };
                    if rule.spec.boundary != rules::Boundary::None {
                        let t = tokens.get_or_insert_with(|| segment::token_boundaries(s_norm));
                        let end_ok = rule.spec.boundary == rules::Boundary::Start || t[b2c[ne]];
                        if !t[b2c[ns]] || !end_ok {
                            continue;
                        }
                    }
                    let (cs, ce) = (sent.start + b2c[ns], sent.start + b2c[ne]);
                    if doc.is_garbled(cs, ce) {
                        continue;
                    }
                    // 五所 of 五所川原市, 四日 of 四日市: a number in words
                    // inside a place's name counts nothing.
                    // The gazetteer is asked of a few chars around the count
                    // only: a page with no relation word never scans whole.
                    if rule.spec.fact_type == "count"
                        && s_norm[ns..].starts_with(|c: char| numbers::is_numeral(c))
                    {
                        let ws = s_norm[..ns]
                            .char_indices()
                            .rev()
                            .nth(5)
                            .map_or(0, |(i, _)| i);
                        let we = s_norm[ne..]
                            .char_indices()
                            .nth(8)
                            .map_or(s_norm.len(), |(i, _)| ne + i);
                        let window = &s_norm[ws..we];
                        if self.chunker.page_hits(window).covers(ns - ws, ne - ws) {
                            continue;
                        }
                    }
                    let capv = Caps {
                        caps: &caps,
                        rule,
                        set: &rule.spec.set,
                        view: (rule.spec.view == View::Mentions).then_some(v),
                        norm: s_norm,
                    };
                    let ctx = Ctx {
                        doc,
                        reference,
                        day_reference,
                        opts,
                        home: &home,
                        sent_facts: &sent_facts,
                        span: (cs, ce),
                        gaz: &self.gazetteer,
                        holidays: &self.holidays,
                        norm_sentence: s_norm,
                        before: &s_norm[..ns],
                        after: &s_norm[ne..],
                        sentence_mentions: &v.mentions,
                        antecedent_org: &antecedent,
                        antecedent_pair: &antecedent_pair,
                        home_org: &home_org,
                        prev_year,
                        // A day told more than a few sentences back is
                        // seldom the one 次日 counts from.
                        prev_day: prev_day
                            .as_ref()
                            .filter(|(at, _)| si - at <= NEXT_DAY_SENTENCES)
                            .map(|(_, d)| d.as_str()),
                    };
                    for fields in normalise(rule, &capv, &ctx) {
                        candidates.push((
                            Fact {
                                fact_type: rule.spec.fact_type.clone(),
                                span: (cs, ce),
                                sentence: (sent.start, sent.end),
                                rule: rule.spec.id.clone(),
                                fields,
                                mentions: vec![(cs, ce)],
                            },
                            rule.spec.priority,
                        ));
                    }
                }
            }
            flush(&mut candidates, &mut sent_facts);
            if let Some(y) = sent_facts
                .iter()
                .filter(|f| f.fact_type == "date")
                .max_by_key(|f| f.span.0)
                .and_then(|f| f.fields.get("value")?.as_str()?.get(..4)?.parse().ok())
            {
                prev_year = Some(y);
            }
            // The last day the sentence names, by position (10月23日电 … 22日
            //举行: 22日), whatever order the rules found them in.
            if let Some(d) = sent_facts
                .iter()
                .filter(|f| f.fact_type == "date")
                .filter_map(|f| Some((f.span.0, f.fields.get("value")?.as_str()?)))
                .filter(|(_, v)| !v.contains('/') && v.len() >= 10)
                .max_by_key(|(at, _)| *at)
                .map(|(_, v)| v)
            {
                prev_day = Some((si, d[..10].to_string()));
            }
            facts.extend(sent_facts);
            // A foreign place named by shape here (韩国平泽市) is known by its
            // bare name (平泽) in the sentences after.
            if let Some(v) = &view {
                for e in v.mentions.iter().filter_map(mentions::Epithet::learnt) {
                    if epithets.iter().any(|x| x.quoted == e.quoted) {
                        continue;
                    }
                    // A full name (全罗南道) is worth learning only when it is
                    // not read alone anyway, country and all (江原道 alone has
                    // none): every learnt name is tried at each name start of
                    // every later sentence.
                    let full = e.quoted == e.place.name[e.place.head..];
                    if full
                        && self.chunker.view(&e.quoted).mentions.iter().any(|m| {
                            m.kind == mentions::Kind::Place
                                && m.name == e.quoted
                                && m.country == e.place.country
                        })
                    {
                        continue;
                    }
                    epithets.push(e);
                }
            }
        }
        facts.sort_by_key(|f| (f.span.0, f.span.1));
        self.discourse
            .inherit_dates(&doc.text, &norm, &norm_chars, &sentences, &mut facts);
        places::resolve_both(&mut facts, &self.gazetteer);
        // A tie or a signing is dated by its day: the hour of the ceremony
        // (6月19日下午3时) is the date mention's, not the relation's.
        for f in facts
            .iter_mut()
            .filter(|f| matches!(f.fact_type.as_str(), "partnership" | "agreement"))
        {
            if let Some(Value::String(d)) = f.fields.get_mut("date")
                && let Some(day) = d.split_once('T').map(|(day, _)| day.to_string())
            {
                *d = day;
            }
        }
        // The headline is the clean text's first line (重磅！我市与…签署: one
        // line, two sentences).
        let headline_end = doc.text.split('\n').next().map_or(0, |t| t.chars().count());
        merge_relations(facts, &self.gazetteer, headline_end)
    }
}

/// Keep, per type, the longest non-overlapping candidates (then priority, then
/// rule order), and add them to the sentence's facts. Relation facts produced
/// from one match (list expansion) share a span and are all kept. Kept spans
/// of a type never overlap, so one ordered map per type answers "does this
/// clash?" by looking at the nearest span starting before the candidate ends.
fn flush(candidates: &mut Vec<(Fact, i32)>, out: &mut Vec<Fact>) {
    use std::collections::BTreeMap;
    let mut c = std::mem::take(candidates);
    // A relation stated outright outranks a longer, looser match over it
    // (A与B于1993年缔结友好城市关系,今年是两市结好30周年: the founding, dated,
    // not the anniversary's 结好).
    let loose = |f: &Fact| f.fields.contains_key(places::LOOSE);
    c.sort_by(|a, b| {
        let la = a.0.span.1 - a.0.span.0;
        let lb = b.0.span.1 - b.0.span.0;
        loose(&a.0)
            .cmp(&loose(&b.0))
            .then(lb.cmp(&la))
            .then(b.1.cmp(&a.1))
    });
    // type -> start -> (end, rules kept at exactly this span)
    let mut kept: HashMap<String, BTreeMap<usize, (usize, Vec<String>)>> = HashMap::new();
    for g in out.iter() {
        let e = kept
            .entry(g.fact_type.clone())
            .or_default()
            .entry(g.span.0)
            .or_insert((g.span.1, vec![]));
        e.1.push(g.rule.clone());
    }
    for (f, _) in c {
        let spans = kept.entry(f.fact_type.clone()).or_default();
        let clash = spans
            .range(..f.span.1)
            .next_back()
            .is_some_and(|(&s, (e, rules))| {
                *e > f.span.0 && !(s == f.span.0 && *e == f.span.1 && rules.contains(&f.rule))
            });
        if !clash {
            spans
                .entry(f.span.0)
                .or_insert((f.span.1, vec![]))
                .1
                .push(f.rule.clone());
            out.push(f);
        }
    }
}

fn byte_to_char(s: &str) -> Vec<usize> {
    let mut v = vec![0; s.len() + 1];
    let mut ci = 0;
    for (b, c) in s.char_indices() {
        for k in 0..c.len_utf8() {
            v[b + k] = ci;
        }
        ci += 1;
    }
    v[s.len()] = ci;
    v
}

/// A match's captures (non-empty ones) and the rule's constant fields.
pub struct Caps<'a> {
    caps: &'a regex::Captures<'a>,
    rule: &'a Rule,
    set: &'a std::collections::BTreeMap<String, String>,
    /// The mention view the rule matched, if it matched one.
    view: Option<&'a MentionView>,
    norm: &'a str,
}

impl<'a> Caps<'a> {
    /// A capture's text in the normalised sentence (placeholders restored).
    pub fn cap(&self, name: &str) -> Option<&'a str> {
        let m = self.caps.get(self.rule.group(name)?)?;
        let s = match self.view {
            None => m.as_str(),
            Some(v) => &self.norm[v.to_norm[m.start()]..v.to_norm[m.end()]],
        };
        Some(s).filter(|s| !s.is_empty())
    }

    /// The normalised sentence after the whole match.
    pub fn after(&self) -> &'a str {
        let end = self.caps.get(0).map_or(0, |m| m.end());
        match self.view {
            None => &self.norm[end..],
            Some(v) => &self.norm[v.to_norm[end]..],
        }
    }

    /// A capture as the view sees it: the mentions it covers, in order, each
    /// with the view text that follows it up to the next mention.
    pub fn items(&self, name: &str) -> Vec<(&'a mentions::Mention, &'a str)> {
        let (Some(v), Some(m)) = (
            self.view,
            self.rule.group(name).and_then(|g| self.caps.get(g)),
        ) else {
            return vec![];
        };
        let inside: Vec<(usize, &mentions::Mention)> = v.within(m.start(), m.end()).collect();
        inside
            .iter()
            .enumerate()
            .map(|(i, (at, men))| {
                let from = at + men.kind.symbol().len_utf8();
                let to = inside.get(i + 1).map_or(m.end(), |x| x.0);
                (*men, &v.text[from..to.max(from)])
            })
            .collect()
    }
    pub fn set(&self, name: &str) -> Option<&'a str> {
        self.set.get(name).map(String::as_str)
    }
}

/// Does a tally go on here: a number, then one of its units (3国, 3场)?
fn tally_continues(after: &str, gaz: &Gazetteer) -> bool {
    let rest = after
        .trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十两".contains(c));
    rest.len() < after.len() && rest.starts_with(gaz.tally_units.as_slice())
}

/// What a normaliser may look at besides the captures.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub reference: Option<RefDate>,
    /// The reference of relative days and weekdays: the dateline's day if the
    /// story has one, else `reference`.
    pub day_reference: Option<RefDate>,
    pub opts: &'a Options,
    pub home: &'a dyn Fn() -> Option<String>,
    /// Facts of earlier stages in this sentence (dates for relations).
    pub sent_facts: &'a [Fact],
    pub span: (usize, usize),
    pub gaz: &'a Gazetteer,
    pub holidays: &'a holidays::Holidays,
    pub norm_sentence: &'a str,
    /// Normalised sentence text before and after the match.
    pub before: &'a str,
    pub after: &'a str,
    /// Every mention of the sentence (empty for text-view rules).
    pub sentence_mentions: &'a [mentions::Mention],
    /// When the sentence says 该公司 (`org_anaphors.txt`): the institution
    /// named last in the sentences just before, if any.
    pub antecedent_org: &'a dyn Fn() -> Option<mentions::Mention>,
    /// For 两地/双方 with no pair in its own sentence: the two places or
    /// institutions the sentence just before named, joined by 与/同/和, or
    /// the one Chinese and the one foreign place it named.
    pub antecedent_pair: &'a dyn Fn() -> Option<[mentions::Mention; 2]>,
    /// For 我校 (`home_institutions.tsv`): the first Chinese institution the
    /// page names whose name has one of these endings.
    pub home_org: &'a dyn Fn(&[String]) -> Option<mentions::Mention>,
    /// The year of the last date of the sentences before (同年, 次年).
    pub prev_year: Option<i32>,
    /// The last day (`YYYY-MM-DD`) the few sentences before named (次日, 翌日).
    pub prev_day: Option<&'a str>,
}

impl Ctx<'_> {
    /// The normalised text of the match itself.
    pub fn matched(&self) -> &str {
        &self.norm_sentence[self.before.len()..self.norm_sentence.len() - self.after.len()]
    }
}

/// A view's only two places or institutions, when 与/同/和 joins them
/// (佛山市与澳门的交流始于…).
fn linked_pair(v: &MentionView) -> Option<[mentions::Mention; 2]> {
    let named: Vec<usize> = (0..v.mentions.len())
        .filter(|&i| {
            matches!(
                v.mentions[i].kind,
                mentions::Kind::Place | mentions::Kind::Org
            )
        })
        .collect();
    if let &[i, j] = named.as_slice() {
        let from = v.at[i] + v.mentions[i].kind.symbol().len_utf8();
        // A country between them (与意大利那不勒斯市) is part of the second name.
        let between = v.text.get(from..v.at[j])?;
        let joined = between.starts_with(['与', '同', '和'])
            && v.mentions[i + 1..j]
                .iter()
                .all(|m| m.kind == mentions::Kind::Country);
        if joined {
            return Some([v.mentions[i].clone(), v.mentions[j].clone()]);
        }
    }
    // 贵阳市第一中学师生抵达美国…圣地亚哥市,对圣地亚哥高中进行访问: two
    // institutions, however often named and wherever the places around them.
    let mut orgs: Vec<&mentions::Mention> = Vec::new();
    for m in v.mentions.iter().filter(|m| m.kind == mentions::Kind::Org) {
        if orgs.iter().all(|o| o.name != m.name) {
            orgs.push(m);
        }
    }
    if let &[a, b] = orgs.as_slice() {
        return Some([a.clone(), b.clone()]);
    }
    // 宜昌市副市长率宜昌市代表团访问图卢兹市,与图卢兹市副市长举行会谈: however
    // often named, one Chinese place and one foreign place are the pair.
    let mut places: Vec<mentions::Mention> = Vec::new();
    for m in v
        .mentions
        .iter()
        .filter(|m| m.kind == mentions::Kind::Place)
    {
        match places.iter_mut().find(|p| p.name == m.name) {
            // A later mention may be the one that says the country.
            Some(p) => {
                if p.country.is_none() {
                    p.country.clone_from(&m.country);
                }
            }
            None => places.push(m.clone()),
        }
    }
    let chinese = |m: &mentions::Mention| m.country.as_deref() == Some("中国");
    match <[mentions::Mention; 2]>::try_from(places) {
        Ok([a, b]) if chinese(&a) != chinese(&b) => Some(if chinese(&a) { [a, b] } else { [b, a] }),
        _ => None,
    }
}

/// How far back (in sentences) 次日 looks for the day it follows.
const NEXT_DAY_SENTENCES: usize = 3;

/// How far back an institution anaphor looks for its antecedent.
const ANTECEDENT_SENTENCES: usize = 3;

fn normalise(rule: &Rule, c: &Caps, ctx: &Ctx) -> Vec<Map<String, Value>> {
    match rule.spec.normalizer.as_str() {
        "date" => date_fields(c, ctx).into_iter().collect(),
        "count" => {
            // Ordinals (第N...) and anniversaries (N周年) are not counts.
            // A number that opens a short quoted name (“四个共同体”) is part of it.
            let quoted_name = ctx.before.ends_with('“')
                && ctx
                    .after
                    .chars()
                    .take(8)
                    .take_while(|c| !matches!(c, ',' | '。' | ';' | '、'))
                    .any(|c| c == '”');
            // 两国, 两市: "both" of the parties already named, not a quantity.
            let matched = ctx.matched();
            let deictic = ctx.gaz.context_words.iter().any(|w| w == matched);
            // 10个月, 3个小时: a duration, not a count.
            let duration = matched.ends_with('个')
                && ctx
                    .gaz
                    .duration_nouns
                    .iter()
                    .any(|n| ctx.after.starts_with(n.as_str()));
            if ctx.before.ends_with('第')
                || ctx.after.starts_with("周年")
                || quoted_name
                || deictic
                || duration
            {
                return vec![];
            }
            // A duration counts only at the head of a tally (5天3国3场).
            if c.set("tally").is_some() && !tally_continues(ctx.after, ctx.gaz) {
                return vec![];
            }
            let mut f = match count_fields(c, ctx.gaz) {
                Some(f) => f,
                None => return vec![],
            };
            // A unit-less number counts the noun before it (人口约28万) as
            // one with a classifier does; a share or a sum counts nothing.
            if f.get("counted").is_none_or(Value::is_null)
                && c.set("tally").is_none()
                && f.get("unit")
                    .and_then(Value::as_str)
                    .is_none_or(|u| u != "%" && !u.ends_with('元'))
            {
                let unit = f.get("unit").and_then(Value::as_str).unwrap_or("");
                // 3国, 4县: the unit is the counted noun itself.
                let counted = if unit == "国" {
                    Some("国家".to_string())
                } else if ctx.gaz.admin_nouns.iter().any(|a| a == unit) {
                    Some(unit.to_string())
                } else {
                    counted_noun(ctx.before, ctx.after, ctx.gaz)
                };
                f.insert("counted".into(), json!(counted));
            }
            vec![f]
        }
        "partnership" => places::partnership_fields(c, ctx),
        "agreement" => places::agreement_fields(c, ctx).into_iter().collect(),
        _ => vec![],
    }
}

/// How to place a year-less date: forward when its clause tells what is to
/// come (9月下旬,代表团将回访), else as the options say (news: the past).
/// How many chars before a date a future marker governs it (将于, 计划于).
const FUTURE_LEAD_CHARS: usize = 4;

fn tense(ctx: &Ctx) -> Prefer {
    if ctx.opts.prefer == Prefer::Future {
        return Prefer::Future;
    }
    // A date that opens a clause (9月下旬,…) is a topic: its tense is the
    // next clause's.
    let stops = [',', '。', ';', '!', '?'];
    let opens = ctx.before.is_empty() || ctx.before.ends_with(stops);
    let end_of = |s: &str| s.find(stops).unwrap_or(s.len());
    let mut end = end_of(ctx.after);
    if opens && ctx.after[end..].starts_with(',') {
        end += 1 + end_of(&ctx.after[end + 1..]);
    }
    let clause = &ctx.after[..end];
    let gaz = ctx.gaz;
    // 即将到来的春节: an attribute before the date tells a time ahead.
    let lead_start = places::clause_start(ctx.before, &stops);
    let lead = &ctx.before[lead_start..];
    if gaz
        .future_attributes
        .iter()
        .any(|a| lead.ends_with(a.as_str()))
    {
        return Prefer::Future;
    }
    // 签署《…合作行动计划》: a word inside a document's title tells no tense.
    let in_title =
        |text: &str, i: usize| text[..i].matches('《').count() > text[..i].matches('》').count();
    let says_future = |text: &str| {
        gaz.future_markers.iter().any(|m| {
            text.match_indices(m.as_str()).any(|(i, _)| {
                !in_title(text, i)
                    && !gaz
                        .not_future
                        .iter()
                        .any(|n| text[i..].starts_with(n.as_str()))
            })
        })
    };
    // 两市将于10月…: a marker right before the date (its last few chars).
    let near_lead = lead
        .char_indices()
        .rev()
        .nth(FUTURE_LEAD_CHARS - 1)
        .map_or(lead, |(i, _)| &lead[i..]);
    // …将于4月互派团组,并在下半年举办…: a clause joined by 并 shares the
    // tense of the one before.
    let joined_future = ["并", "且", "还", "同时"]
        .iter()
        .any(|j| lead.starts_with(j))
        && {
            let head = ctx.before[..lead_start].trim_end_matches(stops);
            says_future(&head[places::clause_start(head, &stops)..])
        };
    if says_future(clause) || says_future(near_lead) || joined_future {
        Prefer::Future
    } else {
        Prefer::Past
    }
}

fn date_fields(c: &Caps, ctx: &Ctx) -> Option<Map<String, Value>> {
    // A date that names its year is placed whatever its tense.
    let prefer = if c.cap("y").is_some() || c.cap("ry").is_some() {
        ctx.opts.prefer
    } else {
        tense(ctx)
    };
    // 每周一 (every Monday) and 3个月 are not calendar dates; 较上年, 比去年,
    // 较十年前 name the base of a comparison, not a time something happened.
    let relative = c.cap("ry").is_some()
        || c.cap("half").is_some()
        || c.cap("rn").is_some()
        || c.cap("rn2").is_some();
    if ctx.before.ends_with('每') || (relative && ctx.before.ends_with(['较', '比'])) {
        return None;
    }
    // 1979.2 stands alone in its cell or clause; 2023.5亿元, 12.5%, a longer
    // number or a word after it make it a decimal.
    if c.set("dotted").is_some()
        && (ctx
            .before
            .ends_with(|ch: char| ch.is_ascii_digit() || ch == '.')
            || ctx.after.starts_with(|ch: char| {
                ch.is_ascii_alphanumeric()
                    || ch == '%'
                    || ch == '.'
                    || crate::clean::pinyin::is_hanzi(ch)
            }))
    {
        return None;
    }
    // Scores (比分21:19) are not clock times.
    if c.cap("mi").is_some() && (ctx.before.ends_with('比') || ctx.before.ends_with("比分")) {
        return None;
    }
    // 上世纪80年代, 20世纪90年代末: a decade, an interval of its years (a
    // vague part keeps the precise one). A bare 80年代 is of the 1900s.
    let decade = if let Some(y) = c.cap("decy").and_then(|y| y.parse::<i32>().ok()) {
        Some((y, "explicit"))
    } else if let Some(dec) = c.cap("dec") {
        // 1980年代 is read whole (decy); its tail 80年代 is no decade.
        if ctx.before.ends_with(|ch: char| ch.is_ascii_digit()) {
            return None;
        }
        let d = numbers::parse_number(dec)? as i32;
        let (century, anchor) = match c.cap("cent") {
            None => (19, "document"),
            Some(w) if w.starts_with(['上', '本']) => {
                let r = ctx.reference?.year / 100;
                (if w.starts_with('上') { r - 1 } else { r }, "document")
            }
            Some(w) => (
                numbers::parse_number(w.trim_end_matches("世纪"))? as i32 - 1,
                "explicit",
            ),
        };
        if !(10..=90).contains(&d) || d % 10 != 0 || (c.cap("cent").is_none() && d < 20) {
            return None;
        }
        Some((century * 100 + d, anchor))
    } else {
        None
    };
    if let Some((start, anchor)) = decade {
        // 上世纪90年代以来: the interval runs on.
        let end = if c.cap("open").is_some() {
            "..".to_string()
        } else {
            (start + 9).to_string()
        };
        return Some(date_value_fields(&dates::DateValue {
            value: format!("{start}/{end}"),
            grain: "interval",
            anchor,
        }));
    }
    // 下半年 alone: the half of the page's year the tense points to (last
    // year's second half on a January page telling the past).
    if let Some(half) = c.cap("half") {
        let r = ctx.reference?;
        let (first, last) = if half.starts_with('上') {
            (1, 6)
        } else {
            (7, 12)
        };
        let year = match prefer {
            Prefer::Past if r.month < first => r.year - 1,
            Prefer::Future if r.month > last => r.year + 1,
            _ => r.year,
        };
        return Some(date_value_fields(&dates::DateValue {
            value: format!("{year:04}"),
            grain: "year",
            anchor: "document",
        }));
    }
    // 民国106年: Taiwan's years count from 1912.
    if let Some(roc) = c.cap("roc") {
        // 106, 一〇六 and 一百零六 read as numbers; 一一三 digit by digit.
        let n = if roc.contains(['十', '百']) || roc.chars().all(|ch| ch.is_ascii_digit()) {
            numbers::parse_number(roc)? as i32
        } else {
            roc.chars().try_fold(0, |acc, ch| {
                let d = match ch {
                    '零' | '〇' => 0.0,
                    _ => numbers::parse_number(&ch.to_string())?,
                };
                Some(acc * 10 + d as i32)
            })?
        };
        let y = 1911 + n;
        let m = c.cap("m").and_then(numbers::parse_number).map(|v| v as u32);
        let d = c.cap("d").and_then(numbers::parse_number).map(|v| v as u32);
        let (value, grain) = match (m, d) {
            (Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
                (format!("{y:04}-{m:02}-{d:02}"), "day")
            }
            (Some(m), _) if (1..=12).contains(&m) => (format!("{y:04}-{m:02}"), "month"),
            _ => (format!("{y:04}"), "year"),
        };
        // 自民國88年起: since then, open at its end.
        let (value, grain) = if c.cap("open").is_some() {
            (format!("{value}/.."), "interval")
        } else {
            (value, grain)
        };
        return Some(date_value_fields(&dates::DateValue {
            value,
            grain,
            anchor: "explicit",
        }));
    }
    // 次日, 翌日: the day after the day told last; 此前一天, the day before it.
    // 会谈前一天 is the day before the talks, not before the day told last:
    // 前一天 alone only where a clause opens.
    if let Some(bd) = c.cap("bd")
        && !bd.starts_with(['此', '其'])
        && !ctx.before.trim_end().is_empty()
        && !ctx.before.trim_end().ends_with([',', ';', ':'])
    {
        return None;
    }
    let step = match (c.cap("nd"), c.cap("bd")) {
        (Some(_), _) => Some(1),
        (_, Some(_)) => Some(-1),
        _ => None,
    };
    if let Some(step) = step {
        let d = ctx.prev_day?;
        let part = |a: usize, b: usize| d.get(a..b)?.parse::<u32>().ok();
        let days = dates::days_from_civil(d.get(..4)?.parse().ok()?, part(5, 7)?, part(8, 10)?);
        let (y, m, dd) = dates::civil_from_days(days + step);
        return Some(date_value_fields(&dates::DateValue {
            value: format!("{y:04}-{m:02}-{dd:02}"),
            grain: "day",
            anchor: "document",
        }));
    }
    // 同年10月, 次年3月: the year told last (in this sentence, else before).
    if let Some(ay) = c.cap("ay") {
        if c.cap("m").is_none() && matches!(ay, "当年" | "是年") {
            return None;
        }
        static YEAR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"([12][0-9]{3})\s*年").expect("static regex")
        });
        let base = YEAR
            .captures_iter(ctx.before)
            .last()
            .and_then(|m| m[1].parse::<i32>().ok())
            .or(ctx.prev_year)?;
        let year = base + i32::from(matches!(ay, "次年" | "翌年"));
        let y = year.to_string();
        let parts = DateParts {
            year: Some(&y),
            month: c.cap("m"),
            day: c.cap("d"),
            ..Default::default()
        };
        let mut v = dates::resolve(&parts, ctx.reference, prefer)?;
        v.anchor = "document";
        return Some(date_value_fields(&v));
    }
    // 3pm; 今晚 is a day and a part of it (dayparts.tsv). The part of the
    // day goes on as its half: 上午, 中午 or 下午.
    let daypart = c.cap("ampm").and_then(|w| ctx.gaz.dayparts.get(w));
    let ampm = match (daypart, c.cap("ap")) {
        (Some((half, _)), _) => Some(match half.as_str() {
            "pm" => "下午",
            "noon" => "中午",
            _ => "上午",
        }),
        (None, Some(a)) if a.starts_with(['p', 'P']) => Some("下午"),
        (None, Some(_)) => Some("上午"),
        (None, None) => None,
    };
    let rel_day = c.cap("rd").or(daypart.and_then(|(_, day)| day.as_deref()));
    // 这周边, 本周年: not weeks.
    if c.cap("wk").is_some() && ctx.after.starts_with(ctx.gaz.week_word_tails.as_slice()) {
        return None;
    }
    // 2.0时代, 1.5小时: a number's tail or a word in 时 is no clock time.
    if c.cap("h").is_some()
        && c.cap("m").is_none()
        && (ctx
            .before
            .ends_with(|ch: char| ch.is_ascii_digit() || ch == '.')
            || ctx.after.starts_with(ctx.gaz.hour_word_tails.as_slice()))
    {
        return None;
    }
    // A clock time with neither a part of the day, minutes, nor a day: 点
    // needs 钟 (三点建议 is three points), 时 an hour that is not 一 (一时间).
    if let Some(h) = c.cap("h")
        && ampm.is_none()
        && rel_day.is_none()
        && c.cap("mi").is_none()
        && c.cap("d").is_none()
    {
        let matched = ctx.matched();
        let ok = matched.ends_with("点钟")
            || matched.ends_with('时') && !matches!(h, "一" | "零" | "〇");
        if !ok {
            return None;
        }
    }
    // 一点一 is 1.1 as often as it is 1:05: the Cantonese five-minute 字 needs
    // a part of the day or 个字 to be read as a time.
    if let Some(mi) = c.cap("mi")
        && ampm.is_none()
        && mi.chars().count() == 1
        && !mi.starts_with(|ch: char| ch.is_ascii_digit())
        && !ctx.after.starts_with(['分', '个'])
    {
        return None;
    }
    let parts = DateParts {
        year: c.cap("y"),
        year2: c.cap("y2"),
        rel_year: c.cap("ry"),
        rel_month: c.cap("rm"),
        rel_day,
        rel_week: c.cap("rw"),
        weekday: c.cap("wd").or(c.cap("wd2")),
        month: c.cap("m").or(c.cap("m2")),
        day: c.cap("d").or(c.cap("d2")),
        hour: c.cap("h"),
        minute: c.cap("mi"),
        ampm,
        open: c.cap("open").is_some() || c.set("open") == Some("true"),
        week: c.cap("wk").is_some(),
    };
    // 国庆节, 2018年春节, 明年春节 (and a time on it: 儿童节下午三点).
    if let Some(name) = c.cap("hol") {
        // Another country's 国庆节 is not China's.
        if ctx
            .gaz
            .country_at_end(ctx.before)
            .is_some_and(|c| c != "中国")
        {
            return None;
        }
        let year = match (c.cap("y"), c.cap("ry")) {
            (Some(y), _) => Some(numbers::parse_number(y)? as i32),
            (None, Some(r)) => Some(ctx.reference?.year + dates::rel_year_offset(r)?),
            _ => None,
        };
        let mut v = ctx.holidays.resolve(name, year, ctx.reference, prefer)?;
        if c.cap("ry").is_some() {
            v.anchor = "document";
        }
        if c.cap("h").is_some() {
            let (y, m, d) = (&v.value[..4], &v.value[5..7], &v.value[8..10]);
            let timed = DateParts {
                year: Some(y),
                month: Some(m),
                day: Some(d),
                ..parts.clone()
            };
            let t = dates::resolve(&timed, ctx.reference, prefer)?;
            v.value = t.value;
            v.grain = t.grain;
        }
        return Some(date_value_fields(&v));
    }
    // 农历八月十五, 正月初一, 腊月廿三: a day of the Chinese calendar.
    if let (Some(lm), Some(ld)) = (
        c.cap("lm").or(c.cap("lm2")).or(c.cap("lm3")),
        c.cap("ld").or(c.cap("ld2")).or(c.cap("ld3")),
    ) {
        let month = match lm {
            "正" => 1,
            "冬" => 11,
            "腊" => 12,
            _ => numbers::parse_number(lm)? as u32,
        };
        let day = numbers::parse_number(ld.trim_start_matches('初'))? as u32;
        let year = c.cap("y").and_then(numbers::parse_number).map(|y| y as i32);
        let v = ctx
            .holidays
            .lunar_date(month, day, year, ctx.reference, prefer)?;
        let mut out = Map::new();
        out.insert("value".into(), json!(v.value));
        out.insert("grain".into(), json!(v.grain));
        out.insert("anchor".into(), json!(v.anchor));
        return Some(out);
    }
    // 十月的第一个星期一: the month resolved as usual, then its N-th weekday.
    if let (Some(nth), Some(wd)) = (c.cap("nth"), c.cap("wd")) {
        let month_only = DateParts {
            weekday: None,
            ..parts.clone()
        };
        let v = dates::resolve(&month_only, ctx.reference, prefer)?;
        let (y, m): (i32, u32) = (
            v.value.get(..4)?.parse().ok()?,
            v.value.get(5..7)?.parse().ok()?,
        );
        let n = numbers::parse_number(nth)? as i64;
        let w = dates::weekday_index(wd)?;
        let day = dates::nth_weekday(y, m, w, n);
        if dates::civil_from_days(day).1 != m {
            return None;
        }
        let mut out = Map::new();
        out.insert("value".into(), json!(dates::iso_day(day)));
        out.insert("grain".into(), json!("day"));
        out.insert("anchor".into(), json!(v.anchor));
        return Some(out);
    }
    // 前两天, 下三个月 (spans) and 两年前, 三天后 (points).
    if let Some(unit) = c.cap("ru") {
        // 规划的前三年, 开学前14天, 学位后六年, 安静上十分钟: a span counted from
        // something else than the page. Only one that opens its clause (or
        // follows 在/于/从/近) counts from the page.
        if c.cap("sd").is_some()
            && ctx
                .before
                .ends_with(|ch: char| crate::clean::pinyin::is_hanzi(ch))
            && !ctx.before.ends_with(['在', '于', '从', '近'])
        {
            return None;
        }
        // 三天前往北京: 前往 is "go to".
        if c.cap("pd") == Some("前")
            && ctx
                .after
                .starts_with(['往', '来', '进', '列', '景', '夕', '沿', '线', '方', '提'])
        {
            return None;
        }
        let n = numbers::parse_number(c.cap("rn").or(c.cap("rn2"))?)? as i64;
        // 2008年前 is "before 2008", 公元前180年 a year BC: not counts of years.
        if unit == "年" && n >= 200 {
            return None;
        }
        let (dir, span) = match (c.cap("sd"), c.cap("pd")) {
            (Some(d), _) => (d, true),
            (None, Some(d)) => (d, false),
            _ => return None,
        };
        let past = matches!(dir, "上" | "前" | "之前" | "以前");
        let v = dates::relative_units(n, unit, past, span, ctx.reference?)?;
        return Some(date_value_fields(&v));
    }
    let reference = if parts.rel_day.is_some() || parts.weekday.is_some() {
        ctx.day_reference
    } else {
        ctx.reference
    };
    let mut v = dates::resolve(&parts, reference, prefer)?;
    // A span of clock times (下午1:30-3:30): the end is on the start's day,
    // in its afternoon if the start was.
    if let Some(eh) = c.cap("eh").and_then(|h| h.parse::<u32>().ok())
        && let Some((day, time)) = v.value.split_once('T')
    {
        let sh: u32 = time.get(..2)?.parse().ok()?;
        let eh = if sh >= 12 && eh < 12 && eh + 12 >= sh {
            eh + 12
        } else {
            eh
        };
        let emi: u32 = c.cap("emi").and_then(|m| m.parse().ok()).unwrap_or(0);
        if eh > 24 || eh * 60 + emi <= sh * 60 {
            return None;
        }
        v = dates::DateValue {
            value: format!("{}/{day}T{eh:02}:{emi:02}", v.value),
            grain: "interval",
            anchor: v.anchor,
        };
    }
    // A span (2023年9月至10月, 3月5日至7日): `ey`/`em`/`ed` name its end.
    if c.cap("em").is_some() || c.cap("ed").is_some() {
        v = dates::resolve_span(&v, (c.cap("ey"), c.cap("em"), c.cap("ed")))?;
    }
    Some(date_value_fields(&v))
}

/// A resolved date as the contract's fields.
fn date_value_fields(v: &dates::DateValue) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("value".into(), json!(v.value));
    m.insert("grain".into(), json!(v.grain));
    m.insert("anchor".into(), json!(v.anchor));
    m
}

/// Count fields from captures `num`, `pre`, `post`, `unit`, `counted`.
pub fn count_fields(c: &Caps, gaz: &Gazetteer) -> Option<Map<String, Value>> {
    // 八成是老规矩 ("most likely"): a verb right after N成 only where an
    // approximation word before it makes it a proportion.
    if c.cap("verb").is_some() && c.cap("pre").is_none() {
        return None;
    }
    let num = c.cap("num").or(c.cap("num2"))?;
    let (value, vague) = match num {
        "数十" | "几十" => (10.0, true),
        "数百" | "几百" => (100.0, true),
        "数千" | "几千" => (1000.0, true),
        "数万" | "几万" => (10000.0, true),
        _ => (numbers::parse_number(num)?, false),
    };
    let approx = if vague {
        Some("over")
    } else {
        c.cap("post")
            .or(c.cap("post2"))
            .or(c.cap("pre"))
            .and_then(|w| gaz.approximations.get(w).map(String::as_str))
            .or(c.set("approx"))
    };
    let mut unit = c
        .cap("unit")
        .map(str::to_string)
        .or(c.set("unit").map(str::to_string));
    // 800万张, 3万英亩, 300万KW: a unit-less count before a hanzi or a
    // letter is a count whose unit the classifier list lacks (or the first
    // end of a range, 6万至8万元); none is better than one without its unit.
    // A particle after it (28万的人口) is no unit; nor is a noun the rule
    // took as counted (12万人口拥挤).
    // A noun for people within a few chars (30万华人, 30万福建籍华人) is
    // what is counted, not a missing unit.
    let people = || {
        c.after()
            .chars()
            .take(5)
            .take_while(|&ch| crate::clean::pinyin::is_hanzi(ch))
            .skip(1)
            .any(|ch| gaz.person_noun_tails.contains(&ch))
    };
    if unit.is_none()
        && c.cap("counted").is_none()
        && c.after().starts_with(|ch: char| {
            ch.is_ascii_alphabetic()
                || (crate::clean::pinyin::is_hanzi(ch) && !gaz.unit_free_followers.contains(&ch))
        })
        && !people()
    {
        return None;
    }
    // 3000多万元: the multiplier came after 多 with the unit; it belongs to
    // the value (3000多万元 is over 30,000,000 元, as 3000万元 is 30,000,000).
    let mut value = value;
    if let Some(u) = unit.clone() {
        for (prefix, times) in [("万亿", 1e12), ("亿", 1e8), ("万", 1e4)] {
            if let Some(rest) = u.strip_prefix(prefix)
                && !rest.is_empty()
            {
                value *= times;
                unit = Some(rest.to_string());
                break;
            }
        }
    }
    let counted = c
        .cap("counted")
        .map(str::to_string)
        .or(c.set("counted").map(str::to_string));
    let mut m = Map::new();
    // 42.3亿 is 42.3 × 10^8 in binary floating point (4229999999.9999995):
    // round away what the multiplication added below a millionth.
    // 165.3亿 (16530000000.000002) is a whole number off by what the
    // multiplication added, relative to its size.
    let whole = value.round();
    let value = if (value - whole).abs() <= 1e-9 * value.abs().max(1.0) {
        whole
    } else if value.abs() < 1.0e15 {
        (value * 1e6).round() / 1e6
    } else {
        value
    };
    let v = if value.fract() == 0.0 && value.abs() < 9.0e15 {
        json!(value as i64)
    } else {
        json!(value)
    };
    m.insert("value".into(), v);
    m.insert("unit".into(), json!(unit));
    m.insert("counted".into(), json!(counted));
    m.insert("approx".into(), json!(approx));
    Some(m)
}

/// The tables of a clean text: each row line (three or more cells apart by
/// spaces, no sentence punctuation) under the first row of its run, the
/// header, whose normalised text rules may ask for (`under_header`).
struct TableHeaders {
    /// (first char, end char, header text) of each row that has a header
    /// above it.
    rows: Vec<(usize, usize, std::rc::Rc<str>)>,
}

impl TableHeaders {
    fn header_of(&self, char_pos: usize) -> Option<&str> {
        // Rows are in text order: a binary search, so a page of many rows
        // stays linear.
        let i = self.rows.partition_point(|(s, _, _)| *s <= char_pos);
        let (s, e, h) = self.rows.get(i.checked_sub(1)?)?;
        (*s..*e).contains(&char_pos).then_some(&**h)
    }
}

fn table_headers(text: &str) -> TableHeaders {
    let is_row = |line: &str| {
        !line.contains(['。', ',', ';', '，', '；'])
            && line.split_whitespace().filter(|c| !c.is_empty()).count() >= 3
    };
    let mut rows = Vec::new();
    let mut header: Option<std::rc::Rc<str>> = None;
    let mut at = 0;
    for line in text.split('\n') {
        let n = line.chars().count();
        if is_row(line) {
            match &header {
                Some(h) => rows.push((at, at + n, h.clone())),
                None => header = Some(segment::normalise(line).into()),
            }
        } else {
            header = None;
        }
        at += n + 1;
    }
    TableHeaders { rows }
}

/// One fact per relation per document: mentions with the same key merge; the
/// first mention gives the span, later ones fill missing fields.
fn merge_relations(mut facts: Vec<Fact>, gaz: &Gazetteer, headline_end: usize) -> Vec<Fact> {
    let headline = |f: &Fact| f.sentence.0 < headline_end;
    name_bare_parties(&mut facts, gaz, headline_end);
    let mut out: Vec<Fact> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for f in facts {
        let key = match f.fact_type.as_str() {
            "partnership" => places::partnership_key(&f.fields, gaz),
            "agreement" => places::agreement_key(&f.fields, gaz),
            _ => None,
        };
        match key.as_ref().and_then(|k| index.get(k).copied()) {
            Some(i) => {
                let g = &mut out[i];
                let mut f = f;
                // 香港与韩国釜山签署… over 香港特区政府与釜山市政府签署…: the
                // headline shortens the signers the body names in full (and
                // the title, 深化合作备忘录 for 《…深化友好合作备忘录》), so the
                // body's mention stands for the signing.
                if g.fact_type == "agreement" && headline(g) && !headline(&f) {
                    std::mem::swap(g, &mut f);
                }
                g.mentions.push(f.span);
                // A mention that states the relation outranks a loose one.
                if g.fields.contains_key(places::LOOSE) && !f.fields.contains_key(places::LOOSE) {
                    g.fields.remove(places::LOOSE);
                    if let Some(r) = f.fields.get("relation") {
                        g.fields.insert("relation".into(), r.clone());
                    }
                }
                // A tie made outranks the one intended before it (意向书 in
                // 2019, 结为友好城市 in 2023), with its date; so does a
                // sister-city tie founded after the friendly exchange it grew
                // from (交流关系 in 1994, 友好城市 in 2012). A sister-city word
                // of the same date is the looser name of the same tie.
                fn relation(x: &Fact) -> Option<&str> {
                    x.fields.get("relation").and_then(Value::as_str)
                }
                fn date(x: &Fact) -> &str {
                    x.fields.get("date").and_then(Value::as_str).unwrap_or("")
                }
                let grew = relation(g) == Some("friendly_cooperation")
                    && relation(&f) == Some("sister_city")
                    && date(&f) > date(g);
                if grew
                    || relation(g) == Some("intent") && relation(&f).is_some_and(|r| r != "intent")
                {
                    for k in ["relation", "date"] {
                        if let Some(v) = f.fields.get(k).filter(|v| !v.is_null()) {
                            g.fields.insert(k.into(), v.clone());
                        }
                    }
                }
                // 1994年 in a roster, 1994年10月 in the telling: the finer date.
                if let (Some(Value::String(coarse)), Some(Value::String(fine))) =
                    (g.fields.get("date"), f.fields.get("date"))
                    && fine.len() > coarse.len()
                    && fine.starts_with(coarse.as_str())
                    && fine.as_bytes()[coarse.len()] == b'-'
                {
                    g.fields.insert("date".into(), Value::String(fine.clone()));
                }
                for (k, v) in f.fields {
                    if g.fields.get(&k).is_none_or(|x| x.is_null()) && !v.is_null() {
                        g.fields.insert(k, v);
                    }
                }
            }
            None => {
                if let Some(k) = key {
                    index.insert(k, out.len());
                }
                out.push(f);
            }
        }
    }
    adopt_from_same_place(&mut out, gaz);
    drop_bare_re_mentions(&mut out, gaz);
    drop_headline_summaries(&mut out, gaz, headline_end);
    drop_titled_duplicates(&mut out, gaz);
    for f in &mut out {
        f.fields.remove(places::LOOSE);
        f.fields.remove(places::TITLED);
    }
    out
}

/// A headline names a place by its bare stem (广东与日本兵库县…), the body
/// in full (广东省与兵库县…); a re-telling drops the region (深圳市 for
/// 广东省深圳市) or names the place for its government (新山市政厅). Where the
/// page tells the same pair with a fuller name, the shorter one takes it, so
/// the mentions are one fact.
fn name_bare_parties(facts: &mut [Fact], gaz: &Gazetteer, headline_end: usize) {
    let relation = |f: &Fact| matches!(f.fact_type.as_str(), "partnership" | "agreement");
    // A relation's two names, a government organ read as its place.
    let governed = |f: &Fact| -> Option<[String; 2]> {
        let n = party_names(f);
        let g = |i: usize| Some(places::governed_place(n.get(i)?, gaz).to_string());
        (n.len() == 2).then(|| Some([g(0)?, g(1)?])).flatten()
    };
    // In the order told: where a stem could be completed two ways (撒马尔罕
    // → 撒马尔罕市 or 撒马尔罕州), the pair told first wins.
    let mut seen = rustc_hash::FxHashSet::default();
    let told: Vec<[String; 2]> = facts
        .iter()
        .filter(|f| relation(f))
        .filter_map(governed)
        .filter(|pair| seen.insert(pair.clone()))
        .collect();
    if told.len() < 2 {
        return;
    }
    // The scorer's name match on names already normalised: one trailing 市
    // off, then equal or one ending the other (the shorter of 2+ chars).
    let trim = |n: &str| n.strip_suffix('市').unwrap_or(n).to_string();
    let matches = |a: &str, b: &str| {
        let (a, b) = (trim(a), trim(b));
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        short.chars().nth(1).is_some() && long.ends_with(short.as_str())
    };
    let same = |a: &str, b: &str| matches(a, b) || gaz.stem(a) == gaz.stem(b);
    // `y` names the place `x` names, more fully: by its stem, its ending,
    // its province's short name, or a longer form of the same division
    // (江原特别自治道 for 江原道, 首尔特别市 for 首尔市).
    let longer_form = |x: &str, y: &str| {
        let stem = gaz.stem(x);
        stem.len() < x.len() && gaz.stem(y) == stem && y.ends_with(&x[stem.len()..])
    };
    let fuller = |x: &str, y: &str| {
        y.len() > x.len()
            && y.chars().count() > x.chars().count()
            && (gaz.stem(y) == x
                || matches(x, y)
                || gaz.province_short_name(y) == Some(x)
                || longer_form(x, y))
    };
    // Every name told, found by its stem and by each ending of two chars or
    // more, so each party looks up a few candidates instead of scanning
    // every fact of the page.
    let mut by_key: rustc_hash::FxHashMap<String, Vec<(usize, usize)>> = Default::default();
    for (i, ys) in told.iter().enumerate() {
        for (j, y) in ys.iter().enumerate() {
            let t = trim(y);
            let ends = t.char_indices().map(|(b, _)| &t[b..]);
            for key in ends
                .filter(|e| e.chars().nth(1).is_some())
                .chain([gaz.stem(y)])
                .chain(gaz.province_short_name(y))
            {
                let v = by_key.entry(key.to_string()).or_default();
                if v.last() != Some(&(i, j)) && v.len() < 64 {
                    v.push((i, j));
                }
            }
        }
    }
    for f in facts.iter_mut().filter(|f| relation(f)) {
        let headline = f.sentence.0 < headline_end;
        let Some(names) = governed(f) else {
            continue;
        };
        let Some(parties) = f.fields.get_mut("parties").and_then(Value::as_array_mut) else {
            continue;
        };
        for k in 0..2 {
            let (x, other) = (&names[k], &names[1 - k]);
            // The first fuller name told, unless a later one is fuller
            // still (温州 → 温州市 → 浙江省温州市: one name for all three).
            let better = [x.clone(), trim(x), gaz.stem(x).to_string()]
                .iter()
                .filter_map(|key| by_key.get(key))
                .flatten()
                .filter_map(|&(i, j)| {
                    let ys = &told[i];
                    (fuller(x, &ys[j]) && same(other, &ys[1 - j])).then_some(&ys[j])
                })
                .fold(None::<&String>, |best, y| match best {
                    Some(b) if !fuller(b, y) => Some(b),
                    _ => Some(y),
                })
                .cloned();
            // 成都七中 for 成都市第七中学: a headline's abbreviation keeps the
            // full name's chars in order; its partner may be abbreviated too
            // (武陵高中与磐田南高校 for 武陵高级中等学校与磐田南高等学校).
            // Tried in the headline (the first sentence) of pages telling few
            // pairs only: it compares each name with every pair told.
            let better = better.or_else(|| {
                (headline && told.len() <= ABBREVIATION_PAIRS).then_some(())?;
                told.iter().find_map(|ys| {
                    (0..2).find_map(|j| {
                        let partner = &ys[1 - j];
                        (abbreviates(x, &ys[j])
                            && (same(other, partner) || abbreviates(other, partner)))
                        .then(|| ys[j].clone())
                    })
                })
            });
            // 蓉城与帕多瓦市缔结友好城市: a headline's name no gazetteer knows
            // (a city's nickname), across from a partner the body ties to one
            // place only, is that place.
            let better = better.or_else(|| {
                (headline && parties[k]["country"].is_null()).then_some(())?;
                let mut only: Option<&String> = None;
                for ys in &told {
                    for j in 0..2 {
                        if same(other, &ys[1 - j]) && !same(x, &ys[j]) && !same(other, &ys[j]) {
                            match only {
                                Some(o) if o != &ys[j] => return None,
                                _ => only = Some(&ys[j]),
                            }
                        }
                    }
                }
                only.cloned()
            });
            if let Some(y) = better {
                parties[k]["name"] = Value::String(y);
            }
        }
    }
}

/// Pages telling more relation pairs than this skip the abbreviation match.
const ABBREVIATION_PAIRS: usize = 64;

/// Is `short` an abbreviation of `long`: shorter, opening with the same char,
/// and its chars found in `long` in order, with some left out inside
/// (成都七中, 成都市第七中学)? A mere opening (澳门, 澳门特区) is a name of its
/// own, not an abbreviation.
fn abbreviates(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().next() == long.chars().next()
        && short.len() < long.len()
        && !long.starts_with(short)
        && short.chars().nth(1).is_some()
        && short.chars().all(|c| rest.any(|d| d == c))
}

fn party_names(f: &Fact) -> Vec<String> {
    places::party_names(f.fields.get("parties"))
}

/// A relation's two parties by stem, in order (南邦府 and 南邦市 give one key).
fn stem_pair(f: &Fact, gaz: &Gazetteer) -> Option<[String; 2]> {
    let p = f.fields.get("parties")?.as_array()?;
    let name = |i: usize| {
        p.get(i)?
            .get("name")?
            .as_str()
            .map(|n| gaz.stem(n).to_string())
    };
    let mut v = [name(0)?, name(1)?];
    v.sort();
    Some(v)
}

/// 代表青岛市与撒马尔罕州州长…签署建立友好城市关系协议书: the region is named
/// through its official; when the page states the partnership with the same
/// place under another suffix (撒马尔罕市), that one is the relation.
fn drop_titled_duplicates(facts: &mut Vec<Fact>, gaz: &Gazetteer) {
    let key = |f: &Fact| stem_pair(f, gaz);
    let plain: Vec<[String; 2]> = facts
        .iter()
        .filter(|f| f.fact_type == "partnership" && !f.fields.contains_key(places::TITLED))
        .filter_map(key)
        .collect();
    facts.retain(|f| {
        !(f.fact_type == "partnership"
            && f.fields.contains_key(places::TITLED)
            && key(f).is_some_and(|k| plain.contains(&k)))
    });
}

/// 今次签署协议: a signing of a bare document noun with no signer, after the
/// page reported an agreement of that kind, is that agreement again.
/// The signer may be the sentence's subject: it must then be one of the
/// earlier agreement's parties.
fn drop_bare_re_mentions(facts: &mut Vec<Fact>, gaz: &Gazetteer) {
    // (kind, parties) of the agreements kept so far.
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    facts.retain(|f| {
        if f.fact_type != "agreement" {
            return true;
        }
        let kind = f.fields.get("kind").and_then(Value::as_str).unwrap_or("");
        let parties = party_names(f);
        let bare = f.fields["count"].is_null()
            && f.fields
                .get("title")
                .and_then(Value::as_str)
                .is_some_and(|t| gaz.agreement_nouns.iter().any(|n| n == t));
        // 桃园 for 桃园市: one place, by its stem. Asked only of bare ones.
        // 马六甲州 for 马六甲州政府, 广西钦州市 for 广西壮族自治区钦州市 too.
        let place = |a: &str| gaz.innermost(places::governed_place(a, gaz)).to_string();
        let same = |a: &str, b: &str| {
            let (a, b) = (place(a), place(b));
            a == b || gaz.stem(&a) == gaz.stem(&b)
        };
        let again = || {
            seen.iter()
                .any(|(k, ps)| k == kind && parties.iter().all(|p| ps.iter().any(|q| same(p, q))))
        };
        if bare && again() {
            return false;
        }
        seen.push((kind.to_string(), parties));
        true
    });
}

/// 澳门与佛山签署文化交流合作协议 over 澳门特区政府社会文化司与广东省佛山市人民
/// 政府签署了《…协议》: a headline that names the signers by their places
/// (or names only one of them) tells the body's signing of the same kind.
/// Its mention goes to that signing. So for a tie: 贵阳与美国圣地亚哥缔结
/// “友好学校” over the body's two schools of those cities.
fn drop_headline_summaries(facts: &mut Vec<Fact>, gaz: &Gazetteer, headline_end: usize) {
    // The body's party is the place, or an institution of it.
    let of_place = |place: &str, body: &str| {
        let stem = gaz.stem(place);
        body == place || (stem.chars().nth(1).is_some() && body.contains(stem))
    };
    let mut i = 0;
    while i < facts.len() {
        let f = &facts[i];
        let parties = party_names(f);
        let summary = matches!(f.fact_type.as_str(), "agreement" | "partnership")
            && f.sentence.0 < headline_end
            && !parties.is_empty();
        // The kind of a signing, the relation of a tie.
        let kind = f.fields.get("kind").or(f.fields.get("relation")).cloned();
        let told = summary
            .then(|| {
                facts.iter().position(|g| {
                    g.fact_type == f.fact_type
                        && g.sentence.0 >= headline_end
                        && g.fields.get("kind").or(g.fields.get("relation")) == kind.as_ref()
                        && {
                            let body = party_names(g);
                            // A tie's party is told by an institution of the
                            // place, not by the place under another suffix
                            // (清迈府 and 清迈市 are two mentions of a place).
                            let tells = |p: &String, q: &String| {
                                of_place(p, q)
                                    && (f.fact_type == "agreement" || gaz.stem(q) != gaz.stem(p))
                            };
                            (body.len() >= parties.len()
                                && parties.iter().all(|p| body.iter().any(|q| tells(p, q))))
                                || (body.is_empty() && same_documents(f, g))
                        }
                })
            })
            .flatten()
            .or_else(|| {
                summary
                    .then(|| same_titled(facts, i, gaz, headline_end))
                    .flatten()
            });
        match told {
            Some(j) => {
                let span = facts[i].span;
                facts[j].mentions.push(span);
                facts.remove(i);
            }
            None => i += 1,
        }
    }
}

/// 上海港集团与日本横滨港签署友好合作备忘录 over 上海国际港务(集团)股份有限公司
/// 与…横滨川崎国际港湾株式会社…签署友好合作备忘录: the headline shortens
/// companies' names past matching, but the document is named alike. The one
/// body signing of that kind and title (more than a bare 备忘录) is the
/// headline's.
fn same_titled(facts: &[Fact], i: usize, gaz: &Gazetteer, headline_end: usize) -> Option<usize> {
    let f = &facts[i];
    let title = f.fields.get("title").and_then(Value::as_str)?;
    if f.fact_type != "agreement" || gaz.agreement_nouns.iter().any(|n| n == title) {
        return None;
    }
    let mut same = facts.iter().enumerate().filter(|(_, g)| {
        g.fact_type == "agreement"
            && g.sentence.0 >= headline_end
            && g.fields.get("kind") == f.fields.get("kind")
            && g.fields.get("title").and_then(Value::as_str) == Some(title)
            // 签署5项合作协议 is not the body's 3项.
            && g.fields.get("count") == f.fields.get("count")
    });
    match (same.next(), same.next()) {
        (Some((j, _)), None) => Some(j),
        _ => None,
    }
}

/// 签署7项合作协议 in the headline and 两国企业共签署7项合作协议 in the body:
/// the same number of documents of the same title is one signing, whoever
/// the headline makes its subject (甘肃省代表团…签署).
fn same_documents(headline: &Fact, body: &Fact) -> bool {
    let count = headline.fields.get("count").filter(|c| !c.is_null());
    count.is_some()
        && count == body.fields.get("count")
        && headline.fields.get("title") == body.fields.get("title")
}

/// A partnership known only from a loose mention (a 等友城 list) takes the
/// relation and date that the text states for the same pair elsewhere, when the
/// partner is named with another administrative suffix (泰国南邦市 in a list,
/// 泰国南邦府 where the relation is stated): one place, two spellings. The facts
/// stay apart, as the names differ.
fn adopt_from_same_place(facts: &mut [Fact], gaz: &Gazetteer) {
    let pair = |f: &Fact| stem_pair(f, gaz);
    let stated: Vec<([String; 2], Value, Value)> = facts
        .iter()
        .filter(|f| f.fact_type == "partnership" && !f.fields.contains_key(places::LOOSE))
        .filter_map(|f| {
            Some((
                pair(f)?,
                f.fields.get("relation")?.clone(),
                f.fields["date"].clone(),
            ))
        })
        .collect();
    for f in facts
        .iter_mut()
        .filter(|f| f.fact_type == "partnership" && f.fields.contains_key(places::LOOSE))
    {
        let Some(key) = pair(f) else { continue };
        if let Some((_, relation, date)) = stated.iter().find(|(k, _, _)| *k == key) {
            f.fields.insert("relation".into(), relation.clone());
            if f.fields.get("date").is_none_or(Value::is_null) {
                f.fields.insert("date".into(), date.clone());
            }
        }
    }
}

/// Tags of tokens that can be part of a counted noun phrase: nouns (n*),
/// verbal nouns (合作), distinguishing words (市级), abbreviations (上合).
fn nounish(tag: &str) -> bool {
    tag.starts_with('n') || matches!(tag, "vn" | "b" | "j" | "eng")
}

/// A noun phrase of jieba tokens: noun-ish tokens, and 和/及 between two nouns
/// (园区和机构).
fn noun_phrase(tokens: &[jieba_rs::Tag]) -> Option<String> {
    let mut end = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let next_noun = tokens.get(i + 1).is_some_and(|n| nounish(n.tag));
        let ok = nounish(t.tag)
            || (i > 0 && matches!(t.word, "和" | "及") && next_noun)
            || (t.tag == "a" && next_noun);
        if !ok || !t.word.chars().all(crate::clean::pinyin::is_hanzi) {
            break;
        }
        i += 1;
        if nounish(t.tag) {
            end = i;
        }
    }
    let np: String = tokens[..end].iter().map(|t| t.word).collect();
    (np.chars().count() >= 2).then_some(np)
}

/// 3份采购意向书, 2项投资合作协议: a document noun (`agreement_nouns.tsv`) ends
/// the counted noun, whose modifiers may be verbs (采购, 投资) as well as
/// nouns; within four words, all of them hanzi of two chars or more but the
/// noun's own.
fn document_phrase(tokens: &[jieba_rs::Tag], agreement_nouns: &[String]) -> Option<String> {
    const REACH: usize = 4;
    for (i, t) in tokens.iter().enumerate().take(REACH) {
        if !t.word.chars().all(crate::clean::pinyin::is_hanzi) {
            return None;
        }
        if agreement_nouns.iter().any(|n| t.word.ends_with(n.as_str())) {
            let np: String = tokens[..=i].iter().map(|t| t.word).collect();
            return (np.chars().count() >= 2).then_some(np);
        }
        let modifier = nounish(t.tag) || matches!(t.tag, "v" | "a");
        if !modifier || t.word.chars().nth(1).is_none() {
            return None;
        }
    }
    None
}

/// The noun a count counts: the noun phrase right after it (26个合作项目协议),
/// else the one right before it (举办活动34场, 新增市级友城5个).
fn counted_noun(before: &str, after: &str, gaz: &Gazetteer) -> Option<String> {
    let head: String = after.chars().take(12).collect();
    let tags = segment::tag(&head);
    let skip = usize::from(tags.first().is_some_and(|t| t.word == "的"));
    if let Some(np) = document_phrase(&tags[skip.min(tags.len())..], &gaz.agreement_nouns) {
        return Some(np);
    }
    if let Some(np) = noun_phrase(&tags[skip.min(tags.len())..]) {
        return Some(np);
    }
    // 4个州: a one-character place noun right after the classifier.
    if let Some(t) = tags.first()
        && t.word.chars().count() == 1
        && gaz.admin_nouns.iter().any(|a| a == t.word)
    {
        return Some(t.word.to_string());
    }
    // 友好交流城市达到30个: the noun before a quantity predicate.
    let before = gaz
        .count_copulas
        .iter()
        .find_map(|c| before.strip_suffix(c.as_str()))
        .unwrap_or(before);
    // 友好学校数量达到80对: the count is of the schools.
    let before = gaz
        .quantity_nouns
        .iter()
        .find_map(|q| before.strip_suffix(q.as_str()))
        .unwrap_or(before);
    const WINDOW: usize = 12;
    let tail: String = {
        let v: Vec<char> = before.chars().rev().take(WINDOW).collect();
        v.into_iter().rev().collect()
    };
    let tags = segment::tag(&tail);
    // The noun-ish tokens that end right where the count begins; an adjective
    // inside the run is attributive (友好协议). A window cut mid-text may
    // start inside a word, so its first token is never taken.
    let cut = usize::from(before.chars().nth(WINDOW).is_some());
    let start = tags
        .iter()
        .enumerate()
        .rposition(|(i, t)| {
            let attributive = t.tag == "a" && tags.get(i + 1).is_some_and(|n| nounish(n.tag));
            i < cut
                || !(nounish(t.tag) || attributive)
                || !t.word.chars().all(crate::clean::pinyin::is_hanzi)
        })
        .map_or(0, |p| p + 1);
    // A lone character at the head of the run is the tail of a word the
    // tagger split (两|国|友好城市), not part of the noun.
    let mut start = start;
    while start + 1 < tags.len() && tags[start].word.chars().count() == 1 {
        start += 1;
    }
    // 现有教学班36个: the tagger reads a quantity predicate before the noun
    // as a noun too (现有 "the present"); it heads the run, it is not the noun.
    if start + 1 < tags.len() && gaz.count_copulas.iter().any(|c| c == tags[start].word) {
        start += 1;
    }
    // A place before the noun owns it (亚琛市人口, 宜昌市现有…): not counted.
    // A word ending in a place suffix ends the place (市级 does not).
    let run = &tags[start..];
    let owner = run
        .iter()
        .rposition(|t| t.word.ends_with(gaz.owner_suffixes.as_slice()))
        .filter(|&i| {
            run[i + 1..]
                .iter()
                .map(|t| t.word.chars().count())
                .sum::<usize>()
                >= 2
        });
    let np: String = run[owner.map_or(0, |i| i + 1)..]
        .iter()
        .map(|t| t.word)
        .collect();
    (np.chars().count() >= 2).then_some(np)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A headline that shortens the companies past matching names the same
    /// signing as the one body signing of its kind and title; 上港集团 is a
    /// company, not the port "上港".
    #[test]
    fn a_headline_signing_is_told_by_its_title() {
        let text = "上海港集团与日本横滨港签署友好合作备忘录\n11月4日,上海国际港务(集团)股份有限公司与日本横滨川崎国际港湾株式会社在横滨签署友好合作备忘录。上港集团与横滨港早在1982年就结为友好港。";
        let signings = agreements(text, "2024-11-05");
        assert_eq!(signings.len(), 1, "{signings:?}");
        assert_eq!(
            party_names(&signings[0])[0],
            "上海国际港务(集团)股份有限公司"
        );
        let ties = partnerships(text, "2024-11-05");
        assert_eq!(party_names(&ties[0]), ["上港集团", "横滨港"]);
    }

    /// 我校 on a school's own page is the school its source line names.
    #[test]
    fn our_school_is_the_school_the_source_line_names() {
        let p = crate::pipeline::Pipeline::builtin().unwrap();
        let page = "我校与新加坡南洋女子中学校缔结友好学校\n2024-05-17 来源：厦门双十中学\n\
                    5月16日上午,我校与新加坡南洋女子中学校友好学校签约仪式在我校行政楼举行。\n";
        let (_, facts) = p
            .process(&crate::pipeline::Input::new("t", page.as_bytes()))
            .unwrap();
        let tie = facts
            .iter()
            .find(|f| f.fact_type == "partnership")
            .expect("a tie");
        assert_eq!(party_names(tie), ["厦门双十中学", "南洋女子中学校"]);
    }

    /// A headline's 广西 is the body's 广西壮族自治区: one tie.
    #[test]
    fn a_provinces_short_name_is_its_full_name() {
        let ties = partnerships(
            "广西与柬埔寨暹粒省结为友好省份\n11月7日,广西壮族自治区与柬埔寨暹粒省在南宁签署协议书,双方正式结为友好省份。",
            "2024-11-08",
        );
        assert_eq!(ties.len(), 1, "{ties:?}");
        assert_eq!(party_names(&ties[0])[0], "广西壮族自治区");
        let g = Extractor::builtin().unwrap().gazetteer;
        assert_eq!(g.province_short_name("广西壮族自治区"), Some("广西"));
        assert_eq!(g.province_short_name("温州市"), None);
    }

    #[test]
    fn table_rows_know_their_header() {
        let text = "杭州市友城一览\n序号 国家 城市 结好时间\n1 日本 岐阜市 1979.2\n两市交往密切，成果丰硕。\n1 日本 岐阜市 1979.2";
        let t = table_headers(text);
        let row = text
            .find("1 日本")
            .map(|b| text[..b].chars().count())
            .unwrap();
        assert_eq!(t.header_of(row), Some("序号 国家 城市 结好时间"));
        let header = text
            .find("序号")
            .map(|b| text[..b].chars().count())
            .unwrap();
        assert_eq!(t.header_of(header), None);
        let lone = text
            .rfind("1 日本")
            .map(|b| text[..b].chars().count())
            .unwrap();
        assert_eq!(t.header_of(lone), None);
    }

    #[test]
    fn a_province_before_a_chinese_city_names_the_city() {
        let ex = Extractor::builtin().unwrap();
        let g = &ex.gazetteer;
        assert_eq!(g.innermost("浙江省温州市"), "温州市");
        assert_eq!(g.innermost("广西钦州市"), "钦州市");
        assert_eq!(g.innermost("广西壮族自治区钦州市"), "钦州市");
        // What is left must be a division itself.
        assert_eq!(g.innermost("广西大学"), "广西大学");
        assert_eq!(g.innermost("温州市"), "温州市");
    }

    /// A headline's stem, the body's city and the treaty title's full path
    /// name one place: one partnership, and the officials' bare signing of
    /// the same memorandum is no second one.
    #[test]
    fn one_place_named_three_ways_is_one_party() {
        let text = "温州与塞尔维亚克拉古耶瓦茨市缔结友好城市关系\n6月13日,温州市与塞尔维亚克拉古耶瓦茨市缔结友好城市关系。\
                    两市市长共同签署《浙江省温州市与塞尔维亚共和国克拉古耶瓦茨市建立友好城市关系协议书》。";
        let ties = partnerships(text, "2024-06-14");
        assert_eq!(ties.len(), 1, "{ties:?}");
        assert_eq!(party_names(&ties[0])[0], "浙江省温州市");
        let text = "马六甲州政府与中国广西壮族自治区钦州市今日签署友好合作备忘录。\
                    马六甲首席部长与钦州市市长代表各自政府签署备忘录。";
        assert_eq!(agreements(text, "2024-06-14").len(), 1);
    }

    #[test]
    fn list_mentions_adopt_the_relation_stated_for_the_same_place() {
        let ex = Extractor::builtin().unwrap();
        let doc = selftest::example_doc(
            "5月,德州市与泰国清迈府结为友好合作关系城市。德州市广泛接待泰国清迈市、韩国光明市等友城团组来访。",
            Some("2024-06-01"),
        );
        let got: Vec<(String, String, Value)> = ex
            .extract(&doc, &Options::default())
            .into_iter()
            .filter(|f| f.fact_type == "partnership")
            .map(|f| {
                let partner = f.fields["parties"][1]["name"].as_str().unwrap().to_string();
                let rel = f.fields["relation"].as_str().unwrap().to_string();
                (partner, rel, f.fields["date"].clone())
            })
            .collect();
        let find = |n: &str| {
            got.iter()
                .find(|g| g.0 == n)
                .unwrap_or_else(|| panic!("{n}: {got:?}"))
        };
        assert_eq!(find("清迈府").1, "friendly_cooperation");
        assert_eq!(find("清迈市").1, "friendly_cooperation");
        assert_eq!(find("清迈市").2, "2024-05");
        assert_eq!(find("光明市").1, "sister_city");
    }

    /// The facts of one type the builtin rules find in `text`.
    fn facts_of(fact_type: &str, text: &str, reference: &str) -> Vec<Fact> {
        let doc = selftest::example_doc(text, Some(reference));
        Extractor::builtin()
            .unwrap()
            .extract(&doc, &Options::default())
            .into_iter()
            .filter(|f| f.fact_type == fact_type)
            .collect()
    }

    fn partnerships(text: &str, reference: &str) -> Vec<Fact> {
        facts_of("partnership", text, reference)
    }

    /// The page's one partnership (asserting there is exactly one).
    fn the_one_partnership(text: &str, reference: &str) -> Fact {
        let mut facts = partnerships(text, reference);
        assert_eq!(facts.len(), 1, "{facts:?}");
        facts.remove(0)
    }

    fn agreements(text: &str, reference: &str) -> Vec<Fact> {
        facts_of("agreement", text, reference)
    }

    #[test]
    fn a_headline_naming_the_signers_places_tells_the_bodys_signing() {
        let text = "澳门与佛山签署文化交流合作协议\n\
                    10月11日,澳门特区政府社会文化司与广东省佛山市人民政府签署了《文化交流合作协议》。";
        let facts = agreements(text, "2023-10-12");
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(
            facts[0].fields["parties"][0]["name"],
            "澳门特区政府社会文化司"
        );
        assert!(
            facts[0].mentions.iter().any(|m| m.0 < 15),
            "the headline's mention is kept: {:?}",
            facts[0].mentions
        );
        // Also where the body's governments key with the headline's places
        // (釜山 is known, so 釜山市政府 governs it): the body's names stand.
        let text = "香港与韩国釜山签署合作备忘录\n\
                    会见后,香港特区政府与釜山市政府签署了《创新科技及旅游合作备忘录》。";
        let facts = agreements(text, "2024-03-16");
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(facts[0].fields["parties"][1]["name"], "釜山市政府");
        assert_eq!(facts[0].mentions.len(), 2, "{:?}", facts[0].mentions);
        // A headline signing of another kind is a signing of its own.
        let text = "澳门与佛山签署旅游合作备忘录\n\
                    10月11日,澳门特区政府社会文化司与广东省佛山市人民政府签署了《文化交流合作协议》。";
        assert_eq!(agreements(text, "2023-10-12").len(), 2);
    }

    #[test]
    fn the_bodys_mention_of_a_headline_signing_gives_its_fields() {
        let text = "成都与罗马签署深化合作备忘录\n\
                    10月14日,成都与罗马签署了《成都市与罗马市深化友好合作备忘录》。";
        let facts = agreements(text, "2024-10-15");
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(facts[0].fields["title"], "成都市与罗马市深化友好合作备忘录");
        assert_eq!(facts[0].fields["date"], "2024-10-14");
        assert_eq!(facts[0].mentions.len(), 2, "{:?}", facts[0].mentions);
    }

    #[test]
    fn a_tie_is_dated_by_the_day_not_the_hour_of_its_ceremony() {
        let text = "两市结为友好城市\n6月19日下午3时,哈尔滨市与俄罗斯新西伯利亚市签署友好城市关系协议书,两市正式缔结为友好城市。";
        let facts: Vec<Fact> = facts_of("partnership", text, "2023-06-20")
            .into_iter()
            .chain(agreements(text, "2023-06-20"))
            .collect();
        assert_eq!(facts.len(), 2, "a tie and a signing: {facts:?}");
        for f in facts {
            assert_eq!(f.fields["date"], "2023-06-19", "{f:?}");
        }
    }

    #[test]
    fn a_headline_counting_the_bodys_documents_tells_its_signing() {
        let text = "河南省代表团访问越南 签署5项合作协议\n\
                    访问期间,两国企业共签署5项合作协议,涉及物流等领域。";
        let facts = agreements(text, "2024-06-13");
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(facts[0].fields["parties"], serde_json::json!([]));
        assert_eq!(facts[0].mentions.len(), 2, "{:?}", facts[0].mentions);
        // Another number of documents is another signing.
        let text = "河南省代表团访问越南 签署5项合作协议\n\
                    访问期间,两国企业共签署3项合作协议。";
        assert_eq!(agreements(text, "2024-06-13").len(), 2);
    }

    #[test]
    fn a_headline_stem_takes_the_full_name_the_body_gives() {
        let text = "湖南与日本滋贺县庆祝结好40周年\n湖南省与日本滋贺县于1983年3月结为友好省县。";
        let fact = the_one_partnership(text, "2023-03-21");
        assert_eq!(fact.fields["parties"][0]["name"], "湖南省");
        assert_eq!(fact.fields["date"], "1983-03");
    }

    #[test]
    fn a_headline_abbreviation_takes_the_full_name_the_body_gives() {
        let text = "宁波二中与德国汉堡文理中学结为友好学校\n\
                    3月7日,宁波市第二中学与德国汉堡文理中学正式结为友好学校。";
        let fact = the_one_partnership(text, "2024-03-08");
        assert_eq!(fact.fields["parties"][0]["name"], "宁波市第二中学");
        // A mere opening is a name of its own, not an abbreviation.
        assert!(!abbreviates("澳门", "澳门特区"));
        assert!(abbreviates("宁波二中", "宁波市第二中学"));
    }

    #[test]
    fn a_bare_stem_completed_two_ways_takes_the_pair_told_first() {
        let text = "青岛市与撒马尔罕市结为友好城市。青岛市与撒马尔罕州签署合作协议。\
                    撒马尔罕被誉为“古丝绸之路明珠”。青岛市与“古丝绸之路明珠”结好。";
        let fact = the_one_partnership(text, "2024-02-01");
        assert_eq!(fact.fields["parties"][1]["name"], "撒马尔罕市");
        assert_eq!(fact.mentions.len(), 2);
    }

    #[test]
    fn a_division_by_its_older_shorter_form_is_the_same_division() {
        // 江原道 is 江原特别自治道 (renamed), named by its shorter form.
        let text = "吉林省与韩国江原特别自治道缔结友好省道30周年\n\
                    1994年6月,吉林省与江原道正式缔结友好省道关系。";
        let fact = the_one_partnership(text, "2024-06-21");
        assert_eq!(fact.fields["parties"][1]["name"], "江原特别自治道");
        assert_eq!(fact.fields["date"], "1994-06");
    }

    #[test]
    fn a_headline_nickname_takes_the_place_the_body_ties_its_partner_to() {
        // 榕城 (Fuzhou's nickname) is in no gazetteer; the body ties 塔科马市
        // to 福州市 only.
        let text = "榕城与美国塔科马市缔结友好城市\n\
                    6月17日,福州市与美国塔科马市签署协议,两市正式结为友好城市。";
        let facts = partnerships(text, "2024-06-18");
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(facts[0].fields["parties"][0]["name"], "福州市");
        // Two counterparts in the body: no guess.
        let text = "榕城与美国塔科马市缔结友好城市\n\
                    福州市与美国塔科马市结为友好城市。厦门市与美国塔科马市也结为友好城市。";
        let facts = partnerships(text, "2024-06-18");
        assert_eq!(facts.len(), 3, "{facts:?}");
    }

    #[test]
    fn a_headline_abbreviating_both_schools_is_the_bodys_tie() {
        // 高中 and the Japanese 高校 (县立…高校) shorten 高级中学, 高等学校.
        let text = "台南市立后壁高中与日本冈山县立玉野高校缔结姊妹校\n\
                    台南市立后壁高级中学11日与日本冈山县立玉野高等学校缔结为姊妹校。";
        let fact = the_one_partnership(text, "2023-12-12");
        assert_eq!(fact.fields["parties"][0]["name"], "台南市立后壁高级中学");
        assert_eq!(fact.fields["parties"][1]["name"], "冈山县立玉野高等学校");
    }

    /// A partner named through its official (图尔州州长) yields to the
    /// partnership stated for the same place (图尔市); alone, it stands.

    #[test]
    fn a_partner_named_through_an_official_yields_to_the_stated_one() {
        let ex = Extractor::builtin().unwrap();
        let partners = |text: &str| -> Vec<String> {
            let doc = selftest::example_doc(text, Some("2024-06-01"));
            ex.extract(&doc, &Options::default())
                .into_iter()
                .filter(|f| f.fact_type == "partnership")
                .map(|f| f.fields["parties"][1]["name"].as_str().unwrap().to_string())
                .collect()
        };
        let signing = "市长代表洛阳市与图尔州州长签署建立友好城市关系协议书。";
        assert_eq!(
            partners(&format!(
                "5月,洛阳市与法国图尔市缔结友好城市关系。{signing}"
            )),
            ["图尔市"]
        );
        assert_eq!(partners(signing), ["图尔州"]);
    }

    /// 今次签署协议 re-mentions the agreement already reported; a bare
    /// memorandum of another kind, or the first of its kind, stays.
    #[test]
    fn bare_re_mentions_of_an_agreement_are_dropped() {
        let ex = Extractor::builtin().unwrap();
        let kinds = |text: &str| -> Vec<String> {
            let doc = selftest::example_doc(text, Some("2024-03-28"));
            ex.extract(&doc, &Options::default())
                .into_iter()
                .filter(|f| f.fact_type == "agreement")
                .map(|f| f.fields["kind"].as_str().unwrap().to_string())
                .collect()
        };
        let first = "澳门大学与波尔图大学签署学术交流协议。";
        assert_eq!(
            kinds(&format!("{first}校长表示,今次签署协议意义重大。")),
            ["agreement"]
        );
        assert_eq!(
            kinds(&format!("{first}澳门大学今次签署协议意义重大。")),
            ["agreement"]
        );
        assert_eq!(
            kinds(&format!("{first}两市企业签署了备忘录。")),
            ["agreement", "memorandum"]
        );
        assert_eq!(kinds("校长表示,今次签署协议意义重大。"), ["agreement"]);
        // The signer named by its stem (嘉义 for 嘉义市) is the same signer.
        assert_eq!(
            kinds("嘉义市与大垣市签署友好交流备忘录。嘉义与大垣同为古城,此次签署备忘录意义重大。"),
            ["memorandum"]
        );
    }

    /// `boundary = true`: a match must start and end on jieba token
    /// boundaries (今年 inside 如今 + 年轻人 does not count).
    #[test]
    fn boundary_rules_respect_tokens() {
        let facts = |boundary: bool, text: &str| {
            let rule = format!(
                "schema = 1\n[[rule]]\nid = \"t\"\ntype = \"date\"\nboundary = {boundary}\npattern = '(?P<ry>今年)'\nnormalizer = \"date\"\n[[rule.example]]\ntext = \"x\"\nexpect = []\n"
            );
            let mut src = Sources::builtin();
            src.files
                .retain(|(p, _)| p.starts_with("lexicon/") || p == "macros.toml");
            src.files.push(("dates/t.toml".into(), rule));
            let ex = Extractor::from_sources(&src).unwrap();
            let doc = selftest::example_doc(text, Some("2024-05-01"));
            ex.extract(&doc, &Options::default()).len()
        };
        assert_eq!(facts(false, "如今年轻人越来越多。"), 1);
        assert_eq!(facts(true, "如今年轻人越来越多。"), 0);
        assert_eq!(facts(true, "今年,代表团来访。"), 1);
    }
}
