//! Places and parties: the gazetteer (countries, foreign regions, Chinese
//! divisions), party-name normalisation (country prefix split off, descriptors
//! dropped), context resolution (此次, 两市, 我市 → the page's home place), and
//! the partnership and agreement normalisers.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, StartKind};
use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::mentions::{Kind, Mention};
use super::rules::{Lexicons, lexicon_pairs, longest_first};
use super::{Caps, Ctx};
use crate::wordset::WordSet;

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
    pub hedges: WordSet,
    /// Negations (`negations.txt`: 尚未, 并未): no realis marker undoes them.
    pub negations: WordSet,
    /// Prepositions that make the name after them an adjunct (`adjunct_markers.txt`).
    pub adjunct_markers: Vec<String>,
    /// Wishes, plans ahead and rumours (`sentence_hedges.txt`): their scope
    /// runs to the end of the sentence, past the clause the hedges are read in.
    pub sentence_hedges: WordSet,
    /// Openers of a verb phrase sharing the subject before (`coordinators.txt`).
    pub coordinators: Vec<String>,
    /// Prepositions of place (`locative_markers.txt`).
    pub locative_markers: Vec<String>,
    /// Words that name parties by context (`context_words.txt`): 两国 is not a count.
    pub context_words: Vec<String>,
    /// Markers that a relation came about (`realis_markers.txt`): they lift a hedge.
    pub realis_markers: WordSet,
    /// Context words naming both parties at once (`pair_words.txt`).
    pub pair_words: Vec<String>,
    /// Administrative suffixes, longest first (`admin_suffixes.txt`).
    admin_suffixes: Vec<String>,
    /// Adverbs and prepositions after a subject (`subject_followers.txt`).
    pub subject_followers: Vec<String>,
    /// Bare document nouns (`agreement_nouns.tsv`): 协议, 备忘录 ...
    pub agreement_nouns: Vec<String>,
    /// Each document noun with its kind, in the file's order of precedence.
    pub agreement_kinds: Vec<(String, String)>,
    /// Approximation words and the `approx` each gives (`approximations.tsv`).
    pub approximations: HashMap<String, String>,
    /// Particles a unit-less count may stand before (`unit_free_followers.txt`).
    pub unit_free_followers: Vec<char>,
    /// Words of a document that deepens a tie (`tie_deepeners.txt`).
    pub tie_deepeners: Vec<String>,
    /// Last chars of nouns for people (`person_noun_tails.txt`).
    pub person_noun_tails: Vec<char>,
    /// Words after a relation that its founding date follows (始于, 建立于).
    pub since_markers: Vec<String>,
    /// Official titles (`person_titles.txt`: 州长, 市长 ...), as an anchored
    /// automaton: does a title start here?
    pub person_titles: AhoCorasick,
    /// 该公司, 该校 … (`org_anaphors.txt`): the institution named just before, never the home place.
    pub org_anaphors: Vec<String>,
    /// Future auxiliaries after a year-less date (`future_markers.txt`),
    /// and the words that start like one without being one (将近).
    pub future_markers: Vec<String>,
    pub not_future: Vec<String>,
    /// Attributes that put the date after them ahead (`future_attributes.txt`:
    /// 即将到来的春节).
    pub future_attributes: Vec<String>,
    /// 我校, 本公司 … (`home_institutions.tsv`): the page's own institution,
    /// with the name endings it may have.
    pub home_institutions: Vec<(String, Vec<String>)>,
    /// One-character administrative nouns (州, 县, 省), from `admin_suffixes.txt`.
    pub admin_nouns: Vec<String>,
    /// Verbs between a noun and its count (`count_copulas.txt`), longest first.
    pub count_copulas: Vec<String>,
    /// Nouns naming a quantity of the noun before them (`quantity_nouns.txt`).
    pub quantity_nouns: Vec<String>,
    /// Suffixes that end a place owning a counted noun (`owner_suffixes.txt`).
    pub owner_suffixes: Vec<char>,
    /// Parts of the day (`dayparts.tsv`): word → (half of the day, the day a
    /// fused word also names).
    pub dayparts: HashMap<String, (String, Option<String>)>,
    /// Chars that make 周 / 时 part of another word (`week_word_tails.txt`,
    /// `hour_word_tails.txt`), and the units that continue a tally
    /// (`tally_units.txt`).
    /// Government organs after a place name (`government_bodies.txt`), longest first.
    pub government_bodies: Vec<String>,
    /// A port's operators after its name (`port_operators.txt`), longest first.
    pub port_operators: Vec<String>,
    /// The last chars of the organs and operators above: most names end in
    /// none of them, and need no suffix compared.
    organ_ends: Vec<char>,
    /// Nouns for groups of firms and schools (`collective_nouns.txt`): a
    /// clause they open has no place for its subject.
    pub collective_nouns: Vec<String>,
    /// 大学, 学院 (`university_suffixes.txt`).
    pub university_suffixes: Vec<String>,
    /// 特别行政区, 特区 (`place_designations.txt`), longest first.
    pub place_designations: Vec<String>,
    /// 月, 小时, 星期 … after N个: a duration (`duration_nouns.txt`).
    pub duration_nouns: Vec<String>,
    pub week_word_tails: Vec<char>,
    pub hour_word_tails: Vec<char>,
    pub tally_units: Vec<char>,
    /// Chinese provinces, by full name and by stem (广西壮族自治区, 广西),
    /// longest first: the region before a city (浙江省温州市).
    province_prefixes: Vec<String>,
}

impl Gazetteer {
    /// Does `text` open with an official's title (州长…, 町长…)?
    pub fn opens_with_title(&self, text: &str) -> bool {
        self.person_titles
            .is_match(aho_corasick::Input::new(text).anchored(aho_corasick::Anchored::Yes))
    }

