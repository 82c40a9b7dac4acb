//! The loaded-language lexicon: TOML texts in (the built-in `data/lexicon.toml` first, then a
//! user's file), one compiled matcher out that finds every entry in a text by whole words.
//!
//! An entry is a term with its category, a reason and, where one fits, a neutral alternative.
//! Its surface forms are the term itself, its regular inflections (first and last word: "slam"
//! also finds "slams", "slammed", "slamming"), and any `forms` listed. `[[pattern]]` entries are
//! regular expressions for framing devices that are not fixed strings ("what X insists are").
//! A later file overrides an entry of the same term and can switch entries off with
//! `off = ["term", …]`. Matching is ASCII case-insensitive, one aho-corasick pass over the text,
//! and keeps only whole-word hits: "regimen" is not "regime"; a camel-case join left by scraping
//! ("Killing SpreeCanada") counts as a boundary.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::{Context, Result};
use regex::Regex;
use serde::Deserialize;

/// One lexicon entry as the brief reports it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub term: String,
    pub category: String,
    pub reason: String,
    #[serde(default)]
    pub neutral: Option<String>,
    /// Extra surface forms (irregular inflections, spelling variants).
    #[serde(default)]
    pub forms: Vec<String>,
    /// Whether regular inflections of the first and last word are matched too (default yes).
    #[serde(default = "yes")]
    pub inflect: bool,
    /// For entries derived from annotated data: which data and how often (kept for the reader).
    #[serde(default)]
    pub derived_from: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    regex: String,
    term: String,
    category: String,
    reason: String,
    #[serde(default)]
    neutral: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    term: Vec<Entry>,
    #[serde(default)]
    pattern: Vec<RawPattern>,
    /// Terms (of earlier files) switched off.
    #[serde(default)]
    off: Vec<String>,
}

/// A hit: the byte range in the searched text and the entry it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
}

/// The compiled lexicon.
pub struct Lexicon {
    entries: Vec<Entry>,
    /// Surface form index → entry index.
    form_entry: Vec<usize>,
    matcher: AhoCorasick,
    patterns: Vec<(Regex, usize)>,
    /// Tells lexicons apart in caches of what they found: unique per compiled lexicon.
    id: u64,
}

impl Lexicon {
    /// A number no other lexicon compiled in this process has.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Parses the lexicon files in order; later files add entries, replace same-named ones and
    /// switch entries off.
    pub fn from_texts(texts: &[String]) -> Result<Lexicon> {
        let mut terms: BTreeMap<String, (usize, Entry)> = BTreeMap::new();
        let mut patterns: BTreeMap<String, (usize, RawPattern)> = BTreeMap::new();
        let mut order = 0;
        for (i, text) in texts.iter().enumerate() {
            let file: LexiconFile =
                toml::from_str(text).with_context(|| format!("lexicon file {} is not valid", i + 1))?;
            for off in &file.off {
                let key = off.trim().to_lowercase();
                terms.remove(&key);
                patterns.remove(&key);
            }
            for entry in file.term {
                order += 1;
                terms.insert(entry.term.trim().to_lowercase(), (order, entry));
            }
            for p in file.pattern {
                order += 1;
                patterns.insert(p.term.trim().to_lowercase(), (order, p));
            }
        }
        // Keep the files' order (a user's entries after the defaults) so output is stable.
        let mut ordered: Vec<(usize, Entry)> = terms.into_values().collect();
        ordered.sort_by_key(|(o, _)| *o);
        let mut entries: Vec<Entry> = ordered.into_iter().map(|(_, e)| e).collect();

        // Each surface form belongs to one entry: an entry's own term wins over another's
        // inflection, and otherwise the earlier entry wins.
        let mut forms: BTreeMap<String, (bool, usize)> = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let own = entry.term.trim().to_lowercase();
            for form in surface_forms(entry) {
                let exact = form == own;
                match forms.get(&form) {
                    Some(&(true, _)) => {}
                    Some(&(false, _)) if !exact => {}
                    _ => {
                        forms.insert(form, (exact, index));
                    }
                }
            }
        }
        let form_entry: Vec<usize> = forms.values().map(|&(_, e)| e).collect();
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A DFA: every sentence of every article goes through it, and it is several times
            // faster than the default NFA for a few megabytes of memory.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(forms.keys())
            .context("cannot compile the lexicon")?;

