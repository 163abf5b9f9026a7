//! Any bytes as `compound.toml`, `projects/<id>.toml` and `tenders/<id>.toml`: decoding, TOML
//! deserialisation with spans, the typed fields and the rendering of findings must never panic.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sanwu::diag::Diagnostics;
use sanwu::ledger::{compound, project, tender};

fuzz_target!(|bytes: &[u8]| {
    let Some(file) = common::source(bytes, "content/x/record.toml") else {
        return;
    };
    let mut diags = Diagnostics::new();
    if let Some(c) = compound::parse(&file, &mut diags) {
        let _ = c.floor_area.to_display_string();
        for s in &c.fee_standards {
            assert!(s.price.0 >= 0);
            let _ = s.price.to_display_string();
        }
    }
    if let Some(p) = project::parse("p", &file, &mut diags) {
        let _ = p.title_origin.file_line();
        if let Some(v) = &p.vote {
            let _ = v.origin.file_line();
        }
    }
    if let Some(t) = tender::parse("t", &file, &mut diags) {
        let _ = t.title_origin.file_line();
        for b in &t.bids {
            let _ = b.origin.file_line();
            let _ = b.amount.to_wan_string();
        }
    }
    common::render(&mut diags);
});
