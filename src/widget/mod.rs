//! Pieces the screens share: the problem panel, the confirmation dialog, level meters.

use iced::widget::{
    button, center, column, container, mouse_area, opaque, progress_bar, row, stack, text,
};
use iced::{Color, Element, Fill};

use hattama::problem::Problem;
use hattama::tr;

/// A problem as the window shows it: computed once, in the language of the moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub title: String,
    pub help: String,
    pub details: String,
}

impl Shown {
    pub fn of(problem: &dyn Problem) -> Self {
        Self {
            title: problem.title(),
            help: problem.help(),
            details: problem.details(),
        }
    }
}

/// What is pressed on a problem panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// Put the details on the clipboard, for a report.
    CopyDetails,
    /// Put the panel away.
    Dismiss,
}

/// Does what was pressed on the panel showing `problem`: every screen's one arm for it.
pub fn panel<M: Send + 'static>(problem: &mut Option<Shown>, pressed: Panel) -> iced::Task<M> {
    match pressed {
        Panel::CopyDetails => copy_details(problem),
        Panel::Dismiss => {
            *problem = None;
            iced::Task::none()
        }
    }
}

/// Puts a problem's details on the clipboard, for a report.
pub fn copy_details<M: Send + 'static>(problem: &Option<Shown>) -> iced::Task<M> {
    match problem {
        Some(problem) => iced::clipboard::write(problem.details.clone()),
        None => iced::Task::none(),
    }
}

/// Title, what to do, the details, and buttons to copy them and to put the panel away;
/// `on` makes each button's message.
pub fn problem<'a, M: Clone + 'a>(shown: &'a Shown, on: impl Fn(Panel) -> M) -> Element<'a, M> {
    container(
        column![
            text(&shown.title).size(20),
            text(&shown.help),
            text(&shown.details).size(13).font(iced::Font::MONOSPACE),
            row![
                button(text(tr!("copy-details")))
                    .style(button::secondary)
                    .on_press(on(Panel::CopyDetails)),
                button(text(tr!("dismiss")))
                    .style(button::secondary)
                    .on_press(on(Panel::Dismiss)),
            ]
            .spacing(8),
        ]
        .spacing(6),
    )
    .padding(12)
    .width(Fill)
    .style(|theme| container::danger(theme).border(iced::border::rounded(6)))
    .into()
}

/// `base` with a dialog over it that takes every click.
pub fn modal<'a, M: Clone + 'a>(
    base: Element<'a, M>,
    title: String,
    body: String,
    choices: Vec<(String, M, bool)>,
) -> Element<'a, M> {
    let buttons = row(choices.into_iter().map(|(label, message, primary)| {
        button(text(label))
            .padding([10, 16])
            .style(if primary {
                button::primary
            } else {
                button::secondary
            })
            .on_press(message)
            .into()
    }))
    .spacing(10);
    let dialog = container(column![text(title).size(24), text(body), buttons].spacing(14))
        .padding(24)
        .max_width(640)
        .style(container::bordered_box);
    stack![
        base,
        opaque(mouse_area(center(opaque(dialog)).style(|_| {
            container::background(Color {
                a: 0.6,
                ..Color::BLACK
            })
        })))
    ]
    .into()
}

/// A sound level in dBFS on a bar from −60 to 0: green, amber from −12, red from −3.
pub fn level_meter<'a, M: 'a>(level_db: f64) -> Element<'a, M> {
    let loudest = level_db.clamp(-60.0, 0.0) as f32;
    progress_bar(-60.0..=0.0, loudest)
        .girth(10)
        .style(move |theme| {
            let mut style = progress_bar::primary(theme);
            style.bar = iced::Background::Color(if loudest > -3.0 {
                Color::from_rgb8(0xd3, 0x2f, 0x2f)
            } else if loudest > -12.0 {
                Color::from_rgb8(0xf9, 0xa8, 0x25)
            } else {
                Color::from_rgb8(0x2e, 0x7d, 0x32)
            });
            style
        })
        .into()
}

/// A value with the words a pick list shows for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled<T> {
    pub value: T,
    pub label: String,
}

impl<T> Labelled<T> {
    pub fn new(value: T, label: impl Into<String>) -> Self {
        Self {
            value,
            label: label.into(),
        }
    }
}

impl<T> std::fmt::Display for Labelled<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// A label above its field.
pub fn field<'a, M: 'a>(label: String, input: impl Into<Element<'a, M>>) -> Element<'a, M> {
    column![text(label).size(14), input.into()]
        .spacing(4)
        .into()
}
