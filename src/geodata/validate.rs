//! `chengyu-atlas validate`: every check on the geodata, every problem listed (not just the
//! first), feature counts per layer and the area of every zone.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{BooleanOps, Line, LineString, MultiPolygon, Polygon};
use rstar::{RTree, RTreeObject, primitives::GeomWithData};
use serde_json::{Value, json};

use super::{DataError, DataSource};
use crate::model::measure::{area_km2, metres_to};
use crate::model::{Atlas, Boundary, LayerId, Shape, Text};

/// Overlaps and overhangs smaller than this are rounding of the committed coordinates (1e-6°).
pub const TOLERANCE_KM2: f64 = 0.05;

#[derive(Debug, Clone)]
pub struct ZoneArea {
    pub id: String,
    pub name_zh: String,
    pub kind: String,
    pub boundary: Boundary,
    pub area_km2: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub layers: Vec<(LayerId, usize)>,
    pub zones: Vec<ZoneArea>,
    pub problems: Vec<DataError>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn zone(&self, id: &str) -> Option<&ZoneArea> {
        self.zones.iter().find(|zone| zone.id == id)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "ok": self.is_ok(),
            "layers": self.layers.iter().map(|(layer, count)| json!({"layer": layer.key(), "features": count})).collect::<Vec<_>>(),
            "zones": self.zones.iter().map(|zone| json!({
                "id": zone.id,
                "name_zh": zone.name_zh,
                "kind": zone.kind,
                "boundary": zone.boundary.key(),
                "area_km2": (zone.area_km2 * 10.0).round() / 10.0,
            })).collect::<Vec<_>>(),
            "problems": self.problems.iter().map(|p| json!({"file": p.origin, "problem": p.problem})).collect::<Vec<_>>(),
        })
    }

    pub fn to_text(&self) -> String {
        let mut out = String::from("layer            features\n");
        for (layer, count) in &self.layers {
            out.push_str(&format!("{:<16} {count:>8}\n", layer.key()));
        }
        out.push_str("\nzone               area km²  boundary\n");
        for zone in &self.zones {
            out.push_str(&format!(
                "{:<18} {:>9.1}  {}  {}\n",
                zone.id,
                zone.area_km2,
                zone.boundary.key(),
                zone.name_zh
            ));
        }
        if self.problems.is_empty() {
            out.push_str("\nno problems found\n");
        } else {
            out.push_str(&format!("\n{} problem(s):\n", self.problems.len()));
            for problem in &self.problems {
                out.push_str(&format!("- {problem}\n"));
            }
        }
        out
    }
}

/// Runs every check on the data in `source`.
pub fn validate(source: &DataSource) -> Report {
    let loaded = super::load(source);
    let mut problems = loaded.problems;
    problems.extend(geometry_problems(&loaded.atlas));
    problems.extend(zone_problems(&loaded.atlas));
    // Without content.toml, every reference to it would be reported again as unknown.
    if loaded.content_read {
        problems.extend(content_problems(&loaded.atlas));
    }
    for layer in LayerId::ALL.into_iter().chain([LayerId::Boundaries]) {
        if loaded
            .atlas
            .layer(layer)
            .is_none_or(|l| l.features.is_empty())
        {
            problems.push(DataError::new(
                layer.key(),
                Text::new("图层缺失或为空", "layer is missing or empty"),
            ));
        }
    }
    Report {
        layers: loaded
            .atlas
            .layers()
            .iter()
            .map(|layer| (layer.id, layer.features.len()))
            .collect(),
        zones: zone_areas(&loaded.atlas),
        problems,
    }
}

fn geometry_problems(atlas: &Atlas) -> Vec<DataError> {
    let mut problems = Vec::new();
    for (_, feature) in atlas.features() {
        if let Shape::Area(shape) = &feature.shape {
            for (part, polygon) in shape.iter().enumerate() {
                for problem in polygon_problems(polygon) {
                    problems.push(DataError::new(
                        &feature_origin(&feature),
                        Text::new(
                            format!("第 {part} 部分：{}", problem.zh),
                            format!("part {part}: {}", problem.en),
                        ),
                    ));
                }
            }
        }
    }
    problems
}

