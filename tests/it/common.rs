//! What the tests share: the built-in data loaded once, fresh folders, the binary, the window.

use std::path::PathBuf;
use std::sync::OnceLock;

use chengyu_atlas::geodata::{self, DataSource, Loaded};
use chengyu_atlas::model::Atlas;
use chengyu_atlas::render::style::Rgba;
use chengyu_atlas::ui::AtlasApp;
use egui_kittest::Harness;

/// The built-in data, parsed once per test run; it loads without a problem.
pub fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let loaded = geodata::load(&DataSource::Embedded);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded
    })
}

/// The built-in atlas.
pub fn atlas() -> &'static Atlas {
    &loaded().atlas
}

/// An empty folder of its own for a test.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chengyu-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The `chengyu-atlas` binary.
pub fn atlas_command() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_chengyu-atlas"))
}

/// The whole app in a 1280 × 800 window, on `loaded` data, remembering its state at `state`,
/// its clock moving `step` seconds a frame.
pub fn window(loaded: Loaded, state: Option<PathBuf>, step: f32) -> Harness<'static, AtlasApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(step)
        .build_eframe(move |cc| AtlasApp::new(&cc.egui_ctx, loaded, "built-in data".into(), state))
}

/// The whole app on the built-in data, as [`window`] makes it, then given to `then` (layers,
/// a workspace) before its first frame.
pub fn window_with(
    state: Option<PathBuf>,
    then: impl FnOnce(AtlasApp) -> AtlasApp + 'static,
) -> Harness<'static, AtlasApp> {
    window_made(state, |_, app| then(app))
}

/// [`window_with`], `then` given the window's context too (a workspace or a basemap opened as
/// the command line opens them).
pub fn window_made(
    state: Option<PathBuf>,
    then: impl FnOnce(&egui::Context, AtlasApp) -> AtlasApp + 'static,
) -> Harness<'static, AtlasApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| {
            then(
                &cc.egui_ctx,
                AtlasApp::new(
                    &cc.egui_ctx,
                    loaded().clone(),
                    "built-in data".into(),
                    state,
                ),
            )
        })
}

/// The app on the built-in data, remembering nothing, at 60 frames a second.
pub fn built_in_window() -> Harness<'static, AtlasApp> {
    window(loaded().clone(), None, 1.0 / 60.0)
}

/// The fill of each zone as the style table is meant to give it, written out (sRGB, straight
/// alpha), so that tests do not check the table against itself.
pub fn zone_fill(id: &str) -> Rgba {
    match id {
        "corridor" => Rgba::new(0xf2, 0xa9, 0x00, 40),
        "science-city" => Rgba::new(0x00, 0x89, 0x7b, 46),
        "core" => Rgba::new(0xc6, 0x28, 0x28, 150),
        "shapingba" => Rgba::new(0x1b, 0x9e, 0x77, 110),
        "jiulongpo" => Rgba::new(0xd9, 0x5f, 0x02, 110),
        "beibei" => Rgba::new(0x75, 0x70, 0xb3, 110),
        "jiangjin" => Rgba::new(0xe7, 0x29, 0x8a, 110),
        "bishan" => Rgba::new(0x66, 0xa6, 0x1e, 110),
        other => panic!("no fill written out for {other}"),
    }
}

