//! What each of the session screen's messages does.

use iced::Task;

use hattama::tr;

use crate::screen::blocking;
use crate::widget::{self, Shown};

use super::{ActForm, Action, Editing, Finished, Message, Phase, Screen};

impl Screen {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Loaded(Ok((entries, parts))) => {
                self.entries = entries;
                self.parts = parts;
                if let Some(seq) = self.correct_when_loaded.take()
                    && let Some(id) = self.entries.iter().find(|e| e.seq == seq).map(|e| e.id)
                {
                    return self.update(Message::Correct(id));
                }
                // Their ends are stored when a part ends.
                return Action::Run(self.load_incidents());
            }
            Message::Check(part_id) => {
                if let Some(part) = self.parts.iter().find(|p| p.id == part_id) {
                    self.checks.insert(part_id, None);
                    let folder = self.paths.sessions().join(&part.folder);
                    return Action::Run(
                        crate::screen::check(folder, &self.paths)
                            .map(move |checked| Message::Checked(part_id, checked)),
                    );
                }
            }
            Message::Checked(part_id, checked) => {
                self.checks.insert(part_id, checked);
            }
            Message::LastCheck(Ok(check)) => self.last_check = Some(check),
            Message::LastCheck(Err(error)) => self.show(&error),
            Message::Restore(part_id) => {
                let Some(part) = self.parts.iter().find(|p| p.id == part_id) else {
                    return Action::None;
                };
                if self.restoring.is_some() || !self.can_restore() {
                    return Action::None;
                }
                self.restoring = Some(part_id);
                let (paths, delivery) = (self.paths.clone(), self.config.delivery.clone());
                let folder = part.folder.to_string_lossy().replace('\\', "/");
                let on_server = hattama::delivery::server_folder(
                    &self.session.court,
                    &self.session.case_number,
                    &folder,
                );
                return Action::Run(
                    blocking(move || {
                        let trusted = hattama::seal::trusted_keys(&paths);
                        hattama::delivery::replica::restore(
                            &paths,
                            delivery.replica_target(),
                            &trusted,
                            &folder,
                            &on_server,
                        )
                    })
                    .map(move |restored| Message::Restored(part_id, restored)),
                );
            }
            Message::Restored(part_id, restored) => {
                self.restoring = None;
                match restored {
                    Some(Ok(restored)) => {
                        let folder = restored.folder.display().to_string();
                        self.notice = Some(if restored.already_whole {
                            tr!("restore-whole", folder = folder)
                        } else {
                            tr!("restore-done", folder = folder, files = restored.files)
                        });
                        return self.update(Message::Check(part_id));
                    }
                    Some(Err(error)) => self.show(&error),
                    None => {}
                }
            }
            Message::Loaded(Err(error)) => self.show(&error),
            Message::Incidents(Ok((incidents, entries))) => {
                self.incidents = incidents;
                // What is being typed or corrected stays as it is; new entries are added.
                for entry in entries {
                    if !self.entries.iter().any(|e| e.id == entry.id) {
                        self.insert(entry);
                    }
                }
            }
            Message::Incidents(Err(error)) => self.show(&error),
            Message::DrawUpAct(incident_id) => {
                self.act = Some(ActForm {
                    incident_id,
                    ..ActForm::default()
                });
            }
            Message::ActCause(cause) => {
                if let Some(act) = &mut self.act {
                    act.cause = cause;
                }
            }
            Message::ActConfirmedBy(name) => {
                if let Some(act) = &mut self.act {
                    act.confirmed_by = name;
                }
            }
            Message::CancelAct => self.act = None,
            Message::SaveAct => return self.save_act(),
            Message::ActDrawnUp(Ok(act)) => {
                self.act = None;
                self.notice = Some(tr!("act-drawn-up", number = act.incident_id));
                return Action::Run(self.load_incidents());
            }
            Message::ActDrawnUp(Err(error)) => self.show(&error),
            Message::SaveActPage(incident_id) => {
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title(tr!("act-save-page"))
                    .add_filter("HTML", &["html"])
                    .set_file_name(format!("technical-act-{incident_id}.html"))
                    .save_file();
                return Action::Run(Task::perform(dialog, move |picked| {
                    Message::ActPageTo(incident_id, picked.map(|h| h.path().to_owned()))
                }));
            }
            Message::ActPageTo(incident_id, Some(path)) => {
                let act = self
                    .incidents
                    .iter()
                    .find(|i| i.id == incident_id)
                    .and_then(|i| i.technical_act.as_deref())
                    .and_then(|json| serde_json::from_str::<hattama::act::TechnicalAct>(json).ok());
                if let Some(act) = act {
                    let page = act.page(self.config.court.time_zone());
                    match hattama::output::write_chosen(&path, &self.paths.data, page.as_bytes()) {
                        Ok(()) => {
                            self.notice =
                                Some(tr!("act-page-saved", path = path.display().to_string()))
                        }
                        Err(error) => self.problem = Some(Shown::of(&error)),
                    }
                }
            }
            Message::ActPageTo(_, None) => {}
            Message::Record => return self.record(),
            Message::Stop => {
                if matches!(self.phase, Phase::Starting | Phase::Recording) {
                    self.confirm_stop = true;
                }
            }
            Message::Recess => return self.recess(),
            Message::CloseSession => {
                if self.session.is_open() && self.phase != Phase::Stopping {
                    self.confirm_stop = true;
                }
            }
            Message::ConfirmClose => return self.close(),
            Message::ConfirmRecess => return self.recess(),
            Message::ConfirmContinue => self.confirm_stop = false,
            Message::Draft(text) => self.draft(text),
            Message::Submit => return self.submit(),
            Message::Template(kind) => return self.template(kind),
            Message::Added(Ok(entry), _) => self.insert(entry),
            Message::Added(Err(error), restore) => {
                if let Some(text) = restore.filter(|_| self.draft.is_empty()) {
                    self.draft = text;
                }
                self.show(&error);
            }
            Message::Speaker(speaker) => self.speaker = speaker,
            Message::Correct(id) => {
                if let Some(entry) = self.entries.iter().find(|e| e.id == id) {
                    self.editing = Some(Editing {
                        id,
                        text: entry.text.clone(),
                        addendum: entry.sealed,
                    });
                }
            }
            Message::Editing(text) => {
                if let Some(editing) = &mut self.editing {
                    editing.text = text;
                }
            }
            Message::AddendumAdded(Ok(entry)) => {
                self.editing = None;
                self.insert(entry);
                // What the seal chained is sealed now.
                let id = self.session.id;
                return Action::Run(
                    self.database
                        .run(move |store| Ok((store.entries(id)?, store.parts_of(id)?)))
                        .map(Message::Loaded),
                );
            }
            Message::AddendumAdded(Err(error)) => self.show(&error),
            Message::SaveCorrection => return self.save_correction(),
            Message::CancelCorrection => self.editing = None,
            Message::Corrected(Ok(entry)) => {
                self.editing = None;
                self.insert(entry);
            }
            Message::Corrected(Err(error)) => self.show(&error),
            Message::Finished(Ok(finished)) => {
                let Finished {
                    session,
                    parts,
                    entries,
                } = *finished;
                self.session = session;
                self.parts = parts;
                self.entries = entries;
            }
            Message::SealWritten(Ok((parts, failed))) => {
                self.parts = parts;
                if let Some(error) = failed {
                    self.show(&error);
                }
            }
            Message::SealWritten(Err(error)) => self.show(&error),
            Message::Finished(Err(error)) => self.show(&error),
            Message::Back => {
                if !self.is_recording() {
                    return Action::Back;
                }
            }
            Message::Deliveries(Ok(rows)) => self.deliveries = rows,
            Message::Deliveries(Err(error)) => self.show(&error),
            Message::RefreshDeliveries => return Action::Run(self.load_deliveries()),
            Message::RetryDelivery(id) => {
                let actor = self.config.operator.name.clone();
                let retried = self
                    .database
                    .run(move |store| store.outbox_retry_now(id, &actor))
                    .map(|result| match result {
                        Ok(()) => Message::RefreshDeliveries,
                        Err(error) => Message::Deliveries(Err(error)),
                    });
                return Action::Run(retried);
            }
            Message::Review => {
                if !self.is_recording() {
                    return Action::Review(self.session.id);
                }
            }
            Message::DiscCopy => {
                if !self.is_recording() {
                    return Action::DiscCopy(self.session.case_number.clone());
                }
            }
            Message::Panel(pressed) => {
                return Action::Run(widget::panel(&mut self.problem, pressed));
            }
            Message::DismissNotice => self.notice = None,
        }
        Action::None
    }
}
