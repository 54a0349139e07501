//! The archived texts of a dataset's sources as the rules read them: each read, hashed and
//! divided into sentences once, and each quote looked for in it once, whichever rule asks
//! (the quote check, the sentence ledger, the name forms). A [`Session`](crate::Session)
//! keeps them from one run to the next while the file is the same one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use diplomacy_model::Segmentation;
use diplomacy_model::anchor::Locator;
use diplomacy_model::ledger::{Sentence, segment};

use crate::cache::{Key, Keys};
use crate::read::{ReadError, read_confined_unless};

/// Quotes and texts are hashed by the thousand: a fast hasher.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Where a quote occurs in a text: byte ranges, as [`Locator::spans_all`] gives them.
pub(crate) type Places = Arc<[(usize, usize)]>;

/// One archived text, and what was found in it.
pub(crate) struct SourceText {
    /// The text as archived.
    pub(crate) text: String,
    normalised: OnceLock<String>,
    lower: OnceLock<String>,
    sentences: Mutex<HashMap<Segmentation, Arc<[Sentence]>>>,
    /// Each quote looked for (whitespace-normalised), by its key: where it occurs, and
    /// whether this run asked for it.
    places: Mutex<std::collections::HashMap<Key, (Places, bool), foldhash::fast::FixedState>>,
    keys: Keys,
    /// The key of what its sentence ledger was checked with (how the text is divided, the
    /// quotes that cite it, its excuses, whether the ledger is required) where the check
    /// found nothing to report.
    pub(crate) ledger_clean: Mutex<Option<crate::cache::Key>>,
}

impl SourceText {
    fn new(text: String) -> Self {
        Self {
            text,
            normalised: OnceLock::new(),
            lower: OnceLock::new(),
            sentences: Mutex::default(),
            places: Mutex::default(),
            keys: Keys::default(),
            ledger_clean: Mutex::default(),
        }
    }

    /// The text with whitespace runs collapsed to one space.
    pub(crate) fn normalised(&self) -> &str {
        self.normalised
            .get_or_init(|| crate::facts::normalise(&self.text))
    }

    /// [`SourceText::normalised`], lower-cased (without keeping the normalised text).
    pub(crate) fn lower(&self) -> &str {
        self.lower.get_or_init(|| match self.normalised.get() {
            Some(n) => n.to_lowercase(),
            None => crate::facts::normalise(&self.text).to_lowercase(),
        })
    }

    /// Its sentences, divided as `how` says.
    pub(crate) fn sentences(&self, how: Segmentation) -> Arc<[Sentence]> {
        let mut map = self
            .sentences
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        map.entry(how)
            .or_insert_with(|| segment(&self.text, how).into())
            .clone()
    }

    /// Where each of `quotes` (whitespace-normalised) occurs: the ones not looked for
    /// before are found in one pass over the text.
    pub(crate) fn places(&self, quotes: &[&str]) -> Vec<Places> {
        let mut map = self.places.lock().unwrap_or_else(PoisonError::into_inner);
        let keys: Vec<Key> = quotes.iter().map(|q| self.keys.key(q)).collect();
        let mut missing: Vec<(Key, &str)> = keys
            .iter()
            .zip(quotes)
            .filter(|(k, _)| !map.contains_key(*k))
            .map(|(k, q)| (*k, *q))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let patterns: Vec<&str> = missing.iter().map(|(_, q)| *q).collect();
            let found = Locator::new(&self.text).spans_all(&patterns);
            for ((k, _), at) in missing.into_iter().zip(found) {
                map.insert(k, (at.into(), false));
            }
        }
        keys.iter()
            .map(|k| {
                let (at, used) = map.get_mut(k).expect("looked for above");
                *used = true;
                at.clone()
            })
            .collect()
    }

    /// Lets go of the places of quotes this run did not ask for.
    fn sweep(&self) {
        let mut map = self.places.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, (_, used)| std::mem::take(used));
    }
}

/// The archived texts of a validated dataset's sources as validation read them (each
/// checked against its `sha256`): the text, its sentences and where each quote occurs, so
/// that a release anchors every quote and divides every text without reading or searching
/// the texts again.
///
/// ```
/// use diplomacy_model::ledger::Quote;
///
/// let dir = std::path::Path::new("../../datasets/japan-eurasia-diplomacy");
/// let valid = diplomacy_validate::validate_dir(dir).into_valid().expect("valid");
/// let source = &valid.data.sources[0];
/// let text = valid.texts.text(source.id.as_str()).expect("read");
/// let quote = Quote { text: "Japan", occurrence: None, record: 0 };
/// let (ledger, places) = valid.texts.account(source, &[quote]).expect("read");
/// // Every place of the word (not of "Japanese"), and the sentences it is in cited by
/// // record 0.
/// assert!(places[0].iter().all(|&(start, end)| &text[start..end] == "Japan"));
/// assert!(!places[0].is_empty() && places[0].len() < text.matches("Japan").count());
/// let cited = ledger.entries().iter().filter(|e| e.records == [0]).count();
/// assert!(cited >= 1 && cited <= places[0].len());
/// ```
#[derive(Clone, Default)]
pub struct ArchivedTexts {
    by_id: std::collections::HashMap<String, Arc<SourceText>>,
}

