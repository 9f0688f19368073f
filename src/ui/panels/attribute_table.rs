//! A user's layer's attribute table, as QGIS opens one: every feature a row, every field a
//! column; a click on a heading sorts by it (numbers as numbers), the filter keeps the rows
//! whose fields contain the text, a click on a row selects its feature and flies the map to it.
//! Only the rows on screen are laid out, so a table of a million rows scrolls as one of ten.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::model::{Atlas, FeatureRef, Lang, LayerId};

/// An open attribute table: whose, the filter, the sort and the rows they give.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeTable {
    pub layer: LayerId,
    pub filter: String,
    /// The column sorted by, and whether ascending.
    pub sort: Option<(usize, bool)>,
    /// The rows shown (feature indices), for the filter and sort they were made for.
    rows: Vec<u32>,
    made_for: Option<MadeFor>,
    /// Each column's width at opening: its widest heading or value among the first rows.
    widths: Vec<f32>,
    /// "Export data…" was clicked (taken by the window, which opens it).
    pub export_asked: bool,
}

/// How many rows the opening widths are measured on.
const MEASURED_ROWS: usize = 500;

/// The widest a column opens (the user can drag it wider).
const MAX_COLUMN: f32 = 360.0;

/// What the rows were made for: the filter, the sort and the number of features.
type MadeFor = (String, Option<(usize, bool)>, usize);

impl AttributeTable {
    pub fn new(layer: LayerId) -> Self {
        Self {
            layer,
            filter: String::new(),
            sort: None,
            rows: Vec::new(),
            made_for: None,
            widths: Vec::new(),
            export_asked: false,
        }
    }

    /// The columns' widths at opening, in points for text of `size`: each as wide as its
    /// widest heading or value among the first rows (a name is not cut while half the window
    /// is empty), within limits.
    pub fn column_widths(&mut self, atlas: &Atlas, size: f32) -> &[f32] {
        let (Some(user), Some(layer)) = (atlas.user_layer(self.layer), atlas.layer(self.layer))
        else {
            return &self.widths;
        };
        if self.widths.len() != user.fields.len() {
            let width = |text: &str| crate::text::text_width(text, size);
            self.widths = user
                .fields
                .iter()
                .enumerate()
                .map(|(column, field)| {
                    let heading = width(&crate::geodata::read::shorten(field, 24)) + 24.0;
                    let features = &layer.features;
                    let widest = (0..features.len().min(MEASURED_ROWS))
                        .filter_map(|index| features.value(index, column))
                        .map(|value| width(&crate::geodata::read::shorten(&value, 60)))
                        .fold(heading, f32::max);
                    (widest + 12.0).clamp(60.0, MAX_COLUMN)
                })
                .collect();
        }
        &self.widths
    }

    /// The rows shown: the features whose fields contain the filter, in the sort's order.
    pub fn rows(&mut self, atlas: &Atlas) -> &[u32] {
        let Some(layer) = atlas.layer(self.layer) else {
            self.rows.clear();
            return &self.rows;
        };
        let key = (self.filter.clone(), self.sort, layer.features.len());
        if self.made_for.as_ref() == Some(&key) {
            return &self.rows;
        }
        let needle = self.filter.trim().to_lowercase();
        let features = &layer.features;
        let mut rows: Vec<u32> = (0..features.len() as u32)
            .filter(|&index| {
                needle.is_empty()
                    || features.values(index as usize).is_some_and(|values| {
                        values
                            .iter()
                            .any(|value| value.to_lowercase().contains(&needle))
                    })
            })
            .collect();
        if let Some((column, ascending)) = self.sort {
            let cell = |index: u32| features.value(index as usize, column).unwrap_or_default();
            rows.sort_by(|&a, &b| {
                let order = compare_cells(&cell(a), &cell(b));
                if ascending { order } else { order.reverse() }
            });
        }
        self.rows = rows;
        self.made_for = Some(key);
        &self.rows
    }

