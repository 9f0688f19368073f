//! The window's layout as a newcomer meets it: the menu bar, the docked panes that keep the
//! width the user gives them, and a first start that fits a small screen.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common;
use chengyu_atlas::ui::AtlasApp;

/// The app on the built-in data in a window of `size`, remembering nothing.
fn window_of(size: egui::Vec2) -> Harness<'static, AtlasApp> {
    Harness::builder()
        .with_size(size)
        .with_step_dt(1.0 / 60.0)
        .build_eframe(|cc| {
            AtlasApp::new(
                &cc.egui_ctx,
                common::loaded().clone(),
                "built-in data".into(),
                None,
            )
        })
}

fn map_width(harness: &Harness<'_, AtlasApp>) -> f32 {
    harness.state().view().expect("the map has a view").size[0]
}

/// Types `text` into the text field that lies in the side panel, under its tabs.
fn type_in_side_field(harness: &mut Harness<'_, AtlasApp>, side_right: f32, text: &str) {
    let field = harness
        .query_all_by_role(Role::TextInput)
        .find(|field| field.rect().right() <= side_right && field.rect().top() > 50.0)
        .expect("a text field in the side panel");
    field.focus();
    field.type_text(text);
    harness.run();
}

/// Every action that shows a full-width field or a message leaves the side panel as wide as
/// it was: before, each widened it (317 → 475 → 690 → … → the whole window).
#[test]
fn the_side_panel_keeps_its_width_whatever_it_shows() {
    let mut harness = window_of(egui::vec2(1280.0, 720.0));
    harness.run();
    let width = map_width(&harness);
    let side_right = 1280.0 - width;
    assert!(
        (240.0..=320.0).contains(&side_right),
        "the side starts at {side_right} points"
    );
    let long = format!(
        "/home/staff/{}/enterprises.csv",
        "very-long-folder-name/".repeat(20)
    );
    let same = |harness: &Harness<'_, AtlasApp>, after: &str| {
        let now = map_width(harness);
        assert!(
            (now - width).abs() < 0.5,
            "after {after} the map went from {width} to {now} points wide"
        );
    };

    harness.get_by_label("路径…").click();
    harness.run();
    type_in_side_field(&mut harness, side_right, &long);
    same(&harness, "a layer's path");

    common::pane(&mut harness, "底图");
    harness.get_by_label("路径…").click();
    harness.run();
    type_in_side_field(&mut harness, side_right, &long);
    same(&harness, "a basemap's path");

    // No file dialog here: Save as… opens the path window, over the map, not in the panel.
    common::choose(&mut harness, &["文件", "工作区另存为…"]);
    harness.get_by_label("保存工作区");
    same(&harness, "Save workspace as…");

    common::pane(&mut harness, "导览");
    harness.get_by_label("编辑导览…").click();
    harness.run();
    let dir = common::fresh_dir("layout-tours");
    harness.state_mut().tours().dir = Some(dir);
    harness.get_by_label("保存导览").click();
    harness.run();
    harness.get_by_label_contains("已保存");
    same(&harness, "a tour saved");

    common::pane(&mut harness, "书签");
    type_in_side_field(&mut harness, side_right, &long);
    same(&harness, "a bookmark's name");
}

