//! Certificate designs in the console: the list, one design's page (logos, the line under the
//! heading, signatories, wording, colours, saved as one multipart form), its preview as PNG
//! pictures with sample names, the organisation's profile, and an event's choice of design.
//!
//! Every upload goes through `certificate::design::check_image` before anything is stored; a
//! form with one bad image stores nothing and says which field and why.
//!
//! Deliberately not here: deleting designs or images (versions are frozen with certificates),
//! the mail wording. Every word staff read comes from the console catalogue ([`super::text`]).

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::text::{K, Tr};
use super::{Done, StaffUser, form_error, layout};
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

async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let tr = &user.tr;
    let (designs, profile) = state
        .blocking(|c, _| Ok::<_, store::StoreError>((store::designs::list(c)?, store::designs::profile(c)?)))
        .await??;
    Ok(layout(
        Some(&user),
        tr.t(K::DesignListTitle),
        html! {
            h1 { (tr.t(K::DesignListTitle)) }
            p.muted { (tr.t(K::DesignListIntro)) }
            @if designs.is_empty() { p { (tr.t(K::DesignNoneYet)) } } @else {
                div.scroll tabindex="0" { table {
                    thead { tr { th { (tr.t(K::Name)) } th { (tr.t(K::DesignVersion)) } th { (tr.t(K::DesignSaved)) } th { (tr.t(K::DesignCertificatesIssued)) } } }
                    tbody { @for d in &designs {
                        @let saved = chrono::DateTime::parse_from_rfc3339(&d.updated_at).map(|t| tr.datetime(&t.with_timezone(&Utc))).unwrap_or_else(|_| d.updated_at.clone());
                        tr { td { a href={ "/staff/designs/" (d.id) } { (d.name) } } td { (d.version) } td.nowrap { (saved) } td { (d.certificates) } }
                    } }
                } }
            }
            section.card {
                form method="post" action="/staff/designs" {
                    (user.csrf_field())
                    label for="name" { (tr.t(K::DesignNewName)) }
                    input #name type="text" name="name" required maxlength="100";
                    button type="submit" { (tr.t(K::DesignCreate)) }
                }
            }
            section.card {
                h2 { (tr.t(K::DesignProfile)) }
                form method="post" action="/staff/organisation" {
                    (user.csrf_field())
                    label for="issuer" { (tr.t(K::DesignIssuer)) }
                    input #issuer name="issuer" maxlength="200" translate="no" value=(profile.issuer.clone().unwrap_or_default()) placeholder=(state.config().issuer.as_str());
                    label for="issuer_short" { (tr.t(K::DesignIssuerShort)) }
                    input #issuer_short name="issuer_short" maxlength="20" value=(profile.issuer_short.clone().unwrap_or_default());
                    label for="default_design" { (tr.t(K::DesignDefault)) }
                    select #default_design name="default_design" {
                        option value="" { (tr.t(K::DesignBuiltIn)) }
                        @for d in &designs { option value=(d.id) selected[profile.default_design == Some(d.id)] { (d.name) } }
                    }
                    button type="submit" { (tr.t(K::DesignSaveProfile)) }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
struct NewForm {
    csrf: String,
    name: String,
}

/// A design starts as the built-in look: the shipped signatory, no logos, no line.
fn starting_spec() -> DesignSpec {
    DesignSpec {
        signatories: vec![SignatorySpec {
            name: "A. N. Other".into(),
            title: BTreeMap::from([("en".into(), "Head of the Training Programme".into())]),
            signature: None,
        }],
        ..DesignSpec::default()
    }
}

async fn create(
    State(state): State<AppState>,
    user: StaffUser,
    axum::Form(f): axum::Form<NewForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let actor = user.member.email.clone();
    let made =
        state.blocking(move |c, _| store::designs::create(c, &f.name, &starting_spec(), &actor, Utc::now())).await?;
    match made {
        Ok(d) => {
            tracing::info!(design_id = d.id, "design created");
            Ok(Done::DesignCreated.on(&format!("/staff/designs/{}", d.id)).into_response())
        }
        Err(e) => Ok(form_error(&user, "/staff/designs", e)),
    }
}

#[derive(Deserialize)]
struct ProfileForm {
    csrf: String,
    issuer: String,
    issuer_short: String,
    default_design: String,
}

async fn save_profile(
    State(state): State<AppState>,
    user: StaffUser,
    axum::Form(f): axum::Form<ProfileForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let actor = user.member.email.clone();
    let p = Profile {
        issuer: Some(f.issuer),
        issuer_short: Some(f.issuer_short),
        default_design: f.default_design.trim().parse().ok(),
    };
    match state.blocking(move |c, _| store::designs::set_profile(c, &p, &actor, Utc::now())).await? {
        Ok(_) => Ok(Done::OrganisationSaved.on("/staff/designs").into_response()),
        Err(e) => Ok(form_error(&user, "/staff/designs", e)),
    }
}

fn color_input(name: &str, label: &str, value: &str, fallback: &str) -> Markup {
    let v = if value.is_empty() { fallback } else { value };
    html! { label for=(name) { (label) } input #(name) type="color" name=(name) value=(v); }
}

async fn page(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<Markup, WebError> {
    let tr = &user.tr;
    let d = state.blocking(move |c, _| store::designs::get(c, id)).await??;
    let sp = &d.spec;
    let text = |m: &BTreeMap<String, String>, l: &str| m.get(l).cloned().unwrap_or_default();
    Ok(layout(
        Some(&user),
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
            form #design method="post" action={ "/staff/designs/" (d.id) } enctype="multipart/form-data" {
                (user.csrf_field())
                label for="name" { (tr.t(K::Name)) }
                input #name name="name" required maxlength="100" value=(d.name);
                fieldset {
                    legend { (tr.t(K::DesignLogos)) }
                    p.muted { (tr.t(K::DesignLogosHelp)) }
                    @for i in 0..design::MAX_LOGOS {
                        div.slot {
                            @let n = tr.f(K::DesignLogoN, &[("n", &(i + 1))]);
                            @if let Some(sha) = sp.logos.get(i) {
                                label for={ "logo_" (i) } { (n) (tr.t(K::Colon)) (tr.t(K::DesignReplace)) }
                                img src={ "/staff/designs/images/" (sha) ".png" } alt="" height="40" style="vertical-align:middle;margin:0 .5em";
                                input type="hidden" name={ "logo_keep_" (i) } value=(sha);
                                label.check { input type="checkbox" name={ "logo_remove_" (i) } value="1"; " " (tr.t(K::DesignRemove)) }
                            } @else {
                                label for={ "logo_" (i) } { (n) }
                            }
                            input id={ "logo_" (i) } type="file" name={ "logo_" (i) } accept="image/png,image/jpeg";
                        }
                    }
                }
                fieldset {
                    legend { (tr.t(K::DesignLine)) }
                    p.muted { (tr.t(K::DesignLineHelp)) }
                    @for (l, lname) in langs() {
                        label for={ "line_" (l) } { (lname) }
                        input id={ "line_" (l) } name={ "line_" (l) } maxlength="200" value=(text(&sp.line, l));
                    }
                }
                fieldset {
                    legend { (tr.t(K::DesignSignatories)) }
                    @for i in 0..design::MAX_SIGNATORIES {
                        @let sig = sp.signatories.get(i);
                        div.slot {
                            strong { (tr.f(K::DesignSignatoryN, &[("n", &(i + 1))])) }
                            label for={ "sig_name_" (i) } { (tr.t(K::DesignSigName)) }
                            input id={ "sig_name_" (i) } name={ "sig_name_" (i) } maxlength="200" value=(sig.map(|x| x.name.clone()).unwrap_or_default());
                            @for (l, lname) in langs() {
                                label for={ "sig_title_" (i) "_" (l) } { (tr.f(K::DesignSigTitle, &[("language", &lname)])) }
                                input id={ "sig_title_" (i) "_" (l) } name={ "sig_title_" (i) "_" (l) } maxlength="200" value=(sig.map(|x| text(&x.title, l)).unwrap_or_default());
                            }
                            label for={ "sig_image_" (i) } { (tr.t(K::DesignSigImage)) }
                            @if let Some(sha) = sig.and_then(|x| x.signature.as_ref()) {
                                img src={ "/staff/designs/images/" (sha) ".png" } alt="" height="30" style="vertical-align:middle;margin:0 .5em";
                                input type="hidden" name={ "sig_image_keep_" (i) } value=(sha);
                                label { input type="checkbox" name={ "sig_image_remove_" (i) } value="1"; " " (tr.t(K::DesignRemove)) }
                            }
                            input id={ "sig_image_" (i) } type="file" name={ "sig_image_" (i) } accept="image/png,image/jpeg";
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
                            input id={ "heading_" (l) } name={ "heading_" (l) } maxlength="200" value=(w.heading);
                            label for={ "before_" (l) } { (tr.t(K::DesignBefore)) }
                            input id={ "before_" (l) } name={ "before_" (l) } maxlength="200" value=(w.before_name);
                            label for={ "after_" (l) } { (tr.t(K::DesignAfter)) }
                            input id={ "after_" (l) } name={ "after_" (l) } maxlength="200" value=(w.after_name);
                        }
                    }
                }
                fieldset {
                    legend { (tr.t(K::DesignColors)) }
                    (color_input("accent", tr.t(K::DesignAccent), &sp.colors.accent, "#1f3a6e"))
                    (color_input("text", tr.t(K::DesignText), &sp.colors.text, "#1d1d1f"))
                    (color_input("muted", tr.t(K::DesignMuted), &sp.colors.muted, "#5a5f6b"))
                }
                button #save type="submit" { (tr.t(K::DesignSave)) }
            }
        },
    ))
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

async fn save(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, WebError> {
    let back = format!("/staff/designs/{id}");
    let (fields, files) = read_form(mp).await?;
    // Checked after reading: the token is a field of the same multipart body.
    user.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
    let actor = user.member.email.clone();
    let tr = user.tr.clone();
    let result = state
        .blocking(move |c, _| -> Result<store::designs::Design, WebError> {
            // Every image is checked before any is stored: one bad file stores nothing.
            let mut checked = Vec::new();
            for (field, bytes) in &files {
                let img = design::check_image(bytes).map_err(|e| {
                    WebError::Status(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        tr.f(K::DesignBadImage, &[("field", &field_label(&tr, field)), ("error", &e)]),
                    )
                })?;
                checked.push((field.clone(), img));
            }
            let name = fields.get("name").cloned().unwrap_or_default();
            let tx = c.transaction()?;
            let mut uploaded = HashMap::new();
            for (field, img) in &checked {
                uploaded.insert(field.clone(), store::designs::put_asset(&tx, img, Utc::now())?);
            }
            let spec = spec_from(&fields, &uploaded);
            // Images and the new version in one transaction: a spec refused leaves no image.
            let d = store::designs::save_in(&tx, id, &name, &spec, &actor, Utc::now())?;
            tx.commit()?;
            Ok(d)
        })
        .await?;
    match result {
        Ok(d) => {
            tracing::info!(design_id = d.id, version = d.version, "design saved");
            Ok(Done::DesignSaved.on(&back).into_response())
        }
        Err(e) => Ok(form_error(&user, &back, e)),
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

async fn preview(
    State(state): State<AppState>,
    _user: StaffUser,
    Path(id): Path<i64>,
    Query(q): Query<PreviewQuery>,
) -> Result<Response, WebError> {
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
async fn image(
    State(state): State<AppState>,
    _user: StaffUser,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let sha = file.strip_suffix(".png").unwrap_or(&file).to_owned();
    let png = state.blocking(move |c, _| store::designs::asset_png(c, &sha)).await??;
    match png {
        Some(p) => Ok(png_response(p)),
        None => Err(WebError::Status(StatusCode::NOT_FOUND, "no such image".into())),
    }
}

async fn event_page(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
) -> Result<Markup, WebError> {
    let tr = &user.tr;
    let (event, chosen, designs) = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            let chosen = store::designs::event_design(c, e.id)?;
            Ok((e, chosen, store::designs::list(c)?))
        })
        .await??;
    Ok(layout(
        Some(&user),
        tr.t(K::DesignButton),
        html! {
            p { a href={ "/staff/events/" (event.slug) } { (tr.t(K::DesignBack)) } }
            h1 { (tr.t(K::DesignButton)) (tr.t(K::Colon)) (event.title) }
            form.card method="post" action={ "/staff/events/" (event.slug) "/design" } {
                p.muted { (tr.t(K::DesignEventHelp)) }
                (user.csrf_field())
                label for="design" { (tr.t(K::DesignButton)) }
                select #design name="design" {
                    option value="" { (tr.t(K::DesignOrgDefault)) }
                    @for d in &designs { option value=(d.id) selected[chosen == Some(d.id)] { (d.name) } }
                }
                button type="submit" { (tr.t(K::DesignUseThis)) }
            }
        },
    ))
}

#[derive(Deserialize)]
struct EventDesignForm {
    csrf: String,
    design: String,
}

async fn event_save(
    State(state): State<AppState>,
    user: StaffUser,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<EventDesignForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let actor = user.member.email.clone();
    let s2 = slug.clone();
    let done = state
        .blocking(move |c, _| -> Result<(), store::StoreError> {
            let e = store::events::get(c, &s2)?;
            store::designs::set_event_design(c, e.id, f.design.trim().parse().ok(), &actor, Utc::now())
        })
        .await?;
    match done {
        Ok(()) => Ok(Done::DesignAssigned.on(&format!("/staff/events/{slug}")).into_response()),
        Err(e) => Ok(form_error(&user, &format!("/staff/events/{slug}/design"), e)),
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/designs", get(list).post(create))
        .route("/staff/organisation", axum::routing::post(save_profile))
        .route("/staff/designs/{id}", get(page).post(save).layer(DefaultBodyLimit::max(MAX_FORM_BYTES)))
        .route("/staff/designs/{id}/preview.png", get(preview))
        .route("/staff/designs/images/{file}", get(image))
        .route("/staff/events/{slug}/design", get(event_page).post(event_save))
}
