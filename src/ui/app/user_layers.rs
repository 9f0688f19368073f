//! The user's own layers in the window: adding one (dialog, path field, drop, `--layer`, the
//! saved state), removing, reordering, restyling and zooming to one. The atlas changes, so the
//! scene builder (its index and geometry) and the search are made again.

use super::AtlasApp;
use crate::geodata::user::{self, LayerSpec};
use crate::model::LayerId;
use crate::render::LayerSetting;
use crate::ui::features::search::SearchBox;
use crate::ui::panels::attribute_table::AttributeTable;
use crate::ui::panels::user_layers::{PendingPreview, UserLayerAction};
use crate::ui::state::SavedUserLayer;

impl AtlasApp {
    /// Starts adding a user's file as a layer on top: it is read in the background (the panel
    /// shows how far, with Cancel) and added when read; what went wrong is said in the layer
    /// panel (and on stderr).
    pub fn add_layer(&mut self, spec: &LayerSpec) {
        // A GeoPackage is each of its feature tables.
        for one in user::expand(spec) {
            self.start_layer(one, false, None);
        }
    }

    fn start_layer(&mut self, mut spec: LayerSpec, zoom_to: bool, setting: Option<LayerSetting>) {
        // A database layer is read within the view (and the view around it), as QGIS reads
        // a PostGIS layer's extent: never the whole of a table of millions; so is a
        // GeoPackage's table too big to hold. Every layer is given it: a reader that reads
        // its file whole passes it by.
        if spec.extent.is_none() {
            spec.extent = Some(self.database_extent());
        }
        self.features.user_layers.start(spec, zoom_to, setting);
    }

    /// What a database layer reads: the view and a view's width and height around it (a
    /// pan stays within what was read); before the map is laid out, the view restored (for a
    /// full-HD window), else the atlas's region.
    fn database_extent(&self) -> geo::Rect {
        let region = self.data.atlas.bounds().unwrap_or_else(user::region);
        let Some(view) = self.camera.expected_view() else {
            return region;
        };
        let shown = view.bounds();
        let (w, h) = (shown.width(), shown.height());
        geo::Rect::new(
            geo::coord! { x: (shown.min().x - w).max(-180.0), y: (shown.min().y - h).max(-90.0) },
            geo::coord! { x: (shown.max().x + w).min(180.0), y: (shown.max().y + h).min(90.0) },
        )
    }

    /// Reads database layer `id` again for the view (its features replaced when read).
    pub fn refresh_database_layer(&mut self, id: LayerId) {
        let Some(layer) = self.data.atlas.user_layer(id).filter(|l| l.is_remote()) else {
            return;
        };
        let mut spec = LayerSpec::new(layer.path.clone(), Some(layer.datum));
        spec.extent = Some(self.database_extent());
        self.features.user_layers.refresh(id, spec);
    }

