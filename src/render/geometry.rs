//! Display geometry: each feature simplified for a zoom band, triangulated once, cached.
//!
//! Coordinates are stored as `f32` offsets from an origin in normalised Mercator, so that one
//! copy serves every pan and zoom within the band (see [`ScreenTransform`]). egui fills only
//! convex paths, so areas are triangulated (earcut) here and drawn as meshes; outlines are
//! stroked from the same simplified rings, so fill and outline always agree.
//!
//! [`ScreenTransform`]: super::projection::ScreenTransform

use std::ops::Range;
use std::sync::Arc;

use geo::LineString;

use super::projection::{TILE_SIZE, mercator};
use super::style::Rgba;
use crate::coordinates::datum::Datum;
use crate::model::{Atlas, FeatureRef, Shape};

/// Zoom bands: geometry for zoom `z` is simplified for band `floor(z)`, clamped to this range.
pub const MIN_BAND: u8 = 3;
pub const MAX_BAND: u8 = 14;

/// Douglas–Peucker tolerance, in points at the band's zoom: below what the eye can see.
const TOLERANCE_POINTS: f64 = 0.4;

pub fn band_for_zoom(zoom: f64) -> u8 {
    (zoom.floor().max(0.0) as u8).clamp(MIN_BAND, MAX_BAND)
}

/// One feature, simplified for one band, ready to draw.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Prepared {
    /// Vertices in local coordinates (normalised Mercator minus the origin).
    pub vertices: Vec<[f32; 2]>,
    /// Each ring or line as a range of `vertices`. Rings are not repeated at the end.
    pub paths: Vec<Range<u32>>,
    /// Whether the paths are closed rings (areas) or open lines.
    pub closed: bool,
    /// Triangles (indices into `vertices`) filling the area; empty for lines.
    pub triangles: Vec<u32>,
}

impl Prepared {
    pub fn path(&self, index: usize) -> &[[f32; 2]] {
        let range = &self.paths[index];
        &self.vertices[range.start as usize..range.end as usize]
    }

