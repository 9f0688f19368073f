//! The journal of a layer's unsaved edits: each edit appended, as it is made, to a file in the
//! `recovery` folder beside the state (one line of JSON a step, after a header naming the
//! layer's file and its size and time when the edits began). A crash or a kill loses nothing:
//! the next start reads the journals left behind, opens each layer's file again and replays its
//! steps (a sketch is replayed onto an empty layer). Appending costs one feature's line an edit,
//! however big the layer; a file changed since its edits began is not replayed (the steps would
//! land on the wrong features) but kept aside and said. Saved or dropped, a layer's journal goes.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::state::SavedUserLayer;
use crate::model::edit::FeatureEdit;
use crate::model::{Atlas, Feature, LayerId, Shape};

/// The folder beside the state that holds the journals.
pub const FOLDER: &str = "recovery";

const FORMAT: &str = "chengyu-atlas edits";
const VERSION: u32 = 1;

/// The first line of a journal: whose it is and which layer it edits.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    /// The process that writes it (a journal of a running atlas is not another's to recover).
    pid: u32,
    /// The layer's title when its edits began.
    title: String,
    /// The layer's file, datum and style; `None` for a sketch, which is in no file.
    layer: Option<SavedUserLayer>,
    /// The file's size and time when its edits began.
    stamp: Option<Stamp>,
}

/// A file's size and modification time: whether it is still the file the edits were made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    seconds: u64,
    nanos: u32,
}

impl Stamp {
    /// The file's stamp now; `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        let since = metadata
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some(Self {
            size: metadata.len(),
            seconds: since.as_secs(),
            nanos: since.subsec_nanos(),
        })
    }
}

/// One step: the feature at `index` inserted, replaced or removed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Step {
    index: u32,
    #[serde(rename = "do")]
    act: Act,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    feature: Option<Recorded>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Act {
    Insert,
    Replace,
    Remove,
}

/// A feature as the journal keeps it: its id, its values by field name (the empty ones left
/// out), and its shape with every coordinate exact (JSON's shortest form of an f64 reads back
/// to the same bits: a vertex snapped to a zone's stays that vertex).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Recorded {
    id: String,
    values: Vec<(String, String)>,
    geometry: Geometry,
}

type Ring = Vec<[Exact; 2]>;

/// A coordinate written as JSON writes an f64 (its shortest form that reads back the same) and
/// read with Rust's exact parser (serde_json's own may miss by a unit in the last place).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
struct Exact(f64);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: &serde_json::value::RawValue = Deserialize::deserialize(deserializer)?;
        raw.get()
            .parse()
            .map(Exact)
            .map_err(|_| serde::de::Error::custom(format!("{} is not a number", raw.get())))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Geometry {
    Point([Exact; 2]),
    Lines(Vec<Ring>),
    Area(Vec<Vec<Ring>>),
}

impl Geometry {
    fn of(shape: &Shape) -> Self {
        let ring =
            |line: &geo::LineString| line.0.iter().map(|c| [Exact(c.x), Exact(c.y)]).collect();
        match shape {
            Shape::Point(point) => Geometry::Point([Exact(point.x()), Exact(point.y())]),
            Shape::Lines(lines) => Geometry::Lines(lines.0.iter().map(ring).collect()),
            Shape::Area(area) => Geometry::Area(
                area.0
                    .iter()
                    .map(|polygon| {
                        std::iter::once(polygon.exterior())
                            .chain(polygon.interiors())
                            .map(ring)
                            .collect()
                    })
                    .collect(),
            ),
        }
    }

    fn shape(&self) -> Option<Shape> {
        let line = |ring: &Ring| -> geo::LineString {
            ring.iter()
                .map(|[x, y]| geo::coord! { x: x.0, y: y.0 })
                .collect()
        };
        Some(match self {
            Geometry::Point([x, y]) => Shape::Point(geo::Point::new(x.0, y.0)),
            Geometry::Lines(lines) => Shape::Lines(lines.iter().map(line).collect()),
            Geometry::Area(polygons) => Shape::Area(
                polygons
                    .iter()
                    .map(|rings| {
                        let (exterior, interiors) = rings.split_first()?;
                        Some(geo::Polygon::new(
                            line(exterior),
                            interiors.iter().map(line).collect(),
                        ))
                    })
                    .collect::<Option<Vec<_>>>()?
                    .into(),
            ),
        })
    }
}

