#!/usr/bin/env bash
# Basemap packages for the tests, made by other people's writers from the region's own data
# (geodata/basemap and geodata/zones.geojson), so that row order, compression and schema are
# checked against GDAL's and the PyPI `pmtiles` package's output, not only against our reader.
#
# Needs: Debian's gdal-bin (GDAL 3.6: gdal_rasterize, gdal_translate, gdaladdo, gdal2tiles.py,
# ogr2ogr) and `pip install pmtiles` (pmtiles-convert). Writes tests/data/basemap/.
#
#   raster.mbtiles          PNG tiles, zooms 9–12 (GDAL's MBTiles writer + gdaladdo), TMS rows
#   raster.gpkg             the same as GeoPackage tiles (gdal_translate -of GPKG, GoogleMapsCompatible)
#   raster.pmtiles          the same tiles converted by pmtiles-convert (MBTiles → PMTiles)
#   raster-webp/            WebP tiles in an XYZ folder, zooms 10–11 (gdal2tiles --xyz)
#   raster-tms/             PNG tiles in a TMS folder with tilemapresource.xml (gdal2tiles)
#   gcj-marker.mbtiles      zoom 16 around one vertex of the core zone, with a 5×5 px red
#                           mark where a GCJ-02 map draws that vertex; named after Amap
#   vector.mbtiles          MVT tiles, zooms 6–12 (ogr2ogr -f MBTILES), OpenMapTiles layer
#                           names: water, waterway, boundary, place, transportation
#   vector.pmtiles          the same converted by pmtiles-convert
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=tests/data/basemap
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
rm -rf "$OUT"/raster.mbtiles "$OUT"/raster.pmtiles "$OUT"/raster-webp "$OUT"/raster-tms \
    "$OUT"/gcj-marker.mbtiles "$OUT"/vector.mbtiles "$OUT"/vector.pmtiles

# --- Raster: the science city and the centre of Chongqing at zoom 12 (38.2 m a pixel) -------
W=106.15 S=29.2 E=106.65 N=29.9
to3857() { ogr2ogr -f GeoJSON -t_srs EPSG:3857 -spat $W $S $E $N "$TMP/$2.geojson" "$1" "${@:3}"; }
to3857 geodata/basemap/counties.geojson counties
to3857 geodata/basemap/rivers.geojson rivers
to3857 geodata/zones.geojson zones -where "id IN ('shapingba','jiulongpo','beibei','jiangjin','bishan','core')"
read -r X0 Y0 < <(echo "$W $S" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 -output_xy)
read -r X1 Y1 < <(echo "$E $N" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 -output_xy)
RES=38.21851414258813  # 2·π·6378137 / (256·2^12)
gdal_rasterize -q -init 246 -init 243 -init 235 -burn 246 -burn 243 -burn 235 -ot Byte \
    -a_srs EPSG:3857 -te "$X0" "$Y0" "$X1" "$Y1" -tr $RES $RES -l counties \
    "$TMP/counties.geojson" "$TMP/raster.tif"
gdal_rasterize -q -b 1 -b 2 -b 3 -burn 214 -burn 236 -burn 200 -l zones "$TMP/zones.geojson" "$TMP/raster.tif"
ogr2ogr -f GeoJSON -dialect SQLite -sql "SELECT ST_Boundary(geometry) AS geometry FROM counties" \
    -nln county_lines "$TMP/county-lines.geojson" "$TMP/counties.geojson"
gdal_rasterize -q -b 1 -b 2 -b 3 -burn 120 -burn 110 -burn 130 -l county_lines "$TMP/county-lines.geojson" "$TMP/raster.tif"
gdal_rasterize -q -b 1 -b 2 -b 3 -burn 70 -burn 140 -burn 220 -l rivers "$TMP/rivers.geojson" "$TMP/raster.tif"

gdal_translate -q -of MBTILES -co TILE_FORMAT=PNG -co ZOOM_LEVEL_STRATEGY=LOWER \
    -co NAME="Science city test raster (GDAL)" \
    -co DESCRIPTION="Counties, rivers and science-city districts burned by gdal_rasterize" \
    "$TMP/raster.tif" "$OUT/raster.mbtiles"
gdaladdo -q -r average "$OUT/raster.mbtiles" 2 4 8
sqlite3 "$OUT/raster.mbtiles" "INSERT INTO metadata VALUES ('attribution', 'Test raster from the atlas''s own layers, by GDAL')"
pmtiles-convert "$OUT/raster.mbtiles" "$OUT/raster.pmtiles" >/dev/null
# The same as a GeoPackage's tiles, as GDAL writes them in GoogleMapsCompatible.
rm -f "$OUT/raster.gpkg"
gdal_translate -q -of GPKG -co TILING_SCHEME=GoogleMapsCompatible -co TILE_FORMAT=PNG \
    -co RASTER_TABLE=science_city "$OUT/raster.mbtiles" "$OUT/raster.gpkg"
gdaladdo -q -r average "$OUT/raster.gpkg" 2 4 8

gdal2tiles.py -q --xyz --tiledriver=WEBP -z 10-11 -w none "$TMP/raster.tif" "$OUT/raster-webp"
gdal2tiles.py -q -z 10-11 -w none "$TMP/raster.tif" "$OUT/raster-tms"

