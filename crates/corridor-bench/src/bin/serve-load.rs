//! `serve-load`: a load test of `corridor serve` from a second process on loopback. Starts the
//! server, then for each connection count holds that many keep-alive HTTP/1.1 connections (one
//! thread each) sending a mix of what the web app asks — the page, the dataset, and a solve with a
//! link taken out — and reports requests per second, p50/p99 latency, errors, 503s from the solve
//! cap, and the server's resident memory (VmRSS) before, during and after. `bench/run.sh` calls it.
//!
//! Exit codes: 0 when every request got an answer that is not an error (503s from the solve cap
//! count apart) and memory stayed flat; 1 otherwise; 2 when the server does not start. Time never
//! fails a run.

// A benchmark binary: printing results and progress is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{bail, Context as _};
use clap::Parser;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(about = "load test of `corridor serve` on loopback")]
struct Cli {
    /// The `corridor` binary to start (a release build measures what users run).
    #[arg(long)]
    corridor: PathBuf,
    /// Connection counts, run in turn.
    #[arg(long, value_delimiter = ',', default_value = "16,64,256")]
    connections: Vec<usize>,
    /// Seconds of load at each connection count.
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Also write the results table (markdown) here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Memory is flat when VmRSS after the last run is at most this many MiB above VmRSS after the
    /// first (allocator arenas and caches grow a little with the thread count, not with requests).
    #[arg(long, default_value_t = 32.0)]
    rss_margin_mib: f64,
}

/// What one connection asks, in turn (each connection starts at its own place in the cycle).
#[derive(Clone, Copy, Debug)]
enum Ask {
    Page,
    Dataset,
    Solve,
}

const MIX: [Ask; 3] = [Ask::Page, Ask::Dataset, Ask::Solve];

/// One run's tally, merged over its connections.
#[derive(Debug, Default)]
struct Tally {
    /// Microseconds per answered request (2xx, 3xx and 503 alike).
    latencies_us: Vec<u32>,
    ok: u64,
    /// 503 from the solve cap: the server refusing more than its solves at once, by design.
    busy: u64,
    /// Any other status.
    bad_status: u64,
    /// Connections that failed or closed under a request.
    io_errors: u64,
    first_error: Option<String>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        self.ok += other.ok;
        self.busy += other.busy;
        self.bad_status += other.bad_status;
        self.io_errors += other.io_errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn errors(&self) -> u64 {
        self.bad_status + self.io_errors
    }
}

