//! Incremental rebuilds, for `serve`: a [`Session`] keeps the previous build in memory —
//! the parsed pages, the resolved site, each file's Markdown, the summaries, and the output
//! with a fingerprint of what each file shows — and a change set of saved files re-enters the
//! pipeline where it must:
//!
//! - a page or section whose front matter is unchanged has its Markdown rendered again and the
//!   site is kept as it is;
//! - a page whose front matter changed, or that was added or removed, re-resolves the site from
//!   the pages already parsed, and reads no other file;
//! - a template change reloads the templates and re-renders the files that use it;
//! - a static file change recopies the static files (and re-renders pages if a fingerprinted
//!   stylesheet or script changed);
//! - `site.yaml`, the theme, a section's front matter, a bundle, or a page below a section the
//!   site has not read (a new one) reload everything, keeping the Markdown of unchanged files.
//!
//! A page read again is read as the build read it, against every section, those left out as
//! drafts included ([`content::Content::all_sections`]).
//!
//! Either way only the outputs whose fingerprint changed are rendered, into persistent maps
//! that share everything else with the previous build; a failed update keeps the previous
//! build and remembers the changes for the next one.

mod fingerprint;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{
    self, check_links, failure, gate, prepare, render_jobs, BuildFailure, BuildOptions, Markdown,
    MarkdownContext, PageLinks, Prepared, Reuse, Setup, Timer, WrittenFiles,
};
use crate::bytes::Bytes;
use crate::content::{self, discovery_is_ignored, Read};
use crate::diagnostics::{self, Diagnostic};
use crate::digest::hash_of;
use crate::output::{file_path, Collected, Discard, Files, Layer, Sink};
use crate::render::{search, AssetMap, Job, RenderInput, Renderer, Summaries};
use crate::site::Site;
use fingerprint::{clock, Fingerprints, PagePrint};

/// A site built in memory and kept up to date file by file.
pub struct Session {
    options: BuildOptions,
    state: Option<State>,
    files: Arc<Files>,
    /// The fingerprint of every page and of every site file of `files`, by URL path.
    prints: [imbl::HashMap<String, u64>; 2],
    /// The links of every HTML file of `files`, by URL path, for the check of links.
    links: imbl::HashMap<String, Arc<PageLinks>>,
    /// Changed files (relative to the root) not yet built successfully.
    pending: BTreeSet<PathBuf>,
}

/// What an update did.
#[derive(Debug, Clone)]
pub struct Update {
    /// Files rendered again (the others were kept).
    pub rendered: usize,
    /// The URL paths of the files rendered again, sorted.
    pub rendered_urls: Vec<String>,
    /// HTML pages of the site.
    pub pages: usize,
    /// Files of the site.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Warnings of the whole site.
    pub warnings: Vec<Diagnostic>,
}

/// Everything one good build worked out, each part shared with the next build if unchanged.
#[derive(Clone)]
struct State {
    setup: Arc<Setup>,
    renderer: Arc<Renderer>,
    statics: Arc<BTreeMap<String, Bytes>>,
    assets: Arc<AssetMap>,
    site: Arc<Site>,
    markdown: Arc<Markdown>,
    summaries: Arc<Summaries>,
    prints: Arc<Vec<PagePrint>>,
    warnings: Arc<Vec<Diagnostic>>,
    /// Whether some pages have errors (then `warnings` holds them): the others are rendered
    /// for the errors rendering finds, as a build renders them, and the update fails.
    failing: bool,
    /// The words of every page, as the search index read them.
    search: Option<Arc<search::Kept>>,
}

/// Which parts of the site a change set touches.
#[derive(Debug, Default)]
struct Plan {
    reload: bool,
    templates: bool,
    statics: bool,
    /// Content keys of the pages to read again.
    pages: BTreeSet<String>,
    /// Content keys of the sections whose body alone changed.
    sections: BTreeSet<String>,
}

