//! Database layers against a real PostGIS, with baselines from the same run (issue 28, 7):
//!
//! 1. a view's features out of 1 000 000 points (atlas.points_1m of the test fixtures): the
//!    atlas's whole read (connect, catalogue, the bounded query, WKB to features) against
//!    `psql` running the same query to /dev/null, and the server's own execution time
//!    (EXPLAIN ANALYZE); target < 100 ms for a 1920×1080 view;
//! 2. frames of the window while the whole table streams in on its thread, against frames
//!    of the same window with nothing loading; target < 8 ms.
//!
//! Needs the server the tests use (`CHENGYU_ATLAS_PG`, else the local socket); the fixtures
//! are loaded by `cargo test postgis` (or here, when missing).
//! `cargo bench --bench database`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use std::time::{Duration, Instant};

use chengyu_atlas::geodata::user::{self, LayerOptions, LayerSpec, postgis};
#[allow(dead_code)]
#[path = "common/window.rs"]
mod window;
use window::Window;

const FIXTURES: &str = include_str!("../tests/data/postgis/fixtures.sql");

fn main() {
    println!("database layers benchmark (figures from this run)\n");
    let base = std::env::var("CHENGYU_ATLAS_PG")
        .unwrap_or_else(|_| "postgresql:///chengyu_atlas_test?host=/run/postgresql".into());
    let server = postgis::Address::parse(&base).expect("CHENGYU_ATLAS_PG parses");
    let mut client = match postgis::connect(&server) {
        Ok(client) => client,
        Err(why) => {
            println!("no PostgreSQL to measure against: {}", why.en);
            return;
        }
    };
    if client
        .query_opt("SELECT 1 FROM atlas.points_1m LIMIT 1", &[])
        .is_err()
    {
        println!("loading the fixtures (tests/data/postgis/fixtures.sql)…");
        client
            .batch_execute(&FIXTURES.replace("FIXTURE_VERSION", "bench"))
            .expect("fixtures");
    }
    let address = format!("{}&table=atlas.points_1m", server.to_uri());

    println!("1. a view's features out of 1 000 000 points (median of 9 runs)");
    println!(
        "   {:<28} {:>8} {:>12} {:>12} {:>12} {:>7}",
        "view", "features", "atlas", "psql", "server", "ratio"
    );
    // 1920×1080 views at Chongqing: a view at zoom z spans 1920·360/(256·2^z) degrees.
    for zoom in [12.0f64, 10.0, 8.0] {
        let width = 1920.0 * 360.0 / (256.0 * 2f64.powf(zoom));
        let height = width * 1080.0 / 1920.0 * 0.87;
        let center = geo::coord! { x: 106.5, y: 29.6 };
        let extent = geo::Rect::new(
            geo::coord! { x: center.x - width / 2.0, y: center.y - height / 2.0 },
            geo::coord! { x: center.x + width / 2.0, y: center.y + height / 2.0 },
        );
        let options = LayerOptions {
            extent: Some(extent),
            ..LayerOptions::default()
        };
        let mut features = 0;
        let ours = median(9, || {
            let layer = user::load(std::path::Path::new(&address), &options).expect("read");
            features = layer.features.len();
        });
        let (min, max) = (extent.min(), extent.max());
        let sql = format!(
            "SELECT ST_AsBinary(geom), id::text, category FROM atlas.points_1m \
             WHERE geom && ST_MakeEnvelope({}, {}, {}, {}, 4326)",
            min.x, min.y, max.x, max.y
        );
        let copy = format!("COPY ({sql}) TO STDOUT (FORMAT binary)");
        let psql = median(9, || {
            let status = std::process::Command::new("psql")
                .args([
                    "-X",
                    "-q",
                    "-h",
                    &server.host,
                    "-p",
                    &server.port.to_string(),
                ])
                .args(["-U", &server.user, "-d", &server.dbname, "-c", &copy])
                .stdout(std::process::Stdio::null())
                .status()
                .expect("psql");
            assert!(status.success());
        });
        let explained: String = client
            .query(&format!("EXPLAIN (ANALYZE, FORMAT TEXT) {sql}"), &[])
            .expect("explain")
            .iter()
            .map(|row| row.get::<_, String>(0))
            .find(|line| line.starts_with("Execution Time"))
            .unwrap_or_default();
        let server_ms: f64 = explained
            .trim_start_matches("Execution Time: ")
            .trim_end_matches(" ms")
            .parse()
            .unwrap_or(f64::NAN);
        println!(
            "   {:<28} {:>8} {:>9.1} ms {:>9.1} ms {:>9.1} ms {:>6.2}×",
            format!("zoom {zoom} ({width:.2}°×{height:.2}°)"),
            features,
            ms(ours),
            ms(psql),
            server_ms,
            ms(ours) / ms(psql)
        );
    }

    println!("\n2. window frames at 1920×1080 while the whole table streams in");
    let mut window = Window::new(|_, app| app);
    window
        .state_mut()
        .go_to(geo::coord! { x: 106.5, y: 29.6 }, 9.0);
    let mut idle = Vec::new();
    for _ in 0..60 {
        idle.push(window.step(Vec::new()));
    }
    let mut spec = LayerSpec::new(&address, None);
    spec.extent = Some(geo::Rect::new(
        geo::coord! { x: 90.0, y: 20.0 },
        geo::coord! { x: 120.0, y: 40.0 },
    ));
    let started = Instant::now();
    window.state_mut().add_layer(&spec);
    let mut streaming = Vec::new();
    while window.state().layers_loading() > 0 {
        streaming.push(window.step(Vec::new()));
        std::thread::sleep(Duration::from_millis(4));
    }
    let read = started.elapsed();
    // The last frame is the one that takes the layer in (the atlas, index and search made
    // again): said apart.
    let taken = streaming.pop().unwrap_or_default();
    println!(
        "   {} frames while reading ({:.1} s for 1 000 000 rows): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        streaming.len(),
        read.as_secs_f64(),
        ms(percentile(&mut streaming, 0.5)),
        ms(percentile(&mut streaming, 0.99)),
        ms(percentile(&mut streaming, 1.0)),
    );
    println!(
        "   baseline, nothing loading: p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&mut idle, 0.5)),
        ms(percentile(&mut idle, 0.99)),
    );
    println!(
        "   the frame that takes the layer in (atlas, index, search made again): {:.1} ms",
        ms(taken)
    );
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm: the connection's first handshake and the server's caches
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    percentile(&mut samples, 0.5)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
