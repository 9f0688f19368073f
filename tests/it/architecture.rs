//! The README's architecture, held: its room table lists the rooms of `src/` from the bottom
//! up, and a room may import only rooms listed before it; no two files import each other.
//! Read from the source itself (every `crate::…` and `super::…` path outside the tests).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file and its module path (`["ui", "app", "menu"]`).
struct Source {
    file: String,
    module: Vec<String>,
    text: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("src is readable") {
            let path: PathBuf = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            if relative == "lib.rs" || relative == "main.rs" {
                return None;
            }
            let mut module: Vec<String> = relative
                .trim_end_matches(".rs")
                .split('/')
                .map(str::to_string)
                .collect();
            if module.last().is_some_and(|last| last == "mod") {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            // The tests may reach anywhere; comments say anything.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            let text: String = text
                .lines()
                .map(|line| line.split("//").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            Some(Source {
                file: relative,
                module,
                text,
            })
        })
        .collect()
}

/// The paths a file names: `crate::a::b` as written, `super::c` resolved from its module.
fn named_paths(source: &Source) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let bytes: Vec<char> = source.text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts = |word: &str| bytes[i..].iter().take(word.len()).copied().eq(word.chars());
        if (i == 0 || !is_ident(bytes[i - 1])) && (starts("crate::") || starts("super::")) {
            let mut j = i;
            while j < bytes.len() && (is_ident(bytes[j]) || bytes[j] == ':') {
                j += 1;
            }
            let written: String = bytes[i..j].iter().collect();
            let segments: Vec<String> = written
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let resolved = if segments[0] == "crate" {
                segments[1..].to_vec()
            } else {
                // `super` from a file is its module's parent (a mod.rs's module is its folder).
                let mut base = source.module.clone();
                let mut rest = segments.as_slice();
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                base
            };
            paths.push(resolved);
            i = j;
        } else {
            i += 1;
        }
    }
    paths
}

/// The rooms in the README's table, bottom first.
fn readme_rooms() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut rooms: Vec<String> = Vec::new();
    for line in readme.lines() {
        let Some(rest) = line.strip_prefix("| `src/") else {
            continue;
        };
        let path = rest.split('`').next().unwrap_or_default();
        let room = path
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs");
        if !rooms.iter().any(|r| r == room) {
            rooms.push(room.to_string());
        }
    }
    rooms
}

#[test]
fn rooms_import_only_rooms_below_them_and_no_two_files_import_each_other() {
    let sources = sources();
    let modules: BTreeMap<Vec<String>, &str> = sources
        .iter()
        .map(|s| (s.module.clone(), s.file.as_str()))
        .collect();
    let mut edges: BTreeSet<(&str, &str)> = BTreeSet::new();
    for source in &sources {
        for path in named_paths(source) {
            // The longest prefix that is a file of its own.
            let target = (1..=path.len())
                .rev()
                .find_map(|n| modules.get(&path[..n]).copied());
            if let Some(target) = target.filter(|t| *t != source.file) {
                edges.insert((source.file.as_str(), target));
            }
        }
    }
    assert!(
        edges.len() > 200,
        "the source was read: {} imports",
        edges.len()
    );
    let rooms = readme_rooms();
    let room_of = |file: &str| {
        file.split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_string()
    };
    let rank = |room: &str| rooms.iter().position(|r| r == room);
    let mut problems = Vec::new();
    for source in &sources {
        let room = room_of(&source.file);
        if rank(&room).is_none() {
            problems.push(format!(
                "room {room} ({}) is not in the README's table",
                source.file
            ));
        }
    }
    for &(from, to) in &edges {
        let (a, b) = (room_of(from), room_of(to));
        if a != b
            && let (Some(ra), Some(rb)) = (rank(&a), rank(&b))
            && rb > ra
        {
            problems.push(format!(
                "{from} imports {to}: {a} is below {b} in the README"
            ));
        }
        if from < to && edges.contains(&(to, from)) {
            problems.push(format!("{from} and {to} import each other"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The reading itself: a `super::` path from a file resolves to its module's sibling, and a
/// room imported upwards is caught.
#[test]
fn the_reading_resolves_super_and_catches_an_upward_import() {
    let source = Source {
        file: "render/layers/user.rs".into(),
        module: vec!["render".into(), "layers".into(), "user".into()],
        text: "use super::frame::Frame;\nuse crate::ui::app::AtlasApp;\n".into(),
    };
    let paths = named_paths(&source);
    assert_eq!(
        paths,
        vec![
            vec![
                "render".to_string(),
                "layers".into(),
                "frame".into(),
                "Frame".into()
            ],
            vec!["ui".to_string(), "app".into(), "AtlasApp".into()],
        ]
    );
    let rooms = readme_rooms();
    let rank = |room: &str| rooms.iter().position(|r| r == room).expect(room);
    assert!(rank("ui") > rank("render"), "{rooms:?}");
    assert!(rank("coordinates") < rank("model"), "{rooms:?}");
}
