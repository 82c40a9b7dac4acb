//! Per-outlet language profile: the markers and the claims of all sources in, one [`Profile`] per
//! source out. Only outlet-voice markers count against an outlet (per 1,000 words, by category,
//! in headline, lead or captions); quoted and attributed ones are only counted as such.
//!
//! Word choices compare outlets on the same claim: an outlet-voice marker inside a mention of a
//! claim that other outlets tell without any outlet-voice marker is a word this outlet chose,
//! shown next to what the others wrote (the entry's neutral alternative when their mention holds
//! it, else the start of their mention).

use std::collections::BTreeMap;

use crate::brief::{CategoryCount, Claim, Marker, Position, Profile, Voice, WordChoice};

/// What the profile needs of a source.
pub struct SourceWords<'a> {
    pub id: &'a str,
    /// Words after cleaning.
    pub words: usize,
}

/// One profile per source, in the order given.
pub fn profiles(sources: &[SourceWords], markers: &[Marker], claims: &[Claim]) -> Vec<Profile> {
    sources
        .iter()
        .map(|source| {
            let own: Vec<&Marker> =
                markers.iter().filter(|m| m.source == source.id && m.voice == Voice::Outlet).collect();
            let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
            for m in &own {
                *by_category.entry(m.category.as_str()).or_default() += 1;
            }
            Profile {
                per_1000_words: if source.words == 0 {
                    0.0
                } else {
                    ((own.len() as f64 * 1000.0 / source.words as f64) * 100.0).round() / 100.0
                },
                by_category: by_category
                    .into_iter()
                    .map(|(category, count)| CategoryCount { category: category.to_string(), count })
                    .collect(),
                headline_markers: own.iter().filter(|m| m.position != Position::Body).count(),
                quoted_or_attributed: markers
                    .iter()
                    .filter(|m| m.source == source.id && m.voice != Voice::Outlet)
                    .count(),
                word_choices: word_choices(source.id, markers, claims),
            }
        })
        .collect()
}

fn word_choices(source: &str, markers: &[Marker], claims: &[Claim]) -> Vec<WordChoice> {
    let own_inside = |src: &str, start: usize, end: usize| -> Vec<&Marker> {
        markers
            .iter()
            .filter(|m| m.source == src && m.voice == Voice::Outlet && m.start >= start && m.end <= end)
            .collect()
    };
    let mut out: BTreeMap<(String, String), WordChoice> = BTreeMap::new();
    for claim in claims {
        for mention in claim.mentions.iter().filter(|m| m.source == source) {
            for marker in own_inside(source, mention.start, mention.end) {
                let neutral_words: Vec<String> = marker
                    .neutral
                    .iter()
                    .flat_map(|n| n.split([',', '/', ';']))
                    .flat_map(|n| n.split(" or "))
                    .map(|w| w.trim().to_lowercase())
                    .filter(|w| !w.is_empty())
                    .collect();
                let mut others: Vec<String> = claim
                    .mentions
                    .iter()
                    .filter(|o| o.source != source && own_inside(&o.source, o.start, o.end).is_empty())
                    .map(|o| {
                        let lower = o.text.to_lowercase();
                        match neutral_words.iter().find(|w| contains_word(&lower, w)) {
                            Some(w) => format!("“{w}” ({})", o.source),
                            None => format!("“{}” ({})", excerpt(&o.text, 60), o.source),
                        }
                    })
                    .collect();
                if others.is_empty() {
                    continue;
                }
                others.sort();
                others.dedup();
                let key = (claim.id.clone(), marker.text.to_lowercase());
                out.entry(key).or_insert_with(|| WordChoice {
                    claim: claim.id.clone(),
                    term: marker.text.clone(),
                    others,
                });
            }
        }
    }
    out.into_values().collect()
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

fn excerpt(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}
