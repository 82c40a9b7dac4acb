//! Attribution: never panics; what it names comes from the sentence or the outlet list; cutting
//! the credit never grows the sentence; a sentence without a back reference is attributed the
//! same whatever outlet came before (the claims stage relies on it to attribute each distinct
//! sentence once); the voice cues (speaker, reported speech) never panic at any offset; a
//! sentence-final attribution pattern tried only after the last comma (`data::LastClause`)
//! answers as the plain regex does; the speakers before a speech cue, found back from the cues,
//! are those the exact pattern finds on its own; the patterns' variants for ASCII and near-ASCII
//! text find what the patterns as written find.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

use factbrief::claims::origins;
use factbrief::data::as_written;
use factbrief::markers::voice;

fn data() -> &'static factbrief::data::Data {
    static D: OnceLock<factbrief::data::Data> = OnceLock::new();
    D.get_or_init(factbrief::data::Data::builtin)
}

/// The shape of the trailing-attribution pattern, with a simpler speaker.
const LAST_CLAUSE: &str = r"[,—–]\s*(?:[Tt]he\s+)?(?:[A-Z][\w’'.-]*\s+){0,3}\w+\s+(?:said|reported|told\s+[\w .]+)\b[^,]{0,40}[.!?]?\s*$";

fn last_clause() -> &'static (factbrief::data::LastClause, regex::Regex) {
    static P: OnceLock<(factbrief::data::LastClause, regex::Regex)> = OnceLock::new();
    P.get_or_init(|| {
        let fast = factbrief::data::LastClause::new(LAST_CLAUSE, &[',', '—', '–'], ',').unwrap();
        (fast, factbrief::data::regex(LAST_CLAUSE).unwrap())
    })
}

fuzz_target!(|text: &str| {
    let (fast, slow) = last_clause();
    assert_eq!(fast.is_match(text), slow.is_match(text));
    let with_previous = origins::attribute(text, data(), Some("CNN"));
    assert_eq!(with_previous, as_written(|| origins::attribute(text, data(), Some("CNN"))));
    if let Some(a) = &with_previous {
        assert!(a.kind == "outlet" || text.contains(a.to.as_str()), "{a:?}");
        assert!(origins::without_credit(text, a).len() <= text.len() + 1);
    }
    if !origins::refers_back(text) {
        assert_eq!(with_previous, origins::attribute(text, data(), None));
    }
    let _ = origins::find_outlet(text, data());
    assert_eq!(voice::speakers_before_cue(text), voice::speakers_before_cue_by_one_regex(text));
    let cues = voice::SentenceVoice::new(text);
    for at in [0, text.len() / 2, text.len()] {
        if text.is_char_boundary(at) {
            let found = (cues.attributed_at(at), cues.speaker(at), cues.speech_before(at));
            let as_written = as_written(|| {
                let cues = voice::SentenceVoice::new(text);
                (cues.attributed_at(at), cues.speaker(at), cues.speech_before(at))
            });
            assert_eq!(found, as_written, "{text:?} at {at}");
        }
    }
});
