//! How a position is written for a reader: in WGS-84, GCJ-02 or BD-09 (the datums Chinese map
//! services use), as decimal degrees or as degrees, minutes and seconds.

use super::datum::Datum;

/// Decimal degrees or degrees-minutes-seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum AngleFormat {
    #[default]
    #[serde(rename = "decimal")]
    Decimal,
    #[serde(rename = "dms")]
    Dms,
}

/// How positions are copied and shown: datum and angle format (remembered between runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CoordStyle {
    pub datum: Datum,
    pub angles: AngleFormat,
}

impl CoordStyle {
    /// `position` (WGS-84) in this style: "106.45123°E 29.60345°N, GCJ-02" or
    /// "106°27′04.4″E 29°36′12.4″N, GCJ-02"; decimal degrees to five places (about a metre).
    pub fn format(self, position: geo::Coord) -> String {
        let (lon, lat) = self.datum.from_wgs84(position.x, position.y);
        let (lon, lat) = match self.angles {
            AngleFormat::Decimal => (decimal(lon, 'E', 'W'), decimal(lat, 'N', 'S')),
            AngleFormat::Dms => (dms(lon, 'E', 'W'), dms(lat, 'N', 'S')),
        };
        format!("{lon} {lat}, {}", self.datum.name())
    }

    /// Longitude and latitude as plain numbers ("106.45123, 29.60345") for pasting into another
    /// tool; in this style's datum.
    pub fn format_plain(self, position: geo::Coord) -> String {
        let (lon, lat) = self.datum.from_wgs84(position.x, position.y);
        format!("{lon:.6}, {lat:.6}")
    }
}

fn decimal(value: f64, positive: char, negative: char) -> String {
    let hemisphere = if value < 0.0 { negative } else { positive };
    format!("{:.5}°{hemisphere}", value.abs())
}

fn dms(value: f64, positive: char, negative: char) -> String {
    let hemisphere = if value < 0.0 { negative } else { positive };
    // Rounded to a tenth of a second first, so that 59.96″ carries into the minute.
    let tenths = (value.abs() * 36_000.0).round() as u64;
    let degrees = tenths / 36_000;
    let minutes = tenths % 36_000 / 600;
    let seconds = (tenths % 600) as f64 / 10.0;
    format!("{degrees}°{minutes:02}′{seconds:04.1}″{hemisphere}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn degrees_minutes_seconds_carry_and_keep_the_hemisphere() {
        assert_eq!(dms(106.5, 'E', 'W'), "106°30′00.0″E");
        assert_eq!(dms(29.999_99, 'N', 'S'), "30°00′00.0″N");
        assert_eq!(dms(-0.5, 'E', 'W'), "0°30′00.0″W");
        assert_eq!(decimal(-12.345_678, 'N', 'S'), "12.34568°S");
    }

    #[test]
    fn a_position_is_written_in_the_chosen_datum() {
        let at = coord! { x: 106.45, y: 29.60 };
        let wgs84 = CoordStyle::default().format(at);
        assert_eq!(wgs84, "106.45000°E 29.60000°N, WGS-84");
        let gcj02 = CoordStyle {
            datum: Datum::Gcj02,
            angles: AngleFormat::Decimal,
        };
        // GCJ-02 is a few hundred metres off WGS-84 around Chongqing.
        let (lon, lat) = Datum::Gcj02.from_wgs84(at.x, at.y);
        assert!((lon - at.x).abs() > 0.001 && (lat - at.y).abs() > 0.001);
        assert_eq!(gcj02.format_plain(at), format!("{lon:.6}, {lat:.6}"));
        assert!(gcj02.format(at).ends_with("GCJ-02"), "{}", gcj02.format(at));
    }
}
