//! The message bar at the top of the map, as QGIS has one: what an action from a menu did
//! (a workspace opened or saved, corrections imported) or why it failed. A message that says
//! something went well goes after a few seconds; a failure stays until closed. A file of the
//! user's that could not be read and was kept aside has a banner of its own, with a button
//! that opens its folder; newer messages never push it out.

use std::path::Path;

use std::time::Duration;

use egui::{Color32, RichText};

use crate::geodata::kept::KeptAside;
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
    /// The file kept aside that this banner is about (its text is said in the language of
    /// the moment).
    kept: Option<KeptAside>,
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
            kept: None,
            since: None,
        });
        // The oldest message goes first, never a banner of a file kept aside.
        if self.list.len() > MOST
            && let Some(oldest) = self.list.iter().position(|m| m.kept.is_none())
        {
            self.list.remove(oldest);
        }
    }

    /// A banner for a file of the user's kept aside: it stays until closed, and offers to open
    /// the folder that holds the copy.
    pub fn kept_aside(&mut self, kept: KeptAside) {
        self.list.push(Message {
            text: kept.message().en,
            failed: true,
            kept: Some(kept),
            since: None,
        });
    }

    /// The files kept aside that banners are shown for.
    pub fn kept(&self) -> impl Iterator<Item = &KeptAside> {
        self.list.iter().filter_map(|m| m.kept.as_ref())
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
        let mut open: Option<std::path::PathBuf> = None;
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
                                    let said = match &message.kept {
                                        Some(kept) => kept.message().get(lang).to_string(),
                                        None => message.text.clone(),
                                    };
                                    let shown = crate::ui::panels::shown(&said);
                                    ui.add(
                                        egui::Label::new(RichText::new(shown).color(text)).wrap(),
                                    );
                                    if let Some(kept) = &message.kept
                                        && ui
                                            .button(lang.pick("打开文件夹", "Open folder"))
                                            .on_hover_text(kept.folder().display().to_string())
                                            .clicked()
                                    {
                                        open = Some(kept.folder());
                                    }
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
        if let Some(folder) = open
            && let Err(error) = open_folder(&folder)
        {
            self.say(
                format!(
                    "{} {}: {error}",
                    lang.pick("无法打开文件夹", "Cannot open the folder"),
                    folder.display()
                ),
                true,
            );
        }
        // Come back to take a message away when its time is up.
        ctx.request_repaint_after(Duration::from_secs(1));
    }
}

/// Opens `folder` in the system's file manager (xdg-open, open, explorer), without waiting for
/// it; why not, if it cannot be started.
pub fn open_folder(folder: &Path) -> Result<(), String> {
    let opener = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener)
        .arg(folder)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|error| format!("{opener}: {error}"))?;
    // Reaped when it ends, so that no zombie is left behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}
