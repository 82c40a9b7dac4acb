//! Quantities: "at least 76 people", "nearly two dozen strikes", "more than 4,500 sailors and
//! Marines", "19 vessels", "dozens of suspected criminals". Each is read as an interval with what
//! it counts, so figures from different outlets can be compared for conflicts.

use std::sync::OnceLock;

use crate::data::{NewsRegex, Script};

/// One figure found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte range of the figure's words within the sentence.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub low: f64,
    /// None when open-ended ("at least 76").
    pub high: Option<f64>,
    /// What is counted, normalised ("people killed", "strikes", "vessels").
    pub counts: String,
    /// True for a running tally ("so far", "rises to", "at least"): later figures may be larger.
    pub running: bool,
}

const SMALL: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("a", 1.0),
    ("a dozen", 12.0),
    ("a hundred", 100.0),
];

/// Countable nouns and the thing they are counted as.
const COUNTED: &[(&str, &str)] = &[
    ("people", "people"),
    ("persons", "people"),
    ("individuals", "people"),
    ("civilians", "people"),
    ("lives", "people"),
    ("dead", "people"),
    ("deaths", "people"),
    ("victims", "people"),
    ("criminals", "people"),
    ("traffickers", "people"),
    ("suspects", "people"),
    ("crew", "people"),
    ("strikes", "strikes"),
    ("airstrikes", "strikes"),
    ("attacks", "strikes"),
    ("bombings", "strikes"),
    ("raids", "strikes"),
    ("vessels", "vessels"),
    ("boats", "vessels"),
    ("ships", "vessels"),
    ("sailors", "personnel"),
    ("troops", "personnel"),
    ("soldiers", "personnel"),
    ("marines", "personnel"),
    ("personnel", "personnel"),
    ("compatriots", "citizens"),
    ("citizens", "citizens"),
    ("destroyers", "destroyers"),
    ("countries", "countries"),
    ("nations", "countries"),
];

/// Compiles this module's patterns, one task each, ahead of the first sentence that needs them.
pub const WARM_UP: &[fn()] = &[|| _ = pattern(), || _ = plural_pattern(), || _ = toll_pattern()];

fn pattern() -> &'static NewsRegex {
    static RE: OnceLock<NewsRegex> = OnceLock::new();
    RE.get_or_init(|| {
        let words = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety";
        NewsRegex::new(&format!(
            r"(?i)\b(?P<qual>at least|more than|over|upwards of|nearly|almost|just under|about|around|roughly|approximately|some|up to|fewer than|less than|as many as)?\s*(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{words})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|a dozen|a hundred)(?P<scale>\s+(?:dozen|hundred|thousand|million|billion))?(?P<rest>(?:\s+[\w-]+){{0,4}})"
        ))
        .unwrap()
    })
}

fn plural_pattern() -> &'static NewsRegex {
    static RE: OnceLock<NewsRegex> = OnceLock::new();
    RE.get_or_init(|| NewsRegex::new(r"(?i)\b(?P<qual>at least |more than |nearly |some )?(?P<num>dozens|hundreds|thousands|scores)\s+of(?P<rest>(?:\s+[\w-]+){1,4})").unwrap())
}

/// "Death Toll Rises to 75": a running count of the dead with no counted noun after the figure.
fn toll_pattern() -> &'static NewsRegex {
    static RE: OnceLock<NewsRegex> = OnceLock::new();
    RE.get_or_init(|| {
        NewsRegex::new(r"(?i)\b(?:death\s+)?toll\s+(?:rises|rose|has risen|climbs|climbed|stands|stood|reaches|reached|hits|hit|jumps|jumped)\s+(?:to|at)\s+(?P<num>\d{1,3}(?:,\d{3})+|\d+)")
            .unwrap()
    })
}

fn number_value(num: &str) -> Option<f64> {
    let n = num.to_lowercase();
    if let Ok(v) = n.replace(',', "").parse::<f64>() {
        return Some(v);
    }
    if let Some(&(_, v)) = SMALL.iter().find(|(w, _)| *w == n) {
        return Some(v);
    }
    // "twenty-one", "twenty one"
    let mut parts = n.split(['-', ' ']);
    let tens = parts.next().and_then(|t| SMALL.iter().find(|(w, _)| *w == t)).map(|p| p.1)?;
    let ones = parts.next().and_then(|t| SMALL.iter().find(|(w, _)| *w == t)).map(|p| p.1)?;
    Some(tens + ones)
}

/// What the words after a number count, if they name something countable.
fn counted(rest: &str, sentence: &str) -> Option<String> {
    let words: Vec<String> =
        rest.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).collect();
    let thing = words.iter().take(4).find_map(|w| COUNTED.iter().find(|(k, _)| k == w).map(|p| p.1))?;
    let lower = sentence.to_lowercase();
    if thing == "people" && ["kill", "dead", "death", "died", "toll"].iter().any(|k| lower.contains(k)) {
        return Some("people killed".to_string());
    }
    Some(thing.to_string())
}

