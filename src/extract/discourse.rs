//! Dates a relation takes from the sentences around it.
//!
//! News reports introduce an event with its date (当地时间10月29日下午,推介会在
//! 莫斯科举行) and then report what happened there without repeating it
//! (推介会上,甲与乙签署协议). Two discourse links give such a relation its date:
//!
//! - **event anaphora**: the sentence opens with an event noun and a locative
//!   or temporal postposition (会上, 论坛期间, 签约仪式上; the postpositions are
//!   `patterns/lexicon/event_anaphors.txt`); the date is the first date of the
//!   nearest earlier sentence that names the same noun with an event verb
//!   (`event_verbs.txt`: 举行, 举办, 召开);
//! - **same day**: the sentence opens with 当天/同日 (`same_day_anaphors.txt`);
//!   the date is the last day the text named before it, and an event such a
//!   sentence introduces (当天下午,代表团出席了推介会) is dated that day too;
//! - **elaboration**: the sentence signs (`signing_verbs.txt`) and the sentence
//!   right before it in the same paragraph reports a dated signing of its own:
//!   one signing told twice (1月24日,…在北京签署协议。市委书记代表青岛市与…签署
//!   协议书). A sentence that only mentions a signing (领导人签署的《宣言》) is
//!   not one. A dated ceremony (`ceremony_nouns.txt` with an event verb:
//!   10月20日,结好仪式在威海举行) introduces the signing the next sentence
//!   reports in the same way.
//!
//! Only relations without a date of their own are touched.

use regex::Regex;
use serde_json::Value;

use super::Fact;
use super::rules::Lexicons;
use crate::segment::Sentence;

/// How far back (in sentences) an anaphor looks for its event.
const LOOKBACK: usize = 8;

pub struct Discourse {
    opener: Option<Regex>,
    event_verbs: Vec<String>,
    signing_verbs: Vec<String>,
    ceremonies: Vec<String>,
    /// 访问, 抵达: a visit's day dates the signing told right after it.
    visit_verbs: Vec<String>,
    same_day: Vec<String>,
    /// 签字仪式后, 仪式结束后: after a ceremony is still its day.
    after_ceremony: Option<Regex>,
}

/// What the linker needs to know of one sentence.
struct Info<'a> {
    text: &'a str,
    paragraph: usize,
    first_date: Option<Value>,
    /// The date of a relation this sentence itself reports, if dated.
    relation_date: Option<Value>,
    /// On the day the text last named: it opens with 当天/同日, or goes on
    /// (after a semicolon) a sentence that does.
    same_day: bool,
}

impl Discourse {
    pub fn new(lex: &Lexicons) -> Self {
        let list = |n: &str| lex.get(n).cloned().unwrap_or_default();
        let anaphors = list("event_anaphors");
        let ceremonies = list("ceremony_nouns");
        // The event noun is a short run of name characters before the
        // postposition, at the very start of the sentence (after 在/于).
        let opener = (!anaphors.is_empty()).then(|| {
            let alts: Vec<String> = anaphors.iter().map(|a| regex::escape(a)).collect();
            Regex::new(&format!(
                r#"^(?:在|于)?["“]?(?P<noun>[\p{{Han}}A-Za-z0-9”"]{{1,12}}?)(?:{})[,，、]"#,
                alts.join("|")
            ))
            .expect("event anaphor regex from escaped words")
        });
        Discourse {
            opener,
            event_verbs: list("event_verbs"),
            signing_verbs: list("signing_verbs"),
            after_ceremony: (!ceremonies.is_empty()).then(|| {
                let alts: Vec<String> = ceremonies.iter().map(|a| regex::escape(a)).collect();
                Regex::new(&format!(
                    r"^\p{{Han}}{{0,6}}?(?:{})(?:结束)?后[,，]",
                    alts.join("|")
                ))
                .expect("ceremony regex from escaped words")
            }),
            ceremonies,
            visit_verbs: list("visit_verbs"),
            same_day: list("same_day_anaphors"),
        }
    }

