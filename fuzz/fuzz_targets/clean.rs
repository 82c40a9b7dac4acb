//! Cleaning: kept and removed ranges lie inside the text, on character boundaries, in order; the
//! boilerplate patterns' variants find what the patterns as written find.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn data() -> &'static factbrief::data::Data {
    static D: OnceLock<factbrief::data::Data> = OnceLock::new();
    D.get_or_init(factbrief::data::Data::builtin)
}

fuzz_target!(|text: &str| {
    let c = factbrief::clean::clean(text, data());
    let mut at = 0;
    for r in &c.kept {
        assert!(r.start >= at && r.start <= r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        at = r.end;
    }
    for r in &c.removed {
        assert_eq!(&text[r.start..r.end], r.text);
    }
    assert_eq!(c, factbrief::data::as_written(|| factbrief::clean::clean(text, data())), "{text:?}");
});
