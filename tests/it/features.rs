//! The window's features, each built alone with a context, as a user drives them: what they
//! ask of the window comes back as actions (no whole window needed).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use chengyu_atlas::model::Lang;
use chengyu_atlas::render::{Highlight, LayerSettings, View};
use chengyu_atlas::ui::action::Action;
use chengyu_atlas::ui::basemap::Basemaps;
use chengyu_atlas::ui::camera::Fit;
use chengyu_atlas::ui::features::bookmarks::Bookmarks;
use chengyu_atlas::ui::features::{Ctx, Feature};
use chengyu_atlas::ui::messages::Said;

use crate::common;

/// What a window on the built-in data holds that its features read.
#[derive(Default)]
struct Window {
    layers: LayerSettings,
    basemaps: Basemaps,
    highlight: Highlight,
}

impl Window {
    /// The context of this window, in English, before its first frame.
    fn context(&self) -> Ctx<'_> {
        Ctx {
            atlas: common::atlas(),
            lang: Lang::En,
            view: None,
            map: None,
            selected: None,
            coords: Default::default(),
            layers: &self.layers,
            basemaps: &self.basemaps,
            shown: None,
            industry: None,
            highlight: &self.highlight,
        }
    }
}

/// A feature's state and the actions it returned in the last frame.
struct Driven<F> {
    feature: F,
    asked: Vec<Action>,
}

#[test]
fn the_bookmarks_pane_fits_adds_the_view_shown_and_goes_back_to_it() {
    let view = View::new(geo::coord! { x: 106.33, y: 29.58 }, 11.5, [800.0, 600.0]);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(320.0, 400.0))
        .with_context_setup(chengyu_atlas::ui::fonts::install)
        .build_ui_state(
            move |ui, driven: &mut Driven<Bookmarks>| {
                let window = Window::default();
                let ctx = Ctx {
                    view: Some(view),
                    ..window.context()
                };
                let asked = driven.feature.pane(ui, &ctx);
                driven.asked.extend(asked);
            },
            Driven {
                feature: Bookmarks::default(),
                asked: Vec::new(),
            },
        );
    harness.get_by_label("Fit core").click();
    harness.run();
    assert_eq!(harness.state().asked, vec![Action::Fit(Fit::Core)]);
    harness.state_mut().asked.clear();

    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text("Xiyong");
    harness.run();
    harness.get_by_label("Add this view").click();
    harness.run();
    let list = &harness.state().feature.list;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "Xiyong");
    assert_eq!(
        (list[0].view.center, list[0].view.zoom),
        (view.center, view.zoom)
    );
    assert!(
        harness.state().feature.name.is_empty(),
        "the field is cleared"
    );

    harness.get_by_label("Xiyong").click();
    harness.run();
    assert_eq!(
        harness.state().asked,
        vec![Action::GoTo(list_view(&harness))]
    );
}

fn list_view(harness: &Harness<'_, Driven<Bookmarks>>) -> chengyu_atlas::document::SavedView {
    harness.state().feature.list[0].view
}

/// The tours, alone: a new tour takes the view shown as its first stop, named after the
/// feature selected, and says so through the message bar at the next poll; its pane lists it.
#[test]
fn a_new_tour_starts_at_the_view_shown_and_says_so() {
    use chengyu_atlas::ui::action::TourAction;
    use chengyu_atlas::ui::features::tours::TourShelf;
    let window = Window::default();
    let atlas = common::atlas();
    let (core, _) = atlas.find("core").expect("the core zone");
    let shown = View::new(geo::coord! { x: 106.33, y: 29.58 }, 11.0, [800.0, 600.0]);
    let ctx = Ctx {
        shown: Some(shown),
        selected: Some(core),
        ..window.context()
    };
    let mut tours = TourShelf::load(None);
    let before = tours.tours.len();
    tours.apply(TourAction::New, &ctx);
    assert_eq!(tours.tours.len(), before + 1);
    let tour = tours.chosen().expect("the new tour is chosen");
    assert_eq!(tour.stops.len(), 1);
    assert_eq!(tour.stops[0].highlight, ["core"]);
    let chengyu_atlas::tour::StopView::Bounds([west, south, east, north]) = tour.stops[0].view
    else {
        panic!("a stop of the view's bounds");
    };
    assert!(west < 106.33 && 106.33 < east && south < 29.58 && 29.58 < north);
    let egui = egui::Context::default();
    let said = tours.poll(&egui, &ctx);
    assert!(
        matches!(&said[..], [Action::Say(Said { text, failed: false })] if text.contains("stop 1")),
        "{said:?}"
    );
    assert!(tours.poll(&egui, &ctx).is_empty(), "said once");
}

