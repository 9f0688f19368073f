//! Editing on the map, as QGIS's vertex tool: the selected feature of a layer open for edits
//! shows a square at each vertex and a small circle at the middle of each edge. A press on a
//! square, a circle or the feature takes the primary button from the map's pan: dragging moves
//! the vertex, pulls out a new one, or moves the feature; a click on a square chooses that
//! vertex (Delete removes it). The shape as dragged is drawn over the map; the layer changes
//! once, when the drag ends.

use egui::{Pos2, Ui, vec2};

use crate::model::edit::{self, Grip, Vertex};
use crate::model::{FeatureRef, Shape};
use crate::render::View;

/// What the pointer did to the feature being edited.
#[derive(Debug, Clone, PartialEq)]
pub enum MapEdit {
    /// A press on a handle of the selected feature, or on the feature: a drag begins at `at`.
    Grab {
        feature: FeatureRef,
        grip: Grip,
        at: geo::Coord,
    },
    /// The drag's pointer is here.
    Drag(geo::Coord),
    /// The drag ended: the shape as dragged becomes the feature's (one step of the history).
    Drop,
    /// A vertex handle clicked (Delete then removes it), or none.
    ChooseVertex(Option<Vertex>),
}

/// A press this close (points) to a vertex takes it.
const VERTEX_POINTS: f32 = 9.0;
/// A press this close to the middle of an edge pulls out a vertex there.
const MIDPOINT_POINTS: f32 = 7.0;
/// A press this close to a line (or a point) takes the feature.
const LINE_POINTS: f32 = 6.0;

/// The feature being edited, as the map shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EditView<'a> {
    pub feature: FeatureRef,
    /// Its shape, as dragged so far while a drag is on.
    pub shape: &'a Shape,
    /// The vertex chosen (drawn filled).
    pub vertex: Option<Vertex>,
    /// What a drag in progress holds.
    pub dragging: Option<Grip>,
}

impl EditView<'_> {
    /// Whether the pointer, moving, lands a vertex (and so snaps).
    pub fn places_a_vertex(&self) -> bool {
        matches!(self.dragging, Some(Grip::Vertex(_) | Grip::Midpoint(_)))
    }
}

/// What is under `pointer` (screen): a vertex, an edge's middle, or the feature itself.
pub fn grip_at(edit: &EditView, view: &View, origin: Pos2, pointer: Pos2) -> Option<Grip> {
    let screen = |at: geo::Coord| {
        let [x, y] = view.project(at);
        origin + vec2(x, y)
    };
    let nearest = |found: Vec<(Vertex, geo::Coord)>, within: f32| {
        found
            .into_iter()
            .map(|(vertex, at)| (vertex, screen(at).distance(pointer)))
            .filter(|(_, distance)| *distance <= within)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(vertex, _)| vertex)
    };
    if let Some(vertex) = nearest(edit::vertices(edit.shape), VERTEX_POINTS) {
        return Some(Grip::Vertex(vertex));
    }
    if !matches!(edit.shape, Shape::Point(_))
        && let Some(after) = nearest(edit::midpoints(edit.shape), MIDPOINT_POINTS)
    {
        return Some(Grip::Midpoint(after));
    }
    on_shape(edit.shape, view, origin, pointer).then_some(Grip::Body)
}

/// Whether `pointer` is on `shape`: inside an area, or near a line or its outline.
fn on_shape(shape: &Shape, view: &View, origin: Pos2, pointer: Pos2) -> bool {
    let screen = |at: &geo::Coord| {
        let [x, y] = view.project(*at);
        origin + vec2(x, y)
    };
    let near_line = |coords: &[geo::Coord]| {
        coords.windows(2).any(|pair| {
            let segment = [screen(&pair[0]), screen(&pair[1])];
            distance_to_segment(pointer, segment) <= LINE_POINTS
        })
    };
    match shape {
        Shape::Point(point) => screen(&point.0).distance(pointer) <= VERTEX_POINTS,
        Shape::Lines(lines) => lines.iter().any(|line| near_line(&line.0)),
        Shape::Area(area) => {
            let at = pointer - origin;
            let inside = geo::Contains::contains(area, &geo::Point(view.unproject([at.x, at.y])));
            inside
                || area.iter().any(|polygon| {
                    std::iter::once(polygon.exterior())
                        .chain(polygon.interiors())
                        .any(|ring| near_line(&ring.0))
                })
        }
    }
}

fn distance_to_segment(p: Pos2, [a, b]: [Pos2; 2]) -> f32 {
    let ab = b - a;
    let length = ab.length_sq();
    let t = if length > 0.0 {
        ((p - a).dot(ab) / length).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a + ab * t).distance(p)
}

