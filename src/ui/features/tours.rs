//! Tours (导览), a feature of their own: the tours pane (choose one, present it with F5, add
//! the current view as a stop, save, write its handout), the handout written in the
//! background and its outcome said in the message bar. Broken tour files are listed with
//! their line and column. Presenting itself is the window's mode (`app/presenting.rs`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use eframe::egui::{self, Color32, RichText, Ui};

use crate::export::{self, ExportError};
use crate::geodata::kept::{self, KeptAside};
use crate::model::{Atlas, Lang, LayerId, Text};
use crate::render::SceneBuilder;
use crate::render::{LayerSettings, View};
use crate::tour::{self, Stop, StopView, Tour, TourError};
use crate::ui::action::{Action, TourAction};
use crate::ui::messages::Said;
use crate::ui::screens::Screens;

use super::{Ctx, Feature};

/// A tour's video being written on another thread: where, how far, how to stop it.
struct VideoJob {
    path: PathBuf,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    outcome: Receiver<Result<export::video::VideoReport, ExportError>>,
}

pub struct TourShelf {
    pub tours: Vec<Tour>,
    pub problems: Vec<TourError>,
    pub chosen: usize,
    pub reduced_motion: bool,
    /// Where tours are saved (the user's tour folder).
    pub dir: Option<PathBuf>,
    /// Where handouts are written (the export folder).
    pub export_dir: PathBuf,
    /// The last outcome: (success, message).
    pub message: Option<Said>,
    /// A handout being written in the background: where, and its outcome when done.
    handout: Option<(PathBuf, Receiver<Result<(), ExportError>>)>,
    /// Handouts print each stop's speaker notes under its page (the presenter's copy).
    pub handout_notes: bool,
    /// A video being written in the background.
    video: Option<VideoJob>,
    /// Each stop's time in a video, in seconds; `None`: the stop's own.
    pub video_seconds: Option<f64>,
    /// The video's frame, in pixels, from [`VIDEO_SIZES`].
    pub video_size: [u32; 2],
    /// The video's frames a second, from [`VIDEO_RATES`].
    pub video_fps: u32,
    /// The user's tour files that could not be read, moved aside (for the window's banners,
    /// which take them).
    pub kept: Vec<KeptAside>,
    /// The monitors (read by the window each second).
    pub screens: Screens,
    /// The monitor F5 shows the audience's view on, by name (`None`: automatic, the one the
    /// window is not on). Remembered with the window's state.
    pub projector: Option<String>,
}

/// The frame sizes a video is offered in: a projector's, a screen's, a phone's group chat's.
pub const VIDEO_SIZES: &[([u32; 2], &str)] = &[
    ([1280, 720], "720p"),
    ([1920, 1080], "1080p"),
    ([2560, 1440], "1440p"),
    ([3840, 2160], "4K"),
];

/// The frame rates a video is offered at (film, PAL, NTSC-like screens, smooth flights).
pub const VIDEO_RATES: &[u32] = &[24, 25, 30, 60];

impl TourShelf {
    pub fn load(dir: Option<PathBuf>) -> Self {
        let (tours, problems) = tour::load_all(dir.as_deref());
        for problem in &problems {
            eprintln!("chengyu-atlas: tour {problem}");
        }
        let kept = keep_aside(dir.as_deref(), &problems);
        Self {
            kept,
            tours,
            problems,
            chosen: 0,
            reduced_motion: false,
            dir,
            export_dir: super::export::default_folder(),
            message: None,
            handout: None,
            handout_notes: false,
            video: None,
            video_seconds: None,
            video_size: [1920, 1080],
            video_fps: 30,
            screens: Screens::default(),
            projector: None,
        }
    }

    pub fn with_reduced_motion(mut self, reduced_motion: bool) -> Self {
        self.reduced_motion = reduced_motion;
        self
    }

    pub fn chosen(&self) -> Option<&Tour> {
        self.tours.get(self.chosen)
    }

