//! The routes a build will write, checked before anything is written: every path has one
//! owner, and every name in it can be a file name. `check` and `build` run this over the same
//! list of jobs the writer takes ([`crate::render::jobs`]), so no output can be missed and
//! what passes `check` is what `build` writes.

use std::collections::hash_map::{Entry, HashMap};

use crate::content::Page;
use crate::diagnostics::{self, display_path, Diagnostic};
use crate::routes::{self, FeedOf, Job, Unwritable};
use crate::site::Site;

/// Duplicate and unwritable routes, each an error at the file and line it comes from.
/// `search`: whether the theme has a search page.
pub(crate) fn check_routes(site: &Site, search: bool) -> Vec<Diagnostic> {
    let mut jobs = crate::render::jobs(site, search);
    // Routes pamphlet makes by itself claim their paths first, then sections, pages and
    // aliases: a clash is reported at what the author can rename.
    jobs.sort_by_key(claim_order);
    let mut owners: HashMap<String, &Job> = HashMap::with_capacity(jobs.len());
    let mut found = unsafe_aliases(site);
    for job in &jobs {
        let path = routes::path(&site.content, job);
        if let Err(why) = routes::writable(&path) {
            found.extend(unwritable(site, job, &path, &why));
            continue;
        }
        match owners.entry(path) {
            Entry::Occupied(first) => found.push(clash(site, job, first.key(), first.get())),
            Entry::Vacant(free) => {
                free.insert(job);
            }
        }
    }
    diagnostics::sort(&mut found);
    found
}

fn claim_order(job: &Job) -> u8 {
    match job {
        Job::Section(_, 1) => 1,
        Job::Page(_) => 2,
        Job::EventCalendar(_) => 3,
        Job::Alias(..) => 4,
        _ => 0,
    }
}

/// Aliases that name no writable path of the site (they have no job).
fn unsafe_aliases(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in &site.content.pages {
        for (n, alias) in page.meta.aliases.iter().enumerate() {
            if let Err(why) = routes::alias(alias) {
                found.push(
                    at_alias(
                        page,
                        n,
                        format!(
                            "aliases: \"{}\" is not a safe URL path: {why}",
                            shown(alias)
                        ),
                    )
                    .with_hint(
                        "write the old address as a path from the site root, e.g. /news/old-title/",
                    ),
                );
            }
        }
    }
    found
}

/// Two jobs with one path: an error at the later one, naming the first.
fn clash(site: &Site, job: &Job, path: &str, first: &Job) -> Diagnostic {
    let message = format!("the URL {path} is also written by {}", owner(site, first));
    let hint = match (job, first) {
        (Job::Page(_) | Job::Alias(..), Job::Page(_) | Job::Alias(..)) => {
            "two files would write the same page: give one of them a different `slug:` or alias"
        }
        (Job::Alias(..), _) => {
            "an alias names an old address of this page, and this one is taken: remove it, or write the address the page really had"
        }
        (Job::Page(i), _) if !written(&site.content.pages[*i], "slug") => {
            "this page's address comes from its file name: give it a `slug:`, or rename the file"
        }
        (Job::Page(_), _) => "give this page a different `slug:`",
        (Job::Section(..), _) => "rename the section's folder",
        (Job::Author(_), _) => {
            "author keys that differ only in case or punctuation share a page: give one another key"
        }
        _ => "give one of them another name",
    };
    place(site, job, message).with_hint(hint)
}

