//! `chengyu-atlas export`: finished map pages from the command line, headless (no display, no
//! GPU), several in one start-up.

use std::path::PathBuf;
use std::time::Instant;

use geo::{Rect, coord};

use super::exit::Outcome;
use crate::export::{Elements, ExportRequest, Extent, PageSize, Paper, export_to_file};

/// `export --help` or `export --version` was asked for (told apart from a usage error by its
/// type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Help,
    Version,
}

impl std::fmt::Display for Asked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Asked::Help => "help asked",
            Asked::Version => "version asked",
        })
    }
}

impl std::error::Error for Asked {}
use crate::geodata::{self, DataSource};
use crate::model::{Lang, LayerId};
use crate::render::{Highlight, LayerSettings, SceneBuilder};

/// One page to write, with the options given inside its `--view … --out` group.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub view: String,
    pub out: PathBuf,
    pub own: PageArgs,
}

/// The options of a page, as written: each unset one falls back to the options given outside
/// every `--view … --out` group (before the first, between groups or after the last), then to
/// the default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageArgs {
    pub pixels: Option<(u32, u32)>,
    pub paper: Option<Paper>,
    pub landscape: Option<bool>,
    pub dpi: Option<u32>,
    pub lang: Option<Lang>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub layers: Option<Vec<LayerId>>,
    pub select: Option<String>,
    /// `--no-title` and the others: the elements left off.
    pub hidden: Vec<&'static str>,
}

/// A page's options once its own and the common ones are put together.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub size: PageSize,
    pub lang: Lang,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub layers: Option<Vec<LayerId>>,
    pub select: Option<String>,
    pub elements: Elements,
}

impl PageArgs {
    /// This page's options over `common`'s.
    pub fn resolve(&self, common: &PageArgs) -> Page {
        // A page's own size (pixels or paper) replaces the common one whole; --landscape or
        // --dpi alone modify the common paper.
        let sized = if self.pixels.is_some() || self.paper.is_some() {
            self
        } else {
            common
        };
        let landscape = self.landscape.or(common.landscape).unwrap_or(false);
        let dpi = self.dpi.or(common.dpi).unwrap_or(300);
        let size = match (sized.paper, sized.pixels) {
            (Some(paper), _) => PageSize::Paper {
                paper,
                landscape,
                dpi,
            },
            (None, Some((width, height))) => PageSize::Pixels { width, height },
            (None, None) => PageSize::Pixels {
                width: 1920,
                height: 1080,
            },
        };
        let mut elements = Elements::default();
        for hidden in common.hidden.iter().chain(&self.hidden) {
            match *hidden {
                "title" => elements.title = false,
                "legend" => elements.legend = false,
                "scale-bar" => elements.scale_bar = false,
                "north-arrow" => elements.north_arrow = false,
                "overview" => elements.overview = false,
                "date" => elements.date = false,
                _ => elements.sources = false,
            }
        }
        Page {
            size,
            lang: self.lang.or(common.lang).unwrap_or(Lang::Zh),
            title: self.title.clone().or_else(|| common.title.clone()),
            subtitle: self.subtitle.clone().or_else(|| common.subtitle.clone()),
            layers: self.layers.clone().or_else(|| common.layers.clone()),
            select: self.select.clone().or_else(|| common.select.clone()),
            elements,
        }
    }

