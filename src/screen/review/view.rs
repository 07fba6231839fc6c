//! The review drawn: the seal line, the player with its seek bar and marks, the protocol
//! with each entry's line.

use iced::widget::{
    Space, button, column, container, image, pick_list, row, rule, scrollable, slider, text,
    text_input,
};
use iced::{Element, Fill, FillPortion};

use hattama::protocol::clock;
use hattama::review::player::SPEEDS;
use hattama::review::{MarkKind, SealState, Source};
use hattama::seal::document::Link;
use hattama::tr;

use crate::widget::{self};

use super::{LIST, Message, ReviewScreen, SEARCH};

/// A speed in the choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speed(pub f64);

impl std::fmt::Display for Speed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}×", self.0)
    }
}

/// A choice shown by its label, carrying a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackChoice(pub usize, pub String);

impl std::fmt::Display for TrackChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartChoice(pub i64);

impl std::fmt::Display for PartChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&tr!("review-part", number = self.0))
    }
}

impl ReviewScreen {
    pub fn view(&self) -> Element<'_, Message> {
        let review = self.review();
        let document = &review.document;
        let source = match &review.source {
            Source::Database => tr!("review-source-database"),
            Source::Folder(path) => tr!("review-source-folder", path = path.display().to_string()),
            Source::Server(place) => tr!("review-source-server", place = place.clone()),
        };
        let mut header = row![
            button(text(format!("← {}", tr!("back-to-sessions"))))
                .style(button::secondary)
                .on_press(Message::Back),
            column![
                text(tr!(
                    "review-title",
                    case = document.case_number.clone(),
                    session = document.session_id
                ))
                .size(24),
                text(format!(
                    "{} · {} · {}",
                    document.court, document.hall, document.judge
                ))
                .size(14),
                text(source).size(13),
            ]
            .width(Fill),
        ]
        .spacing(12)
        .align_y(iced::Center);
        if self.reviews.len() > 1 {
            let choices: Vec<Choice> = self
                .reviews
                .iter()
                .enumerate()
                .map(|(index, r)| Choice {
                    value: index.to_string(),
                    label: tr!(
                        "review-title",
                        case = r.document.case_number.clone(),
                        session = r.document.session_id
                    ),
                })
                .collect();
            let chosen = choices.get(self.chosen).cloned();
            header = header.push(pick_list(choices, chosen, |c: Choice| {
                Message::Choose(c.value.parse().unwrap_or(0))
            }));
        }
        let mut page = column![header, self.seal_line()].spacing(10);
        if let Some(problem) = &self.problem {
            page = page.push(widget::problem(problem, Message::Panel));
        }
        if let Some(notice) = &self.notice {
            page = page.push(
                row![
                    text(notice).size(14).width(Fill),
                    button(text(tr!("dismiss")).size(13))
                        .style(button::secondary)
                        .on_press(Message::DismissNotice),
                ]
                .spacing(8),
            );
        }
        let body = row![
            container(self.player_view()).width(FillPortion(3)),
            container(self.protocol_view()).width(FillPortion(2)),
        ]
        .spacing(16)
        .height(Fill);
        container(page.push(body))
            .padding(16)
            .width(Fill)
            .height(Fill)
            .into()
    }

    /// The shown part's seal, always in view.
    fn seal_line(&self) -> Element<'_, Message> {
        let (words, style): (String, fn(&iced::Theme) -> text::Style) =
            match self.seals.get(&self.part) {
                None | Some(SealState::Checking) => (tr!("review-seal-checking"), text::secondary),
                Some(SealState::Verified) => (tr!("review-seal-verified"), text::success),
                Some(SealState::Recovered) => (tr!("review-seal-recovered"), text::warning),
                Some(SealState::Unsealed) => (tr!("review-seal-unsealed"), text::warning),
                Some(SealState::Streaming) => (tr!("review-seal-streaming"), text::success),
                Some(SealState::Failed(what)) => {
                    (tr!("review-seal-failed", what = what.clone()), text::danger)
                }
            };
        text(tr!("review-part-seal", number = self.part, state = words))
            .size(15)
            .style(style)
            .into()
    }

    fn player_view(&self) -> Element<'_, Message> {
        let picture: Element<'_, Message> = match &self.frame {
            Some(handle) => image(handle.clone())
                .content_fit(iced::ContentFit::Contain)
                .width(Fill)
                .height(Fill)
                .into(),
            None => container(text(if self.opening {
                tr!("review-opening")
            } else {
                tr!("review-no-picture")
            }))
            .center(Fill)
            .into(),
        };
        let length = self.duration_ms.max(1) as f64;
        let bar = slider(
            0.0..=length,
            self.position_ms.clamp(0, self.duration_ms.max(0)) as f64,
            Message::Seek,
        )
        .step(100.0);
        let button_for = |label: String, message: Message| {
            button(text(label).size(14))
                .style(button::secondary)
                .on_press_maybe(self.player.is_some().then_some(message))
        };
        let play = button(
            text(if self.playing {
                tr!("review-pause")
            } else {
                tr!("review-play")
            })
            .size(16),
        )
        .padding([6, 18])
        .on_press_maybe(self.player.is_some().then_some(Message::PlayPause));
        let speeds: Vec<Speed> = SPEEDS.iter().map(|s| Speed(*s)).collect();
        let tracks: Vec<TrackChoice> = self
            .player
            .as_ref()
            .map(|p| {
                p.tracks
                    .iter()
                    .map(|t| TrackChoice(t.index, t.title.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let track = tracks.get(self.track).cloned();
        let parts: Vec<PartChoice> = self
            .review()
            .parts
            .iter()
            .map(|p| PartChoice(p.number))
            .collect();
        let controls = row![
            button_for(tr!("review-back-minute"), Message::Skip(-60_000)),
            button_for(tr!("review-back-10"), Message::Skip(-10_000)),
            play,
            button_for(tr!("review-ahead-10"), Message::Skip(10_000)),
            button_for(tr!("review-ahead-minute"), Message::Skip(60_000)),
            text(format!(
                "{} / {}",
                clock(self.position_ms),
                clock(self.duration_ms)
            ))
            .size(15),
        ]
        .spacing(6)
        .align_y(iced::Center);
        let choices = row![
            pick_list(speeds, Some(Speed(self.rate)), Message::Speed).text_size(14),
            pick_list(tracks, track, Message::Track)
                .placeholder(tr!("review-track"))
                .text_size(14),
            pick_list(parts, Some(PartChoice(self.part)), Message::Part).text_size(14),
            text(tr!("review-volume")).size(14),
            slider(0.0..=2.0, self.volume, Message::Volume)
                .step(0.05)
                .width(120),
        ]
        .spacing(8)
        .align_y(iced::Center);
        let clip = row![
            text(tr!("review-clip")).size(14),
            text_input("0:00:00", &self.clip_from)
                .on_input(Message::ClipFrom)
                .width(90)
                .size(14),
            button_for(tr!("review-clip-here"), Message::ClipFromHere),
            text("–").size(14),
            text_input("0:00:00", &self.clip_to)
                .on_input(Message::ClipTo)
                .width(90)
                .size(14),
            button_for(tr!("review-clip-here"), Message::ClipToHere),
            button(text(tr!("review-clip-export")).size(14))
                .on_press_maybe((!self.exporting).then_some(Message::ExportClip)),
        ]
        .spacing(6)
        .align_y(iced::Center);
        column![
            container(picture).height(Fill).width(Fill),
            self.marks_view(),
            bar,
            controls,
            choices,
            clip,
            text(tr!("review-keys")).size(12),
        ]
        .spacing(8)
        .into()
    }

    /// The marks of the shown part, placed along the seek bar; each plays its entry.
    fn marks_view(&self) -> Element<'_, Message> {
        let length = self.duration_ms.max(1);
        let mut marks = self.review().marks(self.part, &self.query);
        marks.sort_by_key(|m| m.at_ms);
        let mut strip = row![].height(14);
        let mut last = 0i64;
        for mark in marks {
            let at = mark.at_ms.clamp(0, length);
            let gap = ((at - last) * 1000 / length).max(0) as u16;
            if gap > 0 {
                strip = strip.push(Space::new().width(FillPortion(gap)));
            }
            last = at;
            let color = match mark.kind {
                MarkKind::Entry => iced::Color::from_rgb(0.35, 0.45, 0.6),
                MarkKind::Recess => iced::Color::from_rgb(0.85, 0.6, 0.1),
                MarkKind::Incident => iced::Color::from_rgb(0.8, 0.2, 0.2),
                MarkKind::Match => iced::Color::from_rgb(0.1, 0.65, 0.3),
            };
            let tick = container(Space::new().width(4).height(14))
                .style(move |_| container::Style::default().background(color));
            strip = strip.push(match mark.entry {
                Some(index) => Element::from(
                    button(tick)
                        .padding(0)
                        .style(button::text)
                        .on_press(Message::Entry(index)),
                ),
                None => tick.into(),
            });
        }
        let rest = ((length - last) * 1000 / length).max(1) as u16;
        strip.push(Space::new().width(FillPortion(rest))).into()
    }

    fn protocol_view(&self) -> Element<'_, Message> {
        let review = self.review();
        let kinds: Vec<Choice> = review
            .kinds()
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect();
        let kind = kinds
            .iter()
            .find(|k| Some(&k.value) == self.query.kind.as_ref())
            .cloned();
        let speakers: Vec<Choice> = review
            .speakers()
            .into_iter()
            .map(|name| Choice {
                value: name.clone(),
                label: name,
            })
            .collect();
        let speaker = speakers
            .iter()
            .find(|s| Some(&s.value) == self.query.speaker.as_ref())
            .cloned();
        let search = column![
            text_input(&tr!("review-search"), &self.query.text)
                .id(SEARCH)
                .on_input(Message::Search)
                .padding(8),
            row![
                pick_list(kinds, kind, |k| Message::Kind(Some(k)))
                    .placeholder(tr!("review-any-kind"))
                    .text_size(13),
                pick_list(speakers, speaker, |s| Message::Speaker(Some(s)))
                    .placeholder(tr!("review-any-speaker"))
                    .text_size(13),
                button(text(tr!("review-clear")).size(13))
                    .style(button::secondary)
                    .on_press_maybe((!self.query.is_empty()).then_some(Message::ClearSearch)),
            ]
            .spacing(6),
        ]
        .spacing(6);
        let shown = self.shown();
        let mut list = column![].spacing(2);
        for index in &shown {
            let link = &review.document.entries[*index];
            list = list.push(self.entry_line(*index, link));
            for addendum in review.addenda_of(link.seq) {
                list = list.push(
                    container(
                        text(tr!(
                            "review-addendum",
                            time = addendum.local_time.clone(),
                            text = addendum.text.clone()
                        ))
                        .size(13)
                        .style(text::warning),
                    )
                    .padding(iced::Padding::default().left(28)),
                );
            }
        }
        if shown.is_empty() {
            list = list.push(text(if review.document.entries.is_empty() {
                tr!("review-no-entries")
            } else {
                tr!("review-none-found")
            }));
        }
        // This court's own records: the secretary may write an addendum to the entry chosen.
        let addendum = self
            .selected
            .filter(|_| review.source == Source::Database)
            .map(|index| {
                button(text(tr!("review-write-addendum")).size(13))
                    .style(button::secondary)
                    .on_press(Message::Addendum(index))
            });
        column![
            search,
            text(tr!(
                "review-found",
                shown = (shown.len() as i64),
                all = (review.document.entries.len() as i64)
            ))
            .size(12),
            rule::horizontal(1),
            scrollable(list).id(LIST).height(Fill),
        ]
        .push(addendum)
        .spacing(8)
        .into()
    }

    fn entry_line<'a>(&'a self, index: usize, link: &'a Link) -> Element<'a, Message> {
        let at = match (link.part, link.offset_ms) {
            (Some(part), Some(offset)) => format!("{part}·{}", clock(offset)),
            _ => tr!("doc-not-recorded"),
        };
        let kind = if link.kind_label.is_empty() {
            String::new()
        } else {
            format!("[{}] ", link.kind_label)
        };
        let speaker = link
            .speaker
            .as_ref()
            .map(|s| format!("{s}: "))
            .unwrap_or_default();
        let playing = self.current == Some(index);
        let selected = self.selected == Some(index);
        let line = row![
            text(at).size(13).width(90).font(iced::Font::MONOSPACE),
            text(format!("{kind}{speaker}{}", link.text))
                .size(14)
                .width(Fill),
        ]
        .spacing(8);
        button(line)
            .width(Fill)
            .padding([4, 6])
            .style(move |theme: &iced::Theme, status| {
                let palette = theme.extended_palette();
                let background = if playing {
                    Some(palette.primary.weak.color.into())
                } else if selected || matches!(status, button::Status::Hovered) {
                    Some(palette.background.strong.color.into())
                } else {
                    None
                };
                button::Style {
                    background,
                    text_color: if playing {
                        palette.primary.weak.text
                    } else {
                        palette.background.base.text
                    },
                    border: iced::border::rounded(4),
                    ..button::Style::default()
                }
            })
            .on_press(Message::Entry(index))
            .into()
    }
}
