//! Fuzzing as a habit, with proptest: every reader (GeoJSON, the user's GeoJSON, CSV,
//! KML/KMZ, Shapefile parts, PMTiles/MBTiles, MVT, the corrections', workspace's, content's and
//! tours' TOML, the saved state's JSON) on mangled copies of real files. The mutations know the
//! formats: besides truncation at every byte of small seeds, bit flips, byte changes, splices
//! and duplicated slices, they nest a format's own brackets thousands deep, repeat a slice up
//! to thousands of times (huge counts), and insert the format's words (a second `"type"`, a
//! `bbox` of three numbers, `<Folder>`, a key again). Whatever comes of it, the reader does not
//! panic, and either loads or says what is wrong naming the file.
//!
//! A corpus is committed under `tests/fuzz/TARGET/`: hand-made hostile seeds, and every case
//! that ever failed, replayed first on every run. A failing case is written there
//! (`failure-HASH--NAME`, the smallest proptest found) and the test fails naming it: fix the
//! reader and commit the file. Each run tries 2 000 mutated cases per target (a few seconds);
//! before a release, `CHENGYU_FUZZ_CASES=200000 cargo test --release --test it fuzz` (the
//! figure of the last such run is in README).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use chengyu_atlas::geodata::{self, read};

/// What one fuzz target knows of its format: its words, and the brackets that nest.
struct Grammar {
    words: &'static [&'static str],
    nests: &'static [(&'static str, &'static str)],
}

const JSON: Grammar = Grammar {
    words: &[
        "\"type\":\"Feature\",",
        "\"type\":\"FeatureCollection\",",
        "\"features\":[],",
        "\"bbox\":[1,2,3],",
        "\"coordinates\":[[1]],",
        "\"geometry\":{\"type\":\"GeometryCollection\",\"geometries\":[]},",
        "\"properties\":[],",
        "1e999",
        "-0.0",
        "null",
        "\"\\ud800\"",
        "\u{1e}",
        "{\"type\":\"Feature\",\"geometry\":null,\"properties\":null}",
    ],
    nests: &[
        ("[", "]"),
        ("{\"a\":", "}"),
        ("{\"type\":\"GeometryCollection\",\"geometries\":[", "]}"),
    ],
};

const TOML: Grammar = Grammar {
    words: &[
        "\n[[stop]]\n",
        "\n[[correction]]\n",
        "\nplatform = \"cqu\"\n",
        "\nlon = 1e999\n",
        "\nview = [1, 2, 3]\n",
        "\ntitle = 7\n",
        "\nformat = \"other\"\n",
        "\nversion = 99999999999\n",
        "\"\"\"",
        "\\u{d800}",
    ],
    nests: &[("[", "]"), ("{a = ", "}")],
};

const XML: Grammar = Grammar {
    words: &[
        "<Placemark><Point><coordinates>1,2</coordinates></Point></Placemark>",
        "<coordinates>1e999,nan 1,2,3,4</coordinates>",
        "<NetworkLink><Link><href>http://x/y.kml</href></Link></NetworkLink>",
        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
        "&a;",
        "<![CDATA[",
        "<!--",
        "</Document>",
    ],
    nests: &[
        ("<Folder>", "</Folder>"),
        ("<MultiGeometry>", "</MultiGeometry>"),
    ],
};

const CSV: Grammar = Grammar {
    words: &[
        ",",
        "\"",
        "\n",
        "\r\n",
        "经度,纬度\n",
        "POLYGON((",
        "1e999",
        ";",
        "\t",
    ],
    nests: &[("\"", "\""), ("POLYGON((", "))")],
};

/// Binary formats: no words, no brackets.
const BYTES: Grammar = Grammar {
    words: &["\u{0}\u{0}\u{0}\u{0}", "\u{ff}\u{ff}\u{ff}\u{7f}"],
    nests: &[],
};

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    FlipBit(Index, u8),
    SetByte(Index, u8),
    Splice {
        from: Index,
        len: usize,
        to: Index,
    },
    Duplicate {
        from: Index,
        len: usize,
    },
    /// A slice repeated (a huge count of features, rows, positions).
    Repeat {
        from: Index,
        len: usize,
        times: usize,
    },
    /// One of the format's words put in (a duplicate key, a bad bbox, an element).
    Insert {
        word: Index,
        at: Index,
    },
    /// The format's brackets, `depth` deep, around a point.
    Nest {
        pair: Index,
        at: Index,
        depth: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit(at, bit)),
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::SetByte(at, byte)),
        (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(from, len, to)| Mutation::Splice { from, len, to }),
        (any::<Index>(), 1usize..200).prop_map(|(from, len)| Mutation::Duplicate { from, len }),
        (any::<Index>(), 1usize..100, 2usize..5000)
            .prop_map(|(from, len, times)| Mutation::Repeat { from, len, times }),
        (any::<Index>(), any::<Index>()).prop_map(|(word, at)| Mutation::Insert { word, at }),
        (
            any::<Index>(),
            any::<Index>(),
            prop_oneof![1usize..10, 100usize..200, 1000usize..30000]
        )
            .prop_map(|(pair, at, depth)| Mutation::Nest { pair, at, depth }),
    ]
}

