//! WMS and WMTS basemaps against real servers: MapServer (Debian's mapserver-bin) drawing
//! the atlas's own zones from tests/data/wms/zones.map, and MapCache (Debian's mapcache-cgi)
//! tiling it as a WMTS from tests/data/wms/mapcache.xml, each run as the CGI program it is
//! behind a few lines of HTTP on 127.0.0.1 ([`serve`], which the feature services' tests
//! share). Without them the tests say so and pass, but in CI.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chengyu_atlas::basemap::{Package, TileKey, ogc, raster};
use chengyu_atlas::render::projection::{mercator, world_size};

/// A CGI bridge on a free port: `/wms?…` runs mapserv (WMS and WFS); `/ogc/atlas/ogcapi/…`
/// runs it as OGC API – Features; `/mapcache/…` runs MapCache; `/login` answers an HTML page
/// and `/broken` HTTP 500, as a misconfigured proxy does. Runs until the test ends.
pub(crate) fn serve() -> Option<String> {
    serve_switched().map(|(service, _)| service)
}

/// [`serve`], with a switch: while it is on, the bridge takes each connection and closes it
/// unanswered, as a server that has gone away.
pub(crate) fn serve_switched() -> Option<(String, Arc<AtomicBool>)> {
    if !crate::common::oracle("mapserv", "mapserver-bin") {
        return None;
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("port").port();
    let service = format!("http://127.0.0.1:{port}/wms?");
    let down = Arc::new(AtomicBool::new(false));
    // A folder per server: tests run side by side in one process.
    let dir = crate::common::fresh_dir(&format!("wms-{port}"));
    let root = env!("CARGO_MANIFEST_DIR");
    let map = std::fs::read_to_string(format!("{root}/tests/data/wms/zones.map"))
        .expect("the mapfile")
        .replace("ATLAS_ROOT", root)
        .replace("ATLAS_SERVICE", &service)
        .replace(
            "ATLAS_OGCAPI",
            &format!("http://127.0.0.1:{port}/ogc/atlas/ogcapi"),
        );
    std::fs::write(dir.join("zones.map"), map).expect("write the mapfile");
    // MapServer 8 reads its mapfile's path from its configuration file only; OGC API finds
    // it by its name in the path (`/atlas/ogcapi/…`).
    let config = dir.join("mapserver.conf");
    let mapfile = dir.join("zones.map").display().to_string();
    std::fs::write(
        &config,
        format!(
            "CONFIG\n  ENV\n    MS_MAPFILE \"{mapfile}\"\n  END\n  MAPS\n    \"atlas\" \"{mapfile}\"\n  END\nEND\n"
        ),
    )
    .expect("write the configuration");
    let cache = dir.join("mapcache");
    std::fs::create_dir_all(&cache).expect("MapCache's folder");
    let tiling = std::fs::read_to_string(format!("{root}/tests/data/wms/mapcache.xml"))
        .expect("MapCache's configuration")
        .replace("ATLAS_WMS", &service)
        .replace("ATLAS_CACHE", &cache.display().to_string());
    let tiling_path = dir.join("mapcache.xml");
    std::fs::write(&tiling_path, tiling).expect("write MapCache's configuration");
    let switch = down.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if switch.load(Ordering::Relaxed) {
                drop(stream);
                continue;
            }
            let config = config.clone();
            let tiling = tiling_path.clone();
            std::thread::spawn(move || answer(stream, &config, &tiling, port));
        }
    });
    Some((service, down))
}

/// MapCache's CGI program, where Debian puts it.
const MAPCACHE: &str = "/usr/lib/cgi-bin/mapcache";

/// Whether MapCache is here (said, and required in CI, as the oracles are).
fn mapcache() -> bool {
    let found = std::path::Path::new(MAPCACHE).exists();
    if !found {
        let say = "MapCache is missing (apt-get install mapcache-cgi): its check is not run";
        assert!(
            std::env::var("CHENGYU_ATLAS_ORACLES").as_deref() != Ok("required"),
            "{say}"
        );
        eprintln!("NOTE: {say}");
    }
    found
}

