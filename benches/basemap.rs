//! Basemap packages, measured with a baseline from the same run where there is one:
//!
//! 1. opening a 2 GB PMTiles and a 2 GB MBTiles (generated here) — against reading the first
//!    16 kB of the same file; target under 50 ms;
//! 2. a raster tile decoded and uploaded (PNG 256 px), median and p99 — against decoding only;
//! 3. an urban vector tile (synthetic, about 3 000 buildings and 900 roads, z14) decoded,
//!    styled and triangulated, median and p99 — against the bare MVT decode; target under 5 ms;
//!    the bare decode against mvt-reader's (prost) on the same tile;
//! 4. the window panning at 1920×1080 over a raster package, frame CPU (layout, the scene and
//!    tessellation, as eframe runs a frame; no GPU) against the same pan without a package while tiles stream in (cold) and once they are cached; targets: no frame
//!    over 16 ms while streaming, p99 under 4 ms cached; the tile cache's bytes after a long
//!    pan (bounded at 256 MB);
//! 5. a 3840×2160 export of the science city with a raster package — against the same export
//!    without one; target under 1.5 s.
//!
//! `cargo bench --bench basemap [-- SECTION …]` (opening, raster, vector, panning, exporting); the generated packages stay in $TMPDIR/chengyu-basemap-bench.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chengyu_atlas::basemap::{Package, TileKey, mvt, raster};
use chengyu_atlas::export::{self, ExportBasemap, ExportRequest, Extent, PageSize};
use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::render::SceneBuilder;
use chengyu_atlas::render::vector_tile::{Schema, prepare_tile};
#[allow(dead_code)] // each benchmark uses a part of it
#[path = "common/window.rs"]
mod window;
use chengyu_atlas::ui::basemap::LayerTiles;
use window::Window;

