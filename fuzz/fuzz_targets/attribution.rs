//! Attribution: never panics; what it names comes from the sentence or the outlet list.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn data() -> &'static factbrief::data::Data {
    static D: OnceLock<factbrief::data::Data> = OnceLock::new();
    D.get_or_init(factbrief::data::Data::builtin)
}

fuzz_target!(|text: &str| {
    if let Some(a) = factbrief::claims::origins::attribute(text, data(), Some("CNN")) {
        assert!(a.kind == "outlet" || text.contains(a.to.as_str()), "{a:?}");
    }
    let _ = factbrief::claims::origins::find_outlet(text, data());
});
