//! The window's features, each a room of its own: its state, its pane of the side and its
//! windows, drawn from what it may read of the window ([`Ctx`]) and returning what it asks of
//! the window as [`Action`]s, which the window carries out once per frame. Adding a feature is
//! a module here and a field in `AtlasApp`'s features (rerun's views read a context and send
//! commands; egui's demos are one per file behind a trait).

pub mod basemaps;
pub mod bookmarks;
pub mod corrections;
pub mod database;
pub mod drawing;
pub mod editing;
pub mod export;
pub mod help;
pub mod measuring;
pub mod search;
pub mod team;
pub mod tours;
pub mod user_layers;
pub mod what_is_here;
pub mod workspace;

use egui::Ui;

use crate::coordinates::CoordStyle;
use crate::model::{Atlas, FeatureRef, Lang};
use crate::render::{Highlight, LayerSettings, View};
use crate::ui::action::Action;
use crate::ui::basemap::Basemaps;

/// What a feature may read of the window (never change: a change goes out as an action).
pub struct Ctx<'a> {
    pub atlas: &'a Atlas,
    pub lang: Lang,
    /// The map's view, once it is laid out.
    pub view: Option<View>,
    /// Where the map is on screen, once laid out.
    pub map: Option<egui::Rect>,
    /// The feature selected.
    pub selected: Option<FeatureRef>,
    /// How positions are written.
    pub coords: CoordStyle,
    /// Which layers are shown, and how opaque.
    pub layers: &'a LayerSettings,
    /// The basemap packages under the map.
    pub basemaps: &'a Basemaps,
    /// The view last drawn (what the user sees), once there is one.
    pub shown: Option<View>,
    /// The industry shown on the map, if any.
    pub industry: Option<&'a str>,
    /// What the map emphasises (the selection, the industry's features).
    pub highlight: &'a Highlight,
}

/// A feature of the window.
pub trait Feature {
    /// Its pane of the side, where it has one.
    fn pane(&mut self, _ui: &mut Ui, _ctx: &Ctx<'_>) -> Vec<Action> {
        Vec::new()
    }

    /// Its place in the bar at the top, where it has one.
    fn bar(&mut self, _ui: &mut Ui, _ctx: &Ctx<'_>) -> Vec<Action> {
        Vec::new()
    }

    /// Its floating windows.
    fn windows(&mut self, _egui: &egui::Context, _ctx: &Ctx<'_>) -> Vec<Action> {
        Vec::new()
    }

    /// Its background work, once before each frame (eframe's `App::logic`): work finished on
    /// other threads picked up.
    fn poll(&mut self, _egui: &egui::Context, _ctx: &Ctx<'_>) -> Vec<Action> {
        Vec::new()
    }
}
