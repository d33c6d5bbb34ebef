//! zhfacts: structured, checkable facts from raw Chinese news pages.
//!
//! The pipeline, one module per stage:
//! [`decode`] bytes → text · [`clean`] main content, boilerplate, pinyin, duplicates ·
//! [`segment`] normalised view, sentences, jieba tokens · [`extract`] declarative
//! patterns → facts · [`emit`] JSON Lines. [`pipeline`] drives them for one
//! document; [`score`] compares predictions with gold.

pub mod batch;
pub mod clean;
pub mod decode;
pub mod doc;
pub mod emit;
pub mod error;
pub mod extract;
pub mod ingest;
pub mod input;
pub mod pipeline;
pub mod score;
pub mod segment;
pub mod wordset;

pub use error::{Error, Result, Stage};
