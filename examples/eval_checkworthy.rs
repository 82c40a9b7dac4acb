//! Measures check-worthiness ranking: the development data in, mean average precision per CLEF-2019
//! training debate out, under protocols where no debate is scored by a model that saw it:
//!
//! - `cb`: trained on ClaimBuster only, less any ClaimBuster file transcribing the same debate;
//! - `cb+clef`: the same plus the other 18 CLEF debates (leave one debate out) — the protocol
//!   of the shipped model's recipe.
//!
//! With `--peer FILE` (the TSV `debate<TAB>AP` written by `peers/checkworthy_tfidf_lr.py`) the
//! scikit-learn peer is printed beside each debate.
//!
//! cargo run --release --example eval_checkworthy -- \
//!     --claimbuster ../shared/eval/claimbuster/crowdsourced.csv \
//!     --clef ../shared/eval/clef2019/training [--peer peer.tsv]

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use factbrief::claims::checkworthy::CheckWorthiness;
use factbrief::claims::checkworthy::train::{self, Config, Corpus, Sample};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut claimbuster, mut clef, mut peer, mut dump) = (None, None, None, None);
    let mut cfg = Config::default();
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--claimbuster" => claimbuster = Some(PathBuf::from(value()?)),
            "--clef" => clef = Some(PathBuf::from(value()?)),
            "--peer" => peer = Some(PathBuf::from(value()?)),
            // Writes `debate line speaker label cb cb+clef` margins, one sentence a line.
            "--dump" => dump = Some(PathBuf::from(value()?)),
            // Overrides for exploring the learner; the defaults are the shipped recipe.
            "--epochs" => cfg.epochs = value()?.parse()?,
            "--rate" => cfg.learning_rate = value()?.parse()?,
            "--l2" => cfg.l2 = value()?.parse()?,
            "--min-count" => cfg.min_count = value()?.parse()?,
            "--clef-weight" => cfg.clef_weight = value()?.parse()?,
            "--prune" => cfg.prune = value()?.parse()?,
            "--max-weights" => cfg.max_weights = value()?.parse()?,
            "--unimportant" => cfg.unimportant = value()?.parse()?,
            "--normalize" => cfg.normalize = value()?.parse()?,
            "--average" => cfg.average = value()?.parse()?,
            _ => bail!("unknown argument {a}; usage: --claimbuster CSV --clef DIR [--peer TSV]"),
        }
    }
    let cb = train::load_claimbuster(&claimbuster.context("--claimbuster CSV is required")?)?;
    let clef = train::load_clef(&clef.context("--clef DIR is required")?)?;
    let peer: BTreeMap<String, f64> = match &peer {
        Some(p) => std::fs::read_to_string(p)
            .with_context(|| format!("reading {}", p.display()))?
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter_map(|(d, ap)| Some((d.to_string(), ap.trim().parse().ok()?)))
            .collect(),
        None => BTreeMap::new(),
    };

    let samples: Vec<Sample> = cb.iter().chain(&clef).cloned().collect();
    let prepared = train::Prepared::new(&samples);
    let mut debates: Vec<String> = clef.iter().map(|s| s.group.clone()).collect();
    debates.dedup();

    println!("Check-worthiness, CLEF-2019 training debates: average precision per debate");
    println!("(no debate is scored by a model trained on it or on a ClaimBuster copy of it)");
    println!();
    println!(
        "{:<28} {:>5} {:>4} {:>8} {:>8} {:>8}  excluded ClaimBuster files",
        "debate", "sents", "pos", "cb", "cb+clef", "peer"
    );
    let (mut sum_cb, mut sum_both, mut sum_peer) = (0.0, 0.0, 0.0);
    let mut dumped = String::new();
    for debate in &debates {
        let held: Vec<&Sample> = clef.iter().filter(|s| &s.group == debate).collect();
        let excluded = train::overlapping_groups(&cb, &held);
        let keep_cb = |s: &Sample| s.corpus == Corpus::ClaimBuster && !excluded.contains(&s.group);
        let only_cb: Vec<usize> = (0..samples.len()).filter(|&i| keep_cb(&samples[i])).collect();
        let both: Vec<usize> = (0..samples.len())
            .filter(|&i| keep_cb(&samples[i]) || (samples[i].corpus == Corpus::Clef && &samples[i].group != debate))
            .collect();
        let labels: Vec<bool> = held.iter().map(|s| s.label).collect();
        let margins = |train_on: &[usize]| -> Result<Vec<f64>> {
            let model = CheckWorthiness::from_file(train::train(&samples, &prepared, train_on, &cfg, vec![]))?;
            Ok(held.iter().map(|s| model.margin(&s.text)).collect())
        };
        let (ma, mb) = (margins(&only_cb)?, margins(&both)?);
        let (a, b) = (train::average_precision(&ma, &labels), train::average_precision(&mb, &labels));
        for (k, s) in held.iter().enumerate() {
            dumped.push_str(&format!(
                "{debate}\t{k}\t{}\t{}\t{:.5}\t{:.5}\n",
                s.speaker,
                u8::from(s.label),
                ma[k],
                mb[k]
            ));
        }
        sum_cb += a;
        sum_both += b;
        let p = peer.get(debate).copied();
        sum_peer += p.unwrap_or(0.0);
        let p = p.map_or("-".to_string(), |p| format!("{p:.4}"));
        let pos = labels.iter().filter(|&&l| l).count();
        println!("{debate:<28} {:>5} {pos:>4} {a:>8.4} {b:>8.4} {p:>8}  {}", held.len(), excluded.join(" "));
    }
    let n = debates.len() as f64;
    let peer_map = if peer.len() == debates.len() { format!("{:.4}", sum_peer / n) } else { "-".into() };
    println!("{:<28} {:>5} {:>4} {:>8.4} {:>8.4} {:>8}", "MAP", "", "", sum_cb / n, sum_both / n, peer_map);
    println!();
    println!("settings: {cfg:?}");
    if let Some(path) = dump {
        std::fs::write(&path, dumped).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
