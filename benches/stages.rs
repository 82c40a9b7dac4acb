//! Criterion benchmarks of factbrief's stages on the seed articles (each stage on all five, and
//! the whole analysis on the seeds repeated 40 times). `cargo bench`; the corpus-scale figures
//! come from `scripts/bench.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use factbrief::claims::{checkworthy, origins, quantities, similarity};
use factbrief::data::Data;

fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn stages(c: &mut Criterion) {
    let data = Data::builtin();
    let texts = seeds();
    let cleaned: Vec<_> = texts.iter().map(|t| factbrief::clean::clean(t, &data)).collect();
    let sentences: Vec<String> = texts
        .iter()
        .zip(&cleaned)
        .flat_map(|(t, c)| factbrief::segment::segment(t, c).into_iter().map(|s| t[s.start..s.end].to_string()))
        .collect();
    c.bench_function("clean", |b| {
        b.iter(|| texts.iter().map(|t| factbrief::clean::clean(black_box(t), &data).kept.len()).sum::<usize>())
    });
    c.bench_function("segment", |b| {
        b.iter(|| {
            texts.iter().zip(&cleaned).map(|(t, c)| factbrief::segment::segment(black_box(t), c).len()).sum::<usize>()
        })
    });
    let scorer = checkworthy::CheckWorthiness::builtin();
    c.bench_function("checkworthiness", |b| {
        b.iter(|| sentences.iter().map(|s| scorer.score(black_box(s))).sum::<f64>())
    });
    let normalizer = similarity::Normalizer::new(&data.aliases);
    c.bench_function("terms", |b| {
        b.iter(|| sentences.iter().map(|s| normalizer.terms(black_box(s)).len()).sum::<usize>())
    });
    c.bench_function("quantities", |b| {
        b.iter(|| sentences.iter().map(|s| quantities::find(black_box(s)).len()).sum::<usize>())
    });
    c.bench_function("attribution", |b| {
        b.iter(|| sentences.iter().filter(|s| origins::attribute(black_box(s), &data, None).is_some()).count())
    });
    let terms: Vec<Vec<String>> = sentences.iter().map(|s| normalizer.terms(s)).collect();
    let (ids, n) = similarity::intern(&terms);
    let idf = similarity::IdIdf::fit(&ids, n);
    let vectors: Vec<_> = ids.iter().map(|t| similarity::vectorize_ids(t, &idf)).collect();
    c.bench_function("similar_pairs", |b| {
        b.iter(|| similarity::similar_pairs_ids(black_box(&vectors), n, 0.4, 50).len())
    });

    // The whole analysis on the seeds repeated 40 times (200 articles).
    let dir = tempfile::tempdir().unwrap();
    for round in 0..40 {
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("r{round:02}_{i}.txt")), t).unwrap();
        }
    }
    let corpus = factbrief::ingest::read_folder(dir.path(), Default::default()).unwrap();
    let config = factbrief::Config::default();
    let mut group = c.benchmark_group("whole");
    group.sample_size(10);
    group.bench_function("analyze_200", |b| {
        b.iter(|| factbrief::analyze(black_box(&corpus), &config).unwrap().claims.len())
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
