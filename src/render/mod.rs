//! The render stage: tera with the lookup chain site `templates/` > theme, its filters and
//! functions, and template errors as diagnostics. [`jobs`] lists everything a build writes
//! and the context each file is rendered with.

pub mod context;
pub mod ics;
pub mod jobs;
pub mod jsonld;
pub mod search;
pub mod shortcodes;
pub mod site_files;
pub mod values;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, Kwargs, State, Tera, Value};

pub use context::PrintedContext;
pub use jobs::{jobs, Job, RenderInput, Summaries};

use crate::diagnostics::Diagnostic;
use crate::digest::{hash_of, hash_of_serialized};
use crate::images::ImageSizes;
use crate::links::{with_anchor, ContentLink, Href};
use crate::site::Site;
use crate::theme::TemplateSource;
use values::{json, obj};

/// Tera, loaded once with every template, plus the values shared by all pages.
pub struct Renderer {
    tera: Tera,
    /// Template name -> file shown in diagnostics.
    files: HashMap<String, PathBuf>,
    /// Template name -> text, for the snippet under an error.
    sources: BTreeMap<String, String>,
    /// `config` as templates see it, built once: the default language's.
    pub config: Value,
    /// `config` on the pages of each other language: its title, description and taxonomy
    /// names, printed once for all the files that show it.
    configs: BTreeMap<String, Arc<context::Shared>>,
    /// The files of `data/`, as templates and shortcodes see them (`data.partners`).
    pub data: Value,
    /// The size of every image, for `image_size()`.
    pub images: Arc<ImageSizes>,
    /// The default language's `config`, and `data`, as every file's context shares them,
    /// printed once for all.
    shared: [Arc<context::Shared>; 2],
    /// A print of what the templates' functions and filters read besides their arguments
    /// (URLs, assets, images, strings): a file's print takes it with its context's.
    functions_print: u64,
}

/// Template name -> URL of the fingerprinted asset, for the `asset()` function.
pub type AssetMap = BTreeMap<String, String>;

impl Renderer {
    /// Loads the theme's templates, then the site's over them, and registers the functions.
    pub fn new(
        site: &Site,
        templates: Vec<TemplateSource>,
        assets: Arc<AssetMap>,
        images: Arc<ImageSizes>,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".htm"]);
        let mut files = HashMap::new();
        let mut by_name: BTreeMap<String, String> = BTreeMap::new();
        for t in templates {
            files.insert(t.name.clone(), t.file);
            by_name.insert(t.name, t.text);
        }
        let functions_print = functions_print(site, &assets, &images);
        register(&mut tera, site, assets, Arc::clone(&images));
        if let Err(e) =
            tera.add_raw_templates(by_name.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(vec![template_error(&e, &files, &by_name, None)]);
        }
        let config = config_value(site, None);
        let configs = site
            .config
            .languages
            .keys()
            .map(|l| (l.clone(), context::Shared::new(config_value(site, Some(l)))))
            .collect();
        let data = json(&*site.config.data);
        Ok(Renderer {
            tera,
            files,
            sources: by_name,
            shared: [
                context::Shared::new(config.clone()),
                context::Shared::new(data.clone()),
            ],
            config,
            configs,
            data,
            images,
            functions_print,
        })
    }

    /// What every template reads besides its context, as a print ([`Renderer::functions_print`]).
    pub fn functions_print(&self) -> u64 {
        self.functions_print
    }

    /// Whether a template by this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `template` with `ctx`, turning tera errors into diagnostics.
    pub fn render(&self, template: &str, ctx: &Context, what: &str) -> Result<String, Diagnostic> {
        let mut out = Vec::new();
        self.render_to(template, ctx, what, &mut out)?;
        String::from_utf8(out).map_err(|_| {
            Diagnostic::general(format!("{what}: the template wrote text that is not UTF-8"))
        })
    }

    /// Renders `template` straight into `out` (a page is never held whole in memory).
    pub fn render_to(
        &self,
        template: &str,
        ctx: &Context,
        what: &str,
        out: impl std::io::Write,
    ) -> Result<(), Diagnostic> {
        self.tera.render_to(template, ctx, out).map_err(|e| {
            let mut d = template_error(&e, &self.files, &self.sources, Some(template));
            d.hint = Some(
                format!("{} (while rendering {what})", d.hint.unwrap_or_default())
                    .trim_start()
                    .to_string(),
            );
            d
        })
    }

    /// Where the templates write the attribute value `text`: the file and 1-based line of its
    /// first occurrence, quoted, in `template`, else in another template (one it extends or
    /// includes), else `template`'s file and line 0. Names the template a link of a finished
    /// page came from.
    pub fn locate(&self, template: &str, text: &str) -> (PathBuf, usize) {
        let file = |name: &str| {
            self.files
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from("templates").join(name))
        };
        // As an attribute's value first (`"/"` is in every end tag, `href="/"` in few).
        let line_of = |source: &str| {
            let quoted = [format!("\"{text}\""), format!("'{text}'")];
            let at = quoted.iter().find_map(|q| source.find(q.as_str()))?;
            Some(source[..at].matches('\n').count() + 1)
        };
        let own = self.sources.get(template).map(|s| (template, s));
        let others = self.sources.iter().filter(|(name, _)| *name != template);
        own.into_iter()
            .chain(others.map(|(name, s)| (name.as_str(), s)))
            .find_map(|(name, source)| Some((file(name), line_of(source)?)))
            .unwrap_or_else(|| (file(template), 0))
    }

    /// A context with the values every template gets, for the file at site path `path` in
    /// language `lang` (`None`: the default), which `config`, `t()`, `date`, `lang` and `dir`
    /// read.
    pub fn context(&self, site: &Site, path: &str, lang: Option<&str>) -> PrintedContext {
        let mut ctx = PrintedContext::new();
        let [config, data] = &self.shared;
        let config = lang.and_then(|l| self.configs.get(l)).unwrap_or(config);
        ctx.insert_shared("config", config);
        ctx.insert_shared("data", data);
        ctx.insert("current_path", path);
        ctx.insert("current_url", &crate::routes::permalink(&site.config, path));
        ctx.insert("lang", site.config.lang_tag(lang));
        ctx.insert("home_url", &crate::routes::in_language(lang, "/"));
        ctx.insert_value("site_links", site_links(site, lang));
        ctx.insert_value("menu", menu_value(site, path, lang));
        ctx
    }
}