fn main() {
    let dir = std::env::temp_dir().join("chengyu-basemap-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    println!("basemap benchmark (figures from this run)\n");
    // `cargo bench --bench basemap -- vector` runs the sections named; no name runs them all.
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let run =
        |section: &str| named.is_empty() || named.iter().any(|n| section.contains(n.as_str()));
    if run("opening") {
        opening(&dir);
    }
    if run("raster") {
        raster_tiles();
    }
    if run("vector") {
        vector_tiles();
    }
    if run("panning exporting") {
        let package = panning_package(&dir);
        if run("panning") {
            panning(&package);
        }
        if run("exporting") {
            exporting(&package);
        }
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let at = |q: f64| millis(samples[((samples.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.99), at(1.0))
}

// ---- 1. Opening ---------------------------------------------------------------------------

const BIG: u64 = 2 * 1024 * 1024 * 1024;
const BIG_TILE: usize = 64 * 1024;

/// Distinct 64 kB "tiles" (not images: opening reads no tile but the probe's).
fn big_tile(index: u64) -> Vec<u8> {
    let mut tile = vec![0u8; BIG_TILE];
    tile[..8].copy_from_slice(&index.to_le_bytes());
    tile
}

/// The tiles of a 2 GB package: zooms 0–14 over the region, as many as fit.
fn big_keys() -> Vec<TileKey> {
    let count = BIG / BIG_TILE as u64;
    let mut keys = Vec::new();
    'zooms: for z in 8..=16u8 {
        let (x0, y0) = (
            raster::key_at(104.0, 31.5, z),
            raster::key_at(108.0, 28.5, z),
        );
        for x in x0.x..=y0.x {
            for y in x0.y..=y0.y {
                keys.push(TileKey::new(z, x, y));
                if keys.len() as u64 >= count {
                    break 'zooms;
                }
            }
        }
    }
    keys
}

fn write_big_pmtiles(path: &Path) {
    use pmtiles::{PmTilesWriter, TileCoord, TileType};
    if std::fs::metadata(path).is_ok_and(|m| m.len() >= BIG) {
        return;
    }
    println!("  writing {} …", path.display());
    let file = std::fs::File::create(path).expect("create");
    let mut writer = PmTilesWriter::new(TileType::Png)
        .tile_compression(pmtiles::Compression::None)
        .metadata(r#"{"name":"2 GB synthetic"}"#)
        .create(std::io::BufWriter::new(file))
        .expect("writer");
    let mut keys = big_keys();
    keys.sort_by_key(|k| {
        pmtiles::TileId::from(TileCoord::new(k.z, k.x, k.y).expect("coord")).value()
    });
    for (index, key) in keys.iter().enumerate() {
        let coord = TileCoord::new(key.z, key.x, key.y).expect("coord");
        writer
            .add_tile(coord, &big_tile(index as u64))
            .expect("tile");
    }
    writer.finalize().expect("finalize");
}

fn write_big_mbtiles(path: &Path) {
    if std::fs::metadata(path).is_ok_and(|m| m.len() >= BIG) {
        return;
    }
    println!("  writing {} …", path.display());
    let _ = std::fs::remove_file(path);
    let mut db = rusqlite::Connection::open(path).expect("sqlite");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
         INSERT INTO metadata VALUES ('name', '2 GB synthetic'), ('format', 'png'),
             ('minzoom', '8'), ('maxzoom', '16'), ('bounds', '104,28.5,108,31.5');",
    )
    .expect("schema");
    let insert = db.transaction().expect("transaction");
    {
        let mut statement = insert
            .prepare("INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)")
            .expect("insert");
        for (index, key) in big_keys().iter().enumerate() {
            statement
                .execute(rusqlite::params![
                    key.z,
                    key.x,
                    key.tms_row(),
                    big_tile(index as u64)
                ])
                .expect("row");
        }
    }
    insert.commit().expect("commit");
}

fn opening(dir: &Path) {
    println!("1. opening a 2 GB package (best of 5; baseline: open + read its first 16 kB)");
    let pmtiles = dir.join("big.pmtiles");
    let mbtiles = dir.join("big.mbtiles");
    write_big_pmtiles(&pmtiles);
    write_big_mbtiles(&mbtiles);
    for path in [&pmtiles, &mbtiles] {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let best = |work: &dyn Fn()| {
            (0..5)
                .map(|_| {
                    let started = Instant::now();
                    work();
                    started.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let open = best(&|| {
            let package = Package::open(path).expect("opens");
            std::hint::black_box(package.info().max_zoom);
        });
        let baseline = best(&|| {
            use std::io::Read;
            let mut buffer = vec![0u8; 16 * 1024];
            let mut file = std::fs::File::open(path).expect("open");
            std::hint::black_box(file.read(&mut buffer).expect("read"));
        });
        println!(
            "   {:<12} {:>6.2} GB: open {:>7.3} ms (baseline {:.3} ms, ×{:.0})",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            size as f64 / 1e9,
            millis(open),
            millis(baseline),
            millis(open) / millis(baseline).max(1e-6)
        );
    }
}

// ---- 2. Raster tiles ------------------------------------------------------------------------

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/basemap")
        .join(name)
}

fn raster_tiles() {
    println!(
        "\n2. a raster tile decoded and uploaded (PNG 256 px, the GDAL fixture's 70 z12 tiles ×10)"
    );
    let package = Package::open(&fixture("raster.mbtiles")).expect("fixture");
    let mut tiles = Vec::new();
    for x in 3255..=3261 {
        for y in 1688..=1700 {
            if let Ok(Some(bytes)) = package.tile(TileKey::new(12, x, y)) {
                tiles.push(bytes);
            }
        }
    }
    let ctx = egui::Context::default();
    let (mut decode, mut upload) = (Vec::new(), Vec::new());
    for round in 0..10 {
        for (index, bytes) in tiles.iter().enumerate() {
            let started = Instant::now();
            let tile = raster::decode(bytes).expect("png");
            decode.push(started.elapsed());
            let image = egui::ColorImage::from_rgba_unmultiplied(
                [tile.width as usize, tile.height as usize],
                &tile.rgba,
            );
            let texture = ctx.load_texture(format!("t{round}-{index}"), image, Default::default());
            upload.push(started.elapsed());
            std::hint::black_box(texture.id());
        }
    }
    let (d50, d99, _) = percentiles(decode);
    let (u50, u99, _) = percentiles(upload);
    println!("   decode only (baseline): median {d50:.3} ms, p99 {d99:.3} ms");
    println!(
        "   decode + texture:       median {u50:.3} ms, p99 {u99:.3} ms ({} tiles)",
        tiles.len() * 10
    );
}

// ---- 3. Vector tiles ------------------------------------------------------------------------

/// A protobuf writer, just enough for a vector tile.
#[derive(Default)]
struct Proto(Vec<u8>);

impl Proto {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn key(&mut self, field: u64, wire: u64) {
        self.varint(field << 3 | wire);
    }
    fn bytes(&mut self, field: u64, bytes: &[u8]) {
        self.key(field, 2);
        self.varint(bytes.len() as u64);
        self.0.extend_from_slice(bytes);
    }
    fn packed(&mut self, field: u64, values: &[u32]) {
        let mut inner = Proto::default();
        for v in values {
            inner.varint(u64::from(*v));
        }
        self.bytes(field, &inner.0);
    }
}

fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// Geometry commands for a path (closed for polygons).
fn commands(points: &[[i32; 2]], close: bool) -> Vec<u32> {
    let mut out = vec![1 | (1 << 3)];
    let mut at = [0, 0];
    for (index, p) in points.iter().enumerate() {
        if index == 1 {
            out.push(2 | (((points.len() - 1) as u32) << 3));
        }
        out.push(zigzag(p[0] - at[0]));
        out.push(zigzag(p[1] - at[1]));
        at = *p;
    }
    if close {
        out.push(7 | (1 << 3));
    }
    out
}

/// A dense city tile in the OpenMapTiles schema: a street grid of mixed classes, a block of
/// buildings in every cell, two rivers' water and street names.
fn urban_tile() -> Vec<u8> {
    let classes = [
        "minor",
        "minor",
        "tertiary",
        "minor",
        "secondary",
        "minor",
        "primary",
    ];
    let mut tile = Proto::default();
    let layer = |name: &str, keys: &[&str], values: &[&str], features: Vec<Vec<u8>>| {
        let mut l = Proto::default();
        l.key(15, 0);
        l.varint(2);
        l.bytes(1, name.as_bytes());
        for f in features {
            l.bytes(2, &f);
        }
        for k in keys {
            l.bytes(3, k.as_bytes());
        }
        for v in values {
            let mut value = Proto::default();
            value.bytes(1, v.as_bytes());
            l.bytes(4, &value.0);
        }
        l.key(5, 0);
        l.varint(4096);
        l.0
    };
    let feature = |tags: &[u32], kind: u64, geometry: Vec<u32>| {
        let mut f = Proto::default();
        f.packed(2, tags);
        f.key(3, 0);
        f.varint(kind);
        f.packed(4, &geometry);
        f.0
    };
    // Roads: 30 lines each way, each cut into 15 segments (as tiles carry them).
    let mut roads = Vec::new();
    for i in 0..30 {
        let c = 70 + i * 132;
        for s in 0..15 {
            let (a, b) = (s * 273, (s + 1) * 273);
            let class = (i as usize + s as usize) % classes.len();
            let wobble = |t: i32| (t / 40) % 7;
            let along: Vec<[i32; 2]> = (a..=b).step_by(39).map(|t| [t, c + wobble(t)]).collect();
            let across: Vec<[i32; 2]> = (a..=b).step_by(39).map(|t| [c + wobble(t), t]).collect();
            roads.push(feature(&[0, class as u32], 2, commands(&along, false)));
            roads.push(feature(&[0, class as u32], 2, commands(&across, false)));
        }
    }
    // Buildings: 3 000 small polygons of 5 to 9 corners.
    let mut buildings = Vec::new();
    for i in 0..3000 {
        let (cx, cy) = (100 + (i % 60) * 66, 100 + (i / 60) * 78);
        let corners = 5 + i % 5;
        let ring: Vec<[i32; 2]> = (0..corners)
            .map(|k| {
                let angle = -(k as f64) / corners as f64 * std::f64::consts::TAU;
                [
                    cx + (18.0 * angle.cos()) as i32,
                    cy + (14.0 * angle.sin()) as i32,
                ]
            })
            .collect();
        buildings.push(feature(&[], 3, commands(&ring, true)));
    }
    let water_ring: Vec<[i32; 2]> = (0..200)
        .map(|k| {
            let t = -(k as f64) / 200.0 * std::f64::consts::TAU;
            [
                2048 + (900.0 * t.cos()) as i32,
                2048 + (300.0 * t.sin() + 200.0 * (3.0 * t).sin()) as i32,
            ]
        })
        .collect();
    let names: Vec<Vec<u8>> = (0..200)
        .map(|i| {
            feature(
                &[0, i],
                2,
                commands(&[[i as i32 * 19, 300], [i as i32 * 19 + 200, 320]], false),
            )
        })
        .collect();
    let name_values: Vec<String> = (0..200).map(|i| format!("街道 {i}")).collect();
    let name_refs: Vec<&str> = name_values.iter().map(String::as_str).collect();
    tile.bytes(3, &layer("transportation", &["class"], &classes, roads));
    tile.bytes(3, &layer("building", &[], &[], buildings));
    tile.bytes(
        3,
        &layer(
            "water",
            &[],
            &[],
            vec![feature(&[], 3, commands(&water_ring, true))],
        ),
    );
    tile.bytes(
        3,
        &layer("transportation_name", &["name"], &name_refs, names),
    );
    tile.0
}

fn vector_tiles() {
    println!("\n3. an urban vector tile (synthetic OpenMapTiles z14), 100 runs");
    let bytes = urban_tile();
    let key = TileKey::new(14, 13_040, 6_780);
    let layers = mvt::decode(&bytes).expect("decodes");
    let features: usize = layers.iter().map(|l| l.features.len()).sum();
    let (mut bare, mut full, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    let mut triangles = 0;
    for _ in 0..100 {
        let started = Instant::now();
        std::hint::black_box(mvt::decode(&bytes).expect("decodes"));
        bare.push(started.elapsed());
        // The same tile through mvt-reader (prost): every layer's features, geometry and
        // properties, as ours decodes them.
        let started = Instant::now();
        let reader = mvt_reader::Reader::new(bytes.clone()).expect("mvt-reader reads it");
        let names = reader.get_layer_names().expect("layers");
        for index in 0..names.len() {
            std::hint::black_box(reader.get_features(index).expect("features"));
        }
        theirs.push(started.elapsed());
        let started = Instant::now();
        let tile = prepare_tile(key, &bytes, Schema::OpenMapTiles, [0.8, 0.4]).expect("prepares");
        full.push(started.elapsed());
        triangles = tile
            .groups
            .iter()
            .map(|g| g.geometry.triangles.len() / 3)
            .sum();
    }
    let (b50, b99, _) = percentiles(bare);
    let (f50, f99, _) = percentiles(full);
    println!(
        "   {} kB, {features} features, {triangles} triangles",
        bytes.len() / 1024
    );
    let (t50, t99, _) = percentiles(theirs);
    println!("   mvt-reader decode (baseline): median {t50:.2} ms, p99 {t99:.2} ms");
    println!(
        "   our MVT decode:               median {b50:.2} ms, p99 {b99:.2} ms ({:.1}× mvt-reader's speed)",
        t50 / b50
    );
    println!(
        "   decode + style + triangulate: median {f50:.2} ms, p99 {f99:.2} ms (target < 5 ms)"
    );
}

// ---- 4. Panning ----------------------------------------------------------------------------

/// A raster package with zooms 10–15 around the science city: 16 distinct PNG tiles (made
/// here) repeated, about 4 000 tiles.
fn panning_package(dir: &Path) -> PathBuf {
    let path = dir.join("panning.mbtiles");
    if path.exists() {
        return path;
    }
    let pngs: Vec<Vec<u8>> = (0..16u8)
        .map(|k| {
            let mut image = image::RgbImage::new(256, 256);
            for (x, y, p) in image.enumerate_pixels_mut() {
                let v = ((x / 16 + y / 16) % 2) as u8;
                *p = image::Rgb([200 + v * 30 + k, 190 + k * 3, 180 + ((x * y) % 40) as u8]);
            }
            let mut png = Vec::new();
            image
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .expect("png");
            png
        })
        .collect();
    let mut db = rusqlite::Connection::open(&path).expect("sqlite");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
         INSERT INTO metadata VALUES ('name', 'panning'), ('format', 'png'), ('minzoom', '10'),
             ('maxzoom', '15'), ('bounds', '106.0,29.2,106.8,29.9');",
    )
    .expect("schema");
    let insert = db.transaction().expect("transaction");
    for z in 10..=15u8 {
        let (a, b) = (
            raster::key_at(106.0, 29.9, z),
            raster::key_at(106.8, 29.2, z),
        );
        for x in a.x..=b.x {
            for y in a.y..=b.y {
                let png = &pngs[((x + y) % 16) as usize];
                insert
                    .execute(
                        "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
                        rusqlite::params![z, x, TileKey::new(z, x, y).tms_row(), png],
                    )
                    .expect("row");
            }
        }
    }
    insert.commit().expect("commit");
    path
}

fn window(package: Option<&Path>) -> Window {
    let paths: Vec<PathBuf> = package.into_iter().map(Path::to_path_buf).collect();
    Window::new(|ctx, app| app.with_basemap_files(ctx, &paths))
}

/// One frame of a drag by `dx` points: the time of the frame that moves the map.
fn pan_frame(window: &mut Window, dx: f32) -> Duration {
    use egui::{Event, PointerButton};
    let centre = egui::pos2(1100.0, 540.0);
    let press = |pressed, pos| Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    window.step(vec![Event::PointerMoved(centre), press(true, centre)]);
    let moved = centre + egui::vec2(dx, 0.0);
    let took = window.step(vec![Event::PointerMoved(moved)]);
    window.step(vec![press(false, moved)]);
    took
}

/// Tiles loading and texture bytes held, over the window's raster packages.
fn tiles_state(window: &Window) -> (usize, usize) {
    window
        .state()
        .basemaps()
        .layers
        .iter()
        .map(|l| match &l.tiles {
            LayerTiles::Raster(t) => (t.loading(), t.cache_bytes()),
            LayerTiles::Vector(_) => (0, 0),
        })
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

/// 120 frames panning west from the start, then (everything loaded) the same again.
fn pan_twice(harness: &mut Window) -> (Vec<Duration>, Vec<Duration>) {
    let start = geo::coord! { x: 106.2, y: 29.55 };
    harness.state_mut().go_to(start, 14.0);
    // The atlas's own geometry for zoom 14 is prepared on the first frame there.
    harness.step(Vec::new());
    harness.step(Vec::new());
    let streaming: Vec<Duration> = (0..120).map(|_| pan_frame(harness, -60.0)).collect();
    harness.state_mut().go_to(start, 14.0);
    for _ in 0..200 {
        if tiles_state(harness).0 == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.step(Vec::new());
    }
    let cached = (0..120).map(|_| pan_frame(harness, -60.0)).collect();
    (streaming, cached)
}

fn panning(package: &Path) {
    println!(
        "\n4. panning at 1920×1080, zoom 14, 120 frames (frame CPU: layout, scene, tessellation; no GPU)"
    );
    let (_, plain) = pan_twice(&mut window(None));
    let mut harness = window(Some(package));
    let (streaming, cached) = pan_twice(&mut harness);
    let (p50, p99, pmax) = percentiles(plain);
    let (s50, s99, smax) = percentiles(streaming);
    let (c50, c99, cmax) = percentiles(cached);
    println!("   no basemap (baseline):   median {p50:.2} ms, p99 {p99:.2} ms, max {pmax:.2} ms");
    println!(
        "   while tiles stream in:   median {s50:.2} ms, p99 {s99:.2} ms, max {smax:.2} ms (target: none over 16 ms)"
    );
    println!(
        "   over cached tiles:       median {c50:.2} ms, p99 {c99:.2} ms, max {cmax:.2} ms (target p99 < 4 ms)"
    );
    println!(
        "   the basemap's share, cached: {:+.2} ms at the median, {:+.2} ms at p99",
        c50 - p50,
        c99 - p99
    );
    // A long pan across the package at zoom 15: the cache stays bounded.
    harness
        .state_mut()
        .go_to(geo::coord! { x: 106.05, y: 29.3 }, 15.0);
    for step in 0..400 {
        let dx = if (step / 40) % 2 == 0 { -120.0 } else { 120.0 };
        pan_frame(&mut harness, dx);
        if step % 40 == 39 {
            let view = harness.state().view().expect("view");
            harness.state_mut().go_to(
                geo::coord! { x: view.center[0], y: view.center[1] + 0.02 },
                15.0,
            );
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    harness.step(Vec::new());
    let (_, bytes) = tiles_state(&harness);
    println!(
        "   texture cache after a long pan: {:.0} MB (bound {} MB)",
        bytes as f64 / 1_048_576.0,
        chengyu_atlas::ui::basemap::CACHE_BYTES / 1_048_576
    );
}

// ---- 5. Export ------------------------------------------------------------------------------

fn exporting(package: &Path) {
    println!("\n5. a 3840×2160 PNG of the science city (best of 3)");
    let loaded = geodata::load(&DataSource::Embedded);
    let mut builder = SceneBuilder::new(&loaded.atlas);
    let out = std::env::temp_dir().join("chengyu-basemap-bench-4k.png");
    let size = PageSize::Pixels {
        width: 3840,
        height: 2160,
    };
    let run = |builder: &mut SceneBuilder, basemaps: Vec<ExportBasemap>| {
        (0..3)
            .map(|_| {
                let mut request = ExportRequest::new(Extent::Feature("science-city".into()), size);
                request.basemaps = basemaps.clone();
                let started = Instant::now();
                export::export_to_file(&loaded.atlas, builder, &request, &out, true)
                    .expect("export");
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let without = run(&mut builder, Vec::new());
    let with = run(
        &mut builder,
        vec![ExportBasemap {
            package: Package::open(package).expect("package"),
            opacity: 1.0,
        }],
    );
    println!("   without a basemap (baseline): {:.0} ms", millis(without));
    println!(
        "   with a raster basemap:        {:.0} ms (×{:.1}; target < 1 500 ms)",
        millis(with),
        millis(with) / millis(without)
    );
}
