//! The legend: a row per layer the map draws (districts by colour), the selected zone's
//! cooperation arrows by industry chain, and what the spotlight and dashed lines mean.

use std::fmt::Write as _;

use super::{Frame, MUTED, TEXT, text};
use crate::model::{Atlas, FeatureRef, Lang, LayerId, Shape};
use crate::render::labels::text_width;
use crate::render::overlay::chain_colour;
use crate::render::style::{self, AreaStyle, LegendSymbol, Rgba};
use crate::render::svg::{outline_attributes, paint, stroke_attributes};
use crate::render::{Highlight, Item, LayerSettings, Scene};

fn swatch(out: &mut String, x: f32, y: f32, layer: LayerId) {
    let cy = y + 6.0;
    match style::legend_symbol(layer) {
        LegendSymbol::Dots(colours) => {
            for (dx, colour) in style::dot_offsets(colours.len()).zip(colours) {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"3\" {}/>",
                    x + dx,
                    paint("fill", colour)
                );
            }
        }
        LegendSymbol::Diamond(colour) => {
            let cx = x + 11.0;
            let _ = writeln!(
                out,
                "<path d=\"M{cx} {}L{} {cy}L{cx} {}L{} {cy}Z\" {} stroke=\"#ffffff\"/>",
                cy - 6.0,
                cx + 6.0,
                cy + 6.0,
                cx - 6.0,
                paint("fill", colour)
            );
        }
        LegendSymbol::Line(line) => {
            let _ = writeln!(
                out,
                "<path d=\"M{x:.1} {cy:.1}h22\" {}/>",
                stroke_attributes(&line)
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
    }
}

/// A legend row's symbol.
enum Symbol {
    Layer(LayerId),
    District(Rgba),
    Arrow {
        colour: Rgba,
        dashed: bool,
    },
    /// The spotlight: a lit patch beside the veil.
    Spotlight,
    /// A zone known only as a point: the dashed circle of its stated accuracy.
    Extent,
}

pub(super) fn legend(
    out: &mut String,
    atlas: &Atlas,
    scene: &Scene,
    layers: &LayerSettings,
    highlight: &Highlight,
    frame: &Frame,
    lang: Lang,
) {
    let links = &highlight.links;
    let mut rows: Vec<(Symbol, String, bool)> = Vec::new();
    if !highlight.spotlight.is_empty() {
        rows.push((
            Symbol::Spotlight,
            lang.pick("亮处：本页重点", "Lit: the subject of this page")
                .to_string(),
            false,
        ));
        let point_zone = highlight.spotlight.iter().any(|f| {
            atlas
                .feature(*f)
                .is_some_and(|f| matches!(f.shape, Shape::Point(_)) && f.zone().is_some())
        });
        if point_zone {
            rows.push((
                Symbol::Extent,
                lang.pick(
                    "虚线圆：无公开边界，按所述精度示意范围",
                    "Dashed circle: no published outline; area as stated",
                )
                .to_string(),
                false,
            ));
        }
    }
    // As QGIS's "only show items inside the map": a layer is listed when the map draws some of
    // it (boundary lines and place names, drawn as arcs and labels, whenever visible).
    let drawn: std::collections::HashSet<FeatureRef> = scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fill { feature, .. }
            | Item::Stroke { feature, .. }
            | Item::Marker { feature, .. } => Some(*feature),
            _ => None,
        })
        .collect();
    let always = [
        LayerId::Provinces,
        LayerId::Prefectures,
        LayerId::Counties,
        LayerId::Places,
    ];
    for layer in LayerId::ALL.into_iter().rev() {
        if !layers.visible(layer)
            || atlas.layer(layer).is_none_or(|l| l.features.is_empty())
            || !(always.contains(&layer) || drawn.iter().any(|f| f.layer == layer))
        {
            continue;
        }
        rows.push((
            Symbol::Layer(layer),
            layer.title().get(lang).to_string(),
            false,
        ));
        if layer == LayerId::Districts {
            for (_, feature) in atlas
                .zones()
                .filter(|(r, _)| r.layer == LayerId::Districts && drawn.contains(r))
            {
                rows.push((
                    Symbol::District(style::district_colour(&feature.id)),
                    feature.name.get(lang).to_string(),
                    true,
                ));
            }
        }
    }
    // The selected zone's cooperation arrows: one row per industry chain, and the dashed kind.
    if !links.is_empty() {
        rows.push((
            Symbol::Arrow {
                colour: Rgba::rgb(0x55, 0x55, 0x55),
                dashed: false,
            },
            lang.pick("合作关系（按产业链）", "Cooperation (by industry chain)")
                .to_string(),
            false,
        ));
        let mut chains: Vec<&str> = links.iter().map(|l| l.chain.as_str()).collect();
        chains.dedup();
        chains.sort_unstable();
        chains.dedup();
        for chain in chains {
            let name = atlas
                .content
                .industry(chain)
                .map_or(chain.to_string(), |i| lang.pick(&i.zh, &i.en).to_string());
            rows.push((
                Symbol::Arrow {
                    colour: chain_colour(chain),
                    dashed: false,
                },
                name,
                true,
            ));
        }
        if links.iter().any(|l| l.transfer) {
            rows.push((
                Symbol::Arrow {
                    colour: Rgba::rgb(0x55, 0x55, 0x55),
                    dashed: true,
                },
                lang.pick("虚线箭头：产业转移", "Dashed: industry moving out")
                    .to_string(),
                true,
            ));
        }
    }
    let row_height = 16.0;
    let width = rows
        .iter()
        .map(|(_, label, indented)| text_width(label, 10.0) + if *indented { 44.0 } else { 36.0 })
        .fold(
            text_width(
                lang.pick(
                    "虚线：近似边界，非官方范围",
                    "Dashed: approximate, not official",
                ),
                9.0,
            ) + 36.0,
            f32::max,
        )
        + 12.0;
    let height = 26.0 + row_height * (rows.len() as f32 + 1.0);
    let (x, y) = (frame.x + frame.w - width - 10.0, frame.y + 10.0);
    let _ = writeln!(
        out,
        "<g id=\"legend\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#888888\" stroke-width=\"0.6\"/>"
    );
    text(
        out,
        x + 10.0,
        y + 17.0,
        11.0,
        TEXT,
        "start",
        lang.pick("图例", "Legend"),
    );
    for (index, (symbol, label, indented)) in rows.iter().enumerate() {
        let row_y = y + 26.0 + row_height * index as f32;
        let indent = if *indented { 10.0 } else { 0.0 };
        let sx = x + 10.0 + indent;
        match symbol {
            Symbol::Layer(layer) => swatch(out, sx, row_y, *layer),
            Symbol::District(colour) => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{sx:.1}\" y=\"{:.1}\" width=\"12\" height=\"10\" rx=\"2\" {}/>",
                    row_y + 1.0,
                    paint("fill", colour.faded(0.6))
                );
            }
            Symbol::Spotlight => {
                let [r, g, b, a] = crate::render::scene::SPOTLIGHT_VEIL.0;
                let _ = writeln!(
                    out,
                    "<rect x=\"{sx:.1}\" y=\"{:.1}\" width=\"22\" height=\"12\" fill=\"#{r:02x}{g:02x}{b:02x}\" fill-opacity=\"{:.3}\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"8\" {} stroke=\"#ffc400\" stroke-width=\"1.5\"/>",
                    row_y,
                    f32::from(a) / 255.0,
                    sx + 6.0,
                    row_y + 2.0,
                    paint("fill", style::LAND)
                );
            }
            Symbol::Extent => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"6\" {} stroke=\"#ffc400\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>",
                    sx + 11.0,
                    row_y + 6.0,
                    paint("fill", style::LAND)
                );
            }
            Symbol::Arrow { colour, dashed } => {
                let cy = row_y + 6.0;
                let _ = writeln!(
                    out,
                    "<path d=\"M{sx:.1} {cy:.1}h16\" fill=\"none\" {} stroke-width=\"2\"{}/><path d=\"M{:.1} {:.1}l6 4l-6 4z\" {}/>",
                    paint("stroke", *colour),
                    if *dashed {
                        " stroke-dasharray=\"4 2\""
                    } else {
                        ""
                    },
                    sx + 16.0,
                    cy - 4.0,
                    paint("fill", *colour)
                );
            }
        }
        text(
            out,
            x + 38.0 + indent,
            row_y + 10.0,
            if *indented { 9.0 } else { 10.0 },
            TEXT,
            "start",
            label,
        );
    }
    let last_y = y + 26.0 + row_height * rows.len() as f32;
    let _ = writeln!(
        out,
        "<path d=\"M{:.1} {:.1}h22\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.3\" stroke-dasharray=\"4 2\"/>",
        x + 10.0,
        last_y + 6.0
    );
    text(
        out,
        x + 38.0,
        last_y + 10.0,
        9.0,
        MUTED,
        "start",
        lang.pick(
            "虚线：近似边界，非官方范围",
            "Dashed: approximate, not official",
        ),
    );
    out.push_str("</g>\n");
}
