//! The short protocol (rule 6): timestamped entries written while the session is recorded.
//!
//! Every entry carries the wall-clock time (UTC) and, when a part was recording, its
//! offset from that part's first media timestamp. The moment is when the secretary began
//! the entry (first keystroke or hotkey), not when it was committed.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::session::{Participant, Role, coded};
use crate::tr;

coded! {
    /// What an entry records. Every kind but `Note` is a ready-made entry on a key.
    EntryKind {
        Note = "note" => "kind-note",
        SessionOpened = "session-opened" => "kind-session-opened",
        Attendance = "attendance" => "kind-attendance",
        RemoteIdentity = "remote-identity" => "kind-remote-identity",
        RightsExplained = "rights-explained" => "kind-rights-explained",
        PetitionFiled = "petition-filed" => "kind-petition-filed",
        PetitionDecided = "petition-decided" => "kind-petition-decided",
        WitnessQuestioned = "witness-questioned" => "kind-witness-questioned",
        ExpertHeard = "expert-heard" => "kind-expert-heard",
        Recess = "recess" => "kind-recess",
        Resumed = "resumed" => "kind-resumed",
        DecisionAnnounced = "decision-announced" => "kind-decision-announced",
        SessionClosed = "session-closed" => "kind-session-closed",
        // A correction of a sealed entry: a new entry beside it, chained and sealed.
        Addendum = "addendum" => "kind-addendum",
        // Written by Hattama: an input stopped, failed or fell silent, and when it came back
        // (rule 27).
        Incident = "incident" => "kind-incident",
        // A technical act drawn up for an incident (rule 29), attached to the protocol.
        TechnicalAct = "technical-act" => "kind-technical-act",
    }
}

impl EntryKind {
    /// The ready-made entries in key order: F1 is the first.
    pub fn templates() -> &'static [EntryKind] {
        &EntryKind::ALL[1..=12]
    }

    /// The function key (1–12) of a ready-made entry.
    pub fn key(self) -> Option<usize> {
        Self::templates()
            .iter()
            .position(|kind| *kind == self)
            .map(|index| index + 1)
    }

    pub fn from_key(key: usize) -> Option<Self> {
        key.checked_sub(1)
            .and_then(|index| Self::templates().get(index))
            .copied()
    }

    /// The entry's text, in the interface language. `about` is the participant it names:
    /// the remote participant whose identity was established (rule 16), the witness
    /// questioned, the expert heard.
    pub fn text(self, about: Option<&Participant>) -> String {
        match (self, about) {
            (EntryKind::RemoteIdentity, Some(p)) => tr!(
                "entry-remote-identity",
                name = p.name.clone(),
                role = p.role.label(),
                location = p.location.clone()
            ),
            (EntryKind::WitnessQuestioned, Some(p)) if p.role == Role::Witness => {
                tr!("entry-witness-questioned-named", name = p.name.clone())
            }
            (EntryKind::ExpertHeard, Some(p)) if p.role == Role::Expert => {
                tr!("entry-expert-heard-named", name = p.name.clone())
            }
            (
                EntryKind::Note
                | EntryKind::Addendum
                | EntryKind::Incident
                | EntryKind::TechnicalAct,
                _,
            ) => String::new(),
            (EntryKind::SessionOpened, _) => tr!("entry-session-opened"),
            (EntryKind::Attendance, _) => tr!("entry-attendance"),
            (EntryKind::RemoteIdentity, None) => tr!("entry-remote-identity-unnamed"),
            (EntryKind::RightsExplained, _) => tr!("entry-rights-explained"),
            (EntryKind::PetitionFiled, _) => tr!("entry-petition-filed"),
            (EntryKind::PetitionDecided, _) => tr!("entry-petition-decided"),
            (EntryKind::WitnessQuestioned, _) => tr!("entry-witness-questioned"),
            (EntryKind::ExpertHeard, _) => tr!("entry-expert-heard"),
            (EntryKind::Recess, _) => tr!("entry-recess"),
            (EntryKind::Resumed, _) => tr!("entry-resumed"),
            (EntryKind::DecisionAnnounced, _) => tr!("entry-decision-announced"),
            (EntryKind::SessionClosed, _) => tr!("entry-session-closed"),
        }
    }

    /// Whom a ready-made entry names when the secretary has not picked anyone: the only
    /// remote participant, the only witness, the only expert.
    pub fn default_subject(self, participants: &[Participant]) -> Option<&Participant> {
        let only = |wanted: &dyn Fn(&Participant) -> bool| {
            let mut matching = participants.iter().filter(|p| wanted(p));
            match (matching.next(), matching.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        };
        match self {
            EntryKind::RemoteIdentity => only(&|p| p.remote),
            EntryKind::WitnessQuestioned => only(&|p| p.role == Role::Witness),
            EntryKind::ExpertHeard => only(&|p| p.role == Role::Expert),
            _ => None,
        }
    }
}

/// Where in the recording an entry belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stamp {
    pub wall_time: DateTime<Utc>,
    /// The part recording at that moment, and the offset from its first media timestamp.
    pub part: Option<(i64, i64)>,
}

impl Stamp {
    /// The stamp of `wall_time` given the part recording then (its id and the wall time
    /// of its first media timestamp). Typing that began while the part was starting
    /// belongs at its very beginning.
    pub fn at(wall_time: DateTime<Utc>, recording: Option<(i64, DateTime<Utc>)>) -> Self {
        let part = recording.map(|(id, first_media_wall)| {
            let offset = (wall_time - first_media_wall).num_milliseconds().max(0);
            (id, offset)
        });
        Self { wall_time, part }
    }

    pub fn part_id(&self) -> Option<i64> {
        self.part.map(|(id, _)| id)
    }

