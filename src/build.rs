//! The build: the stages of the pipeline run in order, each returning its diagnostics,
//! and the output swapped in only when there are no errors.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{self, Diagnostic};
use crate::markdown::shortcodes::Shortcodes;
use crate::markdown::{self, Rendered};
use crate::output::{self, Staging};
use crate::render::shortcodes::SiteShortcodes;
use crate::render::theme::{self, Bytes, TemplateSource};
use crate::render::{ics, site_files, AssetMap, RenderInput, Renderer, Summaries};
use crate::site::{alias_path, Site};

/// What a build or check is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder (default `<root>/public`).
    pub out: Option<PathBuf>,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// "Now" for upcoming/past events, for reproducible builds.
    pub now: Option<String>,
    /// Write the output (false for `check`).
    pub write: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// HTML pages written (or checked).
    pub pages: usize,
    /// All files written.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Warnings found.
    pub warnings: Vec<Diagnostic>,
    /// Where the output went.
    pub out: PathBuf,
}

/// Why a build failed.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    /// A usage problem (bad option) rather than a content problem.
    pub usage: bool,
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time until the failure.
    pub elapsed: Duration,
}

impl BuildFailure {
    fn usage(message: String) -> BuildFailure {
        BuildFailure {
            usage: true,
            diagnostics: vec![Diagnostic::general(message)],
            elapsed: Duration::ZERO,
        }
    }
}

/// Builds (or checks) a site.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    build_with_cache(options, &mut BuildCache::default())
}

/// What a rebuild reuses from the previous build of the same site: the rendered Markdown of
/// every file whose text, URL and context are unchanged. `serve` keeps one between rebuilds.
#[derive(Default)]
pub struct BuildCache {
    keep: bool,
    markdown: std::collections::HashMap<String, (u64, Rendered)>,
    /// The previous build's output and the fingerprint of each file it rendered.
    previous: Option<(PathBuf, std::collections::HashMap<String, u64>)>,
}

impl BuildCache {
    /// A cache that remembers each build for the next (a one-off build does not need to).
    pub fn persistent() -> BuildCache {
        BuildCache {
            keep: true,
            markdown: Default::default(),
            previous: None,
        }
    }

    fn lookup(&self, key: &str, hash: u64) -> Option<Rendered> {
        self.markdown
            .get(key)
            .filter(|(h, _)| *h == hash)
            .map(|(_, r)| r.clone())
    }
}

