//! The message catalog: for every diagnostic code its default severity and its message and hint in
//! Chinese and English. The catalog itself is data (`messages.toml`), compiled into the binary.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::Severity;

/// The language of diagnostics and of the site's interface.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub severity: Severity,
    pub zh: String,
    pub en: String,
    pub hint_zh: Option<String>,
    pub hint_en: Option<String>,
}

const CATALOG_TOML: &str = include_str!("messages.toml");

/// All entries, keyed by code.
pub fn entries() -> &'static BTreeMap<String, Entry> {
    static CATALOG: OnceLock<BTreeMap<String, Entry>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The catalog is compiled in and covered by a unit test, so it always parses.
        toml::from_str(CATALOG_TOML).unwrap_or_default()
    })
}

pub fn default_severity(code: &str) -> Severity {
    entries()
        .get(code)
        .map(|e| e.severity)
        .unwrap_or(Severity::Error)
}

/// The message and hint of `code` in `lang`, with `{name}` placeholders filled in.
pub fn message(
    code: &str,
    lang: Lang,
    args: &[(&'static str, String)],
) -> (String, Option<String>) {
    let Some(entry) = entries().get(code) else {
        return (format!("[{code}]"), None);
    };
    let (message, hint) = match lang {
        Lang::Zh => (&entry.zh, &entry.hint_zh),
        Lang::En => (&entry.en, &entry.hint_en),
    };
    (fill(message, args), hint.as_deref().map(|h| fill(h, args)))
}

fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_parses_and_codes_are_kebab_case() {
        let parsed: BTreeMap<String, Entry> = toml::from_str(CATALOG_TOML).expect("messages.toml");
        assert!(parsed.len() > 20);
        for (code, entry) in &parsed {
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{code} is not kebab-case"
            );
            assert_eq!(
                entry.hint_zh.is_some(),
                entry.hint_en.is_some(),
                "{code}: hints in both languages"
            );
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let (m, _) = message(
            "money-invalid",
            Lang::En,
            &[("value", "12x".into()), ("column", "金额".into())],
        );
        assert!(m.contains("12x"), "{m}");
        assert!(!m.contains('{'), "{m}");
    }
}