/// The journals this run writes, one per layer with unsaved edits.
#[derive(Debug, Default)]
pub struct Journals {
    /// The `recovery` folder; `None` when the state is kept nowhere (nothing is journalled).
    folder: Option<PathBuf>,
    open: Vec<Open>,
    /// Journals made this run, for their names.
    made: u32,
    /// A write failed: said once on stderr, not at every edit.
    failed: bool,
}

#[derive(Debug)]
struct Open {
    layer: LayerId,
    path: PathBuf,
    file: std::fs::File,
}

impl Journals {
    pub fn new(folder: Option<PathBuf>) -> Self {
        Self {
            folder,
            ..Self::default()
        }
    }

    /// Appends `edits` to the journals of their layers, starting one for a layer edited for
    /// the first time since it was read or saved (its header from `openings`: each layer's
    /// file as the state would reopen it; a sketch has none).
    pub fn record(
        &mut self,
        atlas: &Atlas,
        edits: &[FeatureEdit],
        openings: &[(LayerId, SavedUserLayer)],
    ) {
        // A run that keeps no state (a test, a throwaway window) keeps no journal either.
        if self.folder.is_none() {
            return;
        }
        for edit in edits {
            let step = Step {
                index: edit.index,
                act: match (&edit.before, &edit.after) {
                    (None, _) => Act::Insert,
                    (Some(_), Some(_)) => Act::Replace,
                    (Some(_), None) => Act::Remove,
                },
                feature: edit
                    .after
                    .as_ref()
                    .map(|feature| recorded(atlas, edit.layer, feature)),
            };
            let line = serde_json::to_string(&step).unwrap_or_default();
            let written = self
                .journal_of(atlas, edit.layer, openings)
                .and_then(|open| writeln!(open.file, "{line}"));
            if let Err(error) = written
                && !self.failed
            {
                self.failed = true;
                eprintln!("chengyu-atlas: the journal of unsaved edits cannot be written: {error}");
            }
        }
    }

    fn journal_of(
        &mut self,
        atlas: &Atlas,
        layer: LayerId,
        openings: &[(LayerId, SavedUserLayer)],
    ) -> std::io::Result<&mut Open> {
        if let Some(at) = self.open.iter().position(|o| o.layer == layer) {
            return Ok(&mut self.open[at]);
        }
        let opening = atlas
            .user_layer(layer)
            .filter(|info| !info.sketch)
            .and_then(|_| openings.iter().find(|(id, _)| *id == layer))
            .map(|(_, saved)| saved.clone());
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            pid: std::process::id(),
            title: atlas
                .user_layer(layer)
                .map(|info| info.name.clone())
                .unwrap_or_default(),
            stamp: opening.as_ref().and_then(|o| Stamp::of(&o.path)),
            layer: opening,
        };
        self.start(layer, &header, &[])
    }

    /// A new journal for `layer`: the header, then `steps` (lines of an earlier journal).
    fn start(
        &mut self,
        layer: LayerId,
        header: &Header,
        steps: &[String],
    ) -> std::io::Result<&mut Open> {
        let folder = self
            .folder
            .as_ref()
            .ok_or_else(|| std::io::Error::other("the state is kept nowhere"))?;
        std::fs::create_dir_all(folder)?;
        self.made += 1;
        let path = folder.join(format!("edits-{}-{}.jsonl", std::process::id(), self.made));
        let mut file = std::fs::File::create(&path)?;
        let mut text = serde_json::to_string(header).map_err(std::io::Error::other)?;
        text.push('\n');
        for step in steps {
            text.push_str(step);
            text.push('\n');
        }
        file.write_all(text.as_bytes())?;
        self.open.push(Open { layer, path, file });
        Ok(self.open.last_mut().expect("just pushed"))
    }

    /// The layer's edits are saved or dropped: its journal goes.
    pub fn forget(&mut self, layer: LayerId) {
        if let Some(at) = self.open.iter().position(|o| o.layer == layer) {
            let open = self.open.remove(at);
            let _ = std::fs::remove_file(open.path);
        }
    }

    /// Every unsaved edit dropped (closing without saving).
    pub fn forget_all(&mut self) {
        for open in self.open.drain(..) {
            let _ = std::fs::remove_file(open.path);
        }
    }

    /// Whether `layer` has a journal this run.
    pub fn has(&self, layer: LayerId) -> bool {
        self.open.iter().any(|o| o.layer == layer)
    }

    /// Takes `found` over for `layer` (replayed onto it): its steps continue in a journal of
    /// this run, and its file goes, so that a second crash loses nothing either.
    pub fn adopt(&mut self, layer: LayerId, found: Found) {
        let header = Header {
            pid: std::process::id(),
            ..found.header.clone()
        };
        match self.start(layer, &header, &found.lines) {
            Ok(_) => {
                let _ = std::fs::remove_file(&found.path);
            }
            Err(error) => {
                eprintln!(
                    "chengyu-atlas: the journal {} stays: {error}",
                    found.path.display()
                )
            }
        }
    }
}

