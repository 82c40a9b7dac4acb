//! The brief as pretty-printed JSON, its long lists rendered in parallel.
//!
//! The bytes are exactly `serde_json::to_string_pretty(brief)` plus a line break: the brief's
//! own braces and field names are written here, and each element of a top-level list is
//! rendered on its own (in parallel, a chunk at a time, so memory stays bounded), starting at
//! the depth the element stands at: by hand for the elements that make up nearly all the bytes,
//! by serde's pretty printer for the rest. At 10,000 articles the JSON runs to 240 MB, and one
//! thread rendering it was a tenth of the run.

use std::io::{self, Write};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use crate::brief::{
    Attribution, Brief, CategoryCount, Claim, Conflict, Marker, Mention, MetadataOrigin, Position, Profile, Removal,
    Sentence, Source, Voice, WordChoice,
};

/// Elements rendered per parallel step at most: enough to keep every thread busy, few enough that
/// the rendered chunk is a small fraction of the brief.
const CHUNK: usize = 16384;

/// Chunks a list is cut into at least, so that writing one overlaps rendering the next: the
/// 7,327 claims of a 10,000-article brief (74 MB) were one chunk, rendered while nothing was
/// written, then written while nothing was rendered.
const MIN_CHUNKS: usize = 32;

/// Elements printed into one buffer by one task.
const RUN: usize = 64;

/// Writes the brief, then a line break.
pub fn write(brief: &Brief, out: &mut impl Write) -> io::Result<()> {
    write_chunked(brief, CHUNK, out)
}

/// The fields of [`Brief`] in the order its derived `Serialize` writes them (a test holds the
/// two to the same bytes).
fn write_chunked(b: &Brief, chunk: usize, out: &mut impl Write) -> io::Result<()> {
    let mut fields = Fields { out, first: true };
    fields.value("schema_version", &b.schema_version)?;
    fields.value("generator", &b.generator)?;
    fields.value("title", &b.title)?;
    fields.value("date_range", &b.date_range)?;
    fields.list("sources", &b.sources, chunk)?;
    fields.list("sentences", &b.sentences, chunk)?;
    fields.list("claims", &b.claims, chunk)?;
    fields.list("conflicts", &b.conflicts, chunk)?;
    fields.list("markers", &b.markers, chunk)?;
    fields.value("warnings", &b.warnings)?;
    fields.out.write_all(b"\n}\n")
}

/// The brief's object, one field at a time.
struct Fields<'w, W: Write> {
    out: &'w mut W,
    first: bool,
}

impl<W: Write> Fields<'_, W> {
    fn name(&mut self, name: &str) -> io::Result<()> {
        self.out.write_all(if self.first { b"{\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut *self.out, name)?;
        self.out.write_all(b": ")
    }

    fn value<T: Serialize>(&mut self, name: &str, value: &T) -> io::Result<()> {
        self.name(name)?;
        pretty_at(&mut *self.out, value, 1)
    }

    fn list<T: Element>(&mut self, name: &str, items: &[T], chunk: usize) -> io::Result<()> {
        self.name(name)?;
        if items.is_empty() {
            return self.out.write_all(b"[]");
        }
        self.out.write_all(b"[")?;
        let chunk = chunk.min(items.len().div_ceil(MIN_CHUNKS).max(RUN));
        // Chunks are rendered on another thread (on the pool) while this one writes the last:
        // writing 240 MB is a good part of the stage, and it no longer waits for the rendering.
        let (rendered_tx, rendered_rx) = std::sync::mpsc::sync_channel::<io::Result<Vec<Vec<u8>>>>(1);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for (c, part) in items.chunks(chunk.max(1)).enumerate() {
                    // A failed send means the writer gave up (its error is reported there).
                    if rendered_tx.send(render_chunk(c, part)).is_err() {
                        break;
                    }
                }
            });
            for runs in rendered_rx {
                for run in &runs? {
                    self.out.write_all(run)?;
                }
            }
            Ok::<(), io::Error>(())
        })?;
        self.out.write_all(b"\n  ]")
    }
}

