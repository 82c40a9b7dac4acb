//! `factbrief site`: a folder of stories becomes a folder of briefs and an index page, and an
//! unchanged story is not built again.

mod common;

use std::path::Path;
use std::time::SystemTime;

use common::{copy_seeds, factbrief, seeds};
use predicates::prelude::*;

/// Two stories: the seeds, and three of the seed articles under another title.
fn two_stories() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("boats");
    std::fs::create_dir(&a).unwrap();
    copy_seeds(&a);
    let b = dir.path().join("second story");
    std::fs::create_dir(&b).unwrap();
    for name in ["000_4a06e8044433f305.txt", "001_7dcd58a5887c1f56.txt", "002_ac3f8b20a9def9df.txt"] {
        std::fs::copy(seeds().join(name), b.join(name)).unwrap();
    }
    std::fs::write(b.join("sources.toml"), "title = \"Three reports on the same decision\"\n").unwrap();
    dir
}

fn site(stories: &Path, public: &Path) -> assert_cmd::assert::Assert {
    factbrief().arg("site").arg(stories).arg("-o").arg(public).args(["-f", "md,html,json"]).assert()
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn every_story_gets_its_brief_and_a_line_in_the_index() {
    let stories = two_stories();
    let public = tempfile::tempdir().unwrap();
    site(stories.path(), public.path())
        .success()
        .stderr(predicate::str::contains("boats: building").and(predicate::str::contains("second story: building")));
    for story in ["boats", "second story"] {
        for file in ["brief.md", "brief.html", "brief.json", ".factbrief-stamp"] {
            assert!(public.path().join(story).join(file).is_file(), "{story}/{file} missing");
        }
        assert!(!public.path().join(story).join("brief.pdf").exists(), "PDF was not asked for");
    }
    let index = std::fs::read_to_string(public.path().join("index.html")).unwrap();
    assert!(index.contains("US allies halt intelligence sharing over US strikes on Caribbean boats"));
    assert!(index.contains("Three reports on the same decision"));
    assert!(index.contains("2025-11-11 to 2025-11-13") && index.contains("5 outlets") && index.contains("3 outlets"));
    assert!(index.contains("conflicting figure") && index.contains("independent origins"));
    // Every link in the index leads to a file that is there.
    let links: Vec<&str> = index.split("href=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert!(links.len() >= 6, "{links:?}");
    for link in links {
        let path = link.replace("%20", " ");
        assert!(public.path().join(&path).is_file(), "the index links to {link}, which is not there");
    }
    // Newest story first: both have the same dates, so by folder name.
    assert!(index.find("boats/brief.html").unwrap() < index.find("second%20story/brief.html").unwrap());
}

#[test]
fn a_second_run_rebuilds_nothing_and_an_edit_rebuilds_only_its_story() {
    let stories = two_stories();
    let public = tempfile::tempdir().unwrap();
    site(stories.path(), public.path()).success();
    let (a_html, b_html) = (public.path().join("boats/brief.html"), public.path().join("second story/brief.html"));
    let (a_time, b_time) = (modified(&a_html), modified(&b_html));
    let index = std::fs::read(public.path().join("index.html")).unwrap();

    site(stories.path(), public.path()).success().stderr(
        predicate::str::contains("boats: up to date")
            .and(predicate::str::contains("second story: up to date"))
            .and(predicate::str::contains("building").not())
            .and(predicate::str::contains("0 built, 2 up to date")),
    );
    assert_eq!(modified(&a_html), a_time);
    assert_eq!(std::fs::read(public.path().join("index.html")).unwrap(), index, "the index changed");

    // A new modification time alone changes nothing: stamps hash names and bytes.
    let file = stories.path().join("second story/000_4a06e8044433f305.txt");
    let f = std::fs::File::options().append(true).open(&file).unwrap();
    f.set_modified(SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
    drop(f);
    site(stories.path(), public.path()).success().stderr(predicate::str::contains("building").not());

    // Editing an article rebuilds its story only.
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\nOfficials said on Friday that 3 more ships were seen near the coast.\n");
    std::fs::write(&file, text).unwrap();
    site(stories.path(), public.path()).success().stderr(
        predicate::str::contains("second story: building")
            .and(predicate::str::contains("boats: up to date"))
            .and(predicate::str::contains("1 built, 1 up to date")),
    );
    assert_eq!(modified(&a_html), a_time, "the unchanged story was rewritten");
    assert_ne!(modified(&b_html), b_time, "the edited story was not rebuilt");

    // Renaming a file, or deleting a built file, also rebuilds that story.
    std::fs::rename(&file, stories.path().join("second story/renamed.txt")).unwrap();
    site(stories.path(), public.path()).success().stderr(predicate::str::contains("second story: building"));
    std::fs::remove_file(public.path().join("boats/brief.md")).unwrap();
    site(stories.path(), public.path()).success().stderr(predicate::str::contains("boats: building"));
    assert!(public.path().join("boats/brief.md").is_file());
    // --force rebuilds everything.
    factbrief()
        .arg("site")
        .arg(stories.path())
        .arg("-o")
        .arg(public.path())
        .args(["-f", "md,html,json", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("2 built, 0 up to date"));
}

#[test]
fn a_broken_story_is_reported_and_the_others_are_still_published() {
    let stories = two_stories();
    std::fs::create_dir(stories.path().join("empty")).unwrap();
    let public = tempfile::tempdir().unwrap();
    site(stories.path(), public.path()).failure().stderr(
        predicate::str::contains("error: empty:").and(predicate::str::contains("2 built, 0 up to date, 1 failed")),
    );
    let index = std::fs::read_to_string(public.path().join("index.html")).unwrap();
    assert!(index.contains("boats/brief.html") && !index.contains("empty/"));
}

#[test]
fn folder_names_and_titles_cannot_become_markup_in_the_index() {
    let stories = tempfile::tempdir().unwrap();
    let evil = stories.path().join("x\"><img src=y onerror=alert(1)>");
    std::fs::create_dir(&evil).unwrap();
    copy_seeds(&evil);
    std::fs::write(evil.join("sources.toml"), "title = \"<script>alert(2)</script> & more\"\n").unwrap();
    let public = tempfile::tempdir().unwrap();
    site(stories.path(), public.path()).success();
    let index = std::fs::read_to_string(public.path().join("index.html")).unwrap();
    assert!(!index.contains("<img") && !index.contains("<script>"), "markup from a folder name or title:\n{index}");
    assert!(index.contains("&lt;script&gt;alert(2)&lt;/script&gt; &amp; more"));
    assert!(index.contains("href=\"x%22%3E%3Cimg%20src%3Dy%20onerror%3Dalert%281%29%3E/brief.html\""));
}

#[test]
fn without_typst_the_site_is_built_without_pdf_and_says_so() {
    let stories = two_stories();
    let public = tempfile::tempdir().unwrap();
    factbrief()
        .env("TYPST", "/nonexistent/typst")
        .arg("site")
        .arg(stories.path())
        .arg("-o")
        .arg(public.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("typst was not found"));
    assert!(public.path().join("boats/brief.html").is_file() && !public.path().join("boats/brief.pdf").exists());
    let index = std::fs::read_to_string(public.path().join("index.html")).unwrap();
    assert!(!index.contains("brief.pdf"));
}

#[test]
fn a_custom_index_template_replaces_the_built_in_one_and_rebuilds_nothing_else() {
    let stories = two_stories();
    let public = tempfile::tempdir().unwrap();
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("index.html"),
        "<h1>Desk</h1>{% for s in site.stories %}<p>{{ s.slug }}|{{ s.outlets }}|{{ s.title }}</p>{% endfor %}",
    )
    .unwrap();
    factbrief()
        .arg("site")
        .arg(stories.path())
        .arg("-o")
        .arg(public.path())
        .args(["-f", "html", "--templates"])
        .arg(templates.path())
        .assert()
        .success();
    let index = std::fs::read_to_string(public.path().join("index.html")).unwrap();
    assert!(index.starts_with("<h1>Desk</h1><p>boats|5|US allies"), "{index}");
    assert!(index.contains("<p>second story|3|Three reports on the same decision</p>"), "{index}");
}

#[test]
fn a_missing_stories_folder_is_a_clear_error() {
    let public = tempfile::tempdir().unwrap();
    factbrief()
        .args(["site", "/no/such/stories", "-o"])
        .arg(public.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("/no/such/stories").and(predicate::str::contains("does not exist")));
}
