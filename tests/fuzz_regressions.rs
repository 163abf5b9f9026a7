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

// ---------------------------------------------------------------------------------------------
// Found by the `csv_ledger` target (the finding about a cell must point at that cell).

/// A `"` inside an unquoted cell (6"水管, 0") is a literal character for the csv reader, but
/// `field_offsets` took it for the start of a quoted field and ran to the end of the line (or the
/// next quote): that cell's span swallowed the rest of the row and the cells after it had none, so
/// their findings pointed at the start of the row.
#[test]
fn mid_field_quote_shifts_cell_spans() {
    // Minimised by `cargo fuzz tmin csv_ledger`.
    let input: &[u8] =
        b"\xe6\x97\xa5\xe6\x9c\x9f,\xe7\xb1\xbb\xe5\x88\xab,\xe9\x87\x91\xe9\xa2\x9d,,\n,,0\",,";
    let file = source(input, "fund.csv");
    let mut diags = Diagnostics::new();
    fund::parse(&file, &mut diags);
    render(&diags);
    let d = diags
        .iter()
        .find(|d| d.code == "money-invalid")
        .expect("0\" is not an amount");
    assert_eq!(&file.text[d.span.clone().unwrap()], "0\"");

    // The same with a realistic row: an inch mark in the memo, a bad amount after it.
    let file = source(
        "摘要,金额,日期,类型\n更换6\"水管,12x,2024-01-02,支取\n".as_bytes(),
        "fund.csv",
    );
    let mut diags = Diagnostics::new();
    fund::parse(&file, &mut diags);
    render(&diags);
    let d = diags
        .iter()
        .find(|d| d.code == "money-invalid")
        .expect("12x is not an amount");
    assert_eq!(&file.text[d.span.clone().unwrap()], "12x");
    assert_eq!(d.position().map(|p| (p.line, p.column)), Some((2, 8)));
}

// ---------------------------------------------------------------------------------------------
// Found by reading the parsers while writing the targets; the targets did not reach them in the
// runs recorded in fuzz/README.md. Each panics with "attempt to add with overflow" wherever
// overflow checks are on (debug builds, `cargo test`, the fuzz builds) and gives a wrong result
// silently in release builds.

/// The largest amount in 大写 followed by 玖角: the integer part fits in i64 fen, the 角 added
/// after it does not (`fen += d * 10` in `parse_chinese_uppercase`).
#[test]
fn uppercase_jiao_after_the_largest_amount_overflows() {
    let text = "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元玖角";
    assert_eq!(parse_chinese_uppercase(text), None);
    let text = "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元玖分";
    assert_eq!(parse_chinese_uppercase(text), None);
    // The same through a revenue ledger with a 大写 column.
    let csv = "日期,类别,收入金额,收入金额（大写）,去向\n\
               2024-01-02,停车,1,玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元玖角,维修资金\n";
    let file = source(csv.as_bytes(), "revenue.csv");
    let mut diags = Diagnostics::new();
    revenue::parse(&file, &mut diags);
    render(&diags);
    assert_eq!(codes(&diags), ["money-uppercase-invalid"]);
}

/// Two rows of ¥92,233,720,368,547,758 under a 合计 row: each fits in i64 fen, their sum does not
/// (`sum += m` in `Table::check_subtotals`).
#[test]
fn subtotal_sum_overflows_on_huge_rows() {
    let csv = "日期,类别,收入金额,去向\n\
               2024-01-01,停车,92233720368547758,维修资金\n\
               2024-01-02,停车,92233720368547758,维修资金\n\
               合计,,1,\n";
    let file = source(csv.as_bytes(), "revenue.csv");
    let mut diags = Diagnostics::new();
    let entries = revenue::parse(&file, &mut diags);
    render(&diags);
    // Amounts above Money::MAX (one 万亿 yuan) are refused where they stand, so no sum of a
    // ledger can overflow; nothing panics.
    assert!(entries.is_empty());
    assert_eq!(
        codes(&diags)
            .iter()
            .filter(|c| **c == "money-invalid")
            .count(),
        2
    );
}

/// rust_decimal keeps 28 decimal places and rounds the rest away, so amounts that are finer than
/// a fen were accepted as whole fen: the doc of `parse_fixed` promises they are refused.
#[test]
fn digits_past_28_decimal_places_are_refused_not_rounded() {
    for text in [
        "0.00000000000000000000000000001",
        "1.000000000000000000000000000001",
        "10000000000.000000000000000001",
    ] {
        assert_eq!(
            Money::parse(text),
            Err(NumberError::FinerThanUnit),
            "{text}"
        );
    }
    // Trailing zeros are exact, however many.
    assert_eq!(
        Money::parse("12.500000000000000000000000000000000"),
        Ok(Money(1_250))
    );
}

