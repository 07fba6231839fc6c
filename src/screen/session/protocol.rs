//! The protocol as it is written: the draft and its hotkeys, ready-made entries, a
//! correction or an addendum, and a technical act attached.

use chrono::{DateTime, Utc};
use iced::Task;

use hattama::protocol::{Entry, EntryKind, NewEntry, Stamp};
use hattama::tr;

use super::{Action, Editing, Hotkey, Message, Phase, Screen};

impl Screen {
    pub fn hotkey(&mut self, key: Hotkey) -> Action {
        match key {
            Hotkey::Function(number) => {
                if let Some(kind) = EntryKind::from_key(number) {
                    return self.template(kind);
                }
            }
            Hotkey::Record => return self.record(),
            Hotkey::Speaker(0) => self.speaker = None,
            Hotkey::Speaker(number) => {
                if let Some(person) = self.session.participants.get(number - 1) {
                    self.speaker = Some(person.id);
                }
            }
            Hotkey::Escape => {
                if self.confirm_stop {
                    self.confirm_stop = false;
                } else if self.editing.is_some() {
                    self.editing = None;
                }
            }
        }
        Action::None
    }

    /// The Ctrl key's state: while it is held, typed digits pick speakers, not text.
    pub fn ctrl(&mut self, held: bool) {
        self.ctrl_held = held;
    }

    pub(super) fn draft(&mut self, text: String) {
        let typed_digit = text.len() == self.draft.len() + 1
            && text.starts_with(&self.draft)
            && text.ends_with(|c: char| c.is_ascii_digit());
        if self.ctrl_held && typed_digit {
            return;
        }
        if text.trim().is_empty() {
            self.draft_started = None;
        } else if self.draft_started.is_none() {
            self.draft_started = Some((Utc::now(), self.live.as_ref().map(|l| l.part_id)));
        }
        self.draft = text;
    }

    pub(super) fn submit(&mut self) -> Action {
        let text = self.draft.trim().to_owned();
        if text.is_empty() {
            return Action::None;
        }
        let (started, part) = self
            .draft_started
            .take()
            .unwrap_or((Utc::now(), self.live.as_ref().map(|l| l.part_id)));
        self.draft.clear();
        self.add_with_speaker(EntryKind::Note, text, self.speaker, started, part)
    }

    pub(super) fn template(&mut self, kind: EntryKind) -> Action {
        match kind {
            EntryKind::Recess if self.phase != Phase::Idle => return self.recess(),
            EntryKind::Resumed if self.phase == Phase::Idle && self.session.parts > 0 => {
                return self.record();
            }
            EntryKind::SessionClosed => {
                return self.update(Message::CloseSession);
            }
            _ => {}
        }
        let picked = self.speaker.and_then(|id| self.participant(id));
        let subject = match kind {
            EntryKind::RemoteIdentity => {
                let picked = picked.filter(|p| p.remote);
                match picked.or_else(|| kind.default_subject(&self.session.participants)) {
                    Some(person) => Some(person.clone()),
                    None => {
                        self.notice = Some(if self.session.has_remote_participants() {
                            tr!("remote-pick-speaker")
                        } else {
                            tr!("no-remote-participant")
                        });
                        return Action::None;
                    }
                }
            }
            _ => picked
                .or_else(|| kind.default_subject(&self.session.participants))
                .cloned(),
        };
        let text = kind.text(subject.as_ref());
        let speaker = subject.map(|p| p.id).or(self.speaker);
        let part = self.live.as_ref().map(|l| l.part_id);
        self.add_with_speaker(kind, text, speaker, Utc::now(), part)
    }

    /// Writes a ready-made entry that names no one, now.
    pub(super) fn add(&mut self, kind: EntryKind) -> Action {
        let part = self.live.as_ref().map(|l| l.part_id);
        self.add_with_speaker(kind, kind.text(None), None, Utc::now(), part)
    }

