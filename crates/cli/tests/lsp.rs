//! `diplomacy lsp` over its stdin and stdout, as an editor speaks to it: JSON-RPC messages
//! framed by `Content-Length`, on a copy of the validator's small valid dataset.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(60);

/// A client of the server: it writes messages, and a thread reads the server's.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: mpsc::Receiver<Value>,
    /// Notifications read while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
    stderr: std::thread::JoinHandle<String>,
}

impl Client {
    fn start(dir: &Path) -> Self {
        Self::start_with(dir, &[])
    }

    /// Starts the server on `dir` with more arguments (e.g. `--releases DIR`).
    fn start_with(dir: &Path, args: &[&Path]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_diplomacy"))
            .arg("lsp")
            .arg(dir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start diplomacy lsp");
        let stdout = child.stdout.take().expect("stdout");
        let mut stderr = child.stderr.take().expect("stderr");
        let (tx, incoming) = mpsc::channel();
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
                    let (name, value) = line.split_once(": ").expect("a header");
                    assert_eq!(name, "Content-Length", "stdout holds only the protocol");
                    length = Some(value.parse::<usize>().expect("a length"));
                }
                let mut body = vec![0; length.expect("Content-Length")];
                out.read_exact(&mut body).expect("a body");
                let msg: Value = serde_json::from_slice(&body).expect("JSON");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            backlog: Vec::new(),
            next_id: 1,
            stderr,
        }
    }

    fn write_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write");
        stdin.write_all(body).expect("write");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.write_raw(msg.to_string().as_bytes());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.write_raw(msg.to_string().as_bytes());
        let deadline = Instant::now() + WAIT;
        loop {
            let msg = self
                .incoming
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            if msg["id"] == json!(id) {
                assert!(msg.get("error").is_none(), "{method} failed: {msg}");
                return msg["result"].clone();
            }
            self.backlog.push(msg);
        }
    }

    /// Waits for diagnostics published for the file whose URI ends with `file` that satisfy
    /// `want`; returns them. Those of the same file published before are passed over; the
    /// other messages are kept for later.
    fn diagnostics(&mut self, file: &str, want: impl Fn(&Value) -> bool) -> Value {
        let of_file = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(file))
        };
        let deadline = Instant::now() + WAIT;
        let mut seen = 0;
        loop {
            if let Some(i) = self.backlog[seen..]
                .iter()
                .position(|m| of_file(m) && want(&m["params"]))
            {
                let i = seen + i;
                let found = self.backlog.remove(i);
                let mut k = 0;
                self.backlog.retain(|m| {
                    k += 1;
                    k > i || !of_file(m)
                });
                return found["params"].clone();
            }
            seen = self.backlog.len();
            let msg = self
                .incoming
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no diagnostics as wanted for {file}"));
            self.backlog.push(msg);
        }
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            }),
        );
    }

    /// Says `shutdown` then `exit`; returns the exit code and the server's log.
    fn finish(mut self) -> (Option<i32>, String) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r, Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                break s;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        (status.code(), self.stderr.join().unwrap_or_default())
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical").join("base");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/base");
    copy_dir(&base, &dir);
    (tmp, dir)
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The (line, character) of the first occurrence of `needle` in `text`, plus `shift`
/// characters (the text is ASCII where the tests point).
fn at(text: &str, needle: &str, shift: usize) -> Value {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in the text"));
    let line = text[..i].matches('\n').count();
    let col = i - text[..i].rfind('\n').map_or(0, |n| n + 1) + shift;
    json!({"line": line, "character": col})
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn start(dir: &Path) -> Client {
    let mut c = Client::start(dir);
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir), "capabilities": {}}),
    );
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], json!(1));
    assert_eq!(init["capabilities"]["hoverProvider"], json!(true));
    c.notify("initialized", json!({}));
    c
}

const QUOTE: &str = "In February 1998 the Foreign Minister of Japan, Taro Testname, visited Kazakhstan for three days of talks.";

