//! Sentence splitting: sentences are ordered, inside the kept ranges, on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn data() -> &'static factbrief::data::Data {
    static D: OnceLock<factbrief::data::Data> = OnceLock::new();
    D.get_or_init(factbrief::data::Data::builtin)
}

fuzz_target!(|text: &str| {
    let c = factbrief::clean::clean(text, data());
    let segments = factbrief::segment::segment(text, &c);
    let mut at = 0;
    for s in &segments {
        assert!(s.start >= at && s.start < s.end && s.end <= text.len(), "{s:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(c.kept.iter().any(|r| r.start <= s.start && s.end <= r.end), "{s:?} crosses a removed range");
        at = s.end;
    }
});
