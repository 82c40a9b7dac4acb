//! The brief as a reader sees it: the HTML in real headless Chromium at desktop and phone widths,
//! and the PDF through poppler (text and page images).
//!
//! Screenshots, page images and the rendered files are kept in `target/reader-artifacts/` so a
//! person can look at them. When Chromium or poppler-utils is missing these tests fail under CI
//! (`CI` set) and are skipped with a message otherwise; `scripts/ensure-test-tools.sh` installs both.

mod cdp;
#[path = "../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;
use serde_json::Value;

use common::{factbrief, have_typst, seeds};

/// `target/reader-artifacts/<name>`, emptied.
fn artifacts(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("reader-artifacts").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Some(()) when the tool is there; under CI a missing tool fails the test, locally it skips it.
fn require(tool: &str, found: bool) -> Option<()> {
    if found {
        return Some(());
    }
    let msg = format!("{tool} is not installed; scripts/ensure-test-tools.sh installs it");
    if in_ci() {
        panic!("{msg}");
    }
    eprintln!("skipped: {msg}");
    None
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// Collapses runs of white space, so text can be compared however it was wrapped.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn build(input: &Path, out: &Path, formats: &str) -> Value {
    factbrief().arg("build").arg(input).arg("-o").arg(out).args(["-f", formats]).assert().success();
    let json = out.join("brief.json");
    if json.exists() { serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap() } else { Value::Null }
}

/// The claims the Claims section shows: those carried by two or more outlets.
fn shown_claims(brief: &Value) -> Vec<String> {
    brief["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outlets"].as_u64().unwrap_or(0) >= 2)
        .map(|c| squash(c["text"].as_str().unwrap()))
        .collect()
}

// ---- HTML in Chromium ------------------------------------------------------------------------

/// Runs in the page after load and returns what the assertions need.
const MEASURE: &str = r#"(() => {
  const parse = s => {
    const m = /rgba?\(([^)]+)\)/.exec(s || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
                                   b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const lum = c => { const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                     return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let base = { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) base = over(l, base);
    return base;
  };
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const contrast = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3 && n.textContent.trim()).map(n => n.textContent.trim());
    if (!own.length || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const style = getComputedStyle(el);
    const fg = parse(el instanceof SVGElement ? style.fill : style.color);
    if (!fg) continue;
    const bg = background(el);
    const [a, b] = [lum(over(fg, bg)), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = (size >= 24 || (size >= 18.66 && bold)) ? 3 : 4.5;
    if (ratio < needed) contrast.push(`${describe(el)} "${own[0].slice(0, 40)}": ${ratio.toFixed(2)} < ${needed}`);
  }
  const section = id => {
    const h = document.getElementById(id);
    const s = h && (h.closest('section') || h.parentElement);
    if (!s) return { visible: false, text: '' };
    const r = s.getBoundingClientRect();
    return { visible: s.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && r.width > 0 && r.height > 0,
             text: s.innerText };
  };
  const overflowing = Array.from(document.body.querySelectorAll('*')).filter(el => {
    const r = el.getBoundingClientRect();
    return r.right > innerWidth + 1 || (getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1);
  }).slice(-8).map(describe);
  return {
    innerWidth, scrollWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    claims: section('claims'), conflicts: section('conflicts'),
    headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => Number(h.tagName[1])),
    landmarks: ['header', 'main', 'footer'].filter(t => document.querySelector(t)),
    resources: performance.getEntriesByType('resource').map(e => e.name),
    contrast, overflowing,
  };
})()"#;

struct Width {
    name: &'static str,
    width: u32,
    mobile: bool,
}

const DESKTOP: Width = Width { name: "desktop", width: 1280, mobile: false };
const PHONE: Width = Width { name: "phone", width: 375, mobile: true };

