//! ESRI Shapefiles as layers: the .shp (with its .shx), the .dbf of fields, the .prj of the
//! coordinate system and the .cpg of the .dbf's encoding — beside each other, or in a .zip.
//! The shapes are read by the `shapefile` crate, the .dbf by `dbase`, its text decoded as the
//! .cpg says, as its language byte says (936: GBK), or as its bytes say (UTF-8, else GBK). A projected .prj is inverted to WGS-84 (see [`Projection`]).

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_8};

use super::projection::Projection;
use super::{Read, archive, name_field, row, shapes};
use crate::geodata::fault::{Fault, nothing, same};
use crate::geodata::read::Problems;
use crate::geodata::{DataError, Problem};
use crate::model::Text;

/// The files of one Shapefile, as bytes.
struct Parts {
    shp: Vec<u8>,
    shx: Option<Vec<u8>>,
    dbf: Option<Vec<u8>>,
    prj: Option<String>,
    cpg: Option<String>,
}

pub(super) fn read(path: &Path, origin: &str, limit: u64) -> Result<Read, DataError> {
    let fail = |problem: Problem| DataError::new(origin, problem);
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
fn beside(path: &Path) -> Result<Parts, Problem> {
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
fn from_zip(bytes: &[u8], limit: u64) -> Result<Parts, Problem> {
    let mut archive =
        archive::Archive::new(Cursor::new(bytes)).map_err(|error| Problem::NotZip {
            error: error.to_string(),
        })?;
    let names = archive::member_names(&archive, "zip")?;
    let shp = names
        .iter()
        .find(|n| n.to_ascii_lowercase().ends_with(".shp"))
        .ok_or(Problem::ZipHoldsNoShp)?
        .clone();
    let stem = &shp[..shp.len() - 4];
    let mut entry = |extension: &str| -> Result<Option<Vec<u8>>, Problem> {
        let Some(name) = names.iter().find(|n| {
            n.len() == stem.len() + 4
                && n.starts_with(stem)
                && n[stem.len()..].eq_ignore_ascii_case(extension)
        }) else {
            return Ok(None);
        };
        let out = archive::read_member(&mut archive, name, "zip", limit)?;
        Ok(Some(out))
    };
    Ok(Parts {
        shp: entry(".shp")?.ok_or(Problem::ZipHoldsNoShp)?,
        shx: entry(".shx")?,
        dbf: entry(".dbf")?,
        prj: entry(".prj")?.map(|b| String::from_utf8_lossy(&b).into_owned()),
        cpg: entry(".cpg")?.map(|b| String::from_utf8_lossy(&b).into_owned()),
    })
}

fn read_parts(parts: Parts, origin: &str) -> Result<Read, DataError> {
    let fail = |problem: Problem| DataError::new(origin, problem);
    let Some(dbf) = &parts.dbf else {
        return Err(fail(Problem::DbfMissing));
    };
    let Some(shx) = parts.shx else {
        return Err(fail(Problem::ShxMissing));
    };
    let projection = match &parts.prj {
        Some(prj) => Projection::from_prj(prj).map_err(|p| DataError::new(origin, p))?,
        None => Projection::Geographic,
    };
    let mut notes = Vec::new();
    let table = Table::read(dbf, parts.cpg.as_deref()).map_err(fail)?;
    notes.extend(table.notes);
    if let Some(name) = projection.name() {
        notes.push(Text::new(
            format!("已从 {name} 转换为 WGS-84"),
            format!("reprojected from {name} to WGS-84"),
        ));
    }
    // What the user is told the layer is in: the system its .prj names.
    let system = match (&projection, &parts.prj) {
        (Projection::Projected { name, .. }, _) => name.clone(),
        (Projection::Geographic, Some(prj)) => super::projection::geographic_name(prj).into(),
        (Projection::Geographic, None) => "WGS-84".into(),
    };
    // The crate's readers index into the bytes they are given; a corrupt file must cost the
    // file, not the app.
    let shapes_read = std::panic::catch_unwind(|| -> Result<Vec<_>, Problem> {
        let reader = shapefile::ShapeReader::with_shx(Cursor::new(&parts.shp), Cursor::new(&shx))
            .map_err(|error| Problem::ShpUnreadable {
            error: error.to_string(),
        })?;
        let mut shapes = Vec::new();
        let mut reader = reader;
        for shape in reader.iter_shapes() {
            shapes.push(shape.map_err(|error| error.to_string()));
        }
        Ok(shapes)
    })
    .map_err(|_| DataError::new(origin, Problem::ShpCorrupt))?
    .map_err(fail)?;
    if shapes_read.len() != table.records.len() {
        return Err(fail(Problem::ShapesAndRecordsDiffer {
            shapes: shapes_read.len(),
            records: table.records.len(),
        }));
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
    let mut deleted = 0;
    for (index, (shape, values)) in shapes_read.into_iter().zip(table.records).enumerate() {
        let Some(values) = values else {
            deleted += 1;
            continue;
        };
        let id = id_column
            .map(|c| values[c].clone())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| (index + 1).to_string());
        let shape = match shape {
            Ok(shape) => shape,
            Err(problem) => {
                problems.feature(index, Some(id), 0, Fault::ShapeUnreadable, same(problem));
                continue;
            }
        };
        if matches!(shape, shapefile::Shape::Multipatch(_)) {
            problems.feature(index, Some(id), 0, Fault::MultiPatch, nothing());
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
                    Fault::ShapeUnreadable,
                    same(error.to_string()),
                );
                continue;
            }
        };
        let geometry = match reproject(geometry, &projection) {
            Ok(geometry) => geometry,
            Err(problem) => {
                problems.feature(index, Some(id), 0, Fault::NotConvertible, problem);
                continue;
            }
        };
        let values = crate::model::user::Values::new(&values);
        for shape in shapes(geometry) {
            rows.push(row(id.clone(), values.clone(), shape));
        }
    }
    if deleted > 0 {
        notes.push(Text::new(
            format!("{deleted} 条在 .dbf 中标记为删除的记录未绘制"),
            format!("{deleted} records marked deleted in the .dbf are not drawn"),
        ));
    }
    if unlocated > 0 {
        notes.push(Text::new(
            format!("{unlocated} 条无形状的记录未绘制"),
            format!("{unlocated} records without a shape are not drawn"),
        ));
    }
    let problems = crate::geodata::grouped_errors(origin, &problems);
    Ok(Read {
        system: Some(system),
        name_field: name_field(&table.fields),
        fields: table.fields,
        rows,
        table: None,
        datum: None,
        notes,
        altered: deleted > 0 || unlocated > 0 || table.left_empty > 0,
        problems,
    })
}

