"""The same work as `chengyu-atlas identify --layer points.csv 106.3,29.6`, done the way a
Python GIS user would: the CSV into a DataFrame, its coordinates made shapely points, an
STRtree built over them and asked for the point nearest the query. A baseline for
benches/formats.rs (whole process: wall time and peak memory measured from outside)."""
import sys

import pandas as pd
import shapely

frame = pd.read_csv(sys.argv[1])
points = shapely.points(frame["经度"].to_numpy(), frame["纬度"].to_numpy())
tree = shapely.STRtree(points)
hit = tree.query_nearest(shapely.Point(106.3, 29.6), max_distance=0.01)
print(list(frame["名称"].iloc[hit]))
