//! Checks on what is published: every link of the output into the site names a written file
//! and an id of its page, each broken one an error where it was written; the accessibility
//! of what authors write, rule by rule, at the levels of `checks:`; and a warning for
//! everything the sanitizer removes from raw HTML.
//!
//! Each test copies `tests/fixtures/minimal`, builds it, changes it and builds again.

mod common;

use std::path::PathBuf;

use common::{assert_built, assert_same_tree, names_in, repo, stderr, tree, Site, Tree, NOW};

const POST: &str = "content/blog/2017-08-06-x.md";

/// The minimal site after one good build, with a picture of its output.
struct Built {
    site: Site,
    before: Tree,
}

fn built() -> Built {
    let site = Site::copy("minimal");
    assert_built(&site.build(&[]));
    let before = tree(&site.out);
    Built { site, before }
}

/// A post with this body.
fn post(body: &str) -> String {
    format!("---\ntitle: A first post\n---\n\n{body}\n")
}

impl Built {
    fn write(&self, rel: &str, text: &str) -> &Self {
        self.site.write(rel, text);
        self
    }

    /// Adds `yaml` to site.yaml.
    fn configure(&self, yaml: &str) -> &Self {
        let path = self.site.root.join("site.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(path, format!("{text}{yaml}")).unwrap();
        self
    }

    /// Builds again with `args`: exit code 1, every piece of `expected` on stderr, and the
    /// previous output byte for byte as it was, with nothing left beside it. Returns stderr.
    fn fails(&self, args: &[&str], expected: &[&str]) -> String {
        let output = self.site.build(args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "the build passed:\n{err}");
        for piece in expected {
            assert!(err.contains(piece), "stderr lacks {piece:?}:\n{err}");
        }
        assert_same_tree(&self.before, &tree(&self.site.out), "the output changed");
        assert_eq!(names_in(self.site.tmp.path()), ["out", "site"]);
        err
    }

    /// Builds again with `args`: it succeeds. Returns stderr.
    fn passes(&self, args: &[&str]) -> String {
        let output = self.site.build(args);
        assert_built(&output);
        stderr(&output)
    }
}

// ---------------------------------------------------------------------------------------
// Links of the output
// ---------------------------------------------------------------------------------------

#[test]
fn a_root_relative_link_to_no_page_is_an_error_at_its_markdown_line() {
    let err = built()
        .write(POST, &post("Read [the plan](/does-not-exist/) today."))
        .fails(
            &[],
            &["error: content/blog/2017-08-06-x.md:5:6: broken link: /does-not-exist/ (the site has no page or file there)"],
        );
    assert!(
        err.contains("5 | Read [the plan](/does-not-exist/) today."),
        "{err}"
    );
    assert!(
        err.contains("1 error found"),
        "one error, however many pages show the link:\n{err}"
    );
}

#[test]
fn a_link_to_an_id_another_page_lacks_is_an_error_naming_its_ids() {
    built()
        .write("content/about.md", "---\ntitle: About\n---\n\n## Our team\n\nWho we are.\n")
        .write(POST, &post("Meet [the team](/about/#our-teem)."))
        .fails(
            &[],
            &[
                "error: content/blog/2017-08-06-x.md:5:6: broken link: /about/#our-teem (the page /about/ has no element with id=\"our-teem\")",
                "hint: did you mean #our-team?",
            ],
        );
}

#[test]
fn a_link_to_an_id_of_its_own_page_that_is_not_there_is_an_error() {
    built()
        .write(POST, &post("## Background\n\nSee [below](#nope) and [above](#background)."))
        .fails(
            &[],
            &["error: content/blog/2017-08-06-x.md:7:5: broken link: #nope (the page /blog/x/ has no element with id=\"nope\")"],
        );
}

/// A fragment with letters beyond ASCII is matched decoded, as a browser matches it: one
/// naming an id that is there passes, one naming no id is an error at its Markdown line.
#[test]
fn a_fragment_with_accents_is_checked_as_written() {
    let body = "## Caf\u{e9} {#caf\u{e9}}\n\nSee [the caf\u{e9} section](#caf\u{e9}).";
    assert!(!built()
        .write(POST, &post(body))
        .passes(&[])
        .contains("broken link"));
    let body = "## Caf\u{e9}\n\nSee [the caf\u{e9} section](#caf\u{e9}).";
    let err = built().write(POST, &post(body)).fails(
        &[],
        &["error: content/blog/2017-08-06-x.md:7:5: broken link: #caf\u{e9}"],
    );
    assert!(!err.contains("templates/"), "{err}");
}

/// On a document's whole page, a chapter's links to its own headings follow their prefixed
/// ids, and the links every page can follow (`#top`, a script link the sanitizer emptied)
/// are left as written: none of them is broken.
#[test]
fn the_whole_document_keeps_links_to_the_top_and_follows_prefixed_ids() {
    let b = built();
    b.write(
        "content/doc/_index.md",
        "---\ntitle: Doc\nkind: chapter\n---\n",
    );
    b.write(
        "content/doc/one.md",
        "---\ntitle: One\nweight: 1\n---\n\n## Why\n\nSee [why](#why), [the top](#top) and [this](javascript:alert(1)).\n",
    );
    let err = b.passes(&[]);
    assert!(!err.contains("broken link"), "{err}");
    let all = b.site.output_file("doc/all/index.html");
    for piece in ["id=\"c1-why\"", "href=\"#c1-why\"", "href=\"#top\""] {
        assert!(
            all.contains(piece),
            "{piece} is not on the whole page:\n{all}"
        );
    }
}

#[test]
fn a_summary_link_to_a_part_of_its_page_leads_there_from_lists() {
    let b = built();
    b.write(
        POST,
        &post("See [the details](#details).\n\n## Details\n\nThe details."),
    );
    assert!(!b.passes(&[]).contains("broken link"));
    let home = b.site.output_file("index.html");
    assert!(home.contains("href=\"/blog/x/#details\""), "{home}");
    let page = b.site.output_file("blog/x/index.html");
    assert!(page.contains("href=\"#details\""), "{page}");
}

#[test]
fn a_link_in_trusted_raw_html_is_an_error_at_its_line() {
    built()
        .configure("markdown: { trust_html: true }\n")
        .write(POST, &post("Intro.\n\n<p>Go <a href=\"/nowhere/\">nowhere</a>.</p>"))
        .fails(
            &[],
            &["error: content/blog/2017-08-06-x.md:7:16: broken link: /nowhere/ (the site has no page or file there)"],
        );
}

#[test]
fn a_link_written_in_a_site_template_is_an_error_in_that_template() {
    let template = "{% extends \"base.html\" %}\n{% block content %}\n<h1>Not found</h1>\n<p><a href=\"/lost-and-found/\">Lost property</a></p>\n{% endblock content %}\n";
    built().write("templates/404.html", template).fails(
        &[],
        &["error: templates/404.html:4: broken link: /lost-and-found/ (in the page /404.html: the site has no page or file there)"],
    );
}

#[test]
fn a_template_link_broken_on_every_page_is_one_error() {
    let base = std::fs::read_to_string(repo().join("themes/default/templates/base.html")).unwrap();
    let broken = base.replacen("<main", "<a href=\"/help/\">Help</a>\n<main", 1);
    assert_ne!(base, broken, "base.html has a <main>");
    let err = built()
        .write("templates/base.html", &broken)
        .fails(&[], &["templates/base.html:"]);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].contains("broken link: /help/ (in the page / and ")
            && errors[0].contains(" others: "),
        "{err}"
    );
}

