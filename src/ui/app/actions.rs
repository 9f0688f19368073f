//! How the window carries out what the user asked for ([`Action`]): after drawing, once per
//! frame.

use super::AtlasApp;
use crate::model::{FeatureKind, FeatureRef};
use crate::search::Target;
use crate::ui::action::BasemapAction;
use crate::ui::action::{Action, CorrectionAction};

impl AtlasApp {
    /// Carries out one action; the window is drawn again to show its effect.
    pub(super) fn apply(&mut self, action: Action, ctx: &egui::Context) {
        ctx.request_repaint();
        match action {
            Action::Select { feature, fly } => {
                if feature != self.selection.selected {
                    self.features.editing.vertex = None;
                }
                self.tools.before_click = Some(self.selection.selected);
                self.select(feature, fly);
            }
            Action::UndoClickSelection => {
                if let Some(before) = self.tools.before_click.take() {
                    self.select(before, false);
                }
            }
            Action::Measure(kind) => {
                self.features.drawing.toggle(None);
                self.features.measuring.toggle(kind);
            }
            Action::MeasurePoint(at) if self.features.drawing.is_on() => {
                if let Some(shape) = self.features.drawing.place(at) {
                    self.add_drawn(shape);
                }
                self.say_refused_drawing();
            }
            Action::MeasurePoint(at) => self.features.measuring.place(at),
            Action::MeasureUndo if self.features.drawing.is_on() => {
                self.features.drawing.take_back();
            }
            Action::MeasureUndo => self.features.measuring.take_back(),
            Action::Draw(tool) => {
                self.features.measuring.toggle(None);
                self.features.drawing.toggle(tool);
            }
            Action::SaveSketch => self.save_sketch(),
            Action::SnapPoints(points) => self.features.drawing.snap_set = Some(points),
            Action::Edit(action) => self.edit_action(action),
            Action::Undo => self.step_through_history(true),
            Action::Redo => self.step_through_history(false),
            Action::DrawFinish => {
                if let Some(shape) = self.features.drawing.finish() {
                    self.add_drawn(shape);
                }
                self.say_refused_drawing();
            }
            // Copied, and drawn again at once: the menu closes without waiting for the mouse.
            Action::Menu(crate::ui::map_view::MenuAction::Copy(text)) => ctx.copy_text(text),
            Action::Menu(action) => self.menu_action(action),
            Action::Back => {
                if let Some(selected) = self.camera.back() {
                    self.show_selection(selected);
                }
            }
            Action::TogglePanel => self.settings.panel_hidden = !self.settings.panel_hidden,
            Action::Lang(lang) => self.settings.lang = lang,
            Action::Pane(pane, open) => {
                self.settings.dock.set_open(pane, open);
                // A pane opened from a menu is in view, even where the side was hidden.
                if open {
                    self.settings.panel_hidden = false;
                }
            }
            Action::ResetPanes => self.settings.dock = Default::default(),
            Action::ToggleHelp => {
                let help = &mut self.features.help;
                help.help_open = !help.help_open;
            }
            Action::About => self.features.help.about_open = true,
            Action::ShowProblems => self.dialogs.problems_open = true,
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Say(said) => self.messages.tell(said),
            Action::Forward => {
                if let Some(selected) = self.camera.forward() {
                    self.show_selection(selected);
                }
            }
            Action::GoTo(saved) => {
                let [x, y] = saved.center;
                self.camera.jump_to(geo::coord! { x: x, y: y }, saved.zoom);
            }
            Action::ToggleIndustry(id) => {
                let same = self.selection.industry.as_deref() == Some(id.as_str());
                self.choose_industry((!same).then_some(id));
            }
            Action::Choose(hit) => match hit.target {
                Target::Feature(feature) => self.select(Some(feature), true),
                Target::Industry(id) => {
                    self.choose_industry(Some(id));
                    let emphasised = self.selection.highlight.emphasised.clone();
                    self.camera.fit_features(&self.data.atlas, &emphasised);
                }
            },
            Action::ClearIndustry => self.choose_industry(None),
            // Esc during a drag puts the shape back as it was (nothing recorded).
            Action::ClearAll if self.features.editing.drag.take().is_some() => {}
            Action::ClearAll if self.features.drawing.cancel() => {}
            Action::ClearAll if self.features.measuring.is_on() => {
                self.features.measuring.toggle(None);
            }
            Action::ClearAll => {
                self.select(None, false);
                self.choose_industry(None);
                self.features.search.close();
            }
            Action::Fit(fit) => self.camera.fit(fit, &self.data.atlas),
            Action::Basemap(action) => self.basemap_action(action, ctx),
            Action::UserLayer(action) => self.user_layer_action(action),
            Action::Workspace(action) => self.workspace_action(action, ctx),
            Action::Correction(action) => {
                self.correct(action);
            }
            Action::ToggleExport => self.features.export.open = !self.features.export.open,
            Action::OpenExport => self.features.export.open = true,
            Action::Export(action) => self.export(action, ctx),
            Action::Tour(action) => self.tour_action(action, ctx),
        }
    }

