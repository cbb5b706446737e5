//! `serve`'s incremental rebuilds: after any change set the files in memory must be exactly
//! what a fresh `build` of the same sources writes, and only the files that show a change are
//! rendered again.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_same_tree, repo, tree};
use pamphlet::incremental::Update;
use pamphlet::{build, BuildOptions, Session};

const NOW: &str = "2026-11-24T12:00";

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        now: Some(NOW.into()),
        ..BuildOptions::default()
    }
}

/// A copy of the example site in a temporary folder, its derived images in its cache.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_example_site(&root);
    (tmp, root)
}

/// Builds a session, applies `edit` (which returns the paths it changed, as the watcher would
/// report them), updates, and compares the files with a fresh build. Returns the update.
fn check_edit(what: &str, edit: impl Fn(&Path) -> Vec<&'static str>) -> Update {
    check_edit_after(what, |_| {}, edit)
}

/// [`check_edit`] on the example site changed by `setup` before the first build.
fn check_edit_after(
    what: &str,
    setup: impl Fn(&Path),
    edit: impl Fn(&Path) -> Vec<&'static str>,
) -> Update {
    let (tmp, root) = example_site();
    setup(&root);
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    let changed: Vec<PathBuf> = edit(&root).into_iter().map(PathBuf::from).collect();
    let update = session.update(&changed).unwrap();
    assert_same_as_fresh(&session, &root, tmp.path(), what);
    update
}

fn assert_same_as_fresh(session: &Session, root: &Path, tmp: &Path, what: &str) {
    assert_same_as_fresh_with(session, options(root), tmp, what);
}

/// [`assert_same_as_fresh`] with the session's options, for a fresh build made with them.
fn assert_same_as_fresh_with(session: &Session, options: BuildOptions, tmp: &Path, what: &str) {
    let incremental = tmp.join(format!("incremental-{}", what.replace(' ', "-")));
    let fresh = tmp.join(format!("fresh-{}", what.replace(' ', "-")));
    session.files().write_to(&incremental).unwrap();
    build(&BuildOptions {
        out: Some(fresh.clone()),
        write: true,
        ..options
    })
    .unwrap();
    assert_same_tree(&tree(&fresh), &tree(&incremental), what);
}