/// A print of everything [`register`] hands the functions and filters it registers.
fn functions_print(site: &Site, assets: &AssetMap, images: &ImageSizes) -> u64 {
    let mut urls: Vec<(&String, &String)> = site.urls.iter().collect();
    urls.sort_unstable();
    let strings = hash_of_serialized(&*site.config.strings);
    hash_of(&(urls, assets, images, strings))
}

fn register(tera: &mut Tera, site: &Site, assets: Arc<AssetMap>, images: Arc<ImageSizes>) {
    let variants = Arc::clone(&images);
    // `image_size(path="/logo.svg", height=40)`: the width and height to write on an `<img>`
    // of one of the site's images, scaled to the height or width given; none for a file that
    // is not among the site's images.
    tera.register_function(
        "image_size",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let Some(size) = images.get(&format!("/{}", path.trim_start_matches('/'))) else {
                return Ok(Value::none());
            };
            let size = match (kwargs.get::<u32>("height")?, kwargs.get::<u32>("width")?) {
                (Some(h), _) => size.at_height(h),
                (None, Some(w)) => size.at_width(w),
                (None, None) => size,
            };
            Ok(json(&size))
        },
    );
    // `image_variants(path="photo.jpg", base=page.url)`: what is derived from one of the
    // site's JPEG, PNG or WebP files (a relative `path` is taken from `base`), for templates
    // that show it: `srcset`, `webp_srcset`, `type`, `width`, `height`, `card` (the social
    // card's URL, or the image's own when it has none) and `poster` (a width fit for a video
    // poster); none for any other file.
    tera.register_function(
        "image_variants",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let url = match (path.starts_with('/'), kwargs.get::<&str>("base")?) {
                (true, _) => path.to_string(),
                (false, Some(base)) => format!("{}{path}", base),
                (false, None) => format!("/{path}"),
            };
            let Some(raster) = variants.raster(&url) else {
                return Ok(Value::none());
            };
            let own = |v: Option<&crate::images::Variant>| {
                v.map_or_else(|| url.clone(), |v| crate::images::url_of(&v.path))
            };
            Ok(json(&serde_json::json!({
                "srcset": raster.srcset(raster.format),
                "webp_srcset": raster.srcset(crate::images::Format::Webp),
                "type": raster.format.mime(),
                "width": raster.size.width,
                "height": raster.size.height,
                "card": own(raster.card.as_ref()),
                "poster": own(raster.at_least(960)),
            })))
        },
    );
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs
                .must_get::<&str>("path")?
                .trim_start_matches('/')
                .to_string();
            Ok(assets
                .get(&path)
                .cloned()
                .unwrap_or_else(|| format!("/{path}")))
        },
    );
    let urls = Arc::new(site.urls.clone());
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            match ContentLink::parse(path) {
                Some(link) => link.resolve(&urls).ok_or_else(|| {
                    tera::Error::message(format!("url_for: there is no content/{}", link.key))
                }),
                None => Ok(path.to_string()),
            }
        },
    );
    tera.register_filter(
        "shift_headings",
        |html: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let by: usize = kwargs.get("by")?.unwrap_or(1);
            Ok(Value::safe_string(&crate::markdown::shift_headings(
                html, by,
            )))
        },
    );
    tera.register_filter(
        "prefix_ids",
        |html: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let prefix: &str = kwargs.must_get("prefix")?;
            Ok(Value::safe_string(&crate::markdown::prefix_ids(
                html, prefix,
            )))
        },
    );
    let strings = Arc::clone(&site.config.strings);
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let words = language(&strings, state)?;
            let format: Option<&str> = kwargs.get("format")?;
            format_date(value, format, words)
                .ok_or_else(|| tera::Error::message(format!("date: \"{value}\" is not a date")))
        },
    );
    i18n_functions(tera, &site.config.strings);
}

