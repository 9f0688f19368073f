//! A table of points kept as columns: a CSV's or a sheet's rows with coordinate columns. A
//! million rows as [`Feature`]s are a 216-byte record each plus three allocations; here they
//! are their position (16 bytes) and their cells' text laid end to end, or a number and its
//! count of decimals where a column holds nothing but plain decimals. The features it hands
//! out are the ones the rows would have been, to the byte.

use std::sync::Arc;

use geo::Point;

use super::user::{UserFeature, Values};
use super::{Feature, FeatureKind, Shape, Text};

/// A layer's positions by feature (`NaN` for a feature that is not a point): a table's own,
/// shared with the index built over them rather than copied.
pub type Positions = Arc<Vec<[f64; 2]>>;

/// The points of a table and their cells, column by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PointTable {
    points: Positions,
    columns: Vec<Column>,
    ids: Ids,
    /// The column a feature is named by (else its id).
    name_column: Option<usize>,
}

/// How a row's id is made: its cell in the id column where that is not empty, else
/// `row N` from its line in the file; or as the file gave it.
#[derive(Debug, Clone, PartialEq)]
enum Ids {
    /// No id column: every row's line.
    Lines(Vec<u32>),
    /// The id column, and the rows (with their lines) whose cell there is empty.
    Column {
        column: usize,
        gaps: Vec<(u32, u32)>,
    },
    /// Each row's own, given by its file beside its cells (a GeoPackage's key, a GeoJSON
    /// feature's id).
    Given(TextColumn),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Lines(Vec::new())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Column {
    Text(TextColumn),
    /// Few distinct texts (a category, a district): each cell the number of its text.
    Words(WordColumn),
    /// Plain decimals (`-12.50`, `106.330000`): each is its value written with its count of
    /// decimals; `u8::MAX` decimals is an empty cell.
    Decimals {
        values: Vec<f64>,
        decimals: Vec<u8>,
    },
}

/// What a column of numbers holds ([`PointTable::numbers`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numbers {
    pub integers: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct TextColumn {
    ends: Vec<u32>,
    text: String,
}

impl TextColumn {
    fn get(&self, row: usize) -> Option<&str> {
        let end = *self.ends.get(row)? as usize;
        let start = match row {
            0 => 0,
            _ => self.ends[row - 1] as usize,
        };
        self.text.get(start..end)
    }

    /// Adds a cell; false when the column's text would pass 4 GiB.
    fn push(&mut self, cell: &str) -> bool {
        let Ok(end) = u32::try_from(self.text.len() + cell.len()) else {
            return false;
        };
        self.text.push_str(cell);
        self.ends.push(end);
        true
    }
}

/// A column of more distinct texts than this is kept as text.
const MAX_WORDS: usize = 4096;

/// A column of more distinct plain decimals than this (and nothing else) is kept as numbers.
const MAX_DECIMAL_WORDS: usize = 256;

#[derive(Debug, Clone, PartialEq)]
struct WordColumn {
    words: Vec<String>,
    numbers: std::collections::HashMap<String, u16>,
    cells: Vec<u16>,
    /// Whether every word is a plain decimal (or empty).
    decimal: bool,
}

impl Default for WordColumn {
    fn default() -> Self {
        Self {
            words: Vec::new(),
            numbers: Default::default(),
            cells: Vec::new(),
            decimal: true,
        }
    }
}

impl WordColumn {
    fn get(&self, row: usize) -> Option<&str> {
        let number = *self.cells.get(row)?;
        self.words.get(number as usize).map(String::as_str)
    }

