//! GeoPackage feature tables as layers, against a file GDAL wrote (tests/data/user/
//! science-city.gpkg, by `ogr2ogr -f GPKG` in tools/make-user-layer-fixtures.sh): the
//! platforms in EPSG:4326, the districts in CGCS2000 Gauss–Krüger CM 105E and their outlines
//! as 3D lines in Web Mercator, each read back as the source's features.

use std::path::{Path, PathBuf};

use chengyu_atlas::geodata::user::{self, LayerOptions, LayerSpec, geopackage};
use chengyu_atlas::model::Shape;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/user/science-city.gpkg")
}

fn load(path: &Path) -> user::LoadedLayer {
    user::load(path, &LayerOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The source's features: id → (name, geometry as GeoJSON).
fn source(file: &str) -> Vec<(String, String, serde_json::Value)> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .expect("the source");
    let document: serde_json::Value = serde_json::from_str(&text).expect("GeoJSON");
    document["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            (
                f["properties"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                f["properties"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                f["geometry"].clone(),
            )
        })
        .collect()
}

fn value(layer: &user::LoadedLayer, feature: usize, field: &str) -> String {
    let at = layer
        .info
        .fields
        .iter()
        .position(|f| f == field)
        .unwrap_or_else(|| panic!("no field {field}: {:?}", layer.info.fields));
    (layer.features.value(feature, at))
        .unwrap_or_else(|| panic!("feature {feature} has no {field}"))
        .into_owned()
}

#[test]
fn every_feature_table_is_listed_and_a_file_is_each_of_its_tables() {
    let tables = geopackage::tables(&fixture()).expect("listed");
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["platforms", "districts_gk105", "district_outlines_3857"]
    );
    assert_eq!(tables[1].srs_id, 4544);
    let specs = user::expand(&LayerSpec::new(fixture(), None));
    assert_eq!(specs.len(), 3);
    assert_eq!(user::short_name(&specs[1].path), "districts_gk105");
    assert_eq!(
        user::format_of(&specs[2].path),
        Some(chengyu_atlas::model::user::UserFormat::GeoPackage)
    );
}

#[test]
fn the_platforms_read_back_as_the_source_with_their_fields() {
    let layer = load(&geopackage::table_path(&fixture(), "platforms"));
    let wanted = source("tests/data/user/platforms-source.geojson");
    assert_eq!(layer.features.len(), wanted.len());
    assert!(layer.problems.is_empty(), "{:?}", layer.problems);
    assert_eq!(layer.info.name, "platforms");
    for (i, (id, name, geometry)) in wanted.iter().enumerate() {
        assert_eq!(&value(&layer, i, "id"), id);
        assert_eq!(&value(&layer, i, "name"), name);
        assert_eq!(
            layer.features.get(i).expect("a feature").name.zh,
            *name,
            "named by its name field"
        );
        let Shape::Point(point) = layer.features.get(i).expect("a feature").shape else {
            panic!("a point")
        };
        assert_eq!(
            [point.x(), point.y()],
            [
                geometry["coordinates"][0].as_f64().expect("x"),
                geometry["coordinates"][1].as_f64().expect("y")
            ]
        );
    }
}

#[test]
fn districts_in_gauss_kruger_and_3d_web_mercator_come_back_in_wgs84() {
    let atlas = crate::common::atlas();
    for table in ["districts_gk105", "district_outlines_3857"] {
        let layer = load(&geopackage::table_path(&fixture(), table));
        assert_eq!(layer.features.len(), 5, "{table}");
        assert!(
            layer
                .info
                .notes
                .iter()
                .any(|n| n.en.contains("reprojected from")),
            "{table}: {:?}",
            layer.info.notes
        );
        for (i, feature) in layer.features.iter().enumerate() {
            let id = value(&layer, i, "id");
            let (_, district) = atlas.find(&id).expect("the district");
            let ours = feature.shape.bounding_rect().expect("a box");
            let theirs = district.shape.bounding_rect().expect("a box");
            // Within a metre or so: GDAL's projection there, proj4rs's back.
            for (a, b) in [(ours.min(), theirs.min()), (ours.max(), theirs.max())] {
                assert!(
                    (a.x - b.x).abs() < 1e-5 && (a.y - b.y).abs() < 1e-5,
                    "{table} {id}: {a:?} vs {b:?}"
                );
            }
        }
    }
}

