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

/// The geodetic datum a map is drawn in.
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
}

impl Datum {
    pub fn name(self) -> &'static str {
        match self {
            Datum::Wgs84 => "WGS-84",
            Datum::Gcj02 => "GCJ-02",
        }
    }

    /// A WGS-84 position (lon, lat) in this datum.
    #[inline]
    pub fn from_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lon, lat),
            Datum::Gcj02 => wgs84_to_gcj02(lon, lat),
        }
    }

    /// A position in this datum as WGS-84 (lon, lat).
    #[inline]
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lon, lat),
            Datum::Gcj02 => gcj02_to_wgs84(lon, lat),
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
