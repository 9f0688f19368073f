//! The command line's usage, as data: `--help` prints it, and the man page and README are
//! generated from it (see [`super::manual`]), so that the three never disagree.

/// One way to run the program.
pub struct Usage {
    /// The subcommand (`None`: the window).
    pub name: Option<&'static str>,
    /// Its synopsis, one line per printed line (later lines continue the first).
    pub synopsis: &'static [&'static str],
    /// What it does, one line per printed line.
    pub about: &'static [&'static str],
}

/// One option.
pub struct Flag {
    pub flags: &'static str,
    pub about: &'static [&'static str],
}

/// The program in one line (the man page's NAME, `--help`'s first line).
pub const SUMMARY: &str = "offline map of the Chengdu–Chongqing economic circle (成渝科创地图)";

pub const COMMANDS: &[Usage] = &[
    Usage {
        name: None,
        synopsis: &[
            "chengyu-atlas [--data DIR] [--basemap FILE …] [--layer FILE [--layer-datum D] …]",
            "              [--workspace FILE.toml] [FILE …]",
        ],
        about: &[
            "open the map window; a FILE is opened by its",
            "kind (a layer, a basemap package or folder, a",
            "workspace .toml), as a desktop's Open With does",
        ],
    },
    Usage {
        name: Some("validate"),
        synopsis: &["chengyu-atlas validate [--json] [--data DIR] [--corrections FILE]"],
        about: &[
            "check the geodata and the platform corrections;",
            "print counts and zone areas",
        ],
    },
    Usage {
        name: Some("identify"),
        synopsis: &[
            "chengyu-atlas identify [--json] [--tolerance-m M] [--data DIR] [--layer FILE …]",
            "              [LON,LAT ...]",
        ],
        about: &[
            "what lies under each point, topmost first;",
            "without points, reads `lon,lat` lines from stdin",
        ],
    },
    Usage {
        name: Some("export"),
        synopsis: &[
            "chengyu-atlas export --view ZONE|W,S,E,N --out FILE [--view … --out …] [--list FILE]",
            "              [--size WxH | --paper a4|a3 [--landscape] [--dpi N]] [--lang zh|en]",
            "              [--title T] [--subtitle S] [--layers L,…] [--select ID] [--force]",
            "              [--no-title] [--no-legend] [--no-scale-bar] [--no-north-arrow]",
            "              [--no-overview] [--no-date] [--no-sources] [--basemap FILE …]",
            "              [--layer FILE [--layer-datum D] …] [--workspace FILE.toml]",
        ],
        about: &[
            "finished map pages; format from the extension",
            "(.png, .svg, .pdf); page options between a",
            "--view and its --out are that page's, written",
            "elsewhere they are every page's",
        ],
    },
    Usage {
        name: Some("export"),
        synopsis: &[
            "chengyu-atlas export --tour NAME --out FILE.pdf [--lang zh|en] [--notes] [--force]",
            "              [--basemap FILE …] [--layer FILE …]",
        ],
        about: &[
            "a tour's handout: one page per stop; --notes prints each stop's speaker notes",
            "under its page (the presenter's copy)",
        ],
    },
    Usage {
        name: Some("export"),
        synopsis: &[
            "chengyu-atlas export --tour NAME --out FILE.mp4 [--size 1920x1080] [--fps 30]",
            "              [--seconds-per-stop N] [--lang zh|en] [--force] [--basemap FILE …]",
        ],
        about: &[
            "a tour as a video that plays anywhere (H.264 in MP4): the presenter's flights,",
            "spotlight and captions; each stop held N seconds (default: its own duration)",
        ],
    },
    Usage {
        name: Some("convert"),
        synopsis: &[
            "chengyu-atlas convert IN OUT [--layer NAME] [--layer-datum D] [--to-datum D]",
            "              [--encoding utf8|gbk]",
        ],
        about: &[
            "a layer written as another format, by OUT's",
            "extension (.geojson, .gpkg, .xlsx, .csv, .kml,",
            ".kmz); --layer: a GeoPackage's table or a",
            "workbook's sheet; --to-datum gcj02|bd09 for apps",
            "that expect it (said in the name and a column)",
        ],
    },
    Usage {
        name: Some("prepare-geodata"),
        synopsis: &["chengyu-atlas prepare-geodata [--sources DIR] [--out DIR]"],
        about: &["rebuild geodata/ from geodata/sources/"],
    },
];

