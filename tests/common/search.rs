//! The search index of a built site read as `search.js` reads it: the manifest, then the one
//! term file each query word is in, then the filter files and the result files of what it
//! found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use pamphlet::render::search::{part_of, words, Stemmer};
use serde_json::Value;

/// The search of one built site, as the browser runs it.
pub struct Search<'a> {
    out: &'a Path,
    /// The folder of the index in the output: `search`, `cy/search`.
    dir: &'a str,
    /// `index.json`.
    pub manifest: Value,
}

/// What a result shows of a page, read from its result file.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: u64,
    pub score: u64,
    pub url: String,
    pub title: String,
    pub kind: String,
    pub text: String,
}

impl<'a> Search<'a> {
    /// The default language's index of the site built in `out`.
    pub fn of(out: &'a Path) -> Search<'a> {
        Search::at(out, "search")
    }

    /// The index in the folder `dir` of the output (`cy/search` for the Welsh one).
    pub fn at(out: &'a Path, dir: &'a str) -> Search<'a> {
        let manifest = json(out, &format!("{dir}/index.json"));
        Search { out, dir, manifest }
    }

    /// The stems of a query, each once, in order.
    pub fn stems(&self, query: &str) -> Vec<String> {
        let language = match self.manifest["stemmer"].as_str() {
            Some("english") => "en",
            _ => "none",
        };
        let mut stemmer = Stemmer::for_language(language);
        let mut stems: Vec<String> = Vec::new();
        for word in words(query) {
            let stem = stemmer.stem(&word).to_string();
            if !stems.contains(&stem) {
                stems.push(stem);
            }
        }
        stems
    }

    /// The pages with every word of `query`, best first, of `kind` and with `tag` if given.
    pub fn find(&self, query: &str, kind: Option<&str>, tag: Option<&str>) -> Vec<Hit> {
        let parts = self.manifest["parts"].as_u64().unwrap() as usize;
        let mut scores: Option<BTreeMap<u64, u64>> = None;
        for stem in self.stems(query) {
            let file = json(
                self.out,
                &format!("{}/terms/{}.json", self.dir, part_of(&stem, parts)),
            );
            let postings = file[&stem].as_array().cloned().unwrap_or_default();
            let mut here = BTreeMap::new();
            let mut id = 0;
            for pair in postings.chunks(2) {
                id += pair[0].as_u64().unwrap();
                let weight = pair[1].as_u64().unwrap();
                match &scores {
                    None => {
                        here.insert(id, weight);
                    }
                    Some(before) => {
                        if let Some(s) = before.get(&id) {
                            here.insert(id, s + weight);
                        }
                    }
                }
            }
            scores = Some(here);
        }
        let mut allowed = Vec::new();
        if let Some(kind) = kind {
            allowed.push(self.ids(&format!("{}/kinds/{kind}.json", self.dir)));
        }
        if let Some(tag) = tag {
            let tags = self.manifest["tags"].as_array().unwrap();
            let n = tags.iter().position(|t| t["slug"] == tag).unwrap();
            allowed.push(self.ids(&format!("{}/tags/{n}.json", self.dir)));
        }
        let mut hits: Vec<(u64, u64)> = scores
            .unwrap_or_default()
            .into_iter()
            .filter(|(id, _)| allowed.iter().all(|a| a.contains(id)))
            .collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.into_iter()
            .map(|(id, score)| self.hit(id, score))
            .collect()
    }

    pub fn ids(&self, file: &str) -> BTreeSet<u64> {
        let mut id = 0;
        json(self.out, file)
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                id += d.as_u64().unwrap();
                id
            })
            .collect()
    }

    pub fn hit(&self, id: u64, score: u64) -> Hit {
        let page = json(self.out, &format!("{}/pages/{id}.json", self.dir));
        let text = |k: &str| page[k].as_str().unwrap_or_default().to_string();
        Hit {
            id,
            score,
            url: text("url"),
            title: text("title"),
            kind: text("kind"),
            text: text("text"),
        }
    }

    /// Every page's result file (as many as the manifest says; a page's id is its index in
    /// the site's pages, so the ids of one language's index may skip some).
    pub fn all(&self) -> Vec<Hit> {
        let dir = self.out.join(self.dir).join("pages");
        let mut ids: Vec<u64> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|f| {
                let name = f.unwrap().file_name().into_string().unwrap();
                name.trim_end_matches(".json").parse().unwrap()
            })
            .collect();
        ids.sort_unstable();
        assert_eq!(Some(ids.len() as u64), self.manifest["pages"].as_u64());
        ids.into_iter().map(|id| self.hit(id, 0)).collect()
    }
}

/// A JSON file of the output.
pub fn json(out: &Path, file: &str) -> Value {
    let text = std::fs::read_to_string(out.join(file))
        .unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}
