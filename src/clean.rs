//! Clean: a document's text in, the ranges worth analysing out, with a record of every piece
//! of boilerplate removed (span, text, reason), the photo captions found on the way, and the
//! metadata the removed lines told (datelines, source labels, translation credits).
//!
//! Nothing is deleted from the text itself: cleaning only decides which byte ranges later stages
//! read, so every offset still points into the original text. Patterns come from
//! `data/boilerplate.toml`; the only rules in code are the ones no regex can say (a repeated
//! headline, an outlet's name standing alone as a label).

use std::ops::Range;

use crate::brief::Removal;
use crate::data::{Data, Scope};

/// What cleaning keeps and what it learnt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// Byte ranges to analyse, sorted, not overlapping.
    pub kept: Vec<Range<usize>>,
    pub removed: Vec<Removal>,
    /// Lines that carried a photo credit: the caption text that remains.
    pub captions: Vec<Range<usize>>,
    pub hints: Hints,
}

/// Metadata read from the text; the manifest wins over all of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    /// YYYY-MM-DD, with the words it came from.
    pub published: Option<(String, String)>,
    /// An outlet named as the publisher (a translation credit, a mailing-list banner).
    pub outlet: Option<(String, String)>,
    /// An outlet this article relays (a source label, "(Telesur)").
    pub via: Option<(String, String)>,
}

/// The lines of the text: their byte ranges without the line breaks (an empty last one after a
/// final break), found with `memchr`: a loop over every byte of every article was 2 instructions
/// a byte.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())).map(move |end| {
        let line = start..end;
        start = end + 1;
        line
    })
}

/// Trims ASCII and Unicode white space (and `\r`) from both ends of a range.
fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (r.start + lead)..(r.end - trail).max(r.start + lead)
}

pub fn clean(text: &str, data: &Data) -> Cleaned {
    let half = text.len() / 2;
    let mut cut: Vec<(Range<usize>, String)> = Vec::new();
    let mut captions = Vec::new();
    let mut hints = Hints::default();
    let mut tail_from: Option<(usize, String)> = None;

    // Content lines seen so far, for `within_lines` and the repeated-headline rule.
    let mut headline: Option<&str> = None;
    let mut content_line = 0usize;
    for line in lines(text) {
        let r = trim_range(text, line);
        if r.is_empty() {
            continue;
        }
        if tail_from.as_ref().is_some_and(|(at, _)| r.start >= *at) {
            break;
        }
        let s = &text[r.clone()];
        content_line += 1;
        let mut removed_line = false;
        let matching = data.boilerplate.matching(s);
        for (k, p) in data.boilerplate.patterns.iter().enumerate() {
            if !matching.matched(k) {
                continue;
            }
            if p.within_lines.is_some_and(|n| content_line > n) {
                continue;
            }
            match p.scope {
                Scope::Line => {
                    cut.push((r.clone(), p.reason.clone()));
                    removed_line = true;
                }
                Scope::Dateline => {
                    if let Some(c) = p.regex().for_text(s).captures(s) {
                        if hints.published.is_none() {
                            if let Some(date) = c.name("date").and_then(|d| parse_date(d.as_str())) {
                                hints.published = Some((date, s.to_string()));
                            }
                        }
                        cut.push((r.clone(), p.reason.clone()));
                        removed_line = true;
                    }
                }
                Scope::Tail if r.start >= half => {
                    tail_from = Some((r.start, p.reason.clone()));
                    removed_line = true;
                }
                _ => {}
            }
            if removed_line {
                break;
            }
        }
        if removed_line {
            if tail_from.is_some() {
                break;
            }
            continue;
        }
        // An outlet's name alone on a line near the top is a source label, not a sentence.
        if content_line <= 6 && s.len() <= 40 {
            if let Some(outlet) = data.outlet_named(s) {
                hints.via.get_or_insert((outlet.name.clone(), s.to_string()));
                cut.push((r.clone(), "source label".to_string()));
                continue;
            }
        }
        match headline {
            None => headline = Some(s),
            Some(h) if h == s => {
                cut.push((r.clone(), "repeated headline".to_string()));
                continue;
            }
            _ => {}
        }
        for (k, p) in data.boilerplate.patterns.iter().enumerate() {
            if !matching.matched(k) {
                continue;
            }
            match p.scope {
                Scope::Inline => {
                    if let Some(m) = p.regex().for_text(s).find(s) {
                        if m.start() == 0 {
                            continue; // a whole line is never an inline credit
                        }
                        let span = (r.start + m.start())..(r.start + m.end());
                        if p.reason.contains("translation") {
                            read_translation_credit(m.as_str(), data, &mut hints);
                        }
                        if p.caption {
                            captions.push(r.start..span.start);
                        }
                        cut.push((span, p.reason.clone()));
                    }
                }
                Scope::EmbeddedPost => {
                    for m in p.regex().for_text(s).find_iter(s) {
                        let begin = embedded_post_start(s, m.start());
                        cut.push(((r.start + begin)..(r.start + m.end()), p.reason.clone()));
                    }
                }
                _ => {}
            }
        }
    }
    if let Some((at, reason)) = tail_from {
        let end = text.trim_end().len();
        if at < end {
            cut.push((at..end, reason));
        }
    }
    for m in newsletter_outlet(text, data, &cut) {
        hints.outlet.get_or_insert(m);
    }

    cut.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end)));
    let mut merged: Vec<(Range<usize>, String)> = Vec::new();
    for (r, reason) in cut {
        match merged.last_mut() {
            Some((last, _)) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push((r, reason)),
        }
    }
    let mut kept = Vec::new();
    let mut at = 0;
    for (r, _) in &merged {
        if r.start > at {
            kept.push(at..r.start);
        }
        at = r.end;
    }
    if at < text.len() {
        kept.push(at..text.len());
    }
    let removed = merged
        .into_iter()
        .map(|(r, reason)| Removal { start: r.start, end: r.end, text: text[r].to_string(), reason })
        .collect();
    Cleaned { kept, removed, captions, hints }
}

