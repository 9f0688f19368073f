//! The user's own layers, above the atlas's (the last added on top): areas filled lightly and
//! outlined, lines stroked, points as symbols in the layer's colour or its category's. Points
//! closer than a few points are drawn as one with a count, binned on a grid so that a layer
//! of many points costs one pass. Labels come from the field the user chose, placed after the
//! atlas's own names.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::frame::{Frame, LabelGroup, SceneLayer};
use crate::model::user::{GeometryKind, PointSymbol, UserLayer};
use crate::model::{FeatureRef, LayerId, Shape};
use crate::render::labels::Candidate;
use crate::render::scene::Item;
use crate::render::style::{self, LegendSymbol, LineStyle, MarkerShape, MarkerStyle, Rgba};
use crate::text::text_width;

/// Points closer than this (in points) are drawn as one, with a count.
const BIN_POINTS: f32 = 6.0;

/// Areas smaller than this on screen (in points) are drawn as a dot of their size, one per
/// dot grid cell: at that size a dot and a polygon look alike.
const DOT_POINTS: f32 = 4.0;

/// The grid the dots of small areas are thinned on (points).
const DOT_GRID: f32 = 2.0;

/// Areas smaller than this on screen are filled without their outline.
const OUTLINE_POINTS: f32 = 8.0;

/// An area's box on screen, in points.
fn screen_size(frame: &Frame<'_>, area: &geo::MultiPolygon) -> [f32; 2] {
    use geo::BoundingRect;
    let Some(bounds) = area.bounding_rect() else {
        return [0.0, 0.0];
    };
    let [x0, y0] = frame.view.project(bounds.min());
    let [x1, y1] = frame.view.project(bounds.max());
    [(x1 - x0).abs(), (y1 - y0).abs()]
}

pub struct UserLayers;

impl SceneLayer for UserLayers {
    fn key(&self) -> &'static str {
        "user-layers"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        let atlas = frame.atlas;
        for (id, layer) in atlas.user_layers() {
            if frame.shown(id) && frame.opacity(id) > 0.0 {
                add_layer(frame, id, layer);
            }
        }
    }
}

/// The colour of a user's layer or category as the scene's colour.
pub fn user_colour(rgb: [u8; 3]) -> Rgba {
    Rgba::rgb(rgb[0], rgb[1], rgb[2])
}

/// The symbol a point of `layer` is drawn with, in `rgb`.
pub fn user_marker(layer: &UserLayer, rgb: [u8; 3]) -> MarkerStyle {
    MarkerStyle {
        shape: match layer.style.symbol {
            PointSymbol::Circle => MarkerShape::Circle,
            PointSymbol::Diamond => MarkerShape::Diamond,
        },
        radius: layer.style.point_radius,
        fill: user_colour(rgb),
        outline: user_ring(rgb),
        outline_width: 1.2,
    }
}

/// The ring around a user's point: dark where the atlas's are white, so that the user's data
/// stands apart from the atlas's and a red point stays visible on the core's red fill; white
/// around a dark point.
pub fn user_ring(rgb: [u8; 3]) -> Rgba {
    let [r, g, b] = rgb.map(f32::from);
    let luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255.0;
    if luminance < 0.3 {
        style::WHITE
    } else {
        Rgba::rgb(0x1b, 0x1b, 0x1f)
    }
}

/// A user layer's legend symbol (in a category's colour, when given): its points' symbol, or
/// its lines, or its areas.
pub fn user_legend_symbol(layer: &UserLayer, rgb: Option<[u8; 3]>) -> LegendSymbol {
    let rgb = rgb.unwrap_or(layer.style.color);
    let colour = user_colour(rgb);
    match layer.geometry_kind() {
        GeometryKind::Points => LegendSymbol::Marker(user_marker(layer, rgb)),
        GeometryKind::Lines => LegendSymbol::Line(LineStyle::solid(layer.style.line_width, colour)),
        GeometryKind::Areas => LegendSymbol::Area(style::AreaStyle {
            fill: Some(colour.faded(layer.style.fill_opacity)),
            outline: Some(LineStyle::solid(layer.style.line_width.min(2.0), colour)),
        }),
    }
}

