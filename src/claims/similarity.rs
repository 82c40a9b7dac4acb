//! Sentence similarity for grouping claims: sentences become weighted bags of normalised terms
//! (aliases folded to one name, stop words dropped, light stemming), compared by cosine.
//! Candidates come from an inverted index, so grouping never compares every pair.

use rayon::prelude::*;
use std::collections::HashMap;

use crate::data::AliasGroup;

/// Folds name variants to one token and splits text into comparable terms.
#[derive(Debug, Clone)]
pub struct Normalizer {
    /// (lower-cased variant, canonical), longest variant first.
    aliases: Vec<(String, String)>,
    /// For each first byte, the indices of the aliases starting with it, in `aliases` order, so
    /// each position tries only the variants that can match there.
    by_first_byte: Vec<Vec<usize>>,
}

/// Whether `word` (lower-cased) is on [`STOP_WORDS`]: a hash set, as every word of every
/// distinct sentence is asked about, and a scan of the list was a third of `terms`.
fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect()).contains(word)
}

const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "which",
    "who",
    "whom",
    "what",
    "than",
    "then",
    "there",
    "their",
    "they",
    "them",
    "he",
    "she",
    "his",
    "her",
    "we",
    "our",
    "you",
    "your",
    "i",
    "me",
    "my",
    "not",
    "no",
    "so",
    "if",
    "into",
    "over",
    "about",
    "after",
    "before",
    "also",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "should",
    "do",
    "does",
    "did",
    "said",
    "says",
    "say",
    "some",
    "such",
    "more",
    "most",
    "other",
    "any",
    "all",
    "up",
    "out",
    "new",
    "now",
    "just",
    "only",
    "while",
    "amid",
    "reportedly",
    "according",
    "s",
    "t",
    "very",
    "even",
    "still",
    "since",
];

impl Normalizer {
    pub fn new(groups: &[AliasGroup]) -> Normalizer {
        let mut aliases: Vec<(String, String)> =
            groups.iter().flat_map(|g| g.names.iter().map(move |n| (n.to_lowercase(), g.canonical.clone()))).collect();
        aliases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let mut by_first_byte = vec![Vec::new(); 256];
        for (i, (variant, _)) in aliases.iter().enumerate() {
            if let Some(&b) = variant.as_bytes().first() {
                by_first_byte[b as usize].push(i);
            }
        }
        Normalizer { aliases, by_first_byte }
    }

    /// The sentence's terms, in order, duplicates kept.
    pub fn terms(&self, sentence: &str) -> Vec<String> {
        let lower = sentence.to_lowercase();
        let mut out = Vec::new();
        let mut rest = lower.as_str();
        'outer: while !rest.is_empty() {
            // Try an alias at this word start.
            let first = rest.as_bytes()[0] as usize;
            // The second byte first: most names that share the first differ there, and are ruled
            // out without a call to compare the rest.
            let second = rest.as_bytes().get(1);
            for (variant, canonical) in self.by_first_byte[first].iter().map(|&i| &self.aliases[i]) {
                if variant.as_bytes().get(1).is_none_or(|b| Some(b) == second) && rest.starts_with(variant.as_str()) {
                    let after = rest[variant.len()..].chars().next();
                    if after.is_none_or(|c| !c.is_alphanumeric()) {
                        out.push(canonical.clone());
                        rest = &rest[variant.len()..];
                        continue 'outer;
                    }
                }
            }
            let word_end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
            if word_end == 0 {
                let skip = rest.chars().next().map_or(1, char::len_utf8);
                rest = &rest[skip..];
                continue;
            }
            let word = &rest[..word_end];
            if !is_stop_word(word) {
                out.push(stem(word));
            }
            rest = &rest[word_end..];
            // Move to the next word start so aliases only match at word starts.
            let next = rest.find(|c: char| c.is_alphanumeric()).unwrap_or(rest.len());
            rest = &rest[next..];
        }
        out
    }
}

/// A light suffix stripper: enough to meet "strikes"/"strike", "halted"/"halting".
pub fn stem(word: &str) -> String {
    let w = word;
    if w.chars().any(|c| c.is_ascii_digit()) || w.len() <= 3 {
        return w.to_string();
    }
    for (suffix, keep) in [("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")] {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.len() >= 3 && !(suffix == "s" && base.ends_with('s')) {
                // Put together by hand: `format!` cost as much again as the rest of the stemming.
                let mut stemmed = String::with_capacity(base.len() + keep.len());
                stemmed.push_str(base);
                stemmed.push_str(keep);
                return stemmed;
            }
        }
    }
    w.to_string()
}

/// Inverse document frequencies over a set of term lists.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    df: HashMap<String, u32>,
    n: u32,
}