    /// Reads one page option (`arg`) into these options; `false` if `arg` is not one.
    fn read(&mut self, name: &str, parser: &mut lexopt::Parser) -> Result<bool, lexopt::Error> {
        use lexopt::prelude::*;
        match name {
            "size" => {
                self.pixels =
                    Some(parse_size(&parser.value()?.string()?).map_err(lexopt::Error::from)?);
                self.paper = None;
            }
            "paper" => {
                self.paper = Some(
                    match parser.value()?.string()?.to_ascii_lowercase().as_str() {
                        "a4" => Paper::A4,
                        "a3" => Paper::A3,
                        other => return Err(format!("--paper `{other}`: use a4 or a3").into()),
                    },
                );
                self.pixels = None;
            }
            "landscape" => self.landscape = Some(true),
            "portrait" => self.landscape = Some(false),
            "dpi" => self.dpi = Some(number_in(parser, "dpi", 36..=1200, "a number")?),
            "lang" => {
                self.lang = Some(match parser.value()?.string()?.as_str() {
                    "zh" => Lang::Zh,
                    "en" => Lang::En,
                    other => return Err(format!("--lang `{other}`: use zh or en").into()),
                })
            }
            "title" => self.title = Some(parser.value()?.string()?),
            "subtitle" => self.subtitle = Some(parser.value()?.string()?),
            "layers" => {
                let text = parser.value()?.string()?;
                let mut layers = Vec::new();
                for key in text.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                    layers.push(LayerId::from_key(key).ok_or_else(|| {
                        let known: Vec<&str> = LayerId::ALL.iter().map(|l| l.key()).collect();
                        lexopt::Error::from(format!(
                            "--layers: unknown layer `{key}` (known: {})",
                            known.join(", ")
                        ))
                    })?);
                }
                self.layers = Some(layers);
            }
            "select" => self.select = Some(parser.value()?.string()?),
            name if name.starts_with("no-") => {
                const ELEMENTS: [&str; 7] = [
                    "title",
                    "legend",
                    "scale-bar",
                    "north-arrow",
                    "overview",
                    "date",
                    "sources",
                ];
                match ELEMENTS.iter().find(|e| **e == &name[3..]) {
                    Some(element) => self.hidden.push(element),
                    None => return Ok(false),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The options of an `export` command line.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportArgs {
    pub jobs: Vec<Job>,
    pub list: Option<PathBuf>,
    /// The page options given outside every `--view … --out` group: for every page (and the
    /// list file's).
    pub common: PageArgs,
    pub force: bool,
    pub data: DataSource,
    /// Basemap packages under the maps, the base first (`--basemap`, repeatable).
    pub basemaps: Vec<PathBuf>,
    /// The user's own layers, bottom first (`--layer`, repeatable).
    pub user_layers: Vec<crate::geodata::user::LayerSpec>,
    /// A workspace whose layers (with their styles), basemaps and layer settings the pages
    /// show (`--workspace`).
    pub workspace: Option<PathBuf>,
    /// A tour whose handout (one page per stop) goes to `--out`.
    pub tour: Option<String>,
    pub tour_out: Option<PathBuf>,
    /// The handout with each stop's speaker notes under its page (`--notes`).
    pub notes: bool,
    /// A tour's video (`--out FILE.mp4`): frames a second and each stop's time.
    pub fps: Option<u32>,
    pub seconds_per_stop: Option<f64>,
}

impl Default for ExportArgs {
    fn default() -> Self {
        Self {
            jobs: Vec::new(),
            list: None,
            common: PageArgs::default(),
            force: false,
            data: DataSource::Embedded,
            basemaps: Vec::new(),
            user_layers: Vec::new(),
            workspace: None,
            tour: None,
            tour_out: None,
            notes: false,
            fps: None,
            seconds_per_stop: None,
        }
    }
}

/// The value of `--NAME` as a number within `range`; else an error saying the range ("use
/// `kind` from … to …").
fn number_in<T>(
    parser: &mut lexopt::Parser,
    name: &str,
    range: std::ops::RangeInclusive<T>,
    kind: &str,
) -> Result<T, lexopt::Error>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let text = lexopt::ValueExt::string(parser.value()?)?;
    text.parse()
        .ok()
        .filter(|value| range.contains(value))
        .ok_or_else(|| {
            format!(
                "--{name} `{text}`: use {kind} from {} to {}",
                range.start(),
                range.end()
            )
            .into()
        })
}

/// "3840x2160" → (3840, 2160).
pub fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("--size `{text}` is not WIDTHxHEIGHT in pixels, e.g. 1920x1080"))?;
    let number = |part: &str| part.trim().parse::<u32>().ok();
    match (number(w), number(h)) {
        (Some(0), Some(_)) | (Some(_), Some(0)) => Err(format!(
            "--size `{text}`: width and height must be at least 1 pixel"
        )),
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!(
            "--size `{text}` is not WIDTHxHEIGHT in pixels, e.g. 1920x1080"
        )),
    }
}

