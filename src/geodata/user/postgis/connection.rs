//! Where a database layer lives, as libpq names it: a URI
//! (`postgresql://USER@HOST:PORT/DB?table=SCHEMA.TABLE`), keywords
//! (`host=/run/postgresql dbname=gis table=public.parks`) or a service of pg_service.conf
//! (`service=NAME`), with the atlas's own two keys, `table` and `geometry`. Passwords come
//! from the URI, `PGPASSWORD`, ~/.pgpass or the user (asked by the window), and are kept in
//! this process only: the address the atlas remembers never holds one.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::model::Text;

/// A database layer's address, parsed: the server, the table and, where the table has two,
/// the geometry column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// A host name, an IP address or a socket folder (starts with `/`).
    pub host: String,
    pub port: u16,
    pub user: String,
    pub dbname: String,
    /// `service=NAME`, where the address named one (kept so that it is written back so).
    pub service: Option<String>,
    pub schema: String,
    pub table: Option<String>,
    pub geometry: Option<String>,
    /// Other libpq keywords given (`sslmode`, `connect_timeout`, `application_name`…).
    pub options: BTreeMap<String, String>,
    /// A password written in the address: used, never written back.
    password: Option<String>,
}

/// The schemes a database layer's address starts with.
const SCHEMES: [&str; 2] = ["postgresql://", "postgres://"];

/// Whether `text` (a layer's "path") is a database address rather than a file.
pub fn is_address(text: &str) -> bool {
    const KEYWORDS: [&str; 5] = ["host=", "hostaddr=", "dbname=", "user=", "port="];
    let text = text.trim();
    SCHEMES.iter().any(|s| text.starts_with(s))
        || text.starts_with("service=")
        || KEYWORDS.iter().any(|k| text.starts_with(k)) && text.contains("table=")
}

/// Whether `path` is a database address.
pub fn is_address_path(path: &Path) -> bool {
    path.to_str().is_some_and(is_address)
}

impl Address {
    /// Parses an address as libpq would, with the environment's defaults (`PGHOST`,
    /// `PGPORT`, `PGUSER`, `PGDATABASE`) and a service's keywords filling what it leaves out.
    pub fn parse(text: &str) -> Result<Address, Text> {
        let text = text.trim();
        let keywords = if let Some(rest) = SCHEMES.iter().find_map(|s| text.strip_prefix(s)) {
            uri_keywords(rest)?
        } else {
            keyword_pairs(text)?
        };
        let mut keywords = keywords;
        if let Some(service) = keywords.get("service").cloned() {
            let from_file = service_keywords(&service)?;
            for (key, value) in from_file {
                keywords.entry(key).or_insert(value);
            }
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut take = |key: &str| keywords.remove(key).filter(|v| !v.is_empty());
        let host = take("host")
            .or_else(|| env("PGHOST"))
            .unwrap_or_else(default_host);
        let port = match take("port").or_else(|| env("PGPORT")) {
            None => 5432,
            Some(port) => port.parse().map_err(|_| {
                Text::new(
                    format!("端口“{port}”不是数字"),
                    format!("the port “{port}” is not a number"),
                )
            })?,
        };
        let user = take("user")
            .or_else(|| env("PGUSER"))
            .unwrap_or_else(current_user);
        let dbname = take("dbname")
            .or_else(|| env("PGDATABASE"))
            .unwrap_or_else(|| user.clone());
        let service = take("service");
        let password = take("password");
        let (schema, table) = match take("table") {
            None => ("public".to_string(), None),
            Some(table) => {
                let (schema, table) = split_table(&table);
                (schema, Some(table))
            }
        };
        let geometry = take("geometry");
        Ok(Address {
            host,
            port,
            user,
            dbname,
            service,
            schema,
            table,
            geometry,
            options: keywords,
            password,
        })
    }

    /// The same server and database, with `table` (and `geometry`) chosen.
    pub fn with_table(&self, schema: &str, table: &str, geometry: Option<&str>) -> Address {
        Address {
            schema: schema.to_string(),
            table: Some(table.to_string()),
            geometry: geometry.map(str::to_string),
            ..self.clone()
        }
    }

    /// The address as the atlas remembers it (the state, a workspace, the layer panel): a
    /// URI without a password, the socket folder as `host=`.
    pub fn to_uri(&self) -> String {
        let mut uri = String::from("postgresql://");
        let mut query: Vec<(String, String)> = Vec::new();
        if let Some(service) = &self.service {
            query.push(("service".into(), service.clone()));
        }
        uri.push_str(&encode(&self.user));
        uri.push('@');
        if self.host.starts_with('/') {
            query.insert(0, ("host".into(), self.host.clone()));
        } else if self.host.contains(':') {
            uri.push_str(&format!("[{}]", self.host));
        } else {
            uri.push_str(&encode(&self.host));
        }
        if self.port != 5432 {
            uri.push_str(&format!(":{}", self.port));
        }
        uri.push('/');
        uri.push_str(&encode(&self.dbname));
        for (key, value) in &self.options {
            query.push((key.clone(), value.clone()));
        }
        if let Some(table) = &self.table {
            let name = if self.schema == "public" && !table.contains('.') {
                table.clone()
            } else {
                format!("{}.{}", self.schema, table)
            };
            query.push(("table".into(), name));
        }
        if let Some(geometry) = &self.geometry {
            query.push(("geometry".into(), geometry.clone()));
        }
        for (i, (key, value)) in query.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.push_str(&format!("{}={}", encode(key), encode(value)));
        }
        uri
    }

