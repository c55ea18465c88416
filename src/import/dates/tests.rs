//! The date-time reader on the cells the exports write.

use super::*;
use chrono::Timelike;

fn naive(s: &str, order: Option<DateOrder>) -> NaiveDateTime {
    Stamp::parse(s).unwrap().resolve(order, None).unwrap()
}

#[test]
fn date_orders_read_back_in_any_case_and_an_unknown_one_names_the_choices() {
    for o in DateOrder::ALL {
        assert_eq!(o.as_str().parse::<DateOrder>(), Ok(o));
        assert_eq!(o.as_str().to_uppercase().parse::<DateOrder>(), Ok(o));
    }
    assert_eq!("myd".parse::<DateOrder>(), Err("unknown date order \"myd\" (use mdy, dmy or ymd)".to_owned()));
}

#[test]
fn a_damaged_year_is_refused_not_read_as_the_far_future() {
    let err = Stamp::parse("11/12/20204 15:56:46").unwrap().resolve(Some(DateOrder::Dmy), None).unwrap_err();
    assert!(err.contains("year 20204"), "{err}");
    assert!(Stamp::parse("11/12/202 15:56:46").unwrap().resolve(Some(DateOrder::Dmy), None).is_err());
    assert_eq!(naive("11/12/20 15:56:46", Some(DateOrder::Dmy)).to_string(), "2020-12-11 15:56:46");
}

#[test]
fn twelve_hour_noon_and_midnight_are_right() {
    assert_eq!(naive("03/20/2025 12:14:05 PM", Some(DateOrder::Mdy)).hour(), 12);
    assert_eq!(naive("03/20/2025 12:00:00 AM", Some(DateOrder::Mdy)).hour(), 0);
    assert_eq!(naive("03/20/2025 01:08:12 PM", Some(DateOrder::Mdy)).hour(), 13);
    assert!(Stamp::parse("03/20/2025 13:00:00 PM").is_err());
}

#[test]
fn every_documented_format_reads() {
    let cases = [
        ("11/19/2021 09:54:15 AM", Some(DateOrder::Mdy), "2021-11-19 09:54:15"),
        ("2/1/2022 10:37", Some(DateOrder::Mdy), "2022-02-01 10:37:00"),
        ("15/08/2022 01:27", Some(DateOrder::Dmy), "2022-08-15 01:27:00"),
        ("2020/12/8 8:35", None, "2020-12-08 08:35:00"),
        ("Mar 22, 2025 19:13:27", None, "2025-03-22 19:13:27"),
        ("Mar 23, 2025 6:26 PM", None, "2025-03-23 18:26:00"),
        ("Aug 01, 2017 04:53 PM", None, "2017-08-01 16:53:00"),
        ("4/17/23, 7:29:57 PM", Some(DateOrder::Mdy), "2023-04-17 19:29:57"),
        ("14/11/22, 09:29:07", Some(DateOrder::Dmy), "2022-11-14 09:29:07"),
        ("2025-03-14 10:00:00", None, "2025-03-14 10:00:00"),
        ("2025-03-14T10:00:00", None, "2025-03-14 10:00:00"),
        ("14.03.2025 10:00", Some(DateOrder::Dmy), "2025-03-14 10:00:00"),
        ("14 mars 2025 10:00", None, "2025-03-14 10:00:00"),
    ];
    for (text, order, want) in cases {
        assert_eq!(naive(text, order).format("%Y-%m-%d %H:%M:%S").to_string(), want, "{text}");
    }
}

#[test]
fn fast_path_agrees_with_the_general_reader() {
    for text in [
        "11/19/2021 09:54:15 AM",
        "2/1/2022 10:37",
        "12/31/2025 12:00:00 AM",
        "06/28/2025 12:41:03 PM",
        "2020/12/8 8:35",
        "14.03.2025 10:00",
    ] {
        let fast = Stamp::parse_numeric(text.as_bytes()).expect(text);
        let toks = tokens(text);
        let t = (0..toks.len() - 1).find(|&i| matches!(toks[i], Tok::Num(..)) && toks[i + 1] == Tok::Sep(':')).unwrap();
        let (time, offset, named) = parse_time(&toks[t..]).unwrap();
        let general = Stamp { date: parse_date(&toks[..t]).unwrap(), time, offset, named };
        assert_eq!(fast, general, "{text}");
    }
    assert!(Stamp::parse_numeric(b"13/01/2025 13:00 PM").is_none());
}

