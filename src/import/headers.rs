//! The alias table: every header text we have seen (or that third-party parsers expect) for each
//! column, in the languages the README's "Export languages" table lists, each with its source.
//!
//! Headers are compared after [`normalise`]: Unicode NFKC (which folds full-width `（分）` to
//! `(分)`), lower case, typographic apostrophes to `'`, a trailing colon dropped, and all
//! whitespace removed, so `Duration(Minutes)` and `Duration (minutes)` are one key. To support a
//! new language, add its strings to [`ALIASES`]; nothing else needs to change.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// A column whose meaning the importer understands. Columns not listed here are kept verbatim
/// in the stored raw row (custom registration questions, QoS figures) but not interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    // participant tables
    Name,
    Email,
    Join,
    Leave,
    Duration,
    TotalDuration,
    Guest,
    RecordingConsent,
    WaitingRoom,
    Attended,
    FirstName,
    LastName,
    Phone,
    RegistrationTime,
    ApprovalStatus,
    Country,
    Role,
    // Teams
    FirstJoin,
    LastLeave,
    InMeetingDuration,
    ParticipantUpn,
    RegFirstName,
    RegLastName,
    RegEmail,
    RegStatus,
    UserAction,
    Timestamp,
    UtcTimestamp,
    ParticipantId,
    SessionId,
    // Google Meet attendance report: times of day without a date
    TimeJoined,
    TimeExited,
    // Dashboard QoS export
    Device,
    IpAddress,
    // meeting / webinar summary blocks
    Topic,
    MeetingId,
    WebinarId,
    StartTime,
    EndTime,
    ActualStartTime,
    ActualDuration,
    ScheduledTime,
    Host,
    HostName,
    Participants,
    CreationTime,
    // Webex Meetings and Events attendance reports (`webex`): their own header texts, kept apart
    // from the shared columns so that no existing family's detection changes.
    DisplayName,
    AttendeeEmail,
    ParticipantType,
    EventName,
    EventStart,
    EventEnd,
    AttendanceDuration,
    ConnectionType,
    // GoTo Webinar and GoTo Meeting (`goto`)
    TimeInSession,
    TimeZone,
}

