//! A workbook's sheet as a table layer: .xlsx/.xlsm read by the atlas ([`ooxml`], the sheet
//! streamed row by row, none held whole), .xlsb, .xls and .ods through calamine. The sheet is the one chosen, else the
//! first one with a table; the header is the first row that looks like one (two or more text
//! cells spanning most of the table), so a title or merged cells above it are skipped. The
//! coordinate columns are found as a CSV's are. Numbers stay numbers, dates are written as ISO
//! dates, formulas give their cached results, and an error cell ("B17: #N/A") or an empty
//! coordinate is said by its cell reference.

use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{Data, Reader, Sheets};

mod ooxml;
mod scan;

use super::Read;
use super::csv::{CsvColumns, CsvOptions, TableRows, columns_of};
use crate::geodata::DataError;
use crate::geodata::fault::{Fault, same};
use crate::model::Text;

/// Rows looked at to find the header and the columns.
const SAMPLE_ROWS: usize = 60;
/// Columns read from a sheet; cells further right are left out (a sheet's table is narrower;
/// a cell at XFD would otherwise make every row 16 384 cells wide).
const MAX_COLUMNS: usize = 1024;
/// What a workbook's parts may unpack to, together: past it the file is refused unread as a
/// zip bomb. A sheet of Excel's full 1 048 576 rows of a few columns is a few hundred MB.
const MAX_UNPACKED_BYTES: u64 = 4 << 30;

/// A cell's value, owned (a row at a time is kept).
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(calamine::ExcelDateTime),
    Iso(String),
    Error(calamine::CellErrorType),
}

/// The error values a spreadsheet shows; an OpenDocument file keeps an error cell as a
/// formula with its text, which calamine reads as that text.
const ERROR_TEXTS: [&str; 8] = [
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "Err:502",
];

impl Value {
    /// An error value written as its text (an .ods's) is an error cell.
    fn error_text(&self) -> Option<&str> {
        match self {
            Value::Text(text) if looks_like_error(text) => {
                ERROR_TEXTS.iter().copied().find(|e| text.trim() == *e)
            }
            _ => None,
        }
    }

    fn of(data: &Data) -> Self {
        match data {
            Data::Empty => Value::Empty,
            Data::String(text) => Value::Text(text.clone()),
            Data::Int(n) => Value::Number(*n as f64),
            Data::Float(n) => Value::Number(*n),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(d) => Value::Date(*d),
            Data::DateTimeIso(t) | Data::DurationIso(t) => Value::Iso(t.clone()),
            Data::Error(e) => Value::Error(e.clone()),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// As a field's text: numbers as their shortest exact decimal (integers without a point),
    /// dates as ISO 8601, an error cell empty (it is said apart).
    fn text(&self) -> String {
        match self {
            Value::Empty | Value::Error(_) => String::new(),
            Value::Text(_) if self.error_text().is_some() => String::new(),
            Value::Text(text) => text.trim().to_string(),
            Value::Number(n) => number_text(*n),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Iso(text) => text.clone(),
            Value::Date(date) => date_text(date),
        }
    }
}

/// Whether a text may be an error value's (they start with `#` or `Err:`): most cells are
/// not looked at further.
fn looks_like_error(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with('#') || text.starts_with("Err:")
}

fn number_text(n: f64) -> String {
    let mut text = String::new();
    write_number(&mut text, n);
    text
}

/// Writes `n` as [`number_text`] says it: integers without a point, others as their shortest
/// exact decimal. ryu writes a table's coordinates and amounts (below 10⁷; Rust's own
/// formatting, three times slower, the rest: ryu may break a tie between two shortest
/// decimals the other way for 16-digit numbers).
pub(crate) fn write_number(out: &mut String, n: f64) {
    use std::fmt::Write as _;
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
    } else if n.is_finite() && (1e-5..1e7).contains(&n.abs()) {
        out.push_str(ryu::Buffer::new().format_finite(n));
    } else {
        let _ = write!(out, "{n}");
    }
}

fn date_text(date: &calamine::ExcelDateTime) -> String {
    if date.is_duration() {
        let seconds = (date.as_f64() * 86_400.0).round() as i64;
        return format!(
            "{:02}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
    }
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    if date.as_f64() < 1.0 {
        // A time of day without a date.
        format!("{hour:02}:{minute:02}:{second:02}")
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
    }
}

/// A cell's reference: column `column` (from 0) of row `row` (from 1), as `B17`.
pub fn cell_name(column: usize, row: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8_lossy(&letters))
}

/// An opened workbook: an Office Open XML one read by the atlas, any other by calamine.
enum Workbook {
    Ooxml(ooxml::Book),
    Other(Sheets<BufReader<File>>),
}

impl Workbook {
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Workbook::Ooxml(book) => book.sheet_names(),
            Workbook::Other(sheets) => sheets.sheet_names(),
        }
    }
}

