//! The build: the stages of the pipeline run in order, each returning its diagnostics,
//! and the output swapped in only when there are no errors.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{self, Diagnostic};
use crate::markdown::shortcodes::Shortcodes;
use crate::markdown::{self, Rendered};
use crate::output::{self, Sink, Staging};
use crate::render::shortcodes::SiteShortcodes;
use crate::render::theme::{self, Bytes, TemplateSource};
use crate::render::{AssetMap, Job, RenderInput, Renderer, Summaries};
use crate::site::Site;

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
    let started = Instant::now();
    let mut timer = Timer::new();
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    if options.write {
        output::check_out_dir(&options.root, &out).map_err(BuildFailure::usage)?;
    }
    let Prepared {
        site,
        statics,
        assets,
        renderer,
        markdown,
        warnings: mut diags,
        ..
    } = prepare(options, &Reuse::Nothing, &mut timer, started)?;
    timer.lap("summaries");
    let summaries = Summaries::build(&site, &markdown.pages);
    let input = RenderInput::new(&site, &markdown.pages, &markdown.sections, &summaries);
    let jobs = input.jobs(&renderer);
    timer.lap("render");
    let staging = match options.write {
        true => Some(Staging::create(&out).map_err(|e| {
            failure(
                vec![Diagnostic::general(format!(
                    "cannot create the output folder next to {}: {e}",
                    out.display()
                ))],
                started,
            )
        })?),
        false => None,
    };
    let sink: &dyn Sink = match &staging {
        Some(s) => s,
        None => &output::Discard,
    };
    let written = write_all(&input, &renderer, &jobs, &statics, &assets, sink);
    let files = match written {
        Ok(n) => n,
        Err(d) => return Err(failure(diags.into_iter().chain(d).collect(), started)),
    };
    if let Some(s) = staging {
        timer.lap("commit");
        s.commit().map_err(|e| {
            failure(
                vec![Diagnostic::general(format!(
                    "cannot move the new build into {}: {e}",
                    out.display()
                ))],
                started,
            )
        })?;
    }
    timer.lap("done");
    diagnostics::sort(&mut diags);
    Ok(BuildReport {
        pages: jobs.iter().filter(|j| j.is_page()).count(),
        files,
        elapsed: started.elapsed(),
        warnings: diags,
        out,
    })
}

