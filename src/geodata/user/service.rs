//! A collection of an OGC API – Features service or a feature type of a WFS 2.0 as a layer, as
//! QGIS's OAPIF and WFS providers read them: the collections listed from `/collections` or
//! GetCapabilities, the items asked for as GeoJSON within the view's box in CRS84, a page at a
//! time (`limit` and the `next` links; `COUNT` and `STARTINDEX`), followed and cancellable.
//!
//! The last read of each layer is kept on disk (under the cache's cap), so that a layer whose
//! service cannot be reached opens with what was last seen, greyed and said to be old.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use geo::Rect;
use serde_json::Value;

use super::{LayerOptions, Read};
use crate::geodata::DataError;
use crate::model::Text;

/// Features asked for a page at a time (servers cap it: MapServer at 10 000, GeoServer by
/// its settings).
pub const PAGE_FEATURES: usize = 1_000;

/// The most text a page may be; the most a layer may be read is the reader's file limit.
const PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Which standard a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// OGC API – Features (Part 1: Core).
    OgcApi,
    /// WFS 2.0 with a GeoJSON output format.
    Wfs,
}

/// A feature service and, for a layer, the collection read from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub protocol: Protocol,
    /// OGC API: the API's root (its landing page); WFS: the endpoint, without a query.
    pub root: url::Url,
    /// Query keys the service's address carried that are not the protocol's own (an API key,
    /// 天地图's `tk`): sent with every request.
    pub extra: Vec<(String, String)>,
    /// The collection (OGC API) or feature type (WFS), for a layer.
    pub collection: Option<String>,
    /// WFS: the output format the server names for GeoJSON (from its capabilities).
    pub format: Option<String>,
}

/// Whether `text` is the address of a feature service (an http(s) URL that is not a tile
/// template).
pub fn is_address(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !lower.contains("{z}")
}

/// The keys each protocol sets itself; any other key of an address is kept.
const OWN_KEYS: [&str; 14] = [
    "service",
    "version",
    "request",
    "typenames",
    "typename",
    "outputformat",
    "count",
    "startindex",
    "bbox",
    "srsname",
    "f",
    "limit",
    "offset",
    "crs",
];

