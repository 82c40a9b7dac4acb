//! The templates' view of a brief: the brief itself plus what every format needs and no
//! template language should compute (display names, counts, key findings, diagram layout).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::escape::safe_url;
use crate::brief::{Brief, ConflictKind, Rating, Voice};

#[derive(Debug, Serialize)]
pub struct View {
    pub title: String,
    pub generator: String,
    pub dates: String,
    pub counts: Counts,
    pub key_findings: Vec<String>,
    pub claims: Vec<ClaimView>,
    pub needs_confirmation: Vec<ClaimView>,
    pub diagram: Diagram,
    pub conflicts: Vec<ConflictView>,
    pub language: Vec<OutletLanguage>,
    pub word_choices: Vec<WordChoiceView>,
    pub sources: Vec<SourceView>,
    pub rating_scale: Vec<ScaleStep>,
    pub warnings: Vec<String>,
    /// schema.org JSON-LD for the HTML head, already escaped for a <script> element.
    pub json_ld: String,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub outlets: usize,
    pub claims: usize,
    pub multi_outlet_claims: usize,
    pub origins: usize,
    pub conflicts: usize,
    pub contradictions: usize,
    pub markers: usize,
    pub outlet_voice_markers: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub id: String,
    pub text: String,
    pub rating: String,
    pub rating_label: String,
    pub checkworthiness: f64,
    pub outlets: usize,
    pub independent: usize,
    pub outlet_names: Vec<String>,
    pub origins: Vec<String>,
    pub mentions: Vec<MentionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MentionView {
    pub source: String,
    /// The source's anchor in the brief: letters, digits and hyphens only.
    pub anchor: String,
    pub source_name: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub attribution: Option<String>,
    pub origin: String,
}

#[derive(Debug, Serialize)]
pub struct Diagram {
    pub width: usize,
    pub height: usize,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// One line per edge, for Markdown: "The Sun cites CNN".
    pub lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Node {
    pub name: String,
    pub x: usize,
    pub y: usize,
    /// "source" (an article in the folder) or "origin" (an outlet it credits).
    pub kind: String,
}

#[derive(Debug, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub x1: usize,
    pub y1: usize,
    pub x2: usize,
    pub y2: usize,
}

#[derive(Debug, Serialize)]
pub struct ConflictView {
    pub quantity: String,
    pub kind: String,
    pub kind_label: String,
    pub explanation: String,
    pub claim: Option<String>,
    pub values: Vec<ValueView>,
}

#[derive(Debug, Serialize)]
pub struct ValueView {
    pub text: String,
    pub range: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OutletLanguage {
    pub source: String,
    pub name: String,
    pub per_1000_words: f64,
    /// Bar length in the chart, 0-100.
    pub bar: usize,
    pub own: Vec<TermUse>,
    pub others: Vec<TermUse>,
}

#[derive(Debug, Serialize)]
pub struct TermUse {
    pub text: String,
    pub category: String,
    pub voice: String,
    pub speaker: Option<String>,
    pub position: String,
    pub neutral: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct WordChoiceView {
    pub claim: String,
    pub source_name: String,
    pub term: String,
    pub others: Vec<String>,
    pub more: usize,
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    pub id: String,
    pub anchor: String,
    pub name: String,
    pub path: String,
    pub url: Option<String>,
    pub url_text: Option<String>,
    pub published: String,
    pub affiliation: String,
    pub headline: String,
    pub words: usize,
    pub cites: String,
    pub via: String,
    pub removed: Vec<RemovedView>,
    pub encoding: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RemovedView {
    pub reason: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Serialize)]
pub struct ScaleStep {
    pub rating: String,
    pub label: String,
    pub meaning: String,
}

/// "source-" and the id with everything but ASCII letters and digits turned into hyphens, so it
/// is safe in any format's link target without escaping.
pub fn anchor(id: &str) -> String {
    let slug: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("source-{slug}")
}

/// How a source whose outlet nobody named is shown: "unnamed outlet (000)", with the file
/// name's first part, so readers can still tell the sources apart and find the file.
pub fn unnamed(id: &str) -> String {
    let short = id.split(['_', '-', ' ']).next().filter(|s| !s.is_empty()).unwrap_or(id);
    format!("unnamed outlet ({short})")
}

fn rating_key(r: Rating) -> String {
    serde_json::to_value(r).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn shorten(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{cut}…")
}

pub fn build(brief: &Brief) -> View {
    let names: BTreeMap<&str, String> =
        brief.sources.iter().map(|s| (s.id.as_str(), s.outlet.clone().unwrap_or_else(|| unnamed(&s.id)))).collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());

    let claim_view = |c: &crate::brief::Claim| {
        let mut outlet_names: Vec<String> = c.mentions.iter().map(|m| name(&m.source)).collect();
        outlet_names.dedup();
        ClaimView {
            id: c.id.clone(),
            text: c.text.clone(),
            rating: rating_key(c.rating),
            rating_label: c.rating.label().to_string(),
            checkworthiness: c.checkworthiness,
            outlets: c.outlets,
            independent: c.independent,
            outlet_names,
            origins: c.origins.iter().map(|o| name(o)).collect(),
            mentions: c
                .mentions
                .iter()
                .map(|m| MentionView {
                    source: m.source.clone(),
                    anchor: anchor(&m.source),
                    source_name: name(&m.source),
                    text: m.text.to_string(),
                    start: m.start,
                    end: m.end,
                    attribution: m.attribution.as_ref().map(|a| a.phrase.clone()),
                    origin: name(&m.origin),
                })
                .collect(),
        }
    };
    // The brief lists claims carried by more than one outlet, and single-outlet claims only when
    // nothing else is there; every claim stays in the JSON.
    let multi: Vec<ClaimView> = brief.claims.iter().filter(|c| c.outlets >= 2).map(claim_view).collect();
    let claims = if multi.is_empty() { brief.claims.iter().take(20).map(claim_view).collect() } else { multi };
    let needs_confirmation: Vec<ClaimView> = brief
        .claims
        .iter()
        .filter(|c| c.independent <= 1 && c.checkworthiness >= 0.7)
        .take(25)
        .map(claim_view)
        .collect();

    let origins: BTreeSet<&str> =
        brief.claims.iter().filter(|c| c.outlets >= 2).flat_map(|c| c.origins.iter().map(String::as_str)).collect();
    let key_findings = key_findings(brief, &name);
    let diagram = diagram(brief, &name);
    let conflicts = brief
        .conflicts
        .iter()
        .map(|c| ConflictView {
            quantity: c.quantity.clone(),
            kind: match c.kind {
                ConflictKind::Contradiction => "contradiction".into(),
                ConflictKind::Variation => "variation".into(),
            },
            kind_label: match c.kind {
                ConflictKind::Contradiction => "Contradiction".into(),
                ConflictKind::Variation => "Variation".into(),
            },
            explanation: match c.kind {
                ConflictKind::Contradiction => "These figures cannot all be true at once.".into(),
                ConflictKind::Variation => {
                    "These figures can all be true: lower bounds, approximations or counts at different dates.".into()
                }
            },
            claim: c.claim.clone(),
            values: c
                .values
                .iter()
                .map(|v| ValueView {
                    text: v.text.clone(),
                    range: match v.high {
                        Some(h) if h == v.low => format!("{}", v.low),
                        Some(h) => format!("{}–{}", v.low, h),
                        None => format!("{} or more", v.low),
                    },
                    sources: v.sources.iter().map(|s| name(s)).collect(),
                })
                .collect(),
        })
        .collect();

    let max_rate = brief.sources.iter().map(|s| s.profile.per_1000_words).fold(0.0, f64::max);
    let language = brief
        .sources
        .iter()
        .map(|s| {
            let uses = |own: bool| -> Vec<TermUse> {
                brief
                    .markers
                    .iter()
                    .filter(|m| m.source == s.id && (m.voice == Voice::Outlet) == own)
                    .map(|m| TermUse {
                        text: m.text.clone(),
                        category: m.category.clone(),
                        voice: serde_json::to_value(m.voice)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        speaker: m.speaker.clone(),
                        position: serde_json::to_value(m.position)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        neutral: m.neutral.clone(),
                    })
                    .collect()
            };
            OutletLanguage {
                source: s.id.clone(),
                name: name(&s.id),
                per_1000_words: s.profile.per_1000_words,
                bar: if max_rate > 0.0 { (s.profile.per_1000_words / max_rate * 100.0).round() as usize } else { 0 },
                own: uses(true),
                others: uses(false),
            }
        })
        .collect();
    let word_choices = brief
        .sources
        .iter()
        .flat_map(|s| {
            s.profile.word_choices.iter().map(|w| WordChoiceView {
                claim: w.claim.clone(),
                source_name: name(&s.id),
                term: w.term.clone(),
                others: w.others.clone(),
                more: w.more,
            })
        })
        .collect();
    let sources = brief
        .sources
        .iter()
        .map(|s| SourceView {
            id: s.id.clone(),
            anchor: anchor(&s.id),
            name: name(&s.id),
            path: s.path.clone(),
            url: s.url.as_deref().and_then(safe_url).map(String::from),
            url_text: s.url.clone(),
            published: s.published.clone().unwrap_or_else(|| "unknown".into()),
            affiliation: s.affiliation.clone().unwrap_or_else(|| "unknown".into()),
            headline: s.headline.clone().unwrap_or_default(),
            words: s.words,
            cites: if s.cites.is_empty() { "none named".into() } else { s.cites.join(", ") },
            via: s.via.clone().unwrap_or_else(|| "—".into()),
            removed: s
                .removed
                .iter()
                .map(|r| RemovedView {
                    reason: r.reason.clone(),
                    text: shorten(&r.text, 160),
                    start: r.start,
                    end: r.end,
                })
                .collect(),
            encoding: s.encoding.clone(),
        })
        .collect();

    let dates = match &brief.date_range {
        Some((a, b)) if a == b => a.clone(),
        Some((a, b)) => format!("{a} to {b}"),
        None => "dates unknown".into(),
    };
    View {
        title: brief.title.clone(),
        generator: brief.generator.clone(),
        dates,
        counts: Counts {
            outlets: brief.sources.len(),
            claims: brief.claims.len(),
            multi_outlet_claims: brief.claims.iter().filter(|c| c.outlets >= 2).count(),
            origins: origins.len(),
            conflicts: brief.conflicts.len(),
            contradictions: brief.conflicts.iter().filter(|c| c.kind == ConflictKind::Contradiction).count(),
            markers: brief.markers.len(),
            outlet_voice_markers: brief.markers.iter().filter(|m| m.voice == Voice::Outlet).count(),
        },
        key_findings,
        claims,
        needs_confirmation,
        diagram,
        conflicts,
        language,
        word_choices,
        sources,
        rating_scale: rating_scale(),
        warnings: brief.warnings.clone(),
        json_ld: json_ld(brief, &name),
    }
}

fn rating_scale() -> Vec<ScaleStep> {
    [
        (Rating::WidelyCorroborated, "Three or more independent origins report it."),
        (Rating::Corroborated, "Two independent origins report it."),
        (Rating::SingleOrigin, "Several outlets carry it, but all trace it to one origin."),
        (Rating::SingleSource, "Only one outlet carries it."),
        (Rating::Contested, "Sources give figures for it that cannot all be true."),
    ]
    .into_iter()
    .map(|(r, meaning)| ScaleStep { rating: rating_key(r), label: r.label().into(), meaning: meaning.into() })
    .collect()
}

fn key_findings(brief: &Brief, name: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(top) = brief.claims.iter().find(|c| c.outlets >= 2) {
        let origins: Vec<String> = top.origins.iter().map(|o| name(o)).collect();
        out.push(format!(
            "The most widely carried claim appears in {} of {} outlets and traces to {} independent origin{} ({}).",
            top.outlets,
            brief.sources.len(),
            top.independent,
            if top.independent == 1 { "" } else { "s" },
            origins.join(", ")
        ));
    }
    let cited: BTreeMap<&str, usize> =
        brief.sources.iter().flat_map(|s| s.cites.iter().map(String::as_str)).fold(BTreeMap::new(), |mut m, c| {
            *m.entry(c).or_default() += 1;
            m
        });
    if let Some((outlet, n)) = cited.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
        if *n >= 2 {
            out.push(format!("{n} of {} outlets attribute their reporting to {outlet}.", brief.sources.len()));
        }
    }
    let relays: Vec<String> =
        brief.sources.iter().filter_map(|s| s.via.as_ref().map(|v| format!("{} relays {}", name(&s.id), v))).collect();
    if !relays.is_empty() {
        out.push(format!("{}; relayed reporting counts once.", relays.join("; ")));
    }
    for c in &brief.conflicts {
        let values: Vec<String> = c.values.iter().map(|v| v.text.clone()).collect();
        out.push(format!(
            "Sources differ on {}: {} ({}).",
            c.quantity,
            values.join(" / "),
            if c.kind == ConflictKind::Contradiction { "a contradiction" } else { "a variation that can be explained" }
        ));
    }
    let own = brief.markers.iter().filter(|m| m.voice == Voice::Outlet).count();
    let other = brief.markers.len() - own;
    if !brief.markers.is_empty() {
        out.push(format!(
            "{own} loaded terms are in the outlets' own voice; {other} more are in quotes or attributed speech."
        ));
    }
    out
}

fn diagram(brief: &Brief, name: &dyn Fn(&str) -> String) -> Diagram {
    let mut targets: BTreeSet<String> = BTreeSet::new();
    let mut edges_raw: Vec<(String, String, String)> = Vec::new();
    for s in &brief.sources {
        if let Some(via) = &s.via {
            targets.insert(via.clone());
            edges_raw.push((s.id.clone(), via.clone(), "relays".into()));
        }
        for c in &s.cites {
            if s.via.as_deref() != Some(c.as_str()) {
                targets.insert(c.clone());
                edges_raw.push((s.id.clone(), c.clone(), "cites".into()));
            }
        }
    }
    let row = 34;
    let height = (brief.sources.len().max(targets.len()) * row + 20).max(60);
    let (left_x, right_x) = (10, 400);
    let mut nodes = Vec::new();
    let mut pos: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, s) in brief.sources.iter().enumerate() {
        let y = 20 + i * row;
        pos.insert(s.id.clone(), (left_x + 220, y));
        nodes.push(Node { name: name(&s.id), x: left_x, y, kind: "source".into() });
    }
    for (i, t) in targets.iter().enumerate() {
        let y = 20 + i * row;
        pos.insert(format!("origin:{t}"), (right_x, y));
        nodes.push(Node { name: t.clone(), x: right_x + 8, y, kind: "origin".into() });
    }
    let mut lines = Vec::new();
    let edges = edges_raw
        .into_iter()
        .map(|(from, to, kind)| {
            let (x1, y1) = pos[&from];
            let (x2, y2) = pos[&format!("origin:{to}")];
            lines.push(format!("{} {} {}", name(&from), kind, to));
            Edge { from: name(&from), to, kind, x1, y1: y1 - 4, x2, y2: y2 - 4 }
        })
        .collect();
    Diagram { width: 600, height, nodes, edges, lines }
}

/// schema.org `Claim` for each claim carried by two or more outlets, with an `appearance` per
/// source. No `ClaimReview`: the rating is a corroboration count, not a truth verdict.
fn json_ld(brief: &Brief, name: &dyn Fn(&str) -> String) -> String {
    let urls: BTreeMap<&str, Option<&str>> =
        brief.sources.iter().map(|s| (s.id.as_str(), s.url.as_deref().and_then(safe_url))).collect();
    let claims: Vec<serde_json::Value> = brief
        .claims
        .iter()
        .filter(|c| c.outlets >= 2)
        .map(|c| {
            let appearance: Vec<serde_json::Value> = c
                .mentions
                .iter()
                .map(|m| {
                    let mut a = serde_json::json!({
                        "@type": "CreativeWork",
                        "publisher": {"@type": "Organization", "name": name(&m.source)},
                        "text": m.text,
                    });
                    if let Some(Some(url)) = urls.get(m.source.as_str()) {
                        a["url"] = serde_json::Value::String(url.to_string());
                    }
                    a
                })
                .collect();
            serde_json::json!({
                "@type": "Claim",
                "@id": format!("#{}", c.id),
                "text": c.text,
                "appearance": appearance,
                "additionalProperty": {
                    "@type": "PropertyValue",
                    "name": "corroboration (independent origins; not a truth rating)",
                    "value": c.rating.label(),
                },
            })
        })
        .collect();
    let doc = serde_json::json!({"@context": "https://schema.org", "@graph": claims});
    // "</script>" inside a string must not end the element: escape every '<'.
    // Bidi controls are written as escapes so the page source reads as it is.
    let json = serde_json::to_string(&doc).unwrap_or_default().replace('<', "\\u003c");
    json.chars()
        .map(|c| if super::escape::is_bidi_control(c) { format!("\\u{:04x}", c as u32) } else { c.to_string() })
        .collect()
}
