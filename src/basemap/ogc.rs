//! An OGC Web Map Service (GeoServer, MapServer, QGIS Server, ArcGIS Server) as a basemap,
//! as QGIS adds one: from its GetCapabilities address, the layer named (`LAYERS=`) checked
//! against what the service lists — its title, styles and whether it draws in Web Mercator
//! (EPSG:3857 or one of its older codes, inherited from a parent layer as WMS says) — and
//! turned into a GetMap template for 256-pixel tiles, `BBOX={bbox-epsg-3857}`, which the tile
//! server source fetches and caches like any XYZ tile. Versions 1.1.1 (`SRS=`) and 1.3.0
//! (`CRS=`) are both asked in x/y order: only EPSG:4326 swaps its axes in 1.3.0, and it is
//! never asked for.

/// What a GetMap template holds in place of a tile's Web Mercator box.
pub const BBOX: &str = "{bbox-epsg-3857}";

/// The codes a service may give Web Mercator.
const WEB_MERCATOR: [&str; 4] = ["EPSG:3857", "EPSG:900913", "EPSG:102100", "EPSG:102113"];

/// A WMS or WMTS layer made a tile template: what the tile server source fetches, what the
/// footer calls it, and the zooms it has (a WMTS's matrices; a WMS draws at any zoom).
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub template: String,
    pub title: String,
    pub zooms: Option<(u8, u8)>,
}

/// The service a capabilities address (WMS or WMTS, with its layer named) resolves to, asked
/// over the network; `None` for any other address (a tile template is used as it is).
pub fn resolve(url: &str) -> Result<Option<Service>, String> {
    if is_wmts_capabilities_url(url) {
        wmts_template(url, &fetch_text(url)?).map(Some)
    } else if is_capabilities_url(url) {
        template(url, &fetch(url)?).map(Some)
    } else {
        Ok(None)
    }
}

/// A service's capabilities, as far as the atlas uses them.
#[derive(Debug, Clone, PartialEq)]
pub struct Capabilities {
    pub version: String,
    pub title: String,
    /// Where GetMap is asked (its OnlineResource), ending in `?` or `&`.
    pub getmap: String,
    pub formats: Vec<String>,
    pub layers: Vec<Layer>,
}

/// A layer the service lists by name (layers without a name only group others).
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: String,
    pub title: String,
    pub styles: Vec<String>,
    /// Its coordinate systems, its parents' included.
    pub systems: Vec<String>,
}

impl Layer {
    /// The code it gives Web Mercator, if it draws in it.
    pub fn web_mercator(&self) -> Option<&str> {
        WEB_MERCATOR
            .iter()
            .find(|code| self.systems.iter().any(|s| s.eq_ignore_ascii_case(code)))
            .copied()
    }
}

/// Whether `url` is a WMS GetCapabilities address (`SERVICE=WMS&REQUEST=GetCapabilities`).
pub fn is_capabilities_url(url: &str) -> bool {
    let query = url
        .split_once('?')
        .map_or("", |(_, q)| q)
        .to_ascii_lowercase();
    let has = |pair: &str| query.split('&').any(|p| p == pair);
    has("request=getcapabilities") && has("service=wms")
}

