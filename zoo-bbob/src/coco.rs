//! Runs written in COCO's data format, so that cocopp can post-process zoo experiments.
//!
//! The layout and the lines are those of cocoex's `bbob` observer (COCO 2.8, `logger_bbob.c`,
//! data format `bbob-new2`), which cocopp reads:
//!
//! ```text
//! FOLDER/bbobexp_f{F}.info                  one entry per (function, dimension) block:
//!     suite = 'bbob', funcId = F, DIM = D, Precision = 1.000e-08, algId = 'NAME', …
//!     % ALGORITHM INFO
//!     data_f{F}/bbobexp_f{F}_DIM{D}.dat, 1:EVALS|PRECISION, 2:EVALS|PRECISION, …
//! FOLDER/data_f{F}/bbobexp_f{F}_DIM{D}.dat  a line whenever the best precision crosses a target
//!                                           (20 per decade down to 1e-8, plus linear ones)
//! FOLDER/data_f{F}/bbobexp_f{F}_DIM{D}.tdat a line at evaluations 1, ⌊10^(k/20)⌋ and D·{1,2,5}·10^k
//! FOLDER/data_f{F}/bbobexp_f{F}_DIM{D}.rdat, .mdat   headers only (no restarts, no recommendations)
//! ```
//!
//! Every data line is `evaluations  0  best-f_opt  f  best  [x1 … xD when D < 7]`, numbers
//! printed as C's `%+10.9e`; `tests/coco_format.rs` compares this module's files with files
//! cocoex's observer wrote for the same evaluations (see `scripts/coco_golden.py`).
//!
//! ```no_run
//! use zoo_bbob::Bbob;
//! use zoo_bbob::coco::{Experiment, RunLog};
//!
//! let mut experiment = Experiment::create("exdata/my-search", "my-search", "random search")?;
//! for instance in 1..=3 {
//!     let problem = Bbob::new(1, 2, instance)?;
//!     let mut run = RunLog::new(&problem);
//!     for k in 0..100 {
//!         let x = [(k as f64).sin() * 4.0, (k as f64).cos() * 4.0];
//!         run.evaluate(&problem, &x);
//!     }
//!     experiment.write(&run)?;
//! }
//! # Ok::<(), zoo_bbob::BbobError>(())
//! ```

use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::bbob::Bbob;
use crate::error::BbobError;

/// COCO's name of the data format these files follow.
pub const DATA_FORMAT: &str = "bbob-new2";

/// The COCO version the format was taken from (written into the `.info` files).
pub const COCO_VERSION: &str = "2.8.2";

/// Target triggers per decade of precision.
const TARGETS_PER_DECADE: f64 = 20.0;
/// Precision below which the logarithmic targets stop.
const LOG_PRECISION: f64 = 1e-8;
/// Step of the linear targets.
const LIN_PRECISION: f64 = 1e5;
/// Evaluation triggers per decade.
const EVALUATIONS_PER_DECADE: f64 = 20.0;
/// Multiples of the dimension that trigger `.tdat` lines in each decade.
const BASE_EVALUATIONS: [u64; 3] = [1, 2, 5];
/// Stand-ins COCO logs for NaN and infinite values.
const NAN_FOR_LOGGING: f64 = 2e21;
const INFINITY_FOR_LOGGING: f64 = 3e21;
/// Dimensions below this log the point's coordinates.
const MAX_DIM_WITH_X: usize = 7;

/// C's `%.{precision}e` (with a `+` when `plus`): two-digit signed exponent.
fn c_exp(value: f64, precision: usize, plus: bool) -> String {
    if value.is_nan() {
        return if plus { "+nan".into() } else { "nan".into() };
    }
    if value.is_infinite() {
        let s = if value > 0.0 {
            if plus { "+inf" } else { "inf" }
        } else {
            "-inf"
        };
        return s.into();
    }
    let raw = format!("{value:.precision$e}");
    let (mantissa, exponent) = raw.split_once('e').unwrap_or((&raw, "0"));
    let exp: i32 = exponent.parse().unwrap_or(0);
    let sign = if plus && !mantissa.starts_with('-') {
        "+"
    } else {
        ""
    };
    let exp_sign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{mantissa}e{exp_sign}{:02}", exp.abs())
}

