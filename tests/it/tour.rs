//! Tours as a presenter uses them: the shipped tours are sound, the clicker keys move between
//! stops, the fly-to lands exactly on the stop, and the handout has a page per stop.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use chengyu_atlas::export::handout;
use chengyu_atlas::model::Lang;
use chengyu_atlas::render::{SceneBuilder, View};
use chengyu_atlas::tour::{self, StopView};

use crate::common::{self, atlas, fresh_dir};
use chengyu_atlas::ui::AtlasApp;
use chengyu_atlas::ui::screens::{Monitor, Screens};

#[test]
fn the_shipped_tours_parse_and_name_only_what_the_data_has() {
    let atlas = atlas();
    let (tours, problems) = tour::load_all(None);
    assert!(problems.is_empty(), "{problems:?}");
    let ids: Vec<&str> = tours.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["one-core-five-districts", "two-poles"]);
    for tour in &tours {
        assert_eq!(
            tour::check(tour, atlas),
            Vec::<String>::new(),
            "{}",
            tour.id
        );
        for stop in &tour.stops {
            assert!(!stop.caption.zh.is_empty() && !stop.caption.en.is_empty());
            assert!(
                !stop.sources.is_empty(),
                "{}: every caption names its source",
                stop.title.en
            );
        }
    }
    // The layout tour visits the circle, the science city, the core and each district.
    let views: Vec<String> = tours[0]
        .stops
        .iter()
        .map(|s| match &s.view {
            StopView::Feature(id) => id.clone(),
            StopView::Bounds(_) => "bounds".into(),
        })
        .collect();
    for zone in [
        "corridor",
        "science-city",
        "core",
        "shapingba",
        "jiulongpo",
        "beibei",
        "jiangjin",
        "bishan",
    ] {
        assert!(views.iter().any(|v| v == zone), "no stop at {zone}");
    }
    assert!(
        tours[0]
            .stops
            .last()
            .is_some_and(|s| s.links.as_deref() == Some("core"))
    );
}

#[test]
fn a_broken_tour_file_is_named_and_the_others_still_load() {
    let dir = fresh_dir("chengyu-tours");
    std::fs::write(
        dir.join("broken.toml"),
        "title = { zh = \"甲\", en = \"A\" }\n[[stop]]\ntitle = \"no\"\n",
    )
    .expect("write");
    let (tours, problems) = tour::load_all(Some(&dir));
    assert_eq!(tours.len(), 2, "the shipped tours still load");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].file.ends_with("broken.toml"));
    assert_eq!((problems[0].line, problems[0].column), (3, 9));

    // A tour saved from the window reads back the same, and replaces the shipped one.
    let mut tour = tours[1].clone();
    tour.stops.truncate(2);
    tour::save(&tour, &dir.join("two-poles.toml")).expect("save");
    let (tours, _) = tour::load_all(Some(&dir));
    let saved = tours
        .iter()
        .find(|t| t.id == "two-poles")
        .expect("two-poles");
    assert_eq!(saved, &tour);
}

#[test]
fn the_handout_has_one_page_per_stop() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let (tours, _) = tour::load_all(None);
    for tour in &tours {
        let pdf = handout::pdf(
            atlas,
            &mut builder,
            tour,
            &handout::Handout::plain(Lang::En),
        )
        .expect("handout");
        let text = String::from_utf8_lossy(&pdf);
        let pages = text
            .match_indices("/Type /Page")
            .filter(|(at, _)| !text[at + 11..].starts_with('s'))
            .count();
        assert_eq!(pages, tour.stops.len(), "{}", tour.id);
        assert!(text.contains(&format!("/Count {}", tour.stops.len())));
        assert!(
            text.contains("/FontFile2"),
            "the font travels with the handout"
        );
    }
}

/// Speaker notes are printed under a handout page only when asked (the presenter's copy),
/// labelled, and never on the audience's.
#[test]
fn the_presenters_handout_prints_each_stops_notes_under_its_page() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let (tours, _) = tour::load_all(None);
    let mut tour = tours[0].clone();
    tour.stops[0].notes_zh = "这里停一分钟，讲清一城多园".into();
    let page = |notes: bool, builder: &mut SceneBuilder| {
        let handout = handout::Handout {
            notes,
            ..handout::Handout::plain(Lang::Zh)
        };
        handout::compose_page(atlas, builder, &tour, 0, &handout)
            .expect("page")
            .0
    };
    let presenters = page(true, &mut builder);
    assert!(
        presenters.contains("讲稿：这里停一分钟，讲清一城多园"),
        "the notes under the page"
    );
    assert!(
        !page(false, &mut builder).contains("这里停一分钟"),
        "the audience's copy has none"
    );
    // A stop without notes prints no empty label.
    let second = handout::compose_page(
        atlas,
        &mut builder,
        &tour,
        1,
        &handout::Handout {
            notes: true,
            ..handout::Handout::plain(Lang::Zh)
        },
    )
    .expect("page")
    .0;
    assert!(!second.contains("讲稿："));
}

