//! Watching the sources with a debouncer, so that a burst of saves (an editor's
//! write-then-rename, a `git checkout` of a hundred files) gives one rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use super::{Rebuilder, Shared};
use crate::content::discovery_is_ignored;

/// A running watcher; `stop` ends it.
pub struct Watcher {
    stop: mpsc::Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Stops watching and waits for the rebuild loop to end.
    pub fn stop(mut self) {
        let _ = self.stop.send(());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Whether a changed path is a source of the site (not its output, not an editor's file).
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().filter_map(|c| match c {
        Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
        _ => None,
    });
    let Some(first) = parts.next() else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if discovery_is_ignored(&name) {
        return false;
    }
    matches!(
        first.as_str(),
        "site.yaml" | "content" | "static" | "templates" | "themes" | "data" | crate::i18n::DIR
    )
}

/// The changed sources of a batch of events (accesses are not changes).
fn sources(root: &Path, events: &[notify_debouncer_full::DebouncedEvent]) -> Vec<PathBuf> {
    events
        .iter()
        .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
        .flat_map(|e| e.paths.iter())
        .filter(|p| is_source(root, p))
        .cloned()
        .collect()
}

/// Starts watching `root` and rebuilding on its own thread.
pub fn start(
    root: &Path,
    mut rebuilder: Rebuilder,
    shared: Arc<Shared>,
) -> notify::Result<Watcher> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (events_tx, events_rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(120), None, events_tx)?;
    debouncer.watch(&root, RecursiveMode::Recursive)?;
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        let _debouncer = debouncer;
        loop {
            if stop_rx.try_recv().is_ok() {
                break;
            }
            match events_rx.recv_timeout(Duration::from_millis(200)) {
                Ok(Ok(events)) => {
                    let mut changed = sources(&root, &events);
                    // Take in what arrived meanwhile so one burst gives one rebuild.
                    while let Ok(more) = events_rx.try_recv() {
                        if let Ok(more) = more {
                            changed.extend(sources(&root, &more));
                        }
                    }
                    if !changed.is_empty() {
                        changed.sort();
                        changed.dedup();
                        rebuilder.rebuild(&changed, &shared);
                    }
                }
                Ok(Err(errors)) => errors
                    .iter()
                    .for_each(|e| say_err!("warning: watching: {e}")),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    });
    Ok(Watcher {
        stop: stop_tx,
        thread: Some(thread),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/content/blog/a.md")));
        assert!(is_source(root, Path::new("/site/site.yaml")));
        assert!(is_source(root, Path::new("/site/data/partners.csv")));
        assert!(is_source(root, Path::new("/site/i18n/cy.yaml")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/content/.a.md.swp")));
        assert!(!is_source(root, Path::new("/site/content/a.md~")));
        assert!(!is_source(
            root,
            Path::new("/site/content/a.md___jb_tmp___")
        ));
    }
}
