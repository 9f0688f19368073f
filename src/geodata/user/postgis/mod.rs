//! A PostGIS table or view as a layer, as QGIS's PostGIS provider reads one: the tables with
//! geometry listed from `geometry_columns` (type, SRID, an estimate of their rows), a layer
//! read within an extent (`&&` on the spatial index, the envelope taken into the table's SRID
//! on the server, the geometries back in WGS-84 as WKB), its fields typed by the server and
//! sent as text, in pages of rows so that a big table can be followed and cancelled.
//!
//! Identifiers are quoted and every value is bound: a table called `x"; DROP TABLE y; --` is
//! looked up by name like any other and never becomes SQL.

pub mod connection;
mod tls;

use geo::Rect;

pub use connection::{Address, forget_password, is_address, is_address_path, remember_password};

use super::{LayerOptions, Read, name_field, push_rows};
use crate::geodata::DataError;
use crate::geodata::fault::{Fault, same};
use crate::geodata::read::Problems;
use crate::model::Text;

/// Rows fetched a page at a time: small enough to follow and cancel, big enough that the
/// round trips cost little.
const PAGE_ROWS: i32 = 5_000;

/// What the English of a refusal starts with when the server wants a password it was not
/// given (or refused the one it was): the window asks for one and tries again.
pub const PASSWORD_NEEDED: &str = "the database asks for a password";

/// Whether `error` (from [`super::load`]) is the server asking for a password.
pub fn needs_password(error: &DataError) -> bool {
    asks_for_password(&error.problem)
}

/// Whether a reason given in English is the server asking for a password.
pub fn asks_for_password(english: &str) -> bool {
    english.contains(PASSWORD_NEEDED)
}

/// A table or view with geometry, as the database lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub schema: String,
    pub name: String,
    pub geometry_column: String,
    /// `POINT`, `MULTIPOLYGON`, `GEOMETRY`…
    pub geometry_type: String,
    pub srid: i32,
    /// The planner's estimate (`pg_class.reltuples`); `None` for a view or a table never
    /// analysed.
    pub rows: Option<u64>,
    pub is_view: bool,
}

impl Table {
    /// The address of this table on `server`.
    pub fn address(&self, server: &Address, tables: &[Table]) -> Address {
        // The geometry column is named only where the table has two.
        let two = tables
            .iter()
            .filter(|t| t.schema == self.schema && t.name == self.name)
            .count()
            > 1;
        server.with_table(
            &self.schema,
            &self.name,
            two.then_some(self.geometry_column.as_str()),
        )
    }
}

/// Connects to `address`'s server (a clear reason when it cannot).
pub fn connect(address: &Address) -> Result<postgres::Client, Text> {
    let config = address.config()?;
    if !address.host.starts_with('/') {
        answers(address, config.get_connect_timeout().copied())?;
    }
    let connected = match address.tls()? {
        tls::Mode::Off => config.connect(postgres::NoTls),
        mode => config.connect(tls::connector(mode, address.root_file().as_deref())?),
    };
    connected.map_err(|error| said(&error, address))
}

/// Whether the server at `address` answers at all within `timeout`, as libpq's
/// `connect_timeout` covers the whole start of a connection: it is asked whether it speaks
/// TLS (PostgreSQL's SSLRequest) and must say yes or no. A port that takes the connection and
/// says nothing (a firewall's black hole, a hung server) is said at once instead of holding
/// the layer's read for ever.
fn answers(address: &Address, timeout: Option<std::time::Duration>) -> Result<(), Text> {
    use std::io::{Read as _, Write as _};
    use std::net::ToSocketAddrs as _;
    let timeout = timeout.unwrap_or(std::time::Duration::from_secs(10));
    let server = format!("{}:{}", address.host, address.port);
    let unreachable = |why: String| {
        Text::new(
            format!("无法连接数据库服务器 {server}：{why}"),
            format!("cannot reach the database server {server}: {why}"),
        )
    };
    let silent = || {
        Text::new(
            format!("数据库服务器 {server} 无响应（超时）"),
            format!("the database server {server} did not answer in time"),
        )
    };
    let targets: Vec<std::net::SocketAddr> = (address.host.as_str(), address.port)
        .to_socket_addrs()
        .map_err(|e| unreachable(e.to_string()))?
        .collect();
    let mut last = None;
    for target in targets {
        let mut stream = match std::net::TcpStream::connect_timeout(&target, timeout) {
            Ok(stream) => stream,
            Err(error) => {
                last = Some(error);
                continue;
            }
        };
        let _ = stream.set_read_timeout(Some(timeout));
        let _ = stream.set_write_timeout(Some(timeout));
        // SSLRequest: length 8, code 80877103.
        let request = [0u8, 0, 0, 8, 4, 210, 22, 47];
        let mut reply = [0u8; 1];
        return match stream
            .write_all(&request)
            .and_then(|()| stream.read_exact(&mut reply))
        {
            Ok(()) => Ok(()),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Err(silent())
            }
            // It closed instead: the real connection says what it is.
            Err(_) => Ok(()),
        };
    }
    Err(match last {
        Some(error) if error.kind() == std::io::ErrorKind::TimedOut => silent(),
        Some(error) => unreachable(error.to_string()),
        None => unreachable("no address".into()),
    })
}

