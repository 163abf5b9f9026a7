//! `sanwu fmt`: rewrites every CSV ledger (fees.csv, revenue.csv, fund.csv) of every compound in
//! canonical form (see [`crate::ledger::canonical`]), or with `--check` only lists the ledgers that
//! are not canonical. A compound whose CSV ledgers have an error is left untouched: fmt never
//! rewrites a ledger it cannot read in full.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::FmtArgs;
use crate::diag::{Diagnostics, Lang, Severity, render};
use crate::error::Fatal;
use crate::ledger::canonical::{self, Kind};
use crate::{load, pipeline};

pub fn run(args: &FmtArgs) -> Result<ExitCode, Fatal> {
    let mut portal_diags = Diagnostics::new();
    let Some(portal) = load::open_portal_for(&args.portal, &mut portal_diags)? else {
        let lang = args.portal.lang.unwrap_or_default();
        portal_diags.finish(&BTreeMap::new());
        super::report(&portal_diags, lang, false);
        return Ok(super::exit_code(&portal_diags));
    };
    let lang = args.portal.lang.unwrap_or(portal.config.language);
    portal_diags.finish(&portal.config.severity_overrides);
    // What `check` finds, so that fmt refuses exactly the ledgers `check` refuses.
    let outcome = pipeline::run(&portal, None)?;

    let mut shown = Diagnostics::new();
    for d in portal_diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        shown.push(d.clone());
    }
    let mut lines = Vec::new();
    let mut refused = Vec::new();
    let (mut changed, mut unchanged) = (0, 0);
    for (slug, dir) in &portal.compounds {
        let prefix = format!("content/{slug}/");
        let ledgers: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("{prefix}{}", k.file_name()))
            .collect();
        let mut blocked = false;
        let mut files = Vec::new();
        for (kind, display) in Kind::ALL.iter().zip(&ledgers) {
            let path = dir.join(kind.file_name());
            if !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|e| Fatal::io(&path, e))?;
            let mut local = Diagnostics::new();
            match canonical::format(*kind, &path, display, &bytes, &mut local) {
                Some(formatted) => files.push((path, display, formatted)),
                None => blocked = true,
            }
            let own: Vec<&str> = local
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.code)
                .collect();
            for d in local.iter().filter(|d| d.severity == Severity::Error) {
                shown.push(d.clone());
            }
            // What `check` finds in the file beyond what reading it found (cross-ledger checks).
            for d in outcome.diagnostics.iter().filter(|d| {
                d.severity == Severity::Error
                    && !own.contains(&d.code)
                    && d.file.as_ref().is_some_and(|f| &f.display_path == display)
            }) {
                shown.push(d.clone());
                blocked = true;
            }
        }
        if blocked {
            refused.push(prefix);
            continue;
        }
        for (path, display, formatted) in files {
            if !formatted.changes.differs {
                unchanged += 1;
                continue;
            }
            if !args.check {
                write_file(&path, &formatted.bytes)?;
            }
            changed += 1;
            let sep = if lang == Lang::Zh { "，" } else { ", " };
            lines.push(format!(
                "{display}: {}",
                formatted.changes.describe(lang).join(sep)
            ));
        }
    }
    // Overrides were applied by the pipeline; fmt's own refusals must stay errors.
    shown.finish(&BTreeMap::new());
    eprint!("{}", render::to_text(&shown, lang));
    for line in &lines {
        eprintln!("{line}");
    }
    for prefix in &refused {
        eprintln!("{}", refused_line(lang, prefix));
    }
    eprintln!(
        "{}",
        summary(lang, args.check, changed, unchanged, refused.len())
    );
    let failed = shown.has_errors() || !refused.is_empty() || (args.check && changed > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Replaces a file by writing a temporary file next to it and renaming it over the original, so
/// that an interrupted run never leaves half a ledger.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.sanwu-tmp"));
    std::fs::write(&temp, bytes).map_err(|e| Fatal::io(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Fatal::io(path, e)
    })
}

fn refused_line(lang: Lang, prefix: &str) -> String {
    match lang {
        Lang::Zh => {
            format!("{prefix}: 台账有错误，未格式化（fmt 不改写不能完整读取的台账，以免丢失数据）")
        }
        Lang::En => format!(
            "{prefix}: not formatted because its ledgers have errors (fmt never rewrites a ledger it cannot read in full)"
        ),
    }
}

fn summary(lang: Lang, check: bool, changed: usize, unchanged: usize, refused: usize) -> String {
    let mut text = match (lang, check, changed) {
        (Lang::Zh, true, 0) => format!("{unchanged} 个台账文件均为规范格式"),
        (Lang::Zh, true, n) => {
            format!("{n} 个文件不是规范格式，运行 sanwu fmt 改正；{unchanged} 个文件已是规范格式")
        }
        (Lang::Zh, false, n) => format!("已格式化 {n} 个文件，{unchanged} 个文件无需改动"),
        (Lang::En, true, 0) => format!("all {unchanged} ledger files are canonical"),
        (Lang::En, true, n) => format!(
            "{n} files are not canonical, run sanwu fmt to fix them; {unchanged} files are canonical"
        ),
        (Lang::En, false, n) => format!("formatted {n} files, {unchanged} already canonical"),
    };
    if refused > 0 {
        text.push_str(&match lang {
            Lang::Zh => format!("；{refused} 个小区有错误，未改动"),
            Lang::En => format!("; {refused} compounds with errors left untouched"),
        });
    }
    text
}
