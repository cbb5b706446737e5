//! What the build knows of one JPEG, PNG or WebP file before decoding it: its format, its size
//! as shown (EXIF orientation applied), whether it carries a location, and the files derived
//! from it, each named after the source's content and the settings that made it.

use sha2::{Digest, Sha256};

use super::Size;

/// Bump when the derived pixels would change for the same source and settings (a new resizer
/// or encoder), so that cached files made by an older pamphlet are not reused.
const ENCODER_VERSION: &str = "1";

/// The most pixels an image may have; a larger one would take gigabytes to decode.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The size of a social card (Open Graph and Twitter recommend 1200 × 630).
pub const CARD: Size = Size {
    width: 1200,
    height: 630,
};

/// A raster format pamphlet resizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
}

impl Format {
    /// The format of a file named `path`, by its extension.
    pub fn of_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    /// The extension of a derived file.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The media type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    /// The name people know the format by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
        }
    }

    fn of_image(format: image::ImageFormat) -> Option<Format> {
        match format {
            image::ImageFormat::Jpeg => Some(Format::Jpeg),
            image::ImageFormat::Png => Some(Format::Png),
            image::ImageFormat::WebP => Some(Format::Webp),
            _ => None,
        }
    }
}

/// How images are derived: the `images` settings of site.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// The widths each image is also written at.
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1 to 100.
    pub quality: u8,
    /// The `sizes` attribute of a content image.
    pub sizes: String,
}

/// One file derived from a source image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Its pixel size.
    pub size: Size,
    /// Its format.
    pub format: Format,
    /// Whether it is cut to its size (a social card) rather than scaled.
    pub crop: bool,
    /// Its path in the output (`blog/x/photo.480.3fa2c1d0.webp`).
    pub path: String,
    /// The hash of everything that makes it (source, size, format, quality, crop): its name
    /// in the cache.
    pub key: String,
}

/// A JPEG, PNG or WebP file of the site and the files derived from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Raster {
    /// The source's format.
    pub format: Format,
    /// Its size as shown, after EXIF orientation.
    pub size: Size,
    /// Its EXIF orientation (1 to 8; 1 when it has none).
    pub orientation: u16,
    /// Whether its metadata may say where it was taken (EXIF GPS fields, XMP naming them).
    pub location: bool,
    /// The quality derived files are encoded at.
    pub quality: u8,
    /// The widths it is offered at, in its own format and as WebP, narrowest first.
    pub variants: Vec<Variant>,
    /// Its social card, when a page names it as its `image` and it is large enough.
    pub card: Option<Variant>,
}

