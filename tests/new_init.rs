//! `pamphlet init` (a new site) and `pamphlet new` (a draft with a complete front matter).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_built, pamphlet, stderr, stdout};

/// `pamphlet init <tmp>/site`, checked; returns the temporary folder and the site.
fn init_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let output = pamphlet().arg("init").arg(&site).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "pamphlet init failed:\n{}",
        stderr(&output)
    );
    (tmp, site)
}

/// `pamphlet new <kind> <title> --root <site>`.
fn new(site: &Path, kind: &str, title: &str) -> Output {
    pamphlet()
        .args(["new", kind, title, "--root"])
        .arg(site)
        .output()
        .unwrap()
}

/// The name of every kind of page, from the registry.
fn kind_names() -> impl Iterator<Item = &'static str> {
    pamphlet::content::KINDS.iter().map(|spec| spec.name)
}

/// Today's date as `pamphlet new` sees it.
fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// The front matter of a Markdown file: the keys set (not commented out) between the `---` lines.
fn front_matter_keys(text: &str) -> Vec<String> {
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("no front matter opening line:\n{text}"));
    let end = rest
        .find("\n---\n")
        .unwrap_or_else(|| panic!("no front matter closing line:\n{text}"));
    rest[..end + 1]
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().to_string()))
        .collect()
}

fn assert_has_keys(text: &str, keys: &[&str], what: &str) {
    let found = front_matter_keys(text);
    for key in keys {
        assert!(
            found.iter().any(|k| k == key),
            "{what}: no `{key}:` in the front matter (found {found:?}):\n{text}"
        );
    }
}

