//! The zones: the economic circle dissolved from its members, the units only partly in it, the
//! science city and its core and districts from the hand-drawn outlines clipped to their
//! administrative districts, and the other innovation areas as points.

use std::path::Path;

use geo::orient::Direction;
use geo::{BooleanOps, Geometry, MultiPolygon, Orient};
use serde_json::{Value, json};

use super::membership::Lists;

use super::topology::{SLIVER_KM2, clean, dissolve, dissolve_units, without_slivers};
use super::units::{Membership, Unit};
use super::{OutFeature, props};
use crate::geodata::DataError;
use crate::geodata::geojson_io::{self, as_multipolygon};
use crate::model::Text;
use crate::model::measure::area_km2;

fn approximation(sources: &Path, id: &str) -> Result<(MultiPolygon, String, String), DataError> {
    let path = sources.join("approximations.geojson");
    let origin = path.display().to_string();
    let collection = geojson_io::read_collection(&path)?;
    let feature = collection
        .features
        .iter()
        .find(|feature| feature.text("id") == Some(id))
        .ok_or_else(|| {
            DataError::new(
                &origin,
                Text::new(
                    format!("没有 id 为 {id} 的轮廓"),
                    format!("no outline with id {id}"),
                ),
            )
        })?;
    let shape = feature
        .geometry
        .clone()
        .and_then(as_multipolygon)
        .ok_or_else(|| DataError::new(&origin, super::not_a("多边形", "polygon", id)))?;
    let note_zh = feature.text("note_zh").unwrap_or_default().to_string();
    let note_en = feature.text("note_en").unwrap_or_default().to_string();
    Ok((shape.orient(Direction::Default), note_zh, note_en))
}

/// The zones, in the order of `zones.geojson`, and a line per zone for the terminal.
pub(super) fn zones(
    sources: &Path,
    chongqing: &[Unit],
    units: &[&Unit],
    lists: &Lists,
) -> Result<(Vec<OutFeature>, Vec<String>), DataError> {
    let mut lines = Vec::new();
    let mut features = Vec::new();
    corridor_zones(units, lists, &mut features, &mut lines);
    science_city_zones(sources, chongqing, lists, &mut features, &mut lines)?;
    hub_zones(sources, &mut features)?;
    Ok((features, lines))
}

