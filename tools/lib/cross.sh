# Shared by tools/cross-arm64.sh and tools/cross-windows.sh (sourced, not run): the preamble,
# and the checks that a cross-built binary answers as the x86-64 Linux one does.

export DEBIAN_FRONTEND=noninteractive
run_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { printf '\n== %s\n' "$*"; }

# The x86-64 Linux binary, the baseline, headless, its state in $work.
x86="${CARGO_TARGET_DIR:-target}/release/chengyu-atlas"
run_x86() { env -u DISPLAY -u WAYLAND_DISPLAY HOME="$work" XDG_CONFIG_HOME="$work/config" "$x86" "$@"; }

# same_as_linux NAME RUN [DRIVE]: the binary run by the shell function RUN answers --version,
# validate and identify at fixed points exactly as the x86-64 one (line ends aside), and its
# export differs by float rounding at most. DRIVE prefixes the export's path ("Z:" for wine).
same_as_linux() {
    local name=$1 run=$2 drive=${3:-}
    test -x "$x86" || cargo build --locked --release --bin chengyu-atlas
    "$run" --version
    test "$("$run" --version | tr -d '\r')" = "$(run_x86 --version)"
    "$run" validate | tr -d '\r' >"$work/validate-$name.txt"
    run_x86 validate >"$work/validate-x86.txt"
    diff "$work/validate-x86.txt" "$work/validate-$name.txt"
    echo "validate: the same report"
    # Fixed points: the core, a district, a platform's place, the two cities, open country.
    local points="106.35,29.6 106.45,29.8 106.30,29.45 104.07,30.66 106.55,29.56 105.0,31.5 103.5,28.0"
    # shellcheck disable=SC2086
    "$run" identify --json $points | tr -d '\r' >"$work/identify-$name.json"
    # shellcheck disable=SC2086
    run_x86 identify --json $points >"$work/identify-x86.json"
    diff "$work/identify-x86.json" "$work/identify-$name.json"
    echo "identify: the same JSON, Chinese names as UTF-8, at $(echo $points | wc -w) points"
    "$run" export --view science-city --select core --size 1600x1000 \
        --out "$drive$work/export-$name.png"
    run_x86 export --view science-city --select core --size 1600x1000 --out "$work/export-x86.png"
    # Pixels that differ at all (fuzz 0), then those beyond 1 % of a channel.
    local differing beyond
    differing=$(compare -metric AE "$work/export-x86.png" "$work/export-$name.png" null: 2>&1 || true)
    beyond=$(compare -metric AE -fuzz 1% "$work/export-x86.png" "$work/export-$name.png" null: 2>&1 || true)
    echo "export: $differing of 1600000 pixels differ from x86-64 Linux's; $beyond by more than 1 %"
    # The tolerance: float rounding moves an anti-aliased edge, never a fill; at most 0.1 % of
    # the pixels may differ by more than 1 %.
    test "${beyond%%.*}" -le 1600
}