/// Header texts per column. Order inside a list does not matter.
pub const ALIASES: &[(Col, &[&str])] = &[
    (
        Col::Name,
        &[
            "Name (Original Name)",
            "User Name (Original Name)",
            "Name",
            "Participant",
            "Full Name",
            "Nom (nom original)",
            "Nom d'utilisateur (nom original)",
            "Nom complet",
            "Nombre (nombre original)",
            "Nombre de usuario (nombre original)",
            "Nombre de usuario",
            "Nombre completo",
            "Name (ursprünglicher Name)",
            "Name (Originalname)",
            "Benutzername (Originalname)",
            "Vollständiger Name",
            "Teilnehmer",
            "名前 (元の名前)",
            "ユーザー名 (元の名前)",
            "名前",
            "이름(원래 이름)",
            "Nome (nome originale)",
            "Имя (настоящее имя)",
            "Nome (nome original)",
            // Brazilian Portuguese Teams (third-party pt-BR Teams report parsers and samples,
            // idx:61484937890, idx:57088003325, idx:69017410330, idx:18301665450). Their `Nome` is
            // a first name's alias below, whole name when alone, as `Nombre` and `Nom` are.
            "Nome Completo",
            // Polish Teams, section 2: the name column's header holds " i " (a third-party Polish
            // tool splits the first row's name at it into `Imię` and `nazwisko`, idx:43119850803,
            // idx:42555423007, beside the header list of idx:42644954534).
            "Imię i nazwisko",
        ],
    ),
    (
        Col::Email,
        &[
            "User Email",
            "Email",
            "E-mail",
            "Email Address",
            "Adresse e-mail de l'utilisateur",
            "Adresse e-mail",
            "E-mail del usuario",
            "Correo electrónico",
            "Correo electrónico del usuario",
            "E-Mail des Benutzers",
            "Benutzer-E-Mail",
            "E-Mail-Adresse",
            "E-Mail",
            "ユーザーメール",
            "メールアドレス",
            "사용자 이메일",
            "이메일",
            "Adres e-mail",
            // The host's, among the meeting columns of the Italian flat export (the third-party
            // Italian parser's fixture of `zoom_flat_export_with_italian_headers`).
            "E-mail organizzatore",
            // Japanese Teams (a third-party Japanese parser's notes on real reports, idx:12785033542)
            "メール",
        ],
    ),
    (
        Col::Join,
        &[
            "Join Time",
            "Hora para unirse",
            "Hora de entrada",
            "Horário de Entrada",
            "Hora de ingreso",
            "Heure d'arrivée",
            "Heure de connexion",
            "Heure d'entrée",
            "Beitrittszeit",
            "Zeitpunkt des Beitritts",
            "Beitrittszeitpunkt",
            "参加時刻",
            "参加時間",
            "참가 시간",
            "Ora di ingresso",
            "Время входа",
            "Ingressar na hora",
            // German Teams, section 3 (`Name, Beitreten, Verlassen, Dauer, E-Mail, Rolle`): a
            // third-party German Teams list reader's test of its UTF-16 tab layout
            // (idx:70991020870). Unknown, the section was skipped and gaps were counted.
            "Beitreten",
        ],
    ),
    (
        Col::Leave,
        &[
            "Leave Time",
            "Hora para salir",
            "Hora de salida",
            "Heure de départ",
            "Heure de sortie",
            "Heure de déconnexion",
            "Zeitpunkt des Verlassens",
            "Austrittszeit",
            "Verlassenszeit",
            "退出時刻",
            "退出時間",
            "나간 시간",
            "Ora di uscita",
            "Время выхода",
            "Hora de saída",
            "Horário de Saída",
            // German Teams, section 3 (idx:70991020870, at `Beitreten` above)
            "Verlassen",
        ],
    ),
    (
        Col::Duration,
        &[
            "Duration (Minutes)",
            "Time in Session (minutes)",
            "Durée (minutes)",
            "Durée de la session (minutes)",
            "Duración (minutos)",
            "Tiempo en la sesión (minutos)",
            "Dauer (Minuten)",
            "Zeit in der Sitzung (Minuten)",
            "所要時間 (分)",
            "時間 (分)",
            "기간(분)",
            "Durata (minuti)",
            "Duração (minutos)",
            "Permanência (minutos)",
            "Duration",
            "Duração",
            // German Teams, section 3 (idx:70991020870, at `Beitreten` above)
            "Dauer",
        ],
    ),
    (
        Col::TotalDuration,
        &[
            "Total Duration (Minutes)",
            "Durée totale (minutes)",
            "Duración total (minutos)",
            "Gesamtdauer (Minuten)",
            "合計時間 (分)",
            "総所要時間 (分)",
            "총 기간(분)",
        ],
    ),
    (Col::Guest, &["Guest", "Is Guest", "Invité", "Invitado", "Gast", "Ist Gast", "ゲスト", "게스트", "Convidado"]),
    (
        Col::RecordingConsent,
        &[
            "Recording Consent",
            "Recording disclaimer response",
            "Consentement à l'enregistrement",
            "Réponse à l'avis d'enregistrement",
            "Consentimiento de grabación",
            "Respuesta al descargo de responsabilidad relativa a la grabación",
            "Zustimmung zur Aufzeichnung",
            "録画の同意",
            "녹화 동의",
            "Risposta di esclusione di responsabilità per la registrazione",
        ],
    ),
    (
        Col::WaitingRoom,
        &[
            "In Waiting Room",
            "Salle d'attente",
            "Dans la salle d'attente",
            "En sala de espera",
            "Sala de espera",
            "Im Warteraum",
            "Warteraum",
            "待機室内",
            "待機室",
            "대기실",
            "In sala d'attesa",
        ],
    ),
    (Col::Attended, &["Attended", "A participé", "Présent", "Asistió", "Asistencia", "Teilgenommen", "出席"]),
    // `Nome` (pt-BR): a registration table's first name beside `Sobrenome`, and the whole name
    // when alone, as a pt-BR Teams report heads it (sources above, at `Nome Completo`).
    (Col::FirstName, &["First Name", "Prénom", "Nombre", "Vorname", "名", "Nome"]),
    // `Cognome` and `Sobrenome`: Italian's and Brazilian Portuguese's one word for a surname,
    // beside the `Nome` (first name) above; without them an Italian webinar report's names
    // were printed as first names alone.
    (
        Col::LastName,
        &["Last Name", "Nom", "Nom de famille", "Apellido", "Apellidos", "Nachname", "姓", "Cognome", "Sobrenome"],
    ),
    (Col::Phone, &["Phone", "Téléphone", "Teléfono", "Telefon", "電話"]),
    (
        Col::RegistrationTime,
        // `Registration Date`: GoTo Webinar's attendee report (a date and a time).
        &[
            "Registration Time",
            "Registration Date",
            "Heure d'inscription",
            "Hora de registro",
            "Registrierungszeit",
            "登録時間",
        ],
    ),
    (
        Col::ApprovalStatus,
        &["Approval Status", "Statut d'approbation", "Estado de aprobación", "Genehmigungsstatus", "承認ステータス"],
    ),
    (Col::Country, &["Country/Region Name", "Country/Region", "Pays/Région", "País/Región", "Land/Region", "国/地域"]),
    (Col::Role, &["Role", "Rôle", "Rol", "Rolle", "役割", "Rola", "Função"]),
    (
        Col::FirstJoin,
        &[
            "First Join",
            "First join",
            "Première participation",
            "Première arrivée",
            "Première connexion",
            "Primera unión",
            "Primera entrada",
            "Erster Beitritt",
            "Erste Teilnahme",
            "Pierwsze dołączenie",
            "初めての参加",
            "Primeira entrada",
            "Primeiro ingresso",
        ],
    ),
    (
        Col::LastLeave,
        &[
            "Last Leave",
            "Dernier départ",
            "Dernière déconnexion",
            "Última salida",
            "Letztes Verlassen",
            "Letzter Austritt",
            "Ostatnie wyjście",
            "最終退出",
            "Última saída",
        ],
    ),
    (
        Col::InMeetingDuration,
        &[
            "In-Meeting Duration",
            "Durée de la réunion",
            "Duración en la reunión",
            "Dauer in der Besprechung",
            // German Teams, section 2 (idx:70991020870, at `Beitreten` above): unknown, a
            // participants-only report counted first join to last leave, gaps included.
            "Dauer der Besprechung",
            "会議の長さ",
            "Duração da reunião",
            "Duração na reunião",
            // Polish Teams, section 2 (idx:42644954534): the README's table named it, and the
            // table here did not have it, so a Polish report went to the mapping.
            "Czas udziału w spotkaniu",
        ],
    ),
    (
        Col::ParticipantUpn,
        &[
            "Participant ID (UPN)",
            "ID du participant (UPN)",
            "Teilnehmer-ID (UPN)",
            "Identyfikator uczestnika (UPN)",
            "参加者 ID (UPN)",
            "ID do participante (UPN)",
        ],
    ),
    (Col::RegFirstName, &["Registration First Name"]),
    (Col::RegLastName, &["Registration Last Name"]),
    (Col::RegEmail, &["Registration Email"]),
    (Col::RegStatus, &["Registration Status"]),
    (Col::UserAction, &["User Action", "Action", "Action de l'utilisateur", "Acción del usuario", "Benutzeraktion"]),
    (Col::Timestamp, &["Timestamp", "Horodatage", "Marca de tiempo", "Zeitstempel"]),
    (Col::UtcTimestamp, &["UTC Event Timestamp"]),
    (Col::ParticipantId, &["Participant Id"]),
    (Col::SessionId, &["Session Id"]),
    // Google Meet (format notes 4.3: usaussie/google-meet-attendance-tracker, and later shapes
    // reported by third-party code).
    (Col::TimeJoined, &["Time joined"]),
    (Col::TimeExited, &["Time exited"]),
    (Col::Device, &["Device", "Appareil", "Dispositivo", "Gerät"]),
    (Col::IpAddress, &["IP Address", "Adresse IP", "Dirección IP", "IP-Adresse"]),
    (
        Col::Topic,
        &[
            "Topic",
            "Sujet",
            "Tema",
            "Thema",
            "トピック",
            "주제",
            "Meeting title",
            "Titre de la réunion",
            "Título de la reunión",
            "Besprechungstitel",
            "Argomento",
            "会議のタイトル",
            "Título da reunião",
        ],
    ),
    (
        Col::MeetingId,
        &["Meeting ID", "ID", "ID de réunion", "ID de reunión", "Meeting-ID", "ミーティングID", "회의 ID"],
    ),
    (Col::WebinarId, &["Webinar ID", "ID du webinaire", "ID del seminario web", "Webinar-ID", "ウェビナーID"]),
    (
        Col::StartTime,
        &[
            "Start Time",
            "Meeting Start Time",
            "Heure de début",
            "Hora de inicio",
            "Hora de início",
            "Startzeit",
            "Beginn",
            "開始時刻",
            "시작 시간",
            "Ora di inizio",
        ],
    ),
    (
        Col::EndTime,
        &[
            "End Time",
            "Meeting End Time",
            "Heure de fin",
            "Hora de finalización",
            "Hora de término",
            "Endzeit",
            "Ende",
            "終了時刻",
            "종료 시간",
            "Ora di fine",
        ],
    ),
    (
        Col::ActualStartTime,
        &[
            "Actual Start Time",
            "Heure de début réelle",
            "Hora de inicio real",
            "Tatsächliche Startzeit",
            "実際の開始時刻",
        ],
    ),
    (
        Col::ActualDuration,
        &[
            "Actual Duration (minutes)",
            "Durée réelle (minutes)",
            "Duración real (minutos)",
            "Tatsächliche Dauer (Minuten)",
            "実際の所要時間 (分)",
        ],
    ),
    (Col::ScheduledTime, &["Scheduled Time", "Scheduled Start Time", "Heure prévue", "Hora programada"]),
    (Col::Host, &["Host", "Hôte", "Anfitrión", "Organisateur", "ホスト", "호스트", "Organizzatore", "Anfitrião"]),
    (Col::HostName, &["User Name", "Nome organizzatore"]),
    (
        Col::Participants,
        &["Participants", "Participants count", "Participantes", "Teilnehmer (Anzahl)", "参加者", "Partecipanti"],
    ),
    (
        Col::CreationTime,
        &["Creation Time", "Heure de création", "Hora de creación", "Erstellungszeit", "Ora di creazione"],
    ),
    // Webex (README, format table): `Event Name … Connection Type` from a public Webex Events
    // report (idx:47041268726); `Display Name` with `Attendee Email` and `Attendance Duration`
    // from a third-party Webex report validator (idx:60418419780); `Participant Type` is the
    // attendee report's field `participantType` in Webex's API reference.
    (Col::DisplayName, &["Display Name"]),
    (Col::AttendeeEmail, &["Attendee Email"]),
    (Col::ParticipantType, &["Participant Type"]),
    (Col::EventName, &["Event Name", "Meeting Name"]),
    (Col::EventStart, &["Event Start Time"]),
    (Col::EventEnd, &["Event End Time"]),
    (Col::AttendanceDuration, &["Attendance Duration"]),
    (Col::ConnectionType, &["Connection Type"]),
    // GoTo (README, format table): the attendee table's `Time in Session` and the summary block's
    // `Time Zone`.
    (Col::TimeInSession, &["Time in Session"]),
    (Col::TimeZone, &["Time Zone", "Timezone"]),
];

