//! The typst CLI, run through `std::process`. It compiles inside a fresh temporary folder that
//! holds only the generated `brief.typ` and its data, with that folder as `--root`, so a
//! template can read nothing else from the disk; system fonts are ignored (typst's embedded
//! fonts keep the PDF the same on every machine); the creation time is fixed; a typst that hangs
//! is killed after a time-out.
//!
//! The PDF is made to PDF/A-2b (archival: every font embedded, metadata in XMP) when it holds.
//! PDF/A forbids text that no embedded font can draw, so an article in a script the embedded
//! fonts lack would make typst refuse; then the brief is compiled again as plain PDF, and
//! [`Compiled::note`] says why.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

pub const MISSING: &str = "typst was not found (set TYPST to its path, or put it on PATH); install it with \
`cargo install typst-cli --version 0.15.1 --locked`, or run scripts/ensure-typst.sh; the other formats were written";

/// The standard asked of typst first.
pub const PDF_STANDARD: &str = "a-2b";

/// A compiled PDF, and why it is not PDF/A when it is not.
#[derive(Debug)]
pub struct Compiled {
    pub pdf: Vec<u8>,
    pub note: Option<String>,
}

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

    /// Compiles `source` (reading `data.json`) to a PDF/A-2b, or to a plain PDF when the
    /// content cannot meet PDF/A.
    pub fn compile(&self, source: &str, data: &str, creation_time: i64) -> Result<Compiled> {
        let root = tempfile::tempdir().context("cannot create a temporary folder for typst")?;
        std::fs::write(root.path().join("brief.typ"), source)?;
        std::fs::write(root.path().join("data.json"), data)?;
        let pdf = root.path().join("brief.pdf");
        let note = match self.run(root.path(), &pdf, creation_time, Some(PDF_STANDARD)) {
            Ok(()) => None,
            Err(e) if format!("{e:#}").contains("PDF/A") => {
                self.run(root.path(), &pdf, creation_time, None)?;
                let first = format!("{e:#}")
                    .lines()
                    .find(|l| l.contains("PDF/A"))
                    .map(|l| l.trim().trim_start_matches("error:").trim().to_string())
                    .unwrap_or_default();
                Some(format!("brief.pdf is a plain PDF, not PDF/A-2b ({first})"))
            }
            Err(e) => return Err(e),
        };
        let pdf = std::fs::read(&pdf).context("typst reported success but wrote no PDF")?;
        Ok(Compiled { pdf, note })
    }

    fn run(&self, root: &Path, pdf: &Path, creation_time: i64, standard: Option<&str>) -> Result<()> {
        let mut command = Command::new(&self.binary);
        command.arg("compile").arg("--root").arg(root).arg("--ignore-system-fonts");
        if let Some(standard) = standard {
            command.arg("--pdf-standard").arg(standard);
        }
        let mut child = command
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
