//! Bad input never panics, never publishes, and is explained at the exact cell, in Chinese by
//! default and in English on request. The previously published site stays exactly as it was.

mod common;

use common::{Portal, leftovers, snapshot_tree};

/// Builds the starter once (the "published" site), applies `break_it`, builds again and checks
/// that the second build failed with exit code 1 and left `public/` untouched. Returns stderr.
fn failing_rebuild(break_it: impl FnOnce(&Portal)) -> (Portal, String) {
    let portal = Portal::copy_of("examples/starter");
    assert_eq!(portal.build().code, 0);
    let before = snapshot_tree(&portal.path("public"));
    break_it(&portal);
    let run = portal.build();
    assert_eq!(run.code, 1, "expected data errors: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains("未发布"), "{}", run.stderr);
    assert_eq!(
        snapshot_tree(&portal.path("public")),
        before,
        "public/ changed"
    );
    assert!(
        leftovers(portal.dir.path()).is_empty(),
        "staging left behind"
    );
    (portal, run.stderr)
}

#[test]
fn unparsable_amount_is_located_and_nothing_is_published() {
    let (_, err) = failing_rebuild(|p| {
        p.edit(
            "content/xingfuli/fees.csv",
            "\"100,771.20\"",
            "\"100,77x.20\"",
        )
    });
    assert!(err.contains("content/xingfuli/fees.csv:2:35"), "{err}");
    assert!(err.contains("money-invalid"), "{err}");
    assert!(
        err.contains("“100,77x.20”不是有效的金额（实收金额）"),
        "{err}"
    );
    assert!(err.contains("提示：金额写成"), "{err}");
    assert!(err.contains("1 个错误"), "{err}");
}

#[test]
fn english_messages_on_request() {
    let portal = Portal::copy_of("examples/starter");
    portal.edit("content/xingfuli/fees.csv", "2025Q3", "2025Q5");
    let run = portal.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/xingfuli/fees.csv:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("“2025Q5” is not a period (期间)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: write periods as 2024 (year)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 error, 0 warnings"), "{}", run.stderr);
    assert!(!portal.path("public").exists(), "check writes nothing");
}

#[test]
fn declared_balance_that_does_not_reconcile() {
    let (_, err) =
        failing_rebuild(|p| p.edit("content/xingfuli/fund.csv", "387,675.25", "387,675.20"));
    assert!(err.contains("content/xingfuli/fund.csv:7:16"), "{err}");
    assert!(
        err.contains("声明的结存 ¥387,675.20 与账面余额 ¥387,675.25 不符，相差 -¥0.05"),
        "{err}"
    );
}

#[test]
fn toml_syntax_error() {
    let (_, err) = failing_rebuild(|p| {
        p.edit(
            "content/xingfuli/tenders/roof-2025.toml",
            "title = \"3号楼",
            "title = 3号楼",
        )
    });
    assert!(err.contains("toml-syntax"), "{err}");
    assert!(
        err.contains("content/xingfuli/tenders/roof-2025.toml:2:"),
        "{err}"
    );
}

#[test]
fn money_written_as_a_float_is_refused() {
    let (_, err) = failing_rebuild(|p| {
        p.edit(
            "content/xingfuli/projects/roof-repair.toml",
            "budget = \"42,000.00\"",
            "budget = 42000.5",
        )
    });
    assert!(
        err.contains("content/xingfuli/projects/roof-repair.toml:5:10"),
        "{err}"
    );
    assert!(err.contains("money-float"), "{err}");
}

#[test]
fn unknown_references_between_ledgers() {
    let (_, err) = failing_rebuild(|p| {
        p.edit(
            "content/xingfuli/fund.csv",
            ",roof-repair,",
            ",roof-repairs,",
        );
        p.edit(
            "content/xingfuli/projects/roof-repair.toml",
            "tender = \"roof-2025\"",
            "tender = \"roof-2024\"",
        );
    });
    assert!(err.contains("fund-unknown-project"), "{err}");
    assert!(err.contains("项目“roof-repairs”不存在"), "{err}");
    assert!(err.contains("已有的项目：roof-repair"), "{err}");
    assert!(err.contains("project-unknown-tender"), "{err}");
    // Both are reported in one run, sorted by file.
    assert!(
        err.find("fund.csv").unwrap() < err.find("roof-repair.toml").unwrap(),
        "{err}"
    );
}

