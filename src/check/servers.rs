//! The places Hattama sends to, asked whether they answer: the court's servers, ҚР СО
//! БААТЖ, the replica, the incident webhook, the hall's status target and the mail server.

use std::path::Path;

use crate::config::Config;
use crate::i18n::Said;
use crate::said;

use super::Step;

/// What a receiver's answer to the probe says, as a step's result.
fn probed(answer: crate::delivery::Probed) -> Result<Said, Said> {
    use crate::delivery::Probed;
    match answer {
        Probed::Ready(_) => Ok(said!("check-reachable")),
        Probed::Refused(status) => Err(said!("check-token-refused", status = status)),
        Probed::NotThere(status) => Err(said!("check-not-there", status = status)),
        Probed::Failing(status) => Err(said!("check-server-failing", status = status)),
        Probed::Unreachable(reason) => Err(reason.into()),
    }
}

/// The court server, the archive, ҚР СО БААТЖ, the replica, the hall-status target, the
/// webhook and the mail server answer as they must to take a delivery (each skipped if not
/// configured): a wrong token, a wrong address or a server in trouble fails its step.
pub(super) fn steps(config: &Config) -> Vec<Step> {
    let delivery = &config.delivery;
    let mut steps = Vec::new();
    let mut targets = vec![("server", delivery.server_target())];
    // The other instances' servers (rule 26), where configured.
    for (what, instance) in [
        ("server-cassation", "cassation"),
        ("server-supervisory", "supervisory"),
    ] {
        let target = delivery.server_for(instance);
        if target.url != delivery.server {
            targets.push((what, target));
        }
    }
    targets.extend([
        ("archive", delivery.archive_target()),
        ("replica", delivery.replica_target()),
    ]);
    for (what, target) in targets {
        if target.url.is_empty() {
            steps.push(Step::skipped(what, "", said!("check-not-configured")));
            continue;
        }
        steps.push(Step::new(
            what,
            target.url,
            crate::delivery::upload::reachable(target)
                .map(|()| said!("check-reachable"))
                .map_err(Said::from),
        ));
    }
    if delivery.baatzh_url.is_empty() && delivery.baatzh_drop_folder.is_empty() {
        steps.push(Step::skipped("baatzh", "", said!("check-not-configured")));
    } else if !delivery.baatzh_url.is_empty() {
        let answer = crate::delivery::probe(
            &delivery.baatzh_url,
            &delivery.baatzh_token,
            true,
            delivery.timeout_ms,
        );
        steps.push(Step::new("baatzh", &delivery.baatzh_url, probed(answer)));
    } else {
        let folder = Path::new(&delivery.baatzh_drop_folder);
        steps.push(Step::new(
            "baatzh",
            &delivery.baatzh_drop_folder,
            if folder.is_dir() {
                Ok(said!("check-reachable"))
            } else {
                Err(said!("check-folder-missing"))
            },
        ));
    }
    steps.push(status_target(delivery));
    let webhook = delivery.notify_webhook.trim();
    steps.push(if webhook.is_empty() {
        Step::skipped("webhook", "", said!("check-not-configured"))
    } else {
        let answer = crate::delivery::probe(webhook, "", false, delivery.timeout_ms);
        Step::new("webhook", webhook, probed(answer))
    });
    steps.push(mail(delivery));
    steps
}

/// The hall's status goes to a folder that is there, or a portal that answers.
pub(super) fn status_target(delivery: &crate::config::Delivery) -> Step {
    let target = delivery.status_target.trim();
    if target.is_empty() {
        return Step::skipped("status", "", said!("check-not-configured"));
    }
    if target.contains("://") {
        let answer = crate::delivery::probe(target, "", false, delivery.timeout_ms);
        return Step::new("status", target, probed(answer));
    }
    let folder = crate::paths::folder_of(Path::new(target));
    Step::new(
        "status",
        target,
        if folder.is_dir() {
            Ok(said!("check-reachable"))
        } else {
            Err(said!("check-folder-missing"))
        },
    )
}

/// The mail server takes a connection (and the login, when one is configured).
pub(super) fn mail(delivery: &crate::config::Delivery) -> Step {
    let server = delivery.smtp_server.trim();
    if server.is_empty() {
        return Step::skipped("mail", "", said!("check-not-configured"));
    }
    let result = crate::delivery::notify::smtp_transport(delivery)
        .map_err(|error| error.to_string())
        .and_then(|transport| {
            transport
                .test_connection()
                .map_err(|error| error.to_string())
        })
        .map_err(Said::from)
        .and_then(|answered| {
            if answered {
                Ok(said!("check-reachable"))
            } else {
                Err(said!("check-mail-refused"))
            }
        });
    Step::new("mail", server, result)
}