/// A big point layer: the clusters of the grid for the view's zoom, each with its count and
/// its points' category colour (grey when mixed); close in, its points as any layer's.
fn add_big_layer(frame: &mut Frame<'_>, id: LayerId, layer: &UserLayer) -> Option<Vec<u32>> {
    use crate::index::clusters::{InView, MIXED};
    let pyramid = frame.index.pyramid(id)?;
    let clusters = match pyramid.in_view(frame.view.bounds(), frame.view.zoom) {
        InView::Points(points) => return Some(points),
        InView::Clusters(clusters) => clusters,
    };
    let opacity = frame.opacity(id);
    for cluster in clusters {
        let rgb = match cluster.category {
            MIXED => None,
            slot => layer.categories.get(usize::from(slot)).map(|c| c.color),
        };
        let mut marker = user_marker(layer, rgb.unwrap_or(layer.style.color));
        if cluster.count > 1 {
            if rgb.is_none() && !layer.categories.is_empty() {
                marker.fill = style::MIXED_CLUSTER;
            }
            marker.radius = marker.radius.max(style::cluster_radius(cluster.count));
        }
        marker.fill = marker.fill.faded(opacity);
        marker.outline = marker.outline.faded(opacity);
        let at = frame
            .view
            .project(geo::coord! { x: cluster.at[0], y: cluster.at[1] });
        frame.items.push(Item::Marker {
            feature: FeatureRef {
                layer: id,
                index: cluster.first,
            },
            at,
            style: marker,
            count: cluster.count,
        });
    }
    Some(Vec::new())
}

/// The dots of areas are at least this big on screen (points), so that the smallest show.
const LEAST_DOT_POINTS: f32 = 1.5;

/// Zoom steps per level at which a big area layer's dots are made again.
const DOT_STEPS_PER_LEVEL: f64 = 4.0;

/// A big area layer: its areas smaller than a few points at the view's zoom step as dots
/// (made once per step, kept, and drawn as one fill per colour), and the areas it lists — the
/// bigger ones in view, and a hovered or selected small one, which is drawn as itself.
fn add_big_areas(
    frame: &mut Frame<'_>,
    id: LayerId,
    layer: &UserLayer,
    areas: &crate::index::areas::AreaLayer,
) -> Vec<FeatureRef> {
    use crate::render::projection::world_size;
    let step = (frame.view.zoom * DOT_STEPS_PER_LEVEL).floor();
    let scale = world_size(step / DOT_STEPS_PER_LEVEL);
    let min_size = f64::from(DOT_POINTS) / scale;
    let opacity = frame.opacity(id);
    let datum = frame.view.datum;
    // The atlas's revision changes with a restyle; the opacity is the view's own.
    let key = (
        id,
        step as i32,
        datum,
        frame.atlas.revision(),
        opacity.to_bits(),
    );
    let dots = frame.dots(key, |origin| {
        small_area_dots(areas, layer, opacity, datum, origin, scale)
    });
    for (colour, first, geometry) in dots.iter() {
        frame.items.push(Item::Fill {
            feature: FeatureRef {
                layer: id,
                index: *first,
            },
            geometry: geometry.clone(),
            color: *colour,
        });
    }
    let mut listed: Vec<FeatureRef> = areas
        .at_least(frame.view.bounds(), min_size)
        .into_iter()
        .map(|index| FeatureRef { layer: id, index })
        .collect();
    let highlight = &frame.options.highlight;
    for focused in [highlight.hovered, highlight.selected]
        .into_iter()
        .flatten()
        .chain(highlight.emphasised.iter().copied())
    {
        if focused.layer == id
            && let Err(at) = listed.binary_search(&focused)
        {
            listed.insert(at, focused);
        }
    }
    listed
}