    pub fn new(lex: &Lexicons) -> Self {
        let pairs = |name: &str| lexicon_pairs(lex, name);
        let mut countries = pairs("countries");
        countries.extend(pairs("countries_extra"));
        countries.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
        let mut regions = pairs("foreign_regions");
        regions.extend(pairs("regions_extra"));
        regions.extend(pairs("foreign_stems"));
        regions.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
        let mut cn: HashMap<String, String> = pairs("cn_places").into_iter().collect();
        // Taiwan's cities and counties (cn_stems_tw.txt): cpca lists only the province.
        for s in lex.get("cn_stems_tw").into_iter().flatten() {
            cn.entry(format!("{s}市")).or_insert_with(|| "city".into());
            cn.entry(format!("{s}县"))
                .or_insert_with(|| "county".into());
        }
        let list = |n: &str| lex.get(n).cloned().unwrap_or_default();
        let chars =
            |n: &str| -> Vec<char> { list(n).iter().filter_map(|w| w.chars().next()).collect() };
        let provinces: Vec<&String> = cn
            .iter()
            .filter(|(_, level)| level.as_str() == "province")
            .map(|(n, _)| n)
            .collect();
        let province_prefixes = longest_first(
            provinces
                .iter()
                .map(|p| p.to_string())
                .chain(
                    list("cn_stems")
                        .into_iter()
                        .filter(|st| provinces.iter().any(|p| p.starts_with(st.as_str()))),
                )
                .collect(),
        );
        let government_bodies = longest_first(list("government_bodies"));
        let port_operators = longest_first(list("port_operators"));
        Gazetteer {
            countries,
            regions,
            cn,
            descriptors: list("descriptors"),
            org_suffixes: list("org_suffixes"),
            hedges: WordSet::with_exceptions(&list("hedges"), &list("hedge_exceptions")),
            negations: WordSet::new(&list("negations")),
            adjunct_markers: list("adjunct_markers"),
            locative_markers: list("locative_markers"),
            coordinators: list("coordinators"),
            sentence_hedges: WordSet::with_exceptions(
                &list("sentence_hedges"),
                &list("hedge_exceptions"),
            ),
            context_words: list("context_words"),
            realis_markers: WordSet::new(&list("realis_markers")),
            pair_words: list("pair_words"),
            since_markers: longest_first(list("since_markers")),
            subject_followers: list("subject_followers"),
            agreement_nouns: list("agreement_nouns"),
            agreement_kinds: pairs("agreement_nouns"),
            approximations: pairs("approximations").into_iter().collect(),
            unit_free_followers: chars("unit_free_followers"),
            tie_deepeners: list("tie_deepeners"),
            person_noun_tails: chars("person_noun_tails"),
            person_titles: AhoCorasickBuilder::new()
                .start_kind(StartKind::Anchored)
                .build(list("person_titles"))
                .expect("title automaton"),
            org_anaphors: list("org_anaphors"),
            future_markers: list("future_markers")
                .into_iter()
                .filter(|w| !w.starts_with('-'))
                .collect(),
            not_future: list("future_markers")
                .into_iter()
                .filter_map(|w| w.strip_prefix('-').map(String::from))
                .collect(),
            future_attributes: list("future_attributes"),
            home_institutions: pairs("home_institutions")
                .into_iter()
                .map(|(w, ends)| (w, ends.split_whitespace().map(String::from).collect()))
                .collect(),
            admin_nouns: list("admin_suffixes")
                .into_iter()
                .filter(|s| s.chars().count() == 1)
                .collect(),
            count_copulas: longest_first(list("count_copulas")),
            quantity_nouns: list("quantity_nouns"),
            owner_suffixes: list("owner_suffixes")
                .iter()
                .filter_map(|w| w.chars().next())
                .collect(),
            admin_suffixes: longest_first(list("admin_suffixes")),
            dayparts: pairs("dayparts")
                .into_iter()
                .map(|(w, rest)| {
                    let mut cols = rest.split('\t');
                    let half = cols.next().unwrap_or_default().trim().to_string();
                    let day = cols.next().map(str::trim).filter(|d| !d.is_empty());
                    (w, (half, day.map(str::to_string)))
                })
                .collect(),
            organ_ends: {
                let mut ends: Vec<char> = government_bodies
                    .iter()
                    .chain(&port_operators)
                    .filter_map(|w| w.chars().next_back())
                    .collect();
                ends.sort_unstable();
                ends.dedup();
                ends
            },
            government_bodies,
            port_operators,
            collective_nouns: list("collective_nouns"),
            university_suffixes: list("university_suffixes"),
            place_designations: longest_first(list("place_designations")),
            duration_nouns: longest_first(list("duration_nouns")),
            week_word_tails: chars("week_word_tails"),
            hour_word_tails: chars("hour_word_tails"),
            tally_units: chars("tally_units"),
            province_prefixes,
        }
    }

    /// The short name a province goes by (广西 for 广西壮族自治区, 湖南 for
    /// 湖南省), when `name` is a province's full name.
    pub fn province_short_name<'a>(&self, name: &'a str) -> Option<&'a str> {
        if self.cn.get(name).is_none_or(|level| level != "province") {
            return None;
        }
        self.province_prefixes
            .iter()
            .filter(|p| p.len() < name.len() && name.starts_with(p.as_str()))
            .map(|p| &name[..p.len()])
            .min_by_key(|p| p.len())
    }

    /// A Chinese place without the province written before it: 浙江省温州市,
    /// 广西钦州市 and 广西壮族自治区钦州市 all name 钦州市 or 温州市. Only
    /// when what is left is itself a known division, so a name that merely
    /// opens like a province (广西大学) stays whole.
    pub fn innermost<'a>(&self, name: &'a str) -> &'a str {
        self.province_prefixes
            .iter()
            .find_map(|p| {
                let rest = name.strip_prefix(p.as_str())?;
                (rest.chars().nth(1).is_some() && self.cn.contains_key(rest)).then_some(rest)
            })
            .unwrap_or(name)
    }

    /// The country a text ends with (以色列国庆节: Israel's, not China's).
    pub fn country_at_end(&self, text: &str) -> Option<&str> {
        self.countries
            .iter()
            .find(|(n, _)| text.ends_with(n.as_str()))
            .map(|(_, c)| c.as_str())
    }

    /// A place name without its administrative suffix (南邦府 → 南邦), if at
    /// least two characters remain; two names with one stem name one place.
    pub fn stem<'a>(&self, name: &'a str) -> &'a str {
        self.admin_suffixes
            .iter()
            .filter_map(|s| name.strip_suffix(s.as_str()))
            .find(|r| r.chars().count() >= 2)
            .unwrap_or(name)
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
}

/// Marks a partnership whose relation a loose mention (结好, 等友城) implied.
pub const LOOSE: &str = "_loose";

/// Marks an agreement whose signers are "both" parties of an earlier relation.
pub const BOTH: &str = "_both";
/// Internal marker: a partner named through an official's title (州长).
pub const TITLED: &str = "_titled";

static COUNT_IN_TITLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"([0-9]+|[一二两三四五六七八九十百]+)(?:个|份|项)([^个份项]{2,})$")
        .expect("static regex")
});

/// Fill agreements signed by 双方/两市 with the pair named last before them:
/// a partnership's parties, or an earlier agreement's two signatories (facts
/// in reading order).
pub fn resolve_both(facts: &mut Vec<super::Fact>, gaz: &Gazetteer) {
    let mut last: Option<Value> = None;
    for f in facts.iter_mut() {
        if f.fact_type == "partnership" {
            if f.fields.contains_key(BOTH) {
                if let Some(p) = &last {
                    f.fields.remove(BOTH);
                    // 两省州建立友好合作关系 after the governments signed: the
                    // places they govern are the partners.
                    let places: Vec<Value> = p
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|party| {
                            let mut party = party.clone();
                            if let Some(name) = party.get("name").and_then(Value::as_str) {
                                let place = governed_place(name, gaz).to_string();
                                party["name"] = json!(place);
                            }
                            party
                        })
                        .collect();
                    f.fields.insert("parties".into(), json!(places));
                }
            } else {
                last = f.fields.get("parties").cloned();
            }
        } else if f.fact_type == "agreement" {
            if f.fields.remove(BOTH).is_some() {
                if let Some(p) = &last {
                    f.fields.insert("parties".into(), p.clone());
                }
            } else if let Some(p) = f.fields.get("parties")
                && p.as_array().is_some_and(|a| a.len() == 2)
            {
                last = Some(p.clone());
            }
        }
    }
    // A partnership has two parties: a pair word with no pair before names none.
    facts.retain(|f| !(f.fact_type == "partnership" && f.fields.contains_key(BOTH)));
}

