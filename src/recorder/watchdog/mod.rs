//! Watches every input while a part records (rule 27): an input that stops delivering, one
//! that fails, a microphone that stays silent. Each is an incident with when it began and
//! ended. A failed or ended input is taken out of the pipeline and a stand-in (a black
//! picture saying what was lost, or silence) takes its place, so its track stays continuous
//! and every other input goes on recording.
//!
//! A lost input is tried again every few seconds (`Limits::retry_every`): its bin is built
//! anew beside the stand-in, unlinked. When the new bin's first buffer comes (a camera
//! plugged back in, a network stream that is up again) it takes the stand-in's place on the
//! same pads, from its streaming thread, and the incident ends: the input is back. A try
//! that fails (the device is still gone) is taken out and made again later.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use gstreamer as gst;
use gstreamer::prelude::*;
use serde::Serialize;

use super::inputs::{Input, InputKind};
use super::pipeline::{bin_name, source_name};
use super::profile::Profile;
use crate::protocol::IncidentKind;

mod rewire;

pub(super) use rewire::{InputNews, input_news};
use rewire::{replace_with_stand_in, stand_in_name, take_out, try_again, watch};

/// The application message an input's bin posts when its source ended by itself.
const INPUT_ENDED: &str = "hattama/input-ended";
/// The application message a lost input's new bin posts when it has taken the stand-in's
/// place.
const INPUT_BACK: &str = "hattama/input-back";

/// How long a new bin of a lost input may wait for its first buffer (a network stream
/// still connecting) before it is taken out and made again.
const TRY_PATIENCE: Duration = Duration::from_secs(20);

/// An input that delivered a buffer this recently is delivering (buffers come every
/// 20–40 ms; the level reports every 100 ms).
const DELIVERING: Duration = Duration::from_millis(500);

/// An incident as the recorder sees it: sent once when it begins (`ended` empty) and once
/// when it ends (the input came back, or the part ended).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub kind: IncidentKind,
    /// The input's id (`microphone-2`).
    pub input: String,
    /// What people call it.
    pub name: String,
    pub began: DateTime<Utc>,
    pub ended: Option<DateTime<Utc>>,
    /// It ended because the input delivers (or is heard) again, not because the part ended.
    pub came_back: bool,
    pub details: String,
}

/// How the inputs are watched.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub stall_after: Duration,
    /// `None`: microphones' silence is not watched.
    pub silent_after: Option<Duration>,
    pub silence_db: f64,
    /// `None`: a lost input stays replaced by its stand-in until the part ends.
    pub retry_every: Option<Duration>,
}

/// Whether the recording itself is ending (an input's end-of-stream is then expected).
type Stopping = Arc<dyn Fn() -> bool + Send + Sync>;

struct Watched {
    input: Input,
    /// When its last buffer passed, in nanoseconds since `Watchdog::epoch`; 0: none yet.
    last_buffer: Arc<AtomicU64>,
    /// When its level was last above the silence floor.
    last_sound: Instant,
    stopped: Option<Incident>,
    silent: Option<Incident>,
    /// Taken out of the pipeline: a stand-in records in its place.
    lost: Option<Lost>,
}

struct Lost {
    next_try: Instant,
    /// The input's bin made again, waiting for its first buffer, and since when.
    trying: Option<(gst::Bin, Instant)>,
    tries: u32,
}

impl Lost {
    /// Lost now; first tried again at `next_try`.
    fn at(next_try: Instant) -> Lost {
        Lost {
            next_try,
            trying: None,
            tries: 0,
        }
    }

    fn give_up_try(&mut self, pipeline: &gst::Pipeline) {
        if let Some((bin, _)) = self.trying.take() {
            take_out(pipeline, bin.upcast_ref());
        }
    }
}

pub(super) struct Watchdog {
    epoch: Instant,
    limits: Limits,
    inputs: Vec<Watched>,
    profile: Profile,
    stopping: Stopping,
}

