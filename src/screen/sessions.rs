//! The list of court sessions, today's first, searchable by case number and by name.

use chrono::Utc;
use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Element, Fill, Task};

use hattama::config::Config;
use hattama::session::{self, Session};
use hattama::store::StoreError;
use hattama::tr;

use std::path::PathBuf;

use hattama::paths::Paths;

use super::{Checked, Database, date_time};
use crate::widget::{self, Shown};

pub struct Sessions {
    sessions: Vec<Session>,
    /// How many of `sessions` are today's (they come first).
    today: usize,
    query: String,
    loaded: bool,
    problem: Option<Shown>,
    checking: bool,
    checked: Option<Checked>,
    database: Database,
    /// The daily equipment check: under way, and its latest result shown.
    equipment_checking: bool,
    equipment: Option<hattama::store::EquipmentCheck>,
    /// Where the check's page was saved, to say so.
    saved_page: Option<String>,
    /// The guided steps of the check, while a person makes them.
    guided: Option<Guided>,
    /// Incidents awaiting their technical act (rule 29), oldest first.
    awaiting: Vec<hattama::act::Listed>,
}

/// The check's guided steps (rules 7, 17): someone speaks into each microphone and the
/// video-conference input, and hears it played back.
#[derive(Debug, Clone)]
pub struct Guided {
    /// The automatic steps, then each guided one as it is made.
    pub steps: Vec<hattama::check::Step>,
    pub inputs: Vec<hattama::recorder::Input>,
    /// The input being checked.
    pub at: usize,
    pub listening: bool,
    /// What was heard and played back, waiting for the person's answer.
    pub heard: Option<hattama::check::Heard>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Vec<Session>, StoreError>),
    Awaiting(Result<Vec<hattama::act::Listed>, StoreError>),
    Search(String),
    Open(i64),
    New,
    Settings,
    CourtCases,
    /// Check a folder or a mounted disc chosen in a dialog.
    CheckFolder,
    /// Check a disc image (ISO) chosen in a dialog.
    CheckImage,
    Picked(Option<PathBuf>),
    /// Review a disc, or a folder copied from one, without the database.
    ReviewFolder,
    /// Review a disc image.
    ReviewImage,
    ReviewPicked(Option<PathBuf>),
    Checked(Option<Checked>),
    /// Run the daily equipment check's automatic steps.
    CheckEquipment,
    EquipmentSteps(Option<(Vec<hattama::check::Step>, Vec<hattama::recorder::Input>)>),
    /// Listen to the current input while someone speaks into it, then play it back.
    GuidedListen,
    GuidedHeard(Option<Result<hattama::check::Heard, String>>),
    /// The person heard it played back, or not.
    GuidedAnswer(bool),
    GuidedSkip,
    /// Skip every guided step left and keep the check.
    GuidedFinish,
    EquipmentChecked(Result<hattama::store::EquipmentCheck, StoreError>),
    /// Save the check shown as a page to print.
    SaveCheckPage,
    CheckPageTo(Option<PathBuf>),
    CopyDetails,
    Dismiss,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Open(Box<Session>),
    /// Review what a disc, image or folder holds.
    Review(PathBuf),
    New,
    Settings,
    /// The court's cases on the court server.
    Cases,
}

impl Sessions {
    pub fn new(database: &Database, zone: chrono::FixedOffset) -> (Self, Task<Message>) {
        let screen = Self {
            sessions: Vec::new(),
            today: 0,
            query: String::new(),
            loaded: false,
            problem: None,
            checking: false,
            checked: None,
            database: database.clone(),
            equipment_checking: false,
            equipment: None,
            saved_page: None,
            guided: None,
            awaiting: Vec::new(),
        };
        let awaiting =
            database.run(move |store| hattama::act::list(store, false, zone, Utc::now()));
        (
            screen,
            Task::batch([
                database.run(|store| store.sessions()).map(Message::Loaded),
                awaiting.map(Message::Awaiting),
            ]),
        )
    }

    #[cfg(test)]
    pub fn checked(&self) -> Option<&Checked> {
        self.checked.as_ref()
    }

