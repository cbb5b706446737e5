//! Putting a finished build in place of the previous one so that, whenever the process is
//! killed, the output folder holds one whole build.
//!
//! The new tree is written to `.<name>.pamphlet-staging-<id>` beside the output and exchanged
//! with it in one step where the system can (`renameat2(RENAME_EXCHANGE)` on Linux); elsewhere
//! the output is renamed to `.<name>.pamphlet-old-<id>` and the new tree renamed in, and a build
//! killed between the two renames is undone by the next build. Each build holds a lock,
//! `.<name>.pamphlet-lock-<id>`, for as long as it runs: a name beside the output whose lock is
//! free was left by a killed build, and every build removes those before it starts.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A build in progress, written beside the final output directory.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    committed: bool,
    /// Held until the staging folder is gone (fields drop after [`Drop::drop`]).
    _lock: Lock,
}

impl Staging {
    /// Creates an empty staging directory next to `out`, locked as this build's own (a build
    /// calls [`remove_leftovers`] first).
    pub fn create(out: &Path) -> io::Result<Staging> {
        let beside = Beside::of(out);
        fs::create_dir_all(&beside.parent)?;
        static BUILDS: AtomicU32 = AtomicU32::new(0);
        let id = format!(
            "{}-{}",
            std::process::id(),
            BUILDS.fetch_add(1, Ordering::Relaxed)
        );
        let lock = Lock::take(beside.path(Leftover::Lock, &id))?;
        let dir = beside.path(Leftover::Staging, &id);
        remove_dir(&dir)?;
        fs::create_dir(&dir)?;
        Ok(Staging {
            out: out.to_path_buf(),
            old: beside.path(Leftover::Old, &id),
            dir,
            committed: false,
            _lock: lock,
        })
    }

    /// The folder the build is written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Puts the staged build in place of the previous one, then removes the previous one.
    pub fn commit(mut self) -> io::Result<()> {
        swap_in(&self.dir, &self.out, &self.old)?;
        self.committed = true;
        // The previous output, now where the staging folder was.
        remove_dir(&self.dir)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_dir(&self.dir);
        }
    }
}

/// Removes what killed builds left next to `out`: their staging folders, the previous outputs
/// they were replacing, and their lock files; if one was killed between the two renames of the
/// fallback swap, so that `out` is missing, its previous output is first put back. Folders of
/// builds still running are left alone. Does nothing when `out`'s folder does not exist.
pub fn remove_leftovers(out: &Path) -> io::Result<()> {
    let beside = Beside::of(out);
    for id in beside.ids()? {
        // `None` while the build that owns the names still runs.
        let Some(_lock) = Lock::of_killed(beside.path(Leftover::Lock, &id)) else {
            continue;
        };
        let old = beside.path(Leftover::Old, &id);
        if out.symlink_metadata().is_err() && old.is_dir() {
            fs::rename(&old, out)?;
        }
        remove_dir(&beside.path(Leftover::Staging, &id))?;
        remove_dir(&old)?;
    }
    Ok(())
}

/// Puts the folder `new` in place of `out`; the previous output, if there was one, ends at
/// `new`. `old` is a free name beside them, for file systems that cannot exchange two folders.
fn swap_in(new: &Path, out: &Path, old: &Path) -> io::Result<()> {
    if out.symlink_metadata().is_err() {
        match fs::rename(new, out) {
            Ok(()) => return Ok(()),
            // A build running beside this one got there first: replace its output.
            Err(_) if out.symlink_metadata().is_ok() => {}
            Err(e) => return Err(e),
        }
    }
    match exchange(new, out) {
        Err(e) if e.kind() == io::ErrorKind::Unsupported => by_renames(new, out, old),
        result => result,
    }
}

/// Exchanges two folders in one step: whenever the process is killed, each name holds one of
/// the two. `Unsupported` where the system or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(|e| {
        // EINVAL: a file system without the flag; ENOSYS: a kernel older than 3.15.
        match [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP].contains(&e) {
            true => io::ErrorKind::Unsupported.into(),
            false => e.into(),
        }
    })
}

/// Exchanges two folders in one step: not offered here.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The swap by two renames: the output is moved to `old` and `new` moved in. A build killed
/// between the two leaves no output but a whole `old`, which the next build puts back
/// ([`remove_leftovers`]); a folder named `old` therefore always holds a whole output, so the
/// previous output is moved on to `new` to be removed.
fn by_renames(new: &Path, out: &Path, old: &Path) -> io::Result<()> {
    fs::rename(out, old)?;
    if let Err(e) = fs::rename(new, out) {
        let _ = fs::rename(old, out);
        return Err(e);
    }
    fs::rename(old, new)
}

/// Removes a folder and everything in it; a folder that is not there is fine.
fn remove_dir(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        result => result,
    }
}

/// The three names a build uses beside the output.
#[derive(Debug, Clone, Copy)]
enum Leftover {
    Staging,
    Old,
    Lock,
}

impl Leftover {
    const ALL: [Leftover; 3] = [Leftover::Staging, Leftover::Old, Leftover::Lock];

    fn word(self) -> &'static str {
        match self {
            Leftover::Staging => "staging-",
            Leftover::Old => "old-",
            Leftover::Lock => "lock-",
        }
    }
}

/// The folder beside the output and the start of the names builds use in it.
struct Beside {
    parent: PathBuf,
    prefix: String,
}

impl Beside {
    fn of(out: &Path) -> Beside {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        Beside {
            parent: parent.to_path_buf(),
            prefix: format!(".{name}.pamphlet-"),
        }
    }

    /// `.<name>.pamphlet-<what>-<id>` beside the output.
    fn path(&self, what: Leftover, id: &str) -> PathBuf {
        self.parent
            .join(format!("{}{}{id}", self.prefix, what.word()))
    }