fn recorded(atlas: &Atlas, layer: LayerId, feature: &Feature) -> Recorded {
    let values = match (atlas.user_layer(layer), feature.user()) {
        (Some(info), Some(user)) => info
            .fields
            .iter()
            .zip(&user.values)
            .filter(|(_, value)| !value.is_empty())
            .map(|(field, value)| (field.clone(), value.to_string()))
            .collect(),
        _ => Vec::new(),
    };
    Recorded {
        id: feature.id.clone(),
        values,
        geometry: Geometry::of(&feature.shape),
    }
}

/// A journal a run left behind (it crashed, or was killed).
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    header: Header,
    steps: Vec<Step>,
    /// The steps' lines as written (carried into this run's journal when adopted).
    lines: Vec<String>,
}

impl Found {
    /// The layer's title when its edits began.
    pub fn title(&self) -> &str {
        &self.header.title
    }

    /// The layer's file as the state would reopen it; `None` for a sketch.
    pub fn layer(&self) -> Option<&SavedUserLayer> {
        self.header.layer.as_ref()
    }

    /// How many steps it holds.
    pub fn steps(&self) -> usize {
        self.steps.len()
    }

    /// Whether the layer's file is still the one the edits were made on (a sketch has none).
    pub fn file_unchanged(&self) -> bool {
        match &self.header.layer {
            None => true,
            Some(layer) => {
                self.header.stamp.is_some() && Stamp::of(&layer.path) == self.header.stamp
            }
        }
    }

    /// Replays the steps onto `layer` (its file read again, or an empty sketch), in order;
    /// how many could be (a step that does not fit the layer stops the replay: those after it
    /// were made on what it made).
    pub fn replay(&self, atlas: &mut Atlas, layer: LayerId) -> usize {
        for (done, step) in self.steps.iter().enumerate() {
            if !replay_step(atlas, layer, step) {
                return done;
            }
        }
        self.steps.len()
    }
}

fn replay_step(atlas: &mut Atlas, layer: LayerId, step: &Step) -> bool {
    let after = match &step.feature {
        Some(recorded) => {
            let Some(shape) = recorded.geometry.shape() else {
                return false;
            };
            let Some(info) = atlas.user_layer_mut(layer) else {
                return false;
            };
            // A field the edits brought (a note's size, colour and halo) joins the layer.
            for (field, _) in &recorded.values {
                if info.field_index(field).is_none() {
                    info.fields.push(field.clone());
                }
            }
            let mut values = vec![String::new(); info.fields.len()];
            for (field, value) in &recorded.values {
                if let Some(column) = info.field_index(field) {
                    values[column] = value.clone();
                }
            }
            Some(crate::geodata::user::restored_feature(
                info,
                &recorded.id,
                values,
                shape,
            ))
        }
        None => None,
    };
    let Some(features) = atlas.layer(layer).map(|l| &l.features) else {
        return false;
    };
    let before = match step.act {
        Act::Insert => None,
        Act::Replace | Act::Remove => match features.get(step.index as usize) {
            Some(feature) => Some(feature.into_owned()),
            None => return false,
        },
    };
    if (step.act == Act::Remove) != after.is_none() {
        return false;
    }
    atlas.apply_edit(&FeatureEdit {
        layer,
        index: step.index,
        before,
        after,
    })
}

