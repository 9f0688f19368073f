//! Database layers against a real PostgreSQL with PostGIS (Debian's packages; `.ci/run`
//! installs and starts it on its socket). The fixtures (tests/data/postgis/fixtures.sql) are
//! loaded into `chengyu_atlas_test` once per version of the file. Without a server the tests
//! say so and pass, unless `CHENGYU_ATLAS_ORACLES=required` (CI), where they fail.

use std::sync::OnceLock;

use chengyu_atlas::geodata::user::{self, LayerOptions, postgis};
use chengyu_atlas::model::Shape;

const FIXTURES: &str = include_str!("../data/postgis/fixtures.sql");
const DATABASE: &str = "chengyu_atlas_test";

/// The server's address (`CHENGYU_ATLAS_PG`, else the local socket as this user), the
/// fixtures loaded; `None` where there is no server (said).
pub(crate) fn server() -> Option<postgis::Address> {
    static READY: OnceLock<Option<postgis::Address>> = OnceLock::new();
    READY
        .get_or_init(|| {
            let base = std::env::var("CHENGYU_ATLAS_PG")
                .unwrap_or_else(|_| "postgresql:///postgres?host=/run/postgresql".to_string());
            let admin = postgis::Address::parse(&base).expect("CHENGYU_ATLAS_PG parses");
            let mut client = match postgis::connect(&admin) {
                Ok(client) => client,
                Err(why) => {
                    let say = format!(
                        "PostgreSQL is not reachable ({}; apt-get install postgresql postgresql-15-postgis-3 and start it): the database tests are not run",
                        why.en
                    );
                    assert!(
                        std::env::var("CHENGYU_ATLAS_ORACLES").as_deref() != Ok("required"),
                        "{say}"
                    );
                    eprintln!("NOTE: {say}");
                    return None;
                }
            };
            let exists = client
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&DATABASE])
                .expect("pg_database")
                .is_some();
            if !exists {
                client
                    .batch_execute(&format!("CREATE DATABASE {DATABASE}"))
                    .expect("create the test database");
            }
            let address = postgis::Address::parse(&format!(
                "postgresql://{}@/{DATABASE}?host={}&port={}",
                admin.user, admin.host, admin.port
            ))
            .expect("the test database's address");
            let mut client = postgis::connect(&address).expect("connect to the test database");
            let version = format!("{:08x}", crc(FIXTURES));
            let loaded: Option<String> = client
                .query_opt("SELECT version FROM atlas.fixture_version", &[])
                .ok()
                .flatten()
                .map(|row| row.get(0));
            if loaded.as_deref() != Some(version.as_str()) {
                client
                    .batch_execute(&FIXTURES.replace("FIXTURE_VERSION", &version))
                    .expect("load the PostGIS fixtures");
            }
            Some(address)
        })
        .clone()
}

fn crc(text: &str) -> u32 {
    // FNV-1a: any change to the fixtures loads them again.
    text.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ byte as u32).wrapping_mul(0x0100_0193)
    })
}

fn table(server: &postgis::Address, table: &str) -> String {
    format!("{}&table={table}", server.to_uri())
}

fn load(address: &str, extent: Option<geo::Rect>) -> user::LoadedLayer {
    let options = LayerOptions {
        extent,
        ..LayerOptions::default()
    };
    user::load(std::path::Path::new(address), &options)
        .unwrap_or_else(|error| panic!("{address}: {error}"))
}

fn values_of<'a>(layer: &'a user::LoadedLayer, id: &str) -> Vec<(&'a str, &'a str)> {
    let feature = layer
        .features
        .as_rows()
        .expect("a database's layer is rows")
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("feature {id}"));
    let values = &feature.user().expect("a user's feature").values;
    layer
        .info
        .fields
        .iter()
        .map(String::as_str)
        .zip(values.iter())
        .collect()
}

/// Asserts that one of `layer`'s notes says `words` (in English).
fn assert_noted(layer: &user::LoadedLayer, words: &str) {
    assert!(
        layer.info.notes.iter().any(|n| n.en.contains(words)),
        "“{words}” not in {:?}",
        layer.info.notes
    );
}

