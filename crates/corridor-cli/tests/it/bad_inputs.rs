//! The bad-input corpus: every folder of `tests/bad-inputs/` is one hostile or mistaken input, run through
//! the `corridor` binary under a timeout, with the exact output a user must see.
//!
//! A case folder holds:
//! - `cmd`: the arguments, split on spaces, run in a fresh temporary folder that holds a copy of
//!   `tests/bad-inputs/_base/` (a small valid dataset `ds/` and its scenario `ds/scenarios/base.toml`);
//! - any files of its own, copied over the base (`ds/nodes.csv`, `extra.toml`, …);
//! - optionally `setup`: one action a line, applied after the copy — `rm PATH`, `mkdir PATH`,
//!   `symlink TARGET LINK`, `fifo PATH` (a case with a FIFO is skipped off Unix);
//! - `expected`: `exit N`, then `--- stdout` and `--- stderr` with the exact text of each.
//!
//! `UPDATE_EXPECT=1` rewrites the `expected` files from what the binary prints (then review the diff).
//! The test fails on any difference, any panic and any case that runs past the timeout, and prints how
//! many bad inputs it tried.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every case ends well before this; one that does not is a hang.
const TIMEOUT: Duration = Duration::from_secs(30);

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a case folder");
    for entry in std::fs::read_dir(from)
        .expect("read a case folder")
        .flatten()
    {
        let path = entry.path();
        let name = entry.file_name();
        if matches!(name.to_str(), Some("cmd" | "setup" | "expected"))
            && from.parent().is_some_and(|p| p.ends_with("bad-inputs"))
        {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy a case file");
        }
    }
}

/// Applies the `setup` actions; `false` when the case cannot run on this platform.
fn setup(case: &Path, dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(case.join("setup")) else {
        return true;
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["rm", path] => {
                let p = dir.join(path);
                if p.is_dir() {
                    std::fs::remove_dir_all(&p).expect("rm a folder");
                } else {
                    std::fs::remove_file(&p).expect("rm a file");
                }
            }
            ["mkdir", path] => std::fs::create_dir_all(dir.join(path)).expect("mkdir"),
            #[cfg(unix)]
            ["symlink", target, link] => {
                std::os::unix::fs::symlink(target, dir.join(link)).expect("symlink")
            }
            #[cfg(unix)]
            ["fifo", path] => {
                let status = Command::new("mkfifo")
                    .arg(dir.join(path))
                    .status()
                    .expect("mkfifo runs");
                assert!(status.success(), "mkfifo failed");
            }
            #[cfg(not(unix))]
            ["symlink" | "fifo", ..] => return false,
            _ => panic!("{}: unknown setup line `{line}`", case.display()),
        }
    }
    true
}

/// What one case printed, or `None` when it ran past [`TIMEOUT`].
fn run(case: &Path, dir: &Path) -> Option<(i32, String, String)> {
    let cmd = std::fs::read_to_string(case.join("cmd")).expect("every case has a `cmd` file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(cmd.split_whitespace())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the corridor binary starts");
    // Read both pipes on threads so that a chatty case cannot block on a full pipe.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the binary") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    Some((
        status.code().unwrap_or(-1),
        text(out.join().expect("stdout reader")),
        text(err.join().expect("stderr reader")),
    ))
}

fn render(code: i32, stdout: &str, stderr: &str) -> String {
    format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

#[test]
fn every_bad_input_ends_with_its_exact_message_and_no_panic_or_hang() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/bad-inputs exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.ends_with("_base"))
        .collect();
    cases.sort();
    let (mut n_tried, mut n_skipped, mut panics, mut hangs, mut wrong) =
        (0, 0, Vec::new(), Vec::new(), Vec::new());
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = tempfile::tempdir().expect("a temporary folder");
        copy_tree(&root.join("_base"), tmp.path());
        copy_tree(case, tmp.path());
        if !setup(case, tmp.path()) {
            n_skipped += 1;
            continue;
        }
        n_tried += 1;
        let Some((code, stdout, stderr)) = run(case, tmp.path()) else {
            hangs.push(name);
            continue;
        };
        if code == 101 || stderr.contains("panicked at") {
            panics.push(format!("{name}: {stderr}"));
            continue;
        }
        let actual = render(code, &stdout, &stderr);
        let expected_path = case.join("expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).expect("write `expected`");
            } else {
                wrong.push(format!(
                    "{name}:\n--- expected\n{expected}\n--- actual\n{actual}"
                ));
            }
        }
    }
    // Straight to the process's stdout, past the test harness's capture: `cargo test` shows the count.
    let _ = writeln!(
        std::io::stdout().lock(),
        "bad inputs: {n_tried} tried, {n_skipped} skipped on this platform, {} panics, {} hangs, {} wrong messages",
        panics.len(),
        hangs.len(),
        wrong.len()
    );
    assert!(panics.is_empty(), "panics:\n{}", panics.join("\n"));
    assert!(
        hangs.is_empty(),
        "ran past {TIMEOUT:?}: {}",
        hangs.join(", ")
    );
    assert!(
        wrong.is_empty(),
        "{} case(s) differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
    assert!(
        n_tried >= 100 || cfg!(not(unix)),
        "the corpus holds at least 100 cases, found {n_tried}"
    );
}