    /// "public.parks @ gis" — what the panel calls the layer when it has no name.
    pub fn table_name(&self) -> String {
        match &self.table {
            Some(table) if self.schema == "public" => table.clone(),
            Some(table) => format!("{}.{}", self.schema, table),
            None => self.dbname.clone(),
        }
    }

    /// The password the address itself held.
    pub fn own_password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The password to give the server: the address's own, one the user gave in this
    /// session, `PGPASSWORD`, or ~/.pgpass's.
    pub fn password(&self) -> Option<String> {
        self.password
            .clone()
            .or_else(|| session_password(self))
            .or_else(|| std::env::var("PGPASSWORD").ok())
            .or_else(|| pgpass_password(self))
    }

    /// The server, its database and user, as a key of the passwords given in this session.
    pub(super) fn server_key(&self) -> String {
        format!("{}:{}/{}@{}", self.host, self.port, self.dbname, self.user)
    }

    /// The connection's settings for the `postgres` crate.
    pub(super) fn config(&self) -> Result<postgres::Config, Text> {
        let mut config = postgres::Config::new();
        config
            .user(&self.user)
            .dbname(&self.dbname)
            .port(self.port)
            .application_name("chengyu-atlas");
        // A host that is a folder is the server's Unix socket (Windows has none: there the
        // name is passed on, and the connection says it cannot be reached).
        #[cfg(unix)]
        if self.host.starts_with('/') {
            config.host_path(&self.host);
        } else {
            config.host(&self.host);
        }
        #[cfg(not(unix))]
        config.host(&self.host);
        if let Some(password) = self.password() {
            config.password(password);
        }
        let timeout = self
            .options
            .get("connect_timeout")
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(10);
        config.connect_timeout(std::time::Duration::from_secs(timeout.max(1)));
        for (key, value) in &self.options {
            match key.as_str() {
                "connect_timeout" => {}
                "application_name" => {
                    config.application_name(value);
                }
                "options" => {
                    config.options(value);
                }
                // Said by `tls`, set below.
                "sslmode" | "sslrootcert" => {}
                // Other keywords (target_session_attrs, gssencmode…) change nothing here.
                _ => {}
            }
        }
        config.ssl_mode(self.tls()?.ssl_mode());
        Ok(config)
    }

    /// How the connection is secured: as `sslmode` says (libpq's `prefer` by default); a
    /// socket on this machine, never.
    pub(super) fn tls(&self) -> Result<super::tls::Mode, Text> {
        let mode = super::tls::Mode::named(self.options.get("sslmode").map(String::as_str))?;
        Ok(if self.host.starts_with('/') {
            super::tls::Mode::Off
        } else {
            mode
        })
    }

    /// The root certificates' file `sslrootcert` names, if it names one.
    pub(super) fn root_file(&self) -> Option<std::path::PathBuf> {
        self.options
            .get("sslrootcert")
            .map(std::path::PathBuf::from)
    }
}

/// Remembers `password` for `address`'s server, database and user until the atlas quits.
pub fn remember_password(address: &Address, password: &str) {
    if let Ok(mut passwords) = PASSWORDS.lock() {
        passwords
            .get_or_insert_with(HashMap::new)
            .insert(address.server_key(), password.to_string());
    }
}

/// Forgets a password the user gave for `address` (the server refused it).
pub fn forget_password(address: &Address) {
    if let Ok(mut passwords) = PASSWORDS.lock()
        && let Some(passwords) = passwords.as_mut()
    {
        passwords.remove(&address.server_key());
    }
}

/// The passwords the user typed in this session, by server: in memory only.
static PASSWORDS: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);

fn session_password(address: &Address) -> Option<String> {
    PASSWORDS
        .lock()
        .ok()?
        .as_ref()?
        .get(&address.server_key())
        .cloned()
}

/// libpq's default: the Debian socket folder where it exists, else this machine.
fn default_host() -> String {
    if cfg!(unix) && Path::new("/run/postgresql").is_dir() {
        "/run/postgresql".to_string()
    } else {
        "localhost".to_string()
    }
}

