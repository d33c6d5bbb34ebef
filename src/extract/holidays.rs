//! Holidays as dates: 国庆节, 春节, 复活节, 开斋节 … resolved to a day.
//!
//! Names and their rules are data (`patterns/lexicon/holidays.tsv`): a fixed
//! day, the N-th weekday of a month, a day counted from Western or Orthodox
//! Easter (computed here: the computus is an algorithm, not data), or a day of
//! the Chinese, Hijri or Hebrew calendar, looked up in `calendar_tables.tsv`
//! (generated from registry packages by `build_calendars.py`).

use std::collections::HashMap;

use super::dates::{
    DateValue, Prefer, RefDate, civil_from_days, days_from_civil, days_in_month, iso_day,
    nth_weekday,
};
use super::rules::{Lexicons, lexicon_pairs};

/// How far ahead a holiday a past-tense page names may be (days).
const HOLIDAY_AHEAD_DAYS: i64 = 14;

pub struct Holidays {
    /// Name → (rule of its first day, how long it lasts: `+N` days, or `<RULE`
    /// until the day before RULE's next day).
    rules: HashMap<String, (String, Option<String>)>,
    /// Rule (lunar:1-1, hijri:10-1 …) → its days (days since 1970-01-01), sorted.
    tables: HashMap<String, Vec<i64>>,
}

impl Holidays {
    pub fn new(lex: &Lexicons) -> Self {
        let pairs = |n: &str| lexicon_pairs(lex, n);
        let mut tables: HashMap<String, Vec<i64>> = HashMap::new();
        for (rule, iso) in pairs("calendar_tables") {
            if let Some(d) = parse_iso(&iso) {
                tables.entry(rule).or_default().push(d);
            }
        }
        for v in tables.values_mut() {
            v.sort_unstable();
        }
        Holidays {
            rules: pairs("holidays")
                .into_iter()
                .map(|(name, spec)| match spec.split_once('\t') {
                    Some((rule, len)) => (
                        name,
                        (rule.trim().to_string(), Some(len.trim().to_string())),
                    ),
                    None => (name, (spec, None)),
                })
                .collect(),
            tables,
        }
    }

    /// The holiday's day in Gregorian year `y` (days since 1970-01-01).
    fn in_year(&self, name: &str, y: i32) -> Option<i64> {
        self.rule_day(&self.rules.get(name)?.0, y)
    }

    /// The day a rule gives in Gregorian year `y`.
    fn rule_day(&self, rule: &str, y: i32) -> Option<i64> {
        if let Some((m, d)) = rule.split_once('-').filter(|_| rule.len() == 5) {
            let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
            return (d <= days_in_month(y, m)).then(|| days_from_civil(y, m, d));
        }
        if let Some(spec) = rule.strip_prefix("nth:") {
            let mut it = spec.split(':').map(|v| v.parse::<i64>().ok());
            let (m, w, n) = (it.next()??, it.next()??, it.next()??);
            // Weekdays are written Monday = 1 … Sunday = 7.
            return Some(nth_weekday(y, m as u32, w - 1, n));
        }
        for (prefix, easter) in [
            ("easter", western_easter as fn(i32) -> i64),
            ("orthodox", orthodox_easter),
        ] {
            if let Some(off) = rule.strip_prefix(prefix) {
                let off: i64 = off.trim_start_matches('+').parse().ok()?;
                return Some(easter(y) + off);
            }
        }
        self.tables
            .get(rule)?
            .iter()
            .copied()
            .find(|&d| civil_from_days(d).0 == y)
    }

    /// Resolve a holiday: in the year given, else the occurrence nearest the
    /// reference on the preferred side (in the past: unless one is at most
    /// `HOLIDAY_AHEAD_DAYS` ahead).
    pub fn resolve(
        &self,
        name: &str,
        year: Option<i32>,
        reference: Option<RefDate>,
        prefer: Prefer,
    ) -> Option<DateValue> {
        let (day, anchor) = match year {
            Some(y) => (self.in_year(name, y)?, "explicit"),
            None => {
                let r = reference?;
                let today = days_from_civil(r.year, r.month, r.day);
                let near = || (r.year - 1..=r.year + 1).filter_map(|y| self.in_year(name, y));
                let ahead = near().filter(|&d| d >= today).min();
                let day = match prefer {
                    Prefer::Future => ahead?,
                    // News looks back, but a holiday a fortnight ahead is the
                    // one a page names (春节前夕 five days before it), not
                    // last year's.
                    Prefer::Past => ahead
                        .filter(|&d| d - today <= HOLIDAY_AHEAD_DAYS)
                        .or_else(|| near().filter(|&d| d <= today).max())?,
                };
                (day, "document")
            }
        };
        let iso = iso_day;
        // A holiday that lasts (大斋期, 斋月) is an interval.
        let end = match self.rules.get(name)?.1.as_deref() {
            Some(len) if len.starts_with('+') => Some(day + len[1..].parse::<i64>().ok()? - 1),
            Some(len) if len.starts_with('<') => {
                let y = civil_from_days(day).0;
                let next = (y..=y + 1)
                    .filter_map(|yy| self.rule_day(&len[1..], yy))
                    .find(|&d| d > day)?;
                Some(next - 1)
            }
            _ => None,
        };
        Some(match end {
            Some(e) if e > day => DateValue {
                value: format!("{}/{}", iso(day), iso(e)),
                grain: "interval",
                anchor,
            },
            _ => DateValue {
                value: iso(day),
                grain: "day",
                anchor,
            },
        })
    }

