//! Metadata from header lines: publication date and source; and the year of a
//! year-less dateline inferred from the text itself.

use regex::Regex;
use std::sync::LazyLock;

static DATETIME: LazyLock<Regex> = LazyLock::new(|| {
    // A weekday may stand between the date and its time: 2024年3月15日（星期五） 17:45;
    // a part of the day before a 12-hour time: 下午5:12; a time written in
    // words, with its zone (Hong Kong government releases: 香港時間18時30分).
    Regex::new(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*[(\x{FF08}]?\s*(?:星期|礼拜|禮拜|周|週)[一二三四五六日天](?:\s*[)\x{FF09}])?)?(?:[\sT]*(?P<part>上午|下午|中午|晚上|早上|凌晨|傍晚)?\s*(?:(?:香港|北京|澳门|澳門|台北|臺北)?(?:时间|時間)\s*)?(?P<h>\d{1,2})[:：时時点點](?P<mi>\d{2})分?(?:[:：](?P<sec>\d{2}))?)?")
        .unwrap()
});
/// A Republic of China year (Taiwan's official calendar: 113 is 2024), only
/// where the line says it is one (民國113年) or labels a date with it
/// (發布日期：113-03-08); a bare 113-03-08 could be anything.
static ROC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:民国|民國)\s*|(?:日期|时间|時間)\s*[:\x{FF1A}]\s*)(\d{2,3})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?")
        .unwrap()
});
static HANZI_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([〇○零一二三四五六七八九]{4})\s*年\s*(十[一二]?|[一二三四五六七八九])\s*月\s*(三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])\s*日")
        .unwrap()
});
static WEEKDAY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[(\x{FF08}]?\s*(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]\s*[)\x{FF09}]?")
        .unwrap()
});
/// The words that label a page's source on a header line, in both scripts.
pub const SOURCE_LABELS: &str =
    "来源|來源|稿源|出处|發布單位|发布单位|發布機關|发布机关|发布机构|發布機構";
static SOURCE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?:{SOURCE_LABELS})\s*[:\x{{FF1A}}]\s*([^\s:\x{{FF1A}}]+?)(?:\s|编辑|編輯|责编|責編|作者|记者|記者|$)")).unwrap()
});
static ISSUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\S{2,20}?)\s+\d{4}\s*年\s*(?:第\s*)?\d{1,3}\s*期").unwrap());
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    // 新华社北京5月20日电; the day alone in brackets is Southeast Asian and Hong
    // Kong style: （新山2日讯）, (吉隆坡12日訊).
    Regex::new(
        r"^[(\x{FF08}]?(.{2,24}?)(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日\s*(?:电|讯|電|訊|消息)",
    )
    .unwrap()
});
/// An agency or site's name (it ends in 社 or 网) followed by the city it files
/// from. Not 报 or 台, which end places too (烟台日报 is no 烟台).
static OUTLET_THEN_PLACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\p{Han}{1,12}?(?:社|网|網))\p{Han}{2,6}$").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([12][0-9]{3})\s*年").unwrap());
static ANNIVERSARY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{1,3}|[一二三四五六七八九十百]{1,4})\s*周年").unwrap());
static YEAR_MONTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})年(\d{1,2})月").unwrap());

/// `2024-01-25 09:36` → `2024-01-25T09:36`, at the precision given.
pub fn find_datetime(line: &str) -> Option<(usize, usize, String)> {
    let Some(c) = DATETIME.captures(line) else {
        return find_roc_date(line).or_else(|| find_hanzi_date(line));
    };
    let m = c.get(0)?;
    let (y, mo, d) = (number(&c[1])?, number(&c[2])?, number(&c[3])?);
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut s = format!("{y:04}-{mo:02}-{d:02}");
    if let (Some(h), Some(mi)) = (c.name("h"), c.name("mi")) {
        let mut hour = number(h.as_str())?;
        let afternoon = c
            .name("part")
            .is_some_and(|p| matches!(p.as_str(), "下午" | "晚上" | "傍晚"));
        if afternoon && hour < 12 {
            hour += 12;
        }
        s.push_str(&format!("T{hour:02}:{:02}", number(mi.as_str())?));
        if let Some(sec) = c.name("sec") {
            s.push_str(&format!(":{:02}", number(sec.as_str())?));
        }
    }
    Some((m.start(), m.end(), s))
}

