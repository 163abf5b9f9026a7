//! Inputs found by fuzzing (`fuzz/`) and by the review that came with it, kept as regression tests:
//! no input may make a parser panic, and what is printed must read back to the same value. The
//! last group holds adversarial inputs that already behave; they guard against regressions.

use std::path::Path;
use std::sync::Arc;

use sanwu::diag::render::{to_json, to_text};
use sanwu::diag::{Diagnostics, Lang, SourceFile};
use sanwu::ledger::amount::{
    Area, Money, NumberError, Price, parse_chinese_uppercase, to_chinese_uppercase,
};
use sanwu::ledger::calendar::{Period, parse_date};
use sanwu::ledger::{compound, fees, fund, notice, project, revenue, tender};
use sanwu::load::decode::decode;
use sanwu::parse::front_matter::split;

/// Decodes `bytes` the way the loader does.
fn source(bytes: &[u8], name: &str) -> Arc<SourceFile> {
    let (text, encoding) = decode(bytes).expect("decodable");
    Arc::new(SourceFile::new(
        Path::new(name),
        name.to_string(),
        text,
        encoding,
    ))
}

/// Renders every finding in every form, checking that spans stay inside the file.
fn render(diags: &Diagnostics) {
    for d in diags.iter() {
        if let (Some(file), Some(span)) = (&d.file, &d.span) {
            assert!(
                span.start <= span.end && span.end <= file.text.len(),
                "{span:?}"
            );
            let _ = (file.line_col(span.start), file.line_col(span.end));
        }
    }
    for lang in [Lang::Zh, Lang::En] {
        let _ = to_text(diags, lang);
        let _ = to_json(diags, lang);
    }
}

fn codes(diags: &Diagnostics) -> Vec<&'static str> {
    diags.iter().map(|d| d.code).collect()
}

// ---------------------------------------------------------------------------------------------
// Found by the `money` target.

/// `to_chinese_uppercase` drops the 亿 of the 亿 group when that group is zero but a higher one
/// is not: 8,670,000,951,683,912.26 yuan (groups 867|0000|9516|8391) was written
/// 捌佰陆拾柒万零玖仟伍佰壹拾陆万…, which reads back as 103,838,391.26 yuan.
#[test]
fn uppercase_writer_drops_yi_when_the_yi_group_is_zero() {
    let input: &[u8] = b"\xd6\x30\x46\x05\x33\x05\x34\x01\xdc\xc9\xb7\xb9\xab\xcb\xbe";
    let fen = i64::from_le_bytes(input[..8].try_into().unwrap());
    assert_eq!(fen, 86_700_009_516_839_126);
    let written = to_chinese_uppercase(Money(fen));
    assert_eq!(
        parse_chinese_uppercase(&written),
        Some(Money(fen)),
        "{written}"
    );
    // The smallest case: one 万亿 yuan.
    assert_eq!(
        to_chinese_uppercase(Money(100_000_000_000_000)),
        "壹万亿元整"
    );
    // And one 亿亿 yuan.
    assert_eq!(
        to_chinese_uppercase(Money(1_000_000_000_000_000_000)),
        "壹亿亿元整"
    );
}
