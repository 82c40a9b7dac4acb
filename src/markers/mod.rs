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
        let touching: Vec<&voice::Quotation> =
            quotes.iter().filter(|q| q.outer.start < s.end && s.start < q.outer.end).collect();
        // A sentence whose quotations all lie inside it has the markers its words and those
        // quotations give: syndicated copies repeat it word for word, so it is looked at once.
        if touching.iter().all(|q| s.start <= q.outer.start && q.outer.end <= s.end) {
            let inside: Vec<voice::Quotation> = touching
                .iter()
                .map(|q| voice::Quotation {
                    outer: q.outer.start - s.start..q.outer.end - s.start,
                    inner: q.inner.start - s.start..q.inner.end - s.start,
                    nested: q.nested,
                })
                .collect();
            for hit in sentence_hits_cached(lexicon, sentence, &inside).iter() {
                out.push(marker(
                    s.start + hit.start..s.start + hit.end,
                    hit.entry(lexicon),
                    hit.voice,
                    hit.speaker.clone(),
                ));
            }
            continue;
        }
        // A quotation runs past the sentence: its speaker may be named in another sentence.
        let speaker_of =
            |k: usize| quote_speakers[k].get_or_init(|| quote_speaker(text, sentences, &quotes[k])).clone();
        for hit in sentence_hits(lexicon, text, s.start..s.end, &quotes, speaker_of) {
            out.push(marker(s.start + hit.start..s.start + hit.end, hit.entry(lexicon), hit.voice, hit.speaker));
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)).then(a.term.cmp(&b.term)));
    out
}

/// The voice of a loaded word outside quotation marks, at byte `at` of its sentence.
fn voice_of(cues: &voice::SentenceVoice, at: usize) -> (Voice, Option<String>) {
    if cues.attributed_at(at) { (Voice::Attributed, cues.speaker(at)) } else { (Voice::Outlet, None) }
}

/// A marker in a sentence that holds all its quotations, with offsets into the sentence.
struct SentenceHit {
    start: usize,
    end: usize,
    /// The lexicon entry; None for scare quotes.
    entry: Option<usize>,
    voice: Voice,
    speaker: Option<String>,
}

impl SentenceHit {
    fn entry<'l>(&self, lexicon: &'l Lexicon) -> &'l Entry {
        match self.entry {
            Some(k) => lexicon.entry(k),
            None => scare_quotes_entry(),
        }
    }
}

/// A sentence's markers as the memos keep them: none, the usual answer, as nothing at all, so
/// that handing it out touches no shared count.
#[derive(Clone)]
struct Hits(Option<std::sync::Arc<[SentenceHit]>>);

impl Hits {
    fn new(hits: Vec<SentenceHit>) -> Hits {
        Hits((!hits.is_empty()).then(|| hits.into()))
    }

    fn iter(&self) -> std::slice::Iter<'_, SentenceHit> {
        self.0.as_deref().unwrap_or_default().iter()
    }
}

/// Markers by sentence text, for sentences no quotation touches, for the lexicon whose id owns
/// the memo.
static UNQUOTED_HITS: crate::memo::TextMemo<Hits> = crate::memo::TextMemo::new();
/// Markers by where a sentence's quotations stand and its text, for the lexicon whose id owns
/// the memo. (Kept apart from the unquoted memo, so no text can pose as a key of the other kind.)
static QUOTED_HITS: crate::memo::TextMemo<Hits> = crate::memo::TextMemo::new();
/// The speaker of a quotation running over several sentences, by its offset and the sentences'
/// text.
static QUOTE_SPEAKERS: crate::memo::TextMemo<Option<std::sync::Arc<str>>> = crate::memo::TextMemo::new();

/// The markers of a sentence whose quotations (`quotes`, offsets into the sentence, in text
/// order) all lie inside it: the same as [`find`] gives it, since nothing outside the sentence
/// bears on them.
fn sentence_hits_cached(lexicon: &Lexicon, sentence: &str, quotes: &[voice::Quotation]) -> Hits {
    let work = || {
        // The quotation lies inside the sentence, so the sentence is where its speaker is named.
        let speakers: Vec<std::cell::OnceCell<Option<String>>> = vec![Default::default(); quotes.len()];
        let speaker_of = |k: usize| speakers[k].get_or_init(|| voice::speaker(sentence, quotes[k].outer.start)).clone();
        Hits::new(sentence_hits(lexicon, sentence, 0..sentence.len(), quotes, speaker_of))
    };
    if quotes.is_empty() {
        return UNQUOTED_HITS.get(lexicon.id(), sentence, work);
    }
    // The quotations' spans, counted, then the text: no two layouts give the same key.
    let mut key = format!("{};", quotes.len());
    for q in quotes {
        use std::fmt::Write;
        let _ = write!(key, "{},{},{},{},{};", q.outer.start, q.outer.end, q.inner.start, q.inner.end, q.nested as u8);
    }
    key.push_str(sentence);
    QUOTED_HITS.get(lexicon.id(), &key, work)
}

