//! The Export dialog: the options of a finished map page, a live preview, export in the
//! background with progress, and "Copy image to clipboard". The page is laid out by the
//! window (it holds the scene builder): the dialog asks for it with [`ExportAction::Compose`]
//! and gets it back in [`ExportDialog::composed`]; rendering and writing run on other threads.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use eframe::egui::{self, Color32, ColorImage, RichText, TextureHandle, TextureOptions, Ui};

use super::{Ctx, Feature};
use crate::document::state::{ExtentChoice, SavedExport, SizeChoice};
use crate::export::{
    self, Composition, Elements, ExportError, ExportRequest, Extent, Format, Page, PageSize, Paper,
};
use crate::model::Lang;
use crate::render::Highlight;
use crate::ui::action::{Action, ComposeFor, ExportAction};

/// Work running on another thread: an export to a file, or an image for the clipboard.
struct Job {
    what: JobKind,
    started: Instant,
    stage: Arc<AtomicU8>,
    result: Receiver<Result<JobOutput, ExportError>>,
    description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobKind {
    File,
    Clipboard,
}

enum JobOutput {
    Written(PathBuf),
    Image(ColorImage),
}

const STAGE_RENDERING: u8 = 1;
const STAGE_WRITING: u8 = 2;

/// The preview thumbnail, redrawn in the background when the options change.
#[derive(Default)]
struct Preview {
    texture: Option<TextureHandle>,
    /// The request the texture (or the running job) shows.
    shown: Option<ExportRequest>,
    pending: Option<Receiver<Result<ColorImage, ExportError>>>,
    error: Option<String>,
}

/// Longest side of the preview thumbnail, in pixels.
const PREVIEW_SIDE: u32 = 360;

pub struct ExportDialog {
    pub open: bool,
    extent: ExtentChoice,
    size: SizeChoice,
    paper: Paper,
    landscape: bool,
    dpi: u32,
    custom: [u32; 2],
    format: Format,
    title: String,
    subtitle: String,
    elements: Elements,
    path: String,
    /// An existing file the user has been asked about.
    confirm_replace: Option<PathBuf>,
    preview: Preview,
    job: Option<Job>,
    /// The last outcome: (success, message).
    message: Option<(bool, String)>,
    /// "Choose…" found no file dialog to open: the path field is the way.
    no_dialog: bool,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            extent: ExtentChoice::CurrentView,
            size: SizeChoice::FullHd,
            paper: Paper::A4,
            landscape: true,
            dpi: 300,
            custom: [2400, 1600],
            format: Format::Png,
            title: String::new(),
            subtitle: String::new(),
            elements: Elements::default(),
            path: default_path(Format::Png).display().to_string(),
            confirm_replace: None,
            preview: Preview::default(),
            job: None,
            message: None,
            no_dialog: false,
        }
    }
}

impl ExportDialog {
    /// The settings to remember.
    pub fn saved(&self) -> SavedExport {
        SavedExport {
            extent: self.extent.clone(),
            size: self.size,
            paper: self.paper,
            landscape: self.landscape,
            dpi: self.dpi,
            custom: self.custom,
            format: self.format,
            elements: self.elements,
            folder: PathBuf::from(self.path.trim())
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(Path::to_path_buf),
        }
    }

    /// The dialog with remembered settings (an unusable value keeps its default).
    pub fn restored(saved: &SavedExport) -> Self {
        let defaults = Self::default();
        let folder = saved
            .folder
            .clone()
            .filter(|f| f.is_dir())
            .unwrap_or_else(|| default_folder_for(saved.format));
        // A user's feature ("layer/id") may not be loaded next time: the view instead.
        let extent = match &saved.extent {
            ExtentChoice::Feature(id) if id.contains('/') => ExtentChoice::CurrentView,
            other => other.clone(),
        };
        Self {
            extent,
            size: saved.size,
            paper: saved.paper,
            landscape: saved.landscape,
            dpi: if (36..=1200).contains(&saved.dpi) {
                saved.dpi
            } else {
                defaults.dpi
            },
            custom: if saved
                .custom
                .iter()
                .all(|&side| (1..=20_000).contains(&side))
            {
                saved.custom
            } else {
                defaults.custom
            },
            format: saved.format,
            elements: saved.elements,
            path: folder.join(file_name(saved.format)).display().to_string(),
            ..defaults
        }
    }
}

