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

use iced::widget::{
    Space, button, column, container, image, pick_list, row, rule, scrollable, slider, text,
    text_input,
};
use iced::{Element, Fill, FillPortion, Subscription, Task, keyboard};

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::protocol::{clock, parse_clock};
use hattama::review::clip::{ClipError, Exported};
use hattama::review::player::{self, Player, PlayerError, SPEEDS};
use hattama::review::stream::Streamed;
use hattama::review::{MarkKind, Query, Review, SealState, Source};
use hattama::seal::document::Link;
use hattama::seal::verify::{verify_part, verify_part_unhashed};
use hattama::tr;

use crate::widget::{self, Shown};

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

/// The keys of the review (shown on screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    PlayPause,
    Skip(i64),
    Slower,
    Faster,
    Previous,
    Next,
    Enter,
    Search,
    Back,
    /// Volume down (-) or up (+).
    Louder(bool),
    /// The next sound track.
    NextTrack,
    /// The previous or the next part.
    OtherPart(bool),
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
    CopyDetails,
    Dismiss,
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

/// A speed in the choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speed(pub f64);

impl std::fmt::Display for Speed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}×", self.0)
    }
}

/// A choice shown by its label, carrying a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackChoice(pub usize, pub String);

impl std::fmt::Display for TrackChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartChoice(pub i64);

