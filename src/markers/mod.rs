//! Markers: an article's text and its sentences in, loaded-language markers out. Each marker is a
//! lexicon hit (or a pair of scare quotes) with its voice, speaker and position:
//!
//! - `quoted`: inside quotation marks, any style; the speaker is whoever the sentence names next
//!   to a speech verb ("Türk said", "…,” sources told CNN").
//! - `attributed`: reported speech without quotes ("what critics have called …", "Petro said the
//!   strikes were murder", "…, CNN reports.").
//! - `outlet`: everything else: the article's own narration, headline or captions.
//!
//! A word in someone else's mouth is shown but never counted against the outlet; [`profile`]
//! builds the per-outlet figures from outlet-voice markers only. Scare quotes (quotation marks
//! around one to three words, with no speaker named) are a framing marker of their own.

pub mod lexicon;
pub mod profile;
pub mod voice;

use std::ops::Range;

pub use lexicon::{Entry, Lexicon};

use crate::brief::{Marker, Position, Voice};

/// A sentence for the markers stage: its byte range in the article's text and where it stands.
#[derive(Debug, Clone)]
pub struct SentenceView {
    pub start: usize,
    pub end: usize,
    pub position: Position,
}

/// The most words a quotation may hold to count as scare quotes rather than a quote.
pub const SCARE_QUOTE_MAX_WORDS: usize = 3;

/// The markers of one article, sorted by offset. `text` is the article's whole text, which the
/// sentences' offsets (and the markers') point into.
pub fn find(lexicon: &Lexicon, source: &str, text: &str, sentences: &[SentenceView]) -> Vec<Marker> {
    let quotes = voice::quotations(text);
    // Each quotation's speaker, found once however many loaded words it holds.
    let quote_speakers: Vec<std::cell::OnceCell<Option<String>>> = vec![Default::default(); quotes.len()];
    let mut out = Vec::new();
    for s in sentences {
        let sentence = &text[s.start..s.end];
        let marker = |range: Range<usize>, entry: &Entry, voice: Voice, speaker: Option<String>| Marker {
            source: source.to_string(),
            start: range.start,
            end: range.end,
            text: text[range].to_string(),
            term: entry.term.clone(),
            category: entry.category.clone(),
            voice,
            speaker,
            position: s.position,
            note: entry.reason.clone(),
            neutral: entry.neutral.clone(),
        };
        // A sentence no quotation touches has the markers its words alone give: syndicated
        // copies repeat it word for word, so it is looked at once.
        if !quotes.iter().any(|q| q.outer.start < s.end && s.start < q.outer.end) {
            for hit in unquoted_hits_cached(lexicon, sentence).iter() {
                let range = s.start + hit.start..s.start + hit.end;
                out.push(marker(range, lexicon.entry(hit.entry), hit.voice, hit.speaker.clone()));
            }
            continue;
        }
        let cues = voice::SentenceVoice::new(sentence);
        for hit in lexicon.find(sentence) {
            let range = s.start + hit.start..s.start + hit.end;
            let entry = lexicon.entry(hit.entry);
            let (voice, speaker) = if let Some(k) = voice::enclosing_index(&quotes, &range) {
                (Voice::Quoted, quote_speakers[k].get_or_init(|| quote_speaker(text, sentences, &quotes[k])).clone())
            } else {
                voice_of(&cues, hit.start)
            };
            out.push(marker(range, entry, voice, speaker));
        }
        for q in quotes.iter().filter(|q| s.start <= q.outer.start && q.outer.start < s.end) {
            let at = q.outer.start - s.start;
            if is_scare_quote(text, q) && !cues.speech_before(at) && cues.speaker(at).is_none() {
                out.push(marker(q.outer.start..q.outer.end.min(s.end), scare_quotes_entry(), Voice::Outlet, None));
            }
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)).then(a.term.cmp(&b.term)));
    out
}

/// The voice of a loaded word outside quotation marks, at byte `at` of its sentence.
fn voice_of(cues: &voice::SentenceVoice, at: usize) -> (Voice, Option<String>) {
    if cues.attributed_at(at) { (Voice::Attributed, cues.speaker(at)) } else { (Voice::Outlet, None) }
}

/// Answers worked out from a text alone, remembered per thread by text: syndicated copies repeat
/// sentences word for word. Each answer also belongs to an owner (a lexicon's id; 0 where there
/// is only one), and a new owner starts the memo afresh, as does reaching `MEMO_SIZE` texts.
/// Remembering cannot change any output.
pub(crate) struct TextMemo<V: ?Sized> {
    owner: u64,
    by_text: rustc_hash::FxHashMap<Box<str>, std::rc::Rc<V>>,
}

impl<V: ?Sized> Default for TextMemo<V> {
    fn default() -> Self {
        TextMemo { owner: 0, by_text: Default::default() }
    }
}

/// The most texts a memo holds before starting afresh.
const MEMO_SIZE: usize = 100_000;