/// The search box, alone in a bar: typed pinyin lists the zone, Enter hands it to the window
/// as a choice and closes the list.
#[test]
fn the_search_box_chooses_what_enter_picks() {
    use chengyu_atlas::search::Target;
    use chengyu_atlas::ui::features::search::SearchBox;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(600.0, 300.0))
        .with_context_setup(chengyu_atlas::ui::fonts::install)
        .build_ui_state(
            |ui, driven: &mut Driven<SearchBox>| {
                let window = Window::default();
                let asked = driven.feature.bar(ui, &window.context());
                driven.asked.extend(asked);
            },
            Driven {
                feature: SearchBox::new(common::atlas()),
                asked: Vec::new(),
            },
        );
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text("xiyong");
    harness.run();
    assert!(!harness.state().feature.results.is_empty(), "pinyin finds");
    assert!(harness.state().asked.is_empty(), "typing chooses nothing");
    harness.key_press(egui::Key::Enter);
    harness.run();
    let chosen: Vec<_> = harness
        .state()
        .asked
        .iter()
        .filter_map(|a| match a {
            Action::Choose(hit) => Some(hit),
            _ => None,
        })
        .collect();
    assert_eq!(chosen.len(), 1, "{:?}", harness.state().asked);
    assert!(
        chosen[0].name.get(Lang::Zh).contains("西永"),
        "{:?}",
        chosen[0].name
    );
    assert!(
        matches!(chosen[0].target, Target::Feature(_)),
        "{:?}",
        chosen[0].target
    );
    assert!(
        harness.state().feature.results.is_empty(),
        "the list closes"
    );
}

/// The basemaps pane, alone: it draws the window's packages without changing them, and what
/// the user does to a row comes back as actions that the pane's `apply` carries out.
#[test]
fn the_basemaps_pane_asks_and_apply_changes_the_list() {
    use chengyu_atlas::ui::action::BasemapAction;
    use chengyu_atlas::ui::features::basemaps::BasemapPanel;
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/basemap/raster.mbtiles");
    let egui = egui::Context::default();
    let mut window = Window::default();
    let mut panel = BasemapPanel::default();
    let back = panel.apply(
        BasemapAction::Open(fixture),
        &mut window.basemaps,
        &egui,
        Lang::En,
    );
    assert_eq!(back, None);
    assert_eq!(
        window.basemaps.layers.len(),
        1,
        "{:?}",
        window.basemaps.problems.len()
    );
    assert!(panel.reveal, "the pane opens to show the package");

    let mut harness = Harness::builder()
        .with_size(egui::vec2(320.0, 500.0))
        .with_context_setup(chengyu_atlas::ui::fonts::install)
        .build_ui_state(
            |ui, state: &mut (Window, Driven<BasemapPanel>)| {
                let asked = state.1.feature.pane(ui, &state.0.context());
                state.1.asked.extend(asked);
            },
            (
                window,
                Driven {
                    feature: panel,
                    asked: Vec::new(),
                },
            ),
        );
    harness.get_by_role(egui::accesskit::Role::CheckBox).click();
    harness.run();
    let (window, driven) = harness.state_mut();
    assert_eq!(
        driven.asked,
        vec![Action::Basemap(BasemapAction::Show(0, false))]
    );
    assert!(window.basemaps.layers[0].visible, "drawing changes nothing");
    let Some(Action::Basemap(hide)) = driven.asked.pop() else {
        unreachable!()
    };
    assert_eq!(
        driven
            .feature
            .apply(hide, &mut window.basemaps, &egui, Lang::En),
        None
    );
    assert!(!window.basemaps.layers[0].visible, "apply hides it");
    assert_eq!(
        driven.feature.apply(
            BasemapAction::Remove(3),
            &mut window.basemaps,
            &egui,
            Lang::En
        ),
        None,
        "a package no longer there is no fault"
    );
    driven.feature.apply(
        BasemapAction::Remove(0),
        &mut window.basemaps,
        &egui,
        Lang::En,
    );
    assert!(window.basemaps.layers.is_empty());
}