#[test]
fn init_then_build_works_without_warnings() {
    let (tmp, site) = init_site();
    assert!(site.join("site.yaml").is_file());
    let out = tmp.path().join("out");
    let output = pamphlet()
        .arg("build")
        .arg("--root")
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_built(&output);
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        !all.to_lowercase().contains("warning"),
        "the new site builds with warnings:\n{all}"
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taken");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let output = pamphlet().arg("init").arg(&dir).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "init into a non-empty folder:\n{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("not empty"), "{}", stderr(&output));
    assert_eq!(common::names_in(&dir), vec!["notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn new_post_writes_a_dated_draft_with_a_complete_front_matter() {
    let (_tmp, site) = init_site();
    let before = today();
    let output = new(&site, "post", "Hello World");
    let after = today();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let candidates: Vec<String> = [before, after]
        .iter()
        .map(|d| format!("content/blog/{d}-hello-world.md"))
        .collect();
    let rel = candidates
        .iter()
        .find(|c| site.join(c).is_file())
        .unwrap_or_else(|| {
            panic!(
                "none of {candidates:?} was written; content/blog holds {:?}",
                common::names_in(&site.join("content/blog"))
            )
        });
    assert!(
        stdout(&output).contains(rel.as_str()),
        "the message does not name {rel}:\n{}",
        stdout(&output)
    );
    let text = std::fs::read_to_string(site.join(rel)).unwrap();
    assert_has_keys(
        &text,
        &["title", "date", "draft", "summary", "tags", "authors"],
        rel,
    );
    assert!(text.contains("\ntitle: \"Hello World\"\n"), "{text}");
    assert!(text.contains("\ndraft: true\n"), "{text}");
    let date = &rel["content/blog/".len().."content/blog/".len() + 10];
    assert!(text.contains(&format!("\ndate: {date}\n")), "{text}");
}

#[test]
fn new_writes_each_kind_into_its_section() {
    let (_tmp, site) = init_site();
    for (kind, rel, keys) in [
        (
            "event",
            "content/events/hello-world.md",
            &["title", "draft", "start", "end", "format", "venue"][..],
        ),
        (
            "video",
            "content/videos/hello-world.md",
            &["title", "draft", "provider", "id"][..],
        ),
        (
            "chapter",
            "content/document/hello-world.md",
            &["title", "draft", "number"][..],
        ),
        ("page", "content/hello-world.md", &["title", "draft"][..]),
    ] {
        let output = new(&site, kind, "Hello World");
        assert_eq!(
            output.status.code(),
            Some(0),
            "new {kind}:\n{}",
            stderr(&output)
        );
        let path = site.join(rel);
        assert!(
            path.is_file(),
            "new {kind} did not write {rel}:\n{}",
            stdout(&output)
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert_has_keys(&text, keys, rel);
        assert!(text.contains("\ndraft: true\n"), "{rel}:\n{text}");
    }
    // The new chapter comes after the one the site starts with.
    let chapter = std::fs::read_to_string(site.join("content/document/hello-world.md")).unwrap();
    assert!(chapter.contains("\nnumber: 2\n"), "{chapter}");
}

#[test]
fn new_sections_are_found_by_kind_not_by_folder_name() {
    // The minimal fixture keeps its chapters in content/concordat/.
    let site = common::Site::copy("minimal");
    let output = new(&site.root, "chapter", "A third chapter");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text =
        std::fs::read_to_string(site.root.join("content/concordat/a-third-chapter.md")).unwrap();
    assert!(text.contains("\nnumber: 3\n"), "{text}");
    let output = new(&site.root, "event", "A second workshop");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(site
        .root
        .join("content/events/a-second-workshop.md")
        .is_file());
}

#[test]
fn new_twice_refuses_and_leaves_the_file_alone() {
    let (_tmp, site) = init_site();
    for kind in kind_names() {
        let first = new(&site, kind, "Same Title");
        assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
        let rel = stdout(&first)
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("no path in {:?}", stdout(&first)))
            .to_string();
        let path = site.join(&rel);
        // The author has started writing.
        let edited = format!(
            "{}\nMy own words.\n",
            std::fs::read_to_string(&path).unwrap()
        );
        std::fs::write(&path, &edited).unwrap();

        let second = new(&site, kind, "Same Title");
        assert_eq!(
            second.status.code(),
            Some(2),
            "new {kind} twice:\nstdout:\n{}\nstderr:\n{}",
            stdout(&second),
            stderr(&second)
        );
        assert!(
            stderr(&second).contains("already exists"),
            "{}",
            stderr(&second)
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            edited,
            "new {kind} twice changed {rel}"
        );
    }
}

#[test]
fn a_new_post_builds_with_drafts() {
    let (tmp, site) = init_site();
    let output = new(&site, "post", "Hello World");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let out = tmp.path().join("out");
    let build = |extra: &[&str]| {
        pamphlet()
            .arg("build")
            .arg("--root")
            .arg(&site)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let output = build(&["--drafts"]);
    assert_built(&output);
    let page = std::fs::read_to_string(out.join("blog/hello-world/index.html"))
        .expect("the draft post is not in a --drafts build");
    assert!(page.contains("Hello World"));

    // Without --drafts it is left out.
    let output = build(&[]);
    assert_built(&output);
    assert!(!out.join("blog/hello-world/index.html").exists());
}

#[test]
fn every_new_skeleton_builds_and_each_draft_is_published_with_drafts() {
    let (tmp, site) = init_site();
    let mut written = Vec::new();
    for kind in kind_names() {
        let output = new(&site, kind, &format!("A new {kind}"));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        written.push(stdout(&output));
    }
    let out = tmp.path().join("out");
    let output = pamphlet()
        .args(["build", "--drafts", "--root"])
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_built(&output);
    // The only warnings are about the placeholders left to fill in (see tests/schedule.rs).
    let all = stderr(&output);
    let warnings: Vec<&str> = all.lines().filter(|l| l.starts_with("warning")).collect();
    assert!(
        warnings
            .iter()
            .all(|w| w.ends_with(", a placeholder to fill in")),
        "the skeletons give other warnings:\n{all}"
    );
    for slug in kind_names().map(|kind| format!("a-new-{kind}")) {
        let found = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .any(|e| e.file_name() == slug.as_str() && e.path().join("index.html").is_file());
        assert!(found, "no page for {slug} after writing {written:?}");
    }
}

#[test]
fn new_creates_the_section_a_site_lacks() {
    let site = common::Site::copy("minimal");
    let output = new(&site.root, "video", "First recording");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let section = std::fs::read_to_string(site.root.join("content/videos/_index.md"))
        .expect("a videos section is created");
    assert!(section.contains("kind: video"), "{section}");
    assert!(site
        .root
        .join("content/videos/first-recording.md")
        .is_file());
}

#[test]
fn a_site_with_no_sections_gets_one_of_its_own_for_each_kind_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "title: Bare\nbase_url: https://bare.example.org\n",
    )
    .unwrap();
    let mut folders = Vec::new();
    for spec in pamphlet::content::KINDS {
        let output = new(&site, spec.name, &format!("First {}", spec.name));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let Some(usual) = spec.section else {
            assert!(site
                .join(format!("content/first-{}.md", spec.name))
                .is_file());
            continue;
        };
        let index = std::fs::read_to_string(site.join("content").join(usual.dir).join("_index.md"))
            .unwrap_or_else(|e| {
                panic!("new {}: no content/{}/_index.md: {e}", spec.name, usual.dir)
            });
        assert!(
            index.contains(&format!("\nkind: {}\n", spec.name)),
            "{index}"
        );
        let rel = stdout(&output)
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        assert!(
            rel.starts_with(&format!("content/{}/", usual.dir))
                && rel.ends_with(&format!("first-{}.md", spec.name))
                && site.join(&rel).is_file(),
            "new {} did not write into content/{}/: {}",
            spec.name,
            usual.dir,
            stdout(&output)
        );
        assert!(!folders.contains(&usual.dir), "{} is shared", usual.dir);
        folders.push(usual.dir);
    }
    let output = pamphlet()
        .args(["build", "--drafts", "--root"])
        .arg(&site)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_built(&output);
}

#[test]
fn an_unknown_kind_names_the_kinds_there_are() {
    let (_tmp, site) = init_site();
    let output = new(&site, "article", "Hello");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "error: `article` is not a kind of page; use post, event, video, chapter or page"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn new_outside_a_site_says_what_is_missing_once() {
    let tmp = tempfile::tempdir().unwrap();
    let output = new(tmp.path(), "post", "Hello");
    assert_ne!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert!(err.contains("site.yaml"), "{err}");
    assert!(!err.contains("error: error:"), "{err}");
}

#[test]
fn a_very_long_title_gives_a_short_file_name() {
    let (_tmp, site) = init_site();
    let title = "A very long title ".repeat(300);
    let output = new(&site, "page", &title);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rel = stdout(&output)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    let name = std::path::Path::new(&rel)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.len() <= 83, "{name}");
    let text = std::fs::read_to_string(site.join(&rel)).unwrap();
    assert!(text.contains(title.trim()), "the title is kept whole");
}
