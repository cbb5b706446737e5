//! Images done right: every JPEG, PNG and WebP a page shows is offered at the widths of
//! `images.widths` (never upscaled) as WebP and in its own format, with `srcset`, `sizes`,
//! `width` and `height`; a page's `image` gets a 1200 × 630 social card; EXIF orientation is
//! applied and no published image says where it was taken; derived files are cached beside
//! site.yaml; a damaged or enormous image is an error naming it.

mod common;

use std::path::Path;
use std::time::SystemTime;

use common::{assert_built, stderr, tree, Site};
use image::{ImageEncoder, RgbImage};
use scraper::{Html, Selector};

const POST: &str = "content/blog/2017-08-06-photo-post/index.md";

/// A photo-like picture: gradients and a little deterministic noise, so it compresses like a
/// photograph and every pixel row and column differs.
fn pixels(width: u32, height: u32) -> RgbImage {
    let mut seed = 0x2545_f491_u32;
    RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 24) as u8;
        image::Rgb([
            ((x * 255) / width.max(1)) as u8 ^ noise,
            ((y * 255) / height.max(1)) as u8,
            (((x + y) * 127) / (width + height).max(1)) as u8 + noise,
        ])
    })
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(
            pixels(width, height).as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            pixels(width, height).as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// An EXIF block (TIFF layout, big-endian) with an orientation and, if asked, a GPS latitude.
fn exif_block(orientation: u16, gps: bool) -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend(kind.to_be_bytes());
        e.extend(count.to_be_bytes());
        e.extend(value);
        e
    };
    let entries: u16 = if gps { 2 } else { 1 };
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend(entries.to_be_bytes());
    let o = orientation.to_be_bytes();
    tiff.extend(entry(0x0112, 3, 1, [o[0], o[1], 0, 0]));
    let gps_at = 8 + 2 + 12 * u32::from(entries) + 4;
    if gps {
        tiff.extend(entry(0x8825, 4, 1, gps_at.to_be_bytes()));
    }
    tiff.extend(0u32.to_be_bytes());
    if gps {
        tiff.extend(1u16.to_be_bytes());
        tiff.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
        tiff.extend(0u32.to_be_bytes());
    }
    tiff
}

/// A JPEG with an APP1 EXIF segment right after its start marker.
fn with_exif(jpeg: &[u8], exif: &[u8]) -> Vec<u8> {
    with_app1(jpeg, &[b"Exif\0\0".as_slice(), exif].concat())
}

/// Whether the file's EXIF data (if any) has a GPS field.
fn has_gps(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .is_ok_and(|e| {
            e.fields().any(|f| {
                f.tag.context() == exif::Context::Gps || f.tag == exif::Tag::GPSInfoIFDPointer
            })
        })
}

/// The minimal site with a post bundle whose front matter and body are given.
fn site_with_post(front: &str, body: &str) -> Site {
    let site = Site::copy("minimal");
    site.write(
        POST,
        format!("---\ntitle: A post with a photo\n{front}---\n\n{body}\n"),
    );
    site
}

