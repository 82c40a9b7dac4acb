//! Render: a brief in, files out. Markdown, HTML and Typst come from Tera templates (embedded
//! defaults, each replaceable by a same-named file in `--templates DIR`); the PDF comes from the
//! Typst file through the `typst` CLI; the JSON is the brief itself.
//!
//! Every format escapes article text through its own autoescape function, so a template cannot
//! forget to. Files are written to a temporary folder beside the output and renamed into place
//! only when every requested format succeeded, so a failed run never leaves a half-written brief
//! and never destroys the previous one.

pub mod escape;
pub mod json;
pub mod output;
pub mod typst;
pub mod view;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::brief::Brief;

pub const TEMPLATE_MD: &str = include_str!("../../templates/brief.md");
pub const TEMPLATE_HTML: &str = include_str!("../../templates/brief.html");
pub const TEMPLATE_TYP: &str = include_str!("../../templates/brief.typ");
/// The site's index page (`factbrief site`).
pub const TEMPLATE_INDEX: &str = include_str!("../../templates/index.html");
/// The templates a brief is rendered from.
pub const TEMPLATE_NAMES: &[&str] = &["brief.md", "brief.html", "brief.typ"];

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Json,
    Markdown,
    Html,
    Pdf,
}

impl Format {
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "brief.json",
            Format::Markdown => "brief.md",
            Format::Html => "brief.html",
            Format::Pdf => "brief.pdf",
        }
    }

    /// The name people know the format by.
    pub fn label(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
        }
    }

    pub fn parse(s: &str) -> Result<Format> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "json" => Format::Json,
            "md" | "markdown" => Format::Markdown,
            "html" => Format::Html,
            "pdf" => Format::Pdf,
            other => bail!("unknown format {other:?}: choose from md, html, pdf, json"),
        })
    }
}

/// Where templates come from: the embedded defaults, or a folder whose files replace them.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub dir: Option<PathBuf>,
}

impl Templates {
    fn source(&self, name: &str, default: &'static str) -> Result<String> {
        if let Some(dir) = &self.dir {
            let path = dir.join(name);
            if path.exists() {
                return std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read template {}", path.display()));
            }
        }
        Ok(default.to_string())
    }
}

/// The context every template receives: `brief` (the JSON, field for field) and `view`
/// (display-ready values; see the README).
#[derive(Serialize)]
struct TemplateContext<'a> {
    brief: &'a Brief,
    view: &'a view::View,
}

fn render_template(
    name: &str,
    source: &str,
    escape: tera::EscapeFn,
    brief: &Brief,
    view: &view::View,
) -> Result<String> {
    render_with(name, source, escape, &TemplateContext { brief, view })
}

fn render_with(name: &str, source: &str, escape: tera::EscapeFn, context: &impl Serialize) -> Result<String> {
    let mut tera = tera::Tera::new();
    tera.set_escape_fn(escape);
    // Autoescape every template of this instance: each instance serves one format.
    tera.autoescape_on(vec![name.to_string()]);
    tera.add_raw_template(name, source).with_context(|| format!("template {name} does not parse"))?;
    let context = tera::Context::from_serialize(context)?;
    tera.render(name, &context).map_err(|e| anyhow::anyhow!("template {name} failed: {e:#}"))
}

/// The site's index page; the template receives `site` (see [`crate::site::SiteView`]).
pub fn index_html(site: &crate::site::SiteView, templates: &Templates) -> Result<String> {
    #[derive(Serialize)]
    struct Context<'a> {
        site: &'a crate::site::SiteView<'a>,
    }
    let source = templates.source("index.html", TEMPLATE_INDEX)?;
    render_with("index.html", &source, escape::write_html, &Context { site })
}

/// The PDF's creation time: `SOURCE_DATE_EPOCH`, else the newest article date, else 0.
pub fn creation_time(brief: &Brief) -> i64 {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok()) {
        return t;
    }
    brief
        .date_range
        .as_ref()
        .and_then(|(_, newest)| chrono::NaiveDate::parse_from_str(newest, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
}

pub fn json(brief: &Brief) -> Result<String> {
    let mut out = Vec::new();
    json::write(brief, &mut out)?;
    Ok(String::from_utf8(out)?)
}

/// [`json`], streamed to `out`: the same bytes without holding them all in memory.
pub fn write_json(brief: &Brief, out: &mut impl std::io::Write) -> std::io::Result<()> {
    json::write(brief, out)
}

pub fn markdown(brief: &Brief, templates: &Templates) -> Result<String> {
    let view = view::build(brief);
    let text =
        render_template("brief.md", &templates.source("brief.md", TEMPLATE_MD)?, escape::write_markdown, brief, &view)?;
    Ok(tidy_markdown(&text))
}

pub fn html(brief: &Brief, templates: &Templates) -> Result<String> {
    let view = view::build(brief);
    render_template("brief.html", &templates.source("brief.html", TEMPLATE_HTML)?, escape::write_html, brief, &view)
}

pub fn typst_source(brief: &Brief, templates: &Templates) -> Result<String> {
    let view = view::build(brief);
    render_template("brief.typ", &templates.source("brief.typ", TEMPLATE_TYP)?, escape::write_typst, brief, &view)
}

/// The data file the Typst template reads with `json()`: article text reaches Typst only as data.
pub fn typst_data(brief: &Brief) -> Result<String> {
    let view = view::build(brief);
    Ok(serde_json::to_string(&TemplateContext { brief, view: &view })?)
}

/// No trailing spaces, at most one blank line in a row, one final newline: clean diffs.
fn tidy_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// What `write_brief` needs to know beyond the brief.
pub struct Options<'a> {
    pub formats: &'a [Format],
    pub templates: &'a Templates,
    pub typst: Option<&'a typst::Typst>,
    /// Unix time stamped into the PDF.
    pub creation_time: i64,
}

/// The outcome for each format: written, or why not.
pub struct Report {
    pub written: Vec<PathBuf>,
    pub failed: Vec<(Format, anyhow::Error)>,
    /// Caveats about files that were written (a PDF that is not PDF/A, say).
    pub notes: Vec<String>,
}

/// Renders the requested formats and moves them into `out_dir` together. A format that fails
/// (typst missing, say) is reported; the others are still written.
pub fn write_brief(brief: &Brief, out_dir: &Path, options: &Options) -> Result<Report> {
    let mut staged: Vec<(Format, Vec<u8>)> = Vec::new();
    let mut failed = Vec::new();
    let mut notes = Vec::new();
    for &format in options.formats {
        let produced: Result<Vec<u8>> = match format {
            Format::Json => json(brief).map(String::into_bytes),
            Format::Markdown => markdown(brief, options.templates).map(String::into_bytes),
            Format::Html => html(brief, options.templates).map(String::into_bytes),
            Format::Pdf => match options.typst {
                Some(t) => typst_source(brief, options.templates)
                    .and_then(|src| Ok((src, typst_data(brief)?)))
                    .and_then(|(src, data)| t.compile(&src, &data, options.creation_time))
                    .map(|compiled| {
                        notes.extend(compiled.note);
                        compiled.pdf
                    }),
                None => Err(anyhow::anyhow!(typst::MISSING)),
            },
        };
        match produced {
            Ok(bytes) => staged.push((format, bytes)),
            Err(e) => failed.push((format, e)),
        }
    }
    let files: Vec<(&str, &[u8])> = staged.iter().map(|(f, b)| (f.file_name(), b.as_slice())).collect();
    let written = output::write_all(out_dir, &files)?;
    Ok(Report { written, failed, notes })
}