/// OGC validity of one polygon: rings with enough distinct, finite points; rings that neither
/// cross nor touch themselves; rings that do not cross each other; holes inside the exterior.
///
/// geo's `Validation` compares every segment with every other, which takes minutes on rings
/// of tens of thousands of points; here segments meet only their R-tree neighbours.
pub fn polygon_problems(polygon: &Polygon) -> Vec<Text> {
    let mut problems = Vec::new();
    let rings: Vec<&LineString> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .collect();
    let role = |index: usize| {
        if index == 0 {
            Text::new("外环", "exterior ring")
        } else {
            Text::new(format!("内环 {}", index - 1), format!("hole {}", index - 1))
        }
    };
    for (index, ring) in rings.iter().enumerate() {
        if ring.coords().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
            let role = role(index);
            problems.push(Text::new(
                format!("{}有非有限坐标", role.zh),
                format!("{} has a non-finite coordinate", role.en),
            ));
        }
        let mut distinct: Vec<(u64, u64)> = ring
            .coords()
            .map(|c| (c.x.to_bits(), c.y.to_bits()))
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 3 {
            let role = role(index);
            problems.push(Text::new(
                format!("{}不同的点少于 3 个", role.zh),
                format!("{} has fewer than 3 distinct points", role.en),
            ));
        }
    }
    if !problems.is_empty() {
        return problems;
    }

    let segments: Vec<GeomWithData<Line, (usize, usize)>> = rings
        .iter()
        .enumerate()
        .flat_map(|(ring, line_string)| {
            line_string
                .lines()
                .enumerate()
                .filter(|(_, line)| line.start != line.end)
                .map(move |(index, line)| GeomWithData::new(line, (ring, index)))
        })
        .collect();
    let tree = RTree::bulk_load(segments);
    let ring_segments: Vec<usize> = rings.iter().map(|ring| ring.lines().count()).collect();
    let mut reported = std::collections::BTreeSet::new();
    for segment in tree.iter() {
        let (ring, index) = segment.data;
        for other in tree.locate_in_envelope_intersecting(&segment.envelope()) {
            let (other_ring, other_index) = other.data;
            if (other_ring, other_index) <= (ring, index) {
                continue; // each pair once
            }
            let Some(meeting) = line_intersection(*segment.geom(), *other.geom()) else {
                continue;
            };
            let problem = if ring == other_ring {
                let count = ring_segments[ring];
                let adjacent = other_index == index + 1 || (index == 0 && other_index + 1 == count);
                match meeting {
                    // Neighbouring segments share their joint; anything more is a spike.
                    LineIntersection::SinglePoint { .. } if adjacent => continue,
                    _ => Text::new(
                        format!("{}在 {} 附近自相接触或自交", role(ring).zh, at(&meeting)),
                        format!(
                            "{} touches or crosses itself near {}",
                            role(ring).en,
                            at(&meeting)
                        ),
                    ),
                }
            } else {
                match meeting {
                    LineIntersection::SinglePoint {
                        is_proper: false, ..
                    } => continue, // a touch
                    _ => Text::new(
                        format!(
                            "{}与{}在 {} 附近相交",
                            role(ring).zh,
                            role(other_ring).zh,
                            at(&meeting)
                        ),
                        format!(
                            "{} and {} cross near {}",
                            role(ring).en,
                            role(other_ring).en,
                            at(&meeting)
                        ),
                    ),
                }
            };
            if reported.insert((ring, other_ring)) {
                problems.push(problem);
            }
        }
    }
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    for (index, hole) in polygon.interiors().iter().enumerate() {
        let inside = hole
            .coords()
            .find(|c| exterior.coordinate_position(*c) != CoordPos::OnBoundary)
            .is_none_or(|c| exterior.coordinate_position(c) == CoordPos::Inside);
        if !inside {
            problems.push(Text::new(
                format!("内环 {index} 在外环之外"),
                format!("hole {index} lies outside the exterior ring"),
            ));
        }
    }
    problems
}