    /// Carries out a correction's action on the atlas, and shows what it did; whether it was
    /// done.
    pub(super) fn correct(&mut self, action: CorrectionAction) -> bool {
        let step = step_name(&action);
        // Only a change of the corrections is kept (not a marker's drag, every frame).
        let before = step
            .is_some()
            .then(|| self.features.corrections.list.clone());
        let outcome =
            self.features
                .corrections
                .apply(action, &mut self.data.atlas, self.settings.lang);
        if outcome.changed {
            self.data_changed();
        }
        // A change of the corrections is a step of the history, as an edit of a layer is.
        if let (Some(name), Some(before)) = (step, before)
            && before != self.features.corrections.list
        {
            let after = Box::new(self.features.corrections.list.clone());
            let edit = crate::document::history::Edit::Corrections {
                before: Box::new(before),
                after,
            };
            self.features.editing.history.record(name, edit);
        }
        if let Some(said) = outcome.said {
            self.messages.tell(said);
        }
        outcome.done
    }

    fn basemap_action(&mut self, action: BasemapAction, ctx: &egui::Context) {
        if let BasemapAction::ZoomTo(bounds) = action {
            self.camera.fit_rect(bounds.to_rect());
            return;
        }
        let lang = self.settings.lang;
        if let Some(then) = self
            .features
            .basemaps
            .apply(action, &mut self.basemaps, ctx, lang)
        {
            self.apply(then, ctx);
        }
    }

    /// Selects a feature (or nothing), draws its cooperation links, and flies to it.
    pub fn select(&mut self, feature: Option<FeatureRef>, fly: bool) {
        // The place before it is a step for Back.
        self.camera.select(feature, fly);
        self.show_selection(feature);
    }

    /// Shows `feature` as the selection (its panel, its links), where the map is.
    pub(super) fn show_selection(&mut self, feature: Option<FeatureRef>) {
        let atlas = &self.data.atlas;
        // A step back may name a feature of a layer since removed.
        let feature = feature.filter(|f| atlas.feature(*f).is_some());
        self.selection.selected = feature;
        self.selection.highlight.selected = feature;
        self.selection.highlight.links = feature
            .map(|f| crate::render::cooperation_links(atlas, f, self.settings.lang))
            .unwrap_or_default();
    }

    /// Moves the map to show a feature: areas whole, points at street scale.
    pub fn fly_to(&mut self, feature: FeatureRef) {
        self.camera.fly_to(feature);
    }

    /// Highlights every zone and platform with `industry` (or stops highlighting).
    pub fn choose_industry(&mut self, industry: Option<String>) {
        let atlas = &self.data.atlas;
        let content = &atlas.content();
        self.selection.highlight.emphasised = match &industry {
            Some(id) => atlas
                .own_features()
                .filter(|(_, feature)| {
                    let ids: Vec<String> = match (&feature.kind, feature.zone()) {
                        (_, Some(_)) => content
                            .zone_industries(&feature.id)
                            .into_iter()
                            .map(str::to_string)
                            .collect(),
                        (FeatureKind::Platform(platform), _) => platform.industries.clone(),
                        _ => return false,
                    };
                    content.covers(&ids, id)
                })
                .map(|(feature_ref, _)| feature_ref)
                .collect(),
            None => Vec::new(),
        };
        self.selection.industry = industry;
    }
}

/// The name of the history's step a correction's action makes, where it changes them.
fn step_name(action: &CorrectionAction) -> Option<crate::model::Text> {
    use crate::model::Text;
    Some(match action {
        CorrectionAction::Save => Text::new("校正平台位置", "Correct platform position"),
        CorrectionAction::Remove => Text::new("恢复内置位置", "Back to built-in position"),
        CorrectionAction::UseAsOutline { .. } => {
            Text::new("用作区域边界", "Use as a zone's outline")
        }
        CorrectionAction::RestoreOutline(_) => {
            Text::new("恢复内置边界", "Back to built-in outline")
        }
        CorrectionAction::Import(_) => Text::new("导入校正", "Import corrections"),
        _ => return None,
    })
}
