//! Shared by the file-level targets: bytes → decoded source file, and rendering of every
//! diagnostic in every form the CLI produces, with span checks.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use sanwu::diag::render::{site_findings, to_json, to_text};
use sanwu::diag::{Diagnostics, Lang, SourceFile};
use sanwu::load::decode::decode;

/// Decodes `bytes` as the loader does; `None` when no supported encoding fits.
pub fn source(bytes: &[u8], name: &str) -> Option<Arc<SourceFile>> {
    let (text, encoding) = decode(bytes)?;
    Some(Arc::new(SourceFile::new(
        Path::new(name),
        name.to_string(),
        text,
        encoding,
    )))
}

/// Renders `diags` as text and JSON in both languages and maps every span to line and column.
/// Every span a parser reports must lie inside its file and on character boundaries.
pub fn render(diags: &mut Diagnostics) {
    diags.finish(&BTreeMap::new());
    for d in diags.iter() {
        let _ = d.position();
        if let (Some(file), Some(span)) = (&d.file, &d.span) {
            assert!(span.start <= span.end, "{}: reversed span {span:?}", d.code);
            assert!(
                span.end <= file.text.len(),
                "{}: span {span:?} past the end ({})",
                d.code,
                file.text.len()
            );
            assert!(
                file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end),
                "{}: span {span:?} splits a character",
                d.code
            );
            let start = file.line_col(span.start);
            let end = file.line_col(span.end);
            assert!(start <= end, "{}: {start:?} after {end:?}", d.code);
            let _ = file.line_range(span.start);
            let _ = file.line_range(span.end);
        }
    }
    for lang in [Lang::Zh, Lang::En] {
        let _ = to_text(diags, lang);
        let _ = to_json(diags, lang);
        let _ = site_findings(diags, lang);
    }
}
