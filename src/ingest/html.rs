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

/// Elements may nest at most this deep. The readability pass and serialisation recurse over the
/// tree, so a page nesting deeper (100,000 `<div>`s, say) could overflow the stack; no real
/// article nests anywhere near this.
pub const MAX_NESTING: usize = 512;

/// Reads a page's main text; refuses pages nesting elements deeper than [`MAX_NESTING`].
pub fn to_text(html: &str) -> anyhow::Result<Page> {
    let depth = nesting_depth(html);
    if depth > MAX_NESTING {
        anyhow::bail!(
            "the HTML nests elements at least {depth} deep, over the limit of {MAX_NESTING}: it is not read, \
             as deeper nesting could exhaust the stack"
        );
    }
    Ok(read(html))
}

const VOID: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// The deepest nesting of elements, counted from the tags alone (a linear scan, no tree built;
/// void elements, self-closing tags, comments and script or style contents do not count). It
/// stops counting once past [`MAX_NESTING`].
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    while let Some(at) = memchr_lt(&b[i..]) {
        i += at + 1;
        if b[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_end = name_start + b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if name_end == name_start {
            continue;
        }
        let name = html[name_start..name_end].to_ascii_lowercase();
        let tag_end = b[name_end..].iter().position(|&c| c == b'>').map_or(b.len(), |e| name_end + e);
        let self_closing = tag_end > 0 && b.get(tag_end - 1) == Some(&b'/');
        i = (tag_end + 1).min(b.len());
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            if matches!(name.as_str(), "script" | "style") {
                let close = format!("</{name}");
                i = b[i..]
                    .windows(close.len())
                    .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                    .map_or(b.len(), |e| i + e);
                continue;
            }
            depth += 1;
            max = max.max(depth);
            if max > MAX_NESTING {
                break;
            }
        }
    }
    max
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

fn read(html: &str) -> Page {
    let extracted = readability(html);
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

/// The page's main text by Readability, or None where it gives up, or where it panics (see
/// [`crate::guard`]): such a page is read whole.
fn readability(html: &str) -> Option<dom_smoothie::Article> {
    crate::guard::catch(|| dom_smoothie::Readability::new(html, None, None).ok().and_then(|mut r| r.parse().ok()))
        .ok()
        .flatten()
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
    fn nesting_is_counted_from_tags() {
        assert_eq!(nesting_depth("<html><body><div><p>a<br>b<img src=x/></p></div></body></html>"), 4);
        assert_eq!(nesting_depth("<!-- <div><div> --><script>if (a<b) {}</script><p>x</p>"), 1);
        assert!(nesting_depth(&"<div>".repeat(100_000)) > MAX_NESTING);
    }

    #[test]
    fn paragraphs_survive_and_scripts_do_not() {
        let page = to_text(
            "<html><head><title>T</title><script>alert(1)</script></head><body>\
             <p>First paragraph here.</p><p>Second <b>one</b>.</p></body></html>",
        )
        .unwrap();
        assert!(page.text.contains("First paragraph here.\n\nSecond one."), "{}", page.text);
        assert!(!page.text.contains("alert"));
    }

    /// Found by the `html` fuzz target: dom_smoothie 0.19 panicked slicing inside the U+FFFD a
    /// NUL became, before "bilibili.com" in an `<object>`.
    #[test]
    fn a_page_readability_panics_on_is_read_whole() {
        let page = to_text(
            "ht\x01\x00\x00\x00\x00rm,><\x00b\x05U</a>UW<object>;iody>tb<object>\"&~<div\x00>\x00<ydibilibili.com</M\x00\x00l>",
        )
        .unwrap();
        assert!(page.text.contains("ydibilibili.com") || page.text.contains("UW"), "{:?}", page.text);
        assert!(page.text.ends_with('\n'));
    }
}
