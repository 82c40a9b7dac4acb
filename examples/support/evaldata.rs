//! Shared by `derive_lexicon` and `eval_markers`: readers for the annotated data sets (BABE, PTC,
//! WNC, BASIL), a tokenizer, English stop words, and the derivation of lexicon entries from
//! annotated words. Paths always come from the command line; nothing here is part of factbrief.

#![allow(dead_code)] // each example uses a different part

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// One BABE sentence.
pub struct BabeRow {
    pub text: String,
    /// Some(true) "Biased", Some(false) "Non-biased", None "No agreement".
    pub biased: Option<bool>,
    pub biased_words: Vec<String>,
}

/// Reads BABE's `;`-separated CSV (quoted fields may hold `;` and line breaks).
pub fn read_babe(path: &Path) -> Result<Vec<BabeRow>> {
    let raw = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let raw = raw.trim_start_matches('\u{feff}');
    let records = parse_csv(raw, ';');
    let header = records.first().context("BABE file is empty")?;
    let col = |name: &str| header.iter().position(|h| h.trim() == name).with_context(|| format!("no column {name}"));
    let (text, label, words) = (col("text")?, col("label_bias")?, col("biased_words")?);
    let mut out = Vec::new();
    for r in records.iter().skip(1) {
        if r.len() <= text.max(label).max(words) {
            continue;
        }
        let biased = match r[label].trim() {
            "Biased" => Some(true),
            "Non-biased" => Some(false),
            _ => None,
        };
        out.push(BabeRow { text: r[text].clone(), biased, biased_words: python_list(&r[words]) });
    }
    Ok(out)
}

fn parse_csv(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, c) if c == sep => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// "['flood', \"it's\"]" → ["flood", "it's"].
fn python_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' {
            let word: String = chars.by_ref().take_while(|&d| d != c).collect();
            out.push(word);
        }
    }
    out
}

/// One PTC article with its gold spans (byte offsets) per technique.
pub struct PtcArticle {
    pub id: String,
    pub text: String,
    pub spans: Vec<(String, usize, usize)>,
}

/// Reads `articles/articleN.txt` with `labels/articleN.task2-TC.labels` (character offsets,
/// turned into byte offsets here).
pub fn read_ptc(dir: &Path) -> Result<Vec<PtcArticle>> {
    let mut names: Vec<_> = std::fs::read_dir(dir.join("articles"))
        .with_context(|| format!("cannot list {}/articles", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let id = name.trim_start_matches("article").trim_end_matches(".txt").to_string();
        let text = std::fs::read_to_string(dir.join("articles").join(&name))?;
        let labels = dir.join("labels").join(format!("article{id}.task2-TC.labels"));
        let Ok(labels) = std::fs::read_to_string(&labels) else { continue };
        let bytes = char_to_byte(&text);
        let mut spans = Vec::new();
        for line in labels.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 4 {
                continue;
            }
            let (Ok(a), Ok(b)) = (f[2].parse::<usize>(), f[3].parse::<usize>()) else { continue };
            if a < b && b < bytes.len() {
                spans.push((f[1].to_string(), bytes[a], bytes[b]));
            }
        }
        out.push(PtcArticle { id, text, spans });
    }
    if out.is_empty() {
        bail!("no labelled PTC articles under {}", dir.display());
    }
    Ok(out)
}

/// Byte offset of every char offset (plus the end).
pub fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

/// WNC: parallel lower-cased token lines, biased (`pre.train`) and neutralised (`post.train`).
pub struct Wnc {
    pub pairs: Vec<(Vec<String>, Vec<String>)>,
}

pub fn read_wnc(dir: &Path) -> Result<Wnc> {
    let pre = std::fs::read_to_string(dir.join("pre.train")).context("cannot read WNC pre.train")?;
    let post = std::fs::read_to_string(dir.join("post.train")).context("cannot read WNC post.train")?;
    let split = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    Ok(Wnc { pairs: pre.lines().zip(post.lines()).map(|(a, b)| (split(a), split(b))).collect() })
}

/// A BASIL article: sentences of the flattened body, the text they are joined into (one paragraph
/// a line), each sentence's byte start in it, and the annotated spans (byte ranges in the text).
pub struct BasilArticle {
    pub text: String,
    pub sentences: Vec<(usize, usize)>,
    pub spans: Vec<BasilSpan>,
}

pub struct BasilSpan {
    pub start: usize,
    pub end: usize,
    pub lexical: bool,
    pub quote: bool,
}