        let mut raw_patterns: Vec<(usize, RawPattern)> = patterns.into_values().collect();
        raw_patterns.sort_by_key(|(o, _)| *o);
        let mut compiled = Vec::new();
        for (_, p) in raw_patterns {
            let regex = crate::data::regex(&p.regex)
                .with_context(|| format!("lexicon pattern for {:?} is not a valid regex", p.term))?;
            entries.push(Entry {
                term: p.term,
                category: p.category,
                reason: p.reason,
                neutral: p.neutral,
                forms: Vec::new(),
                inflect: false,
                derived_from: None,
            });
            compiled.push((regex, entries.len() - 1));
        }
        let id = crate::memo::owner_id();
        Ok(Lexicon { entries, form_entry, matcher, patterns: compiled, id })
    }

    pub fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Whole-word hits in `text`, longest first where they overlap, in text order.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut candidates: Vec<Hit> = self
            .matcher
            .find_overlapping_iter(text)
            .filter(|m| is_whole_word(text, m.start(), m.end()))
            .map(|m| Hit { start: m.start(), end: m.end(), entry: self.form_entry[m.pattern().as_usize()] })
            .collect();
        for (regex, entry) in &self.patterns {
            candidates.extend(regex.find_iter(text).map(|m| Hit { start: m.start(), end: m.end(), entry: *entry }));
        }
        candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.entry.cmp(&b.entry)));
        let mut out: Vec<Hit> = Vec::new();
        for hit in candidates {
            if out.last().is_none_or(|last| hit.start >= last.end) {
                out.push(hit);
            }
        }
        out
    }
}

/// True when `text[start..end]` stands as whole words: no letter or digit glued on either side,
/// except a scraped camel-case join (lower-case letter then capital).
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let (Some(first), Some(last)) = (text[start..end].chars().next(), text[start..end].chars().next_back()) else {
        return false;
    };
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let before_ok = before.is_none_or(|c| !c.is_alphanumeric() || (c.is_lowercase() && first.is_uppercase()));
    let after_ok = after.is_none_or(|c| !c.is_alphanumeric() || (last.is_lowercase() && c.is_uppercase()));
    before_ok && after_ok
}

/// The lower-cased strings an entry matches.
fn surface_forms(entry: &Entry) -> Vec<String> {
    let term = entry.term.trim().to_lowercase();
    let mut out = vec![term.clone()];
    out.extend(entry.forms.iter().map(|f| f.trim().to_lowercase()));
    if entry.inflect {
        let words: Vec<&str> = term.split(' ').collect();
        let last = words.len() - 1;
        for form in inflections(words[last]) {
            let mut w = words.clone();
            w[last] = &form;
            out.push(w.join(" "));
        }
        if last > 0 {
            for form in inflections(words[0]) {
                let mut w = words.clone();
                w[0] = &form;
                out.push(w.join(" "));
            }
        }
    }
    out.sort();
    out.dedup();
    out.retain(|f| !f.is_empty());
    out
}

