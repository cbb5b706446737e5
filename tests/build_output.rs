//! What a successful build writes: the example site, reproducibility, a pinned snapshot of
//! a small site with its own templates, and the rules about which files end up where.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{assert_built, assert_same_tree, repo, stderr, tree, Site};

const POST: &str = "content/blog/2017-08-06-x.md";

// ---------------------------------------------------------------------------------------
// The example site in the repository
// ---------------------------------------------------------------------------------------

#[test]
fn example_site_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let output = common::build(&repo(), &out, &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{err}");
    assert!(!err.contains("warning"), "the example site warns:\n{err}");
    for file in [
        "index.html",
        "404.html",
        "about/index.html",
        "blog/index.html",
        "blog/concordat-published/index.html",
        "blog/taking-the-concordat-on-the-road/chart.svg",
        "concordat/index.html",
        "concordat/all/index.html",
        "events/index.html",
        "videos/index.html",
        "tags/index.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(out.join(file).is_file(), "the build did not write {file}");
    }
}

#[test]
fn two_builds_with_the_same_now_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_built(&common::build(&repo(), &a, &[]));
    assert_built(&common::build(&repo(), &b, &[]));
    let (first, second) = (tree(&a), tree(&b));
    assert!(first.len() > 40, "only {} files were written", first.len());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    assert_same_tree(&first, &second, "the second build differs from the first");
}

// ---------------------------------------------------------------------------------------
// A small site with its own templates, whose whole output is pinned
// ---------------------------------------------------------------------------------------

