//! The command line: `chengyu-atlas [--data DIR]` opens the window; subcommands run headless.

pub mod convert;
pub mod exit;
pub mod export;
pub mod identify;
pub mod manual;
pub mod refusals;
pub mod usage;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use exit::Outcome;

use crate::coordinates::datum::Datum;
use crate::geodata::user::LayerSpec;
use crate::geodata::{self, DataSource};

/// The help of one subcommand (its lines of the usage, and the options), or all of it.
pub fn help(topic: Option<&str>) -> String {
    topic.and_then(usage::of).unwrap_or_else(usage::text)
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Window {
        data: DataSource,
        /// Basemap packages, the base first (`--basemap`, repeatable).
        basemaps: Vec<PathBuf>,
        /// The user's own layers, bottom first (`--layer`, repeatable).
        layers: Vec<LayerSpec>,
        /// A workspace to open (`--workspace`).
        workspace: Option<PathBuf>,
    },
    Validate {
        data: DataSource,
        json: bool,
        /// The corrections file to check (default: the window's, beside its saved state).
        corrections: Option<PathBuf>,
    },
    Prepare {
        sources: PathBuf,
        out: PathBuf,
    },
    Identify {
        data: DataSource,
        json: bool,
        tolerance_m: f64,
        points: Vec<String>,
        layers: Vec<LayerSpec>,
    },
    Export(Box<export::ExportArgs>),
    /// `convert IN OUT …`: a layer written in another format or datum.
    Convert(Box<convert::ConvertArgs>),
    /// `--help`, of a subcommand (`export --help`) or of them all.
    Help(Option<String>),
    /// `--version`.
    Version,
    /// `--paths`: where the atlas keeps things on this machine.
    Paths,
}

/// The program's version, and how recent the built-in data is: the date of its newest source.
pub fn version() -> String {
    let content = DataSource::Embedded
        .read(geodata::files::CONTENT)
        .and_then(|(origin, text)| geodata::parse_content(&origin, &text));
    let newest = content.ok().and_then(|content| {
        content
            .sources
            .into_iter()
            .max_by(|a, b| a.date.cmp(&b.date))
    });
    let data = match newest {
        Some(source) => format!(
            "built-in data as of {} (newest source: {}, {})",
            source.date,
            source.short_outlet(crate::model::Lang::En),
            source.title_en.as_deref().unwrap_or(&source.title)
        ),
        None => "built-in data: unreadable (run `chengyu-atlas validate`)".to_string(),
    };
    format!("chengyu-atlas {}\n{data}", env!("CARGO_PKG_VERSION"))
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut subcommand: Option<String> = None;
    let mut data = DataSource::Embedded;
    let mut json = false;
    let mut sources = PathBuf::from("geodata/sources");
    let mut out = PathBuf::from("geodata");
    let mut tolerance_m = DEFAULT_TOLERANCE_M;
    let mut points = Vec::new();
    let mut basemaps = Vec::new();
    let mut layers = Vec::new();
    let mut workspace = None;
    let mut corrections = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(subcommand)),
            Short('V') | Long("version") => return Ok(Command::Version),
            Long("paths") => return Ok(Command::Paths),
            // A negative longitude is a point, not an option: `identify -73.98,40.75`.
            Short(digit) if subcommand.as_deref() == Some("identify") && digit.is_ascii_digit() => {
                let rest = parser
                    .optional_value()
                    .map(|rest| rest.string())
                    .transpose()?
                    .unwrap_or_default();
                points.push(format!("-{digit}{rest}"));
            }
            Long("layer") if matches!(subcommand.as_deref(), None | Some("identify")) => {
                layers.push(LayerSpec::new(PathBuf::from(parser.value()?), None));
            }
            Long("layer-datum") if matches!(subcommand.as_deref(), None | Some("identify")) => {
                layer_datum(&mut layers, parser.value()?.string()?)?;
            }
            Long("data") => data = DataSource::Dir(parser.value()?.into()),
            Long("basemap") if subcommand.is_none() => basemaps.push(parser.value()?.into()),
            Long("workspace") if subcommand.is_none() => {
                workspace = Some(PathBuf::from(parser.value()?));
            }
            Long("corrections") if subcommand.as_deref() == Some("validate") => {
                corrections = Some(PathBuf::from(parser.value()?));
            }
            Long("json") if matches!(subcommand.as_deref(), Some("validate" | "identify")) => {
                json = true
            }
            Long("tolerance-m") if subcommand.as_deref() == Some("identify") => {
                let value = parser.value()?.string()?;
                tolerance_m = value
                    .parse::<f64>()
                    .ok()
                    .filter(|metres| metres.is_finite() && *metres >= 0.0)
                    .ok_or_else(|| {
                        lexopt::Error::from(format!(
                            "--tolerance-m: `{value}` is not a distance in metres"
                        ))
                    })?;
            }
            Long("sources") if subcommand.as_deref() == Some("prepare-geodata") => {
                sources = parser.value()?.into();
            }
            Long("out") if subcommand.as_deref() == Some("prepare-geodata") => {
                out = parser.value()?.into();
            }
            Value(value) if subcommand.as_deref() == Some("identify") => {
                points.push(value.string()?);
            }
            Value(value) if subcommand.is_none() && value == "convert" => {
                return Ok(match convert::parse(&mut parser)? {
                    Ok(args) => Command::Convert(Box::new(args)),
                    Err(convert::Asked::Help) => Command::Help(Some("convert".into())),
                });
            }
            Value(value) if subcommand.is_none() && value == "export" => {
                let mut args = match export::parse(&mut parser, data) {
                    Ok(args) => args,
                    Err(lexopt::Error::Custom(error)) => {
                        return match error.downcast_ref::<export::Asked>() {
                            Some(export::Asked::Help) => Ok(Command::Help(Some("export".into()))),
                            Some(export::Asked::Version) => Ok(Command::Version),
                            None => Err(lexopt::Error::Custom(error)),
                        };
                    }
                    Err(error) => return Err(error),
                };
                layers.append(&mut args.user_layers);
                args.user_layers = layers;
                return Ok(Command::Export(Box::new(args)));
            }
            Value(value) if subcommand.is_none() => {
                let name = value.to_string_lossy();
                match name.as_ref() {
                    "validate" | "prepare-geodata" | "identify" => {
                        subcommand = Some(name.into_owned())
                    }
                    // A file the desktop (or a user) hands the window: opened by its kind.
                    _ => {
                        let kinds = geodata::FileKind::opened_as(std::path::Path::new(&value));
                        if kinds.is_empty() {
                            return Err(lexopt::Error::from(format!(
                                "unknown command or file `{name}` (a file to open ends in .geojson, .csv, .xlsx, .xls, .ods, .kml, .kmz, .shp, .zip, .gpkg, .pmtiles, .mbtiles or .toml)"
                            )));
                        }
                        // A GeoPackage with features and tiles opens as both.
                        for kind in kinds {
                            match kind {
                                geodata::FileKind::Basemap => basemaps.push(value.clone().into()),
                                geodata::FileKind::Workspace => {
                                    workspace = Some(value.clone().into())
                                }
                                geodata::FileKind::Layer(_) => {
                                    layers.push(LayerSpec::new(PathBuf::from(&value), None))
                                }
                            }
                        }
                    }
                }
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(match subcommand.as_deref() {
        None => Command::Window {
            data,
            basemaps,
            layers,
            workspace,
        },
        Some("validate") => Command::Validate {
            data,
            json,
            corrections,
        },
        Some("identify") => Command::Identify {
            data,
            json,
            tolerance_m,
            points,
            layers,
        },
        _ => Command::Prepare { sources, out },
    })
}

