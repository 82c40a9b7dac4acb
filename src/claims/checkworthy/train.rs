//! Training and evaluation helpers for the check-worthiness model: development data files in,
//! a [`ModelFile`] and ranking figures out. Used by `examples/train_checkworthy.rs` (which writes
//! the shipped weights) and `examples/eval_checkworthy.rs` (which measures them); nothing in the
//! brief pipeline calls it.
//!
//! The learner is L2-regularised logistic regression fitted by AdaGrad SGD. Every source of
//! variation is pinned: examples are visited in an order drawn from a fixed-seed SplitMix64
//! generator, features are numbered in first-seen order, and floating-point sums run in the same
//! order, so the same data and settings give the same bytes on every run.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::features::features;
use super::{FORMAT, ModelFile};

/// Which data set a sample comes from. Each gets its own bias while training, because their base
/// rates differ (a quarter of ClaimBuster sentences are check-worthy, one in forty of CLEF's);
/// the shipped bias is ClaimBuster's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corpus {
    ClaimBuster,
    Clef,
}

/// One labelled sentence.
#[derive(Debug, Clone)]
pub struct Sample {
    pub text: String,
    pub label: bool,
    /// ClaimBuster's verdict (1, 0, -1); CLEF's label as 1 or -1.
    pub verdict: i8,
    pub corpus: Corpus,
    /// The debate (file) it comes from; cross-validation holds out whole groups.
    pub group: String,
    pub speaker: String,
}

/// Reads ClaimBuster's `crowdsourced.csv`; `Verdict` 1 (check-worthy factual) is the positive
/// class, 0 (unimportant factual) and -1 (non-factual) the negative.
pub fn load_claimbuster(path: &Path) -> Result<Vec<Sample>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let rows = parse_csv(&text);
    let Some(header) = rows.first() else { bail!("{} is empty", path.display()) };
    let col = |name: &str| {
        header.iter().position(|h| h == name).with_context(|| format!("{} has no column {name}", path.display()))
    };
    let (text_col, verdict_col, file_col, speaker_col) =
        (col("Text")?, col("Verdict")?, col("File_id")?, col("Speaker")?);
    let mut out = Vec::new();
    for row in &rows[1..] {
        if row.len() <= verdict_col.max(text_col).max(file_col) {
            continue;
        }
        out.push(Sample {
            text: repair_mojibake(&row[text_col]),
            label: row[verdict_col].trim() == "1",
            verdict: row[verdict_col].trim().parse().unwrap_or(-1),
            corpus: Corpus::ClaimBuster,
            group: row[file_col].clone(),
            speaker: row.get(speaker_col).cloned().unwrap_or_default(),
        });
    }
    Ok(out)
}

/// About fifty ClaimBuster sentences carry quotes and apostrophes encoded twice over
/// ("80Ãâ‚¬s", "Ã¢â€°Â¥Well"). Each such run of non-ASCII characters is read as the apostrophe or
/// quote it was, so the garbage does not become features.
fn repair_mojibake(text: &str) -> String {
    if !text.contains(['\u{c3}', '\u{e2}']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('\'');
            in_run = true;
        }
    }
    out
}

/// Reads the CLEF-2019 Task 1 folder: one `.tsv` per debate, `line speaker sentence label`.
/// Debates come back in file-name order.
pub fn load_clef(dir: &Path) -> Result<Vec<Sample>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let group = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        for line in text.lines() {
            let parts: Vec<&str> = line.split('\t').collect();
            if parts.len() < 4 {
                continue;
            }
            out.push(Sample {
                text: parts[2].to_string(),
                label: parts[3].trim() == "1",
                verdict: if parts[3].trim() == "1" { 1 } else { -1 },
                corpus: Corpus::Clef,
                group: group.clone(),
                speaker: parts[1].to_string(),
            });
        }
    }
    Ok(out)
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Settings of the learner. The defaults are what trained the shipped model.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub epochs: usize,
    pub learning_rate: f64,
    pub l2: f64,
    /// A feature seen in fewer training sentences is ignored (rare n-grams only add noise).
    pub min_count: usize,
    /// How much one CLEF sentence weighs against one ClaimBuster sentence.
    pub clef_weight: f64,
    /// Weights smaller than this in magnitude are left out of the model file.
    pub prune: f64,
    /// At most this many weights are kept, the largest in magnitude, so the file stays small.
    pub max_weights: usize,
    pub seed: u64,
    /// The target for ClaimBuster's "unimportant factual" sentences (verdict 0).
    pub unimportant: f64,
    /// Scale each sentence's features to unit length, as TF-IDF does, so long sentences do not
    /// win by word count alone.
    pub normalize: bool,
    /// The model file's `offset` and `unpunctuated` (see [`ModelFile`]); set by hand from the
    /// seeds, they move scores but never the ranking of punctuated sentences.
    pub offset: f64,
    pub unpunctuated: f64,
    /// Ship the average of the weights over all updates rather than the last ones (steadier).
    pub average: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            epochs: 10,
            learning_rate: 0.2,
            l2: 1e-5,
            min_count: 2,
            clef_weight: 5.0,
            prune: 0.02,
            max_weights: 40_000,
            seed: 2019,
            unimportant: 0.0,
            normalize: true,
            offset: 0.75,
            unpunctuated: -1.0,
            average: false,
        }
    }
}