    /// Adds a cell; false when it would be one distinct text too many (fewer for a column of
    /// decimals: numbers keep them in less).
    fn push(&mut self, cell: &str) -> bool {
        let most = if self.decimal {
            MAX_DECIMAL_WORDS
        } else {
            MAX_WORDS
        };
        let number = match self.numbers.get(cell) {
            Some(&number) => number,
            None if self.words.len() < most => {
                self.decimal &= plain_decimal(cell).is_some();
                let number = self.words.len() as u16;
                self.words.push(cell.to_string());
                self.numbers.insert(cell.to_string(), number);
                number
            }
            None => return false,
        };
        self.cells.push(number);
        true
    }
}

const EMPTY: u8 = u8::MAX;

/// A cell's value and decimals if it is a plain decimal that its value written with that many
/// decimals gives back exactly (at most 15 significant digits, no sign but `-`, no leading
/// zero, no exponent); `Some((0.0, EMPTY))` for an empty cell.
fn plain_decimal(cell: &str) -> Option<(f64, u8)> {
    if cell.is_empty() {
        return Some((0.0, EMPTY));
    }
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() => (whole, fraction),
        Some(_) => return None,
        None => (digits, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || (whole.len() > 1 && whole.starts_with('0'))
        || whole.len() + fraction.len() > 15
    {
        return None;
    }
    let value: f64 = cell.parse().ok()?;
    Some((value, fraction.len() as u8))
}

impl Column {
    fn get(&self, row: usize) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match self {
            Column::Text(text) => text.get(row).map(Cow::Borrowed),
            Column::Words(words) => words.get(row).map(Cow::Borrowed),
            Column::Decimals { values, decimals } => {
                let decimals = *decimals.get(row)?;
                Some(match decimals {
                    EMPTY => Cow::Borrowed(""),
                    _ => Cow::Owned(format!("{:.*}", decimals as usize, values[row])),
                })
            }
        }
    }

    fn rows(&self) -> usize {
        match self {
            Column::Text(text) => text.ends.len(),
            Column::Words(words) => words.cells.len(),
            Column::Decimals { decimals, .. } => decimals.len(),
        }
    }

    /// The rows room is made for.
    fn planned(&self) -> usize {
        match self {
            Column::Text(text) => text.ends.capacity(),
            Column::Words(words) => words.cells.capacity(),
            Column::Decimals { decimals, .. } => decimals.capacity(),
        }
    }

    /// Adds a cell; false when the column cannot hold it. A column starts as words (an empty,
    /// a category's or a district's column stays so, two bytes a cell); one of words meeting
    /// one distinct text too many becomes one of plain decimals if all its texts are, else
    /// text; one of decimals meeting another cell becomes text — its cells so far written
    /// again each time.
    fn push(&mut self, cell: &str) -> bool {
        let pushed = match self {
            Column::Decimals { values, decimals } => match plain_decimal(cell) {
                Some((value, places)) => {
                    values.push(value);
                    decimals.push(places);
                    true
                }
                None => false,
            },
            Column::Words(words) => {
                // Words of decimals meeting a text: words still, up to their own count.
                if words.decimal && plain_decimal(cell).is_none() {
                    words.decimal = false;
                }
                words.push(cell)
            }
            Column::Text(text) => return text.push(cell),
        };
        if pushed {
            return true;
        }
        let planned = self.planned();
        let mut next = match self {
            Column::Words(words) if words.decimal && plain_decimal(cell).is_some() => {
                Column::Decimals {
                    values: Vec::with_capacity(planned),
                    decimals: Vec::with_capacity(planned),
                }
            }
            _ => {
                // Room for the text to come, by the cells' length so far.
                let rows = self.rows().max(1);
                let length: usize = (0..rows)
                    .filter_map(|row| self.get(row))
                    .map(|c| c.len())
                    .sum();
                let mut text = TextColumn::default();
                text.ends.reserve_exact(planned);
                text.text
                    .reserve_exact(length.div_ceil(rows).saturating_mul(planned));
                Column::Text(text)
            }
        };
        for row in 0..self.rows() {
            let written = self.get(row).unwrap_or_default();
            if !next.push(&written) {
                return false;
            }
        }
        *self = next;
        self.push(cell)
    }
}

impl PointTable {
    /// An empty table of `width` columns; `id_column` holds the rows' ids, if any.
    pub fn new(width: usize, id_column: Option<usize>) -> Self {
        Self {
            points: Positions::default(),
            columns: (0..width)
                .map(|_| Column::Words(WordColumn::default()))
                .collect(),
            ids: match id_column {
                Some(column) if column < width => Ids::Column {
                    column,
                    gaps: Vec::new(),
                },
                _ => Ids::Lines(Vec::new()),
            },
            name_column: None,
        }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Room for `rows` more rows (a text column's by the length of its cells so far: a
    /// doubling string would hold up to twice its text).
    pub fn reserve(&mut self, rows: usize) {
        let had = self.points.len().max(1);
        Arc::make_mut(&mut self.points).reserve_exact(rows);
        for column in &mut self.columns {
            match column {
                Column::Words(words) => words.cells.reserve_exact(rows),
                Column::Text(text) => {
                    text.ends.reserve_exact(rows);
                    let per_row = text.text.len().div_ceil(had);
                    text.text.reserve_exact(per_row.saturating_mul(rows));
                }
                Column::Decimals { values, decimals } => {
                    values.reserve_exact(rows);
                    decimals.reserve_exact(rows);
                }
            }
        }
    }

    /// Adds the row read at `line`: its point and its cells (as many as the table's columns;
    /// missing ones empty). False, and the table unchanged in length, when a column cannot
    /// hold a cell (its text past 4 GiB): the caller keeps the rows as features instead.
    pub fn push(&mut self, line: usize, point: Point, cells: &[&str]) -> bool {
        let row = self.points.len();
        let Ok(line) = u32::try_from(line) else {
            return false;
        };
        for (index, column) in self.columns.iter_mut().enumerate() {
            if !column.push(cells.get(index).copied().unwrap_or_default()) {
                return false;
            }
        }
        match &mut self.ids {
            Ids::Given(_) => {}
            Ids::Lines(lines) => lines.push(line),
            Ids::Column { column, gaps } => {
                if cells.get(*column).is_none_or(|id| id.is_empty()) {
                    gaps.push((row as u32, line));
                }
            }
        }
        Arc::make_mut(&mut self.points).push([point.x(), point.y()]);
        true
    }

    /// An empty table of `width` columns whose rows come with their ids
    /// ([`push_identified`](Self::push_identified)).
    pub fn identified(width: usize) -> Self {
        Self {
            ids: Ids::Given(TextColumn::default()),
            ..Self::new(width, None)
        }
    }

    /// Adds a row with its own id (a table made by [`identified`](Self::identified)); false,
    /// and the table unchanged in length, when it cannot hold it.
    pub fn push_identified(&mut self, id: &str, point: Point, cells: &[&str]) -> bool {
        let Ids::Given(ids) = &mut self.ids else {
            return false;
        };
        if !ids.push(id) {
            return false;
        }
        if self.push(0, point, cells) {
            return true;
        }
        if let Ids::Given(ids) = &mut self.ids {
            ids.ends.pop();
            ids.text
                .truncate(ids.ends.last().map_or(0, |&end| end as usize));
        }
        false
    }

    /// Names the features by `column` (else by their ids).
    pub fn set_name_column(&mut self, column: Option<usize>) {
        self.name_column = column;
    }

    /// Moves every point through `convert` (from the file's datum to WGS-84).
    pub fn convert(&mut self, convert: impl Fn(f64, f64) -> (f64, f64)) {
        for point in Arc::make_mut(&mut self.points) {
            let (x, y) = convert(point[0], point[1]);
            *point = [x, y];
        }
    }

    /// The positions, shared.
    pub fn positions(&self) -> Positions {
        Arc::clone(&self.points)
    }

    pub fn point(&self, row: usize) -> Option<Point> {
        self.points.get(row).map(|&[x, y]| Point::new(x, y))
    }

    /// Row `row`'s cell in `column`.
    pub fn value(&self, row: usize, column: usize) -> Option<std::borrow::Cow<'_, str>> {
        self.columns.get(column)?.get(row)
    }

    /// Whether column `column` holds numbers only (its cells plain decimals, or empty), and
    /// whether those are all integers; `None` when only its cells can say.
    pub fn numbers(&self, column: usize) -> Option<Numbers> {
        match self.columns.get(column)? {
            Column::Decimals { values, decimals } => Some(Numbers {
                integers: values
                    .iter()
                    .zip(decimals)
                    .all(|(v, d)| *d == u8::MAX || (*d == 0 && v.abs() < 9.0e18)),
            }),
            _ => None,
        }
    }

    /// Row `row`'s cells, packed as a feature holds them.
    pub fn values(&self, row: usize) -> Option<Values> {
        if row >= self.len() {
            return None;
        }
        let cells: Vec<std::borrow::Cow<'_, str>> = (0..self.columns.len())
            .map(|column| self.value(row, column).unwrap_or_default())
            .collect();
        Some(cells.iter().map(AsRef::as_ref).collect())
    }

    /// Row `row`'s id: its id cell, else `row N` from its line.
    pub fn id(&self, row: usize) -> Option<std::borrow::Cow<'_, str>> {
        if row >= self.len() {
            return None;
        }
        let line = match &self.ids {
            Ids::Given(ids) => return ids.get(row).map(std::borrow::Cow::Borrowed),
            Ids::Lines(lines) => lines.get(row).copied(),
            Ids::Column { column, gaps } => match gaps.binary_search_by_key(&(row as u32), |g| g.0)
            {
                Ok(at) => Some(gaps[at].1),
                Err(_) => return self.value(row, *column),
            },
        };
        Some(format!("row {}", line.unwrap_or_default()).into())
    }