impl Idf {
    pub fn fit<'a>(docs: impl IntoIterator<Item = &'a Vec<String>>) -> Idf {
        let mut df: HashMap<String, u32> = HashMap::new();
        let mut n = 0;
        for terms in docs {
            n += 1;
            let mut seen: Vec<&String> = terms.iter().collect();
            seen.sort();
            seen.dedup();
            for t in seen {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        Idf { df, n }
    }

    pub fn weight(&self, term: &str) -> f64 {
        let df = self.df.get(term).copied().unwrap_or(0) as f64;
        ((1.0 + self.n as f64) / (1.0 + df)).ln() + 1.0
    }

    pub fn df(&self, term: &str) -> u32 {
        self.df.get(term).copied().unwrap_or(0)
    }
}

/// A sparse, L2-normalised vector of (term, weight), sorted by term.
pub type Vector = Vec<(String, f64)>;

pub fn vectorize(terms: &[String], idf: &Idf) -> Vector {
    let mut counts: Vec<(String, f64)> = Vec::new();
    let mut sorted: Vec<&String> = terms.iter().collect();
    sorted.sort();
    for t in sorted {
        match counts.last_mut() {
            Some((last, c)) if last == t => *c += 1.0,
            _ => counts.push((t.clone(), 1.0)),
        }
    }
    for (t, c) in counts.iter_mut() {
        *c = (1.0 + c.ln()) * idf.weight(t);
    }
    let norm = counts.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, w) in counts.iter_mut() {
            *w /= norm;
        }
    }
    counts
}

/// How much of the smaller vector's weight the two share, discounted when the smaller one has few
/// terms: a headline contained in a longer sentence tells the same claim, a two-word fragment
/// does not.
pub fn containment<K: Ord>(a: &[(K, f64)], b: &[(K, f64)]) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    // Both vectors are unit length, so the shared weight over the small one's weight is the
    // dot product re-weighted by squares.
    let shared = sum_over_shared(small, large, |x, _| x * x);
    let size = (small.len() as f64 / 6.0).min(1.0);
    shared * size
}

/// The grouping score: the better of cosine and a damped containment.
pub fn claim_score<K: Ord>(a: &[(K, f64)], b: &[(K, f64)]) -> f64 {
    let cos = cosine(a, b);
    cos.max(CONTAINMENT_WEIGHT * containment(a, b))
}

/// How far containment counts against cosine (tuned on Emergent and MRPC with `eval_claims`).
pub const CONTAINMENT_WEIGHT: f64 = 0.75;

pub fn cosine<K: Ord>(a: &[(K, f64)], b: &[(K, f64)]) -> f64 {
    sum_over_shared(a, b, |x, y| x * y)
}

/// Walks two term-sorted vectors together and sums `f(weight in a, weight in b)` over the terms
/// they share.
fn sum_over_shared<K: Ord>(a: &[(K, f64)], b: &[(K, f64)], f: impl Fn(f64, f64) -> f64) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += f(a[i].1, b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Similarity of two sentences in 0-1 with IDF from `idf` (a corpus the sentences come from).
pub fn similarity(norm: &Normalizer, idf: &Idf, a: &str, b: &str) -> f64 {
    claim_score(&vectorize(&norm.terms(a), idf), &vectorize(&norm.terms(b), idf))
}

/// A vector over interned term ids (see [`intern`]): ids are numbered in the terms' sort order,
/// so an id vector lists its terms in the same order as the string [`Vector`] and every sum over
/// it is bit-for-bit the same.
pub type IdVector = Vec<(u32, f64)>;

/// Interns term lists: each distinct term gets the rank of its place in sorted order.
/// Returns the id lists and the number of distinct terms.
pub fn intern(lists: &[Vec<String>]) -> (Vec<Vec<u32>>, usize) {
    // Each term is hashed once, numbered in order of first appearance; the distinct terms are
    // then sorted and the numbers mapped to their ranks. (Gathering the distinct terms per chunk
    // and looking each term up again took 199 M instructions at 10,000 articles.)
    let mut first_number: rustc_hash::FxHashMap<&str, u32> = Default::default();
    let numbered: Vec<Vec<u32>> = lists
        .iter()
        .map(|terms| {
            terms
                .iter()
                .map(|t| {
                    let next = first_number.len() as u32;
                    *first_number.entry(t.as_str()).or_insert(next)
                })
                .collect()
        })
        .collect();
    let mut vocabulary: Vec<(&str, u32)> = first_number.into_iter().collect();
    vocabulary.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut rank = vec![0u32; vocabulary.len()];
    for (r, &(_, number)) in vocabulary.iter().enumerate() {
        rank[number as usize] = r as u32;
    }
    let out = numbered
        .into_par_iter()
        .map(|mut ids| {
            for id in &mut ids {
                *id = rank[*id as usize];
            }
            ids
        })
        .collect();
    (out, vocabulary.len())
}

/// [`Idf`] over interned ids: the same weights, looked up by index.
#[derive(Debug, Clone, Default)]
pub struct IdIdf {
    df: Vec<u32>,
    n: u32,
}

impl IdIdf {
    pub fn fit(docs: &[Vec<u32>], n_terms: usize) -> IdIdf {
        let mut df = vec![0u32; n_terms];
        let mut seen: Vec<u32> = Vec::new();
        for terms in docs {
            seen.clear();
            seen.extend_from_slice(terms);
            seen.sort_unstable();
            seen.dedup();
            for &t in &seen {
                df[t as usize] += 1;
            }
        }
        IdIdf { df, n: docs.len() as u32 }
    }

    /// [`IdIdf::fit`] over distinct term lists, `copies[k]` documents having list `k`.
    pub fn fit_counted(docs: &[Vec<u32>], copies: &[u32], n_terms: usize) -> IdIdf {
        let mut df = vec![0u32; n_terms];
        let mut seen: Vec<u32> = Vec::new();
        for (terms, &c) in docs.iter().zip(copies) {
            seen.clear();
            seen.extend_from_slice(terms);
            seen.sort_unstable();
            seen.dedup();
            for &t in &seen {
                df[t as usize] += c;
            }
        }
        IdIdf { df, n: copies.iter().sum() }
    }

    pub fn weight(&self, term: u32) -> f64 {
        let df = self.df.get(term as usize).copied().unwrap_or(0) as f64;
        ((1.0 + self.n as f64) / (1.0 + df)).ln() + 1.0
    }
}

/// [`vectorize`] over interned ids.
pub fn vectorize_ids(terms: &[u32], idf: &IdIdf) -> IdVector {
    let mut sorted: Vec<u32> = terms.to_vec();
    sorted.sort_unstable();
    let mut counts: Vec<(u32, f64)> = Vec::new();
    for t in sorted {
        match counts.last_mut() {
            Some((last, c)) if *last == t => *c += 1.0,
            _ => counts.push((t, 1.0)),
        }
    }
    for (t, c) in counts.iter_mut() {
        *c = (1.0 + c.ln()) * idf.weight(*t);
    }
    let norm = counts.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, w) in counts.iter_mut() {
            *w /= norm;
        }
    }
    counts
}

