//! Workbooks as layers, against files other people's writers made (tests/data/user, by
//! tools/make-workbook-fixtures.sh): openpyxl's .xlsx and LibreOffice's .xlsx, .xls and .ods
//! of the same sheet, each read back as the platforms it was written from.

use std::path::{Path, PathBuf};

use chengyu_atlas::geodata::user::{self, CsvOptions, LayerOptions};
use chengyu_atlas::model::{FeatureKind, Shape};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/user")
        .join(name)
}

const WORKBOOKS: [&str; 4] = [
    "platforms-openpyxl.xlsx",
    "platforms-libreoffice.xlsx",
    "platforms-libreoffice.xls",
    "platforms-libreoffice.ods",
];

fn load(path: &Path) -> user::LoadedLayer {
    user::load(path, &LayerOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn values(layer: &user::LoadedLayer, id: &str) -> Vec<String> {
    let feature = layer
        .features
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no feature {id}"));
    match &feature.kind {
        FeatureKind::User(u) => u.values.to_vec(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_writers_workbook_reads_as_the_platforms_it_was_written_from() {
    let text = std::fs::read_to_string(fixture("platforms-source.geojson")).expect("source");
    let source: serde_json::Value = serde_json::from_str(&text).expect("GeoJSON");
    let source = &source["features"].as_array().expect("features")[..20];
    for name in WORKBOOKS {
        let layer = load(&fixture(name));
        assert_eq!(
            layer.info.fields,
            [
                "编号",
                "名称",
                "类别",
                "经度",
                "纬度",
                "登记日期",
                "面积",
                "两倍面积"
            ],
            "{name}"
        );
        // The tenth row has no latitude: 19 features, the tenth said by its cell.
        assert_eq!(layer.features.len(), 19, "{name}");
        let said: Vec<String> = layer.problems.iter().map(ToString::to_string).collect();
        let said = said.join("\n");
        assert!(said.contains("E13"), "{name}: {said}");
        assert!(said.contains("G8: #N/A"), "{name}: {said}");
        for (i, platform) in source.iter().enumerate().filter(|(i, _)| *i != 9) {
            let id = platform["properties"]["id"].as_str().expect("id");
            let row = values(&layer, id);
            assert_eq!(
                row[1],
                platform["properties"]["name"].as_str().unwrap(),
                "{name} {id}"
            );
            let feature = layer.features.iter().find(|f| f.id == id).unwrap();
            let Shape::Point(point) = &feature.shape else {
                panic!("{name} {id}: {:?}", feature.shape)
            };
            let coordinates = platform["geometry"]["coordinates"].as_array().unwrap();
            assert!(
                (point.x() - coordinates[0].as_f64().unwrap()).abs() < 1e-9,
                "{name} {id}"
            );
            assert!(
                (point.y() - coordinates[1].as_f64().unwrap()).abs() < 1e-9,
                "{name} {id}"
            );
            // Numbers as numbers, dates as dates, in the writers' own cells.
            let day = chrono_free_date(i);
            assert_eq!(row[5], day, "{name} {id}: the date");
            let area = if i == 4 {
                String::new()
            } else {
                format!("{}", 10.5 + 3.25 * i as f64)
            };
            assert_eq!(row[6], area, "{name} {id}: the area");
            // openpyxl writes a formula without its result; LibreOffice computes and keeps it.
            let twice = match (name, i) {
                ("platforms-openpyxl.xlsx", _) | (_, 4) => String::new(),
                _ => format!("{}", 2.0 * (10.5 + 3.25 * i as f64)),
            };
            if i != 4 || name == "platforms-openpyxl.xlsx" {
                assert_eq!(row[7], twice, "{name} {id}: the formula's result");
            }
        }
        let notes: Vec<String> = layer.info.notes.iter().map(|n| n.en.clone()).collect();
        assert!(
            notes
                .iter()
                .any(|n| n.contains("sheet “平台名录”, header in row 3")),
            "{name}: {notes:?}"
        );
    }
}

/// 2019-01-01 plus 37 days a row, as the fixture's script writes it.
fn chrono_free_date(i: usize) -> String {
    let mut days = 37 * i as u32;
    let (mut month, mut day) = (1u32, 1u32);
    let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut year = 2019;
    loop {
        let length = lengths[(month - 1) as usize] + u32::from(month == 2 && year % 4 == 0);
        if day + days <= length {
            day += days;
            break;
        }
        days -= length - day + 1;
        day = 1;
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    format!("{year:04}-{month:02}-{day:02}")
}

#[test]
fn the_preview_lists_every_sheet_and_chooses_the_first_with_a_table() {
    for name in WORKBOOKS {
        let columns = user::preview_table(&fixture(name), &CsvOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(columns.sheets, ["说明", "平台名录"], "{name}");
        assert_eq!(columns.sheet.as_deref(), Some("平台名录"), "{name}");
        assert_eq!(columns.header_row, 3, "{name}");
        assert_eq!((columns.lon, columns.lat), (Some(3), Some(4)), "{name}");
        assert!(columns.sample.len() >= 8, "{name}");
        let notes = CsvOptions {
            sheet: Some("说明".into()),
            ..CsvOptions::default()
        };
        let Err(error) = user::preview_table(&fixture(name), &notes) else {
            panic!("{name}: the notes sheet has no table");
        };
        assert!(error.to_string().contains("holds no table"), "{error}");
    }
}

#[test]
fn a_protected_a_bombed_and_a_broken_workbook_are_each_named() {
    let Err(error) = user::load(
        &fixture("platforms-protected.xlsx"),
        &LayerOptions::default(),
    ) else {
        panic!("an encrypted workbook read");
    };
    let said = error.to_string();
    assert!(
        said.contains("platforms-protected.xlsx") && said.contains("password"),
        "{said}"
    );

    // A workbook whose parts declare 8 GiB unpacked: refused before anything is unpacked.
    let dir = crate::common::fresh_dir("workbooks");
    let mut bytes = std::fs::read(fixture("platforms-openpyxl.xlsx")).expect("fixture");
    let mut patched = 0;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"PK\x01\x02") {
        let entry = at + found;
        // The central directory's uncompressed size, at offset 24 of an entry.
        bytes[entry + 24..entry + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        patched += 1;
        at = entry + 4;
    }
    assert!(patched >= 3, "{patched} entries");
    let bomb = dir.join("bomb.xlsx");
    std::fs::write(&bomb, &bytes).expect("write");
    let Err(error) = user::load(&bomb, &LayerOptions::default()) else {
        panic!("a zip bomb read");
    };
    assert!(error.to_string().contains("zip bomb"), "{error}");

    let whole = std::fs::read(fixture("platforms-libreoffice.xlsx")).expect("fixture");
    let cut = dir.join("cut.xlsx");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("write");
    let Err(error) = user::load(&cut, &LayerOptions::default()) else {
        panic!("half a workbook read");
    };
    assert!(error.to_string().contains("cut.xlsx"), "{error}");
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A sheet of Excel's full 1 048 576 rows (a name in each, no coordinates past the first
/// rows) is read to its end, the rows without coordinates counted, not listed one by one.
#[test]
fn a_sheet_of_every_row_excel_has_is_read_to_its_end() {
    let dir = crate::common::fresh_dir("workbooks-full");
    let path = dir.join("full.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().expect("sheet");
    for (column, heading) in ["名称", "经度", "纬度"].iter().enumerate() {
        sheet
            .write_string(0, column as u16, *heading)
            .expect("cell");
    }
    for row in 1..=3u32 {
        sheet.write_string(row, 0, "有坐标").expect("cell");
        sheet.write_number(row, 1, 106.3).expect("cell");
        sheet.write_number(row, 2, 29.6).expect("cell");
    }
    for row in 4..1_048_576u32 {
        sheet.write_number(row, 0, f64::from(row)).expect("cell");
    }
    book.save(&path).expect("save");
    let layer = load(&path);
    assert_eq!(layer.features.len(), 3);
    let said = layer
        .problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    // Every row counted: the read reached Excel's last row.
    let packed: String = said.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(packed.contains("1048572rows:coordinatesmissing"), "{said}");
}

/// In the window: a workbook typed in the layers pane opens its preview on the first sheet
/// with a table (the header's row said); the notes sheet chosen says it has none; back on the
/// table, "确认添加" adds its rows.
#[test]
fn the_window_previews_a_workbook_and_its_sheets_before_adding() {
    use egui_kittest::kittest::Queryable;
    let mut harness = crate::common::window_made(None, |_, app| app);
    harness.run();
    crate::common::type_in_path_field(
        &mut harness,
        &fixture("platforms-libreoffice.xlsx").display().to_string(),
    );
    harness.get_by_label("添加").click();
    // The sheet's head is read on another thread.
    crate::common::wait_for_layers(&mut harness);
    harness.get_by_label("表头在第 3 行");
    harness.get_by_label("四川美术学院");
    harness.get_by_label("工作表").click();
    harness.run();
    harness.get_by_label("说明").click();
    crate::common::wait_for_layers(&mut harness);
    assert!(
        harness
            .query_by_label_contains("holds no table")
            .or_else(|| harness.query_by_label_contains("中没有表格"))
            .is_some(),
        "the notes sheet says it has no table"
    );
    harness.get_by_label("工作表").click();
    harness.run();
    harness.get_by_label("平台名录").click();
    crate::common::wait_for_layers(&mut harness);
    harness.get_by_label("确认添加").click();
    crate::common::wait_for_layers(&mut harness);
    let (_, layer) = harness
        .state()
        .atlas()
        .user_layers()
        .next()
        .expect("the layer added");
    assert_eq!(layer.format, chengyu_atlas::model::user::UserFormat::Excel);
    assert_eq!(layer.csv.sheet.as_deref(), Some("平台名录"));
    let id = harness
        .state()
        .atlas()
        .user_layers()
        .next()
        .expect("layer")
        .0;
    assert_eq!(
        harness
            .state()
            .atlas()
            .layer(id)
            .expect("layer")
            .features
            .len(),
        19
    );
}
