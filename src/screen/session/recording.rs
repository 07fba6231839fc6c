//! The part being recorded: record, recess and close, the recorder's news, and each part
//! finished and sealed when it ends.

use std::time::Duration;

use iced::Task;
use iced::widget::image;

use hattama::protocol::EntryKind;
use hattama::recorder::State;
use hattama::recording::Update;
use hattama::seal::SealError;
use hattama::seal::part::Prepared;
use hattama::tr;

use super::{
    Action, AfterStop, FALL_DB_PER_UPDATE, Finished, Live, Message, Phase, SILENCE_DB, Screen,
    chain,
};

impl Screen {
    /// What the recording thread reports.
    pub fn recording(&mut self, update: Update) -> Action {
        match update {
            Update::Starting {
                part,
                inputs,
                demo_reasons,
            } => {
                self.phase = Phase::Starting;
                self.demo = inputs.iter().any(|input| input.demo);
                self.inputs = inputs;
                self.live = Some(Live {
                    part_id: part.id,
                    number: part.number,
                    elapsed: Duration::ZERO,
                });
                if !demo_reasons.is_empty() {
                    self.notice = Some(
                        demo_reasons
                            .iter()
                            .map(|reason| reason.message())
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
            Update::Recording { part_id, timing } => {
                self.first_media.insert(part_id, timing.first_media_wall);
                if self.phase == Phase::Starting {
                    self.phase = Phase::Recording;
                }
                if std::mem::take(&mut self.resume_entry) {
                    return self.add(EntryKind::Resumed);
                }
            }
            Update::State(State::Stopping) => self.phase = Phase::Stopping,
            Update::State(_) => {}
            Update::Levels(levels) => {
                let loudest = levels.peak_db.iter().copied().fold(SILENCE_DB, f64::max);
                let shown = self.levels.entry(levels.input).or_insert(SILENCE_DB);
                *shown = loudest.max(*shown - FALL_DB_PER_UPDATE);
            }
            Update::Preview(frame) => {
                let handle = image::Handle::from_rgba(frame.width, frame.height, frame.rgba);
                self.previews.insert(frame.input, handle);
            }
            Update::MediaTime(time) => {
                if let Some(live) = &mut self.live {
                    live.elapsed = time;
                }
            }
            Update::DiskLow(free) => {
                let free = format!("{:.1}", free as f64 / 1e9);
                self.notice = Some(tr!("disk-low", free = free));
            }
            Update::Incident(_) => return Action::Run(self.load_incidents()),
            Update::Error(error) => self.show(&error),
            Update::Ended(ended) => {
                if let Some(error) = &ended.error {
                    self.show(error);
                }
                if let Some(why) = &ended.summary.stopped_for {
                    self.notice = Some(tr!("disk-stopped", why = why.clone()));
                }
                return self.stopped(Some(ended.part_id));
            }
            Update::Failed(error) => {
                self.show(&error);
                return self.stopped(None);
            }
        }
        Action::None
    }

    pub(super) fn record(&mut self) -> Action {
        if self.phase != Phase::Idle || !self.session.is_open() {
            return Action::None;
        }
        self.resume_entry = self.session.parts > 0 || !self.first_media.is_empty();
        self.phase = Phase::Starting;
        self.problem = None;
        self.controller.start(self.session.id, &self.config);
        Action::None
    }

    pub(super) fn recess(&mut self) -> Action {
        self.confirm_stop = false;
        if !matches!(self.phase, Phase::Starting | Phase::Recording) {
            return Action::None;
        }
        let entry = self.add(EntryKind::Recess);
        self.after_stop = AfterStop::Nothing;
        self.controller.stop();
        entry
    }

    pub(super) fn close(&mut self) -> Action {
        self.confirm_stop = false;
        if !self.session.is_open() {
            return Action::None;
        }
        let entry = self.add(EntryKind::SessionClosed);
        match self.phase {
            Phase::Idle => chain(entry, Action::Run(self.finish(None, true))),
            _ => {
                self.after_stop = AfterStop::Close;
                self.controller.stop();
                entry
            }
        }
    }

    /// After a part ends (`part`) or the session closes: the session closed first when
    /// asked, then the part sealed (the last one when closing between parts, so the closing
    /// entries join the chain), then the session read again. The database thread runs this
    /// after every entry written before it.
    pub(super) fn finish(&self, part: Option<i64>, close: bool) -> Task<Message> {
        let (id, actor) = (self.session.id, self.config.operator.name.clone());
        let (paths, zone) = (self.paths.clone(), self.config.court.time_zone());
        let seal = self.sealer();
        self.database
            .run(move |store| {
                if close {
                    store.close_session(id, &actor)?;
                }
                let parts = store.parts_of(id)?;
                let last = parts.last().map(|p| p.id);
                let prepared = part
                    .or(last.filter(|_| close))
                    .map(|part| hattama::seal::part::prepare(store, &paths, part, zone));
                let finished = Finished {
                    session: store.session(id)?,
                    parts,
                    // Chained now: they say so.
                    entries: store.entries(id)?,
                };
                Ok((Box::new(finished), prepared))
            })
            .then(move |result| match result {
                Err(error) => Task::done(Message::Finished(Err(error))),
                Ok((finished, prepared)) => {
                    Task::done(Message::Finished(Ok(finished))).chain(seal(prepared))
                }
            })
    }

    /// Writes a prepared seal off the database's thread (hashing a long part takes a
    /// while; entries typed meanwhile are written at once), then records it.
    pub(super) fn sealer(
        &self,
    ) -> impl Fn(Option<Result<Prepared, SealError>>) -> Task<Message> + 'static {
        let (database, paths, id) = (self.database.clone(), self.paths.clone(), self.session.id);
        let delivery = self.config.delivery.clone();
        let config = self.config.clone();
        move |prepared| {
            let Some(prepared) = prepared else {
                return Task::none();
            };
            let database = database.clone();
            let paths = paths.clone();
            let delivery = delivery.clone();
            let config = config.clone();
            let part_id = prepared.as_ref().map(Prepared::part_id).ok();
            crate::screen::blocking(move || {
                prepared.and_then(|prepared| {
                    prepared.write(&hattama::seal::Sealer::open(&paths, &config)?)
                })
            })
            .then(move |written| {
                let written = written.unwrap_or_else(|| {
                    Err(SealError::Random("the sealing thread stopped".to_owned()))
                });
                let delivery = delivery.clone();
                database
                    .run(move |store| {
                        if let Some(part_id) = part_id {
                            match &written {
                                Ok(sealed) => store.part_sealed(
                                    part_id,
                                    &sealed.manifest.sealed_at,
                                    &hattama::delivery::outbox_rows(sealed, &delivery),
                                )?,
                                Err(error) => {
                                    store.part_seal_failed(part_id, &error.to_string())?
                                }
                            }
                        }
                        Ok((store.parts_of(id)?, written.err()))
                    })
                    .map(Message::SealWritten)
            })
        }
    }

    pub(super) fn stopped(&mut self, part: Option<i64>) -> Action {
        self.phase = Phase::Idle;
        self.live = None;
        self.previews.clear();
        self.levels.clear();
        self.resume_entry = false;
        let close = std::mem::replace(&mut self.after_stop, AfterStop::Nothing) == AfterStop::Close;
        Action::Stopped(self.finish(part, close))
    }

    /// Stops the part being recorded, leaving the session open (the window is closing).
    pub fn stop_for_exit(&mut self) {
        if self.is_recording() {
            self.after_stop = AfterStop::Nothing;
            self.controller.stop();
        }
    }
}
