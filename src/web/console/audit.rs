//! The audit log for staff: the latest actions, filtered by event, account or action, with
//! subjects named and linked (events, designs, series, certificates) rather than as stored ids.

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::text::K;
use super::{StaffUser, role_name};
use crate::web::{AppState, WebError};

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    event: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
}

/// What the audit page needs to name subjects: events, designs and series.
struct Names {
    events: Vec<crate::store::events::Event>,
    designs: Vec<crate::store::designs::Design>,
    series: Vec<crate::store::series::Series>,
}

impl Names {
    fn event_link(&self, e: &crate::store::events::Event) -> Markup {
        html! { a href={ "/staff/events/" (e.slug) } translate="no" { (e.title) } }
    }

    /// The subject of an audit line as a link with a name where it is an event, a design, a
    /// series or a certificate (its code as printed); else as recorded.
    fn subject(&self, action: &str, subject: &str) -> Markup {
        let family = action.split('.').next().unwrap_or("");
        if let Some(id) = subject.strip_prefix("event ").and_then(|i| i.parse::<i64>().ok())
            && let Some(e) = self.events.iter().find(|e| e.id == id)
        {
            return self.event_link(e);
        }
        if let Some(d) = self.design(subject) {
            return d;
        }
        let series = subject.strip_prefix("series ").or((family == "series").then_some(subject));
        if let Some(s) = series.and_then(|slug| self.series.iter().find(|s| s.slug == slug)) {
            return html! { a href={ "/staff/series/" (s.slug) } translate="no" { (s.title) } };
        }
        if matches!(family, "event" | "people" | "attendance" | "import")
            && let Some(e) = self.events.iter().find(|e| e.slug == subject)
        {
            return self.event_link(e);
        }
        if matches!(action, "certificate.revoke" | "certificate.reissue" | "delivery.resend") {
            return html! { a href={ "/staff/certificates/" (subject) } { code translate="no" { (crate::issuance::grouped(subject)) } } };
        }
        html! { span translate="no" { (subject) } }
    }

    /// `design {id}` as the design's name, linked.
    fn design(&self, text: &str) -> Option<Markup> {
        let id = text.strip_prefix("design ")?.parse::<i64>().ok()?;
        let d = self.designs.iter().find(|d| d.id == id)?;
        Some(html! { a href={ "/staff/designs/" (d.id) } translate="no" { (d.name) } })
    }

    /// The detail, with a design named and a new certificate's code as printed.
    fn detail(&self, detail: &str) -> Markup {
        if let Some(d) = self.design(detail) {
            return d;
        }
        if let Some(rest) = detail.strip_prefix("superseded by ")
            && let Some((id, reason)) = rest.split_once(": ")
        {
            return html! {
                span lang="en" { "superseded by " a href={ "/staff/certificates/" (id) } { code translate="no" { (crate::issuance::grouped(id)) } } ": " (reason) }
            };
        }
        html! { span lang="en" { (detail) } }
    }
}

async fn audit(
    State(state): State<AppState>,
    user: StaffUser,
    Query(q): Query<AuditQuery>,
) -> Result<Markup, WebError> {
    let chosen = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let (event, actor, action) = (chosen(&q.event), chosen(&q.actor), chosen(&q.action));
    let (entries, names, (actors, actions)) = state
        .blocking(move |conn, _| -> Result<_, crate::store::StoreError> {
            let events = crate::store::events::list(conn)?;
            let filter = crate::store::certificates::AuditFilter {
                event: event.and_then(|slug| events.iter().find(|e| e.slug == slug).map(|e| (e.id, e.slug.clone()))),
                actor,
                action,
            };
            let entries = crate::store::certificates::audit_filtered(conn, 500, &filter)?;
            let names = Names {
                events,
                designs: crate::store::designs::list(conn)?,
                series: crate::store::series::list(conn)?,
            };
            Ok((entries, names, crate::store::certificates::audit_actors_and_actions(conn)?))
        })
        .await??;
    let tr = &user.tr;
    Ok(user.page(
        tr.t(K::NavAudit),
        html! {
            h1 { (tr.t(K::NavAudit)) }
            form.card.filters method="get" action="/staff/audit" {
                div {
                    label for="f-event" { (tr.t(K::AuditEvent)) }
                    select #f-event name="event" {
                        option value="" { (tr.t(K::AuditAll)) }
                        @for e in &names.events { option value=(e.slug) selected[q.event == e.slug] translate="no" { (e.title) } }
                    }
                }
                div {
                    label for="f-actor" { (tr.t(K::Who)) }
                    select #f-actor name="actor" {
                        option value="" { (tr.t(K::AuditAll)) }
                        @for a in &actors { option value=(a) selected[&q.actor == a] translate="no" { (a) } }
                    }
                }
                div {
                    label for="f-action" { (tr.t(K::What)) }
                    select #f-action name="action" {
                        option value="" { (tr.t(K::AuditAll)) }
                        @for a in &actions { option value=(a) selected[&q.action == a] translate="no" { (a) } }
                    }
                }
                div { button type="submit" { (tr.t(K::AuditShow)) } }
            }
            p.muted { (tr.m(K::AuditIntro, &[("n", html! { (tr.num(500)) })])) }
            @if entries.is_empty() {
                p { (tr.t(K::AuditNone)) }
            } @else {
                div.scroll tabindex="0" {
                    table {
                        thead { tr { th { (tr.t(K::WhenUtc)) } th { (tr.t(K::Who)) } th { (tr.t(K::Role)) } th { (tr.t(K::What)) } th { (tr.t(K::Subject)) } th { (tr.t(K::Detail)) } } }
                        tbody {
                            @for a in &entries {
                                @let role = a.role.as_deref().and_then(|r| r.parse().ok()).map(|r| role_name(tr, r)).unwrap_or("");
                                tr {
                                    td.nowrap { (tr.stored(&a.at)) }
                                    td translate="no" { (a.actor) }
                                    td { (role) }
                                    td { code { (a.action) } }
                                    td { (names.subject(&a.action, &a.subject)) }
                                    td.small { (names.detail(&a.detail)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/staff/audit", get(audit))
}
