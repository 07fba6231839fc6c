//! How the secretary's screen looks: the recording indicator across the top, the inputs and
//! the controls on the left, the short protocol on the right.

use iced::widget::{
    button, column, container, image, pick_list, row, scrollable, text, text_input,
};
use iced::{Color, Element, Fill, FillPortion, Font, font};

use hattama::protocol::{EntryKind, clock};
use hattama::recorder::InputKind;
use hattama::tr;

use super::{Message, Phase, Screen};
use crate::screen::{date_time, time_of_day};
use crate::widget::{self, Labelled};

pub(super) const RED: Color = Color::from_rgb(0.78, 0.08, 0.08);
const AMBER: Color = Color::from_rgb(0.85, 0.55, 0.0);
const GREY: Color = Color::from_rgb(0.38, 0.40, 0.42);

/// The protocol's text field, focused when the screen opens.
pub const DRAFT: &str = "protocol-draft";

impl Screen {
    pub fn view(&self) -> Element<'_, Message> {
        let body = row![
            container(self.left()).width(FillPortion(5)),
            container(self.protocol()).width(FillPortion(6)),
        ]
        .spacing(16)
        .height(Fill);
        let page: Element<'_, Message> = column![
            self.indicator(),
            container(body).padding([8, 16]).height(Fill)
        ]
        .into();
        if self.confirm_stop {
            widget::modal(
                page,
                tr!("confirm-stop-title"),
                tr!("confirm-stop-body"),
                vec![
                    (tr!("confirm-continue"), Message::ConfirmContinue, true),
                    (tr!("confirm-stop-recess"), Message::ConfirmRecess, false),
                    (tr!("confirm-stop-close"), Message::ConfirmClose, false),
                ]
                .into_iter()
                .filter(|(_, message, _)| {
                    !matches!(message, Message::ConfirmRecess) || self.phase != Phase::Idle
                })
                .collect(),
            )
        } else {
            page
        }
    }

    /// Colour and words that can be read across the courtroom.
    fn indicator(&self) -> Element<'_, Message> {
        let (words, colour) = match self.phase {
            Phase::Recording => (tr!("indicator-recording"), RED),
            Phase::Starting => (tr!("indicator-starting"), AMBER),
            Phase::Stopping => (tr!("indicator-stopping"), AMBER),
            Phase::Idle if !self.session.is_open() => (tr!("indicator-closed"), GREY),
            Phase::Idle if self.session.parts > 0 => (tr!("indicator-recess"), AMBER),
            Phase::Idle => (tr!("indicator-idle"), GREY),
        };
        let elapsed = self
            .live
            .as_ref()
            .map(|live| {
                format!(
                    "{}  {}",
                    tr!("elapsed-part", part = live.number),
                    clock(live.elapsed.as_millis() as i64)
                )
            })
            .unwrap_or_default();
        container(
            row![
                text(words).size(34).font(Font {
                    weight: font::Weight::Bold,
                    ..Font::DEFAULT
                }),
                iced::widget::space::horizontal(),
                text(elapsed).size(34).font(Font::MONOSPACE),
            ]
            .align_y(iced::Center),
        )
        .padding([10, 20])
        .width(Fill)
        .style(move |_| container::background(colour).color(Color::WHITE))
        .into()
    }

    fn left(&self) -> Element<'_, Message> {
        let session = &self.session;
        let zone = self.config.court.time_zone();
        let mut left = column![
            row![
                button(text(format!("← {}", tr!("back-to-sessions"))))
                    .style(button::secondary)
                    .on_press_maybe((!self.is_recording()).then_some(Message::Back)),
                iced::widget::space::horizontal(),
                button(text(tr!("session-review")))
                    .style(button::secondary)
                    .on_press_maybe((!self.is_recording()).then_some(Message::Review)),
                button(text(tr!("session-disc-copy")))
                    .style(button::secondary)
                    .on_press_maybe((!self.is_recording()).then_some(Message::DiscCopy)),
            ]
            .spacing(12)
            .align_y(iced::Center),
            // On its own line: a long case number beside the buttons would run under them.
            text(&session.case_number).size(24),
            text(format!(
                "{} · {} · {}",
                session.category.label(),
                tr!("session-judge", name = session.judge.clone()),
                date_time(session.opened_at, zone)
            ))
            .size(14),
        ]
        .spacing(8);
        // Rule 7: said until today's check is made (recording is not held back by it).
        if let Some(warning) = self.check_warning() {
            left = left.push(text(warning).size(14).style(text::warning));
        }
        if let Some(problem) = &self.problem {
            left = left.push(widget::problem(problem, Message::Panel));
        }
        if let Some(panel) = self.incidents_panel() {
            left = left.push(panel);
        }
        if self.demo {
            left = left.push(text(tr!("demo-inputs-warning")).style(text::danger));
        }
        if let Some(notice) = &self.notice {
            left = left.push(
                row![
                    text(notice).width(Fill),
                    button(text(tr!("dismiss")))
                        .style(button::text)
                        .on_press(Message::DismissNotice)
                ]
                .align_y(iced::Center),
            );
        }
        left.push(self.controls())
            .push(scrollable(column![self.inputs(), self.parts()].spacing(16)).height(Fill))
            .into()
    }

    fn controls(&self) -> Element<'_, Message> {
        let big = |label: String,
                   message: Option<Message>,
                   style: fn(&iced::Theme, button::Status) -> button::Style| {
            button(text(label).size(22))
                .padding([14, 26])
                .style(style)
                .on_press_maybe(message)
        };
        let open = self.session.is_open();
        let controls = match self.phase {
            Phase::Idle => {
                let label = if self.session.parts > 0 {
                    tr!("resume-button")
                } else {
                    tr!("record-button")
                };
                let mut line = row![
                    big(label, open.then_some(Message::Record), button::danger),
                    text(tr!("record-key")).size(14),
                ]
                .align_y(iced::Center);
                if open && self.session.parts > 0 {
                    line = line.push(big(
                        tr!("confirm-stop-close"),
                        Some(Message::CloseSession),
                        button::secondary,
                    ));
                }
                line
            }
            Phase::Starting | Phase::Recording => row![
                big(tr!("stop-button"), Some(Message::Stop), button::danger),
                big(
                    tr!("recess-button"),
                    Some(Message::Recess),
                    button::secondary
                ),
            ],
            Phase::Stopping => row![big(tr!("stop-button"), None, button::danger)],
        };
        let mut column = column![controls.spacing(10)].spacing(6);
        if !open {
            column = column.push(text(tr!("session-closed-note")));
        }
        column.into()
    }

    /// Every input's picture and sound level; the remote input is labelled as such.
    fn inputs(&self) -> Element<'_, Message> {
        let mut list = column![].spacing(10);
        for input in &self.inputs {
            let name = match input.kind {
                InputKind::Remote => tr!("input-remote-label", name = input.name.clone()),
                _ => input.name.clone(),
            };
            let mut card = column![text(name).size(14)].spacing(4);
            if let Some(frame) = self.previews.get(&input.id) {
                card = card.push(image(frame.clone()).width(Fill));
            }
            if let Some(level) = self.levels.get(&input.id) {
                card = card.push(widget::level_meter(*level));
            }
            list = list.push(card);
        }
        list.into()
    }

    fn protocol(&self) -> Element<'_, Message> {
        let zone = self.config.court.time_zone();
        let mut entries = column![].spacing(4);
        if self.entries.is_empty() {
            entries = entries.push(text(tr!("protocol-empty")));
        }
        for entry in self
            .entries
            .iter()
            .filter(|e| e.kind != EntryKind::Addendum)
        {
            let at = match (entry.part_number, entry.offset_ms) {
                (Some(part), Some(offset)) => format!("{part}·{}", clock(offset)),
                _ => tr!("protocol-before-recording"),
            };
            // A ready-made entry names its subject in its own words.
            let speaker = entry
                .speaker_id
                .filter(|_| entry.kind == EntryKind::Note)
                .and_then(|id| self.participant(id))
                .map(|p| format!("{}: ", p.name))
                .unwrap_or_default();
            let stamp = column![
                text(at).font(Font::MONOSPACE).size(14),
                text(time_of_day(entry.wall_time, zone)).size(12),
            ]
            .width(92);
            let body: Element<'_, Message> = match &self.editing {
                Some(editing) if editing.id == entry.id => row![
                    text_input("", &editing.text)
                        .id("correction")
                        .on_input(Message::Editing)
                        .on_submit(Message::SaveCorrection),
                    button(text(tr!("entry-save"))).on_press(Message::SaveCorrection),
                    button(text(tr!("entry-cancel")))
                        .style(button::secondary)
                        .on_press(Message::CancelCorrection),
                ]
                .spacing(6)
                .into(),
                _ => {
                    let mut line =
                        row![text(format!("{speaker}{}", entry.text)).width(Fill)].spacing(6);
                    if entry.corrected {
                        line = line.push(text(tr!("entry-corrected")).size(12));
                    }
                    let correct = if entry.sealed {
                        // Sealed: only an addendum, even after the session has closed.
                        Some(tr!("entry-addendum"))
                    } else {
                        self.session.is_open().then(|| tr!("entry-correct"))
                    };
                    if let Some(label) = correct {
                        line = line.push(
                            button(text(label).size(12))
                                .style(button::text)
                                .on_press(Message::Correct(entry.id)),
                        );
                    }
                    line.into()
                }
            };
            entries = entries.push(row![stamp, body].spacing(8));
            for addendum in self
                .entries
                .iter()
                .filter(|e| e.corrects_id == Some(entry.id))
            {
                entries = entries.push(
                    row![
                        text(time_of_day(addendum.wall_time, zone))
                            .size(12)
                            .width(92),
                        text(format!(
                            "↳ {}: {}",
                            EntryKind::Addendum.label(),
                            addendum.text
                        ))
                        .style(text::primary)
                        .width(Fill),
                    ]
                    .spacing(8),
                );
            }
        }
        let speakers: Vec<Labelled<Option<i64>>> =
            std::iter::once(Labelled::new(None, tr!("speaker-none")))
                .chain(
                    self.session
                        .participants
                        .iter()
                        .enumerate()
                        .map(|(index, p)| {
                            let key = if index < 9 {
                                format!("Ctrl+{} ", index + 1)
                            } else {
                                String::new()
                            };
                            Labelled::new(
                                Some(p.id),
                                format!("{key}{} ({})", p.name, p.role.label()),
                            )
                        }),
                )
                .collect();
        let chosen = speakers.iter().find(|s| s.value == self.speaker).cloned();
        let open = self.session.is_open();
        let mut draft = text_input(&tr!("protocol-placeholder"), &self.draft)
            .id(DRAFT)
            .padding(10)
            .size(18);
        if open {
            draft = draft.on_input(Message::Draft).on_submit(Message::Submit);
        }
        let hotkeys = EntryKind::templates().iter().map(|kind| {
            button(
                text(format!(
                    "F{} {}",
                    kind.key().unwrap_or_default(),
                    kind.label()
                ))
                .size(12),
            )
            .style(button::secondary)
            .width(Fill)
            .on_press_maybe(open.then_some(Message::Template(*kind)))
            .into()
        });
        let hotkeys: Vec<Element<'_, Message>> = hotkeys.collect();
        let mut grid = column![].spacing(4);
        let mut hotkeys = hotkeys.into_iter();
        loop {
            let line: Vec<_> = hotkeys.by_ref().take(3).collect();
            if line.is_empty() {
                break;
            }
            grid = grid.push(row(line).spacing(4));
        }
        column![
            text(tr!("protocol-title")).size(22),
            scrollable(entries).height(Fill).anchor_bottom(),
            row![
                text(tr!("speaker-label")),
                pick_list(speakers, chosen, |s| Message::Speaker(s.value)).width(Fill),
            ]
            .spacing(8)
            .align_y(iced::Center),
            text(tr!("speaker-keys")).size(12),
            draft,
            text(tr!("hotkeys-title")).size(14),
            grid,
        ]
        .spacing(8)
        .into()
    }
}