#[derive(Debug, Clone, PartialEq)]
struct Party {
    name: String,
    country: Option<String>,
}

impl Party {
    /// 成都市人民政府 → 成都市: a place's government organ stands for the place.
    fn governed_place(self, gaz: &Gazetteer) -> Party {
        Party {
            name: governed_place(&self.name, gaz).to_string(),
            country: self.country,
        }
    }
    fn json(&self) -> Value {
        json!({"name": self.name, "country": self.country})
    }
    fn same(&self, o: &Party) -> bool {
        self.name.trim_end_matches('市') == o.name.trim_end_matches('市')
    }
    /// Named like an administrative division (not a port, school, park...).
    fn is_division(&self) -> bool {
        ["市", "县", "区", "州", "省", "郡", "府", "道"]
            .iter()
            .any(|s| self.name.ends_with(s))
    }
}

/// The names of a relation's `parties` array (a fact's fields or a record).
pub fn party_names(parties: Option<&Value>) -> Vec<String> {
    parties
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn from_mention(m: &Mention) -> Party {
    Party {
        name: m.name.clone(),
        country: m.country.clone(),
    }
}

/// The party a context word (此次, 两市, 我市) or an omitted subject stands
/// for: the first Chinese place or institution named earlier in the sentence,
/// else the page's home place.
/// The byte where the text's last clause starts: right after the last of
/// `stops`, else 0.
pub fn clause_start(text: &str, stops: &[char]) -> usize {
    text.rfind(stops).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    })
}

/// A number and the classifier of places, bodies or batches (9个, 十余家,
/// 5所): what the regexes below read as "counted, not named".
const COUNTED: &str = r"(?:[0-9]+|[一二两三四五六七八九十百几数多]+)[余多]?(?:个|家|所|座|批)";

/// A count of places or bodies ending a clause (9个市州, 十余家企业): the
/// clause's subject is that many, unnamed.
static COUNTED_SUBJECT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(r"{COUNTED}\p{{Han}}{{1,4}}$")).unwrap()
});

/// Does a name after `lead` open its sentence: a few chars at most before it,
/// or a short time clause ending in a comma (早在2017年,)?
fn opens_sentence(lead: &str) -> bool {
    let n = lead.chars().count();
    n <= 6 || (n <= 16 && lead.ends_with(','))
}

/// The name that opens the sentence as its subject (目前,上合示范区已与…):
/// after at most a short time phrase, and followed by an adverb of a
/// subject or by 与.
fn sentence_topic(ctx: &Ctx) -> Option<Party> {
    let m = ctx.sentence_mentions.first()?;
    let rest = &ctx.norm_sentence[m.end..];
    let opens = opens_sentence(&ctx.norm_sentence[..m.start]);
    let subject = rest.starts_with(['与', '同'])
        || ctx
            .gaz
            .subject_followers
            .iter()
            .any(|w| rest.starts_with(w.as_str()));
    (m.end <= ctx.before.len() && matches!(m.kind, Kind::Place | Kind::Org) && opens && subject)
        .then(|| from_mention(m))
}

/// A counterpart counted, not named, right after 与 (园区内3家企业).
static COUNTED_COUNTERPART: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(r"^\p{{Han}}{{0,4}}?{COUNTED}")).unwrap()
});

fn default_subject(ctx: &Ctx) -> Option<Party> {
    let clause_start = clause_start(ctx.before, &['。', ';', ',']);
    let clause = &ctx.before[clause_start..];
    // 我校与…签署: the page's own institution, else nobody; it is the
    // clause's subject whatever the sentence named before.
    if let Some((_, ends)) = ctx
        .gaz
        .home_institutions
        .iter()
        .find(|(w, _)| clause.contains(w.as_str()))
    {
        // Not the counterpart the match itself names.
        return (ctx.home_org)(ends)
            .filter(|m| !ctx.matched().contains(m.name.as_str()))
            .as_ref()
            .map(from_mention);
    }
    // 全年共有9个市州与外国城市签署…: places counted, not named, sign; not
    // the subject of a clause before (工业园举行签约仪式,5家企业与…签署).
    if COUNTED_SUBJECT.is_match(clause) {
        return None;
    }
    preceding_subject(ctx, true).or_else(|| {
        // 双方企业也于同日签署…: both sides' firms, unnamed, sign; not an
        // institution named before, nor the page's place.
        let firms = |w: &String| {
            clause.match_indices(w.as_str()).any(|(i, _)| {
                let rest = &clause[i + w.len()..];
                ctx.gaz
                    .collective_nouns
                    .iter()
                    .any(|n| rest.starts_with(n.as_str()))
            })
        };
        if ctx.gaz.pair_words.iter().any(firms) {
            return None;
        }
        // 此前,该公司曾与北京大学签署…: an institution's clause, not the city's.
        if ctx
            .gaz
            .org_anaphors
            .iter()
            .any(|a| clause.contains(a.as_str()))
        {
            // The institution named just before, else nobody: never the city.
            return (ctx.antecedent_org)().as_ref().map(from_mention);
        }
        let (name, country) = ctx.gaz.party(&(ctx.home)()?)?;
        Some(Party { name, country })
    })
}

/// The first Chinese place (or, with `orgs`, institution) before the match.
fn preceding_subject(ctx: &Ctx, orgs: bool) -> Option<Party> {
    let start = ctx.before.len();
    ctx.sentence_mentions
        .iter()
        .take_while(|m| m.end <= start)
        .find(|m| {
            // 在北京, 以…中心为契机, 与…大学: an adjunct, not the subject.
            let adjunct = ctx
                .gaz
                .adjunct_markers
                .iter()
                .any(|a| ctx.norm_sentence[..m.start].ends_with(a.as_str()));
            // ,富山县知事某某…并与辽宁省省长签署: a foreign place whose
            // official opens a clause is the subject too.
            let official_leads = || {
                let before = ctx.norm_sentence[..m.start].trim_end();
                (before.is_empty() || before.ends_with([',', ';', ':']))
                    && ctx.gaz.opens_with_title(&ctx.norm_sentence[m.end..])
            };
            !adjunct
                && match m.kind {
                    Kind::Place => m.country.as_deref() == Some("中国") || official_leads(),
                    Kind::Org => orgs && m.country.is_none(),
                    _ => false,
                }
        })
        .map(from_mention)
}

/// 在奥斯汀市政厅与奥斯汀市长…签署: a first name right after a preposition
/// of place is where the act happened, not a party; it is split off, and
/// the subject falls to the sentence's (台中市长…).
fn locative_lead<'a>(
    mut items: Vec<(&'a Mention, &'a str)>,
    ctx: &Ctx,
) -> (Vec<(&'a Mention, &'a str)>, Option<&'a Mention>) {
    let lead = items.first().is_some_and(|(m, sep)| {
        matches!(m.kind, Kind::Place | Kind::Org)
            && sep.starts_with(['与', '同'])
            && after_locative(m, ctx)
    });
    if lead {
        let (m, _) = items.remove(0);
        (items, Some(m))
    } else {
        (items, None)
    }
}

