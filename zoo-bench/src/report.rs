//! The markdown report and its plots, rendered from saved results (so `zoo-bench report`
//! can redo them without running anything).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use crate::anchors::{ANCHORS, OVERHEADS};
use zoo_bbob::FunctionGroup;

use crate::ecdf;
use crate::plot::{self, Band, Colours, EcdfFigure, Figure, significant};
use crate::record::{self, CurveRecord, Environment, Record, Results};
use crate::stats;

/// Suites with more problems than this get no rank table (one column per problem).
const MAX_RANKED: usize = 16;

/// Runs sharing a problem instance, budget and thread count: one table and one plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Task label.
    pub task: String,
    /// Problem name.
    pub problem: String,
    /// Number of coordinates.
    pub dim: usize,
    /// Budget.
    pub budget: u64,
    /// Parallel evaluation threads.
    pub threads: usize,
    /// Summary per algorithm, best median first.
    pub rows: Vec<Summary>,
}

impl Group {
    /// Short title: `P1 ackley, D = 100, budget 10,000`.
    pub fn title(&self) -> String {
        let mut t = String::new();
        if !self.task.is_empty() {
            t.push_str(&self.task);
            t.push(' ');
        }
        let _ = write!(
            t,
            "{}, D = {}, budget {}",
            self.problem,
            thousands(self.dim as u64),
            thousands(self.budget)
        );
        if self.threads > 1 {
            let _ = write!(t, ", {} threads", self.threads);
        }
        t
    }

    /// File-name stem of the group's plot.
    pub fn slug(&self) -> String {
        let mut s = String::new();
        if !self.task.is_empty() {
            s.push_str(&self.task);
            s.push('-');
        }
        let _ = write!(s, "{}-{}", self.problem, self.dim);
        if self.threads > 1 {
            let _ = write!(s, "-t{}", self.threads);
        }
        s
    }

    /// Name of the group's column in the rank table: its task, else problem and dimension.
    fn column(&self) -> String {
        if self.task.is_empty() {
            format!("{}-{}", self.problem, self.dim)
        } else {
            self.task.clone()
        }
    }

    fn row(&self, algo: &str) -> Option<&Summary> {
        self.rows.iter().find(|r| r.algo == algo)
    }
}

/// Quartiles of one algorithm's runs on one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Algorithm name.
    pub algo: String,
    /// Successful runs.
    pub runs: usize,
    /// Failed runs.
    pub failed: usize,
    /// Quartiles (Q1, median, Q3) of the noise-free final value.
    pub value: [f64; 3],
    /// Median evaluations.
    pub evaluations: f64,
    /// Median wall seconds.
    pub wall_s: f64,
    /// Median overhead, µs per evaluation.
    pub overhead_us: f64,
    /// Two-sided p-value of the rank-sum test of these final values against those of the
    /// algorithm with the best median ([`stats::rank_sum_p`]); NaN on the best's own row.
    pub p_vs_best: f64,
}

/// Quantile `q` of sorted data, linear interpolation between order statistics.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    if i + 1 < sorted.len() {
        sorted[i] + frac * (sorted[i + 1] - sorted[i])
    } else {
        sorted[i]
    }
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn in_group(g: &Group, r: &Record) -> bool {
    g.task == r.task
        && g.problem == r.problem
        && g.dim == r.dim
        && g.budget == r.budget
        && g.threads == r.threads
}

