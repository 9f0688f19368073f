//! A layer's coordinate system, from a Shapefile's .prj (ESRI or OGC WKT1, or WKT2): a
//! geographic system in WGS-84 or CGCS2000 is taken as is; a projected one (the CGCS2000
//! 3-degree Gauss–Krüger zones of survey offices, UTM, Web Mercator, …) is converted to
//! WGS-84 by proj4rs; anything else is refused with its name.

use geo::Coord;
use proj4rs::proj::Proj;

use crate::model::Text;

/// How a layer's coordinates become WGS-84 longitude/latitude.
pub enum Projection {
    /// Already longitude/latitude on WGS-84 or CGCS2000 (the same to within a metre here).
    Geographic,
    /// Projected: inverted through proj4rs.
    Projected {
        name: String,
        from: Box<Proj>,
        to: Box<Proj>,
    },
}

impl std::fmt::Debug for Projection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Projection::Geographic => write!(f, "Geographic"),
            Projection::Projected { name, .. } => write!(f, "Projected({name})"),
        }
    }
}

/// The name a WKT gives its system (the first quoted string).
pub fn system_name(wkt: &str) -> String {
    wkt.split('"').nth(1).unwrap_or("unnamed").to_string()
}

/// Datums that differ from WGS-84 by tens of metres or more and that a .prj names without
/// the parameters to convert them.
const OTHER_DATUMS: [&str; 6] = [
    "beijing",
    "xian",
    "xi'an",
    "krassowsky",
    "krasovsky",
    "new_beijing",
];

/// The datum a geographic .prj names, as a user knows it: "CGCS2000" (EPSG:4490, the
/// national system surveys deliver) or "WGS-84".
pub fn geographic_name(wkt: &str) -> &'static str {
    let lower = wkt.to_ascii_lowercase();
    if lower.contains("cgcs")
        || lower.contains("china_2000")
        || lower.contains("china geodetic coordinate system 2000")
        || lower.contains("china_geodetic_coordinate_system_2000")
    {
        "CGCS2000"
    } else {
        "WGS-84"
    }
}

impl Projection {
    /// The projection a .prj describes, or why the atlas cannot use it.
    pub fn from_prj(wkt: &str) -> Result<Self, Text> {
        let wkt = wkt.trim().trim_start_matches('\u{feff}');
        let name = system_name(wkt);
        let lower = wkt.to_ascii_lowercase();
        let datum_known = lower.contains("wgs_1984")
            || lower.contains("wgs 84")
            || lower.contains("wgs84")
            || lower.contains("cgcs")
            || lower.contains("china_2000")
            || lower.contains("china geodetic coordinate system 2000")
            || lower.contains("china_geodetic_coordinate_system_2000");
        if OTHER_DATUMS.iter().any(|d| lower.contains(d)) && !datum_known {
            return Err(Text::new(
                format!(
                    "其坐标系 {name} 基于较早的中国大地基准（北京 1954 或西安 1980），与 WGS-84 相差数十米，其 .prj 未给出转换参数：请先转换到 CGCS2000 或 WGS-84（例如 ogr2ogr -t_srs EPSG:4490）"
                ),
                format!(
                    "its coordinate system {name} is on an older Chinese datum (Beijing 1954 or Xi'an 1980), tens of metres from WGS-84, and its .prj gives no parameters to convert it: reproject it to CGCS2000 or WGS-84 first (e.g. ogr2ogr -t_srs EPSG:4490)"
                ),
            ));
        }
        let geographic = lower.starts_with("geogcs") || lower.starts_with("geogcrs");
        if geographic {
            if !datum_known {
                return Err(Text::new(
                    format!("其坐标系 {name} 不基于 WGS-84 或 CGCS2000：请先转换"),
                    format!(
                        "its coordinate system {name} is not on WGS-84 or CGCS2000: reproject it first"
                    ),
                ));
            }
            return Ok(Projection::Geographic);
        }
        // ESRI calls the Gauss–Krüger zones' projection Gauss_Kruger: it is a transverse
        // Mercator.
        let normalised = wkt
            .replace("\"Gauss_Kruger\"", "\"Transverse_Mercator\"")
            .replace("\"Gauss-Kruger\"", "\"Transverse_Mercator\"");
        // GDAL states the exact definition where WKT1 cannot (Web Mercator's sphere on the
        // WGS-84 datum): EXTENSION["PROJ4", "…"] is taken as it is.
        let stated = wkt
            .split_once("EXTENSION[\"PROJ4\",\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(projstring, _)| projstring.replace("+wktext", ""));
        let converted = match stated {
            Some(projstring) => Ok(projstring),
            None => proj4wkt::wkt_to_projstring(&normalised),
        };
        let projstring = converted.map_err(|error| {
            Text::new(
                format!("其坐标系 {name} 无法读取：{error}"),
                format!("its coordinate system {name} cannot be read: {error}"),
            )
        })?;
        let from = Proj::from_proj_string(&projstring).map_err(|error| {
            Text::new(
                format!("其坐标系 {name}（{projstring}）不受支持：{error}"),
                format!("its coordinate system {name} ({projstring}) is not supported: {error}"),
            )
        })?;
        let to = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .map_err(|error| Text::new(format!("WGS-84：{error}"), format!("WGS-84: {error}")))?;
        Ok(Projection::Projected {
            name,
            from: Box::new(from),
            to: Box::new(to),
        })
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            Projection::Geographic => None,
            Projection::Projected { name, .. } => Some(name),
        }
    }

