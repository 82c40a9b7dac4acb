//! Sentence features for check-worthiness: a sentence in, a list of named features with values
//! out. Two kinds: word unigrams and bigrams (`w:` and `b:`, numbers folded to `<num>` and
//! `<year>` so that "76 people" and "19 vessels" share evidence), and a few interpretable cues
//! (`f:`) that carry over from the debate transcripts the model is trained on to news prose:
//! figures, dates, capitalised names, attribution and event verbs, modals and opinion words,
//! questions, first and second person, length.
//!
//! The same function feeds training and scoring, so a model and its features cannot drift apart.

/// One feature: its name and value. Names are stable strings, so a model file can be read by eye.
pub type Feature = (String, f64);

/// A feature's name in parts, so that scoring can merge and look up features without writing
/// every name out. Two names are equal exactly when their written forms are: tokens hold no
/// spaces, and each kind has its own prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Name<'a> {
    /// `w:{token}`
    Word(&'a str),
    /// `b:{first} {second}`, with `<s>` and `</s>` for the sentence's ends.
    Pair(&'a str, &'a str),
    /// `f:{cue}`
    Cue(&'static str),
    /// `f:{cue}{bucket}`
    Bucket(&'static str, usize),
}

impl Name<'_> {
    /// Appends the written name to `out`.
    pub fn write_to(&self, out: &mut String) {
        // Pieces pushed one by one: `write!` costs more than the weight lookup it feeds, for
        // every feature of every sentence.
        match self {
            Name::Word(t) => out.extend(["w:", t]),
            Name::Pair(a, b) => out.extend(["b:", a, " ", b]),
            Name::Cue(c) => out.extend(["f:", c]),
            Name::Bucket(c, i) => {
                use std::fmt::Write;
                out.extend(["f:", c]);
                let _ = write!(out, "{i}");
            }
        }
    }
}

/// Lower-cased word tokens, with numbers folded and `$`, `%`, `?` kept as tokens.
pub fn tokens(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(sentence, |t| out.push(t.to_string()));
    out
}

/// Hands each of a sentence's [`tokens`] to `emit`, in order, without a string for each: scoring
/// looks each one up and is done with it.
pub fn each_token(sentence: &str, mut emit: impl FnMut(&str)) {
    let mut cur = String::new();
    fn flush(cur: &mut String, emit: &mut impl FnMut(&str)) {
        let w = cur.trim_matches('\'');
        if !w.is_empty() {
            emit(fold_number(w));
        }
        cur.clear();
    }
    for c in sentence.chars() {
        let c = if matches!(c, '\u{2018}' | '\u{2019}' | '`') { '\'' } else { c };
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() || c == '\'' {
            cur.extend(c.to_lowercase());
        } else if (c == ',' || c == '.') && cur.chars().last().is_some_and(|l| l.is_ascii_digit()) {
            // Keep "4,500" and "2.5" whole; a trailing separator is dropped when folded.
            cur.push(c);
        } else {
            flush(&mut cur, &mut emit);
            match c {
                '?' => emit("?"),
                '%' => emit("%"),
                '$' | '\u{a3}' | '\u{20ac}' => emit("$"),
                _ => {}
            }
        }
    }
    flush(&mut cur, &mut emit);
}

fn fold_number(w: &str) -> &str {
    let w = w.trim_end_matches([',', '.']);
    if !w.bytes().any(|c| c.is_ascii_digit()) {
        return w;
    }
    let digits = w.bytes().filter(u8::is_ascii_digit).count();
    if digits == 4 && digits == w.len() && (w.starts_with("19") || w.starts_with("20")) { "<year>" } else { "<num>" }
}

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "dozen",
    "dozens",
    "half",
    "twice",
    "double",
    "triple",
    "percent",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "ago",
    "since",
];
const ATTRIBUTION: &[&str] = &[
    "said",
    "says",
    "told",
    "according",
    "reported",
    "reports",
    "announced",
    "confirmed",
    "stated",
    "statement",
    "claimed",
    "added",
    "denied",
    "cited",
];
const EVENT_VERBS: &[&str] = &[
    "killed",
    "died",
    "launched",
    "suspended",
    "halted",
    "voted",
    "passed",
    "signed",
    "increased",
    "decreased",
    "rose",
    "fell",
    "cut",
    "raised",
    "lost",
    "won",
    "created",
    "attacked",
    "struck",
    "arrested",
    "deployed",
    "ordered",
    "approved",
    "rejected",
    "sanctioned",
    "spent",
    "paid",
    "destroyed",
    "invaded",
    "closed",
    "opened",
    "fired",
    "seized",
    "sent",
    "doubled",
    "tripled",
    "grew",
    "dropped",
    "banned",
    "imposed",
];
const MODALS: &[&str] =
    &["would", "could", "should", "might", "may", "must", "will", "can", "shall", "ought", "gonna", "going"];
