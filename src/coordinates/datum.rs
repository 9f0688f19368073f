//! GCJ-02 ("Mars coordinates", used by Chinese web maps) to WGS-84 and back.
//!
//! The echarts boundaries are in GCJ-02, offset a few hundred metres from WGS-84; everything the
//! atlas draws is WGS-84, so the preparation tool converts them once. The forward transform is
//! the published GCJ-02 formula; the inverse has no closed form and is found by fixed-point
//! iteration, which converges to well under a millimetre in a few steps.

use std::f64::consts::PI;

/// Semi-major axis and eccentricity² of the Krasovsky 1940 ellipsoid that GCJ-02 is defined on.
const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// The GCJ-02 offset (dlon, dlat in degrees) at a WGS-84 position.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    let dlat = transform_lat(lon - 105.0, lat - 35.0);
    let dlon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat.to_radians();
    let magic = 1.0 - EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    (dlon, dlat)
}

/// WGS-84 → GCJ-02, (lon, lat) in degrees.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let (dlon, dlat) = offset(lon, lat);
    (lon + dlon, lat + dlat)
}

/// GCJ-02 → WGS-84, (lon, lat) in degrees, inverted by iteration to better than 1e-9°.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (mut wlon, mut wlat) = (lon, lat);
    for _ in 0..30 {
        let (glon, glat) = wgs84_to_gcj02(wlon, wlat);
        let (elon, elat) = (glon - lon, glat - lat);
        wlon -= elon;
        wlat -= elat;
        if elon.abs() < 1e-10 && elat.abs() < 1e-10 {
            break;
        }
    }
    (wlon, wlat)
}

/// BD-09's rotation constant (π·3000/180), from Baidu's published transform.
const X_PI: f64 = PI * 3000.0 / 180.0;

/// GCJ-02 → BD-09 (Baidu), (lon, lat) in degrees.
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = lon.hypot(lat) + 0.00002 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// BD-09 → GCJ-02, (lon, lat) in degrees: the published closed-form inverse, good to a few
/// centimetres; refined by iteration so that a round trip is exact to a millimetre.
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let (mut glon, mut glat) = bd09_to_gcj02_closed(lon, lat);
    for _ in 0..10 {
        let (blon, blat) = gcj02_to_bd09(glon, glat);
        let (elon, elat) = (blon - lon, blat - lat);
        glon -= elon;
        glat -= elat;
        if elon.abs() < 1e-11 && elat.abs() < 1e-11 {
            break;
        }
    }
    (glon, glat)
}

fn bd09_to_gcj02_closed(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = (lon - 0.0065, lat - 0.006);
    let z = x.hypot(y) - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    (z * theta.cos(), z * theta.sin())
}

/// The geodetic datum a map is drawn in, or a user's layer is written in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Datum {
    /// WGS-84, or CGCS2000 (the same to within a metre here): the atlas's own data,
    /// OpenStreetMap, 天地图.
    #[default]
    Wgs84,
    /// GCJ-02, the offset datum of Amap (高德), Tencent and Google's China maps.
    Gcj02,
    /// BD-09, Baidu's further offset of GCJ-02 (its pick-point tool's coordinates). A user's
    /// layer may be in it; basemaps are not drawn in it (Baidu's tiles have a grid of their own).
    Bd09,
}