/// Samples with their features numbered once, so that many trainings (cross-validation) share
/// the feature extraction.
pub struct Prepared {
    names: Vec<String>,
    rows: Vec<Vec<(u32, f64)>>,
}

impl Prepared {
    pub fn new(samples: &[Sample]) -> Prepared {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut names = Vec::new();
        let rows = samples
            .iter()
            .map(|s| {
                // Repeated features (a bigram said twice) add up, in first-seen order.
                let mut row: Vec<(u32, f64)> = Vec::new();
                for (name, v) in features(&s.text) {
                    let id = *ids.entry(name.clone()).or_insert_with(|| {
                        names.push(name);
                        (names.len() - 1) as u32
                    });
                    match row.iter_mut().find(|(i, _)| *i == id) {
                        Some(slot) => slot.1 += v,
                        None => row.push((id, v)),
                    }
                }
                row
            })
            .collect();
        Prepared { names, rows }
    }
}

/// SplitMix64: a tiny, fixed pseudo-random generator (the visiting order here; the benchmark
/// corpus generator uses it too).
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Fits the model on the samples at `train` (indices into the prepared samples) and returns it
/// as a model file. `about` goes into the file as its provenance note.
pub fn train(samples: &[Sample], prepared: &Prepared, train: &[usize], cfg: &Config, about: Vec<String>) -> ModelFile {
    let n = prepared.names.len();
    let mut count = vec![0usize; n];
    for &i in train {
        for &(f, _) in &prepared.rows[i] {
            count[f as usize] += 1;
        }
    }
    let active: Vec<bool> = count.iter().map(|&c| c >= cfg.min_count).collect();
    let mut w = vec![0.0f64; n];
    let mut g2 = vec![0.0f64; n];
    // For the averaged weights: each update is also added times its step number, so that the
    // mean over all steps is `w - u / steps` (the usual averaged-SGD bookkeeping).
    let mut u = vec![0.0f64; n];
    // Bias per corpus: [ClaimBuster, CLEF].
    let mut bias = [0.0f64; 2];
    let mut bias_g2 = [0.0f64; 2];
    let mut bias_u = [0.0f64; 2];
    let mut order: Vec<usize> = train.to_vec();
    let mut rng = SplitMix(cfg.seed);
    let mut step = 1.0f64;
    const EPS: f64 = 1e-8;
    for _ in 0..cfg.epochs {
        for k in (1..order.len()).rev() {
            let j = (rng.next_u64() % (k as u64 + 1)) as usize;
            order.swap(k, j);
        }
        for &i in &order {
            let s = &samples[i];
            let c = usize::from(s.corpus == Corpus::Clef);
            let row = &prepared.rows[i];
            let scale = if cfg.normalize { row_scale(row) } else { 1.0 };
            let z = bias[c]
                + row.iter().filter(|(f, _)| active[*f as usize]).map(|&(f, v)| w[f as usize] * v).sum::<f64>() * scale;
            let (weight, target) = match (s.corpus, s.verdict) {
                (Corpus::Clef, v) => (cfg.clef_weight, f64::from(u8::from(v == 1))),
                (Corpus::ClaimBuster, 1) => (1.0, 1.0),
                (Corpus::ClaimBuster, 0) => (1.0, cfg.unimportant),
                (Corpus::ClaimBuster, _) => (1.0, 0.0),
            };
            let g = (sigmoid(z) - target) * weight;
            bias_g2[c] += g * g;
            let db = cfg.learning_rate * g / (bias_g2[c] + EPS).sqrt();
            bias[c] -= db;
            bias_u[c] -= step * db;
            for &(f, v) in row {
                let f = f as usize;
                if !active[f] {
                    continue;
                }
                let grad = g * v * scale + cfg.l2 * w[f];
                g2[f] += grad * grad;
                let dw = cfg.learning_rate * grad / (g2[f] + EPS).sqrt();
                w[f] -= dw;
                u[f] -= step * dw;
            }
            step += 1.0;
        }
    }
    if cfg.average {
        for f in 0..n {
            w[f] -= u[f] / step;
        }
        bias[0] -= bias_u[0] / step;
    }
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let mut kept: Vec<usize> = (0..n).filter(|&f| active[f] && w[f].abs() >= cfg.prune).collect();
    // Largest first; ties by feature number, so the cut is reproducible.
    kept.sort_by(|&a, &b| w[b].abs().total_cmp(&w[a].abs()).then(a.cmp(&b)));
    kept.truncate(cfg.max_weights);
    let weights: BTreeMap<String, f64> = kept.into_iter().map(|f| (prepared.names[f].clone(), round(w[f]))).collect();
    ModelFile {
        format: FORMAT.into(),
        about,
        normalize: cfg.normalize,
        bias: round(bias[0]),
        offset: cfg.offset,
        unpunctuated: cfg.unpunctuated,
        weights,
    }
}