/// `style.22293e07.css` → `style.css`.
fn without_fingerprint(rel: &str) -> String {
    let (dir, name) = rel.rsplit_once('/').map_or(("", rel), |(d, n)| (d, n));
    let parts: Vec<&str> = name.split('.').collect();
    let name = match parts.as_slice() {
        [stem @ .., hash, ext]
            if !stem.is_empty()
                && hash.len() == 8
                && hash.chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            format!("{}.{ext}", stem.join("."))
        }
        _ => name.to_string(),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// The whole output as one text: the file list, then every text file under a header.
/// Files that come from the default theme's static/ folder are left out (the theme is not
/// what this snapshot is about), and generated stylesheets are listed without contents.
fn describe_output(out: &Path, site: &Path) -> String {
    let theme_statics: BTreeSet<String> = tree(&repo().join("themes/default/static"))
        .into_keys()
        .collect();
    let own_statics: BTreeSet<String> = tree(&site.join("static")).into_keys().collect();
    let files: Vec<(String, Vec<u8>)> = tree(out)
        .into_iter()
        .filter(|(rel, _)| {
            let plain = without_fingerprint(rel);
            !theme_statics.contains(&plain) || own_statics.contains(&plain)
        })
        .collect();
    let mut text = String::from("files:\n");
    for (rel, _) in &files {
        text.push_str(&format!("  {rel}\n"));
    }
    for (rel, bytes) in &files {
        text.push_str(&format!("\n=== {rel}\n"));
        match std::str::from_utf8(bytes) {
            _ if without_fingerprint(rel) == "highlight.css" => {
                text.push_str("(generated code-highlighting stylesheet)\n");
            }
            Ok(s) => {
                // Snapshots compare text with normalised line endings: keep CRLF visible.
                text.push_str(&s.replace('\r', "\u{240d}"));
                if !s.ends_with('\n') {
                    text.push('\n');
                }
            }
            Err(_) => text.push_str(&format!("(binary, {} bytes)\n", bytes.len())),
        }
    }
    text
}

#[test]
fn snapshot_site_output_is_pinned() {
    let site = common::fixture("snapshot");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = common::build(&site, &out, &[]);
    assert_built(&output);
    assert!(
        !stderr(&output).contains("warning"),
        "stderr:\n{}",
        stderr(&output)
    );
    insta::assert_snapshot!("snapshot_site", describe_output(&out, &site));
}

// ---------------------------------------------------------------------------------------
// Which files end up where
// ---------------------------------------------------------------------------------------

#[test]
fn page_bundle_files_are_copied_beside_the_page() {
    let site = Site::copy("minimal");
    let chart = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>\n";
    site.write(
        "content/blog/2017-09-01-bundle/index.md",
        "---\ntitle: A bundle\n---\n\n![A chart](chart.svg)\n",
    );
    site.write("content/blog/2017-09-01-bundle/chart.svg", chart);
    assert_built(&site.build(&[]));
    assert_eq!(
        std::fs::read(site.out.join("blog/bundle/chart.svg")).unwrap(),
        chart
    );
    assert!(site
        .output_file("blog/bundle/index.html")
        .contains("src=\"/blog/bundle/chart.svg\""));
    assert!(
        !site.out.join("blog/2017-09-01-bundle").exists(),
        "the bundle's files were also copied under the source folder's name"
    );
}

#[test]
fn page_bundle_sub_folders_keep_their_relative_paths() {
    // `[the data](data/table.csv)` in the bundle's index.md must keep working, and two
    // files with the same name in different sub-folders must not overwrite each other.
    let site = Site::copy("minimal");
    site.write(
        "content/blog/2017-09-01-bundle/index.md",
        "---\ntitle: A bundle\n---\n\n[The data](data/table.csv), [the old data](old/table.csv).\n",
    );
    site.write("content/blog/2017-09-01-bundle/data/table.csv", "new\n");
    site.write("content/blog/2017-09-01-bundle/old/table.csv", "old\n");
    assert_built(&site.build(&[]));
    let written: Vec<String> = tree(&site.out).into_keys().collect();
    let csv: Vec<&String> = written.iter().filter(|k| k.ends_with(".csv")).collect();
    assert_eq!(
        csv,
        ["blog/bundle/data/table.csv", "blog/bundle/old/table.csv"],
        "bundle files in sub-folders were written elsewhere"
    );
    assert_eq!(site.output_file("blog/bundle/data/table.csv"), "new\n");
}

#[test]
fn hidden_files_and_editor_backups_are_ignored() {
    let site = Site::copy("minimal");
    // Each of these would break the build if it were read as a page.
    let broken = "this is not front matter\n";
    site.write("content/blog/.x.md", broken);
    site.write("content/blog/2017-08-06-x.md~", broken);
    site.write(
        "content/blog/2017-08-06-x.md.swp",
        b"\x00\x01binary swap\xff",
    );
    site.write("content/blog/#2017-08-06-x.md#", broken);
    site.write("content/.hidden/page.md", broken);
    site.write("content/.DS_Store", b"\x00\x00\x00\x01Bud1");
    let output = site.build(&[]);
    assert_built(&output);
    let written: Vec<String> = tree(&site.out).into_keys().collect();
    for name in ["x.md", "~", ".swp", "#", ".hidden", "DS_Store"] {
        assert!(
            !written.iter().any(|k| k.contains(name)),
            "{name} ended up in the output: {written:?}"
        );
    }
    assert!(!site.output_file("sitemap.xml").contains("hidden"));
}

#[test]
fn drafts_are_built_only_with_the_drafts_flag() {
    let site = Site::copy("minimal");
    site.write(
        "content/blog/2017-09-01-unfinished.md",
        "---\ntitle: Unfinished thoughts\ndraft: true\ntags: [secret]\n---\n\nNot ready.\n",
    );
    assert_built(&site.build(&[]));
    assert!(!site.out.join("blog/unfinished").exists());
    assert!(!site.out.join("tags/secret").exists());
    for file in ["blog/index.html", "index.html", "sitemap.xml", "atom.xml"] {
        let text = site.output_file(file);
        assert!(
            !text.contains("/blog/unfinished/") && !text.contains("Unfinished thoughts"),
            "{file} mentions the draft"
        );
    }

    assert_built(&site.build(&["--drafts"]));
    assert!(site
        .output_file("blog/unfinished/index.html")
        .contains("Unfinished thoughts"));
    assert!(site
        .output_file("blog/index.html")
        .contains("/blog/unfinished/"));
}

#[test]
fn pagination_writes_numbered_list_pages() {
    let site = Site::copy("minimal");
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: post\npaginate: 1\n---\n\nThe blog.\n",
    );
    site.write(
        "content/blog/2017-09-01-newer.md",
        "---\ntitle: A newer post\n---\n\nNewer.\n",
    );
    assert_built(&site.build(&[]));
    let first = site.output_file("blog/index.html");
    let second = site.output_file("blog/page/2/index.html");
    assert!(
        first.contains("/blog/newer/") && !first.contains("href=\"/blog/x/\""),
        "page 1 should list only the newest post"
    );
    assert!(
        first.contains("/blog/page/2/"),
        "page 1 does not link to page 2"
    );
    assert!(second.contains("/blog/x/"), "page 2 lacks the older post");
    assert!(!site.out.join("blog/page/3").exists());
    assert!(
        !site.out.join("blog/page/1").exists(),
        "page 1 lives at /blog/"
    );
}

