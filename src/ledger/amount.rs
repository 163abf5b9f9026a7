//! Exact fixed-point quantities: money in fen (分), areas in 0.01 ㎡, fee standards in 0.0001
//! yuan. Parsing accepts what spreadsheets export (thousands separators, ¥/￥, full-width digits,
//! 万/万元, parenthesised negatives) and refuses anything that is not exact at the unit: no value ever
//! passes through a float.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Why a number could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all.
    Invalid,
    /// A number, but finer than the unit (e.g. 0.001 yuan).
    FinerThanUnit,
}

/// Parses `text` as an exact multiple of `10^-decimals`, multiplied by `multiplier` (10,000 when a
/// header says 万元), and returns it as an integer count of units.
pub fn parse_fixed(text: &str, decimals: u32, multiplier: i64) -> Result<i64, NumberError> {
    if multiplier == 1
        && let Some(units) = parse_plain_fixed(text, decimals)
    {
        return Ok(units);
    }
    parse_fixed_general(text, decimals, multiplier)
}

/// [`parse_fixed`] for every form a spreadsheet may write.
fn parse_fixed_general(text: &str, decimals: u32, multiplier: i64) -> Result<i64, NumberError> {
    let normalised = normalise_number_text(text);
    let mut s = normalised.as_str();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim();
    }
    s = s.strip_prefix('¥').unwrap_or(s).trim();
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim();
    }
    let mut scale = Decimal::from(multiplier);
    if let Some(rest) = s.strip_suffix("万元").or_else(|| s.strip_suffix('万')) {
        scale *= Decimal::from(10_000);
        s = rest.trim();
    } else if let Some(rest) = s.strip_suffix('元') {
        s = rest.trim();
    }
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    let valid = !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
        && thousands_groups_ok(s);
    if !valid {
        return Err(NumberError::Invalid);
    }
    // rust_decimal keeps 28 decimal places and rounds the rest away: decide exactness on the
    // text itself. The digits past the unit (after the multiplier's shift) must all be zero.
    let shift = decimals as usize + scale.to_string().len() - 1;
    let fraction = digits.split('.').nth(1).unwrap_or("");
    if fraction.trim_end_matches('0').len() > shift {
        return Err(NumberError::FinerThanUnit);
    }
    let digits = match digits.split_once('.') {
        Some((int, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.to_string()
            } else {
                format!("{int}.{frac}")
            }
        }
        None => digits,
    };
    let value = Decimal::from_str(&digits).map_err(|_| NumberError::Invalid)?;
    let units = value
        .checked_mul(scale)
        .and_then(|v| v.checked_mul(Decimal::from(10i64.pow(decimals))))
        .ok_or(NumberError::Invalid)?;
    if !units.fract().is_zero() {
        return Err(NumberError::FinerThanUnit);
    }
    let units = units.to_i64().ok_or(NumberError::Invalid)?;
    Ok(if negative { -units } else { units })
}

/// The common case without allocating: ASCII digits, an optional leading `-`, thousands
/// separators grouping by three, and at most `decimals` decimals ("1,234.50", "-80"). Anything
/// else (or too large for a quick exact answer) is `None` and takes the general path, which gives
/// the same result for these texts.
fn parse_plain_fixed(text: &str, decimals: u32) -> Option<i64> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (int_part, frac_part) = match body.iter().position(|&b| b == b'.') {
        Some(dot) => (&body[..dot], Some(&body[dot + 1..])),
        None => (body, None),
    };
    if int_part.is_empty() || int_part.len() > 13 || int_part[0] == b',' {
        return None;
    }
    let grouped = int_part.contains(&b',');
    let mut value: i64 = 0;
    for (i, &b) in int_part.iter().enumerate() {
        match b {
            b'0'..=b'9' => value = value.checked_mul(10)?.checked_add(i64::from(b - b'0'))?,
            // A separator must have exactly three digits after it, up to the end or the next one.
            b',' if (int_part.len() - i) % 4 == 0 => {}
            _ => return None,
        }
        if grouped && b != b',' && (int_part.len() - i) % 4 == 0 {
            return None;
        }
    }
    let mut fraction_digits = 0;
    if let Some(frac) = frac_part {
        if frac.is_empty() || frac.len() > decimals as usize {
            return None;
        }
        for &b in frac {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
            fraction_digits += 1;
        }
    }
    for _ in fraction_digits..decimals {
        value = value.checked_mul(10)?;
    }
    Some(if negative { -value } else { value })
}