/// libpq's default user: the account running the atlas.
fn current_user() -> String {
    whoami::username()
        .ok()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "postgres".to_string())
}

/// `SCHEMA.TABLE` (a quoted part may hold dots: `"my.schema"."a.b"`), or `TABLE` in public.
fn split_table(text: &str) -> (String, String) {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted && parts.is_empty() => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    match parts.pop() {
        Some(schema) => (schema, current),
        None => ("public".to_string(), current),
    }
}

/// The keywords of a URI after its scheme: `user:password@host:port/db?key=value&…`.
fn uri_keywords(rest: &str) -> Result<BTreeMap<String, String>, Text> {
    let mut keywords = BTreeMap::new();
    let (head, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, dbname) = head.split_once('/').unwrap_or((head, ""));
    let (credentials, hostport) = match authority.rsplit_once('@') {
        Some((credentials, hostport)) => (Some(credentials), hostport),
        None => (None, authority),
    };
    if let Some(credentials) = credentials {
        let (user, password) = match credentials.split_once(':') {
            Some((user, password)) => (user, Some(password)),
            None => (credentials, None),
        };
        keywords.insert("user".into(), decode(user)?);
        if let Some(password) = password {
            keywords.insert("password".into(), decode(password)?);
        }
    }
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(|| bad_address(hostport))?;
        (host.to_string(), after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (decode(host)?, Some(port)),
            None => (decode(hostport)?, None),
        }
    };
    if !host.is_empty() {
        keywords.insert("host".into(), host);
    }
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        keywords.insert("port".into(), port.to_string());
    }
    if !dbname.is_empty() {
        keywords.insert("dbname".into(), decode(dbname)?);
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| bad_address(pair))?;
        keywords.insert(decode(key)?, decode(value)?);
    }
    Ok(keywords)
}

/// `key=value key='quoted value' …`, as libpq's connection strings write them.
fn keyword_pairs(text: &str) -> Result<BTreeMap<String, String>, Text> {
    let mut keywords = BTreeMap::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(bad_address(text));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err(bad_address(text)),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                if c == '\\' {
                    chars.next();
                    value.extend(chars.next());
                    continue;
                }
                value.push(c);
                chars.next();
            }
        }
        keywords.insert(key, value);
    }
    Ok(keywords)
}

fn bad_address(part: &str) -> Text {
    Text::new(
        format!(
            "数据库地址无法解析：“{part}”（应为 postgresql://用户@主机:端口/数据库?table=模式.表）"
        ),
        format!(
            "the database address cannot be read: “{part}” (expected postgresql://USER@HOST:PORT/DB?table=SCHEMA.TABLE)"
        ),
    )
}

/// Percent-decoding (a socket folder is often written `%2Frun%2Fpostgresql`).
fn decode(text: &str) -> Result<String, Text> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or_else(|| bad_address(text))?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad_address(text))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad_address(text))
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' | '.' | '~' | '/' => out.push(c),
            // Chinese table names stay readable in the panel and the state.
            c if !c.is_ascii() => out.push(c),
            c => out.push_str(&format!("%{:02X}", c as u32)),
        }
    }
    out
}

/// The keywords of service `name` in the first pg_service.conf that has it (`PGSERVICEFILE`,
/// ~/.pg_service.conf, `PGSYSCONFDIR`'s, Debian's /etc/postgresql-common).
fn service_keywords(name: &str) -> Result<BTreeMap<String, String>, Text> {
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(file) = std::env::var_os("PGSERVICEFILE") {
        files.push(file.into());
    }
    if let Some(home) = dirs::home_dir() {
        files.push(home.join(".pg_service.conf"));
    }
    if let Some(folder) = std::env::var_os("PGSYSCONFDIR") {
        files.push(PathBuf::from(folder).join("pg_service.conf"));
    }
    files.push("/etc/postgresql-common/pg_service.conf".into());
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        if let Some(found) = service_in(&text, name) {
            return Ok(found);
        }
    }
    Err(Text::new(
        format!("找不到数据库服务“{name}”（pg_service.conf）"),
        format!("no database service “{name}” in pg_service.conf"),
    ))
}

/// Section `[name]` of a pg_service.conf's text.
fn service_in(text: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let mut inside = false;
    let mut found: Option<BTreeMap<String, String>> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = section.trim() == name;
            if inside {
                found.get_or_insert_with(BTreeMap::new);
            }
            continue;
        }
        if inside && let Some((key, value)) = line.split_once('=') {
            found
                .get_or_insert_with(BTreeMap::new)
                .insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    found
}

/// The password ~/.pgpass (or `PGPASSFILE`) gives `address`: the first line whose host,
/// port, database and user match (`*` matches anything; a socket matches `localhost`).
fn pgpass_password(address: &Address) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|home| home.join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    pgpass_in(&text, address)
}