fn mutate(source: &[u8], mutations: &[Mutation], grammar: &Grammar) -> Vec<u8> {
    let mut bytes = source.to_vec();
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        match mutation {
            Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
            Mutation::FlipBit(at, bit) => {
                let at = at.index(bytes.len());
                bytes[at] ^= 1 << bit;
            }
            Mutation::SetByte(at, byte) => {
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
            Mutation::Repeat { from, len, times } => {
                let from = from.index(bytes.len());
                let end = (from + len).min(bytes.len());
                let slice = bytes[from..end].repeat(*times);
                bytes.splice(end..end, slice);
            }
            Mutation::Insert { word, at } => {
                let word = grammar.words[word.index(grammar.words.len())].as_bytes();
                let at = at.index(bytes.len());
                bytes.splice(at..at, word.iter().copied());
            }
            Mutation::Nest { pair, at, depth } if !grammar.nests.is_empty() => {
                let (open, close) = grammar.nests[pair.index(grammar.nests.len())];
                let at = at.index(bytes.len());
                let tail = bytes.split_off(at);
                bytes.extend(open.as_bytes().repeat(*depth));
                bytes.extend(close.as_bytes().repeat(*depth));
                bytes.extend(tail);
            }
            Mutation::Nest { .. } => {}
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

/// The committed corpus of `target`: its seeds and every case that once failed.
fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target)
}

/// The name a corpus file is read as (the reader is chosen by it): what follows its last
/// `--` (`deep-arrays--zones.geojson`, `failure-HASH--doc.kml`), else the whole name.
fn corpus_name(file: &str) -> &str {
    file.rsplit_once("--").map_or(file, |(_, name)| name)
}

/// A failing case, kept in the corpus so that every later run tries it first.
fn persist(target: &str, name: &str, bytes: &[u8]) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let dir = corpus_dir(target);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("failure-{:016x}--{name}", hasher.finish()));
    let _ = std::fs::write(&path, bytes);
    path
}

/// Runs `check` on the corpus of `target`, on prefixes of each source (every one of its
/// first kilobyte, and 256 through the rest), then on `cases()` mutated copies of `sources`.
fn fuzz(
    target: &str,
    grammar: fn(&str) -> &'static Grammar,
    sources: &[(&str, Vec<u8>)],
    check: impl Fn(&str, Vec<u8>) -> Result<(), TestCaseError>,
) {
    fuzz_cases(target, grammar, cases(), sources, check);
}

/// The prefixes a source is cut to: every one of its first kilobyte, then 256 through the rest.
fn cuts(len: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = (0..len.min(1024)).collect();
    if len > 1024 {
        cuts.extend((0..256).map(|i| 1024 + (len - 1024) * i / 256));
    }
    cuts
}

/// How many cases of each kind a run tried, for the release figure.
fn executions(target: &str, replayed: usize, prefixes: usize, mutated: u32) {
    eprintln!(
        "fuzz {target}: {replayed} corpus files, {prefixes} truncations, {mutated} mutated cases"
    );
}

