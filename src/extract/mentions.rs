//! Mentions: the places, institutions, countries and context words of a
//! sentence, found once per sentence. Known names come from the gazetteers
//! (one Aho-Corasick pass); unknown ones from their shape (a name ending in an
//! administrative or organisation suffix, starting where a name may start).
//! Relation rules then match over the *mention view*, where every mention is
//! one placeholder character, instead of re-deriving names inside every
//! pattern (which was both slow and brittle).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::rules::{Lexicons, lexicon_pairs};

/// The dots that join the parts of a transliterated person's name.
const MIDDLE_DOTS: &[char] = &['·', '‧', '•', '・'];

/// Chinese numeral characters, and the words for "some" that stand in for one.
const NUMERALS: &str = "零〇一二两三四五六七八九十百千几数多";

/// What a mention is. Each kind has its placeholder in the mention view, so
/// patterns can write `{place}`, `{org}`, `{country}`, `{ctx}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Place,
    Org,
    Country,
    Context,
}

impl Kind {
    pub fn symbol(self) -> char {
        match self {
            Kind::Place => '\u{E000}',
            Kind::Org => '\u{E001}',
            Kind::Country => '\u{E002}',
            Kind::Context => '\u{E003}',
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// `[start, end)` bytes in the normalised sentence.
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// The name without country prefix and descriptors (a context word as written).
    pub name: String,
    pub country: Option<String>,
    /// Where, in `name`, its most specific part starts (柔佛州新山市 → 新山市).
    pub head: usize,
    /// An institution that is a place's government organ (柔佛州新山市政厅):
    /// the byte length of the place's name at the start of `name`.
    pub governs: Option<usize>,
}

/// A quoted name the text gives a place (撒马尔罕…被誉为“古丝绸之路明珠”).
#[derive(Debug, Clone)]
pub struct Epithet {
    /// The epithet with its quotes, as it stands in the normalised text.
    pub quoted: String,
    pub place: Mention,
    /// A bare name learnt from the page (平泽 after 韩国平泽市): it must stand
    /// where a name may start, and not run on into a suffix.
    pub bare: bool,
}

impl Epithet {
    /// The page named a foreign place by shape (韩国平泽市): its bare stem
    /// (平泽) names it too in the rest of the page.
    pub fn learnt(m: &Mention) -> Option<Epithet> {
        // A government organ teaches the name of its place (新山市政厅 → 新山).
        let place = match (m.kind, m.governs) {
            (Kind::Place, _) => m.clone(),
            (Kind::Org, Some(len)) => Mention {
                kind: Kind::Place,
                name: m.name[..len].to_string(),
                governs: None,
                ..m.clone()
            },
            _ => return None,
        };
        let foreign = place.country.as_deref().is_some_and(|c| c != "中国");
        let own = place.name.get(place.head..)?;
        // 平泽市 is 平泽 too; a region keeps its suffix (韩国全罗南道, then
        // 全罗南道 alone, which starts like 全省 and no list knows).
        let quoted = match own.strip_suffix(['市', '县']) {
            Some(stem) => (2..=4).contains(&stem.chars().count()).then_some(stem)?,
            None => (3..=8).contains(&own.chars().count()).then_some(own)?,
        };
        foreign.then(|| Epithet {
            quoted: quoted.to_string(),
            place: place.clone(),
            bare: true,
        })
    }
}

/// A sentence with its mentions replaced by placeholders.
#[derive(Debug, Clone, Default)]
pub struct MentionView {
    pub text: String,
    /// View byte → normalised-sentence byte (len = text.len() + 1).
    pub to_norm: Vec<usize>,
    pub mentions: Vec<Mention>,
    /// View byte offset of each mention's placeholder.
    pub at: Vec<usize>,
}

impl MentionView {
    /// Mentions whose placeholder lies in `[s, e)` of the view.
    pub fn within(&self, s: usize, e: usize) -> impl Iterator<Item = (usize, &Mention)> {
        // `at` is increasing: find the range by binary search.
        let from = self.at.partition_point(|a| *a < s);
        let to = self.at.partition_point(|a| *a < e);
        self.at[from..to]
            .iter()
            .zip(&self.mentions[from..to])
            .map(|(a, m)| (*a, m))
    }
}

#[derive(Debug, Clone)]
enum Entry {
    Country(String),
    /// Foreign region or city, with its country.
    Foreign(String),
    /// A Chinese division (full name) or the stem of one (青岛 for 青岛市).
    Chinese,
    Descriptor,
    Context,
}

pub struct Chunker {
    ac: AhoCorasick,
    entries: Vec<Entry>,
    /// Boundary words, administrative and organisation suffixes and every
    /// person's title (bare or after a rank prefix: 副市长, 常务副省长), in one
    /// automaton searched once per sentence; `affix_class` tells which list
    /// each pattern came from.
    affixes: AhoCorasick,
    affix_class: Vec<Affix>,
    titles: Vec<String>,
    /// Function characters a brand name may hold, and the legal suffixes that
    /// allow it (`name_internal.txt`, `legal_suffixes.txt`).
    name_internal: Vec<String>,
    legal_suffixes: Vec<String>,
    /// Adverbs and time words that follow a subject (`subject_followers.txt`):
    /// a known name before one ends there (釜山 + 正式, 熊本 + 今天).
    subject_followers: Vec<String>,
    /// Relation and signing verbs a known foreign name ends before
    /// (`name_ending_verbs.txt`).
    name_ending_verbs: Vec<String>,
    generic: Vec<String>,
    /// Words that open with a generic head but are a name's field (外交部).
    generic_head_exceptions: Vec<String>,
    /// Institution nouns that, whole, name a kind (`generic_institutions.txt`).
    generic_institutions: Vec<String>,
    collective_nouns: Vec<String>,
    collective_modifiers: Vec<String>,
    /// Words opening a bracketed other name (`alias_markers.txt`: 原, 即).
    alias_markers: Vec<String>,
    /// Classifiers (`classifiers.txt`): a number before one counts, not names.
    classifiers: Vec<String>,
    /// A place's government organs (`government_bodies.txt`: 人民政府, 外办).
    government_bodies: Vec<String>,
    /// Suffixes that end an organ only right after its owner's name, a
    /// country or a division (`owned_organ_suffixes.txt`: 哈萨克斯坦贸易和
    /// 一体化部, 海南省旅游和文化广电体育厅), and the words that end like one
    /// (`organ_lookalikes.txt`: 美国西部, 海南省展厅).
    owned_organ_suffixes: Vec<String>,
    organ_lookalikes: Vec<String>,
    department_suffixes: Vec<String>,
    /// School suffixes only after a founder's 立 (`founded_school_suffixes.txt`).
    founded_school_suffixes: Vec<String>,
    epithet_verbs: AhoCorasick,
    /// Stem or full Chinese name (province or city level) → full name, for the home place.
    home_names: HashMap<String, String>,
    /// Full county names: the home place only of a page that names no
    /// province or city (a county's own report).
    home_counties: HashMap<String, ()>,
}

fn is_han(c: char) -> bool {
    crate::clean::pinyin::is_hanzi(c) || c == '·'
}

/// A hyphen between two hanzi joins the parts of one name
/// (勃艮第-弗朗什-孔泰大区).
fn joiner_at(s: &str, i: usize) -> bool {
    s[i..].starts_with('-')
        && s[..i].chars().next_back().is_some_and(is_han)
        && s[i + 1..].chars().next().is_some_and(is_han)
}

impl Chunker {
    pub fn new(lex: &Lexicons) -> Self {
        let list = |n: &str| lex.get(n).cloned().unwrap_or_default();
        let pairs = |n: &str| lexicon_pairs(lex, n);
        let mut map: HashMap<String, Entry> = HashMap::new();
        let mut home_names = HashMap::new();
        let mut home_counties = HashMap::new();
        for (n, level) in pairs("cn_places") {
            if level == "county" {
                home_counties.insert(n.clone(), ());
            } else {
                home_names.insert(n.clone(), n.clone());
            }
            map.insert(n, Entry::Chinese);
        }
        let cn_full: HashMap<String, ()> = pairs("cn_places")
            .into_iter()
            .map(|(n, _)| (n, ()))
            .collect();
        for s in list("cn_stems") {
            for suf in ["市", "省"] {
                let full = format!("{s}{suf}");
                if cn_full.contains_key(&full) {
                    home_names.entry(s.clone()).or_insert(full);
                    break;
                }
            }
            map.entry(s).or_insert(Entry::Chinese);
        }
        // Taiwan's cities and counties are Chinese places (as HK and Macao).
        for s in list("cn_stems_tw") {
            map.entry(s).or_insert(Entry::Chinese);
        }
        for file in [
            "foreign_regions",
            "regions_extra",
            "foreign_cities",
            "foreign_stems",
            "world_cities",
        ] {
            for (n, c) in pairs(file) {
                map.entry(n).or_insert(Entry::Foreign(c));
            }
        }
        // Countries last so they win over a region of the same name.
        for (n, c) in pairs("countries")
            .into_iter()
            .chain(pairs("countries_extra"))
        {
            map.insert(n, Entry::Country(c));
        }
        for w in list("cn_ambiguous") {
            map.remove(&w);
            home_names.remove(&w);
            home_counties.remove(&w);
        }
        for d in list("descriptors") {
            map.insert(d, Entry::Descriptor);
        }
        for w in list("context_words") {
            map.insert(w, Entry::Context);
        }
        let mut names: Vec<(String, Entry)> = map.into_iter().collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(names.iter().map(|(n, _)| n.as_str()))
            .expect("gazetteer automaton");
        let mut affix_words: Vec<String> = Vec::new();
        let mut affix_class = Vec::new();
        let titles = list("person_titles");
        let mut all_titles = titles.clone();
        for x in list("person_title_prefixes") {
            all_titles.extend(titles.iter().map(|t| format!("{x}{t}")));
        }
        let generic_words: Vec<String> = list("generic_heads")
            .into_iter()
            .filter(|g| g.chars().nth(1).is_some())
            .collect();
        for (class, words) in [
            (Affix::Boundary, list("boundary_words")),
            (Affix::Admin, list("admin_suffixes")),
            (Affix::Org, list("org_suffixes")),
            (Affix::Title, all_titles),
            (Affix::Generic, generic_words),
            (Affix::Tail, list("generic_tails")),
        ] {
            affix_class.extend(std::iter::repeat_n(class, words.len()));
            affix_words.extend(words);
        }
        Chunker {
            ac,
            entries: names.into_iter().map(|(_, e)| e).collect(),
            // A DFA: it is small, and it is run over every sentence a
            // relation rule looks at.
            affixes: AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&affix_words)
                .expect("affix automaton"),
            affix_class,
            titles,
            name_internal: list("name_internal"),
            subject_followers: list("subject_followers"),
            name_ending_verbs: list("name_ending_verbs"),
            legal_suffixes: list("legal_suffixes"),
            generic: list("generic_heads"),
            generic_head_exceptions: list("generic_head_exceptions"),
            generic_institutions: list("generic_institutions"),
            collective_nouns: list("collective_nouns"),
            collective_modifiers: list("collective_modifiers"),
            alias_markers: list("alias_markers"),
            classifiers: list("classifiers"),
            government_bodies: list("government_bodies"),
            owned_organ_suffixes: list("owned_organ_suffixes"),
            organ_lookalikes: list("organ_lookalikes"),
            department_suffixes: list("department_suffixes"),
            founded_school_suffixes: list("founded_school_suffixes"),
            epithet_verbs: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(list("epithet_verbs"))
                .expect("epithet automaton"),
            home_names,
            home_counties,
        }
    }

    /// Epithets the document defines: a place named before a verb of calling
    /// (`epithet_verbs.txt`: 被誉为, 素有…) and a quoted name after it.
    pub fn epithets(&self, norm: &str) -> Vec<Epithet> {
        let mut out: Vec<Epithet> = Vec::new();
        for m in self.epithet_verbs.find_iter(norm) {
            let rest = &norm[m.end()..];
            let Some(body) = rest.strip_prefix('“') else {
                continue;
            };
            let Some(close) = body.find('”') else {
                continue;
            };
            let name = &body[..close];
            if !(2..=16).contains(&name.chars().count()) {
                continue;
            }
            // The place: the last one named earlier in the same sentence.
            let start = norm[..m.start()]
                .rfind(['。', '\n', '!', '?', ';'])
                .map_or(0, |i| {
                    i + norm[i..].chars().next().map_or(1, char::len_utf8)
                });
            let view = self.view(&norm[start..m.start()]);
            if let Some(place) = view.mentions.iter().rev().find(|x| x.kind == Kind::Place) {
                let quoted = format!("“{name}”");
                if !out.iter().any(|e| e.quoted == quoted) {
                    out.push(Epithet {
                        bare: false,
                        quoted,
                        place: place.clone(),
                    });
                }
            }
        }
        out
    }

    /// The page's home place: the Chinese province or city named most often
    /// (ties: the one named first).
    pub fn home_place(&self, norm: &str) -> Option<String> {
        self.home_place_in(norm, &self.page_hits(norm))
    }

    /// The home place, from the page's gazetteer hits found already.
    pub fn home_place_in(&self, norm: &str, hits: &PageHits) -> Option<String> {
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut counties: HashMap<&str, (usize, usize)> = HashMap::new();
        for &(s, e, _) in &hits.0 {
            let (s, e) = (s as usize, e as usize);
            let name = &norm[s..e];
            if let Some(full) = self.home_names.get(name) {
                let c = counts.entry(full.as_str()).or_insert((0, s));
                c.0 += 1;
            } else if self.home_counties.contains_key(name) {
                let c = counties.entry(name).or_insert((0, s));
                c.0 += 1;
            }
        }
        // A city's page names its counties too; a county is home only where
        // no city or province is named.
        if counts.is_empty() {
            counts = counties;
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
            .map(|(n, _)| n.to_string())
    }

    /// Find the mentions of one normalised sentence and build its view.
    pub fn view(&self, s: &str) -> MentionView {
        self.view_with(s, &[])
    }

    /// The view, with the document's epithets (“古丝绸之路明珠” for the city
    /// the text gave that name) read as mentions of their place.
    pub fn view_with(&self, s: &str, epithets: &[Epithet]) -> MentionView {
        self.view_in(s, 0, &self.page_hits(s), epithets)
    }

    /// Every gazetteer hit of a page (leftmost-longest), found in one pass
    /// and shared by the views of all its sentences and by the home place.
    /// No gazetteer name holds a sentence stop, so a page's hits are the
    /// union of its sentences' hits.
    pub fn page_hits(&self, norm: &str) -> PageHits {
        PageHits(
            self.ac
                .find_iter(norm)
                .map(|m| (m.start() as u32, m.end() as u32, m.pattern().as_u32()))
                .collect(),
        )
    }

    /// The view of the sentence `s`, which starts at byte `offset` of the
    /// page whose gazetteer hits are `hits`.
    pub fn view_in(
        &self,
        s: &str,
        offset: usize,
        hits: &PageHits,
        epithets: &[Epithet],
    ) -> MentionView {
        let scan = Scan::new(self, s, hits.within(offset, offset + s.len()), offset);
        let mentions = scan.run(epithets);
        let mut text = String::with_capacity(s.len());
        let mut to_norm = Vec::with_capacity(s.len() + 1);
        let mut at = Vec::with_capacity(mentions.len());
        let mut pos = 0;
        for m in &mentions {
            for (i, c) in s[pos..m.start].char_indices() {
                for k in 0..c.len_utf8() {
                    to_norm.push(pos + i + k);
                }
                text.push(c);
            }
            at.push(text.len());
            let sym = m.kind.symbol();
            for _ in 0..sym.len_utf8() {
                to_norm.push(m.start);
            }
            text.push(sym);
            pos = m.end;
        }
        for (i, c) in s[pos..].char_indices() {
            for k in 0..c.len_utf8() {
                to_norm.push(pos + i + k);
            }
            text.push(c);
        }
        to_norm.push(s.len());
        // A view offset right after a placeholder maps to the mention's end.
        for (a, m) in at.iter().zip(&mentions) {
            let after = a + m.kind.symbol().len_utf8();
            to_norm[after] = to_norm[after].max(m.end);
        }
        MentionView {
            text,
            to_norm,
            mentions,
            at,
        }
    }
}

/// Gazetteer hits of a page: (start, end, entry), ordered by start.
#[derive(Default)]
pub struct PageHits(Vec<(u32, u32, u32)>);

impl PageHits {
    /// Does one gazetteer name hold the whole byte range (五所 of 五所川原市)?
    pub fn covers(&self, start: usize, end: usize) -> bool {
        let b = self.0.partition_point(|h| (h.0 as usize) <= start);
        self.0[..b]
            .iter()
            .rev()
            .take(8)
            .any(|h| h.1 as usize >= end && (h.1 as usize) > start)
    }

    fn within(&self, start: usize, end: usize) -> &[(u32, u32, u32)] {
        let a = self.0.partition_point(|h| (h.0 as usize) < start);
        let b = self.0.partition_point(|h| (h.0 as usize) < end);
        &self.0[a..b]
    }
}

/// One sentence being chunked.
struct Scan<'a> {
    ch: &'a Chunker,
    s: &'a str,
    /// Gazetteer hit starting at a byte: (end, entry).
    hits: Hits<'a>,
    /// Byte positions right after a boundary word, and where one starts.
    after_boundary: Vec<bool>,
    boundary_start: Vec<bool>,
    /// Byte length of the longest admin / organisation suffix starting at a
    /// byte (0: none): one overlapping pass instead of a list scan per char.
    admin_len: Vec<u8>,
    org_len: Vec<u8>,
    /// Length of the longest person's title starting at a byte (0: none).
    title_len: Vec<u8>,
    /// Length of the longest generic word (of two chars or more) starting
    /// at a byte (0: none).
    generic_len: Vec<u8>,
    /// Length of the longest generic tail (`generic_tails.txt`) starting at
    /// a byte (0: none).
    tail_len: Vec<u8>,
    /// Does the sentence hold 立 at all (a founded school's name may)?
    founder_mark: bool,
}

/// Gazetteer hits by start byte: a dense table, since the scan asks about
/// nearly every byte of the sentence (a hash map lookup each cost more than
/// the rest of the scan).
struct Hits<'a>(Vec<Option<(usize, &'a Entry)>>);

