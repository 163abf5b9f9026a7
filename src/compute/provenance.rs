//! Where a computed figure comes from: the lines of a ledger file whose rows it sums, written for
//! people (`content/mingxiu/fees.csv 第 2–13、15 行`) and shown as a tooltip beside the figure.

use crate::ledger::Origin;

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

    /// `content/x/fees.csv 第 2–13、15 行`; empty when no row was added.
    pub fn describe(&self) -> String {
        if self.lines.is_empty() {
            return String::new();
        }
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
        let ranges: Vec<String> = ranges
            .iter()
            .map(|&(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}–{b}")
                }
            })
            .collect();
        format!("{} 第 {} 行", self.file, ranges.join("、"))
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
        assert_eq!(lines.describe(), "content/x/fees.csv 第 2–4、6 行");
    }
}