/// String vectors to id vectors, keeping the order (and so every sum) the same.
fn to_ids(vectors: &[Vector]) -> (Vec<IdVector>, usize) {
    let terms: Vec<Vec<String>> = vectors.iter().map(|v| v.iter().map(|(t, _)| t.clone()).collect()).collect();
    let (ids, n) = intern(&terms);
    let out =
        vectors.iter().zip(ids).map(|(v, ids)| ids.into_iter().zip(v.iter().map(|(_, w)| *w)).collect()).collect();
    (out, n)
}

/// Pairs (i, j), i < j, whose cosine is at least `threshold`, found through an inverted index
/// over each vector's terms. Terms in more than `max_df` vectors are not indexed (they carry
/// little weight and would make the index quadratic).
pub fn similar_pairs(vectors: &[Vector], threshold: f64, max_df: usize) -> Vec<(usize, usize, f64)> {
    let (ids, n) = to_ids(vectors);
    similar_pairs_ids(&ids, n, threshold, max_df)
}

/// [`similar_pairs`] over id vectors, in parallel, giving exactly the same pairs with the same
/// scores in the same order (sorted by `i`, then `j`).
///
/// Instead of merging `i` with every candidate, each vector accumulates, through the posting
/// lists of its indexed terms, the dot product and its shared squared weight with every vector
/// after it at once, shortest first. Those give an upper bound of the score (terms left out of
/// the index can add at most the product of both vectors' unindexed norms, and the smaller
/// vector's unindexed squared weight); only candidates whose bound reaches the threshold are
/// scored exactly with [`claim_score`], so every pair and score is what the full candidate lists
/// give.
pub fn similar_pairs_ids(
    vectors: &[IdVector],
    n_terms: usize,
    threshold: f64,
    max_df: usize,
) -> Vec<(usize, usize, f64)> {
    similar_pairs_by(vectors, n_terms, threshold, max_df, Score::Claim)
}

/// Which score pairs are found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Score {
    /// [`claim_score`]: the better of cosine and damped containment, for sentences.
    Claim,
    /// [`cosine`] alone, for group centroids: a large group's centroid holds the terms of many
    /// sentences, so containment would let it swallow any short one.
    Cosine,
}

fn score_of(score: Score, a: &IdVector, b: &IdVector) -> f64 {
    match score {
        Score::Claim => claim_score(a, b),
        Score::Cosine => cosine(a, b),
    }
}

