//! Segment: a cleaned document in, sentences out, each a byte span into the original text with
//! its place in the article (headline, lead, caption, body).
//!
//! News text breaks the textbook rules: "U.S.", "Adm." and "Jan." end in full stops without
//! ending sentences, scraped pages glue sentences together ("international law.The United
//! Kingdom"), and headlines have no full stop at all. So: a line break always ends a sentence;
//! a full stop ends one when what follows starts a new sentence and what precedes it is not an
//! abbreviation or an initial; a full stop glued to a capitalised word ends one when a lower-case
//! letter precedes it (so "GlobalSecurity.org" and "U.K." stay whole). Sentences never cross a
//! removed range. The pass is linear in the text's length.

use std::ops::Range;

use crate::brief::Position;
use crate::clean::Cleaned;

/// A sentence before scoring: where it is and what part of the article it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub position: Position,
    /// The index of the line (paragraph) it stands in, counting from 0.
    pub paragraph: usize,
}

/// Words that end in a full stop without ending a sentence (compared without the stop).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Adm", "Gen", "Lt", "Col", "Capt", "Cmdr", "Maj", "Sgt", "Cpl",
    "Rep", "Sen", "Gov", "Pres", "Rev", "Hon", "Amb", "Supt", "Det", "Insp", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "Nos", "vs", "v", "etc", "e.g", "i.e", "approx", "est", "Inc",
    "Corp", "Co", "Ltd", "Bros", "Mt", "Ft", "Ave", "Blvd", "Rd", "Fig", "Vol", "pp", "cf", "al", "U.S", "U.K", "U.N",
    "E.U", "D.C", "U.S.A", "Calif", "Fla", "Mass", "Penn", "Wash",
];

/// Splits the kept ranges of `text` into sentences.
pub fn segment(text: &str, cleaned: &Cleaned) -> Vec<Segment> {
    let mut raw: Vec<(Range<usize>, usize)> = Vec::new();
    // Kept ranges come in order, so the line breaks before each are counted on from the last.
    let (mut counted_to, mut paragraph) = (0, 0);
    for kept in &cleaned.kept {
        // Line breaks found with `memchr`: a loop over every byte was 2 instructions a byte.
        paragraph += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..kept.start]).count();
        for (k, line) in crate::clean::lines(&text[kept.clone()]).enumerate() {
            paragraph += usize::from(k > 0);
            split_line(text, kept.start + line.start..kept.start + line.end, paragraph, &mut raw);
        }
        counted_to = kept.end;
    }
    assign_positions(text, raw, cleaned)
}

fn split_line(text: &str, line: Range<usize>, paragraph: usize, out: &mut Vec<(Range<usize>, usize)>) {
    let s = &text[line.clone()];
    let bytes = s.as_bytes();
    let mut start = 0;
    // Only the stops matter, and they are ASCII: jump from one to the next (decoding every
    // character of the text to find them was most of this stage).
    let mut from = 0;
    while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]) {
        let i = from + found;
        let c = char::from(bytes[i]);
        // Take closing quotes and brackets with the stop.
        let mut end = i + 1;
        for q in s[end..].chars() {
            if matches!(q, '"' | '”' | '’' | '\'' | ')' | ']' | '»') || (q == '.' && c == '.') {
                end += q.len_utf8();
            } else {
                break;
            }
        }
        from = end;
        if end >= bytes.len() {
            break;
        }
        if ends_sentence(s, start, i, end) {
            push(text, line.start + start..line.start + end, paragraph, out);
            start = end;
        }
    }
    push(text, line.start + start..line.end, paragraph, out);
}

/// Whether the stop at byte `i` of the line `s`, taken with its closing marks up to `end`, ends
/// the sentence that began at `start`.
fn ends_sentence(s: &str, start: usize, i: usize, end: usize) -> bool {
    let c = char::from(s.as_bytes()[i]);
    let next = s[end..].chars().next().unwrap_or(' ');
    if next.is_whitespace() {
        let after = s[end..].trim_start();
        let first = after.chars().next().unwrap_or('a');
        return starts_sentence(first) && (c != '.' || !is_abbreviation(&s[start..i]));
    }
    // Glued: "law.The" splits, "U.K." and "GlobalSecurity.org" do not.
    let prev = s[..i].chars().next_back().unwrap_or(' ');
    let mut following = s[end..].chars().peekable();
    // An opening quote may stand between the stop and the capital: "cited.“The".
    if following.peek().is_some_and(|q| matches!(q, '“' | '"' | '‘')) {
        following.next();
    }
    let (n1, n2) = (following.next().unwrap_or(' '), following.next().unwrap_or(' '));
    let after_closer = end > i + 1;
    (prev.is_lowercase() || prev.is_ascii_digit() || after_closer || prev == ')')
        && n1.is_uppercase()
        && (n2.is_lowercase() || n2 == ' ' || n2 == '\'' || n2 == '’')
        && !(c == '.' && is_abbreviation(&s[start..i]))
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '¡' | '¿' | '—' | '–')
}

/// True when the text before a full stop ends in a known abbreviation or a single initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"').next().unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true; // an initial: "Donald J. Trump"
    }
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word) && (a.len() > 1 || word == *a))
        && !(word.len() >= 4 && word.chars().all(|c| c.is_lowercase()))
}

fn push(text: &str, r: Range<usize>, paragraph: usize, out: &mut Vec<(Range<usize>, usize)>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.chars().any(|c| c.is_alphanumeric()) {
        let start = r.start + lead;
        out.push((start..start + trimmed.len(), paragraph));
    }
}

