//! Operational failures: problems that stop a run before or outside the data (a missing folder, an
//! unreadable file, an output folder that is not sanwu's). Each is reported once, in the user's
//! language, with the path, and makes the process exit with code 2.

use std::path::PathBuf;

use crate::diag::Lang;

#[derive(Debug)]
pub enum Fatal {
    RootMissing(PathBuf),
    ConfigMissing(PathBuf),
    ContentMissing(PathBuf),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    OutputNotOurs(PathBuf),
    OutputInsideContent(PathBuf),
    /// The output folder is the current folder or one of its ancestors.
    OutputHoldsWorkingDir(PathBuf),
    ThemeMissing {
        name: String,
        path: PathBuf,
    },
    Template {
        name: String,
        detail: String,
    },
    InitTargetNotEmpty(PathBuf),
    /// An open-data file could not be written consistently (a bug, never the user's input).
    Export {
        path: String,
        detail: String,
    },
    BadManifest {
        path: PathBuf,
        detail: String,
    },
    BadShard {
        path: PathBuf,
        detail: String,
    },
    NotInGit(PathBuf),
    Git {
        command: String,
        detail: String,
    },
    /// `sanwu serve` could not listen on its address or watch the portal's folders.
    Serve(String),
}

impl Fatal {
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Fatal::Io {
            path: path.into(),
            error,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use Fatal::*;
        match (self, lang) {
            (RootMissing(p), Lang::Zh) => format!(
                "找不到门户目录 {}\n提示：用 --root 指定包含 config.toml 的目录",
                p.display()
            ),
            (RootMissing(p), Lang::En) => format!(
                "the portal folder {} does not exist\nhint: point --root at the folder that holds config.toml",
                p.display()
            ),
            (ConfigMissing(p), Lang::Zh) => format!(
                "找不到 {}\n提示：在门户目录中运行，或用 sanwu init 新建一个门户",
                p.display()
            ),
            (ConfigMissing(p), Lang::En) => format!(
                "{} not found\nhint: run inside a portal folder, or create one with sanwu init",
                p.display()
            ),
            (ContentMissing(p), Lang::Zh) => format!(
                "找不到小区台账目录 {}\n提示：每个小区一个子目录，放在 content/ 下",
                p.display()
            ),
            (ContentMissing(p), Lang::En) => format!(
                "the ledger folder {} does not exist\nhint: put one folder per compound under content/",
                p.display()
            ),
            (Io { path, error }, Lang::Zh) => format!("无法读写 {}：{error}", path.display()),
            (Io { path, error }, Lang::En) => {
                format!("cannot read or write {}: {error}", path.display())
            }
            (OutputNotOurs(p), Lang::Zh) => format!(
                "输出目录 {} 不是空目录，也不是 sanwu 生成的网站，为避免误删未覆盖它\n提示：换一个 --output 目录，或先手动清空它",
                p.display()
            ),
            (OutputNotOurs(p), Lang::En) => format!(
                "the output folder {} is neither empty nor a site sanwu built; it was left untouched\nhint: choose another --output folder, or empty it yourself",
                p.display()
            ),
            (OutputInsideContent(p), Lang::Zh) => format!(
                "输出目录 {} 位于台账目录内\n提示：输出目录应放在 content/ 之外",
                p.display()
            ),
            (OutputInsideContent(p), Lang::En) => format!(
                "the output folder {} is inside the ledger folder\nhint: put the output outside content/",
                p.display()
            ),
            (OutputHoldsWorkingDir(p), Lang::Zh) => format!(
                "输出目录 {} 就是当前所在的目录（或它的上级），发布时整个目录会被替换\n提示：改用它下面的一个新目录，例如 --output public",
                p.display()
            ),
            (OutputHoldsWorkingDir(p), Lang::En) => format!(
                "the output folder {} is the folder you are in (or holds it), and publishing replaces the whole folder\nhint: use a new folder inside it, e.g. --output public",
                p.display()
            ),
            (ThemeMissing { name, path }, Lang::Zh) => format!(
                "找不到主题“{name}”（{}）\n提示：config.toml 中 theme = \"default\" 使用内置主题",
                path.display()
            ),
            (ThemeMissing { name, path }, Lang::En) => format!(
                "theme “{name}” not found ({})\nhint: theme = \"default\" in config.toml uses the built-in theme",
                path.display()
            ),
            (Template { name, detail }, Lang::Zh) => format!("模板 {name} 有错误：{detail}"),
            (Template { name, detail }, Lang::En) => {
                format!("template {name} has an error: {detail}")
            }
            (Export { path, detail }, Lang::Zh) => format!("无法生成开放数据文件 {path}：{detail}"),
            (Export { path, detail }, Lang::En) => {
                format!("cannot write the open-data file {path}: {detail}")
            }
            (BadManifest { path, detail }, Lang::Zh) => {
                format!("{} 不是有效的清单文件：{detail}", path.display())
            }
            (BadManifest { path, detail }, Lang::En) => {
                format!("{} is not a valid manifest: {detail}", path.display())
            }
            (BadShard { path, detail }, Lang::Zh) => format!(
                "分片 {} 无法合并：{detail}\n提示：合并同一版本 sanwu 生成的全部分片（1/N 到 N/N）",
                path.display()
            ),
            (BadShard { path, detail }, Lang::En) => format!(
                "the shard {} cannot be merged: {detail}\nhint: merge every shard (1/N to N/N) built by the same sanwu version",
                path.display()
            ),
            (NotInGit(p), Lang::Zh) => format!(
                "{} 不在 git 仓库中\n提示：先 git init 并提交台账，才能比较版本",
                p.display()
            ),
            (NotInGit(p), Lang::En) => format!(
                "{} is not in a git repository\nhint: git init and commit the ledgers to compare revisions",
                p.display()
            ),
            (Git { command, detail }, Lang::Zh) => format!("{command} 失败：{detail}"),
            (Git { command, detail }, Lang::En) => format!("{command} failed: {detail}"),
            (Serve(detail), Lang::Zh) => format!(
                "无法启动预览：{detail}\n提示：用 --port 换一个端口，--port 0 表示任选一个空闲端口"
            ),
            (Serve(detail), Lang::En) => format!(
                "cannot start the preview: {detail}\nhint: choose another --port; --port 0 picks any free port"
            ),
            (InitTargetNotEmpty(p), Lang::Zh) => format!(
                "目录 {} 已存在且不为空，未做任何改动\n提示：换一个新目录名",
                p.display()
            ),
            (InitTargetNotEmpty(p), Lang::En) => format!(
                "{} exists and is not empty; nothing was changed\nhint: choose a new folder name",
                p.display()
            ),
        }
    }
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Fatal {}
