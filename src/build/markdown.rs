//! The Markdown stage of a build: every page's and section's body rendered in parallel, with
//! what a rebuild may keep from the previous one.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content;
use crate::diagnostics::Diagnostic;
use crate::digest::hash_of;
use crate::images::ImageSizes;
use crate::markdown::shortcodes::Shortcodes;
use crate::markdown::{self, Rendered};
use crate::render::AssetMap;
use crate::site::Site;

/// The rendered Markdown of every page and section, with the hash of what each was made
/// from, so that a rebuild can tell which it may keep.
pub(crate) struct Markdown {
    /// What every file's Markdown depends on besides its own text.
    pub context: Context,
    /// By page index.
    pub pages: Vec<Arc<Rendered>>,
    /// By section key.
    pub sections: BTreeMap<String, Arc<Rendered>>,
    /// The bodies of the pages that failed to load, by content key: never published, rendered
    /// for their diagnostics.
    pub failed: BTreeMap<String, Arc<Rendered>>,
    /// The hash of each file's whole input and its result, by content key.
    pub by_key: HashMap<String, (u64, Arc<Rendered>)>,
}

/// What a file's Markdown depends on besides its own text, as two hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Context {
    /// The URL of every page (links), the pages not published, and the settings.
    pub links: u64,
    /// The shortcode templates with what they include, and the asset names they may use:
    /// only files that call shortcodes depend on these.
    pub shortcodes: u64,
    /// The size of every image: only files that show images depend on these.
    pub images: u64,
}

impl Context {
    /// The context of a site's Markdown.
    pub fn of(
        site: &Site,
        template_prints: &HashMap<String, u64>,
        assets: &AssetMap,
        images: &ImageSizes,
    ) -> Context {
        let mut urls: Vec<(&String, &String)> = site.urls.iter().collect();
        urls.sort_unstable();
        let config = serde_json::to_string(&site.config).unwrap_or_default();
        let mut shortcodes: Vec<(&String, &u64)> = template_prints
            .iter()
            .filter(|(name, _)| name.starts_with("shortcodes/"))
            .collect();
        shortcodes.sort_unstable();
        Context {
            links: hash_of(&(urls, &site.content.unpublished, config)),
            shortcodes: hash_of(&(shortcodes, assets)),
            images: hash_of(images),
        }
    }

    /// Whether a file rendered in context `self` may be kept in context `now`.
    fn allows(&self, now: &Context, rendered: &Rendered) -> bool {
        self.links == now.links
            && (self.shortcodes == now.shortcodes || !rendered.uses_shortcodes)
            && (self.images == now.images || !rendered.has_images)
    }
}

/// What a rendering of the Markdown may take from a previous one.
pub(crate) enum Reuse<'a> {
    /// Nothing: render every file.
    Nothing,
    /// Files whose text and context are unchanged (every file is read to compare).
    SameText(&'a Markdown),
    /// Files not named in `changed` whose URL, chapter number and context are unchanged
    /// (no file is read but the changed ones).
    Unchanged {
        /// The previous Markdown.
        markdown: &'a Markdown,
        /// The site it was rendered for.
        site: &'a Site,
        /// Content keys of the files that changed.
        changed: &'a BTreeSet<String>,
    },
}

