//! Working the map as GIS users expect, in egui_kittest on the real data: the wheel, keys,
//! double-click, the right-click menu, measuring, and Back/Forward.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::{Geodesic, Length, LineString};

use crate::common;
use chengyu_atlas::coordinates::datum::Datum;
use chengyu_atlas::coordinates::{AngleFormat, CoordStyle};
use chengyu_atlas::ui::AtlasApp;

fn press(harness: &Harness<'_, AtlasApp>, pos: egui::Pos2, button: egui::PointerButton) {
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
}

fn wheel(harness: &Harness<'_, AtlasApp>, pos: egui::Pos2, notches: f32) {
    harness.hover_at(pos);
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, notches),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
}

/// Runs frames until the map has settled (an animated zoom takes a few dozen).
fn settle(harness: &mut Harness<'_, AtlasApp>) {
    harness.run_steps(60);
}

fn view(harness: &Harness<'_, AtlasApp>) -> chengyu_atlas::View {
    harness.state().view().expect("the map has a view")
}

/// A place in the core, on screen once the core is fitted, and where it is.
fn core_place(harness: &mut Harness<'_, AtlasApp>) -> (geo::Coord, egui::Pos2) {
    common::choose(harness, &["视图", "核心区"]);
    settle(harness);
    let at = geo::coord! { x: 106.33, y: 29.58 };
    let pos = harness.state().screen_position(at).expect("on screen");
    (at, pos)
}

#[test]
fn a_wheel_notch_zooms_half_a_level_smoothly_and_keeps_the_place_under_the_pointer() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let (at, pos) = core_place(&mut harness);
    let before = view(&harness).zoom;
    wheel(&harness, pos, 1.0);
    harness.step();
    harness.step();
    let midway = view(&harness).zoom;
    assert!(
        midway > before + 0.01 && midway < before + 0.49,
        "on its way after two frames: {before} → {midway}"
    );
    settle(&mut harness);
    let after = view(&harness).zoom;
    assert!((after - before - 0.5).abs() < 0.01, "{before} → {after}");
    let still = harness.state().screen_position(at).expect("on screen");
    assert!(still.distance(pos) < 1.0, "{pos:?} moved to {still:?}");
    // Six notches out come back to well beyond where it started, never a flat screen.
    for _ in 0..6 {
        wheel(&harness, pos, -1.0);
        harness.step();
    }
    settle(&mut harness);
    assert!((view(&harness).zoom - (before - 2.5)).abs() < 0.05);
}

#[test]
fn arrows_pan_plus_and_minus_zoom_and_home_fits_the_circle() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let circle = view(&harness);
    core_place(&mut harness);
    let core = view(&harness);
    harness.key_press(egui::Key::ArrowRight);
    settle(&mut harness);
    let east = view(&harness);
    assert!(east.center[0] > core.center[0], "→ shows what is east");
    assert_eq!(east.zoom, core.zoom);
    harness.key_press(egui::Key::ArrowUp);
    settle(&mut harness);
    assert!(
        view(&harness).center[1] > east.center[1],
        "↑ shows what is north"
    );
    harness.key_press(egui::Key::Plus);
    settle(&mut harness);
    assert!((view(&harness).zoom - core.zoom - 1.0).abs() < 0.01);
    harness.key_press(egui::Key::Minus);
    harness.key_press(egui::Key::Minus);
    settle(&mut harness);
    assert!((view(&harness).zoom - core.zoom + 1.0).abs() < 0.01);
    harness.key_press(egui::Key::Home);
    settle(&mut harness);
    let home = view(&harness);
    assert!(
        (home.zoom - circle.zoom).abs() < 0.01,
        "Home fits the circle"
    );
    assert!((home.center[0] - circle.center[0]).abs() < 1e-6);
}