/// Groups records in order of first appearance, with summaries best first.
pub fn groups(records: &[Record]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut members: Vec<Vec<&Record>> = Vec::new();
    for r in records {
        let i = match out.iter().position(|g| in_group(g, r)) {
            Some(i) => i,
            None => {
                out.push(Group {
                    task: r.task.clone(),
                    problem: r.problem.clone(),
                    dim: r.dim,
                    budget: r.budget,
                    threads: r.threads,
                    rows: Vec::new(),
                });
                members.push(Vec::new());
                out.len() - 1
            }
        };
        members[i].push(r);
    }
    for (g, rs) in out.iter_mut().zip(members) {
        let mut algos: Vec<&str> = Vec::new();
        let mut rows: Vec<(Summary, Vec<f64>)> = Vec::new();
        for r in &rs {
            if !algos.contains(&r.algo.as_str()) {
                algos.push(&r.algo);
            }
        }
        for algo in algos {
            let ok: Vec<&&Record> = rs
                .iter()
                .filter(|r| r.algo == algo && r.error.is_empty())
                .collect();
            let failed = rs
                .iter()
                .filter(|r| r.algo == algo && !r.error.is_empty())
                .count();
            let values = sorted(ok.iter().map(|r| r.true_best).collect());
            rows.push((
                Summary {
                    algo: algo.to_owned(),
                    runs: ok.len(),
                    failed,
                    value: [
                        quantile(&values, 0.25),
                        quantile(&values, 0.5),
                        quantile(&values, 0.75),
                    ],
                    evaluations: quantile(&sorted(ok.iter().map(|r| r.evaluations as f64).collect()), 0.5),
                    wall_s: quantile(&sorted(ok.iter().map(|r| r.wall_s).collect()), 0.5),
                    overhead_us: quantile(&sorted(ok.iter().map(|r| r.overhead_us).collect()), 0.5),
                    p_vs_best: f64::NAN,
                },
                values,
            ));
        }
        rows.sort_by(|a, b| rank_key(&a.0).total_cmp(&rank_key(&b.0)));
        if let Some((best, rest)) = rows.split_first_mut() {
            for (row, values) in rest {
                row.p_vs_best = stats::rank_sum_p(values, &best.1);
            }
        }
        g.rows = rows.into_iter().map(|(row, _)| row).collect();
    }
    out
}

/// Median for ranking: NaN (no successful run) ranks last.
fn rank_key(s: &Summary) -> f64 {
    if s.value[1].is_nan() {
        f64::INFINITY
    } else {
        s.value[1]
    }
}

