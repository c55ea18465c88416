//! RDF Dataset Canonicalization (RDFC-1.0) for attest's fixed credential shapes: the N-Quads of
//! a graph written term by term, and canonical blank-node labels.
//!
//! What it deliberately does not do: parse JSON-LD or expand contexts (the callers write their
//! quads as the contexts expand them), or run RDFC-1.0's N-degree hashing: attest's shapes give
//! every blank node a distinct first-degree hash, and two equal hashes are an error
//! ([`Collision`]), never a guess.

use sha2::{Digest, Sha256};

pub(super) const CRED: &str = "https://www.w3.org/2018/credentials#";
pub(super) const STATUS: &str = "https://www.w3.org/ns/credentials/status#";
pub(super) const SEC: &str = "https://w3id.org/security#";
pub(super) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub(super) const XSD_DATETIME: &str = "http://www.w3.org/2001/XMLSchema#dateTime";

/// Two blank nodes of a graph have the same first-degree hash: the shape is not one attest
/// canonicalises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("two blank nodes have the same first-degree hash")]
pub struct Collision;

/// N-Quads string escaping as RDFC-1.0 implementations agree on it (control characters other
/// than line ends never reach here: see `credential::clean`).
pub(super) fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\\', '"', '\n', '\r', '\t']) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.into()
}

#[derive(Clone, Copy)]
pub(super) enum Term<'a> {
    Iri(&'a str),
    /// An IRI in two static halves (vocabulary and term).
    Class(&'static str, &'static str),
    Blank(usize),
    Lit(&'a str, Option<&'a str>),
}

/// A default graph of quads, with blank nodes numbered in creation order until labelled.
#[derive(Default)]
pub(super) struct Graph<'a> {
    quads: Vec<(Term<'a>, [&'static str; 2], Term<'a>)>,
    blanks: usize,
}

impl<'a> Graph<'a> {
    pub(super) fn blank(&mut self) -> Term<'a> {
        self.blanks += 1;
        Term::Blank(self.blanks - 1)
    }

    pub(super) fn add(&mut self, s: Term<'a>, p: &[&'static str; 2], o: Term<'a>) {
        self.quads.push((s, *p, o));
    }

    pub(super) fn typed(&mut self, s: Term<'a>, class: &[&'static str; 2]) {
        self.quads.push((s, ["", RDF_TYPE], o_iri(class)));
    }

    fn write(out: &mut String, t: &Term, label: &dyn Fn(usize) -> String) {
        match t {
            Term::Iri(i) => {
                out.push('<');
                out.push_str(i);
                out.push('>');
            }
            Term::Class(a, b) => {
                out.push('<');
                out.push_str(a);
                out.push_str(b);
                out.push('>');
            }
            Term::Blank(b) => out.push_str(&label(*b)),
            Term::Lit(v, dt) => {
                out.push('"');
                out.push_str(&escape(v));
                out.push('"');
                if let Some(dt) = dt {
                    out.push_str("^^<");
                    out.push_str(dt);
                    out.push('>');
                }
            }
        }
    }

    fn line(q: &(Term, [&str; 2], Term), label: &dyn Fn(usize) -> String) -> String {
        let mut out = String::with_capacity(160);
        Self::write(&mut out, &q.0, label);
        out.push_str(" <");
        out.push_str(q.1[0]);
        out.push_str(q.1[1]);
        out.push_str("> ");
        Self::write(&mut out, &q.2, label);
        out.push_str(" .\n");
        out
    }

    /// RDFC-1.0 for graphs whose blank nodes all have distinct first-degree hashes (4.6): each
    /// blank node's hash is over the sorted quads that mention it, itself written `_:a` and any
    /// other blank node `_:z`; canonical labels `c14n0…` follow the order of the hashes. The
    /// N-degree algorithm is only needed when two hashes are equal, which attest's shapes rule
    /// out; that case is an error rather than a guess.
    pub(super) fn canonical(&self) -> Result<String, Collision> {
        let mut hashes: Vec<(String, usize)> = (0..self.blanks)
            .map(|b| {
                let me = |x: usize| if x == b { "_:a".to_owned() } else { "_:z".to_owned() };
                let mut lines: Vec<String> = self
                    .quads
                    .iter()
                    .filter(|q| matches!(q.0, Term::Blank(x) if x == b) || matches!(q.2, Term::Blank(x) if x == b))
                    .map(|q| Self::line(q, &me))
                    .collect();
                lines.sort_unstable();
                let mut h = Sha256::new();
                for l in &lines {
                    h.update(l.as_bytes());
                }
                (crate::encoding::hex(&h.finalize()), b)
            })
            .collect();
        hashes.sort_unstable();
        if hashes.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(Collision);
        }
        let mut labels = vec![0usize; self.blanks];
        for (i, (_, b)) in hashes.iter().enumerate() {
            labels[*b] = i;
        }
        let label = |b: usize| format!("_:c14n{}", labels[b]);
        let mut lines: Vec<String> = self.quads.iter().map(|q| Self::line(q, &label)).collect();
        lines.sort_unstable();
        lines.dedup();
        Ok(lines.concat())
    }
}

fn o_iri<'a>(class: &[&'static str; 2]) -> Term<'a> {
    Term::Class(class[0], class[1])
}
