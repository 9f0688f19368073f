//! Presenter mode on screen: the keys a presentation clicker sends turned into the state
//! machine's commands ([`crate::tour::presenter`]), and what it shows drawn over the map: a
//! large caption card with progress dots, the key hints, the black screen, the laser pointer and
//! the cross-fade's cover.

use eframe::egui::{self, Align2, Color32, Key, Order, Pos2, RichText, Ui, vec2};

use crate::model::{Atlas, Lang};
use crate::render::egui_painter::color32;
use crate::tour::card;
use crate::tour::presenter::{Command, Presenter};

/// The commands in this frame's key presses.
pub fn commands(ui: &Ui) -> Vec<Command> {
    ui.input(|input| {
        input
            .events
            .iter()
            .filter_map(|event| match event {
                // Ctrl+P and Ctrl+E are the pen's (see [`Ink`]), not P's and E's.
                egui::Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } if !modifiers.command => command_for(*key),
                _ => None,
            })
            .collect()
    })
}

/// The command a key sends, if any.
fn command_for(key: Key) -> Option<Command> {
    Some(match key {
        Key::ArrowRight | Key::PageDown | Key::Space | Key::N => Command::Next,
        Key::ArrowLeft | Key::PageUp | Key::P => Command::Previous,
        Key::Home => Command::First,
        Key::End => Command::Last,
        Key::B | Key::Period => Command::ToggleBlack,
        Key::A => Command::ToggleAutoplay,
        Key::R => Command::BackToStop,
        Key::H | Key::F1 => Command::ToggleHints,
        Key::Escape => Command::Leave,
        Key::Enter => Command::ConfirmNumber,
        Key::Backspace => Command::EraseDigit,
        Key::Num0 => Command::Digit(0),
        Key::Num1 => Command::Digit(1),
        Key::Num2 => Command::Digit(2),
        Key::Num3 => Command::Digit(3),
        Key::Num4 => Command::Digit(4),
        Key::Num5 => Command::Digit(5),
        Key::Num6 => Command::Digit(6),
        Key::Num7 => Command::Digit(7),
        Key::Num8 => Command::Digit(8),
        Key::Num9 => Command::Digit(9),
        _ => return None,
    })
}

/// The presenter's pen, as PowerPoint's: Ctrl+P takes it up or puts it down; while it is up,
/// the primary button draws ink over the map instead of the laser dot; Ctrl+E erases the stop's
/// ink. Ink is kept per stop (back at a stop, its ink is there) and on the map (it follows a
/// pan or zoom); when the tour ends, the window asks whether to keep it in the sketch layer.
#[derive(Debug, Default)]
pub struct Ink {
    pub pen: bool,
    /// Each stop's strokes, WGS-84.
    pub strokes: std::collections::HashMap<usize, Vec<Vec<geo::Coord>>>,
    /// The stroke being drawn.
    drawing: Vec<geo::Coord>,
}

/// The ink's colour and width in points.
const INK: Color32 = Color32::from_rgb(0xe6, 0x1e, 0x1e);
const INK_WIDTH: f32 = 4.0;

impl Ink {
    /// This frame's keys and pointer at stop `stop`: the pen taken up or put down, the stop
    /// erased, ink drawn (`to_map`: a screen position on the map).
    pub fn handle(
        &mut self,
        ctx: &egui::Context,
        stop: usize,
        to_map: impl Fn(egui::Pos2) -> Option<geo::Coord>,
    ) {
        let (pen, erase) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, Key::P),
                i.consume_key(egui::Modifiers::COMMAND, Key::E),
            )
        });
        if pen {
            self.pen = !self.pen;
        }
        if erase {
            self.strokes.remove(&stop);
        }
        let (down, at) = ctx.input(|i| (i.pointer.primary_down(), i.pointer.latest_pos()));
        if self.pen && down {
            if let Some(at) = at.and_then(&to_map)
                && self.drawing.last() != Some(&at)
            {
                self.drawing.push(at);
            }
        } else if !self.drawing.is_empty() {
            let stroke = std::mem::take(&mut self.drawing);
            if stroke.len() > 1 {
                self.strokes.entry(stop).or_default().push(stroke);
            }
        }
    }

    /// Draws stop `stop`'s ink and the stroke being drawn (`to_screen`: a map position on
    /// screen).
    pub fn draw(
        &self,
        ctx: &egui::Context,
        stop: usize,
        to_screen: impl Fn(geo::Coord) -> Option<egui::Pos2>,
    ) {
        let painter = ctx.layer_painter(egui::LayerId::new(
            Order::Foreground,
            egui::Id::unique("presenter-ink"),
        ));
        let strokes = self.strokes.get(&stop).into_iter().flatten();
        for stroke in strokes.chain(std::iter::once(&self.drawing)) {
            let points: Vec<egui::Pos2> = stroke.iter().filter_map(|c| to_screen(*c)).collect();
            if points.len() > 1 {
                painter.add(egui::Shape::line(points, egui::Stroke::new(INK_WIDTH, INK)));
            }
        }
        if self.pen {
            ctx.set_cursor_icon(egui::CursorIcon::Crosshair);
        }
    }
}