    pub fn offset_ms(&self) -> Option<i64> {
        self.part.map(|(_, offset)| offset)
    }
}

/// An entry to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub session_id: i64,
    pub stamp: Stamp,
    pub kind: EntryKind,
    pub speaker_id: Option<i64>,
    pub text: String,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub session_id: i64,
    pub seq: i64,
    pub part_id: Option<i64>,
    /// The part's number in the session (1, 2, …), for display.
    pub part_number: Option<i64>,
    pub offset_ms: Option<i64>,
    pub wall_time: DateTime<Utc>,
    pub kind: EntryKind,
    pub speaker_id: Option<i64>,
    pub text: String,
    /// Corrected since it was written (the audit log holds each version).
    pub corrected: bool,
    /// It is in the sealed hash chain: it can no longer be corrected in place.
    pub sealed: bool,
    /// The entry an addendum corrects.
    pub corrects_id: Option<i64>,
    /// The chain: the hash of the entry before it, and its own.
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// `h:mm:ss` for an offset in milliseconds.
pub fn clock(offset_ms: i64) -> String {
    let seconds = offset_ms.max(0) / 1000;
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The offset a person typed as `h:mm:ss`, `mm:ss` or seconds (`clock` read back).
pub fn parse_clock(text: &str) -> Option<i64> {
    let mut seconds: i64 = 0;
    let pieces: Vec<&str> = text.trim().split(':').collect();
    if pieces.is_empty() || pieces.len() > 3 {
        return None;
    }
    for (index, piece) in pieces.iter().enumerate() {
        let value: i64 = piece.trim().parse().ok().filter(|v| *v >= 0)?;
        if index > 0 && value >= 60 {
            return None;
        }
        seconds = seconds * 60 + value;
    }
    Some(seconds * 1000)
}

/// What went wrong with an input during a recording, as stored (`incidents.kind`) and
/// written in the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncidentKind {
    /// No data for `stall_after`, or the source ended by itself.
    InputStopped,
    /// The source reported an error.
    InputError,
    MicrophoneSilent,
    DiskNearlyFull,
    WriteError,
    /// The recording process ended without finishing the part (found at recovery).
    RecordingInterrupted,
}

impl IncidentKind {
    pub const ALL: [IncidentKind; 6] = [
        IncidentKind::InputStopped,
        IncidentKind::InputError,
        IncidentKind::MicrophoneSilent,
        IncidentKind::DiskNearlyFull,
        IncidentKind::WriteError,
        IncidentKind::RecordingInterrupted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IncidentKind::InputStopped => "input-stopped",
            IncidentKind::InputError => "input-error",
            IncidentKind::MicrophoneSilent => "microphone-silent",
            IncidentKind::DiskNearlyFull => "disk-nearly-full",
            IncidentKind::WriteError => "write-error",
            IncidentKind::RecordingInterrupted => "recording-interrupted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_reads_back() {
        for ms in [0, 59_000, 61_000, 3_725_000] {
            assert_eq!(parse_clock(&clock(ms)), Some(ms));
        }
        assert_eq!(parse_clock("12:05"), Some(725_000));
        assert_eq!(parse_clock("90"), Some(90_000));
        for bad in ["", "1:60", "a:b", "1:2:3:4", "-5"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn twelve_ready_made_entries_on_the_function_keys() {
        assert_eq!(EntryKind::templates().len(), 12);
        assert_eq!(EntryKind::from_key(1), Some(EntryKind::SessionOpened));
        assert_eq!(EntryKind::from_key(12), Some(EntryKind::SessionClosed));
        assert_eq!(EntryKind::from_key(0), None);
        assert_eq!(EntryKind::from_key(13), None);
        assert_eq!(EntryKind::Note.key(), None);
        for kind in EntryKind::templates() {
            assert_eq!(EntryKind::from_key(kind.key().expect("a key")), Some(*kind));
            assert!(!kind.text(None).is_empty(), "{kind:?} has a text");
        }
    }

    #[test]
    fn the_remote_identity_entry_names_the_participant_and_place() {
        let remote =
            Participant::new("Серік Ахметов", Role::Witness).remote("Қарағанды облыстық соты");
        let people = [Participant::new("Иванов", Role::Plaintiff), remote.clone()];
        let subject = EntryKind::RemoteIdentity.default_subject(&people);
        assert_eq!(subject, Some(&remote));
        let text = EntryKind::RemoteIdentity.text(subject);
        assert!(text.contains("Серік Ахметов"), "{text}");
        assert!(text.contains("Қарағанды облыстық соты"), "{text}");
    }

    #[test]
    fn a_subject_is_guessed_only_when_there_is_one() {
        let people = [
            Participant::new("A", Role::Witness),
            Participant::new("B", Role::Witness),
        ];
        assert_eq!(EntryKind::WitnessQuestioned.default_subject(&people), None);
        assert_eq!(
            EntryKind::WitnessQuestioned.default_subject(&people[..1]),
            Some(&people[0])
        );
        assert_eq!(EntryKind::RemoteIdentity.default_subject(&people), None);
    }

    #[test]
    fn a_stamp_counts_from_the_part_first_media() {
        let first: DateTime<Utc> = "2026-11-24T05:00:00Z".parse().expect("time");
        let typed = first + chrono::Duration::milliseconds(61_250);
        let stamp = Stamp::at(typed, Some((7, first)));
        assert_eq!(stamp.part, Some((7, 61_250)));
        let early = Stamp::at(first - chrono::Duration::seconds(1), Some((7, first)));
        assert_eq!(early.offset_ms(), Some(0));
        assert_eq!(Stamp::at(typed, None).part, None);
        assert_eq!(clock(3_725_999), "1:02:05");
    }
}
