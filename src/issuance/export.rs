//! What leaves attest as files: the event's PDFs and `manifest.csv` written into a folder (only
//! what is missing or damaged on a rerun), the same as one ZIP, and the print file. Spreadsheet
//! cells are made safe against formula injection here, where the CSV is written.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{IssueError, grouped, verify_url};
use crate::attendance::PersonKey;
use crate::store;
use crate::store::Conn;
use crate::store::certificates::{self, Certificate};
use crate::store::events::Event;

/// Writes a spreadsheet cell that cannot run as a formula when the manifest is opened in Excel
/// or LibreOffice (OWASP "CSV injection").
pub fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '|' | '%') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub files_written: usize,
    pub files_present: usize,
    pub manifest: PathBuf,
    pub zip: Option<PathBuf>,
}

/// Writes through a temporary name so a reader never sees half a file. No fsync: the database
/// holds every PDF and its hash, and a rerun rewrites any file whose hash does not match, so a
/// power cut costs a rerun, not a certificate (1,000 fsyncs were half the time of a batch).
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), IssueError> {
    let io = |source| IssueError::Io { path: path.to_owned(), source };
    let tmp = path.with_extension("part");
    std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes)).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Writes the event's valid certificates into `dir` (only files missing or different), a
/// `manifest.csv`, and optionally a ZIP of both.
pub fn export(
    conn: &Conn,
    event: &Event,
    dir: &Path,
    zip: Option<&Path>,
    public_url: &str,
) -> Result<ExportReport, IssueError> {
    export_skipping(conn, event, dir, zip, public_url, &HashSet::new())
}

/// [`export`], trusting the files of the certificates in `fresh` (just written from their
/// records) instead of reading them back.
pub(super) fn export_skipping(
    conn: &Conn,
    event: &Event,
    dir: &Path,
    zip: Option<&Path>,
    public_url: &str,
    fresh: &HashSet<String>,
) -> Result<ExportReport, IssueError> {
    std::fs::create_dir_all(dir).map_err(|source| IssueError::Io { path: dir.to_owned(), source })?;
    let certs: Vec<Certificate> =
        certificates::for_event(conn, event.id)?.into_iter().filter(|c| c.status == "valid").collect();
    // One file after the other: with two writers, creating and renaming files in one directory
    // spent more time waiting for the directory's lock than it saved.
    let mut written = 0;
    for c in &certs {
        if fresh.contains(&c.id) {
            written += 1;
            continue;
        }
        let path = dir.join(&c.file_name);
        let present = std::fs::read(&path).map(|b| store::imports::sha256_hex(&b) == c.pdf_sha256).unwrap_or(false);
        if !present {
            let pdf = certificates::pdf(conn, &c.id)?.expect("stored with its record");
            write_atomically(&path, &pdf)?;
            written += 1;
        }
    }
    let manifest = dir.join("manifest.csv");
    let bytes = manifest_csv(&certs, public_url)?;
    write_atomically(&manifest, &bytes)?;
    let zip = match zip {
        Some(path) => {
            write_zip(path, dir, &certs, &bytes)?;
            Some(path.to_owned())
        }
        None => None,
    };
    Ok(ExportReport { files_written: written, files_present: certs.len() - written, manifest, zip })
}

/// `manifest.csv`: one line per certificate, with cells that a spreadsheet would run as a
/// formula defused.
fn manifest_csv(certs: &[Certificate], public_url: &str) -> Result<Vec<u8>, IssueError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| IssueError::Invalid(format!("manifest: {e}"));
    w.write_record(["id", "name", "email", "minutes", "file", "verify_url"]).map_err(csv_err)?;
    for c in certs {
        w.write_record([
            grouped(&c.id),
            spreadsheet_safe(&c.name),
            spreadsheet_safe(c.email.as_deref().unwrap_or("")),
            c.minutes.to_string(),
            spreadsheet_safe(&c.file_name),
            verify_url(public_url, &c.token),
        ])
        .map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| IssueError::Invalid(format!("manifest: {e}")))
}