/// Connections kept open between reads of the same server (a layer refreshed as the view
/// moves pays no handshake), as QGIS keeps its connections; a few at most.
static IDLE: std::sync::Mutex<Vec<(String, postgres::Client)>> = std::sync::Mutex::new(Vec::new());
const MOST_IDLE: usize = 4;

/// A connection to `address`'s server: one kept from an earlier read when it still answers,
/// else a new one.
fn pooled(address: &Address) -> Result<postgres::Client, Text> {
    let key = address.server_key();
    loop {
        let kept = IDLE.lock().ok().and_then(|mut idle| {
            let at = idle.iter().position(|(k, _)| *k == key)?;
            Some(idle.swap_remove(at).1)
        });
        let Some(mut client) = kept else {
            return connect(address);
        };
        if client.is_valid(std::time::Duration::from_secs(2)).is_ok() {
            return Ok(client);
        }
    }
}

/// Keeps `client` for the next read of `address`'s server.
fn give_back(address: &Address, client: postgres::Client) {
    if client.is_closed() {
        return;
    }
    if let Ok(mut idle) = IDLE.lock() {
        if idle.len() >= MOST_IDLE {
            idle.remove(0);
        }
        idle.push((address.server_key(), client));
    }
}

/// The tables and views with geometry in `address`'s database, by schema and name.
pub fn list_tables(address: &Address) -> Result<Vec<Table>, Text> {
    let mut client = connect(address)?;
    list_tables_with(&mut client, address, None)
}

/// The tables with geometry, or only those of `only` (schema, name).
fn list_tables_with(
    client: &mut postgres::Client,
    address: &Address,
    only: Option<(&str, &str)>,
) -> Result<Vec<Table>, Text> {
    let sql = format!(
        "SELECT g.f_table_schema::text, g.f_table_name::text, g.f_geometry_column::text, \
                g.type::text, g.srid, c.reltuples::float8, c.relkind::text \
         FROM geometry_columns g \
         JOIN pg_namespace n ON n.nspname = g.f_table_schema \
         JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = g.f_table_name \
         WHERE has_table_privilege(c.oid, 'SELECT') {} \
         ORDER BY 1, 2, 3",
        if only.is_some() {
            "AND g.f_table_schema = $1 AND g.f_table_name = $2"
        } else {
            ""
        }
    );
    let rows = match only {
        Some((schema, name)) => client.query(sql.as_str(), &[&schema, &name]),
        None => client.query(sql.as_str(), &[]),
    }
    .map_err(|error| no_postgis(&error, address))?;
    Ok(rows
        .iter()
        .map(|row| {
            let kind: String = row.get(6);
            let estimate: f64 = row.get(5);
            Table {
                schema: row.get(0),
                name: row.get(1),
                geometry_column: row.get(2),
                geometry_type: row.get(3),
                srid: row.get(4),
                rows: (estimate >= 0.0 && kind == "r").then_some(estimate as u64),
                is_view: kind != "r",
            }
        })
        .collect())
}

/// Reads the layer at `address` (within `extent`, when given) as a format's reader does.
pub(super) fn read(
    address: &Address,
    origin: &str,
    options: &LayerOptions,
) -> Result<Read, DataError> {
    let fail = |text: Text| DataError::new(origin, text);
    let table_name = address.table.clone().ok_or_else(|| {
        fail(Text::new(
            "数据库地址未指明表（table=模式.表）",
            "the database address names no table (table=SCHEMA.TABLE)",
        ))
    })?;
    let mut client = pooled(address).map_err(fail)?;
    let read = read_table(&mut client, address, &table_name, options).map_err(fail);
    give_back(address, client);
    read
}