    pub fn panel(&mut self, ui: &mut Ui, lang: Lang) -> Option<TourAction> {
        let mut action = None;
        let heading = ui.label(lang.pick("导览", "Tour"));
        let name = |tour: &Tour| format!("{} ({})", tour.title.get(lang), stop_count(tour, lang));
        let selected = self.chosen().map(name).unwrap_or_default();
        egui::ComboBox::from_id_salt("tour-choice")
            .selected_text(selected)
            .width(ui.available_width().min(300.0))
            .truncate()
            .show_ui(ui, |ui| {
                for (index, tour) in self.tours.iter().enumerate() {
                    ui.selectable_value(&mut self.chosen, index, name(tour));
                }
            })
            .response
            .labelled_by(heading.id);
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    self.chosen().is_some(),
                    egui::Button::new(lang.pick("▶ 开始演示 (F5)", "▶ Present (F5)")),
                )
                .on_hover_text("F5")
                .clicked()
            {
                action = Some(TourAction::Present);
            }
            ui.checkbox(
                &mut self.reduced_motion,
                lang.pick("减少动画", "Reduce motion"),
            );
        });
        self.screen_choice(ui, lang);
        // Making and editing tours: folded away, so that the presenter's two rows and the
        // layers fit a small screen.
        let editing = egui::CollapsingHeader::new(lang.pick("编辑导览…", "Edit tours…"))
            .id_salt("tour-editing")
            .show(ui, |ui| {
                let action = editing_buttons(ui, lang);
                ui.checkbox(
                    &mut self.handout_notes,
                    lang.pick(
                        "讲义附讲稿（演示者用）",
                        "Handout with speaker notes (the presenter's copy)",
                    ),
                );
                let video = self.video_row(ui, lang);
                if let Some(tour) = self.tours.get_mut(self.chosen)
                    && !tour.stops.is_empty()
                {
                    stop_editor(ui, tour, lang);
                }
                action.or(video)
            });
        if let Some(asked) = editing.body_returned.flatten() {
            action = Some(asked);
        }
        if let Some(job) = &self.video {
            let (done, total) = (
                job.done.load(Ordering::Relaxed),
                job.total.load(Ordering::Relaxed).max(1),
            );
            let share = done as f32 / total as f32;
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    lang.pick("正在导出视频", "Writing the video"),
                    job.path.display()
                ))
                .small(),
            );
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(share)
                        .desired_width(ui.available_width().min(220.0))
                        .text(format!("{:.0} % ({done}/{total})", share * 100.0)),
                );
                if ui.button(lang.pick("取消", "Cancel")).clicked() {
                    action = Some(TourAction::CancelVideo);
                }
            });
        }
        if let Some((path, _)) = &self.handout {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        lang.pick("正在写入", "Writing"),
                        path.display()
                    ))
                    .small(),
                );
            });
        }
        for problem in &self.problems {
            let problem = crate::ui::panels::shown(&problem.in_language(lang));
            ui.label(
                RichText::new(format!(
                    "{} {problem}",
                    lang.pick("导览文件有误：", "Tour file not read:")
                ))
                .small()
                .color(Color32::from_rgb(0xb0, 0x20, 0x20)),
            );
        }
        action
    }

    /// With two monitors or more: which one the audience sees (automatic, or one by name),
    /// and where the presenter view goes.
    fn screen_choice(&mut self, ui: &mut Ui, lang: Lang) {
        let screens = &self.screens;
        let (Some(automatic), Some(stage)) = (
            screens.stage(None),
            screens.stage(self.projector.as_deref()),
        ) else {
            return;
        };
        let automatic = format!(
            "{}（{}）",
            lang.pick("自动", "Automatic"),
            screens.label(automatic.audience, lang)
        );
        // A chosen monitor that is not connected is automatic, and shown so.
        let shown = match self.projector.as_deref().and_then(|n| screens.named(n)) {
            Some(_) => screens.label(stage.audience, lang),
            None => automatic.clone(),
        };
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(lang.pick("观众屏幕", "Audience screen"));
            egui::ComboBox::from_id_salt("projector-choice")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.projector, None, automatic);
                    for (index, monitor) in screens.monitors.iter().enumerate() {
                        if !monitor.name.is_empty() {
                            let label = screens.label(index, lang);
                            let name = Some(monitor.name.clone());
                            ui.selectable_value(&mut self.projector, name, label);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
        // Where the presenter view goes, with the choice just made.
        if let Some(stage) = screens.stage(self.projector.as_deref()) {
            ui.label(
                RichText::new(format!(
                    "{}{}",
                    lang.pick("演示者视图在：", "Presenter view on: "),
                    screens.label(stage.presenter, lang)
                ))
                .small()
                .weak(),
            );
        }
    }

    /// Starts a new tour (chosen from now on) whose stops the user adds.
    pub fn new_tour(&mut self) {
        let id = (1..)
            .map(|n| {
                if n == 1 {
                    "my-tour".to_string()
                } else {
                    format!("my-tour-{n}")
                }
            })
            .find(|id| !self.tours.iter().any(|t| &t.id == id))
            .unwrap_or_default();
        self.tours.push(Tour {
            id,
            title: Text::new("我的导览", "My tour"),
            stops: Vec::new(),
        });
        self.chosen = self.tours.len() - 1;
    }

    /// Appends the window's view as a stop of the chosen tour.
    pub fn add_stop(
        &mut self,
        atlas: &Atlas,
        view: &View,
        layers: &LayerSettings,
        selected: Option<&str>,
        lang: Lang,
    ) {
        let Some(tour) = self.tours.get_mut(self.chosen) else {
            return;
        };
        let bounds = view.bounds();
        let round = |v: f64| (v * 1e4).round() / 1e4;
        let number = tour.stops.len() + 1;
        let (title, caption) = match selected.and_then(|id| atlas.find(id)) {
            Some((_, feature)) => (
                feature.name.clone(),
                atlas
                    .content()
                    .zone(&feature.id)
                    .and_then(|z| z.positioning.first())
                    .map(|p| Text::new(p.zh.clone(), p.en.clone()))
                    .unwrap_or_default(),
            ),
            None => (
                Text::new(format!("第 {number} 站"), format!("Stop {number}")),
                Text::default(),
            ),
        };
        let mut visible: Vec<String> = LayerId::ALL
            .into_iter()
            .filter(|l| layers.visible(*l))
            .map(|l| l.key().to_string())
            .collect();
        // The user's layers shown, by name (`user:NAME`): the stop shows them, and hides the
        // user's others, when presented.
        let shown_user: Vec<String> = atlas
            .user_layers()
            .filter(|(id, _)| layers.visible(*id))
            .map(|(_, user)| format!("user:{}", user.name))
            .collect();
        let hidden_user = atlas.user_layers().count() > shown_user.len();
        let all_atlas = visible.len() == LayerId::ALL.len();
        visible.extend(shown_user);
        tour.stops.push(Stop {
            title,
            caption,
            view: StopView::Bounds([
                round(bounds.min().x),
                round(bounds.min().y),
                round(bounds.max().x),
                round(bounds.max().y),
            ]),
            layers: (!all_atlas || hidden_user || visible.len() > LayerId::ALL.len())
                .then_some(visible),
            highlight: selected.map(str::to_string).into_iter().collect(),
            links: None,
            duration: None,
            sources: Vec::new(),
            notes_zh: String::new(),
            notes_en: String::new(),
        });
        self.message = Some(Said::done(format!(
            "{} {number}",
            lang.pick("已添加：第", "Added: stop")
        )));
    }

    /// Reads the tour files again, keeping the choice (by id) and the settings.
    pub fn reload(&mut self) {
        let chosen = self.chosen().map(|t| t.id.clone());
        let (tours, problems) = tour::load_all(self.dir.as_deref());
        self.kept.extend(keep_aside(self.dir.as_deref(), &problems));
        self.chosen = chosen
            .and_then(|id| tours.iter().position(|t| t.id == id))
            .unwrap_or(0);
        self.tours = tours;
        self.problems = problems;
        self.message = None;
    }

    /// Whether a handout or a video is being written (the window keeps polling meanwhile).
    pub fn busy(&self) -> bool {
        self.handout.is_some() || self.video.is_some()
    }

    /// Whether a video is being written.
    pub fn video_running(&self) -> bool {
        self.video.is_some()
    }

    /// The video's row: each stop's time and "Export video…".
    fn video_row(&mut self, ui: &mut Ui, lang: Lang) -> Option<TourAction> {
        let mut asked = None;
        ui.horizontal_wrapped(|ui| {
            let mut own = self.video_seconds.is_none();
            ui.checkbox(
                &mut own,
                lang.pick("视频每站按其时长", "Video: each stop its own time"),
            );
            if own {
                self.video_seconds = None;
            } else {
                let seconds = self.video_seconds.get_or_insert(tour::DEFAULT_DURATION);
                ui.add(
                    egui::DragValue::new(seconds)
                        .range(0.5..=3600.0)
                        .speed(0.5)
                        .suffix(lang.pick(" 秒/站", " s a stop")),
                );
            }
            let [width, height] = self.video_size;
            egui::ComboBox::new("video size", lang.pick("像素", "pixels"))
                .width(88.0)
                .selected_text(format!("{width}×{height}"))
                .show_ui(ui, |ui| {
                    for &(size, name) in VIDEO_SIZES {
                        let text = format!("{}×{} {}", size[0], size[1], name);
                        ui.selectable_value(&mut self.video_size, size, text);
                    }
                })
                .response
                .on_hover_text(lang.pick("视频的画面大小", "The video's frame size"));
            let per_second = lang.pick("帧/秒", "fps");
            egui::ComboBox::new("video rate", per_second)
                .width(40.0)
                .selected_text(self.video_fps.to_string())
                .show_ui(ui, |ui| {
                    for &fps in VIDEO_RATES {
                        let text = format!("{fps} {per_second}");
                        ui.selectable_value(&mut self.video_fps, fps, text);
                    }
                });
            let [width, height] = self.video_size;
            let fps = self.video_fps;
            if ui
                .add_enabled(
                    self.chosen().is_some() && self.video.is_none(),
                    egui::Button::new(lang.pick("导出视频…", "Export video…")),
                )
                .on_hover_text(lang.pick(
                    &format!("{width}×{height}、每秒 {fps} 帧的 H.264 MP4：飞行、聚光、字幕与放映时相同"),
                    &format!("H.264 MP4 at {width}×{height}, {fps} frames a second: the flights, spotlight and captions as presented"),
                ))
                .clicked()
            {
                asked = Some(TourAction::Video);
            }
        });
        asked
    }

    /// The chosen tour, to be written to `path` once `check` finds the place fit (not there,
    /// its folder writable); else what is wrong is said.
    fn tour_to_write(
        &mut self,
        path: &Path,
        check: fn(&Path, bool) -> Result<(), ExportError>,
    ) -> Option<Tour> {
        let tour = self.chosen()?.clone();
        match check(path, false) {
            Ok(()) => Some(tour),
            Err(error) => {
                self.message = Some(Said::failed(error.to_string()));
                None
            }
        }
    }

    /// Starts writing the chosen tour's video to `path` on another thread, with its own copy
    /// of the data and scene builder; its progress shows in the pane, Cancel stops it.
    pub fn start_video(
        &mut self,
        atlas: &Atlas,
        lang: Lang,
        basemaps: Vec<export::ExportBasemap>,
        path: PathBuf,
    ) {
        let Some(tour) = self.tour_to_write(&path, export::video::check_target) else {
            return;
        };
        let mut request = export::video::VideoRequest::new(lang);
        request.seconds_per_stop = self.video_seconds;
        [request.width, request.height] = self.video_size;
        request.fps = self.video_fps;
        request.basemaps = basemaps;
        let (done, total, cancel) = (
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let atlas = atlas.clone();
        let (send, outcome) = channel();
        let (target, seen, whole, stop) =
            (path.clone(), done.clone(), total.clone(), cancel.clone());
        std::thread::spawn(move || {
            crate::process::work_behind_the_window();
            let mut builder = SceneBuilder::new(&atlas);
            let mut progress = |frames: u64, of: u64| {
                seen.store(frames, Ordering::Relaxed);
                whole.store(of, Ordering::Relaxed);
                !stop.load(Ordering::Relaxed)
            };
            let written = export::video::write(
                &atlas,
                &mut builder,
                &tour,
                &request,
                &target,
                false,
                &mut progress,
            );
            let _ = send.send(written);
        });
        self.message = None;
        self.video = Some(VideoJob {
            path,
            done,
            total,
            cancel,
            outcome,
        });
    }

    /// Picks up a finished (or cancelled) video.
    fn poll_video(&mut self, lang: Lang) {
        let Some(job) = &self.video else {
            return;
        };
        let outcome = match job.outcome.try_recv() {
            Ok(Ok(report)) => Said::done(format!(
                "{} {}{}",
                lang.pick("已保存", "Saved"),
                job.path.display(),
                match lang {
                    Lang::Zh => format!("（{:.0} 秒，{} 帧）", report.seconds, report.frames),
                    Lang::En => format!(" ({:.0} s, {} frames)", report.seconds, report.frames),
                }
            )),
            Ok(Err(ExportError::Cancelled)) => Said::done(lang.pick(
                "视频导出已取消，未写入文件",
                "Video export cancelled: nothing was written",
            )),
            Ok(Err(error)) => Said::failed(error.to_string()),
            Err(TryRecvError::Disconnected) => {
                Said::failed(lang.pick("视频写入失败", "Writing the video failed"))
            }
            Err(TryRecvError::Empty) => return,
        };
        self.message = Some(outcome);
        self.video = None;
    }

    /// Starts writing the chosen tour's handout to `path`, on another thread, page by page
    /// (with its own copy of the data and its own scene builder: the window goes on).
    pub fn start_handout(
        &mut self,
        atlas: &Atlas,
        lang: Lang,
        basemaps: Vec<export::ExportBasemap>,
        path: PathBuf,
    ) {
        let Some(tour) = self.tour_to_write(&path, export::handout::check_target) else {
            return;
        };
        let atlas = atlas.clone();
        let notes = self.handout_notes;
        let (send, receive) = channel();
        let target = path.clone();
        std::thread::spawn(move || {
            let mut builder = SceneBuilder::new(&atlas);
            let handout = export::handout::Handout {
                basemaps: &basemaps,
                notes,
                ..export::handout::Handout::plain(lang)
            };
            let written = export::handout::pdf(&atlas, &mut builder, &tour, &handout)
                .and_then(|bytes| crate::export::write_file(&target, &bytes));
            let _ = send.send(written);
        });
        self.message = None;
        self.handout = Some((path, receive));
    }

    /// Picks up a finished handout.
    fn poll_handout(&mut self, lang: Lang) {
        let Some((path, receive)) = &self.handout else {
            return;
        };
        let outcome = match receive.try_recv() {
            Ok(Ok(())) => Said::done(format!(
                "{} {}",
                lang.pick("已保存", "Saved"),
                path.display()
            )),
            Ok(Err(error)) => Said::failed(error.to_string()),
            Err(TryRecvError::Disconnected) => {
                Said::failed(lang.pick("讲义写入失败", "Writing the handout failed"))
            }
            Err(TryRecvError::Empty) => return,
        };
        self.message = Some(outcome);
        self.handout = None;
    }

    /// Saves the chosen tour into the user's tour folder (whole or not at all).
    pub fn save(&mut self, lang: Lang) {
        let (Some(tour), Some(dir)) = (self.tours.get(self.chosen), &self.dir) else {
            self.message = Some(Said::failed(
                lang.pick("没有可写的导览文件夹", "No tour folder to write to"),
            ));
            return;
        };
        if tour.stops.is_empty() {
            self.message = Some(Said::failed(
                lang.pick("导览还没有任何一站", "The tour has no stops yet"),
            ));
            return;
        }
        let path = dir.join(format!("{}.toml", tour.id));
        self.message = Some(match tour::save(tour, &path) {
            Ok(()) => Said::done(format!(
                "{} {}",
                lang.pick("已保存", "Saved"),
                path.display()
            )),
            Err(error) => Said::failed(format!(
                "{} {}: {error}",
                lang.pick("无法保存", "Cannot save"),
                path.display()
            )),
        });
    }
}

/// The buttons that make and edit tours: new, add the view as a stop, save, reload, handout.
fn editing_buttons(ui: &mut Ui, lang: Lang) -> Option<TourAction> {
    // Each button: its words, what its hover says (if anything), what it asks for.
    let buttons = [
        (
            lang.pick("新建导览", "New tour"),
            Some(lang.pick(
                "以当前视图为第一站",
                "Starts with the current view as its first stop",
            )),
            TourAction::New,
        ),
        (
            lang.pick("添加当前视图为一站", "Add current view as a stop"),
            None,
            TourAction::AddStop,
        ),
        (lang.pick("保存导览", "Save tour"), None, TourAction::Save),
        (
            lang.pick("重新载入", "Reload"),
            Some(lang.pick(
                "重新读取导览文件（在编辑器中修改后）",
                "Read the tour files again (after editing them)",
            )),
            TourAction::Reload,
        ),
        (
            lang.pick("导出讲义 PDF", "Handout PDF"),
            None,
            TourAction::Handout,
        ),
    ];
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        for (words, hover, asks) in buttons {
            let mut button = ui.button(words);
            if let Some(hover) = hover {
                button = button.on_hover_text(hover);
            }
            if button.clicked() {
                action = Some(asks);
            }
        }
    });
    action
}

