//! The build cache: what a build remembers of each compound for the next build into the same
//! output folder, so that a compound whose inputs did not change is neither loaded, checked nor
//! rendered again. One ledger edited in a city of ten thousand compounds then costs one compound's
//! work plus the portal pages, not ten thousand compounds' checks.
//!
//! For every compound published without errors the cache keeps:
//! - the **input fingerprint**: SHA-256 over everything the compound's pages and findings are made
//!   from — the code, theme and site settings (the renderer's fingerprint), the rules and the other
//!   settings of config.toml, the git facts a build reads (the compound's newest commit and whether
//!   its folder has uncommitted changes, the resolved seals), and every file under the compound's
//!   folder, by path and bytes;
//! - the **compound key** its pages were rendered under (see `SiteRenderer::compound_key`), which
//!   the output's manifest must still list for the pages to be taken as they are;
//! - its **summary** for the portal pages and its **findings**, so that warnings are reported on
//!   every build, not only on the one that checked the compound.
//!
//! The cache is a file beside the output folder (`.public.sanwu-cache` for `public/`), never
//! inside it: findings quote the ledgers' lines, which may hold what the privacy checks warn of,
//! and the output folder is what gets uploaded. It is written after a successful publish, through
//! a temporary file and a rename. A cache that is missing, unreadable or from another version of
//! sanwu is ignored: every compound is then processed as in a first build.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::compute::CompoundSummary;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::diag::stored::StoredDiagnostic;
use crate::error::Fatal;
use crate::history::seal::SealPlan;
use crate::render::Sink;

use super::files::{self, feed};

/// Bumped whenever the cache's layout or the fingerprint's recipe changes.
const CACHE_VERSION: u32 = 2;

/// The cache of one output folder: the previous build's entries, and this build's.
pub struct BuildCache {
    path: PathBuf,
    previous: Mutex<HashMap<String, Entry>>,
    /// This build's entries, without their summaries: those are in the build's outcome until
    /// [`BuildCache::save`], and a city portal should not hold them twice.
    current: Mutex<BTreeMap<String, Record>>,
    /// How many compounds were taken from the cache.
    hits: AtomicUsize,
}

/// The cache file, as read.
#[derive(Deserialize)]
struct CacheFile {
    cache_version: u32,
    generator: String,
    compounds: BTreeMap<String, Entry>,
}

/// The cache file, as written (the same layout, borrowing this build's summaries).
#[derive(Serialize)]
struct CacheFileRef<'a> {
    cache_version: u32,
    generator: String,
    compounds: BTreeMap<&'a str, EntryRef<'a>>,
}

#[derive(Deserialize)]
struct Entry {
    /// The input fingerprint (hex).
    inputs: String,
    /// The digest of the compound's files, by path and bytes (hex): the part of `inputs` that
    /// reading the files gives.
    files: String,
    /// The digest of the files' stamps (hex), when they may be trusted (see [`Inputs::stamps`]).
    stamps: Option<String>,
    /// The compound key its pages were rendered under (hex).
    key: String,
    summary: CompoundSummary,
    findings: Vec<StoredDiagnostic>,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    inputs: &'a str,
    files: &'a str,
    stamps: Option<&'a str>,
    key: &'a str,
    summary: &'a CompoundSummary,
    findings: &'a [StoredDiagnostic],
}

/// What this build learnt of a compound, besides its summary.
struct Record {
    inputs: Inputs,
    key: String,
    findings: Vec<StoredDiagnostic>,
}

fn generator() -> String {
    format!(
        "sanwu {} {}",
        env!("CARGO_PKG_VERSION"),
        env!("SANWU_SOURCE_HASH")
    )
}

/// Where the cache of `output` lives: a hidden file beside it.
pub fn path_for(output: &Path) -> PathBuf {
    super::beside(output, "sanwu-cache")
}

