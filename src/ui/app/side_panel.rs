//! The side panel — the docked panes (Layers, Basemaps, Bookmarks, Tours) — and the selected
//! feature's panel on the right. Both keep the width the user gives them: nothing inside
//! widens them, and a drag does only within limits.

use egui::{RichText, Ui};

use super::{Action, AtlasApp};
use crate::model::Lang;
use crate::ui::dock::Pane;
use crate::ui::features::Feature;
use crate::ui::panels::{details, layers};

/// The side panel's width when first shown, and the limits of a drag, for a window `width`
/// points wide: narrower on a small screen, never more than the map keeps.
pub fn side_widths(width: f32) -> (f32, egui::Rangef) {
    (
        (width * 0.22).clamp(292.0, 340.0),
        egui::Rangef::new(200.0, (width * 0.4).max(240.0)),
    )
}

/// Likewise for the selected feature's panel.
pub fn details_widths(width: f32) -> (f32, egui::Rangef) {
    (
        (width * 0.24).clamp(272.0, 380.0),
        egui::Rangef::new(240.0, (width * 0.4).max(280.0)),
    )
}

impl AtlasApp {
    /// The side panel: the panes the user keeps open, as they arranged them.
    pub(super) fn side_panel(&mut self, ui: &mut Ui) -> Vec<Action> {
        let lang = self.settings.lang;
        let mut asked = Vec::new();
        if std::mem::take(&mut self.features.basemaps.reveal) {
            self.settings.dock.show(Pane::Basemaps);
        }
        let mut dock = std::mem::take(&mut self.settings.dock);
        if dock.any_open() {
            let warned = self.warned_panes();
            dock.ui(ui, lang, &warned, &mut |ui, pane| {
                asked.extend(self.pane(ui, pane))
            });
        } else {
            ui.add_space(8.0);
            ui.label(
                RichText::new(lang.pick(
                    "面板都已关闭：在“视图 ▸ 面板”中打开",
                    "Every pane is closed: open one from View ▸ Panels",
                ))
                .weak(),
            );
        }
        self.settings.dock = dock;
        asked
    }

    /// The panes with something the user should see: a file that could not be read.
    fn warned_panes(&self) -> Vec<Pane> {
        let mut warned = Vec::new();
        if !self.data.problems.is_empty() || !self.features.user_layers.panel.problems.is_empty() {
            warned.push(Pane::Layers);
        }
        if !self.basemaps.problems.is_empty() {
            warned.push(Pane::Basemaps);
        }
        if !self.features.tours.problems.is_empty() {
            warned.push(Pane::Tours);
        }
        warned
    }

    fn pane(&mut self, ui: &mut Ui, pane: Pane) -> Vec<Action> {
        let lang = self.settings.lang;
        match pane {
            Pane::Layers => self.layers_pane(ui, lang),
            Pane::Basemaps => self.with_features(|features, cx| features.basemaps.pane(ui, cx)),
            Pane::Bookmarks => self.with_features(|features, cx| features.bookmarks.pane(ui, cx)),
            Pane::Tours => self.with_features(|features, cx| features.tours.pane(ui, cx)),
        }
    }

    fn layers_pane(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        if self.layers_aggregating() > 0 {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label(
                    RichText::new(lang.pick(
                        "正在为大图层建立聚合（完成后显示）…",
                        "Aggregating a big layer (shown when done)…",
                    ))
                    .small(),
                );
            });
        }
        asked.extend(
            self.features
                .user_layers
                .panel
                .show(ui, &self.data.atlas, &mut self.settings.layers, lang)
                .into_iter()
                .map(Action::UserLayer),
        );
        ui.separator();
        layers::show(ui, &self.data.atlas, &mut self.settings.layers, lang);
        self.problems_and_notices(ui, lang);
        asked
    }

    fn problems_and_notices(&mut self, ui: &mut Ui, lang: Lang) {
        if !self.data.problems.is_empty() {
            ui.add_space(8.0);
            if layers::problems_box(ui, lang, &self.data.problems) {
                self.dialogs.problems_open = true;
            }
        }
        for notice in &self.persist.notices {
            ui.add_space(6.0);
            crate::ui::panels::notice(ui, notice.get(lang), false);
        }
        ui.add_space(8.0);
        ui.label(
            RichText::new(format!(
                "{}{}",
                lang.pick("数据：", "Data: "),
                match self.data.source.as_str() {
                    "built-in data" => lang.pick("内置数据", "built-in data"),
                    folder => folder,
                }
            ))
            .small()
            .weak(),
        );
    }

    /// The right-hand panel of the selected feature.
    pub(super) fn details_panel(&mut self, ui: &mut Ui) -> Option<Action> {
        let selected = self.selection.selected?;
        let lang = self.settings.lang;
        let (width, range) = details_widths(ui.ctx().content_rect().width());
        egui::Panel::right("details")
            .resizable(true)
            .default_size(width)
            .size_range(range)
            .show(ui, |ui| {
                details::show(
                    ui,
                    &self.data.atlas,
                    selected,
                    lang,
                    self.selection.industry.as_deref(),
                    &mut self.data.areas,
                )
            })
            .inner
            .map(Action::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a 1280-point screen both panels start narrower than on a 1920 one, and together
    /// leave the map more than half the window.
    #[test]
    fn panels_start_narrower_on_a_small_screen() {
        let (side_small, _) = side_widths(1280.0);
        let (details_small, _) = details_widths(1280.0);
        let (side_big, _) = side_widths(1920.0);
        let (details_big, _) = details_widths(1920.0);
        assert!(side_small < side_big && details_small < details_big);
        assert!(side_small + details_small < 1280.0 / 2.0);
        let (_, range) = side_widths(1280.0);
        assert!(range.max <= 1280.0 * 0.4);
    }
}