/// A site read, resolved and rendered to HTML fragments, ready for its pages to be written.
pub(crate) struct Prepared {
    /// Settings, theme and templates.
    pub setup: Setup,
    /// The resolved site.
    pub site: Site,
    /// The files copied verbatim, by output path.
    pub statics: BTreeMap<String, Bytes>,
    /// Fingerprinted names of the stylesheets and scripts.
    pub assets: Arc<AssetMap>,
    /// The templates, loaded.
    pub renderer: Renderer,
    /// Every page's and section's Markdown.
    pub markdown: Markdown,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// The stages from the files to rendered Markdown, shared by `build` and a full rebuild
/// in `serve`; any error stops here, with every diagnostic found.
pub(crate) fn prepare(
    options: &BuildOptions,
    reuse: &Reuse,
    timer: &mut Timer,
    started: Instant,
) -> Result<Prepared, BuildFailure> {
    let setup = Setup::load(options, started)?;
    let mut diags = setup.warnings.clone();
    timer.lap("load");
    let (content, found) = content::load(
        &options.root,
        &setup.config,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    diags.extend(found);
    timer.lap("resolve");
    let (site, found) = Site::resolve(setup.config.clone(), content, setup.now);
    diags.extend(found);
    timer.lap("templates");
    let statics = static_files(&options.root, &setup.theme, &site);
    let assets = Arc::new(asset_map(&statics));
    let renderer = Renderer::new(&site, setup.templates.clone(), Arc::clone(&assets));
    timer.lap("markdown");
    let context = Markdown::context_of(&site, &setup.templates);
    let markdown = {
        let shortcodes = renderer.as_ref().ok().map(|r| SiteShortcodes {
            renderer: r,
            site: &site,
        });
        let shortcodes = shortcodes.as_ref().map(|s| s as &dyn Shortcodes);
        Markdown::render(&options.root, &site, shortcodes, context, reuse)
    };
    diags.extend(markdown.diagnostics());
    diags.extend(check_anchors(&options.root, &site, &markdown));
    diags.extend(check_references(&site));
    let renderer = match renderer {
        Ok(r) if !diags.iter().any(Diagnostic::is_error) => r,
        Ok(_) => return Err(failure(diags, started)),
        Err(d) => return Err(failure(diags.into_iter().chain(d).collect(), started)),
    };
    Ok(Prepared {
        setup,
        site,
        statics,
        assets,
        renderer,
        markdown,
        warnings: diags,
    })
}

/// A failed build's diagnostics, sorted, with the time it took.
pub(crate) fn failure(mut diagnostics: Vec<Diagnostic>, started: Instant) -> BuildFailure {
    diagnostics::sort(&mut diagnostics);
    BuildFailure {
        usage: false,
        diagnostics,
        elapsed: started.elapsed(),
    }
}

/// Everything a build reads besides the content: settings, theme, templates and the clock.
pub(crate) struct Setup {
    /// site.yaml, with `--base-url` applied.
    pub config: Config,
    /// "Now", from `--now` or the clock.
    pub now: jiff::Timestamp,
    /// The theme.
    pub theme: theme::Theme,
    /// Theme templates overridden by the site's.
    pub templates: Vec<TemplateSource>,
    /// Warnings about the theme options.
    pub warnings: Vec<Diagnostic>,
}

impl Setup {
    /// Reads site.yaml and the theme; an error here stops the build.
    pub fn load(options: &BuildOptions, started: Instant) -> Result<Setup, BuildFailure> {
        let (mut config, site_yaml) =
            Config::load_with_text(&options.root).map_err(|d| failure(d, started))?;
        if let Some(base) = &options.base_url {
            config.base_url = base.trim_end_matches('/').to_string();
        }
        let now = now(options, &config)?;
        let theme = theme::load_theme(&options.root, &config.theme)
            .map_err(|d| failure(vec![d], started))?;
        let warnings = theme::check_options(&theme, &config, &site_yaml);
        let templates = template_chain(&options.root, &theme);
        Ok(Setup {
            config,
            now,
            theme,
            templates,
            warnings,
        })
    }
}

/// "Now": `--now` if given, else the clock.
pub(crate) fn now(
    options: &BuildOptions,
    config: &Config,
) -> Result<jiff::Timestamp, BuildFailure> {
    match &options.now {
        Some(text) => crate::dates::parse_now(text, &config.time_zone())
            .map_err(|e| BuildFailure::usage(format!("--now: {} ({})", e.message, e.hint))),
        None => Ok(jiff::Timestamp::now()),
    }
}

/// Writes every job and static file into `sink`: templated pages first, then the static
/// files, then the site-wide files (so that these win over a static file of the same name,
/// as they always have). Returns how many files were written.
pub(crate) fn write_all(
    input: &RenderInput,
    renderer: &Renderer,
    jobs: &[Job],
    statics: &BTreeMap<String, Bytes>,
    assets: &AssetMap,
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let (pages, site_files): (Vec<&Job>, Vec<&Job>) = jobs.iter().partition(|j| j.is_page());
    let mut errors = render_jobs(input, renderer, &pages, sink);
    let copied = match copy_statics(statics, assets, sink) {
        Ok(n) => n,
        Err(d) => {
            errors.push(d);
            0
        }
    };
    errors.extend(render_jobs(input, renderer, &site_files, sink));
    match errors.is_empty() {
        true => Ok(jobs.len() + copied),
        false => Err(errors),
    }
}

/// Renders jobs in parallel into `sink`; returns the errors.
pub(crate) fn render_jobs(
    input: &RenderInput,
    renderer: &Renderer,
    jobs: &[&Job],
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    jobs.par_iter()
        .filter_map(|job| {
            let url = input.url_of(job);
            let bytes = match input.render(renderer, job) {
                Ok(b) => b,
                Err(d) => return Some(d),
            };
            sink.put(&url, &Bytes::Owned(Arc::from(bytes)))
                .err()
                .map(|e| write_error(&url, &e))
        })
        .collect()
}

/// Copies the static files, and a fingerprinted copy of each stylesheet and script.
pub(crate) fn copy_statics(
    statics: &BTreeMap<String, Bytes>,
    assets: &AssetMap,
    sink: &dyn Sink,
) -> Result<usize, Diagnostic> {
    statics
        .par_iter()
        .map(|(rel, bytes)| {
            sink.put(rel, bytes).map_err(|e| write_error(rel, &e))?;
            if let Some(fingerprinted) = assets.get(rel) {
                sink.put(fingerprinted, bytes)
                    .map_err(|e| write_error(fingerprinted, &e))?;
                return Ok(2);
            }
            Ok(1)
        })
        .sum()
}

fn write_error(url: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::general(format!("cannot write {url}: {e}"))
}

/// Stage timings, printed to stderr when `PAMPHLET_TIMINGS` is set (for profiling builds).
pub(crate) struct Timer {
    enabled: bool,
    last: Instant,
    stage: &'static str,
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            enabled: std::env::var_os("PAMPHLET_TIMINGS").is_some(),
            last: Instant::now(),
            stage: "config",
        }
    }

