//! `/api/v1/events…`: events, their window, zone, language and rule.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiErrorBody, ApiJson, ApiResult};
use super::{ApiUser, JsonOn, StaffOn, created};
use crate::attendance::Rule;
use crate::language::Language;
use crate::store;
use crate::store::events::{Event, NewEvent};
use crate::web::AppState;

/// An event as the API shows it. Times are RFC 3339 UTC; `starts`/`ends` are null when the
/// window comes from the exports.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    pub slug: String,
    pub title: String,
    pub series: Option<String>,
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub timezone: String,
    pub language: String,
    /// `min_percent` or `min_minutes`.
    pub rule: String,
    pub rule_value: u32,
    pub panelists_eligible: bool,
    pub template: Option<String>,
    /// How Teams reports' `Presenter` role reads: `auto` (attendee in a meeting, panelist in a
    /// webinar or town hall), `attendee` or `panelist`.
    pub teams_presenters: TeamsPresenters,
}

/// How Teams reports' `Presenter` role reads for an event.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TeamsPresenters {
    /// Each report's own reading: attendee in a meeting, panelist in a webinar or town hall.
    #[default]
    Auto,
    Attendee,
    Panelist,
}

impl TeamsPresenters {
    fn as_str(self) -> &'static str {
        match self {
            TeamsPresenters::Auto => "auto",
            TeamsPresenters::Attendee => "attendee",
            TeamsPresenters::Panelist => "panelist",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "attendee" => TeamsPresenters::Attendee,
            "panelist" => TeamsPresenters::Panelist,
            _ => TeamsPresenters::Auto,
        }
    }
}

impl From<Event> for EventOut {
    fn from(e: Event) -> Self {
        let (rule, rule_value) = e.rule.parts();
        EventOut {
            starts: e.starts_at.map(store::ts),
            ends: e.ends_at.map(store::ts),
            slug: e.slug,
            title: e.title,
            series: e.series,
            timezone: e.timezone.name().to_owned(),
            language: e.language.code().to_owned(),
            rule: rule.into(),
            rule_value,
            panelists_eligible: e.panelists_eligible,
            teams_presenters: TeamsPresenters::parse(&e.teams_presenters),
            template: e.template,
        }
    }
}

// The request types state every rule a handler applies to one field on its own (enums, patterns,
// ranges), so that the OpenAPI document is exactly as strict as the handlers: a request it allows
// is not refused for its shape, and one it forbids is not accepted. Rules that tie two fields
// together (an event ends after it starts, a percentage is at most 100, a local time exists in
// the zone) cannot be said in JSON Schema; they are refused with 422 and say so in the field's
// description.

/// Every IANA zone name attest knows, as an enum: the API reads the name exactly as listed.
pub(super) fn time_zone() -> utoipa::openapi::schema::ObjectBuilder {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("An IANA time zone name, e.g. `Europe/Paris`."))
        .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())))
}

/// A zone name exactly as the schema lists it (no trimming, no other spelling).
pub(super) fn zone(name: &str) -> Result<chrono_tz::Tz, store::StoreError> {
    name.parse::<chrono_tz::Tz>().map_err(|_| {
        store::StoreError::Invalid(format!("unknown time zone \"{name}\" (use an IANA name such as Europe/Paris)"))
    })
}

/// How attendance is decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// At least `rule_value` % of the event's window.
    #[default]
    MinPercent,
    /// At least `rule_value` minutes.
    MinMinutes,
}

/// What changes an event. Local times are in `timezone`, e.g. `2025-03-14T10:00`. A field it
/// does not have is refused ([`EventFields`]; a typo of `starts` made an event without a time),
/// though not through serde's `deny_unknown_fields`: [`EventCreate`] flattens it, and the
/// document's `allOf` would then forbid the slug.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventIn {
    #[schema(pattern = r"\S")]
    pub title: String,
    pub series: Option<String>,
    /// With `ends`, or neither; `ends` must come after it, and both must exist in `timezone`.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?$")]
    pub starts: Option<String>,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?$")]
    pub ends: Option<String>,
    #[serde(default = "utc")]
    #[schema(schema_with = time_zone)]
    pub timezone: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub rule: RuleKind,
    /// Percent (at most 100) or minutes, as `rule` says.
    #[serde(default = "seventy_five")]
    pub rule_value: u32,
    #[serde(default)]
    pub panelists_eligible: bool,
    /// One of the server's templates (listed in this document); the language's own when null.
    pub template: Option<String>,
    /// Absent: `auto` when creating, unchanged when changing.
    pub teams_presenters: Option<TeamsPresenters>,
}

