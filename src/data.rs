//! The data factbrief works from: boilerplate patterns, known outlets, name aliases and the
//! loaded-language lexicon. Each is a readable file under `data/`, embedded in the binary as the
//! default; a file of the same name in a user's `--data DIR` replaces it. Nothing here reads
//! articles; it only turns data files into ready-to-use matchers.

use std::path::Path;

use anyhow::{Context, Result};
use regex::Regex;
use serde::Deserialize;

pub const BOILERPLATE: &str = include_str!("../data/boilerplate.toml");
pub const OUTLETS: &str = include_str!("../data/outlets.toml");
pub const ALIASES: &str = include_str!("../data/aliases.toml");
pub const LEXICON: &str = include_str!("../data/lexicon.toml");

/// All data files, parsed.
#[derive(Debug, Clone)]
pub struct Data {
    pub boilerplate: Boilerplate,
    /// Private, so the names searched for in text stay those of `outlets`.
    outlets: Vec<Outlet>,
    /// Every outlet name and alias, to search text for them all at once.
    outlet_search: OutletSearch,
    pub aliases: Vec<AliasGroup>,
    /// The lexicon's TOML text; the markers stage parses it (with the user's additions).
    pub lexicon: Vec<String>,
}

impl Data {
    /// The embedded defaults, built once per process (compiling the patterns takes a tenth of a
    /// second) and copied out.
    pub fn builtin() -> Data {
        static BUILTIN: std::sync::OnceLock<Data> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Data::from_texts(BOILERPLATE, OUTLETS, ALIASES, vec![LEXICON.to_string()])
                    .expect("the embedded data files are valid")
            })
            .clone()
    }

    /// The defaults, each replaced by a same-named file in `dir` when there is one. A
    /// `lexicon.toml` there is added to the default lexicon (it can also switch entries off).
    pub fn load(dir: Option<&Path>) -> Result<Data> {
        let Some(dir) = dir else { return Ok(Data::builtin()) };
        let read = |name: &str, default: &str| -> Result<String> {
            let path = dir.join(name);
            if path.exists() {
                std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
            } else {
                Ok(default.to_string())
            }
        };
        let mut lexicon = vec![LEXICON.to_string()];
        let user_lexicon = dir.join("lexicon.toml");
        if user_lexicon.exists() {
            lexicon.push(
                std::fs::read_to_string(&user_lexicon)
                    .with_context(|| format!("cannot read {}", user_lexicon.display()))?,
            );
        }
        Data::from_texts(
            &read("boilerplate.toml", BOILERPLATE)?,
            &read("outlets.toml", OUTLETS)?,
            &read("aliases.toml", ALIASES)?,
            lexicon,
        )
        .with_context(|| format!("in the data folder {}", dir.display()))
    }

    pub fn from_texts(boilerplate: &str, outlets: &str, aliases: &str, lexicon: Vec<String>) -> Result<Data> {
        let outlets = toml::from_str::<OutletFile>(outlets).context("outlets.toml")?.outlet;
        Ok(Data {
            boilerplate: parse_boilerplate(boilerplate).context("boilerplate.toml")?,
            outlet_search: OutletSearch::new(&outlets).context("outlets.toml")?,
            outlets,
            aliases: toml::from_str::<AliasFile>(aliases).context("aliases.toml")?.group,
            lexicon,
        })
    }

    /// The known outlets, in file order.
    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    /// The first known outlet (in file order) whose name or an alias of at least two bytes
    /// stands in `text` as a whole word. For each name, occurrences are taken left to right,
    /// each search going on after the last one's end, as `str::find` in a loop would.
    pub fn outlet_in(&self, text: &str) -> Option<&Outlet> {
        let search = &self.outlet_search;
        let mut found: Vec<(usize, usize, usize)> =
            search.names.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect();
        found.sort_unstable();
        let mut first: Option<usize> = None;
        for run in found.chunk_by(|a, b| a.0 == b.0) {
            let mut from = 0;
            for &(_, start, end) in run {
                if start < from {
                    continue;
                }
                let before_ok = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                let after_ok = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                if before_ok && after_ok {
                    let outlet = search.outlet_of[run[0].0];
                    first = Some(first.map_or(outlet, |f| f.min(outlet)));
                    break;
                }
                from = end;
            }
        }
        first.map(|k| &self.outlets[k])
    }

    /// The known outlet whose name or alias is exactly `name`.
    pub fn outlet_named(&self, name: &str) -> Option<&Outlet> {
        let name = name.trim();
        self.outlets
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name) || o.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Line,
    Inline,
    Tail,
    EmbeddedPost,
    Dateline,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub reason: String,
    pub scope: Scope,
    /// The pattern as written in the file.
    pub source: String,
    /// Compiled on first use for a pattern anchored at the line's start (the set in
    /// [`Boilerplate`] answers whether a line matches, and most never match at all); compiled
    /// with the set for the others, which are searched on their own.
    compiled: std::sync::OnceLock<NewsRegex>,
    pub within_lines: Option<usize>,
    pub caption: bool,
}

