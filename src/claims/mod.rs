//! Claims: scored sentences in, claims and conflicts out. Check-worthy sentences are grouped
//! across outlets (same claim, different words), each mention is traced to its origin, each claim
//! is rated by how many independent origins report it, and differing figures for the same thing
//! become conflicts.
//!
//! Grouping uses an inverted index over weighted terms, so its cost grows about linearly with
//! the number of sentences; no step compares every sentence with every other.

pub mod checkworthy;
#[cfg(feature = "embeddings")]
pub mod embed;
pub mod origins;
pub mod quantities;
pub mod similarity;

use std::collections::{BTreeMap, BTreeSet};

use crate::brief::{Attribution, Claim, Conflict, ConflictKind, ConflictValue, Mention, Position, Rating, SourceSpan};
use crate::data::Data;
use rayon::prelude::*;
use similarity::Normalizer;

use crate::timings;

/// A source as the claims stage sees it.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub id: String,
    /// The name shown for the source's own reporting: its outlet, else its id.
    pub label: String,
    pub via: Option<String>,
    pub published: Option<String>,
}

/// A sentence as the claims stage sees it.
#[derive(Debug, Clone)]
pub struct SentenceInfo<'a> {
    /// Index into the sources.
    pub source: usize,
    pub start: usize,
    pub end: usize,
    /// The words, in the article's text.
    pub text: &'a str,
    pub position: Position,
    pub checkworthiness: f64,
    /// The index of the text among the corpus's distinct sentence texts, numbered in order of
    /// first appearance ([`distinct`]): copies share it, so later stages need not hash the texts
    /// again.
    pub text_id: usize,
}

/// Tunable thresholds; `factbrief compare` helps choose them.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Sentences scoring at least this are claims.
    pub min_checkworthiness: f64,
    /// Two mentions with at least this similarity are the same claim.
    pub same_claim: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { min_checkworthiness: 0.5, same_claim: 0.4 }
    }
}

/// Turns sentences into unit-length vectors: the optional sentence-embedding model. With one,
/// the index's candidate pairs are re-scored by [`similarity::blend`] of lexical and embedding
/// similarity; only check-worthy sentences are encoded.
pub trait Encoder {
    fn encode(&self, sentences: &[&str]) -> anyhow::Result<Vec<Vec<f32>>>;
}

/// The most sentences a term may be in and still be indexed for grouping. Below about 50,000
/// candidate sentences (some 2,500 articles) the limit is a fiftieth of them and this cap does
/// not apply.
pub const MAX_DF_CAP: usize = 1000;

/// What the claims stage gives back.
#[derive(Debug, Default)]
pub struct Analysis {
    pub claims: Vec<Claim>,
    pub conflicts: Vec<Conflict>,
    /// Per source: the outlets it attributes reporting to, sorted.
    pub cites: Vec<Vec<String>>,
    /// Per source: the earlier source it shares long near-identical passages with.
    pub copy_of: Vec<Option<usize>>,
}

/// The texts the claims stage reads besides the sentences.
#[derive(Clone, Copy)]
pub struct Texts<'a> {
    /// Each article's whole text, by source: near duplicates are found on them.
    pub articles: &'a [&'a str],
    /// Each distinct sentence text, by text id, for the mentions to share.
    pub sentences: &'a [std::sync::Arc<str>],
}

/// Groups the check-worthy sentences into claims, scores each by its independent origins and
/// finds the conflicts between them, running `beside_conflicts` on the numbered claims while
/// their conflicts are found: work that needs the claims but not their ratings (the outlets'
/// profiles) fills the cores the conflict search leaves idle.
pub fn analyze<R: Send>(
    sources: &[SourceInfo],
    sentences: &[SentenceInfo],
    texts: Texts,
    data: &Data,
    settings: Settings,
    encoder: Option<&dyn Encoder>,
    beside_conflicts: impl FnOnce(&[Claim]) -> R + Send,
) -> anyhow::Result<(Analysis, R)> {
    // Near duplicates need only the texts, and only the claims' origins need them: they are found
    // beside the attribution, the terms, the vectors and the grouping, whose serial parts would
    // otherwise leave a core idle.
    let lexical = encoder.is_none();
    let (copy_of, grouped) = rayon::join(
        || timings::stage("near duplicates", || near_duplicates(sources, texts.articles)),
        || {
            let attributions = timings::stage("attribution", || attribute_all(sources, sentences, data));
            let (terms, n_terms, which) = sentence_terms(sentences, &attributions, data);
            let mut cites: Vec<BTreeSet<String>> = vec![BTreeSet::new(); sources.len()];
            for (s, a) in sentences.iter().zip(&attributions) {
                if let Some(a) = a.as_ref().filter(|a| a.kind == "outlet") {
                    if a.to != sources[s.source].label {
                        cites[s.source].insert(a.to.clone());
                    }
                }
            }
            let primary = primary_outlets(sources, sentences, &attributions);
            let mut copies = vec![0u32; terms.len()];
            for &k in &which {
                copies[k] += 1;
            }
            let idf = similarity::IdIdf::fit_counted(&terms, &copies, n_terms);
            let candidates: Vec<usize> = (0..sentences.len())
                .filter(|&i| sentences[i].checkworthiness >= settings.min_checkworthiness)
                .collect();
            // Candidates with the same wording have the same vector, so each wording is
            // vectorised once (at 10,000 articles, 214,871 candidates have 25,531 wordings):
            // `wordings` are their texts' indices in order of first appearance, `wording_of` each
            // candidate's among them.
            let (wordings, wording_of) = distinct_indices(candidates.iter().map(|&i| which[i]), terms.len());
            let vectors: Vec<similarity::IdVector> = timings::stage("vectors", || {
                wordings.par_iter().map(|&w| similarity::vectorize_ids(&terms[w], &idf)).collect()
            });
            let wordings = Wordings { candidates, wordings, wording_of, vectors, n_terms };
            // The embedding model is not shared between threads: with one, grouping waits.
            let clusters = lexical.then(|| group(sentences, &wordings, settings, None));
            (attributions, cites, primary, wordings, clusters)
        },
    );
    let (attributions, cites, primary, wordings, clusters) = grouped;
    let clusters = match clusters {
        Some(clusters) => clusters?,
        None => group(sentences, &wordings, settings, encoder)?,
    };
    let Wordings { candidates, wording_of, vectors, .. } = wordings;
    let assemble = std::time::Instant::now();

    let origin_of = |i: usize| -> String {
        let s = &sentences[i];
        let src = &sources[s.source];
        if let Some(a) = attributions[i].as_ref().filter(|a| a.kind == "outlet") {
            return a.to.clone();
        }
        let mut root = s.source;
        while let Some(earlier) = copy_of[root] {
            root = earlier;
        }
        if root != s.source {
            return sources[root].via.clone().unwrap_or_else(|| sources[root].label.clone());
        }
        // The outlet the article itself credits comes before the one it relays: a relayed
        // article's own attribution is its upstream's.
        if let Some(outlet) = &primary[s.source] {
            return outlet.clone();
        }
        src.via.clone().unwrap_or_else(|| src.label.clone())
    };

    // Each claim is put together on its own, in parallel; `collect` keeps the clusters' order.
    let mut claims: Vec<Claim> = clusters
        .par_iter()
        .map(|members| {
            let mut idx: Vec<usize> = members.iter().map(|&k| candidates[k]).collect();
            idx.sort_by(|&a, &b| {
                sources[sentences[a].source]
                    .id
                    .cmp(&sources[sentences[b].source].id)
                    .then(sentences[a].start.cmp(&sentences[b].start))
            });
            // The most central mention: highest summed similarity to the others.
            let central = central_member(members, &vectors, &wording_of).map(|k| candidates[k]).unwrap_or(idx[0]);
            let mentions: Vec<Mention> = idx
                .iter()
                .map(|&i| Mention {
                    source: sources[sentences[i].source].id.clone(),
                    start: sentences[i].start,
                    end: sentences[i].end,
                    text: texts.sentences[sentences[i].text_id].clone(),
                    attribution: attributions[i].clone(),
                    origin: origin_of(i),
                })
                .collect();
            let outlets: BTreeSet<&str> = mentions.iter().map(|m| m.source.as_str()).collect();
            let origins: BTreeSet<String> = mentions.iter().map(|m| m.origin.clone()).collect();
            let checkworthiness = idx.iter().map(|&i| sentences[i].checkworthiness).fold(0.0, f64::max);
            Claim {
                id: String::new(),
                text: sentences[central].text.to_string(),
                checkworthiness: round3(checkworthiness),
                outlets: outlets.len(),
                independent: origins.len(),
                origins: origins.into_iter().collect(),
                mentions,
                rating: Rating::SingleSource,
            }
        })
        .collect();
    claims.sort_by(|a, b| {
        b.independent
            .cmp(&a.independent)
            .then(b.outlets.cmp(&a.outlets))
            .then(b.checkworthiness.total_cmp(&a.checkworthiness))
            .then(a.mentions[0].source.cmp(&b.mentions[0].source))
            .then(a.mentions[0].start.cmp(&b.mentions[0].start))
    });
    for (n, c) in claims.iter_mut().enumerate() {
        c.id = format!("c{}", n + 1);
    }

    timings::record("claims", assemble.elapsed());
    let (conflicts, beside) = rayon::join(
        || timings::stage("conflicts", || find_conflicts(sources, sentences, &claims)),
        || beside_conflicts(&claims),
    );
    for claim in &mut claims {
        let contested =
            conflicts.iter().any(|c| c.kind == ConflictKind::Contradiction && c.claim.as_deref() == Some(&claim.id));
        claim.rating = rate(claim.independent, claim.outlets, contested);
    }
    let cites = cites.into_iter().map(|c| c.into_iter().collect()).collect();
    Ok((Analysis { claims, conflicts, cites, copy_of }, beside))
}

