#!/usr/bin/env python3
"""Writes a sample list of 500 made-up enterprises in the science city's five districts, as
staff keep them: GBK-encoded CSV, Chinese names, coordinates as Amap's pick-point tool gives
them (GCJ-02), a category column. The names are invented; the positions are random points
around each district's centre. Usage: make-sample-enterprises.py OUT.csv"""
import math
import random
import sys

A = 6378245.0
EE = 0.00669342162296594323


def _lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon, lat):
    dlat = _lat(lon - 105.0, lat - 35.0)
    dlon = _lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


DISTRICTS = [
    ("沙坪坝区", 106.33, 29.60, 0.05),
    ("九龙坡区", 106.38, 29.45, 0.05),
    ("北碚区", 106.42, 29.80, 0.05),
    ("江津区", 106.27, 29.30, 0.06),
    ("璧山区", 106.22, 29.58, 0.05),
]
CATEGORIES = [
    ("智能制造", "智能装备"),
    ("电子信息", "电子科技"),
    ("生物医药", "生物科技"),
    ("新材料", "新材料"),
    ("软件与信息服务", "软件"),
    ("科技服务", "科技服务"),
]
WORDS = "华金川渝嘉陵缙云西永科创天府巴山锦程恒通博睿明远启航新程云帆星河志诚".replace(" ", "")


def main(out):
    rng = random.Random(20261201)
    rows = ["编号,企业名称,类别,所在区,经度,纬度"]
    for n in range(1, 501):
        district, lon, lat, spread = rng.choice(DISTRICTS)
        category, trade = rng.choice(CATEGORIES)
        word = "".join(rng.choice(WORDS) for _ in range(2))
        name = f"重庆{word}{trade}有限公司"
        wlon = lon + rng.gauss(0, spread / 2)
        wlat = lat + rng.gauss(0, spread / 2)
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        rows.append(f"E{n:04d},{name},{category},{district},{glon:.6f},{glat:.6f}")
    with open(out, "wb") as f:
        f.write(("\r\n".join(rows) + "\r\n").encode("gbk"))


if __name__ == "__main__":
    main(sys.argv[1])
