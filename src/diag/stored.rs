//! Findings as the build cache keeps them between runs: a [`Diagnostic`] with its source lines
//! already cut down by [`super::Diagnostics::detach_sources`], in a form serde can write and read
//! back. A compound skipped because its inputs did not change still reports its warnings, exactly
//! as the run that checked it did.

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::{Diagnostic, Severity, SourceFile};

/// A finding, owned and serialisable.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDiagnostic {
    code: String,
    severity: Severity,
    file: Option<StoredSource>,
    span: Option<Range<usize>>,
    args: Vec<(String, String)>,
    origin: Option<usize>,
}

/// The lines of a source file a finding shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredSource {
    display_path: String,
    path: PathBuf,
    text: String,
    encoding: String,
}

impl StoredDiagnostic {
    pub fn from_diagnostic(d: &Diagnostic) -> StoredDiagnostic {
        StoredDiagnostic {
            code: d.code.to_string(),
            severity: d.severity,
            file: d.file.as_ref().map(|f| StoredSource {
                display_path: f.display_path.clone(),
                path: f.path.clone(),
                text: f.text.clone(),
                encoding: f.encoding.to_string(),
            }),
            span: d.span.clone(),
            args: d
                .args
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
            origin: d.origin,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            code: intern(&self.code),
            severity: self.severity,
            file: self.file.as_ref().map(|f| {
                Arc::new(SourceFile::new(
                    &f.path,
                    f.display_path.clone(),
                    f.text.clone(),
                    intern(&f.encoding),
                ))
            }),
            span: self.span.clone(),
            args: self
                .args
                .iter()
                .map(|(name, value)| (intern(name), value.clone()))
                .collect(),
            origin: self.origin,
        }
    }
}

/// The one `'static` copy of a code, argument name or encoding name read back from the cache.
/// Findings name these with `&'static str`; the set of distinct names is small and fixed by the
/// code and the message catalog, so each is leaked at most once per process.
fn intern(text: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let names = NAMES.get_or_init(Default::default);
    let Ok(mut names) = names.lock() else {
        return Box::leak(text.to_string().into_boxed_str());
    };
    if let Some(known) = names.get(text) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    #[test]
    fn a_finding_read_back_reports_the_same_place_and_words() {
        let text = "期间,金额\n2024Q1,一百\n".to_string();
        let file = Arc::new(SourceFile::new(
            std::path::Path::new("content/a/fees.csv"),
            "content/a/fees.csv".into(),
            text.clone(),
            "GB18030",
        ));
        let at = text.find("一百").unwrap();
        let mut diags = Diagnostics::new();
        diags.push(
            Diagnostic::new("fees-amount-invalid")
                .at(&file, at..at + 6)
                .arg("value", "一百"),
        );
        diags.finish(&Default::default());
        diags.detach_sources();
        let original = diags.iter().next().unwrap();
        let json = serde_json::to_string(&StoredDiagnostic::from_diagnostic(original)).unwrap();
        let back = serde_json::from_str::<StoredDiagnostic>(&json)
            .unwrap()
            .to_diagnostic();
        assert_eq!(back.code, original.code);
        assert_eq!(back.severity, original.severity);
        assert_eq!(back.position(), original.position());
        assert_eq!(back.args, original.args);
        assert_eq!(back.file.as_ref().unwrap().encoding, "GB18030");
        assert_eq!(back.sort_key(), original.sort_key());
        for lang in [crate::diag::Lang::Zh, crate::diag::Lang::En] {
            let one = |d: &Diagnostic| {
                let mut list = Diagnostics::new();
                list.push(d.clone());
                crate::diag::render::to_text(&list, lang)
            };
            assert_eq!(one(&back), one(original));
        }
    }
}
