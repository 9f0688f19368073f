//! The window's panels: the layer list, the status bar and the selected
//! feature's details. Each draws from what it is lent and returns what the user asked for.

pub mod attribute_table;
pub mod data_export;
pub mod details;
pub mod layers;
pub mod status;
pub mod user_layers;

/// A message shortened for display (a file may hold a name a megabyte long; the full text
/// is on stderr).
pub fn shown(message: &str) -> String {
    crate::geodata::read::shorten(message, 400)
}

/// A path field with its button: the path typed, when the button is clicked or Enter pressed
/// with something in the field.
pub fn path_field(
    ui: &mut egui::Ui,
    path: &mut String,
    hint: &str,
    button: &str,
) -> Option<std::path::PathBuf> {
    // The button first, from the right, so that the field takes exactly the width left: a
    // field sized by a guess of the button's width widened its panel a little every frame.
    row_from_right(ui, |ui| {
        let clicked = ui.button(button).clicked();
        let field = ui.add(
            egui::TextEdit::singleline(path)
                .hint_text(hint)
                .desired_width(ui.available_width()),
        );
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ((clicked || enter) && !path.trim().is_empty())
            .then(|| std::path::PathBuf::from(path.trim()))
    })
}

/// The one "open a file" widget of the panes: an "Open…" button (the desktop's file dialog),
/// a "Path…" toggle, and the path field — shown when asked for, or when no dialog can open
/// (with a line saying so).
#[derive(Debug, Default)]
pub struct FileField {
    pub path: String,
    /// The path field is shown.
    pub typing: bool,
    /// The native dialog could not open: the path field is the way.
    pub no_dialog: bool,
}

/// What the user asked of a [`FileField`].
#[derive(Debug, Clone, PartialEq)]
pub enum FileAsk {
    /// Open the desktop's file dialog.
    Browse,
    /// Open this path (typed).
    Open(std::path::PathBuf),
}

/// A [`FileField`]'s words.
pub struct FileFieldText<'a> {
    pub button: &'a str,
    pub hover: &'a str,
    pub hint: &'a str,
    pub open: &'a str,
}

impl FileField {
    /// Draws the button, the toggle, `beside` (a datum's choice), and the field when shown.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        text: &FileFieldText<'_>,
        lang: crate::model::Lang,
        beside: impl FnOnce(&mut egui::Ui),
    ) -> Option<FileAsk> {
        let mut asked = None;
        // Wrapped: a row wider than the pane would widen everything aligned to its right.
        ui.horizontal_wrapped(|ui| {
            if ui.button(text.button).on_hover_text(text.hover).clicked() {
                asked = Some(FileAsk::Browse);
            }
            if ui
                .selectable_label(self.typing, lang.pick("路径…", "Path…"))
                .on_hover_text(lang.pick("输入文件路径", "Type a file's path"))
                .clicked()
            {
                self.typing = !self.typing;
            }
            beside(ui);
        });
        if (self.typing || self.no_dialog)
            && let Some(path) = path_field(ui, &mut self.path, text.hint, text.open)
        {
            asked = Some(FileAsk::Open(path));
        }
        if self.no_dialog {
            no_dialog_notice(ui, lang);
        }
        asked
    }
}

/// One row laid out from the right, as wide as the space there is: what is added first sits at
/// the right edge, and a field added last can take exactly the width left.
pub fn row_from_right<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let size = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(size, egui::Layout::right_to_left(egui::Align::Center), add)
        .inner
}

/// What to do when no native file dialog can open.
pub fn no_dialog_notice(ui: &mut egui::Ui, lang: crate::model::Lang) {
    notice(
        ui,
        lang.pick(
            "此桌面没有文件对话框：请在上面输入路径，或把文件拖到地图上",
            "No file dialog on this desktop: type the path above, or drop the file on the map",
        ),
        false,
    );
}

/// A small line that warns (amber) or says what failed (red), the same in every panel.
pub fn notice(ui: &mut egui::Ui, text: impl Into<String>, failed: bool) -> egui::Response {
    let colour = if failed {
        egui::Color32::from_rgb(0xb0, 0x1c, 0x1c)
    } else {
        egui::Color32::from_rgb(0x9a, 0x5b, 0x00)
    };
    ui.label(egui::RichText::new(text).small().color(colour))
}

/// One layer's row, the same for the atlas's layers and the user's: its swatch, a checkbox
/// with its name (cut with "…" where the pane is narrow, whole in the hover), and its opacity
/// on the right.
pub fn layer_row(
    ui: &mut egui::Ui,
    symbol: &crate::render::style::LegendSymbol,
    visible: &mut bool,
    opacity: &mut f32,
    name: egui::RichText,
    hover: &str,
    lang: crate::model::Lang,
) {
    row_from_right(ui, |ui| {
        opacity_slider(ui, opacity, lang);
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
            layers::swatch(ui, symbol);
            let full = name.text().to_string();
            let checkbox = ui.checkbox(visible, "");
            // The name toggles the layer too, as a checkbox's text does.
            let label = ui
                .add(
                    egui::Label::new(name)
                        .truncate()
                        .sense(egui::Sense::click()),
                )
                .on_hover_text(format!("{full}\n{hover}"));
            if label.clicked() {
                *visible = !*visible;
            }
            checkbox.labelled_by(label.id);
        });
    });
}

/// A layer's opacity slider, narrow, with its value in per cent beside it (typed or dragged).
pub fn opacity_slider(
    ui: &mut egui::Ui,
    opacity: &mut f32,
    lang: crate::model::Lang,
) -> egui::Response {
    ui.spacing_mut().slider_width = 48.0;
    ui.add(
        egui::Slider::new(opacity, 0.0..=1.0)
            .show_value(true)
            .custom_formatter(|v, _| format!("{:.0}%", v * 100.0))
            .custom_parser(|text| {
                let number: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
                Some((number / 100.0).clamp(0.0, 1.0))
            }),
    )
    .on_hover_text(lang.pick("不透明度", "Opacity"))
}