fn first_coord(shape: &Shape) -> geo::Coord {
    use geo::CoordsIter as _;
    match shape {
        Shape::Point(p) => p.0,
        Shape::Lines(l) => l.coords_iter().next().expect("a coordinate"),
        Shape::Area(a) => a.coords_iter().next().expect("a coordinate"),
    }
}

#[test]
fn the_tables_with_geometry_are_listed_with_type_srid_and_estimate() {
    let Some(server) = server() else { return };
    let tables = postgis::list_tables(&server).expect("list");
    let find = |name: &str| {
        tables
            .iter()
            .find(|t| t.schema == "atlas" && t.name == name)
            .unwrap_or_else(|| panic!("{name} listed in {tables:?}"))
    };
    let points = find("points_1m");
    assert_eq!(
        (points.geometry_type.as_str(), points.srid),
        ("POINT", 4326)
    );
    assert_eq!(
        points.rows,
        Some(1_000_000),
        "analysed: the estimate is the count"
    );
    let parcels = find("parcels_gk");
    assert_eq!(
        (parcels.geometry_type.as_str(), parcels.srid),
        ("POLYGON", 4544)
    );
    let view = find("big_parks");
    assert!(view.is_view && view.rows.is_none());
    assert_eq!(
        tables
            .iter()
            .filter(|t| t.name == "two_geoms")
            .map(|t| t.geometry_column.as_str())
            .collect::<Vec<_>>(),
        ["centre", "outline"]
    );
    // The table without geometry is not offered.
    assert!(!tables.iter().any(|t| t.name == "y"));
    // A listed table's address names the geometry only where there are two.
    let two = tables
        .iter()
        .find(|t| t.name == "two_geoms")
        .expect("present");
    assert_eq!(
        two.address(&server, &tables).geometry.as_deref(),
        Some("centre")
    );
    assert_eq!(points.address(&server, &tables).geometry, None);
}

#[test]
fn a_table_reads_its_features_with_typed_fields_and_says_what_it_left_out() {
    let Some(server) = server() else { return };
    let layer = load(&table(&server, "atlas.parks_4326"), None);
    assert_eq!(layer.info.name, "atlas.parks_4326");
    assert_eq!(
        layer.info.fields,
        ["gid", "name", "area_km2", "companies", "founded", "listed"]
    );
    // Named by the name column; ids from the primary key.
    let park = layer.features.iter().find(|f| f.id == "1").expect("gid 1");
    assert_eq!(park.name.zh, "西永微电园");
    assert_eq!(
        values_of(&layer, "1")[2..],
        [
            ("area_km2", "37.50"),
            ("companies", "312"),
            ("founded", "2005-08-18"),
            ("listed", "true")
        ]
    );
    // A multipolygon with a hole stays one area with its hole.
    let Shape::Area(area) = &layer
        .features
        .iter()
        .find(|f| f.id == "2")
        .expect("present")
        .shape
    else {
        panic!("an area")
    };
    assert_eq!(area.0.len(), 2);
    assert_eq!(area.0[0].interiors().len(), 1);
    // The NULL and the empty geometry are not drawn, and said.
    assert_eq!(layer.features.len(), 2);
    assert!(layer.info.altered);
    assert_noted(&layer, "2 rows with a NULL or empty geometry");
    assert_noted(&layer, "area_km2 numeric(8,2)");
    // The address kept is the URI, without a password.
    assert!(
        layer
            .info
            .path
            .to_string_lossy()
            .starts_with("postgresql://")
    );
}

#[test]
fn every_srid_comes_back_in_wgs84() {
    let Some(server) = server() else { return };
    for (name, lon, lat) in [
        ("atlas.roads_3857", 104.10, 30.60),
        ("atlas.sites_4490", 106.2997, 29.5945),
        ("atlas.parcels_gk", 104.00, 30.60),
    ] {
        let layer = load(&table(&server, name), None);
        assert_eq!(layer.features.len(), 1, "{name}");
        let at = first_coord(&layer.features.get(0).expect("a feature").shape);
        assert!(
            (at.x - lon).abs() < 1e-7 && (at.y - lat).abs() < 1e-7,
            "{name}: {at:?}"
        );
    }
    // No primary key: ids are row numbers.
    let parcels = load(&table(&server, "atlas.parcels_gk"), None);
    assert_eq!(parcels.features.get(0).expect("a feature").id, "1");
    assert_eq!(parcels.info.system.as_deref(), Some("EPSG:4544"));
}