/// An embedded post glued into running text starts after the last glued sentence end
/// ("threat.El canciller…") before its link; failing that, at the start of the line.
fn embedded_post_start(line: &str, link_at: usize) -> usize {
    let before = &line[..link_at];
    // Skip the post's own final full stop, which sits right before the link.
    let search = before.trim_end_matches(['.', '!', '?', '"', '”']);
    let bytes = search.as_bytes();
    let mut best = 0;
    for (i, c) in search.char_indices() {
        if matches!(c, '.' | '!' | '?' | '”') {
            let next = i + c.len_utf8();
            if next < bytes.len() {
                let rest = &search[next..];
                let glued = rest.chars().next().is_some_and(|n| n.is_uppercase() || n == '¡' || n == '¿');
                if glued {
                    best = next;
                }
            }
        }
    }
    best
}

/// "(Telesur)Translation: Orinoco TribuneOT/JB/SH": the translator publishes, the one in
/// brackets is relayed.
fn read_translation_credit(credit: &str, data: &Data, hints: &mut Hints) {
    let credit = credit.trim();
    if let Some(open) = credit.find('(') {
        if let Some(close) = credit[open..].find(')') {
            let name = &credit[open + 1..open + close];
            let outlet = data.outlet_named(name).map(|o| o.name.clone()).unwrap_or_else(|| name.to_string());
            hints.via = Some((outlet, credit.to_string()));
        }
    }
    if let Some(at) = credit.find("Translation:") {
        let rest = credit[at + "Translation:".len()..].trim();
        // Editors' initials glued to the end ("OT/JB/SH") are not part of the name.
        static INITIALS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let initials = INITIALS.get_or_init(|| crate::data::regex(r"[A-Z]{2,3}(/[A-Z]{2,3})+$").unwrap());
        let name = initials.replace(rest, "").trim().to_string();
        let outlet = data.outlet_named(&name).map(|o| o.name.clone()).unwrap_or(name);
        if !outlet.is_empty() {
            hints.outlet = Some((outlet, credit.to_string()));
        }
    }
}

/// "Join the GlobalSecurity.org mailing list" in a removed banner names the publisher.
fn newsletter_outlet(text: &str, data: &Data, cut: &[(Range<usize>, String)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (r, reason) in cut {
        if reason != "newsletter banner" {
            continue;
        }
        for line in text[r.clone()].lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("Join the ") {
                if let Some(name) = rest.strip_suffix(" mailing list") {
                    let outlet = data.outlet_named(name).map(|o| o.name.clone()).unwrap_or_else(|| name.to_string());
                    out.push((outlet, line.to_string()));
                }
            }
        }
    }
    out
}

/// "November 13, 2025", "11 November 2025", "Nov. 13, 2025", "2025-11-13" to YYYY-MM-DD.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.replace(',', "").replace("Sept.", "Sep.");
    for fmt in ["%B %d %Y", "%d %B %Y", "%b. %d %Y", "%Y-%m-%d"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(&s, fmt) {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Cleaned {
        clean(text, &Data::builtin())
    }

    #[test]
    fn comment_section_and_related_list_go_together() {
        let body = "Headline\n\n".to_string() + &"Body sentence here.\n".repeat(20);
        let text = body.clone() + "LEAVE A REPLY\n\nPlease enter your comment!\n\nRelated\n\nOther story\n";
        let c = run(&text);
        assert!(c.kept.iter().all(|r| r.end <= body.len() || text[r.clone()].trim().is_empty()));
        assert_eq!(c.removed.last().unwrap().reason, "comment prompt");
    }

    #[test]
    fn photo_credit_marks_a_caption() {
        let text = "Headline\nBritain halted intelligence sharingCredit: Alamy\nBody.\n";
        let c = run(text);
        assert_eq!(c.removed[0].text, "Credit: Alamy");
        assert_eq!(&text[c.captions[0].clone()], "Britain halted intelligence sharing");
    }

    #[test]
    fn dateline_gives_the_date() {
        let c = run("Headline\n\nLondon-UK, November 13, 2025\n\nBody text.\n");
        assert_eq!(c.hints.published.unwrap().0, "2025-11-13");
        let c = run("Headline\n\nTuesday, 11 November 2025 9:20 PM\n\nBody.\n");
        assert_eq!(c.hints.published.unwrap().0, "2025-11-11");
    }

    #[test]
    fn glued_embedded_post_is_cut_back_to_its_sentence() {
        let text = "Head\nThe sources said so.Exclusive–The UK has stopped, sources tell CNN.https://t.co/Es— Natasha Bertrand (@NatashaBertrand) November 11, 2025Before the shift, all was calm.\n";
        let c = run(text);
        let post = c.removed.iter().find(|r| r.reason == "embedded social post").unwrap();
        assert!(post.text.starts_with("Exclusive–The UK"), "{}", post.text);
        assert!(post.text.ends_with("2025"));
    }

    #[test]
    fn translation_credit_names_publisher_and_relayed_outlet() {
        let c = run("Head\nBody text goes here.  (Telesur)Translation: Orinoco TribuneOT/JB/SH\n");
        assert_eq!(c.hints.outlet.unwrap().0, "Orinoco Tribune");
        assert_eq!(c.hints.via.unwrap().0, "teleSUR");
    }
}
