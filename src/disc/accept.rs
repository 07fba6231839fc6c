//! The archivist's acceptance of a case's discs (rules 21, 22), on any computer with access
//! to the court server and without the secretary's database: the discs the case's events
//! say were made (n of N, label, contents hash) are the list; each disc or image the
//! archivist gives is checked in full (every part's signature and hashes, the disc's signed
//! inventory) and held to that list; what the list names and no whole disc answers is
//! missing, named with why. The acceptance — who, when, which discs, what was missing — is
//! a signed event on the court server beside the others.

use std::path::PathBuf;

use serde::Serialize;

use super::check::{CaseInventory, Checked, check_path};
use crate::delivery::events::{
    CaseAccepted, CaseRecord, DiscMade, DiscMissing, DiscSeen, Event, What,
};
use crate::store::CaseDisc;
use crate::tr;

/// Why the discs of a case could not be accepted. Nothing is recorded on the server.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AcceptError {
    #[error("no court server is configured ([delivery] server)")]
    NoServer,
    /// The case's events could not be read from the court server.
    #[error(transparent)]
    Events(#[from] crate::delivery::upload::RemoteError),
    #[error("the court server lists no disc made for case {case_number} of {court}")]
    NoDiscs { case_number: String, court: String },
    /// The acceptance could not be signed.
    #[error(transparent)]
    Sign(#[from] crate::seal::SealError),
    /// The acceptance could not be put on the court server.
    #[error(transparent)]
    Record(#[from] crate::delivery::events::RecordError),
}

impl crate::problem::Problem for AcceptError {
    fn title(&self) -> String {
        match self {
            AcceptError::NoServer => tr!("accept-no-server"),
            AcceptError::Events(_) => tr!("stream-unreadable"),
            AcceptError::NoDiscs { case_number, .. } => {
                tr!("accept-no-discs", case = case_number.clone())
            }
            AcceptError::Sign(_) | AcceptError::Record(_) => tr!("accept-not-recorded-title"),
        }
    }

    fn help(&self) -> String {
        match self {
            AcceptError::NoServer => tr!("accept-no-server-help"),
            AcceptError::Events(_) => tr!("accept-events-help"),
            AcceptError::NoDiscs { .. } => tr!("accept-no-discs-help"),
            AcceptError::Sign(_) | AcceptError::Record(_) => tr!("accept-not-recorded-help"),
        }
    }
}

/// What the archivist's check of a case found.
#[derive(Debug, Serialize)]
pub struct Acceptance {
    /// The case's events as read from the court server.
    pub record: CaseRecord,
    /// Each disc or image given, with what its check found (or why it could not be read).
    pub given: Vec<Given>,
    /// The acceptance event, to be signed and recorded.
    pub event: Event,
}

#[derive(Debug, Serialize)]
pub struct Given {
    pub path: PathBuf,
    #[serde(serialize_with = "crate::problem::in_words")]
    pub checked: Result<Checked, crate::seal::verify::ImageError>,
    /// Which of the case's discs it is, when it is one.
    pub disc: Option<String>,
}

impl Acceptance {
    pub fn accepted(&self) -> &CaseAccepted {
        match &self.event.what {
            What::CaseAccepted(accepted) => accepted,
            _ => unreachable!("an acceptance holds a case-accepted event"),
        }
    }

    /// What was found, one line each: each disc given, each listed disc missing, the count.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for given in &self.given {
            let path = given.path.display().to_string();
            lines.push(match (&given.checked, &given.disc) {
                (Err(error), _) => format!("{path}: {error}"),
                (Ok(_), None) => tr!("accept-not-of-case", path = path),
                (Ok(checked), Some(disc)) if checked.ok() => {
                    tr!("accept-disc-whole", path = path, disc = disc.clone())
                }
                (Ok(checked), Some(disc)) => tr!(
                    "accept-disc-fails",
                    path = path,
                    disc = disc.clone(),
                    why = first_failure(checked)
                ),
            });
        }
        let accepted = self.accepted();
        for missing in &accepted.missing {
            lines.push(tr!(
                "accept-missing",
                label = missing.label.clone(),
                disc = missing.disc,
                of = missing.of,
                why = missing.why.clone()
            ));
        }
        lines.push(tr!(
            "accept-summary",
            whole = accepted.discs.len(),
            missing = accepted.missing.len()
        ));
        lines
    }

    /// Every listed disc is there and whole.
    pub fn complete(&self) -> bool {
        self.accepted().missing.is_empty()
    }
}

