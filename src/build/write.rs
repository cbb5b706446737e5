//! The output stage of a build: rendering jobs in parallel into a sink, and copying the
//! static files.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::link_check::{Address, PageLinks};
use crate::bytes::Bytes;
use crate::diagnostics::Diagnostic;
use crate::images::{self, Cache, ImageSizes, Raster, Variant};
use crate::output::Sink;
use crate::render::{AssetMap, Job, RenderInput, Renderer};

/// The links of every HTML page written, by site path.
pub(crate) type Links = HashMap<String, Arc<PageLinks>>;

/// The links of one HTML page written, and its site path.
type Read = (String, Arc<PageLinks>);

/// Writes every job and static file (found below `root`) into `sink`: templated pages first,
/// then the static files and the images derived from them, then the site-wide files (so that
/// these win over a static file of the same name, as they always have). Returns how many files
/// were written, and the links of the HTML pages.
pub(crate) fn write_all(
    root: &Path,
    input: &RenderInput,
    renderer: &Renderer,
    jobs: &[Job],
    statics: &BTreeMap<String, Bytes>,
    assets: &AssetMap,
    sink: &dyn Sink,
) -> Result<(usize, Links), Vec<Diagnostic>> {
    let (pages, site_files): (Vec<&Job>, Vec<&Job>) = jobs.iter().partition(|j| j.is_page());
    let (mut errors, mut links) = render_jobs(input, renderer, &pages, sink);
    let copied = match copy_statics(root, statics, assets, &renderer.images, sink) {
        Ok(n) => n,
        Err(d) => {
            errors.push(d);
            0
        }
    };
    let derived = match write_images(root, statics, &renderer.images, sink) {
        Ok(n) => n,
        Err(d) => {
            errors.extend(d);
            0
        }
    };
    let (more_errors, more_links) = render_jobs(input, renderer, &site_files, sink);
    errors.extend(more_errors);
    links.extend(more_links);
    match errors.is_empty() {
        true => Ok((jobs.len() + copied + derived, links)),
        false => Err(errors),
    }
}

/// Renders jobs in parallel into `sink`; returns the errors, and the links of each HTML page
/// read from its final bytes.
pub(crate) fn render_jobs(
    input: &RenderInput,
    renderer: &Renderer,
    jobs: &[&Job],
    sink: &dyn Sink,
) -> (Vec<Diagnostic>, Links) {
    let address = Address::new(&input.site.config.base_url);
    let done: Vec<Result<Option<Read>, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let url = input.url_of(job);
            let bytes = input.render(renderer, job)?;
            let html_page = url.ends_with('/') || url.ends_with(".html");
            let links = html_page.then(|| Arc::new(PageLinks::read(&bytes, &url, &address)));
            sink.put(&url, &Bytes::Owned(Arc::from(bytes)))
                .map_err(|e| write_error(&url, &e))?;
            Ok(links.map(|l| (url, l)))
        })
        .collect();
    let mut errors = Vec::new();
    let mut links = Links::with_capacity(done.len());
    for result in done {
        match result {
            Ok(read) => links.extend(read),
            Err(d) => errors.push(d),
        }
    }
    (errors, links)
}

/// Copies the static files (found below `root`), and a fingerprinted copy of each stylesheet
/// and script; an image that says where it was taken is copied without saying it.
pub(crate) fn copy_statics(
    root: &Path,
    statics: &BTreeMap<String, Bytes>,
    assets: &AssetMap,
    images: &ImageSizes,
    sink: &dyn Sink,
) -> Result<usize, Diagnostic> {
    statics
        .par_iter()
        .map(|(rel, bytes)| {
            if let Some(raster) = images.raster_at(rel).filter(|r| r.location) {
                let private = without_location(root, rel, bytes, raster)?;
                sink.put(rel, &private).map_err(|e| write_error(rel, &e))?;
                return Ok(1);
            }
            let put = |url: &str| {
                sink.put(url, bytes)
                    .map_err(|e| copy_error(root, url, bytes, &e))
            };
            put(rel)?;
            if let Some(fingerprinted) = assets.get(rel) {
                put(fingerprinted)?;
                return Ok(2);
            }
            Ok(1)
        })
        .sum()
}

/// The bytes of an image that carries GPS data, without it.
fn without_location(
    root: &Path,
    rel: &str,
    bytes: &Bytes,
    raster: &Raster,
) -> Result<Bytes, Diagnostic> {
    let read = bytes.read().map_err(|e| copy_error(root, rel, bytes, &e))?;
    images::without_location(&read, raster.orientation)
        .map(|b| Bytes::Owned(Arc::from(b)))
        .map_err(|problem| image_error(root, rel, bytes, &problem))
}

