//! The whole app in egui_kittest, on the real data, with the bundled font (kittest panics on
//! a missing glyph, so these tests also prove the font covers the interface).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use chengyu_atlas::geodata::{self, DataSource, files};
use chengyu_atlas::model::{Lang, LayerId};
use chengyu_atlas::ui::AtlasApp;

fn start(source: DataSource, state: Option<std::path::PathBuf>) -> Harness<'static, AtlasApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            AtlasApp::new(
                &cc.egui_ctx,
                geodata::load(&source),
                source.describe(),
                state,
            )
        })
}

#[test]
fn the_panel_lists_every_layer_in_chinese_then_in_english() {
    let mut harness = start(DataSource::Embedded, None);
    harness.run();
    for layer in LayerId::ALL {
        harness.get_by_label(&layer.title().zh);
    }
    harness.get_by_label("English").click();
    harness.run();
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
    harness.get_by_label("核心区").click();
    harness.run();
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
    let dir = std::env::temp_dir().join(format!("chengyu-app-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
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
    let dir = std::env::temp_dir().join(format!("chengyu-app-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    {
        let mut harness = start(DataSource::Embedded, Some(path.clone()));
        harness.run();
        harness.get_by_label("English").click();
        harness.run();
        harness.get_by_label("Fit core").click();
        harness.run();
        harness.state_mut().save_now();
    }
    let saved = std::fs::read_to_string(&path).expect("state written");
    assert!(saved.contains("\"en\""), "{saved}");
    let mut harness = start(DataSource::Embedded, Some(path.clone()));
    harness.run();
    assert_eq!(harness.state().lang(), Lang::En);
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
            .query_all_by_label_contains("ignored")
            .next()
            .is_some(),
        "the user is told"
    );
}