/// What writes a job's file, as a reader of an error message knows it.
fn owner(site: &Site, job: &Job) -> String {
    let page_file = |i: &usize| display_path(&site.content.pages[*i].source.file);
    let section_file = |key: &String| display_path(&site.content.sections[key].source.file);
    let term = |lang: &Option<String>, taxonomy: &str, slug: &String| {
        let terms = site.terms(lang.as_deref(), taxonomy);
        let name = terms.get(slug).map_or(slug, |t| &t.name);
        (singular(taxonomy), name.clone())
    };
    match job {
        Job::Page(i) => page_file(i),
        Job::Section(key, 1) => section_file(key),
        Job::Section(key, n) => format!("page {n} of the list of {}", section_file(key)),
        Job::WholeDocument(key) => format!("the whole-document page of {}", section_file(key)),
        Job::TermList(_, taxonomy) => format!("the list of {taxonomy}"),
        Job::Term(lang, taxonomy, slug, n) => {
            let (kind, name) = term(lang, taxonomy, slug);
            match n {
                1 => format!("the {kind} page for \"{name}\""),
                n => format!("page {n} of the {kind} page for \"{name}\""),
            }
        }
        Job::Feed(FeedOf::Term(lang, taxonomy, slug), _) => {
            let (kind, name) = term(lang, taxonomy, slug);
            format!("the feed of the {kind} \"{name}\"")
        }
        Job::Feed(FeedOf::Section(key) | FeedOf::Events(key), _) => {
            format!("the feed of {}", section_file(key))
        }
        Job::Author(key) => {
            let line = site.config.error_for(&format!("authors.{key}"), "").line;
            format!("the author page of \"{key}\" (site.yaml:{line})")
        }
        Job::Search(_) => "the search page".to_string(),
        Job::EventCalendar(i) => format!("the calendar file of {}", page_file(i)),
        Job::Alias(i, _) => format!("an alias of {}", page_file(i)),
        Job::NotFound(_)
        | Job::Feed(FeedOf::Site(_), _)
        | Job::Sitemap
        | Job::Robots
        | Job::SearchIndex(..)
        | Job::Calendar(_) => {
            let path = routes::path(&site.content, job);
            format!("the site's {}", path.trim_start_matches('/'))
        }
    }
}

/// A route whose names cannot all be file names: an error at what gave it that name.
fn unwritable(site: &Site, job: &Job, path: &str, why: &Unwritable) -> Vec<Diagnostic> {
    let at_file = |file: &std::path::Path, what: &str, hint: &str| {
        vec![Diagnostic::error(
            file,
            0,
            0,
            format!("{what} {path} cannot be written: {why}"),
        )
        .with_hint(hint)]
    };
    // A file below a page or a list fails for the same name: said once, of the page or list.
    let parent = match job {
        Job::EventCalendar(i) => Some(Job::Page(*i)),
        Job::Section(key, n) if *n > 1 => Some(Job::Section(key.clone(), 1)),
        Job::WholeDocument(key) => Some(Job::Section(key.clone(), 1)),
        Job::Feed(FeedOf::Section(key) | FeedOf::Events(key), _) => {
            Some(Job::Section(key.clone(), 1))
        }
        Job::Term(lang, taxonomy, slug, n) if *n > 1 => {
            Some(Job::Term(lang.clone(), taxonomy.clone(), slug.clone(), 1))
        }
        Job::Feed(FeedOf::Term(lang, taxonomy, slug), _) => {
            Some(Job::Term(lang.clone(), taxonomy.clone(), slug.clone(), 1))
        }
        _ => None,
    };
    if let Some(parent) = parent {
        return unwritable(site, &parent, &routes::path(&site.content, &parent), why);
    }
    match job {
        Job::Page(i) => {
            let page = &site.content.pages[*i];
            let slug_fails = routes::writable(&format!("/{}/", page.meta.slug)).is_err();
            match (slug_fails, written(page, "slug")) {
                (true, true) => vec![page
                    .source
                    .fragment()
                    .error_for(
                        "slug",
                        format!(
                            "slug: \"{}\" cannot be a file name: {why}",
                            shown(&page.meta.slug)
                        ),
                    )
                    .with_hint("use a slug of a few words, e.g. slug: concordat-published")],
                (true, false) => at_file(
                    &page.source.file,
                    "the URL",
                    "the slug comes from the file name: give the page a shorter `slug:`",
                ),
                (false, _) => at_file(
                    &page.source.file,
                    "the URL",
                    "rename the folder: use letters, digits and hyphens",
                ),
            }
        }
        Job::Section(key, _) => at_file(
            &site.content.sections[key].source.file,
            "the section's URL",
            "rename the folder: use letters, digits and hyphens",
        ),
        Job::Term(lang, taxonomy, slug, _) => {
            let pages = site
                .terms(lang.as_deref(), taxonomy)
                .get(slug)
                .map_or(&[][..], |t| t.pages.as_slice());
            pages
                .iter()
                .filter_map(|i| {
                    let page = &site.content.pages[*i];
                    let n = term_index(page, taxonomy, slug)?;
                    Some(
                        page.source
                            .fragment()
                            .error_for(
                                &format!("{taxonomy}.{n}"),
                                format!(
                                    "{taxonomy}: \"{}\" cannot name its page: {why}",
                                    shown(&page.meta.terms_of(taxonomy)[n])
                                ),
                            )
                            .with_hint(format!(
                                "use a {} of a few words, e.g. `{taxonomy}: [policy]`",
                                singular(taxonomy)
                            )),
                    )
                })
                .collect()
        }
        Job::Author(key) => vec![site
            .config
            .error_for(
                &format!("authors.{key}"),
                format!("authors: \"{}\" cannot name its page: {why}", shown(key)),
            )
            .with_hint("use a short key of letters and digits, e.g. `jane:`")],
        _ => vec![place(
            site,
            job,
            format!("the URL {path} cannot be written: {why}"),
        )],
    }
}

