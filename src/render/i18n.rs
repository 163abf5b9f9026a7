//! Interface strings: the theme's `i18n/<lang>.toml` tables merged with the portal's overrides and
//! resolved for the site language (a key missing in that language falls back to zh), and the
//! filters whose output depends on the language: `fill` (named placeholders), `term` (data
//! vocabulary such as revenue categories), `code` (language-neutral names of labels), `period`,
//! `source_lines`, `wan` and `area`. Rust only computes the numbers; every word and unit shown on
//! the site comes from the strings.

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Kwargs, State, TeraResult, Value};

use crate::diag::catalog::Lang;
use crate::error::Fatal;
use crate::ledger::amount::{Area, Money};

/// One strings file: its language (file stem), where it came from, and its text.
#[derive(Debug, Clone)]
pub struct Layer {
    pub lang: String,
    pub origin: String,
    pub text: String,
}

/// The strings of the site language, with zh filling the gaps.
pub struct Strings {
    pub lang: Lang,
    pub table: toml::Table,
}

/// The code of the fallback language, whose file must define every key.
pub const FALLBACK: &str = "zh";

pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The value of `<html lang>`.
pub fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}

/// Tables in `over` replace single keys of `base`, recursively.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

impl Strings {
    /// Merges the layers (later ones override single keys) of zh, then of `lang` over them.
    pub fn resolve(layers: &[Layer], lang: Lang) -> Result<Strings, Fatal> {
        let mut table = toml::Table::new();
        for wanted in [FALLBACK, code(lang)] {
            for layer in layers.iter().filter(|l| l.lang == wanted) {
                let parsed: toml::Table =
                    toml::from_str(&layer.text).map_err(|e| Fatal::Template {
                        name: layer.origin.clone(),
                        detail: e.to_string(),
                    })?;
                merge(&mut table, parsed);
            }
            if wanted == code(lang) {
                break;
            }
        }
        Ok(Strings { lang, table })
    }

    /// The strings as the template value `t`.
    pub fn to_value(&self) -> Value {
        Value::from_serializable(&self.table)
    }

