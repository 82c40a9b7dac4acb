//! Markdown to plain text through pulldown-cmark: the words are kept, link targets, images and
//! raw HTML are dropped, and every block ends with a blank line so paragraphs survive.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The one place a Markdown parser is built, so every caller reads Markdown the same way.
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

pub fn to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut image_depth = 0usize;
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            _ if image_depth > 0 => {}
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => end_block(&mut out),
            Event::End(TagEnd::TableCell) => out.push('\t'),
            _ => {}
        }
    }
    out.trim_end().to_string() + "\n"
}

fn end_block(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_words_drops_targets_and_images() {
        let text = to_text("# Title\n\nSee [the report](https://x.example/a) now. ![alt](i.png)\n");
        assert_eq!(text, "Title\n\nSee the report now.\n");
    }
}
