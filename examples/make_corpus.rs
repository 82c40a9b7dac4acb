//! A deterministic benchmark corpus built from real article text. Not part of the CLI.
//!
//! ```sh
//! cargo run --release --example make_corpus -- --n 10000 --out /tmp/corpus-10000 \
//!   ../shared/eval/ecbplus ../shared/eval/ptc/unlabelled-articles ../shared/eval/ptc/articles
//! ```
//!
//! Sources are folders (searched recursively) or files: `.txt` articles (headline on the first
//! line, then one paragraph a line, as in the SemEval PTC corpus) and ECB+ `.xml` documents
//! (tokens with sentence numbers). ECB+ documents of one topic and sub-topic (`1_3ecb.xml`,
//! `1_7ecb.xml` → topic 1, "ecb") report the same event, so they form one cluster of genuinely
//! overlapping stories; every other article is a cluster of its own.
//!
//! Each generated article takes one cluster, starts from one of its documents and mixes in
//! sentences of the others, then derives a variant the way syndication does: paragraphs
//! shuffled, sentences dropped, name variants swapped ("United States" / "U.S." / "America"),
//! a wire relay opening ("LONDON (Reuters) — "), attributions added (", sources told CNN."),
//! and now and then a figure changed. Articles are about 4.5 KB on average (2.5-6.5 KB), so
//! 10,000 of them are about 45 MB. A `sources.toml` gives each an outlet and a date.
//!
//! The same arguments always give the same bytes: a fixed-seed generator (SplitMix64), sorted
//! inputs, no clock.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// SplitMix64, shared with the check-worthiness trainer.
struct Rng(factbrief::claims::checkworthy::train::SplitMix);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// One real document: a headline and its paragraphs, each a list of sentences.
struct Doc {
    headline: String,
    paragraphs: Vec<Vec<String>>,
}

const OUTLETS: &[&str] = &[
    "CNN",
    "Reuters",
    "Associated Press",
    "AFP",
    "BBC",
    "The Guardian",
    "Press TV",
    "teleSUR",
    "The New York Times",
    "The Washington Post",
    "Fox News",
    "NBC News",
    "Al Jazeera",
    "Bloomberg",
    "Sky News",
    "Deutsche Welle",
    "The Hill",
    "Newsweek",
    "Daily Mail",
    "The Independent",
    "Metro Herald",
    "Valley Courier",
    "Coastal Times",
    "Harbor Gazette",
];
const WIRES: &[(&str, &str)] = &[("Reuters", "Reuters"), ("AP", "Associated Press"), ("AFP", "AFP")];
const CITIES: &[&str] = &["LONDON", "WASHINGTON", "NEW YORK", "PARIS", "LOS ANGELES", "CHICAGO", "MUMBAI", "BERLIN"];
const ATTRIBUTIONS: &[&str] = &[
    "sources told CNN",
    "according to Reuters",
    "the Associated Press reported",
    "officials said",
    "police said",
    "two people familiar with the matter told The Washington Post",
];
/// Name variants swapped both ways, as outlets write them.
const SWAPS: &[(&str, &str)] = &[
    ("United States", "U.S."),
    ("U.S.", "America"),
    ("United Kingdom", "Britain"),
    ("police", "officers"),
    ("killed", "left dead"),
    ("said", "stated"),
    ("Tuesday", "on Tuesday"),
    ("people", "persons"),
];