#[test]
fn multi_geometries_collections_and_z_m_are_read_as_shapes() {
    let Some(server) = server() else { return };
    let layer = load(&table(&server, "atlas.mixed"), None);
    let shapes_of = |id: &str| -> Vec<&Shape> {
        layer
            .features
            .as_rows()
            .expect("a database's layer is rows")
            .iter()
            .filter(|f| f.id == id)
            .map(|f| &f.shape)
            .collect()
    };
    assert!(matches!(shapes_of("1").as_slice(), [Shape::Point(p)] if p.x() == 104.5));
    assert_eq!(shapes_of("2").len(), 2, "a multipoint's points");
    let collection = shapes_of("3");
    assert!(collection.iter().any(|s| matches!(s, Shape::Point(_))));
    assert!(collection.iter().any(|s| matches!(s, Shape::Lines(_))));
    assert!(matches!(shapes_of("4").as_slice(), [Shape::Lines(_)]));
}

#[test]
fn two_geometry_columns_need_one_named_and_a_hostile_table_name_is_only_a_name() {
    let Some(server) = server() else { return };
    let options = LayerOptions::default();
    let error = user::load(
        std::path::Path::new(&table(&server, "atlas.two_geoms")),
        &options,
    )
    .expect_err("which geometry?");
    assert!(error.problem.contains("centre, outline"), "{error}");
    let centre = load(
        &format!("{}&geometry=centre", table(&server, "atlas.two_geoms")),
        None,
    );
    assert!(matches!(
        centre.features.get(0).expect("a feature").shape,
        Shape::Point(_)
    ));

    let hostile = table(
        &server,
        "atlas.%22x%22%22;%20DROP%20TABLE%20atlas.y;%20--%22",
    );
    let layer = load(&hostile, None);
    assert_eq!(layer.features.len(), 1);
    let mut client = postgis::connect(&server).expect("connect");
    assert!(
        client
            .query_opt(
                "SELECT 1 FROM pg_tables WHERE schemaname = 'atlas' AND tablename = 'y'",
                &[]
            )
            .expect("query")
            .is_some(),
        "atlas.y survived"
    );
}

#[test]
fn a_view_extent_reads_the_points_in_it_as_the_server_counts_them() {
    let Some(server) = server() else { return };
    let extent = geo::Rect::new(
        geo::coord! { x: 106.3, y: 29.4 },
        geo::coord! { x: 106.7, y: 29.7 },
    );
    let layer = load(&table(&server, "atlas.points_1m"), Some(extent));
    let mut client = postgis::connect(&server).expect("connect");
    // The oracle: PostGIS counting with another predicate than ours.
    let expected: i64 = client
        .query_one(
            "SELECT count(*) FROM atlas.points_1m WHERE ST_X(geom) BETWEEN 106.3 AND 106.7 AND ST_Y(geom) BETWEEN 29.4 AND 29.7",
            &[],
        )
        .expect("count")
        .get(0);
    assert!(expected > 1000, "the fixture covers the box: {expected}");
    assert_eq!(layer.features.len() as i64, expected);
    assert!(layer.features.iter().all(|f| {
        let at = first_coord(&f.shape);
        extent.min().x <= at.x
            && at.x <= extent.max().x
            && extent.min().y <= at.y
            && at.y <= extent.max().y
    }));
    assert_noted(&layer, "read within 106.300–106.700°E");
}

