//! The export's legend box: the rows of [`render::legend::map_legend`], then what dashed
//! outlines mean, each symbol drawn as SVG in a 22 × 12 point swatch.
//!
//! [`render::legend::map_legend`]: crate::render::legend::map_legend

use std::fmt::Write as _;

use super::{Frame, MUTED, TEXT, text};
use crate::model::Lang;
use crate::render::legend::{LegendEntry, approximate_entry};
use crate::render::style::{self, AreaStyle, LegendSymbol, MarkerShape, Rgba};
use crate::render::svg::{outline_attributes, paint, stroke_attributes};
use crate::text::text_width;

/// The colour of the "dashed" row's line.
const DASHED_LINE: Rgba = Rgba::rgb(0x33, 0x33, 0x33);

/// Text sizes in layout points (a pixel of a 1920×1080 page, ¾ of a typographic point on
/// paper): at least 12 pixels on a screen-sized page and 9 pt in print, where 10 and 9 made
/// 6.5 pt on A4, too small to read.
pub const LABEL_SIZE: f32 = 12.5;
pub const SUB_LABEL_SIZE: f32 = 12.0;
const TITLE_SIZE: f32 = 14.0;

const ROW_HEIGHT: f32 = 19.0;

/// The first row's top, below the title.
const FIRST_ROW: f32 = 29.0;

/// The size of a row's label.
fn label_size(entry: &LegendEntry) -> f32 {
    if entry.indented {
        SUB_LABEL_SIZE
    } else {
        LABEL_SIZE
    }
}

/// The legend of `rows` (the map's: see [`map_legend`](crate::render::legend::map_legend)) in
/// the map frame's top right.
pub(super) fn legend(out: &mut String, rows: &[LegendEntry], frame: &Frame, lang: Lang) {
    let dashed = approximate_entry(DASHED_LINE);
    let [x, y, width, height] = legend_box(rows, frame, lang);
    let _ = writeln!(
        out,
        "<g id=\"legend\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#888888\" stroke-width=\"0.6\"/>"
    );
    text(
        out,
        x + 10.0,
        y + 19.0,
        TITLE_SIZE,
        TEXT,
        "start",
        lang.pick("图例", "Legend"),
    );
    let (places, lines) = row_places(rows, lang);
    for (entry, (line, column)) in rows.iter().zip(places) {
        let row_y = y + FIRST_ROW + ROW_HEIGHT * line as f32;
        let indent = if entry.indented { 10.0 } else { 0.0 } + column;
        swatch(out, x + 10.0 + indent, row_y, &entry.symbol);
        text(
            out,
            x + 38.0 + indent,
            row_y + 10.5,
            label_size(entry),
            TEXT,
            "start",
            entry.label.get(lang),
        );
    }
    let last_y = y + FIRST_ROW + ROW_HEIGHT * lines as f32;
    swatch(out, x + 10.0, last_y, &dashed.symbol);
    text(
        out,
        x + 38.0,
        last_y + 10.5,
        SUB_LABEL_SIZE,
        MUTED,
        "start",
        dashed.label.get(lang),
    );
    out.push_str("</g>\n");
}

/// A legend symbol in the 22 × 12 point box whose top-left corner is (x, y).
/// A sub-row this short (a platform category) shares its line with the next short one: the
/// legend of a page with every category stays a third shorter.
const PAIRED_LABEL: f32 = 92.0;

/// The second column of paired sub-rows starts this far right of the first.
const PAIR_COLUMN: f32 = PAIRED_LABEL + 34.0;

fn pairable(entry: &LegendEntry, lang: Lang) -> bool {
    entry.indented
        && matches!(entry.symbol, LegendSymbol::Marker(_))
        && text_width(entry.label.get(lang), SUB_LABEL_SIZE) <= PAIRED_LABEL
}