/// [`similar_pairs_ids`] by the given score.
pub fn similar_pairs_by(
    vectors: &[IdVector],
    n_terms: usize,
    threshold: f64,
    max_df: usize,
    score: Score,
) -> Vec<(usize, usize, f64)> {
    let mut df = vec![0u32; n_terms];
    for v in vectors {
        for &(t, _) in v {
            df[t as usize] += 1;
        }
    }
    let indexed = |t: u32| df[t as usize] as usize <= max_df;
    // The vectors are scanned shortest first (ties by index): every later vector is then at
    // least as long, so the smaller of a pair, the one whose containment counts (the first one
    // when both are as long), is always the earlier in the scan, and the scan sums one shared
    // squared weight per candidate, not one for each side.
    let mut order: Vec<u32> = (0..vectors.len() as u32).collect();
    order.sort_unstable_by_key(|&k| (vectors[k as usize].len(), k));
    // Posting lists as one array (CSR): places in the scan ascending, with the term's weight in
    // them.
    let mut offsets = vec![0usize; n_terms + 1];
    for (t, &d) in df.iter().enumerate() {
        offsets[t + 1] = offsets[t] + if d as usize <= max_df { d as usize } else { 0 };
    }
    // Weights in single precision: the scan only bounds scores (the margin covers its rounding),
    // and at half the bytes the postings and the accumulators stay in cache.
    let mut postings: Vec<(u32, f32)> = vec![(0, 0.0); offsets[n_terms]];
    let mut fill = offsets.clone();
    for (place, &k) in order.iter().enumerate() {
        for &(t, w) in &vectors[k as usize] {
            if indexed(t) {
                postings[fill[t as usize]] = (place as u32, w as f32);
                fill[t as usize] += 1;
            }
        }
    }
    drop(fill);
    // Each vector's squared weight outside the index, its root, and what containment makes of
    // it, by place in the scan: every candidate reads them.
    let unindexed: Vec<Unindexed> = order
        .iter()
        .map(|&k| {
            let v = &vectors[k as usize];
            let squared: f64 = v.iter().filter(|(t, _)| !indexed(*t)).map(|(_, w)| w * w).sum();
            let damping = match score {
                Score::Claim => CONTAINMENT_WEIGHT * (v.len() as f64 / 6.0).min(1.0),
                Score::Cosine => 0.0,
            };
            Unindexed { root: squared.sqrt(), damping, damped: damping * squared }
        })
        .collect();
    // Sums of at most a few hundred single-precision products of weights below 1 are off by
    // far less than this.
    let margin = 1e-4;
    // Small chunks, so that no core is left with a long one at the end (the first vectors, with
    // the most later ones to meet, cost the most); the accumulators are kept from chunk to chunk.
    const CHUNK: usize = 256;
    let chunks: Vec<Vec<(usize, usize, f64)>> = (0..vectors.len().div_ceil(CHUNK))
        .into_par_iter()
        .map_init(
            // Per candidate: dot product and the earlier (smaller) vector's shared squared
            // weight; both are taken back to zeros once read.
            // Room for every vector in `touched`, written without a branch below.
            || (vec![(0.0f32, 0.0f32); vectors.len()], vec![0u32; vectors.len()]),
            |(acc, touched), c| {
                let mut out = Vec::new();
                for place in c * CHUNK..((c + 1) * CHUNK).min(vectors.len()) {
                    let i = order[place] as usize;
                    let v = &vectors[i];
                    let mut n_touched = 0;
                    for &(t, w) in v {
                        if !indexed(t) {
                            continue;
                        }
                        let (w, squared) = (w as f32, (w * w) as f32);
                        let list = &postings[offsets[t as usize]..offsets[t as usize + 1]];
                        let from = list.partition_point(|&(later, _)| later as usize <= place);
                        for &(later, w_later) in &list[from..] {
                            let a = &mut acc[later as usize];
                            // Touched once a weight is added: a unit vector's weights are far
                            // above where their squares would round to zero. Each candidate is
                            // written at the end of the list, which grows only the first time:
                            // whether it does is a coin toss a branch would mispredict.
                            touched[n_touched] = later;
                            n_touched += usize::from(a.1 == 0.0);
                            a.0 += w * w_later;
                            a.1 += squared;
                        }
                    }
                    let mine = &unindexed[place];
                    for &later in &touched[..n_touched] {
                        let (dot, shared) = std::mem::take(&mut acc[later as usize]);
                        let theirs = &unindexed[later as usize];
                        // The product of the roots for the root of the product: the same bound but
                        // for rounding, which the margin covers.
                        let cos_bound = f64::from(dot) + mine.root * theirs.root;
                        // The earlier vector is the smaller, so its containment is the one that
                        // counts.
                        let contain_bound = mine.damping * f64::from(shared) + mine.damped;
                        if cos_bound.max(contain_bound) + margin < threshold {
                            continue;
                        }
                        // Scored in index order, as the pair is reported.
                        let j = order[later as usize] as usize;
                        let (first, second) = (i.min(j), i.max(j));
                        let s = score_of(score, &vectors[first], &vectors[second]);
                        if s >= threshold {
                            out.push((first, second, s));
                        }
                    }
                }
                out
            },
        )
        .collect();
    if crate::timings::enabled() {
        let pairs: usize = chunks.iter().map(Vec::len).sum();
        eprintln!(
            "similar_pairs: {} vectors, {} postings, max_df {max_df}, {pairs} pairs",
            vectors.len(),
            postings.len()
        );
    }
    let mut pairs: Vec<(usize, usize, f64)> = chunks.into_iter().flatten().collect();
    // Each pair is found once, so the order by index is the only one.
    pairs.sort_unstable_by_key(|&(i, j, _)| (i, j));
    pairs
}

