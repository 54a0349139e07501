//! Reading the dataset's files safely: every file the validator reads (`dataset.toml`, each
//! table file, each archived source text) must be a regular file, must resolve inside the
//! dataset directory (a symbolic link is followed only where it stays inside), and must be at
//! most the size limit. All three are checked on the file's metadata before it is opened, so
//! a FIFO, a device such as `/dev/zero`, or a directory is refused without being read; the
//! opened file is checked again (`fstat`) and read no further than the limit, so a file
//! swapped between the check and the read cannot hang or exhaust the validator either.

use std::io::Read as _;
use std::path::Path;

use crate::Options;
use crate::diagnostic::{Code, LineIndex};
use crate::sink::{Sink, SourceFile};

/// Why a file of the dataset could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Nothing at the path (or a symbolic link to nothing).
    Missing,
    /// The path resolves outside the dataset directory.
    Escapes,
    /// Not a regular file: what it is instead.
    NotRegular(&'static str),
    /// Over the size limit: the size in bytes.
    TooLarge(u64),
    /// An I/O error, with the operation that failed.
    Io(&'static str, std::io::Error),
}

impl ReadError {
    /// The code and message of a diagnostic about `what` (e.g. `visits.toml`, or
    /// `` `file` "sources/a.txt" ``).
    pub(crate) fn describe(&self, what: &str, limit: u64) -> (Code, String) {
        match self {
            ReadError::Missing => (Code::MissingSourceFile, format!("{what} does not exist")),
            ReadError::Escapes => (
                Code::PathEscapes,
                format!("{what} leads outside the dataset directory (through a symbolic link)"),
            ),
            ReadError::NotRegular(kind) => (
                Code::NotRegularFile,
                format!("{what} is {kind}, not a regular file"),
            ),
            ReadError::TooLarge(size) => (
                Code::TooLarge,
                format!("{what} is {size} bytes, over the limit of {limit} bytes"),
            ),
            ReadError::Io(op, e) => (Code::Unreadable, format!("cannot {op} {what}: {e}")),
        }
    }
}

/// What a file system entry is, for a message.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Reads the file at `path`, which must be a regular file of at most `limit` bytes that
/// resolves inside `root` (the canonical dataset directory; `None` skips that check where the
/// directory itself cannot be resolved).
pub(crate) fn read_confined(
    root: Option<&Path>,
    path: &Path,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    read_confined_unless(root, path, limit, |_| false).map(Option::unwrap_or_default)
}

/// Checks the file at `path` as [`read_confined`] does, then reads it unless `known` says,
/// from the metadata of the file as opened, that its contents are known already (`None`).
pub(crate) fn read_confined_unless(
    root: Option<&Path>,
    path: &Path,
    limit: u64,
    known: impl FnOnce(&std::fs::Metadata) -> bool,
) -> Result<Option<Vec<u8>>, ReadError> {
    let not_found = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
    match std::fs::symlink_metadata(path) {
        Ok(_) => {}
        Err(e) if not_found(&e) => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Io("inspect", e)),
    }
    let canonical = match path.canonicalize() {
        Ok(c) => c,
        Err(e) if not_found(&e) => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Io("resolve", e)),
    };
    if let Some(root) = root
        && !canonical.starts_with(root)
    {
        return Err(ReadError::Escapes);
    }
    let meta = std::fs::metadata(&canonical).map_err(|e| ReadError::Io("inspect", e))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let file = std::fs::File::open(&canonical).map_err(|e| ReadError::Io("open", e))?;
    // The file may have been replaced between the check and the open.
    let meta = file.metadata().map_err(|e| ReadError::Io("inspect", e))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if known(&meta) {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io("read", e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// The files of a dataset directory: `dataset.toml` and every authoring file, not yet read.
pub(crate) fn dataset_files(dir: &Path) -> Vec<SourceFile> {
    std::iter::once("dataset.toml")
        .chain(diplomacy_model::AUTHORING_FILES.iter().map(|(f, _)| *f))
        .map(|name| SourceFile::new(dir, name))
        .collect()
}

/// Reads an authoring file into `file.text`, or takes the text `open` gives it (an editor's
/// unsaved text); reports a file that exists but cannot be read. A missing table file is an
/// empty table; a missing `dataset.toml` is reported.
pub(crate) fn load(
    file: &mut SourceFile,
    root: Option<&Path>,
    options: &Options,
    open: Option<&str>,
    sink: &mut Sink,
) {
    let before = sink.diagnostics.len();
    file.text = match open {
        Some(text) if text.len() as u64 > options.max_file_size => {
            let (_, mut message) =
                ReadError::TooLarge(text.len() as u64).describe(file.name, options.max_file_size);
            message.push_str("; split the table or raise the limit");
            sink.whole_file(&file.path, Code::TooLarge, message);
            None
        }
        Some(text) => Some(text.to_owned()),
        None => read_text(file, root, options, sink),
    };
    file.failed = file.text.is_none() && sink.diagnostics.len() > before;
}

fn read_text(
    file: &SourceFile,
    root: Option<&Path>,
    options: &Options,
    sink: &mut Sink,
) -> Option<String> {
    let (path, name) = (&file.path, file.name);
    let bytes = match read_confined(root, path, options.max_file_size) {
        Ok(b) => b,
        Err(ReadError::Missing) => {
            if name == "dataset.toml" {
                sink.whole_file(
                    path,
                    Code::MissingDatasetFile,
                    "dataset.toml is missing: every dataset directory needs one (name, title, version, description, license)",
                );
            }
            return None;
        }
        Err(e) => {
            let (code, mut message) = e.describe(name, options.max_file_size);
            if code == Code::TooLarge {
                message.push_str("; split the table or raise the limit");
            }
            sink.whole_file(path, code, message);
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let at = LineIndex::new(&prefix).position(&prefix, valid);
            sink.at_line(
                path,
                at,
                Code::NotUtf8,
                format!(
                    "{name} is not UTF-8: invalid byte 0x{:02X}",
                    bytes.get(valid).copied().unwrap_or(0)
                ),
                Some("save the file as UTF-8".to_owned()),
            );
            None
        }
    }
}
