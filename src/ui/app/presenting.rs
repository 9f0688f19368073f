//! Presenting from the window: starting and leaving a tour, one presenter frame, and the
//! tours panel's actions.

use eframe::egui::{self, Ui};

use super::AtlasApp;
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

    /// Starts the chosen tour full-screen, panels hidden.
    pub fn start_tour(&mut self, ctx: &egui::Context) {
        let tours = &self.features.tours;
        let Some(tour) = tours.chosen().cloned().filter(|t| !t.stops.is_empty()) else {
            return;
        };
        for problem in crate::tour::check(&tour, &self.data.atlas) {
            eprintln!("chengyu-atlas: {problem}");
        }
        self.dialogs.presenter = Some(Presenter::new(tour, tours.reduced_motion));
        self.dialogs.before_tour = Some((self.camera.view(), ctx.zoom_factor()));
        ctx.set_zoom_factor(presenter_zoom_factor(ctx));
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    /// Leaves the tour: the window as it was before F5 (its view, its scale, not full-screen).
    fn leave_tour(&mut self, ctx: &egui::Context) {
        self.dialogs.presenter = None;
        self.dialogs.ink = Default::default();
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        if let Some((view, zoom_factor)) = self.dialogs.before_tour.take() {
            ctx.set_zoom_factor(zoom_factor);
            if let Some(view) = view {
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
        for command in view::commands(ui) {
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
        self.with_features(|features, cx| features.tours.apply(action, cx));
    }
}

/// The interface scale while presenting: the map's smallest labels (11.5 points) at least 20
/// pixels on a 1080-line screen, and as large for its height on any other; never smaller than
/// the window's own.
fn presenter_zoom_factor(ctx: &egui::Context) -> f32 {
    /// Pixels a point is worth on a 1080-line projector.
    const PIXELS_PER_POINT_AT_1080: f32 = 1.75;
    let native = ctx.native_pixels_per_point().unwrap_or(1.0);
    let screen = ctx.input(|i| i.viewport().monitor_size).map_or(
        ctx.content_rect().height() * ctx.pixels_per_point() / native,
        |m| m.y,
    );
    let height_px = screen * native;
    (height_px / 1080.0 * PIXELS_PER_POINT_AT_1080).max(native) / native
}
