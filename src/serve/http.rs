//! The preview's HTTP side (with the `tiny_http` crate): serves the private copy of the site,
//! adds the theme's serve-only snippet (live-reload script, error overlay) to every HTML page it
//! sends, and answers the script's long-poll `/__sanwu/wait?v=VERSION` when the site changed.
//! One thread per request: a local preview has a handful of readers, and long-polls must not
//! hold up page requests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::error::Fatal;

/// How long a long-poll is held before it is answered with the unchanged version.
const HOLD: Duration = Duration::from_secs(25);

/// What the pages being served look like now; shared by the rebuilds and the request threads.
pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
    /// The preview's private site folder.
    dir: PathBuf,
    /// Serve-only assets (`/__sanwu/<name>`).
    assets: Mutex<Vec<(String, Vec<u8>)>>,
}

struct State {
    /// Counts the announced changes; a page knows the generation it was served at.
    generation: u64,
    /// The generation at which each page last changed (or was removed).
    pages: HashMap<String, u64>,
    /// The generation at which the overlay last changed (it is on every page).
    overlay: u64,
    /// Renders what is inserted before `</body>` of every HTML page, for a version.
    snippet: Snippet,
}

/// Renders the serve-only snippet (overlay and live-reload script) for a version.
pub type Snippet = Arc<dyn Fn(&str) -> Vec<u8> + Send + Sync>;

/// `<pid>-<generation>`: a page served by an earlier run of `sanwu serve` has another pid, and
/// reloads.
fn version(generation: u64) -> String {
    format!("{}-{generation}", std::process::id())
}

/// The generation a version names, if it is this process's.
fn generation_of(version: &str) -> Option<u64> {
    let (pid, generation) = version.split_once('-')?;
    if pid != std::process::id().to_string() {
        return None;
    }
    generation.parse().ok()
}

impl Live {
    pub fn new(dir: &Path) -> Live {
        Live {
            state: Mutex::new(State {
                generation: 0,
                pages: HashMap::new(),
                overlay: 0,
                snippet: Arc::new(|_: &str| Vec::new()),
            }),
            changed: Condvar::new(),
            dir: dir.to_path_buf(),
            assets: Mutex::new(Vec::new()),
        }
    }

    /// Announces changed pages (site-relative paths) and, when `overlay` is given, a new overlay
    /// (rendered for each page served): the open pages concerned reload.
    pub fn publish(&self, changed: &[String], overlay: Option<Snippet>) {
        if changed.is_empty() && overlay.is_none() {
            return;
        }
        if let Ok(mut state) = self.state.lock() {
            state.generation += 1;
            let generation = state.generation;
            for path in changed {
                state.pages.insert(path.clone(), generation);
            }
            if let Some(snippet) = overlay {
                state.overlay = generation;
                state.snippet = snippet;
            }
        }
        self.changed.notify_all();
    }

    pub fn set_assets(&self, assets: Vec<(String, Vec<u8>)>) {
        if let Ok(mut a) = self.assets.lock() {
            *a = assets;
        }
    }

    /// The snippet for a page served now, naming the current version.
    fn snippet(&self) -> Vec<u8> {
        let Ok(state) = self.state.lock() else {
            return Vec::new();
        };
        let (render, now) = (Arc::clone(&state.snippet), version(state.generation));
        drop(state);
        render(&now)
    }

    /// Blocks until the page `page` (site-relative) or the overlay changed after the version
    /// `seen`, or [`HOLD`] passed; returns the version then.
    fn wait(&self, seen: &str, page: &str) -> String {
        let Ok(state) = self.state.lock() else {
            return String::new();
        };
        let Some(seen) = generation_of(seen) else {
            return version(state.generation);
        };
        let stale =
            |s: &mut State| s.overlay > seen || s.pages.get(page).is_some_and(|g| *g > seen);
        match self.changed.wait_timeout_while(state, HOLD, |s| !stale(s)) {
            Ok((_, timeout)) if timeout.timed_out() => version(seen),
            Ok((state, _)) => version(state.generation),
            Err(_) => String::new(),
        }
    }
}