pub const OPTIONS: &[Flag] = &[
    Flag {
        flags: "--data DIR",
        about: &["read the geodata from DIR (laid out like geodata/) instead of the built-in copy"],
    },
    Flag {
        flags: "--basemap FILE",
        about: &[
            "a basemap package under the map: PMTiles, MBTiles, a z/x/y tile folder, or",
            "a tile server's URL template (https://host/{z}/{x}/{y}.png; {-y} for TMS);",
            "repeatable (the first is the base, later ones overlays such as labels)",
        ],
    },
    Flag {
        flags: "--layer FILE",
        about: &[
            "a layer of your own on top of the atlas's: GeoJSON (.geojson, .json, a",
            "GeoJSON sequence), a table (.csv, .tsv) or workbook (.xlsx, .xls, .ods) with",
            "lon/lat (经度/纬度) or WKT columns, KML/KMZ, a Shapefile (.shp, or a .zip of",
            "one), a GeoPackage (.gpkg; FILE.gpkg#TABLE for one table); repeatable",
        ],
    },
    Flag {
        flags: "--layer-datum wgs84|gcj02|bd09",
        about: &[
            "the datum of the --layer before it (default: as the file says — e.g. a column",
            "named lng_gcj02 — else WGS-84/CGCS2000); positions are converted to WGS-84",
        ],
    },
    Flag {
        flags: "--workspace FILE.toml",
        about: &["open a workspace saved from the window (view, layers, basemaps, styles)"],
    },
    Flag {
        flags: "-h, --help",
        about: &["print this help (after a subcommand: that subcommand's)"],
    },
    Flag {
        flags: "-V, --version",
        about: &["print the version and the date of the built-in data"],
    },
    Flag {
        flags: "--paths",
        about: &["print where the atlas keeps its state, corrections, tours and cache"],
    },
];

/// Where a command's description starts in `--help`.
const ABOUT_COLUMN: usize = 47;
/// Where an option's description starts in `--help`.
const FLAG_COLUMN: usize = 18;

/// The whole usage as `--help` prints it.
pub fn text() -> String {
    let mut out = format!("chengyu-atlas — {SUMMARY}\n\nUSAGE:\n");
    for usage in COMMANDS {
        push_command(&mut out, usage);
    }
    push_options(&mut out);
    out
}

/// One subcommand's lines of the usage, then the options; `None` if there is no such one.
pub fn of(topic: &str) -> Option<String> {
    let mut out = String::from("USAGE:\n");
    let mut found = false;
    for usage in COMMANDS.iter().filter(|usage| usage.name == Some(topic)) {
        push_command(&mut out, usage);
        found = true;
    }
    push_options(&mut out);
    found.then_some(out)
}

fn push_command(out: &mut String, usage: &Usage) {
    for line in usage.synopsis {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    for line in usage.about {
        out.push_str(&" ".repeat(ABOUT_COLUMN));
        out.push_str(line);
        out.push('\n');
    }
}

fn push_options(out: &mut String) {
    out.push_str("\nOPTIONS:\n");
    for flag in OPTIONS {
        let head = format!("    {}", flag.flags);
        let mut lines = flag.about.iter();
        if head.chars().count() < FLAG_COLUMN {
            let first = lines.next().copied().unwrap_or_default();
            let pad = FLAG_COLUMN - head.chars().count();
            out.push_str(&format!("{head}{}{first}\n", " ".repeat(pad)));
        } else {
            out.push_str(&head);
            out.push('\n');
        }
        for line in lines {
            out.push_str(&" ".repeat(FLAG_COLUMN));
            out.push_str(line);
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subcommands_help_holds_its_own_lines_and_the_options_only() {
        let export = of("export").expect("export");
        assert_eq!(export.matches("    chengyu-atlas export").count(), 3);
        assert!(!export.contains("chengyu-atlas validate"), "{export}");
        assert!(
            export.contains("    --data DIR    read the geodata"),
            "{export}"
        );
        assert!(of("no-such-command").is_none());
        // An option too long for its column puts its description on the next line.
        assert!(
            text().contains("    --basemap FILE\n                  a basemap package"),
            "{}",
            text()
        );
    }

    #[test]
    fn every_subcommand_the_parser_knows_has_a_usage() {
        for name in ["validate", "identify", "export", "prepare-geodata"] {
            assert!(of(name).is_some(), "{name}");
        }
    }
}
