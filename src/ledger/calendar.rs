//! Dates and accounting periods as committees write them: 2024-05-01, 2024/5/1, 2024.5.1,
//! 2024年5月1日 and Excel serial numbers for dates; 2024, 2024H1, 2024Q1, 2024-03 and their Chinese
//! forms (2024年上半年, 2024年第一季度, 2024年3月) for periods.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::amount::normalise_number_text;

/// Parses a calendar date in any of the accepted forms.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // 2024-05-01 (or with / or .), by far the most frequent form, is read without the general
    // path's copies; it reads exactly as the general path would.
    if let [y0, y1, y2, y3, s1, m0, m1, s2, d0, d1] = *text.as_bytes() {
        let separator = |b: u8| matches!(b, b'-' | b'/' | b'.');
        let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
        if separator(s1) && separator(s2) && digits.iter().all(u8::is_ascii_digit) {
            let number = |ds: &[u8]| ds.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
            let year = i32::try_from(number(&digits[..4])).ok()?;
            return NaiveDate::from_ymd_opt(year, number(&digits[4..6]), number(&digits[6..]));
        }
    }
    parse_date_general(text)
}

/// [`parse_date`] for every form.
fn parse_date_general(text: &str) -> Option<NaiveDate> {
    // A cell formatted as 日期时间 exports the time as well ("2025-03-05 00:00:00", "2025/3/5 0:00",
    // "2025-03-05T08:30:00"): the ledgers keep days, so a valid time of day is dropped.
    if let Some((day, time)) = text.trim().split_once([' ', 'T', '\u{3000}'])
        && is_time_of_day(time.trim())
    {
        return parse_date_general(day);
    }
    let t = normalise_number_text(text);
    // 20250305, as bank statements and some systems write it.
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (&t[..4], &t[4..6], &t[6..]);
        let y: i32 = y.parse().ok()?;
        return (1900..=2199)
            .contains(&y)
            .then(|| NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?))
            .flatten();
    }
    // An Excel serial written with a zero fraction ("45721.0", "45721.00").
    if let Some((serial, fraction)) = t.split_once('.')
        && serial.len() == 5
        && serial.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b == b'0')
    {
        return excel_serial_date(serial.parse().ok()?);
    }
    let t = t
        .strip_suffix('日')
        .or_else(|| t.strip_suffix('号'))
        .unwrap_or(&t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() == 3 {
        let y: i32 = parse_digits(parts[0], 4, 4)?;
        let m: u32 = parse_digits(parts[1], 1, 2)?;
        let d: u32 = parse_digits(parts[2], 1, 2)?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    if parts.len() == 1 && (5..=5).contains(&t.len()) {
        return excel_serial_date(t.parse().ok()?);
    }
    None
}

/// `H:MM`, `HH:MM:SS` or `HH:MM:SS.fff`: a valid time of day.
fn is_time_of_day(text: &str) -> bool {
    let (clock, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let parts: Vec<&str> = clock.split(':').collect();
    let limits = [23, 59, 59];
    (2..=3).contains(&parts.len())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && parts
            .iter()
            .zip(limits)
            .enumerate()
            .all(|(i, (part, max))| {
                let width_ok = if i == 0 {
                    (1..=2).contains(&part.len())
                } else {
                    part.len() == 2
                };
                width_ok
                    && part.bytes().all(|b| b.is_ascii_digit())
                    && part.parse::<u32>().is_ok_and(|n| n <= max)
            })
}

/// Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 the fictitious 1900-02-29, so
/// serials after 60 are one day ahead. Only 5-digit serials (1927–2173) are accepted as dates.
fn excel_serial_date(serial: i64) -> Option<NaiveDate> {
    if !(10_000..=99_999).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(serial))
}

fn parse_digits<T: std::str::FromStr>(s: &str, min: usize, max: usize) -> Option<T> {
    if s.len() < min || s.len() > max || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Period {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        let t = normalise_number_text(text);
        let t = t.as_str();
        if let Ok(y) = parse_year(t) {
            return Some(Period::Year(y));
        }
        if let Some(y) = t.strip_suffix('年').and_then(|y| parse_year(y).ok()) {
            return Some(Period::Year(y));
        }
        // 2024H1, 2024Q1 (case-insensitive), 2024-03, 2024/3, 2024.03
        if t.len() == 6 && t.is_char_boundary(4) {
            let (y, rest) = t.split_at(4);
            if let Ok(y) = parse_year(y) {
                let mut chars = rest.chars();
                let kind = chars.next()?.to_ascii_uppercase();
                if kind == 'H' || kind == 'Q' {
                    let n: u8 = parse_digits(chars.as_str(), 1, 1)?;
                    return match (kind, n) {
                        ('H', 1..=2) => Some(Period::Half(y, n)),
                        ('Q', 1..=4) => Some(Period::Quarter(y, n)),
                        _ => None,
                    };
                }
            }
        }
        if let Some((y, rest)) = t.split_once('年') {
            let y = parse_year(y).ok()?;
            let rest = rest.trim_start_matches('第');
            return match rest {
                "上半年" => Some(Period::Half(y, 1)),
                "下半年" => Some(Period::Half(y, 2)),
                "度" | "全年" => Some(Period::Year(y)),
                _ => {
                    // 2025年1-3月, 2025年7～12月: a span of months that is a quarter, a half or the
                    // year.
                    if let Some((from, to)) = rest
                        .strip_suffix('月')
                        .and_then(|span| span.split_once(['-', '~', '～', '至']))
                    {
                        let from: u8 = parse_digits(from.trim_end_matches('月'), 1, 2)?;
                        let to: u8 = parse_digits(to, 1, 2)?;
                        return match (from, to) {
                            (1, 12) => Some(Period::Year(y)),
                            (1, 6) | (7, 12) => Some(Period::Half(y, from.div_ceil(6))),
                            (f, t) if t == f + 2 && f % 3 == 1 => {
                                Some(Period::Quarter(y, f.div_ceil(3)))
                            }
                            _ => None,
                        };
                    }
                    if let Some(m) = rest.strip_suffix('月') {
                        let m: u8 = parse_digits(m, 1, 2)?;
                        (1..=12).contains(&m).then_some(Period::Month(y, m))
                    } else {
                        let q = rest.strip_suffix("季度")?;
                        let n = match q {
                            "一" | "1" => 1,
                            "二" | "2" => 2,
                            "三" | "3" => 3,
                            "四" | "4" => 4,
                            _ => return None,
                        };
                        Some(Period::Quarter(y, n))
                    }
                }
            };
        }
        let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
        if parts.len() == 2 {
            let y = parse_year(parts[0]).ok()?;
            let m: u8 = parse_digits(parts[1], 1, 2)?;
            return (1..=12).contains(&m).then_some(Period::Month(y, m));
        }
        None
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// First month (1–12) and number of months covered.
    fn months(self) -> (u32, u32) {
        match self {
            Period::Year(_) => (1, 12),
            Period::Half(_, h) => (u32::from(h) * 6 - 5, 6),
            Period::Quarter(_, q) => (u32::from(q) * 3 - 2, 3),
            Period::Month(_, m) => (u32::from(m), 1),
        }
    }

    pub fn month_count(self) -> u32 {
        self.months().1
    }

    pub fn start(self) -> NaiveDate {
        let (m, _) = self.months();
        NaiveDate::from_ymd_opt(self.year(), m, 1).unwrap_or_default()
    }

    pub fn end(self) -> NaiveDate {
        let (m, n) = self.months();
        let last = m + n - 1;
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(self.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year(), last + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }

    /// The canonical spelling used in ledgers and URLs: 2024, 2024H1, 2024Q1, 2024-03.
    pub fn key(self) -> String {
        match self {
            Period::Year(y) => format!("{y}"),
            Period::Half(y, h) => format!("{y}H{h}"),
            Period::Quarter(y, q) => format!("{y}Q{q}"),
            Period::Month(y, m) => format!("{y}-{m:02}"),
        }
    }

    /// The Chinese label shown on the site: 2024年, 2024年上半年, 2024年第1季度, 2024年3月.
    pub fn label(self) -> String {
        match self {
            Period::Year(y) => format!("{y}年"),
            Period::Half(y, 1) => format!("{y}年上半年"),
            Period::Half(y, _) => format!("{y}年下半年"),
            Period::Quarter(y, q) => format!("{y}年第{q}季度"),
            Period::Month(y, m) => format!("{y}年{m}月"),
        }
    }
}

fn parse_year(s: &str) -> Result<i32, ()> {
    parse_digits::<i32>(s, 4, 4)
        .filter(|y| (1900..=2999).contains(y))
        .ok_or(())
}

impl Period {
    /// The year and month `start()` falls in: ordered as the start dates are (each is a month's
    /// first day), without making the date where the month is a real one.
    fn start_month(self) -> (i32, u32) {
        let (month, _) = self.months();
        let year = self.year();
        if (1..=12).contains(&month) && (-200_000..=200_000).contains(&year) {
            (year, month)
        } else {
            let start = self.start();
            (start.year(), start.month())
        }
    }
}

impl Ord for Period {
    /// By start, and of periods starting together the longer first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.start_month(), other.month_count()).cmp(&(other.start_month(), self.month_count()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// When a revenue entry happened: on a day, or over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum When {
    Day(NaiveDate),
    Period(Period),
}

impl When {
    pub fn parse(text: &str) -> Option<When> {
        parse_date(text)
            .map(When::Day)
            .or_else(|| Period::parse(text).map(When::Period))
    }

    /// The date used to order entries: the day, or the last day of the period.
    pub fn sort_date(self) -> NaiveDate {
        match self {
            When::Day(d) => d,
            When::Period(p) => p.end(),
        }
    }

    pub fn year(self) -> i32 {
        match self {
            When::Day(d) => d.year(),
            When::Period(p) => p.year(),
        }
    }

    pub fn label(self) -> String {
        match self {
            When::Day(d) => iso_date(d),
            When::Period(p) => p.label(),
        }
    }
}

/// `2024-05-01`: what chrono's `format("%Y-%m-%d")` writes, without reading the pattern each
/// time (dates are written tens of thousands of times a build).
pub fn iso_date(d: NaiveDate) -> String {
    let year = d.year();
    let Ok(y) = u32::try_from(year) else {
        return d.format("%Y-%m-%d").to_string();
    };
    if y > 9999 {
        return d.format("%Y-%m-%d").to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let mut out = String::with_capacity(10);
    for n in [y / 1000, y / 100, y / 10, y] {
        out.push(digit(n));
    }
    out.push('-');
    out.push(digit(d.month() / 10));
    out.push(digit(d.month()));
    out.push('-');
    out.push(digit(d.day() / 10));
    out.push(digit(d.day()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        for (y, m, day) in [
            (2024, 5, 1),
            (1999, 12, 31),
            (0, 1, 1),
            (7, 10, 9),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 3, 4),
            (-12345, 6, 7),
        ] {
            let date = d(y, m, day);
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
        let mut date = d(2023, 1, 1);
        while date.year() < 2027 {
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
            date = date.succ_opt().unwrap();
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    proptest::proptest! {
        /// Periods are ordered as their start dates (then longer first) order them.
        #[test]
        fn periods_order_by_start_date(
            a in (1900..2100i32, 0..4u8, 1..13u8),
            b in (1900..2100i32, 0..4u8, 1..13u8),
        ) {
            let period = |(y, kind, n): (i32, u8, u8)| match kind {
                0 => Period::Year(y),
                1 => Period::Half(y, 1 + n % 2),
                2 => Period::Quarter(y, 1 + n % 4),
                _ => Period::Month(y, n),
            };
            let (a, b) = (period(a), period(b));
            proptest::prop_assert_eq!(
                a.cmp(&b),
                (a.start(), b.month_count()).cmp(&(b.start(), a.month_count()))
            );
        }

        /// The quick path reads a date exactly as the general one does.
        #[test]
        fn the_quick_date_path_agrees_with_the_general_one(text in "[0-9x/.年-]{8,11}") {
            proptest::prop_assert_eq!(parse_date(&text), parse_date_general(&text), "{}", text);
        }

        #[test]
        fn iso_like_dates_agree(text in "[0-9]{4}[-/.][0-9]{2}[-/.][0-9]{2}") {
            proptest::prop_assert_eq!(parse_date(&text), parse_date_general(&text), "{}", text);
        }
    }

    #[test]
    fn dates_in_every_accepted_form() {
        for text in [
            "2023-05-01",
            "2023/5/1",
            "2023.5.1",
            "2023年5月1日",
            "２０２３－０５－０１",
            "45047",
            "45047.0",
            "20230501",
            "2023-05-01 00:00:00",
            "2023/5/1 0:00",
            "2023-05-01T08:30:00",
            "2023-05-01 23:59:59.000",
        ] {
            assert_eq!(parse_date(text), Some(d(2023, 5, 1)), "{text}");
        }
        for bad in [
            "2023-02-30",
            "23-5-1",
            "2023-5",
            "hello",
            "",
            "2023年13月1日",
            "2023-05-01 24:00",
            "2023-05-01 8:3",
            "2023-05-01 noon",
            "45047.5",
            "20231301",
            "18000101",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn periods_in_every_accepted_form() {
        let cases = [
            ("2024", Period::Year(2024)),
            ("2024年", Period::Year(2024)),
            ("2024H2", Period::Half(2024, 2)),
            ("2024年上半年", Period::Half(2024, 1)),
            ("2024Q1", Period::Quarter(2024, 1)),
            ("2024q4", Period::Quarter(2024, 4)),
            ("2024年第一季度", Period::Quarter(2024, 1)),
            ("2024年度", Period::Year(2024)),
            ("2024年1-3月", Period::Quarter(2024, 1)),
            ("2024年10～12月", Period::Quarter(2024, 4)),
            ("2024年7-12月", Period::Half(2024, 2)),
            ("2024年1月-6月", Period::Half(2024, 1)),
            ("2024年1至12月", Period::Year(2024)),
            ("2024年三季度", Period::Quarter(2024, 3)),
            ("2024-03", Period::Month(2024, 3)),
            ("2024-3", Period::Month(2024, 3)),
            ("2024年3月", Period::Month(2024, 3)),
        ];
        for (text, want) in cases {
            assert_eq!(Period::parse(text), Some(want), "{text}");
        }
        for bad in [
            "2024Q5",
            "2024-13",
            "2024H3",
            "24Q1",
            "第一季度",
            "2024年2-4月",
            "2024年1-13月",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn period_bounds_and_labels() {
        let q = Period::Quarter(2024, 1);
        assert_eq!((q.start(), q.end()), (d(2024, 1, 1), d(2024, 3, 31)));
        assert_eq!(Period::Month(2024, 2).end(), d(2024, 2, 29));
        assert_eq!(Period::Half(2024, 2).end(), d(2024, 12, 31));
        assert_eq!(q.label(), "2024年第1季度");
        assert_eq!(Period::Month(2024, 3).key(), "2024-03");
        assert!(Period::Year(2024) < Period::Quarter(2024, 1));
        assert!(Period::Quarter(2024, 1) < Period::Month(2024, 4));
    }
}