#[test]
fn a_broken_quote_is_reported_fixed_by_its_code_action_and_cleared() {
    let (_tmp, dir) = fixture();
    let visits = dir.join("visits.toml");
    let text = std::fs::read_to_string(&visits).expect("visits");
    let u = uri(&visits);
    let mut c = start(&dir);
    // The fixture is valid: every file's first diagnostics are empty.
    let first = c.diagnostics("/visits.toml", |_| true);
    assert_eq!(codes(&first), Vec::<String>::new());
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "toml", "version": 1, "text": text}}),
    );
    let broken = text.replace("Minister of Japan,", "Minister of Japon,");
    c.change(&u, 2, &broken);
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 2);
    assert_eq!(codes(&d), ["E042"], "{d}");
    let diag = &d["diagnostics"][0];
    let quote_line = at(&broken, "quote = \"In February", 0)["line"].clone();
    assert_eq!(diag["range"]["start"]["line"], quote_line);
    assert_eq!(diag["severity"], json!(1));
    assert!(
        diag["message"]
            .as_str()
            .is_some_and(|m| m.contains("nearest passage")),
        "the hint is in the message: {diag}"
    );

    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": u},
            "range": diag["range"],
            "context": {"diagnostics": [diag]},
        }),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "Replace with the source's words");
    let edit = &action["edit"]["changes"][&u][0];
    assert_eq!(edit["newText"], QUOTE);
    // Apply the edit as a client does: replace the range (one line of ASCII).
    let line = edit["range"]["start"]["line"].as_u64().expect("line") as usize;
    let (from, to) = (
        edit["range"]["start"]["character"].as_u64().expect("char") as usize,
        edit["range"]["end"]["character"].as_u64().expect("char") as usize,
    );
    let fixed: Vec<String> = broken
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                format!("{}{}{}", &l[..from], QUOTE, &l[to..])
            } else {
                l.to_owned()
            }
        })
        .collect();
    let fixed = fixed.join("\n");
    assert_eq!(fixed, text);
    c.change(&u, 3, &fixed);
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 3);
    assert_eq!(codes(&d), Vec::<String>::new(), "{d}");
    let (code, log) = c.finish();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn hover_definition_and_completion_follow_references_and_quotes() {
    let (_tmp, dir) = fixture();
    let visits = dir.join("visits.toml");
    let text = std::fs::read_to_string(&visits).expect("visits");
    let u = uri(&visits);
    let mut c = start(&dir);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "toml", "version": 1, "text": text}}),
    );
    let doc = json!({"uri": u});

    // A reference: the person it names.
    let person = at(&text, "guest_person = \"testname-taro\"", 18);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": person}),
    );
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        shown.contains("people") && shown.contains("testname-taro"),
        "{shown}"
    );
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": person}),
    );
    let people = std::fs::read_to_string(dir.join("people.toml")).expect("people");
    assert!(
        def["uri"]
            .as_str()
            .is_some_and(|s| s.ends_with("/people.toml")),
        "{def}"
    );
    assert_eq!(
        def["range"]["start"],
        at(&people, "id = \"testname-taro\"", 6)
    );

    // A quote: the passage around it, and its place in the archived text.
    let quote = at(&text, "quote = \"In February", 12);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": quote}),
    );
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("**In February 1998"), "{shown}");
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": quote}),
    );
    assert!(
        def["uri"]
            .as_str()
            .is_some_and(|s| s.ends_with("/sources/fixture-chronicle.txt")),
        "{def}"
    );
    let source = std::fs::read_to_string(dir.join("sources/fixture-chronicle.txt")).expect("src");
    assert_eq!(def["range"]["start"], at(&source, "In February 1998", 0));

    // Completion of a country code: the countries of the dataset.
    let host = at(&text, "host_country = \"KAZ\"", 16);
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": host}),
    );
    let labels: Vec<&str> = list
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"KAZ") && labels.contains(&"JPN"),
        "{labels:?}"
    );
    assert!(!labels.contains(&"testname-taro"), "{labels:?}");
    let (code, log) = c.finish();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn hostile_input_is_answered_and_reported() {
    let (_tmp, dir) = fixture();
    let visits = dir.join("visits.toml");
    let text = std::fs::read_to_string(&visits).expect("visits");
    let u = uri(&visits);
    let mut c = start(&dir);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "toml", "version": 1, "text": text}}),
    );

    // Bytes that are not UTF-8 inside the message.
    let mut body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{u}","version":2}},"contentChanges":[{{"text":"[[visits]] = "#
    )
    .into_bytes();
    body.extend_from_slice(b"\xff\xfe\x80\"}]}}");
    c.write_raw(&body);
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 2);
    assert!(codes(&d).contains(&"E001".to_owned()), "{d}");

    // A message that is not JSON-RPC at all is passed over.
    c.write_raw(b"{not json");

    // An edit that deletes everything: an empty table, and the meeting linked to one of its
    // visits now links to nothing.
    c.change(&u, 3, "");
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 3);
    assert_eq!(codes(&d), Vec::<String>::new(), "{d}");
    let m = c.diagnostics("/meetings.toml", |p| {
        !p["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    assert!(codes(&m).contains(&"E021".to_owned()), "{m}");

    // A huge text (8 MiB): checked and reported like any other.
    let huge = format!("{text}\n{}", "x = [\n".repeat(8 * 1024 * 1024 / 6));
    c.change(&u, 4, &huge);
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 4);
    assert!(codes(&d).contains(&"E001".to_owned()), "{d}");

    // Changes faster than checks: only the latest state counts, and not every state is
    // checked.
    let mut published = 0;
    for v in 10..40 {
        let t = if v == 39 {
            text.clone()
        } else {
            format!("{text}\nbroken = [{v}")
        };
        c.change(&u, v, &t);
    }
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": at(&text, "guest_person = \"testname-taro\"", 18)}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|s| s.contains("testname-taro"))
    );
    loop {
        let d = c.diagnostics("/visits.toml", |_| true);
        published += 1;
        if d["version"] == 39 {
            assert_eq!(codes(&d), Vec::<String>::new(), "{d}");
            break;
        }
    }
    assert!(published < 30, "{published} checks for 30 changes");
    let (code, log) = c.finish();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (_tmp, dir) = fixture();
    let mut c = start(&dir);
    c.notify("exit", Value::Null);
    drop(c.stdin.take());
    let status = c.child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn dates_vocabularies_and_quotes_are_explained_and_completed() {
    let (_tmp, dir) = fixture();
    let visits = dir.join("visits.toml");
    let text = std::fs::read_to_string(&visits).expect("visits");
    let u = uri(&visits);
    let mut c = start(&dir);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "toml", "version": 1, "text": text}}),
    );
    let doc = json!({"uri": u});
    let items = |list: &Value| -> Vec<String> {
        list.as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["label"].as_str().map(str::to_owned))
            .collect()
    };

    // A date: the days it may mean, its precision and certainty.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": at(&text, "date = \"1998-02\"", 9)}),
    );
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        shown.contains("1998-02-01") && shown.contains("1998-02-28") && shown.contains("month"),
        "{shown}"
    );

    // A controlled vocabulary: its values.
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": at(&text, "level = \"foreign_minister\"", 9)}),
    );
    let labels = items(&list);
    assert!(labels.contains(&"head_of_state".to_owned()), "{labels:?}");

    // A quote: the sentences of the source it cites.
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": at(&text, "quote = \"A delegation", 9)}),
    );
    let labels = items(&list);
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("A delegation of the Russian Duma visited Japan")),
        "{labels:?}"
    );

    // A participant: people and organizations, and `COUNTRY:office` (the offices the dataset
    // gives, and each country's code to write another).
    let meetings = dir.join("meetings.toml");
    let text = std::fs::read_to_string(&meetings).expect("meetings");
    let m = uri(&meetings);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": m, "languageId": "toml", "version": 1, "text": text}}),
    );
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": m}, "position": at(&text, "\"KAZ:Foreign Minister\"", 2)}),
    );
    let labels = items(&list);
    for expected in ["testname-taro", "RUS:", "KAZ:"] {
        assert!(
            labels.contains(&expected.to_owned()),
            "{expected}: {labels:?}"
        );
    }
    assert!(
        labels.iter().any(|l| l.ends_with(":Foreign Minister")),
        "a visit's guest office: {labels:?}"
    );
    let (code, log) = c.finish();
    assert_eq!(code, Some(0), "{log}");
}

