//! Writing every file of a release into a directory.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use diplomacy_model::table::{Column, RowWriter};
use diplomacy_model::{Dataset, DatasetMeta, Table, TableName, TableVisitor};

use crate::checksums::{files_under, hash_files, sha256sums};
use crate::croissant::{Metadata, croissant};
use crate::error::{Error, IoContext};
use crate::format::FORMATS;
use crate::history::History;
use crate::page::PageCollector;
use crate::sqlite::Database;
use crate::{ReleaseOptions, card, citation, license, package, page, sqlite};

/// What the package and the data card say of one table.
#[derive(Debug)]
pub(crate) struct TableInfo {
    /// The table.
    pub(crate) table: TableName,
    /// The table's name.
    pub(crate) name: &'static str,
    /// Its columns, in order.
    pub(crate) columns: &'static [Column],
    /// How many rows it has.
    pub(crate) rows: usize,
    /// The first and last day of its first date column's extents, where it has one.
    pub(crate) coverage: Option<(String, String)>,
}

/// Writes every file of the release of `data` into `dir`, which exists and is empty. The
/// evidence table is written last, from quotes moved out of the records.
pub(crate) fn write_tree(
    dir: &Path,
    dataset: &Path,
    meta: &DatasetMeta,
    data: &mut Dataset,
    texts: &diplomacy_validate::ArchivedTexts,
    history: &History,
    options: &ReleaseOptions,
) -> Result<(), Error> {
    for format in FORMATS {
        let path = dir.join(format.name());
        fs::create_dir(&path).op("create directory", &path)?;
    }
    let db_path = dir.join(sqlite::file_name(meta));
    let mut writer = TableWriter {
        dir,
        options,
        tables: Vec::new(),
        page: PageCollector::default(),
        database: Some(Database::create(&db_path)?),
    };
    // The release's temporal coverage, from the fact records' own dates.
    let temporal = data.temporal_coverage();
    data.visit_tables(&mut writer)?;
    let mut evidence = data.take_evidence_rows();
    let sentences = anchor(&mut evidence, &data.sources, texts, dataset)?;
    let data: &Dataset = data;
    // From here the database is finished on a thread of its own (its last two tables, then
    // indexes, search and checks: the longest step of a release), while this thread writes
    // those two tables in the other formats, hashes every other file and writes the
    // documents that do not list the database's checksum.
    let database = writer.database.take();
    // Set when the database should stop where it is: this thread failed, or cancellation
    // was asked for. The database checks it between its steps, and is interrupted within one.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let interrupt = database.as_ref().map(Database::interrupt_handle);
    // Each thread lets go of these two tables when it has written them: the last to do so
    // frees them, before the database's long last steps.
    let (evidence, sentences) = (
        std::sync::Arc::new(evidence),
        std::sync::Arc::new(sentences),
    );
    let mine = (
        std::sync::Arc::clone(&evidence),
        std::sync::Arc::clone(&sentences),
    );
    let (finished, written) = std::thread::scope(|scope| {
        let stop = &stop;
        let db_path = &db_path;
        let finishing = scope.spawn(move || -> Result<(), Error> {
            options.timed(sqlite::PART, || -> Result<(), Error> {
                let check = || -> Result<(), Error> {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        return Err(Error::Cancelled);
                    }
                    options.check_cancelled()
                };
                if let Some(mut database) = database {
                    database.insert(&evidence)?;
                    drop(evidence);
                    check()?;
                    database.insert(&sentences)?;
                    drop(sentences);
                    check()?;
                    fail::fail_point!("publish::finishing-database", |_| Err(Error::Io {
                        op: "write",
                        path: db_path.clone(),
                        source: std::io::Error::other("injected failure"),
                    }));
                    check()?;
                    database.finish(&check)?;
                }
                Ok(())
            })
        });
        let halt = || {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            if let Some(handle) = &interrupt {
                handle.interrupt();
            }
        };
        let written = (|| -> Result<_, Error> {
            let (evidence, sentences) = mine;
            writer.visit(&evidence)?;
            drop(evidence);
            writer.visit(&sentences)?;
            let coverage = crate::coverage::Coverage::of(&sentences);
            drop(sentences);
            options.check_cancelled()?;
            let data_files: Vec<PathBuf> = files_under(dir)
                .op("list", dir)?
                .into_iter()
                .filter(|p| p != db_path)
                .collect();
            let mut hashes = hash_files(dir, &data_files)?;
            // Every document but the package, which lists the database's checksum.
            let documents: [(&str, String); 7] = [
                (
                    "README.md",
                    card::data_card(meta, data, &writer.tables, &coverage, &temporal),
                ),
                ("CITATION.cff", citation::citation(meta, data)),
                (".zenodo.json", citation::zenodo(meta)?),
                ("LICENSE", license::license_text(&meta.license)),
                ("CHANGELOG.md", history.changelog.clone()),
                ("changes.json", history.changes.clone()),
                (
                    "metadata.json",
                    sqlite::datasette_metadata(meta, &writer.tables)?,
                ),
            ];
            let mut written = Vec::new();
            for (file, text) in documents {
                let path = dir.join(file);
                write_file(&path, text.as_bytes())?;
                written.push(path);
            }
            hashes.extend(hash_files(dir, &written)?);
            Ok((hashes, coverage))
        })();
        if written.is_err() {
            halt();
        }
        while !finishing.is_finished() {
            if options.cancelled() {
                halt();
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let finished = finishing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (finished, written)
    });
    // This thread's error first: the database's may only be that it was stopped.
    let (mut hashes, coverage) = written?;
    options.check_cancelled()?;
    finished?;
    let TableWriter {
        tables, page: seen, ..
    } = writer;
    hashes.extend(hash_files(dir, std::slice::from_ref(&db_path))?);
    let path = dir.join("datapackage.json");
    write_file(
        &path,
        package::datapackage(meta, data, &tables, &hashes, &coverage)?.as_bytes(),
    )?;
    hashes.extend(hash_files(dir, &[path])?);

    // The catalogue metadata, once, for croissant.json and the page's JSON-LD; the page lists
    // every file but itself and SHA256SUMS.
    let mut metadata = Metadata::new(
        meta,
        data,
        hashes.clone(),
        temporal,
        seen.spatial_coverage(),
    );
    let path = dir.join("croissant.json");
    write_file(&path, croissant(&metadata, &tables)?.as_bytes())?;
    let croissant_hash = hash_files(dir, &[path])?;
    metadata.files.extend(croissant_hash.clone());
    hashes.extend(croissant_hash);
    let path = dir.join("index.html");
    write_file(
        &path,
        page::page(meta, &metadata, &seen, &hashes, &coverage).as_bytes(),
    )?;
    hashes.extend(hash_files(dir, &[path])?);
    write_file(&dir.join("SHA256SUMS"), sha256sums(&hashes).as_bytes())?;
    for sub in FORMATS.iter().map(|f| f.name()).chain([""]) {
        let path = dir.join(sub);
        sync_dir(&path)?;
    }
    Ok(())
}

/// Fills in each quote's anchor in its source's archived text (offsets, prefix, suffix): the
/// place the record names (`occurrence`), or the only place the quote occurs; none where it
/// occurs more than once and the record does not say which. Returns the sentence ledger of
/// every source, found in the same pass over each text. Each text, its sentences and its
/// quotes' places come from `texts`, as validation found them; a source validation did not
/// read is read and searched here.
pub(crate) fn anchor(
    rows: &mut [diplomacy_model::EvidenceRow],
    sources: &[diplomacy_model::Source],
    texts: &diplomacy_validate::ArchivedTexts,
    dataset: &Path,
) -> Result<Vec<diplomacy_model::SourceSentence>, Error> {
    use diplomacy_model::ledger::{Quote, account_source};
    use std::collections::HashMap;
    // The rows of each source, so each text is read and searched once.
    let mut by_source: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        by_source.entry(row.source.as_str()).or_default().push(i);
    }
    // Each row's anchor and the sentence it begins in, where it has one.
    type Placed = Option<(diplomacy_model::anchor::Anchor, Option<u32>)>;
    let mut placed: Vec<(usize, Placed)> = Vec::new();
    let mut sentences = Vec::new();
    for s in sources {
        let indices = by_source.get(s.id.as_str()).map_or(&[][..], Vec::as_slice);
        let read;
        let text = match texts.text(s.id.as_str()) {
            Some(text) => text,
            None => {
                let path = dataset.join(&s.file);
                read = fs::read_to_string(&path).op("read", &path)?;
                &read
            }
        };
        let mine: Vec<&diplomacy_model::EvidenceRow> = indices.iter().map(|&i| &rows[i]).collect();
        // The entries' record numbers index `mine`, and so `indices`.
        let quotes: Vec<Quote<'_>> = mine
            .iter()
            .enumerate()
            .map(|(n, r)| Quote {
                text: &r.quote,
                occurrence: r.occurrence,
                record: u32::try_from(n).unwrap_or(u32::MAX),
            })
            .collect();
        let (ledger, found): (_, Vec<Vec<(usize, usize)>>) = match texts.account(s, &quotes) {
            Some((ledger, found)) => (ledger, found.iter().map(|p| p.to_vec()).collect()),
            None => {
                let done = account_source(text, s, &mine);
                (done.ledger, done.quotes)
            }
        };
        drop(quotes);
        drop(mine);
        for (&i, places) in indices.iter().zip(found) {
            let at = match rows[i].occurrence {
                Some(n) if (n as usize) >= 1 && (n as usize) <= places.len() => {
                    Some(places[n as usize - 1])
                }
                None if places.len() == 1 => Some(places[0]),
                _ => None,
            };
            let entries = ledger.entries();
            let placed_at = at.map(|(start, end)| {
                // The sentence the quote begins in (from 1), where the text is divided.
                let n = entries.partition_point(|e| e.sentence.end <= start);
                let sentence = (n < entries.len() && entries[n].sentence.start < end)
                    .then(|| u32::try_from(n + 1).unwrap_or(u32::MAX));
                (
                    diplomacy_model::anchor::Anchor::at(text, start, end),
                    sentence,
                )
            });
            placed.push((i, placed_at));
        }
        for (n, e) in ledger.entries().iter().enumerate() {
            let mut records: Vec<diplomacy_model::Id> = e
                .records
                .iter()
                .map(|&k| rows[indices[k as usize]].record.clone())
                .collect();
            records.sort();
            records.dedup();
            let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
            sentences.push(diplomacy_model::SourceSentence {
                id: format!("{}/{}", s.id, n + 1),
                source: s.id.clone(),
                sentence: offset(n + 1),
                start: offset(e.sentence.start),
                end: offset(e.sentence.end),
                status: e.status(),
                reason: e.reason.filter(|_| e.records.is_empty()),
                records,
            });
        }
    }
    // Rows in id order, as every table of a release (`<source>/10` before `<source>/2`).
    sentences.sort_by(|a, b| a.id.cmp(&b.id));
    for (i, at) in placed {
        let Some((a, sentence)) = at else { continue };
        let row = &mut rows[i];
        row.sentence = sentence;
        // No cell may begin as a spreadsheet formula: the prefix loses such characters at
        // its far end (it still ends where the quote begins); a suffix that begins with one
        // is left out.
        let formula = |c: char| diplomacy_validate::FORMULA_PREFIXES.contains(&c);
        row.start = u32::try_from(a.start).ok();
        row.end = u32::try_from(a.end).ok();
        row.prefix =
            Some(a.prefix.trim_start_matches(formula).to_owned()).filter(|p| !p.is_empty());
        row.suffix = Some(a.suffix).filter(|s| !s.is_empty() && !s.starts_with(formula));
    }
    Ok(sentences)
}

