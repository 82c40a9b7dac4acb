//! Site: a folder of stories in, a folder of published briefs out. Every subfolder of the
//! stories folder is one story (a folder of articles, like `seeds/`); each gets its brief in
//! `OUT/<story>/`, and `OUT/index.html` lists them all.
//!
//! Incremental: a story is rebuilt only when its stamp changes. The stamp is a 64-bit FNV-1a
//! hash over the factbrief version, the formats, the template and data overrides,
//! `SOURCE_DATE_EPOCH`, and every file in the story folder (name and bytes, in name order);
//! modification times play no part, so a fresh checkout in CI is as up to date as the folder it
//! came from. The stamp and the story's line in the index are kept in `OUT/<story>/.factbrief-stamp`,
//! so an unchanged story is neither analysed nor rendered again.
//!
//! This module orchestrates; analysis comes in through the caller's loader, and files are
//! written through [`render`](crate::render) (atomic, locked).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::brief::Brief;
use crate::render::{self, Format, Templates, typst::Typst};

/// The file in each story's output folder that records what it was built from.
pub const STAMP: &str = ".factbrief-stamp";

/// What a site build needs besides the stories.
pub struct Options<'a> {
    pub formats: &'a [Format],
    pub templates: &'a Templates,
    /// The `--data` folder, whose files are part of every story's stamp.
    pub data_dir: Option<&'a Path>,
    pub typst: Option<&'a Typst>,
    /// Rebuild every story even when its stamp is unchanged.
    pub force: bool,
    /// The PDF's creation time for a brief.
    pub creation_time: &'a dyn Fn(&Brief) -> i64,
}

/// One story's line in the index (and in its stamp file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// The story's folder name.
    pub slug: String,
    /// Link to the story's folder, percent-encoded, relative to the index.
    pub href: String,
    /// Link to the brief people read first: the HTML, else the first format written.
    pub link: String,
    pub title: String,
    /// Display form of the date range ("2025-11-11 to 2025-11-13", or "dates unknown").
    pub dates: String,
    /// Earliest and latest publication date (YYYY-MM-DD), or null.
    pub first: Option<String>,
    pub last: Option<String>,
    pub outlets: usize,
    pub claims: usize,
    pub multi_outlet_claims: usize,
    pub origins: usize,
    pub conflicts: usize,
    pub contradictions: usize,
    /// The files written for the story: `name` (HTML, PDF, Markdown, JSON) and `href`.
    pub formats: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Link {
    pub name: String,
    pub href: String,
}

#[derive(Serialize, Deserialize)]
struct Stamp {
    stamp: String,
    entry: Entry,
}

/// What happened to each story.
#[derive(Debug, Default)]
pub struct Report {
    pub built: Vec<String>,
    pub up_to_date: Vec<String>,
    pub failed: Vec<(String, anyhow::Error)>,
    /// Caveats from the renderer (a PDF that is not PDF/A, say), prefixed with the story.
    pub notes: Vec<String>,
    pub index: PathBuf,
}

/// The context `index.html` receives: `site.generator`, `site.stories[]` (see [`Entry`]).
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub generator: String,
    pub stories: &'a [Entry],
}

/// Subfolders of `dir` that are stories, in name order: not hidden, not the output folder.
pub fn stories(dir: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        bail!("the stories folder {} does not exist or is not a folder", dir.display());
    }
    let out = out.canonicalize().ok();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        if !path.is_dir() || name.starts_with('.') || (out.is_some() && path.canonicalize().ok() == out) {
            continue;
        }
        found.push(path);
    }
    found.sort();
    if found.is_empty() {
        bail!("{} has no story folders (each story is a subfolder of articles)", dir.display());
    }
    Ok(found)
}

/// Builds every story of `stories_dir` into `out` and writes `out/index.html`.
/// A story that fails is reported and left out of the index; the others are still built.
pub fn build(
    stories_dir: &Path,
    out: &Path,
    options: &Options,
    load: &dyn Fn(&Path) -> Result<Brief>,
    progress: &mut dyn FnMut(&str),
) -> Result<Report> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let mut report = Report::default();
    let mut entries = Vec::new();
    let shared = shared_stamp(options)?;
    for dir in stories(stories_dir, out)? {
        let slug = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        let target = out.join(&slug);
        let stamp = story_stamp(&shared, &dir)?;
        if !options.force {
            if let Some(entry) = current(&target, &stamp, options.formats) {
                progress(&format!("{slug}: up to date"));
                report.up_to_date.push(slug);
                entries.push(entry);
                continue;
            }
        }
        progress(&format!("{slug}: building"));
        match build_story(&dir, &slug, &target, &stamp, options, load) {
            Ok((entry, notes)) => {
                report.notes.extend(notes.into_iter().map(|n| format!("{slug}: {n}")));
                report.built.push(slug);
                entries.push(entry);
            }
            Err(e) => report.failed.push((slug, e)),
        }
    }
    // Newest first; undated stories last; then by folder name.
    entries.sort_by(|a, b| b.last.is_some().cmp(&a.last.is_some()).then(b.last.cmp(&a.last)).then(a.slug.cmp(&b.slug)));
    let view = SiteView { generator: format!("factbrief {}", crate::VERSION), stories: &entries };
    let html = render::index_html(&view, options.templates)?;
    let written = render::output::write_all(out, &[("index.html", html.as_bytes())])?;
    report.index = written.into_iter().next().unwrap_or_else(|| out.join("index.html"));
    Ok(report)
}