impl Address {
    /// Reads an address: a WFS endpoint (`…?SERVICE=WFS`, with `TYPENAMES=` for a layer), or an
    /// OGC API's landing page, its `/collections`, or a collection (`/collections/ID`, with or
    /// without `/items`).
    pub fn parse(text: &str) -> Result<Address, Text> {
        let bad = || {
            Text::new(
                format!(
                    "服务地址无法解析：“{}”（应为 OGC API 的 https://…/collections/集合，或 WFS 的 https://…?SERVICE=WFS&TYPENAMES=要素类型）",
                    text.trim()
                ),
                format!(
                    "the service address cannot be read: “{}” (expected an OGC API's https://…/collections/ID or a WFS's https://…?SERVICE=WFS&TYPENAMES=NAME)",
                    text.trim()
                ),
            )
        };
        let url = url::Url::parse(text.trim()).map_err(|_| bad())?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(bad());
        }
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let value = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let extra: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| !OWN_KEYS.iter().any(|own| k.eq_ignore_ascii_case(own)))
            .cloned()
            .collect();
        let mut root = url.clone();
        root.set_query(None);
        root.set_fragment(None);
        if value("service").is_some_and(|s| s.eq_ignore_ascii_case("wfs")) {
            return Ok(Address {
                protocol: Protocol::Wfs,
                root,
                extra,
                collection: value("typenames").or_else(|| value("typename")),
                format: value("outputformat"),
            });
        }
        let segments: Vec<String> = root
            .path_segments()
            .map(|s| {
                s.filter(|s| !s.is_empty())
                    .map(|s| {
                        percent_encoding::percent_decode_str(s)
                            .decode_utf8_lossy()
                            .into_owned()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let at = segments.iter().rposition(|s| s == "collections");
        let (kept, collection) = match at {
            Some(at) => (&segments[..at], segments.get(at + 1).cloned()),
            None => (&segments[..], None),
        };
        root.path_segments_mut()
            .map_err(|_| bad())?
            .clear()
            .extend(kept);
        Ok(Address {
            protocol: Protocol::OgcApi,
            root,
            extra,
            collection,
            format: None,
        })
    }

    /// This service's collection `id` (with the output format a WFS named).
    pub fn with_collection(&self, id: &str, format: Option<&str>) -> Address {
        Address {
            collection: Some(id.to_string()),
            format: format.map(str::to_string).or_else(|| self.format.clone()),
            ..self.clone()
        }
    }

    /// The address as the atlas keeps it: an OGC API collection's page, or a WFS GetFeature's
    /// keys.
    pub fn to_uri(&self) -> String {
        match self.protocol {
            Protocol::OgcApi => {
                let mut url = self.root.clone();
                if let Some(id) = &self.collection
                    && let Ok(mut path) = url.path_segments_mut()
                {
                    path.pop_if_empty().push("collections").push(id);
                }
                self.with_extra(url, &[]).to_string()
            }
            Protocol::Wfs => {
                let mut keys = vec![("SERVICE", "WFS".to_string())];
                if let Some(name) = &self.collection {
                    keys.push(("TYPENAMES", name.clone()));
                }
                if let Some(format) = &self.format {
                    keys.push(("OUTPUTFORMAT", format.clone()));
                }
                self.with_extra(self.root.clone(), &keys).to_string()
            }
        }
    }

    /// What the panel calls the layer: its collection (without a WFS's namespace prefix,
    /// `ms:`), else the service's host.
    pub fn short_name(&self) -> String {
        match &self.collection {
            Some(id) => id
                .rsplit_once(':')
                .map_or(id.as_str(), |(_, name)| name)
                .to_string(),
            None => self.root.host_str().unwrap_or_default().to_string(),
        }
    }

    /// `url` with the address's extra keys and then `keys`.
    fn with_extra(&self, mut url: url::Url, keys: &[(&str, String)]) -> url::Url {
        if self.extra.is_empty() && keys.is_empty() {
            return url;
        }
        {
            let mut query = url.query_pairs_mut();
            for (key, value) in &self.extra {
                query.append_pair(key, value);
            }
            for (key, value) in keys {
                query.append_pair(key, value);
            }
        }
        url
    }

    /// The OGC API's `path` below its root (`["collections"]`), with `keys`.
    fn api_url(&self, path: &[&str], keys: &[(&str, String)]) -> url::Url {
        let mut url = self.root.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(path);
        }
        self.with_extra(url, keys)
    }

    fn service_name(&self) -> &'static str {
        match self.protocol {
            Protocol::OgcApi => "OGC API – Features",
            Protocol::Wfs => "WFS",
        }
    }
}

/// A collection a service offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub id: String,
    pub title: String,
    /// Its extent in WGS-84, when the service says.
    pub extent: Option<Rect>,
    /// The layer's address.
    pub address: Address,
}

/// Lists the collections (OGC API) or feature types (WFS) of the service at `address`.
pub fn list_collections(address: &Address) -> Result<Vec<Collection>, Text> {
    match address.protocol {
        Protocol::OgcApi => {
            let url = address.api_url(&["collections"], &[("f", "json".to_string())]);
            let document = get_json(&url, address)?;
            let Some(list) = document.get("collections").and_then(Value::as_array) else {
                return Err(not_service(
                    address,
                    "没有 collections 列表",
                    "no list of collections",
                ));
            };
            Ok(list
                .iter()
                .filter(|c| {
                    // Only feature collections are read (not coverages or map layers).
                    c.get("itemType")
                        .and_then(Value::as_str)
                        .is_none_or(|t| t.eq_ignore_ascii_case("feature"))
                })
                .filter_map(|c| {
                    let id = c.get("id").and_then(Value::as_str)?.to_string();
                    Some(Collection {
                        title: c
                            .get("title")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        extent: c.pointer("/extent/spatial/bbox/0").and_then(bbox_of_json),
                        address: address.with_collection(&id, None),
                        id,
                    })
                })
                .collect())
        }
        Protocol::Wfs => {
            let capabilities = wfs_capabilities(address)?;
            let Some(format) = capabilities.format else {
                return Err(Text::new(
                    "此 WFS 不提供 GeoJSON 输出（本图集读取 GeoJSON，不读 GML）",
                    "this WFS offers no GeoJSON output (the atlas reads GeoJSON, not GML)",
                ));
            };
            Ok(capabilities
                .types
                .into_iter()
                .map(|(id, title, extent)| Collection {
                    address: address.with_collection(&id, Some(&format)),
                    id,
                    title,
                    extent,
                })
                .collect())
        }
    }
}

