//! The case disc screen drawn: the plan of the set, the images with their progress and\n//! burning, and the case's inventory.

use iced::widget::{
    button, column, container, pick_list, progress_bar, row, rule, scrollable, text,
};
use iced::{Element, Fill};

use hattama::disc::Media;
use hattama::disc::burn::ReadBack;
use hattama::tr;

use super::{DiscCopy, MediaChoice, Message, inventory_line};
use crate::widget::{self};

impl DiscCopy {
    pub fn view(&self) -> Element<'_, Message> {
        let header = row![
            button(text(format!("← {}", tr!("back-to-sessions"))))
                .style(button::secondary)
                .on_press_maybe((!self.is_busy()).then_some(Message::Back)),
            text(tr!("disc-title", case = self.case_number.clone())).size(24),
        ]
        .spacing(12)
        .align_y(iced::Center);
        let choices: Vec<MediaChoice> = Media::ALL.into_iter().map(MediaChoice).collect();
        let media = row![
            text(tr!("disc-media")),
            pick_list(choices, Some(MediaChoice(self.media)), Message::Media),
            text(tr!(
                "disc-folder",
                folder = self.folder.display().to_string()
            ))
            .width(Fill),
            button(text(tr!("disc-choose-folder")))
                .style(button::secondary)
                .on_press_maybe((!self.is_busy()).then_some(Message::ChooseFolder)),
        ]
        .spacing(10)
        .align_y(iced::Center);
        let mut page = column![header, media].spacing(14);
        if let Some(problem) = &self.problem {
            page = page.push(widget::problem(problem, Message::Panel));
        }
        if let Some(notice) = &self.notice {
            page = page.push(text(notice.clone()));
        }
        page = page.push(self.plan_view());
        if let Some((disc, progress)) = &self.building {
            let of = self.plans.as_ref().map_or(1, Vec::len);
            let percent = progress.percent() as f32;
            page = page.push(
                column![
                    text(format!(
                        "{} {} / {of} — {}",
                        tr!("disc-disc"),
                        disc + 1,
                        progress.line()
                    )),
                    row![
                        progress_bar(0.0..=100.0, percent),
                        button(text(tr!("disc-cancel")))
                            .style(button::danger)
                            .on_press(Message::Cancel),
                    ]
                    .spacing(10)
                    .align_y(iced::Center),
                ]
                .spacing(6),
            );
        }
        page = page.push(self.images_view());
        page = page.push(crate::screen::checked_line(
            self.checking,
            self.checked.as_ref(),
        ));
        page = page.push(rule::horizontal(1)).push(self.inventory_view());
        container(scrollable(page.padding(24)).height(Fill))
            .width(Fill)
            .height(Fill)
            .into()
    }

    fn plan_view(&self) -> Element<'_, Message> {
        let Some(plans) = &self.plans else {
            return text(tr!("disc-planning")).into();
        };
        let mut list = column![].spacing(4);
        for plan in plans {
            list = list.push(text(tr!(
                "disc-planned",
                disc = plan.number,
                of = plan.of,
                label = plan.label.clone(),
                megabytes = format!("{:.1}", plan.bytes() as f64 / 1e6),
                parts = plan.parts.len()
            )));
        }
        for part in &self.unsealed {
            list = list.push(
                text(tr!(
                    "disc-unsealed",
                    session = part.session_id,
                    part = part.number
                ))
                .style(text::danger),
            );
        }
        let build = button(text(tr!("disc-build", count = plans.len())))
            .padding([10, 18])
            .on_press_maybe((!plans.is_empty() && !self.is_busy()).then_some(Message::Build));
        column![list, build].spacing(10).into()
    }

    fn images_view(&self) -> Element<'_, Message> {
        let mut list = column![].spacing(6);
        if !self.built.is_empty() {
            if self.drives.is_empty() {
                list = list.push(text(tr!("disc-drives-none-window")));
            } else {
                let addresses: Vec<String> =
                    self.drives.iter().map(|d| d.address.clone()).collect();
                list = list.push(
                    row![
                        text(tr!("disc-drive")),
                        pick_list(addresses, self.drive.clone(), Message::Drive),
                    ]
                    .spacing(10)
                    .align_y(iced::Center),
                );
            }
        }
        for (index, image) in self.built.iter().enumerate() {
            let burned = self
                .burned
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, r)| r);
            let mut line = row![
                text(image.summary()).width(Fill),
                button(text(tr!("seal-check")))
                    .style(button::secondary)
                    .on_press_maybe((!self.checking).then_some(Message::Check(index))),
                button(text(tr!("disc-burn"))).on_press_maybe(
                    (self.drive.is_some() && !self.is_busy()).then_some(Message::Burn(index))
                ),
            ]
            .spacing(10)
            .align_y(iced::Center);
            if let Some((burning, what)) = &self.burning
                && *burning == index
            {
                line = line.push(text(what.clone()));
            }
            list = list.push(line);
            if let Some(read_back) = burned {
                let drive = self.drive.clone().unwrap_or_default();
                list = list.push(match read_back {
                    ReadBack::Match { sha256, .. } => text(tr!(
                        "disc-burn-match",
                        drive = drive,
                        sha256 = sha256.clone()
                    ))
                    .style(text::success),
                    differs => text(tr!(
                        "disc-burn-differs",
                        drive = drive,
                        summary = differs.summary()
                    ))
                    .style(text::danger),
                });
            }
        }
        list.into()
    }

    fn inventory_view(&self) -> Element<'_, Message> {
        let mut list = column![
            row![
                text(tr!("disc-inventory-title")).size(20).width(Fill),
                button(text(tr!("disc-save-page")))
                    .style(button::secondary)
                    .on_press(Message::SavePage),
            ]
            .align_y(iced::Center)
        ]
        .spacing(4);
        if self.inventory.is_empty() {
            list = list.push(text(tr!(
                "disc-inventory-none",
                case = self.case_number.clone()
            )));
        }
        for disc in &self.inventory {
            list = list.push(text(inventory_line(disc, self.config.court.time_zone())));
        }
        list.into()
    }
}
