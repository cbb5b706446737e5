//! The full-text search index of the example site, read as `search.js` reads it: the manifest,
//! then the one term file each query word is in, then the filter files and the result files of
//! what it found.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::search::{json, Hit, Search};
use common::{assert_built, repo};
use pamphlet::render::search::words;

/// The example site, built once for every test of this file.
fn example() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        assert_built(&common::build(&repo(), &out, &[]));
        (tmp, out)
    });
    out
}

fn urls(hits: &[Hit]) -> BTreeSet<String> {
    hits.iter().map(|h| h.url.clone()).collect()
}

/// Whether `text` has `word` as a whole word, in any case.
fn has_word(text: &str, word: &str) -> bool {
    words(text).iter().any(|w| w == word)
}

#[test]
fn a_word_of_page_bodies_finds_every_page_whose_text_has_it() {
    let search = Search::of(example());
    let expected: BTreeSet<String> = search
        .all()
        .into_iter()
        .filter(|h| has_word(&h.text, "voluntary"))
        .map(|h| h.url)
        .collect();
    assert!(
        expected.len() >= 10,
        "the example site has \"voluntary\" in {} pages",
        expected.len()
    );
    assert_eq!(urls(&search.find("voluntary", None, None)), expected);
    assert_eq!(
        urls(&search.find("Voluntary", None, None)),
        expected,
        "case does not matter"
    );
}

#[test]
fn a_word_in_a_title_ranks_above_a_word_in_the_text() {
    let search = Search::of(example());
    let hits = search.find("webinar", None, None);
    let in_title: Vec<bool> = hits
        .iter()
        .map(|h| has_word(&h.title.to_lowercase(), "webinar"))
        .collect();
    assert!(
        in_title.contains(&true) && in_title.contains(&false),
        "{hits:#?}"
    );
    let first_without = in_title.iter().position(|t| !t).unwrap();
    assert!(
        in_title[first_without..].iter().all(|t| !t),
        "a page with \"webinar\" in its title ranks below one without: {:#?}",
        hits.iter().map(|h| (&h.title, h.score)).collect::<Vec<_>>()
    );
}

#[test]
fn words_are_found_by_their_stem() {
    let search = Search::of(example());
    let singular = search.find("webinar", None, None);
    assert!(!singular.is_empty());
    assert_eq!(urls(&search.find("webinars", None, None)), urls(&singular));
    let partnership = search.find("partnerships", None, None);
    assert!(
        partnership
            .iter()
            .any(|h| has_word(&h.text, "partnership") && !has_word(&h.text, "partnerships")),
        "\"partnerships\" finds a page that says only \"partnership\""
    );
}

#[test]
fn every_word_of_a_query_must_be_found() {
    let search = Search::of(example());
    let workshop = search.find("workshop", None, None);
    let both = search.find("workshop railway", None, None);
    assert!(!both.is_empty() && both.len() < workshop.len(), "{both:#?}");
    for hit in &both {
        let text = format!("{} {}", hit.title, hit.text).to_lowercase();
        assert!(
            text.contains("workshop") && text.contains("railway"),
            "{hit:#?}"
        );
    }
    assert!(search.find("workshop zzyzx", None, None).is_empty());
}

#[test]
fn results_can_be_narrowed_to_a_kind_and_a_tag() {
    let search = Search::of(example());
    let all = search.find("webinar", None, None);
    let events = search.find("webinar", Some("event"), None);
    assert!(!events.is_empty() && events.len() < all.len());
    assert!(events.iter().all(|h| h.kind == "event"), "{events:#?}");
    let expected: Vec<u64> = all
        .iter()
        .filter(|h| h.kind == "event")
        .map(|h| h.id)
        .collect();
    assert_eq!(events.iter().map(|h| h.id).collect::<Vec<_>>(), expected);

    let tagged = search.find("webinar", None, Some("webinars"));
    assert!(
        !tagged.is_empty() && tagged.len() < all.len(),
        "{tagged:#?}"
    );
    // The tag's list, all of its pages (term pages paginate).
    let mut tag_page = std::fs::read_to_string(example().join("tags/webinars/index.html")).unwrap();
    for n in 2.. {
        let page = example().join(format!("tags/webinars/page/{n}/index.html"));
        match std::fs::read_to_string(page) {
            Ok(text) => tag_page.push_str(&text),
            Err(_) => break,
        }
    }
    for hit in &tagged {
        assert!(
            tag_page.contains(&format!("href=\"{}\"", hit.url)),
            "{} is not on the tag's page",
            hit.url
        );
    }
    let both = search.find("webinar", Some("video"), Some("webinars"));
    assert!(both
        .iter()
        .all(|h| h.kind == "video" && tagged.iter().any(|t| t.id == h.id)));
}

#[test]
fn a_result_shows_the_page_address_title_and_plain_text() {
    let search = Search::of(example());
    let hit = search
        .find("workshop renewing", Some("event"), None)
        .into_iter()
        .next()
        .expect("the Leeds workshop");
    assert_eq!(hit.url, "/events/regional-workshop-leeds-2027/", "{hit:#?}");
    assert!(hit.title.starts_with("Regional workshop"), "{hit:#?}");
    assert!(
        hit.text.starts_with("A hands-on workshop")
            && hit.text.contains("This workshop has been postponed."),
        "the summary, then the body, without markup: {}",
        hit.text
    );
    assert!(!hit.text.contains('<') && !hit.text.contains("Link to this section"));
    let page = json(example(), &format!("search/pages/{}.json", hit.id));
    assert_eq!(page["place"], "Northern Quarter Conference Centre");
    assert_eq!(page["date"], "9 June 2027");
}

#[test]
fn an_event_is_found_by_the_postcode_of_its_venue() {
    let search = Search::of(example());
    let hits = search.find("LS1 5JD", None, None);
    assert_eq!(
        urls(&hits),
        BTreeSet::from([
            "/events/consultation-leeds-2016/".to_string(),
            "/events/regional-workshop-leeds-2027/".to_string()
        ])
    );
    assert!(
        hits.iter().all(|h| !h.text.contains("5JD")),
        "the postcode is in the venue, not in the text"
    );
}

#[test]
fn the_manifest_names_the_kinds_and_tags_to_filter_by() {
    let search = Search::of(example());
    let m = &search.manifest;
    let kinds: Vec<&str> = m["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["page", "post", "event", "video", "chapter"]);
    let tags: Vec<&str> = m["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert!(tags.contains(&"webinars"), "{tags:?}");
    for n in 0..tags.len() {
        assert!(example().join(format!("search/tags/{n}.json")).is_file());
    }
    assert_eq!(m["stemmer"], "english");
    assert_eq!(m["version"].as_str().map(str::len), Some(16));
}
