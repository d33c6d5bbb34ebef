//! The `zhfacts` command line.

use std::io::{BufRead, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::Value;

use zhfacts::batch;
use zhfacts::clean::Cues;
use zhfacts::decode;
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
    /// Extract facts from pages, directories (recursively), JSON Lines dumps,
    /// WARC archives (any of them gzip-compressed) or `-` (stdin) as JSON Lines.
    ///
    /// Every input document yields one `doc` record (then its facts) or one
    /// `error` record; the run goes on. Output is in input order.
    Extract {
        /// Input files or directories; `-` reads standard input.
        #[arg(required_unless_present = "corpus")]
        paths: Vec<PathBuf>,
        /// How to read the inputs (default: by name and content: `.jsonl`,
        /// `.warc`, a `WARC/` header; anything else is one page a file).
        #[arg(long, value_enum, default_value = "auto")]
        input_format: FormatArg,
        /// Only files whose path or name matches this glob (repeatable).
        #[arg(long, value_name = "GLOB")]
        include: Vec<String>,
        /// Skip files whose path or name matches this glob (repeatable).
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        /// Read the pages of a corpus made by `zhfacts ingest` (its manifest;
        /// exact duplicates are skipped) in addition to PATHS.
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
        /// Continue an interrupted run into the same --output file: documents
        /// already written are skipped, a cut-off last document is redone.
        #[arg(long, requires = "output")]
        resume: bool,
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
        #[arg(long, default_value_t = 16 << 20)]
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
    /// Copy raw pages into a corpus directory with a manifest.jsonl (id,
    /// sha256, source, encoding, bytes, title, published, ingested_at,
    /// duplicate_of, near_duplicate_of). Exact duplicates (same bytes) and near
    /// duplicates (SimHash of the clean text) are reported, not dropped.
    /// Re-ingesting the same sources changes nothing.
    Ingest {
        /// Pages, directories, JSONL dumps or WARC archives (gzip or not).
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// The corpus directory (created if missing).
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long, value_enum, default_value = "auto")]
        input_format: FormatArg,
        /// Refuse documents larger than this many bytes.
        #[arg(long, default_value_t = 16 << 20)]
        max_bytes: usize,
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
    /// Run extract + score on the bundled corpus (the seeds, then the
    /// project's own annotated pages) and print the accuracy tables; or on
    /// one set given with --pages and --gold.
    Eval {
        #[arg(long, requires = "gold")]
        pages: Option<PathBuf>,
        #[arg(long, requires = "pages")]
        gold: Option<PathBuf>,
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
enum FormatArg {
    Auto,
    Page,
    Jsonl,
    Warc,
}

impl From<FormatArg> for zhfacts::input::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Auto => Self::Auto,
            FormatArg::Page => Self::Page,
            FormatArg::Jsonl => Self::Jsonl,
            FormatArg::Warc => Self::Warc,
        }
    }
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
        // `zhfacts extract … | head`: the reader has all it wants.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zhfacts: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Was the error a write to a pipe its reader closed?
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `print!` that returns a write error (a closed pipe) instead of panicking.
macro_rules! out {
    ($($t:tt)*) => { write!(std::io::stdout().lock(), $($t)*)? };
}

/// `println!` that returns a write error (a closed pipe) instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => { writeln!(std::io::stdout().lock(), $($t)*)? };
}

fn load_pipeline(patterns: Option<&Path>) -> Result<Pipeline> {
    // Startup is serial time in every run: load the segmenter's tables on a
    // second thread while this one compiles the patterns.
    std::thread::scope(|s| {
        s.spawn(zhfacts::segment::warm_up);
        compile_pipeline(patterns)
    })
}

