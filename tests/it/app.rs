//! The whole app in egui_kittest, on the real data, with the bundled font (kittest panics on
//! a missing glyph, so these tests also prove the font covers the interface).

use egui_kittest::Harness;

use crate::common;
use egui_kittest::kittest::Queryable;

use chengyu_atlas::export::{self, PageSize};
use chengyu_atlas::geodata::{self, DataSource, files};
use chengyu_atlas::model::{Lang, LayerId};
use chengyu_atlas::render::{Item, SceneBuilder};
use chengyu_atlas::ui::AtlasApp;

fn start(source: DataSource, state: Option<std::path::PathBuf>) -> Harness<'static, AtlasApp> {
    let loaded = match &source {
        DataSource::Embedded => common::loaded().clone(),
        DataSource::Dir(_) => geodata::load(&source),
    };
    common::window(loaded, state, 1.0 / 60.0)
}

#[test]
fn the_panel_lists_every_layer_in_chinese_then_in_english() {
    let mut harness = start(DataSource::Embedded, None);
    harness.run();
    for layer in LayerId::ALL {
        harness.get_by_label(&layer.title().zh);
    }
    common::choose(&mut harness, &["视图", "语言 Language", "English"]);
    assert_eq!(harness.state().lang(), Lang::En);
    for layer in LayerId::ALL {
        harness.get_by_label(&layer.title().en);
    }
}

#[test]
fn the_map_opens_fitted_to_the_corridor_and_the_core_button_zooms_in() {
    let mut harness = start(DataSource::Embedded, None);
    harness.run();
    let corridor = harness.state().view().expect("the map has a view");
    let bounds = corridor.bounds();
    assert!(
        bounds.min().x < 102.0 && bounds.max().x > 109.0,
        "corridor view {bounds:?}"
    );
    common::choose(&mut harness, &["视图", "核心区"]);
    let core = harness.state().view().expect("view");
    assert!(
        core.zoom > corridor.zoom + 3.0,
        "core zoom {} vs corridor {}",
        core.zoom,
        corridor.zoom
    );
    let center = core.center();
    assert!(
        (106.2..106.5).contains(&center.x) && (29.4..29.7).contains(&center.y),
        "{center:?}"
    );
}

#[test]
fn a_layer_checkbox_hides_the_layer() {
    let mut harness = start(DataSource::Embedded, None);
    harness.run();
    assert!(harness.state().layers().visible(LayerId::Rivers));
    // The layer list scrolls (the window is 800 points high).
    harness.get_by_label("河流").scroll_to_me();
    harness.run();
    harness.get_by_label("河流").click();
    harness.run();
    assert!(!harness.state().layers().visible(LayerId::Rivers));
    assert!(
        harness.state().layers().visible(LayerId::Counties),
        "only that layer"
    );
}

#[test]
fn a_broken_data_file_is_named_in_the_window_and_the_rest_still_shows() {
    let dir = common::fresh_dir("app-broken");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    for name in files::ALL.into_iter().chain([files::CONTENT]) {
        let target = dir.join(name);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(root.join(name), target).expect("copy");
    }
    std::fs::write(dir.join(files::RIVERS), "{ this is not json").expect("write");
    let mut harness = start(DataSource::Dir(dir), None);
    harness.run();
    harness.get_by_label("数据问题");
    assert!(
        harness
            .query_all_by_label_contains("rivers.geojson")
            .next()
            .is_some(),
        "the problem names the file"
    );
    harness.get_by_label(&LayerId::Counties.title().zh);
}

