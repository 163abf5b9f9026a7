//! Any text as a date, a period or a date-or-period: parsing must never panic, every period must
//! start before it ends, and every printed form must read back to the same value.

#![no_main]

use std::cmp::Ordering;

use libfuzzer_sys::fuzz_target;
use sanwu::ledger::calendar::{Period, When, parse_date};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Some(d) = parse_date(text) {
        let shown = d.format("%Y-%m-%d").to_string();
        assert_eq!(parse_date(&shown), Some(d), "{text:?} → {shown:?}");
    }
    if let Some(p) = Period::parse(text) {
        check_period(p, text);
    }
    match When::parse(text) {
        Some(When::Period(p)) => {
            check_period(p, text);
            assert_eq!(When::Period(p).sort_date(), p.end());
        }
        Some(w) => {
            let _ = (w.sort_date(), w.year(), w.label());
        }
        None => {}
    }
});

fn check_period(p: Period, text: &str) {
    assert!(p.start() <= p.end(), "{text:?} → {p:?}");
    assert!((1..=12).contains(&p.month_count()), "{p:?}");
    assert_eq!(p.cmp(&p), Ordering::Equal);
    let key = p.key();
    assert_eq!(Period::parse(&key), Some(p), "{text:?} → {p:?} → {key:?}");
    let label = p.label();
    assert_eq!(
        Period::parse(&label),
        Some(p),
        "{text:?} → {p:?} → {label:?}"
    );
}
