//! `cargo xtask bench`'s language-server figures: how long `diplomacy lsp` takes from an edit
//! (`textDocument/didChange`) to the diagnostics it publishes for that version, and how much
//! memory the server holds, on a dataset directory.
//!
//! The client speaks JSON-RPC with `Content-Length` framing over the server's stdin and
//! stdout, as an editor does; each edit adds a comment line to the open file, each at another
//! place (spread over the file, so the text after it moves), so the diagnostics do not change
//! and every check has the whole dataset to validate.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

/// How long to wait for any one answer.
const WAIT: Duration = Duration::from_secs(300);

/// The latencies of one dataset's edits.
#[derive(Debug, Clone)]
pub(crate) struct Latency {
    /// How many edits were timed.
    pub(crate) edits: usize,
    /// The median, in milliseconds.
    pub(crate) median_ms: f64,
    /// The 95th percentile (nearest rank), in milliseconds.
    pub(crate) p95_ms: f64,
    /// The server's peak resident memory (VmHWM), in MiB, where /proc shows it.
    pub(crate) peak_mib: Option<f64>,
}

/// Starts `server lsp DIR`, opens `DIR/file`, and times `edits` edits one after another,
/// each from the moment it is sent to the moment the diagnostics of its version arrive.
pub(crate) fn measure(
    server: &Path,
    dir: &Path,
    file: &str,
    edits: usize,
) -> anyhow::Result<Latency> {
    let mut child = Command::new(server)
        .arg("lsp")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {} lsp", server.display()))?;
    let pid = child.id();
    let stdout = child.stdout.take().context("the server's stdout")?;
    let mut stdin = child.stdin.take().context("the server's stdin")?;
    let (tx, rx) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        let mut out = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if out.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length: ") {
                    length = v.parse::<usize>().ok();
                }
            }
            let Some(length) = length else { return };
            let mut body = vec![0; length];
            if out.read_exact(&mut body).is_err() {
                return;
            }
            let Ok(msg) = serde_json::from_slice::<Value>(&body) else {
                return;
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
    let mut send = |msg: Value| -> anyhow::Result<()> {
        let body = msg.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        stdin.flush()?;
        Ok(())
    };
    let wait_for = |want: &dyn Fn(&Value) -> bool| -> anyhow::Result<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let msg = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .context("the language server stopped answering")?;
            if want(&msg) {
                return Ok(msg);
            }
        }
    };

    let dir = dir.canonicalize()?;
    let root = format!("file://{}", dir.display());
    let path = dir.join(file);
    let uri = format!("file://{}", path.display());
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": root, "capabilities": {}}}))?;
    wait_for(&|m| m["id"] == json!(1))?;
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}))?;
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "toml", "version": 0, "text": text}}}),
    )?;
    let published = |version: i64| {
        let uri = uri.clone();
        move |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && (m["params"]["version"] == json!(version) || m["params"]["version"].is_null())
        }
    };
    // The diagnostics of the opened text itself (a check of the files on disk may come
    // first, without a version).
    wait_for(&|m: &Value| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == json!(uri)
            && m["params"]["version"] == json!(0)
    })?;

    let mut times = Vec::with_capacity(edits);
    let mut edited = text;
    for i in 1..=edits {
        // At the start of a line about (i * 7 mod edits) / edits of the way into the file.
        let share = (i * 7 % edits.max(1)) as f64 / edits.max(1) as f64;
        let near = (edited.len() as f64 * share) as usize;
        let at = edited[..near].rfind('\n').map_or(0, |n| n + 1);
        edited.insert_str(at, &format!("# edit {i}\n"));
        let version = i64::try_from(i)?;
        let start = Instant::now();
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": edited}]}}),
        )?;
        wait_for(&published(version))?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let peak_mib = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0);
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))?;
    wait_for(&|m| m["id"] == json!(2))?;
    send(json!({"jsonrpc": "2.0", "method": "exit"}))?;
    let status = child.wait()?;
    if !status.success() {
        bail!("the language server exited with {status}");
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Ok(Latency {
        edits,
        median_ms: at(0.5),
        p95_ms: at(0.95),
        peak_mib,
    })
}
