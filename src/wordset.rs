//! A closed class of words (hedges, boilerplate cues …) asked only whether a
//! text holds one of them: one automaton pass instead of a substring search
//! per word, for lists every sentence or line is checked against.

use aho_corasick::{AhoCorasick, MatchKind};

#[derive(Debug, Clone, Default)]
pub struct WordSet {
    ac: Option<AhoCorasick>,
    /// Patterns from this index on are exceptions: longer words that hold
    /// one of the words but do not count as it (洽谈会 holds 洽谈).
    exceptions_from: usize,
}

impl WordSet {
    pub fn new(words: &[String]) -> Self {
        Self::with_exceptions(words, &[])
    }

    /// A set whose words do not count inside any of `exceptions`: the
    /// automaton reads leftmost-longest, so an exception that starts where
    /// (or before) a word does wins over it.
    pub fn with_exceptions(words: &[String], exceptions: &[String]) -> Self {
        let ac = (!words.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(words.iter().chain(exceptions))
                .expect("word set automaton")
        });
        WordSet {
            ac,
            exceptions_from: if exceptions.is_empty() {
                usize::MAX
            } else {
                words.len()
            },
        }
    }

    /// Does `text` hold any of the words?
    pub fn in_text(&self, text: &str) -> bool {
        let Some(ac) = &self.ac else { return false };
        if self.exceptions_from == usize::MAX {
            return ac.is_match(text);
        }
        ac.find_iter(text)
            .any(|m| m.pattern().as_usize() < self.exceptions_from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_any_word_and_none_in_an_empty_set() {
        let set = WordSet::new(&["计划".to_string(), "尚未".to_string()]);
        assert!(set.in_text("两市计划明年结好"));
        assert!(!set.in_text("两市已正式结好"));
        assert!(!WordSet::new(&[]).in_text("计划"));
    }

    #[test]
    fn an_exception_holding_a_word_does_not_count_as_it() {
        let set = WordSet::with_exceptions(&["洽谈".to_string()], &["洽谈会".to_string()]);
        assert!(!set.in_text("在经贸洽谈会上签署"));
        assert!(set.in_text("两市正在洽谈结好"));
        assert!(set.in_text("洽谈会上,双方洽谈结好"));
    }
}
