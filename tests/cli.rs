//! End-to-end: the factbrief command as a user runs it.

mod common;

use common::{copy_seeds, factbrief, have_typst, seeds};
use predicates::prelude::*;

#[test]
fn build_writes_all_four_formats() {
    let out = tempfile::tempdir().unwrap();
    let formats = if have_typst() { "md,html,pdf,json" } else { "md,html,json" };
    factbrief().args(["build"]).arg(seeds()).arg("-o").arg(out.path()).args(["-f", formats]).assert().success();
    for name in formats.split(',') {
        let file = out.path().join(format!("brief.{name}"));
        assert!(std::fs::metadata(&file).unwrap().len() > 1000, "{} is too small", file.display());
    }
    let md = std::fs::read_to_string(out.path().join("brief.md")).unwrap();
    assert!(md.starts_with("# Fact-check brief: "));
    assert!(md.contains("## Claims") && md.contains("## Conflicting figures") && md.contains("## Sources"));
}

#[test]
fn two_runs_are_byte_identical_in_every_format() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let formats = if have_typst() { "md,html,pdf,json" } else { "md,html,json" };
    for dir in [a.path(), b.path()] {
        factbrief().arg("build").arg(seeds()).arg("-o").arg(dir).args(["-f", formats]).assert().success();
    }
    for name in formats.split(',') {
        let file = format!("brief.{name}");
        assert!(
            std::fs::read(a.path().join(&file)).unwrap() == std::fs::read(b.path().join(&file)).unwrap(),
            "{file} differs between two runs"
        );
    }
}

#[test]
fn committed_out_is_what_the_main_command_produces() {
    if !have_typst() {
        eprintln!("skipped: no typst");
        return;
    }
    factbrief().current_dir(common::root()).args(["build", "seeds", "-o", "out", "--check"]).assert().success();
}

#[test]
fn check_names_the_files_that_differ() {
    let out = tempfile::tempdir().unwrap();
    factbrief().arg("build").arg(seeds()).arg("-o").arg(out.path()).args(["-f", "md,json"]).assert().success();
    std::fs::write(out.path().join("brief.md"), "edited by hand\n").unwrap();
    factbrief()
        .arg("build")
        .arg(seeds())
        .arg("-o")
        .arg(out.path())
        .args(["-f", "md,json", "--check"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("brief.md").and(predicate::str::contains("brief.json").not()));
}

#[test]
fn analyze_prints_the_json() {
    let output = factbrief().arg("analyze").arg(seeds()).output().unwrap();
    assert!(output.status.success());
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["sources"].as_array().unwrap().len(), 5);
}

#[test]
fn help_explains_every_flag() {
    factbrief().args(["build", "--help"]).assert().success().stdout(
        predicate::str::contains("--output")
            .and(predicate::str::contains("--formats"))
            .and(predicate::str::contains("--templates")),
    );
}