/// "9 站", "1 stop", "9 stops".
pub fn stop_count(tour: &Tour, lang: Lang) -> String {
    let count = tour.stops.len();
    match (lang, count) {
        (Lang::Zh, _) => format!("{count} 站"),
        (Lang::En, 1) => "1 stop".to_string(),
        (Lang::En, _) => format!("{count} stops"),
    }
}

/// The chosen tour's stops: each one's title, caption and speaker notes, in the interface
/// language, written here and kept when the tour is saved.
fn stop_editor(ui: &mut Ui, tour: &mut Tour, lang: Lang) {
    egui::CollapsingHeader::new(format!(
        "{} ({})",
        lang.pick("各站标题、说明与讲稿", "Stops: titles, captions and notes"),
        stop_count(tour, lang)
    ))
    .id_salt("tour-stops")
    .show(ui, |ui| {
        for (index, stop) in tour.stops.iter_mut().enumerate() {
            ui.label(
                RichText::new(match lang {
                    Lang::Zh => format!("第 {} 站", index + 1),
                    Lang::En => format!("Stop {}", index + 1),
                })
                .small()
                .strong(),
            );
            let (title, caption) = match lang {
                Lang::Zh => (&mut stop.title.zh, &mut stop.caption.zh),
                Lang::En => (&mut stop.title.en, &mut stop.caption.en),
            };
            ui.add(
                egui::TextEdit::singleline(title)
                    .hint_text(lang.pick("标题", "Title"))
                    .desired_width(f32::INFINITY),
            );
            ui.add(
                egui::TextEdit::multiline(caption)
                    .hint_text(lang.pick(
                        "说明（放映时显示在标题下）",
                        "Caption (shown under the title)",
                    ))
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            );
            ui.add(
                egui::TextEdit::multiline(stop.notes_mut(lang))
                    .hint_text(lang.pick(
                        "讲稿（只给演示者看，观众看不到）",
                        "Speaker notes (for the presenter only; the audience never sees them)",
                    ))
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            );
        }
    });
}

