//! Basemap packages against packages written by other people's tools (tests/data/basemap,
//! made by tools/make-basemap-fixtures.sh with GDAL and the PyPI `pmtiles` converter), and
//! against broken packages of our own making.

use std::path::{Path, PathBuf};

use chengyu_atlas::basemap::{Datum, ErrorKind, Package, PackageKind, TileFormat, TileKey, raster};
use chengyu_atlas::coordinates::datum::wgs84_to_gcj02;
use chengyu_atlas::render::projection::{mercator, world_size};
use chengyu_atlas::render::{Item, SceneBuilder, SceneOptions, View};

use crate::common::{atlas, fresh_dir};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/basemap")
        .join(name)
}

fn open(name: &str) -> Package {
    Package::open(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The tile at a position and zoom, and the pixel of the position inside it.
fn tile_and_pixel(lon: f64, lat: f64, z: u8) -> (TileKey, [usize; 2]) {
    let [x, y] = mercator(lon, lat);
    let size = world_size(f64::from(z));
    let (px, py) = (x * size, y * size);
    let key = TileKey::new(z, (px / 256.0) as u32, (py / 256.0) as u32);
    (key, [(px % 256.0) as usize, (py % 256.0) as usize])
}

fn pixel(tile: &raster::RasterTile, [x, y]: [usize; 2]) -> [u8; 3] {
    let i = (y * tile.width as usize + x) * 4;
    [tile.rgba[i], tile.rgba[i + 1], tile.rgba[i + 2]]
}

fn decoded(package: &Package, key: TileKey) -> raster::RasterTile {
    let bytes = package
        .tile(key)
        .unwrap_or_else(|e| panic!("{key}: {e}"))
        .unwrap_or_else(|| panic!("{key}: no tile in {}", package.path.display()));
    raster::decode(&bytes).unwrap_or_else(|e| panic!("{key}: {e}"))
}

#[test]
fn gdal_mbtiles_and_its_pmtiles_conversion_open_with_their_metadata() {
    let mbtiles = open("raster.mbtiles");
    let info = mbtiles.info();
    assert_eq!(info.kind, PackageKind::MbTiles);
    assert_eq!(info.format, TileFormat::Png);
    assert_eq!(info.tile_size, 256);
    assert_eq!((info.min_zoom, info.max_zoom), (8, 12));
    assert_eq!(info.name, "Science city test raster (GDAL)");
    assert!(info.attribution.contains("by GDAL"));
    assert_eq!(info.datum, Datum::Wgs84);
    let bounds = info.bounds.expect("bounds");
    assert!((bounds.west - 106.15).abs() < 0.01 && (bounds.north - 29.9).abs() < 0.01);

    let pmtiles = open("raster.pmtiles");
    let info = pmtiles.info();
    assert_eq!(info.kind, PackageKind::PmTiles);
    assert_eq!(info.format, TileFormat::Png);
    assert_eq!((info.min_zoom, info.max_zoom), (9, 12));
    let bounds = info.bounds.expect("bounds");
    assert!((bounds.east - 106.65).abs() < 0.01 && (bounds.south - 29.2).abs() < 0.01);
}

/// GDAL's GeoPackage tiles (GoogleMapsCompatible) open through the same tile source, rows from
/// the top as the grid numbers them, and draw what the MBTiles they were made from draws.
#[test]
fn gdal_geopackage_tiles_open_as_a_basemap_by_their_tables() {
    use chengyu_atlas::geodata::FileKind;
    let gpkg = open("raster.gpkg");
    let info = gpkg.info();
    assert_eq!(info.kind, PackageKind::GeoPackage);
    assert_eq!(info.format, TileFormat::Png);
    assert_eq!((info.min_zoom, info.max_zoom), (9, 12));
    assert_eq!(info.name, "science_city");
    let bounds = info.bounds.expect("bounds from gpkg_contents");
    assert!((bounds.west - 106.15).abs() < 0.01, "{bounds:?}");
    assert!((bounds.north - 29.9).abs() < 0.01, "{bounds:?}");
    // The tiles are GDAL's re-encoding of the MBTiles': the same picture, tile by tile.
    let mbtiles = open("raster.mbtiles");
    let mut compared = 0;
    for z in 10..=12u8 {
        let (min, _) = tile_and_pixel(106.2, 29.85, z);
        let (max, _) = tile_and_pixel(106.6, 29.25, z);
        for (x, y) in (min.x..=max.x).flat_map(|x| (min.y..=max.y).map(move |y| (x, y))) {
            let key = TileKey::new(z, x, y);
            let (a, b) = (decoded(&gpkg, key), decoded(&mbtiles, key));
            let mean = a
                .rgba
                .iter()
                .zip(&b.rgba)
                .map(|(p, q)| f64::from(p.abs_diff(*q)))
                .sum::<f64>()
                / a.rgba.len() as f64;
            assert!(mean < 2.0, "{key}: mean difference {mean}");
            compared += 1;
        }
    }
    assert!(compared >= 30, "only {compared} tiles compared");
    // The registry of kinds looks at the tables: tiles are a basemap, features a layer,
    // whatever the file is called.
    let renamed = fresh_dir("gpkg-kinds").join("tiles.sqlite");
    std::fs::copy(fixture("raster.gpkg"), &renamed).expect("copy");
    assert_eq!(FileKind::opened_as(&renamed), vec![FileKind::Basemap]);
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/user/science-city.gpkg");
    assert_eq!(
        FileKind::opened_as(&features),
        vec![FileKind::Layer(
            chengyu_atlas::model::user::UserFormat::GeoPackage
        )]
    );
    // Opened as a layer, a tiles-only GeoPackage says where it belongs.
    let Err(error) = chengyu_atlas::geodata::user::load(
        &fixture("raster.gpkg"),
        &chengyu_atlas::geodata::user::LayerOptions::default(),
    ) else {
        panic!("a tiles-only GeoPackage read as a layer");
    };
    assert!(
        error.to_string().contains("open it as a basemap"),
        "{error}"
    );
}

/// A GeoPackage holding feature tables and tiles opens as both; tiles on another grid (GDAL's
/// InspireCrs84Quad, in degrees) are refused by name, the features still opened.
#[test]
fn a_geopackage_with_features_and_tiles_opens_as_both_and_another_grid_is_refused() {
    use chengyu_atlas::geodata::FileKind;
    use chengyu_atlas::model::user::UserFormat;
    if !crate::common::oracle("gdal_translate", "gdal-bin") {
        return;
    }
    let dir = fresh_dir("gpkg-both");
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/user/science-city.gpkg");
    let add_tiles = |name: &str, scheme: &str| {
        let path = dir.join(name);
        std::fs::copy(&features, &path).expect("copy");
        let status = std::process::Command::new("gdal_translate")
            .args(["-q", "-of", "GPKG", "-co", "APPEND_SUBDATASET=YES", "-co"])
            .arg(format!("TILING_SCHEME={scheme}"))
            .args(["-co", "RASTER_TABLE=basemap", "-co", "TILE_FORMAT=PNG"])
            .arg(fixture("raster.mbtiles"))
            .arg(&path)
            .status()
            .expect("gdal_translate");
        assert!(status.success(), "gdal_translate {scheme}");
        path
    };
    let both = add_tiles("both.gpkg", "GoogleMapsCompatible");
    assert_eq!(
        FileKind::opened_as(&both),
        vec![FileKind::Layer(UserFormat::GeoPackage), FileKind::Basemap]
    );
    let package = Package::open(&both).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(package.info().kind, PackageKind::GeoPackage);
    let (key, at) = tile_and_pixel(106.34, 29.52, package.info().max_zoom);
    let found = pixel(&decoded(&package, key), at);
    assert!(
        found
            .iter()
            .zip([214, 236, 200])
            .all(|(a, b)| a.abs_diff(b) <= 6),
        "{found:?}"
    );
    let layers = chengyu_atlas::geodata::user::expand(
        &chengyu_atlas::geodata::user::LayerSpec::new(both.clone(), None),
    );
    assert_eq!(layers.len(), 3, "{layers:?}");

    let degrees = add_tiles("degrees.gpkg", "InspireCrs84Quad");
    let Err(error) = Package::open(&degrees) else {
        panic!("tiles in degrees opened as a basemap");
    };
    assert!(
        matches!(error.what, ErrorKind::NotWebMercator(_)),
        "{error}"
    );
    let said = error.to_string();
    assert!(
        said.contains("degrees.gpkg") && said.contains("EPSG:4326"),
        "{said}"
    );
}

/// MBTiles numbers rows from the bottom (TMS), PMTiles from the top: the converter flipped
/// them, and our two readers must land on the same bytes for every tile.
#[test]
fn mbtiles_rows_are_flipped_to_the_same_tiles_as_pmtiles() {
    let (mbtiles, pmtiles) = (open("raster.mbtiles"), open("raster.pmtiles"));
    let mut compared = 0;
    for z in 9..=12u8 {
        let (min, _) = tile_and_pixel(106.15, 29.9, z);
        let (max, _) = tile_and_pixel(106.65, 29.2, z);
        for x in min.x..=max.x {
            for y in min.y..=max.y {
                let key = TileKey::new(z, x, y);
                let a = mbtiles.tile(key).expect("mbtiles tile");
                let b = pmtiles.tile(key).expect("pmtiles tile");
                assert_eq!(a, b, "{key}");
                compared += usize::from(a.is_some());
            }
        }
    }
    assert!(compared >= 100, "only {compared} tiles compared");
}

/// Pixels where GDAL burned a district fill and where it left the land colour: the tile
/// addressing puts each place in its own tile and pixel.
#[test]
fn a_place_is_found_in_its_tile_and_pixel() {
    const DISTRICT: [u8; 3] = [214, 236, 200];
    const LAND: [u8; 3] = [246, 243, 235];
    for name in [
        "raster.mbtiles",
        "raster.gpkg",
        "raster.pmtiles",
        "raster-tms",
        "raster-webp",
    ] {
        let package = open(name);
        let z = package.info().max_zoom;
        // Inside the core zone (its centre), and east of the Yangtze outside every zone.
        for ((lon, lat), expected) in [((106.34, 29.52), DISTRICT), ((106.62, 29.32), LAND)] {
            let (key, at) = tile_and_pixel(lon, lat, z);
            let found = pixel(&decoded(&package, key), at);
            let near = found.iter().zip(expected).all(|(a, b)| a.abs_diff(b) <= 6);
            assert!(
                near,
                "{name} at {lon},{lat} z{z}: {found:?}, expected {expected:?}"
            );
        }
    }
}

#[test]
fn tile_folders_say_their_row_order() {
    let tms = open("raster-tms");
    let xyz = open("raster-webp");
    assert_eq!(tms.info().kind, PackageKind::Folder);
    assert_eq!(tms.info().format, TileFormat::Png);
    assert_eq!(xyz.info().format, TileFormat::Webp);
    assert_eq!((xyz.info().min_zoom, xyz.info().max_zoom), (10, 11));
    // gdal2tiles wrote the same raster twice, TMS rows in one and XYZ rows in the other.
    let (key, _) = tile_and_pixel(106.34, 29.52, 11);
    let (a, b) = (decoded(&tms, key), decoded(&xyz, key));
    let mean: f64 = a
        .rgba
        .iter()
        .zip(&b.rgba)
        .map(|(p, q)| f64::from(p.abs_diff(*q)))
        .sum::<f64>()
        / a.rgba.len() as f64;
    assert!(mean < 4.0, "mean difference {mean}");
    for package in [&tms, &xyz] {
        let bounds = package.info().bounds.expect("bounds from the tiles");
        assert!(bounds.west < 106.2 && bounds.east > 106.6, "{bounds:?}");
        assert!(bounds.south < 29.25 && bounds.north > 29.85, "{bounds:?}");
    }
}

/// Above a package's deepest zoom its tiles are over-zoomed: the quarter of the parent.
#[test]
fn beyond_the_last_zoom_the_parent_tile_stands_in() {
    let package = open("raster.mbtiles");
    let (key, _) = tile_and_pixel(106.34, 29.52, 14);
    let source = package.source_key(key);
    let part = chengyu_atlas::basemap::SubTile::of(key, key.z - source.z);
    assert_eq!(source, key.ancestor(2));
    assert_eq!(source.z, 12);
    assert!(package.tile(source).expect("read").is_some());
    assert!((part.max[0] - part.min[0] - 0.25).abs() < 1e-6);
}

/// A GCJ-02 package made for the test: GDAL burned a red mark where GCJ-02 puts the core
/// zone's first vertex. Shifted with the atlas's datum module, the vertex lands on the mark
/// within a pixel at zoom 16.
#[test]
fn the_gcj02_mark_is_where_the_shifted_vertex_is() {
    let package = open("gcj-marker.mbtiles");
    assert_eq!(package.info().datum, Datum::Gcj02);
    assert!(package.info().datum_guessed, "guessed from the name (Amap)");
    assert_eq!(package.info().max_zoom, 16);
    let (core, _) = atlas().find("core").expect("core");
    let vertex = match &atlas().feature(core).expect("core").shape {
        chengyu_atlas::model::Shape::Area(polygons) => polygons.0[0].exterior().0[0],
        other => panic!("core is {other:?}"),
    };
    // Where the atlas draws the vertex: the core's outline in a zoom-16 scene drawn in GCJ-02.
    let view = View::new(vertex, 16.0, [800.0, 600.0]).in_datum(Datum::Gcj02);
    let scene = SceneBuilder::new(atlas()).build(atlas(), &view, &SceneOptions::default());
    let drawn = scene
        .items
        .iter()
        .find_map(|item| match item {
            Item::Stroke {
                feature, geometry, ..
            } if *feature == core => Some(scene.transform.apply(geometry.path(0)[0])),
            _ => None,
        })
        .expect("the core's outline is drawn");
    let [x, y] = mercator(vertex.x, vertex.y);
    let size = world_size(16.0);
    // The same point in world pixels at zoom 16, and where the package's pixels sit on screen.
    let centre = view.display_center();
    let [cx, cy] = mercator(centre.x, centre.y);
    let to_screen = |wx: f64, wy: f64| {
        [
            (wx - cx * size + 400.0) as f32,
            (wy - cy * size + 300.0) as f32,
        ]
    };
    let (lon, lat) = wgs84_to_gcj02(vertex.x, vertex.y);
    let [gx, gy] = mercator(lon, lat);
    let (want_x, want_y) = (gx * size, gy * size);
    // The mark's red pixels, in world pixels at zoom 16.
    let (mut sum_x, mut sum_y, mut count) = (0.0, 0.0, 0.0);
    let centre = TileKey::new(16, (want_x / 256.0) as u32, (want_y / 256.0) as u32);
    for dx in -1i64..=1 {
        for dy in -1i64..=1 {
            let key = TileKey::new(
                16,
                (i64::from(centre.x) + dx) as u32,
                (i64::from(centre.y) + dy) as u32,
            );
            let Some(bytes) = package.tile(key).expect("read") else {
                continue;
            };
            let tile = raster::decode(&bytes).expect("decode");
            for py in 0..256 {
                for px in 0..256 {
                    let [r, g, b] = pixel(&tile, [px, py]);
                    if r > 200 && g < 60 && b < 60 {
                        sum_x += f64::from(key.x) * 256.0 + px as f64 + 0.5;
                        sum_y += f64::from(key.y) * 256.0 + py as f64 + 0.5;
                        count += 1.0;
                    }
                }
            }
        }
    }
    assert!(count >= 16.0, "the red mark has {count} pixels");
    let (mark_x, mark_y) = (sum_x / count, sum_y / count);
    let mark = to_screen(mark_x, mark_y);
    let off = (mark[0] - drawn[0]).hypot(mark[1] - drawn[1]);
    assert!(
        off < 1.0,
        "the atlas draws the vertex {off:.2} px from the mark"
    );
    // Unshifted, it would be hundreds of metres (over a hundred pixels) away.
    let unshifted = (x * size - mark_x).hypot(y * size - mark_y);
    assert!(unshifted > 100.0, "unshifted only {unshifted:.0} px away");
}

#[test]
fn vector_packages_name_their_layers_and_hold_protobuf_tiles() {
    for name in ["vector.mbtiles", "vector.pmtiles"] {
        let package = open(name);
        let info = package.info();
        assert_eq!(info.format, TileFormat::Mvt, "{name}");
        assert_eq!((info.min_zoom, info.max_zoom), (6, 12), "{name}");
        for layer in ["water", "waterway", "boundary", "place", "transportation"] {
            assert!(
                info.vector_layers.iter().any(|l| l == layer),
                "{name}: {layer} not in {:?}",
                info.vector_layers
            );
        }
        let (key, _) = tile_and_pixel(106.34, 29.52, 10);
        let tile = package.tile(key).expect("read").expect("a tile");
        // Unzipped: a protobuf message starting with a layer (field 3, length-delimited).
        assert_eq!(tile.first(), Some(&0x1a), "{name}");
    }
}

/// Writes `bytes` to a file in `dir` and opens it: the message names the file.
fn refused(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    match Package::open(&path) {
        Ok(package) => panic!("{name} opened: {:?}", package.info()),
        Err(error) => {
            let text = error.to_string();
            assert!(text.contains(name), "{text}");
            text
        }
    }
}

#[test]
fn broken_packages_are_refused_with_a_reason_naming_the_file() {
    let dir = fresh_dir("bad-basemaps");
    let pmtiles = std::fs::read(fixture("raster.pmtiles")).expect("fixture");
    let mbtiles = std::fs::read(fixture("raster.mbtiles")).expect("fixture");

    assert!(refused(&dir, "empty.pmtiles", b"").contains("empty (0 bytes)"));
    assert!(refused(&dir, "page.mbtiles", b"<html>404</html>").contains("not a basemap package"));
    assert!(refused(&dir, "header.pmtiles", &pmtiles[..60]).contains("damaged"));
    assert!(refused(&dir, "half.pmtiles", &pmtiles[..pmtiles.len() / 2]).contains("damaged"));
    let mut version = pmtiles.clone();
    version[7] = 4;
    assert!(refused(&dir, "v4.pmtiles", &version).contains("version 4"));
    // The root directory's offset (bytes 8–15) past the end of the file.
    let mut past_end = pmtiles.clone();
    past_end[8..16].copy_from_slice(&(10_000_000u64).to_le_bytes());
    assert!(refused(&dir, "past-end.pmtiles", &past_end).contains("damaged"));
    assert!(refused(&dir, "cut.mbtiles", &mbtiles[..5000]).contains("damaged"));

    // An SQLite file that is not a tile set.
    let path = dir.join("notes.mbtiles");
    let connection = rusqlite::Connection::open(&path).expect("sqlite");
    connection
        .execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hi');")
        .expect("sql");
    drop(connection);
    let text = Package::open(&path)
        .expect_err("not a tile set")
        .to_string();
    assert!(
        text.contains("notes.mbtiles") && text.contains("it has notes"),
        "{text}"
    );

    // A folder of things that are not tiles.
    let folder = dir.join("photos");
    std::fs::create_dir_all(folder.join("12/3260")).expect("dir");
    std::fs::write(folder.join("12/3260/1695.txt"), "not a tile").expect("write");
    let text = Package::open(&folder).expect_err("no tiles").to_string();
    assert!(
        text.contains("photos") && text.contains("no z/x/y.png"),
        "{text}"
    );
    assert_eq!(
        Package::open(&dir.join("gone.pmtiles"))
            .expect_err("missing")
            .what,
        ErrorKind::Missing
    );
}

#[test]
fn a_broken_tile_costs_only_itself_and_bad_metadata_is_passed_over() {
    let dir = fresh_dir("bad-tiles");
    let path = dir.join("broken-tile.mbtiles");
    std::fs::copy(fixture("raster.mbtiles"), &path).expect("copy");
    let connection = rusqlite::Connection::open(&path).expect("sqlite");
    let (key, _) = tile_and_pixel(106.34, 29.52, 12);
    connection
        .execute(
            "UPDATE tiles SET tile_data = x'89504e470d0a1a0a0000' WHERE zoom_level = 12 \
             AND tile_column = ?1 AND tile_row = ?2",
            rusqlite::params![key.x, key.tms_row()],
        )
        .expect("update");
    connection
        .execute(
            "INSERT INTO metadata VALUES ('json', '{\"vector_layers\": [')",
            [],
        )
        .expect("insert");
    drop(connection);
    let package = Package::open(&path).expect("opens despite its bad json");
    let bytes = package.tile(key).expect("read").expect("a tile");
    let error = raster::decode(&bytes).expect_err("broken PNG");
    assert!(error.contains("broken Png image"), "{error}");
    let (next, _) = tile_and_pixel(106.30, 29.60, 12);
    assert_ne!(next, key);
    assert!(raster::decode(&package.tile(next).expect("read").expect("tile")).is_ok());
}

fn export_page(
    extent: chengyu_atlas::export::Extent,
    size: [u32; 2],
    layers: &[chengyu_atlas::model::LayerId],
    packages: &[&str],
) -> (chengyu_atlas::export::Composition, resvg::tiny_skia::Pixmap) {
    use chengyu_atlas::export::{self, ExportBasemap, ExportRequest, PageSize};
    let mut request = ExportRequest::new(
        extent,
        PageSize::Pixels {
            width: size[0],
            height: size[1],
        },
    );
    request.layers = chengyu_atlas::render::LayerSettings::only(layers);
    request.basemaps = packages
        .iter()
        .map(|name| ExportBasemap {
            package: open(name),
            opacity: 1.0,
        })
        .collect();
    let mut builder = SceneBuilder::new(atlas());
    let composition = export::compose(atlas(), &mut builder, &request).expect("compose");
    assert!(
        composition.warnings.is_empty(),
        "{:?}",
        composition.warnings
    );
    let pixmap = export::rasterise(&composition.svg, &composition.page, None).expect("png");
    (composition, pixmap)
}

fn page_pixel(pixmap: &resvg::tiny_skia::Pixmap, [x, y]: [f32; 2]) -> [u8; 3] {
    let p = pixmap
        .pixel(x as u32, y as u32)
        .expect("on the page")
        .demultiply();
    [p.red(), p.green(), p.blue()]
}

/// The package's tiles are on the exported page, under the atlas's layers, where the package
/// has them; elsewhere the atlas's own background shows; the footer names the package.
#[test]
fn an_exported_page_has_the_package_under_the_map_and_names_it() {
    use chengyu_atlas::export::Extent;
    use geo::{Rect, coord};
    let extent_again = || {
        Extent::Bounds(Rect::new(
            coord! { x: 106.25, y: 29.3 },
            coord! { x: 106.75, y: 29.6 },
        ))
    };
    let (composition, pixmap) = export_page(extent_again(), [1600, 1000], &[], &["raster.mbtiles"]);
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(p, q)| p.abs_diff(q) <= 4);
    let at = |lon, lat| page_pixel(&pixmap, composition.pixel(coord! { x: lon, y: lat }));
    let land = at(106.62, 29.32);
    assert!(near(land, [246, 243, 235]), "package land: {land:?}");
    let district = at(106.34, 29.52);
    assert!(
        near(district, [214, 236, 200]),
        "package district: {district:?}"
    );
    // East of the package's edge, the page is what it is without a package.
    let (plain, plain_pixmap) = export_page(extent_again(), [1600, 1000], &[], &[]);
    let there = coord! { x: 106.72, y: 29.32 };
    let outside = page_pixel(&pixmap, composition.pixel(there));
    let without = page_pixel(&plain_pixmap, plain.pixel(there));
    assert!(
        near(outside, without),
        "outside the package: {outside:?} vs {without:?}"
    );
    assert!(composition.svg.contains("<image class=\"basemap\""));
    assert!(composition.svg.contains("Science city test raster (GDAL)"));
    let pdf = chengyu_atlas::export::encode(
        &composition.svg,
        &composition.page,
        chengyu_atlas::export::Format::Pdf,
    )
    .expect("pdf");
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/Subtype /Image"),
        "the PDF embeds the basemap"
    );
}

