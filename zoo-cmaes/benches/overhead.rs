//! Sampler overhead per evaluation: whole runs on a trivial objective (the first
//! coordinate), so nearly all the time is spent in ask, tell and the run loop.
//! Criterion reports it as throughput: evaluations per second.
//!
//! `cargo bench -p zoo-cmaes --bench overhead`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use zoo_cmaes::{CmaEs, CmaEsConfig, Covariance, SepCmaEs};
use zoo_core::{Minimize, Sampler, Space};
use zoo_racos::{SRacos, SRacosConfig};

fn trivial(x: &[f64]) -> f64 {
    x[0]
}

fn run<S: Sampler<Solution = Vec<f64>>>(sampler: S, budget: u64) -> f64 {
    Minimize::new(trivial, sampler)
        .budget(budget)
        .seed(1)
        .run()
        .unwrap()
        .best
        .value
}

fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("overhead_per_evaluation");
    group.sample_size(10);
    let full = CmaEsConfig {
        covariance: Covariance::Full,
        ..CmaEsConfig::default()
    };
    for (dims, budget) in [(10usize, 10_000u64), (100, 10_000), (200, 5_000)] {
        let space = Space::cube(dims, -1.0, 1.0).unwrap();
        group.throughput(Throughput::Elements(budget));
        group.bench_function(format!("cmaes-full/{dims}"), |b| {
            b.iter(|| black_box(run(CmaEs::new(space.clone(), full.clone()).unwrap(), budget)))
        });
        group.bench_function(format!("sep-cmaes/{dims}"), |b| {
            b.iter(|| {
                black_box(run(
                    SepCmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
                    budget,
                ))
            })
        });
        group.bench_function(format!("sracos/{dims}"), |b| {
            b.iter(|| {
                black_box(run(
                    SRacos::new(space.clone(), SRacosConfig::for_budget(budget)).unwrap(),
                    budget,
                ))
            })
        });
    }
    for (dims, budget) in [(1_000usize, 5_000u64), (10_000, 2_000)] {
        let space = Space::cube(dims, -1.0, 1.0).unwrap();
        group.throughput(Throughput::Elements(budget));
        group.bench_function(format!("sep-cmaes/{dims}"), |b| {
            b.iter(|| {
                black_box(run(
                    SepCmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
                    budget,
                ))
            })
        });
        group.bench_function(format!("sracos/{dims}"), |b| {
            b.iter(|| {
                black_box(run(
                    SRacos::new(space.clone(), SRacosConfig::for_budget(budget)).unwrap(),
                    budget,
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
