//! `/api/v1/events/{slug}/imports`: uploading exports into an event, all or nothing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiUser;
use super::error::{ApiError, ApiErrorBody, ApiMultipart, ApiPath, ApiResult};
use super::events::time_zone;
use super::events::zone;
use crate::import::ImportOptions;
use crate::import::dates::DateOrder;
use crate::store;
use crate::store::imports::Upload;
use crate::web::{AppState, WebError};

/// What happened to one uploaded file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOut {
    pub file: String,
    /// `imported`, `already_imported` or `duplicate`.
    pub status: String,
    /// The full import report (format, encoding, zone, rows, connections, row errors...).
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

/// The multipart form of an import.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "describes the request for the OpenAPI document; the handler reads it field by field")]
#[serde(deny_unknown_fields)] // No other field: the handler refuses one.
pub struct ImportForm {
    /// One or more export files, as downloaded. A file attest cannot read is refused (422)
    /// with the line and column.
    #[schema(value_type = Vec<String>, format = Binary, min_items = 1)]
    files: Vec<Vec<u8>>,
    /// Zone the files' times are in (default: the event's).
    #[serde(default)]
    #[schema(schema_with = time_zone)]
    timezone: String,
    /// When the file cannot decide.
    #[serde(default)]
    date_order: DateOrderIn,
    /// For files holding several meetings: the meeting ID.
    #[serde(default)]
    meeting: String,
    /// `true` to import readable rows when some cannot be read.
    #[serde(default)]
    skip_bad_rows: bool,
    /// For a file whose headers attest does not know (answered with `needs: columns` and the
    /// inferred columns as `example`): the columns, confirmed or corrected, as
    /// `name=1,email=2,join=3,leave=4` (numbers from 1, or header texts; `duration`, `role`,
    /// `waiting` and `date` optional, `date` being each row's day beside times of day; a name in two columns, first and last, as `name=1+2`), or for an event log (one event per row) `name=1,email=2,action=3,time=4` with
    /// the action words `joined=WORD,left=WORD` (several words with `|`). The mapping is then
    /// remembered for files with the same header row.
    #[serde(default)]
    #[schema(example = "name=1,email=2,join=3,leave=4")]
    columns: String,
    /// `true` to accept the columns attest inferred (the `example` of a `needs: columns` answer)
    /// without naming them; refused again if the inference left a question open.
    #[serde(default)]
    accept_inferred: bool,
    /// The day of the meeting, for files whose rows hold times of day only (answered with
    /// `needs: date`).
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    date: String,
    /// The files' text encoding (`windows-1250`, `windows-1252`, `macintosh`, ...), for a file
    /// that is not UTF-8 and whose names the guessed code page read wrong; empty: UTF-8, else
    /// guessed.
    #[serde(default)]
    #[schema(example = "windows-1250")]
    encoding: String,
}

/// How a file's dates read when the file alone cannot tell.
#[derive(Debug, Clone, Copy, Default, ToSchema)]
#[expect(dead_code, reason = "describes the form field; the handler reads the text")]
#[schema(rename_all = "lowercase")]
pub(super) enum DateOrderIn {
    #[default]
    Mdy,
    Dmy,
    Ymd,
}