/// Ranks of the algorithms within one group (1 = best median, ties share the mean rank).
pub fn ranks(group: &Group) -> Vec<(String, f64)> {
    let keys: Vec<f64> = group.rows.iter().map(rank_key).collect();
    group
        .rows
        .iter()
        .zip(&keys)
        .map(|(row, &k)| {
            let better = keys.iter().filter(|&&o| o < k).count() as f64;
            // Ties are exact: equal medians of equal runs.
            let equal = keys.iter().filter(|&&o| o.total_cmp(&k).is_eq()).count() as f64;
            (row.algo.clone(), better + (equal + 1.0) / 2.0)
        })
        .collect()
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn value(v: f64) -> String {
    if v.is_nan() {
        "–".to_owned()
    } else {
        significant(v, 4)
    }
}

/// A p-value to two significant digits, with the smallest ones as a bound.
fn p_value(p: f64) -> String {
    if p.is_nan() {
        "–".to_owned()
    } else if p < 1e-4 {
        "< 1e-4".to_owned()
    } else {
        significant(p, 2)
    }
}

fn seconds(v: f64) -> String {
    if v.is_nan() {
        "–".to_owned()
    } else {
        significant(v, 3)
    }
}

/// Median and quartile curves of one algorithm in one group.
fn band(algo: &str, curves: &[&CurveRecord]) -> Option<Band> {
    let runs: Vec<&CurveRecord> = curves
        .iter()
        .copied()
        .filter(|c| c.algo == algo && !c.curve.evals.is_empty())
        .collect();
    let evals = runs.first()?.curve.evals.clone();
    let at = |i: usize| sorted(runs.iter().filter_map(|c| c.curve.best.get(i).copied()).collect());
    let (mut median, mut q1, mut q3) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..evals.len() {
        let v = at(i);
        q1.push(quantile(&v, 0.25));
        median.push(quantile(&v, 0.5));
        q3.push(quantile(&v, 0.75));
    }
    Some(Band {
        label: algo.to_owned(),
        evals,
        median,
        q1,
        q3,
    })
}

/// Re-renders `dir/report.md` and `dir/plots/*` from `dir/results.csv` and
/// `dir/curves.json`.
pub fn render(dir: &Path) -> Result<()> {
    let results = record::load(dir)?;
    let env = Environment::load(dir);
    let text = write(dir, &results, env.as_ref())?;
    std::fs::write(dir.join("report.md"), text)?;
    Ok(())
}

fn write(dir: &Path, results: &Results, env: Option<&Environment>) -> Result<String> {
    let groups = groups(&results.records);
    let mut md = String::new();
    let _ = writeln!(md, "# zoo-bench report: suite `{}`\n", results.suite);
    if let Some(e) = env {
        let deps: Vec<String> = e.dependencies.iter().map(|(n, v)| format!("{n} {v}")).collect();
        let _ = writeln!(
            md,
            "- zoo {} at commit `{}`, {} build, {}\n- CPU: {}, {} cores; runs side by side: {}; {}\n- {} runs in {:.1} s of wall time\n",
            e.zoo_version,
            e.commit,
            e.profile,
            e.rustc,
            e.cpu,
            e.cores,
            e.jobs,
            deps.join(", "),
            results.records.len(),
            e.wall_s
        );
    }
    md.push_str(
        "Values are the noise-free objective at the solution each run returns (lower is better), \
         as median [first quartile, third quartile] over the seeds. Time is the wall clock of one run; \
         overhead is the time spent outside the objective per evaluation. Plots show the median \
         best value seen so far against evaluations, with the quartile band (on noisy problems \
         these are the noisy values the optimizer saw). *p vs best* is the two-sided \
         Wilcoxon–Mann–Whitney rank-sum test of an algorithm's final values against those of the \
         algorithm with the best median: below 0.05, a difference that different seeds would \
         rarely produce by chance (one test per row, not corrected for their number).\n\n",
    );
    let failed: usize = groups.iter().flat_map(|g| &g.rows).map(|r| r.failed).sum();
    if failed > 0 {
        let _ = writeln!(
            md,
            "**{failed} runs failed**; their errors are in `results.csv`.\n"
        );
    }

    if results.curves.is_empty() && !results.records.is_empty() {
        md.push_str("No `curves.json` in this directory: no convergence plots or runtime ECDFs.\n\n");
    }

    if results.suite == "zoopt" {
        anchors_section(&mut md, &groups);
    }

    if groups.len() > 1 && groups.len() <= MAX_RANKED {
        rank_section(&mut md, &groups);
    } else if groups.len() > MAX_RANKED {
        mean_rank_section(&mut md, groups.len(), &mean_ranks(&groups));
    }

    let plots = dir.join("plots");
    // One colour per algorithm, the same in every plot of the report.
    let colours = Colours::new(results.records.iter().map(|r| r.algo.as_str()));
    ecdf_section(&mut md, &plots, results, &colours)?;

    let stems = distinct(&groups, Group::slug, |g| format!("-b{}", g.budget));
    for (g, stem) in groups.iter().zip(&stems) {
        let _ = writeln!(md, "## {}\n", g.title());
        // Curves are saved in the order of the records.
        let curves: Vec<&CurveRecord> = results
            .records
            .iter()
            .zip(&results.curves)
            .filter(|(r, _)| in_group(g, r))
            .map(|(_, c)| c)
            .collect();
        let bands: Vec<Band> = g.rows.iter().filter_map(|r| band(&r.algo, &curves)).collect();
        if !bands.is_empty() {
            let seeds = g.rows.iter().map(|r| r.runs).max().unwrap_or(0);
            let figure = Figure {
                title: g.title(),
                subtitle: format!("median best value so far over {seeds} seeds, band between the quartiles"),
                y_label: "best value so far".to_owned(),
                budget: g.budget,
                bands,
                colours: colours.clone(),
            };
            plot::save(&figure, &plots, stem)?;
            let _ = writeln!(md, "![{}](plots/{stem}.png)\n", g.title());
        }
        md.push_str(
            "| algorithm | runs | median | Q1 | Q3 | p vs best | evaluations | time (s) | overhead (µs/eval) |\n",
        );
        md.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for r in &g.rows {
            let runs = if r.failed > 0 {
                format!("{} ({} failed)", r.runs, r.failed)
            } else {
                r.runs.to_string()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.algo,
                runs,
                value(r.value[1]),
                value(r.value[0]),
                value(r.value[2]),
                p_value(r.p_vs_best),
                thousands(r.evaluations.round() as u64),
                seconds(r.wall_s),
                seconds(r.overhead_us),
            );
        }
        md.push('\n');
    }
    Ok(md)
}

/// Runtime ECDFs over every run that recorded first hits (problems with a known optimum):
/// one figure for all of them, one per BBOB function group and one per dimension when
/// there are several, and the fractions reached at the budget as tables.
fn ecdf_section(md: &mut String, plots: &Path, results: &Results, colours: &Colours) -> Result<()> {
    let runs = ecdf::runtimes(&results.records, &results.curves);
    if runs.is_empty() {
        return Ok(());
    }
    let mut algos: Vec<&str> = Vec::new();
    let mut dims: Vec<usize> = Vec::new();
    let mut groups: Vec<FunctionGroup> = Vec::new();
    for r in &runs {
        if !algos.contains(&r.record.algo.as_str()) {
            algos.push(&r.record.algo);
        }
        if !dims.contains(&r.record.dim) {
            dims.push(r.record.dim);
        }
        if let Some(g) = r.group()
            && !groups.contains(&g)
        {
            groups.push(g);
        }
    }
    dims.sort_unstable();
    groups.sort_by_key(|g| ecdf::GROUPS.iter().position(|o| o == g));
    let problems = {
        let mut p: Vec<(&str, usize)> = runs
            .iter()
            .map(|r| (r.record.problem.as_str(), r.record.dim))
            .collect();
        p.sort_unstable();
        p.dedup();
        p.len()
    };
    md.push_str("## Runtime ECDFs\n\n");
    let _ = writeln!(
        md,
        "Fraction of (run, target) pairs reached against log10(evaluations / dimension), over \
         COCO's 51 targets f − f_opt ≤ 10^2 … 10^-8 and {} runs on {problems} (problem, dimension) \
         pairs with a known optimum; each run is one instance (BBOB: seed s runs instance \
         s). A cross marks the fraction reached at the budget.\n",
        runs.len()
    );
    let figure = |md: &mut String, slug: &str, title: String, subset: &[ecdf::Runtimes<'_>]| -> Result<()> {
        let steps: Vec<ecdf::Step> = algos.iter().filter_map(|a| ecdf::ecdf(a, subset)).collect();
        let n = subset.iter().filter(|r| r.record.algo == algos[0]).count();
        let fig = EcdfFigure {
            title: title.clone(),
            subtitle: format!("runtime ECDF, 51 targets 1e2…1e-8, {n} runs per algorithm"),
            steps,
            colours: colours.clone(),
        };
        plot::save_ecdf(&fig, plots, slug)?;
        let _ = writeln!(md, "![{title}](plots/{slug}.png)\n");
        Ok(())
    };
    figure(
        md,
        "ecdf-all",
        format!("all {problems} (problem, dimension) pairs"),
        &runs,
    )?;
    if groups.len() > 1 {
        for &g in &groups {
            let subset: Vec<ecdf::Runtimes<'_>> =
                runs.iter().copied().filter(|r| r.group() == Some(g)).collect();
            figure(
                md,
                &format!("ecdf-{}", ecdf::group_slug(g)),
                ecdf::group_title(g).to_owned(),
                &subset,
            )?;
        }
    }
    if dims.len() > 1 {
        for &d in &dims {
            let subset: Vec<ecdf::Runtimes<'_>> =
                runs.iter().copied().filter(|r| r.record.dim == d).collect();
            figure(md, &format!("ecdf-d{d}"), format!("dimension {d}"), &subset)?;
        }
    }
    // Fractions reached at the budget: by function group, then by dimension.
    let mean_reached = |a: &str, keep: &dyn Fn(&ecdf::Runtimes<'_>) -> bool| {
        let v: Vec<f64> = runs
            .iter()
            .filter(|r| r.record.algo == a && keep(r))
            .map(|r| r.reached())
            .collect();
        if v.is_empty() {
            "–".to_owned()
        } else {
            format!("{:.2}", v.iter().sum::<f64>() / v.len() as f64)
        }
    };
    md.push_str("Fraction of the 51 targets reached at the budget, mean over runs:\n\n");
    let mut head = String::from("| algorithm |");
    let mut rule = String::from("| --- |");
    for &g in &groups {
        let _ = write!(head, " {} |", ecdf::group_slug(g));
        rule.push_str(" ---: |");
    }
    for &d in &dims {
        let _ = write!(head, " D = {d} |");
        rule.push_str(" ---: |");
    }
    let _ = writeln!(md, "{head} all |\n{rule} ---: |");
    for &a in &algos {
        let mut line = format!("| {a} |");
        for &g in &groups {
            let _ = write!(line, " {} |", mean_reached(a, &|r| r.group() == Some(g)));
        }
        for &d in &dims {
            let _ = write!(line, " {} |", mean_reached(a, &|r| r.record.dim == d));
        }
        let _ = writeln!(line, " {} |", mean_reached(a, &|_| true));
        md.push_str(&line);
    }
    md.push('\n');
    Ok(())
}

/// `name` of each group, with `suffix` (its budget) added where groups would share a name:
/// a suite may run one problem at several budgets, each with its own column and plot.
fn distinct(
    groups: &[Group],
    name: impl Fn(&Group) -> String,
    suffix: impl Fn(&Group) -> String,
) -> Vec<String> {
    let names: Vec<String> = groups.iter().map(&name).collect();
    names
        .iter()
        .zip(groups)
        .map(|(n, g)| {
            if names.iter().filter(|m| *m == n).count() > 1 {
                format!("{n}{}", suffix(g))
            } else {
                n.clone()
            }
        })
        .collect()
}

/// Each algorithm's mean rank over the problems it ran on (ranks as in [`ranks`]), the
/// number of those problems, and on how many its median was the best (alone or tied):
/// algorithms compared on more problems first, then by mean rank.
fn mean_ranks(groups: &[Group]) -> Vec<(String, f64, usize, usize)> {
    let mut rows: Vec<(String, f64, usize, usize)> = Vec::new();
    for group in groups {
        let ranked = ranks(group);
        let best = ranked.iter().map(|(_, r)| *r).fold(f64::INFINITY, f64::min);
        for (algo, rank) in ranked {
            let i = match rows.iter().position(|r| r.0 == algo) {
                Some(i) => i,
                None => {
                    rows.push((algo, 0.0, 0, 0));
                    rows.len() - 1
                }
            };
            rows[i].1 += rank;
            rows[i].2 += 1;
            rows[i].3 += usize::from(rank.total_cmp(&best).is_eq());
        }
    }
    for row in &mut rows {
        row.1 /= row.2 as f64;
    }
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.total_cmp(&b.1)));
    rows
}