/// The app at sixty frames a second, so that a one-second flight takes sixty steps.
fn start() -> Harness<'static, AtlasApp> {
    common::built_in_window()
}

fn start_with_step(seconds: f32) -> Harness<'static, AtlasApp> {
    common::window(common::loaded().clone(), None, seconds)
}

/// The app presenting the first tour, settled on its first stop.
fn presenting() -> Harness<'static, AtlasApp> {
    let mut harness = start_with_step(STEP);
    harness.run();
    harness.key_press(egui::Key::F5);
    settle_on(&mut harness, 0);
    harness
}

/// Ten frames a second in presenter tests: a one-second flight is ten steps. (Flights frame by
/// frame are tested without a window, in `presenter.rs`.)
const STEP: f32 = 0.1;

/// Runs past a flight (one second) and checks the map landed exactly on stop `index`.
fn settle_on(harness: &mut Harness<'_, AtlasApp>, index: usize) {
    harness.run_steps(15);
    let app = harness.state();
    let presenter = app.presenter().expect("presenting");
    assert_eq!(presenter.index(), index);
    assert!(!presenter.flying(), "the flight ended");
    let shown = app.view().expect("view");
    let wanted: View = presenter
        .stop_view(app.atlas(), shown.size)
        .expect("stop view");
    assert_eq!(shown.center, wanted.center, "stop {}", index + 1);
    assert_eq!(shown.zoom, wanted.zoom, "stop {}", index + 1);
    let title = presenter.tour.stops[index].title.zh.clone();
    assert!(
        harness.query_by_label(&title).is_some(),
        "caption of stop {} shows `{title}`",
        index + 1
    );
}

#[test]
fn clicker_keys_move_through_the_tour_and_the_view_lands_on_each_stop() {
    let mut harness = presenting();

    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(3);
    assert!(
        harness.state().presenter().expect("presenting").flying(),
        "it flies"
    );
    settle_on(&mut harness, 1);
    harness.key_press(egui::Key::PageDown);
    settle_on(&mut harness, 2);
    harness.key_press(egui::Key::Space);
    settle_on(&mut harness, 3);
    harness.key_press(egui::Key::ArrowLeft);
    settle_on(&mut harness, 2);
    harness.key_press(egui::Key::PageUp);
    settle_on(&mut harness, 1);

    // A number and Enter jump; Home goes back to the first stop.
    harness.key_press(egui::Key::Num7);
    harness.key_press(egui::Key::Enter);
    settle_on(&mut harness, 6);
    harness.key_press(egui::Key::Home);
    settle_on(&mut harness, 0);

    // Pressing on during a flight takes it from where the map is, and still lands exactly.
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(3);
    harness.key_press(egui::Key::ArrowRight);
    settle_on(&mut harness, 2);

    // B blacks the screen (the caption goes), B again brings it back.
    harness.key_press(egui::Key::B);
    harness.run_steps(3);
    assert!(harness.state().presenter().expect("presenting").black());
    assert!(
        harness
            .query_by_label("核心区（重庆高新区直管园）")
            .is_none()
    );
    harness.key_press(egui::Key::B);
    harness.run_steps(3);
    assert!(!harness.state().presenter().expect("presenting").black());

    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().presenter().is_none(), "Esc leaves the tour");
    harness.get_by_label("书签");
}

#[test]
fn reduced_motion_cross_fades_to_the_same_view() {
    let mut harness = start_with_step(STEP);
    harness.run();
    harness.state_mut().tours().reduced_motion = true;
    harness.key_press(egui::Key::F5);
    settle_on(&mut harness, 0);
    let before = harness.state().view().expect("view");
    harness.key_press(egui::Key::ArrowRight);
    // A third of the fade in, the map has not moved (no fly-through); it jumps at the middle,
    // hidden by the cover, and lands on the next stop.
    harness.run_steps(2);
    let during = harness.state().view().expect("view");
    assert_eq!((during.center, during.zoom), (before.center, before.zoom));
    settle_on(&mut harness, 1);
}