/// A view: a zone id, or "west,south,east,north" in degrees.
pub fn parse_extent(text: &str) -> Extent {
    let numbers: Vec<f64> = text
        .split(',')
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    match numbers.as_slice() {
        [west, south, east, north] if text.split(',').count() == 4 => Extent::Bounds(Rect::new(
            coord! { x: *west, y: *south },
            coord! { x: *east, y: *north },
        )),
        _ => Extent::Feature(text.to_string()),
    }
}

/// Jobs from a list file: one `VIEW OUT` per line; blank lines and `#` comments are skipped.
pub fn read_list(path: &PathBuf) -> Result<Vec<Job>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let mut jobs = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next()) {
            (Some(view), Some(out), None) => jobs.push(Job {
                view: view.to_string(),
                out: PathBuf::from(out),
                own: PageArgs::default(),
            }),
            _ => {
                return Err(format!(
                    "{} line {}: expected `VIEW OUT`, found `{line}`",
                    path.display(),
                    number + 1
                ));
            }
        }
    }
    Ok(jobs)
}

pub fn parse(parser: &mut lexopt::Parser, data: DataSource) -> Result<ExportArgs, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = ExportArgs {
        data,
        ..ExportArgs::default()
    };
    // The group being read: its view and its own options, until its --out.
    let mut group: Option<(String, PageArgs)> = None;
    while let Some(arg) = parser.next()? {
        let name = match arg {
            Long(name) => name.to_string(),
            Short('h') => "help".to_string(),
            Short('V') => "version".to_string(),
            other => return Err(other.unexpected()),
        };
        let options = match &mut group {
            Some((_, own)) => own,
            None => &mut args.common,
        };
        if options.read(&name, parser)? {
            continue;
        }
        match name.as_str() {
            "help" => return Err(lexopt::Error::Custom(Box::new(Asked::Help))),
            "version" => return Err(lexopt::Error::Custom(Box::new(Asked::Version))),
            "view" => {
                let view = parser.value()?.string()?;
                if let Some((previous, _)) = &group {
                    return Err(format!(
                        "--view {view}: the --view {previous} before it has no --out yet"
                    )
                    .into());
                }
                group = Some((view, PageArgs::default()));
            }
            "tour" => args.tour = Some(parser.value()?.string()?),
            "out" if args.tour.is_some() && group.is_none() => {
                args.tour_out = Some(PathBuf::from(parser.value()?));
            }
            "out" => {
                let out = PathBuf::from(parser.value()?);
                let (view, own) = group
                    .take()
                    .ok_or_else(|| lexopt::Error::from("--out needs a --view before it"))?;
                args.jobs.push(Job { view, out, own });
            }
            "list" => args.list = Some(parser.value()?.into()),
            "force" => args.force = true,
            "notes" => args.notes = true,
            "fps" => args.fps = Some(number_in(parser, "fps", 1..=60, "a whole number")?),
            "seconds-per-stop" => {
                args.seconds_per_stop = Some(number_in(
                    parser,
                    "seconds-per-stop",
                    0.5..=3600.0,
                    "a number of seconds",
                )?);
            }
            "data" => args.data = DataSource::Dir(parser.value()?.into()),
            "basemap" => args.basemaps.push(parser.value()?.into()),
            "layer" => args.user_layers.push(crate::geodata::user::LayerSpec::new(
                PathBuf::from(parser.value()?),
                None,
            )),
            "layer-datum" => {
                super::layer_datum(&mut args.user_layers, parser.value()?.string()?)?;
            }
            "workspace" => args.workspace = Some(PathBuf::from(parser.value()?)),
            _ => return Err(format!("invalid option '--{name}'").into()),
        }
    }
    if let Some((view, _)) = group {
        return Err(format!("--view {view} has no --out FILE after it").into());
    }
    if args.tour.is_some() && args.tour_out.is_none() {
        return Err(
            "export --tour NAME needs --out FILE.pdf (its handout) or FILE.mp4 (its video)".into(),
        );
    }
    if (args.fps.is_some() || args.seconds_per_stop.is_some())
        && !args.tour_out.as_deref().is_some_and(is_video)
    {
        return Err(
            "--fps and --seconds-per-stop are for a tour's video: --tour NAME --out FILE.mp4"
                .into(),
        );
    }
    if args.jobs.is_empty() && args.list.is_none() && args.tour.is_none() {
        return Err(
            "export needs --view … --out FILE (or --list FILE, or --tour NAME --out FILE.pdf or FILE.mp4)"
                .into(),
        );
    }
    Ok(args)
}

