//! Rendering of collected diagnostics for people (compiler style, via codespan-reporting) and for
//! tools (JSON), plus the closing summary line.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use super::catalog::{self, Lang};
use super::{Diagnostic, Diagnostics, Severity};

/// Renders every diagnostic as text, in order, followed by nothing else.
pub fn to_text(diags: &Diagnostics, lang: Lang) -> String {
    let config = Config::default();
    let mut out = String::new();
    for d in diags.iter() {
        let (message, hint) = catalog::message(d.code, lang, &d.args);
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            _ => CsSeverity::Warning,
        };
        let mut notes = Vec::new();
        if let Some(hint) = hint {
            notes.push(match lang {
                Lang::Zh => format!("提示：{hint}"),
                Lang::En => format!("hint: {hint}"),
            });
        }
        let mut cs = CsDiagnostic::new(severity)
            .with_code(d.code)
            .with_message(message);
        match (&d.file, &d.span) {
            (Some(file), Some(_)) if file.text.is_empty() => {
                // A finding about a whole file or folder whose text is not available.
                notes.push(match lang {
                    Lang::Zh => format!("位置：{}", file.display_path),
                    Lang::En => format!("at: {}", file.display_path),
                });
                cs = cs.with_notes(notes);
                let empty = SimpleFile::new("", "");
                let _ = term::emit_to_string(&mut out, &config, &empty, &cs);
            }
            (Some(file), Some(span)) => {
                if file.encoding != "UTF-8" {
                    notes.push(match lang {
                        Lang::Zh => format!("文件编码：{}", file.encoding),
                        Lang::En => format!("file encoding: {}", file.encoding),
                    });
                }
                let simple = SimpleFile::new(file.display_path.as_str(), file.text.as_str());
                cs = cs
                    .with_labels(vec![Label::primary((), span.clone())])
                    .with_notes(notes);
                // Rendering into a String cannot fail for a span inside the file.
                let _ = term::emit_to_string(&mut out, &config, &simple, &cs);
            }
            _ => {
                cs = cs.with_notes(notes);
                let empty = SimpleFile::new("", "");
                let _ = term::emit_to_string(&mut out, &config, &empty, &cs);
            }
        }
    }
    out
}

/// "3 个错误，5 个警告" / "3 errors, 5 warnings".
pub fn summary(errors: usize, warnings: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{errors} 个错误，{warnings} 个警告"),
        Lang::En => format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ),
    }
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    encoding: Option<&'a str>,
    message: String,
    hint: Option<String>,
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

/// The machine-readable form: `{"diagnostics": [...], "errors": N, "warnings": M}`.
pub fn to_json(diags: &Diagnostics, lang: Lang) -> String {
    let diagnostics = diags.iter().map(|d| json_one(d, lang)).collect();
    let report = JsonReport {
        diagnostics,
        errors: diags.error_count(),
        warnings: diags.warning_count(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

fn json_one(d: &Diagnostic, lang: Lang) -> JsonDiagnostic<'_> {
    let (message, hint) = catalog::message(d.code, lang, &d.args);
    let (start, end) = match (&d.file, &d.span) {
        (Some(f), Some(s)) => (Some(f.line_col(s.start)), Some(f.line_col(s.end))),
        _ => (None, None),
    };
    JsonDiagnostic {
        code: d.code,
        severity: d.severity,
        file: d.file.as_ref().map(|f| f.display_path.as_str()),
        line: start.map(|p| p.line),
        column: start.map(|p| p.column),
        end_line: end.map(|p| p.line),
        end_column: end.map(|p| p.column),
        encoding: d.file.as_ref().map(|f| f.encoding),
        message,
        hint,
    }
}

/// A finding as the site shows it next to the figures it concerns.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteFinding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
    /// The file, relative to the portal (matches the `source` of views).
    pub file: String,
    pub line: Option<usize>,
}

/// The findings of a compound that was published anyway (warnings), for its pages.
pub fn site_findings(diags: &Diagnostics, lang: Lang) -> Vec<SiteFinding> {
    diags
        .iter()
        .map(|d| {
            let (message, hint) = catalog::message(d.code, lang, &d.args);
            SiteFinding {
                code: d.code,
                severity: d.severity,
                message,
                hint,
                file: d
                    .file
                    .as_ref()
                    .map(|f| f.display_path.clone())
                    .unwrap_or_default(),
                line: d.position().map(|p| p.line),
            }
        })
        .collect()
}