/// A reference to a source that content.toml does not list.
fn unknown_source(what: &str, what_zh: &str, source: &str) -> Text {
    Text::new(
        format!("{what_zh}：未知来源 `{source}`"),
        format!("{what}: unknown source `{source}`"),
    )
}

fn at(meeting: &LineIntersection<f64>) -> String {
    let c = match meeting {
        LineIntersection::SinglePoint { intersection, .. } => *intersection,
        LineIntersection::Collinear { intersection } => intersection.start,
    };
    format!("{:.6}, {:.6}", c.x, c.y)
}

fn feature_origin(feature: &crate::model::Feature) -> String {
    format!("{} {}", feature.id, feature.name.zh)
}

fn admin_district<'a>(atlas: &'a Atlas, name_zh: &str) -> Option<&'a MultiPolygon> {
    atlas
        .layer(LayerId::Counties)?
        .features
        .as_rows()?
        .iter()
        .find(|feature| feature.name.zh == name_zh)
        .and_then(|feature| match &feature.shape {
            Shape::Area(area) => Some(area),
            _ => None,
        })
}

fn area_of(atlas: &Atlas, id: &str) -> Option<MultiPolygon> {
    match &atlas.find(id)?.1.shape {
        Shape::Area(area) => Some(area.clone()),
        _ => None,
    }
}

/// Districts inside their administrative districts; core and districts not overlapping;
/// everything in the science city inside it.
fn zone_problems(atlas: &Atlas) -> Vec<DataError> {
    let mut problems = Vec::new();
    let districts: Vec<(String, MultiPolygon, Option<String>)> = atlas
        .zones()
        .filter_map(|(_, feature)| {
            let zone = feature.zone()?;
            (zone.kind == crate::model::ZoneKind::District).then(|| {
                let Shape::Area(area) = &feature.shape else {
                    return None;
                };
                Some((
                    feature.id.clone(),
                    area.clone(),
                    zone.admin_district.clone(),
                ))
            })?
        })
        .collect();
    for (id, shape, admin) in &districts {
        let Some(admin) = admin else {
            problems.push(DataError::new(
                id,
                Text::new(
                    "分区没有 `admin_district`",
                    "district has no `admin_district`",
                ),
            ));
            continue;
        };
        let Some(admin_shape) = admin_district(atlas, admin) else {
            problems.push(DataError::new(
                id,
                Text::new(
                    format!("找不到行政区 {admin}"),
                    format!("administrative district {admin} not found"),
                ),
            ));
            continue;
        };
        let outside = area_km2(&shape.difference(admin_shape));
        if outside > TOLERANCE_KM2 {
            problems.push(DataError::new(
                id,
                Text::new(
                    format!("有 {outside:.2} km² 在其行政区 {admin} 之外"),
                    format!("{outside:.2} km² lies outside its administrative district {admin}"),
                ),
            ));
        }
    }
    let core = area_of(atlas, "core");
    for (index, (id, shape, _)) in districts.iter().enumerate() {
        if let Some(core) = &core {
            let overlap = area_km2(&shape.intersection(core));
            if overlap > TOLERANCE_KM2 {
                problems.push(DataError::new(
                    id,
                    Text::new(
                        format!("与核心区重叠 {overlap:.2} km²"),
                        format!("overlaps the core zone by {overlap:.2} km²"),
                    ),
                ));
            }
        }
        for (other_id, other, _) in &districts[index + 1..] {
            let overlap = area_km2(&shape.intersection(other));
            if overlap > TOLERANCE_KM2 {
                problems.push(DataError::new(
                    id,
                    Text::new(
                        format!("与 {other_id} 重叠 {overlap:.2} km²"),
                        format!("overlaps {other_id} by {overlap:.2} km²"),
                    ),
                ));
            }
        }
    }
    if let Some(science_city) = area_of(atlas, "science-city") {
        let parts = districts
            .iter()
            .map(|(id, shape, _)| (id.as_str(), shape.clone()))
            .chain(core.iter().map(|core| ("core", core.clone())));
        for (id, shape) in parts {
            let outside = area_km2(&shape.difference(&science_city));
            if outside > TOLERANCE_KM2 {
                problems.push(DataError::new(
                    id,
                    Text::new(
                        format!("有 {outside:.2} km² 在科学城之外"),
                        format!("{outside:.2} km² lies outside the science city"),
                    ),
                ));
            }
        }
    }
    for (_, feature) in atlas.zones() {
        if let Some(parent) = feature.zone().and_then(|zone| zone.parent.as_deref())
            && atlas.find(parent).is_none()
        {
            problems.push(DataError::new(
                &feature.id,
                Text::new(
                    format!("上级 `{parent}` 不存在"),
                    format!("parent `{parent}` does not exist"),
                ),
            ));
        }
    }
    problems
}

