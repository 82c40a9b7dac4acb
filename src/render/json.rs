//! The brief as pretty-printed JSON, its long lists rendered in parallel.
//!
//! The bytes are exactly `serde_json::to_string_pretty(brief)` plus a line break: the brief's
//! own braces and field names are written here, and each element of a top-level list is
//! rendered on its own (in parallel, a chunk at a time, so memory stays bounded) by a pretty
//! printer that starts at the depth the element stands at. At 10,000 articles the JSON runs to
//! 240 MB, and one thread rendering it was a tenth of the run.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use crate::brief::Brief;

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

    fn list<T: Serialize + Sync>(&mut self, name: &str, items: &[T], chunk: usize) -> io::Result<()> {
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
fn render_chunk<T: Serialize + Sync>(c: usize, part: &[T]) -> io::Result<Vec<Vec<u8>>> {
    part.par_chunks(RUN)
        .enumerate()
        .map(|(r, run)| {
            let mut buf = Vec::with_capacity(512);
            for (k, item) in run.iter().enumerate() {
                let first = c == 0 && r == 0 && k == 0;
                buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                pretty_at(&mut buf, item, 2)?;
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

/// serde_json's `PrettyFormatter` (two spaces a level), starting `depth` levels down.
struct Deep {
    depth: usize,
    has_value: bool,
}

impl Deep {
    fn newline_and_indent(&self, out: &mut (impl Write + ?Sized), comma: bool) -> io::Result<()> {
        // The line break and the indent in one write, not a write for each level; deeper than
        // the spaces here (32 levels) takes the long way.
        const LINE: &[u8] = b",\n                                                                ";
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
