//! A closed class of words (hedges, boilerplate cues …) asked only whether a
//! text holds one of them: one automaton pass instead of a substring search
//! per word, for lists every sentence or line is checked against.

use aho_corasick::AhoCorasick;

#[derive(Debug, Clone, Default)]
pub struct WordSet(Option<AhoCorasick>);

impl WordSet {
    pub fn new(words: &[String]) -> Self {
        WordSet((!words.is_empty()).then(|| AhoCorasick::new(words).expect("word set automaton")))
    }

    /// Does `text` hold any of the words?
    pub fn in_text(&self, text: &str) -> bool {
        self.0.as_ref().is_some_and(|ac| ac.is_match(text))
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
}
