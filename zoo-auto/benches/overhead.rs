//! What `Auto` costs on top of the samplers it runs: whole runs on trivial objectives, side
//! by side with CMA-ES and SRACOS alone. Criterion reports evaluations per second. On the
//! first coordinate (separable) `Auto` runs its portfolio: SRACOS for the first 10 %, then
//! mostly sep-CMA-ES; on the product of the first two coordinates (coupled) its probe sends
//! it to CMA-ES alone after 9 evaluations. On ZOOpt's Ackley (coupled
//! through its square root) CMA-ES converges, and from 50 coordinates `Auto`'s runs finish
//! with the elitist (1+1)-ES, beside CMA-ES with and without that finish. Told the
//! objective is noisy, `Auto` runs CMA-ES with twice its default population and ends with
//! the final comparison, beside that CMA-ES alone (Ackley, deterministic: the cost of the
//! plan, not of the noise).
//!
//! `cargo bench -p zoo-auto --bench overhead`

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
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

fn ackley(x: &[f64]) -> f64 {
    zoo_core::testing::functions::ackley(x)
}

/// Times whole runs of the sampler `make` builds on `f`, as `name/dims`.
fn bench<S: Sampler<Solution = Vec<f64>>>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    dims: usize,
    f: fn(&[f64]) -> f64,
    budget: u64,
    make: impl Fn() -> S,
) {
    group.bench_function(format!("{name}/{dims}"), |b| {
        b.iter(|| {
            let run = Minimize::new(f, make()).budget(budget).seed(1).run();
            black_box(run.map_or(f64::NAN, |o| o.best.value))
        })
    });
}

fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("overhead_per_evaluation");
    group.sample_size(10);
    for (dims, budget) in [(10usize, 10_000u64), (100, 10_000)] {
        let space = Space::cube(dims, -1.0, 1.0).unwrap();
        group.throughput(Throughput::Elements(budget));
        let auto = || Auto::new(space.clone(), AutoConfig::default()).unwrap();
        let cmaes = || CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap();
        let sracos = || SRacos::new(space.clone(), SRacosConfig::for_budget(budget)).unwrap();
        bench(&mut group, "auto", dims, trivial, budget, auto);
        bench(&mut group, "auto-coupled", dims, coupled, budget, auto);
        bench(&mut group, "cmaes-coupled", dims, coupled, budget, cmaes);
        bench(&mut group, "cmaes", dims, trivial, budget, cmaes);
        bench(&mut group, "sracos", dims, trivial, budget, sracos);
        let elitist = || {
            let config = CmaEsConfig {
                elitist_finish: true,
                ..CmaEsConfig::default()
            };
            CmaEs::new(space.clone(), config).unwrap()
        };
        bench(&mut group, "auto-ackley", dims, ackley, budget, auto);
        bench(&mut group, "cmaes-ackley", dims, ackley, budget, cmaes);
        bench(&mut group, "cmaes-elitist-ackley", dims, ackley, budget, elitist);
        let auto_noisy = || {
            let config = AutoConfig {
                noisy: true,
                ..AutoConfig::default()
            };
            Auto::new(space.clone(), config).unwrap()
        };
        let cmaes_doubled = || {
            let lambda = CmaEs::new(space.clone(), CmaEsConfig::default())
                .unwrap()
                .population();
            let config = CmaEsConfig {
                population: Some(2 * lambda),
                ..CmaEsConfig::default()
            };
            CmaEs::new(space.clone(), config).unwrap()
        };
        bench(&mut group, "auto-noisy-ackley", dims, ackley, budget, auto_noisy);
        bench(
            &mut group,
            "cmaes-doubled-ackley",
            dims,
            ackley,
            budget,
            cmaes_doubled,
        );
    }
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
