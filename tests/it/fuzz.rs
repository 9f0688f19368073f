//! Property tests of the readers: real GeoJSON and TOML files, truncated, with bytes flipped,
//! slices spliced in elsewhere and slices duplicated. Whatever comes of it, the reader does not
//! panic, and either loads or says what is wrong naming the file. 2 000 cases per reader here
//! (seconds); `CHENGYU_FUZZ_CASES=200000 cargo test --release fuzz` runs more.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use chengyu_atlas::geodata::{self, read};

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Flip(Index, u8),
    Splice { from: Index, len: usize, to: Index },
    Duplicate { from: Index, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(from, len, to)| Mutation::Splice { from, len, to }),
        (any::<Index>(), 1usize..200).prop_map(|(from, len)| Mutation::Duplicate { from, len }),
    ]
}

fn mutate(source: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = source.to_vec();
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        match mutation {
            Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
            Mutation::Flip(at, byte) => {
                let at = at.index(bytes.len());
                bytes[at] = *byte;
            }
            Mutation::Splice { from, len, to } => {
                let from = from.index(bytes.len());
                let slice = bytes[from..(from + len).min(bytes.len())].to_vec();
                let to = to.index(bytes.len());
                bytes.splice(to..to, slice);
            }
            Mutation::Duplicate { from, len } => {
                let from = from.index(bytes.len());
                let end = (from + len).min(bytes.len());
                let slice = bytes[from..end].to_vec();
                bytes.splice(end..end, slice);
            }
        }
    }
    bytes
}

