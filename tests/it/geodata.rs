//! The committed geodata: it validates, its areas match the published figures, it is in
//! WGS-84, and the preparation tool reproduces it.

use std::path::{Path, PathBuf};
use std::process::Command;

use chengyu_atlas::geodata::validate::{admin_area_km2, validate};
use chengyu_atlas::geodata::{self, DataSource, files};
use chengyu_atlas::model::{LayerId, Shape};

use crate::common::{atlas, fresh_dir as temp_dir};

fn within(actual: f64, expected: f64, fraction: f64) -> bool {
    (actual - expected).abs() <= expected * fraction
}

#[test]
fn the_built_in_data_validates_without_problems() {
    let report = validate(&DataSource::Embedded);
    assert!(report.is_ok(), "problems:\n{}", report.to_text());
    let count = |layer| {
        report
            .layers
            .iter()
            .find(|(l, _)| *l == layer)
            .map(|(_, n)| *n)
    };
    assert_eq!(
        count(LayerId::Counties),
        Some(221),
        "183 Sichuan counties + 38 Chongqing districts"
    );
    assert_eq!(count(LayerId::Prefectures), Some(21));
    assert_eq!(count(LayerId::Districts), Some(5));
    assert_eq!(count(LayerId::Core), Some(1));
}

#[test]
fn zone_areas_match_the_published_figures() {
    let report = validate(&DataSource::Embedded);
    let area = |id: &str| {
        report
            .zone(id)
            .unwrap_or_else(|| panic!("no zone {id}"))
            .area_km2
    };
    assert!(
        within(area("corridor"), 185_000.0, 0.03),
        "corridor {:.0} km²",
        area("corridor")
    );
    // The published figures: 1 198 km² (CNR, 2020-09-16) and 313.5 km² (the High-tech Zone's
    // 14th five-year plan); the outlines are drawn to them.
    assert!(
        within(area("science-city"), 1_198.0, 0.02),
        "science city {:.0} km²",
        area("science-city")
    );
    assert!(
        within(area("core"), 313.5, 0.02),
        "core {:.1} km²",
        area("core")
    );
    let parts: f64 = [
        "shapingba",
        "jiulongpo",
        "beibei",
        "jiangjin",
        "bishan",
        "core",
    ]
    .into_iter()
    .map(area)
    .sum();
    assert!(
        within(parts, area("science-city"), 0.001),
        "core + five districts {parts:.1} km² ≠ science city"
    );
}

#[test]
fn the_five_administrative_districts_have_their_official_areas() {
    let atlas = atlas();
    for (name, official_km2) in [
        ("沙坪坝区", 396.0),
        ("九龙坡区", 432.0),
        ("北碚区", 755.0),
        ("江津区", 3_200.0),
        ("璧山区", 912.0),
    ] {
        let km2 = admin_area_km2(atlas, name).unwrap_or_else(|| panic!("no {name}"));
        assert!(
            within(km2, official_km2, 0.02),
            "{name}: {km2:.0} km², official {official_km2}"
        );
    }
}