impl Pattern {
    /// The pattern, in [`Variants`]: a credit line has a curly quote or a dash more often than
    /// not, and an embedded post's pattern (`[^()\n]{1,60}`) as written built lazy DFA states for
    /// every Unicode character it could hold.
    pub fn regex(&self) -> &NewsRegex {
        // The set compiled the same pattern, so this cannot fail.
        self.compiled.get_or_init(|| NewsRegex::new(&self.source).expect("the pattern compiled as part of the set"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    reason: String,
    scope: Scope,
    regex: String,
    within_lines: Option<usize>,
    #[serde(default)]
    caption: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    pattern: Vec<RawPattern>,
}

/// The boilerplate patterns, in file order, and a matcher that tells which match a line.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    pub patterns: Vec<Pattern>,
    /// The patterns anchored at the line's start (`^…`), as one set searched anchored: most
    /// lines rule them all out within a few bytes. Searched unanchored in one set, the other
    /// patterns' bounded repeats (`[^\n]{1,60}`) made the lazy DFA build new states all along
    /// every line.
    anchored: regex::RegexSet,
    /// Indices (into `patterns`) of the set's patterns, in set order.
    anchored_index: Vec<usize>,
    /// Indices of the other patterns, each tried on its own: the regex crate then searches for
    /// its literals ("Translation:", "pic.twitter.com") or, for one that ends the line, backwards
    /// from the end.
    unanchored_index: Vec<usize>,
    /// Owns this matcher's answers in the per-thread memo.
    id: u64,
}

/// Which boilerplate patterns (by index) match somewhere in a line. Most lines match none, kept
/// as nothing at all, so that handing that answer out of the memo touches no shared count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matching(Option<std::sync::Arc<[bool]>>);

impl Matching {
    pub fn matched(&self, index: usize) -> bool {
        self.0.as_ref().and_then(|m| m.get(index)).copied().unwrap_or(false)
    }
}

static MATCHING: crate::memo::TextMemo<Matching> = crate::memo::TextMemo::new();

impl Boilerplate {
    /// Which patterns (by index) match somewhere in `line`. Syndicated copies repeat lines word
    /// for word, so each distinct line is searched once.
    pub fn matching(&self, line: &str) -> Matching {
        MATCHING.get(self.id, line, || self.search(line))
    }

    fn search(&self, line: &str) -> Matching {
        let mut matched = vec![false; self.patterns.len()];
        for k in self.anchored.matches(line).iter() {
            matched[self.anchored_index[k]] = true;
        }
        // Which variant reads the line is told once, not once a pattern.
        let script = Script::of(line);
        for &k in &self.unanchored_index {
            matched[k] = self.patterns[k].regex().for_script(script).is_match(line);
        }
        Matching(matched.contains(&true).then(|| matched.into()))
    }
}

/// Whether every match of `pattern` starts at the start of the text (`^`, not in multi-line mode).
fn anchored_at_start(pattern: &str) -> bool {
    regex_syntax::parse(pattern)
        .is_ok_and(|hir| hir.properties().look_set_prefix().contains(regex_syntax::hir::Look::Start))
}

fn parse_boilerplate(text: &str) -> Result<Boilerplate> {
    let file: PatternFile = toml::from_str(text)?;
    let mut patterns = Vec::with_capacity(file.pattern.len());
    for p in &file.pattern {
        // Checked here so an error names the pattern; compiled when first needed.
        regex_syntax::parse(&p.regex)
            .with_context(|| format!("pattern {:?} ({}) is not a valid regex", p.regex, p.reason))?;
        patterns.push(Pattern {
            reason: p.reason.clone(),
            scope: p.scope,
            source: p.regex.clone(),
            compiled: std::sync::OnceLock::new(),
            within_lines: p.within_lines,
            caption: p.caption,
        });
    }
    let (anchored_index, unanchored_index): (Vec<usize>, Vec<usize>) =
        (0..file.pattern.len()).partition(|&k| anchored_at_start(&file.pattern[k].regex));
    let anchored =
        regex::RegexSetBuilder::new(anchored_index.iter().map(|&k| ascii_word_boundaries(&file.pattern[k].regex)))
            .dfa_size_limit(REGEX_CACHE_BYTES)
            .build()
            .context("the boilerplate patterns do not compile as a set")?;
    // The shipped patterns are compiled as written only when a line needs it; a user's whole.
    let compile = if text == BOILERPLATE { NewsRegex::new } else { NewsRegex::checked };
    for &k in &unanchored_index {
        let p = &patterns[k];
        let compiled =
            compile(&p.source).with_context(|| format!("pattern {:?} ({}) does not compile", p.source, p.reason))?;
        _ = p.compiled.set(compiled);
    }
    Ok(Boilerplate { patterns, anchored, anchored_index, unanchored_index, id: crate::memo::owner_id() })
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outlet {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub affiliation: Option<String>,
}

/// Every outlet name and alias of two bytes or more, in one automaton: claims are searched
/// for outlets named in them, and trying each of the 115 names (of 38 outlets) in turn was a
/// third of the attribution stage.
#[derive(Debug, Clone)]
struct OutletSearch {
    names: aho_corasick::AhoCorasick,
    /// For each name (by pattern id), the first outlet that has it.
    outlet_of: Vec<usize>,
}

impl OutletSearch {
    fn new(outlets: &[Outlet]) -> Result<Self> {
        let mut first_with: std::collections::BTreeMap<&str, usize> = Default::default();
        for (k, outlet) in outlets.iter().enumerate() {
            for name in std::iter::once(&outlet.name).chain(&outlet.aliases) {
                if name.len() >= 2 {
                    first_with.entry(name.as_str()).or_insert(k);
                }
            }
        }
        let names = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(first_with.keys())
            .context("cannot compile the outlet names")?;
        Ok(OutletSearch { names, outlet_of: first_with.into_values().collect() })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutletFile {
    outlet: Vec<Outlet>,
}

/// Names that refer to the same entity ("UK", "Britain", "London").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasGroup {
    /// The form claims are normalised to.
    pub canonical: String,
    pub names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    group: Vec<AliasGroup>,
}

/// Compiles a pattern for news text: word boundaries are ASCII, and the lazy DFA has room to grow.
///
/// - `\b` is rewritten to `(?-u:\b)`. A Unicode word boundary makes
///   the lazy DFA give up at the first non-ASCII byte (a curly quote, an accented name, a dash),
///   and the regex falls back to the PikeVM, 10 to 50 times slower; most news sentences have such
///   a byte. The words these patterns bound are ASCII, where the two kinds of boundary agree. A
///   pattern that needs a boundary after a non-ASCII letter uses [`regex_unicode_boundaries`].
/// - Patterns with Unicode word classes and bounded repeats (speaker names, attributions)
///   outgrow the default DFA cache on news text, which then rebuilds states over and over; each
///   cache only grows as far as the text needs.
pub fn regex(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    regex_unicode_boundaries(&ascii_word_boundaries(pattern))
}

/// [`regex`], keeping `\b` Unicode-aware.
pub fn regex_unicode_boundaries(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).dfa_size_limit(REGEX_CACHE_BYTES).build()
}

/// A pattern compiled three times: as written, for text that is all ASCII, and for text of the
/// Latin and punctuation blocks ([`NEAR_ASCII`]). Each variant has every class cut down to the
/// characters its texts can hold, and the ASCII one every Unicode word boundary made an ASCII
/// one. On such text a variant matches the same spans with the same groups as the pattern (a
/// class can only ever match characters the text holds, and Unicode and ASCII word characters
/// agree on ASCII), but its automaton is far smaller: a bounded repeat of a Unicode `\w` is what
/// made the speaker, attribution and figure patterns slow to compile and slow to search. Of the
/// benchmark corpus's sentences, 86% are all ASCII and 13% more are near it, with a curly quote,
/// a dash or an accented name; with the pattern as written, a lazy DFA built states for those 13%
/// costing a twentieth of all work on 10,000 articles.
///
/// The pattern as written is compiled when a text first needs it ([`Variants::deferred`]) for
/// the patterns that ship with factbrief: few texts hold a character outside those blocks, and it
/// cost three times as much to compile as the other two (the boilerplate patterns' `\w{1,30}`
/// took 10 ms each), most of a small run's start-up. A pattern a user wrote is compiled whole
/// up front ([`Variants::compile`]), so that one too large to compile is refused with its name.
#[derive(Clone)]
pub struct Variants<T> {
    ascii: T,
    near_ascii: T,
    any: std::sync::OnceLock<T>,
    /// The pattern as written and how to compile it, for `any`.
    written: std::sync::Arc<(String, WrittenCompiler<T>)>,
}

type WrittenCompiler<T> = Box<dyn Fn(&str) -> T + Send + Sync>;

impl<T> std::fmt::Debug for Variants<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variants")
            .field("pattern", &self.written.0)
            .field("compiled_as_written", &self.any.get().is_some())
            .finish()
    }
}

/// A pattern for news text, compiled as [`regex`] compiles it, in [`Variants`].
pub type NewsRegex = Variants<Regex>;

/// Latin-1, Latin Extended-A and -B, General Punctuation and Currency Symbols: the characters of
/// 99.8% of news sentences in English (the benchmark corpus's).
const NEAR_ASCII: [(char, char); 2] = [('\0', '\u{24f}'), ('\u{2000}', '\u{20cf}')];

fn is_near_ascii(text: &str) -> bool {
    text.chars().all(|c| c <= NEAR_ASCII[0].1 || (NEAR_ASCII[1].0..=NEAR_ASCII[1].1).contains(&c))
}

/// Which of the [`Variants`] can read a text: told once for a text that several patterns search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Ascii,
    NearAscii,
    Any,
}

