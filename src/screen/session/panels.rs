//! The session screen's side panels: the incidents and their technical acts, and each part
//! with its seal and how its deliveries stand.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Color, Element, Fill, Font, font};

use hattama::delivery;
use hattama::protocol::clock;
use hattama::store::{OutboxRow, OutboxState};
use hattama::tr;

use super::view::RED;
use super::{Message, Screen};
use crate::screen::time_of_day;

impl Screen {
    /// The session's incidents (rules 27–29), loud: what failed and when, the hour the
    /// regional coordinator has to report it (rule 28), and each one's technical act.
    pub(super) fn incidents_panel(&self) -> Option<Element<'_, Message>> {
        let newest = self.incidents.last()?;
        let zone = self.config.court.time_zone();
        let white = |words: String| text(words).color(Color::WHITE);
        let mut panel = column![
            white(tr!(
                "incidents-title",
                count = (self.incidents.len() as i64)
            ))
            .size(18)
            .font(Font {
                weight: font::Weight::Bold,
                ..Font::DEFAULT
            })
        ]
        .spacing(6);
        for incident in self.incidents.iter().rev().take(4) {
            let (began, ended) = (incident.started(), incident.ended());
            let when = format!(
                "{}–{}",
                began.map(|at| time_of_day(at, zone)).unwrap_or_default(),
                ended
                    .map(|at| time_of_day(at, zone))
                    .unwrap_or_else(|| tr!("incident-now"))
            );
            let what = hattama::incident::what_here(&incident.kind, &incident.input_name);
            let act: Element<'_, Message> = if incident.technical_act.is_some() {
                button(text(tr!("act-save-page")).size(13))
                    .style(button::secondary)
                    .on_press(Message::SaveActPage(incident.id))
                    .into()
            } else {
                button(text(tr!("act-draw-up")).size(13))
                    .style(button::secondary)
                    .on_press_maybe(ended.map(|_| Message::DrawUpAct(incident.id)))
                    .into()
            };
            panel = panel.push(
                row![
                    white(format!(
                        "{when}  {what} ({}) — {}",
                        incident.details,
                        hattama::act::Standing::of(incident, zone, chrono::Utc::now()).line(zone)
                    ))
                    .size(14)
                    .width(Fill),
                    act
                ]
                .spacing(8)
                .align_y(iced::Center),
            );
        }
        // Rule 28: the hour the regional coordinator has to report the newest one.
        if let Some(began) = newest.started() {
            let due = hattama::incident::report_due(began);
            let left = (due - chrono::Utc::now()).num_minutes();
            let line = if left >= 0 {
                tr!(
                    "incident-report-due",
                    due = time_of_day(due, zone),
                    minutes = left
                )
            } else {
                tr!("incident-report-overdue", due = time_of_day(due, zone))
            };
            panel = panel.push(white(line).size(14));
        }
        if let Some(form) = &self.act {
            panel = panel.push(
                container(
                    column![
                        text(tr!("act-form-title", number = form.incident_id)).size(16),
                        text_input(&tr!("act-cause"), &form.cause)
                            .on_input(Message::ActCause)
                            .on_submit(Message::SaveAct),
                        text_input(&tr!("act-confirmed-by"), &form.confirmed_by)
                            .on_input(Message::ActConfirmedBy)
                            .on_submit(Message::SaveAct),
                        row![
                            button(text(tr!("act-save"))).on_press(Message::SaveAct),
                            button(text(tr!("entry-cancel")))
                                .style(button::secondary)
                                .on_press(Message::CancelAct),
                        ]
                        .spacing(8),
                    ]
                    .spacing(6),
                )
                .padding(8)
                .style(container::rounded_box),
            );
        }
        Some(
            container(panel)
                .padding(10)
                .width(Fill)
                .style(|_| container::background(RED))
                .into(),
        )
    }

    /// Every part of the session with its seal, and a check of it on request.
    pub(super) fn parts(&self) -> Element<'_, Message> {
        let mut list = column![].spacing(6);
        for part in self.parts.iter().filter(|p| !p.state.is_unfinished()) {
            let length = clock(part.duration_ms.unwrap_or(0));
            let (seal, sealed) = match (&part.sealed_at, &part.seal_error) {
                (Some(_), _) if part.recovered => (tr!("seal-state-recovered", count = 1), true),
                (Some(_), _) => (tr!("seal-state-sealed"), true),
                (None, Some(error)) => (
                    format!("{}: {error}", tr!("seal-state-unsealed", count = 1)),
                    false,
                ),
                (None, None) => (tr!("seal-state-unsealed", count = 1), false),
            };
            let line = row![
                text(format!(
                    "{}  {length}",
                    tr!("elapsed-part", part = part.number)
                ))
                .width(140),
                text(seal)
                    .size(14)
                    .style(if sealed { text::success } else { text::danger })
                    .width(Fill),
                button(text(tr!("seal-check")).size(14))
                    .style(button::secondary)
                    .on_press_maybe(sealed.then_some(Message::Check(part.id))),
            ]
            .spacing(8)
            .align_y(iced::Center);
            list = list.push(line);
            for target in [
                delivery::BAATZH,
                delivery::SERVER,
                delivery::ARCHIVE,
                delivery::REPLICA,
            ] {
                if let Some(row) = self.delivery_of(part.id, target) {
                    list = list.push(delivery_line(row, self.config.court.time_zone()));
                }
            }
            match self.checks.get(&part.id) {
                Some(None) => list = list.push(text(tr!("seal-checking")).size(13)),
                Some(Some(checked)) => {
                    let words = match &checked.first_failure {
                        None if checked.ok() => tr!("seal-check-ok"),
                        None => checked.summary(),
                        Some(what) => tr!("seal-check-failed", what = what.clone()),
                    };
                    list = list.push(text(words).size(13).style(if checked.ok() {
                        text::success
                    } else {
                        text::danger
                    }));
                    if !checked.ok() && self.can_restore() {
                        list = list.push(if self.restoring == Some(part.id) {
                            Element::from(text(tr!("restoring")).size(13))
                        } else {
                            button(text(tr!("restore-from-replica")).size(13))
                                .style(button::secondary)
                                .on_press_maybe(
                                    self.restoring
                                        .is_none()
                                        .then_some(Message::Restore(part.id)),
                                )
                                .into()
                        });
                    }
                }
                None => {}
            }
        }
        list.into()
    }
}