#[test]
fn an_image_of_a_missing_file_is_an_error_at_its_line() {
    built()
        .write(POST, &post("Intro.\n\n![A chart of sign-ups](chart.png)"))
        .fails(
            &[],
            &["error: content/blog/2017-08-06-x.md:7:1: broken link: /blog/x/chart.png (the site has no page or file there)",
              "hint: put the file in static/"],
        );
}

#[test]
fn a_missing_srcset_candidate_is_an_error() {
    let png =
        std::fs::read(repo().join("tests/fixtures/features/static/images/chart.png")).unwrap();
    let b = built();
    std::fs::create_dir_all(b.site.root.join("static")).unwrap();
    std::fs::write(b.site.root.join("static/chart.png"), png).unwrap();
    b.configure("markdown: { trust_html: true }\n")
        .write(
            POST,
            &post("<img src=\"/chart.png\" srcset=\"/chart.png 1x, /chart-2x.png 2x\" alt=\"Sign-ups by month\">"),
        )
        .fails(&[], &["error: content/blog/2017-08-06-x.md:5:", "broken link: /chart-2x.png"]);
}

#[test]
fn a_link_under_base_url_counts_as_a_link_into_the_site() {
    built()
        .write(POST, &post("See [the archive](https://minimal.example.org/archive/)."))
        .fails(&[], &["content/blog/2017-08-06-x.md:5:5: broken link: https://minimal.example.org/archive/ (the site has no page or file at /archive/)"]);
}

