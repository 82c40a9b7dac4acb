//! Snapshot tests of what users read: the seeds' JSON and Markdown.

mod common;

use factbrief::render;

#[test]
fn seeds_json() {
    let brief = common::analyze_folder(&common::seeds());
    insta::assert_snapshot!("seeds_json", render::json(&brief).unwrap());
}

#[test]
fn seeds_markdown() {
    let brief = common::analyze_folder(&common::seeds());
    insta::assert_snapshot!("seeds_markdown", render::markdown(&brief, &Default::default()).unwrap());
}
