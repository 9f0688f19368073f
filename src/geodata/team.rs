//! Corrections shared through a team's PostGIS schema: every atlas of the team writes its
//! platform and outline corrections and its sketch layers there, with who and when, and reads the others'. The
//! atlas stays a client: PostgreSQL keeps the shared copy, replicates it and settles who
//! wrote first; the atlas keeps its own copy (the corrections file) and an outbox, so that it
//! works offline and sends what waits when the database answers again.
//!
//! Two edits of one thing: the later (by when it was made, not when it arrived) wins. The
//! loser is told — at once, when it is the edit being sent ("changed by 王五 at 10:42 while
//! you edited"), or when its atlas next reads the table, when it was the one written over.
//!
//! The table (`<schema>.atlas_corrections`, one row per thing corrected) has a point or
//! outline column, so that QGIS shows the team's corrections on a map as they are.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::corrections::{Correction, OutlineCorrection};
use super::user::postgis::{self, Address, quoted};
use crate::model::Text;

/// What a correction corrects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A platform's position.
    Platform,
    /// A zone's outline.
    Outline,
    /// A feature of a sketch layer (drawn in the window).
    Sketch,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Platform => "platform",
            Kind::Outline => "outline",
            Kind::Sketch => "sketch",
        }
    }

    fn named(name: &str) -> Option<Kind> {
        match name {
            "platform" => Some(Kind::Platform),
            "outline" => Some(Kind::Outline),
            "sketch" => Some(Kind::Sketch),
            _ => None,
        }
    }
}

/// One edit made here, waiting to be sent.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    pub kind: Kind,
    /// The platform's or zone's id.
    pub key: String,
    /// The correction as JSON; `None`: the correction taken away.
    pub body: Option<Value>,
    /// When it was made (microseconds since 1970, UTC: PostgreSQL's own precision, and
    /// whole, so that it is the same read back from the outbox's file).
    pub made_at: i64,
    /// The revision of this thing the atlas had when it was made (0: none).
    pub base: i64,
}

/// What the atlas last knew of a thing in the shared table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Seen {
    pub revision: i64,
    pub author: String,
}

/// A team's shared corrections, as this atlas knows them: where (a database and a schema),
/// who is writing, how far it has read, and what waits to be sent. Kept as JSON beside the
/// saved state (the address without its password).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Team {
    /// The database's address (a libpq URI, keywords or `service=NAME`).
    pub database: String,
    pub schema: String,
    /// Who this atlas's edits are by (the user's name).
    pub author: String,
    /// The highest revision read.
    #[serde(default)]
    pub revision: i64,
    /// By `kind:key`.
    #[serde(default)]
    pub seen: BTreeMap<String, Seen>,
    #[serde(default)]
    pub outbox: Vec<Edit>,
}

/// A change read from the table, to apply here.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: Kind,
    pub key: String,
    /// `None`: the correction was taken away.
    pub body: Option<Value>,
    pub author: String,
    pub changed_at: f64,
}

impl Change {
    /// The platform correction it carries, if it is one (and reads).
    pub fn platform(&self) -> Option<Correction> {
        (self.kind == Kind::Platform)
            .then(|| serde_json::from_value(self.body.clone()?).ok())
            .flatten()
    }

    /// The outline correction it carries, if it is one (and reads).
    pub fn outline(&self) -> Option<OutlineCorrection> {
        (self.kind == Kind::Outline)
            .then(|| serde_json::from_value(self.body.clone()?).ok())
            .flatten()
    }

    /// The sketch feature it carries, if it is one (and reads).
    pub fn sketch(&self) -> Option<SketchFeature> {
        (self.kind == Kind::Sketch)
            .then(|| serde_json::from_value(self.body.clone()?).ok())
            .flatten()
    }
}

/// A feature of a sketch layer as the team shares it: its layer (by name), its id, its name
/// and description, and its shape (WKT, WGS-84); or that it was deleted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SketchFeature {
    pub layer: String,
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wkt: Option<String>,
    /// Deleted (its row stays, so that the others delete it too).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

