//! `sanwu diff [BEFORE] [AFTER]`: what changed in the books between two git revisions, row by row
//! and field by field, with the effect on yearly totals; text for people, JSON for tools.

use std::process::ExitCode;

use crate::cli::{DiffArgs, Format};
use crate::diag::Lang;
use crate::error::Fatal;
use crate::history::diff::{Diff, diff};
use crate::history::git::{Repo, Revision};

fn ledger_name(ledger: &str, lang: Lang) -> &'static str {
    match (ledger, lang) {
        ("fees", Lang::Zh) => "物业费",
        ("revenue", Lang::Zh) => "公共收益",
        ("fund", Lang::Zh) => "维修资金",
        ("projects", Lang::Zh) => "维修项目与表决",
        ("tenders", Lang::Zh) => "招标",
        ("fees", _) => "fees",
        ("revenue", _) => "public revenue",
        ("fund", _) => "maintenance fund",
        ("projects", _) => "fund projects and votes",
        _ => "tenders",
    }
}

pub fn run(args: &DiffArgs) -> Result<ExitCode, Fatal> {
    let lang = args.lang.unwrap_or_default();
    let repo = Repo::open(&args.root)?;
    let before = Revision::Commit(repo.resolve(args.before.as_deref().unwrap_or("HEAD~1"))?);
    let after = match &args.after {
        Some(rev) => Revision::Commit(repo.resolve(rev)?),
        None => Revision::WorkTree,
    };
    let mut result = diff(&repo, &before, &after)?;
    // Show the revisions as the user named them.
    result.before = args.before.clone().unwrap_or_else(|| "HEAD~1".to_string());
    result.after = args.after.clone().unwrap_or_else(|| match lang {
        Lang::Zh => "工作区".to_string(),
        Lang::En => "working tree".to_string(),
    });
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        ),
        Format::Text => print!("{}", to_text(&result, lang)),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn to_text(d: &Diff, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&match lang {
        Lang::Zh => format!("比较 {} → {}\n", d.before, d.after),
        Lang::En => format!("comparing {} → {}\n", d.before, d.after),
    });
    if d.ledgers.is_empty() {
        out.push_str(match lang {
            Lang::Zh => "台账没有变化。\n",
            Lang::En => "no change to the books.\n",
        });
        return out;
    }
    for l in &d.ledgers {
        let path = l
            .path_after
            .as_deref()
            .or(l.path_before.as_deref())
            .unwrap_or("");
        out.push_str(&format!(
            "\n== {} {} ({path})\n",
            l.compound,
            ledger_name(l.ledger, lang)
        ));
        if let (Some(a), Some(b)) = (&l.path_before, &l.path_after)
            && a != b
        {
            out.push_str(&match lang {
                Lang::Zh => format!("  文件改名：{a} → {b}\n"),
                Lang::En => format!("  renamed: {a} → {b}\n"),
            });
        }
        for row in &l.rows {
            match row.change {
                "added" => out.push_str(&format!("  + {}\n", row.label)),
                "removed" => out.push_str(&format!("  - {}\n", row.label)),
                _ => {
                    for f in &row.fields {
                        out.push_str(&format!(
                            "  ~ {} {}: {} → {}\n",
                            row.label, f.field, f.before, f.after
                        ));
                    }
                }
            }
        }
        for t in &l.totals {
            let sign = if t.delta.is_negative() { "" } else { "+" };
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "  合计 {}年 {}: {} → {}（{sign}{}）\n",
                    t.year, t.metric, t.before, t.after, t.delta
                ),
                Lang::En => format!(
                    "  total {} {}: {} → {} ({sign}{})\n",
                    t.year, t.metric, t.before, t.after, t.delta
                ),
            });
        }
    }
    out
}