#[test]
fn view_layers_and_language_persist_and_a_corrupt_state_file_is_ignored() {
    let dir = common::fresh_dir("app-state");
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    {
        let mut harness = start(DataSource::Embedded, Some(path.clone()));
        harness.run();
        common::choose(&mut harness, &["视图", "语言 Language", "English"]);
        common::choose(&mut harness, &["View", "Fit core"]);
        common::choose(&mut harness, &["Present", "Reduce motion"]);
        harness.state_mut().save_now();
    }
    let saved = std::fs::read_to_string(&path).expect("state written");
    assert!(saved.contains("\"en\""), "{saved}");
    let mut harness = start(DataSource::Embedded, Some(path.clone()));
    harness.run();
    assert_eq!(harness.state().lang(), Lang::En);
    assert!(
        harness.state_mut().tours().reduced_motion,
        "reduced motion is remembered"
    );
    let view = harness.state().view().expect("view");
    assert!(
        view.zoom > 10.0,
        "the core view came back: zoom {}",
        view.zoom
    );

    std::fs::write(&path, "{{{ not json").expect("corrupt");
    let mut harness = start(DataSource::Embedded, Some(path));
    harness.run();
    assert_eq!(harness.state().lang(), Lang::Zh);
    assert!(
        harness
            .query_all_by_label_contains("state.json.bad-")
            .next()
            .is_some(),
        "the user is told where the file went"
    );
}

/// Every file of the user's that cannot be read is kept as NAME.bad-DATE beside it with its
/// bytes, and named in a banner that stays (through minutes of frames) until it is closed,
/// with a button that opens its folder: the saved state (not even text), the corrections (cut
/// short) and a workspace (broken TOML; copied, as the user may open it again).
#[test]
fn damaged_files_of_the_users_are_kept_aside_each_with_a_banner() {
    let dir = common::fresh_dir("kept-aside");
    let state = dir.join("state.json");
    let corrections = dir.join("corrections.toml");
    let workspace = dir.join("team map.toml");
    let damages: [(&std::path::Path, &[u8]); 3] = [
        (&state, &[0xff, 0xfe, 0x00, 0x9c, 0x42]),
        (
            &corrections,
            b"[[correction]]\nplatform = \"cqu\"\nlon = 106.",
        ),
        (
            &workspace,
            b"format = \"chengyu-atlas-workspace\"\nversion = 1\n[state\nlang = ",
        ),
    ];
    for (path, bytes) in damages {
        std::fs::write(path, bytes).expect("write");
    }
    let mut harness = common::window(common::loaded().clone(), Some(state.clone()), 1.0);
    harness.run();
    let ctx = harness.ctx.clone();
    assert!(!harness.state_mut().open_workspace(&ctx, &workspace));
    // Two more kinds of damage to a workspace, each copied aside with its bytes: not text,
    // and values of the wrong type.
    for (n, bytes) in [
        (&[0xffu8, 0xfe, 0x00, 0x9c][..], "bytes"),
        (
            &b"format = \"chengyu-atlas workspace\"\nversion = \"one\"\n"[..],
            "types",
        ),
    ]
    .into_iter()
    .map(|(bytes, n)| (n, bytes))
    {
        let other = dir.join(format!("{n}.toml"));
        std::fs::write(&other, bytes).expect("write");
        assert!(!harness.state_mut().open_workspace(&ctx, &other));
        let copy = dir.join(format!("{n}.toml.bad-{}", chengyu_atlas::date::today()));
        assert_eq!(std::fs::read(&copy).expect("copied aside"), bytes, "{n}");
        assert!(other.exists(), "{n}: the user's file stays");
    }
    // Two minutes of frames: a message that something worked would be gone by now.
    harness.run_steps(120);
    for (path, bytes) in damages {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let kept: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|f| f.to_string_lossy().starts_with(&format!("{name}.bad-")))
            })
            .collect();
        assert_eq!(kept.len(), 1, "{name}: {kept:?}");
        assert_eq!(std::fs::read(&kept[0]).expect("kept"), bytes, "{name}");
        assert_eq!(
            path.exists(),
            path == workspace.as_path(),
            "{name}: moved or copied"
        );
        assert!(
            harness
                .query_all_by_label_contains(&format!("{name}.bad-"))
                .next()
                .is_some(),
            "{name}: a banner names where it is"
        );
    }
    let open_folder = || harness.query_all_by_label("打开文件夹").count();
    assert_eq!(open_folder(), 5);
    assert_eq!(harness.query_all_by_label("×").count(), 5, "one × a banner");
    harness
        .query_all_by_label("×")
        .next()
        .expect("a close button")
        // (Not a pointer's click: at one-second frames, a press and a release a frame apart
        // are a long press.)
        .click_accesskit();
    harness.run_steps(2);
    assert_eq!(
        harness.query_all_by_label("打开文件夹").count(),
        4,
        "closed, it goes"
    );
}

