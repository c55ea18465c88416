//! RFC 3161 time-stamps, over plain HTTP (as most public TSAs serve them): a request of a fixed
//! shape and one TLV out of the answer do not need an HTTP client crate.
//!
//! What it deliberately does not do: HTTPS, redirects, or check the token it receives (pyHanko
//! does on verification); no answer means no signature, never a silent fall-back to B-B.

use std::time::Duration;

use sha2::{Digest, Sha256};

use super::PdfSignError;
use super::asn1::{OID_SHA256, oid, read_tlv, seq, tlv};

/// Bytes reserved in `/Contents` for a time-stamp token: a TSA's token with its certificate
/// chain is typically 1.5-6 KB.
pub(super) const TSA_RESERVE: usize = 8192;

/// How long a time-stamp authority may take to answer.
const TSA_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a time-stamp could not be had; the signature fails with it (never a silent B-B).
#[derive(Debug, thiserror::Error)]
pub enum TsaError {
    #[error("random number generator: {0}")]
    Random(String),
    #[error("only http:// time-stamp URLs are supported")]
    NotHttp,
    #[error("cannot resolve {authority}: {source}")]
    Resolve { authority: String, source: std::io::Error },
    #[error("cannot resolve {0}")]
    NoAddress(String),
    #[error("cannot connect: {0}")]
    Connect(std::io::Error),
    #[error("{0}")]
    Timeouts(std::io::Error),
    #[error("cannot send: {0}")]
    Send(std::io::Error),
    #[error("no answer: {0}")]
    Receive(std::io::Error),
    #[error("the answer is not HTTP")]
    NotHttpAnswer,
    #[error("answered \"{0}\"")]
    Status(String),
    #[error("the answer is not an RFC 3161 time-stamp response")]
    NotTimeStampResponse,
    #[error("the request was refused (PKIStatus {0})")]
    Refused(u8),
    #[error("the answer holds no time-stamp token")]
    NoToken,
    #[error("its token is {0} bytes, more than the {TSA_RESERVE} reserved")]
    TokenTooLarge(usize),
}

/// Asks the TSA at `url` for a time-stamp token over `signature` (the SignerInfo's signature
/// value) and returns the token (a ContentInfo, DER).
pub(super) fn time_stamp(url: &str, signature: &[u8]) -> Result<Vec<u8>, PdfSignError> {
    request_token(url, signature).map_err(|why| PdfSignError::Tsa { url: url.to_owned(), why })
}

/// [`time_stamp`], its errors without the URL.
fn request_token(url: &str, signature: &[u8]) -> Result<Vec<u8>, TsaError> {
    let imprint = Sha256::digest(signature);
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| TsaError::Random(e.to_string()))?;
    nonce[0] = (nonce[0] & 0x7f) | 0x01;
    let request = seq(&[
        &[2, 1, 1],
        &seq(&[&seq(&[&oid(OID_SHA256)]), &tlv(0x04, &[&imprint])]),
        &tlv(0x02, &[&nonce]),
        &[0x01, 0x01, 0xff], // certReq: the TSA's certificate in the token
    ]);
    let body = http_post(url, "application/timestamp-query", &request)?;
    let bad = || TsaError::NotTimeStampResponse;
    let (_, h, l) = read_tlv(&body).ok_or_else(bad)?;
    let resp = body.get(h..h + l).ok_or_else(bad)?;
    let (_, sh, sl) = read_tlv(resp).ok_or_else(bad)?;
    let status_info = resp.get(sh..sh + sl).ok_or_else(bad)?;
    let (tag, ih, il) = read_tlv(status_info).ok_or_else(bad)?;
    let status = status_info.get(ih..ih + il).filter(|_| tag == 0x02).ok_or_else(bad)?;
    // 0 granted, 1 granted with modifications; anything else is a refusal.
    if status.len() != 1 || status[0] > 1 {
        return Err(TsaError::Refused(status.last().copied().unwrap_or(0)));
    }
    let token = &resp[sh + sl..];
    let (_, th, tl) = read_tlv(token).ok_or(TsaError::NoToken)?;
    let token = token.get(..th + tl).ok_or_else(bad)?;
    if token.len() > TSA_RESERVE {
        return Err(TsaError::TokenTooLarge(token.len()));
    }
    Ok(token.to_vec())
}

/// One HTTP/1.0 POST, the answer's body when the status is 200.
fn http_post(url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, TsaError> {
    use std::io::{Read, Write};
    use std::net::ToSocketAddrs;
    let rest = url.strip_prefix("http://").ok_or(TsaError::NotHttp)?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let target = if authority.contains(':') { authority.to_owned() } else { format!("{authority}:80") };
    let addr = target
        .to_socket_addrs()
        .map_err(|source| TsaError::Resolve { authority: authority.to_owned(), source })?
        .next()
        .ok_or_else(|| TsaError::NoAddress(authority.to_owned()))?;
    let mut s = std::net::TcpStream::connect_timeout(&addr, TSA_TIMEOUT).map_err(TsaError::Connect)?;
    s.set_read_timeout(Some(TSA_TIMEOUT))
        .and_then(|_| s.set_write_timeout(Some(TSA_TIMEOUT)))
        .map_err(TsaError::Timeouts)?;
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {authority}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).and_then(|_| s.write_all(body)).map_err(TsaError::Send)?;
    let mut answer = Vec::new();
    s.take(1 << 20).read_to_end(&mut answer).map_err(TsaError::Receive)?;
    let end = memchr::memmem::find(&answer, b"\r\n\r\n").ok_or(TsaError::NotHttpAnswer)?;
    let line_end = answer.iter().position(|&b| b == b'\r').unwrap_or(end);
    let status_line = String::from_utf8_lossy(&answer[..line_end]).into_owned();
    if status_line.split_whitespace().nth(1) != Some("200") {
        return Err(TsaError::Status(status_line));
    }
    Ok(answer[end + 4..].to_vec())
}
