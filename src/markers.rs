//! Markers: sentences in, loaded-language markers out, each told apart by voice (the outlet's
//! own narration, a direct quote, or attributed speech) and position, plus a per-outlet profile.
//! Interim version: lexicon matching with quote detection.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::brief::{Marker, Position, Voice};

#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub term: String,
    pub category: String,
    pub reason: String,
    pub neutral: Option<String>,
}

#[derive(Deserialize)]
struct LexiconFile {
    #[serde(default)]
    term: Vec<Entry>,
}

/// The loaded-language lexicon, compiled for matching.
pub struct Lexicon {
    entries: Vec<Entry>,
    matcher: AhoCorasick,
}

impl Lexicon {
    pub fn from_texts(texts: &[String]) -> anyhow::Result<Lexicon> {
        let mut entries = Vec::new();
        for t in texts {
            let file: LexiconFile = toml::from_str(t)?;
            entries.extend(file.term);
        }
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(entries.iter().map(|e| e.term.as_str()))?;
        Ok(Lexicon { entries, matcher })
    }
}

/// A sentence for the markers stage.
pub struct SentenceView<'a> {
    pub start: usize,
    pub text: &'a str,
    pub position: Position,
}

pub fn find(lexicon: &Lexicon, source: &str, sentences: &[SentenceView]) -> Vec<Marker> {
    let mut out = Vec::new();
    for s in sentences {
        for m in lexicon.matcher.find_iter(s.text) {
            let before = s.text[..m.start()].chars().next_back();
            let after = s.text[m.end()..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
                continue;
            }
            let e = &lexicon.entries[m.pattern().as_usize()];
            let quoted = s.text[..m.start()].matches(['“', '"']).count() > s.text[..m.start()].matches('”').count();
            out.push(Marker {
                source: source.to_string(),
                start: s.start + m.start(),
                end: s.start + m.end(),
                text: s.text[m.range()].to_string(),
                term: e.term.clone(),
                category: e.category.clone(),
                voice: if quoted { Voice::Quoted } else { Voice::Outlet },
                speaker: None,
                position: s.position,
                note: e.reason.clone(),
                neutral: e.neutral.clone(),
            });
        }
    }
    out
}
