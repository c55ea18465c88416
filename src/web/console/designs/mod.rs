//! Certificate designs in the console: the list, one design's page (logos, the line under the
//! heading, signatories, wording, colours, saved as one multipart form), its preview as PNG
//! pictures with sample names, the organisation's profile; an event's choice of design and the
//! redesign of its certificates are in [`event`].
//!
//! Every upload goes through `certificate::design::check_image` before anything is stored; a
//! form with one bad image stores nothing and says which field and why.
//!
//! Deliberately not here: deleting designs or images (versions are frozen with certificates),
//! the mail wording. Every word staff read comes from the console catalogue ([`super::text`]).

mod event;

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::form::{Sent, sent_back};
use super::text::{K, Tr};
use super::{Done, StaffForm, StaffUser, UserOn};
use crate::certificate::design::{self, ColorSpec, DesignSpec, SignatorySpec, Wording};
use crate::language::Language;
use crate::store::{self, designs::Profile};
use crate::web::{AppState, WebError, jobs};

/// The certificate languages' codes, each with its name in itself (as the event form does).
fn langs() -> impl Iterator<Item = (&'static str, &'static str)> {
    Language::ALL.into_iter().map(|l| (l.code(), l.name()))
}

/// Largest form accepted: seven images at their limit and the text.
const MAX_FORM_BYTES: usize = 8 * design::MAX_IMAGE_BYTES + 64 * 1024;

fn list_page(user: &StaffUser, designs: &[store::designs::Design], sent: &Sent) -> Markup {
    let tr = &user.tr;
    user.page(
        tr.t(K::DesignListTitle),
        html! {
            div.titlebar {
                h1 { (tr.t(K::DesignListTitle)) }
                div.actions { a.button.secondary href="/staff/organisation" { (tr.t(K::OrgTitle)) } }
            }
            p.muted { (tr.t(K::DesignListIntro)) }
            @if designs.is_empty() { p { (tr.t(K::DesignNoneYet)) } } @else {
                div.scroll tabindex="0" { table {
                    thead { tr { th { (tr.t(K::Name)) } th { (tr.t(K::DesignVersion)) } th { (tr.t(K::DesignSaved)) } th { (tr.t(K::DesignCertificatesIssued)) } } }
                    tbody { @for d in designs {
                        @let saved = chrono::DateTime::parse_from_rfc3339(&d.updated_at).map(|t| tr.datetime(&t.with_timezone(&Utc))).unwrap_or_else(|_| d.updated_at.clone());
                        tr { td { a href={ "/staff/designs/" (d.id) } { (d.name) } } td { (d.version) } td.nowrap { (saved) } td { (d.certificates) } }
                    } }
                } }
            }
            @if user.may("POST", "/staff/designs") { section.card {
                form method="post" action="/staff/designs" novalidate {
                    (sent.summary(tr))
                    (user.csrf_field())
                    label for="name" { (tr.t(K::DesignNewName)) }
                    input #name type="text" name="name" required maxlength="100" value=(sent.val("name", ""))
                        aria-invalid=[sent.invalid("name")] aria-describedby=[sent.described("name")];
                    (sent.note("name"))
                    button type="submit" { (tr.t(K::DesignCreate)) }
                }
            } }
        },
    )
}

async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let designs = state.blocking(|c, _| store::designs::list(c)).await??;
    Ok(list_page(&user, &designs, &Sent::default()))
}

#[derive(Deserialize)]
struct NewForm {
    name: String,
}

/// A design starts as the built-in look: no signatory, no logos, no line. Staff add their own;
/// nothing invented ("A. N. Other") can reach a certificate by forgetting to replace it.
fn starting_spec() -> DesignSpec {
    DesignSpec::default()
}

/// The design's name in the console's words: one to 100 characters.
fn check_name(tr: &Tr, sent: &mut Sent, name: &str) {
    let n = name.trim().chars().count();
    if n == 0 {
        sent.refuse("name", tr.t(K::FormRequired));
    } else if n > 100 {
        sent.refuse("name", tr.f(K::FormTooLong, &[("n", &100)]));
    }
}

