//! Any text as an amount, an area or a fee standard, in figures or in 大写: parsing must never
//! panic, and whatever parses must print back to text that parses to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sanwu::ledger::amount::{
    Area, Money, NumberError, Price, parse_chinese_uppercase, parse_fixed, to_chinese_uppercase,
};

fuzz_target!(|bytes: &[u8]| {
    // Formatting round trips for arbitrary values, whatever the text.
    if let Some(head) = bytes.get(..8) {
        let fen = i64::from_le_bytes(head.try_into().unwrap_or_default());
        check_money(Money(fen), false);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(m) = Money::parse(text) {
        check_money(m, true);
    }
    for multiplier in [1, 10_000] {
        let _ = Money::parse_scaled(text, multiplier);
    }
    for decimals in 0..=4 {
        let _ = parse_fixed(text, decimals, 1);
    }
    if let Ok(a) = Area::parse(text) {
        let shown = a.to_display_string();
        assert_eq!(Area::parse(&shown), Ok(a), "{text:?} → {shown:?}");
    }
    if let Ok(p) = Price::parse(text)
        && p.0 >= 0
    {
        let shown = p.to_display_string();
        assert_eq!(Price::parse(&shown), Ok(p), "{text:?} → {shown:?}");
    }
    if let Some(m) = parse_chinese_uppercase(text) {
        assert!(!m.is_negative(), "{text:?} → {m:?}");
        let written = to_chinese_uppercase(m);
        assert_eq!(
            parse_chinese_uppercase(&written),
            Some(m),
            "{text:?} → {m:?} → {written:?}"
        );
    }
});

/// Every way an amount is printed reads back to the same amount (the 万 form is rounded, so it
/// only has to print). An amount that was read (`parsed`) must read back; any other value may be
/// refused as too large, but never read back as a different amount.
fn check_money(m: Money, parsed: bool) {
    let _ = m.to_wan_string();
    for shown in [m.to_yuan_string(), m.to_plain_string()] {
        match Money::parse(&shown) {
            Ok(back) => assert_eq!(back, m, "{m:?} → {shown:?}"),
            Err(e) => assert!(
                !parsed && e == NumberError::Invalid,
                "{m:?} → {shown:?} → {e:?}"
            ),
        }
    }
    if !m.is_negative() {
        let written = to_chinese_uppercase(m);
        let back = parse_chinese_uppercase(&written);
        assert!(
            back == Some(m) || (!parsed && back.is_none()),
            "{m:?} → {written:?} → {back:?}"
        );
    }
}