fn reproject(geometry: geo::Geometry, projection: &Projection) -> Result<geo::Geometry, Text> {
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
        Err(Text::new(
            "其坐标不是经纬度（是缺少 .prj 的投影 Shapefile 吗？）",
            "its coordinates are not degrees (a projected Shapefile without its .prj?)",
        ))
    }
}

/// A .dbf's field names and records, read by `dbase` in the encoding chosen for it.
struct Table {
    fields: Vec<String>,
    /// Each record's values as text, in the .dbf's order; `None` for a deleted record (its
    /// shape is not drawn either, as GDAL does).
    records: Vec<Option<Vec<String>>>,
    notes: Vec<Text>,
    /// Values not of their field's type, left empty.
    left_empty: usize,
}

impl Table {
    fn read(bytes: &[u8], cpg: Option<&str>) -> Result<Table, Problem> {
        let broken = |error: dbase::Error| Problem::DbfUnreadable {
            error: error.to_string(),
        };
        // The header alone first (any encoding reads it), to choose the text's encoding.
        let header = {
            let probe = dbase::ReaderBuilder::new()
                .with_encoding(dbase::encoding::EncodingRs::from(UTF_8))
                .build(Cursor::new(bytes))
                .map_err(broken)?;
            let header = probe.header();
            Layout {
                start: usize::from(header.offset_to_first_record),
                size: usize::from(header.size_of_record).max(1),
                count: header.num_records as usize,
                language: header.code_page_mark,
            }
        };
        let (encoding, note) = choose_encoding(bytes, &header, cpg);
        let mut reader = dbase::ReaderBuilder::new()
            .with_encoding(encoding)
            .build(Cursor::new(bytes))
            .map_err(broken)?;
        let mut fields: Vec<String> = reader
            .fields()
            .iter()
            .map(|f| f.name().trim_matches(['\0', ' ']).to_string())
            .collect();
        // Names must be unique for the table's columns.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for field in &mut fields {
            let n = seen.entry(field.clone()).or_default();
            *n += 1;
            if *n > 1 {
                *field = format!("{field}_{n}");
            }
        }
        // `dbase` passes over deleted records: which they are is read from their flags, so
        // that each record stays beside its shape.
        // No more records than the bytes hold, whatever the header says.
        let stated = header
            .count
            .min(bytes.len().saturating_sub(header.start) / header.size);
        let deleted = |r: usize| bytes.get(header.start + r * header.size) == Some(&b'*');
        // Where each field is in a record (after the deletion flag), and whether it holds
        // digits as text: an integer past f64's 2^53 is kept as written, not rounded.
        let mut at = 1;
        let places: Vec<(usize, usize, bool)> = reader
            .fields()
            .iter()
            .map(|f| {
                let place = (
                    at,
                    usize::from(f.length()),
                    f.field_type() == dbase::FieldType::Numeric,
                );
                at += usize::from(f.length());
                place
            })
            .collect();
        let mut kept = Vec::new();
        let mut unreadable = 0;
        for record in reader.iter_records_as::<Texts>() {
            match record {
                Ok(Texts(values)) => kept.push(values),
                // A table cut short: the records before the cut are kept.
                Err(_) => break,
            }
        }
        let mut kept = kept.into_iter();
        let mut records = Vec::with_capacity(stated);
        for r in 0..stated {
            if deleted(r) {
                records.push(None);
                continue;
            }
            let Some(values) = kept.next() else {
                break;
            };
            let record = bytes
                .get(header.start + r * header.size..)
                .unwrap_or_default();
            let written = |offset: usize, length: usize| {
                record.get(offset..offset + length).unwrap_or_default()
            };
            let values = values
                .into_iter()
                .zip(&places)
                .map(|(value, &(offset, length, numeric))| match value {
                    Some(value) if numeric && value.len() > 15 => {
                        String::from_utf8_lossy(written(offset, length))
                            .trim()
                            .to_string()
                    }
                    Some(value) => value,
                    // An empty date is written as zeros, as GDAL writes it: no value, not a
                    // wrong one.
                    None if written(offset, length)
                        .iter()
                        .all(|b| matches!(b, b'0' | b' ' | b'*' | 0)) =>
                    {
                        String::new()
                    }
                    None => {
                        unreadable += 1;
                        String::new()
                    }
                })
                .collect();
            records.push(Some(values));
        }
        let mut notes: Vec<Text> = note.into_iter().collect();
        if unreadable > 0 {
            notes.push(Text::new(
                format!("{unreadable} 个 .dbf 值与其字段类型不符，已留空"),
                format!(
                    "{unreadable} values of the .dbf are not of their field's type and are left empty"
                ),
            ));
        }
        Ok(Table {
            fields,
            records,
            notes,
            left_empty: unreadable,
        })
    }
}

