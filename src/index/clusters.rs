//! Big point layers drawn fast: a layer of many points (a user's CSV of a million enterprises)
//! is not handed to the scene feature by feature. Its points are kept in a packed k-d tree
//! of their own ([`PackedPoints`]), and aggregated once, when the index is built, on a pyramid
//! of grids in Web Mercator — one per zoom, each cell a few points wide at its zoom, each
//! level made from the one below — so that a view far out draws a few thousand counted clusters, and a view close in draws
//! the points it holds.

use crate::coordinates::mercator::mercator;
use std::sync::Arc;

use rstar::AABB;

use super::packed::PackedPoints;

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

/// A point and its feature's index in the layer.
type Entry = ([f64; 2], u32);

/// One grid of the pyramid.
struct Level {
    zoom: u8,
    /// Its clusters, in the tree's order.
    clusters: PackedPoints<Cluster>,
}

/// A big point layer: its points, and its pyramid of grids from the deepest useful zoom up.
pub struct PointPyramid {
    pub layer: LayerId,
    points: PackedPoints,
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
            let points = atlas.layer(id).map_or(0, |layer| {
                (0..layer.features.len())
                    .filter(|&index| layer.features.point(index).is_some())
                    .count()
            });
            if points <= AGGREGATE_ABOVE {
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
            .copied()
    }
}

/// What building a big layer's pyramid needs, copied out of the atlas, so that it can be built
/// on another thread while the window goes on.
pub struct PyramidJob {
    layer: LayerId,
    signature: u64,
    entries: Vec<Entry>,
    /// Each entry's category.
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
        let mut entries = Vec::with_capacity(features.len());
        let mut categories = Vec::with_capacity(features.len());
        for index in 0..features.len() {
            if let Some(point) = features.point(index) {
                entries.push(([point.x(), point.y()], index as u32));
                categories.push(user.category_of(index).unwrap_or(MIXED));
            }
        }
        Some(Self {
            layer,
            signature,
            entries,
            categories,
        })
    }

    /// The layer it is for.
    pub fn layer(&self) -> LayerId {
        self.layer
    }

    /// Builds the pyramid (a second for a million points); `None` for a layer too small to
    /// aggregate.
    pub fn build(self) -> Option<PointPyramid> {
        let Self {
            layer,
            signature,
            entries,
            categories,
        } = self;
        if entries.len() <= AGGREGATE_ABOVE {
            return None;
        }
        let total = entries.len() as f64;
        // The deepest grid from the points; then the points' tree is made on a second core
        // while the grids above are made on this one.
        let size = cell_size(MAX_GRID_ZOOM);
        let cells: Vec<Cell> = entries
            .iter()
            .map(|entry| {
                let [lon, lat] = entry.0;
                let [mx, my] = mercator(lon, lat);
                ((mx / size).floor() as i32, (my / size).floor() as i32)
            })
            .collect();
        let points = entries
            .iter()
            .zip(categories)
            .map(|(entry, category)| Cluster {
                at: entry.0,
                count: 1,
                first: entry.1,
                category,
            });
        let deepest = merge(points, &cells);
        drop(cells);
        std::thread::scope(|scope| {
            let points = scope.spawn(|| PackedPoints::new(entries));
            let levels = grids(deepest, total);
            Some(PointPyramid {
                layer,
                points: points
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                levels,
                signature,
            })
        })
    }
}

