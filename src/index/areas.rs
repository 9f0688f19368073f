//! Big area layers drawn fast: a layer of many areas (a surveying office's 100 000 parcels) is
//! not handed to the scene feature by feature. Seen from far out, most of its areas are
//! smaller than a few pixels and are drawn as dots, which the scene makes once per zoom step
//! from the boxes kept here; the areas big enough to draw as themselves are found through
//! R-trees by size class, so a view far out never walks the small ones.

use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::coordinates::mercator::mercator;
use crate::model::{Features, Shape};

/// Layers with more areas than this are kept here; smaller ones are listed feature by feature.
pub const BIG_AREA_LAYER: usize = super::clusters::AGGREGATE_ABOVE;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// One area's box in normalised Web Mercator (WGS-84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaBox {
    pub index: u32,
    pub min: [f64; 2],
    pub max: [f64; 2],
}

impl AreaBox {
    /// The larger of its width and height (normalised Mercator).
    pub fn size(&self) -> f64 {
        (self.max[0] - self.min[0]).max(self.max[1] - self.min[1])
    }

    pub fn center(&self) -> [f64; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }
}

/// The areas of one size class: sizes in `[2^-(class+1), 2^-class)` (normalised Mercator).
struct SizeClass {
    /// The largest size in the class.
    largest: f64,
    /// Feature envelopes in lon/lat, for the view.
    tree: RTree<Entry>,
}

/// A big area layer: every area's box, and its areas by size class.
pub struct AreaLayer {
    boxes: Vec<AreaBox>,
    classes: Vec<SizeClass>,
}

impl AreaLayer {
    /// Whether a user's layer of these features is kept here: more areas than
    /// [`BIG_AREA_LAYER`].
    pub fn is_big(features: &Features) -> bool {
        // Through the shapes alone: a table's rows are not made features to be counted.
        (features.shapes())
            .filter(|shape| matches!(**shape, Shape::Area(_)))
            .count()
            > BIG_AREA_LAYER
    }

    /// A big area layer's areas by size class.
    pub fn new(features: &Features) -> AreaLayer {
        let mut boxes = Vec::new();
        let mut by_class: Vec<Vec<Entry>> = Vec::new();
        let mut largest: Vec<f64> = Vec::new();
        for (index, shape) in features.shapes().enumerate() {
            let Shape::Area(area) = &*shape else {
                continue;
            };
            let Some(bounds) = geo::BoundingRect::bounding_rect(area) else {
                continue;
            };
            let [x0, y1] = mercator(bounds.min().x, bounds.min().y);
            let [x1, y0] = mercator(bounds.max().x, bounds.max().y);
            let area_box = AreaBox {
                index: index as u32,
                min: [x0, y0],
                max: [x1, y1],
            };
            let size = area_box.size();
            let class = if size > 0.0 {
                (-size.log2()).floor().clamp(0.0, 60.0) as usize
            } else {
                60
            };
            if by_class.len() <= class {
                by_class.resize_with(class + 1, Vec::new);
                largest.resize(class + 1, 0.0);
            }
            largest[class] = largest[class].max(size);
            by_class[class].push(GeomWithData::new(
                Rectangle::from_corners(
                    [bounds.min().x, bounds.min().y],
                    [bounds.max().x, bounds.max().y],
                ),
                index as u32,
            ));
            boxes.push(area_box);
        }
        let classes = by_class
            .into_iter()
            .zip(largest)
            .filter(|(entries, _)| !entries.is_empty())
            .map(|(entries, largest)| SizeClass {
                largest,
                tree: RTree::bulk_load(entries),
            })
            .collect();
        AreaLayer { boxes, classes }
    }

    /// Every area's box, in the layer's order.
    pub fn boxes(&self) -> &[AreaBox] {
        &self.boxes
    }

    pub fn len(&self) -> usize {
        self.boxes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.boxes.is_empty()
    }

