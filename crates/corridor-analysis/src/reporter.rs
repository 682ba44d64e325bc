//! Progress callbacks for long analyses. Library crates never touch the terminal: an analysis calls a
//! [`Reporter`], and the caller decides what to show (the CLI draws a progress bar on a terminal).

/// Receives progress from a long analysis. Called from worker threads, hence `Sync`; every method has
/// a default that does nothing.
pub trait Reporter: Sync {
    /// A phase of `total` steps begins (`what` says what a step is, e.g. "samples").
    fn start(&self, _what: &str, _total: u64) {}
    /// `n` more steps are done.
    fn advance(&self, _n: u64) {}
    /// The phase is over.
    fn finish(&self) {}
}

/// A [`Reporter`] that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Reporter for Silent {}

/// Runs `f` on a pool of `threads` worker threads (`None`: rayon's global pool, one per core).
pub(crate) fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> Result<T, crate::AnalysisError> {
    match threads {
        None => Ok(f()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| crate::AnalysisError::Empty {
                    what: format!("cannot start {n} worker threads: {e}"),
                })?;
            Ok(pool.install(f))
        }
    }
}
