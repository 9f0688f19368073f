//! Big point layers drawn fast: a layer of many points (a user's CSV of a million enterprises)
//! is not handed to the scene feature by feature. Its points are kept in a packed k-d tree
//! of their own ([`PackedPoints`]), and aggregated once, when the index is built, on a pyramid
//! of grids in Web Mercator — one per zoom, each cell a few points wide at its zoom, each
//! level made from the one below — so that a view far out draws a few thousand counted clusters, and a view close in draws
//! the points it holds.

use crate::coordinates::mercator::mercator;
use std::sync::Arc;

use rstar::AABB;

use super::packed::{PackedIndices, PackedPoints, Positions};

use crate::model::{Atlas, LayerId};

/// Layers with more points than this are aggregated; smaller ones are drawn point by point.
pub const AGGREGATE_ABOVE: usize = 20_000;

/// A cell is this many points wide at its zoom: a full view holds a few thousand clusters at
/// most, each room for its counted circle.
const CELL_POINTS: f64 = 28.0;

/// The deepest zoom with a grid (cells of about 55 m): closer in, a view holds few enough
/// points to draw them.
const MAX_GRID_ZOOM: u8 = 14;

/// A level stops the pyramid when it holds more than this share of the points (cells are
/// then mostly single points: drawing the points themselves costs the same).
const USEFUL_SHARE: f64 = 0.5;

/// Points of one layer, counted in one cell: where (the mean position, lon/lat), how many,
/// one of them (the one a click on the cluster names) and their category when they share one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cluster {
    pub at: [f64; 2],
    pub count: u32,
    pub first: u32,
    /// The category all its points share (`u16::MAX`: mixed).
    pub category: u16,
}

impl super::packed::Located for Cluster {
    fn at(&self) -> [f64; 2] {
        self.at
    }
}

/// A mixed cluster's category.
pub const MIXED: u16 = u16::MAX;

/// One grid of the pyramid.
struct Level {
    zoom: u8,
    /// Its clusters, in the tree's order.
    clusters: PackedPoints<Cluster>,
}

/// A big point layer: its points, and its pyramid of grids from the deepest useful zoom up.
pub struct PointPyramid {
    pub layer: LayerId,
    /// The layer's points, read from its own positions.
    points: PackedIndices,
    levels: Vec<Level>,
    /// What it was built from (the points and their categories): a pyramid whose layer still
    /// has this signature is kept when the index is made again.
    signature: u64,
}

/// What a view of a big point layer draws: clusters of a grid, or the points themselves.
pub enum InView<'a> {
    Clusters(Vec<&'a Cluster>),
    Points(Vec<u32>),
}

/// The cell size at `zoom`, in normalised Mercator units.
fn cell_size(zoom: u8) -> f64 {
    CELL_POINTS / (256.0 * f64::from(1u32 << zoom))
}

impl PointPyramid {
    /// The pyramids of the atlas's big point layers (user layers of points only); one of
    /// `kept` whose layer has not changed is shared, not built again (a million points take a
    /// second to aggregate, and the index is made again whenever any layer changes). With
    /// `defer`, a big layer without a kept pyramid is left out (its pyramid is built off the
    /// UI thread, see [`PyramidJob`]), and named in the second list.
    pub fn build_all(
        atlas: &Atlas,
        kept: &[Arc<PointPyramid>],
        defer: bool,
    ) -> (Vec<Arc<PointPyramid>>, Vec<LayerId>) {
        let mut built = Vec::new();
        let mut deferred = Vec::new();
        for (id, user) in atlas.user_layers() {
            // As many points as a pyramid is built for (a big layer of areas is not one: left
            // out as "deferred", its areas answered no click or hover in the window).
            if !atlas
                .layer(id)
                .is_some_and(|layer| is_aggregated(&layer.features))
            {
                continue;
            }
            let Some(signature) = signature(atlas, id, user) else {
                continue;
            };
            match kept
                .iter()
                .find(|p| p.layer == id && p.signature == signature)
            {
                Some(pyramid) => built.push(Arc::clone(pyramid)),
                None if defer => deferred.push(id),
                None => built.extend(
                    PyramidJob::new(atlas, id, user, signature)
                        .and_then(PyramidJob::build)
                        .map(Arc::new),
                ),
            }
        }
        (built, deferred)
    }

    /// The job of building `layer`'s pyramid on another thread (its points copied out).
    pub fn job(atlas: &Atlas, layer: LayerId) -> Option<PyramidJob> {
        let user = atlas.user_layer(layer)?;
        PyramidJob::new(atlas, layer, user, signature(atlas, layer, user)?)
    }

