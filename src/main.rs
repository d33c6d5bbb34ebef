//! The `zhfacts` command line.

use std::io::{BufRead, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use serde_json::{Value, json};

use zhfacts::clean::Cues;
use zhfacts::decode;
use zhfacts::emit;
use zhfacts::extract::dates::{Prefer, RefDate};
use zhfacts::extract::{Extractor, selftest};
use zhfacts::pipeline::{Input, Pipeline};
use zhfacts::score;

#[derive(Parser)]
#[command(
    name = "zhfacts",
    version,
    about = "Structured, checkable facts from raw Chinese news pages.",
    long_about = "zhfacts turns raw Chinese news pages (HTML or flattened text; UTF-8, GBK/GB18030, Big5, UTF-16; \
Simplified or Traditional) into JSON Lines facts: partnerships between places, signed agreements, calendar dates \
and counts, each with its provenance (span in the clean text, byte range in the raw input, sentence, rule id).\n\n\
Pipeline: decode -> clean -> segment -> extract -> emit. See README.md and patterns/README.md."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract facts from files, directories (recursively) or `-` (stdin) as JSON Lines.
    Extract {
        /// Input files or directories; `-` reads one document from standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Add the clean text (`text`) to each doc record.
        #[arg(long)]
        with_text: bool,
        /// Use the pattern directory DIR instead of the built-in patterns.
        #[arg(long, value_name = "DIR")]
        patterns: Option<PathBuf>,
        /// Decode every input with this charset (WHATWG label: gbk, big5, utf-8...).
        #[arg(long)]
        charset: Option<String>,
        /// How to place year-less dates relative to the page date.
        #[arg(long, value_enum, default_value = "past")]
        prefer: PreferArg,
        /// Refuse documents larger than this many bytes (error record).
        #[arg(long, default_value_t = 64 << 20)]
        max_bytes: usize,
        /// Worker threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// End with a {"type":"summary"} record.
        #[arg(long)]
        summary: bool,
        /// Exit non-zero if any document failed.
        #[arg(long)]
        strict: bool,
    },
    /// Print the clean text of one page.
    Clean {
        path: PathBuf,
        #[arg(long)]
        charset: Option<String>,
    },
    /// Score predictions against gold (FACTS.md scoring rules).
    Score {
        #[arg(long)]
        gold: PathBuf,
        #[arg(long)]
        pred: PathBuf,
        /// Print the full report as JSON (with per-rule figures, misses and false alarms).
        #[arg(long)]
        json: bool,
    },
    /// Normalise one phrase a line from stdin: `date` or `count`.
    Normalize {
        #[arg(value_enum)]
        kind: NormKind,
        /// Reference date-time for relative dates (ISO 8601).
        #[arg(long = "ref", value_name = "DATETIME")]
        reference: Option<String>,
        #[arg(long, value_enum, default_value = "past")]
        prefer: PreferArg,
    },
    /// Validate a pattern directory and run every rule's examples.
    Patterns {
        #[command(subcommand)]
        cmd: PatternsCmd,
    },
    /// Run extract + score on the bundled corpus and print the accuracy table.
    Eval {
        #[arg(long, default_value = "corpus/seeds")]
        seeds: PathBuf,
        #[arg(long, default_value = "corpus/gold/seeds.jsonl")]
        gold: PathBuf,
    },
}

