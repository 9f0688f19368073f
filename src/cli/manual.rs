//! The man page and README's generated parts, made from the same lists as `--help`: the usage
//! ([`super::usage`]), the exit codes ([`super::exit::CODES`]) and where things are kept
//! ([`crate::paths::PLACES`]). A test keeps the shipped files equal to what this makes;
//! `CHENGYU_ATLAS_BLESS=1 cargo test --lib manual` rewrites them after a change.

use super::exit;
use super::usage::{self, COMMANDS, OPTIONS};
use crate::paths::PLACES;

/// Where the man page is kept in the source tree (and packaged from).
pub const MAN_PAGE: &str = "assets/package/chengyu-atlas.1";

const DESCRIPTION: &[&str] = &[
    "A native desktop map of the Chengdu\u{2013}Chongqing economic circle (成渝地区双城经济圈) and \
     the Western (Chongqing) Science City (西部（重庆）科学城) with its core zone and five districts \
     (一核五区): zones, platforms, parks, industries and their sources, in Chinese or English.",
    "It runs offline: the boundaries, rivers, place names and the Chinese font are compiled in, \
     and nothing is fetched from the network unless a tile server is added as a basemap. \
     Dashed outlines are approximations; the About window and SOURCES.md name every source.",
    "Without a command it opens the map window (a display is needed). The commands run without \
     one: export needs no display or GPU.",
];

/// Variables that are not places (see [`PLACES`] for those).
fn other_variables() -> [(&'static str, String); 2] {
    use crate::http::{CACHE_CAP_BYTES, CACHE_CAP_VARIABLE};
    [
        (
            CACHE_CAP_VARIABLE,
            format!(
                "how many MiB the tile cache may hold before its oldest tiles are dropped (default {})",
                CACHE_CAP_BYTES / (1024 * 1024)
            ),
        ),
        (
            crate::process::TIMING_VARIABLE,
            "set to 1 to print how long each step of the start-up took, on stderr".to_string(),
        ),
    ]
}

/// roff text: backslashes and hyphens escaped, a line that would read as a request guarded.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// A command's name in the COMMANDS list: the synopsis up to its first optional part, or up to
/// and with its first option (`chengyu-atlas export --tour`).
fn tag(synopsis: &str) -> String {
    let mut words = Vec::new();
    for word in synopsis.split_whitespace() {
        if word.starts_with('[') {
            break;
        }
        words.push(word);
        if word.starts_with("--") {
            break;
        }
    }
    words.join(" ")
}

/// The man page, chengyu-atlas(1).
pub fn man_page() -> String {
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line(&format!(
        ".TH CHENGYU\\-ATLAS 1 \"\" \"chengyu\\-atlas {}\" \"User Commands\"",
        roff(env!("CARGO_PKG_VERSION"))
    ));
    line(".SH NAME");
    line(&format!("chengyu\\-atlas \\- {}", roff(usage::SUMMARY)));
    line(".SH SYNOPSIS");
    line(".nf");
    for usage in COMMANDS {
        for text in usage.synopsis {
            line(&roff(text));
        }
    }
    line(".fi");
    line(".SH DESCRIPTION");
    for (i, paragraph) in DESCRIPTION.iter().enumerate() {
        if i > 0 {
            line(".PP");
        }
        line(&roff(paragraph));
    }
    line(".SH COMMANDS");
    for usage in COMMANDS {
        line(".TP");
        line(&format!(".B {}", roff(&tag(usage.synopsis[0]))));
        line(&roff(&usage.about.join(" ")));
    }
    line(".SH OPTIONS");
    for flag in OPTIONS {
        line(".TP");
        line(&format!(".B {}", roff(flag.flags)));
        line(&roff(&flag.about.join(" ")));
    }
    line(".SH EXIT STATUS");
    for (outcome, meaning) in exit::CODES {
        line(".TP");
        line(&format!(".B {}", outcome.code()));
        line(&roff(meaning));
    }
    line(".PP");
    line(&roff(exit::SEVERAL));
    line(".SH DIAGNOSTICS");
    line(&roff(
        "What the atlas refuses, changes or leaves out, what it says (on stderr, and in the \
         window in the interface's language; FILE is the file's path) and the exit code:",
    ));
    for refusal in super::refusals::all() {
        line(".TP");
        line(&format!(
            ".B {}",
            roff(&format!("{} (exit {})", refusal.situation, refusal.code()))
        ));
        line(&roff(&refusal.said));
    }
    line(".SH ENVIRONMENT");
    for place in PLACES {
        if let Some(variable) = place.variable {
            line(".TP");
            line(&format!(".B {}", roff(variable)));
            line(&roff(&format!(
                "moves the {}; by default {}",
                place.what, place.default
            )));
        }
    }
    for (variable, meaning) in other_variables() {
        line(".TP");
        line(&format!(".B {}", roff(variable)));
        line(&roff(&meaning));
    }
    line(".SH FILES");
    for place in PLACES {
        line(".TP");
        line(&format!(".I {}", roff(place.default)));
        line(&roff(place.what));
    }
    line(".PP");
    line(&roff(
        "On Windows and macOS the platform's own folders take the place of the XDG ones; \
         chengyu-atlas --paths prints where each is on this machine.",
    ));
    line(".SH SEE ALSO");
    line(&roff(
        "/usr/share/doc/chengyu-atlas/README.md (the whole guide, with examples), \
         /usr/share/doc/chengyu-atlas/SOURCES.md (how each layer was made, and its sources), \
         /usr/share/doc/chengyu-atlas/copyright (every licence).",
    ));
    out
}

/// README's command-line block.
pub fn readme_usage() -> String {
    let mut out = String::from("```\n");
    for usage in COMMANDS {
        for text in usage.synopsis {
            out.push_str(text);
            out.push('\n');
        }
        for text in usage.about {
            out.push_str(&" ".repeat(43));
            out.push_str(text);
            out.push('\n');
        }
    }
    out.push_str("```\n");
    out
}

/// README's table of exit codes.
pub fn readme_exit_codes() -> String {
    let mut out = String::from("| code | meaning |\n|---|---|\n");
    for (outcome, meaning) in exit::CODES {
        out.push_str(&format!("| {} | {meaning} |\n", outcome.code()));
    }
    out.push('\n');
    out.push_str(exit::SEVERAL);
    out.push('\n');
    out
}

/// README's table of refusals and notes, with their words and exit codes.
pub fn readme_refusals() -> String {
    let mut out =
        String::from("| when | what is said (FILE: the file's path) | exit |\n|---|---|---|\n");
    for refusal in super::refusals::all() {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            refusal.situation,
            refusal.said.replace('|', "\\|").replace('\n', " "),
            refusal.code()
        ));
    }
    out
}

