//! The only writer of the output tree: a staging directory beside `--out`, swapped in when
//! the whole build has succeeded, so a failed build leaves the previous output untouched and a
//! killed one leaves one whole output ([`Staging`]).

mod staging;

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::bytes::Bytes;

pub use staging::{remove_leftovers, Staging};

impl Staging {
    /// The file a URL path is written to: `/blog/x/` → `blog/x/index.html`.
    /// Refuses paths that would leave the output directory.
    pub fn path_for(&self, url_path: &str) -> io::Result<PathBuf> {
        Ok(self.dir().join(file_path(url_path)?))
    }

    /// Writes a file at a URL path.
    pub fn write(&self, url_path: &str, bytes: &[u8]) -> io::Result<()> {
        io::Write::write_all(&mut self.create_file(url_path)?, bytes)
    }

    /// Creates the file at a URL path (and its folders), for writing into.
    pub fn create_file(&self, url_path: &str) -> io::Result<std::fs::File> {
        let path = self.path_for(url_path)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::File::create(path)
    }
}

/// The output file of a URL path, relative to the output folder, with `/` separators:
/// `/blog/x/` → `blog/x/index.html`. Refuses paths that would leave the output folder or
/// that no file system could hold ([`crate::routes::writable`], which `check` asks too).
pub fn file_path(url_path: &str) -> io::Result<String> {
    if let Err(why) = crate::routes::writable(url_path) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path {url_path}: {why}"),
        ));
    }
    let mut path = String::with_capacity(url_path.len() + 10);
    for segment in url_path.split('/').filter(|s| !s.is_empty()) {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(segment);
    }
    if url_path.ends_with('/') || url_path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Ok(path)
}

/// Where a build's files go: the staging folder of `build`, or memory for `serve`.
pub trait Sink: Sync {
    /// Stores the file of a URL path.
    fn put(&self, url_path: &str, bytes: &Bytes) -> io::Result<()>;
}

impl Sink for Staging {
    fn put(&self, url_path: &str, bytes: &Bytes) -> io::Result<()> {
        match bytes {
            Bytes::File(source) => {
                let target = self.path_for(url_path)?;
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::copy(source, target).map(|_| ())
            }
            _ => self.write(url_path, &bytes.read()?),
        }
    }
}

/// The three kinds of file a build writes, in the order it writes them: where two share a
/// path, the later kind wins (a site file over a static file over a page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Pages made from templates.
    Pages = 0,
    /// Files copied verbatim.
    Statics = 1,
    /// Feeds, sitemap, calendars, redirects.
    SiteFiles = 2,
}

/// A build held in memory, for `serve`: every file by its path in the output
/// (`blog/x/index.html`), in its [`Layer`]. Files copied from the sources are read when they
/// are requested.
#[derive(Debug, Default, Clone)]
pub struct Files {
    /// Persistent maps: a copy shares everything with the original, so that an update that
    /// changes one page costs one insertion, not a copy of the site.
    layers: [imbl::HashMap<String, Bytes>; 3],
}

impl Files {
    /// The file at a path of the output (`blog/x/index.html`).
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        self.layers.iter().rev().find_map(|l| l.get(path))
    }

    /// The files of one layer, by path.
    pub fn layer(&self, layer: Layer) -> &imbl::HashMap<String, Bytes> {
        &self.layers[layer as usize]
    }

    /// Replaces the files of one layer.
    pub fn set_layer(&mut self, layer: Layer, files: imbl::HashMap<String, Bytes>) {
        self.layers[layer as usize] = files;
    }

    /// How many files there are (paths shared by two layers count once).
    pub fn len(&self) -> usize {
        let [pages, statics, site] = &self.layers;
        pages.len()
            + statics.keys().filter(|k| !pages.contains_key(*k)).count()
            + site
                .keys()
                .filter(|k| !pages.contains_key(*k) && !statics.contains_key(*k))
                .count()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.layers.iter().all(|l| l.is_empty())
    }

    /// Writes every file below `dir`, as `build` would have (for comparing the two).
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        for (path, bytes) in self.layers.iter().flat_map(|l| l.iter()) {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(target, bytes.read()?)?;
        }
        Ok(())
    }
}

/// A [`Sink`] that keeps nothing, for `check`.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &Bytes) -> io::Result<()> {
        Ok(())
    }
}

/// A [`Sink`] that collects files in memory, by their path in the output.
#[derive(Default)]
pub struct Collected(Mutex<HashMap<String, Bytes>>);

impl Sink for Collected {
    fn put(&self, url_path: &str, bytes: &Bytes) -> io::Result<()> {
        let path = file_path(url_path)?;
        self.0
            .lock()
            .map_err(|_| io::Error::other("a render thread panicked"))?
            .insert(path, bytes.clone());
        Ok(())
    }
}

impl Collected {
    /// The collected files, by path.
    pub fn into_map(self) -> HashMap<String, Bytes> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Makes a path absolute and removes `.` and `..` without touching the disk.
pub fn absolute(path: &Path) -> PathBuf {
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for c in base.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks of the part that exists, so two spellings of one folder compare equal.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Refuses an output directory that would overwrite the site's own sources.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), String> {
    if out.exists() && !out.is_dir() {
        return Err(format!(
            "--out {} is a file, not a folder; the build would replace it",
            out.display()
        ));
    }
    let root = absolute(root);
    let out = absolute(out);
    if root.starts_with(&out) {
        return Err(format!(
            "--out {} is the site folder or contains it; the build would delete the sources",
            out.display()
        ));
    }
    for protected in ["content", "themes", "static", "templates"] {
        let p = root.join(protected);
        if out.starts_with(&p) {
            return Err(format!(
                "--out {} is inside the site's {protected}/ folder",
                out.display()
            ));
        }
    }
    if out == root.join("site.yaml") {
        return Err("--out cannot be site.yaml".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::create(&dir.path().join("public")).unwrap();
        assert!(s
            .path_for("/blog/x/")
            .unwrap()
            .ends_with("blog/x/index.html"));
        assert!(s.path_for("/../x/").is_err());
        assert!(s.path_for("/a/..\\b/").is_err());
    }

    #[test]
    fn refuses_sources_as_output() {
        let root = Path::new("/tmp/site");
        assert!(check_out_dir(root, Path::new("/tmp/site")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp/site/content/x")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp/site/themes")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp/site/public")).is_ok());
        let file = tempfile::NamedTempFile::new().unwrap();
        assert!(check_out_dir(root, file.path()).is_err());
    }
}
