//! The `sanwu` executable: see the library's documentation for the pipeline.

fn main() -> std::process::ExitCode {
    sanwu::main_with_args()
}
