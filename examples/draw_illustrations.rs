//! Draws the example site's illustrations: the home page's hero, the blog posts' pictures and
//! the webinar recordings' posters, as JPEG files under `static/images/`.
//!
//! ```text
//! cargo run --example draw_illustrations            (writes into static/images/)
//! ```
//!
//! Every picture is made of flat shapes (hills, roads, circles, a street map, windows, screen
//! tiles) in the site's colours: no photographs and no people. The output is the same on every
//! run, so the files in the repository can always be drawn again.

use std::path::Path;
use std::process::ExitCode;

use image::codecs::jpeg::JpegEncoder;
use image::RgbImage;

/// A colour as red, green and blue from 0 to 1.
#[derive(Clone, Copy)]
struct Rgb(f32, f32, f32);

impl Rgb {
    const fn hex(v: u32) -> Rgb {
        Rgb(
            ((v >> 16) & 0xff) as f32 / 255.0,
            ((v >> 8) & 0xff) as f32 / 255.0,
            (v & 0xff) as f32 / 255.0,
        )
    }

    fn mix(self, other: Rgb, t: f32) -> Rgb {
        let t = t.clamp(0.0, 1.0);
        Rgb(
            self.0 + (other.0 - self.0) * t,
            self.1 + (other.1 - self.1) * t,
            self.2 + (other.2 - self.2) * t,
        )
    }
}

const NAVY: Rgb = Rgb::hex(0x12355f);
const BLUE: Rgb = Rgb::hex(0x1d4f91);
const SKY: Rgb = Rgb::hex(0x9cc3e6);
const TEAL: Rgb = Rgb::hex(0x0b7a75);
const GREEN: Rgb = Rgb::hex(0x5fa36a);
const SUN: Rgb = Rgb::hex(0xffc845);
const ORANGE: Rgb = Rgb::hex(0xf29e4c);
const CORAL: Rgb = Rgb::hex(0xe4684f);
const CREAM: Rgb = Rgb::hex(0xfdf1dc);
const WHITE: Rgb = Rgb::hex(0xffffff);

/// A picture being drawn: each shape is painted over what is there, its edges smoothed.
struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<Rgb>,
}

impl Canvas {
    /// A canvas filled from `top` to `bottom` colour.
    fn gradient(width: u32, height: u32, top: Rgb, bottom: Rgb) -> Canvas {
        let pixels = (0..height)
            .flat_map(|y| {
                let c = top.mix(bottom, y as f32 / height as f32);
                (0..width).map(move |_| c)
            })
            .collect();
        Canvas {
            width,
            height,
            pixels,
        }
    }

    /// Paints `colour` where `coverage(x, y)` (0 to 1) says, at `opacity`.
    fn paint(&mut self, colour: Rgb, opacity: f32, coverage: impl Fn(f32, f32) -> f32) {
        for y in 0..self.height {
            for x in 0..self.width {
                let c = coverage(x as f32 + 0.5, y as f32 + 0.5) * opacity;
                if c > 0.0 {
                    let i = (y * self.width + x) as usize;
                    self.pixels[i] = self.pixels[i].mix(colour, c);
                }
            }
        }
    }

    fn circle(&mut self, cx: f32, cy: f32, r: f32, colour: Rgb, opacity: f32) {
        self.paint(colour, opacity, |x, y| {
            edge(r - ((x - cx).powi(2) + (y - cy).powi(2)).sqrt())
        });
    }

    /// Everything below the curve `top(x)`.
    fn below(&mut self, colour: Rgb, top: impl Fn(f32) -> f32) {
        self.paint(colour, 1.0, |x, y| edge(y - top(x)));
    }

    fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, colour: Rgb) {
        self.paint(colour, 1.0, |x, y| {
            edge((x - x0).min(x1 - x).min(y - y0).min(y1 - y))
        });
    }

    /// A line through `points`, `width` wide, with round ends; dashed when `dash` is not 0.
    fn line(&mut self, points: &[(f32, f32)], width: f32, colour: Rgb, dash: f32) {
        for pair in points.windows(2) {
            let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
            let (dx, dy) = (bx - ax, by - ay);
            let length = (dx * dx + dy * dy).sqrt().max(1e-3);
            self.paint(colour, 1.0, |x, y| {
                let t = (((x - ax) * dx + (y - ay) * dy) / (length * length)).clamp(0.0, 1.0);
                if dash > 0.0 && (t * length / dash) as u32 % 2 == 1 {
                    return 0.0;
                }
                let (px, py) = (ax + t * dx, ay + t * dy);
                edge(width / 2.0 - ((x - px).powi(2) + (y - py).powi(2)).sqrt())
            });
        }
    }

    fn save(&self, path: &Path) -> image::ImageResult<()> {
        let image = RgbImage::from_fn(self.width, self.height, |x, y| {
            let Rgb(r, g, b) = self.pixels[(y * self.width + x) as usize];
            let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
            image::Rgb([byte(r), byte(g), byte(b)])
        });
        let file = std::io::BufWriter::new(std::fs::File::create(path)?);
        JpegEncoder::new_with_quality(file, 82).encode_image(&image)
    }
}

/// How much of a pixel a shape covers, from its signed distance to the shape's edge.
fn edge(inside: f32) -> f32 {
    (inside + 0.5).clamp(0.0, 1.0)
}

/// A gentle wave: hills and rivers.
fn wave(x: f32, base: f32, height: f32, length: f32, phase: f32) -> f32 {
    base + height * (x / length + phase).sin()
        + height * 0.4 * (x / (length * 0.45) + phase * 2.3).sin()
}

/// The home page's hero: a sun rising behind hills, paths from villages meeting on the nearest.
fn sunrise(width: u32, height: u32) -> Canvas {
    let (w, h) = (width as f32, height as f32);
    let mut c = Canvas::gradient(width, height, SKY.mix(CREAM, 0.35), CREAM.mix(ORANGE, 0.35));
    c.circle(w * 0.68, h * 0.5, h * 0.2, SUN, 1.0);
    c.circle(w * 0.68, h * 0.5, h * 0.28, SUN, 0.25);
    c.below(GREEN, |x| wave(x, h * 0.58, h * 0.05, w * 0.12, 0.4));
    c.below(TEAL, |x| wave(x, h * 0.7, h * 0.06, w * 0.16, 2.0));
    c.below(BLUE, |x| wave(x, h * 0.84, h * 0.05, w * 0.2, 4.1));
    let meeting = (w * 0.5, h * 0.8);
    for (i, start) in [(w * 0.06, h), (w * 0.3, h), (w * 0.72, h), (w * 0.96, h)]
        .iter()
        .enumerate()
    {
        let bend = (meeting.0 + start.0) / 2.0 + if i % 2 == 0 { -w * 0.04 } else { w * 0.04 };
        c.line(
            &[*start, (bend, h * 0.9), meeting],
            h * 0.012,
            CREAM,
            h * 0.025,
        );
    }
    for (x, y) in [
        (0.12, 0.62),
        (0.27, 0.6),
        (0.86, 0.63),
        (0.4, 0.73),
        (0.62, 0.74),
    ] {
        c.circle(w * x, h * y, h * 0.018, CORAL, 1.0);
    }
    c.circle(meeting.0, meeting.1, h * 0.03, SUN, 1.0);
    c.circle(meeting.0, meeting.1, h * 0.03 - 4.0, CORAL, 1.0);
    c
}

/// A road winding over hills towards the sun, with mileposts.
fn road(width: u32, height: u32, sky: Rgb) -> Canvas {
    let (w, h) = (width as f32, height as f32);
    let mut c = Canvas::gradient(width, height, sky, CREAM.mix(SUN, 0.3));
    c.circle(w * 0.5, h * 0.42, h * 0.14, SUN, 1.0);
    c.below(GREEN, |x| wave(x, h * 0.5, h * 0.03, w * 0.1, 1.0));
    c.below(TEAL.mix(GREEN, 0.4), |x| {
        wave(x, h * 0.66, h * 0.04, w * 0.14, 3.0)
    });
    let points: Vec<(f32, f32)> = (0..=20)
        .map(|i| {
            let t = i as f32 / 20.0;
            (
                w * 0.5 + (t * 9.0).sin() * w * 0.18 * t,
                h * 0.5 + t * h * 0.5,
            )
        })
        .collect();
    c.line(&points, h * 0.06, CREAM, 0.0);
    c.line(&points, h * 0.008, SUN, h * 0.03);
    for i in [6, 11, 16] {
        let (x, y) = points[i];
        c.rect(x + h * 0.06, y - h * 0.06, x + h * 0.075, y, WHITE);
        c.rect(
            x + h * 0.06,
            y - h * 0.06,
            x + h * 0.075,
            y - h * 0.04,
            CORAL,
        );
    }
    c
}

