//! `config.toml`: the portal's settings (title, base URL, language, theme, output folder) and its
//! overrides of diagnostic severities.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, Lang, Severity, SourceFile};
use crate::parse::toml_doc::{self, Fields};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<Spanned<String>>,
    base_url: Option<String>,
    language: Option<Lang>,
    theme: Option<String>,
    output_dir: Option<String>,
    description: Option<String>,
    #[serde(default)]
    diagnostics: BTreeMap<String, Spanned<Severity>>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: Lang,
    pub theme: String,
    pub output_dir: String,
    pub description: String,
    pub severity_overrides: BTreeMap<String, Severity>,
}

pub fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Config> {
    let raw: RawConfig = toml_doc::deserialize(file, diags)?;
    let mut f = Fields::new(file, diags);
    let title = f.text(&raw.title, "title");
    let mut severity_overrides = BTreeMap::new();
    for (code, severity) in raw.diagnostics {
        if crate::diag::catalog::entries().contains_key(&code) {
            severity_overrides.insert(code, *severity.get_ref());
        } else {
            let span = severity.span();
            diags.push(Diagnostic::new("toml-field").at(file, span).arg(
                "detail",
                format!("未知的诊断代码 / unknown diagnostic code `{code}`"),
            ));
        }
    }
    let mut base_url = raw.base_url.unwrap_or_else(|| "/".to_string());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    Some(Config {
        title: title?,
        base_url,
        language: raw.language.unwrap_or_default(),
        theme: raw.theme.unwrap_or_else(|| "default".to_string()),
        output_dir: raw.output_dir.unwrap_or_else(|| "public".to_string()),
        description: raw.description.unwrap_or_default(),
        severity_overrides,
    })
}
