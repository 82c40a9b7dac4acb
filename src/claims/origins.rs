//! Attribution and origin: whom a sentence credits ("sources told CNN", "according to Reuters",
//! "(AP) —", "X said"), and from that where a mention's reporting comes from. A news outlet
//! named as the source is the origin; a person or official is recorded but is not an origin.

use std::sync::OnceLock;

use crate::brief::Attribution;
use crate::data::{Data, NewsRegex, Script};

/// Words that point back to an outlet the article already named ("sources told the network").
const BACK_REFERENCES: &[&str] = &[
    "the network",
    "the broadcaster",
    "the outlet",
    "the report",
    "the paper",
    "the newspaper",
    "the channel",
    "the agency",
];

/// Compiles this module's patterns, one task each, ahead of the first sentence that needs them.
pub const WARM_UP: &[fn()] = &[|| _ = outlet_patterns(), || _ = person_pattern()];

fn outlet_patterns() -> &'static [NewsRegex; 4] {
    static RE: OnceLock<[NewsRegex; 4]> = OnceLock::new();
    RE.get_or_init(|| {
        [
            // "(sources) told CNN", "sources tell CNN", "told the network"
            NewsRegex::new(r"\b(?:told|tell|tells|telling|confirmed to|said to)\s+(?P<who>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3}|the (?:network|broadcaster|outlet|paper|newspaper|channel|agency))").unwrap(),
            // "according to CNN", "according to the report", "according to the Department of War"
            NewsRegex::new(r"\b[Aa]ccording to\s+(?P<who>(?:the\s+)?(?:[A-Z][\w.&'-]*(?:\s+(?:of\s+)?[A-Z][\w.&'-]*){0,4}|sources?[^,.;]*|report|network|broadcaster|outlet|paper|newspaper|agency|officials?[^,.;]*))").unwrap(),
            // "CNN reported", "CNN reports", "was reported by CNN", "CNN noted"
            NewsRegex::new(r"(?:\b(?:reported|first reported|revealed|noted)\s+by\s+(?P<by>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})|(?P<who>\b[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s+(?:has\s+)?(?:reported|reports|noted|learned|has learned|revealed|said|says|stated|confirmed|cited))").unwrap(),
            // Agency dateline: "(AP) —", "(Reuters) -"
            NewsRegex::new(r"\((?P<who>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\)\s*[—–-]").unwrap(),
        ]
    })
}

fn person_pattern() -> &'static NewsRegex {
    static RE: OnceLock<NewsRegex> = OnceLock::new();
    RE.get_or_init(|| {
        NewsRegex::new(r"(?P<who>\b(?:(?:[A-Z][\w'’-]+\s+){0,3}(?:officials?|sources?|spokesperson|spokesman|spokeswoman|ministers?|diplomats?|experts?|lawyers?|critics|observers|analysts)|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}))\s+(?:said|says|stated|told reporters|warned|argued|insisted|claimed|denied|confirmed|added)\b").unwrap()
    })
}

/// Whether a sentence names a back reference ("the network", "The Paper"), so that its
/// attribution may depend on the outlet named before it. When false, [`attribute`] gives the
/// same answer whatever the previous outlet.
pub fn refers_back(sentence: &str) -> bool {
    // One scan for all the nouns, ignoring ASCII case: that is what lower-casing the sentence
    // first does, except for the one character outside ASCII that lower-cases to a letter of
    // theirs, the Kelvin sign (to "k"). Lower-casing and a search for each noun took 6,000
    // instructions a sentence.
    static NOUNS: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    if sentence.contains('\u{212A}') {
        return refers_back_lower_cased(sentence);
    }
    NOUNS
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(BACK_REFERENCES.iter().map(|b| b.trim_start_matches("the ")))
                .expect("a handful of short nouns build an automaton")
        })
        .is_match(sentence)
}

/// [`refers_back`] the plain way: the sentence lower-cased, then searched for each noun.
fn refers_back_lower_cased(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    BACK_REFERENCES.iter().any(|b| lower.contains(b.trim_start_matches("the ")))
}

/// Finds what a sentence attributes its content to. `previous_outlet` is the outlet the article
/// last named as a source, which "the network" or "the report" refers back to.
pub fn attribute(sentence: &str, data: &Data, previous_outlet: Option<&str>) -> Option<Attribution> {
    let script = Script::of(sentence);
    for re in outlet_patterns() {
        for caps in re.for_script(script).captures_iter(sentence) {
            let Some(who) = caps.name("who").or_else(|| caps.name("by")) else { continue };
            let phrase = caps.get(0).map(|m| m.as_str().trim().to_string()).unwrap_or_default();
            let who_text = who.as_str().trim();
            if let Some(outlet) = find_outlet(who_text, data) {
                return Some(Attribution { to: outlet, kind: "outlet".into(), phrase });
            }
            let lower = who_text.to_lowercase();
            if BACK_REFERENCES.iter().any(|b| lower.starts_with(b) || format!("the {lower}").starts_with(b)) {
                if let Some(prev) = previous_outlet {
                    return Some(Attribution { to: prev.to_string(), kind: "outlet".into(), phrase });
                }
            }
        }
    }
    // "Sources confirmed to CNN" and similar forms with the outlet anywhere after a source word.
    if let Some(caps) = person_pattern().for_script(script).captures(sentence) {
        let who = caps.name("who").map(|m| m.as_str().trim()).unwrap_or("");
        if find_outlet(who, data).is_none() && !who.is_empty() {
            return Some(Attribution {
                to: who.to_string(),
                kind: "person".into(),
                phrase: caps.get(0).map(|m| m.as_str().to_string()).unwrap_or_default(),
            });
        }
    }
    None
}

