#!/usr/bin/env bash
# Makes the workbook fixtures in tests/data/user/ (run from the repository root), each from
# the first 20 platforms of platforms-source.geojson, by other people's writers:
#
# - platforms-openpyxl.xlsx: by openpyxl. A first sheet "说明" of notes (no table); a sheet
#   "平台名录" with a title merged across A1:H1, an empty row, the header in row 3 (编号, 名称,
#   类别, 经度, 纬度, 登记日期, 面积, 两倍面积), dates as dates, numbers as numbers, a formula
#   (=G*2, which openpyxl writes without its result), an error cell (#N/A in G of the fifth
#   row), and a row whose latitude is empty (the tenth). The dates and areas are made up (a
#   sample of a list's kinds of cells, not facts).
# - platforms-libreoffice.xlsx, platforms-libreoffice.xls, platforms-libreoffice.ods: that
#   workbook opened and saved by LibreOffice (soffice --headless --convert-to), which computes
#   the formulas' results and keeps them in the file.
# - platforms-protected.xlsx: the openpyxl workbook encrypted with the password "atlas" by
#   msoffcrypto-tool (the ECMA-376 agile encryption Excel uses).
#
# Needs: apt-get install libreoffice-calc-nogui; pip install openpyxl msoffcrypto-tool.
set -euo pipefail
out=tests/data/user
python3 - <<'PY'
import datetime, json
import openpyxl
source = json.load(open("tests/data/user/platforms-source.geojson", encoding="utf-8"))
book = openpyxl.Workbook()
notes = book.active
notes.title = "说明"
notes["A1"] = "本工作簿为测试样表：日期与面积为虚构数值，非事实。"
sheet = book.create_sheet("平台名录")
sheet["A1"] = "重庆科学城平台名录（测试样表）"
sheet.merge_cells("A1:H1")
sheet.append([])
sheet.append(["编号", "名称", "类别", "经度", "纬度", "登记日期", "面积", "两倍面积"])
for i, feature in enumerate(source["features"][:20]):
    p = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    row = 4 + i
    date = datetime.date(2019, 1, 1) + datetime.timedelta(days=37 * i)
    area = "#N/A" if i == 4 else round(10.5 + 3.25 * i, 2)
    sheet.append([p["id"], p["name"], p["category"], lon, None if i == 9 else lat, date, area, f"=G{row}*2"])
    sheet.cell(row=row, column=6).number_format = "yyyy-mm-dd"
book.save("tests/data/user/platforms-openpyxl.xlsx")
PY
tmp=$(mktemp -d)
for format in xlsx xls ods; do
    soffice --headless --calc --convert-to "$format" --outdir "$tmp" "$out/platforms-openpyxl.xlsx" >/dev/null
    mv "$tmp/platforms-openpyxl.$format" "$out/platforms-libreoffice.$format"
done
rm -rf "$tmp"
msoffcrypto-tool -e -p atlas "$out/platforms-openpyxl.xlsx" "$out/platforms-protected.xlsx"
