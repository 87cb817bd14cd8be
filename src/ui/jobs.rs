//! CSV export and import from the UI: opening the dialogs, starting the jobs on their own
//! threads, and their messages (progress, the overwrite question, the dry run's report).

use super::app::App;
use super::effect::Notice;
use super::overlays::{Confirm, Overlay};
use super::panes::Pane;
use super::transfer::{
    ExportDialog, ExportJob, ExportRun, Failure, ImportChoice, ImportDialog, ImportReview,
    ImportRun, JobMsg, JobSink,
};
use super::worker::Event;
use crate::i18n::catalogue::{self as cat, Msg};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

impl App {
    pub(crate) fn open_export(&mut self) {
        if matches!(
            self.overlay,
            Some(Overlay::Exporting(_) | Overlay::Importing(_))
        ) {
            return;
        }
        let cx = self.sh.ctx();
        let (dataset, scope) = self.pane_view().export(&cx);
        let d = ExportDialog::new(dataset, scope, cx.lang, &self.export_dir, cx.today);
        self.open(Overlay::Export(Box::new(d)));
    }

    pub(crate) fn open_import(&mut self) {
        if matches!(
            self.overlay,
            Some(Overlay::Exporting(_) | Overlay::Importing(_))
        ) {
            return;
        }
        let kind = if self.pane == Pane::Timeline {
            crate::csvio::ImportKind::Activities
        } else {
            crate::csvio::ImportKind::Partners
        };
        self.open(Overlay::Import(Box::new(ImportDialog::new(kind, ""))));
    }

