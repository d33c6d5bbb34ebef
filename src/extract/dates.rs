//! Date normaliser: captures of a date rule → ISO value, grain and anchor,
//! resolving partial and relative dates against the document date.

use super::numbers::parse_number;

/// How to place a year-less date: news reports the past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prefer {
    #[default]
    Past,
    Future,
}

/// The reference point: the document's publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Minutes since midnight, when the reference gives a time.
    pub minute_of_day: Option<u32>,
}

impl RefDate {
    /// From an ISO string at day precision or finer (`2024-01-25T09:36`).
    pub fn parse(s: &str) -> Option<Self> {
        let y: i32 = s.get(0..4)?.parse().ok()?;
        let m: u32 = s.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
        let d: u32 = s.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1);
        let hm = |a, b| s.get(a..b).and_then(|v: &str| v.parse::<u32>().ok());
        let minute_of_day = match (s.get(10..11), hm(11, 13), hm(14, 16)) {
            (Some("T" | " "), Some(h), mi) => Some(h * 60 + mi.unwrap_or(0)),
            _ => None,
        };
        Some(RefDate {
            year: y,
            month: m,
            day: d,
            minute_of_day,
        })
    }
}

/// The parts a date rule captured (normalised text of each capture).
#[derive(Debug, Default, Clone)]
pub struct DateParts<'a> {
    pub year: Option<&'a str>,
    pub year2: Option<&'a str>,
    pub rel_year: Option<&'a str>,
    pub rel_month: Option<&'a str>,
    /// 今天, 昨天, 前天 ...
    pub rel_day: Option<&'a str>,
    /// 上/下/这 before a weekday.
    pub rel_week: Option<&'a str>,
    /// The weekday: 一 … 六, 日/天.
    pub weekday: Option<&'a str>,
    pub month: Option<&'a str>,
    pub day: Option<&'a str>,
    pub hour: Option<&'a str>,
    pub minute: Option<&'a str>,
    pub ampm: Option<&'a str>,
    pub open: bool,
    /// A week named by 上/下/这 + 周, without a weekday.
    pub week: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue {
    pub value: String,
    pub grain: &'static str,
    pub anchor: &'static str,
}

fn year_of(s: &str) -> Option<i32> {
    let v = parse_number(s)? as i64;
    // Two-digit years (`24年`) are not accepted: too often counts of years.
    (1000..=2200).contains(&v).then_some(v as i32)
}

fn small(s: Option<&str>) -> Option<u32> {
    s.and_then(parse_number).map(|v| v as u32)
}

/// Minutes of a clock time: 十五, 零五, 半 (30), 三刻 (45), and the Cantonese
/// five-minute 字 (三点三 → 15, written 三点三个字 or 三点踏三).
fn minute_of(s: Option<&str>) -> Option<u32> {
    let s = s?;
    match s {
        "半" => return Some(30),
        "一刻" => return Some(15),
        "三刻" => return Some(45),
        _ => {}
    }
    let single_han = s.chars().count() == 1 && !s.starts_with(|c: char| c.is_ascii_digit());
    let v = small(Some(s))?;
    Some(if single_han { v * 5 } else { v })
}

pub fn rel_year_offset(s: &str) -> Option<i32> {
    Some(match s {
        "今年" | "本年" | "当年" | "这一年" => 0,
        "去年" | "上年" | "上一年" => -1,
        "前年" => -2,
        "明年" | "来年" | "下一年" | "下年" => 1,
        "后年" => 2,
        _ => return None,
    })
}

fn rel_month_offset(s: &str) -> Option<i32> {
    Some(match s {
        "本月" | "当月" | "这个月" | "今个月" => 0,
        "上月" | "上个月" => -1,
        "下月" | "下个月" => 1,
        _ => return None,
    })
}

