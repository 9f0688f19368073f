//! The command line, run as a user would.

use std::io::Write;
use std::process::Stdio;

use crate::common::{atlas_command, fresh_dir};

#[test]
fn identify_answers_each_point_with_its_hit_stack_topmost_first() {
    let output = atlas_command()
        .args(["identify", "--json", "106.40,29.76", "104.5 29.0"])
        .output()
        .expect("run identify");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    assert_eq!(first["lon"], 106.4);
    let layers: Vec<&str> = first["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["layer"].as_str())
        .collect();
    assert_eq!(
        layers,
        [
            "platforms",
            "districts",
            "science-city",
            "corridor",
            "counties",
            "provinces"
        ]
    );
    assert_eq!(first["hits"][1]["id"], "beibei");
    assert_eq!(first["hits"][1]["name_zh"], "北碚片区");
    // Keys in the documented order.
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines()
            .next()
            .is_some_and(|line| line.starts_with("{\"lon\":106.4,\"lat\":29.76,\"hits\":[")),
        "{text}"
    );
}

#[test]
fn identify_reads_stdin_and_names_a_malformed_line_but_answers_the_rest() {
    let mut child = atlas_command()
        .args(["identify", "--tolerance-m", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn identify");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"106.31,29.6\nnot a point\n106.31 29.6\n\xff\xfe\n106.31,29.6\n")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].contains("core 核心区"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("error: line 2: `not a point`"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[0].split(": ").nth(1),
        lines[2].split(": ").nth(1),
        "commas and spaces mean the same"
    );
    assert!(
        lines[3].starts_with("error: line 4: is not UTF-8"),
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4], lines[0],
        "reading goes on after a line that is not text"
    );
    assert_eq!(
        output.status.code(),
        Some(3),
        "unreadable input lines: exit code 3"
    );
}

/// `--version` names the program's version and how recent the built-in data is (the newest
/// source date in content.toml), for an installer or a support call.
#[test]
fn version_names_the_release_and_the_date_of_the_data() {
    let output = atlas_command().arg("--version").output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(format!("chengyu-atlas {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    let content: toml::Value =
        toml::from_str(include_str!("../../geodata/content.toml")).expect("content.toml");
    let newest = content["source"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|source| source["date"].as_str())
        .max()
        .expect("a dated source");
    let data = lines.next().expect("a second line");
    assert!(
        data.starts_with(&format!("built-in data as of {newest} ")),
        "{data}"
    );
    // Also after a subcommand, as `--help` is.
    let output = atlas_command()
        .args(["export", "-V"])
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&output.stdout), text);
}

/// `--paths` says where the state, corrections, tours and cache are: the desktop's folders
/// (XDG, and the pictures folder a Chinese desktop names in user-dirs.dirs), or the
/// CHENGYU_ATLAS_* overrides; the corrections follow the state.
#[test]
fn paths_follow_the_desktops_folders_and_the_overrides() {
    let home = fresh_dir("paths-home");
    let config = home.join("配置");
    std::fs::create_dir_all(&config).expect("config");
    std::fs::create_dir_all(home.join("图片")).expect("pictures");
    std::fs::write(
        config.join("user-dirs.dirs"),
        "# written by xdg-user-dirs-update\nXDG_PICTURES_DIR=\"$HOME/图片\"\n",
    )
    .expect("user-dirs");
    let paths = |overrides: &[(&str, &str)]| {
        let mut command = atlas_command();
        command
            .arg("--paths")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &config)
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("CHENGYU_ATLAS_STATE")
            .env_remove("CHENGYU_ATLAS_TOURS")
            .env_remove("CHENGYU_ATLAS_CACHE");
        command.envs(overrides.iter().copied());
        let output = command.output().expect("run");
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let text = paths(&[]);
    let at = |path: std::path::PathBuf| format!("    {}", path.display());
    let config_dir = config.join("chengyu-atlas");
    for expected in [
        at(config_dir.join("state.json")),
        at(config_dir.join("corrections.toml")),
        at(config_dir.join("tours")),
        at(home.join("cache").join("chengyu-atlas")),
        at(home.join("图片")),
    ] {
        assert!(text.contains(&expected), "{expected} in\n{text}");
    }
    let text = paths(&[
        ("CHENGYU_ATLAS_STATE", "/srv/atlas/state.json"),
        ("CHENGYU_ATLAS_CACHE", "/var/cache/atlas"),
    ]);
    assert!(text.contains("    /srv/atlas/state.json"), "{text}");
    assert!(text.contains("    /srv/atlas/corrections.toml"), "{text}");
    assert!(text.contains("    /var/cache/atlas"), "{text}");
    assert!(!text.contains(&at(config_dir.join("state.json"))), "{text}");
}