const OPINION: &[&str] = &[
    "think",
    "believe",
    "feel",
    "hope",
    "guess",
    "wish",
    "want",
    "love",
    "hate",
    "great",
    "wonderful",
    "terrible",
    "horrible",
    "shame",
    "amazing",
    "incredible",
    "beautiful",
    "disgrace",
    "frankly",
    "honestly",
    "totally",
    "really",
    "very",
    "good",
    "bad",
    "best",
    "worst",
    "proud",
    "sad",
    "important",
    "need",
    "must",
];
const COMPARISON: &[&str] = &[
    "more", "less", "fewer", "than", "most", "largest", "biggest", "highest", "lowest", "record", "increase",
    "decrease", "percent", "average", "times", "every", "only", "first", "last",
];
const INSTITUTIONS: &[&str] = &[
    "ministry",
    "department",
    "government",
    "administration",
    "council",
    "agency",
    "police",
    "army",
    "military",
    "navy",
    "congress",
    "senate",
    "parliament",
    "court",
    "nations",
    "nato",
    "pentagon",
    "officials",
    "minister",
    "president",
    "secretary",
    "spokesperson",
    "spokesman",
    "law",
    "bill",
    "tax",
    "budget",
];
const INTERJECTIONS: &[&str] =
    &["well", "yes", "no", "okay", "ok", "thank", "thanks", "look", "so", "oh", "and", "but", "now", "please"];

/// The word lists a token can be on, as bits.
#[derive(Clone, Copy)]
enum WordList {
    NumberWords = 1,
    Months = 1 << 1,
    Attribution = 1 << 2,
    EventVerbs = 1 << 3,
    Modals = 1 << 4,
    Opinion = 1 << 5,
    Comparison = 1 << 6,
    Institutions = 1 << 7,
    // Not lists but single tokens the cues look for, so one lookup finds them too.
    Number = 1 << 8,
    Year = 1 << 9,
    Percent = 1 << 10,
    Money = 1 << 11,
    FirstSingular = 1 << 12,
    FirstPlural = 1 << 13,
    Second = 1 << 14,
    Negation = 1 << 15,
}

/// Every listed word with the bits of the lists it is on.
fn word_lists() -> &'static rustc_hash::FxHashMap<&'static str, u16> {
    static LISTS: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, u16>> = std::sync::OnceLock::new();
    LISTS.get_or_init(|| {
        let mut map: rustc_hash::FxHashMap<&'static str, u16> = Default::default();
        for (list, words) in [
            (WordList::NumberWords, NUMBER_WORDS),
            (WordList::Months, MONTHS),
            (WordList::Attribution, ATTRIBUTION),
            (WordList::EventVerbs, EVENT_VERBS),
            (WordList::Modals, MODALS),
            (WordList::Opinion, OPINION),
            (WordList::Comparison, COMPARISON),
            (WordList::Institutions, INSTITUTIONS),
            (WordList::Number, &["<num>"]),
            (WordList::Year, &["<year>"]),
            (WordList::Percent, &["%", "percent"]),
            (WordList::Money, &["$", "dollars", "million", "billion", "trillion"]),
            (WordList::FirstSingular, &["i", "me", "my", "i'm", "i've", "i'll"]),
            (WordList::FirstPlural, &["we", "us", "our", "we're", "we've", "we'll"]),
            (WordList::Second, &["you", "your", "you're", "you've"]),
            (WordList::Negation, &["not", "never"]),
        ] {
            for &w in words {
                *map.entry(w).or_default() |= list as u16;
            }
        }
        map
    })
}