/// Where exports go by default: `~/Documents`, else the home or the current folder.
pub fn default_folder() -> PathBuf {
    crate::paths::documents_dir()
}

/// Where a page of `format` goes unless the user chose: images to the pictures folder, PDFs
/// to the documents folder (as the desktop names them).
fn default_folder_for(format: Format) -> PathBuf {
    match format {
        Format::Pdf => crate::paths::documents_dir(),
        Format::Png | Format::Svg => crate::paths::pictures_dir(),
    }
}

/// `~/Pictures/chengyu-atlas-YYYY-MM-DD.png` (PDFs in documents; else the home folder).
fn default_path(format: Format) -> PathBuf {
    default_folder_for(format).join(file_name(format))
}

/// `chengyu-atlas-YYYY-MM-DD.png`, dated today where the user is.
fn file_name(format: Format) -> String {
    format!("chengyu-atlas-{}.{}", export::today(), extension(format))
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Png => "png",
        Format::Svg => "svg",
        Format::Pdf => "pdf",
    }
}

impl ExportDialog {
    /// Whether work is running in the background (the window keeps repainting meanwhile).
    pub fn busy(&self) -> bool {
        self.job.is_some() || self.preview.pending.is_some()
    }

    /// Where the next export goes, as the dialog proposes it.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(self.path.trim())
    }

    /// Sets where the next export goes (for tests and scripts driving the window).
    pub fn set_path(&mut self, path: &Path) {
        self.path = path.display().to_string();
        if let Some(format) = Format::from_path(path) {
            self.format = format;
        }
    }

    /// The request the options describe, for what the window shows.
    pub fn request(&self, ctx: &Ctx<'_>) -> Option<ExportRequest> {
        let view = ctx.shown.or(ctx.view);
        let extent = match &self.extent {
            ExtentChoice::CurrentView => Extent::View(view?),
            ExtentChoice::Feature(id) => Extent::Feature(id.clone()),
        };
        let size = match self.size {
            SizeChoice::CurrentView => {
                let [w, h] = view?.size;
                PageSize::Pixels {
                    width: w.round().max(1.0) as u32,
                    height: h.round().max(1.0) as u32,
                }
            }
            SizeChoice::FullHd => PageSize::Pixels {
                width: 1920,
                height: 1080,
            },
            SizeChoice::Uhd => PageSize::Pixels {
                width: 3840,
                height: 2160,
            },
            SizeChoice::Paper => PageSize::Paper {
                paper: self.paper,
                landscape: self.landscape,
                dpi: self.dpi,
            },
            SizeChoice::Custom => PageSize::Pixels {
                width: self.custom[0],
                height: self.custom[1],
            },
        };
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        Some(ExportRequest {
            extent,
            size,
            lang: ctx.lang,
            title: text(&self.title),
            subtitle: text(&self.subtitle),
            caption: None,
            notes: None,
            layers: ctx.layers.clone(),
            highlight: Highlight {
                hovered: None,
                ..ctx.highlight.clone()
            },
            elements: self.elements,
            basemaps: ctx.basemaps.for_export(),
        })
    }

    fn options(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) {
        let lang = ctx.lang;
        egui::Grid::new("export-options")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                ui.label(lang.pick("范围", "Extent"));
                self.extent_choice(ui, ctx);
                ui.end_row();

                ui.label(lang.pick("尺寸", "Size"));
                self.size_choice(ui, lang);
                ui.end_row();

                ui.label(lang.pick("格式", "Format"));
                ui.horizontal(|ui| {
                    let before = self.format;
                    ui.selectable_value(&mut self.format, Format::Png, "PNG");
                    ui.selectable_value(&mut self.format, Format::Svg, "SVG");
                    ui.selectable_value(&mut self.format, Format::Pdf, "PDF");
                    if self.format != before {
                        let path = PathBuf::from(&self.path).with_extension(extension(self.format));
                        self.path = path.display().to_string();
                    }
                });
                ui.end_row();

                ui.label(lang.pick("标题", "Title"));
                ui.add(
                    egui::TextEdit::singleline(&mut self.title)
                        .hint_text(lang.pick("（按范围自动）", "(from the extent)"))
                        .desired_width(240.0),
                );
                ui.end_row();
                ui.label(lang.pick("副标题", "Subtitle"));
                ui.add(egui::TextEdit::singleline(&mut self.subtitle).desired_width(240.0));
                ui.end_row();

                ui.label(lang.pick("元素", "Elements"));
                self.elements_choice(ui, lang);
                ui.end_row();

                ui.label(lang.pick("保存到", "Save to"));
                self.path_choice(ui, lang);
                ui.end_row();
            });
    }

    /// The extent: the current view, the selected feature or a zone.
    fn extent_choice(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) {
        let (atlas, lang) = (ctx.atlas, ctx.lang);
        let name_of = |choice: &ExtentChoice| match choice {
            ExtentChoice::CurrentView => lang.pick("当前视图", "Current view").to_string(),
            ExtentChoice::Feature(id) => atlas
                .find(id)
                .map_or_else(|| id.clone(), |(_, f)| f.name.get(lang).to_string()),
        };
        egui::ComboBox::from_id_salt("export-extent")
            .selected_text(name_of(&self.extent))
            .width(240.0)
            .show_ui(ui, |ui| {
                let mut choices = vec![ExtentChoice::CurrentView];
                if let Some(feature) = ctx.selected.and_then(|f| atlas.feature(f)) {
                    choices.push(ExtentChoice::Feature(feature.id.clone()));
                }
                for (_, zone) in atlas.zones() {
                    let choice = ExtentChoice::Feature(zone.id.clone());
                    if !choices.contains(&choice) {
                        choices.push(choice);
                    }
                }
                for choice in choices {
                    let text = name_of(&choice);
                    ui.selectable_value(&mut self.extent, choice, text);
                }
            });
    }

    /// The size: the view's, Full HD, 4K, a sheet of paper (A4/A3, orientation, dpi) or custom.
    fn size_choice(&mut self, ui: &mut Ui, lang: Lang) {
        ui.vertical(|ui| {
            egui::ComboBox::from_id_salt("export-size")
                .selected_text(size_name(self.size, lang))
                .width(240.0)
                .show_ui(ui, |ui| {
                    for size in [
                        SizeChoice::CurrentView,
                        SizeChoice::FullHd,
                        SizeChoice::Uhd,
                        SizeChoice::Paper,
                        SizeChoice::Custom,
                    ] {
                        ui.selectable_value(&mut self.size, size, size_name(size, lang));
                    }
                });
            match self.size {
                SizeChoice::Paper => {
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut self.paper, Paper::A4, "A4");
                        ui.selectable_value(&mut self.paper, Paper::A3, "A3");
                        ui.separator();
                        ui.selectable_value(
                            &mut self.landscape,
                            false,
                            lang.pick("纵向", "Portrait"),
                        );
                        ui.selectable_value(
                            &mut self.landscape,
                            true,
                            lang.pick("横向", "Landscape"),
                        );
                        ui.separator();
                        ui.selectable_value(&mut self.dpi, 150, "150 dpi");
                        ui.selectable_value(&mut self.dpi, 300, "300 dpi");
                    });
                }
                SizeChoice::Custom => {
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::DragValue::new(&mut self.custom[0])
                                .range(320..=export::MAX_SIDE_PX)
                                .suffix(" px"),
                        );
                        ui.label("×");
                        ui.add(
                            egui::DragValue::new(&mut self.custom[1])
                                .range(240..=export::MAX_SIDE_PX)
                                .suffix(" px"),
                        );
                    });
                }
                _ => {}
            }
        });
    }

    /// The page's elements: title, legend, scale bar, north arrow, overview, date, sources.
    fn elements_choice(&mut self, ui: &mut Ui, lang: Lang) {
        ui.vertical(|ui| {
            let e = &mut self.elements;
            ui.horizontal(|ui| {
                ui.checkbox(&mut e.title, lang.pick("标题", "Title"));
                ui.checkbox(&mut e.legend, lang.pick("图例", "Legend"));
                ui.checkbox(&mut e.scale_bar, lang.pick("比例尺", "Scale bar"));
            });
            ui.horizontal(|ui| {
                ui.checkbox(&mut e.north_arrow, lang.pick("指北针", "North arrow"));
                ui.checkbox(&mut e.overview, lang.pick("鹰眼图", "Overview"));
            });
            ui.horizontal(|ui| {
                ui.checkbox(&mut e.date, lang.pick("日期", "Date"));
                ui.checkbox(&mut e.sources, lang.pick("数据来源", "Sources"));
            });
        });
    }

    /// Where the file goes: a path field and Choose… (a native dialog where there is one).
    fn path_choice(&mut self, ui: &mut Ui, lang: Lang) {
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut self.path)
                        .desired_width(240.0)
                        .id(egui::Id::unique("export-path")),
                );
                let mut changed = edit.changed();
                if ui.button(lang.pick("选择…", "Choose…")).clicked() {
                    use crate::ui::file_dialog::{Picked, ask, save_export};
                    match ask(|| save_export(lang, Path::new(self.path.trim()))) {
                        Picked::Path(path) => {
                            self.path = path.display().to_string();
                            changed = true;
                        }
                        Picked::NoDialog => self.no_dialog = true,
                        Picked::Cancelled => {}
                    }
                }
                if changed {
                    self.confirm_replace = None;
                    if let Some(format) = Format::from_path(Path::new(&self.path)) {
                        self.format = format;
                    }
                }
            });
            if self.no_dialog {
                crate::ui::panels::no_dialog_notice(ui, lang);
            }
        });
    }

    fn preview_ui(&mut self, ui: &mut Ui, lang: Lang, request: Option<&ExportRequest>) {
        let Some(request) = request else {
            ui.label(lang.pick("地图尚未显示。", "The map is not shown yet."));
            return;
        };
        match Page::for_size(request.size) {
            Ok(page) => {
                ui.label(
                    RichText::new(format!(
                        "{} × {} px{}",
                        page.width_px,
                        page.height_px,
                        match request.size {
                            PageSize::Paper { dpi, .. } => format!(" · {dpi} dpi"),
                            PageSize::Pixels { .. } => String::new(),
                        }
                    ))
                    .small()
                    .weak(),
                );
            }
            Err(error) => {
                ui.colored_label(Color32::from_rgb(0xb0, 0x20, 0x20), error.to_string());
            }
        }
        let side = PREVIEW_SIDE as f32;
        match (&self.preview.texture, &self.preview.error) {
            (_, Some(error)) => {
                ui.colored_label(Color32::from_rgb(0xb0, 0x20, 0x20), error);
            }
            (Some(texture), None) => {
                let size = texture.size_vec2();
                let scale = (side / size.x.max(size.y)).min(1.0);
                ui.add(
                    egui::Image::new((texture.id(), size * scale))
                        .bg_fill(Color32::WHITE)
                        .corner_radius(2.0),
                )
                .on_hover_text(lang.pick("预览", "Preview"));
            }
            (None, None) => {
                ui.add_sized([side, side * 0.56], egui::Spinner::new());
            }
        }
    }

    /// Export, Copy, and what became of the last one; what the window is asked to lay out.
    fn actions(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        request: Option<&ExportRequest>,
    ) -> Option<ExportAction> {
        let mut asked = None;
        if let Some(job) = &self.job {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                let stage = match job.stage.load(Ordering::Relaxed) {
                    STAGE_RENDERING => lang.pick("正在渲染", "Rendering"),
                    STAGE_WRITING => lang.pick("正在写入", "Writing"),
                    _ => lang.pick("正在排版", "Laying out"),
                };
                ui.label(format!(
                    "{stage} {} … {:.1} s",
                    job.description,
                    job.started.elapsed().as_secs_f32()
                ));
            });
            return None;
        }
        if let Some(existing) = self.confirm_replace.clone() {
            ui.label(format!(
                "{} {}",
                existing.display(),
                lang.pick("已存在，要替换吗？", "exists. Replace it?")
            ));
            ui.horizontal(|ui| {
                if ui.button(lang.pick("替换", "Replace")).clicked()
                    && let Some(request) = request
                {
                    self.confirm_replace = None;
                    asked = self.ask_file(request, existing, true);
                }
                if ui.button(lang.pick("取消", "Cancel")).clicked() {
                    self.confirm_replace = None;
                }
            });
            return asked;
        }
        ui.horizontal(|ui| {
            let ready = request.is_some();
            if ui
                .add_enabled(ready, egui::Button::new(lang.pick("导出", "Export")))
                .clicked()
                && let Some(request) = request
            {
                let path = PathBuf::from(self.path.trim());
                if path.exists() {
                    self.confirm_replace = Some(path);
                } else {
                    asked = self.ask_file(request, path, false);
                }
            }
            if ui
                .add_enabled(
                    ready,
                    egui::Button::new(lang.pick("复制图像到剪贴板", "Copy image to clipboard")),
                )
                .clicked()
                && let Some(request) = request
            {
                self.message = None;
                asked = Some(ExportAction::Compose(
                    Box::new(request.clone()),
                    ComposeFor::Clipboard,
                ));
            }
        });
        if let Some((ok, message)) = &self.message {
            let colour = if *ok {
                Color32::from_rgb(0x1b, 0x6e, 0x2a)
            } else {
                Color32::from_rgb(0xb0, 0x20, 0x20)
            };
            ui.colored_label(colour, message);
        }
        asked
    }

    /// Asks for the page to write to `path` (replacing a file there when `force`), when its
    /// name says a format.
    fn ask_file(
        &mut self,
        request: &ExportRequest,
        path: PathBuf,
        force: bool,
    ) -> Option<ExportAction> {
        self.message = None;
        if Format::from_path(&path).is_none() {
            self.message = Some((false, ExportError::UnknownFormat(path).to_string()));
            return None;
        }
        Some(ExportAction::Compose(
            Box::new(request.clone()),
            ComposeFor::File { path, force },
        ))
    }

    /// The page the window laid out for `purpose`: the preview redrawn, or the file written or
    /// the image copied, on another thread.
    pub fn composed(
        &mut self,
        egui: &egui::Context,
        purpose: ComposeFor,
        composition: Result<Composition, ExportError>,
    ) {
        let composition = match (composition, &purpose) {
            (Ok(composition), _) => composition,
            (Err(error), ComposeFor::Preview) => {
                self.preview.error = Some(error.to_string());
                return;
            }
            (Err(error), _) => {
                self.message = Some((false, error.to_string()));
                return;
            }
        };
        match purpose {
            ComposeFor::Preview => self.rasterise_preview(egui, composition),
            ComposeFor::File { path, force } => {
                let Some(format) = Format::from_path(&path) else {
                    self.message = Some((false, ExportError::UnknownFormat(path).to_string()));
                    return;
                };
                let kind = extension(format).to_ascii_uppercase();
                self.start(composition, JobKind::File, &kind, move |page, stage| {
                    if path.exists() && !force {
                        return Err(ExportError::Exists(path.clone()));
                    }
                    let bytes = export::encode(&page.svg, &page.page, format)?;
                    stage.store(STAGE_WRITING, Ordering::Relaxed);
                    export::write_file(&path, &bytes)?;
                    Ok(JobOutput::Written(path))
                });
            }
            ComposeFor::Clipboard => {
                self.start(composition, JobKind::Clipboard, "", |page, _| {
                    export::rasterise(&page.svg, &page.page, None)
                        .map(|pixmap| JobOutput::Image(color_image(&pixmap)))
                });
            }
        }
    }

    /// Runs `work` on the laid-out page in the background.
    fn start(
        &mut self,
        composition: Composition,
        what: JobKind,
        kind: &str,
        work: impl FnOnce(Composition, &AtomicU8) -> Result<JobOutput, ExportError> + Send + 'static,
    ) {
        let description = format!(
            "{} × {} {kind}",
            composition.page.width_px, composition.page.height_px
        );
        let stage = Arc::new(AtomicU8::new(STAGE_RENDERING));
        let (send, result) = channel();
        let thread_stage = stage.clone();
        std::thread::spawn(move || {
            let _ = send.send(work(composition, &thread_stage));
        });
        self.job = Some(Job {
            what,
            started: Instant::now(),
            stage,
            result,
            description: description.trim_end().to_string(),
        });
    }

    /// Picks up finished background work.
    fn pick_up(&mut self, ctx: &egui::Context, lang: Lang) {
        if let Some(job) = &self.job {
            match job.result.try_recv() {
                Ok(Ok(JobOutput::Written(path))) => {
                    let seconds = job.started.elapsed().as_secs_f32();
                    self.message = Some((
                        true,
                        format!(
                            "{} {} ({seconds:.1} s)",
                            lang.pick("已保存", "Saved"),
                            path.display()
                        ),
                    ));
                    self.job = None;
                }
                Ok(Ok(JobOutput::Image(image))) => {
                    let [w, h] = image.size;
                    ctx.copy_image(image);
                    self.message = Some((
                        true,
                        format!(
                            "{} ({w} × {h})",
                            lang.pick(
                                "图像已复制，可粘贴到文档中",
                                "Image copied: paste it into your document"
                            )
                        ),
                    ));
                    self.job = None;
                }
                Ok(Err(error)) => {
                    self.message = Some((false, error.to_string()));
                    self.job = None;
                }
                Err(TryRecvError::Disconnected) => {
                    let what = match job.what {
                        JobKind::File => lang.pick("导出失败", "The export failed"),
                        JobKind::Clipboard => lang.pick("复制失败", "Copying failed"),
                    };
                    self.message = Some((false, what.to_string()));
                    self.job = None;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        if let Some(pending) = &self.preview.pending {
            match pending.try_recv() {
                Ok(Ok(image)) => {
                    match &mut self.preview.texture {
                        Some(texture) => texture.set(image, TextureOptions::LINEAR),
                        None => {
                            self.preview.texture = Some(ctx.load_texture(
                                "export-preview",
                                image,
                                TextureOptions::LINEAR,
                            ))
                        }
                    }
                    self.preview.error = None;
                    self.preview.pending = None;
                }
                Ok(Err(error)) => {
                    self.preview.error = Some(error.to_string());
                    self.preview.pending = None;
                }
                Err(TryRecvError::Disconnected) => self.preview.pending = None,
                Err(TryRecvError::Empty) => {}
            }
        }
    }

    /// Asks for the preview to be redrawn when the options or the window's view changed (one
    /// at a time; the newest options win once the running one is done).
    fn preview_wanted(&mut self, request: &ExportRequest) -> Option<ExportAction> {
        if self.preview.pending.is_some() || self.preview.shown.as_ref() == Some(request) {
            return None;
        }
        self.preview.shown = Some(request.clone());
        Some(ExportAction::Compose(
            Box::new(request.clone()),
            ComposeFor::Preview,
        ))
    }

    /// Draws the preview of a laid-out page on another thread.
    fn rasterise_preview(&mut self, ctx: &egui::Context, composition: Composition) {
        let (send, receive) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let image = export::rasterise(&composition.svg, &composition.page, Some(PREVIEW_SIDE))
                .map(|pixmap| color_image(&pixmap));
            let _ = send.send(image);
            ctx.request_repaint();
        });
        self.preview.pending = Some(receive);
    }
}

