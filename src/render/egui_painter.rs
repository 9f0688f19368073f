//! Paints a [`Scene`] with egui: fills as meshes, strokes as (dashed) lines clipped to the
//! viewport, labels as galleys with a halo. The SVG painter draws the same items for exports.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use egui::epaint::{Mesh, TessellationOptions, Tessellator, Vertex, WHITE_UV};
use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, Vec2, pos2};

use super::geometry::Prepared;
use super::projection::ScreenTransform;
use super::scene::{Item, Scene};
use super::style::{self, LineStyle, MarkerShape, MarkerStyle, Rgba};

pub fn color32(color: Rgba) -> Color32 {
    let [r, g, b, a] = color.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// Paints `scene` with its viewport's top-left corner at `origin`.
pub fn paint(scene: &Scene, painter: &Painter, origin: Pos2, strokes: &mut StrokeCache) {
    strokes.begin(painter);
    let shapes = underlay_shapes(scene, origin, strokes);
    add_shapes(painter, shapes);
    paint_over(scene, painter, origin, strokes);
    strokes.end();
}

/// Paints `scene` over basemap tiles already painted: its background and land go into
/// `underlay`, a shape added to the painter before the tiles.
pub fn paint_around(
    scene: &Scene,
    painter: &Painter,
    origin: Pos2,
    underlay: egui::layers::ShapeIdx,
    strokes: &mut StrokeCache,
) {
    strokes.begin(painter);
    painter.set(
        underlay,
        Shape::Vec(underlay_shapes(scene, origin, strokes)),
    );
    paint_over(scene, painter, origin, strokes);
    strokes.end();
}

fn viewport(scene: &Scene, origin: Pos2) -> Rect {
    Rect::from_min_size(origin, egui::vec2(scene.view.size[0], scene.view.size[1]))
}

/// The background and the items beneath basemap packages.
fn underlay_shapes(scene: &Scene, origin: Pos2, strokes: &mut StrokeCache) -> Vec<Shape> {
    let viewport = viewport(scene, origin);
    let mut shapes = vec![Shape::rect_filled(viewport, 0.0, color32(scene.background))];
    let items = &scene.items[..scene.underlay.min(scene.items.len())];
    items_shapes(scene, items, origin, viewport, strokes, &mut shapes);
    shapes
}

/// The items above basemap packages, then the texts.
fn paint_over(scene: &Scene, painter: &Painter, origin: Pos2, strokes: &mut StrokeCache) {
    let viewport = viewport(scene, origin);
    let mut shapes = Vec::with_capacity(scene.items.len());
    let items = &scene.items[scene.underlay.min(scene.items.len())..];
    items_shapes(scene, items, origin, viewport, strokes, &mut shapes);
    add_shapes(painter, shapes);
    paint_texts(scene, painter, origin);
}

/// Meshes with at least this many vertices are drawn as primitives of their own.
const OWN_PRIMITIVE_VERTICES: usize = 4096;

/// Adds `shapes` in order, each big mesh (a kept run of lines, a big fill) as a primitive of
/// its own. egui appends consecutive shapes into one growing mesh, and growing it past the
/// kept meshes' megabytes copies them again at every doubling; a mesh that starts a primitive
/// is copied once. egui starts one where the clip rectangle changes: a big mesh is clipped a
/// thousandth of a point narrower (the same pixels), alternately by two such rectangles so
/// that two big meshes in a row do not merge.
fn add_shapes(painter: &Painter, shapes: Vec<Shape>) {
    let clip = painter.clip_rect();
    let own = [1e-3, 2e-3].map(|narrower| {
        painter.with_clip_rect(Rect::from_min_max(
            clip.min,
            pos2(clip.max.x - narrower, clip.max.y),
        ))
    });
    let mut pending = Vec::new();
    let mut next = 0;
    for shape in shapes {
        match &shape {
            Shape::Mesh(mesh) if mesh.vertices.len() >= OWN_PRIMITIVE_VERTICES => {
                painter.extend(std::mem::take(&mut pending));
                own[next].add(shape);
                next = 1 - next;
            }
            _ => pending.push(shape),
        }
    }
    painter.extend(pending);
}

/// The shapes of `items` in order; each run of consecutive strokes becomes one mesh, kept in
/// `strokes` from frame to frame.
fn items_shapes(
    scene: &Scene,
    items: &[Item],
    origin: Pos2,
    viewport: Rect,
    strokes: &mut StrokeCache,
    shapes: &mut Vec<Shape>,
) {
    let mut rest = items;
    while let Some(first) = rest.first() {
        let run = rest
            .iter()
            .take_while(|item| item.stroke().is_some())
            .count();
        // A run of small fills (a layer's parcels): one mesh made for them all, its room
        // taken at once; each its own mesh had egui append a hundred thousand of them into
        // one it grew as it went.
        let small_fills = rest.iter().take_while(|item| small_fill(item)).count();
        if small_fills > 1 {
            shapes.push(Shape::mesh(fills_mesh(
                &rest[..small_fills],
                &scene.transform,
                origin,
            )));
            rest = &rest[small_fills..];
        } else if run == 0 {
            item_shapes(scene, first, origin, viewport, strokes, shapes);
            rest = &rest[1..];
        } else {
            let members: Vec<_> = rest[..run].iter().filter_map(Item::stroke).collect();
            for chunk in chunks(&members) {
                shapes.push(strokes.shape(scene, chunk, origin, viewport));
            }
            rest = &rest[run..];
        }
    }
}

/// Runs of strokes tessellated into meshes and kept between frames. Tessellating the
/// thousands of river and boundary lines of the whole circle is most of a frame's work, and
/// most frames show them at the same zoom: a repaint reuses the mesh, a pan moves it. Big
/// fills are kept the same way.
#[derive(Default, Clone)]
pub struct StrokeCache {
    runs: HashMap<u64, StrokeRun>,
    /// Big fills (a big area layer's dots, the land of the whole circle), kept likewise.
    fills: HashMap<(usize, Rgba), KeptFill>,
    frame: u64,
    pixels_per_point: f32,
    options: TessellationOptions,
}

#[derive(Clone)]
struct StrokeRun {
    /// What the run was made of (kept, so that an address is not reused while cached).
    members: Vec<(Arc<Prepared>, LineStyle)>,
    scale: f32,
    pixels_per_point: f32,
    /// Where local (0, 0) fell on the screen when the mesh was made.
    offset: Vec2,
    /// The part of the screen (then) that the mesh covers.
    covered: Rect,
    /// None until the run is seen a second time at this zoom.
    mesh: Option<Arc<Mesh>>,
    used: u64,
}

/// Fills with at least this many vertices are kept from frame to frame; smaller ones cost
/// less to place again than to look up.
const KEPT_FILL_VERTICES: usize = 2048;

#[derive(Clone)]
struct KeptFill {
    /// What it was made from (kept, so that the address is not reused while cached).
    geometry: Arc<Prepared>,
    scale: f32,
    /// Where local (0, 0) fell on the screen when the mesh was made.
    offset: Vec2,
    mesh: Arc<Mesh>,
    used: u64,
}

impl StrokeCache {
    fn begin(&mut self, painter: &Painter) {
        self.frame += 1;
        self.pixels_per_point = painter.pixels_per_point();
        self.options = painter.ctx().tessellation_options(|options| *options);
    }

    /// Forgets the runs and fills not drawn in the last few frames (a drag that goes back
    /// and forth brings a line in and out again).
    fn end(&mut self) {
        const KEPT_FRAMES: u64 = 3;
        let frame = self.frame;
        self.runs.retain(|_, run| frame - run.used < KEPT_FRAMES);
        self.fills.retain(|_, fill| frame - fill.used < KEPT_FRAMES);
    }

    /// The mesh of a fill: kept (moved if the map was panned) when it is big, else made now.
    fn fill_shape(
        &mut self,
        scene: &Scene,
        geometry: &Arc<Prepared>,
        color: Rgba,
        origin: Pos2,
    ) -> Shape {
        let transform = &scene.transform;
        if geometry.vertices.len() < KEPT_FILL_VERTICES {
            return Shape::mesh(fill_mesh(geometry, transform, origin, color32(color)));
        }
        let offset = origin.to_vec2() + Vec2::from(transform.offset);
        let key = (Arc::as_ptr(geometry) as usize, color);
        let frame = self.frame;
        match self.fills.get_mut(&key) {
            Some(kept)
                if kept.scale == transform.scale && Arc::ptr_eq(&kept.geometry, geometry) =>
            {
                let delta = offset - kept.offset;
                if delta != Vec2::ZERO {
                    // egui let go of last frame's copy: this one is moved, not copied.
                    Arc::make_mut(&mut kept.mesh).translate(delta);
                    kept.offset = offset;
                }
                kept.used = frame;
                Shape::Mesh(kept.mesh.clone())
            }
            _ => {
                let mesh = Arc::new(fill_mesh(geometry, transform, origin, color32(color)));
                self.fills.insert(
                    key,
                    KeptFill {
                        geometry: geometry.clone(),
                        scale: transform.scale,
                        offset,
                        mesh: mesh.clone(),
                        used: frame,
                    },
                );
                Shape::Mesh(mesh)
            }
        }
    }

    /// Number of runs kept (for tests and benchmarks).
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Vertices and indices of the meshes kept (for benchmarks).
    pub fn mesh_size(&self) -> (usize, usize) {
        self.runs
            .values()
            .filter_map(|run| run.mesh.as_ref())
            .fold((0, 0), |(v, i), mesh| {
                (v + mesh.vertices.len(), i + mesh.indices.len())
            })
    }

    /// The shape of a run of strokes: its kept mesh (moved if the map was panned), a mesh
    /// made now, or — the first time the run is seen at this zoom — its lines as they are.
    /// Only a run seen twice at one zoom is worth keeping: while the zoom moves, every frame
    /// is new.
    fn shape(
        &mut self,
        scene: &Scene,
        members: &[(&Arc<Prepared>, LineStyle)],
        origin: Pos2,
        viewport: Rect,
    ) -> Shape {
        let key = run_key(members);
        let transform = &scene.transform;
        let offset = origin.to_vec2() + Vec2::from(transform.offset);
        let (frame, pixels_per_point, options) = (self.frame, self.pixels_per_point, self.options);
        let Some(run) = self.runs.get_mut(&key).filter(|run| {
            run.scale == transform.scale
                && run.pixels_per_point == pixels_per_point
                && run.members.len() == members.len()
                && run
                    .members
                    .iter()
                    .zip(members)
                    .all(|((a, sa), (b, sb))| Arc::ptr_eq(a, b) && sa == sb)
        }) else {
            self.runs.insert(
                key,
                StrokeRun {
                    members: members
                        .iter()
                        .map(|&(g, style)| (g.clone(), style))
                        .collect(),
                    scale: transform.scale,
                    pixels_per_point,
                    offset,
                    covered: Rect::NOTHING,
                    mesh: None,
                    used: frame,
                },
            );
            return Shape::Vec(lines(members, transform, origin, viewport));
        };
        run.used = frame;
        let delta = offset - run.offset;
        if run.mesh.is_none() || !run.covered.contains_rect(viewport.translate(-delta)) {
            // Beyond the viewport by half its size each way, so that a pan reuses it.
            let covered = viewport.expand2(viewport.size() / 2.0);
            let mut tessellator = Tessellator::new(pixels_per_point, options, [1, 1], vec![]);
            tessellator.set_clip_rect(covered);
            let mut mesh = Mesh::default();
            for shape in lines(members, transform, origin, covered) {
                tessellator.tessellate_shape(shape, &mut mesh);
            }
            (run.mesh, run.offset, run.covered) = (Some(Arc::new(mesh)), offset, covered);
        } else if delta != Vec2::ZERO {
            // Moved where it lies: egui let go of last frame's copy, so this is the only one
            // and nothing is copied.
            if let Some(mesh) = &mut run.mesh {
                Arc::make_mut(mesh).translate(delta);
            }
            (run.offset, run.covered) = (offset, run.covered.translate(delta));
        }
        run.mesh.clone().map_or(Shape::Noop, Shape::Mesh)
    }
}

/// Members per kept mesh, on average.
const CHUNK_MEMBERS: u64 = 32;

/// A run of strokes cut into chunks where a member's address says so (content-defined, as
/// rsync cuts files): when a pan brings a line into the view or takes one out, only its chunk
/// changes and is tessellated again, not the whole run of thousands.
fn chunks<'a, 'b>(
    members: &'b [(&'a Arc<Prepared>, LineStyle)],
) -> impl Iterator<Item = &'b [(&'a Arc<Prepared>, LineStyle)]> {
    let mut rest = members;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .iter()
            .position(|(geometry, _)| {
                // A cheap mix of the address (allocations are aligned: the low bits say little).
                let address = Arc::as_ptr(geometry) as u64;
                ((address >> 4).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32)
                    .is_multiple_of(CHUNK_MEMBERS)
            })
            .map_or(rest.len(), |at| at + 1);
        let (chunk, next) = rest.split_at(end);
        rest = next;
        Some(chunk)
    })
}