/// Does a preposition of place (在, 于) stand right before the mention?
fn after_locative(m: &Mention, ctx: &Ctx) -> bool {
    ctx.gaz
        .locative_markers
        .iter()
        .any(|w| ctx.norm_sentence[..m.start].ends_with(w.as_str()))
}

/// The pair a match opening with a coordinator (并签署…) shares its subject
/// with: the only two places or institutions before it in the sentence (not
/// counting a venue after 在), joined by 与/同/和.
/// Does the match open with a coordinator (并, 还): a clause joined to the one before?
fn coordinated(ctx: &Ctx) -> bool {
    let matched = ctx.matched();
    ctx.gaz
        .coordinators
        .iter()
        .any(|w| matched.starts_with(w.as_str()))
}

fn coordinated_pair(ctx: &Ctx) -> Option<Vec<Party>> {
    if !coordinated(ctx) {
        return None;
    }
    let named: Vec<&Mention> = ctx
        .sentence_mentions
        .iter()
        .take_while(|m| m.end <= ctx.before.len())
        .filter(|m| matches!(m.kind, Kind::Place | Kind::Org) && !after_locative(m, ctx))
        .collect();
    let [a, b] = named.as_slice() else {
        return None;
    };
    // 与 right after the first; at most a country before the second.
    let between = ctx.norm_sentence.get(a.end..b.start)?;
    let country_only = ctx
        .sentence_mentions
        .iter()
        .filter(|m| m.start >= a.end && m.end <= b.start)
        .all(|m| m.kind == Kind::Country);
    (between.starts_with(['与', '同', '和']) && country_only)
        .then(|| vec![from_mention(a), from_mention(b)])
}

/// The two names a title joins with 与/同/和 (a country between them is part of
/// the second name): 《中国宁波市与德国亚琛市…协议书》.
fn title_pair(items: &[(&Mention, &str)]) -> Option<Vec<Party>> {
    let named = |m: &Mention| matches!(m.kind, Kind::Place | Kind::Org);
    let (k, _) = items
        .iter()
        .enumerate()
        .find(|(_, (m, after))| named(m) && after.starts_with(['与', '同', '和']))?;
    let rest = &items[k + 1..];
    let j = rest.iter().position(|(m, _)| named(m))?;
    // Only countries, with nothing after them, between the two.
    let (second, _) = rest[j];
    rest[..j]
        .iter()
        .all(|(m, after)| m.kind == Kind::Country && after.is_empty())
        .then(|| vec![from_mention(items[k].0), from_mention(second)])
}

/// Walk a captured stretch of the mention view into (subject, partners)
/// groups. A name followed by 与/同 (or by 和 where neither occurs) opens a
/// group as its subject; the names after it are its partners. A country named
/// alone (哈萨克斯坦的A、B) lends itself to the names that follow without one;
/// a demonstrative among the partners (与该市…) is the place named before it.
fn groups(items: &[(&Mention, &str)], ctx: &Ctx) -> Vec<(Option<Party>, Vec<Party>)> {
    let strong = items.iter().any(|(_, sep)| sep.contains(['与', '同']));
    // 烟台市的友好城市X: the possessor is the subject, and every name after
    // it a partner (…A、B和C).
    let possessive = |sep: &str| sep.starts_with('的') && sep.contains(['友', '姊', '姐']);
    let roster = items.iter().any(|(_, sep)| possessive(sep));
    let opens = |sep: &str| {
        if possessive(sep) {
            return true;
        }
        if roster {
            return false;
        }
        let sep = sep.trim_start_matches(|c: char| !matches!(c, '与' | '同' | '和' | '、' | ','));
        if strong {
            sep.starts_with(['与', '同'])
        } else {
            sep.starts_with('和')
        }
    };
    // (subjects, partners, 分别): a list may stand as the subject (甲、乙、丙
    // 分别与A、B、C…).
    let mut raw: Vec<(Vec<Party>, Vec<Party>, bool)> = Vec::new();
    let is_last = |m: &Mention| items.last().is_some_and(|(l, _)| std::ptr::eq(*l, m));
    let mut subjects: Vec<Party> = Vec::new();
    let mut respective = false;
    let mut partners: Vec<Party> = Vec::new();
    let mut carry: Option<String> = None;
    for (m, sep) in items {
        match m.kind {
            // A country that lends itself to no name after it is a party of
            // its own (四川省与新加坡签署): a city-state, or a nation.
            Kind::Country
                if (sep.is_empty() && is_last(m))
                    || sep.starts_with(['、', '和', '与', '及', '同']) => {}
            Kind::Country => {
                carry = Some(m.name.clone());
                continue;
            }
            Kind::Context => {
                if opens(sep) {
                    if !subjects.is_empty() || !partners.is_empty() {
                        raw.push((
                            std::mem::take(&mut subjects),
                            std::mem::take(&mut partners),
                            respective,
                        ));
                    }
                    // Resolved by the caller: a group without a subject.
                    respective = false;
                } else if let Some(p) = demonstrative_antecedent(m, ctx) {
                    // 与该市市长…签署: the partner is the place named before.
                    partners.push(p);
                }
                continue;
            }
            Kind::Place | Kind::Org => {}
        }
        let mut p = from_mention(m);
        if m.kind == Kind::Country {
            p.country = Some(m.name.clone());
        }
        if p.country.is_none() && m.kind == Kind::Place {
            p.country = carry.clone();
        } else if p.country.is_some() && p.country.as_deref() != Some("中国") {
            carry = p.country.clone();
        }
        if opens(sep) {
            // The names listed before the first subject (甲、乙 + 丙与) are
            // subjects with it.
            let listed = strong && raw.is_empty() && subjects.is_empty();
            if listed {
                subjects = std::mem::take(&mut partners);
            } else if !subjects.is_empty() || !partners.is_empty() {
                raw.push((
                    std::mem::take(&mut subjects),
                    std::mem::take(&mut partners),
                    respective,
                ));
            }
            subjects.push(p);
            respective = sep.contains("分别");
            carry = None;
        } else {
            partners.push(p);
        }
    }
    if !subjects.is_empty() || !partners.is_empty() {
        raw.push((subjects, partners, respective));
    }
    let mut out = Vec::new();
    for (subjects, partners, respective) in raw {
        match subjects.len() {
            0 => out.push((None, partners)),
            1 => out.push((subjects.into_iter().next(), partners)),
            // 分别 with lists of one length pairs them in order; otherwise
            // each subject stands with every partner.
            n if respective && partners.len() == n => {
                out.extend(
                    subjects
                        .into_iter()
                        .zip(partners)
                        .map(|(a, b)| (Some(a), vec![b])),
                );
            }
            _ => out.extend(subjects.into_iter().map(|a| (Some(a), partners.clone()))),
        }
    }
    out
}