#[test]
fn a_tour_made_in_the_window_is_saved_as_toml_and_reads_back() {
    let dir = fresh_dir("chengyu-made-tours");
    let mut harness = start();
    harness.run();
    harness.state_mut().tours().dir = Some(dir.clone());
    crate::common::pane(&mut harness, "导览");
    harness.get_by_label("编辑导览…").click();
    harness.run();
    harness.get_by_label("新建导览").click();
    harness.run();
    crate::common::choose(&mut harness, &["视图", "科学城"]);
    harness.get_by_label("添加当前视图为一站").click();
    harness.run();
    // The count reads well, and the second stop's caption is written in the panel.
    harness
        .get_by_label_contains("各站标题、说明与讲稿 (2 站)")
        .click();
    harness.run();
    let fields: Vec<_> = harness
        .query_all_by_role(egui::accesskit::Role::MultilineTextInput)
        .collect();
    assert_eq!(fields.len(), 4, "a caption and a notes field per stop");
    fields[2].focus();
    fields[2].type_text("科学城全景");
    harness.run();
    // The second stop's speaker notes.
    let fields: Vec<_> = harness
        .query_all_by_role(egui::accesskit::Role::MultilineTextInput)
        .collect();
    fields[3].focus();
    fields[3].type_text("先讲一核，再讲五区");
    harness.run();
    harness.get_by_label("保存导览").click();
    harness.run();

    let path = dir.join("my-tour.toml");
    let text = std::fs::read_to_string(&path).expect("saved");
    let saved = tour::parse(&text, "my-tour.toml").expect("the saved tour parses");
    assert_eq!(saved.stops.len(), 2);
    assert_eq!(
        saved.stops[1].caption.zh, "科学城全景",
        "the caption is saved"
    );
    assert_eq!(
        saved.stops[1].notes_zh, "先讲一核，再讲五区",
        "the notes are saved"
    );
    assert!(
        text.contains("notes_zh = \"先讲一核，再讲五区\"") && !text.contains("notes_en"),
        "only the notes written are in the file:\n{text}"
    );
    assert_eq!(
        saved.stops[0].notes(Lang::En),
        "",
        "a stop without notes has none"
    );
    assert_eq!(
        saved.stops[1].notes(Lang::En),
        "先讲一核，再讲五区",
        "read in either language"
    );
    let StopView::Bounds([west, south, east, north]) = saved.stops[1].view else {
        panic!("a view as a box")
    };
    let science_city = harness
        .state()
        .atlas()
        .bounds_of("science-city")
        .expect("science city");
    // The second stop shows the science city (the fit leaves a margin around it).
    assert!(west < science_city.min().x && east > science_city.max().x);
    assert!(south < science_city.min().y && north > science_city.max().y);
    assert!(east - west < 1.5, "not the whole circle: {west}..{east}");
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn the_tour_list_opens_with_a_broken_file_named_by_line_and_column() {
    let dir = fresh_dir("chengyu-broken-tours");
    std::fs::write(
        dir.join("mine.toml"),
        "title = { zh = \"甲\", en = \"A\" }\n[[stop]\n",
    )
    .expect("write");
    let mut harness = start();
    harness.run();
    *harness.state_mut().tours() = chengyu_atlas::ui::features::tours::TourShelf::load(Some(dir));
    harness.run();
    // The pane's tab says that something in it needs a look.
    common::pane(&mut harness, "导览 ⚠");
    assert!(
        harness
            .query_all_by_label_contains("mine.toml:2:")
            .next()
            .is_some(),
        "the broken file is named with its line"
    );
    // The shipped tours are still there to present.
    harness.key_press(egui::Key::F5);
    settle_on(&mut harness, 0);
}

#[test]
fn the_window_writes_the_handout_in_the_background_without_replacing_a_file() {
    let dir = fresh_dir("chengyu-handouts");
    std::fs::write(dir.join("one-core-five-districts-handout.pdf"), b"mine").expect("file");
    let mut harness = start();
    harness.run();
    harness.state_mut().tours().export_dir = dir.clone();
    crate::common::choose(&mut harness, &["演示", "导出讲义 PDF…"]);
    // Nine pages written on another thread.
    common::wait_until("the handout", || {
        harness.run_steps(2);
        harness.query_by_label_contains("已保存").is_some()
    });
    let written = std::fs::read(dir.join("one-core-five-districts-handout-2.pdf")).expect("pdf");
    let text = String::from_utf8_lossy(&written);
    assert!(text.contains("/Count 9"));
    assert_eq!(
        std::fs::read(dir.join("one-core-five-districts-handout.pdf")).expect("kept"),
        b"mine"
    );
}

#[test]
fn going_full_screen_refits_the_stop_to_the_new_size() {
    let mut harness = presenting();
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(3);
    // The window grows (full-screen, or a projector) in the middle of a flight, and again after.
    harness.set_size(egui::vec2(1600.0, 1000.0));
    settle_on(&mut harness, 1);
    harness.set_size(egui::vec2(1920.0, 1080.0));
    settle_on(&mut harness, 1);
    assert_eq!(harness.state().view().expect("view").size, [1920.0, 1080.0]);
}

#[test]
fn auto_play_moves_on_after_each_stop_and_pauses_on_a() {
    // Ten frames a second: a twelve-second stop is 120 steps.
    let mut harness = start_with_step(0.1);
    harness.run();
    harness.key_press(egui::Key::F5);
    harness.run_steps(20);
    harness.key_press(egui::Key::A);
    harness.run_steps(2);
    let presenter = harness.state().presenter().expect("presenting");
    assert!(presenter.autoplay());
    let first = presenter.tour.stops[0].duration.expect("a duration");
    // Not before the stop's time is up; then on to the next stop.
    harness.run_steps((first * 10.0) as usize - 20);
    assert_eq!(harness.state().presenter().expect("presenting").index(), 0);
    harness.run_steps(40);
    assert_eq!(harness.state().presenter().expect("presenting").index(), 1);
    // A pauses: the tour stays where it is.
    harness.key_press(egui::Key::A);
    harness.run_steps(150);
    let presenter = harness.state().presenter().expect("presenting");
    assert!(!presenter.autoplay());
    assert_eq!(presenter.index(), 1);
}

#[test]
fn a_tour_fixed_in_an_editor_is_picked_up_by_reload() {
    let dir = fresh_dir("chengyu-reload-tours");
    let file = dir.join("mine.toml");
    std::fs::write(&file, "title = { zh = \"我的\", en = \"Mine\" }\n[[stop]\n").expect("write");
    let mut harness = start();
    harness.run();
    *harness.state_mut().tours() = chengyu_atlas::ui::features::tours::TourShelf::load(Some(dir));
    harness.run();
    assert_eq!(harness.state_mut().tours().problems.len(), 1);
    std::fs::write(
        &file,
        "title = { zh = \"我的\", en = \"Mine\" }\n[[stop]]\ntitle = { zh = \"核心区\", en = \"Core\" }\ncaption = { zh = \"说明\", en = \"Caption\" }\nview = \"core\"\n",
    )
    .expect("fix");
    crate::common::pane(&mut harness, "导览 ⚠");
    harness.get_by_label("编辑导览…").click();
    harness.run();
    harness.get_by_label("重新载入").click();
    harness.run();
    let tours = harness.state_mut().tours();
    assert!(tours.problems.is_empty(), "{:?}", tours.problems);
    assert!(
        tours
            .tours
            .iter()
            .any(|t| t.id == "mine" && t.stops.len() == 1)
    );
}

#[test]
fn presenting_scales_the_map_up_and_one_esc_gives_back_the_view_from_before() {
    let mut harness = start_with_step(STEP);
    harness.run();
    crate::common::choose(&mut harness, &["视图", "核心区"]);
    let before = harness.state().view().expect("view");
    let scale_before = harness.ctx.zoom_factor();
    harness.key_press(egui::Key::F5);
    settle_on(&mut harness, 0);
    // 800 pixels high: labels as large for its height as 20 px on a 1080-line projector.
    let presenting = harness.ctx.zoom_factor();
    assert!(
        presenting > scale_before * 1.2,
        "{scale_before} → {presenting}"
    );
    // Only a one-line hint at the start, not the whole key list.
    assert!(harness.query_by_label_contains("H 显示按键").is_some());
    assert!(harness.query_by_label("黑屏").is_none());
    harness.key_press(egui::Key::H);
    harness.run_steps(3);
    harness.get_by_label("黑屏");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().presenter().is_none());
    assert_eq!(harness.ctx.zoom_factor(), scale_before);
    let after = harness.state().view().expect("view");
    assert!(
        (after.zoom - before.zoom).abs() < 1e-9,
        "{} vs {}",
        after.zoom,
        before.zoom
    );
    assert!((after.center[0] - before.center[0]).abs() < 1e-6);
}