/// The candidates' wordings grouped into claims, as lists of indices into the candidates.
fn group(
    sentences: &[SentenceInfo],
    wordings: &Wordings,
    settings: Settings,
    encoder: Option<&dyn Encoder>,
) -> anyhow::Result<Vec<Vec<usize>>> {
    let Wordings { candidates, wordings, wording_of, vectors, n_terms } = wordings;
    let n_terms = *n_terms;
    // Terms in more than a fiftieth of the candidates are not indexed; past MAX_DF_CAP the
    // limit stops growing, so a term's posting list, and each sentence's candidate list, stays
    // bounded and the index's cost grows linearly with the corpus.
    let max_df = 50.max(candidates.len() / 50).min(MAX_DF_CAP);
    let origins_of_vectors: Vec<usize> = candidates.iter().map(|&i| sentences[i].source).collect();
    Ok(match encoder {
        None => timings::stage("grouping", || {
            similarity::cluster_ids(vectors, wording_of, n_terms, &origins_of_vectors, settings.same_claim, max_df)
        }),
        Some(encoder) => {
            // The model reads each wording once; copies share its vector.
            let mut texts: Vec<&str> = vec![""; wordings.len()];
            for (&i, &w) in candidates.iter().zip(wording_of) {
                texts[w] = sentences[i].text;
            }
            let dense = timings::stage("embeddings", || encoder.encode(&texts))?;
            timings::stage("grouping", || {
                similarity::cluster_ids_with(
                    vectors,
                    Some(&dense),
                    wording_of,
                    n_terms,
                    &origins_of_vectors,
                    similarity::SAME_CLAIM_WITH_EMBEDDINGS,
                    max_df,
                )
            })
        }
    })
}

/// What grouping starts from: the candidate sentences (by index), their distinct wordings (by
/// text id, in order of first appearance), each candidate's wording, and each wording's vector.
struct Wordings {
    candidates: Vec<usize>,
    wordings: Vec<usize>,
    wording_of: Vec<usize>,
    vectors: Vec<similarity::IdVector>,
    n_terms: usize,
}

/// The scale, from the counts: never a verdict on truth.
pub fn rate(independent: usize, outlets: usize, contested: bool) -> Rating {
    if contested {
        Rating::Contested
    } else if independent >= 3 {
        Rating::WidelyCorroborated
    } else if independent == 2 {
        Rating::Corroborated
    } else if outlets >= 2 {
        Rating::SingleOrigin
    } else {
        Rating::SingleSource
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Groups up to this size get the exact pairwise sums; larger ones the same sums through one
/// summed vector (equal up to rounding, and linear instead of quadratic in the group's size).
const EXACT_CENTRAL_UP_TO: usize = 256;

/// The member with the highest summed cosine to the others, ties to the lowest index.
/// `vectors` are the wordings' vectors and `wording_of` each candidate's wording: members that
/// share one share a vector, so each pair of distinct wordings is compared once, and the sums
/// add the same values in the same order as comparing every pair of members would.
fn central_member(members: &[usize], vectors: &[similarity::IdVector], wording_of: &[usize]) -> Option<usize> {
    let vector = |k: usize| &vectors[wording_of[k]];
    let scores: Vec<(usize, f64)> = if members.len() <= EXACT_CENTRAL_UP_TO {
        let mut wordings: Vec<usize> = members.iter().map(|&k| wording_of[k]).collect();
        wordings.sort_unstable();
        wordings.dedup();
        let slots: Vec<usize> = members
            .iter()
            .map(|&k| wordings.binary_search(&wording_of[k]).expect("every member's wording is listed"))
            .collect();
        let d = wordings.len();
        // Each pair once: a cosine adds the same products in the same order either way round,
        // so the table is symmetric to the bit.
        let mut cosines = vec![0.0f64; d * d];
        for a in 0..d {
            for b in a..d {
                let cosine = similarity::cosine(&vectors[wordings[a]], &vectors[wordings[b]]);
                cosines[a * d + b] = cosine;
                cosines[b * d + a] = cosine;
            }
        }
        members
            .iter()
            .zip(&slots)
            .map(|(&k, &sk)| {
                let row = &cosines[sk * d..(sk + 1) * d];
                let score: f64 = members.iter().zip(&slots).filter(|&(&o, _)| o != k).map(|(_, &so)| row[so]).sum();
                (k, score)
            })
            .collect()
    } else {
        // Cosine is a dot product, so the sum over the others is the dot product with their sum.
        let mut total: BTreeMap<u32, f64> = BTreeMap::new();
        for &m in members {
            for &(t, w) in vector(m) {
                *total.entry(t).or_default() += w;
            }
        }
        let total: Vec<(u32, f64)> = total.into_iter().collect();
        // Every term of a member is in the total, so its cosine with the total adds its weights
        // times the total's in its own term order, as `cosine` would; each is found by binary
        // search instead of walking the whole total (thousands of terms) for every member.
        let with_total = |v: &similarity::IdVector| {
            let mut sum = 0.0;
            for &(t, w) in v {
                sum += w * total[total.partition_point(|&(u, _)| u < t)].1;
            }
            sum
        };
        members.par_iter().map(|&k| (k, with_total(vector(k)) - similarity::cosine(vector(k), vector(k)))).collect()
    };
    scores.into_iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))).map(|(k, _)| k)
}