fn main() {
    let mut n = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 0x0005_eedf_ac7b_71ef_u64;
    let mut mean_kb = 4.5f64;
    let mut inputs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--n" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage()),
            "--out" => out = args.next().map(PathBuf::from),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage()),
            "--mean-kb" => mean_kb = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage()),
            "-h" | "--help" => usage(),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let Some(out) = out else { usage() };
    if inputs.is_empty() {
        usage();
    }
    let mut files = Vec::new();
    for input in &inputs {
        collect(input, &mut files);
    }
    files.sort();
    // Clusters: ECB+ topic and sub-topic, else one article each.
    let mut clusters: std::collections::BTreeMap<String, Vec<Doc>> = std::collections::BTreeMap::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let (key, doc) = if path.extension().is_some_and(|e| e == "xml") {
            (ecb_cluster(path), read_ecb(&text))
        } else {
            (path.display().to_string(), read_txt(&text))
        };
        if doc.paragraphs.iter().map(Vec::len).sum::<usize>() >= 3 {
            clusters.entry(key).or_default().push(doc);
        }
    }
    let clusters: Vec<Vec<Doc>> = clusters.into_values().collect();
    if clusters.is_empty() {
        eprintln!("make_corpus: no usable articles in the inputs");
        std::process::exit(1);
    }
    let docs: usize = clusters.iter().map(Vec::len).sum();
    std::fs::create_dir_all(&out).unwrap_or_else(|e| die(&out, e));
    let mut rng = Rng(factbrief::claims::checkworthy::train::SplitMix(seed));
    let mut manifest = String::from("# Generated by examples/make_corpus.rs\n");
    let mut total = 0usize;
    let width = n.to_string().len().max(4);
    for i in 0..n {
        // Multi-document clusters are picked more often, so grouping meets real overlap.
        let c = if rng.chance(0.6) {
            let multi: Vec<usize> = (0..clusters.len()).filter(|&c| clusters[c].len() > 1).collect();
            if multi.is_empty() { rng.below(clusters.len()) } else { multi[rng.below(multi.len())] }
        } else {
            rng.below(clusters.len())
        };
        let target = (mean_kb * 1000.0 * (0.55 + 0.9 * rng.below(1001) as f64 / 1000.0)) as usize;
        let text = article(&clusters[c], &clusters, target, &mut rng);
        total += text.len();
        let name = format!("a{i:0width$}.txt");
        let path = out.join(&name);
        std::fs::write(&path, &text).unwrap_or_else(|e| die(&path, e));
        let outlet = OUTLETS[rng.below(OUTLETS.len())];
        let day = 1 + rng.below(28);
        let _ = writeln!(
            manifest,
            "\n[[source]]\nfile = \"{name}\"\noutlet = \"{outlet}\"\npublished = \"2025-11-{day:02}\""
        );
    }
    let path = out.join("sources.toml");
    std::fs::write(&path, manifest).unwrap_or_else(|e| die(&path, e));
    eprintln!(
        "make_corpus: {n} articles, {:.1} MB, from {docs} documents in {} clusters, into {}",
        total as f64 / 1e6,
        clusters.len(),
        out.display()
    );
}

fn usage() -> ! {
    eprintln!("usage: make_corpus --n N --out DIR [--seed S] [--mean-kb KB] SOURCE...");
    std::process::exit(2)
}

fn die(path: &Path, e: std::io::Error) -> ! {
    eprintln!("make_corpus: {}: {e}", path.display());
    std::process::exit(1)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else { return };
        for e in entries.flatten() {
            collect(&e.path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "txt" || e == "xml") {
        out.push(path.to_path_buf());
    }
}

/// "ecbplus/12/12_3ecbplus.xml" → "ecb 12 ecbplus".
fn ecb_cluster(path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let topic = stem.split('_').next().unwrap_or("");
    let kind = if stem.ends_with("plus") { "ecbplus" } else { "ecb" };
    format!("ecb {topic} {kind}")
}

fn read_txt(text: &str) -> Doc {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let headline = lines.next().unwrap_or("").to_string();
    let paragraphs = lines.map(split_sentences).filter(|p| !p.is_empty()).collect();
    Doc { headline, paragraphs }
}

/// A rough splitter, only for building variants (factbrief does its own splitting).
fn split_sentences(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = line.as_bytes();
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?')
            && b.get(i + 1) == Some(&b' ')
            && b.get(i + 2).is_some_and(|c| c.is_ascii_uppercase())
            && i >= start + 20
        {
            out.push(line[start..=i].trim().to_string());
            start = i + 2;
        }
    }
    let rest = line[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// ECB+: `<token t_id=".." sentence="N" number="..">word</token>`, detokenised.
fn read_ecb(xml: &str) -> Doc {
    let mut sentences: Vec<Vec<String>> = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<token ") {
        rest = &rest[at..];
        let Some(close) = rest.find('>') else { break };
        let attrs = &rest[..close];
        let Some(end) = rest.find("</token>") else { break };
        let word = unescape(&rest[close + 1..end]);
        rest = &rest[end + 8..];
        let sentence: usize = attrs
            .split("sentence=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if sentence >= sentences.len() {
            sentences.resize(sentence + 1, Vec::new());
        }
        sentences[sentence].push(word);
    }
    let mut text: Vec<String> =
        sentences.iter().filter(|s| !s.is_empty() && !s[0].starts_with("http")).map(|s| detokenise(s)).collect();
    // ECB+ documents often open with a headline-like first sentence and an "Updated …" line.
    let headline = if text.is_empty() { String::new() } else { text.remove(0) };
    let headline = headline.trim_end_matches('.').to_string();
    let paragraphs = text.chunks(3).map(<[String]>::to_vec).collect();
    Doc { headline, paragraphs }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn detokenise(tokens: &[String]) -> String {
    let mut out = String::new();
    let mut open_quote = false;
    let mut no_space = true;
    let initial = |t: Option<&String>| t.is_some_and(|t| t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase()));
    let number = |t: Option<&String>| t.is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    for (i, t) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
        let next = tokens.get(i + 1);
        let t = match t.as_str() {
            "``" | "''" | "\"" | "\u{201c}" | "\u{201d}" => {
                open_quote = !open_quote;
                if open_quote {
                    if !no_space {
                        out.push(' ');
                    }
                    out.push('"');
                    no_space = true;
                } else {
                    out.push('"');
                }
                continue;
            }
            "-LRB-" => "(",
            "-RRB-" => ")",
            other => other,
        };
        let glue_left = matches!(t, "." | "," | ";" | ":" | "!" | "?" | ")" | "%" | "n't")
            || (t == "/" && number(prev))
            || (t.starts_with('\'') && t.len() <= 3);
        if !no_space && !glue_left {
            out.push(' ');
        }
        out.push_str(t);
        no_space = t == "("
            || t == "$"
            || (t == "." && initial(prev) && initial(next))
            || ((t == "/" || t == ":") && number(prev) && number(next));
    }
    out
}

