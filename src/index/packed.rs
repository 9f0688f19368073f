//! Points in a static k-d tree packed in one flat array (the layout of Mapbox's KDBush): the
//! items sorted so that each range's middle one splits it by longitude, then by latitude,
//! alternately, down to small leaves scanned whole. The items are the tree: a million points
//! take their own 24 bytes each (a position and an index) and a cluster its own 32, where an
//! R-tree's nodes took several times that beside them; the index of a big point layer is built
//! once and never changed, so a static tree is all it needs. A layer's points need not even be
//! copied: [`PackedIndices`] orders their indices and reads the positions the layer keeps.

/// Leaves hold at most this many points (scanned one by one).
const LEAF: usize = 64;

/// What the tree holds: anything with a position (lon/lat).
pub trait Located {
    fn at(&self) -> [f64; 2];
}

impl Located for ([f64; 2], u32) {
    fn at(&self) -> [f64; 2] {
        self.0
    }
}

#[derive(Debug, Clone)]
pub struct PackedPoints<T = ([f64; 2], u32)> {
    items: Vec<T>,
}

impl<T> Default for PackedPoints<T> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<T: Located> PackedPoints<T> {
    /// The tree of `items`, which it keeps in its own order.
    pub fn new(mut items: Vec<T>) -> Self {
        items.shrink_to_fit();
        sort(&mut items, 0, &T::at);
        Self { items }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every item within the box from `min` to `max` (edges included), in no set order.
    pub fn within(&self, min: [f64; 2], max: [f64; 2]) -> Within<'_, T, fn(&T) -> [f64; 2]> {
        Within::new(&self.items, min, max, T::at)
    }
}

/// Positions held elsewhere (a layer's own, shared), in the same tree: only their indices are
/// its items, four bytes a point.
#[derive(Debug, Clone, Default)]
pub struct PackedIndices {
    indices: Vec<u32>,
    positions: Positions,
}

pub use crate::model::table::Positions;

impl PackedIndices {
    /// The tree of the positions at `indices` (each within `positions`).
    pub fn new(mut indices: Vec<u32>, positions: Positions) -> Self {
        indices.retain(|&i| (i as usize) < positions.len());
        indices.shrink_to_fit();
        sort(&mut indices, 0, &|&i: &u32| positions[i as usize]);
        Self { indices, positions }
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The position of index `index`.
    pub fn at(&self, index: u32) -> [f64; 2] {
        self.positions
            .get(index as usize)
            .copied()
            .unwrap_or([f64::NAN; 2])
    }

    /// Every index whose position is within the box from `min` to `max` (edges included).
    pub fn within(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = u32> + '_ {
        let positions = &self.positions;
        Within::new(&self.indices, min, max, move |&i: &u32| {
            positions[i as usize]
        })
        .copied()
    }
}

fn inside(at: [f64; 2], min: [f64; 2], max: [f64; 2]) -> bool {
    at[0] >= min[0] && at[0] <= max[0] && at[1] >= min[1] && at[1] <= max[1]
}

/// Sorts `items` into the tree's order: the middle one splits the rest on `axis`, each half
/// sorted so on the other axis, down to leaves.
fn sort<T>(items: &mut [T], axis: usize, at: &impl Fn(&T) -> [f64; 2]) {
    if items.len() <= LEAF {
        return;
    }
    let middle = items.len() / 2;
    items.select_nth_unstable_by(middle, |a, b| at(a)[axis].total_cmp(&at(b)[axis]));
    let (left, rest) = items.split_at_mut(middle);
    sort(left, 1 - axis, at);
    sort(&mut rest[1..], 1 - axis, at);
}

/// The items in a box, found as the tree is walked: ranges still to look in (start, end,
/// axis) and the leaf being scanned.
pub struct Within<'a, T, F> {
    items: &'a [T],
    at: F,
    min: [f64; 2],
    max: [f64; 2],
    stack: Vec<(usize, usize, usize)>,
    leaf: std::ops::Range<usize>,
}