fn wall(at: Instant) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::from_std(at.elapsed()).unwrap_or_default()
}

impl Watchdog {
    /// Puts a probe on every input's way out: it notes each buffer, and keeps an input's
    /// own end-of-stream (a camera unplugged, a stream that ended) from ending the
    /// recording. `stopping` says whether the recording itself is ending.
    pub(super) fn attach(
        pipeline: &gst::Pipeline,
        inputs: &[Input],
        profile: &Profile,
        limits: Limits,
        stopping: impl Fn() -> bool + Send + Sync + 'static,
    ) -> Watchdog {
        let epoch = Instant::now();
        let stopping: Stopping = Arc::new(stopping);
        let mut watched = Vec::new();
        for input in inputs {
            let Some(bin) = pipeline.by_name(&bin_name(&input.id)) else {
                continue;
            };
            let last_buffer = Arc::new(AtomicU64::new(0));
            if watch(&bin, &last_buffer, epoch, &stopping, &input.id).is_none() {
                continue;
            }
            watched.push(Watched {
                input: input.clone(),
                last_buffer,
                last_sound: Instant::now(),
                stopped: None,
                silent: None,
                lost: None,
            });
        }
        Watchdog {
            epoch,
            limits,
            inputs: watched,
            profile: profile.clone(),
            stopping,
        }
    }

    fn last_buffer(&self, input: &Watched) -> Option<Instant> {
        match input.last_buffer.load(Ordering::Relaxed) {
            0 => None,
            ns => Some(self.epoch + Duration::from_nanos(ns)),
        }
    }

    /// Looks at every input; returns the incidents that began or ended.
    pub(super) fn tick(&mut self) -> Vec<Incident> {
        let mut changes = Vec::new();
        let limits = self.limits;
        let lasts: Vec<Option<Instant>> = self.inputs.iter().map(|i| self.last_buffer(i)).collect();
        for (input, last) in self.inputs.iter_mut().zip(lasts) {
            let Some(last) = last else { continue };
            let quiet_for = last.elapsed();
            if input.lost.is_some() {
                continue;
            }
            let quiet = quiet_for >= limits.stall_after;
            if quiet && input.stopped.is_none() {
                let incident = input.incident(
                    IncidentKind::InputStopped,
                    wall(last),
                    format!("no data for {} s", limits.stall_after.as_secs()),
                );
                tracing::warn!("{} stopped delivering", input.input.id);
                input.stopped = Some(incident.clone());
                changes.push(incident);
            } else if !quiet && let Some(mut incident) = input.stopped.take() {
                incident.ended = Some(Utc::now());
                incident.came_back = true;
                tracing::info!("{} delivers again", input.input.id);
                // Its silence is counted afresh.
                input.last_sound = Instant::now();
                changes.push(incident);
            }
            // Silence is what the level measured in sound that came: a microphone whose data
            // stopped (a network one gone) is a stall, not silence, even in the moments
            // before the stall is declared.
            let delivering = quiet_for < DELIVERING;
            if let (InputKind::Microphone, Some(after), None, None) = (
                input.input.kind,
                limits.silent_after,
                &input.silent,
                &input.stopped,
            ) && delivering
                && input.last_sound.elapsed() >= after
            {
                let incident = input.incident(
                    IncidentKind::MicrophoneSilent,
                    wall(input.last_sound),
                    format!("below {} dBFS for {} s", limits.silence_db, after.as_secs()),
                );
                input.silent = Some(incident.clone());
                changes.push(incident);
            }
        }
        changes
    }