impl Reuse<'_> {
    /// The previous result for a file, if it may be kept without reading the file.
    fn without_reading(
        &self,
        key: &str,
        context: &Context,
        chapter: Option<u32>,
        url: &str,
    ) -> Option<(u64, Arc<Rendered>)> {
        let Reuse::Unchanged {
            markdown,
            site,
            changed,
        } = self
        else {
            return None;
        };
        if changed.contains(key) {
            return None;
        }
        let same = match site.page_index.get(key) {
            Some(i) => site.page_urls[*i] == url && site.chapter_numbers.get(i).copied() == chapter,
            None => site.section_urls.get(key).map(String::as_str) == Some(url),
        };
        let (hash, rendered) = markdown.by_key.get(key).filter(|_| same)?;
        markdown
            .context
            .allows(context, rendered)
            .then(|| (*hash, Arc::clone(rendered)))
    }

    /// The previous result for a file whose input hashes to `hash`.
    fn with_hash(&self, key: &str, hash: u64) -> Option<Arc<Rendered>> {
        let (Reuse::SameText(markdown) | Reuse::Unchanged { markdown, .. }) = self else {
            return None;
        };
        markdown
            .by_key
            .get(key)
            .filter(|(h, _)| *h == hash)
            .map(|(_, r)| Arc::clone(r))
    }
}

impl Markdown {
    /// Renders the Markdown of every page and section in parallel, keeping what `reuse` allows.
    pub fn render(
        root: &Path,
        site: &Site,
        shortcodes: Option<&dyn Shortcodes>,
        images: &ImageSizes,
        context: Context,
        reuse: &Reuse,
    ) -> Markdown {
        let one = |source: &content::Source,
                   summary: Option<&str>,
                   chapter: Option<u32>,
                   url: &str,
                   words: &crate::i18n::Language| {
            if let Some(kept) = reuse.without_reading(&source.key, &context, chapter, url) {
                return kept;
            }
            let (text, body_start) = match source.full_text(root) {
                Ok(read) => read,
                Err(d) => {
                    return (0, Arc::new(Rendered::failed(d)));
                }
            };
            let hash = hash_of(&(context, &text, chapter, url));
            if let Some(kept) = reuse.with_hash(&source.key, hash) {
                return (hash, kept);
            }
            let rendered = markdown::render(&markdown::Input {
                file: &source.file,
                text: &text,
                body_start,
                options: &site.config.markdown,
                checks: &site.config.checks,
                urls: &site.urls,
                unpublished: &site.content.unpublished,
                chapter,
                page_url: url,
                shortcodes,
                summary,
                images: Some(images),
                words,
            });
            (hash, Arc::new(rendered))
        };
        let pages: Vec<(u64, Arc<Rendered>)> = site
            .content
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let chapter = site.chapter_numbers.get(&i).copied();
                one(
                    &p.source,
                    p.meta.summary.as_deref(),
                    chapter,
                    &site.page_urls[i],
                    crate::render::values::language_of(site, i),
                )
            })
            .collect();
        let sections: Vec<(String, (u64, Arc<Rendered>))> = site
            .content
            .sections
            .par_iter()
            .map(|(k, s)| {
                let summary = s.summary.as_deref();
                (
                    k.clone(),
                    one(
                        &s.source,
                        summary,
                        None,
                        &site.section_urls[k],
                        site.config
                            .strings
                            .get(site.config.lang_tag(s.lang.as_deref())),
                    ),
                )
            })
            .collect();
        let failed = site
            .content
            .failed
            .par_iter()
            .filter_map(|f| {
                let words = site
                    .config
                    .strings
                    .get(site.config.lang_tag(f.lang.as_deref()));
                let (_, rendered) = one(f.source.as_ref()?, None, None, "", words);
                Some((f.key.clone(), rendered))
            })
            .collect();
        let by_key = site
            .content
            .pages
            .iter()
            .map(|p| &p.source.key)
            .zip(&pages)
            .chain(sections.iter().map(|(k, entry)| (k, entry)))
            .map(|(k, entry)| (k.clone(), entry.clone()))
            .collect();
        Markdown {
            context,
            pages: pages.into_iter().map(|(_, r)| r).collect(),
            sections: sections.into_iter().map(|(k, (_, r))| (k, r)).collect(),
            failed,
            by_key,
        }
    }

    /// The warnings and errors found while rendering.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.pages
            .iter()
            .chain(self.sections.values())
            .chain(self.failed.values())
            .flat_map(|r| r.diagnostics.iter().cloned())
    }
}
