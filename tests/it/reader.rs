//! The readers against a corpus of bad and tricky inputs of our own making (`tests/data/`,
//! written by `tools/make-bad-inputs.py`): one file per class, each with its expected outcome.

use chengyu_atlas::model::Lang;
use std::path::PathBuf;

use chengyu_atlas::geodata::read::{self, Document};
use geo::Geometry;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Reads a corpus file as a user's file is read: the text (decoded), then GeoJSON.
fn read(name: &str) -> Result<(Document, Option<&'static str>), String> {
    let (text, encoding) = read::read_text(&data(&format!("geojson/{name}")))?;
    read::parse(&text)
        .map(|document| (document, encoding))
        .map_err(String::from)
}

/// The file loads with `features` features, and the problems' text contains each of `said`.
fn loads(name: &str, features: usize, said: &[&str]) -> Document {
    let (document, _) = read(name).unwrap_or_else(|error| panic!("{name}: refused: {error}"));
    assert_eq!(document.features.len(), features, "{name}");
    let lines = document.problems.lines(Lang::En);
    let text = lines.join("\n");
    for words in said {
        assert!(text.contains(words), "{name}: `{words}` not in\n{text}");
    }
    // Each is said in Chinese too: the frame and the kind, not the English again.
    for (english, chinese) in lines.iter().zip(document.problems.lines(Lang::Zh)) {
        assert!(
            chinese != *english && chinese.contains("要素"),
            "{name}: not in Chinese: {chinese}"
        );
    }
    if said.is_empty() {
        assert!(document.problems.is_empty(), "{name}: {text}");
    }
    document
}

/// The file is refused with a message containing each of `said` and no Rust type name.
fn refused(name: &str, said: &[&str]) {
    let error = match read(name) {
        Ok((document, _)) => panic!("{name}: loaded {} features", document.features.len()),
        Err(error) => error,
    };
    for words in said {
        assert!(error.contains(words), "{name}: `{words}` not in: {error}");
    }
    for rust in ["Deserialize", "struct ", "serde", "invalid type: map"] {
        assert!(!error.contains(rust), "{name}: speaks Rust: {error}");
    }
}

#[test]
fn a_bad_position_costs_only_its_feature_and_is_named_with_its_line() {
    loads(
        "short-position.geojson",
        1,
        &[
            "feature 0 (id bad, line",
            "a position has fewer than two numbers",
        ],
    );
    loads(
        "empty-position.geojson",
        1,
        &["id bad", "a position has fewer than two numbers"],
    );
    loads(
        "huge-numbers.geojson",
        1,
        &["id huge", "not a longitude/latitude"],
    );
    loads(
        "beyond-double.geojson",
        1,
        &["id beyond", "too large a number"],
    );
    loads(
        "out-of-range.geojson",
        1,
        &[
            "2 features: a position is not a longitude/latitude",
            "id east",
            "id north",
        ],
    );
    loads(
        "unclosed-ring.geojson",
        1,
        &["id open", "does not end where it starts"],
    );
    loads(
        "wrong-types.geojson",
        1,
        &[
            "feature 0 (line",
            "feature 1 (line",
            "coordinate is not a number",
            "unknown type",
        ],
    );
}

#[test]
fn thousands_of_bad_features_make_one_line() {
    let document = loads(
        "many-bad-features.geojson",
        1,
        &["1 203 features: a position has fewer than two numbers — first: feature 0 (id b0"],
    );
    assert_eq!(
        document
            .problems
            .lines(chengyu_atlas::model::Lang::En)
            .len(),
        1
    );
    assert_eq!(document.problems.feature_count(), 1203);
}

#[test]
fn every_valid_kind_of_geojson_loads() {
    loads("root-feature.geojson", 1, &[]);
    loads("root-geometry.geojson", 1, &[]);
    let numeric = loads("numeric-id.geojson", 1, &[]);
    assert_eq!(numeric.features[0].id(), Some("5001".into()));
    let unlocated = loads("null-geometry.geojson", 2, &[]);
    assert_eq!(
        unlocated.features[0].geometry, None,
        "kept, without a place"
    );
    let parts = loads("empty-multipolygon-part.geojson", 1, &[]);
    assert!(
        matches!(&parts.features[0].geometry, Some(Geometry::MultiPolygon(m)) if m.0.len() == 1)
    );
    loads("utf8-bom.geojson", 1, &[]);
    loads("crs-crs84.geojson", 1, &[]);
    loads("extra-dimensions-foreign-members.geojson", 1, &[]);
    loads("geometry-collection.geojson", 1, &[]);
    let ogc = loads("ogc-invalid-polygons.geojson", 3, &[]);
    assert!(
        ogc.features.iter().all(|f| f.geometry.is_some()),
        "drawn as written"
    );
    loads("sequence.geojsonl", 2, &["a record is not valid JSON"]);
    loads("rs-sequence.geojsons", 2, &[]);
    let long = loads("long-name.geojson", 1, &[]);
    assert_eq!(long.features[0].id().map(|id| id.len()), Some(1_000_000));
}