/// Chunk `c` of a list (`part`), as runs of elements each printed into one buffer with the
/// separators before them, in parallel.
fn render_chunk<T: Element>(c: usize, part: &[T]) -> io::Result<Vec<Vec<u8>>> {
    part.par_chunks(RUN)
        .enumerate()
        .map(|(r, run)| {
            let mut buf = Vec::with_capacity(512);
            for (k, item) in run.iter().enumerate() {
                let first = c == 0 && r == 0 && k == 0;
                buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                item.write_at(&mut buf, 2)?;
                // Room for the rest at the first one's size and a half (up to 4 MB): a claim runs
                // to 10 KB, a sentence to 300 bytes, and growing the buffer step by step copied
                // it over and over (14 M of 5,352 M instructions at 1,000 articles).
                if k == 0 {
                    buf.reserve((buf.len() * 3 / 2 * (run.len() - 1)).min(4 << 20));
                }
            }
            Ok(buf)
        })
        .collect()
}

/// Writes `value` as serde_json's pretty printer would `depth` levels down.
fn pretty_at<T: Serialize>(out: impl Write, value: &T, depth: usize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Deep { depth, has_value: false });
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// An element of one of the brief's lists, written `depth` levels down. Conflicts go through
/// serde; sources, sentences, claims and markers, nearly all the bytes, are written by hand,
/// byte for byte as serde's pretty printer writes them (tests hold them to it): serde_json looks
/// up each byte of each string in a table, and that was a tenth of the run's instructions.
trait Element: Serialize + Sync + Sized {
    fn write_at(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        pretty_at(out, self, depth)
    }
}

impl Element for Conflict {}

static SOURCE: FieldLines = FieldLines::new(&[
    "id",
    "path",
    "outlet",
    "url",
    "published",
    "affiliation",
    "headline",
    "words",
    "cites",
    "via",
    "metadata_from",
    "text",
    "encoding",
    "removed",
    "profile",
]);
static METADATA_ORIGIN: FieldLines = FieldLines::new(&["field", "from", "evidence"]);
static REMOVAL: FieldLines = FieldLines::new(&["start", "end", "text", "reason"]);
static PROFILE: FieldLines =
    FieldLines::new(&["per_1000_words", "by_category", "headline_markers", "quoted_or_attributed", "word_choices"]);
static CATEGORY_COUNT: FieldLines = FieldLines::new(&["category", "count"]);
static WORD_CHOICE: FieldLines = FieldLines::new(&["claim", "term", "others", "more"]);

impl Element for Source {
    fn write_at(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        let mut o = Object::open(out, depth, &SOURCE);
        o.string("id", &self.id);
        o.string("path", &self.path);
        o.optional_string("outlet", self.outlet.as_deref());
        o.optional_string("url", self.url.as_deref());
        o.optional_string("published", self.published.as_deref());
        o.optional_string("affiliation", self.affiliation.as_deref());
        o.optional_string("headline", self.headline.as_deref());
        o.number("words", self.words);
        o.strings("cites", &self.cites);
        o.optional_string("via", self.via.as_deref());
        o.list("metadata_from", &self.metadata_from, |MetadataOrigin { field, from, evidence }, out, depth| {
            let mut m = Object::open(out, depth, &METADATA_ORIGIN);
            m.string("field", field);
            m.string("from", from);
            m.optional_string("evidence", evidence.as_deref());
            m.close();
            Ok(())
        })?;
        o.optional_string("text", self.text.as_deref());
        o.optional_string("encoding", self.encoding.as_deref());
        o.list("removed", &self.removed, |Removal { start, end, text, reason }, out, depth| {
            let mut r = Object::open(out, depth, &REMOVAL);
            r.number("start", *start);
            r.number("end", *end);
            r.string("text", text);
            r.string("reason", reason);
            r.close();
            Ok(())
        })?;
        o.key("profile");
        let Profile { per_1000_words, by_category, headline_markers, quoted_or_attributed, word_choices } =
            &self.profile;
        let mut p = Object::open(o.out, depth + 1, &PROFILE);
        p.float("per_1000_words", *per_1000_words)?;
        p.list("by_category", by_category, |CategoryCount { category, count }, out, depth| {
            let mut c = Object::open(out, depth, &CATEGORY_COUNT);
            c.string("category", category);
            c.number("count", *count);
            c.close();
            Ok(())
        })?;
        p.number("headline_markers", *headline_markers);
        p.number("quoted_or_attributed", *quoted_or_attributed);
        p.list("word_choices", word_choices, |WordChoice { claim, term, others, more }, out, depth| {
            let mut w = Object::open(out, depth, &WORD_CHOICE);
            w.string("claim", claim);
            w.string("term", term);
            w.strings("others", others);
            w.number("more", *more);
            w.close();
            Ok(())
        })?;
        p.close();
        o.close();
        Ok(())
    }
}