/// Each row's line and column offset (short marker sub-rows in pairs), and the lines used.
fn row_places(rows: &[LegendEntry], lang: Lang) -> (Vec<(usize, f32)>, usize) {
    let mut places = Vec::with_capacity(rows.len());
    let mut line = 0;
    let mut index = 0;
    while index < rows.len() {
        places.push((line, 0.0));
        if pairable(&rows[index], lang) && rows.get(index + 1).is_some_and(|r| pairable(r, lang)) {
            places.push((line, PAIR_COLUMN));
            index += 1;
        }
        line += 1;
        index += 1;
    }
    (places, line)
}

/// Where the legend of `rows` goes on the page: the map frame's top right, [x, y, w, h].
pub fn legend_box(rows: &[LegendEntry], frame: &Frame, lang: Lang) -> [f32; 4] {
    let dashed = approximate_entry(DASHED_LINE);
    let (places, lines) = row_places(rows, lang);
    let width = rows
        .iter()
        .zip(&places)
        .map(|(entry, (_, column))| {
            text_width(entry.label.get(lang), label_size(entry))
                + if entry.indented { 44.0 } else { 36.0 }
                + column
        })
        .fold(
            text_width(dashed.label.get(lang), SUB_LABEL_SIZE) + 36.0,
            f32::max,
        )
        + 12.0;
    let height = FIRST_ROW + ROW_HEIGHT * (lines as f32 + 1.0) - 2.0;
    [
        frame.x + frame.w - width - 10.0,
        frame.y + 10.0,
        width,
        height,
    ]
}

pub fn swatch(out: &mut String, x: f32, y: f32, symbol: &LegendSymbol) {
    let cy = y + 6.0;
    match symbol {
        LegendSymbol::Dots(colours) => {
            for (dx, colour) in style::dot_offsets(colours.len()).zip(colours) {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"3\" {}/>",
                    x + dx,
                    paint("fill", *colour)
                );
            }
        }
        LegendSymbol::Marker(marker) => {
            // As the map draws it, shrunk to the swatch's height.
            let (cx, r) = (x + 11.0, marker.radius.min(6.0));
            let outline = format!(
                "{} stroke-width=\"{}\"",
                paint("stroke", marker.outline),
                marker.outline_width
            );
            let _ = match marker.shape {
                MarkerShape::Diamond => writeln!(
                    out,
                    "<path d=\"M{cx} {}L{} {cy}L{cx} {}L{} {cy}Z\" {} {outline}/>",
                    cy - r,
                    cx + r,
                    cy + r,
                    cx - r,
                    paint("fill", marker.fill)
                ),
                MarkerShape::Circle => writeln!(
                    out,
                    "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{r}\" {} {outline}/>",
                    paint("fill", marker.fill)
                ),
            };
        }
        LegendSymbol::Line(line) => {
            let _ = writeln!(
                out,
                "<path d=\"M{x:.1} {cy:.1}h22\" {}/>",
                stroke_attributes(line)
            );
        }
        LegendSymbol::Area(AreaStyle { fill, outline }) => {
            let fill = fill.map_or_else(|| "fill=\"none\"".to_string(), |f| paint("fill", f));
            let stroke = outline.map_or_else(String::new, |line| outline_attributes(&line));
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"22\" height=\"12\" rx=\"2\" {fill} {stroke}/>"
            );
        }
        LegendSymbol::Arrow(line) => {
            let _ = writeln!(
                out,
                "<path d=\"M{x:.1} {cy:.1}h16\" {}/><path d=\"M{:.1} {:.1}l6 4l-6 4z\" {}/>",
                stroke_attributes(line),
                x + 16.0,
                cy - 4.0,
                paint("fill", line.color)
            );
        }
        LegendSymbol::Spotlight => {
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"22\" height=\"12\" {}/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"8\" {} {} stroke-width=\"1.5\"/>",
                paint("fill", style::SPOTLIGHT_VEIL),
                x + 6.0,
                y + 2.0,
                paint("fill", style::LAND),
                paint("stroke", style::EMPHASIS)
            );
        }
        LegendSymbol::Extent => {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"6\" {} {}/>",
                x + 11.0,
                paint("fill", style::spotlight_extent_fill()),
                outline_attributes(&style::SPOTLIGHT_EXTENT_LINE)
            );
        }
    }
}
