//! `sanwu import`: real exports (GBK, Chinese header aliases, 万元 units, full-width digits,
//! thousands separators, ¥, 合计/小计 rows, Excel serial dates, Chinese periods, CRLF) turned into
//! canonical ledgers by the real binary; broken exports reported cell by cell with nothing written.
//! The exports are in `tests/fixtures/import/`, each with the ledger it must become.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, Portal, Run};

fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures/import").join(name)
}

/// Runs `sanwu` in `dir` (the fixtures are given relative to the repository, as a user would).
fn sanwu(dir: &Path, args: &[&str]) -> (Run, Vec<u8>) {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = output.stdout.clone();
    (output.into(), stdout)
}

fn import(args: &[&str]) -> (Run, Vec<u8>) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    sanwu(&common::repo(), &all)
}

#[test]
fn the_fixture_revenue_export_really_is_gbk() {
    let bytes = std::fs::read(fixture("revenue-gbk.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    let (text, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
    assert!(!had_errors);
    assert!(text.contains("金额（万元）") && text.contains("２.８") && text.contains("\r\n合计,"));
}

#[test]
fn gbk_revenue_export_becomes_the_canonical_ledger() {
    let (run, stdout) = import(&["tests/fixtures/import/revenue-gbk.csv", "--as", "revenue"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        std::fs::read_to_string(fixture("revenue-gbk.expected.csv")).unwrap()
    );
    for line in [
        "已导入 tests/fixtures/import/revenue-gbk.csv（GB18030，4 行）→ 标准输出",
        "  - 编码 GB18030 → UTF-8",
        "  - 表头 金额（万元） → 收入金额 ×10000",
        "  - 表头 扣除成本（元） → 合理成本",
        "  - 表头 收益去向 → 去向",
        "  - 核对并删除 1 个合计行",
        "  - 重新排序 2 行",
        "  - 规范化 10 个金额",
        "  - 转换 3 个日期",
        "  - 转换 1 个期间",
        "  - 统一 3 个名称",
        "  - 补全 2 个净收益",
        "  - 换行改为 LF",
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "missing {line:?} in\n{}",
            run.stderr
        );
    }
    // Full-width ２.８ in a 万元 column is 28,000 yuan; the Excel serial 45386 is 2024-04-04.
    let expected = std::fs::read_to_string(fixture("revenue-gbk.expected.csv")).unwrap();
    assert!(expected.starts_with(
        "\u{feff}日期,类别,项目,相对方,收入金额,合理成本,净收益,去向,决议,凭证号,备注\n\
         2024-01-18,基站,通信基站场地年租金（2024年度）,中国铁塔股份有限公司某市分公司,28000.00,1540.00,26460.00,"
    ));
    assert!(expected.contains("\n2024-04-04,停车,"));
    assert!(expected.contains(
        "\n2024Q2,广告,电梯轿厢广告位租金,某传媒有限公司,7200.00,432.00,6768.00,抵扣物业费,"
    ));
}

#[test]
fn fees_export_with_subtotals_and_fund_export_with_serial_dates() {
    let (run, stdout) = import(&["tests/fixtures/import/fees-wps.csv", "--as", "fees"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        stdout,
        std::fs::read(fixture("fees-wps.expected.csv")).unwrap()
    );
    assert!(
        run.stderr.contains("  - 核对并删除 3 个合计行"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("  - 转换 4 个期间"), "{}", run.stderr);

    let (run, stdout) = import(&[
        "tests/fixtures/import/fund-bank.csv",
        "--as",
        "fund",
        "--lang",
        "en",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        stdout,
        std::fs::read(fixture("fund-bank.expected.csv")).unwrap()
    );
    assert!(
        run.stderr.contains(
            "imported tests/fixtures/import/fund-bank.csv (UTF-8, 4 rows) → standard output"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("  - converted 4 dates"),
        "{}",
        run.stderr
    );
    // The declared balance of 2024-06-21 stays after that day's interest, whatever the dates.
    assert!(
        String::from_utf8(stdout)
            .unwrap()
            .contains("2024-06-21,利息,1031.25,,,2024年上半年结息\n2024-06-21,结存,413531.25,")
    );
}

#[test]
fn broken_export_is_reported_cell_by_cell_and_nothing_is_written() {
    let portal = Portal::copy_of("examples/starter");
    let before = std::fs::read(portal.path("content/xingfuli/revenue.csv")).unwrap();
    let export = fixture("revenue-broken.csv");
    let (run, stdout) = sanwu(
        portal.dir.path(),
        &[
            "import",
            export.to_str().unwrap(),
            "--as",
            "revenue",
            "--into",
            "content/xingfuli",
            "--force",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(stdout.is_empty());
    let err = run
        .stderr
        .replace(export.to_str().unwrap(), "revenue-broken.csv");
    for expected in [
        "error[date-invalid]: “2024-02-30”不是有效的日期（日期）\n  ┌─ revenue-broken.csv:3:1\n",
        "error[enum-invalid]: “停车场地”不是“类别”的可选值\n  ┌─ revenue-broken.csv:3:12\n",
        "error[money-invalid]: “12,34”不是有效的金额（合理成本）\n  ┌─ revenue-broken.csv:4:49\n",
        "error[csv-subtotal-mismatch]: 合计行的“收入金额”为 ¥94,000.00，但上方 3 行之和为 ¥86,050.00\n  ┌─ revenue-broken.csv:5:7\n",
        "= 文件编码：GB18030",
        "4 个错误，0 个警告",
        "导出文件有错误，未写入任何文件。",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert_eq!(
        std::fs::read(portal.path("content/xingfuli/revenue.csv")).unwrap(),
        before
    );

    let (run, _) = import(&[
        "tests/fixtures/import/revenue-broken.csv",
        "--as",
        "revenue",
        "--lang",
        "en",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the export has errors; nothing was written."),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("file encoding: GB18030"),
        "{}",
        run.stderr
    );
}

#[test]
fn import_into_a_compound_refuses_to_overwrite_then_checks_clean() {
    let portal = Portal::copy_of("examples/starter");
    let export = fixture("revenue-gbk.csv");
    let export = export.to_str().unwrap();
    let args = [
        "import",
        export,
        "--as",
        "revenue",
        "--into",
        "content/xingfuli",
    ];
    let before = portal.read("content/xingfuli/revenue.csv");
    let (run, _) = sanwu(portal.dir.path(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("错误: content/xingfuli/revenue.csv 已存在，未覆盖"),
        "{}",
        run.stderr
    );
    assert_eq!(portal.read("content/xingfuli/revenue.csv"), before);

    let (run, stdout) = sanwu(portal.dir.path(), &[&args[..], &["--force"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(stdout.is_empty());
    assert!(
        run.stderr.contains("→ content/xingfuli/revenue.csv"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(portal.path("content/xingfuli/revenue.csv")).unwrap(),
        std::fs::read(fixture("revenue-gbk.expected.csv")).unwrap()
    );
    let check = portal.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    // What import writes is what fmt would write.
    let fmt = portal.run(&["fmt", "--check"]);
    assert!(
        !fmt.stderr.contains("revenue.csv"),
        "import and fmt disagree:\n{}",
        fmt.stderr
    );
}

#[test]
fn import_into_a_missing_folder_or_with_an_unknown_column_writes_nothing() {
    let portal = Portal::copy_of("examples/starter");
    let export = fixture("fees-wps.csv");
    let (run, _) = sanwu(
        portal.dir.path(),
        &[
            "import",
            export.to_str().unwrap(),
            "--as",
            "fees",
            "--into",
            "content/xingfu",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("目录 content/xingfu 不存在"),
        "{}",
        run.stderr
    );
    assert!(!portal.path("content/xingfu").exists());

    // A column sanwu does not know would be lost: refused, even though `check` only warns.
    portal.write(
        "export.csv",
        "日期,类型,金额,经办人\n2025-01-01,交存,\"1,000.00\",王某\n",
    );
    let (run, stdout) = sanwu(
        portal.dir.path(),
        &["import", "export.csv", "--as", "fund", "--lang", "en"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(stdout.is_empty());
    assert!(
        run.stderr
            .contains("error[csv-unknown-column]: unknown column “经办人”"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("export.csv:1:10"), "{}", run.stderr);
}