/// Thousands separators, when present, must group the integer part by three: "1,234,567.00" is an
/// amount, "12,34" is more likely two cells run together and is refused.
fn thousands_groups_ok(s: &str) -> bool {
    if !s.contains(',') {
        return true;
    }
    let int_part = s.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int_part.split(',').collect();
    groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups[1..].iter().all(|g| g.len() == 3)
        && !s.split('.').nth(1).is_some_and(|f| f.contains(','))
}

/// Folds full-width digits and punctuation to ASCII and trims all kinds of white space.
pub fn normalise_number_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '，' => Some(','),
            '．' | '。' => Some('.'),
            '（' => Some('('),
            '）' => Some(')'),
            '－' | '−' | '—' => Some('-'),
            '＋' => Some('+'),
            '￥' => Some('¥'),
            c if c.is_whitespace() || c == '\u{3000}' => None,
            c => Some(c),
        })
        .collect()
}

/// Groups an unsigned integer's digits by three with commas.
/// The decimal digits of `n` at the end of `buffer`, and where they start.
fn digits(n: u64, buffer: &mut [u8; 20]) -> usize {
    let mut n = n;
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return start;
        }
    }
}

/// Appends `n` with a comma between groups of three digits: 1,234,567.
fn push_grouped(out: &mut String, n: u64) {
    let mut buffer = [0u8; 20];
    let start = digits(n, &mut buffer);
    let len = buffer.len() - start;
    for (i, &digit) in buffer[start..].iter().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(digit));
    }
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut String, n: u64) {
    let mut buffer = [0u8; 20];
    let start = digits(n, &mut buffer);
    out.extend(buffer[start..].iter().map(|&d| char::from(d)));
}

/// Appends `sign` `whole` `.` `hundredths` (two digits), `whole` grouped by thousands or not.
fn push_fixed2(out: &mut String, negative: bool, whole: u64, hundredths: u64, grouped: bool) {
    if negative {
        out.push('-');
    }
    if grouped {
        push_grouped(out, whole);
    } else {
        push_decimal(out, whole);
    }
    out.push('.');
    out.push(char::from(b'0' + (hundredths / 10 % 10) as u8));
    out.push(char::from(b'0' + (hundredths % 10) as u8));
}

/// An amount of money in fen (分). Never a float.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// The largest amount a ledger may state: one 万亿 (10^12) yuan. Far above any compound's
    /// books, it keeps every sum of a ledger far from the limits of 64-bit arithmetic.
    pub const MAX: Money = Money(100_000_000_000_000);

    pub fn parse(text: &str) -> Result<Money, NumberError> {
        Self::parse_scaled(text, 1)
    }

    /// Parses with a column multiplier (10,000 for a header in 万元).
    pub fn parse_scaled(text: &str, multiplier: i64) -> Result<Money, NumberError> {
        let money = parse_fixed(text, 2, multiplier).map(Money)?;
        Money::checked(money.0).ok_or(NumberError::Invalid)
    }

    /// `Some` when `fen` is within ±`MAX`.
    pub fn checked(fen: i64) -> Option<Money> {
        (fen.checked_abs()? <= Self::MAX.0).then_some(Money(fen))
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    pub fn from_yuan(yuan: i64) -> Money {
        Money(yuan * 100)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The exact form used in tables: ¥172,600.00 (negative: -¥1,200.00).
    pub fn to_yuan_string(self) -> String {
        let abs = self.0.unsigned_abs();
        let mut out = String::with_capacity(32);
        if self.0 < 0 {
            out.push('-');
        }
        out.push('¥');
        push_fixed2(&mut out, false, abs / 100, abs % 100, true);
        out
    }

    /// The short form used in headlines: 17.26万 from 10,000 yuan up (rounded half away from zero
    /// to 100 yuan), the exact form below that.
    pub fn to_wan_string(self) -> String {
        let abs = self.0.unsigned_abs();
        if abs < 1_000_000 {
            return self.to_yuan_string();
        }
        // 1万 = 1,000,000 fen; two decimals of 万 = 10,000 fen.
        let hundredths = (abs + 5_000) / 10_000;
        let mut out = String::with_capacity(32);
        push_fixed2(
            &mut out,
            self.0 < 0,
            hundredths / 100,
            hundredths % 100,
            true,
        );
        out.push('万');
        out
    }

    /// The bare figure without the currency sign, for CSV exports: 172600.00.
    pub fn to_plain_string(self) -> String {
        let mut out = String::with_capacity(24);
        self.push_plain(&mut out);
        out
    }

    /// [`Money::to_plain_string`] appended to `out`.
    pub fn push_plain(self, out: &mut String) {
        let abs = self.0.unsigned_abs();
        push_fixed2(out, self.0 < 0, abs / 100, abs % 100, false);
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_yuan_string())
    }
}

