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
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_article(p))
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
    let size = fs::metadata(path).with_context(|| "cannot read the file")?.len();
    if size > limits.max_file_bytes {
        bail!("the file is {size} bytes, over the limit of {} (raise it with --max-file-size)", limits.max_file_bytes);
    }
    let bytes = fs::read(path).with_context(|| "cannot read the file")?;
    let decoded = decode::decode(&bytes)?;
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
