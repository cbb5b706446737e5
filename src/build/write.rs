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
use crate::output::Sink;
use crate::render::{AssetMap, Job, RenderInput, Renderer};

/// The links of every HTML page written, by site path.
pub(crate) type Links = HashMap<String, Arc<PageLinks>>;

/// The links of one HTML page written, and its site path.
type Read = (String, Arc<PageLinks>);

/// Writes every job and static file (found below `root`) into `sink`: templated pages first,
/// then the static files, then the site-wide files (so that these win over a static file of the
/// same name, as they always have). Returns how many files were written, and the links of
/// the HTML pages.
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
    let copied = match copy_statics(root, statics, assets, sink) {
        Ok(n) => n,
        Err(d) => {
            errors.push(d);
            0
        }
    };
    let (more_errors, more_links) = render_jobs(input, renderer, &site_files, sink);
    errors.extend(more_errors);
    links.extend(more_links);
    match errors.is_empty() {
        true => Ok((jobs.len() + copied, links)),
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
/// and script.
pub(crate) fn copy_statics(
    root: &Path,
    statics: &BTreeMap<String, Bytes>,
    assets: &AssetMap,
    sink: &dyn Sink,
) -> Result<usize, Diagnostic> {
    statics
        .par_iter()
        .map(|(rel, bytes)| {
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
        let copy = || copy_statics(root.path(), &statics, &AssetMap::default(), &staging);
        assert_eq!(copy(), Ok(1));
        std::fs::remove_file(&source).unwrap();
        assert_eq!(
            copy().unwrap_err().to_string(),
            "error: content/notes.txt: the file disappeared while the site was being built\n  \
             = hint: build again\n"
        );
    }
}