/// The value of `key` in `url`'s query (any case), percent-decoded as far as `+` and `%20`.
fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        k.eq_ignore_ascii_case(key).then(|| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Why capabilities could not be read: an HTML page (a portal's login) or not XML at all.
fn not_xml(text: &str, error: roxmltree::Error) -> String {
    let start: String = text.trim_start().chars().take(14).collect();
    let start = start.to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        "the service answered an HTML page, not its capabilities".to_string()
    } else {
        format!("the capabilities are not XML ({error})")
    }
}

/// What a service said when it answered with an exception report instead of capabilities.
fn refusal(root: roxmltree::Node<'_, '_>) -> Option<String> {
    matches!(
        root.tag_name().name(),
        "ServiceExceptionReport" | "ExceptionReport"
    )
    .then(|| {
        let said: Vec<&str> = root
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        format!("the service refused: {}", said.join(" "))
    })
}

/// The first child element of `node` called `name`.
fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// "WMS zones", "WMTS vec": what a GetMap or KVP GetTile template asks, for a name.
pub fn service_and_layer(template: &str) -> Option<String> {
    let service = query_value(template, "service")?.to_ascii_uppercase();
    let layer = query_value(template, "layers").or_else(|| query_value(template, "layer"))?;
    Some(format!("{service} {layer}"))
}

/// Reads a GetCapabilities document: a WMS 1.1.1 (`WMT_MS_Capabilities`) or 1.3.0
/// (`WMS_Capabilities`) one; anything else is named.
pub fn parse(xml: &str) -> Result<Capabilities, String> {
    let document = roxmltree::Document::parse(xml).map_err(|e| not_xml(xml, e))?;
    let root = document.root_element();
    let root_name = root.tag_name().name();
    if let Some(refused) = refusal(root) {
        return Err(refused);
    }
    if root_name != "WMS_Capabilities" && root_name != "WMT_MS_Capabilities" {
        return Err(format!(
            "not the capabilities of a Web Map Service (its root is <{root_name}>)"
        ));
    }
    let version = root.attribute("version").unwrap_or("1.3.0").to_string();
    let text_of = |node: Option<roxmltree::Node<'_, '_>>| {
        node.and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .unwrap_or_default()
    };
    let title = text_of(child(root, "Service").and_then(|s| child(s, "Title")));
    let capability = child(root, "Capability").ok_or("the capabilities list no <Capability>")?;
    let getmap_node = child(capability, "Request")
        .and_then(|r| child(r, "GetMap"))
        .ok_or("the service offers no GetMap")?;
    let formats = getmap_node
        .children()
        .filter(|c| c.tag_name().name() == "Format")
        .filter_map(|c| c.text().map(|t| t.trim().to_string()))
        .collect();
    let getmap = getmap_node
        .descendants()
        .find(|n| n.tag_name().name() == "Get")
        .and_then(|get| {
            get.descendants()
                .find(|n| n.tag_name().name() == "OnlineResource")
        })
        .and_then(|resource| {
            resource
                .attributes()
                .find(|a| a.name() == "href")
                .map(|a| a.value().to_string())
        })
        .ok_or("the service names no address for GetMap")?;
    let mut layers = Vec::new();
    if let Some(top) = child(capability, "Layer") {
        collect_layers(top, &[], &mut layers);
    }
    Ok(Capabilities {
        version,
        title,
        getmap,
        formats,
        layers,
    })
}

fn collect_layers(node: roxmltree::Node<'_, '_>, inherited: &[String], out: &mut Vec<Layer>) {
    let mut systems = inherited.to_vec();
    for child in node.children().filter(|c| c.is_element()) {
        if matches!(child.tag_name().name(), "CRS" | "SRS")
            && let Some(text) = child.text()
        {
            // 1.1.1 may list several codes in one element.
            systems.extend(text.split_whitespace().map(str::to_string));
        }
    }
    let named = |name: &str| {
        node.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string())
    };
    if let Some(name) = named("Name").filter(|n| !n.is_empty()) {
        let styles = node
            .children()
            .filter(|c| c.tag_name().name() == "Style")
            .filter_map(|style| {
                style
                    .children()
                    .find(|c| c.tag_name().name() == "Name")
                    .and_then(|c| c.text())
                    .map(|t| t.trim().to_string())
            })
            .collect();
        out.push(Layer {
            title: named("Title").unwrap_or_else(|| name.clone()),
            name,
            styles,
            systems: systems.clone(),
        });
    }
    for child in node
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "Layer")
    {
        collect_layers(child, &systems, out);
    }
}