    /// The points of the layer within `envelope` (lon/lat): their positions and indices.
    pub fn points_in(&self, envelope: &AABB<[f64; 2]>) -> impl Iterator<Item = ([f64; 2], u32)> {
        (self.points)
            .within(envelope.lower(), envelope.upper())
            .map(|index| (self.points.at(index), index))
    }
}

/// Whether a user's layer of these features is aggregated: more points than
/// [`AGGREGATE_ABOVE`].
pub fn is_aggregated(features: &crate::model::Features) -> bool {
    (0..features.len())
        .filter(|&index| features.point(index).is_some())
        .count()
        > AGGREGATE_ABOVE
}

/// What building a big layer's pyramid needs, taken from the atlas (its positions shared, not
/// copied), so that it can be built on another thread while the window goes on.
pub struct PyramidJob {
    layer: LayerId,
    signature: u64,
    positions: Positions,
    /// Each feature's category.
    categories: Vec<u16>,
}

impl PyramidJob {
    fn new(
        atlas: &Atlas,
        layer: LayerId,
        user: &crate::model::user::UserLayer,
        signature: u64,
    ) -> Option<Self> {
        let features = &atlas.layer(layer)?.features;
        let categories = (0..features.len())
            .map(|index| user.category_of(index).unwrap_or(MIXED))
            .collect();
        Some(Self {
            layer,
            signature,
            positions: features.positions(),
            categories,
        })
    }

    /// The layer it is for.
    pub fn layer(&self) -> LayerId {
        self.layer
    }

    /// Builds the pyramid: the points' tree and the grids; `None` for too few points to
    /// aggregate. The points are ordered once by their deepest cell along a Z-order curve, in
    /// which every cell of every zoom is one run: a grid is counted, and made, in one pass,
    /// and none is made that is not kept.
    pub fn build(self) -> Option<PointPyramid> {
        let Self {
            layer,
            signature,
            positions,
            categories,
        } = self;
        let points: Vec<u32> = (0..positions.len() as u32)
            .filter(|&index| !positions[index as usize][0].is_nan())
            .collect();
        if points.len() <= AGGREGATE_ABOVE {
            return None;
        }
        let total = points.len() as f64;
        let size = cell_size(MAX_GRID_ZOOM);
        let mut keyed: Vec<(u64, u32)> = points
            .iter()
            .map(|&index| (cell_key(positions[index as usize], size), index))
            .collect();
        // The points' tree on a second core while the grids are made on this one.
        std::thread::scope(|scope| {
            let tree = scope.spawn(|| PackedIndices::new(points, Arc::clone(&positions)));
            keyed.sort_unstable();
            let levels = grids(keyed, &positions, &categories, total);
            Some(PointPyramid {
                layer,
                points: tree
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                levels,
                signature,
            })
        })
    }
}

/// A point's deepest cell (at [`MAX_GRID_ZOOM`], `size` wide) as a Z-order key: its column
/// and row, offset to be positive, with their bits interleaved. The cell above is the key
/// shifted right by two (both halved, rounding down, as the cells nest).
fn cell_key(at: [f64; 2], size: f64) -> u64 {
    const OFFSET: i64 = 1 << 20;
    let [mx, my] = mercator(at[0], at[1]);
    let part = |v: f64| ((v / size).floor() as i64).clamp(-OFFSET, OFFSET - 1) + OFFSET;
    spread(part(mx) as u64) | (spread(part(my) as u64) << 1)
}

