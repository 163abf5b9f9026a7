//! The table of a site's files and their SHA-256 digests, kept compactly because a city portal has
//! hundreds of thousands of files: every path lives in one shared string buffer and every digest is
//! 32 bytes (not a 64-character hex string), so the table costs about the length of the path plus
//! 48 bytes per file. It reads and writes the `files` object of `manifest.json` (path → hex) in the
//! same format as a `BTreeMap<String, String>` would, streaming, without building the text first.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub type Digest = [u8; 32];

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Digest {
    // ring's SHA-256 uses the CPU's vector instructions: hashing every published file is a
    // measurable share of a build.
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Adds one field to a running SHA-256, preceded by its length, so that consecutive fields
/// cannot run into each other (`"ab", "c"` and `"a", "bc"` differ). Every fingerprint of a build
/// (settings, compound keys, the build cache's inputs) is fed this way.
pub fn feed(digest: &mut ring::digest::Context, bytes: &[u8]) {
    digest.update(&(bytes.len() as u64).to_le_bytes());
    digest.update(bytes);
}

/// The digest a running SHA-256 ends with.
pub fn finish(digest: ring::digest::Context) -> Digest {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.finish().as_ref());
    out
}

/// `digest` in lower-case hex, as an owned string.
pub fn to_hex(digest: &Digest) -> String {
    hex(digest, &mut [0u8; 64]).to_string()
}

/// `digest` in lower-case hex, written into `buf`.
pub fn hex<'a>(digest: &Digest, buf: &'a mut [u8; 64]) -> &'a str {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (i, byte) in digest.iter().enumerate() {
        buf[2 * i] = DIGITS[usize::from(byte >> 4)];
        buf[2 * i + 1] = DIGITS[usize::from(byte & 15)];
    }
    // Only ASCII digits were written.
    std::str::from_utf8(buf).unwrap_or_default()
}

/// The digest a 64-character hex string spells, if it does.
pub fn parse_hex(text: &str) -> Option<Digest> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    start: usize,
    len: u32,
    /// Staged (written) in this build, as opposed to kept from the previous site.
    staged: bool,
    digest: Digest,
}

/// Path → digest. Entries are appended in any order; [`FileTable::finish`] sorts them by path (as
/// a `BTreeMap` would) and keeps the last entry added for a path.
#[derive(Debug, Default, Clone)]
pub struct FileTable {
    text: String,
    entries: Vec<Entry>,
}

impl FileTable {
    pub fn new() -> FileTable {
        FileTable::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn path(&self, entry: &Entry) -> &str {
        &self.text[entry.start..entry.start + entry.len as usize]
    }

    /// Adds `path` (marked as staged or kept).
    pub fn push(&mut self, path: &str, digest: Digest, staged: bool) {
        let start = self.text.len();
        self.text.push_str(path);
        self.entries.push(Entry {
            start,
            len: u32::try_from(path.len()).unwrap_or(u32::MAX),
            staged,
            digest,
        });
    }

    /// Sorts by path and keeps the last entry added for each path.
    pub fn finish(&mut self) {
        let text = &self.text;
        let path = |e: &Entry| &text[e.start..e.start + e.len as usize];
        // A stable sort keeps entries of the same path in the order they were added.
        self.entries.sort_by(|a, b| path(a).cmp(path(b)));
        // `dedup_by` keeps the first of a run and offers each later one as `later`: move the later
        // entry into the kept place before dropping it.
        self.entries.dedup_by(|later, kept| {
            let same = path(later) == path(kept);
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
    }

    /// Every path with its digest, in the order of the entries (by path after `finish`).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Digest)> {
        self.entries.iter().map(|e| (self.path(e), &e.digest))
    }

    /// The paths staged in this build, in the order of the entries.
    pub fn staged(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.staged)
            .map(|e| self.path(e))
    }

    fn position(&self, path: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| self.path(e).cmp(path))
    }

    /// The digest of `path` (only once the table is sorted).
    pub fn get(&self, path: &str) -> Option<&Digest> {
        self.position(path).ok().map(|i| &self.entries[i].digest)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.position(path).is_ok()
    }

    /// The paths starting with `prefix`, in order (only once the table is sorted).
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Digest)> {
        let from = self
            .entries
            .partition_point(|e| self.path(e).cmp(prefix) == Ordering::Less);
        self.entries[from..]
            .iter()
            .map(|e| (self.path(e), &e.digest))
            .take_while(move |(p, _)| p.starts_with(prefix))
    }
}