/// Runs every job with one start-up; returns how many failed.
/// Runs the exports; the outcome says what went wrong, if anything.
pub fn run(args: &ExportArgs) -> Outcome {
    let mut jobs = args.jobs.clone();
    if let Some(list) = &args.list {
        match read_list(list) {
            Ok(listed) => jobs.extend(listed),
            Err(error) => {
                eprintln!("chengyu-atlas export: {error}");
                return Outcome::InputProblems;
            }
        }
    }
    let mut loaded = geodata::load(&args.data);
    for problem in &loaded.problems {
        eprintln!("chengyu-atlas: {problem}");
    }
    let mut data_outcome = if loaded.problems.is_empty() {
        Outcome::Done
    } else {
        Outcome::DataProblems
    };
    // A workspace: its layers in their styles, its basemaps and its layers' settings (the
    // command line's --layer, --basemap and --layers on top).
    let mut user_layers = Vec::new();
    let mut basemap_paths = Vec::new();
    let mut workspace_settings = None;
    if let Some(path) = &args.workspace {
        match crate::document::workspace::open(path) {
            Ok(state) => {
                for layer in &state.user_layers {
                    user_layers.push(crate::geodata::user::LayerSpec {
                        path: layer.path.clone(),
                        datum: layer.datum,
                        style: Some(layer.style.clone()),
                        csv: layer.csv.clone(),
                        extent: None,
                    });
                }
                basemap_paths.extend(state.basemaps.iter().map(|b| b.path.clone()));
                workspace_settings = Some((state.layers.clone(), state.user_layers.clone()));
            }
            Err(problem) => {
                eprintln!(
                    "chengyu-atlas export: workspace {}: {problem}",
                    path.display()
                );
                data_outcome = Outcome::DataProblems;
            }
        }
    }
    user_layers.extend(args.user_layers.iter().cloned());
    basemap_paths.extend(args.basemaps.iter().cloned());
    data_outcome = data_outcome.and(super::add_layers(&mut loaded.atlas, &user_layers));
    // A package that cannot be opened is said; the pages are made without it.
    let mut basemaps = Vec::new();
    for path in &basemap_paths {
        match crate::basemap::Package::open(path) {
            Ok(package) => basemaps.push(crate::export::ExportBasemap {
                package,
                opacity: 1.0,
            }),
            Err(error) => {
                eprintln!("chengyu-atlas export: {error}");
                data_outcome = Outcome::DataProblems;
            }
        }
    }
    // Every page's selection is checked before any page is made.
    let pages: Vec<Page> = jobs
        .iter()
        .map(|job| job.own.resolve(&args.common))
        .collect();
    let mut highlights = Vec::new();
    for page in &pages {
        highlights.push(match &page.select {
            Some(id) => match crate::export::selecting(&loaded.atlas, id, page.lang) {
                Ok(highlight) => highlight,
                Err(error) => {
                    eprintln!("chengyu-atlas export: --select: {error}");
                    return Outcome::Usage;
                }
            },
            None => Highlight::default(),
        });
    }
    let mut builder = SceneBuilder::new(&loaded.atlas);
    let mut failed = 0;
    if let (Some(name), Some(out)) = (&args.tour, &args.tour_out)
        && is_video(out)
    {
        let mut request =
            crate::export::video::VideoRequest::new(args.common.lang.unwrap_or(Lang::Zh));
        if let Some((width, height)) = args.common.pixels {
            (request.width, request.height) = (width, height);
        }
        request.fps = args.fps.unwrap_or(request.fps);
        request.seconds_per_stop = args.seconds_per_stop;
        request.basemaps = basemaps.clone();
        failed += usize::from(!write_video(
            &loaded.atlas,
            &mut builder,
            &request,
            name,
            (out, args.force),
        ));
    } else if let (Some(name), Some(out)) = (&args.tour, &args.tour_out) {
        let handout = crate::export::handout::Handout {
            basemaps: &basemaps,
            notes: args.notes,
            ..crate::export::handout::Handout::plain(args.common.lang.unwrap_or(Lang::Zh))
        };
        failed += usize::from(!write_handout(
            &loaded.atlas,
            &mut builder,
            &handout,
            name,
            (out, args.force),
        ));
    }
    for ((job, page), highlight) in jobs.iter().zip(pages).zip(highlights) {
        let started = Instant::now();
        let extent = parse_extent(&job.view);
        if let Extent::Bounds(rect) = &extent
            && let Some(data) = loaded.atlas.bounds()
            && !geo::Intersects::intersects(rect, &data)
        {
            eprintln!(
                "chengyu-atlas export: {}: the view {} holds no data (the data lies within \
                 {:.2},{:.2},{:.2},{:.2}); nothing written",
                job.out.display(),
                job.view,
                data.min().x,
                data.min().y,
                data.max().x,
                data.max().y
            );
            failed += 1;
            continue;
        }
        let request = ExportRequest {
            extent,
            size: page.size,
            lang: page.lang,
            title: page.title,
            subtitle: page.subtitle,
            caption: None,
            notes: None,
            layers: match (&page.layers, &workspace_settings) {
                (Some(only), _) => LayerSettings::only(only),
                (None, Some((settings, saved))) => {
                    // The workspace's own, and its user layers' visibility and opacity.
                    let mut settings = settings.clone();
                    for (id, user) in loaded.atlas.user_layers() {
                        if let Some(layer) = saved.iter().find(|l| l.path == user.path) {
                            let setting = settings.get_mut(id);
                            setting.visible = layer.visible;
                            setting.opacity = layer.opacity;
                        }
                    }
                    settings
                }
                (None, None) => LayerSettings::default(),
            },
            highlight,
            elements: page.elements,
            basemaps: basemaps.clone(),
        };
        match export_to_file(&loaded.atlas, &mut builder, &request, &job.out, args.force) {
            Ok(warnings) => {
                // Written, but without some of its data (tiles that could not be read): said,
                // and the outcome is 1.
                if !warnings.is_empty() {
                    data_outcome = data_outcome.and(Outcome::DataProblems);
                }
                for warning in warnings {
                    eprintln!("chengyu-atlas export: {}: {warning}", job.out.display());
                }
                println!(
                    "wrote {} ({} ms)",
                    job.out.display(),
                    started.elapsed().as_millis()
                );
            }
            Err(error) => {
                eprintln!("chengyu-atlas export: {}: {error}", job.out.display());
                failed += 1;
            }
        }
    }
    if failed > 0 {
        data_outcome.and(Outcome::OutputFailed)
    } else {
        data_outcome
    }
}

