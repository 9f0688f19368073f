//! What the atlas refuses, changes or leaves out, what it says then and the exit code that
//! follows: one table, made into README's and the man page's, with each message produced by
//! the code that says it (a problem's value, a note's function, the GeoJSON reader run on a
//! sample), so that the table cannot drift from what a user sees.

use std::path::Path;

use super::exit::Outcome;
use crate::geodata::Problem;
use crate::geodata::fault::Fault;
use crate::geodata::kept::{self, KeptAside};
use crate::model::Text;

/// One row: the situation, what stderr (and the window) says, the exit code of `identify`,
/// `export` and `validate` (`None`: the window's alone).
pub struct Refusal {
    pub situation: &'static str,
    pub said: String,
    pub outcome: Option<Outcome>,
}

fn row(situation: &'static str, said: impl Into<String>, outcome: Option<Outcome>) -> Refusal {
    Refusal {
        situation,
        said: said.into(),
        outcome,
    }
}

impl Refusal {
    /// The exit code as the tables write it.
    pub fn code(&self) -> String {
        self.outcome
            .map_or_else(|| "— (window)".to_string(), |o| o.code().to_string())
    }
}

fn kept(role: kept::Role, path: &str, why: &str) -> String {
    KeptAside {
        role,
        path: path.into(),
        copy: format!("{path}.bad-2026-12-05").into(),
        why: Text::new(why, why),
    }
    .message()
    .en
}

/// Every refusal and note, with an example of its words.
pub fn all() -> Vec<Refusal> {
    let data_problems = Some(Outcome::DataProblems);
    let file = |problem: Problem| format!("FILE: {}", problem.english());
    let duplicate = crate::geodata::read::parse(
        "{\"type\": \"FeatureCollection\", \"features\": [],\n \"type\": \"Feature\"}",
    )
    .err()
    .map_or_else(String::new, &file);
    vec![
        row(
            "a file larger than the limit",
            file(Problem::TooLarge {
                megabytes: 300,
                limit: crate::geodata::MAX_FILE_BYTES / 1_048_576,
            }),
            data_problems,
        ),
        row(
            "a GeoJSON object with a member named twice",
            duplicate,
            data_problems,
        ),
        row(
            "a feature property (GeoJSON) or ExtendedData field (KML) named twice: that feature is left out",
            format!(
                "FILE: feature 3 (line 5): {} — {}",
                Fault::PropertiesUnreadable.text().en,
                twice_named()
            ),
            data_problems,
        ),
        row(
            "a `bbox` that is not 4 or 6 numbers",
            file(Problem::BadBbox {
                written: "[104.0, 30.0, 105.0]".into(),
            }),
            data_problems,
        ),
        row(
            "JSON nested too deep (serde_json's limit of 128)",
            file(Problem::JsonAt {
                line: 1,
                column: 129,
                detail: crate::geodata::read::problems::plain(
                    &serde_json::from_str::<serde_json::Value>(&"[".repeat(200)).expect_err("deep"),
                ),
            }),
            data_problems,
        ),
        row(
            "a KML nested deeper than the limit",
            file(Problem::XmlTooDeep {
                limit: crate::geodata::user::MAX_DEPTH_XML,
            }),
            data_problems,
        ),
        row(
            "a zip member whose name leads out of the archive (zip-slip)",
            file(Problem::ZipMemberOutside {
                archive: "KMZ",
                name: "../../etc/doc.kml".into(),
            }),
            data_problems,
        ),
        row(
            "a zip member that unpacks past the limit (a zip bomb; refused from its header, nothing unpacked)",
            file(Problem::ZipMemberTooLarge {
                name: "doc.kml".into(),
                megabytes: crate::geodata::MAX_FILE_BYTES / 1_048_576,
            }),
            data_problems,
        ),
        row(
            "features whose geometry cannot be read (each costs only itself)",
            format!(
                "FILE: 3 features: {} — first: …",
                Fault::CoordinatesOutOfRange.text().en
            ),
            data_problems,
        ),
        row(
            "a table whose longitude and latitude columns are exchanged (swapped by their values)",
            format!(
                "FILE: {}",
                crate::geodata::user::notes::coordinate_columns("lat", "lon", true).en
            ),
            data_problems,
        ),
        row(
            "a KML NetworkLink (not followed)",
            format!(
                "FILE: {}",
                crate::geodata::user::notes::network_links_not_followed(2).en
            ),
            data_problems,
        ),
        row(
            "basemap tiles that cannot be decoded (export)",
            crate::export::tiles_failed(
                Path::new("PACKAGE.mbtiles"),
                12,
                "tiles",
                11,
                "left blank",
                "11/1628/847",
                "broken Png image (unexpected end of file)",
            ),
            data_problems,
        ),
        row(
            "an unreadable saved state (window)",
            kept(kept::Role::State, "state.json", "not text (not UTF-8)"),
            None,
        ),
        row(
            "an unreadable corrections file (window; `validate --corrections` exits 1)",
            kept(
                kept::Role::Corrections,
                "corrections.toml",
                "line 3, column 11: invalid fraction, expected digits",
            ),
            None,
        ),
        row(
            "an unreadable tour file (window)",
            kept(kept::Role::Tour, "tours/mine.toml", "line 1, column 9: …"),
            None,
        ),
        row(
            "an unreadable workspace (window: copied; `export --workspace` exits 1)",
            kept(kept::Role::Workspace, "team.toml", "line 3, column 7: …"),
            None,
        ),
    ]
}

/// What the GeoJSON reader says of a property named twice, from the reader itself.
fn twice_named() -> String {
    let sample =
        "{\"type\": \"Feature\", \"properties\": {\"name\": 1, \"name\": 2}, \"geometry\": null}";
    crate::geodata::read::parse(sample)
        .ok()
        .and_then(|document| document.features.first()?.parse_properties().err())
        .map_or_else(String::new, |said| said.en)
}
