//! The user's own layers (我的图层): their part of the layers pane, files being read in the
//! background, a table's columns confirmed before it is read, and a layer's attribute table.
//! The layers themselves are the document's (the atlas): the window inserts a layer read,
//! and carries out what the pane asks ([`UserLayerAction`](crate::ui::panels::user_layers::UserLayerAction)) in `app/user_layers.rs`.

use crate::geodata::user::LayerSpec;
use crate::render::LayerSetting;
use crate::ui::action::Action;
use crate::ui::panels::attribute_table::AttributeTable;
use crate::ui::panels::user_layers::{CsvPreview, PendingLayer, PendingPreview, UserLayerPanel};

use super::{Ctx, Feature};

#[derive(Default)]
pub struct UserLayers {
    /// The pane's state: its path field, datum, style editor, files being read, problems.
    pub panel: UserLayerPanel,
    /// A layer's attribute table, if open.
    pub table: Option<AttributeTable>,
    /// "Export data…", if open.
    pub export: Option<crate::ui::panels::data_export::DataExport>,
    /// The window, to wake when a file is read (known from its first frame on).
    window: Option<egui::Context>,
}

impl UserLayers {
    /// Starts reading `spec` in the background (the pane shows how far, with Cancel); the
    /// window adds it when read, zoomed to if `zoom_to`, with `setting` if given.
    pub fn start(&mut self, spec: LayerSpec, zoom_to: bool, setting: Option<LayerSetting>) {
        let origin = spec.path.display().to_string();
        self.panel.problems.retain(|p| p.origin != origin);
        self.panel.loading.push(PendingLayer::start(
            spec,
            zoom_to,
            setting,
            self.window.clone(),
        ));
    }

    /// Starts reading database layer `id` again from `spec` (its features replaced when read;
    /// kept, greyed, when the server fails). Nothing when it is being read already.
    pub fn refresh(&mut self, id: crate::model::LayerId, spec: LayerSpec) {
        if self.is_refreshing(id) {
            return;
        }
        let mut pending = PendingLayer::start(spec, false, None, self.window.clone());
        pending.replaces = Some(id);
        self.panel.loading.push(pending);
    }

    /// Whether database layer `id` is being read again.
    pub fn is_refreshing(&self, id: crate::model::LayerId) -> bool {
        self.panel.loading.iter().any(|p| p.replaces == Some(id))
    }

    /// The files read since the last frame, in the order they were asked for: a later file
    /// waits for an earlier one, so that the stack is the order the user gave.
    pub fn finished(&mut self) -> Vec<PendingLayer> {
        let mut done = Vec::new();
        while self
            .panel
            .loading
            .first()
            .is_some_and(PendingLayer::is_finished)
        {
            done.push(self.panel.loading.remove(0));
        }
        done
    }

    /// Opens the preview of the table whose head was being read, once it is (or lists why it
    /// cannot be read).
    fn take_preview_read(&mut self, egui: &egui::Context) {
        let panel = &mut self.panel;
        let Some(outcome) = panel.previewing.as_ref().and_then(PendingPreview::finished) else {
            if panel.previewing.is_some() {
                egui.request_repaint_after(std::time::Duration::from_millis(50));
            }
            return;
        };
        let Some(pending) = panel.previewing.take() else {
            return;
        };
        match outcome {
            Ok(columns) => panel.preview = Some(CsvPreview::new(pending.spec, columns)),
            Err(error) => panel.problems.push(error),
        }
    }

    /// Forgets what is being read and what went wrong (a workspace replaces the layers).
    pub fn clear(&mut self) {
        self.panel.loading.clear();
        self.panel.problems.clear();
        self.table = None;
        self.export = None;
    }

    /// Opens "Export data…" for layer `id`: the attribute table's filtered rows offered (and
    /// chosen) when its filter narrows this layer's, the selection when it is this layer's.
    pub fn export_data(
        &mut self,
        id: crate::model::LayerId,
        atlas: &crate::model::Atlas,
        selected: Option<crate::model::FeatureRef>,
    ) {
        let Some(layer) = atlas.user_layer(id) else {
            return;
        };
        let filtered = self
            .table
            .as_mut()
            .filter(|table| table.layer == id && !table.filter.trim().is_empty())
            .map(|table| table.rows(atlas).to_vec());
        let selected = selected.filter(|s| s.layer == id).map(|s| s.index);
        self.export = Some(crate::ui::panels::data_export::DataExport::new(
            id,
            &layer.name,
            filtered,
            selected,
        ));
    }
}

impl Feature for UserLayers {
    /// The preview of a table being added (its columns confirmed, then it is read), and the
    /// attribute table (a row clicked selects its feature).
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        let mut asked = Vec::new();
        self.take_preview_read(egui);
        if let Some(preview) = &mut self.panel.preview {
            let mut open = true;
            let confirmed = preview.show(egui, ctx.lang, &mut open);
            if !open {
                self.panel.preview = None;
            }
            if let Some(spec) = confirmed {
                self.start(spec, true, None);
            }
        }
        let mut export_asked = None;
        if let Some(table) = &mut self.table {
            let mut open = true;
            let clicked = table.show(egui, ctx.atlas, ctx.selected, ctx.lang, &mut open);
            if std::mem::take(&mut table.export_asked) {
                export_asked = Some(table.layer);
            }
            if !open {
                self.table = None;
            }
            asked.extend(clicked.map(|feature| Action::Select {
                feature: Some(feature),
                fly: true,
            }));
        }
        if let Some(id) = export_asked {
            self.export_data(id, ctx.atlas, ctx.selected);
        }
        if let Some(export) = &mut self.export {
            let mut open = true;
            let result = export.show(egui, ctx.atlas, ctx.lang, &mut open);
            if !open {
                self.export = None;
            }
            if let Some(Ok((path, count))) = result {
                let text = match ctx.lang {
                    crate::model::Lang::Zh => format!("已导出 {count} 个要素到 {}", path.display()),
                    crate::model::Lang::En => {
                        format!("{count} features exported to {}", path.display())
                    }
                };
                asked.push(Action::Say(crate::ui::messages::Said::done(text)));
            }
        }
        asked
    }

    /// While files are read, the window looks again every 50 ms (for the progress shown; a
    /// file read wakes it at once).
    fn poll(&mut self, egui: &egui::Context, _ctx: &Ctx<'_>) -> Vec<Action> {
        if self.window.is_none() {
            self.window = Some(egui.clone());
        }
        if !self.panel.loading.is_empty() {
            egui.request_repaint_after(std::time::Duration::from_millis(50));
        }
        Vec::new()
    }
}