/// The GetMap template for the layer(s) `url` names (`LAYERS=`, `STYLES=`), checked against
/// the service's capabilities; the service's title and the layers' titles, for the footer.
pub fn template(url: &str, capabilities: &Capabilities) -> Result<Service, String> {
    let names: Vec<String> = query_value(url, "layers")
        .unwrap_or_default()
        .split(',')
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let listed: Vec<&str> = capabilities
        .layers
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    if names.is_empty() {
        return Err(format!(
            "name the layer to draw with &LAYERS=NAME; the service has: {}",
            listed.join(", ")
        ));
    }
    let mut code = None;
    let mut titles = Vec::new();
    for name in &names {
        let layer = capabilities
            .layers
            .iter()
            .find(|l| &l.name == name)
            .ok_or_else(|| {
                format!(
                    "the service has no layer “{name}” (it has: {})",
                    listed.join(", ")
                )
            })?;
        let Some(mercator) = layer.web_mercator() else {
            return Err(format!(
                "the layer “{name}” is not drawn in Web Mercator (EPSG:3857); it offers {}",
                layer.systems.join(", ")
            ));
        };
        code.get_or_insert(mercator);
        titles.push(layer.title.clone());
    }
    let styles = query_value(url, "styles").unwrap_or_default();
    let format = ["image/png", "image/png; mode=8bit", "image/jpeg"]
        .into_iter()
        .find(|f| capabilities.formats.iter().any(|g| g == f))
        .unwrap_or("image/png");
    let version = if capabilities.version.starts_with("1.3") {
        "1.3.0"
    } else {
        "1.1.1"
    };
    let system_key = if version == "1.3.0" { "CRS" } else { "SRS" };
    let mut base = capabilities.getmap.clone();
    if !base.contains('?') {
        base.push('?');
    } else if !base.ends_with('?') && !base.ends_with('&') {
        base.push('&');
    }
    let template = format!(
        "{base}SERVICE=WMS&VERSION={version}&REQUEST=GetMap&LAYERS={}&STYLES={}&{system_key}={}&BBOX={BBOX}&WIDTH=256&HEIGHT=256&FORMAT={}&TRANSPARENT=TRUE",
        names.join(","),
        styles,
        code.unwrap_or("EPSG:3857"),
        format.replace(' ', "%20").replace(';', "%3B"),
    );
    let title = if capabilities.title.is_empty() {
        titles.join(", ")
    } else {
        format!("{} — {}", capabilities.title, titles.join(", "))
    };
    Ok(Service {
        template,
        title,
        zooms: None,
    })
}

/// Fetches and reads the WMS capabilities at `url` (15 s at most).
pub fn fetch(url: &str) -> Result<Capabilities, String> {
    parse(&fetch_text(url)?)
}

