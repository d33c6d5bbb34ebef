//! Pattern files (`patterns/<family>/*.toml`): parse, expand macros and lexicon
//! classes, compile once. Errors name the file, line and rule.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::error::{Error, Result};

pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub schema: u32,
    #[serde(default)]
    pub macros: BTreeMap<String, String>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    #[serde(rename = "type")]
    pub fact_type: String,
    /// Dates, counts and place lists first (1); relations over them later (2).
    #[serde(default = "one")]
    pub stage: u8,
    /// A regex over the normalised sentence (Simplified, half-width), with
    /// `{macro}` and `{lex:NAME}` references.
    pub pattern: String,
    /// The Rust normaliser that turns captures into contract fields.
    pub normalizer: String,
    /// Constant fields handed to the normaliser (relation, kind, approx...).
    #[serde(default)]
    pub set: BTreeMap<String, String>,
    /// Higher wins when two matches of one type overlap with equal length.
    #[serde(default)]
    pub priority: i32,
    /// Require match ends on jieba token boundaries: `true` (both ends) or
    /// `"start"` (a word may go on after the match: 除夕 + 夜).
    #[serde(default)]
    pub boundary: Boundary,
    /// What the pattern matches: the normalised sentence (`text`), or the
    /// mention view (`mentions`), where each place, institution, country and
    /// context word is one placeholder (`{place}`, `{org}`, `{country}`, `{ctx}`).
    #[serde(default)]
    pub view: View,
    /// A cheap prefilter: the rule only runs on sentences that contain one of
    /// these strings (normalised text). Empty: always runs.
    #[serde(default)]
    pub requires: Vec<String>,
    /// The rule only runs on the rows of a table (lines of three or more
    /// cells) whose header row holds one of these strings (序号 国家 城市
    /// 结好时间: the rows name the ties the header does). Empty: anywhere.
    #[serde(default)]
    pub under_header: Vec<String>,
    #[serde(default, rename = "example")]
    pub examples: Vec<Example>,
    #[serde(default, rename = "negative")]
    pub negatives: Vec<Negative>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    #[default]
    Text,
    Mentions,
}

fn one() -> u8 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// Publication date for relative dates (ISO).
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// Expected facts of this rule's type: each a table of fields that must
    /// match (`text` plus any contract field).
    pub expect: Vec<toml::Table>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Negative {
    pub text: String,
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    pub file: String,
    pub line: usize,
    pub regex: Regex,
    /// The pattern after macro and lexicon expansion.
    pub expanded: String,
    /// Capture names, sorted, with their group index: normalisers ask for
    /// many names a rule lacks, and a binary search beats the regex's own
    /// hashed lookup.
    pub groups: Vec<(String, usize)>,
    /// A one-word Bloom filter of the capture names: most names a
    /// normaliser asks for are not in the rule, and this says so at once.
    pub group_mask: u64,
}

fn name_bit(name: &str) -> u64 {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    1 << (h % 64)
}

impl Rule {
    pub fn group(&self, name: &str) -> Option<usize> {
        if self.group_mask & name_bit(name) == 0 {
            return None;
        }
        self.groups
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|k| self.groups[k].1)
    }
}

/// Which ends of a match must fall on jieba token boundaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub enum Boundary {
    #[default]
    None,
    Start,
    Both,
}

impl TryFrom<toml::Value> for Boundary {
    type Error = String;
    fn try_from(v: toml::Value) -> std::result::Result<Self, String> {
        match v {
            toml::Value::Boolean(false) => Ok(Boundary::None),
            toml::Value::Boolean(true) => Ok(Boundary::Both),
            toml::Value::String(s) if s == "start" => Ok(Boundary::Start),
            toml::Value::String(s) if s == "both" => Ok(Boundary::Both),
            other => Err(format!(
                "boundary must be true, false, \"start\" or \"both\", not {other}"
            )),
        }
    }
}

pub const NORMALIZERS: &[&str] = &["date", "count", "partnership", "agreement"];
pub const TYPES: &[&str] = &["date", "count", "partnership", "agreement"];