static SENTENCE: FieldLines = FieldLines::new(&["source", "start", "end", "text", "position", "checkworthiness"]);
static CLAIM: FieldLines =
    FieldLines::new(&["id", "text", "checkworthiness", "mentions", "outlets", "origins", "independent", "rating"]);
static MENTION: FieldLines = FieldLines::new(&["source", "start", "end", "text", "attribution", "origin"]);
static ATTRIBUTION: FieldLines = FieldLines::new(&["to", "kind", "phrase"]);
static MARKER: FieldLines = FieldLines::new(&[
    "source", "start", "end", "text", "term", "category", "voice", "speaker", "position", "note", "neutral",
]);

impl Element for Sentence {
    fn write_at(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        let mut o = Object::open(out, depth, &SENTENCE);
        o.span(&self.source, self.start, self.end, &self.text);
        o.raw("position", position_json(self.position));
        o.float("checkworthiness", self.checkworthiness)?;
        o.close();
        Ok(())
    }
}

impl Element for Claim {
    fn write_at(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        let mut o = Object::open(out, depth, &CLAIM);
        o.string("id", &self.id);
        o.string("text", &self.text);
        o.float("checkworthiness", self.checkworthiness)?;
        o.list("mentions", &self.mentions, |m, out, depth| m.write_at(out, depth))?;
        o.number("outlets", self.outlets);
        o.strings("origins", &self.origins);
        o.number("independent", self.independent);
        o.serde("rating", &self.rating)?;
        o.close();
        Ok(())
    }
}

impl Element for Mention {
    fn write_at(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        let mut o = Object::open(out, depth, &MENTION);
        o.span(&self.source, self.start, self.end, &self.text);
        o.key("attribution");
        match &self.attribution {
            None => o.out.extend_from_slice(b"null"),
            Some(Attribution { to, kind, phrase }) => {
                let mut a = Object::open(o.out, depth + 1, &ATTRIBUTION);
                a.string("to", to);
                a.string("kind", kind);
                a.string("phrase", phrase);
                a.close();
            }
        }
        o.string("origin", &self.origin);
        o.close();
        Ok(())
    }
}

impl Element for Marker {
    fn write_at(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        let mut o = Object::open(out, depth, &MARKER);
        o.span(&self.source, self.start, self.end, &self.text);
        o.string("term", &self.term);
        o.string("category", &self.category);
        o.raw("voice", voice_json(self.voice));
        o.optional_string("speaker", self.speaker.as_deref());
        o.raw("position", position_json(self.position));
        o.string("note", &self.note);
        o.optional_string("neutral", self.neutral.as_deref());
        o.close();
        Ok(())
    }
}

/// The fields of an object written by hand, in order, and the line that opens each (line break,
/// indent, name), made once for each depth: writing them piece by piece was a tenth of the JSON.
struct FieldLines {
    names: &'static [&'static str],
    lines: [OnceLock<Vec<Vec<u8>>>; 8],
}

impl FieldLines {
    const fn new(names: &'static [&'static str]) -> Self {
        FieldLines { names, lines: [const { OnceLock::new() }; 8] }
    }

    /// The opening lines at `depth`; None deeper than the lists of a brief go.
    fn lines(&self, depth: usize) -> Option<&[Vec<u8>]> {
        let lines = self.lines.get(depth)?.get_or_init(|| {
            let line = |k: usize, name: &str| {
                let mut line = indented_line(depth + 1, k > 0).to_vec();
                push_string(&mut line, name);
                line.extend_from_slice(b": ");
                line
            };
            self.names.iter().enumerate().map(|(k, name)| line(k, name)).collect()
        });
        Some(lines)
    }
}