    /// Ends the current stage and starts the next.
    pub fn lap(&mut self, next: &'static str) {
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

/// The rendered Markdown of every page and section, with the hash of what each was made
/// from, so that a rebuild can tell which it may keep.
pub(crate) struct Markdown {
    /// The hash of what every file's Markdown depends on besides its own text.
    pub context: u64,
    /// By page index.
    pub pages: Vec<Arc<Rendered>>,
    /// By section key.
    pub sections: BTreeMap<String, Arc<Rendered>>,
    /// The hash of each file's whole input and its result, by content key.
    pub by_key: HashMap<String, (u64, Arc<Rendered>)>,
}

/// What a rendering of the Markdown may take from a previous one.
pub(crate) enum Reuse<'a> {
    /// Nothing: render every file.
    Nothing,
    /// Files whose text and context are unchanged (every file is read to compare).
    SameText(&'a Markdown),
    /// Files not named in `changed` whose URL, chapter number and context are unchanged
    /// (no file is read but the changed ones).
    Unchanged {
        /// The previous Markdown.
        markdown: &'a Markdown,
        /// The site it was rendered for.
        site: &'a Site,
        /// Content keys of the files that changed.
        changed: &'a BTreeSet<String>,
    },
}

impl Reuse<'_> {
    /// The previous result for a file, if it may be kept without reading the file.
    fn without_reading(
        &self,
        key: &str,
        context: u64,
        chapter: Option<u32>,
        url: &str,
    ) -> Option<(u64, Arc<Rendered>)> {
        let Reuse::Unchanged {
            markdown,
            site,
            changed,
        } = self
        else {
            return None;
        };
        if markdown.context != context || changed.contains(key) {
            return None;
        }
        let same = match site.page_index.get(key) {
            Some(i) => site.page_urls[*i] == url && site.chapter_numbers.get(i).copied() == chapter,
            None => site.section_urls.get(key).map(String::as_str) == Some(url),
        };
        same.then(|| markdown.by_key.get(key).cloned()).flatten()
    }

    /// The previous result for a file whose input hashes to `hash`.
    fn with_hash(&self, key: &str, hash: u64) -> Option<Arc<Rendered>> {
        let (Reuse::SameText(markdown) | Reuse::Unchanged { markdown, .. }) = self else {
            return None;
        };
        markdown
            .by_key
            .get(key)
            .filter(|(h, _)| *h == hash)
            .map(|(_, r)| Arc::clone(r))
    }
}

impl Markdown {
    /// A hash of everything besides its own text that a file's Markdown depends on: the URL
    /// of every page (links), the settings, and the shortcode templates.
    pub fn context_of(site: &Site, templates: &[TemplateSource]) -> u64 {
        let mut urls: Vec<(&String, &String)> = site.urls.iter().collect();
        urls.sort_unstable();
        let shortcodes: Vec<(&String, &String)> = templates
            .iter()
            .filter(|t| t.name.starts_with("shortcodes/"))
            .map(|t| (&t.name, &t.text))
            .collect();
        let config = serde_json::to_string(&site.config).unwrap_or_default();
        hash_of(&(urls, config, shortcodes))
    }

