//! The build pipeline over a whole portal: for each compound, independently and in parallel,
//! load → parse → validate → compute → render; then the portal pages from the compounds'
//! summaries. `check` runs the same pipeline without a sink. Only small summaries outlive a
//! compound's turn, so memory does not grow with the rendered site.

use std::path::Path;

use rayon::prelude::*;

use crate::compute::{self, CompoundSummary};
use crate::diag::Diagnostics;
use crate::error::Fatal;
use crate::history::GitContext;
use crate::history::seal::{self, SealPlan};
use crate::load::{self, Portal};
use crate::progress::Progress;
use crate::render::{Sink, SiteRenderer};
use crate::validate;
use crate::write::cache::{BuildCache, PortalInputs};

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
    /// What the previous build into the same output remembers (`sanwu build` only): compounds
    /// whose inputs did not change are taken from it without being loaded.
    pub cache: Option<&'a BuildCache>,
}

/// Processes every compound of `portal`. Rendering stops being useful once any compound has an
/// error (nothing will be published), but every compound is still checked so that the user sees
/// all findings in one run.
pub fn run(portal: &Portal, output: Option<&Output>) -> Result<Outcome, Fatal> {
    run_with_progress(portal, output, &Progress::hidden())
}

/// [`run`], ticking `progress` as each compound is done.
pub fn run_with_progress(
    portal: &Portal,
    output: Option<&Output>,
    progress: &Progress,
) -> Result<Outcome, Fatal> {
    let config = &portal.config;
    // Ledgers kept in git get their revision history on the site and sealed periods checked.
    let git = GitContext::open(&portal.root);
    let mut diagnostics = Diagnostics::new();
    let seals = SealPlan::new(git.as_ref(), config, &mut diagnostics);
    let cache = output.and_then(|o| {
        let cache = o.cache?;
        let settings = o.renderer.settings_fingerprint();
        Some((
            cache,
            PortalInputs::new(&settings, config, &seals, git.is_some()),
        ))
    });
    let shared = Shared {
        portal,
        git: git.as_ref(),
        seals: &seals,
        output,
        cache: cache.as_ref().map(|(cache, inputs)| (*cache, inputs)),
    };
    let results: Vec<Result<(Diagnostics, Option<CompoundSummary>), Fatal>> = portal
        .compounds
        .par_iter()
        .map(|(slug, dir)| {
            let result = process_compound(&shared, slug, dir);
            progress.tick();
            result
        })
        .collect();
    progress.finish();
    let mut summaries = Vec::new();
    for result in results {
        let (diags, summary) = result?;
        diagnostics.extend(diags);
        summaries.extend(summary);
    }
    diagnostics.finish(&config.severity_overrides);
    Ok(Outcome {
        diagnostics,
        summaries,
        compounds: portal.compounds.len(),
    })
}

/// What every compound's turn reads.
struct Shared<'a> {
    portal: &'a Portal,
    git: Option<&'a GitContext>,
    seals: &'a SealPlan,
    output: Option<&'a Output<'a>>,
    /// The build cache, with the portal-wide part of every compound's input fingerprint.
    cache: Option<(&'a BuildCache, &'a PortalInputs)>,
}

