//! Disc copy of a case (rules 8, 21, 22): the plan for the chosen blank (how many discs,
//! each image's contents), building the images with progress and cancel, burning each to a
//! drive and reading it back, checking an image, and the case's inventory of discs with its
//! printable page.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use iced::Task;

use hattama::config::Config;
use hattama::disc::burn::{Drive, ReadBack};
use hattama::disc::image::{Built, Maker, Phase, Progress};
use hattama::disc::{self, DiscError, DiscPlan, Media};
use hattama::paths::Paths;
use hattama::store::{CaseDisc, Part, StoreError};
use hattama::tr;

use super::{Checked, Database, blocking};
use crate::widget::{self, Shown};

mod view;

/// How a background job reports back.
#[derive(Debug, Clone)]
pub enum Update {
    Progress { disc: usize, progress: Progress },
    Built(Box<Built>),
    BuildEnded(Option<DiscError>),
    Burning { done: u64, total: u64 },
    ReadingBack,
    Burned(Result<ReadBack, DiscError>),
}

/// A plan as the database thread answers it: the discs and the parts left off, or why not.
type Planned = Result<Result<(Vec<DiscPlan>, Vec<Part>), DiscError>, StoreError>;

#[derive(Debug, Clone)]
pub enum Message {
    Media(MediaChoice),
    Planned(Planned),
    Inventory(Result<Vec<CaseDisc>, StoreError>),
    Drives(Option<Result<Vec<Drive>, DiscError>>),
    ChooseFolder,
    Folder(Option<PathBuf>),
    Build,
    Cancel,
    Update(Update),
    Recorded(Result<i64, StoreError>),
    Drive(String),
    Burn(usize),
    Check(usize),
    Checked(Option<Checked>),
    SavePage,
    PageSaved(Option<Result<PathBuf, hattama::output::OutputError>>),
    Back,
    /// The problem panel's buttons.
    Panel(widget::Panel),
}

pub enum Action {
    None,
    Run(Task<Message>),
    Back,
}

/// A media kind as the pick list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaChoice(pub Media);

impl std::fmt::Display for MediaChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.label())
    }
}

pub struct DiscCopy {
    case_number: String,
    database: Database,
    paths: Paths,
    config: Config,
    media: Media,
    folder: PathBuf,
    plans: Option<Vec<DiscPlan>>,
    unsealed: Vec<Part>,
    /// The disc being built (0-based) and how far it is.
    building: Option<(usize, Progress)>,
    cancel: Arc<AtomicBool>,
    built: Vec<Built>,
    drives: Vec<Drive>,
    drive: Option<String>,
    burning: Option<(usize, String)>,
    burned: Vec<(usize, ReadBack)>,
    inventory: Vec<CaseDisc>,
    checking: bool,
    checked: Option<Checked>,
    notice: Option<String>,
    problem: Option<Shown>,
}

impl DiscCopy {
    pub fn new(
        case_number: String,
        database: Database,
        paths: Paths,
        config: Config,
    ) -> (Self, Task<Message>) {
        let folder = paths.data.join("discs");
        let screen = Self {
            case_number,
            database,
            paths,
            config,
            media: Media::Dvd,
            folder,
            plans: None,
            unsealed: Vec::new(),
            building: None,
            cancel: Arc::new(AtomicBool::new(false)),
            built: Vec::new(),
            drives: Vec::new(),
            drive: None,
            burning: None,
            burned: Vec::new(),
            inventory: Vec::new(),
            checking: false,
            checked: None,
            notice: None,
            problem: None,
        };
        let tasks = Task::batch([
            screen.plan(),
            screen.load_inventory(),
            blocking(disc::burn::drives).map(Message::Drives),
        ]);
        (screen, tasks)
    }

    fn plan(&self) -> Task<Message> {
        let (paths, case, media) = (self.paths.clone(), self.case_number.clone(), self.media);
        self.database
            .run(move |store| Ok(disc::plan(store, &paths, &case, media)))
            .map(Message::Planned)
    }

    fn load_inventory(&self) -> Task<Message> {
        let case = self.case_number.clone();
        self.database
            .run(move |store| store.discs_of(&case))
            .map(Message::Inventory)
    }

    #[cfg(test)]
    pub fn plans(&self) -> Option<&[DiscPlan]> {
        self.plans.as_deref()
    }

    #[cfg(test)]
    pub fn built(&self) -> &[Built] {
        &self.built
    }

    #[cfg(test)]
    pub fn inventory(&self) -> &[CaseDisc] {
        &self.inventory
    }

    #[cfg(test)]
    pub fn set_folder(&mut self, folder: PathBuf) {
        self.folder = folder;
    }

