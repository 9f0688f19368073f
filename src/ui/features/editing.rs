//! Editing what is drawn (编辑), as QGIS's vertex tool and Google Earth's do: the selected
//! feature of a layer open for editing (a sketch layer always, a file's layer once its row's
//! “编辑” is on) shows its vertices and the middles of its edges. Dragging a vertex moves it,
//! dragging a middle pulls out a new vertex, dragging the feature moves it whole; a vertex
//! clicked is chosen, and Delete removes it (or, with none chosen, the feature). Its fields are
//! edited in a form typed as the layer's values are. Every edit is a named step of the session's
//! history (`document::history`), undone with Ctrl+Z and done again with Ctrl+Shift+Z or Ctrl+Y,
//! the corrections' steps among them.

use crate::document::history::History;
use crate::model::edit::{self, Grip, Vertex};
use crate::model::{Atlas, FeatureRef, Shape, Text};
use crate::ui::action::{Action, EditAction};

use super::{Ctx, Feature};

/// A drag in progress: the feature's shape before it, and as dragged so far (drawn over the
/// map; the layer itself changes once, when the drag ends).
#[derive(Debug, Clone, PartialEq)]
pub struct Drag {
    pub feature: FeatureRef,
    pub grip: Grip,
    /// Where the press began (a whole feature moves by the pointer's way from there).
    pub from: geo::Coord,
    pub original: Shape,
    pub shape: Shape,
}

impl Drag {
    /// The pointer is at `to`: the shape as it would be dropped there.
    pub fn to(&mut self, to: geo::Coord) {
        let dragged = match self.grip {
            Grip::Vertex(vertex) => edit::moved(&self.original, vertex, to),
            Grip::Midpoint(after) => edit::inserted(&self.original, after, to),
            Grip::Body => Some(edit::translated(
                &self.original,
                to.x - self.from.x,
                to.y - self.from.y,
            )),
        };
        if let Some(shape) = dragged {
            self.shape = shape;
        }
    }
}

/// A feature's fields in a form: the values typed so far, and which fields hold numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeForm {
    pub feature: FeatureRef,
    pub fields: Vec<String>,
    pub values: Vec<String>,
    /// Each field's type as the layer's values have it: a number field takes numbers only.
    pub numeric: Vec<bool>,
    pub problems: Vec<Text>,
}

impl AttributeForm {
    /// The form of `feature`, where it is a user's feature.
    pub fn of(atlas: &Atlas, feature: FeatureRef) -> Option<Self> {
        let layer = atlas.layer(feature.layer)?;
        let info = layer.user.as_deref()?;
        let mut values = atlas.feature(feature)?.user()?.values.to_vec();
        // A field added after the feature (a note's) is empty in it.
        values.resize(info.fields.len(), String::new());
        let numeric = info.numeric_fields(&layer.features);
        Some(Self {
            feature,
            fields: info.fields.clone(),
            values,
            numeric,
            problems: Vec::new(),
        })
    }