fn bucket(name: &'static str, n: usize, edges: &[usize]) -> Name<'static> {
    Name::Bucket(name, edges.iter().take_while(|&&e| n >= e).count())
}

/// The features of one sentence, in a fixed order. Every value is 1.0.
pub fn features(sentence: &str) -> Vec<Feature> {
    let toks = tokens(sentence);
    let mut out: Vec<Feature> = Vec::with_capacity(toks.len() * 2 + 24);
    each_feature(sentence, &toks, |name, v| {
        let mut written = String::new();
        name.write_to(&mut written);
        out.push((written, v));
    });
    out
}

/// Hands each feature of a sentence (whose [`tokens`] are `toks`) to `sink`, in the order
/// [`features`] lists them.
pub fn each_feature<'t>(sentence: &str, toks: &'t [String], mut sink: impl FnMut(Name<'t>, f64)) {
    let mut prev = SENTENCE_START;
    for t in toks {
        sink(Name::Word(t), 1.0);
        sink(Name::Pair(prev, t), 1.0);
        prev = t;
    }
    sink(Name::Pair(prev, SENTENCE_END), 1.0);
    each_cue(sentence, toks, sink);
}

/// The token before a sentence's first, in `Pair` names.
pub const SENTENCE_START: &str = "<s>";
/// The token after a sentence's last, in `Pair` names.
pub const SENTENCE_END: &str = "</s>";

/// The cue features (`Cue` and `Bucket` names) of a sentence, in the order [`each_feature`] hands
/// them on after its words and pairs.
pub fn each_cue<'t>(sentence: &str, toks: &[String], sink: impl FnMut(Name<'t>, f64)) {
    let mut seen = TokenCues::default();
    for t in toks {
        seen.add(t, list_bits(t));
    }
    each_cue_of(sentence, &seen, sink);
}

/// The word lists `token` is on, as bits.
pub fn list_bits(token: &str) -> u16 {
    word_lists().get(token).copied().unwrap_or(0)
}

/// Every word on a list, with its [`list_bits`].
pub fn listed_words() -> impl Iterator<Item = (&'static str, u16)> {
    word_lists().iter().map(|(&w, &bits)| (w, bits))
}

/// Everything the cues read off a sentence's tokens, gathered in one pass: each token is looked
/// up once, on every list (and special token) at a time.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokenCues {
    on_any: u16,
    opinions: usize,
    nums: usize,
    past_ed: bool,
    negation: bool,
    count: usize,
    interjection_start: bool,
}

impl TokenCues {
    /// Counts in the next token, which is on the lists `bits` (its [`list_bits`]).
    pub fn add(&mut self, t: &str, bits: u16) {
        if self.count == 0 {
            self.interjection_start = INTERJECTIONS.contains(&t);
        }
        self.count += 1;
        self.on_any |= bits;
        self.opinions += usize::from(bits & WordList::Opinion as u16 != 0);
        self.nums += usize::from(bits & (WordList::Number as u16 | WordList::Year as u16) != 0);
        self.past_ed |= t.len() > 4 && t.ends_with("ed");
        self.negation |= bits & WordList::Negation as u16 != 0 || t.ends_with("n't");
    }
}

