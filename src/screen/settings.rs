//! The first-start set-up and, later, Settings: court, hall, instance, language, the
//! secretary's name; in Settings also the time zone, recording quality and devices.

use iced::widget::{
    button, checkbox, column, container, pick_list, row, scrollable, text, text_input,
};
use iced::{Element, Fill, Task};

use hattama::config::{self, Config, ConfigError, Instance, Language};
use hattama::paths::Paths;
use hattama::recorder::devices::{self, DeviceKind};
use std::path::PathBuf;

use hattama::recorder::{Profile, RecorderError};
use hattama::seal::SealError;
use hattama::{i18n, tr};

use super::blocking;
use crate::widget::{self, Labelled, Shown};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The first start: only what is needed to begin.
    Setup,
    Settings,
}

/// Devices and profiles present now.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub cameras: Vec<String>,
    pub microphones: Vec<String>,
    pub profiles: Vec<String>,
}

/// The court's signing key, as Settings shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyInfo {
    pub id: String,
    /// The line `minisign -P` takes.
    pub public: String,
    /// The whole `.pub` file, for export.
    pub file: String,
    /// What the court's root key certified it for, as shown; `None`: not certified.
    pub certified: Option<String>,
}

/// The courtroom key (the signing service's, when it seals here) and its certificate.
/// Settings never replaces it: that is the court's administrator's (`hattama keys rotate`,
/// then `keys certify`).
fn key_info(paths: &Paths, config: &Config) -> Result<KeyInfo, SealError> {
    let sealer = hattama::seal::Sealer::open(paths, config)?;
    let public = sealer.public();
    let certified = sealer
        .certificate
        .as_ref()
        .and_then(|installed| installed.certificate())
        .map(|certificate| {
            tr!(
                "settings-key-certified",
                court = certificate.court,
                hall = certificate.hall,
                until = certificate.valid_until
            )
        });
    Ok(KeyInfo {
        id: public.id_hex(),
        public: public.base64(),
        file: public.to_file(),
        certified,
    })
}

pub struct Settings {
    mode: Mode,
    key: Option<KeyInfo>,
    paths: Paths,
    /// The configuration as it was, to go back to.
    original: Config,
    draft: Config,
    found: Option<Found>,
    notice: Option<String>,
    problem: Option<Shown>,
    saving: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    CourtName(String),
    Hall(String),
    Instance(Instance),
    Language(Language),
    Operator(String),
    Offset(String),
    Profile(String),
    Camera(Option<String>),
    Microphone(Option<String>),
    RemoteAudio(Option<String>),
    Demo(bool),
    Listed(Option<Result<Found, RecorderError>>),
    KeyLoaded(Option<Result<KeyInfo, SealError>>),
    ExportKey,
    ExportTo(Option<PathBuf>),
    Exported(Option<Result<PathBuf, hattama::output::OutputError>>),
    Save,
    Saved(Option<Result<Box<Config>, ConfigError>>),
    Back,
    /// The problem panel's buttons.
    Panel(widget::Panel),
}

pub enum Action {
    None,
    Run(Task<Message>),
    /// The configuration is written; the window goes on with it.
    Saved(Box<Config>),
    Back,
}

impl Settings {
    pub fn new(mode: Mode, paths: Paths, config: Config) -> (Self, Task<Message>) {
        let screen = Self {
            mode,
            key: None,
            paths: paths.clone(),
            original: config.clone(),
            draft: config,
            found: None,
            notice: None,
            problem: None,
            saving: false,
        };
        let task = match mode {
            Mode::Setup => Task::none(),
            Mode::Settings => {
                let (for_key, config) = (paths.clone(), screen.original.clone());
                Task::batch([
                    blocking(move || list(&paths)).map(Message::Listed),
                    blocking(move || key_info(&for_key, &config)).map(Message::KeyLoaded),
                ])
            }
        };
        (screen, task)
    }

