#!/usr/bin/env python3
"""Writes assets/crate-licences.tsv: every crate compiled into the app on Linux (normal and
build dependencies, not the tests'), with its version, licence and home page, for the About
window. Re-run after changing Cargo.lock; a test checks the list against Cargo.toml and
Cargo.lock.

    python3 tools/list-crate-licences.py
"""
import json
import pathlib
import subprocess

root = pathlib.Path(__file__).resolve().parent.parent
meta = json.loads(subprocess.run(
    ["cargo", "metadata", "--format-version", "1", "--locked",
     "--filter-platform", "x86_64-unknown-linux-gnu"],
    cwd=root, check=True, capture_output=True, text=True).stdout)
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
root_id = meta["resolve"]["root"]
seen, todo = set(), [root_id]
while todo:
    node = nodes[todo.pop()]
    for dep in node["deps"]:
        kinds = {k["kind"] for k in dep["dep_kinds"]}
        if kinds & {None, "build"} and dep["pkg"] not in seen:
            seen.add(dep["pkg"])
            todo.append(dep["pkg"])
rows = sorted((packages[i]["name"], packages[i]["version"],
               packages[i].get("license") or "see its repository",
               packages[i].get("repository") or packages[i].get("homepage") or "")
              for i in seen)
out = root / "assets/crate-licences.tsv"
out.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
print(f"{out}: {len(rows)} crates")