/// Partners: overlapping circles, brightest where they meet.
fn circles(width: u32, height: u32, colours: [Rgb; 4]) -> Canvas {
    let (w, h) = (width as f32, height as f32);
    let mut c = Canvas::gradient(width, height, CREAM, CREAM.mix(SUN, 0.2));
    let r = h * 0.26;
    let centres = [(-1.0, -0.6), (1.0, -0.6), (-1.0, 0.6), (1.0, 0.6)];
    for ((dx, dy), colour) in centres.iter().zip(colours) {
        c.circle(
            w / 2.0 + dx * r * 0.7,
            h / 2.0 + dy * r * 0.7,
            r,
            colour,
            0.7,
        );
    }
    c.circle(w / 2.0, h / 2.0, r * 0.22, WHITE, 1.0);
    c
}

/// A town's map: a street grid, a winding river, shaded neighbourhoods and markers.
fn street_map(width: u32, height: u32, seed: u32, markers: &[(f32, f32)]) -> Canvas {
    let (w, h) = (width as f32, height as f32);
    let mut c = Canvas::gradient(width, height, CREAM, CREAM);
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 16) as f32 / 65_536.0
    };
    let step = h / 6.0;
    for row in 0..8 {
        for col in 0..14 {
            let pick = next();
            let colour = match pick {
                p if p < 0.2 => GREEN.mix(CREAM, 0.45),
                p if p < 0.35 => SKY.mix(CREAM, 0.3),
                p if p < 0.45 => SUN.mix(CREAM, 0.5),
                _ => continue,
            };
            let (x, y) = (col as f32 * step, row as f32 * step);
            c.rect(x + 6.0, y + 6.0, x + step - 6.0, y + step - 6.0, colour);
        }
    }
    for i in 0..14 {
        let x = i as f32 * step;
        c.line(&[(x, 0.0), (x, h)], 8.0, WHITE, 0.0);
    }
    for i in 0..8 {
        let y = i as f32 * step;
        c.line(&[(0.0, y), (w, y)], 8.0, WHITE, 0.0);
    }
    let phase = next() * 6.0;
    let river: Vec<(f32, f32)> = (0..=24)
        .map(|i| {
            let x = w * i as f32 / 24.0;
            (x, wave(x, h * 0.55, h * 0.12, w * 0.15, phase))
        })
        .collect();
    c.line(&river, h * 0.07, BLUE.mix(SKY, 0.5), 0.0);
    for (x, y) in markers {
        c.circle(w * x, h * y, h * 0.045, CORAL, 1.0);
        c.circle(w * x, h * y, h * 0.018, WHITE, 1.0);
    }
    c
}

/// An office at dusk: a grid of windows, some lit.
fn windows(width: u32, height: u32, seed: u32) -> Canvas {
    let (w, h) = (width as f32, height as f32);
    let mut c = Canvas::gradient(width, height, NAVY, BLUE.mix(ORANGE, 0.5));
    let mut state = seed;
    c.rect(w * 0.2, h * 0.12, w * 0.8, h, NAVY.mix(BLUE, 0.3));
    for row in 0..6 {
        for col in 0..8 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let lit = !(state >> 16).is_multiple_of(3);
            let x = w * 0.24 + col as f32 * w * 0.07;
            let y = h * 0.17 + row as f32 * h * 0.13;
            let colour = if lit { SUN.mix(CREAM, 0.3) } else { NAVY };
            c.rect(x, y, x + w * 0.045, y + h * 0.08, colour);
        }
    }
    c.rect(w * 0.44, h * 0.9, w * 0.56, h, SUN);
    c
}

