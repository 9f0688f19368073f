//! TLS to the database as libpq does it (`sslmode`): `prefer` (the default over TCP) and
//! `require` encrypt without checking who answers; `verify-ca` checks the server's certificate
//! against the root certificates (`sslrootcert`, else `~/.postgresql/root.crt`), `verify-full`
//! its name too. A socket on this machine needs none. Through rustls, with ring.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};

use crate::model::Text;

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Plain (a socket, or `sslmode=disable`).
    Off,
    /// Encrypted if the server offers it, unchecked (libpq's default, and `allow`).
    Prefer,
    /// Encrypted, unchecked.
    Require,
    /// Encrypted, the certificate checked against the roots.
    VerifyCa,
    /// Encrypted, the certificate and the server's name checked.
    VerifyFull,
}

impl Mode {
    /// The mode `sslmode` names (`None`: libpq's default, `prefer`).
    pub fn named(sslmode: Option<&str>) -> Result<Mode, Text> {
        Ok(match sslmode.unwrap_or("prefer") {
            "disable" => Mode::Off,
            "allow" | "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            other => {
                return Err(Text::new(
                    format!(
                        "sslmode={other} 无效（可用 disable、prefer、require、verify-ca、verify-full）"
                    ),
                    format!(
                        "sslmode={other} is not a mode (disable, prefer, require, verify-ca, verify-full)"
                    ),
                ));
            }
        })
    }

    /// What the `postgres` crate is told.
    pub fn ssl_mode(self) -> postgres::config::SslMode {
        use postgres::config::SslMode;
        match self {
            Mode::Off => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }
}

/// The TLS connector for `mode`, the roots read from `root_file` (for the verifying modes).
pub fn connector(
    mode: Mode,
    root_file: Option<&std::path::Path>,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, Text> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            Text::new(
                format!("TLS 无法设置（{e}）"),
                format!("TLS cannot be set up ({e})"),
            )
        })?;
    let config = match mode {
        Mode::Off | Mode::Prefer | Mode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Lenient {
                provider,
                chain: None,
            }))
            .with_no_client_auth(),
        Mode::VerifyCa | Mode::VerifyFull => {
            let roots = Arc::new(roots(root_file)?);
            let verifier = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| {
                    Text::new(
                        format!("根证书无法使用（{e}）"),
                        format!("the root certificates cannot be used ({e})"),
                    )
                })?;
            if mode == Mode::VerifyFull {
                builder.with_webpki_verifier(verifier).with_no_client_auth()
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(Lenient {
                        provider,
                        chain: Some(verifier),
                    }))
                    .with_no_client_auth()
            }
        }
    };
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The root certificates in `file` (PEM), as libpq reads `sslrootcert`; a missing file is
/// named, as libpq names it.
fn roots(file: Option<&std::path::Path>) -> Result<RootCertStore, Text> {
    use rustls::pki_types::pem::PemObject as _;
    let default = dirs::home_dir().map(|home| home.join(".postgresql").join("root.crt"));
    let Some(path) = file.map(std::path::Path::to_path_buf).or(default) else {
        return Err(no_roots("~/.postgresql/root.crt"));
    };
    if !path.exists() {
        return Err(no_roots(&path.display().to_string()));
    }
    let mut store = RootCertStore::empty();
    let certificates = CertificateDer::pem_file_iter(&path).map_err(|e| {
        Text::new(
            format!("根证书 {} 无法读取（{e}）", path.display()),
            format!(
                "the root certificate {} cannot be read ({e})",
                path.display()
            ),
        )
    })?;
    for certificate in certificates.flatten() {
        let _ = store.add(certificate);
    }
    if store.is_empty() {
        return Err(Text::new(
            format!("根证书文件 {} 中没有证书", path.display()),
            format!(
                "the root certificate file {} holds no certificate",
                path.display()
            ),
        ));
    }
    Ok(store)
}

fn no_roots(path: &str) -> Text {
    Text::new(
        format!("需要根证书以验证服务器（sslrootcert=文件，或 {path}），但找不到"),
        format!(
            "a root certificate is needed to verify the server (sslrootcert=FILE, or {path}), and there is none"
        ),
    )
}

/// The certificate checks libpq makes short of `verify-full`: none (`prefer`, `require`), or
/// the chain without the name (`verify-ca`). The handshake's signature is checked against the
/// key the server sent either way.
#[derive(Debug)]
struct Lenient {
    provider: Arc<CryptoProvider>,
    /// The roots' verifier, for `verify-ca`.
    chain: Option<Arc<WebPkiServerVerifier>>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
