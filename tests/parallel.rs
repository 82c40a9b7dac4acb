//! Parallel work never changes the output: one thread and several give the same bytes.

mod common;

use common::{factbrief, seeds};

fn analyze_with_threads(dir: &std::path::Path, threads: &str) -> Vec<u8> {
    let out = factbrief().env("RAYON_NUM_THREADS", threads).arg("analyze").arg(dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn seeds_json_is_the_same_on_one_thread_and_on_four() {
    assert!(analyze_with_threads(&seeds(), "1") == analyze_with_threads(&seeds(), "4"));
}

/// About 200 articles recombined from the seeds' paragraphs, so claims repeat across many
/// sources and the parallel grouping has real work.
fn generated_corpus(dir: &std::path::Path) {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(seeds()).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        let text = std::fs::read_to_string(path).unwrap();
        paragraphs.push(text.split("\n\n").map(str::to_string).filter(|p| !p.trim().is_empty()).collect());
    }
    let mut state: u64 = 7;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    for i in 0..200 {
        let doc = &paragraphs[next(paragraphs.len())];
        let mut text = String::new();
        for _ in 0..doc.len().min(8) {
            let p = &doc[next(doc.len())];
            let p = if next(3) == 0 { p.replace("United States", "U.S.") } else { p.clone() };
            text.push_str(&p);
            text.push_str("\n\n");
        }
        std::fs::write(dir.join(format!("g{i:03}.txt")), text).unwrap();
    }
}

#[test]
fn generated_corpus_json_is_the_same_on_one_thread_and_on_four() {
    let dir = tempfile::tempdir().unwrap();
    generated_corpus(dir.path());
    let one = analyze_with_threads(dir.path(), "1");
    assert!(one.len() > 100_000, "the generated corpus should give a real brief");
    assert!(one == analyze_with_threads(dir.path(), "4"));
}
