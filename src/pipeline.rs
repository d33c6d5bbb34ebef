//! Drive one document through decode → clean → extract, turning every failure
//! (and, as a last resort, a panic) into that document's error.

use crate::clean::{self, Cues};
use crate::decode;
use crate::doc::Document;
use crate::error::{Error, Stage};
use crate::extract::{Extractor, Fact, Options};

/// Everything a run shares across documents and threads (built once).
pub struct Pipeline {
    pub cues: Cues,
    pub extractor: Extractor,
    pub options: Options,
    /// Documents larger than this are refused with an error record.
    pub max_bytes: usize,
}

/// One input document.
pub struct Input<'a> {
    pub id: String,
    pub origin: String,
    pub bytes: &'a [u8],
    pub charset: Option<&'static encoding_rs::Encoding>,
    /// A publication date the container gave (JSONL, WARC-Date), used when
    /// the page itself names none.
    pub published: Option<String>,
}

impl<'a> Input<'a> {
    /// A document known by one name (id and origin), with nothing declared
    /// about its charset or date.
    pub fn new(id: impl Into<String>, bytes: &'a [u8]) -> Self {
        let id = id.into();
        Input {
            origin: id.clone(),
            id,
            bytes,
            charset: None,
            published: None,
        }
    }
}

#[derive(Debug)]
pub struct DocError {
    pub stage: Stage,
    pub message: String,
}

impl Pipeline {
    pub fn new(cues: Cues, extractor: Extractor) -> Self {
        Pipeline {
            cues,
            extractor,
            options: Options::default(),
            max_bytes: 64 << 20,
        }
    }

    pub fn builtin() -> crate::Result<Self> {
        Ok(Self::new(Cues::builtin(), Extractor::builtin()?))
    }

    /// Decode and clean (no extraction).
    pub fn clean(&self, input: &Input) -> Result<Document, DocError> {
        if input.bytes.len() > self.max_bytes {
            let e = Error::TooLarge {
                size: input.bytes.len(),
                limit: self.max_bytes,
            };
            return Err(DocError {
                stage: e.stage(),
                message: e.to_string(),
            });
        }
        if input.bytes.is_empty() {
            return Err(DocError {
                stage: Stage::Read,
                message: "empty input".into(),
            });
        }
        if let Some(what) = decode::looks_binary(input.bytes) {
            return Err(DocError {
                stage: Stage::Decode,
                message: format!("input is not text: {what}"),
            });
        }
        let decoded = decode::decode(input.bytes, input.charset);
        let doc = catch(Stage::Clean, || {
            clean::clean(&input.id, &input.origin, &decoded, &self.cues)
        })?;
        let mut doc = doc;
        if doc.meta.published.is_none()
            && let Some(p) = input
                .published
                .as_deref()
                .and_then(clean::html::normalise_datetime)
        {
            doc.meta.published = Some(p);
        }
        if doc.text.trim().is_empty() {
            return Err(DocError {
                stage: Stage::Clean,
                message: "no text left after cleaning".into(),
            });
        }
        Ok(doc)
    }

    pub fn process(&self, input: &Input) -> Result<(Document, Vec<Fact>), DocError> {
        let doc = self.clean(input)?;
        let facts = catch(Stage::Extract, || {
            self.extractor.extract(&doc, &self.options)
        })?;
        Ok((doc, facts))
    }
}

fn catch<T>(stage: Stage, f: impl FnOnce() -> T) -> Result<T, DocError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        DocError {
            stage,
            message: format!("internal error (panic): {msg}"),
        }
    })
}
