#!/usr/bin/env bash
# The arm64 Debian package (Phytium and Kunpeng desks with Kylin or UOS), built here and run
# here (issue 32): Debian's aarch64 cross compilers link it, cargo-deb packs it with the same
# contents as the amd64 package, and qemu-user runs the arm64 binary for the checks an
# installer's user relies on — --version, validate, identify at fixed points (the same JSON as
# the x86-64 binary's) and a headless export (the same PNG, pixel for pixel, or the differing
# pixels counted and printed), and a tour's video that ffprobe reads.
#
# Usage: tools/cross-arm64.sh           (needs root or sudo for apt; CI runs it from .ci/run)
# Leaves: target/aarch64-unknown-linux-gnu/debian/chengyu-atlas_*_arm64.deb
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=tools/lib/cross.sh
. tools/lib/cross.sh
target=aarch64-unknown-linux-gnu

say "tools: Debian's aarch64 cross compilers and C library, qemu-user, ImageMagick"
if ! command -v aarch64-linux-gnu-g++ >/dev/null || ! command -v qemu-aarch64 >/dev/null \
    || ! command -v compare >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
    run_as_root apt-get update -qq
    run_as_root apt-get install -y -qq --no-install-recommends gcc-aarch64-linux-gnu \
        g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user imagemagick dpkg-dev >/dev/null
fi
rustup target add "$target" >/dev/null
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --version 3.8.0

# The C and C++ in the tree (SQLite, mimalloc, ring, OpenH264 with its NEON kernels) built by
# the cross compilers; the binary linked by the cross gcc.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
# qemu-user finds the arm64 loader and libraries in the cross C library's folder.
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu

say "cargo deb --target $target"
started=$(date +%s)
out="${CARGO_TARGET_DIR:-target}/$target/debian"
rm -f "$out"/chengyu-atlas_*.deb
cargo deb --locked --target "$target" --output "$out"
echo "built in $(($(date +%s) - started)) s"
deb=$(ls "$out"/chengyu-atlas_*_arm64.deb)
dpkg-deb --info "$deb"
test "$(dpkg-deb --field "$deb" Architecture)" = arm64
file_of() { dpkg-deb --fsys-tarfile "$1" 2>/dev/null | tar -xO "./usr/bin/chengyu-atlas" 2>/dev/null | head -c 20 | od -An -tx1 | tr -d ' \n'; }
# ELF, 64-bit, little-endian; e_machine 0xb7 = AArch64 (bytes 18–19).
test "$(file_of "$deb" | cut -c 37-40)" = b700

say "the same contents as the amd64 package (every file but the binary's bytes)"
amd64=$(ls "${CARGO_TARGET_DIR:-target}"/debian/chengyu-atlas_*_amd64.deb 2>/dev/null | head -1 || true)
if [ -n "$amd64" ]; then
    list() { dpkg-deb --contents "$1" | awk '{print $1, $6}' | sort; }
    diff <(list "$amd64" | awk '{print $2}') <(list "$deb" | awk '{print $2}')
    echo "same file list as $(basename "$amd64")"
else
    echo "no amd64 package built before this (.ci/package-check builds it): list not compared"
fi

say "the arm64 binary under qemu-user"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
arm="$work/root/usr/bin/chengyu-atlas"
run_arm() { env -u DISPLAY -u WAYLAND_DISPLAY HOME="$work" XDG_CONFIG_HOME="$work/config" qemu-aarch64 "$arm" "$@"; }
same_as_linux arm run_arm
# A tour's video: OpenH264 built for arm64 with its NEON kernels, its stream read by ffprobe
# where Debian's ffmpeg is installed (CI installs it).
run_arm export --tour two-poles --out "$work/tour-arm.mp4" --size 320x180 --fps 5 \
    --seconds-per-stop 0.6 2>/dev/null
if command -v ffprobe >/dev/null; then
    probed=$(ffprobe -v error -count_frames -select_streams v:0 \
        -show_entries stream=codec_name,width,nb_read_frames -of csv=p=0 "$work/tour-arm.mp4")
    echo "video: $probed"
    test "$probed" = "h264,320,43"
fi
say "arm64 check passed: $deb"