/// A WFS's capabilities, as far as the atlas needs them.
struct WfsCapabilities {
    /// Name, title, WGS-84 box.
    types: Vec<(String, String, Option<Rect>)>,
    /// The output format that gives GeoJSON.
    format: Option<String>,
}

fn wfs_capabilities(address: &Address) -> Result<WfsCapabilities, Text> {
    let url = address.with_extra(
        address.root.clone(),
        &[
            ("SERVICE", "WFS".to_string()),
            ("VERSION", "2.0.0".to_string()),
            ("REQUEST", "GetCapabilities".to_string()),
        ],
    );
    let text = get_text(&url, address, "application/xml, text/xml")?;
    parse_wfs_capabilities(&text).map_err(|why| not_service(address, &why.zh, &why.en))
}

fn parse_wfs_capabilities(text: &str) -> Result<WfsCapabilities, Text> {
    let document = roxmltree::Document::parse(text).map_err(|e| {
        Text::new(
            format!("能力文档不是 XML（{e}）"),
            format!("the capabilities are not XML ({e})"),
        )
    })?;
    let root = document.root_element();
    if root.tag_name().name().contains("Exception") {
        let said: Vec<&str> = root
            .descendants()
            .filter(|n| n.tag_name().name() == "ExceptionText")
            .filter_map(|n| n.text())
            .collect();
        return Err(Text::new(
            format!("服务拒绝了请求：{}", said.join("；")),
            format!("the service refused: {}", said.join("; ")),
        ));
    }
    let child_text = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string())
    };
    let corner = |node: roxmltree::Node, name: &str| -> Option<geo::Coord> {
        let text = child_text(node, name)?;
        let mut numbers = text.split_whitespace().map(|n| n.parse::<f64>().ok());
        Some(geo::coord! { x: numbers.next()??, y: numbers.next()?? })
    };
    let types = root
        .descendants()
        .filter(|n| n.tag_name().name() == "FeatureType")
        .filter_map(|n| {
            let name = child_text(n, "Name")?;
            let title = child_text(n, "Title").unwrap_or_default();
            let extent = n
                .children()
                .find(|c| c.tag_name().name() == "WGS84BoundingBox")
                .and_then(|b| {
                    Some(Rect::new(
                        corner(b, "LowerCorner")?,
                        corner(b, "UpperCorner")?,
                    ))
                });
            Some((name, title, extent))
        })
        .collect();
    // The formats GetFeature offers (ows:Parameter outputFormat), and those a type lists.
    let formats: Vec<String> = root
        .descendants()
        .filter(|n| {
            (n.tag_name().name() == "Parameter"
                && n.attribute("name")
                    .is_some_and(|a| a.eq_ignore_ascii_case("outputFormat")))
                || n.tag_name().name() == "OutputFormats"
        })
        .flat_map(|n| n.descendants())
        .filter(|n| matches!(n.tag_name().name(), "Value" | "Format"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    let rank = |f: &String| {
        let lower = f.to_ascii_lowercase();
        if lower == "application/json" {
            0
        } else if lower.contains("geo+json") || lower.contains("geojson") {
            1
        } else if lower.contains("json") {
            2
        } else {
            3
        }
    };
    let format = formats
        .iter()
        .filter(|f| rank(f) < 3)
        .min_by_key(|f| rank(f))
        .cloned();
    Ok(WfsCapabilities { types, format })
}

/// A GeoJSON bbox `[minx, miny, maxx, maxy]` (or with heights) as a rectangle.
fn bbox_of_json(value: &Value) -> Option<Rect> {
    let numbers: Vec<f64> = value.as_array()?.iter().filter_map(Value::as_f64).collect();
    let (min, max) = match numbers.len() {
        4 => ((numbers[0], numbers[1]), (numbers[2], numbers[3])),
        6 => ((numbers[0], numbers[1]), (numbers[3], numbers[4])),
        _ => return None,
    };
    Some(Rect::new(
        geo::coord! { x: min.0, y: min.1 },
        geo::coord! { x: max.0, y: max.1 },
    ))
}

/// A service layer, read: what the reader made of its features, and — when the service could
/// not be reached and the last read was taken from the cache — why, and when that was read.
pub(super) struct ServiceRead {
    pub read: Read,
    pub offline: Option<Text>,
}

/// Reads the collection at `address` within `options.extent`, keeping what was read in
/// `cache` (a folder); when the service cannot be reached, what the cache holds is read
/// instead and said to be old.
pub(super) fn read(
    address: &Address,
    origin: &str,
    options: &LayerOptions,
    cache: Option<&Path>,
) -> Result<ServiceRead, DataError> {
    let fail = |why: Text| DataError::new(origin, why);
    if address.collection.is_none() {
        return Err(fail(Text::new(
            "服务地址未指明集合（请从列表中选择一个）",
            "the service address names no collection (choose one from its list)",
        )));
    }
    let kept = cache.map(|folder| cached_path(folder, address));
    match fetch_features(address, options) {
        Ok(fetched) => {
            let text = collection_text(&fetched.features);
            if let Some(path) = &kept {
                keep(path, text.as_bytes());
            }
            let mut read = super::geojson::read(text, origin)?;
            read.notes
                .insert(0, read_said(address, options.extent, &fetched));
            Ok(ServiceRead {
                read,
                offline: None,
            })
        }
        Err(why) if why.en == super::CANCELLED => Err(fail(why)),
        Err(why) => {
            let Some((text, when)) = kept.as_deref().and_then(cached) else {
                return Err(fail(why));
            };
            let mut read = super::geojson::read(text, origin)?;
            let offline = Text::new(
                format!("服务无法访问，显示 {when} 缓存的数据：{}", why.zh),
                format!(
                    "the service cannot be reached; showing what was kept at {when}: {}",
                    why.en
                ),
            );
            // Said beside the layer (greyed) and by a command; the outcome is not clean.
            read.altered = true;
            Ok(ServiceRead {
                read,
                offline: Some(offline),
            })
        }
    }
}

/// Features fetched, and how.
struct Fetched {
    features: Vec<Value>,
    pages: usize,
    /// What the server said matched, when it said.
    matched: Option<u64>,
    /// Why the reading stopped before the server's end, if it did.
    cut: Option<Text>,
}

fn fetch_features(address: &Address, options: &LayerOptions) -> Result<Fetched, Text> {
    let mut fetched = Fetched {
        features: Vec::new(),
        pages: 0,
        matched: None,
        cut: None,
    };
    let mut format = address.format.clone();
    if address.protocol == Protocol::Wfs && format.is_none() {
        format = wfs_capabilities(address)?.format;
    }
    let mut next = Some(first_page(address, options.extent, format.as_deref()));
    let mut seen = HashSet::new();
    let mut bytes = 0u64;
    while let Some(url) = next.take() {
        if options
            .progress
            .as_deref()
            .is_some_and(|p| p.is_cancelled())
        {
            return Err(super::cancelled());
        }
        if !seen.insert(url.to_string()) {
            // A server whose `next` leads back: what was read is kept.
            break;
        }
        let text = get_text(&url, address, "application/geo+json, application/json")?;
        bytes += text.len() as u64;
        let mut page: Value = serde_json::from_str(&text).map_err(|e| {
            not_service(
                address,
                &format!("答复不是 JSON（{e}）"),
                &format!("the answer is not JSON ({e})"),
            )
        })?;
        drop(text);
        if page.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err(not_service(
                address,
                "答复不是 GeoJSON 要素集合",
                "the answer is not a GeoJSON FeatureCollection",
            ));
        }
        let lat_first = lat_lon_order(&page);
        let features = match page.get_mut("features").map(Value::take) {
            Some(Value::Array(features)) => features,
            _ => Vec::new(),
        };
        let returned = features.len();
        fetched.pages += 1;
        fetched.matched = page
            .get("numberMatched")
            .or_else(|| page.get("totalFeatures"))
            .and_then(Value::as_u64)
            .or(fetched.matched);
        fetched
            .features
            .extend(features.into_iter().map(|mut feature| {
                if lat_first && let Some(geometry) = feature.get_mut("geometry") {
                    swap_axes(geometry);
                }
                feature
            }));
        let total = fetched.features.len() as u64;
        if let Some(progress) = options.progress.as_deref() {
            progress.set(total, fetched.matched.unwrap_or(0).max(total + 1));
        }
        if bytes > crate::geodata::read::MAX_FILE_BYTES {
            let limit = crate::geodata::read::MAX_FILE_BYTES / 1_048_576;
            fetched.cut = Some(Text::new(
                format!("已读取 {limit} MB，其余要素未读取；请放大地图以缩小范围"),
                format!("{limit} MB read, the rest left unread: zoom in to read a smaller area"),
            ));
            break;
        }
        if returned == 0 {
            break;
        }
        next = match address.protocol {
            Protocol::OgcApi => next_link(&page, &url, options.extent),
            Protocol::Wfs => {
                let more = fetched
                    .matched
                    .map_or(returned >= PAGE_FEATURES, |matched| total < matched);
                more.then(|| wfs_page(address, options.extent, format.as_deref(), total))
            }
        };
    }
    Ok(fetched)
}