/// 该市, 该省: the last place of that kind (its name ends in 市, 省) the
/// sentence named before the word.
fn demonstrative_antecedent(m: &Mention, ctx: &Ctx) -> Option<Party> {
    let noun = m.name.strip_prefix('该')?;
    ctx.sentence_mentions
        .iter()
        .take_while(|n| n.end <= m.start)
        .filter(|n| n.kind == Kind::Place && n.name.ends_with(noun))
        .last()
        .map(from_mention)
}

/// The year (and month) in brackets right after a name: (1985年), (1992年10月).
fn gloss_date(rest: &str) -> Option<String> {
    static GLOSS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\(\s*([12][0-9]{3})\s*年(?:\s*(1[0-2]|0?[1-9])\s*月)?\s*\)").unwrap()
    });
    let c = GLOSS.captures(rest)?;
    Some(match c.get(2) {
        Some(m) => format!("{}-{:02}", &c[1], m.as_str().parse::<u32>().ok()?),
        None => c[1].to_string(),
    })
}

fn sentence_date(ctx: &Ctx) -> Value {
    // 友好城市关系始于1985年: the founding date told right after the relation.
    let after = ctx.after.strip_prefix("关系").unwrap_or(ctx.after);
    if let Some(rest) = ctx
        .gaz
        .since_markers
        .iter()
        .find_map(|w| after.strip_prefix(w.as_str()))
    {
        let at = ctx.span.1 + ctx.after.chars().count() - rest.chars().count();
        if let Some(v) = ctx
            .sent_facts
            .iter()
            .find(|f| f.fact_type == "date" && f.span.0 == at)
            .and_then(|f| f.fields.get("value"))
        {
            return v.clone();
        }
    }
    point_dates_before(ctx)
        .max_by_key(|f| f.span.0)
        .and_then(|f| f.fields.get("value").cloned())
        .unwrap_or(Value::Null)
}

/// The sentence's dates that start before the match ends, intervals left out
/// (论坛期间 7月11日至12日 dates no founding), and so are dates inside a
/// title in 《》 (签署了《2025年经贸合作协议》 is signed on the sentence's day).
fn point_dates_before<'a>(ctx: &'a Ctx) -> impl Iterator<Item = &'a super::Fact> {
    let sentence_start = ctx.span.0 - ctx.before.chars().count();
    ctx.sent_facts
        .iter()
        .filter(|f| f.fact_type == "date" && f.span.0 < ctx.span.1)
        .filter(|f| f.fields.get("grain").and_then(Value::as_str) != Some("interval"))
        .filter(move |f| {
            let mut depth = 0i32;
            for c in ctx
                .norm_sentence
                .chars()
                .take(f.span.0.saturating_sub(sentence_start))
            {
                match c {
                    '《' => depth += 1,
                    '》' => depth -= 1,
                    _ => {}
                }
            }
            depth <= 0
        })
}

/// 于2015年和2018年分别与A、B结为…: as many dates as partners, and 分别
/// after them, date each partner in turn.
fn respective_dates(ctx: &Ctx, partners: usize) -> Option<Vec<Value>> {
    let mut dates: Vec<&super::Fact> = point_dates_before(ctx).collect();
    if partners < 2 || dates.len() != partners {
        return None;
    }
    dates.sort_by_key(|f| f.span.0);
    // 分别 between the last date and the end of the match (spans count chars
    // of the clean text; the normalised sentence has as many chars).
    let last_end = dates.last()?.span.1;
    let sentence_start = ctx.span.0 - ctx.before.chars().count();
    let from = last_end.checked_sub(sentence_start)?;
    let upto = ctx.norm_sentence.len() - ctx.after.len();
    let between: String = ctx.norm_sentence[..upto].chars().skip(from).collect();
    // Or right before the first date (分别于1978年和1979年与A、B…).
    let opened: String = ctx
        .norm_sentence
        .chars()
        .take(dates[0].span.0.checked_sub(sentence_start)?)
        .collect();
    let opened = opened.trim_end_matches(['于', '在']);
    if !between.contains("分别") && !opened.ends_with("分别") {
        return None;
    }
    Some(
        dates
            .iter()
            .map(|f| f.fields.get("value").cloned().unwrap_or(Value::Null))
            .collect(),
    )
}

/// Does the text right after a relation say which anniversary it is (二十周年, 10周年)?
fn anniversary_follows(after: &str) -> bool {
    // 缔结友好省州关系30周年: the relation's noun may come first.
    let after = after.strip_prefix("关系").unwrap_or(after);
    let rest = after.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(c)
    });
    rest.len() < after.len() && rest.starts_with("周年")
}

/// Plans, hopes and negotiations are not relations, unless the sentence
/// says it came about (成功, 正式, 已).
/// The text without what stands inside 《》 (an unclosed 《 runs to the end).
fn unquoted(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['《', '》']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

fn hedged(ctx: &Ctx) -> bool {
    // A document's name says nothing of the act (《…行动计划》 is no plan
    // to sign): hedges and negations are read outside 《》.
    let matched = unquoted(ctx.matched());
    let before = unquoted(ctx.before);
    let tail: String = before
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // The rest of the clause (…就缔结友好城市关系进行了磋商): up to its punctuation.
    let clause_end = ctx
        .after
        .find([',', '。', ';', '!', '?', '、', '\u{FF0C}'])
        .unwrap_or(ctx.after.len());
    let rest = unquoted(&ctx.after[..clause_end]);
    let said =
        |words: &WordSet| words.in_text(&matched) || words.in_text(&tail) || words.in_text(&rest);
    // 尚未正式结为: a negation holds whatever else the clause says.
    if said(&ctx.gaz.negations) {
        return true;
    }
    // A wish, a plan ahead or a rumour holds the rest of the sentence,
    // whatever realis marker it reports (网民称,某市已与…签署).
    if ctx.gaz.sentence_hedges.in_text(&before) {
        return true;
    }
    said(&ctx.gaz.hedges) && !ctx.gaz.realis_markers.in_text(&matched)
}

/// A tie told inside a document's title that is no agreement (《关于与…建立
/// 友好城市关系的请示》, a request for approval) is a tie asked for, not made;
/// one inside an agreement's title (《建立友好城市关系协议书》) is made.
fn in_other_title(ctx: &Ctx) -> bool {
    // The relation word ends the match: is it inside an open 《?
    let upto = format!("{}{}", ctx.before, ctx.matched());
    let Some(open) = upto.rfind('《') else {
        return false;
    };
    if upto[open..].contains('》') {
        return false;
    }
    let title_end = ctx.after.find('》').unwrap_or(ctx.after.len());
    let title = format!("{}{}", &upto[open..], &ctx.after[..title_end]);
    !ctx.gaz
        .agreement_nouns
        .iter()
        .any(|n| title.contains(n.as_str()))
}

/// 与美国加州、韩国首尔等地的5所高中缔结姊妹校: the names are where the
/// partners are; the partners themselves are counted, not named.
static PLACES_OF_COUNTED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(r"等(?:地|国|国家|地区|城市)的?{COUNTED}")).unwrap()
});