    pub fn update(&mut self, message: Message) -> Action {
        let draft = &mut self.draft;
        match message {
            Message::CourtName(name) => draft.court.name = name,
            Message::Hall(hall) => draft.court.hall = hall,
            Message::Instance(instance) => draft.court.instance = instance,
            Message::Language(language) => {
                draft.language = language;
                // At once, without a restart.
                i18n::select(language.code());
            }
            Message::Operator(name) => draft.operator.name = name,
            Message::Offset(offset) => draft.court.utc_offset = offset,
            Message::Profile(profile) => draft.recording.profile = profile,
            Message::Camera(camera) => draft.recording.cameras = camera.into_iter().collect(),
            Message::Microphone(microphone) => {
                draft.recording.microphones = microphone.into_iter().collect()
            }
            Message::RemoteAudio(remote) => {
                draft.recording.remote_audio = remote.unwrap_or_default()
            }
            Message::Demo(demo) => draft.recording.demo_when_no_devices = demo,
            Message::Listed(Some(Ok(found))) => {
                let count = found.cameras.len() + found.microphones.len();
                self.notice = Some(tr!("settings-devices-note", count = count));
                self.found = Some(found);
            }
            Message::Listed(Some(Err(error))) => self.problem = Some(Shown::of(&error)),
            Message::Listed(None) | Message::KeyLoaded(None) | Message::Exported(None) => {}
            Message::KeyLoaded(Some(Ok(key))) => self.key = Some(key),
            Message::KeyLoaded(Some(Err(error))) => self.problem = Some(Shown::of(&error)),
            Message::ExportKey => {
                if let Some(key) = &self.key {
                    let dialog = rfd::AsyncFileDialog::new()
                        .set_title(tr!("settings-key-export"))
                        .set_file_name(format!("hattama-{}.pub", key.id))
                        .save_file();
                    return Action::Run(Task::perform(dialog, |chosen| {
                        Message::ExportTo(chosen.map(|handle| handle.path().to_owned()))
                    }));
                }
            }
            Message::ExportTo(Some(path)) => {
                if let Some(key) = &self.key {
                    let (file, data) = (key.file.clone(), self.paths.data.clone());
                    return Action::Run(
                        blocking(move || {
                            hattama::output::write_chosen(&path, &data, file.as_bytes())
                                .map(|()| path.clone())
                        })
                        .map(Message::Exported),
                    );
                }
            }
            Message::ExportTo(None) => {}
            Message::Exported(Some(Ok(path))) => {
                self.notice = Some(tr!(
                    "settings-key-exported",
                    path = path.display().to_string()
                ))
            }
            Message::Exported(Some(Err(error))) => self.problem = Some(Shown::of(&error)),
            Message::Save => return self.save(),
            Message::Saved(result) => {
                self.saving = false;
                match result {
                    Some(Ok(config)) => return Action::Saved(config),
                    Some(Err(error)) => self.problem = Some(Shown::of(&error)),
                    None => {}
                }
            }
            Message::Back => {
                i18n::select(self.original.language.code());
                return Action::Back;
            }
            Message::Panel(pressed) => {
                return Action::Run(widget::panel(&mut self.problem, pressed));
            }
        }
        Action::None
    }

    #[cfg(test)]
    pub fn found(&self) -> Option<&Found> {
        self.found.as_ref()
    }

    fn save(&mut self) -> Action {
        let draft = &mut self.draft;
        draft.court.name = draft.court.name.trim().to_owned();
        draft.court.hall = draft.court.hall.trim().to_owned();
        draft.operator.name = draft.operator.name.trim().to_owned();
        if !draft.court.is_set_up() {
            self.notice = Some(tr!("setup-missing"));
            return Action::None;
        }
        if config::parse_offset(&draft.court.utc_offset).is_none() {
            self.notice = Some(tr!("settings-offset-invalid"));
            return Action::None;
        }
        self.saving = true;
        let (config, paths) = (draft.clone(), self.paths.clone());
        // Only what differs from the court's file is the user's own.
        Action::Run(
            blocking(move || {
                config
                    .save_over(&paths.config_file, Some(&Config::court_layer(&paths)))
                    .map(|()| Box::new(config))
            })
            .map(Message::Saved),
        )
    }

