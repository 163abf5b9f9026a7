//! The offline search index: while a compound's pages are rendered, the text of each page's
//! `<main>` is collected, and a character-bigram index of it is written as
//! `<slug>/search-index.js` (a script that hands the index to `static/search.js`, so it loads
//! from `file://` too, where browsers refuse `fetch`). Chinese has no spaces between words, so
//! every pair of adjacent characters is a key; a query term is looked up by its bigrams and each
//! candidate page is then checked for the whole term, so every page containing it is found.
//!
//! The index is per compound: it is a function of the compound's pages only, so incremental
//! rebuilds that reuse a compound's pages, and sharded builds, keep it consistent, and a city
//! portal never has one giant file. Unit-level (`noindex`) pages are never indexed, nor is the
//! print edition (`<slug>/print/`), which repeats the online pages for the notice board.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::Sink;
use crate::error::Fatal;

/// One indexed page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Doc {
    /// Path from the site's root, e.g. `mingxiu/notices/2024-03-vote.html`.
    #[serde(rename = "u")]
    pub url: String,
    /// The page's `<h1>`.
    #[serde(rename = "t")]
    pub title: String,
    /// The page's text, normalised (see [`normalize`]).
    #[serde(rename = "x")]
    pub text: String,
}

/// A compound's index: its pages and, for every bigram, the pages (by position) containing it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Index {
    pub slug: String,
    pub docs: Vec<Doc>,
    pub grams: BTreeMap<String, Vec<u32>>,
}

/// Folds what a resident may type differently from what the page says: full-width letters and
/// digits to ASCII, upper to lower case, every run of white space to one space. `static/search.js`
/// applies the same folding to queries.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Hashes a pair of characters by one multiplication: the keys are short, fixed-size and come
/// from the site's own text, so SipHash's protection against chosen keys buys nothing here.
#[derive(Clone, Copy, Default)]
struct BuildPairHasher;

#[derive(Default)]
struct PairHasher(u64);

impl std::hash::BuildHasher for BuildPairHasher {
    type Hasher = PairHasher;
    fn build_hasher(&self) -> PairHasher {
        PairHasher(0)
    }
}

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(21) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The adjacent character pairs of `text` that contain no space.
fn bigrams(text: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len()).filter_map(move |i| {
        let (a, b) = (chars[i - 1], chars[i]);
        (a != ' ' && b != ' ').then(|| [a, b].iter().collect())
    })
}

impl Index {
    pub fn build(slug: &str, mut docs: Vec<Doc>) -> Index {
        docs.sort_by(|a, b| a.url.cmp(&b.url));
        // Pages are visited in order, so each posting list is built sorted, without repeats.
        let mut grams: HashMap<(char, char), Vec<u32>, BuildPairHasher> =
            HashMap::with_capacity_and_hasher(4096, BuildPairHasher);
        for (i, doc) in docs.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for text in [&doc.title, &doc.text] {
                // Starting from a space: the title's last character and the text's first are
                // not adjacent.
                let mut previous = ' ';
                for c in text.chars() {
                    if previous != ' ' && c != ' ' {
                        let posting = grams.entry((previous, c)).or_default();
                        if posting.last() != Some(&i) {
                            posting.push(i);
                        }
                    }
                    previous = c;
                }
            }
        }
        // Ordered by the pair of characters, which is the order of the two-character strings.
        let mut sorted: Vec<((char, char), Vec<u32>)> = grams.into_iter().collect();
        sorted.sort_unstable_by_key(|(pair, _)| *pair);
        Index {
            slug: slug.to_string(),
            docs,
            grams: sorted
                .into_iter()
                .map(|((a, b), posting)| ([a, b].iter().collect(), posting))
                .collect(),
        }
    }

    /// The pages matching `query`, best first: the same algorithm as `static/search.js`. Terms
    /// are separated by spaces, a "quoted phrase" is one term; a page matches when its title or
    /// text contains every term. Pages whose title contains a term come first, then by the
    /// number of occurrences, then by path.
    pub fn search(&self, query: &str) -> Vec<&Doc> {
        let terms = terms(query);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut candidates: Option<BTreeSet<u32>> = None;
        for term in &terms {
            for gram in bigrams(term) {
                let posting: BTreeSet<u32> = self
                    .grams
                    .get(&gram)
                    .map(|p| p.iter().copied().collect())
                    .unwrap_or_default();
                candidates = Some(match candidates {
                    None => posting,
                    Some(c) => c.intersection(&posting).copied().collect(),
                });
            }
        }
        let candidates: Vec<u32> = match candidates {
            Some(c) => c.into_iter().collect(),
            None => (0..self.docs.len() as u32).collect(),
        };
        let mut hits: Vec<(bool, usize, &Doc)> = candidates
            .into_iter()
            .filter_map(|i| self.docs.get(i as usize))
            .filter_map(|doc| {
                let mut in_title = false;
                let mut count = 0;
                for term in &terms {
                    let t = doc.title.contains(term.as_str());
                    let n = doc.text.matches(term.as_str()).count();
                    if !t && n == 0 {
                        return None;
                    }
                    in_title |= t;
                    count += n;
                }
                Some((in_title, count, doc))
            })
            .collect();
        hits.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.url.cmp(&b.2.url))
        });
        hits.into_iter().map(|h| h.2).collect()
    }
}