/// Over a GCJ-02 package the exported map is drawn in GCJ-02: the core's vertex is placed on
/// the package's mark (the core itself is hidden, its outline would cover the mark), and the
/// footer says the datum.
#[test]
fn an_export_over_a_gcj02_package_lines_up_with_it() {
    use chengyu_atlas::export::Extent;
    use geo::{Rect, coord};
    let (core, _) = atlas().find("core").expect("core");
    let vertex = match &atlas().feature(core).expect("core").shape {
        chengyu_atlas::model::Shape::Area(polygons) => polygons.0[0].exterior().0[0],
        other => panic!("core is {other:?}"),
    };
    let extent = Extent::Bounds(Rect::new(
        coord! { x: vertex.x - 0.0015, y: vertex.y - 0.001 },
        coord! { x: vertex.x + 0.0015, y: vertex.y + 0.001 },
    ));
    let (composition, pixmap) = export_page(extent, [1200, 900], &[], &["gcj-marker.mbtiles"]);
    assert_eq!(composition.map.view.datum, Datum::Gcj02);
    let [r, g, b] = page_pixel(&pixmap, composition.pixel(vertex));
    assert!(
        r > 150 && g < 90 && b < 90,
        "not on the red mark: {:?}",
        [r, g, b]
    );
    assert!(
        composition.svg.contains("GCJ-02"),
        "the footer says the datum"
    );
    // Unshifted, the vertex would sit where the package has the WGS-84 numbers: far off.
    let plain = composition.map.view.project_display(vertex);
    let shifted = composition.map.view.project(vertex);
    assert!((plain[0] - shifted[0]).hypot(plain[1] - shifted[1]) > 50.0);
}

