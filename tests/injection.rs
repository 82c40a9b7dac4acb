//! Hostile article text, rendered through every format: it must come out as visible, inert text.

mod common;

use factbrief::render;
use pulldown_cmark::{Event, Tag};

const HOSTILE: &str = "Hostile Headline <script>alert('x')</script>\n\n\
The minister said 12 people were killed at the [site](javascript:alert(1)) on Monday. \
Officials said ![img](http://evil.example/x.png) 40 boats were seized by *police* <b>today</b>. \
The ministry said #read(\"/etc/passwd\") and #import \"/etc/x.typ\" were found on 3 servers. \
Reports said {{ brief.title }} and {% for x in y %} were printed in 5 papers. \
Another official said \u{202E}gnirts desrever\u{202C} was sent to 7 agencies at www.evil.example today. \
The police said \"quoted\" \\ backslashes \" + read(\"/etc/passwd\") + \" hit 9 towns.\n";

fn hostile_brief() -> factbrief::brief::Brief {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.txt"), HOSTILE).unwrap();
    std::fs::write(dir.path().join("evil2.txt"), HOSTILE.replace("Hostile Headline", "Second copy")).unwrap();
    common::analyze_folder(dir.path())
}

#[test]
fn html_has_no_live_markup_from_articles() {
    let html = render::html(&hostile_brief(), &Default::default()).unwrap();
    assert!(!html.contains("<script>alert"), "raw script tag in HTML");
    assert!(!html.contains("<b>today"), "raw HTML from the article");
    assert!(!html.contains("href=\"javascript"), "javascript link");
    assert!(html.contains("&lt;script&gt;"), "the script tag is shown as text");
    assert!(html.contains("{{ brief.title }}") || html.contains("{{ brief.title }}".replace('{', "&#x7B;").as_str()));
    assert!(!html.contains('\u{202E}'), "bidi override passed through");
    // Only the one JSON-LD script element the template itself writes.
    assert_eq!(html.matches("<script").count(), 1);
}

#[test]
fn markdown_has_no_links_images_html_or_emphasis_from_articles() {
    let brief = hostile_brief();
    let md = render::markdown(&brief, &Default::default()).unwrap();
    let parser = pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::all());
    for event in parser {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(dest_url.starts_with('#'), "a link to {dest_url} came from article text")
            }
            Event::Start(Tag::Image { .. }) => panic!("an image came from article text"),
            Event::Html(h) | Event::InlineHtml(h) => {
                assert!(h.starts_with("<a id=\"source-") || h.as_ref() == "</a>", "raw HTML from article text: {h}")
            }
            Event::Start(Tag::Emphasis) => panic!("emphasis came from article text"),
            _ => {}
        }
    }
    assert!(md.contains("\\[site\\]"), "the link text is kept, visibly");
    assert!(!md.contains('\u{202E}'));
}

#[test]
fn typst_source_never_holds_article_text_as_code() {
    let brief = hostile_brief();
    let src = render::typst_source(&brief, &Default::default()).unwrap();
    // The title is the only article-derived value in the template, inside an escaped string.
    assert!(!src.contains("#read(\"/etc/passwd\")"));
    // The data file holds the text, read with json(), never evaluated.
    let data = render::typst_data(&brief).unwrap();
    assert!(data.contains("#read(\\\"/etc/passwd\\\")"));
}

#[test]
fn pdf_shows_hostile_text_as_text() {
    let Some(typst) = factbrief::render::typst::Typst::find() else {
        eprintln!("skipped: no typst");
        return;
    };
    let brief = hostile_brief();
    let src = render::typst_source(&brief, &Default::default()).unwrap();
    let data = render::typst_data(&brief).unwrap();
    let pdf = typst.compile(&src, &data, 0).expect("typst compiles hostile text").pdf;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let Ok(out) = std::process::Command::new("pdftotext").arg(&path).arg("-").output() else {
        eprintln!("skipped text check: no pdftotext");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("#read("), "the Typst code is printed as text:\n{text}");
    assert!(!text.contains("root:x:0:0"), "a file was read");
}

#[test]
fn tera_syntax_in_articles_is_not_evaluated() {
    let brief = hostile_brief();
    let md = render::markdown(&brief, &Default::default()).unwrap();
    assert!(md.contains("{{ brief.title }}") || md.contains("{{ brief.title }}"), "template syntax shown as text");
}
