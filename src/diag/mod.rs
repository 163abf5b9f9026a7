//! Diagnostics: data findings that point at a cell of a ledger.
//!
//! Two tiers of problems exist in sanwu. Operational failures (a missing folder, an unreadable file)
//! stop the run and are reported once through [`crate::error::Fatal`]. Data findings — a bad amount,
//! a balance that does not reconcile — are collected here, all of them in one run, then sorted by
//! file and position and rendered like a compiler's: `file:line:col`, the source line, a caret, a
//! stable kebab-case code, the message and a hint, in Chinese or English.
//!
//! Messages live in `messages.toml` next to this file, keyed by code; Rust code only names the code
//! and the values to fill in.

pub mod catalog;
pub mod render;
pub mod source;
pub mod stored;

use std::ops::Range;
use std::sync::Arc;

pub use catalog::Lang;
pub use source::{LineCol, SourceFile};

/// How serious a finding is. `Off` only results from a portal's configuration.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Warning,
    Error,
}

/// One finding, located in a source file where possible.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub file: Option<Arc<SourceFile>>,
    /// Byte range within `file.text`.
    pub span: Option<Range<usize>>,
    /// Values substituted into the message and hint templates (`{name}`).
    pub args: Vec<(&'static str, String)>,
    /// Where the span started in the whole file, once the file was cut down to the finding's
    /// lines (see [`Diagnostics::detach_sources`]); findings keep sorting by it.
    origin: Option<usize>,
}

impl Diagnostic {
    /// A finding with the default severity the catalog gives its code.
    pub fn new(code: &'static str) -> Self {
        Diagnostic {
            code,
            severity: catalog::default_severity(code),
            file: None,
            span: None,
            args: Vec::new(),
            origin: None,
        }
    }

    pub fn at(mut self, file: &Arc<SourceFile>, span: Range<usize>) -> Self {
        self.file = Some(Arc::clone(file));
        self.span = Some(span);
        self
    }

    /// Locates the finding at the start of a file (for problems of a whole file).
    pub fn in_file(mut self, file: &Arc<SourceFile>) -> Self {
        self.file = Some(Arc::clone(file));
        self.span = Some(0..0);
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn position(&self) -> Option<LineCol> {
        match (&self.file, &self.span) {
            (Some(file), Some(span)) => Some(file.line_col(span.start)),
            _ => None,
        }
    }

    fn sort_key(&self) -> (String, usize, &'static str) {
        (
            self.file
                .as_ref()
                .map(|f| f.display_path.clone())
                .unwrap_or_default(),
            self.origin
                .or(self.span.as_ref().map(|s| s.start))
                .unwrap_or(0),
            self.code,
        )
    }
}

/// Collects the findings of one unit of work (a compound, the portal config).
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Lets go of the ledgers' text: each finding keeps a copy of its own lines only (the lines
    /// before it become empty lines, so line numbers stay right). A city portal keeps the
    /// warnings of every compound until the end of the build, and without this each one would
    /// keep its whole ledger file in memory.
    pub fn detach_sources(&mut self) {
        for d in &mut self.items {
            let (Some(file), Some(span)) = (&d.file, &d.span) else {
                continue;
            };
            let text = &file.text;
            let start = span.start.min(text.len());
            let end = span.end.clamp(start, text.len());
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let last = text[end..].find('\n').map_or(text.len(), |i| end + i);
            let line_index = text[..first].matches('\n').count();
            let mut kept = String::with_capacity(line_index + last - first);
            kept.extend(std::iter::repeat_n('\n', line_index));
            kept.push_str(&text[first..last]);
            let shift = |offset: usize| offset - first + line_index;
            let detached =
                SourceFile::new(&file.path, file.display_path.clone(), kept, file.encoding);
            d.origin = Some(d.origin.unwrap_or(start));
            d.span = Some(shift(start)..shift(end));
            d.file = Some(Arc::new(detached));
        }
    }

    /// Applies a portal's severity overrides, drops findings turned off, and sorts the rest by
    /// file and position so that output is stable.
    pub fn finish(&mut self, overrides: &std::collections::BTreeMap<String, Severity>) {
        for d in &mut self.items {
            if let Some(severity) = overrides.get(d.code) {
                d.severity = *severity;
            }
        }
        self.items.retain(|d| d.severity != Severity::Off);
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup_by(|a, b| {
            a.code == b.code && a.span == b.span && a.args == b.args && a.sort_key() == b.sort_key()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detached_findings_keep_their_lines_columns_and_order() {
        let text = "期间,金额\n2024Q1,一百\n2024Q2,\"1,000.00\"\n".to_string();
        let file = Arc::new(SourceFile::new(
            std::path::Path::new("fees.csv"),
            "fees.csv".into(),
            text.clone(),
            "UTF-8",
        ));
        let late = text.find("1,000").unwrap();
        let early = text.find("一百").unwrap();
        let mut diags = Diagnostics::new();
        diags.push(Diagnostic::new("fees-amount-invalid").at(&file, late..late + 8));
        diags.push(Diagnostic::new("fees-amount-invalid").at(&file, early..early + 6));
        diags.finish(&Default::default());
        let before: Vec<_> = diags.iter().map(|d| d.position()).collect();
        diags.detach_sources();
        diags.finish(&Default::default());
        let after: Vec<_> = diags.iter().map(|d| d.position()).collect();
        assert_eq!(before, after);
        let d = diags.iter().next().unwrap();
        let kept = d.file.as_ref().unwrap();
        assert_eq!(kept.text, "\n2024Q1,一百");
        assert_eq!(&kept.text[d.span.clone().unwrap()], "一百");
    }
}
