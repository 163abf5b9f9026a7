//! Source files as the user wrote them: decoded text, the encoding it came in, and the mapping
//! from byte offsets to the 1-based line and column numbers that every diagnostic reports.

use std::path::{Path, PathBuf};

/// One input file, decoded to UTF-8.
#[derive(Debug)]
pub struct SourceFile {
    /// Path shown to the user: relative to the portal root where possible.
    pub display_path: String,
    /// Path on disk.
    pub path: PathBuf,
    /// Decoded text (BOM removed).
    pub text: String,
    /// Encoding the bytes were in, e.g. `UTF-8` or `GB18030`.
    pub encoding: &'static str,
    /// Byte offset of each line's start, computed on first use.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: &Path, display_path: String, text: String, encoding: &'static str) -> Self {
        SourceFile {
            display_path,
            path: path.to_path_buf(),
            text,
            encoding,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// Line and column of a byte offset, both 1-based. Offsets past the end map to the end.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let index = starts.partition_point(|&start| start <= offset) - 1;
        let column = self.text[starts[index]..offset].chars().count() + 1;
        LineCol {
            line: index + 1,
            column,
        }
    }

    /// Byte range of the whole line containing `offset`, without its line break.
    pub fn line_range(&self, offset: usize) -> std::ops::Range<usize> {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let start = self.text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let end = self.text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(self.text.len());
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        start..end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(Path::new("a.csv"), "a.csv".into(), text.into(), "UTF-8")
    }

    #[test]
    fn first_line_is_line_one_column_one() {
        let f = file("期间,金额\n2024Q1,12\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        // "金额" starts after "期间," = 3 characters.
        assert_eq!(f.line_col("期间,".len()), LineCol { line: 1, column: 4 });
        assert_eq!(
            f.line_col(f.text.find("12").unwrap()),
            LineCol { line: 2, column: 8 }
        );
    }

    #[test]
    fn line_range_excludes_crlf() {
        let f = file("a,b\r\nc,d\r\n");
        assert_eq!(&f.text[f.line_range(6)], "c,d");
    }
}