impl BuildCache {
    /// The cache of `output`, with the previous build's entries if they can be read. Without a
    /// published site (no manifest) there is nothing to reuse, and the cache is not even read.
    pub fn open(output: &Path) -> BuildCache {
        let path = path_for(output);
        let previous = Some(&path)
            .filter(|_| output.join(super::manifest::FILE_NAME).is_file())
            .and_then(|path| std::fs::read(path).ok())
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|file| file.cache_version == CACHE_VERSION && file.generator == generator())
            .map(|file| file.compounds.into_iter().collect())
            .unwrap_or_default();
        BuildCache {
            path,
            previous: Mutex::new(previous),
            current: Mutex::new(BTreeMap::new()),
            hits: AtomicUsize::new(0),
        }
    }

    /// How many compounds this build took from the cache.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// What the previous build read of compound `slug`'s files: their stamps and digest.
    pub fn previous_files(&self, slug: &str) -> Option<(String, String)> {
        let previous = self.previous.lock().ok()?;
        let entry = previous.get(slug)?;
        Some((entry.stamps.clone()?, entry.files.clone()))
    }

    /// The previous build's summary and findings of compound `slug`, if its inputs are still
    /// `inputs` and `sink` still has the pages it rendered (in which case `sink` keeps them).
    pub fn reuse(
        &self,
        slug: &str,
        inputs: &Inputs,
        sink: &dyn Sink,
    ) -> Option<(Diagnostics, CompoundSummary)> {
        let entry = self.previous.lock().ok()?.remove(slug)?;
        if entry.inputs != inputs.fingerprint || !sink.reuse(slug, &entry.key) {
            return None;
        }
        let mut diags = Diagnostics::new();
        for finding in &entry.findings {
            diags.push(finding.to_diagnostic());
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        let Entry {
            key,
            summary,
            findings,
            ..
        } = entry;
        if let Ok(mut current) = self.current.lock() {
            current.insert(
                slug.to_string(),
                Record {
                    inputs: inputs.clone(),
                    key,
                    findings,
                },
            );
        }
        Some((diags, summary))
    }

    /// Remembers a compound this build processed and published without errors.
    pub fn record(&self, slug: &str, inputs: Inputs, key: String, diags: &Diagnostics) {
        let record = Record {
            inputs,
            key,
            findings: diags
                .iter()
                .map(StoredDiagnostic::from_diagnostic)
                .collect(),
        };
        if let Ok(mut current) = self.current.lock() {
            current.insert(slug.to_string(), record);
        }
    }

    /// Writes this build's entries for the next build (after the site was published), with
    /// the compounds' `summaries` from the build's outcome.
    pub fn save(self, summaries: &[CompoundSummary]) -> Result<(), Fatal> {
        let current = self
            .current
            .into_inner()
            .map_err(|_| Fatal::io(&self.path, std::io::Error::other("poisoned")))?;
        let compounds = summaries
            .iter()
            .filter_map(|summary| {
                let record = current.get(&summary.slug)?;
                Some((
                    summary.slug.as_str(),
                    EntryRef {
                        inputs: &record.inputs.fingerprint,
                        files: &record.inputs.files,
                        stamps: record.inputs.stamps.as_deref(),
                        key: &record.key,
                        summary,
                        findings: &record.findings,
                    },
                ))
            })
            .collect();
        let file = CacheFileRef {
            cache_version: CACHE_VERSION,
            generator: generator(),
            compounds,
        };
        let temporary = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let written = std::fs::File::create(&temporary).and_then(|f| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
            serde_json::to_writer(&mut out, &file).map_err(std::io::Error::from)?;
            out.flush()
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, &self.path)) {
            let _ = std::fs::remove_file(&temporary);
            return Err(Fatal::io(&self.path, e));
        }
        Ok(())
    }
}

/// A compound's input fingerprint and how it was reached.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// SHA-256 (hex) of the portal-wide inputs, the compound's git facts and `files`.
    pub fingerprint: String,
    /// SHA-256 (hex) of every file under the compound's folder, by path and bytes.
    files: String,
    /// SHA-256 (hex) of every file's path, size, inode, modification and change times, when
    /// none of them changed in the last two seconds ([`RACY_NANOS`]) before the build started. A later build
    /// that finds the same stamps takes `files` as it is instead of reading the files again:
    /// writing to a file, or replacing it, gives it a new change time (which no program can set
    /// back), and any change after these stamps were taken is later than the build's start.
    stamps: Option<String>,
}

/// Files changed this recently before a build are read again by the next build whatever their
/// stamps say: a change within the same tick of the file system's clock could leave them alike.
const RACY_NANOS: i128 = 2_000_000_000;

/// The part of every compound's input fingerprint that is the same for the whole build.
pub struct PortalInputs {
    digest: ring::digest::Context,
    /// When this build started (nanoseconds since 1970), to tell stamps that may be trusted.
    started: i128,
}