#[test]
fn meridiem_before_the_time_or_with_dots_is_applied() {
    let cases = [
        ("2025-03-14 오후 1:00:00", "2025-03-14 13:00:00"),
        ("2025-03-14 오전 12:30:00", "2025-03-14 00:30:00"),
        ("2020/12/08 午後 2:30:00", "2020-12-08 14:30:00"),
        ("2020/12/08 午前 9:05", "2020-12-08 09:05:00"),
        // Arabic and Greek day periods (CLDR), Arabic-Indic digits, direction marks.
        ("2025-03-14 1:05:00 م", "2025-03-14 13:05:00"),
        ("2025-03-14 11:05:00 ص", "2025-03-14 11:05:00"),
        ("\u{200F}٢٠٢٥/٠٣/١٤ ١:٠٥:٠٠ م", "2025-03-14 13:05:00"),
        ("2025-03-14 1:05:00 μ.μ.", "2025-03-14 13:05:00"),
        ("2025-03-14 12:05:00 π.μ.", "2025-03-14 00:05:00"),
        ("2025-03-14 01:05:00 ÖS", "2025-03-14 13:05:00"),
        ("2025. 3. 14. 오후 12:05:00", "2025-03-14 12:05:00"),
        ("2025-03-14 01:10:00 p. m.", "2025-03-14 13:10:00"),
        ("2025-03-14 12:10 a.m.", "2025-03-14 00:10:00"),
        ("2025-03-14 12:10 P.M.", "2025-03-14 12:10:00"),
    ];
    for (text, want) in cases {
        assert_eq!(naive(text, None).format("%Y-%m-%d %H:%M:%S").to_string(), want, "{text}");
    }
    assert!(Stamp::parse("2025-03-14 오후 13:00:00").is_err());
}

#[test]
fn a_zone_abbreviation_after_the_time_is_its_offset_and_a_shared_one_needs_the_zone_called_so() {
    let utc = |text: &str| {
        let st = Stamp::parse(text).unwrap();
        place(&st, None, None, chrono_tz::Asia::Tokyo).unwrap().earliest().to_rfc3339()
    };
    assert_eq!(utc("Mar 14, 2025 10:00 AM CET"), "2025-03-14T09:00:00+00:00");
    assert_eq!(utc("Mar 14, 2025 05:00 AM EDT"), "2025-03-14T09:00:00+00:00");
    assert_eq!(utc("2025-07-01 10:00:00 CEST"), "2025-07-01T08:00:00+00:00");
    // German: a GoTo report in German writes `MEZ` and `MESZ`.
    assert_eq!(utc("2025-03-14 10:00 MEZ"), "2025-03-14T09:00:00+00:00");
    assert_eq!(utc("2025-07-01 10:00 MESZ"), "2025-07-01T08:00:00+00:00");
    // `IST` is India's, Ireland's summer and Israel's: read in the import's zone when that zone
    // is called so on the day, and refused otherwise, naming the zones (it was refused even
    // with `--tz Asia/Kolkata`).
    let read = |text: &str, tz: chrono_tz::Tz| {
        place(&Stamp::parse(text).unwrap(), None, None, tz).map(|t| t.earliest().to_rfc3339())
    };
    assert_eq!(read("Mar 14, 2025 10:00 AM IST", chrono_tz::Asia::Kolkata).unwrap(), "2025-03-14T04:30:00+00:00");
    assert_eq!(read("Jul 1, 2025 10:00 AM IST", chrono_tz::Europe::Dublin).unwrap(), "2025-07-01T09:00:00+00:00");
    assert_eq!(read("Jan 8, 2025 10:00 AM CST", chrono_tz::America::Chicago).unwrap(), "2025-01-08T16:00:00+00:00");
    let e = read("Mar 14, 2025 10:00 AM IST", chrono_tz::Asia::Tokyo).unwrap_err();
    assert!(e.contains("\"IST\" names several zones") && e.contains("--tz") && e.contains("Asia/Kolkata"), "{e}");
    // Chicago's clock goes back at 2:00 on 2 November 2025: 1:30 comes twice, CDT then CST.
    assert_eq!(read("Nov 2, 2025 1:30 AM CST", chrono_tz::America::Chicago).unwrap(), "2025-11-02T07:30:00+00:00");
    // Ireland is on GMT in winter: an `IST` time in March is not Irish.
    assert!(read("Mar 14, 2025 10:00 AM IST", chrono_tz::Europe::Dublin).is_err());
}

#[test]
fn fractional_seconds_are_dropped() {
    let st = Stamp::parse("2025-03-14T10:00:07.250Z").unwrap();
    let t = place(&st, None, None, chrono_tz::UTC).unwrap();
    assert_eq!(t.earliest().to_rfc3339(), "2025-03-14T10:00:07+00:00");
}

