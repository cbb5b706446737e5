//! The build: the stages of the pipeline run in order, each returning its diagnostics,
//! and the output swapped in only when there are no errors.

mod checks;
mod inputs;
mod link_check;
mod markdown;
mod route_check;
mod timer;
mod write;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) use checks::gate;
pub(crate) use inputs::{asset_map, image_sizes, static_files, template_chain};
pub(crate) use link_check::{check as check_links, PageLinks, WrittenFiles};
pub use link_check::{ExternalLink, Place};
pub(crate) use markdown::{Context as MarkdownContext, Markdown, Reuse};
pub(crate) use route_check::check_routes;
pub(crate) use timer::Timer;
pub(crate) use write::{copy_statics, render_jobs, write_all, write_images};

use crate::bytes::Bytes;
use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::diagnostics::{self, Diagnostic};
use crate::images::ImageSizes;
use crate::markdown::shortcodes::Shortcodes;
use crate::output::{self, Sink, Staging};
use crate::render::shortcodes::SiteShortcodes;
use crate::render::{AssetMap, RenderInput, Renderer, Summaries};
use crate::site::Site;
use crate::theme::{self, TemplateSource};

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
    /// Include pages dated after "now" (a preview: each shows a "scheduled for" banner).
    pub future: bool,
    /// "Now" for upcoming/past events and the publishing schedule, for reproducible builds.
    pub now: Option<String>,
    /// Write the output (false for `check`).
    pub write: bool,
    /// Link pages from the root of the host whatever the path of `base_url`, as `serve`
    /// serves them (a site published under `/campaign/` is previewed at `/`).
    pub at_host_root: bool,
    /// Gather the site's `http(s)` links elsewhere, for `check --external` (a build never
    /// goes to the network itself).
    pub external: bool,
}

impl BuildOptions {
    /// Which pages the content stage publishes at `now`.
    pub(crate) fn load_options(&self, now: jiff::Timestamp) -> LoadOptions {
        LoadOptions {
            drafts: self.drafts,
            future: self.future,
            now,
        }
    }
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
    /// The first instant after "now" at which a build of the same sources would write
    /// something else (a scheduled page goes live, a page expires, an event ends, a
    /// registration closes): when a pipeline should build again.
    pub next_change: Option<jiff::Timestamp>,
    /// The site's `http(s)` links elsewhere, when [`BuildOptions::external`] asks for them.
    pub external: Vec<ExternalLink>,
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
    /// A failure because of how pamphlet was asked (a bad option), with what is wrong.
    pub fn usage(message: String) -> BuildFailure {
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
    let mut cleaned = Vec::new();
    if options.write {
        output::check_out_dir(&options.root, &out).map_err(BuildFailure::usage)?;
        if let Err(e) = output::remove_leftovers(&out) {
            cleaned.push(Diagnostic::warning(
                PathBuf::new(),
                0,
                0,
                format!(
                    "cannot remove what a killed build left next to {}: {e}",
                    out.display()
                ),
            ));
        }
    }
    let Prepared {
        site,
        statics,
        assets,
        renderer,
        markdown,
        warnings: mut diags,
        failing,
        ..
    } = prepare(options, &Reuse::Nothing, &mut timer, started)?;
    diags.extend(cleaned);
    let next_change = site.content.next_change(site.now);
    timer.lap("summaries");
    let summaries = Summaries::build(&site, &markdown.pages, |_| None);
    let input = RenderInput::new(&site, &markdown.pages, &markdown.sections, &summaries);
    let jobs = input.jobs(&renderer);
    timer.lap("render");
    if failing {
        let (root, statics, assets) = (&options.root, &statics, &assets);
        let found = rendering_errors(root, &input, &renderer, &jobs, statics, assets);
        return Err(failure(with_rendering_errors(diags, found), started));
    }
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
    let written = write_all(
        &options.root,
        &input,
        &renderer,
        &jobs,
        &statics,
        &assets,
        sink,
    );
    let (files, links) = match written {
        Ok(done) => done,
        Err(d) => return Err(failure(diags.into_iter().chain(d).collect(), started)),
    };
    timer.lap("links");
    let written = WrittenFiles::new(&input, &jobs, &statics, &assets, &renderer.images);
    let broken = check_links(
        &options.root,
        &input,
        &renderer,
        &jobs,
        |url| links.get(url).map(|l| &**l),
        &written,
    );
    if !broken.is_empty() {
        return Err(failure(diags.into_iter().chain(broken).collect(), started));
    }
    let external = match options.external {
        true => link_check::external_links(&options.root, &input, &renderer, &jobs, |url| {
            links.get(url).map(|l| &**l)
        }),
        false => Vec::new(),
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
        next_change,
        external,
    })
}

/// The errors a site with errors in some pages' content finds when the pages that loaded are
/// rendered (into nothing: a failing build writes nothing) and their links checked: a run
/// reports them with the content's, and only the template errors when there are any.
pub(crate) fn rendering_errors(
    root: &Path,
    input: &RenderInput,
    renderer: &Renderer,
    jobs: &[crate::render::Job],
    statics: &BTreeMap<String, Bytes>,
    assets: &AssetMap,
) -> Vec<Diagnostic> {
    let all: Vec<&crate::render::Job> = jobs.iter().collect();
    let (errors, links) = render_jobs(input, renderer, &all, &output::Discard);
    if !errors.is_empty() {
        return errors;
    }
    let written = WrittenFiles::new(input, jobs, statics, assets, &renderer.images);
    let links_of = |url: &str| links.get(url).map(|l| &**l);
    check_links(root, input, renderer, jobs, links_of, &written)
}