/// `text` with one edit applied (positions in ASCII text, where characters are bytes).
fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let (line, ch) = (
            p["line"].as_u64().expect("line") as usize,
            p["character"].as_u64().expect("character") as usize,
        );
        let start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
        (start + ch).min(text.len())
    };
    let (from, to) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..from],
        edit["newText"].as_str().expect("newText"),
        &text[to..]
    )
}

#[test]
fn quick_fixes_add_the_schema_directive_and_mark_a_value_inferred() {
    let (_tmp, dir) = fixture();
    let visits = dir.join("visits.toml");
    let original = std::fs::read_to_string(&visits).expect("visits");
    let text = original
        .replacen("#:schema ../../schema/visits.schema.json\n", "", 1)
        .replacen(
            "guest_office = \"Foreign Minister\"",
            "guest_office = \"Trade Minister\"",
            1,
        );
    let u = uri(&visits);
    let mut c = start(&dir);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "toml", "version": 1, "text": text}}),
    );
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 1);
    assert_eq!(codes(&d), ["W001", "E090"], "{d}");
    let lines = text.matches('\n').count() as u64;
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": u},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
            "context": {"diagnostics": []},
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Add `#:schema ../../schema/visits.schema.json`",
            "Mark `guest_office` inferred (then give its basis and reason)"
        ]
    );
    // The later edit first, so the earlier one's position still holds.
    let edit = |i: usize| actions[i]["edit"]["changes"][&u][0].clone();
    let fixed = apply(&apply(&text, &edit(1)), &edit(0));
    assert!(
        fixed.starts_with("#:schema ../../schema/visits.schema.json\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("[[visits.inferred]]\nfield = \"guest_office\"\nbasis = \"other\"\nreason = \"\"\n[[visits.evidence]]"),
        "{fixed}"
    );
    c.change(&u, 2, &fixed);
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 2);
    // What is left is the reason, for the curator to write.
    assert_eq!(codes(&d), ["E015"], "{d}");
    let (code, log) = c.finish();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn files_changed_outside_the_editor_are_checked_when_the_client_says_so() {
    let (_tmp, dir) = fixture();
    let mut c = Client::start(&dir);
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&dir), "capabilities": caps}),
    );
    c.notify("initialized", json!({}));
    // The server asks to be told of changed files.
    let deadline = Instant::now() + WAIT;
    let ask = loop {
        if let Some(i) = c
            .backlog
            .iter()
            .position(|m| m["method"] == "client/registerCapability")
        {
            break c.backlog.remove(i);
        }
        let m = c
            .incoming
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a registration");
        c.backlog.push(m);
    };
    let watched = &ask["params"]["registrations"][0];
    assert_eq!(watched["method"], "workspace/didChangeWatchedFiles");
    let answer = json!({"jsonrpc": "2.0", "id": ask["id"], "result": null});
    c.write_raw(answer.to_string().as_bytes());
    let d = c.diagnostics("/people.toml", |_| true);
    assert_eq!(codes(&d), Vec::<String>::new(), "{d}");

    // people.toml changes on disk: the person a visit names is gone.
    let people = dir.join("people.toml");
    let text = std::fs::read_to_string(&people).expect("people");
    std::fs::write(
        &people,
        text.replace("\"testname-taro\"", "\"testname-jiro\""),
    )
    .expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&people), "type": 2}]}),
    );
    let d = c.diagnostics("/visits.toml", |p| {
        !p["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    assert!(codes(&d).contains(&"E021".to_owned()), "{d}");
    let (code, log) = c.finish();
    assert_eq!(code, Some(0), "{log}");
}

/// A published id renamed in the editor: the server reports it gone (E080, with
/// `--releases`), and its code action writes the `[[redirects]]` block into a new
/// `redirects.toml`; once its reason is written, the error goes.
#[test]
fn a_renamed_published_id_gets_its_redirect() {
    let (tmp, dir) = fixture();
    let releases = tmp.path().join("releases");
    let status = Command::new(env!("CARGO_BIN_EXE_diplomacy"))
        .arg("release")
        .arg(&dir)
        .arg("--out")
        .arg(&releases)
        .stdout(Stdio::null())
        .status()
        .expect("release");
    assert!(status.success());
    assert!(!dir.join("redirects.toml").exists());

    let mut c = Client::start_with(&dir, &[Path::new("--releases"), &releases]);
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}}),
    );
    assert!(init["capabilities"].is_object());
    c.notify("initialized", json!({}));

    const OLD: &str = "2001-rus-jpn-duma-delegation-visit";
    const NEW: &str = "2001-rus-jpn-duma-visit";
    let visits = dir.join("visits.toml");
    let text = std::fs::read_to_string(&visits)
        .expect("visits")
        .replace(OLD, NEW);
    let u = uri(&visits);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "toml", "version": 1, "text": text}}),
    );
    let d = c.diagnostics("/visits.toml", |p| p["version"] == 1);
    assert!(codes(&d).contains(&"E080".to_owned()), "{d}");

    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": u},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        }),
    );
    let action = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Add the redirect"))
        })
        .unwrap_or_else(|| panic!("no redirect action: {actions}"));
    let changes = action["edit"]["documentChanges"]
        .as_array()
        .expect("document changes");
    let redirects = dir.join("redirects.toml");
    assert_eq!(changes[0]["kind"], "create");
    assert_eq!(changes[0]["uri"], uri(&redirects));
    let new_text = changes[1]["edits"][0]["newText"].as_str().expect("text");
    assert!(new_text.starts_with("#:schema "), "{new_text}");
    assert!(
        new_text.contains(&format!("from = \"{OLD}\"\nto = \"{NEW}\"\nreason = \"\"")),
        "{new_text}"
    );

    // The curator writes the reason; the redirect is then whole and the id no longer gone.
    let written = new_text.replace("reason = \"\"", "reason = \"Shorter id.\"");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&redirects), "languageId": "toml", "version": 1, "text": written}}),
    );
    let d = c.diagnostics("/visits.toml", |p| !codes(p).contains(&"E080".to_owned()));
    assert!(!codes(&d).contains(&"E080".to_owned()), "{d}");
    let (code, log) = c.finish();
    assert_eq!(code, Some(0), "{log}");
}