#[test]
fn compare_scores_a_pair_and_a_file() {
    factbrief()
        .args([
            "compare",
            "The UK has suspended sharing intelligence with the US",
            "Britain has halted intelligence-sharing with the US",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("same claim: yes"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.tsv");
    std::fs::write(&file, "a cat sat\ta cat sat\nthe UK halted\tprices rose in Tokyo\n").unwrap();
    let out = factbrief().args(["compare", "--pairs"]).arg(&file).output().unwrap();
    let scores: Vec<f64> = String::from_utf8(out.stdout).unwrap().lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(scores.len(), 2);
    assert!(scores[0] > 0.99 && scores[1] < 0.1, "{scores:?}");
}

// ---- bad input -------------------------------------------------------------------------------

#[test]
fn missing_folder_is_a_clear_error() {
    factbrief()
        .args(["analyze", "/no/such/folder"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/no/such/folder").and(predicate::str::contains("does not exist")));
}

#[test]
fn empty_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    factbrief().arg("analyze").arg(dir.path()).assert().failure().stderr(predicate::str::contains("no articles"));
}

#[test]
fn folder_with_nothing_usable_names_each_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "").unwrap();
    std::fs::write(dir.path().join("b.txt"), b"\x00\x01\x02binary").unwrap();
    factbrief().arg("analyze").arg(dir.path()).assert().failure().stderr(
        predicate::str::contains("a.txt")
            .and(predicate::str::contains("b.txt"))
            .and(predicate::str::contains("binary")),
    );
}

#[test]
fn one_bad_article_is_a_warning_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    std::fs::write(dir.path().join("zz_binary.txt"), b"\x7fELF\x00\x00\x00").unwrap();
    std::fs::write(dir.path().join("zz_empty.md"), "   \n").unwrap();
    let out = factbrief().arg("analyze").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("zz_binary.txt: skipped, it looks like a binary file"), "{stderr}");
    assert!(stderr.contains("zz_empty.md: skipped, the article is empty"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sources"].as_array().unwrap().len(), 5);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn windows_1252_is_decoded_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        b"Headline\n\nThe minister said the caf\xe9 was closed on 3 May 2024 by \x93order\x94.\n",
    )
    .unwrap();
    let out = factbrief().arg("analyze").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = &v["sources"][0];
    assert!(source["encoding"].as_str().unwrap().starts_with("windows-1252"));
    assert!(source["text"].as_str().unwrap().contains("café was closed"));
}

#[test]
fn malformed_manifest_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    std::fs::write(
        dir.path().join("sources.toml"),
        "[[source]]\nfile = \"000_4a06e8044433f305.txt\"\noutlet = \"unterminated\n",
    )
    .unwrap();
    factbrief()
        .arg("analyze")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("sources.toml").and(predicate::str::contains("line 3")));
}

#[test]
fn manifest_entry_for_a_missing_file_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    std::fs::write(dir.path().join("sources.toml"), "[[source]]\nfile = \"ghost.txt\"\noutlet = \"Nobody\"\n").unwrap();
    factbrief()
        .arg("analyze")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("ghost.txt").and(predicate::str::contains("no such article")));
}

#[test]
fn unknown_format_is_refused() {
    factbrief()
        .arg("build")
        .arg(seeds())
        .args(["-f", "docx"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown format"));
}

// ---- faults: the previous brief survives ------------------------------------------------------

#[test]
fn missing_typst_still_writes_the_other_formats_and_says_how_to_install() {
    let out = tempfile::tempdir().unwrap();
    factbrief()
        .env("TYPST", "/no/such/typst")
        .arg("build")
        .arg(seeds())
        .arg("-o")
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("cargo install typst-cli"));
    assert!(out.path().join("brief.md").exists() && out.path().join("brief.json").exists());
    assert!(!out.path().join("brief.pdf").exists());
}

#[test]
fn failing_typst_leaves_the_previous_pdf_intact() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("brief.pdf"), b"previous pdf").unwrap();
    let fake = out.path().join("fake-typst");
    std::fs::write(&fake, "#!/bin/sh\necho 'error: boom at brief.typ:1:1' >&2\nexit 1\n").unwrap();
    make_executable(&fake);
    factbrief()
        .env("TYPST", &fake)
        .arg("build")
        .arg(seeds())
        .arg("-o")
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("boom at brief.typ:1:1"));
    assert_eq!(std::fs::read(out.path().join("brief.pdf")).unwrap(), b"previous pdf");
}

#[test]
fn hanging_typst_is_killed_after_the_time_out() {
    let out = tempfile::tempdir().unwrap();
    let fake = out.path().join("slow-typst");
    std::fs::write(&fake, "#!/bin/sh\nexec sleep 30\n").unwrap();
    make_executable(&fake);
    let started = std::time::Instant::now();
    factbrief()
        .env("TYPST", &fake)
        .env("FACTBRIEF_TYPST_TIMEOUT", "1")
        .arg("build")
        .arg(seeds())
        .arg("-o")
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("did not finish"));
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn unwritable_output_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("out");
    std::fs::write(&blocker, "a file where the folder should be").unwrap();
    factbrief()
        .arg("build")
        .arg(seeds())
        .arg("-o")
        .arg(&blocker)
        .args(["-f", "md"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("output folder"));
}