/// Dots for the areas of `areas` smaller than [`DOT_POINTS`] at `scale` (points per
/// normalised Mercator unit): each a rectangle of its area's box (at least
/// [`LEAST_DOT_POINTS`]), one per [`DOT_GRID`] cell, grouped by colour.
fn small_area_dots(
    areas: &crate::index::areas::AreaLayer,
    layer: &UserLayer,
    opacity: f32,
    datum: crate::coordinates::datum::Datum,
    origin: [f64; 2],
    scale: f64,
) -> Vec<(Rgba, u32, crate::render::geometry::Prepared)> {
    use crate::render::projection::{inverse_mercator, mercator};
    let min_size = f64::from(DOT_POINTS) / scale;
    let least = f64::from(LEAST_DOT_POINTS) / scale;
    let cell = f64::from(DOT_GRID) / scale;
    let mut taken: std::collections::HashSet<(i64, i64)> = std::collections::HashSet::new();
    let mut groups: Vec<(Rgba, u32, crate::render::geometry::Prepared)> = Vec::new();
    let mut group_of: HashMap<Rgba, usize> = HashMap::new();
    for area in areas.boxes().iter().filter(|b| b.size() < min_size) {
        let mut center = area.center();
        if datum != crate::coordinates::datum::Datum::Wgs84 {
            let wgs84 = inverse_mercator(center);
            let (lon, lat) = datum.from_wgs84(wgs84.x, wgs84.y);
            center = mercator(lon, lat);
        }
        let cell_key = (
            (center[0] / cell).floor() as i64,
            (center[1] / cell).floor() as i64,
        );
        if !taken.insert(cell_key) {
            continue;
        }
        let colour = user_colour(layer.color_of(area.index as usize)).faded(opacity);
        let slot = *group_of.entry(colour).or_insert_with(|| {
            groups.push((colour, area.index, Default::default()));
            groups.len() - 1
        });
        let half = [
            (area.max[0] - area.min[0]).max(least) / 2.0,
            (area.max[1] - area.min[1]).max(least) / 2.0,
        ];
        let geometry = &mut groups[slot].2;
        let base = geometry.vertices.len() as u32;
        for [sx, sy] in [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]] {
            geometry.vertices.push([
                (center[0] + sx * half[0] - origin[0]) as f32,
                (center[1] + sy * half[1] - origin[1]) as f32,
            ]);
        }
        geometry.paths.push(base..base + 4);
        geometry
            .triangles
            .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    for group in &mut groups {
        group.2.closed = true;
    }
    groups
}