    /// Row `row`'s name: its cell in the name column, else its id.
    pub fn name(&self, row: usize) -> Option<std::borrow::Cow<'_, str>> {
        let named = self
            .name_column
            .and_then(|column| self.value(row, column))
            .filter(|name| !name.trim().is_empty());
        named.or_else(|| self.id(row))
    }

    /// Row `row` as the feature it stands for: its id, its name (its name column's cell, else
    /// its id), its point (its label's place too) and its values.
    pub fn feature(&self, row: usize) -> Option<Feature> {
        let point = self.point(row)?;
        let values = self.values(row)?;
        let id = self.id(row)?.into_owned();
        let name = self.name(row)?.into_owned();
        Some(Feature {
            id,
            name: Text::new(name, String::new()),
            label: Text::default(),
            label_point: Some(point),
            rank: 4,
            kind: FeatureKind::User(UserFeature { values }),
            shape: Shape::Point(point),
        })
    }

    /// Every row as the feature it stands for, in order (the table turned into rows).
    pub fn rows(&self) -> Vec<Feature> {
        (0..self.len())
            .filter_map(|row| self.feature(row))
            .collect()
    }

    /// The box around the points.
    pub fn bounds(&self) -> Option<geo::Rect> {
        let mut points = self.points.iter();
        let &[x, y] = points.next()?;
        let (mut min, mut max) = ([x, y], [x, y]);
        for &[x, y] in points {
            min = [min[0].min(x), min[1].min(y)];
            max = [max[0].max(x), max[1].max(y)];
        }
        Some(geo::Rect::new(
            geo::coord! { x: min[0], y: min[1] },
            geo::coord! { x: max[0], y: max[1] },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_are_numbers_and_anything_else_is_text() {
        for cell in [
            "0",
            "12",
            "-3",
            "106.330000",
            "29.6",
            "-0.5",
            "123456789012345",
        ] {
            let (value, places) = plain_decimal(cell).expect(cell);
            assert_eq!(format!("{:.*}", places as usize, value), cell);
        }
        for cell in [
            "007",
            "1e5",
            "+1",
            "1.",
            ".5",
            "1,000",
            "abc",
            "1 ",
            "1234567890123456",
            "NaN",
            "inf",
            "--1",
        ] {
            assert!(plain_decimal(cell).is_none(), "{cell}");
        }
        assert_eq!(plain_decimal(""), Some((0.0, EMPTY)));
    }

    #[test]
    fn a_table_gives_back_each_cell_as_it_was_read() {
        let mut table = PointTable::new(4, Some(0));
        let rows: [(&[&str], usize); 4] = [
            (&["E1", "甲公司", "106.330000", "12"], 2),
            (&["", "乙公司", "106.5", "007"], 3),
            (&["E3", "", "-0.25", ""], 4),
            (&["E4", "丁", "1e3"], 6),
        ];
        for (n, (cells, line)) in rows.iter().enumerate() {
            assert!(table.push(*line, Point::new(106.0 + n as f64, 29.0), cells));
        }
        table.set_name_column(Some(1));
        for (n, (cells, line)) in rows.iter().enumerate() {
            let feature = table.feature(n).expect("a row");
            let values = feature.user().expect("a user's feature").values.clone();
            let mut expected: Vec<&str> = cells.to_vec();
            expected.resize(4, "");
            assert_eq!(values, Values::new(&expected), "row {n}");
            let id = match cells[0] {
                "" => format!("row {line}"),
                id => id.to_string(),
            };
            assert_eq!(feature.id, id);
            let name = match cells[1] {
                "" => id.clone(),
                name => name.to_string(),
            };
            assert_eq!(feature.name, Text::new(name, String::new()));
            assert_eq!(
                feature.shape,
                Shape::Point(Point::new(106.0 + n as f64, 29.0))
            );
            assert_eq!(
                feature.label_point,
                Some(Point::new(106.0 + n as f64, 29.0))
            );
        }
        assert!(table.feature(4).is_none());
    }

    #[test]
    fn a_column_is_words_then_numbers_or_text_and_its_cells_stay_as_read() {
        let mut table = PointTable::new(2, None);
        // Column 0: a few words, then many distinct decimals (with an empty and trailing
        // zeros), then a text. Column 1: a few words throughout.
        let mut cells: Vec<String> = vec!["1.50".into(), "2".into(), "".into(), "2".into()];
        cells.extend((0..MAX_WORDS + 10).map(|n| format!("{}.{:03}", n / 7, n % 1000)));
        cells.push("东经".into());
        for (row, cell) in cells.iter().enumerate() {
            let kind = format!("类{}", row % 3);
            assert!(table.push(row + 2, Point::new(0.0, 0.0), &[cell, &kind]));
            if row == 3 {
                assert!(matches!(table.columns[0], Column::Words(_)));
            }
            if row == cells.len() - 2 {
                assert!(matches!(table.columns[0], Column::Decimals { .. }));
                // Numbers, not all integers, said without reading a cell.
                assert_eq!(table.numbers(0), Some(Numbers { integers: false }));
            }
        }
        assert!(matches!(table.columns[0], Column::Text(_)));
        assert!(matches!(table.columns[1], Column::Words(_)));
        assert_eq!(table.numbers(0), None);
        assert_eq!(table.numbers(1), None);
        // A column of distinct integers (and an empty cell): integers.
        let mut ids = PointTable::new(1, None);
        for n in 0..MAX_DECIMAL_WORDS * 2 {
            let cell = if n == 9 {
                String::new()
            } else {
                format!("{}", n * 3)
            };
            assert!(ids.push(n + 2, Point::new(0.0, 0.0), &[&cell]));
        }
        assert_eq!(ids.numbers(0), Some(Numbers { integers: true }));
        for (row, cell) in cells.iter().enumerate() {
            assert_eq!(
                table.value(row, 0).as_deref(),
                Some(cell.as_str()),
                "row {row}"
            );
            assert_eq!(
                table.value(row, 1).as_deref(),
                Some(format!("类{}", row % 3).as_str())
            );
        }
        // Many distinct texts: words, then text.
        let mut names = PointTable::new(1, None);
        for n in 0..MAX_WORDS + 10 {
            assert!(names.push(n + 2, Point::new(0.0, 0.0), &[&format!("名{n}")]));
        }
        assert!(matches!(names.columns[0], Column::Text(_)));
        assert_eq!(
            names.value(MAX_WORDS + 5, 0).as_deref(),
            Some(format!("名{}", MAX_WORDS + 5).as_str())
        );
    }

    #[test]
    fn rows_without_an_id_column_are_named_by_their_lines() {
        let mut table = PointTable::new(1, None);
        assert!(table.push(7, Point::new(1.0, 2.0), &["x"]));
        assert_eq!(table.feature(0).expect("a row").id, "row 7");
        assert_eq!(table.feature(0).expect("a row").name.zh, "row 7");
    }
}
