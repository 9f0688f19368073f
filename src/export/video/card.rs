//! The caption card over a video frame, as the presenter shows it on the projector: the
//! stop's title and caption, the progress dots and "3 / 9", and the caption's sources, in
//! the presenter's sizes (written for a 1920×1080 screen in pixels, scaled with the height).

use std::fmt::Write as _;

use crate::model::{Atlas, Lang};
use crate::render::style::Rgba;
use crate::render::svg::{escape, paint};
use crate::text::{FONT_FAMILY, wrap};
use crate::tour::Tour;

const TITLE_PX: f32 = 42.0;
const CAPTION_PX: f32 = 28.0;
const COUNT_PX: f32 = 20.0;
/// As the presenter's sources line (`ui::presenter::SOURCE_PIXELS`): the size of the map's
/// smallest labels on a projector.
const SOURCES_PX: f32 = 20.0;
const LINE: f32 = 1.3;

const TITLE: Rgba = Rgba::rgb(0x14, 0x1a, 0x24);
const CAPTION: Rgba = Rgba::rgb(0x24, 0x2a, 0x34);
const MUTED: Rgba = Rgba::rgb(0x4a, 0x50, 0x5a);
const DONE: Rgba = Rgba::rgb(0x60, 0x66, 0x70);
const HERE: Rgba = Rgba::rgb(0xc6, 0x28, 0x28);
const TO_COME: Rgba = Rgba::rgb(0xc4, 0xc8, 0xce);

/// A card: its SVG (in the frame's pixels) and the box it covers, [x0, y0, x1, y1] in pixels.
pub struct Card {
    pub svg: String,
    pub covers: [f32; 4],
}

/// The card of stop `index` on a frame `width` × `height` pixels.
pub fn card(atlas: &Atlas, tour: &Tour, index: usize, lang: Lang, width: u32, height: u32) -> Card {
    let stop = &tour.stops[index];
    let s = height as f32 / 1080.0;
    let (pad_x, pad_y) = (28.0 * s, 20.0 * s);
    let inner = (width as f32 - 96.0 * s - 2.0 * pad_x).min(1500.0 * s);
    let title = wrap(stop.title.get(lang), TITLE_PX * s, inner);
    let caption = wrap(stop.caption.get(lang), CAPTION_PX * s, inner);
    let citations = stop.citations(atlas, lang);
    let sources = if citations.is_empty() {
        Vec::new()
    } else {
        let line = format!(
            "{}{}",
            lang.pick("来源：", "Sources: "),
            citations.join(lang.pick("；", "; "))
        );
        wrap(&line, SOURCES_PX * s, inner)
    };
    let block = |lines: usize, px: f32| lines as f32 * px * s * LINE;
    let content = block(title.len(), TITLE_PX)
        + 6.0 * s
        + block(caption.len(), CAPTION_PX)
        + 10.0 * s
        + COUNT_PX * s * LINE
        + if sources.is_empty() {
            0.0
        } else {
            6.0 * s + block(sources.len(), SOURCES_PX)
        };
    let (x0, y1) = (48.0 * s, height as f32 - 40.0 * s);
    let (x1, y0) = (x0 + inner + 2.0 * pad_x, y1 - content - 2.0 * pad_y);
    let mut svg = String::with_capacity(2048);
    let _ = writeln!(
        svg,
        "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"{:.1}\" fill=\"#ffffff\" fill-opacity=\"0.95\" stroke=\"#000000\" stroke-opacity=\"0.18\" stroke-width=\"{:.1}\"/>",
        x1 - x0,
        y1 - y0,
        10.0 * s,
        1.5 * s
    );
    let x = x0 + pad_x;
    let mut y = y0 + pad_y;
    let lines = |svg: &mut String, y: &mut f32, lines: &[String], px: f32, colour: Rgba| {
        for line in lines {
            *y += px * s * LINE;
            text(svg, x, *y - px * s * 0.3, px * s, colour, line);
        }
    };
    lines(&mut svg, &mut y, &title, TITLE_PX, TITLE);
    y += 6.0 * s;
    lines(&mut svg, &mut y, &caption, CAPTION_PX, CAPTION);
    y += 10.0 * s;
    // The progress dots: done, here (larger, red), to come; a long tour's close up to fit a
    // third of the card.
    let count = tour.stops.len();
    let middle = y + COUNT_PX * s * LINE / 2.0;
    let spacing = (22.0 * s).min(inner / 3.0 / count.max(1) as f32).max(4.0);
    let shrink = (spacing / (22.0 * s)).clamp(0.35, 1.0);
    for dot in 0..count {
        let (radius, colour) = match dot.cmp(&index) {
            std::cmp::Ordering::Equal => (8.0, HERE),
            std::cmp::Ordering::Less => (5.5, DONE),
            std::cmp::Ordering::Greater => (5.5, TO_COME),
        };
        let _ = writeln!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{middle:.1}\" r=\"{:.1}\" {}/>",
            x + spacing * (dot as f32 + 0.5),
            radius * s * shrink,
            paint("fill", colour)
        );
    }
    let after_dots = x + spacing * count as f32 + 12.0 * s;
    text(
        &mut svg,
        after_dots,
        middle + COUNT_PX * s * 0.35,
        COUNT_PX * s,
        DONE,
        &format!("{} / {count}", index + 1),
    );
    y += COUNT_PX * s * LINE;
    if !sources.is_empty() {
        y += 6.0 * s;
        lines(&mut svg, &mut y, &sources, SOURCES_PX, MUTED);
    }
    Card {
        svg,
        covers: [x0, y0, x1, y1],
    }
}

fn text(out: &mut String, x: f32, y: f32, size: f32, colour: Rgba, content: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-family=\"{FONT_FAMILY}\" font-size=\"{size:.1}\" {}>{}</text>",
        paint("fill", colour),
        escape(content)
    );
}