fn compile_pipeline(patterns: Option<&Path>) -> Result<Pipeline> {
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
            corpus,
            input_format,
            include,
            exclude,
            resume,
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
            // Before anything uses rayon: the global pool is set up only once.
            if let Some(j) = jobs {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(j.max(1))
                    .build_global()
                    .ok();
            }
            let mut pipe = load_pipeline(patterns.as_deref())?;
            pipe.options.prefer = prefer.into();
            pipe.max_bytes = max_bytes;
            let mut cfg = batch::Config {
                paths,
                corpus,
                format: input_format.into(),
                include,
                exclude,
                charset: charset(cs.as_deref())?,
                with_text,
                ..Default::default()
            };
            let out: Box<dyn Write + Send> = match &output {
                Some(p) if resume => {
                    let (done, end) = batch::resume_point(p)
                        .with_context(|| format!("cannot read {} to resume", p.display()))?;
                    let f = std::fs::OpenOptions::new()
                        .create(true)
                        .truncate(false)
                        .write(true)
                        .open(p)
                        .with_context(|| format!("cannot open {}", p.display()))?;
                    f.set_len(end)?;
                    let mut f = f;
                    std::io::Seek::seek(&mut f, std::io::SeekFrom::End(0))?;
                    cfg.skip = done;
                    Box::new(f)
                }
                Some(p) => Box::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("cannot create {}", p.display()))?,
                ),
                None => Box::new(std::io::stdout()),
            };
            let mut out = BufWriter::new(out);
            // A progress bar on a terminal only; silent when stderr is redirected.
            let bar = std::io::stderr().is_terminal().then(|| {
                let pb = match batch::known_total(&cfg) {
                    Some(n) => indicatif::ProgressBar::new(n as u64),
                    None => indicatif::ProgressBar::new_spinner(),
                };
                pb.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} docs, eta {eta} {msg}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                pb
            });
            let mut on_progress = |s: &batch::Summary| {
                if let Some(pb) = &bar {
                    pb.set_position((s.documents + s.skipped) as u64);
                    pb.set_message(format!(
                        "{:.0} docs/s, {:.1} MB/s, {} facts, {} errors",
                        s.documents as f64 / s.seconds.max(1e-9),
                        s.mb_per_s(),
                        s.facts.values().sum::<usize>(),
                        s.errors
                    ));
                }
            };
            let sum = batch::run(&pipe, &cfg, &mut out, &mut on_progress)?;
            if let Some(pb) = &bar {
                pb.finish_and_clear();
            }
            if summary {
                serde_json::to_writer(&mut out, &sum.to_json())?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            if std::io::stderr().is_terminal() {
                eprintln!(
                    "zhfacts: {} documents ({} errors{}), {} facts, {:.2}s, {:.1} MB/s",
                    sum.documents,
                    sum.errors,
                    if sum.skipped > 0 {
                        format!(", {} already done", sum.skipped)
                    } else {
                        String::new()
                    },
                    sum.facts.values().sum::<usize>(),
                    sum.seconds,
                    sum.mb_per_s()
                );
            }
            Ok(if strict && sum.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Cmd::Ingest {
            sources,
            corpus,
            input_format,
            max_bytes,
        } => {
            let mut pipe = Pipeline::builtin()?;
            pipe.max_bytes = max_bytes;
            let r = zhfacts::ingest::ingest(&pipe, &sources, input_format.into(), &corpus)
                .map_err(|e| anyhow::anyhow!(e))?;
            eprintln!(
                "zhfacts: {} added, {} exact duplicates, {} near duplicates, {} already ingested, {} unreadable",
                r.added, r.exact_duplicates, r.near_duplicates, r.already_ingested, r.unreadable
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Clean { path, charset: cs } => {
            let pipe = Pipeline::builtin()?;
            let bytes =
                read_input(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let input = Input {
                id: zhfacts::input::file_id(&path),
                origin: path.display().to_string(),
                bytes: &bytes,
                charset: charset(cs.as_deref())?,
                published: None,
            };
            match pipe.clean(&input) {
                Ok(doc) => {
                    outln!("{}", doc.text);
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
                outln!("{}", serde_json::to_string_pretty(&rep.to_json())?);
            } else {
                out!("{}", rep.to_table());
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
            outln!(
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
        Cmd::Eval { pages, gold } => {
            let pipe = Pipeline::builtin()?;
            let sets = match (pages, gold) {
                (Some(p), Some(g)) => vec![(p, g)],
                _ => vec![
                    ("corpus/seeds".into(), "corpus/gold/seeds.jsonl".into()),
                    ("corpus/own".into(), "corpus/gold/own.jsonl".into()),
                ],
            };
            for (pages, gold) in sets {
                let cfg = batch::Config {
                    paths: vec![pages.clone()],
                    ..Default::default()
                };
                let mut buf = Vec::new();
                batch::run(&pipe, &cfg, &mut buf, &mut |_| {})?;
                let pred: Vec<Value> = buf
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .filter_map(|l| serde_json::from_slice(l).ok())
                    .collect();
                let g = read_jsonl(&gold)?;
                let rep = score::score(&g, &pred);
                outln!("== {} against {}", pages.display(), gold.display());
                out!("{}", rep.to_table());
                outln!();
            }
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