/// A tile's Web Mercator box in metres: `minx,miny,maxx,maxy`.
pub fn bbox_of(z: u8, x: u32, y: u32) -> String {
    const HALF: f64 = 20_037_508.342_789_244;
    let n = f64::from(1u32 << z);
    let size = 2.0 * HALF / n;
    let min_x = -HALF + f64::from(x) * size;
    let max_y = HALF - f64::from(y) * size;
    format!(
        "{:.6},{:.6},{:.6},{:.6}",
        min_x,
        max_y - size,
        min_x + size,
        max_y
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPABILITIES_111: &str = r#"<?xml version="1.0"?>
<WMT_MS_Capabilities version="1.1.1">
 <Service><Name>OGC:WMS</Name><Title>规划局</Title></Service>
 <Capability>
  <Request><GetMap><Format>image/jpeg</Format><Format>image/png</Format>
   <DCPType><HTTP><Get><OnlineResource xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="http://gis.example/wms"/></Get></HTTP></DCPType>
  </GetMap></Request>
  <Layer><Title>root</Title><SRS>EPSG:4326 EPSG:900913</SRS>
   <Layer><Name>parcels</Name><Title>地块</Title><Style><Name>default</Name></Style></Layer>
   <Layer><Name>gk</Name><Title>GK only</Title></Layer>
  </Layer>
 </Capability>
</WMT_MS_Capabilities>"#;

    #[test]
    fn a_111_service_gives_srs_and_inherited_systems() {
        let caps = parse(CAPABILITIES_111).expect("parses");
        assert_eq!(caps.version, "1.1.1");
        assert_eq!(caps.layers.len(), 2);
        assert_eq!(caps.layers[0].web_mercator(), Some("EPSG:900913"));
        let Service {
            template: getmap,
            title,
            ..
        } = template(
            "http://gis.example/wms?SERVICE=WMS&REQUEST=GetCapabilities&LAYERS=parcels",
            &caps,
        )
        .expect("a template");
        assert_eq!(
            getmap,
            "http://gis.example/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=parcels&STYLES=&SRS=EPSG:900913&BBOX={bbox-epsg-3857}&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE"
        );
        assert_eq!(title, "规划局 — 地块");
        let missing = template("http://x/wms?service=wms&request=getcapabilities", &caps)
            .expect_err("no layer named");
        assert!(missing.contains("parcels, gk"), "{missing}");
    }

    #[test]
    fn html_and_exceptions_are_named() {
        assert!(
            parse("<!DOCTYPE html><html><body>login</body></html>")
                .expect_err("html")
                .contains("HTML")
        );
        let refused = parse(
            r#"<ServiceExceptionReport><ServiceException>msWMSLoadGetMapParams(): Invalid layer</ServiceException></ServiceExceptionReport>"#,
        )
        .expect_err("refused");
        assert!(refused.contains("Invalid layer"), "{refused}");
        assert!(parse("not xml").expect_err("text").contains("not XML"));
    }

    /// 天地图's sets: `w` (Web Mercator, matrices 1‥18, GetTile by KVP) and `c` (geographic);
    /// the user's key `tk` kept on every tile.
    #[test]
    fn a_tianditu_w_set_is_drawn_with_its_key_and_its_c_set_refused() {
        let matrix = |z: u32| {
            format!(
                "<TileMatrix><ows:Identifier>{z}</ows:Identifier><ScaleDenominator>{}</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>{}</MatrixWidth><MatrixHeight>{}</MatrixHeight></TileMatrix>",
                ZOOM_0_SCALE / f64::from(1u32 << z),
                1u32 << z,
                1u32 << z
            )
        };
        let matrices: String = (1..=18).map(matrix).collect();
        let xml = format!(
            r#"<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
<ows:ServiceIdentification><ows:Title>天地图</ows:Title></ows:ServiceIdentification>
<ows:OperationsMetadata><ows:Operation name="GetTile"><ows:DCP><ows:HTTP><ows:Get xlink:href="http://t0.tianditu.gov.cn/vec_w/wmts?"/></ows:HTTP></ows:DCP></ows:Operation></ows:OperationsMetadata>
<Contents>
<Layer><ows:Title>矢量底图</ows:Title><ows:Identifier>vec</ows:Identifier><Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style><Format>tiles</Format><TileMatrixSetLink><TileMatrixSet>c</TileMatrixSet></TileMatrixSetLink><TileMatrixSetLink><TileMatrixSet>w</TileMatrixSet></TileMatrixSetLink></Layer>
<TileMatrixSet><ows:Identifier>c</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::4490</ows:SupportedCRS></TileMatrixSet>
<TileMatrixSet><ows:Identifier>w</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::900913</ows:SupportedCRS>{matrices}</TileMatrixSet>
</Contents></Capabilities>"#
        );
        let Service {
            template,
            title,
            zooms,
        } = wmts_template(
            "http://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&tk=KEY123",
            &xml,
        )
        .expect("the w set");
        assert_eq!(
            template,
            "http://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=tiles&tk=KEY123"
        );
        assert_eq!(
            (title.as_str(), zooms),
            ("天地图 — 矢量底图", Some((1, 18)))
        );
        let only_c = xml.replace(
            "<TileMatrixSetLink><TileMatrixSet>w</TileMatrixSet></TileMatrixSetLink>",
            "",
        );
        let refused = wmts_template(
            "http://x/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
            &only_c,
        )
        .expect_err("the c set");
        assert!(
            refused.contains("“c” is in urn:ogc:def:crs:EPSG::4490"),
            "{refused}"
        );
    }

    #[test]
    fn a_tiles_box_is_its_web_mercator_square() {
        assert_eq!(
            bbox_of(0, 0, 0),
            "-20037508.342789,-20037508.342789,20037508.342789,20037508.342789"
        );
        assert_eq!(
            bbox_of(1, 1, 0),
            "0.000000,0.000000,20037508.342789,20037508.342789"
        );
        assert!(is_capabilities_url(
            "http://h/wms?service=WMS&request=GetCapabilities"
        ));
        assert!(!is_capabilities_url("http://h/{z}/{x}/{y}.png"));
    }
}

/// The scale denominator of Web Mercator's zoom 0 for 256-pixel tiles (OGC's
/// GoogleMapsCompatible well-known scale set).
const ZOOM_0_SCALE: f64 = 559_082_264.028_717_8;

/// Whether `url` is a WMTS GetCapabilities address (`SERVICE=WMTS&REQUEST=GetCapabilities`,
/// or a RESTful `…/WMTSCapabilities.xml`).
pub fn is_wmts_capabilities_url(url: &str) -> bool {
    let path = url.split('?').next().unwrap_or(url);
    let query = url
        .split_once('?')
        .map_or("", |(_, q)| q)
        .to_ascii_lowercase();
    let has = |pair: &str| query.split('&').any(|p| p == pair);
    (has("request=getcapabilities") && has("service=wmts"))
        || path.to_ascii_lowercase().ends_with("wmtscapabilities.xml")
}

/// Whether `url` asks a service for its capabilities (a WMS or a WMTS).
pub fn is_service_url(url: &str) -> bool {
    is_capabilities_url(url) || is_wmts_capabilities_url(url)
}

/// A WMTS tile matrix set as far as the atlas can draw it: Web Mercator, 256-pixel tiles,
/// its matrices' identifiers a prefix and the zoom (`0`…, `EPSG:3857:0`…, 天地图's `1`…).
#[derive(Debug, Clone, PartialEq)]
struct MercatorSet {
    prefix: String,
    min_zoom: u8,
    max_zoom: u8,
}

/// Why a tile matrix set cannot be drawn, or how it can.
fn mercator_set(set: roxmltree::Node<'_, '_>) -> Result<MercatorSet, String> {
    let crs = text(set, "SupportedCRS").unwrap_or_default();
    let name = text(set, "Identifier").unwrap_or_default();
    let mercator = ["3857", "900913", "102100", "102113"]
        .iter()
        .any(|code| crs.ends_with(&format!(":{code}")));
    if !mercator {
        return Err(format!(
            "its tile matrix set “{name}” is in {crs}, not Web Mercator"
        ));
    }
    let mut prefix: Option<String> = None;
    let mut zooms = Vec::new();
    for matrix in set
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "TileMatrix")
    {
        let id = text(matrix, "Identifier").unwrap_or_default();
        let scale: f64 = text(matrix, "ScaleDenominator")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.0);
        let width: u32 = text(matrix, "TileWidth")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let zoom = (ZOOM_0_SCALE / scale).log2();
        let rounded = zoom.round();
        if width != 256 || (zoom - rounded).abs() > 0.01 || !(0.0..=24.0).contains(&rounded) {
            return Err(format!(
                "its tile matrix set “{name}” is not the Web Mercator grid of 256-pixel tiles (matrix {id})"
            ));
        }
        let z = rounded as u8;
        let digits = z.to_string();
        let Some(head) = id.strip_suffix(&digits) else {
            return Err(format!(
                "its tile matrix “{id}” does not end in its zoom {z}"
            ));
        };
        if prefix.get_or_insert_with(|| head.to_string()) != head {
            return Err(format!("the tile matrices of “{name}” are not named alike"));
        }
        zooms.push(z);
    }
    let (Some(&min_zoom), Some(&max_zoom)) = (zooms.iter().min(), zooms.iter().max()) else {
        return Err(format!("its tile matrix set “{name}” has no matrices"));
    };
    Ok(MercatorSet {
        prefix: prefix.unwrap_or_default(),
        min_zoom,
        max_zoom,
    })
}

