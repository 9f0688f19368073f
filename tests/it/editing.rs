//! Editing what is drawn, as a user does it: a polygon drawn, selected, its vertex dragged, a
//! vertex pulled out of an edge's middle and deleted, the feature moved and its attributes
//! typed; each a named step, undone with Ctrl+Z and done again with Ctrl+Shift+Z or Ctrl+Y,
//! the layer compared through the file it saves to.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use chengyu_atlas::model::{FeatureRef, Shape};
use chengyu_atlas::ui::AtlasApp;

use crate::common::{self, click_at};

/// A drag from `from` to `to` with Shift held (no snapping), in steps, as a hand does it.
fn drag(harness: &mut Harness<'_, AtlasApp>, from: egui::Pos2, to: egui::Pos2) {
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for n in 1..=4 {
        harness.hover_at(from + (to - from) * (n as f32 / 4.0));
        harness.step();
    }
    harness.drop_at(to);
    harness.run_steps(30);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
}

/// A window over the core's east, zoom 12.
fn window_over_the_core() -> Harness<'static, AtlasApp> {
    common::window_at(geo::coord! { x: 106.33, y: 29.58 }, 12.0)
}

/// That window with a triangle drawn in a new sketch layer and selected.
fn with_a_drawn_triangle() -> (Harness<'static, AtlasApp>, FeatureRef) {
    let mut harness = window_over_the_core();
    common::draw_triangle(&mut harness);
    let layer = harness.state().sketch().expect("a sketch");
    let feature = FeatureRef { layer, index: 0 };
    harness.state_mut().select(Some(feature), false);
    harness.run();
    (harness, feature)
}

fn ring(harness: &Harness<'_, AtlasApp>, feature: FeatureRef) -> Vec<geo::Coord> {
    let shape = harness.state().atlas().shape(feature);
    let Some(Shape::Area(area)) = shape.as_deref() else {
        panic!("an area")
    };
    area.0[0].exterior().0.clone()
}

/// The layer as its saved file has it.
fn saved(harness: &mut Harness<'_, AtlasApp>, name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("chengyu-editing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    harness.state_mut().save_sketch_to(&path).expect("saved");
    std::fs::read_to_string(&path).expect("read")
}

/// A vertex dragged lands where it was dropped (checked through the camera's own projection
/// of the drop point); Ctrl+Z gives back the layer exactly as it was saved before, Ctrl+Shift+Z
/// and Ctrl+Y the dragged one; the Edit menu names the step.
#[test]
fn a_dragged_vertex_moves_and_undo_redo_restore_the_exact_layer() {
    let (mut harness, feature) = with_a_drawn_triangle();
    let before = saved(&mut harness, "before.geojson");
    let corner = ring(&harness, feature)[1];
    let from = harness.state().screen_position(corner).expect("on screen");
    let to = from + egui::vec2(30.0, -20.0);
    drag(&mut harness, from, to);
    let moved = ring(&harness, feature);
    // The vertex is where it was dropped on screen (through the camera's forward projection).
    let landed = moved.iter().find(|c| {
        let at = harness.state().screen_position(**c).expect("on screen");
        at.distance(to) < 0.5
    });
    assert!(landed.is_some(), "{moved:?} has no vertex at {to:?}");
    assert!(!moved.contains(&corner), "the corner moved: {moved:?}");
    assert_eq!(moved.first(), moved.last(), "the ring stays closed");
    let after = saved(&mut harness, "after.geojson");
    assert_ne!(before, after);

    common::choose(&mut harness, &["编辑"]);
    harness.get_by_label_contains("撤销 移动顶点");
    harness.key_press(egui::Key::Escape);
    harness.run();

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(saved(&mut harness, "undone.geojson"), before);
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(saved(&mut harness, "redone.geojson"), after);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    harness.run();
    assert_eq!(saved(&mut harness, "redone-y.geojson"), after);
}

