//! A technical act's content (rule 29): what it states, its text in Kazakh and Russian and
//! its printable page, when it is due, and which incidents still await theirs. Drawing one
//! up (kept with the incident, entered in the protocol, signed for the court server, sealed
//! anew) is `crate::act`.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc, Weekday};
use i18n_embed_fl::fl;
use serde::{Deserialize, Serialize};

use crate::page::escape;
use crate::store::{Incident, Store, StoreError, timestamp};

/// What the act states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnicalAct {
    pub incident_id: i64,
    pub court: String,
    pub hall: String,
    pub case_number: String,
    pub session_id: i64,
    pub part: Option<i64>,
    pub kind: String,
    /// The input concerned, as people call it (empty for the disk).
    pub input_name: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub details: String,
    pub cause: String,
    /// Who confirmed the cause (the coordinator, the service organisation's representative).
    pub confirmed_by: String,
    pub drawn_up_by: String,
    pub drawn_up_at: String,
}

/// Rule 29: the cause is confirmed and the act drawn up within one working day of the
/// incident — by the same time on the next working day, Monday to Friday in the court's
/// zone (public holidays are not known here).
pub fn due(started: DateTime<Utc>, zone: FixedOffset) -> DateTime<Utc> {
    let mut at = started.with_timezone(&zone) + Duration::days(1);
    while matches!(at.weekday(), Weekday::Sat | Weekday::Sun) {
        at += Duration::days(1);
    }
    at.with_timezone(&Utc)
}

/// Where an incident's act stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Standing {
    /// The incident goes on: its act waits for its end.
    GoingOn,
    Due {
        due: String,
    },
    Overdue {
        due: String,
    },
    DrawnUp {
        at: String,
        by: String,
    },
}

impl Standing {
    pub fn of(incident: &Incident, zone: FixedOffset, now: DateTime<Utc>) -> Standing {
        if let Some(act) = &incident.technical_act {
            let act: Option<TechnicalAct> = serde_json::from_str(act).ok();
            return Standing::DrawnUp {
                at: act
                    .as_ref()
                    .map(|a| a.drawn_up_at.clone())
                    .unwrap_or_default(),
                by: act.map(|a| a.drawn_up_by).unwrap_or_default(),
            };
        }
        if incident.ended_at.is_none() {
            return Standing::GoingOn;
        }
        let by = due(incident.started().unwrap_or(now), zone);
        if now <= by {
            Standing::Due { due: timestamp(by) }
        } else {
            Standing::Overdue { due: timestamp(by) }
        }
    }

    /// In words, the court's time: "act due by 2026-11-27 10:15".
    pub fn line(&self, zone: FixedOffset) -> String {
        match self {
            Standing::GoingOn => crate::tr!("act-waits-for-end"),
            Standing::Due { due } => crate::tr!("act-due", due = local_minute(due, zone)),
            Standing::Overdue { due } => {
                crate::tr!("act-overdue", due = local_minute(due, zone))
            }
            Standing::DrawnUp { at, by } => {
                crate::tr!(
                    "act-drawn-up-at",
                    at = local_minute(at, zone),
                    by = by.clone()
                )
            }
        }
    }
}

/// An incident as listed for whoever sees to the acts (`hattama incidents list`).
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub incident: Incident,
    pub case_number: String,
    pub part: Option<i64>,
    pub act: Standing,
}

impl Listed {
    /// In one line, the court's time: "№3  2026-11-26 10:15–10:16  2-31/2026: Куәгер failed
    /// (…) — act due by 2026-11-27 10:15".
    pub fn line(&self, zone: FixedOffset) -> String {
        let incident = &self.incident;
        let until = incident.ended_at.as_deref().map_or_else(
            || crate::tr!("incident-now"),
            |ended| local_minute(ended, zone).chars().skip(11).collect(),
        );
        let mut what = super::what_here(&incident.kind, &incident.input_name);
        if !incident.details.is_empty() {
            what = format!("{what} ({})", incident.details);
        }
        crate::tr!(
            "incidents-line",
            number = incident.id,
            when = format!("{}–{until}", local_minute(&incident.started_at, zone)),
            case = self.case_number.clone(),
            what = what,
            act = self.act.line(zone)
        )
    }
}