/// Every figure in `sentence` that counts something the brief can compare.
pub fn find(sentence: &str) -> Vec<Quantity> {
    if may_hold_a_figure(sentence) { read_figures(sentence) } else { Vec::new() }
}

/// [`find`] without the word scan in front, for tests and the fuzz target to hold the scan to.
#[doc(hidden)]
pub fn read_figures(sentence: &str) -> Vec<Quantity> {
    let lower = sentence.to_lowercase();
    let running_sentence = ["so far", "rises to", "risen to", "rose to", "to date", "since", "climbed to"]
        .iter()
        .any(|k| lower.contains(k));
    let mut out = Vec::new();
    let script = Script::of(sentence);
    for caps in pattern().for_script(script).captures_iter(sentence) {
        let whole = caps.get(0).unwrap();
        let num = caps.name("num").unwrap();
        // Skip parts of words or codes: "F-35", "G7", "22nd", years.
        let before = sentence[..num.start()].chars().next_back();
        let after = sentence[num.end()..].chars().next();
        if before.is_some_and(|c| c == '-' || c.is_alphanumeric()) || after.is_some_and(|c| c.is_alphabetic()) {
            continue;
        }
        let Some(mut value) = number_value(num.as_str()) else { continue };
        if num.as_str().len() == 4 && (1900.0..2100.0).contains(&value) {
            continue;
        }
        if let Some(scale) = caps.name("scale") {
            value *= match scale.as_str().trim().to_lowercase().as_str() {
                "dozen" => 12.0,
                "hundred" => 100.0,
                "thousand" => 1_000.0,
                "million" => 1_000_000.0,
                _ => 1_000_000_000.0,
            };
        }
        let rest = caps.name("rest").map_or("", |m| m.as_str());
        let Some(counts) = counted(rest, sentence) else { continue };
        let qual = caps.name("qual").map(|q| q.as_str().to_lowercase());
        let (low, high) = interval(value, qual.as_deref());
        let start = caps.name("qual").map_or(num.start(), |q| q.start());
        let noun_end = end_of_noun(sentence, whole.end(), rest);
        out.push(Quantity {
            start,
            end: noun_end,
            text: sentence[start..noun_end].trim().to_string(),
            low,
            high,
            counts,
            running: running_sentence || high.is_none(),
        });
    }
    for caps in plural_pattern().for_script(script).captures_iter(sentence) {
        let rest = caps.name("rest").map_or("", |m| m.as_str());
        let Some(counts) = counted(rest, sentence) else { continue };
        let (low, high) = match caps["num"].to_lowercase().as_str() {
            "dozens" => (24.0, Some(99.0)),
            "scores" => (40.0, Some(199.0)),
            "hundreds" => (200.0, Some(999.0)),
            _ => (2_000.0, Some(9_999.0)),
        };
        let whole = caps.get(0).unwrap();
        let end = end_of_noun(sentence, whole.end(), rest);
        out.push(Quantity {
            start: whole.start(),
            end,
            text: sentence[whole.start()..end].trim().to_string(),
            low,
            high,
            counts,
            running: running_sentence,
        });
    }
    for caps in toll_pattern().for_script(script).captures_iter(sentence) {
        let num = caps.name("num").unwrap();
        let Some(value) = number_value(num.as_str()) else { continue };
        if out.iter().any(|q| q.start <= num.start() && num.end() <= q.end) {
            continue;
        }
        let whole = caps.get(0).unwrap();
        out.push(Quantity {
            start: whole.start(),
            end: whole.end(),
            text: whole.as_str().to_string(),
            low: value,
            high: Some(value),
            counts: "people killed".to_string(),
            running: true,
        });
    }
    out.sort_by_key(|q| q.start);
    out
}

/// False only for a sentence none of the patterns can take a figure from: one with no ASCII
/// digit and no number word at the start of a word. Two in three news sentences are such, and
/// a scan for a few words is far cheaper than the patterns (their Unicode case-insensitive
/// automata are built state by state as the text reaches them).
///
/// Why nothing is lost: a figure's number is ASCII digits (`\d` also takes other scripts'
/// digits, but reading them as a value fails), or a number word, "a dozen", "a hundred",
/// "dozens", "hundreds", "thousands" or "scores", each starting a word (after `\b` or a space).
/// Every number word begins with one of [`NUMBER_WORDS`] ("fourteen" with "four"). Case-
/// insensitive matching also folds "ſ" (long s) to "s", so a text with one is always searched;
/// the Kelvin sign folds to "k", which no number word holds.
fn may_hold_a_figure(sentence: &str) -> bool {
    static WORDS: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(NUMBER_WORDS)
            .expect("a few plain words always compile")
    });
    let bytes = sentence.as_bytes();
    // Leftmost matches never hide a word start: a match overlapping one would begin inside the
    // same run of letters, before it.
    bytes.iter().any(u8::is_ascii_digit)
        || sentence.contains('ſ')
        || words.find_iter(sentence).any(|m| m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric())
}