impl Feature for TourShelf {
    fn pane(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) -> Vec<Action> {
        self.panel(ui, ctx.lang)
            .map(Action::Tour)
            .into_iter()
            .collect()
    }

    /// A finished handout picked up; what a save, a stop added or a handout did goes to the
    /// message bar, in view wherever it was asked (below the stop list it was out of sight).
    fn poll(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        self.poll_handout(ctx.lang);
        self.poll_video(ctx.lang);
        if self.busy() {
            egui.request_repaint_after(std::time::Duration::from_millis(100));
        }
        self.message.take().map(Action::Say).into_iter().collect()
    }
}

impl TourShelf {
    /// Carries out what the pane or the menus asked, but presenting (the window's mode).
    pub fn apply(&mut self, action: TourAction, ctx: &Ctx<'_>) {
        let lang = ctx.lang;
        match action {
            TourAction::Present | TourAction::Rehearse => {}
            TourAction::New | TourAction::AddStop => {
                if action == TourAction::New {
                    self.new_tour();
                }
                let Some(view) = ctx.shown else {
                    return;
                };
                let selected = ctx.selected.and_then(|f| ctx.atlas.reference(f));
                self.add_stop(ctx.atlas, &view, ctx.layers, selected.as_deref(), lang);
            }
            TourAction::Save => self.save(lang),
            TourAction::Reload => self.reload(),
            TourAction::Handout => {
                let Some(path) = self.ask_where("pdf", crate::ui::file_dialog::save_pdf, lang)
                else {
                    return;
                };
                self.start_handout(ctx.atlas, lang, ctx.basemaps.for_export(), path);
            }
            TourAction::Video => {
                let Some(path) = self.ask_where("mp4", crate::ui::file_dialog::save_mp4, lang)
                else {
                    return;
                };
                self.start_video(ctx.atlas, lang, ctx.basemaps.for_export(), path);
            }
            TourAction::CancelVideo => {
                if let Some(job) = &self.video {
                    job.cancel.store(true, Ordering::Relaxed);
                }
            }
        }
    }
}