/// What [`similar_pairs_by`] bounds a vector's score outside the pair index by: the root of its
/// squared weight there, and that weight as containment counts it.
struct Unindexed {
    root: f64,
    /// How far containment counts, by the vector's length (0 when pairs are scored by cosine).
    damping: f64,
    /// `damping` times the squared weight.
    damped: f64,
}

/// Groups vectors so that every member of a group reaches `threshold` against the group's
/// centre (star clustering over the index's candidate pairs): unlike single link, a chain of
/// near neighbours cannot pull unrelated sentences together. Centres are taken by descending
/// summed similarity, ties by index, so the result does not depend on pair order. Groups are
/// returned sorted, in order of their first member.
///
/// `sources[i]` says which article vector `i` comes from: two groups that both hold sentences
/// of mostly the same articles are not merged, since an outlet that says two different
/// sentences is usually telling two claims.
pub fn cluster(vectors: &[Vector], sources: &[usize], threshold: f64, max_df: usize) -> Vec<Vec<usize>> {
    cluster_with(vectors, None, sources, threshold, max_df)
}

/// As [`cluster`], with optional dense sentence embeddings (unit length, one per vector): the
/// index still proposes the candidate pairs (at a lower floor), and each pair is scored by
/// [`blend`] of the lexical and the embedding similarity.
pub fn cluster_with(
    vectors: &[Vector],
    dense: Option<&[Vec<f32>]>,
    sources: &[usize],
    threshold: f64,
    max_df: usize,
) -> Vec<Vec<usize>> {
    let (ids, n) = to_ids(vectors);
    let own: Vec<usize> = (0..ids.len()).collect();
    cluster_ids_with(&ids, dense, &own, n, sources, threshold, max_df)
}

/// The same-claim threshold when embeddings are on (blended scores run higher than lexical
/// ones; chosen on Emergent with `eval_claims --features embeddings`).
pub const SAME_CLAIM_WITH_EMBEDDINGS: f64 = 0.55;
/// Weight of the embedding similarity in [`blend`] (tuned with `eval_claims` on STS-B train).
pub const EMBEDDING_WEIGHT: f64 = 0.6;
/// With embeddings, lexical candidates down to this score are re-scored.
pub const CANDIDATE_FLOOR: f64 = 0.1;

/// The pair score with embeddings: a weighted mean of the lexical and the embedding cosine.
pub fn blend(lexical: f64, dense: f64) -> f64 {
    EMBEDDING_WEIGHT * dense + (1.0 - EMBEDDING_WEIGHT) * lexical
}

pub fn dense_cosine(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (*x as f64) * (*y as f64)).sum()
}

fn dense_centroid(dense: &[Vec<f32>], wording_of: &[usize], members: &[usize]) -> Vec<f32> {
    let dim = dense.first().map_or(0, Vec::len);
    let mut sum = vec![0.0f64; dim];
    for &m in members {
        for (s, x) in sum.iter_mut().zip(&dense[wording_of[m]]) {
            *s += *x as f64;
        }
    }
    let norm = sum.iter().map(|x| x * x).sum::<f64>().sqrt().max(f64::MIN_POSITIVE);
    sum.into_iter().map(|x| (x / norm) as f32).collect()
}

/// [`cluster`] over id vectors, given once per wording: item `i` has the vector
/// `vectors[wording_of[i]]`, and the groups are of items.
pub fn cluster_ids(
    vectors: &[IdVector],
    wording_of: &[usize],
    n_terms: usize,
    sources: &[usize],
    threshold: f64,
    max_df: usize,
) -> Vec<Vec<usize>> {
    cluster_ids_with(vectors, None, wording_of, n_terms, sources, threshold, max_df)
}

