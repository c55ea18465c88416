//! The words of the public pages in English, French and Spanish.

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

/// A language of the public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Es => "Español",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.get(..2)?.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// A date as the certificate prints it in this language: "14 March 2025", "14 mars 2025",
    /// "14 de marzo de 2025" (the shipped templates' `[dates]`, which the public pages cannot
    /// reach: a verification-only server has no renderer).
    pub fn date(self, d: chrono::NaiveDate) -> String {
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
            Lang::En => format!("{day} {} {year}", EN[m]),
            Lang::Fr => format!("{day} {} {year}", FR[m]),
            Lang::Es => format!("{day} de {} de {year}", ES[m]),
        }
    }

    /// [`Lang::date`] of a text starting with an ISO date (`2025-03-14`, `2025-03-14T10:00:00Z`):
    /// the date, and the time of day (UTC) when the text has one; any other text unchanged.
    pub fn iso_date(self, s: &str) -> String {
        let Some(d) = s.get(..10).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
            return s.to_owned();
        };
        match s.get(11..16).filter(|t| t.len() == 5 && t.as_bytes()[2] == b':') {
            Some(time) => format!("{}, {time} UTC", self.date(d)),
            None => self.date(d),
        }
    }

    /// The colon before a value: French sets a space before it.
    pub fn colon(self) -> &'static str {
        if self == Lang::Fr { " : " } else { ": " }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Lang {
        negotiate(header, Lang::parse).unwrap_or(Lang::En)
    }

    pub fn t(self, key: Key) -> &'static str {
        use Key::*;
        match (self, key) {
            (Lang::En, PdfSignature) => "The PDF's own signature",
            (Lang::Fr, PdfSignature) => "La signature du PDF",
            (Lang::Es, PdfSignature) => "La firma del PDF",
            (Lang::En, PdfSigValid) => "Valid: the file is exactly as it was signed.",
            (Lang::Fr, PdfSigValid) => "Valide : le fichier est exactement tel qu’il a été signé.",
            (Lang::Es, PdfSigValid) => "Válida: el archivo está exactamente como se firmó.",
            (Lang::En, PdfSigInvalid) => "Not valid: the file was modified after it was signed.",
            (Lang::Fr, PdfSigInvalid) => "Non valide : le fichier a été modifié après sa signature.",
            (Lang::Es, PdfSigInvalid) => "No válida: el archivo se modificó después de firmarse.",
            (Lang::En, PdfSigAppended) => "Something was added to the file after it was signed.",
            (Lang::Fr, PdfSigAppended) => "Quelque chose a été ajouté au fichier après sa signature.",
            (Lang::Es, PdfSigAppended) => "Se añadió algo al archivo después de firmarse.",
            (Lang::En, PdfSigNone) => "This PDF carries no PDF signature.",
            (Lang::Fr, PdfSigNone) => "Ce PDF ne porte aucune signature PDF.",
            (Lang::Es, PdfSigNone) => "Este PDF no lleva firma PDF.",
            (Lang::En, SignedBy) => "Signed by",
            (Lang::Fr, SignedBy) => "Signé par",
            (Lang::Es, SignedBy) => "Firmado por",
            (Lang::En, Fingerprint) => "Certificate fingerprint (SHA-256)",
            (Lang::Fr, Fingerprint) => "Empreinte du certificat (SHA-256)",
            (Lang::Es, Fingerprint) => "Huella del certificado (SHA-256)",
            (Lang::En, ChainsTo) => "Certificate chain",
            (Lang::Fr, ChainsTo) => "Chaîne de certificats",
            (Lang::Es, ChainsTo) => "Cadena de certificados",
            (Lang::En, ChainAttest) => "ends at this service’s root certificate",
            (Lang::Fr, ChainAttest) => "aboutit au certificat racine de ce service",
            (Lang::Es, ChainAttest) => "termina en el certificado raíz de este servicio",
            (Lang::En, ChainOther) => "ends at another root:",
            (Lang::Fr, ChainOther) => "aboutit à une autre racine :",
            (Lang::Es, ChainOther) => "termina en otra raíz:",
            (Lang::En, SignedAt) => "Signed at",
            (Lang::Fr, SignedAt) => "Signé le",
            (Lang::Es, SignedAt) => "Firmado el",
            (Lang::En, RootLink) => {
                "Root certificate of the PDF signatures, to add to your PDF reader’s trusted certificates"
            }
            (Lang::Fr, RootLink) => {
                "Certificat racine des signatures PDF, à ajouter aux certificats de confiance de votre lecteur PDF"
            }
            (Lang::Es, RootLink) => {
                "Certificado raíz de las firmas PDF, para añadir a los certificados de confianza de su lector PDF"
            }
            (Lang::En, Valid) => "Valid certificate",
            (Lang::Fr, Valid) => "Certificat valide",
            (Lang::Es, Valid) => "Certificado válido",
            (Lang::En, ValidText) => "This certificate was issued by the organiser and has not been revoked.",
            (Lang::Fr, ValidText) => "Ce certificat a été délivré par l’organisateur et n’a pas été révoqué.",
            (Lang::Es, ValidText) => "Este certificado fue emitido por el organizador y no ha sido revocado.",
            (Lang::En, Revoked) => "Revoked certificate",
            (Lang::Fr, Revoked) => "Certificat révoqué",
            (Lang::Es, Revoked) => "Certificado revocado",
            (Lang::En, RevokedOn) => "Revoked on",
            (Lang::Fr, RevokedOn) => "Révoqué le",
            (Lang::Es, RevokedOn) => "Revocado el",
            (Lang::En, Superseded) => "Superseded certificate",
            (Lang::Fr, Superseded) => "Certificat remplacé",
            (Lang::Es, Superseded) => "Certificado reemplazado",
            (Lang::En, SupersededText) => "A corrected certificate replaces this one:",
            (Lang::Fr, SupersededText) => "Un certificat corrigé remplace celui-ci :",
            (Lang::Es, SupersededText) => "Un certificado corregido sustituye a este:",
            (Lang::En, NotGenuine) => "Not genuine",
            (Lang::Fr, NotGenuine) => "Non authentique",
            (Lang::Es, NotGenuine) => "No auténtico",
            (Lang::En, NotGenuineText) => "This is not a certificate issued by the organiser.",
            (Lang::Fr, NotGenuineText) => "Ceci n’est pas un certificat délivré par l’organisateur.",
            (Lang::Es, NotGenuineText) => "Esto no es un certificado emitido por el organizador.",
            (Lang::En, Why) => "Reason",
            (Lang::Fr, Why) => "Motif",
            (Lang::Es, Why) => "Motivo",
            (Lang::En, Certificate) => "Certificate",
            (Lang::Fr, Certificate) => "Certificat",
            (Lang::Es, Certificate) => "Certificado",
            (Lang::En, Name) => "Name",
            (Lang::Fr, Name) => "Nom",
            (Lang::Es, Name) => "Nombre",
            (Lang::En, Event) => "Event",
            (Lang::Fr, Event) => "Événement",
            (Lang::Es, Event) => "Evento",
            (Lang::En, Date) => "Date",
            (Lang::Fr, Date) => "Date",
            (Lang::Es, Date) => "Fecha",
            (Lang::En, Sessions) => "Sessions attended",
            (Lang::Fr, Sessions) => "Séances suivies",
            (Lang::Es, Sessions) => "Sesiones asistidas",
            (Lang::En, Minutes) => "Minutes attended",
            (Lang::Fr, Minutes) => "Minutes de présence",
            (Lang::Es, Minutes) => "Minutos de asistencia",
            (Lang::En, Issuer) => "Issuer",
            (Lang::Fr, Issuer) => "Émetteur",
            (Lang::Es, Issuer) => "Emisor",
            (Lang::En, SignedWith) => "Signing key",
            (Lang::Fr, SignedWith) => "Clé de signature",
            (Lang::Es, SignedWith) => "Clave de firma",
            (Lang::En, VerifyTitle) => "Verify a certificate of attendance",
            (Lang::Fr, VerifyTitle) => "Vérifier un certificat de participation",
            (Lang::Es, VerifyTitle) => "Verificar un certificado de asistencia",
            (Lang::En, VerifyIntro) => {
                "Scan the QR code on the certificate, or enter the certificate code printed under it, or upload the PDF."
            }
            (Lang::Fr, VerifyIntro) => {
                "Scannez le code QR du certificat, saisissez le code imprimé en dessous ou envoyez le PDF."
            }
            (Lang::Es, VerifyIntro) => {
                "Escanee el código QR del certificado, introduzca el código impreso debajo o suba el PDF."
            }
            (Lang::En, CodeLabel) => "Certificate code",
            (Lang::Fr, CodeLabel) => "Code du certificat",
            (Lang::Es, CodeLabel) => "Código del certificado",
            (Lang::En, PdfLabel) => "Certificate PDF, or its digital credential (.json)",
            (Lang::Fr, PdfLabel) => "PDF du certificat, ou son attestation numérique (.json)",
            (Lang::Es, PdfLabel) => "PDF del certificado, o su credencial digital (.json)",
            (Lang::En, CredentialAltered) => {
                "The digital credential was changed after it was signed, or its proof belongs to another document."
            }
            (Lang::Fr, CredentialAltered) => {
                "L’attestation numérique a été modifiée après sa signature, ou sa preuve appartient à un autre document."
            }
            (Lang::Es, CredentialAltered) => {
                "La credencial digital se modificó después de firmarse, o su prueba pertenece a otro documento."
            }
            (Lang::En, CredentialChecked) => "The digital credential's proof is genuine (eddsa-rdfc-2022).",
            (Lang::Fr, CredentialChecked) => "La preuve de l’attestation numérique est authentique (eddsa-rdfc-2022).",
            (Lang::Es, CredentialChecked) => "La prueba de la credencial digital es auténtica (eddsa-rdfc-2022).",
            (Lang::En, DownloadCredential) => "Download the digital credential",
            (Lang::Fr, DownloadCredential) => "Télécharger l’attestation numérique",
            (Lang::Es, DownloadCredential) => "Descargar la credencial digital",
            (Lang::En, AddToLinkedIn) => "Add to LinkedIn",
            (Lang::Fr, AddToLinkedIn) => "Ajouter à LinkedIn",
            (Lang::Es, AddToLinkedIn) => "Añadir a LinkedIn",
            (Lang::En, Check) => "Check",
            (Lang::Fr, Check) => "Vérifier",
            (Lang::Es, Check) => "Verificar",
            (Lang::En, Offline) => "Verifiers can also check the signature offline with the published public keys:",
            (Lang::Fr, Offline) => {
                "La signature peut aussi être vérifiée hors ligne avec les clés publiques publiées :"
            }
            (Lang::Es, Offline) => {
                "La firma también puede verificarse sin conexión con las claves públicas publicadas:"
            }
            (Lang::En, TooMany) => "Too many attempts from your address. Please wait a minute and try again.",
            (Lang::Fr, TooMany) => "Trop de tentatives depuis votre adresse. Veuillez patienter une minute.",
            (Lang::Es, TooMany) => "Demasiados intentos desde su dirección. Espere un minuto e inténtelo de nuevo.",
            (Lang::En, RequestTitle) => "Ask for your certificate",
            (Lang::Fr, RequestTitle) => "Demander votre certificat",
            (Lang::Es, RequestTitle) => "Solicitar su certificado",
            (Lang::En, RequestIntro) => {
                "Choose the seminar and enter the email address you registered with. If you attended, we send you a link to download your certificate."
            }
            (Lang::Fr, RequestIntro) => {
                "Choisissez le séminaire et saisissez l’adresse e-mail de votre inscription. Si vous avez participé, nous vous envoyons un lien pour télécharger votre certificat."
            }
            (Lang::Es, RequestIntro) => {
                "Elija el seminario e introduzca la dirección de correo con la que se inscribió. Si asistió, le enviaremos un enlace para descargar su certificado."
            }
            (Lang::En, EmailLabel) => "Email address",
            (Lang::Fr, EmailLabel) => "Adresse e-mail",
            (Lang::Es, EmailLabel) => "Correo electrónico",
            (Lang::En, Send) => "Send me my certificate",
            (Lang::Fr, Send) => "M’envoyer mon certificat",
            (Lang::Es, Send) => "Enviarme mi certificado",
            (Lang::En, BadEmail) => "This does not look like an email address.",
            (Lang::Fr, BadEmail) => "Ceci ne ressemble pas à une adresse e-mail.",
            (Lang::Es, BadEmail) => "Esto no parece una dirección de correo.",
            (Lang::En, RequestSent) => {
                "Thank you. If this address attended the seminar and met its attendance rule, a message with a download link is on its way. The link works once and expires after a few days."
            }
            (Lang::Fr, RequestSent) => {
                "Merci. Si cette adresse a participé au séminaire et rempli la condition de présence, un message avec un lien de téléchargement est en route. Le lien ne fonctionne qu’une fois et expire après quelques jours."
            }
            (Lang::Es, RequestSent) => {
                "Gracias. Si esta dirección asistió al seminario y cumplió la condición de asistencia, le llegará un mensaje con un enlace de descarga. El enlace funciona una sola vez y caduca a los pocos días."
            }
            (Lang::En, LinkGone) => "This link has already been used or has expired.",
            (Lang::Fr, LinkGone) => "Ce lien a déjà été utilisé ou a expiré.",
            (Lang::Es, LinkGone) => "Este enlace ya se ha utilizado o ha caducado.",
            (Lang::En, RequestCapped) => {
                "Several requests were made for this address in the last hour, so no further message is sent now: if the address attended, look for the messages already sent (also in the spam folder); the link in the latest one works."
            }
            (Lang::Fr, RequestCapped) => {
                "Plusieurs demandes ont été faites pour cette adresse dans l’heure : aucun nouveau message n’est envoyé pour l’instant. Si l’adresse a participé, cherchez les messages déjà envoyés (y compris dans les indésirables) : le lien du plus récent fonctionne."
            }
            (Lang::Es, RequestCapped) => {
                "Se hicieron varias solicitudes para esta dirección en la última hora, por lo que no se envía un nuevo mensaje: si la dirección asistió, busque los mensajes ya enviados (también en el correo no deseado); el enlace del más reciente funciona."
            }
            (Lang::En, DownloadReady) => "Your certificate of attendance is ready.",
            (Lang::Fr, DownloadReady) => "Votre certificat de participation est prêt.",
            (Lang::Es, DownloadReady) => "Su certificado de asistencia está listo.",
            (Lang::En, DownloadOnce) => {
                "This link downloads it once: save the file when it opens. A new link can be asked for at any time."
            }
            (Lang::Fr, DownloadOnce) => {
                "Ce lien le télécharge une seule fois : enregistrez le fichier à son ouverture. Un nouveau lien peut être demandé à tout moment."
            }
            (Lang::Es, DownloadOnce) => {
                "Este enlace lo descarga una sola vez: guarde el archivo cuando se abra. Puede solicitar un nuevo enlace en cualquier momento."
            }
            (Lang::En, DownloadButton) => "Download the certificate (PDF)",
            (Lang::Fr, DownloadButton) => "Télécharger le certificat (PDF)",
            (Lang::Es, DownloadButton) => "Descargar el certificado (PDF)",
            (Lang::En, LinkReplaced) => {
                "A newer link was sent for this certificate: please use the link in the most recent message."
            }
            (Lang::Fr, LinkReplaced) => {
                "Un lien plus récent a été envoyé pour ce certificat : veuillez utiliser celui du dernier message."
            }
            (Lang::Es, LinkReplaced) => {
                "Se envió un enlace más reciente para este certificado: utilice el del último mensaje."
            }
            (Lang::En, AskAgain) => "Ask again",
            (Lang::Fr, AskAgain) => "Redemander",
            (Lang::Es, AskAgain) => "Volver a solicitar",
            (Lang::En, TechnicalDetails) => "Technical details",
            (Lang::Fr, TechnicalDetails) => "Détails techniques",
            (Lang::Es, TechnicalDetails) => "Detalles técnicos",
            (Lang::En, JwksLink) => "Public keys of the certificates’ signatures (JWK set)",
            (Lang::Fr, JwksLink) => "Clés publiques des signatures des certificats (jeu JWK)",
            (Lang::Es, JwksLink) => "Claves públicas de las firmas de los certificados (conjunto JWK)",
            (Lang::En, NotGenuineCauses) => {
                "This happens when a character of the code was mistyped, or when the file or the link was changed after it was issued."
            }
            (Lang::Fr, NotGenuineCauses) => {
                "Cela arrive quand un caractère du code a été mal saisi, ou quand le fichier ou le lien a été modifié après sa délivrance."
            }
            (Lang::Es, NotGenuineCauses) => {
                "Esto ocurre cuando se ha escrito mal un carácter del código, o cuando el archivo o el enlace se modificaron después de emitirse."
            }
            (Lang::En, NotGenuineNext) => {
                "Check the code printed under the QR code, character by character, and try again. If the certificate still does not verify, contact its issuer, {issuer}: only they can confirm it."
            }
            (Lang::Fr, NotGenuineNext) => {
                "Vérifiez le code imprimé sous le code QR, caractère par caractère, et réessayez. Si le certificat ne se vérifie toujours pas, contactez son émetteur, {issuer} : lui seul peut le confirmer."
            }
            (Lang::Es, NotGenuineNext) => {
                "Compruebe el código impreso bajo el código QR, carácter por carácter, e inténtelo de nuevo. Si el certificado sigue sin verificarse, póngase en contacto con su emisor, {issuer}: solo él puede confirmarlo."
            }
            (Lang::En, TryAgain) => "Enter the code again",
            (Lang::Fr, TryAgain) => "Saisir à nouveau le code",
            (Lang::Es, TryAgain) => "Introducir de nuevo el código",
            (Lang::En, RequestReceived) => "Request received",
            (Lang::Fr, RequestReceived) => "Demande reçue",
            (Lang::Es, RequestReceived) => "Solicitud recibida",
            (Lang::En, AskAnother) => "Ask for another certificate",
            (Lang::Fr, AskAnother) => "Demander un autre certificat",
            (Lang::Es, AskAnother) => "Solicitar otro certificado",
            (Lang::En, NoEvents) => "No seminar offers certificates here yet.",
            (Lang::Fr, NoEvents) => "Aucun séminaire ne propose encore de certificat ici.",
            (Lang::Es, NoEvents) => "Todavía ningún seminario ofrece certificados aquí.",
            (Lang::En, NotFound) => "Page not found",
            (Lang::Fr, NotFound) => "Page introuvable",
            (Lang::Es, NotFound) => "Página no encontrada",
            (Lang::En, NotFoundText) => {
                "There is no page at this address. It may have been mistyped, or the link may be incomplete."
            }
            (Lang::Fr, NotFoundText) => {
                "Il n’y a pas de page à cette adresse. Elle a peut-être été mal saisie, ou le lien est incomplet."
            }
            (Lang::Es, NotFoundText) => {
                "No hay ninguna página en esta dirección. Puede que se haya escrito mal o que el enlace esté incompleto."
            }
            (Lang::En, Links) => "Other pages",
            (Lang::Fr, Links) => "Autres pages",
            (Lang::Es, Links) => "Otras páginas",
            (Lang::En, PdfChecked) => "The uploaded file is exactly the PDF that was issued.",
            (Lang::Fr, PdfChecked) => "Le fichier envoyé est exactement le PDF délivré.",
            (Lang::Es, PdfChecked) => "El archivo enviado es exactamente el PDF emitido.",
        }
    }
}