#[test]
fn a_file_that_is_no_geopackage_a_missing_table_and_a_broken_geometry_are_named() {
    let dir = crate::common::fresh_dir("gpkg-bad");
    let text = dir.join("notes.gpkg");
    std::fs::write(&text, "this is not SQLite").expect("write");
    let error = user::load(&text, &LayerOptions::default()).expect_err("not SQLite");
    assert!(
        error
            .problem
            .contains("is not a GeoPackage the atlas can read"),
        "{error}"
    );

    let copy = dir.join("science-city.gpkg");
    std::fs::copy(fixture(), &copy).expect("copy");
    let connection = rusqlite::Connection::open(&copy).expect("open");
    without_triggers(&connection);
    connection
        .execute_batch(
            "UPDATE platforms SET geom = X'4750000100' WHERE id = 'cqu';
             DROP TABLE district_outlines_3857;",
        )
        .expect("break it");
    drop(connection);
    let error = user::load(
        &geopackage::table_path(&copy, "district_outlines_3857"),
        &LayerOptions::default(),
    )
    .expect_err("listed but missing");
    assert!(error.problem.contains("district_outlines_3857"), "{error}");
    let missing = user::load(
        &geopackage::table_path(&copy, "parcels"),
        &LayerOptions::default(),
    )
    .expect_err("no such table");
    assert!(
        missing.problem.contains("has no feature table “parcels”"),
        "{missing}"
    );
    // The broken geometry costs its feature; the others read.
    let layer = load(&geopackage::table_path(&copy, "platforms"));
    let wanted = source("tests/data/user/platforms-source.geojson").len();
    assert_eq!(layer.features.len(), wanted - 1);
    assert_eq!(layer.problems.len(), 1, "{:?}", layer.problems);
}

/// GDAL reads what the atlas reads the same way: ogrinfo counts the same features per table.
#[test]
fn ogrinfo_counts_what_the_atlas_reads() {
    if !crate::common::oracle("ogrinfo", "gdal-bin") {
        return;
    }
    for table in geopackage::tables(&fixture()).expect("listed") {
        let output = std::process::Command::new("ogrinfo")
            .args(["-so", "-ro"])
            .arg(fixture())
            .arg(&table.name)
            .output()
            .expect("ogrinfo");
        let said = String::from_utf8_lossy(&output.stdout);
        let count: usize = said
            .lines()
            .find_map(|l| l.strip_prefix("Feature Count: "))
            .and_then(|n| n.trim().parse().ok())
            .expect("a count");
        let layer = load(&geopackage::table_path(&fixture(), &table.name));
        assert_eq!(layer.features.len(), count, "{}", table.name);
    }
}

/// Given to the window (`--layer FILE.gpkg`), a GeoPackage opens as each of its feature
/// tables, each named after its table.
#[test]
fn a_geopackage_given_to_the_window_opens_each_of_its_tables() {
    let mut harness = crate::common::window_made(None, |_, app| {
        app.with_layer_files(&[LayerSpec::new(fixture(), None)])
    });
    crate::common::wait_for_layers(&mut harness);
    let atlas = harness.state().atlas();
    // Read side by side: in the order they finish.
    let mut names: Vec<&str> = atlas.user_layers().map(|(_, l)| l.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["district_outlines_3857", "districts_gk105", "platforms"]
    );
}

