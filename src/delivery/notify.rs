//! Telling people of an incident (rules 27, 28): the head of office at once, the head of
//! the court's office, and the regional coordinator with the hour left to report the cause
//! to the Department's coordinator. Each recipient is an outbox row of its own (kind
//! `notify`; target `webhook` or `mailto:ADDRESS`), keyed by the incident and the recipient,
//! so everyone is told exactly once however often delivery is retried.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Sent;
use crate::config::Delivery;
use crate::digest::hex;
use crate::store::{NewOutbox, OutboxRow};

pub const NOTIFY: &str = "notify";
pub const WEBHOOK: &str = "webhook";
const MAILTO: &str = "mailto:";
pub const FORMAT: &str = "hattama-incident/1";

/// What one recipient is told (the webhook's JSON body; an e-mail's subject and text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub format: String,
    pub court: String,
    pub hall: String,
    pub instance: String,
    pub case_number: String,
    pub session_id: i64,
    /// The session's identity across the court (its number is this workstation's own).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub session_uid: String,
    /// The part's number in the session.
    pub part: i64,
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
                notice.session_uid, notice.incident_id
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

/// One attempt at one notification row.
pub fn send(row: &OutboxRow, config: &Delivery) -> Sent {
    if row.target == WEBHOOK {
        let url = config.notify_webhook.trim();
        if url.is_empty() {
            return Sent::NotConfigured;
        }
        return super::post(row, url, "", config);
    }
    let Some(address) = row.target.strip_prefix(MAILTO) else {
        return Sent::Refused(format!("unknown notification target {}", row.target));
    };
    if config.smtp_server.trim().is_empty() {
        return Sent::NotConfigured;
    }
    let notice: Notice = match serde_json::from_str(&row.payload) {
        Ok(notice) => notice,
        Err(error) => return Sent::Refused(format!("a damaged notification row: {error}")),
    };
    mail(&notice, address, &row.idempotency_key, config)
}

fn mail(notice: &Notice, address: &str, key: &str, config: &Delivery) -> Sent {
    use lettre::Transport;
    let parse = |text: &str| text.parse::<lettre::message::Mailbox>();
    let (from, to) = match (parse(&config.mail_from), parse(address)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(error), _) | (_, Err(error)) => {
            return Sent::Refused(format!("an address that is not one: {error}"));
        }
    };
    let message = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(&notice.subject)
        // The same message id on a retry: a mail server or reader that saw it drops it.
        .message_id(Some(format!("<{key}@hattama>")))
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(notice.text.clone());
    let message = match message {
        Ok(message) => message,
        Err(error) => return Sent::Refused(format!("cannot write the e-mail: {error}")),
    };
    let transport = match smtp_transport(config) {
        Ok(transport) => transport,
        Err(error) => return Sent::Refused(error),
    };
    match transport.send(&message) {
        Ok(response) => Sent::Delivered(format!(
            "SMTP {} {}",
            response.code(),
            response.message().collect::<Vec<_>>().join(" ")
        )),
        Err(error) if error.is_permanent() => Sent::Refused(format!("SMTP: {error}")),
        Err(error) => Sent::Retry {
            error: format!("SMTP {}: {error}", config.smtp_server),
            after: None,
        },
    }
}

/// The configured mail server, with its timeout and login: what notices are sent through and
/// what the daily check connects to.
pub fn smtp_transport(config: &Delivery) -> Result<lettre::SmtpTransport, String> {
    let builder = lettre::SmtpTransport::from_url(&config.smtp_server)
        .map_err(|error| format!("{}: {error}", config.smtp_server))?
        .timeout(Some(std::time::Duration::from_millis(config.timeout_ms)));
    Ok(if config.smtp_user.is_empty() {
        builder.build()
    } else {
        builder
            .credentials(lettre::transport::smtp::authentication::Credentials::new(
                config.smtp_user.clone(),
                config.smtp_password.clone(),
            ))
            .build()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(kind: &str) -> Notice {
        Notice {
            format: FORMAT.to_owned(),
            court: "Астана қаласының № 2 аудандық соты".to_owned(),
            hall: "5".to_owned(),
            instance: "first".to_owned(),
            case_number: "2-31/2026".to_owned(),
            session_id: 1,
            session_uid: "3fa85f6457174562b3fc2c963f66afa6".to_owned(),
            part: 1,
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
