//! Shapes drawn on the map go into the sketch layer: made on the first shape, a user layer like
//! the others from then on (or into a file's layer open for edits). Until saved, every edit is
//! journalled as it is made (see `recovery`): nothing drawn is lost.

use super::AtlasApp;
use crate::geodata::user;
use crate::model::edit::FeatureEdit;
use crate::model::{LayerId, Shape, Text};

impl AtlasApp {
    /// Adds a finished shape to the layer drawing goes into (a user's layer open for edits,
    /// else the sketch layer, made if there is none), named by its kind and number, as one
    /// step of the history, and says so.
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
        let layer = self.drawing_layer();
        use crate::model::user::{MARKER_COLOR, MARKER_SYMBOL, NOTE_COLOR, NOTE_HALO, NOTE_SIZE};
        use crate::ui::features::drawing::DrawTool;
        let (note, placemark) = (tool == DrawTool::Note, tool == DrawTool::Placemark);
        if note {
            self.give_fields(layer, &[NOTE_SIZE, NOTE_COLOR, NOTE_HALO]);
        }
        if placemark {
            self.give_fields(layer, &[MARKER_COLOR, MARKER_SYMBOL]);
        }
        let Some(target) = self.data.atlas.layer(layer) else {
            return;
        };
        let Some(info) = target.user.as_deref() else {
            return;
        };
        let mut feature = user::drawn_feature(info, &name, shape);
        if note {
            user::make_note(info, &mut feature);
        }
        if placemark {
            user::make_placemark(info, &mut feature);
        }
        let index = target.features.len() as u32;
        let added = self.commit(
            Text::new(format!("添加{name}"), format!("Add {name}")),
            vec![FeatureEdit {
                layer,
                index,
                before: None,
                after: Some(feature),
            }],
        );
        if !added {
            return;
        }
        // A note's text is typed at once, in its form; a placemark's name, description, colour
        // and symbol too (as Google Earth's Add Placemark asks them).
        if note || placemark {
            let at = crate::model::FeatureRef { layer, index };
            self.features.editing.form =
                crate::ui::features::editing::AttributeForm::of(&self.data.atlas, at);
        }
        self.say_gone_into(format!("{} {name}", lang.pick("已添加", "Added")), layer);
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

    /// Says in the message bar that `what` went into `layer` ("已添加 多边形 1 → 草图").
    pub(super) fn say_gone_into(&mut self, what: String, layer: LayerId) {
        let title = self.data.atlas.layer_title(layer);
        let title = title.get(self.lang());
        self.messages.say(format!("{what} → {title}"), false);
    }

    /// Gives `layer` these fields, where it lacks them, and a name field (a sketch gets a
    /// note's or a placemark's fields with its first; its other features leave them empty).
    fn give_fields(&mut self, layer: LayerId, fields: &[&str]) {
        let Some(info) = self.data.atlas.user_layer_mut(layer) else {
            return;
        };
        for field in fields {
            if info.field_index(field).is_none() {
                info.fields.push(field.to_string());
            }
        }
        if info.name_field.is_none() {
            info.fields.push("name".into());
            info.name_field = Some(info.fields.len() - 1);
        }
    }

    /// Whether a layer holds edits in no file (a sketch drawn, a file's layer edited).
    pub fn has_unsaved_edits(&self) -> bool {
        !self.unsaved_layers().is_empty()
    }

    /// The layers with edits in no file (an empty sketch is nothing to lose).
    pub(super) fn unsaved_layers(&self) -> Vec<LayerId> {
        self.data
            .atlas
            .user_layers()
            .filter(|(id, layer)| {
                layer.drawn
                    && !(layer.sketch
                        && self
                            .data
                            .atlas
                            .layer(*id)
                            .is_some_and(|l| l.features.is_empty()))
            })
            .map(|(id, _)| id)
            .collect()
    }