/// The economic circle dissolved from its members, and the units only partly in it.
fn corridor_zones(
    units: &[&Unit],
    lists: &Lists,
    features: &mut Vec<OutFeature>,
    lines: &mut Vec<String>,
) {
    let members: Vec<&&Unit> = units
        .iter()
        .filter(|unit| unit.corridor == Membership::Member)
        .collect();
    let (corridor, slivers) = without_slivers(dissolve(members.iter().map(|u| &u.shape)));
    let corridor_km2 = area_km2(&corridor);
    let sum_km2: f64 = members.iter().map(|u| area_km2(&u.shape)).sum();
    lines.push(format!(
        "corridor members: sum of unit areas {sum_km2:.0} km²"
    ));
    lines.push(format!(
        "corridor: {} member units, {corridor_km2:.0} km², {slivers} slivers under {SLIVER_KM2} km² removed",
        members.len()
    ));
    features.push((
        props(&[
            ("id", json!("corridor")),
            ("name_zh", json!("成渝地区双城经济圈")),
            ("name_en", json!("Chengdu–Chongqing Economic Circle")),
            ("label_zh", json!("成渝地区双城经济圈")),
            ("label_en", json!("Chengdu–Chongqing Economic Circle")),
            ("kind", json!("corridor")),
            ("parent", Value::Null),
            ("boundary", json!("administrative")),
            ("source", json!(lists.corridor.source)),
            ("members", json!(members.iter().map(|u| u.name_zh.clone()).collect::<Vec<_>>())),
            ("partial_members", json!(lists.corridor.partial)),
            ("note_zh", json!(format!(
                "由 {} 个成员区县的行政界线合并而成（重庆 27 个区县，四川 15 市中除平武、北川、万源、天全、宝兴外的 {} 个区县）。开州、云阳仅部分地区属于经济圈，纲要未界定范围，故不计入本面，另以“部分纳入”图层表示。川渝两套源数据交界处小于 {SLIVER_KM2} km² 的缝隙已去除。",
                members.len(), members.len() - 27
            ))),
            ("note_en", json!(format!(
                "Dissolved from the administrative boundaries of its {} member units (27 in Chongqing; {} counties of the 15 Sichuan cities, without Pingwu, Beichuan, Wanyuan, Tianquan and Baoxing). Only unspecified parts of Kaizhou and Yunyang belong to the circle; the outline does not say which, so they are left out of this outline and drawn as a separate 'partly included' zone. Gaps under {SLIVER_KM2} km² between the Sichuan and Chongqing source files were removed.",
                members.len(), members.len() - 27
            ))),
        ]),
        Geometry::MultiPolygon(corridor),
    ));

    let partial_units: Vec<&&Unit> = units
        .iter()
        .filter(|unit| unit.corridor == Membership::Partial)
        .collect();
    let partial = dissolve_units(partial_units.iter().map(|u| &u.shape));
    lines.push(format!("corridor-partial: {:.0} km²", area_km2(&partial)));
    features.push((
        props(&[
            ("id", json!("corridor-partial")),
            ("name_zh", json!("开州、云阳（部分纳入）")),
            ("name_en", json!("Kaizhou and Yunyang (partly included)")),
            ("label_zh", json!("开州、云阳（部分）")),
            ("label_en", json!("Kaizhou, Yunyang (part)")),
            ("kind", json!("corridor-partial")),
            ("parent", json!("corridor")),
            ("boundary", json!("approximate")),
            ("members", json!(lists.corridor.partial)),
            ("source", json!(lists.corridor.source)),
            ("note_zh", json!("纲要仅称“开州、云阳的部分地区”，未公布具体范围；此处绘出两区县全境，仅表示其部分地区属于经济圈。")),
            ("note_en", json!("The outline names only 'parts of Kaizhou and Yunyang' and publishes no boundary; the whole of both units is drawn, meaning only that some part of each belongs to the circle.")),
        ]),
        Geometry::MultiPolygon(partial),
    ));
}

