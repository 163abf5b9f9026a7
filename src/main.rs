//! The `sanwu` executable: see the library's documentation for the pipeline.

/// Rendering allocates many small strings and JSON values across threads; mimalloc handles that
/// measurably better than the system allocator (see README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    sanwu::main_with_args()
}