impl Feature for ExportDialog {
    /// The dialog, when open.
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        if !self.open {
            return Vec::new();
        }
        let lang = ctx.lang;
        let request = self.request(ctx);
        let mut asked: Vec<ExportAction> = request
            .as_ref()
            .and_then(|request| self.preview_wanted(request))
            .into_iter()
            .collect();
        let mut open = self.open;
        egui::Window::new(lang.pick("导出地图", "Export map"))
            .id(egui::Id::unique("export-dialog"))
            .open(&mut open)
            .default_width(420.0)
            .resizable(false)
            .collapsible(false)
            .show(egui, |ui| {
                self.options(ui, ctx);
                ui.separator();
                self.preview_ui(ui, lang, request.as_ref());
                ui.separator();
                asked.extend(self.actions(ui, lang, request.as_ref()));
            });
        self.open = open;
        asked.into_iter().map(Action::Export).collect()
    }

    /// Finished exports, copies and previews picked up (the dialog open or not).
    fn poll(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        self.pick_up(egui, ctx.lang);
        if self.busy() {
            egui.request_repaint_after(std::time::Duration::from_millis(100));
        }
        Vec::new()
    }
}

fn size_name(size: SizeChoice, lang: Lang) -> &'static str {
    match size {
        SizeChoice::CurrentView => lang.pick("与地图窗口相同", "As the map window"),
        SizeChoice::FullHd => "1920 × 1080",
        SizeChoice::Uhd => "3840 × 2160",
        SizeChoice::Paper => lang.pick("纸张（A4 / A3）", "Paper (A4 / A3)"),
        SizeChoice::Custom => lang.pick("自定义", "Custom"),
    }
}

/// A drawn page as an image egui can show (a preview, a tour stop's picture).
pub(crate) fn color_image(pixmap: &resvg::tiny_skia::Pixmap) -> ColorImage {
    ColorImage::from_rgba_premultiplied(
        [pixmap.width() as usize, pixmap.height() as usize],
        pixmap.data(),
    )
}
