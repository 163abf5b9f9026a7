//! One failing fixture per diagnostic code: each case breaks the starter portal in one way, runs
//! `sanwu check`, asserts that the code is reported, and keeps the rendered diagnostics (what the
//! treasurer reads) as a snapshot. A guard test makes sure every code of the catalog has a case.

mod common;

use common::Portal;

/// A way of breaking the starter portal.
enum Edit {
    /// Replace the first occurrence of a text in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Write a file (text).
    Write(&'static str, &'static str),
    /// Write raw bytes.
    Bytes(&'static str, &'static [u8]),
    /// Rewrite a file's text.
    Transform(&'static str, fn(&str) -> String),
}

/// Adds an owner key column in which the first two units share one owner.
fn one_owner_of_two_units(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line},业主标识\n"),
            1 | 2 => format!("{line},k7f3a\n"),
            _ => format!("{line},k{i:04}\n"),
        })
        .collect()
}

const CONFIG: &str = "config.toml";
const FEES: &str = "content/xingfuli/fees.csv";
const REVENUE: &str = "content/xingfuli/revenue.csv";
const FUND: &str = "content/xingfuli/fund.csv";
const COMPOUND: &str = "content/xingfuli/compound.toml";
const PROJECT: &str = "content/xingfuli/projects/roof-repair.toml";
const SHARES: &str = "content/xingfuli/projects/roof-repair.csv";
const TENDER: &str = "content/xingfuli/tenders/roof-2025.toml";
const NOTICE: &str = "content/xingfuli/notices/2025-05-roof-vote.md";

use Edit::*;

