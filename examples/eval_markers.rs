//! Measures the markers stage on annotated news and prints each figure next to the baseline
//! "flag every word of the Recasens NPOV lexicon":
//!
//! ```sh
//! cargo run --release --example eval_markers -- --babe ../shared/eval/babe/sg1.csv \
//!     --ptc ../shared/eval/ptc --basil ../shared/eval/basil \
//!     --npov ../shared/eval/lexicons/npov_lexicon.txt [--wnc ../shared/eval/wnc] [--folds 5]
//! ```
//!
//! The shipped lexicon's derived part comes from BABE and PTC (see `derive_lexicon`; pass
//! `--wnc` here only if the lexicon was derived with it too), so no
//! figure is measured on data it was derived from: BABE and PTC are scored by k-fold
//! cross-validation (the derived entries rebuilt from the other folds, plus the hand-written
//! part), BASIL with the shipped lexicon, which never saw it.
//!
//! - BABE: a sentence is flagged when it holds an outlet-voice marker; macro-F1 against
//!   `label_bias` (Biased / Non-biased; "No agreement" left out). Word level: share of
//!   `biased_words` (stop words left out) that a marker (any voice) covers.
//! - PTC: markers (any voice) as spans against gold `Loaded_Language` and
//!   `Name_Calling,Labeling` spans (overlapping gold merged), SemEval-2020 Task 11 partial-overlap
//!   precision and recall.
//! - BASIL: recall of `bias: lex` spans overlapped by a marker; precision = share of markers
//!   overlapping any annotated span; voice agreement = for markers inside annotated spans,
//!   `voice == quoted` against the span's `quote: yes`.

#[path = "support/evaldata.rs"]
mod evaldata;

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{Context, Result};
use evaldata::{BabeRow, PtcArticle};
use factbrief::brief::{Position, Voice};
use factbrief::markers::{self, Lexicon, SentenceView};

struct Args {
    babe: PathBuf,
    ptc: PathBuf,
    basil: PathBuf,
    npov: PathBuf,
    wnc: Option<PathBuf>,
    folds: usize,
}

fn parse_args() -> Result<Args> {
    let mut args = std::env::args().skip(1);
    let (mut babe, mut ptc, mut basil, mut npov, mut wnc, mut folds) = (None, None, None, None, None, 5);
    while let Some(flag) = args.next() {
        let value = args.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--babe" => babe = Some(PathBuf::from(value)),
            "--ptc" => ptc = Some(PathBuf::from(value)),
            "--basil" => basil = Some(PathBuf::from(value)),
            "--npov" => npov = Some(PathBuf::from(value)),
            "--wnc" => wnc = Some(PathBuf::from(value)),
            "--folds" => folds = value.parse().context("--folds takes a number")?,
            _ => anyhow::bail!(
                "unknown flag {flag}; use --babe FILE --ptc DIR --basil DIR --npov FILE [--wnc DIR] [--folds N]"
            ),
        }
    }
    Ok(Args {
        babe: babe.context("--babe FILE is required")?,
        ptc: ptc.context("--ptc DIR is required")?,
        basil: basil.context("--basil DIR is required")?,
        npov: npov.context("--npov FILE is required")?,
        wnc,
        folds: folds.max(2),
    })
}

/// A found span and whether it is in the outlet's voice / in quotes.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    outlet: bool,
    quoted: bool,
}

/// Runs the markers stage over `text` cut into `sentences`.
fn run(lexicon: &Lexicon, text: &str, sentences: &[(usize, usize)]) -> Vec<Span> {
    let views: Vec<SentenceView> =
        sentences.iter().map(|&(start, end)| SentenceView { start, end, position: Position::Body }).collect();
    markers::find(lexicon, "eval", text, &views)
        .into_iter()
        .map(|m| Span {
            start: m.start,
            end: m.end,
            outlet: m.voice == Voice::Outlet,
            quoted: m.voice == Voice::Quoted,
        })
        .collect()
}

/// The baseline: every word of the NPOV lexicon, no voice.
fn baseline(npov: &BTreeSet<String>, text: &str) -> Vec<Span> {
    evaldata::tokens(text)
        .into_iter()
        .filter(|(w, _, _)| npov.contains(w))
        .map(|(_, start, end)| Span { start, end, outlet: true, quoted: false })
        .collect()
}

fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.trim_end().len();
        if end > start {
            out.push((start, end));
        }
        start += line.len();
    }
    out
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

fn macro_f1(gold: &[bool], pred: &[bool]) -> f64 {
    let count = |g: bool, p: bool| gold.iter().zip(pred).filter(|&(&a, &b)| a == g && b == p).count() as f64;
    let (tp, fp, fn_, tn) = (count(true, true), count(false, true), count(true, false), count(false, false));
    let class_f1 = |tp: f64, fp: f64, fn_: f64| f1(tp / (tp + fp).max(1.0), tp / (tp + fn_).max(1.0));
    (class_f1(tp, fp, fn_) + class_f1(tn, fn_, fp)) / 2.0
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.0 < last.1 => last.1 = last.1.max(s.1),
            _ => out.push(s),
        }
    }
    out
}

