//! Checks that need the whole site: anchors of `@/` links, front matter references and the
//! output paths, and the gate that decides from them whether a build may be written.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::Markdown;
use crate::bytes::Bytes;
use crate::config::{Config, MenuItem};
use crate::content::FieldLink;
use crate::diagnostics::{self, Diagnostic};
use crate::links::{ContentLink, Href};
use crate::output::file_path;
use crate::routes;
use crate::site::Site;

/// The gate between reading and writing, one for `build` and `serve`: to the diagnostics found
/// so far it adds the Markdown's and those of every whole-site check; any error, or templates
/// that did not load, stops the build with every diagnostic found. Else the renderer and the
/// warnings.
pub(crate) fn gate<R>(
    root: &Path,
    site: &Site,
    markdown: &Markdown,
    statics: &BTreeMap<String, Bytes>,
    search: bool,
    renderer: Result<R, Vec<Diagnostic>>,
    mut found: Vec<Diagnostic>,
) -> Result<(R, Vec<Diagnostic>), Vec<Diagnostic>> {
    found.extend(markdown.diagnostics());
    found.extend(check_anchors(root, site, markdown));
    found.extend(check_references(site));
    found.extend(
        site.content
            .pages
            .iter()
            .flat_map(crate::content::kinds::placeholders),
    );
    found.extend(check_outputs(root, site, statics));
    found.extend(check_captions(site));
    found.extend(super::check_routes(site, search));
    let found = crate::content::rows::place_all(&site.content, found);
    match renderer {
        Ok(r) if !found.iter().any(Diagnostic::is_error) => Ok((r, found)),
        Ok(_) => Err(found),
        Err(d) => Err(found.into_iter().chain(d).collect()),
    }
}

/// Every `@/page.md#anchor` must name a heading of that page: in bodies, in front matter
/// (`related`, `recording`, `event`) and in the menu.
fn check_anchors(root: &Path, site: &Site, markdown: &Markdown) -> Vec<Diagnostic> {
    let (pages, sections) = (&markdown.pages, &markdown.sections);
    let anchors_of = |key: &str| -> Option<&HashSet<String>> {
        site.page_index
            .get(key)
            .map(|i| &pages[*i].anchors)
            .or_else(|| sections.get(key).map(|r| &r.anchors))
    };
    let missing = |link: &ContentLink| missing_anchor(link, anchors_of(&link.key)?);
    let sources = site
        .content
        .pages
        .iter()
        .map(|p| &p.source)
        .zip(pages)
        .chain(
            site.content
                .sections
                .values()
                .map(|s| &s.source)
                .zip(sections.values()),
        );
    let mut out = Vec::new();
    for (source, rendered) in sources {
        for r in &rendered.anchor_refs {
            if let Some((message, hint)) = missing(&r.link) {
                out.push(
                    Diagnostic::error(&source.file, r.line, r.col, message)
                        .with_hint(hint)
                        .with_source(&source.full_text(root).map(|(t, _)| t).unwrap_or_default()),
                );
            }
        }
    }
    for page in &site.content.pages {
        for written in page.kind.links() {
            if let Some((message, hint)) = missing(written.link) {
                let message = format!("{}: {message}", written.field);
                out.push(
                    page.source
                        .fragment()
                        .error_for(&written.path, message)
                        .with_hint(hint),
                );
            }
        }
    }
    for (lang, i, item) in menu_items(&site.config) {
        let Href::Content(link) = &item.url else {
            continue;
        };
        if let Some((message, hint)) = missing(link) {
            let message = format!("menu: \"{}\": {message}", item.title);
            out.push(
                site.config
                    .error_for(&Config::menu_key(lang, i), message)
                    .with_hint(hint),
            );
        }
    }
    out
}

