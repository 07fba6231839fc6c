//! A court session: its case, the people taking part and their roles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::tr;

/// Defines a closed list of codes stored in the database, with its translated labels.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The code stored in the database and written in manifests.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|item| item.code() == code)
            }

            /// The name shown to people, in the interface language.
            pub fn label(self) -> String {
                match self { $($name::$variant => tr!($label)),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.label())
            }
        }
    };
}
pub(crate) use coded;

coded! {
    /// The kind of proceedings.
    Category {
        Civil = "civil" => "category-civil",
        Criminal = "criminal" => "category-criminal",
        Administrative = "administrative" => "category-administrative",
    }
}

coded! {
    /// A participant's procedural role.
    Role {
        Plaintiff = "plaintiff" => "role-plaintiff",
        Defendant = "defendant" => "role-defendant",
        Accused = "accused" => "role-accused",
        Victim = "victim" => "role-victim",
        Prosecutor = "prosecutor" => "role-prosecutor",
        Lawyer = "lawyer" => "role-lawyer",
        Representative = "representative" => "role-representative",
        ThirdParty = "third-party" => "role-third-party",
        Witness = "witness" => "role-witness",
        Expert = "expert" => "role-expert",
        Specialist = "specialist" => "role-specialist",
        Interpreter = "interpreter" => "role-interpreter",
        Other = "other" => "role-other",
    }
}

// The enum comes from `coded!`, which cannot mark a default variant.
#[allow(clippy::derivable_impls)]
impl Default for Category {
    fn default() -> Self {
        Category::Civil
    }
}

impl Role {
    /// The parties: whose names find a case in the search.
    pub fn is_party(self) -> bool {
        matches!(
            self,
            Role::Plaintiff | Role::Defendant | Role::Accused | Role::Victim | Role::ThirdParty
        )
    }
}

/// Someone taking part in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// Zero until stored.
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// Takes part by video-conference (rule 16).
    pub remote: bool,
    /// Where a remote participant is (the court or institution they connect from).
    pub location: String,
}

impl Participant {
    pub fn new(name: &str, role: Role) -> Self {
        Self {
            id: 0,
            name: name.to_owned(),
            role,
            remote: false,
            location: String::new(),
        }
    }

    pub fn remote(mut self, location: &str) -> Self {
        self.remote = true;
        self.location = location.to_owned();
        self
    }
}

/// A session as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: i64,
    pub case_number: String,
    pub category: Category,
    pub court: String,
    pub hall: String,
    /// `first`, `appellate`, `cassation` or `supervisory`.
    pub instance: String,
    pub judge: String,
    pub operator_name: String,
    pub operator_role: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Relative to the sessions folder.
    pub folder: String,
    pub parts: i64,
    pub seal: SealState,
    pub participants: Vec<Participant>,
    /// Its identity across the court (32 hex digits): session numbers are this data
    /// folder's own, two workstations number theirs alike.
    pub uid: String,
}

/// Which part a record is of, court-wide: the court, the hall, the instance, the case, the
/// session (this workstation's number and its identity across the court) and the part's
/// number in it. Every record of a part carries it, flattened where it travels: the seal's
/// manifest, the protocol sent to ҚР СО БААТЖ, an incident's notice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartIdentity {
    pub court: String,
    pub hall: String,
    /// `first`, `appellate`, `cassation` or `supervisory`.
    pub instance: String,
    pub case_number: String,
    pub session_id: i64,
    /// The session's identity across the court (its number is this workstation's own).
    /// Seals made before it was kept have none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub session_uid: String,
    /// The part's number in the session.
    pub part: i64,
}

impl PartIdentity {
    /// Part `part` of `session`.
    pub fn of(session: &Session, part: i64) -> Self {
        PartIdentity {
            court: session.court.clone(),
            hall: session.hall.clone(),
            instance: session.instance.clone(),
            case_number: session.case_number.clone(),
            session_id: session.id,
            session_uid: session.uid.clone(),
            part,
        }
    }
}

/// How many hex digits of a session's identity its folder's name carries (`…_s12-3fa85f64`):
/// enough that two workstations' sessions of one case on one day never share a folder.
pub const FOLDER_UID: usize = 8;

/// A session's folder name: `<date>_<case>_s<number>-<first digits of its identity>`.
pub fn folder_name(date: &str, case: &str, session_id: i64, uid: &str) -> String {
    let uid: String = uid.chars().take(FOLDER_UID).collect();
    format!("{date}_{case}_s{session_id}-{uid}")
}

/// How a session's parts stand with their seals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SealState {
    /// Parts sealed.
    pub sealed: i64,
    /// Parts made whole after an interruption (crash, power loss).
    pub recovered: i64,
    /// Parts ended with a recording but not sealed (yet).
    pub unsealed: i64,
    /// Why the latest failed seal failed.
    pub error: Option<String>,
}