impl TourShelf {
    /// Where the chosen tour's handout or video goes: where the user says (a native dialog
    /// proposing a free name in the export folder), else that free name when no dialog can
    /// open; `None` when there is no tour or the user cancelled.
    fn ask_where(
        &self,
        extension: &str,
        dialog: fn(Lang, &str) -> Option<PathBuf>,
        lang: Lang,
    ) -> Option<PathBuf> {
        use crate::ui::file_dialog::{Picked, ask};
        let proposed = free_path(&self.export_dir, &self.chosen()?.id, extension);
        let name = proposed
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match ask(|| dialog(lang, &name)) {
            Picked::Path(path) => Some(path),
            Picked::NoDialog => Some(proposed),
            Picked::Cancelled => None,
        }
    }
}

/// A free name for a tour's handout (`pdf`) or video (`mp4`) in `folder`: never replaces a
/// file.
fn free_path(folder: &std::path::Path, tour_id: &str, extension: &str) -> std::path::PathBuf {
    let kind = if extension == "pdf" {
        "handout"
    } else {
        "video"
    };
    (1..1000)
        .map(|n| {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            folder.join(format!("{tour_id}-{kind}{suffix}.{extension}"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| folder.join(format!("{tour_id}-{kind}.{extension}")))
}

/// The user's tour files among `problems` (those in `dir`), moved aside so that a tour saved
/// under the same name never overwrites them.
fn keep_aside(dir: Option<&Path>, problems: &[tour::TourError]) -> Vec<KeptAside> {
    let Some(dir) = dir else {
        return Vec::new();
    };
    problems
        .iter()
        .map(|problem| (PathBuf::from(&problem.file), problem))
        .filter(|(path, _)| path.starts_with(dir) && path.is_file())
        .filter_map(|(path, problem)| {
            let (line, column) = (problem.line, problem.column);
            let why = Text::new(
                format!("第 {line} 行第 {column} 列：{}", problem.message.zh),
                format!("line {line}, column {column}: {}", problem.message.en),
            );
            let kept = kept::move_aside(&path, kept::Role::Tour, why)?;
            eprintln!("chengyu-atlas: {}", kept.message().en);
            Some(kept)
        })
        .collect()
}
