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

/// Asks the TSA at `url` for a time-stamp token over `signature` (the SignerInfo's signature
/// value) and returns the token (a ContentInfo, DER).
pub(super) fn time_stamp(url: &str, signature: &[u8]) -> Result<Vec<u8>, PdfSignError> {
    let fail = |why: String| PdfSignError::Tsa { url: url.to_owned(), why };
    let imprint = Sha256::digest(signature);
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| fail(format!("random number generator: {e}")))?;
    nonce[0] = (nonce[0] & 0x7f) | 0x01;
    let request = seq(&[
        &[2, 1, 1],
        &seq(&[&seq(&[&oid(OID_SHA256)]), &tlv(0x04, &[&imprint])]),
        &tlv(0x02, &[&nonce]),
        &[0x01, 0x01, 0xff], // certReq: the TSA's certificate in the token
    ]);
    let body = http_post(url, "application/timestamp-query", &request).map_err(fail)?;
    let bad = || fail("the answer is not an RFC 3161 time-stamp response".into());
    let (_, h, l) = read_tlv(&body).ok_or_else(bad)?;
    let resp = body.get(h..h + l).ok_or_else(bad)?;
    let (_, sh, sl) = read_tlv(resp).ok_or_else(bad)?;
    let status_info = resp.get(sh..sh + sl).ok_or_else(bad)?;
    let (tag, ih, il) = read_tlv(status_info).ok_or_else(bad)?;
    let status = status_info.get(ih..ih + il).filter(|_| tag == 0x02).ok_or_else(bad)?;
    // 0 granted, 1 granted with modifications; anything else is a refusal.
    if status.len() != 1 || status[0] > 1 {
        return Err(fail(format!("the request was refused (PKIStatus {})", status.last().copied().unwrap_or(0))));
    }
    let token = &resp[sh + sl..];
    let (_, th, tl) = read_tlv(token).ok_or_else(|| fail("the answer holds no time-stamp token".into()))?;
    let token = token.get(..th + tl).ok_or_else(bad)?;
    if token.len() > TSA_RESERVE {
        return Err(fail(format!("its token is {} bytes, more than the {TSA_RESERVE} reserved", token.len())));
    }
    Ok(token.to_vec())
}

/// One HTTP/1.0 POST, the answer's body when the status is 200.
fn http_post(url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    use std::net::ToSocketAddrs;
    let rest = url.strip_prefix("http://").ok_or("only http:// time-stamp URLs are supported")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let target = if authority.contains(':') { authority.to_owned() } else { format!("{authority}:80") };
    let addr = target
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {authority}"))?;
    let mut s = std::net::TcpStream::connect_timeout(&addr, TSA_TIMEOUT).map_err(|e| format!("cannot connect: {e}"))?;
    s.set_read_timeout(Some(TSA_TIMEOUT))
        .and_then(|_| s.set_write_timeout(Some(TSA_TIMEOUT)))
        .map_err(|e| e.to_string())?;
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {authority}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).and_then(|_| s.write_all(body)).map_err(|e| format!("cannot send: {e}"))?;
    let mut answer = Vec::new();
    s.take(1 << 20).read_to_end(&mut answer).map_err(|e| format!("no answer: {e}"))?;
    let end = memchr::memmem::find(&answer, b"\r\n\r\n").ok_or("the answer is not HTTP")?;
    let line_end = answer.iter().position(|&b| b == b'\r').unwrap_or(end);
    let status_line = String::from_utf8_lossy(&answer[..line_end]).into_owned();
    if status_line.split_whitespace().nth(1) != Some("200") {
        return Err(format!("answered \"{status_line}\""));
    }
    Ok(answer[end + 4..].to_vec())
}
