//! The court's cases, from the court server: the judge's desk (and the archivist's). Every
//! case the courtrooms recorded, latest session first, searchable by case number, judge,
//! participant, category and date; a case opens for review straight from the server, and
//! on the archivist's desk its discs are accepted.

use std::path::PathBuf;
use std::sync::Arc;

use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Element, Fill, Task};

use hattama::config::{Config, Role};
use hattama::delivery::cases::{Case, Listed};
use hattama::disc::accept::AcceptError;
use hattama::paths::Paths;
use hattama::review::stream::StreamError;
use hattama::tr;

use super::blocking;
use crate::widget::{self, Shown};

/// The court server the desk reads (the configuration's name for it).
pub const SERVER: &str = "server";

#[derive(Debug, Clone)]
pub enum Message {
    Listed(Option<Result<Arc<Listed>, Arc<StreamError>>>),
    Search(String),
    Refresh,
    Review(String),
    Accept(String),
    Chosen(String, Option<Vec<PathBuf>>),
    Accepted(Option<Result<Arc<Accepted>, AcceptError>>),
    Back,
    /// The problem panel's buttons.
    Panel(widget::Panel),
}

pub enum Action {
    None,
    Run(Task<Message>),
    /// Open this case's review from the server.
    Review(String),
    Back,
}

/// What the archivist's acceptance of a case found and recorded.
#[derive(Debug)]
pub struct Accepted {
    pub case_number: String,
    /// Each listed disc, and whether a given disc answered it (or why not).
    pub lines: Vec<String>,
    pub complete: bool,
    /// Where the acceptance was recorded on the server.
    pub recorded: String,
}

pub struct Cases {
    paths: Paths,
    config: Config,
    listed: Option<Arc<Listed>>,
    loading: bool,
    search: String,
    /// The case being opened from the server.
    opening: Option<String>,
    accepting: Option<String>,
    accepted: Option<Arc<Accepted>>,
    problem: Option<Shown>,
}

impl Cases {
    pub fn new(paths: Paths, config: Config) -> (Self, Task<Message>) {
        let mut screen = Self {
            paths,
            config,
            listed: None,
            loading: false,
            search: String::new(),
            opening: None,
            accepting: None,
            accepted: None,
            problem: None,
        };
        let task = screen.refresh();
        (screen, task)
    }

    fn refresh(&mut self) -> Task<Message> {
        self.loading = true;
        let (paths, config) = (self.paths.clone(), self.config.clone());
        blocking(move || {
            hattama::review::stream::list_cases(&paths, &config, SERVER)
                .map(Arc::new)
                .map_err(Arc::new)
        })
        .map(Message::Listed)
    }

    /// Opening the case from the server failed: said here.
    pub fn show(&mut self, problem: &dyn hattama::problem::Problem) {
        self.opening = None;
        self.problem = Some(Shown::of(problem));
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Listed(listed) => {
                self.loading = false;
                match listed {
                    Some(Ok(listed)) => self.listed = Some(listed),
                    Some(Err(error)) => self.problem = Some(Shown::of(error.as_ref())),
                    None => {}
                }
            }
            Message::Search(search) => self.search = search,
            Message::Refresh => return Action::Run(self.refresh()),
            Message::Review(case) => {
                self.opening = Some(case.clone());
                return Action::Review(case);
            }
            Message::Accept(case) => {
                let title = tr!("cases-accept-choose", case = case.clone());
                let chosen = Task::perform(
                    async move {
                        rfd::AsyncFileDialog::new()
                            .set_title(title)
                            .add_filter("ISO", &["iso"])
                            .pick_files()
                            .await
                            .map(|files| files.into_iter().map(|f| f.path().to_owned()).collect())
                    },
                    move |files| Message::Chosen(case.clone(), files),
                );
                return Action::Run(chosen);
            }
            Message::Chosen(_, None) => {}
            Message::Chosen(case, Some(discs)) => {
                self.accepting = Some(case.clone());
                self.accepted = None;
                let (paths, config) = (self.paths.clone(), self.config.clone());
                let task = blocking(move || accept(&paths, &config, &case, &discs).map(Arc::new))
                    .map(Message::Accepted);
                return Action::Run(task);
            }
            Message::Accepted(done) => {
                self.accepting = None;
                match done {
                    Some(Ok(accepted)) => self.accepted = Some(accepted),
                    Some(Err(error)) => self.problem = Some(Shown::of(&error)),
                    None => {}
                }
            }
            Message::Back => return Action::Back,
            Message::Panel(pressed) => {
                return Action::Run(widget::panel(&mut self.problem, pressed));
            }
        }
        Action::None
    }

    pub fn view(&self) -> Element<'_, Message> {
        let role = self.config.workstation.role;
        let title = match role {
            Role::Archivist => tr!("cases-title-archivist"),
            _ => tr!("cases-title"),
        };
        let mut header = row![
            column![text(title).size(28), text(self.config.court.name.clone()),].width(Fill),
            button(text(tr!("cases-refresh")))
                .padding([10, 18])
                .style(button::secondary)
                .on_press_maybe((!self.loading).then_some(Message::Refresh)),
        ]
        .spacing(10);
        if role == Role::Secretary {
            header = header.push(
                button(text(format!("← {}", tr!("back-to-sessions"))))
                    .padding([10, 18])
                    .style(button::secondary)
                    .on_press(Message::Back),
            );
        }
        let search = text_input(&tr!("cases-search"), &self.search)
            .id("cases-search")
            .on_input(Message::Search)
            .padding(10);
        let mut page = column![header, search].spacing(14);
        if let Some(problem) = &self.problem {
            page = page.push(widget::problem(problem, Message::Panel));
        }
        if let Some(case) = &self.opening {
            page = page.push(text(tr!("cases-opening", case = case.clone())).size(14));
        }
        if let Some(case) = &self.accepting {
            page = page.push(text(tr!("cases-accepting", case = case.clone())).size(14));
        }
        if let Some(accepted) = &self.accepted {
            page = page.push(accepted_panel(accepted));
        }
        let mut list = column![].spacing(8);
        match &self.listed {
            None if self.loading => list = list.push(text(tr!("cases-loading"))),
            None => {}
            Some(listed) => {
                let shown: Vec<&Case> = listed
                    .cases
                    .iter()
                    .filter(|case| case.matches(&self.search))
                    .collect();
                if listed.cases.is_empty() {
                    list = list.push(text(tr!("cases-empty")));
                } else if shown.is_empty() {
                    list = list.push(text(tr!(
                        "sessions-none-found",
                        query = self.search.clone()
                    )));
                }
                for case in shown {
                    list = list.push(case_row(case, role, self.opening.is_none()));
                }
                if !listed.refused.is_empty() {
                    list = list.push(
                        text(tr!("cases-refused", count = (listed.refused.len() as i64)))
                            .size(13)
                            .style(text::danger),
                    );
                }
            }
        }
        page = page
            .push(rule::horizontal(1))
            .push(scrollable(list).height(Fill));
        container(page).padding(24).width(Fill).height(Fill).into()
    }
}

