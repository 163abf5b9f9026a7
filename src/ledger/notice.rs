//! `notices/<id>.md`: notices with TOML front matter (title, date, kind) and a markdown body. The
//! body stays markdown here; turning it into safe HTML is the render stage's job.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::{Origin, labelled_enum};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::parse::front_matter;
use crate::parse::toml_doc::{self, Fields, RawValue};

labelled_enum!(
    /// Kinds of notice.
    NoticeKind {
        Announcement = "公告" | "通知",
        Resolution = "决议" | "决定",
        Minutes = "会议纪要" | "会议记录",
        TenderNotice = "招标公告",
        ResultNotice = "结果公示" | "公示",
    }
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<Spanned<String>>,
    date: Option<RawValue>,
    kind: Option<Spanned<String>>,
    decided: Option<RawValue>,
    project: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub id: String,
    pub title: String,
    pub date: NaiveDate,
    pub kind: NoticeKind,
    pub body_markdown: String,
    pub origin: Origin,
    /// When the decision it announces was made (决议, 会议纪要): posting is due within 3 days.
    pub decided: Option<NaiveDate>,
    /// The fund project it reports on, if any (an emergency repair's after-the-fact notice).
    pub project: Option<String>,
    /// The `date` value.
    pub date_origin: Origin,
}

pub fn parse(id: &str, file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Notice> {
    let Some(split) = front_matter::split(&file.text) else {
        diags.push(Diagnostic::new("front-matter-missing").in_file(file));
        return None;
    };
    let front_text = &file.text[split.front.clone()];
    let raw: RawFront = toml_doc::deserialize_at(file, front_text, split.front.start, diags)?;
    let mut f = Fields::new(file, diags);
    f.offset = split.front.start;
    let title = f.text(&raw.title, "title");
    let date = match &raw.date {
        None => {
            f.missing("date", split.front.start);
            None
        }
        some => f.date(some, "date"),
    };
    let decided = f.date(&raw.decided, "decided");
    let date_span = raw.date.as_ref().map(|d| f.span(d)).unwrap_or(0..0);
    let kind = match &raw.kind {
        None => Some(NoticeKind::Announcement),
        some => f.choice(some, "kind", NoticeKind::from_label, NoticeKind::LABELS),
    };
    Some(Notice {
        id: id.to_string(),
        title: title?,
        date: date?,
        kind: kind?,
        body_markdown: file.text[split.body].to_string(),
        origin: Origin::new(file, 0..0),
        decided,
        project: crate::parse::toml_doc::opt_text(&raw.project),
        date_origin: Origin::new(file, date_span),
    })
}