async fn create(State(state): State<AppState>, StaffForm(user, f): StaffForm<NewForm>) -> Result<Response, WebError> {
    let mut sent = Sent::posted("", [("name".to_owned(), f.name.clone())]);
    check_name(&user.tr, &mut sent, &f.name);
    let actor = user.member.email.clone();
    let made = if sent.refused() {
        None
    } else {
        Some(
            state
                .blocking(move |c, _| store::designs::create(c, &f.name, &starting_spec(), &actor, Utc::now()))
                .await?,
        )
    };
    match made {
        Some(Ok(d)) => {
            tracing::info!(design_id = d.id, "design created");
            Ok(Done::DesignCreated.on(&format!("/staff/designs/{}", d.id)).into_response())
        }
        other => {
            if let Some(Err(e)) = other {
                sent.refuse_from(e)?;
            }
            let designs = state.blocking(|c, _| store::designs::list(c)).await??;
            Ok(sent_back(list_page(&user, &designs, &sent)))
        }
    }
}

/// The organisation's profile on a page of its own: the issuer's name as certificates print it,
/// the short name in the QR codes, how the public contacts the issuer, the default design.
fn organisation_page(
    state: &AppState,
    user: &StaffUser,
    profile: &Profile,
    designs: &[store::designs::Design],
    sent: &Sent,
) -> Markup {
    let tr = &user.tr;
    let configured = state.config().issuer.clone();
    // What certificates print today: the saved name, else the server's configured one.
    let issuer = profile.issuer.clone().unwrap_or(configured);
    let short = profile.issuer_short.clone().unwrap_or_else(|| configured_short(state));
    let default = sent.val("default_design", profile.default_design.map(|d| d.to_string()).unwrap_or_default());
    let text = |id: &str, label: K, help: &str, value: String, max: usize| {
        html! {
            label for=(id) { (tr.t(label)) }
            p.muted.help id={ (id) "-help" } { (help) }
            input id=(id) type="text" name=(id) maxlength=(max) value=(value) translate="no"
                aria-invalid=[sent.invalid(id)]
                aria-describedby={ (id) "-help" @if let Some(d) = sent.described(id) { " " (d) } };
            (sent.note(id))
        }
    };
    user.page(
        tr.t(K::OrgTitle),
        html! {
            p { a href="/staff/designs" { (tr.t(K::OrgBack)) } }
            h1 { (tr.t(K::OrgTitle)) }
            p.muted { (tr.t(K::OrgIntro)) }
            form.card method="post" action="/staff/organisation" novalidate {
                (sent.summary(tr))
                (user.csrf_field())
                (text("issuer", K::DesignIssuer, tr.t(K::OrgIssuerHelp), sent.val("issuer", issuer), 200))
                @for (id, label, language, saved) in [
                    ("issuer_fr", K::OrgIssuerFr, Language::Fr, &profile.issuer_fr),
                    ("issuer_es", K::OrgIssuerEs, Language::Es, &profile.issuer_es),
                ] {
                    // What that language's certificates print when the field is left empty.
                    @let fallback = Profile { issuer_fr: None, issuer_es: None, ..profile.clone() }
                        .printed_issuer(language, &state.config().issuer);
                    (text(id, label, &tr.f(K::OrgIssuerInHelp, &[("name", &fallback)]), sent.val(id, saved.clone().unwrap_or_default()), 200))
                }
                (text("issuer_short", K::DesignIssuerShort, tr.t(K::OrgShortHelp), sent.val("issuer_short", short), 40))
                (text("contact", K::OrgContact, tr.t(K::OrgContactHelp), sent.val("contact", profile.contact.clone().unwrap_or_default()), 300))
                label for="default_design" { (tr.t(K::DesignDefault)) }
                select #default_design name="default_design" {
                    option value="" { (tr.t(K::DesignBuiltIn)) }
                    @for d in designs { option value=(d.id) selected[default == d.id.to_string()] { (d.name) } }
                }
                // The form is also how a viewer reads the organisation: kept, without its button.
                @if user.may("POST", "/staff/organisation") { button type="submit" { (tr.t(K::DesignSaveProfile)) } }
            }
        },
    )
}