// Arithmetic saturates instead of wrapping or panicking. Amounts are capped at `Money::MAX` when
// read, so a ledger would need about 90,000 rows at that cap to reach the limit; saturation only
// guarantees that no input can crash a build or wrap a total into a plausible-looking number.
impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl std::ops::SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// A floor area in hundredths of a square metre.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Area(pub i64);

impl Area {
    /// Reads an area with or without its unit: ㎡, m², m2, M2 or 平方米 (domain.md §4).
    pub fn parse(text: &str) -> Result<Area, NumberError> {
        let text = text.trim();
        let number = ["平方米", "㎡", "m²", "m2", "M²", "M2"]
            .iter()
            .find_map(|unit| text.strip_suffix(unit))
            .unwrap_or(text);
        parse_fixed(number.trim_end(), 2, 1).map(Area)
    }

    /// 58,230.45㎡
    pub fn to_display_string(self) -> String {
        let abs = self.0.unsigned_abs();
        let mut out = String::with_capacity(32);
        push_fixed2(&mut out, self.0 < 0, abs / 100, abs % 100, true);
        out.push('㎡');
        out
    }
}

/// A fee standard in ten-thousandths of a yuan per ㎡ per month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Price(pub i64);

impl Price {
    pub fn parse(text: &str) -> Result<Price, NumberError> {
        let t = text.trim();
        let t = t
            .strip_suffix("元/㎡·月")
            .or_else(|| t.strip_suffix("元/平方米/月"))
            .or_else(|| t.strip_suffix("元/平方米·月"))
            .unwrap_or(t);
        parse_fixed(t, 4, 1).map(Price)
    }

    /// 1.80 元/㎡·月 (at least two decimals, up to four).
    pub fn to_display_string(self) -> String {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        let mut frac_text = format!("{frac:04}");
        while frac_text.len() > 2 && frac_text.ends_with('0') {
            frac_text.pop();
        }
        format!("{whole}.{frac_text}")
    }
}

/// A ratio in basis points (1/100 of a percent), rounded half up; `None` when the base is zero.
pub fn ratio_bp(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let num = i128::from(part) * 10_000;
    let den = i128::from(whole);
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let rounded = if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((-2 * num + den) / (2 * den))
    };
    i64::try_from(rounded).ok()
}