    /// The inputs the sound server has moved to another device (PulseAudio moves a
    /// stream whose microphone was unplugged to another one, silently): each with where it
    /// went. Such an input records the wrong microphone; it is to be lost.
    pub(super) fn moved(&self, pipeline: &gst::Pipeline) -> Vec<(String, String)> {
        self.inputs
            .iter()
            .filter(|input| input.lost.is_none())
            .filter_map(|input| {
                let source = pipeline.by_name(&source_name(&input.input.id))?;
                let string = |name: &str| -> Option<String> {
                    source.find_property(name)?;
                    source
                        .property::<Option<String>>(name)
                        .filter(|s| !s.is_empty())
                };
                let (asked, now) = (string("device")?, string("current-device")?);
                (asked != now).then(|| (input.input.id.clone(), now))
            })
            .collect()
    }

    /// An input's level: its silence ends when it is heard again.
    pub(super) fn heard(&mut self, id: &str, peak_db: &[f64]) -> Option<Incident> {
        let floor = self.limits.silence_db;
        let input = self.find(id)?;
        if !peak_db.iter().any(|peak| *peak > floor) {
            return None;
        }
        input.last_sound = Instant::now();
        let mut incident = input.silent.take()?;
        incident.ended = Some(Utc::now());
        incident.came_back = true;
        Some(incident)
    }

    fn find(&mut self, id: &str) -> Option<&mut Watched> {
        self.inputs.iter_mut().find(|i| i.input.id == id)
    }

    /// The input `id` failed or ended: it is replaced by a stand-in. Returns the incidents
    /// that begin or end (see [`Watched::open_stopped`]; none when the input was already
    /// lost). When it is a try at bringing a lost input back that ended, the try is given
    /// up.
    pub(super) fn lose(
        &mut self,
        pipeline: &gst::Pipeline,
        id: &str,
        kind: IncidentKind,
        details: String,
    ) -> Vec<Incident> {
        let retry_every = self.limits.retry_every;
        let Some(input) = self.find(id) else {
            return Vec::new();
        };
        if let Some(lost) = &mut input.lost {
            lost.give_up_try(pipeline);
            return Vec::new();
        }
        input.lost = Some(Lost::at(Instant::now() + retry_every.unwrap_or_default()));
        tracing::warn!("{id} is lost ({details}): a stand-in records in its place");
        if let Err(error) = replace_with_stand_in(pipeline, &input.input) {
            tracing::error!("{id}: the stand-in could not be put in place: {error}");
        }
        input.open_stopped(kind, details)
    }

    /// The input `id` failed while the part is stopping: its bin is taken out and its
    /// end-of-stream sent on in its place, so the part still ends cleanly.
    pub(super) fn lose_while_stopping(
        &mut self,
        pipeline: &gst::Pipeline,
        id: &str,
        details: String,
    ) -> Vec<Incident> {
        let Some(input) = self.find(id).filter(|input| input.lost.is_none()) else {
            return Vec::new();
        };
        // Not tried again: only a recording part is.
        input.lost = Some(Lost::at(Instant::now()));
        tracing::warn!("{id} failed while the part stops ({details}): its track ends here");
        if let Some(bin) = pipeline.by_name(&bin_name(id)) {
            let peer = bin.static_pad("src").and_then(|pad| pad.peer());
            take_out(pipeline, &bin);
            if let Some(peer) = peer {
                peer.send_event(gst::event::Eos::new());
            }
        }
        input.open_stopped(IncidentKind::InputError, details)
    }

    /// An error came from inside input `id` while it is lost: if it is the try at bringing
    /// it back that failed (the device is still gone), the try is taken out.
    pub(super) fn try_failed(
        &mut self,
        pipeline: &gst::Pipeline,
        id: &str,
        source: Option<&gst::Object>,
        details: &str,
    ) {
        let Some(input) = self.find(id) else { return };
        let Some(lost) = &mut input.lost else { return };
        let from_try = lost.trying.as_ref().is_some_and(|(bin, _)| {
            source.is_some_and(|source| {
                source == bin.upcast_ref::<gst::Object>() || source.has_as_ancestor(bin)
            })
        });
        if from_try {
            tracing::info!("{id}: try {} failed: {details}", lost.tries);
            lost.give_up_try(pipeline);
        }
    }

