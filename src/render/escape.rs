//! Escaping article text for each output format. Article text is hostile input: in Markdown it
//! must never form links, images, HTML or emphasis; in Typst it must never be code or markup; in
//! HTML Tera's own escaping applies. These functions are installed as each format's autoescape,
//! so a template cannot forget them.

use std::io::Write;

/// Markdown: every ASCII punctuation character that CommonMark or GitHub gives meaning to is
/// backslash-escaped, line breaks become spaces (a claim stays one block), and `<`/`>`/`&` become
/// entities so nothing is read as HTML. Bidi controls are made visible.
pub fn markdown(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    let mut at_start = true;
    let chars: Vec<char> = input.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\0' => out.push('\u{FFFD}'),
            // Inline syntax anywhere: code, emphasis, links and images, tables, strikethrough, math,
            // footnotes, and escapes themselves.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '#' | '$' | '^' => {
                out.push('\\');
                out.push(c);
            }
            // Bare links ("https://", "www.") are autolinked by GitHub: break the pattern.
            ':' if next == Some('/') => out.push_str("\\:"),
            '.' if out.ends_with("www") || out.ends_with("WWW") => out.push_str("\\."),
            // Block syntax only counts at the start: "- item", "+ item", "1. item", "= heading".
            '-' | '+' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if at_start_number(&out) => {
                out.push('\\');
                out.push(c);
            }
            c if is_bidi_control(c) => out.push_str(&format!("[U+{:04X}]", c as u32)),
            c => out.push(c),
        }
        at_start = at_start && (c.is_whitespace());
    }
    out
}

/// True when everything written so far is digits: "12." would start an ordered list.
fn at_start_number(out: &str) -> bool {
    !out.is_empty() && out.chars().all(|c| c.is_ascii_digit())
}

/// Typst: the body of a string literal. Templates write `#"{{ x }}"`; inside the quotes only a
/// backslash and a double quote mean anything, so escaping those two keeps the text inert.
pub fn typst_string(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\0' => out.push('\u{FFFD}'),
            c if is_bidi_control(c) => out.push_str(&format!("[U+{:04X}]", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// HTML text and attribute values.
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '\0' => out.push('\u{FFFD}'),
            c if is_bidi_control(c) => out.push_str(&format!("&#x{:X};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Right-to-left overrides and isolates can make text read differently from what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A URL is only linked when it is plainly http(s); anything else (`javascript:`, `data:`) is
/// shown as text and never becomes a link target.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'));
    ok.then_some(url.trim())
}

pub fn write_markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(markdown(input).as_bytes())
}

pub fn write_typst(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(typst_string(input).as_bytes())
}

pub fn write_html(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(html(input).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_and_html_are_inert() {
        let e = markdown("[click](javascript:alert(1)) <script>x</script> *bold* ![i](x.png)");
        assert!(!e.contains("[click]("));
        assert!(!e.contains("<script>"));
        assert!(e.contains("\\*bold\\*"));
    }

    #[test]
    fn typst_string_cannot_close_its_quotes() {
        assert_eq!(typst_string(r#"a" + read("/etc/passwd") + ""#), r#"a\" + read(\"/etc/passwd\") + \""#);
        assert_eq!(typst_string("back\\slash"), "back\\\\slash");
    }

    #[test]
    fn only_http_urls_are_links() {
        assert_eq!(safe_url("https://example.org/a"), Some("https://example.org/a"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("https://x.org/\"onmouseover=\"x"), None);
    }
}
