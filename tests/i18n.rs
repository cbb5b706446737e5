//! Every word in the reader's language: the strings files of the theme and the site, CLDR's
//! dates and plural forms, right-to-left languages, and `serve` following a strings edit.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_built, assert_same_tree, stderr, tree, Site};
use pamphlet::i18n::Strings;
use pamphlet::{build, BuildOptions, Session};

/// The minimal fixture in `language`, with an online event that has an alias, and a site
/// template calling `t()`.
fn site_in(language: &str) -> Site {
    let site = Site::copy("minimal");
    site.write(
        "site.yaml",
        format!(
            "title: Minimal Test Site\nbase_url: https://minimal.example.org\nlanguage: {language}\ntimezone: Europe/London\n"
        ),
    );
    site.write(
        "content/events/workshop.md",
        "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nend: 2017-03-14T16:00\nformat: online\nonline: { platform: Teams }\naliases: [/old-workshop/]\n---\n\nAn online workshop.\n",
    );
    site
}

/// The text of an output file with its tags removed, its spaces collapsed and the
/// apostrophes tera escapes read back.
fn text(site: &Site, rel: &str) -> String {
    let html = site.output_file(rel);
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&#39;", "'").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_welsh_event_page_names_its_day_and_month_in_welsh() {
    let site = site_in("cy");
    let built = site.build(&[]);
    assert_built(&built);
    assert!(
        !stderr(&built).contains("warning"),
        "the theme's Welsh is complete: {}",
        stderr(&built)
    );
    let html = site.output_file("events/workshop/index.html");
    assert!(html.contains("<html lang=\"cy\">"), "{html}");
    let page = text(&site, "events/workshop/index.html");
    assert!(
        page.contains("Dydd Mawrth, 14 Mawrth 2017, 10:00 i 16:00 GMT"),
        "{page}"
    );
    for welsh in ["Pryd", "Ar-lein", "Neidio i'r prif gynnwys", "Calendr"] {
        assert!(page.contains(welsh), "{welsh}: {page}");
    }
    assert!(!page.contains("When"), "{page}");
    let list = text(&site, "events/index.html");
    assert!(list.contains("Digwyddiadau a fu"), "{list}");
}

#[test]
fn the_calendar_of_a_welsh_event_is_in_welsh() {
    let site = site_in("cy");
    assert_built(&site.build(&[]));
    let ics = site.output_file("events/workshop/event.ics");
    assert!(ics.contains("LOCATION:Ar-lein: Teams"), "{ics}");
    let english = site_in("en-GB");
    assert_built(&english.build(&[]));
    let ics = english.output_file("events/workshop/event.ics");
    assert!(ics.contains("LOCATION:Online: Teams"), "{ics}");
}

#[test]
fn a_redirect_page_of_a_welsh_site_is_in_welsh() {
    let site = site_in("cy");
    assert_built(&site.build(&[]));
    let html = site.output_file("old-workshop/index.html");
    assert!(html.contains("<html lang=\"cy\">"), "{html}");
    assert!(
        html.contains(
            "<title>Yn ailgyfeirio i https://minimal.example.org/events/workshop/</title>"
        ),
        "{html}"
    );
    let page = text(&site, "old-workshop/index.html");
    assert!(page.contains("Mae'r dudalen hon wedi symud i"), "{page}");
}

/// A shortcode of the site's own that counts with `t()` and formats a date with `date`.
fn with_counting_shortcode(site: &Site) {
    site.write(
        "templates/shortcodes/counts.html",
        "<p class=\"counts\">{% for n in [0, 1, 2, 3, 6, 7] %}[{{ t(key=\"apples\", count=n) }}]{% endfor %}</p><p class=\"minutes\">{{ t(key=\"minutes\", count=1) }}; {{ t(key=\"minutes\", count=2) }}</p><p class=\"day\">{{ \"2017-03-14\" | date(format=\"%A %-d %B %Y\") }}</p>",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n\n{{ counts() }}\n",
    );
}

