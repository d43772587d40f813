//! POSS, PONSS and greedy forward selection side by side: sparse regression on sonar
//! (k = 8, budget 2ek²n) over 10 seeds, then a synthetic problem with n = 1,000 columns
//! and k = 20 where the true support is known.
//!
//! ```text
//! cargo run --release -p zoo-subset --example sonar                 # both parts
//! cargo run --release -p zoo-subset --example sonar -- sonar        # sonar only
//! cargo run --release -p zoo-subset --example sonar -- noisy        # noisy sonar only
//! cargo run --release -p zoo-subset --example sonar -- synthetic 3  # synthetic, 3 seeds
//! ```

use std::cell::RefCell;
use std::time::{Duration, Instant};

use anyhow::Result;
use zoo_core::testing::median;
use zoo_core::{Evaluated, Minimize, Outcome, Sampler, ZooRng};
use zoo_subset::{
    Greedy, Ponss, Poss, SizeLimit, SparseRegression, Subset, Synthetic, default_budget, recovery, sonar,
};

fn main() -> Result<()> {
    run(std::env::args().skip(1).collect())
}

fn run(args: Vec<String>) -> Result<()> {
    let part = args.first().map(String::as_str).unwrap_or("all");
    let seeds: u64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(3);
    if matches!(part, "all" | "sonar") {
        sonar_table()?;
    }
    if matches!(part, "all" | "noisy") {
        noisy_table()?;
    }
    if matches!(part, "all" | "synthetic") {
        synthetic_table(seeds)?;
    }
    Ok(())
}

fn timed<S: Sampler<Solution = Subset>>(
    loss: &SparseRegression,
    sampler: S,
    budget: u64,
    seed: u64,
) -> Result<(Outcome<S>, Duration)> {
    let start = Instant::now();
    let outcome = Minimize::new(loss, sampler).budget(budget).seed(seed).run()?;
    Ok((outcome, start.elapsed()))
}

fn sonar_table() -> Result<()> {
    let (n, k) = (60, 8);
    let data = sonar();
    let loss = SparseRegression::new(&data, k)?;
    let budget = default_budget(n, k);
    println!("## Sonar, k = {k}, budget ⌈2ek²n⌉ = {budget}\n");
    println!("| seed | POSS MSE | POSS s | PONSS MSE | PONSS s | greedy MSE | greedy s |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let (mut poss_mse, mut poss_s, mut ponss_mse, mut ponss_s, mut greedy_s) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut greedy_mse = f64::NAN;
    for seed in 1..=10 {
        let (p, tp) = timed(&loss, Poss::new(n, SizeLimit::new(k))?, budget, seed)?;
        let (q, tq) = timed(&loss, Ponss::new(n, SizeLimit::new(k), 0.5, k)?, budget, seed)?;
        let (g, tg) = timed(&loss, Greedy::new(n, k)?, budget, seed)?;
        assert_eq!(p.evaluations, budget);
        assert_eq!(q.evaluations, budget);
        println!(
            "| {seed} | {:.4} | {:.3} | {:.4} | {:.3} | {:.4} | {:.4} |",
            p.best.value,
            tp.as_secs_f64(),
            q.best.value,
            tq.as_secs_f64(),
            g.best.value,
            tg.as_secs_f64()
        );
        poss_mse.push(p.best.value);
        poss_s.push(tp.as_secs_f64());
        ponss_mse.push(q.best.value);
        ponss_s.push(tq.as_secs_f64());
        greedy_mse = g.best.value;
        greedy_s.push(tg.as_secs_f64());
    }
    println!(
        "| **median** | **{:.4}** | **{:.3}** | **{:.4}** | **{:.3}** | **{:.4}** | **{:.4}** |\n",
        median(&poss_mse),
        median(&poss_s),
        median(&ponss_mse),
        median(&ponss_s),
        greedy_mse,
        median(&greedy_s)
    );
    Ok(())
}

/// Sonar with additive Gaussian noise on every evaluation; the table reports the
/// noise-free MSE of the subset each method recommends.
fn noisy_table() -> Result<()> {
    let (n, k, sigma, theta) = (60, 8, 0.05, 0.1);
    let reg = SparseRegression::new(&sonar(), k)?;
    let budget = default_budget(n, k);
    println!("## Noisy sonar: loss + N(0, {sigma}²), k = {k}, budget {budget}, true MSE of the result\n");
    println!("| seed | POSS | PONSS θ = {theta}, B = k | PONSS θ = 0.5, B = k |");
    println!("| --- | --- | --- | --- |");
    let mut columns = [vec![], vec![], vec![]];
    for seed in 1..=10 {
        let noise = RefCell::new(ZooRng::seed_from(1_000 + seed));
        let noisy = |s: &Subset| reg.loss(s) + sigma * noise.borrow_mut().normal();
        let true_mse = |best: Evaluated<Subset>| reg.loss(&best.x);
        let p = true_mse(
            Minimize::new(noisy, Poss::new(n, SizeLimit::new(k))?)
                .budget(budget)
                .seed(seed)
                .run()?
                .best,
        );
        let q = Ponss::new(n, SizeLimit::new(k), theta, k)?;
        let q = true_mse(Minimize::new(noisy, q).budget(budget).seed(seed).run()?.best);
        let r = Ponss::new(n, SizeLimit::new(k), 0.5, k)?;
        let r = true_mse(Minimize::new(noisy, r).budget(budget).seed(seed).run()?.best);
        println!("| {seed} | {p:.4} | {q:.4} | {r:.4} |");
        for (c, v) in columns.iter_mut().zip([p, q, r]) {
            c.push(v);
        }
    }
    let [p, q, r] = columns.map(|c| median(&c));
    println!("| **median** | **{p:.4}** | **{q:.4}** | **{r:.4}** |\n");
    Ok(())
}

fn synthetic_table(seeds: u64) -> Result<()> {
    let setups = [
        ("decoys (default)", Synthetic::default()),
        (
            "no decoys",
            Synthetic {
                decoys: 0,
                ..Synthetic::default()
            },
        ),
    ];
    for (name, setup) in setups {
        let (n, k) = (setup.columns, setup.support);
        let budget = default_budget(n, k);
        println!(
            "## Synthetic, {name}: m = {}, n = {n}, k = {k}, σ = {}, {} decoys (τ = {}), POSS budget {budget}\n",
            setup.rows, setup.noise, setup.decoys, setup.decoy_noise
        );
        println!(
            "| seed | true-support MSE | greedy MSE | greedy recovery | greedy s | POSS MSE | POSS recovery | POSS s |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for seed in 1..=seeds {
            let problem = setup.generate(seed)?;
            let loss = SparseRegression::new(&problem.data, k)?;
            let truth = loss.mse(&problem.support);
            let (g, tg) = timed(&loss, Greedy::new(n, k)?, budget, seed)?;
            let (p, tp) = timed(&loss, Poss::new(n, SizeLimit::new(k))?, budget, seed)?;
            println!(
                "| {seed} | {truth:.4} | {:.4} | {:.2} | {:.2} | {:.4} | {:.2} | {:.1} |",
                g.best.value,
                recovery(&g.best.x, &problem.support),
                tg.as_secs_f64(),
                p.best.value,
                recovery(&p.best.x, &problem.support),
                tp.as_secs_f64()
            );
        }
        println!();
    }
    Ok(())
}
