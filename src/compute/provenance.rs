//! Where a computed figure comes from: the lines of a ledger file whose rows it sums, as a file and
//! line ranges. The theme words them (`source_lines` filter: `content/mingxiu/fees.csv 第 2–13、15
//! 行`) and shows them as a tooltip beside the figure.

use crate::ledger::Origin;

/// The lines of one file that a figure sums: `ranges` are (first, last) line numbers, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineRanges {
    pub file: String,
    pub ranges: Vec<(usize, usize)>,
}

/// The source lines of one figure, collected row by row.
#[derive(Debug, Default, Clone)]
pub struct SourceLines {
    file: String,
    lines: Vec<usize>,
}

impl SourceLines {
    pub fn add(&mut self, origin: &Origin) {
        if self.file.is_empty() {
            self.file.clone_from(&origin.file.display_path);
        }
        self.lines
            .push(origin.file.line_col(origin.span.start).line);
    }

    /// The lines added, as ranges of consecutive lines; no ranges when no row was added.
    pub fn describe(&self) -> LineRanges {
        let mut lines = self.lines.clone();
        lines.sort_unstable();
        lines.dedup();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for line in lines {
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == line => *end = line,
                _ => ranges.push((line, line)),
            }
        }
        LineRanges {
            file: self.file.clone(),
            ranges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn consecutive_lines_become_ranges() {
        let text = "a\nb\nc\nd\ne\nf\n".to_string();
        let file = Arc::new(crate::diag::SourceFile::new(
            std::path::Path::new("content/x/fees.csv"),
            "content/x/fees.csv".into(),
            text,
            "UTF-8",
        ));
        let mut lines = SourceLines::default();
        for start in [2, 4, 6, 10] {
            lines.add(&Origin {
                file: file.clone(),
                span: start..start + 1,
            });
        }
        assert_eq!(
            lines.describe(),
            LineRanges {
                file: "content/x/fees.csv".into(),
                ranges: vec![(2, 4), (6, 6)],
            }
        );
    }
}
