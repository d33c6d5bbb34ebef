//! Numerals: Arabic, Chinese and mixed (二十三, 两千, 1.2万, 21亿, 1.43万亿,
//! 二〇二三 as a digit string, 十余 / 数十 with their approximation).

/// A numeral written as a hanzi (五, 十, 百, 两).
pub fn is_numeral(c: char) -> bool {
    digit(c).is_some() || matches!(c, '十' | '百' | '千' | '万' | '亿' | '拾' | '佰' | '仟')
}

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' | '○' | 'O' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' | '叄' | '参' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn small_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// Parse a Chinese numeral below 10^4 with 十百千 (`二十三`, `十`, `两千零五`).
fn parse_cn_small(s: &[char]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0u64;
    let mut cur: Option<u64> = None;
    let mut last_unit = 10_000u64;
    for &c in s {
        if let Some(d) = digit(c) {
            cur = Some(d);
        } else if let Some(u) = small_unit(c) {
            if u >= last_unit {
                return None;
            }
            total += cur.unwrap_or(1) * u;
            cur = None;
            last_unit = u;
        } else {
            return None;
        }
    }
    if let Some(d) = cur {
        // 二百五 = 250: a trailing digit after a unit scales by the unit below it.
        total += if (100..10_000).contains(&last_unit)
            && s.len() >= 2
            && digit(s[s.len() - 2]).is_none()
        {
            d * (last_unit / 10)
        } else {
            d
        };
    }
    Some(total)
}