    /// A coordinate in WGS-84 degrees.
    pub fn to_wgs84(&self, c: Coord) -> Result<Coord, Text> {
        match self {
            Projection::Geographic => Ok(c),
            Projection::Projected { from, to, .. } => {
                let mut point = Point3(c.x, c.y, 0.0);
                proj4rs::transform::transform(from, to, &mut point).map_err(|error| {
                    Text::new(
                        format!("({}, {}) 无法转换：{error}", c.x, c.y),
                        format!("({}, {}) cannot be converted: {error}", c.x, c.y),
                    )
                })?;
                let (lon, lat) = (point.0.to_degrees(), point.1.to_degrees());
                if !lon.is_finite() || !lat.is_finite() || lat.abs() > 90.0 {
                    return Err(Text::new(
                        format!("({}, {}) 落在地球之外", c.x, c.y),
                        format!("({}, {}) falls outside the earth", c.x, c.y),
                    ));
                }
                Ok(geo::coord! { x: lon, y: lat })
            }
        }
    }
}

struct Point3(f64, f64, f64);

impl proj4rs::transform::Transform for Point3 {
    fn transform_coordinates<F: proj4rs::transform::TransformClosure>(
        &mut self,
        f: &mut F,
    ) -> proj4rs::errors::Result<()> {
        let (x, y, z) = f(self.0, self.1, self.2)?;
        *self = Point3(x, y, z);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GDAL's .prj for EPSG:4544 (CGCS2000 / 3-degree Gauss–Krüger CM 105E).
    const GK_105: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_105E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn a_gauss_kruger_zone_is_inverted_to_wgs84() {
        let projection = Projection::from_prj(GK_105).expect("supported");
        // On the central meridian (scale 1) the easting is the false easting and the
        // northing the meridian arc: 3 275 773.77 m to 29.6°N on the CGCS2000 ellipsoid
        // (integrated numerically); 1 cm is 1e-7°.
        let c = projection
            .to_wgs84(geo::coord! { x: 500_000.0, y: 3_275_773.765 })
            .expect("converts");
        assert!((c.x - 105.0).abs() < 1e-9, "{c:?}");
        assert!((c.y - 29.6).abs() < 1e-7, "{c:?}");
    }

    /// GDAL's .prj files for WGS 84 / UTM zone 48N (EPSG:32648) and Web Mercator (EPSG:3857),
    /// and where PROJ (gdaltransform, GDAL 3.6.2) puts 106.5°E 29.6°N in each.
    const UTM_48N: &str = r#"PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const WEB_MERCATOR: &str = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn utm_and_web_mercator_are_inverted_as_proj_does() {
        for (prj, [x, y]) in [
            (UTM_48N, [645_256.747_946_456, 3_275_402.776_446_34]),
            (WEB_MERCATOR, [11_855_525.769_483_6, 3_452_236.500_838_17]),
        ] {
            let projection = Projection::from_prj(prj).expect("supported");
            let c = projection
                .to_wgs84(geo::coord! { x: x, y: y })
                .expect("converts");
            // 1e-7° is about a centimetre.
            assert!(
                (c.x - 106.5).abs() < 1e-7 && (c.y - 29.6).abs() < 1e-7,
                "{:?}: {c:?}",
                projection.name()
            );
        }
    }

    #[test]
    fn an_old_datum_is_refused_with_its_name() {
        let beijing = r#"PROJCS["Beijing_1954_3_Degree_GK_CM_105E",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let error = Projection::from_prj(beijing).expect_err("refused");
        assert!(
            error.en.contains("Beijing_1954_3_Degree_GK_CM_105E")
                && error.zh.contains("Beijing_1954_3_Degree_GK_CM_105E"),
            "{error:?}"
        );
        assert!(Projection::from_prj("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"]]").is_ok());
    }
}
