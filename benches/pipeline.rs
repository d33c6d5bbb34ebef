//! Throughput of each stage and of the whole pipeline on the bundled seeds,
//! replicated to about 20 MB (`cargo bench`), in MB/s; segmentation alone
//! against segmentation plus matching (the extract stage); and the clean stage
//! on the external HTML suite in pages/s (skipped where `../shared` is absent).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhfacts::pipeline::{Input, Pipeline};

// The tests' corpus helpers (seed loader), shared rather than copied.
#[path = "../tests/common.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let pipe = Pipeline::builtin().unwrap();
    let docs = common::seeds();
    let per_round: usize = docs.iter().map(|(_, b)| b.len()).sum();
    let rounds = (20_000_000 / per_round).max(1);
    let total = (per_round * rounds) as u64;
    let mut g = c.benchmark_group("seeds_x20MB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                for (_, bytes) in &docs {
                    black_box(zhfacts::decode::decode(bytes, None));
                }
            }
        })
    });
    g.bench_function("decode+clean", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                for (id, bytes) in &docs {
                    black_box(pipe.clean(&Input::new(id.clone(), bytes)).ok());
                }
            }
        })
    });
    let cleaned: Vec<zhfacts::doc::Document> = docs
        .iter()
        .map(|(id, bytes)| pipe.clean(&Input::new(id.clone(), bytes)).unwrap())
        .collect();
    g.bench_function("segment_only(jieba cut)", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                for d in &cleaned {
                    black_box(zhfacts::segment::JIEBA.cut(&d.text, true));
                }
            }
        })
    });
    g.bench_function("segment+matching(jieba cut + extract)", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                for d in &cleaned {
                    black_box(zhfacts::segment::JIEBA.cut(&d.text, true));
                    black_box(pipe.extractor.extract(d, &pipe.options));
                }
            }
        })
    });
    g.bench_function("pipeline", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                for (id, bytes) in &docs {
                    black_box(pipe.process(&Input::new(id.clone(), bytes)).ok());
                }
            }
        })
    });
    g.finish();
}

/// The clean stage on the external main-content suite (HTML, mixed encodings).
fn bench_html(c: &mut Criterion) {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/external/boilerplate"
    );
    let Ok(rd) = std::fs::read_dir(dir) else {
        eprintln!("skipped: ../shared/external is absent");
        return;
    };
    let pages: Vec<Vec<u8>> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let pipe = Pipeline::builtin().unwrap();
    let mut g = c.benchmark_group("boilerplate_suite");
    g.sample_size(10);
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.bench_function("decode+clean(pages)", |b| {
        b.iter(|| {
            for bytes in &pages {
                black_box(pipe.clean(&Input::new("p", bytes)).ok());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_html);
criterion_main!(benches);