/// Why a link's anchor is none of its target's: the message and a hint naming the anchors
/// there are. `None` when the anchor is there, or when the link has none.
fn missing_anchor(link: &ContentLink, anchors: &HashSet<String>) -> Option<(String, String)> {
    let anchor = link.anchor.as_deref()?;
    if anchors.contains(anchor) {
        return None;
    }
    let mut known: Vec<&str> = anchors.iter().map(String::as_str).collect();
    known.sort_unstable();
    let target = &link.key;
    let hint = match diagnostics::did_you_mean(anchor, known.iter().copied()) {
        Some(best) => format!("did you mean #{best}?"),
        None if known.is_empty() => format!("content/{target} has no headings to link to"),
        None => format!("the headings of content/{target} are: {}", known.join(", ")),
    };
    let message = format!("broken link: {link} (there is no heading with that anchor)");
    Some((message, hint))
}

/// `@/` links in front matter (related, recording, event) and in the menu must name existing
/// pages, of the kind the field wants; one to a page that is not published is a warning (the
/// link is left out until it is).
fn check_references(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in &site.content.pages {
        for FieldLink {
            field,
            path,
            link,
            wants,
        } in page.kind.links()
        {
            let key = &link.key;
            let found = site
                .page_index
                .get(key)
                .map(|i| site.content.pages[*i].kind.kind());
            if let (Some(found), Some(wanted)) = (found, wants) {
                if found != wanted {
                    out.push(
                        page.source
                            .fragment()
                            .error_for(
                                &path,
                                format!(
                                    "{field}: {link} is a {} page, not a {} page",
                                    found.name(),
                                    wanted.name()
                                ),
                            )
                            .with_hint(format!(
                                "link to the {} this page belongs with",
                                wanted.name()
                            )),
                    );
                }
            }
            if let Some(why) = site.content.unpublished.get(key) {
                out.push(
                    page.source
                        .fragment()
                        .error_for(
                            &path,
                            format!("{field}: {link} {} (the link is left out)", why.describe()),
                        )
                        .into_warning()
                        .with_hint(why.hint()),
                );
            } else if !site.urls.contains_key(key) {
                out.push(
                    page.source
                        .fragment()
                        .error_for(&path, format!("{field}: {link} does not exist (there is no content/{key})"))
                        .with_hint("link to the source file of an existing page, e.g. \"@/videos/webinar.md\""),
                );
            }
        }
    }
    for (lang, i, item) in menu_items(&site.config) {
        let Href::Content(link) = &item.url else {
            continue;
        };
        if let Some(why) = site.content.unpublished.get(&link.key) {
            out.push(
                site.config
                    .error_for(
                        &Config::menu_key(lang, i),
                        format!(
                            "menu: \"{}\" links to {link}, which {} (the item is left out)",
                            item.title,
                            why.describe()
                        ),
                    )
                    .into_warning()
                    .with_hint(why.hint()),
            );
        } else if !site.urls.contains_key(&link.key) {
            out.push(
                site.config
                    .error_for(
                        &Config::menu_key(lang, i),
                        format!(
                            "menu: \"{}\" links to {link} which does not exist",
                            item.title
                        ),
                    )
                    .with_hint(
                        "menu links name a source file under content/, e.g. \"@/events/_index.md\"",
                    ),
            );
        }
    }
    out.extend(check_hero_links(site));
    out
}

/// A hero's button that links with `@/` must name a page or section that exists; one that is
/// not published is a warning (the button is left out until it is).
fn check_hero_links(site: &Site) -> Vec<Diagnostic> {
    let links =
        site.content
            .sections
            .values()
            .filter_map(|s| match &s.hero.as_ref()?.cta.as_ref()?.url {
                Href::Content(link) => Some((s, link)),
                Href::Url(_) => None,
            });
    links
        .filter_map(|(s, link)| {
            let at = |message: String| s.source.fragment().error_for("hero.cta.url", message);
            if let Some(why) = site.content.unpublished.get(&link.key) {
                let message = format!("hero.cta.url: {link} {} (the button is left out)", why.describe());
                return Some(at(message).into_warning().with_hint(why.hint()));
            }
            (!site.urls.contains_key(&link.key)).then(|| {
                at(format!("hero.cta.url: {link} does not exist (there is no content/{})", link.key))
                    .with_hint("link to the source file of an existing page or section, e.g. \"@/concordat/_index.md\"")
            })
        })
        .collect()
}

