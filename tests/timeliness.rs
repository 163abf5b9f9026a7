//! Disclosure deadlines as a committee reads them in `sanwu check`: a period is due by the last
//! day of the month after it ends (a quarter ending 06-30 by 07-31, February by 03-31), and the
//! fund's statement at the cadence `config.toml` sets.

mod common;

use common::Portal;

/// `code` is not reported on `last_day`, and on `first_late_day` it is, saying `message`.
fn assert_due(portal: &Portal, code: &str, last_day: &str, first_late_day: &str, message: &str) {
    let check_on = |today: &str| {
        let run = portal.run(&["check", "--today", today]);
        assert_ne!(run.code, 2, "{}", run.stderr);
        run.stderr
    };
    let on_time = check_on(last_day);
    assert!(!on_time.contains(code), "{last_day}: {on_time}");
    let late = check_on(first_late_day);
    assert!(late.contains(message), "{first_late_day}: {late}");
}

fn add_to_config(portal: &Portal, toml: &str) {
    let config = portal.read("config.toml");
    portal.write("config.toml", &format!("{config}\n{toml}"));
}

#[test]
fn a_quarter_ending_on_the_30th_is_due_on_the_31st_of_the_next_month() {
    let portal = Portal::copy_of("examples/starter");
    // The ledger stops with the second quarter (the 2025-09-30 entry goes).
    let revenue = portal.read("content/xingfuli/revenue.csv");
    let kept: String = revenue
        .lines()
        .filter(|l| !l.starts_with("2025-09-30"))
        .map(|l| format!("{l}\n"))
        .collect();
    portal.write("content/xingfuli/revenue.csv", &kept);
    assert_due(
        &portal,
        "revenue-disclosure-overdue",
        "2025-10-31",
        "2025-11-01",
        "2025年第3季度的收支应在 2025-10-31 前公示，自 2025-11-01 起逾期",
    );
}

#[test]
fn february_is_due_at_the_end_of_march_also_in_a_leap_year() {
    let portal = Portal::copy_of("examples/starter");
    add_to_config(&portal, "[cadence]\nrevenue = \"monthly\"\n");
    portal.write(
        "content/xingfuli/revenue.csv",
        "日期,类别,项目,相对方,收入金额,合理成本,净收益,去向,决议,凭证号,备注\n\
         2024-01-20,停车,地面临时停车费（1月）,小区车主,\"1,000.00\",100.00,900.00,维修资金,2023年第一次业主大会决议,GS2024-001,\n",
    );
    assert_due(
        &portal,
        "revenue-disclosure-overdue",
        "2024-03-31",
        "2024-04-01",
        "2024年2月的收支应在 2024-03-31 前公示",
    );
}

#[test]
fn the_fund_statement_follows_its_cadence() {
    let portal = Portal::copy_of("examples/starter");
    // The last 结存 is 2025-12-31.
    assert_due(
        &portal,
        "fund-statement-overdue",
        "2026-12-31",
        "2027-01-01",
        "已超过 12 个月",
    );
    add_to_config(&portal, "[cadence]\nfund = \"half-yearly\"\n");
    assert_due(
        &portal,
        "fund-statement-overdue",
        "2026-06-30",
        "2026-07-01",
        "维修资金最近一次对账结存是 2025-12-31，已超过 6 个月（截至 2026-07-01）",
    );
}
