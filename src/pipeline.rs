//! The build pipeline over a whole portal: for each compound, independently and in parallel,
//! load → parse → validate → compute → render; then the portal pages from the compounds'
//! summaries. `check` runs the same pipeline without a sink. Only small summaries outlive a
//! compound's turn, so memory does not grow with the rendered site.

use std::path::Path;

use rayon::prelude::*;

use crate::compute::{self, CompoundSummary};
use crate::diag::Diagnostics;
use crate::error::Fatal;
use crate::load::{self, Portal};
use crate::render::{Sink, SiteRenderer};
use crate::validate;

/// What a run over all compounds produced.
pub struct Outcome {
    pub diagnostics: Diagnostics,
    /// Summaries of the compounds without errors, in slug order.
    pub summaries: Vec<CompoundSummary>,
    pub compounds: usize,
}

/// Where rendered compounds go, when rendering at all.
pub struct Output<'a> {
    pub renderer: &'a SiteRenderer,
    pub sink: &'a dyn Sink,
}

/// Processes every compound of `portal`. Rendering stops being useful once any compound has an
/// error (nothing will be published), but every compound is still checked so that the user sees
/// all findings in one run.
pub fn run(portal: &Portal, output: Option<&Output>) -> Result<Outcome, Fatal> {
    let overrides = &portal.config.severity_overrides;
    let results: Vec<Result<(Diagnostics, Option<CompoundSummary>), Fatal>> = portal
        .compounds
        .par_iter()
        .map(|(slug, dir)| {
            process_compound(
                &portal.root,
                slug,
                dir,
                overrides,
                portal.config.language,
                &portal.config.rules,
                output,
            )
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    let mut summaries = Vec::new();
    for result in results {
        let (diags, summary) = result?;
        diagnostics.extend(diags);
        summaries.extend(summary);
    }
    diagnostics.finish(overrides);
    Ok(Outcome {
        diagnostics,
        summaries,
        compounds: portal.compounds.len(),
    })
}

fn process_compound(
    root: &Path,
    slug: &str,
    dir: &Path,
    overrides: &std::collections::BTreeMap<String, crate::diag::Severity>,
    lang: crate::diag::Lang,
    rules: &crate::config::Rules,
    output: Option<&Output>,
) -> Result<(Diagnostics, Option<CompoundSummary>), Fatal> {
    let mut diags = Diagnostics::new();
    let Some(books) = load::load_compound(root, slug, dir, &mut diags)? else {
        diags.finish(overrides);
        return Ok((diags, None));
    };
    validate::check(&books, rules, &mut diags);
    diags.finish(overrides);
    if diags.has_errors() {
        return Ok((diags, None));
    }
    let mut report = compute::report(&books, rules);
    report.findings = crate::diag::render::site_findings(&diags, lang);
    drop(books);
    if let Some(out) = output {
        out.renderer.render_compound(&report, out.sink)?;
    }
    Ok((diags, Some(report.summary())))
}
