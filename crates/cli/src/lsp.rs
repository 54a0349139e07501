//! `lsp [DIR]`: the dataset's language server over stdio, for the curator's editor.
//!
//! Every rule of the validator, live: each change to an open authoring file is checked with
//! the texts the editor holds (see `check`), and the diagnostics of every authoring file of
//! the dataset are published, so a fix in one file clears what it caused in another. On top:
//! hover (the record a reference names, the source passage around a quote, what a date
//! means), go to definition (a reference's record, a quote's place in `sources/*.txt`),
//! completion (the ids a reference may name, a vocabulary's values, a source's sentences for
//! a quote), and code actions (a near-miss quote replaced by the source's words, the missing
//! `#:schema` directive added, a value marked inferred).
//!
//! One thread reads the input; the main loop answers one message at a time and checks only
//! when no message waits, so a client that types faster than checks finish has only its
//! latest state checked. Nothing but the protocol is written to stdout; logs go to stderr.

mod check;
mod features;
mod index;
mod text;
mod transport;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use lsp_server::{Message, Notification, Request, Response};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, DiagnosticRelatedInformation,
    DiagnosticSeverity, HoverProviderCapability, Location, NumberOrString, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};

use diplomacy_validate::Options;

use check::{Checker, toml_files};
use text::{path_uri, uri_path};

/// Runs the server until the client says `exit`: exit 0 after a `shutdown`, 1 otherwise
/// (the protocol's rule). `dir` is the dataset directory (or a directory of datasets);
/// without it, the client's workspace folder, else the current directory. With `releases`,
/// every id published there must still be a record's or be redirected.
pub fn run(dir: Option<&Path>, releases: Option<&Path>) -> anyhow::Result<ExitCode> {
    crate::alloc::for_repeated_runs();
    let input = transport::stdin_messages();
    let Some(params) = wait_for_initialize(&input) else {
        return Ok(ExitCode::FAILURE);
    };
    let root = dir
        .map(Path::to_path_buf)
        .or_else(|| workspace_folder(&params))
        .or_else(|| std::env::current_dir().ok());
    let mut server = Server {
        docs: HashMap::new(),
        datasets: BTreeMap::new(),
        options: Options::default(),
        shutdown: false,
    };
    server.options.keep_records = false;
    server.options.releases = releases.map(Path::to_path_buf);
    if watches_files(&params) {
        // Files changed outside the editor (a checkout, a new source text) are checked too.
        let watch = serde_json::json!({
            "registrations": [{
                "id": "diplomacy-files",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": [
                    { "globPattern": "**/*.toml" },
                    { "globPattern": "**/sources/**" },
                ]},
            }],
        });
        transport::send(
            Request::new(
                "diplomacy-watch".to_owned().into(),
                "client/registerCapability".to_owned(),
                watch,
            )
            .into(),
        );
    }
    if let Some(root) = root.as_deref() {
        eprintln!("diplomacy lsp: serving {}", crate::shown(root));
        for d in diplomacy_validate::find_datasets(root).unwrap_or_default() {
            server.dataset(&d);
        }
    }
    server.run(&input)
}

/// Answers every request with an error until `initialize` comes; then answers it with the
/// server's capabilities and returns its parameters. `None` where the input ends first or
/// the client says `exit`.
fn wait_for_initialize(input: &mpsc::Receiver<Message>) -> Option<serde_json::Value> {
    while let Ok(msg) = input.recv() {
        match msg {
            Message::Request(req) if req.method == "initialize" => {
                let result = serde_json::json!({
                    "capabilities": capabilities(),
                    "serverInfo": { "name": "diplomacy", "version": env!("CARGO_PKG_VERSION") },
                });
                transport::send(Response::new_ok(req.id, result).into());
                return Some(req.params);
            }
            Message::Request(req) => transport::send(
                Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized".to_owned(),
                )
                .into(),
            ),
            Message::Notification(n) if n.method == "exit" => return None,
            _ => {}
        }
    }
    None
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".to_owned()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Whether the client can watch files for the server.
fn watches_files(params: &serde_json::Value) -> bool {
    params["capabilities"]["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
        .as_bool()
        .unwrap_or(false)
}

/// The first workspace folder the client names (or its root), as a path.
fn workspace_folder(params: &serde_json::Value) -> Option<PathBuf> {
    let uri = params["workspaceFolders"][0]["uri"]
        .as_str()
        .or_else(|| params["rootUri"].as_str())?;
    uri_path(&uri.parse().ok()?)
}

/// An open document.
#[derive(Debug)]
struct Document {
    uri: Uri,
    version: i32,
    text: String,
}

/// One dataset directory the server checks.
#[derive(Debug, Default)]
struct Dataset {
    checker: Option<Checker>,
    /// Whether an edit came since the last check.
    dirty: bool,
    /// The last check's diagnostics, by file.
    diagnostics: HashMap<PathBuf, Vec<diplomacy_validate::Diagnostic>>,
    /// The files diagnostics were last published for.
    published: HashSet<PathBuf>,
}

struct Server {
    /// The open documents, by path (their directory resolved).
    docs: HashMap<PathBuf, Document>,
    /// The dataset directories (resolved) seen so far.
    datasets: BTreeMap<PathBuf, Dataset>,
    options: Options,
    shutdown: bool,
}

/// A path with its directory resolved, so that one file has one key whatever links led to it.
fn resolved(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map_or_else(|_| path.to_path_buf(), |d| d.join(name)),
        _ => path.to_path_buf(),
    }
}