#[test]
fn a_double_click_zooms_in_and_selects_nothing() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let (_, pos) = core_place(&mut harness);
    let before = view(&harness).zoom;
    press(&harness, pos, egui::PointerButton::Primary);
    harness.step();
    let (core, _) = harness.state().atlas().find("core").expect("core");
    assert_eq!(
        harness.state().selected(),
        Some(core),
        "the first click selects"
    );
    press(&harness, pos, egui::PointerButton::Primary);
    settle(&mut harness);
    assert_eq!(harness.state().selected(), None);
    assert!((view(&harness).zoom - before - 1.0).abs() < 0.01);
    // One click still selects, once the double-click's time is past (the harness's clock
    // moves a sixtieth of a second a frame).
    for _ in 0..31 {
        harness.step();
    }
    press(&harness, pos, egui::PointerButton::Primary);
    settle(&mut harness);
    assert!(harness.state().selected().is_some());
}

#[test]
fn the_right_click_menu_lists_what_is_here_and_remembers_how_coordinates_are_copied() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let (at, pos) = core_place(&mut harness);
    press(&harness, pos, egui::PointerButton::Secondary);
    settle(&mut harness);
    let wgs84 = CoordStyle::default().format(at);
    // Copy, in the remembered style (WGS-84, decimal degrees at first).
    harness.get_by_label_contains(&format!("复制坐标 {}", &wgs84[..6]));
    harness.get_by_label("从此处测距");
    harness.get_by_label("以此为中心");
    harness.get_by_label("缩放至此要素");
    harness.get_by_label_contains("此处有什么").click();
    settle(&mut harness);
    let (core, _) = harness.state().atlas().find("core").expect("core");
    let hits = harness.state().hit_list().expect("the list is open");
    assert!(hits.contains(&core), "{hits:?}");
    // Copy as GCJ-02 in degrees, minutes and seconds: remembered.
    press(&harness, pos, egui::PointerButton::Secondary);
    settle(&mut harness);
    harness.get_by_label("复制坐标为…").hover();
    settle(&mut harness);
    let gcj02 = CoordStyle {
        datum: Datum::Gcj02,
        angles: AngleFormat::Dms,
    };
    harness
        .query_all_by(|node| {
            node.label()
                .is_some_and(|l| l.ends_with("GCJ-02") && l.contains('″'))
        })
        .next()
        .expect("a GCJ-02 DMS entry")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().coord_style(), gcj02);
}

#[test]
fn measuring_a_polyline_gives_its_geodesic_length_and_backspace_and_esc_work() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    core_place(&mut harness);
    harness.get_by_label("测距").click();
    settle(&mut harness);
    let shown = view(&harness);
    let rect_min = harness
        .state()
        .screen_position(shown.center())
        .expect("centre")
        - egui::vec2(shown.size[0] / 2.0, shown.size[1] / 2.0);
    let spots = [
        egui::pos2(500.0, 300.0),
        egui::pos2(700.0, 320.0),
        egui::pos2(760.0, 560.0),
    ];
    for spot in spots {
        press(&harness, spot, egui::PointerButton::Primary);
        settle(&mut harness);
        // Not a double-click: clicks far enough apart in time.
        for _ in 0..30 {
            harness.step();
        }
    }
    let measured = harness.state().measurement().expect("measuring");
    assert_eq!(measured.points.len(), 3);
    let expected: Vec<geo::Coord> = spots
        .iter()
        .map(|p| shown.unproject([p.x - rect_min.x, p.y - rect_min.y]))
        .collect();
    let geodesic = Geodesic.length(&LineString::new(expected));
    assert!(
        (measured.length_m() - geodesic).abs() < 1.0,
        "{} m measured, {geodesic} m by geo's geodesic",
        measured.length_m()
    );
    assert_eq!(
        harness.state().selected(),
        None,
        "measuring clicks select nothing"
    );
    harness.get_by_label_contains("距离");
    harness.key_press(egui::Key::Backspace);
    settle(&mut harness);
    assert_eq!(
        harness.state().measurement().map(|m| m.points.len()),
        Some(2)
    );
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert!(
        harness.state().measurement().is_none(),
        "Esc ends measuring"
    );
}