/// An error about a job at the line it comes from: a page's `slug:`, an alias, a tag, an
/// author in site.yaml; the whole file where the address comes from a file or folder name.
fn place(site: &Site, job: &Job, message: String) -> Diagnostic {
    match job {
        Job::Page(i) | Job::EventCalendar(i) => {
            let page = &site.content.pages[*i];
            match written(page, "slug") {
                true => page.source.fragment().error_for("slug", message),
                false => Diagnostic::error(&page.source.file, 0, 0, message),
            }
        }
        Job::Alias(i, n) => at_alias(&site.content.pages[*i], *n, message),
        Job::Section(key, _) | Job::WholeDocument(key) => {
            Diagnostic::error(&site.content.sections[key].source.file, 0, 0, message)
        }
        Job::Term(lang, taxonomy, slug, _) | Job::Feed(FeedOf::Term(lang, taxonomy, slug), _) => {
            let terms = site.terms(lang.as_deref(), taxonomy);
            let first = terms.get(slug).and_then(|t| t.pages.first());
            match first.map(|i| &site.content.pages[*i]) {
                Some(page) => {
                    let n = term_index(page, taxonomy, slug).unwrap_or(0);
                    page.source
                        .fragment()
                        .error_for(&format!("{taxonomy}.{n}"), message)
                }
                None => Diagnostic::general(message),
            }
        }
        Job::Feed(FeedOf::Section(key) | FeedOf::Events(key), _) => {
            Diagnostic::error(&site.content.sections[key].source.file, 0, 0, message)
        }
        Job::Author(key) => site.config.error_for(&format!("authors.{key}"), message),
        _ => Diagnostic::general(message),
    }
}

fn at_alias(page: &Page, n: usize, message: String) -> Diagnostic {
    page.source
        .fragment()
        .error_for(&format!("aliases.{n}"), message)
}

/// Whether the front matter of a page writes `field`.
fn written(page: &Page, field: &str) -> bool {
    page.source.fragment().contains(field)
}

/// Which of a page's terms of a taxonomy has `slug`.
fn term_index(page: &Page, taxonomy: &str, slug: &str) -> Option<usize> {
    page.meta
        .terms_of(taxonomy)
        .iter()
        .position(|t| slug::slugify(t) == slug)
}

/// One term of a taxonomy, as messages name it: `tag` for `tags`, `category` for
/// `categories`.
fn singular(taxonomy: &str) -> String {
    match taxonomy.strip_suffix("ies") {
        Some(stem) => format!("{stem}y"),
        None => taxonomy.strip_suffix('s').unwrap_or(taxonomy).to_string(),
    }
}

/// A value as shown in a message: control characters escaped, a long one shortened.
fn shown(value: &str) -> String {
    let mut out = String::new();
    for (n, c) in value.chars().enumerate() {
        if n == 60 {
            out.push('…');
            break;
        }
        match c.is_control() {
            true => out.extend(c.escape_unicode()),
            false => out.push(c),
        }
    }
    out
}