/// The factor that scales a sentence's feature vector to unit length. Scoring uses the same, over
/// all the sentence's features (not only those the model keeps), so training and use agree.
pub fn row_scale(row: &[(u32, f64)]) -> f64 {
    let norm = row.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
    if norm > 0.0 { 1.0 / norm } else { 1.0 }
}

/// Average precision of a ranking: scores and labels in document order; ties keep document order.
pub fn average_precision(scores: &[f64], labels: &[bool]) -> f64 {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let (mut hits, mut sum) = (0usize, 0.0);
    for (rank, &i) in idx.iter().enumerate() {
        if labels[i] {
            hits += 1;
            sum += hits as f64 / (rank + 1) as f64;
        }
    }
    if hits == 0 { 0.0 } else { sum / hits as f64 }
}

/// The ClaimBuster files that transcribe the same event as a CLEF debate: those sharing at
/// least a tenth of the debate's longer sentences word for word. Their sentences are left out of
/// training when that debate is measured, so no debate is ever scored by a model that saw it.
pub fn overlapping_groups(claimbuster: &[Sample], debate: &[&Sample]) -> Vec<String> {
    let norm = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ").to_lowercase()
    };
    let mut by_text: HashMap<String, Vec<&str>> = HashMap::new();
    for s in claimbuster {
        by_text.entry(norm(&s.text)).or_default().push(&s.group);
    }
    let mut hits: BTreeMap<&str, usize> = BTreeMap::new();
    for s in debate {
        let t = norm(&s.text);
        if t.split(' ').count() < 6 {
            continue;
        }
        if let Some(groups) = by_text.get(&t) {
            for g in groups {
                *hits.entry(g).or_default() += 1;
            }
        }
    }
    hits.into_iter().filter(|&(_, c)| c * 10 >= debate.len()).map(|(g, _)| g.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reader_handles_quotes() {
        let rows = parse_csv("a,b\n1,\"x, \"\"y\"\"\nz\"\n");
        assert_eq!(rows, vec![vec!["a", "b"], vec!["1", "x, \"y\"\nz"]]);
    }

    #[test]
    fn double_encoded_quotes_become_apostrophes() {
        assert_eq!(repair_mojibake("the 1990\u{c3}\u{e2}\u{201a}\u{ac}s"), "the 1990's");
        assert_eq!(repair_mojibake("caf\u{e9} as is"), "caf\u{e9} as is");
    }

    #[test]
    fn average_precision_by_hand() {
        // Positives at ranks 1 and 3: (1/1 + 2/3) / 2.
        let ap = average_precision(&[0.9, 0.8, 0.7, 0.1], &[true, false, true, false]);
        assert!((ap - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn training_is_deterministic_and_learns() {
        let mk = |t: &str, l: bool| Sample {
            text: t.into(),
            label: l,
            verdict: if l { 1 } else { -1 },
            corpus: Corpus::ClaimBuster,
            group: "g".into(),
            speaker: String::new(),
        };
        let samples: Vec<Sample> = (0..40)
            .flat_map(|i| {
                [mk(&format!("Taxes rose {i} percent in 2010."), true), mk("I think that is wonderful.", false)]
            })
            .collect();
        let prepared = Prepared::new(&samples);
        let all: Vec<usize> = (0..samples.len()).collect();
        let cfg = Config { min_count: 1, ..Config::default() };
        let a = train(&samples, &prepared, &all, &cfg, vec![]);
        let b = train(&samples, &prepared, &all, &cfg, vec![]);
        assert_eq!(a, b);
        let m = super::super::CheckWorthiness::from_file(a).unwrap();
        assert!(m.score("Taxes rose 3 percent.") > 0.5);
        assert!(m.score("I think that is wonderful.") < 0.5);
    }
}
