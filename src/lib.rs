//! Chengyu Atlas (成渝科创地图): an offline desktop map of the Chengdu–Chongqing economic circle
//! and the Western (Chongqing) Science City.
//!
//! Data flows one way: files ([`geodata`]) → [`model`] → [`index`] and [`render`] scene → the
//! window ([`ui`]) or a file. The binary is a thin wrapper around [`cli::main`].
#![deny(clippy::unwrap_used)]

pub mod atomic_file;
pub mod cli;
pub mod export;
pub mod geodata;
pub mod index;
pub mod model;
pub mod render;
pub mod search;
pub mod text;
pub mod tour;
pub mod ui;

/// The app's folder in the user's configuration: `$XDG_CONFIG_HOME/chengyu-atlas` (or
/// `%APPDATA%`, or `~/.config`); state and the user's tours live there.
pub fn config_dir() -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(config.join("chengyu-atlas"))
}
