//! Where outputs live: every output has one owner, and a name no file system could hold is
//! an error at its line, the same in `check` and `build`.

mod common;

use std::process::Output;

use common::{pamphlet, stderr, stdout, Site, NOW};

const POST: &str = "content/blog/2017-08-06-x.md";

// ---------------------------------------------------------------------------------------
// One owner per output
// ---------------------------------------------------------------------------------------

/// Runs `check` (or `build`) and returns its exit code and stderr.
fn run(site: &Site, command: &str, extra: &[&str]) -> (Option<i32>, String) {
    let output: Output = match command {
        "build" => site.build(extra),
        _ => pamphlet()
            .args(["check", "--root"])
            .arg(&site.root)
            .args(["--now", NOW])
            .args(extra)
            .output()
            .unwrap(),
    };
    (output.status.code(), stderr(&output))
}

/// `check` and `build` both fail with the same errors, each of which holds `expected`.
fn both_fail_with(site: &Site, expected: &[&str]) -> String {
    let (check_code, check_err) = run(site, "check", &[]);
    let (build_code, build_err) = run(site, "build", &[]);
    assert_eq!(check_code, Some(1), "check passed:\n{check_err}");
    assert_eq!(build_code, Some(1), "build passed:\n{build_err}");
    let errors = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.ends_with("untouched") && !l.ends_with("nothing was written"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        errors(&check_err),
        errors(&build_err),
        "check and build disagree"
    );
    for e in expected {
        assert!(check_err.contains(e), "stderr lacks {e:?}:\n{check_err}");
    }
    assert!(!site.out.exists(), "a failed build wrote its output");
    check_err
}

#[test]
fn an_author_page_and_a_page_at_the_same_url_are_an_error() {
    let site = Site::copy("minimal");
    site.write(
        "site.yaml",
        "title: Minimal Test Site\nbase_url: https://minimal.example.org\nauthors:\n  jane:\n    name: Jane Doe\n",
    );
    site.write(
        POST,
        "---\ntitle: A first post\nauthors: [jane]\n---\n\nBody.\n",
    );
    site.write(
        "content/authors/jane.md",
        "---\ntitle: About Jane\n---\n\nHi.\n",
    );
    let first = both_fail_with(
        &site,
        &["error: content/authors/jane.md: the URL /authors/jane/ is also written by the author page of \"jane\" (site.yaml:4)"],
    );
    // The same every time, whichever thread gets there first.
    for _ in 0..3 {
        assert_eq!(run(&site, "check", &[]).1, first);
    }
    site.write(
        "content/authors/jane.md",
        "---\ntitle: About Jane\nslug: jane\n---\n\nHi.\n",
    );
    both_fail_with(
        &site,
        &["error: content/authors/jane.md:3:7: the URL /authors/jane/ is also written by the author page"],
    );
}

#[test]
fn a_page_at_a_list_page_or_whole_document_url_is_an_error() {
    let site = Site::copy("minimal");
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: post\npaginate: 1\n---\n",
    );
    site.write(
        "content/blog/2017-09-01-second.md",
        "---\ntitle: A second post\n---\n\nBody.\n",
    );
    site.write(
        "content/blog/page/two.md",
        "---\ntitle: Two\ndate: 2017-01-01\nslug: \"2\"\n---\n\nBody.\n",
    );
    both_fail_with(
        &site,
        &["error: content/blog/page/two.md:4:7: the URL /blog/page/2/ is also written by page 2 of the list of content/blog/_index.md"],
    );

    let site = Site::copy("minimal");
    site.write(
        "content/concordat/03-z.md",
        "---\ntitle: Everything\nslug: all\n---\n\nBody.\n",
    );
    both_fail_with(
        &site,
        &["error: content/concordat/03-z.md:3:7: the URL /concordat/all/ is also written by the whole-document page of content/concordat/_index.md"],
    );
}

#[test]
fn an_alias_over_a_generated_page_is_an_error_at_its_line() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: A first post\ntags: [prevention]\naliases:\n  - /old/\n  - /tags/prevention/\n---\n\nBody.\n",
    );
    both_fail_with(
        &site,
        &["error: content/blog/2017-08-06-x.md:6:5: the URL /tags/prevention/ is also written by the tag page for \"prevention\""],
    );
}

// ---------------------------------------------------------------------------------------
// Names a file system cannot hold
// ---------------------------------------------------------------------------------------

/// `check --json` and `build --json`: the errors, which must agree.
fn json_errors(site: &Site) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    for command in ["check", "build"] {
        let output = match command {
            "build" => site.build(&["--json"]),
            _ => pamphlet()
                .args(["check", "--json", "--root"])
                .arg(&site.root)
                .output()
                .unwrap(),
        };
        let report: serde_json::Value = serde_json::from_str(stdout(&output).trim())
            .unwrap_or_else(|e| panic!("{command} --json: {e}: {}", stdout(&output)));
        found.push(report["errors"].as_array().unwrap().clone());
    }
    assert_eq!(found[0], found[1], "check --json and build --json disagree");
    found.remove(0)
}

#[test]
fn names_too_long_or_unwritable_are_errors_at_their_line_in_check_and_build() {
    let long = "a".repeat(300);
    let cases = [
        (
            format!("slug: {long}"),
            "content/blog/2017-08-06-x.md:3:7: slug: \"aaaa",
            (3, 7),
        ),
        (
            format!("tags: [policy, {long}]"),
            "content/blog/2017-08-06-x.md:3:16: tags: \"aaaa",
            (3, 16),
        ),
        (
            "aliases: [\"/C:/old/\"]".to_string(),
            "content/blog/2017-08-06-x.md:3:11: aliases: \"/C:/old/\" is not a safe URL path: it holds \":\"",
            (3, 11),
        ),
        (
            "aliases:\n  - /fine/\n  - \"/a\\0b/\"".to_string(),
            "content/blog/2017-08-06-x.md:5:5: aliases: \"/a\\u{0}b/\" is not a safe URL path: it holds a control character",
            (5, 5),
        ),
    ];
    for (field, expected, (line, col)) in cases {
        let site = Site::copy("minimal");
        site.write(
            POST,
            format!("---\ntitle: A first post\n{field}\n---\n\nBody.\n"),
        );
        let err = both_fail_with(&site, &[expected]);
        assert!(err.contains("hint: "), "no hint:\n{err}");
        let errors = json_errors(&site);
        assert_eq!(errors.len(), 1, "{field}: {errors:?}");
        assert_eq!(errors[0]["path"], POST, "{field}: {errors:?}");
        assert_eq!(errors[0]["line"], line, "{field}: {errors:?}");
        assert_eq!(errors[0]["col"], col, "{field}: {errors:?}");
    }
}

#[test]
fn an_author_key_too_long_for_a_file_name_is_an_error_in_site_yaml() {
    let site = Site::copy("minimal");
    let key = "j".repeat(300);
    site.write(
        "site.yaml",
        format!("title: Minimal Test Site\nbase_url: https://minimal.example.org\nauthors:\n  {key}:\n    name: Jane Doe\n"),
    );
    site.write(
        POST,
        format!("---\ntitle: A first post\nauthors: [{key}]\n---\n\nBody.\n"),
    );
    both_fail_with(&site, &["error: site.yaml:4:3: authors: \"jjjj"]);
}