fn rewrite(root: &Path, rel: &str, f: impl Fn(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
}

const POST: &str = "content/blog/2017-08-06-concordat-published.md";

#[test]
fn a_body_edit_re_renders_the_post_and_nothing_unrelated() {
    let update = check_edit("body edit", |root| {
        rewrite(root, POST, |t| t + "\nA new closing line.\n");
        vec![POST]
    });
    let urls = &update.rendered_urls;
    assert!(
        urls.contains(&"/blog/concordat-published/".to_string()),
        "{urls:?}"
    );
    for unrelated in [
        "/about/",
        "/concordat/01-introduction/",
        "/events/",
        "/sitemap.xml",
    ] {
        assert!(
            !urls.contains(&unrelated.to_string()),
            "{unrelated} in {urls:?}"
        );
    }
    // Besides the post, only the feeds that carry it whole and the search index of its text.
    for url in urls {
        assert!(
            url == "/blog/concordat-published/"
                || url.ends_with("/atom.xml")
                || url.ends_with("/rss.xml")
                || url.starts_with("/search/") && url.ends_with(".json"),
            "{url} in {urls:?}"
        );
    }
}

#[test]
fn a_body_edit_updates_the_search_index_and_the_page_result() {
    let update = check_edit("search edit", |root| {
        rewrite(root, POST, |t| t + "\nWe met the Zanzibarian delegation.\n");
        vec![POST]
    });
    let urls = &update.rendered_urls;
    let search: Vec<&String> = urls.iter().filter(|u| u.starts_with("/search/")).collect();
    assert!(
        search.iter().any(|u| u.starts_with("/search/terms/"))
            && search.iter().any(|u| u.starts_with("/search/pages/"))
            && search.contains(&&"/search/index.json".to_string()),
        "{urls:?}"
    );
    assert_eq!(
        search
            .iter()
            .filter(|u| u.starts_with("/search/pages/"))
            .count(),
        1,
        "only the edited page's result is made again: {urls:?}"
    );
    assert!(
        !search.iter().any(|u| u.starts_with("/search/tags/")),
        "{urls:?}"
    );
}

#[test]
fn a_title_edit_updates_every_list_that_shows_it() {
    let update = check_edit("title edit", |root| {
        rewrite(root, POST, |t| t.replacen("title: ", "title: Renamed ", 1));
        vec![POST]
    });
    let urls = &update.rendered_urls;
    for shown in [
        "/blog/concordat-published/",
        "/blog/",
        "/",
        "/atom.xml",
        "/search/index.json",
    ] {
        assert!(urls.contains(&shown.to_string()), "{shown} not in {urls:?}");
    }
    assert!(!urls.contains(&"/about/".to_string()), "{urls:?}");
}

#[test]
fn a_chapter_edit_updates_the_whole_document_and_its_neighbours() {
    check_edit("chapter edit", |root| {
        let chapter = "content/concordat/03-consensus-statement.md";
        rewrite(root, chapter, |t| {
            t.replacen("title: ", "title: Edited ", 1) + "\n## A new heading\n\nMore.\n"
        });
        vec![chapter]
    });
}

#[test]
fn a_template_edit_re_renders_the_pages_that_use_it() {
    let update = check_edit("template edit", |root| {
        write(
            root,
            "templates/partials/tags.html",
            "<p class=\"tags\">Filed under: {% for t in page.tags %}<a href=\"{{ t.url }}\">{{ t.name }}</a> {% endfor %}</p>",
        );
        vec!["templates/partials/tags.html"]
    });
    assert!(
        !update.rendered_urls.contains(&"/sitemap.xml".to_string()),
        "files whose template does not use the partial are kept: {:?}",
        update.rendered_urls
    );
}

/// An Atom template of the site's own: the built-in one with a licence added.
fn feed_with_rights() -> String {
    std::fs::read_to_string(repo().join("themes/default/templates/atom.xml"))
        .unwrap()
        .replacen("  <author>", "  <rights>CC BY 4.0</rights>\n  <author>", 1)
}

#[test]
fn a_site_feed_template_re_renders_every_feed_and_nothing_else() {
    let update = check_edit("feed template added", |root| {
        write(root, "templates/atom.xml", &feed_with_rights());
        vec!["templates/atom.xml"]
    });
    let urls = &update.rendered_urls;
    assert!(urls.contains(&"/atom.xml".to_string()), "{urls:?}");
    assert!(
        urls.iter()
            .any(|u| u.starts_with("/tags/") && u.ends_with("/atom.xml")),
        "the tags' feeds: {urls:?}"
    );
    assert!(
        urls.iter().all(|u| u.ends_with("/atom.xml")),
        "only feeds: {urls:?}"
    );
    // Taken away again, the built-in template is back.
    check_edit_after(
        "feed template removed",
        |root| write(root, "templates/atom.xml", &feed_with_rights()),
        |root| {
            std::fs::remove_file(root.join("templates/atom.xml")).unwrap();
            vec!["templates/atom.xml"]
        },
    );
}

#[test]
fn a_tag_added_to_a_post_updates_its_term_pages_and_feeds() {
    let update = check_edit_after(
        "tag added",
        |root| {
            rewrite(root, "site.yaml", |t| {
                t.replace("paginate: 10", "paginate: 2")
            })
        },
        |root| {
            rewrite(root, POST, |t| {
                t.replacen(
                    "local-government]",
                    "local-government, co-production, evidence]",
                    1,
                )
            });
            vec![POST]
        },
    );
    let urls = &update.rendered_urls;
    for shown in [
        "/tags/",
        "/tags/evidence/",
        "/tags/evidence/atom.xml",
        "/tags/evidence/rss.xml",
        "/tags/co-production/",
        "/tags/co-production/page/2/",
        "/tags/co-production/atom.xml",
        "/sitemap.xml",
    ] {
        assert!(urls.contains(&shown.to_string()), "{shown} not in {urls:?}");
    }
    assert!(!urls.contains(&"/about/".to_string()), "{urls:?}");
}

#[test]
fn a_topic_taxonomy_follows_the_edits_of_its_terms() {
    let topics = |root: &Path| {
        rewrite(root, "site.yaml", |t| {
            t.replace("taxonomies:\n  - tags", "taxonomies: [tags, topics]")
                .replace("paginate: 10", "paginate: 2")
        });
        for page in [POST, "content/blog/2015-10-30-a-hopeful-place-to-start.md"] {
            rewrite(root, page, |t| {
                t.replacen("---\n", "---\ntopics: [Prevention science]\n", 1)
            });
        }
    };
    let update = check_edit_after("topic added", topics, |root| {
        rewrite(root, POST, |t| {
            t.replacen(
                "topics: [Prevention science]",
                "topics: [Prevention science, Schools]",
                1,
            )
        });
        write(
            root,
            "content/events/schools-forum.md",
            "---\ntitle: Schools forum\nstart: 2027-05-01T10:00\nend: 2027-05-01T12:00\nformat: online\ntopics: [Schools, Prevention science]\n---\n\nA forum.\n",
        );
        vec![POST, "content/events/schools-forum.md"]
    });
    let urls = &update.rendered_urls;
    for shown in [
        "/topics/",
        "/topics/schools/",
        "/topics/schools/rss.xml",
        "/topics/prevention-science/page/2/",
        "/events/atom.xml",
    ] {
        assert!(urls.contains(&shown.to_string()), "{shown} not in {urls:?}");
    }
    check_edit_after("topic removed", topics, |root| {
        rewrite(root, POST, |t| {
            t.replacen("topics: [Prevention science]\n", "", 1)
        });
        vec![POST]
    });
}

#[test]
fn adding_removing_and_renaming_pages_updates_lists() {
    check_edit("added removed renamed", |root| {
        write(
            root,
            "content/blog/2019-01-01-a-new-post.md",
            "---\ntitle: A new post\ntags: [policy]\n---\nHello.\n",
        );
        std::fs::remove_file(root.join("content/blog/2015-10-30-a-hopeful-place-to-start.md"))
            .unwrap();
        std::fs::rename(
            root.join("content/events/shared-learning-newcastle-2018.md"),
            root.join("content/events/newcastle-shared-learning-2018.md"),
        )
        .unwrap();
        vec![
            "content/blog/2019-01-01-a-new-post.md",
            "content/blog/2015-10-30-a-hopeful-place-to-start.md",
            "content/events/shared-learning-newcastle-2018.md",
            "content/events/newcastle-shared-learning-2018.md",
        ]
    });
}

#[test]
fn a_new_bundle_a_section_edit_and_a_site_yaml_edit_rebuild_what_they_touch() {
    check_edit("bundle section config", |root| {
        write(
            root,
            "content/blog/a-bundle/index.md",
            "---\ntitle: A bundle\ndate: 2020-02-02\n---\n![A chart](chart.svg)\n",
        );
        write(
            root,
            "content/blog/a-bundle/chart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        rewrite(root, "content/blog/_index.md", |t| {
            t.replacen("title: ", "title: All ", 1)
        });
        rewrite(root, "site.yaml", |t| {
            t.replacen("title: ", "title: The ", 1)
        });
        vec![
            "content/blog/a-bundle/index.md",
            "content/blog/a-bundle/chart.svg",
            "content/blog/_index.md",
            "site.yaml",
        ]
    });
}

