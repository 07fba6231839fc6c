//! What people are told of an incident (rules 27, 28): one notice per recipient, each an
//! outbox row of its own (kind `notify`; target `webhook` or `mailto:ADDRESS`) keyed by the
//! incident and the recipient, queued with the incident. `crate::delivery::notify` sends them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Delivery;
use crate::digest::hex;
use crate::store::NewOutbox;

pub const NOTIFY: &str = "notify";
pub const WEBHOOK: &str = "webhook";
pub const MAILTO: &str = "mailto:";
pub const FORMAT: &str = "hattama-incident/1";

/// What one recipient is told (the webhook's JSON body; an e-mail's subject and text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub format: String,
    /// Which part of which session of which case.
    #[serde(flatten)]
    pub identity: crate::session::PartIdentity,
    pub incident_id: i64,
    /// `input-stopped`, `input-error`, `microphone-silent`, `disk-nearly-full`, `write-error`.
    pub kind: String,
    pub input: String,
    pub input_name: String,
    pub started_at: String,
    pub details: String,
    /// By when the regional coordinator reports the cause to the Department's coordinator
    /// (rule 28: one hour from the incident), UTC.
    pub report_due: String,
    /// Whom this copy is for: `head-of-office`, `regional-coordinator`,
    /// `court-office-head`, or `webhook`.
    pub role: String,
    pub subject: String,
    /// In Kazakh, then in Russian.
    pub text: String,
}

/// The outbox rows telling everyone configured of `notice` (its `role` and text are set
/// per recipient by `text_for`).
pub fn rows(
    notice: &Notice,
    delivery: &Delivery,
    text_for: impl Fn(&str) -> (String, String),
) -> Vec<NewOutbox> {
    let mut rows = Vec::new();
    if !delivery.notify_kinds.contains(&notice.kind) {
        return rows;
    }
    let mut add = |role: &str, target: String| {
        let (subject, text) = text_for(role);
        let payload = Notice {
            role: role.to_owned(),
            subject,
            text,
            ..notice.clone()
        };
        let recipient = &hex(&Sha256::digest(target.as_bytes()))[..16];
        rows.push(NewOutbox {
            kind: NOTIFY.to_owned(),
            target,
            // The incident's number is this workstation's own: the session's identity makes
            // the key the court's.
            idempotency_key: format!(
                "notify-{}-{}-{recipient}",
                notice.identity.session_uid, notice.incident_id
            ),
            payload: serde_json::to_string(&payload).expect("a notice serializes"),
        });
    };
    if !delivery.notify_webhook.trim().is_empty() {
        add(WEBHOOK, WEBHOOK.to_owned());
    }
    if !delivery.smtp_server.trim().is_empty() {
        for (role, addresses) in [
            ("head-of-office", &delivery.head_of_office),
            ("court-office-head", &delivery.court_office_head),
            ("regional-coordinator", &delivery.regional_coordinator),
        ] {
            for address in addresses {
                add(role, format!("{MAILTO}{address}"));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(kind: &str) -> Notice {
        Notice {
            format: FORMAT.to_owned(),
            identity: crate::session::PartIdentity {
                court: "Астана қаласының № 2 аудандық соты".to_owned(),
                hall: "5".to_owned(),
                instance: "first".to_owned(),
                case_number: "2-31/2026".to_owned(),
                session_id: 1,
                session_uid: "3fa85f6457174562b3fc2c963f66afa6".to_owned(),
                part: 1,
            },
            incident_id: 7,
            kind: kind.to_owned(),
            input: "microphone-2".to_owned(),
            input_name: "Куәгер".to_owned(),
            started_at: "2026-11-26T05:00:00Z".to_owned(),
            details: String::new(),
            report_due: "2026-11-26T06:00:00Z".to_owned(),
            role: String::new(),
            subject: String::new(),
            text: String::new(),
        }
    }

    /// A kind the court left out of `notify_kinds` is not told; the others are, to everyone.
    #[test]
    fn only_the_kinds_configured_are_told() {
        let delivery = Delivery {
            notify_webhook: "http://127.0.0.1:9/incidents".to_owned(),
            smtp_server: "smtp://127.0.0.1:25".to_owned(),
            head_of_office: vec!["kense@sud.kz".to_owned()],
            ..Delivery::default()
        };
        let text = |_: &str| (String::new(), String::new());
        assert_eq!(rows(&notice("microphone-silent"), &delivery, text).len(), 2);
        let quiet = Delivery {
            notify_kinds: vec!["input-error".to_owned(), "input-stopped".to_owned()],
            ..delivery
        };
        assert!(rows(&notice("microphone-silent"), &quiet, text).is_empty());
        let told = rows(&notice("input-error"), &quiet, text);
        let targets: Vec<&str> = told.iter().map(|row| row.target.as_str()).collect();
        assert_eq!(targets, ["webhook", "mailto:kense@sud.kz"]);
    }
}