/// Builds (or checks) a site, reusing and refreshing `cache`.
pub fn build_with_cache(
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let mut timer = Timer::new();
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    if options.write {
        output::check_out_dir(&options.root, &out).map_err(BuildFailure::usage)?;
    }
    let fail = |diagnostics: Vec<Diagnostic>| {
        let mut diagnostics = diagnostics;
        diagnostics::sort(&mut diagnostics);
        BuildFailure {
            usage: false,
            diagnostics,
            elapsed: started.elapsed(),
        }
    };
    let (mut config, site_yaml) = Config::load_with_text(&options.root).map_err(fail)?;
    if let Some(base) = &options.base_url {
        config.base_url = base.trim_end_matches('/').to_string();
    }
    let now = match &options.now {
        Some(text) => crate::dates::parse_now(text, &config.time_zone())
            .map_err(|e| BuildFailure::usage(format!("--now: {} ({})", e.message, e.hint)))?,
        None => jiff::Timestamp::now(),
    };
    let mut diags = Vec::new();
    let theme = match theme::load_theme(&options.root, &config.theme) {
        Ok(t) => t,
        Err(d) => return Err(fail(vec![d])),
    };
    diags.extend(theme::check_options(&theme, &config, &site_yaml));
    timer.lap("load");
    let (content, found) = content::load(
        &options.root,
        &config,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    diags.extend(found);
    timer.lap("resolve");
    let (site, found) = Site::resolve(config, content, now);
    diags.extend(found);
    timer.lap("templates");
    let templates = template_chain(&options.root, &theme);
    let context = context_fingerprint(&site, &templates);
    let statics = static_files(&options.root, &theme, &site);
    let assets = Arc::new(asset_map(&statics));
    let renderer = match Renderer::new(&site, templates, Arc::clone(&assets)) {
        Ok(r) => Some(r),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    timer.lap("markdown");
    let (pages_md, sections_md) = {
        let shortcodes = renderer.as_ref().map(|r| SiteShortcodes {
            renderer: r,
            site: &site,
        });
        render_markdown(
            &options.root,
            &site,
            shortcodes.as_ref().map(|s| s as &dyn Shortcodes),
            cache,
            context,
        )
    };
    diags.extend(
        pages_md
            .iter()
            .chain(sections_md.values())
            .flat_map(|r| r.diagnostics.iter().cloned()),
    );
    diags.extend(check_anchors(&options.root, &site, &pages_md, &sections_md));
    diags.extend(check_references(&site));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(fail(diags));
    }
    let Some(renderer) = renderer else {
        return Err(fail(diags));
    };
    timer.lap("summaries");
    let summaries = Summaries::build(&site, &pages_md);
    let input = RenderInput::new(&site, &pages_md, &sections_md, &summaries);
    let staging = if options.write {
        Some(Staging::create(&out).map_err(|e| {
            fail(vec![Diagnostic::general(format!(
                "cannot create the output folder next to {}: {e}",
                out.display()
            ))])
        })?)
    } else {
        None
    };
    timer.lap("render");
    let mut jobs = input.jobs();
    jobs.retain(|j| !matches!(j, crate::render::Job::Search) || renderer.has("search.html"));
    let fingerprints = cache.keep.then(|| {
        let hashes = cache
            .markdown
            .iter()
            .map(|(k, (h, _))| (k.clone(), *h))
            .collect();
        let global = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (context, &*assets).hash(&mut h);
            h.finish()
        };
        crate::incremental::Fingerprints::new(&site, &hashes, global)
    });
    let results: Vec<Result<(String, u64), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let url = input.url_of(job);
            let fingerprint = fingerprints.as_ref().map_or(0, |f| f.of_job(&site, job));
            match &staging {
                Some(s) => {
                    if let Some((dir, seen)) = &cache.previous {
                        if seen.get(&url) == Some(&fingerprint) && s.link_from(dir, &url).is_ok() {
                            return Ok((url, fingerprint));
                        }
                    }
                    let file = s.create_file(&url).map_err(|e| write_error(&url, &e))?;
                    let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
                    input.render_to(&renderer, job, &mut out)?;
                    std::io::Write::flush(&mut out).map_err(|e| write_error(&url, &e))?;
                }
                None => input.render_to(&renderer, job, std::io::sink())?,
            }
            Ok((url, fingerprint))
        })
        .collect();
    let mut rendered_jobs = std::collections::HashMap::new();
    for r in results {
        match r {
            Ok((url, fp)) => {
                rendered_jobs.insert(url, fp);
            }
            Err(d) => diags.push(d),
        }
    }
    let mut files = jobs.len();
    if let Some(s) = &staging {
        timer.lap("site files");
        match write_site_files(s, &site, &pages_md, &statics, &assets) {
            Ok(n) => files += n,
            Err(d) => diags.push(d),
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(fail(diags));
    }
    if cache.keep && options.write {
        cache.previous = Some((out.clone(), rendered_jobs));
    }
    if let Some(s) = staging {
        timer.lap("commit");
        s.commit().map_err(|e| {
            fail(vec![Diagnostic::general(format!(
                "cannot move the new build into {}: {e}",
                out.display()
            ))])
        })?;
    }
    timer.lap("done");
    diagnostics::sort(&mut diags);
    Ok(BuildReport {
        pages: jobs.len(),
        files,
        elapsed: started.elapsed(),
        warnings: diags,
        out,
    })
}

fn write_error(url: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::general(format!("cannot write {url}: {e}"))
}

