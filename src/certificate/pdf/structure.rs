//! The structure tree that makes the certificate a Tagged PDF: one element per part of the page
//! in reading order under one Document element, each with the marked-content ids of its lines
//! and a figure its alternative text, and the parent tree that maps the ids back.
//!
//! What it deliberately does not do: mark the content itself ([`super::content`] does, with the
//! roles given here), or nest elements deeper than parts: a certificate's parts are its headings,
//! paragraphs and figures.

use std::collections::BTreeMap;

use unicode_bidi::{BidiClass, bidi_class};

use super::writer::{Writer, fill_refs, int, reference, references, text_string};
use crate::certificate::layout::{Item, Part, SignatoryPart};

/// The structure type of a part of the page.
pub(super) fn role(part: Part) -> &'static [u8] {
    match part {
        Part::Heading => b"H1",
        Part::Logo(_) | Part::Signatory(_, SignatoryPart::Signature) | Part::Qr => b"Figure",
        _ => b"P",
    }
}

/// Writes the structure tree of a page whose marked-content id `i` shows `marked[i]`: one
/// element per part, in reading order (`Part`'s order, not the drawing order), under one
/// Document element; each element holds the marked-content ids of its lines, a figure its
/// alternative text from `alt`. The parent tree maps the ids back to their elements, for readers
/// going from the page to the structure (pdf.js builds its tree that way, and needs `/P` and
/// `/Pg` on every element). `link`, the QR code's link annotation and its description, gets a
/// `Link` element of its own after the others, holding the annotation (an object reference),
/// at `/StructParent 1` of the parent tree. Returns the structure tree root's object number.
pub(super) fn write_structure(
    w: &mut Writer,
    items: &[Item],
    marked: &[Part],
    alt: &[(Part, String)],
    page: u32,
    link: Option<(u32, &str)>,
) -> u32 {
    let mut elements: BTreeMap<Part, Vec<u32>> = BTreeMap::new();
    for (mcid, part) in marked.iter().enumerate() {
        elements.entry(*part).or_default().push(mcid as u32);
    }
    let actual = actual_texts(items);
    let (struct_root, document) = (w.alloc(), w.alloc());
    let element_nums: BTreeMap<Part, u32> = elements.keys().map(|p| (*p, w.alloc())).collect();
    for (part, mcids) in &elements {
        let o = w.packed(element_nums[part]);
        o.extend_from_slice(b"<</S/");
        o.extend_from_slice(role(*part));
        o.extend_from_slice(b"/P ");
        reference(o, document);
        o.extend_from_slice(b"/Pg ");
        reference(o, page);
        if let Some((_, alt)) = alt.iter().find(|(p, _)| p == part) {
            o.extend_from_slice(b"/Alt");
            text_string(o, alt);
        }
        if let Some(text) = actual.get(part) {
            o.extend_from_slice(b"/ActualText");
            text_string(o, text);
        }
        o.extend_from_slice(b"/K");
        if let [one] = mcids[..] {
            o.push(b' ');
            int(o, i64::from(one));
        } else {
            o.push(b'[');
            for (k, mcid) in mcids.iter().enumerate() {
                if k > 0 {
                    o.push(b' ');
                }
                int(o, i64::from(*mcid));
            }
            o.push(b']');
        }
        o.extend_from_slice(b">>");
    }
    let link_element = link.map(|(annot, alt)| {
        let n = w.alloc();
        let o = w.packed(n);
        fill_refs(o, b"<</S/Link/P \0 0 R/Pg \0 0 R/Alt", &[document, page]);
        text_string(o, alt);
        fill_refs(o, b"/K<</Type/OBJR/Obj \0 0 R/Pg \0 0 R>>>>", &[annot, page]);
        n
    });
    let o = w.packed(document);
    o.extend_from_slice(b"<</S/Document/P ");
    reference(o, struct_root);
    o.extend_from_slice(b"/K[");
    references(o, element_nums.values().copied().chain(link_element));
    o.extend_from_slice(b"]>>");
    let o = w.packed(struct_root);
    o.extend_from_slice(b"<</Type/StructTreeRoot/K ");
    reference(o, document);
    // The page's `/StructParents 0`: its marked-content ids, in order, to their elements; the
    // link annotation's `/StructParent 1`: its element.
    o.extend_from_slice(b"/ParentTree<</Nums[0[");
    references(o, marked.iter().map(|part| element_nums[part]));
    o.push(b']');
    if let Some(n) = link_element {
        o.extend_from_slice(b" 1 ");
        reference(o, n);
    }
    o.extend_from_slice(b"]>>/ParentTreeNextKey ");
    int(o, if link_element.is_some() { 2 } else { 1 });
    o.extend_from_slice(b">>");
    struct_root
}

/// The logical text of each part that has right-to-left text. Such lines are drawn in visual
/// order (see `shape`); readers of the structure that take the text in drawing order (poppler's
/// structure text) would give such a part backwards, so it carries its logical text too.
fn actual_texts(items: &[Item]) -> BTreeMap<Part, String> {
    let mut actual: BTreeMap<Part, String> = BTreeMap::new();
    for it in items {
        if let Item::Text { line, part, .. } = it
            && !line.glyphs.is_empty()
        {
            let t = actual.entry(*part).or_default();
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(&line.text);
        }
    }
    actual.retain(|_, t| t.chars().any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL)));
    actual
}
