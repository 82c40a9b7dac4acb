//! Quantity parsing: spans inside the sentence on character boundaries, intervals ordered, the
//! word scan in front of the patterns never drops a figure, and the patterns' variants for ASCII
//! and near-ASCII text find what the patterns as written find.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let found = factbrief::claims::quantities::find(text);
    assert_eq!(found, factbrief::claims::quantities::read_figures(text), "{text:?}");
    assert_eq!(found, factbrief::data::as_written(|| factbrief::claims::quantities::read_figures(text)), "{text:?}");
    for q in found {
        assert!(q.start <= q.end && q.end <= text.len(), "{q:?}");
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
        assert!(!q.low.is_nan());
        if let Some(high) = q.high {
            assert!(q.low <= high, "{q:?}");
        }
    }
});