#[test]
fn faults_are_named_a_missing_password_is_asked_for_and_a_given_one_is_used() {
    let Some(server) = server() else { return };
    let options = LayerOptions::default();
    let fails = |address: &str| {
        user::load(std::path::Path::new(address), &options)
            .expect_err(address)
            .to_string()
    };
    // Nothing listens on port 9 of this machine.
    let down = fails("postgresql://atlas@127.0.0.1:9/gis?table=t&connect_timeout=2");
    assert!(
        down.contains("cannot reach the database server 127.0.0.1:9"),
        "{down}"
    );
    let no_db = fails(&format!(
        "postgresql://{}@/no_such_db?host={}&table=t",
        server.user, server.host
    ));
    assert!(no_db.contains("has no database “no_such_db”"), "{no_db}");
    let no_table = fails(&table(&server, "atlas.nothing_here"));
    assert!(
        no_table.contains("no table or view with geometry called “atlas.nothing_here”"),
        "{no_table}"
    );

    // Over TCP the server asks atlas_reader for a password (Debian's pg_hba: scram).
    let tcp = format!(
        "postgresql://atlas_reader@127.0.0.1:{}/{}?table=atlas.sites_4490",
        server.port, server.dbname
    );
    let asked = user::load(std::path::Path::new(&tcp), &options).expect_err("a password");
    assert!(postgis::needs_password(&asked), "{asked}");
    let address = postgis::Address::parse(&tcp).expect("present");
    postgis::remember_password(&address, "wrong");
    let refused = user::load(std::path::Path::new(&tcp), &options).expect_err("refused");
    assert!(postgis::needs_password(&refused), "{refused}");
    assert!(refused.problem.contains("was refused"), "{refused}");
    postgis::remember_password(&address, "right horse battery");
    let layer = user::load(std::path::Path::new(&tcp), &options).expect("with the password");
    assert_eq!(layer.features.len(), 1);
    // The password is in no address the atlas keeps.
    let with_password = format!(
        "postgresql://atlas_reader:right%20horse%20battery@127.0.0.1:{}/{}?table=atlas.sites_4490",
        server.port, server.dbname
    );
    let spec = user::LayerSpec::new(&with_password, None);
    assert!(
        !spec.path.to_string_lossy().contains("horse"),
        "{}",
        spec.path.display()
    );
}

#[test]
fn identify_on_the_command_line_answers_from_a_database_layer() {
    let Some(server) = server() else { return };
    let output = crate::common::atlas_command()
        .args([
            "identify",
            "--json",
            "--layer",
            &table(&server, "atlas.parks_4326"),
            "106.43,29.60",
        ])
        .output()
        .expect("run identify");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() || output.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("西永微电园"), "{stdout}");
}

/// A TCP door to the server's socket that the test opens and shuts: the server "goes away"
/// and comes back as a network's would, while the real server goes on serving the others.
pub(crate) struct Door {
    pub(crate) port: u16,
    open: std::sync::Arc<std::sync::atomic::AtomicBool>,
    accepting: Option<std::thread::JoinHandle<()>>,
}

