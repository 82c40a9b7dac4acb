//! factbrief turns a folder of news articles about one event into a fact-check brief.
//!
//! Data flows one way, each stage a module that takes plain data and gives plain data:
//! [`ingest`] (files to documents) → [`clean`] (boilerplate out, recorded) → [`segment`]
//! (sentences with byte spans) → [`claims`] (check-worthiness, grouping, origins, conflicts) →
//! [`markers`] (loaded language by voice) → [`brief`] (the one serialisable result) →
//! [`render`] (Markdown, HTML, Typst/PDF, JSON). Only `ingest` reads files and only `render`
//! writes them.

pub mod brief;
pub mod claims;
pub mod clean;
pub mod data;
pub mod ingest;
pub mod markers;
pub mod render;
pub mod segment;
pub mod timings;

use anyhow::Result;
use rayon::prelude::*;

use brief::{Brief, Marker, MetadataOrigin, Profile, SCHEMA_VERSION, Sentence, Source, Voice};
use claims::{SentenceInfo, SourceInfo};
use data::Data;
use ingest::Corpus;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Told how far a long run has come: (stage, done, total). Called from worker threads.
pub type ProgressFn = std::sync::Arc<dyn Fn(&'static str, u64, u64) + Send + Sync>;

/// Everything `analyze` needs besides the articles.
pub struct Config {
    pub data: Data,
    pub claims: claims::Settings,
    pub title: Option<String>,
    /// Progress reports for a progress bar; `None` (the default) reports nothing.
    pub progress: Option<ProgressFn>,
}

impl Default for Config {
    fn default() -> Self {
        Config { data: Data::builtin(), claims: claims::Settings::default(), title: None, progress: None }
    }
}

/// Runs the whole analysis on documents already read from disk.
///
/// Documents are cleaned, split and scored in parallel (rayon); results are gathered in
/// document order, so the output is the same for any number of threads.
pub fn analyze(corpus: &Corpus, config: &Config) -> Result<Brief> {
    let data = &config.data;
    let scorer = claims::checkworthy::CheckWorthiness::builtin();
    let lexicon = timings::stage("lexicon", || markers::Lexicon::from_texts(&data.lexicon))?;

    let progress = |stage: &'static str, done: u64, total: u64| {
        if let Some(p) = &config.progress {
            p(stage, done, total);
        }
    };
    let total = corpus.documents.len() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    let per_doc: Vec<DocResult> = timings::stage("documents (wall)", || {
        corpus
            .documents
            .par_iter()
            .enumerate()
            .map(|(index, doc)| {
                let r = analyze_document(index, doc, data, &scorer, &lexicon);
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if n % 64 == 0 || n == total {
                    progress("reading articles", n, total);
                }
                r
            })
            .collect()
    });

    let mut sources = Vec::with_capacity(per_doc.len());
    let mut sentences = Vec::new();
    let mut source_infos = Vec::with_capacity(per_doc.len());
    let mut sentence_infos = Vec::new();
    let mut markers: Vec<Marker> = Vec::new();
    for r in per_doc {
        sources.push(r.source);
        source_infos.push(r.info);
        sentences.extend(r.sentences);
        sentence_infos.extend(r.infos);
        markers.extend(r.markers);
    }

    progress("grouping claims", 0, 1);
    let texts: Vec<&str> = corpus.documents.iter().map(|d| d.text.as_str()).collect();
    let analysis = claims::analyze(&source_infos, &sentence_infos, &texts, data, config.claims);
    progress("grouping claims", 1, 1);
    for (source, cites) in sources.iter_mut().zip(analysis.cites) {
        source.cites = cites;
    }
    let profiles =
        timings::stage("profiles", || profiles(&sources_words(&corpus.documents), &markers, &corpus.documents));
    for (source, profile) in sources.iter_mut().zip(profiles) {
        source.profile = profile;
    }

    let mut dates: Vec<&String> = sources.iter().filter_map(|s| s.published.as_ref()).collect();
    dates.sort();
    let date_range = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) => Some(((*a).clone(), (*b).clone())),
        _ => None,
    };
    let title = config
        .title
        .clone()
        .or_else(|| analysis.claims.first().map(|c| c.text.clone()))
        .unwrap_or_else(|| "Fact-check brief".to_string());
    markers.sort_by(|a, b| a.source.cmp(&b.source).then(a.start.cmp(&b.start)).then(a.end.cmp(&b.end)));
    Ok(Brief {
        schema_version: SCHEMA_VERSION,
        generator: format!("factbrief {VERSION}"),
        title,
        date_range,
        sources,
        sentences,
        claims: analysis.claims,
        conflicts: analysis.conflicts,
        markers,
        warnings: corpus.warnings.clone(),
    })
}

/// What one document gives the later stages.
struct DocResult {
    source: Source,
    info: SourceInfo,
    sentences: Vec<Sentence>,
    infos: Vec<SentenceInfo>,
    markers: Vec<Marker>,
}

