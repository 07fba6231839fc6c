//! The window. This first version opens the store, finishes interrupted parts, and shows
//! where things stand; the secretary's screens build on it.

use iced::widget::{column, container, rule, text};
use iced::{Element, Fill, Task};

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::problem::Problem;
use hattama::recorder::{self, DemoReason, RecorderError, devices};
use hattama::store::{Store, StoreError};
use hattama::{part, tr};

pub fn run(paths: Paths, config: Config) -> iced::Result {
    iced::application(
        move || App::new(paths.clone(), config.clone()),
        App::update,
        App::view,
    )
    .title(App::title)
    .window_size((1024.0, 640.0))
    .run()
}

/// What start-up found.
#[derive(Debug, Clone)]
pub struct Startup {
    schema: u32,
    recovered: usize,
    inputs: Vec<String>,
    demo_reasons: Vec<DemoReason>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Recorder(#[from] RecorderError),
}

impl StartupError {
    fn problem(&self) -> &dyn Problem {
        match self {
            StartupError::Store(error) => error,
            StartupError::Recorder(error) => error,
        }
    }
}

#[derive(Debug)]
enum State {
    Starting,
    Ready(Startup),
    Failed(StartupError),
}

pub struct App {
    paths: Paths,
    config: Config,
    state: State,
}

#[derive(Debug, Clone)]
pub enum Message {
    Started(Result<Startup, StartupError>),
}

/// Blocking start-up work, run off the UI thread.
fn start(paths: &Paths, config: &Config) -> Result<Startup, StartupError> {
    let store = Store::open(&paths.database())?;
    let recovered = part::recover(&store, paths)?;
    let found = devices::list()?;
    let selection = recorder::inputs::choose(&config.recording, &found, false)?;
    Ok(Startup {
        schema: store.schema_version()?,
        recovered: recovered.len(),
        inputs: selection
            .inputs
            .iter()
            .map(|input| input.name.clone())
            .collect(),
        demo_reasons: selection.demo_reasons,
    })
}

impl App {
    fn new(paths: Paths, config: Config) -> (Self, Task<Message>) {
        let task = {
            let (paths, config) = (paths.clone(), config.clone());
            Task::perform(
                async move {
                    tokio::task::spawn_blocking(move || start(&paths, &config))
                        .await
                        .unwrap_or_else(|error| {
                            Err(StartupError::Recorder(RecorderError::Start {
                                message: error.to_string(),
                            }))
                        })
                },
                Message::Started,
            )
        };
        (
            Self {
                paths,
                config,
                state: State::Starting,
            },
            task,
        )
    }

    fn title(&self) -> String {
        tr!("app-name")
    }

    fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Started(Ok(startup)) => self.state = State::Ready(startup),
            Message::Started(Err(error)) => self.state = State::Failed(error),
        }
        Task::none()
    }

    fn view(&self) -> Element<'_, Message> {
        let court = if self.config.court.name.is_empty() {
            tr!("court-not-set")
        } else {
            tr!(
                "court-and-hall",
                court = self.config.court.name.clone(),
                hall = self.config.court.hall.clone()
            )
        };
        let header = column![
            text(tr!("app-name")).size(32),
            text(tr!("app-tagline")).size(16),
            text(court),
            text(tr!(
                "data-folder",
                path = self.paths.data.display().to_string()
            ))
            .size(14),
        ]
        .spacing(6);
        let body: Element<'_, Message> = match &self.state {
            State::Starting => text(tr!("starting")).into(),
            State::Ready(startup) => {
                let mut lines = column![
                    text(tr!("database-ready", schema = startup.schema)),
                    text(tr!("recovered-parts", count = startup.recovered)),
                    text(tr!("inputs-found", inputs = startup.inputs.join(", "))),
                ]
                .spacing(6);
                for reason in &startup.demo_reasons {
                    lines = lines.push(text(reason.message()));
                }
                lines.into()
            }
            State::Failed(error) => {
                let problem = error.problem();
                column![
                    text(problem.title()).size(20),
                    text(problem.help()),
                    text(problem.details()).size(13),
                ]
                .spacing(6)
                .into()
            }
        };
        container(column![header, rule::horizontal(1), body].spacing(16))
            .padding(24)
            .width(Fill)
            .height(Fill)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_database_shows_its_error_in_the_window() {
        let folder = tempfile::tempdir().expect("temporary folder");
        std::fs::write(folder.path().join("hattama.sqlite3"), vec![7u8; 4096]).expect("garbage");
        let paths = Paths::new(None, Some(folder.path().to_owned()));
        let mut app = App {
            paths: paths.clone(),
            config: Config::default(),
            state: State::Starting,
        };
        let result = start(&paths, &app.config);
        assert!(matches!(
            result,
            Err(StartupError::Store(StoreError::Open { .. }))
        ));
        let _ = app.update(Message::Started(result));
        let mut ui = iced_test::simulator(app.view());
        assert!(
            ui.find(tr!(
                "database-open-failed",
                path = paths.database().display().to_string()
            ))
            .is_ok(),
            "the window names the database that failed"
        );
    }

    #[test]
    fn a_fresh_data_folder_starts_with_demo_inputs_named() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let paths = Paths::new(None, Some(folder.path().to_owned()));
        let config = Config::default();
        let startup = start(&paths, &config).expect("starts");
        let mut app = App {
            paths,
            config,
            state: State::Starting,
        };
        let _ = app.update(Message::Started(Ok(startup)));
        let mut ui = iced_test::simulator(app.view());
        assert!(ui.find(tr!("recovered-parts", count = 0)).is_ok());
    }
}