fn read_table(
    client: &mut postgres::Client,
    address: &Address,
    table_name: &str,
    options: &LayerOptions,
) -> Result<Read, Text> {
    let tables = list_tables_with(client, address, Some((&address.schema, table_name)))?;
    let candidates: Vec<&Table> = tables
        .iter()
        .filter(|t| t.schema == address.schema && t.name == table_name)
        .collect();
    let table = match (&address.geometry, candidates.as_slice()) {
        (_, []) => {
            return Err(Text::new(
                format!(
                    "数据库 {} 中没有带几何的表或视图“{}.{}”（或无权读取）",
                    address.dbname, address.schema, table_name
                ),
                format!(
                    "the database {} has no table or view with geometry called “{}.{}” (or it may not be read)",
                    address.dbname, address.schema, table_name
                ),
            ));
        }
        (None, [one]) => *one,
        (None, several) => {
            let names: Vec<&str> = several.iter().map(|t| t.geometry_column.as_str()).collect();
            return Err(Text::new(
                format!(
                    "表有多个几何列（{}）：请以 &geometry=列名 指明",
                    names.join("、")
                ),
                format!(
                    "the table has several geometry columns ({}): name one with &geometry=COLUMN",
                    names.join(", ")
                ),
            ));
        }
        (Some(wanted), several) => *several
            .iter()
            .find(|t| &t.geometry_column == wanted)
            .ok_or_else(|| {
                Text::new(
                    format!("表中没有几何列“{wanted}”"),
                    format!("the table has no geometry column “{wanted}”"),
                )
            })?,
    };
    let columns = columns_of(client, table).map_err(|e| said(&e, address))?;
    let key = primary_key(client, table)
        .map_err(|e| said(&e, address))?
        .filter(|key| columns.iter().any(|c| &c.name == key));
    read_rows(client, address, table, &columns, key, options)
}

/// A column of the table other than its geometry, with its type as the server names it.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    type_name: String,
}

fn columns_of(
    client: &mut postgres::Client,
    table: &Table,
) -> Result<Vec<Column>, postgres::Error> {
    let rows = client.query(
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), t.typname::text \
         FROM pg_attribute a \
         JOIN pg_class c ON a.attrelid = c.oid \
         JOIN pg_namespace n ON c.relnamespace = n.oid \
         JOIN pg_type t ON a.atttypid = t.oid \
         WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY a.attnum",
        &[&table.schema, &table.name],
    )?;
    Ok(rows
        .iter()
        .filter(|row| {
            let base: String = row.get(2);
            !matches!(base.as_str(), "geometry" | "geography" | "raster")
        })
        .map(|row| Column {
            name: row.get(0),
            type_name: row.get(1),
        })
        .collect())
}

/// The table's one-column primary key, which gives the features their ids.
fn primary_key(
    client: &mut postgres::Client,
    table: &Table,
) -> Result<Option<String>, postgres::Error> {
    let rows = client.query(
        "SELECT a.attname::text FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
         WHERE i.indisprimary AND n.nspname = $1 AND c.relname = $2",
        &[&table.schema, &table.name],
    )?;
    Ok(match rows.as_slice() {
        [one] => Some(one.get(0)),
        _ => None,
    })
}

/// `name` as an SQL identifier: in double quotes, its own quotes doubled.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The query that reads `table` (within `$1‥$4`, a lon/lat box, when `bounded`).
fn select_sql(table: &Table, columns: &[Column], key: Option<&str>, bounded: bool) -> String {
    let geometry = quoted(&table.geometry_column);
    // Into WGS-84 on the server; Z and M dropped there too. A column of one SRID is taken
    // as a whole; one of any SRID (0 in geometry_columns) row by row, a row of SRID 0 as it is.
    let wgs84 = match table.srid {
        4326 => format!("ST_Force2D({geometry})"),
        0 => format!(
            "CASE WHEN ST_SRID({geometry}) IN (0, 4326) THEN ST_Force2D({geometry}) \
             ELSE ST_Transform(ST_Force2D({geometry}), 4326) END"
        ),
        _ => format!("ST_Transform(ST_Force2D({geometry}), 4326)"),
    };
    let mut sql = format!("SELECT ST_AsBinary({wgs84})");
    sql.push_str(&match key {
        Some(key) => format!(", {}::text", quoted(key)),
        None => ", NULL::text".to_string(),
    });
    for column in columns {
        sql.push_str(&format!(", {}::text", quoted(&column.name)));
    }
    sql.push_str(&format!(
        " FROM {}.{}",
        quoted(&table.schema),
        quoted(&table.name)
    ));
    if bounded {
        // The view's box in the column's SRID, a constant (so that `&&` uses the spatial
        // index), its edges bent as a projection bends them.
        let envelope = "ST_MakeEnvelope($1, $2, $3, $4, 4326)";
        let in_srid = match table.srid {
            4326 => envelope.to_string(),
            0 => format!("ST_SetSRID({envelope}, 0)"),
            srid => format!("ST_Transform(ST_Segmentize({envelope}, ($3 - $1) / 16), {srid})"),
        };
        sql.push_str(&format!(" WHERE {geometry} && {in_srid}"));
    }
    sql
}