impl Datum {
    pub fn name(self) -> &'static str {
        match self {
            Datum::Wgs84 => "WGS-84",
            Datum::Gcj02 => "GCJ-02",
            Datum::Bd09 => "BD-09",
        }
    }

    /// The datums a basemap may be drawn in.
    pub const FOR_BASEMAPS: [Datum; 2] = [Datum::Wgs84, Datum::Gcj02];

    /// Every datum a user's layer may be written in.
    pub const ALL: [Datum; 3] = [Datum::Wgs84, Datum::Gcj02, Datum::Bd09];

    /// The command line's and the saved state's name: wgs84, gcj02, bd09.
    pub fn key(self) -> &'static str {
        match self {
            Datum::Wgs84 => "wgs84",
            Datum::Gcj02 => "gcj02",
            Datum::Bd09 => "bd09",
        }
    }

    /// A datum by its key, or by a name people write (WGS-84, CGCS2000, GCJ-02, BD-09, 百度…).
    pub fn parse(text: &str) -> Option<Datum> {
        let key: String = text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "wgs84" | "cgcs2000" | "epsg4326" | "epsg4490" | "wgs" => Some(Datum::Wgs84),
            "gcj02" | "gcj" | "amap" | "gaode" | "mars" => Some(Datum::Gcj02),
            "bd09" | "bd09ll" | "baidu" | "bd" => Some(Datum::Bd09),
            _ => match text.trim() {
                "高德" | "火星坐标" | "国测局" => Some(Datum::Gcj02),
                "百度" => Some(Datum::Bd09),
                _ => None,
            },
        }
    }

    /// A WGS-84 position (lon, lat) in this datum.
    #[inline]
    pub fn from_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lon, lat),
            Datum::Gcj02 => wgs84_to_gcj02(lon, lat),
            Datum::Bd09 => {
                let (glon, glat) = wgs84_to_gcj02(lon, lat);
                gcj02_to_bd09(glon, glat)
            }
        }
    }

    /// A position in this datum as WGS-84 (lon, lat).
    #[inline]
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lon, lat),
            Datum::Gcj02 => gcj02_to_wgs84(lon, lat),
            Datum::Bd09 => {
                let (glon, glat) = bd09_to_gcj02(lon, lat);
                gcj02_to_wgs84(glon, glat)
            }
        }
    }

    pub fn is_wgs84(self) -> bool {
        self == Datum::Wgs84
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chaotianmen in WGS-84; web maps (GCJ-02) show it a few hundred metres to the north-east.
    #[test]
    fn the_offset_in_chongqing_is_a_few_hundred_metres() {
        let (glon, glat) = wgs84_to_gcj02(106.586, 29.566);
        let east_m = (glon - 106.586) * 111_320.0 * 29.566_f64.to_radians().cos();
        let north_m = (glat - 29.566) * 110_574.0;
        let metres = east_m.hypot(north_m);
        assert!(
            (200.0..700.0).contains(&metres),
            "offset {metres:.0} m (east {east_m:.0}, north {north_m:.0})"
        );
    }

    /// The reference pairs of the widely used coordtransform library (wandergis/coordtransform,
    /// test/app.js), near Tiananmen.
    #[test]
    fn transforms_match_the_published_reference_pairs() {
        let close = |(a, b): (f64, f64), (x, y): (f64, f64)| {
            assert!(
                (a - x).abs() < 1e-9 && (b - y).abs() < 1e-9,
                "({a}, {b}) vs ({x}, {y})"
            );
        };
        close(
            wgs84_to_gcj02(116.404, 39.915),
            (116.41024449916938, 39.91640428150164),
        );
        close(
            gcj02_to_bd09(116.404, 39.915),
            (116.41036949371029, 39.92133699351021),
        );
        // The published inverse is the closed form; ours refines it (by under 1e-6°).
        close(
            bd09_to_gcj02_closed(116.404, 39.915),
            (116.39762729119315, 39.90865673957631),
        );
        let (lon, lat) = bd09_to_gcj02(116.404, 39.915);
        assert!((lon - 116.39762729119315).abs() < 1e-6 && (lat - 39.90865673957631).abs() < 1e-6);
    }

    #[test]
    fn every_datum_round_trips_to_a_millimetre() {
        for datum in Datum::ALL {
            for &(lon, lat) in &[(106.586, 29.566), (104.06, 30.66), (108.4, 30.8)] {
                let (x, y) = datum.from_wgs84(lon, lat);
                let (wlon, wlat) = datum.to_wgs84(x, y);
                assert!(
                    (wlon - lon).abs() < 1e-8 && (wlat - lat).abs() < 1e-8,
                    "{datum:?}: ({lon}, {lat}) came back as ({wlon}, {wlat})"
                );
            }
        }
        // Baidu's offset here is larger than GCJ-02's: about a kilometre from WGS-84.
        let (blon, blat) = Datum::Bd09.from_wgs84(106.586, 29.566);
        let metres = ((blon - 106.586) * 96_900.0).hypot((blat - 29.566) * 110_574.0);
        assert!(
            (700.0..1500.0).contains(&metres),
            "BD-09 offset {metres:.0} m"
        );
    }

    #[test]
    fn datums_parse_from_the_names_people_write() {
        assert_eq!(Datum::parse("WGS-84"), Some(Datum::Wgs84));
        assert_eq!(Datum::parse("CGCS2000"), Some(Datum::Wgs84));
        assert_eq!(Datum::parse("gcj02"), Some(Datum::Gcj02));
        assert_eq!(Datum::parse("BD-09"), Some(Datum::Bd09));
        assert_eq!(Datum::parse("百度"), Some(Datum::Bd09));
        assert_eq!(Datum::parse("mercator"), None);
    }

    #[test]
    fn inverse_undoes_forward_to_a_millimetre() {
        for &(lon, lat) in &[
            (106.586, 29.566),
            (104.06, 30.66),
            (108.4, 30.8),
            (102.0, 27.5),
        ] {
            let (glon, glat) = wgs84_to_gcj02(lon, lat);
            let (wlon, wlat) = gcj02_to_wgs84(glon, glat);
            assert!((wlon - lon).abs() < 1e-8 && (wlat - lat).abs() < 1e-8);
        }
    }
}