/// The words every number word, "dozen" and "hundred" form, and plural count begins with.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fifteen", "twenty", "thirty", "forty", "fifty", "dozen", "hundred", "thousand", "scores",
];

/// The figure's words end at the counted noun, not at the end of the captured context.
fn end_of_noun(sentence: &str, captured_end: usize, rest: &str) -> usize {
    let rest_start = captured_end - rest.len();
    let mut at = rest_start;
    for word in rest.split_inclusive(char::is_whitespace) {
        let clean = word.trim().trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        at += word.len();
        if COUNTED.iter().any(|(k, _)| *k == clean) {
            let trimmed = sentence[..at].trim_end().trim_end_matches([',', '.', ';', ':']);
            return trimmed.len();
        }
    }
    captured_end
}

fn interval(v: f64, qual: Option<&str>) -> (f64, Option<f64>) {
    match qual {
        Some("at least" | "more than" | "over" | "upwards of") => (v, None),
        Some("nearly" | "almost" | "just under") => ((v * 0.75).floor(), Some(v)),
        Some("about" | "around" | "roughly" | "approximately" | "some") => {
            ((v * 0.85).floor(), Some((v * 1.15).ceil()))
        }
        Some("up to" | "fewer than" | "less than" | "as many as") => (0.0, Some(v)),
        _ => (v, Some(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Quantity {
        let q = find(s);
        assert_eq!(q.len(), 1, "{q:?}");
        q[0].clone()
    }

    #[test]
    fn lower_bounds_and_counted_things() {
        let q = one("The strikes have killed at least 76 people since September.");
        assert_eq!((q.low, q.high, q.counts.as_str()), (76.0, None, "people killed"));
        assert_eq!(q.text, "at least 76 people");
    }

    #[test]
    fn number_words_and_dozens() {
        let q = one("The administration has carried out nearly two dozen military strikes since September.");
        assert_eq!((q.low, q.high, q.counts.as_str()), (18.0, Some(24.0), "strikes"));
        let q = one("airstrikes on drug boats which have killed dozens of suspected criminals");
        assert_eq!((q.low, q.counts.as_str()), (24.0, "people killed"));
    }

    #[test]
    fn thousands_separators_and_exact_counts() {
        let q = one("a group that carries more than 4,500 sailors and Marines");
        assert_eq!((q.low, q.counts.as_str()), (4500.0, "personnel"));
        let q = one("The strikes have targeted 19 vessels in the Caribbean.");
        assert_eq!((q.low, q.high), (19.0, Some(19.0)));
    }

    #[test]
    fn a_rising_toll_is_a_running_count_of_the_dead() {
        let q = one("Civilian Death Toll Rises to 75 in US SOUTHCOM’s Killing Spree");
        assert_eq!((q.low, q.high, q.counts.as_str(), q.running), (75.0, Some(75.0), "people killed", true));
        assert_eq!(q.text, "Death Toll Rises to 75");
    }

    #[test]
    fn the_word_scan_passes_every_sentence_with_a_figure() {
        let mut texts: Vec<String> = crate::seed_texts().iter().flat_map(|t| t.lines().map(str::to_string)).collect();
        texts.extend(
            [
                "Forty-two boats",
                "SIXTEEN vessels were hit",
                "the toll rose to 75",
                "ſeventy people",
                "thouſands of people died",
                "Hundreds of civilians",
                "a dozen strikes",
                "scores of troops",
                "(nine) vessels",
                "about ten people",
                "often ten vessels",
                "someone saw two ships",
                "٣ people",
                "three\u{a0}hundred soldiers",
            ]
            .map(String::from),
        );
        let mut with_figures = 0;
        for text in &texts {
            let found = read_figures(text);
            with_figures += usize::from(!found.is_empty());
            assert!(found.is_empty() || may_hold_a_figure(text), "{text:?} has {found:?}");
            assert_eq!(find(text), found, "{text:?}");
        }
        assert!(with_figures >= 15, "{with_figures}");
        assert!(!may_hold_a_figure("The strikes were condemned by the government on Monday."));
        assert!(!may_hold_a_figure("Someone often said it was done."));
    }

    proptest::proptest! {
        #[test]
        fn the_word_scan_never_drops_a_figure(
            text in "(?:[a-zA-Z0-9 ,.ſ-]|at least |nearly |dozens of |scores of |toll rose to |Fifteen |sixty|Hundred|one|ten|people|vessels|strikes| ){0,24}"
        ) {
            let found = read_figures(&text);
            proptest::prop_assert!(found.is_empty() || may_hold_a_figure(&text));
        }
    }

    #[test]
    fn codes_and_years_are_not_quantities() {
        assert!(find("It marks the biggest deployment since the 1989 invasion of Panama.").is_empty());
        assert!(find("A strike group of F-35 jets and the 22nd Marine Expeditionary Unit.").is_empty());
    }
}