impl std::fmt::Debug for ArchivedTexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<&String> = self.by_id.keys().collect();
        ids.sort();
        f.debug_struct("ArchivedTexts")
            .field("sources", &ids)
            .finish()
    }
}

impl ArchivedTexts {
    pub(crate) fn insert(&mut self, id: &str, text: Arc<SourceText>) {
        self.by_id.insert(id.to_owned(), text);
    }

    /// The archived text of the source `id`, where validation read it.
    pub fn text(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(|t| t.text.as_str())
    }

    /// The sentence ledger of `source` from the quotes records make of it (as
    /// [`account_source`](diplomacy_model::ledger::account_source) gives it), and the places
    /// of each quote in its text: `None` where validation did not read the text.
    pub fn account(
        &self,
        source: &diplomacy_model::Source,
        quotes: &[diplomacy_model::ledger::Quote<'_>],
    ) -> Option<(diplomacy_model::ledger::Ledger, Vec<Places>)> {
        let text = self.by_id.get(source.id.as_str())?;
        let normalised: Vec<String> = quotes
            .iter()
            .map(|q| crate::facts::normalise(q.text))
            .chain(
                source
                    .excused
                    .iter()
                    .map(|x| crate::facts::normalise(&x.quote)),
            )
            .collect();
        let patterns: Vec<&str> = normalised.iter().map(String::as_str).collect();
        let mut found = text.places(&patterns);
        let ledger = diplomacy_model::ledger::Ledger::from_places(
            text.sentences(source.segment).to_vec(),
            quotes,
            &found,
            source.excused.iter().map(|x| x.reason),
        );
        found.truncate(quotes.len());
        Some((ledger, found))
    }
}

/// Which file a text was read from: a file with the same identity holds the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    #[cfg(unix)]
    unix: (u64, u64, i64, i64, i64, i64),
    len: u64,
    modified: Option<std::time::SystemTime>,
}

