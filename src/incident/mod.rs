//! Incidents of a session (rules 27–29): kept with their times and the input concerned,
//! written into the protocol where they happened (so the export, the disc and the review
//! show them), and told to the people who must know.

pub mod act;
pub mod notice;

use chrono::{DateTime, Duration, Utc};
use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed_fl::fl;

use crate::config::Config;
use crate::protocol::{EntryKind, NewEntry, Stamp};
use crate::store::{NewIncident, Part, Store, StoreError, timestamp};
use notice::Notice;

/// Rule 28: the regional coordinator reports the cause within an hour.
pub const REPORT_WITHIN: Duration = Duration::hours(1);

/// What failed, in `loader`'s language: "Microphone 2 stopped delivering".
pub fn what(loader: &FluentLanguageLoader, kind: &str, name: &str) -> String {
    let name = name.to_owned();
    match kind {
        "input-stopped" => fl!(loader, "incident-input-stopped", name = name),
        "input-error" => fl!(loader, "incident-input-error", name = name),
        "microphone-silent" => fl!(loader, "incident-microphone-silent", name = name),
        "disk-nearly-full" => fl!(loader, "incident-disk-nearly-full"),
        "write-error" => fl!(loader, "incident-write-error"),
        "recording-interrupted" => fl!(loader, "incident-recording-interrupted"),
        other => other.to_owned(),
    }
}

/// What failed, in the interface language.
pub fn what_here(kind: &str, name: &str) -> String {
    what(&crate::i18n::LOADER, kind, name)
}

/// By when the regional coordinator's report is due.
pub fn report_due(started: DateTime<Utc>) -> DateTime<Utc> {
    started + REPORT_WITHIN
}

/// What an incident belongs to.
pub struct Context<'a> {
    pub config: &'a Config,
    pub part: &'a Part,
    /// The wall time of the part's first media timestamp, once recording.
    pub first_media_wall: Option<DateTime<Utc>>,
}

impl Context<'_> {
    fn stamp(&self, at: DateTime<Utc>) -> Stamp {
        Stamp::at(at, self.first_media_wall.map(|wall| (self.part.id, wall)))
    }
}

/// An incident that has begun: kept, written into the protocol at its moment, and told
/// (the notifications queued through the outbox). Returns its id.
pub fn began(
    store: &mut Store,
    context: &Context<'_>,
    kind: &str,
    input: &str,
    name: &str,
    started: DateTime<Utc>,
    details: &str,
) -> Result<i64, StoreError> {
    let part = context.part;
    let id = store.begin_incident(
        &NewIncident {
            session_id: part.session_id,
            part_id: part.id,
            kind,
            input,
            details,
        },
        started,
    )?;
    let text = match details {
        "" => what_here(kind, name),
        details => format!("{} ({details})", what_here(kind, name)),
    };
    write_entry(store, context, started, text);
    let session = store.session(part.session_id)?;
    let config = context.config;
    let zone = config.court.time_zone();
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let due = report_due(started);
    let notice = Notice {
        format: notice::FORMAT.to_owned(),
        identity: crate::session::PartIdentity::of(&session, part.number),
        incident_id: id,
        kind: kind.to_owned(),
        input: input.to_owned(),
        input_name: name.to_owned(),
        started_at: timestamp(started),
        details: details.to_owned(),
        report_due: timestamp(due),
        role: String::new(),
        subject: String::new(),
        text: String::new(),
    };
    let rows = notice::rows(&notice, &config.delivery, |role| {
        let mut subject = Vec::new();
        let mut text = Vec::new();
        for code in ["kk", "ru"] {
            let loader = crate::i18n::loader_for(code);
            let what = what(&loader, kind, name);
            subject.push(fl!(
                loader,
                "notify-subject",
                court = session.court.clone(),
                hall = session.hall.clone(),
                what = what.clone()
            ));
            let mut body = fl!(
                loader,
                "notify-body",
                what = what,
                court = session.court.clone(),
                hall = session.hall.clone(),
                case = session.case_number.clone(),
                part = part.number,
                started = local(started),
                details = details.to_owned()
            );
            if role == "regional-coordinator" || role == notice::WEBHOOK {
                body.push_str("\n\n");
                body.push_str(&fl!(loader, "notify-deadline", due = local(due)));
            }
            text.push(body);
        }
        (subject.join(" / "), text.join("\n\n———\n\n"))
    });
    if !rows.is_empty() {
        store.queue(Some(part.id), &rows)?;
        store.incident_notified(id)?;
    }
    Ok(id)
}

/// An incident that is over: its end is kept; an input that came back is written into the
/// protocol too.
pub fn ended(
    store: &mut Store,
    context: &Context<'_>,
    kind: &str,
    input: &str,
    name: &str,
    ended: DateTime<Utc>,
    came_back: bool,
) -> Result<(), StoreError> {
    store.end_incident(context.part.id, kind, input, ended)?;
    if came_back {
        let text = crate::tr!("incident-back", name = name.to_owned());
        write_entry(store, context, ended, text);
    }
    Ok(())
}

/// The protocol entry an incident writes. A session closed meanwhile keeps the incident
/// in its table; the entry is then left out (said in the log).
fn write_entry(store: &mut Store, context: &Context<'_>, at: DateTime<Utc>, text: String) {
    let entry = NewEntry {
        session_id: context.part.session_id,
        stamp: context.stamp(at),
        kind: EntryKind::Incident,
        speaker_id: None,
        text,
    };
    if let Err(error) = store.add_entry(&entry) {
        tracing::warn!("the incident is not in the protocol: {error}");
    }
}