impl<'a> Hits<'a> {
    fn get(&self, p: &usize) -> Option<&(usize, &'a Entry)> {
        self.0.get(*p)?.as_ref()
    }
    fn contains_key(&self, p: &usize) -> bool {
        self.get(p).is_some()
    }
}

/// The word lists of the one affix automaton.
#[derive(Clone, Copy, PartialEq)]
enum Affix {
    Boundary,
    Admin,
    Org,
    Title,
    /// A generic word of two chars or more (友好, 境外).
    Generic,
    /// A common noun ending like a place name (城市, 园区).
    Tail,
}

impl<'a> Scan<'a> {
    #[inline(never)]
    fn new(ch: &'a Chunker, s: &'a str, page_hits: &[(u32, u32, u32)], offset: usize) -> Self {
        let mut hits = Hits(vec![None; s.len() + 1]);
        for &(start, end, e) in page_hits {
            let (start, end) = (start as usize - offset, end as usize - offset);
            let entry = &ch.entries[e as usize];
            // 布鲁斯·休斯顿, 华盛顿·欧文: a foreign name joined to another by
            // a middle dot is part of a person's name.
            if end > s.len() {
                continue;
            }
            let dotted = matches!(entry, Entry::Foreign(_))
                && (s[..start].ends_with(MIDDLE_DOTS) || s[end..].starts_with(MIDDLE_DOTS));
            if !dotted {
                hits.0[start] = Some((end, entry));
            }
        }
        // Longest word of each list starting at each byte (0: none).
        let mut boundary_len = vec![0u8; s.len() + 1];
        let mut admin_len = vec![0u8; s.len() + 1];
        let mut org_len = vec![0u8; s.len() + 1];
        let mut title_len = vec![0u8; s.len() + 1];
        let mut generic_len = vec![0u8; s.len() + 1];
        let mut tail_len = vec![0u8; s.len() + 1];
        for m in ch.affixes.find_overlapping_iter(s) {
            let v = match ch.affix_class[m.pattern().as_usize()] {
                Affix::Boundary => &mut boundary_len,
                Affix::Admin => &mut admin_len,
                Affix::Org => &mut org_len,
                Affix::Title => &mut title_len,
                Affix::Generic => &mut generic_len,
                Affix::Tail => &mut tail_len,
            };
            let len = u8::try_from(m.len()).unwrap_or(u8::MAX);
            v[m.start()] = v[m.start()].max(len);
        }
        // Boundary words read leftmost-longest, without overlaps: the longest
        // one at the first place one starts, then on after it.
        let mut after_boundary = vec![false; s.len() + 1];
        let mut boundary_start = vec![false; s.len() + 1];
        after_boundary[0] = true;
        let mut p = 0;
        // A boundary word inside a known name is part of it (成都, 首都).
        let mut known_until = 0;
        while p < s.len() {
            let inside = p < known_until;
            if let Some(Some((end, _))) = hits.0.get(p) {
                known_until = known_until.max(*end);
            }
            match usize::from(boundary_len[p]) {
                _ if inside => p += 1,
                0 => p += 1,
                n => {
                    boundary_start[p] = true;
                    after_boundary[p + n] = true;
                    p += n;
                }
            }
        }
        for (i, c) in s.char_indices() {
            if !is_han(c) && !joiner_at(s, i) {
                after_boundary[i + c.len_utf8()] = true;
            }
        }
        Scan {
            ch,
            s,
            founder_mark: s.contains('立'),
            hits,
            after_boundary,
            boundary_start,
            admin_len,
            org_len,
            title_len,
            generic_len,
            tail_len,
        }
    }

