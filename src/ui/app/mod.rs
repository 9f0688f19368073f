//! The window: the menu bar and the search box at the top, the docked panes on the left, the
//! status bar at the bottom, the selected feature's panel on the right, the map in the middle. The app's state is kept in groups —
//! the data, the camera, the selection, the search box, the user's settings, what is
//! remembered between runs, and the dialogs — and each part of the window borrows only what it
//! needs and returns what the user asked for; the asks are applied after drawing.

mod accessors;
mod actions;
mod exporting;
mod frame;
mod menu;
mod persist;
mod presenting;
mod side_panel;
mod tools;
mod user_layers;
mod workspace;

use std::path::PathBuf;

use egui::Ui;

pub use crate::ui::action::Action;
use persist::Persistence;
pub use side_panel::{details_widths, side_widths};
pub use workspace::WorkspaceAction;

use super::basemap::Basemaps;
use super::camera::Camera;
use super::export_dialog::ExportDialog;
use super::panels::basemaps::BasemapPanel;
use super::panels::user_layers::UserLayerPanel;
use super::panels::{details, search::SearchBox};
use super::startup::StartupTiming;
use super::tours::TourShelf;
use crate::geodata::{DataError, Loaded};
use crate::model::{Atlas, FeatureRef, Lang};
use crate::render::{Highlight, LayerSettings, SceneBuilder, SceneOptions, View};
use crate::tour::presenter::Presenter;

/// The data the window shows, and what is built from it once.
struct Data {
    atlas: Atlas,
    /// Where it came from ("built-in data" or a folder).
    source: String,
    problems: Vec<DataError>,
    builder: SceneBuilder,
    /// Zone areas, computed when a panel first shows them.
    areas: details::AreaCache,
    /// Big layers' pyramids being built on other threads (the layers are left out of the
    /// index until theirs arrives).
    pyramid_jobs: Vec<(
        crate::model::LayerId,
        std::sync::mpsc::Receiver<Option<crate::index::clusters::PointPyramid>>,
    )>,
    /// How many pyramids came from other threads (for tests and the curious).
    pyramids_received: usize,
}

/// What the user picked: a feature (right panel), an industry (emphasised on the map), and the
/// map's highlight that follows from them.
#[derive(Default)]
struct Selection {
    selected: Option<FeatureRef>,
    industry: Option<String>,
    highlight: Highlight,
}

/// What the user set: the language, each layer's visibility and opacity, how positions are
/// copied, the bookmarks.
struct Settings {
    lang: Lang,
    layers: LayerSettings,
    coords: crate::coordinates::CoordStyle,
    /// The side panel is hidden (the map takes the window).
    panel_hidden: bool,
    /// The side's panes and how the user arranged them.
    dock: super::dock::Dock,
    /// The window's size, as last seen (remembered for the next start).
    window: Option<super::state::SavedWindow>,
}

/// The export dialog, the tours (and their presenter while one is shown).
struct Dialogs {
    export: ExportDialog,
    tours: TourShelf,
    presenter: Option<Presenter>,
    /// The view and interface scale from before the tour, given back when it ends.
    before_tour: Option<(Option<View>, f32)>,
    /// The full list of the data's problems is open.
    problems_open: bool,
    /// A user's layer's attribute table.
    table: Option<super::panels::attribute_table::AttributeTable>,
}

/// The basemap packages under the map, and the panel's path field.
struct BasemapShelf {
    list: Basemaps,
    panel: BasemapPanel,
}

/// The window's features that are rooms of their own, each with its state: one field each.
struct Features {
    help: super::features::help::Help,
    bookmarks: super::features::bookmarks::Bookmarks,
    what_is_here: super::features::what_is_here::WhatIsHere,
    corrections: super::features::corrections::Correcting,
}

pub struct AtlasApp {
    data: Data,
    camera: Camera,
    basemaps: BasemapShelf,
    /// The user's own layers' panel (the layers themselves are in the atlas).
    user_layers: UserLayerPanel,
    workspace: workspace::WorkspacePanel,
    selection: Selection,
    search: SearchBox,
    settings: Settings,
    persist: Persistence,
    dialogs: Dialogs,
    /// Measuring, "what is here", help and about.
    tools: tools::Tools,
    /// What the last actions did, over the map.
    messages: super::messages::MessageBar,
    /// The features that are rooms of their own (see [`super::features`]).
    features: Features,
    /// Stage times of the first frames, printed when asked for.
    timing: StartupTiming,
}

impl AtlasApp {
    /// The app over loaded data; `state_path` is where view, layers and language persist
    /// (`None`: nothing is read or written).
    pub fn new(
        ctx: &egui::Context,
        loaded: Loaded,
        data_source: String,
        state_path: Option<PathBuf>,
    ) -> Self {
        let builder = SceneBuilder::new(&loaded.atlas);
        Self::with_builder(ctx, loaded, builder, data_source, state_path)
    }