/// Stage timings, printed to stderr when `PAMPHLET_TIMINGS` is set (for profiling builds).
struct Timer {
    enabled: bool,
    last: Instant,
    stage: &'static str,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            enabled: std::env::var_os("PAMPHLET_TIMINGS").is_some(),
            last: Instant::now(),
            stage: "config",
        }
    }

    /// Ends the current stage and starts the next.
    fn lap(&mut self, next: &'static str) {
        if self.enabled {
            eprintln!(
                "timing: {:<10} {:>7.1} ms   peak memory so far {}",
                self.stage,
                self.last.elapsed().as_secs_f64() * 1000.0,
                peak_memory()
            );
        }
        self.stage = next;
        self.last = Instant::now();
    }
}

/// The process's peak resident memory, where the OS tells it (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_default()
}

/// A hash of everything besides its own text that a file's Markdown output depends on: the
/// URL of every page (links), the Markdown options and the templates (shortcodes).
fn context_fingerprint(site: &Site, templates: &[TemplateSource]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut urls: Vec<(&String, &String)> = site.urls.iter().collect();
    urls.sort_unstable();
    urls.hash(&mut h);
    serde_json::to_string(&site.config)
        .unwrap_or_default()
        .hash(&mut h);
    for t in templates {
        (&t.name, &t.text).hash(&mut h);
    }
    h.finish()
}

/// Renders the Markdown of every page and section in parallel, reusing cached results.
fn render_markdown(
    root: &Path,
    site: &Site,
    shortcodes: Option<&dyn Shortcodes>,
    cache: &mut BuildCache,
    context: u64,
) -> (Vec<Rendered>, BTreeMap<String, Rendered>) {
    use std::hash::{Hash, Hasher};
    let cached = &*cache;
    let md = |source: &content::Source, chapter: Option<u32>, page_url: &str| -> (u64, Rendered) {
        let (text, body_start) = source.full_text(root);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (context, &text, chapter, page_url).hash(&mut h);
        let hash = h.finish();
        if let Some(hit) = cached.lookup(&source.key, hash) {
            return (hash, hit);
        }
        let rendered = markdown::render(&markdown::Input {
            file: &source.file,
            text: &text,
            body_start,
            options: &site.config.markdown,
            urls: &site.urls,
            chapter,
            page_url,
            shortcodes,
        });
        (hash, rendered)
    };
    let pages: Vec<(u64, Rendered)> = site
        .content
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            md(
                &p.source,
                site.chapter_numbers.get(&i).copied(),
                &site.page_urls[i],
            )
        })
        .collect();
    let sections: BTreeMap<String, (u64, Rendered)> = site
        .content
        .sections
        .par_iter()
        .map(|(k, s)| (k.clone(), md(&s.source, None, &site.section_urls[k])))
        .collect();
    if cache.keep {
        cache.markdown = site
            .content
            .pages
            .iter()
            .map(|p| &p.source.key)
            .zip(&pages)
            .chain(sections.iter())
            .map(|(k, (h, r))| (k.clone(), (*h, r.clone())))
            .collect();
    }
    let pages = pages.into_iter().map(|(_, r)| r).collect();
    let sections = sections.into_iter().map(|(k, (_, r))| (k, r)).collect();
    (pages, sections)
}

