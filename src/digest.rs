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