/// The paths of `old` that `new` does not have, in order, found by walking both sorted tables
/// side by side (a city portal's tables have hundreds of thousands of paths each).
pub fn missing_from<'a>(old: &'a FileTable, new: &'a FileTable) -> impl Iterator<Item = &'a str> {
    let mut new_paths = new.iter().map(|(p, _)| p).peekable();
    old.iter().map(|(p, _)| p).filter(move |path| {
        while new_paths.next_if(|n| n < path).is_some() {}
        new_paths.peek() != Some(path)
    })
}

impl Serialize for FileTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        let mut buf = [0u8; 64];
        for (path, digest) in self.iter() {
            map.serialize_entry(path, hex(digest, &mut buf))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for FileTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FileTable, D::Error> {
        struct TableVisitor;
        impl<'de> Visitor<'de> for TableVisitor {
            type Value = FileTable;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of paths and SHA-256 hex digests")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FileTable, A::Error> {
                let mut table = FileTable::new();
                while let Some((path, digest)) =
                    map.next_entry::<std::borrow::Cow<str>, std::borrow::Cow<str>>()?
                {
                    let digest = parse_hex(&digest)
                        .ok_or_else(|| serde::de::Error::custom("not a SHA-256 hex digest"))?;
                    table.push(&path, digest, false);
                }
                table.finish();
                Ok(table)
            }
        }
        deserializer.deserialize_map(TableVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn missing_paths_are_found_by_walking_both_tables() {
        let table = |paths: &[&str]| {
            let mut t = FileTable::new();
            for p in paths {
                t.push(p, sha256(p.as_bytes()), true);
            }
            t.finish();
            t
        };
        let old = table(&["a", "b/1", "b/2", "c", "d/x", "e"]);
        let new = table(&["a0", "b/2", "c", "c0", "e", "f"]);
        let missing: Vec<_> = missing_from(&old, &new).collect();
        assert_eq!(missing, ["a", "b/1", "d/x"]);
        // The same answer as looking each path up.
        let looked_up: Vec<_> = old
            .iter()
            .map(|(p, _)| p)
            .filter(|p| !new.contains(p))
            .collect();
        assert_eq!(missing, looked_up);
        assert_eq!(missing_from(&old, &table(&[])).count(), 6);
        assert_eq!(missing_from(&table(&[]), &old).count(), 0);
    }

    #[test]
    fn hex_round_trip() {
        let digest = sha256(b"abc");
        let mut buf = [0u8; 64];
        let text = hex(&digest, &mut buf).to_string();
        assert_eq!(
            text,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(parse_hex(&text), Some(digest));
        assert_eq!(parse_hex("ba78"), None);
        assert_eq!(parse_hex(&text.replace('b', "g")), None);
    }

    #[test]
    fn serialises_like_a_sorted_map_and_keeps_the_last_entry() {
        let mut table = FileTable::new();
        let mut map = BTreeMap::new();
        let mut buf = [0u8; 64];
        for (i, path) in ["b/x.html", "a.html", "b/a.html", "a.html", "ab/c", "b"]
            .iter()
            .enumerate()
        {
            let digest = sha256(&[i as u8]);
            table.push(path, digest, i % 2 == 0);
            map.insert(path.to_string(), hex(&digest, &mut buf).to_string());
        }
        table.finish();
        assert_eq!(table.len(), 5);
        assert_eq!(
            serde_json::to_string_pretty(&table).unwrap(),
            serde_json::to_string_pretty(&map).unwrap()
        );
        // "a.html" was added last as entry 3 (not staged).
        assert_eq!(
            table.staged().collect::<Vec<_>>(),
            ["ab/c", "b/a.html", "b/x.html"]
        );
        assert_eq!(table.get("a.html"), Some(&sha256(&[3])));
        assert!(table.get("c").is_none());
        assert_eq!(
            table.with_prefix("b/").map(|(p, _)| p).collect::<Vec<_>>(),
            ["b/a.html", "b/x.html"]
        );
        let back: FileTable = serde_json::from_str(&serde_json::to_string(&map).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert!(serde_json::from_str::<FileTable>(r#"{"a": "not hex"}"#).is_err());
    }
}