/// A query's terms: "quoted phrases" whole, other words split at spaces; normalised.
pub fn terms(query: &str) -> Vec<String> {
    let query = normalize(&query.replace(['“', '”'], "\""));
    let mut terms = Vec::new();
    for (i, part) in query.split('"').enumerate() {
        if i % 2 == 1 {
            let phrase = part.trim();
            if !phrase.is_empty() {
                terms.push(phrase.to_string());
            }
        } else {
            terms.extend(
                part.split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
        }
    }
    terms
}

/// Elements whose boundaries do not separate words (`<strong>维修</strong>资金` is 维修资金).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The `<h1>` and the text of the `<main>` element of a page (without its breadcrumb `<nav>`), or
/// None for a page without one or a page marked `noindex` (unit-level data).
pub fn page_text(html: &str) -> Option<(String, String)> {
    if html.contains("noindex") && html.contains("name=\"robots\"") {
        return None;
    }
    let start = html.find("<main")?;
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    let main = &html[start..end];
    let mut text = String::with_capacity(main.len() / 2);
    let mut title = String::new();
    let mut in_h1 = false;
    let mut rest = main;
    while let Some(lt) = rest.find('<') {
        let before = text.len();
        decode_entities_into(&rest[..lt], &mut text);
        if in_h1 {
            title.push_str(&text[before..]);
        }
        let after = &rest[lt + 1..];
        let gt = after.find('>').unwrap_or(after.len());
        let tag = &after[..gt];
        let closing = tag.starts_with('/');
        let bare = tag.trim_start_matches('/');
        let name = &bare[..bare
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(bare.len())];
        rest = after.get(gt + 1..).unwrap_or("");
        // Tag names are short: fold one into a small buffer instead of allocating.
        let mut folded = [0u8; 10];
        let lower = match folded.get_mut(..name.len()) {
            Some(buffer) => {
                buffer.copy_from_slice(name.as_bytes());
                buffer.make_ascii_lowercase();
                &*buffer
            }
            None => b"-",
        };
        if !closing && matches!(lower, b"script" | b"style" | b"template" | b"nav") {
            let close = format!("</{}", name.to_ascii_lowercase());
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
            continue;
        }
        if lower == b"h1" {
            in_h1 = !closing;
        }
        if !INLINE.iter().any(|inline| inline.as_bytes() == lower) {
            text.push(' ');
        }
    }
    decode_entities_into(rest, &mut text);
    Some((normalize(&title), normalize(&text)))
}

/// Appends `text` to `out` with its character references decoded.
fn decode_entities_into(text: &str, out: &mut String) {
    if !text.contains('&') {
        out.push_str(text);
    } else {
        out.push_str(&decode_entities(text));
    }
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| {
            let name = &after[..i];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, i))
        });
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &after[i + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Passes pages through to the real sink and keeps the text of each for the index.
pub struct Indexer<'a> {
    inner: &'a dyn Sink,
    docs: Mutex<Vec<Doc>>,
}

impl<'a> Indexer<'a> {
    pub fn new(inner: &'a dyn Sink) -> Indexer<'a> {
        Indexer {
            inner,
            docs: Mutex::new(Vec::new()),
        }
    }

    /// Writes `<slug>/search-index.js`.
    pub fn finish(self, slug: &str, renderer: &super::SiteRenderer) -> Result<(), Fatal> {
        let docs = self.docs.into_inner().unwrap_or_else(|e| e.into_inner());
        let index = Index::build(slug, docs);
        let json = serde_json::to_string(&index).unwrap_or_default();
        let mut ctx = tera::Context::new();
        ctx.insert("index_json", &json);
        let script = renderer.render("search-index.js.html", &ctx)?;
        self.inner
            .write(&format!("{slug}/search-index.js"), script.as_bytes())
    }
}

impl Sink for Indexer<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        if path.ends_with(".html")
            && !super::print::is_print_page(path)
            && let Some((title, text)) = std::str::from_utf8(bytes).ok().and_then(page_text)
        {
            let mut docs = self.docs.lock().unwrap_or_else(|e| e.into_inner());
            docs.push(Doc {
                url: path.to_string(),
                title,
                text,
            });
        }
        self.inner.write(path, bytes)
    }

    fn reuse(&self, slug: &str, key: &str) -> bool {
        self.inner.reuse(slug, key)
    }

    fn record_key(&self, slug: &str, key: &str) {
        self.inner.record_key(slug, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_does_not_split_words_and_blocks_do() {
        let html = "<main><h1>会所<b>修缮</b></h1><p><strong>维修</strong>资金&amp;利息</p><p>电</p><p>梯</p></main>";
        let (title, text) = page_text(html).unwrap();
        assert_eq!(title, "会所修缮");
        assert!(text.contains("维修资金&利息"), "{text}");
        assert!(!text.contains("电梯"), "{text}");
    }

    #[test]
    fn noindex_pages_are_not_indexed() {
        let html = "<head><meta name=\"robots\" content=\"noindex\"></head><main>x</main>";
        assert_eq!(page_text(html), None);
    }

    #[test]
    fn terms_and_phrases() {
        assert_eq!(terms(" 电梯  会所 "), ["电梯", "会所"]);
        assert_eq!(terms("“维修 资金” ＡＢ"), ["维修 资金", "ab"]);
        let index = Index::build(
            "x",
            vec![
                Doc {
                    url: "x/a.html".into(),
                    title: "停车".into(),
                    text: "地面停车位 维修 资金".into(),
                },
                Doc {
                    url: "x/b.html".into(),
                    title: "公告".into(),
                    text: "维修资金 停车 停车".into(),
                },
            ],
        );
        let urls =
            |q: &str| -> Vec<String> { index.search(q).iter().map(|d| d.url.clone()).collect() };
        assert_eq!(urls("停车"), ["x/a.html", "x/b.html"]);
        assert_eq!(urls("维修资金"), ["x/b.html"]);
        assert_eq!(urls("\"维修 资金\""), ["x/a.html"]);
        assert_eq!(urls("维修 资金"), ["x/a.html", "x/b.html"]);
        assert!(urls("电梯").is_empty());
        assert_eq!(urls("停").len(), 2);
    }
}
