//! Rebuild when the built-in theme or the init starter changes: both are compiled into the binary
//! with include_dir, and cargo does not see changes to files it does not compile.
//!
//! Also fingerprints the sources (`SANWU_SOURCE_HASH`): a page is re-rendered when the code that
//! renders it changed, even if the version number did not.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

fn hash_tree(dir: &Path, hasher: &mut DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            hash_tree(&path, hasher);
        } else if let Ok(bytes) = std::fs::read(&path) {
            hasher.write(path.to_string_lossy().as_bytes());
            hasher.write(&bytes);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=examples/starter");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    let mut hasher = DefaultHasher::new();
    hash_tree(Path::new("src"), &mut hasher);
    hash_tree(Path::new("themes/default"), &mut hasher);
    println!("cargo:rustc-env=SANWU_SOURCE_HASH={:016x}", hasher.finish());
}