/// `t(key="next")` (with `count=n` for plural forms, and any `name=value` for `{name}`),
/// `plural_forms(key=...)` for scripts that count, and `dir()`, all in the page's language.
fn i18n_functions(tera: &mut Tera, strings: &Arc<crate::i18n::Strings>) {
    let all = Arc::clone(strings);
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: &str = kwargs.must_get("key")?;
            let count: Option<i64> = kwargs.get("count")?;
            let args: Vec<(String, String)> = kwargs
                .iter()
                .filter(|(k, _)| !matches!(k.to_string().as_str(), "key" | "count"))
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        v.as_str().map_or_else(|| v.to_string(), String::from),
                    )
                })
                .collect();
            let args: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let words = language(&all, state)?;
            words.text(key, count, &args).ok_or_else(|| {
                tera::Error::message(format!(
                    "t: there is no string \"{key}\" (add `{key}: ...` to i18n/{}.yaml)",
                    crate::i18n::file_code(&words.tag)
                ))
            })
        },
    );
    let all = Arc::clone(strings);
    tera.register_function(
        "plural_forms",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            Ok(json(&language(&all, state)?.plural_forms(key)))
        },
    );
    let all = Arc::clone(strings);
    tera.register_function(
        "dir",
        move |_: Kwargs, state: &State| -> tera::TeraResult<String> {
            Ok(language(&all, state)?.dir().to_string())
        },
    );
}

/// The language of the page being rendered (`lang` in its context), else the site's.
fn language<'s>(
    strings: &'s crate::i18n::Strings,
    state: &State,
) -> tera::TeraResult<&'s crate::i18n::Language> {
    let lang: Option<String> = state.get("lang")?;
    Ok(match lang {
        Some(tag) => strings.get(&tag),
        None => strings.default_language(),
    })
}

/// Formats an RFC 3339 string or a bare date with strftime (month and day names in the
/// page's language), keeping its offset; with no format, as the language writes a date.
fn format_date(value: &str, format: Option<&str>, words: &crate::i18n::Language) -> Option<String> {
    let zoned = match value.parse::<jiff::civil::Date>() {
        Ok(d) if value.len() == 10 => d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok()?,
        _ => {
            let ts: jiff::Timestamp = value.parse().ok()?;
            let offset = crate::dates::offset_of(value).unwrap_or(jiff::tz::Offset::UTC);
            ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
        }
    };
    Some(match format {
        Some(format) => words.strftime(&zoned, format),
        None => words.long_date(&zoned),
    })
}