#[test]
fn a_headless_export_names_a_package_it_cannot_open_and_still_writes_the_page() {
    let dir = fresh_dir("export-basemap");
    let out = dir.join("core.png");
    let output = crate::common::atlas_command()
        .args(["export", "--view", "core", "--size", "800x600", "--out"])
        .arg(&out)
        .arg("--basemap")
        .arg(fixture("raster.pmtiles"))
        .arg("--basemap")
        .arg(dir.join("moved.mbtiles"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("moved.mbtiles: file is missing"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        out.is_file(),
        "the page is written with the package that opened"
    );
}

/// GDAL's MVT writer against our reader: a river vertex of the atlas's own data comes back
/// from the vector package within metres, and the tile is styled as OpenMapTiles.
#[test]
fn vector_tiles_from_gdal_decode_to_where_their_features_are() {
    use chengyu_atlas::render::vector_tile::{Paint, Schema, prepare_tile};
    let package = open("vector.mbtiles");
    assert_eq!(
        Schema::of_layers(&package.info().vector_layers),
        Schema::OpenMapTiles
    );
    let rivers: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata/basemap/rivers.geojson"),
        )
        .expect("rivers"),
    )
    .expect("json");
    // A river vertex near the science city.
    let vertex = rivers["features"]
        .as_array()
        .expect("features")
        .iter()
        .flat_map(|f| {
            f["geometry"]["coordinates"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .flat_map(|c| {
            if c[0].is_array() {
                c.as_array().cloned().unwrap_or_default()
            } else {
                vec![c]
            }
        })
        .filter_map(|c| Some((c[0].as_f64()?, c[1].as_f64()?)))
        .find(|(lon, lat)| (106.3..106.5).contains(lon) && (29.4..29.7).contains(lat))
        .expect("a river vertex");
    let (key, _) = tile_and_pixel(vertex.0, vertex.1, 12);
    let bytes = package.tile(key).expect("read").expect("tile");
    let tile = prepare_tile(key, &bytes, Schema::OpenMapTiles, [0.0, 0.0]).expect("decode");
    let [vx, vy] = mercator(vertex.0, vertex.1);
    let metres_per_unit = 40_075_016.0 * vertex.1.to_radians().cos();
    let nearest = tile
        .groups
        .iter()
        .filter(|g| matches!(g.paint, Paint::Line { .. }))
        .flat_map(|g| g.geometry.vertices.iter())
        .map(|v| (f64::from(v[0]) - vx).hypot(f64::from(v[1]) - vy) * metres_per_unit)
        .fold(f64::INFINITY, f64::min);
    assert!(nearest < 30.0, "nearest line vertex {nearest:.1} m away");
    assert!(
        tile.groups
            .iter()
            .any(|g| matches!(g.paint, Paint::Fill(_))),
        "water areas"
    );
    // The same tile from the PMTiles conversion decodes the same.
    let converted = open("vector.pmtiles")
        .tile(key)
        .expect("read")
        .expect("tile");
    let again = prepare_tile(key, &converted, Schema::OpenMapTiles, [0.0, 0.0]).expect("decode");
    assert_eq!(tile, again);
}

/// In the scene, a vector package's areas and roads lie on the land, under the zones, and
/// its names yield to the atlas's.
#[test]
fn vector_tiles_are_drawn_under_the_zones() {
    use chengyu_atlas::export::{ExportBasemap, ExportRequest, Extent, PageSize, map_scene};
    let mut request = ExportRequest::new(
        Extent::Feature("core".into()),
        PageSize::Pixels {
            width: 1200,
            height: 900,
        },
    );
    request.basemaps = vec![ExportBasemap {
        package: open("vector.pmtiles"),
        opacity: 1.0,
    }];
    let mut builder = SceneBuilder::new(atlas());
    let scene = map_scene(atlas(), &mut builder, &request, [1200.0, 900.0]).expect("scene");
    let first_tile = scene
        .items
        .iter()
        .position(|i| matches!(i, Item::TileFill { .. } | Item::TileStroke { .. }))
        .expect("vector tiles drawn");
    let last_tile = scene
        .items
        .iter()
        .rposition(|i| matches!(i, Item::TileFill { .. } | Item::TileStroke { .. }))
        .expect("vector tiles drawn");
    let first_zone = scene
        .items
        .iter()
        .position(|i| matches!(i, Item::Fill { feature, .. } if feature.layer == chengyu_atlas::model::LayerId::Core))
        .expect("the core is filled");
    assert!(first_tile >= scene.underlay, "above the land");
    assert!(last_tile < first_zone, "under the zones");
}

/// Dropped on the map, a package is opened and listed with its name and attribution; the
/// choice is remembered; when the file has moved, the next start says so and shows the
/// built-in basemap.
#[test]
fn a_dropped_package_is_shown_remembered_and_missed_when_moved() {
    use egui_kittest::kittest::Queryable;
    let dir = fresh_dir("window-basemap");
    let package = dir.join("streets.mbtiles");
    std::fs::copy(fixture("raster.mbtiles"), &package).expect("copy");
    let state = dir.join("state.json");
    let mut harness = crate::common::window(
        crate::common::loaded().clone(),
        Some(state.clone()),
        1.0 / 60.0,
    );
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(crate::common::Dropped(package.clone())));
    // Stepped, not run: the tiles loading ask for frames until they are in, and on a busy
    // machine that can outlast `run`'s frame budget.
    for _ in 0..3 {
        harness.step();
    }
    assert_eq!(harness.state().basemaps().layers.len(), 1);
    harness.get_by_label("Science city test raster (GDAL)");
    // In the basemap panel and in the status bar.
    assert_eq!(
        harness
            .query_all_by_label_contains("Test raster from the atlas's own layers")
            .count(),
        2
    );
    harness.state_mut().save_now();
    let saved = std::fs::read_to_string(&state).expect("state saved");
    assert!(saved.contains("streets.mbtiles"), "{saved}");
    drop(harness);

    std::fs::remove_file(&package).expect("move the package away");
    let mut harness =
        crate::common::window(crate::common::loaded().clone(), Some(state), 1.0 / 60.0);
    harness.run();
    assert!(harness.state().basemaps().layers.is_empty());
    harness.get_by_label_contains("streets.mbtiles: 文件不存在");
    harness.get_by_label("当前为内置底图（边界、河流、地名）");
}

/// A tile server on 127.0.0.1 that serves the fixture's tiles at `/{z}/{x}/{y}.png` (404 for
/// others, 500 for row 0), counting the requests.
fn tile_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let package = open("raster.mbtiles");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut line = String::new();
            if BufReader::new(&stream).read_line(&mut line).is_err() {
                continue;
            }
            seen.fetch_add(1, Ordering::SeqCst);
            let path = line.split_whitespace().nth(1).unwrap_or("/");
            let parts: Vec<u32> = path
                .trim_start_matches('/')
                .trim_end_matches(".png")
                .split('/')
                .filter_map(|p| p.parse().ok())
                .collect();
            let (status, body) = match parts[..] {
                [_, _, 0] => ("500 Internal Server Error", Vec::new()),
                [z, x, y] => match package.tile(TileKey::new(z as u8, x, y)) {
                    Ok(Some(bytes)) => ("200 OK", bytes),
                    _ => ("404 Not Found", Vec::new()),
                },
                _ => ("404 Not Found", Vec::new()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (
        format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
        count,
    )
}

/// Tiles from a server come once and are kept in the cache folder; a missing tile is no
/// error, a failing server is said with the tile; the cache stays under its cap.
#[test]
fn a_tile_server_is_fetched_once_and_cached_under_its_cap() {
    use std::sync::atomic::Ordering;
    let (url, requests) = tile_server();
    let cache = fresh_dir("tile-cache");
    let server = Package::open_server(&url, Some(&cache), 64 * 1024).expect("a template");
    assert_eq!(server.info().kind, PackageKind::Server);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        0,
        "nothing fetched on opening"
    );
    let (key, _) = tile_and_pixel(106.34, 29.52, 12);
    let first = server.tile(key).expect("fetched").expect("a tile");
    assert_eq!(
        Some(first.clone()),
        open("raster.mbtiles").tile(key).expect("read")
    );
    let again = server.tile(key).expect("cached").expect("a tile");
    assert_eq!(first, again);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "the second came from the cache"
    );
    assert_eq!(
        server.tile(TileKey::new(3, 1, 1)).expect("404 is no error"),
        None
    );
    let error = server.tile(TileKey::new(3, 1, 0)).expect_err("500");
    assert!(
        error.to_string().contains("HTTP 500") && error.to_string().contains("127.0.0.1"),
        "{error}"
    );
    // Fetch enough to pass the 64 kB cap: the oldest go.
    for x in 3250..3262 {
        for y in 1690..1700 {
            let _ = server.tile(TileKey::new(12, x, y));
        }
    }
    let kept: u64 = walk(&cache);
    assert!(kept <= 64 * 1024, "the cache holds {kept} bytes");
    assert!(kept > 0);
    let refused = Package::open_server("https://tiles.example/tiles.png", Some(&cache), 1024)
        .expect_err("no {z}");
    assert!(refused.to_string().contains("{z}"), "{refused}");
}

fn walk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// A package whose tiles cannot be decoded leaves them blank in the window, and its row in the
/// basemaps pane counts them and names the first with why (it was said only on stderr).
#[test]
fn undecodable_tiles_are_counted_in_the_basemaps_pane() {
    use egui_kittest::kittest::Queryable;
    let dir = fresh_dir("window-bad-tiles");
    let package = dir.join("broken.mbtiles");
    std::fs::copy(fixture("raster.mbtiles"), &package).expect("copy");
    let connection = rusqlite::Connection::open(&package).expect("sqlite");
    connection
        .execute("UPDATE tiles SET tile_data = x'89504e470d0a1a0a0000'", [])
        .expect("break every tile");
    drop(connection);
    let mut harness = crate::common::window(crate::common::loaded().clone(), None, 1.0 / 60.0);
    harness.run();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(crate::common::Dropped(package.clone())));
    harness.step();
    let science_city = crate::common::atlas()
        .bounds_of("science-city")
        .expect("zone")
        .center();
    harness.state_mut().go_to(science_city, 11.0);
    crate::common::wait_until("the broken tiles are read", || {
        harness.step();
        harness
            .state()
            .basemaps()
            .layers
            .first()
            .is_some_and(|layer| layer.tiles.errors().count > 0)
    });
    harness.step();
    let counted = harness
        .query_all_by_label_contains("个瓦片无法读取")
        .next()
        .expect("the pane counts them");
    let said = format!("{counted:?}");
    assert!(said.contains("broken.mbtiles"), "{said}");
}