/// An object being written by hand, `depth` levels down, as serde's pretty printer lays it out:
/// each field on a line of its own, one level deeper, and the brace on a line at `depth`.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    fields: &'static FieldLines,
    /// How many fields are written.
    written: usize,
}

impl<'a> Object<'a> {
    fn open(out: &'a mut Vec<u8>, depth: usize, fields: &'static FieldLines) -> Self {
        out.push(b'{');
        Object { out, depth, fields, written: 0 }
    }

    /// The next field's name on its line: fields come in the order `fields` names them.
    fn key(&mut self, name: &str) {
        debug_assert_eq!(self.fields.names.get(self.written), Some(&name), "fields out of order");
        match self.fields.lines(self.depth) {
            Some(lines) => self.out.extend_from_slice(&lines[self.written]),
            None => {
                line_at(self.out, self.depth + 1, self.written > 0);
                push_string(self.out, name);
                self.out.extend_from_slice(b": ");
            }
        }
        self.written += 1;
    }

    /// The four fields that open a sentence, a mention and a marker: where its text stands.
    fn span(&mut self, source: &str, start: usize, end: usize, text: &str) {
        self.string("source", source);
        self.number("start", start);
        self.number("end", end);
        self.string("text", text);
    }

    fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        push_string(self.out, value);
    }

    fn optional_string(&mut self, name: &str, value: Option<&str>) {
        self.key(name);
        match value {
            Some(value) => push_string(self.out, value),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn number(&mut self, name: &str, value: usize) {
        self.key(name);
        self.out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// A field whose value is already JSON.
    fn raw(&mut self, name: &str, json: &[u8]) {
        self.key(name);
        self.out.extend_from_slice(json);
    }

    /// A field whose value serde writes: the enums, by their serde names.
    fn serde<T: Serialize>(&mut self, name: &str, value: &T) -> io::Result<()> {
        self.key(name);
        pretty_at(&mut *self.out, value, self.depth + 1)
    }

    /// A float as serde_json writes it. Scores are rounded to thousandths, so their 1,001 forms
    /// are written once each by serde_json and then copied; any other value goes to serde_json.
    fn float(&mut self, name: &str, value: f64) -> io::Result<()> {
        static THOUSANDTHS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
        self.key(name);
        // A saturating cast: NaN and negatives give 0, which the comparison then turns away.
        let k = (value * 1000.0).round() as usize;
        if k <= 1000 && (k as f64 / 1000.0).to_bits() == value.to_bits() {
            let forms = THOUSANDTHS.get_or_init(|| {
                (0..=1000).map(|k| serde_json::to_vec(&(k as f64 / 1000.0)).expect("a finite float")).collect()
            });
            self.out.extend_from_slice(&forms[k]);
            return Ok(());
        }
        serde_json::to_writer(&mut *self.out, &value).map_err(io::Error::from)
    }

    /// A list field: its items each on a line two levels deeper than the object, its bracket on
    /// a line one level deeper; `[]` when empty.
    fn list<T>(
        &mut self,
        name: &str,
        items: &[T],
        write: impl Fn(&T, &mut Vec<u8>, usize) -> io::Result<()>,
    ) -> io::Result<()> {
        self.key(name);
        self.out.push(b'[');
        for (k, item) in items.iter().enumerate() {
            line_at(self.out, self.depth + 2, k > 0);
            write(item, self.out, self.depth + 2)?;
        }
        if !items.is_empty() {
            line_at(self.out, self.depth + 1, false);
        }
        self.out.push(b']');
        Ok(())
    }

    /// A list field of strings.
    fn strings(&mut self, name: &str, items: &[String]) {
        // Writing into a Vec cannot fail.
        let _ = self.list(name, items, |item, out, _| {
            push_string(out, item);
            Ok(())
        });
    }

    fn close(self) {
        if self.written > 0 {
            line_at(self.out, self.depth, false);
        }
        self.out.push(b'}');
    }
}

/// A position as serde writes it (a test holds the two to the same bytes): going through serde
/// cost about 130 instructions more for each sentence and marker (3,649.5 M to 3,643.6 M
/// instructions at 1,000 articles with the voices).
fn position_json(position: Position) -> &'static [u8] {
    match position {
        Position::Headline => b"\"headline\"",
        Position::Lead => b"\"lead\"",
        Position::Caption => b"\"caption\"",
        Position::Body => b"\"body\"",
    }
}

/// A marker's voice as serde writes it, as [`position_json`].
fn voice_json(voice: Voice) -> &'static [u8] {
    match voice {
        Voice::Outlet => b"\"outlet\"",
        Voice::Quoted => b"\"quoted\"",
        Voice::Attributed => b"\"attributed\"",
    }
}