/// Writes one table in every format and into the database, and notes what the package and
/// the page need.
struct TableWriter<'a> {
    dir: &'a Path,
    options: &'a ReleaseOptions,
    tables: Vec<TableInfo>,
    page: PageCollector,
    /// Until the last two tables: from then on it is finished on a thread of its own.
    database: Option<Database>,
}

/// Records turned into rows at a time: each record becomes its row once, and the batch is
/// shared by every format, the database and the page.
const BATCH: usize = 1024;

/// A batch of rows: each record's key and cells.
type Batch<'r> = std::sync::Arc<Vec<(&'r str, RowWriter<'r>)>>;

impl TableVisitor for TableWriter<'_> {
    type Error = Error;

    /// Every table but evidence, which [`write_tree`] writes after them (with the sentence
    /// ledger, found in the same pass over the sources).
    fn wants(&self, table: TableName) -> bool {
        table != TableName::Evidence
    }

    fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Error> {
        self.options.check_cancelled()?;
        if let Some(progress) = self.options.progress {
            progress(&crate::Progress {
                table: T::NAME.as_str(),
                rows: records.len(),
                done: self.tables.len(),
            });
        }
        let paths: Vec<PathBuf> = FORMATS
            .iter()
            .map(|f| self.dir.join(f.file(T::NAME.as_str())))
            .collect();
        let options = self.options;
        let parquet = &options.parquet;
        let page = &mut self.page;
        let database = &mut self.database;
        // The first format and the page on this thread, every other format and the database
        // on a thread of its own, each fed the same batches of rows.
        let coverage = std::thread::scope(|scope| -> Result<_, Error> {
            let mut feeds = Vec::new();
            let mut others = Vec::new();
            for (format, path) in FORMATS.iter().zip(&paths).skip(1) {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Batch<'_>>(2);
                feeds.push(tx);
                others.push(scope.spawn(move || {
                    options.timed(format.name(), || {
                        create(path, |out| {
                            let mut sink =
                                format.start(T::NAME, T::columns(), out, path, parquet)?;
                            for batch in rx {
                                for (id, row) in batch.iter() {
                                    sink.row(id, row.cells())?;
                                }
                            }
                            sink.finish()
                        })
                    })
                }));
            }
            if let Some(database) = database.as_mut() {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Batch<'_>>(2);
                feeds.push(tx);
                others.push(scope.spawn(move || {
                    options.timed(crate::sqlite::PART, || {
                        let mut sink = database.table(T::NAME, T::columns())?;
                        for batch in rx {
                            for (_, row) in batch.iter() {
                                sink.row(row.cells())?;
                            }
                        }
                        Ok(())
                    })
                }));
            }
            // The first format's own work is timed batch by batch: this thread also turns
            // the records into rows and feeds the page.
            let name = FORMATS[0].name();
            let first = create(&paths[0], |out| {
                let mut sink = options.timed(name, || {
                    FORMATS[0].start(T::NAME, T::columns(), out, &paths[0], parquet)
                })?;
                page.start(T::NAME, T::columns());
                for chunk in records.chunks(BATCH) {
                    let batch: Batch<'_> = std::sync::Arc::new(
                        chunk
                            .iter()
                            .map(|r| {
                                let mut row = RowWriter::default();
                                r.write_row(&mut row);
                                (r.id(), row)
                            })
                            .collect(),
                    );
                    // A format whose thread has stopped reports why when it is joined.
                    for feed in &feeds {
                        let _ = feed.send(batch.clone());
                    }
                    options.timed(name, || -> Result<(), Error> {
                        for (id, row) in batch.iter() {
                            sink.row(id, row.cells())?;
                        }
                        Ok(())
                    })?;
                    for (id, row) in batch.iter() {
                        page.row(id, row);
                    }
                }
                options.timed(name, || sink.finish())
            });
            drop(feeds);
            let coverage = page.finish();
            for other in others {
                other
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
            }
            first.map(|()| coverage)
        })?;
        fail::fail_point!("publish::after-table", |what: Option<String>| {
            if what.as_deref() == Some("out-of-memory") {
                // Memory running out, as the allocator meets it: a request it cannot grant.
                drop(std::hint::black_box(Vec::<u8>::with_capacity(1 << 62)));
            }
            Err(Error::Io {
                op: "write",
                path: paths[0].clone(),
                source: std::io::Error::other("injected failure"),
            })
        });
        self.tables.push(TableInfo {
            table: T::NAME,
            name: T::NAME.as_str(),
            columns: T::columns(),
            rows: records.len(),
            coverage: coverage.map(|(a, b)| (a.to_string(), b.to_string())),
        });
        Ok(())
    }
}

/// Creates `path`, lets `write` fill it through a buffer, and flushes it to disk.
fn create(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<(), Error>,
) -> Result<(), Error> {
    let file = File::create(path).op("create", path)?;
    let mut buf = BufWriter::with_capacity(1 << 20, file);
    write(&mut buf)?;
    buf.flush().op("write", path)?;
    let file = buf
        .into_inner()
        .map_err(|e| e.into_error())
        .op("write", path)?;
    file.sync_all().op("write", path)
}

/// Writes `bytes` to `path` and flushes it to disk.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    create(path, |w| w.write_all(bytes).op("write", path))
}

/// Flushes a directory's entries to disk, so that a rename after it finds them complete.
fn sync_dir(path: &PathBuf) -> Result<(), Error> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .op("flush directory", path)
}
