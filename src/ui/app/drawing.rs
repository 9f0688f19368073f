//! Shapes drawn on the map go into the sketch layer: made on the first shape, a user layer like
//! the others from then on. Until it is saved, a copy is kept beside the state as it is drawn
//! (`sketch-recovery.geojson`), and offered back at the next start after a crash or a kill:
//! nothing drawn is lost.

/// The copy of an unsaved sketch, beside the state.
const RECOVERY: &str = "sketch-recovery.geojson";

use super::AtlasApp;
use crate::geodata::user;
use crate::model::{LayerId, Shape};

impl AtlasApp {
    /// Adds a finished shape to the sketch layer (making one if there is none), named by its
    /// kind and number, and says so.
    pub(super) fn add_drawn(&mut self, shape: Shape) {
        let lang = self.lang();
        let Some(tool) = self.features.drawing.tool else {
            return;
        };
        let name = tool.numbered(self.features.drawing.finished, lang);
        // A polygon whose edges cross is kept (it may be meant), but said.
        let crossing = match &shape {
            Shape::Area(area) => area
                .iter()
                .any(|polygon| !crate::geodata::validate::polygon_problems(polygon).is_empty()),
            _ => false,
        };
        let layer = self.sketch_layer();
        let feature = user::drawn_feature(&name, shape);
        if self.data.atlas.add_to_user_layer(layer, feature).is_none() {
            return;
        }
        // Drawn since it was last saved (if it was): unsaved again, and kept as a copy.
        if let Some(info) = self.data.atlas.user_layer_mut(layer) {
            info.drawn = true;
        }
        self.data_changed();
        self.keep_sketch();
        let title = self.data.atlas.layer_title(layer);
        self.messages.say(
            format!(
                "{} {name} → {}",
                lang.pick("已添加", "Added"),
                title.get(lang)
            ),
            false,
        );
        if crossing {
            self.messages.say(
                format!(
                    "{name}：{}",
                    lang.pick("边界自相交（已保留）", "its edges cross (kept as drawn)")
                ),
                true,
            );
        }
    }

    /// Whether the sketch holds shapes in no file.
    pub fn sketch_unsaved(&self) -> bool {
        self.sketch()
            .and_then(|id| self.data.atlas.layer(id))
            .is_some_and(|layer| {
                !layer.features.is_empty() && layer.user.as_deref().is_some_and(|u| u.drawn)
            })
    }