/// The sentence without the clause that credits an outlet (", two people familiar with the
/// matter told The Washington Post", "According to Reuters, "): who reported a claim is not what
/// it says, so grouping compares sentences without it. Only short clauses (up to
/// [`MAX_CREDIT_WORDS`] words) around the matched phrase are cut; a credit inside a longer
/// clause loses just its phrase.
pub fn without_credit<'a>(sentence: &'a str, attribution: &Attribution) -> std::borrow::Cow<'a, str> {
    if attribution.kind != "outlet" || attribution.phrase.is_empty() {
        return sentence.into();
    }
    let Some(at) = sentence.find(attribution.phrase.as_str()) else { return sentence.into() };
    let end = at + attribution.phrase.len();
    // A wire dateline, "LOS ANGELES (AFP) —": the place goes with the credit.
    let before = &sentence[..at];
    if attribution.phrase.starts_with('(')
        && !before.trim().is_empty()
        && before.chars().all(|c| c.is_uppercase() || matches!(c, ' ' | ',' | '.' | '\'' | '-'))
    {
        return sentence[end..].into();
    }
    let is_break = |c: char| matches!(c, ',' | ';' | '—' | '–' | '(' | ')');
    let clause_start =
        sentence[..at].rfind(is_break).map_or(0, |i| i + sentence[i..].chars().next().map_or(1, char::len_utf8));
    let clause_end = sentence[end..].find(is_break).map_or(sentence.len(), |i| end + i);
    // A clause bounded on neither side is the whole sentence: only the phrase goes.
    let bounded = clause_start > 0 || clause_end < sentence.len();
    let (cut_start, cut_end) =
        if bounded && sentence[clause_start..clause_end].split_whitespace().count() <= MAX_CREDIT_WORDS {
            (clause_start, clause_end)
        } else {
            (at, end)
        };
    format!("{} {}", &sentence[..cut_start], &sentence[cut_end..]).into()
}

/// The longest clause [`without_credit`] removes whole.
pub const MAX_CREDIT_WORDS: usize = 10;

/// The known outlet named somewhere in `text` (as a whole word), by its canonical name.
pub fn find_outlet(text: &str, data: &Data) -> Option<String> {
    data.outlet_in(text).map(|outlet| outlet.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one scan finds a back reference where lower-casing the sentence and looking for
        /// each noun does: nouns in any case, the Kelvin sign, and "İ", which lower-cases to two
        /// characters.
        #[test]
        fn back_references_are_found_as_in_the_lower_cased_sentence(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "the ", "Network", "NETWOR", "\u{212A}", "k", "paper", "PAPEr", "news", "age", "ncy",
                "İ", "report", "ER", "chan", "nel", "outlet", "Broadcaster", " ", "é", "ß",
            ]), 0..12),
        ) {
            let sentence = pieces.concat();
            proptest::prop_assert_eq!(refers_back(&sentence), refers_back_lower_cased(&sentence));
        }
    }

    fn who(s: &str) -> Option<(String, String)> {
        attribute(s, &Data::builtin(), Some("CNN")).map(|a| (a.to, a.kind))
    }

    #[test]
    fn outlet_attributions() {
        let outlet = |s: &str| Some(("CNN".to_string(), "outlet".to_string())).filter(|_| !s.is_empty());
        assert_eq!(who("sources familiar with the matter told CNN."), outlet("x"));
        assert_eq!(who("It is illegal, sources tell CNN."), outlet("x"));
        assert_eq!(who("They agree, CNN reports."), outlet("x"));
        assert_eq!(who("The move was reported by CNN on Tuesday."), outlet("x"));
        assert_eq!(who("However, according to CNN, London suspended cooperation."), outlet("x"));
        assert_eq!(who("Sources told the network that the UK halted it."), outlet("x"));
        assert_eq!(
            who("The group has moved, two U.S. officials told Reuters on Tuesday."),
            Some(("Reuters".into(), "outlet".into()))
        );
        assert_eq!(who("WASHINGTON (AP) — The strikes went on."), Some(("Associated Press".into(), "outlet".into())));
    }

    #[test]
    fn people_are_recorded_but_are_not_outlets() {
        let (to, kind) = who("The strikes are murder, Gustavo Petro said.").unwrap();
        assert_eq!(kind, "person");
        assert_eq!(to, "Gustavo Petro");
        let (to, kind) = who("The toll is at least 76, US officials said.").unwrap();
        assert_eq!((to.as_str(), kind.as_str()), ("US officials", "person"));
    }

    #[test]
    fn credits_are_cut_from_the_claim() {
        let cut = |s: &str| {
            let a = attribute(s, &Data::builtin(), None).unwrap();
            without_credit(s, &a).split_whitespace().collect::<Vec<_>>().join(" ")
        };
        assert_eq!(
            cut("The offer was reported Friday, two people familiar with the matter told The Washington Post."),
            "The offer was reported Friday,"
        );
        assert_eq!(cut("According to Reuters, the talks failed."), ", the talks failed.");
        assert_eq!(cut("WASHINGTON (AP) — The strikes went on."), "The strikes went on.");
    }

    #[test]
    fn plain_statements_have_no_attribution() {
        assert_eq!(who("The UK has suspended intelligence sharing."), None);
    }
}
