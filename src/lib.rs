//! Chengyu Atlas (成渝科创地图): an offline desktop map of the Chengdu–Chongqing economic circle
//! and the Western (Chongqing) Science City.
//!
//! Data flows one way: files ([`geodata`]) → [`model`] → [`index`] and the [`render`] scene →
//! the window ([`ui`]) or a file ([`export`]). [`tour`] holds the guided tours and the
//! presenter's state machine; [`search`] finds zones, platforms and industries; [`text`] is the
//! bundled font and how wide text set in it is. The binary is a thin wrapper around
//! [`cli::main`], given [`ui::run`] to open the window. Nothing below `ui` knows egui's app
//! machinery, and nothing imports upwards: [`coordinates`] is at the bottom, the saved
//! [`document`] below the window, and the command line never imports the window.
#![deny(clippy::unwrap_used)]

mod atomic_file;
pub mod basemap;
pub mod cli;
pub mod coordinates;
pub mod date;
pub mod document;
pub mod export;
pub mod geodata;
pub mod http;
pub mod index;
pub mod measure;
pub mod model;
pub mod paths;
pub mod process;
pub mod render;
pub mod search;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod tour;
pub mod ui;

// The names most callers need, in one place.
pub use export::{ExportError, ExportRequest, PageSize};
pub use geodata::{DataError, DataSource, Loaded};
pub use index::SpatialIndex;
pub use model::{Atlas, Feature, FeatureRef, Lang, LayerId};
pub use render::{Extent, Highlight, LayerSettings, Scene, SceneBuilder, SceneOptions, View};
pub use tour::Tour;
pub use ui::AtlasApp;