fn rel_day_offset(s: &str) -> Option<i64> {
    Some(match s {
        "大前天" | "大前日" => -3,
        "前天" | "前日" => -2,
        // 寻日 and 听日 are Cantonese (尋日, 聽日 before folding).
        "昨天" | "昨日" | "寻日" => -1,
        "今天" | "今日" => 0,
        "明天" | "明日" | "听日" => 1,
        "后天" | "后日" => 2,
        "大后天" | "大后日" => 3,
        _ => return None,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// A day (days since 1970-01-01) as ISO `YYYY-MM-DD`.
pub fn iso_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The `n`-th `weekday` (Monday = 0) of a month, as days since 1970-01-01
/// (1970-01-01 was a Thursday, index 3). May run into the next month.
pub fn nth_weekday(y: i32, m: u32, weekday: i64, n: i64) -> i64 {
    let first = days_from_civil(y, m, 1);
    first + (weekday - (first + 3).rem_euclid(7)).rem_euclid(7) + 7 * (n - 1)
}

pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

/// Monday = 0 … Sunday = 6.
pub fn weekday_index(w: &str) -> Option<i64> {
    Some(match w {
        "一" => 0,
        "二" => 1,
        "三" => 2,
        "四" => 3,
        "五" => 4,
        "六" => 5,
        "日" | "天" => 6,
        _ => return None,
    })
}

/// A day relative to the reference: 昨天, or a weekday (周三, 上周五). Weeks
/// start on Monday; a bare weekday is the nearest one on or before the
/// reference (`past`) or after it (`future`).
fn relative_day(p: &DateParts, r: RefDate, prefer: Prefer) -> Option<i64> {
    let today = days_from_civil(r.year, r.month, r.day);
    if let Some(rd) = p.rel_day {
        return Some(today + rel_day_offset(rd)?);
    }
    let wd = weekday_index(p.weekday?)?;
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    let ref_wd = (today + 3).rem_euclid(7);
    let monday = today - ref_wd;
    Some(match p.rel_week {
        Some("上") => monday - 7 + wd,
        Some("下") => monday + 7 + wd,
        Some(_) => monday + wd,
        None => match prefer {
            Prefer::Past => today - (ref_wd - wd).rem_euclid(7),
            Prefer::Future => today + (wd - ref_wd - 1).rem_euclid(7) + 1,
        },
    })
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Resolve captured parts to a calendar value. `None` when the parts do not
/// form a valid date, or need a reference date that is missing.
/// How many days after the page a year-less day may fall and still be this
/// year's under `past`: news tells what is coming within the week.
const SOON_DAYS: i64 = 7;

pub fn resolve(p: &DateParts, reference: Option<RefDate>, prefer: Prefer) -> Option<DateValue> {
    let mut anchor = "explicit";
    let month = small(p.month);
    let day = small(p.day);
    if month.is_some_and(|m| !(1..=12).contains(&m)) || day.is_some_and(|d| !(1..=31).contains(&d))
    {
        return None;
    }
    // 1月24日(周三), 周日,二月十号: the weekday picks the year.
    if let (Some(wd), Some(m), Some(d), None) = (p.weekday, month, day, p.year) {
        let plain = DateParts {
            weekday: None,
            rel_week: None,
            ..p.clone()
        };
        let first = resolve(&plain, reference, prefer)?;
        let y0: i32 = first.value.get(..4)?.parse().ok()?;
        let want = weekday_index(wd)?;
        for y in [y0, y0 - 1, y0 + 1] {
            if d <= days_in_month(y, m) && (days_from_civil(y, m, d) + 3).rem_euclid(7) == want {
                return finish(y, Some(m), Some(d), p, "document");
            }
        }
        return Some(first);
    }
    if p.week && p.weekday.is_none() {
        let r0 = reference?;
        let today = days_from_civil(r0.year, r0.month, r0.day);
        let monday = today - (today + 3).rem_euclid(7)
            + 7 * match p.rel_week {
                Some("上") => -1,
                Some("下") => 1,
                _ => 0,
            };
        return Some(DateValue {
            value: format!("{}/{}", iso_day(monday), iso_day(monday + 6)),
            grain: "interval",
            anchor: "document",
        });
    }
    if p.rel_day.is_some() || p.weekday.is_some() {
        let (y, m, d) = civil_from_days(relative_day(p, reference?, prefer)?);
        return finish(y, Some(m), Some(d), p, "document");
    }
    // Year: explicit, relative, or taken from the reference.
    let (year, month) = if let Some(y) = p.year {
        (year_of(y)?, month)
    } else if let Some(r) = p.rel_year {
        let r0 = reference?;
        anchor = "document";
        (r0.year + rel_year_offset(r)?, month)
    } else if let Some(r) = p.rel_month {
        let r0 = reference?;
        anchor = "document";
        let total = r0.year * 12 + r0.month as i32 - 1 + rel_month_offset(r)?;
        (total.div_euclid(12), Some(total.rem_euclid(12) as u32 + 1))
    } else if month.is_some() || day.is_some() {
        let r0 = reference?;
        anchor = "document";
        let m = month.unwrap_or(r0.month);
        let d = day.unwrap_or(1);
        let after = (m, d) > (r0.month, r0.day);
        // A month alone (将在9月) is the reference's own month too.
        let before = if day.is_none() {
            m < r0.month
        } else {
            (m, d) < (r0.month, r0.day)
        };
        // 论坛持续至8月28日 on the 27th: a day at most a week after the page's
        // is the coming one, not last year's (across New Year too).
        let soon = |y: i32| {
            day.is_some() && {
                let ahead = days_from_civil(y, m, d) - days_from_civil(r0.year, r0.month, r0.day);
                (1..=SOON_DAYS).contains(&ahead)
            }
        };
        let y = match prefer {
            Prefer::Past if soon(r0.year) => r0.year,
            Prefer::Past if soon(r0.year + 1) => r0.year + 1,
            Prefer::Past if after => r0.year - 1,
            Prefer::Future if before && month.is_some() => r0.year + 1,
            _ => r0.year,
        };
        let m = if month.is_none() {
            // A bare day (24日) is in the reference month, or the one before.
            let m = if d > r0.day && prefer == Prefer::Past {
                r0.month.checked_sub(1).filter(|&m| m > 0).unwrap_or(12)
            } else {
                r0.month
            };
            return finish(
                if m == 12 && r0.month == 1 && d > r0.day {
                    r0.year - 1
                } else {
                    r0.year
                },
                Some(m),
                Some(d),
                p,
                anchor,
            );
        } else {
            m
        };
        (y, Some(m))
    } else if p.hour.is_some() {
        // A clock time alone (下午三点, 15:30) is on the reference day. Under
        // `future`, a 12-hour time already past that day is its afternoon.
        let r0 = reference?;
        let mut q = p.clone();
        if prefer == Prefer::Future
            && q.ampm.is_none()
            && let (Some(h), Some(now)) = (small(p.hour), r0.minute_of_day)
            && h < 12
            && h * 60 + minute_of(p.minute).unwrap_or(0) <= now
        {
            q.ampm = Some("下午");
        }
        return finish(r0.year, Some(r0.month), Some(r0.day), &q, "document");
    } else {
        return None;
    };
    if let Some(y2) = p.year2 {
        let y2 = year_of(y2)?;
        if y2 <= year {
            return None;
        }
        return Some(DateValue {
            value: format!("{year}/{y2}"),
            grain: "interval",
            anchor,
        });
    }
    if p.open {
        let v = match month {
            Some(m) => format!("{year:04}-{m:02}/.."),
            None => format!("{year:04}/.."),
        };
        return Some(DateValue {
            value: v,
            grain: "interval",
            anchor,
        });
    }
    finish(year, month, day, p, anchor)
}

/// The end of a span whose start is resolved (2023年9月至10月, 3月5日至7日,
/// 12月至次年1月): missing fields come from the start; an end that would fall
/// before the start without an explicit year is in the next year.
/// `end` is (year, month, day) as written.
pub fn resolve_span(
    start: &DateValue,
    end: (Option<&str>, Option<&str>, Option<&str>),
) -> Option<DateValue> {
    let mut it = start.value.split('-');
    let sy: i32 = it.next()?.parse().ok()?;
    let sm: Option<u32> = it.next().and_then(|m| m.parse().ok());
    let sd: Option<u32> = it.next().and_then(|d| d.get(..2)?.parse().ok());
    let (ey, em, ed) = (end.0.map(year_of), small(end.1), small(end.2));
    if ey.is_some_and(|y| y.is_none()) {
        return None;
    }
    let explicit_year = ey.is_some();
    let mut y = ey.flatten().unwrap_or(sy);
    let m = em.or(sm)?;
    // The end is as precise as the start: 3月5日至4月 is not a span we read.
    if sd.is_some() != ed.is_some() || !(1..=12).contains(&m) {
        return None;
    }
    if !explicit_year && (m, ed) < (sm?, sd) {
        y += 1;
    }
    let value = match ed {
        Some(d) if d >= 1 && d <= days_in_month(y, m) => format!("{y:04}-{m:02}-{d:02}"),
        Some(_) => return None,
        None => format!("{y:04}-{m:02}"),
    };
    if value.as_str() <= start.value.get(..value.len())? {
        return None;
    }
    Some(DateValue {
        value: format!("{}/{value}", start.value),
        grain: "interval",
        anchor: start.anchor,
    })
}

/// 前两天, 下三个月 (`span`: the N whole units before or after the current
/// one, an interval) and 两年前, 三天后 (a point N units away; weeks as days).
/// Hours and minutes need the reference's time of day.
pub fn relative_units(
    n: i64,
    unit: &str,
    past: bool,
    span: bool,
    r0: RefDate,
) -> Option<DateValue> {
    if !(1..=10_000).contains(&n) {
        return None;
    }
    let sign = if past { -1 } else { 1 };
    let ymd = iso_day;
    let today = days_from_civil(r0.year, r0.month, r0.day);
    // Each unit: the current unit's index, and its text at an index.
    let (cur, text): (i64, Box<dyn Fn(i64) -> String>) = match unit {
        "天" | "日" => (today, Box::new(ymd)),
        "周" | "星期" | "礼拜" if span => {
            let monday = today - (today + 3).rem_euclid(7);
            let week = monday.div_euclid(7);
            let value = Box::new(move |w: i64| ymd(w * 7 + (monday - week * 7)));
            (week, value)
        }
        "周" | "星期" | "礼拜" => {
            return Some(DateValue {
                value: ymd(today + sign * 7 * n),
                grain: "day",
                anchor: "document",
            });
        }
        "月" => (
            i64::from(r0.year) * 12 + i64::from(r0.month) - 1,
            Box::new(|k: i64| format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1)),
        ),
        "年" => (i64::from(r0.year), Box::new(|y: i64| format!("{y:04}"))),
        "小时" | "钟头" | "钟" => {
            let now = r0.minute_of_day? / 60;
            (
                today * 24 + i64::from(now),
                Box::new(move |h: i64| {
                    format!("{}T{:02}", ymd(h.div_euclid(24)), h.rem_euclid(24))
                }),
            )
        }
        "分钟" => {
            let now = r0.minute_of_day?;
            (
                today * 1440 + i64::from(now),
                Box::new(move |m: i64| {
                    let (d, mm) = (m.div_euclid(1440), m.rem_euclid(1440));
                    format!("{}T{:02}:{:02}", ymd(d), mm / 60, mm % 60)
                }),
            )
        }
        _ => return None,
    };
    if !span {
        let grain = match unit {
            "天" | "日" => "day",
            "月" => "month",
            "年" => "year",
            "分钟" => "minute",
            _ => "hour",
        };
        return Some(DateValue {
            value: text(cur + sign * n),
            grain,
            anchor: "document",
        });
    }
    let (a, b) = if past {
        (cur - n, cur - 1)
    } else {
        (cur + 1, cur + n)
    };
    // A week's end is its Sunday.
    let end = if matches!(unit, "周" | "星期" | "礼拜") {
        let (y, m, d) = {
            let t = text(b);
            (
                t[..4].parse().ok()?,
                t[5..7].parse().ok()?,
                t[8..10].parse().ok()?,
            )
        };
        ymd(days_from_civil(y, m, d) + 6)
    } else {
        text(b)
    };
    Some(DateValue {
        value: format!("{}/{end}", text(a)),
        grain: "interval",
        anchor: "document",
    })
}

fn finish(
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    p: &DateParts,
    anchor: &'static str,
) -> Option<DateValue> {
    let (value, grain) = match (month, day) {
        (None, _) => (format!("{year:04}"), "year"),
        (Some(m), None) => (format!("{year:04}-{m:02}"), "month"),
        (Some(m), Some(d)) => {
            if d > days_in_month(year, m) {
                return None;
            }
            let base = format!("{year:04}-{m:02}-{d:02}");
            match small(p.hour) {
                Some(mut h) if h <= 24 => {
                    if p.ampm == Some("下午") && h < 12 || p.ampm == Some("中午") && h < 6 {
                        h += 12;
                    }
                    match minute_of(p.minute) {
                        Some(mi) if mi < 60 => (format!("{base}T{h:02}:{mi:02}"), "minute"),
                        _ => (format!("{base}T{h:02}"), "hour"),
                    }
                }
                _ => (base, "day"),
            }
        }
    };
    Some(DateValue {
        value,
        grain,
        anchor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> Option<RefDate> {
        RefDate::parse("2024-01-25")
    }

    #[test]
    fn spans_take_missing_fields_from_their_start() {
        let start = |p: DateParts| resolve(&p, r(), Prefer::Past).unwrap();
        let ym = start(DateParts {
            year: Some("2023"),
            month: Some("9"),
            ..Default::default()
        });
        let v = |s: &DateValue, e| resolve_span(s, e).map(|v| v.value);
        assert_eq!(v(&ym, (None, Some("10"), None)).unwrap(), "2023-09/2023-10");
        assert_eq!(
            v(&ym, (Some("2024"), Some("1"), None)).unwrap(),
            "2023-09/2024-01"
        );
        // 9月至次年3月 without a year: the next year.
        assert_eq!(v(&ym, (None, Some("3"), None)).unwrap(), "2023-09/2024-03");
        let md = start(DateParts {
            month: Some("3"),
            day: Some("5"),
            ..Default::default()
        });
        assert_eq!(
            v(&md, (None, None, Some("7"))).unwrap(),
            "2023-03-05/2023-03-07"
        );
        assert_eq!(v(&md, (None, None, Some("32"))), None);
        // Precision must agree; an end before the start in the same year is no span.
        assert_eq!(v(&md, (None, Some("4"), None)), None);
        assert_eq!(v(&ym, (Some("2023"), Some("8"), None)), None);
    }

    #[test]
    fn relative_units_as_spans_and_points() {
        // 2013-02-12 (a Tuesday) at 04:30.
        let r = RefDate::parse("2013-02-12T04:30").unwrap();
        let v = |n, u, past, span| relative_units(n, u, past, span, r).unwrap().value;
        assert_eq!(v(2, "天", true, true), "2013-02-10/2013-02-11");
        assert_eq!(v(3, "天", false, true), "2013-02-13/2013-02-15");
        assert_eq!(v(2, "周", true, true), "2013-01-28/2013-02-10");
        assert_eq!(v(2, "月", true, true), "2012-12/2013-01");
        assert_eq!(v(3, "月", false, true), "2013-03/2013-05");
        assert_eq!(v(2, "小时", true, true), "2013-02-12T02/2013-02-12T03");
        assert_eq!(
            v(3, "分钟", false, true),
            "2013-02-12T04:31/2013-02-12T04:33"
        );
        assert_eq!(v(2, "年", true, false), "2011");
        assert_eq!(v(2, "周", true, false), "2013-01-29");
        assert_eq!(v(3, "天", false, false), "2013-02-15");
        // No time of day in the reference: no hours.
        assert!(
            relative_units(2, "小时", true, true, RefDate::parse("2013-02-12").unwrap()).is_none()
        );
    }

    /// A year-less day within a week after the page is the coming one; a
    /// later one is last year's under `past`.
    #[test]
    fn a_day_just_ahead_of_the_page_is_this_years() {
        let md = |m: &'static str, d: &'static str| DateParts {
            month: Some(m),
            day: Some(d),
            ..Default::default()
        };
        let v = |r: &str, p: DateParts| resolve(&p, RefDate::parse(r), Prefer::Past).unwrap().value;
        assert_eq!(v("2024-08-27", md("8", "28")), "2024-08-28");
        assert_eq!(v("2024-12-30", md("1", "2")), "2025-01-02");
        assert_eq!(v("2024-08-27", md("9", "20")), "2023-09-20");
        assert_eq!(v("2024-08-27", md("8", "26")), "2024-08-26");
    }

    #[test]
    fn relative_days_and_weekdays() {
        // 2013-02-12 was a Tuesday.
        let r = RefDate::parse("2013-02-12");
        let v = |p: DateParts, pr| resolve(&p, r, pr).unwrap().value;
        let day = |s| DateParts {
            rel_day: Some(s),
            ..Default::default()
        };
        assert_eq!(v(day("昨天"), Prefer::Past), "2013-02-11");
        assert_eq!(v(day("大后天"), Prefer::Past), "2013-02-15");
        let wk = |rel, d| DateParts {
            rel_week: rel,
            weekday: Some(d),
            ..Default::default()
        };
        assert_eq!(v(wk(None, "三"), Prefer::Future), "2013-02-13");
        assert_eq!(v(wk(None, "二"), Prefer::Future), "2013-02-19");
        assert_eq!(v(wk(None, "二"), Prefer::Past), "2013-02-12");
        assert_eq!(v(wk(None, "日"), Prefer::Past), "2013-02-10");
        assert_eq!(v(wk(Some("上"), "二"), Prefer::Past), "2013-02-05");
        assert_eq!(v(wk(Some("下"), "二"), Prefer::Past), "2013-02-19");
        assert_eq!(v(wk(Some("这"), "一"), Prefer::Past), "2013-02-11");
        // Across a year boundary.
        let r = RefDate::parse("2024-01-01");
        assert_eq!(
            resolve(&day("前天"), r, Prefer::Past).unwrap().value,
            "2023-12-30"
        );
    }

    #[test]
    fn explicit_and_relative() {
        let p = DateParts {
            year: Some("2024"),
            month: Some("1"),
            day: Some("24"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, None, Prefer::Past).unwrap().value, "2024-01-24");
        let p = DateParts {
            year: Some("二〇二三"),
            month: Some("九"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, None, Prefer::Past).unwrap().value, "2023-09");
        let p = DateParts {
            month: Some("1"),
            day: Some("24"),
            ..Default::default()
        };
        let v = resolve(&p, r(), Prefer::Past).unwrap();
        assert_eq!((v.value.as_str(), v.anchor), ("2024-01-24", "document"));
        let p = DateParts {
            month: Some("10"),
            day: Some("29"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, r(), Prefer::Past).unwrap().value, "2023-10-29");
        assert_eq!(
            resolve(&p, r(), Prefer::Future).unwrap().value,
            "2024-10-29"
        );
        // Ahead, a month alone may be the reference's own (将在1月).
        let p = DateParts {
            month: Some("1"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, r(), Prefer::Future).unwrap().value, "2024-01");
        let p = DateParts {
            rel_year: Some("去年"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, r(), Prefer::Past).unwrap().value, "2023");
        let p = DateParts {
            rel_year: Some("今年"),
            month: Some("4"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, r(), Prefer::Past).unwrap().value, "2024-04");
        let p = DateParts {
            rel_month: Some("上月"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, r(), Prefer::Past).unwrap().value, "2023-12");
        assert!(
            resolve(
                &DateParts {
                    month: Some("1"),
                    ..Default::default()
                },
                None,
                Prefer::Past
            )
            .is_none()
        );
    }

    #[test]
    fn intervals_and_times() {
        let p = DateParts {
            year: Some("2023"),
            year2: Some("2025"),
            ..Default::default()
        };
        assert_eq!(resolve(&p, None, Prefer::Past).unwrap().value, "2023/2025");
        let p = DateParts {
            year: Some("2021"),
            open: true,
            ..Default::default()
        };
        assert_eq!(resolve(&p, None, Prefer::Past).unwrap().value, "2021/..");
        let p = DateParts {
            year: Some("2024"),
            month: Some("1"),
            day: Some("25"),
            hour: Some("9"),
            minute: Some("36"),
            ..Default::default()
        };
        let v = resolve(&p, None, Prefer::Past).unwrap();
        assert_eq!((v.value.as_str(), v.grain), ("2024-01-25T09:36", "minute"));
        let p = DateParts {
            year: Some("2024"),
            month: Some("2"),
            day: Some("30"),
            ..Default::default()
        };
        assert!(resolve(&p, None, Prefer::Past).is_none());
    }
}
