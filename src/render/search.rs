//! The offline search index: while a compound's pages are rendered, the folded text of each
//! page's `<main>` is collected and written as `<slug>/search-index.js` (a script that hands the
//! index to `static/search.js`, so it loads from `file://` too, where browsers refuse `fetch`).
//! Chinese has no spaces between words, so any run of characters may be the word a resident
//! types; a query is answered by scanning each page's text for every term. One compound's text
//! is small (about 80 KB for three years of weekly ledgers), so the scan is instant; the
//! character-pair lists this index used to carry only narrowed down the pages to scan, doubled
//! the file and cost a city build about 6% of its CPU (see docs/search.md).
//!
//! The index is per compound: it is a function of the compound's pages only, so incremental
//! rebuilds that reuse a compound's pages, and sharded builds, keep it consistent, and a city
//! portal never has one giant file. Unit-level (`noindex`) pages are never indexed, nor is the
//! print edition (`<slug>/print/`), which repeats the online pages for the notice board.

use std::sync::Mutex;

use memchr::memmem;

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

/// A compound's index: its pages, ordered by path.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Index {
    pub slug: String,
    /// The compound's name, for the results and for a search scope the page does not list.
    pub name: String,
    pub docs: Vec<Doc>,
}

/// Folds what a resident may type differently from what the page says: full-width letters and
/// digits to ASCII, upper to lower case, every run of white space to one space. `static/search.js`
/// applies the same folding to queries.
pub fn normalize(text: &str) -> String {
    let mut folded = Folded::with_capacity(text.len());
    folded.push_str(text);
    folded.out
}

/// Text being normalised piece by piece, as [`normalize`] would fold the pieces joined.
struct Folded {
    out: String,
    /// Whether white space was seen since the last character written (and something was).
    space: bool,
}

impl Folded {
    fn with_capacity(capacity: usize) -> Folded {
        Folded {
            out: String::with_capacity(capacity),
            space: false,
        }
    }

    /// Appends `text`: runs of characters that fold to themselves (most of a page: CJK, digits,
    /// lower-case ASCII, punctuation) are copied as they are, the others one by one.
    fn push_str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (width, unchanged) = if b < 0x80 {
                (
                    1,
                    !b.is_ascii_uppercase() && !matches!(b, b'\t'..=b'\r' | b' '),
                )
            } else if (0xE4..=0xE9).contains(&b) {
                // U+4000 to U+9FFF: ideographs, which fold to themselves.
                (3, true)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.len_utf8(), folds_to_itself(c))
            };
            if unchanged {
                if self.space {
                    // A run starts after white space.
                    self.out.push(' ');
                    self.space = false;
                }
            } else {
                self.out.push_str(&text[run..i]);
                for c in text[i..i + width].chars() {
                    self.push_char(c);
                }
                run = i + width;
            }
            i += width;
        }
        self.out.push_str(&text[run..]);
    }

    fn push_char(&mut self, c: char) {
        let c = match c {
            '\u{3000}' => ' ',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        };
        if c.is_whitespace() {
            self.space = !self.out.is_empty();
            return;
        }
        if self.space {
            self.out.push(' ');
            self.space = false;
        }
        if c.is_ascii() {
            self.out.push(c.to_ascii_lowercase());
        } else {
            self.out.extend(c.to_lowercase());
        }
    }
}

/// Ranges of non-ASCII characters that hold no white space, no cased letter and none of the
/// full-width forms [`Folded::push_char`] turns into ASCII, so they fold to themselves (checked by
/// a test): Latin-1 signs, general punctuation, CJK punctuation, kana and ideographs, and the
/// full-width signs between the full-width digits and letters.
const FOLDS_TO_ITSELF: &[(char, char)] = &[
    ('\u{A1}', '\u{BF}'),
    ('\u{2010}', '\u{2027}'),
    ('\u{2030}', '\u{205E}'),
    ('\u{3001}', '\u{A63F}'),
    ('\u{FF01}', '\u{FF0F}'),
    ('\u{FF1A}', '\u{FF20}'),
    ('\u{FF3B}', '\u{FF40}'),
    ('\u{FF5B}', '\u{FFEF}'),
];

/// Whether [`Folded::push_char`] writes the non-ASCII character `c` as it is: without a table
/// lookup for the characters of Chinese text, by asking Unicode for the others.
fn folds_to_itself(c: char) -> bool {
    if FOLDS_TO_ITSELF
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
    {
        return true;
    }
    if c.is_whitespace() || ('０'..='９').contains(&c) || ('Ａ'..='ｚ').contains(&c) {
        return false;
    }
    let mut lower = c.to_lowercase();
    lower.len() == 1 && lower.next() == Some(c)
}