/// The `.dat` target triggers: logarithmic (20 per decade) and linear (steps of 1e5).
#[derive(Debug, Clone)]
struct Targets {
    exponent: i64,
    lin_value: f64,
}

impl Targets {
    fn new() -> Targets {
        Targets {
            exponent: i64::MAX,
            lin_value: f64::MAX,
        }
    }

    fn trigger(&mut self, precision: f64) -> bool {
        let log = self.log_trigger(precision);
        let lin = self.lin_trigger(precision);
        log || lin
    }

    fn log_trigger(&mut self, given: f64) -> bool {
        if given >= 0.0 {
            let verified = if given == 0.0 {
                LOG_PRECISION / 10.0
            } else if given < LOG_PRECISION {
                LOG_PRECISION
            } else {
                given
            };
            let current = (verified.log10() * TARGETS_PER_DECADE).ceil() as i64;
            if current < self.exponent {
                self.exponent = current;
                return true;
            }
            false
        } else {
            let verified = if given > -LOG_PRECISION {
                LOG_PRECISION
            } else {
                -given
            };
            let current = (verified.log10() * TARGETS_PER_DECADE).floor() as i64;
            let floor = ((LOG_PRECISION / 10.0).log10() * TARGETS_PER_DECADE).ceil() as i64;
            let adjusted = 2 * floor - current - 1;
            if adjusted < self.exponent {
                self.exponent = adjusted;
                return true;
            }
            false
        }
    }

    fn lin_trigger(&mut self, given: f64) -> bool {
        let reached = round_up_with_precision(given, LIN_PRECISION);
        if reached < self.lin_value {
            self.lin_value = reached;
            return true;
        }
        false
    }
}

fn round_up_with_precision(number: f64, precision: f64) -> f64 {
    let up = (number / precision).ceil() * precision;
    let nearest = (number / precision + 0.5).floor() * precision;
    if (nearest - up).abs() < precision {
        up
    } else if (number - nearest).abs() < 1e-12 {
        nearest
    } else {
        up
    }
}

/// The `.tdat` evaluation triggers.
#[derive(Debug, Clone)]
struct EvaluationTriggers {
    value1: u64,
    exponent1: i32,
    value2: u64,
    exponent2: i32,
    base_index: usize,
    dimension: u64,
}

impl EvaluationTriggers {
    fn new(dimension: usize) -> EvaluationTriggers {
        let dimension = dimension as u64;
        EvaluationTriggers {
            value1: 1,
            exponent1: 0,
            value2: dimension * BASE_EVALUATIONS[0],
            exponent2: 0,
            base_index: 0,
            dimension,
        }
    }

    fn trigger(&mut self, evaluation: u64) -> bool {
        let first = self.first(evaluation);
        let second = self.second(evaluation);
        first || second
    }

    fn first(&mut self, evaluation: u64) -> bool {
        if evaluation < self.value1 {
            return false;
        }
        let at = |e: i32| (10.0_f64.powf(f64::from(e) / EVALUATIONS_PER_DECADE).floor() + 0.5).floor() as u64;
        while at(self.exponent1) <= self.value1 {
            self.exponent1 += 1;
        }
        self.value1 = at(self.exponent1);
        true
    }

    fn second(&mut self, evaluation: u64) -> bool {
        if evaluation < self.value2 {
            return false;
        }
        if self.base_index < BASE_EVALUATIONS.len() - 1 {
            self.base_index += 1;
        } else {
            self.base_index = 0;
            self.exponent2 += 1;
        }
        let v = 10.0_f64.powf(f64::from(self.exponent2))
            * self.dimension as f64
            * BASE_EVALUATIONS[self.base_index] as f64;
        self.value2 = (v + 0.5).floor() as u64;
        true
    }
}