/// Listens on `bind:port` (port 0: any free port); returns the server and the address it got.
pub fn listen(bind: &str, port: u16) -> Result<(Arc<Server>, std::net::SocketAddr), Fatal> {
    let server =
        Server::http((bind, port)).map_err(|e| Fatal::Serve(format!("{bind}:{port}: {e}")))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Fatal::Serve(format!("{bind}:{port}")))?;
    Ok((Arc::new(server), addr))
}

/// Answers requests until the server is unblocked.
pub fn serve(server: Arc<Server>, live: Arc<Live>) {
    for request in server.incoming_requests() {
        let live = Arc::clone(&live);
        std::thread::spawn(move || handle(request, &live));
    }
}

/// Adds `Content-Type` and `Cache-Control: no-store` (a preview is never cached).
fn typed<R: std::io::Read>(mut response: Response<R>, kind: &str) -> Response<R> {
    for (name, value) in [("Content-Type", kind), ("Cache-Control", "no-store")] {
        if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    response
}

fn handle(request: Request, live: &Live) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("405").with_status_code(405));
        return;
    }
    if path == "/__sanwu/wait" {
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .map(percent_decode)
                .unwrap_or_default()
        };
        let page = page_key(&live.dir, &param("p"));
        let version = live.wait(&param("v"), &page);
        let _ = request.respond(typed(
            Response::from_string(version),
            "text/plain; charset=utf-8",
        ));
        return;
    }
    if let Some(name) = path.strip_prefix("/__sanwu/") {
        let asset = live
            .assets
            .lock()
            .ok()
            .and_then(|a| a.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()));
        let _ = match asset {
            Some(bytes) => request.respond(typed(Response::from_data(bytes), content_type(name))),
            None => request.respond(not_found(path)),
        };
        return;
    }
    let Some(relative) = site_path(path) else {
        let _ = request.respond(not_found(path));
        return;
    };
    let mut file = live.dir.join(&relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let Ok(mut bytes) = std::fs::read(&file) else {
        let _ = request.respond(not_found(path));
        return;
    };
    let name = file.to_string_lossy().into_owned();
    let kind = content_type(&name);
    if kind.starts_with("text/html") {
        bytes = inject(&bytes, &live.snippet());
    }
    let _ = request.respond(typed(Response::from_data(bytes), kind));
}

fn not_found(path: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    typed(
        Response::from_string(format!("404 未找到 / not found: {path}\n")).with_status_code(404),
        "text/plain; charset=utf-8",
    )
}

/// The site-relative file a URL path names, or `None` if it tries to leave the site or names a
/// hidden file.
fn site_path(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path);
    let mut relative = PathBuf::new();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part.starts_with('.') || part.contains('\\') {
            return None;
        }
        relative.push(part);
    }
    Some(relative)
}

/// The site-relative path of the file a page's URL path (already decoded) serves.
fn page_key(dir: &Path, url_path: &str) -> String {
    let Some(relative) = site_path(url_path) else {
        return String::new();
    };
    let mut key = relative.to_string_lossy().replace('\\', "/");
    if key.is_empty() || url_path.ends_with('/') || dir.join(&relative).is_dir() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    key
}

/// Decodes `%XX` escapes (UTF-8); an invalid escape is kept as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Inserts `snippet` before the last `</body>` (or at the end).
fn inject(page: &[u8], snippet: &[u8]) -> Vec<u8> {
    let marker = b"</body>";
    let at = page
        .windows(marker.len())
        .rposition(|w| w.eq_ignore_ascii_case(marker))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + snippet.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(snippet);
    out.extend_from_slice(&page[at..]);
    out
}

fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/"), Some(PathBuf::new()));
        assert_eq!(
            site_path("/mingxiu/fees.html"),
            Some(PathBuf::from("mingxiu/fees.html"))
        );
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/%2e%2e/etc/passwd"), None);
        assert_eq!(site_path("/mingxiu/.fees.html.partial"), None);
    }

    #[test]
    fn the_snippet_goes_before_the_closing_body_tag() {
        let page = b"<html><body><p>x</p></body></html>";
        let out = inject(page, b"<script></script>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script></script></body></html>"
        );
        assert_eq!(inject(b"plain", b"+"), b"plain+");
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(percent_decode("/a%20b/%E5%85%AC"), "/a b/公");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
