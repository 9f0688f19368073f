//! An OGC Web Map Service (GeoServer, MapServer, QGIS Server, ArcGIS Server) as a basemap,
//! as QGIS adds one: from its GetCapabilities address, the layer named (`LAYERS=`) checked
//! against what the service lists — its title, styles and whether it draws in Web Mercator
//! (EPSG:3857 or one of its older codes, inherited from a parent layer as WMS says) — and
//! turned into a GetMap template for 256-pixel tiles, `BBOX={bbox-epsg-3857}`, which the tile
//! server source fetches and caches like any XYZ tile. Versions 1.1.1 (`SRS=`) and 1.3.0
//! (`CRS=`) are both asked in x/y order: only EPSG:4326 swaps its axes in 1.3.0, and it is
//! never asked for.

use std::time::Duration;

/// What a GetMap template holds in place of a tile's Web Mercator box.
pub const BBOX: &str = "{bbox-epsg-3857}";

/// The codes a service may give Web Mercator.
const WEB_MERCATOR: [&str; 4] = ["EPSG:3857", "EPSG:900913", "EPSG:102100", "EPSG:102113"];

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
        k.eq_ignore_ascii_case(key)
            .then(|| v.replace('+', " ").replace("%20", " ").replace("%2C", ","))
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

/// Reads a GetCapabilities document: a WMS 1.1.1 (`WMT_MS_Capabilities`) or 1.3.0
/// (`WMS_Capabilities`) one; anything else is named.
pub fn parse(xml: &str) -> Result<Capabilities, String> {
    let document = roxmltree::Document::parse(xml).map_err(|e| {
        let start: String = xml.trim_start().chars().take(60).collect();
        if start.to_ascii_lowercase().starts_with("<!doctype html")
            || start.to_ascii_lowercase().starts_with("<html")
        {
            "the service answered an HTML page, not its capabilities".to_string()
        } else {
            format!("the capabilities are not XML ({e})")
        }
    })?;
    let root = document.root_element();
    let root_name = root.tag_name().name();
    if root_name == "ServiceExceptionReport" || root_name == "ExceptionReport" {
        let said: String = root
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        return Err(format!("the service refused: {said}"));
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
pub fn template(url: &str, capabilities: &Capabilities) -> Result<(String, String), String> {
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
    Ok((template, title))
}

/// Fetches and reads the capabilities at `url` (15 s at most).
pub fn fetch(url: &str) -> Result<Capabilities, String> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .timeout_connect(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .user_agent(concat!("chengyu-atlas/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent: ureq::Agent = config.into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| format!("the service cannot be reached ({e})"))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(format!("the service answered HTTP {status}"));
    }
    let text = response
        .body_mut()
        .with_config()
        .limit(16 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| format!("the capabilities did not arrive whole ({e})"))?;
    parse(&text)
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
        let (getmap, title) = template(
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