/// The caption card, progress dots, black screen, laser dot and cross-fade cover.
pub fn overlay(
    presenter: &Presenter,
    ctx: &egui::Context,
    atlas: &Atlas,
    lang: Lang,
    cover: f32,
    pen: bool,
) {
    let screen = ctx.content_rect();
    if cover > 0.0 {
        let painter = ctx.layer_painter(egui::LayerId::new(
            Order::Middle,
            egui::Id::unique("presenter-fade"),
        ));
        let [r, g, b, _] = crate::render::style::BACKGROUND.0;
        painter.rect_filled(
            screen,
            0.0,
            Color32::from_rgba_unmultiplied(r, g, b, (cover * 255.0) as u8),
        );
    }
    if !presenter.black() {
        caption_card(presenter, ctx, atlas, lang, screen);
        if presenter.hints_pinned() {
            hints(ctx, lang, screen);
        } else if presenter.hints_shown(ctx.input(|i| i.time)) {
            start_hint(ctx, lang);
        }
    }
    let top = ctx.layer_painter(egui::LayerId::new(
        Order::Tooltip,
        egui::Id::unique("presenter-top"),
    ));
    if presenter.black() {
        top.rect_filled(screen, 0.0, Color32::BLACK);
    }
    // The laser pointer: a red dot while the primary button is held.
    let laser = ctx.input(|i| {
        i.pointer
            .primary_down()
            .then(|| i.pointer.latest_pos())
            .flatten()
    });
    if let Some(at) = laser.filter(|_| !presenter.black() && !pen) {
        // The dot is the pointer.
        ctx.set_cursor_icon(egui::CursorIcon::None);
        for (radius, alpha) in [(22.0, 40), (14.0, 90), (8.0, 255)] {
            top.circle_filled(
                at,
                radius,
                Color32::from_rgba_unmultiplied(0xff, 0x1a, 0x1a, alpha),
            );
        }
        top.circle_filled(at, 3.0, Color32::from_rgb(0xff, 0xe0, 0xe0));
    }
}

/// The key list's text, likewise.
const HINT_PIXELS: f32 = 24.0;

/// Sizes are written for a 1920×1080 projector in pixels and scaled with the screen's
/// height; in points they are divided by the presenting scale (see `presenter_zoom_factor`).
fn projector_scale(ctx: &egui::Context, screen: egui::Rect) -> f32 {
    (screen.height() * ctx.pixels_per_point() / 1080.0).clamp(0.7, 1.6) / ctx.zoom_factor()
}

fn caption_card(
    presenter: &Presenter,
    ctx: &egui::Context,
    atlas: &Atlas,
    lang: Lang,
    screen: egui::Rect,
) {
    let stop = presenter.stop();
    let scale = projector_scale(ctx, screen);
    let width = (screen.width() - 2.0 * card::MARGIN[0] * scale).min(card::MAX_WIDTH * scale);
    egui::Area::new(egui::Id::unique("presenter-caption"))
        .order(Order::Foreground)
        .anchor(
            Align2::LEFT_BOTTOM,
            vec2(card::MARGIN[0] * scale, -card::MARGIN[1] * scale),
        )
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(Color32::from_rgba_unmultiplied(
                    255,
                    255,
                    255,
                    card::FILL_ALPHA,
                ))
                .corner_radius(card::CORNER * scale)
                .inner_margin(egui::Margin::symmetric(
                    (card::PADDING[0] * scale) as i8,
                    (card::PADDING[1] * scale) as i8,
                ))
                .shadow(egui::Shadow {
                    offset: [0, 4],
                    blur: 24,
                    spread: 0,
                    color: Color32::from_black_alpha(90),
                })
                .show(ui, |ui| {
                    ui.set_width(width);
                    ui.label(
                        RichText::new(stop.title.get(lang))
                            .size(card::TITLE_PX * scale)
                            .strong()
                            .color(color32(card::TITLE)),
                    );
                    ui.add_space(card::GAPS[0] * scale);
                    ui.label(
                        RichText::new(stop.caption.get(lang))
                            .size(card::CAPTION_PX * scale)
                            .color(color32(card::CAPTION)),
                    );
                    ui.add_space(card::GAPS[1] * scale);
                    progress_line(presenter, ui, lang, scale);
                    // The sources on a line of their own, wrapped, at the size of the map's
                    // smallest labels: read from the back of the room too.
                    let citations = stop.citations(atlas, lang);
                    if !citations.is_empty() {
                        ui.add_space(card::GAPS[2] * scale);
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!(
                                    "{}{}",
                                    lang.pick("来源：", "Sources: "),
                                    citations.join(lang.pick("；", "; "))
                                ))
                                .size(card::SOURCES_PX * scale)
                                .color(color32(card::SOURCES)),
                            )
                            .wrap(),
                        );
                    }
                });
        });
}

