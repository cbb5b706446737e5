//! What an author sees when a site is broken: one test per kind of mistake.
//!
//! Each test copies `tests/fixtures/minimal`, builds it successfully, breaks one file and
//! builds again. The second build must fail with the right exit code, name the file, line
//! and problem on stderr (with a hint), leave the previous output byte-for-byte as it was,
//! and leave no staging folder behind.

mod common;

use common::{assert_built, assert_same_tree, names_in, stderr, stdout, tree, Site, Tree};

const POST: &str = "content/blog/2017-08-06-x.md";
const EVENT: &str = "content/events/workshop.md";

/// The minimal site after one good build, with a picture of its output.
struct Built {
    site: Site,
    before: Tree,
    beside: Vec<String>,
}

fn built() -> Built {
    let site = Site::copy("minimal");
    let output = site.build(&[]);
    assert_built(&output);
    let before = tree(&site.out);
    assert!(
        before.contains_key("index.html") && before.contains_key("blog/x/index.html"),
        "the first build wrote {:?}",
        before.keys().collect::<Vec<_>>()
    );
    let beside = names_in(site.tmp.path());
    assert_eq!(beside, ["out", "site"]);
    Built {
        site,
        before,
        beside,
    }
}

impl Built {
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        self.site.write(rel, bytes);
        self
    }

    /// Builds again with `args`; asserts the exit code, that stderr contains every piece of
    /// `expected`, and that the previous output is untouched. Returns stderr.
    fn fails_with(&self, args: &[&str], code: i32, expected: &[&str]) -> String {
        let output = self.site.build(args);
        let err = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(code),
            "wrong exit code; stderr:\n{err}"
        );
        for piece in expected {
            assert!(err.contains(piece), "stderr lacks {piece:?}:\n{err}");
        }
        self.assert_untouched();
        err
    }

    /// A content error: exit code 1.
    fn fails(&self, expected: &[&str]) -> String {
        self.fails_with(&[], 1, expected)
    }

    fn assert_untouched(&self) {
        assert_same_tree(
            &self.before,
            &tree(&self.site.out),
            "the previous output changed",
        );
        assert_eq!(
            names_in(self.site.tmp.path()),
            self.beside,
            "a staging folder (or something else) was left next to the output"
        );
    }
}

#[test]
fn yaml_syntax_error_colon_in_value() {
    built()
        .write(POST, "---\ntitle: Prevention: a primer\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:2:18: title: mapping values are not allowed",
            "2 | title: Prevention: a primer",
            "hint: check the YAML syntax on this line: quote text that contains `: `",
        ]);
}

#[test]
fn yaml_syntax_error_unclosed_quote() {
    built()
        .write(
            POST,
            "---\ntitle: \"A first post\ndraft: false\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:2:8: title: unclosed quote",
            "hint: check the YAML syntax",
        ]);
}

#[test]
fn tab_indentation() {
    built()
        .write(
            POST,
            "---\ntitle: A first post\ntags:\n\t- prevention\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:4:1: a tab is used for indentation",
            "hint: indent with spaces instead of tabs",
        ]);
}

#[test]
fn unclosed_front_matter() {
    built()
        .write(POST, "---\ntitle: A first post\n\nThe body, but the front matter never ends.\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:1:1: the front matter opened on line 1 is never closed",
            "hint: add a line containing only `---`",
        ]);
}

#[test]
fn missing_title() {
    built()
        .write(POST, "---\ndraft: false\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:2:1: title: every page needs a title",
            "hint: add a line `title: Your page title`",
        ]);
}

#[test]
fn unknown_field_suggests_the_right_one() {
    built()
        .write(POST, "---\ntitel: A first post\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:2:1: unknown field `titel`",
            "2 | titel: A first post",
            "= hint: did you mean `title`?",
        ]);
}

#[test]
fn wrong_type_for_a_boolean() {
    built()
        .write(POST, "---\ntitle: A first post\ndraft: maybe\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:8: draft: \"maybe\" is not true or false",
            "3 | draft: maybe",
            "hint: write `true` or `false`",
        ]);
}

#[test]
fn wrong_type_for_a_list() {
    built()
        .write(POST, "---\ntitle: A first post\ntags: 5\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:7: tags: expected a list",
            "hint: write a list: `[first, second]`",
        ]);
}

#[test]
fn field_written_twice() {
    built()
        .write(
            POST,
            "---\ntitle: A first post\ntitle: Another title\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:1: title: this field is written twice",
            "hint: keep only one",
        ]);
}

#[test]
fn invalid_date() {
    built()
        .write(POST, "---\ntitle: A first post\ndate: 14/03/2017\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:7: date: \"14/03/2017\" is not a date (expected 2017-03-14)",
            "3 | date: 14/03/2017",
            "hint: write dates as YYYY-MM-DD",
        ]);
}

#[test]
fn event_ends_before_it_starts() {
    built()
        .write(
            EVENT,
            "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nend: 2017-03-14T09:00\nformat: online\n---\nBody\n",
        )
        .fails(&[
            "error: content/events/workshop.md:4:6: end: the event ends",
            "before it starts",
            "hint: check the dates: `end` must be the same as or later than `start`",
        ]);
}