/// README's table of where things are kept.
pub fn readme_places() -> String {
    let mut out = String::from("| what | where (Linux) | moved by |\n|---|---|---|\n");
    for place in PLACES {
        let default = if place.default.starts_with('$') {
            format!("`{}`", place.default)
        } else {
            place.default.to_string()
        };
        out.push_str(&format!(
            "| {} | {default} | {} |\n",
            place.what,
            place
                .variable
                .map(|variable| format!("`{variable}`"))
                .unwrap_or_else(|| "—".to_string())
        ));
    }
    out
}

/// The generated parts of README, by the name in their markers
/// (`<!-- generated: NAME -->` … `<!-- end generated -->`).
pub fn readme_parts() -> [(&'static str, String); 4] {
    [
        ("usage", readme_usage()),
        ("exit codes", readme_exit_codes()),
        ("refusals", readme_refusals()),
        ("places", readme_places()),
    ]
}

/// `readme` with each generated part replaced by `parts`; `Err` names a part without markers.
pub fn fill_readme(readme: &str, parts: &[(&str, String)]) -> Result<String, String> {
    let mut out = readme.to_string();
    for (name, text) in parts {
        let start = format!("<!-- generated: {name} -->\n");
        let end = "<!-- end generated -->";
        let from = out
            .find(&start)
            .ok_or_else(|| format!("README has no `{}` marker", start.trim()))?
            + start.len();
        let to = from
            + out[from..]
                .find(end)
                .ok_or_else(|| format!("README's `{name}` part is not closed"))?;
        out.replace_range(from..to, text);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The file at `relative` must hold `made`; with CHENGYU_ATLAS_BLESS=1 it is rewritten.
    fn check(relative: &str, made: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        if shipped == made {
            return;
        }
        if std::env::var_os("CHENGYU_ATLAS_BLESS").is_some_and(|v| v == "1") {
            std::fs::write(&path, made).expect("write");
            return;
        }
        panic!(
            "{relative} is not what the usage, exit codes and places make: run \
             `CHENGYU_ATLAS_BLESS=1 cargo test --lib manual` and commit it"
        );
    }

    #[test]
    fn the_man_page_and_readme_are_made_from_the_help() {
        check(MAN_PAGE, &man_page());
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
                .expect("README.md");
        check(
            "README.md",
            &fill_readme(&readme, &readme_parts()).expect("markers"),
        );
    }

    #[test]
    fn the_man_page_says_every_code_option_and_variable_once() {
        let page = man_page();
        for (outcome, _) in exit::CODES {
            assert_eq!(page.matches(&format!(".B {}\n", outcome.code())).count(), 1);
        }
        for flag in OPTIONS {
            assert!(
                page.contains(&format!(".B {}\n", roff(flag.flags))),
                "{}",
                flag.flags
            );
        }
        for variable in [
            "CHENGYU_ATLAS_STATE",
            "CHENGYU_ATLAS_TOURS",
            "CHENGYU_ATLAS_CACHE",
        ] {
            assert_eq!(page.matches(&format!(".B {}\n", roff(variable))).count(), 1);
        }
        // No line of text may start a roff request by accident.
        for line in page.lines().filter(|l| !l.starts_with('.')) {
            assert!(!line.starts_with('\''), "{line}");
        }
        assert_eq!(roff(".hidden -x \\"), "\\&.hidden \\-x \\e");
        assert_eq!(tag(COMMANDS[0].synopsis[0]), "chengyu-atlas");
        assert_eq!(
            tag("chengyu-atlas export --tour NAME --out FILE.pdf [--lang zh|en]"),
            "chengyu-atlas export --tour"
        );
    }

    #[test]
    fn a_readme_without_a_marker_is_named() {
        let error = fill_readme("# no markers\n", &readme_parts()).expect_err("no markers");
        assert!(error.contains("generated: usage"), "{error}");
        let filled = fill_readme(
            "a\n<!-- generated: x -->\nold\n<!-- end generated -->\nb\n",
            &[("x", "new\n".to_string())],
        )
        .expect("filled");
        assert_eq!(
            filled,
            "a\n<!-- generated: x -->\nnew\n<!-- end generated -->\nb\n"
        );
    }
}
