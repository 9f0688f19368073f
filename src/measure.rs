//! Measuring on the map: a distance along a polyline and the area of a polygon, both on the
//! WGS-84 ellipsoid (Karney's geodesics, as geo has them), and how lengths and areas are said
//! in each language (m/km; m²/km² with 亩 for Chinese readers, hectares for English ones).

use geo::{Geodesic, Length, LineString};

use crate::model::Lang;

/// What is being measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MeasureKind {
    /// The length of the line through the points, in order.
    Distance,
    /// The area of the polygon the points enclose (and its perimeter).
    Area,
}

/// The points the user has placed (WGS-84 lon/lat) and what they measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub kind: MeasureKind,
    pub points: Vec<geo::Coord>,
}

/// One 亩 (the Chinese land unit): 10 000⁄15 m².
pub const MU_M2: f64 = 10_000.0 / 15.0;

impl Measurement {
    pub fn new(kind: MeasureKind) -> Self {
        Self {
            kind,
            points: Vec::new(),
        }
    }

    /// The geodesic length through the points in metres; for an area, its perimeter (the ring
    /// closed back to the first point).
    pub fn length_m(&self) -> f64 {
        self.length_with(None)
    }

    /// The length with one more point at `next` (where the pointer is, before the click).
    pub fn length_with(&self, next: Option<geo::Coord>) -> f64 {
        let mut points = self.points.clone();
        points.extend(next);
        if self.kind == MeasureKind::Area && points.len() > 2 {
            points.push(points[0]);
        }
        Geodesic.length(&LineString::new(points))
    }

    /// The geodesic area enclosed, in square metres (`None` below three points or for a
    /// distance).
    pub fn area_m2(&self) -> Option<f64> {
        self.area_with(None)
    }

    /// The area with one more point at `next`.
    pub fn area_with(&self, next: Option<geo::Coord>) -> Option<f64> {
        if self.kind != MeasureKind::Area {
            return None;
        }
        let mut points = self.points.clone();
        points.extend(next);
        (points.len() >= 3).then(|| crate::model::measure::ring_area_m2(&LineString::new(points)))
    }

    /// What the status bar says: the length, and for an area the area too.
    pub fn summary(&self, next: Option<geo::Coord>, lang: Lang) -> String {
        let length = format_distance(self.length_with(next), lang);
        match (self.kind, self.area_with(next)) {
            (MeasureKind::Distance, _) => format!("{} {length}", lang.pick("距离", "Distance")),
            (MeasureKind::Area, Some(area)) => format!(
                "{} {}{}{} {length}",
                lang.pick("面积", "Area"),
                format_area(area, lang),
                lang.pick("，", ", "),
                lang.pick("周长", "perimeter"),
            ),
            (MeasureKind::Area, None) => lang
                .pick("面积：再点至少三个点", "Area: place at least three points")
                .to_string(),
        }
    }
}

/// A length as a reader expects it: metres below a kilometre, kilometres above.
pub fn format_distance(metres: f64, lang: Lang) -> String {
    let (zh_m, zh_km) = ("米", "公里");
    if metres < 1000.0 {
        let value = format!("{metres:.0}");
        return match lang {
            Lang::Zh => format!("{value} {zh_m}"),
            Lang::En => format!("{value} m"),
        };
    }
    let km = metres / 1000.0;
    let value = if km < 10.0 {
        format!("{km:.2}")
    } else if km < 100.0 {
        format!("{km:.1}")
    } else {
        format!("{km:.0}")
    };
    match lang {
        Lang::Zh => format!("{value} {zh_km}"),
        Lang::En => format!("{value} km"),
    }
}

