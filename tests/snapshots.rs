//! Snapshot tests of what users read: the JSON and Markdown for the seeds, and for a real
//! three-outlet cluster from BASIL (Fox News, The New York Times, HuffPost).
//!
//! BASIL is research data that must not be committed here, so its cluster is converted on the
//! fly from `FACTBRIEF_EVAL_DIR` (default `../shared/eval`; skipped when absent) and its
//! snapshots are *redacted*: every article-derived string longer than 40 bytes (sentences,
//! claims, mentions, headlines, removed passages) is replaced by its length and an FNV-1a
//! digest before the JSON is snapshotted and the Markdown rendered. What is kept is the shape of
//! the analysis: claim groups, spans, outlets, origins, ratings, conflicts, short figures and
//! terms, and the brief's layout.

mod common;

use factbrief::render;
use serde_json::Value;

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

/// BASIL event "Federal charges filed against Grimm" (2014).
const BASIL_EVENT: &str = "33521e65-12da-4521-b132-7b606243b0e4";

fn basil_brief() -> Option<factbrief::brief::Brief> {
    let Some(eval) = common::eval_dir() else {
        eprintln!("skipped: no evaluation data (set FACTBRIEF_EVAL_DIR, default ../shared/eval)");
        return None;
    };
    let files = common::basil::event_files(&eval.join("basil").join("articles"), BASIL_EVENT).unwrap();
    let dir = tempfile::tempdir().unwrap();
    common::basil::convert(&files, dir.path()).unwrap();
    let brief = common::analyze_folder(dir.path());
    // Paths are relative to the folder, so the temporary folder does not leak into the snapshot.
    let mut value = serde_json::to_value(&brief).unwrap();
    redact(&mut value, None);
    Some(serde_json::from_value(value).unwrap())
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

fn redact(v: &mut Value, key: Option<&str>) {
    match v {
        Value::String(s) if matches!(key, Some("text" | "headline" | "title" | "evidence")) && s.len() > 40 => {
            *s = format!("[redacted: {} bytes, {:08x}]", s.len(), fnv(s) as u32);
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact(i, key)),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| redact(v, Some(k.as_str()))),
        _ => {}
    }
}

#[test]
fn basil_json_redacted() {
    let Some(brief) = basil_brief() else { return };
    insta::assert_snapshot!("basil_json_redacted", render::json(&brief).unwrap());
}

#[test]
fn basil_markdown_redacted() {
    let Some(brief) = basil_brief() else { return };
    insta::assert_snapshot!("basil_markdown_redacted", render::markdown(&brief, &Default::default()).unwrap());
}