/// The journals in `folder` that no running atlas writes, oldest first; each one that cannot
/// be read as a journal is returned apart with why.
pub fn left_behind(folder: &Path) -> (Vec<Found>, Vec<(PathBuf, String)>) {
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return (found, unreadable);
    };
    let mut paths: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .map(|path| {
            let time = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (time, path)
        })
        .collect();
    paths.sort();
    for (_, path) in paths {
        match read(&path) {
            Ok(journal)
                if journal.header.pid != std::process::id() && running(journal.header.pid) => {}
            Ok(journal) => found.push(journal),
            Err(why) => unreadable.push((path, why)),
        }
    }
    (found, unreadable)
}

fn read(path: &Path) -> Result<Found, String> {
    let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
    let mut lines = text.lines();
    let header: Header = lines
        .next()
        .ok_or("empty")
        .and_then(|line| serde_json::from_str(line).map_err(|_| "no journal header"))?;
    if header.format != FORMAT {
        return Err(format!("not a journal of edits ({})", header.format));
    }
    if header.version > VERSION {
        return Err(format!(
            "written by a newer atlas (version {})",
            header.version
        ));
    }
    let mut steps = Vec::new();
    let mut kept = Vec::new();
    for line in lines {
        // The last line may be torn (the process died while writing it): the steps before it
        // stand.
        let Ok(step) = serde_json::from_str::<Step>(line) else {
            break;
        };
        steps.push(step);
        kept.push(line.to_string());
    }
    Ok(Found {
        path: path.to_path_buf(),
        header,
        steps,
        lines: kept,
    })
}

/// Whether process `pid` is running (on Linux, where /proc says; elsewhere a journal is
/// taken as left behind, as a second atlas on one state folder is rare there).
fn running(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_come_back_bit_for_bit_and_a_torn_line_ends_the_steps() {
        let shape = Shape::Area(geo::MultiPolygon::new(vec![geo::Polygon::new(
            geo::LineString::from(vec![
                (106.1 + 1e-13, 29.3),
                (106.2, 29.3 - 1e-12),
                (0.1 + 0.2, 29.4),
                (106.1 + 1e-13, 29.3),
            ]),
            vec![],
        )]));
        let text = serde_json::to_string(&Geometry::of(&shape)).expect("written");
        let back: Geometry = serde_json::from_str(&text).expect("read");
        assert_eq!(back.shape(), Some(shape));

        let dir = std::env::temp_dir().join(format!("chengyu-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("edits-1-1.jsonl");
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            pid: u32::MAX,
            title: "草图".into(),
            layer: None,
            stamp: None,
        };
        let step = Step {
            index: 0,
            act: Act::Insert,
            feature: Some(Recorded {
                id: "地标 1".into(),
                values: vec![("name".into(), "地标 1".into())],
                geometry: Geometry::Point([Exact(106.3), Exact(29.5)]),
            }),
        };
        let line = serde_json::to_string(&step).expect("step");
        let torn = &line[..line.len() / 2];
        std::fs::write(
            &path,
            format!(
                "{}\n{line}\n{torn}",
                serde_json::to_string(&header).expect("header")
            ),
        )
        .expect("write");
        let (found, unreadable) = left_behind(&dir);
        assert!(unreadable.is_empty(), "{unreadable:?}");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].title(), found[0].steps()), ("草图", 1));
        std::fs::write(&path, "{\"format\": \"something else\"}\n").expect("write");
        let (found, unreadable) = left_behind(&dir);
        assert!(found.is_empty() && unreadable.len() == 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
