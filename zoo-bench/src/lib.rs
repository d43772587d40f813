#![doc = include_str!("../README.md")]

pub mod anchors;
pub mod coco;
pub mod ecdf;
pub mod outdir;
pub mod plot;
pub mod problem;
pub mod record;
pub mod registry;
pub mod report;
pub mod runner;
pub mod serve;
pub mod stats;
pub mod suite;
pub mod suite_file;
pub mod tracker;

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

/// What `zoo-bench list` prints: one section each for problems, algorithms and suites,
/// the name first on every line.
pub fn listing() -> String {
    let mut out = String::from("problems:\n");
    for p in problem::all() {
        let dim = match p.fixed_dim {
            Some(d) => format!("D={d}"),
            None => format!("D={} default", p.default_dim),
        };
        let _ = writeln!(out, "  {:<14} {:<16} {}", p.name, dim, p.about);
    }
    out.push_str("algorithms:\n");
    for a in runner::ALGOS {
        let _ = writeln!(out, "  {:<14} {:<16} {}", a.name, a.family.name(), a.about);
    }
    out.push_str("suites:\n");
    for name in suite::SUITES {
        if let Ok(s) = suite::suite(name) {
            let _ = writeln!(
                out,
                "  {:<14} {:<16} {}",
                s.name,
                format!("{} seeds", s.seeds.len()),
                s.about
            );
        }
    }
    out
}

/// Runs `suite` and writes `results.csv`, `curves.json`, `env.json`, `report.md` and
/// `plots/` into `out`, and for runs on BBOB problems COCO's data into `out/coco/<algo>/`.
/// `source` is the suite file's text, saved as `out/suite.toml`.
///
/// Before running, `out` is created and checked: it must be writable and must not hold
/// another suite's `results.csv` ([`outdir::prepare`]). With samplers or problems of one's
/// own, use [`registry::Registry::run_suite`].
pub fn run_suite(suite: &suite::Suite, source: &str, out: &Path, jobs: usize, progress: bool) -> Result<()> {
    registry::Registry::new().run_suite(suite, Some(source), out, jobs, progress)
}

/// The user guide's Rust examples, compiled and run as doctests so that the guide cannot
/// drift from the code.
#[cfg(doctest)]
mod guide {
    #[doc = include_str!("../../docs/getting-started.md")]
    struct GettingStarted;
    #[doc = include_str!("../../docs/high-dimensional.md")]
    struct HighDimensional;
    #[doc = include_str!("../../docs/noise.md")]
    struct Noise;
    #[doc = include_str!("../../docs/parallel.md")]
    struct Parallel;
    #[doc = include_str!("../../docs/racos.md")]
    struct Racos;
    #[doc = include_str!("../../docs/search-spaces.md")]
    struct SearchSpaces;
    #[doc = include_str!("../../docs/subset-selection.md")]
    struct SubsetSelection;
    #[doc = include_str!("../../docs/which-algorithm.md")]
    struct WhichAlgorithm;
}
