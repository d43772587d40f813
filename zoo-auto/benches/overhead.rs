//! What `Auto` costs on top of the samplers it runs: whole runs on trivial objectives, side
//! by side with CMA-ES and SRACOS alone. Criterion reports evaluations per second. On the
//! first coordinate (separable) `Auto` runs its portfolio: SRACOS for the first 10 %, then
//! mostly sep-CMA-ES; on the product of the first two coordinates (coupled) its probe sends
//! it to CMA-ES alone after 9 evaluations.
//!
//! `cargo bench -p zoo-auto --bench overhead`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use zoo_auto::{Auto, AutoConfig};
use zoo_cmaes::{CmaEs, CmaEsConfig};
use zoo_core::{Minimize, Sampler, Space};
use zoo_racos::{SRacos, SRacosConfig};

fn trivial(x: &[f64]) -> f64 {
    x[0]
}

fn coupled(x: &[f64]) -> f64 {
    x[0] * x[1]
}

fn run<S: Sampler<Solution = Vec<f64>>>(sampler: S, budget: u64) -> f64 {
    run_on(trivial, sampler, budget)
}

fn run_on<S: Sampler<Solution = Vec<f64>>>(f: fn(&[f64]) -> f64, sampler: S, budget: u64) -> f64 {
    Minimize::new(f, sampler)
        .budget(budget)
        .seed(1)
        .run()
        .map_or(f64::NAN, |o| o.best.value)
}

fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("overhead_per_evaluation");
    group.sample_size(10);
    for (dims, budget) in [(10usize, 10_000u64), (100, 10_000)] {
        let space = Space::cube(dims, -1.0, 1.0).unwrap();
        group.throughput(Throughput::Elements(budget));
        group.bench_function(format!("auto/{dims}"), |b| {
            b.iter(|| {
                black_box(run(
                    Auto::new(space.clone(), AutoConfig::default()).unwrap(),
                    budget,
                ))
            })
        });
        group.bench_function(format!("auto-coupled/{dims}"), |b| {
            b.iter(|| {
                black_box(run_on(
                    coupled,
                    Auto::new(space.clone(), AutoConfig::default()).unwrap(),
                    budget,
                ))
            })
        });
        group.bench_function(format!("cmaes-coupled/{dims}"), |b| {
            b.iter(|| {
                black_box(run_on(
                    coupled,
                    CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
                    budget,
                ))
            })
        });
        group.bench_function(format!("cmaes/{dims}"), |b| {
            b.iter(|| {
                black_box(run(
                    CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
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