impl SketchFeature {
    /// Its key in the shared table: one row per feature of each sketch layer.
    pub fn key(&self) -> String {
        format!("{} / {}", self.layer, self.id)
    }
}

/// An edit of this atlas that lost to another's: what, by whom, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Lost {
    pub kind: Kind,
    pub key: String,
    pub author: String,
    pub changed_at: f64,
    /// Whether it was the edit being sent (else an edit sent earlier, written over since).
    pub while_editing: bool,
}

impl Lost {
    /// What the user is told, in both languages ("changed by 王五 at 10:42 while you edited").
    pub fn said(&self) -> Text {
        let at = clock(self.changed_at);
        let what = match self.kind {
            Kind::Platform => ("平台", "platform"),
            Kind::Outline => ("分区边界", "outline of"),
            Kind::Sketch => ("草图要素", "sketch feature"),
        };
        if self.while_editing {
            Text::new(
                format!(
                    "{} {}：{} 于 {at} 已修改（在你编辑期间），以其修改为准",
                    what.0, self.key, self.author
                ),
                format!(
                    "{} {}: changed by {} at {at} while you edited; theirs is kept",
                    what.1, self.key, self.author
                ),
            )
        } else {
            Text::new(
                format!(
                    "{} {}：{} 于 {at} 修改了你的更正，以其修改为准",
                    what.0, self.key, self.author
                ),
                format!(
                    "{} {}: changed by {} at {at} after your edit; theirs is kept",
                    what.1, self.key, self.author
                ),
            )
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Synced {
    /// Edits of the outbox written (they leave it).
    pub sent: usize,
    /// Changes of others to apply here.
    pub changes: Vec<Change>,
    /// Edits of this atlas that lost.
    pub lost: Vec<Lost>,
}

/// `at` (seconds since 1970) as the user's clock shows it: "10:42" today, else the date too.
pub fn clock(at: f64) -> String {
    let Ok(timestamp) = jiff::Timestamp::from_microsecond((at * 1e6) as i64) else {
        return String::new();
    };
    let zone = jiff::tz::TimeZone::system();
    let then = timestamp.to_zoned_datetime(zone.clone());
    let today = jiff::Timestamp::now().to_zoned_datetime(zone).date();
    if then.date() == today {
        then.strftime("%H:%M").to_string()
    } else {
        then.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

/// Now, in seconds since 1970.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn seen_key(kind: Kind, key: &str) -> String {
    format!("{}:{key}", kind.name())
}

impl Team {
    /// A team's schema in the database at `database`, written by `author`: nothing read yet.
    pub fn new(database: &str, schema: &str, author: &str) -> Result<Team, Text> {
        let address = Address::parse(database)?;
        if let Some(password) = address.own_password() {
            postgis::remember_password(&address, password);
        }
        let schema = schema.trim();
        if schema.is_empty() {
            return Err(Text::new("请填写模式名", "a schema name is needed"));
        }
        Ok(Team {
            database: address.to_uri(),
            schema: schema.to_string(),
            author: author.trim().to_string(),
            revision: 0,
            seen: BTreeMap::new(),
            outbox: Vec::new(),
        })
    }

    /// Reads a team's state kept at `path`; `None` where there is none (or it cannot be
    /// read: said on stderr, and the team is set up again).
    pub fn read(path: &Path) -> Option<Team> {
        let text = std::fs::read_to_string(path).ok()?;
        match serde_json::from_str(&text) {
            Ok(team) => Some(team),
            Err(error) => {
                eprintln!(
                    "chengyu-atlas: {}: the team's corrections cannot be read ({error})",
                    path.display()
                );
                None
            }
        }
    }

    /// Keeps the state at `path`, whole or not at all.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        crate::atomic_file::write(path, text.as_bytes()).map_err(|e| e.to_string())
    }

    /// Records an edit made here (a correction set, or taken away with `None`) in the outbox.
    /// An earlier edit of the same thing still waiting is replaced (the later one is what the
    /// user means).
    pub fn record(&mut self, kind: Kind, key: &str, body: Option<Value>) {
        let base = self
            .seen
            .get(&seen_key(kind, key))
            .map_or(0, |seen| seen.revision);
        let made_at = (now() * 1e6) as i64;
        self.outbox.retain(|e| !(e.kind == kind && e.key == key));
        self.outbox.push(Edit {
            kind,
            key: key.to_string(),
            body,
            made_at,
            base,
        });
    }

    /// A platform correction set (or taken away) here.
    pub fn record_platform(&mut self, key: &str, correction: Option<&Correction>) {
        let body = correction.and_then(|c| serde_json::to_value(c).ok());
        self.record(Kind::Platform, key, body);
    }

    /// A sketch feature drawn, changed or deleted here.
    pub fn record_sketch(&mut self, feature: &SketchFeature) {
        let body = serde_json::to_value(feature).ok();
        self.record(Kind::Sketch, &feature.key(), body);
    }

    /// An outline correction set (or taken away) here.
    pub fn record_outline(&mut self, key: &str, outline: Option<&OutlineCorrection>) {
        let body = outline.and_then(|o| serde_json::to_value(o).ok());
        self.record(Kind::Outline, key, body);
    }

    /// Sends the outbox (in one transaction: all of it or none) and reads what the others
    /// wrote since. On an error nothing is sent and the outbox waits; the error says why.
    pub fn sync(&mut self) -> Result<Synced, Text> {
        let address = Address::parse(&self.database)?;
        let mut client = postgis::connect(&address)?;
        let said = |e: postgres::Error| postgis::said(&e, &address);
        let table = format!("{}.atlas_corrections", quoted(&self.schema));
        let revisions = format!("{}.atlas_corrections_revision", quoted(&self.schema));
        let mut synced = Synced::default();
        let mut transaction = client.transaction().map_err(said)?;
        transaction
            .batch_execute(&schema_sql(&self.schema))
            .map_err(said)?;
        for edit in &self.outbox {
            let row = transaction
                .query_opt(
                    &format!(
                        "SELECT author, (extract(epoch FROM changed_at) * 1000000)::int8, revision \
                         FROM {table} WHERE kind = $1 AND key = $2 FOR UPDATE"
                    ),
                    &[&edit.kind.name(), &edit.key],
                )
                .map_err(said)?;
            if let Some(row) = row {
                let (author, changed_at, revision): (String, i64, i64) =
                    (row.get(0), row.get(1), row.get(2));
                // Changed by another since this edit's atlas read it, and later: theirs stays.
                if revision > edit.base && changed_at > edit.made_at {
                    synced.lost.push(Lost {
                        kind: edit.kind,
                        key: edit.key.clone(),
                        author,
                        changed_at: changed_at as f64 / 1e6,
                        while_editing: true,
                    });
                    continue;
                }
            }
            let geometry = geometry_wkt(edit);
            transaction
                .execute(
                    &format!(
                        "INSERT INTO {table} (kind, key, body, geom, author, changed_at, revision) \
                         VALUES ($1, $2, $3::text::jsonb, ST_GeomFromText($4, 4326), $5, \
                                 timestamptz 'epoch' + $6::int8 * interval '1 microsecond', nextval('{revisions}')) \
                         ON CONFLICT (kind, key) DO UPDATE SET body = EXCLUDED.body, \
                           geom = EXCLUDED.geom, author = EXCLUDED.author, \
                           changed_at = EXCLUDED.changed_at, revision = EXCLUDED.revision"
                    ),
                    &[
                        &edit.kind.name(),
                        &edit.key,
                        &edit.body.as_ref().map(Value::to_string),
                        &geometry,
                        &self.author,
                        &edit.made_at,
                    ],
                )
                .map_err(said)?;
        }
        let rows = transaction
            .query(
                &format!(
                    "SELECT kind, key, body::text, author, extract(epoch FROM changed_at)::float8, \
                     revision FROM {table} WHERE revision > $1 ORDER BY revision"
                ),
                &[&self.revision],
            )
            .map_err(said)?;
        transaction.commit().map_err(said)?;
        synced.sent = self.outbox.len() - synced.lost.len();
        self.outbox.clear();
        for row in rows {
            let Some(kind) = Kind::named(row.get(0)) else {
                continue;
            };
            let key: String = row.get(1);
            let body: Option<String> = row.get(2);
            let author: String = row.get(3);
            let changed_at: f64 = row.get(4);
            let revision: i64 = row.get(5);
            self.revision = self.revision.max(revision);
            let before = self.seen.insert(
                seen_key(kind, &key),
                Seen {
                    revision,
                    author: author.clone(),
                },
            );
            if author == self.author {
                // Its own edit, come back.
                continue;
            }
            // An edit of this atlas's, written over by a later one of another's.
            let told = synced.lost.iter().any(|l| l.kind == kind && l.key == key);
            if !told && before.is_some_and(|seen| seen.author == self.author) {
                synced.lost.push(Lost {
                    kind,
                    key: key.clone(),
                    author: author.clone(),
                    changed_at,
                    while_editing: false,
                });
            }
            synced.changes.push(Change {
                kind,
                key,
                body: body.and_then(|b| serde_json::from_str(&b).ok()),
                author,
                changed_at,
            });
        }
        Ok(synced)
    }
}

/// The features of `atlas`'s sketch layers, as the team shares them, by key.
pub fn sketch_features(atlas: &crate::model::Atlas) -> BTreeMap<String, SketchFeature> {
    use wkt::ToWkt;
    let mut found = BTreeMap::new();
    for (id, layer) in atlas.user_layers().filter(|(_, l)| l.sketch) {
        let Some(features) = atlas.layer(id).map(|l| &l.features) else {
            continue;
        };
        let field = |feature: &crate::model::Feature, name: &str| {
            let at = layer.fields.iter().position(|f| f == name)?;
            match &feature.kind {
                crate::model::FeatureKind::User(user) => user.values.get(at).map(str::to_string),
                _ => None,
            }
        };
        for feature in features {
            let wkt = match &feature.shape {
                crate::model::Shape::Point(p) => p.wkt_string(),
                crate::model::Shape::Lines(l) => l.wkt_string(),
                crate::model::Shape::Area(a) => a.wkt_string(),
            };
            let shared = SketchFeature {
                layer: layer.name.clone(),
                id: feature.id.clone(),
                name: field(&feature, "name").unwrap_or_default(),
                description: field(&feature, "description").unwrap_or_default(),
                wkt: Some(wkt),
                removed: false,
            };
            found.insert(shared.key(), shared);
        }
    }
    found
}

/// Puts a sketch feature the team sent into `atlas`: into its sketch layer (made where there
/// is none), in the place of the one with its id, or deleted. Whether the atlas changed.
pub fn apply_sketch(atlas: &mut crate::model::Atlas, shared: &SketchFeature) -> bool {
    use wkt::TryFromWkt;
    let layer = atlas
        .user_layers()
        .find(|(_, l)| l.sketch && l.name == shared.layer)
        .map(|(id, _)| id);
    let layer = match layer {
        Some(id) => id,
        None if shared.removed => return false,
        None => {
            let number = atlas.user_layers().count();
            atlas.add_user_layer(super::user::sketch_layer(&shared.layer, number), Vec::new())
        }
    };
    let at = atlas
        .layer(layer)
        .and_then(|l| l.features.iter().position(|f| f.id == shared.id));
    if let Some(at) = at {
        atlas.remove_from_user_layer(layer, at as u32);
    }
    if shared.removed {
        return at.is_some();
    }
    let Some(geometry) = shared
        .wkt
        .as_deref()
        .and_then(|wkt| geo::Geometry::<f64>::try_from_wkt_str(wkt).ok())
    else {
        return at.is_some();
    };
    let shape = match geometry {
        geo::Geometry::Point(p) => crate::model::Shape::Point(p),
        geo::Geometry::LineString(l) => {
            crate::model::Shape::Lines(geo::MultiLineString::new(vec![l]))
        }
        geo::Geometry::MultiLineString(l) => crate::model::Shape::Lines(l),
        geo::Geometry::Polygon(p) => crate::model::Shape::Area(geo::MultiPolygon::new(vec![p])),
        geo::Geometry::MultiPolygon(a) => crate::model::Shape::Area(a),
        _ => return at.is_some(),
    };
    let Some(info) = atlas.user_layer(layer) else {
        return at.is_some();
    };
    let values: Vec<String> = info
        .fields
        .iter()
        .map(|f| match f.as_str() {
            "name" => shared.name.clone(),
            "description" => shared.description.clone(),
            _ => String::new(),
        })
        .collect();
    let feature = super::user::restored_feature(info, &shared.id, values, shape);
    atlas.add_to_user_layer(layer, feature).is_some()
}

/// Where a correction is, for the table's geometry column: the platform's point, the outline.
fn geometry_wkt(edit: &Edit) -> Option<String> {
    let body = edit.body.as_ref()?;
    match edit.kind {
        Kind::Platform => Some(format!(
            "POINT({} {})",
            body.get("lon")?.as_f64()?,
            body.get("lat")?.as_f64()?
        )),
        Kind::Outline | Kind::Sketch => body.get("wkt")?.as_str().map(str::to_string),
    }
}

/// The schema, its table and its revision counter, made where missing: a team's first atlas
/// sets them up.
fn schema_sql(schema: &str) -> String {
    let schema = quoted(schema);
    format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};
         CREATE SEQUENCE IF NOT EXISTS {schema}.atlas_corrections_revision;
         CREATE TABLE IF NOT EXISTS {schema}.atlas_corrections (
             kind text NOT NULL CHECK (kind IN ('platform', 'outline', 'sketch')),
             key text NOT NULL CHECK (key <> ''),
             body jsonb,
             geom geometry(Geometry, 4326),
             author text NOT NULL,
             changed_at timestamptz NOT NULL,
             revision bigint NOT NULL,
             PRIMARY KEY (kind, key)
         );"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_edit_of_the_same_thing_replaces_the_one_waiting() {
        let mut team =
            Team::new("postgresql://atlas@gis.example/team", "shared", "李四").expect("a team");
        team.record(Kind::Platform, "cqu", Some(serde_json::json!({"lon": 1.0})));
        team.record(Kind::Outline, "core", None);
        team.record(Kind::Platform, "cqu", Some(serde_json::json!({"lon": 2.0})));
        assert_eq!(team.outbox.len(), 2);
        assert_eq!(team.outbox[1].body, Some(serde_json::json!({"lon": 2.0})));
    }

    #[test]
    fn a_password_in_the_address_is_not_kept() {
        let team = Team::new(
            "postgresql://atlas:secret@gis.example/team",
            "shared",
            "李四",
        )
        .expect("a team");
        assert!(!team.database.contains("secret"), "{}", team.database);
        let text = serde_json::to_string(&team).expect("json");
        assert!(!text.contains("secret"));
    }

    #[test]
    fn the_loser_is_told_who_changed_it_and_when() {
        let at = jiff::Timestamp::now().as_second() as f64;
        let lost = Lost {
            kind: Kind::Platform,
            key: "cqu".into(),
            author: "王五".into(),
            changed_at: at,
            while_editing: true,
        };
        let said = lost.said();
        assert!(
            said.zh.contains("王五") && said.zh.contains(&clock(at)),
            "{}",
            said.zh
        );
        assert!(said.en.contains("changed by 王五 at ") && said.en.contains("while you edited"));
        assert_eq!(clock(at).len(), 5, "today: the time only");
    }
}