    /// The ids of the builds that have a name beside the output, each once.
    fn ids(&self) -> io::Result<BTreeSet<String>> {
        let entries = match fs::read_dir(&self.parent) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
            entries => entries?,
        };
        let mut ids = BTreeSet::new();
        for entry in entries {
            let name = entry?.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&self.prefix)) else {
                continue;
            };
            let id = Leftover::ALL
                .iter()
                .find_map(|what| rest.strip_prefix(what.word()));
            ids.extend(id.filter(|id| !id.is_empty()).map(str::to_string));
        }
        Ok(ids)
    }
}

/// A lock file held for as long as a build runs, and removed (while still held) when it ends.
struct Lock {
    path: PathBuf,
    file: Option<File>,
}

impl Lock {
    /// Takes the lock of a new build. A lock file removed by another build's clean-up between
    /// its creation and its locking is created again.
    fn take(path: PathBuf) -> io::Result<Lock> {
        for _ in 0..200 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) if still_at(&file, &path) => {
                    return Ok(Lock {
                        path,
                        file: Some(file),
                    })
                }
                Ok(()) | Err(TryLockError::WouldBlock) => {}
                // A file system without locks: build anyway; what is left cannot be told
                // from a running build's, so it stays ([`Lock::of_killed`]).
                Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                    return Ok(Lock {
                        path,
                        file: Some(file),
                    })
                }
                Err(TryLockError::Error(e)) => return Err(e),
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Err(io::Error::other(format!(
            "{} stays locked by another build",
            path.display()
        )))
    }

    /// The lock of a build that no longer runs, taken; `None` while it runs or when that
    /// cannot be told. No lock file at all means the build has gone.
    fn of_killed(path: PathBuf) -> Option<Lock> {
        match OpenOptions::new().read(true).write(true).open(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Some(Lock { path, file: None }),
            Err(_) => None,
            Ok(file) => file.try_lock().ok().map(|()| Lock {
                path,
                file: Some(file),
            }),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether an open file is still the one at `path` (not removed or replaced meanwhile).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Whether an open file is still the one at `path`: here, whether the path exists.
#[cfg(not(unix))]
fn still_at(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A folder holding one file, `which`, whose text is `text`.
    fn tree(dir: &Path, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("which"), text).unwrap();
    }

    fn which(dir: &Path) -> String {
        fs::read_to_string(dir.join("which")).unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        tree(&a, "a");
        tree(&b, "b");
        exchange(&a, &b).unwrap();
        assert_eq!((which(&a), which(&b)), ("b".into(), "a".into()));
        let missing = tmp.path().join("missing");
        assert_eq!(
            exchange(&a, &missing).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn swap_in_replaces_the_output_and_keeps_the_previous_at_the_staging_name() {
        let tmp = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            tmp.path().join("new"),
            tmp.path().join("out"),
            tmp.path().join("old"),
        );
        tree(&new, "first");
        swap_in(&new, &out, &old).unwrap();
        assert_eq!(which(&out), "first");
        assert_eq!(names(tmp.path()), ["out"]);
        tree(&new, "second");
        swap_in(&new, &out, &old).unwrap();
        assert_eq!(
            (which(&out), which(&new)),
            ("second".into(), "first".into())
        );
        assert_eq!(names(tmp.path()), ["new", "out"]);
    }

    #[test]
    fn the_swap_by_renames_ends_as_the_exchange_does() {
        let tmp = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            tmp.path().join("new"),
            tmp.path().join("out"),
            tmp.path().join("old"),
        );
        tree(&new, "new");
        tree(&out, "previous");
        by_renames(&new, &out, &old).unwrap();
        assert_eq!(
            (which(&out), which(&new)),
            ("new".into(), "previous".into())
        );
        assert_eq!(names(tmp.path()), ["new", "out"]);
    }

    #[test]
    fn a_build_killed_between_the_two_renames_is_undone_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let beside = Beside::of(&out);
        // The state a kill leaves after the first rename: no lock (the process is gone), the
        // previous output at `old`, the whole new build at `staging`.
        tree(&beside.path(Leftover::Old, "7-0"), "previous");
        tree(&beside.path(Leftover::Staging, "7-0"), "new");
        remove_leftovers(&out).unwrap();
        assert_eq!(which(&out), "previous");
        assert_eq!(names(tmp.path()), ["public"]);
    }

    #[test]
    fn leftovers_of_killed_builds_go_and_a_running_build_keeps_its_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        tree(&out, "current");
        let beside = Beside::of(&out);
        // Killed while writing, and killed while removing the previous output.
        tree(&beside.path(Leftover::Staging, "7-0"), "half");
        fs::write(beside.path(Leftover::Lock, "7-0"), "").unwrap();
        tree(
            &beside.path(Leftover::Staging, "8-0"),
            "previous, half removed",
        );
        remove_leftovers(&out).unwrap();
        let running = Staging::create(&out).unwrap();
        fs::write(running.dir().join("page.html"), "x").unwrap();
        assert_eq!(names(tmp.path()).len(), 3, "{:?}", names(tmp.path()));
        remove_leftovers(&out).unwrap();
        assert!(running.dir().join("page.html").is_file());
        running.commit().unwrap();
        assert_eq!(names(tmp.path()), ["public"]);
        assert!(out.join("page.html").is_file());
    }

    #[test]
    fn a_failed_build_leaves_nothing_beside_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        tree(&out, "current");
        let staging = Staging::create(&out).unwrap();
        fs::write(staging.dir().join("page.html"), "x").unwrap();
        drop(staging);
        assert_eq!(names(tmp.path()), ["public"]);
        assert_eq!(which(&out), "current");
    }
}
