//! ESRI Shapefiles as layers: the .shp (with its .shx), the .dbf of fields, the .prj of the
//! coordinate system and the .cpg of the .dbf's encoding — beside each other, or in a .zip.
//! The shapes are read by the `shapefile` crate; the .dbf is read here, so that its text is
//! decoded as the .cpg says, as its language byte says (936: GBK), or as its bytes say (UTF-8,
//! else GBK). A projected .prj is inverted to WGS-84 (see [`Projection`]).

use std::collections::HashMap;
use std::io::{Cursor, Read as _};
use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_8};

use super::projection::Projection;
use super::{Read, Row, name_field, shapes};
use crate::geodata::DataError;
use crate::geodata::read::Problems;

/// The files of one Shapefile, as bytes.
struct Parts {
    shp: Vec<u8>,
    shx: Option<Vec<u8>>,
    dbf: Option<Vec<u8>>,
    prj: Option<String>,
    cpg: Option<String>,
}

pub(super) fn read(path: &Path, origin: &str, limit: u64) -> Result<Read, DataError> {
    let fail = |problem: String| DataError::new(origin, problem);
    let zipped = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let parts = if zipped {
        from_zip(
            &crate::geodata::read::read_bytes(path).map_err(fail)?,
            limit,
        )
        .map_err(fail)?
    } else {
        beside(path).map_err(fail)?
    };
    read_parts(parts, origin)
}

/// The .shp and the files beside it with the same name (any case of extension).
fn beside(path: &Path) -> Result<Parts, String> {
    let shp = crate::geodata::read::read_bytes(path)?;
    let sibling = |extension: &str| -> Option<Vec<u8>> {
        [extension.to_string(), extension.to_ascii_uppercase()]
            .iter()
            .map(|e| path.with_extension(e))
            .find(|p| p.is_file())
            .and_then(|p| crate::geodata::read::read_bytes(&p).ok())
    };
    Ok(Parts {
        shp,
        shx: sibling("shx"),
        dbf: sibling("dbf"),
        prj: sibling("prj").map(|b| String::from_utf8_lossy(&b).into_owned()),
        cpg: sibling("cpg").map(|b| String::from_utf8_lossy(&b).into_owned()),
    })
}

/// A zipped Shapefile: the first .shp in the archive and its companions.
fn from_zip(bytes: &[u8], limit: u64) -> Result<Parts, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| format!("is not a zip archive: {error}"))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|name| name.into_owned())
        .collect();
    let shp = names
        .iter()
        .find(|n| n.to_ascii_lowercase().ends_with(".shp"))
        .ok_or("the zip holds no .shp file")?
        .clone();
    let stem = &shp[..shp.len() - 4];
    let mut entry = |extension: &str| -> Result<Option<Vec<u8>>, String> {
        let Some(name) = names.iter().find(|n| {
            n.len() == stem.len() + 4
                && n.starts_with(stem)
                && n[stem.len()..].eq_ignore_ascii_case(extension)
        }) else {
            return Ok(None);
        };
        let file = archive
            .by_name(name)
            .map_err(|error| format!("{name} in the zip cannot be read: {error}"))?;
        let mut out = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|error| format!("{name} in the zip cannot be unpacked: {error}"))?;
        if out.len() as u64 > limit {
            return Err(format!(
                "{name} unpacks to more than {} MB",
                limit / 1_048_576
            ));
        }
        Ok(Some(out))
    };
    Ok(Parts {
        shp: entry(".shp")?.ok_or("the .shp cannot be read")?,
        shx: entry(".shx")?,
        dbf: entry(".dbf")?,
        prj: entry(".prj")?.map(|b| String::from_utf8_lossy(&b).into_owned()),
        cpg: entry(".cpg")?.map(|b| String::from_utf8_lossy(&b).into_owned()),
    })
}

