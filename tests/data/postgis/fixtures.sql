-- The PostGIS fixtures of the database-layer tests (tests/it/postgis.rs), loaded by the tests
-- into the database `chengyu_atlas_test` (made if missing). Every geometry is written here in
-- lon/lat and taken into its table's SRID by PostGIS itself, so that what the atlas reads
-- back can be compared with the lon/lat written. Loaded again whenever this file changes
-- (its version below).
CREATE EXTENSION IF NOT EXISTS postgis;
DROP SCHEMA IF EXISTS atlas CASCADE;
CREATE SCHEMA atlas;

-- Polygons in WGS-84 with typed fields, a NULL and an empty geometry.
CREATE TABLE atlas.parks_4326 (
    gid serial PRIMARY KEY,
    name text,
    area_km2 numeric(8, 2),
    companies integer,
    founded date,
    listed boolean,
    geom geometry(MultiPolygon, 4326)
);
INSERT INTO atlas.parks_4326 (name, area_km2, companies, founded, listed, geom) VALUES
    ('西永微电园', 37.50, 312, '2005-08-18', true,
     ST_Multi(ST_GeomFromText('POLYGON((106.40 29.58, 106.46 29.58, 106.46 29.63, 106.40 29.63, 106.40 29.58))', 4326))),
    ('天府软件园', 2.30, 1200, '2005-01-01', false,
     ST_GeomFromText('MULTIPOLYGON(((104.05 30.53, 104.08 30.53, 104.08 30.56, 104.05 30.56, 104.05 30.53),(104.06 30.54, 104.07 30.54, 104.07 30.55, 104.06 30.55, 104.06 30.54)),((104.10 30.53, 104.11 30.53, 104.11 30.54, 104.10 30.53)))', 4326)),
    ('无边界的园区', NULL, NULL, NULL, NULL, NULL),
    ('空几何', 0, 0, NULL, NULL, ST_GeomFromText('MULTIPOLYGON EMPTY', 4326));
CREATE INDEX ON atlas.parks_4326 USING gist (geom);

-- A view over it (no row estimate; read as a table is).
CREATE VIEW atlas.big_parks AS SELECT gid, name, geom FROM atlas.parks_4326 WHERE area_km2 > 10;

-- Lines in Web Mercator.
CREATE TABLE atlas.roads_3857 (id bigint PRIMARY KEY, name text, geom geometry(LineString, 3857));
INSERT INTO atlas.roads_3857 VALUES
    (7, '成渝高速', ST_Transform(ST_GeomFromText('LINESTRING(104.10 30.60, 105.00 30.10, 106.40 29.60)', 4326), 3857));

-- Points in CGCS2000 (EPSG:4490).
CREATE TABLE atlas.sites_4490 (code text PRIMARY KEY, name text, geom geometry(Point, 4490));
INSERT INTO atlas.sites_4490 VALUES
    ('CQU-HX', '重庆大学虎溪校区', ST_GeomFromText('POINT(106.2997 29.5945)', 4490));

-- Polygons in a CGCS2000 Gauss–Krüger zone (3-degree, central meridian 105°E: EPSG:4544),
-- no primary key (ids are row numbers).
CREATE TABLE atlas.parcels_gk (name text, geom geometry(Polygon, 4544));
INSERT INTO atlas.parcels_gk VALUES
    ('地块 A', ST_Transform(ST_GeomFromText('POLYGON((104.00 30.60, 104.01 30.60, 104.01 30.61, 104.00 30.61, 104.00 30.60))', 4326), 4544));

-- Any geometry: a 3D point, a multipoint, a collection, a line with M.
CREATE TABLE atlas.mixed (id integer PRIMARY KEY, kind text, geom geometry(GeometryZM, 4326));
INSERT INTO atlas.mixed VALUES
    (1, 'point z', ST_Force4D(ST_GeomFromText('POINT Z(104.5 30.5 512)', 4326))),
    (2, 'multipoint', ST_Force4D(ST_GeomFromText('MULTIPOINT((104.6 30.6),(104.7 30.7))', 4326))),
    (3, 'collection', ST_Force4D(ST_GeomFromText('GEOMETRYCOLLECTION(POINT(105 30),LINESTRING(105 30, 105.1 30.1))', 4326))),
    (4, 'line m', ST_Force4D(ST_GeomFromText('LINESTRING M(105.5 29.5 1, 105.6 29.6 2)', 4326)));

-- Two geometry columns: the address must name one.
CREATE TABLE atlas.two_geoms (id integer PRIMARY KEY, name text,
    outline geometry(Polygon, 4326), centre geometry(Point, 4326));
INSERT INTO atlas.two_geoms VALUES
    (1, '两江协同创新区', ST_GeomFromText('POLYGON((106.70 29.70, 106.80 29.70, 106.80 29.80, 106.70 29.70))', 4326),
     ST_GeomFromText('POINT(106.75 29.73)', 4326));

-- A table whose name is an attack: read like any other, and `atlas.y` is still there after.
CREATE TABLE atlas.y (id integer);
CREATE TABLE atlas."x""; DROP TABLE atlas.y; --" (id integer PRIMARY KEY, geom geometry(Point, 4326));
INSERT INTO atlas."x""; DROP TABLE atlas.y; --" VALUES (1, ST_GeomFromText('POINT(104 30)', 4326));

-- A million points over the economic circle, placed by a fixed sequence (no random(): the
-- same table on every machine), indexed and analysed.
CREATE TABLE atlas.points_1m (id integer PRIMARY KEY, category text, geom geometry(Point, 4326));
INSERT INTO atlas.points_1m
SELECT i,
       'c' || (i % 7),
       ST_SetSRID(ST_MakePoint(102.5 + ((i::bigint * 7919) % 1000003) / 1000003.0 * 6.0,
                               28.0 + ((i::bigint * 104729) % 999983) / 999983.0 * 5.0), 4326)
FROM generate_series(1, 1000000) AS i;
CREATE INDEX points_1m_geom ON atlas.points_1m USING gist (geom);
ANALYZE atlas.points_1m;
ANALYZE atlas.parks_4326;

-- A login with a password, reached over TCP (Debian's pg_hba asks for one there).
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'atlas_reader') THEN
        CREATE ROLE atlas_reader LOGIN PASSWORD 'right horse battery';
    END IF;
END $$;
GRANT USAGE ON SCHEMA atlas TO atlas_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA atlas TO atlas_reader;

CREATE TABLE atlas.fixture_version (version text);
INSERT INTO atlas.fixture_version VALUES ('FIXTURE_VERSION');