/// `--layer-datum D`: the datum of the `--layer` given before it.
pub fn layer_datum(layers: &mut [LayerSpec], text: String) -> Result<(), lexopt::Error> {
    let datum = Datum::parse(&text).ok_or_else(|| {
        lexopt::Error::from(format!(
            "--layer-datum: `{text}` is not a datum (use wgs84, gcj02 or bd09)"
        ))
    })?;
    let layer = layers.last_mut().ok_or_else(|| {
        lexopt::Error::from(
            "--layer-datum sets the datum of the --layer before it: give a --layer first",
        )
    })?;
    layer.datum = Some(datum);
    Ok(())
}

/// Adds the user's layers to the atlas, saying on stderr what could not be read; the outcome
/// is `DataProblems` when anything could not.
pub fn add_layers(atlas: &mut crate::model::Atlas, layers: &[LayerSpec]) -> Outcome {
    let mut outcome = Outcome::Done;
    // A GeoPackage is each of its feature tables.
    let layers: Vec<LayerSpec> = layers.iter().flat_map(geodata::user::expand).collect();
    for spec in &layers {
        match geodata::user::add_to(atlas, spec) {
            Ok((id, problems)) => {
                for problem in &problems {
                    eprintln!("chengyu-atlas: {problem}");
                }
                // What the window says under the layer is said here too: how it was read,
                // and what was changed or left out (which makes the outcome 1).
                let layer = atlas.user_layer(id);
                for note in layer.iter().flat_map(|layer| &layer.notes) {
                    eprintln!("chengyu-atlas: {}: {}", spec.path.display(), note.en);
                }
                if let Some(why) = layer.and_then(|layer| layer.stale.as_ref()) {
                    eprintln!("chengyu-atlas: {}: {}", spec.path.display(), why.en);
                }
                if !problems.is_empty() || layer.is_some_and(|layer| layer.altered) {
                    outcome = Outcome::DataProblems;
                }
            }
            Err(error) => {
                eprintln!("chengyu-atlas: {error}");
                outcome = Outcome::DataProblems;
            }
        }
    }
    outcome
}

/// What opens the window: the data, the basemap packages, the user's layers and a workspace
/// given on the command line. The binary passes [`crate::ui::run`]; the command line itself
/// stays below the window.
pub type OpenWindow = fn(DataSource, Vec<PathBuf>, Vec<LayerSpec>, Option<PathBuf>) -> ExitCode;

