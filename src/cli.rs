//! Command-line arguments. Each subcommand has its own `*Args` struct; this module only describes
//! the arguments, the `cmd` modules act on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "sanwu",
    version,
    about = "把小区账本生成阳光三务公示网站 — turn residential compounds' ledgers into a static transparency website",
    long_about = "把小区账本生成阳光三务公示网站 — turn residential compounds' ledgers into a static transparency website.\n\n\
A portal is a folder with config.toml and one folder per compound under content/ \
(compound.toml, fees.csv, revenue.csv, fund.csv, projects/, tenders/, notices/). \
See docs/format.md for the format.\n\n\
快速开始 / Quick start:\n  sanwu init my-portal     新建门户 / create a portal\n  cd my-portal\n  sanwu check              检查台账 / check the ledgers\n  sanwu build              生成网站到 public/ / build the site into public/",
    after_help = "退出码 / exit codes: 0 成功/success, 1 台账有错误/the ledgers have errors, 2 无法运行/could not run (missing folder, unreadable file)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 生成网站 / Check the ledgers and build the site (nothing is published if there is an error)
    Build(BuildArgs),
    /// 检查台账，不生成网站 / Check the ledgers without writing anything
    Check(CheckArgs),
    /// 新建一个可运行的门户 / Create a working one-compound portal to start from
    Init(InitArgs),
    /// 把台账 CSV 改写为规范格式 / Rewrite every CSV ledger in canonical form (sorted rows, plain
    /// numbers, UTF-8 with BOM) so that diffs show only real changes
    Fmt(FmtArgs),
    /// 把 Excel/WPS 导出的 CSV 转为规范台账 / Convert an Excel/WPS CSV export into a canonical ledger
    Import(ImportArgs),
    /// 比较两个版本的台账 / Compare the ledgers of two git revisions row by row (default: HEAD~1
    /// and the working tree)
    Diff(DiffArgs),
    /// 合并分片构建的结果 / Merge the outputs of sharded builds into one site and render the
    /// portal pages
    Merge(MergeArgs),
    /// 核对网站副本是否被改动 / Check a published or mirrored site against its manifest.json
    Verify(VerifyArgs),
    /// 本地预览，保存台账后自动刷新 / Preview the site locally with live reload while editing the
    /// ledgers (public/ is not touched)
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// 端口，0 表示任选空闲端口 / Port to listen on (0: any free port)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// 监听地址 / Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: String,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// 较早的版本 / The earlier revision (default: HEAD~1)
    pub before: Option<String>,
    /// 较新的版本 / The later revision (default: the working tree)
    pub after: Option<String>,
    /// 门户目录 / The portal folder
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// 输出格式 / Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 提示语言 / Language of messages
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// 网站目录（含 manifest.json）/ The site folder, holding manifest.json
    #[arg(default_value = "public")]
    pub dir: PathBuf,
    /// 输出格式 / Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 提示语言 / Language of messages
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Args, Debug)]
pub struct PortalArgs {
    /// 门户目录（含 config.toml）/ The portal folder, holding config.toml
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// 提示语言 / Language of messages (default: config.toml's `language`, else zh)
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// 以此日期判断是否逾期未公示 / The date to judge overdue disclosures against (default:
    /// config.toml's `today`; the clock is never used, so builds stay reproducible)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// 输出目录 / Output folder (default: config.toml's `output_dir`, relative to the portal)
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 只输出错误和警告 / Print only findings, no summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// 分片构建：只生成第 I 份（共 N 份）小区，之后用 sanwu merge 合并 / Build only share I of N
    /// of the compounds (by a hash of their folder name); combine the shards with `sanwu merge`
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::write::shard::Shard>,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// 各分片的输出目录 / The output folders of `sanwu build --shard I/N`, one per shard
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// 输出目录 / Output folder (default: config.toml's `output_dir`, relative to the portal)
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 只输出错误 / Print nothing on success
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// 供人阅读 / For people
    Text,
    /// 供程序读取 / For tools and CI
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// 输出格式 / Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// 新门户的目录 / Folder for the new portal (must not exist or be empty)
    #[arg(default_value = "my-portal")]
    pub dir: PathBuf,
    /// 提示语言 / Language of messages
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    #[command(flatten)]
    pub portal: PortalArgs,
    /// 只检查，不写入；有未规范化的文件时退出码为 1 / Write nothing; list the files that are not
    /// canonical and exit 1 if there are any
    #[arg(long)]
    pub check: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Excel/WPS 导出的 CSV 文件 / The CSV export to convert
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// 台账类型 / Which ledger the export holds
    #[arg(long = "as", value_enum, value_name = "KIND")]
    pub kind: crate::ledger::canonical::Kind,
    /// 写入 DIR/<类型>.csv（默认输出到标准输出）/ Write DIR/<kind>.csv (default: print to stdout)
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// 覆盖已有的文件 / Overwrite an existing file
    #[arg(long)]
    pub force: bool,
    /// 提示语言 / Language of messages
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}