/// The pointer's part in editing this frame: a press on a grip starts a drag, the drag follows
/// `cursor` (snapped where it lands a vertex), its end drops it; a click on a vertex chooses
/// it. `grip` is what the press began on.
pub fn handle(
    ui: &Ui,
    response: &egui::Response,
    edit: &EditView,
    grip: Option<Grip>,
    view: &View,
    cursor: Option<geo::Coord>,
) -> Vec<MapEdit> {
    let mut asked = Vec::new();
    let origin = response.rect.min;
    let press = ui.input(|i| i.pointer.press_origin());
    if edit.dragging.is_none()
        && response.drag_started_by(egui::PointerButton::Primary)
        && let (Some(grip), Some(press)) = (grip, press)
    {
        let at = press - origin;
        asked.push(MapEdit::Grab {
            feature: edit.feature,
            grip,
            at: view.unproject([at.x, at.y]),
        });
    }
    if edit.dragging.is_some() {
        if response.dragged_by(egui::PointerButton::Primary)
            && let Some(to) = cursor
        {
            asked.push(MapEdit::Drag(to));
        }
        if response.drag_stopped() || !ui.input(|i| i.pointer.primary_down()) {
            asked.push(MapEdit::Drop);
        }
    }
    if response.clicked() {
        let on = response
            .interact_pointer_pos()
            .and_then(|pointer| grip_at(edit, view, origin, pointer));
        asked.push(MapEdit::ChooseVertex(match on {
            Some(Grip::Vertex(vertex)) => Some(vertex),
            _ => None,
        }));
    }
    asked
}

/// Draws the feature being edited: its shape as dragged (while a drag is on), a square at each
/// vertex (the chosen one filled), a circle at each edge's middle.
pub fn draw(ui: &Ui, rect: egui::Rect, view: &View, edit: &EditView) {
    let painter = ui.painter();
    let screen = |at: geo::Coord| {
        let [x, y] = view.project(at);
        rect.min + vec2(x, y)
    };
    let ink = egui::Color32::from_rgb(0xd9, 0x3a, 0x00);
    if edit.dragging.is_some() {
        let stroke = egui::Stroke::new(2.0, ink);
        let outline = |coords: &[geo::Coord]| {
            let points: Vec<Pos2> = coords.iter().map(|&c| screen(c)).collect();
            painter.add(egui::Shape::line(points, stroke));
        };
        match edit.shape {
            Shape::Point(_) => {}
            Shape::Lines(lines) => lines.iter().for_each(|line| outline(&line.0)),
            Shape::Area(area) => {
                for polygon in area {
                    outline(&polygon.exterior().0);
                    polygon.interiors().iter().for_each(|ring| outline(&ring.0));
                }
            }
        }
    }
    if !matches!(edit.shape, Shape::Point(_)) {
        for (_, middle) in edit::midpoints(edit.shape) {
            painter.circle(
                screen(middle),
                3.0,
                egui::Color32::from_white_alpha(200),
                egui::Stroke::new(1.0, ink),
            );
        }
    }
    for (vertex, at) in edit::vertices(edit.shape) {
        let chosen = edit.vertex == Some(vertex);
        painter.rect(
            egui::Rect::from_center_size(screen(at), vec2(8.0, 8.0)),
            1.0,
            if chosen { ink } else { egui::Color32::WHITE },
            egui::Stroke::new(1.5, ink),
            egui::StrokeKind::Middle,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_takes_the_vertex_then_the_middle_then_the_inside() {
        let square = Shape::Area(geo::MultiPolygon::new(vec![geo::Polygon::new(
            geo::LineString::from(vec![
                (106.0, 29.0),
                (106.01, 29.0),
                (106.01, 29.01),
                (106.0, 29.01),
                (106.0, 29.0),
            ]),
            vec![],
        )]));
        let view = View::new(geo::coord! { x: 106.005, y: 29.005 }, 14.0, [800.0, 600.0]);
        let edit = EditView {
            feature: FeatureRef {
                layer: crate::model::LayerId::User(0),
                index: 0,
            },
            shape: &square,
            vertex: None,
            dragging: None,
        };
        let at = |lon: f64, lat: f64| {
            let [x, y] = view.project(geo::coord! { x: lon, y: lat });
            Pos2::new(x, y)
        };
        let grip = |p: Pos2| grip_at(&edit, &view, Pos2::ZERO, p);
        assert_eq!(
            grip(at(106.01, 29.01) + vec2(3.0, 3.0)),
            Some(Grip::Vertex(Vertex {
                part: 0,
                ring: 0,
                index: 2
            }))
        );
        assert_eq!(
            grip(at(106.01, 29.005)),
            Some(Grip::Midpoint(Vertex {
                part: 0,
                ring: 0,
                index: 1
            }))
        );
        assert_eq!(grip(at(106.003, 29.004)), Some(Grip::Body));
        assert_eq!(grip(at(106.02, 29.02)), None);
    }
}
