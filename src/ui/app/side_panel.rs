//! The side panel (title, language, export, search, fit buttons, tours and layers) and the
//! selected feature's panel on the right.

use egui::{RichText, Ui};

use super::{Action, AtlasApp};
use crate::model::Lang;
use crate::ui::camera::Fit;
use crate::ui::panels::{details, layers, search::ShownIndustry};

impl AtlasApp {
    pub(super) fn side_panel(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut asked = Vec::new();
        let lang = self.settings.lang;
        ui.add_space(6.0);
        ui.heading(lang.pick("成渝科创地图", "Chengyu Atlas"));
        ui.label(
            RichText::new(lang.pick(
                "成渝地区双城经济圈 · 西部（重庆）科学城",
                "Chengdu–Chongqing circle · Western (Chongqing) Science City",
            ))
            .small()
            .weak(),
        );
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(lang.pick("语言", "Language"));
            ui.selectable_value(&mut self.settings.lang, Lang::Zh, "中文");
            ui.selectable_value(&mut self.settings.lang, Lang::En, "English");
        });
        ui.horizontal(|ui| {
            if ui
                .button(lang.pick("导出地图…", "Export map…"))
                .on_hover_text("Ctrl+E")
                .clicked()
            {
                asked.push(Action::OpenExport);
            }
            if ui
                .button(lang.pick("帮助", "Help"))
                .on_hover_text("F1")
                .clicked()
            {
                self.tools.help_open = true;
            }
            if ui.button(lang.pick("关于", "About")).clicked() {
                self.tools.about_open = true;
            }
        });
        asked.extend(self.workspace_section(ui).map(Action::Workspace));
        ui.separator();
        let industry = self.selection.industry.as_deref().map(|id| ShownIndustry {
            id,
            count: self.selection.highlight.emphasised.len(),
        });
        asked.extend(
            self.search
                .show(ui, &self.data.atlas, lang, industry)
                .map(Action::from),
        );
        ui.separator();
        ui.label(RichText::new(lang.pick("视图", "View")).strong());
        ui.horizontal_wrapped(|ui| {
            for fit in Fit::ALL {
                let button = ui.button(fit.label(lang));
                let button = match fit {
                    Fit::Corridor => button.on_hover_text("Home"),
                    _ => button,
                };
                if button.clicked() {
                    asked.push(Action::Fit(fit));
                }
            }
        });
        asked.extend(self.bookmarks_section(ui, lang));
        ui.separator();
        asked.extend(self.dialogs.tours.panel(ui, lang).map(Action::Tour));
        ui.separator();
        let reveal = std::mem::take(&mut self.basemaps.panel.reveal);
        egui::CollapsingHeader::new(RichText::new(lang.pick("底图", "Basemaps")).strong())
            .id_salt("basemaps")
            .open(reveal.then_some(true))
            .default_open(
                !self.basemaps.list.layers.is_empty() || !self.basemaps.list.problems.is_empty(),
            )
            .show(ui, |ui| {
                let shelf = &mut self.basemaps;
                asked.extend(
                    shelf
                        .panel
                        .show(ui, &mut shelf.list, lang)
                        .into_iter()
                        .map(Action::Basemap),
                );
            });
        ui.separator();
        ui.label(RichText::new(lang.pick("图层", "Layers")).strong());
        egui::ScrollArea::vertical()
            .auto_shrink([false, true])
            .show(ui, |ui| {
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
                    self.user_layers
                        .show(ui, &self.data.atlas, &mut self.settings.layers, lang)
                        .into_iter()
                        .map(Action::UserLayer),
                );
                ui.separator();
                layers::show(ui, &self.data.atlas, &mut self.settings.layers, lang);
                self.problems_and_notices(ui, lang);
            });
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
            crate::ui::panels::notice(ui, notice, false);
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
        let window_width = ui.ctx().content_rect().width();
        egui::Panel::right("details")
            .resizable(true)
            .default_size((window_width * 0.28).clamp(280.0, 380.0))
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
