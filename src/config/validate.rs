//! What the types alone do not say about a configuration: addresses, times of day, incident
//! kinds, ranges — each error naming its key.

use super::{Config, parse_offset};

impl Config {
    pub(super) fn validate(&self) -> Result<(), (&'static str, String)> {
        self.delivery.validate_addresses()?;
        let at = &self.delivery.replicate_at;
        if chrono::NaiveTime::parse_from_str(at, "%H:%M").is_err() {
            return Err((
                "delivery.replicate_at",
                format!("{at:?} is not a time of day as HH:MM"),
            ));
        }
        let known = crate::protocol::IncidentKind::ALL.map(|kind| kind.code());
        if let Some(kind) =
            (self.delivery.notify_kinds.iter()).find(|k| !known.contains(&k.as_str()))
        {
            return Err((
                "delivery.notify_kinds",
                format!("{kind:?} is not an incident kind ({})", known.join(", ")),
            ));
        }
        let every = self.delivery.status_every_s;
        if !(10..=3600).contains(&every) {
            return Err((
                "delivery.status_every_s",
                format!("{every} is outside 10..=3600"),
            ));
        }
        let delivery = &self.delivery;
        for (key, list) in [
            ("delivery.head_of_office", &delivery.head_of_office),
            (
                "delivery.regional_coordinator",
                &delivery.regional_coordinator,
            ),
            ("delivery.court_office_head", &delivery.court_office_head),
        ] {
            if let Some(address) = list.iter().find(|a| a.parse::<lettre::Address>().is_err()) {
                return Err((key, format!("{address:?} is not an e-mail address")));
            }
        }
        let mailing = delivery.head_of_office.len()
            + delivery.regional_coordinator.len()
            + delivery.court_office_head.len();
        if mailing > 0 && !delivery.smtp_server.is_empty() {
            if delivery.mail_from.parse::<lettre::Address>().is_err() {
                return Err((
                    "delivery.mail_from",
                    format!("{:?} is not an e-mail address", delivery.mail_from),
                ));
            }
            if let Err(error) = lettre::SmtpTransport::from_url(&delivery.smtp_server) {
                return Err(("delivery.smtp_server", error.to_string()));
            }
        }
        let stall = self.recording.stall_after_s;
        if !(1..=600).contains(&stall) {
            return Err((
                "recording.stall_after_s",
                format!("{stall} is outside 1..=600"),
            ));
        }
        let every = self.recording.reconnect_every_s;
        if every > 3600 {
            return Err((
                "recording.reconnect_every_s",
                format!("{every} is over 3600 (0 turns it off)"),
            ));
        }
        let floor = self.recording.silence_dbfs;
        if !(-120.0..=0.0).contains(&floor) {
            return Err((
                "recording.silence_dbfs",
                format!("{floor} is outside -120..=0"),
            ));
        }
        for input in &self.recording.network_inputs {
            if !["camera", "microphone", "remote"].contains(&input.kind.as_str()) {
                return Err((
                    "recording.network_inputs.kind",
                    format!("{:?} is not camera, microphone or remote", input.kind),
                ));
            }
            if input.name.trim().is_empty() || input.pipeline.trim().is_empty() {
                return Err((
                    "recording.network_inputs",
                    "every network input needs a name and a pipeline".to_owned(),
                ));
            }
        }
        let seconds = self.recording.segment_seconds;
        if !(2..=4 * 3600).contains(&seconds) {
            return Err((
                "recording.segment_seconds",
                format!("{seconds} is outside 2..=14400"),
            ));
        }
        let megabytes = self.recording.segment_megabytes;
        if !(1..=4096).contains(&megabytes) {
            return Err((
                "recording.segment_megabytes",
                format!("{megabytes} is outside 1..=4096"),
            ));
        }
        let interval = self.recording.sync_interval_ms;
        if !(50..=10_000).contains(&interval) {
            return Err((
                "recording.sync_interval_ms",
                format!("{interval} is outside 50..=10000"),
            ));
        }
        if parse_offset(&self.court.utc_offset).is_none() {
            return Err((
                "court.utc_offset",
                format!("{:?} is not an offset like +05:00", self.court.utc_offset),
            ));
        }
        if self.recording.profile.trim().is_empty() {
            return Err(("recording.profile", "must name a profile".to_owned()));
        }
        Ok(())
    }
}