    fn char_at(&self, p: usize) -> Option<char> {
        self.s[p..].chars().next()
    }

    /// Does a person's title start here (博讷市 + 市长, not 博讷市 + 市)?
    fn title_at(&self, p: usize) -> bool {
        self.title_len.get(p).is_some_and(|&n| n > 0)
    }

    /// A learnt bare name stands alone here: where a name may start, and
    /// ending where a word ends (平泽于, 平泽、), not running on into a suffix or
    /// into a longer name (撒马尔罕 + 国立外国语学院).
    fn bare_name_at(&self, p: usize, end: usize) -> bool {
        (self.after_boundary[p] || self.hits.contains_key(&p))
            && self.suffix_at(end, &self.admin_len).is_none()
            && self
                .char_at(end)
                .is_none_or(|c| !is_han(c) || self.boundary_start[end])
    }

    /// A two-char title whose first char is a one-char admin suffix (市长,
    /// 县长, 州长): written once, it ends the place and opens the title.
    fn fused_title(&self, p: usize) -> bool {
        let title = usize::from(self.title_len.get(p).copied().unwrap_or(0));
        let suffix = usize::from(self.admin_len.get(p).copied().unwrap_or(0));
        title > 0
            && self.s[p..p + title].chars().count() == 2
            && self.s[p..p + suffix].chars().count() == 1
    }

    /// Does the place's last char start a person's title (仙台市 + 长)?
    fn title_ends_place(&self, end: usize) -> bool {
        self.s[..end]
            .chars()
            .next_back()
            .is_some_and(|c| self.title_at(end - c.len_utf8()))
    }

