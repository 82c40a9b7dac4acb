//! Atomic output: files are written into a temporary folder inside the output folder, then
//! renamed over the old ones one by one (a rename within one file system is atomic), under a
//! lock file so two runs on the same folder never interleave. A failure before the renames leaves
//! the previous brief as it was.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const LOCK: &str = ".factbrief.lock";

/// Holds the output folder's lock until dropped.
struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn lock(dir: &Path) -> Result<Lock> {
    let path = dir.join(LOCK);
    let started = Instant::now();
    loop {
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                let _ = writeln!(f, "{}", std::process::id());
                return Ok(Lock(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // A lock older than ten minutes was left by a run that died.
                let stale = fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > Duration::from_secs(600));
                if stale {
                    let _ = fs::remove_file(&path);
                    continue;
                }
                if started.elapsed() > Duration::from_secs(120) {
                    bail!("{} is locked by another factbrief run ({} exists)", dir.display(), path.display());
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot write to the output folder {}", dir.display())),
        }
    }
}

/// Writes `files` (name, bytes) into `dir`, all or none of them.
pub fn write_all(dir: &Path, files: &[(&str, &[u8])]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    let _lock = lock(dir)?;
    let staging = tempfile::Builder::new()
        .prefix(".factbrief-")
        .tempdir_in(dir)
        .with_context(|| format!("cannot write to the output folder {}", dir.display()))?;
    for (name, bytes) in files {
        let path = staging.path().join(name);
        let mut f = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    let mut written = Vec::new();
    for (name, _) in files {
        let target = dir.join(name);
        fs::rename(staging.path().join(name), &target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}
