//! Point-in-polygon in a few dozen edge tests, however long the rings: edges are bucketed into
//! horizontal bands, and a query looks only at its band. Orientation tests use geo's robust
//! predicates, so the answer agrees exactly with geo's `CoordinatePosition`; points on the
//! boundary count as inside.

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Coord, Polygon};

/// One polygon (exterior and holes) ready for fast containment queries.
#[derive(Debug, Clone)]
pub struct PreparedPolygon(Kind);

#[derive(Debug, Clone)]
enum Kind {
    /// A polygon of few edges (a parcel, a building: most of a big layer) is tested edge by
    /// edge on its own rings, where the atlas keeps them: nothing is copied (a hundred
    /// thousand parcels' vertices copied into the index were 40 MB).
    Small,
    Banded(Box<Banded>),
}

/// Polygons with more edges than this are banded.
const SMALL_EDGES: usize = 32;

#[derive(Debug, Clone)]
struct Banded {
    min_y: f64,
    max_y: f64,
    band_height: f64,
    /// `band_starts[b]..band_starts[b + 1]` are band `b`'s entries in `band_edges`.
    band_starts: Vec<u32>,
    band_edges: Vec<u32>,
    edges: Vec<(Coord, Coord)>,
    /// For large polygons: cells known to be wholly inside or outside answer at once.
    grid: Option<Grid>,
}

/// A coarse grid over the polygon's bounding box. A cell that no edge's bounding box touches
/// lies wholly inside or wholly outside; only the other cells need the edge test.
#[derive(Debug, Clone)]
struct Grid {
    x0: f64,
    y0: f64,
    cell_w: f64,
    cell_h: f64,
    side: usize,
    cells: Vec<Cell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Outside,
    Inside,
    Boundary,
}

impl Grid {
    /// The cell of a coordinate, or `None` outside the grid. The same monotonic formula places
    /// edges and queries, so an edge through a point always marks the point's cell.
    fn cell_of(&self, c: Coord) -> Option<(usize, usize)> {
        let (fx, fy) = ((c.x - self.x0) / self.cell_w, (c.y - self.y0) / self.cell_h);
        let limit = self.side as f64;
        ((0.0..limit).contains(&fx) && (0.0..limit).contains(&fy))
            .then_some((fx as usize, fy as usize))
    }

    fn clamped(&self, c: Coord) -> (usize, usize) {
        let last = self.side as f64 - 1.0;
        (
            ((c.x - self.x0) / self.cell_w).clamp(0.0, last) as usize,
            ((c.y - self.y0) / self.cell_h).clamp(0.0, last) as usize,
        )
    }
}

/// Polygons with more edges than this get a grid of side `GRID_SIDE`.
const GRID_MIN_EDGES: usize = 256;
const GRID_SIDE: usize = 32;

/// Edges per band aimed for; long rings get more bands.
const EDGES_PER_BAND: usize = 8;
const MAX_BANDS: usize = 4096;

impl PreparedPolygon {
    pub fn new(polygon: &Polygon) -> Self {
        // Edges at most, from the rings' lengths (a parcel is known small without walking
        // its edges); zero-length edges, left out, are counted only for longer rings.
        let at_most: usize = std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .map(|ring| ring.0.len().saturating_sub(1))
            .sum();
        if at_most <= SMALL_EDGES || ring_edges(polygon).count() <= SMALL_EDGES {
            return Self(Kind::Small);
        }
        Self(Kind::Banded(Box::new(Banded::new(polygon))))
    }

    /// Whether `p` is inside `polygon` (the one this was prepared from) or on its boundary.
    pub fn contains(&self, polygon: &Polygon, p: Coord) -> bool {
        match &self.0 {
            Kind::Small => {
                let mut crossings = 0u32;
                for (a, b) in ring_edges(polygon) {
                    if crosses(a, b, p, &mut crossings) {
                        return true;
                    }
                }
                crossings % 2 == 1
            }
            Kind::Banded(banded) => banded.contains(p),
        }
    }

    /// Every edge of `polygon` (the one this was prepared from; a zero-length one left out),
    /// each ring's in order.
    pub fn edges<'a>(
        &'a self,
        polygon: &'a Polygon,
    ) -> Box<dyn Iterator<Item = (Coord, Coord)> + 'a> {
        match &self.0 {
            Kind::Small => Box::new(ring_edges(polygon)),
            Kind::Banded(banded) => Box::new(banded.edges.iter().copied()),
        }
    }
}

/// The edges of a polygon's rings, exterior first, a zero-length one left out.
fn ring_edges(polygon: &Polygon) -> impl Iterator<Item = (Coord, Coord)> + '_ {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .flat_map(|ring| ring.lines().map(|line| (line.start, line.end)))
        .filter(|(a, b)| a != b)
}