/// On a 1920×1080 projector the sources' line is as large as the map's smallest labels (at
/// least 20 pixels: it was 13, unreadable from the back of a room), and the key list (H) is
/// on the screen whole, in both languages.
#[test]
fn on_a_projector_the_sources_are_legible_and_the_key_list_is_on_screen() {
    use egui_kittest::kittest::by;
    for lang in ["中文", "English"] {
        let mut harness = egui_kittest::Harness::builder()
            .with_size(egui::vec2(1920.0, 1080.0))
            .with_step_dt(STEP)
            .build_eframe(|cc| {
                AtlasApp::new(
                    &cc.egui_ctx,
                    common::loaded().clone(),
                    "built-in data".into(),
                    None,
                )
            });
        harness.run();
        if lang == "English" {
            common::choose(&mut harness, &["视图", "语言 Language", "English"]);
        }
        harness.key_press(egui::Key::F5);
        harness.run_steps(15);
        let pixels = harness.ctx.pixels_per_point();
        let sources = harness.get_by_label_contains(if lang == "English" {
            "Sources: "
        } else {
            "来源："
        });
        // A line of the bundled font is 1.45 times its text's size: 20-pixel text makes a
        // 29-pixel line (the old 14-pixel text, 20).
        let line = sources.rect().height() * pixels;
        assert!(line >= 26.0, "{lang}: the sources' line is {line} px high");
        harness.key_press(egui::Key::H);
        harness.run_steps(3);
        let screen = harness.ctx.content_rect();
        let key = if lang == "English" {
            "black screen"
        } else {
            "黑屏"
        };
        harness.get_by_label(key);
        let off_screen: Vec<String> = harness
            .query_all(by().predicate(|node| {
                let text = node.value().or_else(|| node.label()).unwrap_or_default();
                ["next stop", "下一站", "leave (H", "退出演示"]
                    .iter()
                    .any(|key| text.starts_with(key))
            }))
            .filter(|node| !screen.contains_rect(node.rect()))
            .map(|node| format!("{:?}", node.rect()))
            .collect();
        assert!(
            off_screen.is_empty(),
            "{lang}: {off_screen:?} off {screen:?}"
        );
    }
}

