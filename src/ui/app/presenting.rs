//! Presenting from the window: starting and leaving a tour, one presenter frame, and the
//! tours panel's actions.

use eframe::egui::{self, Ui};

use super::AtlasApp;
use super::parts::BeforeTour;
use crate::tour::presenter::Presenter;
use crate::ui::action::TourAction;
use crate::ui::features::tours::TourShelf;
use crate::ui::map_view;
use crate::ui::presenter as view;

/// What a presenter frame may spend preparing the next flights' geometry.
const WARM_UP_BUDGET: std::time::Duration = std::time::Duration::from_millis(4);

impl AtlasApp {
    /// The presenter, while a tour is shown.
    pub fn presenter(&self) -> Option<&Presenter> {
        self.dialogs.presenter.as_ref()
    }

    /// The presenter's pen and ink.
    pub fn ink(&self) -> &crate::ui::presenter::Ink {
        &self.dialogs.ink
    }

    /// The tours (shipped and the user's), the chosen one, and their problems.
    pub fn tours(&mut self) -> &mut TourShelf {
        &mut self.features.tours
    }

    /// The stops' pictures of the presenter view.
    pub fn presenter_thumbnails(&self) -> &crate::ui::presenter::Thumbnails {
        &self.dialogs.thumbnails
    }

    /// Whether the presenter view is open.
    pub fn presenter_view_open(&self) -> bool {
        self.dialogs.presenter.is_some() && self.dialogs.presenter_view
    }

    /// Starts the chosen tour with the presenter view in a window of its own, the main window
    /// as it is (Alt+F5: a rehearsal on one screen).
    pub fn rehearse_tour(&mut self, ctx: &egui::Context) {
        self.begin_tour(ctx, Showing::Rehearsal);
    }

    /// Starts the chosen tour (F5): with two screens, the audience's view full screen on the
    /// projector and the presenter view full screen on the laptop; with one, the tour full
    /// screen, panels hidden.
    pub fn start_tour(&mut self, ctx: &egui::Context) {
        let tours = &self.features.tours;
        let showing = match tours.screens.stage(tours.projector.as_deref()) {
            Some(stage) => Showing::TwoScreens(stage),
            None => Showing::FullScreen,
        };
        self.begin_tour(ctx, showing);
    }

