//! The words of the public pages in English, French and Spanish: a phrase catalogue ([`Key`])
//! and date formats ([`Words`], on [`Language`]), and `Accept-Language` negotiation.
//!
//! Deliberately not here: the language type itself (`crate::language`, shared with
//! certificates), and the staff console's words (`console::text`, English and French).

use crate::language::Language;

/// The best language of an `Accept-Language` header that `parse` knows, by quality (the first
/// one on a tie; `q=0` means "not this one"). Shared with the staff console, which offers a
/// different set of languages (`console::text`).
pub fn negotiate<T: Copy>(header: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    let mut best: Option<(f32, T)> = None;
    for part in header.split(',') {
        let mut it = part.trim().split(';');
        let tag = it.next().unwrap_or("");
        let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse().ok()).unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        if let Some(l) = parse(tag) {
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, l));
            }
        }
    }
    best.map(|(_, l)| l)
}

/// What the public pages say in a [`Language`]: their phrases and their date formats. A trait
/// on the one language type (the pages are shown in the attendee's certificate language, so the
/// set is the same by design) rather than a second enum of the same three languages; it lives
/// here because the words are the web layer's.
pub trait Words: Copy {
    /// A phrase of the public pages in this language.
    fn t(self, key: Key) -> &'static str;
    /// A date as the certificate prints it in this language: "14 March 2025", "14 mars 2025",
    /// "14 de marzo de 2025".
    fn date(self, d: chrono::NaiveDate) -> String;
    /// [`Words::date`] of a text starting with an ISO date (`2025-03-14`,
    /// `2025-03-14T10:00:00Z`): the date, and the time of day (UTC) when the text has one; any
    /// other text unchanged.
    fn iso_date(self, s: &str) -> String;
    /// The colon before a value: French sets a space before it.
    fn colon(self) -> &'static str;
}

/// The first supported language of an `Accept-Language` header, by quality; English when none.
pub fn from_accept_language(header: &str) -> Language {
    negotiate(header, Language::from_tag).unwrap_or(Language::En)
}

impl Words for Language {
    fn t(self, key: Key) -> &'static str {
        key.text(self)
    }

    // The shipped templates' `[dates]`, which the public pages cannot reach: a
    // verification-only server has no renderer.
    fn date(self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        const FR: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        const ES: [&str; 12] = [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ];
        let (day, year, m) = (d.day(), d.year(), d.month0() as usize);
        match self {
            Language::En => format!("{day} {} {year}", EN[m]),
            Language::Fr => format!("{day} {} {year}", FR[m]),
            Language::Es => format!("{day} de {} de {year}", ES[m]),
        }
    }

    fn iso_date(self, s: &str) -> String {
        let Some(d) = s.get(..10).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
            return s.to_owned();
        };
        match s.get(11..16).filter(|t| t.len() == 5 && t.as_bytes()[2] == b':') {
            Some(time) => format!("{}, {time} UTC", self.date(d)),
            None => self.date(d),
        }
    }

    fn colon(self) -> &'static str {
        if self == Language::Fr { " : " } else { ": " }
    }
}