/// A copy of the committed data in a fresh folder, to break on purpose.
pub fn data_copy(name: &str) -> PathBuf {
    use chengyu_atlas::geodata::files;
    let dir = fresh_dir(name);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    for file in files::ALL.into_iter().chain([files::CONTENT]) {
        let target = dir.join(file);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(root.join(file), target).expect("copy");
    }
    dir
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// A committed test file.
pub fn test_data(path: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// How long a test waits for work on other threads (a file read, a page written, a child
/// process) before it says so: long enough for a loaded 2-core machine, the one bound of all
/// the waits.
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Waits until `done` holds, checking every few milliseconds; panics naming `what` after
/// [`WAIT`]. Work on other threads is waited for by the clock, never by a count of frames.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
        assert!(started.elapsed() < WAIT, "{what}: not done after {WAIT:?}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Opens the file at `path` as a layer, as the pane's Add does, and waits for it: its id (the
/// layer takes the file's name without its extension).
pub fn open_layer(
    harness: &mut Harness<'_, AtlasApp>,
    path: &std::path::Path,
) -> chengyu_atlas::model::LayerId {
    harness
        .state_mut()
        .add_layer(&chengyu_atlas::geodata::user::LayerSpec::new(path, None));
    wait_for_layers(harness);
    let name = path.file_stem().expect("a file name").to_string_lossy();
    harness
        .state()
        .atlas()
        .user_layer_named(&name)
        .unwrap_or_else(|| panic!("the layer {name}"))
}

/// Runs frames until the layers being read in the background are added.
pub fn wait_for_layers(harness: &mut Harness<'_, AtlasApp>) {
    wait_until("the layers being read", || {
        harness.step();
        harness.state().layers_loading() == 0
    });
    harness.run();
}

/// Chooses an item through the menu bar as a user clicks through it: `path` is the menu, any
/// submenus, then the item (`["视图", "核心区"]`; an item with a shortcut is found by its
/// text, its label having the shortcut after it).
pub fn choose(harness: &mut Harness<'_, AtlasApp>, path: &[&str]) {
    use egui_kittest::kittest::Queryable;
    for step in path {
        match harness.query_by_label(step) {
            Some(node) => node.click(),
            None => harness.get_by_label_contains(step).click(),
        }
        harness.run();
    }
}

/// Brings a pane of the side to the front by its tab (`"导览"`).
pub fn pane(harness: &mut Harness<'_, AtlasApp>, tab: &str) {
    use egui_kittest::kittest::Queryable;
    harness.get_by_label(tab).click();
    harness.run();
}

/// Whether another program that serves as an oracle (GDAL's `ogr2ogr`) can be run. When it
/// cannot, the test says so on stderr and is passed over, so that `cargo test` works on a
/// fresh machine; `.ci/run` installs the oracles and sets `CHENGYU_ATLAS_ORACLES=required`, and
/// there a missing one fails the test.
pub fn oracle(program: &str, package: &str) -> bool {
    // GNU-style tools answer `--version`; ffmpeg's answer only `-version`.
    let answers = |flag: &str| {
        std::process::Command::new(program)
            .arg(flag)
            .output()
            .is_ok_and(|out| out.status.success())
    };
    let found = answers("--version") || answers("-version");
    if !found {
        let say = format!("{program} is missing (apt-get install {package}): its check is not run");
        assert!(
            std::env::var("CHENGYU_ATLAS_ORACLES").as_deref() != Ok("required"),
            "{say}"
        );
        eprintln!("NOTE: {say}");
    }
    found
}

/// A click on the map at `pos` with Shift held, which places a vertex where the pointer is
/// (no snapping): the drawing tests aim at places, not at features.
pub fn click_at(harness: &mut Harness<'_, AtlasApp>, pos: egui::Pos2) {
    click_with(harness, pos, egui::Modifiers::SHIFT);
}

/// A click at `pos` with `modifiers` held, then half a second of frames (the next click is not
/// the second of a double-click).
pub fn click_with(
    harness: &mut Harness<'_, AtlasApp>,
    pos: egui::Pos2,
    modifiers: egui::Modifiers,
) {
    harness.event(egui::Event::ModifiersChanged(modifiers));
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.run_steps(30);
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
}

/// Draws a triangle over the core's east (106.30–106.36°E, 29.56–29.60°N) with the polygon
/// tool, clicked vertex by vertex and finished with Enter, then puts the tool away (Esc:
/// nothing is being drawn, so the tool goes).
pub fn draw_triangle(harness: &mut Harness<'_, AtlasApp>) {
    choose(harness, &["工具", "绘制多边形"]);
    for at in [
        geo::coord! { x: 106.30, y: 29.56 },
        geo::coord! { x: 106.36, y: 29.56 },
        geo::coord! { x: 106.33, y: 29.60 },
    ] {
        let pos = harness.state().screen_position(at).expect("on screen");
        click_at(harness, pos);
    }
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
}

/// A window (its state kept nowhere) at `at`, zoom `zoom`.
pub fn window_at(at: geo::Coord, zoom: f64) -> Harness<'static, AtlasApp> {
    let mut harness = window(loaded().clone(), None, 1.0 / 60.0);
    harness.run();
    harness.state_mut().go_to(at, zoom);
    harness.run();
    harness
}

/// Opens the server dialog with `opener` (the layers pane's button), types `address` and
/// clicks `list` ("连接并列出表", "连接并列出集合"), then waits for the list: as a user adds a
/// database's table or a service's collection. The dialog's failure, if the listing failed.
pub fn list_in_server_dialog(
    harness: &mut Harness<'_, AtlasApp>,
    opener: &str,
    address: &str,
    list: &str,
) -> Option<chengyu_atlas::model::Text> {
    use egui_kittest::kittest::Queryable;
    harness
        .get_all_by_label(opener)
        .next()
        .expect("the button")
        .click();
    harness.run();
    harness.get_by_label("地址").focus();
    harness.run();
    harness.get_by_label("地址").type_text(address);
    harness.run();
    harness.get_by_label(list).click();
    wait_until("the list", || {
        harness.step();
        !harness.state().database_dialog().is_listing()
    });
    harness.run();
    harness.state().database_dialog().failure().cloned()
}

/// Opens the path field of the pane shown ("路径…") and types `text` in it.
pub fn type_in_path_field(harness: &mut Harness<'_, AtlasApp>, text: &str) {
    use egui_kittest::kittest::Queryable;
    harness.get_by_label("路径…").click();
    harness.run();
    let field = harness
        .query_all_by_role(egui::accesskit::Role::TextInput)
        .find(|f| f.rect().top() > 50.0 && f.rect().left() < 400.0)
        .expect("the path field");
    field.focus();
    field.type_text(text);
    harness.run();
}

/// The window with a table of three projects (甲 and 丙 labs, 乙 a park) added as a layer, and
/// its attribute table open.
pub fn projects_table_window(name: &str) -> Harness<'static, AtlasApp> {
    use egui_kittest::kittest::Queryable;
    let table = fresh_dir(name).join("projects.csv");
    std::fs::write(
        &table,
        "name,kind,invest,lon,lat\n甲项目,lab,30,106.30,29.60\n乙项目,park,4,106.45,29.80\n丙项目,lab,120,106.25,29.30\n",
    )
    .expect("write");
    let mut harness = window_with(None, move |app| {
        app.with_layer_files(&[chengyu_atlas::geodata::user::LayerSpec::new(table, None)])
    });
    wait_for_layers(&mut harness);
    harness.get_by_label("属性表").click();
    harness.run();
    harness
}
