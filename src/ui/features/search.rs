//! The search box in the top bar: zones, platforms, parks and industries by Chinese, pinyin or
//! English, with ↑/↓/Enter through the results, and the industry being shown on the map with
//! its count.

use egui::{RichText, Ui};

use super::{Ctx, Feature};
use crate::model::{Atlas, Lang};
use crate::search::{Search, SearchHit, describe};
use crate::ui::action::Action;

/// The search box's state.
pub struct SearchBox {
    search: Search,
    pub query: String,
    pub results: Vec<SearchHit>,
    cursor: usize,
}

/// How many results the box lists.
const RESULTS: usize = 12;

impl SearchBox {
    pub fn new(atlas: &Atlas) -> Self {
        Self {
            search: Search::new(atlas),
            query: String::new(),
            results: Vec::new(),
            cursor: 0,
        }
    }

    /// Draws the box `width` wide, its results in a list that drops below it, and the
    /// industry shown on the map (`industry`, on `count` features).
    fn show(
        &mut self,
        ui: &mut Ui,
        atlas: &Atlas,
        lang: Lang,
        width: f32,
        industry: Option<(&str, usize)>,
    ) -> Option<Action> {
        let edit = ui.add(
            egui::TextEdit::singleline(&mut self.query)
                .hint_text(lang.pick(
                    "搜索区域、平台、产业（中文 / 拼音 / English）",
                    "Search zones, platforms, industries",
                ))
                .desired_width(width)
                .id_salt("search"),
        );
        if edit.changed() {
            self.results = self.search.find(atlas, &self.query, RESULTS);
            self.cursor = 0;
        }
        let mut action = self.keys(ui, &edit).map(Action::Choose);
        if action.is_some() {
            self.results.clear();
        }
        let nothing_found = !self.query.is_empty() && self.results.is_empty() && edit.has_focus();
        if !self.results.is_empty() || nothing_found {
            // Over the map, under the box, as wide as it.
            egui::Area::new(egui::Id::unique("search-results"))
                .order(egui::Order::Foreground)
                .fixed_pos(edit.rect.left_bottom() + egui::vec2(0.0, 4.0))
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_width(edit.rect.width().max(260.0) - 12.0);
                        for (index, hit) in self.results.iter().enumerate() {
                            let text = describe(hit, lang);
                            if ui
                                .selectable_label(index == self.cursor, RichText::new(text).small())
                                .clicked()
                            {
                                action = Some(Action::Choose(hit.clone()));
                            }
                        }
                        if nothing_found {
                            ui.label(
                                RichText::new(lang.pick("没有结果", "No results"))
                                    .small()
                                    .weak(),
                            );
                        }
                    });
                });
        }
        if let Some((id, count)) = industry {
            let name = atlas
                .content()
                .industry(id)
                .map_or_else(|| id.to_string(), |i| i.name().get(lang).to_string());
            if ui
                .small_button("×")
                .on_hover_text(lang.pick("清除", "Clear"))
                .clicked()
            {
                action = Some(Action::ClearIndustry);
            }
            ui.label(
                RichText::new(format!(
                    "{} {name}{}{}{}",
                    lang.pick("已标出：", "Showing:"),
                    lang.pick("（", " ("),
                    count,
                    lang.pick("）", ")"),
                ))
                .small(),
            );
        }
        if matches!(action, Some(Action::Choose(_))) {
            self.results.clear();
        }
        action
    }

    /// ↑/↓ move through the results; Enter chooses one.
    fn keys(&mut self, ui: &Ui, edit: &egui::Response) -> Option<SearchHit> {
        let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
        if edit.has_focus() && !self.results.is_empty() {
            let (down, up) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::ArrowDown),
                    i.key_pressed(egui::Key::ArrowUp),
                )
            });
            if down {
                self.cursor = (self.cursor + 1).min(self.results.len() - 1);
            }
            if up {
                self.cursor = self.cursor.saturating_sub(1);
            }
        }
        if enter && (edit.has_focus() || edit.lost_focus()) {
            return self.results.get(self.cursor).cloned();
        }
        None
    }

    /// Closes the result list.
    pub fn close(&mut self) {
        self.results.clear();
    }
}

impl Feature for SearchBox {
    /// The box, on the right of the bar, in view whatever the panes show.
    fn bar(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) -> Vec<Action> {
        let width = (ui.available_width() * 0.6).clamp(140.0, 360.0);
        let industry = ctx.industry.map(|id| (id, ctx.highlight.emphasised.len()));
        self.show(ui, ctx.atlas, ctx.lang, width, industry)
            .into_iter()
            .collect()
    }
}