/// The eastern tip of 渝中区 is Chaotianmen, the Jialing–Yangtze confluence, at about
/// 29.566 N, 106.586 E in WGS-84. In the data the tip is a short north–south edge across the
/// river mouth; its longitude must be that of the landmark, its span must hold the landmark's
/// latitude. The echarts source (GCJ-02) has the tip some 470 m further east.
#[test]
fn the_jialing_yangtze_confluence_is_where_wgs84_puts_it() {
    const LANDMARK: (f64, f64) = (106.586, 29.566);
    let east_west_m =
        |lon: f64| (lon - LANDMARK.0).abs() * 111_320.0 * LANDMARK.1.to_radians().cos();
    let tip = |shape: &geo::MultiPolygon| {
        let points: Vec<geo::Coord> = shape
            .iter()
            .flat_map(|p| p.exterior().coords().copied())
            .collect();
        let east = points.iter().map(|c| c.x).fold(f64::MIN, f64::max);
        let at_tip: Vec<f64> = points
            .iter()
            .filter(|c| c.x > east - 0.0005)
            .map(|c| c.y)
            .collect();
        let (south, north) = at_tip
            .iter()
            .fold((f64::MAX, f64::MIN), |(s, n), &y| (s.min(y), n.max(y)));
        (east, south, north)
    };

    let atlas = atlas();
    let yuzhong = atlas
        .layer(LayerId::Counties)
        .and_then(|layer| layer.features.iter().find(|f| f.name.zh == "渝中区"))
        .expect("渝中区");
    let Shape::Area(area) = &yuzhong.shape else {
        panic!("not an area")
    };
    let (east, south, north) = tip(area);
    assert!(
        east_west_m(east) < 200.0,
        "the tip is {:.0} m east or west of Chaotianmen",
        east_west_m(east)
    );
    assert!(
        (south..=north).contains(&LANDMARK.1),
        "the tip spans {south:.4}–{north:.4} N"
    );

    let source = geodata::geojson_io::read_collection(
        &root().join("geodata/sources/chongqing-districts.geojson"),
    )
    .expect("source");
    let raw = source
        .features
        .iter()
        .find(|f| f.text("name") == Some("渝中区"))
        .expect("raw 渝中区");
    let raw = raw
        .geometry
        .clone()
        .and_then(geodata::geojson_io::as_multipolygon)
        .expect("raw shape");
    let (raw_east, _, _) = tip(&raw);
    assert!(
        east_west_m(raw_east) > 400.0,
        "without the datum conversion the tip would be {:.0} m off",
        east_west_m(raw_east)
    );
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The data is derived, not edited: the tool rebuilds the committed files byte for byte.
#[test]
fn the_preparation_tool_reproduces_the_committed_data() {
    let out = temp_dir("prepare");
    let report = geodata::prepare::run(&root().join("geodata/sources"), &out).expect("prepare");
    assert!(
        report
            .lines
            .iter()
            .any(|line| line.starts_with("science-city"))
    );
    for name in files::PREPARED {
        let fresh = std::fs::read(out.join(name)).expect("fresh file");
        let committed = std::fs::read(root().join("geodata").join(name)).expect("committed file");
        assert!(
            fresh == committed,
            "{name} differs from what prepare-geodata writes: re-run it"
        );
    }
}

fn copy_data(to: &Path) {
    for name in files::ALL.into_iter().chain([files::CONTENT]) {
        let target = to.join(name);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(root().join("geodata").join(name), target).expect("copy");
    }
}

#[test]
fn a_broken_and_a_missing_file_are_named_and_the_rest_still_loads() {
    let dir = temp_dir("broken");
    copy_data(&dir);
    std::fs::write(
        dir.join(files::ZONES),
        "{\"type\": \"FeatureCollection\", \"features\": [",
    )
    .expect("write");
    std::fs::remove_file(dir.join(files::RIVERS)).expect("remove");

    let loaded = geodata::load(&DataSource::Dir(dir.clone()));
    let origins: Vec<&str> = loaded.problems.iter().map(|p| p.origin.as_str()).collect();
    assert!(
        origins.iter().any(|o| o.ends_with("zones.geojson")),
        "{:?}",
        loaded.problems
    );
    assert!(
        loaded
            .problems
            .iter()
            .any(|p| p.origin.ends_with("rivers.geojson") && p.problem.contains("missing"))
    );
    assert!(
        loaded
            .atlas
            .layer(LayerId::Counties)
            .is_some_and(|l| l.features.len() == 221)
    );
    assert!(loaded.atlas.layer(LayerId::Core).is_none());
}

#[test]
fn a_feature_without_its_properties_is_skipped_and_reported() {
    let dir = temp_dir("properties");
    copy_data(&dir);
    let zones = std::fs::read_to_string(dir.join(files::ZONES)).expect("read");
    std::fs::write(
        dir.join(files::ZONES),
        zones.replacen("\"kind\":\"core\"", "\"kind\":\"nucleus\"", 1),
    )
    .expect("write");
    let loaded = geodata::load(&DataSource::Dir(dir));
    assert!(
        loaded
            .problems
            .iter()
            .any(|p| p.problem.contains("unknown kind `nucleus`")),
        "{:?}",
        loaded.problems
    );
    assert!(
        loaded
            .atlas
            .layer(LayerId::Districts)
            .is_some_and(|l| l.features.len() == 5)
    );
}

#[test]
fn validate_exits_non_zero_and_lists_every_problem() {
    let dir = temp_dir("validate");
    copy_data(&dir);
    std::fs::write(dir.join(files::RIVERS), "not json").expect("write");
    std::fs::remove_file(dir.join(files::PLACES)).expect("remove");
    let output = Command::new(env!("CARGO_BIN_EXE_chengyu-atlas"))
        .args(["validate", "--json", "--data"])
        .arg(&dir)
        .output()
        .expect("run validate");
    assert!(!output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let problems = report["problems"].as_array().expect("problems");
    let mentions = |file: &str| {
        problems
            .iter()
            .any(|p| p["file"].as_str().is_some_and(|f| f.ends_with(file)))
    };
    assert!(
        mentions("rivers.geojson") && mentions("places.geojson"),
        "{problems:?}"
    );
    assert_eq!(report["ok"], false);
    assert!(
        report["zones"].as_array().is_some_and(|z| z.len() == 9),
        "zone areas are still reported"
    );
}

#[test]
fn an_unclosed_ring_is_reported_and_its_feature_skipped() {
    let dir = temp_dir("unclosed");
    copy_data(&dir);
    let open_square = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"core","name_zh":"核心区","name_en":"Core","kind":"core","boundary":"approximate","note_zh":"近似","note_en":"approximate"},
 "geometry":{"type":"Polygon","coordinates":[[[106.3,29.5],[106.4,29.5],[106.4,29.6],[106.3,29.6]]]}}]}"#;
    std::fs::write(dir.join(files::ZONES), open_square).expect("write");
    let loaded = geodata::load(&DataSource::Dir(dir));
    assert!(
        loaded
            .problems
            .iter()
            .any(|p| p.origin.ends_with("zones.geojson")
                && p.problem.contains("ring 0 is not closed")),
        "{:?}",
        loaded.problems
    );
    assert!(loaded.atlas.layer(LayerId::Core).is_none());
}