impl Door {
    pub(crate) fn open(socket: std::path::PathBuf, port: u16) -> Door {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind the door");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("its port").port();
        let open = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let flag = open.clone();
        let accepting = std::thread::spawn(move || {
            let mut streams: Vec<std::net::TcpStream> = Vec::new();
            while flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).expect("blocking");
                        let server = std::os::unix::net::UnixStream::connect(&socket)
                            .expect("the server's socket");
                        let (mut c1, mut s1) = (
                            client.try_clone().expect("clone"),
                            server.try_clone().expect("clone"),
                        );
                        let (mut c2, mut s2) = (client.try_clone().expect("clone"), server);
                        std::thread::spawn(move || {
                            let _ = std::io::copy(&mut c1, &mut s1);
                            let _ = s1.shutdown(std::net::Shutdown::Both);
                        });
                        std::thread::spawn(move || {
                            let _ = std::io::copy(&mut s2, &mut c2);
                            let _ = c2.shutdown(std::net::Shutdown::Both);
                        });
                        streams.push(client);
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
            for stream in streams {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        Door {
            port,
            open,
            accepting: Some(accepting),
        }
    }

    pub(crate) fn shut(&mut self) {
        self.open.store(false, std::sync::atomic::Ordering::Relaxed);
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
    }
}

impl Drop for Door {
    fn drop(&mut self) {
        self.shut();
    }
}

#[test]
fn a_table_added_in_the_window_follows_the_view_and_is_kept_greyed_while_the_server_is_away() {
    use egui_kittest::kittest::Queryable;
    let Some(server) = server() else { return };
    let socket = std::path::Path::new(&server.host).join(format!(".s.PGSQL.{}", server.port));
    let mut door = Door::open(socket.clone(), 0);
    let address = format!(
        "postgresql://{}@127.0.0.1:{}/{}?connect_timeout=2&table=atlas.parks_4326",
        server.user, door.port, server.dbname
    );
    // At 西永, zoomed in: the view (and a view around it) holds one park of two.
    let mut harness = crate::common::window_at(geo::coord! { x: 106.43, y: 29.60 }, 11.0);
    // The layers pane's button (the menus have the same item).
    let failed = crate::common::list_in_server_dialog(
        &mut harness,
        "添加数据库图层…",
        &address,
        "连接并列出表",
    );
    assert_eq!(failed, None);
    harness.get_by_label("atlas.points_1m");
    harness.get_by_label("添加此表").click();
    harness.run_steps(2);
    crate::common::wait_for_layers(&mut harness);
    let layer_of = |harness: &egui_kittest::Harness<'_, chengyu_atlas::ui::AtlasApp>| {
        let atlas = harness.state().atlas();
        let id = atlas
            .user_layer_named("atlas.parks_4326")
            .expect("the layer added");
        let ids: Vec<String> = atlas
            .layer(id)
            .expect("its features")
            .features
            .iter()
            .map(|f| f.id.clone())
            .collect();
        (
            id,
            atlas.user_layer(id).expect("a user's layer").clone(),
            ids,
        )
    };
    let (_, layer, ids) = layer_of(&harness);
    assert_eq!(ids, ["1"], "only what is within the view was read");
    assert!(layer.read_within.is_some() && layer.stale.is_none());

    // The server goes away; the view moves to 成都: the layer is read again, fails, and
    // keeps its last data, greyed and said.
    door.shut();
    harness
        .state_mut()
        .go_to(geo::coord! { x: 104.07, y: 30.55 }, 11.0);
    harness.step();
    crate::common::wait_until("the failed refresh", || {
        harness.step();
        layer_of(&harness).1.stale.is_some()
    });
    harness.run();
    let (_, layer, ids) = layer_of(&harness);
    assert_eq!(ids, ["1"], "the last data is kept");
    let why = layer.stale.expect("said");
    assert!(
        why.en
            .contains("cannot reach the database server 127.0.0.1"),
        "{}",
        why.en
    );
    harness.get_by_label_contains("显示的是上次读取的数据");

    // It comes back; "Refresh" reads the view again.
    let door = Door::open(socket, door.port);
    harness.get_by_label("刷新").click();
    harness.run_steps(2);
    assert!(
        harness.state().layers_loading() > 0 || layer_of(&harness).1.stale.is_none(),
        "the refresh started"
    );
    crate::common::wait_for_layers(&mut harness);
    let (_, layer, ids) = layer_of(&harness);
    assert!(layer.stale.is_none());
    assert_eq!(ids, ["2"], "the park of the new view");
    drop(door);
}

/// A database layer the last run showed is read again at start for the view restored, not
/// for the whole region, and remembered with its refresh interval.
#[test]
fn a_remembered_database_layer_reads_the_restored_view_at_start() {
    let Some(server) = server() else { return };
    let dir = crate::common::fresh_dir("postgis-restore");
    let state = dir.join("state.json");
    let address = table(&server, "atlas.points_1m");
    std::fs::write(
        &state,
        serde_json::json!({
            "view": { "center": [106.43, 29.60], "zoom": 12.0 },
            "user_layers": [{ "path": address, "style": { "refresh_minutes": 5 } }],
        })
        .to_string(),
    )
    .expect("a state");
    let mut harness =
        crate::common::window_with(Some(state.clone()), |app| app.with_saved_layers());
    crate::common::wait_for_layers(&mut harness);
    let atlas = harness.state().atlas();
    let (id, layer) = atlas.user_layers().next().expect("restored");
    let within = layer.read_within.expect("read within a box");
    assert!(
        within.width() < 2.0 && within.min().x < 106.43 && within.max().x > 106.43,
        "{within:?}"
    );
    let count = atlas.layer(id).expect("features").features.len();
    assert!((1_000..100_000).contains(&count), "{count} of a million");
    // Its interval is shown in its row, and remembered.
    {
        use egui_kittest::kittest::Queryable as _;
        harness.get_by_label("自动刷新");
    }
    assert_eq!(
        harness
            .state()
            .atlas()
            .user_layers()
            .next()
            .expect("restored")
            .1
            .style
            .refresh_minutes,
        Some(5)
    );
    harness.state_mut().save_now();
    let saved = std::fs::read_to_string(&state).expect("saved");
    assert!(saved.contains("table=atlas.points_1m"), "{saved}");
    assert!(saved.contains("\"refresh_minutes\": 5"), "{saved}");
}

#[test]
fn export_on_the_command_line_draws_a_database_layer_and_lists_it() {
    let Some(server) = server() else { return };
    let dir = crate::common::fresh_dir("postgis-export");
    let out = dir.join("core.svg");
    let output = crate::common::atlas_command()
        .args([
            "export",
            "--view",
            "106.3,29.5,106.6,29.7",
            "--size",
            "800x600",
        ])
        .args(["--layer", &table(&server, "atlas.parks_4326")])
        .args(["--out", out.to_str().expect("utf-8")])
        .output()
        .expect("run export");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The NULL and the empty geometry are said (exit 1: the layer was read with changes).
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "{stderr}"
    );
    let svg = std::fs::read_to_string(&out).expect("written");
    // The page's text is set as outlines: the layer is seen by its colour (the first of the
    // palette), on the map and in the legend.
    let [r, g, b] = chengyu_atlas::model::user::LAYER_COLOURS[0];
    let colour = format!("#{r:02x}{g:02x}{b:02x}");
    let legend = svg.find("id=\"legend\"").expect("a legend");
    assert!(
        svg[..legend].contains(&colour),
        "drawn on the map in {colour}"
    );
    assert!(
        svg[legend..].contains(&colour),
        "listed in the legend in {colour}"
    );
}