/// Why a workbook could not be read: calamine's words, or the atlas's own reader's.
#[derive(Debug)]
enum BookError {
    Calamine(calamine::Error),
    Ooxml(String),
}

impl std::fmt::Display for BookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BookError::Calamine(error) => error.fmt(f),
            BookError::Ooxml(error) => f.write_str(error),
        }
    }
}

fn open(path: &Path, origin: &str) -> Result<Workbook, DataError> {
    if !path.exists() {
        return Err(DataError::new(origin, crate::geodata::Problem::FileMissing));
    }
    check_unpacked_size(path, origin)?;
    match ooxml::Book::open(path) {
        Ok(Some(book)) => return Ok(Workbook::Ooxml(book)),
        Ok(None) => {}
        Err(error) => return Err(refusal(origin, &BookError::Ooxml(error))),
    }
    calamine::open_workbook_auto(path)
        .map(Workbook::Other)
        .map_err(|error| refusal(origin, &BookError::Calamine(error)))
}

/// A refusal in plain words: a password named as such, anything else with the reader's words.
fn refusal(origin: &str, error: &BookError) -> DataError {
    let password = matches!(
        error,
        BookError::Calamine(
            calamine::Error::Xlsx(calamine::XlsxError::Password)
                | calamine::Error::Xls(calamine::XlsError::Password)
        )
    );
    let text = if password {
        Text::new(
            "工作簿设有打开密码：请在 Excel 或 WPS 中取消密码（文件 ▸ 信息 ▸ 保护工作簿）后另存，再添加",
            "the workbook is protected by a password: remove it in Excel or WPS (File ▸ Info ▸ Protect Workbook), save, and add it again",
        )
    } else {
        Text::new(
            format!("不是可读取的工作簿：{error}"),
            format!("is not a workbook the atlas can read: {error}"),
        )
    };
    DataError::new(origin, text)
}

/// A zip-based workbook (.xlsx, .xlsm, .xlsb, .ods) whose parts declare more than
/// [`MAX_UNPACKED_BYTES`] is refused before a byte is unpacked.
fn check_unpacked_size(path: &Path, origin: &str) -> Result<(), DataError> {
    let Ok(file) = File::open(path) else {
        return Ok(()); // Said by the reader.
    };
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(()); // Not a zip (.xls, or an encrypted workbook): the reader decides.
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(index) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_UNPACKED_BYTES {
        let gib = total as f64 / f64::from(1u32 << 30);
        return Err(DataError::new(
            origin,
            Text::new(
                format!("解压后将有 {gib:.0} GiB，超出可读取的 4 GiB（可能是压缩炸弹），未读取"),
                format!(
                    "would unpack to {gib:.0} GiB, past the 4 GiB the atlas reads (a zip bomb?): not read"
                ),
            ),
        ));
    }
    Ok(())
}

