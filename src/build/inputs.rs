//! What a build reads besides the content: the template chain and the static files.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::bytes::Bytes;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::images::{self, ImageSizes, Source, CARD, MAX_PIXELS};
use crate::render::AssetMap;
use crate::site::Site;
use crate::theme::{self, TemplateSource};

/// Theme templates first, then the site's, which replace them by name.
pub(crate) fn template_chain(root: &Path, theme: &theme::Theme) -> Vec<TemplateSource> {
    let mut by_name: BTreeMap<String, TemplateSource> = theme::builtin_templates()
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
            crate::highlight::stylesheet(&site.config.markdown.highlight_theme).into_bytes(),
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
            bytes.read().ok().map(|b| {
                (
                    rel.clone(),
                    format!("/{}", crate::digest::fingerprinted(rel, &b)),
                )
            })
        })
        .collect()
}

/// The size of every image among the files, for the `width` and `height` of `<img>`, and the
/// files derived from each JPEG, PNG and WebP; with an error for each image that cannot be
/// read, and a warning for each page whose `image` is too small for a social card.
pub(crate) fn image_sizes(
    root: &Path,
    files: &BTreeMap<String, Bytes>,
    site: &Site,
) -> (ImageSizes, Vec<Diagnostic>) {
    let sources: Vec<(&str, Source)> = files
        .iter()
        .map(|(rel, bytes)| {
            let source = match bytes {
                Bytes::Embedded(b) => Source::Bytes(b),
                Bytes::File(p) => Source::File(p),
                Bytes::Owned(b) => Source::Bytes(b),
            };
            (rel.as_str(), source)
        })
        .collect();
    let page_images = page_images(site);
    let cards: HashSet<String> = page_images.iter().map(|(_, path)| path.clone()).collect();
    let settings = images::Settings {
        widths: site.config.images.widths.clone(),
        quality: site.config.images.quality,
        sizes: site.config.images.sizes.clone(),
    };
    let (sizes, unreadable) = ImageSizes::catalog(sources, &settings, &cards);
    let mut found: Vec<Diagnostic> = unreadable
        .into_iter()
        .map(|u| {
            let users: Vec<String> = page_images
                .iter()
                .filter(|(_, path)| *path == u.path)
                .map(|(i, _)| site.content.pages[*i].source.file.display().to_string())
                .collect();
            unreadable_image(root, files.get(&u.path), &u, &users)
        })
        .collect();
    for (i, path) in &page_images {
        let Some(raster) = sizes.raster_at(path) else {
            continue;
        };
        if raster.too_small_for_card() {
            let page = &site.content.pages[*i];
            found.push(
                page.source
                    .fragment()
                    .error_for(
                        "image",
                        format!(
                            "image: {} is {} × {} pixels, smaller than a social card ({} × {}); it is shared as it is",
                            page.meta.image.as_deref().unwrap_or(path),
                            raster.size.width,
                            raster.size.height,
                            CARD.width,
                            CARD.height
                        ),
                    )
                    .into_warning()
                    .with_hint("use an image at least 1200 × 630 pixels, so the page's card is sharp where it is shared"),
            );
        }
    }
    (sizes, found)
}

/// Each page's `image` that is a file of the site: the page's index and the file's output path.
fn page_images(site: &Site) -> Vec<(usize, String)> {
    site.content
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, page)| {
            let image = page.meta.image.as_deref()?;
            if image.contains("://") {
                return None;
            }
            let url = match image.starts_with('/') {
                true => image.to_string(),
                false => format!("{}{image}", site.page_urls[i]),
            };
            let path = url.strip_prefix('/')?.split(['?', '#']).next()?;
            let path = percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .ok()?;
            Some((i, path.into_owned()))
        })
        .collect()
}

/// The error for an image that cannot be read, named by its source file, with the pages that
/// show it as their `image`.
fn unreadable_image(
    root: &Path,
    bytes: Option<&Bytes>,
    image: &images::Unreadable,
    users: &[String],
) -> Diagnostic {
    let shown = match bytes {
        Some(Bytes::File(p)) => p.strip_prefix(root).unwrap_or(p).to_path_buf(),
        _ => Path::new("static").join(&image.path),
    };
    let used = match users {
        [] => String::new(),
        _ => format!(" (the image of {})", users.join(", ")),
    };
    let hint = match image.problem.contains("megapixels") {
        true => format!(
            "resize it to at most {} megapixels (6000 × 4000 is plenty for any screen)",
            MAX_PIXELS / 1_000_000
        ),
        false => "open it in an image editor and save it again, or replace it".to_string(),
    };
    Diagnostic::error(shown, 0, 0, format!("this image {}{used}", image.problem)).with_hint(hint)
}