/// The distinct values of `items` (each below `bound`), in order of first appearance, and for
/// each item the index of its value among them.
fn distinct_indices(items: impl IntoIterator<Item = usize>, bound: usize) -> (Vec<usize>, Vec<usize>) {
    let mut slot: Vec<usize> = vec![usize::MAX; bound];
    let mut distinct = Vec::new();
    let which = items
        .into_iter()
        .map(|v| {
            if slot[v] == usize::MAX {
                slot[v] = distinct.len();
                distinct.push(v);
            }
            slot[v]
        })
        .collect();
    (distinct, which)
}

/// The distinct sentence texts, in order of first appearance, and for each sentence the index
/// of its text among them: syndicated copies and repeated lines are worked on once.
fn distinct_texts<'a>(sentences: &[SentenceInfo<'a>]) -> (Vec<&'a str>, Vec<usize>) {
    let mut distinct: Vec<&str> = Vec::new();
    for s in sentences {
        if s.text_id == distinct.len() {
            distinct.push(s.text);
        }
    }
    debug_assert!(
        sentences.iter().all(|s| distinct.get(s.text_id) == Some(&s.text)),
        "text ids are numbered in order of first appearance"
    );
    (distinct, sentences.iter().map(|s| s.text_id).collect())
}

/// The distinct strings of `items`, in order of first appearance, and for each item the index of
/// its string among them. Each item is hashed once, and which earlier item it equals is found
/// per shard of the hash space, both in parallel; only the numbering is one pass. On one thread
/// this was 40 ms of a 10,000-article run (372,756 sentences) with the other core idle.
pub fn distinct<'a>(items: &[&'a str]) -> (Vec<&'a str>, Vec<usize>) {
    const SHARDS: usize = 8;
    let hashes: Vec<u64> =
        items.par_iter().map(|t| std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, t)).collect();
    let indices: Vec<u32> = (0..items.len() as u32).collect();
    let (by_shard, starts) = group_by_key(&indices, SHARDS, |&i| shard_of(hashes[i as usize], SHARDS));
    // Per shard: (item, the first item with its text).
    let firsts: Vec<Vec<(u32, u32)>> = (0..SHARDS)
        .into_par_iter()
        .map(|shard| {
            let mut first: rustc_hash::FxHashMap<Hashed, u32> = Default::default();
            let shard = &by_shard[starts[shard]..starts[shard + 1]];
            shard
                .iter()
                .map(|&i| (i, *first.entry(Hashed { hash: hashes[i as usize], text: items[i as usize] }).or_insert(i)))
                .collect()
        })
        .collect();
    let mut first_of = vec![0u32; items.len()];
    for &(i, first) in firsts.iter().flatten() {
        first_of[i as usize] = first;
    }
    let mut distinct = Vec::new();
    let mut which = vec![0; items.len()];
    for (i, &first) in first_of.iter().enumerate() {
        which[i] = if first as usize == i {
            distinct.push(items[i]);
            distinct.len() - 1
        } else {
            which[first as usize]
        };
    }
    (distinct, which)
}

/// A text with its hash worked out beforehand, so a map does not hash the text again.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Hashed<'a> {
    hash: u64,
    text: &'a str,
}

impl std::hash::Hash for Hashed<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Attributions sentence by sentence, so "the network" can refer back to the last outlet named.
/// Each distinct sentence is attributed once, in parallel, without a previous outlet; only those
/// that name a back reference ("the network") are worked on again in their article's order.
fn attribute_all(
    sources: &[SourceInfo],
    sentences: &[SentenceInfo],
    data: &Data,
) -> Vec<Option<crate::brief::Attribution>> {
    let (distinct, which) = distinct_texts(sentences);
    let alone: Vec<(Option<crate::brief::Attribution>, bool)> =
        distinct.par_iter().map(|t| (origins::attribute(t, data, None), origins::refers_back(t))).collect();
    let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); sources.len()];
    for (i, s) in sentences.iter().enumerate() {
        by_source[s.source].push(i);
    }
    let found: Vec<Vec<(usize, Option<crate::brief::Attribution>)>> = by_source
        .par_iter()
        .map(|indices| {
            let mut last_outlet: Option<String> = None;
            indices
                .iter()
                .map(|&i| {
                    let (a, refers_back) = &alone[which[i]];
                    let a = if *refers_back && last_outlet.is_some() {
                        origins::attribute(sentences[i].text, data, last_outlet.as_deref())
                    } else {
                        a.clone()
                    };
                    if let Some(a) = a.as_ref().filter(|a| a.kind == "outlet") {
                        last_outlet = Some(a.to.clone());
                    }
                    (i, a)
                })
                .collect()
        })
        .collect();
    let mut out = vec![None; sentences.len()];
    for (i, a) in found.into_iter().flatten() {
        out[i] = a;
    }
    out
}

