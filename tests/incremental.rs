//! `serve`'s rebuilds reuse unchanged output; after any edit the result must be exactly what a
//! fresh build of the same sources writes.

mod common;

use std::path::Path;

use common::{assert_same_tree, copy_dir, repo, tree};
use pamphlet::{build, build_with_cache, BuildCache, BuildOptions};

fn options(root: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        now: Some("2026-11-24T12:00".into()),
        write: true,
        ..BuildOptions::default()
    }
}

/// Applies `edit` to a copy of the example site, rebuilds with the cache, and compares the
/// output with a fresh build.
fn check_edit(what: &str, expect_reuse: bool, edit: impl Fn(&Path)) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for entry in ["site.yaml", "content", "static"] {
        let from = repo().join(entry);
        if from.is_dir() {
            copy_dir(&from, &root.join(entry));
        } else {
            std::fs::create_dir_all(&root).unwrap();
            std::fs::copy(&from, root.join(entry)).unwrap();
        }
    }
    let mut cache = BuildCache::persistent();
    build_with_cache(&options(&root, &tmp.path().join("gen-1")), &mut cache).unwrap();
    edit(&root);
    build_with_cache(&options(&root, &tmp.path().join("gen-2")), &mut cache).unwrap();
    build(&options(&root, &tmp.path().join("fresh"))).unwrap();
    assert_same_tree(
        &tree(&tmp.path().join("fresh")),
        &tree(&tmp.path().join("gen-2")),
        what,
    );
    if expect_reuse {
        let reused = reused_pages(&tmp.path().join("gen-2"));
        assert!(
            reused > 0,
            "{what}: no page was reused from the previous build"
        );
    }
}

/// How many HTML files were linked from the previous build rather than rendered again.
#[cfg(unix)]
fn reused_pages(dir: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.nlink() > 1))
        .count()
}

#[cfg(not(unix))]
fn reused_pages(_: &Path) -> usize {
    1
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn a_body_edit_re_renders_the_post_and_reuses_unrelated_pages() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    copy_dir(&repo().join("static"), &root.join("static"));
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).unwrap();
    let mut cache = BuildCache::persistent();
    build_with_cache(&options(&root, &tmp.path().join("gen-1")), &mut cache).unwrap();
    rewrite(
        &root,
        "content/blog/2017-08-06-concordat-published.md",
        |t| t + "\nA new closing line.\n",
    );
    build_with_cache(&options(&root, &tmp.path().join("gen-2")), &mut cache).unwrap();
    let links = |rel: &str| {
        std::fs::metadata(tmp.path().join("gen-2").join(rel))
            .unwrap()
            .nlink()
    };
    assert_eq!(
        links("blog/concordat-published/index.html"),
        1,
        "the edited post is rendered again"
    );
    assert!(links("about/index.html") > 1, "an unrelated page is reused");
    assert!(
        links("concordat/01-introduction/index.html") > 1,
        "an unrelated chapter is reused"
    );
}

fn rewrite(root: &Path, rel: &str, f: impl Fn(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
}

#[test]
fn a_body_edit_gives_the_same_output_as_a_fresh_build() {
    check_edit("body edit", true, |root| {
        rewrite(
            root,
            "content/blog/2017-08-06-concordat-published.md",
            |t| t + "\nA new closing line.\n",
        )
    });
}

#[test]
fn a_title_edit_updates_every_list_that_shows_it() {
    check_edit("title edit", true, |root| {
        rewrite(
            root,
            "content/blog/2016-03-15-lessons-from-twenty-years-of-strategy.md",
            |t| t.replacen("title: \"", "title: \"Renamed - ", 1),
        )
    });
}

#[test]
fn a_chapter_edit_updates_the_whole_document_and_its_neighbours() {
    check_edit("chapter edit", true, |root| {
        rewrite(root, "content/concordat/03-consensus-statement.md", |t| {
            t.replacen("title: ", "title: Edited ", 1) + "\n## A new heading\n\nMore.\n"
        })
    });
}

#[test]
fn a_template_edit_re_renders_the_pages_that_use_it() {
    check_edit("template edit", false, |root| {
        std::fs::create_dir_all(root.join("templates/partials")).unwrap();
        std::fs::write(
            root.join("templates/partials/tags.html"),
            "<p class=\"tags\">Filed under: {% for t in page.tags %}<a href=\"{{ t.url }}\">{{ t.name }}</a> {% endfor %}</p>",
        )
        .unwrap();
    });
}

#[test]
fn adding_and_removing_pages_updates_lists() {
    check_edit("added and removed pages", false, |root| {
        std::fs::write(
            root.join("content/blog/2019-01-01-a-new-post.md"),
            "---\ntitle: A new post\ntags: [policy]\n---\nHello.\n",
        )
        .unwrap();
        std::fs::remove_file(root.join("content/blog/2015-10-30-a-hopeful-place-to-start.md"))
            .unwrap();
    });
}