/// Where a .dbf's records are, and the code page its language byte names.
struct Layout {
    start: usize,
    size: usize,
    count: usize,
    language: dbase::CodePageMark,
}

/// One record's values as text; `None` where a value cannot be read as its field's type.
struct Texts(Vec<Option<String>>);

impl dbase::ReadableRecord for Texts {
    fn read_using<S, M>(fields: &mut dbase::FieldIterator<S, M>) -> Result<Self, dbase::FieldError>
    where
        S: std::io::Read + std::io::Seek,
        M: std::io::Read + std::io::Seek,
    {
        Ok(Texts(
            fields
                .map(|value| value.ok().map(|named| text(named.value)))
                .collect(),
        ))
    }
}

/// A field's value as the attribute table shows it: numbers as they read (12.5, 3), dates as
/// ISO 8601, true and false; nothing for an empty value.
fn text(value: dbase::FieldValue) -> String {
    use dbase::FieldValue as V;
    let number = |n: f64| {
        if n.fract() == 0.0 && n.abs() < 9.0e15 {
            format!("{n:.0}")
        } else {
            n.to_string()
        }
    };
    match value {
        V::Character(text) => text.unwrap_or_default(),
        V::Memo(text) => text,
        V::Numeric(n) => n.map(number).unwrap_or_default(),
        V::Float(n) => n.map(|n| number(f64::from(n))).unwrap_or_default(),
        V::Double(n) | V::Currency(n) => number(n),
        V::Integer(n) => n.to_string(),
        V::Logical(b) => b.map(|b| b.to_string()).unwrap_or_default(),
        V::Date(date) => date.map(iso_date).unwrap_or_default(),
        V::DateTime(at) => {
            let time = at.time();
            format!(
                "{}T{:02}:{:02}:{:02}",
                iso_date(at.date()),
                time.hours(),
                time.minutes(),
                time.seconds()
            )
        }
    }
}

