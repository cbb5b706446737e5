//! What `check --external` learned of each address, kept in `.pamphlet-cache/` beside
//! site.yaml so that a rerun asks again only about what is older than `--max-age`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Outcome;

/// The cache folder, beside site.yaml.
pub const DIR: &str = ".pamphlet-cache";
/// The file of the external links' results, in [`DIR`].
pub const FILE: &str = "external-links.json";

/// The result of trying one address, and when it was tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was tried, in seconds since 1970.
    pub checked: u64,
    /// What came of it.
    pub outcome: Outcome,
}

/// Every address tried, by address.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    /// The results.
    links: BTreeMap<String, Entry>,
}

impl Cache {
    /// The cache of the site at `root`; empty when there is none or it cannot be read (it is
    /// then made anew).
    pub fn load(root: &Path) -> Cache {
        std::fs::read(path(root))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The result for `url` if it was tried at most `max_age` seconds before `now`.
    pub fn fresh(&self, url: &str, now: u64, max_age: u64) -> Option<&Outcome> {
        let entry = self.links.get(url)?;
        (now.saturating_sub(entry.checked) <= max_age && entry.checked <= now)
            .then_some(&entry.outcome)
    }

    /// Remembers the result for `url`.
    pub fn insert(&mut self, url: String, entry: Entry) {
        self.links.insert(url, entry);
    }

    /// Writes the cache (through a file beside it, renamed over it, so a killed run never
    /// leaves half a file).
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let target = path(root);
        std::fs::create_dir_all(root.join(DIR))?;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let partial = target.with_extension("json.partial");
        std::fs::write(&partial, text + "\n")?;
        std::fs::rename(partial, target)
    }
}

/// Where the cache of the site at `root` is.
pub fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_is_fresh_for_its_max_age_and_survives_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::default();
        let broken = Outcome::Broken("404 Not Found".into());
        cache.insert(
            "https://x.example/a".into(),
            Entry {
                checked: 1_000,
                outcome: broken.clone(),
            },
        );
        cache.save(dir.path()).unwrap();
        let cache = Cache::load(dir.path());
        assert_eq!(cache.fresh("https://x.example/a", 1_060, 60), Some(&broken));
        assert_eq!(cache.fresh("https://x.example/a", 1_061, 60), None);
        assert_eq!(cache.fresh("https://x.example/a", 999, 60), None);
        assert_eq!(cache.fresh("https://x.example/b", 1_000, 60), None);
    }
}
