//! Check-worthiness: a sentence in, a score in 0-1 out. Factual, specific, verifiable
//! statements (figures, named people and bodies, events, dates, attributed statements) score
//! high; opinion, questions and scene-setting score low.
//!
//! The score is a logistic regression over the features of [`features`] (word uni- and bigrams
//! plus interpretable cues). Its weights are `data/checkworthy.json`, embedded in the binary and
//! produced by `examples/train_checkworthy.rs` from the ClaimBuster and CLEF-2019 development
//! data (see the file's `about`); [`train`] holds the trainer so that the shipped weights can be
//! rebuilt bit for bit. Scoring has no state and no randomness: one sentence, one score, always.

pub mod features;
pub mod train;

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// The embedded model file.
pub const MODEL: &str = include_str!("../../../data/checkworthy.json");

/// A model file as stored: a note on its provenance, a bias and named feature weights. The
/// weights are a `BTreeMap` for training to write in a stable order; scoring reads them as a
/// list in file order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ModelFile<W = std::collections::BTreeMap<String, f64>> {
    pub format: String,
    /// Which data trained it, and how; free text for people.
    pub about: Vec<String>,
    /// Whether each sentence's features are scaled to unit length before weighting.
    #[serde(default)]
    pub normalize: bool,
    pub bias: f64,
    /// Added to the margin of every sentence when scoring (not when ranking, see [`CheckWorthiness::margin`]):
    /// the training data are debates where a quarter of sentences are check-worthy, news prose is
    /// denser in claims, so a fixed shift puts its factual sentences above 0.5. Set by hand.
    #[serde(default)]
    pub offset: f64,
    /// Added to the margin of a line that does not end like a sentence (headlines, section
    /// labels). Debate transcripts always end sentences with punctuation, so the model cannot
    /// learn this; the value is set by hand.
    #[serde(default)]
    pub unpunctuated: f64,
    /// Feature name to weight.
    pub weights: W,
}

pub const FORMAT: &str = "factbrief-checkworthy-1";

/// Scores sentences for check-worthiness.
#[derive(Debug, Clone)]
pub struct CheckWorthiness {
    normalize: bool,
    bias: f64,
    offset: f64,
    unpunctuated: f64,
    weights: rustc_hash::FxHashMap<String, f64>,
    /// The word and pair weights again, by token id.
    by_token: TokenWeights,
}

/// The model's word (`w:`) and pair (`b:`) weights by token id. Scoring looks each token of a
/// sentence up once, where writing out and hashing each word and pair name cost a third of the
/// check-worthiness stage.
#[derive(Debug, Clone)]
struct TokenWeights {
    /// Every token named in a word or pair weight or on a cue's word list, and the sentence's
    /// start and end.
    ids: rustc_hash::FxHashMap<Box<str>, u32>,
    /// `w:` weights by id; 0 for a token the model weighs only in pairs, as for an unknown one.
    word: Vec<f64>,
    /// The word lists each token is on ([`features::list_bits`]), by id: a token not in `ids`
    /// is on none.
    lists: Vec<u16>,
    /// `b:` weights by [`pair_key`].
    pair: rustc_hash::FxHashMap<u64, f64>,
    start: u32,
    end: u32,
}

/// A word feature's key in [`CheckWorthiness::margin`]'s merging: the top bit set, which no pair
/// key has (ids stay far below 2^31).
fn word_key(id: u32) -> u64 {
    1 << 63 | u64::from(id)
}

fn pair_key(first: u32, second: u32) -> u64 {
    u64::from(first) << 32 | u64::from(second)
}

/// Whether a feature name is a word's (`w:`) or a pair's (`b:`), weighed in [`TokenWeights`].
fn is_word_or_pair(name: &str) -> bool {
    name.starts_with("w:") || name.starts_with("b:")
}

/// A JSON object of names and weights, as a list in file order.
struct WeightList(Vec<(String, f64)>);

impl<'de> Deserialize<'de> for WeightList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = WeightList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of feature names and weights")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<WeightList, A::Error> {
                let mut list = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    list.push(entry);
                }
                Ok(WeightList(list))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

