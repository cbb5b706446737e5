//! Hashes of what a build reads: [`hash_of`] tells whether an input changed between two builds
//! of one session, [`fingerprinted`] names an asset after its content so browsers can cache it.

use sha2::{Digest, Sha256};

/// A hash for telling whether an input changed between two builds of one session (not stable
/// across pamphlet versions: never written to the output).
pub fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The same kind of hash of a value as it serialises (a template context, a page summary):
/// what a template can show of it, without building its text.
pub fn hash_of_serialized<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    let mut writer = HashWriter(std::collections::hash_map::DefaultHasher::new());
    // Writing into a hasher cannot fail; a value that cannot be serialised hashes as far as it got.
    let _ = serde_json::to_writer(&mut writer, value);
    std::hash::Hasher::finish(&writer.0)
}

/// Feeds serialised bytes into a hasher.
struct HashWriter(std::collections::hash_map::DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        std::hash::Hasher::write(&mut self.0, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `style.css` → `style.3f2a9c1e.css`, from the content's hash.
pub fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let short: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    match name.rfind('.') {
        Some(dot) if !name[dot..].contains('/') => {
            format!("{}.{short}{}", &name[..dot], &name[dot..])
        }
        _ => format!("{name}.{short}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_keep_the_extension() {
        let f = fingerprinted("css/style.css", b"body{}");
        assert!(
            f.starts_with("css/style.")
                && f.ends_with(".css")
                && f.len() == "css/style..css".len() + 8
        );
    }
}
