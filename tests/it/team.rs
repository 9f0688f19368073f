//! Corrections shared through a team's PostGIS schema, against the real server of the
//! database tests: two atlases (李四's and 王五's) writing to one schema, the later edit
//! winning and the loser told, all of an outbox or none of it written, and edits made while
//! the database is away sent when it answers again.

use chengyu_atlas::geodata::corrections::Correction;
use chengyu_atlas::geodata::team::{Kind, Team};
use chengyu_atlas::geodata::user::postgis;

/// A schema of its own for each test, gone before it starts.
fn schema(server: &postgis::Address, name: &str) -> String {
    let schema = format!("team_{name}_{}", std::process::id());
    let mut client = postgis::connect(server).expect("connect");
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .expect("drop the schema");
    schema
}

fn correction(lon: f64, source: &str) -> Correction {
    Correction {
        platform: "cqu".into(),
        lon,
        lat: 29.593,
        accuracy_m: 300.0,
        source: source.into(),
        date: "2026-12-05".into(),
    }
}

fn rows(server: &postgis::Address, schema: &str) -> Vec<(String, String, String)> {
    let mut client = postgis::connect(server).expect("connect");
    client
        .query(
            &format!(
                "SELECT key, author, ST_AsText(geom) FROM {schema}.atlas_corrections ORDER BY key"
            ),
            &[],
        )
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r.get(0),
                        r.get(1),
                        r.get::<_, Option<String>>(2).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_correction_written_by_one_atlas_is_read_by_the_other_with_who_and_where() {
    let Some(server) = crate::postgis::server() else {
        return;
    };
    let schema = schema(&server, "share");
    let database = server.to_uri();
    let mut lisi = Team::new(&database, &schema, "李四").expect("李四's atlas");
    let mut wangwu = Team::new(&database, &schema, "王五").expect("王五's atlas");
    // The first atlas sets the schema up; nothing to read yet.
    assert_eq!(wangwu.sync().expect("an empty schema").changes, vec![]);

    let moved = correction(106.301, "site visit");
    lisi.record_platform("cqu", Some(&moved));
    let sent = lisi.sync().expect("sent");
    assert_eq!(sent.sent, 1);
    assert!(lisi.outbox.is_empty());
    assert_eq!(
        rows(&server, &schema),
        [(
            "cqu".to_string(),
            "李四".to_string(),
            "POINT(106.301 29.593)".to_string()
        )],
        "one row, by its author, a point QGIS can show"
    );

    let read = wangwu.sync().expect("read");
    assert_eq!(read.changes.len(), 1);
    assert_eq!(read.changes[0].author, "李四");
    assert_eq!(read.changes[0].platform(), Some(moved));
    assert!(read.lost.is_empty());

    // Taken away by 王五: 李四 reads that it is gone.
    wangwu.record_platform("cqu", None);
    wangwu.sync().expect("sent");
    let read = lisi.sync().expect("read");
    assert_eq!(read.changes.len(), 1);
    assert_eq!(read.changes[0].kind, Kind::Platform);
    assert_eq!(read.changes[0].body, None);
}

#[test]
fn the_later_of_two_edits_wins_and_the_loser_is_told_by_whom_and_when() {
    let Some(server) = crate::postgis::server() else {
        return;
    };
    let schema = schema(&server, "race");
    let database = server.to_uri();
    let mut lisi = Team::new(&database, &schema, "李四").expect("李四's atlas");
    let mut wangwu = Team::new(&database, &schema, "王五").expect("王五's atlas");

    // Both edit 重庆大学; 李四 first (10 minutes ago), 王五 later (now), and 王五's arrives
    // first. 李四's, sent after, is older: 王五's stays and 李四 is told.
    lisi.record_platform("cqu", Some(&correction(106.31, "李四's survey")));
    lisi.outbox[0].made_at -= 600_000_000;
    let wangwu_edit = correction(106.32, "王五's survey");
    wangwu.record_platform("cqu", Some(&wangwu_edit));
    wangwu.sync().expect("王五 sends");
    let synced = lisi.sync().expect("李四 sends");
    assert_eq!(synced.sent, 0);
    assert_eq!(synced.lost.len(), 1);
    let said = synced.lost[0].said();
    assert!(
        said.en.starts_with("platform cqu: changed by 王五 at ")
            && said.en.contains("while you edited"),
        "{}",
        said.en
    );
    assert!(
        said.zh.contains("王五") && said.zh.contains("在你编辑期间"),
        "{}",
        said.zh
    );
    assert_eq!(
        synced
            .changes
            .iter()
            .map(|c| c.platform())
            .collect::<Vec<_>>(),
        [Some(wangwu_edit)],
        "李四's atlas takes 王五's"
    );
    assert_eq!(rows(&server, &schema)[0].1, "王五");

    // Now 李四 edits again, later, knowing 王五's: it is written, and 王五, whose edit it
    // replaces, is told when his atlas next reads.
    lisi.record_platform("cqu", Some(&correction(106.33, "李四 again")));
    assert_eq!(lisi.sync().expect("sent").sent, 1);
    let read = wangwu.sync().expect("read");
    assert_eq!(read.lost.len(), 1, "{:?}", read.lost);
    assert!(!read.lost[0].while_editing);
    assert!(
        read.lost[0].said().en.contains("changed by 李四 at ")
            && read.lost[0].said().en.contains("after your edit"),
        "{}",
        read.lost[0].said().en
    );
    assert_eq!(rows(&server, &schema)[0].1, "李四");
}

#[test]
fn an_outbox_is_written_whole_or_not_at_all() {
    let Some(server) = crate::postgis::server() else {
        return;
    };
    let schema = schema(&server, "whole");
    let mut lisi = Team::new(&server.to_uri(), &schema, "李四").expect("李四's atlas");
    lisi.sync().expect("the schema set up");
    lisi.record_platform("cqu", Some(&correction(106.31, "survey")));
    // A key the table refuses (its CHECK): the whole outbox is refused with it.
    lisi.record(
        Kind::Outline,
        "",
        Some(serde_json::json!({"wkt": "POINT(1 1)"})),
    );
    let error = lisi.sync().expect_err("refused");
    assert!(
        error.en.contains("atlas_corrections_key_check"),
        "{}",
        error.en
    );
    assert_eq!(lisi.outbox.len(), 2, "the outbox waits");
    assert_eq!(rows(&server, &schema), [], "nothing written");
}

#[test]
fn edits_made_while_the_database_is_away_wait_on_disk_and_are_sent_when_it_answers() {
    let Some(server) = crate::postgis::server() else {
        return;
    };
    let schema = schema(&server, "away");
    let socket = std::path::Path::new(&server.host).join(format!(".s.PGSQL.{}", server.port));
    let mut door = crate::postgis::Door::open(socket.clone(), 0);
    let database = format!(
        "postgresql://{}@127.0.0.1:{}/{}?connect_timeout=2",
        server.user, door.port, server.dbname
    );
    let mut lisi = Team::new(&database, &schema, "李四").expect("李四's atlas");
    lisi.sync().expect("the schema set up");

    door.shut();
    lisi.record_platform("cqu", Some(&correction(106.31, "survey, offline")));
    let error = lisi.sync().expect_err("the database is away");
    assert!(error.en.contains("cannot reach"), "{}", error.en);
    // The outbox is kept with the atlas's state, and read again at the next start.
    let kept = crate::common::fresh_dir("team-away").join("team.json");
    lisi.write(&kept).expect("kept");
    let mut again = Team::read(&kept).expect("read again");
    assert_eq!(again.outbox, lisi.outbox);

    let door = crate::postgis::Door::open(socket, door.port);
    let synced = again.sync().expect("sent");
    assert_eq!(synced.sent, 1);
    assert_eq!(rows(&server, &schema)[0].1, "李四");
    drop(door);
}

/// In the window: "Team corrections…" joins a team; 王五's correction, written by his atlas,
/// moves the platform here; a correction saved here reaches the table with this user's name.
#[test]
fn a_window_joined_to_a_team_takes_its_corrections_and_sends_its_own() {
    use chengyu_atlas::model::Shape;
    use egui_kittest::kittest::Queryable;
    let Some(server) = crate::postgis::server() else {
        return;
    };
    let schema = schema(&server, "window");
    let database = server.to_uri();
    let mut wangwu = Team::new(&database, &schema, "王五").expect("王五's atlas");
    wangwu.record_platform("cqu", Some(&correction(106.32, "王五's survey")));
    wangwu.sync().expect("王五 sends");

    let dir = crate::common::fresh_dir("team-window");
    let mut harness = crate::common::window(
        crate::common::loaded().clone(),
        Some(dir.join("state.json")),
        1.0 / 60.0,
    );
    harness.run();
    crate::common::choose(&mut harness, &["文件", "团队共享校正…"]);
    harness.run();
    for (label, value) in [
        ("数据库", database.as_str()),
        ("模式", &schema),
        ("你的名字", "李四"),
    ] {
        harness.get_by_label(label).focus();
        harness.run();
        harness.get_by_label(label).type_text(value);
        harness.run();
    }
    harness.get_by_label("加入").click();
    crate::common::wait_until("王五's correction taken", || {
        harness.step();
        !harness.state().corrections().is_empty()
    });
    harness.run();
    let (cqu, feature) = harness.state().atlas().find("cqu").expect("cqu");
    let Shape::Point(at) = feature.shape else {
        panic!("a point")
    };
    assert!((at.x() - 106.32).abs() < 1e-9, "moved by 王五's: {at:?}");
    let written = std::fs::read_to_string(dir.join("corrections.toml")).expect("kept here");
    assert!(written.contains("王五's survey"), "{written}");
    assert!(dir.join("team.json").exists(), "the team remembered");

    // Corrected here: sent with this user's name.
    harness.state_mut().select(Some(cqu), true);
    harness.run();
    harness.get_by_label("校正位置…").click();
    harness.run();
    {
        let form = harness.state_mut().correction_form().expect("the form");
        form.lon = "106.335".into();
        form.lat = "29.6".into();
        form.source = "李四's survey".into();
    }
    harness.run();
    harness.get_by_label("保存校正").click();
    crate::common::wait_until("李四's correction in the table", || {
        harness.step();
        rows(&server, &schema)
            .first()
            .is_some_and(|r| r.1 == "李四")
    });
    assert_eq!(rows(&server, &schema)[0].2, "POINT(106.335 29.6)");
    let read = wangwu.sync().expect("王五 reads");
    assert_eq!(read.changes.len(), 1);
    assert_eq!(
        read.lost.len(),
        1,
        "王五 is told his correction was changed"
    );

    // A path drawn here is shared as a sketch, as a line QGIS can show.
    harness
        .state_mut()
        .go_to(geo::coord! { x: 106.33, y: 29.58 }, 11.0);
    harness.run();
    crate::common::choose(&mut harness, &["工具", "绘制路径"]);
    for at in [
        geo::coord! { x: 106.30, y: 29.56 },
        geo::coord! { x: 106.35, y: 29.60 },
    ] {
        let pos = harness.state().screen_position(at).expect("on screen");
        crate::common::click_at(&mut harness, pos);
    }
    harness.key_press(egui::Key::Enter);
    harness.run();
    crate::common::wait_until("the path in the table", || {
        harness.step();
        rows(&server, &schema)
            .iter()
            .any(|(_, author, wkt)| author == "李四" && wkt.contains("LINESTRING"))
    });
    let read = wangwu.sync().expect("王五 reads");
    let path = read
        .changes
        .iter()
        .find_map(|c| c.sketch())
        .expect("the path, as a sketch feature");
    assert!(!path.layer.is_empty() && !path.removed, "{path:?}");
}

/// A sketch layer is shared too: a point 李四 draws appears in 王五's atlas, in a sketch layer
/// of the same name, with its name and place; deleted by 王五, it goes from 李四's.
#[test]
fn a_sketch_drawn_by_one_atlas_is_drawn_in_the_others_and_deleted_in_both() {
    use chengyu_atlas::geodata::team::{apply_sketch, sketch_features};
    use chengyu_atlas::geodata::user;
    use chengyu_atlas::model::Shape;
    let Some(server) = crate::postgis::server() else {
        return;
    };
    let schema = schema(&server, "sketch");
    let database = server.to_uri();
    let mut lisi = Team::new(&database, &schema, "李四").expect("李四's atlas");
    let mut wangwu = Team::new(&database, &schema, "王五").expect("王五's atlas");
    let mut lisi_atlas = crate::common::atlas().clone();
    let mut wangwu_atlas = crate::common::atlas().clone();

    let layer = lisi_atlas.add_user_layer(user::sketch_layer("规划草图", 0), Vec::new());
    let info = lisi_atlas.user_layer(layer).expect("the sketch").clone();
    let point = geo::Point::new(106.31, 29.59);
    lisi_atlas.add_to_user_layer(
        layer,
        user::drawn_feature(&info, "新实验室", Shape::Point(point)),
    );
    for feature in sketch_features(&lisi_atlas).values() {
        lisi.record_sketch(feature);
    }
    assert_eq!(lisi.sync().expect("sent").sent, 1);
    assert_eq!(
        rows(&server, &schema)[0].2,
        "POINT(106.31 29.59)",
        "a point QGIS can show"
    );

    let read = wangwu.sync().expect("read");
    assert_eq!(read.changes.len(), 1);
    let shared = read.changes[0].sketch().expect("a sketch feature");
    assert!(apply_sketch(&mut wangwu_atlas, &shared));
    let there = wangwu_atlas
        .user_layer_named("规划草图")
        .expect("the sketch layer made in 王五's atlas");
    let features = &wangwu_atlas.layer(there).expect("its features").features;
    assert_eq!(features.len(), 1);
    assert_eq!(features.get(0).expect("a feature").name.zh, "新实验室");
    assert_eq!(
        features.get(0).expect("a feature").shape,
        Shape::Point(point)
    );
    assert_eq!(
        sketch_features(&wangwu_atlas),
        sketch_features(&lisi_atlas),
        "the same sketch"
    );

    // Deleted by 王五: sent as deleted, and gone from 李四's atlas.
    let mut deleted = shared.clone();
    deleted.removed = true;
    deleted.wkt = None;
    wangwu.record_sketch(&deleted);
    wangwu.sync().expect("sent");
    let read = lisi.sync().expect("read");
    assert_eq!(read.changes.len(), 1);
    assert!(apply_sketch(
        &mut lisi_atlas,
        &read.changes[0].sketch().expect("sketch")
    ));
    assert!(sketch_features(&lisi_atlas).is_empty());
}
