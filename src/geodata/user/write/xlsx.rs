//! A layer as an Excel workbook (.xlsx, by rust_xlsxwriter): one sheet named after the layer,
//! a bold header row frozen above the rows, numbers as numbers, and the position as `lon` and
//! `lat` columns when every feature is a point, else as a `WKT` column.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::Table;

/// The most characters a cell holds (Excel's limit).
const CELL_CHARACTERS: usize = 32_767;

pub fn workbook(table: &Table<'_>) -> Result<Vec<u8>, String> {
    let said = |error: XlsxError| format!("Excel: {error}");
    let mut book = Workbook::new();
    // Deflate at Excel's own level (3, not the crate's 6): a third less time for a file about
    // 5 % larger, as Excel itself writes them.
    book.set_zip_compression_level(3);
    let sheet = book.add_worksheet_with_constant_memory().map_err(said)?;
    // A sheet's name: at most 31 characters, none of []:*?/\.
    let name: String = table
        .name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if !name.trim().is_empty() {
        sheet.set_name(name.trim()).map_err(said)?;
    }
    let bold = Format::new().set_bold();
    for (column, heading) in table.headings.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, heading, &bold)
            .map_err(said)?;
        let width = heading.chars().count().clamp(8, 40) as f64 + 2.0;
        sheet.set_column_width(column as u16, width).map_err(said)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(said)?;
    for (index, row) in table.rows().enumerate() {
        let row_number = index as u32 + 1;
        for (column, cell) in row.iter().enumerate() {
            let column = column as u16;
            match cell {
                super::Cell::Number(n) => {
                    sheet.write_number(row_number, column, *n).map_err(said)?;
                }
                super::Cell::Text(text) if text.is_empty() => {}
                super::Cell::Text(text) => {
                    if text.chars().count() > CELL_CHARACTERS {
                        return Err(format!(
                            "row {} ({}): {} characters, more than a cell of Excel holds ({CELL_CHARACTERS}); write it as GeoPackage or GeoJSON",
                            row_number + 1,
                            table.headings[usize::from(column)],
                            text.chars().count()
                        ));
                    }
                    sheet.write_string(row_number, column, text).map_err(said)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(said)
}