/// A video file (`provider: file`) without `captions` is reported at its `provider` line, at
/// the level `checks: { captions }` gives.
fn check_captions(site: &Site) -> Vec<Diagnostic> {
    let checks = &site.config.checks;
    let uncaptioned = site.content.pages.iter().filter(|page| {
        matches!(&page.kind, crate::content::KindData::Video(v)
            if v.provider == crate::content::kinds::Provider::File && v.captions.is_none())
    });
    uncaptioned
        .filter_map(|page| {
            let at = page.source.fragment().error_for("provider", String::new());
            crate::markdown::accessibility::captions()
                .diagnostic(checks, &at.path, at.line, at.col)
                .map(|d| d.with_source(&page.source.text))
        })
        .collect()
}

/// Files that would land on one another: an alias redirect over a static file is an error (the
/// file would be lost); a static file over a generated page is a warning (it may be meant, like
/// a hand-written `404.html`, but the page's content is then never seen).
fn check_outputs(root: &Path, site: &Site, statics: &BTreeMap<String, Bytes>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let shown = |rel: &str| match statics.get(rel) {
        Some(Bytes::File(path)) => {
            crate::diagnostics::display_path(path.strip_prefix(root).unwrap_or(path))
        }
        _ => format!("the theme's static/{rel}"),
    };
    for (i, page) in site.content.pages.iter().enumerate() {
        for (field, value) in local_files(page) {
            if is_missing(statics, &site.page_urls[i], value) {
                out.push(
                    page.source
                        .fragment()
                        .error_for(field, format!("{field}: {value} is not a file of the site"))
                        .into_warning()
                        .with_hint("put the file in static/ (then write /name), or beside the page in its bundle"),
                );
            }
        }
        for alias in &page.meta.aliases {
            let Some(path) = routes::alias(alias).ok().and_then(|a| file_path(&a).ok()) else {
                continue;
            };
            if statics.contains_key(&path) {
                out.push(
                    page.source
                        .fragment()
                        .error_for(
                            "aliases",
                            format!("aliases: {alias} would replace {}", shown(&path)),
                        )
                        .with_hint("an alias names an old address of this page; remove it or rename the static file"),
                );
            }
        }
    }
    let generated = site
        .content
        .pages
        .iter()
        .map(|p| &p.source.file)
        .zip(&site.page_urls)
        .chain(
            site.content
                .sections
                .values()
                .map(|s| &s.source.file)
                .zip(site.section_urls.values()),
        );
    for (file, url) in generated {
        let Ok(path) = file_path(url) else { continue };
        if statics.contains_key(&path) {
            out.push(
                Diagnostic::warning(
                    file,
                    0,
                    0,
                    format!("{} replaces the page made from this file", shown(&path)),
                )
                .with_hint("remove the static file, or give the page another slug"),
            );
        }
    }
    out
}

/// The files a page's front matter names that the site itself should hold and that no link
/// of a page shows (a social card's image is named in a `<meta>`): those a page links to,
/// such as a video's poster and captions, are errors of the check of the output's links.
fn local_files(page: &crate::content::Page) -> Vec<(&'static str, &String)> {
    page.meta.image.iter().map(|v| ("image", v)).collect()
}

/// Whether a path written in front matter names no file of the output: a root path
/// (`/logo.svg`) among the static files, else a path relative to the page (a bundle's file).
/// Web addresses are not checked.
fn is_missing(statics: &BTreeMap<String, Bytes>, page_url: &str, value: &str) -> bool {
    let path = value.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() || path.starts_with("//") || path.contains(':') {
        return false;
    }
    let rel = match path.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None => format!("{}{path}", page_url.trim_start_matches('/')),
    };
    !statics.contains_key(&rel)
}

/// Every item of every language's menu: its language (`None`: the default), its position and
/// itself.
fn menu_items(config: &Config) -> impl Iterator<Item = (Option<&str>, usize, &MenuItem)> {
    let menus = std::iter::once((None, &config.menu)).chain(
        config
            .languages
            .iter()
            .map(|(code, l)| (Some(code.as_str()), &l.menu)),
    );
    menus.flat_map(|(lang, menu)| {
        menu.iter()
            .enumerate()
            .map(move |(i, item)| (lang, i, item))
    })
}
