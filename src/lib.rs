//! pamphlet: a static microsite generator for public-health campaign sites.
//!
//! The build is a pipeline of stages, one module each:
//! [`content`] (discover and parse) → [`site`] (resolve URLs, lists, links) →
//! [`markdown`] and [`render`] (HTML through templates) → [`output`] (staged write and swap).
//! [`routes`] is the one owner of URLs: where each output lives and how it is linked.

#[macro_use]
mod terminal;

pub mod build;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod external;
pub mod html;
pub mod images;
pub mod incremental;
pub mod links;
pub mod markdown;
pub mod output;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod yaml;

pub use build::{build, BuildFailure, BuildOptions, BuildReport};
pub use incremental::Session;