/// The outlet an article rests on: the one it credits in its opening (headline, lead and the
/// first few sentences), else one it credits at least twice and more than any other.
fn primary_outlets(
    sources: &[SourceInfo],
    sentences: &[SentenceInfo],
    attributions: &[Option<crate::brief::Attribution>],
) -> Vec<Option<String>> {
    let mut counts: Vec<BTreeMap<String, (usize, usize)>> = vec![BTreeMap::new(); sources.len()];
    let mut seen = vec![0usize; sources.len()];
    for (s, a) in sentences.iter().zip(attributions) {
        seen[s.source] += 1;
        if let Some(a) = a.as_ref().filter(|a| a.kind == "outlet" && a.to != sources[s.source].label) {
            let entry = counts[s.source].entry(a.to.clone()).or_default();
            entry.0 += 1;
            if seen[s.source] <= 5 {
                entry.1 += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|c| {
            let best = c.iter().max_by(|a, b| (a.1.1, a.1.0).cmp(&(b.1.1, b.1.0)).then(b.0.cmp(a.0)))?;
            let total: usize = c.values().map(|v| v.0).sum();
            (best.1.1 > 0 || (best.1.0 >= 2 && best.1.0 * 2 > total)).then(|| best.0.clone())
        })
        .collect()
}

/// Each sentence's terms for grouping, by distinct compared wording: the terms of each distinct
/// wording (as term ids, numbered in sorted order), how many term ids there are, and which
/// wording each sentence has.
fn sentence_terms(
    sentences: &[SentenceInfo],
    attributions: &[Option<Attribution>],
    data: &Data,
) -> (Vec<Vec<u32>>, usize, Vec<usize>) {
    let normalizer = Normalizer::new(&data.aliases);
    // Sentences are compared without the clause crediting an outlet: "…, sources told CNN" and
    // "…, according to Reuters" tell the same claim, and the credit's words would otherwise tie
    // unrelated sentences that share it.
    // Each distinct wording is split into terms once; the term counts weigh it by its copies.
    timings::stage("terms", || {
        // A sentence without its credit depends on its text and the credit's kind and words:
        // each such pair (syndicated copies share them) is cut once, by its first sentence.
        // (text id, credit's kind and words) → the pair's index.
        type Pair<'a> = (usize, Option<(&'a str, &'a str)>);
        let mut pairs: rustc_hash::FxHashMap<Pair, usize> = Default::default();
        let mut firsts: Vec<usize> = Vec::new();
        let pair_of: Vec<usize> = sentences
            .iter()
            .zip(attributions)
            .enumerate()
            .map(|(i, (s, a))| {
                let credit = a.as_ref().map(|a| (a.kind.as_str(), a.phrase.as_str()));
                *pairs.entry((s.text_id, credit)).or_insert_with(|| {
                    firsts.push(i);
                    firsts.len() - 1
                })
            })
            .collect();
        let compared: Vec<std::borrow::Cow<str>> = firsts
            .par_iter()
            .map(|&i| match &attributions[i] {
                Some(a) => origins::without_credit(sentences[i].text, a),
                None => sentences[i].text.into(),
            })
            .collect();
        // Pairs come in the order of their first sentence, so the distinct texts do too.
        let compared: Vec<&str> = compared.iter().map(|t| t.as_ref()).collect();
        let (distinct, which_pair) = distinct(&compared);
        let which: Vec<usize> = pair_of.iter().map(|&p| which_pair[p]).collect();
        let terms: Vec<Vec<String>> = distinct.par_iter().map(|t| normalizer.terms(t)).collect();
        // Terms become ids numbered in sorted order: the same sums as over strings, far cheaper.
        let (terms, n_terms) = similarity::intern(&terms);
        (terms, n_terms, which)
    })
}

/// Sources that share long near-identical passages with an earlier one (by date, then id):
/// eight-word shingles, at least 30 and a fifth of the later one's shared.
///
/// A shingle's first document is the earliest by date that has it; a document copies the
/// earlier one whose shingles it shares most. Syndicated copies repeat whole lines, and no word
/// runs across a line break, so the shingles are counted by piece: each distinct line's words
/// are hashed once, and the shingles inside it are worked out once; so are those across each
/// distinct pair of lines (the break after a line of at least seven words depends on the two
/// lines alone), and a document works out only the shingles across its other breaks. Which
/// document has each shingle first is then found among the pieces' shingles, by hash, in small
/// buckets that stay in cache. At 10,000 articles that is 2.3 million shingles (1.4 million
/// inside 44,136 distinct lines, 0.7 million across 106,200 distinct pairs, 0.15 million
/// others), where each of the documents' 7.7 million was hashed and looked up in a table.
fn near_duplicates(sources: &[SourceInfo], texts: &[&str]) -> Vec<Option<usize>> {
    const SHINGLE: usize = 8;
    const MIN_SHARED: usize = 30;
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by(|&a, &b| {
        let da = sources[a].published.as_deref().unwrap_or("9999");
        let db = sources[b].published.as_deref().unwrap_or("9999");
        da.cmp(db).then(sources[a].id.cmp(&sources[b].id))
    });
    let mut rank = vec![0u32; sources.len()];
    for (r, &doc) in order.iter().enumerate() {
        rank[doc] = r as u32;
    }
    // Every document's lines, one list, and where each document's start. Empty lines (between
    // paragraphs, half of them) have no words.
    let lines_by_doc: Vec<Vec<&str>> = texts
        .par_iter()
        .map(|t| crate::clean::lines(t).filter(|line| !line.is_empty()).map(|line| &t[line]).collect())
        .collect();
    let line_starts = starts_of(lines_by_doc.iter().map(Vec::len));
    let lines = crate::flatten(lines_by_doc);
    let (distinct_lines, line_of) = distinct(&lines);
    let doc_lines = |doc: usize| &line_of[line_starts[doc]..line_starts[doc + 1]];
    let line_words: Vec<Vec<u64>> = distinct_lines.par_iter().map(|line| word_hashes(line)).collect();
    // Per document: each break between two lines with words where the first has at least seven,
    // as the pair of lines; the hashes of the shingles across its other breaks, worked out here;
    // and how many shingles the document has in all. A shingle across a break ends on one of a
    // line's first seven words.
    let breaks: Vec<(Vec<u64>, Vec<u64>, usize)> = (0..texts.len())
        .into_par_iter()
        .map(|doc| {
            let (mut pairs, mut odd) = (Vec::new(), Vec::new());
            let mut last = [0u64; SHINGLE];
            let mut seen = 0usize;
            let mut previous: Option<usize> = None;
            for &line in doc_lines(doc) {
                let words = &line_words[line];
                if words.is_empty() {
                    continue;
                }
                let paired = previous.filter(|&p| line_words[p].len() >= SHINGLE - 1);
                if let Some(p) = paired {
                    pairs.push(((p as u64) << 32) | line as u64);
                }
                for (at, &word) in words.iter().enumerate() {
                    last[seen % SHINGLE] = word;
                    seen += 1;
                    if paired.is_none() && at < SHINGLE - 1 && seen >= SHINGLE {
                        odd.push(shingle_hash(&std::array::from_fn::<u64, SHINGLE, _>(|k| last[(seen + k) % SHINGLE])));
                    }
                }
                previous = Some(line);
            }
            (pairs, odd, seen.saturating_sub(SHINGLE - 1))
        })
        .collect();
    // The units whose shingles are counted: the distinct lines, the distinct pairs, then each
    // document's other shingles; each unit's earliest document, by rank.
    let mut unit_rank = vec![u32::MAX; distinct_lines.len()];
    for (doc, &r) in rank.iter().enumerate() {
        for &line in doc_lines(doc) {
            unit_rank[line] = unit_rank[line].min(r);
        }
    }
    let mut pair_ids: rustc_hash::FxHashMap<u64, usize> = Default::default();
    let mut pairs: Vec<u64> = Vec::new();
    let doc_pairs: Vec<Vec<usize>> = breaks
        .iter()
        .zip(&rank)
        .map(|((keys, _, _), &r)| {
            keys.iter()
                .map(|&key| {
                    let unit = *pair_ids.entry(key).or_insert_with(|| {
                        pairs.push(key);
                        unit_rank.push(u32::MAX);
                        unit_rank.len() - 1
                    });
                    unit_rank[unit] = unit_rank[unit].min(r);
                    unit
                })
                .collect()
        })
        .collect();
    drop(pair_ids);
    let documents_unit = unit_rank.len();
    unit_rank.extend_from_slice(&rank);
    // Each shingle's first document, by rank, for the shingles inside each line, across each
    // pair, and each document's others, in that order.
    let (first_rank, unit_starts) = {
        let pair_shingles: Vec<Vec<u64>> = pairs
            .par_iter()
            .map(|&key| {
                let (before, after) = (&line_words[(key >> 32) as usize], &line_words[key as u32 as usize]);
                let run: Vec<u64> = before[before.len() - (SHINGLE - 1)..]
                    .iter()
                    .chain(&after[..after.len().min(SHINGLE - 1)])
                    .copied()
                    .collect();
                run.windows(SHINGLE).map(shingle_hash).collect()
            })
            .collect();
        let line_shingles: Vec<Vec<u64>> =
            line_words.par_iter().map(|words| words.windows(SHINGLE).map(shingle_hash).collect()).collect();
        let unit_lists: Vec<&[u64]> = line_shingles
            .iter()
            .chain(&pair_shingles)
            .chain(breaks.iter().map(|(_, odd, _)| odd))
            .map(Vec::as_slice)
            .collect();
        earliest_ranks(&unit_lists, &unit_rank)
    };
    // Each unit's shingles counted by their first document: (document, how many).
    let unit_firsts: Vec<Vec<(u32, u32)>> = (0..unit_rank.len())
        .into_par_iter()
        .map(|unit| {
            let mut firsts: Vec<u32> = first_rank[unit_starts[unit]..unit_starts[unit + 1]].to_vec();
            firsts.sort_unstable();
            firsts.chunk_by(|a, b| a == b).map(|run| (order[run[0] as usize] as u32, run.len() as u32)).collect()
        })
        .collect();
    // Each document on its own, in parallel: a shingle it repeats finds itself, which is no
    // copying.
    (0..texts.len())
        .into_par_iter()
        .map(|doc| {
            let this = doc as u32;
            let units = doc_lines(doc).iter().chain(&doc_pairs[doc]).copied().chain([documents_unit + doc]);
            let mut others: Vec<(u32, u32)> = Vec::new();
            for unit in units {
                others.extend(unit_firsts[unit].iter().filter(|&&(first, _)| first != this));
            }
            others.sort_unstable();
            // Quoting the same statement is not copying: a copy shares a good part of its text.
            let enough = MIN_SHARED.max(breaks[doc].2 / 5);
            // The source shared most with; on a tie, the first in the corpus, as documents come
            // in order.
            let mut best: Option<(usize, usize)> = None;
            for run in others.chunk_by(|a, b| a.0 == b.0) {
                let shared: usize = run.iter().map(|&(_, n)| n as usize).sum();
                if shared >= enough && best.is_none_or(|(_, n)| shared > n) {
                    best = Some((run[0].0 as usize, shared));
                }
            }
            best.map(|(other, _)| other)
        })
        .collect()
}

/// For lists of hashes, each with a rank: the earliest rank with each hash, for every hash of
/// every list in order, and where each list's start in that order. The hashes are bucketed by
/// value (a counting pass and a placing pass), and the earliest rank of each is found bucket by
/// bucket, in parallel, in a table small enough to stay in cache: one table of millions of hashes
/// took a cache miss on nearly every look-up.
fn earliest_ranks(lists: &[&[u64]], ranks: &[u32]) -> (Vec<u32>, Vec<usize>) {
    let starts = starts_of(lists.iter().map(|list| list.len()));
    let total = starts[starts.len() - 1];
    let buckets = (total / 1024).max(1).next_power_of_two();
    // (hash, rank, place in the order of all)
    let every = || {
        lists.iter().zip(ranks).zip(&starts).flat_map(|((list, &rank), &start)| {
            list.iter().enumerate().map(move |(k, &h)| (h, rank, (start + k) as u32))
        })
    };
    let (mut bucketed, bucket_starts) = group_iter_by_key(every, buckets, |&(h, _, _)| shard_of(h, buckets));
    let mut bucket_slices: Vec<&mut [(u64, u32, u32)]> = Vec::with_capacity(buckets);
    let mut rest = bucketed.as_mut_slice();
    for k in 0..buckets {
        let (bucket, tail) = rest.split_at_mut(bucket_starts[k + 1] - bucket_starts[k]);
        bucket_slices.push(bucket);
        rest = tail;
    }
    bucket_slices.par_iter_mut().for_each_init(rustc_hash::FxHashMap::<u64, u32>::default, |earliest, bucket| {
        earliest.clear();
        for &(h, rank, _) in bucket.iter() {
            let first = earliest.entry(h).or_insert(rank);
            *first = rank.min(*first);
        }
        for (h, rank, _) in bucket.iter_mut() {
            *rank = earliest[h];
        }
    });
    let mut earliest = vec![0u32; total];
    for &(_, rank, at) in &bucketed {
        earliest[at as usize] = rank;
    }
    (earliest, starts)
}

/// Which of `shards` shards a hash falls in: its top half scaled to the shard count, a multiply
/// where `hash % shards` was a division for each of the millions of shingles.
fn shard_of(hash: u64, shards: usize) -> usize {
    (((hash >> 32) * shards as u64) >> 32) as usize
}

/// `items` grouped by `key` (below `keys`), each group in the order its items came, and where
/// each group starts, with the end of the last: a counting pass and a placing pass.
fn group_by_key<T: Copy + Default>(items: &[T], keys: usize, key: impl Fn(&T) -> usize) -> (Vec<T>, Vec<usize>) {
    group_iter_by_key(|| items.iter().copied(), keys, key)
}

/// [`group_by_key`] for items made as they are read (`items` gives them afresh for each pass),
/// so that they need not be written out in full first.
fn group_iter_by_key<T: Copy + Default, I: Iterator<Item = T>>(
    items: impl Fn() -> I,
    keys: usize,
    key: impl Fn(&T) -> usize,
) -> (Vec<T>, Vec<usize>) {
    let mut starts = vec![0; keys + 1];
    for item in items() {
        starts[key(&item) + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut next = starts.clone();
    let mut grouped = vec![T::default(); starts[keys]];
    for item in items() {
        let slot = &mut next[key(&item)];
        grouped[*slot] = item;
        *slot += 1;
    }
    (grouped, starts)
}

/// Where each of a run of pieces starts, given their lengths, with the end of the last.
fn starts_of(lengths: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut starts = vec![0];
    for length in lengths {
        starts.push(starts[starts.len() - 1] + length);
    }
    starts
}

/// A stable hash of every run of `shingle` lower-cased words (see [`word_hashes`] and
/// [`shingle_hash`]).
#[cfg(test)]
fn shingle_hashes(text: &str, shingle: usize) -> Vec<u64> {
    word_hashes(text).windows(shingle).map(shingle_hash).collect()
}

/// A run of word hashes combined in order, so results never depend on a random hasher seed.
fn shingle_hash(run: &[u64]) -> u64 {
    run.iter().fold(0u64, |acc, &w| (acc.rotate_left(23) ^ w).wrapping_mul(0x9e3779b97f4a7c15))
}

/// The hash of each word of `text`, in order (see [`word_hash`]). Words are runs of alphanumeric
/// characters, lower-cased; ASCII bytes are taken as they come, without decoding, through a
/// table.
fn word_hashes(text: &str) -> Vec<u64> {
    // Each ASCII byte lower-cased when it is a letter or digit, else 0.
    const ASCII_WORD: [u8; 128] = {
        let mut table = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            let c = b as u8;
            if c.is_ascii_alphanumeric() {
                table[b] = c.to_ascii_lowercase();
            }
            b += 1;
        }
        table
    };
    let mut words: Vec<u64> = Vec::with_capacity(text.len() / 5);
    let mut word = WordHasher::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            at += 1;
            match ASCII_WORD[usize::from(b)] {
                0 => word.end(&mut words),
                lower => word.push(lower),
            }
        } else {
            let Some(c) = text[at..].chars().next() else { break };
            at += c.len_utf8();
            if c.is_alphanumeric() {
                let mut buf = [0u8; 4];
                for lower in c.to_lowercase() {
                    lower.encode_utf8(&mut buf).bytes().for_each(|b| word.push(b));
                }
            } else {
                word.end(&mut words);
            }
        }
    }
    word.end(&mut words);
    words
}

/// A word's hash: its lower-cased UTF-8 bytes taken eight at a time (little-endian, the last
/// block padded with zeros, which no word byte is), each block mixed in with a multiply, then
/// the length. Byte-at-a-time FNV-1a, a multiply for every byte of the text, was most of the
/// shingling.
#[cfg(test)]
fn word_hash(lower: &[u8]) -> u64 {
    let mut hash = WordHasher::START;
    for chunk in lower.chunks(8) {
        let mut block = [0u8; 8];
        block[..chunk.len()].copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(block)).wrapping_mul(WordHasher::MIX).rotate_left(29);
    }
    (hash ^ lower.len() as u64).wrapping_mul(WordHasher::FINISH)
}

