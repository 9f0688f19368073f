//! The window's features, each built alone with a context, as a user drives them: what they
//! ask of the window comes back as actions (no whole window needed).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use chengyu_atlas::model::Lang;
use chengyu_atlas::render::View;
use chengyu_atlas::ui::action::Action;
use chengyu_atlas::ui::camera::Fit;
use chengyu_atlas::ui::features::bookmarks::Bookmarks;
use chengyu_atlas::ui::features::{Ctx, Feature};

use crate::common;

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
                let ctx = Ctx {
                    atlas: common::atlas(),
                    lang: Lang::En,
                    view: Some(view),
                    map: None,
                    selected: None,
                    coords: Default::default(),
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