/// The comparison key of a header (or any label) text.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc().flat_map(char::to_lowercase) {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
            c if c.is_whitespace() || c == '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    while out.ends_with(':') {
        out.pop();
    }
    out
}

fn table() -> &'static HashMap<String, Vec<Col>> {
    static TABLE: OnceLock<HashMap<String, Vec<Col>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m: HashMap<String, Vec<Col>> = HashMap::new();
        for (col, names) in ALIASES {
            for n in *names {
                let cols = m.entry(normalise(n)).or_default();
                if !cols.contains(col) {
                    cols.push(*col);
                }
            }
        }
        m
    })
}

/// Every column a header text may stand for. Some texts are ambiguous on their own (`User Name`
/// is the host in Active Hosts and the participant in the 2022 meeting report; `Nombre` is a
/// first name in a registration table): the family parser decides with the rest of the row.
pub fn lookup(header: &str) -> &'static [Col] {
    let key = normalise(header);
    match table().get(&key) {
        Some(cols) => cols.as_slice(),
        // Translations of "In waiting room" vary more than the table can list (`대기실에 있음`,
        // `待機室にいる`, `En la sala de espera`), and missing the column counts waiting-room
        // time as attendance: any header naming the waiting room is that column.
        None if WAITING_ROOM_STEMS.iter().any(|s| key.contains(s)) => &[Col::WaitingRoom],
        // Zoom heads its name column `<a word for name> (<original name>)`, and the word before
        // the brackets changes with the report (`Name`, `User Name`; `Nome`, `Nome utente`):
        // any header ending with the bracketed words for "original name" of a name header in
        // the table above is the name column. (A guest whose name stood only there was dropped.)
        None if ORIGINAL_NAME_ENDINGS.iter().any(|s| key.ends_with(s)) => &[Col::Name],
        // A header naming its zone (`Join Time (UTC)`) is the column it names without it; the
        // zone is the times' ([`Ctx::zone_in_headers`](super::Ctx::zone_in_headers)).
        None => match super::dates::zone_in_header(header) {
            Some((_, rest)) if !rest.is_empty() => lookup(rest),
            _ => local_time(header).map_or(&[], lookup),
        },
    }
}