/// The case's discs as its events list them, as inventory entries (for the disc check and
/// the inventory page).
pub fn listed_discs(record: &CaseRecord) -> Vec<CaseDisc> {
    record
        .discs()
        .into_iter()
        .map(|(event, disc)| CaseDisc {
            id: 0,
            case_number: record.case_number.clone(),
            label: disc.label.clone(),
            disc: disc.disc as i64,
            of: disc.of as i64,
            media: disc.media.clone(),
            sessions: Vec::new(),
            parts: disc.parts.clone(),
            contents_sha256: disc.contents_sha256.clone(),
            image: String::new(),
            size: disc.size as i64,
            made_at: event.at.clone(),
            made_by: event.by.clone(),
            burned_at: None,
            burned_to: None,
            burn_result: None,
        })
        .collect()
}

/// Checks `given` against the case's discs in `record`; the acceptance by `by` is made, not
/// yet recorded. Refused when the events list no disc of the case.
pub fn check(
    record: CaseRecord,
    given: &[PathBuf],
    trusted: &crate::seal::Trust,
    by: &str,
) -> Result<Acceptance, AcceptError> {
    let discs: Vec<DiscMade> = record
        .discs()
        .into_iter()
        .map(|(_, disc)| disc.clone())
        .collect();
    if discs.is_empty() {
        return Err(AcceptError::NoDiscs {
            case_number: record.case_number,
            court: record.court,
        });
    }
    let listed = CaseInventory::Listed(listed_discs(&record));
    let mut checked: Vec<Given> = given
        .iter()
        .map(|path| Given {
            path: path.clone(),
            checked: check_path(path, trusted, &listed),
            disc: None,
        })
        .collect();
    let mut seen = Vec::new();
    let mut missing = Vec::new();
    for disc in &discs {
        let named = |why: String| DiscMissing {
            label: disc.label.clone(),
            disc: disc.disc,
            of: disc.of,
            contents_sha256: disc.contents_sha256.clone(),
            why,
        };
        let found = checked.iter_mut().find(|given| {
            given.checked.as_ref().is_ok_and(|checked| {
                checked.contents_sha256.as_deref() == Some(disc.contents_sha256.as_str())
            })
        });
        let Some(found) = found else {
            let why = match record.handed(&disc.contents_sha256) {
                Some((event, handed)) => format!(
                    "not among the discs given; handed over to {} by {} at {}",
                    handed.to, event.by, event.at
                ),
                None => "not among the discs given".to_owned(),
            };
            missing.push(named(why));
            continue;
        };
        found.disc = Some(format!("{} ({} of {})", disc.label, disc.disc, disc.of));
        let Ok(result) = &found.checked else {
            continue;
        };
        if result.ok() {
            seen.push(DiscSeen {
                label: disc.label.clone(),
                disc: disc.disc,
                of: disc.of,
                contents_sha256: disc.contents_sha256.clone(),
            });
        } else {
            missing.push(named(format!(
                "{}: its check fails ({})",
                found.path.display(),
                first_failure(result)
            )));
        }
    }
    let event = Event::now(
        &record.court,
        &record.case_number,
        "",
        by,
        What::CaseAccepted(CaseAccepted {
            discs: seen,
            missing,
        }),
    );
    Ok(Acceptance {
        record,
        given: checked,
        event,
    })
}

/// The first check that failed on a disc, as "subject: detail".
pub fn first_failure(checked: &Checked) -> String {
    checked
        .parts
        .iter()
        .chain(checked.disc.iter())
        .flat_map(|report| report.failures())
        .next()
        .map(|check| format!("{}: {}", check.subject, check.detail))
        .unwrap_or_else(|| "no sealed part on it".to_owned())
}

/// The printable inventory page of the case's discs, from its events.
pub fn page(record: &CaseRecord) -> String {
    super::inventory::page(&record.court, &record.case_number, &listed_discs(record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Problem;

    /// A case the court server lists no disc of is refused, named, and said with what to
    /// do: nothing is accepted or recorded.
    #[test]
    fn a_case_with_no_disc_listed_is_refused_with_what_to_do() {
        let record = CaseRecord {
            court: "Астана қаласының № 2 аудандық соты".to_owned(),
            case_number: "2-31/2026".to_owned(),
            events: Vec::new(),
        };
        let refused = check(record, &[], &crate::seal::Trust::default(), "Архивист")
            .expect_err("nothing to accept");
        assert!(
            matches!(&refused, AcceptError::NoDiscs { case_number, .. } if case_number == "2-31/2026"),
            "{refused:?}"
        );
        assert!(
            refused
                .to_string()
                .contains("lists no disc made for case 2-31/2026")
        );
        assert!(refused.title().contains("2-31/2026"), "{}", refused.title());
        assert!(!refused.help().is_empty());
    }
}