/// A webinar poster: a screen of four tiles (a circle, a square, a peak, rising bars) over the
/// brand's colours.
fn screen(width: u32, height: u32, background: Rgb, tiles: [Rgb; 4]) -> Canvas {
    let (w, h) = (width as f32, height as f32);
    let mut c = Canvas::gradient(width, height, background, background.mix(NAVY, 0.5));
    let (x0, y0, x1, y1) = (w * 0.14, h * 0.14, w * 0.86, h * 0.86);
    c.rect(x0 - 12.0, y0 - 12.0, x1 + 12.0, y1 + 12.0, NAVY);
    let (tw, th) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
    for (i, colour) in tiles.iter().enumerate() {
        let (tx, ty) = (x0 + (i % 2) as f32 * tw, y0 + (i / 2) as f32 * th);
        c.rect(tx + 6.0, ty + 6.0, tx + tw - 6.0, ty + th - 6.0, *colour);
        let (cx, cy) = (tx + tw / 2.0, ty + th / 2.0);
        match i {
            0 => c.circle(cx, cy, th * 0.28, CREAM, 1.0),
            1 => c.rect(
                cx - th * 0.25,
                cy - th * 0.25,
                cx + th * 0.25,
                cy + th * 0.25,
                CREAM,
            ),
            2 => c.line(
                &[
                    (cx - th * 0.3, cy + th * 0.2),
                    (cx, cy - th * 0.2),
                    (cx + th * 0.3, cy + th * 0.2),
                ],
                th * 0.1,
                CREAM,
                0.0,
            ),
            _ => {
                for (k, rise) in [0.2_f32, 0.35, 0.5].iter().enumerate() {
                    let left = cx - th * 0.3 + k as f32 * th * 0.22;
                    let bottom = cy + th * 0.25;
                    c.rect(left, bottom - th * rise, left + th * 0.16, bottom, CREAM);
                }
            }
        }
    }
    c
}

fn main() -> ExitCode {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/images");
    let drawings: Vec<(&str, Canvas)> = vec![
        ("hero-sunrise.jpg", sunrise(1600, 800)),
        ("post-hopeful-start.jpg", road(1200, 675, SKY)),
        (
            "post-twenty-years.jpg",
            road(1200, 675, SKY.mix(ORANGE, 0.5)),
        ),
        (
            "post-coming-together.jpg",
            circles(1200, 675, [BLUE, TEAL, ORANGE, SUN]),
        ),
        (
            "post-help-shape.jpg",
            circles(1200, 675, [CORAL, SUN, TEAL, SKY]),
        ),
        (
            "post-what-we-heard.jpg",
            street_map(
                1200,
                675,
                7,
                &[
                    (0.2, 0.3),
                    (0.45, 0.2),
                    (0.7, 0.35),
                    (0.35, 0.75),
                    (0.8, 0.7),
                ],
            ),
        ),
        (
            "post-published.jpg",
            street_map(1200, 675, 21, &[(0.5, 0.4)]),
        ),
        ("post-at-work.jpg", windows(1200, 675, 5)),
        ("post-what-next.jpg", road(1200, 675, SUN.mix(CREAM, 0.5))),
        (
            "poster-consultation.jpg",
            screen(1280, 720, TEAL, [BLUE, CORAL, GREEN, ORANGE]),
        ),
        (
            "poster-signing-up.jpg",
            screen(1280, 720, BLUE, [TEAL, ORANGE, CORAL, GREEN]),
        ),
        (
            "poster-measuring.jpg",
            screen(1280, 720, CORAL, [BLUE, TEAL, ORANGE, GREEN]),
        ),
        (
            "poster-workplaces.jpg",
            screen(1280, 720, GREEN, [CORAL, BLUE, TEAL, ORANGE]),
        ),
        (
            "event-map.jpg",
            street_map(1200, 675, 3, &[(0.3, 0.4), (0.65, 0.6)]),
        ),
    ];
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("error: {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for (name, canvas) in drawings {
        let path = out.join(name);
        if let Err(e) = canvas.save(&path) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
