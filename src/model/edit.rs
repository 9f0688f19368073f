//! Editing a shape vertex by vertex, as QGIS's vertex tool does: every vertex has an address,
//! each edge a midpoint where a new vertex can be pulled out, and a closed ring stays closed
//! (its first and last vertex move together). Each operation returns the new shape, or `None`
//! where it would leave no shape (a ring of two vertices, a line of one): the caller refuses it.

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};

use super::{Feature, LayerId, Shape, Text};

/// One feature of a user's layer changed: what was at `index` before and what is after
/// (`None`: nothing — the feature was added, or removed). An edit of the history, done and
/// undone by [`Atlas::apply_edit`](super::Atlas::apply_edit).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureEdit {
    pub layer: LayerId,
    pub index: u32,
    pub before: Option<Feature>,
    pub after: Option<Feature>,
}

impl FeatureEdit {
    /// Whether only the feature's shape changed (moved or reshaped): its name, values and kind
    /// of shape are the same, so what is derived from them (the layer's kind and categories,
    /// the search's words) stands.
    pub fn shape_only(&self) -> bool {
        match (&self.before, &self.after) {
            (Some(before), Some(after)) => {
                before.name == after.name
                    && before.user() == after.user()
                    && std::mem::discriminant(&before.shape) == std::mem::discriminant(&after.shape)
            }
            _ => false,
        }
    }

