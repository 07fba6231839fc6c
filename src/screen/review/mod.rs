//! The review: the session's protocol beside its recording. Clicking an entry (or Enter on
//! it) plays from there; the entry being played is highlighted and followed; the seek bar
//! marks the entries, recesses, incidents and what the search finds; each part's seal state
//! is in view; a stretch can be exported as a signed clip. Read-only: sealed entries are not
//! changed here (the secretary writes addenda on the session's screen; they show beside
//! their entries).

use std::collections::HashMap;
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use iced::widget::image;
use iced::{Subscription, Task};

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::protocol::{clock, parse_clock};
use hattama::review::clip::{ClipError, Exported};
use hattama::review::player::{self, Player, PlayerError};
use hattama::review::stream::Streamed;
use hattama::review::{Query, Review, SealState, Source};
use hattama::seal::verify::{verify_part, verify_part_unhashed};
use hattama::tr;

use crate::widget::{self, Shown};

mod control;
mod view;

pub use control::{Key, key};
pub use view::{Choice, PartChoice, Speed, TrackChoice};

/// The protocol list's id, to follow playback in it.
pub const LIST: &str = "review-list";
/// The search field's id.
pub const SEARCH: &str = "review-search";

/// A player handed from the thread that opened it to the screen.
#[derive(Clone)]
pub struct Opened(Arc<Mutex<Option<Player>>>);

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Opened")
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    /// Another session of the same disc or folder.
    Choose(usize),
    Opened(i64, Option<Result<Opened, PlayerError>>),
    Player(player::Event),
    Checked(i64, Option<SealState>),
    PlayPause,
    Skip(i64),
    Seek(f64),
    Speed(Speed),
    Volume(f64),
    Track(TrackChoice),
    Part(PartChoice),
    /// Play from entry `index` of the protocol.
    Entry(usize),
    Search(String),
    Kind(Option<Choice>),
    Speaker(Option<Choice>),
    ClearSearch,
    ClipFrom(String),
    ClipTo(String),
    ClipFromHere,
    ClipToHere,
    ExportClip,
    ClipFolder(Option<PathBuf>),
    ClipExported(Option<Result<Box<Exported>, Arc<ClipError>>>),
    Key(Key),
    /// The secretary writes an addendum to entry `index` (on the session's screen).
    Addendum(usize),
    Back,
    /// The problem panel's buttons.
    Panel(widget::Panel),
    /// Put the notice away.
    DismissNotice,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Back,
    /// Open session `session_id`'s screen with an addendum to entry `seq` begun.
    Addendum {
        session_id: i64,
        seq: i64,
    },
}

/// The player's events as a subscription, one per opened player.
#[derive(Clone)]
struct Feed(u64, async_channel::Receiver<player::Event>);

impl Hash for Feed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        "review-player".hash(state);
        self.0.hash(state);
    }
}

pub struct ReviewScreen {
    reviews: Vec<Review>,
    chosen: usize,
    paths: Paths,
    config: Config,
    /// The part shown, and its player once open.
    part: i64,
    player: Option<Player>,
    /// Counts opened players: the feed of the current one.
    generation: u64,
    opening: bool,
    /// Where to go once the part's player is open.
    pending_seek: Option<i64>,
    frame: Option<image::Handle>,
    position_ms: i64,
    duration_ms: i64,
    playing: bool,
    rate: f64,
    volume: f64,
    track: usize,
    query: Query,
    /// The entry chosen with the arrows (Enter plays it).
    selected: Option<usize>,
    /// The entry being played, last time it changed.
    current: Option<usize>,
    seals: HashMap<i64, SealState>,
    clip_from: String,
    clip_to: String,
    exporting: bool,
    notice: Option<String>,
    problem: Option<Shown>,
    /// The case shown from the court server, while this review lasts.
    stream: Option<Arc<Streamed>>,
}

impl ReviewScreen {
    /// Opens the first of `reviews` (several when a disc holds several sessions) on its
    /// first part, and checks every part's seal.
    pub fn new(
        reviews: Vec<Review>,
        stream: Option<Arc<Streamed>>,
        paths: Paths,
        config: Config,
    ) -> (Self, Task<Message>) {
        let mut screen = Self {
            reviews,
            chosen: 0,
            paths,
            config,
            part: 0,
            player: None,
            generation: 0,
            opening: false,
            pending_seek: None,
            frame: None,
            position_ms: 0,
            duration_ms: 0,
            playing: false,
            rate: 1.0,
            volume: 1.0,
            track: 0,
            query: Query::default(),
            selected: None,
            current: None,
            seals: HashMap::new(),
            clip_from: String::new(),
            clip_to: String::new(),
            exporting: false,
            notice: None,
            problem: None,
            stream,
        };
        let task = screen.choose(0);
        (screen, task)
    }

    pub fn review(&self) -> &Review {
        &self.reviews[self.chosen]
    }

    #[cfg(test)]
    pub fn position_ms(&self) -> i64 {
        self.position_ms
    }

