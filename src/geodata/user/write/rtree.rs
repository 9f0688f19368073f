//! A GeoPackage's R-tree written whole: SQLite's R-tree module keeps its nodes in three shadow
//! tables (`_node`, `_rowid`, `_parent`), and a tree packed from the envelopes at once (sort-
//! tile-recursive, nodes full) is written into them directly, as GDAL does since 3.7. Inserting
//! a million envelopes one by one through the virtual table took half of writing a
//! million-point GeoPackage; the tree packed here is also tighter than one grown by inserts.
//! SQLite's own `rtreecheck()` accepts it (tested), and it reads and updates it as its own.

use rusqlite::{Transaction, params};

/// Bytes of a cell: its id (a row's, or a child node's number) and four 32-bit floats.
const CELL_BYTES: usize = 8 + 4 * 4;

/// An envelope in the R-tree's own precision: its minimums rounded down and maximums up to
/// 32-bit floats, as SQLite rounds what it is given (so that a box still holds its shape).
#[derive(Debug, Clone, Copy)]
struct Envelope {
    min_x: f32,
    max_x: f32,
    min_y: f32,
    max_y: f32,
}

impl Envelope {
    fn of(rect: &geo::Rect) -> Self {
        Self {
            min_x: down(rect.min().x),
            max_x: up(rect.max().x),
            min_y: down(rect.min().y),
            max_y: up(rect.max().y),
        }
    }

    fn union(self, other: Self) -> Self {
        Self {
            min_x: self.min_x.min(other.min_x),
            max_x: self.max_x.max(other.max_x),
            min_y: self.min_y.min(other.min_y),
            max_y: self.max_y.max(other.max_y),
        }
    }

    fn centre(&self) -> (f32, f32) {
        (
            self.min_x / 2.0 + self.max_x / 2.0,
            self.min_y / 2.0 + self.max_y / 2.0,
        )
    }
}

fn down(v: f64) -> f32 {
    let f = v as f32;
    if f64::from(f) > v { f.next_down() } else { f }
}

fn up(v: f64) -> f32 {
    let f = v as f32;
    if f64::from(f) < v { f.next_up() } else { f }
}

/// A node's cell: a row's id or a child node's number, and its envelope.
type Cell = (i64, Envelope);

/// The rows of an R-tree to be written: each one's id and envelope.
#[derive(Default)]
pub struct Entries(Vec<Cell>);

impl Entries {
    pub fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    pub fn push(&mut self, id: i64, rect: &geo::Rect) {
        self.0.push((id, Envelope::of(rect)));
    }
}

/// The R-tree virtual table `rtree` (just created, empty) filled with `entries`.
pub fn fill(transaction: &Transaction<'_>, rtree: &str, entries: Entries) -> rusqlite::Result<()> {
    let mut level = entries.0;
    if level.is_empty() {
        return Ok(());
    }
    let shadow = |suffix: &str| format!("\"{}_{suffix}\"", rtree.replace('"', "\"\""));
    // The node size SQLite chose for this file's page size: its root's length.
    let node_bytes: i64 = transaction.query_row(
        &format!(
            "SELECT length(data) FROM {} WHERE nodeno = 1",
            shadow("node")
        ),
        [],
        |row| row.get(0),
    )?;
    let node_bytes = usize::try_from(node_bytes)
        .unwrap_or(0)
        .max(4 + 2 * CELL_BYTES);
    let capacity = ((node_bytes - 4) / CELL_BYTES).max(2);
    let mut node_insert =
        transaction.prepare(&format!("INSERT INTO {} VALUES (?1, ?2)", shadow("node")))?;
    let mut rowid_insert =
        transaction.prepare(&format!("INSERT INTO {} VALUES (?1, ?2)", shadow("rowid")))?;
    let mut parent_insert =
        transaction.prepare(&format!("INSERT INTO {} VALUES (?1, ?2)", shadow("parent")))?;
    let mut next_node: i64 = 2;
    let mut depth: u16 = 0;
    let mut blob = vec![0u8; node_bytes];
    // Each level packed into nodes until one node holds the rest: the root, node 1.
    while level.len() > capacity {
        let nodes = pack(&mut level, capacity);
        let mut above = Vec::with_capacity(nodes.len());
        for cells in nodes {
            let number = next_node;
            next_node += 1;
            encode(&mut blob, 0, cells);
            node_insert.execute(params![number, blob])?;
            for (id, _) in cells {
                if depth == 0 {
                    rowid_insert.execute(params![id, number])?;
                } else {
                    parent_insert.execute(params![id, number])?;
                }
            }
            let envelope = cells
                .iter()
                .map(|(_, e)| *e)
                .reduce(Envelope::union)
                .expect("a node has cells");
            above.push((number, envelope));
        }
        level = above;
        depth += 1;
    }
    for (id, _) in &level {
        if depth == 0 {
            rowid_insert.execute(params![id, 1])?;
        } else {
            parent_insert.execute(params![id, 1])?;
        }
    }
    encode(&mut blob, depth, &level);
    transaction.execute(
        &format!("UPDATE {} SET data = ?1 WHERE nodeno = 1", shadow("node")),
        params![blob],
    )?;
    Ok(())
}

