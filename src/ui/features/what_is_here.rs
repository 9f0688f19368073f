//! "What is here" (此处有什么): every feature under a place, topmost first, each a click from
//! its panel; the window stays open beside the map until closed.

use egui::RichText;

use super::{Ctx, Feature};
use crate::model::FeatureRef;
use crate::ui::action::Action;
use crate::ui::panels::details;

/// Every feature under one place, topmost first.
#[derive(Debug, Clone, PartialEq)]
pub struct HitList {
    pub at: geo::Coord,
    pub hits: Vec<FeatureRef>,
}

/// The list shown, if any.
#[derive(Debug, Default)]
pub struct WhatIsHere {
    pub list: Option<HitList>,
}

impl Feature for WhatIsHere {
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        let Some(list) = &self.list else {
            return Vec::new();
        };
        let lang = ctx.lang;
        let mut open = true;
        let mut chosen = None;
        // At the map's top right, clear of the side panel and the feature's panel.
        let corner = ctx.map.map_or(egui::pos2(400.0, 60.0), |r| {
            r.right_top() + egui::vec2(-60.0, 12.0)
        });
        egui::Window::new(lang.pick("此处有什么", "What is here"))
            .id(egui::Id::unique("hit-list"))
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(corner)
            .open(&mut open)
            .collapsible(false)
            .default_width(320.0)
            .show(egui, |ui| {
                ui.label(RichText::new(ctx.coords.format(list.at)).weak());
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for &hit in &list.hits {
                            let Some(feature) = ctx.atlas.feature(hit) else {
                                continue;
                            };
                            let kind = details::kind_text(ctx.atlas, hit);
                            let text = format!("{} · {}", feature.name.get(lang), kind.get(lang));
                            let selected = ctx.selected == Some(hit);
                            if ui.selectable_label(selected, text).clicked() {
                                chosen = Some(hit);
                            }
                        }
                    });
            });
        if !open {
            self.list = None;
        }
        chosen
            .map(|feature| Action::Select {
                feature: Some(feature),
                fly: false,
            })
            .into_iter()
            .collect()
    }
}