fn add_layer(frame: &mut Frame<'_>, id: LayerId, layer: &UserLayer) {
    // A big point layer: clusters far out (drawn here), its points in view close in.
    let big: Option<Vec<FeatureRef>> = add_big_layer(frame, id, layer).map(|points| {
        points
            .into_iter()
            .map(|index| FeatureRef { layer: id, index })
            .collect()
    });
    if big.as_ref().is_some_and(Vec::is_empty) {
        return;
    }
    // A big area layer: its small areas as dots (drawn here), the rest listed.
    let index = frame.index;
    let big_areas = index.areas(id).map(|areas| {
        let mut listed = add_big_areas(frame, id, layer, areas);
        // Its points and lines, if it has any, are listed as any layer's.
        listed.extend_from_slice(frame.visible_in(id));
        listed.sort_unstable();
        listed.dedup();
        // Each is drawn as itself (it is big enough): tens of thousands in a first view.
        frame.prepare_ahead(&listed);
        listed
    });
    let opacity = frame.opacity(id);
    let highlight = &frame.options.highlight;
    let (hovered, selected) = (highlight.hovered, highlight.selected);
    let Some(features) = frame.atlas.layer(id).map(|l| &l.features) else {
        return;
    };
    let label_column = layer
        .style
        .label_field
        .as_deref()
        .and_then(|field| layer.field_index(field));
    // Notes are looked for only in a layer that has their field (a big layer has not).
    let has_notes = layer.field_index(crate::model::user::NOTE_SIZE).is_some();
    let mut points = PointBins::default();
    let mut dots: std::collections::HashSet<(i32, i32)> = std::collections::HashSet::new();
    let mut labelled: Vec<(FeatureRef, [f32; 2], f32)> = Vec::new();
    let listed = big
        .as_deref()
        .or(big_areas.as_deref())
        .unwrap_or_else(|| frame.visible_in(id));
    for &feature_ref in listed {
        let index = feature_ref.index as usize;
        // The shape alone: a point of a layer kept as columns is not made a whole feature.
        let Some(shape) = features.shape(index) else {
            continue;
        };
        let rgb = layer.color_of(feature_ref.index as usize);
        let colour = user_colour(rgb).faded(opacity);
        // A stop's spotlit feature is ringed in the emphasis colour, as its platforms are.
        let emphasised =
            !highlight.emphasised.is_empty() && highlight.emphasised.contains(&feature_ref);
        let focused = hovered == Some(feature_ref) || selected == Some(feature_ref) || emphasised;
        let outline = if selected == Some(feature_ref) {
            Some(style::SELECTED_OUTLINE)
        } else if hovered == Some(feature_ref) {
            Some(style::HOVER_OUTLINE)
        } else if emphasised {
            Some(style::EMPHASIS_OUTLINE)
        } else {
            None
        };
        if has_notes
            && let Some(feature) = features.get(index)
            && let Some(note) = layer.note(&feature)
        {
            add_note(frame, &feature, note, outline, opacity);
            continue;
        }
        match &*shape {
            Shape::Area(area) => {
                let Some(feature) = features.get(index) else {
                    continue;
                };
                // (A big area layer's dots are drawn already.)
                let dots = big_areas.is_none().then_some(&mut dots);
                let shown = Shown {
                    feature: feature_ref,
                    colour,
                    outline,
                };
                if !add_area(frame, layer, &feature, area, shown, dots) {
                    continue;
                }
            }
            Shape::Lines(_) => {
                if let Some(outline) = outline {
                    frame.stroke(
                        feature_ref,
                        LineStyle::solid(layer.style.line_width + 3.0, outline.color),
                    );
                }
                frame.stroke(
                    feature_ref,
                    LineStyle::solid(layer.style.line_width, colour),
                );
            }
            Shape::Point(point) => {
                let at = frame.view.project(point.0);
                let mut marker = user_marker(layer, rgb);
                marker.shape = match layer.symbol_of(feature_ref.index as usize) {
                    PointSymbol::Circle => MarkerShape::Circle,
                    PointSymbol::Diamond => MarkerShape::Diamond,
                };
                marker.fill = marker.fill.faded(opacity);
                marker.outline = marker.outline.faded(opacity);
                if let Some(outline) = outline {
                    marker.outline = outline.color;
                    marker.outline_width = 2.0;
                    marker.radius += style::FOCUS_GROWTH;
                }
                points.add(feature_ref, at, marker, focused, opacity);
                continue;
            }
        }
        if label_column.is_some()
            && let Some(point) = features.get(index).and_then(|f| f.label_point)
        {
            labelled.push((feature_ref, frame.view.project(point.0), 0.0));
        }
    }
    points.draw(frame, label_column.is_some().then_some(&mut labelled));
    if let Some(column) = label_column {
        add_labels(frame, id, column, labelled);
    }
}