#[test]
fn front_matter_and_site_yaml_links_are_errors_at_their_fields() {
    built()
        .write("content/videos/_index.md", "---\ntitle: Videos\nkind: video\n---\n")
        .write("static/media/talk.mp4", "not really a video")
        .write(
            "content/videos/talk.md",
            "---\ntitle: A talk\ndate: 2017-05-01\nprovider: file\nsrc: /media/talk.mp4\ncaptions: /media/talk.vtt\n---\n\nThe talk.\n",
        )
        .configure("menu:\n  - title: Nowhere\n    url: /nowhere/\n")
        .fails(
            &[],
            &[
                "error: content/videos/talk.md:6:11: captions: broken link: /media/talk.vtt (the site has no page or file there)",
                "error: site.yaml:7:10: menu.0.url: broken link: /nowhere/",
            ],
        );
}

#[test]
fn a_sub_path_site_is_checked_as_it_is_served() {
    let mut b = built();
    b.write(
        "content/about.md",
        "---\ntitle: About\n---\n\n## Our team\n",
    );
    b.write(
        POST,
        &post("See [about](/about/#our-team) and [us](https://minimal.example.org/about/)."),
    );
    let args = ["--base-url", "https://minimal.example.org/campaign"];
    assert!(!b.passes(&args).contains("broken link"));
    b.write(POST, &post("See [the plan](/does-not-exist/)."));
    b.before = tree(&b.site.out);
    b.fails(
        &args,
        &["content/blog/2017-08-06-x.md:5:5: broken link: /does-not-exist/"],
    );
}

#[test]
fn the_example_site_has_no_broken_link_at_its_root_or_under_a_sub_path() {
    let tmp = tempfile::tempdir().unwrap();
    for base in [None, Some("https://host.example/campaign")] {
        let out = tmp.path().join(if base.is_some() { "sub" } else { "root" });
        let extra: Vec<&str> = base.map(|b| vec!["--base-url", b]).unwrap_or_default();
        let output = common::build(&repo(), &out, &extra);
        assert_built(&output);
        let err = stderr(&output);
        assert!(
            !err.contains("broken link") && !err.contains("warning"),
            "{base:?}:\n{err}"
        );
    }
}

#[test]
fn serve_reports_a_broken_link_and_clears_it_when_fixed() {
    let site = Site::copy("minimal");
    let mut session = pamphlet::Session::new(pamphlet::BuildOptions {
        root: site.root.clone(),
        now: Some(NOW.into()),
        ..Default::default()
    });
    session.update(&[]).expect("the first build");
    site.write(POST, post("See [the plan](/does-not-exist/)."));
    let failure = session.update(&[PathBuf::from(POST)]).unwrap_err();
    let shown: Vec<String> = failure.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        shown.iter().any(|d| d
            .starts_with("error: content/blog/2017-08-06-x.md:5:5: broken link: /does-not-exist/")),
        "{shown:#?}"
    );
    site.write("content/does-not-exist.md", "---\ntitle: The plan\n---\n");
    session
        .update(&[PathBuf::from("content/does-not-exist.md")])
        .expect("the link names a page now");
    std::fs::remove_file(site.root.join("content/does-not-exist.md")).unwrap();
    let failure = session
        .update(&[PathBuf::from("content/does-not-exist.md")])
        .expect_err("the page the unchanged post links to is gone");
    assert!(failure.diagnostics[0]
        .message
        .contains("broken link: /does-not-exist/"));
}