/// Regular English inflections of one word: plural / third person, past, present participle.
/// Over-generation is harmless (a form that is not a word never matches), so both the doubled
/// and the plain consonant forms are produced.
pub fn inflections(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 || !chars.iter().all(|c| c.is_ascii_alphabetic() || *c == '-') {
        return Vec::new();
    }
    let vowel = |c: char| "aeiou".contains(c);
    let last = chars[chars.len() - 1];
    let prev = chars[chars.len() - 2];
    let stem_y = word.strip_suffix('y').filter(|_| !vowel(prev));
    let mut out = Vec::new();
    // Plural and third person.
    if let Some(stem) = stem_y {
        out.push(format!("{stem}ies"));
    } else if word.ends_with('s')
        || word.ends_with('x')
        || word.ends_with('z')
        || word.ends_with("ch")
        || word.ends_with("sh")
    {
        out.push(format!("{word}es"));
    } else {
        out.push(format!("{word}s"));
    }
    // Past and participles.
    if let Some(stem) = stem_y {
        out.push(format!("{stem}ied"));
        out.push(format!("{word}ing"));
    } else if let Some(stem) = word.strip_suffix("ie") {
        out.push(format!("{word}d"));
        out.push(format!("{stem}ying"));
    } else if last == 'e' {
        out.push(format!("{word}d"));
        if !word.ends_with("ee") {
            out.push(format!("{}ing", &word[..word.len() - 1]));
        }
        out.push(format!("{word}ing"));
    } else {
        out.push(format!("{word}ed"));
        out.push(format!("{word}ing"));
        let cvc = !vowel(last) && !"wxy".contains(last) && vowel(prev) && !vowel(chars[chars.len() - 3]);
        if cvc {
            out.push(format!("{word}{last}ed"));
            out.push(format!("{word}{last}ing"));
        }
    }
    // "-er" nouns of agents and comparatives are left to explicit `forms`: they change meaning.
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(extra: &str) -> Lexicon {
        let base = r#"
[[term]]
term = "regime"
category = "label"
reason = "r"
[[term]]
term = "slam"
category = "tabloid"
reason = "r"
[[term]]
term = "bust up"
category = "tabloid"
reason = "r"
[[term]]
term = "killing spree"
category = "emotive"
reason = "r"
neutral = "strikes"
"#;
        Lexicon::from_texts(&[base.to_string(), extra.to_string()]).unwrap()
    }

    fn hits(lex: &Lexicon, text: &str) -> Vec<String> {
        lex.find(text).iter().map(|h| text[h.start..h.end].to_string()).collect()
    }

    #[test]
    fn whole_words_only() {
        let lex = lexicon("");
        assert_eq!(hits(&lex, "a strict regimen of diet"), Vec::<String>::new());
        assert_eq!(hits(&lex, "the regime's army; anti-regime protests"), vec!["regime", "regime"]);
        assert_eq!(hits(&lex, "Maduro regimes"), vec!["regimes"]);
    }

    #[test]
    fn inflections_and_case() {
        let lex = lexicon("");
        assert_eq!(hits(&lex, "He SLAMMED them, slams them, is slamming them"), vec!["SLAMMED", "slams", "slamming"]);
        assert_eq!(hits(&lex, "a Bust Up and busts up, busted up"), vec!["Bust Up", "busts up", "busted up"]);
        assert_eq!(hits(&lex, "Rises in SOUTHCOM’s Killing SpreeCanada, while"), vec!["Killing Spree"]);
        assert_eq!(inflections("spree"), vec!["sprees", "spreed", "spreeing"]);
        assert!(inflections("slam").contains(&"slammed".to_string()));
        assert!(inflections("bully").contains(&"bullied".to_string()));
    }

    #[test]
    fn user_file_adds_and_switches_off() {
        let lex = lexicon(
            r#"off = ["regime"]
[[term]]
term = "cartel boss"
category = "label"
reason = "mine"
"#,
        );
        assert_eq!(hits(&lex, "the regime and the cartel boss"), vec!["cartel boss"]);
        assert!(lex.entries().iter().all(|e| e.term != "regime"));
    }

    #[test]
    fn patterns_are_regexes() {
        let lex = lexicon(
            r#"[[pattern]]
regex = "(?i)\\bso-called\\b"
term = "so-called"
category = "framing"
reason = "r"
"#,
        );
        assert_eq!(hits(&lex, "the so-called peace plan"), vec!["so-called"]);
    }
}