    /// Fill the `date` of undated partnerships and agreements from the
    /// discourse. `norm` is the normalised text, `norm_chars` its char → byte
    /// offsets; `facts` are sorted by span.
    pub fn inherit_dates(
        &self,
        text: &str,
        norm: &str,
        norm_chars: &[usize],
        sentences: &[Sentence],
        facts: &mut [Fact],
    ) {
        let undated = |f: &Fact| {
            matches!(f.fact_type.as_str(), "partnership" | "agreement")
                && f.fields.get("date").is_none_or(Value::is_null)
        };
        if !facts.iter().any(undated) {
            return;
        }
        let mut infos = Vec::with_capacity(sentences.len());
        let mut paragraph = 0;
        let mut prev_end = 0;
        let newline_at: Vec<usize> = text
            .chars()
            .enumerate()
            .filter(|(_, c)| *c == '\n')
            .map(|(i, _)| i)
            .collect();
        let mut nl = 0;
        for s in sentences {
            while nl < newline_at.len() && newline_at[nl] < s.start {
                if newline_at[nl] >= prev_end {
                    paragraph += 1;
                }
                nl += 1;
            }
            prev_end = s.end;
            infos.push(Info {
                text: &norm[norm_chars[s.start]..norm_chars[s.end]],
                paragraph,
                first_date: None,
                relation_date: None,
                same_day: false,
            });
        }
        // 同日,东宁市与…签署…;穆棱市与…缔结…: the clauses a semicolon
        // joins share the opening's day.
        for j in 0..infos.len() {
            infos[j].same_day = self.opens_same_day(infos[j].text)
                || j > 0
                    && infos[j - 1].same_day
                    && infos[j - 1].paragraph == infos[j].paragraph
                    && infos[j - 1].text.ends_with([';', '\u{FF1B}']);
        }
        // One pass over the facts (in reading order) fills each sentence's
        // first calendar date and the date of a relation it reports.
        let index_of = |f: &Fact| {
            sentences
                .binary_search_by_key(&f.sentence.0, |s| s.start)
                .ok()
        };
        for f in facts.iter() {
            let Some(info) = index_of(f).map(|j| &mut infos[j]) else {
                continue;
            };
            if f.fact_type == "date" {
                // 中新网明斯克6月6日电: a dateline dates the report, not the
                // events the sentence goes on to tell.
                let dateline = norm_chars
                    .get(f.span.1)
                    .and_then(|&b| norm.get(b..))
                    .is_some_and(|rest| rest.starts_with(['电', '讯']));
                if info.first_date.is_none()
                    && !dateline
                    && f.fields.get("grain").and_then(Value::as_str) != Some("interval")
                {
                    info.first_date = f.fields.get("value").cloned();
                }
            } else if info.relation_date.is_none()
                && let Some(d) = f.fields.get("date").filter(|d| !d.is_null())
            {
                info.relation_date = Some(d.clone());
            }
        }
        // 当天下午,代表团出席了推介会: a sentence opening with 当天 is on the
        // day the text named last, so an event it introduces has that date.
        for j in 0..infos.len() {
            if infos[j].first_date.is_none() && infos[j].same_day {
                infos[j].first_date = last_day_before(&infos, j);
            }
        }
        for f in facts.iter_mut().filter(|f| undated(f)) {
            let Some(j) = index_of(f) else { continue };
            if let Some(d) = self.date_for(&infos, j) {
                f.fields.insert("date".into(), d);
            }
        }
    }

    /// The sentence opens on the day the text last named (当天, 同日, 会后,
    /// 签字仪式后).
    fn opens_same_day(&self, text: &str) -> bool {
        self.same_day.iter().any(|w| text.starts_with(w.as_str()))
            || self
                .after_ceremony
                .as_ref()
                .is_some_and(|r| r.is_match(text))
    }

    fn date_for(&self, infos: &[Info], j: usize) -> Option<Value> {
        let here = &infos[j];
        // 座谈会上: an event the text never introduced, so no visit dates it.
        let mut unknown_event = false;
        if let Some(noun) = self
            .opener
            .as_ref()
            .and_then(|r| r.captures(here.text))
            .map(|c| c["noun"].trim_matches(['"', '“', '”']).to_string())
            .filter(|n| !n.is_empty())
        {
            let event = infos[j.saturating_sub(LOOKBACK)..j]
                .iter()
                .rev()
                .find(|s| {
                    s.first_date.is_some()
                        && s.text.contains(noun.as_str())
                        && self.event_verbs.iter().any(|v| s.text.contains(v.as_str()))
                })
                .and_then(|s| s.first_date.clone());
            // 随后, 此后: no event of that name; the other links may still hold.
            if event.is_some() {
                return event;
            }
            unknown_event = true;
        }
        // 当天, 同日: the day the text last named.
        if here.same_day {
            return last_day_before(infos, j);
        }
        let signs = |s: &Info| {
            self.signing_verbs
                .iter()
                .any(|v| s.text.contains(v.as_str()))
        };
        let prev = infos.get(j.checked_sub(1)?)?;
        if prev.paragraph != here.paragraph || !signs(here) {
            return None;
        }
        if signs(prev) && prev.relation_date.is_some() {
            return prev.relation_date.clone();
        }
        // 10月20日下午,结好仪式在威海举行。A与B签署了…: the signing told right
        // after a dated ceremony is the ceremony's.
        let has = |words: &[String]| words.iter().any(|w| prev.text.contains(w.as_str()));
        // 8月18日,某市代表团访问我市。双方签署了…: so is one told right after
        // a visit dated to the day.
        let visit_day = !unknown_event
            && has(&self.visit_verbs)
            && prev
                .first_date
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|d| d.len() == 10);
        (has(&self.ceremonies) && has(&self.event_verbs) || visit_day)
            .then(|| prev.first_date.clone())
            .flatten()
    }
}

