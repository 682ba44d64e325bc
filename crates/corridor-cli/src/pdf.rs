//! `corridor report --pdf`: prints the report to A4 through a headless Chromium that is already
//! installed. Nothing is downloaded: without a browser the command says how to install one.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a browser may take to print one report.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

/// The browsers tried, in order, after `CORRIDOR_CHROMIUM`.
const BROWSERS: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
];

/// The Chromium to print with: `CORRIDOR_CHROMIUM` when set, else the first of [`BROWSERS`] on `PATH`.
pub fn find_browser() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CORRIDOR_CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        bail!(
            "CORRIDOR_CHROMIUM is set to {}, which is not a file: point it at a Chromium or Chrome binary, or unset it",
            path.display()
        );
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    for name in BROWSERS {
        for dir in &dirs {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!(
        "--pdf needs a headless Chromium and none was found (looked for {} on PATH): install one, e.g. `sudo apt-get install chromium` on Debian or Ubuntu, or set CORRIDOR_CHROMIUM to a Chrome/Chromium binary; the HTML report needs no browser to write",
        BROWSERS.join(", ")
    )
}

/// Prints the HTML `page` to `out` as PDF: the page goes into a private temporary folder, the browser
/// prints it there, and the PDF is moved into place only when it is whole.
pub fn print_pdf(page: &str, out: &Path) -> Result<u64> {
    let browser = find_browser()?;
    let work = tempfile::tempdir().context("cannot create a temporary folder for printing")?;
    let html = work.path().join("report.html");
    std::fs::write(&html, page).with_context(|| format!("cannot write {}", html.display()))?;
    let printed = work.path().join("report.pdf");
    let profile = work.path().join("profile");
    let mut cmd = Command::new(&browser);
    cmd.arg("--headless")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--disable-extensions")
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", printed.display()));
    // Chromium refuses to run as root with its sandbox on (containers, CI).
    if is_root() {
        cmd.arg("--no-sandbox");
    }
    cmd.arg(file_url(&html))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {}", browser.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for the browser")? {
            break status;
        }
        if started.elapsed() > PRINT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "{} did not finish printing within {} s: try again, or print the HTML report from a browser",
                browser.display(),
                PRINT_TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = {
        use std::io::Read;
        let mut text = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut text);
        }
        text
    };
    let bytes = std::fs::read(&printed).unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF-") {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        bail!(
            "{} did not print the report ({status}){}: check that it runs headless (`{} --headless --version`)",
            browser.display(),
            if last.is_empty() { String::new() } else { format!(": {last}") },
            browser.display()
        );
    }
    corridor_io::write_atomic(out, &bytes)
        .with_context(|| format!("cannot write {}", out.display()))?;
    Ok(bytes.len() as u64)
}

fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // The owner of a file we just could create is the effective user; /proc/self is simplest.
        std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_a_url_cannot_hold() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/report.html")),
            "file:///tmp/a%20b/report.html"
        );
    }
}
