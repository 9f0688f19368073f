//! The window: the menu bar and the search box at the top, the docked panes on the left, the
//! status bar at the bottom, the selected feature's panel on the right, the map in the middle. The app's state is kept in groups —
//! the data, the camera, the selection, the search box, the user's settings, what is
//! remembered between runs, and the dialogs — and each part of the window borrows only what it
//! needs and returns what the user asked for; the asks are applied after drawing.

mod actions;
mod corrections;
mod exporting;
mod menu;
mod persist;
mod presenting;
mod side_panel;
mod tools;
mod user_layers;
mod workspace;

use std::path::PathBuf;

use egui::Ui;

pub use actions::Action;
use persist::Persistence;
pub use side_panel::{details_widths, side_widths};

use super::basemap::Basemaps;
use super::camera::{Camera, Fit};
use super::export_dialog::ExportDialog;
use super::map_view::{self, MapAction};
use super::panels::basemaps::BasemapPanel;
use super::panels::user_layers::UserLayerPanel;
use super::panels::{details, search::SearchBox, status};
use super::startup::StartupTiming;
use super::tours::TourShelf;
use crate::geodata::{DataError, Loaded};
use crate::model::{Atlas, FeatureRef, Lang};
use crate::render::{Highlight, LayerSettings, Scene, SceneBuilder, SceneOptions, View};
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
    bookmarks: Vec<crate::document::Bookmark>,
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

