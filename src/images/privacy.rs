//! Originals published without the place they were taken: the EXIF data of a JPEG, PNG or
//! WebP that has GPS fields is removed without re-encoding the pixels, keeping only its
//! orientation, so the image still shows upright. Other metadata that can repeat a location
//! goes too: XMP that names GPS fields, and the EXIF that ImageMagick keeps in a PNG text
//! chunk ("Raw profile type exif").

use img_parts::jpeg::{markers, JpegSegment};
use img_parts::png::PngChunk;
use img_parts::riff::RiffChunk;
use img_parts::{Bytes, DynImage, ImageEXIF};

/// The file's bytes with its EXIF data replaced by its orientation alone (none when it is
/// upright), and without other metadata that may hold a location. The error says why the file
/// cannot be read.
pub fn without_location(bytes: &[u8], orientation: u16) -> Result<Vec<u8>, String> {
    let mut image = DynImage::from_bytes(Bytes::copy_from_slice(bytes))
        .ok()
        .flatten()
        .ok_or("cannot be read to remove its location (GPS) data")?;
    image.set_exif((orientation != 1).then(|| Bytes::from(orientation_only(orientation))));
    match &mut image {
        DynImage::Jpeg(jpeg) => jpeg.segments_mut().retain(|s| !jpeg_location(s)),
        DynImage::Png(png) => png.chunks_mut().retain(|c| !png_location(c)),
        DynImage::WebP(webp) => webp.chunks_mut().retain(|c| !webp_location(c)),
    }
    Ok(image.encoder().bytes().to_vec())
}

/// Whether the file holds metadata besides its EXIF block that may say where it was taken.
pub fn has_other_location(bytes: &[u8]) -> bool {
    let image = DynImage::from_bytes(Bytes::copy_from_slice(bytes))
        .ok()
        .flatten();
    match image {
        Some(DynImage::Jpeg(jpeg)) => jpeg.segments().iter().any(jpeg_location),
        Some(DynImage::Png(png)) => png.chunks().iter().any(png_location),
        Some(DynImage::WebP(webp)) => webp.chunks().iter().any(webp_location),
        None => false,
    }
}

/// The signatures that open an XMP block in a JPEG's APP1 segment.
const JPEG_XMP: [&[u8]; 2] = [
    b"http://ns.adobe.com/xap/1.0/\0",
    b"http://ns.adobe.com/xmp/extension/\0",
];

/// Whether XMP text may hold a location: it names GPS fields, or it is compressed (unread).
fn xmp_location(xmp: &[u8], compressed: bool) -> bool {
    compressed || memchr::memmem::find(xmp, b"GPS").is_some()
}

fn jpeg_location(segment: &JpegSegment) -> bool {
    let contents = segment.contents();
    segment.marker() == markers::APP1
        && JPEG_XMP
            .iter()
            .any(|signature| contents.starts_with(signature))
        && xmp_location(contents, false)
}

fn png_location(chunk: &PngChunk) -> bool {
    let contents = chunk.contents();
    let keyword_end = contents
        .iter()
        .position(|b| *b == 0)
        .unwrap_or(contents.len());
    let keyword = &contents[..keyword_end];
    match &chunk.kind() {
        b"tEXt" | b"zTXt" | b"iTXt" if keyword.starts_with(b"Raw profile type") => true,
        // iTXt: keyword, NUL, then the compression flag.
        b"iTXt" if keyword == b"XML:com.adobe.xmp" => {
            let compressed = contents.get(keyword_end + 1).is_some_and(|flag| *flag != 0);
            xmp_location(contents, compressed)
        }
        _ => false,
    }
}

fn webp_location(chunk: &RiffChunk) -> bool {
    chunk.id() == *b"XMP "
        && chunk
            .content()
            .data()
            .is_some_and(|x| xmp_location(x, false))
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
