//! What a [`Session`](crate::Session) remembers from one run to the next, so that a run
//! after an edit checks again only what the edit can change: each checked chunk of a table
//! file by its text, each archived source by its file's identity, and each fact
//! record whose values its quotes were found to state.
//!
//! A chunk's facts are not copied: a run takes them out of the memo as a piece of the
//! dataset's facts, and gives them back once its rules are done. What one run did not
//! use is let go at its end, so memory holds one dataset's worth.

use diplomacy_model::TableName;

use crate::facts::{AllFacts, Facts};

/// Exact texts are hashed by the megabyte: a fast hasher.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Everything remembered between runs.
#[derive(Default)]
pub(crate) struct Cache {
    /// Whether anything is remembered from run to run: off for a single run, which then
    /// spends nothing on keys.
    pub(crate) remember: bool,
    /// Checked chunks, by table.
    chunks: HashMap<TableName, ChunkMemo>,
    /// Archived texts and what was found in them.
    pub(crate) sources: crate::sources::SourceMemo,
    /// The hashers of the keys of contents.
    keys: Keys,
}

impl Cache {
    /// A cache for one run: it remembers nothing past it.
    pub(crate) fn one_run() -> Self {
        Self::default()
    }

    /// A cache that remembers from run to run.
    pub(crate) fn remembering() -> Self {
        let mut cache = Self {
            remember: true,
            ..Self::default()
        };
        cache.sources.remember = true;
        cache
    }

    /// The memo of `table`'s chunks, where chunks are remembered.
    pub(crate) fn chunks_of(&mut self, table: TableName) -> Option<&mut ChunkMemo> {
        self.remember.then(|| self.chunks.entry(table).or_default())
    }

    /// The archived texts, and the hashers of keys where the run remembers.
    pub(crate) fn for_rules(&mut self) -> (&mut crate::sources::SourceMemo, Option<&Keys>) {
        let keys = self.remember.then_some(&self.keys);
        (&mut self.sources, keys)
    }

    /// The hashers of keys, where the run remembers.
    pub(crate) fn keys(&self) -> Option<&Keys> {
        self.remember.then_some(&self.keys)
    }

    /// Ends a run whose facts are `facts`: each piece to remember goes back into the memo
    /// (every chunk the run did not use is let go), and what the run did not use of the
    /// sources is let go.
    pub(crate) fn end_run(&mut self, facts: AllFacts) {
        if !self.remember {
            return;
        }
        for memo in self.chunks.values_mut() {
            memo.map.clear();
        }
        for piece in facts.pieces {
            if let Some(key) = piece.key {
                self.chunks.entry(piece.table).or_default().map.insert(
                    key,
                    Checked {
                        start: piece.start,
                        facts: piece.facts,
                        entailed: piece.entailed,
                    },
                );
            }
        }
        self.sources.sweep();
    }
}

/// One chunk's part of a run's facts: its facts, and, where it gave no diagnostic, the key
/// of its text, so that it is remembered.
pub(crate) struct Piece {
    /// The table of the chunk's file.
    pub(crate) table: TableName,
    /// The key of its text, where it is to be remembered.
    pub(crate) key: Option<Key>,
    /// Where the chunk starts in its file.
    pub(crate) start: usize,
    /// The context its records were all found to state their values in, if they were.
    pub(crate) entailed: Option<Key>,
    /// Its facts.
    pub(crate) facts: Facts,
}

/// A 128-bit key of some contents: two independently seeded hashes, seeded afresh in each
/// process.
pub(crate) type Key = (u64, u64);

/// Makes [`Key`]s.
#[derive(Default)]
pub(crate) struct Keys {
    seeds: (foldhash::fast::RandomState, foldhash::fast::RandomState),
}

impl Keys {
    /// The key of `contents`, in one pass over them.
    pub(crate) fn key(&self, contents: impl std::hash::Hash) -> Key {
        use std::hash::{BuildHasher as _, Hasher as _};
        let (a, b) = &self.seeds;
        let mut both = Both(a.build_hasher(), b.build_hasher());
        contents.hash(&mut both);
        (both.0.finish(), both.1.finish())
    }
}

/// Two hashers fed the same bytes.
struct Both<H>(H, H);

impl<H: std::hash::Hasher> std::hash::Hasher for Both<H> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
        self.1.write(bytes);
    }
    fn write_u8(&mut self, n: u8) {
        self.0.write_u8(n);
        self.1.write_u8(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.0.write_usize(n);
        self.1.write_usize(n);
    }
    fn write_u64(&mut self, n: u64) {
        self.0.write_u64(n);
        self.1.write_u64(n);
    }
    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The checked chunks of one table file that gave no diagnostic, by the key of their text.
#[derive(Default)]
pub(crate) struct ChunkMemo {
    map: std::collections::HashMap<Key, Checked, foldhash::fast::FixedState>,
    keys: Keys,
}

/// What checking one chunk gave: its facts, for the chunk at byte `start` of its file.
struct Checked {
    start: usize,
    facts: Facts,
    entailed: Option<Key>,
}

impl ChunkMemo {
    /// The key of a chunk's text.
    pub(crate) fn key(&self, text: &str) -> Key {
        self.keys.key(text)
    }

    /// Takes out the facts of the chunk whose text has `key`, for the chunk at byte `start`,
    /// where it was checked before and gave no diagnostic, with the context its records were
    /// found to state their values in.
    pub(crate) fn take(&mut self, key: Key, start: usize) -> Option<(Facts, Option<Key>)> {
        let mut checked = self.map.remove(&key)?;
        if checked.start != start {
            checked
                .facts
                .shift(start.wrapping_sub(checked.start).cast_signed());
        }
        Some((checked.facts, checked.entailed))
    }
}