fn first_page(address: &Address, extent: Option<Rect>, format: Option<&str>) -> url::Url {
    match address.protocol {
        Protocol::OgcApi => {
            let id = address.collection.as_deref().unwrap_or_default();
            let mut keys = vec![
                ("f", "json".to_string()),
                ("limit", PAGE_FEATURES.to_string()),
            ];
            if let Some(extent) = extent {
                keys.push(("bbox", bbox_text(extent)));
            }
            address.api_url(&["collections", id, "items"], &keys)
        }
        Protocol::Wfs => wfs_page(address, extent, format, 0),
    }
}

/// A WFS GetFeature from feature `start` on: lon/lat (`EPSG:4326` as GeoServer and MapServer
/// give GeoJSON), the box in CRS84 so that its axes are never in doubt.
fn wfs_page(address: &Address, extent: Option<Rect>, format: Option<&str>, start: u64) -> url::Url {
    let mut keys = vec![
        ("SERVICE", "WFS".to_string()),
        ("VERSION", "2.0.0".to_string()),
        ("REQUEST", "GetFeature".to_string()),
        ("TYPENAMES", address.collection.clone().unwrap_or_default()),
        (
            "OUTPUTFORMAT",
            format.unwrap_or("application/json").to_string(),
        ),
        ("SRSNAME", "EPSG:4326".to_string()),
        ("COUNT", PAGE_FEATURES.to_string()),
        ("STARTINDEX", start.to_string()),
    ];
    if let Some(extent) = extent {
        keys.push((
            "BBOX",
            format!("{},urn:ogc:def:crs:OGC:1.3:CRS84", bbox_text(extent)),
        ));
    }
    address.with_extra(address.root.clone(), &keys)
}

