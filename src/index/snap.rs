//! Snapping: where a vertex placed near the pointer lands. The nearest vertex of a zone, an
//! area, a user's line or point within the tolerance wins (its coordinates exactly, so that a
//! drawn plot shares the zone's corner bit for bit); failing one, the nearest point on an edge;
//! failing that, nothing (the pointer's own place). Only the features near the pointer are
//! looked at, through the R-trees the hit-test uses.

use geo::Coord;
use rstar::AABB;

use super::{METRES_PER_DEGREE, SpatialIndex, area_part, line_part};
use crate::model::{Atlas, FeatureRef, LayerId};

impl SpatialIndex {
    /// Where a vertex placed at `at` lands, within `tolerance_m` metres, among the layers
    /// `shown` lets through, in `atlas` (the one this index was made of); `None` when nothing
    /// is that near.
    pub fn snap(
        &self,
        atlas: &Atlas,
        at: Coord,
        tolerance_m: f64,
        shown: impl Fn(LayerId) -> bool,
    ) -> Option<Coord> {
        if tolerance_m <= 0.0 {
            return None;
        }
        let cos = at.y.to_radians().cos().max(0.01);
        let dy = tolerance_m / METRES_PER_DEGREE;
        let dx = dy / cos;
        let envelope = AABB::from_corners([at.x - dx, at.y - dy], [at.x + dx, at.y + dy]);
        let metres = |c: Coord| ((c.x - at.x) * cos).hypot(c.y - at.y) * METRES_PER_DEGREE;
        let mut vertex: Option<(f64, Coord)> = None;
        let mut edge: Option<(f64, Coord)> = None;
        let nearer = |best: &mut Option<(f64, Coord)>, c: Coord| {
            let d = metres(c);
            if d <= tolerance_m && best.is_none_or(|(kept, _)| d < kept) {
                *best = Some((d, c));
            }
        };
        let mut segment = |a: Coord, b: Coord| {
            let (lo_x, hi_x) = (a.x.min(b.x), a.x.max(b.x));
            let (lo_y, hi_y) = (a.y.min(b.y), a.y.max(b.y));
            if hi_x < at.x - dx || lo_x > at.x + dx || hi_y < at.y - dy || lo_y > at.y + dy {
                return;
            }
            nearer(&mut vertex, a);
            nearer(&mut vertex, b);
            nearer(&mut edge, closest_on_segment(a, b, at, cos));
        };
        for (layer, index) in self.layers.iter().filter(|(layer, _)| shown(*layer)) {
            let feature = |number: u32| FeatureRef {
                layer: *layer,
                index: number,
            };
            for (at, number, prepared) in index.area_parts(&envelope) {
                if let Some(polygon) = area_part(atlas, feature(*at), *number) {
                    for (a, b) in prepared.edges(polygon) {
                        segment(a, b);
                    }
                }
            }
            for entry in index.lines.locate_in_envelope_intersecting(&envelope) {
                let (at, number) = &index.line_parts[entry.data as usize];
                if let Some(line) = line_part(atlas, feature(*at), *number) {
                    for piece in line.lines() {
                        segment(piece.start, piece.end);
                    }
                }
            }
        }
        for (_, index) in self.layers.iter().filter(|(layer, _)| shown(*layer)) {
            for point in index.points.locate_in_envelope(&envelope) {
                let [x, y] = *point.geom();
                nearer(&mut vertex, geo::coord! { x: x, y: y });
            }
        }
        vertex.or(edge).map(|(_, c)| c)
    }
}

/// The point of segment a→b nearest `p`, in a frame where a degree of longitude is `cos` of
/// one of latitude (near enough for a few pixels).
fn closest_on_segment(a: Coord, b: Coord, p: Coord, cos: f64) -> Coord {
    let (ax, bx, px) = (a.x * cos, b.x * cos, p.x * cos);
    let (vx, vy) = (bx - ax, b.y - a.y);
    let length2 = vx * vx + vy * vy;
    if length2 == 0.0 {
        return a;
    }
    let t = (((px - ax) * vx + (p.y - a.y) * vy) / length2).clamp(0.0, 1.0);
    geo::coord! { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vertex placed near the core's corner lands on it bit for bit; near its edge, on the
    /// edge; far from everything, nowhere; a hidden layer is not snapped to.
    #[test]
    fn a_vertex_near_a_zones_corner_lands_on_it_exactly() {
        let loaded = crate::geodata::load(&crate::geodata::DataSource::Embedded);
        let atlas = &loaded.atlas;
        let index = SpatialIndex::new(atlas);
        let (core_ref, core) = atlas.find("core").expect("core");
        let crate::model::Shape::Area(area) = &core.shape else {
            panic!("the core is an area")
        };
        let corner = area.0[0].exterior().0[10];
        let near = geo::coord! { x: corner.x + 0.0002, y: corner.y - 0.0001 };
        let only_core = |layer: LayerId| layer == core_ref.layer;
        let landed = index.snap(atlas, near, 100.0, only_core).expect("snapped");
        assert_eq!(
            (landed.x.to_bits(), landed.y.to_bits()),
            (corner.x.to_bits(), corner.y.to_bits()),
            "{landed:?} against the corner {corner:?}"
        );
        assert_eq!(
            index.snap(atlas, near, 100.0, |_| false),
            None,
            "hidden layers"
        );
        assert_eq!(
            index.snap(atlas, near, 1.0, only_core),
            None,
            "beyond the tolerance"
        );
        // Halfway along an edge, a little off it: on the edge, between its ends.
        let (a, b) = (area.0[0].exterior().0[10], area.0[0].exterior().0[11]);
        let middle = geo::coord! { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
        let length_m = geo::Distance::distance(&geo::Haversine, geo::Point(a), geo::Point(b));
        let off = geo::coord! { x: middle.x + 0.00001, y: middle.y + 0.00001 };
        let landed = index
            .snap(atlas, off, length_m / 4.0, only_core)
            .expect("on the edge");
        let to_a = geo::Distance::distance(&geo::Haversine, geo::Point(landed), geo::Point(a));
        let to_b = geo::Distance::distance(&geo::Haversine, geo::Point(landed), geo::Point(b));
        assert!(
            (to_a + to_b - length_m).abs() < 0.5 && to_a > 1.0 && to_b > 1.0,
            "on the edge, between its ends: {to_a} + {to_b} against {length_m}"
        );
    }
}
