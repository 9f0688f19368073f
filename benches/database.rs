//! Database layers against a real PostGIS, with baselines from the same run (issue 28, 7):
//!
//! 1. a view's features out of 1 000 000 points (atlas.points_1m of the test fixtures): the
//!    atlas's whole read (connect, catalogue, the bounded query, WKB to features) against
//!    `psql` running the same query to /dev/null, and the server's own execution time
//!    (EXPLAIN ANALYZE); target < 100 ms for a 1920×1080 view;
//! 2. frames of the window while the whole table streams in on its thread, against frames
//!    of the same window with nothing loading; target < 8 ms;
//! 3. a 1920×1080 view of a WMTS (MapCache tiling MapServer's WMS of the zones, both run as
//!    CGI programs under Python's http.server on loopback) filled from an empty cache by the
//!    window's tile loader (as many workers as the window gives a server) — against `curl` fetching the same tiles in one
//!    connection; target < 1 s. Skipped without mapserv and MapCache.
//!
//! Needs the server the tests use (`CHENGYU_ATLAS_PG`, else the local socket); the fixtures
//! are loaded by `cargo test postgis` (or here, when missing).
//! `cargo bench --bench database [-- wmts]`.

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
    println!("the organisation's data benchmark (figures from this run)\n");
    // `-- wmts` measures part 3 alone.
    if std::env::args().skip(1).any(|a| a == "wmts") {
        wmts_fill();
        return;
    }
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
    // A big layer's names are scanned at each query (not indexed): what a keystroke costs.
    let atlas = window.state().atlas();
    let search = chengyu_atlas::search::Search::new(atlas);
    let built_in =
        chengyu_atlas::geodata::load(&chengyu_atlas::geodata::DataSource::Embedded).atlas;
    let alone = chengyu_atlas::search::Search::new(&built_in);
    for query in ["123456", "c3", "重庆"] {
        let ours = median(9, || {
            std::hint::black_box(search.find(atlas, query, 8));
        });
        let base = median(9, || {
            std::hint::black_box(alone.find(&built_in, query, 8));
        });
        println!(
            "   a search for “{query}” with the million points: {:.1} ms (the atlas alone {:.2} ms)",
            ms(ours),
            ms(base)
        );
    }
    wmts_fill();
}

/// Part 3: the WMTS fill.
fn wmts_fill() {
    println!("\n3. a 1920×1080 WMTS view filled from an empty cache (loopback)");
    let mapcache = std::path::Path::new("/usr/lib/cgi-bin/mapcache");
    if !mapcache.exists()
        || std::process::Command::new("mapserv")
            .arg("--version")
            .output()
            .is_err()
    {
        println!("   mapserv or MapCache is missing (mapserver-bin, mapcache-cgi): not measured");
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("chengyu-wmts-bench-{}", std::process::id()));
    let bin = dir.join("cgi-bin");
    std::fs::create_dir_all(dir.join("cache")).expect("bench folder");
    // Python's CGI server runs the programs as `nobody` when it runs as root: MapCache must
    // be able to write its cache.
    {
        use std::os::unix::fs::PermissionsExt as _;
        for folder in [dir.clone(), dir.join("cache")] {
            std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777))
                .expect("chmod the cache");
        }
    }
    std::fs::create_dir_all(&bin).expect("cgi-bin");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        probe.local_addr().expect("port").port()
    };
    let wms = format!("http://127.0.0.1:{port}/cgi-bin/wms?");
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).expect("write");
    write(
        "zones.map",
        std::fs::read_to_string(format!("{root}/tests/data/wms/zones.map"))
            .expect("mapfile")
            .replace("ATLAS_ROOT", root)
            .replace("ATLAS_SERVICE", &wms)
            .replace("ATLAS_OGCAPI", &format!("{wms}ogcapi")),
    );
    write(
        "mapcache.xml",
        std::fs::read_to_string(format!("{root}/tests/data/wms/mapcache.xml"))
            .expect("MapCache's configuration")
            .replace("ATLAS_WMS", &wms)
            .replace("ATLAS_CACHE", &dir.join("cache").display().to_string()),
    );
    write(
        "mapserver.conf",
        format!(
            "CONFIG\n ENV\n  MS_MAPFILE \"{}\"\n END\nEND\n",
            dir.join("zones.map").display()
        ),
    );
    let script = |name: &str, text: String| {
        use std::os::unix::fs::PermissionsExt as _;
        let path = bin.join(name);
        std::fs::write(&path, text).expect("script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    script(
        "wms",
        format!(
            "#!/bin/sh\nexport MAPSERVER_CONFIG_FILE={}\nexec mapserv\n",
            dir.join("mapserver.conf").display()
        ),
    );
    script(
        "mapcache",
        format!(
            "#!/bin/sh\nexport MAPCACHE_CONFIG_FILE={}\nexec {}\n",
            dir.join("mapcache.xml").display(),
            mapcache.display()
        ),
    );
    let mut server = std::process::Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--cgi",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3's http.server");
    std::thread::sleep(Duration::from_millis(800));
    let capabilities = format!(
        "http://127.0.0.1:{port}/cgi-bin/mapcache/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&LAYER=zones"
    );
    // The view: zoom 10 at the science city, 1920×1080 (8 × 5 tiles and their edges).
    let z = 10u8;
    let n = f64::from(1u32 << z);
    let [cx, cy] = chengyu_atlas::render::projection::mercator(106.4, 29.7);
    let (tx, ty) = (cx * n, cy * n);
    let keys: Vec<chengyu_atlas::basemap::TileKey> = ((tx - 3.75).floor() as u32
        ..=(tx + 3.75).floor() as u32)
        .flat_map(|x| {
            ((ty - 2.11).floor() as u32..=(ty + 2.11).floor() as u32)
                .map(move |y| chengyu_atlas::basemap::TileKey::new(z, x, y))
        })
        .collect();
    // MapCache renders each tile once (its own cache): warm it, as a production server is.
    // MapCache names the host its CGI server calls itself (`localhost`, which may be ::1
    // here): its tiles are asked at the address the server listens on.
    let template = chengyu_atlas::basemap::Package::open_server(&capabilities, None, 0)
        .expect("the WMTS")
        .path
        .to_string_lossy()
        .replace(&format!("localhost:{port}"), &format!("127.0.0.1:{port}"));
    let warm = chengyu_atlas::basemap::Package::open_server(&template, None, 0).expect("the WMTS");
    for key in &keys {
        warm.tile(*key).expect("MapCache's tile");
    }
    let (mut ours, mut baseline) = fill_and_curl(&template, &keys, &dir.join("atlas-cache"));
    // The same tiles as MapCache made them, recorded and answered from memory by a server
    // of a few lines that does not fork per request (as Apache's mod_mapcache or GeoWebCache
    // serve a seeded cache): what the atlas itself takes to fill the view.
    let recorded: std::collections::HashMap<String, Vec<u8>> = keys
        .iter()
        .filter_map(|k| {
            let url = tile_url(&template, *k);
            let path = url.splitn(4, '/').nth(3)?.to_string();
            Some((format!("/{path}"), warm.tile(*k).ok()??))
        })
        .collect();
    assert_eq!(recorded.len(), keys.len(), "every tile recorded");
    let _ = server.kill();
    let _ = server.wait();
    let fast = serve_recorded(recorded);
    let fast_template =
        template.replace(&format!("127.0.0.1:{port}"), &format!("127.0.0.1:{fast}"));
    let (mut ours_fast, mut baseline_fast) =
        fill_and_curl(&fast_template, &keys, &dir.join("atlas-cache-recorded"));
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "   {} tiles from MapCache (a CGI program forked per tile): the atlas's loader {:.0} ms, curl (one connection, in turn) {:.0} ms (medians of 5)",
        keys.len(),
        ms(percentile(&mut ours, 0.5)),
        ms(percentile(&mut baseline, 0.5)),
    );
    println!(
        "   the same {} tiles recorded, from a server that does not fork: the atlas's loader {:.0} ms (decoded, from an empty cache), curl {:.0} ms (medians of 5)",
        keys.len(),
        ms(percentile(&mut ours_fast, 0.5)),
        ms(percentile(&mut baseline_fast, 0.5)),
    );
}

