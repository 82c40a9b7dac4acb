//! Bytes → decode → text: never panics; UTF-8 comes back unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = factbrief::ingest::decode::decode(data) {
        if let Ok(s) = std::str::from_utf8(data) {
            assert_eq!(d.text, s);
            assert!(d.encoding.is_none());
        }
    }
});