    /// Closing the window with the sketch unsaved asks first, as a desktop program does: save
    /// it, close without it, or stay. (A copy is kept beside the state meanwhile, so even a
    /// kill loses nothing.)
    pub(super) fn ask_before_closing(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && self.has_unsaved_edits()
            && !self.features.drawing.may_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.features.drawing.asking_to_close = true;
        }
        if !self.features.drawing.asking_to_close {
            return;
        }
        let lang = self.lang();
        let answer = ask_to_save(
            ctx,
            "close-with-an-unsaved-sketch",
            lang.pick("有未保存的编辑", "There are unsaved edits"),
            lang.pick(
                "关闭前是否保存草图和编辑过的图层？不保存则这些绘制和编辑将被丢弃。",
                "Save the sketch and the edited layers before closing? Without saving, what was drawn and edited is dropped.",
            ),
            lang,
        );
        match answer {
            Some(Close::Save) => {
                for id in self.unsaved_layers() {
                    self.save_layer(id);
                }
                self.features.drawing.asking_to_close = false;
                if !self.has_unsaved_edits() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Some(Close::Drop) => {
                self.features.editing.journals.forget_all();
                self.features.drawing.asking_to_close = false;
                self.features.drawing.may_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(Close::Stay) => self.features.drawing.asking_to_close = false,
            None => {}
        }
    }

    /// Closing a layer with unsaved edits asks first: save it, close without its edits, or
    /// keep it open.
    pub(super) fn ask_before_removing(&mut self, ctx: &egui::Context) {
        let Some(id) = self.features.drawing.asking_to_remove else {
            return;
        };
        let lang = self.lang();
        let title = self.data.atlas.layer_title(id).get(lang).to_string();
        let question = match lang {
            crate::model::Lang::Zh => {
                format!("关闭“{title}”前是否保存其编辑？不保存则这些编辑将被丢弃。")
            }
            crate::model::Lang::En => {
                format!(
                    "Save the edits of “{title}” before closing it? Without saving, they are dropped."
                )
            }
        };
        let answer = ask_to_save(
            ctx,
            "remove-a-layer-with-unsaved-edits",
            lang.pick("图层有未保存的编辑", "The layer has unsaved edits"),
            &question,
            lang,
        );
        let Some(answer) = answer else {
            return;
        };
        self.features.drawing.asking_to_remove = None;
        match answer {
            Close::Save => {
                self.save_layer(id);
                // Closed once saved; a save that failed (said) or was cancelled keeps it.
                if !self.unsaved_layers().contains(&id) {
                    self.remove_user_layer(id);
                }
            }
            Close::Drop => self.remove_user_layer(id),
            Close::Stay => {}
        }
    }

    /// Says why the last shape could not be finished, if it could not.
    pub(super) fn say_refused_drawing(&mut self) {
        if let Some(why) = self.features.drawing.refused.take() {
            let said = why.get(self.lang()).to_string();
            self.messages.say(said, true);
        }
    }

    /// The layer drawing goes into: the user's layer opened for edits last, else the sketch
    /// layer made this session if it is still there, else a new one on top.
    fn drawing_layer(&mut self) -> LayerId {
        if let Some(id) = self.features.drawing.target
            && self.data.atlas.user_layer(id).is_some_and(|l| l.editable)
        {
            return id;
        }
        self.sketch_layer()
    }

    /// The sketch layer made this session if it is still there, else a new one on top.
    pub(super) fn sketch_layer(&mut self) -> LayerId {
        if let Some(id) = self.sketch() {
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

    /// Saves the sketch layer where the user says (File ▸ Save sketch…).
    pub(super) fn save_sketch(&mut self) {
        if let Some(id) = self.sketch() {
            self.save_layer(id);
        }
    }

    /// Saves a layer's edits: to its own file where the atlas writes that format as it was
    /// read (GeoJSON, KML, KMZ); a sketch, a table or a Shapefile where the user says — with no
    /// file dialog (no desktop portal), in the documents folder under a name not taken, said
    /// in the message bar. A failure is said, and the edits stay in the layer.
    pub(super) fn save_layer(&mut self, id: LayerId) {
        use crate::ui::file_dialog::{Picked, ask};
        let lang = self.lang();
        let Some(layer) = self.data.atlas.user_layer(id) else {
            return;
        };
        let in_place = !layer.sketch
            && matches!(
                layer.format,
                crate::model::user::UserFormat::GeoJson | crate::model::user::UserFormat::Kml
            );
        let path = if in_place {
            layer.path.clone()
        } else {
            let title = layer.name.clone();
            match ask(|| crate::ui::file_dialog::save_geojson(lang, &title)) {
                Picked::Path(path) => path,
                Picked::Cancelled => return,
                Picked::NoDialog => free_name(&crate::paths::documents_dir(), &title),
            }
        };
        match self.save_layer_to(id, &path) {
            Ok(()) => self.messages.say(
                format!("{}: {}", lang.pick("已保存", "Saved"), path.display()),
                false,
            ),
            Err(error) => {
                eprintln!("chengyu-atlas: {error}");
                self.messages.say(
                    format!(
                        "{} {error}",
                        lang.pick(
                            "未能保存（编辑仍在图层中）：",
                            "Not saved (the edits are still in the layer):"
                        )
                    ),
                    true,
                );
            }
        }
    }

    /// The tours' stops that name layer `old` name it `new` (it was saved under that name).
    fn rename_in_tours(&mut self, old: &str, new: &str) {
        let mut renamed = 0;
        for tour in &mut self.features.tours.tours {
            if tour.rename_user_layer(old, new) {
                renamed += 1;
            }
        }
        if renamed > 0 {
            let lang = self.lang();
            self.messages.say(
                match lang {
                    crate::model::Lang::Zh => {
                        format!("{renamed} 个导览中的“{old}”已改为“{new}”（保存导览以保留）")
                    }
                    crate::model::Lang::En => format!(
                        "“{old}” is now “{new}” in {renamed} tour(s) (save the tour to keep it)"
                    ),
                },
                false,
            );
        }
    }

    /// Writes the sketch layer to `path` (see [`save_layer_to`](Self::save_layer_to)).
    pub fn save_sketch_to(&mut self, path: &std::path::Path) -> Result<(), String> {
        let id = self.sketch().ok_or("there is no sketch layer")?;
        self.save_layer_to(id, path)
    }

    /// Writes layer `id` to `path`, whole or not at all: KML for `.kml`, a KMZ (its `doc.kml`
    /// zipped) for `.kmz`, a table for `.csv` (lon/lat for points, else WKT), else GeoJSON.
    /// The layer is that file's from then on (remembered with the state), its edits saved.
    pub fn save_layer_to(&mut self, id: LayerId, path: &std::path::Path) -> Result<(), String> {
        let layer = self.data.atlas.layer(id).ok_or("the layer is closed")?;
        let info = layer.user.as_deref().ok_or("the layer is closed")?;
        let (bytes, format) = user::write::layer_file(path, info, &layer.features)?;
        crate::atomic_file::write(path, &bytes)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned());
        let old_name = info.name.clone();
        if let Some(new_name) = name.as_deref().filter(|n| *n != old_name) {
            self.rename_in_tours(&old_name, new_name);
        }
        if let Some(info) = self.data.atlas.user_layer_mut(id) {
            info.path = path.to_path_buf();
            info.format = format;
            // What was written is in WGS-84 (as RFC 7946 has it): the file is read so next time.
            info.datum = crate::coordinates::datum::Datum::Wgs84;
            info.system = None;
            // Named as the file it is now, as it will be when opened again (tours and search
            // name a layer so).
            if let Some(name) = name {
                info.name = name;
            }
            info.drawn = false;
            info.sketch = false;
        }
        self.features.editing.journals.forget(id);
        Ok(())
    }
}

/// `NAME.geojson` in `folder`, or `NAME-2.geojson`… where that is taken.
pub(super) fn free_name(folder: &std::path::Path, name: &str) -> std::path::PathBuf {
    (1..10_000)
        .map(|n| match n {
            1 => folder.join(format!("{name}.geojson")),
            n => folder.join(format!("{name}-{n}.geojson")),
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| folder.join(format!("{name}.geojson")))
}

/// Asks, in a modal, whether to save before closing: Save…, Don't save or Cancel (`None`
/// until one is clicked).
fn ask_to_save(
    ctx: &egui::Context,
    id: &str,
    heading: &str,
    question: &str,
    lang: crate::model::Lang,
) -> Option<Close> {
    let mut answer = None;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(heading);
        ui.label(question);
        ui.horizontal(|ui| {
            for (choice, zh, en) in [
                (Close::Save, "保存…", "Save…"),
                (Close::Drop, "不保存", "Don't save"),
                (Close::Stay, "取消", "Cancel"),
            ] {
                if ui.button(lang.pick(zh, en)).clicked() {
                    answer = Some(choice);
                }
            }
        });
    });
    answer
}

/// What the user answered when closing with unsaved edits.
enum Close {
    Save,
    Drop,
    Stay,
}
