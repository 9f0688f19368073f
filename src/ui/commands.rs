//! The commands that have keys, in one table: what each does, its shortcut, the action it
//! asks for, and whether it works while a text field has the keyboard. The menus show these
//! keys, the help lists them, and the window's shortcuts are read from them.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::measure::MeasureKind;
use crate::model::Lang;
use crate::ui::action::TourAction;
use crate::ui::action::{Action, WorkspaceAction};
use crate::ui::features::drawing::DrawTool;
use crate::ui::panels::user_layers::UserLayerAction;

/// A command with a key: what it does and its shortcut.
pub struct Command {
    /// What it does, in Chinese and English (the help lists it).
    pub what: (&'static str, &'static str),
    pub shortcut: KeyboardShortcut,
    pub action: fn() -> Action,
    /// Whether the key works while a text field has the keyboard (Ctrl+Z there undoes the
    /// typing, not a correction).
    pub while_typing: bool,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const COMMAND_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

pub const OPEN_WORKSPACE: KeyboardShortcut = key(Modifiers::COMMAND, Key::O);
pub const SAVE_WORKSPACE: KeyboardShortcut = key(Modifiers::COMMAND, Key::S);
pub const SAVE_WORKSPACE_AS: KeyboardShortcut = key(COMMAND_SHIFT, Key::S);
pub const ADD_LAYER: KeyboardShortcut = key(Modifiers::COMMAND, Key::L);
pub const EXPORT: KeyboardShortcut = key(Modifiers::COMMAND, Key::E);
pub const UNDO: KeyboardShortcut = key(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut = key(COMMAND_SHIFT, Key::Z);
pub const REDO_Y: KeyboardShortcut = key(Modifiers::COMMAND, Key::Y);
/// Shown in the Edit menu; the map reads the key itself (it means nothing without a selection).
pub const DELETE: KeyboardShortcut = key(Modifiers::NONE, Key::Delete);
pub const QUIT: KeyboardShortcut = key(Modifiers::COMMAND, Key::Q);
pub const MEASURE_DISTANCE: KeyboardShortcut = key(COMMAND_SHIFT, Key::M);
pub const MEASURE_AREA: KeyboardShortcut = key(COMMAND_SHIFT, Key::J);
pub const DRAW_PLACEMARK: KeyboardShortcut = key(COMMAND_SHIFT, Key::P);
pub const DRAW_PATH: KeyboardShortcut = key(COMMAND_SHIFT, Key::L);
pub const DRAW_POLYGON: KeyboardShortcut = key(COMMAND_SHIFT, Key::G);
pub const DRAW_RECTANGLE: KeyboardShortcut = key(COMMAND_SHIFT, Key::R);
pub const DRAW_CIRCLE: KeyboardShortcut = key(COMMAND_SHIFT, Key::C);
pub const DRAW_NOTE: KeyboardShortcut = key(COMMAND_SHIFT, Key::T);
pub const PRESENT: KeyboardShortcut = key(Modifiers::NONE, Key::F5);
pub const REHEARSE: KeyboardShortcut = key(Modifiers::ALT, Key::F5);
pub const HELP: KeyboardShortcut = key(Modifiers::NONE, Key::F1);
pub const FIT_CIRCLE: KeyboardShortcut = key(Modifiers::NONE, Key::Home);
pub const BACK: KeyboardShortcut = key(Modifiers::ALT, Key::ArrowLeft);
pub const FORWARD: KeyboardShortcut = key(Modifiers::ALT, Key::ArrowRight);

/// The shortcuts that work anywhere in the window (the map's own keys — arrows, + and −, Home,
/// Alt+← and Alt+→ — are the map's, and stay off while a text field has the keyboard).
pub const COMMANDS: [Command; 20] = [
    Command {
        what: ("打开工作区", "Open a workspace"),
        shortcut: OPEN_WORKSPACE,
        action: || Action::Workspace(WorkspaceAction::BrowseOpen),
        while_typing: true,
    },
    Command {
        what: ("工作区另存为", "Save the workspace as"),
        shortcut: SAVE_WORKSPACE_AS,
        action: || Action::Workspace(WorkspaceAction::BrowseSave),
        while_typing: true,
    },
    Command {
        what: ("保存工作区", "Save the workspace"),
        shortcut: SAVE_WORKSPACE,
        action: || Action::Workspace(WorkspaceAction::SaveAgain),
        while_typing: true,
    },
    Command {
        what: ("添加图层", "Add a layer"),
        shortcut: ADD_LAYER,
        action: || Action::UserLayer(UserLayerAction::Browse),
        while_typing: false,
    },
    Command {
        what: ("导出地图", "Export the map"),
        shortcut: EXPORT,
        action: || Action::ToggleExport,
        while_typing: true,
    },
    // Before Undo: Ctrl+Z would take Ctrl+Shift+Z too (egui matches Shift loosely).
    Command {
        what: ("重做", "Redo"),
        shortcut: REDO,
        action: || Action::Redo,
        while_typing: false,
    },
    Command {
        what: ("重做", "Redo"),
        shortcut: REDO_Y,
        action: || Action::Redo,
        while_typing: false,
    },
    Command {
        what: (
            "撤销上一步编辑（绘制、顶点、属性、校正）",
            "Undo the last edit (drawing, vertex, attributes, correction)",
        ),
        shortcut: UNDO,
        action: || Action::Undo,
        while_typing: false,
    },
    Command {
        what: ("退出", "Quit"),
        shortcut: QUIT,
        action: || Action::Quit,
        while_typing: true,
    },
    Command {
        what: ("测距", "Measure a distance"),
        shortcut: MEASURE_DISTANCE,
        action: || Action::Measure(Some(MeasureKind::Distance)),
        while_typing: false,
    },
    Command {
        what: ("测面积", "Measure an area"),
        shortcut: MEASURE_AREA,
        action: || Action::Measure(Some(MeasureKind::Area)),
        while_typing: false,
    },
    Command {
        what: ("绘制地标", "Draw a placemark"),
        shortcut: DRAW_PLACEMARK,
        action: || Action::Draw(Some(DrawTool::Placemark)),
        while_typing: false,
    },
    Command {
        what: ("绘制路径", "Draw a path"),
        shortcut: DRAW_PATH,
        action: || Action::Draw(Some(DrawTool::Path)),
        while_typing: false,
    },
    Command {
        what: ("绘制多边形", "Draw a polygon"),
        shortcut: DRAW_POLYGON,
        action: || Action::Draw(Some(DrawTool::Polygon)),
        while_typing: false,
    },
    Command {
        what: ("绘制矩形", "Draw a rectangle"),
        shortcut: DRAW_RECTANGLE,
        action: || Action::Draw(Some(DrawTool::Rectangle)),
        while_typing: false,
    },
    Command {
        what: ("绘制圆（圆心、半径）", "Draw a circle (centre, radius)"),
        shortcut: DRAW_CIRCLE,
        action: || Action::Draw(Some(DrawTool::Circle)),
        while_typing: false,
    },
    Command {
        what: ("添加注记（文字与箭头）", "Add a note (text and arrow)"),
        shortcut: DRAW_NOTE,
        action: || Action::Draw(Some(DrawTool::Note)),
        while_typing: false,
    },
    // Before F5 alone: egui may take Alt+F5 for F5 when F5 is asked first.
    Command {
        what: (
            "排练：导览与演示者视图（讲稿、下一站、计时）",
            "Rehearse: the tour and the presenter view (notes, next stop, timer)",
        ),
        shortcut: REHEARSE,
        action: || Action::Tour(TourAction::Rehearse),
        while_typing: true,
    },
    Command {
        what: ("放映导览（全屏）", "Present the tour (full screen)"),
        shortcut: PRESENT,
        action: || Action::Tour(TourAction::Present),
        while_typing: true,
    },
    Command {
        what: ("打开或关闭本帮助", "Open or close this help"),
        shortcut: HELP,
        action: || Action::ToggleHelp,
        while_typing: true,
    },
];

/// A drawing tool's key.
pub fn draw_key(tool: DrawTool) -> KeyboardShortcut {
    match tool {
        DrawTool::Placemark => DRAW_PLACEMARK,
        DrawTool::Path => DRAW_PATH,
        DrawTool::Polygon => DRAW_POLYGON,
        DrawTool::Rectangle => DRAW_RECTANGLE,
        DrawTool::Circle => DRAW_CIRCLE,
        DrawTool::Note => DRAW_NOTE,
    }
}

/// Every command's key and what it does, for the help (as the menus show the keys).
pub fn command_keys(ctx: &egui::Context, lang: Lang) -> Vec<(String, &'static str)> {
    COMMANDS
        .iter()
        .map(|command| {
            let (zh, en) = command.what;
            (ctx.format_shortcut(&command.shortcut), lang.pick(zh, en))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One key, one command: no shortcut is given to two of them.
    #[test]
    fn no_two_commands_share_a_key() {
        for (i, a) in COMMANDS.iter().enumerate() {
            for b in &COMMANDS[i + 1..] {
                assert_ne!(a.shortcut, b.shortcut, "{:?}", a.shortcut);
            }
        }
    }
}