/// [`word_hash`] a byte at a time, for words read straight from the text.
struct WordHasher {
    hash: u64,
    block: u64,
    in_block: u32,
    len: u64,
}

impl WordHasher {
    const START: u64 = 0xcbf29ce484222325;
    const MIX: u64 = 0x9e3779b97f4a7c15;
    const FINISH: u64 = 0xff51afd7ed558ccd;

    fn new() -> Self {
        WordHasher { hash: Self::START, block: 0, in_block: 0, len: 0 }
    }

    fn push(&mut self, b: u8) {
        self.block |= u64::from(b) << (8 * self.in_block);
        self.in_block += 1;
        self.len += 1;
        if self.in_block == 8 {
            self.mix();
        }
    }

    fn mix(&mut self) {
        self.hash = (self.hash ^ self.block).wrapping_mul(Self::MIX).rotate_left(29);
        (self.block, self.in_block) = (0, 0);
    }

    /// Ends the word, if one is under way, and hands its hash to `words`.
    fn end(&mut self, words: &mut Vec<u64>) {
        if self.len == 0 {
            return;
        }
        if self.in_block > 0 {
            self.mix();
        }
        words.push((self.hash ^ self.len).wrapping_mul(Self::FINISH));
        *self = WordHasher::new();
    }
}