fn iso_date(date: dbase::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The encoding of a .dbf's text: as its .cpg says, else as its language byte says (936:
/// GBK, read as GB18030, its superset), else UTF-8 when its bytes are, else GBK.
fn choose_encoding(
    bytes: &[u8],
    header: &Layout,
    cpg: Option<&str>,
) -> (dbase::encoding::DynEncoding, Option<Text>) {
    use dbase::encoding::EncodingRs;
    if let Some(cpg) = cpg.map(str::trim).filter(|c| !c.is_empty()) {
        let label = match cpg.to_ascii_lowercase().as_str() {
            "936" | "cp936" | "gbk" | "gb2312" | "gb18030" | "ansi 936" => "gb18030",
            "65001" | "utf8" | "utf-8" => "utf-8",
            other => other,
        }
        .to_string();
        if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
            let note = (encoding != UTF_8).then(|| {
                Text::new(
                    format!("字段编码：{cpg}（据 .cpg）"),
                    format!("fields read as {cpg} (its .cpg)"),
                )
            });
            return (EncodingRs::from(encoding).into(), note);
        }
    }
    if header.language == dbase::CodePageMark::CP936 {
        return (
            EncodingRs::from(GB18030).into(),
            Some(Text::new(
                "字段编码：GBK（据语言标记）",
                "fields read as GBK (its language byte)",
            )),
        );
    }
    let start = header.start.min(bytes.len());
    let end = start
        .saturating_add(header.size.saturating_mul(header.count))
        .min(bytes.len());
    if std::str::from_utf8(&bytes[start..end]).is_ok() {
        (EncodingRs::from(UTF_8).into(), None)
    } else {
        (
            EncodingRs::from(GB18030).into(),
            Some(Text::new(
                "字段编码：GBK（非 UTF-8）",
                "fields read as GBK (they are not UTF-8)",
            )),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/user")
                .join(name),
        )
        .expect("fixture")
    }

    /// The values GDAL reads from the same file (ogrinfo 3.6: 12, 0.25, 2020/04/20,
    /// Integer64 9007199254740993, nulls), as text for the attribute table.
    #[test]
    fn typed_fields_read_as_gdal_reads_them() {
        let table = Table::read(&fixture("typed-fields.dbf"), Some("UTF-8")).expect("read");
        assert_eq!(
            table.fields,
            ["id", "名称", "count", "share", "opened", "code"]
        );
        let row = |r: usize| table.records[r].clone().expect("not deleted");
        assert_eq!(
            row(0),
            [
                "p1",
                "西部科学城",
                "12",
                "0.25",
                "2020-04-20",
                "9007199254740993"
            ]
        );
        assert_eq!(row(1)[3], "12.5");
        assert_eq!(row(1)[5], "500106001001");
        assert_eq!(row(2), ["p3", "广阳湾", "", "", "", ""], "nulls are empty");
        assert!(table.notes.is_empty(), "{:?}", table.notes);
    }

    /// A record marked deleted ('*') is left out with its shape, as GDAL leaves it out; the
    /// others keep their own shapes.
    #[test]
    fn a_deleted_record_is_not_drawn_and_the_others_keep_their_shapes() {
        let dir = std::env::temp_dir().join(format!("atlas-deleted-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        for part in ["shp", "shx", "prj", "cpg"] {
            std::fs::write(
                dir.join(format!("t.{part}")),
                fixture(&format!("typed-fields.{part}")),
            )
            .expect("write");
        }
        let mut dbf = fixture("typed-fields.dbf");
        let start = usize::from(u16::from_le_bytes([dbf[8], dbf[9]]));
        let size = usize::from(u16::from_le_bytes([dbf[10], dbf[11]]));
        dbf[start + size] = b'*';
        std::fs::write(dir.join("t.dbf"), dbf).expect("write");
        let read = read(&dir.join("t.shp"), "t.shp", 1 << 20).expect("read");
        let ids: Vec<&str> = read.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["p1", "p3"]);
        let crate::model::Shape::Point(p3) = read.rows[1].shape else {
            panic!("a point")
        };
        assert_eq!((p3.x(), p3.y()), (106.7, 29.55), "p3 keeps its own shape");
        assert!(
            read.notes
                .iter()
                .any(|n| n.en.contains("1 records marked deleted")),
            "{:?}",
            read.notes
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A value that is not of its field's type is left empty, and said.
    #[test]
    fn a_value_not_of_its_type_is_empty_and_said() {
        let mut dbf = fixture("typed-fields.dbf");
        let start = usize::from(u16::from_le_bytes([dbf[8], dbf[9]]));
        // The first record's `count` (N, 9 wide, after the flag, `id` and `名称`: 1 + 80 + 80).
        dbf[start + 161..start + 170].copy_from_slice(b"   twelve");
        let table = Table::read(&dbf, Some("UTF-8")).expect("read");
        assert_eq!(table.records[0].as_ref().expect("kept")[2], "");
        assert_eq!(table.records[0].as_ref().expect("kept")[0], "p1");
        assert!(
            table
                .notes
                .iter()
                .any(|n| n.en.contains("1 values of the .dbf")),
            "{:?}",
            table.notes
        );
    }

    /// A missing part is said in Chinese by the problem's own words, the user's folder and
    /// file names left as they are (they used to be translated phrase by phrase: "feature
    /// data" became "要素 data").
    #[test]
    fn a_missing_dbf_is_said_in_chinese_with_the_path_as_it_is() {
        let dir = std::env::temp_dir()
            .join(format!("atlas-problem-{}", std::process::id()))
            .join("feature data");
        std::fs::create_dir_all(&dir).expect("dir");
        for part in ["shp", "shx"] {
            std::fs::write(
                dir.join(format!("pipeline 2.{part}")),
                fixture(&format!("typed-fields.{part}")),
            )
            .expect("write");
        }
        let path = dir.join("pipeline 2.shp");
        let origin = path.display().to_string();
        let Err(error) = read(&path, &origin, 1 << 20) else {
            panic!("refused without its .dbf");
        };
        let said = error.in_language(crate::model::Lang::Zh);
        assert!(said.starts_with(&format!("{origin}: ")), "{said}");
        assert!(said.contains(".shp 旁缺少 .dbf（属性表）"), "{said}");
        assert!(said.contains("feature data/pipeline 2.shp"), "{said}");
        let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
    }
}