/// [`each_cue`] with the tokens already gathered.
pub fn each_cue_of<'t>(sentence: &str, seen: &TokenCues, mut sink: impl FnMut(Name<'t>, f64)) {
    let mut out = |name: Name<'t>, v: f64| sink(name, v);
    let (capitalised, acronym) = capitals(sentence);
    let on = |list: WordList| seen.on_any & list as u16 != 0;
    out(bucket("caps", capitalised, &[1, 2, 4]), 1.0);
    out(bucket("len", seen.count, &[4, 8, 15, 25, 40]), 1.0);
    let mut flag = |name: &'static str, on: bool| {
        if on {
            out(Name::Cue(name), 1.0);
        }
    };
    flag("digits", seen.nums > 0);
    flag("digits2", seen.nums > 1);
    flag("year", on(WordList::Year));
    flag("percent", on(WordList::Percent));
    flag("money", on(WordList::Money));
    flag("numword", on(WordList::NumberWords));
    flag("date", on(WordList::Months));
    flag("attribution", on(WordList::Attribution) || sentence.contains("according to"));
    flag("event", on(WordList::EventVerbs));
    flag("past_ed", seen.past_ed);
    flag("modal", on(WordList::Modals));
    flag("opinion", seen.opinions > 0);
    flag("opinion2", seen.opinions > 1);
    flag("comparison", on(WordList::Comparison));
    flag("institution", on(WordList::Institutions));
    flag("question", sentence.trim_end().ends_with('?'));
    flag("exclaim", sentence.contains('!'));
    flag("first_sg", on(WordList::FirstSingular));
    flag("first_pl", on(WordList::FirstPlural));
    flag("second", on(WordList::Second));
    flag("negation", seen.negation);
    flag("quote", sentence.contains(['"', '\u{201c}', '\u{201d}']));
    flag("interjection_start", seen.interjection_start);
    flag("acronym", acronym);
}

/// Capitalised words after the first, and whether any word is an acronym, in one pass over the
/// words: [`capitalised_after_first`] and [`has_acronym`] at once.
fn capitals(sentence: &str) -> (usize, bool) {
    let (mut capitalised, mut acronym) = (0, false);
    for (k, w) in sentence.split_whitespace().enumerate() {
        if k > 0 && is_capitalised(w) {
            capitalised += 1;
        }
        acronym = acronym || is_acronym(w);
    }
    (capitalised, acronym)
}

/// Capitalised words after the first: names of people, places and bodies.
#[cfg(test)]
fn capitalised_after_first(words: &[&str]) -> usize {
    words.iter().skip(1).filter(|w| is_capitalised(w)).count()
}

fn is_capitalised(w: &str) -> bool {
    let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
    w.chars().next().is_some_and(char::is_uppercase) && w != "I" && !w.starts_with("I'")
}

/// Whether a word, its punctuation trimmed, is two or more capital letters ("UN", "NATO").
#[cfg(test)]
fn has_acronym(words: &[&str]) -> bool {
    words.iter().any(|w| is_acronym(w))
}