/// A lexicon: entries from `patterns/lexicon/NAME.{tsv,txt}` (first column).
pub type Lexicons = BTreeMap<String, Vec<String>>;

/// A TSV lexicon's rows as (first column, the rest), e.g. (name, country).
pub fn lexicon_pairs(lex: &Lexicons, name: &str) -> Vec<(String, String)> {
    lex.get(&format!("{name}#pairs"))
        .into_iter()
        .flatten()
        .filter_map(|l| {
            let (a, b) = l.split_once('\t')?;
            Some((a.trim().to_string(), b.trim().to_string()))
        })
        .collect()
}

/// Entries longest first, so the first that matches is the longest.
pub fn longest_first(mut v: Vec<String>) -> Vec<String> {
    v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    v
}

pub fn parse_lexicon(src: &str) -> Vec<String> {
    src.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn line_of(src: &str, needle: &str) -> usize {
    src.find(needle)
        .map(|p| src[..p].matches('\n').count() + 1)
        .unwrap_or(0)
}

fn err(file: &str, line: usize, rule: &str, message: impl Into<String>) -> Error {
    Error::Pattern {
        file: file.to_string(),
        line,
        rule: rule.to_string(),
        message: message.into(),
    }
}

/// Expand `{name}` macros (recursively) and `{lex:NAME}` lexicon classes.
pub fn expand(
    pattern: &str,
    macros: &BTreeMap<String, String>,
    lex: &Lexicons,
    depth: usize,
) -> std::result::Result<String, String> {
    if depth > 16 {
        return Err("macro expansion is recursive".into());
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let name = close.map(|c| &after[..c]);
        // `\p{Han}` is a Unicode class, not a macro.
        let class = out.ends_with("\\p") || out.ends_with("\\P");
        match name {
            _ if class => {
                out.push('{');
                rest = after;
            }
            Some(n) if n.starts_with("lex:") => {
                let key = &n[4..];
                let entries = lex
                    .get(key)
                    .ok_or_else(|| format!("unknown lexicon `{key}`"))?;
                let mut sorted: Vec<&String> = entries.iter().collect();
                sorted.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
                sorted.dedup();
                let alt: Vec<String> = sorted.iter().map(|s| regex::escape(s)).collect();
                out.push_str("(?:");
                out.push_str(&alt.join("|"));
                out.push(')');
                rest = &after[close.unwrap() + 1..];
            }
            Some(n)
                if !n.is_empty()
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !n.chars().all(|c| c.is_ascii_digit() || c == ',') =>
            {
                let body = macros
                    .get(n)
                    .ok_or_else(|| format!("unknown macro `{n}`"))?;
                let expanded = expand(body, macros, lex, depth + 1)?;
                out.push_str("(?:");
                out.push_str(&expanded);
                out.push(')');
                rest = &after[close.unwrap() + 1..];
            }
            _ => {
                // A repetition such as {1,3}: keep as is.
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Parse and compile one rule file.
pub fn compile_file(
    src: &str,
    file: &str,
    global_macros: &BTreeMap<String, String>,
    lex: &Lexicons,
) -> Result<Vec<Rule>> {
    let parsed: RuleFile = toml::from_str(src).map_err(|e| {
        let line = e
            .span()
            .map(|s| src[..s.start].matches('\n').count() + 1)
            .unwrap_or(0);
        err(file, line, "-", e.message().to_string())
    })?;
    if parsed.schema != SCHEMA {
        return Err(err(
            file,
            1,
            "-",
            format!(
                "schema {} is not supported (expected {SCHEMA})",
                parsed.schema
            ),
        ));
    }
    let mut macros = global_macros.clone();
    macros.extend(parsed.macros.clone());
    // Rules compile independently: in parallel, since compiling is most of
    // the start-up time; errors are reported in file order all the same.
    use rayon::prelude::*;
    let compiled: Vec<Result<Rule>> = parsed
        .rules
        .into_par_iter()
        .map(|spec| compile_rule(spec, src, file, &macros, lex))
        .collect();
    compiled.into_iter().collect()
}

fn compile_rule(
    spec: RuleSpec,
    src: &str,
    file: &str,
    macros: &BTreeMap<String, String>,
    lex: &Lexicons,
) -> Result<Rule> {
    {
        let line = line_of(src, &format!("\"{}\"", spec.id));
        let e = |m: String| err(file, line, &spec.id, m);
        if !TYPES.contains(&spec.fact_type.as_str()) {
            return Err(e(format!(
                "unknown type `{}` (one of {})",
                spec.fact_type,
                TYPES.join(", ")
            )));
        }
        if !NORMALIZERS.contains(&spec.normalizer.as_str()) {
            return Err(e(format!(
                "unknown normalizer `{}` (one of {})",
                spec.normalizer,
                NORMALIZERS.join(", ")
            )));
        }
        if spec.examples.is_empty() {
            return Err(e("a rule needs at least one [[rule.example]]".into()));
        }
        let expanded = expand(&spec.pattern, macros, lex, 0).map_err(&e)?;
        // A Unicode word boundary makes the lazy DFA give up on any non-ASCII
        // text, and the whole rule set falls back to the slow PikeVM (4x
        // slower end to end when one rule had one).
        if expanded
            .replace("(?-u:\\b)", "")
            .replace("(?-u:\\B)", "")
            .contains("\\b")
            || expanded.replace("(?-u:\\B)", "").contains("\\B")
        {
            return Err(e(
                "Unicode word boundaries (\\b, \\B) defeat the DFA on Chinese text: write (?-u:\\b)"
                    .into(),
            ));
        }
        let regex = regex::RegexBuilder::new(&expanded)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|x| e(format!("pattern does not compile: {x}")))?;
        let mut groups: Vec<(String, usize)> = regex
            .capture_names()
            .enumerate()
            .filter_map(|(i, n)| Some((n?.to_string(), i)))
            .collect();
        groups.sort();
        let group_mask = groups.iter().fold(0, |m, (n, _)| m | name_bit(n));
        Ok(Rule {
            spec,
            file: file.to_string(),
            line,
            regex,
            expanded,
            groups,
            group_mask,
        })
    }
}

/// Pattern sources: either the built-in set or a directory on disk.
pub struct Sources {
    /// (path relative to the patterns dir, contents)
    pub files: Vec<(String, String)>,
}

impl Sources {
    pub fn builtin() -> Self {
        Sources {
            files: super::builtin::FILES
                .iter()
                .map(|(p, s)| (p.to_string(), s.to_string()))
                .collect(),
        }
    }

    pub fn from_dir(dir: &Path) -> Result<Self> {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let rd = std::fs::read_dir(&d).map_err(|e| Error::Io {
                path: d.clone(),
                source: e,
            })?;
            for ent in rd {
                let ent = ent.map_err(|e| Error::Io {
                    path: d.clone(),
                    source: e,
                })?;
                let p = ent.path();
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("toml" | "tsv" | "txt")
                ) {
                    let s = std::fs::read_to_string(&p).map_err(|e| Error::Io {
                        path: p.clone(),
                        source: e,
                    })?;
                    let rel = p
                        .strip_prefix(dir)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.push((rel, s));
                }
            }
        }
        files.sort();
        Ok(Sources { files })
    }

    pub fn get(&self, rel: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == rel)
            .map(|(_, s)| s.as_str())
    }

    pub fn lexicons(&self) -> Lexicons {
        let mut lex = Lexicons::new();
        for (p, s) in &self.files {
            if let Some(name) = p.strip_prefix("lexicon/") {
                let key = name.trim_end_matches(".tsv").trim_end_matches(".txt");
                lex.insert(key.to_string(), parse_lexicon(s));
                if p.ends_with(".tsv") {
                    let pairs = s
                        .lines()
                        .filter(|l| !l.starts_with('#') && l.contains('\t'))
                        .map(str::to_string)
                        .collect();
                    lex.insert(format!("{key}#pairs"), pairs);
                }
            }
        }
        lex
    }

    /// Rule files: every `*.toml` outside `lexicon/` and `clean/`, except `macros.toml`.
    pub fn rule_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(p, s)| {
            (p.ends_with(".toml")
                && !p.starts_with("lexicon/")
                && !p.starts_with("clean/")
                && p != "macros.toml")
                .then_some((p.as_str(), s.as_str()))
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MacroFile {
    schema: u32,
    macros: BTreeMap<String, String>,
}

pub fn global_macros(src: Option<&str>) -> Result<BTreeMap<String, String>> {
    let Some(src) = src else {
        return Ok(BTreeMap::new());
    };
    let m: MacroFile = toml::from_str(src).map_err(|e| {
        let line = e
            .span()
            .map(|s| src[..s.start].matches('\n').count() + 1)
            .unwrap_or(0);
        err("macros.toml", line, "-", e.message().to_string())
    })?;
    if m.schema != SCHEMA {
        return Err(err("macros.toml", 1, "-", "unsupported schema"));
    }
    Ok(m.macros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_and_lexicons_expand() {
        let mut m = BTreeMap::new();
        m.insert("d".to_string(), "[0-9]{1,2}".to_string());
        let mut lex = Lexicons::new();
        lex.insert("c".into(), vec!["韩国".into(), "大韩民国".into()]);
        let e = expand("{d}月{lex:c}", &m, &lex, 0).unwrap();
        assert_eq!(e, "(?:[0-9]{1,2})月(?:大韩民国|韩国)");
        assert!(expand("{nope}", &m, &lex, 0).is_err());
    }

    #[test]
    fn malformed_file_names_file_line_and_rule() {
        let src = "schema = 1\n[[rule]]\nid = \"x.bad\"\ntype = \"date\"\npattern = \"(\"\nnormalizer = \"date\"\n[[rule.example]]\ntext = \"a\"\nexpect = []\n";
        let e =
            compile_file(src, "dates/bad.toml", &BTreeMap::new(), &Lexicons::new()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("dates/bad.toml:3: rule `x.bad`"), "{msg}");
        let src = "schema = 1\n[[rule]]\nid = \"x\"\ntype = \"date\"\npattern = \"a\"\nnormalizer = \"date\"\nbogus = 1\n";
        let msg = compile_file(src, "f.toml", &BTreeMap::new(), &Lexicons::new())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("f.toml:") && msg.contains("bogus"), "{msg}");
    }

    /// Knowledge lives in lexicons whose header says where it comes from.
    #[test]
    fn every_lexicon_names_its_source() {
        let src = Sources::builtin();
        let lexicons: Vec<&(String, String)> = src
            .files
            .iter()
            .filter(|(p, _)| {
                p.starts_with("lexicon/") && (p.ends_with(".txt") || p.ends_with(".tsv"))
            })
            .collect();
        assert!(lexicons.len() > 20);
        for (path, text) in lexicons {
            let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
            assert!(
                header.iter().any(|l| l.to_lowercase().contains("source")),
                "{path}: no `# source:` line in its header"
            );
        }
    }

    #[test]
    fn unicode_word_boundaries_are_refused() {
        let rule = |pat: &str| {
            format!(
                "schema = 1\n[[rule]]\nid = \"x\"\ntype = \"date\"\npattern = '{pat}'\nnormalizer = \"date\"\n[[rule.example]]\ntext = \"a\"\nexpect = []\n"
            )
        };
        let c = |pat: &str| compile_file(&rule(pat), "f.toml", &BTreeMap::new(), &Lexicons::new());
        let msg = c(r"3pm\b").unwrap_err().to_string();
        assert!(msg.contains("(?-u:\\b)"), "{msg}");
        assert!(c(r"3pm(?-u:\b)").is_ok());
    }

    #[test]
    fn a_rule_without_example_is_an_error() {
        let src = "schema = 1\n[[rule]]\nid = \"x\"\ntype = \"date\"\npattern = \"a\"\nnormalizer = \"date\"\n";
        let msg = compile_file(src, "f.toml", &BTreeMap::new(), &Lexicons::new())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("example"), "{msg}");
    }
}
