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
pub mod guard;
pub mod ingest;
pub mod markers;
pub mod memo;
pub mod progress;
pub mod render;
pub mod segment;
pub mod site;
mod swar;
pub mod timings;

use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use brief::{Brief, Marker, MetadataOrigin, Profile, SCHEMA_VERSION, Sentence, Source};
use claims::{SentenceInfo, SourceInfo};
use data::Data;
use ingest::Corpus;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The seed folder's files (the articles and `sources.toml`) as text, in file-name order.
#[cfg(test)]
pub(crate) fn seed_texts() -> Vec<String> {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(seeds).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// The seed articles' text cut at every full stop and line break, in file-name order: rough
/// sentences for tests that hold a fast path to its reference.
#[cfg(test)]
pub(crate) fn seed_pieces() -> Vec<String> {
    seed_texts().iter().flat_map(|t| t.split(['.', '\n']).map(String::from).collect::<Vec<_>>()).collect()
}

/// Everything `analyze` needs besides the articles.
pub struct Config {
    pub data: Data,
    pub claims: claims::Settings,
    pub title: Option<String>,
    /// The optional sentence-embedding model (`--embeddings`); None keeps grouping lexical.
    pub encoder: Option<Box<dyn claims::Encoder>>,
    /// Where long runs show how far they are; hidden unless the caller makes it visible.
    pub progress: progress::Progress,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data: Data::builtin(),
            claims: claims::Settings::default(),
            title: None,
            encoder: None,
            progress: progress::Progress::hidden(),
        }
    }
}

/// Runs the whole analysis on documents already read from disk.
pub fn analyze(corpus: &Corpus, config: &Config) -> Result<Brief> {
    analyze_prepared(corpus, config, prepare(&config.data)?)
}

/// What the analysis builds from the data before it reads an article: the check-worthiness
/// model, the lexicon, and every pattern the stages share, compiled.
pub struct Prepared {
    scorer: claims::checkworthy::CheckWorthiness,
    lexicon: markers::Lexicon,
}

/// Builds the model and lexicon while every pattern the stages share is compiled on the other
/// threads: compiled one after another as the first document needs them, they held up small
/// runs by a tenth of a second. A caller that reads the articles meanwhile (as the command line
/// does) hides the 80 ms of work this is.
pub fn prepare(data: &Data) -> Result<Prepared> {
    timings::stage("start-up", || {
        let patterns: Vec<fn()> =
            [markers::voice::WARM_UP, claims::quantities::WARM_UP, claims::origins::WARM_UP].concat();
        let ((scorer, lexicon), ()) = rayon::join(
            || (claims::checkworthy::CheckWorthiness::builtin(), markers::Lexicon::from_texts(&data.lexicon)),
            || patterns.par_iter().for_each(|compile| compile()),
        );
        Ok(Prepared { scorer, lexicon: lexicon? })
    })
}