fn is_acronym(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `each_cue` as it was before its one-pass token scan: a scan of the tokens per cue.
    fn each_cue_by_scans<'t>(sentence: &str, toks: &[String], mut sink: impl FnMut(Name<'t>, f64)) {
        let mut out = |name: Name<'t>, v: f64| sink(name, v);
        let words: Vec<&str> = sentence.split_whitespace().collect();
        // Which word lists each token is on, looked up once per token rather than per list.
        let on_lists: Vec<u16> = toks.iter().map(|t| word_lists().get(t.as_str()).copied().unwrap_or(0)).collect();
        let count = |list: WordList| on_lists.iter().filter(|&&bits| bits & list as u16 != 0).count();
        let has = |t: &str| toks.iter().any(|x| x == t);
        out(bucket("caps", capitalised_after_first(&words), &[1, 2, 4]), 1.0);
        out(bucket("len", toks.len(), &[4, 8, 15, 25, 40]), 1.0);
        let mut flag = |name: &'static str, on: bool| {
            if on {
                out(Name::Cue(name), 1.0);
            }
        };
        let nums = toks.iter().filter(|t| *t == "<num>" || *t == "<year>").count();
        flag("digits", nums > 0);
        flag("digits2", nums > 1);
        flag("year", has("<year>"));
        flag("percent", has("%") || has("percent"));
        flag("money", has("$") || has("dollars") || has("million") || has("billion") || has("trillion"));
        flag("numword", count(WordList::NumberWords) > 0);
        flag("date", count(WordList::Months) > 0);
        flag("attribution", count(WordList::Attribution) > 0 || sentence.contains("according to"));
        flag("event", count(WordList::EventVerbs) > 0);
        flag("past_ed", toks.iter().any(|t| t.len() > 4 && t.ends_with("ed")));
        flag("modal", count(WordList::Modals) > 0);
        flag("opinion", count(WordList::Opinion) > 0);
        flag("opinion2", count(WordList::Opinion) > 1);
        flag("comparison", count(WordList::Comparison) > 0);
        flag("institution", count(WordList::Institutions) > 0);
        flag("question", sentence.trim_end().ends_with('?'));
        flag("exclaim", sentence.contains('!'));
        flag("first_sg", toks.iter().any(|t| matches!(t.as_str(), "i" | "me" | "my" | "i'm" | "i've" | "i'll")));
        flag("first_pl", toks.iter().any(|t| matches!(t.as_str(), "we" | "us" | "our" | "we're" | "we've" | "we'll")));
        flag("second", toks.iter().any(|t| matches!(t.as_str(), "you" | "your" | "you're" | "you've")));
        flag("negation", toks.iter().any(|t| t == "not" || t == "never" || t.ends_with("n't")));
        flag("quote", sentence.contains(['"', '\u{201c}', '\u{201d}']));
        flag("interjection_start", toks.first().is_some_and(|t| INTERJECTIONS.contains(&t.as_str())));
        flag("acronym", has_acronym(&words));
    }

    /// A way of handing on a sentence's cues.
    type EachCue = fn(&str, &[String], &mut dyn FnMut(Name<'_>, f64));

    fn cues(sentence: &str, each: EachCue) -> Vec<(String, f64)> {
        let toks = tokens(sentence);
        let mut out = Vec::new();
        each(sentence, &toks, &mut |name, v| {
            let mut written = String::new();
            name.write_to(&mut written);
            out.push((written, v));
        });
        out
    }

    fn cues_now(sentence: &str) -> Vec<(String, f64)> {
        cues(sentence, |s, t, sink| each_cue(s, t, sink))
    }

    fn cues_by_scans(sentence: &str) -> Vec<(String, f64)> {
        cues(sentence, |s, t, sink| each_cue_by_scans(s, t, sink))
    }

    #[test]
    fn one_pass_cues_are_the_scans_cues() {
        let mut sentences = crate::seed_pieces();
        sentences.extend(
            [
                "I'm sure we'll see you and your 5% of $3 billion in May 2019, won't we?",
                "Never, not ever, said my officials: twenty-one percent more than expected!",
                "Us, our, me, my, you've, i've, we've: dollars, trillion, million.",
            ]
            .map(String::from),
        );
        for s in &sentences {
            assert_eq!(cues_now(s), cues_by_scans(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_cues_agree_on_any_words(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "I", "i'm", "we", "our", "you", "not", "never", "don't", "<num>", "2019", "76", "%", "percent",
                "$", "dollars", "million", "twenty", "May", "said", "killed", "should", "terrible", "more",
                "Pentagon", "UN", "according", "to", "wanted", "!", "?", "\"", "Well", "the", "’s",
            ]), 0..40)
        ) {
            let sentence = words.join(" ");
            proptest::prop_assert_eq!(cues_now(&sentence), cues_by_scans(&sentence));
        }
    }

    #[test]
    fn numbers_are_folded() {
        assert_eq!(tokens("At least 4,500 sailors, in 2019."), ["at", "least", "<num>", "sailors", "in", "<year>"]);
        assert_eq!(
            tokens("It rose 5% to $3.2 billion?"),
            ["it", "rose", "<num>", "%", "to", "$", "<num>", "billion", "?"]
        );
        assert_eq!(tokens("Trump\u{2019}s 'plan'"), ["trump's", "plan"]);
    }

    #[test]
    fn cues_fire() {
        let f = features("The Pentagon said 76 people were killed since September.");
        let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
        for want in ["f:digits", "f:attribution", "f:event", "f:date", "f:institution", "b:<s> the"] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        assert!(!names.contains(&"f:question"));
    }
}