/// BABE: (macro-F1 inputs: gold, predicted) and (word hits, words).
struct BabeScore {
    gold: Vec<bool>,
    pred: Vec<bool>,
    words_hit: usize,
    words: usize,
}

fn score_babe(rows: &[&BabeRow], find: &dyn Fn(&str) -> Vec<Span>, score: &mut BabeScore) {
    for row in rows {
        let spans = find(&row.text);
        if let Some(biased) = row.biased {
            score.gold.push(biased);
            score.pred.push(spans.iter().any(|s| s.outlet));
        }
        let toks = evaldata::tokens(&row.text);
        let wanted: BTreeSet<String> =
            row.biased_words.iter().map(|w| w.to_lowercase()).filter(|w| !evaldata::is_stop(w)).collect();
        for w in wanted {
            let places: Vec<(usize, usize)> = toks.iter().filter(|t| t.0 == w).map(|t| (t.1, t.2)).collect();
            if places.is_empty() {
                continue; // a listed word that is not in the sentence as a word
            }
            score.words += 1;
            if places.iter().any(|&p| spans.iter().any(|s| overlap(p, (s.start, s.end)) > 0)) {
                score.words_hit += 1;
            }
        }
    }
}

/// PTC partial-overlap sums: (precision sum, predictions, recall sum, gold spans).
fn score_ptc(articles: &[&PtcArticle], find: &dyn Fn(&str) -> Vec<Span>, acc: &mut [f64; 4]) {
    for a in articles {
        let gold = merge(
            a.spans
                .iter()
                .filter(|(t, _, _)| t == "Loaded_Language" || t == "Name_Calling,Labeling")
                .map(|(_, s, e)| (*s, *e))
                .collect(),
        );
        let pred = merge(find(&a.text).iter().map(|s| (s.start, s.end)).collect());
        for &s in &pred {
            acc[0] += gold.iter().map(|&g| overlap(s, g)).sum::<usize>() as f64 / (s.1 - s.0) as f64;
        }
        for &g in &gold {
            acc[2] += pred.iter().map(|&s| overlap(s, g)).sum::<usize>() as f64 / (g.1 - g.0) as f64;
        }
        acc[1] += pred.len() as f64;
        acc[3] += gold.len() as f64;
    }
}

struct BasilScore {
    lex_hit: usize,
    lex: usize,
    inside: usize,
    markers: usize,
    voice_agree: usize,
    voice_n: usize,
}

/// Finds markers in an article's text cut into the given sentences.
type FindInArticle<'a> = &'a dyn Fn(&str, &[(usize, usize)]) -> Vec<Span>;

fn score_basil(articles: &[evaldata::BasilArticle], find: FindInArticle) -> BasilScore {
    let mut s = BasilScore { lex_hit: 0, lex: 0, inside: 0, markers: 0, voice_agree: 0, voice_n: 0 };
    for a in articles {
        let spans = find(&a.text, &a.sentences);
        for lex in a.spans.iter().filter(|x| x.lexical) {
            s.lex += 1;
            if spans.iter().any(|m| overlap((m.start, m.end), (lex.start, lex.end)) > 0) {
                s.lex_hit += 1;
            }
        }
        for m in &spans {
            s.markers += 1;
            if let Some(ann) = a.spans.iter().find(|x| overlap((m.start, m.end), (x.start, x.end)) > 0) {
                s.inside += 1;
                s.voice_n += 1;
                if m.quoted == ann.quote {
                    s.voice_agree += 1;
                }
            }
        }
    }
    s
}