fn read_parts(parts: Parts, origin: &str) -> Result<Read, DataError> {
    let fail = |problem: String| DataError::new(origin, problem);
    let Some(dbf) = &parts.dbf else {
        return Err(fail(
            "its .dbf (the table of fields) is missing beside the .shp: copy all the Shapefile's files (.shp, .shx, .dbf, .prj, .cpg), or a .zip of them".into(),
        ));
    };
    let Some(shx) = parts.shx else {
        return Err(fail(
            "its .shx (the index of shapes) is missing beside the .shp: copy all the Shapefile's files (.shp, .shx, .dbf, .prj, .cpg), or a .zip of them".into(),
        ));
    };
    let projection = match &parts.prj {
        Some(prj) => Projection::from_prj(prj).map_err(fail)?,
        None => Projection::Geographic,
    };
    let mut notes = Vec::new();
    let table =
        Table::read(dbf, parts.cpg.as_deref()).map_err(|p| fail(format!("its .dbf {p}")))?;
    if let Some(encoding) = table.encoding_note {
        notes.push(encoding);
    }
    if let Some(name) = projection.name() {
        notes.push(format!("reprojected from {name} to WGS-84"));
    }
    // What the user is told the layer is in: the system its .prj names.
    let system = match (&projection, &parts.prj) {
        (Projection::Projected { name, .. }, _) => name.clone(),
        (Projection::Geographic, Some(prj)) => super::projection::geographic_name(prj).into(),
        (Projection::Geographic, None) => "WGS-84".into(),
    };
    // The crate's readers index into the bytes they are given; a corrupt file must cost the
    // file, not the app.
    let shapes_read = std::panic::catch_unwind(|| -> Result<Vec<_>, String> {
        let reader = shapefile::ShapeReader::with_shx(Cursor::new(&parts.shp), Cursor::new(&shx))
            .map_err(|error| format!("its .shp cannot be read: {error}"))?;
        let mut shapes = Vec::new();
        let mut reader = reader;
        for shape in reader.iter_shapes() {
            shapes.push(shape.map_err(|error| error.to_string()));
        }
        Ok(shapes)
    })
    .map_err(|_| fail("its .shp is corrupt (its records do not fit the file)".into()))?
    .map_err(fail)?;
    if shapes_read.len() != table.records.len() {
        return Err(fail(format!(
            "its .shp has {} shapes but its .dbf {} records: the two files are not of one Shapefile",
            shapes_read.len(),
            table.records.len()
        )));
    }
    let mut problems = Problems::default();
    let mut rows = Vec::new();
    let mut unlocated = 0;
    let id_column = table.fields.iter().position(|f| {
        matches!(
            f.to_lowercase().as_str(),
            "id" | "fid" | "objectid" | "编号"
        )
    });
    for (index, (shape, values)) in shapes_read.into_iter().zip(table.records).enumerate() {
        let id = id_column
            .map(|c| values[c].clone())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| (index + 1).to_string());
        let shape = match shape {
            Ok(shape) => shape,
            Err(problem) => {
                problems.feature(index, Some(id), 0, "its shape cannot be read", problem);
                continue;
            }
        };
        if matches!(shape, shapefile::Shape::Multipatch(_)) {
            problems.feature(
                index,
                Some(id),
                0,
                "is a MultiPatch (a 3-D surface), which a map of areas cannot draw",
                String::new(),
            );
            continue;
        }
        if matches!(shape, shapefile::Shape::NullShape) {
            unlocated += 1;
            continue;
        }
        let geometry = match geo::Geometry::<f64>::try_from(shape) {
            Ok(geometry) => geometry,
            Err(error) => {
                problems.feature(
                    index,
                    Some(id),
                    0,
                    "its shape cannot be read",
                    error.to_string(),
                );
                continue;
            }
        };
        let geometry = match reproject(geometry, &projection) {
            Ok(geometry) => geometry,
            Err(problem) => {
                problems.feature(
                    index,
                    Some(id),
                    0,
                    "its coordinates cannot be converted",
                    problem,
                );
                continue;
            }
        };
        for shape in shapes(geometry) {
            rows.push(Row {
                id: id.clone(),
                values: values.clone(),
                geometry: shape,
            });
        }
    }
    if unlocated > 0 {
        notes.push(format!("{unlocated} records without a shape are not drawn"));
    }
    let problems = crate::geodata::grouped_errors(origin, &problems);
    Ok(Read {
        system: Some(system),
        name_field: name_field(&table.fields),
        fields: table.fields,
        rows,
        datum: None,
        notes,
        problems,
    })
}