/// A note: its text at its point (or a line's first vertex), always shown (it was placed by
/// hand: no other label displaces it), with its halo; from a line, a straight leader arrow
/// from the edge of the text to the line's last vertex.
fn add_note(
    frame: &mut Frame<'_>,
    feature: &crate::model::Feature,
    note: crate::model::user::Note<'_>,
    outline: Option<LineStyle>,
    opacity: f32,
) {
    let (anchor, tip) = match &feature.shape {
        Shape::Point(point) => (point.0, None),
        Shape::Lines(lines) => match lines.0.first().map(|line| &line.0[..]) {
            Some([first, .., last]) => (*first, Some(*last)),
            Some([only]) => (*only, None),
            _ => return,
        },
        Shape::Area(_) => return,
    };
    let at = frame.view.project(anchor);
    let text = note.text.trim();
    let half = [text_width(text, note.size) / 2.0 + 2.0, note.size * 0.65];
    let colour = user_colour(note.color).faded(opacity);
    if let Some(tip) = tip {
        let tip = frame.view.project(tip);
        let from = edge_of_box(at, half, tip);
        let width = (note.size / 8.0).clamp(1.5, 4.0);
        let line = LineStyle::solid(width, colour);
        let control = [(from[0] + tip[0]) / 2.0, (from[1] + tip[1]) / 2.0];
        frame.items.push(Item::Arrow {
            from,
            control,
            to: tip,
            head: super::arrows::arrow_head(control, tip, width),
            style: line,
            casing: match note.halo {
                Some(halo) => LineStyle::solid(width + 2.5, user_colour(halo).faded(0.8 * opacity)),
                None => LineStyle::solid(0.0, Rgba::new(0, 0, 0, 0)),
            },
        });
    }
    if text.is_empty() {
        return;
    }
    // Hovered or selected, its halo is the highlight's colour.
    let halo = match (outline, note.halo) {
        (Some(outline), _) => outline.color,
        (None, Some(halo)) => user_colour(halo).faded(opacity),
        (None, None) => Rgba::new(0, 0, 0, 0),
    };
    frame.items.push(Item::Label(crate::render::labels::Placed {
        text: text.to_string(),
        anchor: at,
        style: style::LabelStyle {
            size: note.size,
            color: colour,
            halo,
            min_zoom: 0.0,
            max_zoom: 30.0,
        },
        angle: 0.0,
        rect: [
            at[0] - half[0],
            at[1] - half[1],
            at[0] + half[0],
            at[1] + half[1],
        ],
    }));
}

/// Where the ray from `center` to `towards` leaves the box of half-size `half` about it.
fn edge_of_box(center: [f32; 2], half: [f32; 2], towards: [f32; 2]) -> [f32; 2] {
    let (dx, dy) = (towards[0] - center[0], towards[1] - center[1]);
    let scale = [
        if dx.abs() > 1e-3 {
            half[0] / dx.abs()
        } else {
            f32::INFINITY
        },
        if dy.abs() > 1e-3 {
            half[1] / dy.abs()
        } else {
            f32::INFINITY
        },
    ];
    let t = scale[0].min(scale[1]).min(1.0);
    [center[0] + dx * t, center[1] + dy * t]
}

/// The labels of a user layer's features, from the column `column`; a point's beside its
/// marker (`offset` is the marker's radius), an area's or line's centred.
fn add_labels(
    frame: &mut Frame<'_>,
    id: LayerId,
    column: usize,
    labelled: Vec<(FeatureRef, [f32; 2], f32)>,
) {
    let Some(features) = frame.atlas.layer(id).map(|l| &l.features) else {
        return;
    };
    let label_style = style::USER_LABEL;
    for (feature_ref, [x, y], offset) in labelled {
        let text = features.value(feature_ref.index as usize, column);
        let Some(text) = text
            .as_deref()
            .map(|text| text.trim())
            .filter(|text| !text.is_empty() && text.len() <= 240)
        else {
            continue;
        };
        let shift = if offset > 0.0 {
            offset + text_width(text, label_style.size) / 2.0
        } else {
            0.0
        };
        frame.offer_label(
            (LabelGroup::Names, 6, Reverse(id)),
            Candidate {
                text: text.to_string(),
                anchor: [x + shift, y],
                style: label_style,
                mirror: None,
                angle: 0.0,
            },
        );
    }
}

/// How one feature is shown: its colour, and the highlight's outline when hovered or selected.
struct Shown {
    feature: FeatureRef,
    colour: Rgba,
    outline: Option<LineStyle>,
}