/// Whether `--out` asks for a video.
fn is_video(out: &std::path::Path) -> bool {
    out.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mp4"))
}

/// The tour `name` (shipped or the user's), its problems said on stderr.
fn find_tour(atlas: &crate::model::Atlas, name: &str) -> Option<crate::tour::Tour> {
    let dir = crate::paths::tours_dir();
    let (tours, problems) = crate::tour::load_all(dir.as_deref());
    for problem in &problems {
        eprintln!("chengyu-atlas: tour {problem}");
    }
    let Some(tour) = tours.iter().find(|t| t.id == name) else {
        let known: Vec<&str> = tours.iter().map(|t| t.id.as_str()).collect();
        eprintln!(
            "chengyu-atlas export: no tour `{name}` (tours: {})",
            known.join(", ")
        );
        return None;
    };
    for problem in crate::tour::check(tour, atlas) {
        eprintln!("chengyu-atlas export: {problem}");
    }
    Some(tour.clone())
}

/// The video of the tour `name`, its progress on stderr; returns false on failure.
fn write_video(
    atlas: &crate::model::Atlas,
    builder: &mut SceneBuilder,
    request: &crate::export::video::VideoRequest,
    name: &str,
    (out, force): (&std::path::Path, bool),
) -> bool {
    use std::io::Write as _;
    let started = Instant::now();
    let Some(tour) = find_tour(atlas, name) else {
        return false;
    };
    let mut said = None;
    let mut progress = |done: u64, total: u64| {
        // A line rewritten in place, each whole per cent once.
        let percent = done * 100 / total.max(1);
        if said != Some(percent) {
            said = Some(percent);
            eprint!(
                "\rchengyu-atlas: {} {percent:3} % ({done}/{total} frames)",
                out.display()
            );
            let _ = std::io::stderr().flush();
        }
        true
    };
    let written =
        crate::export::video::write(atlas, builder, &tour, request, out, force, &mut progress);
    if said.is_some() {
        eprintln!();
    }
    match written {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("chengyu-atlas export: {}: {warning}", out.display());
            }
            let took = started.elapsed().as_secs_f64();
            println!(
                "wrote {} ({} × {}, {} frames at {} fps, {:.1} s, {:.1} MB; made in {took:.1} s, {:.2}× real time)",
                out.display(),
                request.width,
                request.height,
                report.frames,
                request.fps,
                report.seconds,
                report.bytes as f64 / 1e6,
                report.seconds / took.max(1e-9)
            );
            true
        }
        Err(error) => {
            eprintln!("chengyu-atlas export: {}: {error}", out.display());
            false
        }
    }
}

