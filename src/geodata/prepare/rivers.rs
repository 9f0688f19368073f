//! The rivers: segments chained end to end and ranked by length.

use std::collections::HashMap;
use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiLineString};
use serde_json::json;

use super::{OutFeature, props};
use crate::geodata::DataError;
use crate::geodata::geojson_io::{self, as_multilinestring};

/// Joins river segments that meet end to end where only two meet (the source cuts rivers at
/// whole degrees), then ranks the chains: 1 for long rivers, 2 for the rest.
pub(super) fn rivers(sources: &Path) -> Result<Vec<OutFeature>, DataError> {
    let path = sources.join("rivers.geojson");
    let collection = geojson_io::read_collection(&path)?;
    let mut segments: Vec<Vec<Coord>> = collection
        .features
        .iter()
        .filter_map(|feature| feature.geometry.clone().and_then(as_multilinestring))
        .flat_map(|lines| lines.0.into_iter().map(|line| line.0))
        .collect();

    type Key = (i64, i64);
    let key = |c: &Coord| ((c.x * 1e6).round() as i64, (c.y * 1e6).round() as i64);
    let mut chained = true;
    while chained {
        chained = false;
        let mut ends: HashMap<Key, Vec<usize>> = HashMap::new();
        for (index, segment) in segments.iter().enumerate() {
            if let (Some(first), Some(last)) = (segment.first(), segment.last()) {
                ends.entry(key(first)).or_default().push(index);
                ends.entry(key(last)).or_default().push(index);
            }
        }
        let joint = ends
            .values()
            .find(|at| at.len() == 2 && at[0] != at[1])
            .map(|at| (at[0], at[1]));
        if let Some((a, b)) = joint {
            let (a, b) = (a.min(b), a.max(b));
            let second = segments.remove(b);
            let first = &mut segments[a];
            let joined = join(std::mem::take(first), second, key);
            *first = joined;
            chained = true;
        }
    }

    let mut features: Vec<OutFeature> = segments
        .into_iter()
        .filter(|segment| segment.len() >= 2)
        .map(|segment| {
            let line = LineString::new(segment);
            let km = geo::Geodesic.length(&line) / 1000.0;
            let rank = if km >= 250.0 { 1 } else { 2 };
            (
                props(&[("rank", json!(rank)), ("length_km", json!(km.round()))]),
                Geometry::MultiLineString(MultiLineString::new(vec![line])),
            )
        })
        .collect();
    features.sort_by(|a, b| {
        let length = |f: &OutFeature| f.0["length_km"].as_f64().unwrap_or(0.0);
        length(b).total_cmp(&length(a))
    });
    Ok(features)
}

/// Joins two polylines that share an end point, whichever ends those are.
fn join(mut a: Vec<Coord>, mut b: Vec<Coord>, key: impl Fn(&Coord) -> (i64, i64)) -> Vec<Coord> {
    let (a_first, a_last) = (key(&a[0]), key(&a[a.len() - 1]));
    let (b_first, b_last) = (key(&b[0]), key(&b[b.len() - 1]));
    if a_last == b_first {
    } else if a_last == b_last {
        b.reverse();
    } else if a_first == b_last {
        std::mem::swap(&mut a, &mut b);
    } else if a_first == b_first {
        a.reverse();
    }
    a.extend(b.into_iter().skip(1));
    a
}

use geo::line_measures::Length as _;