/// An integer amount in TOML too large for i64 fen (`budget = 9223372036854775807`) was dropped
/// without a finding, as if the key were absent: `Fields::money` returns the `None` of
/// `checked_mul` without reporting it (areas and prices do report theirs).
#[test]
fn toml_integer_amount_too_large_is_reported() {
    let toml = "title = \"外墙维修\"\nbudget = 9223372036854775807\n\n[[bid]]\nbidder = \"甲公司\"\namount = 1\n";
    let file = source(toml.as_bytes(), "tenders/t.toml");
    let mut diags = Diagnostics::new();
    let t = tender::parse("t", &file, &mut diags).expect("the tender reads");
    render(&diags);
    assert_eq!(t.budget, None);
    let d = diags
        .iter()
        .find(|d| d.code == "money-invalid")
        .expect("the budget is reported");
    assert_eq!(&file.text[d.span.clone().unwrap()], "9223372036854775807");
}

// ---------------------------------------------------------------------------------------------
// Adversarial inputs that already behave.

#[test]
fn huge_numbers_are_refused_not_wrapped() {
    let nines = "9".repeat(10_000);
    assert_eq!(Money::parse(&nines), Err(NumberError::Invalid));
    assert_eq!(Area::parse(&nines), Err(NumberError::Invalid));
    assert_eq!(Price::parse(&nines), Err(NumberError::Invalid));
    // One 万亿 yuan is the most a ledger may state; beyond it amounts are refused, not wrapped.
    assert_eq!(Money::parse("1000000000000.00"), Ok(Money::MAX));
    assert_eq!(Money::parse("-1000000000000"), Ok(Money(-Money::MAX.0)));
    assert_eq!(Money::parse("1000000000000.01"), Err(NumberError::Invalid));
    assert_eq!(
        Money::parse("92233720368547758.07"),
        Err(NumberError::Invalid)
    );
    assert_eq!(
        Money::parse("92233720368547758.08"),
        Err(NumberError::Invalid)
    );
    assert_eq!(
        Money::parse_scaled("922337203685477.59", 10_000),
        Err(NumberError::Invalid)
    );
    assert_eq!(
        Money::parse("9223372036854.7759万"),
        Err(NumberError::Invalid)
    );
    assert_eq!(Price::parse("922337203685477.5807"), Ok(Price(i64::MAX)));
    assert_eq!(parse_chinese_uppercase(&"玖亿".repeat(5)), None);
    assert_eq!(parse_date("99999-1-1"), None);
    assert_eq!(parse_date("2024-99999999999-1"), None);
    assert_eq!(Period::parse("2024-99999999999999999999"), None);
    // Every printed form of the extremes reads back.
    for fen in [Money::MAX.0, -Money::MAX.0, 0, 1, -1] {
        let m = Money(fen);
        assert_eq!(Money::parse(&m.to_yuan_string()), Ok(m));
        assert_eq!(Money::parse(&m.to_plain_string()), Ok(m));
    }
    let written = to_chinese_uppercase(Money(i64::MAX));
    assert_eq!(parse_chinese_uppercase(&written), Some(Money(i64::MAX)));
}