/// Under the caption: the progress dots, "3 / 9", auto-play and how much of its time is gone,
/// and the stop number being typed.
fn progress_line(presenter: &Presenter, ui: &mut Ui, lang: Lang, scale: f32) {
    ui.horizontal(|ui| {
        progress_dots(presenter, ui, scale);
        ui.add_space(12.0 * scale);
        ui.label(
            RichText::new(format!(
                "{} / {}",
                presenter.index() + 1,
                presenter.tour.stops.len()
            ))
            .size(card::COUNT_PX * scale)
            .color(color32(card::COUNT)),
        );
        if presenter.autoplay() {
            ui.label(
                RichText::new(lang.pick("▶ 自动播放", "▶ auto-play"))
                    .size(16.0 * scale)
                    .color(Color32::from_rgb(0x15, 0x65, 0xc0)),
            );
            // How much of this stop's time is gone.
            let share = presenter.autoplay_share(ui.input(|i| i.time));
            let (rect, _) =
                ui.allocate_exact_size(vec2(80.0 * scale, 6.0 * scale), egui::Sense::hover());
            let painter = ui.painter();
            painter.rect_filled(rect, 3.0, Color32::from_rgb(0xd6, 0xdc, 0xe4));
            let mut done = rect;
            done.set_width(rect.width() * share);
            painter.rect_filled(done, 3.0, Color32::from_rgb(0x15, 0x65, 0xc0));
        }
        if !presenter.digits().is_empty() {
            ui.label(
                RichText::new(format!("→ {}", presenter.digits()))
                    .size(20.0 * scale)
                    .strong(),
            );
        }
    });
}

fn progress_dots(presenter: &Presenter, ui: &mut Ui, scale: f32) {
    let count = presenter.tour.stops.len();
    // A long tour's dots close up to fit a third of the card; they never overflow it.
    let room = ui.available_width() / 3.0;
    let spacing = (card::DOT_SPACING * scale)
        .min(room / count.max(1) as f32)
        .max(4.0);
    let shrink = (spacing / (card::DOT_SPACING * scale)).min(1.0);
    let (rect, _) = ui.allocate_exact_size(
        vec2(spacing * count as f32, 20.0 * scale),
        egui::Sense::hover(),
    );
    for index in 0..count {
        let centre = Pos2::new(
            rect.left() + spacing * (index as f32 + 0.5),
            rect.center().y,
        );
        let (radius, colour) = match index.cmp(&presenter.index()) {
            std::cmp::Ordering::Equal => (card::DOT_RADIUS[0], card::DOT_HERE),
            std::cmp::Ordering::Less => (card::DOT_RADIUS[1], card::DOT_DONE),
            std::cmp::Ordering::Greater => (card::DOT_RADIUS[1], card::DOT_TO_COME),
        };
        ui.painter()
            .circle_filled(centre, radius * scale * shrink.max(0.35), color32(colour));
    }
}

/// The one line shown when a tour starts: how to see the keys, and how to leave.
fn start_hint(ctx: &egui::Context, lang: Lang) {
    egui::Area::new(egui::Id::unique("presenter-start-hint"))
        .order(Order::Foreground)
        .anchor(Align2::RIGHT_TOP, vec2(-16.0, 16.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(Color32::from_rgba_unmultiplied(20, 24, 32, 170))
                .corner_radius(6.0)
                .inner_margin(egui::Margin::symmetric(10, 6))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(lang.pick("H 显示按键 · Esc 退出", "H: keys · Esc: leave"))
                            .size(13.0)
                            .color(Color32::WHITE),
                    );
                });
        });
}

