//! What tests, benchmarks and tours read of the window (and move it by): the atlas, the view,
//! the selection, the settings, the last scene.

use super::AtlasApp;
use crate::model::{Atlas, FeatureRef, Lang};
use crate::render::{LayerSettings, Scene, View};
use crate::ui::basemap::Basemaps;

impl AtlasApp {
    /// Moves the map to a longitude/latitude and zoom (for tours, tests and benchmarks).
    pub fn go_to(&mut self, center: geo::Coord, zoom: f64) {
        let size = self.camera.view().map_or([1280.0, 800.0], |v| v.size);
        self.camera.go(&View::new(center, zoom, size));
    }

    /// "Add database layer…", its state.
    pub fn database_dialog(&self) -> &crate::ui::features::database::DatabaseDialog {
        &self.features.database
    }

    /// The basemap packages, bottom first.
    pub fn basemaps(&self) -> &Basemaps {
        &self.basemaps
    }

    /// Where a lon/lat position is on screen (for tests and tours).
    pub fn screen_position(&self, lonlat: geo::Coord) -> Option<egui::Pos2> {
        self.camera.screen_position(lonlat)
    }

    /// The atlas the app shows.
    pub fn atlas(&self) -> &Atlas {
        &self.data.atlas
    }

    /// The selected feature, if any.
    pub fn selected(&self) -> Option<FeatureRef> {
        self.selection.selected
    }

    /// The industry chosen in the search or a panel, if any.
    pub fn industry(&self) -> Option<&str> {
        self.selection.industry.as_deref()
    }

    /// The features the map emphasises for the chosen industry.
    pub fn emphasised(&self) -> &[FeatureRef] {
        &self.selection.highlight.emphasised
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    /// The map's current view, once the map has been laid out.
    pub fn view(&self) -> Option<View> {
        self.camera.view()
    }

    pub fn layers(&self) -> &LayerSettings {
        &self.settings.layers
    }

    /// The spatial index the map hit-tests and lists features with.
    pub fn index(&self) -> &crate::index::SpatialIndex {
        self.data.builder.index()
    }

    /// What is being measured, while the measuring tool is on.
    pub fn measurement(&self) -> Option<&crate::measure::Measurement> {
        self.features.measuring.measurement.as_ref()
    }

    /// How positions are copied and shown.
    pub fn coord_style(&self) -> crate::coordinates::CoordStyle {
        self.settings.coords
    }

    /// The features "what is here" lists, while its window is open.
    pub fn hit_list(&self) -> Option<&[FeatureRef]> {
        self.features
            .what_is_here
            .list
            .as_ref()
            .map(|list| list.hits.as_slice())
    }

    /// The user's bookmarks.
    pub fn bookmarks(&self) -> &[crate::document::Bookmark] {
        &self.features.bookmarks.list
    }

    /// The scene the map drew in the last frame.
    /// Where the map is on screen, once laid out.
    pub fn map_rect(&self) -> Option<egui::Rect> {
        self.camera.map_rect
    }

    pub fn last_scene(&self) -> Option<&Scene> {
        self.camera.last_scene.as_ref()
    }

    /// The corrections in force.
    pub fn corrections(&self) -> &[crate::geodata::corrections::Correction] {
        &self.features.corrections.list.platforms
    }

    /// The zone outlines replaced.
    pub fn outline_corrections(&self) -> &[crate::geodata::corrections::OutlineCorrection] {
        &self.features.corrections.list.outlines
    }

    /// The open correction form.
    pub fn correction_form(
        &mut self,
    ) -> Option<&mut crate::ui::features::corrections::CorrectionForm> {
        self.features.corrections.form.as_mut()
    }

    /// Makes the user's area `area` the outline of `zone`, as the outline form does; whether
    /// it could.
    pub fn use_as_outline(&mut self, area: FeatureRef, zone: &str, source: &str) -> bool {
        self.correct(crate::ui::action::CorrectionAction::UseAsOutline {
            area,
            zone: zone.to_string(),
            source: source.to_string(),
        })
    }
}
