//! Paints a [`Scene`] with egui: fills as meshes, strokes as (dashed) lines clipped to the
//! viewport, labels as galleys with a halo. The SVG painter draws the same items for exports.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, pos2};

use super::geometry::Prepared;
use super::projection::ScreenTransform;
use super::scene::{Item, Scene};
use super::style::{self, LineStyle, MarkerShape, MarkerStyle, Rgba};

pub fn color32(color: Rgba) -> Color32 {
    let [r, g, b, a] = color.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// Paints `scene` with its viewport's top-left corner at `origin`.
pub fn paint(scene: &Scene, painter: &Painter, origin: Pos2) {
    painter.extend(underlay_shapes(scene, origin));
    paint_over(scene, painter, origin);
}

/// Paints `scene` over basemap tiles already painted: its background and land go into
/// `underlay`, a shape added to the painter before the tiles.
pub fn paint_around(
    scene: &Scene,
    painter: &Painter,
    origin: Pos2,
    underlay: egui::layers::ShapeIdx,
) {
    painter.set(underlay, Shape::Vec(underlay_shapes(scene, origin)));
    paint_over(scene, painter, origin);
}

fn viewport(scene: &Scene, origin: Pos2) -> Rect {
    Rect::from_min_size(origin, egui::vec2(scene.view.size[0], scene.view.size[1]))
}

/// The background and the items beneath basemap packages.
fn underlay_shapes(scene: &Scene, origin: Pos2) -> Vec<Shape> {
    let viewport = viewport(scene, origin);
    let mut shapes = vec![Shape::rect_filled(viewport, 0.0, color32(scene.background))];
    for item in &scene.items[..scene.underlay.min(scene.items.len())] {
        item_shapes(scene, item, origin, viewport, &mut shapes);
    }
    shapes
}

/// The items above basemap packages, then the texts.
fn paint_over(scene: &Scene, painter: &Painter, origin: Pos2) {
    let viewport = viewport(scene, origin);
    let mut shapes = Vec::with_capacity(scene.items.len());
    for item in &scene.items[scene.underlay.min(scene.items.len())..] {
        item_shapes(scene, item, origin, viewport, &mut shapes);
    }
    painter.extend(shapes);
    paint_texts(scene, painter, origin);
}

/// The shapes of one item; text (labels, cluster counts) is painted afterwards, on top.
fn item_shapes(scene: &Scene, item: &Item, origin: Pos2, viewport: Rect, shapes: &mut Vec<Shape>) {
    let at = |p: &[f32; 2]| pos2(origin.x + p[0], origin.y + p[1]);
    match item {
        Item::Fill {
            geometry, color, ..
        }
        | Item::TileFill { geometry, color } => shapes.push(Shape::mesh(fill_mesh(
            geometry,
            &scene.transform,
            origin,
            color32(*color),
        ))),
        Item::Stroke {
            geometry, style, ..
        }
        | Item::TileStroke { geometry, style } => {
            stroke_shapes(geometry, &scene.transform, origin, viewport, *style, shapes)
        }
        Item::Marker {
            at: point, style, ..
        } => marker_shapes(at(point), *style, shapes),
        Item::Circle {
            center,
            radius,
            fill,
            style,
        } => circle_shapes(at(center), *radius, *fill, *style, shapes),
        Item::Arrow {
            from,
            control,
            to,
            head,
            style,
            casing,
        } => {
            let curve: Vec<Pos2> = bezier_points(*from, *control, *to, 24)
                .iter()
                .map(at)
                .collect();
            arrow_shapes(curve, head.map(|p| at(&p)), *style, *casing, shapes);
        }
        Item::Veil { color } => shapes.push(Shape::rect_filled(viewport, 0.0, color32(*color))),
        Item::Label(_) | Item::Image(_) => {}
    }
}

/// A circle with an optional fill and a (dashed) outline.
fn circle_shapes(
    center: Pos2,
    radius: f32,
    fill: Option<Rgba>,
    style: LineStyle,
    shapes: &mut Vec<Shape>,
) {
    if let Some(fill) = fill {
        shapes.push(Shape::circle_filled(center, radius, color32(fill)));
    }
    let stroke = Stroke::new(style.width, color32(style.color));
    // A circle far larger than the screen (a wide accuracy at street zoom) would be cut into
    // hundreds of thousands of dashes every frame: beyond this many, it is drawn solid.
    const MAX_DASHES: f32 = 4000.0;
    let dashes = style.dash.map_or(0.0, |(dash, gap)| {
        std::f32::consts::TAU * radius / (dash + gap)
    });
    match style.dash {
        Some((dash, gap)) if dashes <= MAX_DASHES => {
            let ring: Vec<Pos2> = (0..=96)
                .map(|i| {
                    let angle = i as f32 / 96.0 * std::f32::consts::TAU;
                    center + egui::vec2(angle.cos(), angle.sin()) * radius
                })
                .collect();
            shapes.extend(Shape::dashed_line(&ring, stroke, dash, gap));
        }
        _ => shapes.push(Shape::circle_stroke(center, radius, stroke)),
    }
}

/// The counts of clusters, then the labels with their halos.
fn paint_texts(scene: &Scene, painter: &Painter, origin: Pos2) {
    let count_style = style::CLUSTER_COUNT;
    for item in &scene.items {
        if let Item::Marker { at, count, .. } = item
            && *count > 1
        {
            painter.text(
                pos2(origin.x + at[0], origin.y + at[1]),
                egui::Align2::CENTER_CENTER,
                style::count_text(*count),
                FontId::proportional(count_style.size),
                color32(count_style.color),
            );
        }
    }
    for label in scene.labels() {
        let galley = painter.layout_no_wrap(
            label.text.clone(),
            FontId::proportional(label.style.size),
            color32(label.style.color),
        );
        let top_left = pos2(
            origin.x + label.anchor[0] - galley.size().x / 2.0,
            origin.y + label.anchor[1] - galley.size().y / 2.0,
        );
        let halo = color32(label.style.halo);
        for (dx, dy) in HALO_OFFSETS {
            painter.galley_with_override_text_color(
                top_left + egui::vec2(dx, dy),
                galley.clone(),
                halo,
            );
        }
        painter.galley(top_left, galley, color32(label.style.color));
    }
}

/// Points along a quadratic Bézier curve.
fn bezier_points(
    from: [f32; 2],
    control: [f32; 2],
    to: [f32; 2],
    segments: usize,
) -> Vec<[f32; 2]> {
    (0..=segments)
        .map(|i| {
            let t = i as f32 / segments as f32;
            let u = 1.0 - t;
            [
                u * u * from[0] + 2.0 * u * t * control[0] + t * t * to[0],
                u * u * from[1] + 2.0 * u * t * control[1] + t * t * to[1],
            ]
        })
        .collect()
}

/// An arrow: its casing, its (dashed) line along the curve, and its outlined head.
fn arrow_shapes(
    curve: Vec<Pos2>,
    head: [Pos2; 3],
    style: LineStyle,
    casing: LineStyle,
    shapes: &mut Vec<Shape>,
) {
    let colour = color32(style.color);
    shapes.push(Shape::line(
        curve.clone(),
        Stroke::new(casing.width, color32(casing.color)),
    ));
    let stroke = Stroke::new(style.width, colour);
    match style.dash {
        Some((dash, gap)) => shapes.extend(Shape::dashed_line(&curve, stroke, dash, gap)),
        None => shapes.push(Shape::line(curve, stroke)),
    }
    let outline = style::ARROW_HEAD_OUTLINE;
    shapes.push(Shape::convex_polygon(
        head.to_vec(),
        colour,
        Stroke::new(outline.width, color32(outline.color)),
    ));
}

fn marker_shapes(at: Pos2, style: MarkerStyle, shapes: &mut Vec<Shape>) {
    let fill = color32(style.fill);
    let outline = Stroke::new(style.outline_width, color32(style.outline));
    match style.shape {
        MarkerShape::Circle => {
            shapes.push(Shape::circle_filled(at, style.radius, fill));
            shapes.push(Shape::circle_stroke(at, style.radius, outline));
        }
        MarkerShape::Diamond => {
            let r = style.radius;
            let corners = vec![
                at + egui::vec2(0.0, -r),
                at + egui::vec2(r, 0.0),
                at + egui::vec2(0.0, r),
                at + egui::vec2(-r, 0.0),
            ];
            shapes.push(Shape::convex_polygon(corners, fill, outline));
        }
    }
}

/// A 1.2-point halo, drawn as eight offset copies of the glyphs.
const HALO_OFFSETS: [(f32, f32); 8] = [
    (-1.2, 0.0),
    (1.2, 0.0),
    (0.0, -1.2),
    (0.0, 1.2),
    (-0.85, -0.85),
    (0.85, -0.85),
    (-0.85, 0.85),
    (0.85, 0.85),
];

fn to_screen(transform: &ScreenTransform, origin: Pos2, local: [f32; 2]) -> Pos2 {
    let [x, y] = transform.apply(local);
    pos2(origin.x + x, origin.y + y)
}

/// The area's triangles placed on screen.
pub fn fill_mesh(
    geometry: &Prepared,
    transform: &ScreenTransform,
    origin: Pos2,
    color: Color32,
) -> Mesh {
    let mut mesh = Mesh::default();
    mesh.vertices.reserve(geometry.vertices.len());
    mesh.vertices
        .extend(geometry.vertices.iter().map(|&local| Vertex {
            pos: to_screen(transform, origin, local),
            uv: WHITE_UV,
            color,
        }));
    mesh.indices.extend_from_slice(&geometry.triangles);
    mesh
}

/// Strokes every path of `geometry`, keeping only the runs of segments that can be seen.
fn stroke_shapes(
    geometry: &Prepared,
    transform: &ScreenTransform,
    origin: Pos2,
    viewport: Rect,
    style: LineStyle,
    shapes: &mut Vec<Shape>,
) {
    let stroke = Stroke::new(style.width, color32(style.color));
    let visible = viewport.expand(style.width + 2.0);
    for path in geometry.paths() {
        let mut points: Vec<Pos2> = path
            .iter()
            .map(|&p| to_screen(transform, origin, p))
            .collect();
        if geometry.closed
            && let Some(&first) = points.first()
        {
            points.push(first);
        }
        for run in visible_runs(&points, visible) {
            match style.dash {
                Some((dash, gap)) => shapes.extend(Shape::dashed_line(run, stroke, dash, gap)),
                None => shapes.push(Shape::line(run.to_vec(), stroke)),
            }
        }
    }
}

/// Splits a polyline into the runs whose segments touch `visible`, so that off-screen parts
/// of long boundaries are not tessellated.
fn visible_runs(points: &[Pos2], visible: Rect) -> Vec<&[Pos2]> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for index in 0..points.len().saturating_sub(1) {
        let segment = Rect::from_two_pos(points[index], points[index + 1]);
        if segment.intersects(visible) {
            start.get_or_insert(index);
        } else if let Some(begin) = start.take() {
            runs.push(&points[begin..=index]);
        }
    }
    if let Some(begin) = start {
        runs.push(&points[begin..]);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_screen_segments_are_cut_out_of_a_line() {
        let visible = Rect::from_min_max(pos2(0.0, 0.0), pos2(100.0, 100.0));
        let points = [
            pos2(-500.0, 50.0),
            pos2(-400.0, 50.0),
            pos2(50.0, 50.0),
            pos2(60.0, 60.0),
            pos2(900.0, 900.0),
            pos2(950.0, 900.0),
        ];
        let runs = visible_runs(&points, visible);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0], &points[1..5]);
    }
}
