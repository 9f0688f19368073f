//! The second painter: a [`Scene`] as SVG elements. The export writes the page around it; the
//! primitives are the very ones the window paints with egui.

use std::fmt::Write as _;

use super::clip::{ClipRect, clip_line, clip_ring};
use super::geometry::Prepared;
use super::labels::Placed;
use super::projection::ScreenTransform;
use super::scene::{Item, Scene};
use super::style::{self, LineStyle, MarkerShape, MarkerStyle, Rgba};
use crate::model::LayerId;
use crate::text::FONT_FAMILY;

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `fill="#rrggbb" fill-opacity="a"` for a colour.
pub fn paint(attribute: &str, colour: Rgba) -> String {
    let alpha = colour.alpha();
    if alpha >= 1.0 {
        format!("{attribute}=\"{}\"", colour.hex())
    } else {
        format!(
            "{attribute}=\"{}\" {attribute}-opacity=\"{alpha:.3}\"",
            colour.hex()
        )
    }
}

/// `fill="none" stroke=… stroke-width=…` (and dashes) for a line style.
pub fn stroke_attributes(style: &LineStyle) -> String {
    format!("fill=\"none\" {}", outline_attributes(style))
}

/// The stroke attributes alone, for a shape that also has a fill.
pub fn outline_attributes(style: &LineStyle) -> String {
    let mut out = format!(
        "{} stroke-width=\"{:.2}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"",
        paint("stroke", style.color),
        style.width
    );
    if let Some((dash, gap)) = style.dash {
        let _ = write!(out, " stroke-dasharray=\"{dash:.1} {gap:.1}\"");
    }
    out
}

/// How far outside the viewport geometry is kept: wider than any stroke, so clipped ends
/// never show.
const CLIP_MARGIN: f32 = 40.0;

/// SVG path data for a prepared geometry in viewport coordinates, clipped to the viewport: a
/// filled area as clipped rings, a stroke as the runs of its lines that can be seen.
fn path_data(
    geometry: &Prepared,
    transform: &ScreenTransform,
    size: [f32; 2],
    fill: bool,
) -> String {
    let rect: ClipRect = [
        -CLIP_MARGIN,
        -CLIP_MARGIN,
        size[0] + CLIP_MARGIN,
        size[1] + CLIP_MARGIN,
    ];
    let mut data = String::with_capacity(geometry.vertices.len() * 8);
    let mut write_run = |run: &[[f32; 2]], close: bool| {
        for (index, [x, y]) in run.iter().enumerate() {
            let _ = write!(data, "{}{x:.2} {y:.2}", if index == 0 { "M" } else { "L" });
        }
        if close {
            data.push('Z');
        }
    };
    let mut points = Vec::new();
    for path in geometry.paths() {
        points.clear();
        points.extend(path.iter().map(|local| transform.apply(*local)));
        if fill {
            let ring = clip_ring(&points, &rect);
            if !ring.is_empty() {
                write_run(&ring, true);
            }
        } else {
            let runs = clip_line(&points, geometry.closed, &rect);
            let whole = runs.len() == 1 && runs[0].len() == points.len();
            for run in &runs {
                write_run(run, geometry.closed && whole);
            }
        }
    }
    data
}

/// Which group an item belongs to: its layer, and whether it is a fill, an outline or a symbol.
fn group_of(item: &Item) -> Option<(LayerId, &'static str)> {
    match item {
        Item::Fill { feature, .. } => Some((feature.layer, "fill")),
        Item::Stroke { feature, .. } => Some((feature.layer, "line")),
        Item::Marker { feature, .. } => Some((feature.layer, "symbol")),
        Item::Circle { .. } | Item::Arrow { .. } => None,
        Item::Veil { .. } | Item::Label(_) | Item::Image(_) => None,
        Item::TileFill { .. } | Item::TileStroke { .. } => None,
    }
}

