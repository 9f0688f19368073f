//! An Office Open XML workbook (.xlsx, .xlsm) read by the atlas itself: the package's
//! relationships lead to the workbook, its sheets, shared strings and styles, and a sheet's
//! rows are streamed from its zip entry; every part is read tag by tag through the byte
//! scanner in [`super::scan`] (no tree, so no nesting too deep for the stack). calamine's general XML reader took three quarters of the time
//! of reading a 1 000 000-row sheet; a cell's few elements need no general reader. Cells
//! mean what calamine makes of them (numbers, dates by their style's number format, shared
//! and inline strings, formula results, booleans, errors); other workbooks go to calamine.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};
use memchr::memmem;

use super::scan::{self, Tag, next_tag};
use super::{CellRef, RowSink, Value};

/// Bytes inflated at a time from a sheet's entry.
const CHUNK: usize = 1 << 18;
/// A row's XML past this is refused (a row of Excel's 16 384 cells of long text is a few MB).
const MAX_ROW_BYTES: usize = 256 << 20;
/// Shared strings past this are refused (their text is held whole).
const MAX_STRINGS_BYTES: u64 = 2 << 30;

/// What a cell's number format makes of its number.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NumberFormat {
    Number,
    DateTime,
    Duration,
}

/// A workbook's package, opened: its worksheets in order, its number formats by style.
pub struct Book {
    archive: zip::ZipArchive<BufReader<File>>,
    /// Each entry's index by its name in lower case (OPC names are case-insensitive).
    entries: HashMap<String, usize>,
    /// Each worksheet's name and part.
    sheets: Vec<(String, String)>,
    strings_part: Option<String>,
    /// The shared strings, read with the first sheet.
    strings: Option<SharedStrings>,
    formats: Vec<NumberFormat>,
    is_1904: bool,
}

/// The shared strings' texts end to end.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        Some(&self.text[start..end])
    }
}

