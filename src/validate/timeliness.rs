//! Rules on timeliness, judged against the build date (an input, never the clock): ledgers brought
//! up to date at their disclosure cadence (P3: public revenue quarterly by default, due by the end
//! of the first month after the period; fees yearly, due by the end of the first quarter), the
//! maintenance fund's statement at least yearly (F3, 165号令第三十条), committee decisions posted
//! within three days (D1, 指导规则第三十九条), and an after-the-fact notice for every emergency use
//! of the fund (F5).

use chrono::{Datelike, Months, NaiveDate};

use crate::config::{Cadence, Rules};
use crate::diag::{Diagnostic, Diagnostics};
use crate::ledger::calendar::{Period, When};
use crate::ledger::fund::FundKind;
use crate::ledger::notice::NoticeKind;
use crate::ledger::project::Matter;
use crate::ledger::{CompoundBooks, Origin};

/// The period of `cadence` that contains `date`.
fn period_of(cadence: Cadence, date: NaiveDate) -> Option<Period> {
    let (y, m) = (date.year(), date.month() as u8);
    match cadence {
        Cadence::Monthly => Some(Period::Month(y, m)),
        Cadence::Quarterly => Some(Period::Quarter(y, (m - 1) / 3 + 1)),
        Cadence::HalfYearly => Some(Period::Half(y, if m <= 6 { 1 } else { 2 })),
        Cadence::Yearly => Some(Period::Year(y)),
        Cadence::Off => None,
    }
}

/// When the disclosure of `period` is due: by the last day of the month after it ends, or of the
/// third month after a year (a quarter ending 06-30 is due 07-31, not 07-30; February 03-31).
fn due_date(cadence: Cadence, period: Period) -> NaiveDate {
    let months = if cadence == Cadence::Yearly { 3 } else { 1 };
    period
        .end()
        .succ_opt()
        .and_then(|first| first.checked_add_months(Months::new(months)))
        .and_then(|next_first| next_first.pred_opt())
        .unwrap_or(period.end())
}

/// How old the fund's last reconciled balance may get under `cadence` (F3: yearly by default,
/// half-yearly under some local rules).
fn statement_months(cadence: Cadence) -> u32 {
    match cadence {
        Cadence::Monthly => 1,
        Cadence::Quarterly => 3,
        Cadence::HalfYearly => 6,
        Cadence::Yearly | Cadence::Off => 12,
    }
}

/// Reports the first period after `covered_through` whose disclosure is overdue on `today`.
fn check_cadence(
    code: &'static str,
    cadence: Cadence,
    covered_through: NaiveDate,
    today: NaiveDate,
    at: &Origin,
    diags: &mut Diagnostics,
) {
    let Some(next) = covered_through
        .succ_opt()
        .and_then(|d| period_of(cadence, d))
    else {
        return;
    };
    let due = due_date(cadence, next);
    if today > due {
        let mut missing = 0;
        let mut p = Some(next);
        while let Some(period) = p
            && due_date(cadence, period) < today
        {
            missing += 1;
            p = period.end().succ_opt().and_then(|d| period_of(cadence, d));
        }
        diags.push(
            Diagnostic::new(code)
                .at(&at.file, at.span.clone())
                .arg("period", next.label())
                .arg("due", due)
                .arg("since", due.succ_opt().unwrap_or(due))
                .arg("missing", missing)
                .arg("today", today),
        );
    }
}

pub fn check(books: &CompoundBooks, rules: &Rules, diags: &mut Diagnostics) {
    check_decisions(books, rules, diags);
    check_emergency_notices(books, diags);
    let Some(today) = rules.today else {
        return;
    };
    if books.has_revenue && rules.revenue != Cadence::Off {
        let last = books.revenue.iter().max_by_key(|e| e.when.sort_date());
        if let Some(last) = last {
            let covered = match last.when {
                When::Period(p) => p.end(),
                When::Day(d) => period_of(rules.revenue, d).map(Period::end).unwrap_or(d),
            };
            check_cadence(
                "revenue-disclosure-overdue",
                rules.revenue,
                covered,
                today,
                &last.origin,
                diags,
            );
        }
    }
    if books.has_fees
        && rules.fees != Cadence::Off
        && let Some(last) = books.fees.iter().max_by_key(|r| r.period.end())
    {
        check_cadence(
            "fees-disclosure-overdue",
            rules.fees,
            last.period.end(),
            today,
            &last.origin,
            diags,
        );
    }
    if books.has_fund && rules.fund != Cadence::Off {
        let last_statement = books
            .fund
            .iter()
            .filter(|e| e.kind == FundKind::Balance)
            .max_by_key(|e| e.date);
        match last_statement {
            Some(e) => {
                let months = statement_months(rules.fund);
                let stale = e
                    .date
                    .checked_add_months(Months::new(months))
                    .is_some_and(|limit| today > limit);
                if stale {
                    diags.push(
                        Diagnostic::new("fund-statement-overdue")
                            .at(&e.amount_origin.file, e.amount_origin.span.clone())
                            .arg("date", e.date)
                            .arg("months", months)
                            .arg("today", today),
                    );
                }
            }
            None => {
                if let Some(first) = books.fund.first() {
                    diags.push(
                        Diagnostic::new("fund-statement-missing")
                            .at(&first.origin.file, first.origin.span.clone()),
                    );
                }
            }
        }
    }
}

/// D1: decisions and minutes posted within three days of the decision.
fn check_decisions(books: &CompoundBooks, rules: &Rules, diags: &mut Diagnostics) {
    for n in &books.notices {
        if !matches!(n.kind, NoticeKind::Resolution | NoticeKind::Minutes) {
            continue;
        }
        if let Some(decided) = n.decided {
            let days = (n.date - decided).num_days();
            if days > rules.decision_posting_days {
                diags.push(
                    Diagnostic::new("notice-decision-late")
                        .at(&n.date_origin.file, n.date_origin.span.clone())
                        .arg("decided", decided)
                        .arg("posted", n.date)
                        .arg("days", days)
                        .arg("max", rules.decision_posting_days),
                );
            }
        }
    }
}

/// F5: every emergency use of the fund has a notice that reports on it afterwards.
fn check_emergency_notices(books: &CompoundBooks, diags: &mut Diagnostics) {
    for p in books
        .projects
        .iter()
        .filter(|p| p.matter == Matter::Emergency)
    {
        // After the fact: a notice dated before the work began cannot report on it.
        let reported = books.notices.iter().any(|n| {
            n.project.as_deref() == Some(p.id.as_str()) && p.start_date.is_none_or(|s| n.date >= s)
        });
        if !reported {
            diags.push(
                Diagnostic::new("fund-emergency-notice-missing")
                    .at(&p.title_origin.file, p.title_origin.span.clone())
                    .arg("project", &p.id),
            );
        }
    }
}