impl Script {
    pub fn of(text: &str) -> Script {
        if text.is_ascii() {
            Script::Ascii
        } else if is_near_ascii(text) {
            Script::NearAscii
        } else {
            Script::Any
        }
    }
}

impl<T: Send + Sync + 'static> Variants<T> {
    /// `pattern` and its variants, each compiled by `compile` now: for a pattern a user wrote.
    pub fn compile<E: std::fmt::Debug + 'static>(
        pattern: &str,
        compile: fn(&str) -> std::result::Result<T, E>,
    ) -> std::result::Result<Self, E> {
        Self::compile_with(pattern, compile, true)
    }

    /// `pattern` and its variants, the pattern as written compiled when a text first needs it:
    /// for a pattern that ships with factbrief, which the tests compile whole (a test build
    /// compiles it up front), so that it cannot fail later.
    pub fn deferred<E: std::fmt::Debug + 'static>(
        pattern: &str,
        compile: fn(&str) -> std::result::Result<T, E>,
    ) -> std::result::Result<Self, E> {
        Self::compile_with(pattern, compile, cfg!(any(test, fuzzing)))
    }

    fn compile_with<E: std::fmt::Debug + 'static>(
        pattern: &str,
        compile: fn(&str) -> std::result::Result<T, E>,
        now: bool,
    ) -> std::result::Result<Self, E> {
        // A variant is None only for a pattern that does not parse, which `compile` refuses.
        let variant = |printed: Option<String>| compile(printed.as_deref().unwrap_or(pattern));
        let any = std::sync::OnceLock::new();
        if now {
            _ = any.set(compile(pattern)?);
        }
        let as_written: WrittenCompiler<T> = Box::new(move |pattern: &str| {
            // Shipped patterns are compiled whole by the tests; a user's anchored one by the set.
            compile(pattern).unwrap_or_else(|e| panic!("a pattern checked before does not compile as written: {e:?}"))
        });
        Ok(Variants {
            ascii: variant(ascii_variant(pattern))?,
            near_ascii: variant(variant_within(pattern, &NEAR_ASCII, false))?,
            any,
            written: std::sync::Arc::new((pattern.to_string(), as_written)),
        })
    }

    /// The variant to search `haystack` with: the smallest that can read all of it.
    pub fn for_text(&self, haystack: &str) -> &T {
        self.for_script(Script::of(haystack))
    }

    /// The variant for text of `script`.
    pub fn for_script(&self, script: Script) -> &T {
        #[cfg(any(test, fuzzing))]
        if AS_WRITTEN.get() {
            return self.any();
        }
        match script {
            Script::Ascii => &self.ascii,
            Script::NearAscii => &self.near_ascii,
            Script::Any => self.any(),
        }
    }

    /// The pattern as written, for any text.
    pub fn any(&self) -> &T {
        self.any.get_or_init(|| (self.written.1)(&self.written.0))
    }
}