# --- GCJ-02: a red mark where GCJ-02 puts the core zone's first vertex, at zoom 16 -----------
read -r VLON VLAT < <(python3 - <<'EOF'
import json
zones = json.load(open("geodata/zones.geojson"))
core = next(f for f in zones["features"] if f["properties"]["id"] == "core")
lon, lat = core["geometry"]["coordinates"][0][0][:2]
print(lon, lat)
EOF
)
read -r GLON GLAT < <(python3 - "$VLON" "$VLAT" <<'EOF'
# The published WGS-84 → GCJ-02 formula (Krasovsky ellipsoid), written independently of the
# atlas's Rust code.
import math, sys
a, ee = 6378245.0, 0.00669342162296594323
def tlat(x, y):
    r = -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.sqrt(abs(x))
    r += (20*math.sin(6*x*math.pi) + 20*math.sin(2*x*math.pi)) * 2/3
    r += (20*math.sin(y*math.pi) + 40*math.sin(y/3*math.pi)) * 2/3
    r += (160*math.sin(y/12*math.pi) + 320*math.sin(y*math.pi/30)) * 2/3
    return r
def tlon(x, y):
    r = 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.sqrt(abs(x))
    r += (20*math.sin(6*x*math.pi) + 20*math.sin(2*x*math.pi)) * 2/3
    r += (20*math.sin(x*math.pi) + 40*math.sin(x/3*math.pi)) * 2/3
    r += (150*math.sin(x/12*math.pi) + 300*math.sin(x/30*math.pi)) * 2/3
    return r
lon, lat = float(sys.argv[1]), float(sys.argv[2])
dlat, dlon = tlat(lon-105, lat-35), tlon(lon-105, lat-35)
rad = math.radians(lat); magic = 1 - ee*math.sin(rad)**2; sq = math.sqrt(magic)
dlat = dlat*180 / ((a*(1-ee)) / (magic*sq) * math.pi)
dlon = dlon*180 / (a/sq*math.cos(rad)*math.pi)
print(f"{lon+dlon:.9f} {lat+dlat:.9f}")
EOF
)
read -r MX MY < <(echo "$GLON $GLAT" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 -output_xy)
RES16=2.388657133911758  # zoom 16
# A 512 × 512 px square around the mark, on the zoom-16 pixel grid.
python3 - "$MX" "$MY" "$RES16" > "$TMP/gcj.txt" <<'EOF'
import math, sys
mx, my, res = map(float, sys.argv[1:])
origin = 20037508.342789244
px, py = math.floor((mx + origin) / res), math.floor((origin - my) / res)
x0, y1 = -origin + (px - 256) * res, origin - (py - 256) * res
print(x0, y1 - 512 * res, x0 + 512 * res, y1, px, py)
EOF
read -r GX0 GY0 GX1 GY1 PX PY < "$TMP/gcj.txt"
gdal_create -q -of GTiff -outsize 512 512 -bands 3 -burn 250 -burn 250 -burn 250 -ot Byte \
    -a_srs EPSG:3857 -a_ullr "$GX0" "$GY1" "$GX1" "$GY0" "$TMP/gcj.tif"
python3 - "$MX" "$MY" "$RES16" > "$TMP/mark.geojson" <<'EOF'
import json, sys
mx, my, res = map(float, sys.argv[1:])
h = 2.5 * res
ring = [[mx-h, my-h], [mx+h, my-h], [mx+h, my+h], [mx-h, my+h], [mx-h, my-h]]
print(json.dumps({"type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
    "features": [{"type": "Feature", "properties": {},
    "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
EOF
gdal_rasterize -q -b 1 -b 2 -b 3 -burn 230 -burn 0 -burn 0 -l mark "$TMP/mark.geojson" "$TMP/gcj.tif"
gdal_translate -q -of MBTILES -co TILE_FORMAT=PNG -co ZOOM_LEVEL_STRATEGY=AUTO \
    -co NAME="Amap-style GCJ-02 marker test" "$TMP/gcj.tif" "$OUT/gcj-marker.mbtiles"
echo "gcj-marker: WGS-84 vertex $VLON $VLAT; GCJ-02 $GLON $GLAT; zoom-16 pixel $PX $PY"

# --- Vector: OpenMapTiles layer names over the same area, zooms 6–12 ------------------------
ogr2ogr -f GPKG "$TMP/omt.gpkg" geodata/basemap/rivers.geojson -nln waterway -spat $W $S $E $N \
    -dialect SQLite -sql "SELECT geometry, 'river' AS class FROM rivers"
ogr2ogr -f GPKG -update "$TMP/omt.gpkg" geodata/basemap/counties.geojson -nln water -spat $W $S $E $N \
    -dialect SQLite -sql "SELECT ST_Buffer(ST_Centroid(geometry), 0.005) AS geometry, 'lake' AS class FROM counties"
ogr2ogr -f GPKG -update "$TMP/omt.gpkg" geodata/basemap/counties.geojson -nln boundary -spat $W $S $E $N \
    -dialect SQLite -sql "SELECT ST_Boundary(geometry) AS geometry, 6 AS admin_level FROM counties"
ogr2ogr -f GPKG -update "$TMP/omt.gpkg" geodata/basemap/places.geojson -nln place -spat $W $S $E $N \
    -dialect SQLite -sql "SELECT geometry, name_zh AS \"name:zh\", name_en AS \"name:en\", name_zh AS name, 'town' AS class FROM places"
ogr2ogr -f GPKG -update "$TMP/omt.gpkg" geodata/basemap/rivers.geojson -nln transportation -spat $W $S $E $N \
    -dialect SQLite -sql "SELECT ST_Translate(geometry, 0.01, 0.01, 0) AS geometry, 'primary' AS class FROM rivers"
ogr2ogr -f MBTILES "$OUT/vector.mbtiles" "$TMP/omt.gpkg" -dsco MINZOOM=6 -dsco MAXZOOM=12 \
    -dsco NAME="Science city test vector (OpenMapTiles names, GDAL)" -t_srs EPSG:3857
pmtiles-convert "$OUT/vector.mbtiles" "$OUT/vector.pmtiles" >/dev/null

du -sh "$OUT"/*