impl Raster {
    /// Reads what the build needs to know of the image at output path `path` from its bytes;
    /// `card` asks for a social card. The error says what is wrong with the file.
    pub fn inspect(
        path: &str,
        bytes: &[u8],
        settings: &Settings,
        card: bool,
    ) -> Result<Raster, String> {
        let named = Format::of_path(path).ok_or("not a JPEG, PNG or WebP file")?;
        let format = image::guess_format(bytes)
            .ok()
            .and_then(Format::of_image)
            .ok_or_else(|| {
                format!(
                    "is not a {} image (it is damaged, or something else with the name of one)",
                    named.name()
                )
            })?;
        let stored = imagesize::blob_size(bytes).map_err(|_| {
            format!(
                "cannot be read as a {} image: its header is damaged or cut short",
                format.name()
            )
        })?;
        let (width, height) = (stored.width as u64, stored.height as u64);
        if width == 0 || height == 0 || width * height > MAX_PIXELS {
            return Err(format!(
                "is {width} × {height} pixels, more than pamphlet reads ({} megapixels)",
                MAX_PIXELS / 1_000_000
            ));
        }
        let exif = exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(bytes))
            .ok();
        let orientation = exif
            .as_ref()
            .and_then(|e| e.get_field(exif::Tag::Orientation, exif::In::PRIMARY))
            .and_then(|f| f.value.get_uint(0))
            .and_then(|o| u16::try_from(o).ok())
            .filter(|o| (1..=8).contains(o))
            .unwrap_or(1);
        let location = exif.as_ref().is_some_and(|e| {
            e.fields().any(|f| {
                f.tag.context() == exif::Context::Gps || f.tag == exif::Tag::GPSInfoIFDPointer
            })
        }) || super::privacy::has_other_location(bytes);
        let (width, height) = (width as u32, height as u32);
        let size = match orientation {
            5..=8 => Size {
                width: height,
                height: width,
            },
            _ => Size { width, height },
        };
        let digest = hex(&Sha256::digest(bytes));
        let namer = Namer {
            path,
            digest: &digest,
            quality: settings.quality,
        };
        let mut formats = vec![format, Format::Webp];
        formats.dedup();
        let variants = formats
            .iter()
            .flat_map(|f| {
                widths(size, &settings.widths).map(|w| namer.variant(size.at_width(w), *f, false))
            })
            .collect();
        let large = size.width >= CARD.width && size.height >= CARD.height;
        Ok(Raster {
            format,
            size,
            orientation,
            location,
            quality: settings.quality,
            variants,
            card: (card && large).then(|| namer.variant(CARD, format, true)),
        })
    }

    /// The `srcset` of the variants in `format`: `/x/photo.480.3fa2c1d0.webp 480w, ...`.
    pub fn srcset(&self, format: Format) -> String {
        let mut out = String::new();
        for v in self.variants.iter().filter(|v| v.format == format) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&url_of(&v.path));
            out.push(' ');
            out.push_str(&v.size.width.to_string());
            out.push('w');
        }
        out
    }

    /// The variant in the source's format closest to `width` without being narrower (or the
    /// widest): for a video's poster, which has no `srcset`.
    pub fn at_least(&self, width: u32) -> Option<&Variant> {
        let own = || self.variants.iter().filter(|v| v.format == self.format);
        own()
            .find(|v| v.size.width >= width)
            .or_else(|| own().next_back())
    }

    /// Every derived file.
    pub fn derived(&self) -> impl Iterator<Item = &Variant> {
        self.variants.iter().chain(&self.card)
    }

    /// Whether a social card was asked for but the image is too small for one.
    pub fn too_small_for_card(&self) -> bool {
        self.size.width < CARD.width || self.size.height < CARD.height
    }
}

/// The root-relative URL of an output path, with what would break a `srcset` (spaces, commas)
/// percent-encoded.
pub fn url_of(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b',')
        .add(b'"')
        .add(b'\'')
        .add(b'<')
        .add(b'>')
        .add(b'%');
    format!("/{}", percent_encoding::utf8_percent_encode(path, SET))
}

/// The widths offered for an image `size` wide: those of the settings narrower than it, and
/// its own (never upscaled), narrowest first.
fn widths(size: Size, wanted: &[u32]) -> impl Iterator<Item = u32> {
    let mut widths: Vec<u32> = wanted
        .iter()
        .copied()
        .filter(|w| *w > 0 && *w < size.width)
        .chain([size.width])
        .collect();
    widths.sort_unstable();
    widths.dedup();
    widths.into_iter()
}

/// Names the variants of one source.
struct Namer<'a> {
    path: &'a str,
    digest: &'a str,
    quality: u8,
}

impl Namer<'_> {
    fn variant(&self, size: Size, format: Format, crop: bool) -> Variant {
        let recipe = format!(
            "{ENCODER_VERSION}:{}:{}x{}:{}:{}:{}",
            self.digest,
            size.width,
            size.height,
            format.extension(),
            if format == Format::Png {
                0
            } else {
                self.quality
            },
            crop
        );
        let key = hex(&Sha256::digest(recipe.as_bytes())[..16]);
        let stem = self
            .path
            .rsplit_once('.')
            .map_or(self.path, |(stem, _)| stem);
        let label = match crop {
            true => "card".to_string(),
            false => size.width.to_string(),
        };
        Variant {
            size,
            format,
            crop,
            path: format!("{stem}.{label}.{}.{}", &key[..8], format.extension()),
            key,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_never_wider_than_the_image_and_include_its_own() {
        let size = |w| Size {
            width: w,
            height: 10,
        };
        let of = |w, wanted: &[u32]| widths(size(w), wanted).collect::<Vec<_>>();
        assert_eq!(of(3000, &[480, 960, 1600]), [480, 960, 1600, 3000]);
        assert_eq!(of(1000, &[1600, 480, 960]), [480, 960, 1000]);
        assert_eq!(of(960, &[480, 960]), [480, 960]);
        assert_eq!(of(300, &[480]), [300]);
    }

    #[test]
    fn urls_in_a_srcset_keep_spaces_and_commas_out() {
        assert_eq!(url_of("a b/x,1.480.ab.jpg"), "/a%20b/x%2C1.480.ab.jpg");
    }
}
