//! The window: the menu bar and the search box at the top, the docked panes on the left, the
//! status bar at the bottom, the selected feature's panel on the right, the map in the middle.
//! The app holds the document (the data and what is built from it), the camera, the selection
//! and the features; its state is kept in groups (`parts.rs`), each part of the window borrows
//! only what it needs and returns what the user asked for, and the asks are applied after
//! drawing, in one place (`actions.rs`).

mod accessors;
mod actions;
mod drawing;
mod editing;
mod exporting;
mod frame;
mod menu;
mod parts;
mod persist;
mod presenting;
mod recovery;
mod side_panel;
mod tools;
mod user_layers;
mod workspace;

use std::path::PathBuf;

use egui::Ui;

pub use crate::ui::action::Action;
pub use frame::window_title;
use persist::Persistence;
pub use side_panel::{details_widths, side_widths};
pub use workspace::WorkspaceAction;

use super::basemap::Basemaps;
use super::camera::Camera;
use super::features::search::SearchBox;
use super::features::tours::TourShelf;
use super::panels::details;
use super::startup::StartupTiming;
use crate::geodata::Loaded;
use crate::model::Lang;
use crate::render::{LayerSettings, SceneBuilder};
use parts::{Data, Dialogs, Features, Selection, Settings};

pub struct AtlasApp {
    data: Data,
    camera: Camera,
    /// The basemap packages under the map, the base first.
    basemaps: Basemaps,
    selection: Selection,
    settings: Settings,
    persist: Persistence,
    dialogs: Dialogs,
    /// The selection before a click, for a double-click to give back.
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
        let search = SearchBox::new(&loaded.atlas);
        let mut app = Self {
            data: Data {
                builder,
                atlas: loaded.atlas,
                source: data_source,
                problems: loaded.problems,
                areas: details::AreaCache::new(),
                pyramid_jobs: Vec::new(),
                pyramids_received: 0,
                filed: Vec::new(),
            },
            camera: Camera::default(),
            basemaps: Basemaps::empty(origin),
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
                presenter: None,
                presenter_view: false,
                thumbnails: Default::default(),
                before_tour: None,
                presenter_on: None,
                problems_open: false,
                ink: Default::default(),
                ink_left: Vec::new(),
            },
            tools: tools::Tools::default(),
            messages: Default::default(),
            features: Features {
                help: Default::default(),
                basemaps: Default::default(),
                bookmarks: Default::default(),
                what_is_here: Default::default(),
                corrections: Default::default(),
                database: Default::default(),
                export: Default::default(),
                tours,
                measuring: Default::default(),
                drawing: Default::default(),
                editing: Default::default(),
                search,
                user_layers: Default::default(),
                workspace: Default::default(),
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
        app.recover_edits();
        app.raise_kept_banners();
        app
    }

    /// A banner for each file of the user's kept aside since the last frame (the state, the
    /// corrections, tours), so that none is dropped in silence.
    pub(super) fn raise_kept_banners(&mut self) {
        let kept = self
            .persist
            .kept
            .take()
            .into_iter()
            .chain(self.features.corrections.kept.take())
            .chain(self.features.tours.kept.drain(..));
        for kept in kept.collect::<Vec<_>>() {
            self.messages.kept_aside(kept);
        }
    }

    /// Shows these basemap packages (`--basemap`) instead of the ones remembered: the first is
    /// the base, later ones overlays. One that cannot be opened is said in the basemap panel.
    pub fn with_basemap_files(mut self, ctx: &egui::Context, paths: &[PathBuf]) -> Self {
        if !paths.is_empty() {
            let mut list = Basemaps::empty(self.data.builder.origin());
            for path in paths {
                list.add(ctx, path);
            }
            self.basemaps = list;
        }
        self
    }

    /// Prints when the first frames are drawn (see [`StartupTiming`]).
    pub fn with_timing(mut self, timing: StartupTiming) -> Self {
        self.timing = timing;
        self
    }
}

impl eframe::App for AtlasApp {
    /// Background work, once before each frame (and while the window is hidden): files read,
    /// pyramids built, handouts written, the state saved.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.background(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, frame: &mut eframe::Frame) {
        if let Some(window) = frame.winit_window() {
            let now = ui.input(|i| i.time);
            self.features.tours.screens.refresh(window, now);
        }
        self.frame(ui);
    }

    fn on_exit(&mut self) {
        self.save_now();
    }
}
