//! The HTTP client the OpenID Connect flow uses to reach the provider (discovery, keys, token
//! endpoint): one request per connection, HTTP/1.1 over TCP or TLS, redirects never followed.
//!
//! Built on hyper and rustls, which the service already has (axum's server, lettre's SMTP), so
//! `openidconnect` runs without its default reqwest client and the second TLS stack it brings.
//! Three requests per sign-in at most, so no connection pool. Not following redirects is a
//! security choice the crate asks for: a redirect could point the server at an internal address.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, pki_types::ServerName};

/// Discovery documents and key sets are a few KiB; anything this large is not one.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// A provider that has not answered by then is down for this sign-in.
const TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("the provider's URL {0} is not http(s)://host[:port]/…")]
    Url(String),
    #[error("connecting to {host}: {source}")]
    Connect { host: String, source: std::io::Error },
    #[error("TLS with {host}: {source}")]
    Tls { host: String, source: std::io::Error },
    #[error("HTTP with {host}: {source}")]
    Http { host: String, source: hyper::Error },
    #[error("reading the answer of {host}: {message}")]
    Body { host: String, message: String },
    #[error("{host} did not answer within {} s", TIMEOUT.as_secs())]
    Timeout { host: String },
}

/// The TLS settings: the Mozilla roots (webpki-roots), so the answer is the same on every
/// machine and container image, whatever its CA bundle.
fn tls() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    Arc::clone(CONFIG.get_or_init(|| {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Arc::new(config)
    }))
}

/// Sends one request and returns the answer as it came (a 3xx is returned, not followed).
pub async fn send(request: openidconnect::HttpRequest) -> Result<openidconnect::HttpResponse, HttpError> {
    let host = request.uri().host().unwrap_or_default().to_owned();
    tokio::time::timeout(TIMEOUT, exchange(request)).await.unwrap_or(Err(HttpError::Timeout { host }))
}

async fn exchange(request: openidconnect::HttpRequest) -> Result<openidconnect::HttpResponse, HttpError> {
    let uri = request.uri().clone();
    let bad = || HttpError::Url(uri.to_string());
    let host = uri.host().ok_or_else(bad)?.to_owned();
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(bad()),
    };
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let tcp = TcpStream::connect((host.trim_start_matches('[').trim_end_matches(']'), port))
        .await
        .map_err(|source| HttpError::Connect { host: host.clone(), source })?;
    let (mut parts, body) = request.into_parts();
    // HTTP/1.1 sends the path; the host goes in its header.
    parts.uri = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").parse().map_err(|_| bad())?;
    let authority = uri.authority().ok_or_else(bad)?.as_str().to_owned();
    parts.headers.insert(hyper::header::HOST, authority.parse().map_err(|_| bad())?);
    let request = hyper::Request::from_parts(parts, Full::new(Bytes::from(body)));
    let response = if https {
        let name = ServerName::try_from(host.clone()).map_err(|_| bad())?;
        let tls = TlsConnector::from(tls())
            .connect(name, tcp)
            .await
            .map_err(|source| HttpError::Tls { host: host.clone(), source })?;
        round_trip(TokioIo::new(tls), request, &host).await?
    } else {
        round_trip(TokioIo::new(tcp), request, &host).await?
    };
    Ok(response)
}

async fn round_trip<IO>(
    io: IO,
    request: hyper::Request<Full<Bytes>>,
    host: &str,
) -> Result<openidconnect::HttpResponse, HttpError>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let http = |source| HttpError::Http { host: host.to_owned(), source };
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.map_err(http)?;
    // The connection is driven beside the request and ends with it.
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "OpenID provider connection closed with an error");
        }
    });
    let response = sender.send_request(request).await.map_err(http)?;
    let (parts, body) = response.into_parts();
    let bytes = Limited::new(body, MAX_RESPONSE_BYTES)
        .collect()
        .await
        .map_err(|e| HttpError::Body { host: host.to_owned(), message: e.to_string() })?
        .to_bytes();
    Ok(hyper::Response::from_parts(parts, bytes.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A server that answers one request with `answer` and hands back what it received.
    fn one_shot(answer: &'static str) -> (String, std::thread::JoinHandle<String>) {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        let t = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            s.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
                if String::from_utf8_lossy(&got).contains("\r\n\r\nbody=1") {
                    break;
                }
            }
            s.write_all(answer.as_bytes()).unwrap();
            String::from_utf8_lossy(&got).into_owned()
        });
        (url, t)
    }

    #[tokio::test]
    async fn a_post_carries_its_length_and_host_and_a_redirect_is_returned_not_followed() {
        let (url, t) = one_shot("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n");
        let req = hyper::Request::post(format!("{url}/token?x=1"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"body=1".to_vec())
            .unwrap();
        let res = send(req).await.unwrap();
        assert_eq!(res.status(), 302);
        let got = t.join().unwrap().to_ascii_lowercase();
        assert!(got.starts_with("post /token?x=1 http/1.1\r\n"), "{got}");
        assert!(got.contains("content-length: 6\r\n"), "{got}");
        assert!(got.contains(&format!("host: {}\r\n", url.trim_start_matches("http://"))), "{got}");
    }
}
