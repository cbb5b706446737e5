//! `.pamphlet-cache/images/` beside site.yaml: every derived file, named by the hash of what
//! made it, so a build encodes only what changed and `serve` shares the work of `build`.
//! A file is written under a temporary name and renamed into place, so a build killed while
//! writing never leaves a half file under a name a later build would trust.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::raster::Variant;

/// The cache folder's path below the site root.
pub const FOLDER: &str = ".pamphlet-cache/images";

/// The cache of derived images of one site.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the site at `root`.
    pub fn of_site(root: &Path) -> Cache {
        Cache {
            dir: root.join(FOLDER),
        }
    }

    /// Where the variant is, or would be, kept.
    pub fn path(&self, v: &Variant) -> PathBuf {
        self.dir.join(format!("{}.{}", v.key, v.format.extension()))
    }

    /// Whether the variant is already made.
    pub fn has(&self, v: &Variant) -> bool {
        self.path(v).is_file()
    }

    /// Keeps the variant's bytes; returns where.
    pub fn store(&self, v: &Variant, bytes: &[u8]) -> io::Result<PathBuf> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        std::fs::create_dir_all(&self.dir)?;
        let target = self.path(v);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .dir
            .join(format!(".{}.{}.{n}.part", v.key, std::process::id()));
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, &target).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })?;
        Ok(target)
    }
}