fn cases() -> Vec<(&'static str, Vec<Edit>)> {
    vec![
        (
            "fund-vote-headcount",
            vec![Transform(SHARES, one_owner_of_two_units)],
        ),
        (
            "ledger-seal-unreadable",
            vec![Replace(
                CONFIG,
                "工程招标情况。\"",
                "工程招标情况。\"\n\n[[sealed]]\nthrough = 2025-06-30\nrevision = \"v2025h1\"",
            )],
        ),
        (
            "correction-unknown-original",
            vec![Replace(FUND, "年末结存", "冲正 WX2099-01 误记")],
        ),
        (
            "revenue-cost-share",
            vec![Replace(
                REVENUE,
                "\"8,640.00\",\"1,296.00\",\"7,344.00\"",
                "\"8,640.00\",\"5,000.00\",\"3,640.00\"",
            )],
        ),
        (
            "tender-winner-related",
            vec![Replace(
                TENDER,
                "bidder = \"某防水工程有限公司\"\n",
                "bidder = \"某防水工程有限公司\"\nrelated_to_company = \"物业公司控股子公司\"\n",
            )],
        ),
        (
            "fund-ineligible-cost",
            vec![Replace(
                PROJECT,
                "matter = \"使用维修资金\"",
                "matter = \"使用维修资金\"\ncost_nature = \"保修期内\"",
            )],
        ),
        (
            "unit-invalid",
            vec![Replace(SHARES, "3栋1单元101", "一楼101")],
        ),
        (
            "unit-duplicate",
            vec![Replace(SHARES, "3栋1单元102", "3-1-101")],
        ),
        (
            "shares-unknown-project",
            vec![Write(
                "content/xingfuli/projects/gone.csv",
                "房号,建筑面积,分摊金额\n3栋1单元101,98.50,1.00\n",
            )],
        ),
        (
            "shares-without-cost",
            vec![
                Replace(PROJECT, "settled_cost = \"38,600.00\"\n", ""),
                Replace(PROJECT, "contract_amount = \"38,600.00\"\n", ""),
            ],
        ),
        (
            "fund-shares-sum",
            vec![Replace(SHARES, "98.50,1022.07", "98.50,1023.07")],
        ),
        (
            "fund-share-rounding",
            vec![
                Replace(SHARES, "98.50,1022.07", "98.50,1023.07"),
                Replace(SHARES, "87.00,902.74", "87.00,901.74"),
            ],
        ),
        (
            "fund-shares-area",
            vec![Replace(
                SHARES,
                "3栋1单元101,98.50,1022.07",
                "3栋1单元101,99.50,1022.07",
            )],
        ),
        (
            "revenue-disclosure-overdue",
            vec![Replace(
                CONFIG,
                "output_dir = \"public\"",
                "output_dir = \"public\"\ntoday = 2026-03-01",
            )],
        ),
        (
            "fees-disclosure-overdue",
            vec![Replace(
                CONFIG,
                "output_dir = \"public\"",
                "output_dir = \"public\"\ntoday = 2027-05-01",
            )],
        ),
        (
            "fund-statement-overdue",
            vec![Replace(
                CONFIG,
                "output_dir = \"public\"",
                "output_dir = \"public\"\ntoday = 2027-01-15",
            )],
        ),
        (
            "fund-statement-missing",
            vec![
                Replace(
                    FUND,
                    "2025-12-31,结存,\"387,675.25\",,,年末结存（与银行对账单一致）\n",
                    "",
                ),
                Replace(
                    CONFIG,
                    "output_dir = \"public\"",
                    "output_dir = \"public\"\ntoday = 2025-12-31",
                ),
            ],
        ),
        (
            "notice-decision-late",
            vec![Replace(
                NOTICE,
                "kind = \"公告\"",
                "kind = \"决议\"\ndecided = 2025-04-28",
            )],
        ),
        (
            "fund-emergency-notice-missing",
            vec![Replace(
                PROJECT,
                "matter = \"使用维修资金\"",
                "matter = \"应急维修\"\nemergency_category = \"屋面渗漏\"",
            )],
        ),
        ("privacy-column", vec![Replace(REVENUE, "备注", "联系电话")]),
        (
            "privacy-number",
            vec![Replace(
                NOTICE,
                "请 3 号楼业主",
                "请 3 号楼业主（联系 13912345678）",
            )],
        ),
        (
            "privacy-person-name",
            vec![Replace(REVENUE, "某传媒有限公司", "张建国")],
        ),
        (
            "csv-subtotal-mismatch",
            vec![Replace(
                FEES,
                "2025Q4,",
                "合计,,,,\"428,544.00\",\"405,100.00\",,\n2025Q4,",
            )],
        ),
        (
            "csv-subtotal-rejected",
            vec![Replace(
                FUND,
                "2025-12-31,结存",
                "合计,交存,\"1.00\",,,\n2025-12-31,结存",
            )],
        ),
        (
            "money-uppercase-mismatch",
            vec![
                Replace(REVENUE, "收入金额,", "收入金额,收入金额（大写）,"),
                Replace(REVENUE, "\"8,640.00\",", "\"8,640.00\",捌仟陆佰元整,"),
                Replace(REVENUE, "\"6,000.00\",", "\"6,000.00\",陆仟元整,"),
                Replace(REVENUE, "\"1,200.00\",", "\"1,200.00\",,"),
            ],
        ),
        (
            "money-uppercase-invalid",
            vec![
                Replace(REVENUE, "收入金额,", "收入金额,收入金额大写,"),
                Replace(REVENUE, "\"8,640.00\",", "\"8,640.00\",八千六百四十,"),
                Replace(REVENUE, "\"6,000.00\",", "\"6,000.00\",陆仟元整,"),
                Replace(REVENUE, "\"1,200.00\",", "\"1,200.00\",,"),
            ],
        ),
        (
            "encoding-invalid",
            vec![Bytes(FEES, b"\xff\xff\x81\x30\xff")],
        ),
        (
            "toml-syntax",
            vec![Replace(TENDER, "title = \"3号楼", "title = 3号楼")],
        ),
        (
            "toml-field",
            vec![Replace(
                COMPOUND,
                "households = 320",
                "households = 320\nhouse_count = 320",
            )],
        ),
        (
            "field-required",
            vec![Replace(COMPOUND, "name = \"幸福里小区\"", "name = \"\"")],
        ),
        (
            "csv-row-length",
            vec![Replace(
                FEES,
                "\"107,136.00\",\"101,779.20\"",
                "107,136.00,\"101,779.20\"",
            )],
        ),
        ("csv-empty", vec![Write(FEES, "")]),
        (
            "csv-missing-column",
            vec![Replace(REVENUE, "收入金额", "收入总额")],
        ),
        (
            "csv-duplicate-column",
            vec![Replace(REVENUE, "凭证号", "决议")],
        ),
        (
            "csv-unknown-column",
            vec![Replace(REVENUE, "备注", "经办人")],
        ),
        (
            "money-invalid",
            vec![Replace(FEES, "\"100,771.20\"", "\"100,77x.20\"")],
        ),
        (
            "money-sub-fen",
            vec![Replace(FEES, "\"100,771.20\"", "100771.205")],
        ),
        (
            "money-negative",
            vec![Replace(FEES, "\"100,771.20\"", "(100.00)")],
        ),
        (
            "money-float",
            vec![Replace(
                PROJECT,
                "budget = \"42,000.00\"",
                "budget = 42000.5",
            )],
        ),
        (
            "area-invalid",
            vec![Replace(
                COMPOUND,
                "floor_area = \"29,760.00\"",
                "floor_area = \"约三万\"",
            )],
        ),
        (
            "price-invalid",
            vec![Replace(
                COMPOUND,
                "price = \"1.20\"",
                "price = \"一元二角\"",
            )],
        ),
        (
            "int-invalid",
            vec![Replace(
                FEES,
                "2025Q2,多层住宅,320,304",
                "2025Q2,多层住宅,320户,304",
            )],
        ),
        (
            "date-invalid",
            vec![Replace(FUND, "2025-06-30,利息", "2025-06-31,利息")],
        ),
        ("period-invalid", vec![Replace(FEES, "2025Q3", "2025Q5")]),
        (
            "enum-invalid",
            vec![Replace(REVENUE, ",停车,", ",停车场地,")],
        ),
        (
            "slug-invalid",
            vec![Write(
                "content/xingfuli/notices/通知.md",
                "+++\ntitle = \"t\"\ndate = 2025-01-01\n+++\n",
            )],
        ),
        (
            "slug-reserved",
            vec![Write("content/static/fees.csv", "期间\n")],
        ),
        (
            "file-ignored",
            vec![Write("content/xingfuli/台账.xlsx", "not a ledger")],
        ),
        (
            "compound-missing",
            vec![Write("content/other/fees.csv", "期间\n")],
        ),
        (
            "front-matter-missing",
            vec![Replace(NOTICE, "+++\ntitle", "---\ntitle")],
        ),
        (
            "fees-paid-exceeds-billed",
            vec![Replace(
                FEES,
                "2025Q2,多层住宅,320,304",
                "2025Q2,多层住宅,320,324",
            )],
        ),
        (
            "fees-received-exceeds-receivable",
            vec![Replace(FEES, "\"101,779.20\"", "\"107,779.20\"")],
        ),
        (
            "fees-duplicate-row",
            vec![Replace(FEES, "2025Q2,", "2025Q1,")],
        ),
        (
            "revenue-duplicate-row",
            vec![Transform(REVENUE, |text| {
                let row = text.lines().nth(3).unwrap().replace("GS2025-003", "");
                let without = text.replace("GS2025-003", "");
                format!("{without}{row}\n")
            })],
        ),
        (
            "fees-billed-exceeds-households",
            vec![Replace(
                FEES,
                "2025Q2,多层住宅,320,304",
                "2025Q2,多层住宅,330,304",
            )],
        ),
        (
            "fees-period-overlap",
            vec![Replace(FEES, "2025Q4,", "2025,")],
        ),
        (
            "fees-building-type-unknown",
            vec![Replace(FEES, "2025Q4,多层住宅", "2025Q4,高层住宅")],
        ),
        (
            "revenue-net-mismatch",
            vec![Replace(REVENUE, "\"7,344.00\"", "\"7,434.00\"")],
        ),
        (
            "revenue-costs-exceed-gross",
            vec![Replace(REVENUE, "600.00,\"5,400.00\"", "\"6,600.00\",")],
        ),
        (
            "revenue-duplicate-voucher",
            vec![Replace(REVENUE, "GS2025-002", "GS2025-001")],
        ),
        (
            "revenue-no-resolution",
            vec![Replace(
                REVENUE,
                "业委会经费,2024年第一次业主大会决议",
                "业委会经费,",
            )],
        ),
        (
            "fund-balance-mismatch",
            vec![Replace(FUND, "387,675.25", "387,675.20")],
        ),
        (
            "fund-withdrawal-without-project",
            vec![Replace(FUND, ",roof-repair,", ",,")],
        ),
        (
            "fund-unknown-project",
            vec![Replace(FUND, ",roof-repair,", ",roof-repairs,")],
        ),
        (
            "fund-overdrawn",
            vec![Replace(
                FUND,
                "2025-01-01,交存,\"412,500.00\"",
                "2025-01-01,交存,\"12,500.00\"",
            )],
        ),
        (
            "project-unknown-tender",
            vec![Replace(
                PROJECT,
                "tender = \"roof-2025\"",
                "tender = \"roof-2024\"",
            )],
        ),
        (
            "project-vote-missing",
            vec![Write(
                PROJECT,
                "title = \"3号楼屋面防水维修\"\nsettled_cost = \"38,600.00\"\n",
            )],
        ),
        (
            "project-emergency-category-missing",
            vec![Replace(
                PROJECT,
                "matter = \"使用维修资金\"",
                "matter = \"应急维修\"",
            )],
        ),
        (
            "project-funding-mismatch",
            vec![Replace(
                PROJECT,
                "settled_cost = \"38,600.00\"",
                "settled_cost = \"39,600.00\"",
            )],
        ),
        (
            "vote-count-exceeds-total",
            vec![Replace(
                PROJECT,
                "participating_owners = 34",
                "participating_owners = 44",
            )],
        ),
        (
            "fund-vote-quorum",
            vec![
                Replace(
                    PROJECT,
                    "participating_owners = 34",
                    "participating_owners = 26",
                ),
                Replace(PROJECT, "agree_owners = 31", "agree_owners = 23"),
            ],
        ),
        (
            "fund-vote-approval",
            vec![
                Replace(PROJECT, "agree_owners = 31", "agree_owners = 17"),
                Replace(PROJECT, "oppose_owners = 2", "oppose_owners = 16"),
            ],
        ),
        (
            "fund-vote-legacy-165",
            vec![
                Replace(
                    PROJECT,
                    "method = \"纸质表决\"",
                    "method = \"纸质表决\"\nprofile = \"165号令\"",
                ),
                Replace(PROJECT, "agree_owners = 31", "agree_owners = 25"),
                Replace(PROJECT, "oppose_owners = 2", "oppose_owners = 8"),
            ],
        ),
        (
            "vote-parts-exceed-participating",
            vec![
                Replace(PROJECT, "abstain_owners = 1\n", ""),
                Replace(PROJECT, "agree_owners = 31", "agree_owners = 33"),
            ],
        ),
        (
            "vote-deemed-exceeds-absent",
            vec![Replace(
                PROJECT,
                "abstain_owners = 1",
                "abstain_owners = 1\ndeemed_agree_owners = 7",
            )],
        ),
        (
            "fund-withdrawal-unapproved",
            vec![Replace(
                PROJECT,
                "status = \"已完工\"",
                "status = \"未通过\"",
            )],
        ),
        (
            "fund-withdrawal-before-vote",
            vec![Replace(FUND, "2025-08-20,支取", "2025-05-20,支取")],
        ),
        (
            "vote-scope-total",
            vec![Replace(PROJECT, "scope = \"3号楼\"", "scope = \"全小区\"")],
        ),
        (
            "fund-vote-status-contradicts",
            vec![Replace(
                PROJECT,
                "status = \"已完工\"",
                "status = \"未通过\"",
            )],
        ),
        (
            "vote-dates-reversed",
            vec![Replace(PROJECT, "start = 2025-05-15", "start = 2025-06-15")],
        ),
        (
            "fund-vote-plan-late",
            vec![Replace(
                PROJECT,
                "plan_published = 2025-05-06",
                "plan_published = 2025-05-20",
            )],
        ),
        (
            "fund-vote-tally",
            vec![Replace(PROJECT, "abstain_owners = 1", "abstain_owners = 2")],
        ),
        (
            "fund-vote-notice-short",
            vec![Replace(
                PROJECT,
                "plan_published = 2025-05-06",
                "plan_published = 2025-05-28",
            )],
        ),
        (
            "fund-work-before-vote",
            vec![Replace(
                PROJECT,
                "start_date = 2025-07-01",
                "start_date = 2025-05-20",
            )],
        ),
        (
            "tender-winner-not-bidder",
            vec![Replace(
                TENDER,
                "winner = \"某防水工程有限公司\"",
                "winner = \"某防水公司\"",
            )],
        ),
        (
            "tender-no-bids",
            vec![Write(TENDER, "title = \"无人投标\"\n")],
        ),
        (
            "tender-unknown-project",
            vec![Replace(
                TENDER,
                "project = \"roof-repair\"",
                "project = \"roof\"",
            )],
        ),
        (
            "duplicate-bidder",
            vec![Replace(
                TENDER,
                "bidder = \"另一建筑工程有限公司\"",
                "bidder = \"某防水工程有限公司\"",
            )],
        ),
        (
            "tender-single-bidder",
            vec![Write(
                TENDER,
                "title = \"单一来源\"\nmethod = \"单一来源\"\nwinner = \"甲公司\"\n\n[[bid]]\nbidder = \"甲公司\"\namount = \"1,000.00\"\n",
            )],
        ),
        (
            "tender-winner-not-lowest",
            vec![Replace(
                TENDER,
                "winner = \"某防水工程有限公司\"",
                "winner = \"另一建筑工程有限公司\"",
            )],
        ),
        (
            "tender-contract-above-bid",
            vec![Replace(
                TENDER,
                "contract_amount = \"38,600.00\"",
                "contract_amount = \"39,600.00\"",
            )],
        ),
        (
            "tender-payments-exceed-contract",
            vec![Replace(
                TENDER,
                "contract_amount = \"38,600.00\"",
                "contract_amount = \"36,600.00\"",
            )],
        ),
        (
            "tender-publicity-short",
            vec![Replace(
                TENDER,
                "publicity_end = 2025-06-20",
                "publicity_end = 2025-06-17",
            )],
        ),
    ]
}