/// A line break (after a comma when `comma`) and the indent of `depth` levels.
fn line_at(out: &mut Vec<u8>, depth: usize, comma: bool) {
    out.extend_from_slice(indented_line(depth, comma));
}

/// The bytes of [`line_at`], for the depths the brief's lists reach (a line of its own deeper).
fn indented_line(depth: usize, comma: bool) -> &'static [u8] {
    LINE.get(usize::from(!comma)..2 + 2 * depth).expect("the brief nests at most 31 levels deep")
}

/// `text` as a JSON string, escaped as serde_json escapes it: the quote, the backslash and the
/// control characters below U+0020 (`\b`, `\t`, `\n`, `\f` and `\r` by name, the rest as
/// `\u00xx`), nothing else. Eight bytes are checked at a time, and a block that holds a byte to
/// escape says where the first one is: most strings have nothing to escape, and in those that do
/// (a quotation's marks), the bytes around it are not walked one by one.
fn push_string(out: &mut Vec<u8>, text: &str) {
    use crate::swar::{bytes_below, bytes_equal};
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Most strings have nothing to escape, which two whole-string scans tell fastest: `memchr`'s
    // vector search for the quote and the backslash, and a loop over every byte without an early
    // exit for the control characters, which the compiler turns into vector instructions too.
    // Short ones (an article's id, a voice, a kind) are told faster by the blocks below: the
    // vector search's set-up cost some 90 instructions a string.
    if bytes.len() > SHORT_STRING
        && memchr::memchr2(b'"', b'\\', bytes).is_none()
        && !bytes.iter().fold(false, |any, &b| any | (b < 0x20))
    {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let (mut done, mut at) = (0, 0);
    while at < bytes.len() {
        let (x, n) = match bytes.get(at..at + 8) {
            Some(block) => (u64::from_le_bytes(block.try_into().expect("eight bytes")), 8),
            None => {
                // The last few bytes are checked as a block too, padded with spaces.
                let mut block = [b' '; 8];
                let n = bytes.len() - at;
                block[..n].copy_from_slice(&bytes[at..]);
                (u64::from_le_bytes(block), n)
            }
        };
        let to_escape = bytes_below(x, 0x20) | bytes_equal(x, b'"') | bytes_equal(x, b'\\');
        if to_escape == 0 {
            at += n;
            continue;
        }
        // The lowest marked byte is always one to escape (the marks above it may not be).
        at += to_escape.trailing_zeros() as usize / 8;
        let b = bytes[at];
        out.extend_from_slice(&bytes[done..at]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
            }
        }
        at += 1;
        done = at;
    }
    out.extend_from_slice(&bytes[done..]);
    out.push(b'"');
}

/// The longest string [`push_string`] checks eight bytes at a time without first trying the
/// vector search.
const SHORT_STRING: usize = 24;

/// A comma, a line break and the indent of up to 32 levels.
const LINE: &[u8] = b",\n                                                                ";

/// serde_json's `PrettyFormatter` (two spaces a level), starting `depth` levels down.
struct Deep {
    depth: usize,
    has_value: bool,
}