#[test]
fn a_data_edit_re_renders_what_shows_it() {
    let update = check_edit_after(
        "data",
        |root| {
            write(root, "data/team.yaml", "email: team@concordat.example\n");
            write(
                root,
                "templates/shortcodes/contact.html",
                "<p class=\"contact\">{{ data.team.email }}</p>",
            );
            rewrite(root, "content/about.md", |t| {
                format!("{t}\n{{{{ contact() }}}}\n")
            });
        },
        |root| {
            write(root, "data/team.yaml", "email: hello@concordat.example\n");
            vec!["data/team.yaml"]
        },
    );
    assert!(
        update.rendered_urls.contains(&"/about/".to_string()),
        "{:?}",
        update.rendered_urls
    );
}

#[test]
fn a_spreadsheet_edit_updates_its_rows_pages_and_lists() {
    let update = check_edit("sheet", |root| {
        rewrite(root, "content/partners/_pages.csv", |t| {
            t.replacen("The King's Fund,", "The King's Fund (London),", 1)
                .replacen(
                    "Public Health England,public-health-england,1,",
                    "Public Health England,public-health-england,9,",
                    1,
                )
        });
        vec!["content/partners/_pages.csv"]
    });
    for url in ["/partners/the-kings-fund/", "/partners/"] {
        assert!(
            update.rendered_urls.contains(&url.to_string()),
            "{url}: {:?}",
            update.rendered_urls
        );
    }
}

