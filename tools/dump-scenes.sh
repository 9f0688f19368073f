#!/usr/bin/env bash
# Writes the scenes the atlas draws as SVG pages into a folder, for comparing two builds byte
# for byte (a refactoring must change none of them):
#
#     tools/dump-scenes.sh BINARY OUT_DIR
#     tools/dump-scenes.sh target/debug/chengyu-atlas /tmp/before   # then again after, and
#     diff -r /tmp/before /tmp/after
#
# Zones × page sizes × languages, a selection, a vector and a raster basemap package, and user
# layers (a GCJ-02 GBK table, a Gauss–Krüger Shapefile, a KML). The date is left off the pages.
set -euo pipefail
binary=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
data=$root/tests/data
mkdir -p "$out"
common=(--no-date --force)
for lang in zh en; do
  for view in corridor science-city core shapingba bishan 106.2,29.4,106.6,29.8; do
    name=${view//,/_}
    for size in 1920x1080 800x600; do
      "$binary" export "${common[@]}" --lang "$lang" --size "$size" \
        --view "$view" --out "$out/$name-$size-$lang.svg" >/dev/null
    done
  done
  "$binary" export "${common[@]}" --lang "$lang" --view science-city --select core \
    --out "$out/select-core-$lang.svg" >/dev/null
  "$binary" export "${common[@]}" --lang "$lang" --paper a4 --landscape --dpi 150 \
    --view corridor --out "$out/a4-corridor-$lang.svg" >/dev/null
  "$binary" export "${common[@]}" --lang "$lang" --view science-city \
    --basemap "$data/basemap/vector.mbtiles" --out "$out/vector-basemap-$lang.svg" >/dev/null
  "$binary" export "${common[@]}" --lang "$lang" --view science-city \
    --basemap "$data/basemap/raster.mbtiles" --out "$out/raster-basemap-$lang.svg" >/dev/null
  "$binary" export "${common[@]}" --lang "$lang" --view science-city \
    --layer "$data/user/sample-enterprises-gcj02-gbk.csv" --layer-datum gcj02 \
    --layer "$data/user/districts-cgcs2000-gk105.zip" \
    --layer "$data/user/platforms-ogr.kml" \
    --out "$out/user-layers-$lang.svg" >/dev/null || true
done
ls "$out" | wc -l
