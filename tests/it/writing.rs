//! Layers written out ("导出数据… / Export data…", `chengyu-atlas convert`) and read back by
//! other people's readers: GDAL (ogr2ogr to GeoJSON) for every format, openpyxl for the
//! workbook; GCJ-02 asked for, GBK, and paths that cannot be written.

use std::path::{Path, PathBuf};
use std::process::Command;

use chengyu_atlas::coordinates::datum::{Datum, wgs84_to_gcj02};
use chengyu_atlas::geodata::user::write::{DataOptions, TextEncoding, write_data};
use chengyu_atlas::geodata::user::{self, LayerOptions};

use crate::common::{atlas_command, fresh_dir, oracle};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/user")
        .join(name)
}

fn load(path: &Path) -> user::LoadedLayer {
    user::load(path, &LayerOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// What GDAL reads in `path`: its features as GeoJSON (`options`: open options).
fn gdal_features(path: &Path, options: &[&str]) -> Vec<serde_json::Value> {
    let mut command = Command::new("ogr2ogr");
    command.args(["-f", "GeoJSON", "/vsistdout/"]).arg(path);
    for option in options {
        command.args(["-oo", option]);
    }
    let out = command.output().expect("ogr2ogr");
    assert!(
        out.status.success(),
        "ogr2ogr {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).expect("GeoJSON");
    document["features"].as_array().expect("features").clone()
}

fn position(feature: &serde_json::Value) -> (f64, f64) {
    let c = &feature["geometry"]["coordinates"];
    (c[0].as_f64().expect("x"), c[1].as_f64().expect("y"))
}

/// The platforms (GeoJSON by the atlas's source script) written in each format: GDAL reads
/// the same names, categories and positions (to the 7 decimals written) back.
#[test]
fn every_format_written_is_read_by_gdal_as_the_layer() {
    if !oracle("ogr2ogr", "gdal-bin") {
        return;
    }
    let layer = load(&fixture("platforms-source.geojson"));
    let dir = fresh_dir("writing-formats");
    for (name, options) in [
        ("platforms.geojson", &[][..]),
        ("platforms.gpkg", &[]),
        ("platforms.kml", &[]),
        (
            "platforms.csv",
            &[
                "X_POSSIBLE_NAMES=lon",
                "Y_POSSIBLE_NAMES=lat",
                "AUTODETECT_TYPE=YES",
            ],
        ),
    ] {
        let path = dir.join(name);
        let written = write_data(&path, &layer.info, &layer.features, &DataOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written, layer.features.len());
        let read = gdal_features(&path, options);
        assert_eq!(read.len(), layer.features.len(), "{name}");
        for (ours, theirs) in layer.features.iter().zip(&read) {
            let values = &ours.user().expect("a user feature").values;
            let properties = &theirs["properties"];
            let theirs_name = properties["name"]
                .as_str()
                .or_else(|| properties["Name"].as_str())
                .unwrap_or_default();
            assert_eq!(theirs_name, &values[1], "{name}");
            if name != "platforms.kml" {
                // GDAL takes a GeoJSON feature's `id` member as the feature's id.
                let id = properties["id"].as_str().or_else(|| theirs["id"].as_str());
                assert_eq!(id, Some(&values[0]), "{name}");
                assert_eq!(properties["category"], &values[2], "{name}");
            }
            let chengyu_atlas::model::Shape::Point(point) = &ours.shape else {
                panic!("a point")
            };
            let (x, y) = position(theirs);
            assert!(
                (x - point.x()).abs() < 1e-7 && (y - point.y()).abs() < 1e-7,
                "{name}: {x},{y} vs {point:?}"
            );
        }
    }
    // The GeoPackage is valid and has its R-tree, as GDAL sees it.
    validated_by_gdal(&dir.join("platforms.gpkg"));
    let out = Command::new("ogrinfo")
        .arg(dir.join("platforms.gpkg"))
        .args([
            "-q",
            "-sql",
            "SELECT HasSpatialIndex('platforms-source', 'geom')",
        ])
        .output()
        .expect("ogrinfo");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("HasSpatialIndex (Integer) = 1"),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Polygons in a GeoPackage and as a WKT table come back as the same shapes; the workbook is
/// read by openpyxl with its header frozen, numbers typed and the cells the layer has.
#[test]
fn polygons_and_a_workbook_read_back_as_written() {
    let districts = load(&fixture("districts-ogr-wkt.csv"));
    let dir = fresh_dir("writing-polygons");
    let gpkg = dir.join("districts.gpkg");
    write_data(
        &gpkg,
        &districts.info,
        &districts.features,
        &DataOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Through the atlas's own GeoPackage reader: the same shapes.
    let again = load(&gpkg);
    assert_eq!(again.features.len(), districts.features.len());
    for (a, b) in districts.features.iter().zip(&again.features) {
        assert_eq!(
            geo::Area::unsigned_area(&shape_area(&a.shape)),
            geo::Area::unsigned_area(&shape_area(&b.shape))
        );
    }
    if oracle("ogr2ogr", "gdal-bin") {
        validated_by_gdal(&gpkg);
        let read = gdal_features(&gpkg, &[]);
        assert_eq!(read.len(), 5);
        assert_eq!(read[0]["geometry"]["type"], "MultiPolygon");
    }

    let workbook = dir.join("platforms.xlsx");
    let platforms = load(&fixture("platforms-libreoffice.xlsx"));
    write_data(
        &workbook,
        &platforms.info,
        &platforms.features,
        &DataOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Read back by the atlas: the same rows and positions.
    let again = load(&workbook);
    assert_eq!(again.features.len(), platforms.features.len());
    assert_eq!(again.info.fields, platforms.info.fields);
    if !oracle("/usr/bin/python3", "python3-openpyxl") {
        return;
    }
    let script = r#"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
sheet = book.active
rows = [[c.value for c in row] for row in sheet.iter_rows()]
print(json.dumps({"title": sheet.title, "frozen": sheet.freeze_panes, "bold": sheet["A1"].font.b,
                  "rows": rows}, ensure_ascii=False, default=str))
"#;
    let out = Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(&workbook)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(read["title"], "platforms-libreoffice");
    assert_eq!(read["frozen"], "A2", "the header row is frozen");
    assert_eq!(read["bold"], true);
    let rows = read["rows"].as_array().expect("rows");
    assert_eq!(rows[0][3], "经度", "the coordinates in their own columns");
    assert_eq!(rows.len(), 20, "a header and 19 rows");
    // Numbers as numbers, text as text, the date as the text the layer holds.
    assert_eq!(rows[1][0], "cqu");
    assert_eq!(rows[1][3].as_f64(), Some(106.298917));
    assert_eq!(rows[1][6].as_f64(), Some(10.5));
    assert_eq!(rows[1][5], "2019-01-01");
}

/// GDAL's own GeoPackage validator (python3-gdal's validate_gpkg.py, which gdal-bin brings)
/// finds nothing wrong with `path`.
fn validated_by_gdal(path: &Path) {
    let validator =
        Path::new("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py");
    if !validator.exists() {
        assert!(
            std::env::var("CHENGYU_ATLAS_ORACLES").as_deref() != Ok("required"),
            "GDAL's validate_gpkg.py is missing (apt-get install python3-gdal)"
        );
        eprintln!("NOTE: GDAL's validate_gpkg.py is missing: its check is not run");
        return;
    }
    let out = Command::new("/usr/bin/python3")
        .arg(validator)
        .arg(path)
        .output()
        .expect("python3");
    assert!(
        out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
        "{}: {}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn shape_area(shape: &chengyu_atlas::model::Shape) -> geo::MultiPolygon {
    match shape {
        chengyu_atlas::model::Shape::Area(area) => area.clone(),
        other => panic!("{other:?}"),
    }
}

/// `convert --to-datum gcj02`: the name and a column say GCJ-02, the positions are the
/// platforms' converted by the atlas's datum module; GBK asked for is GBK.
#[test]
fn convert_writes_gcj02_when_asked_and_says_so() {
    let dir = fresh_dir("writing-convert");
    let out = atlas_command()
        .arg("convert")
        .arg(fixture("platforms-source.geojson"))
        .arg(dir.join("platforms.csv"))
        .args(["--to-datum", "gcj02", "--encoding", "gbk"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = dir.join("platforms-gcj02.csv");
    assert!(String::from_utf8_lossy(&out.stdout).contains("platforms-gcj02.csv (GCJ-02)"));
    assert!(!dir.join("platforms.csv").exists());
    let bytes = std::fs::read(&written).expect("written");
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad && text.contains("重庆大学"), "GBK");
    let layer = load(&fixture("platforms-source.geojson"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        &headers.iter().collect::<Vec<_>>(),
        &["id", "name", "category", "datum", "lon", "lat"]
    );
    for (record, feature) in reader.records().zip(&layer.features) {
        let record = record.expect("record");
        assert_eq!(&record[3], "GCJ-02");
        let chengyu_atlas::model::Shape::Point(point) = &feature.shape else {
            panic!("a point")
        };
        let (x, y) = wgs84_to_gcj02(point.x(), point.y());
        let (lon, lat): (f64, f64) = (record[4].parse().unwrap(), record[5].parse().unwrap());
        assert!(
            (lon - x).abs() < 1e-7 && (lat - y).abs() < 1e-7,
            "{lon},{lat} vs {x},{y}"
        );
    }
    // Read back as GCJ-02 (the column's name says nothing; the datum is the user's), the
    // positions are the platforms' again, within the converters' round trip.
    let options = LayerOptions {
        datum: Some(Datum::Gcj02),
        ..LayerOptions::default()
    };
    let again = user::load(&written, &options).unwrap_or_else(|e| panic!("{e}"));
    for (a, b) in again.features.iter().zip(&layer.features) {
        let (chengyu_atlas::model::Shape::Point(a), chengyu_atlas::model::Shape::Point(b)) =
            (&a.shape, &b.shape)
        else {
            panic!("points")
        };
        assert!((a.x() - b.x()).abs() < 1e-5 && (a.y() - b.y()).abs() < 1e-5);
    }
    // UTF-8 by default, with the BOM Excel needs.
    let utf8 = dir.join("plain.csv");
    let status = atlas_command()
        .arg("convert")
        .arg(fixture("platforms-source.geojson"))
        .arg(&utf8)
        .output()
        .expect("runs");
    assert!(status.status.success());
    assert!(
        std::fs::read(&utf8)
            .expect("written")
            .starts_with(b"\xEF\xBB\xBF")
    );
}

/// A path that cannot be written, a format not written and a character GBK lacks: each said,
/// and nothing left behind — no file, no temporary file.
#[test]
fn what_cannot_be_written_is_said_and_leaves_nothing() {
    let layer = load(&fixture("platforms-source.geojson"));
    let dir = fresh_dir("writing-refused");
    let missing = dir.join("no such folder").join("platforms.gpkg");
    let error = write_data(
        &missing,
        &layer.info,
        &layer.features,
        &DataOptions::default(),
    )
    .expect_err("no folder");
    assert!(error.contains("platforms.gpkg"), "{error}");
    let error = write_data(
        &dir.join("platforms.shp"),
        &layer.info,
        &layer.features,
        &DataOptions::default(),
    )
    .expect_err("not a format written");
    assert!(
        error.contains(".gpkg") && error.contains(".xlsx"),
        "{error}"
    );
    let mut odd = (layer.info.clone(), layer.features.clone());
    if let chengyu_atlas::model::FeatureKind::User(user) = &mut odd.1.rows_mut()[0].kind {
        user.values.set(1, "🏭 工厂");
    }
    let gbk = DataOptions {
        encoding: TextEncoding::Gbk,
        ..DataOptions::default()
    };
    let error = write_data(&dir.join("odd.csv"), &odd.0, &odd.1, &gbk).expect_err("no GBK code");
    assert!(error.contains("🏭") && error.contains("UTF-8"), "{error}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// In the window: the attribute table filtered to two rows, "导出数据…", Excel chosen, a path
/// typed, "导出": the workbook holds those two rows, and the window says so.
#[test]
fn the_attribute_tables_filtered_rows_are_exported_from_the_window() {
    use egui_kittest::kittest::Queryable;
    let mut harness = crate::common::projects_table_window("writing-window");
    let dir = fresh_dir("writing-window-out");
    let filter = harness.get_by_label("筛选");
    filter.focus();
    filter.type_text("lab");
    harness.run();
    harness.get_by_label("导出数据…").click();
    harness.run();
    harness.get_by_label("属性表筛选出的行（2）");
    harness.get_by_label("格式").click();
    harness.run();
    harness.get_by_label("Excel (.xlsx)").click();
    harness.run();
    let field = harness.get_by_label("保存到");
    field.focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    let target = dir.join("labs");
    harness
        .get_by_label("保存到")
        .type_text(&target.display().to_string());
    harness.run();
    harness.get_by_label("导出").click();
    // Written on a thread: the window goes on meanwhile (a spinner turns), then says what
    // it wrote.
    crate::common::wait_until("the export said", || {
        harness.step();
        harness.query_by_label_contains("已导出").is_some()
    });
    let written = dir.join("labs.xlsx");
    let read = load(&written);
    let names: Vec<String> = read.features.iter().map(|f| f.name.zh.clone()).collect();
    assert_eq!(names, ["甲项目", "丙项目"]);
    assert!(
        harness.query_by_label_contains("已导出 2 个要素").is_some(),
        "the window says what it wrote"
    );
}