/// What a sheet's rows are read into, cell by cell ([`each_row`]).
trait RowSink {
    /// The sheet's last row (numbered from 1), as its dimension says, before its cells.
    fn sized(&mut self, _last_row: usize) {}
    /// A cell of the current row, at `column` (from 0; empty cells may not come at all).
    fn cell(&mut self, column: usize, cell: CellRef<'_>);
    /// The current row (numbered from 1) has had all its cells; `Break` stops the reading.
    fn row_done(&mut self, line: usize) -> ControlFlow<()>;
}

/// Each row of `sheet` after row `after` (numbered from 1), into `sink`, until it breaks. An
/// .xlsx is streamed row by row (a row without cells does not come); the other formats are
/// read whole by calamine first.
fn each_row(
    workbook: &mut Workbook,
    sheet: &str,
    after: usize,
    sink: &mut impl RowSink,
) -> Result<(), BookError> {
    let workbook = match workbook {
        Workbook::Ooxml(book) => return book.rows(sheet, after, sink).map_err(BookError::Ooxml),
        Workbook::Other(sheets) => sheets,
    };
    each_row_of_calamine(workbook, sheet, after, sink).map_err(BookError::Calamine)
}

/// A sheet read whole by calamine (an .xls, .ods or .xlsb; an .xlsx only when the atlas's
/// reader did not take it), then handed over row by row.
fn each_row_of_calamine(
    workbook: &mut Sheets<BufReader<File>>,
    sheet: &str,
    after: usize,
    sink: &mut impl RowSink,
) -> Result<(), calamine::Error> {
    let range = workbook.worksheet_range(sheet)?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    sink.sized(range.end().map_or(0, |(last, _)| last as usize + 1));
    for (i, cells) in range.rows().enumerate() {
        let line = first_row as usize + i + 1;
        if line <= after {
            continue;
        }
        for (j, data) in cells.iter().enumerate() {
            sink.cell(first_column as usize + j, CellRef::of(data));
        }
        if sink.row_done(line).is_break() {
            break;
        }
    }
    Ok(())
}

/// The first rows of a sheet, each as its cells' values (to find the header in).
#[derive(Default)]
struct FirstRows {
    rows: Vec<(usize, Vec<Value>)>,
    current: Vec<Value>,
}

impl RowSink for FirstRows {
    fn cell(&mut self, column: usize, cell: CellRef<'_>) {
        let value = match cell {
            CellRef::Text(text) => Value::Text(text.to_string()),
            CellRef::Number(n) => Value::Number(n),
            CellRef::Other(value) => value,
        };
        if column < MAX_COLUMNS && !matches!(value, Value::Empty) {
            if self.current.len() <= column {
                self.current.resize(column + 1, Value::Empty);
            }
            self.current[column] = value;
        }
    }