#[cfg(any(test, fuzzing))]
thread_local! {
    static AS_WRITTEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every [`Variants`] on this thread searching with the pattern as written, for the
/// tests and fuzz targets to hold the variants to it.
#[cfg(any(test, fuzzing))]
#[doc(hidden)]
pub fn as_written<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            AS_WRITTEN.set(false);
        }
    }
    AS_WRITTEN.set(true);
    let _reset = Reset;
    f()
}

impl Variants<Regex> {
    /// `pattern` as [`regex`] compiles it (ASCII `\b`), and its variants, for a pattern that ships
    /// with factbrief ([`Variants::deferred`]).
    pub fn new(pattern: &str) -> std::result::Result<Self, regex::Error> {
        Self::deferred(&ascii_word_boundaries(pattern), regex_unicode_boundaries)
    }

    /// [`Variants::new`] compiled whole now, for a pattern a user wrote.
    pub fn checked(pattern: &str) -> std::result::Result<Self, regex::Error> {
        Self::compile(&ascii_word_boundaries(pattern), regex_unicode_boundaries)
    }

    /// `pattern` as [`regex_unicode_boundaries`] compiles it, and its variants, for a pattern
    /// that ships with factbrief.
    pub fn unicode_boundaries(pattern: &str) -> std::result::Result<Self, regex::Error> {
        Self::deferred(pattern, regex_unicode_boundaries)
    }
}

/// `pattern` as it matches on ASCII text: [`variant_within`] ASCII, with ASCII word boundaries.
pub fn ascii_variant(pattern: &str) -> Option<String> {
    variant_within(pattern, &[('\0', '\x7f')], true)
}

