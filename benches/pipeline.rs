//! Throughput of each stage and of the whole pipeline on the bundled seeds,
//! replicated to about 20 MB (`cargo bench`). Reports MB/s.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhfacts::pipeline::{Input, Pipeline};

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/seeds");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let pipe = Pipeline::builtin().unwrap();
    let docs = seeds();
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
                    black_box(
                        pipe.clean(&Input {
                            id: id.clone(),
                            origin: id.clone(),
                            bytes,
                            charset: None,
                            published: None,
                        })
                        .ok(),
                    );
                }
            }
        })
    });
    let cleaned: Vec<String> = docs
        .iter()
        .map(|(id, bytes)| {
            pipe.clean(&Input {
                id: id.clone(),
                origin: id.clone(),
                bytes,
                charset: None,
                published: None,
            })
            .unwrap()
            .text
        })
        .collect();
    g.bench_function("segment_only(jieba cut)", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                for t in &cleaned {
                    black_box(zhfacts::segment::JIEBA.cut(t, true));
                }
            }
        })
    });
    g.bench_function("pipeline", |b| {
        b.iter(|| {
            for _ in 0..rounds {
                for (id, bytes) in &docs {
                    black_box(
                        pipe.process(&Input {
                            id: id.clone(),
                            origin: id.clone(),
                            bytes,
                            charset: None,
                            published: None,
                        })
                        .ok(),
                    );
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
