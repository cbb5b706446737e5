//! What a build reads besides the content: the template chain and the static files.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::bytes::Bytes;
use crate::content;
use crate::images::{ImageSizes, Source};
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

/// The size of every image among the files, for the `width` and `height` of `<img>`.
pub(crate) fn image_sizes(files: &BTreeMap<String, Bytes>) -> ImageSizes {
    let files: Vec<(&str, Source)> = files
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
    ImageSizes::read(files)
}