    /// Writes an entry begun at `started` while `part` was recording.
    fn add_with_speaker(
        &mut self,
        kind: EntryKind,
        text: String,
        speaker_id: Option<i64>,
        started: DateTime<Utc>,
        part: Option<i64>,
    ) -> Action {
        self.notice = None;
        let entry = NewEntry {
            session_id: self.session.id,
            stamp: self.stamp(started, part),
            kind,
            speaker_id,
            text: text.clone(),
        };
        let restore = (kind == EntryKind::Note).then_some(text);
        Action::Run(
            self.database
                .run(move |store| store.add_entry(&entry))
                .map(move |result| Message::Added(result, restore.clone())),
        )
    }

    /// Where a moment falls in `part`, once that part's timeline is known.
    pub(super) fn stamp(&self, at: DateTime<Utc>, part: Option<i64>) -> Stamp {
        let recording = part.and_then(|id| self.first_media.get(&id).map(|first| (id, *first)));
        Stamp::at(at, recording)
    }

    pub(super) fn save_correction(&mut self) -> Action {
        let Some(Editing { id, text, addendum }) = self.editing.clone() else {
            return Action::None;
        };
        let Some(entry) = self.entries.iter().find(|e| e.id == id) else {
            return Action::None;
        };
        if text.trim().is_empty() {
            return Action::None;
        }
        let (speaker, actor) = (entry.speaker_id, self.config.operator.name.clone());
        if addendum {
            let new = NewEntry {
                session_id: self.session.id,
                stamp: self.stamp(Utc::now(), self.live.as_ref().map(|l| l.part_id)),
                kind: EntryKind::Addendum,
                speaker_id: speaker,
                text,
            };
            let (paths, zone) = (self.paths.clone(), self.config.court.time_zone());
            let seal = self.sealer();
            return Action::Run(
                self.database
                    .run(move |store| {
                        let entry = store.add_addendum(id, &new, &actor)?;
                        // Chained and signed at once: the latest ended part is sealed anew.
                        let parts = store.parts_of(new.session_id)?;
                        let last = parts.iter().rev().find(|p| !p.state.is_unfinished());
                        let prepared = last
                            .map(|part| hattama::seal::part::prepare(store, &paths, part.id, zone));
                        Ok((entry, prepared))
                    })
                    .then(move |result| match result {
                        Err(error) => Task::done(Message::AddendumAdded(Err(error))),
                        Ok((entry, prepared)) => {
                            Task::done(Message::AddendumAdded(Ok(entry))).chain(seal(prepared))
                        }
                    }),
            );
        }
        Action::Run(
            self.database
                .run(move |store| store.correct_entry(id, &text, speaker, &actor))
                .map(Message::Corrected),
        )
    }

    /// Draws up the act on the database thread, then seals the latest part anew with it.
    pub(super) fn save_act(&mut self) -> Action {
        let Some(form) = self.act.clone() else {
            return Action::None;
        };
        let (paths, zone) = (self.paths.clone(), self.config.court.time_zone());
        let by = self.config.operator.name.clone();
        let seal = self.sealer();
        Action::Run(
            self.database
                .run(move |store| {
                    Ok(hattama::act::draw_up(
                        store,
                        &paths,
                        form.incident_id,
                        &form.cause,
                        &form.confirmed_by,
                        &by,
                        zone,
                    ))
                })
                .then(move |result| match result {
                    Err(error) => Task::done(Message::ActDrawnUp(Err(error.into()))),
                    Ok(Err(error)) => Task::done(Message::ActDrawnUp(Err(error))),
                    Ok(Ok(drawn)) => {
                        Task::done(Message::ActDrawnUp(Ok(drawn.act))).chain(seal(drawn.reseal))
                    }
                }),
        )
    }

    /// Puts a new or corrected entry in its place (by time, then by sequence).
    pub(super) fn insert(&mut self, entry: Entry) {
        self.entries.retain(|e| e.id != entry.id);
        let at = self
            .entries
            .partition_point(|e| (e.wall_time, e.seq) <= (entry.wall_time, entry.seq));
        self.entries.insert(at, entry);
    }
}