/// One run on one problem, as COCO's logger sees it: the evaluations are fed in order and the
/// lines of the `.dat` and `.tdat` files are built as they trigger (memory stays small however
/// long the run).
#[derive(Debug, Clone)]
pub struct RunLog {
    function: usize,
    dimension: usize,
    instance: u32,
    optimal_value: f64,
    evaluations: u64,
    best_value: f64,
    best_x: Option<Vec<f64>>,
    last_dat: u64,
    last_tdat: u64,
    dat: String,
    tdat: String,
    targets: Targets,
    triggers: EvaluationTriggers,
}

impl RunLog {
    /// An empty log for a run on `problem`.
    pub fn new(problem: &Bbob) -> RunLog {
        RunLog::for_problem(
            problem.function(),
            problem.dimension(),
            problem.instance(),
            problem.optimal_value(),
        )
    }

    /// An empty log for a run on any problem given by its numbers and optimal value (the
    /// value precisions are measured against).
    pub fn for_problem(function: usize, dimension: usize, instance: u32, optimal_value: f64) -> RunLog {
        RunLog {
            function,
            dimension,
            instance,
            optimal_value,
            evaluations: 0,
            best_value: f64::MAX,
            best_x: None,
            last_dat: 0,
            last_tdat: 0,
            dat: String::new(),
            tdat: String::new(),
            targets: Targets::new(),
            triggers: EvaluationTriggers::new(dimension),
        }
    }

    /// Evaluates `x` on `problem`, records it as the next evaluation, and returns the value.
    ///
    /// As in cocoex, a point with a NaN or infinite coordinate (or of the wrong length) is
    /// answered (NaN, +∞) but neither counted nor logged: COCO's checks run before its logger.
    pub fn evaluate(&mut self, problem: &Bbob, x: &[f64]) -> f64 {
        let value = problem.evaluate(x);
        if x.len() != self.dimension || x.iter().any(|v| !v.is_finite()) {
            return value;
        }
        let next = self.evaluations + 1;
        self.push(next, value, Some(x));
        value
    }

    /// Records that evaluation number `evaluation` (counted from 1) returned `value` (NaN and
    /// infinite values are logged as COCO's stand-ins 2e21 and 3e21).
    ///
    /// Numbers must increase; gaps are allowed (a log of improvements only, say) and are read
    /// as evaluations that did not improve. Without the point, the lines carry no coordinates.
    pub fn record(&mut self, evaluation: u64, value: f64) -> Result<(), BbobError> {
        self.check_number(evaluation)?;
        self.push(evaluation, value, None);
        Ok(())
    }

    /// [`RunLog::record`] with the evaluated point, logged for dimensions below 7 as COCO does.
    pub fn record_point(&mut self, evaluation: u64, value: f64, x: &[f64]) -> Result<(), BbobError> {
        self.check_number(evaluation)?;
        if x.len() != self.dimension {
            return Err(BbobError::WrongLength {
                expected: self.dimension,
                got: x.len(),
            });
        }
        self.push(evaluation, value, Some(x));
        Ok(())
    }

    /// Declares that the run used `total` evaluations in all (at least the last recorded one),
    /// for logs that record only some evaluations.
    pub fn set_total_evaluations(&mut self, total: u64) -> Result<(), BbobError> {
        if total < self.evaluations {
            return Err(BbobError::InvalidRecord(format!(
                "total {total} is below the last recorded evaluation {}",
                self.evaluations
            )));
        }
        self.evaluations = total;
        Ok(())
    }

    /// Evaluations so far.
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// The best value so far (`f64::MAX` before any evaluation), clipped below at the optimum.
    pub fn best_value(&self) -> f64 {
        self.best_value
    }

    fn check_number(&self, evaluation: u64) -> Result<(), BbobError> {
        if evaluation <= self.evaluations {
            return Err(BbobError::InvalidRecord(format!(
                "evaluation numbers must increase: {evaluation} after {}",
                self.evaluations
            )));
        }
        Ok(())
    }

