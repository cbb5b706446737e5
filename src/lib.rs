//! pamphlet: a static microsite generator for public-health campaign sites.
//!
//! The build is a pipeline of stages, one module each, and modules depend on one another one
//! way (tests/architecture.rs keeps it so):
//! [`content`] (discover and parse front matter into typed kinds) → [`site`] (resolve lists,
//! tags, neighbours) → [`markdown`] (bodies to HTML) → [`render`] (template contexts and
//! tera) → [`build`] (the stages in order, their gate, the writing) → [`output`] (staging,
//! atomic exchange). [`incremental`] keeps a build in memory for [`serve`].
//! One owner each: [`routes`] makes every URL, [`links`] is the `@/` link, the kinds registry
//! is in [`content::kinds`], [`theme`] finds templates and static files, [`digest`] hashes,
//! [`bytes`] is a file's content, [`highlight`] wraps syntect, [`diagnostics`] holds errors,
//! [`data`] reads `data/` for templates; [`schema`] and [`cms`] describe the files to editors.

#[macro_use]
mod terminal;

pub mod build;
pub mod bytes;
pub mod cms;
pub mod config;
pub mod content;
pub mod data;
pub mod dates;
pub mod diagnostics;
pub mod digest;
pub mod external;
pub mod highlight;
pub mod html;
pub mod i18n;
pub mod images;
pub mod incremental;
pub mod languages;
pub mod links;
pub mod markdown;
pub mod output;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
pub mod theme;
pub mod yaml;

pub use build::{build, BuildFailure, BuildOptions, BuildReport};
pub use incremental::Session;