/// The incidents still awaiting their act (every incident with `all`), oldest first.
pub fn list(
    store: &Store,
    all: bool,
    zone: FixedOffset,
    now: DateTime<Utc>,
) -> Result<Vec<Listed>, StoreError> {
    let incidents = if all {
        store.all_incidents()?
    } else {
        store.incidents_without_act()?
    };
    let mut listed = Vec::new();
    for incident in incidents {
        let act = Standing::of(&incident, zone, now);
        let case_number = match incident.session_id {
            Some(id) => store.session(id)?.case_number,
            None => String::new(),
        };
        let part = incident.part_id.map(|id| store.part(id)).transpose()?;
        listed.push(Listed {
            incident,
            case_number,
            part: part.map(|part| part.number),
            act,
        });
    }
    Ok(listed)
}

/// A stored time in the court's zone, to the minute: `2026-11-27 10:15`.
fn local_minute(at: &str, zone: FixedOffset) -> String {
    local(at, zone).chars().take(16).collect()
}

fn local(at: &str, zone: FixedOffset) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|at| {
            at.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

impl TechnicalAct {
    /// The act's text in one language (`kk` or `ru`).
    pub fn text_in(&self, code: &str, zone: FixedOffset) -> String {
        let loader = crate::i18n::loader_for(code);
        let ended = self
            .ended_at
            .as_deref()
            .map(|at| local(at, zone))
            .unwrap_or_else(|| fl!(loader, "act-not-ended"));
        fl!(
            loader,
            "act-text",
            number = self.incident_id,
            court = self.court.clone(),
            hall = self.hall.clone(),
            case = self.case_number.clone(),
            part = self.part.unwrap_or(0),
            what = super::what(&loader, &self.kind, &self.input_name),
            started = local(&self.started_at, zone),
            ended = ended,
            details = self.details.clone(),
            cause = self.cause.clone(),
            confirmed = self.confirmed_by.clone(),
            by = self.drawn_up_by.clone(),
            at = local(&self.drawn_up_at, zone)
        )
    }

    /// Kazakh, then Russian: the entry's text and the page's.
    pub fn text(&self, zone: FixedOffset) -> String {
        format!(
            "{}\n\n———\n\n{}",
            self.text_in("kk", zone),
            self.text_in("ru", zone)
        )
    }

    /// The printable page: both languages side by side, places to sign.
    pub fn page(&self, zone: FixedOffset) -> String {
        let column = |code: &str| {
            let loader = crate::i18n::loader_for(code);
            let paragraphs: String = self
                .text_in(code, zone)
                .lines()
                .map(|line| format!("<p>{}</p>\n", escape(line)))
                .collect();
            format!(
                "<td style=\"width:50%\"><h2>{}</h2>\n{paragraphs}<p>{}: ______________________</p>\n\
                 <p>{}: ______________________</p></td>",
                escape(&fl!(loader, "act-title", number = self.incident_id)),
                escape(&fl!(loader, "act-signature-drawn")),
                escape(&fl!(loader, "act-signature-confirmed")),
            )
        };
        crate::page::html(
            &format!(
                "{} №{}",
                crate::page::three("kind-technical-act"),
                self.incident_id
            ),
            &format!("<table><tr>{}{}</tr></table>\n", column("kk"), column("ru")),
        )
    }

    /// The page's file name in a part's folder.
    pub fn file_name(&self) -> String {
        format!("technical-act-{}.html", self.incident_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a time")
            .with_timezone(&Utc)
    }

    /// One working day: the same time the next day, Friday's (and the weekend's) on Monday,
    /// counted in the court's zone (an incident at 23:30 on a Friday in Astana is 18:30 UTC).
    #[test]
    fn the_act_is_due_one_working_day_after_the_incident() {
        let astana = FixedOffset::east_opt(5 * 3600).expect("+05:00");
        let due = |started: &str| timestamp(super::due(at(started), astana));
        // Wednesday 26 November 2026 → Thursday.
        assert_eq!(due("2026-11-26T05:15:00Z"), "2026-11-27T05:15:00.000Z");
        // Friday 27 November → Monday 30 November.
        assert_eq!(due("2026-11-27T05:15:00Z"), "2026-11-30T05:15:00.000Z");
        // Saturday → Monday.
        assert_eq!(due("2026-11-28T05:15:00Z"), "2026-11-30T05:15:00.000Z");
        // Friday 23:30 in Astana (Friday 18:30 UTC): Monday, not Saturday.
        assert_eq!(due("2026-11-27T18:30:00Z"), "2026-11-30T18:30:00.000Z");
        // Saturday 02:00 in Astana is Friday 21:00 UTC: a weekend incident, due Monday
        // 02:00 there (Sunday 21:00 UTC), not Monday 21:00 as UTC's Friday would make it.
        assert_eq!(due("2026-11-27T21:00:00Z"), "2026-11-29T21:00:00.000Z");
    }
}