fn click_at(harness: &Harness<'_, AtlasApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
}

/// A point inside the core where nothing else lies on top.
fn plain_core_point(app: &AtlasApp) -> geo::Coord {
    let atlas = app.atlas();
    let index = chengyu_atlas::index::SpatialIndex::new(atlas);
    let (core, _) = atlas.find("core").expect("core");
    (0..400)
        .map(|i| geo::coord! { x: 106.28 + 0.004 * f64::from(i % 20), y: 29.44 + 0.008 * f64::from(i / 20) })
        .find(|at| index.hits(atlas, *at, 1_500.0).first() == Some(&core))
        .expect("a plain point in the core")
}

/// Fits the core, then clicks a plain point inside it.
fn select_core_by_clicking(harness: &mut Harness<'_, AtlasApp>) {
    harness.run();
    common::choose(harness, &["视图", "核心区"]);
    let at = plain_core_point(harness.state());
    let pos = harness.state().screen_position(at).expect("on screen");
    click_at(harness, pos);
    harness.run();
}

#[test]
fn clicking_inside_the_core_opens_its_panel_with_its_platforms() {
    let mut harness = start(DataSource::Embedded, None);
    select_core_by_clicking(&mut harness);
    let (core, _) = harness.state().atlas().find("core").expect("core");
    assert_eq!(harness.state().selected(), Some(core));
    assert!(
        harness
            .query_all_by_label("核心区（重庆高新区直管园）")
            .next()
            .is_some(),
        "the panel's title"
    );
    harness.get_by_label("重庆大学");
    harness.get_by_label("定位");
    harness.get_by_label("西永微电子产业园区");

    // A platform in the list flies to it and selects it.
    harness.get_by_label("重庆大学").scroll_to_me();
    harness.run();
    harness.get_by_label("重庆大学").click();
    harness.run();
    let (cqu, _) = harness.state().atlas().find("cqu").expect("cqu");
    assert_eq!(harness.state().selected(), Some(cqu));
    let view = harness.state().view().expect("view");
    assert!((view.center().x - 106.300).abs() < 0.01 && (view.center().y - 29.593).abs() < 0.01);
    // Its panel says where its point comes from: the campus list, the record and the commit.
    harness.get_by_label_contains("位置来源：GitHub Naptie/cn-university-geocoder");
    harness.get_by_label_contains("记录“重庆大学 · 虎溪校区”");

    harness.key_press(egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().selected(), None, "Esc clears the selection");
}

#[test]
fn searching_for_sensors_lists_the_beibei_district() {
    let mut harness = start(DataSource::Embedded, None);
    harness.run();
    let search = harness.get_by_role(egui::accesskit::Role::TextInput);
    search.focus();
    search.type_text("传感器");
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("北碚片区")
            .next()
            .is_some(),
        "北碚片区 is among the results"
    );
}