/// The trimmed text of `node`'s child element `name` (any namespace: WMS, WMTS, OWS).
fn text(node: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
}

/// A WMTS layer made a tile template: `{z}`, `{x}`, `{y}` in place of its matrix, column and
/// row; the layer named by `LAYER=` (or the only one), its default style, a Web Mercator set.
/// Other query keys of `url` (天地图's `tk=KEY`) are kept on every tile's address. The
/// template, the service's and layer's title, and the zooms the set has.
pub fn wmts_template(url: &str, xml: &str) -> Result<Service, String> {
    let document = roxmltree::Document::parse(xml).map_err(|e| not_xml(xml, e))?;
    let root = document.root_element();
    if let Some(refused) = refusal(root) {
        return Err(refused);
    }
    if root.tag_name().name() != "Capabilities" {
        return Err(format!(
            "not the capabilities of a Web Map Tile Service (its root is <{}>)",
            root.tag_name().name()
        ));
    }
    let contents = child(root, "Contents").ok_or("the capabilities list no <Contents>")?;
    let layers: Vec<roxmltree::Node<'_, '_>> = contents
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "Layer")
        .collect();
    let names: Vec<String> = layers
        .iter()
        .filter_map(|l| text(*l, "Identifier"))
        .collect();
    let wanted = query_value(url, "layer").or_else(|| query_value(url, "layers"));
    let layer = match (&wanted, layers.as_slice()) {
        (None, [one]) => *one,
        (None, _) => {
            return Err(format!(
                "name the layer to draw with &LAYER=NAME; the service has: {}",
                names.join(", ")
            ));
        }
        (Some(wanted), _) => *layers
            .iter()
            .find(|l| text(**l, "Identifier").as_deref() == Some(wanted.as_str()))
            .ok_or_else(|| {
                format!(
                    "the service has no layer “{wanted}” (it has: {})",
                    names.join(", ")
                )
            })?,
    };
    let layer_name = text(layer, "Identifier").unwrap_or_default();
    let layer_title = text(layer, "Title").unwrap_or_else(|| layer_name.clone());
    let style = query_value(url, "style")
        .filter(|s| !s.is_empty())
        .or_else(|| {
            layer
                .children()
                .filter(|c| c.tag_name().name() == "Style")
                .find(|s| s.attribute("isDefault") == Some("true"))
                .or_else(|| layer.children().find(|c| c.tag_name().name() == "Style"))
                .and_then(|s| text(s, "Identifier"))
        })
        .unwrap_or_else(|| "default".to_string());
    // The layer's sets, the first in Web Mercator taken; the others' reasons said if none is.
    let linked: Vec<String> = layer
        .children()
        .filter(|c| c.tag_name().name() == "TileMatrixSetLink")
        .filter_map(|link| text(link, "TileMatrixSet"))
        .collect();
    let mut refusals = Vec::new();
    let mut chosen = None;
    for set_name in &linked {
        let Some(set) = contents.children().find(|c| {
            c.is_element()
                && c.tag_name().name() == "TileMatrixSet"
                && text(*c, "Identifier").as_deref() == Some(set_name.as_str())
        }) else {
            refusals.push(format!("its tile matrix set “{set_name}” is not described"));
            continue;
        };
        match mercator_set(set) {
            Ok(grid) => {
                chosen = Some((set_name.clone(), grid));
                break;
            }
            Err(why) => refusals.push(why),
        }
    }
    let Some((set_name, grid)) = chosen else {
        return Err(format!(
            "the layer “{layer_name}” cannot be drawn: {}",
            refusals.join("; ")
        ));
    };
    let format = layer
        .children()
        .filter(|c| c.tag_name().name() == "Format")
        .filter_map(|c| c.text())
        .map(str::trim)
        .find(|f| f.starts_with("image/png"))
        .or_else(|| {
            layer
                .children()
                .filter(|c| c.tag_name().name() == "Format")
                .filter_map(|c| c.text())
                .map(str::trim)
                .next()
        })
        .unwrap_or("image/png")
        .to_string();
    let kept: Vec<String> = url
        .split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("").to_ascii_lowercase();
            !pair.is_empty()
                && !matches!(
                    key.as_str(),
                    "service" | "request" | "version" | "layer" | "layers" | "style"
                )
        })
        .map(str::to_string)
        .collect();
    let matrix = format!("{}{{z}}", grid.prefix);
    let resource = layer
        .children()
        .filter(|c| c.tag_name().name() == "ResourceURL")
        .find(|r| r.attribute("resourceType") == Some("tile"))
        .and_then(|r| r.attribute("template"));
    let mut template = match resource {
        Some(rest) => rest
            .replace("{TileMatrixSet}", &set_name)
            .replace("{TileMatrix}", &matrix)
            .replace("{TileRow}", "{y}")
            .replace("{TileCol}", "{x}")
            .replace("{Style}", &style),
        None => {
            let base = root
                .descendants()
                .filter(|n| n.tag_name().name() == "Operation")
                .find(|op| op.attribute("name") == Some("GetTile"))
                .and_then(|op| op.descendants().find(|n| n.tag_name().name() == "Get"))
                .and_then(|get| get.attributes().find(|a| a.name() == "href"))
                .map(|a| a.value().to_string())
                .unwrap_or_else(|| url.split('?').next().unwrap_or(url).to_string() + "?");
            let joiner = if base.ends_with('?') || base.ends_with('&') {
                ""
            } else if base.contains('?') {
                "&"
            } else {
                "?"
            };
            format!(
                "{base}{joiner}SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer_name}&STYLE={style}&TILEMATRIXSET={set_name}&TILEMATRIX={matrix}&TILEROW={{y}}&TILECOL={{x}}&FORMAT={}",
                format.replace('/', "%2F")
            )
        }
    };
    if !kept.is_empty() {
        template.push(if template.contains('?') { '&' } else { '?' });
        template.push_str(&kept.join("&"));
    }
    let service_title = child(root, "ServiceIdentification")
        .and_then(|s| text(s, "Title"))
        .filter(|t| !t.is_empty());
    let title = match service_title {
        Some(service) => format!("{service} — {layer_title}"),
        None => layer_title,
    };
    Ok(Service {
        template,
        title,
        zooms: Some((grid.min_zoom, grid.max_zoom)),
    })
}

