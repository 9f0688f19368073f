//! Measures on the ellipsoid: areas of zones (panels, `validate`, the preparation tool) and
//! distances from a point to a shape (platform positions against their zones).

use geo::{LineString, MultiPolygon, Point, Polygon};

use super::Shape;

/// Geodesic area on the WGS-84 ellipsoid, in km². Each ring is measured on its own and signs
/// are taken from roles, not from winding, so a mis-wound ring cannot turn into "the rest of
/// the Earth".
pub fn area_km2(shape: &MultiPolygon) -> f64 {
    let m2: f64 = shape
        .iter()
        .map(|polygon| {
            ring_area_m2(polygon.exterior())
                - polygon.interiors().iter().map(ring_area_m2).sum::<f64>()
        })
        .sum();
    m2 / 1e6
}

/// The geodesic area (WGS-84, Karney) that a ring of lon/lat points encloses, in m², whichever
/// way it is wound. A geodesic area is that of the region on the ring's left: a clockwise ring
/// read as it stands encloses the rest of the Earth (510 million km² less the ring), so the
/// ring is turned counter-clockwise first. Every area the atlas states goes through here.
pub fn ring_area_m2(ring: &LineString) -> f64 {
    use geo::{GeodesicArea, Winding};
    let mut ring = ring.clone();
    ring.close();
    if ring.0.len() < 4 {
        return 0.0;
    }
    ring.make_ccw_winding();
    Polygon::new(ring, vec![]).geodesic_area_unsigned()
}

/// Metres from `point` to the nearest part of `shape` (0 inside).
pub fn metres_to(point: Point, shape: &Shape) -> f64 {
    use geo::{Closest, ClosestPoint, Distance, Haversine, Intersects};
    match shape {
        Shape::Area(area) if area.intersects(&point) => 0.0,
        Shape::Area(area) => match area.closest_point(&point) {
            Closest::Intersection(_) => 0.0,
            Closest::SinglePoint(nearest) => Haversine.distance(point, nearest),
            Closest::Indeterminate => f64::INFINITY,
        },
        Shape::Point(other) => Haversine.distance(point, *other),
        Shape::Lines(_) => f64::INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// A 0.1° square at the equator is 11.132 km wide and 11.057 km tall on WGS-84: 123.09 km²;
    /// a hole of a quarter of it takes a quarter away, whichever way either ring is wound.
    #[test]
    fn a_square_with_a_hole_has_its_geodesic_area_whatever_the_winding() {
        let square = polygon!(
            exterior: [(x: 0., y: 0.), (x: 0.1, y: 0.), (x: 0.1, y: 0.1), (x: 0., y: 0.1)],
            interiors: [[(x: 0.02, y: 0.02), (x: 0.02, y: 0.07), (x: 0.07, y: 0.07), (x: 0.07, y: 0.02)]],
        );
        let whole = area_km2(&MultiPolygon::new(vec![Polygon::new(
            square.exterior().clone(),
            vec![],
        )]));
        assert!((whole - 123.09).abs() < 0.05, "{whole}");
        let holed = area_km2(&MultiPolygon::new(vec![square.clone()]));
        assert!((holed - whole * 0.75).abs() < 0.2, "{holed}");
        let mut reversed = square;
        reversed.exterior_mut(|ring| ring.0.reverse());
        assert!((area_km2(&MultiPolygon::new(vec![reversed])) - holed).abs() < 1e-6);
    }

    /// The area of a lon/lat box on the ellipsoid in closed form (the authalic-latitude
    /// formula, independent of the geodesic polygon code): the box's sides along parallels
    /// differ from geodesics by about a metre here, far inside the tolerance.
    fn box_area_m2(west: f64, south: f64, east: f64, north: f64) -> f64 {
        let a = 6_378_137.0_f64;
        let f: f64 = 1.0 / 298.257_223_563;
        let e2 = f * (2.0 - f);
        let e = e2.sqrt();
        let q = |lat: f64| {
            let s = lat.to_radians().sin();
            s / (1.0 - e2 * s * s) + ((1.0 + e * s) / (1.0 - e * s)).ln() / (2.0 * e)
        };
        a * a * (1.0 - e2) / 2.0 * (east - west).to_radians() * (q(north) - q(south))
    }

    /// A box near 西永 clicked clockwise and counter-clockwise: both the box's own area (55.8
    /// km² or so), never "the Earth less the box".
    #[test]
    fn a_ring_has_the_same_area_clockwise_and_counter_clockwise() {
        let (west, south, east, north) = (106.30, 29.55, 106.38, 29.615);
        let expected = box_area_m2(west, south, east, north);
        assert!((55e6..57e6).contains(&expected), "{expected}");
        let anticlockwise = LineString::from(vec![
            (west, south),
            (east, south),
            (east, north),
            (west, north),
        ]);
        let mut clockwise = anticlockwise.clone();
        clockwise.0.reverse();
        for ring in [&anticlockwise, &clockwise] {
            let area = ring_area_m2(ring);
            assert!(
                (area - expected).abs() / expected < 1e-4,
                "{area} m² against {expected} m²"
            );
        }
        assert_eq!(
            ring_area_m2(&LineString::from(vec![(1.0, 1.0), (2.0, 2.0)])),
            0.0
        );
    }

    #[test]
    fn the_distance_to_an_area_is_zero_inside_and_to_its_edge_outside() {
        let square = Shape::Area(MultiPolygon::new(vec![polygon![
            (x: 106.0, y: 29.0), (x: 106.1, y: 29.0), (x: 106.1, y: 29.1), (x: 106.0, y: 29.1)
        ]]));
        assert_eq!(metres_to(Point::new(106.05, 29.05), &square), 0.0);
        // 0.01° of latitude east of the square's edge at 29.05°N: about 973 m.
        let outside = metres_to(Point::new(106.11, 29.05), &square);
        assert!((outside - 973.0).abs() < 5.0, "{outside}");
    }
}
