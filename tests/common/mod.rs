//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seeds() -> PathBuf {
    root().join("seeds")
}

/// The factbrief binary, with no SOURCE_DATE_EPOCH leaking in from the environment.
pub fn factbrief() -> Command {
    let mut cmd = Command::cargo_bin("factbrief").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// True when a typst binary is available (the test command always provides one).
pub fn have_typst() -> bool {
    factbrief::render::typst::Typst::find().is_some()
}

/// Copies the seed articles into a fresh folder, for tests that add or break files.
pub fn copy_seeds(to: &Path) {
    for entry in std::fs::read_dir(seeds()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

pub fn analyze_folder(dir: &Path) -> factbrief::brief::Brief {
    let corpus = factbrief::ingest::read_folder(dir, Default::default()).unwrap();
    let mut config = factbrief::Config::default();
    let manifest = dir.join("sources.toml");
    if manifest.exists() {
        config.title = factbrief::ingest::Manifest::load(&manifest).unwrap().title;
    }
    factbrief::analyze(&corpus, &config).unwrap()
}

pub mod basil;

/// The evaluation data folder: `FACTBRIEF_EVAL_DIR`, else `../shared/eval` beside the crate.
/// It is never part of this repository (research licences), so tests that use it skip when it
/// is absent.
pub fn eval_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FACTBRIEF_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared").join("eval"));
    dir.is_dir().then_some(dir)
}