/// Writes the scene's items as SVG, in the scene's viewport coordinates; each run of items of
/// one layer goes in a `<g class="layer layer-KEY">`, so the layers stay separable in an editor.
pub fn write_scene(scene: &Scene, out: &mut String) {
    let mut open: Option<(LayerId, &'static str)> = None;
    let mut open_other = false;
    let mut groups = 0usize;
    let close =
        |out: &mut String, open: &mut Option<(LayerId, &'static str)>, open_other: &mut bool| {
            if open.take().is_some() || std::mem::take(open_other) {
                out.push_str("</g>\n");
            }
        };
    for item in &scene.items {
        let group = group_of(item);
        if group != open || (group.is_none() && !open_other) {
            close(out, &mut open, &mut open_other);
            match group {
                Some((layer, part)) => {
                    groups += 1;
                    let _ = writeln!(
                        out,
                        "<g class=\"layer layer-{key}\" id=\"{key}-{part}-{groups}\">",
                        key = layer.key()
                    );
                    open = Some((layer, part));
                }
                None => {
                    let _ = writeln!(out, "<g class=\"overlay\">");
                    open_other = true;
                }
            }
        }
        write_item(scene, item, out);
    }
    close(out, &mut open, &mut open_other);
}

fn write_item(scene: &Scene, item: &Item, out: &mut String) {
    let transform = &scene.transform;
    match item {
        Item::Fill {
            geometry, color, ..
        }
        | Item::TileFill { geometry, color } => {
            let _ = writeln!(
                out,
                "<path d=\"{}\" fill-rule=\"evenodd\" {}/>",
                path_data(geometry, transform, scene.view.size, true),
                paint("fill", *color)
            );
        }
        Item::Stroke {
            geometry, style, ..
        }
        | Item::TileStroke { geometry, style } => {
            let _ = writeln!(
                out,
                "<path d=\"{}\" {}/>",
                path_data(geometry, transform, scene.view.size, false),
                stroke_attributes(style)
            );
        }
        Item::Marker {
            at, style, count, ..
        } => write_marker(*at, style, *count, out),
        Item::Circle {
            center,
            radius,
            fill,
            style,
        } => {
            let fill = fill.map_or_else(|| "fill=\"none\"".to_string(), |fill| paint("fill", fill));
            let stroke = outline_attributes(style);
            let _ = writeln!(
                out,
                "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"{radius:.2}\" {fill} {stroke}/>",
                center[0], center[1]
            );
        }
        Item::Arrow {
            from,
            control,
            to,
            head,
            style,
            casing,
        } => write_arrow([*from, *control, *to], head, style, casing, out),
        Item::Veil { color } => {
            let [w, h] = scene.view.size;
            let _ = writeln!(
                out,
                "<rect x=\"0\" y=\"0\" width=\"{w:.2}\" height=\"{h:.2}\" {}/>",
                paint("fill", *color)
            );
        }
        Item::Label(label) => write_label(label, out),
        Item::Image(image) => {
            let [w, h] = scene.view.size;
            let mime = if image.jpeg { "jpeg" } else { "png" };
            let _ = write!(
                out,
                "<image class=\"basemap\" x=\"0\" y=\"0\" width=\"{w:.2}\" height=\"{h:.2}\" \
                 preserveAspectRatio=\"none\" href=\"data:image/{mime};base64,"
            );
            base64(&image.bytes, out);
            out.push_str("\"/>\n");
        }
    }
}

/// Standard base64 (RFC 4648, with padding), for pictures inside the SVG.
pub fn base64(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let digits = [18, 12, 6, 0].map(|shift| ALPHABET[((n >> shift) & 63) as usize] as char);
        let kept = chunk.len() + 1;
        for (index, digit) in digits.into_iter().enumerate() {
            out.push(if index < kept { digit } else { '=' });
        }
    }
}

