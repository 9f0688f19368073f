#!/usr/bin/env bash
# Checks that the library and the binary compile for Windows (x86_64-pc-windows-gnu): no call
# that exists only on Unix outside cfg-guarded code. A check, not a build: nothing is linked.
# Needs the target's standard library and MinGW's C compiler for the crates that build C
# (SQLite, mimalloc):
#     rustup target add x86_64-pc-windows-gnu
#     apt-get install gcc-mingw-w64-x86-64
# About 8 minutes here on a warm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo check --locked --lib --bins --target x86_64-pc-windows-gnu