/// [`analyze`] with the model and lexicon already built from `config.data` by [`prepare`].
pub fn analyze_prepared(corpus: &Corpus, config: &Config, prepared: Prepared) -> Result<Brief> {
    let data = &config.data;
    let Prepared { scorer, lexicon } = prepared;

    let mut sources = Vec::with_capacity(corpus.documents.len());
    let mut source_infos = Vec::with_capacity(corpus.documents.len());
    // Each document is cleaned, split, scored and marked on its own, in parallel; the results are
    // gathered back in document order, so the output is the same for any number of threads.
    let progress = &config.progress;
    progress.stage("analysing articles");
    let per_doc: Vec<DocResult> = timings::stage("documents", || {
        corpus
            .documents
            .par_iter()
            // Small pieces, so that no thread is left with a long run of articles at the end
            // while the other waits.
            .with_max_len(16)
            .enumerate()
            .map(|(index, doc)| {
                let cleaned = clean::clean(&doc.text, data);
                let segments = segment::segment(&doc.text, &cleaned);
                let (source, info) = describe_source(doc, &cleaned, &segments, data);
                let mut result = DocResult { source, info, infos: Vec::new(), markers: Vec::new() };
                for seg in &segments {
                    result.infos.push(SentenceInfo {
                        source: index,
                        start: seg.start,
                        end: seg.end,
                        text: &doc.text[seg.start..seg.end],
                        position: seg.position,
                        checkworthiness: 0.0,
                        text_id: 0,
                    });
                }
                let views: Vec<markers::SentenceView> = segments
                    .iter()
                    .map(|s| markers::SentenceView { start: s.start, end: s.end, position: s.position })
                    .collect();
                result.markers = markers::find(&lexicon, &doc.id, &doc.text, &views);
                progress.inc();
                result
            })
            .collect()
    });
    // Gathered into lists sized up front (growing them as they filled copied the sentences several
    // times over), the sentences on one core and the markers on the other.
    let gather = std::time::Instant::now();
    let mut infos_by_doc = Vec::with_capacity(per_doc.len());
    let mut markers_by_doc = Vec::with_capacity(per_doc.len());
    for r in per_doc {
        sources.push(r.source);
        source_infos.push(r.info);
        infos_by_doc.push(r.infos);
        markers_by_doc.push(r.markers);
    }
    // Only the profiles need the markers: they are gathered while the sentences are scored.
    let (mut markers, (sentence_infos, shared_texts)) = rayon::join(
        || flatten::<Marker>(markers_by_doc),
        || {
            let mut sentence_infos: Vec<SentenceInfo> = flatten(infos_by_doc);
            timings::record("documents", gather.elapsed());
            progress.step("scoring sentences");
            // A sentence's check-worthiness depends on its words alone, so each distinct
            // sentence is scored once: syndicated copies and repeated lines cost nothing more.
            // The brief's sentences and mentions share one copy of each distinct text.
            let shared_texts = timings::stage("check-worthiness", || {
                let texts: Vec<&str> = sentence_infos.iter().map(|s| s.text).collect();
                let (distinct, which) = claims::distinct(&texts);
                let (scores, shared_texts): (Vec<f64>, Vec<Arc<str>>) = distinct
                    .par_iter()
                    .map(|&text| ((scorer.score(text) * 1000.0).round() / 1000.0, Arc::from(text)))
                    .unzip();
                for (s, &k) in sentence_infos.iter_mut().zip(&which) {
                    s.checkworthiness = scores[k];
                    s.text_id = k;
                }
                shared_texts
            });
            (sentence_infos, shared_texts)
        },
    );
    progress.step("grouping claims");
    let texts: Vec<&str> = corpus.documents.iter().map(|d| d.text.as_str()).collect();
    // The outlets' profiles need the claims but not their conflicts: they are drawn up while the
    // conflicts are looked for.
    let words: Vec<markers::profile::SourceWords> =
        sources.iter().map(|s| markers::profile::SourceWords { id: &s.id, words: s.words }).collect();
    let (analysis, profiles) = claims::analyze(
        &source_infos,
        &sentence_infos,
        claims::Texts { articles: &texts, sentences: &shared_texts },
        data,
        config.claims,
        config.encoder.as_deref(),
        |claims| timings::stage("profiles", || markers::profile::profiles(&words, &markers, claims)),
    )?;
    drop(words);
    for ((source, cites), profile) in sources.iter_mut().zip(analysis.cites).zip(profiles) {
        source.cites = cites;
        source.profile = profile;
    }
    // The brief's sentences take their texts over from the analysis's, which is done with them.
    let sentences: Vec<Sentence> = timings::stage("sentences", || {
        sentence_infos
            .into_par_iter()
            .map(|s| Sentence {
                source: sources[s.source].id.clone(),
                start: s.start,
                end: s.end,
                text: shared_texts[s.text_id].clone(),
                position: s.position,
                checkworthiness: s.checkworthiness,
            })
            .collect()
    });

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
    // A stable sort either way, so the order is the same; on both cores, as nothing else runs here.
    markers.par_sort_by(|a, b| {
        a.source.cmp(&b.source).then(a.start.cmp(&b.start)).then(a.end.cmp(&b.end)).then(a.term.cmp(&b.term))
    });
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

/// The lists in one, in order, each item moved (`concat` would clone them), into a list sized
/// up front.
fn flatten<T>(lists: Vec<Vec<T>>) -> Vec<T> {
    let mut all = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    for list in lists {
        all.extend(list);
    }
    all
}

/// What one document gives the later stages.
struct DocResult<'a> {
    source: Source,
    info: SourceInfo,
    infos: Vec<SentenceInfo<'a>>,
    markers: Vec<Marker>,
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
        words: cleaned.kept.iter().map(|r| count_words(&doc.text[r.clone()])).sum(),
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

/// `text.split_whitespace().count()`, eight bytes of ASCII at a time: a word starts wherever a
/// space is followed by anything else, and each block's spaces are found with a few arithmetic
/// operations on the block as one 64-bit number, so that a block costs no branch. Counting
/// character by character took 126 ms on one thread at 10,000 articles.
fn count_words(text: &str) -> usize {
    use swar::{HIGHS, ONES};
    // The high bit of each byte of an all-ASCII block that is Unicode White_Space: tab to
    // carriage return, and the space. No sum carries into the next byte, as every byte is < 0x80.
    let spaces = |x: u64| {
        let at_least_tab = x + (0x80 - u64::from(b'\t')) * ONES;
        let past_return = x + (0x80 - u64::from(b'\r') - 1) * ONES;
        let not_space = x ^ (u64::from(b' ') * ONES);
        let is_space = !((not_space + 0x7f * ONES) | not_space);
        ((at_least_tab & !past_return) | is_space) & HIGHS
    };
    let bytes = text.as_bytes();
    let (mut words, mut after_space, mut at) = (0, true, 0);
    while at < bytes.len() {
        if let Some(block) = bytes.get(at..at + 8) {
            let x = u64::from_le_bytes(block.try_into().expect("eight bytes"));
            if x & HIGHS == 0 {
                let space = spaces(x);
                // Each byte's predecessor is a space: the block shifted one byte up, with the
                // last byte before it in front.
                let before = (space << 8) | if after_space { 0x80 } else { 0 };
                words += (!space & HIGHS & before).count_ones() as usize;
                after_space = space >> 63 == 1;
                at += 8;
                continue;
            }
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else { break };
        at += c.len_utf8();
        let is_space = c.is_whitespace();
        words += usize::from(after_space & !is_space);
        after_space = is_space;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::count_words;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            " two  words ",
            "a\u{0b}b\u{0c}c\rd\te\nf",
            "x\u{1c}y",
            "no\u{a0}break\u{2003}em\u{3000}end\u{85}",
        ] {
            assert_eq!(count_words(text), text.split_whitespace().count(), "{text:?}");
        }
        // Long ASCII runs go a block at a time: the seeds have them, broken by curly quotes.
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }

    proptest::proptest! {
        #[test]
        fn words_counted_on_any_text(text in "[ a\\t\\n\u{0b}\u{0c}\r\u{1c}\u{85}\u{a0}\u{2003}\u{3000}é\\PC]{0,200}") {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }

        #[test]
        fn words_counted_on_any_ascii(text in "[\\x00-\\x7f]{0,80}") {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }

        #[test]
        fn words_counted_on_long_ascii_runs(text in "[ a-z\t\n.\u{a0}é]{0,300}") {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }
}