    /// Closing the window with the sketch unsaved asks first, as a desktop program does: save
    /// it, close without it, or stay. (A copy is kept beside the state meanwhile, so even a
    /// kill loses nothing.)
    pub(super) fn ask_before_closing(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && self.sketch_unsaved()
            && !self.features.drawing.may_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.features.drawing.asking_to_close = true;
        }
        if !self.features.drawing.asking_to_close {
            return;
        }
        let lang = self.lang();
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("close-with-an-unsaved-sketch")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading(lang.pick("草图尚未保存", "The sketch is not saved"));
            ui.label(lang.pick(
                "关闭前是否保存草图？不保存则其中的绘制将被丢弃。",
                "Save the sketch before closing? Without saving, what is drawn in it is dropped.",
            ));
            ui.horizontal(|ui| {
                if ui.button(lang.pick("保存…", "Save…")).clicked() {
                    answer = Some(Close::Save);
                }
                if ui.button(lang.pick("不保存", "Don't save")).clicked() {
                    answer = Some(Close::Drop);
                }
                if ui.button(lang.pick("取消", "Cancel")).clicked() {
                    answer = Some(Close::Stay);
                }
            });
        });
        match answer {
            Some(Close::Save) => {
                self.save_sketch();
                self.features.drawing.asking_to_close = false;
                if !self.sketch_unsaved() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Some(Close::Drop) => {
                self.forget_sketch_copy();
                self.features.drawing.asking_to_close = false;
                self.features.drawing.may_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(Close::Stay) => self.features.drawing.asking_to_close = false,
            None => {}
        }
    }

    /// Removes the selected shape of the sketch layer (Delete), and says so; the sketch is
    /// unsaved again, its copy kept.
    pub(super) fn delete_drawn(&mut self) {
        let Some(selected) = self.selection.selected else {
            return;
        };
        if Some(selected.layer) != self.sketch() {
            return;
        }
        self.select(None, false);
        let Some(feature) = self
            .data
            .atlas
            .remove_from_user_layer(selected.layer, selected.index)
        else {
            return;
        };
        if let Some(info) = self.data.atlas.user_layer_mut(selected.layer) {
            info.drawn = true;
        }
        self.data_changed();
        self.keep_sketch();
        let lang = self.lang();
        self.messages.say(
            format!(
                "{} {}",
                lang.pick("已删除", "Deleted"),
                feature.name.get(lang)
            ),
            false,
        );
    }

    /// Says why the last shape could not be finished, if it could not.
    pub(super) fn say_refused_drawing(&mut self) {
        if let Some(why) = self.features.drawing.refused.take() {
            let said = why.get(self.lang()).to_string();
            self.messages.say(said, true);
        }
    }

    /// The layer drawing goes into: the sketch layer made this session if it is still there,
    /// else a new one on top.
    fn sketch_layer(&mut self) -> LayerId {
        if let Some(id) = self.features.drawing.layer
            && self.data.atlas.user_layer(id).is_some()
        {
            return id;
        }
        let count = self.data.atlas.user_layers().count();
        let title = self.lang().pick("草图", "Sketch");
        let id = self
            .data
            .atlas
            .add_user_layer(user::sketch_layer(title, count), Vec::new());
        self.features.drawing.layer = Some(id);
        id
    }

    /// The sketch layer drawn into, if there is one.
    pub fn sketch(&self) -> Option<LayerId> {
        self.features
            .drawing
            .layer
            .filter(|id| self.data.atlas.user_layer(*id).is_some())
    }

    /// Saves the sketch layer as GeoJSON where the user says; with no file dialog (no desktop
    /// portal), in the documents folder under a name not taken, said in the message bar.
    pub(super) fn save_sketch(&mut self) {
        use crate::ui::file_dialog::{Picked, ask};
        let lang = self.lang();
        let Some(id) = self.sketch() else {
            return;
        };
        let title = self.data.atlas.layer_title(id).get(lang).to_string();
        let path = match ask(|| crate::ui::file_dialog::save_geojson(lang, &title)) {
            Picked::Path(path) => path,
            Picked::Cancelled => return,
            Picked::NoDialog => free_name(&crate::paths::documents_dir(), &title),
        };
        match self.save_sketch_to(&path) {
            Ok(()) => self.messages.say(
                format!(
                    "{}: {}",
                    lang.pick("草图已保存", "Sketch saved"),
                    path.display()
                ),
                false,
            ),
            Err(error) => {
                eprintln!("chengyu-atlas: {error}");
                self.messages.say(
                    format!(
                        "{} {error}",
                        lang.pick(
                            "草图未能保存（仍在图层中）：",
                            "The sketch was not saved (it is still in the layer):"
                        )
                    ),
                    true,
                );
            }
        }
    }

    /// Writes the sketch layer to `path`, whole or not at all: KML for `.kml`, a KMZ (its
    /// `doc.kml` zipped) for `.kmz`, a table for `.csv` (lon/lat for points, else WKT), else
    /// GeoJSON. The layer is that file's from then on
    /// (remembered with the state).
    pub fn save_sketch_to(&mut self, path: &std::path::Path) -> Result<(), String> {
        let id = self.sketch().ok_or("there is no sketch layer")?;
        let layer = self
            .data
            .atlas
            .layer(id)
            .ok_or("there is no sketch layer")?;
        let info = layer.user.as_deref().ok_or("there is no sketch layer")?;
        let (bytes, format) = user::write::layer_file(path, info, &layer.features)?;
        crate::atomic_file::write(path, &bytes)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        if let Some(info) = self.data.atlas.user_layer_mut(id) {
            info.path = path.to_path_buf();
            info.format = format;
            info.drawn = false;
        }
        self.forget_sketch_copy();
        Ok(())
    }

    /// Writes the unsaved sketch beside the state, whole or not at all (a failure is said on
    /// stderr: the sketch is still in the window).
    pub(super) fn keep_sketch(&self) {
        let (Some(path), Some(id)) = (self.persist.beside(RECOVERY), self.sketch()) else {
            return;
        };
        let Some(layer) = self.data.atlas.layer(id) else {
            return;
        };
        let Some(info) = layer.user.as_deref().filter(|info| info.drawn) else {
            return;
        };
        let text = user::write::geojson_text(info, &layer.features);
        if let Err(error) = crate::atomic_file::write(&path, text.as_bytes()) {
            eprintln!(
                "chengyu-atlas: the sketch's copy {}: {error}",
                path.display()
            );
        }
    }

    /// The copy of the sketch is no longer needed (saved, or removed by the user).
    pub(super) fn forget_sketch_copy(&self) {
        if let Some(path) = self.persist.beside(RECOVERY) {
            let _ = std::fs::remove_file(path);
        }
    }

    /// A sketch left unsaved by the last run (a crash, a kill), back as the sketch layer, and
    /// said.
    pub(super) fn recover_sketch(&mut self) {
        let Some(path) = self.persist.beside(RECOVERY).filter(|path| path.is_file()) else {
            return;
        };
        let loaded = match user::load(&path, &Default::default()) {
            Ok(loaded) if !loaded.features.is_empty() => loaded,
            Ok(_) => return,
            Err(error) => {
                // Unreadable: kept aside like any file of the user's, never overwritten.
                let why = error.problem_text();
                if let Some(kept) =
                    crate::geodata::kept::move_aside(&path, crate::geodata::kept::Role::Sketch, why)
                {
                    self.messages.kept_aside(kept);
                }
                return;
            }
        };
        let lang = self.lang();
        let count = loaded.features.len();
        let title = lang.pick("草图（已恢复）", "Sketch (recovered)");
        let mut info = user::sketch_layer(title, self.data.atlas.user_layers().count());
        info.set_geometry_kind(&loaded.features);
        let id = self.data.atlas.add_user_layer(info, loaded.features);
        self.features.drawing.layer = Some(id);
        self.features.drawing.finished = count;
        self.data_changed();
        self.messages.say(
            format!(
                "{count} {}",
                lang.pick(
                    "个未保存的绘制已恢复（在“草图（已恢复）”图层中）",
                    "unsaved drawings recovered (in the layer “Sketch (recovered)”)"
                )
            ),
            false,
        );
    }
}

/// `NAME.geojson` in `folder`, or `NAME-2.geojson`… where that is taken.
fn free_name(folder: &std::path::Path, name: &str) -> std::path::PathBuf {
    (1..10_000)
        .map(|n| match n {
            1 => folder.join(format!("{name}.geojson")),
            n => folder.join(format!("{name}-{n}.geojson")),
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| folder.join(format!("{name}.geojson")))
}

/// What the user answered when closing with an unsaved sketch.
enum Close {
    Save,
    Drop,
    Stay,
}