/// The short name the QR codes carry when the profile gives none: the server's setting.
fn configured_short(state: &AppState) -> String {
    state.inner.issuing.as_ref().map(|i| i.settings.issuer_short.clone()).unwrap_or_default()
}

async fn organisation(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let (designs, profile) = state
        .blocking(|c, _| Ok::<_, store::StoreError>((store::designs::list(c)?, store::designs::profile(c)?)))
        .await??;
    Ok(organisation_page(&state, &user, &profile, &designs, &Sent::default()))
}

#[derive(Deserialize)]
struct ProfileForm {
    issuer: String,
    #[serde(default)]
    issuer_fr: String,
    #[serde(default)]
    issuer_es: String,
    issuer_short: String,
    #[serde(default)]
    contact: String,
    default_design: String,
}

/// The profile's checks in the console's words (the store checks the same, in English).
fn check_profile(tr: &Tr, sent: &mut Sent, f: &ProfileForm) {
    let one_line = |s: &str| !s.chars().any(char::is_control);
    for (id, name) in [("issuer", &f.issuer), ("issuer_fr", &f.issuer_fr), ("issuer_es", &f.issuer_es)] {
        if name.trim().chars().count() > 200 {
            sent.refuse(id, tr.f(K::FormTooLong, &[("n", &200)]));
        } else if !one_line(name) {
            sent.refuse(id, tr.t(K::FormOneLine));
        }
    }
    // The limit is bytes in the QR code; said as characters, with why accents count double.
    if f.issuer_short.trim().len() > 20 || !one_line(&f.issuer_short) {
        sent.refuse("issuer_short", tr.t(K::OrgShortTooLong));
    }
    let c = f.contact.trim();
    if !c.is_empty() && !store::designs::contact_ok(c) {
        sent.refuse("contact", tr.f(K::FormEmail, &[("value", &c)]));
    }
}

async fn save_profile(
    State(state): State<AppState>,
    StaffForm(user, f): StaffForm<ProfileForm>,
) -> Result<Response, WebError> {
    let mut sent = Sent::posted(
        "",
        [
            ("issuer".to_owned(), f.issuer.clone()),
            ("issuer_fr".to_owned(), f.issuer_fr.clone()),
            ("issuer_es".to_owned(), f.issuer_es.clone()),
            ("issuer_short".to_owned(), f.issuer_short.clone()),
            ("contact".to_owned(), f.contact.clone()),
            ("default_design".to_owned(), f.default_design.clone()),
        ],
    );
    check_profile(&user.tr, &mut sent, &f);
    if !sent.refused() {
        let actor = user.member.email.clone();
        // The issuer field shows the configured name when none was saved: saving it unchanged
        // keeps following the configuration rather than freezing today's name.
        let configured = state.config().issuer.clone();
        let issuer = Some(f.issuer.clone()).filter(|i| i.trim() != configured.trim());
        let short = Some(f.issuer_short.clone()).filter(|s| s.trim() != configured_short(&state).trim());
        let p = Profile {
            issuer,
            issuer_fr: Some(f.issuer_fr.clone()),
            issuer_es: Some(f.issuer_es.clone()),
            issuer_short: short,
            default_design: f.default_design.trim().parse().ok(),
            contact: Some(f.contact.clone()),
        };
        match state.blocking(move |c, _| store::designs::set_profile(c, &p, &actor, Utc::now())).await? {
            Ok(_) => return Ok(Done::OrganisationSaved.on("/staff/organisation").into_response()),
            Err(e) => sent.refuse_from(e)?,
        }
    }
    let (designs, profile) = state
        .blocking(|c, _| Ok::<_, store::StoreError>((store::designs::list(c)?, store::designs::profile(c)?)))
        .await??;
    Ok(sent_back(organisation_page(&state, &user, &profile, &designs, &sent)))
}

