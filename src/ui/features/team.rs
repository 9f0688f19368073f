//! The corrections shared with a team (团队共享校正): the link between this atlas's corrections
//! and a team's PostGIS schema ([`crate::geodata::team`]). Each change of the corrections is an
//! edit in the outbox (kept beside the corrections file, so that it survives a restart); the
//! outbox is sent and the others' edits read on a thread of its own, soon after an edit and
//! every half minute, so that the window never waits on the database and works without it.

use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::geodata::corrections::Corrections;
use crate::geodata::team::{Edit, Synced, Team};
use crate::model::{Lang, Text};

/// How often the shared table is read when nothing was edited.
const EVERY: Duration = Duration::from_secs(30);

/// A sync on its thread: the edits it sends, and what it gives back.
type Syncing = (Vec<Edit>, JoinHandle<(Team, Result<Synced, Text>)>);

/// The link to a team, where there is one.
#[derive(Default)]
pub struct TeamLink {
    /// Where the team's state is kept (`team.json` beside the corrections file).
    path: Option<PathBuf>,
    pub team: Option<Team>,
    /// The corrections as last sent or read: what differs from them is an edit.
    known: Corrections,
    /// The sketch layers' features as last sent or read, and the atlas's revision then.
    known_sketches: std::collections::BTreeMap<String, crate::geodata::team::SketchFeature>,
    sketches_at: u64,
    syncing: Option<Syncing>,
    next_sync: Option<Instant>,
    /// The last sync's outcome, and whether it failed.
    pub status: Option<(Text, bool)>,
    /// The set-up window.
    pub dialog: TeamDialog,
}

/// The window that joins (or leaves) a team.
#[derive(Default)]
pub struct TeamDialog {
    pub open: bool,
    pub database: String,
    pub schema: String,
    pub author: String,
    pub failed: Option<Text>,
}

impl TeamLink {
    /// The team kept at `path`, its corrections as `list`.
    pub fn load(path: Option<PathBuf>, list: &Corrections) -> Self {
        let team = path.as_deref().and_then(Team::read);
        Self {
            next_sync: team.as_ref().map(|_| Instant::now()),
            team,
            path,
            known: list.clone(),
            ..Self::default()
        }
    }

    /// Joins `team`: the corrections made here so far are sent to it as edits.
    pub fn join(&mut self, mut team: Team, list: &Corrections) {
        for c in &list.platforms {
            team.record_platform(&c.platform, Some(c));
        }
        for o in &list.outlines {
            team.record_outline(&o.zone, Some(o));
        }
        self.known = list.clone();
        // The sketches drawn so far are sent at the next look.
        self.known_sketches.clear();
        self.sketches_at = u64::MAX;
        self.team = Some(team);
        self.status = None;
        self.next_sync = Some(Instant::now());
        self.keep();
    }

    /// Leaves the team: nothing is sent or read any more (the corrections stay here).
    pub fn leave(&mut self) {
        self.team = None;
        self.syncing = None;
        self.status = None;
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }

    /// The corrections are now `list` (edited here): what changed goes to the outbox.
    pub fn noted(&mut self, list: &Corrections) {
        let Some(team) = &mut self.team else {
            self.known = list.clone();
            return;
        };
        let platforms: std::collections::BTreeSet<&str> = (self.known.platforms.iter())
            .chain(&list.platforms)
            .map(|c| c.platform.as_str())
            .collect();
        for id in platforms {
            let now = list.platforms.iter().find(|c| c.platform == id);
            if now != self.known.platforms.iter().find(|c| c.platform == id) {
                team.record_platform(id, now);
            }
        }
        let zones: std::collections::BTreeSet<&str> = (self.known.outlines.iter())
            .chain(&list.outlines)
            .map(|o| o.zone.as_str())
            .collect();
        for zone in zones {
            let now = list.outlines.iter().find(|o| o.zone == zone);
            if now != self.known.outlines.iter().find(|o| o.zone == zone) {
                team.record_outline(zone, now);
            }
        }
        self.known = list.clone();
        self.next_sync = Some(Instant::now());
        self.keep();
    }