#[test]
fn wrong_column_and_bad_csv() {
    let (_, err) = failing_rebuild(|p| {
        p.edit("content/xingfuli/revenue.csv", "收入金额", "收入金");
    });
    assert!(err.contains("csv-missing-column"), "{err}");
    assert!(err.contains("缺少“收入金额”列"), "{err}");
    assert!(err.contains("csv-unknown-column"), "{err}");

    let (_, err) = failing_rebuild(|p| {
        p.edit(
            "content/xingfuli/fees.csv",
            "\"107,136.00\",\"101,779.20\"",
            "107,136.00,\"101,779.20\"",
        );
    });
    assert!(err.contains("csv-row-length"), "{err}");
    assert!(err.contains("content/xingfuli/fees.csv:3:1"), "{err}");
}

#[test]
fn gbk_file_with_an_error_names_its_encoding() {
    let (_, err) = failing_rebuild(|p| {
        let text = p
            .read("content/xingfuli/revenue.csv")
            .replace("\"6,000.00\"", "\"6,000.00.0\"");
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        std::fs::write(p.path("content/xingfuli/revenue.csv"), bytes).unwrap();
    });
    assert!(err.contains("content/xingfuli/revenue.csv:3:"), "{err}");
    assert!(err.contains("文件编码：GB18030"), "{err}");
}

#[test]
fn gbk_export_with_chinese_headers_and_units_builds() {
    let portal = Portal::copy_of("examples/starter");
    let text = portal
        .read("content/xingfuli/revenue.csv")
        .replace("收入金额", "收入金额（元）")
        .replace("合理成本", "合理成本(元)");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(portal.path("content/xingfuli/revenue.csv"), bytes).unwrap();
    let run = portal.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        portal
            .page_text("xingfuli/revenue.html")
            .contains("电梯轿厢广告位租金")
    );
}

#[test]
fn operational_failures_exit_2_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let run: common::Run = std::process::Command::new(common::BIN)
        .args(["build", "--root", "no-such-portal"])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-portal"), "{}", run.stderr);

    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let run: common::Run = std::process::Command::new(common::BIN)
        .args(["check", "--root", "empty", "--lang", "en"])
        .current_dir(dir.path())
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("config.toml not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_format_for_tools() {
    let portal = Portal::copy_of("examples/starter");
    portal.edit("content/xingfuli/fees.csv", "2025Q3", "2025Q5");
    let run = portal.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "period-invalid");
    assert_eq!(d["file"], "content/xingfuli/fees.csv");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 1);
    assert_eq!(json["errors"], 1);
}

#[test]
fn severity_can_be_changed_in_config() {
    let portal = Portal::copy_of("examples/starter");
    portal.write(
        "content/xingfuli/fees.csv",
        &(portal.read("content/xingfuli/fees.csv")
            + "2025Q4,商业,10,10,\"1,000.00\",\"1,000.00\",0,\n"),
    );
    let run = portal.check();
    assert_eq!(run.code, 0, "a warning only: {}", run.stderr);
    assert!(
        run.stderr.contains("fees-building-type-unknown"),
        "{}",
        run.stderr
    );
    let config =
        portal.read("config.toml") + "\n[diagnostics]\nfees-building-type-unknown = \"error\"\n";
    portal.write("config.toml", &config);
    assert_eq!(portal.check().code, 1);
    let config = portal
        .read("config.toml")
        .replace("= \"error\"", "= \"off\"");
    portal.write("config.toml", &config);
    let run = portal.check();
    assert_eq!(run.code, 0);
    assert!(
        !run.stderr.contains("fees-building-type-unknown"),
        "{}",
        run.stderr
    );
}

#[test]
fn crlf_export_is_located_on_the_right_line() {
    // Excel writes CRLF line ends; the finding must point at the cell, not the previous line's end.
    let portal = Portal::copy_of("examples/starter");
    let text = portal
        .read("content/xingfuli/fees.csv")
        .replace("\"100,771.20\"", "\"9x0.00\"")
        .replace('\n', "\r\n");
    portal.write("content/xingfuli/fees.csv", &text);
    let run = portal.check();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/xingfuli/fees.csv:2:35"),
        "{}",
        run.stderr
    );
}

#[test]
fn data_under_a_column_without_header_is_reported() {
    let portal = Portal::copy_of("examples/starter");
    portal.edit(
        "content/xingfuli/fees.csv",
        "\"1,440.00\",",
        "\"1,440.00\",,补交",
    );
    portal.edit(
        "content/xingfuli/fees.csv",
        "清欠金额,备注",
        "清欠金额,备注,",
    );
    let run = portal.check();
    assert!(run.stderr.contains("未知的列“#9”"), "{}", run.stderr);
}