/// Entry point of the binary; `open_window` opens the window when no subcommand is given.
pub fn main(open_window: OpenWindow) -> ExitCode {
    crate::process::started();
    let command = match parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(error) => {
            eprintln!(
                "chengyu-atlas: {error}\n\n{}\n{}",
                usage::text(),
                exit::table()
            );
            return Outcome::Usage.into();
        }
    };
    match command {
        Command::Help(topic) => {
            print!("{}\n{}", help(topic.as_deref()), exit::table());
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("{}", version());
            ExitCode::SUCCESS
        }
        Command::Paths => {
            print!("{}", crate::paths::report());
            ExitCode::SUCCESS
        }
        Command::Validate {
            data,
            json,
            corrections,
        } => {
            let mut report = geodata::validate::validate(&data);
            // The window's corrections, beside its saved state, unless another file is named.
            let corrections = corrections.or_else(crate::paths::corrections_file);
            if let Some(path) = corrections.filter(|p| p.exists()) {
                let atlas = geodata::load(&data).atlas;
                match geodata::corrections::read(&path) {
                    Ok(list) => {
                        let origin = path.display().to_string();
                        report.problems.extend(geodata::corrections::check(
                            &atlas,
                            &list.platforms,
                            &origin,
                        ));
                        report.problems.extend(geodata::corrections::check_outlines(
                            &atlas,
                            &list.outlines,
                            &origin,
                        ));
                    }
                    Err(error) => report.problems.push(error),
                }
            }
            if json {
                println!("{}", report.to_json());
            } else {
                print!("{}", report.to_text());
            }
            if report.is_ok() {
                Outcome::Done.into()
            } else {
                Outcome::DataProblems.into()
            }
        }
        Command::Prepare { sources, out } => match geodata::prepare::run(&sources, &out) {
            Ok(report) => {
                for line in report.lines {
                    println!("{line}");
                }
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("chengyu-atlas prepare-geodata: {error}");
                Outcome::DataProblems.into()
            }
        },
        Command::Window {
            data,
            basemaps,
            layers,
            workspace,
        } => open_window(data, basemaps, layers, workspace),
        Command::Identify {
            data,
            json,
            tolerance_m,
            points,
            layers,
        } => run_identify(&data, &layers, json, tolerance_m, points),
        Command::Export(args) => export::run(&args).into(),
        Command::Convert(args) => convert::run(&args).into(),
    }
}

/// Points within this distance of a platform or hub hit it (about 10 pixels at zoom 12).
pub const DEFAULT_TOLERANCE_M: f64 = 300.0;

fn run_identify(
    data: &DataSource,
    layers: &[LayerSpec],
    json: bool,
    tolerance_m: f64,
    points: Vec<String>,
) -> ExitCode {
    let mut loaded = geodata::load(data);
    for problem in &loaded.problems {
        eprintln!("chengyu-atlas: {problem}");
    }
    let data_outcome = if loaded.problems.is_empty() {
        Outcome::Done
    } else {
        Outcome::DataProblems
    };
    let data_outcome = data_outcome.and(add_layers(&mut loaded.atlas, layers));
    let index = crate::index::SpatialIndex::new(&loaded.atlas);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = if points.is_empty() {
        identify::identify(
            &loaded.atlas,
            &index,
            identify::lines(std::io::stdin().lock()),
            tolerance_m,
            json,
            &mut out,
        )
    } else {
        identify::identify(
            &loaded.atlas,
            &index,
            points.into_iter().map(Ok),
            tolerance_m,
            json,
            &mut out,
        )
    };
    let outcome = match result {
        Ok(0) => Outcome::Done,
        Ok(_) => Outcome::InputProblems,
        Err(error) => {
            eprintln!("chengyu-atlas identify: {error}");
            Outcome::OutputFailed
        }
    };
    data_outcome.and(outcome).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `chengyu-atlas FILE…`, as a desktop's "Open with" runs it: each file opened by kind.
    #[test]
    fn files_given_to_the_window_open_by_their_kind() {
        let args = ["firms.CSV", "tiles.pmtiles", "team.toml", "survey.shp"].map(OsString::from);
        let Ok(Command::Window {
            basemaps,
            layers,
            workspace,
            ..
        }) = parse(args)
        else {
            panic!("a window");
        };
        assert_eq!(basemaps, [PathBuf::from("tiles.pmtiles")]);
        assert_eq!(workspace, Some(PathBuf::from("team.toml")));
        let layers: Vec<_> = layers.iter().map(|l| l.path.clone()).collect();
        assert_eq!(
            layers,
            [PathBuf::from("firms.CSV"), PathBuf::from("survey.shp")]
        );
        // A folder is a tile folder; the kinds are the ones a drop on the map uses too.
        let folder = std::env::temp_dir();
        assert_eq!(
            geodata::FileKind::of(&folder),
            Some(geodata::FileKind::Basemap)
        );
        let error = parse([OsString::from("valdate")]).expect_err("a typo");
        assert!(
            error
                .to_string()
                .contains("unknown command or file `valdate`")
        );
    }
}
