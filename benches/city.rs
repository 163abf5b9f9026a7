//! City-scale benchmark of `sanwu build` on synthetic portals.
//!
//! ```text
//! cargo bench --bench city                         # N = 100 and 1,000 compounds
//! cargo bench --bench city -- 100 1000 10000 --years 3 --runs 3
//! cargo bench --bench city -- 1000 --output-dir /dev/shm/sanwu-bench   # builds into tmpfs
//! ```
//!
//! For each N, a portal of N compounds and `--years` years of ledgers is generated into
//! `target/bench-data/n{N}-y{Y}/` (reused while its stamp matches the spec and the generator's
//! source), then the release binary is run `--runs` times as a full build into an empty output
//! folder, and once more after one row is appended to one compound's fees.csv (the row is removed
//! again afterwards). Wall time comes from `Instant`; CPU time (user + sys) and peak RSS of the
//! child from `wait4`. The Markdown table is printed and written to `target/bench-results.md`.
//!
//! The builds go to `--output-dir` (default `target/bench-data/`), and the report names its file
//! system. Where that is ext4 without a journal, creating files soon after deleting many is slow
//! in the kernel (each new inode skips over recently deleted ones, `recently_deleted()` in
//! ext4's `find_inode_bit`), so a run right after the previous run's output was removed measures
//! the allocator as much as sanwu: the system time column shows it. A tmpfs folder measures
//! sanwu alone.

#[path = "../examples/synth/mod.rs"]
mod synth;

use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

const SANWU: &str = env!("CARGO_BIN_EXE_sanwu");
const SEED: u64 = 1;
const FIRST_YEAR: i32 = 2023;
const USAGE: &str =
    "usage: cargo bench --bench city -- [N ...] [--years Y] [--runs R] [--output-dir DIR]";

struct Options {
    sizes: Vec<usize>,
    years: u32,
    runs: usize,
    /// Where the builds are written (the portals themselves stay in `target/bench-data/`).
    output_dir: Option<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut sizes = Vec::new();
    let mut years = 3;
    let mut runs = 3;
    let mut output_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            "--years" => years = number(args.next(), "--years")?,
            "--runs" => runs = number(args.next(), "--runs")?,
            "--output-dir" => {
                output_dir = Some(PathBuf::from(
                    args.next().ok_or("--output-dir needs a value")?,
                ))
            }
            "-h" | "--help" => return Err(String::new()),
            s => sizes.push(number(Some(s.to_string()), "N")?),
        }
    }
    if sizes.is_empty() {
        sizes = vec![100, 1000];
    }
    if sizes.contains(&0) || years == 0 || runs == 0 {
        return Err("N, --years and --runs must be positive".into());
    }
    Ok(Options {
        sizes,
        years,
        runs,
        output_dir,
    })
}

fn number<T: std::str::FromStr>(value: Option<String>, name: &str) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{name} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{name}: “{value}” is not a valid number"))
}

/// One build of the site.
struct Run {
    wall: f64,
    cpu: f64,
    /// The part of `cpu` spent in the kernel.
    sys: f64,
    rss_bytes: u64,
}

/// The figures of one portal size.
struct Row {
    compounds: usize,
    pages: usize,
    input_bytes: u64,
    wall: f64,
    cpu: f64,
    sys: f64,
    rss_bytes: u64,
    rebuild: f64,
}

