//! `sanwu merge SHARD_DIR…`: combine the outputs of `sanwu build --shard I/N` into one site. Every
//! shard's pages are taken as they are; the portal pages are rendered once from the shards'
//! summaries, so the result is byte-identical to a single build of the whole portal.

use std::process::ExitCode;

use rayon::prelude::*;

use crate::cli::MergeArgs;
use crate::diag::{Diagnostics, Lang};
use crate::error::Fatal;
use crate::render::{Sink, SiteRenderer};
use crate::write::shard::{self, ShardDir};
use crate::write::{MARKER, Staging, manifest};

pub fn run(args: &MergeArgs) -> Result<ExitCode, Fatal> {
    let root = &args.portal.root;
    let mut diags = Diagnostics::new();
    let Some(portal) = crate::load::open_portal_for(&args.portal, &mut diags)? else {
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
    let mut shards = args
        .shards
        .iter()
        .map(|dir| ShardDir::open(dir))
        .collect::<Result<Vec<_>, _>>()?;
    shard::check_complete(&shards)?;
    let renderer = SiteRenderer::new(root, &portal.config)?;
    let target = crate::write::resolve_output(&output)?;
    let lock = super::lock_output(&target, &output, lang)?;
    let staging = Staging::begin(&target, &lock)?;
    let mut summaries = Vec::new();
    for s in &mut shards {
        copy_pages(&s.dir, &staging)?;
        summaries.append(&mut s.file.compounds);
        for (slug, key) in &s.file.inputs {
            staging.record_key(slug, key);
        }
    }
    summaries.sort_by(|a, b| a.slug.cmp(&b.slug));
    if let Some(twice) = summaries.windows(2).find(|w| w[0].slug == w[1].slug) {
        return Err(Fatal::BadShard {
            path: twice[0].slug.clone().into(),
            detail: "the compound is in two shards".into(),
        });
    }
    renderer.render_portal(&summaries, &staging)?;
    let (commit, dirty) = manifest::source_commit(root);
    let written = staging.written();
    let compounds = summaries.len();
    staging.commit(commit, dirty)?;
    if !args.quiet {
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "已合并 {} 个分片、{compounds} 个小区：{}（写入 {written} 个有变化的文件）",
                    shards.len(),
                    output.display()
                ),
                Lang::En => format!(
                    "merged {} shards of {compounds} compounds into {} ({written} changed files written)",
                    shards.len(),
                    output.display()
                ),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Every page a shard built (not its manifest, marker or shard file) into `sink`.
fn copy_pages(dir: &std::path::Path, sink: &Staging) -> Result<(), Fatal> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Fatal::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel == manifest::FILE_NAME || rel == MARKER || rel == shard::FILE_NAME {
            continue;
        }
        files.push((rel, entry.into_path()));
    }
    files.par_iter().try_for_each(|(rel, path)| {
        let bytes = std::fs::read(path).map_err(|e| Fatal::io(path, e))?;
        sink.write(rel, &bytes)
    })
}
