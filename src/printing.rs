//! One PDF for printing: many certificate PDFs merged into one file, one page each, in the order
//! given (the attendance list's, chosen by [`crate::issuance::print_file`]).
//!
//! Staff who hand out certificates on paper, or send them to a print shop, want one file rather
//! than a ZIP of hundreds. Each page is the certificate's page exactly as issued (same content
//! stream, fonts, images and QR code), copied object by object with lopdf, so what prints is what
//! was signed.
//!
//! What it deliberately does not do:
//! - **no PDF signature.** A certificate's PAdES signature covers the bytes of its own file; a new
//!   file made of many pages cannot carry it, and attest does not sign the bundle (it is a print
//!   job, not a certificate). Each printed page stays verifiable through its QR code and code.
//! - **no embedded credentials and no signature fields.** The catalog of each certificate (its
//!   `/AF` and `/EmbeddedFiles`, its `/AcroForm`) is not copied, and the signature widget is
//!   removed from each page; unreachable objects are pruned.
//! - **not tagged.** Each certificate's structure tree (for screen readers) stays with its own
//!   file; the pages keep their marked content, which without a tree is only ignored.
//! - **not verifiable as a certificate.** The merged file has no `/AttestToken` of its own;
//!   uploading it to `/verify` is not meant to work. Verify the individual PDFs or the pages'
//!   QR codes.

use lopdf::{Document, Object, ObjectId, dictionary};

/// Why a print file could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("nothing to print: no valid certificates")]
    Empty,
    #[error("certificate {id}: its stored PDF cannot be read: {reason}")]
    Unreadable { id: String, reason: String },
    #[error("writing the print file: {0}")]
    Write(String),
}

/// The merged file and how many pages it has.
#[derive(Debug)]
pub struct PrintFile {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Merges the PDFs (`(certificate id, bytes)`, in print order) into one document whose page *i*
/// is the first page of PDF *i*. `title` becomes the document's title.
pub fn merge<'a>(pdfs: impl IntoIterator<Item = (&'a str, &'a [u8])>, title: &str) -> Result<PrintFile, PrintError> {
    let mut out = Document::with_version("1.7");
    let pages_id = out.new_object_id();
    let mut kids = Vec::new();
    for (id, bytes) in pdfs {
        let unreadable = |reason: String| PrintError::Unreadable { id: id.to_owned(), reason };
        let mut doc = Document::load_mem(bytes).map_err(|e| unreadable(e.to_string()))?;
        doc.renumber_objects_with(out.max_id + 1);
        let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let &page_id = page_ids.first().ok_or_else(|| unreadable("it has no page".into()))?;
        // Only what the page reaches is kept: a certificate's catalog (with its attachment and
        // signature form) and information dictionary are left behind, then pruned.
        let catalog = doc.trailer.get(b"Root").and_then(Object::as_reference).ok();
        let info = doc.trailer.get(b"Info").and_then(Object::as_reference).ok();
        for gone in [catalog, info].into_iter().flatten() {
            doc.objects.remove(&gone);
        }
        let old_pages = doc.get_dictionary(page_id).ok().and_then(|p| p.get(b"Parent").ok()?.as_reference().ok());
        if let Some(p) = old_pages {
            doc.objects.remove(&p);
        }
        let mut page = doc.get_dictionary(page_id).map_err(|e| unreadable(e.to_string()))?.clone();
        strip_signature_widgets(&doc, &mut page);
        // The certificate's structure tree went with its catalog: its page no longer points
        // into it (every page would claim the same parent-tree key). The print file is not
        // tagged; the individual PDFs are.
        page.remove(b"StructParents");
        page.remove(b"Tabs");
        page.set("Parent", pages_id);
        doc.objects.insert(page_id, Object::Dictionary(page));
        out.max_id = out.max_id.max(doc.max_id);
        out.objects.extend(doc.objects);
        kids.push(Object::Reference(page_id));
    }
    if kids.is_empty() {
        return Err(PrintError::Empty);
    }
    let count = kids.len();
    out.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count as i64 }),
    );
    let catalog_id = out.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = out.add_object(dictionary! {
        "Title" => Object::string_literal(utf16_text(title)),
        "Creator" => Object::string_literal("attest"),
    });
    out.trailer.set("Root", catalog_id);
    out.trailer.set("Info", info_id);
    // Widgets, value dictionaries and attachments of the certificates are now unreachable.
    out.prune_objects();
    let mut bytes = Vec::new();
    out.save_modern(&mut bytes).map_err(|e| PrintError::Write(e.to_string()))?;
    Ok(PrintFile { bytes, pages: count })
}

/// Removes form-field widgets (the invisible signature field) and the QR code's link from a
/// page's `/Annots`, keeping any other annotation; an emptied list is removed. The link points
/// into the structure tree the print file leaves out, and on paper the QR code is what links.
fn strip_signature_widgets(doc: &Document, page: &mut lopdf::Dictionary) {
    let Ok(annots) = page.get(b"Annots") else { return };
    let list = match annots {
        Object::Array(a) => a.clone(),
        Object::Reference(r) => doc.get_object(*r).and_then(Object::as_array).cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    let kept: Vec<Object> = list
        .into_iter()
        .filter(|a| {
            let dict = match a {
                Object::Reference(r) => doc.get_dictionary(*r).ok(),
                Object::Dictionary(d) => Some(d),
                _ => None,
            };
            !dict.is_some_and(|d| {
                d.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Widget" || s == b"Link")
            })
        })
        .collect();
    if kept.is_empty() {
        page.remove(b"Annots");
    } else {
        page.set("Annots", kept);
    }
}

/// A PDF text string: UTF-16BE with its byte-order mark, so any script survives.
fn utf16_text(s: &str) -> Vec<u8> {
    let mut b = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        b.extend_from_slice(&u.to_be_bytes());
    }
    b
}
