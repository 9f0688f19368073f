//! A user's GeoJSON (or GeoJSON sequence) as a layer, through the hardened reader: the fields
//! are every property key met, in the order first met; a feature with several kinds of
//! geometry (a collection) becomes one feature per kind.

use std::collections::HashMap;

use serde_json::Value;

use super::{Read, name_field};
use crate::geodata::DataError;
use crate::geodata::read;

/// Takes the text so that it is freed once parsed: the features are then made without it.
pub(super) fn read(text: String, origin: &str) -> Result<Read, DataError> {
    let document = read::parse(&text).map_err(|problem| DataError::new(origin, problem))?;
    from_document(document, origin, move || Some(text))
}

/// A plain UTF-8 FeatureCollection read as it streams from the file at `path`, its text never
/// held whole (it is read again only to give a problem its line). `None` when the file is
/// something else (a sequence, another encoding, no file): [`read`] it whole.
pub(super) fn read_streamed(
    path: &std::path::Path,
    origin: &str,
) -> Option<Result<Read, DataError>> {
    let file = read::open_checked(path).ok()?;
    let document = match read::parse_stream(file)? {
        Ok(document) => document,
        Err(problem) => return Some(Err(DataError::new(origin, problem))),
    };
    let text = || read::read_text(path).ok().map(|(text, _)| text);
    Some(from_document(document, origin, text))
}

/// The layer of a parsed document; `text` gives the file's text, for lines, if something is
/// to be said (a problem, a note) and the features' lines are not known yet.
fn from_document(
    mut document: read::Document,
    origin: &str,
    text: impl FnOnce() -> Option<String>,
) -> Result<Read, DataError> {
    let mut problems = std::mem::take(&mut document.problems);
    let mut fields: Vec<String> = Vec::new();
    let mut column: HashMap<String, usize> = HashMap::new();
    let mut unlocated = 0usize;
    // First the fields (every key met, in the order met), then the rows. Each feature's
    // properties are parsed in each pass and dropped at once, never held as maps all at once
    // (a big file's would take several times its size).
    let mut readable = vec![false; document.features.len()];
    for (i, raw) in document.features.iter().enumerate() {
        match raw.parse_properties() {
            Ok(properties) => {
                readable[i] = true;
                for key in properties.keys() {
                    if !column.contains_key(key) {
                        column.insert(key.clone(), fields.len());
                        fields.push(key.clone());
                    }
                }
            }
            Err(problem) => problems.feature(
                raw.index,
                raw.id(),
                raw.line,
                crate::geodata::fault::Fault::PropertiesUnreadable,
                problem,
            ),
        }
    }
    // A feature read the fast way has no line until one is asked for: a problem found here
    // is said with its line, found while the text is still there.
    if (!problems.is_empty() || !document.notes.is_empty())
        && !document.lines_known()
        && let Some(text) = text()
    {
        let line_of = read::geojson::feature_lines(&text);
        problems.relocate(&line_of);
        read::geojson::locate(&mut document, &text);
    }
    let mut rows = super::RowSink::new(fields.len());
    for (raw, readable) in document.features.iter_mut().zip(readable) {
        if !readable {
            continue;
        }
        let properties = raw.take_properties().unwrap_or_default();
        let Some(geometry) = raw.geometry.take() else {
            unlocated += 1;
            continue;
        };
        let id = raw
            .id_in(&properties)
            .unwrap_or_else(|| (raw.index + 1).to_string());
        let mut values = vec![String::new(); fields.len()];
        for (key, value) in properties {
            values[column[&key]] = value_text(value);
        }
        rows.push(id, &values, geometry);
    }
    let (rows, table) = rows.finish();
    let mut notes = Vec::new();
    if unlocated > 0 {
        let count = read::problems::thousands(unlocated);
        notes.push(crate::model::Text::new(
            format!("{count} 个无几何的要素未绘制"),
            format!("{count} features without a geometry are not drawn"),
        ));
    }
    let mut errors = crate::geodata::grouped_errors(origin, &problems);
    errors.extend(crate::geodata::grouped_notes(origin, &document.notes));
    Ok(Read {
        system: None,
        name_field: name_field(&fields),
        fields,
        rows,
        table,
        datum: None,
        notes,
        altered: unlocated > 0,
        problems: errors,
    })
}

/// A property's value as the text a table shows: text as is, numbers and booleans as
/// written, null as nothing, arrays and objects as JSON.
fn value_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}
