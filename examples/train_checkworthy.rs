//! Trains the shipped check-worthiness model: ClaimBuster's crowdsourced.csv (and, if given, the
//! CLEF-2019 training debates) in, a model file out (`data/checkworthy.json` by default). The
//! same data and settings always write the same bytes.
//!
//! cargo run --release --example train_checkworthy -- \
//!     --claimbuster ../shared/eval/claimbuster/crowdsourced.csv \
//!     --clef ../shared/eval/clef2019/training -o data/checkworthy.json

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use factbrief::claims::checkworthy::train::{self, Config};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut claimbuster, mut clef, mut out) = (None, None, PathBuf::from("data/checkworthy.json"));
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--claimbuster" => claimbuster = Some(PathBuf::from(value()?)),
            "--clef" => clef = Some(PathBuf::from(value()?)),
            "-o" | "--output" => out = PathBuf::from(value()?),
            _ => bail!("unknown argument {a}; usage: --claimbuster CSV [--clef DIR] [-o FILE]"),
        }
    }
    let claimbuster = claimbuster.context("--claimbuster CSV is required")?;
    let mut samples = train::load_claimbuster(&claimbuster)?;
    let cb = samples.len();
    if let Some(dir) = &clef {
        samples.extend(train::load_clef(dir)?);
    }
    let cfg = Config::default();
    let prepared = train::Prepared::new(&samples);
    let all: Vec<usize> = (0..samples.len()).collect();
    let mut about = vec![
        "Check-worthiness weights for factbrief: logistic regression over the features of".into(),
        "src/claims/checkworthy/features.rs, written by examples/train_checkworthy.rs.".into(),
        format!("Trained on ClaimBuster crowdsourced.csv ({cb} sentences; Verdict 1 vs 0 and -1)"),
    ];
    if clef.is_some() {
        about.push(format!(
            "and the CLEF-2019 CheckThat! Task 1 training debates ({} sentences; own bias, not shipped).",
            samples.len() - cb
        ));
    }
    about.push(format!(
        "Settings: epochs {}, AdaGrad rate {}, L2 {}, min count {}, CLEF weight {}, normalised {},",
        cfg.epochs, cfg.learning_rate, cfg.l2, cfg.min_count, cfg.clef_weight, cfg.normalize
    ));
    about.push(format!(
        "seed {}; kept the {} largest weights of magnitude >= {}.",
        cfg.seed, cfg.max_weights, cfg.prune
    ));
    about.push(format!(
        "Set by hand from the seeds, not learned: offset {} (news is denser in claims than debates), {} for lines without end punctuation.",
        cfg.offset, cfg.unpunctuated
    ));
    about.push("No sentence of the data is stored here, only feature weights.".into());
    let model = train::train(&samples, &prepared, &all, &cfg, about);
    let mut text = serde_json::to_string_pretty(&model)?;
    text.push('\n');
    std::fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} weights, {} bytes)", out.display(), model.weights.len(), text.len());
    Ok(())
}