/// The dataset directory holding an authoring file: its own directory, where it holds a
/// `dataset.toml`.
fn dataset_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    if !toml_files().any(|f| f == name) {
        return None;
    }
    let dir = path.parent()?;
    std::fs::symlink_metadata(dir.join("dataset.toml"))
        .is_ok()
        .then(|| dir.to_path_buf())
}

impl Server {
    /// Registers a dataset directory, to be checked.
    fn dataset(&mut self, dir: &Path) -> PathBuf {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        self.datasets.entry(dir.clone()).or_insert_with(|| Dataset {
            dirty: true,
            ..Dataset::default()
        });
        dir
    }

    fn run(mut self, input: &mpsc::Receiver<Message>) -> anyhow::Result<ExitCode> {
        loop {
            let Ok(msg) = input.recv() else {
                // The input ended without `exit`.
                return Ok(ExitCode::FAILURE);
            };
            if let Some(code) = self.handle(msg) {
                return Ok(code);
            }
            // Everything already sent is handled before checking: only the latest texts are
            // checked.
            while let Ok(msg) = input.try_recv() {
                if let Some(code) = self.handle(msg) {
                    return Ok(code);
                }
            }
            self.check_dirty();
        }
    }

    /// Handles one message; `Some` exit code on `exit`.
    fn handle(&mut self, msg: Message) -> Option<ExitCode> {
        match msg {
            Message::Request(req) => {
                let resp = self.request(req);
                transport::send(resp.into());
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Some(if self.shutdown {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    });
                }
                self.notification(n);
            }
            Message::Response(_) => {}
        }
        None
    }

    fn request(&mut self, req: Request) -> Response {
        use lsp_server::ErrorCode;
        let id = req.id.clone();
        if self.shutdown {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            );
        }
        let bad = |e: serde_json::Error| {
            Response::new_err(
                req.id.clone(),
                ErrorCode::InvalidParams as i32,
                e.to_string(),
            )
        };
        let params = req.params.clone();
        match req.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Response::new_ok(id, ())
            }
            "textDocument/hover" => match serde_json::from_value(params) {
                Ok(p) => Response::new_ok(id, features::hover(&self.view(), &p)),
                Err(e) => bad(e),
            },
            "textDocument/definition" => match serde_json::from_value(params) {
                Ok(p) => Response::new_ok(id, features::definition(&self.view(), &p)),
                Err(e) => bad(e),
            },
            "textDocument/completion" => match serde_json::from_value(params) {
                Ok(p) => Response::new_ok(id, features::completion(&self.view(), &p)),
                Err(e) => bad(e),
            },
            "textDocument/codeAction" => match serde_json::from_value(params) {
                Ok(p) => Response::new_ok(id, features::code_actions(&self.view(), &p)),
                Err(e) => bad(e),
            },
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown method {}", req.method),
            ),
        }
    }

    fn notification(&mut self, n: Notification) {
        use lsp_types::{
            DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
            DidSaveTextDocumentParams,
        };
        let method = n.method.clone();
        let result = match method.as_str() {
            "textDocument/didOpen" => {
                serde_json::from_value(n.params).map(|p: DidOpenTextDocumentParams| {
                    let d = p.text_document;
                    self.update(d.uri, d.version, Some(d.text));
                })
            }
            "textDocument/didChange" => {
                serde_json::from_value(n.params).map(|p: DidChangeTextDocumentParams| {
                    // Full sync: the last change holds the whole text.
                    let text = p.content_changes.into_iter().last().map(|c| c.text);
                    let d = p.text_document;
                    if text.is_some() {
                        self.update(d.uri, d.version, text);
                    }
                })
            }
            "workspace/didChangeWatchedFiles" => {
                for d in self.datasets.values_mut() {
                    d.dirty = true;
                }
                Ok(())
            }
            "textDocument/didSave" => {
                serde_json::from_value(n.params).map(|p: DidSaveTextDocumentParams| {
                    self.touch(&p.text_document.uri);
                })
            }
            "textDocument/didClose" => {
                serde_json::from_value(n.params).map(|p: DidCloseTextDocumentParams| {
                    if let Some(path) = uri_path(&p.text_document.uri) {
                        self.docs.remove(&resolved(&path));
                    }
                    self.touch(&p.text_document.uri);
                })
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            eprintln!("diplomacy lsp: passed over {method}: {e}");
        }
    }

    /// Keeps an open document's text, and marks its dataset to be checked.
    fn update(&mut self, uri: Uri, version: i32, text: Option<String>) {
        let Some(path) = uri_path(&uri) else { return };
        let path = resolved(&path);
        if let Some(text) = text {
            self.docs.insert(
                path,
                Document {
                    uri: uri.clone(),
                    version,
                    text,
                },
            );
        }
        self.touch(&uri);
    }

    /// Marks the dataset of a document to be checked.
    fn touch(&mut self, uri: &Uri) {
        let Some(path) = uri_path(uri) else { return };
        if let Some(dir) = dataset_of(&resolved(&path)) {
            let dir = self.dataset(&dir);
            if let Some(d) = self.datasets.get_mut(&dir) {
                d.dirty = true;
            }
        }
    }

    /// Checks every dataset edited since its last check and publishes its diagnostics.
    fn check_dirty(&mut self) {
        let dirs: Vec<PathBuf> = self
            .datasets
            .iter()
            .filter(|(_, d)| d.dirty)
            .map(|(p, _)| p.clone())
            .collect();
        for dir in dirs {
            self.check(&dir);
        }
    }

    fn check(&mut self, dir: &Path) {
        let started = std::time::Instant::now();
        let open: HashMap<PathBuf, &str> = self
            .docs
            .iter()
            .filter(|(p, _)| p.parent() == Some(dir))
            .map(|(p, d)| (p.clone(), d.text.as_str()))
            .collect();
        let Some(data) = self.datasets.get_mut(dir) else {
            return;
        };
        data.dirty = false;
        let options = &self.options;
        let checker = data
            .checker
            .get_or_insert_with(|| Checker::new(dir, options));
        let diagnostics = checker.check(&open);
        let mut by_file: HashMap<PathBuf, Vec<diplomacy_validate::Diagnostic>> = HashMap::new();
        for d in diagnostics {
            by_file.entry(d.path.clone()).or_default().push(d);
        }
        // Every authoring file there is, so that a file whose problems are fixed is cleared.
        let mut files: HashSet<PathBuf> = toml_files()
            .map(|f| dir.join(f))
            .filter(|p| open.contains_key(p) || std::fs::symlink_metadata(p).is_ok())
            .collect();
        files.extend(by_file.keys().cloned());
        files.extend(data.published.iter().cloned());
        let mut files: Vec<PathBuf> = files.into_iter().collect();
        files.sort();
        for path in &files {
            let found = by_file.get(path).map_or(&[][..], Vec::as_slice);
            let doc = self.docs.get(path);
            // The text the positions are in: the open document's, or the file's where it
            // has diagnostics (none is needed to clear a file's).
            let read;
            let text = match (doc, found.is_empty()) {
                (Some(d), _) => d.text.as_str(),
                (None, false) => {
                    read = std::fs::read(path)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned());
                    read.as_deref().unwrap_or("")
                }
                (None, true) => "",
            };
            let params = PublishDiagnosticsParams::new(
                doc.map_or_else(|| path_uri(path), |d| d.uri.clone()),
                found.iter().map(|d| to_lsp(d, text)).collect(),
                doc.map(|d| d.version),
            );
            transport::send(
                Notification::new("textDocument/publishDiagnostics".to_owned(), params).into(),
            );
        }
        data.published = by_file.keys().cloned().collect();
        data.diagnostics = by_file;
        eprintln!(
            "diplomacy lsp: checked {} in {} ms",
            dir.display(),
            started.elapsed().as_millis()
        );
    }

    fn view(&self) -> features::View<'_> {
        features::View {
            docs: &self.docs,
            datasets: &self.datasets,
        }
    }
}

/// A validator's diagnostic in the protocol's form: its range in `text` (the file as the
/// editor has it), its code, its message with its notes and hint, and its other places.
fn to_lsp(d: &diplomacy_validate::Diagnostic, text: &str) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(hint) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| {
            let text = std::fs::read(&l.path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            DiagnosticRelatedInformation {
                location: Location::new(
                    path_uri(&l.path),
                    text::diagnostic_range(&text, l.line, l.column),
                ),
                message: l.message.clone(),
            }
        })
        .collect();
    lsp_types::Diagnostic {
        range: text::diagnostic_range(text, d.line, d.column),
        severity: Some(if d.is_error() {
            DiagnosticSeverity::ERROR
        } else {
            DiagnosticSeverity::WARNING
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        source: Some("diplomacy".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}
