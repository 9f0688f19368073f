#!/usr/bin/env bash
# Makes the user-layer fixtures in tests/data/user/ (run from the repository root):
#
# - platforms-source.geojson: the atlas's own platforms (id, name, category; WGS-84), the layer
#   the independent writers start from;
# - platforms-ogr.csv (X/Y columns), platforms-ogr.geojsonl (GeoJSONSeq), written by GDAL's
#   ogr2ogr (Debian gdal-bin) from that source: read back, they must give the same features;
# - platforms-ogr.kml: the same, as KML by ogr2ogr;
# - districts-ogr-wkt.csv: the science city's five districts as WKT, by ogr2ogr;
# - districts-ogr.kmz: the districts as KML by ogr2ogr, zipped by Python's zipfile;
# - platforms-gbk.shp (.shx, .dbf in GBK, .prj, .cpg): the platforms as a Shapefile, by ogr2ogr;
# - districts-cgcs2000-gk105.zip: the districts reprojected by ogr2ogr to CGCS2000 3-degree
#   Gauss–Krüger CM 105E (EPSG:4544), GBK .dbf, zipped by Python's zipfile; the same in
#   WGS 84 / UTM zone 48N (districts-wgs84-utm48n.zip) and Web Mercator
#   (districts-web-mercator.zip);
# - sample-enterprises-gcj02-gbk.csv: 500 made-up enterprises (not facts: a sample of the
#   kind of list staff keep) in GBK, with GCJ-02 coordinates and a category column, by
#   tools/make-sample-enterprises.py;
# - science-city.gpkg: a GeoPackage by ogr2ogr holding the platforms (points, EPSG:4326), the
#   districts in CGCS2000 Gauss–Krüger CM 105E (polygons, EPSG:4544) and the districts'
#   outlines in Web Mercator as 3D lines (EPSG:3857, Z), each with its R-tree index;
# - geometries.gpkg: one table by ogr2ogr from WKT of every kind a GeoPackage holds — multi
#   point, line and polygon, Z, M, ZM (XYZ and XYZM envelopes), an empty and a NULL geometry.
#
# Needs: apt-get install gdal-bin; python3.
set -euo pipefail
out=tests/data/user
mkdir -p "$out"
python3 - <<'PY'
import json
source = json.load(open("geodata/platforms.geojson", encoding="utf-8"))
features = []
for f in source["features"]:
    p = f["properties"]
    features.append({
        "type": "Feature",
        "properties": {"id": p["id"], "name": p["name_zh"], "category": p["category"]},
        "geometry": f["geometry"],
    })
json.dump({"type": "FeatureCollection", "features": features},
          open("tests/data/user/platforms-source.geojson", "w", encoding="utf-8"),
          ensure_ascii=False, indent=0)
zones = json.load(open("geodata/zones.geojson", encoding="utf-8"))
districts = [
    {"type": "Feature", "properties": {"id": f["properties"]["id"], "name": f["properties"]["name_zh"]},
     "geometry": f["geometry"]}
    for f in zones["features"] if f["properties"].get("kind") == "district"
]
json.dump({"type": "FeatureCollection", "features": districts},
          open("/tmp/districts-source.geojson", "w", encoding="utf-8"), ensure_ascii=False)