/// The first day-precise date of the nearest sentence before `j` that has one.
/// No window: a report names its day once and tells the day's events in
/// many sentences after (当天下午 in the fifth paragraph is still that day).
fn last_day_before(infos: &[Info], j: usize) -> Option<Value> {
    infos[..j].iter().rev().find_map(|s| {
        s.first_date
            .clone()
            .filter(|d| d.as_str().is_some_and(|v| v.len() >= 10))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Extractor;
    use crate::extract::selftest::example_doc;

    /// (type, party names, date) of every relation fact.
    fn relations(text: &str) -> Vec<(String, Vec<String>, Value)> {
        let ex = Extractor::builtin().unwrap();
        let doc = example_doc(text, Some("2024-11-05"));
        ex.extract(&doc, &Default::default())
            .into_iter()
            .filter(|f| f.fact_type == "agreement" || f.fact_type == "partnership")
            .map(|f| {
                let names = f.fields["parties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect();
                (f.fact_type, names, f.fields["date"].clone())
            })
            .collect()
    }

    /// The date of the one relation the text holds.
    fn only_date(text: &str) -> Value {
        let got = relations(text);
        assert_eq!(got.len(), 1, "{got:?}");
        got[0].2.clone()
    }

    /// The one agreement among the relations.
    fn the_signing(got: &[(String, Vec<String>, Value)]) -> &(String, Vec<String>, Value) {
        got.iter()
            .find(|g| g.0 == "agreement")
            .expect("the signing")
    }

    const SIGNING: &str = "宏达集团有限公司与远景投资有限公司签署战略合作协议。";

    #[test]
    fn event_anaphor_takes_the_date_of_the_event_sentence() {
        let got = relations(&format!(
            "10月29日,经贸推介会在喀山举行。此次推介会是2019年以来的第三次。推介会上,{SIGNING}"
        ));
        // Not 2019: the sentence naming 推介会 without an event verb is skipped.
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, ["宏达集团有限公司", "远景投资有限公司"]);
        assert_eq!(got[0].2, "2024-10-29");
    }

    #[test]
    fn an_event_introduced_on_the_same_day_takes_that_day() {
        // 当天下午 dates the sentence that introduces the 推介会 (出席 is an
        // event verb), and 推介会上 takes it from there.
        let got = relations(&format!(
            "10月29日上午,代表团抵达喀山。当天下午,代表团出席了经贸推介会。推介会上,{SIGNING}"
        ));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, "2024-10-29");
    }

    #[test]
    fn anaphor_without_an_introduced_event_stays_undated() {
        let got = relations(&format!("10月29日,代表团抵达喀山。座谈会上,{SIGNING}"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, Value::Null);
    }

    #[test]
    fn a_signing_told_twice_shares_its_date_within_a_paragraph() {
        let first = "3月5日,双方在北京签署合作备忘录。";
        let got = relations(&format!("{first}{SIGNING}"));
        let second = got
            .iter()
            .find(|r| r.1.len() == 2)
            .expect("the named signing");
        assert_eq!(second.2, "2024-03-05", "{got:?}");
        let got = relations(&format!("{first}\n{SIGNING}"));
        let second = got
            .iter()
            .find(|r| r.1.len() == 2)
            .expect("the named signing");
        assert_eq!(second.2, Value::Null, "{got:?}");
    }

    #[test]
    fn a_signing_after_its_ceremony_is_on_its_day() {
        // 签字仪式 is a signing: the officials' signing told next is that one.
        let got = relations(
            "5月8日,南通市与芬兰埃斯波市缔结友好城市关系签字仪式在南通举行。南通市市长与埃斯波市市长分别代表两地政府签署了友好城市协议书。",
        );
        let signing = the_signing(&got);
        assert_eq!(signing.1, ["南通市", "埃斯波市"], "{got:?}");
        assert_eq!(signing.2, "2024-05-08", "{got:?}");
    }

    #[test]
    fn a_signing_after_a_dated_ceremony_is_on_its_day() {
        let ceremony = "10月20日下午,友好城市结好仪式在会展中心举行。";
        let signing = "荣成市与韩国丽水市签署了建立友好城市关系协议书。";
        let got = relations(&format!("{ceremony}{signing}"));
        assert!(!got.is_empty());
        assert!(got.iter().all(|g| g.2 == "2024-10-20"), "{got:?}");
        // In another paragraph the ceremony is no longer the one told.
        let got = relations(&format!("{ceremony}\n{signing}"));
        assert!(got.iter().all(|g| g.2.is_null()), "{got:?}");
    }

    #[test]
    fn same_day_reaches_back_past_many_sentences() {
        let filler = "双方表示将深化合作。".repeat(10);
        let got = relations(&format!(
            "5月8日,代表团抵达南通。{filler}当天下午,代表团与宏达集团有限公司签署了合作意向书。"
        ));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, "2024-05-08", "{got:?}");
    }

    #[test]
    fn a_mentioned_signing_is_not_a_reported_one() {
        let got = relations(&format!(
            "今年9月,峰会成功召开,领导人签署的《撒马尔罕宣言》提到深化合作。目前,{SIGNING}"
        ));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, Value::Null);
    }

    #[test]
    fn after_a_ceremony_is_its_day_but_after_a_summit_is_not() {
        let date = only_date(
            "10月16日,两国友好交流活动在许昌举行。签字仪式在许昌举行。签字仪式后,许昌市与卡斯特拉纳市还签署了3项合作备忘录。",
        );
        assert_eq!(date, "2024-10-16");
        // The ties a city made after a summit took the years after it.
        let date =
            only_date("2018年6月,峰会在青岛举行。峰会后,青岛市与比什凯克市签署了合作备忘录。");
        assert!(date.is_null(), "{date:?}");
    }

    #[test]
    fn same_day_anaphor_takes_the_last_named_day() {
        let date = only_date(
            "11月3日,代表团抵达威海。此后双方交流频繁。当天,威海第一中学与日本宇部中央高中缔结为友好学校。",
        );
        assert_eq!(date, "2024-11-03");
    }

    #[test]
    fn a_signing_right_after_a_dated_visit_is_on_its_day() {
        let date = only_date(
            "8月18日,贝洛奥里藏特市代表团访问南昌市。副市长会见代表团一行,双方签署了《南昌市与贝洛奥里藏特市友好交流合作意向书》。",
        );
        assert_eq!(date, "2024-08-18");
        // A visit dated only to its month dates nothing.
        let date = only_date(
            "8月,贝洛奥里藏特市代表团访问南昌市。副市长会见代表团一行,双方签署了《南昌市与贝洛奥里藏特市友好交流合作意向书》。",
        );
        assert!(date.is_null(), "{date:?}");
    }

    #[test]
    fn clauses_after_a_semicolon_share_the_same_day() {
        let got = relations(
            "11月3日,代表团抵达黑河。同日,逊克县与比罗比詹市签署了合作备忘录;嘉荫县与奥布卢奇耶区签署了合作协议。",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|g| g.2 == "2024-11-03"), "{got:?}");
    }

    #[test]
    fn same_day_is_not_the_datelines_day() {
        let date = only_date(
            "中新网明斯克11月3日电 当地时间11月2日,工业园举行项目推介会。同日,宏达集团有限公司与白俄罗斯国立大学签署了合作备忘录。",
        );
        assert_eq!(date, "2024-11-02");
    }

    #[test]
    fn a_signing_after_a_meeting_is_on_its_day() {
        let got = relations(
            "8月30日,代表团在吉隆坡会见了诗巫市市长。会见后,福州市与诗巫市签署了《深化友好城市合作备忘录》。",
        );
        let signing = the_signing(&got);
        assert_eq!(signing.2, "2024-08-30", "{got:?}");
    }
}
