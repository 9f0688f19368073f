//! `chengyu-atlas convert IN OUT [--to-datum D] [--layer NAME] [--layer-datum D]
//! [--encoding utf8|gbk]`: a layer read as the window reads it and written as "导出数据… /
//! Export data…" writes it, headless. OUT's extension names the format.

use std::ffi::OsString;
use std::path::PathBuf;

use super::exit::Outcome;
use crate::coordinates::datum::Datum;
use crate::geodata::user::write::{DataOptions, TextEncoding, named_for_datum, write_data};
use crate::geodata::user::{self, LayerOptions, LayerSpec};

#[derive(Debug, Clone, PartialEq)]
pub struct ConvertArgs {
    pub input: PathBuf,
    pub output: PathBuf,
    /// A GeoPackage's table or a workbook's sheet.
    pub layer: Option<String>,
    /// The input's datum (`None`: as the file says).
    pub from_datum: Option<Datum>,
    pub options: DataOptions,
}

/// The arguments after `convert`.
pub fn parse(parser: &mut lexopt::Parser) -> Result<Result<ConvertArgs, Asked>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut files: Vec<OsString> = Vec::new();
    let mut layer = None;
    let mut from_datum = None;
    let mut options = DataOptions::default();
    let datum = |flag: &str, text: String| {
        Datum::parse(&text).ok_or_else(|| {
            lexopt::Error::from(format!(
                "{flag}: `{text}` is not a datum (use wgs84, gcj02 or bd09)"
            ))
        })
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Err(Asked::Help)),
            Long("to-datum") => options.datum = datum("--to-datum", parser.value()?.string()?)?,
            Long("layer-datum") => {
                from_datum = Some(datum("--layer-datum", parser.value()?.string()?)?)
            }
            Long("layer") => layer = Some(parser.value()?.string()?),
            Long("encoding") => {
                let text = parser.value()?.string()?;
                options.encoding = match text.to_ascii_lowercase().as_str() {
                    "utf8" | "utf-8" => TextEncoding::Utf8Bom,
                    "gbk" | "gb18030" | "cp936" => TextEncoding::Gbk,
                    _ => {
                        return Err(lexopt::Error::from(format!(
                            "--encoding: `{text}` is not utf8 or gbk"
                        )));
                    }
                };
            }
            Value(value) => files.push(value),
            _ => return Err(arg.unexpected()),
        }
    }
    let [input, output]: [OsString; 2] = files.try_into().map_err(|files: Vec<OsString>| {
        lexopt::Error::from(format!(
            "convert takes an input and an output file (given {})",
            files.len()
        ))
    })?;
    Ok(Ok(ConvertArgs {
        input: input.into(),
        output: output.into(),
        layer,
        from_datum,
        options,
    }))
}

/// What was asked instead of a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Help,
}

pub fn run(args: &ConvertArgs) -> Outcome {
    let say = |what: &str| eprintln!("chengyu-atlas: {what}");
    let mut spec = LayerSpec::new(args.input.clone(), args.from_datum);
    if let Some(layer) = &args.layer {
        if user::geopackage::is_geopackage(&spec.path) {
            spec.path = user::geopackage::table_path(&spec.path, layer);
        } else {
            spec.csv.sheet = Some(layer.clone());
        }
    }
    let layers = user::expand(&spec);
    if layers.len() > 1 {
        let names: Vec<String> = layers
            .iter()
            .filter_map(|l| user::geopackage::split(&l.path).1)
            .collect();
        say(&format!(
            "{} holds {} tables ({}): choose one with --layer NAME",
            args.input.display(),
            names.len(),
            names.join(", ")
        ));
        return Outcome::Usage;
    }
    let options = LayerOptions {
        datum: spec.datum,
        csv: spec.csv.clone(),
        ..LayerOptions::default()
    };
    let loaded = match user::load(&spec.path, &options) {
        Ok(loaded) => loaded,
        Err(error) => {
            say(&error.to_string());
            return Outcome::DataProblems;
        }
    };
    let mut outcome = Outcome::Done;
    for problem in &loaded.problems {
        say(&problem.to_string());
        outcome = Outcome::DataProblems;
    }
    for note in &loaded.info.notes {
        say(&format!("{}: {}", args.input.display(), note.en));
    }
    let output = named_for_datum(&args.output, args.options.datum);
    match write_data(&output, &loaded.info, &loaded.features, &args.options) {
        Ok(count) => {
            let datum = args.options.datum.name();
            println!("{count} features written to {} ({datum})", output.display());
            outcome
        }
        Err(error) => {
            say(&error);
            Outcome::OutputFailed
        }
    }
}
