//! Sentence similarity for grouping claims: sentences become weighted bags of normalised terms
//! (aliases folded to one name, stop words dropped, light stemming), compared by cosine.
//! Candidates come from an inverted index, so grouping never compares every pair.

use std::collections::HashMap;

use crate::data::AliasGroup;

/// Folds name variants to one token and splits text into comparable terms.
#[derive(Debug, Clone)]
pub struct Normalizer {
    /// (lower-cased variant, canonical), longest variant first.
    aliases: Vec<(String, String)>,
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
        Normalizer { aliases }
    }

    /// The sentence's terms, in order, duplicates kept.
    pub fn terms(&self, sentence: &str) -> Vec<String> {
        let lower = sentence.to_lowercase();
        let mut out = Vec::new();
        let mut rest = lower.as_str();
        'outer: while !rest.is_empty() {
            // Try an alias at this word start.
            for (variant, canonical) in &self.aliases {
                if rest.starts_with(variant.as_str()) {
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
            if !STOP_WORDS.contains(&word) {
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
                return format!("{base}{keep}");
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

pub fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Similarity of two sentences in 0-1 with IDF from `idf` (a corpus the sentences come from).
pub fn similarity(norm: &Normalizer, idf: &Idf, a: &str, b: &str) -> f64 {
    cosine(&vectorize(&norm.terms(a), idf), &vectorize(&norm.terms(b), idf))
}

/// Pairs (i, j), i < j, whose cosine is at least `threshold`, found through an inverted index
/// over each vector's terms. Terms in more than `max_df` vectors are not indexed (they carry
/// little weight and would make the index quadratic).
pub fn similar_pairs(vectors: &[Vector], threshold: f64, max_df: usize) -> Vec<(usize, usize, f64)> {
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, v) in vectors.iter().enumerate() {
        for (t, _) in v {
            postings.entry(t.as_str()).or_default().push(i);
        }
    }
    let mut pairs = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, v) in vectors.iter().enumerate() {
        candidates.clear();
        for (t, _) in v {
            let list = &postings[t.as_str()];
            if list.len() > max_df {
                continue;
            }
            candidates.extend(list.iter().copied().filter(|&j| j > i));
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &j in &candidates {
            let s = cosine(v, &vectors[j]);
            if s >= threshold {
                pairs.push((i, j, s));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Data;

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
}