    fn row_done(&mut self, line: usize) -> ControlFlow<()> {
        self.rows.push((line, std::mem::take(&mut self.current)));
        if self.rows.len() >= SAMPLE_ROWS {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

/// Rows handed from the parsing thread to the reading one at a time.
const BATCH_ROWS: usize = 4096;

/// Consecutive rows of a sheet, their texts in one buffer: what the parsing thread hands over.
/// Cells are written straight into it (a million-row sheet is five million cells: none is a
/// string of its own).
struct Batch {
    width: usize,
    text: String,
    /// `width` spans per row, into `text` (empty where the row has no cell).
    spans: Vec<std::ops::Range<usize>>,
    /// Each row's number, from 1.
    lines: Vec<usize>,
    /// The error cells: their row (in the batch), column and value.
    errors: Vec<(usize, usize, String)>,
    /// The sheet's last row as its dimension says (the first batch of a streamed sheet).
    last_row: Option<usize>,
}

impl Batch {
    fn new(width: usize) -> Self {
        Self {
            width,
            text: String::new(),
            spans: Vec::with_capacity(width * BATCH_ROWS),
            lines: Vec::with_capacity(BATCH_ROWS),
            errors: Vec::new(),
            last_row: None,
        }
    }

    fn record(&self, row: usize) -> Vec<&str> {
        self.spans[row * self.width..(row + 1) * self.width]
            .iter()
            .map(|span| &self.text[span.clone()])
            .collect()
    }
}

impl RowSink for Batch {
    fn sized(&mut self, last_row: usize) {
        self.last_row = Some(last_row);
    }

    /// Column `column`'s cell (columns past the table's are left out).
    fn cell(&mut self, column: usize, cell: CellRef<'_>) {
        if column >= self.width {
            return;
        }
        let row = self.lines.len();
        // The row's spans are made with its first cell.
        if self.spans.len() < (row + 1) * self.width {
            self.spans.resize((row + 1) * self.width, 0..0);
        }
        let start = self.text.len();
        let error = match cell {
            CellRef::Text(text) if looks_like_error(text) => {
                match ERROR_TEXTS.iter().find(|e| text.trim() == **e) {
                    Some(error) => Some((*error).to_string()),
                    None => {
                        self.text.push_str(text.trim());
                        None
                    }
                }
            }
            CellRef::Text(text) => {
                self.text.push_str(text.trim());
                None
            }
            CellRef::Number(n) => {
                write_number(&mut self.text, n);
                None
            }
            CellRef::Other(Value::Error(error)) => Some(error.to_string()),
            CellRef::Other(other) => {
                self.text.push_str(&other.text());
                None
            }
        };
        if let Some(error) = error {
            self.errors.push((row, column, error));
        }
        self.spans[row * self.width + column] = start..self.text.len();
    }

    fn row_done(&mut self, line: usize) -> ControlFlow<()> {
        let row = self.lines.len();
        self.spans.resize((row + 1) * self.width, 0..0);
        self.lines.push(line);
        ControlFlow::Continue(())
    }
}

/// A cell as calamine hands it over, borrowed where it can be (a shared string).
enum CellRef<'a> {
    Text(&'a str),
    Number(f64),
    Other(Value),
}

impl<'a> CellRef<'a> {
    fn of(data: &'a Data) -> Self {
        match data {
            Data::String(text) => CellRef::Text(text),
            Data::Int(n) => CellRef::Number(*n as f64),
            Data::Float(n) => CellRef::Number(*n),
            other => CellRef::Other(Value::of(other)),
        }
    }
}

/// The header's index among `rows`: the first row of two or more cells, all text, spanning at
/// least half as many cells as the widest row near it. A title (one cell, merged across or
/// not) and notes above the table are passed over.
fn header_index(rows: &[(usize, Vec<Value>)]) -> Option<usize> {
    let filled = |values: &[Value]| values.iter().filter(|v| !v.is_empty()).count();
    let widest = rows.iter().map(|(_, v)| filled(v)).max()?;
    rows.iter().position(|(_, values)| {
        let n = filled(values);
        n >= 2
            && n * 2 >= widest
            && values
                .iter()
                .all(|v| v.is_empty() || matches!(v, Value::Text(_)))
    })
}

/// The header's names: each cell's text, an empty one named by its column letter.
fn header_names(values: &[Value]) -> Vec<String> {
    let width = values
        .iter()
        .rposition(|v| !v.is_empty())
        .map_or(0, |i| i + 1);
    values[..width]
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let text = value.text();
            if text.is_empty() {
                cell_name(i, 0).trim_end_matches('0').to_string()
            } else {
                text
            }
        })
        .collect()
}

/// The first rows of a sheet, its header found.
struct Head {
    header_row: usize,
    headers: Vec<String>,
    sample: Vec<Vec<String>>,
}

fn head(workbook: &mut Workbook, sheet: &str) -> Result<Option<Head>, BookError> {
    let mut sink = FirstRows::default();
    each_row(workbook, sheet, 0, &mut sink)?;
    let first = sink.rows;
    let Some(at) = header_index(&first) else {
        return Ok(None);
    };
    let headers = header_names(&first[at].1);
    let width = headers.len();
    let sample: Vec<Vec<String>> = first[at + 1..]
        .iter()
        .filter(|(_, values)| values.iter().any(|v| !v.is_empty()))
        .map(|(_, values)| {
            let mut texts: Vec<String> = values.iter().take(width).map(Value::text).collect();
            texts.resize(width, String::new());
            texts
        })
        .collect();
    Ok((!sample.is_empty()).then(|| Head {
        header_row: first[at].0,
        headers,
        sample,
    }))
}

/// The sheet `options` names, else the first one with a table: its name and head.
fn chosen_sheet(
    workbook: &mut Workbook,
    options: &CsvOptions,
    origin: &str,
) -> Result<(String, Head), DataError> {
    let names = workbook.sheet_names();
    let fail = |error: BookError| refusal(origin, &error);
    if let Some(sheet) = &options.sheet {
        if !names.contains(sheet) {
            return Err(DataError::new(
                origin,
                Text::new(
                    format!("没有工作表“{sheet}”（有：{}）", names.join("、")),
                    format!("has no sheet “{sheet}” (it has: {})", names.join(", ")),
                ),
            ));
        }
        return match head(workbook, sheet).map_err(fail)? {
            Some(head) => Ok((sheet.clone(), head)),
            None => Err(DataError::new(
                origin,
                Text::new(
                    format!("工作表“{sheet}”中没有表格（找不到表头行和数据行）"),
                    format!("sheet “{sheet}” holds no table (no header row with rows below it)"),
                ),
            )),
        };
    }
    for sheet in &names {
        if let Some(head) = head(workbook, sheet).map_err(fail)? {
            return Ok((sheet.clone(), head));
        }
    }
    Err(DataError::new(
        origin,
        Text::new(
            format!(
                "没有一个工作表含有表格（找不到表头行和数据行；工作表：{}）",
                names.join("、")
            ),
            format!(
                "no sheet holds a table (a header row with rows below it; sheets: {})",
                names.join(", ")
            ),
        ),
    ))
}

/// Runs a read of calamine's: its parsers index into the bytes they are given (an .xls's
/// records, say), and a corrupt file must cost the file, not the app.
fn guarded<T>(origin: &str, read: impl FnOnce() -> Result<T, DataError>) -> Result<T, DataError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(DataError::new(
            origin,
            Text::new(
                "工作簿已损坏（其结构无法解析）",
                "the workbook is corrupt (its structure cannot be parsed)",
            ),
        ))
    })
}

