//! A layer's features, behind one interface whatever their storage: rows of [`Feature`]s (the
//! atlas's own layers, areas and lines, drawn and edited layers), or — for a file's layer of
//! points (a CSV's, a sheet's, a GeoPackage's or GeoJSON's points) — the columns of a
//! [`PointTable`], where a row costs about a quarter of what a `Feature` and its allocations do.
//!
//! A feature is handed out as a [`Cow`]: borrowed from rows, made on the spot from columns, so
//! that a reader of `feature.name` or `feature.shape` need not know which. What is read over a
//! whole layer at every change (positions, shapes, bounds, a column's cells, names, ids) has
//! its own accessors that make no feature.

use std::borrow::Cow;

use geo::Rect;

use super::table::PointTable;
use super::user::Values;
use super::{Feature, Shape};

/// One layer's features, in order; a feature's place is its [`FeatureRef::index`](super::FeatureRef).
#[derive(Debug, Clone)]
pub struct Features {
    store: Store,
    /// The state of the features: taken anew by every change (every way to change them goes
    /// through [`rows_mut`](Self::rows_mut)), kept by a copy and by a move (a layer read on
    /// another thread keeps it into the atlas). What is made of them (an index, triangulated
    /// geometry) is kept while it stays.
    revision: super::Revision,
}

#[derive(Debug, Clone)]
enum Store {
    Rows(Vec<Feature>),
    Points(PointTable),
}

impl Default for Features {
    fn default() -> Self {
        Self {
            store: Store::Rows(Vec::new()),
            revision: super::Revision::next(),
        }
    }
}

/// Equal when they hand out the same features, whatever their storage.
impl PartialEq for Features {
    fn eq(&self, other: &Self) -> bool {
        match (&self.store, &other.store) {
            (Store::Rows(a), Store::Rows(b)) => a == b,
            (Store::Points(a), Store::Points(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Features {
    /// Their state: the same number while they are unchanged, a new one (never seen before)
    /// after any change.
    pub fn revision(&self) -> u64 {
        self.revision.0
    }

    pub fn len(&self) -> usize {
        match &self.store {
            Store::Rows(rows) => rows.len(),
            Store::Points(table) => table.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether they are kept as columns (a big table of points).
    pub fn is_columns(&self) -> bool {
        matches!(self.store, Store::Points(_))
    }

    /// Feature `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Cow<'_, Feature>> {
        match &self.store {
            Store::Rows(rows) => rows.get(index).map(Cow::Borrowed),
            Store::Points(table) => table.feature(index).map(Cow::Owned),
        }
    }

    pub fn first(&self) -> Option<Cow<'_, Feature>> {
        self.get(0)
    }

    /// The features in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            features: self,
            range: 0..self.len(),
        }
    }

    /// Feature `index`'s shape, without the rest of it.
    pub fn shape(&self, index: usize) -> Option<Cow<'_, Shape>> {
        match &self.store {
            Store::Rows(rows) => rows.get(index).map(|feature| Cow::Borrowed(&feature.shape)),
            Store::Points(table) => table.point(index).map(|p| Cow::Owned(Shape::Point(p))),
        }
    }

    /// The shapes in order, without the rest of the features.
    pub fn shapes(&self) -> impl Iterator<Item = Cow<'_, Shape>> + '_ {
        (0..self.len()).filter_map(|index| self.shape(index))
    }

    /// Feature `index`'s point, if it is a point.
    pub fn point(&self, index: usize) -> Option<geo::Point> {
        match &self.store {
            Store::Rows(rows) => match rows.get(index)?.shape {
                Shape::Point(point) => Some(point),
                _ => None,
            },
            Store::Points(table) => table.point(index),
        }
    }

    /// Each feature's position (`NaN` where it is not a point): a table's own, shared.
    pub fn positions(&self) -> super::table::Positions {
        match &self.store {
            Store::Points(table) => table.positions(),
            Store::Rows(rows) => std::sync::Arc::new(
                (rows.iter())
                    .map(|feature| match feature.shape {
                        Shape::Point(point) => [point.x(), point.y()],
                        _ => [f64::NAN; 2],
                    })
                    .collect(),
            ),
        }
    }

    /// The text of feature `index`'s value in column `column` of its layer's fields.
    pub fn value(&self, index: usize, column: usize) -> Option<Cow<'_, str>> {
        match &self.store {
            Store::Rows(rows) => {
                let user = rows.get(index)?.user()?;
                user.values.get(column).map(Cow::Borrowed)
            }
            Store::Points(table) => table.value(index, column),
        }
    }

    /// Feature `index`'s id.
    /// Whether column `column` is known to hold numbers only, without reading its cells (a
    /// table's column of decimals), and whether they are integers.
    pub fn numbers(&self, column: usize) -> Option<super::table::Numbers> {
        match &self.store {
            Store::Rows(_) => None,
            Store::Points(table) => table.numbers(column),
        }
    }

    pub fn id(&self, index: usize) -> Option<Cow<'_, str>> {
        match &self.store {
            Store::Rows(rows) => rows.get(index).map(|feature| Cow::Borrowed(&*feature.id)),
            Store::Points(table) => table.id(index),
        }
    }

