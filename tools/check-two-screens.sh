#!/usr/bin/env bash
# F5 on two real screens (issue 31). X.Org's dummy driver gives two RandR outputs — DUMMY0, the
# "laptop", and DUMMY1, the "projector" to its right, 1920×1080 each — and openbox manages the
# windows. The window is started on the laptop and F5 pressed: the main window must go full
# screen on the projector (the audience's view) and the presenter view full screen on the
# laptop; a key sent to the presenter view must move the audience's map; Esc there must end
# both and put the window back where it stood, at its size; with the window dragged onto the
# projector first, F5 gives the audience the other monitor. The kittest tests
# (tests/it/tour.rs) drive the same code with monitors given by hand; this script asks winit
# and a real X server. (A projector unplugged mid-tour is tested by hand-given monitors only:
# winit 0.30 keeps its list of this server's monitors after an output is switched off.)
#
# Usage: tools/check-two-screens.sh [BINARY]   (default: the debug build, made if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/lib/cross.sh
. tools/lib/cross.sh

if ! command -v Xorg >/dev/null || ! [ -f /usr/lib/xorg/modules/drivers/dummy_drv.so ] \
    || ! command -v xrandr >/dev/null || ! command -v xdotool >/dev/null \
    || ! command -v openbox >/dev/null || ! command -v compare >/dev/null \
    || ! ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1; then
    run_as_root apt-get update -qq
    run_as_root apt-get install -y -qq --no-install-recommends xserver-xorg-core \
        xserver-xorg-video-dummy x11-xserver-utils xdotool openbox imagemagick \
        mesa-vulkan-drivers >/dev/null
fi

bin=${1:-${CARGO_TARGET_DIR:-target}/debug/chengyu-atlas}
test -x "$bin" || cargo build --locked --bin chengyu-atlas
work=$(mktemp -d)
display=90
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ -e "/tmp/.X$display-lock" ]; then
        run_as_root kill "$(tr -d ' ' <"/tmp/.X$display-lock")" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A free display number.
while [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; do
    display=$((display + 1))
done
export DISPLAY=":$display"
cat >"$work/xorg.conf" <<'EOF'
Section "Device"
    Identifier "dummy"
    Driver "dummy"
    VideoRam 256000
EndSection
Section "Monitor"
    Identifier "monitor"
    HorizSync 5.0-1000.0
    VertRefresh 5.0-200.0
    Modeline "1920x1080" 148.50 1920 2008 2052 2200 1080 1084 1089 1125 +hsync +vsync
EndSection
Section "Screen"
    Identifier "screen"
    Device "dummy"
    Monitor "monitor"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Virtual 3840 1080
    EndSubSection
EndSection
EOF
say "X.Org with two outputs on $DISPLAY"
run_as_root Xorg "$DISPLAY" -config "$work/xorg.conf" -noreset -nolisten tcp \
    -logfile "$work/xorg.log" >/dev/null 2>&1 &
for _ in $(seq 1 50); do xrandr >/dev/null 2>&1 && break; sleep 0.2; done
xrandr --addmode DUMMY1 1920x1080
xrandr --output DUMMY0 --mode 1920x1080 --pos 0x0 --primary \
    --output DUMMY1 --mode 1920x1080 --pos 1920x0
xrandr | grep '^DUMMY[01] '
openbox >/dev/null 2>&1 &
pids+=($!)
sleep 1

say "The window on the laptop"
mkdir -p "$work/home" "$work/tours"
HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_RUNTIME_DIR="$work" \
    CHENGYU_ATLAS_STATE="$work/state.json" CHENGYU_ATLAS_CACHE="$work/cache" \
    CHENGYU_ATLAS_TOURS="$work/tours" "$bin" >"$work/app.log" 2>&1 &
app=$!
pids+=("$app")
main=$(timeout 120 xdotool search --sync --name 'Chengyu Atlas' | head -1)
xdotool windowsize "$main" 1600 900
xdotool windowmove "$main" 100 60
sleep 3

# geometry WINDOW: "X Y WIDTH HEIGHT" of a window's inside on the desktop.
geometry() {
    local X Y WIDTH HEIGHT
    eval "$(xdotool getwindowgeometry --shell "$1")"
    echo "$X $Y $WIDTH $HEIGHT"
}
# until_true SECONDS COMMAND…: polls a tenth of a second at a time.
until_true() {
    local tries=$(($1 * 10))
    shift
    for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep 0.1; done
    return 1
}
before=$(geometry "$main")
echo "main window: $before"
read -r x _ _ _ <<<"$before"
test "$x" -lt 1920

say "F5: the audience on the projector, the presenter view on the laptop"
xdotool windowactivate --sync "$main"
xdotool key F5
# The presenter view: the program's other window (xdotool's --name does not match Chinese).
other_window() { xdotool search --onlyvisible --pid "$app" | grep -vx "$main" | head -1; }
presenter_window() { test -n "$(other_window)"; }
until_true 30 presenter_window || { cat "$work/app.log"; exit 1; }
presenter=$(other_window)
echo "presenter view: \"$(xdotool getwindowname "$presenter")\""
on_projector() { test "$(geometry "$main")" = "1920 0 1920 1080"; }
on_laptop() { test "$(geometry "$presenter")" = "0 0 1920 1080"; }
until_true 20 on_projector || { echo "main window: $(geometry "$main")"; exit 1; }
until_true 20 on_laptop || { echo "presenter view: $(geometry "$presenter")"; exit 1; }
echo "audience's view: $(geometry "$main") (DUMMY1); presenter view: $(geometry "$presenter") (DUMMY0)"

say "A key in the presenter view moves the audience's map"
sleep 3
import -window root -crop 1920x1080+1920+0 "$work/first.png"
xdotool windowactivate --sync "$presenter"
xdotool key Right
sleep 4
import -window root -crop 1920x1080+1920+0 "$work/second.png"
changed=$(compare -metric AE -fuzz 2% "$work/first.png" "$work/second.png" null: 2>&1 || true)
changed=$(printf '%.0f' "$changed") # ImageMagick writes large counts as 1.6e+06
echo "$changed of 2073600 pixels of the projector changed"
test "$changed" -gt 100000

say "Esc in the presenter view ends both"
xdotool key Escape
gone() { ! presenter_window; }
until_true 20 gone
back() { test "$(geometry "$main")" = "$before"; }
until_true 20 back || { echo "main window: $(geometry "$main")"; exit 1; }
echo "the presenter view closed; the window back where it stood: $(geometry "$main")"
say "The window dragged onto the projector first: F5 swaps the roles"
xdotool windowmove "$main" 2100 100
sleep 2 # the monitors are read again once a second
xdotool windowactivate --sync "$main"
xdotool key F5
until_true 30 presenter_window || { cat "$work/app.log"; exit 1; }
presenter=$(other_window)
on_laptop_now() { test "$(geometry "$main")" = "0 0 1920 1080"; }
on_projector_now() { test "$(geometry "$presenter")" = "1920 0 1920 1080"; }
until_true 20 on_laptop_now || { echo "main window: $(geometry "$main")"; exit 1; }
until_true 20 on_projector_now || { echo "presenter view: $(geometry "$presenter")"; exit 1; }
echo "audience's view: $(geometry "$main") (DUMMY0); presenter view: $(geometry "$presenter") (DUMMY1)"
xdotool windowactivate --sync "$main"
xdotool key Escape
until_true 20 gone

grep -i 'panicked' "$work/app.log" && exit 1
say "two screens: passed"