pub fn partnership_fields(c: &Caps, ctx: &Ctx) -> Vec<Map<String, Value>> {
    if hedged(ctx) || in_other_title(ctx) || PLACES_OF_COUNTED.is_match(ctx.matched()) {
        return vec![];
    }
    let relation = c.set("relation").unwrap_or("sister_city");
    // 签署了建立友好城市关系意向书: the tie signed for is only intended; so
    // is one agreed on (就两市缔结友好城市关系达成共识).
    let after = ctx
        .after
        .strip_prefix("关系")
        .unwrap_or(ctx.after)
        .trim_start_matches('的');
    let intended = after.starts_with("意向") || after.starts_with("达成");
    let relation = if intended && relation != "sister_school" {
        "intent"
    } else {
        relation
    };
    // 结好二十周年庆典: the sentence dates the anniversary, not the founding;
    // 签署《深化友好城市合作协议》 dates a tie's deepening (tie_deepeners.txt).
    let deepens = ctx
        .gaz
        .tie_deepeners
        .iter()
        .any(|w| ctx.matched().contains(w.as_str()));
    let date = if anniversary_follows(ctx.after) || deepens {
        Value::Null
    } else {
        sentence_date(ctx)
    };
    let mut out = Vec::new();
    // 两市结为友好城市: the pair told before, filled in by `resolve_both`.
    if c.set("pair").is_some() {
        let pair = c
            .items("g")
            .iter()
            .any(|(m, _)| ctx.gaz.pair_words.contains(&m.name));
        if pair {
            let mut m = Map::new();
            m.insert("relation".into(), json!(relation));
            m.insert("date".into(), date);
            // The pair the same sentence named before the pair word (…到访
            // 绵阳市第一中学,两校签署…); else the pair the sentence just before
            // named; else the last pair a relation named, filled in by
            // `resolve_both`.
            let parties: Option<Vec<Party>> = named_before(ctx).or_else(|| {
                (ctx.antecedent_pair)().map(|pair| pair.iter().map(from_mention).collect())
            });
            match parties {
                Some(pair) => {
                    let pair: Vec<Value> = pair
                        .into_iter()
                        .map(|p| p.governed_place(ctx.gaz).json())
                        .collect();
                    m.insert("parties".into(), json!(pair));
                }
                None => {
                    m.insert("parties".into(), json!([]));
                    m.insert(BOTH.into(), json!(true));
                }
            }
            out.push(m);
        }
        return out;
    }
    let (items, _) = locative_lead(c.items("g"), ctx);
    // 与撒马尔罕州州长…签署: the partners named through an official.
    let titled: Vec<&str> = items
        .iter()
        .filter(|(men, _)| {
            ctx.norm_sentence
                .get(men.end..)
                .is_some_and(|rest| ctx.gaz.opens_with_title(rest))
        })
        .map(|(men, _)| men.name.as_str())
        .collect();
    // The places and institutions of the stretch, for the set subject options.
    let named: Vec<Party> = items
        .iter()
        .filter(|(m, _)| matches!(m.kind, Kind::Place | Kind::Org))
        .map(|(m, _)| from_mention(m))
        .collect();
    let groups = match c.set("subject") {
        // 烟台、群山两市; 格勒诺布尔市是潍坊市的友好城市: two names, the first
        // as subject.
        Some("first") => {
            // A context word in the stretch must be a pair word (两市, not 此次).
            let context_ok = items
                .iter()
                .filter(|(m, _)| m.kind == Kind::Context)
                .all(|(m, _)| ctx.gaz.pair_words.contains(&m.name));
            match <[Party; 2]>::try_from(named) {
                Ok([a, b]) if context_ok => vec![(Some(a), vec![b])],
                _ => return out,
            }
        }
        // …建立友好城市关系,其中包括A、B和C: every name listed is a partner;
        // the subject is the sentence's (or the page's).
        Some("none") => vec![(None, named)],
        // 北九州市、仁川广域市是大连最早的一批友城: the names listed before the
        // copula, each with the possessor after it.
        Some("last") => {
            let mut named = named;
            let Some(owner) = named.pop().filter(|_| !named.is_empty()) else {
                return out;
            };
            named
                .into_iter()
                .map(|a| (Some(a), vec![owner.clone()]))
                .collect()
        }
        _ => groups(&items, ctx),
    };
    // A roster's partner dated in brackets after its name (A(1985年)、B…).
    let glossed: Vec<(&str, String)> = items
        .iter()
        .filter_map(|(m, _)| {
            Some((
                m.name.as_str(),
                gloss_date(ctx.norm_sentence.get(m.end..)?)?,
            ))
        })
        .collect();
    // 于2015年和2018年分别与A、B结为…: one date per partner, in order.
    let partner_count: usize = groups.iter().map(|(_, p)| p.len()).sum();
    let respective = respective_dates(ctx, partner_count);
    let mut next_partner = 0;
    for (subject, partners) in groups {
        let first_partner = next_partner;
        next_partner += partners.len();
        // 我校与…结为友好学校 with no school named: the page's city is no school.
        let Some(a) = subject.or_else(|| {
            default_subject(ctx).filter(|a| relation != "sister_school" || !a.is_division())
        }) else {
            continue;
        };
        let a = a.governed_place(ctx.gaz);
        for (j, b) in partners.into_iter().enumerate() {
            let glossed_date = glossed
                .iter()
                .find(|(n, _)| *n == b.name)
                .map(|(_, d)| json!(d));
            let b = b.governed_place(ctx.gaz);
            if b.same(&a) {
                continue;
            }
            // A friendship of two cities is not an institutional one.
            if relation == "institutional" && a.is_division() && b.is_division() {
                continue;
            }
            // 締結姊妹校 of two universities: the contract counts universities
            // among the institutions; sister schools are schools.
            let university = |p: &Party| {
                ctx.gaz
                    .university_suffixes
                    .iter()
                    .any(|s| p.name.ends_with(s.as_str()))
            };
            let relation = if relation == "sister_school" && university(&a) && university(&b) {
                "institutional"
            } else {
                relation
            };
            if c.set("parties") == Some("divisions") && !(a.is_division() && b.is_division()) {
                continue;
            }
            let mut m = Map::new();
            m.insert("parties".into(), json!([a.json(), b.json()]));
            m.insert("relation".into(), json!(relation));
            if c.set("evidence") == Some("loose") {
                m.insert(LOOSE.into(), json!(true));
            }
            let own_date = respective.as_ref().map(|d| d[first_partner + j].clone());
            // In a dated roster a name without its bracket has no date of
            // the others'.
            let own_date = glossed_date
                .or(own_date)
                .or_else(|| (!glossed.is_empty()).then_some(Value::Null));
            m.insert("date".into(), own_date.unwrap_or_else(|| date.clone()));
            if titled.contains(&b.name.as_str()) {
                m.insert(TITLED.into(), json!(true));
            }
            out.push(m);
        }
    }
    out
}

