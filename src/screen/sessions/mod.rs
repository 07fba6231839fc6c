//! The list of court sessions, today's first, searchable by case number and by name.

use chrono::Utc;
use iced::Task;

use hattama::config::Config;
use hattama::session::{self, Session};
use hattama::store::StoreError;
use hattama::tr;

use std::path::PathBuf;

use hattama::paths::Paths;

use super::{Checked, Database};
use crate::widget::{self, Shown};

mod view;

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
    GuidedHeard(Option<Result<hattama::check::Heard, hattama::check::InputError>>),
    /// The person heard it played back, or not.
    GuidedAnswer(bool),
    GuidedSkip,
    /// Skip every guided step left and keep the check.
    GuidedFinish,
    EquipmentChecked(Result<hattama::store::EquipmentCheck, StoreError>),
    /// Save the check shown as a page to print.
    SaveCheckPage,
    CheckPageTo(Option<PathBuf>),
    /// The problem panel's buttons.
    Panel(widget::Panel),
    /// Put the equipment check shown away.
    CloseCheck,
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
                            guided.steps.push(hattama::check::Step::failed(
                                "spoken",
                                &name,
                                error.into(),
                            ));
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
                        hattama::said!("check-guided-skipped"),
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
                            hattama::said!("check-guided-skipped"),
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
            Message::Panel(pressed) => {
                return Action::Run(widget::panel(&mut self.problem, pressed));
            }
            Message::CloseCheck => {
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