fn bbox_text(extent: Rect) -> String {
    let (min, max) = (extent.min(), extent.max());
    format!("{:.6},{:.6},{:.6},{:.6}", min.x, min.y, max.x, max.y)
}

/// The page's `next` link, resolved against the page's own address. A server that drops the
/// box from it (MapServer 8.0 does) is given it back: the rest of the collection is not read.
fn next_link(page: &Value, current: &url::Url, extent: Option<Rect>) -> Option<url::Url> {
    let links = page.get("links")?.as_array()?;
    let href = links.iter().find_map(|link| {
        let rel = link.get("rel").and_then(Value::as_str)?;
        let kind = link.get("type").and_then(Value::as_str).unwrap_or("json");
        (rel == "next" && kind.contains("json"))
            .then(|| link.get("href").and_then(Value::as_str))
            .flatten()
    })?;
    let mut url = current.join(href).ok()?;
    if let Some(extent) = extent
        && !url
            .query_pairs()
            .any(|(k, _)| k.eq_ignore_ascii_case("bbox"))
    {
        url.query_pairs_mut()
            .append_pair("bbox", &bbox_text(extent));
    }
    Some(url)
}

/// Whether a page says its coordinates are latitude first (EPSG:4326 by its URN, as a WFS
/// answers when asked in it): they are then swapped to GeoJSON's longitude first.
fn lat_lon_order(page: &Value) -> bool {
    page.pointer("/crs/properties/name")
        .and_then(Value::as_str)
        .is_some_and(|name| {
            let name = name.to_ascii_lowercase();
            name.ends_with("epsg::4326") || name.ends_with("epsg/0/4326")
        })
}