impl Book {
    /// The workbook at `path` if it is an Office Open XML spreadsheet (a zip whose main
    /// part is a SpreadsheetML workbook); `Ok(None)` for anything else (.xls, .ods, .xlsb, an
    /// encrypted workbook), which calamine reads and names.
    pub fn open(path: &Path) -> Result<Option<Book>, String> {
        let Ok(file) = File::open(path) else {
            return Ok(None);
        };
        let Ok(archive) = zip::ZipArchive::new(BufReader::new(file)) else {
            return Ok(None);
        };
        let entries: HashMap<String, usize> = (0..archive.len())
            .filter_map(|i| Some((entry_key(&archive.name_for_index(i)?.ok()?), i)))
            .collect();
        let mut book = Book {
            archive,
            entries,
            sheets: Vec::new(),
            strings_part: None,
            strings: None,
            formats: Vec::new(),
            is_1904: false,
        };
        let Some(root_rels) = book.small_part("_rels/.rels")? else {
            return Ok(None);
        };
        let Some(workbook_part) = relationships(&root_rels, "")
            .into_iter()
            .find(|r| r.kind == "officeDocument")
            .map(|r| r.target)
        else {
            return Ok(None);
        };
        if !workbook_part.to_ascii_lowercase().ends_with(".xml") {
            return Ok(None); // .xlsb: a binary workbook.
        }
        let Some(workbook) = book.small_part(&workbook_part)? else {
            return Err(format!("its workbook part {workbook_part} is missing"));
        };
        let mut tags = scan::tags(workbook.as_bytes()).filter(|t| !t.closing);
        if !tags.next().is_some_and(|root| root.is(b"workbook")) {
            return Ok(None);
        }
        let base = match workbook_part.rfind('/') {
            Some(at) => &workbook_part[..=at],
            None => "",
        };
        let rels_part = format!("{base}_rels/{}.rels", &workbook_part[base.len()..]);
        let rels = match book.small_part(&rels_part)? {
            Some(text) => relationships(&text, base),
            None => Vec::new(),
        };
        let by_id: HashMap<&str, &Relationship> = rels.iter().map(|r| (r.id.as_str(), r)).collect();
        for tag in tags {
            if tag.is(b"workbookPr") {
                if let Some(v) = tag.attribute(b"date1904") {
                    book.is_1904 = v == b"1" || v == b"true";
                }
            } else if tag.is(b"sheet") {
                // The relationship's id is `r:id`, whatever the prefix.
                let mut id = None;
                tag.each_attribute(|name, value| {
                    if name.ends_with(b":id") {
                        id = std::str::from_utf8(value).ok();
                    }
                    id.is_none()
                });
                let (Some(name), Some(id)) = (tag.attribute_text(b"name"), id) else {
                    continue;
                };
                if let Some(r) = by_id.get(id) {
                    if r.kind == "worksheet" {
                        book.sheets.push((name, r.target.clone()));
                    } else if r.kind == "chartsheet" || r.kind == "dialogsheet" {
                        // Listed, as Excel lists them; they hold no cells.
                        book.sheets.push((name, String::new()));
                    }
                }
            }
        }
        let target = |kind: &str, default: &str| {
            rels.iter()
                .find(|r| r.kind == kind)
                .map_or_else(|| format!("{base}{default}"), |r| r.target.clone())
        };
        book.strings_part = Some(target("sharedStrings", "sharedStrings.xml"));
        if let Some(styles) = book.small_part(&target("styles", "styles.xml"))? {
            book.formats = number_formats(&styles);
        }
        Ok(Some(book))
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(name, _)| name.clone()).collect()
    }

    /// A part read whole as text, if the package has it (workbook, relationships, styles:
    /// parts of kilobytes).
    fn small_part(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(&index) = self.entries.get(&entry_key(name)) else {
            return Ok(None);
        };
        let mut entry = self
            .archive
            .by_index(index)
            .map_err(|e| format!("{name}: {e}"))?;
        let mut text = String::new();
        (&mut entry)
            .take(64 << 20)
            .read_to_string(&mut text)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(Some(text))
    }

    fn load_strings(&mut self) -> Result<(), String> {
        if self.strings.is_some() {
            return Ok(());
        }
        let mut strings = SharedStrings::default();
        let part = self.strings_part.clone().unwrap_or_default();
        if let Some(&index) = self.entries.get(&entry_key(&part)) {
            let entry = self
                .archive
                .by_index(index)
                .map_err(|e| format!("{part}: {e}"))?;
            let mut stream = Stream::new(entry.take(MAX_STRINGS_BYTES));
            each_element(&mut stream, b"sst", b"si", |event| {
                if let Element::Item(xml, tag) = event {
                    if !tag.empty {
                        scan::string_item_into(xml, tag.end, tag.local(), &mut strings.text);
                    }
                    strings
                        .ends
                        .push(u32::try_from(strings.text.len()).unwrap_or(u32::MAX));
                }
                Ok(ControlFlow::Continue(()))
            })
            .map_err(|e| format!("{part}: {e}"))?;
            if stream.hit_limit() {
                return Err(format!("{part}: its shared strings are more than 2 GiB"));
            }
        }
        self.strings = Some(strings);
        Ok(())
    }

    /// Each row of `sheet` after row `after` (numbered from 1) into `sink`, until it breaks.
    pub fn rows(
        &mut self,
        sheet: &str,
        after: usize,
        sink: &mut impl RowSink,
    ) -> Result<(), String> {
        let Some((_, part)) = self.sheets.iter().find(|(name, _)| name == sheet) else {
            return Err(format!("no sheet named {sheet}"));
        };
        let part = part.clone();
        if part.is_empty() {
            return Ok(()); // A chart sheet.
        }
        self.load_strings()?;
        let Some(&index) = self.entries.get(&entry_key(&part)) else {
            return Err(format!("the part {part} of sheet “{sheet}” is missing"));
        };
        let cells = Cells {
            strings: self.strings.as_ref().expect("loaded above"),
            formats: &self.formats,
            is_1904: self.is_1904,
        };
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| format!("{part}: {e}"))?;
        let mut stream = Stream::new(entry);
        let mut next_line = 1usize;
        let mut text = String::new();
        let mut failure = None;
        each_element(&mut stream, b"sheetData", b"row", |event| match event {
            Element::Before(tag) => {
                if tag.is(b"dimension")
                    && let Some(last) = tag
                        .attribute(b"ref")
                        .and_then(|r| r.rsplit(|&b| b == b':').next())
                        .and_then(scan::reference)
                {
                    sink.sized(last.1 as usize + 1);
                }
                Ok(ControlFlow::Continue(()))
            }
            Element::Item(xml, tag) => {
                let line = tag
                    .attribute(b"r")
                    .and_then(scan::reference)
                    .map_or(next_line, |(_, row)| row as usize + 1);
                next_line = line + 1;
                if line <= after || tag.empty {
                    return Ok(ControlFlow::Continue(()));
                }
                match cells.row(xml, tag.end, line, &mut text, sink) {
                    Ok(true) => Ok(sink.row_done(line)),
                    Ok(false) => Ok(ControlFlow::Continue(())),
                    Err(error) => {
                        failure = Some(error);
                        Ok(ControlFlow::Break(()))
                    }
                }
            }
        })
        .map_err(|e| format!("{part}: {e}"))?;
        failure.map_or(Ok(()), Err)
    }
}

