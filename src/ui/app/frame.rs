//! One frame of the window: the menu bar, the side, the status bar, the feature's panel and
//! the map laid out; what the user asked for in any of them applied once, after drawing; the
//! floating windows; and, before the frame, the background work.

use egui::Ui;

use super::{Action, AtlasApp, side_widths};
use crate::model::Lang;
use crate::render::SceneOptions;
use crate::ui::map_view::{self, MapAction};
use crate::ui::panels::status;

impl AtlasApp {
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

    /// The work done off the frame (and while the window is hidden): layers read and pyramids
    /// built on other threads picked up, a handout's outcome said, the state saved.
    pub(super) fn background(&mut self, ctx: &egui::Context) {
        self.poll_layers();
        self.basemaps.poll_opening(ctx);
        self.follow_database_layers(ctx);
        self.poll_pyramids(ctx);
        // The features' background work, from the same read-only context as their panes.
        let asked: Vec<Action> = self.with_features(|features, cx| {
            features
                .all()
                .into_iter()
                .flat_map(|feature| feature.poll(ctx, cx))
                .collect()
        });
        for action in asked {
            self.apply(action, ctx);
        }
        self.raise_kept_banners();
        self.save_every_few_seconds();
    }

    /// One frame.
    pub(super) fn frame(&mut self, ui: &mut Ui) {
        if self.timing.frame() {
            ui.ctx().request_repaint();
        }
        // Drawn in the datum of the basemap underneath, so that the zones meet its streets.
        self.camera.set_datum(self.basemaps.datum());
        if self.dialogs.presenter.is_some() {
            self.present(ui);
            return;
        }
        self.ask_before_closing(ui.ctx());
        self.ask_to_keep_ink(ui.ctx());
        self.ask_before_removing(ui.ctx());
        let lang_before = self.settings.lang;
        let mut asked: Vec<Action> = Vec::new();
        self.camera.max_zoom = Some(crate::ui::camera::zoom_limit(self.basemaps.deepest_zoom()));
        // Keys first, so that they act on the map before a panel takes the keyboard.
        asked.extend(self.map_keys(ui.ctx()));
        self.fit_window(ui.ctx());
        asked.extend(self.panels(ui));
        asked.extend(self.map_panel(ui));
        asked.extend(dropped_files(
            ui.ctx(),
            self.features.user_layers.panel.datum,
        ));
        asked.extend(self.shortcuts(ui.ctx()));
        for action in asked {
            self.apply(action, ui.ctx());
        }
        self.windows(ui.ctx());
        if self.settings.lang != lang_before {
            // Arrow labels are in the interface language.
            self.select(self.selection.selected, false);
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(
                window_title(self.settings.lang).into(),
            ));
        }
        if self.timing.enabled() && self.camera.last_scene.is_some() {
            self.timing.drawn();
        }
    }

    /// The panels around the map: the menu bar, the side, the status bar, the feature's panel.
    fn panels(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut asked = Vec::new();
        let lang = self.settings.lang;
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
                    measuring: (self.features.drawing.status(self.settings.lang))
                        .or_else(|| self.features.measuring.status(self.settings.lang)),
                },
                lang,
                &self.basemaps.attributions(lang),
            );
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            asked.push(Action::ClearAll);
        }
        asked.extend(self.details_panel(ui));
        asked
    }

    /// The map in the space left.
    fn map_panel(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut asked = Vec::new();
        let options = self.scene_options();
        let moving = self.features.corrections.moving();
        let editing = (self.selection.selected)
            .filter(|f| self.editable(*f) && !self.features.drawing.is_on());
        let chrome = map_view::MapChrome {
            coords: self.settings.coords,
            can_go_back: self.camera.history.can_go_back(),
            can_go_forward: self.camera.history.can_go_forward(),
            panel_shown: !self.settings.panel_hidden,
            drawing: self.features.drawing.is_on(),
            tool: self.features.drawing.tool,
            snap_points: self.features.drawing.snap_points(),
        };
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let data = &mut self.data;
            if !std::mem::replace(&mut self.camera.laid_out, true) {
                map_view::unseen_first_frame(ui, &data.atlas, &mut self.camera);
                return;
            }
            let measured = (self.features.drawing.sketch.as_ref()).or(self
                .features
                .measuring
                .measurement
                .as_ref());
            // A point of a layer kept as columns is made for the view: held here.
            let stored_shape = editing.and_then(|feature| data.atlas.shape(feature));
            let edit = editing.and_then(|feature| {
                let edits = &self.features.editing;
                let dragged = edits.dragged().filter(|(f, _)| *f == feature);
                Some(crate::ui::map_edit::EditView {
                    feature,
                    shape: match dragged {
                        Some((_, shape)) => shape,
                        None => stored_shape.as_deref()?,
                    },
                    vertex: edits.vertex,
                    dragging: edits.drag.as_ref().map(|d| d.grip),
                })
            });
            let mode = match (moving, measured, edit) {
                (Some(at), _, _) => map_view::MapMode::Correct(at),
                (None, Some(measurement), _) => map_view::MapMode::Measure(measurement),
                (None, None, Some(edit)) => map_view::MapMode::Edit(edit),
                (None, None, None) => map_view::MapMode::Explore,
            };
            let actions = map_view::show(
                ui,
                &data.atlas,
                &mut data.builder,
                &mut self.camera,
                &mut self.basemaps.layers,
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
        asked
    }

    /// The floating windows, and the message bar over the map.
    fn windows(&mut self, ctx: &egui::Context) {
        // The features' windows, each from the same read-only context; what they ask for is
        // carried out after all of them are drawn.
        let asked: Vec<Action> = self.with_features(|features, cx| {
            features
                .all()
                .into_iter()
                .flat_map(|feature| feature.windows(ctx, cx))
                .collect()
        });
        for action in asked {
            self.apply(action, ctx);
        }
        if let Some(map) = self.camera.map_rect {
            self.messages.show(ctx, map, self.settings.lang);
        }
        if self.dialogs.problems_open {
            crate::ui::panels::layers::problems_window(
                ctx,
                &mut self.dialogs.problems_open,
                self.settings.lang,
                &self.data.problems,
            );
        }
    }
}

/// Files dropped on the window: data files (GeoJSON, CSV) are added as layers, in the datum
/// chosen in the layer panel; anything else is opened as a basemap package.
fn dropped_files(
    ctx: &egui::Context,
    datum: Option<crate::coordinates::datum::Datum>,
) -> Vec<Action> {
    use crate::geodata::FileKind;
    use crate::ui::action::BasemapAction;
    use crate::ui::panels::user_layers::UserLayerAction;
    ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|file| file.path().to_path_buf())
            .flat_map(|path| {
                let kinds = FileKind::opened_as(&path);
                // Anything else is tried as a basemap, which says what is wrong with it.
                let kinds = if kinds.is_empty() {
                    vec![FileKind::Basemap]
                } else {
                    kinds
                };
                kinds.into_iter().map(move |kind| match kind {
                    FileKind::Layer(_) => {
                        Action::UserLayer(UserLayerAction::Add(path.clone(), datum))
                    }
                    FileKind::Workspace => {
                        Action::Workspace(crate::ui::action::WorkspaceAction::Open(path.clone()))
                    }
                    FileKind::Basemap => Action::Basemap(BasemapAction::Open(path.clone())),
                })
            })
            .collect()
    })
}

pub fn window_title(lang: Lang) -> &'static str {
    lang.pick("成渝科创地图 Chengyu Atlas", "Chengyu Atlas 成渝科创地图")
}