    /// Feature `index`'s name (in Chinese: a user's feature has one name).
    pub fn name(&self, index: usize) -> Option<Cow<'_, str>> {
        match &self.store {
            Store::Rows(rows) => rows
                .get(index)
                .map(|feature| Cow::Borrowed(&*feature.name.zh)),
            Store::Points(table) => table.name(index),
        }
    }

    /// Feature `index`'s values (a user's feature's; none for the atlas's own).
    pub fn values(&self, index: usize) -> Option<Cow<'_, Values>> {
        match &self.store {
            Store::Rows(rows) => {
                let user = rows.get(index)?.user()?;
                Some(Cow::Borrowed(&user.values))
            }
            Store::Points(table) => table.values(index).map(Cow::Owned),
        }
    }

    /// The box around the features' shapes, if any has one.
    pub fn bounds(&self) -> Option<Rect> {
        match &self.store {
            Store::Rows(rows) => super::bounds_of(rows.iter()),
            Store::Points(table) => table.bounds(),
        }
    }

    /// Feature `index` as stored, when it is stored as a row: an area or a line always is
    /// (columns hold points only).
    pub fn row(&self, index: usize) -> Option<&Feature> {
        match &self.store {
            Store::Rows(rows) => rows.get(index),
            Store::Points(_) => None,
        }
    }

    /// The features as a slice of rows, when they are stored as rows: for the atlas's own
    /// layers, which always are (never for a user's layer, which may be columns).
    pub fn as_rows(&self) -> Option<&[Feature]> {
        match &self.store {
            Store::Rows(rows) => Some(rows),
            Store::Points(_) => None,
        }
    }

    /// The features as rows, to change them in place: a table of points becomes rows (an
    /// edit of a big table costs its rows' memory from then on).
    pub fn rows_mut(&mut self) -> &mut Vec<Feature> {
        self.revision = super::Revision::next();
        if let Store::Points(table) = &self.store {
            self.store = Store::Rows(table.rows());
        }
        match &mut self.store {
            Store::Rows(rows) => rows,
            Store::Points(_) => unreachable!("made rows above"),
        }
    }

    pub fn get_mut(&mut self, index: usize) -> Option<&mut Feature> {
        self.rows_mut().get_mut(index)
    }

    pub fn push(&mut self, feature: Feature) {
        self.rows_mut().push(feature);
    }

    pub fn remove(&mut self, index: usize) -> Feature {
        self.rows_mut().remove(index)
    }

    /// The features as rows, taken out.
    pub fn into_vec(mut self) -> Vec<Feature> {
        std::mem::take(self.rows_mut())
    }
}

impl From<Vec<Feature>> for Features {
    fn from(rows: Vec<Feature>) -> Self {
        Self {
            store: Store::Rows(rows),
            revision: super::Revision::next(),
        }
    }
}

impl From<PointTable> for Features {
    fn from(table: PointTable) -> Self {
        Self {
            store: Store::Points(table),
            revision: super::Revision::next(),
        }
    }
}

impl FromIterator<Feature> for Features {
    fn from_iter<I: IntoIterator<Item = Feature>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Features {
    type Item = Cow<'a, Feature>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The features of a layer in order (see [`Features::iter`]).
#[derive(Clone)]
pub struct Iter<'a> {
    features: &'a Features,
    range: std::ops::Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Cow<'a, Feature>;

    fn next(&mut self) -> Option<Self::Item> {
        let index = self.range.next()?;
        self.features.get(index)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<Self::Item> {
        let index = self.range.nth(n)?;
        self.features.get(index)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let index = self.range.next_back()?;
        self.features.get(index)
    }
}