/// Opens `html` at each width in light and dark, asserts what a reader relies on, and keeps a
/// full-page screenshot of each view in `artifacts`.
fn check_in_browser(html: &Path, brief: &Value, artifacts: &Path) {
    let Some(binary) = cdp::find_chromium() else {
        require("chromium", false);
        return;
    };
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    let mut browser = cdp::Browser::launch(&binary);
    let claims = shown_claims(brief);
    assert!(!claims.is_empty(), "the brief has no claim carried by two outlets");
    for w in [DESKTOP, PHONE] {
        for dark in [false, true] {
            let view = format!("{}-{}", w.name, if dark { "dark" } else { "light" });
            let visit = browser.visit(&url, w.width, 900, w.mobile, dark, MEASURE);
            let m = &visit.measured;
            browser.screenshot(&artifacts.join(format!("{view}.png")));
            assert!(visit.errors.is_empty(), "{view}: console errors: {:#?}", visit.errors);
            assert_eq!(m["innerWidth"], w.width, "{view}: the viewport was not emulated");
            assert_eq!(m["dark"], dark, "{view}: colour scheme not emulated");
            let (scroll, inner) = (m["scrollWidth"].as_u64().unwrap(), m["innerWidth"].as_u64().unwrap());
            assert!(
                scroll <= inner,
                "{view}: scrolls sideways ({scroll} > {inner} px) because of {}",
                m["overflowing"]
            );
            let remote: Vec<&Value> = m["resources"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| !r.as_str().unwrap().starts_with("data:"))
                .collect();
            assert!(remote.is_empty(), "{view}: the page loads other files: {remote:?}");
            assert!(
                m["contrast"].as_array().unwrap().is_empty(),
                "{view}: text below WCAG AA contrast: {:#}",
                m["contrast"]
            );
            assert_eq!(m["landmarks"], serde_json::json!(["header", "main", "footer"]), "{view}: landmarks");
            let headings: Vec<u64> = m["headings"].as_array().unwrap().iter().map(|h| h.as_u64().unwrap()).collect();
            assert_eq!(headings.first(), Some(&1), "{view}: the page does not start with an h1");
            assert!(headings.windows(2).all(|p| p[1] <= p[0] + 1), "{view}: heading levels skip: {headings:?}");

            assert_eq!(m["claims"]["visible"], true, "{view}: the claims section is not visible");
            let shown = squash(m["claims"]["text"].as_str().unwrap());
            for claim in &claims {
                assert!(shown.contains(claim.as_str()), "{view}: claim not shown: {claim}");
            }
            assert_eq!(m["conflicts"]["visible"], true, "{view}: the conflicts section is not visible");
            let shown = squash(m["conflicts"]["text"].as_str().unwrap());
            for conflict in brief["conflicts"].as_array().unwrap() {
                for value in conflict["values"].as_array().unwrap() {
                    let text = squash(value["text"].as_str().unwrap());
                    assert!(shown.contains(&text), "{view}: conflicting figure not shown: {text}");
                }
            }
        }
    }
    // The print stylesheet: what a reader gets from "Print" in the browser.
    browser.visit(&url, DESKTOP.width, 900, false, false, "1");
    browser.print_pdf(&artifacts.join("print.pdf"));
}

#[test]
fn seeds_html_reads_well_in_chromium_on_desktop_and_phone() {
    let dir = artifacts("html");
    let brief = build(&seeds(), &dir, "html,json,md");
    assert!(!brief["conflicts"].as_array().unwrap().is_empty(), "the seeds should have a conflict to show");
    check_in_browser(&dir.join("brief.html"), &brief, &dir);
    if dir.join("print.pdf").exists() && on_path("pdftotext") {
        // Printed from the browser, the outlets' wordings (folded away on screen) are all there.
        // pdftotext joins words hyphenated across lines ("drug-" + "trafficking" -> "drugtrafficking"),
        // so compare without spaces and hyphens.
        let bare = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
        // A wording may also run across a page break, where the "n / N" page number sits.
        let printed: String = pdftotext(&dir.join("print.pdf"))
            .lines()
            .filter(|l| !is_page_number(l.trim_matches('\u{c}').trim()))
            .collect::<Vec<_>>()
            .join("\n");
        let text = bare(&printed);
        for claim in brief["claims"].as_array().unwrap().iter().filter(|c| c["outlets"].as_u64() >= Some(2)) {
            for mention in claim["mentions"].as_array().unwrap() {
                let wording = mention["text"].as_str().unwrap();
                assert!(text.contains(&bare(wording)), "the printed page lacks an outlet's wording: {wording}");
            }
        }
        pages(&dir.join("print.pdf"), &dir, "print");
    }
}

