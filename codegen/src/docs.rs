//! Model documentation (HTML, as AWS models write it) to rustdoc Markdown.
//!
//! Every doc string the generator emits goes through [`to_markdown`]. The output never
//! contains an indented or unlabelled code block (rustdoc would compile it as a
//! doctest), `[`/`]` are escaped (so `[0-1024]` is not taken for a link), and bare URLs
//! are wrapped in `<...>`.

use std::sync::OnceLock;

use htmd::options::{BrStyle, BulletListMarker, Options};

fn converter() -> &'static htmd::HtmlToMarkdown {
    static CONVERTER: OnceLock<htmd::HtmlToMarkdown> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        htmd::HtmlToMarkdown::builder()
            .options(Options {
                br_style: BrStyle::Backslash,
                bullet_list_marker: BulletListMarker::Dash,
                ul_bullet_spacing: 1,
                ol_number_spacing: 1,
                ..Options::default()
            })
            .build()
    })
}

/// Converts one model doc string to Markdown. Returns `None` when nothing readable is
/// left (empty or whitespace-only docs), so callers can fall back to a generated
/// sentence.
pub fn to_markdown(html: &str) -> Option<String> {
    let converted = converter()
        .convert(html)
        .unwrap_or_else(|_| html.to_owned());
    let text = tidy(&converted);
    if text.trim().is_empty() {
        None
    } else {
        Some(text)
    }
}

/// The first paragraph of converted docs, for one-line summaries (builder setters).
pub fn first_paragraph(markdown: &str) -> &str {
    markdown.split("\n\n").next().unwrap_or(markdown).trim()
}

/// Escapes text that is not HTML for a Markdown doc comment (brackets, angle brackets).
pub fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn tidy(markdown: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        let trimmed_end = line.trim_end();
        if trimmed_end.trim_start().starts_with("```") {
            let fence = trimmed_end.trim_start();
            if !in_fence && fence == "```" {
                out.push("```text".to_owned());
            } else {
                out.push(fence.to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(trimmed_end.to_owned());
            continue;
        }
        let body = trimmed_end.trim_start();
        let indent = trimmed_end.len() - body.len();
        let is_list_item = body.starts_with("- ")
            || body
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        // Four spaces of indentation outside a list would make a code block (and a
        // doctest); keep list nesting, flatten anything else.
        let line = if indent >= 4 && !is_list_item {
            body.to_owned()
        } else {
            trimmed_end.to_owned()
        };
        let line = wrap_bare_urls(&line);
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Wraps `http://` / `https://` URLs that are not already a link target or autolink.
fn wrap_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        let before = &rest[..start];
        let preceded = before.chars().last();
        let end = rest[start..]
            .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"')
            .map_or(rest.len(), |e| start + e);
        // Leave trailing sentence punctuation outside the link.
        let mut url_end = end;
        while url_end > start && rest[..url_end].ends_with(['.', ',', ';', ':']) {
            url_end -= 1;
        }
        out.push_str(before);
        if matches!(preceded, Some('(') | Some('<')) {
            out.push_str(&rest[start..end]);
        } else {
            out.push('<');
            out.push_str(&rest[start..url_end]);
            out.push('>');
            out.push_str(&rest[url_end..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_links_and_code() {
        let md = to_markdown(
            "<p>First <code>a_b</code>.</p> <p>See <a href=\"https://example.com/x\">the guide</a>.</p>",
        )
        .unwrap();
        assert_eq!(
            md,
            "First `a_b`.\n\nSee [the guide](https://example.com/x)."
        );
    }

    #[test]
    fn brackets_and_angle_brackets_are_escaped() {
        let md = to_markdown("<p>A length between [0-1024]; pattern &lt;action&gt;.</p>").unwrap();
        assert_eq!(md, "A length between \\[0-1024\\]; pattern \\<action>.");
    }

    #[test]
    fn no_indented_or_unlabelled_code_blocks() {
        let md =
            to_markdown("<p>x</p><pre><code>let a = 1;\n    b</code></pre><p>        indented</p>")
                .unwrap();
        assert_eq!(md, "x\n\n```text\nlet a = 1;\n    b\n```\n\nindented");
    }

    #[test]
    fn bare_urls_are_wrapped() {
        let md = to_markdown("<p>Go to https://example.com/a.</p>").unwrap();
        assert_eq!(md, "Go to <https://example.com/a>.");
    }

    #[test]
    fn empty_docs_give_none() {
        assert_eq!(to_markdown("<p> </p>"), None);
        assert_eq!(to_markdown(""), None);
    }
}