    /// The database layers whose view has left what they read, read again: once the map
    /// rests (no button held), one read at a time per layer.
    pub(super) fn follow_database_layers(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.pointer.any_down()) {
            return;
        }
        let Some(shown) = self.camera.view().map(|v| v.bounds()) else {
            return;
        };
        let within = |outer: geo::Rect| {
            outer.min().x <= shown.min().x
                && outer.min().y <= shown.min().y
                && outer.max().x >= shown.max().x
                && outer.max().y >= shown.max().y
        };
        let wanted: Vec<LayerId> = self
            .data
            .atlas
            .user_layers()
            .filter(|(_, l)| l.is_remote() && l.stale.is_none())
            .filter(|(_, l)| {
                let left = l.read_within.is_some_and(|r| !within(r));
                let due = l.style.refresh_minutes.is_some_and(|minutes| {
                    l.read_at
                        .is_some_and(|at| at.elapsed().as_secs() >= u64::from(minutes) * 60)
                });
                left || due
            })
            .map(|(id, _)| id)
            .filter(|&id| !self.features.user_layers.is_refreshing(id))
            .collect();
        for id in wanted {
            self.refresh_database_layer(id);
        }
    }

    /// How many files are being read.
    pub fn layers_loading(&self) -> usize {
        let panel = &self.features.user_layers.panel;
        let previewing =
            panel.previewing.is_some() || panel.preview.as_ref().is_some_and(|p| p.reading());
        panel.loading.len() + self.data.pyramid_jobs.len() + usize::from(previewing)
    }

    /// Big layers whose aggregation is being built (they show once it is done).
    pub fn layers_aggregating(&self) -> usize {
        self.data.pyramid_jobs.len()
    }

    /// How many big layers' pyramids were built on other threads and taken in.
    pub fn pyramids_received(&self) -> usize {
        self.data.pyramids_received
    }

    /// Starts building the pyramids of the big layers left out of the index (one thread each;
    /// a layer whose job is already running waits for it).
    fn start_pyramids(&mut self, deferred: Vec<crate::model::LayerId>) {
        for layer in deferred {
            if self.data.pyramid_jobs.iter().any(|(l, _)| *l == layer) {
                continue;
            }
            let Some(job) = crate::index::clusters::PointPyramid::job(&self.data.atlas, layer)
            else {
                continue;
            };
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                crate::process::work_behind_the_window();
                let _ = sender.send(job.build());
            });
            self.data.pyramid_jobs.push((layer, receiver));
        }
    }

    /// Puts the pyramids built since the last frame into the index.
    pub(super) fn poll_pyramids(&mut self, ctx: &egui::Context) {
        use std::sync::mpsc::TryRecvError;
        if self.data.pyramid_jobs.is_empty() {
            return;
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let mut index = 0;
        while index < self.data.pyramid_jobs.len() {
            match self.data.pyramid_jobs[index].1.try_recv() {
                Err(TryRecvError::Empty) => index += 1,
                Ok(built) => {
                    self.data.pyramid_jobs.remove(index);
                    if let Some(pyramid) = built {
                        self.data.pyramids_received += 1;
                        let (builder, deferred) =
                            self.data.builder.with_pyramid(&self.data.atlas, pyramid);
                        self.data.builder = builder;
                        self.start_pyramids(deferred);
                        ctx.request_repaint();
                    }
                }
                Err(TryRecvError::Disconnected) => {
                    self.data.pyramid_jobs.remove(index);
                }
            }
        }
    }

    /// Adds the layers read since the last frame, in the order they were asked for.
    pub(super) fn poll_layers(&mut self) {
        self.start_awaited_layers();
        let mut changed = false;
        for pending in self.features.user_layers.finished() {
            let (pending, result, filed) = pending.finish();
            if let Some(id) = pending.replaces {
                let refreshed = self.take_refresh(id, result);
                if refreshed {
                    self.data.filed.extend(filed);
                }
                changed |= refreshed;
                continue;
            }
            let started = std::time::Instant::now();
            let added =
                result.and_then(|loaded| user::insert(&mut self.data.atlas, &pending.spec, loaded));
            if std::env::var_os(crate::process::TIMING_VARIABLE).is_some() {
                eprintln!(
                    "chengyu-atlas: a layer inserted in {:.1} ms",
                    started.elapsed().as_secs_f64() * 1e3
                );
            }
            match added {
                Ok((id, problems)) => {
                    self.data.filed.extend(filed);
                    for problem in &problems {
                        eprintln!("chengyu-atlas: {problem}");
                    }
                    self.features.user_layers.panel.problems.extend(problems);
                    if let Some(setting) = pending.setting {
                        *self.settings.layers.get_mut(id) = setting;
                    } else {
                        *self.settings.layers.get_mut(id) = LayerSetting::default();
                    }
                    changed = true;
                    self.replay_awaited(id, &pending.spec.path);
                    if pending.zoom_to {
                        self.data_changed();
                        changed = false;
                        self.zoom_to_layer(id);
                    }
                }
                Err(error) if error.problem == user::CANCELLED => {}
                Err(error) => {
                    eprintln!("chengyu-atlas: {error}");
                    self.features.user_layers.panel.problems.push(error);
                }
            }
        }
        if changed {
            self.data_changed();
        }
    }

    /// A database layer read again: its features replaced (the selection and its table, which
    /// point into the old ones, closed); or, when the server failed, its last data kept,
    /// greyed, and why said. Whether the atlas changed.
    fn take_refresh(
        &mut self,
        id: LayerId,
        result: Result<user::LoadedLayer, crate::geodata::DataError>,
    ) -> bool {
        match result {
            Ok(loaded) => {
                self.let_go_of(id);
                let old = self
                    .data
                    .atlas
                    .refresh_user_layer(id, loaded.info, loaded.features);
                let refreshed = old.is_some();
                let _ = std::thread::Builder::new()
                    .name("old-features".into())
                    .spawn(move || drop(old));
                refreshed
            }
            Err(error) if error.problem == user::CANCELLED => false,
            Err(error) => {
                eprintln!("chengyu-atlas: {error}");
                let why = error.problem_text();
                // Drawn greyed from the next frame (the atlas's revision moves); its index and
                // search stand, its features being the same.
                if let Some(layer) = self.data.atlas.user_layer_mut(id) {
                    layer.stale = Some(why);
                }
                false
            }
        }
    }

    /// Shows these files as layers (`--layer`), each in its datum.
    pub fn with_layer_files(mut self, files: &[LayerSpec]) -> Self {
        for spec in files {
            self.add_layer(spec);
        }
        self
    }

    /// Shows the layers the last run showed, in their styles, visibility and opacity (a file
    /// that has moved or broken is said in the layer panel; the others open).
    pub fn with_saved_layers(mut self) -> Self {
        let saved = self.persist.saved.user_layers.clone();
        self.restore_layers(&saved);
        self
    }

    /// Starts reading `saved` layers, in their styles, visibility and opacity.
    pub(super) fn restore_layers(&mut self, saved: &[SavedUserLayer]) {
        for layer in saved {
            let spec = LayerSpec {
                path: layer.path.clone(),
                datum: layer.datum,
                style: Some(layer.style.clone()),
                csv: layer.csv.clone(),
                extent: None,
            };
            let setting = LayerSetting {
                visible: layer.visible,
                opacity: layer.opacity,
            };
            self.start_layer(spec, false, Some(setting));
        }
    }

    /// The user's layers as the state remembers them, bottom first.
    pub(super) fn saved_layers(&self) -> Vec<SavedUserLayer> {
        self.data
            .atlas
            .user_layers()
            // A sketch not saved to a file has no file to open again.
            .filter(|(_, layer)| !layer.sketch)
            .filter_map(|(id, _)| self.saved_layer(id))
            .collect()
    }

    /// User layer `id` as the state remembers it: its file, datum, style and setting.
    pub(super) fn saved_layer(&self, id: LayerId) -> Option<SavedUserLayer> {
        let layer = self.data.atlas.user_layer(id)?;
        let setting = self.settings.layers.get(id);
        Some(SavedUserLayer {
            path: layer.path.clone(),
            datum: Some(layer.datum),
            style: layer.style.clone(),
            visible: setting.visible,
            opacity: setting.opacity,
            csv: layer.csv.clone(),
        })
    }

    /// Closes user layer `id`, its edits, steps and table with it.
    pub(super) fn remove_user_layer(&mut self, id: LayerId) {
        self.let_go_of(id);
        // A layer removed with its edits unsaved drops them on purpose: their journal
        // goes too.
        self.features.editing.journals.forget(id);
        self.data.atlas.remove_user_layer(id);
        // Its steps go with it: a layer added later may take its number.
        self.features.editing.history.forget_layer(id);
        self.data_changed();
    }

    /// What points into layer `id`'s features by index — the selection, its attribute table —
    /// let go of (the layer is closed, or its features replaced).
    fn let_go_of(&mut self, id: LayerId) {
        if self.selection.selected.is_some_and(|f| f.layer == id) {
            self.select(None, false);
        }
        if self
            .features
            .user_layers
            .table
            .as_ref()
            .is_some_and(|t| t.layer == id)
        {
            self.features.user_layers.table = None;
        }
    }

    pub(super) fn user_layer_action(&mut self, action: UserLayerAction) {
        match action {
            UserLayerAction::Add(path, datum) => {
                self.features.user_layers.panel.file.path.clear();
                // The datum chosen was this file's: the next starts at "as the file says".
                self.features.user_layers.panel.datum = None;
                let spec = LayerSpec::new(path, datum);
                // A table is previewed first: its sheet and columns confirmed, swapped if need be.
                if matches!(
                    user::format_of(&spec.path),
                    Some(
                        crate::model::user::UserFormat::Csv | crate::model::user::UserFormat::Excel
                    )
                ) {
                    let options = spec.csv.clone();
                    self.features.user_layers.panel.previewing =
                        Some(PendingPreview::start(spec, options));
                    return;
                }
                // A database layer is read for the view: it is shown where the user looks.
                let zoom_to = !user::is_remote_address(&spec.path);
                // A GeoPackage is each of its feature tables.
                for one in user::expand(&spec) {
                    self.start_layer(one, zoom_to, None);
                }
            }
            UserLayerAction::Browse => {
                use crate::ui::file_dialog::{Picked, ask, pick_layer};
                match ask(|| pick_layer(self.settings.lang)) {
                    Picked::Path(path) => {
                        let datum = self.features.user_layers.panel.datum;
                        self.user_layer_action(UserLayerAction::Add(path, datum));
                    }
                    Picked::NoDialog => {
                        // The path field, where it can be seen (the menu may have asked).
                        self.features.user_layers.panel.file.no_dialog = true;
                        self.settings.dock.show(crate::ui::dock::Pane::Layers);
                        self.settings.panel_hidden = false;
                    }
                    Picked::Cancelled => {}
                }
            }
            UserLayerAction::Remove(id) => {
                // A layer holding unsaved edits is not closed without asking (as QGIS asks).
                if self.unsaved_layers().contains(&id) {
                    self.features.drawing.asking_to_remove = Some(id);
                } else {
                    self.remove_user_layer(id);
                }
            }
            UserLayerAction::ZoomTo(id) => self.zoom_to_layer(id),
            UserLayerAction::Save(id) => self.save_layer(id),
            UserLayerAction::OpenDatabase(address) => {
                self.features.database.open_with(address);
            }
            UserLayerAction::OpenService => self.features.database.open_for_service(),
            UserLayerAction::Refresh(id) => {
                if let Some(layer) = self.data.atlas.user_layer_mut(id) {
                    // Tried again: drawn as usual until the server fails again.
                    layer.stale = None;
                }
                self.refresh_database_layer(id);
            }
            UserLayerAction::Retry(path) => {
                let origin = path.display().to_string();
                self.features
                    .user_layers
                    .panel
                    .problems
                    .retain(|p| p.origin != origin);
                self.start_layer(LayerSpec::new(path, None), false, None);
            }
            UserLayerAction::ToggleEditing(id) => {
                self.edit_action(crate::ui::action::EditAction::ToggleLayer(id));
            }
            UserLayerAction::ExportData(id) => {
                let selected = self.selection.selected;
                self.features
                    .user_layers
                    .export_data(id, &self.data.atlas, selected);
            }
            UserLayerAction::OpenTable(id) => {
                self.features.user_layers.table = Some(AttributeTable::new(id));
            }
            UserLayerAction::Move(id, up) => {
                let ids: Vec<LayerId> = self.data.atlas.user_layers().map(|(id, _)| id).collect();
                let Some(at) = ids.iter().position(|&other| other == id) else {
                    return;
                };
                let other = if up {
                    at.checked_add(1)
                } else {
                    at.checked_sub(1)
                };
                if let Some(&other) = other.and_then(|i| ids.get(i)) {
                    self.select(None, false);
                    self.features.user_layers.table = None;
                    self.data.atlas.swap_user_layers(id, other);
                    let (a, b) = (
                        self.settings.layers.get(id),
                        self.settings.layers.get(other),
                    );
                    *self.settings.layers.get_mut(id) = b;
                    *self.settings.layers.get_mut(other) = a;
                    self.data_changed();
                }
            }
            UserLayerAction::Restyle(id, style) => {
                let category = style.category_field.clone();
                let recategorise = self
                    .data
                    .atlas
                    .user_layer(id)
                    .is_some_and(|layer| layer.style.category_field != category);
                if let Some(layer) = self.data.atlas.user_layer_mut(id) {
                    layer.style = style;
                }
                if recategorise {
                    self.data.atlas.categorise(id, category);
                    // A big layer's clusters carry their category.
                    if self.data.builder.index().pyramid(id).is_some() {
                        self.data_changed();
                    }
                }
            }
        }
    }

    /// The attribute table open, if any (for tests).
    pub fn table(&self) -> Option<&AttributeTable> {
        self.features.user_layers.table.as_ref()
    }

    /// Shows a user's layer whole.
    pub fn zoom_to_layer(&mut self, id: LayerId) {
        let bounds = crate::model::bounds_of(
            self.data
                .atlas
                .layer(id)
                .into_iter()
                .flat_map(|l| &l.features),
        );
        if let Some(bounds) = bounds {
            self.camera.fit_rect(bounds);
        }
    }

    /// The atlas changed (a layer added, removed or moved): its index, geometry and search are
    /// made again.
    pub(super) fn data_changed(&mut self) {
        let started = std::time::Instant::now();
        self.shapes_changed();
        let shapes = started.elapsed();
        self.features.search = SearchBox::new(&self.data.atlas);
        if std::env::var_os(crate::process::TIMING_VARIABLE).is_some() {
            eprintln!(
                "chengyu-atlas: the atlas changed: index and geometry {:.1} ms, search {:.1} ms",
                shapes.as_secs_f64() * 1e3,
                (started.elapsed() - shapes).as_secs_f64() * 1e3
            );
        }
    }

    /// Features' shapes changed, not their names or values: the index and the areas made
    /// again, the search kept (its entries are words).
    pub(super) fn shapes_changed(&mut self) {
        let filed = std::mem::take(&mut self.data.filed);
        let (builder, deferred) = self
            .data
            .builder
            .rebuilt_deferring(&self.data.atlas, &filed);
        let old = std::mem::replace(&mut self.data.builder, builder);
        // A big layer's index and geometry take tens of milliseconds to free: not on the
        // window's thread.
        let _ = std::thread::Builder::new()
            .name("old-index".into())
            .spawn(move || drop(old));
        self.start_pyramids(deferred);
        self.data.areas = crate::ui::panels::details::AreaCache::new();
    }
}
