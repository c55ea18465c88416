//! What a file read through the column mapping, or a family reader, does with cells it cannot
//! read, and what the inference must not take for a column (issue 22, round 22's faults): each
//! would otherwise certify someone the file says should not be.

use crate::harness::{Db, assert_decided, columns_in_utc, person};

/// A mapped table whose duration column staff named, holding a cell attest cannot read: the
/// file is refused at that row, naming the column, the value and the way out. The cell was
/// dropped and the 95 minutes from join to leave counted: a stated 70 certified.
#[test]
fn a_duration_staff_named_that_cannot_be_read_refuses_the_row() {
    let text = "Teilnehmer,Mail,Anfang,Ende,Zeit\n\
        Olena Petrenko,olena@example.ua,2025-03-14 10:00:00,2025-03-14 11:35:00,environ 70 min\n\
        Wei Zhang,wei@example.cn,2025-03-14 10:00:00,2025-03-14 11:40:00,100\n";
    let mut db = Db::new();
    let ev = db.event("dur", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let msg =
        db.refusal(&ev, "sessions.csv", text.as_bytes(), columns_in_utc("name=1,email=2,join=3,leave=4,duration=5"));
    assert!(msg.starts_with("sessions.csv: "), "{msg}");
    assert!(msg.contains("line 2: column \"Zeit\""), "{msg}");
    assert!(msg.contains("environ 70 min"), "{msg}");
    assert!(msg.contains("leave duration=5 out of the columns"), "{msg}");
    // Left out, as the message says: each row's join to leave counts.
    db.import_opts(&ev, "sessions.csv", text.as_bytes(), columns_in_utc("name=1,email=2,join=3,leave=4")).unwrap();
    assert_decided(&db.decisions(&ev), &[("olena@example.ua", 95 * 60, true), ("wei@example.cn", 100 * 60, true)]);
}

/// A family's duration cell it cannot read (a Google Meet report someone retyped): the row's
/// join to leave counts, and the person goes to review saying why. The cell was dropped
/// silently and the person certified as if the report stated nothing.
#[test]
fn a_family_duration_that_cannot_be_read_sends_the_person_to_review() {
    let text = "First name,Last name,Email,Duration,Time joined,Time exited\n\
        Olena,Petrenko,olena@example.ua,environ 70 min,10:00 AM,11:35 AM\n\
        Wei,Zhang,wei@example.cn,1 hr 40 min,10:00 AM,11:40 AM\n";
    let mut db = Db::new();
    let ev = db.event("meet", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    db.import_bytes(&ev, "2025-03-14 10-00 Seminar - Attendance Report.csv", text.as_bytes(), None, None).unwrap();
    let ds = db.decisions(&ev);
    let olena = person(&ds, "olena@example.ua");
    assert_eq!(olena.attended_seconds, 95 * 60);
    assert!(olena.review.iter().any(|r| r.contains("\"environ 70 min\" could not be read")), "{olena:?}");
    assert!(person(&ds, "wei@example.cn").review.is_empty());
}

/// A header text that heads two columns (Zoom's Active Hosts export: the host's email, then the
/// participant's, alike) names neither: attest asks for the number. The first was taken, and
/// every participant merged into the host, who was certified alone.
#[test]
fn a_header_text_of_two_columns_is_refused_for_a_number() {
    let text = "Ел. пошта користувача,Ім’я,Ел. пошта користувача,Час приєднання,Час виходу\n\
        host@coe.int,Zhang Wei,wei@example.cn,2025-03-14 10:00:00,2025-03-14 11:36:00\n\
        host@coe.int,Олена Петренко,olena@example.ua,2025-03-14 10:00:00,2025-03-14 11:10:00\n";
    let mut db = Db::new();
    let ev = db.event("dup", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let by_text = "name=Ім’я,email=Ел. пошта користувача,join=Час приєднання,leave=Час виходу";
    let msg = db.refusal(&ev, "uk.csv", text.as_bytes(), columns_in_utc(by_text));
    assert!(msg.contains("email=\"Ел. пошта користувача\": 2 columns have that header (columns 1, 3)"), "{msg}");
    db.import_opts(&ev, "uk.csv", text.as_bytes(), columns_in_utc("name=2,email=3,join=4,leave=5")).unwrap();
    assert_decided(&db.decisions(&ev), &[("wei@example.cn", 96 * 60, true), ("olena@example.ua", 70 * 60, false)]);
}

/// Columns staff named that the cells contradict are refused, naming the field, the column and
/// a cell, and nothing is stored or remembered (round 25): an email column of names stored
/// "aino virtanen" as an address, a name column of date-times printed one on the certificates,
/// one column as both join and leave made everyone 0:00, and a duration taken for the join with
/// `--date` was read as times of day, certifying two people.
#[test]
fn columns_the_cells_contradict_are_refused_and_nothing_is_stored() {
    let text = "Nimi,Sähköposti,Liittyi,Poistui,Kesto\n\
        Aino Virtanen,aino@example.fi,2025-03-14 09:55:00,2025-03-14 11:45:00,01:50:00\n\
        Mikko Korhonen,mikko@example.fi,2025-03-14 10:20:00,2025-03-14 11:30:00,01:10:00\n\
        Juha Nieminen,juha@example.fi,2025-03-14 10:05:00,2025-03-14 11:20:00,01:15:00\n";
    let mut db = Db::new();
    let ev = db.event("contradicted", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let cases = [
        (
            "name=2,email=1,join=3,leave=4",
            "email=1: column 1 \"Nimi\" holds no email addresses (line 2: \"Aino Virtanen\")",
        ),
        (
            "name=3,email=2,join=4,leave=5",
            "name=3: column 3 \"Liittyi\" holds date-times, not names (line 2: \"2025-03-14 09:55:00\")",
        ),
        ("name=1,email=2,join=3,leave=3", "join=3 and leave=3 name the same column"),
        (
            "name=1,email=2,join=5,leave=4",
            "join=5: column 5 \"Kesto\" holds times without a date where the other column holds dates and times: if it is each row's time in the meeting, map it as duration=5",
        ),
    ];
    for (columns, why) in cases {
        let msg = db.refusal(&ev, "jitsi.csv", text.as_bytes(), |o| {
            o.columns = Some(attest::import::mapping::parse_columns_arg(columns).unwrap());
            o.meeting_date = chrono::NaiveDate::from_ymd_opt(2025, 3, 14);
        });
        assert!(msg.starts_with("jitsi.csv: the column mapping cannot be used: "), "{msg}");
        assert!(msg.contains(why), "{columns}: {msg}");
    }
    for table in ["uploads", "column_mappings"] {
        let stored: i64 = db.conn.row_for_tests(&format!("SELECT count(*) FROM {table}"), (), |r| r.get(0)).unwrap();
        assert_eq!(stored, 0, "{table}");
    }
    db.import_opts(&ev, "jitsi.csv", text.as_bytes(), columns_in_utc("name=1,email=2,join=3,leave=4,duration=5"))
        .unwrap();
    assert_decided(
        &db.decisions(&ev),
        &[
            ("aino@example.fi", 100 * 60, true),
            ("mikko@example.fi", 70 * 60, false),
            ("juha@example.fi", 75 * 60, true),
        ],
    );
    // An email column where a few cells write `N/A` is still the email column (its re-test: a
    // Croatian list with one `N/A` in five was refused).
    let some_na = text.replace("juha@example.fi", "N/A").replace("mikko@example.fi", "N/A");
    let ev = db.event("contradicted-na", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    db.import_opts(&ev, "jitsi-na.csv", some_na.as_bytes(), columns_in_utc("name=1,email=2,join=3,leave=4")).unwrap();
    assert_eq!(db.decisions(&ev).len(), 3);
}

/// A Teams report in a language without words, re-saved by Excel in its code page, which wrote
/// `?` for the letters of a Greek name: the names are still inferred (the `?` name goes to
/// review). One such name in seven cost the column its share of words: the certificates went
/// to email addresses, and a guest without one was dropped.
#[test]
fn names_a_code_page_lost_still_make_the_name_column() {
    let text = "Jméno;Čas připojení;Čas odchodu;E-mail;Role\r\n\
        Marie Horáková;14.03.25 9:50:00;14.03.25 11:45:00;marie@coe.int;Organizátor\r\n\
        Jiří Novák;14.03.25 10:00:00;14.03.25 11:40:00;p0@example.org;Účastník\r\n\
        Ana Ruiz;14.03.25 10:00:00;14.03.25 11:40:00;p1@example.org;Účastník\r\n\
        Petr Svoboda;14.03.25 10:00:00;14.03.25 11:40:00;p2@example.org;Účastník\r\n\
        Eva Dvořáková;14.03.25 10:00:00;14.03.25 11:40:00;p3@example.org;Účastník\r\n\
        ???????? ??????;14.03.25 10:00:00;14.03.25 11:40:00;p4@example.org;Účastník\r\n\
        Tomáš Marek;14.03.25 10:00:00;14.03.25 11:40:00;;Účastník\r\n";
    let mut db = Db::new();
    let ev = db.event("cs", Some(("2025-03-14T09:00:00Z", "2025-03-14T10:40:00Z")));
    let ds = db.decisions_inferred(&ev, "cs.csv", text.as_bytes(), chrono_tz::Europe::Prague);
    assert_eq!(person(&ds, "p0@example.org").name, "Jiří Novák");
    assert_decided(&ds, &[("Tomáš Marek", 100 * 60, true)]);
    assert!(!person(&ds, "p4@example.org").review.is_empty(), "the lost name is looked at");
}

/// A column of connection ids (a GUID a row) has more distinct values than the names of people
/// who reconnect, and was inferred as the name: accepted, certificates went to GUIDs.
#[test]
fn a_column_of_ids_is_never_the_name() {
    let text = "Sitzungs-ID,Teilnehmer,Beitritt,Austritt\n\
        cd613e30-d8f1-6adf-91b7-584a2265b1f5,Zhang Wei 张伟,14.03.2025 10:02:00,14.03.2025 10:50:00\n\
        1e2feb89-414c-343c-1027-c4d1c386bbc4,Zhang Wei 张伟,14.03.2025 10:52:00,14.03.2025 11:38:00\n\
        78e51061-7311-d8a3-c2ce-6f447ed4d57b,Ahmed Mansour,14.03.2025 10:00:00,14.03.2025 10:40:00\n\
        35bf992d-c9e9-c616-612e-7696a6cecc1b,Ahmed Mansour,14.03.2025 10:45:00,14.03.2025 11:10:00\n\
        e4b06ce6-0741-c7a8-7ce4-2c8218072e8c,Ngozi Okafor,14.03.2025 10:20:00,14.03.2025 11:40:00\n";
    let mut db = Db::new();
    let ev = db.event("ids", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let ds = db.decisions_inferred(&ev, "sitzungen.csv", text.as_bytes(), chrono_tz::UTC);
    assert_decided(
        &ds,
        &[("Zhang Wei 张伟", 94 * 60, true), ("Ahmed Mansour", 65 * 60, false), ("Ngozi Okafor", 80 * 60, true)],
    );
}

/// A Zoom history export, one row per participant with the meeting's columns repeated (the
/// host's email on every row), holding two meetings, in a language without header words: the
/// participants' email is inferred, not the host's (everyone had merged into the two hosts),
/// and the meetings are asked about or chosen with `--meeting`, as for the English export (a
/// parallel course's participants were certified, and `--meeting` ignored).
#[test]
fn a_mapped_history_export_of_two_meetings_asks_which_one() {
    let head = "Konu,Kimlik,Düzenleyen e-postası,Ad (orijinal ad),E-posta,Katılma zamanı,Ayrılma zamanı\n";
    let ours = "İnsan hakları semineri,812 3456 7890,marie@coe.int";
    let theirs = "Ceza hukuku kursu,845 9876 5432,ahmet@example.com.tr";
    let text = format!(
        "{head}{ours},Ayşe Yılmaz,ayse@example.com.tr,03/14/2025 10:00:00 AM,03/14/2025 11:40:00 AM\n\
         {ours},Kemal Arslan,kemal@example.com.tr,03/14/2025 10:00:00 AM,03/14/2025 11:10:00 AM\n\
         {ours},Elif Demir,elif@example.com.tr,03/14/2025 10:05:00 AM,03/14/2025 11:40:00 AM\n\
         {theirs},Burak Çelik,burak@example.com.tr,03/14/2025 09:50:00 AM,03/14/2025 11:50:00 AM\n\
         {theirs},Zeynep Koç,zeynep@example.com.tr,03/14/2025 09:50:00 AM,03/14/2025 11:50:00 AM\n\
         {theirs},Can Öztürk,can@example.com.tr,03/14/2025 09:50:00 AM,03/14/2025 11:50:00 AM\n"
    );
    let mut db = Db::new();
    let ev = db.event("tr", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let dry = db.refusal(&ev, "gecmis.csv", text.as_bytes(), |o| o.tz = chrono_tz::UTC);
    assert!(dry.contains("email = column 5"), "{dry}");
    let msg = db.refusal(&ev, "gecmis.csv", text.as_bytes(), columns_in_utc("name=4,email=5,join=6,leave=7"));
    assert!(msg.contains("the file holds 2 meetings; choose one with --meeting ID"), "{msg}");
    assert!(msg.contains("812 3456 7890; 845 9876 5432"), "{msg}");
    db.import_opts(&ev, "gecmis.csv", text.as_bytes(), |o| {
        columns_in_utc("name=4,email=5,join=6,leave=7")(o);
        o.meeting = Some("81234567890".into());
    })
    .unwrap();
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 3, "{ds:?}");
    assert_decided(&ds, &[("ayse@example.com.tr", 100 * 60, true), ("kemal@example.com.tr", 70 * 60, false)]);
}

/// Czech Teams tags a guest `(Host)` ("host" is Czech for guest) beside the role cell
/// `Účastník`: the row's own role cell decides, not a tag on its name (the guest was refused
/// as a host, with nothing to review).
#[test]
fn a_role_cell_outweighs_a_host_tag_on_the_name() {
    let text = "Jméno\tČas připojení\tČas odchodu\tE-mail\tRole\n\
        Marie Horáková\t14.03.25 9:50:00\t14.03.25 11:45:00\tmarie@coe.int\tOrganizátor\n\
        Jiří Novák\t14.03.25 10:00:00\t14.03.25 11:40:00\tjiri@example.cz\tÚčastník\n\
        Ana Ruiz\t14.03.25 10:00:00\t14.03.25 11:40:00\tana@example.es\tÚčastník\n\
        Petr Svoboda\t14.03.25 10:00:00\t14.03.25 11:40:00\tpetr@example.cz\tÚčastník\n\
        李伟 (Host)\t14.03.25 10:10:00\t14.03.25 11:35:00\t\tÚčastník\n\
        Eva Dvořáková\t14.03.25 10:00:00\t14.03.25 11:40:00\teva@example.cz\tÚčastník\n";
    let mut db = Db::new();
    let ev = db.event("cs", Some(("2025-03-14T09:00:00Z", "2025-03-14T10:40:00Z")));
    let ds = db.decisions_inferred(&ev, "cs.tsv", text.as_bytes(), chrono_tz::Europe::Prague);
    crate::harness::assert_roles(
        &ds,
        &[("marie@coe.int", attest::attendance::Role::Host, false), ("李伟", attest::attendance::Role::Attendee, true)],
    );
    assert_decided(&ds, &[("李伟", 85 * 60, true)]);
}

/// Zoom's participants report in a language without header words: the waiting-room column is
/// inferred from its shape (the rows under its rarer word end where the same person's next
/// row starts), so `--accept-inferred` keeps the waiting time out; and a waiting column staff
/// name whose words attest has no yes for reads its rarer word as waiting. Both times the
/// column was dropped and half an hour in the waiting room certified.
#[test]
fn the_waiting_room_is_inferred_by_its_shape_and_read_in_any_words() {
    let text = "Jina,Barua pepe,Kujiunga,Kuondoka,Muda (dakika),Mgeni,Chumba cha kusubiri\n\
        Amina Juma,amina@example.tz,2025-03-14 10:00:00,2025-03-14 10:30:00,30,Hapana,Ndiyo\n\
        Amina Juma,amina@example.tz,2025-03-14 10:30:00,2025-03-14 11:40:00,70,Hapana,Hapana\n\
        Baraka Mwita,baraka@example.tz,2025-03-14 10:00:00,2025-03-14 11:40:00,100,Hapana,Hapana\n\
        Chausiku Ali,chausiku@example.tz,2025-03-14 10:00:00,2025-03-14 11:35:00,95,Hapana,Hapana\n\
        Daudi Said,daudi@example.tz,2025-03-14 10:05:00,2025-03-14 11:40:00,95,Hapana,Hapana\n\
        Eshe Mrema,eshe@example.tz,2025-03-14 10:00:00,2025-03-14 11:40:00,100,Hapana,Hapana\n";
    let mut db = Db::new();
    let ev = db.event("sw", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let ds = db.decisions_inferred(&ev, "washiriki.csv", text.as_bytes(), chrono_tz::UTC);
    assert_decided(&ds, &[("amina@example.tz", 70 * 60, false), ("baraka@example.tz", 100 * 60, true)]);
    let mut named = Db::new();
    let ev = named.event("sw", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let out = named
        .import_opts(&ev, "washiriki.csv", text.as_bytes(), columns_in_utc("name=1,email=2,join=3,leave=4,waiting=7"))
        .unwrap();
    let warnings = crate::harness::summary(&out).warnings.join("\n");
    assert!(warnings.contains("\"Ndiyo\", the rarer of its two words, read as in the waiting room"), "{warnings}");
    assert_decided(&named.decisions(&ev), &[("amina@example.tz", 70 * 60, false)]);
}

/// A small Webex report (six rows) whose role column holds one word attest lacks (a panelist's,
/// `Diskussionsteilnehmer`) beside known ones: the column is still read, by the Zoom reader
/// that reads the file and by the inference, the known organisers are hosts and the unknown
/// word's person goes to review. One such word in six had the column ignored, and the
/// organiser and co-organiser certified.
#[test]
fn one_unknown_role_word_in_a_small_file_does_not_discard_the_role_column() {
    let text = "Name\tE-Mail\tBeitrittszeit\tVerlassenszeit\tRolle\n\
        Maria Rossi\torganiser@coe.int\t2025-03-14 09:45:00\t2025-03-14 11:55:00\tGastgeber\n\
        Jean Dupont\tjean@coe.int\t2025-03-14 09:53:00\t2025-03-14 11:40:00\tMitgastgeber\n\
        Ana Ruiz\tana@example.es\t2025-03-14 10:00:00\t2025-03-14 11:40:00\tDiskussionsteilnehmer\n\
        Ngozi Okafor\tngozi@example.ng\t2025-03-14 10:20:00\t2025-03-14 11:40:00\tTeilnehmer\n\
        Zhang Wei\twei@example.cn\t2025-03-14 10:02:00\t2025-03-14 11:38:00\tTeilnehmer\n\
        Ahmed Mansour\tahmed@example.eg\t2025-03-14 10:00:00\t2025-03-14 11:10:00\tTeilnehmer\n";
    let mut db = Db::new();
    let ev = db.event("de", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let ds = db.decisions_inferred(&ev, "webex.tsv", text.as_bytes(), chrono_tz::UTC);
    crate::harness::assert_roles(
        &ds,
        &[
            ("organiser@coe.int", attest::attendance::Role::Host, false),
            ("jean@coe.int", attest::attendance::Role::Host, false),
            ("ana@example.es", attest::attendance::Role::Panelist, false),
            ("wei@example.cn", attest::attendance::Role::Attendee, true),
        ],
    );
    // The same rows under headers attest has no words for: the inference takes the column too.
    let unknown =
        text.replacen("Name\tE-Mail\tBeitrittszeit\tVerlassenszeit\tRolle", "Jina\tBarua\tKuingia\tKutoka\tAina", 1);
    let mut fresh = Db::new();
    let ev = fresh.event("sw", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let dry = fresh.refusal(&ev, "webex.tsv", unknown.as_bytes(), |o| o.tz = chrono_tz::UTC);
    assert!(dry.contains("role = column 5"), "{dry}");
    let ds = fresh.decisions_inferred(&ev, "webex.tsv", unknown.as_bytes(), chrono_tz::UTC);
    crate::harness::assert_roles(&ds, &[("organiser@coe.int", attest::attendance::Role::Host, false)]);
}

/// Zoom's history list exported without the participants' details: one row per meeting, its
/// topic the only text. The inference asks instead of offering it: accepted, a meeting's topic
/// was an eligible person.
#[test]
fn a_list_of_meetings_is_not_offered_as_people() {
    let text = "Topic,ID,Host,Duration (minutes),Start time,End time,Participants\n\
        Freedom of expression online,81234567890,Marie Dubois (marie.dubois@coe.int),104,\"03/14/2025 11:28:00 AM\",\"03/14/2025 01:12:00 PM\",87\n\
        Team sync,84511112222,Marie Dubois (marie.dubois@coe.int),30,\"03/14/2025 02:00:00 PM\",\"03/14/2025 02:30:00 PM\",5\n\
        HELP Q&A,83322223333,Petr Novák (petr.novak@coe.int),110,\"03/14/2025 11:25:00 AM\",\"03/14/2025 01:15:00 PM\",42\n";
    let mut db = Db::new();
    let ev = db.event("list", Some(("2025-03-14T11:30:00Z", "2025-03-14T13:10:00Z")));
    let msg = db.refusal(&ev, "meetings.csv", text.as_bytes(), |o| {
        o.tz = chrono_tz::UTC;
        o.accept_inferred = true;
    });
    assert!(msg.contains("this looks like a list of meetings"), "{msg}");
}

/// A webinar report in a language without words, read through the mapping: the host stands in
/// the first block above the attendees' table, a promoted attendee in the panelists' block
/// after it. Only the first block's people are hosts; the promoted attendee stays an attendee,
/// to review. He was read as the host, and refused with nothing to look at.
#[test]
fn only_the_first_block_above_the_table_names_the_host() {
    let text = "参会者报告\n\
        主持人详情\n\
        已参加,用户名,电子邮箱,加入时间,离开时间\n\
        是,山田 太郎,yamada@coe.int,2025-03-14 09:50:00,2025-03-14 11:45:00\n\
        嘉宾详情\n\
        已参加,用户名,电子邮箱,加入时间,离开时间\n\
        是,Jan de Vries,jan@example.nl,2025-03-14 11:00:00,2025-03-14 11:40:00\n\
        参会者详情\n\
        已参加,用户名,电子邮箱,加入时间,离开时间\n\
        是,Jan de Vries,jan@example.nl,2025-03-14 10:10:00,2025-03-14 11:00:00\n\
        是,Anna Kovács,anna@example.hu,2025-03-14 10:00:00,2025-03-14 11:40:00\n\
        是,Γιώργος Παπαδόπουλος,giorgos@example.gr,2025-03-14 10:00:00,2025-03-14 11:40:00\n\
        是,山田 太郎,yamada@coe.int,2025-03-14 10:00:00,2025-03-14 11:40:00\n";
    let mut db = Db::new();
    let ev = db.event("zh", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    db.import_opts(&ev, "report.csv", text.as_bytes(), columns_in_utc("name=2,email=3,join=4,leave=5")).unwrap();
    let ds = db.decisions(&ev);
    crate::harness::assert_roles(
        &ds,
        &[
            ("yamada@coe.int", attest::attendance::Role::Host, false),
            ("jan@example.nl", attest::attendance::Role::Attendee, false),
        ],
    );
    assert!(!person(&ds, "jan@example.nl").review.is_empty());
}

/// Durations written out in Indonesian, Hungarian, Greek and Danish (CLDR's unit names) are read
/// in a list of totals; a list whose durations attest cannot read names the cell that stopped it
/// (round 25: all four were refused, "check the column numbers", with no value or line).
#[test]
fn durations_written_in_more_languages_are_read_and_an_unread_one_is_named() {
    for (eighty, sixty_five) in [
        ("1 jam 20 mnt", "1 jam 5 mnt"),
        ("1 óra 20 perc", "1 óra 5 perc"),
        ("1 ώρα 20 λεπτά", "1 ώρα 5 λεπτά"),
        ("1 t. 20 min.", "1 t. 5 min."),
    ] {
        let text = format!("Nama,Email,Durasi\nAna Ruiz,ana@example.es,{eighty}\nBo Berg,bo@example.se,{sixty_five}\n");
        let mut db = Db::new();
        let ev = db.event("words", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
        db.import_opts(&ev, "durasi.csv", text.as_bytes(), columns_in_utc("name=1,email=2,duration=3")).unwrap();
        assert_decided(&db.decisions(&ev), &[("ana@example.es", 80 * 60, true), ("bo@example.se", 65 * 60, false)]);
    }
    let text =
        "Nama,Email,Durasi\nAna Ruiz,ana@example.es,sekitar satu jam\nBo Berg,bo@example.se,kurang dari satu jam\n";
    let mut db = Db::new();
    let ev = db.event("unread", Some(("2025-03-14T10:00:00Z", "2025-03-14T11:40:00Z")));
    let msg = db.refusal(&ev, "durasi.csv", text.as_bytes(), columns_in_utc("name=1,email=2,duration=3"));
    assert!(
        msg.contains("(line 2 holds \"sekitar satu jam\" in column 3, which is no duration attest can read)"),
        "{msg}"
    );
}