/// The handout of the tour `name`; reports on stderr and returns false on failure.
fn write_handout(
    atlas: &crate::model::Atlas,
    builder: &mut SceneBuilder,
    handout: &crate::export::handout::Handout<'_>,
    name: &str,
    (out, force): (&std::path::Path, bool),
) -> bool {
    let started = Instant::now();
    let Some(tour) = find_tour(atlas, name) else {
        return false;
    };
    let tour = &tour;
    match crate::export::handout::write(atlas, builder, tour, handout, out, force) {
        Ok(()) => {
            println!(
                "wrote {} ({} pages, {} ms)",
                out.display(),
                tour.stops.len(),
                started.elapsed().as_millis()
            );
            true
        }
        Err(error) => {
            eprintln!("chengyu-atlas export: {}: {error}", out.display());
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_views_parse() {
        assert_eq!(parse_size("3840x2160"), Ok((3840, 2160)));
        assert!(parse_size("0x100").is_err());
        assert!(parse_size("big").is_err());
        assert_eq!(parse_extent("core"), Extent::Feature("core".into()));
        assert!(matches!(
            parse_extent("106.1,29.3,106.6,29.9"),
            Extent::Bounds(_)
        ));
    }

    #[test]
    fn a_handout_with_notes_is_asked_for_with_notes() {
        let args = |words: &[&str]| {
            let mut parser = lexopt::Parser::from_args(words.iter().copied());
            parse(&mut parser, DataSource::Embedded).expect("parses")
        };
        let with = args(&["--tour", "two-poles", "--out", "t.pdf", "--notes"]);
        assert_eq!(
            (with.tour.as_deref(), with.notes),
            (Some("two-poles"), true)
        );
        assert!(!args(&["--tour", "two-poles", "--out", "t.pdf"]).notes);
    }
}