/// The keys, in a card at the top right, within the screen whatever the language and size.
fn hints(ctx: &egui::Context, lang: Lang, screen: egui::Rect) {
    let scale = projector_scale(ctx, screen);
    let margin = 24.0 * scale;
    let rows: [(&str, &str, &str); 9] = [
        (
            "→ / PgDn / 空格",
            "→ / PgDn / Space",
            lang.pick("下一站", "next stop"),
        ),
        ("← / PgUp", "← / PgUp", lang.pick("上一站", "previous stop")),
        (
            "数字 + Enter",
            "number + Enter",
            lang.pick("跳到第 n 站", "go to stop n"),
        ),
        (
            "Home / End",
            "Home / End",
            lang.pick("第一站 / 最后一站", "first / last stop"),
        ),
        ("B", "B", lang.pick("黑屏", "black screen")),
        (
            "Ctrl+P / Ctrl+E",
            "Ctrl+P / Ctrl+E",
            lang.pick(
                "画笔（左键拖动画线）/ 擦除本站笔迹",
                "pen (left-drag draws) / erase the stop's ink",
            ),
        ),
        ("A", "A", lang.pick("自动播放 / 暂停", "auto-play / pause")),
        (
            "R",
            "R",
            lang.pick(
                "平移后回到本站（右键拖动平移）",
                "back to the stop (pan: right-drag)",
            ),
        ),
        (
            "Esc",
            "Esc",
            lang.pick(
                "退出演示（H 显示/隐藏本提示）",
                "leave (H: show/hide these keys)",
            ),
        ),
    ];
    // The widest the card may be: it stays on the screen, wrapping its lines if it must.
    let width = (screen.width() * 0.45).min(620.0 * scale);
    egui::Area::new(egui::Id::unique("presenter-hints"))
        .order(Order::Foreground)
        .anchor(Align2::RIGHT_TOP, vec2(-margin, margin))
        .constrain_to(screen.shrink(margin))
        .interactable(false)
        .show(ctx, |ui| {
            ui.set_max_width(width);
            egui::Frame::new()
                .fill(Color32::from_rgba_unmultiplied(20, 24, 32, 215))
                .corner_radius(8.0 * scale)
                .inner_margin(egui::Margin::same((14.0 * scale) as i8))
                .show(ui, |ui| {
                    egui::Grid::new("presenter-hint-grid")
                        .spacing([14.0 * scale, 4.0 * scale])
                        .max_col_width(width * 0.6)
                        .show(ui, |ui| {
                            for (zh, en, what) in rows {
                                ui.label(
                                    RichText::new(lang.pick(zh, en))
                                        .size(HINT_PIXELS * scale)
                                        .strong()
                                        .color(Color32::WHITE),
                                );
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(what)
                                            .size(HINT_PIXELS * scale)
                                            .color(Color32::from_rgb(0xdd, 0xe2, 0xea)),
                                    )
                                    .wrap(),
                                );
                                ui.end_row();
                            }
                        });
                });
        });
}

/// The presenter view's window.
fn presenter_view_id() -> egui::ViewportId {
    egui::ViewportId::from_hash_of("presenter-view")
}

/// What the presenter view asks: commands (its keys, when it has the focus in a window of its
/// own; a stop chosen in its list) and whether its window was closed.
#[derive(Debug, Default)]
pub struct PresenterViewAsks {
    pub commands: Vec<Command>,
    pub closed: bool,
}