#[test]
fn choosing_an_industry_highlights_the_zones_and_platforms_that_have_it() {
    let mut harness = start(DataSource::Embedded, None);
    harness.run();
    let search = harness.get_by_role(egui::accesskit::Role::TextInput);
    search.focus();
    search.type_text("智能传感器");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let app = harness.state();
    assert_eq!(app.industry(), Some("smart-sensors"));
    let ids: Vec<String> = app
        .emphasised()
        .iter()
        .filter_map(|f| app.atlas().feature(*f).map(|f| f.into_owned().id))
        .collect();
    for expected in ["beibei", "smart-sensor-park", "sensor-base"] {
        assert!(
            ids.iter().any(|id| id == expected),
            "{expected} not highlighted: {ids:?}"
        );
    }
    for unexpected in ["shapingba", "jiangjin", "cqu"] {
        assert!(
            !ids.iter().any(|id| id == unexpected),
            "{unexpected} highlighted: {ids:?}"
        );
    }
    // A chain highlights every field of it: new-generation IT reaches Bishan's displays.
    harness.state_mut().choose_industry(Some("ngit".into()));
    let app = harness.state();
    let ids: Vec<String> = app
        .emphasised()
        .iter()
        .filter_map(|f| app.atlas().feature(*f).map(|f| f.into_owned().id))
        .collect();
    assert!(
        ids.iter().any(|id| id == "bishan")
            && ids.iter().any(|id| id == "xiyong-microelectronics-park"),
        "{ids:?}"
    );
}

/// Moves the pointer off the map (hover is never exported).
fn pointer_away(harness: &Harness<'_, AtlasApp>) {
    harness.event(egui::Event::PointerMoved(egui::pos2(5.0, 795.0)));
}

#[test]
fn the_export_gets_the_very_primitives_the_window_drew() {
    let mut harness = start(DataSource::Embedded, None);
    // Select the core (outline + cooperation arrows) and choose an industry (emphasis).
    select_core_by_clicking(&mut harness);
    harness
        .state_mut()
        .choose_industry(Some("smart-sensors".into()));
    pointer_away(&harness);
    harness.run();

    let app = harness.state();
    let window = app.last_scene().expect("the map was drawn").clone();
    assert!(
        window.items.iter().any(|i| matches!(i, Item::Arrow { .. })),
        "links drawn"
    );
    let view = app.view().expect("view");
    let size = PageSize::Pixels {
        width: 1920,
        height: 1080,
    };
    let request = app.export_request(size).expect("request");
    let mut builder = SceneBuilder::new(app.atlas());
    let exported =
        export::map_scene(app.atlas(), &mut builder, &request, view.size).expect("export scene");
    assert_eq!(exported.view, window.view);
    assert_eq!(exported.transform, window.transform);
    assert_eq!(exported.items.len(), window.items.len());
    for (index, (a, b)) in exported.items.iter().zip(&window.items).enumerate() {
        // Short messages: a primitive holds whole geometries.
        let brief = |item: &Item| format!("{item:?}").chars().take(300).collect::<String>();
        assert!(
            a == b,
            "item {index}: export {} ≠ window {}",
            brief(a),
            brief(b)
        );
    }
}

#[test]
fn the_export_dialog_writes_the_chosen_file_and_asks_before_replacing_it() {
    let dir = common::fresh_dir("dialog");
    let path = dir.join("view.png");
    let mut harness = start(DataSource::Embedded, None);
    harness.run();
    harness.state_mut().export_dialog().open = true;
    harness.state_mut().export_dialog().set_path(&path);
    harness.run_steps(2);
    harness.get_by_label("导出地图");
    harness.get_by_label("导出").click();
    // The spinner repaints while the export runs in the background.
    common::wait_until("the export", || {
        harness.run_steps(2);
        harness.query_by_label_contains("已保存").is_some()
    });
    let png = std::fs::read(&path).expect("written");
    assert!(png.starts_with(b"\x89PNG"));
    // 1920 × 1080, big-endian in the IHDR chunk.
    assert_eq!(&png[16..24], &[0, 0, 7, 128, 0, 0, 4, 56]);

    harness.get_by_label("导出").click();
    harness.run_steps(2);
    harness.get_by_label_contains("已存在，要替换吗？");
    harness.get_by_label("取消").click();
    harness.run_steps(2);
    assert_eq!(std::fs::read(&path).expect("kept"), png);
}