/// 9512 → "95.12%".
pub fn format_bp(bp: i64) -> String {
    let abs = bp.unsigned_abs();
    let mut out = String::with_capacity(24);
    push_fixed2(&mut out, bp < 0, abs / 100, abs % 100, false);
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The figures are written as `format!` would write them.
        #[test]
        fn figures_are_written_as_format_writes_them(fen in proptest::num::i64::ANY) {
            let abs = fen.unsigned_abs();
            let sign = if fen < 0 { "-" } else { "" };
            let grouped = |n: u64| {
                let digits = n.to_string();
                let mut out = String::new();
                for (i, d) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i).is_multiple_of(3) {
                        out.push(',');
                    }
                    out.push(d);
                }
                out
            };
            proptest::prop_assert_eq!(
                Money(fen).to_yuan_string(),
                format!("{sign}¥{}.{:02}", grouped(abs / 100), abs % 100)
            );
            proptest::prop_assert_eq!(
                Money(fen).to_plain_string(),
                format!("{sign}{}.{:02}", abs / 100, abs % 100)
            );
            proptest::prop_assert_eq!(format_bp(fen), format!("{sign}{}.{:02}%", abs / 100, abs % 100));
            proptest::prop_assert_eq!(
                Area(fen).to_display_string(),
                format!("{sign}{}.{:02}㎡", grouped(abs / 100), abs % 100)
            );
            if abs >= 1_000_000 {
                let h = (abs + 5_000) / 10_000;
                proptest::prop_assert_eq!(
                    Money(fen).to_wan_string(),
                    format!("{sign}{}.{:02}万", grouped(h / 100), h % 100)
                );
            }
        }

        /// The allocation-free path agrees with the general one wherever it answers.
        #[test]
        fn plain_numbers_parse_as_the_general_path_does(
            text in "-?[0-9,]{0,16}(\\.[0-9]{0,5})?",
            decimals in 0u32..5,
        ) {
            if let Some(units) = parse_plain_fixed(&text, decimals) {
                proptest::prop_assert_eq!(Ok(units), parse_fixed_general(&text, decimals, 1));
            }
        }
    }

    #[test]
    fn plain_numbers_take_the_quick_path() {
        assert_eq!(parse_plain_fixed("1,234,567.80", 2), Some(123_456_780));
        assert_eq!(parse_plain_fixed("-80", 2), Some(-8_000));
        assert_eq!(parse_plain_fixed("12,34", 2), None);
        assert_eq!(parse_plain_fixed("1234,567", 2), None);
        assert_eq!(parse_plain_fixed("1.005", 2), None);
        let grouped = |n: u64| {
            let mut out = String::new();
            push_grouped(&mut out, n);
            out
        };
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    use super::*;

    #[test]
    fn parses_spreadsheet_amounts_exactly() {
        assert_eq!(Money::parse("172,600.00"), Ok(Money(17_260_000)));
        assert_eq!(Money::parse("¥172600"), Ok(Money(17_260_000)));
        assert_eq!(Money::parse("￥１７２，６００．５"), Ok(Money(17_260_050)));
        assert_eq!(Money::parse("17.26万"), Ok(Money(17_260_000)));
        assert_eq!(Money::parse("17.26万元"), Ok(Money(17_260_000)));
        assert_eq!(Money::parse("(1,200.00)"), Ok(Money(-120_000)));
        assert_eq!(Money::parse("-1200"), Ok(Money(-120_000)));
        assert_eq!(Money::parse(" 0.1 "), Ok(Money(10)));
        assert_eq!(Money::parse("63800元"), Ok(Money(6_380_000)));
        assert_eq!(Money::parse_scaled("6.38", 10_000), Ok(Money(6_380_000)));
    }

    #[test]
    fn refuses_what_is_not_exact_or_not_a_number() {
        assert_eq!(
            Money::parse("59999.999999"),
            Err(NumberError::FinerThanUnit)
        );
        assert_eq!(Money::parse("0.001"), Err(NumberError::FinerThanUnit));
        for bad in [
            "",
            "abc",
            "1.2.3",
            "12,34",
            "1e5",
            ".5",
            "5.",
            "¥",
            "NaN",
            "1,2345.00",
        ] {
            assert_eq!(Money::parse(bad), Err(NumberError::Invalid), "{bad:?}");
        }
        assert_eq!(
            Money::parse("99999999999999999999999"),
            Err(NumberError::Invalid)
        );
    }

    #[test]
    fn formats_the_chinese_way() {
        assert_eq!(Money(17_260_000).to_yuan_string(), "¥172,600.00");
        assert_eq!(Money(-120_005).to_yuan_string(), "-¥1,200.05");
        assert_eq!(Money(5).to_yuan_string(), "¥0.05");
        assert_eq!(Money(17_260_000).to_wan_string(), "17.26万");
        assert_eq!(Money(6_380_000).to_wan_string(), "6.38万");
        assert_eq!(Money(999_999).to_wan_string(), "¥9,999.99");
        assert_eq!(Money(12_345_678_900).to_wan_string(), "12,345.68万");
        assert_eq!(Money(17_260_000).to_plain_string(), "172600.00");
    }

    #[test]
    fn areas_and_prices() {
        assert_eq!(Area::parse("58,230.45"), Ok(Area(5_823_045)));
        assert_eq!(Area::parse("120㎡"), Ok(Area(12_000)));
        for unit in ["m²", "m2", "M2", "平方米", " 平方米", " ㎡"] {
            assert_eq!(
                Area::parse(&format!("12,345.67{unit}")),
                Ok(Area(1_234_567))
            );
        }
        assert!(Area::parse("12m²m²").is_err());
        assert_eq!(Area(5_823_045).to_display_string(), "58,230.45㎡");
        assert_eq!(Price::parse("1.80"), Ok(Price(18_000)));
        assert_eq!(Price::parse("0.685"), Ok(Price(6_850)));
        assert_eq!(Price(18_000).to_display_string(), "1.80");
        assert_eq!(Price(6_850).to_display_string(), "0.685");
    }

    #[test]
    fn ratios_round_half_up_in_integers() {
        assert_eq!(ratio_bp(108_800, 172_600), Some(6_304));
        assert_eq!(ratio_bp(1, 3), Some(3_333));
        assert_eq!(ratio_bp(2, 3), Some(6_667));
        assert_eq!(ratio_bp(1, 0), None);
        assert_eq!(format_bp(9_512), "95.12%");
        assert_eq!(format_bp(10_000), "100.00%");
    }
}