/// An area as a reader expects it: square metres or square kilometres, with 亩 in Chinese and
/// hectares in English.
pub fn format_area(m2: f64, lang: Lang) -> String {
    let main = if m2 < 1_000_000.0 {
        match lang {
            Lang::Zh => format!("{m2:.0} 平方米"),
            Lang::En => format!("{m2:.0} m²"),
        }
    } else {
        let km2 = m2 / 1_000_000.0;
        let value = if km2 < 10.0 {
            format!("{km2:.2}")
        } else {
            format!("{km2:.1}")
        };
        match lang {
            Lang::Zh => format!("{value} 平方公里"),
            Lang::En => format!("{value} km²"),
        }
    };
    match lang {
        Lang::Zh => {
            let mu = m2 / MU_M2;
            let mu = if mu >= 10_000.0 {
                format!("{:.1} 万亩", mu / 10_000.0)
            } else {
                format!("{mu:.0} 亩")
            };
            format!("{main}（{mu}）")
        }
        Lang::En => format!("{main} ({:.1} ha)", m2 / 10_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Point, coord};

    #[test]
    fn a_polyline_measures_the_sum_of_its_geodesic_legs() {
        let points = [
            coord! { x: 106.30, y: 29.60 },
            coord! { x: 106.40, y: 29.62 },
            coord! { x: 106.45, y: 29.70 },
        ];
        let mut measurement = Measurement::new(MeasureKind::Distance);
        measurement.points.extend(points);
        let legs = Geodesic.distance(Point(points[0]), Point(points[1]))
            + Geodesic.distance(Point(points[1]), Point(points[2]));
        assert!((measurement.length_m() - legs).abs() < 1e-6);
        // About 19 km: a tenth of a degree east and a little north, then a diagonal.
        assert!((18_000.0..21_000.0).contains(&measurement.length_m()));
    }

    #[test]
    fn an_area_closes_its_ring_and_a_square_kilometre_is_1500_mu() {
        // A square of about 1 km a side near Chongqing: 0.009° of latitude is ~1 km.
        let (lon, lat): (f64, f64) = (106.4, 29.6);
        let dlat = 1000.0 / 110_850.0;
        let dlon = 1000.0 / (111_320.0 * lat.to_radians().cos());
        let mut square = Measurement::new(MeasureKind::Area);
        square.points = vec![
            coord! { x: lon, y: lat },
            coord! { x: lon + dlon, y: lat },
            coord! { x: lon + dlon, y: lat + dlat },
            coord! { x: lon, y: lat + dlat },
        ];
        let area = square.area_m2().expect("four points");
        assert!((area - 1_000_000.0).abs() < 10_000.0, "{area}");
        assert!((square.length_m() - 4000.0).abs() < 40.0);
        assert_eq!(
            format_area(1_000_000.0, Lang::Zh),
            "1.00 平方公里（1500 亩）"
        );
        assert_eq!(format_area(1_000_000.0, Lang::En), "1.00 km² (100.0 ha)");
        assert_eq!(
            format_area(2_000_000_000.0, Lang::Zh),
            "2000.0 平方公里（300.0 万亩）"
        );
    }

    /// The newcomer's case: four points clicked clockwise measured the Earth less the box
    /// (510 065 573 km²); clockwise and counter-clockwise now agree.
    #[test]
    fn points_clicked_clockwise_measure_the_area_they_enclose() {
        let corners = [
            coord! { x: 106.30, y: 29.55 },
            coord! { x: 106.30, y: 29.615 },
            coord! { x: 106.38, y: 29.615 },
            coord! { x: 106.38, y: 29.55 },
        ];
        let mut clockwise = Measurement::new(MeasureKind::Area);
        clockwise.points = corners.to_vec();
        let mut anticlockwise = Measurement::new(MeasureKind::Area);
        anticlockwise.points = corners.iter().rev().copied().collect();
        let (cw, ccw) = (clockwise.area_m2(), anticlockwise.area_m2());
        let (Some(cw), Some(ccw)) = (cw, ccw) else {
            panic!("four points enclose an area")
        };
        assert!((55e6..57e6).contains(&cw), "{cw}");
        assert!((cw - ccw).abs() < 1.0, "{cw} against {ccw}");
        // While placing the third point clockwise, too.
        clockwise.points.truncate(2);
        let live = clockwise.area_with(Some(corners[2])).unwrap_or(f64::NAN);
        assert!(live < 30e6, "{live}");
    }

    #[test]
    fn two_points_enclose_no_area() {
        let mut measurement = Measurement::new(MeasureKind::Area);
        measurement.points = vec![coord! { x: 106.0, y: 29.0 }, coord! { x: 106.1, y: 29.0 }];
        assert_eq!(measurement.area_m2(), None);
        assert!(
            measurement
                .area_with(Some(coord! { x: 106.1, y: 29.1 }))
                .is_some()
        );
    }

    #[test]
    fn lengths_switch_to_kilometres_at_one_kilometre() {
        assert_eq!(format_distance(850.4, Lang::En), "850 m");
        assert_eq!(format_distance(1234.0, Lang::En), "1.23 km");
        assert_eq!(format_distance(45_600.0, Lang::Zh), "45.6 公里");
        assert_eq!(format_distance(312_000.0, Lang::En), "312 km");
    }
}
