//! `sanwu build`: check every compound, render the site into a staging folder, and publish it to
//! the output folder only if there was no error.

use std::process::ExitCode;

use crate::cli::BuildArgs;
use crate::diag::{Diagnostics, Lang};
use crate::error::Fatal;
use crate::progress::Progress;
use crate::render::Sink;
use crate::render::SiteRenderer;
use crate::write::Staging;
use crate::write::shard::ShardFile;
use crate::{load, pipeline};

pub fn run(args: &BuildArgs) -> Result<ExitCode, Fatal> {
    let root = &args.portal.root;
    let mut diags = Diagnostics::new();
    let Some(mut portal) = load::open_portal_for(&args.portal, &mut diags)? else {
        let lang = args.portal.lang.unwrap_or_default();
        diags.finish(&Default::default());
        super::report(&diags, lang, args.quiet);
        return Ok(super::exit_code(&diags));
    };
    let lang = args.portal.lang.unwrap_or(portal.config.language);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| root.join(&portal.config.output_dir));
    let content = root.join("content");
    if let (Ok(out), Ok(content)) = (absolute(&output), absolute(&content))
        && out.starts_with(&content)
    {
        return Err(Fatal::OutputInsideContent(output));
    }
    if let Some(shard) = args.shard {
        portal.compounds.retain(|(slug, _)| shard.contains(slug));
    }
    let renderer = SiteRenderer::new(root, &portal.config)?;
    let staging = Staging::begin(&output)?;
    let progress = Progress::new(portal.compounds.len(), lang, args.quiet);
    let outcome = pipeline::run_with_progress(
        &portal,
        Some(&pipeline::Output {
            renderer: &renderer,
            sink: &staging,
        }),
        &progress,
    )?;
    diags.extend(outcome.diagnostics);
    diags.finish(&portal.config.severity_overrides);
    if diags.has_errors() {
        drop(staging);
        super::report(&diags, lang, args.quiet);
        eprintln!("{}", not_published(lang, &output));
        return Ok(super::exit_code(&diags));
    }
    match args.shard {
        // The portal pages need every compound: `sanwu merge` renders them from the shards.
        Some(shard) => {
            let file = ShardFile {
                shard: shard.to_string(),
                generator: format!("sanwu {}", env!("CARGO_PKG_VERSION")),
                compounds: outcome.summaries,
                inputs: staging.inputs(),
            };
            let json = serde_json::to_vec(&file).unwrap_or_default();
            staging.write(crate::write::shard::FILE_NAME, &json)?;
        }
        None => renderer.render_portal(&outcome.summaries, &staging)?,
    }
    let (commit, dirty) = crate::write::manifest::source_commit(root);
    let written = staging.written();
    staging.commit(commit, dirty)?;
    super::report(&diags, lang, args.quiet);
    if !args.quiet {
        eprintln!("{}", published(lang, outcome.compounds, written, &output));
    }
    Ok(ExitCode::SUCCESS)
}

fn absolute(path: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    std::path::absolute(path)
}

fn not_published(lang: Lang, output: &std::path::Path) -> String {
    match lang {
        Lang::Zh => format!("有错误，未发布；{} 保持原样。", output.display()),
        Lang::En => format!(
            "not published because of errors; {} was left as it was.",
            output.display()
        ),
    }
}

fn published(lang: Lang, compounds: usize, written: usize, output: &std::path::Path) -> String {
    match lang {
        Lang::Zh => format!(
            "已生成 {compounds} 个小区的公示网站：{}（写入 {written} 个有变化的文件）",
            output.display()
        ),
        Lang::En => format!(
            "built the site of {compounds} compound{} into {} ({written} changed file{} written)",
            if compounds == 1 { "" } else { "s" },
            output.display(),
            if written == 1 { "" } else { "s" },
        ),
    }
}
