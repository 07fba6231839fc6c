//! Opening a court session: the case, its category, the judge, the secretary and the
//! participants, with who takes part by video-conference and from where.

use iced::widget::{
    button, checkbox, column, container, pick_list, row, scrollable, text, text_input,
};
use iced::{Element, Fill, Task};

use hattama::config::Config;
use hattama::part;
use hattama::session::{Category, Participant, Role, Session};
use hattama::store::{NewSession as Opening, StoreError};
use hattama::tr;

use super::Database;
use crate::widget::{self, Labelled, Shown};

#[derive(Debug, Clone)]
struct Row {
    name: String,
    role: Role,
    remote: bool,
    location: String,
}

impl Default for Row {
    fn default() -> Self {
        Self {
            name: String::new(),
            role: Role::Plaintiff,
            remote: false,
            location: String::new(),
        }
    }
}

pub struct NewSession {
    case_number: String,
    category: Category,
    judge: String,
    secretary: String,
    people: Vec<Row>,
    notice: Option<Missing>,
    problem: Option<Shown>,
    creating: bool,
}

#[derive(Debug, Clone)]
pub enum Person {
    Name(String),
    Role(Role),
    Remote(bool),
    Location(String),
    Remove,
}

#[derive(Debug, Clone)]
pub enum Message {
    CaseNumber(String),
    Category(Category),
    Judge(String),
    Secretary(String),
    Person(usize, Person),
    AddPerson,
    Create,
    Created(Result<Box<Session>, StoreError>),
    Cancel,
    /// The problem panel's buttons.
    Panel(widget::Panel),
}

/// What the form still needs before a session opens; said in the language shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    #[error("{}", tr!("new-session-missing-case"))]
    Case,
    #[error("{}", tr!("new-session-missing-judge"))]
    Judge,
    /// A participant's row with a place or "remote" but no name.
    #[error("{}", tr!("new-session-missing-name"))]
    Name,
    /// A remote participant without the place they take part from.
    #[error("{}", tr!("new-session-missing-location", name = .0.clone()))]
    Location(String),
}

pub enum Action {
    None,
    Run(Task<Message>),
    Opened(Box<Session>),
    Cancel,
}

impl NewSession {
    pub fn new(config: &Config) -> Self {
        Self {
            case_number: String::new(),
            category: Category::default(),
            judge: String::new(),
            secretary: config.operator.name.clone(),
            people: vec![Row::default()],
            notice: None,
            problem: None,
            creating: false,
        }
    }

    pub fn update(&mut self, message: Message, config: &Config, database: &Database) -> Action {
        match message {
            Message::CaseNumber(number) => self.case_number = number,
            Message::Category(category) => self.category = category,
            Message::Judge(judge) => self.judge = judge,
            Message::Secretary(name) => self.secretary = name,
            Message::Person(index, change) => {
                if let Some(person) = self.people.get_mut(index) {
                    match change {
                        Person::Name(name) => person.name = name,
                        Person::Role(role) => person.role = role,
                        Person::Remote(remote) => person.remote = remote,
                        Person::Location(location) => person.location = location,
                        Person::Remove => {
                            self.people.remove(index);
                        }
                    }
                }
            }
            Message::AddPerson => self.people.push(Row::default()),
            Message::Create => match self.opening(config) {
                Ok(opening) => {
                    self.notice = None;
                    self.creating = true;
                    return Action::Run(
                        database
                            .run(move |store| {
                                let id = store.open_session(&opening)?;
                                store.session(id).map(Box::new)
                            })
                            .map(Message::Created),
                    );
                }
                Err(notice) => self.notice = Some(notice),
            },
            Message::Created(Ok(session)) => return Action::Opened(session),
            Message::Created(Err(error)) => {
                self.creating = false;
                self.problem = Some(Shown::of(&error));
            }
            Message::Cancel => return Action::Cancel,
            Message::Panel(pressed) => {
                return Action::Run(widget::panel(&mut self.problem, pressed));
            }
        }
        Action::None
    }