/// A workbook's sheets and the chosen one's columns and first rows, for the preview.
pub fn preview(path: &Path, options: &CsvOptions) -> Result<CsvColumns, DataError> {
    let origin = path.display().to_string();
    guarded(&origin, || preview_unguarded(path, options, &origin))
}

fn preview_unguarded(
    path: &Path,
    options: &CsvOptions,
    origin: &str,
) -> Result<CsvColumns, DataError> {
    let origin = origin.to_string();
    let mut workbook = open(path, &origin)?;
    let (sheet, head) = chosen_sheet(&mut workbook, options, &origin)?;
    let mut columns = columns_of(b',', head.headers, head.sample, options)
        .map_err(|problem| DataError::new(&origin, problem))?;
    columns.sheets = workbook.sheet_names();
    columns.sheet = Some(sheet);
    columns.header_row = head.header_row;
    Ok(columns)
}

pub(super) fn read(
    path: &Path,
    origin: &str,
    options: &CsvOptions,
    progress: Option<&super::Progress>,
) -> Result<Read, DataError> {
    guarded(origin, || read_unguarded(path, origin, options, progress))
}

fn read_unguarded(
    path: &Path,
    origin: &str,
    options: &CsvOptions,
    progress: Option<&super::Progress>,
) -> Result<Read, DataError> {
    let mut workbook = open(path, origin)?;
    let (sheet, head) = chosen_sheet(&mut workbook, options, origin)?;
    let header_row = head.header_row;
    let columns = columns_of(b',', head.headers, head.sample, options)
        .map_err(|problem| DataError::new(origin, problem))?;
    let width = columns.headers.len();
    let mut table = TableRows::new(&columns, options, origin)?;
    // Two threads: calamine unpacks and parses the sheet's XML into batches of rows while this
    // one makes them features (a 1 000 000-row sheet: half the time of one thread doing both).
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(4);
    let mut cancelled = false;
    let mut index = 0;
    let parsed = std::thread::scope(|scope| {
        let (workbook, sheet) = (&mut workbook, &sheet);
        // The sender moves into the parser: when it is done, the channel ends.
        let parser = scope.spawn(move || {
            /// Hands a batch over each [`BATCH_ROWS`] rows.
            struct Batches {
                batch: Batch,
                sender: std::sync::mpsc::SyncSender<Batch>,
            }
            impl RowSink for Batches {
                fn sized(&mut self, last_row: usize) {
                    self.batch.sized(last_row);
                }
                fn cell(&mut self, column: usize, cell: CellRef<'_>) {
                    self.batch.cell(column, cell);
                }
                fn row_done(&mut self, line: usize) -> ControlFlow<()> {
                    let _ = self.batch.row_done(line);
                    if self.batch.lines.len() < BATCH_ROWS {
                        return ControlFlow::Continue(());
                    }
                    let width = self.batch.width;
                    let full = std::mem::replace(&mut self.batch, Batch::new(width));
                    match self.sender.send(full) {
                        Ok(()) => ControlFlow::Continue(()),
                        // The reader stopped (cancelled): so does the parser.
                        Err(_) => ControlFlow::Break(()),
                    }
                }
            }
            let mut batches = Batches {
                batch: Batch::new(width),
                sender,
            };
            each_row(workbook, sheet, header_row, &mut batches)?;
            let _ = batches.sender.send(batches.batch);
            Ok::<(), BookError>(())
        });
        for batch in receiver.iter() {
            if let Some(last) = batch.last_row {
                // Room for the sheet's rows at once (its dimension may say more than it has).
                table.expect(last.saturating_sub(header_row));
            }
            if let Some(progress) = progress
                && progress.is_cancelled()
            {
                cancelled = true;
                break;
            }
            // The error cells are in row order.
            let mut errors = batch.errors.iter().peekable();
            for (row, &line) in batch.lines.iter().enumerate() {
                while let Some((_, column, error)) = errors.next_if(|(r, _, _)| *r == row) {
                    let at = cell_name(*column, line);
                    table.problem(
                        index,
                        line,
                        Fault::CellError,
                        same(format!("{at}: {error}")),
                    );
                }
                table.push(index, line, batch.record(row), |column| {
                    Some(cell_name(column, line))
                });
                index += 1;
            }
        }
        drop(receiver);
        parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    parsed.map_err(|error| refusal(origin, &error))?;
    if cancelled {
        return Err(DataError::new(origin, super::cancelled()));
    }
    let mut read = table.finish(origin);
    read.notes.insert(
        0,
        Text::new(
            format!("读取工作表“{sheet}”，表头在第 {header_row} 行"),
            format!("sheet “{sheet}”, header in row {header_row}"),
        ),
    );
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(cell_name(0, 1), "A1");
        assert_eq!(cell_name(1, 17), "B17");
        assert_eq!(cell_name(25, 3), "Z3");
        assert_eq!(cell_name(26, 3), "AA3");
        assert_eq!(cell_name(16_383, 1_048_576), "XFD1048576");
    }

    #[test]
    fn numbers_keep_their_digits_and_integers_lose_the_point() {
        assert_eq!(number_text(106.33), "106.33");
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(-0.5), "-0.5");
        assert_eq!(number_text(29.123_456_789_012), "29.123456789012");
        // Written as Rust writes them, across magnitudes and at random below 10⁷.
        let mut random = crate::test_support::random(0x9e37_79b9_7f4a_7c15);
        let mut n = 1.234_567_890_123_4e-6_f64;
        while n < 1e16 {
            let r = random();
            for value in [n, -n, n * 1.000_000_1, n + 0.1, r * 1e7, r * 180.0, -r] {
                let display = if value.fract() == 0.0 && value.abs() < 1e15 {
                    format!("{}", value as i64)
                } else {
                    format!("{value}")
                };
                assert_eq!(number_text(value), display, "{value:e}");
            }
            n *= 7.3;
        }
        for i in 0..200_000 {
            // Coordinates and amounts as a sheet holds them: a few decimals, or full doubles.
            let scale = [1e7, 180.0, 1.0, 1e-3][i % 4];
            let digits = 10f64.powi((i % 9) as i32);
            let value = (random() * scale * digits).round() / digits;
            let value = if i % 3 == 0 { random() * scale } else { value };
            let display = if value.fract() == 0.0 {
                format!("{}", value as i64)
            } else {
                format!("{value}")
            };
            assert_eq!(number_text(value), display, "{value:e}");
        }
    }

    /// Each row with a value (its number) and its cells (their column and what they hold).
    type Rows = Vec<(usize, Vec<(usize, String)>)>;

    /// A sheet's cells as a reader hands them over.
    #[derive(Default)]
    struct Recorded {
        rows: Rows,
        current: Vec<(usize, String)>,
    }

    impl RowSink for Recorded {
        fn cell(&mut self, column: usize, cell: CellRef<'_>) {
            let said = match cell {
                CellRef::Text(text) => format!("text {text:?}"),
                CellRef::Number(n) => format!("number {n:?}"),
                CellRef::Other(Value::Empty) => return,
                CellRef::Other(Value::Text(text)) => format!("text {text:?}"),
                CellRef::Other(other) => format!("{other:?}"),
            };
            self.current.push((column, said));
        }

        fn row_done(&mut self, line: usize) -> ControlFlow<()> {
            if !self.current.is_empty() {
                self.rows.push((line, std::mem::take(&mut self.current)));
            }
            ControlFlow::Continue(())
        }
    }

    fn every_cell(workbook: &mut Workbook) -> Vec<(String, Rows)> {
        workbook
            .sheet_names()
            .into_iter()
            .map(|sheet| {
                let mut recorded = Recorded::default();
                each_row(workbook, &sheet, 0, &mut recorded).expect("rows");
                (sheet, recorded.rows)
            })
            .collect()
    }

    /// A workbook with a cell of every kind a sheet holds: shared, inline and rich strings
    /// (spaces kept, line ends, markup characters, Excel's escapes, characters past the BMP),
    /// numbers, dates, times and durations by built-in and custom formats, booleans, and the
    /// cached results of formulas (a number, a string, an error, a boolean).
    fn every_kind_of_cell(path: &Path) {
        use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("数据").expect("name");
        let texts = [
            "重庆 科学城",
            "  spaces kept  ",
            "a\r\nb\nc",
            "<&>\"'",
            "_x000D_ written as is",
            "😀 past the BMP",
            "tab\there",
            "control \u{1} character",
        ];
        for (row, text) in texts.iter().enumerate() {
            sheet.write_string(row as u32, 0, *text).expect("cell");
        }
        for (row, n) in [0.0, -1.5, 1e-7, 1e20, 106.33, 29.123_456_789_012_34]
            .iter()
            .enumerate()
        {
            sheet.write_number(row as u32, 1, *n).expect("cell");
        }
        let date = ExcelDateTime::from_ymd(2024, 2, 29).expect("date");
        let moment = date.clone().and_hms(13, 45, 30).expect("time");
        let formats = [
            Format::new().set_num_format("yyyy-mm-dd"),
            Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            Format::new().set_num_format("[h]:mm:ss"),
            Format::new().set_num_format_index(14),
            Format::new().set_num_format("0.00"),
            Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\""),
        ];
        for (row, format) in formats.iter().enumerate() {
            let when = if row == 1 { &moment } else { &date };
            sheet
                .write_datetime_with_format(row as u32, 2, when, format)
                .expect("cell");
        }
        sheet
            .write_number_with_format(6, 2, 1.75, &formats[2])
            .expect("cell");
        sheet.write_boolean(0, 3, true).expect("cell");
        sheet.write_boolean(1, 3, false).expect("cell");
        // Formulas and the results the file keeps: a number, a string, an error, a boolean.
        let formulas = [
            ("=1+1", "2"),
            ("=\"a\"&\"bc\"", "abc"),
            ("=NA()", "#N/A"),
            ("=1=1", "TRUE"),
        ];
        for (row, (formula, result)) in formulas.into_iter().enumerate() {
            sheet
                .write_formula(row as u32, 4, Formula::new(formula).set_result(result))
                .expect("cell");
        }
        let bold = Format::new().set_bold();
        sheet
            .write_rich_string(0, 6, &[(&bold, "重庆"), (&Format::default(), " 科学城 ")])
            .expect("cell");
        sheet.write_string(20, 9, "far").expect("cell");
        let inline = book.add_worksheet_with_constant_memory().expect("sheet");
        inline.set_name("inline").expect("name");
        for (row, text) in texts.iter().enumerate() {
            inline.write_string(row as u32, 0, *text).expect("cell");
            inline
                .write_number(row as u32, 1, row as f64 / 3.0)
                .expect("cell");
        }
        book.add_worksheet().set_name("empty").expect("name");
        book.save(path).expect("save");
    }

    #[test]
    fn an_xlsx_reads_cell_for_cell_as_calamine_reads_it() {
        let dir = tempfile::tempdir().expect("dir");
        let written = dir.path().join("every-kind.xlsx");
        every_kind_of_cell(&written);
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/user");
        for path in [
            written,
            fixtures.join("platforms-openpyxl.xlsx"),
            fixtures.join("platforms-libreoffice.xlsx"),
        ] {
            let mut ours =
                Workbook::Ooxml(ooxml::Book::open(&path).expect("opens").expect("an xlsx"));
            let mut theirs = Workbook::Other(calamine::open_workbook_auto(&path).expect("opens"));
            let (ours, theirs) = (every_cell(&mut ours), every_cell(&mut theirs));
            assert!(ours.iter().map(|(_, rows)| rows.len()).sum::<usize>() > 5);
            for ((sheet, our_rows), (their_sheet, their_rows)) in ours.iter().zip(&theirs) {
                assert_eq!(sheet, their_sheet, "{}", path.display());
                for (ours, theirs) in our_rows.iter().zip(their_rows) {
                    assert_eq!(ours, theirs, "{} sheet {sheet}", path.display());
                }
                assert_eq!(our_rows.len(), their_rows.len(), "{sheet}");
            }
            assert_eq!(ours.len(), theirs.len());
        }
    }

    #[test]
    fn the_header_is_found_below_a_title() {
        let text = |t: &str| Value::Text(t.into());
        let rows = vec![
            (0, vec![text("重庆科学城企业名录（2024）")]),
            (1, vec![]),
            (
                2,
                vec![text("名称"), text("经度"), text("纬度"), text("人数")],
            ),
            (
                3,
                vec![
                    text("甲"),
                    Value::Number(106.3),
                    Value::Number(29.6),
                    Value::Number(12.0),
                ],
            ),
        ];
        assert_eq!(header_index(&rows), Some(2));
        // A row of numbers is never a header.
        assert_eq!(header_index(&rows[3..]), None);
    }
}