/// A phrase of the public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Valid,
    ValidText,
    Revoked,
    RevokedOn,
    Superseded,
    SupersededText,
    NotGenuine,
    NotGenuineText,
    Why,
    Certificate,
    Name,
    Event,
    Date,
    Minutes,
    /// A series certificate's list of sessions (issue 12).
    Sessions,
    Issuer,
    SignedWith,
    VerifyTitle,
    VerifyIntro,
    CodeLabel,
    PdfLabel,
    CredentialAltered,
    CredentialChecked,
    DownloadCredential,
    AddToLinkedIn,
    Check,
    Offline,
    TooMany,
    PdfChecked,
    RequestTitle,
    RequestIntro,
    EmailLabel,
    Send,
    BadEmail,
    RequestSent,
    LinkGone,
    LinkReplaced,
    RequestCapped,
    DownloadReady,
    DownloadOnce,
    DownloadButton,
    AskAgain,
    PdfSignature,
    PdfSigValid,
    PdfSigInvalid,
    PdfSigAppended,
    PdfSigNone,
    SignedBy,
    Fingerprint,
    ChainsTo,
    ChainAttest,
    ChainOther,
    SignedAt,
    RootLink,
    /// The disclosure holding the signing key, the JWK set and the PDF root certificate.
    TechnicalDetails,
    JwksLink,
    /// What can make a certificate "not genuine", and what to do (`{issuer}`: the issuer's name).
    NotGenuineCauses,
    NotGenuineNext,
    TryAgain,
    /// The thank-you page of `/request`.
    RequestReceived,
    AskAnother,
    NoEvents,
    /// The 404 page.
    NotFound,
    NotFoundText,
    /// The footer's navigation.
    Links,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_on_the_certificate() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
        assert_eq!(Lang::En.date(d), "14 March 2025");
        assert_eq!(Lang::Fr.date(d), "14 mars 2025");
        assert_eq!(Lang::Es.date(d), "14 de marzo de 2025");
        assert_eq!(Lang::Fr.iso_date("2025-08-01"), "1 août 2025");
        assert_eq!(Lang::En.iso_date("2025-03-14T09:05:00Z"), "14 March 2025, 09:05 UTC");
        assert_eq!(Lang::En.iso_date("yesterday"), "yesterday");
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::from_accept_language("fr-CH, fr;q=0.9, en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("de-DE, es;q=0.5, en;q=0.7"), Lang::En);
        assert_eq!(Lang::from_accept_language("de, ru"), Lang::En);
        assert_eq!(Lang::from_accept_language("es-419"), Lang::Es);
        assert_eq!(Lang::from_accept_language("fr;q=0, es;q=0.1"), Lang::Es);
    }
}