/// Codes no fixture can trigger, with the reason.
const UNREACHABLE: &[(&str, &str)] = &[
    (
        "ledger-sealed-edit",
        "needs a git history with a sealing revision: tests/history.rs builds one and checks the message",
    ),
    (
        "ledger-published-edit",
        "needs a git history older than the 公示期: tests/history.rs builds one and checks the message",
    ),
    (
        "csv-syntax",
        "the CSV reader is flexible and reads decoded text, so it has no syntax error left to report; kept for safety",
    ),
];

fn apply(portal: &Portal, edits: &[Edit]) {
    for edit in edits {
        match edit {
            Replace(file, from, to) => portal.edit(file, from, to),
            Write(file, text) => portal.write(file, text),
            Bytes(file, bytes) => std::fs::write(portal.path(file), bytes).unwrap(),
            Transform(file, change) => portal.write(file, &change(&portal.read(file))),
        }
    }
}

#[test]
fn every_code_has_a_failing_fixture_with_a_snapshot() {
    let catalog: toml::Table = toml::from_str(
        &std::fs::read_to_string(common::repo().join("src/diag/messages.toml")).unwrap(),
    )
    .unwrap();
    let cases = cases();
    for code in catalog.keys() {
        let covered =
            cases.iter().any(|(c, _)| c == code) || UNREACHABLE.iter().any(|(c, _)| c == code);
        assert!(
            covered,
            "diagnostic code {code} has no failing fixture in tests/diagnostics.rs"
        );
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/diagnostics");
    let _guard = settings.bind_to_scope();
    for (code, edits) in cases {
        assert!(catalog.contains_key(code), "{code} is not in the catalog");
        let portal = Portal::copy_of("examples/starter");
        apply(&portal, &edits);
        let run = portal.check();
        assert!(!run.stderr.contains("panicked"), "{code}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("[{code}]")),
            "{code} not reported:\n{}",
            run.stderr
        );
        let severity = catalog[code]["severity"].as_str().unwrap();
        if severity == "error" {
            assert_eq!(run.code, 1, "{code}: {}", run.stderr);
        }
        insta::assert_snapshot!(code, run.stderr);
    }
}

#[test]
fn the_untouched_starter_has_no_findings() {
    let run = Portal::copy_of("examples/starter").check();
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr.trim(), "0 个错误，0 个警告");
}