/// Writes PDFs and the manifest into a ZIP. PDFs are already compressed: storing them is as
/// small and much faster.
fn zip_into<W: Write + std::io::Seek>(
    w: W,
    pdfs: impl Iterator<Item = Result<(String, Vec<u8>), IssueError>>,
    manifest: &[u8],
) -> Result<W, IssueError> {
    let mut z = zip::ZipWriter::new(w);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let zerr = |e: zip::result::ZipError| IssueError::Invalid(format!("zip: {e}"));
    let ioerr = |e: std::io::Error| IssueError::Invalid(format!("zip: {e}"));
    for pdf in pdfs {
        let (name, bytes) = pdf?;
        z.start_file(name, opts).map_err(zerr)?;
        z.write_all(&bytes).map_err(ioerr)?;
    }
    z.start_file("manifest.csv", opts).map_err(zerr)?;
    z.write_all(manifest).map_err(ioerr)?;
    z.finish().map_err(zerr)
}

fn write_zip(path: &Path, dir: &Path, certs: &[Certificate], manifest: &[u8]) -> Result<(), IssueError> {
    let io = |source| IssueError::Io { path: path.to_owned(), source };
    let tmp = path.with_extension("part");
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let pdfs = certs.iter().map(|c| {
        let p = dir.join(&c.file_name);
        std::fs::read(&p).map(|b| (c.file_name.clone(), b)).map_err(|source| IssueError::Io { path: p, source })
    });
    zip_into(file, pdfs, manifest)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// The event's valid certificates and their manifest as one ZIP built in memory, straight from
/// the database (the staff console's and the API's download).
pub fn archive(conn: &Conn, event: &Event, public_url: &str) -> Result<Vec<u8>, IssueError> {
    let certs: Vec<Certificate> =
        certificates::for_event(conn, event.id)?.into_iter().filter(|c| c.status == "valid").collect();
    let manifest = manifest_csv(&certs, public_url)?;
    let pdfs = certs.iter().map(|c| {
        let pdf = certificates::pdf(conn, &c.id)?.ok_or_else(|| IssueError::Invalid(format!("no PDF for {}", c.id)))?;
        Ok((c.file_name.clone(), pdf))
    });
    Ok(zip_into(std::io::Cursor::new(Vec::new()), pdfs, &manifest)?.into_inner())
}

/// The event's valid certificates merged into one PDF for printing, one page each, in the order
/// of the attendance list (the staff console's list: by name as normalised for matching), with
/// certificates of people no longer in the list (after a correction) last, by name. The pages
/// are the stored, issued pages; the merged file carries no PDF signature ([`crate::printing`]).
pub fn print_file(conn: &Conn, event: &Event) -> Result<crate::printing::PrintFile, IssueError> {
    let order: HashMap<PersonKey, usize> = store::people::decisions(conn, event)?
        .into_iter()
        .enumerate()
        .flat_map(|(i, d)| d.keys.into_iter().chain([d.key]).map(move |k| (k, i)))
        .collect();
    let mut certs: Vec<Certificate> =
        certificates::for_event(conn, event.id)?.into_iter().filter(|c| c.status == "valid").collect();
    certs.sort_by_cached_key(|c| {
        (order.get(&c.person_key).copied().unwrap_or(usize::MAX), crate::attendance::normalise_name(&c.name))
    });
    let mut pdfs = Vec::with_capacity(certs.len());
    for c in &certs {
        let pdf = certificates::pdf(conn, &c.id)?.ok_or_else(|| IssueError::Invalid(format!("no PDF for {}", c.id)))?;
        pdfs.push(pdf);
    }
    let title = format!("Certificates of attendance – {}", event.title);
    crate::printing::merge(certs.iter().map(|c| c.id.as_str()).zip(pdfs.iter().map(Vec::as_slice)), &title).map_err(
        |e| match e {
            crate::printing::PrintError::Empty => {
                IssueError::Conflict(format!("event {} has no valid certificates to print", event.slug))
            }
            other => IssueError::Print(other),
        },
    )
}