#[test]
fn every_platform_lies_in_its_zone_or_within_its_accuracy_of_it() {
    use chengyu_atlas::model::measure::metres_to;
    let atlas = atlas();
    let mut checked = 0;
    for (_, feature) in atlas.features() {
        let Some(platform) = feature.platform() else {
            continue;
        };
        let Shape::Point(point) = feature.shape else {
            panic!("{} is not a point", feature.id)
        };
        let Some(zone_id) = &platform.zone else {
            continue;
        };
        let (_, zone) = atlas
            .find(zone_id)
            .unwrap_or_else(|| panic!("{}: no zone {zone_id}", feature.id));
        let slack = zone.zone().and_then(|z| z.accuracy_m).unwrap_or(0.0);
        let metres = metres_to(point, &zone.shape);
        assert!(
            metres <= platform.accuracy_m + slack,
            "{} is {metres:.0} m from {zone_id}, accuracy {} m",
            feature.id,
            platform.accuracy_m
        );
        checked += 1;
    }
    assert!(checked >= 70, "only {checked} platforms have a zone");
}

/// Every platform says where its point comes from; a cited one names a listed source, is the
/// record's coordinates converted to WGS-84, and lies in the county the record names.
#[test]
fn every_platform_position_names_its_source() {
    use chengyu_atlas::model::{Lang, PositionSource};
    let atlas = atlas();
    let county_at = |point: geo::Point| -> Vec<String> {
        use geo::Contains;
        atlas
            .layer(LayerId::Counties)
            .expect("counties")
            .features
            .iter()
            .filter(|c| matches!(&c.shape, Shape::Area(a) if a.contains(&point)))
            .map(|c| c.name.zh.clone())
            .collect()
    };
    let mut cited = Vec::new();
    let platforms = atlas.layer(LayerId::Platforms).expect("platforms");
    for feature in platforms.features.as_rows().expect("rows") {
        let Some(platform) = feature.platform() else {
            continue;
        };
        let Shape::Point(point) = feature.shape else {
            panic!("{} is not a point", feature.id)
        };
        let said = platform.position_source.describe(atlas.content(), Lang::Zh);
        let PositionSource::Cited(source) = &platform.position_source else {
            assert!(said.contains("示意放置"), "{said}");
            continue;
        };
        let listed = atlas
            .content()
            .source(&source.source)
            .unwrap_or_else(|| panic!("{}: unknown source {}", feature.id, source.source));
        let commit = listed.commit.as_deref().expect("a repository's commit");
        assert!(
            said.contains(&commit[..8]) && said.contains(&source.record),
            "{said}"
        );
        let (lon, lat) = source.datum.to_wgs84(source.given.x(), source.given.y());
        assert!(
            (lon - point.x()).abs() < 1e-5 && (lat - point.y()).abs() < 1e-5,
            "{}: drawn at {point:?}, the record converted is {lon},{lat}",
            feature.id
        );
        assert_eq!(
            county_at(point),
            vec![source.county.clone()],
            "{}",
            feature.id
        );
        assert!(
            platform.accuracy_m <= 1000.0,
            "{}: a cited campus is placed to 1 km",
            feature.id
        );
        cited.push(feature.id.as_str());
    }
    cited.sort_unstable();
    assert_eq!(cited, ["cqu", "scfai", "scu", "uestc"]);
}

