//! The session's history of edits, for Undo and Redo (Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y) across
//! everything the user changes: a drawn or edited feature of a user's layer and a platform's or
//! zone's correction alike, each step named ("移动顶点 / Move vertex") as the Edit menu shows
//! it. A new edit drops the steps undone before it, as every editor does.

use crate::geodata::corrections::Corrections;
use crate::model::Text;
use crate::model::edit::FeatureEdit;

/// Steps kept: more is memory for edits no one goes back to.
pub const MAX_STEPS: usize = 500;

/// What a step changed, with enough to take it back and do it again.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Features of the user's layers, each replaced, added or removed (in this order; undone
    /// in the reverse).
    Features(Vec<FeatureEdit>),
    /// The corrections as they were before and after (a few entries: kept whole, so that an
    /// import is undone as one step).
    Corrections {
        before: Box<Corrections>,
        after: Box<Corrections>,
    },
}

impl Edit {
    /// The edit that takes this one back.
    pub fn reversed(&self) -> Self {
        match self {
            Edit::Features(edits) => {
                Edit::Features(edits.iter().rev().map(FeatureEdit::reversed).collect())
            }
            Edit::Corrections { before, after } => Edit::Corrections {
                before: after.clone(),
                after: before.clone(),
            },
        }
    }
}

/// One step: its name and what it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub name: Text,
    pub edit: Edit,
}

/// The steps done (the last is undone first) and undone (the last is redone first).
#[derive(Debug, Default)]
pub struct History {
    done: Vec<Step>,
    undone: Vec<Step>,
}

impl History {
    /// A step the user just took: the steps undone before it are dropped.
    pub fn record(&mut self, name: Text, edit: Edit) {
        self.undone.clear();
        self.done.push(Step { name, edit });
        if self.done.len() > MAX_STEPS {
            self.done.remove(0);
        }
    }

    /// The name of the step Undo would take back.
    pub fn to_undo(&self) -> Option<&Text> {
        self.done.last().map(|step| &step.name)
    }

    /// The name of the step Redo would do again.
    pub fn to_redo(&self) -> Option<&Text> {
        self.undone.last().map(|step| &step.name)
    }

    /// Undo: the last step done, now undone, with the edit that takes it back.
    pub fn undo(&mut self) -> Option<(Text, Edit)> {
        let step = self.done.pop()?;
        let back = (step.name.clone(), step.edit.reversed());
        self.undone.push(step);
        Some(back)
    }

    /// Redo: the last step undone, done again, with its edit.
    pub fn redo(&mut self) -> Option<(Text, Edit)> {
        let step = self.undone.pop()?;
        let again = (step.name.clone(), step.edit.clone());
        self.done.push(step);
        Some(again)
    }

    /// Drops the steps that touch `layer` (it was closed: its features are gone).
    pub fn forget_layer(&mut self, layer: crate::model::LayerId) {
        let touches = |step: &Step| match &step.edit {
            Edit::Features(edits) => edits.iter().any(|edit| edit.layer == layer),
            Edit::Corrections { .. } => false,
        };
        self.done.retain(|step| !touches(step));
        self.undone.retain(|step| !touches(step));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LayerId;

    fn step(n: u32) -> Edit {
        Edit::Features(vec![FeatureEdit {
            layer: LayerId::User(0),
            index: n,
            before: None,
            after: None,
        }])
    }

    #[test]
    fn undo_then_redo_walks_back_and_forth_and_a_new_edit_drops_the_undone() {
        let mut history = History::default();
        history.record(Text::new("一", "one"), step(1));
        history.record(Text::new("二", "two"), step(2));
        assert_eq!(history.to_undo().map(|t| t.en.as_str()), Some("two"));
        let (name, _) = history.undo().expect("undone");
        assert_eq!(name.en, "two");
        assert_eq!(history.to_redo().map(|t| t.en.as_str()), Some("two"));
        let (name, edit) = history.redo().expect("redone");
        assert_eq!((name.en.as_str(), edit), ("two", step(2)));
        history.undo();
        history.record(Text::new("三", "three"), step(3));
        assert_eq!(history.to_redo(), None, "a new edit drops what was undone");
        assert_eq!(history.undo().map(|(n, _)| n.en), Some("three".into()));
        assert_eq!(history.undo().map(|(n, _)| n.en), Some("one".into()));
        assert_eq!(history.undo(), None);
    }

    #[test]
    fn a_closed_layer_takes_its_steps_with_it() {
        let mut history = History::default();
        history.record(Text::new("一", "one"), step(1));
        history.forget_layer(LayerId::User(0));
        assert_eq!(history.to_undo(), None);
    }
}