/// `pattern` as it matches on text whose characters all lie in `ranges`: its syntax tree with
/// every Unicode class intersected with them (and, if `ascii_boundaries`, every Unicode word
/// assertion made ASCII), printed back as a pattern with the same groups in the same order. None
/// if it does not parse.
pub fn variant_within(pattern: &str, ranges: &[(char, char)], ascii_boundaries: bool) -> Option<String> {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};
    fn cut(hir: &Hir, within: &ClassUnicode, ascii_boundaries: bool) -> Hir {
        let sub = |h: &Hir| cut(h, within, ascii_boundaries);
        match hir.kind() {
            HirKind::Empty => Hir::empty(),
            HirKind::Literal(lit) => Hir::literal(lit.0.clone()),
            HirKind::Class(Class::Unicode(class)) => {
                let mut kept = class.clone();
                kept.intersect(within);
                Hir::class(Class::Unicode(kept))
            }
            HirKind::Class(Class::Bytes(class)) => Hir::class(Class::Bytes(class.clone())),
            HirKind::Look(look) if ascii_boundaries => Hir::look(match look {
                Look::WordUnicode => Look::WordAscii,
                Look::WordUnicodeNegate => Look::WordAsciiNegate,
                Look::WordStartUnicode => Look::WordStartAscii,
                Look::WordEndUnicode => Look::WordEndAscii,
                Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
                Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
                other => *other,
            }),
            HirKind::Look(look) => Hir::look(*look),
            HirKind::Repetition(rep) => {
                let mut rep = rep.clone();
                rep.sub = Box::new(sub(&rep.sub));
                Hir::repetition(rep)
            }
            HirKind::Capture(cap) => {
                let mut cap = cap.clone();
                cap.sub = Box::new(sub(&cap.sub));
                Hir::capture(cap)
            }
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(sub).collect()),
            HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(sub).collect()),
        }
    }
    let within = ClassUnicode::new(ranges.iter().map(|&(from, to)| ClassUnicodeRange::new(from, to)));
    let hir = regex_syntax::parse(pattern).ok()?;
    Some(cut(&hir, &within, ascii_boundaries).to_string())
}

/// `pattern` with each `\b` escape made ASCII-only; an escaped backslash (`\\b`) is left alone.
/// (`\B` stays: an ASCII `\B` could split a UTF-8 character, which the regex crate refuses.)
pub fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

/// A pattern that matches only a text's last clause (", officials said."), asked only whether it
/// matches. The caller promises that every match starts with one of `starts`, ends at the end of
/// the text (the pattern ends in `$`), and holds no `barrier` after its first character. A match
/// can then only start at the last `barrier` or at a `starts` character after it, so the pattern
/// is tried anchored at those few places. The regex crate, which cannot know this, searches from
/// every byte, and a reverse search from the end multiplies the lazy DFA's states on the
/// pattern's bounded repeats (`[^,]{0,40}`): a quarter of all work on 1,000 articles.
pub struct LastClause {
    regex: regex_automata::meta::Regex,
    starts: Vec<char>,
    barrier: char,
    /// Words of which every match holds one (see [`LastClause::requiring_any`]).
    required: Option<aho_corasick::AhoCorasick>,
}

impl LastClause {
    pub fn new(
        pattern: &str,
        starts: &[char],
        barrier: char,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        use regex_automata::meta;
        if !pattern.ends_with('$') {
            return Err(format!("pattern {pattern:?} does not end in $").into());
        }
        let regex = meta::Regex::builder()
            .configure(meta::Config::new().hybrid_cache_capacity(REGEX_CACHE_BYTES))
            .build(&ascii_word_boundaries(pattern))?;
        Ok(LastClause { regex, starts: starts.to_vec(), barrier, required: None })
    }

    /// Skips the search on a text holding none of `words`: the caller's promise that every match
    /// holds one of them (the pattern's verbs, say).
    pub fn requiring_any(mut self, words: &[&str]) -> Self {
        self.required = Some(aho_corasick::AhoCorasick::new(words).expect("a handful of words always compiles"));
        self
    }

    pub fn is_match(&self, text: &str) -> bool {
        use regex_automata::{Anchored, Input};
        if self.required.as_ref().is_some_and(|words| !words.is_match(text)) {
            return false;
        }
        let from = text.rfind(self.barrier).unwrap_or(0);
        text[from..].char_indices().filter(|(_, c)| self.starts.contains(c)).any(|(at, _)| {
            // The span keeps the text before `at` in view, so `\b` there sees it as the regex would.
            self.regex.is_match(Input::new(text).span(from + at..text.len()).anchored(Anchored::Yes))
        })
    }
}