/// The attributes of a cell's start tag that its value needs.
#[derive(Default)]
struct CellAttributes<'a> {
    reference: Option<&'a [u8]>,
    style: Option<&'a [u8]>,
    kind: Option<&'a [u8]>,
}

/// What a cell's value needs of its workbook.
struct Cells<'a> {
    strings: &'a SharedStrings,
    formats: &'a [NumberFormat],
    is_1904: bool,
}

impl Cells<'_> {
    /// The cells of a row, the XML of its content from `from` to the end of `xml`, into
    /// `sink`; whether it had a cell with a value.
    fn row(
        &self,
        xml: &[u8],
        from: usize,
        line: usize,
        text: &mut String,
        sink: &mut impl RowSink,
    ) -> Result<bool, String> {
        let mut at = from;
        let mut column = 0usize;
        let mut any = false;
        while let Some(tag) = next_tag(xml, at) {
            at = tag.end;
            if tag.closing || !tag.is(b"c") {
                continue;
            }
            let mut attributes = CellAttributes::default();
            tag.each_attribute(|name, value| {
                match name {
                    b"r" => attributes.reference = Some(value),
                    b"s" => attributes.style = Some(value),
                    b"t" => attributes.kind = Some(value),
                    _ => {}
                }
                true
            });
            if let Some((Some(c), _)) = attributes.reference.and_then(scan::reference) {
                column = c as usize;
            }
            let this = column;
            column += 1;
            if tag.empty {
                continue;
            }
            let (value, end) = self
                .value(xml, tag.end, &attributes, text)
                .map_err(|error| format!("{}: {error}", super::cell_name(this, line)))?;
            at = end;
            if let Some(value) = value {
                any = true;
                sink.cell(this, value);
            }
        }
        Ok(any)
    }

    /// The value of a cell whose content begins at `from` (its `<v>`, or its inline
    /// string), and where the cell's end tag ends.
    fn value<'s>(
        &'s self,
        xml: &'s [u8],
        from: usize,
        attributes: &CellAttributes<'_>,
        text: &'s mut String,
    ) -> Result<(Option<CellRef<'s>>, usize), String> {
        let kind = attributes.kind;
        let inline_kind = kind == Some(b"inlineStr");
        let mut at = from;
        // The value's text as written (a number's, a shared string's index), else decoded.
        let mut plain: Option<&'s str> = None;
        let mut decoded = false;
        let mut inline = false;
        text.clear();
        while let Some(tag) = next_tag(xml, at) {
            at = tag.end;
            if tag.closing {
                if tag.is(b"c") {
                    break;
                }
                continue;
            }
            if tag.empty {
                continue;
            }
            if tag.is(b"v") && !inline_kind {
                if let Some((raw, end)) = scan::plain_text(xml, at) {
                    plain = Some(raw);
                    at = end;
                } else {
                    text.clear();
                    at = scan::text_into(xml, at, text);
                    decoded = true;
                }
            } else if tag.is(b"is") {
                text.clear();
                at = scan::string_item_into(xml, at, tag.local(), text);
                inline = true;
            }
        }
        let escaped = match plain {
            Some(raw) => raw.contains("_x"),
            None => decoded && text.contains("_x"),
        };
        if kind == Some(b"str") && escaped {
            let mut unescaped = String::with_capacity(text.len());
            match plain.take() {
                Some(raw) => scan::unescape_excel_into(raw, &mut unescaped),
                None => scan::unescape_excel_into(text, &mut unescaped),
            }
            *text = unescaped;
            decoded = true;
        }
        let text: &'s String = text;
        let value: &'s str = match (plain, decoded) {
            (Some(raw), _) => raw,
            (None, true) => text.as_str(),
            (None, false) => {
                return Ok((
                    (inline_kind && inline).then_some(CellRef::Text(text.as_str())),
                    at,
                ));
            }
        };
        let cell = match kind {
            Some(b"inlineStr") => None,
            Some(b"s") => {
                let index = parse_usize(value.trim().as_bytes())
                    .ok_or_else(|| format!("shared string index “{value}” is not a number"))?;
                let string = self.strings.get(index).ok_or_else(|| {
                    format!("shared string {index} is not in the workbook's table")
                })?;
                Some(CellRef::Text(string))
            }
            Some(b"b") => match value.trim() {
                "" => None,
                "0" => Some(CellRef::Other(Value::Bool(false))),
                "1" => Some(CellRef::Other(Value::Bool(true))),
                t if t.eq_ignore_ascii_case("false") => Some(CellRef::Other(Value::Bool(false))),
                t if t.eq_ignore_ascii_case("true") => Some(CellRef::Other(Value::Bool(true))),
                other => return Err(format!("“{other}” is not a boolean")),
            },
            Some(b"e") => Some(match value.trim().parse::<CellErrorType>() {
                Ok(error) => CellRef::Other(Value::Error(error)),
                Err(_) => CellRef::Text(value),
            }),
            Some(b"d") => Some(CellRef::Other(Value::Iso(value.trim().to_string()))),
            Some(b"str") => Some(CellRef::Text(value)),
            _ if value.is_empty() => None,
            _ => Some(match value.parse::<f64>() {
                Ok(n) => self.number(n, attributes.style),
                Err(_) => CellRef::Text(value),
            }),
        };
        Ok((cell, at))
    }

    /// A number as its style's number format has it: a date, a duration, or a number.
    fn number(&self, n: f64, style: Option<&[u8]>) -> CellRef<'static> {
        let format = match style {
            Some(style) => parse_usize(style)
                .and_then(|i| self.formats.get(i).copied())
                .unwrap_or(NumberFormat::Number),
            None => NumberFormat::Number,
        };
        let kind = match format {
            NumberFormat::Number => return CellRef::Number(n),
            NumberFormat::DateTime => ExcelDateTimeType::DateTime,
            NumberFormat::Duration => ExcelDateTimeType::TimeDelta,
        };
        CellRef::Other(Value::Date(ExcelDateTime::new(n, kind, self.is_1904)))
    }
}

