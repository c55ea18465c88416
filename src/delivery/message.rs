//! The mail a certificate's holder receives, in the certificate's language (English, French or
//! Spanish): their name, the event, the one-time download link and when it expires, the
//! certificate's code and where anyone can check it, and, if staff chose, the PDF attached.
//!
//! Plain text only: no HTML part to render differently in each mail client, no tracking image,
//! no remote content.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};

use crate::language::Language;
use crate::store::certificates::Certificate;

/// What every mail of a server says the same way.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// Base URL of links, e.g. `https://attest.example.org`.
    pub public_url: String,
    /// The issuing organisation, signing the mail.
    pub issuer: String,
    /// The `From:` address, e.g. `attest <no-reply@example.org>`.
    pub mail_from: String,
    /// Hours the download link stays valid.
    pub link_hours: i64,
}

/// The wording of one language. `{name}`, `{title}` and the like are filled in [`compose`].
struct Wording {
    subject: &'static str,
    body: &'static str,
    attached: &'static str,
}

fn wording(language: Language) -> Wording {
    match language {
        Language::Fr => Wording {
            subject: "Votre certificat de participation : {title}",
            body: "Bonjour {name},\n\n\
                   merci d’avoir participé à « {title} ». Votre certificat de participation est prêt ; \
                   téléchargez-le ici :\n\n{link}\n\n\
                   Le lien ne fonctionne qu’une fois et expire le {expires} UTC ; ensuite, demandez-en un nouveau sur\n\
                   {base}/request?lang=fr\n{attached}\n\
                   Son code est {code} ; chacun peut le vérifier sur {base}/verify?lang=fr.\n\n\
                   C’est aussi une attestation numérique (Open Badges 3.0) pour un portefeuille numérique ou un \
                   relevé de formation : le PDF la contient dans le fichier joint credential.json, et\n\
                   {base}/credentials/{id}\nla fournit sans l’empreinte de votre adresse e-mail.\n\n{issuer}\n",
            attached: "\nLe certificat est aussi joint à ce message (PDF).\n",
        },
        Language::Es => Wording {
            subject: "Su certificado de asistencia: {title}",
            body: "Hola, {name}:\n\n\
                   gracias por asistir a «{title}». Su certificado de asistencia está listo; descárguelo aquí:\n\n\
                   {link}\n\n\
                   El enlace funciona una sola vez y caduca el {expires} UTC; después, solicite uno nuevo en\n\
                   {base}/request?lang=es\n{attached}\n\
                   Su código es {code}; cualquiera puede comprobarlo en {base}/verify?lang=es.\n\n\
                   También es una credencial digital (Open Badges 3.0) para una cartera digital o un expediente \
                   de formación: el PDF la lleva en el archivo adjunto credential.json, y\n\
                   {base}/credentials/{id}\nla ofrece sin el hash de su dirección de correo.\n\n{issuer}\n",
            attached: "\nEl certificado también va adjunto a este mensaje (PDF).\n",
        },
        Language::En => Wording {
            subject: "Your certificate of attendance: {title}",
            body: "Hello {name},\n\n\
                   thank you for attending \"{title}\". Your certificate of attendance is ready; download it here:\n\n\
                   {link}\n\n\
                   The link works once and expires on {expires} UTC; after that, ask for a new one at\n\
                   {base}/request\n{attached}\n\
                   Its code is {code}; anyone can check it at {base}/verify.\n\n\
                   It is also a digital credential (Open Badges 3.0) for a wallet or a learning record: \
                   the PDF carries it as the attached file credential.json, and\n\
                   {base}/credentials/{id}\nserves it without the hash of your email address.\n\n{issuer}\n",
            attached: "\nThe certificate is also attached to this message (PDF).\n",
        },
    }
}

/// Why a mail could not be built: an address that does not parse (the certificate's or the
/// sender's). Names the certificate, never the address.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("certificate {0}: its email address cannot be used as a recipient")]
    Recipient(String),
    #[error("the sender address (--mail-from) cannot be used: {0}")]
    Sender(String),
    #[error("certificate {0}: the message cannot be built: {1}")]
    Build(String, String),
}

