//! Reading TOML records (compound.toml, projects, tenders, front matter) with every value's span:
//! syntax and schema errors become located diagnostics, and typed values (money, areas, dates,
//! fixed choices) are converted from their spanned raw form here, so that each finding names the
//! exact key.

use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use toml::{Spanned, Value};

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::ledger::amount::{Area, Money, NumberError, Price};
use crate::ledger::calendar::parse_date;

/// A raw value with its span, as read from TOML.
pub type RawValue = Spanned<Value>;

/// Deserialises `text` (which starts at byte `offset` of `file`) into `T`, reporting errors.
pub fn deserialize_at<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    text: &str,
    offset: usize,
    diags: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(error) => {
            let syntax = toml::from_str::<toml::Table>(text).is_err();
            let span = error
                .span()
                .map(|s| s.start + offset..s.end + offset)
                .unwrap_or(offset..offset);
            let span = first_line_of(file, span);
            let detail = error.message().trim().to_string();
            let diagnostic = if syntax {
                Diagnostic::new("toml-syntax").arg("detail", detail)
            } else {
                Diagnostic::new("toml-field").arg("detail", translate_serde_message(&detail))
            };
            diags.push(diagnostic.at(file, span));
            None
        }
    }
}

/// Deserialises a whole file.
pub fn deserialize<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Option<T> {
    deserialize_at(file, &file.text, 0, diags)
}

/// Serde's messages name fields in backquotes; keep them, but say the rest in Chinese too.
fn translate_serde_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("缺少字段 {rest} / missing field {rest}");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("未知字段 {field} / {message}");
    }
    message.to_string()
}

/// Limits a span to the line it starts on, so that the caret stays readable.
fn first_line_of(file: &SourceFile, span: Range<usize>) -> Range<usize> {
    let line = file.line_range(span.start);
    span.start..span.end.min(line.end).max(span.start)
}

/// Typed access to spanned raw values, reporting problems into `diags`.
pub struct Fields<'a> {
    pub file: &'a Arc<SourceFile>,
    pub diags: &'a mut Diagnostics,
    /// Added to every span (the front matter of a notice starts after `+++`).
    pub offset: usize,
}

impl<'a> Fields<'a> {
    pub fn new(file: &'a Arc<SourceFile>, diags: &'a mut Diagnostics) -> Self {
        Fields {
            file,
            diags,
            offset: 0,
        }
    }

    pub fn span<T>(&self, value: &Spanned<T>) -> Range<usize> {
        let s = value.span();
        s.start + self.offset..s.end + self.offset
    }

    /// The value as the user wrote it in the file (a float's own digits, not their binary
    /// approximation printed back).
    fn literal(&self, raw: &RawValue) -> Option<&str> {
        self.file.text.get(self.span(raw))
    }

    fn report(&mut self, code: &'static str, raw: &RawValue, field: &str) {
        let span = self.span(raw);
        let value = match raw.get_ref() {
            Value::String(s) => s.clone(),
            other => self
                .literal(raw)
                .map_or_else(|| value_text(other), str::to_string),
        };
        self.diags.push(
            Diagnostic::new(code)
                .at(self.file, span)
                .arg("value", value)
                .arg("column", field),
        );
    }

    /// Reports a required field that is missing, at the start of the file or table `at`.
    pub fn missing(&mut self, field: &str, at: usize) {
        self.diags.push(
            Diagnostic::new("field-required")
                .at(self.file, at..at)
                .arg("field", field),
        );
    }

    pub fn money(&mut self, raw: &Option<RawValue>, field: &str) -> Option<Money> {
        let raw = raw.as_ref()?;
        match raw.get_ref() {
            Value::Integer(i) if *i >= 0 => match i.checked_mul(100).and_then(Money::checked) {
                Some(m) => Some(m),
                None => {
                    self.report("money-invalid", raw, field);
                    None
                }
            },
            Value::String(s) => match Money::parse(s) {
                Ok(m) if !m.is_negative() => Some(m),
                Ok(_) => {
                    self.report("money-negative", raw, field);
                    None
                }
                Err(NumberError::FinerThanUnit) => {
                    self.report("money-sub-fen", raw, field);
                    None
                }
                Err(NumberError::Invalid) => {
                    self.report("money-invalid", raw, field);
                    None
                }
            },
            Value::Float(_) => {
                self.report("money-float", raw, field);
                None
            }
            _ => {
                self.report("money-invalid", raw, field);
                None
            }
        }
    }