    /// A day of the Chinese calendar (农历八月十五: month 8, day 15), in lunar
    /// year `year` (the one that begins in that Gregorian year), else the
    /// occurrence nearest the reference on the preferred side.
    pub fn lunar_date(
        &self,
        month: u32,
        day: u32,
        year: Option<i32>,
        reference: Option<RefDate>,
        prefer: Prefer,
    ) -> Option<DateValue> {
        if !(1..=30).contains(&day) {
            return None;
        }
        let starts = self.tables.get(&format!("lunar_month:{month}"))?;
        let new_years = self.tables.get("lunar_month:1")?;
        let in_lunar_year = |y: i32| {
            let ny = *new_years.iter().find(|&&d| civil_from_days(d).0 == y)?;
            let next = new_years
                .iter()
                .copied()
                .find(|&d| d > ny)
                .unwrap_or(i64::MAX);
            starts
                .iter()
                .find(|&&s| s >= ny && s < next)
                .map(|s| s + i64::from(day) - 1)
        };
        let (d, anchor) = match year {
            Some(y) => (in_lunar_year(y)?, "explicit"),
            None => {
                let r = reference?;
                let today = days_from_civil(r.year, r.month, r.day);
                let near = (r.year - 2..=r.year + 1).filter_map(in_lunar_year);
                let d = match prefer {
                    Prefer::Future => near.filter(|&d| d >= today).min()?,
                    Prefer::Past => near.filter(|&d| d <= today).max()?,
                };
                (d, "document")
            }
        };
        Some(DateValue {
            value: iso_day(d),
            grain: "day",
            anchor,
        })
    }
}

fn parse_iso(s: &str) -> Option<i64> {
    let y = s.get(..4)?.parse().ok()?;
    let m = s.get(5..7)?.parse().ok()?;
    let d = s.get(8..10)?.parse().ok()?;
    Some(days_from_civil(y, m, d))
}

/// Western Easter Sunday (the anonymous Gregorian computus).
fn western_easter(y: i32) -> i64 {
    let a = y % 19;
    let (b, c) = (y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    days_from_civil(y, month as u32, day as u32)
}

/// Orthodox Easter Sunday: Meeus' Julian computus, moved to the Gregorian
/// calendar (13 days in 1900–2099).
fn orthodox_easter(y: i32) -> i64 {
    let (a, b, c) = (y % 4, y % 7, y % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian_shift = i64::from(y / 100 - y / 400 - 2);
    days_from_civil(y, month as u32, day as u32) + julian_shift
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::rules::Sources;

    fn h() -> Holidays {
        Holidays::new(&Sources::builtin().lexicons())
    }

    fn on(name: &str, y: i32) -> String {
        let (y, m, d) = civil_from_days(h().in_year(name, y).unwrap());
        format!("{y:04}-{m:02}-{d:02}")
    }

    #[test]
    fn every_rule_kind_gives_the_known_day() {
        // Dates checked against published calendars.
        assert_eq!(on("国庆节", 2024), "2024-10-01");
        assert_eq!(on("感恩节", 2023), "2023-11-23");
        assert_eq!(on("母亲节", 2024), "2024-05-12");
        assert_eq!(on("复活节", 2013), "2013-03-31");
        assert_eq!(on("复活节", 2024), "2024-03-31");
        assert_eq!(on("东正教复活节", 2013), "2013-05-05");
        assert_eq!(on("东正教复活节", 2024), "2024-05-05");
        assert_eq!(on("春节", 2024), "2024-02-10");
        assert_eq!(on("除夕", 2024), "2024-02-09");
        assert_eq!(on("中秋节", 2023), "2023-09-29");
        assert_eq!(on("清明节", 2024), "2024-04-04");
        assert_eq!(on("开斋节", 2024), "2024-04-10");
        assert_eq!(on("赎罪日", 2023), "2023-09-25");
    }

    #[test]
    fn holidays_that_last_are_intervals() {
        let v = |n, y| h().resolve(n, Some(y), None, Prefer::Past).unwrap().value;
        // Lent 2018: Ash Wednesday 14 February to Holy Saturday 31 March.
        assert_eq!(v("大斋期", 2018), "2018-02-14/2018-03-31");
        // Ramadan 1445: 11 March to 9 April 2024 (Umm al-Qura).
        assert_eq!(v("斋月", 2024), "2024-03-11/2024-04-09");
        assert_eq!(v("光明节", 2023), "2023-12-08/2023-12-15");
    }

    #[test]
    fn lunar_dates() {
        let r = RefDate::parse("2024-01-25");
        let v = |m, d, y| h().lunar_date(m, d, y, r, Prefer::Past).unwrap().value;
        // 2023 Mid-Autumn was 2023-09-29; lunar 2023's 腊月初八 fell in January 2024.
        assert_eq!(v(8, 15, None), "2023-09-29");
        assert_eq!(v(12, 8, Some(2023)), "2024-01-18");
        assert_eq!(v(1, 1, Some(2024)), "2024-02-10");
    }

    #[test]
    fn yearless_holidays_take_the_nearest_on_the_preferred_side() {
        let r = RefDate::parse("2024-01-25");
        let v = |p| h().resolve("春节", None, r, p).unwrap().value;
        assert_eq!(v(Prefer::Future), "2024-02-10");
        assert_eq!(v(Prefer::Past), "2023-01-22");
        assert_eq!(
            h().resolve("春节", Some(2025), r, Prefer::Past)
                .unwrap()
                .value,
            "2025-01-29"
        );
    }
}
