//! The figures measured on ZOOpt 0.4.2 and its peers (the project's `anchors.md`), which
//! the `zoopt` suite's report puts next to zoo's medians.
//!
//! Medians over seeds 1..10 on a 2-core machine; `value` is the noise-free objective at
//! the returned solution; seconds are wall time per run (±30 % from run to run).

/// One measured median.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// Task label of the `zoopt` suite (`P1` … `P7`).
    pub task: &'static str,
    /// The zoo algorithm compared with it.
    pub algo: &'static str,
    /// Who was measured.
    pub peer: &'static str,
    /// Median value.
    pub value: f64,
    /// Median wall seconds per run, when measured.
    pub seconds: Option<f64>,
}

/// Optimizer overhead per evaluation (wall time minus time in the objective), measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overhead {
    /// Task label whose runs give zoo's figure.
    pub task: &'static str,
    /// The zoo algorithm compared.
    pub algo: &'static str,
    /// Who was measured.
    pub peer: &'static str,
    /// Lower end of the measured range, µs per evaluation.
    pub low_us: f64,
    /// Upper end of the measured range, µs per evaluation.
    pub high_us: f64,
}

/// The medians of `anchors.md`.
pub const ANCHORS: &[Anchor] = &[
    a("P1", "sracos", "ZOOpt SRACOS", 0.087, Some(3.6)),
    a("P1", "racos", "ZOOpt RACOS", 0.134, Some(4.0)),
    a("P1", "cmaes", "pycma", 1.7e-4, Some(3.4)),
    a("P1", "random", "random (numpy)", 3.56, Some(0.3)),
    a("P2", "sracos", "ZOOpt SRACOS", 0.039, Some(3.2)),
    a("P2", "racos", "ZOOpt RACOS", 0.068, Some(3.7)),
    a("P2", "cmaes", "pycma", 6.6e-8, Some(3.1)),
    a("P2", "random", "random (numpy)", 23.9, Some(0.08)),
    a("P3", "sracos", "ZOOpt SRACOS", 4.94, Some(1.1)),
    a("P3", "racos", "ZOOpt RACOS", 4.98, Some(1.2)),
    a("P3", "cmaes", "pycma", 31.3, Some(1.8)),
    a("P3", "random", "random (numpy)", 205.0, Some(0.1)),
    a(
        "P4",
        "sracos-small",
        "ZOOpt SRACOS (train 6, positive 1)",
        1.092,
        Some(0.64),
    ),
    a("P4", "random", "random (numpy)", 1.713, None),
    a(
        "P5",
        "sracos",
        "ZOOpt SRACOS, no noise handling",
        3.68,
        Some(11.1),
    ),
    a("P5", "ssracos", "ZOOpt value suppression", 2.49, Some(7.1)),
    a("P5", "resample", "ZOOpt re-sampling ×10", 1.92, Some(2.8)),
    a("P5", "random", "random (numpy)", 3.64, None),
    a("P6", "sre", "ZOOpt SRACOS + SRE", 0.158, Some(0.77)),
    a("P6", "sracos", "ZOOpt SRACOS", 1.01, Some(56.0)),
    a("P6", "random", "random (numpy)", 1.09, None),
    a("P7", "poss", "ZOOpt POSS", 0.5617, Some(9.2)),
    a("P7", "ponss", "ZOOpt PONSS", 0.607, Some(4.2)),
    a("P7", "greedy", "greedy forward selection", 0.5778, None),
];

const fn a(
    task: &'static str,
    algo: &'static str,
    peer: &'static str,
    value: f64,
    seconds: Option<f64>,
) -> Anchor {
    Anchor {
        task,
        algo,
        peer,
        value,
        seconds,
    }
}

/// The per-evaluation overheads of `anchors.md`.
pub const OVERHEADS: &[Overhead] = &[
    Overhead {
        task: "P1",
        algo: "sracos",
        peer: "ZOOpt SRACOS, 100-D",
        low_us: 300.0,
        high_us: 450.0,
    },
    Overhead {
        task: "P1",
        algo: "racos",
        peer: "ZOOpt RACOS, 100-D",
        low_us: 360.0,
        high_us: 410.0,
    },
    Overhead {
        task: "P1",
        algo: "cmaes",
        peer: "pycma, 100-D",
        low_us: 300.0,
        high_us: 300.0,
    },
    Overhead {
        task: "P3",
        algo: "sracos",
        peer: "ZOOpt SRACOS, 20-D",
        low_us: 200.0,
        high_us: 200.0,
    },
    Overhead {
        task: "P6",
        algo: "sracos",
        peer: "ZOOpt SRACOS, 10,000-D",
        low_us: 28_000.0,
        high_us: 28_000.0,
    },
    Overhead {
        task: "P2",
        algo: "random",
        peer: "random search (numpy), 100-D",
        low_us: 2.0,
        high_us: 2.0,
    },
];