    pub fn paths(&self) -> impl Iterator<Item = &[[f32; 2]]> {
        (0..self.paths.len()).map(|index| self.path(index))
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

/// What preparing works in, kept per thread between features: a big layer's first view
/// prepares tens of thousands, and each made its vectors anew.
#[derive(Default)]
struct Workspace {
    simplifier: super::simplify::Simplifier,
    earcut: earcut::Earcut<f64>,
    projected: Vec<[f64; 2]>,
    simplified: Vec<[f64; 2]>,
    /// The polygon's kept rings, each without its closing point, for earcut.
    rings: Vec<[f64; 2]>,
    holes: Vec<u32>,
    triangles: Vec<u32>,
}

impl Workspace {
    /// `line` in normalised Mercator (drawn in `datum`), simplified at `epsilon`, into
    /// `self.simplified`.
    fn simplify(&mut self, line: &LineString, datum: Datum, epsilon: f64) {
        self.projected.clear();
        self.projected.extend(line.coords().map(|c| {
            let (lon, lat) = datum.from_wgs84(c.x, c.y);
            mercator(lon, lat)
        }));
        (self.simplifier).simplify(&self.projected, epsilon, &mut self.simplified);
    }
}

thread_local! {
    static WORKSPACE: std::cell::RefCell<Workspace> = std::cell::RefCell::default();
}

fn local(origin: [f64; 2], [x, y]: [f64; 2]) -> [f32; 2] {
    [(x - origin[0]) as f32, (y - origin[1]) as f32]
}

/// Simplifies and triangulates one feature for one band, drawn in `datum`.
pub fn prepare(shape: &Shape, band: u8, origin: [f64; 2], datum: Datum) -> Prepared {
    WORKSPACE.with_borrow_mut(|work| prepare_in(work, shape, band, origin, datum))
}

fn prepare_in(
    work: &mut Workspace,
    shape: &Shape,
    band: u8,
    origin: [f64; 2],
    datum: Datum,
) -> Prepared {
    let epsilon = TOLERANCE_POINTS / (TILE_SIZE * 2f64.powi(i32::from(band)));
    let mut prepared = Prepared::default();
    match shape {
        Shape::Area(area) => {
            prepared.closed = true;
            for polygon in area {
                work.simplify(polygon.exterior(), datum, epsilon);
                if work.simplified.len() < 4 {
                    continue; // smaller than a pixel at this band
                }
                // Each ring without its closing point, holes smaller than a pixel left out.
                work.rings.clear();
                work.holes.clear();
                work.rings
                    .extend_from_slice(&work.simplified[..work.simplified.len() - 1]);
                for ring in polygon.interiors() {
                    work.simplify(ring, datum, epsilon);
                    if work.simplified.len() >= 4 {
                        work.holes.push(work.rings.len() as u32);
                        work.rings
                            .extend_from_slice(&work.simplified[..work.simplified.len() - 1]);
                    }
                }
                let base = prepared.vertices.len() as u32;
                (work.earcut).earcut(work.rings.iter().copied(), &work.holes, &mut work.triangles);
                let ends = work.holes.iter().copied().chain([work.rings.len() as u32]);
                let mut start = 0;
                for end in ends {
                    prepared.paths.push(base + start..base + end);
                    start = end;
                }
                (prepared.vertices).extend(work.rings.iter().map(|&at| local(origin, at)));
                (prepared.triangles).extend(work.triangles.iter().map(|&index| base + index));
            }
        }
        Shape::Lines(lines) => {
            for line in lines {
                work.simplify(line, datum, epsilon);
                if work.simplified.len() < 2 {
                    continue;
                }
                let start = prepared.vertices.len() as u32;
                (prepared.vertices).extend(work.simplified.iter().map(|&at| local(origin, at)));
                prepared.paths.push(start..prepared.vertices.len() as u32);
            }
        }
        Shape::Point(point) => {
            let (lon, lat) = datum.from_wgs84(point.x(), point.y());
            prepared.vertices.push(local(origin, mercator(lon, lat)));
            prepared.paths.push(0..1);
        }
    }
    prepared
}

/// The dots of a big area layer's small areas at one zoom step, one geometry of squares per
/// colour: each with its colour and the first feature it draws.
pub type Dots = Arc<Vec<(Rgba, u32, Arc<Prepared>)>>;

/// What one set of [`Dots`] was made for: the layer, the zoom step, the datum drawn in, the
/// atlas's revision (its data and styles) and the layer's opacity (as bits).
pub type DotsKey = (crate::model::LayerId, i32, Datum, u64, u32);

/// Dot sets kept at most: a few zoom steps of a few layers (a zoom animation passes through
/// one step per quarter level).
const KEPT_DOTS: usize = 24;

/// Prepared features kept at most (about 600 bytes each for a parcel of 24 corners): past
/// it, the other zoom bands' are let go (and, if the band alone is that many, all).
const KEPT_ENTRIES: usize = 250_000;

/// Features missing from the cache prepared on several cores at once when at least this many
/// are asked for together (fewer are not worth the threads).
const PREPARED_TOGETHER: usize = 2_000;

/// Prepared geometry by feature and band, built on first use and kept.
#[derive(Debug, Default)]
pub struct GeometryCache {
    origin: [f64; 2],
    /// By feature, the state of its layer's features it was prepared from
    /// ([`Features::revision`](crate::model::Features::revision)), band and datum.
    /// Looked up for every feature of every frame: a fast hasher (FxHash), not SipHash.
    entries: rustc_hash::FxHashMap<(FeatureRef, u64, u8, Datum), Arc<Prepared>>,
    dots: rustc_hash::FxHashMap<DotsKey, Dots>,
}

impl GeometryCache {
    /// A cache for `atlas`, with the local origin at the centre of its data.
    pub fn new(atlas: &Atlas) -> Self {
        let origin = atlas
            .bounds()
            .map(|bounds| {
                let c = bounds.center();
                mercator(c.x, c.y)
            })
            .unwrap_or([0.5, 0.5]);
        Self::with_origin(origin)
    }

    /// A cache with its local origin at `origin` (normalised Mercator).
    pub fn with_origin(origin: [f64; 2]) -> Self {
        Self {
            origin,
            entries: Default::default(),
            dots: Default::default(),
        }
    }

    /// A cache for `atlas` (changed: a layer added, removed or edited) with the same origin,
    /// holding what this one prepared of the layers whose shapes did not change: adding a
    /// layer does not triangulate every other one again.
    pub fn kept_for(&self, atlas: &Atlas) -> Self {
        let shapes: rustc_hash::FxHashMap<crate::model::LayerId, u64> = (atlas.layers().iter())
            .map(|layer| (layer.id, layer.features.revision()))
            .collect();
        let entries = (self.entries.iter())
            .filter(|((feature, revision, _, _), _)| shapes.get(&feature.layer) == Some(revision))
            .map(|(key, prepared)| (*key, Arc::clone(prepared)))
            .collect();
        Self {
            origin: self.origin,
            entries,
            dots: Default::default(),
        }
    }

    /// The dots made for `key`, made now by `make` (given the origin) if they were not yet.
    pub fn dots(
        &mut self,
        key: DotsKey,
        make: impl FnOnce([f64; 2]) -> Vec<(Rgba, u32, Prepared)>,
    ) -> Dots {
        if let Some(dots) = self.dots.get(&key) {
            return dots.clone();
        }
        if self.dots.len() >= KEPT_DOTS {
            self.dots.clear();
        }
        let dots: Dots = Arc::new(
            make(self.origin)
                .into_iter()
                .map(|(color, first, geometry)| (color, first, Arc::new(geometry)))
                .collect(),
        );
        self.dots.insert(key, dots.clone());
        dots
    }

    pub fn origin(&self) -> [f64; 2] {
        self.origin
    }

    /// The feature's geometry for `band` in `datum`, prepared now if it was not yet.
    pub fn get(
        &mut self,
        atlas: &Atlas,
        feature: FeatureRef,
        band: u8,
        datum: Datum,
    ) -> Option<Arc<Prepared>> {
        let layer = atlas.layer(feature.layer)?;
        let key = (feature, layer.features.revision(), band, datum);
        if let Some(prepared) = self.entries.get(&key) {
            return Some(prepared.clone());
        }
        let shape = layer.features.shape(feature.index as usize)?;
        let prepared = Arc::new(prepare(&shape, band, self.origin, datum));
        self.make_room(band, 1);
        self.entries.insert(key, prepared.clone());
        Some(prepared)
    }

    /// Prepares what is not yet prepared of `features` for `band` in `datum`, on every core
    /// when there are many (a big layer's first view: 35 000 parcels projected, simplified and
    /// triangulated), so that drawing them finds them ready.
    pub fn prepare_many(&mut self, atlas: &Atlas, features: &[FeatureRef], band: u8, datum: Datum) {
        let mut missing: Vec<(FeatureRef, u64)> = Vec::new();
        let mut layer: Option<&crate::model::Layer> = None;
        for &feature in features {
            if layer.is_none_or(|l| l.id != feature.layer) {
                layer = atlas.layer(feature.layer);
            }
            let Some(revision) = layer.map(|l| l.features.revision()) else {
                continue;
            };
            if !self.entries.contains_key(&(feature, revision, band, datum)) {
                missing.push((feature, revision));
            }
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if missing.len() < PREPARED_TOGETHER || cores < 2 {
            return; // prepared one by one as they are drawn
        }
        let origin = self.origin;
        let prepare_part = |part: &[(FeatureRef, u64)]| -> Vec<Arc<Prepared>> {
            part.iter()
                .map(|&(feature, _)| {
                    let prepared = atlas
                        .shape(feature)
                        .map(|shape| prepare(&shape, band, origin, datum))
                        .unwrap_or_default();
                    Arc::new(prepared)
                })
                .collect()
        };
        let chunk = missing.len().div_ceil(cores.min(4));
        let prepared: Vec<Arc<Prepared>> = std::thread::scope(|scope| {
            let mut parts = missing.chunks(chunk);
            let first = parts.next().unwrap_or_default();
            let others: Vec<_> = parts
                .map(|part| scope.spawn(move || prepare_part(part)))
                .collect();
            let mut prepared = prepare_part(first);
            for other in others {
                prepared.extend(
                    other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
            }
            prepared
        });
        self.make_room(band, prepared.len());
        for ((feature, revision), prepared) in missing.into_iter().zip(prepared) {
            self.entries
                .insert((feature, revision, band, datum), prepared);
        }
    }

    /// Room for `adding` entries of `band` within [`KEPT_ENTRIES`]: the other bands' let go
    /// first, then, if the band alone fills half of it, everything.
    fn make_room(&mut self, band: u8, adding: usize) {
        if self.entries.len() + adding <= KEPT_ENTRIES {
            return;
        }
        self.entries.retain(|(_, _, kept, _), _| *kept == band);
        if self.entries.len() + adding > KEPT_ENTRIES / 2 {
            self.entries.clear();
        }
    }

    /// Number of cached (feature, band) entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, Polygon, polygon};

    /// An L-shaped zone: its notch must stay empty, which a convex path fill would cover.
    #[test]
    fn a_non_convex_area_is_triangulated_without_covering_its_notch() {
        let l_shape = polygon![
            (x: 106.0, y: 29.0), (x: 106.2, y: 29.0), (x: 106.2, y: 29.1),
            (x: 106.1, y: 29.1), (x: 106.1, y: 29.2), (x: 106.0, y: 29.2),
        ];
        let prepared = prepare(
            &Shape::Area(MultiPolygon::new(vec![l_shape])),
            12,
            [0.0, 0.0],
            Datum::Wgs84,
        );
        assert_eq!(
            prepared.triangles.len() / 3,
            4,
            "an L of 6 corners is 4 triangles"
        );
        let [nx, ny] = mercator(106.15, 29.15); // in the notch
        let notch = [nx as f32, ny as f32];
        for triangle in prepared.triangles.chunks(3) {
            let [a, b, c] = [0, 1, 2].map(|k| prepared.vertices[triangle[k] as usize]);
            assert!(
                !inside_triangle(notch, a, b, c),
                "a triangle covers the notch"
            );
        }
    }

    /// A layer added keeps what was prepared of the others; a layer edited is prepared again
    /// from its new shapes, never drawn from the old ones.
    #[test]
    fn a_cache_made_again_keeps_the_unchanged_layers_geometry_only() {
        use crate::geodata::user::{drawn_feature, sketch_layer};
        use crate::model::{Feature, LayerId, edit::FeatureEdit};
        let square = |x: f64| {
            Shape::Area(MultiPolygon::new(vec![polygon![
                (x: x, y: 29.0), (x: x + 0.1, y: 29.0), (x: x + 0.1, y: 29.1), (x: x, y: 29.1),
            ]]))
        };
        let mut atlas = Atlas::new(Vec::new());
        let info = sketch_layer("草图", 0);
        let plot = drawn_feature(&info, "地块", square(106.0));
        let sketch = atlas.add_user_layer(info, vec![plot.clone()]);
        let other_info = sketch_layer("另一层", 1);
        let other_plot = drawn_feature(&other_info, "另一块", square(107.0));
        let other = atlas.add_user_layer(other_info, vec![other_plot]);
        let at = |layer: LayerId| FeatureRef { layer, index: 0 };
        let mut cache = GeometryCache::new(&atlas);
        let before = cache
            .get(&atlas, at(sketch), 8, Datum::Wgs84)
            .expect("prepared");
        let kept = cache
            .get(&atlas, at(other), 8, Datum::Wgs84)
            .expect("prepared");
        assert_eq!(cache.len(), 2);

        let moved = FeatureEdit {
            layer: sketch,
            index: 0,
            before: Some(plot.clone()),
            after: Some(Feature {
                shape: square(106.5),
                ..plot
            }),
        };
        assert!(atlas.apply_edit(&moved));
        let mut again = cache.kept_for(&atlas);
        assert_eq!(
            again.len(),
            1,
            "the other layer's geometry kept, the edited one's not"
        );
        let still = again.get(&atlas, at(other), 8, Datum::Wgs84).expect("kept");
        assert!(Arc::ptr_eq(&kept, &still));
        let after = again
            .get(&atlas, at(sketch), 8, Datum::Wgs84)
            .expect("prepared");
        let shift = f64::from(after.vertices[0][0] - before.vertices[0][0]);
        assert!(
            (shift - 0.5 / 360.0).abs() < 1e-7,
            "drawn where it is now ({shift})"
        );
        // Even a cache not made again does not draw an edited layer from its old shapes.
        let edited = cache
            .get(&atlas, at(sketch), 8, Datum::Wgs84)
            .expect("prepared");
        assert_eq!(edited.vertices, after.vertices);
    }

    /// Many features prepared together (on several cores) are prepared exactly as one by one,
    /// each under its own feature.
    #[test]
    fn features_prepared_together_are_those_prepared_one_by_one() {
        use crate::geodata::user::{drawn_feature, sketch_layer};
        let info = sketch_layer("地块", 0);
        let count = PREPARED_TOGETHER as u32 + 500;
        let features: Vec<_> = (0..count)
            .map(|n| {
                let (x, y) = (
                    106.0 + f64::from(n % 60) * 0.01,
                    29.0 + f64::from(n / 60) * 0.01,
                );
                // Each its own shape (a notch where n says), so that a mix-up shows.
                let notch = 0.001 + f64::from(n % 7) * 0.001;
                let shape = Shape::Area(MultiPolygon::new(vec![polygon![
                    (x: x, y: y), (x: x + 0.008, y: y), (x: x + 0.008, y: y + 0.008),
                    (x: x + 0.004, y: y + notch), (x: x, y: y + 0.008),
                ]]));
                drawn_feature(&info, &format!("{n}"), shape)
            })
            .collect();
        let mut atlas = Atlas::new(Vec::new());
        let layer = atlas.add_user_layer(info, features);
        let all: Vec<FeatureRef> = (0..count)
            .map(|index| FeatureRef { layer, index })
            .collect();
        let mut cache = GeometryCache::new(&atlas);
        cache.prepare_many(&atlas, &all, 12, Datum::Wgs84);
        assert_eq!(cache.len(), count as usize);
        let origin = cache.origin();
        for &feature in &all {
            let shape = atlas.shape(feature).expect("shape");
            let one = prepare(&shape, 12, origin, Datum::Wgs84);
            let together = cache
                .get(&atlas, feature, 12, Datum::Wgs84)
                .expect("prepared");
            assert_eq!(*together, one, "{feature:?}");
        }
        assert_eq!(cache.len(), count as usize, "nothing prepared twice");
    }

    /// The old way, through geo's own simplification and triangulation.
    fn prepared_by_geo(shape: &Shape, band: u8, origin: [f64; 2]) -> Prepared {
        use geo::{Simplify, TriangulateEarcut};
        let epsilon = TOLERANCE_POINTS / (TILE_SIZE * 2f64.powi(i32::from(band)));
        let projected = |line: &LineString| -> LineString {
            line.coords()
                .map(|c| {
                    let [x, y] = mercator(c.x, c.y);
                    geo::coord! { x: x, y: y }
                })
                .collect()
        };
        let mut prepared = Prepared::default();
        let Shape::Area(area) = shape else {
            unreachable!("areas only")
        };
        prepared.closed = true;
        for polygon in area {
            let exterior = projected(polygon.exterior()).simplify(epsilon);
            if exterior.0.len() < 4 {
                continue;
            }
            let interiors: Vec<LineString> = (polygon.interiors().iter())
                .map(|ring| projected(ring).simplify(epsilon))
                .filter(|ring| ring.0.len() >= 4)
                .collect();
            let simplified = Polygon::new(exterior, interiors);
            let base = prepared.vertices.len() as u32;
            let triangulation = simplified.earcut_triangles_raw();
            for ring in std::iter::once(simplified.exterior()).chain(simplified.interiors()) {
                let start = prepared.vertices.len() as u32;
                (prepared.vertices).extend(
                    ring.0[..ring.0.len() - 1]
                        .iter()
                        .map(|c| local(origin, [c.x, c.y])),
                );
                prepared.paths.push(start..prepared.vertices.len() as u32);
            }
            (prepared.triangles)
                .extend((triangulation.triangle_indices.iter()).map(|&i| base + i as u32));
        }
        prepared
    }

    /// Areas with holes, notches, parts and rings smaller than a pixel prepared exactly as
    /// geo's simplification and triangulation prepare them, at every band.
    #[test]
    fn areas_are_prepared_as_geo_prepares_them() {
        let ring = |cx: f64, cy: f64, r: f64, corners: usize, wobble: f64| -> LineString {
            (0..=corners)
                .map(|k| {
                    let angle = (k % corners) as f64 / corners as f64 * std::f64::consts::TAU;
                    let r = r * (1.0 + wobble * ((k * 7919) % 13) as f64 / 13.0);
                    (cx + r * angle.cos(), cy + r * angle.sin())
                })
                .collect()
        };
        let shapes = [
            Shape::Area(MultiPolygon::new(vec![Polygon::new(
                ring(106.0, 29.0, 0.3, 200, 0.4),
                vec![
                    ring(106.0, 29.0, 0.1, 40, 0.2),
                    ring(106.2, 29.0, 0.02, 12, 0.0),
                ],
            )])),
            Shape::Area(MultiPolygon::new(vec![
                Polygon::new(ring(106.5, 29.5, 0.01, 24, 0.0), vec![]),
                Polygon::new(ring(106.6, 29.5, 0.0001, 8, 0.0), vec![]),
                Polygon::new(ring(106.7, 29.5, 0.05, 60, 0.9), vec![]),
            ])),
        ];
        let origin = mercator(106.3, 29.3);
        for shape in &shapes {
            for band in MIN_BAND..=MAX_BAND {
                assert_eq!(
                    prepare(shape, band, origin, Datum::Wgs84),
                    prepared_by_geo(shape, band, origin),
                    "band {band}"
                );
            }
        }
    }

    fn inside_triangle(p: [f32; 2], a: [f32; 2], b: [f32; 2], c: [f32; 2]) -> bool {
        let side = |u: [f32; 2], v: [f32; 2]| {
            (v[0] - u[0]) * (p[1] - u[1]) - (v[1] - u[1]) * (p[0] - u[0])
        };
        let (d1, d2, d3) = (side(a, b), side(b, c), side(c, a));
        !((d1 < 0.0 || d2 < 0.0 || d3 < 0.0) && (d1 > 0.0 || d2 > 0.0 || d3 > 0.0))
    }

    #[test]
    fn coarser_bands_keep_fewer_vertices() {
        let ring: Vec<(f64, f64)> = (0..=360)
            .map(|degree| {
                let angle = f64::from(degree).to_radians();
                (106.0 + 0.3 * angle.cos(), 29.5 + 0.3 * angle.sin())
            })
            .collect();
        let shape = Shape::Area(MultiPolygon::new(vec![Polygon::new(ring.into(), vec![])]));
        let coarse = prepare(&shape, 5, [0.0, 0.0], Datum::Wgs84).vertices.len();
        let fine = prepare(&shape, 12, [0.0, 0.0], Datum::Wgs84).vertices.len();
        assert!(coarse < fine, "band 5 kept {coarse}, band 12 kept {fine}");
        assert!(coarse >= 3);
    }
}