    /// The edit that takes this one back.
    pub fn reversed(&self) -> Self {
        Self {
            layer: self.layer,
            index: self.index,
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// A vertex's address in a shape: the part (polygon or line), the ring within a polygon (0 is
/// the exterior), and the vertex. A closed ring's closing vertex has no address of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Vertex {
    pub part: usize,
    pub ring: usize,
    pub index: usize,
}

/// What a drag holds of the shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Grip {
    /// A vertex, moved.
    Vertex(Vertex),
    /// The middle of the edge after this vertex: a new vertex pulled out.
    Midpoint(Vertex),
    /// The feature itself, moved whole.
    Body,
}

impl Grip {
    /// The name of the step a drag of this grip makes.
    pub fn step(self) -> Text {
        match self {
            Grip::Vertex(_) => Text::new("移动顶点", "Move vertex"),
            Grip::Midpoint(_) => Text::new("添加顶点", "Add vertex"),
            Grip::Body => Text::new("移动要素", "Move feature"),
        }
    }
}

/// The vertices of `shape` that can be moved, with where they are.
pub fn vertices(shape: &Shape) -> Vec<(Vertex, Coord)> {
    let mut found = Vec::new();
    each_ring(shape, |part, ring, coords, closed| {
        let open = if closed {
            coords.len().saturating_sub(1)
        } else {
            coords.len()
        };
        for (index, &at) in coords.iter().take(open).enumerate() {
            found.push((Vertex { part, ring, index }, at));
        }
    });
    found
}

/// The middle of each edge: dragging one pulls out a new vertex after `Vertex`.
pub fn midpoints(shape: &Shape) -> Vec<(Vertex, Coord)> {
    let mut found = Vec::new();
    each_ring(shape, |part, ring, coords, _| {
        for (index, pair) in coords.windows(2).enumerate() {
            let middle = Coord {
                x: (pair[0].x + pair[1].x) / 2.0,
                y: (pair[0].y + pair[1].y) / 2.0,
            };
            found.push((Vertex { part, ring, index }, middle));
        }
    });
    found
}

/// `shape` with `vertex` moved to `to`.
pub fn moved(shape: &Shape, vertex: Vertex, to: Coord) -> Option<Shape> {
    edit_ring(shape, vertex, |coords, closed| {
        *coords.get_mut(vertex.index)? = to;
        if closed && vertex.index == 0 {
            *coords.last_mut()? = to;
        }
        Some(())
    })
}

/// `shape` with a new vertex at `at` after `after` (on the edge from it to the next).
pub fn inserted(shape: &Shape, after: Vertex, at: Coord) -> Option<Shape> {
    edit_ring(shape, after, |coords, _| {
        if after.index + 1 >= coords.len() {
            return None;
        }
        coords.insert(after.index + 1, at);
        Some(())
    })
}

/// `shape` without `vertex`; `None` where the ring or line would be too short to stand (a
/// ring keeps three vertices, a line two).
pub fn removed(shape: &Shape, vertex: Vertex) -> Option<Shape> {
    edit_ring(shape, vertex, |coords, closed| {
        let open = if closed {
            coords.len() - 1
        } else {
            coords.len()
        };
        if vertex.index >= open || open <= if closed { 3 } else { 2 } {
            return None;
        }
        coords.remove(vertex.index);
        if closed && vertex.index == 0 {
            let first = coords[0];
            *coords.last_mut()? = first;
        }
        Some(())
    })
}

/// `shape` moved by `dx`, `dy` degrees (a drag is small: the shape keeps its form on screen).
pub fn translated(shape: &Shape, dx: f64, dy: f64) -> Shape {
    use geo::Translate;
    match shape {
        Shape::Point(point) => Shape::Point(point.translate(dx, dy)),
        Shape::Lines(lines) => Shape::Lines(lines.translate(dx, dy)),
        Shape::Area(area) => Shape::Area(area.translate(dx, dy)),
    }
}

/// Calls `visit` with each ring or line of `shape` (part, ring, coordinates, closed).
fn each_ring(shape: &Shape, mut visit: impl FnMut(usize, usize, &[Coord], bool)) {
    match shape {
        Shape::Point(point) => visit(0, 0, &[point.0], false),
        Shape::Lines(lines) => {
            for (part, line) in lines.iter().enumerate() {
                visit(part, 0, &line.0, false);
            }
        }
        Shape::Area(area) => {
            for (part, polygon) in area.iter().enumerate() {
                visit(part, 0, &polygon.exterior().0, true);
                for (n, hole) in polygon.interiors().iter().enumerate() {
                    visit(part, n + 1, &hole.0, true);
                }
            }
        }
    }
}

/// `shape` with the ring or line that holds `vertex` changed by `change` (which may refuse).
fn edit_ring(
    shape: &Shape,
    vertex: Vertex,
    change: impl FnOnce(&mut Vec<Coord>, bool) -> Option<()>,
) -> Option<Shape> {
    match shape {
        Shape::Point(_) => {
            let mut coords = vec![point_of(shape)?];
            change(&mut coords, false)?;
            (coords.len() == 1).then(|| Shape::Point(geo::Point(coords[0])))
        }
        Shape::Lines(lines) => {
            let mut lines = lines.0.clone();
            change(&mut lines.get_mut(vertex.part)?.0, false)?;
            Some(Shape::Lines(MultiLineString::new(lines)))
        }
        Shape::Area(area) => {
            let mut polygons = area.0.clone();
            let polygon = polygons.get_mut(vertex.part)?;
            let (mut exterior, mut interiors) = polygon.clone().into_inner();
            let ring: &mut LineString = match vertex.ring {
                0 => &mut exterior,
                n => interiors.get_mut(n - 1)?,
            };
            change(&mut ring.0, true)?;
            *polygon = Polygon::new(exterior, interiors);
            Some(Shape::Area(MultiPolygon::new(polygons)))
        }
    }
}

fn point_of(shape: &Shape) -> Option<Coord> {
    match shape {
        Shape::Point(point) => Some(point.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn square() -> Shape {
        Shape::Area(MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 1.0),
                (0.0, 1.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]))
    }

    fn ring(shape: &Shape) -> Vec<(f64, f64)> {
        let Shape::Area(area) = shape else {
            panic!("an area")
        };
        area.0[0].exterior().coords().map(|c| (c.x, c.y)).collect()
    }

    #[test]
    fn a_closed_ring_has_one_address_per_vertex_and_stays_closed() {
        let shape = square();
        assert_eq!(vertices(&shape).len(), 4, "the closing vertex is the first");
        assert_eq!(midpoints(&shape).len(), 4);
        let first = Vertex {
            part: 0,
            ring: 0,
            index: 0,
        };
        let moved = moved(&shape, first, coord! { x: -1.0, y: -1.0 }).expect("moved");
        assert_eq!(ring(&moved)[0], (-1.0, -1.0));
        assert_eq!(ring(&moved)[4], (-1.0, -1.0), "closed again");
        let removed = removed(&moved, first).expect("a triangle stands");
        assert_eq!(
            ring(&removed),
            vec![(1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0)]
        );
        assert_eq!(
            super::removed(&removed, first),
            None,
            "a ring keeps three vertices"
        );
    }

    #[test]
    fn a_midpoint_pulls_out_a_vertex_between_its_two() {
        let shape = square();
        let (after, middle) = midpoints(&shape)[1];
        assert_eq!(middle, coord! { x: 1.0, y: 0.5 });
        let pulled = inserted(&shape, after, coord! { x: 2.0, y: 0.5 }).expect("inserted");
        assert_eq!(ring(&pulled)[2], (2.0, 0.5));
        assert_eq!(ring(&pulled).len(), 6);
    }

    #[test]
    fn lines_and_points_edit_and_refuse_as_they_stand() {
        let line = Shape::Lines(MultiLineString::new(vec![LineString::from(vec![
            (0.0, 0.0),
            (1.0, 0.0),
        ])]));
        let end = Vertex {
            part: 0,
            ring: 0,
            index: 1,
        };
        assert_eq!(removed(&line, end), None, "a line keeps two vertices");
        let Some(Shape::Lines(moved)) = moved(&line, end, coord! { x: 2.0, y: 0.0 }) else {
            panic!("moved")
        };
        assert_eq!(moved.0[0].0[1], coord! { x: 2.0, y: 0.0 });
        let point = Shape::Point(geo::Point::new(0.0, 0.0));
        let start = Vertex {
            part: 0,
            ring: 0,
            index: 0,
        };
        assert_eq!(
            super::moved(&point, start, coord! { x: 3.0, y: 4.0 }),
            Some(Shape::Point(geo::Point::new(3.0, 4.0)))
        );
        assert_eq!(removed(&point, start), None);
        assert_eq!(
            translated(&point, 1.0, 1.0),
            Shape::Point(geo::Point::new(1.0, 1.0))
        );
    }
}
