//! HTML reading: never panics or overflows the stack, whatever the markup.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(page) = factbrief::ingest::html::to_text(text) {
        assert!(page.text.ends_with('\n'));
    }
});