pub fn read_basil(dir: &Path) -> Result<Vec<BasilArticle>> {
    let mut files = Vec::new();
    collect_json(&dir.join("articles"), &mut files)?;
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let article: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let rel = file.strip_prefix(dir.join("articles")).unwrap().parent().unwrap().to_path_buf();
        let ann_path = dir.join("annotations").join(rel).join(format!("{stem}_ann.json"));
        let Ok(ann) = std::fs::read_to_string(&ann_path) else { continue };
        let ann: serde_json::Value = serde_json::from_str(&ann)?;
        let mut text = String::new();
        let mut sentences = Vec::new();
        for para in article["body-paragraphs"].as_array().into_iter().flatten() {
            for s in para.as_array().into_iter().flatten() {
                let s = s.as_str().unwrap_or("");
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push(' ');
                }
                sentences.push((text.len(), text.len() + s.len()));
                text.push_str(s);
            }
            text.push('\n');
        }
        let mut spans = Vec::new();
        for p in ann["phrase-level-annotations"].as_array().into_iter().flatten() {
            let id = p["id"].as_str().unwrap_or("");
            let Some(index) = id.strip_prefix('p').and_then(|n| n.parse::<usize>().ok()) else { continue };
            let Some(&(s_start, s_end)) = sentences.get(index) else { continue };
            let bytes = char_to_byte(&text[s_start..s_end]);
            let (Some(a), Some(b)) = (p["start"].as_u64(), p["end"].as_u64()) else { continue };
            let (Some(&a), Some(&b)) = (bytes.get(a as usize), bytes.get(b as usize)) else { continue };
            spans.push(BasilSpan {
                start: s_start + a,
                end: s_start + b,
                lexical: p["bias"] == "lex",
                quote: p["quote"] == "yes",
            });
        }
        out.push(BasilArticle { text, sentences, spans });
    }
    if out.is_empty() {
        bail!("no annotated BASIL articles under {}", dir.display());
    }
    Ok(out)
}

fn collect_json(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let p = e?.path();
        if p.is_dir() {
            collect_json(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// Words: a letter, then letters, apostrophes and hyphens; lower-cased, with byte ranges.
pub fn tokens(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let word_char = c.is_alphabetic() || (start.is_some() && matches!(c, '\'' | '’' | '-'));
        if word_char && start.is_none() {
            start = Some(i);
        }
        let next_ok = chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphabetic() || matches!(n, '\'' | '’' | '-'));
        if let Some(s) = start {
            if !next_ok {
                let end = i + c.len_utf8();
                let word = text[s..end].trim_end_matches(['\'', '’', '-']);
                out.push((word.to_lowercase().replace('’', "'"), s, s + word.len()));
                start = None;
            }
        }
    }
    out
}

pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "said",
    "says",
    "also",
    "s",
    "t",
    "mr",
    "ms",
    "one",
    "two",
];

