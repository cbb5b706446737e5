//! The pixel size of every image a site publishes, read once per build from each file's header
//! (an SVG's `width`, `height` or `viewBox`), so that every `<img>` can carry `width` and
//! `height` and the page does not shift as images load; and for each JPEG, PNG and WebP the
//! smaller files derived from it ([`Raster`]), so a phone downloads a photo made for its screen.

mod cache;
mod encode;
mod privacy;
mod raster;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

pub use cache::{Cache, FOLDER as CACHE_FOLDER};
pub use encode::derive;
pub use privacy::{has_other_location, without_location};
pub use raster::{url_of, Format, Raster, Settings, Variant, CARD, MAX_PIXELS};

/// An image's width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Size {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
}

impl Size {
    /// The size shown `height` pixels high, keeping the proportions.
    pub fn at_height(self, height: u32) -> Size {
        Size {
            width: scale(self.width, height, self.height),
            height,
        }
    }

    /// The size shown `width` pixels wide, keeping the proportions.
    pub fn at_width(self, width: u32) -> Size {
        Size {
            width,
            height: scale(self.height, width, self.width),
        }
    }
}

/// `value × to / from`, rounded, at least 1.
fn scale(value: u32, to: u32, from: u32) -> u32 {
    let scaled = (u64::from(value) * u64::from(to) + u64::from(from) / 2) / u64::from(from.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// Where an image's bytes are: in memory, or in a file of which only the header is read.
pub enum Source<'a> {
    /// The whole file.
    Bytes(&'a [u8]),
    /// A file on disk.
    File(&'a Path),
}

/// The size of every image file of the output, by its path there (`blog/x/chart.svg`), and
/// what is derived from each JPEG, PNG and WebP.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ImageSizes {
    sizes: BTreeMap<String, Size>,
    rasters: BTreeMap<String, Arc<Raster>>,
    sizes_attribute: String,
}

/// An image the build cannot publish, by its output path, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Its path in the output.
    pub path: String,
    /// What is wrong with it, to follow its name (`is not a PNG image ...`).
    pub problem: String,
}

impl ImageSizes {
    /// Reads the size of every image among `files` (output path and where its bytes are), in
    /// parallel; a file that is not an image, or whose header cannot be read, has none.
    pub fn read<'a>(files: impl IntoParallelIterator<Item = (&'a str, Source<'a>)>) -> ImageSizes {
        ImageSizes {
            sizes: files
                .into_par_iter()
                .filter(|(path, _)| kind(path).is_some())
                .filter_map(|(path, source)| Some((path.to_string(), size_of(path, source)?)))
                .collect(),
            ..ImageSizes::default()
        }
    }

    /// Like [`ImageSizes::read`], and each JPEG, PNG and WebP is also read whole (to name its
    /// derived files after its content) and checked: one that cannot be read is returned as
    /// [`Unreadable`]. `cards` are the output paths of pages' `image`, which get a social card.
    pub fn catalog<'a>(
        files: impl IntoParallelIterator<Item = (&'a str, Source<'a>)>,
        settings: &Settings,
        cards: &HashSet<String>,
    ) -> (ImageSizes, Vec<Unreadable>) {
        let read: Vec<(String, Result<Entry, String>)> = files
            .into_par_iter()
            .filter(|(path, _)| kind(path).is_some())
            .filter_map(|(path, source)| {
                let entry = match Format::of_path(path) {
                    Some(_) => raster_of(path, source, settings, cards.contains(path)),
                    None => Ok(Entry::Sized(size_of(path, source)?)),
                };
                Some((path.to_string(), entry))
            })
            .collect();
        let mut images = ImageSizes {
            sizes_attribute: settings.sizes.clone(),
            ..ImageSizes::default()
        };
        let mut unreadable = Vec::new();
        for (path, entry) in read {
            match entry {
                Ok(Entry::Sized(size)) => {
                    images.sizes.insert(path, size);
                }
                Ok(Entry::Raster(raster)) => {
                    images.sizes.insert(path.clone(), raster.size);
                    images.rasters.insert(path, Arc::new(raster));
                }
                Err(problem) => unreadable.push(Unreadable { path, problem }),
            }
        }
        (images, unreadable)
    }

    /// The size of the image at a root-relative URL (`/blog/x/chart.svg`, percent-encoded or
    /// not, with or without `?query` or `#fragment`).
    pub fn get(&self, url: &str) -> Option<Size> {
        self.sizes.get(path_of(url)?.as_ref()).copied()
    }

    /// What is derived from the JPEG, PNG or WebP at a root-relative URL.
    pub fn raster(&self, url: &str) -> Option<&Raster> {
        self.rasters.get(path_of(url)?.as_ref()).map(Arc::as_ref)
    }

    /// Every JPEG, PNG and WebP, by output path.
    pub fn rasters(&self) -> impl Iterator<Item = (&str, &Raster)> {
        self.rasters.iter().map(|(p, r)| (p.as_str(), r.as_ref()))
    }

    /// The JPEG, PNG or WebP at an output path (`blog/x/photo.jpg`).
    pub fn raster_at(&self, path: &str) -> Option<&Raster> {
        self.rasters.get(path).map(Arc::as_ref)
    }

    /// The `sizes` attribute of a content image that has no `width` of its own.
    pub fn sizes_attribute(&self) -> &str {
        match self.sizes_attribute.is_empty() {
            true => "100vw",
            false => &self.sizes_attribute,
        }
    }
}