    /// Draws the table in a window; returns the feature whose row was clicked. `open` is set
    /// false when the window is closed.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        atlas: &Atlas,
        selected: Option<FeatureRef>,
        lang: Lang,
        open: &mut bool,
    ) -> Option<FeatureRef> {
        let user = atlas.user_layer(self.layer)?;
        let title = format!("{} — {}", lang.pick("属性表", "Attribute table"), user.name);
        let mut clicked = None;
        // Below the middle of the map, as QGIS docks it: the side panel and the map's top stay
        // in view.
        let screen = ctx.content_rect();
        egui::Window::new(title)
            .id(egui::Id::unique("attribute-table"))
            .open(open)
            .default_pos([screen.center().x - 260.0, screen.bottom() - 420.0])
            .default_size([640.0, 360.0])
            .resizable(true)
            .show(ctx, |ui| {
                clicked = self.contents(ui, atlas, selected, lang);
            });
        clicked
    }

    fn contents(
        &mut self,
        ui: &mut Ui,
        atlas: &Atlas,
        selected: Option<FeatureRef>,
        lang: Lang,
    ) -> Option<FeatureRef> {
        let layer_id = self.layer;
        let user = atlas.user_layer(layer_id)?;
        let fields = user.fields.clone();
        let total = atlas.layer(layer_id).map_or(0, |l| l.features.len());
        self.filter_bar(ui, atlas, total, lang);
        let rows = self.rows(atlas).to_vec();
        let features = &atlas.layer(layer_id)?.features;
        let mut clicked = None;
        let mut sort_by = None;
        let text_size = egui::TextStyle::Body.resolve(ui.style()).size;
        let text_height = text_size + 6.0;
        let widths = self.column_widths(atlas, text_size).to_vec();
        egui::ScrollArea::horizontal().show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click());
            for (column, width) in widths.iter().enumerate() {
                // The last column takes what is left of the window.
                table = table.column(if column + 1 == widths.len() {
                    Column::remainder().at_least(*width).clip(true)
                } else {
                    Column::initial(*width)
                        .at_least(60.0)
                        .clip(true)
                        .resizable(true)
                });
            }
            if widths.is_empty() {
                table = table.column(Column::remainder());
            }
            table
                .header(text_height, |mut header| {
                    for (column, field) in fields.iter().enumerate() {
                        header.col(|ui| {
                            let arrow = match self.sort {
                                Some((c, true)) if c == column => " ▲",
                                Some((c, false)) if c == column => " ▼",
                                _ => "",
                            };
                            let heading =
                                format!("{}{arrow}", crate::geodata::read::shorten(field, 24));
                            if ui
                                .button(RichText::new(heading).strong())
                                .on_hover_text(lang.pick("按此列排序", "Sort by this column"))
                                .clicked()
                            {
                                sort_by = Some(column);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(text_height, rows.len(), |mut row| {
                        let index = rows[row.index()];
                        let feature_ref = FeatureRef {
                            layer: layer_id,
                            index,
                        };
                        row.set_selected(selected == Some(feature_ref));
                        let values = features.values(index as usize);
                        for column in 0..fields.len() {
                            row.col(|ui| {
                                let value = (values.as_deref())
                                    .and_then(|v| v.get(column))
                                    .unwrap_or_default();
                                // Not selectable: a click goes to the row.
                                ui.add(
                                    egui::Label::new(crate::geodata::read::shorten(value, 60))
                                        .selectable(false),
                                );
                            });
                        }
                        if row.response().clicked() {
                            clicked = Some(feature_ref);
                        }
                    });
                });
        });
        if let Some(column) = sort_by {
            self.sort_by(column);
        }
        clicked
    }

    /// The filter field, and how many rows it leaves of `total`.
    fn filter_bar(&mut self, ui: &mut Ui, atlas: &Atlas, total: usize, lang: Lang) {
        ui.horizontal(|ui| {
            let label = ui.label(lang.pick("筛选", "Filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(lang.pick("包含此文字的行", "rows containing this text"))
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
            let shown = self.rows(atlas).len();
            ui.label(
                RichText::new(format!(
                    "{} / {} {}",
                    crate::geodata::read::problems::thousands(shown),
                    crate::geodata::read::problems::thousands(total),
                    lang.pick("行", "rows")
                ))
                .small()
                .weak(),
            );
            if ui
                .button(lang.pick("导出数据…", "Export data…"))
                .on_hover_text(lang.pick(
                    "将图层、筛选出的行或所选要素另存为 GeoJSON、GeoPackage、Excel、CSV 或 KML",
                    "Save the layer, the filtered rows or the selection as GeoJSON, GeoPackage, Excel, CSV or KML",
                ))
                .clicked()
            {
                self.export_asked = true;
            }
        });
    }

    /// A heading clicked: sorted by it ascending, then descending, then as the file has it.
    fn sort_by(&mut self, column: usize) {
        self.sort = match self.sort {
            Some((c, true)) if c == column => Some((column, false)),
            Some((c, false)) if c == column => None,
            _ => Some((column, true)),
        };
    }
}

/// Cells in a total order: numbers first (as numbers), then text, then empty cells.
pub fn compare_cells(a: &str, b: &str) -> std::cmp::Ordering {
    fn rank(cell: &str) -> (u8, f64) {
        let cell = cell.trim();
        if cell.is_empty() {
            return (2, 0.0);
        }
        match cell.parse::<f64>() {
            Ok(number) if !number.is_nan() => (0, number),
            _ => (1, 0.0),
        }
    }
    let ((ra, na), (rb, nb)) = (rank(a), rank(b));
    ra.cmp(&rb).then_with(|| na.total_cmp(&nb)).then_with(|| {
        if ra == 1 {
            a.trim().cmp(b.trim())
        } else {
            std::cmp::Ordering::Equal
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_as_numbers_and_empty_cells_last() {
        let mut cells = vec!["10", "9", "", "100", "abc", "2.5", "Abc", " "];
        cells.sort_by(|a, b| compare_cells(a, b));
        assert_eq!(cells, ["2.5", "9", "10", "100", "Abc", "abc", "", " "]);
    }
}
