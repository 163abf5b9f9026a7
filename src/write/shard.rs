//! Sharded builds, for portals too big for one machine: `sanwu build --shard I/N` builds the
//! compounds whose slug hashes to share I of N and leaves, beside their pages, a shard file with
//! their summaries; `sanwu merge` gathers the shards' pages and summaries and renders the portal
//! pages once. A compound's share depends only on its slug (SHA-256 of the slug, modulo N), so
//! adding a compound never moves the others to another shard.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::compute::CompoundSummary;
use crate::error::Fatal;

/// The file a shard build leaves in its output folder for the merge (never published).
pub const FILE_NAME: &str = "sanwu-shard.json";

/// Share `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `I/N` with 1 ≤ I ≤ N.
    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("“{text}”: 应写作 I/N，如 2/8 / expected I/N, e.g. 2/8");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the compound `slug` belongs to this shard.
    pub fn contains(&self, slug: &str) -> bool {
        let digest = ring::digest::digest(&ring::digest::SHA256, slug.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest.as_ref()[..8]);
        u64::from_be_bytes(first) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// What a shard build hands to the merge.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardFile {
    /// `I/N`.
    pub shard: String,
    /// `sanwu <version>`: shards and merge must come from the same version.
    pub generator: String,
    /// The shard's compounds, in slug order.
    pub compounds: Vec<CompoundSummary>,
    /// Their input fingerprints, for the merged manifest.
    #[serde(default)]
    pub inputs: std::collections::BTreeMap<String, String>,
}

/// A shard's output folder, read for the merge.
pub struct ShardDir {
    pub dir: PathBuf,
    pub shard: Shard,
    pub file: ShardFile,
}

impl ShardDir {
    pub fn open(dir: &Path) -> Result<ShardDir, Fatal> {
        let path = dir.join(FILE_NAME);
        let bytes = std::fs::read(&path).map_err(|e| Fatal::io(&path, e))?;
        let bad = |detail: String| Fatal::BadShard {
            path: path.clone(),
            detail,
        };
        let file: ShardFile = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
        let shard: Shard = file.shard.parse().map_err(bad)?;
        let generator = format!("sanwu {}", env!("CARGO_PKG_VERSION"));
        if file.generator != generator {
            return Err(bad(format!(
                "built by {}, merging with {generator}",
                file.generator
            )));
        }
        Ok(ShardDir {
            dir: dir.to_path_buf(),
            shard,
            file,
        })
    }
}

/// Checks that `shards` are exactly the shares 1..N of one N.
pub fn check_complete(shards: &[ShardDir]) -> Result<(), Fatal> {
    let count = shards.first().map_or(0, |s| s.shard.count);
    let mut seen = vec![false; count as usize];
    for s in shards {
        let slot = (s.shard.index - 1) as usize;
        if s.shard.count != count || seen[slot] {
            return Err(Fatal::BadShard {
                path: s.dir.join(FILE_NAME),
                detail: format!(
                    "shard {} does not fit the others (of {count}) or is given twice",
                    s.shard
                ),
            });
        }
        seen[slot] = true;
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(Fatal::BadShard {
            path: PathBuf::from(format!("{}/{count}", missing + 1)),
            detail: "shard missing from the merge".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slug_is_in_exactly_one_shard() {
        for slug in ["mingxiu", "yihe", "tielong", "tianyuan", "c00042"] {
            let owners = (1..=4)
                .filter(|&i| Shard { index: i, count: 4 }.contains(slug))
                .count();
            assert_eq!(owners, 1, "{slug}");
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/8".parse(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1/0", "2", "a/b"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
