//! "Add database layer…" (添加数据库图层…), as QGIS's Data Source Manager lists a PostGIS
//! connection: an address (a libpq URI, keywords or `service=NAME`), a password asked for when
//! the server wants one (kept for the session only), and the tables and views with geometry
//! listed — type, SRID, an estimate of their rows — each added with one click. The list is
//! fetched on a thread of its own: the window never waits on the network.

use std::path::PathBuf;
use std::thread::JoinHandle;

use egui::RichText;

use crate::geodata::user::postgis::{self, Address, Table};
use crate::model::{Lang, Text};
use crate::ui::action::Action;
use crate::ui::panels::user_layers::UserLayerAction;

use super::{Ctx, Feature};

/// The thread listing a server's tables.
type Listing = JoinHandle<Result<Vec<Table>, Text>>;

/// The dialog's state.
#[derive(Default)]
pub struct DatabaseDialog {
    pub open: bool,
    /// The address as typed.
    pub address: String,
    /// The password being typed (forgotten once used).
    password: String,
    /// The server asked for a password (or refused one).
    asking_password: bool,
    /// The tables being listed.
    listing: Option<(Address, Listing)>,
    /// The server the tables were listed from, and its tables.
    listed: Option<(Address, Vec<Table>)>,
    /// Why the last try failed.
    failed: Option<Text>,
}

impl DatabaseDialog {
    /// Opens the dialog, with `address` filled in (a layer that wants a password: it is asked
    /// for at once).
    pub fn open_with(&mut self, address: Option<PathBuf>) {
        self.open = true;
        if let Some(address) = address {
            self.address = address.display().to_string();
            self.asking_password = true;
            self.listed = None;
            self.failed = None;
        }
    }

    /// Whether the tables are being listed (for tests).
    pub fn is_listing(&self) -> bool {
        self.listing.is_some()
    }

    /// The tables listed (for tests).
    pub fn tables(&self) -> &[Table] {
        self.listed.as_ref().map_or(&[], |(_, tables)| tables)
    }

    /// Why the last try failed (for tests).
    pub fn failure(&self) -> Option<&Text> {
        self.failed.as_ref()
    }

    /// Lists the tables of the address typed, on a thread (a password typed is remembered
    /// for the session first).
    pub fn connect(&mut self) {
        let address = match Address::parse(&self.address) {
            Ok(address) => address,
            Err(why) => {
                self.failed = Some(why);
                return;
            }
        };
        if !self.password.is_empty() {
            postgis::remember_password(&address, &self.password);
            self.password.clear();
        }
        self.failed = None;
        let server = address.clone();
        let listing = std::thread::Builder::new()
            .name("database-tables".into())
            .spawn(move || postgis::list_tables(&server));
        match listing {
            Ok(handle) => self.listing = Some((address, handle)),
            Err(error) => {
                self.failed = Some(Text::new(
                    format!("无法启动线程：{error}"),
                    format!("cannot start a thread: {error}"),
                ))
            }
        }
    }

