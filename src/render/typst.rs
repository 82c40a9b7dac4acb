//! The typst CLI, run through `std::process`. It compiles inside a fresh temporary folder that
//! holds only the generated `brief.typ` and its data, with that folder as `--root`, so a
//! template can read nothing else from the disk; system fonts are ignored (typst's embedded
//! fonts keep the PDF the same on every machine); the creation time is fixed; a typst that hangs
//! is killed after a time-out.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

pub const MISSING: &str = "typst was not found (set TYPST to its path, or put it on PATH); install it with \
`cargo install typst-cli --version 0.15.1 --locked`, or run scripts/ensure-typst.sh; the other formats were written";

/// A typst binary and how long it may run.
#[derive(Debug, Clone)]
pub struct Typst {
    pub binary: PathBuf,
    pub timeout: Duration,
}

impl Typst {
    /// `TYPST` if set, else `typst` on `PATH`; None when neither exists.
    pub fn find() -> Option<Typst> {
        let timeout = std::env::var("FACTBRIEF_TYPST_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_secs(180));
        if let Some(path) = std::env::var_os("TYPST").filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            return path.is_file().then_some(Typst { binary: path, timeout });
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("typst"))
            .find(|p| p.is_file())
            .map(|binary| Typst { binary, timeout })
    }

    /// Compiles `source` (reading `data.json`) to PDF bytes.
    pub fn compile(&self, source: &str, data: &str, creation_time: i64) -> Result<Vec<u8>> {
        let root = tempfile::tempdir().context("cannot create a temporary folder for typst")?;
        std::fs::write(root.path().join("brief.typ"), source)?;
        std::fs::write(root.path().join("data.json"), data)?;
        let pdf = root.path().join("brief.pdf");
        self.run(root.path(), &pdf, creation_time)?;
        std::fs::read(&pdf).context("typst reported success but wrote no PDF")
    }

    fn run(&self, root: &Path, pdf: &Path, creation_time: i64) -> Result<()> {
        let mut child = Command::new(&self.binary)
            .arg("compile")
            .arg("--root")
            .arg(root)
            .arg("--ignore-system-fonts")
            .arg("--creation-timestamp")
            .arg(creation_time.to_string())
            .arg(root.join("brief.typ"))
            .arg(pdf)
            .env("SOURCE_DATE_EPOCH", creation_time.to_string())
            .env_remove("TYPST_FONT_PATHS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run typst at {}", self.binary.display()))?;
        let mut stderr = child.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(e) = stderr.as_mut() {
                let _ = e.read_to_string(&mut s);
            }
            s
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if started.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                bail!("typst did not finish within {} s and was stopped", self.timeout.as_secs());
            }
            std::thread::sleep(Duration::from_millis(25));
        };
        let diagnostics = reader.join().unwrap_or_default();
        if !status.success() {
            bail!("typst failed ({status}):\n{}", diagnostics.trim_end());
        }
        Ok(())
    }
}
