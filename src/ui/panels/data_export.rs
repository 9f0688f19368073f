//! "导出数据… / Export data…": a layer handed on as a file, from its row in the layers pane or
//! its attribute table. The rows (the whole layer, those the table's filter shows, or the
//! selected feature), the format (by the file's extension), the datum (WGS-84, or GCJ-02 or
//! BD-09 for apps that expect them) and a CSV's encoding are chosen; the file is written whole
//! or not at all, as `chengyu-atlas convert` writes it.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::coordinates::datum::Datum;
use crate::geodata::user::write::{
    DataFormat, DataOptions, TextEncoding, named_for_datum, write_data,
};
use crate::model::{Atlas, Lang, LayerId};

/// Which of the layer's features are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    All,
    /// Those the attribute table's filter shows.
    Filtered,
    /// The selected feature.
    Selected,
}

/// The dialog for one layer.
pub struct DataExport {
    pub layer: LayerId,
    /// The table's rows when a filter narrows them (feature indices).
    filtered: Option<Vec<u32>>,
    /// The selected feature, when it is the layer's.
    selected: Option<u32>,
    pub rows: Rows,
    pub format: DataFormat,
    pub datum: Datum,
    pub encoding: TextEncoding,
    /// The file written (its extension follows the format chosen).
    pub path: String,
    /// Why the last try failed.
    problem: Option<String>,
    /// The file being written, on a thread (a big layer takes seconds; the window goes on).
    writing: Option<std::thread::JoinHandle<Result<(PathBuf, usize), String>>>,
}

impl DataExport {
    /// For layer `id` named `name`: the filter's rows and the selection offered when there
    /// are any, the rows the user was looking at chosen.
    pub fn new(
        layer: LayerId,
        name: &str,
        filtered: Option<Vec<u32>>,
        selected: Option<u32>,
    ) -> Self {
        let folder = crate::paths::documents_dir();
        let rows = if filtered.is_some() {
            Rows::Filtered
        } else {
            Rows::All
        };
        Self {
            layer,
            filtered,
            selected,
            rows,
            format: DataFormat::GeoJson,
            datum: Datum::Wgs84,
            encoding: TextEncoding::Utf8Bom,
            path: folder.join(format!("{name}.geojson")).display().to_string(),
            problem: None,
            writing: None,
        }
    }

    /// The file that will be written: the path with the format's extension, named for its
    /// datum.
    pub fn target(&self) -> PathBuf {
        let path = PathBuf::from(self.path.trim()).with_extension(self.format.extension());
        named_for_datum(&path, self.datum)
    }

    /// Starts writing the rows chosen on a thread, with a copy of them.
    fn start(&mut self, atlas: &Atlas) -> Result<(), String> {
        let layer = atlas.layer(self.layer).ok_or("the layer is closed")?;
        let info = layer.user.as_deref().ok_or("the layer is closed")?.clone();
        let indices: Option<Vec<u32>> = match self.rows {
            Rows::All => None,
            Rows::Filtered => self.filtered.clone(),
            Rows::Selected => Some(self.selected.into_iter().collect()),
        };
        let features: crate::model::Features = match indices {
            None => layer.features.clone(),
            Some(indices) => indices
                .iter()
                .filter_map(|&i| layer.features.get(i as usize))
                .map(std::borrow::Cow::into_owned)
                .collect(),
        };
        let path = self.target();
        let options = DataOptions {
            datum: self.datum,
            encoding: self.encoding,
        };
        self.problem = None;
        self.writing = Some(std::thread::spawn(move || {
            let written = write_data(&path, &info, &features, &options)?;
            Ok((path, written))
        }));
        Ok(())
    }