/// One figure for a counted thing as the sentences give it, borrowed until it makes a conflict:
/// few things do, and most figures are dropped.
struct Tally<'a> {
    /// Its first use, which gives its words and interval.
    first: &'a quantities::Quantity,
    /// Whether every use of it was a running tally.
    running: bool,
    /// The sources that use it, in the order first seen.
    sources: Vec<&'a str>,
    /// (source, start, end) of each use, in the order seen.
    spans: Vec<(&'a str, usize, usize)>,
}

/// Distinct figures for one counted thing, keyed by their interval's bits.
type ValuesByRange<'a> = BTreeMap<(u64, u64), Tally<'a>>;

/// Different figures for the same counted thing across sources.
fn find_conflicts(sources: &[SourceInfo], sentences: &[SentenceInfo], claims: &[Claim]) -> Vec<Conflict> {
    // Figures depend on a sentence's words alone: each distinct sentence is read once.
    let (distinct, which) = distinct_texts(sentences);
    let distinct_found: Vec<Vec<quantities::Quantity>> = distinct.par_iter().map(|t| quantities::find(t)).collect();
    let found = which.iter().map(|&k| &distinct_found[k]);
    // counts -> (low, high) -> value
    let mut by_thing: BTreeMap<&str, ValuesByRange> = BTreeMap::new();
    // Which sources each value already lists, so adding one is not a scan of the list.
    let mut listed: rustc_hash::FxHashSet<(&str, (u64, u64), &str)> = Default::default();
    for (s, found) in sentences.iter().zip(found) {
        let source = sources[s.source].id.as_str();
        for q in found {
            let key = (q.low.to_bits(), q.high.map_or(u64::MAX, f64::to_bits));
            let entry = by_thing.entry(q.counts.as_str()).or_default().entry(key).or_insert_with(|| Tally {
                first: q,
                running: q.running,
                sources: Vec::new(),
                spans: Vec::new(),
            });
            entry.running &= q.running;
            if listed.insert((q.counts.as_str(), key, source)) {
                entry.sources.push(source);
            }
            entry.spans.push((source, s.start + q.start, s.start + q.end));
        }
    }
    // Each counted thing on its own, in parallel (finding a conflict's claim looks through every
    // mention), kept in the things' order.
    let by_thing: Vec<(&str, ValuesByRange)> = by_thing.into_iter().collect();
    by_thing.into_par_iter().filter_map(|(thing, values)| conflict_of(thing, values, claims)).collect()
}

/// The conflict, if any, among the figures for one counted thing, with the claim they belong to.
fn conflict_of(thing: &str, values: ValuesByRange, claims: &[Claim]) -> Option<Conflict> {
    let all_sources: BTreeSet<&str> = values.values().flat_map(|v| v.sources.iter().copied()).collect();
    if values.len() < 2 || all_sources.len() < 2 {
        return None;
    }
    let vals: Vec<(ConflictValue, bool)> = values
        .into_values()
        .map(|t| {
            let value = ConflictValue {
                text: t.first.text.clone(),
                low: t.first.low,
                high: t.first.high,
                sources: t.sources.iter().map(|s| s.to_string()).collect(),
                spans: t
                    .spans
                    .iter()
                    .map(|&(source, start, end)| SourceSpan { source: source.to_string(), start, end })
                    .collect(),
            };
            (value, t.running)
        })
        .collect();
    let mut contradiction = false;
    'pairs: for (i, a) in vals.iter().enumerate() {
        for b in &vals[i + 1..] {
            if !compatible(&a.0, a.1, &b.0, b.1) {
                contradiction = true;
                break 'pairs;
            }
        }
    }
    let mut values: Vec<ConflictValue> = vals.into_iter().map(|v| v.0).collect();
    for v in &mut values {
        v.sources.sort();
        v.spans.sort_by(|a, b| a.source.cmp(&b.source).then(a.start.cmp(&b.start)));
    }
    values.sort_by(|a, b| {
        a.low.total_cmp(&b.low).then(a.high.unwrap_or(f64::INFINITY).total_cmp(&b.high.unwrap_or(f64::INFINITY)))
    });
    // The figure's spans by source, sorted by start, so a mention is checked by a search.
    let mut spans_of: rustc_hash::FxHashMap<&str, Vec<(usize, usize)>> = Default::default();
    for s in values.iter().flat_map(|v| &v.spans) {
        spans_of.entry(s.source.as_str()).or_default().push((s.start, s.end));
    }
    for spans in spans_of.values_mut() {
        spans.sort_unstable();
    }
    let inside = |m: &Mention| {
        spans_of.get(m.source.as_str()).is_some_and(|spans| {
            let from = spans.partition_point(|&(start, _)| start < m.start);
            spans[from..].iter().take_while(|&&(start, _)| start <= m.end).any(|&(_, end)| end <= m.end)
        })
    };
    let claim = claims
        .iter()
        .filter(|c| c.mentions.iter().any(inside))
        .max_by(|a, b| a.outlets.cmp(&b.outlets).then(b.id.cmp(&a.id)))
        .map(|c| c.id.clone());
    Some(Conflict {
        claim,
        quantity: thing.to_string(),
        kind: if contradiction { ConflictKind::Contradiction } else { ConflictKind::Variation },
        values,
    })
}