    fn push(&mut self, evaluation: u64, value: f64, x: Option<&[f64]>) {
        let first = self.evaluations == 0;
        self.evaluations = evaluation;
        let logged = if value.is_nan() {
            NAN_FOR_LOGGING
        } else if value.is_infinite() {
            INFINITY_FOR_LOGGING
        } else {
            value
        };
        let clipped = if logged >= self.optimal_value {
            logged
        } else {
            self.optimal_value
        };
        if first || clipped < self.best_value {
            self.best_value = clipped;
            self.best_x = x.map(<[f64]>::to_vec);
            if first || self.targets.trigger(self.best_value - self.optimal_value) {
                let line = self.line(evaluation, logged, x);
                self.dat.push_str(&line);
                self.last_dat = evaluation;
            }
        }
        if self.triggers.trigger(evaluation) {
            let line = self.line(evaluation, logged, x);
            self.tdat.push_str(&line);
            self.last_tdat = evaluation;
        }
    }

    fn line(&self, evaluation: u64, current: f64, x: Option<&[f64]>) -> String {
        let mut s = format!(
            "{evaluation} 0 {} {} {}",
            c_exp(self.best_value - self.optimal_value, 9, true),
            c_exp(current, 9, true),
            c_exp(self.best_value, 9, true)
        );
        if let Some(x) = x.filter(|_| self.dimension < MAX_DIM_WITH_X) {
            for v in x {
                let _ = write!(s, " {}", c_exp(*v, 4, true));
            }
        }
        s.push('\n');
        s
    }

    fn header(&self) -> String {
        format!(
            "% f evaluations | g evaluations | best noise-free fitness - Fopt ({}) + sum g_i+ | \
             measured fitness | best measured fitness or single-digit g-values | x1 | x2...\n",
            c_exp(self.optimal_value, 12, false)
        )
    }

    /// The final lines COCO's logger adds when the problem is freed.
    fn closing_line(&self, last_logged: u64) -> Option<String> {
        (self.evaluations != last_logged)
            .then(|| self.line(self.evaluations, self.best_value, self.best_x.as_deref()))
    }
}

/// A folder of COCO data for one algorithm: cocopp's input.
#[derive(Debug)]
pub struct Experiment {
    folder: PathBuf,
    algorithm: String,
    info: String,
    last: Option<(usize, usize, String)>,
}

impl Experiment {
    /// Creates `folder` (and its parents) for the data of `algorithm` (cocopp's name for it,
    /// `algId`) with a one-line description `info`.
    ///
    /// Files already in `folder` are appended to (cocoex would pick a new folder name instead);
    /// a (function, dimension) block whose data file exists already gets new data files with a
    /// `-0001` suffix, as in COCO. Remove the folder first for a fresh experiment.
    pub fn create(folder: impl AsRef<Path>, algorithm: &str, info: &str) -> Result<Experiment, BbobError> {
        let folder = folder.as_ref().to_path_buf();
        fs::create_dir_all(&folder).map_err(|e| io_error(&folder, &e))?;
        Ok(Experiment {
            folder,
            algorithm: algorithm.to_string(),
            info: info.to_string(),
            last: None,
        })
    }