/// The contract's kind of a document: that of the first noun of
/// `agreement_nouns.tsv` its title holds.
fn kind_of<'a>(title: &str, gaz: &'a Gazetteer) -> &'a str {
    gaz.agreement_kinds
        .iter()
        .find(|(noun, _)| title.contains(noun.as_str()))
        .map_or("agreement", |(_, kind)| kind.as_str())
}

/// 伦巴第大区代表团访问湖北省,双方签署…: 双方 (两校, 两市) names the two
/// parties the same sentence named before it, when it named exactly two (or
/// one foreign place, visited by the page's own).
fn named_before(ctx: &Ctx) -> Option<Vec<Party>> {
    let mut named: Vec<Party> = Vec::new();
    // 仪式在厦门举行,双方…: where it happened is no side; nor is a name
    // inside a quotation (“科尼亚是历史文化名城。”…两市就签订…).
    let quoted = |m: &Mention| {
        let before = &ctx.norm_sentence[..m.start];
        before.matches('“').count() > before.matches('”').count()
    };
    for m in ctx
        .sentence_mentions
        .iter()
        .take_while(|m| m.end <= ctx.before.len())
        .filter(|m| {
            matches!(m.kind, Kind::Place | Kind::Org) && !after_locative(m, ctx) && !quoted(m)
        })
    {
        let p = from_mention(m);
        if !named.iter().any(|n| n.same(&p)) {
            named.push(p);
        }
    }
    // 代表团此行还访问了意大利庞贝市,双方…签署: one foreign place visited
    // and the page's own place, whose delegation it is.
    if let [visited] = named.as_slice()
        && visited.country.as_deref().is_some_and(|c| c != "中国")
    {
        let (name, country) = ctx.gaz.party(&(ctx.home)()?)?;
        return Some(vec![Party { name, country }, visited.clone()]);
    }
    (named.len() == 2).then_some(named)
}

pub fn agreement_fields(c: &Caps, ctx: &Ctx) -> Vec<Map<String, Value>> {
    let Some(kind) = c
        .set("kind")
        .or_else(|| c.cap("title").map(|t| kind_of(t, ctx.gaz)))
    else {
        return vec![];
    };
    if hedged(ctx) {
        return vec![];
    }
    // One signing per pair: A与B、C签署 is two agreements, as the contract's
    // one-fact-per-signing key (set of parties, kind) implies.
    let mut sets: Vec<Vec<Party>> = Vec::new();
    // 甲、乙以及丙三方签署: one joint signing of all of them.
    let joint: Vec<Party> = c
        .items("joint")
        .iter()
        .filter(|(m, _)| matches!(m.kind, Kind::Place | Kind::Org))
        .map(|(m, _)| from_mention(m))
        .collect();
    if joint.len() >= 2 {
        sets.push(joint);
    }
    let (items, venue) = locative_lead(c.items("g"), ctx);
    for (subject, partners) in groups(&items, ctx) {
        let subject = subject.or_else(|| {
            if partners.is_empty() {
                None
            } else {
                default_subject(ctx)
            }
        });
        match (subject, partners.is_empty()) {
            (Some(a), true) => sets.push(vec![a]),
            (a, false) => {
                for b in partners {
                    sets.push(a.iter().cloned().chain([b]).collect());
                }
            }
            (None, true) => {}
        }
    }
    // 双方签署; or 双方自2019年起开展交流,2021年签署…: a pair word opening the
    // sentence is the subject of a signing that names no signer.
    let pair_opens = || {
        ctx.sentence_mentions.first().is_some_and(|m| {
            m.end <= ctx.before.len()
                && m.kind == Kind::Context
                && ctx.gaz.pair_words.contains(&m.name)
                // 早在2017年,两地就签订…: a time clause may come first.
                && opens_sentence(&ctx.norm_sentence[..m.start])
                && {
                    let rest = &ctx.norm_sentence[m.end..];
                    rest.starts_with(|c: char| !crate::clean::pinyin::is_hanzi(c))
                        || ctx
                            .gaz
                            .subject_followers
                            .iter()
                            .any(|w| rest.starts_with(w.as_str()))
                }
        })
    };
    let both = c
        .items("both")
        .iter()
        .any(|(m, _)| ctx.gaz.pair_words.contains(&m.name))
        || (c.cap("g").is_none() && c.cap("solo").is_none() && pair_opens());
    // 双方签署了《宁波市与亚琛市建立友好城市关系协议书》: a title that joins
    // two names with 与 names the two sides.
    if sets.is_empty()
        && both
        && let Some(pair) = title_pair(&c.items("title"))
    {
        sets.push(pair);
    }
    if sets.is_empty()
        && both
        && let Some(pair) = named_before(ctx)
    {
        sets.push(pair);
    }
    // 佛山市与澳门的交流始于…。两地签署了…: the pair the sentence before named.
    if sets.is_empty()
        && both
        && let Some(pair) = (ctx.antecedent_pair)()
    {
        // 两地 (两市, 两省) names the places the governments before it stand
        // for; 双方, the sides as named.
        let places = !ctx.matched().starts_with("双方");
        sets.push(
            pair.iter()
                .map(|m| {
                    let mut p = from_mention(m);
                    if places {
                        p.name = place_of(&p.name, ctx.gaz).to_string();
                    }
                    p
                })
                .collect(),
        );
    }
    // 黑龙江省与滨海边疆区在哈尔滨举行会谈,并签署了…: a signing coordinated
    // (并, 还) with a clause whose subject is a pair is that pair's.
    if sets.is_empty()
        && !both
        && c.cap("with").is_none()
        && let Some(pair) = coordinated_pair(ctx)
    {
        sets.push(pair);
    }
    // 双方就…达成共识,并签署了…: the pair word of the clause coordinated
    // with the signing names its parties, as 双方签署 would.
    let pair_word_before = || {
        ctx.sentence_mentions
            .iter()
            .take_while(|m| m.end <= ctx.before.len())
            .any(|m| m.kind == Kind::Context && ctx.gaz.pair_words.contains(&m.name))
    };
    if sets.is_empty()
        && !both
        && c.cap("with").is_none()
        && coordinated(ctx)
        && pair_word_before()
        && let Some(pair) = named_before(ctx)
    {
        sets.push(pair);
    }
    if sets.is_empty() {
        // 与部分城市签署: a counterpart the text does not name; the signer is
        // the sentence's subject. Without 与, only a place named before.
        // 并与园区内3家企业签署: firms counted, not named, across the table
        // from a subject the clause does not name: no guess at either side.
        let counted_counterpart = c.cap("with").is_some_and(|w| {
            ctx.matched()
                .split_once(w)
                .is_some_and(|(_, rest)| COUNTED_COUNTERPART.is_match(rest))
        });
        let signer = if both {
            None
        } else if counted_counterpart {
            sentence_topic(ctx)
        } else if c.cap("with").is_some() {
            default_subject(ctx)
        } else {
            preceding_subject(ctx, false)
        };
        // 访问日本长野县小布施町,与町长某某签署: a counterpart named only by
        // its official's title is the foreign place the sentence visited.
        let through_official = c.cap("with").is_some_and(|w| {
            ctx.matched()
                .strip_prefix(w)
                .is_some_and(|rest| ctx.gaz.opens_with_title(rest))
        });
        let visited = through_official
            .then(|| {
                ctx.sentence_mentions
                    .iter()
                    .take_while(|m| m.end <= ctx.before.len())
                    .filter(|m| {
                        m.kind == Kind::Place && m.country.as_deref().is_some_and(|c| c != "中国")
                    })
                    .last()
                    .map(from_mention)
            })
            .flatten();
        sets.push(signer.into_iter().chain(visited).collect());
    }
    // 安徽省省长某某与韦斯·摩尔共同签署了《安徽省与马里兰州友好合作备忘录》:
    // the counterpart named by a person only; the title joining the signer's
    // place with another names the two sides. So does a title signed by two
    // people only (校长某某与某某共同签署了《甲大学与乙大学合作备忘录》), the
    // signer no more than a guess from outside the match (the page's place).
    if let [one] = sets.as_slice()
        && one.len() <= 1
        && let Some(pair) = title_pair(&c.items("title"))
        && one.iter().all(|signer| {
            pair.iter().any(|p| p.same(signer)) || !ctx.matched().contains(signer.name.as_str())
        })
    {
        sets = vec![pair];
    }
    let mut title = c
        .cap("title")
        // 去年签署的合作备忘录: the attribute's 的 is not the title's.
        .map(|t| {
            t.trim_start_matches('的')
                .trim_matches(['《', '》'])
                .to_string()
        });
    // 签署的第12份合作协议: an ordinal ranks a signing told elsewhere.
    if c.cap("title")
        .is_some_and(|t| t.trim_start_matches('的').starts_with('第'))
    {
        return vec![];
    }
    let mut count = c
        .cap("count")
        .or(c.cap("count_after"))
        .and_then(super::numbers::parse_number)
        .map(|v| v as i64);
    // 投资、贸易等12项合作协议: the count inside an unquoted title.
    if count.is_none()
        && !c.cap("title").is_some_and(|t| t.starts_with('《'))
        && let Some(t) = title.clone()
        && let Some(m) = COUNT_IN_TITLE.captures(&t)
    {
        count = super::numbers::parse_number(&m[1]).map(|v| v as i64);
        title = Some(m[2].to_string());
    }
    // 双方签署: the pair of the partnership named before (filled in by the
    // extractor once the document's facts are in reading order).
    let place = c
        .cap("place")
        .map(|p| {
            ctx.sentence_mentions
                .iter()
                .find(|m| ctx.norm_sentence.get(m.start..m.end) == Some(p))
                // 在日本东京 → 东京; a learnt bare name (在新山) as written.
                .filter(|m| p.ends_with(m.name.as_str()))
                .map_or(p.to_string(), |m| m.name.clone())
        })
        .or_else(|| venue.map(|m| m.name.clone()));
    // 签订了《…协议书》和《…备忘录》: a second document signed by the same
    // parties is a signing of its own.
    let second = c.cap("title2").map(|t| {
        (
            kind_of(t, ctx.gaz),
            Some(t.trim_matches(['《', '》']).to_string()),
            None,
        )
    });
    // 签署了《…协议书》《…备忘录》和《…意向书》: each quoted document that
    // follows, side by side or joined, is a signing of its own.
    let mut more = Vec::new();
    let mut rest = ctx.after;
    loop {
        let r = ["以及", "和", "及", "、"]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))
            .unwrap_or(rest);
        let Some(body) = r.strip_prefix('《') else {
            break;
        };
        let Some(end) = body.find('》') else {
            break;
        };
        let t = &body[..end];
        if !ctx
            .gaz
            .agreement_nouns
            .iter()
            .any(|n| t.contains(n.as_str()))
        {
            break;
        }
        more.push((kind_of(t, ctx.gaz), Some(t.to_string()), None));
        rest = &body[end + '》'.len_utf8()..];
    }
    let date = sentence_date(ctx);
    std::iter::once((kind, title, count))
        .chain(second)
        .chain(more)
        .flat_map(|(kind, title, count)| {
            sets.iter()
                .map(move |parties| (kind, title.clone(), count, parties))
        })
        .map(|(kind, title, count, parties)| {
            let mut m = Map::new();
            m.insert(
                "parties".into(),
                Value::Array(parties.iter().map(Party::json).collect()),
            );
            m.insert("kind".into(), json!(kind));
            m.insert("title".into(), json!(title));
            m.insert("date".into(), date.clone());
            m.insert("place".into(), json!(place));
            m.insert("count".into(), json!(count));
            if both && parties.is_empty() {
                m.insert(BOTH.into(), json!(true));
            }
            m
        })
        .collect()
}

