//! Typed errors of the library. The CLI wraps them with `anyhow`; a per-document
//! error becomes an `{"type":"error"}` record naming the stage.

use std::path::PathBuf;

/// The pipeline stage an error happened in (written into error records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Read,
    Decode,
    Clean,
    Segment,
    Extract,
    Emit,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self {
            Stage::Read => "read",
            Stage::Decode => "decode",
            Stage::Clean => "clean",
            Stage::Segment => "segment",
            Stage::Extract => "extract",
            Stage::Emit => "emit",
        };
        f.write_str(s)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("unknown encoding label `{0}` (use a WHATWG label such as utf-8, gbk, gb18030, big5)")]
    UnknownEncoding(String),
    #[error("input is not text: {0}")]
    NotText(String),
    #[error("input of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("{file}:{line}: rule `{rule}`: {message}")]
    Pattern {
        file: String,
        line: usize,
        rule: String,
        message: String,
    },
    #[error("{file}: {message}")]
    Lexicon { file: String, message: String },
    /// Writing the output failed (a full disk, a closed pipe).
    #[error("cannot write the output: {0}")]
    Output(#[source] std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The stage a document-level error belongs to.
    pub fn stage(&self) -> Stage {
        match self {
            Error::Io { .. } | Error::TooLarge { .. } => Stage::Read,
            Error::UnknownEncoding(_) | Error::NotText(_) => Stage::Decode,
            Error::Pattern { .. } | Error::Lexicon { .. } | Error::Other(_) => Stage::Extract,
            Error::Output(_) => Stage::Emit,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
