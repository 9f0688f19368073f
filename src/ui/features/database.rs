//! "Add database layer…" (添加数据库图层…) and "Add feature service layer…" (添加要素服务图层…),
//! as QGIS's Data Source Manager lists a PostGIS connection or a WFS / OGC API – Features one:
//! an address (a libpq URI, keywords or `service=NAME`; a service's URL), a password asked for
//! when a database wants one (kept for the session only), and what it offers listed — a
//! database's tables and views with geometry (type, SRID, an estimate of their rows), a
//! service's collections (title, extent) — each added with one click. The list is fetched on a
//! thread of its own: the window never waits on the network.

use std::path::PathBuf;
use std::thread::JoinHandle;

use egui::RichText;

use crate::geodata::user::postgis::{self, Address};
use crate::geodata::user::service;
use crate::model::{Lang, Text};
use crate::ui::action::Action;
use crate::ui::panels::user_layers::UserLayerAction;

use super::{Ctx, Feature};

/// A table of a database or a collection of a service, listed to be added.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// `schema.table` (a view said), or the collection's id.
    pub name: String,
    /// The geometry type and column, or the collection's title.
    pub about: String,
    /// The SRID, or the collection's extent (WGS-84).
    pub frame: String,
    /// The planner's estimate of its rows.
    pub rows: Option<u64>,
    /// A database's view (not a table).
    pub is_view: bool,
    /// The layer's address.
    pub address: PathBuf,
}

/// The thread listing what a server offers.
type Listing = JoinHandle<Result<Vec<Listed>, Text>>;

/// Where an address leads: a feature service (an http(s) URL) or a database.
fn is_service(address: &str) -> bool {
    service::is_address(address)
}

/// Lists what the server at `address` offers, as rows to add.
fn list(address: &str) -> Result<Vec<Listed>, Text> {
    if is_service(address) {
        let server = service::Address::parse(address)?;
        let collections = service::list_collections(&server)?;
        return Ok(collections
            .into_iter()
            .map(|c| Listed {
                frame: c.extent.map_or("—".to_string(), |r| {
                    format!(
                        "{:.2}–{:.2}°E {:.2}–{:.2}°N",
                        r.min().x,
                        r.max().x,
                        r.min().y,
                        r.max().y
                    )
                }),
                about: c.title,
                rows: None,
                is_view: false,
                address: PathBuf::from(c.address.to_uri()),
                name: c.id,
            })
            .collect());
    }
    let server = Address::parse(address)?;
    let tables = postgis::list_tables(&server)?;
    Ok(tables
        .iter()
        .map(|table| Listed {
            name: format!("{}.{}", table.schema, table.name),
            about: format!("{} ({})", table.geometry_type, table.geometry_column),
            frame: table.srid.to_string(),
            rows: table.rows,
            is_view: table.is_view,
            address: PathBuf::from(table.address(&server, &tables).to_uri()),
        })
        .collect())
}

/// The dialog's state.
#[derive(Default)]
pub struct DatabaseDialog {
    pub open: bool,
    /// Opened for a feature service (its title and hints); what is typed decides what is
    /// asked.
    for_service: bool,
    /// The address as typed.
    pub address: String,
    /// The password being typed (forgotten once used).
    password: String,
    /// The server asked for a password (or refused one).
    asking_password: bool,
    /// What is being listed, from which address.
    listing: Option<(String, Listing)>,
    /// The address listed, and what it offers.
    listed: Option<(String, Vec<Listed>)>,
    /// Why the last try failed.
    failed: Option<Text>,
}

impl DatabaseDialog {
    /// Opens the dialog, with `address` filled in (a layer that wants a password: it is asked
    /// for at once).
    pub fn open_with(&mut self, address: Option<PathBuf>) {
        self.open = true;
        self.for_service = false;
        if let Some(address) = address {
            self.address = address.display().to_string();
            self.asking_password = !is_service(&self.address);
            self.listed = None;
            self.failed = None;
        }
    }

    /// Opens the dialog for a feature service (OGC API – Features or WFS).
    pub fn open_for_service(&mut self) {
        self.open = true;
        self.for_service = true;
        self.asking_password = false;
    }

    /// Whether the tables are being listed (for tests).
    pub fn is_listing(&self) -> bool {
        self.listing.is_some()
    }

    /// What was listed (for tests).
    pub fn listed(&self) -> &[Listed] {
        self.listed.as_ref().map_or(&[], |(_, listed)| listed)
    }

    /// Why the last try failed (for tests).
    pub fn failure(&self) -> Option<&Text> {
        self.failed.as_ref()
    }