    fn suffix_at(&self, p: usize, lens: &[u8]) -> Option<&'a str> {
        let n = usize::from(*lens.get(p)?);
        (n > 0).then(|| &self.s[p..p + n])
    }

    #[inline(never)]
    fn run(&self, epithets: &[Epithet]) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let mut p = 0;
        while p < self.s.len() {
            // Quoted epithets open with “ and learnt bare names stand where a
            // name may start: most positions need no look at the list.
            let may = self.s[p..].starts_with('“')
                || self.after_boundary[p]
                || self.hits.contains_key(&p);
            // A learnt name also stands with its own suffix (新山 → 新山市,
            // also before a title: 新山市长).
            if let Some((e, len)) = epithets.iter().filter(|_| may).find_map(|e| {
                let rest = &self.s[p..];
                let own = &e.place.name[e.place.head..];
                // Unless it opens a longer name (诺维萨德市 + 彼得罗瓦拉丁区).
                if e.bare
                    && rest.starts_with(own)
                    && self.place(p, &out).is_none_or(|m| m.end <= p + own.len())
                    && self.org(p).is_none_or(|m| m.end <= p + own.len())
                {
                    return Some((e, own.len()));
                }
                (rest.starts_with(e.quoted.as_str())
                    && (!e.bare || self.bare_name_at(p, p + e.quoted.len())))
                .then_some((e, e.quoted.len()))
            }) {
                // Its gloss or other name in brackets too.
                let end = self.latin_gloss_end(p + len);
                out.push(Mention {
                    start: p,
                    end,
                    kind: Kind::Place,
                    name: e.place.name.clone(),
                    country: e.place.country.clone(),
                    head: e.place.head,
                    governs: None,
                });
                p = end;
                continue;
            }
            let hit = self.hits.get(&p);
            if let Some((end, Entry::Context)) = hit {
                // 两地政府, 该市人民政府: the government of the places the word
                // names stands for them, as after a name.
                let organ = self
                    .ch
                    .government_bodies
                    .iter()
                    .filter(|b| b.chars().nth(1).is_some())
                    .filter(|b| self.s[*end..].starts_with(b.as_str()))
                    .map(String::len)
                    .max()
                    .unwrap_or(0);
                // 双方企业, 两地高校: the word qualifies a group, as a place
                // does (台中在地企业); the group, unnamed, signs.
                if organ == 0 && self.qualifies_collective(*end) {
                    p = *end;
                    continue;
                }
                out.push(Mention {
                    start: p,
                    end: *end + organ,
                    kind: Kind::Context,
                    name: self.s[p..*end].to_string(),
                    country: None,
                    head: 0,
                    governs: None,
                });
                p = *end + organ;
                continue;
            }
            let anchored = hit.is_some() || self.after_boundary[p];
            let place = if anchored { self.place(p, &out) } else { None };
            let org = if anchored { self.org(p) } else { None };
            let best = match (place, org) {
                (Some(a), Some(b)) => Some(if b.end >= a.end { b } else { a }),
                (a, b) => a.or(b),
            };
            match best {
                Some(mut m) => {
                    // 诺维萨德市 + 彼得罗瓦拉丁区: a learnt name opening a longer
                    // one lends it its country.
                    if m.kind == Kind::Place && m.country.is_none() {
                        m.country = epithets
                            .iter()
                            .filter(|e| e.bare)
                            .find(|e| m.name.starts_with(&e.place.name[e.place.head..]))
                            .and_then(|e| e.place.country.clone());
                    }
                    // 台中在地企业: the place qualifies a group; the group,
                    // unnamed, is what acts, so the place is no mention.
                    if m.kind == Kind::Place && self.qualifies_collective(m.end) {
                        p = m.end;
                        continue;
                    }
                    // 海湾小学(Bayview School)缔结为…: the name's own spelling
                    // in brackets belongs to the name, not between it and the verb.
                    m.end = self.latin_gloss_end(m.end);
                    p = m.end;
                    out.push(m);
                }
                None => p += self.char_at(p).map_or(1, char::len_utf8),
            }
        }
        out
    }

    /// A collective noun (`collective_nouns.txt`) at `end`, after at most
    /// one modifier (`collective_modifiers.txt`).
    fn qualifies_collective(&self, end: usize) -> bool {
        let rest = &self.s[end..];
        let noun_at = |r: &str| {
            self.ch
                .collective_nouns
                .iter()
                .any(|n| r.starts_with(n.as_str()))
        };
        noun_at(rest)
            || self
                .ch
                .collective_modifiers
                .iter()
                .any(|m| rest.strip_prefix(m.as_str()).is_some_and(noun_at))
    }

    /// The end of a bracketed Latin-script gloss starting at `end` (letters,
    /// spaces and name punctuation; a year or a note in Chinese is no gloss)
    /// or of a bracketed other name (原…, 即…), or `end` itself.
    fn latin_gloss_end(&self, end: usize) -> usize {
        const MAX: usize = 60;
        let Some(rest) = self.s[end..].strip_prefix('(') else {
            return end;
        };
        let Some(close) = rest.find(')').filter(|&c| c <= MAX) else {
            return end;
        };
        let inner = &rest[..close];
        let latin = inner.bytes().any(|b| b.is_ascii_alphabetic())
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" .,-'&".contains(&b));
        // 新阿基坦大区(原阿基坦大区): another name of the same place.
        let alias = || {
            inner.chars().count() <= 20
                && !inner.contains(['。', ';', ','])
                && self
                    .ch
                    .alias_markers
                    .iter()
                    .any(|m| inner.starts_with(m.as_str()))
        };
        if latin || alias() {
            end + 1 + close + 1
        } else {
            end
        }
    }

    /// A known place (with an optional admin suffix after it) or a name shaped
    /// like one (Han run + admin suffix) where a name may start.
    /// `after_name`: the part follows a country or another part, where a
    /// long transliteration (奥弗涅-罗讷-阿尔卑斯大区) is still a name.
    fn part(&self, q: usize, shape_ok: bool, after_name: bool) -> Option<(usize, Option<String>)> {
        if let Some((end, e)) = self.hits.get(&q) {
            let country = match e {
                Entry::Chinese => Some("中国".to_string()),
                Entry::Foreign(c) => Some(c.clone()),
                _ => None,
            };
            // 奥尔 (a region) inside 奥尔沙: a foreign name that runs on into
            // more hanzi is part of a longer name, not this one.
            // A region that ends in its own suffix (加州 + 圣塔克拉拉郡) is whole.
            let suffixed = self.s[..*end]
                .chars()
                .next_back()
                .is_some_and(|c| usize::from(self.admin_len[*end - c.len_utf8()]) == c.len_utf8());
            let runs_on = matches!(e, Entry::Foreign(_))
                && !suffixed
                && self.char_at(*end).is_some_and(|c| {
                    is_han(c)
                        && !self.boundary_start[*end]
                        && self.suffix_at(*end, &self.admin_len).is_none()
                        && !self.hits.contains_key(end)
                        // 马六甲 + 首席部长: a person's title ends the name.
                        && !self.title_at(*end)
                        && !self
                            .ch
                            .subject_followers
                            .iter()
                            .chain(&self.ch.name_ending_verbs)
                            .any(|w| self.s[*end..].starts_with(w.as_str()))
                });
            if country.is_some() && !runs_on {
                let mut end = *end;
                // 莫斯科 + 州, 北九州 + 市, 青岛 + 港; but not 聊城市 + 区 (市区).
                // 新竹 + 县长: the title's first char is the place's suffix too.
                let full = self.s[..end].ends_with(['市', '县', '区']);
                // 湖南 + 城市: the common noun, not a suffix (湖南城); but a
                // known name in 城 whose 市 closes the name (小石城市（2008年）,
                // 小石城市、) takes it.
                let closes = |at: usize| {
                    self.s[..end].ends_with('城')
                        && self
                            .char_at(at)
                            .is_none_or(|c| !is_han(c) || self.boundary_start[at])
                };
                if !full
                    && (!self.title_at(end) || (!suffixed && self.fused_title(end)))
                    && let Some(suf) = self.suffix_at(end, &self.admin_len)
                    && (!self.generic_tail(end) || closes(end + suf.len()))
                {
                    end += suf.len();
                }
                return Some((end, country));
            }
        }
        // 温州市 + 副市长: a person's title is no place name.
        if !shape_ok || self.title_at(q) {
            return None;
        }
        let mut k = q;
        let mut n = 0;
        let max_chars = if after_name { 16 } else { 10 };
        while n < max_chars {
            let c = self.char_at(k)?;
            // A known name inside the run starts a name of its own (但青岛市).
            if !(is_han(c) || joiner_at(self.s, k))
                || self.boundary_start[k]
                || (k > q && self.hits.contains_key(&k))
            {
                return None;
            }
            k += c.len_utf8();
            n += 1;
            if let Some(suf) = self.suffix_at(k, &self.admin_len) {
                // 部分城市, 重要城市: 城市 is the common noun, not a suffix.
                // After a country, a long name may open with a one-char
                // generic word (意大利 + 那不勒斯市); the longer generic words
                // are caught anywhere in it by generic_inside.
                let body = &self.s[q..k];
                let long_after_name = after_name && body.chars().nth(2).is_some();
                // 韩国 + 三城, 两 + 市: a number of places, not a name.
                if body.chars().all(|c| NUMERALS.contains(c)) {
                    return None;
                }
                // 苏港合作: two places abbreviated (苏州 and 香港), not a port
                // named 苏; a port's own name takes two chars.
                if suf == "港" && body.chars().nth(1).is_none() {
                    return None;
                }
                if (!long_after_name && self.generic(body))
                    || self.generic_inside(q, k)
                    || self.generic_tail(k)
                {
                    return None;
                }
                // 北九州 + 市: a second suffix right after the first belongs to the name.
                let mut end = k + suf.len();
                if let Some(more) = self.suffix_at(end, &self.admin_len)
                    && !self.generic_tail(end)
                    && !self.title_at(end)
                {
                    end += more.len();
                }
                return Some((end, None));
            }
        }
        None
    }

    /// A generic noun (城市, 地区) around the suffix starting at `k`: it
    /// starts there, or ends with the suffix's first character.
    fn generic_tail(&self, k: usize) -> bool {
        if self.tail_len[k] > 0 {
            return true;
        }
        // Or one that starts with the char before `k` and runs on past it.
        self.s[..k]
            .chars()
            .next_back()
            .is_some_and(|c| usize::from(self.tail_len[k - c.len_utf8()]) > c.len_utf8())
    }

    /// 第三所国际友好学校, 两家企业: a count or an ordinal of a common noun,
    /// not a name (第一中学 is one: no classifier after the number).
    /// Also past a place that opens it (墨尔本一所中学: "a school in
    /// Melbourne"), where no ordinal stands.
    fn quantified(&self, body: &str) -> bool {
        let counted_at = |rest: &str| {
            let digits = rest
                .find(|c: char| !(c.is_ascii_digit() || NUMERALS.contains(c)))
                .unwrap_or(rest.len());
            digits > 0
                && self
                    .ch
                    .classifiers
                    .iter()
                    .any(|w| rest[digits..].starts_with(w.as_str()))
        };
        let rest = body.strip_prefix('第').unwrap_or(body);
        counted_at(rest)
            || body.char_indices().skip(2).any(|(i, c)| {
                NUMERALS.contains(c)
                    && !body[..i].ends_with('第')
                    && !body[..i].ends_with(|p: char| NUMERALS.contains(p))
                    && counted_at(&body[i..])
            })
    }

    /// 830 + 所中小学: a name never opens with the classifier of a number
    /// written just before it (Arabic digits are not name characters, so
    /// the scan starts after them).
    fn after_numeral(&self, q: usize, k: usize) -> bool {
        self.s[..q]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || NUMERALS.contains(c) || "万亿余".contains(c))
            && self
                .ch
                .classifiers
                .iter()
                .any(|w| self.s[q..k].starts_with(w.as_str()))
    }

    /// 滋贺县 + 共庆友好省县: a name read from its shape never holds a
    /// generic word of two or more chars (友好, 境外) inside it either.
    fn generic_inside(&self, q: usize, k: usize) -> bool {
        (q..k).any(|i| {
            let n = usize::from(self.generic_len[i]);
            n > 0 && i + n <= k
        })
    }

    fn generic(&self, body: &str) -> bool {
        self.ch.generic.iter().any(|g| body.starts_with(g.as_str()))
            && !self
                .ch
                .generic_head_exceptions
                .iter()
                .any(|w| body.starts_with(w.as_str()))
    }

    #[inline(never)]
    fn place(&self, p: usize, prev: &[Mention]) -> Option<Mention> {
        let mut q = p;
        let mut country = None;
        if let Some((end, Entry::Country(c))) = self.hits.get(&p) {
            country = Some(c.clone());
            q = *end;
        }
        // 哈萨克斯坦的马克塔拉尔斯基县: the country stays a mention of its own.
        if let Some((end, Entry::Descriptor)) = self.hits.get(&q) {
            q = *end;
        }
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut part_country = None;
        // 东哈萨克斯坦州, 北哈萨克斯坦州: a quarter of a country named by it,
        // a division of that country.
        if let Some((end, c)) = self.directional_region(q) {
            parts.push((q, end));
            part_country = Some(c);
            q = end;
        }
        while parts.len() < 3 {
            let shape_ok = country.is_some() || !parts.is_empty() || self.after_boundary[q];
            match self.part(q, shape_ok, country.is_some() || !parts.is_empty()) {
                Some((end, c)) => {
                    if parts.is_empty() {
                        part_country = c;
                    }
                    parts.push((q, end));
                    q = end;
                    // 仙台市长郡和子: the suffix opens a title (市长), so the
                    // place ends here and what follows is a person.
                    if self.title_ends_place(end) {
                        break;
                    }
                    // 伊莎贝尔省首府布阿拉市: a descriptor between two parts.
                    if let Some((dend, Entry::Descriptor)) = self.hits.get(&q)
                        && self.part(*dend, true, true).is_some()
                    {
                        q = *dend;
                    }
                }
                None => break,
            }
        }
        if parts.is_empty() {
            if let Some(c) = country {
                // 塔吉克斯坦杜尚别、 / 斐济楠迪等: a bare name after a country, in a list.
                if let Some(end) = self.bare(q) {
                    return Some(self.mention(p, end, &[(q, end)], Some(c)));
                }
                return Some(Mention {
                    start: p,
                    end: q,
                    kind: Kind::Country,
                    name: c,
                    country: None,
                    head: 0,
                    governs: None,
                });
            }
            // 圣彼得堡、彼尔姆、奥尔沙等: a bare item continuing a list of places.
            let continues = p >= 3
                && self.s[..p].ends_with('、')
                && prev
                    .last()
                    .is_some_and(|m| m.kind == Kind::Place && m.end == p - '、'.len_utf8());
            if continues && let Some(end) = self.bare(p) {
                return Some(self.mention(p, end, &[(p, end)], None));
            }
            return None;
        }
        let end = parts.last().map(|x| x.1).unwrap_or(q);
        Some(self.mention(p, end, &parts, country.or(part_country)))
    }

    fn mention(
        &self,
        start: usize,
        end: usize,
        parts: &[(usize, usize)],
        country: Option<String>,
    ) -> Mention {
        Mention {
            start,
            end,
            kind: Kind::Place,
            name: parts.iter().map(|(a, b)| &self.s[*a..*b]).collect(),
            country,
            head: parts[..parts.len().saturating_sub(1)]
                .iter()
                .map(|(a, b)| b - a)
                .sum(),
            governs: None,
        }
    }

    /// 东 + 哈萨克斯坦 + 州: a point of the compass, a country's name and a
    /// division's suffix name a division of that country.
    fn directional_region(&self, q: usize) -> Option<(usize, String)> {
        let c = self.char_at(q)?;
        if !matches!(c, '东' | '西' | '南' | '北') {
            return None;
        }
        let k = q + c.len_utf8();
        let Some((e, Entry::Country(country))) = self.hits.get(&k) else {
            return None;
        };
        ["州", "省", "地区", "区"]
            .iter()
            .find(|suf| self.s[*e..].starts_with(**suf))
            .map(|suf| (e + suf.len(), country.clone()))
    }

    /// A bare name (2 to 5 hanzi, no function word) that a list delimiter ends.
    fn bare(&self, q: usize) -> Option<usize> {
        let mut k = q;
        let mut n = 0;
        while let Some(c) = self.char_at(k) {
            if !is_han(c) || self.boundary_start[k] || n >= 6 {
                break;
            }
            k += c.len_utf8();
            n += 1;
        }
        let name = &self.s[q..k];
        let next = self.char_at(k);
        let delimited = matches!(
            next,
            Some('、' | ',' | '等' | '和' | '及' | '与' | '。' | ';')
        );
        let ok = (2..=5).contains(&n)
            && delimited
            && !self.ch.titles.iter().any(|t| name.starts_with(t.as_str()))
            && !self.generic(name);
        ok.then_some(k)
    }

    /// 学院 + 附属中学, 中学 + 教育集团: up to four more hanzi that end in
    /// another organisation suffix still belong to the name.
    fn org_extension(&self, end: usize) -> Option<usize> {
        let mut k = end;
        for _ in 0..=4 {
            if let Some(suf) = self.suffix_at(k, &self.org_len) {
                return Some(k + suf.len());
            }
            let c = self.char_at(k)?;
            if !is_han(c) || self.boundary_start[k] {
                return None;
            }
            k += c.len_utf8();
        }
        None
    }

    /// 哈萨克斯坦 + 贸易和一体化 + 部: an owned organ's suffix at `k`, two
    /// chars or more after its owner's name (a country or a division) ends
    /// at `owner_end`, unless the name ends like an organ without being one
    /// (美国 + 西部, 海南省 + 展厅).
    fn owned_organ_at(&self, owner_end: Option<usize>, k: usize) -> Option<&'a str> {
        let owner_end = owner_end?;
        // Two chars of field at least.
        self.s.get(owner_end..k)?.chars().nth(1)?;
        let suf = self
            .ch
            .owned_organ_suffixes
            .iter()
            .find(|x| self.s[k..].starts_with(x.as_str()))?;
        let end = k + suf.len();
        let lookalike = self
            .ch
            .organ_lookalikes
            .iter()
            .any(|r| self.s[owner_end..end].ends_with(r.as_str()));
        (!lookalike).then(|| &self.s[k..end])
    }

    /// 澳门特区政府 + 社会文化司: after a government organ, up to six more
    /// hanzi ending in a department noun (`department_suffixes.txt`) are a
    /// department of it.
    fn department_extension(&self, end: usize) -> Option<usize> {
        if !self
            .ch
            .government_bodies
            .iter()
            .any(|b| self.s[..end].ends_with(b.as_str()))
        {
            return None;
        }
        let mut k = end;
        let mut best = None;
        // 财经事务 + 及 + 库务局: a department named for two fields joins them
        // with 及/和 (then it may run to ten chars); a department already
        // named before the conjunction ends there (…局及…局 is two).
        let mut reach = 6;
        for n in 1..=10 {
            if n > reach {
                break;
            }
            // 库务局 + 局长: a person's title ends the department.
            if best.is_some() && self.title_at(k) {
                break;
            }
            let c = self.char_at(k)?;
            let joins = n >= 3 && best.is_none() && matches!(c, '及' | '和');
            if joins {
                reach = 10;
            } else if !is_han(c) || self.boundary_start[k] {
                break;
            }
            k += c.len_utf8();
            // Two chars at least: a one-char department noun right after the
            // organ (政府 + 处) names no department.
            if n >= 2
                && self
                    .ch
                    .department_suffixes
                    .iter()
                    .any(|d| self.s[..k].ends_with(d.as_str()))
            {
                best = Some(k);
            }
        }
        best
    }

    /// 静冈县立磐田南高校: a division, its 立 (founded by), a name, and a
    /// suffix that names a school only so (`founded_school_suffixes.txt`).
    fn founded_school_end(&self, q: usize) -> Option<usize> {
        if !self.founder_mark || self.ch.founded_school_suffixes.is_empty() {
            return None;
        }
        let founder = self.s[q..]
            .char_indices()
            .take(6)
            .find(|&(i, c)| {
                c == '立'
                    && i > 0
                    && self.s[q..q + i].ends_with(['县', '都', '道', '府', '市', '町', '村', '区'])
            })
            .map(|(i, _)| q + i + '立'.len_utf8())?;
        let mut k = founder;
        for n in 0..12 {
            if n > 0
                && let Some(suf) = self
                    .ch
                    .founded_school_suffixes
                    .iter()
                    .find(|x| self.s[k..].starts_with(x.as_str()))
            {
                return Some(k + suf.len());
            }
            let c = self.char_at(k)?;
            if !is_han(c) || (n > 0 && self.boundary_start[k]) {
                return None;
            }
            k += c.len_utf8();
        }
        None
    }

    /// An institution: a Han run ending in an organisation suffix (lazy: the
    /// first suffix ends it, then directly following suffixes extend it:
    /// 外国语学院附属中学, 初级中学教育集团).
    #[inline(never)]
    fn org(&self, p: usize) -> Option<Mention> {
        let mut q = p;
        let mut country = None;
        if let Some((end, Entry::Country(c))) = self.hits.get(&p) {
            country = Some(c.clone());
            q = *end;
        }
        // Whose organ a name may be: the country's, or a division's named
        // first (海南省 + 旅游和文化广电体育厅).
        let owner_end = match self.hits.get(&q) {
            Some((end, Entry::Chinese | Entry::Foreign(_)))
                if self.s[..*end].ends_with(['省', '州', '市', '县', '区', '道', '府']) =>
            {
                Some(*end)
            }
            _ => country.is_some().then_some(q),
        };
        // 泰国政府: a country's own government, named by the country.
        let org = |name_start: usize, end: usize, country: Option<String>| Mention {
            start: p,
            end,
            kind: Kind::Org,
            name: self.s[name_start..end].to_string(),
            country,
            head: 0,
            governs: None,
        };
        let longest_at = |words: &'a [String]| {
            words
                .iter()
                .filter(|w| self.s[q..].starts_with(w.as_str()))
                .max_by_key(|w| w.len())
        };
        if let Some(c) = &country
            && let Some(body) = longest_at(&self.ch.government_bodies)
        {
            return Some(org(p, q + body.len(), Some(c.clone())));
        }
        // 白俄罗斯国立大学, 哈萨克斯坦国立大学: a kind of institution right
        // after a country (no 的 between) is named by it; the country is part
        // of the name.
        if let Some(c) = &country
            && let Some(kind) = longest_at(&self.ch.generic_institutions)
        {
            let mut end = q + kind.len();
            while let Some(more) = self.org_extension(end) {
                end = more;
            }
            return Some(org(p, end, Some(c.clone())));
        }
        if let Some(end) = self.founded_school_end(q) {
            return Some(org(q, end, country));
        }
        let mut k = q;
        let mut n = 0;
        // Ran across a function character (华为): only a company may.
        let mut crossed = false;
        while n < 24 {
            let c = self.char_at(k)?;
            // 安特卫普-布鲁日港务局: a hyphen joins the two halves of a
            // transliterated name, as it does in a place's.
            if c == '-' && n >= 2 && self.char_at(k + 1).is_some_and(is_han) {
                k += 1;
                continue;
            }
            // 上海国际港务(集团)股份有限公司: a short bracketed word before a
            // company's legal form belongs to its name.
            if c == '(' && n >= 2 {
                let inner = &self.s[k + 1..];
                let close = inner.find(')').filter(|&i| {
                    let w = &inner[..i];
                    (1..=4).contains(&w.chars().count()) && w.chars().all(is_han)
                });
                if let Some(i) = close {
                    let after = k + 1 + i + 1;
                    if self
                        .ch
                        .legal_suffixes
                        .iter()
                        .any(|l| self.s[after..].starts_with(l.as_str()))
                    {
                        k = after;
                        n += 1;
                        continue;
                    }
                }
            }
            if !is_han(c) {
                return None;
            }
            // 文化和旅游局: 和 may join an organ's fields, not two names
            // (…干部和日本观光厅).
            let joins_fields = || {
                self.s[k..].starts_with('和')
                    && !matches!(
                        self.hits.get(&(k + '和'.len_utf8())),
                        Some((_, Entry::Country(_) | Entry::Foreign(_) | Entry::Chinese))
                    )
            };
            if self.boundary_start[k] && !joins_fields() {
                let internal = n >= 1
                    && self
                        .ch
                        .name_internal
                        .iter()
                        .any(|w| w.chars().eq(std::iter::once(c)));
                if !internal {
                    return None;
                }
                crossed = true;
            }
            k += c.len_utf8();
            n += 1;
            // 省外办, 市教育局: a level alone names the page's own government.
            let level_only = n == 1 && matches!(c, '省' | '市' | '县' | '区' | '州');
            if (n >= 2 || level_only)
                && let Some(suf) = self
                    .suffix_at(k, &self.org_len)
                    .or_else(|| self.owned_organ_at(owner_end, k))
            {
                if crossed
                    && !self
                        .ch
                        .legal_suffixes
                        .iter()
                        .any(|l| suf.starts_with(l.as_str()))
                {
                    return None;
                }
                let mut end = k + suf.len();
                // 第 + 七中 + 学: a suffix starting inside this one and running
                // past it is the word (中学), not this one; unless a person's
                // title starts where this one ends (大学 + 校长, not 大学校).
                if !self.title_at(end) {
                    for (j, _) in self.s[k..end].char_indices().skip(1) {
                        if let Some(longer) = self.suffix_at(k + j, &self.org_len) {
                            end = end.max(k + j + longer.len());
                        }
                    }
                }
                while let Some(more) = self.org_extension(end) {
                    end = more;
                }
                if let Some(more) = self.department_extension(end) {
                    end = more;
                }
                if self.generic(&self.s[q..k])
                    || self
                        .ch
                        .generic_institutions
                        .iter()
                        .any(|g| g == &self.s[q..end])
                    || self.quantified(&self.s[q..k])
                    || self.after_numeral(q, k)
                {
                    return None;
                }
                // 柔佛州新山市 + 政厅: a place's government organ keeps the
                // place's country and tells which place it stands for.
                let organ = self
                    .ch
                    .government_bodies
                    .iter()
                    .any(|b| self.s[..end].ends_with(b.as_str()));
                let governed = organ.then(|| self.place(p, &[])).flatten().filter(|pl| {
                    pl.end < end
                        && self
                            .ch
                            .government_bodies
                            .iter()
                            .any(|b| &self.s[pl.end..end] == b)
                });
                let (country, head, governs) = match governed {
                    Some(pl) => (
                        country.or(pl.country),
                        pl.head,
                        Some(pl.name.len()).filter(|&l| self.s[q..end].starts_with(&pl.name[..l])),
                    ),
                    None => (country, 0, None),
                };
                return Some(Mention {
                    start: p,
                    end,
                    kind: Kind::Org,
                    name: self.s[q..end].to_string(),
                    country,
                    head,
                    governs,
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::rules::Sources;

    fn chunk(s: &str) -> Vec<(Kind, String, Option<String>)> {
        let ch = Chunker::new(&Sources::builtin().lexicons());
        ch.view(s)
            .mentions
            .into_iter()
            .map(|m| (m.kind, m.name, m.country))
            .collect()
    }

    fn p(name: &str, country: Option<&str>) -> (Kind, String, Option<String>) {
        (Kind::Place, name.into(), country.map(str::to_string))
    }

    /// An institution with no country.
    fn o(name: &str) -> (Kind, String, Option<String>) {
        (Kind::Org, name.into(), None)
    }

    #[test]
    fn a_function_word_inside_a_known_name_is_part_of_it() {
        // 都 (all) is a boundary word; inside 成都 it is not.
        assert_eq!(
            chunk("成都市实验中学与奥克兰文法学校结为友好学校")[0],
            o("成都市实验中学")
        );
    }

    #[test]
    fn a_numbered_school_and_its_abbreviation_are_institutions() {
        // 七中 is a suffix, but 中学 starting inside it runs further.
        assert_eq!(chunk("成都市第七中学与")[0].1, "成都市第七中学");
        assert_eq!(chunk("成都七中与")[0], o("成都七中"));
    }

    #[test]
    fn a_suffixed_stem_does_not_split_a_longer_name() {
        // 津市 (津市市's stem) is no longer a gazetteer word: 草津市 and
        // 滋贺县大津市 are read whole by their shape.
        assert_eq!(chunk("湘潭市与草津市续签协议")[1].1, "草津市");
        assert_eq!(
            chunk("长沙市与日本滋贺县大津市签署")[1],
            p("滋贺县大津市", Some("日本"))
        );
    }

    #[test]
    fn an_ordinal_rank_is_no_place_and_a_kind_of_school_no_institution() {
        // 第三大城市 ranks a city; 国立大学 is a kind of university.
        let names: Vec<String> = chunk("布拉加是葡萄牙第三大城市,釜庆大学是韩国的国立大学")
            .into_iter()
            .map(|m| m.1)
            .collect();
        assert!(
            !names.iter().any(|n| n.contains("第三") || n == "国立大学"),
            "{names:?}"
        );
        // A longer name may open with the kind's word.
        assert_eq!(chunk("国立台湾大学与")[0].1, "国立台湾大学");
    }

    #[test]
    fn a_shape_read_name_holds_no_generic_word() {
        // 共庆友好省县 is a verb phrase, not a second part of the place.
        assert_eq!(
            chunk("湖南与日本滋贺县共庆友好省县结好")[1],
            p("滋贺县", Some("日本"))
        );
        // 城市 after a known name is the common noun, not the suffix 城.
        assert_eq!(chunk("推动更多湖南城市与滋贺县的城市")[0].1, "湖南");
    }

    #[test]
    fn city_offices_and_port_authorities_are_institutions() {
        // 市役所 (a Japanese city hall) is an organ of its city, as 市政厅 is.
        assert_eq!(chunk("于成田市役所与成田市长签署")[0].0, Kind::Org);
        assert_eq!(chunk("于成田市役所与成田市长签署")[0].1, "成田市役所");
        // 港湾公社 (a Korean port authority), not the place 丽水光阳港.
        assert_eq!(
            chunk("大连港集团与丽水光阳港湾公社签署")[1],
            o("丽水光阳港湾公社")
        );
    }

    #[test]
    fn a_long_name_after_a_country_may_open_with_a_generic_char() {
        // 那 (that) opens 那不勒斯 (Naples); 各 alone is still no name.
        assert_eq!(
            chunk("厦门市与意大利那不勒斯市、漳州市与泰国佛统府")[1],
            p("那不勒斯市", Some("意大利"))
        );
        assert!(!chunk("意大利各市").iter().any(|m| m.1 == "各市"));
    }

    #[test]
    fn a_department_of_a_government_is_part_of_its_name() {
        assert_eq!(
            chunk("澳门特区政府社会文化司与广东省佛山市人民政府于十一日签署")[0],
            o("澳门特区政府社会文化司")
        );
        // Not past a function word: 政府 + 与.
        assert_eq!(chunk("佛山市人民政府与澳门签署")[0].1, "佛山市人民政府");
    }

    #[test]
    fn korean_provinces_and_inland_port_zones() {
        assert_eq!(
            chunk("与韩国济州特别自治道等缔结")[0],
            p("济州特别自治道", Some("韩国"))
        );
        assert_eq!(
            chunk("乌鲁木齐国际陆港区与阿拉木图物流中心签订")[0],
            o("乌鲁木齐国际陆港区")
        );
    }

    #[test]
    fn a_verb_of_witnessing_ends_the_name_before_it() {
        assert_eq!(
            chunk("市长见证台中市政府经济发展局与奥斯汀商会签署")[0],
            o("台中市政府经济发展局")
        );
    }

    #[test]
    fn a_title_may_share_the_places_suffix() {
        // 县长 after 新竹: one 县 ends the place and opens the title.
        assert_eq!(chunk("新竹县长与加州圣塔克拉拉郡签署")[0].1, "新竹县");
        // A region ending in its own suffix is whole before another name.
        assert_eq!(
            chunk("新竹县长与加州圣塔克拉拉郡签署")[1],
            p("加州圣塔克拉拉郡", Some("美国"))
        );
        assert_eq!(chunk("海南省省长会见")[0].1, "海南省");
    }

    #[test]
    fn a_level_alone_names_the_pages_own_government_body() {
        assert_eq!(chunk("省外办与某协会签署")[0].1, "省外办");
        assert_eq!(chunk("市投资促进局与某公司签署")[0].1, "市投资促进局");
    }

    #[test]
    fn counted_and_ordinal_nouns_are_no_institutions() {
        assert!(chunk("这是学校的第三所国际友好学校").is_empty());
        assert!(chunk("与两家公司签约").is_empty());
        assert_eq!(chunk("与第一中学签约")[0].1, "第一中学");
    }

    #[test]
    fn a_learnt_name_stands_bare_and_with_its_own_suffix() {
        let ch = Chunker::new(&Sources::builtin().lexicons());
        let first = ch.view("柔佛州新山市与深圳市签署备忘录");
        let learnt: Vec<Epithet> = first.mentions.iter().filter_map(Epithet::learnt).collect();
        assert_eq!(learnt.len(), 1, "{:?}", first.mentions);
        let names = |s: &str| -> Vec<String> {
            ch.view_with(s, &learnt)
                .mentions
                .into_iter()
                .map(|m| m.name)
                .collect()
        };
        assert_eq!(
            names("这是新山继2019年与苏州市结好之后"),
            ["柔佛州新山市", "苏州市"]
        );
        assert_eq!(names("新山市长与深圳市副市长签署")[0], "柔佛州新山市");
        // A longer name it opens, or an institution, still wins; the learnt
        // name lends its country.
        let v = ch.view_with("新山市丹绒区与新山大学签约", &learnt);
        assert_eq!(v.mentions[0].name, "新山市丹绒区");
        assert_eq!(v.mentions[0].country.as_deref(), Some("马来西亚"));
        assert_eq!(v.mentions[1].name, "新山大学");
    }

    #[test]
    fn unknown_foreign_names_are_found_by_shape_and_chained() {
        assert_eq!(
            chunk("冠县与俄罗斯莫斯科州巴拉希哈市结为友好城市"),
            vec![
                p("冠县", Some("中国")),
                p("莫斯科州巴拉希哈市", Some("俄罗斯"))
            ]
        );
        // A descriptor between two parts is dropped from the name.
        assert_eq!(
            chunk("与所罗门群岛伊莎贝尔省首府布阿拉市")[0],
            p("伊莎贝尔省布阿拉市", Some("所罗门群岛"))
        );
    }

    #[test]
    fn a_known_name_in_cheng_takes_the_shi_that_closes_it() {
        assert_eq!(
            chunk("与美国小石城市(2008年)结好")[0],
            p("小石城市", Some("美国"))
        );
        assert_eq!(chunk("与美国小石城市、")[0], p("小石城市", Some("美国")));
        // Running on, 城市 is the common noun.
        assert_eq!(chunk("美国小石城市民众多")[0].1, "小石城");
    }

    #[test]
    fn hyphenated_names_and_titles_after_names() {
        assert_eq!(
            chunk("与法国勃艮第-弗朗什-孔泰大区博讷市缔结")[0],
            p("勃艮第-弗朗什-孔泰大区博讷市", Some("法国"))
        );
        assert_eq!(chunk("与博讷市市长会谈")[0], p("博讷市", None));
        // After a country a transliteration may run long.
        assert_eq!(
            chunk("湖北省与法国奥弗涅-罗讷-阿尔卑斯大区签署")[1],
            p("奥弗涅-罗讷-阿尔卑斯大区", Some("法国"))
        );
        // A hyphen between digits or before Latin letters joins nothing.
        assert!(chunk("2023-2025年").is_empty());
    }

    /// An organ's name after its owner (a country, a division) may end in
    /// 部 or 厅 whatever its field; what only ends like one (西部, 展厅) and
    /// a 和 before another name are no part of it.
    #[test]
    fn owned_organs_end_in_their_heads() {
        let org = |name: &str, country: Option<&str>| {
            (Kind::Org, name.to_string(), country.map(str::to_string))
        };
        assert_eq!(
            chunk("与哈萨克斯坦贸易和一体化部签署")[0],
            org("贸易和一体化部", Some("哈萨克斯坦"))
        );
        assert_eq!(
            chunk("海南省旅游和文化广电体育厅签署")[0],
            org("海南省旅游和文化广电体育厅", None)
        );
        assert!(chunk("在海南省展厅参观").iter().all(|m| m.0 != Kind::Org));
        assert!(chunk("来自美国西部的客商").iter().all(|m| m.0 != Kind::Org));
        assert_eq!(
            chunk("四川省领导干部和日本观光厅签署"),
            vec![p("四川省", Some("中国")), org("观光厅", Some("日本"))]
        );
    }

    #[test]
    fn brand_names_may_hold_a_function_character() {
        let orgs = |s: &str| -> Vec<String> {
            chunk(s)
                .into_iter()
                .filter(|m| m.0 == Kind::Org)
                .map(|m| m.1)
                .collect()
        };
        assert_eq!(
            orgs("7月9日,华为技术有限公司与工商银行股份有限公司签署协议"),
            ["华为技术有限公司", "工商银行股份有限公司"]
        );
        // Not across a function word into a non-company name.
        assert!(
            orgs("以高标准建设为契机的示范区")
                .iter()
                .all(|o| !o.contains('为'))
        );
    }

    #[test]
    fn government_bodies_and_groups_are_institutions() {
        let orgs: Vec<String> = chunk("福州市商务局与长崎县经济团体签署协议,打开新局面")
            .into_iter()
            .filter(|m| m.0 == Kind::Org)
            .map(|m| m.1)
            .collect();
        assert_eq!(orgs, ["福州市商务局", "长崎县经济团体"]);
    }

    #[test]
    fn bare_names_only_in_lists() {
        let got = chunk("依托俄罗斯彼尔姆、博尔科沃等友城渠道");
        assert_eq!(got, vec![p("彼尔姆", Some("俄罗斯")), p("博尔科沃", None)]);
        // A title after a country names a person, not a place.
        assert_eq!(
            chunk("乌兹别克斯坦总统米尔济约耶夫,访华")[0].0,
            Kind::Country
        );
    }

    #[test]
    fn foreign_cities_are_known_by_their_bare_names() {
        // world_cities.tsv (GeoNames): no country or suffix written.
        let got = chunk("威海已与釜山、名古屋等国外城市结为友好城市");
        assert!(got.contains(&p("釜山", Some("韩国"))), "{got:?}");
        assert!(got.contains(&p("名古屋", Some("日本"))), "{got:?}");
    }

    #[test]
    fn a_city_name_inside_a_persons_name_is_no_place() {
        let got = chunk("与该市市长布鲁斯·休斯顿共同签署姊妹市协定");
        assert!(got.iter().all(|m| m.1 != "休斯顿"), "{got:?}");
        let got = chunk("美国休斯顿市长");
        assert!(got.iter().any(|m| m.1.starts_with("休斯顿")), "{got:?}");
    }

    #[test]
    fn numbers_of_places_are_not_names() {
        // 830 + 所中小学: the classifier of a number opens no institution.
        assert!(
            chunk("全港约有830所中小学与内地学校结为姊妹学校")
                .iter()
                .all(|m| m.1 != "所中小学"),
        );
        // 韩国 + 三城: a numeral with a place suffix is a number of places.
        assert!(
            chunk("威海三市区与韩国三城同日结好")
                .iter()
                .all(|m| m.0 != Kind::Place || !m.1.starts_with('三')),
        );
    }

    #[test]
    fn common_nouns_are_not_places() {
        assert!(chunk("还与部分城市签署协议").is_empty());
        assert!(
            chunk("双方建立友好合作关系城市")
                .iter()
                .all(|m| m.0 == Kind::Context)
        );
    }

    #[test]
    fn institutions_win_over_the_place_they_start_with() {
        let got =
            chunk("2023年5月,青岛西海岸新区实验初级中学教育集团与撒马尔罕国立外国语学院附属中学");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, Kind::Org);
        assert_eq!(got[0].1, "青岛西海岸新区实验初级中学教育集团");
        assert_eq!(got[1].1, "撒马尔罕国立外国语学院附属中学");
    }

    #[test]
    fn the_view_maps_back_to_the_sentence() {
        let ch = Chunker::new(&Sources::builtin().lexicons());
        let s = "聊城市与泰国南邦府结好";
        let v = ch.view(s);
        assert_eq!(v.text, "\u{E000}与\u{E000}结好");
        let second = v.at[1];
        assert_eq!(&s[v.to_norm[second]..v.to_norm[second + 3]], "泰国南邦府");
        assert_eq!(v.to_norm[v.text.len()], s.len());
    }

    #[test]
    fn home_place_is_the_most_named_division() {
        let ch = Chunker::new(&Sources::builtin().lexicons());
        assert_eq!(
            ch.home_place("聊城市与泰国结好。聊城市外办表示,济南也来了。聊城发展")
                .as_deref(),
            Some("聊城市")
        );
    }

    #[test]
    fn a_county_is_home_only_where_no_city_is_named() {
        let ch = Chunker::new(&Sources::builtin().lexicons());
        assert_eq!(
            ch.home_place("临泽县友城工作综述。临泽县积极拓展对外交往。")
                .as_deref(),
            Some("临泽县")
        );
        assert_eq!(
            ch.home_place("张掖市下辖临泽县、高台县。临泽县发展。张掖市表示")
                .as_deref(),
            Some("张掖市")
        );
    }
}