/// The header without a bracket at its end saying the times are local (`Join Time (local)`,
/// `Heure d'arrivée (heure locale)`): the times of such a column are in the downloader's zone,
/// the upload's, as a header without the bracket says too. Zoom's `Join Time (local)` was not
/// read as Zoom's join (round 25's re-test).
fn local_time(header: &str) -> Option<&str> {
    const LOCAL: &[&str] =
        &["local", "localtime", "local time", "heure locale", "hora local", "ortszeit", "ora locale", "lokale zeit"];
    let h = header.trim_end().strip_suffix(')')?;
    let (rest, inner) = h.rsplit_once('(')?;
    let inner = inner.trim().to_lowercase();
    (LOCAL.contains(&inner.as_str()) && !rest.trim().is_empty()).then(|| rest.trim_end())
}

/// Normalised endings of the name headers of [`ALIASES`] that say "(original name)", and
/// French's other way of saying it (`Nom d'utilisateur (nom d'origine)`: a French webinar report's
/// host and panelist tables were not read).
const ORIGINAL_NAME_ENDINGS: &[&str] = &[
    "(originalname)",
    "(nomoriginal)",
    "(nomd'origine)",
    "(nombreoriginal)",
    "(ursprünglichername)",
    "(元の名前)",
    "(원래이름)",
    "(nomeoriginale)",
    "(nomeoriginal)",
    "(настоящееимя)",
];