/// Two figures can both be true when their intervals overlap, or when either is a running tally
/// (a lower bound or an as-of count) within a tenth of the other.
fn compatible(a: &ConflictValue, a_running: bool, b: &ConflictValue, b_running: bool) -> bool {
    let a_high = a.high.unwrap_or(f64::INFINITY);
    let b_high = b.high.unwrap_or(f64::INFINITY);
    if a.low <= b_high && b.low <= a_high {
        return true;
    }
    let (lo, hi) = if a.low < b.low { (a.low, b.low) } else { (b.low, a.low) };
    (a_running || b_running) && hi - lo <= hi * 0.1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shingle hashes as first written: split on anything not alphanumeric, lower-case each word
    /// character by character. The byte-wise version must give the same hashes.
    fn shingle_hashes_by_words(text: &str, shingle: usize) -> Vec<u64> {
        let words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let lower: String = w.chars().flat_map(char::to_lowercase).collect();
                word_hash(lower.as_bytes())
            })
            .collect();
        words
            .windows(shingle)
            .map(|run| run.iter().fold(0u64, |acc, &w| (acc.rotate_left(23) ^ w).wrapping_mul(0x9e3779b97f4a7c15)))
            .collect()
    }

    #[test]
    fn shingle_hashes_are_those_of_whole_lower_cased_words() {
        let mut texts: Vec<String> = crate::seed_texts();
        texts.extend(
            [
                "İSTANBUL (Reuters) — Straße, ΣΟΦΊΑΣ and Ǆemal said: 76 dead; “nearly two dozen” strikes.",
                "glued.words,here—and there’s Café au lait 2019-2020 ½ ⅔ x",
                "",
                "   ",
                "one",
                "ÀÉÎ",
            ]
            .map(String::from),
        );
        for text in &texts {
            for shingle in [1, 2, 8] {
                assert_eq!(shingle_hashes(text, shingle), shingle_hashes_by_words(text, shingle), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn shingle_hashes_agree_on_any_text(text in "\\PC{0,80}") {
            proptest::prop_assert_eq!(shingle_hashes(&text, 3), shingle_hashes_by_words(&text, 3));
        }
    }

    /// Near duplicates as first written: one pass over every shingle in date order, no shards.
    fn near_duplicates_in_one_pass(sources: &[SourceInfo], texts: &[&str]) -> Vec<Option<usize>> {
        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by_key(|&k| (sources[k].published.clone().unwrap_or_else(|| "9999".into()), sources[k].id.clone()));
        let mut first_seen = std::collections::HashMap::new();
        let mut copy_of = vec![None; sources.len()];
        for &doc in &order {
            let shingles = shingle_hashes(texts[doc], 8);
            let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
            for h in &shingles {
                let first = *first_seen.entry(*h).or_insert(doc);
                if first != doc {
                    *shared.entry(first).or_default() += 1;
                }
            }
            let enough = 30.max(shingles.len() / 5);
            let most = shared.iter().filter(|&(_, &n)| n >= enough).max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
            copy_of[doc] = most.map(|(&other, _)| other);
        }
        copy_of
    }

    #[test]
    fn near_duplicates_of_seed_copies_are_those_of_one_pass() {
        let seeds = crate::seed_texts();
        let half = |t: &str, first: bool| -> String {
            let words: Vec<&str> = t.split_whitespace().collect();
            let (a, b) = words.split_at(words.len() / 2);
            (if first { a } else { b }).join(" ")
        };
        // Copies whole and in part, joined, repeated within a text, and dated before and after
        // what they copy, among the seed articles.
        let mut texts: Vec<String> = seeds.clone();
        texts.push(seeds[1].clone());
        texts.push(format!("{} {}", half(&seeds[0], true), half(&seeds[2], false)));
        texts.push(format!("{} {}", half(&seeds[3], false), half(&seeds[3], false)));
        texts.push(half(&seeds[4], true).to_uppercase());
        texts.push(format!("{} {}", half(&seeds[2], false), half(&seeds[0], true)));
        let sources: Vec<SourceInfo> = (0..texts.len())
            .map(|k| SourceInfo {
                id: format!("s{k}"),
                label: format!("s{k}"),
                via: None,
                published: (k % 3 != 0).then(|| format!("2025-01-{:02}", 10 - k % 7)),
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let expected = near_duplicates_in_one_pass(&sources, &texts);
        assert!(expected.iter().filter(|c| c.is_some()).count() >= 4, "{expected:?}");
        assert_eq!(near_duplicates(&sources, &texts), expected);
    }

    proptest::proptest! {
        /// Over a few thousand hashes (several buckets), some repeated across lists and within one.
        #[test]
        fn earliest_ranks_are_the_least_rank_with_each_hash(
            lists in proptest::collection::vec((proptest::collection::vec(0u64..3000, 0..200), 0u32..20), 0..40),
        ) {
            let spread = |h: u64| h.wrapping_mul(0x9e3779b97f4a7c15);
            let hashes: Vec<Vec<u64>> = lists.iter().map(|(l, _)| l.iter().map(|&h| spread(h)).collect()).collect();
            let ranks: Vec<u32> = lists.iter().map(|&(_, r)| r).collect();
            let mut least: BTreeMap<u64, u32> = BTreeMap::new();
            for (list, &r) in hashes.iter().zip(&ranks) {
                for &h in list {
                    let e = least.entry(h).or_insert(r);
                    *e = (*e).min(r);
                }
            }
            let expected: Vec<u32> = hashes.iter().flatten().map(|h| least[h]).collect();
            let slices: Vec<&[u64]> = hashes.iter().map(Vec::as_slice).collect();
            let (earliest, starts) = earliest_ranks(&slices, &ranks);
            proptest::prop_assert_eq!(earliest, expected);
            let lens: Vec<usize> = starts.windows(2).map(|w| w[1] - w[0]).collect();
            proptest::prop_assert_eq!(lens, hashes.iter().map(Vec::len).collect::<Vec<_>>());
        }
    }

    proptest::proptest! {
        /// Copies cut into lines anywhere: short lines, long ones, blank ones and `\r\n`, so that
        /// shingles run across one break or several, inside pieces counted once or not.
        #[test]
        fn near_duplicates_by_line_are_those_of_one_pass(
            base in proptest::collection::vec(0usize..4, 60..200),
            docs in proptest::collection::vec(
                (0usize..60, 30usize..140, proptest::collection::vec(0usize..6, 1..40), 0u8..4),
                2..7,
            ),
        ) {
            let vocab = ["alpha", "Beta", "gamma", "δέλτα"];
            let separators = [" ", " ", " ", "\n", "\n\n", ",\r\n"];
            let texts: Vec<String> = docs
                .iter()
                .map(|(start, len, breaks, _)| {
                    let mut text = String::new();
                    for (k, &word) in base.iter().cycle().skip(*start).take(*len).enumerate() {
                        if k > 0 {
                            text.push_str(separators[breaks[k % breaks.len()]]);
                        }
                        text.push_str(vocab[word]);
                    }
                    text
                })
                .collect();
            let sources: Vec<SourceInfo> = docs
                .iter()
                .enumerate()
                .map(|(k, &(_, _, _, day))| SourceInfo {
                    id: format!("s{k}"),
                    label: format!("s{k}"),
                    via: None,
                    published: (day > 0).then(|| format!("2025-01-0{day}")),
                })
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(near_duplicates(&sources, &texts), near_duplicates_in_one_pass(&sources, &texts));
        }
    }

    #[test]
    fn grouping_by_key_keeps_each_group_in_order() {
        let items = [(3, 'a'), (0, 'b'), (3, 'c'), (1, 'd'), (0, 'e')];
        let (grouped, starts) = group_by_key(&items, 5, |&(k, _)| k);
        assert_eq!(grouped, [(0, 'b'), (0, 'e'), (1, 'd'), (3, 'a'), (3, 'c')]);
        assert_eq!(starts, [0, 2, 3, 3, 5, 5]);
    }

    /// The central member as first written: every pair of members compared.
    fn central_member_pairwise(members: &[usize], vectors: &[similarity::IdVector]) -> Option<usize> {
        members
            .iter()
            .map(|&k| {
                let score: f64 =
                    members.iter().filter(|&&o| o != k).map(|&o| similarity::cosine(&vectors[k], &vectors[o])).sum();
                (k, score)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(k, _)| k)
    }

    #[test]
    fn a_large_group_sums_against_the_total_as_cosine_does() {
        // More members than the exact sums take, with terms shared at random.
        let mut rng = checkworthy::train::SplitMix(7);
        let wordings: Vec<similarity::IdVector> = (0..40)
            .map(|_| {
                let mut v: Vec<(u32, f64)> = (0..12).map(|_| ((rng.next_u64() % 60) as u32, 0.0)).collect();
                v.sort_unstable_by_key(|&(t, _)| t);
                v.dedup_by_key(|&mut (t, _)| t);
                let weights: Vec<f64> = v.iter().map(|_| (rng.next_u64() % 1000) as f64 / 997.0 + 0.01).collect();
                let norm = weights.iter().map(|w| w * w).sum::<f64>().sqrt();
                v.iter().zip(weights).map(|(&(t, _), w)| (t, w / norm)).collect()
            })
            .collect();
        let wording_of: Vec<usize> = (0..EXACT_CENTRAL_UP_TO + 44).map(|_| (rng.next_u64() % 40) as usize).collect();
        let members: Vec<usize> = (0..wording_of.len()).collect();
        // As first written: the cosine with the total by walking both lists.
        let mut total: BTreeMap<u32, f64> = BTreeMap::new();
        for &m in &members {
            for &(t, w) in &wordings[wording_of[m]] {
                *total.entry(t).or_default() += w;
            }
        }
        let total: Vec<(u32, f64)> = total.into_iter().collect();
        let by_walking = members
            .iter()
            .map(|&k| {
                let v = &wordings[wording_of[k]];
                (k, similarity::cosine(v, &total) - similarity::cosine(v, v))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(k, _)| k);
        assert_eq!(central_member(&members, &wordings, &wording_of), by_walking);
    }

    #[test]
    fn central_member_compares_each_wording_once_with_the_same_result() {
        // Three wordings, repeated as syndicated copies are, in a mixed order.
        let wordings: Vec<similarity::IdVector> =
            vec![vec![(1, 0.6), (2, 0.8)], vec![(1, 0.8), (3, 0.6)], vec![(2, 0.28), (3, 0.96)]];
        let wording_of = [0, 1, 2, 0, 0, 2, 1, 0, 2, 2];
        let vectors: Vec<similarity::IdVector> = wording_of.iter().map(|&w| wordings[w].clone()).collect();
        for members in [vec![0, 1, 2], vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9], vec![2, 5, 8, 1], vec![6], vec![]] {
            assert_eq!(
                central_member(&members, &wordings, &wording_of),
                central_member_pairwise(&members, &vectors),
                "{members:?}"
            );
        }
    }

    #[test]
    fn distinct_indices_number_values_as_distinct_numbers_strings() {
        let items = [7, 3, 7, 0, 3, 9, 9, 0, 1];
        let words: Vec<String> = items.iter().map(usize::to_string).collect();
        let (strings, which) = distinct(&words.iter().map(String::as_str).collect::<Vec<_>>());
        let (values, slots) = distinct_indices(items, 10);
        assert_eq!(slots, which);
        assert_eq!(values.iter().map(usize::to_string).collect::<Vec<_>>(), strings);
        assert_eq!(distinct_indices([], 0), (vec![], vec![]));
    }

    /// Distinct strings as first written: one map from string to index.
    fn distinct_by_map<'a>(items: &[&'a str]) -> (Vec<&'a str>, Vec<usize>) {
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        let mut distinct = Vec::new();
        let which = items
            .iter()
            .map(|&t| {
                *first.entry(t).or_insert_with(|| {
                    distinct.push(t);
                    distinct.len() - 1
                })
            })
            .collect();
        (distinct, which)
    }

    proptest::proptest! {
        #[test]
        fn distinct_strings_in_order_of_first_appearance(items in proptest::collection::vec("[ab]{0,3}", 0..40)) {
            let items: Vec<&str> = items.iter().map(String::as_str).collect();
            let expected = distinct_by_map(&items);
            proptest::prop_assert_eq!(distinct(&items), expected);
        }
    }

    #[test]
    fn rating_scale() {
        assert_eq!(rate(1, 1, false), Rating::SingleSource);
        assert_eq!(rate(1, 4, false), Rating::SingleOrigin);
        assert_eq!(rate(2, 4, false), Rating::Corroborated);
        assert_eq!(rate(3, 3, false), Rating::WidelyCorroborated);
        assert_eq!(rate(3, 3, true), Rating::Contested);
    }

    #[test]
    fn lower_bounds_are_compatible_exact_differences_are_not() {
        let v = |low: f64, high: Option<f64>| ConflictValue {
            text: String::new(),
            low,
            high,
            sources: vec![],
            spans: vec![],
        };
        assert!(compatible(&v(75.0, None), true, &v(76.0, None), true));
        assert!(compatible(&v(75.0, Some(75.0)), true, &v(76.0, None), true));
        assert!(!compatible(&v(19.0, Some(19.0)), false, &v(40.0, Some(40.0)), false));
        assert!(compatible(&v(18.0, Some(24.0)), false, &v(19.0, Some(19.0)), false));
    }
}