/// The markers of the sentence at `span` of `text`, with offsets into the sentence. `quotes` are
/// the quotations of `text` (offsets into it, in order); `speaker_of(k)` names who speaks
/// quotation `k`.
fn sentence_hits(
    lexicon: &Lexicon,
    text: &str,
    span: Range<usize>,
    quotes: &[voice::Quotation],
    speaker_of: impl Fn(usize) -> Option<String>,
) -> Vec<SentenceHit> {
    let sentence = &text[span.clone()];
    let cues = voice::SentenceVoice::new(sentence);
    let mut hits = Vec::new();
    for hit in lexicon.find(sentence) {
        let (voice, speaker) =
            if let Some(k) = voice::enclosing_index(quotes, &(span.start + hit.start..span.start + hit.end)) {
                (Voice::Quoted, speaker_of(k))
            } else {
                voice_of(&cues, hit.start)
            };
        hits.push(SentenceHit { start: hit.start, end: hit.end, entry: Some(hit.entry), voice, speaker });
    }
    for q in quotes.iter().filter(|q| span.start <= q.outer.start && q.outer.start < span.end) {
        let at = q.outer.start - span.start;
        if is_scare_quote(text, q) && !cues.speech_before(at) && cues.speaker(at).is_none() {
            let end = q.outer.end.min(span.end) - span.start;
            hits.push(SentenceHit { start: at, end, entry: None, voice: Voice::Outlet, speaker: None });
        }
    }
    hits
}

/// Who speaks a quotation: named in the sentences from the one where it opens to the one where
/// it closes, since a quote may run over several sentences ("stating: “… death. … him.”").
fn quote_speaker(text: &str, sentences: &[SentenceView], quote: &voice::Quotation) -> Option<String> {
    let holding = |at: usize| sentences.iter().find(|s| s.start <= at && at < s.end.max(s.start + 1));
    let first = holding(quote.outer.start)?;
    let last = holding(quote.outer.end.saturating_sub(1)).unwrap_or(first);
    let window = &text[first.start..last.end.max(first.end)];
    let at = quote.outer.start - first.start;
    // Syndicated copies repeat the sentences a long quotation runs over: its speaker is worked
    // out once per window and offset, the offset first so no two keys collide.
    let key = format!("{at};{window}");
    QUOTE_SPEAKERS.get(0, &key, || voice::speaker(window, at).map(Into::into)).map(|who| who.to_string())
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
    fn remembered_sentences_give_what_fresh_ones_give() {
        // The same sentence, first alone, then inside a quotation that opens a sentence earlier:
        // the memo must not carry the first answer over to the second.
        let alone = "The tyrant sent “troops” north.";
        let inside_a_quote = "‘I saw it. The tyrant sent “troops” north.’";
        let lexicon = lexicon();
        let run = |lexicon: &Lexicon, text: &str| -> Vec<(String, Voice)> {
            let mut views = Vec::new();
            let mut start = 0;
            for (i, _) in text.match_indices(". ") {
                views.push(SentenceView { start, end: i + 1, position: Position::Body });
                start = i + 2;
            }
            views.push(SentenceView { start, end: text.len(), position: Position::Body });
            find(lexicon, "t", text, &views).into_iter().map(|m| (m.text, m.voice)).collect()
        };
        let first = run(&lexicon, alone);
        assert_eq!(first, vec![("tyrant".into(), Voice::Outlet), ("“troops”".into(), Voice::Outlet)]);
        let second = run(&lexicon, inside_a_quote);
        assert_eq!(second, vec![("tyrant".into(), Voice::Quoted)]);
        // Asked again, and asked of a lexicon with an empty memo: the same answers.
        assert_eq!(run(&lexicon, alone), first);
        assert_eq!(run(&lexicon, inside_a_quote), second);
        let fresh = Lexicon::from_texts(&[crate::data::LEXICON.to_string()]).unwrap();
        assert_eq!(run(&fresh, inside_a_quote), second);
        assert_eq!(run(&fresh, alone), first);
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