/// Where an outbox row goes, as people name it.
fn target_name(target: &str) -> String {
    match target {
        delivery::SERVER => tr!("target-server"),
        delivery::ARCHIVE => tr!("target-archive"),
        delivery::REPLICA => tr!("target-replica"),
        _ => tr!("target-baatzh"),
    }
}

/// How a part's protocol and copies stand with the systems they go to, and "send again"
/// when one was refused.
fn delivery_line(row: &OutboxRow, zone: chrono::FixedOffset) -> Element<'_, Message> {
    let at = |time: &Option<String>| {
        time.as_deref()
            .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
            .map(|t| time_of_day(t, zone))
            .unwrap_or_default()
    };
    let error = row.last_error.clone().unwrap_or_default();
    let at_delivered = at(&row.delivered_at);
    let at_next = at(&row.next_attempt_at);
    let target = target_name(&row.target);
    let (words, style): (String, fn(&iced::Theme) -> text::Style) = match row.state {
        OutboxState::Delivered => (
            match row.target.as_str() {
                delivery::SERVER => tr!("upload-delivered", at = at_delivered),
                delivery::ARCHIVE => tr!("archive-delivered", at = at_delivered),
                delivery::REPLICA => tr!("replica-delivered", at = at_delivered),
                _ => tr!("delivery-delivered", at = at_delivered),
            },
            text::success,
        ),
        OutboxState::Retrying => (
            tr!(
                "outbox-retrying",
                target = target,
                at = at_next,
                error = error
            ),
            text::warning,
        ),
        OutboxState::Failed => (
            tr!("outbox-failed", target = target, error = error),
            text::danger,
        ),
        OutboxState::Pending => (tr!("outbox-pending", target = target), text::secondary),
    };
    let mut line = row![text(words).size(13).style(style).width(Fill)].spacing(8);
    if row.state == OutboxState::Failed {
        line = line.push(
            button(text(tr!("delivery-retry")).size(13))
                .style(button::secondary)
                .on_press(Message::RetryDelivery(row.id)),
        );
    }
    line.into()
}
