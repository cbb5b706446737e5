//! The content of a file a build writes: compiled into the binary, a file on disk copied when
//! it is written, or bytes made during the build.

use std::path::PathBuf;

/// A file's bytes: embedded in the binary or on disk.
#[derive(Debug, Clone)]
pub enum Bytes {
    /// Compiled in.
    Embedded(&'static [u8]),
    /// Read when needed.
    File(PathBuf),
    /// Generated during the build.
    Owned(std::sync::Arc<[u8]>),
}

impl Bytes {
    /// The content.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            Bytes::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Bytes::File(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
            Bytes::Owned(b) => Ok(std::borrow::Cow::Owned(b.to_vec())),
        }
    }
}
