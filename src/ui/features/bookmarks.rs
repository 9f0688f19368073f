//! Bookmarks: the fits of the circle, the science city and the core, and named views the
//! user keeps (saved with the state); each a button to its view.

use egui::{RichText, Ui};

use super::{Ctx, Feature};
use crate::document::{Bookmark, SavedView};
use crate::ui::action::Action;
use crate::ui::camera::Fit;

/// The user's bookmarks and the name being typed for the next.
#[derive(Debug, Default)]
pub struct Bookmarks {
    pub list: Vec<Bookmark>,
    /// The name typed for a new bookmark.
    pub name: String,
}

impl Feature for Bookmarks {
    fn pane(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) -> Vec<Action> {
        let mut asked = Vec::new();
        ui.horizontal_wrapped(|ui| {
            for fit in Fit::ALL {
                let button = ui.button(fit.label(ctx.lang));
                let button = match fit {
                    Fit::Corridor => button.on_hover_text("Home"),
                    _ => button,
                };
                if button.clicked() {
                    asked.push(Action::Fit(fit));
                }
            }
        });
        ui.separator();
        asked.extend(self.list(ui, ctx));
        asked
    }
}

impl Bookmarks {
    /// The bookmarks pane's list: each a button to its view, the view shown added by name.
    fn list(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) -> Vec<Action> {
        let lang = ctx.lang;
        let mut asked = Vec::new();
        let mut remove = None;
        for (i, bookmark) in self.list.iter().enumerate() {
            ui.horizontal(|ui| {
                if ui.button(&bookmark.name).clicked() {
                    asked.push(Action::GoTo(bookmark.view));
                }
                if ui
                    .small_button("×")
                    .on_hover_text(lang.pick("删除书签", "Delete bookmark"))
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.list.remove(i);
        }
        if self.list.is_empty() {
            ui.label(
                RichText::new(lang.pick(
                    "还没有书签：为当前视图起个名字并添加",
                    "No bookmarks yet: name the view shown and add it",
                ))
                .small()
                .weak(),
            );
        }
        crate::ui::panels::row_from_right(ui, |ui| {
            let name = self.name.trim().to_string();
            let add = ui
                .add_enabled(
                    !name.is_empty(),
                    egui::Button::new(lang.pick("添加当前视图", "Add this view")),
                )
                .clicked();
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.name)
                    .hint_text(lang.pick("书签名称", "Bookmark name"))
                    .desired_width(ui.available_width()),
            );
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (add || entered)
                && !name.is_empty()
                && let Some(view) = ctx.view
            {
                self.list.push(Bookmark {
                    name,
                    view: SavedView {
                        center: view.center,
                        zoom: view.zoom,
                    },
                });
                self.name.clear();
            }
        });
        asked
    }
}