fn main() {
    let opts = match parse_args() {
        Ok(opts) => opts,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&opts) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(opts: &Options) -> Result<(), String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let data = target.join("bench-data");
    fs::create_dir_all(&data).map_err(|e| format!("creating {}: {e}", data.display()))?;
    let outputs = opts.output_dir.clone().unwrap_or_else(|| data.clone());
    fs::create_dir_all(&outputs).map_err(|e| format!("creating {}: {e}", outputs.display()))?;
    let file_system = file_system(&outputs);
    eprintln!("sanwu: {SANWU}");
    eprintln!("cores: {cores}");
    eprintln!("output: {} ({file_system})", outputs.display());

    let mut rows = Vec::new();
    for &n in &opts.sizes {
        let (root, input_bytes) = prepare(&data, n, opts.years)?;
        let out = outputs.join(format!("n{n}-y{}.out", opts.years));
        let stderr_log = data.join(format!("n{n}-y{}.stderr", opts.years));
        let mut runs = Vec::new();
        for r in 1..=opts.runs {
            // A full build from nothing: without the previous site and its build cache.
            remove_dir(&out)?;
            remove_cache(&out)?;
            let run = build(&root, &out, &stderr_log)?;
            eprintln!(
                "n={n}: full build {r}/{}: {:.2} s wall, {:.2} s CPU ({:.2} s sys), {:.0} MB peak RSS",
                opts.runs,
                run.wall,
                run.cpu,
                run.sys,
                run.rss_bytes as f64 / 1e6
            );
            runs.push(run);
        }
        let pages = count_html(&out).map_err(|e| format!("counting pages: {e}"))?;
        let rebuild = {
            let _touched = TouchedFees::append(&root, FIRST_YEAR + opts.years as i32)
                .map_err(|e| format!("touching fees.csv: {e}"))?;
            build(&root, &out, &stderr_log)?
        };
        eprintln!(
            "n={n}: rebuild after touching one fees.csv: {:.2} s",
            rebuild.wall
        );
        rows.push(Row {
            compounds: n,
            pages,
            input_bytes,
            wall: median(runs.iter().map(|r| r.wall).collect()),
            cpu: median(runs.iter().map(|r| r.cpu).collect()),
            sys: median(runs.iter().map(|r| r.sys).collect()),
            rss_bytes: runs.iter().map(|r| r.rss_bytes).max().unwrap_or(0),
            rebuild: rebuild.wall,
        });
    }

    let report = report(&rows, opts, cores, &file_system);
    println!("{report}");
    let path = target.join("bench-results.md");
    fs::write(&path, &report).map_err(|e| format!("writing {}: {e}", path.display()))?;
    eprintln!("written to {}", path.display());
    Ok(())
}