    fn section(&self, name: &str) -> HashMap<String, String> {
        self.table
            .get(name)
            .and_then(toml::Value::as_table)
            .map(|t| {
                t.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The template with every plain `{{ t.section.key }}` (optionally `| safe`) replaced by the
    /// string itself, escaped as tera would escape it, so that the common case costs nothing per
    /// page. Anything else (placeholders, other filters, unknown keys) is left for tera.
    pub fn inline(&self, source: &str) -> String {
        let mut out = String::with_capacity(source.len());
        let mut rest = source;
        while let Some(at) = rest.find("{{ t.") {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            let Some(end) = tail.find("}}") else {
                break;
            };
            let inner = tail[3..end].trim();
            match self.plain(inner) {
                Some(text) => out.push_str(&text),
                None => out.push_str(&tail[..end + 2]),
            }
            rest = &tail[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// The output of `t.section.key` or `t.section.key | safe`, when it is a defined string.
    fn plain(&self, expression: &str) -> Option<String> {
        let (path, safe) = match expression.strip_suffix("| safe") {
            Some(path) => (path.trim_end(), true),
            None => (expression, false),
        };
        let mut parts = path.strip_prefix("t.")?.split('.');
        let (section, key) = (parts.next()?, parts.next()?);
        let valid =
            |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if parts.next().is_some() || !valid(section) || !valid(key) {
            return None;
        }
        let text = self.table.get(section)?.get(key)?.as_str()?;
        // Text that tera would read as a tag stays a value.
        if ["{{", "{%", "{#"].iter().any(|d| text.contains(d)) {
            return None;
        }
        Some(if safe { text.to_string() } else { escape(text) })
    }

    /// The strings of table `section` for Rust code that composes text (see [`Words`]).
    pub fn words(&self, section: &str) -> Words {
        Words {
            lang: self.lang,
            table: self.section(section),
            terms: self.section("terms"),
            format: self.section("format"),
        }
    }

    /// Registers the language-dependent filters on `tera` (before any template is added: tera
    /// checks that every filter a template names exists when it compiles the template).
    pub fn register(&self, tera: &mut tera::Tera) {
        let format = Arc::new(self.section("format"));
        let terms = Arc::new(self.section("terms"));
        let lang = self.lang;
        tera.set_escape_fn(escape_to);
        tera.register_filter("fill", Fill);
        tera.register_filter("code", filter_code);
        // The terms as template values once, so that a lookup hands out a shared copy.
        let term_values: HashMap<String, Value> = terms
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        tera.register_filter(
            "term",
            move |value: &Value, _: Kwargs, _: &State| -> Value {
                match value.as_str().and_then(|s| term_values.get(s)) {
                    Some(text) => text.clone(),
                    None => value.clone(),
                }
            },
        );
        let f = Arc::clone(&format);
        tera.register_filter(
            "period",
            move |value: &Value, _: Kwargs, _: &State| -> Value {
                match value.as_str().and_then(|text| period_label(text, &f)) {
                    Some(label) => Value::from(label),
                    // Not a period (a day, free text): the value as it is.
                    None => value.clone(),
                }
            },
        );
        let f = Arc::clone(&format);
        tera.register_filter(
            "source_lines",
            move |value: &Value, _: Kwargs, _: &State| -> TeraResult<String> {
                source_lines(value, &f).ok_or_else(|| {
                    tera::Error::message(format!(
                        "filter `source_lines` expects {{file, ranges}}, got {value}"
                    ))
                })
            },
        );
        let f = Arc::clone(&format);
        tera.register_filter("wan", move |fen: i64, _: Kwargs, _: &State| -> String {
            big_amount(fen, lang, &f)
        });
        tera.register_filter(
            "area",
            move |hundredths: i64, _: Kwargs, _: &State| -> String {
                let number = Area(hundredths).to_display_string();
                let number = number.trim_end_matches(|c: char| !c.is_ascii_digit());
                fill_n(pattern(&format, "area"), number)
            },
        );
    }
}

/// Writes `text` escaped for HTML and XML text and double- or single-quoted attributes: `&`, `<`,
/// `>`, `"` and `'` become entities, everything else (a `/` too) stays as it is. Runs of plain
/// text are written in one piece.
pub fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut plain = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time past the plain ones (most of a page: Chinese text, figures).
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if !may_need_escaping(word) {
                at += 8;
                continue;
            }
        }
        let entity: &[u8] = match bytes[at] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => {
                at += 1;
                continue;
            }
        };
        out.write_all(&bytes[plain..at])?;
        out.write_all(entity)?;
        at += 1;
        plain = at;
    }
    out.write_all(&bytes[plain..])
}

/// Whether any of the eight bytes of `word` is one that [`escape_to`] replaces (it never answers
/// no when one is; a yes only sends the bytes through the byte-by-byte check).
fn may_need_escaping(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero exactly when the byte of `word` equals `byte`; the classic test sets
    // a high bit for some byte whenever any byte is zero.
    let has = |byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    (has(b'&') | has(b'<') | has(b'>') | has(b'"') | has(b'\'')) != 0
}

/// Appends `text` escaped as [`escape_to`] writes it.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `at` is an ASCII byte, so both slices end on character boundaries.
        out.push_str(&text[plain..at]);
        out.push_str(entity);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
}

/// Appends `template` with each `{name}` that `value` knows replaced by its value, in one pass;
/// any other brace is kept as it is.
fn push_filled<'v>(out: &mut String, template: &str, value: impl Fn(&str) -> Option<&'v str>) {
    let mut rest = template;
    while let Some(open) = memchr::memchr(b'{', rest.as_bytes()) {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        match tail
            .as_bytes()
            .iter()
            .position(|&b| b == b'}')
            .and_then(|close| Some((close, value(&tail[1..close])?)))
        {
            Some((close, text)) => {
                out.push_str(text);
                rest = &tail[close + 1..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

/// `text` escaped as tera escapes what a template prints (see [`escape_to`]).
pub fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 16);
    let _ = escape_to(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The strings of one table for Rust code that composes text shown on the site (chart titles and
/// labels, the print edition's titles): patterns with named placeholders, plus the `[terms]` and
/// `[format]` tables for ledger labels and periods. Rust only fills in the values.
#[derive(Debug, Clone)]
pub struct Words {
    pub lang: Lang,
    table: HashMap<String, String>,
    terms: HashMap<String, String>,
    format: HashMap<String, String>,
}

impl Words {
    /// The string `key` of the table (the key itself if no strings file defines it, so a gap shows
    /// instead of failing the build; the i18n tests check that every key is defined).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.table.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The string `key` with its `{name}` placeholders replaced by `args`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let template = self.get(key);
        let mut out = String::with_capacity(template.len() + 32);
        push_filled(&mut out, template, |name| {
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
        });
        out
    }

    /// A ledger label in the site language (`term` in templates).
    pub fn term(&self, label: &str) -> String {
        self.terms
            .get(label)
            .cloned()
            .unwrap_or_else(|| label.to_string())
    }

    /// A period label (`2024年第1季度`) in the site language (`period` in templates).
    pub fn period(&self, label: &str) -> String {
        period_label(label, &self.format).unwrap_or_else(|| label.to_string())
    }
}

/// `{% if row.kind | code == "Withdrawal" %}`: the language-neutral name of a ledger label (tender
/// methods, fund movements, notice kinds, project statuses and matters), so that templates compare
/// labels without spelling them; other text is returned as it is.
fn filter_code(value: &Value, _: Kwargs, _: &State) -> Value {
    use crate::ledger::{fund::FundKind, notice::NoticeKind, project, tender::Method};
    let Some(text) = value.as_str() else {
        return value.clone();
    };
    let code = Method::from_label(text)
        .map(|v| format!("{v:?}"))
        .or_else(|| FundKind::from_label(text).map(|v| format!("{v:?}")))
        .or_else(|| NoticeKind::from_label(text).map(|v| format!("{v:?}")))
        .or_else(|| project::Status::from_label(text).map(|v| format!("{v:?}")))
        .or_else(|| project::Matter::from_label(text).map(|v| format!("{v:?}")));
    Value::from(code.unwrap_or_else(|| text.to_string()))
}

/// `template` with its `{n}` placeholders replaced by `number`.
fn fill_n(template: &str, number: &str) -> String {
    let mut out = String::with_capacity(template.len() + number.len());
    push_filled(&mut out, template, |name| (name == "n").then_some(number));
    out
}

fn pattern<'a>(format: &'a HashMap<String, String>, key: &str) -> &'a str {
    format.get(key).map(String::as_str).unwrap_or("{n}")
}

/// A period ("2024年第1季度", as the ledgers' views label it) in the words of `[format]`; `None`
/// for anything that is not a period (a day, free text).
fn period_label(text: &str, format: &HashMap<String, String>) -> Option<String> {
    use crate::ledger::calendar::Period;
    let period = Period::parse(text)?;
    let (key, number) = match period {
        Period::Year(_) => ("period_year", 0),
        Period::Half(_, 1) => ("period_first_half", 1),
        Period::Half(_, h) => ("period_second_half", h),
        Period::Quarter(_, q) => ("period_quarter", q),
        Period::Month(_, m) => ("period_month", m),
    };
    let template = format.get(key)?;
    let year = period.year().to_string();
    let digits = [b'0' + number / 10 % 10, b'0' + number % 10];
    let nn = std::str::from_utf8(&digits).unwrap_or_default();
    let n = if number < 10 { &nn[1..] } else { nn };
    let mut out = String::with_capacity(template.len() + 8);
    push_filled(&mut out, template, |name| match name {
        "year" => Some(year.as_str()),
        "nn" => Some(nn),
        "n" => Some(n),
        _ => None,
    });
    Some(out)
}

/// The provenance of a total (`compute::provenance::LineRanges` as the template sees it:
/// `{file, ranges: [[first, last], …]}`) worded with `[format] source_lines` and
/// `line_separator`: `content/x/fees.csv 第 2–4、6 行`. Empty when it names no line; `None` for a
/// value of any other shape.
fn source_lines(value: &Value, format: &HashMap<String, String>) -> Option<String> {
    let file = value.get_from_path("file")?.as_str()?;
    let ranges = value.get_from_path("ranges")?.as_array()?;
    if ranges.is_empty() {
        return Some(String::new());
    }
    let mut worded = Vec::with_capacity(ranges.len());
    for range in ranges {
        let range = range.as_array()?;
        let first = range.first()?.as_u64()?;
        let last = range.get(1)?.as_u64()?;
        worded.push(if first == last {
            first.to_string()
        } else {
            format!("{first}–{last}")
        });
    }
    let template = format.get("source_lines")?;
    let separator = format.get("line_separator")?;
    let lines = worded.join(separator);
    let mut out = String::with_capacity(template.len() + file.len() + lines.len());
    push_filled(&mut out, template, |name| match name {
        "file" => Some(file),
        "lines" => Some(lines.as_str()),
        _ => None,
    });
    Some(out)
}

/// A headline amount: zh in 万 with two decimals (17.26万), en in thousands of yuan with one
/// decimal (¥172.6k) — both to the hundred yuan; below 10,000 yuan the exact amount.
fn big_amount(fen: i64, lang: Lang, format: &HashMap<String, String>) -> String {
    let money = Money(fen);
    let abs = fen.unsigned_abs();
    if abs < 1_000_000 {
        return money.to_yuan_string();
    }
    let sign = if fen < 0 { "-" } else { "" };
    // Hundreds of yuan (10,000 fen), rounded half up.
    let hundreds = (abs + 5_000) / 10_000;
    let (whole, fraction) = match lang {
        Lang::Zh => (hundreds / 100, format!("{:02}", hundreds % 100)),
        Lang::En => (hundreds / 10, format!("{}", hundreds % 10)),
    };
    let grouped = Money(i64::try_from(whole).unwrap_or(i64::MAX / 100) * 100).to_yuan_string();
    let grouped = grouped
        .trim_start_matches('¥')
        .split('.')
        .next()
        .unwrap_or("0");
    let number = format!("{grouped}.{fraction}");
    format!("{sign}{}", fill_n(pattern(format, "big_amount"), &number))
}

/// `{{ t.page.key | fill(year=y.year, name=compound.name) }}`: replaces `{year}`, `{name}` … in a
/// string with the escaped values. The string itself is theme text and is output as it is.
struct Fill;

impl tera::Filter<&str, TeraResult<Value>> for Fill {
    fn call(&self, text: &str, args: Kwargs, _: &State) -> TeraResult<Value> {
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        // One pass over the string: each `{name}` with a matching argument is replaced, any
        // other brace is kept as it is.
        while let Some(open) = memchr::memchr(b'{', rest.as_bytes()) {
            out.push_str(&rest[..open]);
            let tail = &rest[open..];
            let value = tail
                .as_bytes()
                .iter()
                .position(|&b| b == b'}')
                .and_then(|close| Some((close, args.get::<&Value>(&tail[1..close]).ok()??)));
            match value {
                Some((close, value)) => {
                    match value.as_str() {
                        // Already escaped (the output of `fill`, `| safe`): written as it is.
                        Some(s) if value.is_safe() => out.push_str(s),
                        Some(s) => push_escaped(&mut out, s),
                        None if value.is_none() => {}
                        None => push_escaped(&mut out, &value.to_string()),
                    }
                    rest = &tail[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        Ok(Value::safe_string(&out))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(lang: &str, text: &str) -> Layer {
        Layer {
            lang: lang.into(),
            origin: format!("{lang}.toml"),
            text: text.into(),
        }
    }

    #[test]
    fn missing_keys_fall_back_to_zh_and_overrides_replace_single_keys() {
        let layers = [
            layer("zh", "[nav]\na = \"甲\"\nb = \"乙\""),
            layer("en", "[nav]\na = \"A\""),
            layer("en", "[nav]\nb = \"Bee\""),
        ];
        let en = Strings::resolve(&layers, Lang::En).unwrap();
        assert_eq!(en.table["nav"]["a"].as_str(), Some("A"));
        assert_eq!(en.table["nav"]["b"].as_str(), Some("Bee"));
        let zh = Strings::resolve(&layers[..2], Lang::Zh).unwrap();
        assert_eq!(zh.table["nav"]["a"].as_str(), Some("甲"));
        assert_eq!(zh.table["nav"]["b"].as_str(), Some("乙"));
    }

    #[test]
    fn fill_escapes_the_values_it_puts_in_once() {
        let mut tera = tera::Tera::new();
        tera.register_filter("fill", Fill);
        tera.add_raw_template(
            "t.html",
            "{{ s | fill(a=v) }}|{% set once = s | fill(a=v) %}{{ w | fill(b=once) }}",
        )
        .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("s", "[{a}]");
        ctx.insert("w", "({b})");
        ctx.insert("v", "A&B <i>");
        assert_eq!(
            tera.render("t.html", &ctx).unwrap(),
            "[A&amp;B &lt;i&gt;]|([A&amp;B &lt;i&gt;])"
        );
    }

    #[test]
    fn a_broken_strings_file_is_an_error_naming_it() {
        let err = Strings::resolve(&[layer("zh", "[nav\n")], Lang::Zh)
            .err()
            .unwrap();
        assert!(format!("{err:?}").contains("zh.toml"));
    }

    #[test]
    fn plain_strings_are_written_into_the_template() {
        let strings = Strings::resolve(
            &[layer(
                "zh",
                "[nav]\na = \"甲/乙\"\nb = \"{n}户\"\nc = \"{{x}}\"",
            )],
            Lang::Zh,
        )
        .unwrap();
        assert_eq!(
            strings.inline(
                "<p>{{ t.nav.a }}|{{ t.nav.a | safe }}|{{ t.nav.b | fill(n=x) }}|{{ t.nav.zz }}|{{ t.nav.c }}</p>"
            ),
            "<p>甲/乙|甲/乙|{{ t.nav.b | fill(n=x) }}|{{ t.nav.zz }}|{{ t.nav.c }}</p>"
        );
    }

    #[test]
    fn big_amounts_follow_the_language() {
        let f = |s: &str| HashMap::from([("big_amount".to_string(), s.to_string())]);
        assert_eq!(big_amount(17_260_000, Lang::Zh, &f("{n}万")), "17.26万");
        assert_eq!(big_amount(17_260_000, Lang::En, &f("¥{n}k")), "¥172.6k");
        assert_eq!(
            big_amount(12_345_678_900, Lang::En, &f("¥{n}k")),
            "¥123,456.8k"
        );
        assert_eq!(big_amount(-17_260_000, Lang::En, &f("¥{n}k")), "-¥172.6k");
        assert_eq!(big_amount(99_999, Lang::En, &f("¥{n}k")), "¥999.99");
    }

    #[test]
    fn source_lines_are_reworded() {
        let f = HashMap::from([
            (
                "source_lines".to_string(),
                "{file}, lines {lines}".to_string(),
            ),
            ("line_separator".to_string(), ", ".to_string()),
        ]);
        let lines = Value::from_serializable(
            &serde_json::json!({"file": "content/x/fees.csv", "ranges": [[2, 4], [6, 6]]}),
        );
        assert_eq!(
            source_lines(&lines, &f).as_deref(),
            Some("content/x/fees.csv, lines 2–4, 6")
        );
        let none = Value::from_serializable(&serde_json::json!({"file": "", "ranges": []}));
        assert_eq!(source_lines(&none, &f).as_deref(), Some(""));
        assert_eq!(source_lines(&Value::from("content/x/fees.csv:3"), &f), None);
    }

    #[test]
    fn periods_are_worded_by_the_format_table() {
        let f = HashMap::from([
            ("period_quarter".to_string(), "Q{n} {year}".to_string()),
            ("period_month".to_string(), "{year}-{nn}".to_string()),
        ]);
        assert_eq!(
            period_label("2024年第1季度", &f).as_deref(),
            Some("Q1 2024")
        );
        assert_eq!(period_label("2024年3月", &f).as_deref(), Some("2024-03"));
        assert_eq!(period_label("2024年12月", &f).as_deref(), Some("2024-12"));
        assert_eq!(period_label("2024-03-31", &f), None);
    }

    #[test]
    fn escaping_finds_every_special_byte_wherever_it_sits() {
        let specials = ["&", "<", ">", "\"", "'"];
        let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
        for (special, entity) in specials.iter().zip(entities) {
            for before in 0..20 {
                for after in [0, 1, 7, 8, 9, 17] {
                    let head = "收".repeat(before / 3) + &"9".repeat(before % 3);
                    let tail = "a-1.5 ".repeat(after);
                    let text = format!("{head}{special}{tail}{special}");
                    assert_eq!(escape(&text), format!("{head}{entity}{tail}{entity}"));
                }
            }
        }
        let plain = "¥1,234.56 收支 M4 4h7v1h-7z / ~ {x} 第2季度".repeat(3);
        assert_eq!(escape(&plain), plain);
        for byte in 0u8..128 {
            let text = format!("{}{}", "x".repeat(8), char::from(byte));
            let expected = !matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\'');
            assert_eq!(escape(&text) == text, expected, "byte {byte}");
        }
    }

    #[test]
    fn words_fill_named_placeholders_and_keep_other_braces() {
        let words = Strings::resolve(
            &[layer(
                "zh",
                "[x]\na = \"{a}-{b}-{a} {c} {{a}} {\"\nb = \"none\"",
            )],
            Lang::Zh,
        )
        .unwrap()
        .words("x");
        assert_eq!(
            words.fill("a", &[("a", "1"), ("b", "<2>")]),
            "1-<2>-1 {c} {1} {"
        );
        assert_eq!(words.fill("b", &[("a", "1")]), "none");
        assert_eq!(words.fill("missing", &[]), "missing");
    }
}