/// One area of a user layer: filled and outlined, or, smaller than a few pixels, a dot (one
/// per grid cell of `dots`, where the layer's dots are not drawn already). False when it was
/// drawn as a dot (it has no label then).
fn add_area(
    frame: &mut Frame<'_>,
    layer: &UserLayer,
    feature: &crate::model::Feature,
    area: &geo::MultiPolygon,
    shown: Shown,
    dots: Option<&mut std::collections::HashSet<(i32, i32)>>,
) -> bool {
    let Shown {
        feature: feature_ref,
        colour,
        outline,
    } = shown;
    // On screen an area may be smaller than a pixel (a parcel seen from a whole
    // province): it is a dot there, one per few pixels, not a mesh and a ring.
    let [width, height] = screen_size(frame, area);
    if width < DOT_POINTS && height < DOT_POINTS {
        let at = feature.label_point.map(|point| frame.view.project(point.0));
        // Hovered or selected, it is a dot in the highlight's colour (its
        // outline would be under a pixel).
        if let (Some(outline), Some(at)) = (outline, at) {
            frame.items.push(Item::Marker {
                feature: feature_ref,
                at,
                style: MarkerStyle {
                    shape: MarkerShape::Circle,
                    radius: DOT_POINTS / 2.0 + style::FOCUS_GROWTH,
                    fill: colour,
                    outline: outline.color,
                    outline_width: 2.0,
                },
                count: 1,
            });
            return false;
        }
        if let Some(dots) = dots {
            let Some(at) = at else { return false };
            let cell = ((at[0] / DOT_GRID) as i32, (at[1] / DOT_GRID) as i32);
            if dots.insert(cell) {
                frame.items.push(Item::Marker {
                    feature: feature_ref,
                    at,
                    style: MarkerStyle {
                        shape: MarkerShape::Circle,
                        radius: (width.max(height) / 2.0).clamp(0.75, DOT_POINTS / 2.0),
                        fill: colour,
                        outline: colour,
                        outline_width: 0.0,
                    },
                    count: 1,
                });
            }
            return false;
        }
    }
    frame.fill(
        feature_ref,
        colour.faded(layer.style.fill_opacity.clamp(0.0, 1.0)),
    );
    // An outline on an area a few pixels wide would cover its fill.
    if width >= OUTLINE_POINTS || height >= OUTLINE_POINTS || outline.is_some() {
        frame.stroke(
            feature_ref,
            outline.unwrap_or(LineStyle::solid(layer.style.line_width, colour)),
        );
    }
    true
}

/// A user layer's points in view, one marker per bin of a few pixels: a bin of several is
/// a cluster with its count (in a mixed colour where the points' colours differ); a hovered or
/// selected point keeps its own marker.
#[derive(Default)]
struct PointBins {
    bins: HashMap<(i32, i32), usize>,
    markers: Vec<(FeatureRef, [f32; 2], MarkerStyle, u32)>,
}

impl PointBins {
    fn add(
        &mut self,
        feature: FeatureRef,
        at: [f32; 2],
        marker: MarkerStyle,
        focused: bool,
        opacity: f32,
    ) {
        let bin = (
            (at[0] / BIN_POINTS).floor() as i32,
            (at[1] / BIN_POINTS).floor() as i32,
        );
        match self.bins.get(&bin) {
            Some(&slot) if !focused => {
                let cluster = &mut self.markers[slot];
                cluster.3 += 1;
                if cluster.2.fill != marker.fill {
                    cluster.2.fill = style::MIXED_CLUSTER.faded(opacity);
                }
            }
            _ => {
                self.bins.insert(bin, self.markers.len());
                self.markers.push((feature, at, marker, 1));
            }
        }
    }

    /// The markers drawn; single points listed in `labelled` for their labels, if any.
    fn draw(
        self,
        frame: &mut Frame<'_>,
        mut labelled: Option<&mut Vec<(FeatureRef, [f32; 2], f32)>>,
    ) {
        for (feature, at, mut marker, count) in self.markers {
            if count > 1 {
                marker.radius = marker.radius.max(style::cluster_radius(count));
            } else if let Some(labelled) = labelled.as_deref_mut() {
                labelled.push((feature, at, marker.radius + 3.0));
            }
            frame.items.push(Item::Marker {
                feature,
                at,
                style: marker,
                count,
            });
        }
    }
}