#[test]
fn event_start_is_not_a_date_time() {
    built()
        .write(EVENT, "---\ntitle: A workshop\nstart: 14/03/2017\n---\nBody\n")
        .fails(&[
            "error: content/events/workshop.md:3:8: start: \"14/03/2017\" is not a date-time (expected 2017-03-14T10:00)",
            "hint: write dates as YYYY-MM-DD and times as YYYY-MM-DDTHH:MM",
        ]);
}

#[test]
fn duplicate_url() {
    built()
        .write(
            "content/blog/2017-09-01-copy.md",
            "---\ntitle: A copy\nslug: x\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-09-01-copy.md:3:7: the URL /blog/x/ is also written by content/blog/2017-08-06-x.md",
            "hint: two files would write the same page",
        ]);
}

#[test]
fn slug_with_dot_dot() {
    let b = built();
    b.write(POST, "---\ntitle: A first post\nslug: ../../escaped\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:7: slug: \"../../escaped\" is not a single URL segment",
            "hint: use one URL segment",
        ]);
    assert!(!b.site.tmp.path().join("escaped").exists());
}

#[test]
fn slug_with_slash() {
    built()
        .write(POST, "---\ntitle: A first post\nslug: news/x\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:7: slug: \"news/x\" is not a single URL segment",
            "hint: use one URL segment",
        ]);
}

#[test]
fn broken_internal_link() {
    built()
        .write(
            POST,
            "---\ntitle: A first post\n---\n\nSee [the missing page](@/blog/nope.md).\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:5:5: broken link: @/blog/nope.md (there is no content/blog/nope.md)",
            "5 | See [the missing page](@/blog/nope.md).",
            "name the source file under content/",
        ]);
}

#[test]
fn broken_anchor() {
    built()
        .write(
            POST,
            "---\ntitle: A first post\n---\n\nSee [the reasons](@/concordat/01-x.md#nope).\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:5:5: broken link: @/concordat/01-x.md#nope (there is no heading with that anchor)",
            "hint: the headings of content/concordat/01-x.md are: why-it-matters",
        ]);
}

#[test]
fn unknown_template() {
    built()
        .write(
            POST,
            "---\ntitle: A first post\ntemplate: nope.html\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:11: template: \"nope.html\" does not exist",
            "hint: put the template in templates/",
        ]);
}

#[test]
fn template_syntax_error() {
    built()
        .write(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% if %}<h1>{{ page.title }}</h1>{% endif %}\n{% endblock content %}\n",
        )
        .fails(&[
            "error: templates/page.html:3:",
            "3 | {% if %}",
            "hint: check the template syntax",
        ]);
}

#[test]
fn file_that_is_not_utf8() {
    built()
        .write(POST, b"---\ntitle: Caf\xe9 culture\n---\nBody\n")
        .fails(&[
            "error: content/blog/2017-08-06-x.md:2:11: the file is not UTF-8 text",
            "hint: save the file with UTF-8 encoding",
        ]);
}

#[test]
fn empty_file() {
    built().write(POST, "").fails(&[
        "error: content/blog/2017-08-06-x.md:1:1: the file is empty",
        "hint: start the file with a front matter block",
    ]);
}

#[test]
fn every_error_of_a_run_is_reported() {
    let b = built();
    b.write(POST, "---\ntitel: A first post\n---\nBody\n")
        .write(
            EVENT,
            "---\ntitle: A workshop\nstart: 14/03/2017\n---\nBody\n",
        )
        .write(
            "content/concordat/02-y.md",
            "---\ntitle: Commitments\n---\n\n[gone](@/nope.md)\n",
        );
    let err = b.fails(&[
        "error: content/blog/2017-08-06-x.md:2:1: unknown field `titel`",
        "error: content/concordat/02-y.md:5:1: broken link: @/nope.md",
        "error: content/events/workshop.md:3:8: start: \"14/03/2017\" is not a date-time",
        "3 errors found; the previous output was left untouched",
    ]);
    assert_eq!(err.matches("error: ").count(), 3, "stderr:\n{err}");
}

#[test]
fn json_report_lists_every_error_with_its_position() {
    let b = built();
    b.write(POST, "---\ntitle: A first post\ndraft: maybe\n---\nBody\n")
        .write(EVENT, "");
    let output = b.site.build(&["--json"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr:\n{}",
        stderr(&output)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("--json printed no JSON ({e}):\n{}", stdout(&output)));
    assert_eq!(report["ok"], false);
    let errors = report["errors"].as_array().expect("an `errors` array");
    let found: Vec<(&str, u64, u64)> = errors
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert!(e["hint"].as_str().is_some_and(|h| !h.is_empty()));
            (
                e["path"].as_str().unwrap(),
                e["line"].as_u64().unwrap(),
                e["col"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("content/blog/2017-08-06-x.md", 3, 8),
            ("content/events/workshop.md", 1, 1)
        ]
    );
    b.assert_untouched();
}

#[test]
fn json_report_on_success() {
    let site = Site::copy("minimal");
    let output = site.build(&["--json"]);
    assert_built(&output);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["ok"], true);
    assert!(report["pages"].as_u64().unwrap() >= 8, "{report}");
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    assert!(site.out.join("index.html").is_file());
}