/// Writes the files derived from each JPEG, PNG and WebP: from the cache beside site.yaml,
/// encoding (in parallel) only those it does not have yet. Returns how many were written.
pub(crate) fn write_images(
    root: &Path,
    statics: &BTreeMap<String, Bytes>,
    images: &ImageSizes,
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let cache = Cache::of_site(root);
    let (written, errors): (Vec<usize>, Vec<Diagnostic>) = images
        .rasters()
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|(rel, raster)| Some((rel, raster, statics.get(rel)?)))
        .map(|(rel, raster, bytes)| {
            let made = derive_missing(&cache, raster, bytes)
                .map_err(|problem| image_error(root, rel, bytes, &problem))?;
            for v in raster.derived() {
                let file = made
                    .iter()
                    .find(|(key, _)| *key == v.key)
                    .map(|(_, path)| Bytes::File(path.clone()))
                    .unwrap_or_else(|| Bytes::File(cache.path(v)));
                sink.put(&v.path, &file)
                    .map_err(|e| write_error(&v.path, &e))?;
            }
            Ok(raster.derived().count())
        })
        .partition_map(|r: Result<usize, Diagnostic>| match r {
            Ok(n) => rayon::iter::Either::Left(n),
            Err(d) => rayon::iter::Either::Right(d),
        });
    match errors.is_empty() {
        true => Ok(written.into_iter().sum()),
        false => Err(errors),
    }
}

/// Encodes the variants of `raster` that the cache lacks and keeps them there; returns each
/// one's key and cache path.
fn derive_missing(
    cache: &Cache,
    raster: &Raster,
    bytes: &Bytes,
) -> Result<Vec<(String, std::path::PathBuf)>, String> {
    let missing: Vec<&Variant> = raster.derived().filter(|v| !cache.has(v)).collect();
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let source = bytes.read().map_err(|e| format!("cannot be read: {e}"))?;
    let encoded = images::derive(raster, &source, &missing)?;
    missing
        .iter()
        .zip(encoded)
        .map(|(v, b)| {
            let path = cache.store(v, &b).map_err(|e| {
                format!(
                    "cannot be kept in {}: {e}",
                    cache.path(v).parent().unwrap_or(Path::new("")).display()
                )
            })?;
            Ok((v.key.clone(), path))
        })
        .collect()
}

/// An image that cannot be decoded or kept, named by its source.
fn image_error(root: &Path, rel: &str, bytes: &Bytes, problem: &str) -> Diagnostic {
    let shown = match bytes {
        Bytes::File(p) => p.strip_prefix(root).unwrap_or(p).to_path_buf(),
        _ => Path::new("static").join(rel),
    };
    Diagnostic::error(shown, 0, 0, format!("this image {problem}"))
        .with_hint("open it in an image editor and save it again, or replace it")
}

fn write_error(url: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::general(format!("cannot write {url}: {e}"))
}

/// Why a file could not be copied to `url`: when its source cannot be read (removed while the
/// site was being built), an error naming the source; else one naming what was written.
fn copy_error(root: &Path, url: &str, bytes: &Bytes, e: &io::Error) -> Diagnostic {
    let Bytes::File(source) = bytes else {
        return write_error(url, e);
    };
    let Err(read) = std::fs::File::open(source) else {
        return write_error(url, e);
    };
    let shown = source.strip_prefix(root).unwrap_or(source);
    match read.kind() {
        io::ErrorKind::NotFound => Diagnostic::error(
            shown,
            0,
            0,
            "the file disappeared while the site was being built",
        )
        .with_hint("build again"),
        _ => Diagnostic::error(
            shown,
            0,
            0,
            format!("cannot read the file to copy it to {url}: {read}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Staging;

    #[test]
    fn a_static_file_removed_during_the_build_is_named_by_its_source() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        let source = root.path().join("content/notes.txt");
        std::fs::write(&source, "notes").unwrap();
        let statics = BTreeMap::from([("notes.txt".to_string(), Bytes::File(source.clone()))]);
        let staging = Staging::create(&root.path().join("public")).unwrap();
        let copy = || {
            copy_statics(
                root.path(),
                &statics,
                &AssetMap::default(),
                &ImageSizes::default(),
                &staging,
            )
        };
        assert_eq!(copy(), Ok(1));
        std::fs::remove_file(&source).unwrap();
        assert_eq!(
            copy().unwrap_err().to_string(),
            "error: content/notes.txt: the file disappeared while the site was being built\n  \
             = hint: build again\n"
        );
    }
}