fn template_error(
    e: &tera::Error,
    files: &HashMap<String, PathBuf>,
    sources: &BTreeMap<String, String>,
    rendering: Option<&str>,
) -> Diagnostic {
    let shown = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from("templates").join(name))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let mut d = Diagnostic::error(
                shown(r.filename()),
                span.start_line,
                span.start_col + 1,
                r.message().to_string(),
            );
            if let Some(src) = sources.get(r.filename()) {
                d = d.with_source(src);
            }
            d.with_hint("check the template syntax: {{ value }}, {% if %}…{% endif %}, {% for x in list %}…{% endfor %}")
        }
        tera::ErrorKind::TemplateNotFound(name)
        | tera::ErrorKind::MissingParent { parent: name, .. } => Diagnostic::error(
            shown(rendering.unwrap_or(name)),
            0,
            0,
            format!("template \"{name}\" does not exist"),
        )
        .with_hint("add it to templates/, or fix the name in {% extends %} / {% include %}"),
        _ => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            match report_location(&msg) {
                Some((name, line, col)) => {
                    let first = msg
                        .lines()
                        .next()
                        .unwrap_or("")
                        .trim_start_matches("error: ");
                    let d = Diagnostic::error(shown(name), line, col + 1, first.to_string());
                    match sources.get(name) {
                        Some(src) => d.with_source(src),
                        None => d,
                    }
                    .with_hint(
                        "a template that extends another may only fill blocks its parent defines",
                    )
                }
                None => Diagnostic::error(shown(rendering.unwrap_or("")), 0, 0, msg),
            }
        }
    }
}

/// The first ` --> name:line:col` of a tera report.
fn report_location(report: &str) -> Option<(&str, usize, usize)> {
    let at = report.split(" --> ").nth(1)?.lines().next()?;
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    Some((parts.next()?, line, col))
}

/// `config` as the templates of a page in `lang` see it (`None`: the default language).
fn config_value(site: &Site, lang: Option<&str>) -> Value {
    let c = &site.config;
    obj([
        ("title", Value::from(c.title_in(lang))),
        ("base_url", Value::from(c.base_url.as_str())),
        ("language", Value::from(c.language.as_str())),
        ("description", Value::from(c.description_in(lang))),
        ("timezone", Value::from(c.timezone.as_str())),
        ("theme_options", json(&c.theme_options)),
        ("authors", json(&c.authors)),
        ("signup", json(&c.signup)),
        ("organizer", json(&c.organizer)),
        (
            "taxonomies",
            Value::from(
                c.taxonomies
                    .iter()
                    .map(|t| values::taxonomy(lang, t, c.strings.get(c.lang_tag(lang))))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("extra", json(&c.extra)),
    ])
}

/// `site_links`: the addresses every page of a language links to (its search page, the
/// site's feeds in it and its taxonomies' lists), for the theme's header and footer.
fn site_links(site: &Site, lang: Option<&str>) -> Value {
    use crate::routes::{feed, in_language, FeedFormat, SEARCH_URL};
    let home = in_language(lang, "/");
    let taxonomies = site.config.taxonomies.iter();
    obj([
        ("search_url", Value::from(in_language(lang, SEARCH_URL))),
        ("atom_url", Value::from(feed(&home, FeedFormat::Atom))),
        ("rss_url", Value::from(feed(&home, FeedFormat::Rss))),
        (
            "taxonomies",
            Value::from(
                taxonomies
                    .map(|t| {
                        values::taxonomy(
                            lang,
                            t,
                            site.config.strings.get(site.config.lang_tag(lang)),
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
    ])
}

fn menu_value(site: &Site, current: &str, lang: Option<&str>) -> Value {
    let items: Vec<Value> = site
        .config
        .menu_in(lang)
        .iter()
        .filter_map(|m| {
            // An item naming a page that is not published is left out (with a warning).
            let (page, anchor) = match &m.url {
                Href::Content(link) => (site.urls.get(&link.key)?.clone(), link.anchor.as_deref()),
                Href::Url(url) => (url.clone(), None),
            };
            // A link to a part of the current page is not a link to the page itself.
            let exact = page == current && anchor.is_none();
            let within = page != "/" && page.starts_with('/') && current.starts_with(&page);
            let url = with_anchor(&page, anchor);
            Some(obj([
                ("title", Value::from(m.title.as_str())),
                ("url", Value::from(url)),
                ("current", Value::from(exact)),
                ("active", Value::from(exact || within)),
            ]))
        })
        .collect();
    Value::from(items)
}
