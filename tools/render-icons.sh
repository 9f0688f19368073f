#!/usr/bin/env bash
# Renders the application icon's PNG sizes (committed; run this after changing an SVG):
# 16 px from assets/icons/chengyu-atlas-16.svg, drawn on that pixel grid, the others from
# assets/icons/chengyu-atlas.svg. Needs CairoSVG (`pip install cairosvg==2.9.1`; ImageMagick's
# own SVG renderer fills the small drawing's curves black).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import pathlib
import cairosvg

for size in [16, 24, 32, 48, 64, 128, 256, 512]:
    source = "assets/icons/chengyu-atlas-16.svg" if size == 16 else "assets/icons/chengyu-atlas.svg"
    out = pathlib.Path(f"assets/icons/hicolor/{size}x{size}/apps/chengyu-atlas.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    cairosvg.svg2png(url=source, write_to=str(out), output_width=size, output_height=size)
PY
# The Windows icon (the .exe's, the Start menu's and the installer's): the same PNGs in one .ico.
convert assets/icons/hicolor/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}/apps/chengyu-atlas.png \
    assets/windows/chengyu-atlas.ico