#[test]
fn a_static_edit_updates_the_fingerprinted_stylesheet_and_its_links() {
    check_edit("static edit", |root| {
        write(root, "static/style.css", "body { color: #111; }\n");
        vec!["static/style.css"]
    });
}

#[test]
fn a_resized_logo_updates_the_width_every_page_gives_it() {
    let (tmp, root) = example_site();
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    rewrite(&root, "static/logo.svg", |svg| {
        svg.replace(
            "viewBox=\"0 0 48 48\" width=\"48\"",
            "viewBox=\"0 0 96 48\" width=\"96\"",
        )
    });
    session.update(&[PathBuf::from("static/logo.svg")]).unwrap();
    assert_same_as_fresh(&session, &root, tmp.path(), "resized logo");
    let home = std::fs::read_to_string(tmp.path().join("fresh-resized-logo/index.html")).unwrap();
    assert!(home.contains("<img src=\"/logo.svg\" alt=\"\" width=\"80\" height=\"40\">"));
}

#[test]
fn a_failed_update_keeps_the_last_build_and_its_changes_for_the_next() {
    let (tmp, root) = example_site();
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    let before = session.files();
    let other = "content/blog/2016-03-15-lessons-from-twenty-years-of-strategy.md";
    rewrite(&root, POST, |t| t + "\nA line that must not be lost.\n");
    let good = std::fs::read_to_string(root.join(other)).unwrap();
    rewrite(&root, other, |t| {
        t.replacen("title: ", "title: [unclosed ", 1)
    });
    let failure = session
        .update(&[PathBuf::from(POST), PathBuf::from(other)])
        .unwrap_err();
    assert!(
        failure
            .diagnostics
            .iter()
            .any(|d| d.to_string().contains("lessons-from")),
        "the error names the broken file"
    );
    assert!(
        std::sync::Arc::ptr_eq(&before, &session.files()),
        "the last good build is kept"
    );
    std::fs::write(root.join(other), good).unwrap();
    session.update(&[PathBuf::from(other)]).unwrap();
    assert_same_as_fresh(&session, &root, tmp.path(), "after the fix");
}

#[test]
fn a_post_made_a_draft_leaves_every_list() {
    check_edit("draft", |root| {
        rewrite(root, POST, |t| {
            t.replacen("title: ", "draft: true\ntitle: ", 1)
        });
        vec![POST]
    });
}

#[test]
fn a_section_intro_edit_re_renders_its_lists_only() {
    let update = check_edit("section intro", |root| {
        rewrite(root, "content/events/_index.md", |t| {
            t + "\nA new line in the introduction.\n"
        });
        vec!["content/events/_index.md"]
    });
    let urls = &update.rendered_urls;
    assert!(urls.contains(&"/events/".to_string()), "{urls:?}");
    assert!(!urls.contains(&"/about/".to_string()), "{urls:?}");
}

#[test]
fn a_markdown_file_inside_a_bundle_stays_one_of_its_files() {
    check_edit("bundle markdown", |root| {
        std::fs::write(
            root.join("content/blog/2018-02-01-taking-the-concordat-on-the-road/notes.md"),
            "Notes kept beside the post, not a page of their own.\n",
        )
        .unwrap();
        vec!["content/blog/2018-02-01-taking-the-concordat-on-the-road/notes.md"]
    });
}

/// A small deterministic generator, so a failing sequence can be replayed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % sides as u64) as usize
    }
}