/// Fills `{key}` placeholders in one pass, so that a value (a name, a title) holding braces is
/// printed as it is and never expanded.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| values.iter().find(|(k, _)| *k == &after[..close]).map(|(_, v)| (close, v)))
        {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The subject and body of the mail for `cert`, in its language.
pub fn text(
    cert: &Certificate,
    event_title: &str,
    link: &str,
    expires: DateTime<Utc>,
    attached: bool,
    s: &MailSettings,
) -> (String, String) {
    let w = wording(cert.language);
    let expires = expires.format("%Y-%m-%d %H:%M").to_string();
    let code = crate::issuance::grouped(&cert.id);
    let values = [
        ("name", cert.name.as_str()),
        ("title", event_title),
        ("link", link),
        ("expires", expires.as_str()),
        ("base", s.public_url.trim_end_matches('/')),
        ("attached", if attached { w.attached } else { "" }),
        ("code", code.as_str()),
        ("id", cert.id.as_str()),
        ("issuer", s.issuer.as_str()),
    ];
    (fill(w.subject, &values), fill(w.body, &values))
}

/// The mail for `cert` with its download `link`. `pdf` is attached when given.
pub fn compose(
    cert: &Certificate,
    event_title: &str,
    link: &str,
    expires: DateTime<Utc>,
    pdf: Option<&[u8]>,
    message_id: &str,
    s: &MailSettings,
) -> Result<lettre::Message, ComposeError> {
    let (subject, body) = text(cert, event_title, link, expires, pdf.is_some(), s);
    let to = cert
        .email
        .as_deref()
        .and_then(|e| e.trim().parse::<lettre::message::Mailbox>().ok())
        .ok_or_else(|| ComposeError::Recipient(cert.id.clone()))?;
    let from = s.mail_from.parse::<lettre::message::Mailbox>().map_err(|e| ComposeError::Sender(e.to_string()))?;
    let builder = lettre::Message::builder().from(from).to(to).subject(subject).message_id(Some(message_id.to_owned()));
    let built = match pdf {
        None => builder.header(ContentType::TEXT_PLAIN).body(body),
        Some(bytes) => builder.multipart(
            MultiPart::mixed().singlepart(SinglePart::plain(body)).singlepart(
                Attachment::new(cert.file_name.clone())
                    .body(bytes.to_vec(), ContentType::parse("application/pdf").expect("a valid media type")),
            ),
        ),
    };
    built.map_err(|e| ComposeError::Build(cert.id.clone(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(language: &str, name: &str) -> Certificate {
        Certificate {
            id: "7KQ2M9XD3F8AWC1T9ZZBH4QKR2".into(),
            event_id: 1,
            person_key: "email:a@example.org".into(),
            name: name.into(),
            email: Some("a@example.org".into()),
            language: language.parse().unwrap(),
            minutes: 90,
            issued_at: Utc::now(),
            kid: "k".into(),
            token: "t".into(),
            status: "valid".into(),
            revoked_at: None,
            revoked_reason: None,
            superseded_by: None,
            pdf_sha256: String::new(),
            file_name: "Zoë_Ünal-7KQ2M.pdf".into(),
            status_position: None,
        }
    }

    fn settings() -> MailSettings {
        MailSettings {
            public_url: "https://attest.example.org/".into(),
            issuer: "Council of Europe".into(),
            mail_from: "attest <no-reply@example.org>".into(),
            link_hours: 72,
        }
    }

    #[test]
    fn each_language_has_its_own_wording_and_the_same_facts() {
        for (lang, words) in [
            ("en", "Your certificate of attendance"),
            ("fr", "Votre certificat de participation"),
            ("es", "Su certificado de asistencia"),
        ] {
            let (subject, body) = text(
                &cert(lang, "Zoë Ünal"),
                "Freedom of expression",
                "https://x.test/download/SECRET",
                Utc::now(),
                lang == "fr",
                &settings(),
            );
            assert_eq!(subject, format!("{words}{} Freedom of expression", if lang == "fr" { " :" } else { ":" }));
            assert!(body.contains("Zoë Ünal") && body.contains("https://x.test/download/SECRET"), "{body}");
            assert!(body.contains("7KQ2M-9XD3F-8AWC1-T9ZZB-H4QKR2"), "{lang}: the code, grouped");
            assert!(body.contains("https://attest.example.org/verify"), "{lang}: no double slash: {body}");
            assert_eq!(body.contains("PDF)."), lang == "fr", "{lang}: the attachment line only when attached");
            assert!(!body.contains('{'), "{lang}: a placeholder left: {body}");
        }
    }

    #[test]
    fn a_name_or_title_holding_a_placeholder_is_printed_as_is() {
        let (subject, body) =
            text(&cert("en", "Zoë {link}"), "On {name}", "https://x/download/SECRET", Utc::now(), false, &settings());
        assert_eq!(body.matches("SECRET").count(), 1, "{body}");
        assert!(body.contains("Hello Zoë {link},") && subject.ends_with("On {name}"), "{body}");
    }

    #[test]
    fn the_pdf_is_attached_only_when_asked() {
        let m = |pdf: Option<&[u8]>| {
            let m = compose(
                &cert("fr", "Zoë"),
                "T",
                "https://x/download/S",
                Utc::now(),
                pdf,
                "<m1@example.org>",
                &settings(),
            );
            String::from_utf8(m.unwrap().formatted()).unwrap()
        };
        assert!(m(None).contains("Message-ID: <m1@example.org>"));
        assert!(!m(None).contains("application/pdf"));
        let with = m(Some(b"%PDF-1.7 fake"));
        assert!(with.contains("application/pdf") && with.contains("multipart/mixed"), "{with}");
    }
}