#[test]
fn iso_with_zone_is_absolute() {
    let st = Stamp::parse("2020-05-18T15:25:48Z").unwrap();
    let t = place(&st, None, None, chrono_tz::Europe::Paris).unwrap();
    assert_eq!(t.earliest().to_rfc3339(), "2020-05-18T15:25:48+00:00");
}

#[test]
fn time_only_takes_the_base_date() {
    let st = Stamp::parse("05:59 PM").unwrap();
    assert!(!st.has_date());
    let base = NaiveDate::from_ymd_opt(2017, 8, 1);
    assert_eq!(st.resolve(None, base).unwrap().to_string(), "2017-08-01 17:59:00");
}

#[test]
fn impossible_dates_are_refused() {
    assert!(Stamp::parse("02/30/2025 10:00").unwrap().resolve(Some(DateOrder::Mdy), None).is_err());
    assert!(Stamp::parse("13/13/2025 10:00").unwrap().resolve(Some(DateOrder::Dmy), None).is_err());
    assert!(Stamp::parse("03/14/2025 25:00").is_err());
    assert!(Stamp::parse("yesterday").is_err());
}

#[test]
fn order_is_decided_for_the_file_or_not_at_all() {
    let a = Stamp::parse("09/01/2020 09:03 AM").unwrap();
    let b = Stamp::parse("08/31/2021 10:58").unwrap();
    let c = Stamp::parse("14/03/2025 10:00").unwrap();
    let same = Stamp::parse("01/01/2025 10:00").unwrap();
    assert_eq!(decide_order([("a", &a)].into_iter()), OrderVerdict::Undecided { example: "a".into() });
    assert_eq!(decide_order([("a", &a), ("b", &b)].into_iter()), OrderVerdict::Decided(DateOrder::Mdy));
    assert_eq!(decide_order([("a", &a), ("c", &c)].into_iter()), OrderVerdict::Decided(DateOrder::Dmy));
    assert!(matches!(decide_order([("b", &b), ("c", &c)].into_iter()), OrderVerdict::Contradictory { .. }));
    assert_eq!(decide_order([("s", &same)].into_iter()), OrderVerdict::NotNeeded);
}

#[test]
fn dst_end_is_resolved_by_the_other_time_and_the_duration() {
    let tz = chrono_tz::Europe::Paris;
    // 2025-10-26 02:30 happens twice in Paris (CEST then CET).
    let join = localize(NaiveDate::from_ymd_opt(2025, 10, 26).unwrap().and_hms_opt(2, 30, 0).unwrap(), tz).unwrap();
    assert!(matches!(join, Local::Ambiguous(..)));
    let leave = localize(NaiveDate::from_ymd_opt(2025, 10, 26).unwrap().and_hms_opt(2, 50, 0).unwrap(), tz).unwrap();
    // Duration says 80 minutes: join in CEST, leave in CET.
    let r = resolve_interval(join, leave, Some((79 * 60 + 1, 80 * 60))).unwrap();
    assert_eq!(r.join.to_rfc3339(), "2025-10-26T00:30:00+00:00");
    assert_eq!(r.leave.to_rfc3339(), "2025-10-26T01:50:00+00:00");
    assert_eq!(r.review, None);
    // Without a duration, 20 or 80 minutes are both possible: flagged, not guessed.
    let r = resolve_interval(join, leave, None).unwrap();
    assert!(r.review.is_some());
    // A leave at 03:10 (only CET) decides the join on its own only together with the duration.
    let leave2 = localize(NaiveDate::from_ymd_opt(2025, 10, 26).unwrap().and_hms_opt(3, 10, 0).unwrap(), tz).unwrap();
    let r = resolve_interval(join, leave2, Some((39 * 60 + 1, 40 * 60))).unwrap();
    assert_eq!(r.join.to_rfc3339(), "2025-10-26T01:30:00+00:00");
}

