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
use crate::write::cache::BuildCache;
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
    // The folder really replaced (through links); messages keep naming `output` as given.
    let target = crate::write::resolve_output(&output)?;
    let content = root.join("content");
    if std::fs::canonicalize(&content).is_ok_and(|content| target.starts_with(content)) {
        return Err(Fatal::OutputInsideContent(output));
    }
    if let Some(shard) = args.shard {
        portal.compounds.retain(|(slug, _)| shard.contains(slug));
    }
    let renderer = SiteRenderer::new(root, &portal.config)?;
    // Held until this function returns: past the publish and the cache's save.
    let lock = super::lock_output(&target, &output, lang)?;
    let staging = Staging::begin(&target, &lock)?;
    let cache = BuildCache::open(&target);
    let progress = Progress::new(portal.compounds.len(), lang, args.quiet);
    let outcome = pipeline::run_with_progress(
        &portal,
        Some(&pipeline::Output {
            renderer: &renderer,
            sink: &staging,
            cache: Some(&cache),
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
    let summaries = match args.shard {
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
            file.compounds
        }
        None => {
            renderer.render_portal(&outcome.summaries, &staging)?;
            outcome.summaries
        }
    };
    let (commit, dirty) = crate::write::manifest::source_commit(root);
    let written = staging.written();
    let unchanged = cache.hits();
    staging.commit(commit, dirty)?;
    // Only now: the cache describes the site just published. Without it the next build is a
    // full one, so failing to write it is not a failed build.
    if let Err(e) = cache.save(&summaries) {
        eprintln!("{}", cache_not_saved(lang, &e));
    }
    super::report(&diags, lang, args.quiet);
    if !args.quiet {
        eprintln!(
            "{}",
            published(lang, outcome.compounds, written, unchanged, &output)
        );
    }
    Ok(ExitCode::SUCCESS)
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

fn published(
    lang: Lang,
    compounds: usize,
    written: usize,
    unchanged: usize,
    output: &std::path::Path,
) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match lang {
        Lang::Zh => {
            let kept = if unchanged > 0 {
                format!("；其中 {unchanged} 个小区的文件未改动，沿用上次的检查和页面")
            } else {
                String::new()
            };
            format!(
                "已生成 {compounds} 个小区的公示网站：{}（写入 {written} 个有变化的文件{kept}）",
                output.display()
            )
        }
        Lang::En => {
            let kept = if unchanged > 0 {
                format!(
                    "; {unchanged} compound{} had unchanged files and kept the last build's checks and pages",
                    plural(unchanged)
                )
            } else {
                String::new()
            };
            format!(
                "built the site of {compounds} compound{} into {} ({written} changed file{} written{kept})",
                plural(compounds),
                output.display(),
                plural(written),
            )
        }
    }
}

fn cache_not_saved(lang: Lang, error: &Fatal) -> String {
    match lang {
        Lang::Zh => format!(
            "警告：网站已发布，但未能保存构建缓存（下次将完整构建）：{}",
            error.message(lang)
        ),
        Lang::En => format!(
            "warning: the site was published, but the build cache could not be saved (the next build will be a full one): {}",
            error.message(lang)
        ),
    }
}