#[test]
fn export_settings_are_remembered_and_the_next_file_is_dated_in_the_same_folder() {
    let dir = common::fresh_dir("export-settings");
    let state = dir.join("state.json");
    let mut harness = start(DataSource::Embedded, Some(state.clone()));
    harness.run();
    harness.state_mut().export_dialog().open = true;
    harness
        .state_mut()
        .export_dialog()
        .set_path(&dir.join("mine.png"));
    harness.run_steps(2);
    harness.get_by_label("PDF").click();
    harness.get_by_label("图例").click();
    harness.run_steps(2);
    harness.state_mut().save_now();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("saved")).expect("json");
    assert_eq!(saved["export"]["format"], "pdf", "{saved}");
    assert_eq!(saved["export"]["elements"]["legend"], false);
    drop(harness);

    let mut again = start(DataSource::Embedded, Some(state));
    again.run();
    let restored = again.state_mut().export_dialog().saved();
    assert_eq!(restored.format, chengyu_atlas::export::Format::Pdf);
    assert!(!restored.elements.legend, "the legend stays off");
    assert_eq!(
        restored.folder.as_deref(),
        Some(dir.as_path()),
        "the same folder"
    );
    // The next page is proposed there, named by today's local date (as `date` says it).
    let today = std::process::Command::new("date")
        .arg("+%F")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .expect("date");
    assert_eq!(
        again.state_mut().export_dialog().path(),
        dir.join(format!("chengyu-atlas-{today}.pdf"))
    );
}

#[test]
fn a_new_selection_opens_its_panel_at_the_top() {
    let mut harness = start(DataSource::Embedded, None);
    select_core_by_clicking(&mut harness);
    let top = harness.get_by_label("定位").rect().top();
    // Scrolled down to the core's platforms, the positioning goes out of sight above.
    harness.get_by_label("重庆大学").scroll_to_me();
    harness.run();
    let scrolled = harness.query_by_label("定位").map(|n| n.rect().top());
    assert!(
        scrolled.is_none_or(|y| y < top - 40.0),
        "{scrolled:?} vs {top}"
    );
    // Another zone: its panel starts at the top again.
    let (beibei, _) = harness.state().atlas().find("beibei").expect("beibei");
    harness.state_mut().select(Some(beibei), true);
    harness.run();
    let again = harness.get_by_label("定位").rect().top();
    assert!((again - top).abs() < 30.0, "{again} vs {top}");
}

/// In English, nothing in the window carries Chinese punctuation: not the cooperation lines
/// ("technology：Integrated circuits（research here…）" before), not the members of the circle,
/// not the sources' outlets.
#[test]
fn english_panels_use_english_punctuation() {
    use egui_kittest::kittest::by;
    // Tall enough that the whole of each panel is on screen (and in the accessibility tree).
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 4000.0))
        .build_eframe(|cc| {
            AtlasApp::new(
                &cc.egui_ctx,
                common::loaded().clone(),
                "built-in data".into(),
                None,
            )
        });
    harness.run();
    common::choose(&mut harness, &["视图", "语言 Language", "English"]);
    // Chinese punctuation beside a Latin letter, digit or space: inside a Chinese name or an
    // article's own title it is the name's own.
    let chinese_punctuation = |text: &str| {
        let chars: Vec<char> = text.chars().collect();
        (0..chars.len()).any(|i| {
            let latin =
                |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == ' ');
            "：（），；、。".contains(chars[i])
                && (latin(i.checked_sub(1).and_then(|j| chars.get(j))) || latin(chars.get(i + 1)))
        })
    };
    for id in [
        "core",
        "bishan",
        "corridor",
        "cqu",
        "xiyong-microelectronics-park",
    ] {
        let (feature, _) = harness.state().atlas().find(id).expect(id);
        harness.state_mut().select(Some(feature), false);
        harness.run();
        // A label's text is its value; a button's, its label.
        let text = |node: &egui_kittest::kittest::AccessKitNode<'_>| {
            node.label().or_else(|| node.value()).unwrap_or_default()
        };
        let found: Vec<String> = harness
            .query_all(by().predicate(|node| chinese_punctuation(&text(node))))
            .map(|node| {
                use egui_kittest::kittest::NodeT as _;
                text(&node.accesskit_node())
            })
            .collect();
        assert!(found.is_empty(), "{id}: {found:?}");
    }
}
