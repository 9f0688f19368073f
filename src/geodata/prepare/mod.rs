//! The preparation tool: turns the upstream files in `geodata/sources/` into the layers the app
//! ships (`geodata/basemap/*.geojson`, `geodata/zones.geojson`). Re-runnable and deterministic:
//! `chengyu-atlas prepare-geodata` rewrites the same bytes from the same sources.
//!
//! What it does, in order: converts the echarts boundaries from GCJ-02 to WGS-84; renames units
//! renamed since the data was made; adds English names; dissolves provinces, Sichuan prefectures
//! and the economic circle from their member units; derives the science-city zones from the
//! hand-drawn outlines in `sources/approximations.geojson`, clipped to their administrative
//! districts; chains the river segments and ranks them by length. Who belongs to what (the
//! circle's members, the renamed units, the science city's districts) is data, in
//! `sources/membership.toml`.
//!
//! One file per stage: `units` (reading), `topology` (cleaning, noding, dissolving), `admin`
//! (provinces, prefectures, place names), `arcs` (boundary lines), `rivers`, `zones`.

mod admin;
mod arcs;
mod membership;
mod rivers;
mod topology;
mod units;
mod zones;

use std::path::Path;

use geo::Geometry;
use serde_json::{Map, Value, json};

use crate::geodata::geojson_io::{self};
use crate::geodata::{DataError, files};

use crate::atomic_file;

use admin::{places, prefectures, provinces};
use arcs::boundaries;
use rivers::rivers;

use topology::node_shared_edges;
use units::{Unit, read_units};
use zones::zones;

fn props(entries: &[(&str, Value)]) -> Map<String, Value> {
    entries
        .iter()
        .map(|(key, value)| ((*key).to_string(), value.clone()))
        .collect()
}

/// A feature to write: its properties and geometry.
type OutFeature = (Map<String, Value>, Geometry);

/// What the tool wrote, for the terminal.
pub struct Report {
    pub lines: Vec<String>,
}

pub fn run(sources: &Path, out: &Path) -> Result<Report, DataError> {
    let mut lines = Vec::new();
    let lists = membership::read(sources)?;
    let chongqing_path = sources.join("chongqing-districts.geojson");
    let mut chongqing = read_units(&chongqing_path, "重庆市", &lists)?;
    let mut sichuan = read_units(&sources.join("sichuan-counties.geojson"), "四川省", &lists)?;
    for units in [&mut chongqing, &mut sichuan] {
        node_shared_edges(&mut units.iter_mut().map(|u| &mut u.shape).collect::<Vec<_>>());
    }
    let units: Vec<&Unit> = chongqing.iter().chain(&sichuan).collect();

    let provinces = provinces(sources, &chongqing, &sichuan)?;
    let prefectures = prefectures(sources, &sichuan)?;
    let (zones, zone_lines) = zones(sources, &chongqing, &units, &lists)?;
    lines.extend(zone_lines);
    let places = places(sources, &provinces, &prefectures, &units)?;
    let rivers = rivers(sources)?;
    let boundaries = boundaries(&units);

    let counties: Vec<OutFeature> = units
        .iter()
        .map(|unit| {
            (
                props(&[
                    ("id", json!(unit.adcode)),
                    ("name_zh", json!(unit.name_zh)),
                    ("name_en", json!(unit.name_en)),
                    ("label_en", json!(unit.label_en)),
                    ("province", json!(unit.province_zh)),
                    ("prefecture", json!(unit.prefecture_zh)),
                    ("corridor", json!(unit.corridor.key())),
                ]),
                Geometry::MultiPolygon(unit.shape.clone()),
            )
        })
        .collect();

    let outputs = [
        (files::PROVINCES, &provinces.features),
        (files::PREFECTURES, &prefectures.features),
        (files::COUNTIES, &counties),
        (files::RIVERS, &rivers),
        (files::BOUNDARIES, &boundaries),
        (files::PLACES, &places),
        (files::ZONES, &zones),
    ];
    for (name, features) in outputs {
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| {
                DataError::new(&parent.display().to_string(), cannot_write(&error))
            })?;
        }
        atomic_file::write(&path, geojson_io::collection_text(features).as_bytes())
            .map_err(|error| DataError::new(&path.display().to_string(), cannot_write(&error)))?;
        lines.push(format!("wrote {name}: {} features", features.len()));
    }
    Ok(Report { lines })
}

/// A source feature of the wrong geometry: "`id`: not a polygon".
fn not_a(kind_zh: &str, kind_en: &str, id: &str) -> crate::model::Text {
    crate::model::Text::new(
        format!("{id}：不是{kind_zh}"),
        format!("{id}: not a {kind_en}"),
    )
}

/// Why an output file or folder cannot be written.
fn cannot_write(error: &std::io::Error) -> crate::model::Text {
    crate::model::Text::new(
        format!("无法写入：{error}"),
        format!("cannot write: {error}"),
    )
}