// ---------------------------------------------------------------------------------------
// Accessibility of what authors write
// ---------------------------------------------------------------------------------------

#[test]
fn an_image_without_a_text_alternative_is_an_error_unless_it_says_it_decorates() {
    let b = built();
    b.write(
        "content/blog/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 2\"></svg>\n",
    );
    b.write(POST, &post("Intro.\n\n![](/blog/chart.svg)"))
        .fails(
            &[],
            &[
                "error: content/blog/2017-08-06-x.md:7:1: image_alt: the image /blog/chart.svg has no text alternative",
                "decorative=true",
            ],
        );
    b.write(
        POST,
        &post("Intro.\n\n{{ figure(src=\"/blog/chart.svg\") }}"),
    )
    .fails(
        &[],
        &["error: content/blog/2017-08-06-x.md:7:1: image_alt:"],
    );
    let err = b
        .write(
            POST,
            &post("Intro.\n\n{{ figure(src=\"/blog/chart.svg\", decorative=true) }}"),
        )
        .passes(&[]);
    assert!(!err.contains("image_alt"), "{err}");
    let page = b.site.output_file("blog/x/index.html");
    assert!(
        page.contains("<img src=\"/blog/chart.svg\" alt=\"\""),
        "{page}"
    );
}

#[test]
fn checks_in_site_yaml_set_a_rule_to_warning_or_off() {
    let b = built();
    b.write(
        "content/blog/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 2\"></svg>\n",
    );
    b.write(POST, &post("Intro.\n\n![](/blog/chart.svg)"));
    b.configure("checks:\n  image_alt: warning\n");
    let err = b.passes(&[]);
    assert!(
        err.contains("warning: content/blog/2017-08-06-x.md:7:1: image_alt:"),
        "{err}"
    );
    let yaml = std::fs::read_to_string(b.site.root.join("site.yaml")).unwrap();
    b.write(
        "site.yaml",
        &yaml.replace("image_alt: warning", "image_alt: off"),
    );
    assert!(!b.passes(&[]).contains("image_alt"));
}

#[test]
fn alt_text_that_is_a_file_name_or_only_image_is_a_warning() {
    let b = built();
    b.write(
        "content/blog/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 2\"></svg>\n",
    );
    let err = b
        .write(
            POST,
            &post("Intro.\n\n![chart.svg](/blog/chart.svg)\n\n![Image](/blog/chart.svg)"),
        )
        .passes(&[]);
    assert!(err.contains("warning: content/blog/2017-08-06-x.md:7:1: alt_text: the alt text \"chart.svg\" of /blog/chart.svg is a file name"), "{err}");
    assert!(err.contains("warning: content/blog/2017-08-06-x.md:9:1: alt_text: the alt text \"Image\" of /blog/chart.svg says only that it is an image"), "{err}");
}

#[test]
fn headings_that_skip_a_level_or_repeat_the_title_level_are_warnings() {
    let err = built()
        .write(
            POST,
            &post("## Background\n\n#### Detail\n\nText.\n\n# Another title"),
        )
        .passes(&[]);
    assert!(err.contains("warning: content/blog/2017-08-06-x.md:7:1: heading_levels: #### follows ##: a heading level is skipped"), "{err}");
    assert!(err.contains("hint: use ### here"), "{err}");
    assert!(
        err.contains(
            "warning: content/blog/2017-08-06-x.md:11:1: heading_levels: a # heading in the body"
        ),
        "{err}"
    );
}