/// The bits of `v` (its low 32) moved to the even places of a u64.
fn spread(mut v: u64) -> u64 {
    v &= 0xffff_ffff;
    v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
    v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
    v = (v | (v << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    v = (v | (v << 2)) & 0x3333_3333_3333_3333;
    v = (v | (v << 1)) & 0x5555_5555_5555_5555;
    v
}

/// The pyramid's grids, coarsest first: from the deepest one that holds at most
/// [`USEFUL_SHARE`] of the `total` points (counted as runs of `keyed`, the points in Z-order)
/// up to zoom 0, each made from the one below.
fn grids(
    keyed: Vec<(u64, u32)>,
    positions: &[[f64; 2]],
    categories: &[u16],
    total: f64,
) -> Vec<Level> {
    let runs = |shift: u32| {
        let mut runs = 0usize;
        let mut last = None;
        for &(key, _) in &keyed {
            let cell = key >> shift;
            if last != Some(cell) {
                runs += 1;
                last = Some(cell);
            }
        }
        runs
    };
    let shift_of = |zoom: u8| 2 * u32::from(MAX_GRID_ZOOM - zoom);
    let Some(deepest) = (0..=MAX_GRID_ZOOM)
        .rev()
        .find(|&zoom| runs(shift_of(zoom)) as f64 <= total * USEFUL_SHARE)
    else {
        return Vec::new();
    };
    let cells = runs(shift_of(deepest));
    let category = |index: u32| categories.get(index as usize).copied().unwrap_or(MIXED);
    let points = keyed.iter().map(|&(key, index)| {
        let cluster = Cluster {
            at: positions[index as usize],
            count: 1,
            first: index,
            category: category(index),
        };
        (key, cluster)
    });
    let (mut clusters, mut keys) = merge(points, shift_of(deepest), cells);
    drop(keyed);
    let mut levels = Vec::new();
    let mut zoom = deepest;
    loop {
        let above = (zoom > 0).then(|| {
            let cells = keys
                .windows(2)
                .filter(|pair| pair[0] >> 2 != pair[1] >> 2)
                .count()
                + 1;
            merge(keys.iter().copied().zip(clusters.iter().copied()), 2, cells)
        });
        levels.push(Level {
            zoom,
            clusters: PackedPoints::new(std::mem::take(&mut clusters)),
        });
        let Some((up, up_keys)) = above else {
            break;
        };
        (clusters, keys) = (up, up_keys);
        zoom -= 1;
    }
    levels.reverse();
    levels
}

/// Clusters in Z-order, merged by their keys shifted right by `shift` (their cells that
/// many halvings up): each run one cluster at its members' mean, weighted by their counts.
/// The merged clusters (`cells` of them, counted before: room is made for exactly these) and
/// their keys, in Z-order.
fn merge(
    below: impl Iterator<Item = (u64, Cluster)>,
    shift: u32,
    cells: usize,
) -> (Vec<Cluster>, Vec<u64>) {
    let mut merged: Vec<Cluster> = Vec::with_capacity(cells);
    let mut keys: Vec<u64> = Vec::with_capacity(cells);
    for (key, cluster) in below {
        let key = key >> shift;
        let n = f64::from(cluster.count);
        match merged.last_mut() {
            Some(into) if keys.last() == Some(&key) => {
                into.at[0] += cluster.at[0] * n;
                into.at[1] += cluster.at[1] * n;
                into.count += cluster.count;
                into.first = into.first.min(cluster.first);
                if into.category != cluster.category {
                    into.category = MIXED;
                }
            }
            _ => {
                merged.push(Cluster {
                    at: [cluster.at[0] * n, cluster.at[1] * n],
                    ..cluster
                });
                keys.push(key);
            }
        }
    }
    for cluster in &mut merged {
        let n = f64::from(cluster.count);
        cluster.at = [cluster.at[0] / n, cluster.at[1] / n];
    }
    (merged, keys)
}

impl PointPyramid {
    /// What `bounds` (lon/lat) shows at `zoom`: the clusters of the grid for that zoom, or the
    /// points when the view is closer in than the deepest grid.
    pub fn in_view(&self, bounds: geo::Rect, zoom: f64) -> InView<'_> {
        let envelope = AABB::from_corners(
            [bounds.min().x, bounds.min().y],
            [bounds.max().x, bounds.max().y],
        );
        let wanted = zoom.floor().clamp(0.0, f64::from(MAX_GRID_ZOOM)) as u8;
        match self.levels.iter().find(|level| level.zoom == wanted) {
            Some(level) => InView::Clusters(
                (level.clusters)
                    .within(envelope.lower(), envelope.upper())
                    .collect(),
            ),
            None => {
                let mut points: Vec<u32> = self
                    .points
                    .within(envelope.lower(), envelope.upper())
                    .collect();
                points.sort_unstable();
                InView::Points(points)
            }
        }
    }
}

/// What a big layer's pyramid is built from, hashed: its file, its points and each point's
/// category.
fn signature(atlas: &Atlas, layer: LayerId, user: &crate::model::user::UserLayer) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let features = &atlas.layer(layer)?.features;
    // Fx, not SipHash: a million points are hashed at every change of the atlas, on the
    // window's thread, and nothing here is an attacker's key.
    let mut hasher = rustc_hash::FxHasher::default();
    user.path.hash(&mut hasher);
    features.len().hash(&mut hasher);
    for index in 0..features.len() {
        if let Some(point) = features.point(index) {
            point.x().to_bits().hash(&mut hasher);
            point.y().to_bits().hash(&mut hasher);
        }
        user.category_of(index).hash(&mut hasher);
    }
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A point's cell at `zoom`: its column and row.
    fn cell_at(at: [f64; 2], zoom: u8) -> (i64, i64) {
        let size = cell_size(zoom);
        let [mx, my] = mercator(at[0], at[1]);
        ((mx / size).floor() as i64, (my / size).floor() as i64)
    }

    /// Spread over a region by two irrational steps (a low-discrepancy sequence), with
    /// repeated positions, and two categories in blocks.
    fn positions(count: u32) -> Vec<[f64; 2]> {
        let spread = |i: u32, step: f64| (f64::from(i) * step).fract();
        (0..count)
            .map(|i| {
                let i = i - i % 3;
                [
                    103.0 + 5.0 * spread(i, 0.618_033_988_75),
                    28.0 + 4.0 * spread(i, 0.414_213_562_37),
                ]
            })
            .collect()
    }

    /// A cell's parent, found by halving, is the cell its points fall in at the zoom above;
    /// and a Z-order key shifted by two is its parent's: the pyramid finds cells once.
    #[test]
    fn halved_cells_and_shifted_keys_are_the_cells_of_the_zoom_above() {
        let points = positions(20_000);
        let size = cell_size(MAX_GRID_ZOOM);
        for zoom in 1..=MAX_GRID_ZOOM {
            for &at in points.iter().step_by(7) {
                let (x, y) = cell_at(at, zoom);
                assert_eq!((x >> 1, y >> 1), cell_at(at, zoom - 1), "zoom {zoom}");
            }
        }
        // Two points share a key at a zoom exactly when they share a cell there.
        for zoom in [3, 9, MAX_GRID_ZOOM] {
            let shift = 2 * u32::from(MAX_GRID_ZOOM - zoom);
            for pair in points.windows(2).step_by(11) {
                let same_key = cell_key(pair[0], size) >> shift == cell_key(pair[1], size) >> shift;
                assert_eq!(same_key, cell_at(pair[0], zoom) == cell_at(pair[1], zoom));
            }
        }
    }

    /// Every kept grid holds, cell by cell, what a scan of the points finds there: their count,
    /// their mean, the first of them and their shared category.
    #[test]
    fn each_grid_is_its_cells_points_counted() {
        let count = 30_000;
        let mut positions = positions(count);
        // A few features that are not points.
        positions[5] = [f64::NAN; 2];
        positions[6] = [f64::NAN; 2];
        let categories: Vec<u16> = (0..count).map(|i| (i / 5000) as u16).collect();
        let job = PyramidJob {
            layer: LayerId::User(0),
            signature: 0,
            positions: Arc::new(positions.clone()),
            categories: categories.clone(),
        };
        let pyramid = job.build().expect("enough points");
        assert!(!pyramid.levels.is_empty());
        assert_eq!(pyramid.points.len(), count as usize - 2);
        for level in &pyramid.levels {
            let mut scanned: std::collections::HashMap<(i64, i64), Cluster> = Default::default();
            for (index, &at) in positions.iter().enumerate() {
                if at[0].is_nan() {
                    continue;
                }
                let index = index as u32;
                let entry = scanned.entry(cell_at(at, level.zoom)).or_insert(Cluster {
                    at: [0.0; 2],
                    count: 0,
                    first: index,
                    category: categories[index as usize],
                });
                entry.at = [entry.at[0] + at[0], entry.at[1] + at[1]];
                entry.count += 1;
                entry.first = entry.first.min(index);
                if entry.category != categories[index as usize] {
                    entry.category = MIXED;
                }
            }
            assert!(scanned.len() as f64 <= f64::from(count) * USEFUL_SHARE);
            let clusters: Vec<&Cluster> = level
                .clusters
                .within([-180.0, -90.0], [180.0, 90.0])
                .collect();
            assert_eq!(clusters.len(), scanned.len(), "zoom {}", level.zoom);
            for cluster in clusters {
                let cell = cell_at(positions[cluster.first as usize], level.zoom);
                let expected = scanned[&cell];
                assert_eq!(
                    (cluster.count, cluster.first, cluster.category),
                    (expected.count, expected.first, expected.category),
                    "zoom {}",
                    level.zoom
                );
                let n = f64::from(expected.count);
                assert!((cluster.at[0] - expected.at[0] / n).abs() < 1e-9);
                assert!((cluster.at[1] - expected.at[1] / n).abs() < 1e-9);
            }
        }
        // Zoom 0 to the deepest kept grid, each once.
        let zooms: Vec<u8> = pyramid.levels.iter().map(|l| l.zoom).collect();
        assert_eq!(zooms, (0..zooms.len() as u8).collect::<Vec<_>>());
    }
}