#[test]
fn aliases_write_redirect_pages() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: A first post\naliases: [\"/old/x/\", \"/2017/08/06/x.html\", \"news/x\"]\n---\n\nBody.\n",
    );
    assert_built(&site.build(&[]));
    for file in ["old/x/index.html", "2017/08/06/x.html", "news/x/index.html"] {
        let html = site.output_file(file);
        assert!(
            html.contains("http-equiv=\"refresh\"")
                && html.contains("https://minimal.example.org/blog/x/"),
            "{file} is not a redirect to the post:\n{html}"
        );
    }
    assert!(site
        .output_file("blog/x/index.html")
        .contains("A first post"));
}

/// Every file and folder under `dir` whose name is `name`.
fn find_named(dir: &Path, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() == name {
                found.push(entry.path().display().to_string());
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            }
        }
    }
    found
}

#[test]
fn aliases_and_slugs_cannot_write_outside_out() {
    let bad = [
        ("aliases", "[\"/../../../escaped/\"]", "3:11"),
        ("aliases", "[\"../escaped\"]", "3:11"),
        ("aliases", "[\"/a/../../../escaped/index.html\"]", "3:11"),
        ("aliases", "[\"..\\\\..\\\\escaped\"]", "3:11"),
        ("aliases", "[\"/./../escaped\"]", "3:11"),
        ("slug", "\"..\"", "3:7"),
        ("slug", "../../escaped", "3:7"),
        ("slug", "\"..\\\\escaped\"", "3:7"),
        ("slug", "/escaped", "3:7"),
    ];
    for (field, value, position) in bad {
        let mut site = Site::copy("minimal");
        site.out = site.tmp.path().join("a/b/out");
        site.write(
            POST,
            format!("---\ntitle: A first post\n{field}: {value}\n---\n\nBody.\n"),
        );
        let output = site.build(&[]);
        let err = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{field}: {value} was accepted; stderr:\n{err}"
        );
        let location = format!("{POST}:{position}: {field}");
        assert!(
            err.contains(&location),
            "{field}: {value}: stderr lacks {location}:\n{err}"
        );
        assert!(!site.out.exists(), "a failed first build created --out");
        let escaped = find_named(site.tmp.path(), "escaped");
        assert!(escaped.is_empty(), "{field}: {value} wrote {escaped:?}");
    }
}

#[test]
fn aliases_cannot_replace_other_output_files() {
    // An alias naming a file the build writes anyway must be refused like a duplicate URL,
    // pointing at the alias; it must never silently replace that file.
    let mut problems = Vec::new();
    for alias in [
        "/index.html",
        "/404.html",
        "/blog/x/index.html",
        "/blog/index.html",
        "/robots.txt",
    ] {
        let site = Site::copy("minimal");
        site.write(
            POST,
            format!("---\ntitle: A first post\naliases: [\"{alias}\"]\n---\n\nBody.\n"),
        );
        let output = site.build(&[]);
        let err = stderr(&output);
        let location = format!("{POST}:3:11:");
        if output.status.code() != Some(1) || !err.contains(&location) {
            problems.push(format!(
                "alias {alias}: exit code {:?}, stderr: {:?}",
                output.status.code(),
                err.trim()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "aliases that collide with generated files:\n{}",
        problems.join("\n")
    );
}
