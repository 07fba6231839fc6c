//! The list of sessions drawn: today's first, the search, the equipment check's panels (what\n//! awaits, the guided check, its steps), and each session's row.

use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Element, Fill};

use hattama::config::Config;
use hattama::session::Session;
use hattama::tr;

use super::{Guided, Message, Sessions};
use crate::screen::date_time;
use crate::widget::{self};

impl Sessions {
    pub fn view(&self, config: &Config) -> Element<'_, Message> {
        let zone = config.court.time_zone();
        let header = row![
            column![
                text(tr!("sessions-title")).size(28),
                text(tr!(
                    "court-and-hall",
                    court = config.court.name.clone(),
                    hall = config.court.hall.clone()
                )),
            ]
            .width(Fill),
            button(text(tr!("sessions-new")))
                .padding([10, 18])
                .on_press(Message::New),
            button(text(tr!("check-run")))
                .padding([10, 18])
                .style(button::secondary)
                .on_press_maybe((!self.equipment_checking).then_some(Message::CheckEquipment)),
            button(text(tr!("sessions-settings")))
                .padding([10, 18])
                .style(button::secondary)
                .on_press(Message::Settings),
        ]
        .spacing(10);
        let small = |label: String, message: Option<Message>| {
            button(text(label).size(14))
                .padding([6, 12])
                .style(button::secondary)
                .on_press_maybe(message)
        };
        let mut discs = row![
            text(tr!("sessions-from-disc")).size(14),
            small(tr!("review-open-folder"), Some(Message::ReviewFolder)),
            small(tr!("review-open-image"), Some(Message::ReviewImage)),
            small(
                tr!("seal-check-folder"),
                (!self.checking).then_some(Message::CheckFolder)
            ),
            small(
                tr!("seal-check-image"),
                (!self.checking).then_some(Message::CheckImage)
            ),
        ]
        .spacing(8)
        .align_y(iced::Center);
        // The court's cases on the court server, where there is one.
        if config
            .delivery
            .target_named(crate::screen::cases::SERVER)
            .is_some()
        {
            discs = discs.push(small(
                tr!("sessions-court-cases"),
                Some(Message::CourtCases),
            ));
        }
        let search = text_input(&tr!("sessions-search"), &self.query)
            .id("sessions-search")
            .on_input(Message::Search)
            .padding(10);
        let mut list = column![].spacing(6);
        let shown: Vec<(usize, &Session)> = self
            .sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.matches(&self.query))
            .collect();
        let mut heading = None;
        for (index, session) in &shown {
            let section = if *index < self.today {
                tr!("sessions-today")
            } else {
                tr!("sessions-earlier")
            };
            if heading.as_ref() != Some(&section) {
                list = list.push(text(section.clone()).size(18));
                heading = Some(section);
            }
            list = list.push(session_row(session, zone));
        }
        if self.loaded && self.sessions.is_empty() {
            list = list.push(text(tr!("sessions-empty")));
        } else if self.loaded && shown.is_empty() {
            list = list.push(text(tr!("sessions-none-found", query = self.query.clone())));
        }
        let mut page = column![header, discs].spacing(14);
        page = page.push(crate::screen::checked_line(
            self.checking,
            self.checked.as_ref(),
        ));
        if let Some(guided) = &self.guided {
            page = page.push(guided_panel(guided));
        } else if self.equipment_checking {
            page = page.push(text(tr!("check-running")).size(14));
        }
        if let Some(check) = &self.equipment {
            page = page.push(equipment_panel(check, zone, self.saved_page.as_deref()));
        }
        if !self.awaiting.is_empty() {
            page = page.push(awaiting_panel(&self.awaiting, zone));
        }
        if let Some(problem) = &self.problem {
            page = page.push(widget::problem(problem, Message::Panel));
        }
        page = page
            .push(search)
            .push(rule::horizontal(1))
            .push(scrollable(list).height(Fill));
        container(page).padding(24).width(Fill).height(Fill).into()
    }
}

/// Incidents awaiting their technical act (rule 29): each with the day it is due, a click
/// away from its session, where the act is drawn up.
fn awaiting_panel(
    awaiting: &[hattama::act::Listed],
    zone: chrono::FixedOffset,
) -> Element<'_, Message> {
    let overdue = awaiting
        .iter()
        .any(|listed| matches!(listed.act, hattama::act::Standing::Overdue { .. }));
    let mut panel = column![
        text(tr!("acts-awaiting", count = (awaiting.len() as i64)))
            .size(16)
            .style(if overdue { text::danger } else { text::warning })
    ]
    .spacing(4);
    for listed in awaiting.iter().take(5) {
        let line = button(text(listed.line(zone)).size(14))
            .padding([4, 8])
            .style(button::text);
        panel = panel.push(line.on_press_maybe(listed.incident.session_id.map(Message::Open)));
    }
    if awaiting.len() > 5 {
        panel = panel.push(
            text(tr!(
                "acts-awaiting-more",
                count = (awaiting.len() as i64 - 5)
            ))
            .size(13),
        );
    }
    container(panel).padding(10).into()
}