fn parse_usize(bytes: &[u8]) -> Option<usize> {
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// A zip entry's name as looked up: lower case, forward slashes, no leading slash.
fn entry_key(name: &str) -> String {
    name.trim_start_matches(['/', '\\'])
        .replace('\\', "/")
        .to_lowercase()
}

/// An XML part inflated a chunk at a time into one buffer, from which what has been read is
/// dropped as more comes.
struct Stream<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Where the unread part of the buffer begins.
    start: usize,
    ended: bool,
    read: u64,
}

impl<R: Read> Stream<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            buffer: Vec::with_capacity(2 * CHUNK),
            start: 0,
            ended: false,
            read: 0,
        }
    }

    /// More of the part after what is unread; `false` at its end.
    fn more(&mut self) -> Result<bool, String> {
        if self.ended {
            return Ok(false);
        }
        self.buffer.drain(..self.start);
        self.start = 0;
        let len = self.buffer.len();
        // As much again as is unread: a long element is scanned for its end a few times,
        // not once a chunk.
        self.buffer.resize(len + CHUNK.max(len), 0);
        let n = loop {
            match self.reader.read(&mut self.buffer[len..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.to_string()),
            }
        };
        self.buffer.truncate(len + n);
        self.read += n as u64;
        self.ended = n == 0;
        Ok(n > 0)
    }
}