    /// The others' edits taken in: the corrections are now `list` and the sketches `atlas`'s
    /// (nothing to send).
    pub fn taken(&mut self, list: &Corrections, atlas: &crate::model::Atlas) {
        self.known = list.clone();
        self.known_sketches = crate::geodata::team::sketch_features(atlas);
        self.sketches_at = atlas.revision();
    }

    /// The sketch layers as `atlas` has them now: a feature drawn, changed or deleted since
    /// they were last seen goes to the outbox (looked at when the atlas has changed).
    pub fn noted_sketches(&mut self, atlas: &crate::model::Atlas) {
        if atlas.revision() == self.sketches_at {
            return;
        }
        self.sketches_at = atlas.revision();
        let now = crate::geodata::team::sketch_features(atlas);
        let Some(team) = &mut self.team else {
            self.known_sketches = now;
            return;
        };
        let mut changed = false;
        for (key, feature) in &now {
            if self.known_sketches.get(key) != Some(feature) {
                team.record_sketch(feature);
                changed = true;
            }
        }
        for (key, feature) in &self.known_sketches {
            if !now.contains_key(key) {
                team.record_sketch(&crate::geodata::team::SketchFeature {
                    wkt: None,
                    removed: true,
                    ..feature.clone()
                });
                changed = true;
            }
        }
        self.known_sketches = now;
        if changed {
            self.next_sync = Some(Instant::now());
            self.keep();
        }
    }

    /// Edits waiting to be sent.
    pub fn waiting(&self) -> usize {
        self.team.as_ref().map_or(0, |t| t.outbox.len())
    }

    /// Whether a sync is under way (for tests).
    pub fn is_syncing(&self) -> bool {
        self.syncing.is_some()
    }

    /// Starts a sync when one is due; gives back what a finished one read.
    pub fn poll(&mut self, egui: &egui::Context) -> Option<Synced> {
        let team = self.team.as_ref()?;
        if let Some((_, handle)) = &self.syncing {
            if !handle.is_finished() {
                egui.request_repaint_after(Duration::from_millis(50));
                return None;
            }
            let (sent, handle) = self.syncing.take()?;
            return self.finished(sent, handle);
        }
        let due = self.next_sync.is_some_and(|at| Instant::now() >= at);
        if !due {
            if let Some(at) = self.next_sync {
                egui.request_repaint_after(at.saturating_duration_since(Instant::now()));
            }
            return None;
        }
        let mut copy = team.clone();
        let sent = copy.outbox.clone();
        let handle = std::thread::Builder::new()
            .name("team-sync".into())
            .spawn(move || {
                let result = copy.sync();
                (copy, result)
            })
            .ok()?;
        self.syncing = Some((sent, handle));
        self.next_sync = None;
        egui.request_repaint_after(Duration::from_millis(50));
        None
    }

    fn finished(
        &mut self,
        sent: Vec<Edit>,
        handle: JoinHandle<(Team, Result<Synced, Text>)>,
    ) -> Option<Synced> {
        self.next_sync = Some(Instant::now() + EVERY);
        let Ok((after, result)) = handle.join() else {
            self.status = Some((
                Text::new("同步意外中止", "the sync stopped unexpectedly"),
                true,
            ));
            return None;
        };
        let team = self.team.as_mut()?;
        match result {
            Ok(synced) => {
                // What was made while it was sent waits for the next.
                team.outbox.retain(|e| !sent.contains(e));
                team.revision = after.revision;
                team.seen = after.seen;
                let at = crate::geodata::team::clock(crate::geodata::team::now());
                self.status = Some((
                    Text::new(format!("已于 {at} 同步"), format!("synced at {at}")),
                    false,
                ));
                if !team.outbox.is_empty() {
                    self.next_sync = Some(Instant::now());
                }
                self.keep();
                Some(synced)
            }
            Err(why) => {
                self.status = Some((why, true));
                None
            }
        }
    }