/// Every reference in the panel content and the platforms resolves; every platform lies in its
/// zone, or its accuracy radius reaches it; ids are unique.
fn content_problems(atlas: &Atlas) -> Vec<DataError> {
    let content = &atlas.content();
    let mut problems = Vec::new();
    let origin = "content.toml";
    let source_exists = |id: &str| content.source(id).is_some();
    let industry_exists = |id: &str| content.industry(id).is_some();
    let zone_exists = |id: &str| atlas.find(id).is_some_and(|(_, f)| f.zone().is_some());
    let platform_exists = |id: &str| atlas.find(id).is_some_and(|(_, f)| f.platform().is_some());
    let mut check = |ok: bool, origin: &str, what: Text| {
        if !ok {
            problems.push(DataError::new(origin, what));
        }
    };
    for industry in &content.industries {
        if let Some(chain) = &industry.chain {
            check(
                industry_exists(chain),
                origin,
                Text::new(
                    format!("产业 {}：未知产业链 `{chain}`", industry.id),
                    format!("industry {}: unknown chain `{chain}`", industry.id),
                ),
            );
        }
    }
    for zone in &content.zones {
        check(
            zone_exists(&zone.id),
            origin,
            Text::new(
                format!("区域 `{}` 不在 zones.geojson 中", zone.id),
                format!("zone `{}` is not in zones.geojson", zone.id),
            ),
        );
        for fact in zone.positioning.iter().chain(&zone.figures) {
            check(
                source_exists(&fact.source),
                origin,
                unknown_source(
                    &format!("zone {}", zone.id),
                    &format!("区域 {}", zone.id),
                    &fact.source,
                ),
            );
        }
        for cited in &zone.industries {
            check(
                industry_exists(&cited.id),
                origin,
                Text::new(
                    format!("区域 {}：未知产业 `{}`", zone.id, cited.id),
                    format!("zone {}: unknown industry `{}`", zone.id, cited.id),
                ),
            );
            check(
                source_exists(&cited.source),
                origin,
                unknown_source(
                    &format!("zone {}", zone.id),
                    &format!("区域 {}", zone.id),
                    &cited.source,
                ),
            );
        }
        for cited in &zone.carriers {
            check(
                platform_exists(&cited.id),
                origin,
                Text::new(
                    format!("区域 {}：载体 `{}` 不是平台", zone.id, cited.id),
                    format!("zone {}: carrier `{}` is not a platform", zone.id, cited.id),
                ),
            );
            check(
                source_exists(&cited.source),
                origin,
                unknown_source(
                    &format!("zone {}", zone.id),
                    &format!("区域 {}", zone.id),
                    &cited.source,
                ),
            );
        }
    }
    for link in &content.links {
        let name = format!("link {} → {}", link.from, link.to);
        let zh_name = format!("联系 {} → {}", link.from, link.to);
        check(
            zone_exists(&link.from) && zone_exists(&link.to),
            origin,
            Text::new(
                format!("{zh_name}：未知区域"),
                format!("{name}: unknown zone"),
            ),
        );
        for id in std::iter::once(&link.chain).chain(&link.fields) {
            check(
                industry_exists(id),
                origin,
                Text::new(
                    format!("{zh_name}：未知产业 `{id}`"),
                    format!("{name}: unknown industry `{id}`"),
                ),
            );
        }
        check(
            source_exists(&link.source),
            origin,
            unknown_source(&name, &zh_name, &link.source),
        );
    }
    for (_, feature) in atlas.features() {
        let Some(platform) = feature.platform() else {
            continue;
        };
        let origin = format!("platforms.geojson {}", feature.id);
        check(
            crate::model::category::is_category(&platform.category),
            &origin,
            Text::new(
                format!("未知类别 `{}`", platform.category),
                format!("unknown category `{}`", platform.category),
            ),
        );
        for id in &platform.industries {
            check(
                industry_exists(id),
                &origin,
                Text::new(
                    format!("未知产业 `{id}`"),
                    format!("unknown industry `{id}`"),
                ),
            );
        }
        check(
            !platform.sources.is_empty(),
            &origin,
            Text::new("没有来源", "no source"),
        );
        for id in platform
            .sources
            .iter()
            .chain(platform.facts.iter().map(|fact| &fact.source))
        {
            check(
                source_exists(id),
                &origin,
                Text::new(format!("未知来源 `{id}`"), format!("unknown source `{id}`")),
            );
        }
        if let crate::model::PositionSource::Cited(cited) = &platform.position_source {
            check(
                source_exists(&cited.source),
                &origin,
                Text::new(
                    format!("位置来源 `{}` 未列于 content.toml", cited.source),
                    format!(
                        "position source `{}` is not listed in content.toml",
                        cited.source
                    ),
                ),
            );
            // The point drawn is the record's, converted to WGS-84 (unless a user corrected it).
            if let (Shape::Point(point), None) = (&feature.shape, &platform.corrected) {
                let (lon, lat) = cited.datum.to_wgs84(cited.given.x(), cited.given.y());
                let metres = metres_to(geo::Point::new(lon, lat), &Shape::Point(*point));
                check(
                    metres <= 1.0,
                    &origin,
                    Text::new(
                        format!(
                            "位置与所引记录（{}，转换为 WGS-84）相差 {metres:.0} 米",
                            cited.datum.name()
                        ),
                        format!(
                            "position is {metres:.0} m from the cited record's ({}, converted to WGS-84)",
                            cited.datum.name()
                        ),
                    ),
                );
                let county = counties_at(atlas, *point);
                check(
                    county.contains(&cited.county.as_str()),
                    &origin,
                    Text::new(
                        format!(
                            "所引记录称其在{}，而该点在{}",
                            cited.county,
                            county.join("、")
                        ),
                        format!(
                            "the cited record puts it in {}, the point lies in {}",
                            cited.county,
                            county.join(", ")
                        ),
                    ),
                );
            }
        }
        if let Some(zone) = &platform.zone {
            match atlas.find(zone).filter(|(_, f)| f.zone().is_some()) {
                None => check(
                    false,
                    &origin,
                    Text::new(
                        format!("未知区域 `{zone}`"),
                        format!("unknown zone `{zone}`"),
                    ),
                ),
                Some((_, zone_feature)) => {
                    let Shape::Point(point) = feature.shape else {
                        continue;
                    };
                    let slack = zone_feature
                        .zone()
                        .and_then(|zone| zone.accuracy_m)
                        .unwrap_or(0.0);
                    let metres = metres_to(point, &zone_feature.shape);
                    check(
                        metres <= platform.accuracy_m + slack,
                        &origin,
                        Text::new(
                            format!(
                                "距其区域 {zone} {metres:.0} 米，超出其精度 {} 米",
                                platform.accuracy_m
                            ),
                            format!(
                                "{metres:.0} m from its zone {zone}, beyond its accuracy of {} m",
                                platform.accuracy_m
                            ),
                        ),
                    );
                }
            }
        }
    }
    let mut ids: Vec<String> = atlas
        .features()
        .map(|(_, f)| f.into_owned().id)
        .filter(|id| !id.is_empty())
        .collect();
    ids.sort_unstable();
    for pair in ids.windows(2).filter(|pair| pair[0] == pair[1]) {
        problems.push(DataError::new(
            &pair[0],
            Text::new("两个要素用了同一 id", "id used by two features"),
        ));
    }
    problems
}