#[test]
fn back_and_forward_step_through_the_views_jumped_to() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let circle = view(&harness);
    core_place(&mut harness);
    let core = view(&harness);
    harness.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    settle(&mut harness);
    assert!(
        (view(&harness).zoom - circle.zoom).abs() < 0.01,
        "back to the circle"
    );
    harness.get_by_label("→").click();
    settle(&mut harness);
    assert!(
        (view(&harness).zoom - core.zoom).abs() < 0.01,
        "forward to the core"
    );
    harness.get_by_label("←").click();
    settle(&mut harness);
    assert!((view(&harness).zoom - circle.zoom).abs() < 0.01);
}

/// A selection is a step too: Back brings the one before it back, where the map is.
#[test]
fn back_and_forward_step_through_selections() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let (_, pos) = core_place(&mut harness);
    let here = view(&harness);
    let (core, _) = harness.state().atlas().find("core").expect("core");
    press(&harness, pos, egui::PointerButton::Primary);
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(core));
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    assert_eq!(harness.state().selected(), None);

    harness.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    settle(&mut harness);
    assert_eq!(
        harness.state().selected(),
        Some(core),
        "back to the core selected"
    );
    let still = view(&harness);
    assert!(
        (still.zoom - here.zoom).abs() < 0.01 && (still.center[0] - here.center[0]).abs() < 1e-6
    );
    harness.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    settle(&mut harness);
    assert_eq!(harness.state().selected(), None, "back to before the click");
    assert!(
        (view(&harness).zoom - here.zoom).abs() < 0.01,
        "at the core still"
    );
    harness.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(core), "forward again");
}

#[test]
fn f1_opens_the_help_with_every_key_and_about_lists_the_licences() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    assert!(harness.query_by_label("帮助：按键与鼠标").is_none());
    harness.key_press(egui::Key::F1);
    settle(&mut harness);
    harness.get_by_label("帮助：按键与鼠标");
    harness.get_by_label("Alt+←  Alt+→");
    // Every command's key, from the menus' one table.
    for key in [
        "Ctrl+O",
        "Ctrl+S",
        "Ctrl+Shift+S",
        "Ctrl+L",
        "Ctrl+E",
        "Ctrl+Shift+M",
        "F5",
    ] {
        harness.get_by_label(key);
    }
    harness.get_by_label("工作区另存为");
    harness.get_by_label("关于…").click();
    settle(&mut harness);
    harness.get_by_label("关于成渝科创地图");
    harness.get_by_label_contains("SIL Open Font License 1.1");
    harness.get_by_label_contains("walkers 0.65");
}

#[test]
fn a_click_on_a_cluster_lists_its_platforms_to_choose_from() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let (at, count) = harness
        .state()
        .last_scene()
        .expect("drawn")
        .items
        .iter()
        .find_map(|item| match item {
            chengyu_atlas::render::Item::Marker { at, count, .. } if *count > 2 => {
                Some((*at, *count))
            }
            _ => None,
        })
        .expect("the circle view has a cluster of platforms");
    let view = view(&harness);
    let origin = harness
        .state()
        .screen_position(view.center())
        .expect("centre")
        - egui::vec2(view.size[0] / 2.0, view.size[1] / 2.0);
    press(
        &harness,
        origin + egui::vec2(at[0], at[1]),
        egui::PointerButton::Primary,
    );
    settle(&mut harness);
    assert_eq!(harness.state().selected(), None, "no one platform opened");
    let listed = harness
        .state()
        .hit_list()
        .expect("the cluster's list")
        .to_vec();
    assert_eq!(
        listed.len(),
        count as usize,
        "every platform of the cluster"
    );
    // Choosing one from the list selects it.
    let name = harness
        .state()
        .atlas()
        .feature(listed[0])
        .expect("feature")
        .name
        .zh
        .clone();
    harness.get_by_label_contains(&format!("{name} ·")).click();
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(listed[0]));
}

