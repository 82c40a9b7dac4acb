//! Invariants that hold for any input.

use factbrief::clean::clean;
use factbrief::data::Data;
use factbrief::render::escape;
use factbrief::segment::segment;
use proptest::prelude::*;

fn news_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("U.S. ".to_string()),
        Just("Adm. ".to_string()),
        Just("law.The ".to_string()),
        Just("“quoted.” ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("Credit: Alamy\n".to_string()),
        Just("https://t.co/x— A (@a) November 1, 2025".to_string()),
        "[a-zA-Z0-9 .,!?'\"—–é漢\u{202E}]{0,30}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn sentence_spans_lie_inside_the_text_on_char_boundaries(text in news_like()) {
        let data = Data::builtin();
        let cleaned = clean(&text, &data);
        for r in &cleaned.removed {
            prop_assert!(r.start <= r.end && r.end <= text.len());
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prop_assert_eq!(&text[r.start..r.end], r.text.as_str());
        }
        let mut last_end = 0;
        for s in segment(&text, &cleaned) {
            prop_assert!(s.start < s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            prop_assert!(s.start >= last_end, "sentences overlap");
            prop_assert!(!cleaned.removed.iter().any(|r| s.start < r.end && r.start < s.end), "a sentence covers removed text");
            last_end = s.end;
        }
    }

    #[test]
    fn markdown_escaping_never_makes_markup(text in "\\PC{0,80}") {
        let escaped = escape::markdown(&text);
        let doc = format!("- {escaped}\n");
        for event in pulldown_cmark::Parser::new_ext(&doc, pulldown_cmark::Options::all()) {
            match event {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { .. } | pulldown_cmark::Tag::Image { .. } | pulldown_cmark::Tag::Emphasis | pulldown_cmark::Tag::Strong | pulldown_cmark::Tag::Strikethrough | pulldown_cmark::Tag::Heading { .. } | pulldown_cmark::Tag::CodeBlock(_)) => prop_assert!(false, "markup from {:?}", text),
                pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_) | pulldown_cmark::Event::Code(_) | pulldown_cmark::Event::InlineMath(_) | pulldown_cmark::Event::DisplayMath(_) | pulldown_cmark::Event::FootnoteReference(_) => prop_assert!(false, "markup from {:?}", text),
                _ => {}
            }
        }
    }

    #[test]
    fn markdown_escaping_round_trips_through_a_parser(text in "[^\\n\\r\\t\\x00\u{202A}-\u{202E}\u{2066}-\u{2069}\u{200E}\u{200F}\u{061C}]{0,60}") {
        let trimmed = text.trim();
        prop_assume!(!trimmed.is_empty());
        let doc = format!("{}\n", escape::markdown(trimmed));
        let mut back = String::new();
        let options = pulldown_cmark::Options::all() - pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
        for event in pulldown_cmark::Parser::new_ext(&doc, options) {
            if let pulldown_cmark::Event::Text(t) = event {
                back.push_str(&t);
            }
        }
        prop_assert_eq!(back.trim(), trimmed);
    }

    #[test]
    fn html_escaping_round_trips(text in "[^\\x00\u{202A}-\u{202E}\u{2066}-\u{2069}\u{200E}\u{200F}\u{061C}]{0,80}") {
        let escaped = escape::html(&text);
        prop_assert!(!escaped.contains('<') && !escaped.contains('"'));
        let back = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#x27;", "'").replace("&amp;", "&");
        prop_assert_eq!(back, text);
    }

    #[test]
    fn typst_string_escaping_round_trips(text in "[^\\x00\\r\u{202A}-\u{202E}\u{2066}-\u{2069}\u{200E}\u{200F}\u{061C}]{0,80}") {
        let escaped = escape::typst_string(&text);
        // Inside the literal, every quote is escaped, so the literal cannot end early.
        let mut chars = escaped.chars();
        let mut back = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n') => back.push('\n'),
                    Some(o) => back.push(o),
                    None => prop_assert!(false, "dangling backslash"),
                },
                '"' => prop_assert!(false, "unescaped quote"),
                c => back.push(c),
            }
        }
        prop_assert_eq!(back, text);
    }
}