#[test]
fn plural_forms_follow_the_six_welsh_categories_and_the_two_english_ones() {
    let site = site_in("cy");
    with_counting_shortcode(&site);
    site.write(
        "i18n/cy.yaml",
        "apples: { zero: \"dim afalau\", one: \"{count} afal\", two: \"{count} afal (dau)\", few: \"{count} afal (tri)\", many: \"{count} afal (chwech)\", other: \"{count} o afalau\" }\n",
    );
    site.write(
        "i18n/en.yaml",
        "apples: { one: \"{count} apple\", other: \"{count} apples\" }\n",
    );
    assert_built(&site.build(&[]));
    let html = site.output_file("about/index.html");
    assert!(
        html.contains(
            "[dim afalau][1 afal][2 afal (dau)][3 afal (tri)][6 afal (chwech)][7 o afalau]"
        ),
        "{html}"
    );
    assert!(html.contains("1 munud; 2 funud"), "{html}");
    assert!(html.contains("Dydd Mawrth 14 Mawrth 2017"), "{html}");

    let english = site_in("en-GB");
    with_counting_shortcode(&english);
    english.write(
        "i18n/en.yaml",
        "apples: { one: \"{count} apple\", other: \"{count} apples\" }\n",
    );
    assert_built(&english.build(&[]));
    let html = english.output_file("about/index.html");
    assert!(
        html.contains("[0 apples][1 apple][2 apples][3 apples][6 apples][7 apples]"),
        "{html}"
    );
    assert!(html.contains("1 minute; 2 minutes"), "{html}");
    assert!(html.contains("Tuesday 14 March 2017"), "{html}");
}

#[test]
fn a_key_no_strings_file_has_is_a_template_error_naming_the_file_to_add_it_to() {
    let site = site_in("cy");
    with_counting_shortcode(&site);
    let built = site.build(&[]);
    assert!(!built.status.success());
    let err = stderr(&built);
    assert!(
        err.contains("t: there is no string \"apples\" (add `apples: ...` to i18n/cy.yaml)"),
        "{err}"
    );
}

#[test]
fn a_site_overrides_one_string_and_keeps_the_others() {
    let site = site_in("en-GB");
    site.write("i18n/en.yaml", "skip_link: Skip to the content\n");
    let built = site.build(&[]);
    assert_built(&built);
    assert!(!stderr(&built).contains("warning"), "{}", stderr(&built));
    let html = site.output_file("events/workshop/index.html");
    assert!(html.contains(">Skip to the content</a>"), "{html}");
    assert!(!html.contains("Skip to main content"), "{html}");
    assert!(html.contains("<dt>When</dt>"), "{html}");
}

#[test]
fn a_default_language_without_strings_warns_and_uses_english_with_cldr_dates() {
    let site = site_in("fr");
    let built = site.build(&[]);
    assert_built(&built);
    let err = stderr(&built);
    assert!(
        err.contains(
            "site.yaml:3:11: there are no strings for language \"fr\" (no i18n/fr.yaml); English is used"
        ),
        "{err}"
    );
    assert!(err.contains("add i18n/fr.yaml beside site.yaml"), "{err}");
    let page = text(&site, "events/workshop/index.html");
    assert!(page.contains("When"), "{page}");
    assert!(page.contains("mardi 14 mars 2017"), "{page}");
}