    /// Keeps the team's state (the outbox above all) on disk.
    fn keep(&self) {
        if let (Some(path), Some(team)) = (&self.path, &self.team)
            && let Err(problem) = team.write(path)
        {
            eprintln!("chengyu-atlas: {}: {problem}", path.display());
        }
    }

    /// The line the corrections' menu and window show: the team, its state, what waits.
    pub fn said(&self, lang: Lang) -> Option<(String, bool)> {
        let team = self.team.as_ref()?;
        let mut said = format!(
            "{} {}.{}",
            lang.pick("团队：", "Team:"),
            team.database,
            team.schema
        );
        let failed = self.status.as_ref().is_some_and(|(_, failed)| *failed);
        if let Some((status, _)) = &self.status {
            said.push_str(&format!(" · {}", status.get(lang)));
        }
        if self.is_syncing() {
            said.push_str(lang.pick(" · 正在同步…", " · syncing…"));
        }
        if !team.outbox.is_empty() {
            said.push_str(&format!(
                " · {} {}",
                team.outbox.len(),
                lang.pick("项待发送", "waiting to be sent")
            ));
        }
        Some((said, failed))
    }
}

impl TeamDialog {
    /// The window: a database address, a schema, the user's name; join or leave.
    /// Returns a team to join, or `Some(None)` to leave.
    pub fn show(
        &mut self,
        egui: &egui::Context,
        link: Option<&Team>,
        lang: Lang,
    ) -> Option<Option<Team>> {
        if !self.open {
            return None;
        }
        let mut asked = None;
        let mut open = self.open;
        egui::Window::new(lang.pick("团队共享校正", "Team corrections"))
            .id(egui::Id::unique("team-dialog"))
            .open(&mut open)
            .default_width(520.0)
            .show(egui, |ui| {
                ui.label(lang.pick(
                    "团队的所有图集把平台和边界校正写入同一个 PostGIS 模式（表 atlas_corrections，首个图集会创建它），记录作者与时间；后改者为准，被覆盖的一方会得到提示。数据库无法访问时，校正在本机等待，恢复后发送。",
                    "Every atlas of the team writes its platform and outline corrections to one PostGIS schema (table atlas_corrections, made by the first atlas), with who and when; the later edit wins and the other is told. While the database is away, corrections wait here and are sent when it answers.",
                ));
                if let Some(team) = link {
                    ui.label(format!("{}.{} · {}", team.database, team.schema, team.author));
                    if ui.button(lang.pick("退出团队共享", "Leave the team")).clicked() {
                        asked = Some(None);
                    }
                    return;
                }
                egui::Grid::new("team-fields").num_columns(2).show(ui, |ui| {
                    for (label, value, hint) in [
                        (lang.pick("数据库", "Database"), &mut self.database, "postgresql://user@host/gis"),
                        (lang.pick("模式", "Schema"), &mut self.schema, "atlas_team"),
                        (lang.pick("你的名字", "Your name"), &mut self.author, "王五"),
                    ] {
                        let label = ui.label(label);
                        ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(360.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                });
                if ui.button(lang.pick("加入", "Join")).clicked() {
                    if self.author.trim().is_empty() {
                        self.failed = Some(Text::new("请填写你的名字", "your name is needed"));
                    } else {
                        match Team::new(&self.database, &self.schema, &self.author) {
                            Ok(team) => asked = Some(Some(team)),
                            Err(why) => self.failed = Some(why),
                        }
                    }
                }
                if let Some(why) = &self.failed {
                    ui.colored_label(egui::Color32::from_rgb(0x9b, 0x1c, 0x1c), why.get(lang));
                }
            });
        self.open = open && asked.is_none();
        asked
    }
}