impl Session {
    /// A session for a site; nothing is built until the first [`Session::update`].
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options: BuildOptions {
                write: false,
                ..options
            },
            state: None,
            files: Arc::new(Files::default()),
            prints: Default::default(),
            links: imbl::HashMap::new(),
            pending: BTreeSet::new(),
        }
    }

    /// The files of the last good build.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Brings the build up to date after `changed` files (paths relative to the site root, or
    /// absolute below it) were saved, created or removed. The first update builds everything.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, BuildFailure> {
        let started = Instant::now();
        let mut timer = Timer::new();
        let root = &self.options.root;
        self.pending
            .extend(changed.iter().map(|p| relative(root, p)));
        let next = match &self.state {
            Some(previous) => {
                let mut plan = Plan::of(root, &self.pending, &previous.site);
                plan.reload |= publication_passed(&self.options, previous);
                match plan.reload {
                    true => reload(&self.options, Some(previous), &mut timer, started)?,
                    false => patch(&self.options, previous, &plan, &mut timer, started)?,
                }
            }
            None => reload(&self.options, None, &mut timer, started)?,
        };
        timer.lap("render");
        let update = self.write(next, started)?;
        timer.lap("done");
        self.pending.clear();
        Ok(update)
    }

    /// Renders the files whose fingerprint changed and makes the result current.
    fn write(&mut self, mut next: State, started: Instant) -> Result<Update, BuildFailure> {
        let site = &*next.site;
        let input = RenderInput::new(
            site,
            &next.markdown.pages,
            &next.markdown.sections,
            &next.summaries,
        )
        .keeping_search(self.state.as_ref().and_then(|s| s.search.clone()));
        let jobs = input.jobs(&next.renderer);
        // Every page shows the sections' titles (breadcrumbs, menus): their front matter.
        let sections: Vec<(&String, &String)> = site
            .content
            .sections
            .iter()
            .map(|(k, s)| (k, &s.source.text))
            .collect();
        // Every page shows the logo, whose size is among the images'.
        let context = &next.markdown.context;
        let global = hash_of(&(context.links, context.images, &*next.assets, sections));
        let fingerprints = Fingerprints::new(
            &input,
            &next.renderer,
            &next.setup.template_prints,
            &next.prints,
            global,
        );
        let planned: Vec<Planned> = jobs
            .par_iter()
            .map(|job| {
                let (url, print) = fingerprints.of_job(job);
                Planned { job, url, print }
            })
            .collect();
        let (pages, site_files): (Vec<&Planned>, Vec<&Planned>) =
            planned.iter().partition(|p| p.job.is_page());
        let mut errors = Vec::new();
        let mut rendered_urls = Vec::new();
        let mut files = (*self.files).clone();
        let mut prints: [imbl::HashMap<String, u64>; 2] = Default::default();
        let mut links = self.links.clone();
        for (n, (layer, planned)) in [(Layer::Pages, pages), (Layer::SiteFiles, site_files)]
            .into_iter()
            .enumerate()
        {
            let old = (files.layer(layer), &self.prints[n]);
            let kept = !next.failing;
            match render_layer(&input, &next.renderer, &planned, old, &mut links, kept) {
                Ok(rendered) => {
                    rendered_urls.extend(rendered.urls);
                    files.set_layer(layer, rendered.files);
                    prints[n] = rendered.prints;
                }
                Err(found) => errors.extend(found),
            }
        }
        let statics_changed = !next.failing
            && match &self.state {
                Some(previous) => {
                    !Arc::ptr_eq(&previous.statics, &next.statics)
                        || !Arc::ptr_eq(&previous.renderer.images, &next.renderer.images)
                }
                None => true,
            };
        if statics_changed {
            let copied = Collected::default();
            let (root, images) = (&self.options.root, &next.renderer.images);
            let written = build::copy_statics(root, &next.statics, &next.assets, images, &copied)
                .map_err(|d| vec![d])
                .and_then(|_| build::write_images(root, &next.statics, images, &copied));
            match written {
                Ok(_) => files.set_layer(Layer::Statics, copied.into_map().into_iter().collect()),
                Err(d) => errors.extend(d),
            }
        }
        if errors.is_empty() {
            let written = WrittenFiles::new(
                &input,
                &jobs,
                &next.statics,
                &next.assets,
                &next.renderer.images,
            );
            let root = &self.options.root;
            let links_of = |url: &str| links.get(url).map(|l| &**l);
            errors = check_links(root, &input, &next.renderer, &jobs, links_of, &written);
        }
        if next.failing {
            let found = (*next.warnings).clone();
            return Err(failure(
                build::with_rendering_errors(found, errors),
                started,
            ));
        }
        if !errors.is_empty() {
            return Err(failure(errors, started));
        }
        let search = input.search_kept();
        drop(fingerprints);
        drop(input);
        next.search = search;
        rendered_urls.sort_unstable();
        let mut warnings = (*next.warnings).clone();
        diagnostics::sort(&mut warnings);
        let update = Update {
            rendered: rendered_urls.len(),
            rendered_urls,
            pages: jobs.iter().filter(|j| j.is_page()).count(),
            files: files.len(),
            elapsed: started.elapsed(),
            warnings,
        };
        self.files = Arc::new(files);
        self.prints = prints;
        self.links = links;
        self.state = Some(next);
        Ok(update)
    }
}

