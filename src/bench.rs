//! `spets bench`: measure the workspace-core targets on an existing workspace and print figures.
//!
//! Targets (workspace-core issue), on `spets demo --partners 10000 --activities 200000 --notes 20000`:
//! open + first screen under 100 ms; a typed partner filter under 5 ms; peak memory under 100 MB;
//! (life-cycle issue) the overview pane under 30 ms.
//! Figures are printed, never asserted: timing depends on the machine.

use crate::service::{
    ActionQuery, ActivityQuery, Identity, MatrixQuery, NoteQuery, PartnerQuery, Request, Response,
    Role, Service,
};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// Peak resident memory of this process (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..runs).map(|_| time(&mut f).1).collect();
    v.sort();
    v[v.len() / 2]
}

/// Run the measurements and return the report.
pub fn run(dir: &Path, filters: &[String]) -> Result<String> {
    let mut out = String::new();
    let who = Identity {
        user: crate::identity::current_user(),
        role: Role::Admin,
    };
    let started = Instant::now();
    let (service, open) = time(|| Service::open(dir));
    let service = service?;
    let model_source = if service.model_from_checkpoint() {
        "model from the checkpoint left by the last close"
    } else {
        "model from the records: no current checkpoint"
    };
    let first_page = PartnerQuery {
        limit: 40,
        ..Default::default()
    };
    let (first, first_q) = time(|| {
        let a = service.handle(&who, Request::Partners(first_page.clone()));
        let b = service.handle(&who, Request::RenewalsDue);
        let c = service.handle(&who, Request::Stats);
        (a, b, c)
    });
    let total_first = started.elapsed();
    let stats = match &first.2 {
        Response::Stats(s) => s.clone(),
        _ => Default::default(),
    };
    writeln!(out, "workspace: {}", dir.display())?;
    writeln!(
        out,
        "records: {} partners, {} agreements, {} contacts, {} activities, {} assessments, {} notes, {} audit entries",
        stats.partners,
        stats.agreements,
        stats.contacts,
        stats.activities,
        stats.assessments,
        stats.notes,
        stats.audit_entries
    )?;
    writeln!(
        out,
        "open workspace (store + model):      {:8.2} ms ({model_source})",
        ms(open),
    )?;
    writeln!(
        out,
        "first screen queries (partners page, renewals, stats): {:8.2} ms",
        ms(first_q)
    )?;
    writeln!(
        out,
        "open + first screen (target < 100 ms): {:8.2} ms",
        ms(total_first)
    )?;
    if let Some(k) = peak_rss_kib() {
        writeln!(
            out,
            "peak memory after the first screen (target < 100 MB): {:.1} MB",
            k as f64 / 1024.0
        )?;
    }
    let default_filters: Vec<String> = [
        "u",
        "un",
        "uni",
        "univ",
        "öre",
        "ore",
        "göteborg",
        "東京",
        "zzz-no-match",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let filters = if filters.is_empty() {
        &default_filters
    } else {
        filters
    };
    for f in filters {
        let q = PartnerQuery {
            text: f.clone(),
            limit: 40,
            ..Default::default()
        };
        let mut total = 0;
        let d = median(9, || {
            if let Response::Partners(p) = service.handle(&who, Request::Partners(q.clone())) {
                total = p.total;
            }
        });
        writeln!(
            out,
            "partner filter {f:<14} (target < 5 ms): {:8.3} ms, {total} matches",
            ms(d)
        )?;
    }
    let today = service.today();
    let (_, warm) = time(|| service.warm_up());
    writeln!(
        out,
        "warm-up in the background (activity table, scores, action items): {:8.2} ms",
        ms(warm)
    )?;
    if let Some(bytes) = service.activity_table_bytes() {
        let n = service.stats().activities.max(1);
        writeln!(
            out,
            "activity table: {:.1} MB, {} bytes per activity",
            bytes as f64 / 1e6,
            bytes / n
        )?;
    }
    let mut total = 0;
    for (i, text) in ["s", "st", "ste", "stee", "steer", "steering"]
        .iter()
        .enumerate()
    {
        let q = ActivityQuery {
            text: text.to_string(),
            newest_first: true,
            limit: 40,
            ..Default::default()
        };
        let d = median(5, || {
            if let Response::Activities(p) = service.handle(&who, Request::Activities(q.clone())) {
                total = p.total;
            }
        });
        writeln!(
            out,
            "activity search, key {} {:<9} {:8.2} ms, {total} matches",
            i + 1,
            format!("{text:?}"),
            ms(d)
        )?;
    }
    let others: Vec<(&str, Request)> = vec![
        (
            "timeline page (40 around today)",
            Request::Activities(ActivityQuery {
                to: Some(today),
                newest_first: true,
                limit: 40,
                ..Default::default()
            }),
        ),
        (
            "value matrix page (first build)",
            Request::Matrix(MatrixQuery {
                partners: PartnerQuery {
                    limit: 40,
                    ..Default::default()
                },
                ..Default::default()
            }),
        ),
        (
            "value matrix page (cached)",
            Request::Matrix(MatrixQuery {
                partners: PartnerQuery {
                    limit: 40,
                    ..Default::default()
                },
                ..Default::default()
            }),
        ),
        (
            "notes page (40 newest)",
            Request::Notes(NoteQuery {
                limit: 40,
                ..Default::default()
            }),
        ),
        (
            "my open action items (first build)",
            Request::ActionItems(ActionQuery {
                owner: Some(who.user.clone()),
                open_only: true,
                ..Default::default()
            }),
        ),
        (
            "my open action items (cached)",
            Request::ActionItems(ActionQuery {
                owner: Some(who.user.clone()),
                open_only: true,
                ..Default::default()
            }),
        ),
        ("overview (first: life cycle loads)", Request::Overview),
    ];
    for (name, req) in others {
        let (_, d) = time(|| service.handle(&who, req));
        writeln!(out, "{name:<40} {:8.2} ms", ms(d))?;
    }
    let mut counts = [0; 6];
    let d = median(5, || {
        if let Response::Overview(o) = service.handle(&who, Request::Overview) {
            counts = o.counts();
        }
    });
    writeln!(
        out,
        "overview pane (target < 30 ms): {:8.2} ms; renewals {}, meetings {}, evaluations {}, goals {}, activities {}, action items {}",
        ms(d),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4],
        counts[5]
    )?;
    match peak_rss_kib() {
        Some(k) => writeln!(
            out,
            "peak memory (VmHWM, target < 100 MB): {:.1} MB",
            k as f64 / 1024.0
        )?,
        None => writeln!(out, "peak memory: not available (no /proc/self/status)")?,
    }
    Ok(out)
}