#[test]
fn a_bookmark_keeps_a_view_and_goes_back_to_it() {
    use egui::accesskit::Role;
    let dir = common::fresh_dir("bookmarks");
    let state = dir.join("state.json");
    let mut harness = common::window(common::loaded().clone(), Some(state.clone()), 1.0 / 60.0);
    settle(&mut harness);
    core_place(&mut harness);
    let core = view(&harness);
    harness.get_by_label("书签").click();
    settle(&mut harness);
    let below = harness.get_by_label("书签").rect().bottom();
    let field = harness
        .query_all_by_role(Role::TextInput)
        .find(|field| field.rect().top() > below)
        .expect("the bookmark's name field");
    field.focus();
    field.type_text("核心区一带");
    settle(&mut harness);
    harness.get_by_label("添加当前视图").click();
    settle(&mut harness);
    let bookmarks = harness.state().bookmarks();
    assert_eq!(bookmarks.len(), 1);
    assert_eq!(bookmarks[0].name, "核心区一带");
    // Elsewhere, the bookmark brings the view back.
    harness.key_press(egui::Key::Home);
    settle(&mut harness);
    assert!(view(&harness).zoom < core.zoom - 2.0);
    harness.get_by_label("核心区一带").click();
    settle(&mut harness);
    let back = view(&harness);
    assert!((back.zoom - core.zoom).abs() < 1e-6 && (back.center[0] - core.center[0]).abs() < 1e-6);
    // Kept with the state.
    harness.state_mut().save_now();
    let saved = std::fs::read_to_string(&state).expect("saved");
    assert!(saved.contains("核心区一带"), "{saved}");
}

#[test]
fn the_side_panel_hides_to_give_the_map_the_window_and_comes_back() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let narrow = view(&harness).size[0];
    assert!(harness.query_by_label("书签").is_some());
    harness.get_by_label("≡").click();
    settle(&mut harness);
    assert!(
        harness.query_by_label("书签").is_none(),
        "the panel is hidden"
    );
    let wide = view(&harness).size[0];
    assert!(wide > narrow + 200.0, "{narrow} → {wide}");
    harness.get_by_label("≡").click();
    settle(&mut harness);
    assert!(harness.query_by_label("书签").is_some(), "and back");
}

/// Over the map's own buttons the pointer is on a button: no hover card for what lies under
/// the toolbar (it showed beneath the buttons); over the map beside them, the card shows.
#[test]
fn no_hover_card_under_the_map_buttons() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    // The circle fills the map: something lies under every button.
    let button = harness.get_by_label("测距").rect().center();
    harness.hover_at(button);
    settle(&mut harness);
    assert!(harness.query_by_label("单击查看详情").is_none());
    let card_ready = harness.state().view().map(|v| v.size).expect("a view");
    let centre = egui::pos2(1280.0 - card_ready[0] / 2.0, 400.0);
    harness.hover_at(centre);
    settle(&mut harness);
    harness.get_by_label("单击查看详情");
}

/// A copy from the right-click menu puts the position on the clipboard and draws the window
/// again at once, so that the menu goes (it stayed drawn until the mouse moved).
#[test]
fn copying_from_the_right_click_menu_closes_it_at_once() {
    let mut harness = common::built_in_window();
    settle(&mut harness);
    let (at, pos) = core_place(&mut harness);
    press(&harness, pos, egui::PointerButton::Secondary);
    settle(&mut harness);
    let wgs84 = CoordStyle::default().format(at);
    harness
        .get_by_label_contains(&format!("复制坐标 {}", &wgs84[..6]))
        .click();
    harness.step();
    let output = harness.output();
    let copied = output.platform_output.commands.iter().any(|command| {
        matches!(command, egui::OutputCommand::CopyText(text) if text.contains(&wgs84[..6]))
    });
    assert!(copied, "{:?}", output.platform_output.commands);
    // Frames run for as long as the window asks for them, no more (no event comes): the
    // last one drawn is what stays on the screen.
    harness.run();
    assert!(
        harness.query_by_label("以此为中心").is_none(),
        "the menu is gone without the mouse moving"
    );
}