/// An edge's middle dragged pulls out a fourth vertex; that vertex clicked and Delete removes
/// it; a triangle's vertex is refused (it keeps three); Delete with no vertex chosen deletes
/// the feature, and Ctrl+Z brings it back.
#[test]
fn a_midpoint_pulls_out_a_vertex_that_delete_removes_and_a_triangle_keeps_three() {
    let (mut harness, feature) = with_a_drawn_triangle();
    let ring0 = ring(&harness, feature);
    let middle = geo::coord! {
        x: (ring0[0].x + ring0[1].x) / 2.0,
        y: (ring0[0].y + ring0[1].y) / 2.0,
    };
    let from = harness.state().screen_position(middle).expect("on screen");
    drag(&mut harness, from, from + egui::vec2(0.0, 40.0));
    assert_eq!(ring(&harness, feature).len(), 5, "four vertices, closed");

    // The new vertex clicked, then Delete: three again.
    let pulled = ring(&harness, feature)[1];
    let at = harness.state().screen_position(pulled).expect("on screen");
    click_at(&mut harness, at);
    assert_eq!(harness.state().selected(), Some(feature), "still selected");
    harness.key_press(egui::Key::Delete);
    harness.run();
    assert_eq!(ring(&harness, feature), ring0);

    // A triangle's vertex is not deleted: said, and kept.
    let corner = harness
        .state()
        .screen_position(ring0[2])
        .expect("on screen");
    click_at(&mut harness, corner);
    harness.key_press(egui::Key::Delete);
    harness.run();
    assert_eq!(ring(&harness, feature), ring0);
    harness.get_by_label_contains("多边形至少保留三个顶点");

    // No vertex chosen: Delete removes the feature; Ctrl+Z brings it back.
    harness.state_mut().select(Some(feature), false);
    harness.run();
    harness.key_press(egui::Key::Delete);
    harness.run();
    let count = |h: &Harness<'_, AtlasApp>| {
        h.state()
            .atlas()
            .layer(feature.layer)
            .map_or(0, |l| l.features.len())
    };
    assert_eq!(count(&harness), 0);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(count(&harness), 1);
    assert_eq!(ring(&harness, feature), ring0);
}

/// The feature dragged from inside moves whole, every vertex by the same amount; its
/// attributes typed in the form are saved, and Ctrl+Z takes the typing back as one step.
#[test]
fn a_feature_moves_whole_and_its_attributes_are_edited_as_one_step() {
    let (mut harness, feature) = with_a_drawn_triangle();
    let ring0 = ring(&harness, feature);
    let inside = geo::coord! { x: 106.33, y: 29.57 };
    let from = harness.state().screen_position(inside).expect("on screen");
    drag(&mut harness, from, from + egui::vec2(50.0, 0.0));
    let ring1 = ring(&harness, feature);
    let dx = ring1[0].x - ring0[0].x;
    assert!(dx > 0.0, "moved east: {ring1:?}");
    for (a, b) in ring0.iter().zip(&ring1) {
        assert!(((b.x - a.x) - dx).abs() < 1e-9 && (b.y - a.y).abs() < 1e-9);
    }

    common::choose(&mut harness, &["编辑", "编辑属性…"]);
    harness.get_by_label_contains("属性 — 多边形 1");
    let field =
        harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "说明 (description)");
    field.focus();
    field.type_text("新实验室用地");
    harness.run();
    harness.get_by_label("保存").click();
    harness.run();
    let layer = harness
        .state()
        .atlas()
        .user_layer(feature.layer)
        .expect("layer");
    let value = |h: &Harness<'_, AtlasApp>| {
        let atlas = h.state().atlas();
        let info = atlas.user_layer(feature.layer).expect("layer");
        info.value(&atlas.feature(feature).expect("feature"), "description")
            .map(str::to_string)
    };
    assert!(layer.drawn, "unsaved edits");
    assert_eq!(value(&harness).as_deref(), Some("新实验室用地"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(value(&harness).as_deref(), Some(""));
    assert_eq!(ring(&harness, feature), ring1, "only the typing was undone");
}

/// A note placed by two clicks (its text, then where its arrow points) opens its form; the text
/// typed is drawn at the first click with its halo, always (no label displaces it), and a
/// leader arrow ends at the second click; saved as GeoJSON it keeps its size, colour and halo.
#[test]
fn a_note_with_a_leader_arrow_is_drawn_where_it_was_placed() {
    let mut harness = window_over_the_core();
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::T,
    );
    harness.run();
    let text_at = geo::coord! { x: 106.30, y: 29.60 };
    let tip_at = geo::coord! { x: 106.34, y: 29.56 };
    for at in [text_at, tip_at] {
        let pos = harness.state().screen_position(at).expect("on screen");
        click_at(&mut harness, pos);
    }
    harness.get_by_label_contains("属性 — 注记 1");
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "名称 (name)")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "名称 (name)")
        .type_text("新实验室");
    harness.run();
    harness.get_by_label("保存").click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.run_steps(5);
    let scene = harness.state().last_scene().expect("a scene").clone();
    let text = harness.state().screen_position(text_at).expect("on screen");
    let tip = harness.state().screen_position(tip_at).expect("on screen");
    let map = harness.state().map_rect().expect("laid out");
    let label = scene.items.iter().find_map(|item| match item {
        chengyu_atlas::render::Item::Label(label) if label.text == "新实验室" => Some(label),
        _ => None,
    });
    let label = label.expect("the note's text is drawn");
    let anchor = map.min + egui::vec2(label.anchor[0], label.anchor[1]);
    assert!(anchor.distance(text) < 0.5, "{anchor:?} against {text:?}");
    assert_eq!(label.style.size, 16.0);
    assert!(label.style.halo.0[3] > 0, "with its halo");
    let arrow_end = scene.items.iter().find_map(|item| match item {
        chengyu_atlas::render::Item::Arrow { to, .. } => Some(map.min + egui::vec2(to[0], to[1])),
        _ => None,
    });
    let arrow_end = arrow_end.expect("the leader arrow");
    assert!(
        arrow_end.distance(tip) < 0.5,
        "{arrow_end:?} against {tip:?}"
    );

    let dir = std::env::temp_dir().join(format!("chengyu-note-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("notes.geojson");
    harness.state_mut().save_sketch_to(&path).expect("saved");
    let written = std::fs::read_to_string(&path).expect("read");
    assert!(
        written.contains("\"note-size\":16")
            && written.contains("\"note-color\":\"#1b1b1f\"")
            && written.contains("\"note-halo\":\"#ffffff\"")
            && written.contains("新实验室"),
        "{written}"
    );
}

/// A save that cannot be written (here the file's place is taken by a folder, which no user,
/// root included, can replace with a file) is said, and the edits stay in the layer, unsaved,
/// with the journal that keeps them.
#[test]
fn a_save_that_cannot_be_written_is_said_and_the_edits_are_kept() {
    let dir = common::fresh_dir("unwritable-save");
    let plots = dir.join("plots.geojson");
    std::fs::copy(common::test_data("user/notes.geojson"), &plots).expect("copied");
    let mut harness = common::window(
        common::loaded().clone(),
        Some(dir.join("state.json")),
        1.0 / 60.0,
    );
    harness.run();
    let layer = common::open_layer(&mut harness, &plots);
    harness.state_mut().toggle_editing(layer);
    harness
        .state_mut()
        .select(Some(FeatureRef { layer, index: 0 }), false);
    harness.run();
    harness.key_press(egui::Key::Delete);
    harness.run();
    std::fs::remove_file(&plots).expect("removed");
    std::fs::create_dir(&plots).expect("a folder in its place");
    harness.get_by_label("保存…").click();
    harness.run();
    harness.get_by_label_contains("未能保存（编辑仍在图层中）");
    let atlas = harness.state().atlas();
    assert_eq!(atlas.layer(layer).map(|l| l.features.len()), Some(1));
    assert!(
        atlas.user_layer(layer).is_some_and(|l| l.drawn),
        "still unsaved"
    );
    let journals = std::fs::read_dir(dir.join("recovery")).map_or(0, |d| d.count());
    assert_eq!(journals, 1, "the journal stays");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp") || name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no half-written file: {leftovers:?}");
}

