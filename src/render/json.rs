//! The brief as pretty-printed JSON, its long lists rendered in parallel.
//!
//! The bytes are exactly `serde_json::to_string_pretty(brief)` plus a line break: each element
//! of a top-level list is rendered on its own (in parallel, a chunk at a time, so memory stays
//! bounded), indented to the depth it stands at, and handed to the streaming serialiser as a raw
//! fragment. At 10,000 articles the JSON runs to 240 MB, and one thread rendering it was a
//! tenth of the run.

use rayon::prelude::*;
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::brief::Brief;

/// Elements rendered per parallel step: enough to keep every thread busy, few enough that the
/// rendered chunk is a small fraction of the brief.
const CHUNK: usize = 4096;

/// Writes the brief, then a line break.
pub fn write(brief: &Brief, out: &mut impl std::io::Write) -> std::io::Result<()> {
    write_chunked(brief, CHUNK, out)
}

fn write_chunked(brief: &Brief, chunk: usize, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Lists { brief, chunk })?;
    out.write_all(b"\n")
}

/// The brief with its lists rendered by [`ParallelList`]; the fields and their order are the
/// derived `Serialize` of [`Brief`]'s (a test holds the two to the same bytes).
struct Lists<'a> {
    brief: &'a Brief,
    chunk: usize,
}

impl Serialize for Lists<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let b = self.brief;
        let mut s = serializer.serialize_struct("Brief", 10)?;
        s.serialize_field("schema_version", &b.schema_version)?;
        s.serialize_field("generator", &b.generator)?;
        s.serialize_field("title", &b.title)?;
        s.serialize_field("date_range", &b.date_range)?;
        s.serialize_field("sources", &ParallelList { items: &b.sources[..], chunk: self.chunk })?;
        s.serialize_field("sentences", &ParallelList { items: &b.sentences[..], chunk: self.chunk })?;
        s.serialize_field("claims", &ParallelList { items: &b.claims[..], chunk: self.chunk })?;
        s.serialize_field("conflicts", &ParallelList { items: &b.conflicts[..], chunk: self.chunk })?;
        s.serialize_field("markers", &ParallelList { items: &b.markers[..], chunk: self.chunk })?;
        s.serialize_field("warnings", &b.warnings)?;
        s.end()
    }
}

/// A top-level list of the brief; its elements stand two levels deep.
struct ParallelList<'a, T> {
    items: &'a [T],
    chunk: usize,
}

/// The indentation the pretty printer gives an element of a top-level list.
const ELEMENT_INDENT: &str = "\n    ";

impl<T: Serialize + Sync> Serialize for ParallelList<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.items.len()))?;
        for chunk in self.items.chunks(self.chunk.max(1)) {
            let rendered: Vec<Box<RawValue>> =
                chunk.par_iter().map(render_element).collect::<Result<_, _>>().map_err(S::Error::custom)?;
            for element in &rendered {
                seq.serialize_element(element)?;
            }
        }
        seq.end()
    }
}

/// One element, pretty-printed as if two levels deep. JSON strings cannot hold a raw line
/// break, so every line break in the output is one the printer made, and indenting after each
/// is exact.
fn render_element<T: Serialize>(item: &T) -> serde_json::Result<Box<RawValue>> {
    let alone = serde_json::to_string_pretty(item)?;
    RawValue::from_string(alone.replace('\n', ELEMENT_INDENT))
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
    fn empty_lists_and_awkward_text_too() {
        let mut brief = seeds_brief();
        brief.claims.clear();
        brief.markers.truncate(1);
        brief.sentences.truncate(2);
        brief.sentences[0].text = "line\nbreak \"quoted\" \\ tab\t \u{0} \u{2028} 😀".into();
        brief.warnings.push("a.txt: not UTF-8\nsecond line".into());
        let expected = serde_json::to_string_pretty(&brief).unwrap() + "\n";
        assert_eq!(written(&brief, 2), expected);
    }
}