/// Edge a→b against a ray from `p` to the right: true when `p` lies on the edge; otherwise
/// counts the edge in `crossings` if the ray crosses it (half-open: an edge counts if it spans
/// p.y with one end strictly above, so a ray through a vertex counts it once).
fn crosses(a: Coord, b: Coord, p: Coord, crossings: &mut u32) -> bool {
    let orientation = RobustKernel::orient2d(a, b, p);
    if orientation == Orientation::Collinear
        && p.x >= a.x.min(b.x)
        && p.x <= a.x.max(b.x)
        && p.y >= a.y.min(b.y)
        && p.y <= a.y.max(b.y)
    {
        return true; // on the boundary
    }
    let upward = a.y <= p.y && b.y > p.y;
    let downward = b.y <= p.y && a.y > p.y;
    if (upward && orientation == Orientation::CounterClockwise)
        || (downward && orientation == Orientation::Clockwise)
    {
        *crossings += 1;
    }
    false
}

impl Banded {
    fn new(polygon: &Polygon) -> Self {
        let edges: Vec<(Coord, Coord)> = ring_edges(polygon).collect();
        let (min_y, max_y) = edges
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
                (lo.min(a.y).min(b.y), hi.max(a.y).max(b.y))
            });
        let bands = (edges.len() / EDGES_PER_BAND).clamp(1, MAX_BANDS);
        let band_height = if max_y > min_y {
            (max_y - min_y) / bands as f64
        } else {
            1.0
        };
        let band_of = |y: f64| (((y - min_y) / band_height) as usize).min(bands - 1);
        // Counting sort of edges into the bands they span.
        let mut counts = vec![0u32; bands + 1];
        for (a, b) in &edges {
            for band in band_of(a.y.min(b.y))..=band_of(a.y.max(b.y)) {
                counts[band + 1] += 1;
            }
        }
        for band in 0..bands {
            counts[band + 1] += counts[band];
        }
        let band_starts = counts.clone();
        let mut band_edges = vec![0u32; counts[bands] as usize];
        let mut next = counts;
        for (index, (a, b)) in edges.iter().enumerate() {
            for band in band_of(a.y.min(b.y))..=band_of(a.y.max(b.y)) {
                band_edges[next[band] as usize] = index as u32;
                next[band] += 1;
            }
        }
        let mut prepared = Self {
            min_y,
            max_y,
            band_height,
            band_starts,
            band_edges,
            edges,
            grid: None,
        };
        if prepared.edges.len() > GRID_MIN_EDGES {
            prepared.grid = prepared.build_grid();
        }
        prepared
    }

    fn build_grid(&self) -> Option<Grid> {
        let (min_x, max_x) = self
            .edges
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
                (lo.min(a.x).min(b.x), hi.max(a.x).max(b.x))
            });
        if max_x <= min_x || self.max_y <= self.min_y {
            return None;
        }
        let side = GRID_SIDE;
        // A little wider than the box, so that its far edges fall inside the last cells.
        let (cell_w, cell_h) = (
            (max_x - min_x) * 1.000_001 / side as f64,
            (self.max_y - self.min_y) * 1.000_001 / side as f64,
        );
        let mut grid = Grid {
            x0: min_x,
            y0: self.min_y,
            cell_w,
            cell_h,
            side,
            cells: vec![Cell::Outside; side * side],
        };
        let mut boundary = vec![false; side * side];
        for (a, b) in &self.edges {
            let (x0, y0) = grid.clamped(Coord {
                x: a.x.min(b.x),
                y: a.y.min(b.y),
            });
            let (x1, y1) = grid.clamped(Coord {
                x: a.x.max(b.x),
                y: a.y.max(b.y),
            });
            for y in y0..=y1 {
                for x in x0..=x1 {
                    boundary[y * side + x] = true;
                }
            }
        }
        for y in 0..side {
            for x in 0..side {
                let index = y * side + x;
                grid.cells[index] = if boundary[index] {
                    Cell::Boundary
                } else {
                    let center = Coord {
                        x: grid.x0 + (x as f64 + 0.5) * cell_w,
                        y: grid.y0 + (y as f64 + 0.5) * cell_h,
                    };
                    if self.contains_exactly(center) {
                        Cell::Inside
                    } else {
                        Cell::Outside
                    }
                };
            }
        }
        Some(grid)
    }

    /// Whether `p` is inside the polygon or on its boundary.
    fn contains(&self, p: Coord) -> bool {
        if let Some(grid) = &self.grid {
            match grid.cell_of(p).map(|(x, y)| grid.cells[y * grid.side + x]) {
                None | Some(Cell::Outside) => return false,
                Some(Cell::Inside) => return true,
                Some(Cell::Boundary) => {}
            }
        }
        self.contains_exactly(p)
    }

    /// The edge test alone.
    fn contains_exactly(&self, p: Coord) -> bool {
        if !(self.min_y..=self.max_y).contains(&p.y) {
            return false;
        }
        let bands = self.band_starts.len() - 1;
        let band = (((p.y - self.min_y) / self.band_height) as usize).min(bands - 1);
        let range = self.band_starts[band] as usize..self.band_starts[band + 1] as usize;
        let mut crossings_to_the_right = 0u32;
        for &edge in &self.band_edges[range] {
            let (a, b) = self.edges[edge as usize];
            if crosses(a, b, p, &mut crossings_to_the_right) {
                return true;
            }
        }
        crossings_to_the_right % 2 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coordinate_position::{CoordPos, CoordinatePosition};
    use geo::{coord, polygon};

    fn agrees_with_geo(polygon: &Polygon, p: Coord) {
        let expected = polygon.coordinate_position(&p) != CoordPos::Outside;
        assert_eq!(
            PreparedPolygon::new(polygon).contains(polygon, p),
            expected,
            "at {p:?}"
        );
    }

    #[test]
    fn inside_outside_on_the_boundary_and_in_a_hole() {
        let square = polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.)],
            interiors: [[(x: 4., y: 4.), (x: 6., y: 4.), (x: 6., y: 6.), (x: 4., y: 6.)]],
        );
        let prepared = PreparedPolygon::new(&square);
        assert!(prepared.contains(&square, coord! { x: 1.0, y: 1.0 }));
        assert!(!prepared.contains(&square, coord! { x: 11.0, y: 1.0 }));
        assert!(
            !prepared.contains(&square, coord! { x: 5.0, y: 5.0 }),
            "in the hole"
        );
        assert!(
            prepared.contains(&square, coord! { x: 0.0, y: 5.0 }),
            "on an edge"
        );
        assert!(
            prepared.contains(&square, coord! { x: 10.0, y: 10.0 }),
            "on a corner"
        );
        assert!(
            prepared.contains(&square, coord! { x: 4.0, y: 5.0 }),
            "on the hole's edge"
        );
    }

    /// A large ring takes the grid's shortcut; its answers must not change.
    #[test]
    fn the_grid_agrees_with_the_edge_test() {
        let ring: Vec<(f64, f64)> = (0..2000)
            .map(|i| {
                let angle = f64::from(i) / 2000.0 * std::f64::consts::TAU;
                let r = 1.0 + 0.3 * (7.0 * angle).sin();
                (r * angle.cos(), r * angle.sin())
            })
            .collect();
        let star = Polygon::new(ring.into(), vec![]);
        let prepared = PreparedPolygon::new(&star);
        let Kind::Banded(banded) = &prepared.0 else {
            panic!("2 000 edges are banded")
        };
        assert!(banded.grid.is_some());
        for i in 0..10_000 {
            let p = coord! { x: -1.5 + 3.0 * f64::from(i % 100) / 99.0, y: -1.5 + 3.0 * f64::from(i / 100) / 99.0 };
            assert_eq!(
                prepared.contains(&star, p),
                banded.contains_exactly(p),
                "at {p:?}"
            );
            agrees_with_geo(&star, p);
        }
        for c in star.exterior().coords() {
            assert!(prepared.contains(&star, *c), "vertex {c:?}");
        }
    }

    /// Small polygons (tested edge by edge) and banded ones answer alike, and as geo does,
    /// holes and boundaries included.
    #[test]
    fn small_and_banded_polygons_agree_with_geo() {
        let ring = |n: u32, r: f64, c: f64| -> Vec<(f64, f64)> {
            (0..n)
                .map(|i| {
                    let angle = f64::from(i) / f64::from(n) * std::f64::consts::TAU;
                    (c + r * angle.cos(), c + r * angle.sin())
                })
                .collect()
        };
        for edges in [6, 31, 33, 120] {
            let polygon =
                Polygon::new(ring(edges, 4.0, 5.0).into(), vec![ring(5, 1.0, 5.0).into()]);
            let prepared = PreparedPolygon::new(&polygon);
            assert_eq!(
                matches!(prepared.0, Kind::Small),
                edges + 5 <= SMALL_EDGES as u32,
                "{edges} edges"
            );
            assert_eq!(prepared.edges(&polygon).count(), edges as usize + 5);
            for i in 0..2500 {
                let p = coord! { x: 0.2 * f64::from(i % 50), y: 0.2 * f64::from(i / 50) };
                agrees_with_geo(&polygon, p);
            }
            for c in polygon
                .exterior()
                .coords()
                .chain(polygon.interiors()[0].coords())
            {
                assert!(prepared.contains(&polygon, *c), "vertex {c:?} of {edges}");
            }
        }
    }

    /// A ray through a vertex must not count it twice.
    #[test]
    fn a_query_level_with_a_vertex_is_counted_once() {
        let diamond = polygon![(x: 0., y: 5.), (x: 5., y: 0.), (x: 10., y: 5.), (x: 5., y: 10.)];
        for x in [-1.0, 1.0, 5.0, 9.0, 11.0] {
            agrees_with_geo(&diamond, coord! { x: x, y: 5.0 });
        }
        let comb = polygon![
            (x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 4.), (x: 8., y: 2.),
            (x: 6., y: 4.), (x: 4., y: 2.), (x: 2., y: 4.), (x: 0., y: 4.)
        ];
        for x in [-1.0, 1.0, 3.0, 5.0, 7.0, 9.0, 11.0] {
            for y in [2.0, 3.0, 4.0] {
                agrees_with_geo(&comb, coord! { x: x, y: y });
            }
        }
    }
}