fn pgpass_in(text: &str, address: &Address) -> Option<String> {
    let host = if address.host.starts_with('/') {
        "localhost"
    } else {
        &address.host
    };
    let port = address.port.to_string();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = pgpass_fields(line);
        let [h, p, d, u, password] = fields.as_slice() else {
            continue;
        };
        let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        if matches(h, host)
            && matches(p, &port)
            && matches(d, &address.dbname)
            && matches(u, &address.user)
        {
            return Some(password.clone());
        }
    }
    None
}

/// A .pgpass line's five fields, split on `:` with `\:` and `\\` escaped.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_gives_server_table_and_geometry_and_keeps_no_password() {
        let address =
            Address::parse("postgresql://wang:s%40cret@db.example.cn:5433/gis?table=planning.parcels&geometry=geom_2&sslmode=disable")
                .expect("parses");
        assert_eq!(address.host, "db.example.cn");
        assert_eq!(address.port, 5433);
        assert_eq!(address.user, "wang");
        assert_eq!(address.dbname, "gis");
        assert_eq!(address.schema, "planning");
        assert_eq!(address.table.as_deref(), Some("parcels"));
        assert_eq!(address.geometry.as_deref(), Some("geom_2"));
        assert_eq!(address.password().as_deref(), Some("s@cret"));
        let uri = address.to_uri();
        assert!(!uri.contains("cret"), "{uri}");
        assert_eq!(
            uri,
            "postgresql://wang@db.example.cn:5433/gis?sslmode=disable&table=planning.parcels&geometry=geom_2"
        );
        // What is written reads back as the same address (but for the password).
        let again = Address::parse(&uri).expect("parses");
        assert_eq!(again.to_uri(), uri);
    }

    #[test]
    fn a_socket_folder_is_a_host_keyword_and_keywords_read_as_libpq_writes_them() {
        let address =
            Address::parse("postgresql://atlas@/gis?host=/run/postgresql&table=public.企业")
                .expect("parses");
        assert_eq!(address.host, "/run/postgresql");
        assert_eq!(address.table.as_deref(), Some("企业"));
        assert_eq!(
            address.to_uri(),
            "postgresql://atlas@/gis?host=/run/postgresql&table=企业"
        );
        let keywords = Address::parse(
            "host=/run/postgresql dbname='my db' user=atlas table='\"odd.schema\".\"a.b\"'",
        )
        .expect("parses");
        assert_eq!(keywords.dbname, "my db");
        assert_eq!(keywords.schema, "odd.schema");
        assert_eq!(keywords.table.as_deref(), Some("a.b"));
        assert!(is_address("host=/run/postgresql dbname=gis table=t"));
        assert!(is_address("postgres://h/db?table=t"));
        assert!(!is_address("/home/wang/企业.csv"));
        assert!(!is_address("C:\\data\\dbname=x table=y.csv"));
    }

    #[test]
    fn a_bad_port_or_a_torn_escape_is_said() {
        let error = Address::parse("postgresql://u@h:54x/db").expect_err("an error");
        assert!(error.en.contains("port"), "{}", error.en);
        let error = Address::parse("postgresql://u@h/db%2").expect_err("an error");
        assert!(error.en.contains("cannot be read"), "{}", error.en);
    }

    #[test]
    fn pgpass_lines_match_by_host_port_database_and_user() {
        let address = Address::parse("postgresql://atlas@db:5432/gis?table=t").expect("parses");
        let text = "# comment\nother:5432:gis:atlas:no\ndb:*:gis:atlas:pa\\:ss\n*:*:*:*:fallback\n";
        assert_eq!(pgpass_in(text, &address).as_deref(), Some("pa:ss"));
        let socket =
            Address::parse("postgresql://atlas@/gis?host=/run/postgresql").expect("parses");
        assert_eq!(
            pgpass_in("localhost:5432:gis:atlas:local\n", &socket).as_deref(),
            Some("local")
        );
    }

    #[test]
    fn a_service_section_fills_what_the_address_leaves_out() {
        let text = "[other]\nhost=x\n[gis-team]\nhost=10.0.0.5\nport=6432\ndbname=planning\n";
        let found = service_in(text, "gis-team").expect("parses");
        assert_eq!(found.get("port").map(String::as_str), Some("6432"));
        assert!(service_in(text, "none").is_none());
    }

    #[test]
    fn a_password_given_in_the_session_is_used_and_forgotten() {
        let address = Address::parse("postgresql://session-test@h9/db?table=t").expect("parses");
        remember_password(&address, "typed");
        assert_eq!(session_password(&address).as_deref(), Some("typed"));
        forget_password(&address);
        assert_eq!(session_password(&address), None);
    }
}