impl Index {
    pub fn build(slug: &str, name: &str, mut docs: Vec<Doc>) -> Index {
        docs.sort_by(|a, b| a.url.cmp(&b.url));
        Index {
            slug: slug.to_string(),
            name: name.to_string(),
            docs,
        }
    }

    /// About the length of the JSON.
    fn size_hint(&self) -> usize {
        let docs: usize = self
            .docs
            .iter()
            .map(|d| d.url.len() + d.title.len() + d.text.len() + 24)
            .sum();
        docs + self.slug.len() + self.name.len() + 40
    }

    /// Appends the JSON of the index to `out`; as an empty string if it cannot be written.
    fn write_to(&self, out: &mut Vec<u8>) {
        let start = out.len();
        if serde_json::to_writer(&mut *out, self).is_err() {
            out.truncate(start);
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
        let mut hits: Vec<(bool, usize, &Doc)> = self
            .docs
            .iter()
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

/// Whether elements named `name` (lower case) do not separate words
/// (`<strong>维修</strong>资金` is 维修资金).
fn is_inline(name: &[u8]) -> bool {
    matches!(
        name,
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"var"
    )
}

/// The `<h1>` and the text of the `<main>` element of a page (without its breadcrumb `<nav>`), or
/// None for a page without one or a page marked `noindex` (unit-level data).
pub fn page_text(html: &str) -> Option<(String, String)> {
    page_text_bytes(html.as_bytes())
}

/// [`page_text`] of a page's bytes. Only the `<main>` element is checked to be UTF-8 (a page
/// whose main text is not is left out), not the head around it.
fn page_text_bytes(html: &[u8]) -> Option<(String, String)> {
    if memmem::find(html, b"noindex").is_some() && memmem::find(html, b"name=\"robots\"").is_some()
    {
        return None;
    }
    let start = memmem::find(html, b"<main")?;
    let end = memmem::find(&html[start..], b"</main>").map_or(html.len(), |e| start + e);
    let main = simdutf8::basic::from_utf8(&html[start..end]).ok()?;
    let mut text = Folded::with_capacity(main.len() / 2);
    let mut title = Folded::with_capacity(0);
    let mut in_h1 = false;
    // Cut only at `<` and `>`, which are never inside a multi-byte character.
    let mut rest = main;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        decode_entities(&rest[..lt], |piece| {
            text.push_str(piece);
            if in_h1 {
                title.push_str(piece);
            }
        });
        let after = &rest[lt + 1..];
        let gt = memchr::memchr(b'>', after.as_bytes()).unwrap_or(after.len());
        let tag = &after.as_bytes()[..gt];
        let closing = tag.first() == Some(&b'/');
        let bare = &tag[tag.iter().take_while(|&&b| b == b'/').count()..];
        let name = &bare[..bare
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bare.len())];
        rest = after.get(gt + 1..).unwrap_or("");
        // Tag names are short: one with capitals is folded into a small buffer instead of
        // allocating; the usual lower-case name is used as it is.
        let mut folded = [0u8; 10];
        let lower = if name.len() > folded.len() {
            b"-"
        } else if name.iter().any(u8::is_ascii_uppercase) {
            let buffer = &mut folded[..name.len()];
            buffer.copy_from_slice(name);
            buffer.make_ascii_lowercase();
            &*buffer
        } else {
            name
        };
        if !closing && matches!(lower, b"script" | b"style" | b"template" | b"nav") {
            let mut close = [0u8; 10];
            close[..2].copy_from_slice(b"</");
            close[2..2 + lower.len()].copy_from_slice(lower);
            rest =
                memmem::find(rest.as_bytes(), &close[..2 + lower.len()]).map_or("", |i| &rest[i..]);
            continue;
        }
        if lower == b"h1" {
            in_h1 = !closing;
        }
        if !is_inline(lower) {
            text.push_char(' ');
        }
    }
    decode_entities(rest, |piece| text.push_str(piece));
    Some((title.out, text.out))
}

/// Hands `text` to `emit` piece by piece with its character references decoded.
fn decode_entities(text: &str, mut emit: impl FnMut(&str)) {
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        emit(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = memchr::memchr(b';', after.as_bytes()).filter(|&i| i <= 10);
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
                emit(c.encode_utf8(&mut [0u8; 4]));
                rest = &after[i + 1..];
            }
            None => {
                emit("&");
                rest = after;
            }
        }
    }
    emit(rest);
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

    /// Writes `<slug>/search-index.js`. The template is rendered with a marker in place of the
    /// index, and the index's JSON is written between the parts around it, so that the template
    /// engine does not copy and check the whole index; a template that escapes or filters the
    /// index (the marker is then not found as it is) gets it the ordinary way.
    pub fn finish(
        self,
        slug: &str,
        name: &str,
        renderer: &super::SiteRenderer,
    ) -> Result<(), Fatal> {
        const MARKER: &str = "\"sanwu-search-index&\"";
        let docs = self.docs.into_inner().unwrap_or_else(|e| e.into_inner());
        let index = Index::build(slug, name, docs);
        let path = format!("{slug}/search-index.js");
        let mut ctx = tera::Context::new();
        ctx.insert("index_json", MARKER);
        let frame = renderer.render("search-index.js.html", &ctx)?;
        if let Some((before, after)) = frame.split_once(MARKER)
            && !after.contains(MARKER)
        {
            let mut script = Vec::with_capacity(before.len() + index.size_hint() + after.len());
            script.extend_from_slice(before.as_bytes());
            index.write_to(&mut script);
            script.extend_from_slice(after.as_bytes());
            return self.inner.write(&path, &script);
        }
        let mut json = Vec::with_capacity(index.size_hint());
        index.write_to(&mut json);
        ctx.insert("index_json", &String::from_utf8(json).unwrap_or_default());
        let script = renderer.render("search-index.js.html", &ctx)?;
        self.inner.write(&path, script.as_bytes())
    }
}