/// Parse the numeral part of a count or date: returns the value.
pub fn parse_number(s: &str) -> Option<f64> {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '\u{FF0C}' | ' '))
        .collect::<String>()
        // 廿 卅 卌 are contractions of 二十 三十 四十.
        .replace('廿', "二十")
        .replace('卅', "三十")
        .replace('卌', "四十");
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('负'))
        .or_else(|| s.strip_prefix('負'))
    {
        return parse_number(rest).map(|v| -v);
    }
    // 一又十分一: a whole and a fraction.
    if let Some((whole, frac)) = s.split_once('又') {
        return Some(parse_number(whole)? + parse_number(frac)?);
    }
    // 二分之一: a fraction written as "N parts, M of them"; Cantonese drops
    // the 之 (十分一) or says 份 (二份一).
    for sep in ["分之", "份之", "分", "份"] {
        if let Some((den, num)) = s.split_once(sep)
            && !den.is_empty()
            && !num.is_empty()
        {
            let (d, n) = (parse_number(den)?, parse_number(num)?);
            return (d != 0.0).then(|| n / d);
        }
    }
    // 半, 一半 (a half); 两个半, 三半: N and a half.
    match s.as_str() {
        "半" | "一半" | "1半" | "半个" => return Some(0.5),
        _ => {}
    }
    if let Some(head) = s.strip_suffix('半') {
        let head = head.strip_suffix('个').unwrap_or(head);
        return Some(parse_number(head)? + 0.5);
    }
    // 100K, 1.2M, .0012G: Latin magnitude suffixes.
    if let Some(last) = s.chars().last()
        && let Some(mul) = match last {
            'k' | 'K' => Some(1e3),
            'M' => Some(1e6),
            'G' => Some(1e9),
            _ => None,
        }
    {
        let head = &s[..s.len() - 1];
        if !head.is_empty() && head.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return head.parse::<f64>().ok().map(|v| v * mul);
        }
    }
    // Big multipliers: split on 亿 then 万 (1.43万亿 = 1.43 × 10^12).
    let chars: Vec<char> = s.chars().collect();
    if let Some(p) = chars.iter().rposition(|&c| c == '亿' || c == '億') {
        let head: String = chars[..p].iter().collect();
        let tail: String = chars[p + 1..].iter().collect();
        let h = if head.is_empty() {
            1.0
        } else {
            parse_number(&head)?
        };
        let t = if tail.is_empty() {
            0.0
        } else {
            parse_number(&tail)?
        };
        return Some(h * 1e8 + t);
    }
    if let Some(p) = chars.iter().rposition(|&c| c == '万' || c == '萬') {
        let head: String = chars[..p].iter().collect();
        let tail: String = chars[p + 1..].iter().collect();
        let h = if head.is_empty() {
            1.0
        } else {
            parse_number(&head)?
        };
        let t = match chars[p + 1..] {
            [] => 0.0,
            // 万九 = 19000, as 二百五 = 250: a lone digit scales by the unit below.
            [c] if digit(c).is_some() => digit(c)? as f64 * 1000.0,
            _ => parse_number(&tail)?,
        };
        return Some(h * 1e4 + t);
    }
    if chars.iter().all(|c| c.is_ascii_digit() || *c == '.') {
        return s.parse().ok();
    }
    // Mixed Arabic + small unit: 3千 → 3000.
    if let Some(&last) = chars.last()
        && let Some(u) = small_unit(last)
        && chars[..chars.len() - 1]
            .iter()
            .all(|c| c.is_ascii_digit() || *c == '.')
        && chars.len() > 1
    {
        let head: String = chars[..chars.len() - 1].iter().collect();
        return head.parse::<f64>().ok().map(|h| h * u as f64);
    }
    // 三四, 六七: two neighbouring digits are "three or four", not 34; read as
    // the larger, as 两三 is.
    if let [a, b] = chars[..]
        && let (Some(x), Some(y)) = (digit(a), digit(b))
        && x >= 1
        && y == x + 1
    {
        return Some(y as f64);
    }
    // A string of digit characters with no units is read digit by digit (二〇二三).
    if chars.iter().all(|&c| digit(c).is_some()) && chars.len() > 1 && !chars.contains(&'两') {
        let mut v = 0u64;
        for c in &chars {
            v = v * 10 + digit(*c)?;
        }
        return Some(v as f64);
    }
    // 点 decimals: 三点五.
    if let Some(p) = chars.iter().position(|&c| c == '点' || c == '點') {
        let int = parse_cn_small(&chars[..p])? as f64;
        let mut frac = 0.0;
        let mut scale = 0.1;
        // Fraction digits in hanzi or Arabic (零点77).
        for c in &chars[p + 1..] {
            let d = digit(*c).or_else(|| c.to_digit(10).map(u64::from))?;
            frac += d as f64 * scale;
            scale /= 10.0;
        }
        return Some(int + frac);
    }
    parse_cn_small(&chars).map(|v| v as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        for (s, v) in [
            ("三四", 4.0),
            ("六七", 7.0),
            ("二三", 3.0),
            ("15", 15.0),
            ("二十三", 23.0),
            ("两千", 2000.0),
            ("1.2万", 12000.0),
            ("21亿", 2.1e9),
            ("1.43万亿", 1.43e12),
            ("十", 10.0),
            ("百万", 1e6),
            ("二〇二三", 2023.0),
            ("两千零五", 2005.0),
            ("一百零八", 108.0),
            ("3千", 3000.0),
            ("三点五", 3.5),
            ("三点五亿", 3.5e8),
            ("6108万", 61_080_000.0),
            ("1,000", 1000.0),
            ("二百五", 250.0),
            ("参拾参", 33.0),
            ("卅三", 33.0),
            ("负一百二十万", -1_200_000.0),
            ("二分之一", 0.5),
            ("1.2M", 1_200_000.0),
            ("万九", 19000.0),
            ("零点77", 0.77),
            ("十分一", 0.1),
            ("二份一", 0.5),
            ("十份十一", 1.1),
            ("一又十分一", 1.1),
            ("一半", 0.5),
            ("两个半", 2.5),
        ] {
            let got = parse_number(s).unwrap_or(f64::NAN);
            assert!((got - v).abs() < 1e-6 * v.max(1.0), "{s}: {got} != {v}");
        }
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("十十"), None);
        assert_eq!(parse_number("分"), None);
        assert_eq!(parse_number("个半"), None);
    }
}