/// A point symbol, with its count when it stands for several features.
fn write_marker(at: [f32; 2], style: &MarkerStyle, count: u32, out: &mut String) {
    let [x, y] = at;
    let outline = format!(
        "{} stroke-width=\"{}\"",
        paint("stroke", style.outline),
        style.outline_width
    );
    match style.shape {
        MarkerShape::Circle => {
            let _ = writeln!(
                out,
                "<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"{:.2}\" {} {outline}/>",
                style.radius,
                paint("fill", style.fill)
            );
        }
        MarkerShape::Diamond => {
            let r = style.radius;
            let _ = writeln!(
                out,
                "<path d=\"M{x:.2} {:.2}L{:.2} {y:.2}L{x:.2} {:.2}L{:.2} {y:.2}Z\" {} {outline}/>",
                y - r,
                x + r,
                y + r,
                x - r,
                paint("fill", style.fill)
            );
        }
    }
    if count > 1 {
        let text = style::CLUSTER_COUNT;
        let _ = writeln!(
            out,
            "<text x=\"{x:.2}\" y=\"{:.2}\" font-family=\"{FONT_FAMILY}\" font-size=\"{}\" text-anchor=\"middle\" {}>{}</text>",
            y + 0.35 * text.size,
            text.size,
            paint("fill", text.color),
            style::count_text(count)
        );
    }
}

/// An arrow: the casing, the (dashed) curve, and the outlined head.
fn write_arrow(
    [from, control, to]: [[f32; 2]; 3],
    head: &[[f32; 2]; 3],
    style: &LineStyle,
    casing: &LineStyle,
    out: &mut String,
) {
    let curve = format!(
        "M{:.2} {:.2}Q{:.2} {:.2} {:.2} {:.2}",
        from[0], from[1], control[0], control[1], to[0], to[1]
    );
    let _ = writeln!(out, "<path d=\"{curve}\" {}/>", stroke_attributes(casing));
    let _ = writeln!(out, "<path d=\"{curve}\" {}/>", stroke_attributes(style));
    let outline = style::ARROW_HEAD_OUTLINE;
    let _ = writeln!(
        out,
        "<path d=\"M{:.2} {:.2}L{:.2} {:.2}L{:.2} {:.2}Z\" {} {} stroke-width=\"{}\"/>",
        head[0][0],
        head[0][1],
        head[1][0],
        head[1][1],
        head[2][0],
        head[2][1],
        paint("fill", style.color),
        paint("stroke", outline.color),
        outline.width
    );
}

/// A label: its halo (a wide stroke of the glyphs), then its text.
fn write_label(label: &Placed, out: &mut String) {
    let [x, y] = label.anchor;
    // The baseline sits about a third of the size below the centre.
    let baseline = y + label.style.size * 0.36;
    let text = escape(&label.text);
    // Turned about its centre (a road's name along the road).
    let turned = if label.angle == 0.0 {
        String::new()
    } else {
        format!(
            " transform=\"rotate({:.2} {x:.2} {y:.2})\"",
            label.angle.to_degrees()
        )
    };
    let common = format!(
        "x=\"{x:.2}\" y=\"{baseline:.2}\" font-family=\"{FONT_FAMILY}\" font-size=\"{:.1}\" text-anchor=\"middle\"{turned}",
        label.style.size
    );
    let _ = writeln!(
        out,
        "<text {common} fill=\"none\" {} stroke-width=\"2.6\" stroke-linejoin=\"round\">{text}</text>",
        paint("stroke", label.style.halo)
    );
    let _ = writeln!(
        out,
        "<text {common} {}>{text}</text>",
        paint("fill", label.style.color)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vectors of RFC 4648, section 10.
    #[test]
    fn base64_is_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = String::new();
            base64(plain.as_bytes(), &mut out);
            assert_eq!(out, encoded);
        }
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("A & B <c> \"d\""),
            "A &amp; B &lt;c&gt; &quot;d&quot;"
        );
    }

    #[test]
    fn translucent_colours_carry_an_opacity() {
        assert_eq!(paint("fill", Rgba::rgb(255, 0, 16)), "fill=\"#ff0010\"");
        assert_eq!(
            paint("fill", Rgba::new(0, 0, 0, 51)),
            "fill=\"#000000\" fill-opacity=\"0.200\""
        );
    }
}