    pub fn update(&mut self, message: Message, config: &Config, paths: &Paths) -> Action {
        match message {
            Message::Loaded(Ok(mut sessions)) => {
                let zone = config.court.time_zone();
                let today = Utc::now().with_timezone(&zone).date_naive();
                self.today = session::order_for_today(&mut sessions, today, zone);
                self.sessions = sessions;
                self.loaded = true;
            }
            Message::Loaded(Err(error)) | Message::Awaiting(Err(error)) => {
                self.problem = Some(Shown::of(&error));
            }
            Message::Awaiting(Ok(awaiting)) => self.awaiting = awaiting,
            Message::Search(query) => self.query = query,
            Message::Open(id) => {
                if let Some(session) = self.sessions.iter().find(|s| s.id == id) {
                    return Action::Open(Box::new(session.clone()));
                }
            }
            Message::New => return Action::New,
            Message::Settings => return Action::Settings,
            Message::CourtCases => return Action::Cases,
            Message::CheckFolder => {
                return Action::Run(pick(tr!("seal-check-folder"), false, Message::Picked));
            }
            Message::CheckImage => {
                return Action::Run(pick(tr!("seal-check-image"), true, Message::Picked));
            }
            Message::ReviewFolder => {
                return Action::Run(pick(
                    tr!("review-open-folder"),
                    false,
                    Message::ReviewPicked,
                ));
            }
            Message::ReviewImage => {
                return Action::Run(pick(tr!("review-open-image"), true, Message::ReviewPicked));
            }
            Message::ReviewPicked(Some(path)) => return Action::Review(path),
            Message::ReviewPicked(None) => {}
            Message::Picked(Some(path)) => {
                self.checking = true;
                self.checked = None;
                return Action::Run(super::check(path, paths).map(Message::Checked));
            }
            Message::Picked(None) => {}
            Message::Checked(checked) => {
                self.checking = false;
                self.checked = checked;
            }
            Message::CheckEquipment => {
                self.equipment_checking = true;
                self.equipment = None;
                let (paths, config) = (paths.clone(), config.clone());
                return Action::Run(
                    super::blocking(move || {
                        let steps = hattama::check::automatic(&paths, &config);
                        (steps, hattama::check::sound_inputs(&config))
                    })
                    .map(Message::EquipmentSteps),
                );
            }
            Message::EquipmentSteps(Some((steps, inputs))) => {
                if inputs.is_empty() {
                    return self.keep_check(steps, config);
                }
                self.guided = Some(Guided {
                    steps,
                    inputs,
                    at: 0,
                    listening: false,
                    heard: None,
                });
            }
            Message::GuidedListen => {
                if let Some(guided) = &mut self.guided
                    && let Some(input) = guided.inputs.get(guided.at).cloned()
                {
                    guided.listening = true;
                    guided.heard = None;
                    return Action::Run(
                        super::blocking(move || {
                            let heard = hattama::check::listen(&input, hattama::check::SPEAK_FOR)?;
                            if let Err(error) = hattama::check::play_back(&heard) {
                                // The person then says they did not hear it.
                                tracing::warn!("playing back {}: {error}", input.name);
                            }
                            Ok(heard)
                        })
                        .map(Message::GuidedHeard),
                    );
                }
            }
            Message::GuidedHeard(heard) => {
                if let Some(guided) = &mut self.guided {
                    guided.listening = false;
                    match heard {
                        Some(Ok(heard)) => guided.heard = Some(heard),
                        Some(Err(error)) => {
                            let name = guided.inputs[guided.at].name.clone();
                            guided
                                .steps
                                .push(hattama::check::Step::failed("spoken", &name, error));
                            return self.next_guided(config);
                        }
                        None => {}
                    }
                }
            }
            Message::GuidedAnswer(yes) => {
                if let Some(guided) = &mut self.guided
                    && let Some(heard) = guided.heard.take()
                {
                    let name = &guided.inputs[guided.at].name;
                    guided
                        .steps
                        .push(hattama::check::spoken_step(name, &heard, yes));
                    return self.next_guided(config);
                }
            }
            Message::GuidedSkip => {
                if let Some(guided) = &mut self.guided {
                    let name = guided.inputs[guided.at].name.clone();
                    guided.steps.push(hattama::check::Step::skipped(
                        "spoken",
                        &name,
                        tr!("check-guided-skipped"),
                    ));
                    return self.next_guided(config);
                }
            }
            Message::GuidedFinish => {
                if let Some(guided) = &mut self.guided {
                    for input in &guided.inputs[guided.at..] {
                        guided.steps.push(hattama::check::Step::skipped(
                            "spoken",
                            &input.name,
                            tr!("check-guided-skipped"),
                        ));
                    }
                    guided.at = guided.inputs.len();
                    return self.next_guided(config);
                }
            }
            Message::EquipmentSteps(None) => self.equipment_checking = false,
            Message::EquipmentChecked(Ok(check)) => {
                self.equipment_checking = false;
                self.equipment = Some(check);
            }
            Message::EquipmentChecked(Err(error)) => {
                self.equipment_checking = false;
                self.problem = Some(Shown::of(&error));
            }
            Message::SaveCheckPage => {
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title(tr!("check-save-page"))
                    .add_filter("HTML", &["html"])
                    .set_file_name("equipment-check.html")
                    .save_file();
                return Action::Run(Task::perform(dialog, |picked| {
                    Message::CheckPageTo(picked.map(|handle| handle.path().to_owned()))
                }));
            }
            Message::CheckPageTo(Some(path)) => {
                if let Some(check) = &self.equipment {
                    let page = hattama::check::page(check, config.court.time_zone());
                    match hattama::output::write_chosen(&path, &paths.data, page.as_bytes()) {
                        Ok(()) => {
                            self.saved_page =
                                Some(tr!("check-page-saved", path = path.display().to_string()));
                        }
                        Err(error) => self.problem = Some(Shown::of(&error)),
                    }
                }
            }
            Message::CheckPageTo(None) => {}
            Message::CopyDetails => return Action::Run(widget::copy_details(&self.problem)),
            Message::Dismiss => {
                self.problem = None;
                self.equipment = None;
                self.saved_page = None;
            }
        }
        Action::None
    }

