//! HTML to plain text: the main text is picked out with dom_smoothie (a port of Mozilla's
//! Readability), then its block elements become paragraphs. The walk is iterative, so deeply
//! nested markup cannot overflow the stack.

use dom_query::{Document, NodeRef};

pub struct Page {
    pub text: String,
    pub title: Option<String>,
}

const BLOCKS: [&str; 16] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "pre",
    "tr",
    "section",
    "article",
    "br",
];
const SKIPPED: [&str; 6] = ["script", "style", "noscript", "template", "svg", "iframe"];

pub fn to_text(html: &str) -> Page {
    let extracted = dom_smoothie::Readability::new(html, None, None).ok().and_then(|mut r| r.parse().ok());
    let (content, title) = match extracted {
        Some(article) if !article.text_content.trim().is_empty() => {
            let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
            (article.content.to_string(), title)
        }
        // Readability gives up on short or odd pages: fall back to the whole body.
        _ => (html.to_string(), None),
    };
    let doc = Document::from(content.as_str());
    let mut text = String::with_capacity(content.len() / 2);
    if let Some(t) = &title {
        text.push_str(t);
        text.push_str("\n\n");
    }
    walk(&doc.root(), &mut text);
    Page { text: tidy(&text), title }
}

fn walk(root: &NodeRef, out: &mut String) {
    // (node, entering): a node is pushed twice so block ends can be marked on the way out.
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, true)];
    while let Some((node, entering)) = stack.pop() {
        let name = node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        if !entering {
            if BLOCKS.contains(&name.as_str()) {
                out.push_str("\n\n");
            }
            continue;
        }
        if node.is_text() {
            out.push_str(&node.text());
            continue;
        }
        if SKIPPED.contains(&name.as_str()) {
            continue;
        }
        stack.push((node, false));
        for child in node.children().into_iter().rev() {
            stack.push((child, true));
        }
    }
}

/// Collapses runs of spaces within lines and of blank lines between paragraphs.
fn tidy(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for para in raw.split("\n\n") {
        let line: Vec<&str> = para.split_whitespace().collect();
        if line.is_empty() {
            continue;
        }
        out.push_str(&line.join(" "));
        out.push_str("\n\n");
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_survive_and_scripts_do_not() {
        let page = to_text(
            "<html><head><title>T</title><script>alert(1)</script></head><body>\
             <p>First paragraph here.</p><p>Second <b>one</b>.</p></body></html>",
        );
        assert!(page.text.contains("First paragraph here.\n\nSecond one."), "{}", page.text);
        assert!(!page.text.contains("alert"));
    }
}