#[test]
fn concurrent_builds_never_mix() {
    let out = tempfile::tempdir().unwrap();
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("factbrief"));
            cmd.arg("build").arg(seeds()).arg("-o").arg(out.path()).args(["-f", "md,json,html"]);
            cmd.spawn().unwrap()
        })
        .collect();
    for mut child in runs {
        assert!(child.wait().unwrap().success());
    }
    let single = tempfile::tempdir().unwrap();
    factbrief().arg("build").arg(seeds()).arg("-o").arg(single.path()).args(["-f", "md,json,html"]).assert().success();
    for name in ["brief.md", "brief.json", "brief.html"] {
        assert_eq!(std::fs::read(out.path().join(name)).unwrap(), std::fs::read(single.path().join(name)).unwrap());
    }
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".factbrief"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[cfg(unix)]
fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(feature = "embeddings"))]
#[test]
fn embeddings_without_the_feature_say_how_to_get_them() {
    factbrief()
        .args(["analyze", "--embeddings"])
        .arg(seeds())
        .assert()
        .failure()
        .stderr(predicate::str::contains("--features embeddings").and(predicate::str::contains("ensure-model.sh")));
}

#[cfg(feature = "embeddings")]
#[test]
fn embeddings_group_the_intelligence_halt_across_every_outlet() {
    let out = factbrief().args(["analyze", "--embeddings"]).arg(seeds()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let halt = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"].as_str().unwrap().to_lowercase().contains("intelligence"))
        .expect("an intelligence-sharing claim");
    assert_eq!(halt["outlets"], 5, "{halt:#}");
    let again = factbrief().args(["analyze", "--embeddings"]).arg(seeds()).output().unwrap();
    assert_eq!(out.stdout, again.stdout, "embeddings must not make the output vary");
}

/// A folder of `n` articles: the seeds over and over, under new names.
fn many_articles(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut seeds: Vec<std::path::PathBuf> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md" || e == "html"))
        .collect();
    seeds.sort();
    for i in 0..n {
        let from = &seeds[i % seeds.len()];
        let ext = from.extension().unwrap().to_string_lossy();
        std::fs::copy(from, dir.path().join(format!("{i:04}.{ext}"))).unwrap();
    }
    dir
}

/// Runs `factbrief analyze` on a pseudo-terminal (util-linux `script`), returning what the
/// terminal showed; None where `script` is missing.
fn on_a_terminal(dir: &std::path::Path, ci: bool) -> Option<String> {
    let log = dir.join("terminal.log");
    let line = format!("{} analyze {} > /dev/null", env!("CARGO_BIN_EXE_factbrief"), dir.display());
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line]).arg(&log).env_remove("CI").env_remove("FACTBRIEF_NO_PROGRESS");
    if ci {
        cmd.env("CI", "true");
    }
    let status = cmd.stdout(std::process::Stdio::null()).status().ok()?;
    assert!(status.success());
    Some(std::fs::read_to_string(&log).unwrap())
}

#[test]
fn long_runs_show_progress_on_a_terminal_and_stay_quiet_in_ci_and_pipes() {
    let dir = many_articles(factbrief::progress::MIN_ARTICLES);
    let Some(shown) = on_a_terminal(dir.path(), false) else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    assert!(shown.contains("analysing articles"), "no progress bar on the terminal: {shown}");
    assert!(shown.contains(&format!("/{} articles", factbrief::progress::MIN_ARTICLES)));
    let in_ci = on_a_terminal(dir.path(), true).unwrap();
    assert!(!in_ci.contains("articles"), "a bar was drawn with CI set: {in_ci}");
    // A pipe: standard error is not a terminal, so nothing is drawn.
    let output = factbrief().arg("analyze").arg(dir.path()).env_remove("CI").output().unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}
