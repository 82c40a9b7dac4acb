//! BASIL (Fan et al. 2019) to a seeds-like folder: one event, reported by Fox News, The New York
//! Times and HuffPost, becomes three `.txt` articles (headline, blank line, paragraphs) and a
//! `sources.toml` with each article's outlet, URL and date.
//!
//! Shared by `examples/basil_to_seeds.rs` and the snapshot tests. BASIL is research data and is
//! never copied into this repository: the folder is written wherever the caller says.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Article {
    source: String,
    title: String,
    url: Option<String>,
    date: Option<String>,
    #[serde(rename = "main-event")]
    main_event: Option<String>,
    #[serde(rename = "body-paragraphs")]
    body: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct Manifest {
    title: String,
    source: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    file: String,
    outlet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
}

fn outlet(code: &str) -> String {
    match code.to_ascii_lowercase().as_str() {
        "fox" => "Fox News".into(),
        "nyt" => "The New York Times".into(),
        "hpo" => "HuffPost".into(),
        other => other.to_string(),
    }
}

/// The event's article files, `<triple>_<n>.json`, in any year folder under `articles`.
pub fn event_files(articles: &Path, triple: &str) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for year in std::fs::read_dir(articles).with_context(|| format!("cannot read {}", articles.display()))? {
        let year = year?.path();
        if !year.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&year)? {
            let f = f?.path();
            let name = f.file_name().unwrap_or_default().to_string_lossy().to_string();
            if name.starts_with(&format!("{triple}_")) && name.ends_with(".json") {
                files.push(f);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("no BASIL articles {triple}_*.json under {}", articles.display());
    }
    Ok(files)
}

/// Writes the event's articles and manifest into `out` (created if missing).
pub fn convert(files: &[PathBuf], out: &Path) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let mut manifest = Manifest { title: String::new(), source: Vec::new() };
    for path in files {
        let article: Article = serde_json::from_slice(&std::fs::read(path)?)
            .with_context(|| format!("{} is not a BASIL article", path.display()))?;
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let n = stem.rsplit('_').next().unwrap_or("0");
        let file = format!("{n}_{}.txt", article.source.to_ascii_lowercase());
        let paragraphs: Vec<String> = article
            .body
            .iter()
            .map(|p| p.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect();
        let text = format!("{}\n\n{}\n", article.title.trim(), paragraphs.join("\n\n"));
        std::fs::write(out.join(&file), text)?;
        if manifest.title.is_empty() {
            manifest.title = article.main_event.clone().unwrap_or_default();
        }
        manifest.source.push(Entry {
            file,
            outlet: outlet(&article.source),
            url: article.url.filter(|u| u.starts_with("http")),
            published: article.date.filter(|d| d.len() == 10),
        });
    }
    manifest.source.sort_by(|a, b| a.file.cmp(&b.file));
    std::fs::write(out.join("sources.toml"), toml::to_string(&manifest)?)?;
    Ok(())
}