/// The presenter view, in a window of its own (or, where the platform has one window only,
/// inside the main one): the stop's number and title, its speaker notes in large type, the
/// next stop's title, the time since the tour began and the clock, and the stops to jump to.
/// The audience's screen shows none of it.
///
/// `on`: the monitor it is full screen on (two screens), else a window.
pub fn presenter_view(
    ctx: &egui::Context,
    presenter: &Presenter,
    thumbnails: &Thumbnails,
    on: Option<usize>,
    lang: Lang,
    now: f64,
) -> PresenterViewAsks {
    let title = lang.pick("演示者视图", "Presenter view");
    let mut builder = egui::ViewportBuilder::default()
        .with_title(format!("{title} · {}", presenter.tour.title.get(lang)))
        .with_inner_size([960.0, 640.0]);
    if let Some(monitor) = on {
        builder = builder.with_monitor(monitor);
    }
    let embedded = ctx.embed_viewports();
    ctx.show_viewport_immediate(presenter_view_id(), builder, |ctx, _class| {
        let mut asks = PresenterViewAsks::default();
        let contents = |ui: &mut Ui, asks: &mut PresenterViewAsks| {
            // Its own keys only in its own window: embedded, the main window reads them.
            if !embedded {
                asks.commands.extend(commands(ui));
                asks.closed = ui.input(|i| i.viewport().close_requested());
            }
            presenter_view_contents(ui, presenter, thumbnails, lang, now, asks);
        };
        if embedded {
            egui::Window::new(title)
                .id(egui::Id::unique("presenter-view-window"))
                .default_size([520.0, 420.0])
                .show(ctx, |ui| contents(ui, &mut asks));
        } else {
            egui::CentralPanel::default().show(ctx, |ui| contents(ui, &mut asks));
        }
        asks
    })
}

fn presenter_view_contents(
    ui: &mut Ui,
    presenter: &Presenter,
    thumbnails: &Thumbnails,
    lang: Lang,
    now: f64,
    asks: &mut PresenterViewAsks,
) {
    let stops = &presenter.tour.stops;
    let index = presenter.index();
    let stop = presenter.stop();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("{} / {}", index + 1, stops.len()))
                .size(22.0)
                .strong(),
        );
        ui.label(RichText::new(stop.title.get(lang)).size(22.0).strong());
    });
    let elapsed = presenter.elapsed(now) as u64;
    let clock = crate::date::clock();
    ui.label(
        RichText::new(format!(
            "{} {:02}:{:02}    {} {clock}",
            lang.pick("已用", "Elapsed"),
            elapsed / 60,
            elapsed % 60,
            lang.pick("时钟", "Clock"),
        ))
        .size(24.0)
        .monospace(),
    );
    // The stop's map and the next one's (once made, on another thread).
    if !thumbnails.left_out.is_empty() {
        ui.label(
            RichText::new(format!(
                "{}{}",
                lang.pick("小图未画大图层：", "Pictures leave out the large layers: "),
                thumbnails.left_out.join(lang.pick("、", ", "))
            ))
            .small()
            .weak(),
        );
    }
    // As PowerPoint's: the stop shown larger than the next one, both as wide as the screen
    // allows (a laptop's full screen, or a small window when rehearsing).
    let width = ui.available_width();
    ui.horizontal(|ui| {
        for (stop_index, words, share) in [
            (index, lang.pick("现在", "Now"), 0.55),
            (index + 1, lang.pick("下一站", "Next"), 0.35),
        ] {
            if let Some(texture) = thumbnails.get(stop_index) {
                ui.vertical(|ui| {
                    ui.label(RichText::new(words).small().weak());
                    let most = (width * share).clamp(200.0, THUMBNAIL[0] as f32);
                    ui.add(egui::Image::new(texture).max_width(most));
                });
            }
        }
    });
    ui.separator();
    let notes = stop.notes(lang);
    egui::ScrollArea::vertical()
        .id_salt("presenter-notes")
        .max_height((ui.available_height() - 160.0).max(120.0))
        .show(ui, |ui| {
            if notes.is_empty() {
                ui.label(
                    RichText::new(lang.pick(
                        "（本站没有讲稿：在导览面板“编辑导览…”中写）",
                        "(No speaker notes for this stop: write them under “Edit tours…”)",
                    ))
                    .size(16.0)
                    .weak(),
                );
            } else {
                ui.label(RichText::new(notes).size(26.0));
            }
        });
    ui.separator();
    match presenter.next_stop() {
        Some(next) => ui.label(
            RichText::new(format!(
                "{}{}",
                lang.pick("下一站：", "Next: "),
                next.title.get(lang)
            ))
            .size(18.0),
        ),
        None => ui.label(RichText::new(lang.pick("最后一站", "Last stop")).size(18.0)),
    };
    ui.horizontal_wrapped(|ui| {
        for (n, each) in stops.iter().enumerate() {
            let label = format!("{} {}", n + 1, each.title.get(lang));
            if ui.selectable_label(n == index, label).clicked() && n != index {
                asks.commands.push(Command::GoTo(n));
            }
        }
    });
}