    /// Whether `id` has been taken out (its later errors are the same failure).
    pub(super) fn is_lost(&self, id: &str) -> bool {
        self.inputs
            .iter()
            .any(|i| i.input.id == id && i.lost.is_some())
    }

    /// Tries again the lost inputs whose time has come: each one's bin is made anew beside
    /// its stand-in, and takes its place at its first buffer ([`Watchdog::back`]).
    pub(super) fn retry(&mut self, pipeline: &gst::Pipeline) {
        let Some(every) = self.limits.retry_every else {
            return;
        };
        let (epoch, profile, stopping) = (self.epoch, &self.profile, &self.stopping);
        for input in &mut self.inputs {
            let Some(lost) = &mut input.lost else {
                continue;
            };
            if let Some((_, since)) = &lost.trying {
                if since.elapsed() < TRY_PATIENCE {
                    continue;
                }
                tracing::info!("{}: try {} gave nothing", input.input.id, lost.tries);
                lost.give_up_try(pipeline);
            }
            if lost.next_try > Instant::now() {
                continue;
            }
            lost.next_try = Instant::now() + every;
            lost.tries += 1;
            let id = input.input.id.clone();
            match try_again(
                pipeline,
                &input.input,
                profile,
                epoch,
                stopping,
                &input.last_buffer,
            ) {
                Ok(bin) => lost.trying = Some((bin, Instant::now())),
                Err(error) => tracing::info!("{id}: try {} failed: {error}", lost.tries),
            }
        }
    }

    /// A lost input's new bin has taken the stand-in's place: the stand-in goes, the
    /// incident ends, the input is watched again.
    pub(super) fn back(&mut self, pipeline: &gst::Pipeline, id: &str) -> Option<Incident> {
        let now = (self.epoch.elapsed().as_nanos() as u64).max(1);
        let input = self.find(id)?;
        let lost = input.lost.take()?;
        // Its first buffer just came (the probe that put it in place took it): its stall is
        // counted from now, not from the lost bin's last buffer.
        input.last_buffer.store(now, Ordering::Relaxed);
        if let Some(stand_in) = pipeline.by_name(&stand_in_name(id)) {
            take_out(pipeline, &stand_in);
        }
        tracing::info!("{id} is back (try {})", lost.tries);
        // Its silence (none is kept while it is lost) is counted afresh.
        input.last_sound = Instant::now();
        let mut incident = input.stopped.take()?;
        incident.ended = Some(Utc::now());
        incident.came_back = true;
        Some(incident)
    }

    /// The part ended: every open incident ends now.
    pub(super) fn end_all(&mut self) -> Vec<Incident> {
        let now = Utc::now();
        self.inputs
            .iter_mut()
            .flat_map(|input| [input.stopped.take(), input.silent.take()])
            .flatten()
            .map(|mut incident| {
                incident.ended = Some(now);
                incident
            })
            .collect()
    }
}

impl Watched {
    fn incident(&self, kind: IncidentKind, began: DateTime<Utc>, details: String) -> Incident {
        Incident {
            kind,
            input: self.input.id.clone(),
            name: self.input.name.clone(),
            began,
            ended: None,
            came_back: false,
            details,
        }
    }

    /// The input stopped: an incident begins now, unless a stall already stands for it;
    /// a silence it was in ends now (what follows is the loss, not silence).
    fn open_stopped(&mut self, kind: IncidentKind, details: String) -> Vec<Incident> {
        let now = Utc::now();
        let mut changes: Vec<Incident> = self
            .silent
            .take()
            .map(|silent| Incident {
                ended: Some(now),
                ..silent
            })
            .into_iter()
            .collect();
        if self.stopped.is_none() {
            let incident = self.incident(kind, now, details);
            self.stopped = Some(incident.clone());
            changes.push(incident);
        }
        changes
    }
}

#[cfg(test)]
mod tests;
