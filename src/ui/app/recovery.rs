//! Nothing drawn or edited is lost: every edit of a user's layer is journalled as it is made
//! (`document::journal`), and the next start after a crash or a kill replays what the last
//! run left unsaved — a sketch onto a new sketch layer, a file's edits onto its file read
//! again — marked unsaved, and says so.

use super::AtlasApp;
use crate::document::journal::{self, Found};
use crate::geodata::kept;
use crate::geodata::user;
use crate::model::edit::FeatureEdit;
use crate::model::{LayerId, Text};

/// The copy of an unsaved sketch that runs before the journals kept, beside the state.
const OLD_SKETCH_COPY: &str = "sketch-recovery.geojson";

impl AtlasApp {
    /// Starts journalling (a run whose state is kept somewhere) and recovers what the last
    /// run left unsaved.
    pub(super) fn recover_edits(&mut self) {
        let folder = self.persist.beside(journal::FOLDER);
        self.features.editing.journals = journal::Journals::new(folder.clone());
        self.recover_old_sketch_copy();
        let Some(folder) = folder else {
            return;
        };
        let (found, unreadable) = journal::left_behind(&folder);
        for (path, why) in unreadable {
            let why = Text::new(why.clone(), why);
            if let Some(kept) = kept::move_aside(&path, kept::Role::Edits, why) {
                self.messages.kept_aside(kept);
            }
        }
        for found in found {
            match found.layer() {
                None => self.recover_sketch(found),
                Some(_) if found.file_unchanged() => self.features.editing.awaiting.push(found),
                Some(layer) => {
                    // Its steps name features by their place in the file as it was: replayed on
                    // another file they would change the wrong ones.
                    let why = Text::new(
                        format!("{} 在编辑之后已被改变，编辑无法重做", layer.path.display()),
                        format!(
                            "{} changed after the edits were made: they cannot be replayed",
                            layer.path.display()
                        ),
                    );
                    if let Some(kept) = kept::move_aside(&found.path, kept::Role::Edits, why) {
                        self.messages.kept_aside(kept);
                    }
                }
            }
        }
    }

    /// A sketch the last run left unsaved, replayed onto a new sketch layer.
    fn recover_sketch(&mut self, found: Found) {
        let lang = self.lang();
        let suffix = lang.pick("（已恢复）", " (recovered)");
        // Recovered twice, it is still "草图（已恢复）".
        let title = match found.title().ends_with(suffix) {
            true => found.title().to_string(),
            false => format!("{}{suffix}", found.title()),
        };
        let info = user::sketch_layer(&title, self.data.atlas.user_layers().count());
        let id = self.data.atlas.add_user_layer(info, Vec::new());
        let replayed = found.replay(&mut self.data.atlas, id);
        let count = self.data.atlas.layer(id).map_or(0, |l| l.features.len());
        if count == 0 {
            // Drawn and all taken back: nothing to offer.
            self.data.atlas.remove_user_layer(id);
            let _ = std::fs::remove_file(&found.path);
            return;
        }
        self.features.editing.journals.adopt(id, found);
        self.features.drawing.layer = Some(id);
        self.features.drawing.finished = self.features.drawing.finished.max(replayed);
        self.data_changed();
        self.messages.say(
            format!(
                "{count} {}{title}{}",
                lang.pick(
                    "个未保存的绘制已恢复（在“",
                    "unsaved drawings recovered (in the layer “"
                ),
                lang.pick("”图层中）", "”)")
            ),
            false,
        );
    }

    /// The layers whose journals wait for them and are not being read are started (once, after
    /// the state's and the command line's layers were).
    pub(super) fn start_awaited_layers(&mut self) {
        if std::mem::replace(&mut self.features.editing.awaiting_started, true) {
            return;
        }
        let starting: Vec<_> = self
            .features
            .editing
            .awaiting
            .iter()
            .filter_map(|found| found.layer())
            .filter(|saved| {
                !self
                    .features
                    .user_layers
                    .panel
                    .loading
                    .iter()
                    .any(|pending| same_file(&pending.spec.path, &saved.path))
            })
            .cloned()
            .collect();
        self.restore_layers(&starting);
    }

    /// Layer `id` was read from `path`: the edits the last run left unsaved on that file are
    /// replayed onto it, and said.
    pub(super) fn replay_awaited(&mut self, id: LayerId, path: &std::path::Path) {
        let awaiting = &mut self.features.editing.awaiting;
        let Some(at) = awaiting
            .iter()
            .position(|found| found.layer().is_some_and(|l| same_file(&l.path, path)))
        else {
            return;
        };
        let found = awaiting.remove(at);
        let replayed = found.replay(&mut self.data.atlas, id);
        if replayed == 0 {
            let _ = std::fs::remove_file(&found.path);
            return;
        }
        if let Some(info) = self.data.atlas.user_layer_mut(id) {
            info.drawn = true;
            info.editable = true;
        }
        // The caller (the layer just read) makes the index again.
        self.features.editing.journals.adopt(id, found);
        let lang = self.lang();
        let title = self.data.atlas.layer_title(id);
        self.messages.say(
            format!(
                "{}: {replayed} {}",
                title.get(lang),
                lang.pick(
                    "项未保存的编辑已恢复（尚未写入文件）",
                    "unsaved edits recovered (not yet written to the file)"
                )
            ),
            false,
        );
    }

    /// `edits` carried out: appended to their layers' journals.
    pub(super) fn journal(&mut self, edits: &[FeatureEdit]) {
        let journals = &self.features.editing.journals;
        let openings: Vec<_> = edits
            .iter()
            .filter(|edit| !journals.has(edit.layer))
            .filter_map(|edit| Some((edit.layer, self.saved_layer(edit.layer)?)))
            .collect();
        self.features
            .editing
            .journals
            .record(&self.data.atlas, edits, &openings);
    }

    /// A sketch copy left by a run before journals (read once, then journalled like any).
    fn recover_old_sketch_copy(&mut self) {
        let Some(path) = self.persist.beside(OLD_SKETCH_COPY).filter(|p| p.is_file()) else {
            return;
        };
        let loaded = match user::load(&path, &Default::default()) {
            Ok(loaded) => loaded,
            Err(error) => {
                if let Some(kept) = kept::move_aside(&path, kept::Role::Edits, error.problem_text())
                {
                    self.messages.kept_aside(kept);
                }
                return;
            }
        };
        if !loaded.features.is_empty() {
            let title = self.lang().pick("草图（已恢复）", "Sketch (recovered)");
            let mut info = user::sketch_layer(title, self.data.atlas.user_layers().count());
            info.set_geometry_kind(&loaded.features);
            let count = loaded.features.len();
            let id = self.data.atlas.add_user_layer(info, Vec::new());
            let edits: Vec<FeatureEdit> = (0..)
                .zip(loaded.features.into_vec())
                .map(|(index, feature)| FeatureEdit {
                    layer: id,
                    index,
                    before: None,
                    after: Some(feature),
                })
                .collect();
            for edit in &edits {
                self.data.atlas.apply_edit(edit);
            }
            self.journal(&edits);
            self.features.drawing.layer = Some(id);
            self.features.drawing.finished = count;
            self.data_changed();
        }
        let _ = std::fs::remove_file(&path);
    }
}

/// Whether two paths name one file (as written, or once resolved).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(a), Ok(b)) if a == b
        )
}
