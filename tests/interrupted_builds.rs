//! Builds that do not run undisturbed: killed at any moment, they leave the old or the new
//! output whole and the next build removes what they left; a page rewritten or removed while
//! they run is an error naming it, never a page made of half of each version.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_built, copy_dir, fixture, names_in, tree, Tree, NOW};

/// How many pages the large site has: enough for a build to take a while.
const PAGES: usize = 2000;

/// Writes the minimal fixture at `root` with a section of notes (none yet).
fn write_site(root: &Path) {
    copy_dir(&fixture("minimal"), root);
    std::fs::create_dir_all(root.join("content/notes")).unwrap();
    std::fs::write(
        root.join("content/notes/_index.md"),
        "---\ntitle: Notes\n---\n\nAll the notes.\n",
    )
    .unwrap();
}

/// Makes the notes `content/notes/note-00000.md`… the first `count`, each of its title and its
/// body saying `version`. Each file is replaced in one step (written beside, renamed over), so
/// that a build reads either the old or the new file whole.
fn write_notes(root: &Path, count: usize, version: &str) {
    let dir = root.join("content/notes");
    for n in 0..count {
        let text = format!(
            "---\ntitle: Note {n}, version {version}\n---\n\nBody of version {version}, with \
             *some* text to render.\n\n## A heading\n\nA [link](@/concordat/01-x.md) and a \
             list:\n\n- one\n- two\n"
        );
        let beside = dir.join(format!(".note-{n:05}.md.new"));
        std::fs::write(&beside, text).unwrap();
        std::fs::rename(&beside, dir.join(format!("note-{n:05}.md"))).unwrap();
    }
    for n in count.. {
        if std::fs::remove_file(dir.join(format!("note-{n:05}.md"))).is_err() {
            break;
        }
    }
}

/// Removes the notes from number `from` on, the quickest change a build can meet.
fn remove_notes(root: &Path, from: usize) {
    let dir = root.join("content/notes");
    for n in from.. {
        if std::fs::remove_file(dir.join(format!("note-{n:05}.md"))).is_err() {
            break;
        }
    }
}

/// The large site as `version` A or B: B has a few more pages, and the site's title says which,
/// so that the two outputs differ in every page and in their list of files.
fn write_large_site(root: &Path, version: &str) {
    if !root.join("content/notes").is_dir() {
        write_site(root);
    }
    let count = if version == "B" { PAGES + 25 } else { PAGES };
    write_notes(root, count, version);
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
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Builds `root` into `out`, runs `meddle` `delay` after the start, and returns the build's
/// exit code and what it wrote to stderr.
fn meddle_during_build(
    root: &Path,
    out: &Path,
    delay: Duration,
    meddle: impl FnOnce(),
) -> (Option<i32>, String) {
    let child = start_build(root, out);
    std::thread::sleep(delay);
    meddle();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The version a note's page shows in its title and the one in its body.
fn versions_shown(out: &Path, n: usize) -> Option<(String, String)> {
    let html = std::fs::read_to_string(out.join(format!("notes/note-{n:05}/index.html"))).ok()?;
    let after = |marker: &str| {
        html.split_once(marker).map(|(_, rest)| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
    };
    let title = after(&format!("Note {n}, version ")).unwrap_or_default();
    let body = after("Body of version ").unwrap_or_default();
    Some((title, body))
}

/// Asserts that every note page of a finished build shows one version of its file whole.
fn assert_notes_whole(out: &Path, count: usize, when: &str) {
    for n in 0..count {
        if let Some((title, body)) = versions_shown(out, n) {
            assert!(
                !body.is_empty() && title == body,
                "{when}: the page of note {n} has the title of version {title:?} and the body \
                 of version {body:?}"
            );
        }
    }
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
        // From the start of the process to a little past a whole build. The machine may be
        // busier or quieter than when `full` was measured, so fewer kills than planned may come
        // while a build runs; the check below asks for a quarter of them.
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
        killed_while_running >= 5,
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

/// How many notes the sites of the races have.
const RACED: usize = 1000;

/// The delay before the `attempt`th meddling: spread over the reading and rendering stages.
fn delay(attempt: u32) -> Duration {
    Duration::from_millis(10 + 25 * u64::from(attempt))
}

#[test]
fn a_page_rewritten_during_the_build_is_an_error_never_half_of_each_version() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write_site(&root);
    write_notes(&root, RACED, "0");
    let mut caught = 0;
    for attempt in 1..=30 {
        let out = tmp.path().join(format!("out-{attempt}"));
        let version = attempt.to_string();
        let (code, err) = meddle_during_build(&root, &out, delay(attempt), || {
            write_notes(&root, RACED, &version)
        });
        let when = format!("notes rewritten {:?} into the build", delay(attempt));
        match code {
            Some(0) => assert_notes_whole(&out, RACED, &when),
            Some(1) => {
                assert!(
                    err.contains("error: content/notes/note-")
                        && err.contains("the file changed while the site was being built"),
                    "{when}: the build failed without naming the rewritten file:\n{err}"
                );
                caught += 1;
            }
            code => panic!("{when}: exit code {code:?}:\n{err}"),
        }
        if caught == 2 {
            break;
        }
    }
    assert!(
        caught > 0,
        "no rewrite fell inside a build: the test saw no race"
    );
}

#[test]
fn a_page_removed_during_the_build_is_an_error_never_an_empty_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write_site(&root);
    let mut caught = 0;
    for attempt in 1..=30 {
        write_notes(&root, RACED, "0");
        let out = tmp.path().join(format!("out-{attempt}"));
        // Removing files is quick, so the moments tried are closer together than for rewrites.
        let at = Duration::from_millis(5 * attempt);
        let (code, err) = meddle_during_build(&root, &out, at, || remove_notes(&root, RACED / 2));
        let when = format!("notes removed {at:?} into the build");
        match code {
            Some(0) => assert_notes_whole(&out, RACED, &when),
            Some(1) => {
                assert!(
                    err.contains("error: content/notes/note-"),
                    "{when}: the build failed without naming the removed file:\n{err}"
                );
                // Removed between discovery and reading, or between reading and rendering:
                // either way the build names the file and writes nothing.
                caught += 1;
            }
            code => panic!("{when}: exit code {code:?}:\n{err}"),
        }
        if caught == 2 {
            break;
        }
    }
    assert!(
        caught > 0,
        "no removal fell inside a build: the test saw no race"
    );
}