impl Deep {
    fn newline_and_indent(&self, out: &mut (impl Write + ?Sized), comma: bool) -> io::Result<()> {
        // The line break and the indent in one write, not a write for each level; deeper than
        // the spaces here (32 levels) takes the long way.
        let indent = 2 * self.depth;
        match LINE.get(usize::from(!comma)..2 + indent) {
            Some(line) => out.write_all(line),
            None => {
                out.write_all(if comma { b",\n" } else { b"\n" })?;
                (0..self.depth).try_for_each(|_| out.write_all(b"  "))
            }
        }
    }

    /// An array or object opens: one level deeper, nothing in it yet.
    fn open(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// It closes on a line of its own, unless it is empty.
    fn close(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline_and_indent(out, false)?;
        }
        out.write_all(bracket)
    }
}

impl Formatter for Deep {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.newline_and_indent(out, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.newline_and_indent(out, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds_brief() -> Brief {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let corpus = crate::ingest::read_folder(&dir, Default::default()).unwrap();
        crate::analyze(&corpus, &crate::Config::default()).unwrap()
    }

    fn written(brief: &Brief, chunk: usize) -> String {
        let mut out = Vec::new();
        write_chunked(brief, chunk, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn positions_and_voices_as_serde_writes_them() {
        for position in [Position::Headline, Position::Lead, Position::Caption, Position::Body] {
            assert_eq!(position_json(position), serde_json::to_vec(&position).unwrap(), "{position:?}");
        }
        for voice in [Voice::Outlet, Voice::Quoted, Voice::Attributed] {
            assert_eq!(voice_json(voice), serde_json::to_vec(&voice).unwrap(), "{voice:?}");
        }
    }

    #[test]
    fn same_bytes_as_serde_pretty_printing() {
        let brief = seeds_brief();
        let expected = serde_json::to_string_pretty(&brief).unwrap() + "\n";
        for chunk in [1, 3, CHUNK] {
            assert_eq!(written(&brief, chunk), expected, "chunk {chunk}");
        }
    }

    #[test]
    fn deep_nesting_is_indented_as_serde_does() {
        // Deeper than the indent written in one piece, and every depth on the way.
        let mut value = serde_json::json!({"leaf": [1, {}], "empty": []});
        for depth in 0..40 {
            value = serde_json::json!([depth, value, {"k": depth}]);
        }
        let mut out = Vec::new();
        pretty_at(&mut out, &value, 0).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn empty_lists_and_awkward_text_too() {
        let mut brief = seeds_brief();
        brief.claims.clear();
        brief.markers.truncate(1);
        brief.sentences.truncate(2);
        brief.sentences[0].text = "line\nbreak \"quoted\" \\ tab\t \u{0} \u{2028} 😀".into();
        brief.warnings.push("a.txt: not UTF-8\nsecond line".into());
        let expected = serde_json::to_string_pretty(&brief).unwrap() + "\n";
        assert_eq!(written(&brief, 2), expected);
        brief.sources.clear();
        brief.sentences.clear();
        brief.markers.clear();
        brief.warnings.clear();
        brief.date_range = None;
        let expected = serde_json::to_string_pretty(&brief).unwrap() + "\n";
        assert_eq!(written(&brief, 2), expected);
    }

    fn by_hand<T: Element>(value: &T, depth: usize) -> String {
        let mut out = Vec::new();
        value.write_at(&mut out, depth).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn by_serde<T: Serialize>(value: &T, depth: usize) -> String {
        let mut out = Vec::new();
        pretty_at(&mut out, value, depth).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Text with everything serde_json escapes, in runs around the eight-byte blocks.
    fn awkward_text() -> impl proptest::strategy::Strategy<Value = String> {
        "[a\"\\\\\n\t\r\u{8}\u{c}\u{0}\u{1f}\u{7f}é😀\u{2028} ]{0,40}"
    }

    fn any_score() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            (0u32..=1000).prop_map(|k| f64::from(k) / 1000.0),
            Just(-0.0),
            Just(f64::NAN),
            Just(1e-7),
            Just(0.1 + 0.2),
            proptest::num::f64::ANY,
        ]
    }

    proptest::proptest! {
        #[test]
        fn elements_written_by_hand_are_serdes_bytes(
            source in awkward_text(),
            text in awkward_text(),
            speaker in proptest::option::of(awkward_text()),
            attribution in proptest::option::of((awkward_text(), awkward_text())),
            origins in proptest::collection::vec(awkward_text(), 0..3),
            score in any_score(),
            start in 0usize..100_000,
            depth in 0usize..4,
        ) {
            use crate::brief::{Position, Rating, Voice};
            let sentence = Sentence {
                source: source.clone(),
                start,
                end: start + 7,
                text: text.as_str().into(),
                position: Position::Caption,
                checkworthiness: score,
            };
            proptest::prop_assert_eq!(by_hand(&sentence, depth), by_serde(&sentence, depth));
            let mention = Mention {
                source: source.clone(),
                start,
                end: usize::MAX,
                text: text.as_str().into(),
                attribution: attribution.map(|(to, phrase)| Attribution { to, kind: "person".into(), phrase }),
                origin: source.clone(),
            };
            let claim = Claim {
                id: "c1".into(),
                text: text.clone(),
                checkworthiness: score,
                mentions: vec![mention.clone(), mention],
                outlets: start,
                origins,
                independent: 0,
                rating: Rating::WidelyCorroborated,
            };
            proptest::prop_assert_eq!(by_hand(&claim, depth), by_serde(&claim, depth));
            let marker = Marker {
                source,
                start,
                end: start,
                text: text.clone(),
                term: text.to_lowercase(),
                category: "loaded".into(),
                voice: Voice::Attributed,
                speaker,
                position: Position::Headline,
                note: text,
                neutral: None,
            };
            proptest::prop_assert_eq!(by_hand(&marker, depth), by_serde(&marker, depth));
            let source = Source {
                id: marker.source.clone(),
                path: marker.text.clone(),
                outlet: marker.speaker.clone(),
                url: None,
                published: Some(marker.note.clone()),
                affiliation: marker.speaker.clone(),
                headline: Some(marker.term.clone()),
                words: start,
                cites: claim.origins.clone(),
                via: None,
                metadata_from: vec![
                    MetadataOrigin { field: "outlet".into(), from: "text".into(), evidence: marker.speaker.clone() },
                    MetadataOrigin { field: marker.text.clone(), from: "manifest".into(), evidence: None },
                ],
                text: marker.speaker.clone(),
                encoding: None,
                removed: claim
                    .origins
                    .iter()
                    .map(|o| Removal { start, end: start + 1, text: o.clone(), reason: marker.term.clone() })
                    .collect(),
                profile: Profile {
                    per_1000_words: score,
                    by_category: claim
                        .origins
                        .iter()
                        .map(|o| CategoryCount { category: o.clone(), count: start })
                        .collect(),
                    headline_markers: 3,
                    quoted_or_attributed: start,
                    word_choices: vec![WordChoice {
                        claim: "c1".into(),
                        term: marker.text.clone(),
                        others: claim.origins.clone(),
                        more: start,
                    }],
                },
            };
            proptest::prop_assert_eq!(by_hand(&source, depth), by_serde(&source, depth));
            let plain = Source { profile: Profile::default(), metadata_from: Vec::new(), ..source };
            proptest::prop_assert_eq!(by_hand(&plain, depth), by_serde(&plain, depth));
        }
    }

    /// A writer that takes `room` bytes, then fails, as a full disk does.
    struct FillsUp {
        room: usize,
    }

    impl Write for FillsUp {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if buf.len() > self.room {
                return Err(io::Error::other("no space left"));
            }
            self.room -= buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_stops_the_rendering_and_gets_its_error() {
        let brief = seeds_brief();
        // One element a chunk: the rendering thread is still sending when the writer fails.
        for room in [0, 10, 5_000, 50_000] {
            let err = write_chunked(&brief, 1, &mut FillsUp { room }).unwrap_err();
            assert_eq!(err.to_string(), "no space left", "room {room}");
        }
    }
}