    /// The write's outcome, once the thread is done.
    fn finished(&mut self) -> Option<Result<(PathBuf, usize), String>> {
        if !self.writing.as_ref()?.is_finished() {
            return None;
        }
        let handle = self.writing.take()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|_| Err("the writer stopped unexpectedly".into())),
        )
    }

    /// Draws the dialog; `Some` when the file is written (or could not be). `open` is set
    /// false to close it.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        atlas: &Atlas,
        lang: Lang,
        open: &mut bool,
    ) -> Option<Result<(PathBuf, usize), String>> {
        let name = atlas
            .user_layer(self.layer)
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let total = atlas.layer(self.layer).map_or(0, |l| l.features.len());
        let mut done = self.finished();
        match &done {
            Some(Ok(_)) => *open = false,
            Some(Err(why)) => self.problem = Some(why.clone()),
            None if self.writing.is_some() => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            None => {}
        }
        let mut keep_open = true;
        egui::Window::new(format!("{} — {name}", lang.pick("导出数据", "Export data")))
            .id(egui::Id::unique("data-export"))
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .open(&mut keep_open)
            .show(ctx, |ui| {
                self.rows_choice(ui, total, lang);
                ui.separator();
                self.options(ui, lang);
                ui.separator();
                let label = ui.label(lang.pick("保存到", "Save to"));
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(420.0))
                    .labelled_by(label.id);
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        lang.pick("将写入", "Will write"),
                        self.target().display()
                    ))
                    .small()
                    .weak(),
                );
                if let Some(problem) = &self.problem {
                    super::notice(ui, problem, true);
                }
                ui.horizontal(|ui| {
                    let idle = self.writing.is_none();
                    if ui
                        .add_enabled(idle, egui::Button::new(lang.pick("导出", "Export")))
                        .clicked()
                        && let Err(why) = self.start(atlas)
                    {
                        self.problem = Some(why.clone());
                        done = Some(Err(why));
                    }
                    if !idle {
                        ui.spinner();
                        ui.label(lang.pick("正在写入…", "Writing…"));
                    } else if ui.button(lang.pick("取消", "Cancel")).clicked() {
                        *open = false;
                    }
                });
            });
        if !keep_open {
            *open = false;
        }
        done
    }

    fn rows_choice(&mut self, ui: &mut Ui, total: usize, lang: Lang) {
        use crate::geodata::read::problems::thousands;
        ui.label(lang.pick("导出哪些要素", "Which features"));
        ui.radio_value(
            &mut self.rows,
            Rows::All,
            format!(
                "{}（{}）",
                lang.pick("整个图层", "The whole layer"),
                thousands(total)
            ),
        );
        let filtered = self.filtered.as_ref().map_or(0, Vec::len);
        ui.add_enabled_ui(self.filtered.is_some(), |ui| {
            ui.radio_value(
                &mut self.rows,
                Rows::Filtered,
                format!(
                    "{}（{}）",
                    lang.pick("属性表筛选出的行", "The rows the table's filter shows"),
                    thousands(filtered)
                ),
            );
        });
        ui.add_enabled_ui(self.selected.is_some(), |ui| {
            ui.radio_value(
                &mut self.rows,
                Rows::Selected,
                format!(
                    "{}（{}）",
                    lang.pick("所选要素", "The selected feature"),
                    usize::from(self.selected.is_some())
                ),
            );
        });
    }

    fn options(&mut self, ui: &mut Ui, lang: Lang) {
        egui::ComboBox::from_label(lang.pick("格式", "Format"))
            .selected_text(self.format.name())
            .show_ui(ui, |ui| {
                for format in DataFormat::ALL {
                    ui.selectable_value(&mut self.format, format, format.name());
                }
            });
        egui::ComboBox::from_label(lang.pick("坐标系", "Datum"))
            .selected_text(datum_name(self.datum, lang))
            .show_ui(ui, |ui| {
                for datum in [Datum::Wgs84, Datum::Gcj02, Datum::Bd09] {
                    ui.selectable_value(&mut self.datum, datum, datum_name(datum, lang));
                }
            });
        if self.format == DataFormat::Csv {
            egui::ComboBox::from_label(lang.pick("编码", "Encoding"))
                .selected_text(encoding_name(self.encoding, lang))
                .show_ui(ui, |ui| {
                    for encoding in [TextEncoding::Utf8Bom, TextEncoding::Gbk] {
                        ui.selectable_value(
                            &mut self.encoding,
                            encoding,
                            encoding_name(encoding, lang),
                        );
                    }
                });
        }
        if !self.datum.is_wgs84() {
            super::notice(
                ui,
                lang.pick(
                    "坐标将转换为所选坐标系，文件名与 datum 列会注明",
                    "Positions are converted to this datum; the file name and a datum column say so",
                ),
                false,
            );
        }
    }
}

fn datum_name(datum: Datum, lang: Lang) -> String {
    match datum {
        Datum::Wgs84 => lang.pick("WGS-84（标准）", "WGS-84 (standard)").into(),
        Datum::Gcj02 => lang
            .pick("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)")
            .into(),
        Datum::Bd09 => lang.pick("BD-09（百度）", "BD-09 (Baidu)").into(),
    }
}

fn encoding_name(encoding: TextEncoding, lang: Lang) -> &'static str {
    match encoding {
        TextEncoding::Utf8Bom => lang.pick("UTF-8（Excel 可直接打开）", "UTF-8 (opens in Excel)"),
        TextEncoding::Gbk => lang.pick("GBK（旧版软件）", "GBK (older software)"),
    }
}