#[test]
fn a_missing_key_warns_once_naming_the_key_the_file_and_the_language_and_falls_back() {
    let site = site_in("ar");
    // "Skip to main content" and "When", in Arabic.
    site.write(
        "i18n/ar.yaml",
        "skip_link: \"\u{0627}\u{0644}\u{0627}\u{0646}\u{062a}\u{0642}\u{0627}\u{0644} \u{0625}\u{0644}\u{0649} \u{0627}\u{0644}\u{0645}\u{062d}\u{062a}\u{0648}\u{0649}\"\nwhen: \"\u{0645}\u{062a}\u{0649}\"\n",
    );
    let built = site.build(&[]);
    assert_built(&built);
    let err = stderr(&built);
    let warning = "i18n/ar.yaml: the string \"where\" is missing for language \"ar\"";
    assert_eq!(err.matches(warning).count(), 1, "{err}");
    assert!(err.contains("add its translation to i18n/ar.yaml"), "{err}");
    assert!(!err.contains("\"skip_link\" is missing"), "{err}");
    let html = site.output_file("events/workshop/index.html");
    assert!(
        html.contains("<dt>\u{0645}\u{062a}\u{0649}</dt>"),
        "the site's Arabic: {html}"
    );
    assert!(
        html.contains("<dt>Format</dt>"),
        "English for the rest: {html}"
    );
}

#[test]
fn an_arabic_page_is_right_to_left() {
    let site = site_in("ar");
    site.write("i18n/ar.yaml", "when: \"\u{0645}\u{062a}\u{0649}\"\n");
    assert_built(&site.build(&[]));
    for page in [
        "events/workshop/index.html",
        "index.html",
        "404.html",
        "old-workshop/index.html",
    ] {
        let html = site.output_file(page);
        assert!(
            html.contains("<html lang=\"ar\" dir=\"rtl\">"),
            "{page}: {html}"
        );
    }
    let english = site_in("en-GB");
    assert_built(&english.build(&[]));
    assert!(!english.output_file("index.html").contains("dir="));
}

#[test]
fn a_language_of_languages_without_strings_is_an_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let site_yaml =
        "title: T\nlanguage: en-GB\nlanguages:\n  cy: { title: Teitl }\n  pl: { title: Tytul }\n";
    let (strings, found) = Strings::load(
        tmp.path(),
        &[],
        site_yaml,
        "en-GB",
        &["cy".into(), "pl".into()],
    );
    let errors: Vec<String> = found
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            format!(
                "{}: {} ({})",
                d.location(),
                d.message,
                d.hint.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("site.yaml:5:")
            && errors[0].contains(": there are no strings for language \"pl\" (no i18n/pl.yaml)"),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("add i18n/pl.yaml beside site.yaml"),
        "{errors:?}"
    );
    assert_eq!(strings.get("cy").say("when"), "Pryd");
    assert_eq!(strings.get("en-GB").say("when"), "When");
}

#[test]
fn serve_follows_a_strings_edit_as_a_fresh_build_does() {
    let site = site_in("cy");
    site.write("i18n/cy.yaml", "when: Pryd\n");
    let options = BuildOptions {
        root: site.root.clone(),
        now: Some(common::NOW.into()),
        ..BuildOptions::default()
    };
    let mut session = Session::new(options.clone());
    session.update(&[]).unwrap();
    site.write("i18n/cy.yaml", "when: Pryd yn union\n");
    let update = session.update(&[PathBuf::from("i18n/cy.yaml")]).unwrap();
    assert!(
        update
            .rendered_urls
            .contains(&"/events/workshop/".to_string()),
        "{:?}",
        update.rendered_urls
    );
    assert_same_as_fresh(&session, options, site.tmp.path());
    let incremental = site.tmp.path().join("incremental");
    let page = std::fs::read_to_string(incremental.join("events/workshop/index.html")).unwrap();
    assert!(page.contains("<dt>Pryd yn union</dt>"), "{page}");
}

fn assert_same_as_fresh(session: &Session, options: BuildOptions, tmp: &Path) {
    let incremental = tmp.join("incremental");
    let fresh = tmp.join("fresh");
    session.files().write_to(&incremental).unwrap();
    build(&BuildOptions {
        out: Some(fresh.clone()),
        write: true,
        ..options
    })
    .unwrap();
    assert_same_tree(&tree(&fresh), &tree(&incremental), "strings edit");
}