#[test]
fn a_bad_tolerance_is_refused_with_a_message() {
    let output = atlas_command()
        .args(["identify", "--tolerance-m", "far", "106,29"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--tolerance-m"));
}

/// Exit codes tell scripts the truth: 1 when a layer could not be read (the rest answers), 4
/// when an output could not be written, and a pipe in place of a layer file is refused, not
/// waited on.
#[test]
fn exit_codes_say_what_went_wrong() {
    let dir = crate::common::data_copy("cli-exit");
    std::fs::write(dir.join("basemap/rivers.geojson"), "{ this is not json").expect("break");
    let places = dir.join("basemap/places.geojson");
    std::fs::remove_file(&places).expect("remove");
    let fifo = std::process::Command::new("mkfifo").arg(&places).status();
    let data = dir.display().to_string();
    let mut child = atlas_command()
        .args(["identify", "--data", &data, "106.31,29.6"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > crate::common::WAIT {
            let _ = child.kill();
            panic!("identify waited on a pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("core 核心区"));
    assert!(stderr.contains("rivers.geojson"), "{stderr}");
    if fifo.is_ok_and(|status| status.success()) {
        assert!(stderr.contains("not a regular file"), "{stderr}");
    }

    let output = atlas_command()
        .args([
            "export",
            "--view",
            "core",
            "--out",
            "/no/such/folder/core.png",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(4));
}

/// What a reader changed or left out is said on stderr by the command line too, with exit 1:
/// a table whose columns are exchanged by their values (the features still answer), and a
/// KML that nests 20 000 deep (refused with a reason; it used to abort the process).
#[test]
fn what_a_reader_changed_or_refused_is_said_on_stderr_with_exit_1() {
    let dir = fresh_dir("cli-said");
    let table = dir.join("swapped.csv");
    std::fs::write(&table, "name,lon,lat\nA,29.6,106.3\nB,29.7,106.5\n").expect("write");
    let output = atlas_command()
        .args(["identify", "--layer"])
        .arg(&table)
        .arg("106.3,29.6")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("swapped.csv") && stderr.contains("the other way round"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("swapped A"));

    let deep = dir.join("deep.kml");
    let n = 20_000;
    std::fs::write(
        &deep,
        format!(
            r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}<Placemark><Point><coordinates>106.5,29.5</coordinates></Point></Placemark>{}</Document></kml>"#,
            "<Folder>".repeat(n),
            "</Folder>".repeat(n)
        ),
    )
    .expect("write");
    let output = atlas_command()
        .args(["identify", "--layer"])
        .arg(&deep)
        .arg("106.5,29.5")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("deep.kml") && stderr.contains("nest more than"),
        "{stderr}"
    );
}

/// A page whose basemap has tiles that cannot be decoded is written (the rest drawn), but
/// the command says how many, which first and why, and exits 1 (it exited 0 in silence).
#[test]
fn an_export_with_undecodable_tiles_says_so_and_exits_1() {
    let dir = fresh_dir("cli-bad-tiles");
    let package = dir.join("broken.mbtiles");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/basemap/raster.mbtiles"),
        &package,
    )
    .expect("copy");
    let connection = rusqlite::Connection::open(&package).expect("sqlite");
    let broken = connection
        .execute("UPDATE tiles SET tile_data = x'89504e470d0a1a0a0000'", [])
        .expect("break every tile");
    assert!(broken > 0);
    drop(connection);
    let out = dir.join("page.png");
    let output = atlas_command()
        .args(["export", "--view", "core", "--size", "800x600", "--basemap"])
        .arg(&package)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(out.exists(), "the page is written");
    assert!(
        stderr.contains("broken.mbtiles")
            && stderr.contains("could not be read and are left blank (first: ")
            && stderr.contains("Png"),
        "{stderr}"
    );
}