fn report(rows: &[Row], opts: &Options, cores: usize, file_system: &str) -> String {
    let mut s = String::new();
    s.push_str("# sanwu city benchmark\n\n");
    s.push_str(&format!(
        "Machine: {cores} cores ({} {}). Synthetic portals: {} years of ledgers per compound, \
         seed {SEED}; median of {} full builds; peak RSS is the maximum over those builds. \
         Output written to {file_system}.\n\n",
        std::env::consts::OS,
        std::env::consts::ARCH,
        opts.years,
        opts.runs
    ));
    s.push_str(
        "| N | pages | input MB | median wall s | CPU s | of which sys s | CPU/wall | pages/s | input MB/s | peak RSS MB | rebuild-after-touch s |\n",
    );
    s.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let mb = r.input_bytes as f64 / 1e6;
        s.push_str(&format!(
            "| {} | {} | {:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.1} | {:.0} | {:.2} |\n",
            r.compounds,
            r.pages,
            mb,
            r.wall,
            r.cpu,
            r.sys,
            r.cpu / r.wall,
            r.pages as f64 / r.wall,
            mb / r.wall,
            r.rss_bytes as f64 / 1e6,
            r.rebuild
        ));
    }
    s
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Generates the portal of `n` compounds unless a matching one is already there. Returns its
/// root and its size in bytes.
fn prepare(data: &Path, n: usize, years: u32) -> Result<(PathBuf, u64), String> {
    let root = data.join(format!("n{n}-y{years}"));
    let stamp_path = data.join(format!("n{n}-y{years}.stamp"));
    let spec = synth::SynthSpec {
        compounds: n,
        years,
        first_year: FIRST_YEAR,
        seed: SEED,
    };
    let mut hasher = std::hash::DefaultHasher::new();
    include_str!("../examples/synth/mod.rs").hash(&mut hasher);
    let wanted = format!(
        "compounds={n} years={years} first_year={FIRST_YEAR} seed={SEED} generator={:016x}",
        hasher.finish()
    );
    if let Ok(stamp) = fs::read_to_string(&stamp_path) {
        let mut lines = stamp.lines();
        let matches = lines.next() == Some(wanted.as_str());
        let bytes: Option<u64> = lines
            .next()
            .and_then(|l| l.strip_prefix("bytes="))
            .and_then(|b| b.parse().ok());
        if let (true, Some(bytes)) = (matches, bytes)
            && root.join("config.toml").is_file()
        {
            eprintln!("n={n}: reusing {}", root.display());
            return Ok((root, bytes));
        }
    }
    let _ = fs::remove_file(&stamp_path);
    remove_dir(&root)?;
    let started = Instant::now();
    let stats =
        synth::generate(&spec, &root).map_err(|e| format!("generating {}: {e}", root.display()))?;
    eprintln!(
        "n={n}: generated {} compounds, {} files, {:.1} MB in {:.1} s",
        stats.compounds,
        stats.files,
        stats.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    fs::write(&stamp_path, format!("{wanted}\nbytes={}\n", stats.bytes))
        .map_err(|e| format!("writing {}: {e}", stamp_path.display()))?;
    Ok((root, stats.bytes))
}

fn remove_dir(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(format!("removing {}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Removes the build cache sanwu keeps beside an output folder.
fn remove_cache(out: &Path) -> Result<(), String> {
    let cache = sanwu::write::cache::path_for(out);
    match fs::remove_file(&cache) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(format!("removing {}: {e}", cache.display()))
        }
        _ => Ok(()),
    }
}

/// Runs `sanwu build` once; a failure carries its stderr (main prints it and exits 1).
fn build(root: &Path, out: &Path, stderr_log: &Path) -> Result<Run, String> {
    let log = fs::File::create(stderr_log)
        .map_err(|e| format!("creating {}: {e}", stderr_log.display()))?;
    let started = Instant::now();
    let child = Command::new(SANWU)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("running {SANWU}: {e}"))?;
    let (success, cpu, sys, rss_bytes) =
        wait_with_usage(child).map_err(|e| format!("waiting for sanwu: {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    if !success {
        let stderr = fs::read_to_string(stderr_log).unwrap_or_default();
        return Err(format!(
            "{stderr}\nsanwu build --root {} failed",
            root.display()
        ));
    }
    Ok(Run {
        wall,
        cpu,
        sys,
        rss_bytes,
    })
}

/// Reaps the child with `wait4` to get its CPU time (user + sys, and sys alone, seconds) and peak
/// RSS (bytes).
#[cfg(unix)]
fn wait_with_usage(child: Child) -> io::Result<(bool, f64, f64, u64)> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data, for which all-zero bytes are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    // The child is reaped; dropping the handle neither waits nor kills.
    drop(child);
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let sys = secs(usage.ru_stime);
    let cpu = secs(usage.ru_utime) + sys;
    // ru_maxrss is in kilobytes on Linux and the BSDs, in bytes on macOS.
    let rss = if cfg!(target_os = "macos") {
        usage.ru_maxrss as u64
    } else {
        usage.ru_maxrss as u64 * 1024
    };
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((success, cpu, sys, rss))
}

/// Without `wait4`, only the exit status and the wall time are known.
#[cfg(not(unix))]
fn wait_with_usage(mut child: Child) -> io::Result<(bool, f64, f64, u64)> {
    let status = child.wait()?;
    Ok((status.success(), f64::NAN, f64::NAN, 0))
}

/// The type of the file system holding `dir` (from `/proc/self/mounts`: the mount point that is
/// the longest prefix of the folder), or "an unknown file system".
fn file_system(dir: &Path) -> String {
    let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mounts = fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let (_device, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            // Spaces etc. in mount points are written as octal escapes.
            let point = point.replace("\\040", " ");
            dir.starts_with(&point)
                .then(|| (point.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "an unknown file system".to_string(), |(_, kind)| kind)
}

/// One row appended to the first compound's fees.csv; the original file is restored on drop.
struct TouchedFees {
    path: PathBuf,
    original: Vec<u8>,
}

impl TouchedFees {
    fn append(root: &Path, year: i32) -> io::Result<TouchedFees> {
        let path = root.join("content").join("c00001").join("fees.csv");
        let original = fs::read(&path)?;
        let text = String::from_utf8_lossy(&original);
        // Reuse the building type of the last row so the row matches a fee standard.
        let building_type = text
            .lines()
            .last()
            .and_then(|l| l.split(',').nth(1))
            .unwrap_or("高层住宅")
            .to_string();
        let mut touched = text.into_owned();
        if !touched.ends_with('\n') {
            touched.push('\n');
        }
        touched.push_str(&format!(
            "{year}-01,{building_type},10,9,\"1,000.00\",\"900.00\",\"0.00\",基准测试追加\n"
        ));
        fs::write(&path, touched)?;
        Ok(TouchedFees { path, original })
    }
}

impl Drop for TouchedFees {
    fn drop(&mut self) {
        if let Err(e) = fs::write(&self.path, &self.original) {
            eprintln!("error: restoring {}: {e}", self.path.display());
        }
    }
}

fn count_html(dir: &Path) -> io::Result<usize> {
    let mut count = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if entry.path().extension().is_some_and(|e| e == "html") {
                count += 1;
            }
        }
    }
    Ok(count)
}