/// The lazy DFA cache limit per regex and thread.
pub const REGEX_CACHE_BYTES: usize = 16 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii() {
        assert_eq!(ascii_word_boundaries(r"\bsaid\b"), r"(?-u:\b)said(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"\Bx\\b\d"), r"\Bx\\b\d");
        let re = regex(r"(?i)\bso-called\b").unwrap();
        assert!(re.is_match("the “so-called” plan"));
        assert!(!re.is_match("also-called"));
    }

    const LAST_CLAUSE: &str = r"[,—]\s*\w+\s+(?:said|told\s+[\w .]+)\b[^,]{0,10}[.!?]?\s*$";

    fn last_clause_agrees(text: &str) {
        let fast = LastClause::new(LAST_CLAUSE, &[',', '—'], ',').unwrap();
        let prefiltered = LastClause::new(LAST_CLAUSE, &[',', '—'], ',').unwrap().requiring_any(&["said", "told"]);
        let slow = regex(LAST_CLAUSE).unwrap();
        assert_eq!(fast.is_match(text), slow.is_match(text), "{text:?}");
        assert_eq!(prefiltered.is_match(text), slow.is_match(text), "{text:?}");
    }

    #[test]
    fn last_clause_agrees_with_the_regex() {
        for s in [
            "It rained, Petro said.",
            "It rained, Petro said in a long speech to the nation.",
            "Petro said it.",
            "",
            "— Ana told CNN",
            "x, y said. ”",
            "It rained — Ana said, and then, Petro said.",
            "It rained—Ana said.",
            "A, B said, C",
            "A,Btold CNN.",
        ] {
            last_clause_agrees(s);
        }
        assert!(LastClause::new("said", &[','], ',').is_err());
    }

    proptest::proptest! {
        #[test]
        fn last_clause_agrees_on_any_text(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "Petro", "said", ",", "—", "told", "CNN", ".", "?", "x", "é", "\n", "rained", "", "a.b",
            ]), 0..30),
            glue in proptest::sample::select(vec![" ", ""]),
        ) {
            last_clause_agrees(&words.join(glue));
        }

        #[test]
        fn boilerplate_matching_agrees_on_any_line(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "Photo:", "(Getty Images)", "Translation:", "(AP Photo/X)", "Advertisement", "Read more",
                "pic.twitter.com/x1", "—", "(@ana)", "March 3, 2025", "Jane", "é", " ", "\t", ".", "(", ")",
            ]), 0..20),
        ) {
            let line = words.concat();
            let b = &Data::builtin().boilerplate;
            let (want, got) = (plain_boilerplate_set().matches(&line), b.search(&line));
            for k in 0..b.patterns.len() {
                proptest::prop_assert_eq!(got.matched(k), want.matched(k), "pattern {} on {:?}", k, line);
            }
        }
    }

    #[test]
    fn a_bad_boilerplate_pattern_is_named() {
        let file = "[[pattern]]\nreason = \"teaser\"\nscope = \"line\"\nregex = '^(Read more'\n";
        let err = Data::from_texts(file, OUTLETS, ALIASES, vec![]).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("\"^(Read more\" (teaser) is not a valid regex"), "{message}");
    }

    /// Every built-in boilerplate pattern in one set, searched unanchored.
    fn plain_boilerplate_set() -> &'static regex::RegexSet {
        static SET: std::sync::OnceLock<regex::RegexSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| {
            let patterns = &Data::builtin().boilerplate.patterns;
            regex::RegexSet::new(patterns.iter().map(|p| ascii_word_boundaries(&p.source))).unwrap()
        })
    }

    #[test]
    fn boilerplate_matching_agrees_with_one_set_of_all_patterns() {
        // The split matcher (an anchored set, the rest one by one) against the plain set of every
        // pattern, on every line of the seeds and on lines made to hit each kind of pattern.
        let data = Data::builtin();
        let b = &data.boilerplate;
        let plain = plain_boilerplate_set();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut lines: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(seeds).unwrap() {
            lines.extend(std::fs::read_to_string(entry.unwrap().path()).unwrap().lines().map(String::from));
        }
        lines.extend(
            [
                "Advertisement",
                "Share this article",
                "Read more:",
                "The mayor spoke. (Getty Images)",
                "A view of the port. Photo: Jane Doe/Reuters",
                "(Reuters) Translation: Ana Ruiz",
                "pic.twitter.com/abc123 — Jane Doe (@jane) March 3, 2025",
                "CARACAS, Venezuela, 3 March 2025 —",
                "Make a donation to support our journalism today",
                "",
            ]
            .map(String::from),
        );
        assert!(b.unanchored_index.len() >= 3 && b.anchored_index.len() >= 10);
        let mut hits = 0;
        for line in &lines {
            let want = plain.matches(line);
            let got = b.search(line);
            for k in 0..b.patterns.len() {
                assert_eq!(got.matched(k), want.matched(k), "pattern {k} on {line:?}");
            }
            hits += want.iter().count();
        }
        assert!(hits >= 8, "the made-up lines hit only {hits} patterns");
    }

    /// The outlet as found before the automaton: each outlet's names in turn, each searched
    /// with `str::find` from the end of its last occurrence.
    fn outlet_by_scanning<'d>(text: &str, data: &'d Data) -> Option<&'d Outlet> {
        for outlet in data.outlets() {
            for alias in std::iter::once(&outlet.name).chain(&outlet.aliases) {
                if alias.len() < 2 {
                    continue;
                }
                let mut from = 0;
                while let Some(at) = text[from..].find(alias.as_str()) {
                    let (start, end) = (from + at, from + at + alias.len());
                    let before_ok = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                    let after_ok = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                    if before_ok && after_ok {
                        return Some(outlet);
                    }
                    from = end;
                }
            }
        }
        None
    }

    #[test]
    fn outlet_search_agrees_with_scanning_each_name() {
        let data = Data::builtin();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(seeds).unwrap() {
            texts.extend(std::fs::read_to_string(entry.unwrap().path()).unwrap().split(['.', '\n']).map(String::from));
        }
        texts.extend(["CNNs and CNN", "sources told the BBC", "per Reuters.", "APAP AP", ""].map(String::from));
        let mut found = 0;
        for t in &texts {
            let (want, got) = (outlet_by_scanning(t, &data), data.outlet_in(t));
            assert_eq!(got.map(|o| &o.name), want.map(|o| &o.name), "{t:?}");
            found += usize::from(want.is_some());
        }
        assert!(found >= 5, "only {found} texts name an outlet");
    }

    proptest::proptest! {
        #[test]
        fn outlet_search_agrees_on_any_text(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "CNN", "BBC", "Reuters", "AP", "Associated Press", "Fox News", "The", "New York Times",
                "x", "é", " ", "-", ".", "s", "News",
            ]), 0..16),
        ) {
            let data = Data::builtin();
            let text = words.concat();
            let (want, got) = (outlet_by_scanning(&text, &data), data.outlet_in(&text));
            proptest::prop_assert_eq!(got.map(|o| &o.name), want.map(|o| &o.name), "{:?}", text);
        }
    }

    /// Patterns with what the ASCII variant changes: Unicode classes in bounded repeats, case
    /// folding, negated classes, `.`, Unicode and ASCII word boundaries, a class with a curly
    /// apostrophe, named and unnamed groups.
    const NEWS_PATTERNS: &[&str] = &[
        r"(?i)\b(?P<qual>at least|nearly|some)?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:one|two|twenty)(?:[- ](?:one|two))?|a dozen)(?P<scale>\s+(?:dozen|million))?(?P<rest>(?:\s+[\w-]+){0,4})",
        r"(?P<who>(?:(?:[Tt]he\s+)?(?:[A-Z][\w’'.-]*\s+|of\s+){0,6}[A-Z][\w’'.-]*|(?:[\w’'-]+\s+){0,2}(?:officials|sources)))\s+(?:said|told)\b",
        r"\b[Aa]ccording to\s+(?P<who>(?:the\s+)?(?:[A-Z][\w.&'-]*(?:\s+(?:of\s+)?[A-Z][\w.&'-]*){0,4}|sources?[^,.;]*))",
        r"(?i)\b(?:what|which)\s+(?:[\w’'.-]+\s+){0,5}?(?:called|described)(?:\s+as)?\b",
        r"(?:^|[^\w-])(?P<verb>said|says|told)\b",
        r"^(.{0,12})(\w+)\s*(?P<end>[^\w\s]?)$",
    ];

    fn same_captures(any: &Regex, ascii: &Regex, text: &str) -> Result<(), String> {
        let spans = |re: &Regex| -> Vec<Vec<Option<(usize, usize)>>> {
            re.captures_iter(text).map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect()).collect()
        };
        let (a, b) = (spans(any), spans(ascii));
        if a == b { Ok(()) } else { Err(format!("{text:?}: {a:?} against {b:?}")) }
    }

    #[test]
    fn variants_match_as_the_patterns_do_on_the_text_they_are_for() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts: Vec<String> = vec![
            "The UN's chief, said 'x'".into(),
            "at least 4,500 K-9 units said".into(),
            "“Nearly twenty-one José Núñez’s aides,” said Pérez — ſome 5 million in Łódź".into(),
        ];
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            texts.extend(text.lines().map(String::from));
        }
        assert!(texts.iter().any(|t| !t.is_ascii() && is_near_ascii(t)), "the seeds have near-ASCII lines");
        for pattern in NEWS_PATTERNS {
            for re in [NewsRegex::new(pattern).unwrap(), NewsRegex::unicode_boundaries(pattern).unwrap()] {
                assert_eq!(re.any().captures_len(), re.for_text("ascii").captures_len());
                assert_eq!(re.any().captures_len(), re.for_text("é").captures_len());
                for text in &texts {
                    same_captures(re.any(), re.for_text(text), text).unwrap();
                }
            }
        }
        // Each text is searched with the smallest variant that can read it.
        let re = NewsRegex::new(NEWS_PATTERNS[1]).unwrap();
        assert!(std::ptr::eq(re.for_text("Jose said"), &re.ascii));
        assert!(std::ptr::eq(re.for_text("“José” said"), &re.near_ascii));
        assert!(std::ptr::eq(re.for_text("Дмитрий said"), re.any()));
    }

    #[test]
    fn the_pattern_as_written_waits_for_a_text_that_needs_it() {
        let pattern = NEWS_PATTERNS[1];
        let deferred = Variants::compile_with(pattern, regex_unicode_boundaries, false).unwrap();
        assert!(deferred.any.get().is_none());
        // ASCII and near-ASCII text leave it uncompiled.
        assert!(deferred.for_text("Jose Nunez said").is_match("Jose Nunez said"));
        assert!(deferred.for_text("José Núñez said").is_match("José Núñez said"));
        assert!(deferred.any.get().is_none());
        // The first text beyond them compiles it, once.
        assert!(deferred.for_text("Дмитрий’s officials said").is_match("Дмитрий’s officials said"));
        let compiled: *const Regex = deferred.any.get().expect("compiled for that text");
        assert!(std::ptr::eq(deferred.any(), compiled));
        // Up front, as for a user's pattern (and for every shipped one in a test build).
        assert!(Variants::compile(pattern, regex_unicode_boundaries).unwrap().any.get().is_some());
        assert!(NewsRegex::new(pattern).unwrap().any.get().is_some());
    }

    #[test]
    fn a_users_boilerplate_pattern_too_large_to_compile_is_refused_by_name() {
        // Small enough as ASCII, far too large with Unicode's word characters.
        let text = "[[pattern]]\nreason = \"huge\"\nscope = \"inline\"\nregex = 'x\\w{1,1000}y'\n";
        let err = parse_boilerplate(text).unwrap_err();
        assert!(format!("{err:#}").contains("(huge) does not compile"), "{err:#}");
        // Anchored at the line's start, it goes in the set, which is compiled whole too.
        let err = parse_boilerplate(&text.replace("'x", "'^x")).unwrap_err();
        assert!(format!("{err:#}").contains("do not compile as a set"), "{err:#}");
    }

    /// What the stages find with the variants is what they find with the patterns as written.
    #[test]
    fn stages_find_the_same_with_the_patterns_as_written() {
        use crate::claims::{origins, quantities};
        use crate::markers::voice::SentenceVoice;
        let data = Data::builtin();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut near_ascii = 0;
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let clean = || crate::clean::clean(&text, &data);
            assert_eq!(clean(), as_written(clean));
            for line in text.lines() {
                near_ascii += usize::from(!line.is_ascii() && is_near_ascii(line));
                let find = || {
                    let voice = SentenceVoice::new(line);
                    let speakers: Vec<_> = line.char_indices().map(|(at, _)| voice.speaker(at)).collect();
                    (quantities::read_figures(line), origins::attribute(line, &data, Some("CNN")), speakers)
                };
                assert_eq!(find(), as_written(find), "{line}");
            }
        }
        assert!(near_ascii > 10, "{near_ascii} near-ASCII lines");
    }

    proptest::proptest! {
        #[test]
        fn variants_match_on_any_text_they_are_for(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "The", "the", "UN's", "Officials", "sources", "said", "told", "according", "to", "At", "least",
                "4,500", "2.5", "twenty-one", "a dozen", "million", "K", "k", "s", "S", "what", "called", "as",
                " ", "  ", ",", ".", "-", "'", "\t", "\n", "x_1",
                // Near ASCII: accented letters, curly quotes, dashes, spaces, the long s (which
                // folds to "s"), a connector (a word character) and a superscript letter.
                "José", "Núñez", "Łódź", "ſome", "ß", "ÿ", "’", "“", "”", "—", "–", "\u{a0}", "\u{2009}", "ſ", "€", "\u{203f}", "\u{2071}",
                // Beyond it: the Kelvin sign (folds to "k"), Greek and Cyrillic letters.
                "\u{212a}", "Ω", "я",
            ]), 0..20),
            which in 0..6usize,
        ) {
            let text = words.concat();
            let pattern = NEWS_PATTERNS[which];
            for re in [NewsRegex::new(pattern).unwrap(), NewsRegex::unicode_boundaries(pattern).unwrap()] {
                proptest::prop_assert!(same_captures(re.any(), re.for_text(&text), &text).is_ok(), "{}", same_captures(re.any(), re.for_text(&text), &text).unwrap_err());
            }
        }
    }

    #[test]
    fn builtin_data_parses() {
        let data = Data::builtin();
        assert!(data.boilerplate.patterns.len() > 10);
        assert_eq!(data.outlet_named("Telesur").unwrap().name, "teleSUR");
    }
}