/// What creates an event: its slug and the rest, read by [`EventFields`].
#[derive(Debug, ToSchema)]
pub struct EventCreate {
    /// 1 to 64 lower-case letters, digits, `-` or `_`; the event's name in URLs.
    #[schema(pattern = r"^[a-z0-9_-]{1,64}$", min_length = 1, max_length = 64)]
    pub slug: String,
    #[serde(flatten)]
    pub event: EventIn,
}

impl<'de> Deserialize<'de> for EventCreate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut fields = serde_json::Map::deserialize(d)?;
        let slug = fields.remove("slug").ok_or_else(|| D::Error::missing_field("slug"))?;
        let slug = String::deserialize(slug).map_err(|e| D::Error::custom(format!("slug: {e}")))?;
        let EventFields(event) =
            EventFields::deserialize(serde_json::Value::Object(fields)).map_err(D::Error::custom)?;
        Ok(EventCreate { slug, event })
    }
}

/// An [`EventIn`] whose object holds no field `EventIn` does not have (`slug` aside, which
/// [`EventCreate`] takes first): what both the creating and the changing request read.
pub struct EventFields(pub EventIn);

impl<'de> Deserialize<'de> for EventFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let fields = serde_json::Map::deserialize(d)?;
        let known = struct_fields::<EventIn>();
        if let Some(unknown) = fields.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(D::Error::unknown_field(unknown, known));
        }
        // The path of what is wrong (`language: unknown variant`), as axum's own JSON rejection says it.
        serde_path_to_error::deserialize(serde_json::Value::Object(fields)).map(EventFields).map_err(|e| {
            match e.path().to_string() {
                root if root == "." => D::Error::custom(e.inner()),
                path => D::Error::custom(format!("{path}: {}", e.inner())),
            }
        })
    }
}

/// A change of an event: the fields sent, checked as [`EventFields`] checks them. A field left
/// out keeps its value: a script that only renamed an event reset its zone to UTC, its
/// language to English and its times to none, with a 200.
pub struct EventChange {
    fields: EventIn,
    sent: Vec<String>,
}

impl<'de> Deserialize<'de> for EventChange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let map = serde_json::Map::deserialize(d)?;
        let sent = map.keys().cloned().collect();
        let EventFields(fields) = EventFields::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(EventChange { fields, sent })
    }
}

impl EventChange {
    /// `current` with the fields sent: those left out keep their value (a time as stored, not
    /// read again); local times sent are read in the zone sent, else the event's own.
    fn over(self, current: &Event, templates: &[String]) -> Result<NewEvent, store::StoreError> {
        let sent = |field: &str| self.sent.iter().any(|f| f == field);
        let mut e = self.fields;
        if !sent("timezone") {
            e.timezone = current.timezone.name().to_owned();
        }
        if !sent("series") {
            e.series.clone_from(&current.series);
        }
        if !sent("language") {
            e.language = current.language;
        }
        // The rule's kind and value each keep theirs; a new kind without a value takes its default.
        let (kind, value) = current.rule.parts();
        let kind = if kind == "min_minutes" { RuleKind::MinMinutes } else { RuleKind::MinPercent };
        if !sent("rule") {
            e.rule = kind;
        }
        if !sent("rule_value") && e.rule == kind {
            e.rule_value = value;
        }
        if !sent("panelists_eligible") {
            e.panelists_eligible = current.panelists_eligible;
        }
        let mut new = e.to_new(&current.slug, templates)?;
        if !sent("starts") {
            new.starts_at = current.starts_at;
        }
        if !sent("ends") {
            new.ends_at = current.ends_at;
        }
        if !sent("template") {
            new.template.clone_from(&current.template);
        }
        Ok(new)
    }
}

