//! Telling people of an incident (rules 27, 28): the head of office at once, the head of
//! the court's office, and the regional coordinator with the hour left to report the cause
//! to the Department's coordinator. Each recipient is an outbox row of its own (kind
//! `notify`; target `webhook` or `mailto:ADDRESS`), keyed by the incident and the recipient,
//! so everyone is told exactly once however often delivery is retried.

use super::Sent;
use crate::config::Delivery;
use crate::incident::notice::MAILTO;
pub use crate::incident::notice::{FORMAT, NOTIFY, Notice, WEBHOOK, rows};
use crate::store::OutboxRow;

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
        Err(error) => return Sent::Refused(error.to_string()),
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

/// The mail server's address is not one lettre takes (`smtp://host:25`, `smtps://…`).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{url}: {source}")]
pub struct MailServerError {
    pub url: String,
    pub source: std::sync::Arc<lettre::transport::smtp::Error>,
}

/// The configured mail server, with its timeout and login: what notices are sent through and
/// what the daily check connects to.
pub fn smtp_transport(config: &Delivery) -> Result<lettre::SmtpTransport, MailServerError> {
    let builder = lettre::SmtpTransport::from_url(&config.smtp_server)
        .map_err(|error| MailServerError {
            url: config.smtp_server.clone(),
            source: std::sync::Arc::new(error),
        })?
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