/// One random edit of a page of the example site; returns the path it changed and the text
/// it had before (`None` if it did not exist).
fn random_edit(
    root: &Path,
    dice: &mut Dice,
    step: usize,
    removed: &mut Vec<(PathBuf, String)>,
) -> (PathBuf, Option<String>) {
    if !removed.is_empty() && dice.roll(4) == 0 {
        let (rel, text) = removed.remove(dice.roll(removed.len()));
        std::fs::write(root.join(&rel), text).unwrap();
        return (rel, None);
    }
    let mut pages: Vec<PathBuf> = ["blog", "events", "videos", "concordat"]
        .iter()
        .flat_map(|s| {
            std::fs::read_dir(root.join("content").join(s))
                .unwrap()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .collect();
    pages.sort();
    let rel = pages.remove(dice.roll(pages.len()));
    let text = std::fs::read_to_string(root.join(&rel)).unwrap();
    let before = Some(text.clone());
    let replace_line = |text: &str, field: &str, new: String| -> String {
        text.lines()
            .map(|l| match l.starts_with(&format!("{field}: ")) {
                true => new.clone(),
                false => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let edited = match dice.roll(7) {
        0 => text + &format!("\nEdit number {step}.\n"),
        1 => replace_line(&text, "title", format!("title: \"Edited title {step}\"")),
        2 => text.replacen("tags: [", &format!("tags: [edited-{step}, "), 1),
        3 => match text.contains("\ndraft: true\n") {
            true => text.replacen("\ndraft: true\n", "\n", 1),
            false => text.replacen("---\n", "---\ndraft: true\n", 1),
        },
        4 => replace_line(
            &text,
            "summary",
            format!("summary: \"A new summary {step}\""),
        ),
        5 if rel.starts_with("content/blog") => replace_line(
            &text,
            "date",
            format!("date: 2019-0{}-1{}", 1 + step % 9, step % 10),
        ),
        _ => {
            std::fs::remove_file(root.join(&rel)).unwrap();
            removed.push((rel.clone(), text));
            return (rel, before);
        }
    };
    std::fs::write(root.join(&rel), edited).unwrap();
    (rel, before)
}

#[test]
fn random_edits_always_give_what_a_fresh_build_gives() {
    let (tmp, root) = example_site();
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    // PAMPHLET_TEST_SEED replays or explores other sequences.
    let seed = std::env::var("PAMPHLET_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut dice = Dice(seed);
    let mut removed = Vec::new();
    let mut built = 0;
    for step in 0..40 {
        let (rel, before) = random_edit(&root, &mut dice, step, &mut removed);
        let changed = [rel.clone()];
        let what = format!("step {step} ({})", rel.display());
        let fresh = build(&BuildOptions {
            out: Some(tmp.path().join(format!("fresh-{step}"))),
            write: true,
            ..options(&root)
        });
        match (session.update(&changed), fresh) {
            (Ok(_), Ok(_)) => {
                built += 1;
                let incremental = tmp.path().join(format!("incremental-{step}"));
                session.files().write_to(&incremental).unwrap();
                assert_same_tree(
                    &tree(&tmp.path().join(format!("fresh-{step}"))),
                    &tree(&incremental),
                    &what,
                );
            }
            (Err(a), Err(b)) => {
                let messages = |f: &pamphlet::BuildFailure| {
                    f.diagnostics
                        .iter()
                        .map(|d| d.message.clone())
                        .collect::<Vec<_>>()
                };
                assert_eq!(messages(&a), messages(&b), "{what}: the same errors");
                // Undo the edit that broke the site, as an author would.
                removed.retain(|(r, _)| *r != rel);
                match before {
                    Some(text) => std::fs::write(root.join(&rel), text).unwrap(),
                    None => std::fs::remove_file(root.join(&rel)).unwrap(),
                }
                session.update(&changed).unwrap();
            }
            (a, b) => panic!(
                "{what}: the session {} but a fresh build {}",
                if a.is_ok() { "succeeded" } else { "failed" },
                if b.is_ok() { "succeeded" } else { "failed" },
            ),
        }
    }
    eprintln!("{built} of 40 random edits built");
    assert!(
        built >= 20,
        "only {built} of 40 random edits built; the test edits too roughly"
    )
}

#[test]
fn a_broken_template_fails_the_update_and_its_fix_recovers() {
    let (tmp, root) = example_site();
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    write(
        &root,
        "templates/post.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.title {% endblock content %}",
    );
    let failure = session
        .update(&[PathBuf::from("templates/post.html")])
        .unwrap_err();
    assert!(
        failure
            .diagnostics
            .iter()
            .any(|d| d.path.to_string_lossy().contains("templates/post.html")),
        "{failure:?}"
    );
    std::fs::remove_file(root.join("templates/post.html")).unwrap();
    session
        .update(&[PathBuf::from("templates/post.html")])
        .unwrap();
    assert_same_as_fresh(&session, &root, tmp.path(), "template fixed");
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn shortcodes_follow_the_templates_they_include_and_the_assets_they_name() {
    check_edit("shortcode dependencies", |root| {
        write(
            root,
            "static/video.js",
            "console.log('the site's own player');\n",
        );
        let theme = std::fs::read_to_string(
            repo().join("themes/default/templates/partials/video_player.html"),
        )
        .unwrap();
        write(
            root,
            "templates/partials/video_player.html",
            &theme.replace("video-player", "video-player-edited"),
        );
        vec!["static/video.js", "templates/partials/video_player.html"]
    });
}

#[test]
fn files_sharing_a_path_keep_the_order_a_build_writes_them_in() {
    let shadowed = |root: &Path| {
        write(root, "static/sitemap.xml", "a static sitemap");
        write(root, "static/about/index.html", "a static about page");
        write(
            root,
            "static/blog/a-hopeful-place-to-start/index.html",
            "static",
        );
        // (An alias over a generated page is an error of its own: see tests/routes.rs.)
    };
    check_edit_after("shadowed outputs", shadowed, |root| {
        write(
            root,
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        rewrite(root, "content/about.md", |t| t + "\nMore.\n");
        rewrite(root, POST, |t| t + "\nMore.\n");
        std::fs::remove_file(root.join("content/blog/2015-10-30-a-hopeful-place-to-start.md"))
            .unwrap();
        vec![
            "static/logo.svg",
            "content/about.md",
            POST,
            "content/blog/2015-10-30-a-hopeful-place-to-start.md",
        ]
    });
    check_edit_after("shadow removed", shadowed, |root| {
        std::fs::remove_file(root.join("static/about/index.html")).unwrap();
        vec!["static/about/index.html"]
    });
}

#[test]
fn pages_of_draft_sections_and_files_of_draft_bundles_stay_out() {
    let drafts = |root: &Path| {
        write(
            root,
            "content/drafts/_index.md",
            "---\ntitle: Drafts\ndraft: true\n---\n",
        );
        write(
            root,
            "content/drafts/x.md",
            "---\ntitle: Secret\n---\nBody.\n",
        );
        write(
            root,
            "content/blog/b/index.md",
            "---\ntitle: A draft bundle\ndate: 2019-01-01\ndraft: true\n---\nBody.\n",
        );
        write(
            root,
            "content/blog/b/notes.md",
            "---\ntitle: Notes\n---\nNotes.\n",
        );
    };
    check_edit_after("drafts", drafts, |root| {
        rewrite(root, "content/drafts/x.md", |t| t + "\nMore.\n");
        write(
            root,
            "content/drafts/y.md",
            "---\ntitle: Also secret\n---\nBody.\n",
        );
        rewrite(root, "content/blog/b/notes.md", |t| t + "\nMore.\n");
        vec![
            "content/drafts/x.md",
            "content/drafts/y.md",
            "content/blog/b/notes.md",
        ]
    });
}

#[test]
fn a_root_page_of_a_draft_home_stays_out_as_in_a_fresh_build() {
    // The pages beside a draft home are drafts too, so the menu must not link to one.
    let draft_home = |root: &Path| {
        rewrite(root, "content/_index.md", |t| {
            t.replacen("---\n", "---\ndraft: true\n", 1)
        });
        rewrite(root, "site.yaml", |t| {
            t.replacen("  - title: About\n    url: \"@/about.md\"\n", "", 1)
        });
        // Every page links to the home page and its language switcher to the Welsh home, a
        // draft too as its translation: hand-written ones stand in for them.
        write(
            root,
            "static/index.html",
            "<!doctype html><title>Soon</title>\n",
        );
        write(
            root,
            "static/cy/index.html",
            "<!doctype html><title>Cyn hir</title>\n",
        );
    };
    check_edit_after("draft home", draft_home, |root| {
        rewrite(root, "content/about.md", |t| t + "\nMore.\n");
        write(
            root,
            "content/new-root-page.md",
            "---\ntitle: New\n---\nBody.\n",
        );
        vec!["content/about.md", "content/new-root-page.md"]
    });
}

#[test]
fn pages_dated_later_or_expired_come_and_go_as_in_a_fresh_build() {
    const LATER: &str = "content/blog/2030-05-01-later.md";
    for future in [false, true] {
        let (tmp, root) = example_site();
        write(
            &root,
            LATER,
            "---\ntitle: Coming later\ntags: [prevention]\n---\nNot yet.\n",
        );
        let options = BuildOptions {
            future,
            ..options(&root)
        };
        let mut session = Session::new(options.clone());
        session.update(&[]).unwrap();
        let what = |step: &str| format!("{step} future {future}");
        // A link to the post dated later, and a page that has expired.
        rewrite(&root, POST, |t| {
            t + "\nSee [what comes later](@/blog/2030-05-01-later.md).\n"
        });
        rewrite(&root, "content/about.md", |t| {
            t.replacen("---\n", "---\nexpires: 2020-01-01\n", 1)
        });
        session
            .update(&[PathBuf::from(POST), PathBuf::from("content/about.md")])
            .unwrap();
        assert_same_as_fresh_with(&session, options.clone(), tmp.path(), &what("linked"));
        // The post dated later is dated earlier: published by every build.
        rewrite(&root, LATER, |t| {
            t.replacen("title:", "date: 2018-01-01\ntitle:", 1)
        });
        session.update(&[PathBuf::from(LATER)]).unwrap();
        assert_same_as_fresh_with(&session, options.clone(), tmp.path(), &what("dated"));
        // The expired page is gone from disk: a link to it is then broken, as in a build.
        std::fs::remove_file(root.join("content/about.md")).unwrap();
        let incremental = session
            .update(&[PathBuf::from("content/about.md")])
            .unwrap_err();
        assert_eq!(
            incremental.diagnostics,
            build(&options).unwrap_err().diagnostics
        );
    }
}

#[test]
fn a_broken_edit_reports_every_error_a_fresh_build_reports() {
    let (_tmp, root) = example_site();
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    rewrite(&root, POST, |t| t.replacen("title: ", "title: [", 1));
    rewrite(&root, "content/about.md", |t| {
        t + "\nA [broken link](@/no-such-page.md).\n"
    });
    let incremental = session
        .update(&[PathBuf::from(POST), PathBuf::from("content/about.md")])
        .unwrap_err();
    let fresh = build(&options(&root)).unwrap_err();
    assert_eq!(incremental.diagnostics, fresh.diagnostics);
    assert!(
        incremental.diagnostics.len() >= 2,
        "{:?}",
        incremental.diagnostics
    );
}

/// A site in English and Welsh whose pages' template shows the title of each of a page's
/// versions, as a language switcher that names them would.
fn bilingual_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write(
        &root,
        "site.yaml",
        "title: Concordat\nbase_url: https://bi.example.org\nlanguage: en-GB\nlanguages:\n  cy:\n    title: Concordat Cymraeg\n",
    );
    write(
        &root,
        "content/_index.md",
        "---\ntitle: Home\n---\nHello.\n",
    );
    write(
        &root,
        "content/_index.cy.md",
        "---\ntitle: Hafan\n---\nHelo.\n",
    );
    let page = |title: &str| format!("---\ntitle: {title}\ntemplate: versions.html\n---\nText.\n");
    write(&root, "content/about.md", &page("About"));
    write(
        &root,
        "content/about.cy.md",
        "---\ntitle: Amdanom\n---\nAmdanom ni.\n",
    );
    write(&root, "content/contact.md", &page("Contact"));
    write(
        &root,
        "templates/versions.html",
        "<!doctype html>\n<html lang=\"{{ lang }}\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><main><h1>{{ page.title }}</h1>\n<p>{% for t in page.translations %}<span lang=\"{{ t.lang }}\">{{ t.title }}</span> {% endfor %}</p>\n{{ page.content | safe }}</main></body></html>\n",
    );
    (tmp, root)
}

#[test]
fn a_translation_title_edit_re_renders_the_pages_that_show_it_and_no_other() {
    let (tmp, root) = bilingual_site();
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    rewrite(&root, "content/about.cy.md", |t| {
        t.replace("title: Amdanom", "title: Amdanom ni")
    });
    let update = session
        .update(&[PathBuf::from("content/about.cy.md")])
        .unwrap();
    assert_same_as_fresh(&session, &root, tmp.path(), "translation title");
    let english = std::fs::read_to_string(
        tmp.path()
            .join("incremental-translation-title/about/index.html"),
    )
    .unwrap();
    assert!(
        english.contains("<span lang=\"cy\">Amdanom ni</span>"),
        "the English page names its new Welsh title: {english}"
    );
    let urls = &update.rendered_urls;
    assert!(urls.contains(&"/about/".to_string()), "{urls:?}");
    for unrelated in ["/contact/", "/", "/sitemap.xml"] {
        assert!(
            !urls.contains(&unrelated.to_string()),
            "{unrelated} in {urls:?}"
        );
    }
}

/// The `DTSTAMP` lines of every calendar of a session's files, by URL path.
fn dtstamps(session: &Session, dir: &Path) -> Vec<(String, String)> {
    session.files().write_to(dir).unwrap();
    let mut stamps: Vec<(String, String)> = tree(dir)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".ics"))
        .flat_map(|(path, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            let lines: Vec<String> = text
                .lines()
                .filter(|l| l.starts_with("DTSTAMP:"))
                .map(str::to_string)
                .collect();
            lines.into_iter().map(move |l| (path.clone(), l))
        })
        .collect();
    stamps.sort();
    stamps
}

#[test]
fn serve_without_now_rewrites_no_calendar_for_an_edit_that_is_no_event() {
    let (tmp, root) = example_site();
    let mut session = Session::new(BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    });
    session.update(&[]).unwrap();
    let before = dtstamps(&session, &tmp.path().join("before"));
    assert!(!before.is_empty(), "the example site has calendars");
    // Every later build stamps a later time: an .ics made again would show it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    rewrite(&root, POST, |t| t.replacen("title: ", "title: Renamed ", 1));
    let update = session.update(&[PathBuf::from(POST)]).unwrap();
    let calendars: Vec<&String> = update
        .rendered_urls
        .iter()
        .filter(|u| u.ends_with(".ics"))
        .collect();
    assert!(calendars.is_empty(), "calendars made again: {calendars:?}");
    assert_eq!(dtstamps(&session, &tmp.path().join("after")), before);
}

/// Under serve, a page's front matter error and another page's link that only the check of
/// the rendered pages finds broken are reported together, as a fresh build reports them.
#[test]
fn a_broken_edit_reports_the_broken_output_links_of_the_other_pages() {
    let (_tmp, root) = example_site();
    let mut session = Session::new(options(&root));
    session.update(&[]).unwrap();
    rewrite(&root, POST, |t| {
        t.replacen("title: ", "draft: maybe\ntitle: ", 1)
    });
    rewrite(&root, "content/about.md", |t| {
        t + "\nSee [nowhere](/no-such-page/).\n"
    });
    let incremental = session
        .update(&[PathBuf::from(POST), PathBuf::from("content/about.md")])
        .unwrap_err();
    let fresh = build(&options(&root)).unwrap_err();
    assert_eq!(incremental.diagnostics, fresh.diagnostics);
    let messages: Vec<String> = fresh
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.path.display(), d.message))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("content/about.md: broken link: /no-such-page/"),
        "{messages:?}"
    );
    assert!(messages[1].contains(": draft: "), "{messages:?}");
}