PY
rm -f "$out/platforms-ogr.csv" "$out/platforms-ogr.geojsonl" "$out/districts-ogr-wkt.csv"
ogr2ogr -f CSV "$out/platforms-ogr.csv" "$out/platforms-source.geojson" -lco GEOMETRY=AS_XY
ogr2ogr -f GeoJSONSeq "$out/platforms-ogr.geojsonl" "$out/platforms-source.geojson"
ogr2ogr -f CSV "$out/districts-ogr-wkt.csv" /tmp/districts-source.geojson -lco GEOMETRY=AS_WKT
rm -f "$out/platforms-ogr.kml" "$out/districts-ogr.kmz"
ogr2ogr -f KML "$out/platforms-ogr.kml" "$out/platforms-source.geojson" -dsco NameField=name
# A KMZ: GDAL's KML of the districts, zipped as doc.kml by Python's zipfile.
ogr2ogr -f KML /tmp/districts-ogr.kml /tmp/districts-source.geojson -dsco NameField=name
python3 -c "import zipfile; z = zipfile.ZipFile('$out/districts-ogr.kmz', 'w', zipfile.ZIP_DEFLATED); z.write('/tmp/districts-ogr.kml', 'doc.kml'); z.close()"
# Shapefiles: the platforms in WGS-84 with a GBK .dbf (and its .cpg), and the districts in
# CGCS2000 / 3-degree Gauss–Krüger CM 105E (EPSG:4544), as a survey office hands them over,
# zipped by Python's zipfile.
rm -f "$out"/platforms-gbk.*
ogr2ogr -f "ESRI Shapefile" "$out/platforms-gbk.shp" "$out/platforms-source.geojson" -lco ENCODING=GBK
# The districts in projected systems, each with the .prj GDAL writes for it: CGCS2000
# Gauss–Krüger CM 105E, WGS 84 / UTM zone 48N (EPSG:32648) and Web Mercator (EPSG:3857).
for system in 4544:cgcs2000-gk105 32648:wgs84-utm48n 3857:web-mercator; do
    epsg=${system%%:*} name=${system#*:}
    rm -rf /tmp/gk "$out/districts-$name.zip" && mkdir -p /tmp/gk
    ogr2ogr -f "ESRI Shapefile" /tmp/gk/districts.shp /tmp/districts-source.geojson -t_srs "EPSG:$epsg" -lco ENCODING=GBK
    python3 -c "
import zipfile, glob, os
z = zipfile.ZipFile('$out/districts-$name.zip', 'w', zipfile.ZIP_DEFLATED)
for f in sorted(glob.glob('/tmp/gk/districts.*')):
    z.write(f, 'districts/' + os.path.basename(f))
z.close()"
done
# A GeoPackage of three feature tables in three systems, as a planning bureau sends one.
rm -f "$out/science-city.gpkg"
ogr2ogr -f GPKG "$out/science-city.gpkg" "$out/platforms-source.geojson" -nln platforms
ogr2ogr -f GPKG -update "$out/science-city.gpkg" /tmp/districts-source.geojson -nln districts_gk105 -t_srs EPSG:4544
ogr2ogr -f GPKG -update "$out/science-city.gpkg" /tmp/districts-source.geojson -nln district_outlines_3857 -t_srs EPSG:3857 -nlt MULTILINESTRING -dim XYZ
python3 tools/make-sample-enterprises.py "$out/sample-enterprises-gcj02-gbk.csv"
ls -la "$out"
# Every kind of geometry, as ogr2ogr writes it from WKT (GEOMETRYZM: one column for all).
cat > /tmp/geometries.csv <<'CSV'
id,name,WKT
m1,多点,"MULTIPOINT ((106.30 29.60),(106.31 29.61))"
ml,多线,"MULTILINESTRING ((106.30 29.60,106.35 29.65),(106.40 29.70,106.45 29.75))"
mp,多面,"MULTIPOLYGON (((106.30 29.60,106.35 29.60,106.35 29.65,106.30 29.60)),((106.40 29.70,106.45 29.70,106.45 29.75,106.40 29.70)))"
z,带高程,"POINT Z (106.32 29.62 310.5)"
m,带量度,"LINESTRING M (106.30 29.60 0,106.33 29.63 4.2)"
zm,高程与量度,"POLYGON ZM ((106.30 29.60 1 0,106.35 29.60 2 1,106.35 29.65 3 2,106.30 29.60 1 0))"
empty,空几何,"POINT EMPTY"
null,无几何,
CSV
rm -f "$out/geometries.gpkg"
ogr2ogr -f GPKG "$out/geometries.gpkg" /tmp/geometries.csv -oo GEOM_POSSIBLE_NAMES=WKT \
    -oo KEEP_GEOM_COLUMNS=NO -nln geometries -nlt GEOMETRYZM -a_srs EPSG:4326