/// The science city, its core and its five districts, from the hand-drawn outlines clipped to
/// their administrative districts.
fn science_city_zones(
    sources: &Path,
    chongqing: &[Unit],
    lists: &Lists,
    features: &mut Vec<OutFeature>,
    lines: &mut Vec<String>,
) -> Result<(), DataError> {
    let district = |name: &str| {
        chongqing
            .iter()
            .find(|unit| unit.name_zh == name)
            .map(|unit| &unit.shape)
            .ok_or_else(|| {
                DataError::new(
                    "chongqing-districts.geojson",
                    Text::new(format!("没有{name}"), format!("no {name}")),
                )
            })
    };

    let (outline, science_note_zh, science_note_en) =
        approximation(sources, "science-city-outline")?;
    let (core_outline, core_note_zh, core_note_en) = approximation(sources, "core-outline")?;
    let core_land = dissolve_units(
        lists
            .science_city
            .core_districts
            .iter()
            .map(|name| district(name))
            .collect::<Result<Vec<_>, _>>()?,
    );
    // The core is inside the science city by definition, so its outline is clipped to both.
    let core = clean(core_outline.intersection(&core_land).intersection(&outline))
        .orient(Direction::Default);
    let mut parts = Vec::new();
    for district_zone in &lists.science_city.district {
        let (id, name_zh, name_en, admin) = (
            district_zone.id.as_str(),
            district_zone.name_zh.as_str(),
            district_zone.name_en.as_str(),
            district_zone.admin.as_str(),
        );
        let inside = outline.intersection(district(admin)?);
        let part = clean(inside.difference(&core)).orient(Direction::Default);
        parts.push((id, name_zh, name_en, admin, inside, part));
    }
    let science_city = dissolve_units(parts.iter().map(|p| &p.4));
    let science_km2 = area_km2(&science_city);
    let core_km2 = area_km2(&core);
    lines.push(format!(
        "science-city: {science_km2:.0} km² (published 1 198)"
    ));
    lines.push(format!("core: {core_km2:.1} km² (published 313.5)"));

    features.push((
        props(&[
            ("id", json!("science-city")),
            ("name_zh", json!("西部（重庆）科学城")),
            ("name_en", json!("Western (Chongqing) Science City")),
            ("kind", json!("science-city")),
            ("parent", json!("corridor")),
            ("boundary", json!("approximate")),
            ("published_area_km2", json!(1198)),
            ("launched", json!("2020-09-11")),
            ("note_zh", json!(science_note_zh)),
            ("note_en", json!(science_note_en)),
        ]),
        Geometry::MultiPolygon(science_city),
    ));
    features.push((
        props(&[
            ("id", json!("core")),
            ("name_zh", json!("核心区（重庆高新区直管园）")),
            (
                "name_en",
                json!("Core zone (Chongqing High-tech Zone, directly administered area)"),
            ),
            ("label_zh", json!("核心区")),
            ("label_en", json!("Core zone")),
            ("kind", json!("core")),
            ("parent", json!("science-city")),
            ("boundary", json!("approximate")),
            ("published_area_km2", json!(313.5)),
            ("towns", json!(lists.science_city.core_towns)),
            ("note_zh", json!(core_note_zh)),
            ("note_en", json!(core_note_en)),
        ]),
        Geometry::MultiPolygon(core),
    ));
    for (id, name_zh, name_en, admin, _, part) in parts {
        let km2 = area_km2(&part);
        lines.push(format!(
            "{id}: {km2:.0} km² (science-city part of {admin}, outside the core)"
        ));
        features.push((
            props(&[
                ("id", json!(id)),
                ("name_zh", json!(name_zh)),
                ("name_en", json!(name_en)),
                ("kind", json!("district")),
                ("parent", json!("science-city")),
                ("admin_district", json!(admin)),
                ("boundary", json!("approximate")),
                ("note_zh", json!(format!("科学城近似范围与{admin}行政界线的交集，扣除核心区。{science_note_zh}"))),
                ("note_en", json!(format!("The approximate science-city outline clipped to {admin}'s administrative boundary, minus the core zone. {science_note_en}"))),
            ]),
            Geometry::MultiPolygon(part),
        ));
    }
    Ok(())
}

/// The other innovation areas: points, hand-placed in `sources/hubs.geojson`.
fn hub_zones(sources: &Path, features: &mut Vec<OutFeature>) -> Result<(), DataError> {
    let hubs_path = sources.join("hubs.geojson");
    let hubs_origin = hubs_path.display().to_string();
    for hub in geojson_io::read_collection(&hubs_path)?.features {
        let id = &hub
            .text("id")
            .ok_or_else(|| {
                DataError::new(&hubs_origin, Text::new("有枢纽没有 id", "a hub has no id"))
            })?
            .to_string();
        let point = hub
            .geometry
            .clone()
            .and_then(geojson_io::as_point)
            .ok_or_else(|| DataError::new(&hubs_origin, super::not_a("点", "point", id)))?;
        let mut properties = hub
            .properties()
            .map_err(|problem| {
                DataError::new(
                    &hubs_origin,
                    Text::new(
                        format!("{id}：{}", problem.zh),
                        format!("{id}: {}", problem.en),
                    ),
                )
            })?
            .clone();
        properties.insert("kind".into(), json!("hub"));
        properties.insert("parent".into(), json!("corridor"));
        properties.insert("boundary".into(), json!("approximate"));
        features.push((properties, Geometry::Point(point)));
    }
    Ok(())
}