#[test]
fn out_cannot_be_the_site_itself() {
    let b = built();
    let sources = tree(&b.site.root);
    let output = common::build(&b.site.root, &b.site.root, &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{err}");
    assert!(err.contains("is the site folder"), "stderr:\n{err}");
    assert_same_tree(&sources, &tree(&b.site.root), "the site's sources changed");
    b.assert_untouched();
}

#[test]
fn out_cannot_be_the_content_folder() {
    let b = built();
    let sources = tree(&b.site.root);
    let output = common::build(&b.site.root, &b.site.root.join("content"), &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{err}");
    assert!(
        err.contains("inside the site's content/ folder"),
        "stderr:\n{err}"
    );
    assert_same_tree(&sources, &tree(&b.site.root), "the site's sources changed");
    b.assert_untouched();
}

#[test]
fn out_cannot_contain_the_site() {
    let b = built();
    let sources = tree(&b.site.root);
    let output = common::build(&b.site.root, b.site.tmp.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "stderr:\n{}",
        stderr(&output)
    );
    assert_same_tree(&sources, &tree(&b.site.root), "the site's sources changed");
    b.assert_untouched();
}

#[test]
fn bad_now_is_a_usage_error() {
    let b = built();
    let output = b.site.run(&["--now", "next tuesday"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{err}");
    assert!(err.contains("--now"), "stderr:\n{err}");
    assert!(err.contains("next tuesday"), "stderr:\n{err}");
    b.assert_untouched();
}

#[test]
fn unknown_option_is_a_usage_error() {
    let b = built();
    b.fails_with(&["--bogus"], 2, &["--bogus"]);
}

#[test]
fn a_link_to_a_page_with_its_own_error_is_not_reported_twice() {
    let err = built()
        .write(
            "content/concordat/01-x.md",
            "---\ntitel: Introduction\nnumber: 1\n---\n## Why it matters\n",
        )
        .write(
            POST,
            "---\ntitle: A first post\n---\n\nSee [the reasons](@/concordat/01-x.md#why-it-matters).\n",
        )
        .fails(&["error: content/concordat/01-x.md:2:1: unknown field `titel`"]);
    assert!(
        !err.contains("broken link"),
        "a second, misleading error:\n{err}"
    );
    assert!(err.contains("1 error found"), "{err}");
}

/// The errors of a failed `--json` build, as (line, col, message), in the order reported.
fn json_errors(b: &Built) -> Vec<(u64, u64, String)> {
    let output = b.site.build(&["--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    report["errors"]
        .as_array()
        .expect("an `errors` array")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["col"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_bad_field_of_a_file_is_reported() {
    let b = built();
    b.write(
        POST,
        "---\ntitle: A first post\ndate: nope\nweight: abc\n---\nBody\n",
    );
    let err = b.fails(&[
        "error: content/blog/2017-08-06-x.md:3:7: date: \"nope\" is not a date (expected 2017-03-14)",
        "error: content/blog/2017-08-06-x.md:4:9: weight: \"abc\" is not a whole number",
        "2 errors found",
    ]);
    assert!(err.find("3:7: date").unwrap() < err.find("4:9: weight").unwrap());
}

#[test]
fn an_unknown_field_does_not_hide_the_other_bad_fields() {
    let b = built();
    b.write(
        POST,
        "---\ntilte: A first post\ndate: nope\nweight: abc\ndraft: maybe\n---\nBody\n",
    );
    let err = b.fails(&[
        "error: content/blog/2017-08-06-x.md:2:1: unknown field `tilte`",
        "= hint: did you mean `title`?",
        "error: content/blog/2017-08-06-x.md:3:7: date: \"nope\" is not a date",
        "error: content/blog/2017-08-06-x.md:4:9: weight: \"abc\" is not a whole number",
        "error: content/blog/2017-08-06-x.md:5:8: draft: \"maybe\" is not true or false",
        "4 errors found",
    ]);
    assert!(!err.contains("needs a title"), "a misleading error:\n{err}");
    let positions: Vec<(u64, u64)> = json_errors(&b).iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(positions, [(2, 1), (3, 7), (4, 9), (5, 8)]);
}

#[test]
fn a_syntax_error_does_not_hide_a_bad_field_below_it() {
    built()
        .write(
            POST,
            "---\ntitle: Prevention: a primer\nweight: abc\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:2:18: title: mapping values are not allowed",
            "error: content/blog/2017-08-06-x.md:3:9: weight: \"abc\" is not a whole number",
            "2 errors found",
        ]);
}

#[test]
fn site_yaml_errors_of_every_field_are_reported() {
    let b = built();
    b.write(
        "site.yaml",
        "title: T\nbase_url: https://x.org\npaginate: many\nlanguag: en\n",
    );
    b.fails(&[
        "error: site.yaml:3:11: paginate: \"many\" is not a whole number",
        "error: site.yaml:4:1: unknown field `languag`",
        "did you mean `language`?",
    ]);
}

/// Wrong values in one mapping of site.yaml, flow style, whether found by reading it (true
/// or false) or after (a theme): all are reported at once.
#[test]
fn site_yaml_errors_of_every_entry_of_a_mapping_are_reported() {
    built()
        .write(
            "site.yaml",
            "title: T\nbase_url: https://x.org\nchecks: { image_alt: fatal, captions: loud }\nmarkdown: { smart_punctuation: maybe, trust_html: perhaps, highlight_theme: Nope }\n",
        )
        .fails(&[
            "error: site.yaml:3:22: checks.image_alt: \"fatal\" is not one of: error, warning, off",
            "error: site.yaml:3:39: checks.captions: \"loud\" is not one of: error, warning, off",
            "error: site.yaml:4:32: markdown.smart_punctuation: \"maybe\" is not true or false",
            "error: site.yaml:4:51: markdown.trust_html: \"perhaps\" is not true or false",
            "error: site.yaml:4:77: markdown.highlight_theme: \"Nope\" is not a known theme",
            "5 errors found",
        ]);
}

#[test]
fn bad_highlight_theme_points_at_its_value() {
    let b = built();
    b.write(
        "site.yaml",
        "title: T\nbase_url: https://x.org\nmarkdown: { highlight_theme: Nope }\n",
    )
    .fails(&["error: site.yaml:3:30: markdown.highlight_theme: \"Nope\" is not a known theme"]);
    b.write(
        "site.yaml",
        "title: T\nbase_url: https://x.org\nmarkdown:\n  highlight_theme: Nope\n",
    )
    .fails(&["error: site.yaml:4:20: markdown.highlight_theme: \"Nope\" is not a known theme"]);
}

#[test]
fn nested_fields_written_inline_are_pointed_at() {
    let b = built();
    b.write(
        EVENT,
        "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: online\nregistration: {url: \"https://x.org\", closes: soon}\n---\nBody\n",
    )
    .fails(&[
        "error: content/events/workshop.md:5:46: registration.closes: \"soon\" is not a date-time",
        "5 | registration: {url: \"https://x.org\", closes: soon}",
    ]);
    b.write(
        EVENT,
        "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nregistration: {url: x, capacity: lots}\nvenue: {name: Hall, postcod: AB1}\n---\nBody\n",
    )
    .fails(&[
        "error: content/events/workshop.md:4:34: registration.capacity: \"lots\" is not a whole number",
        "error: content/events/workshop.md:5:21: unknown field `postcod`",
        "did you mean `postcode`?",
    ]);
}

/// Two wrong values in one mapping of front matter, one found by reading it (a number) and
/// one found after (a date): both are reported in one run, each named by its dotted path.
#[test]
fn every_wrong_entry_of_a_mapping_is_reported_at_once() {
    let b = built();
    let err = b
        .write(
            EVENT,
            "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: online\nregistration:\n  url: \"https://x.org\"\n  closes: notadate\n  capacity: lots\n---\nBody\n",
        )
        .fails(&[
            "error: content/events/workshop.md:7:11: registration.closes: \"notadate\" is not a date-time",
            "error: content/events/workshop.md:8:13: registration.capacity: \"lots\" is not a whole number",
            "2 errors found",
        ]);
    assert!(
        err.find("7:11").unwrap() < err.find("8:13").unwrap(),
        "{err}"
    );
    // A mapping whose only entry is wrong is written, so not reported as missing.
    b.write(
        EVENT,
        "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nvenue:\n  name: [Hall]\nformat: in-person\n---\nBody\n",
    )
    .fails(&[
        "error: content/events/workshop.md:5:9: venue.name: expected text",
        "1 error found",
    ]);
}

#[test]
fn empty_video_id_points_at_the_id_line() {
    built()
        .write(
            "content/videos/_index.md",
            "---\ntitle: Videos\nkind: video\n---\n",
        )
        .write(
            "content/videos/talk.md",
            "---\ntitle: A talk\ndate: 2017-03-14\nprovider: youtube\nid: \"\"\n---\nBody\n",
        )
        .fails(&[
            "error: content/videos/talk.md:5:5: id: a youtube video needs the provider's `id`",
            "5 | id: \"\"",
        ]);
}

#[test]
fn empty_summary_counts_as_none() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: A first post\nsummary: \"\"\n---\n\nThe opening paragraph.\n\nMore.\n",
    );
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: post\nsummary: \"  \"\n---\n\nAll about the blog.\n",
    );
    assert_built(&site.build(&[]));
    let description = |rel: &str| {
        let html = site.output_file(rel);
        let start = html
            .find("<meta name=\"description\"")
            .expect("a description");
        html[start..start + html[start..].find('>').unwrap()].to_string()
    };
    assert!(description("blog/x/index.html").contains("The opening paragraph."));
    assert!(description("blog/index.html").contains("All about the blog."));
}

#[test]
fn missing_theme_points_at_the_theme_line() {
    let b = built();
    b.write(
        "site.yaml",
        "title: T\nbase_url: https://x.org\ntheme: nope\n",
    )
    .fails(&[
        "error: site.yaml:3:8: theme: there is no theme \"nope\"",
        "3 | theme: nope",
        "hint: use `theme: default`",
    ]);
    b.write(
        "site.yaml",
        "{title: T, base_url: https://x.org, theme: nope}\n",
    );
    assert_eq!(
        json_errors(&b),
        [(
            1,
            44,
            "theme: there is no theme \"nope\" (no folder themes/nope/)".into()
        )]
    );
}

#[test]
fn broken_menu_link_points_at_its_url() {
    let b = built();
    b.write(
        "site.yaml",
        "title: T\nbase_url: https://x.org\nmenu:\n  - title: Blog\n    url: \"@/blog/_index.md\"\n  - title: X\n    url: \"@/nope.md\"\n",
    )
    .fails(&[
        "error: site.yaml:7:10: menu: \"X\" links to @/nope.md which does not exist",
        "7 |     url: \"@/nope.md\"",
    ]);
    b.write(
        "site.yaml",
        "title: T\nbase_url: https://x.org\nmenu: [ {title: Blog, url: \"@/blog/_index.md\"}, {title: X, url: \"@/nope.md\"} ]\n",
    )
    .fails(&["error: site.yaml:3:65: menu: \"X\" links to @/nope.md"]);
}

#[test]
fn an_out_that_is_a_file_is_refused_and_left_alone() {
    let site = Site::copy("minimal");
    let file = site.tmp.path().join("precious.txt");
    std::fs::write(&file, "keep me").unwrap();
    let output = common::build(&site.root, &file, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("is a file"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert_eq!(names_in(site.tmp.path()), vec!["precious.txt", "site"]);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::process::Stdio;
    let site = Site::copy("minimal");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .args(["build", "--json", "--root"])
        .arg(&site.root)
        .arg("--out")
        .arg(site.tmp.path().join("out"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(output.status.code(), Some(101), "{err}");
}

#[test]
fn a_script_in_a_front_matter_link_is_an_error() {
    built()
        .write(
            EVENT,
            "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: online\nregistration:\n  url: \"javascript:alert(1)\"\n---\nBody\n",
        )
        .fails(&[
            "error: content/events/workshop.md:6:",
            "registration.url: a script is not a link",
            "hint: write a web address",
        ]);
}

#[test]
fn a_tag_without_letters_or_digits_is_an_error() {
    built()
        .write(
            POST,
            "---\ntitle: A first post\ntags: [policy, \"!!!\"]\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:",
            "tags: \"!!!\" has no letter or digit",
        ]);
}

#[test]
fn a_bad_section_field_does_not_make_its_pages_look_wrong() {
    let post_with_authors =
        "---\ntitle: A first post\ndate: 2017-08-06\nauthors: [sean]\n---\nBody\n";
    for (section, expected) in [
        (
            "---\ntitle: Blog\nkind: post\nsort_by: colour\n---\n",
            "sort_by: \"colour\" is not a known value",
        ),
        (
            "---\ntitle: Blog\nkind: posts\n---\n",
            "kind: \"posts\" is not a known value",
        ),
    ] {
        let err = built()
            .write("content/blog/_index.md", section)
            .write(POST, post_with_authors)
            .fails(&[expected]);
        assert_eq!(
            err.matches("error:").count(),
            1,
            "only the section's own error is reported:\n{err}"
        );
    }
}

#[test]
fn an_alias_over_a_static_file_is_an_error_and_a_static_page_a_warning() {
    built()
        .write(
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .write(
            POST,
            "---\ntitle: A first post\naliases: [/logo.svg]\n---\nBody\n",
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:3:",
            "aliases: /logo.svg would replace static/logo.svg",
        ]);
    let site = Site::copy("minimal");
    site.write("static/blog/x/index.html", "<p>by hand</p>");
    let output = site.build(&[]);
    assert_built(&output);
    assert!(
        stderr(&output).contains("warning: content/blog/2017-08-06-x.md")
            && stderr(&output).contains("static/blog/x/index.html replaces the page"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_recording_must_be_a_video_page() {
    built()
        .write(
            EVENT,
            "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: online\nrecording: \"@/blog/2017-08-06-x.md\"\n---\nBody\n",
        )
        .fails(&[
            "error: content/events/workshop.md:5:",
            "recording: @/blog/2017-08-06-x.md is a post page, not a video page",
        ]);
}

#[test]
fn an_image_that_is_not_a_file_of_the_site_is_a_warning() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: A first post\nimage: /images/missing.png\n---\nBody\n",
    );
    let output = site.build(&[]);
    assert_built(&output);
    assert!(
        stderr(&output).contains(
            "warning: content/blog/2017-08-06-x.md:3:8: image: /images/missing.png is not a file of the site"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_empty_site_yaml_says_what_it_needs() {
    built().write("site.yaml", "").fails(&[
        "error: site.yaml:1:1: site.yaml is empty",
        "title:",
        "base_url:",
    ]);
}

#[test]
fn a_file_name_date_that_is_no_real_day_is_named() {
    let site = built();
    let text = std::fs::read_to_string(site.site.root.join(POST)).unwrap();
    std::fs::remove_file(site.site.root.join(POST)).unwrap();
    site.write("content/blog/2017-02-30-x.md", text).fails(&[
        "content/blog/2017-02-30-x.md",
        "the file name starts with 2017-02-30, which is not a day of the calendar",
    ]);
}

#[test]
fn a_yaml_alias_bomb_is_refused_in_words() {
    let mut levels = String::from("  a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g"])
    {
        let item = format!("*{prev}");
        levels.push_str(&format!(
            "  {name}: &{name} [{}]\n",
            vec![item; 9].join(", ")
        ));
    }
    built()
        .write(
            POST,
            format!("---\ntitle: A first post\nextra:\n{levels}---\nBody\n"),
        )
        .fails(&["the YAML expands to too many values"]);
}

#[test]
fn a_front_matter_link_to_a_missing_heading_is_an_error_at_its_line() {
    let b = built();
    b.write(
        POST,
        "---\ntitle: A first post\nrelated:\n  - \"@/concordat/02-y.md\"\n  - \"@/concordat/01-x.md#nope\"\n---\nBody\n",
    )
    .fails(&[
        "error: content/blog/2017-08-06-x.md:5:5: related: broken link: @/concordat/01-x.md#nope (there is no heading with that anchor)",
        "5 |   - \"@/concordat/01-x.md#nope\"",
        "hint: the headings of content/concordat/01-x.md are: why-it-matters",
    ]);
    b.write(
        POST,
        "---\ntitle: A first post\nrelated: [\"@/concordat/01-x.md#why-it-matter\"]\n---\nBody\n",
    )
    .fails(&[
        "error: content/blog/2017-08-06-x.md:3:11: related: broken link:",
        "hint: did you mean #why-it-matters?",
    ]);
}

#[test]
fn a_menu_link_to_a_missing_heading_is_an_error_at_its_url() {
    built()
        .write(
            "site.yaml",
            "title: T\nbase_url: https://x.org\nmenu:\n  - title: Why\n    url: \"@/concordat/01-x.md#nope\"\n",
        )
        .fails(&[
            "error: site.yaml:5:10: menu: \"Why\": broken link: @/concordat/01-x.md#nope (there is no heading with that anchor)",
        ]);
}

/// The report of a failed `--json` build: one JSON object and nothing else on stdout.
fn json_report(b: &Built) -> serde_json::Value {
    let output = b.site.build(&["--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| {
        panic!(
            "--json printed no single JSON object ({e}):\n{}",
            stdout(&output)
        )
    });
    assert!(report.is_object(), "{report}");
    report
}

/// A key with a character that is not ASCII, or that cannot be seen, before its colon: each
/// an error at its line, in front matter and in site.yaml alike, with `--json` still working.
/// A character that is hard to see is spelled out and pointed at.
#[test]
fn keys_with_unusual_characters_are_errors_at_their_line() {
    let b = built();
    let post = std::fs::read_to_string(b.site.root.join(POST)).unwrap();
    let site = std::fs::read_to_string(b.site.root.join("site.yaml")).unwrap();
    let site_end = site.lines().count();
    // The lines written, which of them is wrong and where, and what the error says.
    let cases: [(&str, usize, usize, &[&str]); 6] = [
        ("caf\u{e9}: 1", 1, 1, &["unknown field `caf\u{e9}`", "known fields are: title"]),
        ("titl\u{e9}: x", 1, 1, &["unknown field `titl\u{e9}`", "hint: did you mean `title`?"]),
        (
            "title\u{a0}: x",
            1,
            6,
            &["unknown field `title<U+00A0>`", "hint: the name holds a no-break space (U+00A0), which is hard to see: delete it to write `title`"],
        ),
        (
            "ti\u{200B}tle: x",
            1,
            3,
            &["unknown field `ti<U+200B>tle`", "a zero-width space (U+200B)", "delete it to write `title`"],
        ),
        ("\u{2014} x: y", 1, 1, &["unknown field `\u{2014} x`"]),
        (
            "authors:\n\u{2014} Ann",
            2,
            1,
            &["hint: a list item starts with a hyphen and a space (`- `); `\u{2014}` (U+2014) is another character"],
        ),
    ];
    for (lines, bad, col, expected) in cases {
        for (file, text, line) in [
            (
                POST,
                format!("---\ntitle: A first post\n{lines}\n---\nBody\n"),
                2 + bad,
            ),
            ("site.yaml", format!("{site}{lines}\n"), site_end + bad),
        ] {
            b.write(file, text);
            let err = b.fails(&[&format!("error: {file}:{line}:{col}: ")]);
            for piece in expected {
                assert!(
                    err.contains(piece),
                    "{file}: stderr lacks {piece:?}:\n{err}"
                );
            }
            let report = json_report(&b);
            let errors = report["errors"].as_array().expect("an `errors` array");
            assert_eq!(errors.len(), 1, "{report}");
            assert_eq!(errors[0]["path"], file, "{report}");
            assert_eq!(
                (errors[0]["line"].as_u64(), errors[0]["col"].as_u64()),
                (Some(line as u64), Some(col as u64)),
                "{report}"
            );
            b.write(POST, &post).write("site.yaml", &site);
        }
    }
}

/// A script in a built-in shortcode's link or source is refused as in front matter, however
/// a browser would read it: an error at the call's line, naming the argument, with a hint.
#[test]
fn a_script_in_a_shortcode_argument_is_an_error_at_its_line() {
    let b = built();
    for url in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
    ] {
        b.write(
            POST,
            format!("---\ntitle: A first post\n---\n\n{{{{ figure(src=\"{url}\", alt=\"x\") }}}}\n"),
        )
        .fails(&[
            "error: content/blog/2017-08-06-x.md:5:1: shortcode figure: src: a script is not a link",
            "hint: write a web address (https://…) or a path on the site",
        ]);
    }
    for (args, key) in [
        (
            "src=\"javascript:alert(1)\", captions=\"javascript:alert(2)\"",
            "src",
        ),
        (
            "src=\"/media/a.mp4\", captions=\"JAVASCRIPT:alert(2)\"",
            "captions",
        ),
        (
            "src=\"/media/a.mp4\", poster=\"&#x6A;avascript:alert(3)\"",
            "poster",
        ),
    ] {
        b.write(
            POST,
            format!("---\ntitle: A first post\n---\nText.\n\n{{{{ video(provider=\"file\", {args}, title=\"x\") }}}}\n"),
        )
        .fails(&[&format!(
            "error: content/blog/2017-08-06-x.md:6:1: shortcode video: {key}: a script is not a link"
        )]);
    }
}

/// A theme is a folder of `themes/` or the built-in `default`: a path that leads out of the
/// site is an error at the `theme:` line, and nothing of what it points at is copied.
#[test]
fn a_theme_that_is_a_path_is_an_error_at_its_line() {
    let b = built();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("static")).unwrap();
    std::fs::write(outside.path().join("static/secret.txt"), "secret").unwrap();
    std::fs::create_dir_all(b.site.root.join("themes/x/static")).unwrap();
    std::fs::create_dir_all(b.site.root.join("themes/x/templates")).unwrap();
    let absolute = outside.path().to_string_lossy().replace('\\', "/");
    for theme in [
        absolute.as_str(),
        "../themes/x",
        "x/../x",
        "/etc",
        "a/b",
        "\"\"",
        "\".\"",
    ] {
        b.write(
            "site.yaml",
            format!("title: T\nbase_url: https://x.org\ntheme: {theme}\n"),
        )
        .fails(&[
            "error: site.yaml:3:8: theme: ",
            "is not the name of a theme (a folder in themes/, or `default`)",
            "hint: write the name of a folder in themes/",
        ]);
    }
    assert!(!tree(&b.site.out).contains_key("secret.txt"));
}

/// A file that is not UTF-8 is named, with the line and column (in characters) of its first
/// bad byte, on stderr and in `--json`: site.yaml, a content file and a theme's theme.yaml.
#[test]
fn a_file_that_is_not_utf8_is_named_with_its_first_bad_byte() {
    let b = built();
    let site = std::fs::read_to_string(b.site.root.join("site.yaml")).unwrap();
    std::fs::create_dir_all(b.site.root.join("themes/x/templates")).unwrap();
    let theme_yaml = "themes/x/theme.yaml";
    for (file, bytes, line, col) in [
        (
            "site.yaml",
            b"title: Caf\xc3\xa9 caf\xe9\nbase_url: https://x.org\n".to_vec(),
            1,
            16,
        ),
        (
            POST,
            b"---\ntitle: A first post\n\nCaf\xe9\n---\n".to_vec(),
            4,
            4,
        ),
        (theme_yaml, b"# Caf\xe9\n".to_vec(), 1, 6),
    ] {
        if file == theme_yaml {
            b.write("site.yaml", format!("{site}theme: x\n"));
        }
        b.write(file, &bytes);
        b.fails(&[
            &format!("error: {file}:{line}:{col}: the file is not UTF-8 text"),
            "hint: save the file with UTF-8 encoding",
        ]);
        let report = json_report(&b);
        let error = &report["errors"][0];
        assert_eq!(error["path"], file, "{report}");
        assert_eq!(
            (error["line"].as_u64(), error["col"].as_u64()),
            (Some(line), Some(col)),
            "{report}"
        );
        b.write("site.yaml", &site);
        if file == POST {
            b.write(POST, "---\ntitle: A first post\n---\nBody\n");
        }
    }
}

/// An address in site.yaml that the theme writes as a link or a form's action may not run a
/// script, as in front matter: each is an error at its line.
#[test]
fn a_script_in_a_site_yaml_link_is_an_error_at_its_line() {
    let site = Site::copy("minimal");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!(
            "{yaml}menu:\n  - {{ title: Home, url: / }}\n  - {{ title: Bad, url: \"JavaScript:alert(1)\" }}\nsignup:\n  action: \"javascript:void(0)\"\n"
        ),
    );
    let output = site.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    for expected in [
        "site.yaml:7:",
        "menu.1.url: a script is not a link",
        "site.yaml:9:",
        "signup.action: a script is not a link",
    ] {
        assert!(err.contains(expected), "stderr lacks {expected:?}:\n{err}");
    }
}

/// With `--json`, even an option pamphlet does not know is answered with one JSON object
/// (exit 2), so a pipeline that reads JSON reads the mistake too.
#[test]
fn an_unknown_option_with_json_is_a_json_usage_error() {
    let site = Site::copy("minimal");
    let output = site.build(&["--json", "--no-such-option"]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(&output)));
    assert_eq!(report["ok"], false);
    assert_eq!(report["usage_error"], true);
    let message = report["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("--no-such-option"), "{report}");
}

/// The places of the errors of a failed `--json` build, as (path, line), in the order
/// reported.
fn json_places(b: &Built) -> Vec<(String, u64)> {
    let report = json_report(b);
    let errors = report["errors"].as_array().expect("an `errors` array");
    errors
        .iter()
        .map(|e| {
            let path = e["path"].as_str().unwrap_or_default().to_string();
            (path, e["line"].as_u64().unwrap_or_default())
        })
        .collect()
}

/// A page whose front matter has errors still has its body checked in the same run: its
/// broken `@/` link and its image with no text alternative are reported with the bad dates.
#[test]
fn a_page_with_front_matter_errors_still_has_its_body_checked() {
    let b = built();
    b.write(
        EVENT,
        "---\ntitle: A workshop\nstart: 2017-03-14T16:00\nend: 2017-03-14T10:00\n\
         format: online\n---\n\nSee [the notes](@/nope.md).\n\n![](/map.png)\n",
    );
    b.fails(&[
        "error: content/events/workshop.md:4:6: end: the event ends",
        "error: content/events/workshop.md:8:5: broken link: @/nope.md (there is no content/nope.md)",
        "error: content/events/workshop.md:10:1: image_alt: the image /map.png has no text alternative",
        "3 errors found",
    ]);
    let lines: Vec<u64> = json_errors(&b).iter().map(|(line, _, _)| *line).collect();
    assert_eq!(lines, [4, 8, 10]);
}

/// A broken link that only the check of the rendered pages finds is reported in the same run
/// as another page's front matter error (the pages that loaded are rendered, not written).
#[test]
fn a_broken_output_link_is_reported_with_another_pages_front_matter_error() {
    let b = built();
    b.write(POST, "---\ntitle: A first post\ndraft: maybe\n---\nBody\n")
        .write(
            "content/concordat/02-y.md",
            "---\ntitle: Y\n---\n\nSee [our team](/about/#team).\n",
        );
    b.fails(&[
        "error: content/blog/2017-08-06-x.md:3:8: draft: \"maybe\" is not true or false",
        "error: content/concordat/02-y.md:5:5: broken link: /about/#team (the site has no page or file there)",
        "2 errors found",
    ]);
    assert_eq!(
        json_places(&b),
        [
            ("content/blog/2017-08-06-x.md".to_string(), 3),
            ("content/concordat/02-y.md".to_string(), 5)
        ]
    );
}

/// Links to pages that failed to load are not broken links: they exist, and their own errors
/// are reported. That holds for a page named by its file, by a `slug` that did read, by an
/// alias, and for a page whose front matter cannot be read at all (any page of its folder may
/// be it); a link to no page at all is still reported.
#[test]
fn links_to_pages_that_failed_to_load_are_not_broken() {
    let b = built();
    b.write(POST, "---\ntitle: A first post\ndraft: maybe\n---\nBody\n")
        .write(
            "content/blog/renamed.md",
            "---\ntitle: Renamed\nslug: new-name\naliases: [/old-name/]\nweight: heavy\n---\nBody\n",
        )
        .write(
            "content/events/workshop.md",
            "---\ntitle: [A workshop\n---\nBody\n",
        )
        .write(
            "content/concordat/02-y.md",
            "---\ntitle: Y\n---\n\n[The post](/blog/x/), [its top](/blog/x/#top), \
             [renamed](/blog/new-name/), [as it was](/old-name/), [the workshop](/events/workshop/), \
             [nowhere](/blog/nowhere/).\n",
        );
    let err = b.fails(&[
        "error: content/blog/2017-08-06-x.md:3:8: draft:",
        "error: content/blog/renamed.md:5:9: weight:",
        "error: content/events/workshop.md:2:",
        "error: content/concordat/02-y.md:5:",
        "broken link: /blog/nowhere/",
    ]);
    let broken: Vec<&str> = err.lines().filter(|l| l.contains("broken link")).collect();
    assert_eq!(broken.len(), 1, "{err}");
}
