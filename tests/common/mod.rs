//! Helpers shared by the integration tests: fixture sites copied into temporary folders,
//! the real `pamphlet` binary, and byte-for-byte pictures of output trees.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use tempfile::TempDir;

pub mod search;

/// The fixed "now" of every build in the tests, so that output does not depend on the clock.
pub const NOW: &str = "2026-11-24T12:00";

/// Every file under a folder (relative path with `/` separators) and its bytes.
pub type Tree = BTreeMap<String, Vec<u8>>;

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under tests/fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Copies the example site (content, static files, site.yaml) into `root`, with the images a
/// build of it derives already in its cache: they are derived once per test binary (a debug
/// build takes most of a minute over them) and copied, so each test builds only what it tests.
pub fn copy_example_site(root: &Path) {
    copy_example_sources(root);
    copy_dir(
        example_image_cache(),
        &root.join(".pamphlet-cache").join("images"),
    );
}

fn copy_example_sources(root: &Path) {
    for folder in ["content", "static"] {
        copy_dir(&repo().join(folder), &root.join(folder));
    }
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).unwrap();
}

/// The image cache of a build of the example site, made by the first test that asks for it.
/// It is kept under target/tmp between runs: a build derives only what it lacks.
fn example_image_cache() -> &'static Path {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    CACHE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("example-site");
        let root = dir.join("site");
        for folder in ["content", "static", "out"] {
            let _ = std::fs::remove_dir_all(root.join(folder));
        }
        copy_example_sources(&root);
        assert_built(&build(&root, &root.join("out"), &[]));
        root.join(".pamphlet-cache").join("images")
    })
}

/// Reads every file under `dir`, with its bytes.
pub fn tree(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, out: &mut Tree) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = Tree::new();
    walk(dir, dir, &mut out);
    out
}

/// The names in a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Panics with a readable account of how two trees differ.
pub fn assert_same_tree(before: &Tree, after: &Tree, what: &str) {
    let missing: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let changed: Vec<&String> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && added.is_empty() && changed.is_empty(),
        "{what}: missing {missing:?}, added {added:?}, changed {changed:?}"
    );
}

/// `pamphlet` itself.
pub fn pamphlet() -> Command {
    assert_cmd::cargo::cargo_bin_cmd!("pamphlet")
}

/// Runs `pamphlet build --root <root> --out <out> --now NOW` plus `extra` arguments.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    pamphlet()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(["--now", NOW])
        .args(extra)
        .output()
        .unwrap()
}

/// The text the binary wrote to stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The text the binary wrote to stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts that a build succeeded, showing its stderr otherwise.
pub fn assert_built(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "the build failed:\n{}",
        stderr(output)
    );
}

/// A copy of a fixture site in a temporary folder, with an output folder beside it.
pub struct Site {
    /// Keeps the temporary folder alive.
    pub tmp: TempDir,
    /// The site's root (with site.yaml).
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into `<tmp>/site`, with the output at `<tmp>/out`.
    pub fn copy(name: &str) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&fixture(name), &root);
        let out = tmp.path().join("out");
        Site { tmp, root, out }
    }

    /// Writes (or overwrites) a file of the site, creating its folder.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Builds into the output folder with the fixed `--now`.
    pub fn build(&self, extra: &[&str]) -> Output {
        build(&self.root, &self.out, extra)
    }

    /// `pamphlet build --root <root> --out <out>` and `args`, nothing else.
    pub fn run(&self, args: &[&str]) -> Output {
        pamphlet()
            .arg("build")
            .arg("--root")
            .arg(&self.root)
            .arg("--out")
            .arg(&self.out)
            .args(args)
            .output()
            .unwrap()
    }

    /// A file of the output, as text.
    pub fn output_file(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel} of the output: {e}"))
    }
}
