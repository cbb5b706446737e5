//! Originals published without the place they were taken: the EXIF data of a JPEG, PNG or
//! WebP that has GPS fields is removed without re-encoding the pixels, keeping only its
//! orientation, so the image still shows upright.

use img_parts::{Bytes, DynImage, ImageEXIF};

/// The file's bytes with its EXIF data replaced by its orientation alone (none when it is
/// upright). The error says why the file cannot be read.
pub fn without_location(bytes: &[u8], orientation: u16) -> Result<Vec<u8>, String> {
    let mut image = DynImage::from_bytes(Bytes::copy_from_slice(bytes))
        .ok()
        .flatten()
        .ok_or("cannot be read to remove its location (GPS) data")?;
    image.set_exif((orientation != 1).then(|| Bytes::from(orientation_only(orientation))));
    Ok(image.encoder().bytes().to_vec())
}

/// A TIFF-structured EXIF block holding one field, the orientation.
fn orientation_only(orientation: u16) -> Vec<u8> {
    let mut exif = b"MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend(1u16.to_be_bytes());
    exif.extend(0x0112u16.to_be_bytes());
    exif.extend(3u16.to_be_bytes());
    exif.extend(1u32.to_be_bytes());
    exif.extend(orientation.to_be_bytes());
    exif.extend([0, 0]);
    exif.extend(0u32.to_be_bytes());
    exif
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orientation_block_reads_back() {
        let exif = exif::Reader::new()
            .read_raw(orientation_only(6))
            .expect("a valid EXIF block");
        let field = exif
            .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
            .expect("an orientation");
        assert_eq!(field.value.get_uint(0), Some(6));
        assert_eq!(exif.fields().count(), 1);
    }
}