fn read_rows(
    client: &mut postgres::Client,
    address: &Address,
    table: &Table,
    columns: &[Column],
    key: Option<String>,
    options: &LayerOptions,
) -> Result<Read, Text> {
    let sql = select_sql(table, columns, key.as_deref(), options.extent.is_some());
    let mut transaction = client.transaction().map_err(|e| said(&e, address))?;
    let portal = match options.extent {
        Some(extent) => {
            let (min, max) = (extent.min(), extent.max());
            transaction.bind(sql.as_str(), &[&min.x, &min.y, &max.x, &max.y])
        }
        None => transaction.bind(sql.as_str(), &[]),
    }
    .map_err(|e| said(&e, address))?;
    let mut rows = Vec::new();
    let mut problems = Problems::default();
    let mut unlocated = 0usize;
    let mut index = 0usize;
    let expected = table.rows.unwrap_or(0);
    loop {
        if options
            .progress
            .as_deref()
            .is_some_and(|p| p.is_cancelled())
        {
            return Err(super::cancelled());
        }
        let page = transaction
            .query_portal(&portal, PAGE_ROWS)
            .map_err(|e| said(&e, address))?;
        let last = page.len() < PAGE_ROWS as usize;
        for row in page {
            let id: Option<String> = row.get(1);
            let id = id.unwrap_or_else(|| (index + 1).to_string());
            let values: Vec<String> = (0..columns.len())
                .map(|i| row.get::<_, Option<String>>(i + 2).unwrap_or_default())
                .collect();
            match row.get::<_, Option<&[u8]>>(0) {
                None => unlocated += 1,
                Some(bytes) => match geometry_of(bytes) {
                    Ok(None) => unlocated += 1,
                    Ok(Some(geometry)) => push_rows(&mut rows, id, &values, geometry),
                    Err(error) => {
                        problems.feature(index, Some(id), 0, Fault::GeometryUnreadable, same(error))
                    }
                },
            }
            index += 1;
        }
        if let Some(progress) = options.progress.as_deref() {
            progress.set(index as u64, expected.max(index as u64 + 1));
        }
        if last {
            break;
        }
    }
    let _ = transaction.commit();
    let extent = extent_said(options.extent);
    let (as_wgs84_zh, as_wgs84_en) = if table.srid == 0 {
        ("：按 WGS-84 读取", ": read as WGS-84")
    } else {
        ("", "")
    };
    let (name, column, srid) = (
        format!("{}.{}", table.schema, table.name),
        &table.geometry_column,
        table.srid,
    );
    let mut notes = vec![Text::new(
        format!(
            "PostGIS 表 {name}（{column} 列，SRID {srid}{as_wgs84_zh}），{}",
            extent.zh
        ),
        format!(
            "PostGIS table {name} (column {column}, SRID {srid}{as_wgs84_en}), {}",
            extent.en
        ),
    )];
    if !columns.is_empty() {
        let types: Vec<String> = columns
            .iter()
            .map(|c| format!("{} {}", c.name, c.type_name))
            .collect();
        notes.push(Text::new(
            format!("字段类型：{}", types.join("，")),
            format!("field types: {}", types.join(", ")),
        ));
    }
    if unlocated > 0 {
        let count = crate::geodata::read::problems::thousands(unlocated);
        notes.push(Text::new(
            format!("{count} 行几何为空，未绘制"),
            format!("{count} rows with a NULL or empty geometry are not drawn"),
        ));
    }
    let fields: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    Ok(Read {
        system: Some(format!("EPSG:{}", table.srid)),
        name_field: name_field(&fields),
        fields,
        rows,
        table: None,
        datum: None,
        notes,
        altered: unlocated > 0,
        problems: crate::geodata::grouped_errors(&address.to_uri(), &problems),
    })
}

/// What part of the table was read, in both languages.
fn extent_said(extent: Option<Rect>) -> Text {
    match extent {
        Some(r) => {
            let (min, max) = (r.min(), r.max());
            let span = format!("{:.3}–{:.3}°E", min.x, max.x);
            let height = format!("{:.3}–{:.3}°N", min.y, max.y);
            Text::new(
                format!("读取范围 {span}，{height}"),
                format!("read within {span}, {height}"),
            )
        }
        None => Text::new("全表读取", "read whole"),
    }
}

/// A geometry from WKB; `None` for an empty one.
fn geometry_of(bytes: &[u8]) -> Result<Option<geo::Geometry>, String> {
    super::wkb_geometry(bytes)
}

