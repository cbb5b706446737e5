//! Builds that do not run undisturbed: killed at any moment, they leave the old or the new
//! output whole and the next build removes what they left.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{assert_built, copy_dir, fixture, names_in, tree, Tree, NOW};

/// How many pages the large site has: enough for a build to take a while.
const PAGES: usize = 2000;

/// Writes a site of [`PAGES`] notes (plus the minimal fixture) at `root`, titled `version`;
/// the second version has a few more pages, so that the two outputs differ in every page and
/// in their list of files.
fn write_large_site(root: &Path, version: &str) {
    if !root.join("content").is_dir() {
        copy_dir(&fixture("minimal"), root);
        std::fs::create_dir_all(root.join("content/notes")).unwrap();
        std::fs::write(
            root.join("content/notes/_index.md"),
            "---\ntitle: Notes\n---\n\nAll the notes.\n",
        )
        .unwrap();
    }
    let extra = if version == "B" { 25 } else { 0 };
    for n in 0..PAGES + 25 {
        let path = root.join(format!("content/notes/note-{n:05}.md"));
        if n >= PAGES + extra {
            let _ = std::fs::remove_file(path);
            continue;
        }
        let text = format!(
            "---\ntitle: Note {n}\n---\n\nThe note number {n}, with *some* text to render.\n\n\
             ## A heading\n\nA [link](@/notes/note-{:05}.md) and a list:\n\n- one\n- two\n",
            (n + 1) % PAGES
        );
        std::fs::write(path, text).unwrap();
    }
    let yaml = std::fs::read_to_string(fixture("minimal").join("site.yaml")).unwrap();
    let yaml = yaml.replace(
        "title: Minimal Test Site",
        &format!("title: Version {version}"),
    );
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
}

/// `pamphlet build` of `root` into `out`, started and not waited for.
fn start_build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(["--now", NOW])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Which of the two reference outputs `out` is, whole; panics naming what is wrong otherwise.
fn whole_version(out: &Path, a: &Tree, b: &Tree, when: &str) -> &'static str {
    assert!(out.is_dir(), "{when}: there is no output folder at all");
    let found = tree(out);
    match (found == *a, found == *b) {
        (true, _) => "A",
        (_, true) => "B",
        _ => {
            let differ = |r: &Tree| {
                r.iter().filter(|(k, v)| found.get(*k) != Some(*v)).count()
                    + found.keys().filter(|k| !r.contains_key(*k)).count()
            };
            panic!(
                "{when}: the output is neither build whole ({} files differ from A, {} from B)",
                differ(a),
                differ(b)
            )
        }
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_one_whole_output_and_the_next_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let refs = tempfile::tempdir().unwrap();
    let root = refs.path().join("site");
    let out = tmp.path().join("public");
    let reference = |version: &str| {
        write_large_site(&root, version);
        let dir = refs.path().join(version);
        assert_built(&common::build(&root, &dir, &[]));
        tree(&dir)
    };
    let a = reference("A");
    let b = reference("B");
    assert!(a != b, "the two versions build the same output");
    write_large_site(&root, "A");
    let started = Instant::now();
    assert_built(&common::build(&root, &out, &[]));
    let full = started.elapsed();
    let mut current = "A";
    let mut killed_while_running = 0;
    for kill in 0..20u32 {
        let next = if current == "A" { "B" } else { "A" };
        write_large_site(&root, next);
        // From the start of the process to a little past a whole build.
        let delay = full.mul_f64(1.2 * f64::from(kill) / 19.0);
        let mut child = start_build(&root, &out);
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let when = format!("after a kill {} ms into the build", delay.as_millis());
        current = whole_version(&out, &a, &b, &when);
    }
    assert!(
        killed_while_running >= 10,
        "only {killed_while_running} of 20 kills came while the build ran"
    );
    write_large_site(&root, "B");
    assert_built(&common::build(&root, &out, &[]));
    assert_eq!(whole_version(&out, &a, &b, "after a full build"), "B");
    assert_eq!(
        names_in(tmp.path()),
        ["public"],
        "the build left what killed builds had left next to the output"
    );
}

#[test]
fn a_build_cleans_up_even_when_it_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    copy_dir(&fixture("minimal"), &root);
    assert_built(&common::build(&root, &out, &[]));
    // What a build killed while writing leaves (written by an older pamphlet: no lock file).
    std::fs::create_dir_all(tmp.path().join(".public.pamphlet-staging-4242/blog")).unwrap();
    std::fs::write(
        tmp.path().join(".public.pamphlet-staging-4242/blog/x.html"),
        "",
    )
    .unwrap();
    std::fs::write(
        root.join("content/blog/2017-08-06-x.md"),
        "---\ntitle: [\n---\n",
    )
    .unwrap();
    let failed = common::build(&root, &out, &[]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(names_in(tmp.path()), ["public", "site"]);
}