/// `template`'s address of tile `key`.
fn tile_url(template: &str, key: chengyu_atlas::basemap::TileKey) -> String {
    template
        .replace("{z}", &key.z.to_string())
        .replace("{x}", &key.x.to_string())
        .replace("{y}", &key.y.to_string())
}

/// Five times: the atlas's tile loader filling the view from an empty cache (below
/// `caches`), every tile fetched and decoded; then curl fetching the same tiles in turn on one
/// connection. The two lists of times.
fn fill_and_curl(
    template: &str,
    keys: &[chengyu_atlas::basemap::TileKey],
    caches: &std::path::Path,
) -> (Vec<Duration>, Vec<Duration>) {
    use chengyu_atlas::basemap::loader::{Loaded, TileLoader};
    let mut ours = Vec::new();
    let mut baseline = Vec::new();
    for run in 0..5 {
        let cache = caches.join(run.to_string());
        let started = Instant::now();
        let package = chengyu_atlas::basemap::Package::open_server(template, Some(&cache), 1 << 30)
            .expect("opened");
        let threads = chengyu_atlas::ui::basemap::loader_threads(&package);
        let loader = TileLoader::new(
            package,
            threads,
            |_, bytes| chengyu_atlas::basemap::raster::decode(bytes).map(|t| t.width),
            || {},
        );
        loader.next_frame(1);
        for key in keys {
            loader.ask(*key);
        }
        let (mut loaded, mut drawn) = (0, 0);
        while loaded < keys.len() {
            for (_, result) in loader.poll() {
                loaded += 1;
                match result {
                    Loaded::Ready(_) => drawn += 1,
                    Loaded::Failed(e) if drawn == 0 => eprintln!("   a tile failed: {e}"),
                    _ => {}
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(drawn, keys.len(), "every tile fetched and decoded");
        ours.push(started.elapsed());
        let started = Instant::now();
        let mut curl = std::process::Command::new("curl");
        curl.arg("-s");
        for key in keys {
            curl.args(["-o", "/dev/null", &tile_url(template, *key)]);
        }
        let _ = curl.status();
        baseline.push(started.elapsed());
    }
    (ours, baseline)
}

/// Answers the recorded tiles (by path) on a free port, a thread per connection; the port.
fn serve_recorded(recorded: std::collections::HashMap<String, Vec<u8>>) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("port").port();
    let recorded = std::sync::Arc::new(recorded);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let recorded = recorded.clone();
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut stream = stream;
                // Keep-alive: one connection may ask for many tiles.
                loop {
                    let mut request = String::new();
                    if reader.read_line(&mut request).unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0
                            || header.trim().is_empty()
                        {
                            break;
                        }
                    }
                    let path = request.split_whitespace().nth(1).unwrap_or("/");
                    let (status, body) = match recorded.get(path) {
                        Some(bytes) => ("200 OK", bytes.as_slice()),
                        None => ("404 Not Found", &b""[..]),
                    };
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: image/png\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    // One write: a head and a body sent apart wait on the peer's delayed ACK.
                    let mut answer = head.into_bytes();
                    answer.extend_from_slice(body);
                    if stream.write_all(&answer).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
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
