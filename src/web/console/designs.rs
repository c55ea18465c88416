//! Certificate designs in the console: the list, one design's page (logos, the line under the
//! heading, signatories, wording, colours, saved as one multipart form), its preview as PNG
//! pictures with sample names, the organisation's profile, and an event's choice of design.
//!
//! Every upload goes through `certificate::design::check_image` before anything is stored; a
//! form with one bad image stores nothing and says which field and why.
//!
//! Deliberately not here: deleting designs or images (versions are frozen with certificates),
//! translations (every string is in [`s`] for the console catalogue to take over).

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::{StaffUser, form_error, layout};
use crate::certificate::design::{self, ColorSpec, DesignSpec, SignatorySpec, Wording};
use crate::store::{self, designs::Profile};
use crate::web::{AppState, WebError};

/// Every user-visible string of these pages (English; the console catalogue takes them over).
mod s {
    pub const LIST_TITLE: &str = "Certificate designs";
    pub const LIST_INTRO: &str = "A design gives certificates their logos, a line such as “Co-organised with …”, signatories, wording and colours. Events without a design use the organisation's default design, or else the built-in template. Issued certificates keep the design version they were issued with; reissuing uses the current one.";
    pub const NONE_YET: &str = "No designs yet.";
    pub const COL_NAME: &str = "Name";
    pub const COL_VERSION: &str = "Version";
    pub const COL_UPDATED: &str = "Saved (UTC)";
    pub const COL_CERTS: &str = "Certificates issued";
    pub const NEW_NAME: &str = "Name of a new design";
    pub const CREATE: &str = "Create design";
    pub const PROFILE: &str = "Organisation";
    pub const ISSUER: &str = "Issuer, in full (printed: “Issued by …”)";
    pub const ISSUER_SHORT: &str = "Short name (in the QR code, at most 20 bytes)";
    pub const DEFAULT_DESIGN: &str = "Default design";
    pub const BUILT_IN: &str = "Built-in template";
    pub const SAVE_PROFILE: &str = "Save organisation";
    pub const EDIT_TITLE: &str = "Design";
    pub const LOGOS: &str = "Logos (left to right, up to four)";
    pub const LOGOS_HELP: &str = "PNG or JPEG, at most 1 MiB and 4 megapixels. Transparent PNGs look best.";
    pub const LOGO: &str = "Logo";
    pub const REPLACE: &str = "Replace with";
    pub const REMOVE: &str = "Remove";
    pub const LINE: &str = "Line under the heading (optional)";
    pub const LINE_HELP: &str = "For example “Co-organised with Parliamentarians for Global Action” or “Funded by the European Union”.";
    pub const SIGNATORIES: &str = "Signatories (one to three)";
    pub const SIGNATORY: &str = "Signatory";
    pub const SIG_NAME: &str = "Name (leave empty for no signatory)";
    pub const SIG_TITLE: &str = "Function";
    pub const SIG_IMAGE: &str = "Signature image";
    pub const WORDING: &str = "Wording";
    pub const WORDING_HELP: &str = "Empty fields keep the built-in wording. Placeholders such as {title} or {date} work as in the templates.";
    pub const HEADING: &str = "Heading";
    pub const BEFORE: &str = "Line before the name";
    pub const AFTER: &str = "Line after the name";
    pub const COLORS: &str = "Colours";
    pub const ACCENT: &str = "Accent (heading, frame)";
    pub const TEXT: &str = "Text";
    pub const MUTED: &str = "Secondary text";
    pub const SAVE: &str = "Save design";
    pub const PREVIEW: &str = "Preview";
    pub const PREVIEW_HELP: &str = "With sample names (a long one, one in Arabic) and a sample event. Nothing is issued.";
    pub const PREVIEW_LONG: &str = "Preview with a long name";
    pub const PREVIEW_ARABIC: &str = "Preview with a name in Arabic";
    pub const EVENT_DESIGN: &str = "Certificate design";
    pub const EVENT_DESIGN_HELP: &str = "New certificates of this event use this design. Certificates already issued keep theirs.";
    pub const ORG_DEFAULT: &str = "The organisation's default";
    pub const SAVE_CHOICE: &str = "Use this design";
    pub const BACK: &str = "← Back";
    pub const NOT_SET_UP: &str = "This server is not set up to render certificates.";
    pub const LANGS: [(&str, &str); 3] = [("en", "English"), ("fr", "French"), ("es", "Spanish")];
    pub const BAD_IMAGE: &str = "nothing was saved";
}