    pub fn view(&self) -> Element<'_, Message> {
        let draft = &self.draft;
        let title = match self.mode {
            Mode::Setup => tr!("setup-title"),
            Mode::Settings => tr!("settings-title"),
        };
        let mut form = column![text(title).size(28)].spacing(14).max_width(720);
        if self.mode == Mode::Setup {
            form = form.push(text(tr!("setup-intro")));
        }
        if let Some(problem) = &self.problem {
            form = form.push(widget::problem(problem, Message::Panel));
        }
        let instances: Vec<_> = Instance::ALL
            .iter()
            .map(|instance| Labelled::new(*instance, instance.label()))
            .collect();
        let languages: Vec<_> = [Language::System, Language::Kk, Language::Ru, Language::En]
            .into_iter()
            .map(|language| Labelled::new(language, language_label(language)))
            .collect();
        form = form
            .push(widget::field(
                tr!("field-language"),
                pick_list(
                    languages.clone(),
                    languages
                        .iter()
                        .find(|l| l.value == draft.language)
                        .cloned(),
                    |choice| Message::Language(choice.value),
                ),
            ))
            .push(widget::field(
                tr!("field-court-name"),
                text_input(&tr!("field-court-name-placeholder"), &draft.court.name)
                    .id("court-name")
                    .on_input(Message::CourtName)
                    .on_submit(Message::Save),
            ))
            .push(
                row![
                    widget::field(
                        tr!("field-hall"),
                        text_input("", &draft.court.hall)
                            .id("court-hall")
                            .on_input(Message::Hall)
                            .on_submit(Message::Save),
                    ),
                    widget::field(
                        tr!("field-instance"),
                        pick_list(
                            instances.clone(),
                            instances
                                .iter()
                                .find(|i| i.value == draft.court.instance)
                                .cloned(),
                            |choice| Message::Instance(choice.value),
                        ),
                    ),
                ]
                .spacing(12),
            )
            .push(widget::field(
                tr!("field-operator"),
                text_input("", &draft.operator.name)
                    .id("operator-name")
                    .on_input(Message::Operator)
                    .on_submit(Message::Save),
            ));
        if self.mode == Mode::Settings {
            form = form.push(self.recording_fields());
            if let Some(key) = &self.key {
                form = form.push(
                    column![
                        text(tr!("settings-key-title")).size(20),
                        text(tr!("seal-key-label", id = key.id.clone())),
                        text(&key.public).font(iced::Font::MONOSPACE).size(13),
                        row![
                            button(text(tr!("settings-key-export")))
                                .style(button::secondary)
                                .on_press(Message::ExportKey),
                            text(
                                key.certified
                                    .clone()
                                    .unwrap_or_else(|| tr!("settings-key-uncertified"))
                            ),
                        ]
                        .spacing(10)
                        .align_y(iced::Alignment::Center),
                    ]
                    .spacing(6),
                );
            }
        }
        if let Some(notice) = &self.notice {
            form = form.push(text(notice));
        }
        let save = button(text(match self.mode {
            Mode::Setup => tr!("setup-save"),
            Mode::Settings => tr!("settings-save"),
        }))
        .padding([10, 18])
        .on_press_maybe((!self.saving).then_some(Message::Save));
        let mut buttons = row![save].spacing(10);
        if self.mode == Mode::Settings {
            buttons = buttons.push(
                button(text(tr!("settings-back")))
                    .padding([10, 18])
                    .style(button::secondary)
                    .on_press(Message::Back),
            );
        }
        form = form.push(buttons);
        container(scrollable(container(form).padding(24).center_x(Fill)))
            .width(Fill)
            .height(Fill)
            .into()
    }

    #[cfg(test)]
    pub fn key(&self) -> Option<&KeyInfo> {
        self.key.as_ref()
    }

    fn recording_fields(&self) -> Element<'_, Message> {
        let recording = &self.draft.recording;
        let found = self.found.clone().unwrap_or_default();
        let choices = |names: &[String], none: String| {
            std::iter::once(Labelled::new(None, none))
                .chain(
                    names
                        .iter()
                        .map(|name| Labelled::new(Some(name.clone()), name.clone())),
                )
                .collect::<Vec<_>>()
        };
        let chosen = |options: &[Labelled<Option<String>>], value: Option<&String>| {
            options
                .iter()
                .find(|o| o.value.as_ref() == value)
                .cloned()
                .or_else(|| value.map(|name| Labelled::new(Some(name.clone()), name.clone())))
        };
        let cameras = choices(&found.cameras, tr!("devices-all"));
        let microphones = choices(&found.microphones, tr!("devices-all"));
        let remote = choices(&found.microphones, tr!("devices-none-chosen"));
        let remote_value = (!recording.remote_audio.is_empty()).then_some(&recording.remote_audio);
        let profiles = if found.profiles.is_empty() {
            vec![recording.profile.clone()]
        } else {
            found.profiles.clone()
        };
        column![
            widget::field(
                tr!("field-utc-offset"),
                text_input("+05:00", &self.draft.court.utc_offset)
                    .id("utc-offset")
                    .on_input(Message::Offset)
            ),
            widget::field(
                tr!("field-profile"),
                pick_list(profiles, Some(recording.profile.clone()), Message::Profile)
            ),
            widget::field(
                tr!("field-cameras"),
                pick_list(
                    cameras.clone(),
                    chosen(&cameras, recording.cameras.first()),
                    |choice| Message::Camera(choice.value)
                )
            ),
            widget::field(
                tr!("field-microphones"),
                pick_list(
                    microphones.clone(),
                    chosen(&microphones, recording.microphones.first()),
                    |choice| Message::Microphone(choice.value)
                )
            ),
            widget::field(
                tr!("field-remote-audio"),
                pick_list(remote.clone(), chosen(&remote, remote_value), |choice| {
                    Message::RemoteAudio(choice.value)
                })
            ),
            checkbox(recording.demo_when_no_devices)
                .label(tr!("field-demo"))
                .on_toggle(Message::Demo),
        ]
        .spacing(14)
        .into()
    }
}

fn language_label(language: Language) -> String {
    match language {
        Language::System => tr!("language-system"),
        Language::Kk => tr!("language-kk"),
        Language::Ru => tr!("language-ru"),
        Language::En => tr!("language-en"),
    }
}

fn list(paths: &Paths) -> Result<Found, RecorderError> {
    let present = devices::list()?;
    let names = |kind: DeviceKind| {
        present
            .iter()
            .filter(|device| device.kind == kind)
            .map(|device| device.name.clone())
            .collect()
    };
    Ok(Found {
        cameras: names(DeviceKind::Camera),
        microphones: names(DeviceKind::Microphone),
        profiles: Profile::all(&paths.profiles())?
            .into_iter()
            .map(|profile| profile.name)
            .collect(),
    })
}
