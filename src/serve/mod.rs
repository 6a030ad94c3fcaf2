//! `radpress serve`: the same build, into memory, re-run on every save, with the open browser told
//! to reload (or to swap a stylesheet, or to show the error) over server-sent events.
//!
//! Three parts: `state` holds the last good site and the current error; `http` answers requests
//! from it; `watch` turns file events into rebuilds. The library never prints: what happens is
//! reported through `ServeEvent`s to the caller.

mod http;
mod state;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use state::State;
pub use state::Update;

use crate::error::{Error, Result};
use crate::{Engine, Publish};

/// What `radpress serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub publish: Publish,
    /// How long to wait for a burst of file events (an editor's save) to settle.
    pub debounce: Duration,
    /// Host names answered besides `localhost`, `*.localhost` and IP addresses (`--allow-host`).
    pub allowed_hosts: Vec<String>,
}

/// What the server reports to its caller.
#[derive(Debug, Clone)]
pub enum ServeEvent {
    /// Listening at this address.
    Listening(SocketAddr),
    /// A rebuild finished: how long it took and how many pages were rendered or reused.
    Rebuilt {
        elapsed: Duration,
        rendered: usize,
        reused: usize,
        changed: Vec<PathBuf>,
    },
    /// A rebuild failed; the server keeps serving the last good site and shows this in the page.
    Failed { elapsed: Duration, message: String },
}

/// Build the site, serve it and rebuild on change, until the process ends.
pub fn serve(
    mut opts: ServeOptions,
    report: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> Result<()> {
    // File events name absolute paths; compare them with an absolute root.
    opts.root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let report = Arc::new(report);
    let engine = Arc::new(Engine::new());
    engine.defer_secondary_outputs();
    let state = Arc::new(State::new());
    rebuild(&engine, &state, &opts, Vec::new(), &*report);
    engine.keep_stale_search_index();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((opts.bind, opts.port)))
        .map_err(|e| {
            Error::Usage(format!(
                "cannot listen on {}:{}: {e}; is another server using the port? Try --port",
                opts.bind, opts.port
            ))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot read the server address: {e}")))?;
    report(ServeEvent::Listening(addr));

    let _watcher = {
        let (engine, state, opts, report) =
            (engine.clone(), state.clone(), opts.clone(), report.clone());
        watch::start(&opts.root.clone(), opts.debounce, move |changed| {
            rebuild(&engine, &state, &opts, changed, &*report);
        })?
    };
    let hosts = Arc::new(opts.allowed_hosts.clone());
    runtime
        .block_on(async move { axum::serve(listener, http::router(state, hosts)).await })
        .map_err(|e| Error::Usage(format!("the server stopped: {e}")))
}

/// How long the author must pause (no save) before the search index is built again: a Pagefind
/// run takes seconds and gigabytes on a large site, and must not compete with the reloads of an
/// author saving every second.
const SEARCH_QUIET: std::time::Duration = std::time::Duration::from_secs(3);

/// When the last rebuild served a stale search index (its searchable text changed), build the
/// new one on a thread of its own once the author pauses, and swap it in when done, without
/// holding up saves and reloads. One runs at a time; it keeps going while newer text is waiting.
fn refresh_search_in_background(engine: &Arc<Engine>, state: &Arc<State>) {
    if !engine.search_refresh_pending() || !engine.start_search_refresh() {
        return;
    }
    let (engine, state) = (engine.clone(), state.clone());
    std::thread::spawn(move || {
        loop {
            // Wait for a pause in the saves before every run.
            while state.quiet_for() < SEARCH_QUIET {
                std::thread::sleep(SEARCH_QUIET.saturating_sub(state.quiet_for()));
            }
            match crate::timing::phase("search refresh", || engine.refresh_search()) {
                Some(Ok((fresh, gone))) => state.update(fresh, &gone),
                // The pages are fine; the preview's search keeps the last index.
                Some(Err(e)) => eprintln!("radpress: the search index was not updated: {e}"),
                None => {
                    engine.end_search_refresh();
                    // Text that arrived after the last check and before the claim was released.
                    if !engine.search_refresh_pending() || !engine.start_search_refresh() {
                        break;
                    }
                }
            }
        }
    });
}

/// Rebuild into memory and tell connected browsers what to do.
fn rebuild(
    engine: &Arc<Engine>,
    state: &Arc<State>,
    opts: &ServeOptions,
    changed: Vec<PathBuf>,
    report: &dyn Fn(ServeEvent),
) {
    let started = Instant::now();
    state.changing();
    let hint = (!changed.is_empty()).then_some(changed.as_slice());
    let render = crate::timing::phase("render", || {
        engine.render_changed(&opts.root, opts.publish, hint)
    });
    let render = render.and_then(|rendered| {
        let files = rendered.files;
        let base_path = rendered.site.base_path.clone();
        let update = crate::timing::phase("publish", || state.publish(files, &base_path, &changed));
        let told = Instant::now();
        let elapsed = told - started;
        if update == Update::Reload {
            crate::timing::phase("browsers reload", || state.let_browsers_reload(told));
        }
        // The browser has reloaded; now the share cards, social.json and search index.
        let deferred = crate::timing::phase("deferred", || engine.finish_deferred(&rendered.site));
        engine.keep(rendered.site);
        if let Some(deferred) = deferred {
            let (fresh, gone) = deferred?;
            state.update(fresh, &gone);
        }
        refresh_search_in_background(engine, state);
        Ok(elapsed)
    });
    match render {
        Ok(elapsed) => {
            let stats = engine.stats();
            report(ServeEvent::Rebuilt {
                elapsed,
                rendered: stats.outputs_rendered,
                reused: stats.outputs_reused,
                changed,
            });
        }
        Err(e) => {
            let message = e.to_string();
            state.fail(message.clone());
            report(ServeEvent::Failed {
                elapsed: started.elapsed(),
                message,
            });
        }
    }
}