impl TokenWeights {
    fn new(weights: &[(String, f64)]) -> Self {
        let mut ids: rustc_hash::FxHashMap<Box<str>, u32> = Default::default();
        let mut id = |token: &str| {
            let next = ids.len() as u32;
            *ids.entry(token.into()).or_insert(next)
        };
        let (start, end) = (id(features::SENTENCE_START), id(features::SENTENCE_END));
        let mut word: Vec<(u32, f64)> = Vec::new();
        let mut pair: rustc_hash::FxHashMap<u64, f64> = Default::default();
        for &(ref name, w) in weights {
            if let Some(token) = name.strip_prefix("w:") {
                word.push((id(token), w));
            } else if let Some((a, b)) = name.strip_prefix("b:").and_then(|p| p.split_once(' ')) {
                // Tokens hold no spaces: a name with a second space is no pair's.
                if !b.contains(' ') {
                    pair.insert(pair_key(id(a), id(b)), w);
                }
            }
        }
        // Listed words get ids too (weighing nothing unless named), so that one lookup gives a
        // token's weight and its lists.
        let mut listed: Vec<(&str, u16)> = features::listed_words().collect();
        listed.sort_unstable();
        let listed: Vec<(u32, u16)> = listed.into_iter().map(|(w, bits)| (id(w), bits)).collect();
        let mut by_id = vec![0.0; ids.len()];
        for (k, w) in word {
            by_id[k as usize] = w;
        }
        let mut lists = vec![0; ids.len()];
        for (k, bits) in listed {
            lists[k as usize] = bits;
        }
        TokenWeights { ids, word: by_id, lists, pair, start, end }
    }
}

impl CheckWorthiness {
    /// The shipped model. Parsed once per process: the file is about a megabyte.
    pub fn builtin() -> Self {
        static BUILTIN: OnceLock<CheckWorthiness> = OnceLock::new();
        BUILTIN.get_or_init(|| CheckWorthiness::from_json(MODEL).expect("the embedded model file is valid")).clone()
    }

    /// A model from a file written by the training example.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::from_json(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// A model from the text of a model file. Its weights are read as a list, not into the
    /// [`ModelFile`]'s sorted map: inserting 40,000 names that share their first bytes into a
    /// B-tree was three quarters of reading the shipped model, and that was a fifth of the
    /// start-up of a small run.
    pub fn from_json(text: &str) -> Result<Self> {
        let mut file: ModelFile<WeightList> = serde_json::from_str(text)?;
        let mut weights = std::mem::take(&mut file.weights.0);
        // As the map would have it: in name order, the last of a repeated name kept. The file is
        // written in name order, so sorting finds it so.
        weights.reverse();
        weights.sort_by(|a, b| a.0.cmp(&b.0));
        weights.dedup_by(|later, first| later.0 == first.0);
        Self::from_parts(&file, weights)
    }

    pub fn from_file(mut file: ModelFile) -> Result<Self> {
        let weights = std::mem::take(&mut file.weights).into_iter().collect();
        Self::from_parts(&file, weights)
    }

    /// The model of `file`, with `weights` (in name order, each name once) for its own.
    fn from_parts<W>(file: &ModelFile<W>, weights: Vec<(String, f64)>) -> Result<Self> {
        if file.format != FORMAT {
            bail!("unknown model format {:?} (expected {FORMAT:?})", file.format);
        }
        if !file.bias.is_finite() || weights.iter().any(|(_, w)| !w.is_finite()) {
            bail!("model has a weight that is not a finite number");
        }
        Ok(CheckWorthiness {
            normalize: file.normalize,
            bias: file.bias,
            offset: file.offset,
            unpunctuated: file.unpunctuated,
            by_token: TokenWeights::new(&weights),
            // Words and pairs are weighed by token id; only the cues are looked up by name.
            weights: weights.into_iter().filter(|(name, _)| !is_word_or_pair(name)).collect(),
        })
    }

