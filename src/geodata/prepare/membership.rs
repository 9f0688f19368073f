//! Who belongs to what, read from `sources/membership.toml`: the renamed units, the members of
//! the economic circle, and the science city's core and districts.

use std::path::Path;

use serde::Deserialize;

use crate::geodata::{DataError, parse_toml};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lists {
    pub renamed: Vec<Renamed>,
    pub corridor: Corridor,
    pub science_city: ScienceCity,
}

/// A unit renamed after the boundary data was made.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renamed {
    pub old: String,
    pub new: String,
    pub adcode: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corridor {
    /// The planning document the lists come from.
    pub source: String,
    pub chongqing: Vec<String>,
    /// Units of which only unspecified parts are in.
    pub partial: Vec<String>,
    pub sichuan_cities: Vec<String>,
    pub sichuan_excluded: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScienceCity {
    pub core_towns: Vec<String>,
    pub core_districts: Vec<String>,
    pub district: Vec<District>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// The administrative district the zone lies in.
    pub admin: String,
}

pub const FILE: &str = "membership.toml";

/// Reads the lists from the sources folder.
pub fn read(sources: &Path) -> Result<Lists, DataError> {
    let path = sources.join(FILE);
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|error| {
        DataError::new(
            &origin,
            crate::geodata::Problem::CannotRead {
                error: error.to_string(),
            },
        )
    })?;
    parse_toml(&origin, &text)
}