/// A job of the next build, where it goes and the fingerprint of what it shows.
struct Planned<'a> {
    job: &'a Job,
    url: String,
    print: u64,
}

/// One layer of the next build: its files, their fingerprints, and what was rendered.
struct RenderedLayer {
    files: imbl::HashMap<String, Bytes>,
    prints: imbl::HashMap<String, u64>,
    urls: Vec<String>,
}

/// Renders the jobs of one layer whose fingerprint changed, keeps the others' files from the
/// previous build and drops the files of jobs that are gone: the layer holds exactly the
/// files of the planned jobs, and `links` the links of its HTML files. Unless `kept`, the
/// files rendered are not kept (a failing update renders for its errors only, as a build).
fn render_layer(
    input: &RenderInput,
    renderer: &Renderer,
    planned: &[&Planned],
    (old_files, old_prints): (&imbl::HashMap<String, Bytes>, &imbl::HashMap<String, u64>),
    links: &mut imbl::HashMap<String, Arc<PageLinks>>,
    kept: bool,
) -> Result<RenderedLayer, Vec<Diagnostic>> {
    let mut files = old_files.clone();
    let mut prints = old_prints.clone();
    let current: HashSet<&str> = planned.iter().map(|p| p.url.as_str()).collect();
    for url in old_prints.keys().filter(|u| !current.contains(u.as_str())) {
        prints.remove(url);
        links.remove(url);
        if let Ok(path) = file_path(url) {
            files.remove(&path);
        }
    }
    let todo: Vec<&Planned> = planned
        .iter()
        .copied()
        .filter(|p| old_prints.get(&p.url) != Some(&p.print))
        .collect();
    let fresh = Collected::default();
    let jobs: Vec<&Job> = todo.iter().map(|p| p.job).collect();
    let sink: &dyn Sink = match kept {
        true => &fresh,
        false => &Discard,
    };
    let (errors, fresh_links) = render_jobs(input, renderer, &jobs, sink);
    if !errors.is_empty() {
        return Err(errors);
    }
    links.extend(fresh_links);
    files.extend(fresh.into_map());
    for p in &todo {
        prints.insert(p.url.clone(), p.print);
    }
    Ok(RenderedLayer {
        files,
        prints,
        urls: todo.iter().map(|p| p.url.clone()).collect(),
    })
}

/// Whether the clock passed the moment a page goes live or expires since the previous build:
/// the pages published are then others, and are read again as a build reads them.
fn publication_passed(options: &BuildOptions, previous: &State) -> bool {
    let then = previous.site.now;
    build::now(options, &previous.setup.config)
        .is_ok_and(|now| previous.site.content.publication_passed(then, now))
}

