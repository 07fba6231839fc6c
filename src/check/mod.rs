//! The daily equipment check (rules 7, 11, 17): every camera gives a live picture (not
//! frozen, not black), every microphone and the remote-audio input give sound, the disk holds
//! a day of recording at the current profile, the court's key signs and verifies, and the
//! court server, ҚР СО БААТЖ and the replica answer. Each step passes, fails with its reason,
//! or is skipped with its reason. The check is made by the head of the office in first
//! instance and by the service organisation's employee elsewhere; its result is stored.

use std::time::Duration;

use crate::config::{Config, Instance};
use crate::paths::Paths;
use crate::tr;

mod inputs;
mod machine;
mod servers;

use machine::{certificate, disk, key, secrets, service};

pub use inputs::{
    DIGITAL_SILENCE_DB, Heard, InputError, Picture, SPEAK_FOR, SPOKEN_DB, Sound, listen, play_back,
    sound_inputs, source_element, spoken_step, watch_picture, watch_sound,
};

/// How long a camera or a microphone is watched.
const WATCH: Duration = Duration::from_secs(2);
/// A court's working day, the recording the disk must hold.
pub const DAY_HOURS: u64 = 9;

pub use crate::store::{Step, StepState};

/// Who makes the check, by the court's instance (rules 7, 11).
pub fn role_of(instance: Instance) -> &'static str {
    match instance {
        Instance::First => "head-of-office",
        _ => "service-organisation",
    }
}

pub fn role_label(role: &str) -> String {
    match role {
        "head-of-office" => tr!("check-role-head-of-office"),
        _ => tr!("check-role-service-organisation"),
    }
}

/// Every step a machine can make alone.
pub fn automatic(paths: &Paths, config: &Config) -> Vec<Step> {
    let mut steps = inputs::steps(config);
    steps.push(disk(paths, config));
    match crate::seal::service_socket(paths, &config.signing) {
        Some(socket) => steps.push(service(&socket)),
        None => {
            steps.push(key(paths));
            steps.extend(certificate(&config.signing));
        }
    }
    steps.push(secrets(paths));
    steps.extend(servers::steps(config));
    steps
}

/// A kept check as a printable page: who, their role, when, court and hall, each step.
pub fn page(check: &crate::store::EquipmentCheck, zone: chrono::FixedOffset) -> String {
    use crate::page::{escape, three};
    let at = check
        .at()
        .map(|at| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| check.at.clone());
    let mut rows = String::new();
    for step in &check.steps {
        let state = match step.state {
            StepState::Passed => "✔",
            StepState::Failed => "✖",
            StepState::Skipped => "–",
        };
        rows.push_str(&format!(
            "<tr><td>{state}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&step.label()),
            escape(&step.detail.text())
        ));
    }
    let title = three("check-page-title");
    let outcome = if check.passed {
        tr!("check-passed")
    } else {
        let count = check.failed().count() as i64;
        tr!("check-failed", count = count)
    };
    crate::page::html(
        &format!("{title}: {at}"),
        &format!(
            "<h1>{title}</h1>\n<p>{court}, {hall}</p>\n<p>{at} — {by} ({role})</p>\n\
             <table>\n<tr><th></th><th>{step}</th><th>{detail}</th></tr>\n{rows}</table>\n\
             <p><b>{outcome}</b></p>\n<p>{signature}: ______________________</p>\n",
            title = escape(&title),
            court = escape(&check.court),
            hall = escape(&tr!("check-page-hall", hall = check.hall.clone())),
            at = escape(&at),
            by = escape(&check.by_name),
            role = escape(&role_label(&check.role)),
            step = escape(&three("check-page-step")),
            detail = escape(&three("check-page-detail")),
            outcome = escape(&outcome),
            signature = escape(&three("check-page-signature")),
        ),
    )
}
