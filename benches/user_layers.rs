//! The user's own layers at scale, with baselines from the same run:
//!
//! 1. a CSV of 1 000 000 points (about 40 MB, generated here) read as a layer — against a
//!    bare `csv` parse of the same bytes with the two coordinates as numbers; target < 2 s;
//!    then what the window does with it (the atlas, index and search made again);
//! 2. identify on it: 20 000 queries, p50/p99 — against the atlas alone; target p99 < 5 µs;
//! 3. frame CPU at 1920×1080 with the layer shown, at zoom 7 to 15 — against the atlas alone;
//!    target 30 fps (33 ms) or better at every zoom;
//! 4. 100 000 polygons (24-gons, about 55 MB GeoJSON) read as a layer — against
//!    `serde_json::Value` of the same bytes; target < 0.5 s; and the frame of its full extent,
//!    target < 8 ms;
//! 5. a vertex of one of those polygons dragged (the layer open for edits): frames while
//!    dragging against a pan at the same place; target < 8 ms.
//!
//! `cargo bench --bench user_layers [-- points|polygons]`; the generated files stay in
//! $TMPDIR/chengyu-user-bench.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use std::path::Path;
use std::time::{Duration, Instant};

use chengyu_atlas::geodata::user::{self, LayerOptions, LayerSpec};
use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::index::SpatialIndex;
// Shared with the basemap benchmark, which reads the app's state this one does not.
#[allow(dead_code)]
#[path = "common/window.rs"]
mod window;
use window::Window;
#[path = "common/generated.rs"]
mod generated;
use generated::{Random, write_points, write_polygons};