/// [`cluster_with`] over id vectors, and dense embeddings when given, once per wording, as in
/// [`cluster_ids`].
pub fn cluster_ids_with(
    vectors: &[IdVector],
    dense: Option<&[Vec<f32>]>,
    wording_of: &[usize],
    n_terms: usize,
    sources: &[usize],
    threshold: f64,
    max_df: usize,
) -> Vec<Vec<usize>> {
    // Identical sentences (syndicated copies, repeated boilerplate claims) are one vector with a
    // count: every copy would pair with every other and with all the same neighbours, so the
    // pair search runs over distinct vectors only.
    let (distinct, copies) = collapse_copies(vectors, dense, wording_of);
    let distinct_vectors: Vec<IdVector> = distinct.iter().map(|&i| vectors[wording_of[i]].clone()).collect();
    let distinct_dense: Option<Vec<Vec<f32>>> =
        dense.map(|d| distinct.iter().map(|&i| d[wording_of[i]].clone()).collect());
    let counts: Vec<usize> = copies.iter().map(Vec::len).collect();
    let mut groups: Vec<Vec<usize>> = star_cluster(
        &distinct_vectors,
        distinct_dense.as_deref(),
        &counts,
        n_terms,
        threshold,
        max_df,
        Score::Claim,
        &|_, _| true,
    )
    .into_iter()
    .map(|g| {
        let mut members: Vec<usize> = g.iter().flat_map(|&d| copies[d].iter().copied()).collect();
        members.sort_unstable();
        members
    })
    .collect();
    drop(distinct_vectors);
    // Further passes: groups whose centroids meet are one claim told in more ways than one
    // centre could reach (headlines of one story vary more than sentences do).
    for _ in 0..MERGE_ROUNDS {
        let centroids: Vec<IdVector> = groups.par_iter().map(|g| centroid(vectors, wording_of, g)).collect();
        let dense_centroids: Option<Vec<Vec<f32>>> =
            dense.map(|d| groups.par_iter().map(|g| dense_centroid(d, wording_of, g)).collect());
        let source_sets: Vec<std::collections::BTreeSet<usize>> =
            groups.par_iter().map(|g| g.iter().map(|&m| sources[m]).collect()).collect();
        let distinct_sources = |a: usize, b: usize| {
            let shared = source_sets[a].intersection(&source_sets[b]).count();
            shared * 2 <= source_sets[a].len().min(source_sets[b].len())
        };
        let merged = star_cluster(
            &centroids,
            dense_centroids.as_deref(),
            &vec![1; centroids.len()],
            n_terms,
            threshold * if dense.is_some() { MERGE_FACTOR_WITH_EMBEDDINGS } else { MERGE_FACTOR },
            max_df,
            Score::Cosine,
            &distinct_sources,
        );
        if merged.len() == groups.len() {
            break;
        }
        groups = merged
            .iter()
            .map(|m| {
                let mut g: Vec<usize> = m.iter().flat_map(|&s| groups[s].iter().copied()).collect();
                g.sort_unstable();
                g
            })
            .collect();
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

/// How many times groups are merged by their centroids.
pub const MERGE_ROUNDS: usize = 1;

/// Centroids are compared at this share of the sentence threshold.
pub const MERGE_FACTOR: f64 = 0.8;

/// The same with embeddings: blended scores already reach across wordings, so centroids must
/// meet the full threshold (chosen on Emergent with `eval_claims --features embeddings`).
pub const MERGE_FACTOR_WITH_EMBEDDINGS: f64 = 1.0;

fn centroid(vectors: &[IdVector], wording_of: &[usize], members: &[usize]) -> IdVector {
    // Each term's weights are added in the members' order, as a map by term would add them; the
    // terms are put in order once, at the end.
    let mut sum: rustc_hash::FxHashMap<u32, f64> = Default::default();
    for &m in members {
        for &(t, w) in &vectors[wording_of[m]] {
            *sum.entry(t).or_default() += w;
        }
    }
    let mut sum: IdVector = sum.into_iter().collect();
    sum.sort_unstable_by_key(|&(t, _)| t);
    let norm = sum.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    for (_, w) in &mut sum {
        *w = if norm > 0.0 { *w / norm } else { 0.0 };
    }
    sum
}

/// Distinct vectors (with their dense embeddings, when given) in order of first appearance, for
/// items that have the vectors of their wordings (`wording_of`, as in [`cluster_ids`]): the index
/// of each one's first item, and the indices of all its items. Empty vectors are similar to
/// nothing, not even to each other, so each item with one stays on its own.
fn collapse_copies(
    vectors: &[IdVector],
    dense: Option<&[Vec<f32>]>,
    wording_of: &[usize],
) -> (Vec<usize>, Vec<Vec<usize>>) {
    use std::hash::Hasher;
    // Equal to the bit: the same terms with the same weights (and the same embedding).
    let same = |a: usize, b: usize| {
        let bits = |k: usize| vectors[k].iter().map(|&(t, w)| (t, w.to_bits()));
        bits(a).eq(bits(b))
            && dense.is_none_or(|d| d[a].iter().map(|x| x.to_bits()).eq(d[b].iter().map(|x| x.to_bits())))
    };
    // Two wordings can still have one vector ("U.S." and "US"): each wording's vector is hashed
    // where it lies and compared only with the distinct ones of the same hash.
    let mut by_hash: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    let mut kinds: Vec<usize> = Vec::new();
    let kind_of: Vec<usize> = (0..vectors.len())
        .map(|w| {
            let mut hasher = rustc_hash::FxHasher::default();
            for &(t, x) in &vectors[w] {
                hasher.write_u32(t);
                hasher.write_u64(x.to_bits());
            }
            for x in dense.map(|d| d[w].as_slice()).unwrap_or_default() {
                hasher.write_u32(x.to_bits());
            }
            let slots = by_hash.entry(hasher.finish()).or_default();
            match slots.iter().find(|&&k| same(kinds[k], w)) {
                Some(&k) => k,
                None => {
                    slots.push(kinds.len());
                    kinds.push(w);
                    kinds.len() - 1
                }
            }
        })
        .collect();
    let mut distinct_of_kind = vec![usize::MAX; kinds.len()];
    let mut distinct = Vec::new();
    let mut copies: Vec<Vec<usize>> = Vec::new();
    for (i, &w) in wording_of.iter().enumerate() {
        let kind = kind_of[w];
        if vectors[w].is_empty() {
            distinct.push(i);
            copies.push(vec![i]);
        } else if distinct_of_kind[kind] == usize::MAX {
            distinct_of_kind[kind] = distinct.len();
            distinct.push(i);
            copies.push(vec![i]);
        } else {
            copies[distinct_of_kind[kind]].push(i);
        }
    }
    (distinct, copies)
}

/// Star clustering over distinct vectors, `counts[i]` copies of each: a copy is a neighbour of
/// its other copies (at its self-similarity) and of everything its vector neighbours, so the
/// summed similarities, the centres and the groups are those of the vectors written out in full.
#[allow(clippy::too_many_arguments)]
fn star_cluster(
    vectors: &[IdVector],
    dense: Option<&[Vec<f32>]>,
    counts: &[usize],
    n_terms: usize,
    threshold: f64,
    max_df: usize,
    score: Score,
    allowed: &dyn Fn(usize, usize) -> bool,
) -> Vec<Vec<usize>> {
    let mut pairs = match dense {
        None => crate::timings::stage("similar pairs", || similar_pairs_by(vectors, n_terms, threshold, max_df, score)),
        Some(d) => {
            let floor = CANDIDATE_FLOOR.min(threshold);
            let mut p =
                crate::timings::stage("similar pairs", || similar_pairs_by(vectors, n_terms, floor, max_df, score));
            for (a, b, s) in p.iter_mut() {
                *s = blend(*s, dense_cosine(&d[*a], &d[*b]));
            }
            p.retain(|&(_, _, s)| s >= threshold);
            p
        }
    };
    pairs.retain(|&(a, b, _)| allowed(a, b));
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); vectors.len()];
    let mut weight: Vec<f64> = (0..vectors.len())
        .map(|i| {
            if counts[i] < 2 {
                return 0.0;
            }
            let own = match dense {
                None => score_of(score, &vectors[i], &vectors[i]),
                Some(d) => blend(score_of(score, &vectors[i], &vectors[i]), dense_cosine(&d[i], &d[i])),
            };
            if own >= threshold { own * (counts[i] - 1) as f64 } else { 0.0 }
        })
        .collect();
    for &(a, b, s) in &pairs {
        neighbours[a].push(b);
        neighbours[b].push(a);
        weight[a] += s * counts[b] as f64;
        weight[b] += s * counts[a] as f64;
    }
    let mut order: Vec<usize> = (0..vectors.len()).collect();
    order.sort_by(|&a, &b| weight[b].total_cmp(&weight[a]).then(a.cmp(&b)));
    let mut group_of: Vec<Option<usize>> = vec![None; vectors.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for centre in order {
        if group_of[centre].is_some() {
            continue;
        }
        let id = groups.len();
        let mut members = vec![centre];
        group_of[centre] = Some(id);
        for &n in &neighbours[centre] {
            if group_of[n].is_none() {
                group_of[n] = Some(id);
                members.push(n);
            }
        }
        members.sort_unstable();
        groups.push(members);
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Data;

    /// Term weights scaled to unit length, as vectors are.
    fn unit_vectors(weights: &[std::collections::BTreeMap<u32, u8>]) -> Vec<IdVector> {
        weights
            .iter()
            .map(|terms| {
                let norm = terms.values().map(|&w| f64::from(w).powi(2)).sum::<f64>().sqrt();
                terms.iter().map(|(&t, &w)| (t, f64::from(w) / norm)).collect()
            })
            .collect()
    }

    proptest::proptest! {
        /// Vectors given once per wording group items as the same vectors written out per item
        /// do, with copies, wordings of one vector and empty vectors among them.
        #[test]
        fn wordings_group_as_their_vectors_written_out(
            wordings in proptest::collection::vec(
                proptest::collection::btree_map(0u32..6, 1u8..4, 0..4), 1..8),
            wording_of in proptest::collection::vec(0usize..8, 1..40),
            sources in proptest::collection::vec(0usize..4, 40),
        ) {
            let vectors = unit_vectors(&wordings);
            let wording_of: Vec<usize> = wording_of.iter().map(|&w| w % vectors.len()).collect();
            let sources = &sources[..wording_of.len()];
            let written_out: Vec<IdVector> = wording_of.iter().map(|&w| vectors[w].clone()).collect();
            let own: Vec<usize> = (0..written_out.len()).collect();
            for threshold in [0.3, 0.7] {
                proptest::prop_assert_eq!(
                    cluster_ids(&vectors, &wording_of, 6, sources, threshold, usize::MAX),
                    cluster_ids(&written_out, &own, 6, sources, threshold, usize::MAX)
                );
            }
        }
    }

    proptest::proptest! {
        /// The indexed search finds exactly the pairs that share a term in at most `max_df`
        /// vectors and reach the threshold, with their scores, in order: short and long vectors
        /// (containment picks the shorter, ties by index), repeats, and terms over the cap.
        #[test]
        fn similar_pairs_are_those_of_comparing_every_pair(
            weights in proptest::collection::vec(
                proptest::collection::btree_map(0u32..12, 1u8..6, 0..9), 0..40),
            threshold in 0.05f64..0.95,
            max_df in 1usize..12,
        ) {
            let vectors = unit_vectors(&weights);
            let mut df = [0usize; 12];
            for &(t, _) in vectors.iter().flatten() {
                df[t as usize] += 1;
            }
            for score in [Score::Claim, Score::Cosine] {
                let mut every_pair = Vec::new();
                for i in 0..vectors.len() {
                    for j in i + 1..vectors.len() {
                        let shares_indexed =
                            vectors[i].iter().any(|&(t, _)| df[t as usize] <= max_df && vectors[j].iter().any(|&(u, _)| u == t));
                        let s = score_of(score, &vectors[i], &vectors[j]);
                        if shares_indexed && s >= threshold {
                            every_pair.push((i, j, s));
                        }
                    }
                }
                proptest::prop_assert_eq!(similar_pairs_by(&vectors, 12, threshold, max_df, score), every_pair);
            }
        }
    }

    #[test]
    fn aliases_meet() {
        let n = Normalizer::new(&Data::builtin().aliases);
        let a = n.terms("The UK has suspended sharing intelligence with the US");
        let b = n.terms("Britain has halted intelligence-sharing with the United States");
        let mut a2 = a.clone();
        a2.sort();
        let mut b2 = b.clone();
        b2.sort();
        assert!(a2.contains(&"uk".to_string()) && b2.contains(&"uk".to_string()));
        assert!(b2.contains(&"halt".to_string()) && a2.contains(&"halt".to_string()), "{a2:?} {b2:?}");
        let idf = Idf::fit([&a, &b]);
        assert!(cosine(&vectorize(&a, &idf), &vectorize(&b, &idf)) > 0.6);
    }

    /// The terms as found before names were told apart by their second byte: every name with
    /// the first byte compared whole.
    fn terms_comparing_every_name(n: &Normalizer, sentence: &str) -> Vec<String> {
        let lower = sentence.to_lowercase();
        let mut out = Vec::new();
        let mut rest = lower.as_str();
        'outer: while !rest.is_empty() {
            for (variant, canonical) in n.by_first_byte[rest.as_bytes()[0] as usize].iter().map(|&i| &n.aliases[i]) {
                if rest.starts_with(variant.as_str())
                    && rest[variant.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
                {
                    out.push(canonical.clone());
                    rest = &rest[variant.len()..];
                    continue 'outer;
                }
            }
            let word_end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
            if word_end == 0 {
                rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
                continue;
            }
            if !is_stop_word(&rest[..word_end]) {
                out.push(stem(&rest[..word_end]));
            }
            rest = &rest[word_end..];
            rest = &rest[rest.find(|c: char| c.is_alphanumeric()).unwrap_or(rest.len())..];
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Names of one byte, names that share their first bytes, and names that run over a
        /// word's end are all found as comparing each name whole finds them.
        #[test]
        fn names_are_found_as_comparing_every_name_finds_them(
            names in proptest::collection::vec("[abu][ .sk]{0,3}", 1..12),
            sentence in "[abuskAU .,']{0,40}",
        ) {
            let groups: Vec<crate::data::AliasGroup> = names
                .iter()
                .enumerate()
                .map(|(k, name)| crate::data::AliasGroup { canonical: format!("n{k}"), names: vec![name.clone()] })
                .collect();
            let n = Normalizer::new(&groups);
            proptest::prop_assert_eq!(n.terms(&sentence), terms_comparing_every_name(&n, &sentence));
        }
    }

    proptest::proptest! {
        /// Each term's id is its rank among the distinct terms in sorted order.
        #[test]
        fn interned_ids_are_ranks_in_sorted_order(
            lists in proptest::collection::vec(proptest::collection::vec("[a-d]{0,3}", 0..6), 0..12),
        ) {
            let (ids, n) = intern(&lists);
            let mut vocabulary: Vec<&String> = lists.iter().flatten().collect();
            vocabulary.sort();
            vocabulary.dedup();
            proptest::prop_assert_eq!(n, vocabulary.len());
            for (terms, ids) in lists.iter().zip(&ids) {
                let ranks: Vec<u32> =
                    terms.iter().map(|t| vocabulary.binary_search(&t).expect("listed") as u32).collect();
                proptest::prop_assert_eq!(ids, &ranks);
            }
        }
    }
}
