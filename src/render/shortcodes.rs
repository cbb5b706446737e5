//! Shortcodes rendered with the site's templates (`templates/shortcodes/<name>.html`), with
//! the arguments of the built-in ones checked first so authors get a precise error.

use tera::Value;

use super::values::{json, obj, video_urls};
use super::Renderer;
use crate::content::kinds::Provider;
use crate::markdown::shortcodes::{Call, Refusal, Shortcodes};
use crate::site::Site;

/// The shortcodes of one build: the renderer's templates and the site's settings.
pub struct SiteShortcodes<'a> {
    /// Templates.
    pub renderer: &'a Renderer,
    /// The site.
    pub site: &'a Site,
}

/// Allowed arguments of the built-in shortcodes, and which are required.
fn builtin(name: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match name {
        "video" => (
            &[
                "provider", "id", "src", "title", "poster", "captions", "duration",
            ],
            &["provider", "title"],
        ),
        "figure" => (
            &["src", "alt", "decorative", "caption", "width", "height"],
            &["src"],
        ),
        "callout" => (&["type", "title"], &[]),
        "signup" => (&["label"], &[]),
        _ => return None,
    })
}

impl Shortcodes for SiteShortcodes<'_> {
    fn render(&self, call: &Call, body_html: Option<&str>) -> Result<String, Refusal> {
        let name = &call.name;
        let template = format!("shortcodes/{name}.html");
        if !self.renderer.has(&template) {
            return Err(Refusal::from(format!(
                "unknown shortcode `{name}`: there is no templates/shortcodes/{name}.html"
            )));
        }
        if let Some((allowed, required)) = builtin(name) {
            check_args(call, allowed, required)?;
            check_urls(call)?;
        }
        let mut ctx = tera::Context::new();
        ctx.insert_value("config", self.renderer.config.clone());
        ctx.insert_value("data", self.renderer.data.clone());
        for (k, v) in &call.args {
            ctx.insert_value(k.clone(), json(v));
        }
        ctx.insert_value(
            "body",
            body_html.map_or_else(Value::none, Value::safe_string),
        );
        match name.as_str() {
            "video" => ctx.insert_value("video", self.video(call)?),
            "figure" => figure_alt(call, &mut ctx)?,
            "signup" if self.site.config.signup.is_none() => {
                return Err("shortcode signup: site.yaml has no `signup:` (add `signup: { action: https://…, label: … }`)".into())
            }
            "callout" if body_html.is_none() => {
                return Err("shortcode callout needs a body: {% callout(type=\"note\") %}…{% end %}".into())
            }
            _ => {}
        }
        self.renderer
            .render(&template, &ctx, &format!("shortcode {name}"))
            .map_err(|d| format!("shortcode {name}: {} ({})", d.message, d.location()).into())
    }
}

/// A figure's alt text: as written, or empty for a decorative image (one with no alt is
/// reported by the accessibility checks of the Markdown stage, and shown with an empty one).
fn figure_alt(call: &Call, ctx: &mut tera::Context) -> Result<(), Refusal> {
    let alt = call.args.get("alt").and_then(|v| v.as_str()).unwrap_or("");
    let decorative = crate::markdown::shortcodes::is_true(call.args.get("decorative"));
    if decorative && !alt.trim().is_empty() {
        return Err(Refusal {
            message: "shortcode figure: an image with decorative=true has no alt text".into(),
            hint: Some("remove decorative=true if the alt text says something the reader needs, else remove alt".into()),
        });
    }
    ctx.insert("alt", alt);
    Ok(())
}

/// The arguments of the built-in shortcodes that the page links to or loads.
fn url_args(name: &str) -> &'static [&'static str] {
    match name {
        "figure" => &["src"],
        "video" => &["src", "poster", "captions"],
        _ => &[],
    }
}

/// A built-in shortcode's link or source must not run a script, as in front matter.
fn check_urls(call: &Call) -> Result<(), Refusal> {
    let script = url_args(&call.name).iter().find(|key| {
        call.args
            .get(**key)
            .and_then(|v| v.as_str())
            .is_some_and(crate::links::runs_script)
    });
    match script {
        Some(key) => Err(Refusal {
            message: format!(
                "shortcode {}: {key}: a script is not a link (javascript: URLs are not allowed)",
                call.name
            ),
            hint: Some(
                "write a web address (https://…) or a path on the site (/images/x.png)".into(),
            ),
        }),
        None => Ok(()),
    }
}

fn check_args(call: &Call, allowed: &[&str], required: &[&str]) -> Result<(), String> {
    for key in call.args.keys() {
        if !allowed.contains(&key.as_str()) {
            let hint = crate::diagnostics::did_you_mean(key, allowed.iter().copied()).map_or_else(
                || format!("it takes: {}", allowed.join(", ")),
                |b| format!("did you mean `{b}`?"),
            );
            return Err(format!(
                "shortcode {}: unknown argument `{key}`; {hint}",
                call.name
            ));
        }
    }
    for key in required {
        let present = call
            .args
            .get(*key)
            .is_some_and(|v| v.as_str().is_none_or(|s| !s.trim().is_empty()));
        if !present {
            return Err(format!(
                "shortcode {}: the `{key}` argument is required",
                call.name
            ));
        }
    }
    Ok(())
}

impl SiteShortcodes<'_> {
    fn video(&self, call: &Call) -> Result<Value, String> {
        let arg = |k: &str| {
            call.args.get(k).and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| Some(v.to_string()))
            })
        };
        let provider = match arg("provider").as_deref() {
            Some("youtube") => Provider::Youtube,
            Some("vimeo") => Provider::Vimeo,
            Some("file") => Provider::File,
            other => {
                return Err(format!(
                    "shortcode video: provider \"{}\" is not youtube, vimeo or file",
                    other.unwrap_or_default()
                ))
            }
        };
        let id = arg("id");
        let src = arg("src");
        match provider {
            Provider::File if src.is_none() => {
                return Err("shortcode video: provider \"file\" needs src=\"/media/x.mp4\"".into())
            }
            Provider::Youtube | Provider::Vimeo if id.is_none() => {
                return Err("shortcode video: the `id` argument is required".into())
            }
            _ => {}
        }
        let (watch, embed) = video_urls(provider, id.as_deref(), src.as_deref());
        Ok(obj([
            ("provider", json(&provider)),
            ("id", id.map_or_else(Value::none, Value::from)),
            ("src", src.map_or_else(Value::none, Value::from)),
            ("watch_url", Value::from(watch)),
            ("embed_url", Value::from(embed)),
            (
                "poster",
                arg("poster").map_or_else(Value::none, Value::from),
            ),
            (
                "captions",
                arg("captions").map_or_else(Value::none, Value::from),
            ),
            ("duration_display", Value::none()),
        ]))
    }
}
