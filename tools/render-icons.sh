#!/usr/bin/env bash
# Renders the application icon's PNG sizes from assets/icons/chengyu-atlas.svg (ImageMagick;
# Debian: imagemagick). The PNGs are committed; run this after changing the SVG.
set -euo pipefail
cd "$(dirname "$0")/.."
for size in 16 24 32 48 64 128 256 512; do
    dir=assets/icons/hicolor/${size}x${size}/apps
    mkdir -p "$dir"
    convert -background none -density 384 assets/icons/chengyu-atlas.svg \
        -resize "${size}x${size}" -strip "PNG32:$dir/chengyu-atlas.png"
done