    /// Moves to the next guided step; after the last, keeps the check.
    fn next_guided(&mut self, config: &Config) -> Action {
        let Some(guided) = &mut self.guided else {
            return Action::None;
        };
        guided.at = (guided.at + 1).min(guided.inputs.len());
        guided.heard = None;
        if guided.at < guided.inputs.len() {
            return Action::None;
        }
        let steps = self.guided.take().map(|g| g.steps).unwrap_or_default();
        self.keep_check(steps, config)
    }

    /// Stores the check (who made it, their role, each step) and shows it.
    fn keep_check(&mut self, steps: Vec<hattama::check::Step>, config: &Config) -> Action {
        let by = config.operator.name.clone();
        let role = hattama::check::role_of(config.court.instance);
        let (court, hall) = (config.court.name.clone(), config.court.hall.clone());
        Action::Run(
            self.database
                .run(move |store| store.record_check(&by, role, &court, &hall, &steps))
                .map(Message::EquipmentChecked),
        )
    }

    #[cfg(test)]
    pub fn guided(&self) -> Option<&Guided> {
        self.guided.as_ref()
    }

    /// A problem another screen's work found (opening a review).
    pub fn show(&mut self, problem: &dyn hattama::problem::Problem) {
        self.problem = Some(Shown::of(problem));
    }

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
        if config.delivery.target_named(super::cases::SERVER).is_some() {
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
        page = page.push(super::checked_line(self.checking, self.checked.as_ref()));
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
            page = page.push(widget::problem(
                problem,
                Message::CopyDetails,
                Message::Dismiss,
            ));
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
                .on_press(Message::Dismiss),
        ]
        .spacing(8),
    );
    if let Some(saved) = saved {
        panel = panel.push(text(saved).size(13).style(text::success));
    }
    container(panel).padding(10).into()
}

/// A dialog for a folder (a disc, a copy) or a disc image; the answer as `answer`.
fn pick(title: String, image: bool, answer: fn(Option<PathBuf>) -> Message) -> Task<Message> {
    let dialog = rfd::AsyncFileDialog::new().set_title(title);
    let to_path = move |picked: Option<rfd::FileHandle>| {
        answer(picked.map(|handle| handle.path().to_owned()))
    };
    if image {
        Task::perform(
            dialog.add_filter("ISO 9660", &["iso", "ISO"]).pick_file(),
            to_path,
        )
    } else {
        Task::perform(dialog.pick_folder(), to_path)
    }
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