    #[cfg(test)]
    pub fn volume(&self) -> f64 {
        self.volume
    }

    #[cfg(test)]
    pub fn seal_of(&self, part: i64) -> Option<&SealState> {
        self.seals.get(&part)
    }

    #[cfg(test)]
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// Read from the court server (back goes to the court's cases).
    pub fn streamed(&self) -> bool {
        self.stream.is_some()
    }

    #[cfg(test)]
    pub fn player(&self) -> Option<&Player> {
        self.player.as_ref()
    }

    fn choose(&mut self, index: usize) -> Task<Message> {
        self.chosen = index.min(self.reviews.len().saturating_sub(1));
        self.seals.clear();
        self.selected = None;
        self.current = None;
        let parts = self.review().parts.clone();
        for part in &parts {
            self.seals.insert(part.number, SealState::Checking);
        }
        // What this computer trusts is read off the window's thread (its files, and the
        // signing service asked), once; then each part is checked on its own.
        let paths = self.paths.clone();
        // From the server, the recordings are not read to check them (that would download
        // them whole): each byte is held to the seal as it plays instead.
        let streamed = self.stream.is_some();
        let checks =
            super::blocking(move || hattama::seal::trusted_keys(&paths)).then(move |trusted| {
                Task::batch(parts.clone().into_iter().map(|part| {
                    let (number, trusted) = (part.number, trusted.clone());
                    super::blocking(move || {
                        let trusted = trusted?;
                        Some(if streamed {
                            let report = verify_part_unhashed(&part.folder, &trusted);
                            SealState::of_streamed(&report, &part)
                        } else {
                            SealState::of(&verify_part(&part.folder, &trusted), &part)
                        })
                    })
                    .map(move |state| Message::Checked(number, state.flatten()))
                }))
            });
        let first = self.review().parts.first().map(|p| p.number);
        let open = first.map_or(Task::none(), |number| self.open_part(number, None));
        Task::batch([checks, open])
    }

    /// Opens part `number`'s player on its own thread, to play from `at_ms` when open.
    fn open_part(&mut self, number: i64, at_ms: Option<i64>) -> Task<Message> {
        let Some(part) = self.review().part(number).cloned() else {
            return Task::none();
        };
        self.player = None;
        self.frame = None;
        self.playing = false;
        self.part = number;
        self.position_ms = at_ms.unwrap_or(0);
        self.duration_ms = part.duration_ms.unwrap_or(0);
        self.pending_seek = at_ms;
        self.opening = true;
        let folder = part.folder.clone();
        super::blocking(move || {
            Player::open(&folder).map(|player| Opened(Arc::new(Mutex::new(Some(player)))))
        })
        .map(move |opened| Message::Opened(number, opened))
    }

