//! The administrative units read from the echarts sources: converted to WGS-84, renamed where
//! renamed since, named in English, and marked with their membership of the economic circle.

use std::path::Path;

use geo::{Coord, MapCoords, MultiPolygon, Point};

use super::membership::{Corridor, Lists};
use super::topology::make_valid;
use crate::coordinates::datum::gcj02_to_wgs84;
use crate::geodata::DataError;
use crate::geodata::geojson_io::{self, as_multipolygon};
use crate::geodata::names::english;
use crate::geodata::read::RawFeature;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Membership {
    Member,
    Partial,
    Outside,
}

impl Membership {
    pub(super) fn key(self) -> &'static str {
        match self {
            Membership::Member => "member",
            Membership::Partial => "partial",
            Membership::Outside => "outside",
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) adcode: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) label_en: String,
    pub(super) province_zh: String,
    pub(super) prefecture_zh: Option<String>,
    pub(super) shape: MultiPolygon,
    pub(super) label_point: Point,
    pub(super) corridor: Membership,
}

pub(super) fn to_wgs84(shape: &MultiPolygon) -> MultiPolygon {
    shape.map_coords(|c| {
        let (x, y) = gcj02_to_wgs84(c.x, c.y);
        Coord { x, y }
    })
}

pub(super) fn point_to_wgs84(point: Point) -> Point {
    let (x, y) = gcj02_to_wgs84(point.x(), point.y());
    Point::new(x, y)
}

pub(super) fn label_point(feature: &RawFeature) -> Option<Point> {
    let values = feature.property("label_point")?.as_array()?;
    Some(Point::new(
        values.first()?.as_f64()?,
        values.get(1)?.as_f64()?,
    ))
}

fn renamed(name: &str, adcode: &str, lists: &Lists) -> (String, String) {
    lists
        .renamed
        .iter()
        .find(|renamed| renamed.old == name)
        .map(|renamed| (renamed.new.clone(), renamed.adcode.clone()))
        .unwrap_or_else(|| (name.to_string(), adcode.to_string()))
}

pub(super) fn read_units(
    path: &Path,
    province_zh: &str,
    lists: &Lists,
) -> Result<Vec<Unit>, DataError> {
    let origin = path.display().to_string();
    let collection = geojson_io::read_collection(path)?;
    let mut units = Vec::new();
    for (index, feature) in collection.features.iter().enumerate() {
        let problem = |zh: &str, en: &str| {
            DataError::new(
                &origin,
                crate::model::Text::new(
                    format!("要素 {index}：{zh}"),
                    format!("feature {index}: {en}"),
                ),
            )
        };
        let name = feature
            .text("name")
            .ok_or_else(|| problem("没有名称", "no name"))?;
        let adcode = feature
            .text("adcode")
            .ok_or_else(|| problem("没有 adcode", "no adcode"))?;
        let shape = feature
            .geometry
            .clone()
            .and_then(as_multipolygon)
            .ok_or_else(|| problem("不是多边形", "not a polygon"))?;
        let label =
            label_point(feature).ok_or_else(|| problem("没有 label_point", "no label_point"))?;
        let (name_zh, adcode) = renamed(name, adcode, lists);
        let (name_en, label_en) = english(&name_zh, false);
        let prefecture_zh = feature.text("prefecture").map(str::to_string);
        let corridor = membership(&name_zh, prefecture_zh.as_deref(), &lists.corridor);
        units.push(Unit {
            adcode,
            name_zh,
            name_en,
            label_en,
            province_zh: province_zh.to_string(),
            prefecture_zh,
            shape: make_valid(&to_wgs84(&shape)),
            label_point: point_to_wgs84(label),
            corridor,
        });
    }
    Ok(units)
}

fn membership(name_zh: &str, prefecture_zh: Option<&str>, corridor: &Corridor) -> Membership {
    let listed = |list: &[String], name: &str| list.iter().any(|item| item == name);
    match prefecture_zh {
        None if listed(&corridor.chongqing, name_zh) => Membership::Member,
        None if listed(&corridor.partial, name_zh) => Membership::Partial,
        None => Membership::Outside,
        Some(city)
            if listed(&corridor.sichuan_cities, city)
                && !listed(&corridor.sichuan_excluded, name_zh) =>
        {
            Membership::Member
        }
        Some(_) => Membership::Outside,
    }
}
