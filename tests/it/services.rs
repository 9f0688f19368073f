//! Feature services as layers against a real server: MapServer (Debian's mapserver-bin)
//! serving the atlas's own platforms and zones as OGC API – Features and as a WFS 2.0 with
//! GeoJSON output (tests/data/wms/zones.map, behind the CGI bridge of `wms.rs`). The platforms
//! come 10 to a page at most, so that a read follows the server's `next` links.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use chengyu_atlas::geodata::user::{self, LayerOptions, service};
use chengyu_atlas::model::user::UserFormat;

/// The 西永 core and the University Town around it.
fn core_box() -> geo::Rect {
    geo::Rect::new(
        geo::coord! { x: 106.2, y: 29.45 },
        geo::coord! { x: 106.5, y: 29.75 },
    )
}

/// The ids of the platforms within `extent` in the file the server serves: what a read must
/// give back.
fn platforms_within(extent: geo::Rect) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/platforms.geojson"),
    )
    .expect("the platforms");
    let document: serde_json::Value = serde_json::from_str(&text).expect("GeoJSON");
    let mut ids: Vec<String> = document["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| {
            let c = &f["geometry"]["coordinates"];
            let (x, y) = (c[0].as_f64().unwrap_or(0.0), c[1].as_f64().unwrap_or(0.0));
            x >= extent.min().x && x <= extent.max().x && y >= extent.min().y && y <= extent.max().y
        })
        .map(|f| {
            f["properties"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    ids.sort();
    ids
}

fn read(address: &str, extent: Option<geo::Rect>, cache: &Path) -> user::LoadedLayer {
    let options = LayerOptions {
        extent,
        cache: Some(cache.to_path_buf()),
        ..LayerOptions::default()
    };
    user::load(Path::new(address), &options).unwrap_or_else(|e| panic!("{address}: {e}"))
}

fn ids_of(layer: &user::LoadedLayer) -> Vec<String> {
    let id = layer
        .info
        .fields
        .iter()
        .position(|f| f == "id")
        .expect("an id field");
    let mut ids: Vec<String> = layer
        .features
        .iter()
        .map(|f| match &f.kind {
            chengyu_atlas::model::FeatureKind::User(u) => u.values[id].to_string(),
            _ => String::new(),
        })
        .collect();
    ids.sort();
    ids
}

fn ogc_root(service: &str) -> String {
    service.replace("/wms?", "/ogc/atlas/ogcapi")
}

#[test]
fn an_ogc_api_collection_is_listed_and_read_within_the_view_page_by_page() {
    let Some(wms) = crate::wms::serve() else {
        return;
    };
    let root = ogc_root(&wms);
    let cache = crate::common::fresh_dir("oapif-cache");
    let landing = service::Address::parse(&root).expect("the landing page");
    let collections = service::list_collections(&landing).expect("listed");
    let platforms = collections
        .iter()
        .find(|c| c.id == "platforms")
        .expect("the platforms listed");
    assert_eq!(platforms.title, "平台");
    let extent = platforms.extent.expect("its extent");
    assert!(
        extent.min().x < 104.1 && extent.max().x > 106.5,
        "{extent:?}"
    );
    assert!(collections.iter().any(|c| c.id == "zones"));

    let address = platforms.address.to_uri();
    assert_eq!(
        user::format_of(Path::new(&address)),
        Some(UserFormat::OgcApi)
    );
    let layer = read(&address, Some(core_box()), &cache);
    let wanted = platforms_within(core_box());
    assert!(
        wanted.len() > 20,
        "more than two pages of 10: {}",
        wanted.len()
    );
    assert_eq!(ids_of(&layer), wanted, "the view's platforms, every page");
    assert_eq!(layer.info.name, "platforms");
    assert!(layer.info.is_remote() && layer.info.stale.is_none());
    assert_eq!(layer.info.read_within, Some(core_box()));
    let said = &layer.info.notes[0].en;
    let pages = wanted.len().div_ceil(10);
    assert!(
        said.contains(&format!("{} features in {pages} pages", wanted.len())),
        "{said}"
    );
    let named = layer.info.name_field.map(|i| layer.info.fields[i].as_str());
    assert_eq!(named, Some("name_zh"), "named by their Chinese names");

    // A polygon collection, whole.
    let zones = read(&format!("{root}/collections/zones"), None, &cache);
    assert!(ids_of(&zones).contains(&"core".to_string()));
    assert!(
        zones
            .features
            .iter()
            .all(|f| matches!(f.shape, chengyu_atlas::model::Shape::Area(_)))
    );
}

#[test]
fn a_wfs_feature_type_is_read_as_geojson_with_the_same_features() {
    let Some(wms) = crate::wms::serve() else {
        return;
    };
    let cache = crate::common::fresh_dir("wfs-cache");
    let endpoint = service::Address::parse(&format!("{wms}SERVICE=WFS")).expect("the WFS");
    let types = service::list_collections(&endpoint).expect("listed");
    let platforms = types
        .iter()
        .find(|t| t.id == "ms:platforms")
        .expect("the platforms listed, in MapServer's namespace");
    assert_eq!(platforms.title, "平台");
    assert!(
        platforms
            .address
            .format
            .as_deref()
            .is_some_and(|f| f.contains("json")),
        "{:?}",
        platforms.address.format
    );
    let address = platforms.address.to_uri();
    assert_eq!(user::format_of(Path::new(&address)), Some(UserFormat::Wfs));
    let layer = read(&address, Some(core_box()), &cache);
    assert_eq!(ids_of(&layer), platforms_within(core_box()));
    assert_eq!(layer.info.name, "platforms", "named without the namespace");
    // Longitude first: 重庆大学 虎溪校区 is at 106.3 E.
    let cqu = layer
        .features
        .iter()
        .find(|f| f.name.zh == "重庆大学")
        .expect("重庆大学");
    let chengyu_atlas::model::Shape::Point(at) = &cqu.shape else {
        panic!("a point")
    };
    assert!(
        (at.x() - 106.3).abs() < 0.01 && (at.y() - 29.59).abs() < 0.01,
        "{at:?}"
    );
    // An address without its output format asks the capabilities for it.
    let bare = format!("{wms}SERVICE=WFS&TYPENAMES=ms:platforms");
    assert_eq!(
        ids_of(&read(&bare, Some(core_box()), &cache)),
        ids_of(&layer)
    );
}

#[test]
fn a_service_away_opens_its_last_read_from_the_cache_greyed_and_said() {
    let Some((wms, down)) = crate::wms::serve_switched() else {
        return;
    };
    let cache = crate::common::fresh_dir("oapif-offline");
    let address = format!("{}/collections/platforms", ogc_root(&wms));
    let online = read(&address, Some(core_box()), &cache);
    let kept: Vec<PathBuf> = std::fs::read_dir(cache.join("features"))
        .expect("the features' cache")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1, "one read kept: {kept:?}");

    down.store(true, Ordering::Relaxed);
    // Elsewhere, offline: what was last read is shown, said to be old.
    let elsewhere = geo::Rect::new(
        geo::coord! { x: 103.9, y: 30.5 },
        geo::coord! { x: 104.2, y: 30.8 },
    );
    let offline = read(&address, Some(elsewhere), &cache);
    assert_eq!(ids_of(&offline), ids_of(&online));
    let why = offline.info.stale.as_ref().expect("said to be old");
    assert!(
        why.en.contains("cannot be reached") && why.en.contains("showing what was kept at"),
        "{}",
        why.en
    );
    assert!(why.zh.contains("缓存的数据"), "{}", why.zh);

    // Without a copy, the layer cannot open: the error says the service cannot be reached.
    let empty = crate::common::fresh_dir("oapif-nothing-kept");
    let options = LayerOptions {
        cache: Some(empty),
        ..LayerOptions::default()
    };
    let error = user::load(Path::new(&address), &options).expect_err("nothing to show");
    assert!(
        error.problem_text().en.contains("cannot be reached"),
        "{}",
        error.problem_text().en
    );
    down.store(false, Ordering::Relaxed);
}

#[test]
fn a_web_page_a_server_error_and_a_missing_collection_are_named() {
    let Some(wms) = crate::wms::serve() else {
        return;
    };
    let base = wms.trim_end_matches("/wms?");
    let cache = crate::common::fresh_dir("oapif-faults");
    let options = LayerOptions {
        cache: Some(cache),
        ..LayerOptions::default()
    };
    let said = |address: String| {
        user::load(Path::new(&address), &options)
            .expect_err(&address)
            .problem_text()
            .en
    };
    let login = said(format!("{base}/login/collections/parks"));
    assert!(login.contains("answered a web page"), "{login}");
    let broken = said(format!("{base}/broken/collections/parks"));
    assert!(broken.contains("HTTP 500"), "{broken}");
    let missing = said(format!("{}/collections/nowhere", ogc_root(&wms)));
    assert!(
        missing.contains("HTTP 404") && missing.contains("Invalid collection"),
        "{missing}"
    );
    let landing = said(ogc_root(&wms));
    assert!(landing.contains("names no collection"), "{landing}");
    let listing = service::list_collections(
        &service::Address::parse(&format!("{base}/login")).expect("an address"),
    )
    .expect_err("a web page");
    assert!(listing.en.contains("answered a web page"), "{}", listing.en);
}

/// In the window: "Add feature service layer…" lists an OGC API's collections and adds one,
/// read for the view; when the service goes away and the view moves, the layer shows what was
/// last kept, greyed and said.
#[test]
fn a_collection_added_in_the_window_follows_the_view_and_opens_from_the_cache_when_away() {
    use egui_kittest::kittest::Queryable;
    let Some((wms, down)) = crate::wms::serve_switched() else {
        return;
    };
    let root = ogc_root(&wms);
    let mut harness = crate::common::window_at(geo::coord! { x: 106.33, y: 29.60 }, 11.0);
    let failed = crate::common::list_in_server_dialog(
        &mut harness,
        "添加要素服务图层…",
        &root,
        "连接并列出集合",
    );
    assert_eq!(failed, None);
    let dialog = harness.state().database_dialog();
    let listed: Vec<String> = dialog.listed().iter().map(|l| l.name.clone()).collect();
    let at = listed
        .iter()
        .position(|n| n == "platforms")
        .expect("the platforms listed");
    harness.get_by_label("平台");
    // The grid's Add buttons, in the order listed.
    let adds: Vec<_> = harness.get_all_by_label("添加").collect();
    let first = adds.len() - listed.len();
    adds[first + at].click();
    harness.run_steps(2);
    crate::common::wait_for_layers(&mut harness);
    let layer_of = |harness: &egui_kittest::Harness<'_, chengyu_atlas::ui::AtlasApp>| {
        let atlas = harness.state().atlas();
        let id = atlas
            .user_layer_named("platforms")
            .expect("the layer added");
        (
            atlas.user_layer(id).expect("a user's layer").clone(),
            atlas.layer(id).expect("its features").features.len(),
        )
    };
    let (layer, count) = layer_of(&harness);
    let read_within = layer.read_within.expect("read for the view");
    assert_eq!(count, platforms_within(read_within).len());
    assert!(count > 0 && layer.stale.is_none());
    assert_eq!(layer.format, UserFormat::OgcApi);

    // Away, and the view moves to 成都: the last read is shown, greyed and said.
    down.store(true, Ordering::Relaxed);
    harness
        .state_mut()
        .go_to(geo::coord! { x: 104.07, y: 30.55 }, 11.0);
    harness.step();
    crate::common::wait_until("the read from the cache", || {
        harness.step();
        layer_of(&harness).0.stale.is_some()
    });
    harness.run();
    let (layer, again) = layer_of(&harness);
    assert_eq!(again, count, "what was last read, from the cache");
    assert!(layer.stale.expect("said").en.contains("cannot be reached"));
    harness.get_by_label_contains("缓存的数据");
    down.store(false, Ordering::Relaxed);
}