#[derive(Subcommand)]
enum PatternsCmd {
    /// Compile every rule file and run its examples (default: the built-in set).
    Check { dir: Option<PathBuf> },
    /// Show the mention view of each line of stdin: the places, institutions,
    /// countries and context words that relation rules see as placeholders.
    Mentions {
        #[arg(long)]
        patterns: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum PreferArg {
    Past,
    Future,
}

#[derive(Clone, Copy, ValueEnum)]
enum NormKind {
    Date,
    Count,
}

impl From<NormKind> for zhfacts::extract::normalize::Kind {
    fn from(k: NormKind) -> Self {
        match k {
            NormKind::Date => Self::Date,
            NormKind::Count => Self::Count,
        }
    }
}

impl From<PreferArg> for Prefer {
    fn from(p: PreferArg) -> Self {
        match p {
            PreferArg::Past => Prefer::Past,
            PreferArg::Future => Prefer::Future,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zhfacts: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(p.clone());
        } else if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut files = Vec::new();
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d)
                    .with_context(|| format!("cannot read directory {}", d.display()))?
                {
                    let path = e?.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else {
                        files.push(path);
                    }
                }
            }
            files.sort();
            out.extend(files);
        } else {
            // A missing file becomes an error record, not a fatal error.
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn doc_id(p: &Path) -> String {
    if p.as_os_str() == "-" {
        return "stdin".into();
    }
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn load_pipeline(patterns: Option<&Path>) -> Result<Pipeline> {
    Ok(match patterns {
        Some(dir) => {
            let ex = Extractor::from_dir(dir)
                .with_context(|| format!("loading patterns from {}", dir.display()))?;
            let cues = match std::fs::read_to_string(dir.join("clean/boilerplate.toml")) {
                Ok(s) => Cues::parse(&s, "clean/boilerplate.toml")?,
                Err(_) => Cues::builtin(),
            };
            Pipeline::new(cues, ex)
        }
        None => Pipeline::builtin()?,
    })
}

fn charset(label: Option<&str>) -> Result<Option<&'static encoding_rs::Encoding>> {
    label
        .map(|l| decode::encoding_for_label(l).map_err(anyhow::Error::from))
        .transpose()
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.cmd {
        Cmd::Extract {
            paths,
            output,
            with_text,
            patterns,
            charset: cs,
            prefer,
            max_bytes,
            jobs,
            summary,
            strict,
        } => {
            let mut pipe = load_pipeline(patterns.as_deref())?;
            pipe.options.prefer = prefer.into();
            pipe.max_bytes = max_bytes;
            let cs = charset(cs.as_deref())?;
            let inputs = collect_inputs(&paths)?;
            if let Some(j) = jobs {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(j.max(1))
                    .build_global()
                    .ok();
            }
            let out: Box<dyn Write> = match &output {
                Some(p) => Box::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("cannot create {}", p.display()))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut out = BufWriter::new(out);
            let started = std::time::Instant::now();
            let (mut n_docs, mut n_err, mut bytes) = (0usize, 0usize, 0usize);
            let mut facts_by_type: std::collections::BTreeMap<String, usize> = Default::default();
            let progress = std::io::stderr().is_terminal() && inputs.len() > 1;
            // Bounded windows keep memory independent of the corpus size while
            // preserving input order in the output.
            for chunk in inputs.chunks(256) {
                let results: Vec<Vec<Value>> = chunk
                    .par_iter()
                    .map(|p| process_path(&pipe, p, cs, with_text))
                    .collect();
                for recs in results {
                    for r in recs {
                        match r["type"].as_str() {
                            Some("doc") => {
                                n_docs += 1;
                                bytes += r["bytes"].as_u64().unwrap_or(0) as usize;
                            }
                            Some("error") => n_err += 1,
                            Some(t) => *facts_by_type.entry(t.to_string()).or_default() += 1,
                            None => {}
                        }
                        serde_json::to_writer(&mut out, &r)?;
                        out.write_all(b"\n")?;
                    }
                }
                if progress {
                    eprint!(
                        "\r{} / {} documents, {} errors",
                        n_docs + n_err,
                        inputs.len(),
                        n_err
                    );
                }
            }
            let secs = started.elapsed().as_secs_f64();
            if summary {
                let s = json!({"type": "summary", "documents": n_docs + n_err, "ok": n_docs, "errors": n_err,
                    "facts": facts_by_type, "bytes": bytes, "seconds": secs});
                serde_json::to_writer(&mut out, &s)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            if progress {
                eprintln!();
            }
            if std::io::stderr().is_terminal() {
                eprintln!(
                    "zhfacts: {} documents ({} errors), {} facts, {:.2}s, {:.1} MB/s",
                    n_docs + n_err,
                    n_err,
                    facts_by_type.values().sum::<usize>(),
                    secs,
                    bytes as f64 / 1e6 / secs.max(1e-9)
                );
            }
            Ok(if strict && n_err > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Cmd::Clean { path, charset: cs } => {
            let pipe = Pipeline::builtin()?;
            let bytes =
                read_input(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let input = Input {
                id: doc_id(&path),
                origin: path.display().to_string(),
                bytes: &bytes,
                charset: charset(cs.as_deref())?,
            };
            match pipe.clean(&input) {
                Ok(doc) => {
                    println!("{}", doc.text);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}: {} stage: {}", path.display(), e.stage, e.message),
            }
        }
        Cmd::Score { gold, pred, json } => {
            let g = read_jsonl(&gold)?;
            let p = read_jsonl(&pred)?;
            let rep = score::score(&g, &p);
            if json {
                println!("{}", serde_json::to_string_pretty(&rep.to_json())?);
            } else {
                print!("{}", rep.to_table());
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Normalize {
            kind,
            reference,
            prefer,
        } => {
            let ex = Extractor::builtin()?;
            // Validate --ref up front: a bad one is a usage error, not a null per line.
            let _valid: Option<RefDate> = reference
                .as_deref()
                .map(|s| RefDate::parse(s).with_context(|| format!("bad --ref {s}")))
                .transpose()?;
            let stdin = std::io::stdin();
            let mut out = BufWriter::new(std::io::stdout().lock());
            for line in stdin.lock().lines() {
                let line = line?;
                let v = zhfacts::extract::normalize::phrase(
                    &ex,
                    kind.into(),
                    line.trim(),
                    prefer.into(),
                    reference.as_deref(),
                );
                serde_json::to_writer(&mut out, &v)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Patterns {
            cmd: PatternsCmd::Mentions { patterns },
        } => {
            let ex = match &patterns {
                Some(d) => Extractor::from_dir(d)?,
                None => Extractor::builtin()?,
            };
            let mut out = std::io::stdout().lock();
            for line in std::io::stdin().lock().lines() {
                let line = line?;
                let norm = zhfacts::segment::normalise(&line);
                let view = ex.chunker.view(&norm);
                for m in &view.mentions {
                    let rec = serde_json::json!({
                        "text": &norm[m.start..m.end],
                        "kind": format!("{:?}", m.kind).to_lowercase(),
                        "name": m.name,
                        "country": m.country,
                    });
                    writeln!(out, "{rec}")?;
                }
                writeln!(out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Patterns {
            cmd: PatternsCmd::Check { dir },
        } => {
            let ex = match &dir {
                Some(d) => Extractor::from_dir(d)?,
                None => Extractor::builtin()?,
            };
            let failures = selftest::run(&ex);
            let n_ex: usize = ex
                .rules
                .iter()
                .map(|r| r.spec.examples.len() + r.spec.negatives.len())
                .sum();
            for f in &failures {
                eprintln!("{f}");
            }
            println!(
                "{} rules, {} examples, {} failed",
                ex.rules.len(),
                n_ex,
                failures.len()
            );
            Ok(if failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Eval { seeds, gold } => {
            let pipe = Pipeline::builtin()?;
            let inputs = collect_inputs(&[seeds])?;
            let mut pred = Vec::new();
            for p in &inputs {
                pred.extend(process_path(&pipe, p, None, false));
            }
            let g = read_jsonl(&gold)?;
            let rep = score::score(&g, &pred);
            print!("{}", rep.to_table());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_input(p: &Path) -> std::io::Result<Vec<u8>> {
    if p.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::stdin().read_to_end(&mut v)?;
        Ok(v)
    } else {
        std::fs::read(p)
    }
}

fn process_path(
    pipe: &Pipeline,
    p: &Path,
    cs: Option<&'static encoding_rs::Encoding>,
    with_text: bool,
) -> Vec<Value> {
    let id = doc_id(p);
    let origin = p.display().to_string();
    let bytes = match read_input(p) {
        Ok(b) => b,
        Err(e) => {
            return vec![emit::error_record(
                &id,
                &origin,
                zhfacts::Stage::Read,
                &e.to_string(),
            )];
        }
    };
    let input = Input {
        id: id.clone(),
        origin: origin.clone(),
        bytes: &bytes,
        charset: cs,
    };
    match pipe.process(&input) {
        Ok((doc, facts)) => {
            let mut v = vec![emit::doc_record(&doc, with_text)];
            v.extend(facts.iter().map(|f| emit::fact_record(&doc, f)));
            v
        }
        Err(e) => vec![emit::error_record(&id, &origin, e.stage, &e.message)],
    }
}

fn read_jsonl(p: &Path) -> Result<Vec<Value>> {
    let f = std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
    let mut v = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        v.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: invalid JSON", p.display(), i + 1))?,
        );
    }
    Ok(v)
}