    /// The session to open, or what is missing. Rows left entirely empty are ignored.
    fn opening(&self, config: &Config) -> Result<Opening, Missing> {
        let case_number = self.case_number.trim();
        if case_number.is_empty() {
            return Err(Missing::Case);
        }
        if self.judge.trim().is_empty() {
            return Err(Missing::Judge);
        }
        let mut participants = Vec::new();
        for row in &self.people {
            let name = row.name.trim();
            if name.is_empty() {
                if row.remote || !row.location.trim().is_empty() {
                    return Err(Missing::Name);
                }
                continue;
            }
            let mut person = Participant::new(name, row.role);
            if row.remote {
                let location = row.location.trim();
                if location.is_empty() {
                    return Err(Missing::Location(name.to_owned()));
                }
                person = person.remote(location);
            }
            participants.push(person);
        }
        Ok(Opening {
            case_number: case_number.to_owned(),
            court: config.court.name.clone(),
            hall: config.court.hall.clone(),
            instance: config.court.instance.code().to_owned(),
            category: self.category,
            judge: self.judge.trim().to_owned(),
            operator_name: self.secretary.trim().to_owned(),
            operator_role: part::operator_role(config).to_owned(),
            participants,
        })
    }

    pub fn view(&self) -> Element<'_, Message> {
        let categories: Vec<_> = Category::ALL
            .iter()
            .map(|c| Labelled::new(*c, c.label()))
            .collect();
        let roles: Vec<_> = Role::ALL
            .iter()
            .map(|r| Labelled::new(*r, r.label()))
            .collect();
        let mut form = column![text(tr!("new-session-title")).size(28)]
            .spacing(14)
            .max_width(900);
        if let Some(problem) = &self.problem {
            form = form.push(widget::problem(problem, Message::Panel));
        }
        form = form
            .push(
                row![
                    widget::field(
                        tr!("field-case-number"),
                        text_input(&tr!("field-case-number-placeholder"), &self.case_number)
                            .id("case-number")
                            .on_input(Message::CaseNumber)
                    ),
                    widget::field(
                        tr!("field-category"),
                        pick_list(
                            categories.clone(),
                            categories
                                .iter()
                                .find(|c| c.value == self.category)
                                .cloned(),
                            |c| Message::Category(c.value)
                        )
                    ),
                ]
                .spacing(12),
            )
            .push(
                row![
                    widget::field(
                        tr!("field-judge"),
                        text_input("", &self.judge)
                            .id("judge")
                            .on_input(Message::Judge)
                    ),
                    widget::field(
                        tr!("field-secretary"),
                        text_input("", &self.secretary)
                            .id("secretary")
                            .on_input(Message::Secretary)
                    ),
                ]
                .spacing(12),
            )
            .push(text(tr!("participants-title")).size(20));
        for (index, person) in self.people.iter().enumerate() {
            let edit = move |change| Message::Person(index, change);
            let mut line = row![
                text_input(&tr!("participant-name"), &person.name)
                    .id(format!("participant-{index}"))
                    .on_input(move |name| edit(Person::Name(name)))
                    .width(Fill),
                pick_list(
                    roles.clone(),
                    roles.iter().find(|r| r.value == person.role).cloned(),
                    move |r| edit(Person::Role(r.value))
                )
                .width(200),
                checkbox(person.remote)
                    .label(tr!("participant-remote"))
                    .on_toggle(move |remote| edit(Person::Remote(remote))),
                button(text(tr!("participant-remove")))
                    .style(button::secondary)
                    .on_press(edit(Person::Remove)),
            ]
            .spacing(8)
            .align_y(iced::Center);
            if person.remote {
                line = line.push(
                    text_input(&tr!("participant-location"), &person.location)
                        .id(format!("location-{index}"))
                        .on_input(move |location| edit(Person::Location(location)))
                        .width(Fill),
                );
            }
            form = form.push(line);
        }
        form = form.push(
            button(text(tr!("participant-add")))
                .style(button::secondary)
                .on_press(Message::AddPerson),
        );
        if let Some(missing) = &self.notice {
            form = form.push(text(missing.to_string()).style(text::danger));
        }
        form = form.push(
            row![
                button(text(tr!("new-session-create")))
                    .padding([10, 18])
                    .on_press_maybe((!self.creating).then_some(Message::Create)),
                button(text(tr!("new-session-cancel")))
                    .padding([10, 18])
                    .style(button::secondary)
                    .on_press(Message::Cancel),
            ]
            .spacing(10),
        );
        container(scrollable(container(form).padding(24).center_x(Fill)))
            .width(Fill)
            .height(Fill)
            .into()
    }
}