impl<R: Read> Stream<std::io::Take<R>> {
    /// Whether the read stopped at its limit, not at the part's end.
    fn hit_limit(&self) -> bool {
        self.reader.limit() == 0
    }
}

/// What [`each_element`] hands over.
enum Element<'x, 't> {
    /// A tag before the container (and the container's start tag).
    Before(&'t Tag<'x>),
    /// An item: its own XML (its start tag at 0, its end tag last) and its start tag.
    Item(&'x [u8], &'t Tag<'x>),
}

/// Each `item` element inside the `container` element of a streamed part, and each tag
/// before the container, to `on`, until it breaks.
fn each_element<R: Read>(
    stream: &mut Stream<R>,
    container: &[u8],
    item: &[u8],
    mut on: impl FnMut(Element<'_, '_>) -> Result<ControlFlow<()>, String>,
) -> Result<(), String> {
    let mut inside = false;
    let mut closing: Vec<u8> = Vec::new();
    let mut finder = memmem::Finder::new(b"</>").into_owned();
    loop {
        let xml = &stream.buffer[..];
        let Some(tag) = next_tag(xml, stream.start) else {
            if xml.len() - stream.start > MAX_ROW_BYTES {
                return Err(format!(
                    "a tag or comment is more than {} MB long",
                    MAX_ROW_BYTES >> 20
                ));
            }
            if !stream.more()? {
                return if inside {
                    Err("its XML ends inside its data".into())
                } else {
                    Ok(())
                };
            }
            continue;
        };
        if !inside {
            stream.start = tag.end;
            if tag.is(container) && !tag.closing {
                if tag.empty {
                    return Ok(());
                }
                inside = true;
            }
            if on(Element::Before(&tag))?.is_break() {
                return Ok(());
            }
            continue;
        }
        if tag.closing && tag.is(container) {
            return Ok(());
        }
        if tag.closing || !tag.is(item) {
            stream.start = tag.end;
            continue;
        }
        let end = if tag.empty {
            tag.end
        } else {
            if closing.len() != tag.name.len() + 3 || &closing[2..closing.len() - 1] != tag.name {
                closing = [b"</", tag.name, b">"].concat();
                finder = memmem::Finder::new(&closing).into_owned();
            }
            match finder.find(&xml[tag.end..]) {
                Some(at) => tag.end + at + closing.len(),
                None => {
                    if xml.len() - stream.start > MAX_ROW_BYTES {
                        return Err(format!(
                            "an element <{}> is more than {} MB long",
                            String::from_utf8_lossy(tag.name),
                            MAX_ROW_BYTES >> 20
                        ));
                    }
                    if !stream.more()? {
                        return Err("its XML ends inside its data".into());
                    }
                    continue;
                }
            }
        };
        // The item's own XML, its start tag at 0.
        let own = &xml[tag.start..end];
        let local_tag = Tag {
            start: 0,
            end: tag.end - tag.start,
            ..tag
        };
        let flow = on(Element::Item(own, &local_tag))?;
        stream.start = end;
        if flow.is_break() {
            return Ok(());
        }
    }
}

/// A relationship of a package part: its id, its kind (the last word of its type) and its
/// target as a part name.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

/// The relationships in a `.rels` part; targets are made part names against `base` (the
/// folder of the part they belong to, ending in `/`).
fn relationships(text: &str, base: &str) -> Vec<Relationship> {
    scan::tags(text.as_bytes())
        .filter(|t| t.is(b"Relationship") && !t.closing)
        .filter(|t| t.attribute(b"TargetMode") != Some(b"External"))
        .filter_map(|t| {
            let target = t.attribute_text(b"Target")?;
            let target = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => resolve(base, &target),
            };
            Some(Relationship {
                id: t.attribute_text(b"Id")?,
                kind: t.attribute_text(b"Type")?.rsplit('/').next()?.to_string(),
                target,
            })
        })
        .collect()
}

