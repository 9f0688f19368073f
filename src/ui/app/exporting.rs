//! Exporting from the window: the pages the export dialog asks for, laid out with the
//! window's scene builder, and the request for exactly what the window shows.

use super::AtlasApp;
use crate::export::{ExportRequest, Extent, PageSize};
use crate::render::Highlight;
use crate::ui::action::ExportAction;
use crate::ui::features::export::ExportDialog;

impl AtlasApp {
    /// The Export dialog (open it, set its path).
    pub fn export_dialog(&mut self) -> &mut ExportDialog {
        &mut self.features.export
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

    /// What the export dialog asked: a page laid out with the window's scene builder.
    pub(super) fn export(&mut self, action: ExportAction, ctx: &egui::Context) {
        let ExportAction::Compose(request, purpose) = action;
        let composed = crate::export::compose(&self.data.atlas, &mut self.data.builder, &request);
        self.features.export.composed(ctx, purpose, composed);
    }
}