impl std::fmt::Display for PartChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&tr!("review-part", number = self.0))
    }
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
            Message::CopyDetails => return Action::Run(widget::copy_details(&self.problem)),
            Message::Dismiss => {
                self.problem = None;
                self.notice = None;
            }
        }
        Action::None
    }

    fn key(&mut self, key: Key) -> Action {
        match key {
            Key::PlayPause => self.play_pause(),
            Key::Skip(delta) => self.seek(self.position_ms + delta),
            Key::Slower | Key::Faster => {
                let at = SPEEDS
                    .iter()
                    .position(|s| (*s - self.rate).abs() < 0.01)
                    .unwrap_or(2);
                let next = if key == Key::Slower {
                    at.saturating_sub(1)
                } else {
                    (at + 1).min(SPEEDS.len() - 1)
                };
                self.set_rate(SPEEDS[next]);
            }
            Key::Previous | Key::Next => {
                let shown = self.shown();
                let here = self.selected.or(self.current);
                let position = here.and_then(|h| shown.iter().position(|i| *i == h));
                let next = match (key, position) {
                    (Key::Previous, Some(p)) => p.checked_sub(1).or(Some(0)),
                    (Key::Next, Some(p)) => Some((p + 1).min(shown.len().saturating_sub(1))),
                    (_, None) => (!shown.is_empty()).then_some(0),
                    _ => None,
                };
                self.selected = next.and_then(|p| shown.get(p).copied());
                if let Some(index) = self.selected {
                    return Action::Run(self.scroll_to(index));
                }
            }
            Key::Enter => {
                if let Some(index) = self.selected {
                    return self.play_entry(index);
                }
            }
            Key::Search => {
                return Action::Run(iced::widget::operation::focus(SEARCH));
            }
            Key::Back => {
                self.player = None;
                return Action::Back;
            }
            Key::Louder(up) => {
                let volume = (self.volume + if up { 0.1 } else { -0.1 }).clamp(0.0, 2.0);
                return self.update(Message::Volume(volume));
            }
            Key::NextTrack => {
                let count = self.player.as_ref().map_or(0, |p| p.tracks.len());
                if count > 0 {
                    let next = (self.track + 1) % count;
                    return self.update(Message::Track(TrackChoice(next, String::new())));
                }
            }
            Key::OtherPart(next) => {
                let numbers: Vec<i64> = self.review().parts.iter().map(|p| p.number).collect();
                let here = numbers.iter().position(|n| *n == self.part).unwrap_or(0);
                let other = if next {
                    numbers.get(here + 1)
                } else {
                    here.checked_sub(1).and_then(|i| numbers.get(i))
                };
                if let Some(number) = other.copied() {
                    return Action::Run(self.open_part(number, Some(0)));
                }
            }
        }
        Action::None
    }

    fn play_pause(&mut self) {
        let Some(player) = &mut self.player else {
            return;
        };
        if self.playing {
            player.pause();
        } else {
            player.play();
        }
        self.playing = !self.playing;
    }

    fn seek(&mut self, at_ms: i64) {
        let at_ms = at_ms.clamp(0, self.duration_ms.max(0));
        self.position_ms = at_ms;
        if let Some(player) = &mut self.player
            && let Err(error) = player.seek(at_ms)
        {
            self.show(&error);
        }
    }

    fn set_rate(&mut self, rate: f64) {
        self.rate = rate;
        if let Some(player) = &mut self.player
            && let Err(error) = player.set_rate(rate)
        {
            self.show(&error);
        }
    }

    /// Plays from entry `index`: its part opened if another is shown.
    fn play_entry(&mut self, index: usize) -> Action {
        let Some((part, at)) = self
            .review()
            .document
            .entries
            .get(index)
            .map(|link| (link.part, link.offset_ms))
        else {
            return Action::None;
        };
        self.selected = Some(index);
        let (Some(part), Some(at)) = (part, at) else {
            // Written while nothing recorded: nothing to play.
            self.notice = Some(tr!("review-not-recorded"));
            return Action::None;
        };
        self.current = Some(index);
        if part == self.part && self.player.is_some() {
            self.seek(at);
            Action::None
        } else {
            Action::Run(self.open_part(part, Some(at)))
        }
    }

    /// Keeps the entry being played highlighted and in view.
    fn follow(&mut self) -> Action {
        let now = self.review().entry_at(self.part, self.position_ms);
        if now != self.current && now.is_some() {
            self.current = now;
            if self.playing
                && let Some(index) = now
            {
                return Action::Run(self.scroll_to(index));
            }
        }
        Action::None
    }

    fn scroll_to(&self, index: usize) -> Task<Message> {
        let shown = self.shown();
        let position = shown.iter().position(|i| *i == index).unwrap_or(0);
        let y = if shown.len() > 1 {
            position as f32 / (shown.len() - 1) as f32
        } else {
            0.0
        };
        iced::widget::operation::snap_to(
            LIST,
            iced::widget::operation::RelativeOffset { x: 0.0, y },
        )
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

    pub fn view(&self) -> Element<'_, Message> {
        let review = self.review();
        let document = &review.document;
        let source = match &review.source {
            Source::Database => tr!("review-source-database"),
            Source::Folder(path) => tr!("review-source-folder", path = path.display().to_string()),
            Source::Server(place) => tr!("review-source-server", place = place.clone()),
        };
        let mut header = row![
            button(text(format!("← {}", tr!("back-to-sessions"))))
                .style(button::secondary)
                .on_press(Message::Back),
            column![
                text(tr!(
                    "review-title",
                    case = document.case_number.clone(),
                    session = document.session_id
                ))
                .size(24),
                text(format!(
                    "{} · {} · {}",
                    document.court, document.hall, document.judge
                ))
                .size(14),
                text(source).size(13),
            ]
            .width(Fill),
        ]
        .spacing(12)
        .align_y(iced::Center);
        if self.reviews.len() > 1 {
            let choices: Vec<Choice> = self
                .reviews
                .iter()
                .enumerate()
                .map(|(index, r)| Choice {
                    value: index.to_string(),
                    label: tr!(
                        "review-title",
                        case = r.document.case_number.clone(),
                        session = r.document.session_id
                    ),
                })
                .collect();
            let chosen = choices.get(self.chosen).cloned();
            header = header.push(pick_list(choices, chosen, |c: Choice| {
                Message::Choose(c.value.parse().unwrap_or(0))
            }));
        }
        let mut page = column![header, self.seal_line()].spacing(10);
        if let Some(problem) = &self.problem {
            page = page.push(widget::problem(
                problem,
                Message::CopyDetails,
                Message::Dismiss,
            ));
        }
        if let Some(notice) = &self.notice {
            page = page.push(
                row![
                    text(notice).size(14).width(Fill),
                    button(text(tr!("dismiss")).size(13))
                        .style(button::secondary)
                        .on_press(Message::Dismiss),
                ]
                .spacing(8),
            );
        }
        let body = row![
            container(self.player_view()).width(FillPortion(3)),
            container(self.protocol_view()).width(FillPortion(2)),
        ]
        .spacing(16)
        .height(Fill);
        container(page.push(body))
            .padding(16)
            .width(Fill)
            .height(Fill)
            .into()
    }

    /// The shown part's seal, always in view.
    fn seal_line(&self) -> Element<'_, Message> {
        let (words, style): (String, fn(&iced::Theme) -> text::Style) =
            match self.seals.get(&self.part) {
                None | Some(SealState::Checking) => (tr!("review-seal-checking"), text::secondary),
                Some(SealState::Verified) => (tr!("review-seal-verified"), text::success),
                Some(SealState::Recovered) => (tr!("review-seal-recovered"), text::warning),
                Some(SealState::Unsealed) => (tr!("review-seal-unsealed"), text::warning),
                Some(SealState::Streaming) => (tr!("review-seal-streaming"), text::success),
                Some(SealState::Failed(what)) => {
                    (tr!("review-seal-failed", what = what.clone()), text::danger)
                }
            };
        text(tr!("review-part-seal", number = self.part, state = words))
            .size(15)
            .style(style)
            .into()
    }

    fn player_view(&self) -> Element<'_, Message> {
        let picture: Element<'_, Message> = match &self.frame {
            Some(handle) => image(handle.clone())
                .content_fit(iced::ContentFit::Contain)
                .width(Fill)
                .height(Fill)
                .into(),
            None => container(text(if self.opening {
                tr!("review-opening")
            } else {
                tr!("review-no-picture")
            }))
            .center(Fill)
            .into(),
        };
        let length = self.duration_ms.max(1) as f64;
        let bar = slider(
            0.0..=length,
            self.position_ms.clamp(0, self.duration_ms.max(0)) as f64,
            Message::Seek,
        )
        .step(100.0);
        let button_for = |label: String, message: Message| {
            button(text(label).size(14))
                .style(button::secondary)
                .on_press_maybe(self.player.is_some().then_some(message))
        };
        let play = button(
            text(if self.playing {
                tr!("review-pause")
            } else {
                tr!("review-play")
            })
            .size(16),
        )
        .padding([6, 18])
        .on_press_maybe(self.player.is_some().then_some(Message::PlayPause));
        let speeds: Vec<Speed> = SPEEDS.iter().map(|s| Speed(*s)).collect();
        let tracks: Vec<TrackChoice> = self
            .player
            .as_ref()
            .map(|p| {
                p.tracks
                    .iter()
                    .map(|t| TrackChoice(t.index, t.title.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let track = tracks.get(self.track).cloned();
        let parts: Vec<PartChoice> = self
            .review()
            .parts
            .iter()
            .map(|p| PartChoice(p.number))
            .collect();
        let controls = row![
            button_for(tr!("review-back-minute"), Message::Skip(-60_000)),
            button_for(tr!("review-back-10"), Message::Skip(-10_000)),
            play,
            button_for(tr!("review-ahead-10"), Message::Skip(10_000)),
            button_for(tr!("review-ahead-minute"), Message::Skip(60_000)),
            text(format!(
                "{} / {}",
                clock(self.position_ms),
                clock(self.duration_ms)
            ))
            .size(15),
        ]
        .spacing(6)
        .align_y(iced::Center);
        let choices = row![
            pick_list(speeds, Some(Speed(self.rate)), Message::Speed).text_size(14),
            pick_list(tracks, track, Message::Track)
                .placeholder(tr!("review-track"))
                .text_size(14),
            pick_list(parts, Some(PartChoice(self.part)), Message::Part).text_size(14),
            text(tr!("review-volume")).size(14),
            slider(0.0..=2.0, self.volume, Message::Volume)
                .step(0.05)
                .width(120),
        ]
        .spacing(8)
        .align_y(iced::Center);
        let clip = row![
            text(tr!("review-clip")).size(14),
            text_input("0:00:00", &self.clip_from)
                .on_input(Message::ClipFrom)
                .width(90)
                .size(14),
            button_for(tr!("review-clip-here"), Message::ClipFromHere),
            text("–").size(14),
            text_input("0:00:00", &self.clip_to)
                .on_input(Message::ClipTo)
                .width(90)
                .size(14),
            button_for(tr!("review-clip-here"), Message::ClipToHere),
            button(text(tr!("review-clip-export")).size(14))
                .on_press_maybe((!self.exporting).then_some(Message::ExportClip)),
        ]
        .spacing(6)
        .align_y(iced::Center);
        column![
            container(picture).height(Fill).width(Fill),
            self.marks_view(),
            bar,
            controls,
            choices,
            clip,
            text(tr!("review-keys")).size(12),
        ]
        .spacing(8)
        .into()
    }

    /// The marks of the shown part, placed along the seek bar; each plays its entry.
    fn marks_view(&self) -> Element<'_, Message> {
        let length = self.duration_ms.max(1);
        let mut marks = self.review().marks(self.part, &self.query);
        marks.sort_by_key(|m| m.at_ms);
        let mut strip = row![].height(14);
        let mut last = 0i64;
        for mark in marks {
            let at = mark.at_ms.clamp(0, length);
            let gap = ((at - last) * 1000 / length).max(0) as u16;
            if gap > 0 {
                strip = strip.push(Space::new().width(FillPortion(gap)));
            }
            last = at;
            let color = match mark.kind {
                MarkKind::Entry => iced::Color::from_rgb(0.35, 0.45, 0.6),
                MarkKind::Recess => iced::Color::from_rgb(0.85, 0.6, 0.1),
                MarkKind::Incident => iced::Color::from_rgb(0.8, 0.2, 0.2),
                MarkKind::Match => iced::Color::from_rgb(0.1, 0.65, 0.3),
            };
            let tick = container(Space::new().width(4).height(14))
                .style(move |_| container::Style::default().background(color));
            strip = strip.push(match mark.entry {
                Some(index) => Element::from(
                    button(tick)
                        .padding(0)
                        .style(button::text)
                        .on_press(Message::Entry(index)),
                ),
                None => tick.into(),
            });
        }
        let rest = ((length - last) * 1000 / length).max(1) as u16;
        strip.push(Space::new().width(FillPortion(rest))).into()
    }

    fn protocol_view(&self) -> Element<'_, Message> {
        let review = self.review();
        let kinds: Vec<Choice> = review
            .kinds()
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect();
        let kind = kinds
            .iter()
            .find(|k| Some(&k.value) == self.query.kind.as_ref())
            .cloned();
        let speakers: Vec<Choice> = review
            .speakers()
            .into_iter()
            .map(|name| Choice {
                value: name.clone(),
                label: name,
            })
            .collect();
        let speaker = speakers
            .iter()
            .find(|s| Some(&s.value) == self.query.speaker.as_ref())
            .cloned();
        let search = column![
            text_input(&tr!("review-search"), &self.query.text)
                .id(SEARCH)
                .on_input(Message::Search)
                .padding(8),
            row![
                pick_list(kinds, kind, |k| Message::Kind(Some(k)))
                    .placeholder(tr!("review-any-kind"))
                    .text_size(13),
                pick_list(speakers, speaker, |s| Message::Speaker(Some(s)))
                    .placeholder(tr!("review-any-speaker"))
                    .text_size(13),
                button(text(tr!("review-clear")).size(13))
                    .style(button::secondary)
                    .on_press_maybe((!self.query.is_empty()).then_some(Message::ClearSearch)),
            ]
            .spacing(6),
        ]
        .spacing(6);
        let shown = self.shown();
        let mut list = column![].spacing(2);
        for index in &shown {
            let link = &review.document.entries[*index];
            list = list.push(self.entry_line(*index, link));
            for addendum in review.addenda_of(link.seq) {
                list = list.push(
                    container(
                        text(tr!(
                            "review-addendum",
                            time = addendum.local_time.clone(),
                            text = addendum.text.clone()
                        ))
                        .size(13)
                        .style(text::warning),
                    )
                    .padding(iced::Padding::default().left(28)),
                );
            }
        }
        if shown.is_empty() {
            list = list.push(text(if review.document.entries.is_empty() {
                tr!("review-no-entries")
            } else {
                tr!("review-none-found")
            }));
        }
        // This court's own records: the secretary may write an addendum to the entry chosen.
        let addendum = self
            .selected
            .filter(|_| review.source == Source::Database)
            .map(|index| {
                button(text(tr!("review-write-addendum")).size(13))
                    .style(button::secondary)
                    .on_press(Message::Addendum(index))
            });
        column![
            search,
            text(tr!(
                "review-found",
                shown = (shown.len() as i64),
                all = (review.document.entries.len() as i64)
            ))
            .size(12),
            rule::horizontal(1),
            scrollable(list).id(LIST).height(Fill),
        ]
        .push(addendum)
        .spacing(8)
        .into()
    }

    fn entry_line<'a>(&'a self, index: usize, link: &'a Link) -> Element<'a, Message> {
        let at = match (link.part, link.offset_ms) {
            (Some(part), Some(offset)) => format!("{part}·{}", clock(offset)),
            _ => tr!("doc-not-recorded"),
        };
        let kind = if link.kind_label.is_empty() {
            String::new()
        } else {
            format!("[{}] ", link.kind_label)
        };
        let speaker = link
            .speaker
            .as_ref()
            .map(|s| format!("{s}: "))
            .unwrap_or_default();
        let playing = self.current == Some(index);
        let selected = self.selected == Some(index);
        let line = row![
            text(at).size(13).width(90).font(iced::Font::MONOSPACE),
            text(format!("{kind}{speaker}{}", link.text))
                .size(14)
                .width(Fill),
        ]
        .spacing(8);
        button(line)
            .width(Fill)
            .padding([4, 6])
            .style(move |theme: &iced::Theme, status| {
                let palette = theme.extended_palette();
                let background = if playing {
                    Some(palette.primary.weak.color.into())
                } else if selected || matches!(status, button::Status::Hovered) {
                    Some(palette.background.strong.color.into())
                } else {
                    None
                };
                button::Style {
                    background,
                    text_color: if playing {
                        palette.primary.weak.text
                    } else {
                        palette.background.base.text
                    },
                    border: iced::border::rounded(4),
                    ..button::Style::default()
                }
            })
            .on_press(Message::Entry(index))
            .into()
    }
}

