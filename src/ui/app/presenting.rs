//! Presenting from the window: starting and leaving a tour, one presenter frame, and the
//! tours panel's actions.

use eframe::egui::{self, Ui};

use walkers::lon_lat;

use super::AtlasApp;
use crate::ui::presenter::Presenter;
use crate::ui::tours::{TourAction, TourShelf};

impl AtlasApp {
    /// The presenter, while a tour is shown.
    pub fn presenter(&self) -> Option<&Presenter> {
        self.presenter.as_ref()
    }

    /// The tours (shipped and the user's), the chosen one, and their problems.
    pub fn tours(&mut self) -> &mut TourShelf {
        &mut self.tours
    }

    /// Starts the chosen tour full-screen, panels hidden.
    pub fn start_tour(&mut self, ctx: &egui::Context) {
        let Some(tour) = self.tours.chosen().cloned().filter(|t| !t.stops.is_empty()) else {
            return;
        };
        for problem in crate::tour::check(&tour, &self.atlas) {
            eprintln!("chengyu-atlas: {problem}");
        }
        self.presenter = Some(Presenter::new(tour, self.tours.reduced_motion));
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    fn leave_tour(&mut self, ctx: &egui::Context) {
        self.presenter = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// One frame of presenter mode: keys, motion, the map with the stop's spotlight, overlays.
    pub(super) fn present(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let now = ui.input(|i| i.time);
        let lang = self.options.lang;
        let screen = ctx.content_rect();
        let size = [screen.width(), screen.height()];
        let Some(presenter) = self.presenter.as_mut() else {
            return;
        };
        for command in presenter.commands(ui) {
            if !presenter.apply(command, now, &self.atlas, size) {
                self.leave_tour(&ctx);
                return;
            }
        }
        let (view, cover) = presenter.advance(now, &self.atlas, size);
        if let Some(view) = view {
            self.memory
                .center_at(lon_lat(view.center[0], view.center[1]));
            let _ = self.memory.set_zoom(view.zoom);
        }
        let options = presenter.scene_options(&self.atlas, lang);
        egui::CentralPanel::no_frame().show(ui, |ui| self.map(ui, options, true));
        let shown = self.view();
        let Some(presenter) = self.presenter.as_mut() else {
            return;
        };
        // The presenter panned or zoomed: their view stays until a key moves on (R: back).
        if let (Some(set), Some(now_shown)) = (view, shown)
            && ((set.center[0] - now_shown.center[0]).abs() > 1e-9
                || (set.center[1] - now_shown.center[1]).abs() > 1e-9
                || (set.zoom - now_shown.zoom).abs() > 1e-9)
        {
            presenter.take_over(now_shown);
        }
        presenter.overlay(&ctx, &self.atlas, lang, cover);
        // Between flights, prepare the next ones' geometry a few milliseconds a frame.
        let warming = !presenter.flying()
            && presenter.warm_up(
                &mut self.builder,
                &self.atlas,
                lang,
                size,
                std::time::Duration::from_millis(4),
            );
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
        let lang = self.options.lang;
        match action {
            TourAction::Present => self.start_tour(ctx),
            TourAction::New | TourAction::AddStop => {
                if action == TourAction::New {
                    self.tours.new_tour();
                }
                let Some(view) = self.last_scene.as_ref().map(|s| s.view) else {
                    return;
                };
                let selected = self
                    .selected
                    .and_then(|f| self.atlas.feature(f))
                    .map(|f| f.id.clone());
                self.tours.add_stop(
                    &self.atlas,
                    &view,
                    &self.options.layers,
                    selected.as_deref(),
                    lang,
                );
            }
            TourAction::Save => self.tours.save(lang),
            TourAction::Reload => self.tours.reload(),
            TourAction::Handout => {
                let Some(tour) = self.tours.chosen() else {
                    return;
                };
                // A free name in the export folder: never replaces a file.
                let folder = self.tours.export_dir.clone();
                let path = (1..1000)
                    .map(|n| {
                        let suffix = if n == 1 {
                            String::new()
                        } else {
                            format!("-{n}")
                        };
                        folder.join(format!("{}-handout{suffix}.pdf", tour.id))
                    })
                    .find(|p| !p.exists())
                    .unwrap_or_else(|| folder.join(format!("{}-handout.pdf", tour.id)));
                self.tours
                    .start_handout(&self.atlas, &mut self.builder, lang, path);
            }
        }
    }
}
