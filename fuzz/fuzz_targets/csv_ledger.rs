//! Any bytes as `fees.csv`, `revenue.csv` and `fund.csv`: decoding, the CSV reader, the three
//! ledgers and the rendering of their findings must never panic.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sanwu::diag::Diagnostics;
use sanwu::ledger::{fees, fund, revenue};

fuzz_target!(|bytes: &[u8]| {
    let Some(file) = common::source(bytes, "content/x/ledger.csv") else {
        return;
    };
    let mut diags = Diagnostics::new();
    for row in fees::parse(&file, &mut diags) {
        let _ = row.origin.file_line();
        assert!(row.receivable.fen() >= 0 && row.received.fen() >= 0);
    }
    for entry in revenue::parse(&file, &mut diags) {
        let _ = entry.origin.file_line();
        let _ = entry.when.label();
        assert_eq!(entry.net, entry.gross - entry.costs);
    }
    for entry in fund::parse(&file, &mut diags) {
        let _ = entry.origin.file_line();
        assert!(!entry.amount.is_negative());
    }
    check_cell_spans(&diags);
    common::render(&mut diags);
});

/// Findings about one cell's value must point at that cell: the text under the span is the
/// value (quotes aside, which the reader removes and the span may keep).
fn check_cell_spans(diags: &Diagnostics) {
    const CELL_CODES: &[&str] = &[
        "money-invalid",
        "money-sub-fen",
        "money-negative",
        "money-uppercase-invalid",
        "date-invalid",
        "period-invalid",
        "enum-invalid",
        "int-invalid",
    ];
    let bare = |s: &str| s.replace('"', "").trim().to_string();
    for d in diags.iter().filter(|d| CELL_CODES.contains(&d.code)) {
        let value = d.args.iter().find(|(name, _)| *name == "value");
        let (Some(file), Some(span), Some((_, value))) = (&d.file, &d.span, value) else {
            continue;
        };
        let Some(under) = file.text.get(span.clone()) else {
            panic!("{}: span {span:?} is not inside the file", d.code);
        };
        assert_eq!(
            bare(under),
            bare(value),
            "{}: span {span:?} does not cover the cell {value:?}",
            d.code
        );
    }
}
