//! The integration tests, in one binary (as ripgrep lays them out): one link of the app
//! instead of one per file, and the built-in data parsed once for all of them.

mod common;

mod app;
mod architecture;
mod basemap;
mod cli;
mod drawing;
mod editing;
mod export;
mod features;
mod fuzz;
mod geodata;
mod geopackage;
mod index;
mod layout;
mod navigation;
mod painters;
mod postgis;
mod presenter;
mod reader;
mod scene;
mod search;
mod services;
mod style;
mod team;
mod tour;
mod user_layers;
mod video;
mod wms;
mod workbooks;
mod writing;