/// Largest form accepted: seven images at their limit and the text.
const MAX_FORM_BYTES: usize = 8 * design::MAX_IMAGE_BYTES + 64 * 1024;

async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    let (designs, profile) =
        state.blocking(|c, _| Ok::<_, store::StoreError>((store::designs::list(c)?, store::designs::profile(c)?))).await??;
    Ok(layout(
        Some(&user),
        s::LIST_TITLE,
        html! {
            h1 { (s::LIST_TITLE) }
            p.muted { (s::LIST_INTRO) }
            @if designs.is_empty() { p { (s::NONE_YET) } } @else {
                table {
                    thead { tr { th { (s::COL_NAME) } th { (s::COL_VERSION) } th { (s::COL_UPDATED) } th { (s::COL_CERTS) } } }
                    tbody { @for d in &designs {
                        tr { td { a href={ "/staff/designs/" (d.id) } { (d.name) } } td { (d.version) } td.nowrap { (d.updated_at) } td { (d.certificates) } }
                    } }
                }
            }
            form method="post" action="/staff/designs" {
                (user.csrf_field())
                label for="name" { (s::NEW_NAME) }
                input #name name="name" required maxlength="100";
                button type="submit" { (s::CREATE) }
            }
            section.card {
                h2 { (s::PROFILE) }
                form method="post" action="/staff/organisation" {
                    (user.csrf_field())
                    label for="issuer" { (s::ISSUER) }
                    input #issuer name="issuer" maxlength="200" value=(profile.issuer.clone().unwrap_or_default()) placeholder=(state.config().issuer.as_str());
                    label for="issuer_short" { (s::ISSUER_SHORT) }
                    input #issuer_short name="issuer_short" maxlength="20" value=(profile.issuer_short.clone().unwrap_or_default());
                    label for="default_design" { (s::DEFAULT_DESIGN) }
                    select #default_design name="default_design" {
                        option value="" { (s::BUILT_IN) }
                        @for d in &designs { option value=(d.id) selected[profile.default_design == Some(d.id)] { (d.name) } }
                    }
                    button type="submit" { (s::SAVE_PROFILE) }
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

async fn create(State(state): State<AppState>, user: StaffUser, axum::Form(f): axum::Form<NewForm>) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    let actor = user.member.email.clone();
    let made = state.blocking(move |c, _| store::designs::create(c, &f.name, &starting_spec(), &actor, Utc::now())).await?;
    match made {
        Ok(d) => {
            tracing::info!(design_id = d.id, "design created");
            Ok(Redirect::to(&format!("/staff/designs/{}", d.id)).into_response())
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
        Ok(_) => Ok(Redirect::to("/staff/designs").into_response()),
        Err(e) => Ok(form_error(&user, "/staff/designs", e)),
    }
}

fn color_input(name: &str, label: &str, value: &str, fallback: &str) -> Markup {
    let v = if value.is_empty() { fallback } else { value };
    html! { label for=(name) { (label) } input #(name) type="color" name=(name) value=(v); }
}

async fn page(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<Markup, WebError> {
    let d = state.blocking(move |c, _| store::designs::get(c, id)).await??;
    let sp = &d.spec;
    let text = |m: &BTreeMap<String, String>, l: &str| m.get(l).cloned().unwrap_or_default();
    Ok(layout(
        Some(&user),
        s::EDIT_TITLE,
        html! {
            p { a href="/staff/designs" { (s::BACK) } }
            h1 { (s::EDIT_TITLE) ": " (d.name) " · v" (d.version) }
            section.card {
                h2 { (s::PREVIEW) }
                p.muted { (s::PREVIEW_HELP) }
                div.previews {
                    figure { img #preview-long src={ "/staff/designs/" (d.id) "/preview.png?sample=long&v=" (d.version) } alt=(s::PREVIEW_LONG) width="842" style="max-width:100%;height:auto;border:1px solid #ccc"; figcaption { (s::PREVIEW_LONG) } }
                    figure { img #preview-arabic src={ "/staff/designs/" (d.id) "/preview.png?sample=arabic&v=" (d.version) } alt=(s::PREVIEW_ARABIC) width="842" style="max-width:100%;height:auto;border:1px solid #ccc"; figcaption { (s::PREVIEW_ARABIC) } }
                }
            }
            form #design method="post" action={ "/staff/designs/" (d.id) } enctype="multipart/form-data" {
                (user.csrf_field())
                label for="name" { (s::COL_NAME) }
                input #name name="name" required maxlength="100" value=(d.name);
                fieldset {
                    legend { (s::LOGOS) }
                    p.muted { (s::LOGOS_HELP) }
                    @for i in 0..design::MAX_LOGOS {
                        div.slot {
                            strong { (s::LOGO) " " (i + 1) }
                            @if let Some(sha) = sp.logos.get(i) {
                                img src={ "/staff/designs/images/" (sha) ".png" } alt="" height="40" style="vertical-align:middle;margin:0 .5em";
                                input type="hidden" name={ "logo_keep_" (i) } value=(sha);
                                label { input type="checkbox" name={ "logo_remove_" (i) } value="1"; " " (s::REMOVE) }
                                label for={ "logo_" (i) } { (s::REPLACE) }
                            }
                            input id={ "logo_" (i) } type="file" name={ "logo_" (i) } accept="image/png,image/jpeg";
                        }
                    }
                }
                fieldset {
                    legend { (s::LINE) }
                    p.muted { (s::LINE_HELP) }
                    @for (l, lname) in s::LANGS {
                        label for={ "line_" (l) } { (lname) }
                        input id={ "line_" (l) } name={ "line_" (l) } maxlength="200" value=(text(&sp.line, l));
                    }
                }
                fieldset {
                    legend { (s::SIGNATORIES) }
                    @for i in 0..design::MAX_SIGNATORIES {
                        @let sig = sp.signatories.get(i);
                        div.slot {
                            strong { (s::SIGNATORY) " " (i + 1) }
                            label for={ "sig_name_" (i) } { (s::SIG_NAME) }
                            input id={ "sig_name_" (i) } name={ "sig_name_" (i) } maxlength="200" value=(sig.map(|x| x.name.clone()).unwrap_or_default());
                            @for (l, lname) in s::LANGS {
                                label for={ "sig_title_" (i) "_" (l) } { (s::SIG_TITLE) " (" (lname) ")" }
                                input id={ "sig_title_" (i) "_" (l) } name={ "sig_title_" (i) "_" (l) } maxlength="200" value=(sig.map(|x| text(&x.title, l)).unwrap_or_default());
                            }
                            label for={ "sig_image_" (i) } { (s::SIG_IMAGE) }
                            @if let Some(sha) = sig.and_then(|x| x.signature.as_ref()) {
                                img src={ "/staff/designs/images/" (sha) ".png" } alt="" height="30" style="vertical-align:middle;margin:0 .5em";
                                input type="hidden" name={ "sig_image_keep_" (i) } value=(sha);
                                label { input type="checkbox" name={ "sig_image_remove_" (i) } value="1"; " " (s::REMOVE) }
                            }
                            input id={ "sig_image_" (i) } type="file" name={ "sig_image_" (i) } accept="image/png,image/jpeg";
                        }
                    }
                }
                fieldset {
                    legend { (s::WORDING) }
                    p.muted { (s::WORDING_HELP) }
                    @for (l, lname) in s::LANGS {
                        @let w = sp.wording.get(l).cloned().unwrap_or_default();
                        div.slot {
                            strong { (lname) }
                            label for={ "heading_" (l) } { (s::HEADING) }
                            input id={ "heading_" (l) } name={ "heading_" (l) } maxlength="200" value=(w.heading);
                            label for={ "before_" (l) } { (s::BEFORE) }
                            input id={ "before_" (l) } name={ "before_" (l) } maxlength="200" value=(w.before_name);
                            label for={ "after_" (l) } { (s::AFTER) }
                            input id={ "after_" (l) } name={ "after_" (l) } maxlength="200" value=(w.after_name);
                        }
                    }
                }
                fieldset {
                    legend { (s::COLORS) }
                    (color_input("accent", s::ACCENT, &sp.colors.accent, "#1f3a6e"))
                    (color_input("text", s::TEXT, &sp.colors.text, "#1d1d1f"))
                    (color_input("muted", s::MUTED, &sp.colors.muted, "#5a5f6b"))
                }
                button #save type="submit" { (s::SAVE) }
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
            || name.starts_with("sig_image_") && !name.starts_with("sig_image_keep_") && !name.starts_with("sig_image_remove_")
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
fn field_label(name: &str) -> String {
    if let Some(i) = name.strip_prefix("logo_").and_then(|i| i.parse::<usize>().ok()) {
        format!("{} {}", s::LOGO, i + 1)
    } else if let Some(i) = name.strip_prefix("sig_image_").and_then(|i| i.parse::<usize>().ok()) {
        format!("{} {}: {}", s::SIGNATORY, i + 1, s::SIG_IMAGE)
    } else {
        name.to_owned()
    }
}

/// The spec the form describes; `uploaded` maps file fields to the ids of their checked images.
fn spec_from(f: &HashMap<String, String>, uploaded: &HashMap<String, String>) -> DesignSpec {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let on = |k: &str| f.get(k).is_some_and(|v| v == "1");
    let per_lang = |prefix: &str| -> BTreeMap<String, String> {
        s::LANGS.iter().map(|(l, _)| (l.to_string(), get(&format!("{prefix}_{l}")))).filter(|(_, v)| !v.is_empty()).collect()
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
    let wording = s::LANGS
        .iter()
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

async fn save(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>, mp: Multipart) -> Result<Response, WebError> {
    let back = format!("/staff/designs/{id}");
    let (fields, files) = read_form(mp).await?;
    // Checked after reading: the token is a field of the same multipart body.
    user.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
    let actor = user.member.email.clone();
    let result = state
        .blocking(move |c, _| -> Result<store::designs::Design, WebError> {
            // Every image is checked before any is stored: one bad file stores nothing.
            let mut checked = Vec::new();
            for (field, bytes) in &files {
                let img = design::check_image(bytes).map_err(|e| {
                    WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, format!("{}: {e}; {}.", field_label(field), s::BAD_IMAGE))
                })?;
                checked.push((field.clone(), img));
            }
            let name = fields.get("name").cloned().unwrap_or_default();
            let tx = c.transaction().map_err(store::StoreError::from)?;
            let mut uploaded = HashMap::new();
            for (field, img) in &checked {
                uploaded.insert(field.clone(), store::designs::put_asset(&tx, img, Utc::now())?);
            }
            let spec = spec_from(&fields, &uploaded);
            // Images and the new version in one transaction: a spec refused leaves no image.
            let d = store::designs::save_in(&tx, id, &name, &spec, &actor, Utc::now())?;
            tx.commit().map_err(store::StoreError::from)?;
            Ok(d)
        })
        .await?;
    match result {
        Ok(d) => {
            tracing::info!(design_id = d.id, version = d.version, "design saved");
            Ok(Redirect::to(&back).into_response())
        }
        Err(e) => Ok(form_error(&user, &back, e)),
    }
}

#[derive(Deserialize)]
struct PreviewQuery {
    sample: Option<String>,
    lang: Option<String>,
}

/// Sample names of the preview: a long one and one in Arabic (right-to-left, joined letters).
pub(crate) const SAMPLE_LONG: &str =
    "Maria Fernanda de los Ángeles Rodríguez-Villanueva y Castellanos, Ministry of Justice (Costa Rica)";
pub(crate) const SAMPLE_ARABIC: &str = "محمد بن عبد الله الهاشمي";

/// A certificate's content for previews: a sample event, no real token.
pub(crate) fn sample_content(name: &str, language: &str, template: String, public_url: &str, issuer: &str) -> crate::certificate::CertificateContent {
    let day = chrono::NaiveDate::from_ymd_opt(2021, 7, 13).expect("valid date");
    crate::certificate::CertificateContent {
        language: language.to_owned(),
        template: Some(template),
        name: name.to_owned(),
        event_title: "Regional parliamentary webinar on the Budapest Convention: African Region".into(),
        series: None,
        starts_local: day.and_hms_opt(13, 0, 0).expect("valid time"),
        ends_local: day.and_hms_opt(16, 0, 0).expect("valid time"),
        timezone: "UTC".into(),
        minutes_attended: 172,
        certificate_code: "PREV-IEW0-0000-0000-0000-0000-00".into(),
        // As long as a real verification URL, so the QR code is as dense as a real one.
        verify_url: format!("{public_url}/v/{}", "p".repeat(250)),
        issued_at: chrono::DateTime::from_naive_utc_and_offset(day.and_hms_opt(18, 0, 0).expect("valid time"), Utc),
        issuer: issuer.to_owned(),
    }
}

/// Renders a preview PNG of design `id`'s current version.
pub(crate) fn preview_png(
    state: &AppState,
    c: &mut rusqlite::Connection,
    id: i64,
    sample: &str,
    language: &str,
) -> Result<Vec<u8>, WebError> {
    let issuing = state.inner.issuing.as_ref().ok_or_else(|| WebError::Status(StatusCode::CONFLICT, s::NOT_SET_UP.into()))?;
    let d = store::designs::get(c, id)?;
    let key = (d.id, d.version);
    issuing
        .renderer
        .prepare_design(key, &d.spec, &|sha| store::designs::asset_png(c, sha).ok().flatten())
        .map_err(|e| WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let issuer = store::designs::profile(c)?.issuer.unwrap_or_else(|| issuing.settings.issuer.clone());
    let name = if sample == "arabic" { SAMPLE_ARABIC } else { SAMPLE_LONG };
    let language = if design::LANGUAGES.contains(&language) { language } else { "en" };
    let content = sample_content(name, language, design::template_name(key.0, key.1), &issuing.settings.public_url, &issuer);
    issuing.renderer.preview_png(&content, 110.0).map_err(|e| WebError::internal(format!("preview of design {id}: {e}")))
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
    let lang = q.lang.unwrap_or_else(|| "en".into());
    let png = state.blocking(move |c, _| preview_png(&st, c, id, &sample, &lang)).await??;
    Ok(png_response(png))
}

/// A stored image: attest's re-encoded PNG, never the uploaded bytes.
async fn image(State(state): State<AppState>, _user: StaffUser, Path(file): Path<String>) -> Result<Response, WebError> {
    let sha = file.strip_suffix(".png").unwrap_or(&file).to_owned();
    let png = state.blocking(move |c, _| store::designs::asset_png(c, &sha)).await??;
    match png {
        Some(p) => Ok(png_response(p)),
        None => Err(WebError::Status(StatusCode::NOT_FOUND, "no such image".into())),
    }
}

async fn event_page(State(state): State<AppState>, user: StaffUser, Path(slug): Path<String>) -> Result<Markup, WebError> {
    let (event, chosen, designs) = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let e = store::events::get(c, &slug)?;
            let chosen = store::designs::event_design(c, e.id)?;
            Ok((e, chosen, store::designs::list(c)?))
        })
        .await??;
    Ok(layout(
        Some(&user),
        s::EVENT_DESIGN,
        html! {
            p { a href={ "/staff/events/" (event.slug) } { (s::BACK) } }
            h1 { (s::EVENT_DESIGN) ": " (event.title) }
            p.muted { (s::EVENT_DESIGN_HELP) }
            form method="post" action={ "/staff/events/" (event.slug) "/design" } {
                (user.csrf_field())
                label for="design" { (s::EVENT_DESIGN) }
                select #design name="design" {
                    option value="" { (s::ORG_DEFAULT) }
                    @for d in &designs { option value=(d.id) selected[chosen == Some(d.id)] { (d.name) } }
                }
                button type="submit" { (s::SAVE_CHOICE) }
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
        Ok(()) => Ok(Redirect::to(&format!("/staff/events/{slug}")).into_response()),
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
