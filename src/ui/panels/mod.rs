//! The window's panels: the search box, the layer list, the status bar and the selected
//! feature's details. Each draws from what it is lent and returns what the user asked for.

pub mod basemaps;
pub mod details;
pub mod layers;
pub mod search;
pub mod status;
