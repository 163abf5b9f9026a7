//! Markdown of notices and project descriptions to HTML that is safe to publish: pulldown-cmark
//! renders it, ammonia removes anything a committee's text must not bring in (scripts, styles,
//! event handlers, frames), because notices are written by people, not by the site's authors.

use pulldown_cmark::{Event, Options, Parser, Tag, html};

/// Renders markdown and sanitises the result.
///
/// Most notices are plain prose, lists and tables. pulldown-cmark escapes text and attribute
/// values itself, so its output can only carry something unsafe through raw HTML or through a
/// link or image address; a text with neither is published as pulldown-cmark writes it, and
/// every other text goes through ammonia (which costs about as much as the rest of the page).
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    let needs_sanitising = events.iter().any(|event| {
        matches!(
            event,
            Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::Link { .. } | Tag::Image { .. })
        )
    });
    html::push_html(&mut html_out, events.into_iter());
    if !needs_sanitising {
        return html_out;
    }
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .attribute_filter(|_, attribute, value| {
            // Table cells keep the alignment markdown gives them (`---:`), and nothing else.
            let alignment = matches!(
                value,
                "text-align: left" | "text-align: right" | "text-align: center"
            );
            (attribute != "style" || alignment).then_some(value.into())
        })
        .clean(&html_out)
        .to_string()
}

/// The first characters of the plain text, for lists and descriptions.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut text = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) if !text.ends_with(' ') && !text.is_empty() => {
                text.push(' ');
            }
            _ => {}
        }
        if text.chars().count() > max_chars {
            break;
        }
    }
    let trimmed = text.trim();
    if trimmed.chars().count() > max_chars {
        let cut: String = trimmed.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_not_trusted() {
        let html = to_safe_html(
            "正文<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[链接](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("正文"));
    }

    #[test]
    fn plain_text_is_published_as_the_sanitiser_would() {
        // The fast path (no raw HTML, no links) must give what ammonia would have kept.
        let markdown = "# 通知\n\n经业主大会表决，**会所**维修费用为 63,800.00 元。\n\n- 一\n- 二 <3 & >\n\n| 项目 | 金额 |\n|---|---:|\n| 会所 | 63,800.00 |\n";
        let fast = to_safe_html(markdown);
        let mut plain = String::new();
        html::push_html(
            &mut plain,
            Parser::new_ext(
                markdown,
                Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
            ),
        );
        assert_eq!(fast, plain);
        assert!(fast.contains("&lt;3 &amp; &gt;"), "{fast}");
        let links = to_safe_html("[公告](https://example.org/a)");
        assert!(
            links.contains("rel=\"noopener noreferrer nofollow\""),
            "{links}"
        );
    }

    #[test]
    fn tables_render() {
        let html = to_safe_html("| 项目 | 金额 |\n|---|---|\n| 会所 | 63,800.00 |\n");
        assert!(html.contains("<table>"), "{html}");
        let aligned = to_safe_html("| 项目 | 金额 |\n|---|---:|\n| 会所 | 63,800.00 |\n");
        assert!(
            aligned.contains("<td style=\"text-align: right\">63,800.00</td>"),
            "{aligned}"
        );
        let styled = to_safe_html(
            "<p style=\"color: red\">x</p>\n\n| a |\n|---|\n| <span style=\"x\">b</span> |\n",
        );
        assert!(
            !styled.contains("color") && !styled.contains("style=\"x\""),
            "{styled}"
        );
    }

    #[test]
    fn excerpt_is_plain_and_short() {
        assert_eq!(excerpt("# 标题\n\n**重要**通知", 20), "标题 重要通知");
        assert_eq!(excerpt("一二三四五六", 3), "一二三…");
        assert_eq!(
            excerpt("| 单位 | 报价 |\n|---|---|\n| 甲 | 1 |\n", 40),
            "单位 报价 甲 1"
        );
    }
}
