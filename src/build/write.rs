//! The output stage of a build: rendering jobs in parallel into a sink, and copying the
//! static files.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::render::theme::Bytes;
use crate::render::{AssetMap, Job, RenderInput, Renderer};

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
