//! Per-outlet language profile: the markers and the claims of all sources in, one [`Profile`] per
//! source out. Only outlet-voice markers count against an outlet (per 1,000 words, by category,
//! in headline, lead or captions); quoted and attributed ones are only counted as such.
//!
//! Word choices compare outlets on the same claim: an outlet-voice marker inside a mention of a
//! claim that other outlets tell without any outlet-voice marker is a word this outlet chose,
//! shown next to what the others wrote (the entry's neutral alternative when their mention holds
//! it, else the start of their mention).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::brief::{CategoryCount, Claim, MAX_OTHERS, Marker, Position, Profile, Voice, WordChoice};

/// What the profile needs of a source.
pub struct SourceWords<'a> {
    pub id: &'a str,
    /// Words after cleaning.
    pub words: usize,
}

/// Outlet-voice markers grouped by source, each group sorted by start, so the markers inside a
/// span are found by a search instead of a scan of every marker.
struct OwnMarkers<'a> {
    by_source: rustc_hash::FxHashMap<&'a str, Vec<&'a Marker>>,
}

impl<'a> OwnMarkers<'a> {
    fn new(markers: &'a [Marker]) -> Self {
        let mut by_source: rustc_hash::FxHashMap<&str, Vec<&Marker>> = Default::default();
        for m in markers.iter().filter(|m| m.voice == Voice::Outlet) {
            by_source.entry(m.source.as_str()).or_default().push(m);
        }
        for list in by_source.values_mut() {
            list.sort_by_key(|m| (m.start, m.end));
        }
        OwnMarkers { by_source }
    }

    fn of(&self, source: &str) -> &[&'a Marker] {
        self.by_source.get(source).map_or(&[], Vec::as_slice)
    }
}

/// The markers of a start-sorted list that lie within `start..end`.
fn inside<'m>(sorted: &[&'m Marker], start: usize, end: usize) -> Vec<&'m Marker> {
    let from = sorted.partition_point(|m| m.start < start);
    sorted[from..].iter().take_while(|m| m.start <= end).filter(|m| m.end <= end).copied().collect()
}

/// One profile per source, in the order given.
pub fn profiles(sources: &[SourceWords], markers: &[Marker], claims: &[Claim]) -> Vec<Profile> {
    let own_by_source = OwnMarkers::new(markers);
    // Looked up by source only, never listed: hashed, not ordered.
    let mut others_by_source: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for m in markers.iter().filter(|m| m.voice != Voice::Outlet) {
        *others_by_source.entry(m.source.as_str()).or_default() += 1;
    }
    // Each source's mentions, as (claim, mention) indices, in claim order.
    let mut mentions_by_source: rustc_hash::FxHashMap<&str, Vec<(usize, usize)>> = Default::default();
    for (c, claim) in claims.iter().enumerate() {
        for (k, m) in claim.mentions.iter().enumerate() {
            mentions_by_source.entry(m.source.as_str()).or_default().push((c, k));
        }
    }
    let wordings = Wordings::default();
    // Sources in parallel; `collect` keeps their order.
    sources
        .par_iter()
        .map(|source| {
            let own = own_by_source.of(source.id);
            let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
            for m in own {
                *by_category.entry(m.category.as_str()).or_default() += 1;
            }
            let mentions = mentions_by_source.get(source.id).map_or(&[][..], Vec::as_slice);
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
                quoted_or_attributed: others_by_source.get(source.id).copied().unwrap_or(0),
                word_choices: word_choices(source.id, mentions, claims, &own_by_source, &wordings),
            }
        })
        .collect()
}

/// What the mentions of a claim without outlet-voice markers say, for one entry's neutral words:
/// (wording, source) pairs, sorted and without repeats. Worked out once per claim and entry and
/// shared by every source that chose a loaded word there.
type Wording = (String, String);

/// A wording list and how many of its entries each source gave, so that a source's share is
/// looked up, not counted over the list for every loaded word (claims with thousands of mentions
/// made that quadratic).
struct WordingList {
    all: Vec<Wording>,
    per_source: rustc_hash::FxHashMap<String, usize>,
}

/// One claim and neutral wording's list, filled once.
type WordingSlot = Arc<OnceLock<Arc<WordingList>>>;

#[derive(Default)]
struct Wordings {
    /// Shared by the threads: each wording list is worked out once, by whichever thread asks
    /// first, while the others wait for it.
    by_claim_and_neutral: Mutex<HashMap<(usize, Option<String>), WordingSlot>>,
}

impl Wordings {
    fn of(&self, c: usize, claim: &Claim, neutral: &Option<String>, own: &OwnMarkers) -> Arc<WordingList> {
        let slot = self
            .by_claim_and_neutral
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((c, neutral.clone()))
            .or_default()
            .clone();
        slot.get_or_init(|| {
            let neutral_words: Vec<String> = neutral
                .iter()
                .flat_map(|n| n.split([',', '/', ';']))
                .flat_map(|n| n.split(" or "))
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect();
            let mut all: Vec<Wording> = claim
                .mentions
                .iter()
                .filter(|o| inside(own.of(&o.source), o.start, o.end).is_empty())
                .map(|o| {
                    let lower = o.text.to_lowercase();
                    let wording = match neutral_words.iter().find(|w| contains_word(&lower, w)) {
                        Some(w) => format!("“{w}” ({})", o.source),
                        None => format!("“{}” ({})", excerpt(&o.text, 60), o.source),
                    };
                    (wording, o.source.clone())
                })
                .collect();
            all.sort();
            all.dedup();
            let mut per_source: rustc_hash::FxHashMap<String, usize> = Default::default();
            for (_, source) in &all {
                *per_source.entry(source.clone()).or_default() += 1;
            }
            Arc::new(WordingList { all, per_source })
        })
        .clone()
    }
}

fn word_choices(
    source: &str,
    mentions: &[(usize, usize)],
    claims: &[Claim],
    own_by_source: &OwnMarkers,
    wordings: &Wordings,
) -> Vec<WordChoice> {
    let own = own_by_source.of(source);
    let mut out: BTreeMap<(String, String), WordChoice> = BTreeMap::new();
    for &(c, k) in mentions {
        let claim = &claims[c];
        let mention = &claim.mentions[k];
        for marker in inside(own, mention.start, mention.end) {
            let key = (claim.id.clone(), marker.text.to_lowercase());
            // The first mention to use the word decides; later ones would give the same entry.
            if out.contains_key(&key) {
                continue;
            }
            let list = wordings.of(c, claim, &marker.neutral, own_by_source);
            let total = list.all.len() - list.per_source.get(source).copied().unwrap_or(0);
            if total == 0 {
                continue;
            }
            let others: Vec<String> =
                list.all.iter().filter(|(_, s)| s != source).take(MAX_OTHERS).map(|(w, _)| w.clone()).collect();
            let more = total - others.len();
            out.insert(key, WordChoice { claim: claim.id.clone(), term: marker.text.clone(), others, more });
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