/// ogr2ogr's table of every kind (multi, Z, M, ZM, empty, NULL) reads with Z and M dropped,
/// the empty and NULL said; an envelope that does not hold its geometry is said and the
/// feature kept; an encrypted and a truncated file are named.
#[test]
fn every_kind_of_geometry_reads_and_bad_headers_and_files_are_named() {
    use chengyu_atlas::model::Shape;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/user/geometries.gpkg");
    let layer = load(&path);
    let ids: Vec<String> = (0..layer.features.len())
        .map(|i| value(&layer, i, "id"))
        .collect();
    for id in ["m1", "ml", "mp", "z", "m", "zm"] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
    assert!(!ids.iter().any(|i| i == "empty" || i == "null"), "{ids:?}");
    let notes: Vec<&str> = layer.info.notes.iter().map(|n| n.en.as_str()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("2 features with a NULL or empty geometry")),
        "{notes:?}"
    );
    let rows = layer.features.as_rows().expect("rows");
    let feature = |id: &str| &rows[ids.iter().position(|i| *i == id).expect(id)];
    assert_eq!(
        feature("z").shape,
        Shape::Point(geo::Point::new(106.32, 29.62))
    );
    let Shape::Lines(lines) = &feature("m").shape else {
        panic!("a line")
    };
    assert_eq!(lines.0[0].0[1], geo::coord! { x: 106.33, y: 29.63 });
    let Shape::Area(area) = &feature("mp").shape else {
        panic!("an area")
    };
    assert_eq!(area.0.len(), 2, "both parts of the multipolygon");
    assert!(matches!(feature("zm").shape, Shape::Area(_)));

    // The multiline's envelope (an xy one, in its header) zeroed.
    let dir = crate::common::fresh_dir("gpkg-headers");
    let copy = dir.join("geometries.gpkg");
    std::fs::copy(&path, &copy).expect("copy");
    let connection = rusqlite::Connection::open(&copy).expect("open");
    without_triggers(&connection);
    let mut blob: Vec<u8> = connection
        .query_row("SELECT geom FROM geometries WHERE id = 'ml'", [], |row| {
            row.get(0)
        })
        .expect("the multiline");
    assert_eq!(blob[3] & 0b1110, 0b0010, "an xy envelope");
    blob[8..40].fill(0);
    connection
        .execute("UPDATE geometries SET geom = ?1 WHERE id = 'ml'", [blob])
        .expect("zero the envelope");
    drop(connection);
    let read = load(&copy);
    assert_eq!(
        read.features.len(),
        layer.features.len(),
        "the feature is kept"
    );
    let said: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
    assert!(
        said.iter().any(|s| s.contains("envelope does not hold")),
        "{said:?}"
    );

    // Encrypted (SQLCipher's pages look random from the first byte) and cut in half.
    let encrypted = dir.join("encrypted.gpkg");
    let mut state = 12345u64;
    let noise: Vec<u8> = (0..16_384)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 56) as u8
        })
        .collect();
    std::fs::write(&encrypted, noise).expect("write");
    let error = user::load(&encrypted, &LayerOptions::default()).expect_err("encrypted");
    assert!(error.to_string().contains("encrypted.gpkg"), "{error}");
    let whole = std::fs::read(fixture()).expect("fixture");
    let cut = dir.join("cut.gpkg");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("write");
    for spec in user::expand(&user::LayerSpec::new(&cut, None)) {
        if let Err(error) = user::load(&spec.path, &LayerOptions::default()) {
            assert!(error.to_string().contains("cut.gpkg"), "{error}");
        }
    }
}

/// Drops a GeoPackage's triggers before it is edited here: GDAL's R-tree triggers call
/// SpatiaLite's functions, which plain SQLite lacks.
fn without_triggers(connection: &rusqlite::Connection) {
    let triggers: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .expect("triggers")
        .query_map([], |row| row.get(0))
        .expect("triggers")
        .flatten()
        .collect();
    for trigger in triggers {
        connection
            .execute_batch(&format!("DROP TRIGGER \"{trigger}\""))
            .expect("drop a trigger");
    }
}