fn fuzz_cases(
    target: &str,
    grammar: fn(&str) -> &'static Grammar,
    cases: u32,
    sources: &[(&str, Vec<u8>)],
    check: impl Fn(&str, Vec<u8>) -> Result<(), TestCaseError>,
) {
    let fail = |name: &str, bytes: &[u8], why: String| -> ! {
        let kept = persist(target, name, bytes);
        panic!("{target}: {why}\nthe case is kept as {}", kept.display())
    };
    // A case that aborted the process (a stack overflow cannot be caught) was left behind as
    // `.current`: it joins the corpus now, and fails below, loudly, until the reader is fixed.
    let current = corpus_dir(target).join(".current");
    if let (Ok(name), Ok(bytes)) = (
        std::fs::read_to_string(current.with_extension("name")),
        std::fs::read(&current),
    ) {
        persist(target, name.trim(), &bytes);
    }
    let check = |name: &str, bytes: Vec<u8>| {
        let _ = std::fs::create_dir_all(corpus_dir(target));
        let _ = std::fs::write(current.with_extension("name"), name);
        let _ = std::fs::write(&current, &bytes);
        check(name, bytes)
    };
    let mut replayed = 0;
    if let Ok(entries) = std::fs::read_dir(corpus_dir(target)) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files {
            let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
            let (Some(file), Ok(bytes)) = (file, std::fs::read(&path)) else {
                continue;
            };
            if file.starts_with('.') {
                continue;
            }
            if let Err(why) = check(corpus_name(&file), bytes) {
                panic!(
                    "{target}: the corpus file {} fails again: {why}",
                    path.display()
                );
            }
            replayed += 1;
        }
    }
    let mut prefixes = 0;
    for (name, bytes) in sources {
        for at in cuts(bytes.len()) {
            if let Err(why) = check(name, bytes[..at].to_vec()) {
                fail(name, &bytes[..at], why.to_string());
            }
            prefixes += 1;
        }
    }
    let mut runner = TestRunner::new(Config {
        cases,
        // The corpus above is the persistence: a failure is written there, whole.
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        0..sources.len(),
        proptest::collection::vec(mutation(), 1..4),
    );
    let result = runner.run(&strategy, |(source, mutations)| {
        let (name, bytes) = &sources[source];
        check(name, mutate(bytes, &mutations, grammar(name)))
    });
    if let Err(proptest::test_runner::TestError::Fail(why, (source, mutations))) = &result {
        let (name, bytes) = &sources[*source];
        fail(
            name,
            &mutate(bytes, mutations, grammar(name)),
            why.to_string(),
        );
    }
    result.unwrap_or_else(|failure| panic!("{target}: {failure}"));
    let _ = std::fs::remove_file(&current);
    let _ = std::fs::remove_file(current.with_extension("name"));
    executions(target, replayed, prefixes, cases);
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
    fuzz(
        "geojson",
        |_| &JSON,
        &sources,
        |name, bytes| {
            if let Err(message) = load_geojson(name, bytes) {
                prop_assert!(message.contains(name), "{message}");
                prop_assert!(!message.contains("Deserialize"), "{message}");
            }
            Ok(())
        },
    );
}

#[test]
fn mangled_content_toml_never_panics_and_is_named() {
    let sources = [("content.toml", committed("geodata/content.toml"))];
    fuzz(
        "content-toml",
        |_| &TOML,
        &sources,
        |name, bytes| {
            let text = String::from_utf8_lossy(&bytes);
            if let Err(error) = geodata::parse_content(name, &text) {
                prop_assert!(error.to_string().starts_with(name), "{error}");
            }
            Ok(())
        },
    );
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
    fuzz(
        "tours",
        |_| &TOML,
        &sources,
        |name, bytes| {
            let text = String::from_utf8_lossy(&bytes);
            if let Err(error) = chengyu_atlas::tour::parse(&text, name) {
                prop_assert!(error.to_string().starts_with(name), "{error}");
            }
            Ok(())
        },
    );
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
        ("raster.gpkg", committed("tests/data/basemap/raster.gpkg")),
    ];
    let dir = crate::common::fresh_dir("fuzz-packages");
    fuzz_cases(
        "packages",
        |_| &BYTES,
        cases() / 8,
        &sources,
        |name, bytes| {
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
        },
    );
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
    fuzz(
        "mvt",
        |_| &BYTES,
        &sources,
        |_, bytes| {
            for schema in [Schema::OpenMapTiles, Schema::Protomaps] {
                let _ = prepare_tile(key, &bytes, schema, [0.8, 0.4]);
            }
            Ok(())
        },
    );
}