/// The presenter's pen: Ctrl+P takes it up (P alone is still the previous stop), a drag draws
/// ink on the stop, the next stop has none of it and going back shows it again; Ctrl+E erases
/// the stop's ink; Esc ends the tour and the ink with it.
#[test]
fn the_pen_marks_up_a_stop_and_its_ink_stays_with_the_stop() {
    let mut harness = presenting();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    harness.run_steps(2);
    assert!(harness.state().ink().pen, "the pen is up");
    assert_eq!(
        harness.state().presenter().map(|p| p.index()),
        Some(0),
        "not a step back"
    );
    let from = egui::pos2(600.0, 400.0);
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for n in 1..=5 {
        harness.hover_at(from + egui::vec2(20.0 * n as f32, 10.0 * n as f32));
        harness.step();
    }
    harness.drop_at(from + egui::vec2(100.0, 50.0));
    harness.run_steps(2);
    let strokes = |h: &Harness<'_, AtlasApp>, stop: usize| {
        h.state().ink().strokes.get(&stop).map_or(0, Vec::len)
    };
    assert_eq!(strokes(&harness, 0), 1, "one stroke on the first stop");
    harness.key_press(egui::Key::ArrowRight);
    settle_on(&mut harness, 1);
    assert_eq!(strokes(&harness, 1), 0, "the next stop has none");
    harness.key_press(egui::Key::ArrowLeft);
    settle_on(&mut harness, 0);
    assert_eq!(
        strokes(&harness, 0),
        1,
        "back at the stop, its ink is there"
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run_steps(2);
    assert_eq!(strokes(&harness, 0), 0, "erased");
    // One stroke more, then Esc: the window asks whether to keep the ink; kept, the stroke
    // is a line of the sketch layer, described by its stop, where it was drawn on the map.
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    let to = from + egui::vec2(120.0, 0.0);
    harness.hover_at(to);
    harness.step();
    harness.drop_at(to);
    harness.run_steps(2);
    let stroke = harness.state().ink().strokes[&0]
        .last()
        .expect("a stroke")
        .clone();
    // Drawn where the pointer went (through the camera's forward projection).
    let on_screen = |c: geo::Coord| harness.state().screen_position(c).expect("on screen");
    assert!(on_screen(stroke[0]).distance(from) < 1.0);
    assert!(on_screen(*stroke.last().expect("end")).distance(to) < 1.0);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().presenter().is_none());
    assert!(!harness.state().ink().pen && harness.state().ink().strokes.is_empty());
    harness.get_by_label("保留墨迹注释？");
    harness.get_by_label("保留").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("保留墨迹注释？").is_none());
    let first_stop = harness.state_mut().tours().chosen().expect("tour").stops[0]
        .title
        .zh
        .clone();
    let sketch = harness.state().sketch().expect("kept in a sketch");
    let layer = harness.state().atlas().layer(sketch).expect("layer");
    assert_eq!(layer.features.len(), 1, "one stroke");
    let ink = &layer.features.get(0).expect("a feature");
    assert_eq!(ink.name.zh, "墨迹 1");
    let info = layer.user.as_deref().expect("a user layer");
    assert_eq!(info.value(ink, "description"), Some(first_stop.as_str()));
    let chengyu_atlas::model::Shape::Lines(lines) = &ink.shape else {
        panic!("a line")
    };
    assert_eq!(lines.0[0].0, stroke, "the stroke as it was drawn");
}

/// A polygon drawn and selected becomes a stop that shows the sketch and spotlights it (ringed
/// in the emphasis colour when presented); the sketch saved as a file, the stop names the
/// file's layer, and the file keeps the feature's id, so the tour finds it when opened again.
#[test]
fn a_stop_shows_the_sketch_and_spotlights_a_drawn_feature() {
    let dir = fresh_dir("chengyu-drawn-stop");
    let mut harness = start_with_step(STEP);
    harness.run();
    harness.state_mut().tours().dir = Some(dir.clone());
    harness
        .state_mut()
        .go_to(geo::coord! { x: 106.33, y: 29.58 }, 12.0);
    harness.run();
    common::draw_triangle(&mut harness);
    let layer = harness.state().sketch().expect("a sketch");
    let drawn = chengyu_atlas::model::FeatureRef { layer, index: 0 };
    harness.state_mut().select(Some(drawn), false);
    harness.run();
    common::pane(&mut harness, "导览");
    harness.get_by_label("编辑导览…").click();
    harness.run();
    harness.get_by_label("新建导览").click();
    harness.run();
    let stop = harness.state_mut().tours().chosen().expect("tour").stops[0].clone();
    assert_eq!(stop.highlight, ["草图/多边形 1"]);
    assert!(
        stop.layers.iter().flatten().any(|key| key == "user:草图"),
        "{:?}",
        stop.layers
    );
    assert_eq!(stop.title.zh, "多边形 1", "titled by the feature");

    let file = dir.join("plan.geojson");
    harness.state_mut().save_sketch_to(&file).expect("saved");
    harness.run();
    harness.get_by_label_contains("“草图”已改为“plan”");
    let stop = harness.state_mut().tours().chosen().expect("tour").stops[0].clone();
    assert_eq!(stop.highlight, ["plan/多边形 1"]);
    assert!(stop.layers.iter().flatten().any(|key| key == "user:plan"));
    let atlas = harness.state().atlas();
    assert_eq!(stop.highlight(atlas, Lang::Zh).spotlight, [drawn]);
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.contains("\"id\":\"多边形 1\""), "{text}");

    harness.key_press(egui::Key::F5);
    harness.run_steps(15);
    let presenter = harness.state().presenter().expect("presenting");
    assert_eq!(
        presenter
            .stop()
            .highlight(harness.state().atlas(), Lang::Zh)
            .spotlight,
        [drawn]
    );
}