/// `cells` sorted into nodes of at most `capacity` near each other (sort-tile-recursive:
/// vertical slices by the centres' x, each sorted by y and cut into nodes).
fn pack(cells: &mut [Cell], capacity: usize) -> Vec<&[Cell]> {
    let nodes = cells.len().div_ceil(capacity);
    let slices = (nodes as f64).sqrt().ceil() as usize;
    let slice_cells = slices.max(1) * capacity;
    cells.sort_unstable_by(|a, b| a.1.centre().0.total_cmp(&b.1.centre().0));
    for slice in cells.chunks_mut(slice_cells) {
        slice.sort_unstable_by(|a, b| a.1.centre().1.total_cmp(&b.1.centre().1));
    }
    cells
        .chunks(slice_cells)
        .flat_map(|slice| slice.chunks(capacity))
        .collect()
}

/// A node as SQLite stores it: the tree's depth (read from the root only), the number of
/// cells, then each cell's id and envelope, all big-endian; the rest zeros.
fn encode(blob: &mut [u8], depth: u16, cells: &[Cell]) {
    blob.fill(0);
    blob[0..2].copy_from_slice(&depth.to_be_bytes());
    blob[2..4].copy_from_slice(&(cells.len() as u16).to_be_bytes());
    for (i, (id, e)) in cells.iter().enumerate() {
        let at = 4 + i * CELL_BYTES;
        blob[at..at + 8].copy_from_slice(&id.to_be_bytes());
        for (j, v) in [e.min_x, e.max_x, e.min_y, e.max_y].iter().enumerate() {
            let at = at + 8 + 4 * j;
            blob[at..at + 4].copy_from_slice(&v.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Envelopes at random over the circle, some points and some boxes.
    fn envelopes(n: usize) -> Vec<(i64, geo::Rect)> {
        let mut random = crate::test_support::random(0x2545_f491_4f6c_dd1d);
        (0..n)
            .map(|i| {
                let x = 102.0 + 8.0 * random();
                let y = 27.5 + 5.0 * random();
                let size = if i % 3 == 0 { 0.0 } else { 0.05 * random() };
                let rect = geo::Rect::new(
                    geo::coord! { x: x, y: y },
                    geo::coord! { x: x + size, y: y + size / 2.0 },
                );
                (i as i64 * 7 + 1, rect)
            })
            .collect()
    }

    #[test]
    fn sqlite_checks_the_written_tree_and_finds_what_a_scan_finds() {
        for n in [1, 51, 52, 3_000, 20_000] {
            let mut connection = rusqlite::Connection::open_in_memory().expect("db");
            let transaction = connection.transaction().expect("tx");
            transaction
                .execute_batch("CREATE VIRTUAL TABLE t USING rtree(id, minx, maxx, miny, maxy);")
                .expect("rtree");
            let entries = envelopes(n);
            let mut cells = Entries::default();
            for (id, rect) in &entries {
                cells.push(*id, rect);
            }
            fill(&transaction, "t", cells).expect("filled");
            let check: String = transaction
                .query_row("SELECT rtreecheck('t')", [], |row| row.get(0))
                .expect("rtreecheck");
            assert_eq!(check, "ok", "{n} entries");
            // A box's query: the rows whose envelopes meet it, as a scan of the entries says.
            let (x0, x1, y0, y1) = (104.0, 104.7, 29.0, 29.4);
            let mut found: Vec<i64> = transaction
                .prepare("SELECT id FROM t WHERE maxx >= ?1 AND minx <= ?2 AND maxy >= ?3 AND miny <= ?4")
                .expect("query")
                .query_map(params![x0, x1, y0, y1], |row| row.get(0))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("ids");
            found.sort_unstable();
            let expected: Vec<i64> = entries
                .iter()
                .filter(|(_, r)| {
                    r.max().x >= x0 && r.min().x <= x1 && r.max().y >= y0 && r.min().y <= y1
                })
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(found, expected, "{n} entries");
            // SQLite goes on with the tree as its own: a row added and one deleted.
            transaction
                .execute("INSERT INTO t VALUES (-5, 104.1, 104.2, 29.1, 29.2)", [])
                .expect("insert");
            transaction
                .execute("DELETE FROM t WHERE id = ?1", params![entries[0].0])
                .expect("delete");
            let check: String = transaction
                .query_row("SELECT rtreecheck('t')", [], |row| row.get(0))
                .expect("rtreecheck");
            assert_eq!(check, "ok", "{n} entries, edited");
            let count: i64 = transaction
                .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
                .expect("count");
            assert_eq!(count, n as i64);
        }
    }

    #[test]
    fn envelopes_are_rounded_outwards() {
        let v = 106.123_456_789_f64;
        assert!(f64::from(down(v)) <= v && f64::from(up(v)) >= v);
        assert!(f64::from(down(-v)) <= -v && f64::from(up(-v)) >= -v);
        assert_eq!(down(0.5), 0.5);
        assert_eq!(up(0.5), 0.5);
    }
}
