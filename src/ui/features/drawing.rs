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
}

impl DrawTool {
    /// The name of a shape of this kind, numbered (the sketch layer's `name` field).
    pub fn numbered(self, number: usize, lang: Lang) -> String {
        let word = match self {
            DrawTool::Placemark => lang.pick("地标", "Placemark"),
            DrawTool::Path => lang.pick("路径", "Path"),
            DrawTool::Polygon => lang.pick("多边形", "Polygon"),
        };
        format!("{word} {number}")
    }

    /// The fewest vertices a finished shape of this kind has.
    fn fewest(self) -> usize {
        match self {
            DrawTool::Placemark => 1,
            DrawTool::Path => 2,
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

    /// A vertex placed; a placemark is finished by its one click.
    pub fn place(&mut self, at: geo::Coord) -> Option<Shape> {
        let sketch = self.sketch.as_mut()?;
        sketch.points.push(at);
        (self.tool == Some(DrawTool::Placemark))
            .then(|| self.finish())
            .flatten()
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
            DrawTool::Path => Shape::Lines(geo::MultiLineString::new(vec![geo::LineString::new(
                points,
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
            _ => lang.pick(
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
    fn a_placemark_is_finished_by_its_click() {
        let mut drawing = Drawing::default();
        drawing.toggle(Some(DrawTool::Placemark));
        assert_eq!(
            drawing.place(coord! { x: 106.3, y: 29.6 }),
            Some(Shape::Point(geo::Point::new(106.3, 29.6)))
        );
    }
}
