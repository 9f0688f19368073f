//! Drawing on the map (绘制): a placemark, a path or a polygon, vertex by vertex as Google Earth's
//! and QGIS's tools do. A click places a vertex; Enter or a double-click finishes; Backspace
//! takes the last vertex back; Esc drops the shape being drawn (and, with nothing drawn, puts
//! the tool away). The length or area shows while drawing, as measuring shows it. A finished
//! shape goes into the sketch layer, a user layer like the others (hover, click, identify,
//! the attribute table, exports), which is saved as GeoJSON.

use crate::measure::{MeasureKind, Measurement};
use crate::model::{Lang, Shape};

use super::Feature;

/// What is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawTool {
    Placemark,
    Path,
    Polygon,
    /// Two clicks: opposite corners (north up).
    Rectangle,
    /// Two clicks: the centre, then a point on the circle (its radius, on the ellipsoid).
    Circle,
    /// A text note: a click where the text goes, then a click where its leader arrow points
    /// (or Enter for none); its text, size, colour and halo are typed in its form.
    Note,
}

impl DrawTool {
    pub const ALL: [DrawTool; 6] = [
        DrawTool::Placemark,
        DrawTool::Path,
        DrawTool::Polygon,
        DrawTool::Rectangle,
        DrawTool::Circle,
        DrawTool::Note,
    ];

    /// The tool's name in menus.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            DrawTool::Placemark => lang.pick("绘制地标", "Draw placemark"),
            DrawTool::Path => lang.pick("绘制路径", "Draw path"),
            DrawTool::Polygon => lang.pick("绘制多边形", "Draw polygon"),
            DrawTool::Rectangle => lang.pick("绘制矩形", "Draw rectangle"),
            DrawTool::Circle => lang.pick("绘制圆", "Draw circle"),
            DrawTool::Note => lang.pick("添加注记", "Add note"),
        }
    }
}

/// The largest circle drawn (a larger one is no sketch of a place).
pub const MAX_RADIUS_M: f64 = 1_000_000.0;

/// Vertices of a drawn circle.
const CIRCLE_VERTICES: usize = 72;

impl DrawTool {
    /// The name of a shape of this kind, numbered (the sketch layer's `name` field).
    pub fn numbered(self, number: usize, lang: Lang) -> String {
        let word = match self {
            DrawTool::Placemark => lang.pick("地标", "Placemark"),
            DrawTool::Path => lang.pick("路径", "Path"),
            DrawTool::Polygon => lang.pick("多边形", "Polygon"),
            DrawTool::Rectangle => lang.pick("矩形", "Rectangle"),
            DrawTool::Circle => lang.pick("圆", "Circle"),
            DrawTool::Note => lang.pick("注记", "Note"),
        };
        format!("{word} {number}")
    }

    /// The fewest vertices a finished shape of this kind has.
    fn fewest(self) -> usize {
        match self {
            DrawTool::Placemark | DrawTool::Note => 1,
            DrawTool::Path | DrawTool::Rectangle | DrawTool::Circle => 2,
            DrawTool::Polygon => 3,
        }
    }
}

/// The tool in hand and the shape being drawn.
#[derive(Debug, Default)]
pub struct Drawing {
    pub tool: Option<DrawTool>,
    /// The vertices placed so far (measured as they are placed).
    pub sketch: Option<Measurement>,
    /// Shapes finished this session, for their numbers.
    pub finished: usize,
    /// The sketch layer drawn into this session.
    pub layer: Option<crate::model::LayerId>,
    /// The user's layer drawing goes into instead, while it is open for edits (the one opened
    /// last).
    pub target: Option<crate::model::LayerId>,
    /// Why the last shape could not be finished, for the window to say (it takes it).
    pub refused: Option<crate::model::Text>,
    /// The window was asked to close with the sketch unsaved: the question is shown.
    pub asking_to_close: bool,
    /// A layer with unsaved edits the user asked to close: the window asks first.
    pub asking_to_remove: Option<crate::model::LayerId>,
    /// The user answered "close without saving": the window may close.
    pub may_close: bool,
    /// How near (points) a vertex must come to a vertex or an edge to land on it, when the
    /// user has set it (see [`snap_points`](Self::snap_points)).
    pub snap_set: Option<f32>,
}