/// The GetMap template a WMS basemap is kept as (its path), if `path` is one.
pub fn getmap_template(path: &std::path::Path) -> Option<&str> {
    path.to_str().filter(|t| {
        t.contains(BBOX)
            && query_value(t, "request").is_some_and(|r| r.eq_ignore_ascii_case("getmap"))
    })
}

/// A WMS's GetMap for one image of `width` × `height` pixels over `bbox` (Web Mercator
/// metres: min x, min y, max x, max y), from its template: what an export asks, at the page's
/// own resolution rather than through 256-pixel tiles.
pub fn getmap_url(template: &str, bbox: [f64; 4], width: u32, height: u32) -> String {
    template
        .replace(
            BBOX,
            &format!(
                "{:.6},{:.6},{:.6},{:.6}",
                bbox[0], bbox[1], bbox[2], bbox[3]
            ),
        )
        .replace("WIDTH=256", &format!("WIDTH={width}"))
        .replace("HEIGHT=256", &format!("HEIGHT={height}"))
}

/// Fetches a GetMap's image (64 MB at most); an answer that is not an image (an exception
/// report, a login page) is said.
pub fn get_map(url: &str) -> Result<Vec<u8>, String> {
    use crate::http::Failed;
    let answer = crate::http::get(url, None, 64 * 1024 * 1024).map_err(|failed| match failed {
        Failed::Unreachable(e) => format!("the service cannot be reached ({e})"),
        Failed::Cut(e) => format!("the image did not arrive whole ({e})"),
    })?;
    if answer.status != 200 {
        return Err(format!("the service answered HTTP {}", answer.status));
    }
    if !answer.kind.starts_with("image/") {
        let said: String = String::from_utf8_lossy(&answer.body[..answer.body.len().min(400)])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        return Err(format!(
            "the service answered {}, not an image: {said}",
            answer.kind
        ));
    }
    Ok(answer.body)
}