pub fn is_stop(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// How often an n-gram was annotated as loaded, against how often it occurs at all.
#[derive(Default, Clone, Copy)]
pub struct Count {
    pub hits: usize,
    pub seen: usize,
    pub labels: usize,
}

/// Thresholds per data set: an n-gram is kept when it was annotated at least `min_hits` times
/// and in at least `min_share` of its occurrences.
#[derive(Clone, Copy)]
pub struct Rule {
    pub min_hits: usize,
    pub min_share: f64,
}

pub const BABE_RULE: Rule = Rule { min_hits: 1, min_share: 0.5 };
pub const PTC_RULE: Rule = Rule { min_hits: 2, min_share: 0.5 };
pub const WNC_RULE: Rule = Rule { min_hits: 3, min_share: 0.6 };

fn keep(count: &Count, rule: Rule) -> bool {
    count.hits >= rule.min_hits && count.hits as f64 >= rule.min_share * count.seen as f64
}

/// Ordinary reporting vocabulary that annotators marked in some contexts: not loaded by itself.
pub const NOT_LOADED: &[&str] = &["breach", "cartel", "cartels"];

fn usable(gram: &str) -> bool {
    let words: Vec<&str> = gram.split(' ').collect();
    !NOT_LOADED.contains(&gram)
        && !is_stop(words[0])
        && !is_stop(words[words.len() - 1])
        && gram.len() >= 3
        && gram.chars().all(|c| c.is_ascii_alphabetic() || " '-".contains(c))
}

/// BABE: words listed in `biased_words`, per sentence, against sentences holding them.
pub fn count_babe(rows: &[&BabeRow]) -> BTreeMap<String, Count> {
    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    for row in rows {
        let words: std::collections::BTreeSet<String> = tokens(&row.text).into_iter().map(|t| t.0).collect();
        for w in &words {
            counts.entry(w.clone()).or_default().seen += 1;
        }
        let biased: std::collections::BTreeSet<String> = row.biased_words.iter().map(|w| w.to_lowercase()).collect();
        for w in biased.iter().filter(|w| words.contains(*w)) {
            counts.entry(w.clone()).or_default().hits += 1;
        }
    }
    counts
}

/// PTC: unigrams and bigrams inside a gold Loaded_Language or Name_Calling span, against all
/// their occurrences. `labels` counts the Name_Calling ones.
pub fn count_ptc(articles: &[&PtcArticle]) -> BTreeMap<String, Count> {
    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    for a in articles {
        let gold: Vec<(bool, usize, usize)> = a
            .spans
            .iter()
            .filter(|(t, _, _)| t == "Loaded_Language" || t == "Name_Calling,Labeling")
            .map(|(t, s, e)| (t.starts_with("Name"), *s, *e))
            .collect();
        let toks = tokens(&a.text);
        for n in 1..=2 {
            for w in toks.windows(n) {
                if n == 2 && !a.text[w[0].2..w[1].1].trim().is_empty() {
                    continue;
                }
                let gram = w.iter().map(|t| t.0.as_str()).collect::<Vec<_>>().join(" ");
                let (s, e) = (w[0].1, w[n - 1].2);
                let c = counts.entry(gram).or_default();
                c.seen += 1;
                if let Some(&(label, _, _)) = gold.iter().find(|(_, gs, ge)| *gs <= s && e <= *ge) {
                    c.hits += 1;
                    c.labels += label as usize;
                }
            }
        }
    }
    counts
}

/// WNC: words the neutralising edit removed, against their occurrences in the biased sentences.
pub fn count_wnc(wnc: &Wnc) -> BTreeMap<String, Count> {
    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    for (pre, post) in &wnc.pairs {
        let mut after: BTreeMap<&str, usize> = BTreeMap::new();
        for w in post {
            *after.entry(w).or_default() += 1;
        }
        let mut before: BTreeMap<&str, usize> = BTreeMap::new();
        for w in pre {
            *before.entry(w).or_default() += 1;
        }
        for (w, n) in before {
            let c = counts.entry(w.to_string()).or_default();
            c.seen += n;
            c.hits += n.saturating_sub(after.get(w).copied().unwrap_or(0));
        }
    }
    counts
}

/// A derived entry.
pub struct Derived {
    pub term: String,
    pub category: &'static str,
    pub evidence: String,
}

/// Entries from the three counts, each kept by its own data set's rule, sorted by term.
pub fn derive(
    babe: &BTreeMap<String, Count>,
    ptc: &BTreeMap<String, Count>,
    wnc: &BTreeMap<String, Count>,
) -> Vec<Derived> {
    let mut terms: BTreeMap<&str, ()> = BTreeMap::new();
    for (counts, rule) in [(babe, BABE_RULE), (ptc, PTC_RULE), (wnc, WNC_RULE)] {
        for (gram, c) in counts {
            if usable(gram) && keep(c, rule) {
                terms.insert(gram, ());
            }
        }
    }
    let zero = Count::default();
    terms
        .keys()
        .map(|t| {
            let (b, p, w) = (babe.get(*t).unwrap_or(&zero), ptc.get(*t).unwrap_or(&zero), wnc.get(*t).unwrap_or(&zero));
            Derived {
                term: t.to_string(),
                category: if p.labels * 2 > p.hits { "label" } else { "loaded" },
                evidence: format!(
                    "BABE {}/{} sentences, PTC {}/{} occurrences, WNC {}/{} removed",
                    b.hits, b.seen, p.hits, p.seen, w.hits, w.seen
                ),
            }
        })
        .collect()
}

/// The derived entries as lexicon TOML, skipping terms the hand-written lexicon already finds.
pub fn to_toml(derived: &[Derived], curated: &factbrief::markers::Lexicon) -> String {
    let mut out = String::new();
    for d in derived {
        if curated.find(&d.term).iter().any(|h| h.start == 0 && h.end == d.term.len()) {
            continue;
        }
        out.push_str(&format!(
            "[[term]]\nterm = {:?}\ncategory = {:?}\nreason = \"marked as loaded or biased in annotated news\"\ninflect = false\nderived_from = {:?}\n\n",
            d.term, d.category, d.evidence
        ));
    }
    out
}

/// The line after which `data/lexicon.toml` holds generated entries.
pub const DERIVED_MARKER: &str = "# ---- DERIVED";

/// The hand-written part of a lexicon file.
pub fn curated_part(lexicon_toml: &str) -> &str {
    lexicon_toml.find(DERIVED_MARKER).map_or(lexicon_toml, |i| &lexicon_toml[..i])
}
