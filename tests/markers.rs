//! Markers as a reader of the brief sees them: the seeds' loaded terms by outlet and voice, and a
//! user's lexicon adding and switching off entries through `--data DIR`.

mod common;

use factbrief::brief::{Brief, Marker, Position, Voice};

fn seeds_brief() -> Brief {
    common::analyze_folder(&common::seeds())
}

fn marker<'a>(brief: &'a Brief, source_prefix: &str, text: &str) -> &'a Marker {
    brief
        .markers
        .iter()
        .find(|m| m.source.starts_with(source_prefix) && m.text.eq_ignore_ascii_case(text))
        .unwrap_or_else(|| panic!("no marker {text:?} in {source_prefix}: {:#?}", brief.markers))
}

#[test]
fn seeds_outlet_voice_terms() {
    let brief = seeds_brief();
    let tyrant = marker(&brief, "002", "Tyrant");
    assert_eq!((tyrant.voice, tyrant.position, tyrant.category.as_str()), (Voice::Outlet, Position::Caption, "label"));
    assert_eq!(marker(&brief, "002", "bust up").voice, Voice::Outlet);
    let spree = marker(&brief, "004", "Killing Spree");
    assert_eq!((spree.voice, spree.neutral.as_deref()), (Voice::Outlet, Some("strikes, attacks")));
    assert_eq!(marker(&brief, "003", "military aggression").voice, Voice::Outlet);
}

#[test]
fn seeds_reported_speech_is_not_the_outlets() {
    let brief = seeds_brief();
    for term in ["reckless", "militarization"] {
        let m = marker(&brief, "003", term);
        assert_eq!((m.voice, m.speaker.as_deref()), (Voice::Attributed, Some("critics")), "{term}");
    }
    let turk = marker(&brief, "001", "extrajudicial killing");
    assert_eq!((turk.voice, turk.speaker.as_deref()), (Voice::Quoted, Some("Volker Türk")));
    let turk = marker(&brief, "004", "extrajudicial executions");
    assert_ne!(turk.voice, Voice::Outlet);
    let narco = marker(&brief, "000", "narco-terrorists");
    assert_eq!((narco.voice, narco.speaker.as_deref()), (Voice::Quoted, Some("The Trump administration")));
    // None of these counts against the outlet.
    for m in brief.markers.iter().filter(|m| m.term.starts_with("extrajudicial") || m.term.starts_with("narco")) {
        assert_ne!(m.voice, Voice::Outlet, "{m:?}");
    }
}

#[test]
fn seeds_markers_are_sorted_and_point_into_the_text() {
    let brief = seeds_brief();
    let keys: Vec<_> = brief.markers.iter().map(|m| (m.source.clone(), m.start, m.end)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for m in &brief.markers {
        let path = common::seeds().join(format!("{}.txt", m.source));
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(&text[m.start..m.end], m.text);
    }
}

#[test]
fn profile_counts_only_the_outlets_own_words() {
    let brief = seeds_brief();
    let source = brief.sources.iter().find(|s| s.id.starts_with("002")).unwrap();
    let own = brief.markers.iter().filter(|m| m.source == source.id && m.voice == Voice::Outlet).count();
    let counted: usize = source.profile.by_category.iter().map(|c| c.count).sum();
    assert_eq!(counted, own);
    assert!(source.profile.quoted_or_attributed > 0);
    assert!(source.profile.headline_markers >= 2, "Tyrant (caption) and bust up (lead)");
}

#[test]
fn user_lexicon_adds_and_switches_off_entries() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        articles.join("a.txt"),
        "Navy Strikes Boats\n\nThe tyrant and his drug lords watched as the regime and its strict regimen held.\n",
    )
    .unwrap();
    std::fs::write(
        data.join("lexicon.toml"),
        "off = [\"tyrant\"]\n\n[[term]]\nterm = \"drug lord\"\ncategory = \"label\"\nreason = \"mine\"\nneutral = \"suspect\"\n",
    )
    .unwrap();
    let output = common::factbrief()
        .args(["analyze", articles.to_str().unwrap(), "--data", data.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let brief: Brief = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(&str, &str)> = brief.markers.iter().map(|m| (m.text.as_str(), m.term.as_str())).collect();
    assert!(found.contains(&("drug lords", "drug lord")), "{found:?}");
    assert!(found.contains(&("regime", "regime")), "{found:?}");
    assert!(!found.iter().any(|(t, _)| *t == "tyrant" || *t == "regimen"), "{found:?}");
}