/// A table's points (a CSV's, kept as columns) opened for edits: the point dragged moves, the
/// other rows keep their positions and their cells as written, and Undo puts it back.
#[test]
fn a_tables_point_is_moved_and_the_other_rows_stay_as_read() {
    let dir = common::fresh_dir("table-edit");
    let sites = dir.join("sites.csv");
    std::fs::write(
        &sites,
        "编号,名称,经度,纬度\nA1,甲,106.320000,29.570000\nA2,乙,106.340000,29.590000\nA3,丙,106.350000,29.560000\n",
    )
    .expect("written");
    let mut harness = window_over_the_core();
    let layer = common::open_layer(&mut harness, &sites);
    let features = |h: &Harness<'_, AtlasApp>| {
        let features = &h.state().atlas().layer(layer).expect("layer").features;
        (0..features.len())
            .map(|i| features.get(i).expect("a feature").into_owned())
            .collect::<Vec<_>>()
    };
    let before = features(&harness);
    assert!(
        (harness
            .state()
            .atlas()
            .layer(layer)
            .expect("layer")
            .features)
            .is_columns(),
        "a table of points is kept as columns"
    );
    harness.state_mut().toggle_editing(layer);
    let first = FeatureRef { layer, index: 0 };
    harness.state_mut().select(Some(first), false);
    harness.run();
    let from = harness
        .state()
        .screen_position(geo::coord! { x: 106.32, y: 29.57 })
        .expect("on screen");
    drag(&mut harness, from, from + egui::vec2(40.0, 0.0));
    let after = features(&harness);
    let Shape::Point(moved) = after[0].shape else {
        panic!("a point")
    };
    assert!(moved.x() > 106.32 + 1e-4, "moved east: {moved:?}");
    assert!((moved.y() - 29.57).abs() < 1e-6, "{moved:?}");
    assert_eq!(after[1..], before[1..], "the other rows as read");
    assert_eq!(after[0].name, before[0].name);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(features(&harness), before, "undone");
}