/// Normalised words for "waiting room" in the languages of [`ALIASES`], and in Russian,
/// Ukrainian, Polish, Romanian, Czech, Chinese and Arabic (each language's word for the room,
/// Zoom's name for it in its interface; no export of theirs seen): a header holding one is the
/// waiting-room column, and a Russian export's waiting time was counted as attendance.
const WAITING_ROOM_STEMS: &[&str] = &[
    "waitingroom",
    "salled'attente",
    "saladeespera",
    "warteraum",
    "待機室",
    "대기실",
    "salad'attesa",
    "залеожидания",
    "заложидания",
    "заліочікування",
    "залочікування",
    "poczekalni",
    "saladeașteptare",
    "saladeaşteptare",
    "čekárn",
    "等候室",
    "غرفةالانتظار",
];

/// A header row: for each known column, every position it appears at (Active Hosts repeats
/// `User Email` and `Duration (Minutes)`).
#[derive(Debug, Clone, Default)]
pub struct HeaderMap {
    pub names: Vec<String>,
    /// A short list searched linearly rather than a `HashMap`: a row has a dozen known columns,
    /// and hashing on every lookup of every row was 7 % of the time spent parsing.
    positions: Vec<(Col, Vec<usize>)>,
}

impl HeaderMap {
    pub fn new(fields: &csv::StringRecord) -> Self {
        let mut positions: Vec<(Col, Vec<usize>)> = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            for col in lookup(f) {
                match positions.iter_mut().find(|(c, _)| c == col) {
                    Some((_, ps)) => ps.push(i),
                    None => positions.push((*col, vec![i])),
                }
            }
        }
        let mut h = HeaderMap { names: fields.iter().map(|f| f.trim().to_owned()).collect(), positions };
        // `User Name` is the participant's name only when no other name column exists.
        if !h.has(Col::Name) {
            if let Some(p) = h.all(Col::HostName).map(<[usize]>::to_vec) {
                h.positions.push((Col::Name, p));
            }
        }
        // French and Spanish Teams reports head the name column `Nom` / `Nombre`, which in a
        // registration table are the last and first names. Alone, each is the whole name.
        if !h.has(Col::Name) && h.has(Col::FirstName) != h.has(Col::LastName) {
            if let Some(p) = h.all(Col::FirstName).or(h.all(Col::LastName)).map(<[usize]>::to_vec) {
                h.positions.push((Col::Name, p));
            }
        }
        h
    }

    fn all(&self, col: Col) -> Option<&[usize]> {
        self.positions.iter().find(|(c, _)| *c == col).map(|(_, ps)| ps.as_slice())
    }

    pub fn has(&self, col: Col) -> bool {
        self.all(col).is_some()
    }

    /// How many known columns the row names: a row of data names none or one by chance.
    pub fn known(&self) -> usize {
        self.positions.len()
    }

    /// The position of `col` in the participant part of the row: the first at or after the
    /// name column, else the first anywhere.
    pub fn pos(&self, col: Col) -> Option<usize> {
        let all = self.all(col)?;
        let name = self.all(Col::Name).and_then(|p| p.first()).copied().unwrap_or(0);
        all.iter().find(|&&p| p >= name).or(all.first()).copied()
    }

    /// The position of `col` before the name column (the meeting part of an Active Hosts row).
    pub fn pos_before_name(&self, col: Col) -> Option<usize> {
        let name = self.pos(Col::Name)?;
        self.all(col)?.iter().find(|&&p| p < name).copied()
    }

    /// The header text at a position, for error messages.
    pub fn label(&self, pos: usize) -> &str {
        self.names.get(pos).map(String::as_str).unwrap_or("?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_apostrophe_and_fullwidth_parentheses_match() {
        assert!(lookup("Heure d\u{2019}arrivée").contains(&Col::Join));
        assert!(lookup("所要時間（分）").contains(&Col::Duration));
        assert!(lookup("Duration(Minutes)").contains(&Col::Duration));
        for header in
            ["Nome utente (nome originale)", "Nome de usuário (nome original)", "Benutzername (ursprünglicher Name)"]
        {
            assert_eq!(lookup(header), [Col::Name], "{header}");
        }
        assert!(lookup("  NAME (original NAME) ").contains(&Col::Name));
        assert!(lookup("Report Generated:").is_empty());
    }

    #[test]
    fn a_header_naming_its_zone_or_local_time_is_the_column_it_names() {
        for header in
            ["Join Time (UTC)", "Join Time (local)", "Join Time (Local Time)", "Heure d'arrivée (heure locale)"]
        {
            assert!(lookup(header).contains(&Col::Join), "{header}");
        }
        assert!(lookup("Leave Time (GMT+01:00)").contains(&Col::Leave));
        assert!(lookup("Join Time (elsewhere)").is_empty());
    }

    #[test]
    fn repeated_columns_keep_every_position() {
        let fields = csv::StringRecord::from(vec!["Topic", "User Email", "Name (Original Name)", "User Email"]);
        let h = HeaderMap::new(&fields);
        assert_eq!(h.pos(Col::Email), Some(3));
        assert_eq!(h.pos_before_name(Col::Email), Some(1));
    }

    /// `Nome` is the whole name only when no other name column exists: beside `Sobrenome` in a
    /// registration table it is the first name (it was a second name column before).
    #[test]
    fn portuguese_nome_is_the_whole_name_only_alone() {
        let alone = HeaderMap::new(&csv::StringRecord::from(vec!["Nome", "Primeira entrada", "Última saída"]));
        assert_eq!(alone.pos(Col::Name), Some(0));
        let beside =
            HeaderMap::new(&csv::StringRecord::from(vec!["Nome (nome original)", "Nome", "Sobrenome", "E-mail"]));
        assert_eq!(beside.pos(Col::Name), Some(0));
        assert_eq!(beside.pos(Col::FirstName), Some(1));
    }
}