const UPPER_DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// Reads an amount written in 大写 (壹拾柒万贰仟陆佰元整, 人民币壹拾万柒仟元零伍角叁分).
pub fn parse_chinese_uppercase(text: &str) -> Option<Money> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.strip_prefix("人民币").unwrap_or(&t);
    let t = t.trim_end_matches(['整', '正']);
    let (int_part, frac_part) = match t.find(['元', '圆']) {
        Some(i) => {
            let unit_len = t[i..].chars().next()?.len_utf8();
            (&t[..i], &t[i + unit_len..])
        }
        None if t.ends_with('角') || t.ends_with('分') => ("", t),
        None => return None,
    };
    let digit_of = |c: char| {
        UPPER_DIGITS
            .iter()
            .position(|d| *d == c)
            .or_else(|| "〇一二三四五六七八九".chars().position(|d| d == c))
            .map(|d| d as i64)
    };
    let mut total: i64 = 0;
    let mut section: i64 = 0;
    let mut digit: Option<i64> = None;
    for c in int_part.chars() {
        if let Some(d) = digit_of(c) {
            if d != 0 && digit.is_some_and(|x| x != 0) {
                return None; // two digits in a row without a unit
            }
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '拾' | '十' => 10,
            '佰' | '百' => 100,
            '仟' | '千' => 1000,
            '万' | '萬' => {
                section += digit.take().unwrap_or(0);
                total = total.checked_add(section.checked_mul(10_000)?)?;
                section = 0;
                continue;
            }
            '亿' => {
                section += digit.take().unwrap_or(0);
                total = total.checked_add(section)?.checked_mul(100_000_000)?;
                section = 0;
                continue;
            }
            _ => return None,
        };
        let d = match digit.take() {
            Some(0) => return None,
            Some(d) => d,
            None if unit == 10 => 1, // 拾万 = 100,000
            None => return None,
        };
        section += d * unit;
    }
    total = total.checked_add(section + digit.unwrap_or(0))?;
    let mut fen = total.checked_mul(100)?;
    let mut pending: Option<i64> = None;
    for c in frac_part.chars() {
        if let Some(d) = digit_of(c) {
            pending = Some(d);
            continue;
        }
        match (c, pending.take()) {
            ('角', Some(d)) => fen = fen.checked_add(d * 10)?,
            ('分', Some(d)) => fen = fen.checked_add(d)?,
            _ => return None,
        }
    }
    if pending.is_some_and(|d| d != 0) {
        return None;
    }
    Some(Money(fen))
}