/// The snapping tolerance until the user sets one, in points.
pub const SNAP_POINTS: f32 = 10.0;

impl Drawing {
    /// The snapping tolerance in points (0: no snapping).
    pub fn snap_points(&self) -> f32 {
        self.snap_set.unwrap_or(SNAP_POINTS)
    }
}

impl Drawing {
    /// Takes up `tool`, or puts it away if it is the one in hand (`None` puts any away).
    pub fn toggle(&mut self, tool: Option<DrawTool>) {
        let same = self.tool == tool;
        self.tool = if same { None } else { tool };
        self.sketch = self.tool.map(|tool| {
            Measurement::new(match tool {
                DrawTool::Polygon => MeasureKind::Area,
                _ => MeasureKind::Distance,
            })
        });
    }

    pub fn is_on(&self) -> bool {
        self.tool.is_some()
    }

    /// A vertex placed; a placemark is finished by its one click, a rectangle or a circle by
    /// its second.
    pub fn place(&mut self, at: geo::Coord) -> Option<Shape> {
        let sketch = self.sketch.as_mut()?;
        sketch.points.push(at);
        let done = match self.tool? {
            DrawTool::Placemark => true,
            DrawTool::Rectangle | DrawTool::Circle | DrawTool::Note => sketch.points.len() >= 2,
            DrawTool::Path | DrawTool::Polygon => false,
        };
        done.then(|| self.finish()).flatten()
    }

    /// Why the shape in hand cannot be finished as it is, if it cannot (a circle of no radius
    /// or wider than [`MAX_RADIUS_M`]).
    pub fn refusal(&self) -> Option<crate::model::Text> {
        let sketch = self.sketch.as_ref()?;
        if self.tool != Some(DrawTool::Circle) || sketch.points.len() < 2 {
            return None;
        }
        let radius = radius_m(sketch.points[0], sketch.points[1]);
        (!(radius > 0.0 && radius <= MAX_RADIUS_M)).then(|| {
            crate::model::Text::new(
                format!("半径 {radius:.0} 米：圆的半径须大于 0、不超过 1 000 公里"),
                format!(
                    "a radius of {radius:.0} m: a circle's is more than 0 and at most 1 000 km"
                ),
            )
        })
    }

    /// The last vertex taken back.
    pub fn take_back(&mut self) {
        if let Some(sketch) = &mut self.sketch {
            sketch.points.pop();
        }
    }

    /// Esc: the shape being drawn is dropped; with none, the tool is put away. Whether
    /// anything was done.
    pub fn cancel(&mut self) -> bool {
        match &mut self.sketch {
            Some(sketch) if !sketch.points.is_empty() => {
                sketch.points.clear();
                true
            }
            _ if self.tool.is_some() => {
                self.toggle(None);
                true
            }
            _ => false,
        }
    }

