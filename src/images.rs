//! The pixel size of every image a site publishes, read once per build from each file's header
//! (an SVG's `width`, `height` or `viewBox`), so that every `<img>` can carry `width` and
//! `height` and the page does not shift as images load.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

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

/// The size of every image file of the output, by its path there (`blog/x/chart.svg`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ImageSizes(BTreeMap<String, Size>);

impl ImageSizes {
    /// Reads the size of every image among `files` (output path and where its bytes are), in
    /// parallel; a file that is not an image, or whose header cannot be read, has none.
    pub fn read<'a>(files: impl IntoParallelIterator<Item = (&'a str, Source<'a>)>) -> ImageSizes {
        ImageSizes(
            files
                .into_par_iter()
                .filter(|(path, _)| kind(path).is_some())
                .filter_map(|(path, source)| Some((path.to_string(), size_of(path, source)?)))
                .collect(),
        )
    }

    /// The size of the image at a root-relative URL (`/blog/x/chart.svg`, percent-encoded or
    /// not, with or without `?query` or `#fragment`).
    pub fn get(&self, url: &str) -> Option<Size> {
        let path = url.strip_prefix('/')?.split(['?', '#']).next()?;
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        self.0.get(decoded.as_ref()).copied()
    }
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
