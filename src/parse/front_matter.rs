//! Splitting a markdown notice into its TOML front matter (between `+++` lines) and its body.

use std::ops::Range;

/// Byte ranges of the front matter (inside the fences) and of the body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    pub front: Range<usize>,
    pub body: Range<usize>,
}

/// Finds the `+++` fences. The opening fence must be the first line (a BOM was removed earlier).
pub fn split(text: &str) -> Option<Split> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "+++" {
        return None;
    }
    let front_start = first_end + 1;
    let mut pos = front_start;
    while pos <= text.len() {
        let line_end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        if text[pos..line_end].trim_end() == "+++" {
            let body_start = (line_end + 1).min(text.len());
            return Some(Split {
                front: front_start..pos,
                body: body_start..text.len(),
            });
        }
        if line_end == text.len() {
            break;
        }
        pos = line_end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"t\"\n+++\n正文\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.front.clone()], "title = \"t\"\n");
        assert_eq!(&text[s.body], "正文\n");
    }

    #[test]
    fn needs_both_fences() {
        assert_eq!(split("title = 1\n"), None);
        assert_eq!(split("+++\ntitle = 1\n"), None);
        assert!(split("+++\r\ntitle = 1\r\n+++\r\nbody").is_some());
    }
}