    /// The shape drawn, when it has enough vertices (a double-click's two clicks at one place
    /// count once); the tool stays in hand for the next.
    pub fn finish(&mut self) -> Option<Shape> {
        let tool = self.tool?;
        if let Some(why) = self.refusal() {
            self.refused = Some(why);
            self.sketch.as_mut()?.points.clear();
            return None;
        }
        let sketch = self.sketch.as_mut()?;
        let mut points = std::mem::take(&mut sketch.points);
        points.dedup();
        if points.len() < tool.fewest() {
            sketch.points = points;
            return None;
        }
        self.finished += 1;
        Some(match tool {
            DrawTool::Placemark => Shape::Point(geo::Point(points[0])),
            DrawTool::Note => match points[..] {
                [at] => Shape::Point(geo::Point(at)),
                _ => Shape::Lines(geo::MultiLineString::new(vec![geo::LineString::new(
                    points,
                )])),
            },
            DrawTool::Path => Shape::Lines(geo::MultiLineString::new(vec![geo::LineString::new(
                points,
            )])),
            DrawTool::Rectangle => {
                let (a, b) = (points[0], points[1]);
                let ring = vec![
                    geo::coord! { x: a.x.min(b.x), y: a.y.min(b.y) },
                    geo::coord! { x: a.x.max(b.x), y: a.y.min(b.y) },
                    geo::coord! { x: a.x.max(b.x), y: a.y.max(b.y) },
                    geo::coord! { x: a.x.min(b.x), y: a.y.max(b.y) },
                    geo::coord! { x: a.x.min(b.x), y: a.y.min(b.y) },
                ];
                Shape::Area(geo::MultiPolygon::new(vec![geo::Polygon::new(
                    geo::LineString::new(ring),
                    vec![],
                )]))
            }
            DrawTool::Circle => Shape::Area(geo::MultiPolygon::new(vec![circle(
                points[0],
                radius_m(points[0], points[1]),
            )])),
            DrawTool::Polygon => {
                let mut ring = points;
                ring.push(ring[0]);
                let drawn = geo::Polygon::new(geo::LineString::new(ring), vec![]);
                // Drawn either way round, kept as RFC 7946 writes it: exterior anticlockwise.
                let polygon = geo::Orient::orient(&drawn, geo::orient::Direction::Default);
                Shape::Area(geo::MultiPolygon::new(vec![polygon]))
            }
        })
    }

    /// What the status bar says while drawing.
    pub fn status(&self, lang: Lang) -> Option<String> {
        let tool = self.tool?;
        let sketch = self.sketch.as_ref()?;
        let hint = match tool {
            DrawTool::Placemark => lang.pick(
                "单击地图放置地标（Esc 收起工具）",
                "Click the map to place a placemark (Esc puts the tool away)",
            ),
            DrawTool::Rectangle => lang.pick(
                "单击一角，再单击对角（Esc 取消）",
                "Click a corner, then the opposite corner (Esc cancels)",
            ),
            DrawTool::Circle => lang.pick(
                "单击圆心，再单击圆上一点定半径（Esc 取消）",
                "Click the centre, then a point on the circle for its radius (Esc cancels)",
            ),
            DrawTool::Note => lang.pick(
                "单击放置注记文字，再单击箭头指向处，或按 Enter 不加箭头（Esc 取消）",
                "Click where the text goes, then where its arrow points, or Enter for no arrow (Esc cancels)",
            ),
            DrawTool::Path | DrawTool::Polygon => lang.pick(
                "单击放置顶点，Enter 或双击完成，Backspace 撤回，Esc 取消",
                "Click to place vertices; Enter or double-click finishes, Backspace takes one back, Esc cancels",
            ),
        };
        Some(if sketch.points.is_empty() {
            hint.to_string()
        } else {
            format!("{} — {hint}", sketch.summary(None, lang))
        })
    }
}

/// The geodesic distance from `centre` to `edge`, in metres.
fn radius_m(centre: geo::Coord, edge: geo::Coord) -> f64 {
    use geo::Distance;
    geo::Geodesic.distance(geo::Point(centre), geo::Point(edge))
}

/// A circle on the ellipsoid: its vertices the geodesic `radius` from `centre` at even
/// bearings, anticlockwise.
fn circle(centre: geo::Coord, radius: f64) -> geo::Polygon {
    use geo::Destination;
    let mut ring: Vec<geo::Coord> = (0..CIRCLE_VERTICES)
        .map(|i| {
            // Bearings run clockwise from north: taken in reverse, the ring is anticlockwise.
            let bearing = 360.0 - 360.0 * i as f64 / CIRCLE_VERTICES as f64;
            geo::Geodesic
                .destination(geo::Point(centre), bearing, radius)
                .0
        })
        .collect();
    ring.push(ring[0]);
    geo::Polygon::new(geo::LineString::new(ring), vec![])
}