    fn job_sink(&self) -> JobSink {
        let tx = std::sync::Mutex::new(self.events_tx.clone());
        Arc::new(move |m| {
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(Event::Job(m));
            }
        })
    }

    pub(crate) fn start_transfer(&mut self, o: Overlay) {
        let Some(client) = self.client.clone() else {
            return self.notice(Notice::Msg(Msg::Loading));
        };
        match o {
            Overlay::Export(mut d) => match d.job(self.sh.lang) {
                Ok(job) => {
                    self.transfers.export_dialog = Some(*d);
                    self.start_export(job);
                }
                Err(m) => {
                    d.problem = Some(m);
                    self.overlay = Some(Overlay::Export(d));
                }
            },
            Overlay::Import(mut d) => {
                let raw = d.path();
                if raw.trim().is_empty() {
                    d.problem = Some(Msg::PathEmpty);
                    self.overlay = Some(Overlay::Import(d));
                    return;
                }
                let path = super::transfer::expand_home(raw.trim());
                let mut opts = crate::csvio::ImportOptions::new(self.sh.lang);
                opts.today = self.sh.today;
                opts.dry_run = true;
                match super::transfer::spawn_import(client, d.kind(), path, opts, self.job_sink()) {
                    Ok(()) => {
                        self.transfers.import_dialog = Some(*d);
                        self.overlay = Some(Overlay::Importing(ImportRun {
                            dry_run: true,
                            progress: None,
                        }));
                    }
                    Err(e) => {
                        d.error = Some(Failure::Other(e.to_string()));
                        self.overlay = Some(Overlay::Import(d));
                    }
                }
            }
            _ => {}
        }
    }

    pub(crate) fn start_export(&mut self, job: ExportJob) {
        let Some(client) = self.client.clone() else {
            return;
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let path = job.path.display().to_string();
        match super::transfer::spawn_export(client, job, Arc::clone(&cancel), self.job_sink()) {
            Ok(()) => {
                self.transfers.cancel = Some(Arc::clone(&cancel));
                self.overlay = Some(Overlay::Exporting(ExportRun {
                    path,
                    progress: None,
                    cancel,
                }));
            }
            Err(e) => self.notice(Notice::Failed(
                Msg::ExportFailed,
                Failure::Other(e.to_string()),
            )),
        }
    }

    /// Report…: a chooser of the selected partner's report (in the Partners pane, or open in
    /// its detail) and the portfolio, each as HTML or Markdown.
    pub(crate) fn open_report(&mut self) {
        use super::overlays::{Choice, ChoiceLabel};
        use crate::report::Format;
        let target = match self.pane {
            Pane::Partners => self.partners().report_target(),
            _ => None,
        };
        let mut items = Vec::new();
        if let Some((id, name)) = target {
            for (m, f) in [
                (Msg::RpChoosePartnerHtml, Format::Html),
                (Msg::RpChoosePartnerMd, Format::Markdown),
            ] {
                items.push((
                    ChoiceLabel::Named(m, name.clone()),
                    Choice::Report(Some(id), f),
                ));
            }
        }
        for (m, f) in [
            (Msg::RpChoosePortfolioHtml, Format::Html),
            (Msg::RpChoosePortfolioMd, Format::Markdown),
        ] {
            items.push((ChoiceLabel::Msg(m), Choice::Report(None, f)));
        }
        self.open(Overlay::Choose {
            title: Msg::RpChooseTitle,
            items,
            selected: 0,
        });
    }

    /// Write a report (the partner's, or the portfolio) in the export folder, in the UI's
    /// language, on a thread of its own; a notice says where it went.
    pub(crate) fn write_report(
        &mut self,
        partner: Option<crate::domain::Id>,
        format: crate::report::Format,
        replace: Option<std::path::PathBuf>,
    ) {
        let Some(client) = self.client.clone() else {
            return self.notice(Notice::Msg(Msg::Loading));
        };
        let (lang, dir, tx) = (self.sh.lang, self.export_dir.clone(), self.job_sink());
        let year = chrono::Datelike::year(&self.sh.today);
        let spawned = std::thread::Builder::new()
            .name("spets-report".into())
            .spawn(move || {
                use crate::report::{Written, write_partner_report, write_portfolio_report};
                let written = match partner {
                    Some(id) => write_partner_report(
                        &*client,
                        id,
                        year,
                        lang,
                        format,
                        &dir,
                        replace.as_deref(),
                    ),
                    None => write_portfolio_report(
                        &*client,
                        year,
                        lang,
                        format,
                        &dir,
                        replace.as_deref(),
                    ),
                };
                tx(match written {
                    Ok(Written::Done(path)) => JobMsg::Reported(path.display().to_string()),
                    Ok(Written::Exists(path)) => JobMsg::ReportExists {
                        partner,
                        format,
                        path: path.display().to_string(),
                    },
                    Err(e) => JobMsg::ReportFailed(e.text(lang)),
                });
            });
        match spawned {
            Ok(_) => self.notice(Notice::Msg(Msg::ReportWriting)),
            Err(e) => self.notice(Notice::WithDetail(Msg::ReportFailed, e.to_string())),
        }
    }

    pub(crate) fn on_job(&mut self, m: JobMsg) {
        match m {
            JobMsg::Reported(path) => self.notice(Notice::WithDetail(Msg::ReportWritten, path)),
            JobMsg::ReportExists {
                partner,
                format,
                path,
            } => {
                // Another dialog opened meanwhile (the report is made in the background): it is
                // not replaced by the question; the notice says how to ask again.
                if self.overlay.is_none() {
                    self.open(Overlay::Confirm(Confirm::ReplaceReport {
                        partner,
                        format,
                        path,
                    }))
                } else {
                    self.notice(Notice::WithDetail(Msg::ReportExistsBusy, path))
                }
            }
            JobMsg::ReportFailed(why) => self.notice(Notice::WithDetail(Msg::ReportFailed, why)),
            JobMsg::Progress(p) => {
                if let Some(Overlay::Exporting(run)) = &mut self.overlay {
                    run.progress = Some(p);
                }
            }
            JobMsg::ImportProgress(p) => {
                if let Some(Overlay::Importing(run)) = &mut self.overlay {
                    run.progress = Some(p);
                }
            }
            JobMsg::ExportExists(job) => {
                let path = job.path.display().to_string();
                self.transfers.export_waiting = Some(*job);
                self.overlay = Some(Overlay::Confirm(Confirm::OverwriteExport(path)));
            }
            JobMsg::Exported { path, rows } => {
                self.overlay = None;
                self.transfers.export_dialog = None;
                self.notice(Notice::Exported { rows, path });
            }
            JobMsg::ExportFailed(Failure::Cancelled) => {
                self.overlay = None;
                self.transfers.export_dialog = None;
                self.notice(Notice::Failed(Msg::ExportFailed, Failure::Cancelled));
            }
            JobMsg::ExportFailed(f) => {
                self.notice(Notice::Failed(Msg::ExportFailed, f.clone()));
                self.overlay = self.transfers.export_dialog.take().map(|mut d| {
                    d.error = Some(f);
                    Overlay::Export(Box::new(d))
                });
            }
            JobMsg::Checked(report) => {
                let (kind, path) = match self.transfers.import_dialog.as_ref() {
                    Some(d) => (d.kind(), super::transfer::expand_home(d.path().trim())),
                    None => (report.kind, std::path::PathBuf::new()),
                };
                let r = ImportReview::new(kind, path, report);
                self.overlay = Some(Overlay::ImportReview(Box::new(r)));
            }
            JobMsg::Imported(report) => {
                self.overlay = None;
                self.transfers.import_dialog = None;
                let noun = match report.kind {
                    crate::csvio::ImportKind::Partners => cat::Noun::Partner,
                    crate::csvio::ImportKind::Activities => cat::Noun::Activity,
                    crate::csvio::ImportKind::Goals => cat::Noun::Goal,
                };
                self.notice(Notice::Imported {
                    written: report.written,
                    noun,
                    skipped: report.rows.saturating_sub(report.written),
                });
                self.refresh_all();
            }
            JobMsg::ImportFailed(f) => {
                self.notice(Notice::Failed(Msg::ImportFailed, f.clone()));
                self.overlay = self.transfers.import_dialog.take().map(|mut d| {
                    d.error = Some(f);
                    Overlay::Import(Box::new(d))
                });
            }
        }
    }

    pub(crate) fn import_choice(&mut self, choice: ImportChoice) {
        let Some(Overlay::ImportReview(r)) = self.overlay.take() else {
            return;
        };
        let valid_only = match choice {
            ImportChoice::Cancel => {
                self.transfers.import_dialog = None;
                return self.notice(Notice::Msg(Msg::ImportCancelled));
            }
            ImportChoice::All => false,
            ImportChoice::ValidOnly => true,
        };
        let Some(client) = self.client.clone() else {
            return;
        };
        let mut opts = crate::csvio::ImportOptions::new(self.sh.lang);
        opts.today = self.sh.today;
        opts.valid_only = valid_only;
        match super::transfer::spawn_import(client, r.kind, r.path.clone(), opts, self.job_sink()) {
            Ok(()) => {
                self.overlay = Some(Overlay::Importing(ImportRun {
                    dry_run: false,
                    progress: None,
                }))
            }
            Err(e) => self.notice(Notice::Failed(
                Msg::ImportFailed,
                Failure::Other(e.to_string()),
            )),
        }
    }
}