    fn show(&mut self, ui: &mut egui::Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        ui.label(lang.pick(
            "数据库地址：postgresql://用户@主机:端口/数据库、host=/run/postgresql dbname=… 或 service=名称（pg_service.conf）；密码取自 ~/.pgpass，或在此输入。",
            "Database address: postgresql://USER@HOST:PORT/DB, host=/run/postgresql dbname=… or service=NAME (pg_service.conf); the password comes from ~/.pgpass, or is typed here.",
        ));
        let field = ui
            .horizontal(|ui| {
                let label = ui.label(lang.pick("地址", "Address"));
                ui.add(
                    egui::TextEdit::singleline(&mut self.address)
                        .hint_text("postgresql://user@host:5432/gis")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
            })
            .inner;
        let mut go = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if self.asking_password {
            ui.horizontal(|ui| {
                let label = ui.label(lang.pick("密码", "Password"));
                let typed = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.password)
                            .password(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                go |= typed.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.label(
                    RichText::new(lang.pick(
                        "仅本次运行记住，不写入任何文件",
                        "kept until the atlas quits, written to no file",
                    ))
                    .small()
                    .weak(),
                );
            });
        }
        ui.horizontal(|ui| {
            let listing = self.listing.is_some();
            go |= ui
                .add_enabled(
                    !listing && !self.address.trim().is_empty(),
                    egui::Button::new(lang.pick("连接并列出表", "Connect and list tables")),
                )
                .clicked();
            // An address that names its table is added as it is.
            let names_table = Address::parse(&self.address).is_ok_and(|a| a.table.is_some());
            if names_table
                && ui
                    .add_enabled(
                        !listing,
                        egui::Button::new(lang.pick("添加此表", "Add this table")),
                    )
                    .clicked()
                && let Ok(address) = Address::parse(&self.address)
            {
                if !self.password.is_empty() {
                    postgis::remember_password(&address, &self.password);
                    self.password.clear();
                }
                asked.push(add(&address));
            }
            if listing {
                ui.spinner();
                ui.label(lang.pick("正在连接…", "Connecting…"));
            }
        });
        if go && self.listing.is_none() {
            self.connect();
        }
        if let Some(why) = &self.failed {
            ui.label(RichText::new(why.get(lang)).color(egui::Color32::from_rgb(0x9b, 0x1c, 0x1c)));
        }
        if let Some((server, tables)) = &self.listed {
            ui.separator();
            if tables.is_empty() {
                ui.label(lang.pick(
                    "此数据库中没有可读取的带几何的表或视图",
                    "This database has no table or view with geometry that may be read",
                ));
            }
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    egui::Grid::new("database-tables")
                        .striped(true)
                        .num_columns(5)
                        .show(ui, |ui| {
                            for title in [
                                lang.pick("表", "Table"),
                                lang.pick("几何", "Geometry"),
                                "SRID",
                                lang.pick("行数（估计）", "Rows (estimate)"),
                                "",
                            ] {
                                ui.label(RichText::new(title).strong());
                            }
                            ui.end_row();
                            for table in tables {
                                let mut name = format!("{}.{}", table.schema, table.name);
                                if table.is_view {
                                    name.push_str(lang.pick("（视图）", " (view)"));
                                }
                                ui.label(name);
                                ui.label(format!(
                                    "{} ({})",
                                    table.geometry_type, table.geometry_column
                                ));
                                ui.label(table.srid.to_string());
                                ui.label(table.rows.map_or("—".to_string(), |rows| {
                                    crate::geodata::read::problems::thousands(rows as usize)
                                }));
                                if ui.small_button(lang.pick("添加", "Add")).clicked() {
                                    asked.push(add(&table.address(server, tables)));
                                }
                                ui.end_row();
                            }
                        });
                });
        }
        asked
    }
}

/// The action that adds the table at `address` as a layer.
fn add(address: &Address) -> Action {
    Action::UserLayer(UserLayerAction::Add(PathBuf::from(address.to_uri()), None))
}

impl Feature for DatabaseDialog {
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        if !self.open {
            return Vec::new();
        }
        let mut open = self.open;
        let mut asked = Vec::new();
        egui::Window::new(ctx.lang.pick("添加数据库图层", "Add database layer"))
            .id(egui::Id::unique("database-dialog"))
            .open(&mut open)
            .default_width(560.0)
            .show(egui, |ui| asked = self.show(ui, ctx.lang));
        // A table added, the map is the user's again (the list stays for the next one).
        self.open = open && asked.is_empty();
        asked
    }

    fn poll(&mut self, egui: &egui::Context, _ctx: &Ctx<'_>) -> Vec<Action> {
        let Some((_, handle)) = &self.listing else {
            return Vec::new();
        };
        if !handle.is_finished() {
            egui.request_repaint_after(std::time::Duration::from_millis(50));
            return Vec::new();
        }
        let Some((address, handle)) = self.listing.take() else {
            return Vec::new();
        };
        match handle.join() {
            Ok(Ok(tables)) => {
                self.asking_password = false;
                self.listed = Some((address, tables));
            }
            Ok(Err(why)) => {
                if postgis::asks_for_password(&why.en) {
                    // A password typed and refused is not tried again.
                    postgis::forget_password(&address);
                    self.asking_password = true;
                }
                self.listed = None;
                self.failed = Some(why);
            }
            Err(_) => {
                self.failed = Some(Text::new(
                    "列出数据表时意外中止",
                    "listing the tables stopped unexpectedly",
                ))
            }
        }
        egui.request_repaint();
        Vec::new()
    }
}
