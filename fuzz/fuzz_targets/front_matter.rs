//! Any bytes as a notice (`notices/<id>.md`): the `+++` fences, the TOML front matter and the
//! rendering of findings must never panic, and the split must cut the text where it says.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sanwu::diag::Diagnostics;
use sanwu::ledger::notice;
use sanwu::parse::front_matter::split;

fuzz_target!(|bytes: &[u8]| {
    let Some(file) = common::source(bytes, "content/x/notices/n.md") else {
        return;
    };
    let text = file.text.as_str();
    if let Some(s) = split(text) {
        assert!(s.front.start <= s.front.end, "{s:?}");
        assert!(s.front.end <= s.body.start, "{s:?}");
        assert!(s.body.end == text.len(), "{s:?}");
        let _ = (&text[s.front.clone()], &text[s.body.clone()]);
    }
    let mut diags = Diagnostics::new();
    if let Some(n) = notice::parse("n", &file, &mut diags) {
        let _ = n.origin.file_line();
        let _ = n.kind.label();
        assert!(text.ends_with(n.body_markdown.as_str()));
    }
    common::render(&mut diags);
});