/// `target` relative to folder `base`, `..` and `.` resolved.
fn resolve(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// Each cell style's number format (`cellXfs`, in order), as dates, durations or numbers.
fn number_formats(styles: &str) -> Vec<NumberFormat> {
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let mut in_cell_xfs = false;
    for tag in scan::tags(styles.as_bytes()) {
        if tag.is(b"cellXfs") {
            in_cell_xfs = !tag.closing && !tag.empty;
        } else if tag.closing {
            continue;
        } else if tag.is(b"numFmt") {
            if let (Some(id), Some(code)) = (
                tag.attribute_text(b"numFmtId"),
                tag.attribute_text(b"formatCode"),
            ) {
                custom.insert(id, code);
            }
        } else if tag.is(b"xf") && in_cell_xfs {
            formats.push(match tag.attribute_text(b"numFmtId") {
                None => NumberFormat::Number,
                Some(id) => match custom.get(&id) {
                    Some(code) => custom_format(code),
                    None => builtin_format(&id),
                },
            });
        }
    }
    formats
}

/// A built-in number format (ECMA-376 §18.8.30), by id: the dates and times, East Asian
/// ones included, and `[h]:mm:ss`, a duration.
fn builtin_format(id: &str) -> NumberFormat {
    match id.parse::<u32>() {
        Ok(14..=22 | 45 | 47 | 27..=36 | 50..=58) => NumberFormat::DateTime,
        Ok(46) => NumberFormat::Duration,
        _ => NumberFormat::Number,
    }
}

/// Whether a format code's first section shows a date or time (a `d`, `m`, `y`, `h` or `s`
/// outside quotes, escapes and brackets; `AM/PM`), or a duration (`[h]`, `[mm]`, `[ss]`).
/// As calamine decides it (MIT, ported from openpyxl), so a workbook reads the same
/// whichever of the two reads it.
fn custom_format(code: &str) -> NumberFormat {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut previous = ' ';
    let mut hms = false;
    let mut ap = false;
    for c in code.chars() {
        match (c, escaped, quoted, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => {}
            ('"', ..) => quoted = true,
            (';', ..) => return NumberFormat::Number,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return NumberFormat::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return NumberFormat::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return NumberFormat::DateTime;
            }
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&previous)) {
                    hms = previous == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        previous = c;
    }
    NumberFormat::Number
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A workbook as the OpenXML SDK may write one: every element prefixed `x:`, no cell or
    /// row references, a self-closing cell, absolute targets in the relationships, shared
    /// strings with entities, a date by a built-in format, and the 1904 date system.
    fn prefixed_workbook(path: &Path) {
        let parts = [
            (
                "_rels/.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="A &amp; B" sheetId="1" rel:id="R7"/></x:sheets></x:workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="R8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="R9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
            ),
            (
                "xl/strings.xml",
                r#"<?xml version="1.0"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>名称</x:t></x:si><x:si><x:t>lon</x:t></x:si><x:si><x:t>A &lt;&amp;&gt; B</x:t></x:si><x:si/></x:sst>"#,
            ),
            (
                "xl/styles.xml",
                r#"<?xml version="1.0"?><x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:cellStyleXfs><x:xf numFmtId="14"/></x:cellStyleXfs><x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="14" applyNumberFormat="1"/></x:cellXfs></x:styleSheet>"#,
            ),
            (
                "xl/worksheets/data.xml",
                r#"<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row><x:row><x:c t="s"><x:v>2</x:v></x:c><x:c><x:v>106.5</x:v></x:c><x:c s="1"/><x:c s="1"><x:v>0</x:v></x:c></x:row><!-- a note --><x:row/><x:row><x:c t="s"><x:v>3</x:v></x:c><x:c><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>"#,
            ),
        ];
        let mut zip = zip::ZipWriter::new(File::create(path).expect("create"));
        for (name, text) in parts {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(text.as_bytes()).expect("write");
        }
        zip.finish().expect("zip");
    }

    #[test]
    fn a_prefixed_workbook_without_references_is_read() {
        #[derive(Default)]
        struct Cells(Vec<(usize, usize, String)>, Option<usize>);
        impl RowSink for Cells {
            fn cell(&mut self, column: usize, cell: CellRef<'_>) {
                let said = match cell {
                    CellRef::Text(text) => text.to_string(),
                    CellRef::Number(n) => n.to_string(),
                    CellRef::Other(Value::Date(date)) => format!("{date:?}"),
                    CellRef::Other(other) => format!("{other:?}"),
                };
                self.0.push((self.1.unwrap_or(0), column, said));
            }
            fn row_done(&mut self, line: usize) -> ControlFlow<()> {
                for cell in self.0.iter_mut().filter(|c| c.0 == 0) {
                    cell.0 = line;
                }
                ControlFlow::Continue(())
            }
        }
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sdk.xlsx");
        prefixed_workbook(&path);
        let mut book = Book::open(&path).expect("opens").expect("an xlsx");
        assert_eq!(book.sheet_names(), ["A & B"]);
        let mut cells = Cells::default();
        book.rows("A & B", 0, &mut cells).expect("rows");
        let date = format!(
            "{:?}",
            ExcelDateTime::new(0.0, ExcelDateTimeType::DateTime, true)
        );
        let expected: Vec<(usize, usize, String)> = vec![
            (1, 0, "名称".into()),
            (1, 1, "lon".into()),
            (2, 0, "A <&> B".into()),
            (2, 1, "106.5".into()),
            (2, 3, date),
            (4, 0, String::new()),
            (4, 1, "2".into()),
        ];
        assert_eq!(cells.0, expected);
        // Rows after the header only.
        let mut after = Cells::default();
        book.rows("A & B", 2, &mut after).expect("rows");
        assert_eq!(after.0.first().map(|c| c.0), Some(4));
    }

    #[test]
    fn number_formats_say_dates_durations_and_numbers() {
        for code in [
            "yyyy-mm-dd",
            "DD/MM/YY",
            "H:MM:SS;@",
            "m/d/yy h:mm",
            "yyyy\"年\"m\"月\"d\"日\"",
        ] {
            assert_eq!(custom_format(code), NumberFormat::DateTime, "{code}");
        }
        for code in ["[h]:mm:ss", "[mm]:ss", "[SS]"] {
            assert_eq!(custom_format(code), NumberFormat::Duration, "{code}");
        }
        for code in [
            "0.00",
            "#,##0",
            "0.00_);[Red](0.00)",
            "\"days\" 0",
            "[Red]0",
            "@",
        ] {
            assert_eq!(custom_format(code), NumberFormat::Number, "{code}");
        }
        assert_eq!(builtin_format("14"), NumberFormat::DateTime);
        assert_eq!(builtin_format("46"), NumberFormat::Duration);
        assert_eq!(builtin_format("2"), NumberFormat::Number);
    }

    #[test]
    fn targets_are_resolved_against_their_part() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "../customXml/item.xml"),
            "customXml/item.xml"
        );
        assert_eq!(resolve("", "./xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(
            entry_key("/XL\\Worksheets/Sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
    }
}