fn color_input(name: &str, label: &str, value: &str, fallback: &str) -> Markup {
    let v = if value.is_empty() { fallback } else { value };
    html! { label for=(name) { (label) } input #(name) type="color" name=(name) value=(v); }
}

async fn page(UserOn(state, user, id): UserOn<i64>) -> Result<Markup, WebError> {
    let d = state.blocking(move |c, _| store::designs::get(c, id)).await??;
    Ok(design_page(&user, &d, &Sent::default()))
}

/// One design's page; `sent` holds what a refused save posted (and the images it kept).
fn design_page(user: &StaffUser, d: &store::designs::Design, sent: &Sent) -> Markup {
    let tr = &user.tr;
    let sp = &d.spec;
    let text = |m: &BTreeMap<String, String>, l: &str| m.get(l).cloned().unwrap_or_default();
    // A text field with its kept value and its message, if any.
    let input = |id: String, value: String| {
        html! {
            input id=(id) type="text" name=(id) maxlength="200" value=(sent.val(&id, value))
                aria-invalid=[sent.invalid(&id)] aria-describedby=[sent.described(&id)];
            (sent.note(&id))
        }
    };
    // A logo's or a signature's file field, with its message, if any.
    let image_input = |id: String| {
        html! {
            input id=(id) type="file" name=(id) accept="image/png,image/jpeg"
                aria-invalid=[sent.invalid(&id)] aria-describedby=[sent.described(&id)];
            (sent.note(&id))
        }
    };
    user.page(
        tr.t(K::DesignTitle),
        html! {
            p { a href="/staff/designs" { (tr.t(K::DesignBack)) } }
            h1 { (tr.t(K::DesignTitle)) (tr.t(K::Colon)) (d.name) " · v" (d.version) }
            section.card {
                h2 { (tr.t(K::DesignPreview)) }
                p.muted { (tr.t(K::DesignPreviewHelp)) }
                div.previews {
                    figure { img #preview-long src={ "/staff/designs/" (d.id) "/preview.png?sample=long&v=" (d.version) } alt=(tr.t(K::DesignPreviewLong)) width="842" style="max-width:100%;height:auto;border:1px solid #ccc"; figcaption { (tr.t(K::DesignPreviewLong)) } }
                    figure { img #preview-arabic src={ "/staff/designs/" (d.id) "/preview.png?sample=arabic&v=" (d.version) } alt=(tr.t(K::DesignPreviewArabic)) width="842" style="max-width:100%;height:auto;border:1px solid #ccc"; figcaption { (tr.t(K::DesignPreviewArabic)) } }
                }
            }
            form #design method="post" action={ "/staff/designs/" (d.id) } enctype="multipart/form-data" novalidate {
                (sent.summary(tr))
                (user.csrf_field())
                label for="name" { (tr.t(K::Name)) }
                input #name type="text" name="name" required maxlength="100" value=(sent.val("name", d.name.clone()))
                    aria-invalid=[sent.invalid("name")] aria-describedby=[sent.described("name")];
                (sent.note("name"))
                fieldset {
                    legend { (tr.t(K::DesignLogos)) }
                    p.muted { (tr.t(K::DesignLogosHelp)) }
                    @for i in 0..design::MAX_LOGOS {
                        div.slot {
                            @let n = tr.f(K::DesignLogoN, &[("n", &(i + 1))]);
                            @let keep = sent.val(&format!("logo_keep_{i}"), sp.logos.get(i).cloned().unwrap_or_default());
                            @if let Some(sha) = Some(keep).filter(|k| !k.is_empty()) {
                                label for={ "logo_" (i) } { (n) (tr.t(K::Colon)) (tr.t(K::DesignReplace)) }
                                img src={ "/staff/designs/images/" (sha) ".png" } alt="" height="40" style="vertical-align:middle;margin:0 .5em";
                                input type="hidden" name={ "logo_keep_" (i) } value=(sha);
                                label.check { input type="checkbox" name={ "logo_remove_" (i) } value="1" checked[sent.get(&format!("logo_remove_{i}")).is_some()]; " " (tr.t(K::DesignRemove)) }
                            } @else {
                                label for={ "logo_" (i) } { (n) }
                            }
                            (image_input(format!("logo_{i}")))
                        }
                    }
                }
                fieldset {
                    legend { (tr.t(K::DesignLine)) }
                    p.muted { (tr.t(K::DesignLineHelp)) }
                    @for (l, lname) in langs() {
                        label for={ "line_" (l) } { (lname) }
                        (input(format!("line_{l}"), text(&sp.line, l)))
                    }
                }
                fieldset {
                    legend { (tr.t(K::DesignSignatories)) }
                    @for i in 0..design::MAX_SIGNATORIES {
                        @let sig = sp.signatories.get(i);
                        div.slot {
                            strong { (tr.f(K::DesignSignatoryN, &[("n", &(i + 1))])) }
                            label for={ "sig_name_" (i) } { (tr.t(K::DesignSigName)) }
                            (input(format!("sig_name_{i}"), sig.map(|x| x.name.clone()).unwrap_or_default()))
                            @for (l, lname) in langs() {
                                label for={ "sig_title_" (i) "_" (l) } { (tr.f(K::DesignSigTitle, &[("language", &lname)])) }
                                (input(format!("sig_title_{i}_{l}"), sig.map(|x| text(&x.title, l)).unwrap_or_default()))
                            }
                            label for={ "sig_image_" (i) } { (tr.t(K::DesignSigImage)) }
                            @let keep = sent.val(&format!("sig_image_keep_{i}"), sig.and_then(|x| x.signature.clone()).unwrap_or_default());
                            @if let Some(sha) = Some(keep).filter(|k| !k.is_empty()) {
                                img src={ "/staff/designs/images/" (sha) ".png" } alt="" height="30" style="vertical-align:middle;margin:0 .5em";
                                input type="hidden" name={ "sig_image_keep_" (i) } value=(sha);
                                label { input type="checkbox" name={ "sig_image_remove_" (i) } value="1" checked[sent.get(&format!("sig_image_remove_{i}")).is_some()]; " " (tr.t(K::DesignRemove)) }
                            }
                            (image_input(format!("sig_image_{i}")))
                        }
                    }
                }
                fieldset {
                    legend { (tr.t(K::DesignWording)) }
                    p.muted { (tr.t(K::DesignWordingHelp)) }
                    @for (l, lname) in langs() {
                        @let w = sp.wording.get(l).cloned().unwrap_or_default();
                        div.slot {
                            strong { (lname) }
                            label for={ "heading_" (l) } { (tr.t(K::DesignHeading)) }
                            (input(format!("heading_{l}"), w.heading.clone()))
                            label for={ "before_" (l) } { (tr.t(K::DesignBefore)) }
                            (input(format!("before_{l}"), w.before_name.clone()))
                            label for={ "after_" (l) } { (tr.t(K::DesignAfter)) }
                            (input(format!("after_{l}"), w.after_name.clone()))
                        }
                    }
                }
                fieldset {
                    legend { (tr.t(K::DesignColors)) }
                    (color_input("accent", tr.t(K::DesignAccent), &sent.val("accent", sp.colors.accent.clone()), "#1f3a6e"))
                    (color_input("text", tr.t(K::DesignText), &sent.val("text", sp.colors.text.clone()), "#1d1d1f"))
                    (color_input("muted", tr.t(K::DesignMuted), &sent.val("muted", sp.colors.muted.clone()), "#5a5f6b"))
                }
                // The form is also how a viewer reads the design: kept, without its button.
                @if user.may("POST", "/staff/designs/{id}") { button #save type="submit" { (tr.t(K::DesignSave)) } }
            }
        },
    )
}

/// Reads the design form: text fields, and the images checked (none stored yet).
async fn read_form(mut mp: Multipart) -> Result<(HashMap<String, String>, Vec<(String, Vec<u8>)>), WebError> {
    let too_big = |e: axum::extract::multipart::MultipartError| WebError::Status(e.status(), e.body_text());
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(too_big)? {
        let name = field.name().unwrap_or("").to_owned();
        if name.starts_with("logo_") && !name.starts_with("logo_keep_") && !name.starts_with("logo_remove_")
            || name.starts_with("sig_image_")
                && !name.starts_with("sig_image_keep_")
                && !name.starts_with("sig_image_remove_")
        {
            let bytes = field.bytes().await.map_err(too_big)?;
            if !bytes.is_empty() {
                files.push((name, bytes.to_vec()));
            }
        } else {
            fields.insert(name, field.text().await.map_err(too_big)?);
        }
    }
    Ok((fields, files))
}

/// What a file field is called on the page, for messages.
fn field_label(tr: &Tr, name: &str) -> String {
    if let Some(i) = name.strip_prefix("logo_").and_then(|i| i.parse::<usize>().ok()) {
        tr.f(K::DesignLogoN, &[("n", &(i + 1))])
    } else if let Some(i) = name.strip_prefix("sig_image_").and_then(|i| i.parse::<usize>().ok()) {
        tr.f(K::DesignSigImageN, &[("n", &(i + 1))])
    } else {
        name.to_owned()
    }
}

/// The spec the form describes; `uploaded` maps file fields to the ids of their checked images.
fn spec_from(f: &HashMap<String, String>, uploaded: &HashMap<String, String>) -> DesignSpec {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let on = |k: &str| f.get(k).is_some_and(|v| v == "1");
    let per_lang = |prefix: &str| -> BTreeMap<String, String> {
        langs().map(|(l, _)| (l.to_string(), get(&format!("{prefix}_{l}")))).filter(|(_, v)| !v.is_empty()).collect()
    };
    let mut logos = Vec::new();
    for i in 0..design::MAX_LOGOS {
        if let Some(new) = uploaded.get(&format!("logo_{i}")) {
            logos.push(new.clone());
        } else if !on(&format!("logo_remove_{i}")) && !get(&format!("logo_keep_{i}")).is_empty() {
            logos.push(get(&format!("logo_keep_{i}")));
        }
    }
    let mut signatories = Vec::new();
    for i in 0..design::MAX_SIGNATORIES {
        let name = get(&format!("sig_name_{i}"));
        if name.is_empty() {
            continue;
        }
        let signature = uploaded.get(&format!("sig_image_{i}")).cloned().or_else(|| {
            let keep = get(&format!("sig_image_keep_{i}"));
            (!keep.is_empty() && !on(&format!("sig_image_remove_{i}"))).then_some(keep)
        });
        signatories.push(SignatorySpec { name, title: per_lang(&format!("sig_title_{i}")), signature });
    }
    let wording = langs()
        .map(|(l, _)| {
            let w = Wording {
                heading: get(&format!("heading_{l}")),
                before_name: get(&format!("before_{l}")),
                after_name: get(&format!("after_{l}")),
            };
            (l.to_string(), w)
        })
        .filter(|(_, w)| *w != Wording::default())
        .collect();
    let color = |k: &str, default: &str| {
        let v = get(k).to_lowercase();
        if v == default { String::new() } else { v }
    };
    DesignSpec {
        logos,
        line: per_lang("line"),
        signatories,
        wording,
        colors: ColorSpec {
            accent: color("accent", "#1f3a6e"),
            text: color("text", "#1d1d1f"),
            muted: color("muted", "#5a5f6b"),
        },
    }
}

async fn save(UserOn(state, user, id): UserOn<i64>, mp: Multipart) -> Result<Response, WebError> {
    let back = format!("/staff/designs/{id}");
    let (fields, files) = read_form(mp).await?;
    // Checked after reading: the token is a field of the same multipart body.
    user.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
    let actor = user.member.email.clone();
    let tr = user.tr.clone();
    // `Err(sent)`: refused, coming back with the form's fields, the images that were fine (stored,
    // so the form keeps them) and what was wrong: all a `Sent` holds, so no type of its own.
    let result = state
        .blocking(move |c, _| -> Result<Result<store::designs::Design, Sent>, WebError> {
            let mut sent = Sent::posted("", fields.clone());
            check_name(&tr, &mut sent, fields.get("name").map_or("", String::as_str));
            // Every image is checked before any is stored.
            let mut checked = Vec::new();
            for (field, bytes) in &files {
                match design::check_image(bytes) {
                    Ok(img) => checked.push((field.clone(), img)),
                    Err(e) => sent.refuse(
                        field,
                        tr.f(
                            K::FormChooseAgain,
                            &[("field", &field_label(&tr, field)), ("error", &image_words(&tr, &e))],
                        ),
                    ),
                }
            }
            let name = fields.get("name").cloned().unwrap_or_default();
            if !sent.refused() {
                let tx = c.transaction()?;
                let mut uploaded = HashMap::new();
                for (field, img) in &checked {
                    uploaded.insert(field.clone(), store::designs::put_asset(&tx, img, Utc::now())?);
                }
                let spec = spec_from(&fields, &uploaded);
                // Images and the new version in one transaction: a spec refused leaves no image.
                match store::designs::save_in(&tx, id, &name, &spec, &actor, Utc::now()) {
                    Ok(d) => {
                        tx.commit()?;
                        return Ok(Ok(d));
                    }
                    Err(e) => {
                        drop(tx);
                        sent.refuse_from(e)?;
                    }
                }
            }
            // Refused: the images that were fine are stored (content-addressed, so choosing the
            // same file again later stores nothing new) and the form comes back holding them,
            // as mail clients keep attachments of a draft; only the refused ones must be chosen
            // again. An image kept this way and never saved into a design stays unused in
            // `design_assets` (a few hundred KiB at most per refused form).
            if !checked.is_empty() {
                for (field, img) in &checked {
                    let sha = store::designs::put_asset(c, img, Utc::now())?;
                    sent.keep(
                        &field.replacen("logo_", "logo_keep_", 1).replacen("sig_image_", "sig_image_keep_", 1),
                        sha,
                    );
                }
                sent.refuse("", tr.t(K::FormFilesKept));
            }
            Ok(Err(sent))
        })
        .await??;
    match result {
        Ok(d) => {
            tracing::info!(design_id = d.id, version = d.version, "design saved");
            Ok(Done::DesignSaved.on(&back).into_response())
        }
        Err(sent) => {
            let d = state.blocking(move |c, _| store::designs::get(c, id)).await??;
            Ok(sent_back(design_page(&user, &d, &sent)))
        }
    }
}

/// Why an image was refused, in the console's words.
fn image_words(tr: &Tr, e: &design::ImageError) -> String {
    use design::ImageError as E;
    match e {
        E::Empty => tr.t(K::ImageEmpty).to_owned(),
        E::TooLarge(_) => tr.f(K::ImageTooLarge, &[("mib", &(design::MAX_IMAGE_BYTES / (1024 * 1024)))]),
        E::TooManyPixels(w, h) => tr.f(K::ImageTooManyPixels, &[("w", &w), ("h", &h)]),
        E::NotAnImage(_) => tr.t(K::ImageNotAnImage).to_owned(),
        E::Damaged(kind, _) => tr.f(K::ImageDamaged, &[("kind", kind)]),
    }
}

#[derive(Deserialize)]
struct PreviewQuery {
    sample: Option<String>,
    lang: Option<String>,
}

fn png_response(png: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], png).into_response()
}

async fn preview(UserOn(state, _, id): UserOn<i64>, Query(q): Query<PreviewQuery>) -> Result<Response, WebError> {
    let st = state.clone();
    let sample = q.sample.unwrap_or_default();
    // A picture for the console's own page, which only offers the three languages: a code it
    // does not know draws the English preview, as before there was a `Language` type (not an
    // error: an `<img>` would show it as a broken picture).
    let lang = q.lang.as_deref().and_then(|l| l.parse::<Language>().ok()).unwrap_or_default();
    let png = state.blocking(move |c, _| jobs::preview::png(&st, c, id, &sample, lang)).await??;
    Ok(png_response(png))
}

/// A stored image: attest's re-encoded PNG, never the uploaded bytes.
async fn image(UserOn(state, _, file): UserOn) -> Result<Response, WebError> {
    let sha = file.strip_suffix(".png").unwrap_or(&file).to_owned();
    let png = state.blocking(move |c, _| store::designs::asset_png(c, &sha)).await??;
    match png {
        Some(p) => Ok(png_response(p)),
        None => Err(WebError::Status(StatusCode::NOT_FOUND, "no such image".into())),
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/designs", get(list).post(create))
        .route("/staff/organisation", get(organisation).post(save_profile))
        .route("/staff/designs/{id}", get(page).post(save).layer(DefaultBodyLimit::max(MAX_FORM_BYTES)))
        .route("/staff/designs/{id}/preview.png", get(preview))
        .route("/staff/designs/images/{file}", get(image))
        .merge(event::routes())
}