impl<'a, T, F: Fn(&T) -> [f64; 2]> Within<'a, T, F> {
    fn new(items: &'a [T], min: [f64; 2], max: [f64; 2], at: F) -> Self {
        let mut stack = Vec::with_capacity(64);
        if !items.is_empty() {
            stack.push((0, items.len(), 0));
        }
        Within {
            items,
            at,
            min,
            max,
            stack,
            leaf: 0..0,
        }
    }
}

impl<'a, T, F: Fn(&T) -> [f64; 2]> Iterator for Within<'a, T, F> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let items = self.items;
        loop {
            for at in self.leaf.by_ref() {
                if inside((self.at)(&items[at]), self.min, self.max) {
                    return Some(&items[at]);
                }
            }
            let (start, end, axis) = self.stack.pop()?;
            if end - start <= LEAF {
                self.leaf = start..end;
                continue;
            }
            // As `sort` split it: the middle item, the half before it, the half after.
            let middle = start + (end - start) / 2;
            let split = (self.at)(&items[middle])[axis];
            if self.max[axis] >= split {
                self.stack.push((middle + 1, end, 1 - axis));
            }
            if self.min[axis] <= split {
                self.stack.push((start, middle, 1 - axis));
            }
            if inside((self.at)(&items[middle]), self.min, self.max) {
                return Some(&items[middle]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scrambled grid with repeated positions and points on the box's edges.
    fn points(count: u32) -> Vec<([f64; 2], u32)> {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        (0..count)
            .map(|id| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let x = (state % 1000) as f64 / 10.0;
                let y = ((state >> 20) % 1000) as f64 / 10.0;
                ([103.0 + x / 20.0, 28.0 + y / 30.0], id)
            })
            .collect()
    }

    #[test]
    fn a_box_finds_exactly_the_points_a_scan_finds() {
        let all = points(20_000);
        let tree = PackedPoints::new(all.clone());
        assert_eq!(tree.len(), all.len());
        for (min, max) in [
            ([104.0, 29.0], [105.0, 30.0]),
            // Edges on grid values: points on them count.
            ([103.5, 28.5], [103.5, 31.0]),
            ([100.0, 20.0], [110.0, 40.0]),
            ([90.0, 10.0], [91.0, 11.0]),
            ([104.2, 29.1], [104.2, 29.1]),
        ] {
            let mut found: Vec<u32> = tree.within(min, max).map(|(_, id)| *id).collect();
            found.sort_unstable();
            let mut scanned: Vec<u32> = all
                .iter()
                .filter(|([x, y], _)| *x >= min[0] && *x <= max[0] && *y >= min[1] && *y <= max[1])
                .map(|(_, id)| *id)
                .collect();
            scanned.sort_unstable();
            assert_eq!(found, scanned, "box {min:?}–{max:?}");
        }
        // Every point is found at its own position, with its position.
        for &(at, id) in all.iter().step_by(997) {
            assert!(tree.within(at, at).any(|&(p, i)| i == id && p == at));
        }
    }

    #[test]
    fn indices_of_shared_positions_find_what_the_items_find() {
        let all = points(20_000);
        let positions: Positions = std::sync::Arc::new(all.iter().map(|(at, _)| *at).collect());
        // Every third point indexed (the others are a layer's areas, say).
        let tree = PackedIndices::new((0..20_000).step_by(3).collect(), positions);
        for (min, max) in [
            ([104.0, 29.0], [105.0, 30.0]),
            ([103.5, 28.5], [103.5, 31.0]),
        ] {
            let mut found: Vec<u32> = tree.within(min, max).collect();
            found.sort_unstable();
            let scanned: Vec<u32> = all
                .iter()
                .filter(|(at, id)| id % 3 == 0 && inside(*at, min, max))
                .map(|(_, id)| *id)
                .collect();
            assert_eq!(found, scanned, "box {min:?}–{max:?}");
        }
        assert_eq!(tree.at(3), all[3].0);
    }

    #[test]
    fn small_and_empty_trees_answer_too() {
        let empty: PackedPoints = PackedPoints::default();
        assert_eq!(empty.within([0.0; 2], [1e9; 2]).count(), 0);
        let few = PackedPoints::new(points(10));
        assert_eq!(few.within([0.0; 2], [1e9; 2]).count(), 10);
    }
}