pub struct AtlasApp {
    data: Data,
    camera: Camera,
    basemaps: BasemapShelf,
    /// The user's own layers' panel (the layers themselves are in the atlas).
    user_layers: UserLayerPanel,
    workspace: workspace::WorkspacePanel,
    corrections: corrections::CorrectionShelf,
    selection: Selection,
    search: SearchBox,
    settings: Settings,
    persist: Persistence,
    dialogs: Dialogs,
    /// Measuring, "what is here", help and about.
    tools: tools::Tools,
    /// What the last actions did, over the map.
    messages: super::messages::MessageBar,
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
        let mut camera = Camera::default();
        match &saved.view {
            Some(view) => camera.restore(view),
            None => camera.pending_fit = Some(Fit::Corridor),
        }
        let tours =
            TourShelf::load(crate::paths::tours_dir()).with_reduced_motion(saved.reduced_motion);
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
            camera,
            basemaps: BasemapShelf {
                list: Basemaps::open(ctx, &saved.basemaps, origin),
                panel: BasemapPanel::default(),
            },
            user_layers: UserLayerPanel::default(),
            workspace: workspace::WorkspacePanel::default(),
            corrections: corrections::CorrectionShelf::default(),
            selection: Selection::default(),
            settings: Settings {
                lang: saved.lang,
                layers: saved.layers,
                coords: saved.coords,
                bookmarks: saved.bookmarks,
                panel_hidden: saved.panel_hidden,
                dock: saved
                    .dock
                    .and_then(|dock| serde_json::from_value::<super::dock::Dock>(dock).ok())
                    .map(super::dock::Dock::repaired)
                    .unwrap_or_default(),
                window: saved.window,
            },
            persist,
            dialogs: Dialogs {
                export: saved
                    .export
                    .as_ref()
                    .map_or_else(ExportDialog::default, ExportDialog::restored),
                tours,
                presenter: None,
                before_tour: None,
                problems_open: false,
                table: None,
            },
            tools: tools::Tools::default(),
            messages: Default::default(),
            timing: StartupTiming::default(),
        };
        app.load_corrections(corrections_beside.as_deref());
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

    /// Moves the map to a longitude/latitude and zoom (for tours, tests and benchmarks).
    pub fn go_to(&mut self, center: geo::Coord, zoom: f64) {
        let size = self.camera.view().map_or([1280.0, 800.0], |v| v.size);
        self.camera.go(&View::new(center, zoom, size));
    }

    /// The basemap packages, bottom first.
    pub fn basemaps(&self) -> &Basemaps {
        &self.basemaps.list
    }

    /// Prints when the first frames are drawn (see [`StartupTiming`]).
    pub fn with_timing(mut self, timing: StartupTiming) -> Self {
        self.timing = timing;
        self
    }

    /// Where a lon/lat position is on screen (for tests and tours).
    pub fn screen_position(&self, lonlat: geo::Coord) -> Option<egui::Pos2> {
        self.camera.screen_position(lonlat)
    }

    /// The atlas the app shows.
    pub fn atlas(&self) -> &Atlas {
        &self.data.atlas
    }

    /// The selected feature, if any.
    pub fn selected(&self) -> Option<FeatureRef> {
        self.selection.selected
    }

    /// The industry chosen in the search or a panel, if any.
    pub fn industry(&self) -> Option<&str> {
        self.selection.industry.as_deref()
    }

    /// The features the map emphasises for the chosen industry.
    pub fn emphasised(&self) -> &[FeatureRef] {
        &self.selection.highlight.emphasised
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    /// The map's current view, once the map has been laid out.
    pub fn view(&self) -> Option<View> {
        self.camera.view()
    }

    pub fn layers(&self) -> &LayerSettings {
        &self.settings.layers
    }

    /// The spatial index the map hit-tests and lists features with.
    pub fn index(&self) -> &crate::index::SpatialIndex {
        self.data.builder.index()
    }

    /// What is being measured, while the measuring tool is on.
    pub fn measurement(&self) -> Option<&crate::measure::Measurement> {
        self.tools.measurement.as_ref()
    }

    /// How positions are copied and shown.
    pub fn coord_style(&self) -> crate::coordinates::CoordStyle {
        self.settings.coords
    }

    /// The features "what is here" lists, while its window is open.
    pub fn hit_list(&self) -> Option<&[FeatureRef]> {
        self.tools
            .hit_list
            .as_ref()
            .map(|list| list.hits.as_slice())
    }

    /// The user's bookmarks.
    pub fn bookmarks(&self) -> &[crate::document::Bookmark] {
        &self.settings.bookmarks
    }

    /// The scene the map drew in the last frame.
    pub fn last_scene(&self) -> Option<&Scene> {
        self.camera.last_scene.as_ref()
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
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        if self.timing.frame() {
            ui.ctx().request_repaint();
        }
        // Drawn in the datum of the basemap underneath, so that the zones meet its streets.
        self.camera.set_datum(self.basemaps.list.datum());
        if self.dialogs.presenter.is_some() {
            self.present(ui);
            return;
        }
        let lang_before = self.settings.lang;
        let mut asked: Vec<Action> = Vec::new();
        self.camera.max_zoom = Some(super::camera::zoom_limit(self.basemaps.list.deepest_zoom()));
        // Keys first, so that they act on the map before a panel takes the keyboard.
        asked.extend(self.map_keys(ui.ctx()));
        self.fit_window(ui.ctx());
        egui::Panel::top("menu-bar").show(ui, |ui| asked.extend(self.top_bar(ui)));
        // On a small screen the panels start narrower (and the side panel can be hidden); they
        // keep the width the user drags them to, within limits.
        let (side_width, side_range) = side_widths(ui.ctx().content_rect().width());
        if !self.settings.panel_hidden {
            egui::Panel::left("layers")
                .resizable(true)
                .default_size(side_width)
                .size_range(side_range)
                .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(0))
                .show(ui, |ui| asked.extend(self.side_panel(ui)));
        }
        egui::Panel::bottom("status").show(ui, |ui| {
            let zoom = self.camera.memory.zoom();
            status::show(
                ui,
                status::Status {
                    cursor: self.camera.cursor,
                    view: self.camera.view(),
                    zoom,
                    coords: self.settings.coords,
                    measuring: self.measure_status(),
                },
                lang_before,
                &self.basemaps.list.attributions(lang_before),
            );
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            asked.push(Action::ClearAll);
        }
        asked.extend(self.details_panel(ui));
        let options = self.scene_options();
        let moving = self.moving();
        let chrome = map_view::MapChrome {
            coords: self.settings.coords,
            can_go_back: self.camera.history.can_go_back(),
            can_go_forward: self.camera.history.can_go_forward(),
            panel_shown: !self.settings.panel_hidden,
        };
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let data = &mut self.data;
            if !std::mem::replace(&mut self.camera.laid_out, true) {
                map_view::unseen_first_frame(ui, &data.atlas, &mut self.camera);
                return;
            }
            let mode = match (moving, &self.tools.measurement) {
                (Some(at), _) => map_view::MapMode::Correct(at),
                (None, Some(measurement)) => map_view::MapMode::Measure(measurement),
                (None, None) => map_view::MapMode::Explore,
            };
            let actions = map_view::show(
                ui,
                &data.atlas,
                &mut data.builder,
                &mut self.camera,
                &mut self.basemaps.list.layers,
                options,
                mode,
                chrome,
            );
            asked.extend(
                actions
                    .into_iter()
                    .filter(|a| moving.is_none() || !matches!(a, MapAction::Clicked(_)))
                    .map(Action::from),
            );
        });
        asked.extend(dropped_files(ui.ctx(), self.user_layers.datum));
        asked.extend(self.shortcuts(ui.ctx()));
        asked.extend(self.workspace_window(ui.ctx()).map(Action::Workspace));
        for action in asked {
            self.apply(action, ui.ctx());
        }
        self.dialogs.tours.poll(self.settings.lang);
        // What a save or a handout did goes to the message bar, in view wherever it was asked
        // (below the stop list it was out of sight).
        if let Some((ok, message)) = self.dialogs.tours.message.take() {
            self.messages.say(message, !ok);
        }
        if self.dialogs.tours.busy() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        self.export_window(ui.ctx());
        self.attribute_table(ui.ctx());
        self.table_preview(ui.ctx());
        self.correction_window(ui.ctx());
        if let Some(action) = self.hit_list_window(ui.ctx()) {
            self.apply(action, ui.ctx());
        }
        self.help_window(ui.ctx());
        self.about_window(ui.ctx());
        self.outline_window(ui.ctx());
        if let Some(map) = self.camera.map_rect {
            self.messages.show(ui.ctx(), map, self.settings.lang);
        }
        self.poll_layers(ui.ctx());
        self.poll_pyramids(ui.ctx());
        if self.dialogs.problems_open {
            super::panels::layers::problems_window(
                ui.ctx(),
                &mut self.dialogs.problems_open,
                self.settings.lang,
                &self.data.problems,
            );
        }
        if self.settings.lang != lang_before {
            // Arrow labels are in the interface language.
            self.select(self.selection.selected, false);
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(
                window_title(self.settings.lang).into(),
            ));
        }
        self.save_every_few_seconds();
        if self.timing.enabled() && self.camera.last_scene.is_some() {
            self.timing.drawn();
        }
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

pub fn window_title(lang: Lang) -> &'static str {
    lang.pick("成渝科创地图 Chengyu Atlas", "Chengyu Atlas 成渝科创地图")
}