    /// The learned linear score (log-odds) of a sentence, without the hand-set offsets: what the
    /// evaluation ranks by.
    pub fn margin(&self, sentence: &str) -> f64 {
        // Repeated features are merged first, exactly as in training; then summed in first-seen
        // order, which is fixed by the sentence, so the sum is reproducible. Words and pairs are
        // merged and weighed by token id (see [`TokenWeights`]), each token looked up once as it
        // is read. The cues come last, each at most once, so they need no merging; only they are
        // written out, for the weight lookup.
        let by_token = &self.by_token;
        // Sized once (about two features per five bytes): growing step by step was most of the
        // merging.
        let capacity = sentence.len() / 2 + 8;
        let mut merged: Vec<(u64, f64)> = Vec::with_capacity(capacity);
        let mut slot_of: rustc_hash::FxHashMap<u64, u32> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(capacity, Default::default());
        let mut add = |key: u64| match slot_of.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => merged[*e.get() as usize].1 += 1.0,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(merged.len() as u32);
                merged.push((key, 1.0));
            }
        };
        // A token the model never names gets a fresh id past the known ones, the same for each
        // of its repeats, so that merging still counts them.
        let mut unknown: rustc_hash::FxHashMap<Box<str>, u32> = Default::default();
        let mut seen = features::TokenCues::default();
        // As `features::each_feature` hands them on: each word and the pair it ends, the pair
        // that ends the sentence, then the cues.
        let mut prev = by_token.start;
        features::each_token(sentence, |token| {
            let id = match by_token.ids.get(token) {
                Some(&id) => id,
                None => match unknown.get(token) {
                    Some(&id) => id,
                    None => {
                        let next = (by_token.ids.len() + unknown.len()) as u32;
                        unknown.insert(token.into(), next);
                        next
                    }
                },
            };
            seen.add(token, by_token.lists.get(id as usize).copied().unwrap_or(0));
            add(word_key(id));
            add(pair_key(prev, id));
            prev = id;
        });
        add(pair_key(prev, by_token.end));
        let mut cues: Vec<(features::Name<'static>, f64)> = Vec::with_capacity(32);
        features::each_cue_of(sentence, &seen, |name, v| cues.push((name, v)));
        let values = || merged.iter().map(|&(_, v)| v).chain(cues.iter().map(|&(_, v)| v));
        let scale = if self.normalize {
            let norm = values().map(|v| v * v).sum::<f64>().sqrt();
            if norm > 0.0 { 1.0 / norm } else { 1.0 }
        } else {
            1.0
        };
        let weight = |key: u64| {
            if key >> 63 == 1 {
                by_token.word.get(key as u32 as usize).copied().unwrap_or(0.0)
            } else {
                by_token.pair.get(&key).copied().unwrap_or(0.0)
            }
        };
        let mut written = String::new();
        let mut cue_weight = |name: features::Name<'static>| {
            written.clear();
            name.write_to(&mut written);
            self.weights.get(written.as_str()).copied().unwrap_or(0.0)
        };
        merged
            .iter()
            .map(|&(key, v)| weight(key) * v)
            .chain(cues.iter().map(|&(name, v)| cue_weight(name) * v))
            .sum::<f64>()
            * scale
            + self.bias
    }

    /// The check-worthiness of a sentence in 0-1.
    pub fn score(&self, sentence: &str) -> f64 {
        if sentence.split_whitespace().nth(2).is_none() {
            // Fragments ("Intelligence Halt:", "Date:") are labels, never claims.
            return 0.01;
        }
        let end = sentence.trim_end().trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
        let punctuated = end.ends_with(['.', '!', '?', ':', ';', '\u{2026}']);
        let z = self.margin(sentence) + self.offset + if punctuated { 0.0 } else { self.unpunctuated };
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_read_as_a_list_scores_as_read_into_the_files_map() {
        let by_map = |text: &str| CheckWorthiness::from_file(serde_json::from_str::<ModelFile>(text).unwrap()).unwrap();
        let (listed, mapped) = (CheckWorthiness::from_json(MODEL).unwrap(), by_map(MODEL));
        for sentence in crate::seed_pieces() {
            assert_eq!(listed.margin(&sentence).to_bits(), mapped.margin(&sentence).to_bits(), "{sentence:?}");
        }
        // A name given twice keeps its last weight, as the map keeps it.
        let twice = r#"{"format": "factbrief-checkworthy-1", "about": [], "bias": 0.5,
            "weights": {"w:<num>": 9.0, "f:question": 1.0, "w:killed": 2.0, "w:<num>": 3.0, "f:question": -1.0}}"#;
        let (listed, mapped) = (CheckWorthiness::from_json(twice).unwrap(), by_map(twice));
        for sentence in ["Were 76 killed?", "76 were killed.", "Nothing."] {
            assert_eq!(listed.margin(sentence).to_bits(), mapped.margin(sentence).to_bits(), "{sentence:?}");
        }
        assert!(
            listed.margin("Were 76 killed?")
                != CheckWorthiness::from_json(&twice.replace("3.0", "9.0")).unwrap().margin("Were 76 killed?")
        );
    }

    #[test]
    fn builtin_model_loads_and_is_in_range() {
        let m = CheckWorthiness::builtin();
        for s in ["The strikes have killed at least 76 people since September.", "What a shame.", "", "Yes."] {
            let v = m.score(s);
            assert!((0.0..=1.0).contains(&v), "{s}: {v}");
        }
    }

    #[test]
    fn clear_examples_are_ordered() {
        let m = CheckWorthiness::builtin();
        let pairs = [
            ("The strikes have killed at least 76 people since September.", "What a shame."),
            ("The United Kingdom has suspended sharing intelligence with the United States.", "Is this the end?"),
            ("Unemployment fell to 3.7 percent in 2018, the Labor Department said.", "I think we can do better."),
            (
                "Colombia's president ordered the military to halt intelligence sharing on Tuesday.",
                "Thank you very much.",
            ),
            ("The Pentagon said 19 vessels had been destroyed in the Caribbean.", "The sun set slowly over the sea."),
        ];
        for (hi, lo) in pairs {
            assert!(m.score(hi) > m.score(lo), "{hi} ({}) <= {lo} ({})", m.score(hi), m.score(lo));
        }
        assert!(m.score("The strikes have killed at least 76 people since September.") >= 0.5);
        assert!(m.score("What a shame.") < 0.5);
    }

    /// The margin as the trainer sees it: every feature's name written out, merged by name.
    fn margin_by_written_names(m: &CheckWorthiness, sentence: &str) -> f64 {
        let mut merged: Vec<(String, f64)> = Vec::new();
        for (name, v) in features::features(sentence) {
            match merged.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 += v,
                None => merged.push((name, v)),
            }
        }
        let norm = merged.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
        let scale = if m.normalize && norm > 0.0 { 1.0 / norm } else { 1.0 };
        let file: ModelFile = serde_json::from_str(MODEL).unwrap();
        merged.iter().map(|(name, v)| file.weights.get(name).map_or(0.0, |w| w * v)).sum::<f64>() * scale + m.bias
    }

    #[test]
    fn margin_is_the_trainers_to_the_bit() {
        let m = CheckWorthiness::builtin();
        let mut sentences = crate::seed_pieces();
        sentences.extend(
            ["the the the the", "Said said, SAID said 76 76 people in 2019 2019 and $5 $5.", "", "?? ? ?"]
                .map(String::from),
        );
        for s in &sentences {
            assert_eq!(m.margin(s).to_bits(), margin_by_written_names(&m, s).to_bits(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn margin_is_the_trainers_on_any_words(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "the", "The", "said", "76", "2019", "people", "killed", "zqxv", "Zqxv", "?", "$5", "%",
                "I", "we", "not", "can't", "Pentagon", "officials", "according", "to", ",", ".", "!",
                "\u{201c}", "café", "<s>", "</s>", "b:", "w:x",
            ]), 0..40),
        ) {
            let m = CheckWorthiness::builtin();
            let s = words.join(" ");
            proptest::prop_assert_eq!(m.margin(&s).to_bits(), margin_by_written_names(&m, &s).to_bits(), "{:?}", s);
        }
    }

    #[test]
    fn scores_are_deterministic() {
        let a = CheckWorthiness::from_json(MODEL).unwrap();
        let b = CheckWorthiness::builtin();
        let s = "France has condemned the strikes as extrajudicial killings, its foreign minister said.";
        assert_eq!(a.score(s).to_bits(), b.score(s).to_bits());
        assert_eq!(a.score(s).to_bits(), a.score(s).to_bits());
    }

    #[test]
    fn model_files_load_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let file: ModelFile = ModelFile {
            format: FORMAT.into(),
            about: vec!["test".into()],
            normalize: false,
            offset: 0.0,
            unpunctuated: 0.0,
            bias: -1.0,
            weights: [("f:digits".to_string(), 3.0)].into_iter().collect(),
        };
        std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
        let m = CheckWorthiness::load(&path).unwrap();
        assert!(m.score("There were 76 of them.") > 0.8);
        assert!(m.score("There were none of them.") < 0.3);
        std::fs::write(&path, r#"{"format":"other","about":[],"bias":0,"weights":{}}"#).unwrap();
        assert!(CheckWorthiness::load(&path).is_err());
        assert!(CheckWorthiness::load(&dir.path().join("missing.json")).is_err());
    }
}