fn post_html(site: &Site) -> Html {
    Html::parse_document(&site.output_file("blog/photo-post/index.html"))
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// The URLs and widths of a `srcset`.
fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|c| {
            let (url, w) = c.split_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

fn decoded(site: &Site, url: &str) -> image::DynamicImage {
    let bytes = std::fs::read(site.out.join(url.trim_start_matches('/'))).unwrap();
    image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{url} does not decode: {e}"))
}

fn cache_files(root: &Path) -> Vec<(String, SystemTime)> {
    let dir = root.join(".pamphlet-cache/images");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, e.metadata().unwrap().modified().unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_markdown_image_and_a_figure_offer_webp_and_jpeg_widths_with_their_size() {
    let site = site_with_post(
        "",
        "![A gradient from red to blue](photo.jpg)\n\n\
         {{ figure(src=\"photo.jpg\", alt=\"The same gradient\", caption=\"Again\") }}",
    );
    site.write(
        "content/blog/2017-08-06-photo-post/photo.jpg",
        jpeg(2000, 1000),
    );
    assert_built(&site.build(&[]));
    let html = post_html(&site);
    let pictures = select(&html, "article picture");
    assert_eq!(pictures.len(), 2, "both images are pictures");
    for (n, picture) in pictures.iter().enumerate() {
        let source = picture
            .select(&Selector::parse("source").unwrap())
            .next()
            .unwrap();
        let img = picture
            .select(&Selector::parse("img").unwrap())
            .next()
            .unwrap();
        assert_eq!(source.attr("type"), Some("image/webp"));
        assert_eq!(img.attr("src"), Some("/blog/photo-post/photo.jpg"));
        assert_eq!(img.attr("width"), Some("2000"));
        assert_eq!(img.attr("height"), Some("1000"));
        assert_eq!(img.attr("sizes"), Some("(min-width: 44rem) 42rem, 100vw"));
        assert_eq!(source.attr("sizes"), img.attr("sizes"));
        assert_eq!(img.attr("loading"), (n == 1).then_some("lazy"));
        for (element, format) in [
            (source, image::ImageFormat::WebP),
            (img, image::ImageFormat::Jpeg),
        ] {
            let set = candidates(element.attr("srcset").unwrap());
            let widths: Vec<u32> = set.iter().map(|(_, w)| *w).collect();
            assert_eq!(widths, [480, 960, 1600, 2000]);
            for (url, width) in set {
                assert!(url.starts_with("/blog/photo-post/photo."), "{url}");
                let bytes = std::fs::read(site.out.join(url.trim_start_matches('/'))).unwrap();
                assert_eq!(image::guess_format(&bytes).unwrap(), format, "{url}");
                let image = image::load_from_memory(&bytes).unwrap();
                assert_eq!((image.width(), image.height()), (width, width / 2), "{url}");
            }
        }
    }
}

#[test]
fn widths_wider_than_the_image_are_left_out() {
    let site = site_with_post("", "![A narrow gradient](narrow.png)");
    site.write(
        "content/blog/2017-08-06-photo-post/narrow.png",
        png(700, 350),
    );
    assert_built(&site.build(&[]));
    let html = post_html(&site);
    let img = select(&html, "article picture img")[0];
    let widths: Vec<u32> = candidates(img.attr("srcset").unwrap())
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    assert_eq!(widths, [480, 700], "no width above the image's own");
    let webp = select(&html, "article picture source")[0];
    let (url, _) = candidates(webp.attr("srcset").unwrap()).pop().unwrap();
    assert_eq!(decoded(&site, &url).width(), 700);
    assert!(!site
        .out
        .join("blog/photo-post")
        .read_dir()
        .unwrap()
        .any(|e| { e.unwrap().file_name().to_string_lossy().contains(".960.") }));
}

#[test]
fn the_widths_come_from_site_yaml() {
    let site = site_with_post("", "![A gradient](photo.jpg)");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{yaml}images:\n  widths: [300]\n  quality: 60\n"),
    );
    site.write(
        "content/blog/2017-08-06-photo-post/photo.jpg",
        jpeg(1000, 500),
    );
    assert_built(&site.build(&[]));
    let html = post_html(&site);
    let img = select(&html, "article picture img")[0];
    let widths: Vec<u32> = candidates(img.attr("srcset").unwrap())
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    assert_eq!(widths, [300, 1000]);
}

#[test]
fn a_pages_image_is_cut_to_a_social_card() {
    let site = site_with_post("image: photo.jpg\n", "Text.");
    site.write(
        "content/blog/2017-08-06-photo-post/photo.jpg",
        jpeg(2000, 1500),
    );
    let output = site.build(&[]);
    assert_built(&output);
    assert!(
        !stderr(&output).contains("social card"),
        "{}",
        stderr(&output)
    );
    let html = post_html(&site);
    let og = select(&html, "meta[property=\"og:image\"]")[0]
        .attr("content")
        .unwrap()
        .to_string();
    let twitter = select(&html, "meta[name=\"twitter:image\"]")[0]
        .attr("content")
        .unwrap();
    assert_eq!(og, twitter);
    let path = og
        .strip_prefix("https://minimal.example.org/")
        .unwrap_or_else(|| panic!("og:image is absolute: {og}"));
    assert!(path.starts_with("blog/photo-post/photo.card."), "{path}");
    let card = decoded(&site, path);
    assert_eq!((card.width(), card.height()), (1200, 630));
}

#[test]
fn an_image_too_small_for_a_card_is_shared_as_it_is_with_a_warning() {
    let site = site_with_post("image: small.jpg\n", "Text.");
    site.write(
        "content/blog/2017-08-06-photo-post/small.jpg",
        jpeg(800, 400),
    );
    let output = site.build(&[]);
    assert_built(&output);
    assert!(
        stderr(&output).contains(
            "warning: content/blog/2017-08-06-photo-post/index.md:3:8: image: small.jpg is 800 × 400 pixels, smaller than a social card (1200 × 630)"
        ),
        "{}",
        stderr(&output)
    );
    let html = post_html(&site);
    let og = select(&html, "meta[property=\"og:image\"]")[0].attr("content");
    assert_eq!(
        og,
        Some("https://minimal.example.org/blog/photo-post/small.jpg")
    );
}

#[test]
fn exif_orientation_is_applied_before_resizing() {
    let site = site_with_post("", "![A portrait taken sideways](turned.jpg)");
    site.write(
        "content/blog/2017-08-06-photo-post/turned.jpg",
        with_exif(&jpeg(600, 400), &exif_block(6, false)),
    );
    assert_built(&site.build(&[]));
    let html = post_html(&site);
    let img = select(&html, "article picture img")[0];
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("400"), Some("600"))
    );
    let set = candidates(img.attr("srcset").unwrap());
    assert_eq!(set.iter().map(|(_, w)| *w).collect::<Vec<_>>(), [400]);
    let derived = decoded(&site, &set[0].0);
    assert_eq!((derived.width(), derived.height()), (400, 600));
}