/// Identifies a run of strokes by its geometries (their addresses, kept alive by the run)
/// and styles.
fn run_key(members: &[(&Arc<Prepared>, LineStyle)]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for (geometry, style) in members {
        Arc::as_ptr(geometry).hash(&mut hasher);
        style.width.to_bits().hash(&mut hasher);
        style.color.0.hash(&mut hasher);
        style
            .dash
            .map(|(dash, gap)| (dash.to_bits(), gap.to_bits()))
            .hash(&mut hasher);
    }
    hasher.finish()
}

/// The lines of a run of strokes within `visible`, before tessellation.
fn lines(
    members: &[(&Arc<Prepared>, LineStyle)],
    transform: &ScreenTransform,
    origin: Pos2,
    visible: Rect,
) -> Vec<Shape> {
    let mut shapes = Vec::new();
    for (geometry, style) in members {
        stroke_shapes(geometry, transform, origin, visible, *style, &mut shapes);
    }
    shapes
}

/// The shapes of one item (a big fill kept in `strokes`); text (labels, cluster counts) is
/// painted afterwards, on top.
fn item_shapes(
    scene: &Scene,
    item: &Item,
    origin: Pos2,
    viewport: Rect,
    strokes: &mut StrokeCache,
    shapes: &mut Vec<Shape>,
) {
    let at = |p: &[f32; 2]| pos2(origin.x + p[0], origin.y + p[1]);
    match item {
        Item::Fill {
            geometry, color, ..
        }
        | Item::TileFill { geometry, color } => {
            shapes.push(strokes.fill_shape(scene, geometry, *color, origin));
        }
        // Drawn in runs, through the stroke cache.
        Item::Stroke { .. } | Item::TileStroke { .. } => {}
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
        let color = color32(label.style.color);
        if label.angle != 0.0 {
            // Turned about its centre (a road's name along the road).
            let turned = |offset: egui::Vec2, color: Color32| {
                egui::epaint::TextShape::new(top_left + offset, galley.clone(), color)
                    .with_override_text_color(color)
                    .with_angle_and_anchor(label.angle, egui::Align2::CENTER_CENTER)
            };
            for (dx, dy) in HALO_OFFSETS {
                painter.add(turned(egui::vec2(dx, dy), halo));
            }
            painter.add(turned(egui::Vec2::ZERO, color));
            continue;
        }
        for (dx, dy) in HALO_OFFSETS {
            painter.galley_with_override_text_color(
                top_left + egui::vec2(dx, dy),
                galley.clone(),
                halo,
            );
        }
        painter.galley(top_left, galley, color);
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
    mesh.indices.reserve(geometry.triangles.len());
    append_fill(&mut mesh, geometry, transform, origin, color);
    mesh
}

/// A fill's triangles added to `mesh`, on the screen.
fn append_fill(
    mesh: &mut Mesh,
    geometry: &Prepared,
    transform: &ScreenTransform,
    origin: Pos2,
    color: Color32,
) {
    let base = mesh.vertices.len() as u32;
    mesh.vertices
        .extend(geometry.vertices.iter().map(|&local| Vertex {
            pos: to_screen(transform, origin, local),
            uv: WHITE_UV,
            color,
        }));
    mesh.indices
        .extend(geometry.triangles.iter().map(|&index| base + index));
}

/// Whether an item is a fill drawn afresh each frame (not kept: see [`KEPT_FILL_VERTICES`]).
fn small_fill(item: &Item) -> bool {
    match item {
        Item::Fill { geometry, .. } | Item::TileFill { geometry, .. } => {
            geometry.vertices.len() < KEPT_FILL_VERTICES
        }
        _ => false,
    }
}

/// Fills, each as [`fill_mesh`] makes it, in one mesh.
fn fills_mesh(items: &[Item], transform: &ScreenTransform, origin: Pos2) -> Mesh {
    let fills = || {
        items.iter().filter_map(|item| match item {
            Item::Fill {
                geometry, color, ..
            }
            | Item::TileFill { geometry, color } => Some((geometry, color32(*color))),
            _ => None,
        })
    };
    let mut mesh = Mesh::default();
    mesh.vertices
        .reserve(fills().map(|(g, _)| g.vertices.len()).sum());
    mesh.indices
        .reserve(fills().map(|(g, _)| g.triangles.len()).sum());
    for (geometry, color) in fills() {
        append_fill(&mut mesh, geometry, transform, origin, color);
    }
    mesh
}

/// The lines (before tessellation) a stroke item is drawn with: one per visible run of each
/// path, or one per dash.
pub fn line_shapes(scene: &Scene, item: &Item, origin: Pos2) -> Vec<Shape> {
    let members: Vec<_> = item.stroke().into_iter().collect();
    lines(&members, &scene.transform, origin, viewport(scene, origin))
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
    use crate::render::View;
    use crate::render::style::Rgba;

    /// A scene of one closed ring stroked in `style`, its local (0, 0) at `offset` on screen.
    fn ring_scene(scale: f32, offset: [f32; 2], ring: &Arc<Prepared>) -> Scene {
        Scene {
            clusters: Vec::new(),
            view: View::new(geo::coord! { x: 106.0, y: 30.0 }, 8.0, [400.0, 300.0]),
            transform: ScreenTransform { scale, offset },
            background: Rgba([255, 255, 255, 255]),
            items: vec![Item::Stroke {
                feature: crate::model::FeatureRef {
                    layer: crate::model::LayerId::Provinces,
                    index: 0,
                },
                geometry: ring.clone(),
                style: LineStyle::solid(1.5, Rgba([200, 30, 30, 255])),
            }],
            underlay: 0,
        }
    }

    /// What `paint` gives egui for the scene's one stroke.
    fn stroke_shape(ctx: &egui::Context, scene: &Scene, cache: &mut StrokeCache) -> Shape {
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, egui::vec2(400.0, 300.0))),
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| paint(scene, ui.painter(), Pos2::ZERO, cache));
        output.textures_delta.clear();
        // The background, then the stroke.
        output.shapes[1].shape.clone()
    }

    fn positions(shape: &Shape) -> Vec<Pos2> {
        match shape {
            Shape::Mesh(mesh) => mesh.vertices.iter().map(|v| v.pos).collect(),
            other => panic!("not a mesh: {other:?}"),
        }
    }

    #[test]
    fn a_panned_stroke_mesh_lies_where_a_fresh_one_would() {
        let ring = Arc::new(Prepared {
            vertices: vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.3, 0.6]],
            paths: std::iter::once(0..4).collect(),
            closed: true,
            triangles: vec![],
        });
        let ctx = egui::Context::default();
        let mut cache = StrokeCache::default();
        let here = ring_scene(100.0, [50.0, 60.0], &ring);
        // The first frame at a zoom draws lines; the second keeps a mesh.
        assert!(matches!(
            stroke_shape(&ctx, &here, &mut cache),
            Shape::Vec(_)
        ));
        let kept = positions(&stroke_shape(&ctx, &here, &mut cache));
        assert_eq!(cache.len(), 1);
        assert_eq!(positions(&stroke_shape(&ctx, &here, &mut cache)), kept);

        let panned = ring_scene(100.0, [80.0, 40.0], &ring);
        let moved = positions(&stroke_shape(&ctx, &panned, &mut cache));
        let mut fresh_cache = StrokeCache::default();
        let _first = stroke_shape(&ctx, &panned, &mut fresh_cache);
        let fresh = positions(&stroke_shape(&ctx, &panned, &mut fresh_cache));
        assert_eq!(moved.len(), fresh.len());
        for (a, b) in moved.iter().zip(&fresh) {
            assert!((*a - *b).length() < 1e-3, "{a:?} vs {b:?}");
        }
        assert!(
            moved
                .iter()
                .zip(&kept)
                .all(|(a, b)| (*a - *b - egui::vec2(30.0, -20.0)).length() < 1e-3)
        );

        // Another zoom: lines again, and the old mesh is not kept.
        let zoomed = ring_scene(140.0, [50.0, 60.0], &ring);
        assert!(matches!(
            stroke_shape(&ctx, &zoomed, &mut cache),
            Shape::Vec(_)
        ));
        assert_eq!(cache.mesh_size(), (0, 0));
    }

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
