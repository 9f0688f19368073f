//! Exporting from the window: the export dialog over the window's current state, and the
//! request for exactly what the window shows.

use super::AtlasApp;
use crate::export::{ExportRequest, Extent, PageSize};
use crate::render::Highlight;
use crate::ui::export_dialog::{ExportDialog, WindowState};

impl AtlasApp {
    /// The Export dialog (open it, set its path).
    pub fn export_dialog(&mut self) -> &mut ExportDialog {
        &mut self.dialogs.export
    }

    /// An export of exactly what the window shows, at `size`.
    pub fn export_request(&self, size: PageSize) -> Option<ExportRequest> {
        let view = self.camera.shown_view()?;
        let mut request = ExportRequest::new(Extent::View(view), size);
        request.lang = self.settings.lang;
        request.layers = self.settings.layers.clone();
        request.highlight = Highlight {
            hovered: None,
            ..self.selection.highlight.clone()
        };
        request.basemaps = self.basemaps.for_export();
        Some(request)
    }

    /// The export dialog, over the window's current state.
    pub(super) fn export_window(&mut self, ctx: &egui::Context) {
        let state = WindowState {
            view: self.camera.shown_view(),
            lang: self.settings.lang,
            layers: &self.settings.layers,
            highlight: &self.selection.highlight,
            selected: self
                .selection
                .selected
                .and_then(|f| self.data.atlas.feature(f))
                .map(|f| f.id.clone()),
            basemaps: self.basemaps.for_export(),
        };
        self.dialogs
            .export
            .show(ctx, &self.data.atlas, &mut self.data.builder, &state);
    }
}
