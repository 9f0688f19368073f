//! How the window carries out edits: each is applied to the atlas, recorded as one named step
//! of the history, marks its layer unsaved and keeps the layer's copy beside the state; Undo
//! and Redo carry the recorded edits out backwards and forwards (a correction's step restores
//! the corrections as they were).

use std::borrow::Cow;

use super::AtlasApp;
use crate::document::history::Edit;
use crate::geodata::user;
use crate::model::edit::{self, FeatureEdit};
use crate::model::{FeatureRef, LayerId, Text};
use crate::ui::action::EditAction;
use crate::ui::features::editing::{AttributeForm, Drag};
use crate::ui::map_edit::MapEdit;

impl AtlasApp {
    /// Whether `feature` can be edited: a feature of a user's layer open for edits.
    pub fn editable(&self, feature: FeatureRef) -> bool {
        self.data
            .atlas
            .user_layer(feature.layer)
            .is_some_and(|layer| layer.editable)
            && self.data.atlas.feature(feature).is_some()
    }

    /// Opens a user's layer for edits, or closes it to them (its row's "可编辑 / Editable").
    pub fn toggle_editing(&mut self, id: LayerId) {
        self.edit_action(EditAction::ToggleLayer(id));
    }

    pub(super) fn edit_action(&mut self, action: EditAction) {
        let lang = self.lang();
        match action {
            EditAction::Pointer(MapEdit::Grab { feature, grip, at }) => {
                let Some(shape) = (self.editable(feature))
                    .then(|| self.data.atlas.feature(feature))
                    .flatten()
                    .map(|f| f.shape.clone())
                else {
                    return;
                };
                self.features.editing.drag = Some(Drag {
                    feature,
                    grip,
                    from: at,
                    original: shape.clone(),
                    shape,
                });
            }
            EditAction::Pointer(MapEdit::Drag(to)) => {
                if let Some(drag) = &mut self.features.editing.drag {
                    drag.to(to);
                }
            }
            EditAction::Pointer(MapEdit::Drop) => {
                let Some(drag) = self.features.editing.drag.take() else {
                    return;
                };
                if drag.shape != drag.original {
                    self.reshape(drag.feature, drag.shape, drag.grip.step());
                }
            }
            EditAction::Pointer(MapEdit::ChooseVertex(vertex)) => {
                self.features.editing.vertex = vertex
            }
            EditAction::Delete => self.delete_chosen(),
            EditAction::Attributes(feature) => {
                self.features.editing.form = AttributeForm::of(&self.data.atlas, feature);
            }
            EditAction::SaveAttributes => self.save_attributes(),
            EditAction::CloseAttributes => self.features.editing.form = None,
            EditAction::ToggleLayer(id) => {
                let Some(layer) = self.data.atlas.user_layer_mut(id) else {
                    return;
                };
                if layer.is_remote() {
                    // Written back only through the shared corrections (issue 28's next part).
                    self.messages.say(
                        lang.pick(
                            "数据库和服务图层在此为只读",
                            "A database or service layer is read-only here",
                        ),
                        true,
                    );
                    return;
                }
                layer.editable = !layer.editable;
                let open = layer.editable;
                let title = layer.name.clone();
                // Drawing goes into the layer opened last (else into a sketch).
                let drawing = &mut self.features.drawing;
                if open {
                    drawing.target = Some(id);
                } else if drawing.target == Some(id) {
                    drawing.target = None;
                }
                self.messages.say(
                    if open {
                        format!("{}：{title}", lang.pick("开始编辑", "Editing"))
                    } else {
                        format!("{}：{title}", lang.pick("停止编辑", "Editing stopped"))
                    },
                    false,
                );
            }
        }
    }

    /// `feature` given `shape`, as the step `name`.
    fn reshape(&mut self, feature: FeatureRef, shape: crate::model::Shape, name: Text) {
        let Some(before) = self.data.atlas.feature(feature).map(Cow::into_owned) else {
            return;
        };
        let after = user::reshaped(&before, shape);
        self.commit(
            name,
            vec![FeatureEdit {
                layer: feature.layer,
                index: feature.index,
                before: Some(before),
                after: Some(after),
            }],
        );
    }