/// The window, its chosen tour's first stops given these speaker notes.
fn with_notes(notes: &[&str]) -> Harness<'static, AtlasApp> {
    let mut harness = start_with_step(STEP);
    harness.run();
    let tours = harness.state_mut().tours();
    let chosen = tours.chosen;
    for (stop, text) in tours.tours[chosen].stops.iter_mut().zip(notes) {
        stop.notes_zh = (*text).to_string();
    }
    harness
}

/// Alt+F5 rehearses: the tour and the presenter view beside it, with the stop's speaker notes
/// in large type (never on the audience's map), the next stop, the timer and the stop list. The
/// clicker's keys move both; a stop chosen in the list is flown to; Esc ends both.
#[test]
fn alt_f5_opens_the_presenter_view_with_the_notes_and_the_next_stop() {
    let mut harness = with_notes(&["先讲一城多园", "再讲成都高新区的试点"]);
    let tour = harness.state_mut().tours().chosen().expect("tour").clone();
    harness.key_press_modifiers(egui::Modifiers::ALT, egui::Key::F5);
    harness.run_steps(15);
    assert!(
        harness.state().presenter_view_open(),
        "the presenter view is open"
    );
    assert_eq!(harness.state().presenter().map(|p| p.index()), Some(0));
    harness.get_by_label("先讲一城多园");
    harness.get_by_label_contains(&format!("下一站：{}", tour.stops[1].title.zh));
    harness.get_by_label_contains("已用 00:");
    // The stop's map and the next one's, made on another thread, 16:9.
    common::wait_until("the stops' pictures", || {
        harness.run();
        let pictures = harness.state().presenter_thumbnails();
        pictures.get(0).is_some() && pictures.get(1).is_some()
    });
    let next = harness
        .state()
        .presenter_thumbnails()
        .get(1)
        .expect("next")
        .size();
    assert_eq!(next, [768, 432]);
    // The clicker moves both: the notes follow the stop.
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(15);
    assert_eq!(harness.state().presenter().map(|p| p.index()), Some(1));
    harness.get_by_label("再讲成都高新区的试点");
    assert!(harness.query_by_label("先讲一城多园").is_none());
    // A stop chosen in the list.
    let last = tour.stops.len();
    harness
        .get_by_label(&format!("{last} {}", tour.stops[last - 1].title.zh))
        .click();
    harness.run_steps(15);
    assert_eq!(
        harness.state().presenter().map(|p| p.index()),
        Some(last - 1)
    );
    harness.get_by_label_contains("最后一站");
    // Esc ends the tour and closes the presenter view.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.state().presenter().is_none());
    assert!(!harness.state().presenter_view_open());
    assert!(harness.query_by_label("再讲成都高新区的试点").is_none());
}

/// F5 alone presents to the audience: no presenter view, no notes on screen.
#[test]
fn f5_alone_shows_no_notes() {
    let mut harness = with_notes(&["只给演示者看"]);
    harness.key_press(egui::Key::F5);
    harness.run_steps(15);
    assert!(harness.state().presenter().is_some());
    assert!(!harness.state().presenter_view_open());
    assert!(harness.query_by_label_contains("只给演示者看").is_none());
}

/// A second native window as eframe opens one for an immediate viewport, driven by hand: it
/// gets its own input (the keys sent to it) and its own output (what it drew), and records
/// the builder it was opened with (the monitor it goes full screen on).
#[derive(Default)]
struct SecondWindow {
    builder: Option<egui::ViewportBuilder>,
    keys: Vec<egui::Key>,
    texts: Vec<String>,
}