/// The pyramid's grids from the deepest one (its clusters and their cells) up, each made
/// from the one below; returned coarsest first. A grid is kept when it holds at most
/// [`USEFUL_SHARE`] of the `total` points. Cells nest (each halves), so a cluster's cell
/// above is its cell's parent: the points are projected once, not once per level.
fn grids((mut below, mut cells): (Vec<Cluster>, Vec<Cell>), total: f64) -> Vec<Level> {
    let mut levels: Vec<Level> = Vec::new();
    for zoom in (0..=MAX_GRID_ZOOM).rev() {
        if zoom < MAX_GRID_ZOOM {
            for cell in &mut cells {
                *cell = (cell.0 >> 1, cell.1 >> 1);
            }
            (below, cells) = merge(below.iter().copied(), &cells);
        }
        if below.len() as f64 <= total * USEFUL_SHARE {
            levels.push(Level {
                zoom,
                clusters: PackedPoints::new(below.clone()),
            });
        }
    }
    levels.reverse();
    levels
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
                    .map(|&(_, index)| index)
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

/// A grid cell: its column and row at its zoom (the cell above it is the one with both
/// halved, rounding down).
type Cell = (i32, i32);

/// The clusters of `below`, each in its cell, merged cell by cell: the merged clusters (at their
/// members' mean, in the order their cells first appear) and their cells.
fn merge(
    below: impl ExactSizeIterator<Item = Cluster>,
    cells: &[Cell],
) -> (Vec<Cluster>, Vec<Cell>) {
    let mut slots: rustc_hash::FxHashMap<Cell, u32> = rustc_hash::FxHashMap::default();
    slots.reserve(below.len() / 2);
    // Each merged cluster's `at` sums its members' positions (weighted) until it is divided.
    let mut merged: Vec<Cluster> = Vec::new();
    let mut out_cells: Vec<Cell> = Vec::new();
    for (cluster, &cell) in below.zip(cells) {
        let n = f64::from(cluster.count);
        match slots.get(&cell) {
            Some(&slot) => {
                let into = &mut merged[slot as usize];
                into.at[0] += cluster.at[0] * n;
                into.at[1] += cluster.at[1] * n;
                into.count += cluster.count;
                into.first = into.first.min(cluster.first);
                if into.category != cluster.category {
                    into.category = MIXED;
                }
            }
            None => {
                slots.insert(cell, merged.len() as u32);
                merged.push(Cluster {
                    at: [cluster.at[0] * n, cluster.at[1] * n],
                    ..cluster
                });
                out_cells.push(cell);
            }
        }
    }
    drop(slots);
    for cluster in &mut merged {
        let n = f64::from(cluster.count);
        cluster.at = [cluster.at[0] / n, cluster.at[1] / n];
    }
    (merged, out_cells)
}

/// The cells of `clusters` at `zoom`, from their positions.
#[cfg(test)]
fn cells_at(clusters: &[Cluster], zoom: u8) -> Vec<Cell> {
    let size = cell_size(zoom);
    clusters
        .iter()
        .map(|c| {
            let [mx, my] = mercator(c.at[0], c.at[1]);
            ((mx / size).floor() as i32, (my / size).floor() as i32)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell's parent, found by halving, is the cell its points fall in at the zoom above:
    /// the pyramid finds cells once and halves them, as if it projected every level.
    #[test]
    fn halved_cells_are_the_cells_of_the_zoom_above() {
        // Spread over the world by two irrational steps (a low-discrepancy sequence).
        let spread = |i: u32, step: f64| (f64::from(i) * step).fract();
        let points: Vec<Cluster> = (0..20_000)
            .map(|i| Cluster {
                at: [
                    -179.0 + 358.0 * spread(i, 0.618_033_988_75),
                    -80.0 + 160.0 * spread(i, 0.414_213_562_37),
                ],
                count: 1,
                first: i,
                category: 0,
            })
            .collect();
        for zoom in 1..=MAX_GRID_ZOOM {
            let halved: Vec<Cell> = cells_at(&points, zoom)
                .into_iter()
                .map(|(x, y)| (x >> 1, y >> 1))
                .collect();
            assert_eq!(halved, cells_at(&points, zoom - 1), "zoom {zoom}");
        }
    }

    #[test]
    fn merged_clusters_keep_every_point_and_their_mean() {
        let points: Vec<Cluster> = (0..1000)
            .map(|i| Cluster {
                at: [
                    106.0 + f64::from(i % 10) * 1e-5,
                    29.0 + f64::from(i / 10) * 1e-5,
                ],
                count: 1,
                first: i,
                category: (i % 2) as u16,
            })
            .collect();
        let (merged, _) = merge(points.iter().copied(), &cells_at(&points, 8));
        // At zoom 8 a cell is about 3.5 km: all thousand (within 100 m) are one or a few.
        assert!(merged.len() <= 4, "{}", merged.len());
        assert_eq!(merged.iter().map(|c| c.count).sum::<u32>(), 1000);
        assert!(merged.iter().all(|c| c.category == MIXED));
        let total: f64 = merged.iter().map(|c| c.at[0] * f64::from(c.count)).sum();
        assert!((total / 1000.0 - (106.0 + 4.5e-5)).abs() < 1e-9);
    }
}