    /// The app over loaded data and a scene builder for it (made, and its first view's
    /// geometry prepared, while the window opens).
    pub fn with_builder(
        ctx: &egui::Context,
        loaded: Loaded,
        builder: SceneBuilder,
        data_source: String,
        state_path: Option<PathBuf>,
    ) -> Self {
        super::fonts::install(ctx);
        let origin = builder.origin();
        // A light interface, like the paper map beside it.
        ctx.set_theme(egui::Theme::Light);
        for problem in &loaded.problems {
            eprintln!("chengyu-atlas: {problem}");
        }
        let corrections_beside = state_path.clone();
        let persist = Persistence::open(state_path);
        let saved = persist.saved.clone();
        let tours = TourShelf::load(crate::paths::tours_dir());
        let mut app = Self {
            search: SearchBox::new(&loaded.atlas),
            data: Data {
                builder,
                atlas: loaded.atlas,
                source: data_source,
                problems: loaded.problems,
                areas: details::AreaCache::new(),
                pyramid_jobs: Vec::new(),
                pyramids_received: 0,
            },
            camera: Camera::default(),
            basemaps: BasemapShelf {
                list: Basemaps::empty(origin),
                panel: BasemapPanel::default(),
            },
            user_layers: UserLayerPanel::default(),
            workspace: workspace::WorkspacePanel::default(),
            selection: Selection::default(),
            settings: Settings {
                lang: Lang::default(),
                layers: LayerSettings::default(),
                coords: Default::default(),
                panel_hidden: false,
                dock: Default::default(),
                window: None,
            },
            persist,
            dialogs: Dialogs {
                export: ExportDialog::default(),
                tours,
                presenter: None,
                before_tour: None,
                problems_open: false,
                table: None,
            },
            tools: tools::Tools::default(),
            messages: Default::default(),
            features: Features {
                help: Default::default(),
                bookmarks: Default::default(),
                what_is_here: Default::default(),
                corrections: Default::default(),
            },
            timing: StartupTiming::default(),
        };
        app.apply_state(ctx, &saved, workspace::StateFrom::Remembered);
        let (corrections, problems, changed) = super::features::corrections::Correcting::load(
            corrections_beside.map(|state| crate::paths::corrections_beside(&state)),
            &mut app.data.atlas,
        );
        app.features.corrections = corrections;
        app.data.problems.extend(problems);
        if changed {
            app.data_changed();
        }
        app
    }

    /// Shows these basemap packages (`--basemap`) instead of the ones remembered: the first is
    /// the base, later ones overlays. One that cannot be opened is said in the basemap panel.
    pub fn with_basemap_files(mut self, ctx: &egui::Context, paths: &[PathBuf]) -> Self {
        if !paths.is_empty() {
            let mut list = Basemaps::empty(self.data.builder.origin());
            for path in paths {
                list.add(ctx, path);
            }
            self.basemaps.list = list;
        }
        self
    }

    /// Prints when the first frames are drawn (see [`StartupTiming`]).
    pub fn with_timing(mut self, timing: StartupTiming) -> Self {
        self.timing = timing;
        self
    }

    /// What the map draws besides the view: language, layers, highlight.
    fn scene_options(&self) -> SceneOptions {
        SceneOptions {
            lang: self.settings.lang,
            layers: self.settings.layers.clone(),
            highlight: self.selection.highlight.clone(),
            // The map view sets what it draws underneath: the basemaps and their tiles.
            basemap_below: false,
            vector_tiles: Default::default(),
            keep_clear: Vec::new(),
        }
    }
}

impl eframe::App for AtlasApp {
    /// Background work, once before each frame (and while the window is hidden): files read,
    /// pyramids built, handouts written, the state saved.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.background(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn on_exit(&mut self) {
        self.save_now();
    }
}

/// Files dropped on the window: data files (GeoJSON, CSV) are added as layers, in the datum
/// chosen in the layer panel; anything else is opened as a basemap package.
fn dropped_files(
    ctx: &egui::Context,
    datum: Option<crate::coordinates::datum::Datum>,
) -> Vec<Action> {
    use super::panels::basemaps::BasemapAction;
    use super::panels::user_layers::UserLayerAction;
    use crate::geodata::FileKind;
    ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|file| file.path().to_path_buf())
            .map(|path| match FileKind::of(&path) {
                Some(FileKind::Layer(_)) => Action::UserLayer(UserLayerAction::Add(path, datum)),
                Some(FileKind::Workspace) => {
                    Action::Workspace(workspace::WorkspaceAction::Open(path))
                }
                // Anything else is tried as a basemap, which says what is wrong with it.
                Some(FileKind::Basemap) | None => Action::Basemap(BasemapAction::Open(path)),
            })
            .collect()
    })
}

/// What the features may read of the window, from the parts of it they read (so that a feature
/// may change its own state while it reads them).
fn feature_ctx<'a>(
    data: &'a Data,
    settings: &Settings,
    camera: &Camera,
    selection: &Selection,
) -> super::features::Ctx<'a> {
    super::features::Ctx {
        atlas: &data.atlas,
        lang: settings.lang,
        view: camera.view(),
        map: camera.map_rect,
        selected: selection.selected,
        coords: settings.coords,
    }
}

pub fn window_title(lang: Lang) -> &'static str {
    lang.pick("成渝科创地图 Chengyu Atlas", "Chengyu Atlas 成渝科创地图")
}