static TIME_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?:香港|北京|澳门|澳門|台北|臺北)?(?:时间|時間))?\s*(\d{1,2})\s*[:\x{FF1A}时時点點]\s*(\d{2})\s*分?\s*$")
        .unwrap()
});

/// A line that is a clock time alone (香港時間18時45分, 18:45): `THH:MM`.
pub fn find_time_only(line: &str) -> Option<String> {
    let c = TIME_ONLY.captures(line)?;
    let (h, m) = (number(&c[1])?, number(&c[2])?);
    (h < 24 && m < 60).then(|| format!("T{h:02}:{m:02}"))
}

/// Digits as `\d` matches them, full-width ones too (２０２４年１１月０４日).
fn number(s: &str) -> Option<u32> {
    s.chars().try_fold(0u32, |n, c| {
        Some(n * 10 + crate::segment::fold_width(c).to_digit(10)?)
    })
}

/// A date in Chinese numerals (发布时间：二〇二四年十月十二日), as some
/// government and newspaper sites print it.
fn find_hanzi_date(line: &str) -> Option<(usize, usize, String)> {
    let c = HANZI_DATE.captures(line)?;
    let n = |i: usize| crate::extract::numbers::parse_number(&c[i]).map(|v| v as u32);
    let (y, mo, d) = (n(1)?, n(2)?, n(3)?);
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let m = c.get(0)?;
    Some((m.start(), m.end(), format!("{y:04}-{mo:02}-{d:02}")))
}

fn find_roc_date(line: &str) -> Option<(usize, usize, String)> {
    let c = ROC_DATE.captures(line)?;
    let (y, mo, d) = (number(&c[1])?, number(&c[2])?, number(&c[3])?);
    // From 民國34年 (1945), when the calendar came to Taiwan; a digit after
    // the day means the match is part of another date (02/09/2022).
    let digit_after = line[c.get(0)?.end()..].starts_with(|ch: char| ch.is_ascii_digit());
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || !(34..=190).contains(&y) || digit_after
    {
        return None;
    }
    Some((
        c.get(1)?.start(),
        c.get(0)?.end(),
        format!("{:04}-{mo:02}-{d:02}", y + 1911),
    ))
}

/// A newspaper's page line (`桂林日报 2024年4月12日 第1版`): the outlet before
/// the date, when what follows the date is the page, not a source.
static EDITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*第?\s*[A-Z]?\d{1,3}\s*版").unwrap());

/// The outlet before a header date, when the date is followed by a page number
/// (`桂林日报 2024年4月12日 第1版`).
pub fn source_before_edition(line: &str, date_start: usize, date_end: usize) -> Option<String> {
    if !EDITION.is_match(&line[date_end..]) {
        return None;
    }
    let head = line[..date_start].trim();
    let n = head.chars().count();
    ((2..=16).contains(&n) && !head.contains(char::is_whitespace)).then(|| head.to_string())
}

