//! What a scene is asked to show besides the view: the language, each layer's visibility and
//! opacity, and the highlights (hover, selection, a chosen industry, arrows, a spotlight).

use std::collections::BTreeMap;

use crate::model::{FeatureRef, Lang, LayerId};

/// Whether a layer is shown, and how opaque.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LayerSetting {
    pub visible: bool,
    pub opacity: f32,
}

impl Default for LayerSetting {
    fn default() -> Self {
        Self {
            visible: true,
            opacity: 1.0,
        }
    }
}

/// Visibility and opacity of every layer. Saved, it holds the atlas's layers only: a user's
/// layer's setting is saved with that layer (its number changes from run to run).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct LayerSettings(BTreeMap<LayerId, LayerSetting>);

impl serde::Serialize for LayerSettings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().filter(|(layer, _)| !layer.is_user()))
    }
}

impl Default for LayerSettings {
    fn default() -> Self {
        Self(
            LayerId::ALL
                .into_iter()
                .map(|layer| (layer, LayerSetting::default()))
                .collect(),
        )
    }
}

impl LayerSettings {
    pub fn get(&self, layer: LayerId) -> LayerSetting {
        self.0.get(&layer).copied().unwrap_or_default()
    }

    pub fn get_mut(&mut self, layer: LayerId) -> &mut LayerSetting {
        self.0.entry(layer).or_default()
    }

    pub fn visible(&self, layer: LayerId) -> bool {
        self.get(layer).visible
    }

    /// Shows only `layers`; hides the rest.
    pub fn only(layers: &[LayerId]) -> Self {
        let mut settings = Self::default();
        for layer in LayerId::ALL {
            settings.get_mut(layer).visible = layers.contains(&layer);
        }
        settings
    }
}

/// What to draw besides the view itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SceneOptions {
    pub lang: Lang,
    pub layers: LayerSettings,
    pub highlight: Highlight,
    /// A basemap package is drawn underneath: the zones' fills are lighter, so that the
    /// streets show through them.
    pub basemap_below: bool,
    /// The vector basemap tiles to draw (decoded off the UI thread), bottom package first.
    pub vector_tiles: TileSet,
    /// Viewport rectangles labels must stay off ([x0, y0, x1, y1] points): what is drawn over
    /// the map there (an export's legend, inset and scale bar; the window's buttons).
    pub keep_clear: Vec<[f32; 4]>,
}

/// Vector tiles for a scene, each with its package's opacity; two sets are the same when they
/// hold the same tiles.
#[derive(Debug, Clone, Default)]
pub struct TileSet(pub Vec<(std::sync::Arc<crate::render::vector_tile::VectorTile>, f32)>);

impl PartialEq for TileSet {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a, x), (b, y))| std::sync::Arc::ptr_eq(a, b) && x == y)
    }
}

/// What the user is pointing at, has chosen, or searched for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Highlight {
    pub hovered: Option<FeatureRef>,
    pub selected: Option<FeatureRef>,
    /// Features that have the industry chosen in the search; other markers are dimmed.
    pub emphasised: Vec<FeatureRef>,
    /// Cooperation links drawn as arrows (those of the selected zone).
    pub links: Vec<LinkArrow>,
    /// Zones in the spotlight (a presentation stop): the rest of the map is veiled.
    pub spotlight: Vec<FeatureRef>,
    /// The page is for printing (a handout): the spotlight's veil is light, so that what lies
    /// under it still prints legibly and the page does not soak the paper in toner.
    pub print: bool,
}

/// A cooperation link to draw: from one zone to another, labelled with its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArrow {
    pub from: FeatureRef,
    pub to: FeatureRef,
    pub transfer: bool,
    pub chain: String,
    pub label: String,
}