#[test]
fn no_published_image_says_where_it_was_taken() {
    let site = site_with_post("", "![A photo with a location](located.jpg)");
    let source = with_exif(&jpeg(1000, 600), &exif_block(6, true));
    assert!(has_gps(&source), "the test photo has a GPS field");
    site.write("content/blog/2017-08-06-photo-post/located.jpg", &source);
    assert_built(&site.build(&[]));
    let original = std::fs::read(site.out.join("blog/photo-post/located.jpg")).unwrap();
    assert!(!has_gps(&original), "the original is published without GPS");
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&original))
        .unwrap();
    let orientation = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0));
    assert_eq!(orientation, Some(6), "the original still shows upright");
    assert_eq!(
        image::load_from_memory(&original).unwrap().width(),
        1000,
        "the pixels are the source's"
    );
    let html = post_html(&site);
    for srcset in select(&html, "article picture [srcset]") {
        for (url, _) in candidates(srcset.attr("srcset").unwrap()) {
            let bytes = std::fs::read(site.out.join(url.trim_start_matches('/'))).unwrap();
            assert!(!has_gps(&bytes), "{url} has no GPS");
        }
    }
}

/// A JPEG with an APP1 segment holding `segment` right after its start marker.
fn with_app1(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(segment.len() + 2).unwrap().to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

/// A PNG with a chunk of `kind` inserted after its header chunk.
fn with_png_chunk(png: &[u8], kind: &[u8; 4], contents: &[u8]) -> Vec<u8> {
    use img_parts::{png::Png, png::PngChunk, Bytes};
    let mut png = Png::from_bytes(Bytes::copy_from_slice(png)).unwrap();
    let chunk = PngChunk::new(*kind, Bytes::copy_from_slice(contents));
    png.chunks_mut().insert(1, chunk);
    png.encoder().bytes().to_vec()
}

/// GPS fields kept outside the EXIF block are removed too: ImageMagick's copy of the EXIF in
/// a PNG text chunk, and XMP (in a PNG or a JPEG) that names GPS fields.
#[test]
fn no_published_image_keeps_a_location_in_its_other_metadata() {
    let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="51,30.0N"/></x:xmpmeta>"#;
    let raw_exif = b"Raw profile type exif\0\nexif\n      8\n4d4d002a00000008\n".to_vec();
    let itxt = [b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), xmp].concat();
    let png = with_png_chunk(&png(800, 500), b"tEXt", &raw_exif);
    let png = with_png_chunk(&png, b"iTXt", &itxt);
    let jpeg = with_app1(
        &jpeg(800, 500),
        &[b"http://ns.adobe.com/xap/1.0/\0".as_slice(), xmp].concat(),
    );
    let site = site_with_post(
        "",
        "![A map, with its place](map.png)\n\n![A street, with its place](street.jpg)",
    );
    site.write("content/blog/2017-08-06-photo-post/map.png", &png);
    site.write("content/blog/2017-08-06-photo-post/street.jpg", &jpeg);
    assert_built(&site.build(&[]));
    for name in ["map.png", "street.jpg"] {
        let published = std::fs::read(site.out.join("blog/photo-post").join(name)).unwrap();
        let found = published.windows(3).any(|w| w == b"GPS");
        assert!(!found, "{name} is published with its GPS fields");
        let shown = image::load_from_memory(&published).unwrap();
        assert_eq!(shown.width(), 800, "{name} keeps its pixels");
    }
}