/// The user-layer readers on mangled files written by GDAL (a table, KML, a KMZ, each part of
/// a Shapefile): no panic; a file is loaded (perhaps with problems) or refused naming it.
#[test]
fn mangled_user_layers_never_panic_and_are_loaded_or_named() {
    use chengyu_atlas::geodata::user::{self, LayerOptions};
    let user = |name: &str| committed(&format!("tests/data/user/{name}"));
    let sources = [
        ("sample.csv", user("sample-enterprises-gcj02-gbk.csv")),
        ("platforms.geojson", user("platforms-source.geojson")),
        ("platforms.geojsonl", user("platforms-ogr.geojsonl")),
        ("districts.csv", user("districts-ogr-wkt.csv")),
        ("platforms.kml", user("platforms-ogr.kml")),
        ("districts.kmz", user("districts-ogr.kmz")),
        ("platforms.shp", user("platforms-gbk.shp")),
        ("platforms.shx", user("platforms-gbk.shx")),
        ("platforms.dbf", user("platforms-gbk.dbf")),
        ("platforms.prj", user("platforms-gbk.prj")),
        ("districts.zip", user("districts-cgcs2000-gk105.zip")),
        ("science-city.gpkg", user("science-city.gpkg")),
        ("platforms.xlsx", user("platforms-libreoffice.xlsx")),
        ("platforms.xls", user("platforms-libreoffice.xls")),
        ("platforms.ods", user("platforms-libreoffice.ods")),
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
    fuzz_cases(
        "user-layers",
        user_grammar,
        cases() / 5,
        &sources,
        |name, bytes| {
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
            // A GeoPackage is each of its tables, as the window adds it.
            for spec in user::expand(&user::LayerSpec::new(&path, None)) {
                if let Err(error) = user::load(&spec.path, &LayerOptions::default()) {
                    let said = error.to_string();
                    prop_assert!(said.contains("platforms") || said.contains(name), "{said}");
                }
            }
            Ok(())
        },
    );
}

/// A workbook whose parts are each mangled inside an intact zip (mangling the zip's bytes
/// mostly breaks its checksums, and the parts are never read): the sheet's XML, the shared
/// strings, the styles, the workbook and the package's relationships. No panic, no hang; the
/// workbook is read (perhaps with problems) or refused naming it.
#[test]
fn mangled_parts_of_a_workbook_never_panic_and_are_named() {
    use chengyu_atlas::geodata::user::{self, LayerOptions};
    use std::io::{Read, Write};
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/user/platforms-libreoffice.xlsx");
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(&fixture).expect("fixture")).expect("zip");
    let parts: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read");
            (entry.name().expect("name").to_string(), bytes)
        })
        .collect();
    let mangled = [
        "xl/worksheets/sheet2.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "_rels/.rels",
    ];
    // A source is named by its part, its folders as dashes (a case is kept under that name).
    let sources: Vec<(String, Vec<u8>)> = mangled
        .iter()
        .map(|part| {
            let bytes = parts.iter().find(|(name, _)| name == part).expect("part");
            (part.replace('/', "-"), bytes.1.clone())
        })
        .collect();
    let sources: Vec<(&str, Vec<u8>)> = sources
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.clone()))
        .collect();
    let dir = crate::common::fresh_dir("fuzz-workbook-parts");
    fuzz_cases(
        "workbook-parts",
        |_| &XML,
        cases() / 5,
        &sources,
        |name, bytes| {
            let path = dir.join("platforms.xlsx");
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
            for (part, original) in &parts {
                zip.start_file(part.as_str(), zip::write::SimpleFileOptions::default())
                    .expect("entry");
                let mangled_here = part.replace('/', "-") == name;
                zip.write_all(if mangled_here { &bytes } else { original })
                    .expect("write");
            }
            zip.finish().expect("zip");
            if let Err(error) = user::load(&path, &LayerOptions::default()) {
                let said = error.to_string();
                prop_assert!(said.contains("platforms"), "{said}");
            }
            Ok(())
        },
    );
}

/// The grammar of a user's file, by its extension.
fn user_grammar(name: &str) -> &'static Grammar {
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("csv" | "tsv") => &CSV,
        Some("kml") => &XML,
        Some("geojson" | "geojsonl" | "json") => &JSON,
        _ => &BYTES,
    }
}

/// A corrections file, a workspace and a saved state (the window's own files, which a team
/// shares or a crash may cut): never a panic; refused naming the file.
#[test]
fn mangled_corrections_workspaces_and_state_never_panic_and_are_named() {
    let corpus = |name: &str| committed(&format!("tests/fuzz/documents/{name}"));
    let sources = [
        ("corrections.toml", corpus("corrections.toml")),
        ("team.toml", corpus("team.toml")),
        ("state.json", corpus("state.json")),
    ];
    let dir = crate::common::fresh_dir("fuzz-documents");
    fuzz_cases(
        "documents",
        |name| {
            if name.ends_with(".json") {
                &JSON
            } else {
                &TOML
            }
        },
        cases() / 2,
        &sources,
        |name, bytes| {
            match name.rsplit_once('.').map(|(_, extension)| extension) {
                Some("json") => {
                    let text = String::from_utf8_lossy(&bytes);
                    let _ = serde_json::from_str::<chengyu_atlas::document::SavedState>(&text);
                }
                _ if name.starts_with("corrections") => {
                    let text = String::from_utf8_lossy(&bytes);
                    let read: Result<geodata::corrections::Corrections, _> =
                        geodata::parse_toml(name, &text);
                    if let Err(error) = read {
                        prop_assert!(error.to_string().starts_with(name), "{error}");
                    }
                }
                _ => {
                    let path = dir.join("team.toml");
                    std::fs::write(&path, &bytes).expect("write");
                    let _ = chengyu_atlas::document::workspace::open(&path);
                }
            }
            Ok(())
        },
    );
}
