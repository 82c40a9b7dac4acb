//! Quantity parsing: spans inside the sentence on character boundaries, intervals ordered.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for q in factbrief::claims::quantities::find(text) {
        assert!(q.start <= q.end && q.end <= text.len(), "{q:?}");
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
        assert!(!q.low.is_nan());
        if let Some(high) = q.high {
            assert!(q.low <= high, "{q:?}");
        }
    }
});
