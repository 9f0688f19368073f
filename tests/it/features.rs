//! The window's features, each built alone with a context, as a user drives them: what they
//! ask of the window comes back as actions (no whole window needed).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use chengyu_atlas::model::Lang;
use chengyu_atlas::render::{LayerSettings, View};
use chengyu_atlas::ui::action::Action;
use chengyu_atlas::ui::basemap::Basemaps;
use chengyu_atlas::ui::camera::Fit;
use chengyu_atlas::ui::features::bookmarks::Bookmarks;
use chengyu_atlas::ui::features::{Ctx, Feature};
use chengyu_atlas::ui::messages::Said;

use crate::common;

/// The context of a window on the built-in data, in English, before its first frame.
fn context<'a>(layers: &'a LayerSettings, basemaps: &'a Basemaps) -> Ctx<'a> {
    Ctx {
        atlas: common::atlas(),
        lang: Lang::En,
        view: None,
        map: None,
        selected: None,
        coords: Default::default(),
        layers,
        basemaps,
        shown: None,
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
                let (layers, basemaps) = (LayerSettings::default(), Basemaps::default());
                let ctx = Ctx {
                    view: Some(view),
                    ..context(&layers, &basemaps)
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
    let (layers, basemaps) = (LayerSettings::default(), Basemaps::default());
    let atlas = common::atlas();
    let (core, _) = atlas.find("core").expect("the core zone");
    let shown = View::new(geo::coord! { x: 106.33, y: 29.58 }, 11.0, [800.0, 600.0]);
    let ctx = Ctx {
        shown: Some(shown),
        selected: Some(core),
        ..context(&layers, &basemaps)
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
