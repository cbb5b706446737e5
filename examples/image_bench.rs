//! The image benchmark's two halves (`benches/images.sh` runs both, in release):
//!
//! ```text
//! cargo run --release --example image_bench -- codecs
//! cargo run --release --example image_bench -- corpus DIR [--pages 1000] [--photos 300]
//! cargo run --release --example image_bench -- photo FILE SEED
//! ```
//!
//! `codecs` times the resizers and WebP encoders pamphlet could use on one 3000 × 2000 photo;
//! `corpus` writes an image-heavy site (posts, a photo of 3000 × 2000 in every few, each the
//! post's `image` and shown in its body); `photo` writes one such photo (to change one).
//! The photos are drawn here (gradients and noise), not taken.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use image::{ImageEncoder, RgbImage};
use rayon::prelude::*;

const WIDTH: u32 = 3000;
const HEIGHT: u32 = 2000;

/// A photo-like picture: smooth gradients under fine noise, which compresses like a photograph.
fn photo(seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(0x9E37_79B9) | 1;
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 32) as i32 - 16;
        let wave = ((x as f32 / 180.0 + seed as f32).sin() * 40.0) as i32;
        let channel = |v: i32| (v + noise).clamp(0, 255) as u8;
        image::Rgb([
            channel((x * 200 / WIDTH) as i32 + wave),
            channel((y * 220 / HEIGHT) as i32),
            channel(((x + y) * 180 / (WIDTH + HEIGHT)) as i32 + (seed % 60) as i32),
        ])
    })
}

fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("JPEG encoding");
    out
}

/// Runs `f` `n` times; the median time in milliseconds and the last result.
fn timed<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..n {
        let started = Instant::now();
        last = Some(f());
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[n / 2], last.expect("at least one run"))
}

fn codecs() {
    let source = photo(7);
    let (w, h) = (960, 640);
    let (ms, _) = timed(5, || {
        image::imageops::resize(&source, w, h, image::imageops::FilterType::Lanczos3)
    });
    println!("resize 3000x2000 -> 960x640, image::imageops Lanczos3: {ms:.1} ms");
    let (ms, _) = timed(5, || {
        image::imageops::resize(&source, w, h, image::imageops::FilterType::Triangle)
    });
    println!("resize 3000x2000 -> 960x640, image::imageops Triangle: {ms:.1} ms");
    let dynamic = image::DynamicImage::ImageRgb8(source.clone());
    let mut resizer = fast_image_resize::Resizer::new();
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
    );
    let (ms, resized) = timed(5, || {
        let mut target =
            fast_image_resize::images::Image::new(w, h, fast_image_resize::PixelType::U8x3);
        resizer
            .resize(&dynamic, &mut target, &options)
            .expect("resize");
        target
    });
    println!("resize 3000x2000 -> 960x640, fast_image_resize Lanczos3: {ms:.1} ms");
    let small = RgbImage::from_raw(w, h, resized.into_vec()).expect("pixels");
    let (ms, bytes) = timed(5, || jpeg(&small, 80));
    println!(
        "encode 960x640 JPEG q80 (image): {ms:.1} ms, {} bytes",
        bytes.len()
    );
    let (ms, bytes) = timed(5, || {
        webp::Encoder::from_rgb(small.as_raw(), w, h)
            .encode(80.0)
            .to_vec()
    });
    println!(
        "encode 960x640 WebP lossy q80 (webp/libwebp): {ms:.1} ms, {} bytes",
        bytes.len()
    );
    let (ms, bytes) = timed(5, || {
        let mut out = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut out)
            .write_image(small.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .expect("WebP encoding");
        out
    });
    println!(
        "encode 960x640 WebP lossless (image): {ms:.1} ms, {} bytes",
        bytes.len()
    );
    let original = jpeg(&source, 85);
    println!("the 3000x2000 original, JPEG q85: {} bytes", original.len());
}

fn corpus(out: &Path, pages: usize, photos: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(out.join("content/blog"))?;
    std::fs::write(
        out.join("site.yaml"),
        "title: Image benchmark\nbase_url: https://images.example.org\nlanguage: en\n",
    )?;
    std::fs::write(
        out.join("content/_index.md"),
        "---\ntitle: Home\n---\n\nPhotos.\n",
    )?;
    std::fs::write(
        out.join("content/blog/_index.md"),
        "---\ntitle: Blog\nkind: post\n---\n",
    )?;
    let every = (pages / photos.max(1)).max(1);
    (0..pages).into_par_iter().try_for_each(|n| {
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        let dir = out.join(format!("content/blog/2020-{month:02}-{day:02}-post-{n}"));
        std::fs::create_dir_all(&dir)?;
        let with_photo = n % every == 0 && n / every < photos;
        let (front, body) = match with_photo {
            true => {
                std::fs::write(dir.join("photo.jpg"), jpeg(&photo(n as u32), 85))?;
                (
                    "image: photo.jpg\n",
                    "![A generated gradient with fine noise](photo.jpg)\n\n",
                )
            }
            false => ("", ""),
        };
        std::fs::write(
            dir.join("index.md"),
            format!(
                "---\ntitle: Post {n}\ndate: 2020-{month:02}-{day:02}\n{front}---\n\nThe opening of post {n}.\n\n{body}More words about post {n}.\n"
            ),
        )
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    match args.first().map(String::as_str) {
        Some("codecs") => codecs(),
        Some("corpus") if args.len() > 1 => {
            let (pages, photos) = (number("--pages", 1000), number("--photos", 300));
            if let Err(e) = corpus(Path::new(&args[1]), pages, photos) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
        Some("photo") if args.len() > 2 => {
            let seed = args[2].parse().unwrap_or(1);
            if let Err(e) = std::fs::write(&args[1], jpeg(&photo(seed), 85)) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
        _ => {
            eprintln!(
                "usage: image_bench codecs | corpus DIR [--pages N] [--photos N] | photo FILE SEED"
            );
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