/// The connection lost while a big read streams in: the read stops with the reason, and the
/// layer keeps what it had, greyed.
#[test]
fn a_connection_lost_mid_stream_keeps_the_last_data_and_says_so() {
    let Some(server) = server() else { return };
    let socket = std::path::Path::new(&server.host).join(format!(".s.PGSQL.{}", server.port));
    let mut door = Door::open(socket, 0);
    let address = format!(
        "postgresql://{}@127.0.0.1:{}/{}?connect_timeout=2&table=atlas.points_1m",
        server.user, door.port, server.dbname
    );
    let mut harness = crate::common::window_at(geo::coord! { x: 106.43, y: 29.60 }, 12.0);
    harness
        .state_mut()
        .add_layer(&user::LayerSpec::new(&address, None));
    crate::common::wait_for_layers(&mut harness);
    let first = {
        let atlas = harness.state().atlas();
        let (id, _) = atlas.user_layers().next().expect("added");
        (id, atlas.layer(id).expect("features").features.len())
    };
    assert!(first.1 > 1_000, "{}", first.1);
    // Far out: the view covers the million points, read in pages; the door shuts once the
    // first pages have come.
    harness
        .state_mut()
        .go_to(geo::coord! { x: 105.5, y: 30.5 }, 6.0);
    crate::common::wait_until("the read under way", || {
        harness.step();
        harness.state().layers_loading() > 0
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    door.shut();
    crate::common::wait_until("the read stopped", || {
        harness.step();
        harness.state().layers_loading() == 0
    });
    let atlas = harness.state().atlas();
    let layer = atlas.user_layer(first.0).expect("kept");
    let why = layer.stale.as_ref().expect("said");
    assert!(
        why.en.contains("connection") || why.en.contains("cannot reach"),
        "{}",
        why.en
    );
    assert_eq!(
        atlas.layer(first.0).expect("features").features.len(),
        first.1,
        "its last data"
    );
}

/// Over TCP the connection is encrypted as libpq's `sslmode` says (Debian's server offers TLS
/// with its snakeoil certificate): by default and with `require`, unchecked; `verify-ca`
/// checks the certificate against the root given; `verify-full` its name too; a root that is
/// missing is named. A socket needs none.
#[test]
fn tls_is_used_as_sslmode_says() {
    let Some(server) = server() else { return };
    let snakeoil = std::path::Path::new("/etc/ssl/certs/ssl-cert-snakeoil.pem");
    let on: bool = postgis::connect(&server)
        .and_then(|mut c| {
            c.query_one("SELECT current_setting('ssl') = 'on'", &[])
                .map(|r| r.get(0))
                .map_err(|e| chengyu_atlas::model::Text::new(e.to_string(), e.to_string()))
        })
        .expect("the server's settings");
    if !on || !snakeoil.exists() {
        eprintln!(
            "NOTE: the server offers no TLS (ssl = off, or no snakeoil certificate): its check is not run"
        );
        return;
    }
    let over_tcp = |host: &str, mode: &str| {
        let address = postgis::Address::parse(&format!(
            "postgresql://atlas_reader@{host}:{}/{}?{mode}",
            server.port, server.dbname
        ))
        .expect("an address");
        postgis::remember_password(&address, "right horse battery");
        postgis::connect(&address).and_then(|mut client| {
            client
                .query_one(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    &[],
                )
                .map(|row| row.get::<_, bool>(0))
                .map_err(|e| chengyu_atlas::model::Text::new(e.to_string(), e.to_string()))
        })
    };
    assert_eq!(
        over_tcp("127.0.0.1", "connect_timeout=5"),
        Ok(true),
        "by default"
    );
    assert_eq!(over_tcp("127.0.0.1", "sslmode=require"), Ok(true));
    assert_eq!(over_tcp("127.0.0.1", "sslmode=disable"), Ok(false));
    let root = format!("sslrootcert={}", snakeoil.display());
    assert_eq!(
        over_tcp("127.0.0.1", &format!("sslmode=verify-ca&{root}")),
        Ok(true),
        "the chain, not the name"
    );
    let wrong_name = over_tcp("127.0.0.1", &format!("sslmode=verify-full&{root}"))
        .expect_err("the certificate is not for 127.0.0.1");
    assert!(
        wrong_name.en.to_lowercase().contains("certificate"),
        "{}",
        wrong_name.en
    );
    let no_root = over_tcp(
        "127.0.0.1",
        "sslmode=verify-full&sslrootcert=/nonexistent/root.crt",
    )
    .expect_err("no root");
    assert!(
        no_root.en.contains("a root certificate is needed")
            && no_root.en.contains("/nonexistent/root.crt"),
        "{}",
        no_root.en
    );
    let bad = over_tcp("127.0.0.1", "sslmode=sometimes").expect_err("not a mode");
    assert!(
        bad.en.contains("sslmode=sometimes is not a mode"),
        "{}",
        bad.en
    );
    // The certificate's own name, where it is this machine's (Debian names it after the host).
    let subject = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-subject", "-in"])
        .arg(snakeoil)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default();
    if let Some(name) = subject.split("CN = ").nth(1).map(str::trim)
        && std::net::ToSocketAddrs::to_socket_addrs(&(name, server.port))
            .is_ok_and(|mut a| a.any(|a| a.ip().is_loopback()))
    {
        assert_eq!(
            over_tcp(name, &format!("sslmode=verify-full&{root}")),
            Ok(true),
            "verified, name and all, for {name}"
        );
    }
}

/// A port that takes the connection and then says nothing (a firewall's black hole, a hung
/// server) is named as a timeout within `connect_timeout`, not waited on: the port stays
/// silent until the read has given up (30 s at most, when it would close and the read say
/// the connection was lost instead).
#[test]
fn a_server_that_never_answers_is_a_timeout() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("port").port();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let held = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let _ = wait.recv_timeout(std::time::Duration::from_secs(30));
        drop(stream);
    });
    let address = format!("postgresql://atlas@127.0.0.1:{port}/gis?table=t&connect_timeout=1");
    let error = user::load(std::path::Path::new(&address), &LayerOptions::default())
        .expect_err("no answer");
    let _ = done.send(());
    let _ = held.join();
    assert!(
        error.problem.contains(&format!(
            "the database server 127.0.0.1:{port} did not answer in time"
        )),
        "{}",
        error.problem
    );
}