impl SecondWindow {
    /// Makes the harness's context open viewports as windows of their own, this one standing
    /// for them.
    fn open_apart(ctx: &egui::Context) -> std::rc::Rc<std::cell::RefCell<Self>> {
        ctx.set_embed_viewports(false);
        let window = std::rc::Rc::new(std::cell::RefCell::new(Self::default()));
        let shared = window.clone();
        egui::Context::set_immediate_viewport_renderer(move |ctx, viewport| {
            let egui::ImmediateViewport {
                ids,
                builder,
                mut viewport_ui_cb,
            } = viewport;
            let events = {
                let mut this = shared.borrow_mut();
                this.builder = Some(builder);
                let keys: Vec<_> = this.keys.drain(..).collect();
                keys.into_iter()
                    .flat_map(|key| [true, false].map(|pressed| key_event(key, pressed)))
                    .collect()
            };
            let info = egui::ViewportInfo {
                native_pixels_per_point: Some(1.0),
                focused: Some(true),
                ..Default::default()
            };
            let input = egui::RawInput {
                viewport_id: ids.this,
                viewports: std::iter::once((ids.this, info)).collect(),
                screen_rect: Some(egui::Rect::from_min_size(
                    egui::Pos2::ZERO,
                    egui::vec2(1280.0, 800.0),
                )),
                time: Some(ctx.input(|i| i.time)),
                events,
                ..Default::default()
            };
            let mut output = ctx.run_ui(input, |ui| viewport_ui_cb(ui));
            // Textures go to a GPU that is not there.
            output.textures_delta.clear();
            let mut texts = Vec::new();
            for clipped in &output.shapes {
                texts_of(&clipped.shape, &mut texts);
            }
            shared.borrow_mut().texts = texts;
        });
        window
    }

    fn shows(&self, text: &str) -> bool {
        self.texts.iter().any(|t| t.contains(text))
    }
}

fn key_event(key: egui::Key, pressed: bool) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    }
}

/// The texts a shape draws.
fn texts_of(shape: &egui::Shape, texts: &mut Vec<String>) {
    match shape {
        egui::Shape::Text(text) => texts.push(text.galley.text().to_string()),
        egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| texts_of(s, texts)),
        _ => {}
    }
}

/// A laptop (the window on it) and a projector, as the windowing system lists them.
fn laptop_and(projectors: &[&str]) -> Screens {
    let mut monitors = vec![Monitor {
        name: "eDP-1".into(),
        position: [0, 0],
        size: [1920, 1080],
    }];
    for (n, name) in projectors.iter().enumerate() {
        monitors.push(Monitor {
            name: (*name).into(),
            position: [1920 * (n as i32 + 1), 0],
            size: [1920, 1080],
        });
    }
    Screens::new(monitors, Some(0))
}

/// The commands the main window gave its native window in the last frame.
fn window_commands(harness: &Harness<'_, AtlasApp>) -> Vec<egui::ViewportCommand> {
    harness.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .clone()
}

/// F5 with a projector connected: the main window goes full screen on the projector with the
/// audience's view (the map and caption, never the notes), and the presenter view opens full
/// screen on the laptop with the notes, the next stop and the clock. Keys sent to either
/// window move both; Esc in the presenter's ends both and puts the window back.
#[test]
fn f5_on_two_screens_shows_the_audience_the_map_and_the_presenter_the_notes() {
    let mut harness = with_notes(&["先讲一城多园", "再讲成都高新区的试点", "最后讲合作"]);
    let tour = harness.state_mut().tours().chosen().expect("tour").clone();
    harness.state_mut().tours().screens = laptop_and(&["HDMI-1"]);
    let presenter_window = SecondWindow::open_apart(&harness.ctx);
    // One event a step: the command is in the frame F5 went down in.
    harness.key_down(egui::Key::F5);
    harness.step();
    let commands = window_commands(&harness);
    assert!(
        commands.contains(&egui::ViewportCommand::SetMonitor(1)),
        "the audience's view full screen on the projector: {commands:?}"
    );
    assert!(!commands.contains(&egui::ViewportCommand::Fullscreen(true)));
    harness.key_up(egui::Key::F5);
    harness.run_steps(15);
    let opened = presenter_window.borrow().builder.clone().expect("opened");
    assert_eq!(opened.monitor, Some(0), "the presenter view on the laptop");
    {
        let seen = presenter_window.borrow();
        assert!(seen.shows("先讲一城多园"), "{:?}", seen.texts);
        assert!(seen.shows(&format!("下一站：{}", tour.stops[1].title.zh)));
        assert!(seen.shows("已用 00:"));
    }
    // The audience's window: the stop's caption, no notes, no presenter view inside it.
    harness.get_by_label_contains(&tour.stops[0].title.zh);
    assert!(harness.query_by_label_contains("先讲一城多园").is_none());
    assert!(harness.query_by_label_contains("下一站：").is_none());
    // The clicker's key, sent to the presenter's window, moves both.
    presenter_window
        .borrow_mut()
        .keys
        .push(egui::Key::ArrowRight);
    harness.run_steps(15);
    assert_eq!(harness.state().presenter().map(|p| p.index()), Some(1));
    harness.get_by_label_contains(&tour.stops[1].title.zh);
    assert!(presenter_window.borrow().shows("再讲成都高新区的试点"));
    // Sent to the audience's window, likewise.
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(15);
    assert_eq!(harness.state().presenter().map(|p| p.index()), Some(2));
    assert!(presenter_window.borrow().shows("最后讲合作"));
    assert!(
        presenter_window
            .borrow()
            .shows(&format!("3 / {}", tour.stops.len()))
    );
    // Esc in the presenter's window ends both; the window leaves the projector.
    presenter_window.borrow_mut().keys.push(egui::Key::Escape);
    harness.step();
    assert!(harness.state().presenter().is_none());
    assert!(!harness.state().presenter_view_open());
    let commands = window_commands(&harness);
    assert!(
        commands.contains(&egui::ViewportCommand::Fullscreen(false)),
        "{commands:?}"
    );
}

