//! The brief: the one data structure every later stage fills in and every format is rendered
//! from. It is serialised as `brief.json` (schema_version 1, documented in the README) and is
//! also the templates' context, so the JSON and the templates can never disagree.
//!
//! Every array is sorted in a documented order before it leaves `analyze`; no field holds a hash
//! map, so output never depends on hash iteration order.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears (adding a field does not bump it).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Brief {
    pub schema_version: u32,
    /// The factbrief version that produced the brief.
    pub generator: String,
    pub title: String,
    /// Earliest and latest publication dates among the sources (YYYY-MM-DD), when known.
    pub date_range: Option<(String, String)>,
    pub sources: Vec<Source>,
    pub sentences: Vec<Sentence>,
    pub claims: Vec<Claim>,
    pub conflicts: Vec<Conflict>,
    pub markers: Vec<Marker>,
    /// Files that were skipped or read with a caveat, one line each.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// The file stem: stable, unique within a folder.
    pub id: String,
    /// The path relative to the input folder.
    pub path: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// YYYY-MM-DD.
    pub published: Option<String>,
    /// Owner or state affiliation, from the manifest or the outlet list.
    pub affiliation: Option<String>,
    /// The headline as the article gives it.
    pub headline: Option<String>,
    pub words: usize,
    /// Outlets this article attributes its reporting to, sorted.
    pub cites: Vec<String>,
    /// The outlet this article relays or translates, if any.
    pub via: Option<String>,
    /// Where each metadata field came from: "manifest" or "text".
    pub metadata_from: Vec<MetadataOrigin>,
    /// The text all of this source's offsets point into, when it differs from the file's bytes
    /// (Markdown, HTML, non-UTF-8 files); null when the offsets point into the file itself.
    pub text: Option<String>,
    /// How the file was decoded, when it was not UTF-8.
    pub encoding: Option<String>,
    pub removed: Vec<Removal>,
    pub profile: Profile,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MetadataOrigin {
    pub field: String,
    pub from: String,
    /// The words in the text the value was read from, when it came from the text.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Removal {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Profile {
    /// Outlet-voice markers per 1,000 words.
    pub per_1000_words: f64,
    /// Outlet-voice markers by category, sorted by category.
    pub by_category: Vec<CategoryCount>,
    /// Outlet-voice markers in the headline, lead or captions.
    pub headline_markers: usize,
    /// Markers in quotes or attributed speech: shown, never counted against the outlet.
    pub quoted_or_attributed: usize,
    /// Loaded terms this outlet chose where another outlet used a neutral word for the same claim.
    pub word_choices: Vec<WordChoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CategoryCount {
    pub category: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WordChoice {
    pub claim: String,
    pub term: String,
    /// What the other outlets said for the same thing, with their source ids: the first
    /// [`MAX_OTHERS`] in sorted order.
    pub others: Vec<String>,
    /// How many more the other outlets said, left out of `others`.
    #[serde(default)]
    pub more: usize,
}

/// The most other outlets' wordings a word choice lists; a claim told by thousands of articles
/// would otherwise repeat them all under every outlet.
pub const MAX_OTHERS: usize = 8;

/// Where in the article a sentence stands; headline, lead and captions weigh more.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    Headline,
    Lead,
    Caption,
    Body,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sentence {
    pub source: String,
    pub start: usize,
    pub end: usize,
    /// Shared by every sentence and mention with the same words: syndicated copies repeat them,
    /// and at 10,000 articles 372,756 sentences have 42,496 texts.
    pub text: Arc<str>,
    pub position: Position,
    pub checkworthiness: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claim {
    pub id: String,
    pub text: String,
    pub checkworthiness: f64,
    pub mentions: Vec<Mention>,
    pub outlets: usize,
    pub origins: Vec<String>,
    pub independent: usize,
    pub rating: Rating,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Mention {
    pub source: String,
    pub start: usize,
    pub end: usize,
    /// The sentence's text, shared with it.
    pub text: Arc<str>,
    pub attribution: Option<Attribution>,
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Attribution {
    /// Who the sentence credits: an outlet name, a person or a body.
    pub to: String,
    /// "outlet" when `to` is a known news outlet, else "person".
    pub kind: String,
    /// The words that carry the attribution, e.g. "sources told CNN".
    pub phrase: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Contested,
    WidelyCorroborated,
    Corroborated,
    SingleOrigin,
    SingleSource,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Rating::Contested => "Contested",
            Rating::WidelyCorroborated => "Widely corroborated",
            Rating::Corroborated => "Corroborated",
            Rating::SingleOrigin => "Several outlets, one origin",
            Rating::SingleSource => "Single source",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Conflict {
    pub claim: Option<String>,
    pub quantity: String,
    pub kind: ConflictKind,
    pub values: Vec<ConflictValue>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ConflictKind {
    Contradiction,
    Variation,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ConflictValue {
    pub text: String,
    pub low: f64,
    pub high: Option<f64>,
    pub sources: Vec<String>,
    pub spans: Vec<SourceSpan>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceSpan {
    pub source: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Marker {
    pub source: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub term: String,
    pub category: String,
    pub voice: Voice,
    pub speaker: Option<String>,
    pub position: Position,
    pub note: String,
    pub neutral: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Voice {
    Outlet,
    Quoted,
    Attributed,
}
