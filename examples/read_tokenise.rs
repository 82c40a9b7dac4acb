//! The floor the benchmark compares factbrief with: read a folder the way `analyze` does
//! (ingest, decoding) and split every article into lower-cased words, nothing else.
//!
//! ```sh
//! cargo run --release --example read_tokenise -- /tmp/corpus-10000
//! ```
//! Prints the wall time of reading, of tokenising on one thread and on all threads.

use rayon::prelude::*;

fn tokenise(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .fold(0, |n, w| n + usize::from(!w.to_lowercase().is_empty()))
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: read_tokenise DIR");
        std::process::exit(2)
    });
    let start = std::time::Instant::now();
    let corpus = factbrief::ingest::read_folder(std::path::Path::new(&dir), Default::default()).unwrap_or_else(|e| {
        eprintln!("read_tokenise: {e:#}");
        std::process::exit(1)
    });
    let read = start.elapsed();
    let t = std::time::Instant::now();
    let words: usize = corpus.documents.iter().map(|d| tokenise(&d.text)).sum();
    let single = t.elapsed();
    let t = std::time::Instant::now();
    let words_par: usize = corpus.documents.par_iter().map(|d| tokenise(&d.text)).sum();
    let parallel = t.elapsed();
    assert_eq!(words, words_par);
    let bytes: usize = corpus.documents.iter().map(|d| d.text.len()).sum();
    println!(
        "baseline: {} articles, {:.1} MB, {words} words; read {:.0} ms, tokenise {:.0} ms (1 thread) / {:.0} ms (all threads)",
        corpus.documents.len(),
        bytes as f64 / 1e6,
        read.as_secs_f64() * 1000.0,
        single.as_secs_f64() * 1000.0,
        parallel.as_secs_f64() * 1000.0
    );
}