/// What was read of one image file.
enum Entry {
    Sized(Size),
    Raster(Raster),
}

fn raster_of(path: &str, source: Source, settings: &Settings, card: bool) -> Result<Entry, String> {
    let bytes = match source {
        Source::Bytes(b) => std::borrow::Cow::Borrowed(b),
        Source::File(p) => {
            std::borrow::Cow::Owned(std::fs::read(p).map_err(|e| format!("cannot be read: {e}"))?)
        }
    };
    Raster::inspect(path, &bytes, settings, card).map(Entry::Raster)
}

/// The output path of a root-relative URL, decoded, without its query or fragment.
fn path_of(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let path = url.strip_prefix('/')?.split(['?', '#']).next()?;
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
}

/// What a file is, by its extension: `Some(true)` for SVG, `Some(false)` for a raster format
/// whose header gives its size, `None` for anything else.
fn kind(path: &str) -> Option<bool> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "svg" => Some(true),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" => Some(false),
        _ => None,
    }
}

fn size_of(path: &str, source: Source) -> Option<Size> {
    if kind(path)? {
        let bytes = match source {
            Source::Bytes(b) => std::borrow::Cow::Borrowed(b),
            Source::File(p) => std::borrow::Cow::Owned(std::fs::read(p).ok()?),
        };
        return svg_size(&String::from_utf8_lossy(&bytes));
    }
    let size = match source {
        Source::Bytes(b) => imagesize::blob_size(b),
        Source::File(p) => imagesize::size(p),
    }
    .ok()?;
    Some(Size {
        width: u32::try_from(size.width).ok()?,
        height: u32::try_from(size.height).ok()?,
    })
}

/// An SVG's size: its `width` and `height` in pixels, else its `viewBox` (scaled to the one
/// of `width` and `height` that is given).
fn svg_size(text: &str) -> Option<Size> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let pixels = |name: &str| {
        let value = attribute(tag, name)?;
        let number = value.trim().trim_end_matches("px");
        number.parse::<f64>().ok().filter(|n| *n > 0.0)
    };
    let view_box = attribute(tag, "viewBox").and_then(|v| {
        let numbers: Vec<f64> = v
            .split([' ', ','])
            .filter(|n| !n.is_empty())
            .filter_map(|n| n.parse().ok())
            .collect();
        match numbers[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
            _ => None,
        }
    });
    let (width, height) = match (pixels("width"), pixels("height"), view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(wh)) => wh,
        _ => return None,
    };
    let round = |n: f64| (n.round() as u32).max(1);
    Some(Size {
        width: round(width),
        height: round(height),
    })
}

/// The value of attribute `name` in a start tag, in double or single quotes.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut from = 0;
    while let Some(at) = tag[from..].find(name) {
        let at = from + at;
        from = at + name.len();
        let before = tag[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value = &rest[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_height_or_the_view_box() {
        let size = |t: &str| svg_size(t).map(|s| (s.width, s.height));
        assert_eq!(
            size("<svg viewBox=\"0 0 240 48\" width=\"240\" height=\"48\">"),
            Some((240, 48))
        );
        assert_eq!(size("<svg viewBox='0 0 480 280'>"), Some((480, 280)));
        assert_eq!(
            size("<svg width=\"120px\" viewBox=\"0,0,480,280\">"),
            Some((120, 70))
        );
        assert_eq!(
            size("<svg width=\"100%\" height=\"100%\" viewBox=\"0 0 4 3\">"),
            Some((4, 3))
        );
        assert_eq!(size("<svg stroke-width=\"2\">"), None);
    }

    #[test]
    fn raster_sizes_come_from_the_header() {
        // A 3 × 2 PNG's signature and IHDR chunk.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend([0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
        let sizes = ImageSizes::read(vec![
            ("a b/x.png", Source::Bytes(&png)),
            ("notes.txt", Source::Bytes(b"3 x 2")),
        ]);
        let expected = Size {
            width: 3,
            height: 2,
        };
        assert_eq!(sizes.get("/a%20b/x.png?v=1"), Some(expected));
        assert_eq!(sizes.get("/notes.txt"), None);
        assert_eq!(
            expected.at_height(40),
            Size {
                width: 60,
                height: 40
            }
        );
        assert_eq!(
            expected.at_width(1),
            Size {
                width: 1,
                height: 1
            }
        );
    }
}