#[test]
fn encodings_are_read_and_said_or_refused_with_what_to_do() {
    let (_, utf16) = read("utf16.geojson").expect("utf-16");
    assert_eq!(utf16, Some("UTF-16 (little-endian)"));
    let (gbk, encoding) = read("gbk.geojson").expect("gbk");
    assert_eq!(encoding, Some("GBK/GB18030"));
    assert_eq!(gbk.features[0].text("name"), Some("沙坪坝区"));
    refused(
        "latin1.geojson",
        &["neither UTF-8, UTF-16 nor GBK", "save it as UTF-8"],
    );
}

#[test]
fn files_that_are_not_geojson_are_refused_in_plain_words() {
    refused(
        "crs-metres.geojson",
        &["EPSG::3857", "metres", "longitude/latitude"],
    );
    refused(
        "not-json.geojson",
        &["line 3, column 22", "expected a comma or }"],
    );
    refused(
        "truncated.geojson",
        &["line 1", "ends before the JSON is complete"],
    );
    // Properties are read when first needed: the feature is then refused, saying why.
    let surrogate = loads("lone-surrogate.geojson", 1, &[]);
    let error = surrogate.features[0].properties().expect_err("not text");
    assert!(error.en.contains("lone surrogate"), "{error:?}");
    assert!(error.zh.contains("孤立的代理项"), "{error:?}");
    loads("deep-nesting.geojson", 0, &["nest too deeply"]);
    // A million open brackets: an answer, not a stack overflow.
    refused(
        "open-brackets.geojson",
        &["ends before the JSON is complete"],
    );
    refused("not-geojson.geojson", &["no `type`", "not GeoJSON"]);
    refused("empty.geojson", &["empty"]);
}

#[test]
fn toml_mistakes_are_told_where_they_are_in_characters() {
    let content = |name: &str| {
        let text = std::fs::read_to_string(data(&format!("toml/{name}"))).expect("read");
        chengyu_atlas::geodata::parse_content(name, &text)
            .expect_err(name)
            .to_string()
    };
    let unterminated = content("content-unterminated-string.toml");
    assert!(
        unterminated.contains("line 4") && unterminated.contains("string is not closed"),
        "{unterminated}"
    );
    let wrong = content("content-wrong-type.toml");
    assert!(wrong.contains("line 2, column 6"), "{wrong}");
    // The column counts characters, as an editor does, on a Chinese line.
    let chinese = content("content-chinese-column.toml");
    assert!(chinese.contains("line 4, column 17"), "{chinese}");
    let tour = |name: &str| {
        let text = std::fs::read_to_string(data(&format!("toml/{name}"))).expect("read");
        chengyu_atlas::tour::parse(&text, name)
            .expect_err(name)
            .to_string()
    };
    assert!(tour("tour-nan-duration.toml").contains("stop 1: duration = NaN"));
    assert!(tour("tour-negative-duration.toml").contains("stop 1: duration = -5"));
    assert!(tour("tour-view-off-the-world.toml").contains("stop 1: view ="));
    assert!(tour("tour-no-stops.toml").contains("at least one [[stop]]"));
    assert!(tour("tour-too-many-stops.toml").contains("at most 1000 stops"));
}

/// In a data folder, a bad layer file names itself and its features' problems; the other
/// layers load, and the atlas's bounds come from accepted features only.
#[test]
fn a_bad_layer_in_a_data_folder_costs_only_its_bad_features() {
    let dir = crate::common::data_copy("reader-layer");
    let platforms = dir.join("platforms.geojson");
    let mut text = std::fs::read_to_string(&platforms).expect("read");
    let at = text
        .find("\"coordinates\": [")
        .or_else(|| text.find("\"coordinates\":["))
        .expect("a point");
    let open = at + text[at..].find('[').expect("[");
    text.insert_str(open + 1, "1e300, 95, ");
    std::fs::write(&platforms, text).expect("write");
    let loaded = chengyu_atlas::geodata::load(&chengyu_atlas::geodata::DataSource::Dir(dir));
    let said: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("platforms.geojson") && said[0].contains("not a longitude/latitude"));
    let platforms = loaded
        .atlas
        .layer(chengyu_atlas::LayerId::Platforms)
        .expect("layer");
    assert_eq!(platforms.features.len(), 90, "the other 90 platforms load");
    let bounds = loaded.atlas.bounds().expect("bounds");
    assert!(
        bounds.max().x < 120.0 && bounds.max().y < 45.0,
        "{bounds:?}"
    );
}

/// A layer in the wrong place (here the platforms moved to Europe) loads, with a warning.
#[test]
fn a_layer_far_from_the_region_loads_with_a_warning() {
    let dir = crate::common::data_copy("reader-far");
    let platforms = dir.join("platforms.geojson");
    let text = std::fs::read_to_string(&platforms).expect("read");
    let moved = text.replace("\"coordinates\": [10", "\"coordinates\": [1");
    assert_ne!(moved, text, "the points moved");
    std::fs::write(&platforms, moved).expect("write");
    let loaded = chengyu_atlas::geodata::load(&chengyu_atlas::geodata::DataSource::Dir(dir));
    let said: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert!(
        said.iter()
            .any(|p| p.contains("platforms.geojson") && p.contains("lies far from")),
        "{said:?}"
    );
    assert_eq!(
        loaded
            .atlas
            .layer(chengyu_atlas::LayerId::Platforms)
            .map(|l| l.features.len()),
        Some(91)
    );
}