/// The field names serde's derived `Deserialize` for `T` knows: what it hands a deserializer's
/// `deserialize_struct`, caught by one that reads nothing else.
fn struct_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    use serde::de::{Error as _, Visitor, value::Error};
    struct Fields<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Fields<'_> {
        type Error = Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
            Err(Error::custom("only the field names are read"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Error> {
            *self.0 = fields;
            Err(Error::custom("only the field names are read"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(Fields(&mut names));
    names
}

pub(super) fn utc() -> String {
    "UTC".into()
}
pub(super) fn seventy_five() -> u32 {
    75
}

impl EventIn {
    fn to_new(&self, slug: &str, templates: &[String]) -> Result<NewEvent, store::StoreError> {
        let tz = zone(&self.timezone)?;
        let t = |s: &Option<String>| s.as_deref().map(|s| store::events::local_time(s, tz)).transpose();
        if let Some(t) = self.template.as_ref().filter(|t| !templates.contains(t)) {
            return Err(store::StoreError::Invalid(format!("template \"{t}\": use one of {}", templates.join(", "))));
        }
        Ok(NewEvent {
            slug: slug.to_owned(),
            title: self.title.clone(),
            series: self.series.clone(),
            starts_at: t(&self.starts)?,
            ends_at: t(&self.ends)?,
            timezone: tz,
            language: self.language,
            rule: match self.rule {
                RuleKind::MinMinutes => Rule::MinMinutes(self.rule_value),
                RuleKind::MinPercent => Rule::MinPercent(self.rule_value),
            },
            panelists_eligible: self.panelists_eligible,
            template: self.template.clone(),
        })
    }
}

/// List events.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", security(("bearer" = [])),
    responses((status = 200, body = [EventOut]), (status = 401, body = ApiErrorBody)))]
pub(super) async fn list_events(State(state): State<AppState>, _u: ApiUser) -> ApiResult<Json<Vec<EventOut>>> {
    let events = state.blocking(|c, _| store::events::list(c)).await??;
    Ok(Json(events.into_iter().map(EventOut::from).collect()))
}

/// Create an event.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", security(("bearer" = [])), request_body = EventCreate,
    responses((status = 201, body = EventOut), (status = 409, description = "an event with this slug exists", body = ApiErrorBody)))]
pub(super) async fn create_event(
    State(state): State<AppState>,
    ApiUser(m): ApiUser,
    ApiJson(e): ApiJson<EventCreate>,
) -> ApiResult<Response> {
    let new = e.event.to_new(&e.slug, &state.template_names())?;
    let presenters = e.event.teams_presenters;
    let ev = state
        .blocking(move |c, _| {
            let ev = store::events::create(c, &new, &m.email, Utc::now())?;
            crate::web::with_teams_presenters(c, ev, presenters.map(TeamsPresenters::as_str), &m.email)
        })
        .await??;
    Ok(created(EventOut::from(ev)))
}

/// One event.
#[utoipa::path(get, path = "/api/v1/events/{slug}", tag = "events", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = EventOut), (status = 404, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub(super) async fn get_event(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Json<EventOut>> {
    Ok(Json(state.blocking(move |c, _| store::events::get(c, &slug)).await??.into()))
}

/// Change an event (not its slug). `title` is required; every other field left out keeps its
/// value (send `null` to clear `series`, `starts` and `ends`, or `template`). Local times sent
/// are read in the zone sent, else in the event's.
#[utoipa::path(put, path = "/api/v1/events/{slug}", tag = "events", security(("bearer" = [])), request_body = EventIn,
    params(("slug" = String, Path)), responses((status = 200, body = EventOut)))]
pub(super) async fn update_event(JsonOn(state, m, slug, change): JsonOn<EventChange>) -> ApiResult<Json<EventOut>> {
    let templates = state.template_names();
    let ev = state
        .blocking(move |c, _| {
            let teams_presenters = change.fields.teams_presenters.map(TeamsPresenters::as_str);
            let new = change.over(&store::events::get(c, &slug)?, &templates)?;
            let ev = store::events::update(c, &slug, &new, &m.email, Utc::now())?;
            crate::web::with_teams_presenters(c, ev, teams_presenters, &m.email)
        })
        .await??;
    Ok(Json(ev.into()))
}