/// How long after its last change a file's identity is trusted to tell a change: longer
/// than the coarsest timestamps a file system keeps.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl Identity {
    /// Whether the file changed too recently for its identity to tell the next change.
    fn racy(&self) -> bool {
        let now = std::time::SystemTime::now();
        let recent = |t: std::time::SystemTime| now.duration_since(t).map_or(true, |d| d < SETTLED);
        #[cfg(unix)]
        {
            let (.., ctime, ctime_nsec) = self.unix;
            let changed = u64::try_from(ctime).ok().map(|s| {
                std::time::UNIX_EPOCH
                    + std::time::Duration::new(s, u32::try_from(ctime_nsec).unwrap_or(0))
            });
            if changed.is_none_or(recent) {
                return true;
            }
        }
        self.modified.is_none_or(recent)
    }

    fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt as _;
        Self {
            #[cfg(unix)]
            unix: (
                meta.dev(),
                meta.ino(),
                meta.mtime(),
                meta.mtime_nsec(),
                meta.ctime(),
                meta.ctime_nsec(),
            ),
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// What reading one archived file gave.
#[derive(Clone)]
pub(crate) struct Read {
    /// The SHA-256 of its bytes, in lower-case hex.
    pub(crate) sha256: Arc<str>,
    /// Its text; `None` where the bytes are not UTF-8.
    pub(crate) text: Option<Arc<SourceText>>,
}

/// The archived texts read, by path.
#[derive(Default)]
pub(crate) struct SourceMemo {
    map: HashMap<PathBuf, (Identity, Read, bool)>,
    /// This run's texts, by source id.
    pub(crate) texts: ArchivedTexts,
    /// Whether texts are remembered from run to run (a session).
    pub(crate) remember: bool,
}

impl SourceMemo {
    /// Reads the archived file at `path` (checked as [`read_confined`](crate::read::read_confined)
    /// checks it), or gives what reading it gave before where it is the same file, unchanged.
    pub(crate) fn read(
        &mut self,
        root: Option<&Path>,
        path: &Path,
        limit: u64,
    ) -> Result<Read, ReadError> {
        let mut seen = None;
        let known = self.map.get(path).map(|(id, _, _)| id.clone());
        let bytes = read_confined_unless(root, path, limit, |meta| {
            let id = Identity::of(meta);
            let same = known.as_ref() == Some(&id);
            seen = Some(id);
            same
        })?;
        let Some(bytes) = bytes else {
            let (_, read, used) = self.map.get_mut(path).expect("known above");
            *used = true;
            return Ok(read.clone());
        };
        let read = Read {
            sha256: crate::sha256_hex(&bytes).into(),
            text: String::from_utf8(bytes)
                .ok()
                .map(|t| Arc::new(SourceText::new(t))),
        };
        // A file changed within the last moments may change again without its identity
        // changing (timestamps are coarse): it is read again next time.
        if let Some(id) = seen.filter(|id| !id.racy()) {
            self.map
                .insert(path.to_path_buf(), (id, read.clone(), true));
        }
        Ok(read)
    }

    /// Lets go of the files this run did not read, and of the quotes it did not look for.
    pub(crate) fn sweep(&mut self) {
        self.texts = ArchivedTexts::default();
        self.map.retain(|_, (_, read, used)| {
            if let Some(text) = &read.text {
                text.sweep();
            }
            std::mem::take(used)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diplomacy_model::anchor::on_word_boundaries;

    /// How many places each pattern has, asked in two rounds (the second finds the first's
    /// remembered), in the order asked.
    fn counts(text: &str, patterns: &[&str]) -> Vec<u32> {
        let source = SourceText::new(text.to_owned());
        let half = patterns.len() / 2;
        let first = source.places(&patterns[..half]);
        let all = source.places(patterns);
        assert_eq!(first, all[..half], "remembered places are the ones found");
        all.iter().map(|p| p.len() as u32).collect()
    }

    #[test]
    fn places_are_each_whole_word_occurrence() {
        let text = "Talks held in Tokyo. Talks held in Moscow. 東京で会談 end";
        let patterns = [
            "Talks held in Moscow.", // shares its first 8 bytes with the next
            "Talks held in Tokyo.",
            "Talks held in Osaka.", // absent
            "alks held",            // starts mid-word
            "in Mosc",              // ends mid-word
            "東京で会談",           // multi-byte
            "end",                  // shortest, at the very end
            "held in Tokyo. Talks held in Moscow. 東京で会談 end and more", // longer than the text
        ];
        assert_eq!(counts(text, &patterns), [1, 1, 0, 0, 0, 1, 1, 0]);
        // Against a plain search of every position, on a text with repeats.
        let text = "a b a b a b c";
        let patterns = ["a b", "b a b", "a b c", "b c", "c", "a b a b a b c d"];
        let naive: Vec<u32> = patterns
            .iter()
            .map(|p| {
                (0..=text.len().saturating_sub(p.len()))
                    .filter(|&i| {
                        text[i..].starts_with(p) && on_word_boundaries(text, i, i + p.len())
                    })
                    .count() as u32
            })
            .collect();
        assert_eq!(counts(text, &patterns), naive);
        assert_eq!(naive, [3, 2, 1, 1, 1, 0]);
    }

    #[test]
    fn a_file_read_again_unchanged_is_not_read_again_and_a_changed_one_is() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Talks held in Tokyo.").expect("write");
        let mut memo = SourceMemo::default();
        // A file just written is read every time, until it has settled.
        let fresh = memo.read(None, &path, 1 << 20).expect("read");
        assert!(memo.map.is_empty(), "{}", fresh.sha256);
        std::thread::sleep(SETTLED + std::time::Duration::from_millis(100));
        let first = memo.read(None, &path, 1 << 20).expect("read");
        let again = memo.read(None, &path, 1 << 20).expect("read");
        let (a, b) = (first.text.expect("UTF-8"), again.text.expect("UTF-8"));
        assert!(
            Arc::ptr_eq(&a, &b),
            "the same file, unchanged, is remembered"
        );
        // Replaced by another file (a new inode) with other bytes of the same length.
        let other = dir.path().join("b.txt");
        std::fs::write(&other, "Talks held in Osaka.").expect("write");
        std::fs::rename(&other, &path).expect("rename");
        let changed = memo.read(None, &path, 1 << 20).expect("read");
        assert_eq!(changed.text.expect("UTF-8").text, "Talks held in Osaka.");
        assert_eq!(*changed.sha256, *crate::sha256_hex(b"Talks held in Osaka."));
        // Not UTF-8: no text, and its checksum all the same.
        std::fs::write(&path, b"\xff\xfe").expect("write");
        let bad = memo.read(None, &path, 1 << 20).expect("read");
        assert!(bad.text.is_none());
        // A run that does not read a file lets go of it.
        memo.sweep();
        memo.sweep();
        assert!(memo.map.is_empty());
    }
}
