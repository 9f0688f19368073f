//! Measures on the ellipsoid: areas of zones (panels, `validate`, the preparation tool) and
//! distances from a point to a shape (platform positions against their zones).

use geo::{LineString, MultiPolygon, Point, Polygon};

use super::Shape;

/// Geodesic area on the WGS-84 ellipsoid, in km². Each ring is measured on its own and signs
/// are taken from roles, not from winding, so a mis-wound ring cannot turn into "the rest of
/// the Earth".
pub fn area_km2(shape: &MultiPolygon) -> f64 {
    use geo::GeodesicArea;
    let ring_m2 = |ring: &LineString| {
        Polygon::new(ring.clone(), vec![])
            .geodesic_area_signed()
            .abs()
    };
    let m2: f64 = shape
        .iter()
        .map(|polygon| {
            ring_m2(polygon.exterior()) - polygon.interiors().iter().map(ring_m2).sum::<f64>()
        })
        .sum();
    m2 / 1e6
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