impl SealState {
    /// What the list says, or nothing before any part has ended.
    pub fn label(&self) -> Option<String> {
        if self.unsealed > 0 {
            Some(tr!("seal-state-unsealed", count = self.unsealed))
        } else if self.sealed == 0 {
            None
        } else if self.recovered > 0 {
            Some(tr!("seal-state-recovered", count = self.recovered))
        } else {
            Some(tr!("seal-state-sealed"))
        }
    }

    pub fn is_complete(&self) -> bool {
        self.unsealed == 0
    }
}

impl Session {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    pub fn has_remote_participants(&self) -> bool {
        self.participants.iter().any(|p| p.remote)
    }

    /// Whether the session is found by `query`: part of its case number or of a
    /// participant's name, ignoring case (Cyrillic too).
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim().to_lowercase();
        query.is_empty()
            || self.case_number.to_lowercase().contains(&query)
            || self
                .participants
                .iter()
                .any(|p| p.name.to_lowercase().contains(&query))
    }

    /// The parties' names, for a one-line summary.
    pub fn parties(&self) -> Vec<&str> {
        self.participants
            .iter()
            .filter(|p| p.role.is_party())
            .map(|p| p.name.as_str())
            .collect()
    }
}

/// Sessions as the secretary wants them: today's first (in the court's time zone), then
/// the rest, newest first.
pub fn order_for_today(
    sessions: &mut [Session],
    today: chrono::NaiveDate,
    zone: chrono::FixedOffset,
) -> usize {
    let is_today = |s: &Session| s.opened_at.with_timezone(&zone).date_naive() == today;
    sessions.sort_by_key(|s| (!is_today(s), std::cmp::Reverse(s.opened_at)));
    sessions.iter().take_while(|s| is_today(s)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(number: &str, opened: &str, people: &[(&str, Role)]) -> Session {
        Session {
            id: 1,
            case_number: number.to_owned(),
            category: Category::Civil,
            court: String::new(),
            hall: String::new(),
            instance: "first".to_owned(),
            judge: String::new(),
            operator_name: String::new(),
            operator_role: "secretary".to_owned(),
            opened_at: opened.parse().expect("time"),
            closed_at: None,
            folder: String::new(),
            parts: 0,
            seal: SealState::default(),
            participants: people
                .iter()
                .map(|(name, role)| Participant::new(name, *role))
                .collect(),
            uid: "3fa85f6457174562b3fc2c963f66afa6".to_owned(),
        }
    }

    #[test]
    fn search_finds_case_numbers_and_names_in_any_case() {
        let s = session(
            "2-1234/2026",
            "2026-11-24T05:00:00Z",
            &[("Әлихан Бөкейханов", Role::Plaintiff)],
        );
        assert!(s.matches("1234"));
        assert!(s.matches("  "));
        assert!(s.matches("әлихан"));
        assert!(s.matches("БӨКЕЙ"));
        assert!(!s.matches("Иванов"));
    }

    #[test]
    fn today_comes_first_then_newest() {
        let zone = chrono::FixedOffset::east_opt(5 * 3600).expect("zone");
        let mut list = vec![
            session("old", "2026-11-20T05:00:00Z", &[]),
            // 23:30 in Astana on the 24th, though still the 24th in UTC too.
            session("today-late", "2026-11-24T18:30:00Z", &[]),
            session("newer-but-tomorrow", "2026-11-25T04:00:00Z", &[]),
            // 04:30 UTC on the 24th is 09:30 in Astana: today.
            session("today-early", "2026-11-24T04:30:00Z", &[]),
        ];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        assert_eq!(order_for_today(&mut list, today, zone), 2);
        let order: Vec<_> = list.iter().map(|s| s.case_number.as_str()).collect();
        assert_eq!(
            order,
            ["today-late", "today-early", "newer-but-tomorrow", "old"]
        );
    }

    #[test]
    fn the_seal_state_says_what_is_missing_first() {
        let mut seal = SealState::default();
        assert_eq!(seal.label(), None, "nothing ended yet");
        seal.sealed = 2;
        assert_eq!(seal.label(), Some(tr!("seal-state-sealed")));
        seal.recovered = 1;
        assert_eq!(seal.label(), Some(tr!("seal-state-recovered", count = 1)));
        seal.unsealed = 1;
        assert_eq!(seal.label(), Some(tr!("seal-state-unsealed", count = 1)));
        assert!(!seal.is_complete());
    }

    #[test]
    fn codes_round_trip_and_every_label_is_translated() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(*role));
            assert!(!role.label().is_empty());
        }
        for category in Category::ALL {
            assert_eq!(Category::from_code(category.code()), Some(*category));
        }
        assert_eq!(Role::from_code("judge"), None);
    }
}
