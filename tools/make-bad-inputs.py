#!/usr/bin/env python3
"""Writes tests/data/: one bad (or tricky but valid) input per class the readers must handle.
The expected outcome of each is checked in tests/it/reader.rs. Re-run after changing a class."""
import json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "tests/data"
g = root / "geojson"
t = root / "toml"
g.mkdir(parents=True, exist_ok=True)
t.mkdir(parents=True, exist_ok=True)

def point(x, y, **props):
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [x, y]}}

def fc(*features, **extra):
    return {"type": "FeatureCollection", **extra, "features": list(features)}

def write(name, value, indent=None):
    (g / name).write_text(json.dumps(value, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")

square = [[[106.0, 29.0], [106.1, 29.0], [106.1, 29.1], [106.0, 29.1], [106.0, 29.0]]]
good = point(106.3, 29.6, id="good", name="好")

write("short-position.geojson", fc(
    {"type": "Feature", "properties": {"id": "bad"}, "geometry": {"type": "LineString", "coordinates": [[106.3], [106.4, 29.6]]}},
    good), indent=1)
write("empty-position.geojson", fc(
    {"type": "Feature", "properties": {"id": "bad"}, "geometry": {"type": "Polygon", "coordinates": [[[], [106.1, 29.0], [106.1, 29.1], []]]}},
    good), indent=1)
write("root-feature.geojson", good)
write("root-geometry.geojson", {"type": "Polygon", "coordinates": square})
write("numeric-id.geojson", fc({**good, "id": 5001}))
write("null-geometry.geojson", fc({"type": "Feature", "properties": {"name": "无位置"}, "geometry": None}, good))
write("empty-multipolygon-part.geojson", {"type": "MultiPolygon", "coordinates": [[], square]})
(g / "utf8-bom.geojson").write_bytes(b"\xef\xbb\xbf" + json.dumps(fc(good), ensure_ascii=False).encode())
write("out-of-range.geojson", fc(point(206.3, 29.6, id="east"), point(106.3, 95.0, id="north"), good), indent=1)
write("huge-numbers.geojson", fc(point(1e308, 29.6, id="huge"), good), indent=1)
(g / "beyond-double.geojson").write_text('{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{"id":"beyond"},"geometry":{"type":"Point","coordinates":[1e400,29.6]}},\n' + json.dumps(good) + "]}\n")
write("crs-metres.geojson", fc(point(11877000.5, 3440000.1), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}))
write("crs-crs84.geojson", fc(good, crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}))
write("many-bad-features.geojson", fc(*[
    {"type": "Feature", "properties": {"id": f"b{i}"}, "geometry": {"type": "Point", "coordinates": [106.3]}} for i in range(1203)
], good))
(g / "not-json.geojson").write_text('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature" "properties": {}}\n ]}\n')
(g / "truncated.geojson").write_text(json.dumps(fc(good, good))[:-20])
(g / "lone-surrogate.geojson").write_text('{"type":"Feature","properties":{"name":"\\ud800"},"geometry":null}\n')
(g / "utf16.geojson").write_bytes(b"\xff\xfe" + json.dumps(fc(good), ensure_ascii=False).encode("utf-16-le"))
(g / "gbk.geojson").write_bytes(json.dumps(fc(point(106.3, 29.6, name="沙坪坝区")), ensure_ascii=False).encode("gb18030"))
(g / "latin1.geojson").write_bytes(json.dumps(fc(point(106.3, 29.6, name="café")), ensure_ascii=False).encode("latin-1"))
(g / "deep-nesting.geojson").write_text('{"type":"Point","coordinates":' + "[" * 100000 + "]" * 100000 + "}\n")
(g / "open-brackets.geojson").write_text('{"type":"Point","coordinates":' + "[" * 1000000 + "\n")
(g / "sequence.geojsonl").write_text("\n".join([json.dumps(good), "{not json", json.dumps(point(106.4, 29.7))]) + "\n")
(g / "rs-sequence.geojsons").write_text("".join("\x1e" + json.dumps(f) + "\n" for f in [good, point(106.4, 29.7)]))
write("ogc-invalid-polygons.geojson", fc(
    {"type": "Feature", "properties": {"id": "bowtie"}, "geometry": {"type": "Polygon", "coordinates": [[[106, 29], [106.1, 29.1], [106.1, 29], [106, 29.1], [106, 29]]]}},
    {"type": "Feature", "properties": {"id": "clockwise"}, "geometry": {"type": "Polygon", "coordinates": [[[106, 29], [106, 29.1], [106.1, 29.1], [106.1, 29], [106, 29]]]}},
    {"type": "Feature", "properties": {"id": "spike"}, "geometry": {"type": "Polygon", "coordinates": [[[106, 29], [106.1, 29], [106.2, 29], [106.1, 29], [106.1, 29.1], [106, 29]]]}}), indent=1)