/// The place a government organ's name stands for (成都市人民政府 → 成都市),
/// or the port its operator's name stands for (宁波舟山港集团 → 宁波舟山港),
/// or the name itself.
pub fn governed_place<'a>(name: &'a str, gaz: &Gazetteer) -> &'a str {
    if !name
        .chars()
        .next_back()
        .is_some_and(|c| gaz.organ_ends.contains(&c))
    {
        return name;
    }
    let head = |bodies: &[String], ends: &dyn Fn(&str) -> bool| {
        bodies.iter().find_map(|body| {
            name.strip_suffix(body.as_str())
                .filter(|place| place.chars().count() >= 2 && ends(place))
        })
    };
    head(&gaz.government_bodies, &|place| {
        gaz.admin_nouns.iter().any(|s| place.ends_with(s.as_str()))
    })
    // 上港集团 is a company's short name, not the port of a place 上.
    .or_else(|| {
        head(&gaz.port_operators, &|port| {
            port.ends_with('港') && port.chars().count() >= 3
        })
    })
    .unwrap_or(name)
}

/// The place a name stands for: a government organ's place without its
/// designation (澳门特区政府 → 澳门, 布拉加市政府 → 布拉加市), else the name.
pub fn place_of<'a>(name: &'a str, gaz: &Gazetteer) -> &'a str {
    let place = governed_place(name, gaz);
    gaz.place_designations
        .iter()
        .find_map(|d| {
            place
                .strip_suffix(d.as_str())
                .filter(|b| b.chars().count() >= 2)
        })
        .unwrap_or(place)
}

/// The parties' names as one relation's key: a government organ stands for
/// its place (澳门特区政府 = 澳门), designations and a trailing 市 dropped.
fn names(fields: &Map<String, Value>, gaz: &Gazetteer) -> Vec<String> {
    fields
        .get("parties")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .map(|s| {
                    gaz.innermost(place_of(s, gaz))
                        .trim_end_matches('市')
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn partnership_key(fields: &Map<String, Value>, gaz: &Gazetteer) -> Option<String> {
    let mut n = names(fields, gaz);
    n.sort();
    Some(n.join("|"))
}

pub fn agreement_key(fields: &Map<String, Value>, gaz: &Gazetteer) -> Option<String> {
    let mut n = names(fields, gaz);
    n.sort();
    let kind = fields.get("kind").and_then(Value::as_str).unwrap_or("");
    Some(format!("{}#{kind}", n.join("|")))
}
