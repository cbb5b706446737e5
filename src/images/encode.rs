//! Making the derived files of one source: decoded once (within limits, so a hostile header
//! cannot take the machine's memory), turned upright, then resized or cut and encoded for each
//! variant asked for.

use std::io::Cursor;

use fast_image_resize::{images::Image, FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{metadata::Orientation, DynamicImage, ImageEncoder};

use super::raster::{Format, Raster, Variant, MAX_PIXELS};

/// The encoded bytes of each of `wanted` (variants of `raster`), in the same order, from the
/// source's `bytes`. The error says why the source cannot be decoded.
pub fn derive(raster: &Raster, bytes: &[u8], wanted: &[&Variant]) -> Result<Vec<Vec<u8>>, String> {
    let upright = decode(raster, bytes)?;
    let mut resizer = Resizer::new();
    wanted
        .iter()
        .map(|v| {
            let pixels = resize(&mut resizer, &upright, v)?;
            encode(&pixels, v.format, raster.quality)
        })
        .collect()
}

/// The source's pixels, upright, as 8-bit RGB or RGBA.
fn decode(raster: &Raster, bytes: &[u8]) -> Result<DynamicImage, String> {
    let format = match raster.format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Webp => image::ImageFormat::WebP,
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    let side = u32::try_from(MAX_PIXELS).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => format!(
            "is larger than pamphlet reads ({} megapixels)",
            MAX_PIXELS / 1_000_000
        ),
        e => format!(
            "cannot be decoded as a {} image ({e}): it may be damaged or cut short",
            raster.format.name()
        ),
    })?;
    if let Some(o) = u8::try_from(raster.orientation)
        .ok()
        .and_then(Orientation::from_exif)
    {
        image.apply_orientation(o);
    }
    Ok(match image.color().has_alpha() {
        true => DynamicImage::ImageRgba8(image.into_rgba8()),
        false => DynamicImage::ImageRgb8(image.into_rgb8()),
    })
}

/// The pixels of one variant: scaled to its width, or for a card scaled to cover it and cut
/// from the centre.
fn resize(
    resizer: &mut Resizer,
    upright: &DynamicImage,
    v: &Variant,
) -> Result<DynamicImage, String> {
    if v.size.width == upright.width() && v.size.height == upright.height() {
        return Ok(upright.clone());
    }
    let pixel_type = match upright {
        DynamicImage::ImageRgba8(_) => fast_image_resize::PixelType::U8x4,
        _ => fast_image_resize::PixelType::U8x3,
    };
    let mut target = Image::new(v.size.width, v.size.height, pixel_type);
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if v.crop {
        options = options.fit_into_destination(Some((0.5, 0.5)));
    }
    resizer
        .resize(upright, &mut target, &options)
        .map_err(|e| format!("cannot be resized: {e}"))?;
    let (w, h, buffer) = (target.width(), target.height(), target.into_vec());
    let image = match pixel_type {
        fast_image_resize::PixelType::U8x4 => {
            image::RgbaImage::from_raw(w, h, buffer).map(DynamicImage::ImageRgba8)
        }
        _ => image::RgbImage::from_raw(w, h, buffer).map(DynamicImage::ImageRgb8),
    };
    image.ok_or_else(|| "cannot be resized".to_string())
}

/// The pixels encoded in `format` (JPEG and WebP at `quality`, PNG losslessly).
fn encode(pixels: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = (pixels.width(), pixels.height());
    let mut out = Vec::new();
    let failed = |e: image::ImageError| format!("cannot be encoded as {}: {e}", format.name());
    match format {
        Format::Jpeg => {
            let rgb = pixels.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(&rgb, w, h, image::ExtendedColorType::Rgb8)
                .map_err(failed)?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(pixels.as_bytes(), w, h, pixels.color().into())
                .map_err(failed)?;
        }
        Format::Webp => {
            let encoder = match pixels {
                DynamicImage::ImageRgba8(p) => webp::Encoder::from_rgba(p.as_raw(), w, h),
                _ => webp::Encoder::from_rgb(pixels.as_bytes(), w, h),
            };
            out = encoder.encode(f32::from(quality)).to_vec();
        }
    }
    Ok(out)
}