/// For suites of more problems than a rank table holds: the mean ranks alone.
fn mean_rank_section(md: &mut String, problems: usize, rows: &[(String, f64, usize, usize)]) {
    md.push_str("## Mean ranks across problems\n\n");
    let _ = writeln!(
        md,
        "{problems} (problem, dimension, budget) groups: too many for a column each. Rank of each \
         algorithm's median final value within each group (1 = best; ties share the mean rank), \
         averaged over the groups it ran on; *best* counts the groups where its median was the \
         lowest (ties included).\n"
    );
    md.push_str("| algorithm | mean rank | best | problems |\n| --- | ---: | ---: | ---: |\n");
    for (algo, mean, count, best) in rows {
        let _ = writeln!(md, "| {algo} | {} | {best} | {count} |", significant(*mean, 3));
    }
    md.push('\n');
}

/// The rank table's column names: a task's label alone when it names one problem and
/// dimension, else with them (`A bbob-f1-2`); the budget added where groups still share
/// a name.
fn column_names(groups: &[Group]) -> Vec<String> {
    let column = |g: &Group| {
        let shared = !g.task.is_empty()
            && groups
                .iter()
                .any(|o| o.task == g.task && (o.problem != g.problem || o.dim != g.dim));
        if shared {
            format!("{} {}-{}", g.task, g.problem, g.dim)
        } else {
            g.column()
        }
    };
    distinct(groups, column, |g| format!(" at {}", thousands(g.budget)))
}

