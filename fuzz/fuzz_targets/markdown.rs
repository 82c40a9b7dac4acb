//! Markdown reading: never panics, always ends in one line break.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let out = factbrief::ingest::markdown::to_text(text);
    assert!(out.ends_with('\n'));
});