/// The table list failed: most often PostGIS is not installed in that database.
fn no_postgis(error: &postgres::Error, address: &Address) -> Text {
    if error.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) {
        return Text::new(
            format!(
                "数据库 {} 未安装 PostGIS（没有 geometry_columns）",
                address.dbname
            ),
            format!(
                "the database {} has no PostGIS (no geometry_columns)",
                address.dbname
            ),
        );
    }
    said(error, address)
}

/// What went wrong with the server, in the user's words: unreachable, a password wanted or
/// refused, no such database, a timeout, or the server's own message.
pub fn said(error: &postgres::Error, address: &Address) -> Text {
    use postgres::error::SqlState;
    let server = if address.host.starts_with('/') {
        format!("{}（端口 {}）", address.host, address.port)
    } else {
        format!("{}:{}", address.host, address.port)
    };
    let server_en = server.replace("（端口 ", " (port ").replace('）', ")");
    if let Some(db) = error.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD {
            return Text::new(
                format!("数据库拒绝了 {} 的密码（{PASSWORD_NEEDED}）", address.user),
                format!(
                    "{PASSWORD_NEEDED}: the one given for {} was refused",
                    address.user
                ),
            );
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return Text::new(
                format!("服务器 {server} 上没有数据库“{}”", address.dbname),
                format!(
                    "the server {server_en} has no database “{}”",
                    address.dbname
                ),
            );
        }
        return Text::new(
            format!("数据库报错：{}", db.message()),
            format!("the database says: {}", db.message()),
        );
    }
    let cause = std::error::Error::source(error).map(|s| s.to_string());
    let words = format!("{error}: {}", cause.as_deref().unwrap_or_default());
    if words.contains("password missing") {
        return Text::new(
            format!("数据库要求 {} 的密码（{PASSWORD_NEEDED}）", address.user),
            format!("{PASSWORD_NEEDED} for {}", address.user),
        );
    }
    if words.contains("timed out") || words.contains("timeout") {
        return Text::new(
            format!("数据库服务器 {server} 无响应（超时）"),
            format!("the database server {server_en} did not answer in time"),
        );
    }
    if error.is_closed() || words.contains("connection closed") {
        return Text::new(
            format!("与数据库服务器 {server} 的连接中断"),
            format!("the connection to the database server {server_en} was lost"),
        );
    }
    let cause = cause.unwrap_or_else(|| error.to_string());
    Text::new(
        format!("无法连接数据库服务器 {server}：{cause}"),
        format!("cannot reach the database server {server_en}: {cause}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(srid: i32) -> Table {
        Table {
            schema: "规划".into(),
            name: "x\"; DROP TABLE y; --".into(),
            geometry_column: "geom".into(),
            geometry_type: "POINT".into(),
            srid,
            rows: None,
            is_view: false,
        }
    }

    #[test]
    fn names_are_quoted_and_the_box_is_bound_not_written() {
        let columns = [Column {
            name: "名\"称".into(),
            type_name: "text".into(),
        }];
        let sql = select_sql(&table(4545), &columns, Some("gid"), true);
        assert!(
            sql.contains("FROM \"规划\".\"x\"\"; DROP TABLE y; --\""),
            "{sql}"
        );
        assert!(sql.contains("\"名\"\"称\"::text"), "{sql}");
        assert!(
            sql.contains("ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, 4326)"),
            "{sql}"
        );
        // The box a constant: the spatial index is used.
        let plain = select_sql(&table(4326), &columns, None, true);
        assert!(
            plain.ends_with("&& ST_MakeEnvelope($1, $2, $3, $4, 4326)"),
            "{plain}"
        );
        assert!(sql.ends_with(", 4545)"), "{sql}");
        let whole = select_sql(&table(4326), &columns, None, false);
        assert!(!whole.contains("WHERE"), "{whole}");
    }

    #[test]
    fn wkb_empty_and_broken_geometries_are_told_apart() {
        // POINT(104.06 30.67), little-endian.
        let mut point = vec![1u8, 1, 0, 0, 0];
        point.extend(104.06f64.to_le_bytes());
        point.extend(30.67f64.to_le_bytes());
        let read = geometry_of(&point).expect("parses").expect("parses");
        assert_eq!(read, geo::Geometry::Point(geo::point!(x: 104.06, y: 30.67)));
        // An empty MULTIPOLYGON.
        assert_eq!(
            geometry_of(&[1, 6, 0, 0, 0, 0, 0, 0, 0]).expect("parses"),
            None
        );
        assert!(geometry_of(&point[..10]).is_err());
    }
}