/// A layer a service offers, for the user to choose one: its name, title and styles, and why
/// the atlas cannot draw it (not in Web Mercator), if it cannot.
#[derive(Debug, Clone, PartialEq)]
pub struct Offered {
    pub name: String,
    pub title: String,
    pub styles: Vec<String>,
    pub refused: Option<String>,
}

/// Whether a capabilities address already names the layer to draw.
pub fn names_layer(url: &str) -> bool {
    query_value(url, "layers")
        .or_else(|| query_value(url, "layer"))
        .is_some_and(|l| !l.trim().is_empty())
}

/// The layers the service at capabilities address `url` offers, each with its styles and,
/// where it cannot be drawn, why.
pub fn offered(url: &str) -> Result<Vec<Offered>, String> {
    let xml = fetch_text(url)?;
    if is_wmts_capabilities_url(url) {
        let document = roxmltree::Document::parse(&xml).map_err(|e| not_xml(&xml, e))?;
        let root = document.root_element();
        if let Some(refused) = refusal(root) {
            return Err(refused);
        }
        let contents = child(root, "Contents").ok_or("the capabilities list no <Contents>")?;
        return Ok(contents
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "Layer")
            .filter_map(|layer| {
                let name = text(layer, "Identifier")?;
                let styles = layer
                    .children()
                    .filter(|c| c.tag_name().name() == "Style")
                    .filter_map(|s| text(s, "Identifier"))
                    .collect();
                // Drawn or not as it would be when chosen.
                let refused = wmts_template(&with_layer(url, &name, None), &xml).err();
                Some(Offered {
                    title: text(layer, "Title").unwrap_or_else(|| name.clone()),
                    name,
                    styles,
                    refused,
                })
            })
            .collect());
    }
    let capabilities = parse(&xml)?;
    Ok(capabilities
        .layers
        .into_iter()
        .map(|layer| Offered {
            refused: layer.web_mercator().is_none().then(|| {
                format!(
                    "not drawn in Web Mercator (EPSG:3857); it offers {}",
                    layer.systems.join(", ")
                )
            }),
            name: layer.name,
            title: layer.title,
            styles: layer.styles,
        })
        .collect())
}