/// The review's keys, when no field has taken the key: Space/K play and pause, ←/→ and J/L
/// ∓10 s, Shift+←/→ ∓1 min, [ and ] the speed, - and + the volume, T the next sound track,
/// PageUp/PageDown the part, ↑/↓ an entry, Enter play it, Ctrl+F search, Escape back.
pub fn key(
    event: iced::Event,
    status: iced::event::Status,
    _window: iced::window::Id,
) -> Option<Key> {
    use keyboard::key::Named;
    let iced::Event::Keyboard(keyboard::Event::KeyPressed {
        key,
        physical_key,
        modifiers,
        ..
    }) = event
    else {
        return None;
    };
    if modifiers.control() {
        return (key.to_latin(physical_key) == Some('f')).then_some(Key::Search);
    }
    if status == iced::event::Status::Captured {
        return None;
    }
    let step = if modifiers.shift() { 60_000 } else { 10_000 };
    match &key {
        keyboard::Key::Named(named) => match named {
            Named::Space => Some(Key::PlayPause),
            Named::ArrowLeft => Some(Key::Skip(-step)),
            Named::ArrowRight => Some(Key::Skip(step)),
            Named::ArrowUp => Some(Key::Previous),
            Named::ArrowDown => Some(Key::Next),
            Named::Enter => Some(Key::Enter),
            Named::Escape => Some(Key::Back),
            Named::PageUp => Some(Key::OtherPart(false)),
            Named::PageDown => Some(Key::OtherPart(true)),
            _ => None,
        },
        _ => match key.to_latin(physical_key)? {
            'k' => Some(Key::PlayPause),
            'j' => Some(Key::Skip(-10_000)),
            'l' => Some(Key::Skip(10_000)),
            '[' => Some(Key::Slower),
            ']' => Some(Key::Faster),
            '-' => Some(Key::Louder(false)),
            '=' | '+' => Some(Key::Louder(true)),
            't' => Some(Key::NextTrack),
            _ => None,
        },
    }
}