    /// Renders the Markdown of every page and section in parallel, keeping what `reuse` allows.
    pub fn render(
        root: &Path,
        site: &Site,
        shortcodes: Option<&dyn Shortcodes>,
        context: u64,
        reuse: &Reuse,
    ) -> Markdown {
        let one = |source: &content::Source, chapter: Option<u32>, url: &str| {
            if let Some(kept) = reuse.without_reading(&source.key, context, chapter, url) {
                return kept;
            }
            let (text, body_start) = source.full_text(root);
            let hash = hash_of(&(context, &text, chapter, url));
            if let Some(kept) = reuse.with_hash(&source.key, hash) {
                return (hash, kept);
            }
            let rendered = markdown::render(&markdown::Input {
                file: &source.file,
                text: &text,
                body_start,
                options: &site.config.markdown,
                urls: &site.urls,
                chapter,
                page_url: url,
                shortcodes,
            });
            (hash, Arc::new(rendered))
        };
        let pages: Vec<(u64, Arc<Rendered>)> = site
            .content
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let chapter = site.chapter_numbers.get(&i).copied();
                one(&p.source, chapter, &site.page_urls[i])
            })
            .collect();
        let sections: Vec<(String, (u64, Arc<Rendered>))> = site
            .content
            .sections
            .par_iter()
            .map(|(k, s)| (k.clone(), one(&s.source, None, &site.section_urls[k])))
            .collect();
        let by_key = site
            .content
            .pages
            .iter()
            .map(|p| &p.source.key)
            .zip(&pages)
            .chain(sections.iter().map(|(k, entry)| (k, entry)))
            .map(|(k, entry)| (k.clone(), entry.clone()))
            .collect();
        Markdown {
            context,
            pages: pages.into_iter().map(|(_, r)| r).collect(),
            sections: sections.into_iter().map(|(k, (_, r))| (k, r)).collect(),
            by_key,
        }
    }

    /// The warnings and errors found while rendering.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.pages
            .iter()
            .chain(self.sections.values())
            .flat_map(|r| r.diagnostics.iter().cloned())
    }
}

/// A hash for telling whether an input changed between two builds of one session.
pub(crate) fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Every `@/page.md#anchor` must name a heading of that page.
pub(crate) fn check_anchors(root: &Path, site: &Site, markdown: &Markdown) -> Vec<Diagnostic> {
    let (pages, sections) = (&markdown.pages, &markdown.sections);
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
pub(crate) fn check_references(site: &Site) -> Vec<Diagnostic> {
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
pub(crate) fn template_chain(root: &Path, theme: &theme::Theme) -> Vec<TemplateSource> {
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
pub(crate) fn static_files(
    root: &Path,
    theme: &theme::Theme,
    site: &Site,
) -> BTreeMap<String, Bytes> {
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
pub(crate) fn asset_map(files: &BTreeMap<String, Bytes>) -> AssetMap {
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