fn reproject(geometry: geo::Geometry, projection: &Projection) -> Result<geo::Geometry, String> {
    use geo::MapCoords;
    let geometry = match projection {
        Projection::Geographic => geometry,
        projected => geometry.try_map_coords(|c| projected.to_wgs84(c))?,
    };
    let in_range = geo::BoundingRect::bounding_rect(&geometry).is_none_or(|r| {
        r.min().x >= -180.0 && r.max().x <= 180.0 && r.min().y >= -90.0 && r.max().y <= 90.0
    });
    if in_range {
        Ok(geometry)
    } else {
        Err("its coordinates are not degrees (a projected Shapefile without its .prj?)".into())
    }
}

/// A .dbf's field names and records, decoded.
struct Table {
    fields: Vec<String>,
    records: Vec<Vec<String>>,
    encoding_note: Option<String>,
}

impl Table {
    fn read(bytes: &[u8], cpg: Option<&str>) -> Result<Table, String> {
        if bytes.len() < 33 {
            return Err("is too short to be a dBASE table".into());
        }
        let count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let header = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        let record = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;
        let language = bytes[29];
        if header < 33 || header > bytes.len() || record == 0 {
            return Err("has a broken header".into());
        }
        // Field descriptors: 32 bytes each, ended by 0x0D.
        let mut descriptors = Vec::new();
        let mut at = 32;
        while at + 32 <= header && bytes[at] != 0x0D {
            let d = &bytes[at..at + 32];
            let name_end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
            descriptors.push((d[..name_end].to_vec(), d[16] as usize));
            at += 32;
        }
        let width: usize = descriptors.iter().map(|(_, len)| len).sum::<usize>() + 1;
        if width > record {
            return Err(format!(
                "says its records are {record} bytes, but its fields take {width}"
            ));
        }
        let available = (bytes.len() - header) / record;
        let count = count.min(available);
        let (encoding, note) = choose_encoding(bytes, header, record, count, language, cpg);
        let decode = |raw: &[u8]| -> String {
            let (text, _) = encoding.decode_without_bom_handling(raw);
            text.trim_matches(|c: char| c == ' ' || c == '\0')
                .to_string()
        };
        let mut fields: Vec<String> = descriptors.iter().map(|(name, _)| decode(name)).collect();
        // Names must be unique for the table's columns.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for field in &mut fields {
            let n = seen.entry(field.clone()).or_default();
            *n += 1;
            if *n > 1 {
                *field = format!("{field}_{n}");
            }
        }
        let mut records = Vec::with_capacity(count);
        for r in 0..count {
            let start = header + r * record;
            let row = &bytes[start..start + record];
            // Deleted records ('*') still have their shape in the .shp: kept, as GDAL does.
            let mut offset = 1;
            let mut values = Vec::with_capacity(descriptors.len());
            for (_, len) in &descriptors {
                values.push(decode(&row[offset..offset + len]));
                offset += len;
            }
            records.push(values);
        }
        Ok(Table {
            fields,
            records,
            encoding_note: note,
        })
    }
}

/// The encoding of a .dbf's text: as its .cpg says, else as its language byte says (0x4D and
/// 0x7A: code page 936), else UTF-8 when its bytes are, else GBK.
fn choose_encoding(
    bytes: &[u8],
    header: usize,
    record: usize,
    count: usize,
    language: u8,
    cpg: Option<&str>,
) -> (&'static Encoding, Option<String>) {
    if let Some(cpg) = cpg.map(str::trim).filter(|c| !c.is_empty()) {
        let label = match cpg.to_ascii_lowercase().as_str() {
            "936" | "cp936" | "gbk" | "gb2312" | "gb18030" | "ansi 936" => "gb18030",
            "65001" | "utf8" | "utf-8" => "utf-8",
            other => other,
        }
        .to_string();
        if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
            let note = (encoding != UTF_8).then(|| format!("fields read as {cpg} (its .cpg)"));
            return (encoding, note);
        }
    }
    if matches!(language, 0x4D | 0x7A) {
        return (
            GB18030,
            Some("fields read as GBK (its language byte)".into()),
        );
    }
    let end = (header + record * count).min(bytes.len());
    if std::str::from_utf8(&bytes[header..end]).is_ok() {
        (UTF_8, None)
    } else {
        (
            GB18030,
            Some("fields read as GBK (they are not UTF-8)".into()),
        )
    }
}