/// Drawing has no pane or window of its own yet: the map draws the shape being drawn, the
/// status bar says it, and the sketch layer is listed with the user's layers.
impl Feature for Drawing {}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn a_polygon_needs_three_vertices_and_is_kept_anticlockwise() {
        let mut drawing = Drawing::default();
        drawing.toggle(Some(DrawTool::Polygon));
        // Clockwise, with a double-click's second click on the last vertex.
        for (x, y) in [(0.0, 0.0), (0.0, 1.0), (0.0, 1.0)] {
            assert_eq!(drawing.place(coord! { x: x, y: y }), None);
        }
        assert_eq!(drawing.finish(), None, "two vertices are no polygon");
        drawing.place(coord! { x: 1.0, y: 1.0 });
        let Some(Shape::Area(area)) = drawing.finish() else {
            panic!("a polygon")
        };
        let ring: Vec<_> = area.0[0].exterior().coords().copied().collect();
        assert_eq!(ring.len(), 4, "three vertices, closed: {ring:?}");
        assert!(
            geo::Winding::is_ccw(area.0[0].exterior()),
            "anticlockwise: {ring:?}"
        );
        assert!(drawing.is_on(), "the tool stays in hand");
        assert_eq!(drawing.finished, 1);
    }

    #[test]
    fn backspace_takes_back_and_esc_drops_then_puts_away() {
        let mut drawing = Drawing::default();
        drawing.toggle(Some(DrawTool::Path));
        drawing.place(coord! { x: 0.0, y: 0.0 });
        drawing.place(coord! { x: 1.0, y: 0.0 });
        drawing.take_back();
        assert_eq!(drawing.finish(), None, "one vertex is no path");
        assert!(drawing.cancel());
        assert!(drawing.is_on());
        assert!(drawing.cancel());
        assert!(!drawing.is_on());
        assert!(!drawing.cancel());
    }

    #[test]
    fn a_rectangle_and_a_circle_are_finished_by_their_second_click() {
        use geo::Distance;
        let mut drawing = Drawing::default();
        drawing.toggle(Some(DrawTool::Rectangle));
        assert_eq!(drawing.place(coord! { x: 106.4, y: 29.5 }), None);
        let Some(Shape::Area(rectangle)) = drawing.place(coord! { x: 106.3, y: 29.6 }) else {
            panic!("a rectangle")
        };
        assert_eq!(rectangle.0[0].exterior().0.len(), 5);
        assert!(geo::Winding::is_ccw(rectangle.0[0].exterior()));
        drawing.toggle(Some(DrawTool::Circle));
        let centre = coord! { x: 106.3, y: 29.6 };
        drawing.place(centre);
        let Some(Shape::Area(circle)) = drawing.place(coord! { x: 106.31, y: 29.6 }) else {
            panic!("a circle")
        };
        let radius = geo::Geodesic.distance(geo::Point(centre), geo::Point::new(106.31, 29.6));
        for vertex in circle.0[0].exterior().coords() {
            let d = geo::Geodesic.distance(geo::Point(centre), geo::Point(*vertex));
            assert!((d - radius).abs() < 1e-6, "{d} against {radius}");
        }
        assert!(geo::Winding::is_ccw(circle.0[0].exterior()));
        // A circle of no radius is refused, and so is one of 2 000 km.
        drawing.place(centre);
        assert_eq!(drawing.place(centre), None);
        drawing.place(centre);
        assert!(drawing.sketch.as_ref().is_some_and(|s| s.points.len() == 1));
        drawing
            .sketch
            .as_mut()
            .expect("sketch")
            .points
            .push(coord! { x: 126.3, y: 29.6 });
        assert!(
            drawing
                .refusal()
                .is_some_and(|why| why.en.contains("1 000 km"))
        );
    }

    #[test]
    fn a_placemark_is_finished_by_its_click() {
        let mut drawing = Drawing::default();
        drawing.toggle(Some(DrawTool::Placemark));
        assert_eq!(
            drawing.place(coord! { x: 106.3, y: 29.6 }),
            Some(Shape::Point(geo::Point::new(106.3, 29.6)))
        );
    }
}
