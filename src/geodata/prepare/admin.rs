//! The administrative layers: provinces and Sichuan prefectures dissolved from their units, and
//! the place names.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use geo::{Geometry, MultiPolygon, Point};
use serde_json::json;

use super::topology::{dissolve_units, interior_label, make_valid};
use super::units::{Unit, label_point, point_to_wgs84, to_wgs84};
use super::{OutFeature, props};
use crate::geodata::DataError;
use crate::geodata::geojson_io::{self, as_multipolygon};
use crate::geodata::names::english;
use crate::model::Text;

pub(super) struct Built {
    pub(super) features: Vec<OutFeature>,
    /// (name_zh, label point) for the place layer.
    pub(super) labels: Vec<(String, String, Point)>,
}

pub(super) fn provinces(
    sources: &Path,
    chongqing: &[Unit],
    sichuan: &[Unit],
) -> Result<Built, DataError> {
    let path = sources.join("china-provinces-nearby.geojson");
    let origin = path.display().to_string();
    let collection = geojson_io::read_collection(&path)?;
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for feature in &collection.features {
        let name = feature.text("name").ok_or_else(|| {
            DataError::new(
                &origin,
                Text::new("有省份没有名称", "a province has no name"),
            )
        })?;
        let adcode = feature.text("adcode").unwrap_or_default();
        let (shape, rank, role) = match name {
            // The two provinces of the atlas are dissolved from their units, so that their
            // outlines meet the county boundaries exactly.
            "四川" => (dissolve_units(sichuan.iter().map(|u| &u.shape)), 1, "focus"),
            "重庆" => (
                dissolve_units(chongqing.iter().map(|u| &u.shape)),
                1,
                "focus",
            ),
            _ => {
                let shape = feature
                    .geometry
                    .clone()
                    .and_then(as_multipolygon)
                    .ok_or_else(|| {
                        DataError::new(&origin, super::not_a("多边形", "polygon", name))
                    })?;
                (make_valid(&to_wgs84(&shape)), 2, "context")
            }
        };
        let name_en = english(name, true).0;
        labels.push((name.to_string(), name_en.clone(), interior_label(&shape)));
        features.push((
            props(&[
                ("id", json!(adcode)),
                ("name_zh", json!(name)),
                ("name_en", json!(name_en)),
                ("rank", json!(rank)),
                ("role", json!(role)),
            ]),
            Geometry::MultiPolygon(shape),
        ));
    }
    Ok(Built { features, labels })
}

pub(super) fn prefectures(sources: &Path, sichuan: &[Unit]) -> Result<Built, DataError> {
    // Label points (the city seats) come from the prefecture file; outlines are dissolved from
    // the counties so that the two layers agree.
    let path = sources.join("sichuan-prefectures.geojson");
    let collection = geojson_io::read_collection(&path)?;
    let seats: HashMap<&str, (String, Point)> = collection
        .features
        .iter()
        .filter_map(|feature| {
            Some((
                feature.text("name")?,
                (
                    feature.text("adcode")?.to_string(),
                    point_to_wgs84(label_point(feature)?),
                ),
            ))
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<&MultiPolygon>> = BTreeMap::new();
    for unit in sichuan {
        if let Some(prefecture) = &unit.prefecture_zh {
            groups.entry(prefecture).or_default().push(&unit.shape);
        }
    }
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (name, shapes) in groups {
        let (adcode, seat) = seats.get(name).cloned().ok_or_else(|| {
            DataError::new(
                &path.display().to_string(),
                Text::new(
                    format!("没有名为 {name} 的地级行政区"),
                    format!("no prefecture named {name}"),
                ),
            )
        })?;
        let (name_en, label_en) = english(name, true);
        labels.push((name.to_string(), label_en, seat));
        features.push((
            props(&[
                ("id", json!(adcode)),
                ("name_zh", json!(name)),
                ("name_en", json!(name_en)),
                ("province", json!("四川省")),
            ]),
            Geometry::MultiPolygon(dissolve_units(shapes)),
        ));
    }
    Ok(Built { features, labels })
}

pub(super) fn places(
    _sources: &Path,
    provinces: &Built,
    prefectures: &Built,
    units: &[&Unit],
) -> Result<Vec<OutFeature>, DataError> {
    let mut features = Vec::new();
    let mut place = |id: String, name_zh: &str, name_en: &str, class: &str, rank: u8, at: Point| {
        features.push((
            props(&[
                ("id", json!(id)),
                ("name_zh", json!(name_zh)),
                ("name_en", json!(name_en)),
                ("class", json!(class)),
                ("rank", json!(rank)),
            ]),
            Geometry::Point(at),
        ));
    };
    for (name_zh, name_en, at) in &provinces.labels {
        place(
            format!("province-{name_en}"),
            name_zh,
            name_en,
            "province",
            1,
            *at,
        );
    }
    if let Some(yuzhong) = units.iter().find(|unit| unit.name_zh == "渝中区") {
        place(
            "city-chongqing".into(),
            "重庆",
            "Chongqing",
            "city",
            1,
            yuzhong.label_point,
        );
    }
    for (name_zh, label_en, at) in &prefectures.labels {
        let rank = if name_zh == "成都市" { 1 } else { 2 };
        let short_zh = name_zh.strip_suffix('市').unwrap_or(name_zh);
        place(
            format!("city-{label_en}"),
            short_zh,
            label_en,
            "city",
            rank,
            *at,
        );
    }
    for unit in units {
        place(
            format!("county-{}", unit.adcode),
            &unit.name_zh,
            &unit.label_en,
            "county",
            3,
            unit.label_point,
        );
    }
    Ok(features)
}