/// A CGI program's answer: its status line (from its `Status:` header, else 200), its
/// Content-Type and its body.
fn cgi(command: &mut std::process::Command) -> (String, String, Vec<u8>) {
    let bytes = command.output().expect("the CGI program").stdout;
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| (at, 4))
        .or_else(|| {
            bytes
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|at| (at, 2))
        })
        .expect("CGI headers");
    let headers = String::from_utf8_lossy(&bytes[..split.0]).to_string();
    let kind = headers
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .unwrap_or("application/octet-stream")
        .to_string();
    let status = headers
        .lines()
        .find_map(|l| l.strip_prefix("Status: "))
        .map_or("200 OK".to_string(), |code| match code.trim() {
            code if code.contains(' ') => code.to_string(),
            code => format!("{code} Status"),
        });
    (status, kind, bytes[split.0 + split.1..].to_vec())
}

/// Every request the bridges were asked, with the bridge's port (tests run side by side):
/// what a test counts.
static ASKED: std::sync::Mutex<Vec<(u16, String)>> = std::sync::Mutex::new(Vec::new());

/// What the bridge on `port` was asked.
fn asked(port: u16) -> Vec<String> {
    ASKED
        .lock()
        .map(|asked| {
            asked
                .iter()
                .filter(|(p, _)| *p == port)
                .map(|(_, t)| t.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn answer(mut stream: std::net::TcpStream, config: &PathBuf, tiling: &PathBuf, port: u16) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request = String::new();
    let _ = reader.read_line(&mut request);
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    if let Ok(mut asked) = ASKED.lock() {
        asked.push((port, target.to_string()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (status, kind, body) = match path {
        "/wms" => cgi(std::process::Command::new("mapserv")
            .env("MAPSERVER_CONFIG_FILE", config)
            .env("REQUEST_METHOD", "GET")
            .env("QUERY_STRING", query)),
        _ if path.starts_with("/ogc/") => cgi(std::process::Command::new("mapserv")
            .env("MAPSERVER_CONFIG_FILE", config)
            .env("REQUEST_METHOD", "GET")
            .env("PATH_INFO", &path["/ogc".len()..])
            .env("QUERY_STRING", query)),
        _ if path.starts_with("/mapcache") => cgi(std::process::Command::new(MAPCACHE)
            .env("MAPCACHE_CONFIG_FILE", tiling)
            .env("REQUEST_METHOD", "GET")
            .env("PATH_INFO", &path["/mapcache".len()..])
            .env("QUERY_STRING", query)
            .env("SERVER_NAME", "127.0.0.1")
            .env("SERVER_PORT", port.to_string())
            .env("SCRIPT_NAME", "/mapcache")),
        _ if path.starts_with("/login") => (
            "200 OK".to_string(),
            "text/html".to_string(),
            b"<!DOCTYPE html><html><body>Please log in</body></html>".to_vec(),
        ),
        _ => (
            "500 Internal Server Error".to_string(),
            "text/plain".to_string(),
            b"boom".to_vec(),
        ),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

fn tile_at(lon: f64, lat: f64, z: u8) -> (TileKey, [usize; 2]) {
    let [x, y] = mercator(lon, lat);
    let size = world_size(f64::from(z));
    let (px, py) = (x * size, y * size);
    (
        TileKey::new(z, (px / 256.0) as u32, (py / 256.0) as u32),
        [(px % 256.0) as usize, (py % 256.0) as usize],
    )
}

#[test]
fn a_wms_layer_named_in_its_capabilities_is_a_basemap_of_web_mercator_tiles() {
    let Some(service) = serve() else { return };
    let capabilities = ogc::fetch(&format!(
        "{service}SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities"
    ))
    .expect("capabilities");
    assert_eq!(capabilities.version, "1.3.0");
    let zones = capabilities
        .layers
        .iter()
        .find(|l| l.name == "zones")
        .expect("the layer listed");
    assert_eq!(zones.title, "科学城分区");
    assert_eq!(zones.web_mercator(), Some("EPSG:3857"));

    let cache = crate::common::fresh_dir("wms-cache");
    let package = Package::open_server(
        &format!("{service}SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities&LAYERS=zones"),
        Some(&cache),
        64 * 1024 * 1024,
    )
    .expect("opened");
    // What is remembered is the GetMap template: it opens again without the capabilities.
    let path = package.path.to_string_lossy().to_string();
    assert!(
        path.contains("REQUEST=GetMap") && path.contains(ogc::BBOX),
        "{path}"
    );
    assert!(
        package.info().name.contains("科学城分区"),
        "{}",
        package.info().name
    );

    // The core zone (西永, 106.33 E 29.60 N) is red in its tile; a tile far away is empty.
    let (key, [x, y]) = tile_at(106.33, 29.60, 10);
    let tile = raster::decode(&package.tile(key).expect("fetched").expect("a tile")).expect("PNG");
    let at = (y * tile.width as usize + x) * 4;
    assert_eq!(
        &tile.rgba[at..at + 4],
        &[200, 30, 30, 255],
        "the zone's red at its place"
    );
    let (far, _) = tile_at(116.4, 39.9, 10);
    let empty = raster::decode(&package.tile(far).expect("fetched").expect("a tile")).expect("PNG");
    assert!(
        empty.rgba.chunks(4).all(|p| p[3] == 0),
        "nothing drawn at Beijing"
    );
    // Reopened from what is remembered, it is still named by its service and layer.
    let again = Package::open_server(&path, Some(&cache), 64 * 1024 * 1024).expect("reopened");
    assert!(
        again.info().name.contains("WMS zones"),
        "{}",
        again.info().name
    );
}

#[test]
fn a_wms_that_cannot_serve_is_named() {
    let Some(service) = serve() else { return };
    let fails = |url: String| {
        Package::open_server(&url, None, 0)
            .map(|_| ())
            .expect_err("refused")
            .to_string()
    };
    let no_layer = fails(format!("{service}SERVICE=WMS&REQUEST=GetCapabilities"));
    assert!(
        no_layer.contains("&LAYERS=NAME") && no_layer.contains("zones"),
        "{no_layer}"
    );
    let wrong = fails(format!(
        "{service}SERVICE=WMS&REQUEST=GetCapabilities&LAYERS=roads"
    ));
    assert!(wrong.contains("no layer “roads”"), "{wrong}");
    let base = service.trim_end_matches("wms?");
    let html = fails(format!(
        "{base}login?SERVICE=WMS&REQUEST=GetCapabilities&LAYERS=zones"
    ));
    assert!(html.contains("HTML page"), "{html}");
    let broken = fails(format!(
        "{base}broken?SERVICE=WMS&REQUEST=GetCapabilities&LAYERS=zones"
    ));
    assert!(broken.contains("HTTP 500"), "{broken}");
    // A GetMap the server refuses (an unknown layer asked directly) is said per tile.
    let package = Package::open_server(
        &format!("{service}SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=nothing&STYLES=&CRS=EPSG:3857&BBOX={}&WIDTH=256&HEIGHT=256&FORMAT=image/png", ogc::BBOX),
        None,
        0,
    )
    .expect("a template opens");
    let said = package
        .tile(TileKey::new(10, 826, 424))
        .expect_err("not an image")
        .to_string();
    assert!(said.contains("not an image"), "{said}");
}

/// Added in the window by its capabilities address, a WMS opens on a thread (the window goes
/// on drawing meanwhile) and is then the basemap, remembered as its GetMap template.
#[test]
fn a_wms_added_to_the_window_opens_without_holding_the_window() {
    let Some(service) = serve() else { return };
    let url = PathBuf::from(format!(
        "{service}SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities&LAYERS=zones"
    ));
    // Asked on a thread: opening when the window is made, before any frame (by the first
    // one a quick server may have answered).
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let opening = asked.clone();
    let mut harness = crate::common::window_made(None, move |ctx, app| {
        let app = app.with_basemap_files(ctx, &[url]);
        opening.store(
            app.basemaps().is_opening(),
            std::sync::atomic::Ordering::SeqCst,
        );
        app
    });
    assert!(
        asked.load(std::sync::atomic::Ordering::SeqCst),
        "asked on a thread"
    );
    crate::common::wait_until("the service's capabilities", || {
        harness.step();
        !harness.state().basemaps().is_opening()
    });
    let basemaps = harness.state().basemaps();
    assert!(basemaps.problems.is_empty(), "{:?}", basemaps.problems);
    let layer = basemaps.layers.first().expect("the WMS is the basemap");
    assert!(layer.path().to_string_lossy().contains(ogc::BBOX));
}

#[test]
fn a_wmts_layer_in_web_mercator_is_a_basemap_and_another_grid_is_refused_by_name() {
    let Some(service) = serve() else { return };
    if !mapcache() {
        return;
    }
    let base = service.trim_end_matches("wms?");
    let capabilities = format!("{base}mapcache/wmts?SERVICE=WMTS&REQUEST=GetCapabilities");
    let package = Package::open_server(&format!("{capabilities}&LAYER=zones"), None, 0)
        .expect("the WMTS opens");
    let path = package.path.to_string_lossy().to_string();
    assert!(
        path.contains("/GoogleMapsCompatible/{z}/{y}/{x}.png"),
        "{path}"
    );
    // Its tiles are the WMS's drawing, cut by MapCache: the core red at its place.
    let (key, [x, y]) = tile_at(106.33, 29.60, 10);
    let tile = raster::decode(&package.tile(key).expect("fetched").expect("a tile")).expect("PNG");
    let at = (y * tile.width as usize + x) * 4;
    assert_eq!(
        &tile.rgba[at..at + 3],
        &[200, 30, 30],
        "the zone's red at its place"
    );

    let refused = Package::open_server(&format!("{capabilities}&LAYER=zones_wgs84"), None, 0)
        .map(|_| ())
        .expect_err("a geographic grid")
        .to_string();
    assert!(
        refused.contains("“WGS84”") && refused.contains("not Web Mercator"),
        "{refused}"
    );
    let which = Package::open_server(&capabilities, None, 0)
        .map(|_| ())
        .expect_err("two layers")
        .to_string();
    assert!(
        which.contains("&LAYER=NAME") && which.contains("zones_wgs84"),
        "{which}"
    );
}

/// A WMS's and a WMTS's layers listed from their capabilities, with their styles, and the
/// one the atlas cannot draw (a geographic grid) with why.
#[test]
fn the_layers_a_service_offers_are_listed_with_styles_and_what_cannot_be_drawn() {
    let Some(service) = serve() else { return };
    let wms = format!("{service}SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities");
    assert!(!ogc::names_layer(&wms));
    let offered = ogc::offered(&wms).expect("listed");
    let zones = offered.iter().find(|l| l.name == "zones").expect("zones");
    assert_eq!(zones.title, "科学城分区");
    assert_eq!(zones.refused, None);
    let chosen = ogc::with_layer(&wms, "zones", Some("default"));
    assert!(ogc::names_layer(&chosen));
    assert!(chosen.ends_with("&LAYERS=zones&STYLES=default"), "{chosen}");
    if !mapcache() {
        return;
    }
    let base = service.trim_end_matches("wms?");
    let wmts = format!("{base}mapcache/wmts?SERVICE=WMTS&REQUEST=GetCapabilities");
    let offered = ogc::offered(&wmts).expect("listed");
    let named = |name: &str| {
        offered
            .iter()
            .find(|l| l.name == name)
            .unwrap_or_else(|| panic!("{name} listed: {offered:?}"))
    };
    assert_eq!(offered.len(), 2);
    let zones = named("zones");
    assert_eq!(zones.refused, None);
    assert!(!zones.styles.is_empty(), "{zones:?}");
    let why = named("zones_wgs84").refused.as_deref().expect("refused");
    assert!(why.contains("not Web Mercator"), "{why}");
    // Chosen with its style, it opens.
    let chosen = ogc::with_layer(&wmts, "zones", zones.styles.first().map(String::as_str));
    Package::open_server(&chosen, None, 0).expect("the chosen layer opens");
}

/// In the window: a capabilities address without a layer, opened in the basemap pane, lists
/// the service's layers; "添加" opens the one chosen as the basemap.
#[test]
fn a_service_opened_without_a_layer_lists_its_layers_in_the_pane_to_choose_from() {
    use egui_kittest::kittest::Queryable;
    let Some(service) = serve() else { return };
    let mut harness = crate::common::window_made(None, |_, app| app);
    harness.run();
    crate::common::pane(&mut harness, "底图");
    crate::common::type_in_path_field(
        &mut harness,
        &format!("{service}SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities"),
    );
    harness.get_by_label("打开").click();
    // A spinner turns while the capabilities are read.
    harness.run_steps(2);
    crate::common::wait_until("the layers listed", || {
        harness.step();
        harness.query_by_label("科学城分区").is_some()
    });
    harness.run();
    assert!(
        harness.state().basemaps().layers.is_empty(),
        "nothing opened yet"
    );
    // The Add of the zones' row.
    let row = harness.get_by_label("科学城分区").rect().center().y;
    harness
        .get_all_by_label("添加")
        .min_by(|a, b| {
            let off = |n: &egui_kittest::Node<'_>| (n.rect().center().y - row).abs();
            off(a).total_cmp(&off(b))
        })
        .expect("an Add button")
        .click();
    harness.run();
    crate::common::wait_until("the layer opened", || {
        harness.step();
        !harness.state().basemaps().is_opening()
    });
    harness.run();
    let basemaps = harness.state().basemaps();
    assert!(basemaps.problems.is_empty(), "{:?}", basemaps.problems);
    let layer = basemaps
        .layers
        .first()
        .expect("the chosen layer is the basemap");
    let path = layer.path().to_string_lossy().to_string();
    assert!(
        path.contains("LAYERS=zones") && path.contains(ogc::BBOX),
        "{path}"
    );
}

/// An export asks a WMS for the page's own pixels — one GetMap per block of the map frame,
/// not 256-pixel tiles scaled — and draws what it sends where it belongs.
#[test]
fn an_exported_page_asks_a_wms_for_its_own_resolution() {
    use chengyu_atlas::export::{self, ExportBasemap, ExportRequest, Extent, PageSize};
    use geo::coord;
    let Some(service) = serve() else { return };
    let port: u16 = service
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("the port");
    let package = Package::open_server(
        &format!("{service}SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities&LAYERS=zones"),
        None,
        0,
    )
    .expect("opened");
    let mut request = ExportRequest::new(
        Extent::Bounds(geo::Rect::new(
            coord! { x: 106.2, y: 29.45 },
            coord! { x: 106.5, y: 29.75 },
        )),
        PageSize::Pixels {
            width: 2600,
            height: 1800,
        },
    );
    request.layers = chengyu_atlas::render::LayerSettings::only(&[]);
    request.basemaps = vec![ExportBasemap {
        package,
        opacity: 1.0,
    }];
    let atlas = crate::common::atlas();
    let mut builder = chengyu_atlas::SceneBuilder::new(atlas);
    let composition = export::compose(atlas, &mut builder, &request).expect("composed");
    assert!(
        composition.warnings.is_empty(),
        "{:?}",
        composition.warnings
    );
    let getmaps: Vec<String> = asked(port)
        .into_iter()
        .filter(|t| t.contains("REQUEST=GetMap"))
        .collect();
    assert!(
        !getmaps.is_empty() && getmaps.iter().all(|t| !t.contains("WIDTH=256&")),
        "no tiles, the page's pixels: {getmaps:?}"
    );
    let widest = getmaps
        .iter()
        .filter_map(|t| {
            t.split("WIDTH=")
                .nth(1)?
                .split('&')
                .next()?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    assert!(widest > 1000, "asked {widest} pixels across at most");
    // The core (西永) red where the page has it.
    let pixmap = export::rasterise(&composition.svg, &composition.page, None).expect("png");
    let [x, y] = composition.pixel(coord! { x: 106.33, y: 29.60 });
    let p = pixmap
        .pixel(x as u32, y as u32)
        .expect("on the page")
        .demultiply();
    assert_eq!(
        [p.red(), p.green(), p.blue()],
        [200, 30, 30],
        "the WMS's red at its place"
    );
}