/// Builds the post with `file` as `name`: the build must fail, naming the file, without a
/// panic.
fn assert_refused(name: &str, file: &[u8], expected: &str) {
    let site = site_with_post("", &format!("![A broken image]({name})"));
    site.write(&format!("content/blog/2017-08-06-photo-post/{name}"), file);
    let output = site.build(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&format!(
            "error: content/blog/2017-08-06-photo-post/{name}: this image {expected}"
        )),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn a_corrupt_image_is_an_error_naming_it() {
    assert_refused(
        "noise.jpg",
        b"this is not a JPEG at all, only text",
        "is not a JPEG image",
    );
}

#[test]
fn a_truncated_image_is_an_error_naming_it() {
    let whole = png(800, 600);
    assert_refused(
        "cut.png",
        &whole[..whole.len() / 2],
        "cannot be decoded as a PNG image",
    );
}

#[test]
fn an_enormous_image_is_refused_before_it_is_decoded() {
    // A PNG whose header declares 30000 × 30000 pixels (900 megapixels), with one tiny row.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(30000u32.to_be_bytes());
    png.extend(30000u32.to_be_bytes());
    png.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    png.extend(b"\0\0\0\0IDAT\0\0\0\0\0\0\0\0IEND\xaeB`\x82");
    assert_refused(
        "huge.png",
        &png,
        "is 30000 × 30000 pixels, more than pamphlet reads (100 megapixels)",
    );
}

#[test]
fn a_second_build_encodes_nothing_and_a_changed_photo_only_itself() {
    let site = site_with_post("", "![One](one.jpg)\n\n![Two](two.jpg)");
    site.write(
        "content/blog/2017-08-06-photo-post/one.jpg",
        jpeg(1000, 500),
    );
    site.write(
        "content/blog/2017-08-06-photo-post/two.jpg",
        jpeg(1200, 600),
    );
    assert_built(&site.build(&[]));
    let first = cache_files(&site.root);
    assert_eq!(
        first.len(),
        2 * 2 * 3,
        "two photos, two formats, three widths"
    );
    assert_built(&site.build(&[]));
    assert_eq!(cache_files(&site.root), first, "nothing encoded again");
    site.write(
        "content/blog/2017-08-06-photo-post/two.jpg",
        jpeg(1200, 500),
    );
    assert_built(&site.build(&[]));
    let after = cache_files(&site.root);
    let kept: Vec<_> = after.iter().filter(|f| first.contains(f)).collect();
    let new: Vec<_> = after.iter().filter(|f| !first.contains(f)).collect();
    assert_eq!(kept.len(), 12, "every file made before is kept as it was");
    assert_eq!(
        new.len(),
        6,
        "the changed photo's three widths in two formats"
    );
    let html = post_html(&site);
    let img = select(&html, "article picture img")[1];
    let (url, _) = candidates(img.attr("srcset").unwrap()).pop().unwrap();
    assert_eq!(
        decoded(&site, &url).height(),
        500,
        "the new photo is published"
    );
}

#[test]
fn a_build_with_or_without_the_cache_writes_the_same_bytes() {
    let site = site_with_post("image: photo.jpg\n", "![A gradient](photo.jpg)");
    site.write(
        "content/blog/2017-08-06-photo-post/photo.jpg",
        jpeg(1600, 900),
    );
    site.write(
        "content/blog/2017-08-06-photo-post/located.jpg",
        with_exif(&jpeg(500, 300), &exif_block(1, true)),
    );
    assert_built(&site.build(&[]));
    let cold = tree(&site.out);
    assert_built(&site.build(&[]));
    assert_eq!(tree(&site.out), cold, "a warm build writes the same files");
    std::fs::remove_dir_all(site.root.join(".pamphlet-cache")).unwrap();
    assert_built(&site.build(&[]));
    assert_eq!(
        tree(&site.out),
        cold,
        "encoding again writes the same bytes"
    );
}