#[derive(Debug)]
struct RunResult {
    connections: usize,
    seconds: f64,
    tally: Tally,
    rss_before_kib: u64,
    rss_peak_kib: u64,
    rss_after_kib: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("serve-load: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Stops the server when the load test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(cli: &Cli) -> anyhow::Result<bool> {
    let mut child = Command::new(&cli.corridor)
        .args(["serve", "--port", "0", "--no-color", "-q"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {}", cli.corridor.display()))?;
    let stdout = child.stdout.take().context("the server's stdout")?;
    let server = Server(child);
    let pid = server.0.id();
    // `corridor serve: http://127.0.0.1:PORT/ — …`
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .context("reading the server's address")?;
    let address: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .with_context(|| format!("no address in the server's first line {line:?}"))?;

    // A link to take out, from the dataset the server serves.
    let mut probe = Conn::open(address)?;
    let (status, body) = probe.request(address, Ask::Dataset, "")?;
    if status != 200 {
        bail!("GET /api/dataset answered {status}");
    }
    let dataset: serde_json::Value = serde_json::from_slice(&body)?;
    let link = dataset["links"][0]["id"]
        .as_str()
        .context("no link in /api/dataset")?
        .to_string();
    let solve_body = serde_json::json!({"off": {"links": [link]}}).to_string();
    // Warm up: the page, the map cache, one solve.
    for ask in MIX {
        probe.request(address, ask, &solve_body)?;
    }
    drop(probe);

    let mut results = Vec::new();
    for &connections in &cli.connections {
        let result = load(
            address,
            pid,
            connections,
            Duration::from_secs_f64(cli.seconds),
            &solve_body,
        )?;
        eprintln!("{}", row(&result));
        results.push(result);
    }
    let table = table(&results);
    let (first, last) = match (results.first(), results.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => bail!("no connection count to run"),
    };
    let growth_mib = (last.rss_after_kib as f64 - first.rss_after_kib as f64) / 1024.0;
    let flat = growth_mib <= cli.rss_margin_mib;
    let errors: u64 = results.iter().map(|r| r.tally.errors()).sum();
    let verdict = format!(
        "errors: {errors}; memory after {} connections is {growth_mib:+.1} MiB from after {} ({}; margin {} MiB)",
        last.connections,
        first.connections,
        if flat { "flat" } else { "NOT flat" },
        cli.rss_margin_mib
    );
    println!("{table}\n{verdict}");
    for r in &results {
        if let Some(e) = &r.tally.first_error {
            println!("first error at {} connections: {e}", r.connections);
        }
    }
    if let Some(path) = &cli.out {
        std::fs::write(path, format!("{table}\n{verdict}\n"))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(errors == 0 && flat)
}

/// Holds `connections` connections for `duration`, each asking in a loop.
fn load(
    address: SocketAddr,
    pid: u32,
    connections: usize,
    duration: Duration,
    solve_body: &str,
) -> anyhow::Result<RunResult> {
    let rss_before_kib = rss_kib(pid)?;
    let peak = Arc::new(AtomicU64::new(rss_before_kib));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Ok(kib) = rss_kib(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..connections)
        .map(|i| {
            let body = solve_body.to_string();
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || connection(address, i, deadline, &body))
        })
        .collect::<Result<_, _>>()
        .context("starting the client threads")?;
    let mut tally = Tally::default();
    for worker in workers {
        match worker.join() {
            Ok(t) => tally.merge(t),
            Err(_) => bail!("a client thread panicked"),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    // Let the server drop the closed connections before measuring what it keeps.
    std::thread::sleep(Duration::from_millis(500));
    let rss_after_kib = rss_kib(pid)?;
    Ok(RunResult {
        connections,
        seconds,
        tally,
        rss_before_kib,
        rss_peak_kib: peak.load(Ordering::Relaxed).max(rss_after_kib),
        rss_after_kib,
    })
}

/// One client connection: asks in turn until `deadline`, reconnecting after a failure.
fn connection(address: SocketAddr, index: usize, deadline: Instant, solve_body: &str) -> Tally {
    let mut tally = Tally::default();
    let mut conn: Option<Conn> = None;
    let mut turn = index;
    while Instant::now() < deadline {
        let ask = MIX[turn % MIX.len()];
        turn += 1;
        let c = match conn.take() {
            Some(c) => c,
            None => match Conn::open(address) {
                Ok(c) => c,
                Err(e) => {
                    tally.io_errors += 1;
                    tally.first_error.get_or_insert(format!("connect: {e:#}"));
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            },
        };
        let mut c = c;
        let sent = Instant::now();
        match c.request(address, ask, solve_body) {
            Ok((status, _)) => {
                let us = u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX);
                tally.latencies_us.push(us);
                match status {
                    200..=399 => tally.ok += 1,
                    503 => tally.busy += 1,
                    _ => {
                        tally.bad_status += 1;
                        tally
                            .first_error
                            .get_or_insert(format!("{ask:?} answered {status}"));
                    }
                }
                if !c.closing {
                    conn = Some(c);
                }
            }
            Err(e) => {
                tally.io_errors += 1;
                tally.first_error.get_or_insert(format!("{ask:?}: {e:#}"));
            }
        }
    }
    tally
}

/// A keep-alive HTTP/1.1 connection, just enough of the protocol for what the server answers.
struct Conn {
    reader: BufReader<TcpStream>,
    /// The server said `Connection: close`.
    closing: bool,
}

impl Conn {
    fn open(address: SocketAddr) -> anyhow::Result<Conn> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        // Far above any answer's time; a hang is an error, not a stuck benchmark.
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn {
            reader: BufReader::new(stream),
            closing: false,
        })
    }

    /// Sends `ask` and reads the answer: its status and body.
    fn request(
        &mut self,
        address: SocketAddr,
        ask: Ask,
        solve_body: &str,
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let text = match ask {
            Ask::Page => format!("GET / HTTP/1.1\r\nHost: {address}\r\n\r\n"),
            Ask::Dataset => format!("GET /api/dataset HTTP/1.1\r\nHost: {address}\r\n\r\n"),
            Ask::Solve => format!(
                "POST /api/solve HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{solve_body}",
                solve_body.len()
            ),
        };
        self.reader.get_mut().write_all(text.as_bytes())?;
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            bail!("the server closed the connection");
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<usize>()?);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                self.closing = value.eq_ignore_ascii_case("close");
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16)
                    .with_context(|| format!("bad chunk size {line:?}"))?;
                let start = body.len();
                body.resize(start + size, 0);
                self.reader.read_exact(&mut body[start..])?;
                line.clear();
                self.reader.read_line(&mut line)?;
                if size == 0 {
                    break;
                }
            }
        } else {
            body.resize(
                length.context("an answer with neither length nor chunks")?,
                0,
            );
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, body))
    }
}

/// The server's resident memory, KiB (`VmRSS` in /proc/PID/status).
fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS in /proc/PID/status")
}

fn percentile_ms(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted_us.len() - 1) as f64).round() as usize;
    f64::from(sorted_us[rank.min(sorted_us.len() - 1)]) / 1000.0
}

const HEADER: &str = "| connections | requests | req/s | p50 ms | p99 ms | ok | 503 (solve cap) | errors | RSS before MiB | RSS peak MiB | RSS after MiB |\n\
                      |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

fn row(r: &RunResult) -> String {
    let mut sorted = r.tally.latencies_us.clone();
    sorted.sort_unstable();
    let requests = sorted.len();
    let mib = |kib: u64| kib as f64 / 1024.0;
    format!(
        "| {} | {} | {:.0} | {:.1} | {:.1} | {} | {} | {} | {:.1} | {:.1} | {:.1} |",
        r.connections,
        requests,
        requests as f64 / r.seconds,
        percentile_ms(&sorted, 50.0),
        percentile_ms(&sorted, 99.0),
        r.tally.ok,
        r.tally.busy,
        r.tally.errors(),
        mib(r.rss_before_kib),
        mib(r.rss_peak_kib),
        mib(r.rss_after_kib),
    )
}

fn table(results: &[RunResult]) -> String {
    let mut out = String::from(HEADER);
    for r in results {
        out.push('\n');
        out.push_str(&row(r));
    }
    out
}
