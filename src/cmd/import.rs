//! `sanwu import FILE --as fees|revenue|fund`: converts what a treasurer has — an Excel/WPS CSV
//! export, often GBK-encoded, with Chinese headers, units, thousands separators, subtotal rows and
//! Excel serial dates — into a canonical ledger (the writer `sanwu fmt` uses). The result goes to
//! standard output, or to `--into DIR/<kind>.csv`; an export with errors writes nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::ImportArgs;
use crate::diag::{Diagnostics, Lang, render};
use crate::error::Fatal;
use crate::ledger::canonical;

pub fn run(args: &ImportArgs) -> Result<ExitCode, Fatal> {
    let lang = args.lang.unwrap_or_default();
    let target = match &args.into {
        Some(dir) if !dir.is_dir() => return Ok(operational(lang, &no_folder(lang, dir))),
        Some(dir) => Some(dir.join(args.kind.file_name())),
        None => None,
    };
    if let Some(target) = &target
        && target.exists()
        && !args.force
    {
        return Ok(operational(lang, &exists(lang, target)));
    }
    let bytes = std::fs::read(&args.file).map_err(|e| Fatal::io(&args.file, e))?;
    let display = args.file.to_string_lossy().replace('\\', "/");
    let mut diags = Diagnostics::new();
    let formatted = canonical::format(args.kind, &args.file, &display, &bytes, &mut diags);
    diags.finish(&BTreeMap::new());
    let Some(formatted) = formatted else {
        super::report(&diags, lang, false);
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => "导出文件有错误，未写入任何文件。",
                Lang::En => "the export has errors; nothing was written.",
            }
        );
        return Ok(ExitCode::from(1));
    };
    eprint!("{}", render::to_text(&diags, lang));
    let destination = match &target {
        Some(path) => {
            super::fmt::write_file(path, &formatted.bytes)?;
            path.display().to_string()
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&formatted.bytes)
                .and_then(|()| out.flush())
                .map_err(|e| Fatal::io("<stdout>", e))?;
            match lang {
                Lang::Zh => "标准输出".to_string(),
                Lang::En => "standard output".to_string(),
            }
        }
    };
    let rows = formatted.rows;
    let encoding = formatted.encoding;
    eprintln!(
        "{}",
        match lang {
            Lang::Zh => format!("已导入 {display}（{encoding}，{rows} 行）→ {destination}"),
            Lang::En => format!("imported {display} ({encoding}, {rows} rows) → {destination}"),
        }
    );
    for change in formatted.changes.describe(lang) {
        eprintln!("  - {change}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Reports a problem outside the data (exit code 2), like [`Fatal`] does.
fn operational(lang: Lang, message: &str) -> ExitCode {
    let prefix = match lang {
        Lang::Zh => "错误",
        Lang::En => "error",
    };
    eprintln!("{prefix}: {message}");
    ExitCode::from(2)
}

fn no_folder(lang: Lang, dir: &Path) -> String {
    match lang {
        Lang::Zh => format!(
            "目录 {} 不存在，未写入任何文件\n提示：--into 应指向已有的小区目录，如 content/xingfuli",
            dir.display()
        ),
        Lang::En => format!(
            "the folder {} does not exist; nothing was written\nhint: --into names an existing compound folder, e.g. content/xingfuli",
            dir.display()
        ),
    }
}

fn exists(lang: Lang, path: &Path) -> String {
    match lang {
        Lang::Zh => format!(
            "{} 已存在，未覆盖\n提示：确认要替换它时加 --force",
            path.display()
        ),
        Lang::En => format!(
            "{} already exists and was not overwritten\nhint: add --force to replace it",
            path.display()
        ),
    }
}