impl<V: ?Sized> TextMemo<V> {
    /// The answer for `text`, worked out with `make` the first time it is asked for.
    pub(crate) fn get(
        memo: &'static std::thread::LocalKey<std::cell::RefCell<TextMemo<V>>>,
        owner: u64,
        text: &str,
        make: impl FnOnce() -> std::rc::Rc<V>,
    ) -> std::rc::Rc<V> {
        memo.with(|memo| {
            if let Some(found) = memo.borrow().by_text.get(text).filter(|_| memo.borrow().owner == owner) {
                return found.clone();
            }
            let found = make();
            let mut memo = memo.borrow_mut();
            if memo.owner != owner || memo.by_text.len() >= MEMO_SIZE {
                memo.owner = owner;
                memo.by_text.clear();
            }
            memo.by_text.insert(text.into(), found.clone());
            found
        })
    }
}

/// A loaded word in a sentence that no quotation touches, with offsets into the sentence.
struct UnquotedHit {
    start: usize,
    end: usize,
    entry: usize,
    voice: Voice,
    speaker: Option<String>,
}

thread_local! {
    /// Loaded words by sentence text, for the lexicon whose id owns the memo.
    static UNQUOTED_HITS: std::cell::RefCell<TextMemo<[UnquotedHit]>> = Default::default();
}

fn unquoted_hits_cached(lexicon: &Lexicon, sentence: &str) -> std::rc::Rc<[UnquotedHit]> {
    TextMemo::get(&UNQUOTED_HITS, lexicon.id(), sentence, || {
        let cues = voice::SentenceVoice::new(sentence);
        lexicon
            .find(sentence)
            .into_iter()
            .map(|hit| {
                let (voice, speaker) = voice_of(&cues, hit.start);
                UnquotedHit { start: hit.start, end: hit.end, entry: hit.entry, voice, speaker }
            })
            .collect()
    })
}

/// Who speaks a quotation: named in the sentences from the one where it opens to the one where
/// it closes, since a quote may run over several sentences ("stating: “… death. … him.”").
fn quote_speaker(text: &str, sentences: &[SentenceView], quote: &voice::Quotation) -> Option<String> {
    let holding = |at: usize| sentences.iter().find(|s| s.start <= at && at < s.end.max(s.start + 1));
    let first = holding(quote.outer.start)?;
    let last = holding(quote.outer.end.saturating_sub(1)).unwrap_or(first);
    let window = &text[first.start..last.end.max(first.end)];
    voice::speaker(window, quote.outer.start - first.start)
}

/// One to three words in quotation marks, not inside another quotation and not a sentence of
/// its own.
fn is_scare_quote(text: &str, q: &voice::Quotation) -> bool {
    if q.nested {
        return false;
    }
    let inner = text[q.inner.clone()].trim().trim_end_matches(['.', ',', '!', '?', ';', ':']);
    let words = inner.split_whitespace().count();
    (1..=SCARE_QUOTE_MAX_WORDS).contains(&words) && inner.chars().any(char::is_alphabetic) && !inner.contains('\n')
}

fn scare_quotes_entry() -> &'static Entry {
    static ENTRY: std::sync::OnceLock<Entry> = std::sync::OnceLock::new();
    ENTRY.get_or_init(|| Entry {
        term: "scare quotes".into(),
        category: "framing".into(),
        reason: "quotation marks around a short phrase, with no speaker named, distance the outlet from the words"
            .into(),
        neutral: Some("the words without quotation marks, or name who used them".into()),
        forms: Vec::new(),
        inflect: false,
        derived_from: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::from_texts(&[crate::data::LEXICON.to_string()]).unwrap()
    }

    fn markers(text: &str) -> Vec<Marker> {
        let views = vec![SentenceView { start: 0, end: text.len(), position: Position::Body }];
        find(&lexicon(), "t", text, &views)
    }

    fn voices(text: &str) -> Vec<(String, Voice, Option<String>)> {
        markers(text).into_iter().map(|m| (m.text, m.voice, m.speaker)).collect()
    }

    #[test]
    fn outlet_voice_by_default() {
        assert_eq!(voices("The tyrant sent troops."), vec![("tyrant".into(), Voice::Outlet, None)]);
    }

    #[test]
    fn quoted_in_every_style_with_speaker() {
        for text in [
            "“The man is a tyrant,” Petro said.",
            "\"The man is a tyrant,\" Petro said.",
            "‘The man is a tyrant,’ Petro said.",
            "'The man is a tyrant,' Petro said.",
        ] {
            assert_eq!(voices(text), vec![("tyrant".into(), Voice::Quoted, Some("Petro".into()))], "{text}");
        }
    }

    #[test]
    fn attributed_without_quotes() {
        assert_eq!(
            voices("Petro said the man was a tyrant."),
            vec![("tyrant".into(), Voice::Attributed, Some("Petro".into()))]
        );
    }

    #[test]
    fn scare_quotes_are_a_marker_of_their_own() {
        let m = markers("The navy moved to ‘dismantle’ the groups.");
        assert_eq!(m.len(), 1);
        assert_eq!(
            (m[0].text.as_str(), m[0].term.as_str(), m[0].voice),
            ("‘dismantle’", "scare quotes", Voice::Outlet)
        );
        // A quote with a speaker is a quote, not scare quotes.
        assert!(
            markers("Barrot said the strikes “violate international law.”").iter().all(|m| m.term != "scare quotes")
        );
    }
}