fn process_compound(
    shared: &Shared,
    slug: &str,
    dir: &Path,
) -> Result<(Diagnostics, Option<CompoundSummary>), Fatal> {
    let Shared {
        portal,
        git,
        seals,
        output,
        cache,
    } = *shared;
    let config = &portal.config;
    let version = git.map(|g| g.compound_version(slug)).unwrap_or_default();
    // A compound whose inputs did not change since the previous build is taken from its cache.
    let inputs = cache.and_then(|(cache, portal_inputs)| {
        portal_inputs.compound(dir, &version, cache.previous_files(slug))
    });
    if let (Some(out), Some((cache, _)), Some(inputs)) = (output, cache, inputs.as_ref())
        && let Some((diags, summary)) = cache.reuse(slug, inputs, out.sink)
    {
        return Ok((diags, Some(summary)));
    }
    let mut diags = Diagnostics::new();
    let Some(books) = load::load_compound(&portal.root, slug, dir, &mut diags)? else {
        diags.finish(&config.severity_overrides);
        diags.detach_sources();
        return Ok((diags, None));
    };
    validate::check(&books, &config.rules, &mut diags);
    seal::check(git, seals, &books, &mut diags);
    diags.finish(&config.severity_overrides);
    if diags.has_errors() {
        diags.detach_sources();
        return Ok((diags, None));
    }
    let mut report = compute::report(&books, &config.rules);
    if git.is_some() {
        (report.ledger_commit, report.ledger_dirty) = version;
    }
    report.findings = crate::diag::render::site_findings(&diags, config.language);
    if output.is_some() && config.ledger_history {
        report.history = ledger_histories(git, &books);
    }
    drop(books);
    let mut key = None;
    if let Some(out) = output {
        // A compound whose report did not change since the previous build keeps its pages.
        let k = out.renderer.compound_key(&report)?;
        if !out.sink.reuse(slug, &k) {
            out.renderer.render_compound(&report, out.sink)?;
            out.sink.record_key(slug, &k);
        }
        key = Some(k);
    }
    diags.detach_sources();
    let summary = report.summary();
    if let (Some((cache, _)), Some(inputs), Some(key)) = (cache, inputs, key) {
        cache.record(slug, inputs, key, &diags);
    }
    Ok((diags, Some(summary)))
}

/// The revision history of each CSV ledger of a compound, when the portal is in git.
fn ledger_histories(
    git: Option<&GitContext>,
    books: &crate::ledger::CompoundBooks,
) -> compute::Histories {
    let Some(git) = git else {
        return compute::Histories {
            shown: true,
            ..compute::Histories::default()
        };
    };
    let history = |name: &str| {
        crate::history::log::ledger_history(
            &git.repo,
            &git.log,
            &format!("content/{}/{name}", books.slug),
        )
    };
    compute::Histories {
        shown: true,
        in_git: true,
        fees: if books.has_fees {
            history("fees.csv")
        } else {
            Vec::new()
        },
        revenue: if books.has_revenue {
            history("revenue.csv")
        } else {
            Vec::new()
        },
        fund: if books.has_fund {
            history("fund.csv")
        } else {
            Vec::new()
        },
    }
}

/// Processes the single compound `slug` of `portal` (found in `dir`), with the portal-wide
/// context a full run would give it (git history, sealed periods): what `sanwu serve` runs when
/// one compound's files change. The diagnostics include the portal-wide findings of that context.
pub fn run_compound(
    portal: &Portal,
    slug: &str,
    dir: &Path,
    output: Option<&Output>,
) -> Result<(Diagnostics, Option<CompoundSummary>), Fatal> {
    let git = GitContext::open(&portal.root);
    let mut diagnostics = Diagnostics::new();
    let seals = SealPlan::new(git.as_ref(), &portal.config, &mut diagnostics);
    let shared = Shared {
        portal,
        git: git.as_ref(),
        seals: &seals,
        output,
        cache: None,
    };
    let (diags, summary) = process_compound(&shared, slug, dir)?;
    diagnostics.extend(diags);
    diagnostics.finish(&portal.config.severity_overrides);
    Ok((diagnostics, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summaries are what a city build keeps of every compound: they must hold their few feed
    /// entries and not the room the newest ones were picked from (once 25 KB per compound).
    #[test]
    fn summaries_keep_only_their_few_feed_entries() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = Diagnostics::new();
        let portal = load::open_portal(root, &mut diags)
            .expect("the demo portal opens")
            .expect("the demo portal has a config");
        let outcome = run(&portal, None).expect("the demo portal is checked");
        assert!(!outcome.summaries.is_empty());
        let mut full = 0;
        for s in &outcome.summaries {
            assert!(s.feed.len() <= compute::feed::PORTAL_ENTRIES_PER_COMPOUND);
            assert_eq!(s.feed.capacity(), s.feed.len(), "{}", s.slug);
            if s.feed.len() == compute::feed::PORTAL_ENTRIES_PER_COMPOUND {
                full += 1;
            }
        }
        // The demo compounds have more candidate entries than a summary keeps.
        assert!(full > 0);
    }
}
