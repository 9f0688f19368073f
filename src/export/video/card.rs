//! The caption card over a video frame, as the presenter shows it on the projector: the
//! stop's title and caption, the progress dots and "3 / 9", and the caption's sources, in
//! the presenter's sizes (written for a 1920×1080 screen in pixels, scaled with the height).

use std::fmt::Write as _;

use crate::model::{Atlas, Lang};
use crate::render::style::Rgba;
use crate::render::svg::paint;
use crate::tour::card::{
    CAPTION, CAPTION_PX, CORNER, COUNT, COUNT_PX, DOT_DONE, DOT_HERE, DOT_RADIUS, DOT_SPACING,
    DOT_TO_COME, FILL_ALPHA, GAPS, MARGIN, MAX_WIDTH, PADDING, SOURCES, SOURCES_PX, TITLE,
    TITLE_PX,
};

use super::super::layout::text;

/// A line's height, as a share of its text's size (as egui sets a label).
const LINE: f32 = 1.3;
use crate::text::wrap;
use crate::tour::Tour;

/// A card: its SVG (in the frame's pixels) and the box it covers, [x0, y0, x1, y1] in pixels.
pub struct Card {
    pub svg: String,
    pub covers: [f32; 4],
}

/// The card of stop `index` on a frame `width` × `height` pixels.
pub fn card(atlas: &Atlas, tour: &Tour, index: usize, lang: Lang, width: u32, height: u32) -> Card {
    let stop = &tour.stops[index];
    let s = height as f32 / 1080.0;
    let (pad_x, pad_y) = (PADDING[0] * s, PADDING[1] * s);
    let inner = (width as f32 - 2.0 * MARGIN[0] * s - 2.0 * pad_x).min(MAX_WIDTH * s);
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
        + GAPS[0] * s
        + block(caption.len(), CAPTION_PX)
        + GAPS[1] * s
        + COUNT_PX * s * LINE
        + if sources.is_empty() {
            0.0
        } else {
            GAPS[2] * s + block(sources.len(), SOURCES_PX)
        };
    let (x0, y1) = (MARGIN[0] * s, height as f32 - MARGIN[1] * s);
    let (x1, y0) = (x0 + inner + 2.0 * pad_x, y1 - content - 2.0 * pad_y);
    let mut svg = String::with_capacity(2048);
    let _ = writeln!(
        svg,
        "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"{:.1}\" fill=\"#ffffff\" fill-opacity=\"{:.3}\" stroke=\"#000000\" stroke-opacity=\"0.18\" stroke-width=\"{:.1}\"/>",
        x1 - x0,
        y1 - y0,
        CORNER * s,
        f32::from(FILL_ALPHA) / 255.0,
        1.5 * s
    );
    let x = x0 + pad_x;
    let mut y = y0 + pad_y;
    let lines = |svg: &mut String, y: &mut f32, lines: &[String], px: f32, colour: Rgba| {
        for line in lines {
            *y += px * s * LINE;
            text(svg, x, *y - px * s * 0.3, px * s, colour, "start", line);
        }
    };
    lines(&mut svg, &mut y, &title, TITLE_PX, TITLE);
    y += GAPS[0] * s;
    lines(&mut svg, &mut y, &caption, CAPTION_PX, CAPTION);
    y += GAPS[1] * s;
    // The progress dots: done, here (larger, red), to come; a long tour's close up to fit a
    // third of the card.
    let count = tour.stops.len();
    let middle = y + COUNT_PX * s * LINE / 2.0;
    let spacing = (DOT_SPACING * s)
        .min(inner / 3.0 / count.max(1) as f32)
        .max(4.0);
    let shrink = (spacing / (DOT_SPACING * s)).clamp(0.35, 1.0);
    for dot in 0..count {
        let (radius, colour) = match dot.cmp(&index) {
            std::cmp::Ordering::Equal => (DOT_RADIUS[0], DOT_HERE),
            std::cmp::Ordering::Less => (DOT_RADIUS[1], DOT_DONE),
            std::cmp::Ordering::Greater => (DOT_RADIUS[1], DOT_TO_COME),
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
        COUNT,
        "start",
        &format!("{} / {count}", index + 1),
    );
    y += COUNT_PX * s * LINE;
    if !sources.is_empty() {
        y += GAPS[2] * s;
        lines(&mut svg, &mut y, &sources, SOURCES_PX, SOURCES);
    }
    Card {
        svg,
        covers: [x0, y0, x1, y1],
    }
}