    /// The folder written to.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Appends `run` to the files, as cocoex's observer does when a problem is freed. Runs
    /// of one (function, dimension) written one after the other share an `.info` entry and
    /// data files; a run without evaluations writes nothing (as in COCO).
    pub fn write(&mut self, run: &RunLog) -> Result<(), BbobError> {
        if run.evaluations == 0 {
            return Ok(());
        }
        let f = run.function;
        let dim = run.dimension;
        let data_dir = self.folder.join(format!("data_f{f}"));
        fs::create_dir_all(&data_dir).map_err(|e| io_error(&data_dir, &e))?;
        let info_path = self.folder.join(format!("bbobexp_f{f}.info"));
        let mut info = String::new();
        let relative = match &self.last {
            Some((lf, ld, rel)) if *lf == f && *ld == dim => rel.clone(),
            _ => {
                let base = format!("data_f{f}/bbobexp_f{f}_DIM{dim}");
                let mut rel = base.clone();
                let mut counter = 1;
                while self.folder.join(format!("{rel}.dat")).exists() && counter < 9999 {
                    rel = format!("{base}-{counter:04}");
                    counter += 1;
                }
                if info_path.exists() {
                    info.push('\n');
                }
                let _ = write!(
                    info,
                    "suite = 'bbob', funcId = {f}, DIM = {dim}, Precision = {}, algId = '{}', \
                     coco_version = '{COCO_VERSION}', logger = 'bbob', data_format = '{DATA_FORMAT}', \
                     settings = ''\n% {}\n{rel}.dat",
                    c_exp(1e-8, 3, false),
                    self.algorithm,
                    self.info
                );
                self.last = Some((f, dim, rel.clone()));
                rel
            }
        };
        let _ = write!(
            info,
            ", {}:{}|{}",
            run.instance,
            run.evaluations,
            c_exp(run.best_value - run.optimal_value, 1, false)
        );
        append(&info_path, &info)?;
        let header = run.header();
        let mut dat = header.clone();
        dat.push_str(&run.dat);
        dat.extend(run.closing_line(run.last_dat));
        let mut tdat = header.clone();
        tdat.push_str(&run.tdat);
        tdat.extend(run.closing_line(run.last_tdat));
        for (ext, text) in [
            ("dat", &dat),
            ("tdat", &tdat),
            ("rdat", &header),
            ("mdat", &header),
        ] {
            append(&self.folder.join(format!("{relative}.{ext}")), text)?;
        }
        Ok(())
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> BbobError {
    BbobError::Io(format!("{}: {e}", path.display()))
}

fn append(path: &Path, text: &str) -> Result<(), BbobError> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| io_error(path, &e))?;
    file.write_all(text.as_bytes()).map_err(|e| io_error(path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_c_printf() {
        assert_eq!(c_exp(79.48, 12, false), "7.948000000000e+01");
        assert_eq!(c_exp(-0.00123, 9, true), "-1.230000000e-03");
        assert_eq!(c_exp(0.0, 4, true), "+0.0000e+00");
        assert_eq!(c_exp(1e-8, 3, false), "1.000e-08");
        assert_eq!(c_exp(2.5e100, 1, false), "2.5e+100");
    }

    #[test]
    fn evaluation_triggers_follow_coco() {
        let mut t = EvaluationTriggers::new(2);
        let hits: Vec<u64> = (1..=60).filter(|&e| t.trigger(e)).collect();
        assert_eq!(
            hits,
            vec![
                1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 25, 28, 31, 35, 39, 40, 44, 50,
                56
            ]
        );
    }

    #[test]
    fn logs_non_finite_values_as_coco_stand_ins() {
        let mut run = RunLog::for_problem(1, 2, 1, 0.0);
        run.record(1, f64::NAN).unwrap();
        run.record(2, f64::INFINITY).unwrap();
        assert!(run.dat.contains(" +2.000000000e+21 "), "{}", run.dat);
        assert!(run.tdat.contains(" +3.000000000e+21 "), "{}", run.tdat);
    }

    #[test]
    fn points_with_non_finite_coordinates_are_not_counted() {
        let problem = Bbob::new(1, 2, 1).unwrap();
        let mut run = RunLog::new(&problem);
        assert!(run.evaluate(&problem, &[f64::NAN, 0.0]).is_nan());
        run.evaluate(&problem, &[0.0, 0.0]);
        assert_eq!(run.evaluations(), 1);
    }

    #[test]
    fn rejects_decreasing_evaluation_numbers() {
        let mut run = RunLog::for_problem(1, 2, 1, 0.0);
        run.record(3, 1.0).unwrap();
        assert!(run.record(3, 0.5).is_err());
        assert!(run.set_total_evaluations(2).is_err());
        assert!(run.record_point(4, 0.5, &[0.0]).is_err());
    }
}