fn cases() -> u32 {
    std::env::var("CHENGYU_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000)
}

/// Runs `check` on mutated copies of `sources`.
fn fuzz(sources: &[(&str, Vec<u8>)], check: impl Fn(&str, Vec<u8>) -> Result<(), TestCaseError>) {
    fuzz_cases(cases(), sources, check);
}

/// Runs `check` on `cases` mutated copies of `sources`.
fn fuzz_cases(
    cases: u32,
    sources: &[(&str, Vec<u8>)],
    check: impl Fn(&str, Vec<u8>) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        0..sources.len(),
        proptest::collection::vec(mutation(), 1..4),
    );
    runner
        .run(&strategy, |(source, mutations)| {
            let (name, bytes) = &sources[source];
            check(name, mutate(bytes, &mutations))
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

fn committed(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("read")
}

/// A user's file read as the loader reads it: decoded, then parsed as its layer.
fn load_geojson(layer_file: &str, bytes: Vec<u8>) -> Result<usize, String> {
    let origin = format!("/data/{layer_file}");
    let decoded = read::decode::decode(bytes).map_err(|problem| format!("{origin}: {problem}"))?;
    match geodata::parse_file(layer_file, &origin, &decoded.text) {
        Ok((layers, _)) => Ok(layers.iter().map(|l| l.features.len()).sum()),
        Err(error) => Err(error.to_string()),
    }
}

#[test]
fn mangled_geojson_never_panics_and_is_loaded_or_named() {
    let sources = [
        ("platforms.geojson", committed("geodata/platforms.geojson")),
        (
            "basemap/places.geojson",
            committed("geodata/basemap/places.geojson"),
        ),
        (
            "zones.geojson",
            committed("tests/data/geojson/ogc-invalid-polygons.geojson"),
        ),
        (
            "platforms.geojson",
            committed("tests/data/geojson/sequence.geojsonl"),
        ),
        (
            "zones.geojson",
            committed("tests/data/geojson/geometry-collection.geojson"),
        ),
    ];
    fuzz(&sources, |name, bytes| {
        if let Err(message) = load_geojson(name, bytes) {
            prop_assert!(message.contains(name), "{message}");
            prop_assert!(!message.contains("Deserialize"), "{message}");
        }
        Ok(())
    });
}

#[test]
fn mangled_content_toml_never_panics_and_is_named() {
    let sources = [("content.toml", committed("geodata/content.toml"))];
    fuzz(&sources, |name, bytes| {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(error) = geodata::parse_content(name, &text) {
            prop_assert!(error.to_string().starts_with(name), "{error}");
        }
        Ok(())
    });
}

#[test]
fn mangled_tours_never_panic_and_are_named() {
    let sources = [
        (
            "one-core-five-districts.toml",
            committed("assets/tours/one-core-five-districts.toml"),
        ),
        ("two-poles.toml", committed("assets/tours/two-poles.toml")),
    ];
    fuzz(&sources, |name, bytes| {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(error) = chengyu_atlas::tour::parse(&text, name) {
            prop_assert!(error.to_string().starts_with(name), "{error}");
        }
        Ok(())
    });
}

/// Mangled basemap packages (written by GDAL and pmtiles-convert, then mangled) are opened and
/// a few of their tiles read and decoded: never a panic; a refusal names the file. Fewer cases
/// than the text readers: each one writes a package to disk.
#[test]
fn mangled_basemap_packages_never_panic_and_are_named() {
    use chengyu_atlas::basemap::{Package, TileKey, raster};
    let sources = [
        (
            "raster.pmtiles",
            committed("tests/data/basemap/raster.pmtiles"),
        ),
        (
            "vector.pmtiles",
            committed("tests/data/basemap/vector.pmtiles"),
        ),
        (
            "raster.mbtiles",
            committed("tests/data/basemap/raster.mbtiles"),
        ),
    ];
    let dir = crate::common::fresh_dir("fuzz-packages");
    fuzz_cases(cases() / 8, &sources, |name, bytes| {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).expect("write");
        match Package::open(&path) {
            Ok(package) => {
                for (z, x, y) in [
                    (10, 814, 599),
                    (11, 1629, 1199),
                    (12, 3258, 2398),
                    (9, 407, 299),
                ] {
                    if let Ok(Some(tile)) = package.tile(TileKey::new(z, x, y)) {
                        let _ = raster::decode(&tile);
                        let _ = chengyu_atlas::basemap::mvt::decode(&tile);
                    }
                }
            }
            Err(error) => prop_assert!(error.to_string().contains(name), "{error}"),
        }
        Ok(())
    });
}

/// Mangled vector tiles are decoded, styled and triangulated without a panic.
#[test]
fn mangled_vector_tiles_never_panic() {
    use chengyu_atlas::basemap::{Package, TileKey};
    use chengyu_atlas::render::vector_tile::{Schema, prepare_tile};
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/basemap/vector.mbtiles");
    let package = Package::open(&path).expect("fixture");
    let key = TileKey::new(11, 1629, 847);
    let tile = package.tile(key).expect("read").expect("a tile");
    let sources = [("tile.mvt", tile)];
    fuzz(&sources, |_, bytes| {
        for schema in [Schema::OpenMapTiles, Schema::Protomaps] {
            let _ = prepare_tile(key, &bytes, schema, [0.8, 0.4]);
        }
        Ok(())
    });
}

/// The user-layer readers on mangled files written by GDAL (a table, KML, a KMZ, each part of
/// a Shapefile): no panic; a file is loaded (perhaps with problems) or refused naming it.
#[test]
fn mangled_user_layers_never_panic_and_are_loaded_or_named() {
    use chengyu_atlas::geodata::user::{self, LayerOptions};
    let user = |name: &str| committed(&format!("tests/data/user/{name}"));
    let sources = [
        ("sample.csv", user("sample-enterprises-gcj02-gbk.csv")),
        ("districts.csv", user("districts-ogr-wkt.csv")),
        ("platforms.kml", user("platforms-ogr.kml")),
        ("districts.kmz", user("districts-ogr.kmz")),
        ("platforms.shp", user("platforms-gbk.shp")),
        ("platforms.shx", user("platforms-gbk.shx")),
        ("platforms.dbf", user("platforms-gbk.dbf")),
        ("platforms.prj", user("platforms-gbk.prj")),
        ("districts.zip", user("districts-cgcs2000-gk105.zip")),
    ];
    let dir = crate::common::fresh_dir("fuzz-user-layers");
    for extension in ["shp", "shx", "dbf", "prj", "cpg"] {
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("tests/data/user/platforms-gbk.{extension}")),
            dir.join(format!("intact.{extension}")),
        )
        .expect("copy");
    }
    // Files are written for each case: a few hundred cases keep this test to seconds.
    fuzz_cases(cases() / 5, &sources, |name, bytes| {
        let case = dir.join("case");
        let _ = std::fs::remove_dir_all(&case);
        std::fs::create_dir_all(&case).expect("dir");
        let path = match name.rsplit_once('.') {
            Some(("platforms", part)) if ["shp", "shx", "dbf", "prj"].contains(&part) => {
                for extension in ["shp", "shx", "dbf", "prj", "cpg"] {
                    std::fs::copy(
                        dir.join(format!("intact.{extension}")),
                        case.join(format!("platforms.{extension}")),
                    )
                    .expect("copy");
                }
                std::fs::write(case.join(name), &bytes).expect("write");
                case.join("platforms.shp")
            }
            _ => {
                std::fs::write(case.join(name), &bytes).expect("write");
                case.join(name)
            }
        };
        if let Err(error) = user::load(&path, &LayerOptions::default()) {
            let said = error.to_string();
            prop_assert!(said.contains("platforms") || said.contains(name), "{said}");
        }
        Ok(())
    });
}
