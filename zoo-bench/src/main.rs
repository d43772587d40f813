//! `zoo-bench`: the command line of the benchmark suite (contract in the design guide §4).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use zoo_bench::runner::Job;
use zoo_bench::{problem, record, report, runner, suite, suite_file};

/// Benchmarks of the zoo derivative-free optimizers against random search, argmin and
/// basin (CMA-ES, differential evolution).
#[derive(Parser)]
#[command(name = "zoo-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the problem, algorithm and suite names.
    List,
    /// One run; prints one JSON line to stdout.
    Solve {
        /// Problem name (see `list`).
        #[arg(long)]
        problem: String,
        /// Number of coordinates (default: the problem's own).
        #[arg(long)]
        dim: Option<usize>,
        /// Objective evaluations allowed.
        #[arg(long)]
        budget: u64,
        /// Algorithm name (see `list`).
        #[arg(long)]
        algo: String,
        /// Seed of the run.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Parallel evaluation threads (algorithms that support it).
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// Run a suite and write results, report and plots into a directory.
    Run {
        /// Built-in suite name (see `list`).
        #[arg(long, required_unless_present = "suite_file", conflicts_with = "suite_file")]
        suite: Option<String>,
        /// A suite file (TOML; format in docs/benchmarks.md).
        #[arg(long)]
        suite_file: Option<PathBuf>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Runs side by side (default: the number of cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Use only the first N seeds of the suite.
        #[arg(long)]
        seeds: Option<usize>,
        /// Multiply every budget by this factor (for quick looks and tests).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Serve a problem to an optimizer in another process over standard input and output
    /// (protocol: docs/benchmarks.md, "Peers"); prints the run's record at the end.
    Serve {
        /// Problem name (see `list`).
        #[arg(long)]
        problem: String,
        /// Number of coordinates (default: the problem's own).
        #[arg(long)]
        dim: Option<usize>,
        /// Objective evaluations allowed.
        #[arg(long)]
        budget: u64,
        /// Seed of the run (the problem's instance and noise stream).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Name of the optimizer, as the record will show it.
        #[arg(long)]
        algo: String,
        /// Task label for the record.
        #[arg(long, default_value = "")]
        task: String,
    },
    /// Add served runs (the JSON lines `serve` printed last, one per line) to a results
    /// directory written by `run`; refuses a run the directory already holds.
    Import {
        /// Directory written by `run`.
        dir: PathBuf,
        /// Files of served runs.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Re-render report and plots from the results saved in a directory.
    Report {
        /// Directory written by `run`.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    match execute(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::List => {
            print!("{}", zoo_bench::listing());
            Ok(())
        }
        Command::Solve {
            problem,
            dim,
            budget,
            algo,
            seed,
            threads,
        } => {
            let problem = problem::build(&problem, dim)?;
            let algo = runner::find(&algo)?;
            let job = Job {
                budget,
                seed,
                threads,
            };
            let out = algo.run(&problem, &job)?;
            let line = record::Record::new("", &problem, algo.name, &job, &out).solve_line();
            println!("{}", serde_json::to_string(&line)?);
            Ok(())
        }
        Command::Run {
            suite: name,
            suite_file,
            out,
            jobs,
            seeds,
            scale,
            quiet,
        } => {
            if !(scale.is_finite() && scale > 0.0) {
                anyhow::bail!("--scale must be a positive number, got {scale}");
            }
            if seeds == Some(0) {
                anyhow::bail!("--seeds must be at least 1");
            }
            if jobs == Some(0) {
                anyhow::bail!("--jobs must be at least 1");
            }
            let (text, parsed) = match (name, suite_file) {
                (Some(name), _) => (suite::suite_text(&name)?.to_owned(), suite::suite(&name)?),
                (None, Some(file)) => {
                    let text = std::fs::read_to_string(&file)
                        .with_context(|| format!("reading {}", file.display()))?;
                    let parsed = suite_file::parse(&text).with_context(|| file.display().to_string())?;
                    suite::check(&parsed)?;
                    (text, parsed)
                }
                (None, None) => anyhow::bail!("give --suite NAME or --suite-file FILE"),
            };
            if let Some(t) = parsed
                .tasks
                .iter()
                .find(|t| t.budget as f64 * scale >= u64::MAX as f64)
            {
                anyhow::bail!(
                    "--scale {scale} makes the budget of {} beyond what a run can count",
                    t.problem
                );
            }
            let s = suite::shrink(parsed, scale, seeds);
            // Requested runs this build cannot do (an algorithm that does not take the
            // problem's space or thread count) are said, not silently left out.
            let planned = suite::plan(&s);
            let mut skipped: Vec<String> = Vec::new();
            for (i, t) in s.tasks.iter().enumerate() {
                for a in &t.algos {
                    let line = format!("{a} on {}-{} with {} thread(s)", t.problem, t.dim, t.threads);
                    if !planned.iter().any(|(j, n)| *j == i && n == a) && !skipped.contains(&line) {
                        skipped.push(line);
                    }
                }
            }
            for line in &skipped {
                eprintln!("skipped (not runnable): {line}");
            }
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            // The suite file as given, with a first line saying how it was shrunk.
            let mut shrunk = Vec::new();
            if scale.total_cmp(&1.0).is_ne() {
                shrunk.push(format!("--scale {scale} (every budget × {scale})"));
            }
            if let Some(n) = seeds {
                shrunk.push(format!("--seeds {n} (the first {n} seeds)"));
            }
            let text = if shrunk.is_empty() {
                text
            } else {
                format!("# run with {}\n{text}", shrunk.join(" and "))
            };
            zoo_bench::run_suite(&s, &text, &out, jobs, !quiet)?;
            eprintln!("wrote {}", out.join("report.md").display());
            Ok(())
        }
        Command::Serve {
            problem,
            dim,
            budget,
            seed,
            algo,
            task,
        } => {
            let problem = problem::build(&problem, dim)?;
            let job = Job {
                budget,
                seed,
                threads: 1,
            };
            let stdin = std::io::stdin();
            zoo_bench::serve::serve(
                &problem,
                &task,
                &algo,
                &job,
                stdin.lock(),
                std::io::stdout().lock(),
            )?;
            Ok(())
        }
        Command::Import { dir, files } => {
            let added = zoo_bench::serve::import(&dir, &files)?;
            eprintln!("added {added} runs to {}", dir.join("results.csv").display());
            Ok(())
        }
        Command::Report { dir } => {
            report::render(&dir)?;
            eprintln!("wrote {}", dir.join("report.md").display());
            Ok(())
        }
    }
}
