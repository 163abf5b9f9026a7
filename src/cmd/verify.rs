//! `sanwu verify [DIR]`: re-checks a downloaded or mirrored site against its `manifest.json` and
//! reports every file that differs, is missing or was added. Exit code 0 when the copy is intact,
//! 1 when it is not, 2 when there is no readable manifest.

use std::process::ExitCode;

use crate::cli::{Format, VerifyArgs};
use crate::diag::Lang;
use crate::error::Fatal;
use crate::write::manifest;

pub fn run(args: &VerifyArgs) -> Result<ExitCode, Fatal> {
    let lang = args.lang.unwrap_or_default();
    let (manifest, verdict) = manifest::verify(&args.dir)?;
    if args.format == Format::Json {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            intact: bool,
            generator: &'a str,
            source_commit: Option<&'a str>,
            #[serde(flatten)]
            verdict: &'a manifest::Verdict,
        }
        let report = Report {
            intact: verdict.is_intact(),
            generator: &manifest.generator,
            source_commit: manifest.source_commit.as_deref(),
            verdict: &verdict,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        let (modified, missing, added) = match lang {
            Lang::Zh => ("已被修改", "缺失", "多出"),
            Lang::En => ("modified", "missing", "added"),
        };
        for (label, files) in [
            (modified, &verdict.modified),
            (missing, &verdict.missing),
            (added, &verdict.added),
        ] {
            for file in files {
                println!("{label}: {file}");
            }
        }
        let commit = manifest.source_commit.as_deref().unwrap_or("—");
        let summary = match (lang, verdict.is_intact()) {
            (Lang::Zh, true) => format!(
                "完好：{} 个文件与清单一致（{}，源提交 {commit}）",
                verdict.checked, manifest.generator
            ),
            (Lang::Zh, false) => format!(
                "不一致：{} 个被修改，{} 个缺失，{} 个多出（共核对 {} 个文件）",
                verdict.modified.len(),
                verdict.missing.len(),
                verdict.added.len(),
                verdict.checked
            ),
            (Lang::En, true) => format!(
                "intact: {} files match the manifest ({}, source commit {commit})",
                verdict.checked, manifest.generator
            ),
            (Lang::En, false) => format!(
                "not intact: {} modified, {} missing, {} added ({} files checked)",
                verdict.modified.len(),
                verdict.missing.len(),
                verdict.added.len(),
                verdict.checked
            ),
        };
        eprintln!("{summary}");
    }
    Ok(if verdict.is_intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