fn lexicon_for(curated: &str, derived: &[evaldata::Derived]) -> Result<Lexicon> {
    let curated_lexicon = Lexicon::from_texts(&[curated.to_string()])?;
    Lexicon::from_texts(&[curated.to_string(), evaldata::to_toml(derived, &curated_lexicon)])
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let babe = evaldata::read_babe(&args.babe)?;
    let ptc = evaldata::read_ptc(&args.ptc)?;
    let basil = evaldata::read_basil(&args.basil)?;
    let npov: BTreeSet<String> = std::fs::read_to_string(&args.npov)
        .with_context(|| format!("cannot read {}", args.npov.display()))?
        .lines()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    let wnc_counts = match &args.wnc {
        Some(dir) => evaldata::count_wnc(&evaldata::read_wnc(dir)?),
        None => Default::default(),
    };
    let curated = evaldata::curated_part(factbrief::data::LEXICON);
    let k = args.folds;

    // BABE, k-fold: the BABE-derived entries come from the other folds only.
    let ptc_all = evaldata::count_ptc(&ptc.iter().collect::<Vec<_>>());
    let mut ours = BabeScore { gold: vec![], pred: vec![], words_hit: 0, words: 0 };
    for fold in 0..k {
        let train: Vec<&BabeRow> = babe.iter().enumerate().filter(|(i, _)| i % k != fold).map(|(_, r)| r).collect();
        let test: Vec<&BabeRow> = babe.iter().enumerate().filter(|(i, _)| i % k == fold).map(|(_, r)| r).collect();
        let lexicon = lexicon_for(curated, &evaldata::derive(&evaldata::count_babe(&train), &ptc_all, &wnc_counts))?;
        score_babe(&test, &|t| run(&lexicon, t, &[(0, t.len())]), &mut ours);
    }
    let mut base = BabeScore { gold: vec![], pred: vec![], words_hit: 0, words: 0 };
    score_babe(&babe.iter().collect::<Vec<_>>(), &|t| baseline(&npov, t), &mut base);

    // PTC, k-fold by article: the PTC-derived entries come from the other folds only.
    let babe_all = evaldata::count_babe(&babe.iter().collect::<Vec<_>>());
    let mut ptc_ours = [0.0; 4];
    for fold in 0..k {
        let train: Vec<&PtcArticle> = ptc.iter().enumerate().filter(|(i, _)| i % k != fold).map(|(_, a)| a).collect();
        let test: Vec<&PtcArticle> = ptc.iter().enumerate().filter(|(i, _)| i % k == fold).map(|(_, a)| a).collect();
        let lexicon = lexicon_for(curated, &evaldata::derive(&babe_all, &evaldata::count_ptc(&train), &wnc_counts))?;
        score_ptc(&test, &|t| run(&lexicon, t, &lines(t)), &mut ptc_ours);
    }
    let mut ptc_base = [0.0; 4];
    score_ptc(&ptc.iter().collect::<Vec<_>>(), &|t| baseline(&npov, t), &mut ptc_base);

    // BASIL: held out from every derivation; the shipped lexicon as users get it.
    let shipped = Lexicon::from_texts(&[factbrief::data::LEXICON.to_string()])?;
    let basil_ours = score_basil(&basil, &|t, s| run(&shipped, t, s));
    let basil_base = score_basil(&basil, &|t, _| baseline(&npov, t));

    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let ptc_prf = |acc: &[f64; 4]| {
        let (p, r) = (acc[0] / acc[1].max(1.0), acc[2] / acc[3].max(1.0));
        (p, r, f1(p, r))
    };
    let (pp, pr, pf) = ptc_prf(&ptc_ours);
    let (bp, br, bf) = ptc_prf(&ptc_base);
    println!("markers evaluation (lexicon: {} hand-written entries; derived part rebuilt per fold)", {
        Lexicon::from_texts(&[curated.to_string()])?.entries().len()
    });
    println!("{:<58} {:>7} {:>9} {:>8}", "figure", "ours", "baseline", "target");
    let row = |name: &str, ours: f64, base: Option<f64>, target: &str| {
        let base = base.map_or("-".to_string(), |b| format!("{b:.3}"));
        println!("{name:<58} {ours:>7.3} {base:>9} {target:>8}");
    };
    let babe_n = ours.gold.len();
    row(
        &format!("BABE sentence macro-F1 ({babe_n} sentences, {k}-fold)"),
        macro_f1(&ours.gold, &ours.pred),
        Some(macro_f1(&base.gold, &base.pred)),
        ">= 0.70",
    );
    row(
        &format!(
            "BABE share of sentences flagged (gold biased {:.3})",
            ratio(ours.gold.iter().filter(|&&g| g).count(), babe_n)
        ),
        ratio(ours.pred.iter().filter(|&&p| p).count(), babe_n),
        Some(ratio(base.pred.iter().filter(|&&p| p).count(), base.gold.len())),
        "",
    );
    row(
        &format!("BABE biased_words recall ({} words, {k}-fold)", ours.words),
        ratio(ours.words_hit, ours.words),
        Some(ratio(base.words_hit, base.words)),
        "",
    );
    row(&format!("PTC span precision ({} articles, {k}-fold)", ptc.len()), pp, Some(bp), "");
    row("PTC span recall", pr, Some(br), "");
    row("PTC span F1", pf, Some(bf), ">= 0.30");
    row(
        &format!("BASIL lex-span recall ({} spans, {} articles, held out)", basil_ours.lex, basil.len()),
        ratio(basil_ours.lex_hit, basil_ours.lex),
        Some(ratio(basil_base.lex_hit, basil_base.lex)),
        ">= 0.35",
    );
    row(
        &format!("BASIL marker precision ({} markers; baseline {})", basil_ours.markers, basil_base.markers),
        ratio(basil_ours.inside, basil_ours.markers),
        Some(ratio(basil_base.inside, basil_base.markers)),
        ">= 0.35",
    );
    row(
        &format!("BASIL voice agreement ({} markers in spans)", basil_ours.voice_n),
        ratio(basil_ours.voice_agree, basil_ours.voice_n),
        None,
        ">= 0.90",
    );
    Ok(())
}