/// The capabilities address `url` naming layer `name` (and `style`): what opens it.
pub fn with_layer(url: &str, name: &str, style: Option<&str>) -> String {
    let wmts = is_wmts_capabilities_url(url);
    let (layer_key, style_key) = if wmts {
        ("LAYER", "STYLE")
    } else {
        ("LAYERS", "STYLES")
    };
    // What would end or change a query's value; a name stays readable (`ms:zones`).
    const VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'&')
        .add(b'=')
        .add(b'#')
        .add(b'+')
        .add(b'%')
        .add(b'?');
    let encode = |v: &str| percent_encoding::utf8_percent_encode(v, VALUE).to_string();
    let mut out = url.to_string();
    out.push(if out.contains('?') { '&' } else { '?' });
    out.push_str(&format!("{layer_key}={}", encode(name)));
    if let Some(style) = style.filter(|s| !s.is_empty()) {
        out.push_str(&format!("&{style_key}={}", encode(style)));
    }
    out
}

/// Fetches the text at `url` (a capabilities document; 15 s at most).
pub fn fetch_text(url: &str) -> Result<String, String> {
    use crate::http::Failed;
    let answer = crate::http::get(url, None, 16 * 1024 * 1024).map_err(|failed| match failed {
        Failed::Unreachable(e) => format!("the service cannot be reached ({e})"),
        Failed::Cut(e) => format!("the capabilities did not arrive whole ({e})"),
    })?;
    if answer.status != 200 {
        return Err(format!("the service answered HTTP {}", answer.status));
    }
    String::from_utf8(answer.body).map_err(|_| "the capabilities are not UTF-8 text".to_string())
}