/// Headline: the first line when it is short and has no closing full stop. Lead: the first
/// paragraph after it (at most three sentences). Caption: inside a line that had a photo credit.
fn assign_positions(text: &str, raw: Vec<(Range<usize>, usize)>, cleaned: &Cleaned) -> Vec<Segment> {
    let mut out = Vec::with_capacity(raw.len());
    let first_paragraph = raw.first().map(|(_, p)| *p);
    let headline_para = raw.first().and_then(|(r, p)| {
        let s = text[r.clone()].trim_end();
        let single = raw.iter().filter(|(_, q)| q == p).count() == 1;
        (single && s.len() <= 200 && !s.ends_with('.')).then_some(*p)
    });
    let lead_para = raw.iter().map(|(_, p)| *p).find(|p| Some(*p) != headline_para && Some(*p) >= first_paragraph);
    let mut lead_count = 0;
    for (r, paragraph) in raw {
        let in_caption = cleaned.captions.iter().any(|c| r.start >= c.start && r.end <= c.end);
        let position = if in_caption {
            Position::Caption
        } else if Some(paragraph) == headline_para {
            Position::Headline
        } else if Some(paragraph) == lead_para && lead_count < 3 {
            lead_count += 1;
            Position::Lead
        } else {
            Position::Body
        };
        out.push(Segment { start: r.start, end: r.end, position, paragraph });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::clean;
    use crate::data::Data;

    /// `split_line` as first written: every character decoded in turn to find the stops.
    fn split_line_by_chars(text: &str, line: Range<usize>, paragraph: usize, out: &mut Vec<(Range<usize>, usize)>) {
        let s = &text[line.clone()];
        let mut start = 0;
        let mut iter = s.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, q)) = iter.peek() {
                if matches!(q, '"' | '”' | '’' | '\'' | ')' | ']' | '»') || (q == '.' && c == '.') {
                    end = j + q.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            if end >= s.len() {
                break;
            }
            if ends_sentence(s, start, i, end) {
                push(text, line.start + start..line.start + end, paragraph, out);
                start = end;
            }
        }
        push(text, line.start + start..line.end, paragraph, out);
    }

    /// Sentences of a line, each with its paragraph.
    type Pieces = Vec<(Range<usize>, usize)>;

    fn both_splits(text: &str) -> (Pieces, Pieces) {
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        split_line(text, 0..text.len(), 0, &mut fast);
        split_line_by_chars(text, 0..text.len(), 0, &mut slow);
        (fast, slow)
    }

    #[test]
    fn stops_found_by_search_split_as_every_character_decoded_did() {
        for text in crate::seed_texts() {
            for line in text.lines() {
                let (fast, slow) = both_splits(line);
                assert_eq!(fast, slow, "{line:?}");
            }
        }
        for line in
            ["", ".", "a.", "He left.” Then", "U.S. forces...And", "Wait?! No.", "Ends ‘here.’ Next", "x .A", "é. É"]
        {
            let (fast, slow) = both_splits(line);
            assert_eq!(fast, slow, "{line:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn stops_split_as_before_on_any_line(line in "[a-zA-Z0-9 .!?\"'”’“‘)»(É é]{0,50}") {
            let (fast, slow) = both_splits(&line);
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        let cleaned = clean(text, &Data::builtin());
        segment(text, &cleaned).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "Headline\n\nThe U.S. Navy moved. Adm. Alvin Holsey offered to resign in Jan. 2025 in Washington, D.C. Officials agreed.\n";
        assert_eq!(
            sentences(text),
            vec![
                "Headline",
                "The U.S. Navy moved.",
                "Adm. Alvin Holsey offered to resign in Jan. 2025 in Washington, D.C. Officials agreed."
            ]
        );
    }

    #[test]
    fn glued_sentences_split_but_domains_do_not() {
        let text = "Head\n\nThey violate international law.The United Kingdom agreed. Join GlobalSecurity.org now.\n";
        assert_eq!(
            sentences(text),
            vec![
                "Head",
                "They violate international law.",
                "The United Kingdom agreed.",
                "Join GlobalSecurity.org now."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let text = "Head\n\nHe said “it is illegal.” Then he left.\n";
        assert_eq!(sentences(text), vec!["Head", "He said “it is illegal.”", "Then he left."]);
    }

    #[test]
    fn glued_after_closing_quote() {
        let text = "Head\n\nThey agree, according to the sources cited.“The attacks are illegal,” Türk said.\n";
        assert_eq!(sentences(text)[2], "“The attacks are illegal,” Türk said.");
    }

    #[test]
    fn paragraphs_are_counted_across_removed_lines() {
        let text = "Head\n\nShare this article\nFirst one. Second one.\n\nThird.";
        let data = Data::builtin();
        let cleaned = clean(text, &data);
        let paragraphs: Vec<usize> = segment(text, &cleaned).iter().map(|s| s.paragraph).collect();
        let expected: Vec<usize> =
            segment(text, &Cleaned { kept: std::iter::once(0..text.len()).collect(), ..cleaned.clone() })
                .iter()
                .filter(|s| !text[s.start..s.end].starts_with("Share"))
                .map(|s| s.paragraph)
                .collect();
        assert_eq!(paragraphs, expected);
        assert_eq!(paragraphs, [0, 3, 3, 5]);
    }
}
