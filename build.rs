//! Rebuild when the built-in theme or the init starter changes: both are compiled into the binary
//! with include_dir, and cargo does not see changes to files it does not compile.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=examples/starter");
    println!("cargo:rerun-if-changed=build.rs");
}