fn main() {
    let dir = std::env::temp_dir().join("chengyu-user-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    println!("user layers benchmark (figures from this run)\n");
    // `-- points` or `-- polygons` runs one half.
    let only = std::env::args()
        .skip(1)
        .find(|a| a == "points" || a == "polygons");
    if only.as_deref() != Some("polygons") {
        let points = write_points(&dir.join("points.csv"), 1_000_000);
        loading_points(&points);
        identify(&points);
        frames(&points);
    }
    if only.as_deref() != Some("points") {
        let polygons = write_polygons(&dir.join("polygons.geojson"), 100_000);
        loading_polygons(&polygons);
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| millis(samples[((samples.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.99))
}

fn best_of<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut best = None;
    let mut kept = None;
    for _ in 0..runs {
        let started = Instant::now();
        let out = work();
        let took = started.elapsed();
        if best.is_none_or(|b| took < b) {
            best = Some(took);
        }
        kept = Some(out);
    }
    (best.expect("ran"), kept.expect("ran"))
}

fn loading_points(path: &Path) {
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    println!(
        "1. a CSV of 1 000 000 points ({:.0} MB), best of 3",
        bytes as f64 / 1_048_576.0
    );
    let (bare, rows) = best_of(3, || {
        let mut reader = csv::Reader::from_path(path).expect("open");
        let mut rows = 0usize;
        let mut sum = 0.0;
        for record in reader.records() {
            let record = record.expect("record");
            let lon: f64 = record[3].parse().expect("lon");
            let lat: f64 = record[4].parse().expect("lat");
            sum += lon + lat;
            rows += 1;
        }
        std::hint::black_box(sum);
        rows
    });
    assert_eq!(rows, 1_000_000);
    let (read, layer) = best_of(3, || {
        user::load(path, &LayerOptions::default()).expect("loads")
    });
    assert_eq!(layer.features.len(), 1_000_000);
    println!(
        "   bare csv parse (baseline): {:.0} ms\n   read as a layer:           {:.0} ms ({:.1}× the bare parse; target < 2000 ms)",
        millis(bare),
        millis(read),
        read.as_secs_f64() / bare.as_secs_f64()
    );
    let atlas = geodata::load(&DataSource::Embedded).atlas;
    let (_, (atlas, index, inserted)) = best_of(1, || {
        let mut atlas = atlas.clone();
        let loaded = user::load(path, &LayerOptions::default()).expect("loads");
        let started = Instant::now();
        user::insert(&mut atlas, &LayerSpec::new(path, None), loaded).expect("inserted");
        let index = SpatialIndex::new(&atlas);
        std::hint::black_box(index.len());
        let elapsed = started.elapsed();
        (atlas, index, elapsed)
    });
    println!(
        "   then added to the atlas and indexed (the window's part): {:.0} ms",
        millis(inserted)
    );
    // Any later change (another layer, a restyle of another) makes the index again: the big
    // layer's pyramid is kept. Baseline in the same run: the index made from nothing.
    // The window's UI thread: the index without the big layer while its pyramid is built on
    // another thread, then with it (the pyramid kept).
    let plain = SpatialIndex::new(&geodata::load(&DataSource::Embedded).atlas);
    let (deferring, _) = best_of(3, || {
        std::hint::black_box(plain.rebuilt_deferring(&atlas, &[]).0.len())
    });
    println!(
        "   the window's UI thread meanwhile: {:.0} ms (the index without the layer, its pyramid built on another thread)",
        millis(deferring)
    );
    let (from_nothing, _) = best_of(3, || std::hint::black_box(SpatialIndex::new(&atlas).len()));
    let (kept, _) = best_of(3, || std::hint::black_box(index.rebuilt(&atlas).len()));
    println!(
        "   the index made again after another change: {:.0} ms, keeping the pyramid (from nothing: {:.0} ms, {:.1}× slower)",
        millis(kept),
        millis(from_nothing),
        from_nothing.as_secs_f64() / kept.as_secs_f64()
    );
}

fn identify(path: &Path) {
    println!("\n2. identify, 20 000 random points in the region, tolerance 300 m");
    let plain = geodata::load(&DataSource::Embedded).atlas;
    let mut with_layer = plain.clone();
    user::add_to(&mut with_layer, &LayerSpec::new(path, None)).expect("added");
    // "Cold": each query once, a jump across the map (a click after a pan); "warm": the mean
    // of 5 repeats, as hover queries are (the cursor moves a few pixels a frame, so the data
    // it needs is in cache), as in the hit-test benchmark.
    const REPEATS: u32 = 5;
    let run = |atlas: &chengyu_atlas::model::Atlas| {
        let index = SpatialIndex::new(atlas);
        let mut random = Random(42);
        let queries: Vec<geo::Coord> = (0..20_000)
            .map(|_| geo::coord! { x: 103.5 + 4.5 * random.next(), y: 28.5 + 3.0 * random.next() })
            .collect();
        let mut hits = 0usize;
        let mut cold = Vec::with_capacity(queries.len());
        let mut warm = Vec::with_capacity(queries.len());
        for &at in &queries {
            let started = Instant::now();
            hits += index.hits(atlas, std::hint::black_box(at), 300.0).len();
            cold.push(started.elapsed());
            let started = Instant::now();
            for _ in 0..REPEATS {
                hits += index.hits(atlas, std::hint::black_box(at), 300.0).len();
            }
            warm.push(started.elapsed() / REPEATS);
        }
        std::hint::black_box(hits);
        (percentiles(cold), percentiles(warm))
    };
    let ((p50, p99), (w50, w99)) = run(&plain);
    let ((u50, u99), (uw50, uw99)) = run(&with_layer);
    let us = |ms: f64| ms * 1000.0;
    println!(
        "   atlas alone (baseline): warm p50 {:.2} µs, p99 {:.2} µs | cold p50 {:.2} µs, p99 {:.2} µs\n   with the 1 000 000 points: warm p50 {:.2} µs, p99 {:.2} µs | cold p50 {:.2} µs, p99 {:.2} µs (target p99 < 5 µs)",
        us(w50),
        us(w99),
        us(p50),
        us(p99),
        us(uw50),
        us(uw99),
        us(u50),
        us(u99)
    );
}

/// Slow pans of the window, measured.
trait Pan {
    fn pan(&mut self, center: geo::Coord, zoom: f64, frames: usize) -> Vec<Duration>;
}

fn window(layer: Option<&Path>) -> Window {
    Window::new(|_, mut app| {
        if let Some(path) = layer {
            app.add_layer(&LayerSpec::new(path, None));
        }
        app
    })
}

impl Pan for Window {
    /// Frames of a slow pan at `zoom` (one frame of a drag each), after the first there.
    fn pan(&mut self, center: geo::Coord, zoom: f64, frames: usize) -> Vec<Duration> {
        use egui::{Event, PointerButton};
        self.state_mut().go_to(center, zoom);
        self.step(Vec::new());
        self.step(Vec::new());
        let mut samples = Vec::new();
        for n in 0..frames {
            let at = egui::pos2(1100.0, 540.0);
            let press = |pressed, pos| Event::PointerButton {
                pos,
                button: PointerButton::Primary,
                pressed,
                modifiers: Default::default(),
            };
            let dx = if n % 2 == 0 { 40.0 } else { -40.0 };
            self.step(vec![Event::PointerMoved(at), press(true, at)]);
            samples.push(self.step(vec![Event::PointerMoved(at + egui::vec2(dx, 0.0))]));
            self.step(vec![press(false, at + egui::vec2(dx, 0.0))]);
        }
        samples
    }
}

fn frames(path: &Path) {
    println!("\n3. frame CPU at 1920×1080 over the region's centre, 30 frames a zoom");
    let mut plain = window(None);
    let mut with_layer = window(Some(path));
    let center = geo::coord! { x: 105.75, y: 30.0 };
    for zoom in [7.0, 9.0, 11.0, 13.0, 15.0] {
        let (p50, p99) = percentiles(plain.pan(center, zoom, 30));
        let (u50, u99) = percentiles(with_layer.pan(center, zoom, 30));
        println!(
            "   zoom {zoom:>4}: atlas alone {p50:6.2} / {p99:6.2} ms; with 1 000 000 points {u50:6.2} / {u99:6.2} ms (median / p99; target < 33 ms)"
        );
    }
}

fn loading_polygons(path: &Path) {
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    println!(
        "\n4. 100 000 polygons as a GeoJSON layer ({:.0} MB), best of 3",
        bytes as f64 / 1_048_576.0
    );
    let (bare, _) = best_of(3, || {
        let text = std::fs::read_to_string(path).expect("read");
        std::hint::black_box(serde_json::from_str::<serde_json::Value>(&text).is_ok())
    });
    let (read, layer) = best_of(3, || {
        user::load(path, &LayerOptions::default()).expect("loads")
    });
    assert_eq!(layer.features.len(), 100_000);
    println!(
        "   serde_json::Value (baseline): {:.0} ms\n   read as a layer:              {:.0} ms (target < 500 ms)",
        millis(bare),
        millis(read)
    );
    // Saving them as a drawn sketch is saved (issue 27: under 1 s), against the same
    // serde_json::Value written back out.
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
    let (baseline, _) = best_of(3, || std::hint::black_box(value.to_string().len()));
    let (geojson, _) = best_of(3, || {
        std::hint::black_box(user::write::geojson_text(&layer.info, &layer.features).len())
    });
    let (kml, _) = best_of(3, || {
        std::hint::black_box(user::write::kml_text(&layer.info, &layer.features).len())
    });
    println!(
        "   written out: serde_json::Value (baseline) {:.0} ms; as GeoJSON {:.0} ms, as KML {:.0} ms (target < 1 000 ms)",
        millis(baseline),
        millis(geojson),
        millis(kml)
    );
    let mut with_polygons = window(Some(path));
    let center = geo::coord! { x: 105.75, y: 30.0 };
    let (u50, u99) = percentiles(with_polygons.pan(center, 7.5, 30));
    let mut plain = window(None);
    let (p50, p99) = percentiles(plain.pan(center, 7.5, 30));
    println!(
        "   full extent (zoom 7.5): atlas alone {p50:.2} / {p99:.2} ms; with the polygons {u50:.2} / {u99:.2} ms (median / p99; target < 8 ms)"
    );
    editing(&mut with_polygons);
}

/// Section 5: a vertex of one parcel dragged in the layer of 100 000 (open for edits): the
/// frames while dragging, against a pan of the same window at the same place (the baseline:
/// the frames a drag costs without editing), and the frame that drops it (the layer's index
/// made again).
fn editing(window: &mut Window) {
    use egui::{Event, PointerButton};
    let (layer, _) = window
        .state()
        .atlas()
        .user_layers()
        .next()
        .expect("the polygons");
    window.state_mut().toggle_editing(layer);
    let parcel = chengyu_atlas::model::FeatureRef { layer, index: 0 };
    let chengyu_atlas::model::Shape::Area(area) = &window
        .state()
        .atlas()
        .feature(parcel)
        .expect("parcel")
        .shape
    else {
        panic!("a parcel is an area")
    };
    let vertex = area.0[0].exterior().0[3];
    let (p50, p99) = percentiles(window.pan(vertex, 15.0, 30));
    window.state_mut().select(Some(parcel), false);
    window.step(Vec::new());
    let press = |pressed, pos| Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    let mut dragging = Vec::new();
    let mut drops = Vec::new();
    for n in 0..10 {
        let at = window
            .state()
            .screen_position(vertex_now(window, parcel))
            .expect("shown");
        window.step(vec![Event::PointerMoved(at), press(true, at)]);
        let mut pos = at;
        for _ in 0..10 {
            let dx = if n % 2 == 0 { 4.0 } else { -4.0 };
            pos += egui::vec2(dx, 2.0 - (n % 2) as f32 * 4.0);
            dragging.push(window.step(vec![Event::PointerMoved(pos)]));
        }
        drops.push(window.step(vec![press(false, pos)]));
        window.step(Vec::new());
    }
    let (d50, d99) = percentiles(dragging);
    let (r50, _) = percentiles(drops);
    let history = window
        .state()
        .atlas()
        .layer(layer)
        .map_or(0, |l| l.features.len());
    assert_eq!(history, 100_000, "the parcels are all there");
    println!(
        "\n5. a vertex dragged in the layer of 100 000 parcels (zoom 15, 1920×1080)\n   pan of the same window (baseline) {p50:.2} / {p99:.2} ms; while dragging {d50:.2} / {d99:.2} ms (median / p99; target < 8 ms); the drop {r50:.0} ms (the index made again, once)"
    );
}

/// Where the parcel's fourth vertex is now (it moves with each drag).
fn vertex_now(window: &Window, parcel: chengyu_atlas::model::FeatureRef) -> geo::Coord {
    match &window
        .state()
        .atlas()
        .feature(parcel)
        .expect("parcel")
        .shape
    {
        chengyu_atlas::model::Shape::Area(area) => area.0[0].exterior().0[3],
        _ => unreachable!("a parcel is an area"),
    }
}
