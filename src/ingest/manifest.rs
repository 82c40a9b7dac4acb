//! `sources.toml`: what the user knows about each article. It wins over anything inferred
//! from the text. Unknown keys are errors, so a typo does not silently do nothing.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// The article's file name in the folder.
    #[serde(default)]
    pub file: String,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// YYYY-MM-DD.
    pub published: Option<String>,
    /// The outlet this article relays or translates.
    pub via: Option<String>,
    pub affiliation: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    source: Vec<ManifestEntry>,
}

#[derive(Debug, Default)]
pub struct Manifest {
    pub title: Option<String>,
    entries: BTreeMap<String, ManifestEntry>,
}

impl Manifest {
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        Manifest::parse(&text).with_context(|| format!("{} is not a valid manifest", path.display()))
    }

    pub fn parse(text: &str) -> Result<Manifest> {
        // toml's error message carries the line and column and quotes the offending line.
        let file: ManifestFile = toml::from_str(text)?;
        let mut entries = BTreeMap::new();
        for mut entry in file.source {
            for field in
                [&mut entry.outlet, &mut entry.url, &mut entry.published, &mut entry.via, &mut entry.affiliation]
            {
                if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
                    *field = None;
                }
            }
            if let Some(date) = &entry.published {
                chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .with_context(|| format!("{}: published date {date:?} is not YYYY-MM-DD", entry.file))?;
            }
            if entry.file.is_empty() {
                anyhow::bail!("a [[source]] entry has no `file`");
            }
            entries.insert(entry.file.clone(), entry);
        }
        Ok(Manifest { title: file.title, entries })
    }

    /// Removes and returns the entry for `file`.
    pub fn take(&mut self, file: &str) -> Option<ManifestEntry> {
        self.entries.remove(file)
    }

    /// Entries no article claimed, in name order.
    pub fn remaining(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_manifest_names_line_and_column() {
        let err = Manifest::parse("[[source]]\nfile = \"a.txt\"\noutlet = \n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("line 3"), "{msg}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = Manifest::parse("[[source]]\nfile = \"a.txt\"\noutlett = \"X\"\n").unwrap_err();
        assert!(format!("{err:#}").contains("outlett"));
    }

    #[test]
    fn empty_strings_mean_unknown() {
        let m = Manifest::parse("[[source]]\nfile = \"a.txt\"\nurl = \"\"\n").unwrap();
        assert_eq!(m.entries["a.txt"].url, None);
    }
}
