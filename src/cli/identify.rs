//! `chengyu-atlas identify`: the hit stack under each point, from the window's own index.

use std::io::{BufRead, Write};

use geo::coord;
use serde_json::json;

use crate::index::SpatialIndex;
use crate::model::{Atlas, FeatureRef};

/// Parses "lon,lat" or "lon lat" (degrees); `None` if it is not two finite numbers in range.
pub fn parse_point(text: &str) -> Option<(f64, f64)> {
    let mut parts = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty());
    let lon: f64 = parts.next()?.parse().ok()?;
    let lat: f64 = parts.next()?.parse().ok()?;
    let in_range = (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
    (parts.next().is_none() && in_range).then_some((lon, lat))
}

/// The layer a hit is in, as the output names it: the atlas layer's key, or the user's layer's
/// name.
fn layer_name(atlas: &Atlas, hit: FeatureRef) -> String {
    match atlas.user_layer(hit.layer) {
        Some(user) => user.name.clone(),
        None => hit.layer.key().to_string(),
    }
}

fn hit_json(atlas: &Atlas, hit: FeatureRef) -> serde_json::Value {
    let feature = atlas.feature(hit);
    let feature = feature.as_deref();
    let mut answer = json!({
        "layer": layer_name(atlas, hit),
        "id": feature.map(|f| f.id.as_str()),
        "name_zh": feature.map(|f| f.name.zh.as_str()),
        "name_en": feature.map(|f| f.name.get(crate::model::Lang::En)),
    });
    // A user's feature: its layer's file and every field, as the file had them.
    if let (Some(user), Some(values)) = (
        atlas.user_layer(hit.layer),
        feature.and_then(|f| f.user()).map(|u| &u.values),
    ) {
        let fields: serde_json::Map<String, serde_json::Value> = user
            .fields
            .iter()
            .zip(values)
            .map(|(field, value)| (field.clone(), json!(value)))
            .collect();
        answer["user_layer"] = json!(user.path.display().to_string());
        answer["fields"] = serde_json::Value::Object(fields);
    }
    answer
}

/// Answers each input line on one output line; returns how many lines were malformed or
/// unreadable (each is answered with an error line naming it).
pub fn identify(
    atlas: &Atlas,
    index: &SpatialIndex,
    inputs: impl Iterator<Item = Result<String, String>>,
    tolerance_m: f64,
    as_json: bool,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let mut malformed = 0;
    for (line_number, input) in inputs.enumerate() {
        let input = match input {
            Ok(input) => input,
            Err(problem) => {
                malformed += 1;
                let message = format!("line {}: {problem}", line_number + 1);
                if as_json {
                    writeln!(out, "{}", json!({ "error": message }))?;
                } else {
                    writeln!(out, "error: {message}")?;
                }
                continue;
            }
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            continue;
        }
        let Some((lon, lat)) = parse_point(trimmed) else {
            malformed += 1;
            let message = format!(
                "line {}: `{trimmed}` is not `lon,lat` or `lon lat` in degrees",
                line_number + 1
            );
            if as_json {
                writeln!(out, "{}", json!({ "input": trimmed, "error": message }))?;
            } else {
                writeln!(out, "error: {message}")?;
            }
            continue;
        };
        let hits = index.hits(atlas, coord! { x: lon, y: lat }, tolerance_m);
        if as_json {
            let hits: Vec<_> = hits.iter().map(|hit| hit_json(atlas, *hit)).collect();
            writeln!(out, "{}", json!({ "lon": lon, "lat": lat, "hits": hits }))?;
        } else {
            let names: Vec<String> = hits
                .iter()
                .filter_map(|hit| {
                    let feature = atlas.feature(*hit)?;
                    Some(format!(
                        "{} {} ({})",
                        layer_name(atlas, *hit),
                        feature.name.zh,
                        feature.id
                    ))
                })
                .collect();
            let answer = if names.is_empty() {
                "nothing".to_string()
            } else {
                names.join(" > ")
            };
            writeln!(out, "{lon},{lat}: {answer}")?;
        }
    }
    Ok(malformed)
}

/// Lines from `reader`, for points given on standard input: a line that is not UTF-8 text is
/// an error for that line, and the reading goes on; a failure to read ends it, said once.
pub fn lines(reader: impl BufRead) -> impl Iterator<Item = Result<String, String>> {
    let mut failed = false;
    reader.split(b'\n').map_while(move |line| {
        if failed {
            return None;
        }
        Some(match line {
            Ok(mut bytes) => {
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
                String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string())
            }
            Err(error) => {
                failed = true;
                Err(format!("cannot be read: {error}"))
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_is_not_utf8_is_named_and_the_next_ones_answered() {
        let input: &[u8] = b"106.3,29.55\n\xff\xfe bad\n106.4 29.6\r\n";
        let lines: Vec<Result<String, String>> = lines(input).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].as_deref(), Ok("106.3,29.55"));
        assert!(lines[1].is_err());
        assert_eq!(lines[2].as_deref(), Ok("106.4 29.6"));
    }

    #[test]
    fn points_parse_with_commas_or_spaces() {
        assert_eq!(parse_point("106.3,29.55"), Some((106.3, 29.55)));
        assert_eq!(parse_point(" 106.3 29.55 "), Some((106.3, 29.55)));
        assert_eq!(parse_point("106.3, 29.55"), Some((106.3, 29.55)));
        assert_eq!(parse_point("106.3"), None);
        assert_eq!(parse_point("106.3,29.55,7"), None);
        assert_eq!(parse_point("east,north"), None);
        assert_eq!(parse_point("206.3,29.55"), None);
    }
}