/// A changed path relative to the site root.
fn relative(root: &Path, path: &Path) -> PathBuf {
    if let Ok(rel) = path.strip_prefix(root) {
        return rel.to_path_buf();
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    path.strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

impl Plan {
    /// Sorts changed paths (relative to the root) into what they touch.
    fn of(root: &Path, paths: &BTreeSet<PathBuf>, site: &Site) -> Plan {
        let mut plan = Plan::default();
        for path in paths {
            let parts: Vec<String> = path
                .components()
                .filter_map(|c| match c {
                    Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            if parts.iter().any(|p| discovery_is_ignored(p)) {
                continue;
            }
            match parts.first().map(String::as_str) {
                Some("site.yaml")
                | Some("themes")
                | Some(crate::data::DIR)
                | Some(crate::i18n::DIR) => plan.reload = true,
                Some("templates") => plan.templates = true,
                Some("static") => plan.statics = true,
                Some("content") if parts.len() > 1 => {
                    plan.content(root, path, &parts[1..].join("/"), site)
                }
                Some("content") => plan.reload = true,
                _ => {}
            }
        }
        plan
    }

    /// A changed file below `content/`, by its key.
    fn content(&mut self, root: &Path, path: &Path, key: &str, site: &Site) {
        let name = key.rsplit('/').next().unwrap_or(key);
        let exists = root.join(path).is_file();
        // A page of a site of several languages may be another's original, whose fields it
        // takes, and may add or remove a language's section: read the content again.
        if !site.config.languages.is_empty() && key.ends_with(".md") {
            self.reload = true;
            return;
        }
        if name == "_index.md" {
            match site.content.sections.get(key) {
                Some(s) if exists && same_front_matter(root, key, &s.source) => {
                    self.sections.insert(key.to_string());
                }
                _ => self.reload = true,
            }
            return;
        }
        if key.ends_with(".md") && name != "index.md" && settled(root, key, site) {
            let known =
                site.page_index.contains_key(key) || site.content.unpublished.contains_key(key);
            if exists || known {
                self.pages.insert(key.to_string());
            }
            return;
        }
        let absolute = root.join(path);
        let copied = site.content.files.iter().any(|(p, _)| *p == absolute)
            || site
                .content
                .pages
                .iter()
                .any(|p| p.assets.contains(&absolute));
        match (copied, exists) {
            // An edited copy is served from its source; only its fingerprint may change.
            (true, true) => self.statics = true,
            _ => self.reload = true,
        }
    }
}

/// Whether a file's front matter is still what `source` holds (its body may have changed).
fn same_front_matter(root: &Path, key: &str, source: &content::Source) -> bool {
    content::read_source(root, key).is_ok_and(|new| new.text[..new.body_start] == source.text)
}

/// Whether a Markdown file is a page whose place the loaded site knows: no folder above it is
/// a page bundle (it would be one of the bundle's files) or a section the site has not read (a
/// new one). Decided from the disk, since a draft bundle is not in the site.
fn settled(root: &Path, key: &str, site: &Site) -> bool {
    let content = root.join("content");
    let sections = &site.content;
    let mut dir = content::discovery_dir_of(key);
    while !dir.is_empty() {
        let section = format!("{dir}/_index.md");
        let unknown_section = content.join(&section).is_file()
            && !sections.sections.contains_key(&section)
            && !sections.draft_sections.contains_key(&section);
        if unknown_section || content.join(&dir).join("index.md").is_file() {
            return false;
        }
        dir = content::discovery_dir_of(&dir);
    }
    true
}

/// A full rebuild, keeping the Markdown of files whose text did not change.
fn reload(
    options: &BuildOptions,
    previous: Option<&State>,
    timer: &mut Timer,
    started: Instant,
) -> Result<State, BuildFailure> {
    let reuse = previous.map_or(Reuse::Nothing, |p| Reuse::SameText(&p.markdown));
    let Prepared {
        setup,
        site,
        statics,
        assets,
        renderer,
        markdown,
        warnings,
        failing,
    } = prepare(options, &reuse, timer, started)?;
    timer.lap("summaries");
    let (summaries, prints) = summarize(&site, &markdown, None);
    Ok(State {
        setup: Arc::new(setup),
        renderer: Arc::new(renderer),
        statics: Arc::new(statics),
        assets,
        site: Arc::new(site),
        markdown: Arc::new(markdown),
        summaries: Arc::new(summaries),
        prints: Arc::new(prints),
        warnings: Arc::new(warnings),
        failing,
        search: None,
    })
}

/// An update from the previous state, reading only the changed files.
fn patch(
    options: &BuildOptions,
    previous: &State,
    plan: &Plan,
    timer: &mut Timer,
    started: Instant,
) -> Result<State, BuildFailure> {
    let root = &options.root;
    let setup = match plan.templates {
        true => Arc::new(Setup::load(options, started)?),
        false => Arc::clone(&previous.setup),
    };
    let now = build::now(options, &setup.config)?;
    timer.lap("pages");
    let (site, found) = patch_site(options, &previous.site, &plan.pages, &setup.config, now);
    let previous_images = &previous.renderer.images;
    let (statics, assets) = match plan.statics {
        true => {
            let statics = build::static_files(root, &setup.theme, &site);
            let assets = build::asset_map(&statics);
            let assets = match assets == *previous.assets {
                true => Arc::clone(&previous.assets),
                false => Arc::new(assets),
            };
            (Arc::new(statics), assets)
        }
        false => (Arc::clone(&previous.statics), Arc::clone(&previous.assets)),
    };
    // The images' settings live in site.yaml, so they are read again with the statics or the
    // settings (not for each page edited: a new page `image` gets its card with the next).
    let mut image_found = Vec::new();
    let images = match plan.statics || plan.templates {
        true => {
            let (images, found) = build::image_sizes(root, &statics, &site);
            image_found = found;
            match images == **previous_images {
                true => Arc::clone(previous_images),
                false => Arc::new(images),
            }
        }
        false => Arc::clone(previous_images),
    };
    let same_site = Arc::ptr_eq(&site, &previous.site);
    let renderer = match plan.templates
        || !Arc::ptr_eq(&assets, &previous.assets)
        || !Arc::ptr_eq(&images, previous_images)
        || (!same_site && site.urls != previous.site.urls)
    {
        true => Renderer::new(
            &site,
            setup.templates.clone(),
            Arc::clone(&assets),
            Arc::clone(&images),
        )
        .map(Arc::new),
        false => Ok(Arc::clone(&previous.renderer)),
    };
    timer.lap("markdown");
    let context = match same_site && !plan.templates && !plan.statics {
        true => previous.markdown.context,
        false => MarkdownContext::of(&site, &setup.template_prints, &assets, &images),
    };
    let changed: BTreeSet<String> = plan.pages.union(&plan.sections).cloned().collect();
    let markdown = match changed.is_empty() && context == previous.markdown.context {
        true => Arc::clone(&previous.markdown),
        false => {
            let reuse = Reuse::Unchanged {
                markdown: &previous.markdown,
                site: &previous.site,
                changed: &changed,
            };
            let renderer = renderer.as_deref().ok();
            Arc::new(build::markdown(
                root, &site, renderer, &images, context, &reuse,
            ))
        }
    };
    let found = setup
        .warnings
        .iter()
        .cloned()
        .chain(found)
        .chain(image_found)
        .collect();
    let search = renderer.as_ref().map_or(true, |r| r.has("search.html"));
    let passed = gate(root, &site, &markdown, &statics, search, renderer, found)
        .map_err(|d| failure(d, started))?;
    let renderer = passed.renderer;
    timer.lap("summaries");
    let (summaries, prints) = summarize(&site, &markdown, Some(previous));
    Ok(State {
        setup,
        renderer,
        statics,
        assets,
        site,
        markdown,
        summaries: Arc::new(summaries),
        prints: Arc::new(prints),
        warnings: Arc::new(passed.diagnostics),
        failing: passed.failing,
        search: None,
    })
}

/// The site after the pages named in `keys` were read again: the same site when only their
/// bodies changed (and no event changed sides of "now"), else the site re-resolved from the
/// pages already parsed and the new ones, as a build resolves it: a page with errors is left
/// out (and links to it are not broken), and every diagnostic is returned.
fn patch_site(
    options: &BuildOptions,
    site: &Arc<Site>,
    keys: &BTreeSet<String>,
    config: &crate::config::Config,
    now: jiff::Timestamp,
) -> (Arc<Site>, Vec<Diagnostic>) {
    let load = options.load_options(now);
    let sections = site.content.all_sections();
    let read: Vec<(&String, Option<content::PageRead>)> = keys
        .par_iter()
        .map(|key| {
            let exists = options.root.join("content").join(key).is_file();
            let page = exists.then(|| {
                content::read_page(&options.root, key, &sections, config, Vec::new(), load)
            });
            (key, page)
        })
        .collect();
    let mut found = Vec::new();
    let mut changed = Vec::new();
    let mut failed = Vec::new();
    let mut unpublished = Vec::new();
    for (key, result) in read {
        match result {
            Some(Ok(Read::Published(page))) => changed.push((key, Some(*page))),
            Some(Ok(Read::Unpublished(why))) => {
                changed.push((key, None));
                unpublished.push((key, why));
            }
            None => changed.push((key, None)),
            Some(Err(unread)) => {
                found.extend(unread.errors);
                changed.push((key, None));
                failed.push(unread.page);
            }
        }
    }
    let same_front = failed.is_empty()
        && unpublished.is_empty()
        && changed.iter().all(|(key, page)| {
            let old = site.page_index.get(*key).map(|i| &site.content.pages[*i]);
            match (old, page) {
                (Some(old), Some(new)) => old.source.text == new.source.text,
                _ => false,
            }
        });
    let same_clock = site
        .content
        .pages
        .iter()
        .all(|p| clock(p, site.now) == clock(p, now));
    if same_front && same_clock {
        return (Arc::clone(site), found);
    }
    let mut content = site.content.clone();
    for (key, page) in changed {
        content.pages.retain(|p| p.source.key != *key);
        content.failed.retain(|f| f.key != *key);
        content.unpublished.remove(key);
        content.pages.extend(page);
    }
    content
        .unpublished
        .extend(unpublished.into_iter().map(|(k, why)| (k.clone(), why)));
    content.failed.extend(failed);
    content
        .pages
        .sort_by(|a, b| content::discovery_order(&a.source.key, &b.source.key));
    content
        .failed
        .sort_by(|a, b| content::discovery_order(&a.key, &b.key));
    let resolved = Site::resolve(config.clone(), content, now);
    (Arc::new(resolved), found)
}

/// The summary and prints of every page, kept from the previous build where nothing they
/// depend on changed.
fn summarize(
    site: &Site,
    markdown: &Markdown,
    previous: Option<&State>,
) -> (Summaries, Vec<PagePrint>) {
    // For each page, the index of the same page in the previous build if its summary and
    // prints may be kept.
    let kept: Vec<Option<(&State, usize)>> = site
        .content
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let prev = previous?;
            let j = *prev.site.page_index.get(&page.source.key)?;
            let old = &prev.site.content.pages[j];
            let same = Arc::ptr_eq(&markdown.pages[i], &prev.markdown.pages[j])
                && markdown.context.links == prev.markdown.context.links
                && site.page_urls[i] == prev.site.page_urls[j]
                && site.chapter_numbers.get(&i) == prev.site.chapter_numbers.get(&j)
                && page.source.text == old.source.text
                && clock(page, site.now) == clock(old, prev.site.now);
            same.then_some((prev, j))
        })
        .collect();
    let summaries = Summaries::build(site, &markdown.pages, |i| {
        kept[i].map(|(prev, j)| Arc::clone(&prev.summaries.0[j]))
    });
    let prints = site
        .content
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| match kept[i] {
            Some((prev, j)) => prev.prints[j],
            None => {
                let hash = markdown.by_key.get(&page.source.key).map_or(0, |(h, _)| *h);
                let shown = summaries.0[i].print();
                PagePrint::of(page, &site.page_urls[i], site.now, hash, shown)
            }
        })
        .collect();
    (summaries, prints)
}