/// The diagnostics found before rendering and the errors rendering found, each once: a
/// broken link found again in the output, where it was already reported (an `@/` link to a
/// heading that is not there), is left out.
pub(crate) fn with_rendering_errors(
    mut found: Vec<Diagnostic>,
    rendering: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let known: std::collections::HashSet<(PathBuf, usize, usize)> = found
        .iter()
        .filter(|d| d.is_error() && d.line > 0)
        .map(|d| (d.path.clone(), d.line, d.col))
        .collect();
    found.extend(
        rendering
            .into_iter()
            .filter(|d| !known.contains(&(d.path.clone(), d.line, d.col))),
    );
    found
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
    /// Warnings found on the way, and the content's errors when `failing`.
    pub warnings: Vec<Diagnostic>,
    /// Whether some pages have errors ([`checks::Passed`]): the others are rendered for the
    /// errors rendering finds, and nothing is written.
    pub failing: bool,
}

/// The stages from the files to rendered Markdown, shared by `build` and a full rebuild
/// in `serve`; an error stops here, with every diagnostic found, unless it is in some pages'
/// content ([`gate`]).
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
        options.load_options(setup.now),
    );
    diags.extend(found);
    timer.lap("resolve");
    let site = Site::resolve(setup.config.clone(), content, setup.now);
    timer.lap("templates");
    let statics = static_files(&options.root, &setup.theme, &site);
    let assets = Arc::new(asset_map(&statics));
    let (images, found) = image_sizes(&options.root, &statics, &site);
    diags.extend(found);
    let images = Arc::new(images);
    let renderer = Renderer::new(
        &site,
        setup.templates.clone(),
        Arc::clone(&assets),
        Arc::clone(&images),
    );
    timer.lap("markdown");
    let context = markdown::Context::of(&site, &setup.template_prints, &assets, &images);
    let markdown = self::markdown(
        &options.root,
        &site,
        renderer.as_ref().ok(),
        &images,
        context,
        reuse,
    );
    let search = renderer.as_ref().map_or(true, |r| r.has("search.html"));
    let passed = gate(
        &options.root,
        &site,
        &markdown,
        &statics,
        search,
        renderer,
        diags,
    )
    .map_err(|d| failure(d, started))?;
    Ok(Prepared {
        setup,
        site,
        statics,
        assets,
        renderer: passed.renderer,
        markdown,
        warnings: passed.diagnostics,
        failing: passed.failing,
    })
}

/// The Markdown stage, with the site's shortcodes when its templates loaded.
pub(crate) fn markdown(
    root: &Path,
    site: &Site,
    renderer: Option<&Renderer>,
    images: &ImageSizes,
    context: MarkdownContext,
    reuse: &Reuse,
) -> Markdown {
    let shortcodes = renderer.map(|renderer| SiteShortcodes { renderer, site });
    let shortcodes = shortcodes.as_ref().map(|s| s as &dyn Shortcodes);
    Markdown::render(root, site, shortcodes, images, context, reuse)
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
    /// Each template's hash together with every template it uses ([`theme::closures`]).
    pub template_prints: HashMap<String, u64>,
    /// Warnings about the theme options, and what is wrong with the files of `data/` (errors
    /// too: they are reported with the content's, so a run shows every one).
    pub warnings: Vec<Diagnostic>,
}

impl Setup {
    /// Reads site.yaml and the theme; an error here stops the build.
    pub fn load(options: &BuildOptions, started: Instant) -> Result<Setup, BuildFailure> {
        if !options.root.is_dir() {
            return Err(BuildFailure::usage(format!(
                "--root {}: there is no such folder",
                options.root.display()
            )));
        }
        let (mut config, site_yaml) =
            Config::load_with_text(&options.root).map_err(|d| failure(d, started))?;
        if let Some(base) = &options.base_url {
            if let Some(problem) = crate::config::base_url_problem(base) {
                return Err(BuildFailure::usage(format!(
                    "--base-url \"{base}\" {problem} (e.g. https://concordat.example.org)"
                )));
            }
            config.base_url = base.trim_end_matches('/').to_string();
        }
        if options.at_host_root {
            config.base_url = crate::routes::origin(&config.base_url).to_string();
        }
        let now = now(options, &config)?;
        let theme = theme::load_theme(&options.root, &config.theme)
            .map_err(|d| failure(vec![d], started))?;
        let mut warnings = theme::check_options(&theme, &config, &site_yaml);
        let (data, data_found) = crate::data::load(&options.root);
        config.data = Arc::new(data);
        warnings.extend(data_found);
        let others: Vec<String> = config.languages.keys().cloned().collect();
        let (strings, strings_found) = crate::i18n::Strings::load(
            &options.root,
            &theme.strings,
            &site_yaml,
            &config.language,
            &others,
        );
        config.strings = Arc::new(strings);
        warnings.extend(strings_found);
        let templates = template_chain(&options.root, &theme);
        let template_prints = theme::closures(&templates);
        Ok(Setup {
            config,
            now,
            theme,
            templates,
            template_prints,
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
