//! The default pattern directory, embedded at build time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