fn swap_axes(value: &mut Value) {
    match value {
        Value::Array(items) => {
            if items.len() >= 2 && items.iter().all(Value::is_number) {
                items.swap(0, 1);
            } else {
                items.iter_mut().for_each(swap_axes);
            }
        }
        Value::Object(object) => {
            for key in ["coordinates", "geometries"] {
                if let Some(inner) = object.get_mut(key) {
                    swap_axes(inner);
                }
            }
        }
        _ => {}
    }
}

/// The features read, as one GeoJSON FeatureCollection for the hardened reader.
fn collection_text(features: &[Value]) -> String {
    let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
    for (i, feature) in features.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&feature.to_string());
    }
    text.push_str("]}");
    text
}

/// What was read, in the layer's notes.
fn read_said(address: &Address, extent: Option<Rect>, fetched: &Fetched) -> Text {
    let service = address.service_name();
    let id = address.collection.as_deref().unwrap_or_default();
    let count = crate::geodata::read::problems::thousands(fetched.features.len());
    let (within_zh, within_en) = match extent {
        Some(r) => (
            format!(
                "读取范围 {:.3}–{:.3}°E，{:.3}–{:.3}°N",
                r.min().x,
                r.max().x,
                r.min().y,
                r.max().y
            ),
            format!(
                "read within {:.3}–{:.3}°E, {:.3}–{:.3}°N",
                r.min().x,
                r.max().x,
                r.min().y,
                r.max().y
            ),
        ),
        None => ("全部读取".to_string(), "read whole".to_string()),
    };
    let mut said = Text::new(
        format!(
            "{service} 集合 {id}（{}），{within_zh}，{count} 个要素，{} 页",
            address.root, fetched.pages
        ),
        format!(
            "{service} collection {id} ({}), {within_en}, {count} features in {} pages",
            address.root, fetched.pages
        ),
    );
    if let Some(cut) = &fetched.cut {
        said.zh.push_str(&format!("；{}", cut.zh));
        said.en.push_str(&format!("; {}", cut.en));
    }
    said
}

/// Where the last read of `address` is kept in `folder`.
fn cached_path(folder: &Path, address: &Address) -> PathBuf {
    // FNV-1a: a stable name across runs and builds (std's hasher is not).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in address.to_uri().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    folder.join("features").join(format!("{hash:016x}.geojson"))
}

/// Keeps a read whole or not at all, then the features' folder under a quarter of the
/// cache's cap (the rest is the tiles').
fn keep(path: &Path, bytes: &[u8]) {
    let Some(folder) = path.parent() else { return };
    if std::fs::create_dir_all(folder).is_err() {
        return;
    }
    // A failed keep costs only the offline copy.
    let _ = crate::atomic_file::write(path, bytes);
    crate::http::keep_under(folder, crate::http::cache_cap() / 4);
}

/// The last read kept, and when (local time, to the minute).
fn cached(path: &Path) -> Option<(String, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let when = jiff::Timestamp::try_from(modified)
        .ok()?
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    Some((text, when))
}