#[test]
fn long_unbroken_words_do_not_make_the_phone_view_scroll_sideways() {
    let input = tempfile::tempdir().unwrap();
    let long = "Supercalifragilistic".repeat(8);
    let url = format!("https://example.com/{}/{}", "a".repeat(90), "b".repeat(60));
    for (n, outlet) in ["The Extraordinarily Long-Named Evening Chronicle", "Reuters"].iter().enumerate() {
        let text = format!(
            "Officials confirm {long} closure of the harbour\n\n\
             Officials said on Monday that 12 ships were held at {url} after the {long} order. \
             The port authority said the harbour would stay closed for 3 weeks, {outlet} reported.\n"
        );
        std::fs::write(input.path().join(format!("{n}.txt")), text).unwrap();
    }
    std::fs::write(
        input.path().join("sources.toml"),
        format!("[[source]]\nfile = \"0.txt\"\noutlet = \"The Extraordinarily Long-Named Evening Chronicle\"\nurl = \"{url}\"\n"),
    )
    .unwrap();
    let dir = artifacts("html-long-words");
    let brief = build(input.path(), &dir, "html,json");
    if shown_claims(&brief).is_empty() {
        panic!("the fixture should group a claim across both articles: {:#}", brief["claims"]);
    }
    check_in_browser(&dir.join("brief.html"), &brief, &dir);
}

// ---- PDF through poppler ---------------------------------------------------------------------

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Page images at 60 dpi, `<prefix>-N.png`, for people to look at.
fn pages(pdf: &Path, dir: &Path, prefix: &str) -> usize {
    let status = Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(pdf).arg(dir.join(prefix)).status().unwrap();
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(&format!("{prefix}-")))
        .count()
}

#[test]
fn seeds_pdf_holds_the_claims_and_every_section() {
    if require("typst", have_typst()).is_none() || require("poppler-utils", on_path("pdftotext")).is_none() {
        return;
    }
    let dir = artifacts("pdf");
    let brief = build(&seeds(), &dir, "pdf,json");
    let pdf = dir.join("brief.pdf");
    let text = squash(&pdftotext(&pdf));
    for heading in [
        "Key findings",
        "Claims",
        "Origins",
        "Conflicting figures",
        "Needs independent confirmation",
        "Language and framing",
        "Sources",
        "Method and limits",
    ] {
        assert!(text.contains(heading), "the PDF has no section {heading:?}");
    }
    let title = squash(brief["title"].as_str().unwrap());
    assert!(text.starts_with("Fact-check brief") && text.contains(&title), "no title block: {title}");
    for claim in shown_claims(&brief) {
        assert!(text.contains(&claim), "the PDF lacks the claim: {claim}");
    }
    for source in brief["sources"].as_array().unwrap() {
        let outlet = source["outlet"].as_str().unwrap_or_else(|| source["id"].as_str().unwrap());
        assert!(text.contains(outlet), "the PDF does not name the source {outlet}");
    }
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.windows(11).any(|w| w == b"pdfaid:part"), "the seeds' PDF should be PDF/A");
    let n = pages(&pdf, &dir, "page");
    assert!(n >= 2, "expected a multi-page brief, got {n} page(s)");
    // Page numbers and the running header from page 2 on.
    let per_page: Vec<String> = pdftotext(&pdf).split('\u{c}').map(squash).collect();
    for (i, page) in per_page.iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        let compact: String = page.split_whitespace().collect();
        assert!(compact.contains(&format!("{}/{n}", i + 1)), "page {} has no page number", i + 1);
        if i > 0 {
            assert!(page.starts_with("Fact-check brief"), "page {} has no running header", i + 1);
        }
    }
}

#[test]
fn text_the_embedded_fonts_cannot_draw_gives_a_plain_pdf_and_says_so() {
    if require("typst", have_typst()).is_none() {
        return;
    }
    let input = tempfile::tempdir().unwrap();
    let text = "Officials said 12 people were hurt in 北京 on Monday, the ministry said.\n";
    std::fs::write(input.path().join("a.txt"), text).unwrap();
    let out = tempfile::tempdir().unwrap();
    factbrief()
        .arg("build")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .args(["-f", "pdf"])
        .assert()
        .success()
        .stderr(predicates::str::contains("not PDF/A-2b").and(predicates::str::contains("北")));
    assert!(out.path().join("brief.pdf").exists());
}

/// "2 / 14": the page number Chromium prints at the foot of each page.
fn is_page_number(line: &str) -> bool {
    line.split_once(" / ").is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit())
    })
}
