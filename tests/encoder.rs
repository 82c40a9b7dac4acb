//! The optional sentence-embedding path (`--embeddings`), with stand-in encoders so that it runs
//! without the model: the grouping reads the encoder's vectors, and asks for them once.

use std::sync::atomic::{AtomicUsize, Ordering};

use factbrief::claims::Encoder;
use factbrief::{Config, analyze, ingest};

/// Every sentence gets the same unit vector (`alike`) or its own axis (not `alike`), and each
/// call is counted.
struct StandIn {
    alike: bool,
    calls: AtomicUsize,
    sentences: AtomicUsize,
}

impl StandIn {
    fn new(alike: bool) -> Self {
        StandIn { alike, calls: AtomicUsize::new(0), sentences: AtomicUsize::new(0) }
    }
}

impl Encoder for &'static StandIn {
    fn encode(&self, sentences: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.sentences.fetch_add(sentences.len(), Ordering::Relaxed);
        Ok((0..sentences.len())
            .map(|i| {
                let mut v = vec![0.0; if self.alike { 1 } else { sentences.len() }];
                v[if self.alike { 0 } else { i }] = 1.0;
                v
            })
            .collect())
    }
}

fn claims_with(encoder: Option<&'static StandIn>) -> usize {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let corpus = ingest::read_folder(&seeds, ingest::Limits::default()).unwrap();
    let config = Config { encoder: encoder.map(|e| Box::new(e) as Box<dyn Encoder>), ..Config::default() };
    analyze(&corpus, &config).unwrap().claims.len()
}

#[test]
fn the_grouping_reads_the_encoders_vectors() {
    let lexical = claims_with(None);
    let alike: &'static StandIn = Box::leak(Box::new(StandIn::new(true)));
    let apart: &'static StandIn = Box::leak(Box::new(StandIn::new(false)));
    let (merged, split) = (claims_with(Some(alike)), claims_with(Some(apart)));
    // Sentences the encoder calls identical merge more than words alone merge them; sentences it
    // calls unrelated never reach the threshold, so each wording stands alone.
    assert!(merged < lexical, "{merged} claims with identical vectors, {lexical} without an encoder");
    assert!(split > lexical, "{split} claims with unrelated vectors, {lexical} without an encoder");
    for encoder in [alike, apart] {
        assert_eq!(encoder.calls.load(Ordering::Relaxed), 1, "the wordings are encoded in one call");
        assert_eq!(encoder.sentences.load(Ordering::Relaxed), split, "each wording is encoded once");
    }
}
