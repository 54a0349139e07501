//! What a [`Session`](crate::Session) remembers from one run to the next, so that a run
//! after an edit checks again only what the edit can change: each checked chunk of a table
//! file by its exact text, each archived source by its file's identity, and each fact
//! record whose values its quotes were found to state.
//!
//! Everything is keyed by exact text, never by a hash alone, so a remembered result is
//! only ever used for the very text that gave it. What one run did not use is let go at its
//! end, so memory holds one dataset's worth.

use diplomacy_model::TableName;
use std::collections::hash_map::Entry;

use crate::facts::Facts;

/// Exact texts are hashed by the megabyte: a fast hasher.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Everything remembered between runs.
#[derive(Default)]
pub(crate) struct Cache {
    /// Whether anything is remembered from run to run: off for a single run, which then
    /// spends nothing on keys.
    pub(crate) remember: bool,
    /// Checked chunks, by table.
    pub(crate) chunks: HashMap<TableName, ChunkMemo>,
    /// Archived texts and what was found in them.
    pub(crate) sources: crate::sources::SourceMemo,
    /// Fact records found to state their values.
    pub(crate) entailed: crate::entail::EntailMemo,
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
        cache.entailed.remember = true;
        cache
    }

    /// The memo of `table`'s chunks, where chunks are remembered.
    pub(crate) fn chunks_of(&mut self, table: TableName) -> Option<&mut ChunkMemo> {
        self.remember.then(|| self.chunks.entry(table).or_default())
    }

    /// Lets go of what this run did not use.
    pub(crate) fn sweep(&mut self) {
        for memo in self.chunks.values_mut() {
            memo.sweep();
        }
        self.sources.sweep();
    }
}

/// The checked chunks of one table file that gave no diagnostic, by their exact text.
#[derive(Default)]
pub(crate) struct ChunkMemo {
    map: HashMap<Box<str>, Checked>,
}

/// What checking one chunk gave: its facts, for the chunk at byte `start` of its file.
struct Checked {
    start: usize,
    facts: Facts,
    used: bool,
}

impl ChunkMemo {
    /// The facts of a chunk of exactly `text` at byte `start`, where it was checked before
    /// and gave no diagnostic.
    pub(crate) fn get(&mut self, text: &str, start: usize) -> Option<Facts> {
        let checked = self.map.get_mut(text)?;
        checked.used = true;
        let mut facts = checked.facts.clone();
        if checked.start != start {
            facts.shift(start.wrapping_sub(checked.start).cast_signed());
        }
        Some(facts)
    }

    /// Remembers that the chunk `text` at byte `start` gave `facts` and no diagnostic.
    pub(crate) fn put(&mut self, text: &str, start: usize, facts: &Facts) {
        let checked = Checked {
            start,
            facts: facts.clone(),
            used: true,
        };
        match self.map.entry(text.into()) {
            Entry::Occupied(mut o) => *o.get_mut() = checked,
            Entry::Vacant(v) => {
                v.insert(checked);
            }
        }
    }

    /// Lets go of every chunk this run did not see.
    fn sweep(&mut self) {
        self.map.retain(|_, c| std::mem::take(&mut c.used));
    }
}
