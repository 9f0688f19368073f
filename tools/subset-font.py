#!/usr/bin/env python3
"""Builds assets/fonts/NotoSansSC-Regular-subset.ttf from the npm package
@expo-google-fonts/noto-sans-sc (Noto Sans SC, SIL OFL 1.1).

The subset keeps Latin, punctuation, arrows and symbols, the 6 763 hanzi of GB 2312 (every
character in common simplified use), and every character that occurs in the seeds, the geodata
and the source code. Re-run after adding text with rare characters:

    npm pack @expo-google-fonts/noto-sans-sc@0.4.3 && tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
    pip install fonttools==4.55.0
    python3 tools/subset-font.py package/400Regular/NotoSansSC_400Regular.ttf
"""
import pathlib
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
source = sys.argv[1]
out = root / "assets/fonts/NotoSansSC-Regular-subset.ttf"

chars = set()
for lo, hi in [(0x20, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x2100, 0x215F), (0x2190, 0x21FF),
               (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
               (0x3000, 0x303F), (0xFF00, 0xFFEF)]:
    chars.update(chr(c) for c in range(lo, hi + 1))
# GB 2312: rows 16-87 are the hanzi, rows 1-9 symbols.
for row in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
    for cell in range(0xA1, 0xFF):
        try:
            chars.add(bytes([row, cell]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
texts = list((root / "geodata").rglob("*.geojson")) + list((root / "src").rglob("*.rs"))
texts += list((root / "assets").rglob("*.toml")) + list((root.parent / "shared/seeds").glob("*.txt"))
for path in texts:
    chars.update(path.read_text(encoding="utf-8", errors="ignore"))
chars = sorted(c for c in chars if c.isprintable() or c == " ")
(root / "target").mkdir(exist_ok=True)
listing = root / "target/font-chars.txt"
listing.write_text("".join(chars), encoding="utf-8")
subprocess.run(["pyftsubset", source, f"--text-file={listing}", f"--output-file={out}",
                "--layout-features=*", "--no-hinting", "--desubroutinize"], check=True)
print(f"{out}: {out.stat().st_size // 1024} KiB, {len(chars)} characters requested")