/// 1–9999 in 大写 (仟佰拾), with 零 for gaps inside the group.
fn group_uppercase(group: u64) -> String {
    const UNITS: [&str; 4] = ["仟", "佰", "拾", ""];
    let digits = [group / 1000, group / 100 % 10, group / 10 % 10, group % 10];
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, d) in digits.iter().enumerate() {
        if *d == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        out.push(UPPER_DIGITS[*d as usize]);
        out.push_str(UNITS[i]);
    }
    out
}

/// A whole number of yuan in 大写: 亿 splits first (so 万亿 and 亿亿 come out right), then 万.
fn integer_uppercase(n: u64) -> String {
    const YI: u64 = 100_000_000;
    const WAN: u64 = 10_000;
    let (high, low, unit, low_needs_zero) = if n >= YI {
        (n / YI, n % YI, "亿", n % YI < YI / 10)
    } else if n >= WAN {
        (n / WAN, n % WAN, "万", n % WAN < WAN / 10)
    } else {
        return group_uppercase(n);
    };
    let mut out = integer_uppercase(high);
    out.push_str(unit);
    if low > 0 {
        if low_needs_zero {
            out.push('零');
        }
        out.push_str(&integer_uppercase(low));
    }
    out
}

/// Writes an amount in 大写 as payment documents do: 壹拾柒万贰仟陆佰元整.
pub fn to_chinese_uppercase(money: Money) -> String {
    let fen = money.0.unsigned_abs();
    let yuan = fen / 100;
    let jiao = (fen / 10 % 10) as usize;
    let cents = (fen % 10) as usize;
    let mut out = String::new();
    if money.0 < 0 {
        out.push('负');
    }
    if yuan > 0 {
        out.push_str(&integer_uppercase(yuan));
        out.push('元');
    }
    match (jiao, cents) {
        (0, 0) if yuan == 0 => out.push_str("零元整"),
        (0, 0) => out.push('整'),
        (0, c) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push(UPPER_DIGITS[c]);
            out.push('分');
        }
        (j, c) => {
            if yuan > 0 && yuan.is_multiple_of(10) {
                out.push('零');
            }
            out.push(UPPER_DIGITS[j]);
            out.push('角');
            if c > 0 {
                out.push(UPPER_DIGITS[c]);
                out.push('分');
            } else {
                out.push('整');
            }
        }
    }
    out
}

#[cfg(test)]
mod uppercase_tests {
    use super::*;

    #[test]
    fn reads_and_writes_payment_amounts() {
        let cases = [
            (17_260_000, "壹拾柒万贰仟陆佰元整"),
            (10_700_053, "壹拾万柒仟元零伍角叁分"),
            (6_380_000, "陆万叁仟捌佰元整"),
            (100_100, "壹仟零壹元整"),
            (100_000_000, "壹佰万元整"),
            (10_000_010_000, "壹亿零壹佰元整"),
            (1_000_010_000, "壹仟万零壹佰元整"),
            (5, "伍分"),
            (0, "零元整"),
            (1_005, "壹拾元零伍分"),
        ];
        for (fen, text) in cases {
            assert_eq!(to_chinese_uppercase(Money(fen)), text, "{fen}");
            assert_eq!(parse_chinese_uppercase(text), Some(Money(fen)), "{text}");
        }
        assert_eq!(
            parse_chinese_uppercase("人民币拾万元整"),
            Some(Money(10_000_000))
        );
        assert_eq!(parse_chinese_uppercase("壹贰元"), None);
        assert_eq!(parse_chinese_uppercase("172600"), None);
    }

    #[test]
    fn round_trip_over_many_amounts() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let fen = (x % 10_000_000_000_000) as i64 / 10i64.pow((x % 9) as u32);
            let text = to_chinese_uppercase(Money(fen));
            assert_eq!(
                parse_chinese_uppercase(&text),
                Some(Money(fen)),
                "{fen} → {text}"
            );
        }
    }
}