/// Every `@/page.md#anchor` must name a heading of that page.
fn check_anchors(
    root: &Path,
    site: &Site,
    pages: &[Rendered],
    sections: &BTreeMap<String, Rendered>,
) -> Vec<Diagnostic> {
    let anchors_of = |key: &str| -> Option<&HashSet<String>> {
        site.page_index
            .get(key)
            .map(|i| &pages[*i].anchors)
            .or_else(|| sections.get(key).map(|r| &r.anchors))
    };
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
            let Some(anchors) = anchors_of(&r.target) else {
                continue;
            };
            if !anchors.contains(&r.anchor) {
                let mut known: Vec<&str> = anchors.iter().map(String::as_str).collect();
                known.sort_unstable();
                let hint = match diagnostics::did_you_mean(&r.anchor, known.iter().copied()) {
                    Some(best) => format!("did you mean #{best}?"),
                    None if known.is_empty() => {
                        format!("content/{} has no headings to link to", r.target)
                    }
                    None => format!(
                        "the headings of content/{} are: {}",
                        r.target,
                        known.join(", ")
                    ),
                };
                out.push(
                    Diagnostic::error(
                        &source.file,
                        r.line,
                        r.col,
                        format!(
                            "broken link: @/{}#{} (there is no heading with that anchor)",
                            r.target, r.anchor
                        ),
                    )
                    .with_hint(hint)
                    .with_source(&source.full_text(root).0),
                );
            }
        }
    }
    out
}

/// `@/` links in front matter (related, recording, event) must name existing pages.
fn check_references(site: &Site) -> Vec<Diagnostic> {
    use crate::content::KindData;
    let mut out = Vec::new();
    for page in &site.content.pages {
        let refs: Vec<(&str, &String)> = match &page.kind {
            KindData::Post(p) => p.related.iter().map(|r| ("related", r)).collect(),
            KindData::Event(e) => e.recording.iter().map(|r| ("recording", r)).collect(),
            KindData::Video(v) => v.event.iter().map(|r| ("event", r)).collect(),
            _ => Vec::new(),
        };
        for (field, link) in refs {
            let key = link
                .trim_start_matches("@/")
                .split('#')
                .next()
                .unwrap_or("");
            if !site.urls.contains_key(key) {
                out.push(
                    page.source
                        .fragment()
                        .error_for(field, format!("{field}: {link} does not exist (there is no content/{key})"))
                        .with_hint("link to the source file of an existing page, e.g. \"@/videos/webinar.md\""),
                );
            }
        }
    }
    for item in &site.config.menu {
        if let Some(key) = item.url.strip_prefix("@/") {
            if !site.urls.contains_key(key) {
                out.push(
                    Diagnostic::error(
                        "site.yaml",
                        0,
                        0,
                        format!(
                            "menu: \"{}\" links to {} which does not exist",
                            item.title, item.url
                        ),
                    )
                    .with_hint(
                        "menu links name a source file under content/, e.g. \"@/events/_index.md\"",
                    ),
                );
            }
        }
    }
    out
}

/// Theme templates first, then the site's, which replace them by name.
fn template_chain(root: &Path, theme: &theme::Theme) -> Vec<TemplateSource> {
    let mut by_name: BTreeMap<String, TemplateSource> = theme::builtin_shortcodes()
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    by_name.extend(theme.templates.iter().map(|t| (t.name.clone(), t.clone())));
    for t in theme::templates_in(&root.join("templates"), Path::new("templates")) {
        by_name.insert(t.name.clone(), t);
    }
    by_name.into_values().collect()
}

/// Every file copied verbatim: theme static, site static (wins), loose content files,
/// bundle assets, and the generated highlighting stylesheet.
fn static_files(root: &Path, theme: &theme::Theme, site: &Site) -> BTreeMap<String, Bytes> {
    let mut files: BTreeMap<String, Bytes> = theme.statics.iter().cloned().collect();
    files.insert(
        "highlight.css".into(),
        Bytes::Owned(Arc::from(
            markdown::highlight::stylesheet(&site.config.markdown.highlight_theme).into_bytes(),
        )),
    );
    files.extend(theme::files_in(&root.join("static")));
    for (path, rel) in &site.content.files {
        files.insert(rel.clone(), Bytes::File(path.clone()));
    }
    for (i, page) in site.content.pages.iter().enumerate() {
        let base = site.page_urls[i].trim_start_matches('/');
        let bundle = root
            .join("content")
            .join(content::discovery_dir_of(&page.source.key));
        for asset in &page.assets {
            if let Ok(rel) = asset.strip_prefix(&bundle) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.insert(format!("{base}{rel}"), Bytes::File(asset.clone()));
            }
        }
    }
    files
}