/// Pictures of a tour's stops for the presenter view (the next stop's, to know what comes),
/// each made once on another thread through the export pipeline, from a copy of the atlas made
/// when the first is asked for: the atlas's layers and the user's, except user layers too large
/// to copy in a moment (named under the pictures instead).
#[derive(Default)]
pub struct Thumbnails {
    made: std::collections::HashMap<usize, egui::TextureHandle>,
    failed: std::collections::HashSet<usize>,
    pending: Option<(usize, std::sync::mpsc::Receiver<Option<egui::ColorImage>>)>,
    atlas: Option<std::sync::Arc<Atlas>>,
    /// The user layers the pictures leave out, by name.
    pub left_out: Vec<String>,
}

/// The user layers' features the thumbnails' copy of the atlas takes at most (a copy of this
/// many takes some tens of milliseconds on the window's thread, once per tour).
const THUMBNAIL_USER_FEATURES: usize = 200_000;

/// A thumbnail's size in pixels (16:9, as a projector's screen; sharp at half a 1080p laptop's
/// width).
const THUMBNAIL: [u32; 2] = [768, 432];

impl Thumbnails {
    /// The picture of stop `stop`, once made.
    pub fn get(&self, stop: usize) -> Option<&egui::TextureHandle> {
        self.made.get(&stop)
    }

    /// Picks up a finished picture, and starts the first of `wanted` not made yet.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        atlas: &Atlas,
        tour: &crate::tour::Tour,
        wanted: &[usize],
        lang: Lang,
    ) {
        if let Some((stop, receive)) = &self.pending {
            let stop = *stop;
            match receive.try_recv() {
                Ok(Some(image)) => {
                    let texture = ctx.load_texture(
                        format!("stop-thumbnail-{stop}"),
                        image,
                        egui::TextureOptions::LINEAR,
                    );
                    self.made.insert(stop, texture);
                    self.pending = None;
                }
                Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.failed.insert(stop);
                    self.pending = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => return,
            }
        }
        let Some(&stop) = wanted
            .iter()
            .find(|s| !self.made.contains_key(s) && !self.failed.contains(s))
        else {
            return;
        };
        let Some(stop_data) = tour.stops.get(stop).cloned() else {
            return;
        };
        let left_out = &mut self.left_out;
        let atlas = std::sync::Arc::clone(self.atlas.get_or_insert_with(|| {
            let (copy, left) = thumbnail_atlas(atlas, THUMBNAIL_USER_FEATURES);
            *left_out = left;
            std::sync::Arc::new(copy)
        }));
        let (send, receive) = std::sync::mpsc::channel();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let image = thumbnail(&atlas, &stop_data, lang);
            let _ = send.send(image);
            repaint.request_repaint();
        });
        self.pending = Some((stop, receive));
    }
}

/// The copy of `atlas` the stops' pictures are drawn from: its own layers, and the user's
/// while their features add up to at most `budget`; the names of those left out.
pub fn thumbnail_atlas(atlas: &Atlas, budget: usize) -> (Atlas, Vec<String>) {
    let mut budget = budget;
    let mut layers = Vec::new();
    let mut left_out = Vec::new();
    for layer in atlas.layers() {
        match &layer.user {
            Some(user) if layer.features.len() > budget => left_out.push(user.name.clone()),
            Some(_) => {
                budget -= layer.features.len();
                layers.push(layer.clone());
            }
            None => layers.push(layer.clone()),
        }
    }
    let copy = Atlas::new(layers).with_content(atlas.content().clone());
    (copy, left_out)
}

/// A stop's map alone (no title, legend or footer), as the handout draws it, small.
fn thumbnail(atlas: &Atlas, stop: &crate::tour::Stop, lang: Lang) -> Option<egui::ColorImage> {
    use crate::export;
    let mut builder = crate::render::SceneBuilder::new(atlas);
    let size = export::PageSize::Pixels {
        width: THUMBNAIL[0],
        height: THUMBNAIL[1],
    };
    let mut request = export::handout::stop_request(stop, atlas, lang, size);
    request.elements = export::Elements {
        title: false,
        legend: false,
        scale_bar: false,
        north_arrow: false,
        overview: false,
        date: false,
        sources: false,
    };
    request.highlight.print = true;
    let composition = export::compose(atlas, &mut builder, &request).ok()?;
    let pixmap = export::rasterise(&composition.svg, &composition.page, None).ok()?;
    Some(crate::ui::features::export::color_image(&pixmap))
}
