//! Where things are on the Earth and on a flat map: the datums Chinese maps use (WGS-84,
//! GCJ-02, BD-09) and the conversions between them, Web Mercator (one latitude clamp, its
//! inverse, tile keys, the zoom a scale suits), and how a position is written for a reader.
//! It imports nothing of the atlas: every room above it — model, geodata, index, render,
//! basemap, export, tour and the window — takes its coordinates from here.

pub mod datum;
mod format;
pub mod mercator;

pub use datum::Datum;
pub use format::{AngleFormat, CoordStyle};
