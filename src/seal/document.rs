//! The sealed protocol: `protocol.json` (what the chain covers, in a form a machine reads)
//! and `protocol.txt` (the same for people), rendered from it alone, so a verifier checks
//! the text against the chain without knowing Hattama's translations.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The words the text is written with, in the language of the seal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub title: String,
    pub court: String,
    pub hall: String,
    pub instance: String,
    pub case: String,
    pub session: String,
    pub category: String,
    pub judge: String,
    pub secretary: String,
    pub participants: String,
    pub remote: String,
    pub entries: String,
    pub not_recorded: String,
    pub chain_head: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub remote: bool,
    pub location: String,
}

/// One link of the chain: everything an entry says, and the hash of the one before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub seq: i64,
    pub part: Option<i64>,
    pub offset_ms: Option<i64>,
    /// UTC, RFC 3339.
    pub wall_time: String,
    /// Local time as shown, in the court's zone.
    pub local_time: String,
    pub kind: String,
    pub kind_label: String,
    pub speaker: Option<String>,
    pub text: String,
    /// For an addendum: the `seq` of the entry it corrects.
    #[serde(default)]
    pub corrects: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

impl Link {
    /// SHA-256 (hex) over the previous hash and this entry's content.
    pub fn compute_hash(&self) -> String {
        let content = serde_json::json!([
            self.prev_hash,
            self.seq,
            self.part,
            self.offset_ms,
            self.wall_time,
            self.local_time,
            self.kind,
            self.kind_label,
            self.speaker,
            self.text,
            self.corrects,
        ]);
        hex(&Sha256::digest(content.to_string().as_bytes()))
    }
}

/// The chain starts from this "previous hash".
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub language: String,
    pub labels: Labels,
    pub court: String,
    pub hall: String,
    pub instance: String,
    pub case_number: String,
    pub session_id: i64,
    pub category: String,
    pub judge: String,
    pub secretary: String,
    pub opened: String,
    pub participants: Vec<Person>,
    pub entries: Vec<Link>,
}

/// Where a chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's hash is not the hash of its content.
    Content { seq: i64 },
    /// The entry does not follow the one before it (moved, or put in from elsewhere).
    Order { seq: i64 },
    /// Entry `seq` is not there: the entries are numbered 1, 2, 3, … without a gap.
    Missing { seq: i64 },
}

impl Document {
    /// The chain's last hash.
    pub fn head(&self) -> &str {
        self.entries
            .last()
            .map_or(GENESIS, |link| link.hash.as_str())
    }

    /// The first place the chain does not hold.
    pub fn check_chain(&self) -> Result<(), Break> {
        let mut prev = GENESIS;
        let mut expected = 1;
        for link in &self.entries {
            if link.seq > expected && !self.entries.iter().any(|l| l.seq == expected) {
                return Err(Break::Missing { seq: expected });
            }
            if link.prev_hash != prev {
                return Err(Break::Order { seq: link.seq });
            }
            expected = link.seq + 1;
            if link.compute_hash() != link.hash {
                return Err(Break::Content { seq: link.seq });
            }
            prev = &link.hash;
        }
        Ok(())
    }

    /// `protocol.txt`.
    pub fn render(&self) -> String {
        let l = &self.labels;
        let mut text = format!(
            "{}\n\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {} ({})\n{}: {}\n{}: {}\n{}: {}\n\n{}:\n",
            l.title,
            l.court,
            self.court,
            l.hall,
            self.hall,
            l.instance,
            self.instance,
            l.case,
            self.case_number,
            l.session,
            self.session_id,
            self.opened,
            l.category,
            self.category,
            l.judge,
            self.judge,
            l.secretary,
            self.secretary,
            l.participants,
        );
        for person in &self.participants {
            text.push_str(&format!("  {} — {}", person.name, person.role));
            if person.remote {
                text.push_str(&format!(" ({}: {})", l.remote, person.location));
            }
            text.push('\n');
        }
        text.push_str(&format!("\n{}:\n", l.entries));
        for link in &self.entries {
            let at = match (link.part, link.offset_ms) {
                (Some(part), Some(offset)) => format!("{part}·{}", crate::protocol::clock(offset)),
                _ => l.not_recorded.clone(),
            };
            let speaker = link
                .speaker
                .as_ref()
                .map(|s| format!("{s}: "))
                .unwrap_or_default();
            let corrects = link
                .corrects
                .map(|seq| format!("(→ {seq}) "))
                .unwrap_or_default();
            text.push_str(&format!(
                "{}. {at}  {}  [{}]  {corrects}{speaker}{}\n",
                link.seq, link.local_time, link.kind_label, link.text
            ));
        }
        text.push_str(&format!("\n{}: {}\n", l.chain_head, self.head()));
        text
    }
}

pub use crate::digest::hex;