    /// The areas at least `min_size` across (normalised Mercator) whose boxes meet `bounds`
    /// (lon/lat), in the layer's order; smaller ones are not visited.
    pub fn at_least(&self, bounds: geo::Rect, min_size: f64) -> Vec<u32> {
        let envelope = AABB::from_corners(
            [bounds.min().x, bounds.min().y],
            [bounds.max().x, bounds.max().y],
        );
        let mut found = Vec::new();
        for class in self.classes.iter().filter(|c| c.largest >= min_size) {
            found.extend(
                class
                    .tree
                    .locate_in_envelope_intersecting(&envelope)
                    .map(|entry| entry.data),
            );
        }
        found.retain(|&index| self.box_of(index).is_some_and(|b| b.size() >= min_size));
        found.sort_unstable();
        found
    }

    /// The areas whose boxes meet `envelope` (lon/lat), whatever their size, in no set order.
    pub fn meeting<'a>(&'a self, envelope: &'a AABB<[f64; 2]>) -> impl Iterator<Item = u32> + 'a {
        (self.classes.iter()).flat_map(move |class| {
            (class.tree)
                .locate_in_envelope_intersecting(envelope)
                .map(|entry| entry.data)
        })
    }

    /// The box of the layer's feature `index`.
    pub fn box_of(&self, index: u32) -> Option<&AreaBox> {
        self.boxes
            .binary_search_by_key(&index, |b| b.index)
            .ok()
            .map(|slot| &self.boxes[slot])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The areas a view lists at a size are exactly those a scan of every box finds.
    #[test]
    fn areas_at_least_a_size_are_those_a_scan_finds() {
        use crate::geodata::user::{self, LayerSpec};
        let dir = std::env::temp_dir().join(format!("chengyu-areas-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("squares.csv");
        let mut text = String::from("name,wkt\n");
        for n in 0..(BIG_AREA_LAYER + 500) {
            let (x, y) = (
                103.5 + (n % 300) as f64 * 0.015,
                28.5 + (n / 300) as f64 * 0.03,
            );
            // Sizes from 50 m to 2 km.
            let r = 0.0005 + 0.02 * ((n * 7919) % 1000) as f64 / 1000.0;
            text.push_str(&format!(
                "s{n},\"POLYGON (({x} {y}, {} {y}, {} {}, {x} {y}))\"\n",
                x + r,
                x + r,
                y + r
            ));
        }
        std::fs::write(&path, text).expect("write");
        let mut atlas = crate::geodata::load(&crate::geodata::DataSource::Embedded).atlas;
        let (id, _) = user::add_to(&mut atlas, &LayerSpec::new(&path, None)).expect("added");
        let big: Vec<crate::model::LayerId> = (atlas.layers().iter())
            .filter(|layer| AreaLayer::is_big(&layer.features))
            .map(|layer| layer.id)
            .collect();
        assert_eq!(big[..], [id]);
        let areas = &AreaLayer::new(&atlas.layer(id).expect("the layer").features);
        assert_eq!(areas.len(), BIG_AREA_LAYER + 500);
        let view = geo::Rect::new(
            geo::coord! { x: 104.0, y: 29.0 },
            geo::coord! { x: 105.0, y: 30.0 },
        );
        for min_size in [0.0, 1e-5, 2e-5, 4e-5] {
            let scanned: Vec<u32> = areas
                .boxes()
                .iter()
                .filter(|b| b.size() >= min_size)
                .filter(|b| {
                    let f = atlas.feature(crate::model::FeatureRef {
                        layer: id,
                        index: b.index,
                    });
                    let bounds = f.and_then(|f| f.shape.bounding_rect()).expect("bounds");
                    geo::Intersects::intersects(&bounds, &view)
                })
                .map(|b| b.index)
                .collect();
            assert!(!scanned.is_empty(), "at {min_size}");
            assert_eq!(areas.at_least(view, min_size), scanned, "at {min_size}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