fn rank_section(md: &mut String, groups: &[Group]) {
    let mut algos: Vec<&str> = Vec::new();
    for g in groups {
        for r in &g.rows {
            if !algos.contains(&r.algo.as_str()) {
                algos.push(&r.algo);
            }
        }
    }
    let ranked: Vec<Vec<(String, f64)>> = groups.iter().map(ranks).collect();
    let mut rows: Vec<(usize, f64, String)> = algos
        .iter()
        .map(|&a| {
            let mine: Vec<f64> = ranked
                .iter()
                .filter_map(|rs| rs.iter().find(|(n, _)| n == a).map(|(_, r)| *r))
                .collect();
            let mean = mine.iter().sum::<f64>() / mine.len().max(1) as f64;
            let mut line = format!("| {a} |");
            for rs in &ranked {
                match rs.iter().find(|(n, _)| n == a) {
                    Some((_, r)) => {
                        let _ = write!(line, " {} |", significant(*r, 2));
                    }
                    None => line.push_str(" – |"),
                }
            }
            let _ = write!(line, " {} | {} |", significant(mean, 3), mine.len());
            (mine.len(), mean, line)
        })
        .collect();
    // Algorithms compared on more problems first, then by mean rank: a rank earned on a
    // single problem says little.
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)));
    md.push_str("## Ranks across problems\n\n");
    md.push_str(
        "Rank of each algorithm's median final value within each problem (1 = best; ties share \
         the mean rank; – = not run there), and the mean over the problems it ran on; algorithms \
         compared on more problems come first.\n\n",
    );
    let mut head = String::from("| algorithm |");
    let mut rule = String::from("| --- |");
    for name in column_names(groups) {
        let _ = write!(head, " {name} |");
        rule.push_str(" ---: |");
    }
    let _ = writeln!(md, "{head} mean rank | problems |\n{rule} ---: | ---: |");
    for (_, _, line) in rows {
        md.push_str(&line);
        md.push('\n');
    }
    md.push('\n');
}