fn build_story(
    dir: &Path,
    slug: &str,
    target: &Path,
    stamp: &str,
    options: &Options,
    load: &dyn Fn(&Path) -> Result<Brief>,
) -> Result<(Entry, Vec<String>)> {
    let brief = load(dir)?;
    let render_options = render::Options {
        formats: options.formats,
        templates: options.templates,
        typst: options.typst,
        creation_time: (options.creation_time)(&brief),
    };
    let report = render::write_brief(&brief, target, &render_options)?;
    if let Some((format, err)) = report.failed.into_iter().next() {
        return Err(err.context(format!("could not write {}", format.file_name())));
    }
    let entry = entry(&brief, slug, options.formats);
    let record = serde_json::to_string_pretty(&Stamp { stamp: stamp.to_string(), entry: entry.clone() })? + "\n";
    render::output::write_all(target, &[(STAMP, record.as_bytes())])?;
    Ok((entry, report.notes))
}

/// The story's entry from its stamp file, when the stamp matches and every file is there.
fn current(target: &Path, stamp: &str, formats: &[Format]) -> Option<Entry> {
    let record: Stamp = serde_json::from_slice(&std::fs::read(target.join(STAMP)).ok()?).ok()?;
    let complete = formats.iter().all(|f| target.join(f.file_name()).is_file());
    (record.stamp == stamp && complete).then_some(record.entry)
}

fn entry(brief: &Brief, slug: &str, formats: &[Format]) -> Entry {
    let view = render::view::build(brief);
    let href = format!("{}/", percent_encode(slug));
    // Reading order for people: the web page first, the data last.
    let order = [Format::Html, Format::Pdf, Format::Markdown, Format::Json];
    let formats = order
        .iter()
        .filter(|f| formats.contains(f))
        .map(|f| Link { name: f.label().to_string(), href: format!("{href}{}", f.file_name()) })
        .collect::<Vec<Link>>();
    let link = formats.first().map_or_else(|| href.clone(), |l| l.href.clone());
    let (first, last) = brief.date_range.clone().map_or((None, None), |(a, b)| (Some(a), Some(b)));
    Entry {
        slug: slug.to_string(),
        href,
        link,
        title: view.title,
        dates: view.dates,
        first,
        last,
        outlets: view.counts.outlets,
        claims: view.counts.claims,
        multi_outlet_claims: view.counts.multi_outlet_claims,
        origins: view.counts.origins,
        conflicts: view.counts.conflicts,
        contradictions: view.counts.contradictions,
        formats,
    }
}

/// Everything besides the story's own files that changes what is built.
fn shared_stamp(options: &Options) -> Result<Fnv> {
    let mut h = Fnv::new();
    h.field(format!("factbrief {}", crate::VERSION).as_bytes());
    for f in options.formats {
        h.field(f.file_name().as_bytes());
    }
    if let Some(dir) = &options.templates.dir {
        for name in [render::TEMPLATE_NAMES, &["index.html"]].concat() {
            let path = dir.join(name);
            if path.is_file() {
                h.field(name.as_bytes());
                h.field(&std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?);
            }
        }
    }
    if let Some(dir) = options.data_dir {
        hash_files(&mut h, dir)?;
    }
    h.field(std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default().as_bytes());
    Ok(h)
}

fn story_stamp(shared: &Fnv, dir: &Path) -> Result<String> {
    let mut h = shared.clone();
    hash_files(&mut h, dir)?;
    Ok(format!("fnv1a64:{:016x}", h.0))
}

/// Name and bytes of every visible file directly in `dir`, in name order.
fn hash_files(h: &mut Fnv, dir: &Path) -> Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && !p.file_name().unwrap_or_default().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    for path in files {
        h.field(path.file_name().unwrap_or_default().as_encoded_bytes());
        h.field(&std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?);
    }
    Ok(())
}

/// 64-bit FNV-1a: stable across platforms, Rust versions and runs (unlike `DefaultHasher`).
#[derive(Clone)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
    fn field(&mut self, bytes: &[u8]) {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
    }
}

/// A folder name as a URL path segment.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        let mut h = Fnv::new();
        h.write(b"");
        assert_eq!(h.0, 0xcbf2_9ce4_8422_2325);
        let mut h = Fnv::new();
        h.write(b"a");
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
        let mut h = Fnv::new();
        h.write(b"foobar");
        assert_eq!(h.0, 0x8594_4171_f739_67e8);
    }

    #[test]
    fn folder_names_become_safe_links() {
        assert_eq!(percent_encode("2025-11 boats"), "2025-11%20boats");
        assert_eq!(percent_encode("a\"><script>"), "a%22%3E%3Cscript%3E");
        assert_eq!(percent_encode("élan"), "%C3%A9lan");
    }
}