/// Import one or more exports into an event, all or nothing. A file that cannot be dated or
/// holds several meetings is refused with `needs` and an `example`: send it again with
/// `date_order` or `meeting`. A file whose headers attest does not know is refused with
/// `needs: columns` and the inferred columns: send it again with `columns` (or
/// `accept_inferred=true`); time-only rows without a date answer `needs: date`.
#[utoipa::path(post, path = "/api/v1/events/{slug}/imports", tag = "imports", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses((status = 200, body = [ImportOut]), (status = 413, description = "too large"), (status = 422, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn import(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiPath(slug): ApiPath<String>,
    ApiMultipart(mut multipart): ApiMultipart,
) -> ApiResult<Json<Vec<ImportOut>>> {
    let mut files = Vec::new();
    let (mut timezone, mut date_order, mut meeting, mut skip) = (None, None, None, false);
    let (mut columns, mut actions, mut accept_inferred, mut meeting_date) = (None, None, false, None);
    let mut encoding = None;
    let invalid = |m: String| ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, m);
    // Each field is read exactly as the schema states it: the zone and date order spelt as listed,
    // the flag `true` or `false`.
    while let Some(field) = multipart.next_field().await? {
        match field.name().unwrap_or("") {
            "files" => {
                // A part without a file name (or with an empty one) is named as a text part is.
                let name = field.file_name().filter(|n| !n.trim().is_empty()).unwrap_or("upload.csv").to_owned();
                files.push((name, field.bytes().await?.to_vec()));
            }
            "timezone" => timezone = Some(zone(&field.text().await?)?),
            "date_order" => {
                let v = field.text().await?;
                date_order = Some(match v.as_str() {
                    "mdy" => DateOrder::Mdy,
                    "dmy" => DateOrder::Dmy,
                    "ymd" => DateOrder::Ymd,
                    _ => return Err(invalid(format!("date_order \"{v}\": use mdy, dmy or ymd"))),
                });
            }
            "meeting" => meeting = Some(field.text().await?).filter(|m| !m.is_empty()),
            "skip_bad_rows" => skip = flag("skip_bad_rows", &field.text().await?)?,
            "columns" => {
                let v = field.text().await?;
                if !v.trim().is_empty() {
                    let (parsed, words) = crate::import::mapping::parse_columns_and_actions(&v)
                        .map_err(|why| invalid(format!("columns \"{v}\": {why}")))?;
                    columns = Some(parsed);
                    actions = words;
                }
            }
            "accept_inferred" => accept_inferred = flag("accept_inferred", &field.text().await?)?,
            "date" => {
                let v = field.text().await?;
                if !v.is_empty() {
                    let d = chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                        .map_err(|_| invalid(format!("date \"{v}\": use YYYY-MM-DD")))?;
                    meeting_date = Some(d);
                }
            }
            "encoding" => {
                let v = field.text().await?;
                if !v.trim().is_empty() {
                    encoding = Some(
                        crate::import::text::encoding_named(&v).map_err(|why| invalid(format!("encoding {why}")))?,
                    );
                }
            }
            other => return Err(invalid(format!("no form field \"{other}\" (see the document)"))),
        }
    }
    if files.is_empty() {
        return Err(WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, "no file in field \"files\"".into()).into());
    }
    let max_rows = state.config().max_import_rows;
    let result = state
        .blocking(move |c, _| -> Result<_, store::StoreError> {
            let event = store::events::get(c, &slug)?;
            let opts = ImportOptions {
                tz: timezone.unwrap_or_else(|| event.tz()),
                date_order,
                meeting,
                event_title: Some(event.title.clone()),
                event_window: event.window().map(|w| (w.start, w.end)),
                max_rows: Some(max_rows),
                columns,
                actions,
                accept_inferred,
                known_mappings: Vec::new(),
                meeting_date,
                encoding,
            };
            let uploads: Vec<Upload> = files.iter().map(|(n, b)| Upload { file_name: n, bytes: b }).collect();
            store::imports::import_files(c, &event, &uploads, &opts, skip, &m.email, Utc::now())
        })
        .await?;
    if result.is_ok() {
        state.checkpoint_soon();
    }
    if let Err(store::StoreError::Import(e)) = &result {
        state.inner.metrics.import_failed(e);
    }
    let outcomes = match result {
        Ok(o) => o,
        Err(store::StoreError::Import(e)) => {
            let hint = needs(&e);
            return Err(ApiError(WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, form_words(&e.to_string())), hint));
        }
        Err(e) => return Err(e.into()),
    };
    let out = outcomes
        .into_iter()
        .map(|o| {
            let mut report = serde_json::to_value(&o).unwrap_or_default();
            if let Some(serde_json::Value::Array(warnings)) = report.get_mut("warnings") {
                for w in warnings.iter_mut() {
                    if let serde_json::Value::String(s) = w {
                        *s = form_words(s);
                    }
                }
            }
            let (file, status) = match &o {
                store::imports::Outcome::Imported(s) => (s.file.clone(), "imported"),
                store::imports::Outcome::AlreadyImported { file, .. } => (file.clone(), "already_imported"),
                store::imports::Outcome::Duplicate { file, .. } => (file.clone(), "duplicate"),
            };
            ImportOut { file, status: status.into(), report }
        })
        .collect();
    Ok(Json(out))
}

/// The importer's words for the next step, which name `attest import`'s flags, in this form's
/// fields: an API client was told to "import again with --accept-inferred".
fn form_words(message: &str) -> String {
    const FLAGS: [(&str, &str); 14] = [
        ("--accept-inferred", "accept_inferred=true"),
        ("--skip-bad-rows", "skip_bad_rows=true"),
        ("--date-order dmy", "date_order=dmy"),
        ("--date-order ", "date_order="),
        ("--date-order", "date_order"),
        ("--columns ", "columns="),
        ("--columns", "columns"),
        ("--meeting and", "meeting and"),
        ("--meeting ", "meeting="),
        ("--meeting", "meeting"),
        ("--date ", "date="),
        ("--date", "date"),
        ("--tz ", "timezone="),
        ("--dry-run", "this answer"),
    ];
    let mut out = message.to_owned();
    for (flag, field) in FLAGS {
        if out.contains(flag) {
            out = out.replace(flag, field);
        }
    }
    out
}

/// A `true`/`false` form field; any other word is a 422 naming the field and its value.
fn flag(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        other => {
            Err(ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, format!("{name} \"{other}\": use true or false")))
        }
    }
}

/// What a refused import needs to be sent again (`needs`, and an `example` of its value).
fn needs(e: &crate::import::ImportError) -> Option<(String, String)> {
    use crate::import::ImportError as I;
    match e {
        I::DateOrderUndecided { example, .. } => Some(("date_order".to_owned(), example.clone())),
        I::DateOrderContradictory { mdy_example, .. } => Some(("date_order".to_owned(), mdy_example.clone())),
        I::WhichMeeting { meetings, .. } | I::NoSuchMeeting { meetings, .. } => {
            Some(("meeting".to_owned(), meetings.join("; ")))
        }
        // Headers attest does not know: the inferred columns, to confirm with the
        // `columns` field (or `accept_inferred`), in the console or with `attest import
        // --columns`; the mapping is then remembered and the same header row imports at once.
        I::NeedsMapping { inference, .. } => Some(("columns".to_owned(), inference.as_columns_arg())),
        I::NeedsDate { .. } | I::SummaryDate { .. } => Some(("date".to_owned(), "YYYY-MM-DD".to_owned())),
        _ => None,
    }
}
