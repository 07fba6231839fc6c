//! The review's keys and the playback they steer: play and pause, seek, speed, the entry
//! played and followed.

use iced::{Task, keyboard};

use hattama::review::player::SPEEDS;
use hattama::tr;

use super::{Action, LIST, Message, ReviewScreen, SEARCH, TrackChoice};

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

impl ReviewScreen {
    pub(super) fn key(&mut self, key: Key) -> Action {
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

    pub(super) fn play_pause(&mut self) {
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

    pub(super) fn seek(&mut self, at_ms: i64) {
        let at_ms = at_ms.clamp(0, self.duration_ms.max(0));
        self.position_ms = at_ms;
        if let Some(player) = &mut self.player
            && let Err(error) = player.seek(at_ms)
        {
            self.show(&error);
        }
    }

    pub(super) fn set_rate(&mut self, rate: f64) {
        self.rate = rate;
        if let Some(player) = &mut self.player
            && let Err(error) = player.set_rate(rate)
        {
            self.show(&error);
        }
    }

    /// Plays from entry `index`: its part opened if another is shown.
    pub(super) fn play_entry(&mut self, index: usize) -> Action {
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
    pub(super) fn follow(&mut self) -> Action {
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
