//! The message bar at the top of the map, as QGIS has one: what an action from a menu did
//! (a workspace opened or saved, corrections imported) or why it failed. A message that says
//! something went well goes after a few seconds; a failure stays until closed.

use std::time::Duration;

use egui::{Color32, RichText};

use crate::model::Lang;

/// How long a message that something worked stays.
const SHOWN_FOR: Duration = Duration::from_secs(8);

/// The most messages shown at once (the oldest go first).
const MOST: usize = 4;

/// What the bar is to say: the text, in the interface's language, and whether it tells of a
/// failure (which stays until closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub text: String,
    pub failed: bool,
}

impl Said {
    /// Something went well.
    pub fn done(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            failed: false,
        }
    }

    /// Something failed.
    pub fn failed(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            failed: true,
        }
    }
}

struct Message {
    text: String,
    failed: bool,
    /// When it was first shown (the window's clock), once it has been.
    since: Option<f64>,
}

#[derive(Default)]
pub struct MessageBar {
    list: Vec<Message>,
}

impl MessageBar {
    /// Says `text`, written in the interface's language (a failure if `failed`); a reader's
    /// problem in it is put in that language where it is made, with the file's path left
    /// alone.
    pub fn say(&mut self, text: impl Into<String>, failed: bool) {
        self.list.push(Message {
            text: text.into(),
            failed,
            since: None,
        });
        if self.list.len() > MOST {
            self.list.remove(0);
        }
    }

    /// Says what a feature made of it.
    pub fn tell(&mut self, said: Said) {
        self.say(said.text, said.failed);
    }

    /// The messages shown, oldest first.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|m| m.text.as_str())
    }

    /// Draws the messages at the top of `map` (its middle, under the map's buttons).
    pub fn show(&mut self, ctx: &egui::Context, map: egui::Rect, lang: Lang) {
        let now = ctx.input(|i| i.time);
        self.list.retain(|message| {
            message.failed
                || message
                    .since
                    .is_none_or(|since| now - since < SHOWN_FOR.as_secs_f64())
        });
        if self.list.is_empty() {
            return;
        }
        let width = (map.width() - 120.0).clamp(200.0, 640.0);
        let mut close = None;
        egui::Area::new(egui::Id::unique("message-bar"))
            .order(egui::Order::Foreground)
            .fixed_pos(egui::pos2(map.center().x - width / 2.0, map.top() + 56.0))
            .show(ctx, |ui| {
                ui.set_width(width);
                for (index, message) in self.list.iter_mut().enumerate() {
                    message.since.get_or_insert(now);
                    let (fill, text) = if message.failed {
                        (
                            Color32::from_rgb(0xfd, 0xec, 0xea),
                            Color32::from_rgb(0x9b, 0x1c, 0x1c),
                        )
                    } else {
                        (
                            Color32::from_rgb(0xe8, 0xf4, 0xea),
                            Color32::from_rgb(0x1b, 0x5e, 0x20),
                        )
                    };
                    egui::Frame::popup(ui.style())
                        .fill(fill)
                        .inner_margin(egui::Margin::symmetric(10, 6))
                        .show(ui, |ui| {
                            ui.horizontal_top(|ui| {
                                let text_width = ui.available_width() - 28.0;
                                ui.vertical(|ui| {
                                    ui.set_max_width(text_width);
                                    let shown = crate::ui::panels::shown(&message.text);
                                    ui.add(
                                        egui::Label::new(RichText::new(shown).color(text)).wrap(),
                                    );
                                });
                                if ui
                                    .small_button("×")
                                    .on_hover_text(lang.pick("关闭", "Close"))
                                    .clicked()
                                {
                                    close = Some(index);
                                }
                            });
                        });
                    ui.add_space(4.0);
                }
            });
        if let Some(index) = close {
            self.list.remove(index);
        }
        // Come back to take a message away when its time is up.
        ctx.request_repaint_after(Duration::from_secs(1));
    }
}
