//! Embed every file under `patterns/` so the binary carries its default rules
//! and lexicons (nothing is read or downloaded at run time unless the user
//! passes `--patterns DIR`).

use std::fmt::Write;
use std::path::Path;

fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            // A directory's own mtime changes when a file is added to it:
            // without this a new lexicon file is not embedded until some
            // listed file changes.
            println!("cargo:rerun-if-changed={}", p.display());
            walk(&p, base, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("toml" | "tsv" | "txt")
        ) {
            out.push(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pat = root.join("patterns");
    println!("cargo:rerun-if-changed=patterns");
    let mut files = Vec::new();
    walk(&pat, &pat, &mut files);
    let mut src = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed=patterns/{f}");
        writeln!(
            src,
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/patterns/{f}\"))),"
        )
        .unwrap();
    }
    src.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_files.rs");
    std::fs::write(out, src).unwrap();
}