impl Sink for Indexer<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Fatal> {
        if path.ends_with(".html")
            && !super::print::is_print_page(path)
            && let Some((title, text)) = page_text_bytes(bytes)
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
            "小区",
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

    #[test]
    fn the_fast_paths_fold_as_unicode_does() {
        // The ranges `Folded` copies without looking fold to themselves.
        let ranges = FOLDS_TO_ITSELF
            .iter()
            .map(|&(first, last)| first..=last)
            .chain(['\u{4000}'..='\u{9FFF}']);
        for c in ranges.flatten() {
            let mut folded = Folded::with_capacity(4);
            folded.push_str("x");
            folded.push_char(c);
            assert_eq!(folded.out, format!("x{c}"), "{c:?}");
        }
        // Folding piece by piece is folding the whole.
        let text = " \u{3000}Ａｂ１ ΣΑΣ　İx\u{A0}维修\t资金 ÉTÉ ＡＢ\n ";
        let whole = {
            let mut reference = String::new();
            let mut space = false;
            for c in text.chars() {
                let c = match c {
                    '\u{3000}' => ' ',
                    '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                        char::from_u32(c as u32 - 0xFEE0).unwrap()
                    }
                    _ => c,
                };
                if c.is_whitespace() {
                    space = !reference.is_empty();
                    continue;
                }
                if space {
                    reference.push(' ');
                    space = false;
                }
                reference.extend(c.to_lowercase());
            }
            reference
        };
        assert_eq!(normalize(text), whole);
        for split in text.char_indices().map(|(i, _)| i) {
            let mut folded = Folded::with_capacity(0);
            folded.push_str(&text[..split]);
            folded.push_str(&text[split..]);
            assert_eq!(folded.out, whole, "split at {split}");
        }
    }

    #[test]
    fn the_written_index_reads_back_sorted_by_page() {
        let docs = vec![
            Doc {
                url: "x/b.html".into(),
                title: "公告 \"引号\"".into(),
                text: "维修资金 停车 停车 ab\\c 𠀀𠀁".into(),
            },
            Doc {
                url: "x/a.html".into(),
                title: "停车".into(),
                text: "地面停车位 维修 资金".into(),
            },
        ];
        let mut written = Vec::new();
        Index::build("x", "小区", docs).write_to(&mut written);
        let index: Index = serde_json::from_slice(&written).unwrap();
        assert_eq!(index.name, "小区");
        let urls: Vec<&str> = index.docs.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(urls, ["x/a.html", "x/b.html"]);
        assert_eq!(index.docs[1].title, "公告 \"引号\"");
        assert_eq!(index.docs[1].text, "维修资金 停车 停车 ab\\c 𠀀𠀁");
    }
}