/// The export dialog, alone: it asks the window to lay out the preview once per change of
/// what it shows (not every frame), and Export asks for the file named in the field; a name
/// that says no format is refused in the dialog before anything is laid out.
#[test]
fn the_export_dialog_asks_for_pages_only_when_something_changed() {
    use chengyu_atlas::ui::action::{ComposeFor, ExportAction};
    use chengyu_atlas::ui::features::export::ExportDialog;
    let dir = common::fresh_dir("export-alone");
    let view = View::new(geo::coord! { x: 106.33, y: 29.58 }, 10.0, [800.0, 600.0]);
    let purposes = |asked: &[Action]| -> Vec<ComposeFor> {
        asked
            .iter()
            .filter_map(|a| match a {
                Action::Export(ExportAction::Compose(_, purpose)) => Some(purpose.clone()),
                _ => None,
            })
            .collect()
    };
    let mut dialog = ExportDialog::default();
    dialog.open = true;
    dialog.set_path(&dir.join("page.png"));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(900.0, 900.0))
        .with_context_setup(chengyu_atlas::ui::fonts::install)
        .build_ui_state(
            move |ui, driven: &mut Driven<ExportDialog>| {
                let window = Window::default();
                let ctx = Ctx {
                    shown: Some(view),
                    ..window.context()
                };
                let asked = driven.feature.windows(ui.ctx(), &ctx);
                driven.asked.extend(asked);
            },
            Driven {
                feature: dialog,
                asked: Vec::new(),
            },
        );
    harness.run_steps(3);
    assert_eq!(
        purposes(&harness.state().asked),
        vec![ComposeFor::Preview],
        "one preview for three frames of the same view"
    );
    harness.state_mut().asked.clear();

    harness.get_by_label("Export").click();
    harness.run_steps(2);
    assert_eq!(
        purposes(&harness.state().asked),
        vec![ComposeFor::File {
            path: dir.join("page.png"),
            force: false
        }]
    );
    harness.state_mut().asked.clear();

    harness.state_mut().feature.set_path(&dir.join("page.docx"));
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    assert!(purposes(&harness.state().asked).is_empty());
    harness.get_by_label_contains("page.docx");
}

/// A corrections file that cannot be read (random bytes, cut short, wrong types) is never
/// lost: it is moved aside to `corrections.toml.bad-DATE` with its bytes, the window is told
/// where, and the built-in positions are used meanwhile.
#[test]
fn an_unreadable_corrections_file_is_kept_aside_and_said() {
    use chengyu_atlas::ui::features::corrections::Correcting;
    let dir = common::fresh_dir("corrections-bad");
    let damages: [&[u8]; 4] = [
        &[0xff, 0xfe, 0x00, 0x9c, 0x42, 0x13],
        b"[[correction]]\nplatform = \"cqu\"\nlon = 106.",
        b"[[correction]]\nplatform = 7\nlon = \"east\"\nlat = 29.5\n",
        b"[[platforms]]\nplatform = \"cqu\"\n",
    ];
    for (n, bytes) in damages.into_iter().enumerate() {
        let path = dir.join(format!("corrections-{n}.toml"));
        std::fs::write(&path, bytes).expect("write");
        let mut atlas = common::atlas().clone();
        let (_, problems, changed) = Correcting::load(Some(path.clone()), &mut atlas);
        assert!(!changed, "nothing applied");
        assert!(
            !path.exists(),
            "{n}: moved out of the way of the next correction"
        );
        let kept: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name().is_some_and(|f| {
                    f.to_string_lossy()
                        .starts_with(&format!("corrections-{n}.toml.bad-"))
                })
            })
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(
            std::fs::read(&kept[0]).expect("kept"),
            bytes,
            "the bytes as they were"
        );
        let said = problems
            .iter()
            .map(|p| p.in_language(Lang::En))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(said.contains(&kept[0].display().to_string()), "{said}");
        let zh = problems[0].in_language(Lang::Zh);
        assert!(zh.contains("已另存为"), "{zh}");
    }
}

/// A tour file of the user's that cannot be read (random bytes, cut short, of the wrong
/// types) is moved aside with its bytes, so that a tour saved under its name never overwrites
/// it, and handed to the window for its banner; a good one beside it loads.
#[test]
fn a_damaged_tour_file_is_kept_aside_and_the_good_ones_load() {
    use chengyu_atlas::ui::features::tours::TourShelf;
    let dir = common::fresh_dir("tours-kept");
    let good = include_str!("../../assets/tours/two-poles.toml")
        .replace("[[stop]]", "id = \"mine\"\n[[stop]]");
    std::fs::write(dir.join("mine.toml"), &good).expect("write");
    let damages: [(&str, &[u8]); 3] = [
        ("bytes.toml", &[0xff, 0xfe, 0x00, 0x9c]),
        (
            "cut.toml",
            b"title = { zh = \"x\", en = \"x\" }\n[[stop]]\ntitle = { zh = ",
        ),
        ("types.toml", b"title = 7\n[[stop]]\nview = true\n"),
    ];
    for (name, bytes) in damages {
        std::fs::write(dir.join(name), bytes).expect("write");
    }
    let before = TourShelf::load(None).tours.len();
    let shelf = TourShelf::load(Some(dir.clone()));
    assert_eq!(shelf.tours.len(), before + 1, "the good tour loads");
    assert_eq!(shelf.kept.len(), 3, "{:?}", shelf.kept);
    for (name, bytes) in damages {
        assert!(!dir.join(name).exists(), "{name} moved out of the way");
        let kept = shelf
            .kept
            .iter()
            .find(|k| k.path == dir.join(name))
            .unwrap_or_else(|| panic!("{name} kept"));
        assert_eq!(std::fs::read(&kept.copy).expect("kept"), bytes, "{name}");
        assert!(kept.message().zh.contains(name), "{:?}", kept.message());
    }
}
