//! Ingest: a folder in, plain documents out. Reads `.txt`, `.md` and `.html` files and the
//! optional `sources.toml` manifest; decodes text (UTF-8, else Windows-1252, saying so); turns
//! Markdown and HTML into plain text. A file that cannot be used becomes a warning naming it,
//! never an error: only a folder with nothing usable at all fails the run.
//!
//! This is one of the two stages that touch the file system (render is the other). Offsets in
//! every later stage are byte offsets into `Document::text`; when that text is not the file's
//! bytes, `text_differs` is set and the text is carried in the JSON so spans stay checkable.

pub mod decode;
pub mod html;
pub mod manifest;
pub mod markdown;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use manifest::{Manifest, ManifestEntry};

/// What kind of file a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

/// One article as read from disk.
#[derive(Debug, Clone)]
pub struct Document {
    /// File stem: unique within the folder.
    pub id: String,
    /// File name relative to the folder.
    pub path: String,
    pub format: Format,
    /// The text every offset points into.
    pub text: String,
    /// True when `text` is not byte-for-byte the file (Markdown, HTML, re-encoded text).
    pub text_differs: bool,
    /// Set when the file was not UTF-8 and was decoded from another encoding.
    pub encoding: Option<String>,
    /// The page title, for HTML.
    pub title_hint: Option<String>,
    /// What the manifest says about this file (all empty when it says nothing).
    pub manifest: ManifestEntry,
}

/// Limits on what a single file may be; over a limit the file is skipped with a warning.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: 20 * 1024 * 1024 }
    }
}

/// Everything read from one folder.
#[derive(Debug)]
pub struct Corpus {
    pub dir: PathBuf,
    pub documents: Vec<Document>,
    pub warnings: Vec<String>,
    /// The manifest's title, if it gives one.
    pub title: Option<String>,
}

const ARTICLE_EXTENSIONS: [&str; 5] = ["txt", "md", "markdown", "html", "htm"];

/// Reads every article in `dir` (not recursing), in file-name order.
pub fn read_folder(dir: &Path, limits: Limits) -> Result<Corpus> {
    if !dir.exists() {
        bail!("input folder {} does not exist", dir.display());
    }
    if !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let manifest_path = dir.join("sources.toml");
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot list folder {}", dir.display()))?
        .filter_map(|entry| entry.ok())
        // The listing says what each entry is; only a link is looked up, to see what it points at.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file())))
        .map(|e| e.path())
        .filter(|p| is_article(p))
        .collect();
    names.sort();

    let mut warnings = Vec::new();
    let mut documents = Vec::new();
    // Files are read and decoded in parallel, then taken in name order; the manifest (10,000
    // entries for 10,000 articles) is parsed meanwhile.
    let (manifest, read) = rayon::join(
        || if manifest_path.exists() { Manifest::load(&manifest_path) } else { Ok(Manifest::default()) },
        || -> Vec<Result<Option<Document>>> {
            use rayon::prelude::*;
            names
                .par_iter()
                .map(|path| {
                    crate::guard::catch(|| read_article(path, limits)).unwrap_or_else(|panic| {
                        Err(anyhow::anyhow!(
                            "reading it hit a bug in factbrief or a library it uses ({panic}); please report it with this file"
                        ))
                    })
                })
                .collect()
        },
    );
    let mut manifest = manifest?;
    for (path, article) in names.iter().zip(read) {
        let name = file_name(path);
        match article {
            Ok(Some(mut doc)) => {
                doc.manifest = manifest.take(&name).unwrap_or_default();
                documents.push(doc);
            }
            Ok(None) => warnings.push(format!("{name}: skipped, the article is empty")),
            Err(err) => warnings.push(format!("{name}: skipped, {err:#}")),
        }
    }
    for missing in manifest.remaining() {
        warnings.push(format!("sources.toml: an entry names {missing}, but there is no such article in the folder"));
    }
    if documents.is_empty() {
        if names.is_empty() {
            bail!("no articles in {} (looked for .txt, .md and .html files)", dir.display());
        }
        bail!("no usable article in {}: {}", dir.display(), warnings.join("; "));
    }
    Ok(Corpus { dir: dir.to_path_buf(), documents, warnings, title: manifest.title })
}

fn is_article(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads one article; `Ok(None)` when it holds no text at all.
pub fn read_article(path: &Path, limits: Limits) -> Result<Option<Document>> {
    // Opened once, and its size taken from the open file: looking the path up again for each
    // step cost more system time than the reading (10,000 files).
    let mut file = fs::File::open(path).with_context(|| "cannot read the file")?;
    let size = file.metadata().with_context(|| "cannot read the file")?.len();
    if size > limits.max_file_bytes {
        bail!("the file is {size} bytes, over the limit of {} (raise it with --max-file-size)", limits.max_file_bytes);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    // A file that grows past the limit while it is read is cut there and refused below.
    Read::take(&mut file, limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| "cannot read the file")?;
    if bytes.len() as u64 > limits.max_file_bytes {
        bail!("the file grew past the limit of {} bytes while it was read", limits.max_file_bytes);
    }
    let decoded = decode::decode_owned(bytes)?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let format = match ext.as_str() {
        "md" | "markdown" => Format::Markdown,
        "html" | "htm" => Format::Html,
        _ => Format::Text,
    };
    let (text, title_hint, derived) = match format {
        Format::Text => (decoded.text, None, false),
        Format::Markdown => (markdown::to_text(&decoded.text), None, true),
        Format::Html => {
            let page = html::to_text(&decoded.text)?;
            (page.text, page.title, true)
        }
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Some(Document {
        id,
        path: file_name(path),
        format,
        text,
        text_differs: derived || decoded.encoding.is_some(),
        encoding: decoded.encoding,
        title_hint,
        manifest: ManifestEntry::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_links_to_files_are_read_folders_and_links_to_them_are_not() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "The mayor said the bridge would reopen on Monday.").unwrap();
        fs::create_dir(dir.path().join("folder.txt")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("a.txt"), dir.path().join("b.txt")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("folder.txt"), dir.path().join("c.txt")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("missing.txt"), dir.path().join("d.txt")).unwrap();
        }
        let corpus = read_folder(dir.path(), Limits::default()).unwrap();
        let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
        let expected: &[&str] = if cfg!(unix) { &["a", "b"] } else { &["a"] };
        assert_eq!(ids, expected);
        assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.txt");
        fs::write(&path, "word ".repeat(100)).unwrap();
        let limits = Limits { max_file_bytes: 499 };
        let err = read_article(&path, limits).unwrap_err();
        assert_eq!(err.to_string(), "the file is 500 bytes, over the limit of 499 (raise it with --max-file-size)");
        assert!(read_article(&path, Limits { max_file_bytes: 500 }).unwrap().is_some());
    }
}