#[test]
fn deep_toml_nesting_is_a_finding_not_a_stack_overflow() {
    for depth in [1_000, 100_000] {
        for toml in [
            format!("name = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
            format!("name = {}1{}\n", "{a=".repeat(depth), "}".repeat(depth)),
            format!("name = {}\n", "[".repeat(depth)),
            format!("{}\n", "[a.".repeat(depth)),
        ] {
            let file = source(toml.as_bytes(), "compound.toml");
            let mut diags = Diagnostics::new();
            assert!(compound::parse(&file, &mut diags).is_none());
            assert!(project::parse("p", &file, &mut diags).is_none());
            assert!(tender::parse("t", &file, &mut diags).is_none());
            render(&diags);
            assert!(
                codes(&diags)
                    .iter()
                    .all(|c| *c == "toml-syntax" || *c == "toml-field"),
                "{depth}: {:?}",
                codes(&diags)
            );
        }
    }
}

#[test]
fn lone_and_unbalanced_quotes() {
    for csv in [
        "\"",
        "期间,建筑类型\n\"",
        "\"期间,建筑类型,应缴户数\n",
        "期间,建筑类型,应缴户数,已缴户数,应收金额,实收金额\n2024Q1,\"住宅,1,1,1,1\n",
        "期间,建筑类型,应缴户数,已缴户数,应收金额,实收金额\n2024Q1,住宅,1,1,\"1\"\"\",1\n",
        "日期,类型,金额\n\"\"\"\",\"\",\"\n",
    ] {
        let file = source(csv.as_bytes(), "ledger.csv");
        let mut diags = Diagnostics::new();
        assert!(fees::parse(&file, &mut diags).is_empty(), "{csv:?}");
        assert!(fund::parse(&file, &mut diags).is_empty(), "{csv:?}");
        render(&diags);
        assert!(!diags.is_empty(), "{csv:?}");
    }
}

const FEES: &str = "期间,建筑类型,应缴户数,已缴户数,应收金额,实收金额\n\
                    2024Q1,高层住宅,360,341,\"361,590.53\",\"342,108.51\"\n\
                    2024Q2,高层住宅,360,349,\"361,590.53\",\"350,045.00\"\n";

#[test]
fn cr_only_line_ends_read_like_lf() {
    let read = |text: &str| {
        let file = source(text.as_bytes(), "fees.csv");
        let mut diags = Diagnostics::new();
        let rows = fees::parse(&file, &mut diags);
        render(&diags);
        assert!(diags.is_empty(), "{:?}", codes(&diags));
        rows.iter()
            .map(|r| {
                (
                    r.period,
                    r.received,
                    file.text[r.origin.span.clone()].to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let lf = read(FEES);
    assert_eq!(lf.len(), 2);
    assert_eq!(read(&FEES.replace('\n', "\r")), lf);
    assert_eq!(read(&FEES.replace('\n', "\r\n")), lf);
    // A bad cell in a CR-only file is still found at its own cell.
    let file = source(
        FEES.replace('\n', "\r").replace("341", "34x").as_bytes(),
        "fees.csv",
    );
    let mut diags = Diagnostics::new();
    fees::parse(&file, &mut diags);
    render(&diags);
    let d = diags.iter().find(|d| d.code == "int-invalid").unwrap();
    assert_eq!(&file.text[d.span.clone().unwrap()], "34x");
}

#[test]
fn bom_in_the_middle() {
    // Before a header cell: ignored, like the BOM at the start of the file.
    let text = FEES.replacen("建筑类型", "\u{feff}建筑类型", 1);
    let file = source(text.as_bytes(), "fees.csv");
    let mut diags = Diagnostics::new();
    assert_eq!(fees::parse(&file, &mut diags).len(), 2);
    assert!(diags.is_empty(), "{:?}", codes(&diags));
    // At the start of a data row (two exports pasted together): a finding on that cell.
    let text = FEES.replacen("2024Q2", "\u{feff}2024Q2", 1);
    let file = source(text.as_bytes(), "fees.csv");
    let mut diags = Diagnostics::new();
    assert_eq!(fees::parse(&file, &mut diags).len(), 1);
    render(&diags);
    let d = diags.iter().find(|d| d.code == "period-invalid").unwrap();
    assert_eq!(&file.text[d.span.clone().unwrap()], "\u{feff}2024Q2");
    // A UTF-8 BOM after a UTF-16 one, and a BOM alone.
    assert!(decode(b"\xff\xfe\xef\xbb\xbf").is_none());
    assert_eq!(decode(b"\xef\xbb\xbf"), Some((String::new(), "UTF-8")));
    let file = source(b"\xef\xbb\xbf", "fees.csv");
    let mut diags = Diagnostics::new();
    assert!(fees::parse(&file, &mut diags).is_empty());
    render(&diags);
    assert_eq!(codes(&diags), ["csv-empty"]);
}

#[test]
fn empty_and_broken_front_matter() {
    for (text, front, body) in [
        ("+++\n+++\n正文\n", "", "正文\n"),
        ("+++\n+++", "", ""),
        ("+++\r\n+++\r\n", "", ""),
        ("+++ \n+++\t\n\n", "", "\n"),
    ] {
        let s = split(text).unwrap_or_else(|| panic!("{text:?}"));
        assert_eq!((&text[s.front], &text[s.body]), (front, body), "{text:?}");
        let file = source(text.as_bytes(), "notices/n.md");
        let mut diags = Diagnostics::new();
        assert!(notice::parse("n", &file, &mut diags).is_none());
        render(&diags);
        assert_eq!(codes(&diags), ["field-required", "field-required"]);
    }
    for text in [
        "",
        "+++",
        "+++\n",
        "++\n+++\n",
        "+++\ntitle = \"t\"\n",
        "\n+++\n+++\n",
    ] {
        assert_eq!(split(text), None, "{text:?}");
        let file = source(text.as_bytes(), "notices/n.md");
        let mut diags = Diagnostics::new();
        assert!(notice::parse("n", &file, &mut diags).is_none());
        render(&diags);
        assert_eq!(codes(&diags), ["front-matter-missing"], "{text:?}");
    }
    // A fence inside a TOML string ends the front matter there: a syntax finding, not a panic.
    let text = "+++\ntitle = \"\"\"\n+++\n\"\"\"\n+++\n";
    let file = source(text.as_bytes(), "notices/n.md");
    let mut diags = Diagnostics::new();
    assert!(notice::parse("n", &file, &mut diags).is_none());
    render(&diags);
    assert_eq!(codes(&diags), ["toml-syntax"]);
}

#[test]
fn undecodable_bytes() {
    // Odd UTF-16, lone surrogates, bytes GB18030 refuses.
    for bytes in [
        &b"\xff\xfeA"[..],
        b"\xff\xfe\x00\xd8",
        b"\xfe\xff\xdc\x00",
        b"\xff\xff\x81",
        b"\x81\x30\xff",
    ] {
        assert_eq!(decode(bytes), None, "{bytes:?}");
    }
}