/// With three monitors the audience's screen is chosen in the tours pane by its output's name
/// and size; F5 uses it, and the next start remembers it.
#[test]
fn the_audience_screen_chosen_in_the_tours_pane_is_used_and_remembered() {
    let dir = fresh_dir("tour-projector");
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    {
        let mut harness = common::window(common::loaded().clone(), Some(path.clone()), STEP);
        harness.run();
        harness.state_mut().tours().screens = laptop_and(&["HDMI-1", "DP-2"]);
        common::pane(&mut harness, "导览");
        harness.get_by_label_contains("演示者视图在：eDP-1 · 1920×1080");
        harness
            .get_by_role_and_label(egui::accesskit::Role::ComboBox, "观众屏幕")
            .click();
        harness.run();
        harness.get_by_label("DP-2 · 1920×1080").click();
        harness.run();
        harness.key_down(egui::Key::F5);
        harness.step();
        let commands = window_commands(&harness);
        assert!(
            commands.contains(&egui::ViewportCommand::SetMonitor(2)),
            "{commands:?} {:?}",
            harness.state().presenter().is_some()
        );
        harness.key_up(egui::Key::F5);
        harness.key_press(egui::Key::Escape);
        harness.run_steps(3);
        harness.state_mut().save_now();
    }
    let mut harness = common::window(common::loaded().clone(), Some(path), STEP);
    harness.run();
    assert_eq!(
        harness.state_mut().tours().projector.as_deref(),
        Some("DP-2")
    );
}

/// The presenter view's pictures draw the user's layers too, as the audience sees them, while
/// their features add up to the budget; a layer beyond it is left out by name.
#[test]
fn the_presenter_views_pictures_draw_the_users_layers_within_a_budget() {
    use chengyu_atlas::geodata::user::{self, LayerSpec};
    use chengyu_atlas::ui::presenter::thumbnail_atlas;
    let dir = fresh_dir("tour-thumbnail-layers");
    let small = dir.join("projects.csv");
    std::fs::write(
        &small,
        "name,lon,lat\n甲项目,106.30,29.60\n乙项目,106.40,29.70\n",
    )
    .expect("write");
    let mut atlas = atlas().clone();
    let (projects, _) = user::add_to(&mut atlas, &LayerSpec::new(small, None)).expect("added");
    let (districts, _) = user::add_to(
        &mut atlas,
        &LayerSpec::new(common::test_data("user/districts-ogr-wkt.csv"), None),
    )
    .expect("added");
    let size = |atlas: &chengyu_atlas::model::Atlas, id| atlas.layer(id).map(|l| l.features.len());
    let (copy, left_out) = thumbnail_atlas(&atlas, 1_000);
    assert!(left_out.is_empty(), "{left_out:?}");
    assert_eq!(size(&copy, projects), Some(2));
    assert_eq!(size(&copy, districts), size(&atlas, districts));
    assert_eq!(copy.layers().len(), atlas.layers().len());
    // A budget of two features: the projects fit, the districts do not.
    let (copy, left_out) = thumbnail_atlas(&atlas, 2);
    assert_eq!(size(&copy, projects), Some(2));
    assert_eq!(size(&copy, districts), None);
    assert_eq!(left_out, ["districts-ogr-wkt"]);
}

/// The projector unplugged in the middle of a tour: the tour goes on full screen on the
/// laptop, at the same stop, and the presenter view closes.
#[test]
fn a_projector_unplugged_mid_tour_leaves_the_tour_full_screen_on_the_laptop() {
    let mut harness = with_notes(&["先讲一城多园"]);
    harness.state_mut().tours().screens = laptop_and(&["HDMI-1"]);
    let _presenter_window = SecondWindow::open_apart(&harness.ctx);
    harness.key_press(egui::Key::F5);
    harness.run_steps(15);
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(15);
    assert!(harness.state().presenter_view_open());
    harness.state_mut().tours().screens = laptop_and(&[]);
    harness.step();
    let commands = window_commands(&harness);
    assert!(
        commands.contains(&egui::ViewportCommand::Fullscreen(true)),
        "{commands:?}"
    );
    assert!(!harness.state().presenter_view_open());
    assert_eq!(harness.state().presenter().map(|p| p.index()), Some(1));
}