fn article(cluster: &[Doc], all: &[Vec<Doc>], target: usize, rng: &mut Rng) -> String {
    let base = &cluster[rng.below(cluster.len())];
    let mut paragraphs: Vec<Vec<String>> = base.paragraphs.clone();
    // Sentences of the other reports of the same event, as a rewrite mixes sources.
    if cluster.len() > 1 {
        for _ in 0..1 + rng.below(3) {
            let other = &cluster[rng.below(cluster.len())];
            if let Some(p) = other.paragraphs.get(rng.below(other.paragraphs.len())) {
                let at = rng.below(paragraphs.len() + 1);
                paragraphs.insert(at, p.clone());
            }
        }
    }
    // Local shuffles and drops.
    for i in 1..paragraphs.len() {
        if rng.chance(0.2) {
            paragraphs.swap(i - 1, i);
        }
    }
    for p in &mut paragraphs {
        p.retain(|_| !rng.chance(0.12));
    }
    paragraphs.retain(|p| !p.is_empty());
    let mut swaps: Vec<(&str, &str, bool)> = Vec::new();
    for &(a, b) in SWAPS {
        if rng.chance(0.35) {
            swaps.push((a, b, rng.chance(0.5)));
        }
    }
    let mut out = String::with_capacity(target + 1000);
    out.push_str(&variant(&base.headline, &swaps));
    out.push_str("\n\n");
    let relay = rng.chance(0.25).then(|| {
        let (tag, _) = WIRES[rng.below(WIRES.len())];
        format!("{} ({tag}) — ", CITIES[rng.below(CITIES.len())])
    });
    let mut first = true;
    let mut donors = 0;
    while out.len() < target {
        let Some(p) = (if paragraphs.is_empty() { None } else { Some(paragraphs.remove(0)) }) else {
            // Out of text: continue with another report of the event, or any article.
            donors += 1;
            if donors > 20 {
                break;
            }
            let pool = if rng.chance(0.7) { cluster } else { &all[rng.below(all.len())][..] };
            paragraphs = pool[rng.below(pool.len())].paragraphs.clone();
            continue;
        };
        let mut line = String::new();
        for s in &p {
            let mut s = variant(s, &swaps);
            if rng.chance(0.06) {
                s = attribute(&s, ATTRIBUTIONS[rng.below(ATTRIBUTIONS.len())]);
            }
            if rng.chance(0.03) {
                s = change_figure(&s, rng);
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&s);
        }
        if first {
            if let Some(r) = &relay {
                out.push_str(r);
            }
            first = false;
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out
}

/// Swaps name variants at word boundaries.
fn variant(s: &str, swaps: &[(&str, &str, bool)]) -> String {
    let mut s = s.to_string();
    for &(a, b, forward) in swaps {
        let (from, to) = if forward { (a, b) } else { (b, a) };
        s = replace_words(&s, from, to);
    }
    s
}

fn replace_words(s: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(from) {
        let before_ok = rest[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after_ok = rest[at + from.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// "The toll rose." → "The toll rose, sources told CNN."
fn attribute(s: &str, who: &str) -> String {
    match s.strip_suffix('.') {
        Some(body) if !body.ends_with('"') => format!("{body}, {who}."),
        _ => s.to_string(),
    }
}

/// Changes the first number of two or more digits by a few units.
fn change_figure(s: &str, rng: &mut Rng) -> String {
    let b = s.as_bytes();
    let Some(start) = (0..b.len()).find(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()))
    else {
        return s.to_string();
    };
    let end = (start..b.len()).find(|&i| !b[i].is_ascii_digit()).unwrap_or(b.len());
    let Ok(v) = s[start..end].parse::<u64>() else { return s.to_string() };
    if !(10..100_000).contains(&v) {
        return s.to_string();
    }
    let delta = 1 + rng.below(5) as u64;
    let w = if rng.chance(0.5) { v + delta } else { v.saturating_sub(delta) };
    format!("{}{w}{}", &s[..start], &s[end..])
}