    fn begin_tour(&mut self, ctx: &egui::Context, showing: Showing) {
        let tours = &self.features.tours;
        let Some(tour) = tours.chosen().cloned().filter(|t| !t.stops.is_empty()) else {
            return;
        };
        for problem in crate::tour::check(&tour, &self.data.atlas) {
            eprintln!("chengyu-atlas: {problem}");
        }
        self.dialogs.presenter = Some(Presenter::new(tour, tours.reduced_motion));
        let projector = match showing {
            Showing::TwoScreens(stage) => tours.screens.monitors.get(stage.audience),
            _ => None,
        };
        self.dialogs.before_tour = Some(BeforeTour {
            view: self.camera.view(),
            zoom_factor: ctx.zoom_factor(),
            // In pixels: the interface's scale changes for the tour.
            position: projector
                .and_then(|_| ctx.input(|i| i.viewport().outer_rect))
                .map(|rect| rect.min * ctx.pixels_per_point()),
        });
        let projector_height = projector.map(|monitor| monitor.size[1] as f32);
        ctx.set_zoom_factor(presenter_zoom_factor(ctx, projector_height));
        match showing {
            Showing::FullScreen => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            }
            Showing::TwoScreens(stage) => {
                ctx.send_viewport_cmd(egui::ViewportCommand::SetMonitor(stage.audience));
                self.dialogs.presenter_view = true;
                self.dialogs.presenter_on = Some(stage.presenter);
            }
            Showing::Rehearsal => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
                self.dialogs.presenter_view = true;
            }
        }
    }

    /// Leaves the tour: the window as it was before F5 (its view, its scale, not full-screen).
    fn leave_tour(&mut self, ctx: &egui::Context) {
        // Ink drawn is not dropped without asking (as PowerPoint asks): it waits, each stroke
        // with its stop's title, for the answer.
        let ink = std::mem::take(&mut self.dialogs.ink);
        if let Some(presenter) = &self.dialogs.presenter {
            let mut stops: Vec<_> = ink.strokes.into_iter().collect();
            stops.sort_by_key(|(stop, _)| *stop);
            for (stop, strokes) in stops {
                let title = presenter
                    .tour
                    .stops
                    .get(stop)
                    .map(|s| s.title.clone())
                    .unwrap_or_default();
                for stroke in strokes {
                    self.dialogs.ink_left.push((title.clone(), stroke));
                }
            }
        }
        self.dialogs.presenter = None;
        self.dialogs.presenter_view = false;
        self.dialogs.presenter_on = None;
        self.dialogs.thumbnails = Default::default();
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        if let Some(before) = self.dialogs.before_tour.take() {
            ctx.set_zoom_factor(before.zoom_factor);
            // Back from the projector to where the window stood (in this frame's points: the
            // scale from before the tour comes back with the next frame).
            if let Some(pixels) = before.position {
                let points = egui::pos2(pixels.x, pixels.y) / ctx.pixels_per_point();
                ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(points));
            }
            if let Some(view) = before.view {
                self.camera.zoom_goal = None;
                self.camera.go(&view);
            }
        }
    }

    /// One frame of presenter mode: keys, motion, the map with the stop's spotlight, overlays.
    pub(super) fn present(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let now = ui.input(|i| i.time);
        let lang = self.settings.lang;
        let screen = ctx.content_rect();
        let size = [screen.width(), screen.height()];
        let atlas = &self.data.atlas;
        let Some(presenter) = self.dialogs.presenter.as_mut() else {
            return;
        };
        // The pen's keys first: Ctrl+P is not P (the previous stop).
        let camera = &self.camera;
        let to_map = |pos: egui::Pos2| {
            let rect = camera.map_rect?;
            let at = pos - rect.min;
            Some(camera.view()?.unproject([at.x, at.y]))
        };
        self.dialogs.ink.handle(&ctx, presenter.index(), to_map);
        // The presenter view's own keys and choices count as the main window's: the clicker
        // works whichever window has the focus, and Esc ends both.
        let mut asked = view::commands(ui);
        // The projector unplugged mid-tour: the tour goes on full screen on the screen left,
        // the presenter view closed (as PowerPoint does).
        let tours = &self.features.tours;
        if self.dialogs.presenter_on.is_some()
            && tours.screens.stage(tours.projector.as_deref()).is_none()
        {
            self.dialogs.presenter_on = None;
            self.dialogs.presenter_view = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
        if self.dialogs.presenter_view {
            let here = presenter.index();
            let wanted = [here + 1, here];
            (self.dialogs.thumbnails).update(&ctx, atlas, &presenter.tour, &wanted, lang);
            let on = self.dialogs.presenter_on;
            let asks =
                view::presenter_view(&ctx, presenter, &self.dialogs.thumbnails, on, lang, now);
            asked.extend(asks.commands);
            if asks.closed {
                self.dialogs.presenter_view = false;
            }
            // Its timer and clock move on.
            ctx.request_repaint_after(std::time::Duration::from_millis(500));
        }
        for command in asked {
            if !presenter.apply(command, now, atlas, size) {
                self.leave_tour(&ctx);
                return;
            }
        }
        let (set, cover) = presenter.advance(now, atlas, size);
        if let Some(set) = &set {
            self.camera.go(set);
        }
        let options = presenter.scene_options(atlas, lang);
        egui::CentralPanel::no_frame().show(ui, |ui| {
            map_view::show(
                ui,
                atlas,
                &mut self.data.builder,
                &mut self.camera,
                &mut self.basemaps.layers,
                options,
                map_view::MapMode::Present,
                map_view::MapChrome::default(),
            )
        });
        let shown = self.camera.view();
        // The presenter panned or zoomed: their view stays until a key moves on (R: back).
        if let (Some(set), Some(now_shown)) = (set, shown)
            && ((set.center[0] - now_shown.center[0]).abs() > 1e-9
                || (set.center[1] - now_shown.center[1]).abs() > 1e-9
                || (set.zoom - now_shown.zoom).abs() > 1e-9)
        {
            presenter.take_over(now_shown);
        }
        view::overlay(presenter, &ctx, atlas, lang, cover, self.dialogs.ink.pen);
        let camera = &self.camera;
        (self.dialogs.ink).draw(&ctx, presenter.index(), |at| camera.screen_position(at));
        // Between flights, prepare the next ones' geometry a few milliseconds a frame.
        let warming = !presenter.flying()
            && presenter.warm_up(&mut self.data.builder, atlas, lang, size, WARM_UP_BUDGET);
        // Every frame only while something moves; otherwise as seldom as the clock allows (a
        // presenter's laptop is often on battery).
        if presenter.flying() {
            ctx.request_repaint();
        } else if warming {
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        } else if presenter.autoplay() || presenter.hints_shown(now) {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    pub(super) fn tour_action(&mut self, action: TourAction, ctx: &egui::Context) {
        if action == TourAction::Present {
            self.start_tour(ctx);
            return;
        }
        if action == TourAction::Rehearse {
            self.rehearse_tour(ctx);
            return;
        }
        self.with_features(|features, cx| features.tours.apply(action, cx));
    }
}

/// How a tour is shown.
#[derive(Debug, Clone, Copy)]
enum Showing {
    /// F5 on one screen: the tour full screen where the window is.
    FullScreen,
    /// F5 on two: the audience's view on one monitor, the presenter view on the other.
    TwoScreens(crate::ui::screens::Stage),
    /// Alt+F5: the tour in the window as it is, the presenter view in a window beside it.
    Rehearsal,
}

/// The interface scale while presenting: the map's smallest labels (11.5 points) at least 20
/// pixels on a 1080-line screen, and as large for its height on any other (the projector's,
/// `projector_height` pixels, else the window's monitor); never smaller than the window's own.
fn presenter_zoom_factor(ctx: &egui::Context, projector_height: Option<f32>) -> f32 {
    /// Pixels a point is worth on a 1080-line projector.
    const PIXELS_PER_POINT_AT_1080: f32 = 1.75;
    let native = ctx.native_pixels_per_point().unwrap_or(1.0);
    let screen = ctx.input(|i| i.viewport().monitor_size).map_or(
        ctx.content_rect().height() * ctx.pixels_per_point() / native,
        |m| m.y,
    );
    let height_px = projector_height.unwrap_or(screen * native);
    (height_px / 1080.0 * PIXELS_PER_POINT_AT_1080).max(native) / native
}

impl AtlasApp {
    /// After a tour with ink: "Keep the ink?" — kept, each stroke is a line of the sketch
    /// layer (one step of the history, named), described by its stop; discarded, it is gone.
    pub(super) fn ask_to_keep_ink(&mut self, ctx: &egui::Context) {
        if self.dialogs.ink_left.is_empty() {
            return;
        }
        let lang = self.lang();
        let mut answer = None;
        let count = self.dialogs.ink_left.len();
        egui::Modal::new(egui::Id::unique("keep-the-ink")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading(lang.pick("保留墨迹注释？", "Keep your ink annotations?"));
            ui.label(match lang {
                crate::model::Lang::Zh => format!("导览中画了 {count} 笔墨迹。保留则作为线要素存入草图图层，可编辑、保存和导出。"),
                crate::model::Lang::En => format!("{count} strokes of ink were drawn in the tour. Kept, they go into the sketch layer as lines, to edit, save and export."),
            });
            ui.horizontal(|ui| {
                if ui.button(lang.pick("保留", "Keep")).clicked() {
                    answer = Some(true);
                }
                if ui.button(lang.pick("放弃", "Discard")).clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => self.keep_ink(),
            Some(false) => self.dialogs.ink_left.clear(),
            None => {}
        }
    }

    fn keep_ink(&mut self) {
        let lang = self.lang();
        let strokes = std::mem::take(&mut self.dialogs.ink_left);
        let layer = self.sketch_layer();
        let Some(info) = self.data.atlas.user_layer(layer) else {
            return;
        };
        let start = self.data.atlas.layer(layer).map_or(0, |l| l.features.len());
        let description = info.field_index("description");
        let edits: Vec<_> = strokes
            .into_iter()
            .enumerate()
            .map(|(n, (stop, stroke))| {
                let name = format!("{} {}", lang.pick("墨迹", "Ink"), n + 1);
                let shape = crate::model::Shape::Lines(geo::MultiLineString::new(vec![
                    geo::LineString::new(stroke),
                ]));
                let mut feature = crate::geodata::user::drawn_feature(info, &name, shape);
                if let (Some(column), crate::model::FeatureKind::User(user)) =
                    (description, &mut feature.kind)
                {
                    user.values.set(column, stop.get(lang));
                }
                crate::model::edit::FeatureEdit {
                    layer,
                    index: (start + n) as u32,
                    before: None,
                    after: Some(feature),
                }
            })
            .collect();
        let count = edits.len();
        let kept = self.commit(crate::model::Text::new("保留墨迹", "Keep ink"), edits);
        if kept {
            let what = format!(
                "{count} {}",
                lang.pick("笔墨迹已保留", "strokes of ink kept")
            );
            self.say_gone_into(what, layer);
        }
    }
}