fn get_text(url: &url::Url, address: &Address, accept: &str) -> Result<String, Text> {
    use crate::http::Failed;
    let host = address.root.host_str().unwrap_or_default().to_string();
    let answer =
        crate::http::get(url.as_str(), Some(accept), PAGE_BYTES).map_err(
            |failed| match failed {
                Failed::Unreachable(e) => Text::new(
                    format!("无法连接服务 {host}（{e}）"),
                    format!("the service {host} cannot be reached ({e})"),
                ),
                Failed::Cut(e) => Text::new(
                    format!("服务 {host} 的答复未完整到达（{e}）"),
                    format!("the answer of {host} did not arrive whole ({e})"),
                ),
            },
        )?;
    let (status, kind) = (answer.status, answer.kind);
    let body = String::from_utf8(answer.body).map_err(|_| {
        Text::new(
            format!("服务 {host} 的答复不是 UTF-8 文本"),
            format!("the answer of {host} is not UTF-8 text"),
        )
    })?;
    if kind.contains("html") {
        return Err(Text::new(
            format!(
                "服务 {host} 答复的是网页（HTTP {status}），不是数据：可能需要登录，或地址有误"
            ),
            format!(
                "the service {host} answered a web page (HTTP {status}), not data: it may want a login, or the address is wrong"
            ),
        ));
    }
    if status != 200 {
        let detail = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| {
                v.get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let (zh, en) = match status {
            404 => ("没有此集合或地址", "no such collection or address"),
            401 | 403 => ("拒绝访问", "access refused"),
            _ => ("出错", "failed"),
        };
        return Err(Text::new(
            format!("服务 {host} {zh}（HTTP {status}）{detail}"),
            format!("the service {host}: {en} (HTTP {status}) {detail}")
                .trim_end()
                .to_string(),
        ));
    }
    Ok(body)
}

fn get_json(url: &url::Url, address: &Address) -> Result<Value, Text> {
    let text = get_text(url, address, "application/json")?;
    serde_json::from_str(&text).map_err(|e| {
        not_service(
            address,
            &format!("答复不是 JSON（{e}）"),
            &format!("the answer is not JSON ({e})"),
        )
    })
}

/// The service answered, but not as the standard says.
fn not_service(address: &Address, zh: &str, en: &str) -> Text {
    let service = address.service_name();
    let host = address.root.host_str().unwrap_or_default();
    Text::new(
        format!("{host} 不像 {service} 服务：{zh}"),
        format!("{host} does not answer as an {service} service: {en}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ogc_api_address_is_read_from_its_landing_page_its_collections_or_its_items() {
        for text in [
            "https://gis.example/ogcapi/collections/parks/items?f=json&limit=10&key=abc",
            "https://gis.example/ogcapi/collections/parks?key=abc",
            "https://gis.example/ogcapi/collections/parks/?key=abc",
        ] {
            let address = Address::parse(text).expect(text);
            assert_eq!(address.protocol, Protocol::OgcApi);
            assert_eq!(address.root.as_str(), "https://gis.example/ogcapi");
            assert_eq!(address.collection.as_deref(), Some("parks"), "{text}");
            assert_eq!(address.extra, vec![("key".to_string(), "abc".to_string())]);
            assert_eq!(
                address.to_uri(),
                "https://gis.example/ogcapi/collections/parks?key=abc"
            );
        }
        let landing = Address::parse("https://gis.example/ogcapi/").expect("landing");
        assert_eq!(landing.collection, None);
        let listed = Address::parse("https://gis.example/ogcapi/collections").expect("list");
        assert_eq!(listed.root, landing.root);
        // A collection id with a space or Chinese survives the round trip.
        let named = landing.with_collection("企业 名录", None);
        assert_eq!(Address::parse(&named.to_uri()).expect("again"), named);
        assert!(!is_address("https://tiles.example/{z}/{x}/{y}.png"));
        assert!(Address::parse("ftp://x/y").is_err());
    }

    #[test]
    fn a_wfs_address_keeps_its_type_format_and_the_keys_that_are_not_the_protocols() {
        let address = Address::parse(
            "http://gis.example/wfs?service=WFS&request=GetCapabilities&tk=KEY&typeNames=ms:parks&outputFormat=application/json",
        )
        .expect("parsed");
        assert_eq!(address.protocol, Protocol::Wfs);
        assert_eq!(address.collection.as_deref(), Some("ms:parks"));
        assert_eq!(address.format.as_deref(), Some("application/json"));
        assert_eq!(address.extra, vec![("tk".into(), "KEY".into())]);
        let again = Address::parse(&address.to_uri()).expect("again");
        assert_eq!(again, address);
        let page = wfs_page(
            &address,
            Some(Rect::new(
                geo::coord! { x: 106.0, y: 29.0 },
                geo::coord! { x: 107.0, y: 30.0 },
            )),
            address.format.as_deref(),
            2000,
        );
        let keys: Vec<(String, String)> = page
            .query_pairs()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let get = |k: &str| {
            keys.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("tk"), Some("KEY"));
        assert_eq!(get("STARTINDEX"), Some("2000"));
        assert_eq!(
            get("BBOX"),
            Some("106.000000,29.000000,107.000000,30.000000,urn:ogc:def:crs:OGC:1.3:CRS84")
        );
    }

    #[test]
    fn a_wfs_that_offers_geojson_is_read_and_one_that_offers_only_gml_is_told() {
        let capabilities = r#"<wfs:WFS_Capabilities xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:ows="http://www.opengis.net/ows/1.1">
          <ows:OperationsMetadata><ows:Operation name="GetFeature">
            <ows:Parameter name="outputFormat"><ows:AllowedValues>
              <ows:Value>application/gml+xml; version=3.2</ows:Value>
              <ows:Value>application/json; subtype=geojson</ows:Value>
            </ows:AllowedValues></ows:Parameter></ows:Operation></ows:OperationsMetadata>
          <wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>ms:parks</wfs:Name><wfs:Title>园区</wfs:Title>
            <ows:WGS84BoundingBox><ows:LowerCorner>106 29</ows:LowerCorner><ows:UpperCorner>107 30</ows:UpperCorner></ows:WGS84BoundingBox>
          </wfs:FeatureType></wfs:FeatureTypeList></wfs:WFS_Capabilities>"#;
        let read = parse_wfs_capabilities(capabilities).expect("read");
        assert_eq!(
            read.format.as_deref(),
            Some("application/json; subtype=geojson")
        );
        assert_eq!(read.types.len(), 1);
        assert_eq!(read.types[0].0, "ms:parks");
        assert_eq!(read.types[0].1, "园区");
        assert_eq!(read.types[0].2.map(|r| r.max().y), Some(30.0));
        let gml_only = capabilities.replace("application/json; subtype=geojson", "text/xml");
        assert_eq!(
            parse_wfs_capabilities(&gml_only).expect("read").format,
            None
        );
        let refused = r#"<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception><ows:ExceptionText>no such layer</ows:ExceptionText></ows:Exception></ows:ExceptionReport>"#;
        let why = parse_wfs_capabilities(refused).err().expect("refused");
        assert!(why.en.contains("no such layer"), "{}", why.en);
    }

    #[test]
    fn a_next_link_is_followed_from_the_page_it_is_on_and_keeps_the_box() {
        let page: Value = serde_json::from_str(
            r#"{"links":[{"rel":"self","href":"x"},{"rel":"next","type":"application/geo+json","href":"items?f=json&limit=2&offset=2"},{"rel":"next","type":"text/html","href":"items?f=html"}]}"#,
        )
        .expect("json");
        let current = url::Url::parse("http://h/api/collections/p/items?f=json").expect("url");
        let extent = Rect::new(
            geo::coord! { x: 1.0, y: 2.0 },
            geo::coord! { x: 3.0, y: 4.0 },
        );
        let next = next_link(&page, &current, Some(extent)).expect("next");
        assert_eq!(
            next.as_str(),
            "http://h/api/collections/p/items?f=json&limit=2&offset=2&bbox=1.000000%2C2.000000%2C3.000000%2C4.000000"
        );
        assert_eq!(
            next_link(&serde_json::json!({"links": []}), &current, None),
            None
        );
    }

    #[test]
    fn latitude_first_coordinates_named_by_their_urn_are_turned_to_longitude_first() {
        let mut page: Value = serde_json::from_str(
            r#"{"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4326"}},
                "features":[{"geometry":{"type":"Polygon","coordinates":[[[29,106],[29,107],[30,107],[29,106]]]}}]}"#,
        )
        .expect("json");
        assert!(lat_lon_order(&page));
        let geometry = page.pointer_mut("/features/0/geometry").expect("geometry");
        swap_axes(geometry);
        assert_eq!(geometry["coordinates"][0][1], serde_json::json!([107, 29]));
        assert!(!lat_lon_order(
            &serde_json::json!({"type": "FeatureCollection"})
        ));
    }
}
