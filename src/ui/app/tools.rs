//! The map's keys and menu: what a key or the map's right-click menu asks for.

use crate::ui::features::what_is_here::HitList;

use super::{Action, AtlasApp};
use crate::model::FeatureRef;
use crate::ui::action::CorrectionAction;
use crate::ui::camera::Fit;
use crate::ui::map_view::{MapAction, MenuAction};
use crate::ui::navigation;

/// The tools' state in the window.
#[derive(Default)]
pub(super) struct Tools {
    /// The selection before the last click, which a double-click (a zoom) puts back.
    pub(super) before_click: Option<Option<FeatureRef>>,
}

impl From<MapAction> for Action {
    fn from(action: MapAction) -> Self {
        match action {
            MapAction::Clicked(hit) => Action::Select {
                feature: hit,
                fly: false,
            },
            MapAction::DoubleClicked => Action::UndoClickSelection,
            MapAction::Moved(at) => Action::Correction(CorrectionAction::Moved(at)),
            MapAction::Measured(at) => Action::MeasurePoint(at),
            MapAction::Measure(kind) => Action::Measure(Some(kind)),
            MapAction::Finish => Action::DrawFinish,
            MapAction::Edit(edit) => Action::Edit(crate::ui::action::EditAction::Pointer(edit)),
            MapAction::Menu(menu) => Action::Menu(menu),
            MapAction::Cluster { at, members } => {
                Action::Menu(MenuAction::WhatIsHere { at, hits: members })
            }
            MapAction::Back => Action::Back,
            MapAction::TogglePanel => Action::TogglePanel,
            MapAction::Forward => Action::Forward,
            MapAction::Draw(tool) => Action::Draw(Some(tool)),
            MapAction::SnapPoints(points) => Action::SnapPoints(points),
        }
    }
}

impl AtlasApp {
    /// The map's keys, when no text field has the keyboard: arrows, + and −, Home, Alt+← and
    /// Alt+→; Backspace while measuring.
    pub(super) fn map_keys(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut asked = Vec::new();
        if ctx.egui_wants_keyboard_input() {
            return asked;
        }
        let keys = ctx.input_mut(navigation::key_input);
        if keys.pan != egui::Vec2::ZERO {
            self.camera.pan_by(keys.pan);
        }
        if keys.zoom != 0.0
            && let Some(rect) = self.camera.map_rect
        {
            self.camera.zoom_by(keys.zoom, rect.center());
        }
        if keys.home {
            asked.push(Action::Fit(Fit::Corridor));
        }
        if keys.back {
            asked.push(Action::Back);
        }
        if keys.forward {
            asked.push(Action::Forward);
        }
        let placing = self.features.measuring.is_on() || self.features.drawing.is_on();
        if placing && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Backspace))
        {
            asked.push(Action::MeasureUndo);
        }
        if self.selection.selected.is_some_and(|f| self.editable(f))
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Delete))
        {
            asked.push(Action::Edit(crate::ui::action::EditAction::Delete));
        }
        if self.features.drawing.is_on()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
        {
            asked.push(Action::DrawFinish);
        }
        if keys != navigation::KeyInput::default() {
            ctx.request_repaint();
        }
        asked
    }

    pub(super) fn menu_action(&mut self, action: MenuAction) {
        match action {
            MenuAction::WhatIsHere { at, hits } => {
                self.features.what_is_here.list = Some(HitList { at, hits });
            }
            MenuAction::MeasureFrom(at) => self.features.measuring.start_from(at),
            MenuAction::CenterHere(at) => {
                let zoom = self.camera.memory.zoom();
                self.camera.jump_to(at, zoom);
            }
            MenuAction::Select(feature) => self.select(Some(feature), false),
            MenuAction::ZoomTo(feature) => self.camera.fly_to(feature),
            MenuAction::CoordStyle(style) => self.settings.coords = style,
            // Copying needs the window's clipboard: `apply` does it.
            MenuAction::Copy(_) => {}
        }
    }
}