/// Dragging the panel's edge across the window stops at the limit: the map keeps most of it.
#[test]
fn a_dragged_side_panel_stops_at_its_limit() {
    let mut harness = window_of(egui::vec2(1280.0, 720.0));
    harness.run();
    let edge = egui::pos2(1280.0 - map_width(&harness) - 1.0, 400.0);
    harness.hover_at(edge);
    harness.run_steps(2);
    harness.event(egui::Event::PointerButton {
        pos: edge,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(2);
    for x in [600.0, 900.0, 1200.0] {
        harness.hover_at(egui::pos2(x, 400.0));
        harness.run_steps(2);
    }
    harness.event(egui::Event::PointerButton {
        pos: egui::pos2(1200.0, 400.0),
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(3);
    let side = 1280.0 - map_width(&harness);
    assert!(side > 400.0, "the drag widened the panel: {side}");
    assert!(side <= 1280.0 * 0.4 + 1.0, "but not past its limit: {side}");
}

/// The viewport commands the app sent in its last frame.
fn commands(harness: &Harness<'_, AtlasApp>) -> Vec<egui::ViewportCommand> {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map(|output| output.commands.clone())
        .unwrap_or_default()
}

/// On a 1280×720 screen the first start's 1400×900 window cannot fit with its title bar
/// and the task bar: the window is maximised, so that the window manager fits all of it —
/// the status bar too — into the work area. On a 1920×1080 screen it opens as it is.
#[test]
fn a_first_start_on_a_small_screen_fits_the_work_area() {
    for (monitor, maximised) in [((1280.0, 720.0), true), ((1920.0, 1080.0), false)] {
        let mut harness = window_of(egui::vec2(monitor.0, monitor.1 - 40.0));
        harness
            .input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .monitor_size = Some(egui::vec2(monitor.0, monitor.1));
        harness.step();
        let asked = commands(&harness).contains(&egui::ViewportCommand::Maximized(true));
        assert_eq!(asked, maximised, "on a {monitor:?} screen");
        harness.step();
        assert!(
            !commands(&harness).contains(&egui::ViewportCommand::Maximized(true)),
            "asked once, so that the user may restore it"
        );
    }
}

/// The menu bar holds what the old side panel did: the language, the fits, the panes.
#[test]
fn the_menu_bar_switches_language_and_closes_and_opens_panes() {
    let mut harness = window_of(egui::vec2(1280.0, 800.0));
    harness.run();
    common::choose(&mut harness, &["视图", "面板", "书签面板"]);
    assert!(
        harness.query_by_label("书签").is_none(),
        "the pane is closed"
    );
    common::choose(&mut harness, &["视图", "面板", "书签面板"]);
    assert!(harness.query_by_label("书签").is_some(), "and open again");
    common::choose(&mut harness, &["视图", "语言 Language", "English"]);
    harness.get_by_label("Bookmarks");
    harness.get_by_label("Layers");
    // The search box is in view whichever pane is in front.
    common::pane(&mut harness, "Tours");
    assert!(harness.query_by_role(Role::TextInput).is_some());
}

/// The datum chosen for one file is that file's: the next file added starts at "as the file
/// says" again (a GCJ-02 table chosen once made every later WGS-84 file land 500 m off).
#[test]
fn the_datum_chosen_for_a_file_does_not_stay_for_the_next() {
    let mut harness = window_of(egui::vec2(1280.0, 800.0));
    harness.run();
    let file = common::test_data("user/platforms-ogr.geojsonl");
    let side_right = 1280.0 - map_width(&harness);
    for (choose, expected) in [(Some("GCJ-02"), "GCJ-02"), (None, "WGS-84")] {
        if let Some(datum) = choose {
            harness.get_by_label("坐标系").click();
            harness.run();
            harness.get_by_label(datum).click();
            harness.run();
        }
        if harness.query_by_label("添加").is_none() {
            harness.get_by_label("路径…").click();
            harness.run();
        }
        type_in_side_field(&mut harness, side_right, &file.display().to_string());
        harness.get_by_label("添加").click();
        // Read in the background (a progress bar repaints meanwhile).
        harness.run_steps(2);
        common::wait_for_layers(&mut harness);
        let atlas = harness.state().atlas();
        let (_, newest) = atlas.user_layers().last().expect("a layer");
        assert_eq!(newest.datum.name(), expected);
    }
}

/// File ▸ Add layer… on a desktop without a file dialog (as here: no session bus) brings the
/// layers' pane to the front with its path field and says why, whichever pane was in front.
#[test]
fn add_layer_without_a_dialog_shows_the_path_field_where_it_can_be_seen() {
    let mut harness = window_of(egui::vec2(1280.0, 800.0));
    harness.run();
    common::pane(&mut harness, "导览");
    common::choose(&mut harness, &["文件", "添加图层…"]);
    harness.get_by_label_contains("此桌面没有文件对话框");
    let side_right = 1280.0 - map_width(&harness);
    type_in_side_field(&mut harness, side_right, "/nowhere/plots.kml");
    harness.get_by_label("添加").click();
    // The file is read on another thread: its refusal is said once the reading ends.
    common::wait_for_layers(&mut harness);
    harness.get_by_label_contains("plots.kml");
}