#[test]
fn a_link_without_text_is_an_error_and_one_that_says_nothing_a_warning() {
    let b = built();
    b.write(
        "content/about.md",
        "---\ntitle: About\n---\n\nWho we are.\n",
    );
    b.write(POST, &post("Intro [](/about/) here.")).fails(
        &[],
        &["error: content/blog/2017-08-06-x.md:5:7: link_text: the link to /about/ has no text"],
    );
    let err = b
        .write(
            POST,
            &post("To find out who we are, [click here](/about/)."),
        )
        .passes(&[]);
    assert!(err.contains("warning: content/blog/2017-08-06-x.md:5:25: link_text: the link text \"click here\" says nothing about where it leads"), "{err}");
    let err = b
        .write(POST, &post("[Who we are](/about/) and [more](/about/)."))
        .passes(&[]);
    assert!(
        err.contains(":5:27: link_text: the link text \"more\""),
        "{err}"
    );
    assert!(!err.contains(":5:1: link_text"), "{err}");
}

#[test]
fn a_video_file_without_captions_is_a_warning() {
    let b = built();
    b.write("static/media/talk.mp4", "not really a video");
    b.write(
        "content/videos/_index.md",
        "---\ntitle: Videos\nkind: video\n---\n",
    );
    b.write(
        "content/videos/talk.md",
        "---\ntitle: A talk\ndate: 2017-05-01\nprovider: file\nsrc: /media/talk.mp4\n---\n\nThe talk.\n",
    );
    b.write(
        POST,
        &post(
            "Intro.\n\n{{ video(provider=\"file\", src=\"/media/talk.mp4\", title=\"The talk\") }}",
        ),
    );
    let err = b.passes(&[]);
    assert!(
        err.contains(
            "warning: content/videos/talk.md:4:11: captions: the video file has no captions"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: content/blog/2017-08-06-x.md:7:1: captions: the video file has no captions"
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_rule_in_checks_is_an_error_with_did_you_mean() {
    let b = built();
    b.configure("checks:\n  image_alts: off\n").fails(
        &[],
        &[
            "error: site.yaml:6:3:",
            "image_alts",
            "did you mean `image_alt`?",
        ],
    );
}

#[test]
fn a_level_that_is_not_error_warning_or_off_is_an_error() {
    let b = built();
    b.configure("checks:\n  link_text: loud\n")
        .fails(&[], &["error: site.yaml:6:", "loud"]);
}

// ---------------------------------------------------------------------------------------
// The sanitizer
// ---------------------------------------------------------------------------------------

#[test]
fn everything_the_sanitizer_removes_is_a_warning_naming_it_at_its_line() {
    let body = [
        "Intro.",
        "",
        "<svg viewBox=\"0 0 10 10\"><circle r=\"4\"/></svg>",
        "",
        "<video src=\"/talk.mp4\" controls></video>",
        "",
        "<audio src=\"/talk.mp3\"></audio>",
        "",
        "<p style=\"color: red\">Red.</p>",
        "",
        "A <a href=\"&#106;avascript:alert(1)\">trick</a>.",
    ]
    .join("\n");
    let b = built();
    let err = b.write(POST, &post(&body)).passes(&[]);
    for expected in [
        ":7:1: removed from raw HTML: <svg>",
        ":7:26: removed from raw HTML: <circle>",
        ":9:1: removed from raw HTML: <video>",
        ":11:1: removed from raw HTML: <audio>",
        ":13:1: removed from raw HTML: the style attribute of <p>",
        ":15:3: removed from raw HTML: the href attribute of <a>",
    ] {
        assert!(
            err.contains(&format!("warning: content/blog/2017-08-06-x.md{expected}")),
            "{expected}:\n{err}"
        );
    }
    let page = b.site.output_file("blog/x/index.html");
    assert!(
        !page.contains("<svg viewBox") && !page.contains("avascript"),
        "{page}"
    );
}