/// The counties (by Chinese name) whose outline holds `point`.
fn counties_at(atlas: &Atlas, point: geo::Point) -> Vec<&str> {
    use geo::Contains;
    atlas
        .layer(LayerId::Counties)
        .and_then(|layer| layer.features.as_rows())
        .map(|counties| {
            counties
                .iter()
                .filter(|county| match &county.shape {
                    Shape::Area(area) => area.contains(&point),
                    _ => false,
                })
                .map(|county| county.name.zh.as_str())
                .collect()
        })
        .unwrap_or_default()
}

fn zone_areas(atlas: &Atlas) -> Vec<ZoneArea> {
    atlas
        .zones()
        .filter_map(|(_, feature)| {
            let zone = feature.zone()?;
            let Shape::Area(area) = &feature.shape else {
                return None;
            };
            Some(ZoneArea {
                id: feature.id.clone(),
                name_zh: feature.name.zh.clone(),
                kind: zone.kind.key().to_string(),
                boundary: zone.boundary,
                area_km2: area_km2(area),
            })
        })
        .collect()
}

/// Area of an administrative unit by its Chinese name, for the tests and the report.
pub fn admin_area_km2(atlas: &Atlas, name_zh: &str) -> Option<f64> {
    admin_district(atlas, name_zh).map(area_km2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_square_with_a_hole_is_valid() {
        let square = polygon!(
            exterior: [(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.)],
            interiors: [[(x: 1., y: 1.), (x: 2., y: 1.), (x: 2., y: 2.), (x: 1., y: 2.)]],
        );
        assert_eq!(polygon_problems(&square), Vec::<Text>::new());
    }

    #[test]
    fn a_bow_tie_crosses_itself() {
        let bow_tie = polygon![(x: 0., y: 0.), (x: 2., y: 2.), (x: 2., y: 0.), (x: 0., y: 2.)];
        let problems = polygon_problems(&bow_tie);
        assert!(
            problems.iter().any(|p| p.en.contains("crosses itself")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_ring_that_touches_itself_is_reported() {
        // A figure eight through (2, 2).
        let pinched = polygon![
            (x: 0., y: 0.), (x: 2., y: 2.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 2., y: 2.), (x: 0., y: 4.)
        ];
        assert!(!polygon_problems(&pinched).is_empty());
    }

    #[test]
    fn a_hole_outside_its_exterior_is_reported() {
        let stray = polygon!(
            exterior: [(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)],
            interiors: [[(x: 5., y: 5.), (x: 6., y: 5.), (x: 6., y: 6.)]],
        );
        assert!(
            polygon_problems(&stray)
                .iter()
                .any(|p| p.en.contains("outside"))
        );
    }

    #[test]
    fn a_degenerate_ring_is_reported() {
        let line = polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 0., y: 0.)];
        assert!(
            polygon_problems(&line)
                .iter()
                .any(|p| p.en.contains("fewer than 3"))
        );
    }
}