    /// Delete: the chosen vertex of the selected feature, else the feature itself.
    fn delete_chosen(&mut self) {
        let Some(selected) = self.selection.selected.filter(|f| self.editable(*f)) else {
            return;
        };
        let Some(feature) = self.data.atlas.feature(selected).map(Cow::into_owned) else {
            return;
        };
        let lang = self.lang();
        if let Some(vertex) = self.features.editing.vertex.take() {
            match edit::removed(&feature.shape, vertex) {
                Some(shape) => {
                    self.reshape(selected, shape, Text::new("删除顶点", "Delete vertex"));
                }
                None => self.messages.say(
                    lang.pick(
                        "不能删除：多边形至少保留三个顶点，线至少两个",
                        "Not deleted: a polygon keeps three vertices at least, a line two",
                    ),
                    true,
                ),
            }
            return;
        }
        self.select(None, false);
        let name = feature.name.get(lang).to_string();
        let deleted = self.commit(
            Text::new("删除要素", "Delete feature"),
            vec![FeatureEdit {
                layer: selected.layer,
                index: selected.index,
                before: Some(feature),
                after: None,
            }],
        );
        if deleted {
            self.messages
                .say(format!("{} {name}", lang.pick("已删除", "Deleted")), false);
        }
    }

    /// The attribute form's values, checked against the fields' types, saved as one step.
    fn save_attributes(&mut self) {
        let Some(form) = self.features.editing.form.as_mut() else {
            return;
        };
        let values = match form.checked() {
            Ok(values) => values,
            Err(problems) => {
                form.problems = problems;
                return;
            }
        };
        let at = form.feature;
        self.features.editing.form = None;
        let atlas = &self.data.atlas;
        let (Some(before), Some(layer)) = (
            atlas.feature(at).map(Cow::into_owned),
            atlas.user_layer(at.layer),
        ) else {
            return;
        };
        if before.user().is_some_and(|u| u.values == values) {
            return;
        }
        let after = user::with_values(&before, values, layer.name_field);
        self.commit(
            Text::new("编辑属性", "Edit attributes"),
            vec![FeatureEdit {
                layer: at.layer,
                index: at.index,
                before: Some(before),
                after: Some(after),
            }],
        );
    }

    /// Carries out `edits` as one step named `name` of the history; whether it could be (a
    /// layer closed meanwhile cannot be edited: nothing is changed then).
    pub(super) fn commit(&mut self, name: Text, edits: Vec<FeatureEdit>) -> bool {
        if !self.carry_out(&edits) {
            return false;
        }
        self.features
            .editing
            .history
            .record(name, Edit::Features(edits));
        true
    }

    /// Applies `edits` in turn, all or none; the layers they touch are unsaved from then on,
    /// their index made again and their copies kept.
    fn carry_out(&mut self, edits: &[FeatureEdit]) -> bool {
        for (n, edit) in edits.iter().enumerate() {
            if !self.data.atlas.apply_edit(edit) {
                for done in edits[..n].iter().rev() {
                    self.data.atlas.apply_edit(&done.reversed());
                }
                return false;
            }
        }
        let mut layers: Vec<LayerId> = edits.iter().map(|e| e.layer).collect();
        layers.dedup();
        for layer in &layers {
            if let Some(info) = self.data.atlas.user_layer_mut(*layer) {
                info.drawn = true;
            }
        }
        self.features.editing.vertex = None;
        // The selection may name a feature an edit removed.
        self.show_selection(self.selection.selected);
        // Search reads names and values only: a shape moved or reshaped leaves it as it is.
        if edits.iter().all(FeatureEdit::shape_only) {
            self.shapes_changed();
        } else {
            self.data_changed();
        }
        self.journal(edits);
        true
    }

    /// Ctrl+Z (`back`): the last step taken back; Ctrl+Shift+Z or Ctrl+Y: the last step
    /// undone done again. Said either way, and why not where it cannot be.
    pub(super) fn step_through_history(&mut self, back: bool) {
        let lang = self.lang();
        let history = &mut self.features.editing.history;
        let (step, done_word, none_word) = if back {
            (
                history.undo(),
                lang.pick("已撤销", "Undone"),
                lang.pick("没有可撤销的操作", "Nothing to undo"),
            )
        } else {
            (
                history.redo(),
                lang.pick("已重做", "Redone"),
                lang.pick("没有可重做的操作", "Nothing to redo"),
            )
        };
        let Some((name, edit)) = step else {
            self.messages.say(none_word, false);
            return;
        };
        if self.carry_out_step(edit) {
            self.messages
                .say(format!("{done_word}：{}", name.get(lang)), false);
        } else {
            self.messages.say(
                format!(
                    "{}：{}",
                    name.get(lang),
                    lang.pick("其图层已关闭，无法撤销或重做", "its layer is closed")
                ),
                true,
            );
        }
    }

    fn carry_out_step(&mut self, edit: Edit) -> bool {
        match edit {
            Edit::Features(edits) => self.carry_out(&edits),
            Edit::Corrections { after, .. } => {
                let lang = self.lang();
                let outcome =
                    (self.features.corrections).restore(*after, &mut self.data.atlas, lang);
                self.data_changed();
                if let Some(said) = outcome.said {
                    self.messages.tell(said);
                }
                true
            }
        }
    }
}