/// CSS and JavaScript get a fingerprinted copy; `asset()` returns its URL.
fn asset_map(files: &BTreeMap<String, Bytes>) -> AssetMap {
    files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".css") || rel.ends_with(".js"))
        .filter_map(|(rel, bytes)| {
            bytes
                .read()
                .ok()
                .map(|b| (rel.clone(), format!("/{}", output::fingerprinted(rel, &b))))
        })
        .collect()
}

/// `events.ics` with every event, and `event.ics` beside each event page.
fn write_calendars(s: &Staging, site: &Site) -> Result<usize, Diagnostic> {
    let events: Vec<usize> = site
        .section_pages
        .iter()
        .filter(|(k, _)| site.content.sections[*k].kind == crate::content::Kind::Event)
        .flat_map(|(_, pages)| pages.iter().copied())
        .collect();
    if events.is_empty() {
        return Ok(0);
    }
    let err = |e: std::io::Error| Diagnostic::general(format!("cannot write a calendar file: {e}"));
    s.write("/events.ics", ics::calendar(site, &events).as_bytes())
        .map_err(err)?;
    for i in &events {
        s.write(
            &ics::event_ics_url(&site.page_urls[*i]),
            ics::calendar(site, &[*i]).as_bytes(),
        )
        .map_err(err)?;
    }
    Ok(events.len() + 1)
}

fn write_site_files(
    s: &Staging,
    site: &Site,
    rendered: &[Rendered],
    statics: &BTreeMap<String, Bytes>,
    assets: &AssetMap,
) -> Result<usize, Diagnostic> {
    let io = |what: &str| {
        let what = what.to_string();
        move |e: std::io::Error| Diagnostic::general(format!("cannot write {what}: {e}"))
    };
    let copied: Result<usize, Diagnostic> = statics
        .par_iter()
        .map(|(rel, bytes)| {
            let data = bytes.read().map_err(io(rel))?;
            s.write(rel, &data).map_err(io(rel))?;
            if let Some(fp) = assets.get(rel) {
                s.write(fp, &data).map_err(io(fp))?;
                return Ok(2);
            }
            Ok(1)
        })
        .sum();
    let mut count = copied?;
    s.write("/sitemap.xml", site_files::sitemap(site).as_bytes())
        .map_err(io("sitemap.xml"))?;
    s.write("/robots.txt", site_files::robots(site).as_bytes())
        .map_err(io("robots.txt"))?;
    let posts = site_files::posts(site);
    s.write(
        "/atom.xml",
        site_files::atom(site, rendered, &site.config.title, "/atom.xml", &posts).as_bytes(),
    )
    .map_err(io("atom.xml"))?;
    count += 3;
    for term in site.tags.values() {
        let tagged: Vec<usize> = term
            .pages
            .iter()
            .copied()
            .filter(|i| site.content.pages[*i].kind.kind() == crate::content::Kind::Post)
            .collect();
        if !tagged.is_empty() {
            let path = format!("{}{}/atom.xml", crate::site::TAGS_URL, term.slug);
            let title = format!("{}: {}", site.config.title, term.name);
            s.write(
                &path,
                site_files::atom(site, rendered, &title, &path, &tagged).as_bytes(),
            )
            .map_err(io(&path))?;
            count += 1;
        }
    }
    s.write(
        "/search-index.json",
        site_files::search_index(site).as_bytes(),
    )
    .map_err(io("search-index.json"))?;
    count += 1;
    count += write_calendars(s, site)?;
    for (i, page) in site.content.pages.iter().enumerate() {
        for alias in page.meta.aliases.iter().filter_map(|a| alias_path(a)) {
            s.write(
                &alias,
                site_files::alias_page(site, &site.page_urls[i]).as_bytes(),
            )
            .map_err(io(&alias))?;
            count += 1;
        }
    }
    Ok(count)
}