/// The outlet that opens a header line ending in its date (`新华网 2024-09-26
/// 10:12:08`, `自由時報 2024/05/21 05:30`): a short name set off by spaces,
/// with nothing after the timestamp but, set off too, the two or three hanzi
/// of a region a WeChat account posts from (`洛阳发布 2024-11-06 18:30 河南`).
pub fn source_before_date(line: &str, date_start: usize, date_end: usize) -> Option<String> {
    let tail = &line[date_end..];
    // 河南, or WeChat's 发表于山东 (posted from).
    let region = tail.starts_with(char::is_whitespace) && {
        let t = tail.trim();
        let t = ["发表于", "發表於"]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .unwrap_or(t);
        (2..=3).contains(&t.chars().count()) && t.chars().all(super::pinyin::is_hanzi)
    };
    if !(tail.trim().is_empty() || region) || !line[..date_start].ends_with(char::is_whitespace) {
        return None;
    }
    // WeChat marks an account's own article 原创 before its name.
    let head = line[..date_start].trim();
    let head = ["原创", "原創"]
        .iter()
        .find_map(|p| head.strip_prefix(p))
        .filter(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
        .map_or(head, str::trim);
    let n = head.chars().count();
    ((2..=16).contains(&n)
        && !head.contains(char::is_whitespace)
        && !head.contains([':', '\u{FF1A}', '。', '，', ',']))
    .then(|| head.to_string())
}

/// Whether a line labels its source (来源：, 發布單位：).
pub fn is_source_label(line: &str) -> bool {
    SOURCE_LABEL.is_match(line)
}

/// A source named on a header line (`来源: X`, or a periodical `X 2024年6期`).
pub fn find_source_label(line: &str) -> Option<String> {
    if let Some(c) = SOURCE_LABEL.captures(line) {
        return Some(c[1].to_string());
    }
    ISSUE.captures(line).map(|c| c[1].to_string())
}

/// The text after a header date line's timestamp, when it is set off by spaces
/// (`2024-01-25 09:36    青報觀象山`): the outlet. Text glued to the time is a byline,
/// and so is a byline cue after the outlet (`长江日报 记者 王敏`), cut off.
pub fn source_after_date(line: &str, date_end: usize, bylines: &[String]) -> Option<String> {
    let mut rest = &line[date_end..];
    // 2024年3月28日(星期四) 澳门日报: a weekday after the date comes first.
    // (Its pattern takes the spaces after a bare 星期四 too.)
    let weekday = WEEKDAY_AFTER
        .find(rest)
        .map(|c| c.as_str().ends_with(char::is_whitespace));
    if let Some(c) = WEEKDAY_AFTER.find(rest) {
        rest = &rest[c.end()..];
    }
    // The date's match may have taken the space before the outlet
    // (2025-02-18 澳門日報: no time after the day).
    let spaced =
        rest.starts_with(char::is_whitespace) || line[..date_end].ends_with(char::is_whitespace);
    if !(spaced || weekday == Some(true)) {
        return None;
    }
    if EDITION.is_match(rest) {
        return None;
    }
    // 2024年7月23日 18:45 | 星洲日报: a bar or dash may set the outlet off.
    let mut rest = rest
        .trim()
        .trim_start_matches(['|', '｜', '丨', '-', '—', '/', '／'])
        .trim_start();
    // 記者林志明／台中報導: a byline alone names a reporter, no outlet.
    let opens_byline = |s: &str| {
        let s = crate::segment::normalise(s);
        bylines.iter().any(|b| s.starts_with(b.as_str()))
    };
    if opens_byline(rest) {
        return None;
    }
    // 聯合報／記者王昭月: a slash sets a byline off as a space does; the cues
    // are Simplified, the line may not be.
    if let Some(cut) = rest
        .char_indices()
        .filter(|&(i, c)| (c.is_whitespace() || c == '／' || c == '/') && i > 0)
        .find(|&(i, c)| opens_byline(rest[i + c.len_utf8()..].trim_start()))
        .map(|(i, _)| i)
    {
        rest = rest[..cut].trim_end();
    }
    let n = rest.chars().count();
    // 阅读10544次: a view counter, not an outlet.
    let counter = rest.ends_with('次') && rest.contains(|c: char| c.is_ascii_digit());
    if (2..=24).contains(&n) && !counter && !rest.contains(['。', ',', '\u{FF0C}', ':', '\u{FF1A}'])
    {
        Some(rest.to_string())
    } else {
        None
    }
}

pub struct Dateline {
    pub source: String,
    pub year: Option<i32>,
    /// None when the dateline gives the day only (the month is the page's).
    pub month: Option<u32>,
    pub day: u32,
}

/// `齐鲁网·闪电新闻5月23日讯`, `新华社北京5月20日电` at the start of the lead.
pub fn find_dateline(lead: &str) -> Option<Dateline> {
    let c = DATELINE.captures(lead)?;
    let month: Option<u32> = match c.get(3) {
        Some(m) => Some(m.as_str().parse().ok()?),
        None => None,
    };
    let day: u32 = c[4].parse().ok()?;
    if month.is_some_and(|m| !(1..=12).contains(&m)) || !(1..=31).contains(&day) {
        return None;
    }
    // 韩联社首尔, 人民网东京: the outlet, then where it files from.
    // 【韩联社水原10月17日电】: the bracket opens the dateline, not the outlet.
    let outlet = c[1].trim().trim_start_matches(['【', '[', '(', '\u{FF08}']);
    let source = OUTLET_THEN_PLACE
        .captures(outlet)
        .map_or_else(|| outlet.to_string(), |o| o[1].to_string());
    Some(Dateline {
        source,
        year: c.get(2).and_then(|y| y.as_str().parse().ok()),
        month,
        day,
    })
}

/// Infer the year of a page dated only `month`/`day`: news reports the past, so
/// every `YYYY年M月` the text mentions happened before publication. A mention
/// later in the year than the page date pushes the page into the next year.
pub fn infer_year(text: &str, month: u32, day: u32) -> Option<i32> {
    let _ = day;
    let mut best: Option<i32> = None;
    for c in YEAR_MONTH.captures_iter(text) {
        let (Ok(y), Ok(m)) = (c[1].parse::<i32>(), c[2].parse::<u32>()) else {
            continue;
        };
        if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) {
            continue;
        }
        let at_least = if m > month { y + 1 } else { y };
        best = Some(best.map_or(at_least, |b| b.max(at_least)));
    }
    // An anniversary story (结好30周年) is N years after the founding it tells
    // of: the earliest year the text names, plus N.
    let earliest = YEAR
        .captures_iter(text)
        .filter_map(|c| c[1].parse::<i32>().ok())
        .filter(|y| (1900..=2100).contains(y))
        .min();
    if let Some(first) = earliest {
        for c in ANNIVERSARY.captures_iter(text) {
            if let Some(n) = crate::extract::numbers::parse_number(&c[1])
                && (1.0..=200.0).contains(&n)
            {
                let at_least = first + n as i32;
                best = Some(best.map_or(at_least, |b| b.max(at_least)));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_after_a_slash_is_cut_from_the_outlet() {
        let line = "2024-05-10 18:22 聯合報／記者王昭月／高雄即時報導";
        let (_, e, _) = find_datetime(line).unwrap();
        let cues = vec!["记者".to_string()];
        assert_eq!(source_after_date(line, e, &cues).as_deref(), Some("聯合報"));
    }

    #[test]
    fn a_byline_alone_after_the_date_is_no_outlet() {
        let line = "2024/03/15 14:20　記者林志明／台中報導";
        let (_, e, _) = find_datetime(line).unwrap();
        let cues = vec!["记者".to_string()];
        assert_eq!(source_after_date(line, e, &cues), None);
    }

    #[test]
    fn a_newspapers_page_line_names_the_outlet_before_the_date() {
        let line = "桂林日报 2024年4月12日 第1版";
        let (s, e, v) = find_datetime(line).unwrap();
        assert_eq!(v, "2024-04-12");
        assert_eq!(source_after_date(line, e, &[]), None);
        assert_eq!(
            source_before_edition(line, s, e).as_deref(),
            Some("桂林日报")
        );
        // Without a page number after the date, the text before it is no outlet.
        let line = "发布时间 2024年4月12日 桂林日报";
        let (s, e, _) = find_datetime(line).unwrap();
        assert_eq!(source_before_edition(line, s, e), None);
    }

    #[test]
    fn an_outlet_opening_its_date_line() {
        for (line, outlet) in [
            ("洛阳发布 2024-11-06 18:30 河南", "洛阳发布"),
            ("新华网 2024-09-26 10:12:08", "新华网"),
            ("自由時報 2024/05/21 05:30", "自由時報"),
            // WeChat's own-article mark before the account, its region after.
            ("原创 潍坊发布 2024-05-21 18:05 发表于山东", "潍坊发布"),
        ] {
            let (s, e, _) = find_datetime(line).unwrap();
            assert_eq!(source_before_date(line, s, e).as_deref(), Some(outlet));
        }
        // Text after the date, or a sentence before it: no header line.
        let line = "新华网 2024-09-26 10:12 记者获悉";
        let (s, e, _) = find_datetime(line).unwrap();
        assert_eq!(source_before_date(line, s, e), None);
        let line = "双方约定，于 2024-09-26 签约";
        let (s, e, _) = find_datetime(line).unwrap();
        assert_eq!(source_before_date(line, s, e), None);
        // The mark alone names no account.
        let line = "原创 2024-05-21 18:05";
        let (s, e, _) = find_datetime(line).unwrap();
        assert_eq!(source_before_date(line, s, e), None);
    }

    #[test]
    fn a_twelve_hour_time_after_a_part_of_the_day() {
        let line = "2024年11月8日（星期五）下午5:12　星島日報";
        assert_eq!(find_datetime(line).unwrap().2, "2024-11-08T17:12");
        let line = "2024年11月8日 上午9:05";
        assert_eq!(find_datetime(line).unwrap().2, "2024-11-08T09:05");
    }

    #[test]
    fn a_time_after_a_dated_weekday() {
        let line = "2024年3月15日（星期五） 17:45  香港01";
        let (_, end, v) = find_datetime(line).unwrap();
        assert_eq!(v, "2024-03-15T17:45");
        assert_eq!(source_after_date(line, end, &[]).as_deref(), Some("香港01"));
    }

    #[test]
    fn a_date_in_chinese_numerals() {
        let line = "发布时间：二〇二四年十月十二日\u{3000}来源：无锡日报";
        let (_, _, v) = find_datetime(line).unwrap();
        assert_eq!(v, "2024-10-12");
        assert_eq!(
            find_datetime("一九九四年十月三十一日").unwrap().2,
            "1994-10-31"
        );
        assert_eq!(find_datetime("二〇二四年十三月一日"), None);
    }

    #[test]
    fn source_after_a_dated_weekday() {
        for (line, source) in [
            ("2024年3月28日（星期四）\u{3000}澳門日報", Some("澳門日報")),
            // A bare weekday, set off by spaces on both sides.
            ("2023年10月12日 星期四  澳門日報", Some("澳門日報")),
            // A day with no time: the date's match may take the space.
            ("2025-02-18 澳門日報", Some("澳門日報")),
            // A bar between the time and the outlet is no part of it.
            ("2024年7月23日 18:45 | 星洲日报", Some("星洲日报")),
            // A view counter after the date is no outlet.
            ("2004-12-10 阅读10544次", None),
        ] {
            let (_, e, _) = find_datetime(line).unwrap();
            assert_eq!(source_after_date(line, e, &[]).as_deref(), source, "{line}");
        }
    }

    #[test]
    fn anniversary_stories_are_dated_after_the_founding() {
        let body = "1981年11月,两省州正式结为友好省州。今年是两省州结好30周年。";
        assert_eq!(infer_year(body, 11, 3), Some(2011));
        assert_eq!(
            infer_year("三十周年庆典。1994年双方结好。", 5, 1),
            Some(2024)
        );
        // Without an anniversary, the latest year told (pushed by a later month).
        assert_eq!(infer_year("2019年12月,双方签约。", 3, 1), Some(2020));
    }

    #[test]
    fn a_datelines_outlet_without_the_city_it_files_from() {
        assert_eq!(
            find_dateline("韩联社首尔10月23日电 双方").unwrap().source,
            "韩联社"
        );
        assert_eq!(
            find_dateline("人民网东京8月30日电 据").unwrap().source,
            "人民网"
        );
        assert_eq!(find_dateline("中央社台北5日電").unwrap().source, "中央社");
        // A bracket opening the dateline is no part of the outlet.
        assert_eq!(
            find_dateline("【韩联社水原10月17日电】韩国京畿道水原市")
                .unwrap()
                .source,
            "韩联社"
        );
        assert_eq!(
            find_dateline("烟台日报3月5日讯 据").unwrap().source,
            "烟台日报"
        );
    }

    #[test]
    fn full_width_digits_date_a_header() {
        assert_eq!(
            find_datetime("２０２４年１１月０４日　来源：苏州日报")
                .unwrap()
                .2,
            "2024-11-04"
        );
        assert_eq!(
            find_datetime("２０２４年１１月０４日 ０９：０５")
                .unwrap()
                .2,
            "2024-11-04T09:05"
        );
    }

    #[test]
    fn a_time_in_words_with_its_zone() {
        let line = "2024年11月21日（星期四）\n香港時間18時30分";
        assert_eq!(find_datetime(line).unwrap().2, "2024-11-21T18:30");
        assert_eq!(
            find_datetime("2024年3月5日 9点05分").unwrap().2,
            "2024-03-05T09:05"
        );
    }

    #[test]
    fn a_labelled_roc_date_is_taiwans_calendar() {
        assert_eq!(
            find_datetime("發布日期：113-03-08").unwrap().2,
            "2024-03-08"
        );
        assert_eq!(find_datetime("民國113年3月8日").unwrap().2, "2024-03-08");
        // Unlabelled, three digits are no year.
        assert!(find_datetime("電話：113-03-08").is_none());
        // Day, month and year are no ROC date.
        assert!(find_datetime("发表时间： 06/02/2022 - 13:48").is_none());
        assert_eq!(
            find_source_label("發布單位：新北市政府觀光旅遊局").unwrap(),
            "新北市政府觀光旅遊局"
        );
    }

    #[test]
    fn header_dates() {
        assert_eq!(
            find_datetime("2024-01-25 09:36    X").unwrap().2,
            "2024-01-25T09:36"
        );
        assert_eq!(
            find_datetime("2021-12-08 09:23:38来源: 中央").unwrap().2,
            "2021-12-08T09:23:38"
        );
        assert_eq!(find_datetime("2024年3月5日").unwrap().2, "2024-03-05");
        assert!(find_datetime("2024-13-05").is_none());
    }

    #[test]
    fn sources() {
        let l = "2021-12-08 09:23:38来源: 中央广电总台国际在线编辑: 陈前责编: 赵滢溪";
        assert_eq!(find_source_label(l).unwrap(), "中央广电总台国际在线");
        assert_eq!(find_source_label("商周刊 2024年6期").unwrap(), "商周刊");
        let l = "2024-01-25 09:36    青報觀象山";
        let (_, e, _) = find_datetime(l).unwrap();
        assert_eq!(source_after_date(l, e, &[]).unwrap(), "青報觀象山");
        let l = "2024-03-25 03:57毛振鵬";
        let (_, e, _) = find_datetime(l).unwrap();
        assert!(source_after_date(l, e, &[]).is_none());
        // A byline after the outlet is not part of it.
        let l = "2023-12-05 07:30 长江日报 记者 王敏";
        let (_, e, _) = find_datetime(l).unwrap();
        let cues = ["记者".to_string(), "通讯员".to_string()];
        assert_eq!(source_after_date(l, e, &cues).unwrap(), "长江日报");
    }

    #[test]
    fn dateline_and_inferred_year() {
        let d = find_dateline("新华社北京5月20日电 记者从…").unwrap();
        assert_eq!(
            (d.source.as_str(), d.month, d.day),
            // The outlet without the city it files from (was 新华社北京).
            ("新华社", Some(5), 20)
        );
        // Southeast Asian and Hong Kong style: the day alone, in brackets.
        let d = find_dateline("（吉隆坡12日讯）马来西亚…").unwrap();
        assert_eq!((d.source.as_str(), d.month, d.day), ("吉隆坡", None, 12));
        let text = "2024年10月,与某市结好。2023年2月举办。";
        assert_eq!(infer_year(text, 5, 23), Some(2025));
        assert_eq!(infer_year("2024年3月签约", 5, 23), Some(2024));
        assert_eq!(infer_year("没有年份", 5, 23), None);
    }
}