/// The guided step under way: what to do, what was heard, the person's answer.
fn guided_panel(guided: &Guided) -> Element<'_, Message> {
    let Some(input) = guided.inputs.get(guided.at) else {
        return column![].into();
    };
    let name = input.name.clone();
    let mut panel = column![
        text(tr!(
            "check-guided-title",
            done = (guided.at as i64 + 1),
            total = (guided.inputs.len() as i64)
        ))
        .size(16)
    ]
    .spacing(6);
    let buttons = if guided.listening {
        panel = panel.push(text(tr!("check-guided-listening", name = name)).size(14));
        row![]
    } else if let Some(heard) = &guided.heard {
        let peak = format!("{:.0}", heard.sound.peak_db.max(-99.0));
        panel = panel.push(text(tr!("check-guided-heard", peak = peak)).size(14));
        row![
            button(text(tr!("check-guided-yes"))).on_press(Message::GuidedAnswer(true)),
            button(text(tr!("check-guided-no")))
                .style(button::secondary)
                .on_press(Message::GuidedAnswer(false)),
        ]
    } else {
        let seconds = hattama::check::SPEAK_FOR.as_secs() as i64;
        panel =
            panel.push(text(tr!("check-guided-speak", name = name, seconds = seconds)).size(14));
        row![
            button(text(tr!("check-guided-listen"))).on_press(Message::GuidedListen),
            button(text(tr!("check-guided-skip")))
                .style(button::secondary)
                .on_press(Message::GuidedSkip),
        ]
    };
    panel = panel.push(
        buttons.spacing(8).push(
            button(text(tr!("check-guided-finish")))
                .style(button::secondary)
                .on_press_maybe((!guided.listening).then_some(Message::GuidedFinish)),
        ),
    );
    container(panel)
        .padding(10)
        .style(container::rounded_box)
        .into()
}

/// The result of an equipment check, step by step.
fn equipment_panel<'a>(
    check: &'a hattama::store::EquipmentCheck,
    zone: chrono::FixedOffset,
    saved: Option<&'a str>,
) -> Element<'a, Message> {
    use hattama::check::StepState;
    let at = check.at().map(|at| date_time(at, zone)).unwrap_or_default();
    let mut panel = column![
        text(tr!(
            "check-heading",
            by = check.by_name.clone(),
            role = hattama::check::role_label(&check.role)
        ))
        .size(16),
        text(at).size(12),
    ]
    .spacing(4);
    for step in &check.steps {
        let (mark, style): (&str, fn(&iced::Theme) -> text::Style) = match step.state {
            StepState::Passed => ("✔", text::success),
            StepState::Failed => ("✖", text::danger),
            StepState::Skipped => ("–", text::secondary),
        };
        panel = panel.push(
            text(format!("{mark} {}: {}", step.label(), step.detail))
                .size(14)
                .style(style),
        );
    }
    panel = panel.push(
        row![
            text(if check.passed {
                tr!("check-passed")
            } else {
                tr!("check-failed", count = (check.failed().count() as i64))
            })
            .size(14)
            .width(Fill),
            button(text(tr!("check-save-page")).size(13))
                .style(button::secondary)
                .on_press(Message::SaveCheckPage),
            button(text(tr!("dismiss")).size(13))
                .style(button::secondary)
                .on_press(Message::CloseCheck),
        ]
        .spacing(8),
    );
    if let Some(saved) = saved {
        panel = panel.push(text(saved).size(13).style(text::success));
    }
    container(panel).padding(10).into()
}

fn session_row(session: &Session, zone: chrono::FixedOffset) -> Element<'_, Message> {
    let state = if session.is_open() {
        tr!("session-open")
    } else {
        tr!("session-closed")
    };
    let mut facts = vec![
        session.category.label(),
        tr!("session-judge", name = session.judge.clone()),
        tr!("session-parts", count = session.parts),
    ];
    if session.has_remote_participants() {
        facts.push(tr!("session-remote"));
    }
    let seal = session.seal.label().map(|label| {
        let words = match &session.seal.error {
            Some(error) if !session.seal.is_complete() => format!("{label}: {error}"),
            _ => label,
        };
        text(words).size(14).style(if session.seal.is_complete() {
            text::success
        } else {
            text::danger
        })
    });
    let line = row![
        text(&session.case_number).size(20).width(220),
        column![
            text(session.parties().join(" · ")),
            text(facts.join(" · ")).size(14),
        ]
        .width(Fill),
        column![
            text(date_time(session.opened_at, zone)),
            text(state).size(14)
        ]
        .push(seal),
    ]
    .spacing(16);
    button(line)
        .width(Fill)
        .padding(10)
        .style(row_style)
        .on_press(Message::Open(session.id))
        .into()
}

/// A session in the list: a light card that darkens under the pointer.
fn row_style(theme: &iced::Theme, status: button::Status) -> button::Style {
    let palette = theme.extended_palette();
    let background = match status {
        button::Status::Hovered | button::Status::Pressed => palette.background.strong.color,
        _ => palette.background.weak.color,
    };
    button::Style {
        background: Some(background.into()),
        text_color: palette.background.base.text,
        border: iced::border::rounded(6),
        ..button::Style::default()
    }
}