fn anchors_section(md: &mut String, groups: &[Group]) {
    md.push_str("## Against ZOOpt's measured anchors\n\n");
    md.push_str(
        "zoo's median over the seeds next to the median measured on ZOOpt 0.4.2 and its peers \
         (`anchors.md`, seeds 1–10, a 2-core machine of the same kind; their wall times vary by \
         about ±30 % between runs). Time ratio = peer seconds / zoo seconds.\n\n",
    );
    md.push_str(
        "| id | problem | zoo algorithm | zoo median | zoo s | peer | peer median | peer s | time ratio |\n",
    );
    md.push_str("| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |\n");
    for a in ANCHORS {
        let Some(g) = groups.iter().find(|g| g.task == a.task) else {
            continue;
        };
        let Some(row) = g.row(a.algo) else {
            continue;
        };
        let (peer_s, ratio) = match a.seconds {
            Some(s) => (significant(s, 2), format!("{}×", significant(s / row.wall_s, 2))),
            None => ("–".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            md,
            "| {} | {}-{} | {} | {} | {} | {} | {} | {} | {} |",
            a.task,
            g.problem,
            g.dim,
            a.algo,
            value(row.value[1]),
            significant(row.wall_s, 2),
            a.peer,
            value(a.value),
            peer_s,
            ratio
        );
    }
    md.push_str(
        "\nOptimizer overhead per evaluation (wall time outside the objective), zoo's median \
         against the peer's measured range; ratio = peer / zoo.\n\n",
    );
    md.push_str("| id | zoo algorithm | zoo µs/eval | peer | peer µs/eval | ratio |\n");
    md.push_str("| --- | --- | ---: | --- | ---: | ---: |\n");
    for o in OVERHEADS {
        let Some(row) = groups
            .iter()
            .find(|g| g.task == o.task)
            .and_then(|g| g.row(o.algo))
        else {
            continue;
        };
        let (peer, ratio) = if o.low_us.total_cmp(&o.high_us).is_eq() {
            (
                significant(o.low_us, 3),
                format!("{}×", significant(o.low_us / row.overhead_us, 2)),
            )
        } else {
            (
                format!("{}–{}", significant(o.low_us, 3), significant(o.high_us, 3)),
                format!(
                    "{}–{}×",
                    significant(o.low_us / row.overhead_us, 2),
                    significant(o.high_us / row.overhead_us, 2)
                ),
            )
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            o.task,
            o.algo,
            significant(row.overhead_us, 3),
            o.peer,
            peer,
            ratio
        );
    }
    md.push('\n');
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    /// One algorithm's summary with median `m` (all quartiles equal).
    fn row(algo: &str, m: f64) -> Summary {
        Summary {
            algo: algo.into(),
            runs: 1,
            failed: 0,
            value: [m, m, m],
            evaluations: 1.0,
            wall_s: 0.0,
            overhead_us: 0.0,
            p_vs_best: f64::NAN,
        }
    }

    /// A group of one problem with these rows.
    fn group(rows: Vec<Summary>) -> Group {
        Group {
            task: String::new(),
            problem: "p".into(),
            dim: 1,
            budget: 1,
            threads: 1,
            rows,
        }
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.25), 1.75);
        assert_eq!(quantile(&[7.0], 0.75), 7.0);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn ties_share_the_mean_rank() {
        let g = group(vec![
            row("a", 0.0),
            row("b", 1.0),
            row("c", 1.0),
            row("d", f64::NAN),
        ]);
        let r = ranks(&g);
        assert_eq!(r[0].1, 1.0);
        assert_eq!(r[1].1, 2.5);
        assert_eq!(r[2].1, 2.5);
        assert_eq!(r[3].1, 4.0);
    }

    /// Over many problems the mean ranks stand alone: each algorithm's average, its count of
    /// best medians (ties included), and algorithms run on more problems first.
    #[test]
    fn mean_ranks_average_over_the_problems_each_algorithm_ran_on() {
        let groups = [
            group(vec![row("a", 0.0), row("b", 1.0), row("c", 2.0)]),
            group(vec![row("b", 0.0), row("a", 0.0), row("c", 2.0)]),
            group(vec![row("a", 1.0), row("b", 3.0)]),
        ];
        let rows = mean_ranks(&groups);
        let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        // a: ranks 1, 1.5, 1; b: 2, 1.5, 2; c: 3, 3 (two problems, listed last).
        assert_eq!(rows[0].1, 3.5 / 3.0);
        assert_eq!((rows[0].2, rows[0].3), (3, 3));
        assert_eq!((rows[1].1, rows[1].3), (5.5 / 3.0, 1));
        assert_eq!((rows[2].1, rows[2].2, rows[2].3), (3.0, 2, 0));
        let mut md = String::new();
        mean_rank_section(&mut md, 3, &rows);
        assert!(md.contains("| a | 1.17 | 3 | 3 |"), "{md}");
    }

    /// Each row but the best's carries the rank-sum test against the best median's runs.
    #[test]
    fn rows_are_tested_against_the_best_median() {
        let record = |algo: &str, seed: u64, value: f64| Record {
            task: String::new(),
            problem: "p".into(),
            dim: 2,
            algo: algo.into(),
            seed,
            budget: 10,
            threads: 1,
            evaluations: 10,
            best: value,
            true_best: value,
            wall_s: 0.0,
            overhead_us: 0.0,
            error: String::new(),
        };
        let mut records = Vec::new();
        for seed in 0..8 {
            let s = seed as f64;
            records.push(record("worse", seed, 10.0 + s));
            records.push(record("best", seed, s));
            records.push(record("level", seed, s + 0.5));
        }
        let g = &groups(&records)[0];
        let names: Vec<&str> = g.rows.iter().map(|r| r.algo.as_str()).collect();
        assert_eq!(names, ["best", "level", "worse"]);
        assert!(g.rows[0].p_vs_best.is_nan());
        assert!(g.rows[1].p_vs_best > 0.5, "{}", g.rows[1].p_vs_best);
        // Separated samples of 8: 2 / C(16, 8).
        assert!(
            (g.rows[2].p_vs_best - 2.0 / 12_870.0).abs() < 1e-12,
            "{}",
            g.rows[2].p_vs_best
        );
        assert_eq!(p_value(g.rows[2].p_vs_best), "1.6e-4");
        assert_eq!(p_value(1e-6), "< 1e-4");
    }

    /// One problem at two budgets gets two plots and two rank columns; a problem run once
    /// keeps its plain name.
    #[test]
    fn a_problem_at_several_budgets_gets_a_plot_and_column_each() {
        let group = |problem: &str, budget| Group {
            task: String::new(),
            problem: problem.into(),
            dim: 8,
            budget,
            threads: 1,
            rows: Vec::new(),
        };
        let groups = [group("tuning", 100), group("tuning", 1000), group("sphere", 100)];
        assert_eq!(
            distinct(&groups, Group::slug, |g| format!("-b{}", g.budget)),
            ["tuning-8-b100", "tuning-8-b1000", "sphere-8"]
        );
        assert_eq!(
            column_names(&groups),
            ["tuning-8 at 100", "tuning-8 at 1,000", "sphere-8"]
        );
        // A label over several problems keeps them apart; a label of one problem stands alone.
        let labelled = |task: &str, problem: &str, dim, budget| Group {
            task: task.into(),
            dim,
            ..group(problem, budget)
        };
        let groups = [
            labelled("A", "bbob-f1", 2, 200),
            labelled("A", "bbob-f1", 2, 500),
            labelled("A", "bbob-f8", 2, 200),
            labelled("A", "bbob-f1", 5, 200),
            labelled("P3", "rastrigin", 20, 5000),
        ];
        assert_eq!(
            column_names(&groups),
            [
                "A bbob-f1-2 at 200",
                "A bbob-f1-2 at 500",
                "A bbob-f8-2",
                "A bbob-f1-5",
                "P3"
            ]
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(20_876), "20,876");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