fn analyze_document(
    index: usize,
    doc: &ingest::Document,
    data: &Data,
    scorer: &claims::checkworthy::CheckWorthiness,
    lexicon: &markers::Lexicon,
) -> DocResult {
    let cleaned = timings::stage("clean (cpu)", || clean::clean(&doc.text, data));
    let segments = timings::stage("segment (cpu)", || segment::segment(&doc.text, &cleaned));
    let (source, info) = timings::stage("metadata (cpu)", || describe_source(doc, &cleaned, &segments, data));
    let (sentences, infos) = timings::stage("checkworthiness (cpu)", || {
        let mut sentences = Vec::with_capacity(segments.len());
        let mut infos = Vec::with_capacity(segments.len());
        for seg in &segments {
            let text = doc.text[seg.start..seg.end].to_string();
            let score = (scorer.score(&text) * 1000.0).round() / 1000.0;
            infos.push(SentenceInfo {
                source: index,
                start: seg.start,
                end: seg.end,
                text: text.clone(),
                position: seg.position,
                checkworthiness: score,
            });
            sentences.push(Sentence {
                source: doc.id.clone(),
                start: seg.start,
                end: seg.end,
                text,
                position: seg.position,
                checkworthiness: score,
            });
        }
        (sentences, infos)
    });
    let markers = timings::stage("markers (cpu)", || {
        let views: Vec<markers::SentenceView> = segments
            .iter()
            .map(|s| markers::SentenceView { start: s.start, text: &doc.text[s.start..s.end], position: s.position })
            .collect();
        markers::find(lexicon, &doc.id, &views)
    });
    DocResult { source, info, sentences, infos, markers }
}

fn sources_words(docs: &[ingest::Document]) -> Vec<usize> {
    docs.iter().map(|d| d.text.split_whitespace().count()).collect()
}

fn profiles(words: &[usize], markers: &[Marker], docs: &[ingest::Document]) -> Vec<Profile> {
    // Markers by source id, once, instead of a scan of all markers for every document.
    let mut by_source: std::collections::HashMap<&str, Vec<&Marker>> = std::collections::HashMap::new();
    for m in markers {
        by_source.entry(m.source.as_str()).or_default().push(m);
    }
    docs.iter()
        .zip(words)
        .map(|(doc, &w)| {
            let mine: &[&Marker] = by_source.get(doc.id.as_str()).map_or(&[], Vec::as_slice);
            let own: Vec<&Marker> = mine.iter().copied().filter(|m| m.voice == Voice::Outlet).collect();
            let mut by_category: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
            for m in &own {
                *by_category.entry(m.category.clone()).or_default() += 1;
            }
            Profile {
                per_1000_words: if w == 0 {
                    0.0
                } else {
                    ((own.len() as f64 * 1000.0 / w as f64) * 100.0).round() / 100.0
                },
                by_category: by_category
                    .into_iter()
                    .map(|(category, count)| brief::CategoryCount { category, count })
                    .collect(),
                headline_markers: own.iter().filter(|m| m.position != brief::Position::Body).count(),
                quoted_or_attributed: mine.iter().filter(|m| m.voice != Voice::Outlet).count(),
                word_choices: Vec::new(),
            }
        })
        .collect()
}

/// The source's record for the brief, with metadata from the manifest first, then the text.
fn describe_source(
    doc: &ingest::Document,
    cleaned: &clean::Cleaned,
    segments: &[segment::Segment],
    data: &Data,
) -> (Source, SourceInfo) {
    let mut origins = Vec::new();
    let mut pick = |field: &str, manifest: &Option<String>, hint: &Option<(String, String)>| -> Option<String> {
        if let Some(v) = manifest {
            origins.push(MetadataOrigin { field: field.into(), from: "manifest".into(), evidence: None });
            return Some(v.clone());
        }
        let (value, evidence) = hint.clone()?;
        origins.push(MetadataOrigin { field: field.into(), from: "text".into(), evidence: Some(evidence) });
        Some(value)
    };
    let m = &doc.manifest;
    let outlet = pick("outlet", &m.outlet, &cleaned.hints.outlet);
    let published = pick("published", &m.published, &cleaned.hints.published);
    let mut via = pick("via", &m.via, &cleaned.hints.via);
    if via.is_some() && via == outlet {
        via = None;
    }
    let affiliation = m
        .affiliation
        .clone()
        .or_else(|| outlet.as_deref().and_then(|o| data.outlet_named(o)).and_then(|o| o.affiliation.clone()));
    let headline = segments
        .iter()
        .find(|s| s.position == brief::Position::Headline)
        .map(|s| doc.text[s.start..s.end].to_string())
        .or_else(|| doc.title_hint.clone());
    let label = outlet.clone().unwrap_or_else(|| doc.id.clone());
    let source = Source {
        id: doc.id.clone(),
        path: doc.path.clone(),
        outlet,
        url: m.url.clone(),
        published: published.clone(),
        affiliation,
        headline,
        words: cleaned.kept.iter().map(|r| doc.text[r.clone()].split_whitespace().count()).sum(),
        cites: Vec::new(),
        via: via.clone(),
        metadata_from: origins,
        text: doc.text_differs.then(|| doc.text.clone()),
        encoding: doc.encoding.clone(),
        removed: cleaned.removed.clone(),
        profile: Profile::default(),
    };
    (source, SourceInfo { id: doc.id.clone(), label, via, published })
}