    /// Lists what the address typed offers, on a thread (a password typed is remembered for
    /// the session first).
    pub fn connect(&mut self) {
        let address = self.address.trim().to_string();
        if !is_service(&address) {
            match Address::parse(&address) {
                Ok(server) => {
                    if !self.password.is_empty() {
                        postgis::remember_password(&server, &self.password);
                        self.password.clear();
                    }
                }
                Err(why) => {
                    self.failed = Some(why);
                    return;
                }
            }
        }
        self.failed = None;
        let asked = address.clone();
        let listing = std::thread::Builder::new()
            .name("server-listing".into())
            .spawn(move || list(&asked));
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

    /// The layer the address typed names itself (a table, a collection), if it names one.
    fn named_layer(&self) -> Option<PathBuf> {
        let typed = self.address.trim();
        if is_service(typed) {
            let address = service::Address::parse(typed).ok()?;
            address
                .collection
                .is_some()
                .then(|| PathBuf::from(address.to_uri()))
        } else {
            let address = Address::parse(typed).ok()?;
            address
                .table
                .is_some()
                .then(|| PathBuf::from(address.to_uri()))
        }
    }

    fn show(&mut self, ui: &mut egui::Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        let service = if self.address.trim().is_empty() {
            self.for_service
        } else {
            is_service(&self.address)
        };
        ui.label(if service {
            lang.pick(
                "要素服务地址：OGC API – Features 的 https://主机/…（登录页、/collections 或某个集合），或 WFS 2.0 的 https://主机/…?SERVICE=WFS；以 GeoJSON 读取当前视图范围，最近一次读取会缓存，离线时仍可打开。",
                "Feature service address: an OGC API – Features' https://HOST/… (its landing page, /collections or a collection), or a WFS 2.0's https://HOST/…?SERVICE=WFS; read as GeoJSON for the view, the last read kept so that it opens offline.",
            )
        } else {
            lang.pick(
                "数据库地址：postgresql://用户@主机:端口/数据库、host=/run/postgresql dbname=… 或 service=名称（pg_service.conf）；密码取自 ~/.pgpass，或在此输入。也可输入 OGC API / WFS 服务的 https:// 地址。",
                "Database address: postgresql://USER@HOST:PORT/DB, host=/run/postgresql dbname=… or service=NAME (pg_service.conf); the password comes from ~/.pgpass, or is typed here. An OGC API / WFS service's https:// address is read too.",
            )
        });
        let field = ui
            .horizontal(|ui| {
                let label = ui.label(lang.pick("地址", "Address"));
                ui.add(
                    egui::TextEdit::singleline(&mut self.address)
                        .hint_text(if service {
                            "https://gis.example/ogcapi"
                        } else {
                            "postgresql://user@host:5432/gis"
                        })
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
            })
            .inner;
        let mut go = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if self.asking_password && !service {
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
            let (list_label, add_label) = if service {
                (
                    lang.pick("连接并列出集合", "Connect and list collections"),
                    lang.pick("添加此集合", "Add this collection"),
                )
            } else {
                (
                    lang.pick("连接并列出表", "Connect and list tables"),
                    lang.pick("添加此表", "Add this table"),
                )
            };
            go |= ui
                .add_enabled(
                    !listing && !self.address.trim().is_empty(),
                    egui::Button::new(list_label),
                )
                .clicked();
            // An address that names its table or collection is added as it is.
            if let Some(layer) = self.named_layer()
                && ui
                    .add_enabled(!listing, egui::Button::new(add_label))
                    .clicked()
            {
                if !self.password.is_empty()
                    && let Ok(server) = Address::parse(&self.address)
                {
                    postgis::remember_password(&server, &self.password);
                }
                self.password.clear();
                asked.push(add(layer));
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
        if let Some((from, listed)) = &self.listed {
            asked.extend(listed_grid(ui, is_service(from), listed, lang));
        }
        asked
    }
}

/// What a server offers, a row each, with its Add button.
fn listed_grid(ui: &mut egui::Ui, service: bool, listed: &[Listed], lang: Lang) -> Vec<Action> {
    let mut asked = Vec::new();
    ui.separator();
    if listed.is_empty() {
        ui.label(if service {
            lang.pick(
                "此服务没有可读取的要素集合",
                "This service has no feature collection to read",
            )
        } else {
            lang.pick(
                "此数据库中没有可读取的带几何的表或视图",
                "This database has no table or view with geometry that may be read",
            )
        });
    }
    let titles = if service {
        [
            lang.pick("集合", "Collection"),
            lang.pick("标题", "Title"),
            lang.pick("范围", "Extent"),
            "",
        ]
    } else {
        [
            lang.pick("表", "Table"),
            lang.pick("几何", "Geometry"),
            "SRID",
            lang.pick("行数（估计）", "Rows (estimate)"),
        ]
    };
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            egui::Grid::new("database-tables")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for title in titles.into_iter().chain([""]) {
                        ui.label(RichText::new(title).strong());
                    }
                    ui.end_row();
                    for row in listed {
                        let mut name = row.name.clone();
                        if row.is_view {
                            name.push_str(lang.pick("（视图）", " (view)"));
                        }
                        ui.label(name);
                        ui.label(&row.about);
                        ui.label(&row.frame);
                        ui.label(
                            row.rows
                                .map_or(if service { "" } else { "—" }.to_string(), |rows| {
                                    crate::geodata::read::problems::thousands(rows as usize)
                                }),
                        );
                        if ui.small_button(lang.pick("添加", "Add")).clicked() {
                            asked.push(add(row.address.clone()));
                        }
                        ui.end_row();
                    }
                });
        });
    asked
}

/// The action that adds the table or collection at `address` as a layer.
fn add(address: PathBuf) -> Action {
    Action::UserLayer(UserLayerAction::Add(address, None))
}

impl Feature for DatabaseDialog {
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        if !self.open {
            return Vec::new();
        }
        let mut open = self.open;
        let mut asked = Vec::new();
        let title = if self.for_service {
            ctx.lang
                .pick("添加要素服务图层", "Add feature service layer")
        } else {
            ctx.lang.pick("添加数据库图层", "Add database layer")
        };
        egui::Window::new(title)
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
            Ok(Ok(listed)) => {
                self.asking_password = false;
                self.listed = Some((address, listed));
            }
            Ok(Err(why)) => {
                if postgis::asks_for_password(&why.en)
                    && let Ok(server) = Address::parse(&address)
                {
                    // A password typed and refused is not tried again.
                    postgis::forget_password(&server);
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