    pub fn is_busy(&self) -> bool {
        self.building.is_some() || self.burning.is_some()
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Media(MediaChoice(media)) => {
                self.media = media;
                self.plans = None;
                return Action::Run(self.plan());
            }
            Message::Planned(Ok(Ok((plans, unsealed)))) => {
                self.plans = Some(plans);
                self.unsealed = unsealed;
            }
            Message::Planned(Ok(Err(error))) => {
                self.plans = Some(Vec::new());
                self.problem = Some(Shown::of(&error));
            }
            Message::Planned(Err(error)) | Message::Inventory(Err(error)) => {
                self.problem = Some(Shown::of(&error));
            }
            Message::Inventory(Ok(inventory)) => self.inventory = inventory,
            Message::Drives(Some(Ok(drives))) => {
                self.drive = drives.first().map(|d| d.address.clone());
                self.drives = drives;
            }
            Message::Drives(Some(Err(error))) => self.problem = Some(Shown::of(&error)),
            Message::Drives(None) => {}
            Message::ChooseFolder => {
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title(tr!("disc-choose-folder"))
                    .set_directory(&self.folder)
                    .pick_folder();
                return Action::Run(Task::perform(dialog, |picked| {
                    Message::Folder(picked.map(|handle| handle.path().to_owned()))
                }));
            }
            Message::Folder(Some(folder)) => self.folder = folder,
            Message::Folder(None) => {}
            Message::Build => return self.build(),
            Message::Cancel => self.cancel.store(true, Ordering::Relaxed),
            Message::Update(update) => return self.progress(update),
            Message::Recorded(Ok(_)) => return Action::Run(self.load_inventory()),
            Message::Recorded(Err(error)) => self.problem = Some(Shown::of(&error)),
            Message::Drive(drive) => self.drive = Some(drive),
            Message::Burn(index) => return self.burn(index),
            Message::Check(index) => {
                if let Some(image) = self.built.get(index) {
                    self.checking = true;
                    self.checked = None;
                    return Action::Run(
                        super::check(image.path.clone(), &self.paths).map(Message::Checked),
                    );
                }
            }
            Message::Checked(checked) => {
                self.checking = false;
                self.checked = checked;
            }
            Message::SavePage => {
                let page = disc::inventory::page(
                    &self.config.court.name,
                    &self.case_number,
                    &self.inventory,
                );
                let name = format!(
                    "{}-inventory.html",
                    hattama::paths::file_name_part(&self.case_number)
                );
                let data = self.paths.data.clone();
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title(tr!("disc-save-page"))
                    .set_file_name(name)
                    .add_filter("HTML", &["html"])
                    .save_file();
                return Action::Run(Task::perform(
                    async move {
                        let handle = dialog.await?;
                        let path = handle.path().to_owned();
                        Some(
                            hattama::output::write_chosen(&path, &data, page.as_bytes())
                                .map(|()| path),
                        )
                    },
                    Message::PageSaved,
                ));
            }
            Message::PageSaved(Some(Ok(path))) => {
                self.notice = Some(tr!("disc-page-saved", path = path.display().to_string()));
            }
            Message::PageSaved(Some(Err(error))) => self.problem = Some(Shown::of(&error)),
            Message::PageSaved(None) => {}
            Message::Back => {
                if !self.is_busy() {
                    return Action::Back;
                }
            }
            Message::Panel(pressed) => {
                return Action::Run(widget::panel(&mut self.problem, pressed));
            }
        }
        Action::None
    }

    /// Builds every planned image on a thread of its own, one after another.
    fn build(&mut self) -> Action {
        let Some(plans) = self.plans.clone().filter(|plans| !plans.is_empty()) else {
            return Action::None;
        };
        if self.is_busy() {
            return Action::None;
        }
        self.cancel = Arc::new(AtomicBool::new(false));
        self.built.clear();
        self.burned.clear();
        self.problem = None;
        self.building = Some((
            0,
            Progress {
                phase: Phase::Checking,
                done: 0,
                total: 1,
                seconds_left: None,
            },
        ));
        let (sender, receiver) = async_channel::unbounded();
        let (paths, folder, cancel) =
            (self.paths.clone(), self.folder.clone(), self.cancel.clone());
        let config = self.config.clone();
        let (court, made_by) = (
            self.config.court.name.clone(),
            self.config.operator.name.clone(),
        );
        std::thread::spawn(move || {
            let ended = (|| {
                let sealer = hattama::seal::Sealer::open(&paths, &config)?;
                let trusted = hattama::seal::trusted_keys(&paths);
                let maker = Maker {
                    sealer: &sealer,
                    trusted: &trusted,
                    court: &court,
                    made_by: &made_by,
                    // The window's own folder of images: its earlier image of a disc is
                    // replaced by the new one.
                    replace_own_image: true,
                };
                std::fs::create_dir_all(&folder).map_err(|error| DiscError::Write {
                    path: folder.clone(),
                    message: error.to_string(),
                })?;
                for (index, plan) in plans.iter().enumerate() {
                    let out = folder.join(format!("{}.iso", plan.label));
                    let report = |progress| {
                        let _ = sender.try_send(Update::Progress {
                            disc: index,
                            progress,
                        });
                    };
                    let built = disc::image::build(plan, &maker, &out, &report, &cancel)?;
                    let _ = sender.try_send(Update::Built(Box::new(built)));
                }
                Ok(())
            })();
            let _ = sender.try_send(Update::BuildEnded(ended.err()));
        });
        Action::Run(Task::run(receiver, Message::Update))
    }

    fn burn(&mut self, index: usize) -> Action {
        let (Some(image), Some(drive)) = (self.built.get(index), self.drive.clone()) else {
            return Action::None;
        };
        if self.is_busy() {
            return Action::None;
        }
        self.cancel = Arc::new(AtomicBool::new(false));
        self.burning = Some((index, tr!("disc-burning")));
        let (sender, receiver) = async_channel::unbounded();
        let (path, cancel) = (image.path.clone(), self.cancel.clone());
        std::thread::spawn(move || {
            let report = |done, total| {
                let _ = sender.try_send(Update::Burning { done, total });
            };
            let result = disc::burn::burn(&path, &drive, &report, &cancel).and_then(|()| {
                let _ = sender.try_send(Update::ReadingBack);
                disc::burn::read_back(&path, &drive)
            });
            let _ = sender.try_send(Update::Burned(result));
        });
        Action::Run(Task::run(receiver, Message::Update))
    }

    fn progress(&mut self, update: Update) -> Action {
        match update {
            Update::Progress { disc, progress } => self.building = Some((disc, progress)),
            Update::Built(built) => {
                let built = *built;
                let (case, made_by) = (self.case_number.clone(), self.config.operator.name.clone());
                let (court, hall) = (
                    self.config.court.name.clone(),
                    self.config.court.hall.clone(),
                );
                let entry = built.clone();
                self.built.push(built);
                return Action::Run(
                    self.database
                        .run(move |store| {
                            disc::record(store, &entry, &case, (&court, &hall), &made_by)
                        })
                        .map(Message::Recorded),
                );
            }
            Update::BuildEnded(error) => {
                self.building = None;
                match error {
                    Some(DiscError::Cancelled) => self.notice = Some(tr!("disc-cancelled")),
                    Some(error) => self.problem = Some(Shown::of(&error)),
                    None => {
                        self.notice = Some(tr!("disc-images-ready", count = self.built.len()));
                    }
                }
            }
            Update::Burning { done, total } => {
                if let Some((index, _)) = self.burning {
                    self.burning = Some((
                        index,
                        tr!("disc-burning-progress", done = done, total = total),
                    ));
                }
            }
            Update::ReadingBack => {
                if let Some((index, _)) = self.burning {
                    self.burning = Some((index, tr!("disc-reading-back")));
                }
            }
            Update::Burned(result) => {
                let index = self.burning.take().map_or(0, |(index, _)| index);
                match result {
                    Ok(read_back) => {
                        let drive = self.drive.clone().unwrap_or_default();
                        let summary = read_back.summary();
                        let actor = self.config.operator.name.clone();
                        let contents = self.built.get(index).map(|b| b.contents_sha256.clone());
                        self.burned.push((index, read_back));
                        return Action::Run(
                            self.database
                                .run(move |store| {
                                    let Some(contents) = contents else {
                                        return Ok(0);
                                    };
                                    let Some(entry) = store.discs_by_contents(&contents)?.pop()
                                    else {
                                        return Ok(0);
                                    };
                                    store.disc_burned(entry.id, &drive, &summary, &actor)?;
                                    Ok(entry.id)
                                })
                                .map(Message::Recorded),
                        );
                    }
                    Err(DiscError::Cancelled) => self.notice = Some(tr!("disc-cancelled")),
                    Err(error) => self.problem = Some(Shown::of(&error)),
                }
            }
        }
        Action::None
    }
}

/// One disc of the case's inventory as the secretary reads it: made when (the court's time)
/// and by whom, and whether it was burned and read back the same.
pub fn inventory_line(disc: &CaseDisc, zone: chrono::FixedOffset) -> String {
    let made = chrono::DateTime::parse_from_rfc3339(&disc.made_at)
        .map(|at| super::date_time(at.with_timezone(&chrono::Utc), zone))
        .unwrap_or_else(|_| disc.made_at.clone());
    let burned = match disc.burn_result.as_deref() {
        None => tr!("disc-inventory-not-burned"),
        Some(hattama::disc::burn::MATCHED) => tr!("disc-inventory-burned-match"),
        Some(differs) => tr!("disc-inventory-burned-differs", detail = differs.to_owned()),
    };
    tr!(
        "disc-inventory-line",
        label = disc.label.clone(),
        disc = disc.disc,
        of = disc.of,
        made = made,
        by = disc.made_by.clone(),
        burned = burned
    )
}