    /// The values to save, or what is wrong with them (a number field holding text).
    pub fn checked(&self) -> Result<Vec<String>, Vec<Text>> {
        let problems: Vec<Text> = (self.fields.iter().zip(&self.values))
            .zip(&self.numeric)
            .filter(|((_, value), numeric)| {
                **numeric && !value.trim().is_empty() && value.trim().parse::<f64>().is_err()
            })
            .map(|((field, value), _)| {
                Text::new(
                    format!("“{field}”是数值字段：“{value}”不是数值"),
                    format!("“{field}” is a number field: “{value}” is not a number"),
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(self.values.iter().map(|v| v.trim().to_string()).collect())
        } else {
            Err(problems)
        }
    }
}

/// The session's edits and the edit in hand.
#[derive(Debug, Default)]
pub struct Editing {
    pub history: History,
    pub drag: Option<Drag>,
    /// The vertex of the selected feature last clicked (Delete removes it).
    pub vertex: Option<Vertex>,
    pub form: Option<AttributeForm>,
    /// Each edited layer's journal, so that a crash or a kill loses no edit.
    pub journals: crate::document::journal::Journals,
    /// Journals of the last run waiting for their layer's file to be read again.
    pub awaiting: Vec<crate::document::journal::Found>,
    /// Whether the awaited layers not being read were started.
    pub awaiting_started: bool,
}

impl Editing {
    /// The feature being dragged and its shape as dragged so far.
    pub fn dragged(&self) -> Option<(FeatureRef, &Shape)> {
        self.drag.as_ref().map(|drag| (drag.feature, &drag.shape))
    }
}

impl Feature for Editing {
    fn windows(&mut self, egui: &egui::Context, cx: &Ctx<'_>) -> Vec<Action> {
        let lang = cx.lang;
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        let name = cx
            .atlas
            .feature(form.feature)
            .map(|f| f.name.get(lang).to_string())
            .unwrap_or_default();
        let mut asked = Vec::new();
        let mut open = true;
        egui::Window::new(format!("{} — {name}", lang.pick("属性", "Attributes")))
            .id(egui::Id::unique("attribute-form"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            // At the map's left, clear of the note or shape just placed in its middle.
            .default_pos(
                cx.map
                    .map_or(egui.content_rect().left_top(), |map| map.left_top())
                    + egui::vec2(16.0, 56.0),
            )
            .show(egui, |ui| {
                egui::Grid::new("attribute-fields")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for ((field, value), numeric) in
                            form.fields.iter().zip(&mut form.values).zip(&form.numeric)
                        {
                            let label = ui.label(field_title(field, lang));
                            let hint = if *numeric {
                                lang.pick("数值", "number")
                            } else {
                                lang.pick("文本", "text")
                            };
                            ui.horizontal(|ui| {
                                if field == crate::model::user::MARKER_SYMBOL {
                                    symbol_choice(ui, value, lang, label.id);
                                    return;
                                }
                                ui.add(egui::TextEdit::singleline(value).hint_text(hint))
                                    .labelled_by(label.id);
                                if COLOUR_FIELDS.contains(&field.as_str()) {
                                    colour_button(ui, value);
                                }
                            });
                            ui.end_row();
                        }
                    });
                for problem in &form.problems {
                    crate::ui::panels::notice(ui, problem.get(lang), true);
                }
                ui.horizontal(|ui| {
                    if ui.button(lang.pick("保存", "Save")).clicked() {
                        asked.push(Action::Edit(EditAction::SaveAttributes));
                    }
                    if ui.button(lang.pick("取消", "Cancel")).clicked() {
                        asked.push(Action::Edit(EditAction::CloseAttributes));
                    }
                });
            });
        if !open {
            asked.push(Action::Edit(EditAction::CloseAttributes));
        }
        asked
    }
}

/// A field as the form names it: what the atlas's own fields mean, then the name the file
/// has ("颜色 (marker-color)"); the file's other fields as they are named.
fn field_title(field: &str, lang: crate::model::Lang) -> String {
    let meaning = match field {
        "name" => lang.pick("名称", "Name"),
        "description" => lang.pick("说明", "Description"),
        "marker-color" => lang.pick("颜色", "Colour"),
        "marker-symbol" => lang.pick("符号", "Symbol"),
        "note-size" => lang.pick("字号", "Text size"),
        "note-color" => lang.pick("文字颜色", "Text colour"),
        "note-halo" => lang.pick("光晕", "Halo"),
        _ => return field.to_string(),
    };
    format!("{meaning} ({field})")
}

/// The fields that hold a `#rrggbb` colour: a colour button beside their text.
const COLOUR_FIELDS: [&str; 5] = ["marker-color", "note-color", "note-halo", "stroke", "fill"];

/// A colour picker for a `#rrggbb` value (a value that is not one, `none`, starts it black).
fn colour_button(ui: &mut egui::Ui, value: &mut String) {
    let mut rgb = crate::model::user::hex_colour(value).unwrap_or([0, 0, 0]);
    if ui.color_edit_button_srgb(&mut rgb).changed() {
        let [r, g, b] = rgb;
        *value = format!("#{r:02x}{g:02x}{b:02x}");
    }
}

/// A placemark's symbol, chosen from those the map draws.
fn symbol_choice(ui: &mut egui::Ui, value: &mut String, lang: crate::model::Lang, label: egui::Id) {
    use crate::model::user::PointSymbol;
    let current = PointSymbol::named(value);
    let title = |symbol: PointSymbol| match symbol {
        PointSymbol::Circle => lang.pick("圆点", "Circle"),
        PointSymbol::Diamond => lang.pick("菱形", "Diamond"),
    };
    egui::ComboBox::from_id_salt("marker-symbol")
        .selected_text(current.map_or_else(|| value.clone(), |s| title(s).to_string()))
        .show_ui(ui, |ui| {
            for symbol in PointSymbol::ALL {
                if ui
                    .selectable_label(current == Some(symbol), title(symbol))
                    .clicked()
                {
                    *value = symbol.name().to_string();
                }
            }
        })
        .response
        .labelled_by(label);
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn a_drag_reshapes_from_the_shape_before_it_not_from_the_last_frame() {
        let original = Shape::Lines(geo::MultiLineString::new(vec![geo::LineString::from(
            vec![(0.0, 0.0), (1.0, 0.0)],
        )]));
        let mut drag = Drag {
            feature: FeatureRef {
                layer: crate::model::LayerId::User(0),
                index: 0,
            },
            grip: Grip::Body,
            from: coord! { x: 0.5, y: 0.0 },
            original: original.clone(),
            shape: original,
        };
        drag.to(coord! { x: 0.5, y: 1.0 });
        drag.to(coord! { x: 0.5, y: 2.0 });
        let Shape::Lines(lines) = &drag.shape else {
            panic!("lines")
        };
        assert_eq!(
            lines.0[0].0[0],
            coord! { x: 0.0, y: 2.0 },
            "moved by 2, not 3"
        );
    }
}