proptest::proptest! {
    /// Any time written in any of the documented formats reads back as itself.
    #[test]
    fn every_format_reads_back(y in 2000i32..2040, m in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60, s in 0u32..60) {
        let t = NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, s).unwrap();
        let no_secs = t.with_second(0).unwrap();
        let cases = [
            (t.format("%m/%d/%Y %I:%M:%S %p").to_string(), Some(DateOrder::Mdy), t),
            (t.format("%-m/%-d/%Y %-I:%M:%S %p").to_string(), Some(DateOrder::Mdy), t),
            (t.format("%d/%m/%Y %H:%M:%S").to_string(), Some(DateOrder::Dmy), t),
            (t.format("%-d/%-m/%Y %-H:%M").to_string(), Some(DateOrder::Dmy), no_secs),
            (t.format("%b %d, %Y %H:%M:%S").to_string(), None, t),
            (t.format("%b %d, %Y %-I:%M %p").to_string(), None, no_secs),
            (t.format("%-m/%-d/%y, %-I:%M:%S %p").to_string(), Some(DateOrder::Mdy), t),
            (t.format("%Y-%m-%d %H:%M:%S").to_string(), None, t),
            (t.format("%Y-%m-%dT%H:%M:%S").to_string(), None, t),
            (t.format("%Y/%-m/%-d %-H:%M").to_string(), None, no_secs),
            (t.format("%d.%m.%Y %H:%M").to_string(), Some(DateOrder::Dmy), no_secs),
        ];
        for (text, order, want) in cases {
            let got = Stamp::parse(&text).and_then(|st| st.resolve(order, None));
            proptest::prop_assert_eq!(got, Ok(want), "{}", text);
        }
    }
}

#[test]
fn dst_gap_time_does_not_exist() {
    let gap = NaiveDate::from_ymd_opt(2025, 3, 30).unwrap().and_hms_opt(2, 30, 0).unwrap();
    assert!(localize(gap, chrono_tz::Europe::Paris).is_err());
}

/// Finnish and Danish write the time with dots (`14.3.2025 10.00.00`, Finnish `klo` before it):
/// "no time of day" refused a Finnish event log whole.
#[test]
fn times_written_with_dots_after_the_date_are_read() {
    assert_eq!(naive("14.3.2025 10.00.00", Some(DateOrder::Dmy)).to_string(), "2025-03-14 10:00:00");
    assert_eq!(naive("14.3.2025 10.05", Some(DateOrder::Dmy)).to_string(), "2025-03-14 10:05:00");
    assert_eq!(naive("14.3.2025 klo 9.58.30", Some(DateOrder::Dmy)).to_string(), "2025-03-14 09:58:30");
    // A date alone is still no time.
    assert!(Stamp::parse("14.03.2025").is_err());
}

/// What follows a time and is no part of one is named as written, not as the reader's token.
#[test]
fn an_unexpected_word_after_the_time_is_named_as_written() {
    let err = Stamp::parse("14/03/2025 10:00:00 O").unwrap_err();
    assert_eq!(err, "unexpected \"o\" after the time");
    assert_eq!(Stamp::parse("14/03/2025 10:00:00 #").unwrap_err(), "unexpected \"#\" after the time");
}

#[test]
fn a_spreadsheet_serial_reads_to_the_second_and_whole_numbers_do_not() {
    // 45730 is 2025-03-14; .4340277778 of a day is 10:25:00 (37,500 s).
    assert_eq!(naive("45730,4340277778", None).to_string(), "2025-03-14 10:25:00");
    assert_eq!(naive("45730.434027778", None).to_string(), "2025-03-14 10:25:00");
    assert_eq!(naive("45730.5", None).to_string(), "2025-03-14 12:00:00");
    // The last second of a day rounds up to the next day's midnight, not to a 24:00.
    assert_eq!(naive("45730.99999999", None).to_string(), "2025-03-15 00:00:00");
    // A whole number, a number out of the years an export can hold, or not a number: not a date.
    for cell in ["45730", "104", "81234567890.5", "1234.5", "45730.5x", "-45730.5"] {
        assert!(Stamp::parse(cell).is_err(), "{cell}");
    }
}

#[test]
fn cldr_month_abbreviations_of_more_languages_read_every_month() {
    // CLDR 48 medium dates (ICU 78, `Intl.DateTimeFormat(locale, {dateStyle: 'medium'})`).
    let cases = [
        ("14 de fev. de 2025 11:25:00", "2025-02-14"),
        ("14 de set. de 2025 11:25:00", "2025-09-14"),
        ("14 de out. de 2025 11:25:00", "2025-10-14"),
        ("14 wrz 2025, 11:25:00", "2025-09-14"),
        ("14 paź 2025, 11:25:00", "2025-10-14"),
        ("14 cze 2025, 11:25:00", "2025-06-14"),
        ("14 Eyl 2025 11:25:00", "2025-09-14"),
        ("14 Şub 2025 11:25:00", "2025-02-14"),
        ("14 Ağu 2025 11:25:00", "2025-08-14"),
        ("14 maj 2025 11:25:00", "2025-05-14"),
        ("14 iun. 2025, 11:25:00", "2025-06-14"),
        ("14 sept. 2025, 11:25:00", "2025-09-14"),
        ("14 Mei 2025, 11:25:00", "2025-05-14"),
        ("14 Agu 2025, 11:25:00", "2025-08-14"),
        ("14 mrt 2025, 11:25:00", "2025-03-14"),
        ("14 вер. 2025 р., 11:25:00", "2025-09-14"),
        ("14 трав. 2025 р., 11:25:00", "2025-05-14"),
        ("14 сент. 2025 г., 11:25:00", "2025-09-14"),
        ("14 Σεπ 2025, 11:25:00", "2025-09-14"),
        ("14 Μαΐ 2025, 11:25:00", "2025-05-14"),
        ("2025. márc. 14. 11:25:00", "2025-03-14"),
        ("2025. szept. 14. 11:25:00", "2025-09-14"),
        ("14 set 2025, 11:25:00", "2025-09-14"),
        ("14 ott 2025, 11:25:00", "2025-10-14"),
    ];
    for (cell, want) in cases {
        assert_eq!(naive(cell, None).date().to_string(), want, "{cell}");
    }
}