impl PortalInputs {
    /// `settings` is the renderer's fingerprint of the code, theme and site settings.
    pub fn new(settings: &[u8], config: &Config, seals: &SealPlan, in_git: bool) -> PortalInputs {
        let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
        let mut feed = |bytes: &[u8]| feed(&mut digest, bytes);
        feed(&CACHE_VERSION.to_le_bytes());
        feed(settings);
        // Every field of the configuration, so that a new one cannot be forgotten here.
        let Config {
            title,
            base_url,
            language,
            theme,
            output_dir: _,
            description,
            severity_overrides,
            rules,
            // The seals count as resolved in git, below.
            sealed: _,
            ledger_history,
            ocid_prefix,
            portal_page_size,
        } = config;
        for text in [title, base_url, theme, description, ocid_prefix] {
            feed(text.as_bytes());
        }
        feed(format!("{language:?} {rules:?} {ledger_history} {portal_page_size}").as_bytes());
        for (code, severity) in severity_overrides {
            feed(format!("{code}={severity:?}").as_bytes());
        }
        feed(seals.describe().as_bytes());
        feed(&[u8::from(in_git)]);
        // The clock only decides which stamps are trusted, never what is built.
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        PortalInputs { digest, started }
    }

    /// The input fingerprint of the compound in `dir`, whose git facts are `version` (its newest
    /// commit and whether its folder is dirty). `previous` is what the previous build recorded of
    /// its files (stamps and digest): if the stamps are the same, the files are not read. `None`
    /// if a file cannot be read (the compound is then processed, and the loader reports the
    /// problem) or the folder holds a symbolic link.
    pub fn compound(
        &self,
        dir: &Path,
        version: &(Option<String>, bool),
        previous: Option<(String, String)>,
    ) -> Option<Inputs> {
        // Links are not followed, so each file costs one stat: a compound with a symbolic link
        // in its folder is not cached at all (what a link points to could change unseen).
        let walk = walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name();
        let mut entries = Vec::new();
        let mut stamps = ring::digest::Context::new(&ring::digest::SHA256);
        let mut trusted = true;
        for entry in walk {
            let entry = entry.ok().filter(|e| !e.path_is_symlink())?;
            let relative = entry.path().strip_prefix(dir).ok()?.to_string_lossy();
            feed(&mut stamps, relative.as_bytes());
            let is_file = entry.file_type().is_file();
            if is_file {
                match stamp(&entry.metadata().ok()?) {
                    Some((bytes, newest)) => {
                        feed(&mut stamps, &bytes);
                        trusted &= newest < self.started - RACY_NANOS;
                    }
                    None => trusted = false,
                }
            }
            entries.push((relative.into_owned(), entry.into_path(), is_file));
        }
        let stamps = hex(stamps);
        let files = match previous {
            Some((previous_stamps, files)) if trusted && previous_stamps == stamps => files,
            _ => {
                let mut files = ring::digest::Context::new(&ring::digest::SHA256);
                for (relative, path, is_file) in &entries {
                    feed(&mut files, relative.as_bytes());
                    if *is_file {
                        feed(&mut files, b"f");
                        feed(&mut files, &std::fs::read(path).ok()?);
                    } else {
                        feed(&mut files, b"d");
                    }
                }
                hex(files)
            }
        };
        let mut digest = self.digest.clone();
        feed(&mut digest, version.0.as_deref().unwrap_or("").as_bytes());
        feed(&mut digest, &[u8::from(version.1)]);
        feed(&mut digest, files.as_bytes());
        Some(Inputs {
            fingerprint: hex(digest),
            files,
            stamps: trusted.then_some(stamps),
        })
    }
}

fn hex(digest: ring::digest::Context) -> String {
    files::to_hex(&files::finish(digest))
}

/// A file's stamp (device, inode, size, modification and change times) and the later of its two
/// times, in nanoseconds since 1970.
#[cfg(unix)]
fn stamp(meta: &std::fs::Metadata) -> Option<([u8; 56], i128)> {
    use std::os::unix::fs::MetadataExt;
    let mut bytes = [0u8; 56];
    let fields = [
        meta.dev(),
        meta.ino(),
        meta.size(),
        meta.mtime() as u64,
        meta.mtime_nsec() as u64,
        meta.ctime() as u64,
        meta.ctime_nsec() as u64,
    ];
    for (chunk, field) in bytes.chunks_exact_mut(8).zip(fields) {
        chunk.copy_from_slice(&field.to_le_bytes());
    }
    let nanos = |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
    Some((
        bytes,
        nanos(meta.mtime(), meta.mtime_nsec()).max(nanos(meta.ctime(), meta.ctime_nsec())),
    ))
}

/// Elsewhere no stamp is trusted: the files are always read.
#[cfg(not(unix))]
fn stamp(_meta: &std::fs::Metadata) -> Option<([u8; 56], i128)> {
    None
}