/// Defines [`Key`] and its three texts from rows `Key { en: "…", fr: "…", es: "…" },`: each
/// phrase's translations side by side, so that a phrase cannot lack one (the compiler refuses
/// the row). The console's catalogue (`console::text`) is written the same way.
macro_rules! catalogue {
    ($( $(#[$doc:meta])* $key:ident { en: $en:literal, fr: $fr:literal, es: $es:literal $(,)? } ),* $(,)?) => {
        /// A phrase of the public pages; its texts are in the `catalogue!` rows of `i18n.rs`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $( $(#[$doc])* $key, )* }

        impl Key {
            /// The phrase in `lang`.
            fn text(self, lang: Language) -> &'static str {
                match lang {
                    Language::En => match self { $( Key::$key => $en, )* },
                    Language::Fr => match self { $( Key::$key => $fr, )* },
                    Language::Es => match self { $( Key::$key => $es, )* },
                }
            }
        }
    };
}

catalogue! {
    Valid { en: "Valid certificate", fr: "Certificat valide", es: "Certificado válido" },
    ValidText {
        en: "This certificate was issued by the organiser and has not been revoked.",
        fr: "Ce certificat a été délivré par l’organisateur et n’a pas été révoqué.",
        es: "Este certificado fue emitido por el organizador y no ha sido revocado.",
    },
    Revoked { en: "Revoked certificate", fr: "Certificat révoqué", es: "Certificado revocado" },
    RevokedOn { en: "Revoked on", fr: "Révoqué le", es: "Revocado el" },
    Superseded { en: "Superseded certificate", fr: "Certificat remplacé", es: "Certificado reemplazado" },
    SupersededText {
        en: "A corrected certificate replaces this one:",
        fr: "Un certificat corrigé remplace celui-ci :",
        es: "Un certificado corregido sustituye a este:",
    },
    NotGenuine { en: "Not genuine", fr: "Non authentique", es: "No auténtico" },
    NotGenuineText {
        en: "This is not a certificate issued by the organiser.",
        fr: "Ceci n’est pas un certificat délivré par l’organisateur.",
        es: "Esto no es un certificado emitido por el organizador.",
    },
    Why { en: "Reason", fr: "Motif", es: "Motivo" },
    Certificate { en: "Certificate", fr: "Certificat", es: "Certificado" },
    Name { en: "Name", fr: "Nom", es: "Nombre" },
    Event { en: "Event", fr: "Événement", es: "Evento" },
    Date { en: "Date", fr: "Date", es: "Fecha" },
    Minutes { en: "Minutes attended", fr: "Minutes de présence", es: "Minutos de asistencia" },
    /// A series certificate's list of sessions (issue 12).
    Sessions { en: "Sessions attended", fr: "Séances suivies", es: "Sesiones asistidas" },
    Issuer { en: "Issuer", fr: "Émetteur", es: "Emisor" },
    SignedWith { en: "Signing key", fr: "Clé de signature", es: "Clave de firma" },
    VerifyTitle {
        en: "Verify a certificate of attendance",
        fr: "Vérifier un certificat de participation",
        es: "Verificar un certificado de asistencia",
    },
    VerifyIntro {
        en: "Scan the QR code on the certificate, or enter the certificate code printed under it, or upload the PDF.",
        fr: "Scannez le code QR du certificat, saisissez le code imprimé en dessous ou envoyez le PDF.",
        es: "Escanee el código QR del certificado, introduzca el código impreso debajo o suba el PDF.",
    },
    CodeLabel { en: "Certificate code", fr: "Code du certificat", es: "Código del certificado" },
    PdfLabel {
        en: "Certificate PDF, or its digital credential (.json)",
        fr: "PDF du certificat, ou son attestation numérique (.json)",
        es: "PDF del certificado, o su credencial digital (.json)",
    },
    CredentialAltered {
        en: "The digital credential was changed after it was signed, or its proof belongs to another document.",
        fr: "L’attestation numérique a été modifiée après sa signature, ou sa preuve appartient à un autre document.",
        es: "La credencial digital se modificó después de firmarse, o su prueba pertenece a otro documento.",
    },
    CredentialChecked {
        en: "The digital credential's proof is genuine (eddsa-rdfc-2022).",
        fr: "La preuve de l’attestation numérique est authentique (eddsa-rdfc-2022).",
        es: "La prueba de la credencial digital es auténtica (eddsa-rdfc-2022).",
    },
    DownloadCredential {
        en: "Download the digital credential",
        fr: "Télécharger l’attestation numérique",
        es: "Descargar la credencial digital",
    },
    AddToLinkedIn { en: "Add to LinkedIn", fr: "Ajouter à LinkedIn", es: "Añadir a LinkedIn" },
    Check { en: "Check", fr: "Vérifier", es: "Verificar" },
    Offline {
        en: "Verifiers can also check the signature offline with the published public keys:",
        fr: "La signature peut aussi être vérifiée hors ligne avec les clés publiques publiées :",
        es: "La firma también puede verificarse sin conexión con las claves públicas publicadas:",
    },
    TooMany {
        en: "Too many attempts from your address. Please wait a minute and try again.",
        fr: "Trop de tentatives depuis votre adresse. Veuillez patienter une minute.",
        es: "Demasiados intentos desde su dirección. Espere un minuto e inténtelo de nuevo.",
    },
    PdfChecked {
        en: "The uploaded file is exactly the PDF that was issued.",
        fr: "Le fichier envoyé est exactement le PDF délivré.",
        es: "El archivo enviado es exactamente el PDF emitido.",
    },
    RequestTitle { en: "Ask for your certificate", fr: "Demander votre certificat", es: "Solicitar su certificado" },
    RequestIntro {
        en: "Choose the seminar and enter the email address you registered with. If you attended, we send you a link to download your certificate.",
        fr: "Choisissez le séminaire et saisissez l’adresse e-mail de votre inscription. Si vous avez participé, nous vous envoyons un lien pour télécharger votre certificat.",
        es: "Elija el seminario e introduzca la dirección de correo con la que se inscribió. Si asistió, le enviaremos un enlace para descargar su certificado.",
    },
    EmailLabel { en: "Email address", fr: "Adresse e-mail", es: "Correo electrónico" },
    Send { en: "Send me my certificate", fr: "M’envoyer mon certificat", es: "Enviarme mi certificado" },
    BadEmail {
        en: "This does not look like an email address.",
        fr: "Ceci ne ressemble pas à une adresse e-mail.",
        es: "Esto no parece una dirección de correo.",
    },
    RequestSent {
        en: "Thank you. If this address attended the seminar and met its attendance rule, a message with a download link is on its way. The link works once and expires after a few days.",
        fr: "Merci. Si cette adresse a participé au séminaire et rempli la condition de présence, un message avec un lien de téléchargement est en route. Le lien ne fonctionne qu’une fois et expire après quelques jours.",
        es: "Gracias. Si esta dirección asistió al seminario y cumplió la condición de asistencia, le llegará un mensaje con un enlace de descarga. El enlace funciona una sola vez y caduca a los pocos días.",
    },
    LinkGone {
        en: "This link has already been used or has expired.",
        fr: "Ce lien a déjà été utilisé ou a expiré.",
        es: "Este enlace ya se ha utilizado o ha caducado.",
    },
    LinkReplaced {
        en: "A newer link was sent for this certificate: please use the link in the most recent message.",
        fr: "Un lien plus récent a été envoyé pour ce certificat : veuillez utiliser celui du dernier message.",
        es: "Se envió un enlace más reciente para este certificado: utilice el del último mensaje.",
    },
    RequestCapped {
        en: "Several requests were made for this address in the last hour, so no further message is sent now: if the address attended, look for the messages already sent (also in the spam folder); the link in the latest one works.",
        fr: "Plusieurs demandes ont été faites pour cette adresse dans l’heure : aucun nouveau message n’est envoyé pour l’instant. Si l’adresse a participé, cherchez les messages déjà envoyés (y compris dans les indésirables) : le lien du plus récent fonctionne.",
        es: "Se hicieron varias solicitudes para esta dirección en la última hora, por lo que no se envía un nuevo mensaje: si la dirección asistió, busque los mensajes ya enviados (también en el correo no deseado); el enlace del más reciente funciona.",
    },
    DownloadReady {
        en: "Your certificate of attendance is ready.",
        fr: "Votre certificat de participation est prêt.",
        es: "Su certificado de asistencia está listo.",
    },
    DownloadOnce {
        en: "This link downloads it once: save the file when it opens. A new link can be asked for at any time.",
        fr: "Ce lien le télécharge une seule fois : enregistrez le fichier à son ouverture. Un nouveau lien peut être demandé à tout moment.",
        es: "Este enlace lo descarga una sola vez: guarde el archivo cuando se abra. Puede solicitar un nuevo enlace en cualquier momento.",
    },
    DownloadButton {
        en: "Download the certificate (PDF)",
        fr: "Télécharger le certificat (PDF)",
        es: "Descargar el certificado (PDF)",
    },
    AskAgain { en: "Ask again", fr: "Redemander", es: "Volver a solicitar" },
    PdfSignature { en: "The PDF's own signature", fr: "La signature du PDF", es: "La firma del PDF" },
    PdfSigValid {
        en: "Valid: the file is exactly as it was signed.",
        fr: "Valide : le fichier est exactement tel qu’il a été signé.",
        es: "Válida: el archivo está exactamente como se firmó.",
    },
    PdfSigInvalid {
        en: "Not valid: the file was modified after it was signed.",
        fr: "Non valide : le fichier a été modifié après sa signature.",
        es: "No válida: el archivo se modificó después de firmarse.",
    },
    PdfSigValidPart {
        en: "Valid for the part that was signed, but that is not the whole file: what a PDF reader shows may not be what was signed.",
        fr: "Valide pour la partie signée, mais ce n’est pas tout le fichier : ce qu’affiche un lecteur PDF peut ne pas être ce qui a été signé.",
        es: "Válida para la parte firmada, pero no es todo el archivo: lo que muestra un lector de PDF puede no ser lo que se firmó.",
    },
    PdfSigForeign {
        en: "The signature matches the file, but it was not made by this service: its certificates lead to another root.",
        fr: "La signature correspond au fichier, mais elle n’a pas été faite par ce service : ses certificats mènent à une autre racine.",
        es: "La firma corresponde al archivo, pero no la hizo este servicio: sus certificados llevan a otra raíz.",
    },
    PdfSigAppended {
        en: "Something was added to the file after it was signed.",
        fr: "Quelque chose a été ajouté au fichier après sa signature.",
        es: "Se añadió algo al archivo después de firmarse.",
    },
    PdfSigNone {
        en: "This PDF carries no PDF signature.",
        fr: "Ce PDF ne porte aucune signature PDF.",
        es: "Este PDF no lleva firma PDF.",
    },
    SignedBy { en: "Signed by", fr: "Signé par", es: "Firmado por" },
    Fingerprint {
        en: "Certificate fingerprint (SHA-256)",
        fr: "Empreinte du certificat (SHA-256)",
        es: "Huella del certificado (SHA-256)",
    },
    ChainsTo { en: "Certificate chain", fr: "Chaîne de certificats", es: "Cadena de certificados" },
    ChainAttest {
        en: "ends at this service’s root certificate",
        fr: "aboutit au certificat racine de ce service",
        es: "termina en el certificado raíz de este servicio",
    },
    ChainOther { en: "ends at another root:", fr: "aboutit à une autre racine :", es: "termina en otra raíz:" },
    SignedAt { en: "Signed at", fr: "Signé le", es: "Firmado el" },
    RootLink {
        en: "Root certificate of the PDF signatures, to add to your PDF reader’s trusted certificates",
        fr: "Certificat racine des signatures PDF, à ajouter aux certificats de confiance de votre lecteur PDF",
        es: "Certificado raíz de las firmas PDF, para añadir a los certificados de confianza de su lector PDF",
    },
    /// The disclosure holding the signing key, the JWK set and the PDF root certificate.
    TechnicalDetails { en: "Technical details", fr: "Détails techniques", es: "Detalles técnicos" },
    JwksLink {
        en: "Public keys of the certificates’ signatures (JWK set)",
        fr: "Clés publiques des signatures des certificats (jeu JWK)",
        es: "Claves públicas de las firmas de los certificados (conjunto JWK)",
    },
    /// What can make a certificate "not genuine", and what to do (`{issuer}`: the issuer's name).
    NotGenuineCauses {
        en: "This happens when a character of the code was mistyped, or when the file or the link was changed after it was issued.",
        fr: "Cela arrive quand un caractère du code a été mal saisi, ou quand le fichier ou le lien a été modifié après sa délivrance.",
        es: "Esto ocurre cuando se ha escrito mal un carácter del código, o cuando el archivo o el enlace se modificaron después de emitirse.",
    },
    NotGenuineNext {
        en: "Check the code printed under the QR code, character by character, and try again. If the certificate still does not verify, contact its issuer, {issuer}: only they can confirm it.",
        fr: "Vérifiez le code imprimé sous le code QR, caractère par caractère, et réessayez. Si le certificat ne se vérifie toujours pas, contactez son émetteur, {issuer} : lui seul peut le confirmer.",
        es: "Compruebe el código impreso bajo el código QR, carácter por carácter, e inténtelo de nuevo. Si el certificado sigue sin verificarse, póngase en contacto con su emisor, {issuer}: solo él puede confirmarlo.",
    },
    /// What makes an uploaded file "not genuine", and what to do (`{issuer}`: the issuer's name):
    /// no code was typed, so a mistyped character is no cause.
    UploadNotGenuineCauses {
        en: "This file is not the certificate that was issued: it was changed after it was issued, or it was not issued by this service.",
        fr: "Ce fichier n’est pas le certificat délivré : il a été modifié après sa délivrance, ou il n’a pas été délivré par ce service.",
        es: "Este archivo no es el certificado emitido: se modificó después de emitirse, o no lo emitió este servicio.",
    },
    UploadNotGenuineNext {
        en: "Ask its holder for the file they received, or scan the QR code printed on it. If it still does not verify, contact the issuer, {issuer}: only they can confirm it.",
        fr: "Demandez à son titulaire le fichier qu’il a reçu, ou scannez le code QR imprimé dessus. S’il ne se vérifie toujours pas, contactez l’émetteur, {issuer} : lui seul peut le confirmer.",
        es: "Pida a su titular el archivo que recibió, o escanee el código QR impreso en él. Si sigue sin verificarse, póngase en contacto con el emisor, {issuer}: solo él puede confirmarlo.",
    },
    CheckAnotherFile { en: "Check another file", fr: "Vérifier un autre fichier", es: "Comprobar otro archivo" },
    /// The verdict's text when the key that signed the certificate was withdrawn by its issuer
    /// (its private half leaked, or may have): it may well have been issued, but nothing proves
    /// it now (`{date}`: the day, as the certificate prints dates).
    WithdrawnKeyText {
        en: "On {date} the issuer withdrew the key that signed this certificate, so its signature no longer proves that the issuer issued it.",
        fr: "Le {date}, l’émetteur a retiré la clé qui a signé ce certificat : sa signature ne prouve donc plus que l’émetteur l’a délivré.",
        es: "El {date}, el emisor retiró la clave que firmó este certificado, por lo que su firma ya no prueba que el emisor lo haya emitido.",
    },
    /// What the holder or a verifier does next (`{issuer}`: the issuer's name).
    WithdrawnKeyNext {
        en: "Ask the issuer, {issuer}, for the certificate issued again with their current key: it verifies as valid.",
        fr: "Demandez à l’émetteur, {issuer}, le certificat délivré à nouveau avec sa clé actuelle : celui-ci se vérifie comme valide.",
        es: "Solicite al emisor, {issuer}, el certificado emitido de nuevo con su clave actual: ese se verifica como válido.",
    },
    TryAgain { en: "Enter the code again", fr: "Saisir à nouveau le code", es: "Introducir de nuevo el código" },
    /// The link to the issuer's contact (an email address or a web page) on the verify pages.
    ContactIssuer { en: "Contact {issuer}", fr: "Contacter {issuer}", es: "Contactar con {issuer}" },
    /// Under the verify forms, when the organisation gave a contact.
    QuestionsContact {
        en: "A question about a certificate?",
        fr: "Une question sur un certificat\u{202f}?",
        es: "¿Una pregunta sobre un certificado?",
    },
    /// The thank-you page of `/request`.
    RequestReceived { en: "Request received", fr: "Demande reçue", es: "Solicitud recibida" },
    AskAnother {
        en: "Ask for another certificate",
        fr: "Demander un autre certificat",
        es: "Solicitar otro certificado",
    },
    NoEvents {
        en: "No seminar offers certificates here yet.",
        fr: "Aucun séminaire ne propose encore de certificat ici.",
        es: "Todavía ningún seminario ofrece certificados aquí.",
    },
    /// The 404 page.
    NotFound { en: "Page not found", fr: "Page introuvable", es: "Página no encontrada" },
    NotFoundText {
        en: "There is no page at this address. It may have been mistyped, or the link may be incomplete.",
        fr: "Il n’y a pas de page à cette adresse. Elle a peut-être été mal saisie, ou le lien est incomplet.",
        es: "No hay ninguna página en esta dirección. Puede que se haya escrito mal o que el enlace esté incompleto.",
    },
    /// The footer's navigation.
    Links { en: "Other pages", fr: "Autres pages", es: "Otras páginas" },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_on_the_certificate() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
        assert_eq!(Language::En.date(d), "14 March 2025");
        assert_eq!(Language::Fr.date(d), "14 mars 2025");
        assert_eq!(Language::Es.date(d), "14 de marzo de 2025");
        assert_eq!(Language::Fr.iso_date("2025-08-01"), "1 août 2025");
        assert_eq!(Language::En.iso_date("2025-03-14T09:05:00Z"), "14 March 2025, 09:05 UTC");
        assert_eq!(Language::En.iso_date("yesterday"), "yesterday");
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(from_accept_language("fr-CH, fr;q=0.9, en;q=0.8"), Language::Fr);
        assert_eq!(from_accept_language("de-DE, es;q=0.5, en;q=0.7"), Language::En);
        assert_eq!(from_accept_language("de, ru"), Language::En);
        assert_eq!(from_accept_language("es-419"), Language::Es);
        assert_eq!(from_accept_language("fr;q=0, es;q=0.1"), Language::Es);
    }
}