fn case_row(case: &Case, role: Role, idle: bool) -> Element<'_, Message> {
    let names = |set: &std::collections::BTreeSet<String>| {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    };
    let mut about = column![
        text(case.case_number.clone()).size(18),
        text(tr!(
            "cases-row",
            last = case.last.clone(),
            sessions = (case.sessions.len() as i64),
            parts = (case.parts() as i64)
        ))
        .size(14),
    ]
    .spacing(2)
    .width(Fill);
    if !case.judges.is_empty() {
        about = about.push(text(tr!("cases-judges", names = names(&case.judges))).size(14));
    }
    if !case.participants.is_empty() {
        about = about.push(
            text(tr!("cases-participants", names = names(&case.participants)))
                .size(14)
                .style(text::secondary),
        );
    }
    let number = case.case_number.clone();
    let action = match role {
        Role::Archivist => button(text(tr!("cases-accept")))
            .padding([8, 16])
            .on_press_maybe(idle.then_some(Message::Accept(number))),
        _ => button(text(tr!("cases-review")))
            .padding([8, 16])
            .on_press_maybe(idle.then_some(Message::Review(number))),
    };
    container(row![about, action].spacing(12).align_y(iced::Center))
        .padding(10)
        .style(container::rounded_box)
        .width(Fill)
        .into()
}

fn accepted_panel(accepted: &Accepted) -> Element<'_, Message> {
    let (headline, style): (String, fn(&iced::Theme) -> text::Style) = if accepted.complete {
        (
            tr!("cases-accepted", case = accepted.case_number.clone()),
            text::success,
        )
    } else {
        (
            tr!(
                "cases-accepted-missing",
                case = accepted.case_number.clone()
            ),
            text::danger,
        )
    };
    let mut panel = column![text(headline).size(16).style(style)].spacing(4);
    for line in &accepted.lines {
        panel = panel.push(text(line.clone()).size(14));
    }
    panel = panel.push(
        text(tr!(
            "cases-accepted-recorded",
            place = accepted.recorded.clone()
        ))
        .size(13)
        .style(text::secondary),
    );
    container(panel).padding(12).width(Fill).into()
}

/// The archivist's acceptance of `case` with `discs`, checked and recorded on the server as
/// `hattama accept` does.
fn accept(
    paths: &Paths,
    config: &Config,
    case: &str,
    discs: &[PathBuf],
) -> Result<Accepted, AcceptError> {
    use hattama::delivery::events;
    use hattama::disc::accept;
    let target = config
        .delivery
        .target_named(SERVER)
        .ok_or(AcceptError::NoServer)?;
    let trusted = hattama::seal::trusted_keys(paths);
    let record = events::case_events(target, &config.court.name, case, &trusted)?;
    let by = config.operator.name.clone();
    let acceptance = accept::check(record, discs, &trusted, &by)?;
    let lines = acceptance.lines();
    let complete = acceptance.complete();
    let sealer = hattama::seal::Sealer::open(paths, config)?;
    let recorded = events::record(&acceptance.event, &sealer, target)?;
    Ok(Accepted {
        case_number: case.to_owned(),
        lines,
        complete,
        recorded,
    })
}
