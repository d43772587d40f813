//! Per-evaluation overhead of every registered algorithm at 10, 100, 1,000 and 10,000
//! dimensions, on an objective that costs next to nothing (`x₀`), so the time measured is
//! the optimizer's own. Each benchmark times one whole run; its throughput figure is
//! evaluations per second, and time per run / budget is the overhead per evaluation.
//!
//! `cargo bench -p zoo-bench` runs all of them (a few minutes); pass a filter to run some,
//! e.g. `cargo bench -p zoo-bench -- /100` or `-- sracos`.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zoo_bench::problem::Problem;
use zoo_bench::runner::{ALGOS, Job};
use zoo_core::Space;

/// Evaluations per timed run: enough for the algorithms to reach their steady state at
/// small dimensions, few enough that dense methods stay short at large ones.
fn budget(algo: &str, dim: usize) -> u64 {
    match (algo, dim) {
        ("cmaes" | "argmin-nm", d) if d >= 1_000 => 100,
        (_, d) if d >= 10_000 => 100,
        (_, d) if d >= 1_000 => 300,
        (_, d) if d >= 100 => 1_000,
        _ => 2_000,
    }
}

fn overhead(c: &mut Criterion) {
    for dim in [10, 100, 1_000, 10_000] {
        let problem = Problem::from_fn("trivial", Space::cube(dim, -1.0, 1.0).unwrap(), |x: &[f64]| x[0]);
        let mut group = c.benchmark_group(format!("overhead/{dim}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1));
        for algo in ALGOS {
            if !algo.accepts(&problem) {
                continue;
            }
            let budget = budget(algo.name, dim);
            let job = Job {
                budget,
                seed: 1,
                threads: 1,
            };
            group.throughput(Throughput::Elements(budget));
            group.bench_function(BenchmarkId::from_parameter(algo.name), |b| {
                b.iter(|| algo.run(&problem, &job).expect("benchmark run"))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, overhead);
criterion_main!(benches);