    pub fn area(&mut self, raw: &Option<RawValue>, field: &str) -> Option<Area> {
        let raw = raw.as_ref()?;
        let parsed = match raw.get_ref() {
            Value::Integer(i) if *i >= 0 => i.checked_mul(100).map(Area),
            Value::String(s) => Area::parse(s).ok().filter(|a| a.0 >= 0),
            // An unquoted 58230.45: read from its digits in the file, exactly, never as a float.
            Value::Float(_) => self
                .literal(raw)
                .and_then(|text| Area::parse(text).ok())
                .filter(|a| a.0 >= 0),
            _ => None,
        };
        if parsed.is_none() {
            self.report("area-invalid", raw, field);
        }
        parsed
    }

    pub fn price(&mut self, raw: &Option<RawValue>, field: &str) -> Option<Price> {
        let raw = raw.as_ref()?;
        let parsed = match raw.get_ref() {
            Value::Integer(i) if *i >= 0 => i.checked_mul(10_000).map(Price),
            Value::String(s) => Price::parse(s).ok().filter(|p| p.0 >= 0),
            Value::Float(_) => self
                .literal(raw)
                .and_then(|text| Price::parse(text).ok())
                .filter(|p| p.0 >= 0),
            _ => None,
        };
        if parsed.is_none() {
            self.report("price-invalid", raw, field);
        }
        parsed
    }

    pub fn count(&mut self, raw: &Option<RawValue>, field: &str) -> Option<u32> {
        let raw = raw.as_ref()?;
        let parsed = match raw.get_ref() {
            Value::Integer(i) => u32::try_from(*i).ok(),
            Value::String(s) => s.replace(',', "").trim().parse().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.report("int-invalid", raw, field);
        }
        parsed
    }

    pub fn date(&mut self, raw: &Option<RawValue>, field: &str) -> Option<NaiveDate> {
        let raw = raw.as_ref()?;
        let parsed = match raw.get_ref() {
            Value::Datetime(dt) if dt.time.is_none() => dt.date.and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }),
            Value::String(s) => parse_date(s),
            _ => None,
        };
        if parsed.is_none() {
            self.report("date-invalid", raw, field);
        }
        parsed
    }

    /// A value out of a fixed list, parsed with `parse`.
    pub fn choice<T>(
        &mut self,
        raw: &Option<Spanned<String>>,
        field: &str,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        let raw = raw.as_ref()?;
        let value = parse(raw.get_ref());
        if value.is_none() {
            let span = self.span(raw);
            self.diags.push(
                Diagnostic::new("enum-invalid")
                    .at(self.file, span)
                    .arg("value", raw.get_ref())
                    .arg("column", field)
                    .arg("allowed", allowed.join("、")),
            );
        }
        value
    }

    /// Required non-empty text.
    pub fn text(&mut self, raw: &Option<Spanned<String>>, field: &str) -> Option<String> {
        match raw {
            Some(s) if !s.get_ref().trim().is_empty() => Some(s.get_ref().trim().to_string()),
            Some(s) => {
                let span = self.span(s);
                self.diags.push(
                    Diagnostic::new("field-required")
                        .at(self.file, span)
                        .arg("field", field),
                );
                None
            }
            None => {
                self.missing(field, self.offset);
                None
            }
        }
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Optional text, trimmed; empty strings count as absent.
pub fn opt_text(raw: &Option<Spanned<String>>) -> Option<String> {
    raw.as_ref()
        .map(|s| s.get_ref().trim().to_string())
        .filter(|s| !s.is_empty())
}
