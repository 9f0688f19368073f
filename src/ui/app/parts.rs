//! The groups the window's state is kept in — the data, the selection, the user's settings,
//! the dialogs, the basemaps, the features — and what the features may read of them.

use crate::geodata::DataError;
use crate::model::{Atlas, FeatureRef, Lang};
use crate::render::{Highlight, LayerSettings, SceneBuilder, View};
use crate::tour::presenter::Presenter;
use crate::ui::features::{Ctx, Feature};

use super::AtlasApp;
use crate::ui::panels::details;

/// The data the window shows, and what is built from it once.
pub(super) struct Data {
    pub(super) atlas: Atlas,
    /// Where it came from ("built-in data" or a folder).
    pub(super) source: String,
    pub(super) problems: Vec<DataError>,
    pub(super) builder: SceneBuilder,
    /// Zone areas, computed when a panel first shows them.
    pub(super) areas: details::AreaCache,
    /// Big layers' pyramids being built on other threads (the layers are left out of the
    /// index until theirs arrives).
    pub(super) pyramid_jobs: Vec<(
        crate::model::LayerId,
        std::sync::mpsc::Receiver<Option<crate::index::clusters::PointPyramid>>,
    )>,
    /// How many pyramids came from other threads (for tests and the curious).
    pub(super) pyramids_received: usize,
    /// Layers filed where they were read, for the index to take when it is next made.
    pub(super) filed: Vec<std::sync::Arc<crate::index::LayerIndex>>,
}

/// What the user picked: a feature (right panel), an industry (emphasised on the map), and the
/// map's highlight that follows from them.
#[derive(Default)]
pub(super) struct Selection {
    pub(super) selected: Option<FeatureRef>,
    pub(super) industry: Option<String>,
    pub(super) highlight: Highlight,
}

/// What the user set: the language, each layer's visibility and opacity, how positions are
/// copied, the bookmarks.
pub(super) struct Settings {
    pub(super) lang: Lang,
    pub(super) layers: LayerSettings,
    pub(super) coords: crate::coordinates::CoordStyle,
    /// The side panel is hidden (the map takes the window).
    pub(super) panel_hidden: bool,
    /// The side's panes and how the user arranged them.
    pub(super) dock: crate::ui::dock::Dock,
    /// The window's size, as last seen (remembered for the next start).
    pub(super) window: Option<crate::ui::state::SavedWindow>,
}

/// The tour's presenter while one is shown, and the list of the data's problems.
pub(super) struct Dialogs {
    pub(super) presenter: Option<Presenter>,
    /// The presenter view (notes, next stop, timer, the stop list) is open in a window of its
    /// own (Alt+F5: rehearsing on one screen; F5 with two screens).
    pub(super) presenter_view: bool,
    /// With two screens, the monitor the presenter view is full screen on (the laptop's).
    pub(super) presenter_on: Option<usize>,
    /// The stops' pictures the presenter view shows (made while it is open).
    pub(super) thumbnails: crate::ui::presenter::Thumbnails,
    /// The window as it was before the tour, given back when it ends.
    pub(super) before_tour: Option<BeforeTour>,
    /// The full list of the data's problems is open.
    pub(super) problems_open: bool,
    /// The presenter's pen and each stop's ink (while a tour is shown).
    pub(super) ink: crate::ui::presenter::Ink,
    /// The ink of a tour just ended, each stroke with its stop's title, while the window
    /// asks whether to keep it.
    pub(super) ink_left: Vec<(crate::model::Text, Vec<geo::Coord>)>,
}

/// The window before a tour: its view, its interface scale and, when the tour moved it to the
/// projector, where it stood (its outer corner, in physical pixels).
pub(super) struct BeforeTour {
    pub(super) view: Option<View>,
    pub(super) zoom_factor: f32,
    pub(super) position: Option<eframe::egui::Pos2>,
}

/// The window's features that are rooms of their own, each with its state: one field each.
pub(super) struct Features {
    pub(super) help: crate::ui::features::help::Help,
    pub(super) basemaps: crate::ui::features::basemaps::BasemapPanel,
    pub(super) bookmarks: crate::ui::features::bookmarks::Bookmarks,
    pub(super) what_is_here: crate::ui::features::what_is_here::WhatIsHere,
    pub(super) corrections: crate::ui::features::corrections::Correcting,
    pub(super) database: crate::ui::features::database::DatabaseDialog,
    pub(super) export: crate::ui::features::export::ExportDialog,
    pub(super) tours: crate::ui::features::tours::TourShelf,
    pub(super) measuring: crate::ui::features::measuring::Measuring,
    pub(super) drawing: crate::ui::features::drawing::Drawing,
    pub(super) editing: crate::ui::features::editing::Editing,
    pub(super) search: crate::ui::features::search::SearchBox,
    pub(super) user_layers: crate::ui::features::user_layers::UserLayers,
    pub(super) workspace: crate::ui::features::workspace::Workspace,
}

impl Features {
    /// Every feature, for what each does the same way (its windows, its background work):
    /// adding a feature is a field above and a line here.
    pub(super) fn all(&mut self) -> [&mut dyn Feature; 14] {
        [
            &mut self.help,
            &mut self.basemaps,
            &mut self.bookmarks,
            &mut self.what_is_here,
            &mut self.corrections,
            &mut self.database,
            &mut self.export,
            &mut self.tours,
            &mut self.measuring,
            &mut self.drawing,
            &mut self.editing,
            &mut self.search,
            &mut self.user_layers,
            &mut self.workspace,
        ]
    }
}

impl AtlasApp {
    /// Lends the features to `f` with what they may read of the window (the parts they read
    /// are borrowed apart from them, so that a feature may change its own state meanwhile).
    pub(super) fn with_features<R>(&mut self, f: impl FnOnce(&mut Features, &Ctx<'_>) -> R) -> R {
        let camera = &self.camera;
        let settings = &self.settings;
        let cx = Ctx {
            atlas: &self.data.atlas,
            lang: settings.lang,
            view: camera.view(),
            map: camera.map_rect,
            selected: self.selection.selected,
            coords: settings.coords,
            layers: &settings.layers,
            basemaps: &self.basemaps,
            shown: camera.last_scene.as_ref().map(|s| s.view),
            industry: self.selection.industry.as_deref(),
            highlight: &self.selection.highlight,
        };
        f(&mut self.features, &cx)
    }
}