    pub fn subscription(&self) -> Subscription<Message> {
        match &self.player {
            Some(player) => {
                Subscription::run_with(Feed(self.generation, player.events()), |feed| {
                    feed.1.clone()
                })
                .map(Message::Player)
            }
            None => Subscription::none(),
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Choose(index) => return Action::Run(self.choose(index)),
            Message::Opened(number, opened) => {
                if number != self.part {
                    return Action::None;
                }
                self.opening = false;
                match opened {
                    Some(Ok(Opened(slot))) => {
                        let Some(mut player) = slot.lock().ok().and_then(|mut p| p.take()) else {
                            return Action::None;
                        };
                        self.generation += 1;
                        player.set_volume(self.volume);
                        if self.track < player.tracks.len() {
                            player.choose_track(self.track);
                        } else {
                            self.track = 0;
                        }
                        if let Some(duration) = player.duration_ms() {
                            self.duration_ms = duration;
                        }
                        if self.rate != 1.0 {
                            let _ = player.set_rate(self.rate);
                        }
                        if let Some(at) = self.pending_seek.take()
                            && let Err(error) = player.seek(at)
                        {
                            self.show(&error);
                        }
                        self.player = Some(player);
                    }
                    Some(Err(error)) => self.failed(&error),
                    None => {}
                }
            }
            Message::Player(event) => match event {
                player::Event::Frame(frame) => {
                    self.position_ms = frame.at_ms;
                    self.frame = Some(image::Handle::from_rgba(
                        frame.width,
                        frame.height,
                        frame.rgba,
                    ));
                    return self.follow();
                }
                player::Event::Ended => {
                    self.playing = false;
                    if let Some(player) = &mut self.player {
                        player.pause();
                    }
                    // The next part, if there is one, is ready to go on.
                    let next = self
                        .review()
                        .parts
                        .iter()
                        .map(|p| p.number)
                        .find(|n| *n > self.part);
                    if let Some(next) = next {
                        return Action::Run(self.open_part(next, Some(0)));
                    }
                }
                player::Event::Failed(error) => {
                    self.playing = false;
                    self.failed(&error);
                }
            },
            Message::Checked(part, state) => {
                self.seals.insert(
                    part,
                    state.unwrap_or(SealState::Failed(tr!("review-check-stopped"))),
                );
            }
            Message::PlayPause => self.play_pause(),
            Message::Skip(delta) => self.seek(self.position_ms + delta),
            Message::Seek(at) => self.seek(at as i64),
            Message::Speed(Speed(rate)) => self.set_rate(rate),
            Message::Volume(volume) => {
                self.volume = volume;
                if let Some(player) = &mut self.player {
                    player.set_volume(volume);
                }
            }
            Message::Track(TrackChoice(index, _)) => {
                self.track = index;
                if let Some(player) = &mut self.player {
                    player.choose_track(index);
                }
            }
            Message::Part(PartChoice(number)) => {
                if number != self.part {
                    return Action::Run(self.open_part(number, Some(0)));
                }
            }
            Message::Entry(index) => return self.play_entry(index),
            Message::Search(words) => self.query.text = words,
            Message::Kind(kind) => self.query.kind = kind.map(|k| k.value),
            Message::Speaker(speaker) => self.query.speaker = speaker.map(|s| s.value),
            Message::ClearSearch => self.query = Query::default(),
            Message::ClipFrom(words) => self.clip_from = words,
            Message::ClipTo(words) => self.clip_to = words,
            Message::ClipFromHere => self.clip_from = clock(self.position_ms),
            Message::ClipToHere => self.clip_to = clock(self.position_ms),
            Message::ExportClip => {
                if self.clip_range().is_none() {
                    self.show(&ClipError::Range {
                        from_ms: parse_clock(&self.clip_from).unwrap_or(-1),
                        to_ms: parse_clock(&self.clip_to).unwrap_or(-1),
                    });
                    return Action::None;
                }
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title(tr!("review-clip-where"))
                    .pick_folder();
                return Action::Run(Task::perform(dialog, |picked| {
                    Message::ClipFolder(picked.map(|handle| handle.path().to_owned()))
                }));
            }
            Message::ClipFolder(Some(into)) => return self.export_clip(into),
            Message::ClipFolder(None) => {}
            Message::ClipExported(done) => {
                self.exporting = false;
                match done {
                    Some(Ok(exported)) => {
                        self.notice = Some(tr!(
                            "review-clip-done",
                            folder = exported.folder.display().to_string()
                        ));
                    }
                    Some(Err(error)) => self.show(error.as_ref()),
                    None => {}
                }
            }
            Message::Key(key) => return self.key(key),
            Message::Addendum(index) => {
                let review = self.review();
                let target = review
                    .document
                    .entries
                    .get(index)
                    .filter(|_| review.source == Source::Database)
                    .map(|link| (review.document.session_id, link.seq));
                if let Some((session_id, seq)) = target {
                    self.player = None;
                    return Action::Addendum { session_id, seq };
                }
            }
            Message::Back => {
                self.player = None;
                return Action::Back;
            }
            Message::Panel(pressed) => {
                return Action::Run(widget::panel(&mut self.problem, pressed));
            }
            Message::DismissNotice => self.notice = None,
        }
        Action::None
    }

    /// The entries the search leaves (all of them when it asks nothing), by index.
    /// Addenda are shown beside the entry they correct.
    pub fn shown(&self) -> Vec<usize> {
        self.review()
            .document
            .entries
            .iter()
            .enumerate()
            .filter(|(_, link)| link.corrects.is_none())
            .filter(|(_, link)| self.query.is_empty() || self.query.matches(link))
            .map(|(index, _)| index)
            .collect()
    }

    fn clip_range(&self) -> Option<(i64, i64)> {
        let from = parse_clock(&self.clip_from)?;
        let to = parse_clock(&self.clip_to)?;
        (to > from).then_some((from, to))
    }

    fn export_clip(&mut self, into: PathBuf) -> Action {
        let (Some((from, to)), Some(part)) =
            (self.clip_range(), self.review().part(self.part).cloned())
        else {
            return Action::None;
        };
        self.exporting = true;
        let (folder, paths, config, data, zone) = (
            part.folder.clone(),
            self.paths.clone(),
            self.config.clone(),
            self.paths.data.clone(),
            self.config.court.time_zone(),
        );
        Action::Run(
            super::blocking(move || {
                let sealer =
                    hattama::seal::Sealer::open(&paths, &config).map_err(ClipError::from)?;
                let into = hattama::review::clip::Into {
                    folder: &into,
                    data: &data,
                };
                hattama::review::clip::export(&folder, (from, to), into, &sealer, zone)
            })
            .map(|done| Message::ClipExported(done.map(|r| r.map(Box::new).map_err(Arc::new)))),
        )
    }

    fn show(&mut self, problem: &dyn hattama::problem::Problem) {
        self.problem = Some(Shown::of(problem));
    }

    /// The player stopped: from the server, because a file differs from its seal when one
    /// was found to (named), else as the player says.
    fn failed(&mut self, error: &player::PlayerError) {
        match self.stream.as_ref().and_then(|stream| stream.changed()) {
            Some(changed) => {
                self.player = None;
                self.show(&changed);
            }
            None => self.show(error),
        }
    }
}