/// CPU time (user + system) of process `pid` in milliseconds, from /proc.
fn cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0) // USER_HZ is 100 on Linux
}

/// `spets bench --daemon`: start a daemon on the workspace, let `clients` socket clients make
/// `edits` durable saves each at the same time, and report the save latencies; then measure what
/// the same clients cost the daemon while idle.
pub fn daemon(
    dir: &Path,
    clients: usize,
    edits: usize,
    pause_ms: u64,
    idle_secs: u64,
    check_loops: usize,
) -> Result<String> {
    use crate::client::{Client, Remote};
    use crate::domain::{
        Activity, ActivityKind, ActivityStatus, AddedValue, Id, OrgKind, Partner, Phase, Tier,
    };
    use crate::service::AnyData;
    let mut out = String::new();
    let tmp = std::env::temp_dir().join(format!("spets-bench-{}", std::process::id()));
    let socket = tmp.join("spets.sock");
    // One user opens every connection here: lift the per-user cap for the measurement.
    let child = std::process::Command::new(std::env::current_exe()?)
        .arg("serve")
        .arg("--db")
        .arg(dir)
        .arg("--socket")
        .arg(&socket)
        .args([
            "--max-clients",
            "100000",
            "--max-clients-per-user",
            "100000",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    /// The daemon, stopped however the measurement ends.
    struct Stopped(std::process::Child);
    impl Drop for Stopped {
        fn drop(&mut self) {
            let _ = rustix::process::kill_process(
                rustix::process::Pid::from_child(&self.0),
                rustix::process::Signal::TERM,
            );
            let _ = self.0.wait();
        }
    }
    let mut child = Stopped(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    let first = loop {
        match Remote::connect(&socket) {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => {
                let _ = child.0.kill();
                return Err(e.into());
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let today = chrono::Local::now().date_naive();
    let mut partners = Vec::new();
    for n in 0..clients {
        let p = Partner {
            name: format!("Bench partner {n} {}", std::process::id()),
            short_name: None,
            kind: OrgKind::University,
            country: "SE".into(),
            city: "Örebro".into(),
            website: String::new(),
            phase: Phase::Running,
            tier: Tier::Other,
            formats: vec![],
            faculties: vec![],
            goals: vec![],
            tags: vec![],
            sponsors_ours: vec![],
            sponsors_partner: vec![],
            coordinator: String::new(),
        };
        match first.call(Request::Create(AnyData::Partner(p))) {
            Response::Saved { id, .. } => partners.push(id),
            other => anyhow::bail!("could not create a bench partner: {other:?}"),
        }
    }
    // Wait for the daemon's background warm-up (these queries need what it builds), so the figures
    // are for a daemon in its steady state.
    // The activity query waits for the table the warm-up builds; the other two then wait for the
    // scores and action items it builds next.
    first.call(Request::Activities(ActivityQuery {
        limit: 1,
        ..Default::default()
    }));
    first.call(Request::Matrix(Default::default()));
    first.call(Request::ActionItems(Default::default()));
    let conns: Vec<Remote> = (0..clients)
        .map(|_| Remote::connect(&socket))
        .collect::<Result<_, _>>()?;
    let checkers: Vec<Remote> = (0..check_loops)
        .map(|_| Remote::connect(&socket))
        .collect::<Result<_, _>>()?;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let checks = std::sync::atomic::AtomicUsize::new(0);
    let started = Instant::now();
    let saves_done = std::sync::OnceLock::new();
    let mut latencies: Vec<Duration> = std::thread::scope(|s| {
        // `spets check` in a loop on other connections, all the while (it reads a snapshot, so
        // saves should not wait for it).
        for c in &checkers {
            let (stop, checks) = (&stop, &checks);
            s.spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    if matches!(c.call(Request::Check), Response::CheckReport { .. }) {
                        checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
        let handles: Vec<_> = conns
            .iter()
            .zip(&partners)
            .map(|(c, pid): (&Remote, &Id)| {
                s.spawn(move || {
                    let mut v = Vec::with_capacity(edits);
                    for k in 0..edits {
                        let a = Activity {
                            date: today,
                            end_date: None,
                            partners: vec![*pid],
                            kind: ActivityKind::Meeting,
                            title: format!("Bench save {k}"),
                            description: String::new(),
                            values: vec![AddedValue::Quality],
                            status: ActivityStatus::Planned,
                            owner: String::new(),
                        };
                        if pause_ms > 0 {
                            // Spread the clients out, then pause between saves like people do.
                            std::thread::sleep(Duration::from_millis(if k == 0 {
                                pid.0 % pause_ms
                            } else {
                                pause_ms
                            }));
                        }
                        let t = Instant::now();
                        let r = c.call(Request::Create(AnyData::Activity(a)));
                        v.push(t.elapsed());
                        if !matches!(r, Response::Saved { .. }) {
                            break;
                        }
                    }
                    v
                })
            })
            .collect();
        let all = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        // The saves' time: not the wait for the check in progress to finish.
        saves_done.get_or_init(|| started.elapsed());
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        all
    });
    let wall = saves_done
        .get()
        .copied()
        .unwrap_or_else(|| started.elapsed());
    if check_loops > 0 {
        writeln!(
            out,
            "meanwhile {check_loops} clients ran `spets check` in a loop: {} checks done",
            checks.load(std::sync::atomic::Ordering::Relaxed)
        )?;
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    writeln!(
        out,
        "daemon: {clients} clients × {edits} durable saves each, {pause_ms} ms pause between a client's saves ({} saves in {:.2} s, {:.0} saves/s)",
        latencies.len(),
        wall.as_secs_f64(),
        latencies.len() as f64 / wall.as_secs_f64()
    )?;
    writeln!(
        out,
        "save latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms (target < 20 ms), max {:.2} ms",
        ms(pct(0.50)),
        ms(pct(0.95)),
        ms(pct(0.99)),
        ms(pct(1.0))
    )?;
    // Idle: every client stays connected, nobody does anything.
    std::thread::sleep(Duration::from_secs(1));
    let before = cpu_ms(child.0.id());
    std::thread::sleep(Duration::from_secs(idle_secs));
    let after = cpu_ms(child.0.id());
    if let (Some(b), Some(a)) = (before, after) {
        writeln!(
            out,
            "daemon CPU with {} idle clients connected: {:.0} ms over {idle_secs} s",
            clients + check_loops + 1,
            a - b
        )?;
    }
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.0.id())).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    writeln!(
        out,
        "daemon memory: {:.1} MB now, peak {:.1} MB",
        kb("VmRSS:") / 1024.0,
        kb("VmHWM:") / 1024.0
    )?;
    drop(checkers);
    drop(conns);
    drop(first);
    drop(child);
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(out)
}