#[test]
fn greek_day_periods_without_dots_are_read() {
    assert_eq!(naive("14/3/2025 11:25 πμ", Some(DateOrder::Dmy)).to_string(), "2025-03-14 11:25:00");
    assert_eq!(naive("14/3/2025 1:15 μμ", Some(DateOrder::Dmy)).to_string(), "2025-03-14 13:15:00");
}

#[test]
fn a_time_written_before_its_date_is_read() {
    assert_eq!(naive("11:25:00 14/03/2025", Some(DateOrder::Dmy)).to_string(), "2025-03-14 11:25:00");
    assert_eq!(naive("9:05 14.3.2025", Some(DateOrder::Dmy)).to_string(), "2025-03-14 09:05:00");
    // Only a whole numeric date after the time: anything else is still refused.
    assert!(Stamp::parse("11:25:00 14/03").is_err());
    assert!(Stamp::parse("14/03/2025 11:25:00 14/03/2025").is_err());
}

#[test]
fn a_zone_in_a_headers_brackets_is_read_and_nothing_else_is() {
    let named = |h: &str| super::zone_in_header(h).map(|(tz, rest)| (tz.name().to_owned(), rest.to_owned()));
    assert_eq!(named("Join Time (UTC)"), Some(("UTC".into(), "Join Time".into())));
    assert_eq!(named("Heure d'arrivée (UTC+01:00)"), Some(("Etc/GMT-1".into(), "Heure d'arrivée".into())));
    assert_eq!(named("Beitritt [MEZ]"), Some(("Etc/GMT-1".into(), "Beitritt".into())));
    assert_eq!(named("Join time (Europe/Paris)"), Some(("Europe/Paris".into(), "Join time".into())));
    assert_eq!(named("Left (gmt-5)"), Some(("Etc/GMT+5".into(), "Left".into())));
    // Brackets that are no zone: a unit, a word holding the letters, an original name.
    for h in ["Duration (Minutes)", "Result (Outcome)", "Name (Original Name)", "Join Time", "(UTC)x"] {
        assert_eq!(named(h), None, "{h}");
    }
}

#[test]
fn digits_of_other_scripts_are_read() {
    // Bengali, Devanagari, Thai and full-width digits.
    assert_eq!(naive("১৪/০৩/২০২৫ ১০:০৫:০০", Some(DateOrder::Dmy)).to_string(), "2025-03-14 10:05:00");
    assert_eq!(naive("१४/०३/२०२५ ११:४०", Some(DateOrder::Dmy)).to_string(), "2025-03-14 11:40:00");
    assert_eq!(naive("๑๔/๐๓/๒๐๒๕ ๑๐:๐๐", Some(DateOrder::Dmy)).to_string(), "2025-03-14 10:00:00");
    assert_eq!(naive("２０２５-０３-１４ １０:００:００", None).to_string(), "2025-03-14 10:00:00");
    assert_eq!(naive("２０２５－０３－１４　１０：００：００", None).to_string(), "2025-03-14 10:00:00");
}

#[test]
fn malay_and_vietnamese_day_periods_are_read() {
    assert_eq!(naive("14/03/2025 10:00 PG", Some(DateOrder::Dmy)).to_string(), "2025-03-14 10:00:00");
    assert_eq!(naive("14/03/2025 1:40 PTG", Some(DateOrder::Dmy)).to_string(), "2025-03-14 13:40:00");
    assert_eq!(naive("14/03/2025 1:40 CH", Some(DateOrder::Dmy)).to_string(), "2025-03-14 13:40:00");
}