/// The doubtful points were not moved: their accuracy covers the other place a source gives.
#[test]
fn doubtful_platforms_cover_both_places() {
    use chengyu_atlas::model::measure::metres_to;
    let atlas = atlas();
    // 重庆医科大学 in cn-university-geocoder; 华为 at 西源大道 beside UESTC's Qingshuihe campus.
    for (id, other) in [
        ("cqmu", geo::Point::new(106.300296, 29.62713)),
        ("huawei-chengdu", geo::Point::new(103.930833, 30.750219)),
    ] {
        let (_, feature) = atlas.find(id).expect(id);
        let platform = feature.platform().expect("a platform");
        let metres = metres_to(other, &feature.shape);
        assert!(
            metres > 2000.0 && metres < platform.accuracy_m,
            "{id}: the other place is {metres:.0} m away, accuracy {}",
            platform.accuracy_m
        );
    }
}

/// A platform without `position_source`, or citing a source not listed, is refused by name.
#[test]
fn validate_refuses_a_platform_without_a_position_source() {
    let dir = crate::common::data_copy("geodata-position-source");
    let platforms = dir.join(files::PLATFORMS);
    let text = std::fs::read_to_string(&platforms).expect("read");
    let broken = text
        .replacen(", \"position_source\": \"seed placement\"", "", 1)
        .replace("\"source\": \"uni-soket-ai\"", "\"source\": \"uni-socket\"")
        .replace("\"county\": \"武侯区\"", "\"county\": \"锦江区\"")
        .replace("\"given\": [106.298917", "\"given\": [106.308917");
    assert_ne!(broken, text);
    std::fs::write(&platforms, broken).expect("write");
    let report = validate(&DataSource::Dir(dir));
    let said = report.to_text();
    assert!(!report.is_ok(), "{said}");
    assert!(said.contains("`position_source`"), "{said}");
    assert!(said.contains("uni-socket"), "{said}");
    // 四川大学 望江校区 is not in 锦江区; 重庆大学's record no longer converts to its point.
    assert!(said.contains("锦江区") && said.contains("武侯区"), "{said}");
    assert!(said.contains("m from the cited record"), "{said}");
}
