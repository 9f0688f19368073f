//! The command line: `chengyu-atlas [--data DIR]` opens the window; subcommands run headless.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::geodata::{self, DataSource};

const USAGE: &str = "\
chengyu-atlas — offline map of the Chengdu–Chongqing economic circle (成渝科创地图)

USAGE:
    chengyu-atlas [--data DIR]                 open the map window
    chengyu-atlas validate [--json] [--data DIR]
                                               check the geodata; print counts and zone areas
    chengyu-atlas prepare-geodata [--sources DIR] [--out DIR]
                                               rebuild geodata/ from geodata/sources/

OPTIONS:
    --data DIR    read the geodata from DIR (laid out like geodata/) instead of the built-in copy
    -h, --help    print this help
";

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Window { data: DataSource },
    Validate { data: DataSource, json: bool },
    Prepare { sources: PathBuf, out: PathBuf },
    Help,
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
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Long("data") => data = DataSource::Dir(parser.value()?.into()),
            Long("json") if subcommand.as_deref() == Some("validate") => json = true,
            Long("sources") if subcommand.as_deref() == Some("prepare-geodata") => {
                sources = parser.value()?.into();
            }
            Long("out") if subcommand.as_deref() == Some("prepare-geodata") => {
                out = parser.value()?.into();
            }
            Value(value) if subcommand.is_none() => {
                let value = value.string()?;
                match value.as_str() {
                    "validate" | "prepare-geodata" => subcommand = Some(value),
                    _ => return Err(lexopt::Error::from(format!("unknown command `{value}`"))),
                }
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(match subcommand.as_deref() {
        None => Command::Window { data },
        Some("validate") => Command::Validate { data, json },
        _ => Command::Prepare { sources, out },
    })
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let command = match parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("chengyu-atlas: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Command::Validate { data, json } => {
            let report = geodata::validate::validate(&data);
            if json {
                println!("{}", report.to_json());
            } else {
                print!("{}", report.to_text());
            }
            if report.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
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
                ExitCode::FAILURE
            }
        },
        Command::Window { data } => run_window(data),
    }
}

fn run_window(data: DataSource) -> ExitCode {
    crate::ui::run(data)
}
