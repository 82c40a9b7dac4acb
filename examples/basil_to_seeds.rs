//! Turns one BASIL event into a seeds-like folder factbrief can read.
//!
//! ```sh
//! cargo run --example basil_to_seeds -- ../shared/eval/basil/articles 22b6e900-4826-4b09-a9f8-5d7afe46e78b /tmp/braley
//! factbrief build /tmp/braley -o /tmp/braley-brief
//! ```
//!
//! BASIL is research data: keep the converted folder outside this repository.

#[path = "../tests/common/basil.rs"]
mod basil;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [articles, triple, out] = args.as_slice() else {
        anyhow::bail!("usage: basil_to_seeds BASIL_ARTICLES_DIR TRIPLET_UUID OUT_DIR");
    };
    let files = basil::event_files(&PathBuf::from(articles), triple)?;
    basil::convert(&files, &PathBuf::from(out))?;
    eprintln!("wrote {} articles and sources.toml into {out}", files.len());
    Ok(())
}
