//! Shapes drawn on the map go into the sketch layer: made on the first shape, a user layer like
//! the others from then on.

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
        let layer = self.sketch_layer();
        let feature = user::drawn_feature(&name, shape);
        if self.data.atlas.add_to_user_layer(layer, feature).is_none() {
            return;
        }
        self.data_changed();
        let title = self.data.atlas.layer_title(layer);
        self.messages.say(
            format!(
                "{} {name} → {}",
                lang.pick("已添加", "Added"),
                title.get(lang)
            ),
            false,
        );
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
}