write("extra-dimensions-foreign-members.geojson", fc(
    {"type": "Feature", "id": "z", "title": "foreign", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[106, 29, 300, 7], [106.1, 29.1, 310]]}, "bbox": [1, 2, 3, 4]}))
write("unclosed-ring.geojson", fc(
    {"type": "Feature", "properties": {"id": "open"}, "geometry": {"type": "Polygon", "coordinates": [[[106, 29], [106.1, 29], [106.1, 29.1], [106, 29.1]]]}}, good))
write("geometry-collection.geojson", fc({"type": "Feature", "properties": {}, "geometry": {"type": "GeometryCollection", "geometries": [
    {"type": "Point", "coordinates": [106, 29]}, {"type": "LineString", "coordinates": [[106, 29], [107, 30]]}]}}))
write("wrong-types.geojson", fc(
    {"type": "Feature", "properties": "not an object", "geometry": None},
    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": ["106", "29"]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "Hexagon", "coordinates": [106, 29]}},
    good), indent=1)
write("not-geojson.geojson", {"name": "a JSON object, not GeoJSON"})
(g / "empty.geojson").write_text("")
(g / "long-name.geojson").write_text(json.dumps(fc(point(106.3, 29.6, id="x" * 1_000_000))))

# TOML: panel content and tours.
(t / "content-unterminated-string.toml").write_text('[[source]]\nid = "seed-001"\nfile = "a.txt"\noutlet = "报社\ntitle = "t"\ndate = "2021"\n', encoding="utf-8")
(t / "content-wrong-type.toml").write_text('[[source]]\nid = 5\nfile = "a.txt"\noutlet = "o"\ntitle = "t"\ndate = "2021"\n')
(t / "content-chinese-column.toml").write_text('[[source]]\nid = "seed-001"\nfile = "文件.txt"\noutlet = "重庆日报" = 1\n', encoding="utf-8")
stop = 'title = {{ zh = "乙", en = "B" }}\ncaption = {{ zh = "丙", en = "C" }}\nview = {view}\n{extra}'
tour = 'title = { zh = "甲", en = "A" }\n\n'
(t / "tour-nan-duration.toml").write_text(tour + "[[stop]]\n" + stop.format(view='"core"', extra="duration = nan\n"), encoding="utf-8")
(t / "tour-negative-duration.toml").write_text(tour + "[[stop]]\n" + stop.format(view='"core"', extra="duration = -5\n"), encoding="utf-8")
(t / "tour-view-off-the-world.toml").write_text(tour + "[[stop]]\n" + stop.format(view="[106.0, 29.0, 1e300, 30.0]", extra=""), encoding="utf-8")
(t / "tour-no-stops.toml").write_text(tour, encoding="utf-8")
(t / "tour-too-many-stops.toml").write_text(tour + "".join("[[stop]]\n" + stop.format(view='"core"', extra="") for _ in range(1001)), encoding="utf-8")
print("written:", len(list(g.iterdir())), "GeoJSON,", len(list(t.iterdir())), "TOML")
