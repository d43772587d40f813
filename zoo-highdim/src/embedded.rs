//! Embedded — random embedding (REMBO-style, one stage) and sequential random embedding
//! (SRE, several stages) around any sampler.
//!
//! Idea: a high-dimensional function whose value depends mostly on a few directions can
//! be optimized through a random low-dimensional subspace. Stage `k` draws a Gaussian
//! `D×d` matrix `A_k` and lets an inner sampler search the low-dimensional point
//! `z = (α, y)`; every proposal is mapped to the original box as
//!
//! ```text
//! x = clip( α·x_prev + A_k·y )        (in coordinates normalised to [-1, 1]^D)
//! ```
//!
//! where `x_prev` is the best point found before the stage began. The first stage has no
//! `x_prev` (it is the centre of the box) and no `α`: it is a plain random embedding.
//! Later stages can keep (`α = 1, y = 0`), scale or leave the previous point, so the
//! stages shrink the gap between the subspace and the optimum that one embedding leaves.
//!
//! Rules this implementation fixes (ZOOpt's `sre_optimization.py` differs, see B13 of
//! the project's specification):
//!
//! - **Inside the box.** Every coordinate is clipped to its interval before the
//!   objective sees it, so the objective is only ever called inside the box, and the
//!   recommended solution is a point that was evaluated, with the value it got. Boxes
//!   other than `[-1, 1]^D` are handled by normalising: `x_i = c_i + h_i·u_i` with the
//!   centre `c_i` and half-width `h_i` of interval `i`.
//! - **Exact budget split.** The stages share the configured budget exactly
//!   ([`EmbeddingConfig::stage_budgets`]); each stage's inner sampler is built for its
//!   own stage budget, so budget-derived sizes (SRACOS's training set) are re-derived.
//!   A stage ends after it has proposed its share; if the run is given more evaluations
//!   than the configured budget, the last stage continues.
//! - **Monotone stages.** `x_prev` is the best point found so far. A stage after the
//!   first is told, free of budget, that `α = 1, y = 0` (the previous point itself) has
//!   the previous point's value, so its inner sampler starts from what the previous
//!   stages found (`carry_previous`, on by default; ZOOpt starts each stage blind).
//! - **Everything else belongs to the run loop.** The wrapper is a plain
//!   [`Sampler`] over the original space: budget, seed, stopping rules, warm starts and
//!   checkpoints come from [`zoo_core::Minimize`]. Warm-start points are kept as
//!   candidates for the best solution (and as `x_prev` of the next stage) but are not
//!   told to an inner sampler, since they have no low-dimensional preimage.
//! - **No per-evaluation copies.** The matrix (`4·D·d` bytes in single precision; 40 MB
//!   for `D = 10⁶`, `d = 10`) is drawn once per stage, from a seed taken from the run's stream, and read
//!   once per proposal in a single pass that writes the output point. It is not
//!   serialised: a saved state keeps the seed and the matrix is drawn again on the first
//!   proposal after a restore, bit for bit identical.
//!
//! A told point is matched to the proposal it came from by a 64-bit fingerprint of its
//! coordinates, so out-of-order tells (parallel runs) reach the right stage and inner
//! point; tells for a stage that has ended only update the best solution.
//!
//! References:
//! - H. Qian, Y.-Q. Hu, Y. Yu. *Derivative-Free Optimization of High-Dimensional
//!   Non-Convex Functions by Sequential Random Embeddings.* IJCAI 2016, pp. 1946–1952.
//! - Z. Wang, F. Hutter, M. Zoghi, D. Matheson, N. de Freitas. *Bayesian Optimization in
//!   a Billion Dimensions via Random Embeddings.* JAIR 55, 2016 (IJCAI 2013).

// Audit (issue #13, clippy::indexing_slicing): stage indices are below the number of
// planned stages, which `budgets`, `summaries` and the stage samplers share; pending
// points name a planned stage; `z` has its stage's `d` or `d + 1` coordinates, and `x`
// the original box's `D`. `Embedded::new` builds these sizes and `check_state` verifies
// them in a restored state.
#![allow(clippy::indexing_slicing)]

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use zoo_core::{Dimension, Evaluated, Kind, Sampler, Space, StateError, ZooRng, ranked};

use crate::config::EmbeddingConfig;
use crate::embedding::Embedding;
use crate::error::EmbeddingError;

/// Proposals asked but never told are forgotten beyond this many, so abandoned asks
/// cannot grow memory without bound.
const MAX_PENDING: usize = 1 << 16;

/// A sampler over a continuous box of any dimension that searches random
/// low-dimensional embeddings with an inner sampler: a random embedding with one stage,
/// a sequential random embedding (SRE) with several.
///
/// The inner sampler of each stage comes from a factory `(low-dimensional space, stage
/// budget) → sampler`, called for every stage when the wrapper is built (so a factory
/// error is reported at once). Stage 0 searches `y ∈ low_bounds^d`; later stages search
/// `(α, y)`, `d + 1` coordinates.
///
/// ```
/// use zoo_core::{Minimize, Space};
/// use zoo_highdim::{Embedded, EmbeddingConfig};
/// use zoo_racos::{SRacos, SRacosConfig};
///
/// // 2,000 variables, only the first 5 matter much.
/// let dim = 2_000;
/// let f = move |x: &[f64]| {
///     let z = |v: f64| (v - 0.2) * (v - 0.2);
///     x[..5].iter().map(|&v| z(v)).sum::<f64>() + x[5..].iter().map(|&v| z(v)).sum::<f64>() / dim as f64
/// };
/// let space = Space::cube(dim, -1.0, 1.0)?;
/// let sampler = Embedded::new(&space, EmbeddingConfig::for_budget(1_000), |low, budget| {
///     SRacos::new(low, SRacosConfig::for_budget(budget))
/// })?;
/// let outcome = Minimize::new(f, sampler).budget(1_000).seed(3).run()?;
/// assert!(outcome.best.x.iter().all(|v| (-1.0..=1.0).contains(v)));
/// assert!(outcome.best.value < 0.3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Embedded<S> {
    bounds: Bounds,
    config: EmbeddingConfig,
    budgets: Vec<u64>,
    /// Inner samplers of the stages not started yet.
    upcoming: VecDeque<S>,
    current: Option<Stage<S>>,
    /// `x_prev` of the current stage, normalised to `[-1, 1]^D`.
    previous: Option<Vec<f64>>,
    pending: VecDeque<Pending>,
    best: Option<Evaluated<Vec<f64>>>,
    summaries: Vec<StageSummary>,
    /// The current stage's matrix; drawn again from the stage seed after a restore.
    #[serde(skip)]
    embedding: Option<Embedding>,
    /// A told point that was not kept, reused for the next proposal: no allocation (and
    /// no page faults on fresh memory) per evaluation.
    #[serde(skip)]
    spare: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stage<S> {
    index: usize,
    asked: u64,
    sampler: S,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    fingerprint: u64,
    stage: usize,
    z: Vec<f64>,
}

/// What one stage did, for inspection ([`Embedded::stages`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageSummary {
    /// Evaluations planned for the stage.
    pub budget: u64,
    /// Points the stage proposed.
    pub asked: u64,
    /// Values received for them.
    pub told: u64,
    /// Best value among them (+∞ before any).
    #[serde(with = "zoo_core::float_serde")]
    pub best: f64,
    /// Seed the stage's matrix was drawn from (`None` before the stage starts).
    pub seed: Option<u64>,
}

/// The original box: one interval for every coordinate, or one per coordinate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Bounds {
    Uniform { dim: usize, lo: f64, hi: f64 },
    PerCoordinate { lo: Vec<f64>, hi: Vec<f64> },
}

impl Bounds {
    fn of(space: &Space) -> Result<Self, EmbeddingError> {
        let mut lo = Vec::with_capacity(space.len());
        let mut hi = Vec::with_capacity(space.len());
        for (index, dim) in space.dims().iter().enumerate() {
            match dim.kind() {
                Kind::Continuous {
                    lo: l,
                    hi: h,
                    decimals: None,
                } => {
                    lo.push(*l);
                    hi.push(*h);
                }
                _ => return Err(EmbeddingError::NotContinuous { index }),
            }
        }
        // Exact comparison on purpose: one interval stored once only if all are identical.
        let same = |v: &[f64]| v.iter().all(|x| x.to_bits() == v[0].to_bits());
        let uniform = same(&lo) && same(&hi);
        Ok(if uniform {
            Bounds::Uniform {
                dim: lo.len(),
                lo: lo[0],
                hi: hi[0],
            }
        } else {
            Bounds::PerCoordinate { lo, hi }
        })
    }

    fn dim(&self) -> usize {
        match self {
            Bounds::Uniform { dim, .. } => *dim,
            Bounds::PerCoordinate { lo, .. } => lo.len(),
        }
    }

    fn interval(&self, i: usize) -> (f64, f64) {
        match self {
            Bounds::Uniform { lo, hi, .. } => (*lo, *hi),
            Bounds::PerCoordinate { lo, hi } => (lo[i], hi[i]),
        }
    }

    /// `x` in coordinates normalised to `[-1, 1]`, clipped, and whether `x` was inside.
    fn normalise(&self, x: &[f64]) -> (Vec<f64>, bool) {
        let mut inside = true;
        let u = x
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let (lo, hi) = self.interval(i);
                inside &= (lo..=hi).contains(&v);
                let h = 0.5 * (hi - lo);
                if h > 0.0 {
                    ((v - 0.5 * (lo + hi)) / h).clamp(-1.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        (u, inside)
    }

    /// Writes the point `clip(c + h·u)` for `u = α·previous + A·y` into `out` (length
    /// `D`) in one pass over the matrix, and returns its fingerprint.
    fn map(&self, a: &Embedding, alpha: f64, previous: Option<&[f64]>, y: &[f64], out: &mut [f64]) -> u64 {
        let mut print = Fingerprint::default();
        match self {
            Bounds::Uniform { lo, hi, .. } => {
                let (lo, hi) = (*lo, *hi);
                let (c, h) = (0.5 * (lo + hi), 0.5 * (hi - lo));
                a.project_with(alpha, previous, y, out, |i, u| {
                    let x = (c + h * u).clamp(lo, hi);
                    print.add(i, x);
                    x
                });
            }
            Bounds::PerCoordinate { lo, hi } => {
                a.project_with(alpha, previous, y, out, |i, u| {
                    let (lo, hi) = (lo[i], hi[i]);
                    let x = (0.5 * (lo + hi) + 0.5 * (hi - lo) * u).clamp(lo, hi);
                    print.add(i, x);
                    x
                });
            }
        }
        print.finish(out.len())
    }
}

/// A 64-bit fingerprint of a point: the wrapping sum of its coordinates' bits, each
/// xored with a key of its position, mixed once at the end. It has no dependency chain
/// but an addition, so it costs little next to the projection; it only has to tell
/// apart the few proposals awaiting their values.
#[derive(Default)]
struct Fingerprint(u64);

impl Fingerprint {
    #[inline(always)]
    fn add(&mut self, i: usize, x: f64) {
        let key = (i as u64).wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = self.0.wrapping_add(x.to_bits() ^ key);
    }

    fn finish(&self, len: usize) -> u64 {
        // SplitMix64's finaliser, so nearby sums give unrelated fingerprints.
        zoo_core::mix64(self.0 ^ (len as u64).wrapping_mul(0x94d0_49bb_1331_11eb))
    }

    fn of(x: &[f64]) -> u64 {
        let mut print = Fingerprint::default();
        for (i, &v) in x.iter().enumerate() {
            print.add(i, v);
        }
        print.finish(x.len())
    }
}

impl<S: Sampler<Solution = Vec<f64>>> Embedded<S> {
    /// An embedding of `space` (continuous intervals without precision) searched with
    /// the samplers `factory(low-dimensional space, stage budget)` builds, one per stage.
    ///
    /// Fails with a typed error on a space that is not a continuous box, on settings
    /// out of range, and when the factory fails for a stage.
    pub fn new<E>(
        space: &Space,
        config: EmbeddingConfig,
        mut factory: impl FnMut(Space, u64) -> Result<S, E>,
    ) -> Result<Self, EmbeddingError<E>> {
        let bounds = Bounds::of(space).map_err(EmbeddingError::lift)?;
        config.validate(space.len()).map_err(EmbeddingError::lift)?;
        let budgets = config.stage_budgets();
        let d = config.low_dimension;
        let (lo, hi) = config.low_bounds;
        let y = Dimension::continuous(lo, hi)?;
        let alpha = Dimension::continuous(config.alpha.0, config.alpha.1)?;
        let mut upcoming = VecDeque::with_capacity(budgets.len());
        for (stage, &budget) in budgets.iter().enumerate() {
            let low = if stage == 0 {
                Space::new(std::iter::repeat_n(y.clone(), d))?
            } else {
                Space::new(std::iter::once(alpha.clone()).chain(std::iter::repeat_n(y.clone(), d)))?
            };
            upcoming
                .push_back(factory(low, budget).map_err(|source| EmbeddingError::Stage { stage, source })?);
        }
        let summaries = budgets
            .iter()
            .map(|&budget| StageSummary {
                budget,
                asked: 0,
                told: 0,
                best: f64::INFINITY,
                seed: None,
            })
            .collect();
        Ok(Embedded {
            bounds,
            config,
            budgets,
            upcoming,
            current: None,
            previous: None,
            pending: VecDeque::new(),
            best: None,
            summaries,
            embedding: None,
            spare: None,
        })
    }
}

impl<S> Embedded<S> {
    /// The settings.
    pub fn config(&self) -> &EmbeddingConfig {
        &self.config
    }

    /// `D`, the dimension of the original space.
    pub fn dim(&self) -> usize {
        self.bounds.dim()
    }

    /// The original box, one `(lo, hi)` per coordinate.
    pub fn original_bounds(&self) -> Vec<(f64, f64)> {
        (0..self.bounds.dim()).map(|i| self.bounds.interval(i)).collect()
    }

    /// Index of the running stage (`None` before the first proposal).
    pub fn stage(&self) -> Option<usize> {
        self.current.as_ref().map(|s| s.index)
    }

    /// The inner sampler of the running stage.
    pub fn inner(&self) -> Option<&S> {
        self.current.as_ref().map(|s| &s.sampler)
    }

    /// One summary per planned stage, in order.
    pub fn stages(&self) -> &[StageSummary] {
        &self.summaries
    }

    /// The running stage's matrix, when it is in memory (it is dropped by
    /// serialisation and drawn again on the next proposal).
    pub fn embedding(&self) -> Option<&Embedding> {
        self.embedding.as_ref()
    }
}

impl<S: Sampler<Solution = Vec<f64>>> Embedded<S> {
    /// Starts the next stage: its seed, its `x_prev`, its matrix. `false` when every
    /// stage has started.
    fn start_next_stage(&mut self, rng: &mut ZooRng) -> bool {
        let Some(mut sampler) = self.upcoming.pop_front() else {
            return false;
        };
        let index = self.current.as_ref().map_or(0, |s| s.index + 1);
        let seed = rng.next_word();
        if index > 0
            && let Some(best) = self.best.as_ref().filter(|b| b.x.len() == self.bounds.dim())
        {
            let (u, inside) = self.bounds.normalise(&best.x);
            let (alo, ahi) = self.config.alpha;
            let (ylo, yhi) = self.config.low_bounds;
            // α = 1, y = 0 maps back to the previous point: its value is known.
            if self.config.carry_previous
                && inside
                && (alo..=ahi).contains(&1.0)
                && (ylo..=yhi).contains(&0.0)
            {
                let mut keep = vec![0.0; self.config.low_dimension + 1];
                keep[0] = 1.0;
                sampler.tell(keep, best.value);
            }
            self.previous = Some(u);
        }
        self.summaries[index].seed = Some(seed);
        sampler.start(self.budgets[index]);
        self.current = Some(Stage {
            index,
            asked: 0,
            sampler,
        });
        // Free the old matrix before drawing the new one: never two in memory.
        self.embedding = None;
        self.draw_matrix();
        true
    }

    fn draw_matrix(&mut self) {
        if let (None, Some(stage)) = (&self.embedding, &self.current) {
            let seed = self.summaries[stage.index]
                .seed
                .expect("a started stage has a seed");
            self.embedding = Some(Embedding::generate(
                self.bounds.dim(),
                self.config.low_dimension,
                self.config.effective_variance(),
                seed,
            ));
        }
    }
}

impl<S: Sampler<Solution = Vec<f64>>> Sampler for Embedded<S> {
    type Solution = Vec<f64>;

    /// Splits the run's budget between the stages (as [`EmbeddingConfig::stage_budgets`]
    /// does), unless a stage has started; each stage's sampler hears its share when the
    /// stage starts. The stage samplers keep the sizes their factory gave them.
    fn start(&mut self, budget: u64) {
        if self.current.is_some() || budget == 0 {
            return;
        }
        let split = EmbeddingConfig {
            budget,
            ..self.config.clone()
        }
        .stage_budgets();
        let stages = split.len().min(self.upcoming.len());
        self.upcoming.truncate(stages);
        self.summaries.truncate(stages);
        self.budgets = split;
        self.budgets.truncate(stages);
        for (summary, &b) in self.summaries.iter_mut().zip(&self.budgets) {
            summary.budget = b;
        }
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        loop {
            let advance = match &self.current {
                None => true,
                Some(s) => s.asked >= self.budgets[s.index] && !self.upcoming.is_empty(),
            };
            if advance && !self.start_next_stage(rng) {
                return None;
            }
            self.draw_matrix();
            let stage = self.current.as_mut().expect("a stage is running");
            let Some(z) = stage.sampler.ask(rng) else {
                if self.upcoming.is_empty() {
                    return None;
                }
                // The inner sampler is exhausted: hand its remaining share on.
                stage.asked = self.budgets[stage.index];
                continue;
            };
            stage.asked += 1;
            self.summaries[stage.index].asked += 1;
            let a = self.embedding.as_ref().expect("the matrix is drawn");
            let mut x = match self.spare.take() {
                Some(x) if x.len() == a.dim() => x,
                _ => vec![0.0; a.dim()],
            };
            let fingerprint = if stage.index == 0 {
                self.bounds.map(a, 0.0, None, &z, &mut x)
            } else {
                self.bounds
                    .map(a, z[0], self.previous.as_deref(), &z[1..], &mut x)
            };
            if self.pending.len() == MAX_PENDING {
                self.pending.pop_front();
            }
            self.pending.push_back(Pending {
                fingerprint,
                stage: stage.index,
                z,
            });
            return Some(x);
        }
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        let value = ranked(value);
        let fingerprint = Fingerprint::of(&x);
        if let Some(at) = self.pending.iter().position(|p| p.fingerprint == fingerprint) {
            let pending = self.pending.remove(at).expect("position is in range");
            let summary = &mut self.summaries[pending.stage];
            summary.told += 1;
            summary.best = summary.best.min(value);
            if let Some(stage) = self.current.as_mut().filter(|s| s.index == pending.stage) {
                stage.sampler.tell(pending.z, value);
            }
        }
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            let old = self.best.replace(Evaluated::new(x, value));
            self.spare = old.map(|b| b.x);
        } else {
            self.spare = Some(x);
        }
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.best.as_ref()
    }

    fn check_state(&self) -> Result<(), StateError> {
        let dim = self.bounds.dim();
        let bounds_ok = dim >= 1
            && (0..dim).all(|i| {
                let (lo, hi) = self.bounds.interval(i);
                lo.is_finite() && hi.is_finite() && lo <= hi
            })
            && match &self.bounds {
                Bounds::Uniform { .. } => true,
                Bounds::PerCoordinate { lo, hi } => lo.len() == hi.len(),
            };
        StateError::ensure(bounds_ok, || "the original box is invalid".to_owned())?;
        self.config
            .validate(dim)
            .map_err(|e| StateError::inconsistent(e.to_string()))?;
        let stages = self.budgets.len();
        let started = self.current.as_ref().map_or(0, |s| s.index + 1);
        StateError::ensure(
            self.summaries.len() == stages && started + self.upcoming.len() == stages,
            || "the stages, their budgets and summaries do not match".to_owned(),
        )?;
        if let Some(stage) = &self.current {
            StateError::ensure(self.summaries[stage.index].seed.is_some(), || {
                "the running stage has no seed".to_owned()
            })?;
        }
        // Each stage's sampler must search the low space of its stage: d coordinates in
        // the first, α and d in the others.
        let d = self.config.low_dimension;
        let (ylo, yhi) = self.config.low_bounds;
        let (alo, ahi) = self.config.alpha;
        let probe = |index: usize| {
            let y = std::iter::repeat_n(0.5 * ylo + 0.5 * yhi, d);
            if index == 0 {
                y.collect::<Vec<f64>>()
            } else {
                std::iter::once(0.5 * alo + 0.5 * ahi).chain(y).collect()
            }
        };
        let samplers = self
            .current
            .iter()
            .map(|s| (s.index, &s.sampler))
            .chain(self.upcoming.iter().enumerate().map(|(i, s)| (started + i, s)));
        for (index, sampler) in samplers {
            sampler.check_state()?;
            sampler.check_point(&probe(index), &format!("a point of stage {index}'s low space"))?;
        }
        if let Some(previous) = &self.previous {
            StateError::ensure(
                previous.len() == dim && previous.iter().all(|v| v.is_finite()),
                || "the previous stage's point is invalid".to_owned(),
            )?;
        }
        StateError::ensure(self.pending.len() <= MAX_PENDING, || {
            "too many pending points".to_owned()
        })?;
        for (i, p) in self.pending.iter().enumerate() {
            let length = if p.stage == 0 { d } else { d + 1 };
            StateError::ensure(p.stage < stages && p.z.len() == length, || {
                format!("pending point {i} does not fit its stage")
            })?;
        }
        zoo_core::check_kept(self, &self.best, "the best solution")
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        let dim = self.bounds.dim();
        let reason = if x.len() != dim {
            format!("it has {} coordinates, the space {dim} dimensions", x.len())
        } else if let Some(i) = (0..dim).find(|&i| {
            let (lo, hi) = self.bounds.interval(i);
            !(x[i] >= lo && x[i] <= hi)
        }) {
            format!("coordinate {i} = {} is outside its bounds", x[i])
        } else {
            return Ok(());
        };
        Err(StateError::Point {
            what: what.to_owned(),
            reason,
        })
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use zoo_core::ConfigError;
    use zoo_core::{Minimize, RandomSearch};

    fn random_factory(low: Space, _budget: u64) -> Result<RandomSearch, ConfigError> {
        Ok(RandomSearch::new(low))
    }

    #[test]
    fn rejects_spaces_that_are_not_continuous_boxes() {
        let config = EmbeddingConfig {
            low_dimension: 1,
            ..EmbeddingConfig::for_budget(10)
        };
        let mixed = Space::new([
            Dimension::continuous(0.0, 1.0).unwrap(),
            Dimension::integer(0, 3).unwrap(),
        ])
        .unwrap();
        let rounded = Space::new([Dimension::continuous_with_precision(0.0, 1.0, 0.1).unwrap()]).unwrap();
        assert_eq!(
            Embedded::new(&mixed, config.clone(), random_factory).unwrap_err(),
            EmbeddingError::NotContinuous { index: 1 }
        );
        assert_eq!(
            Embedded::new(&rounded, config, random_factory).unwrap_err(),
            EmbeddingError::NotContinuous { index: 0 }
        );
    }

    #[test]
    fn reports_which_stage_the_factory_rejected() {
        let space = Space::cube(20, -1.0, 1.0).unwrap();
        let err = Embedded::new(&space, EmbeddingConfig::for_budget(100), |low, b| {
            if low.len() == 11 && b == 20 {
                Err(ConfigError::OutOfRange {
                    name: "test",
                    value: "x".into(),
                    expected: "y",
                })
            } else {
                random_factory(low, b)
            }
        })
        .unwrap_err();
        assert!(matches!(err, EmbeddingError::Stage { stage: 1, .. }), "{err}");
    }

    #[test]
    fn builds_each_stage_for_its_own_budget_and_space() {
        let space = Space::cube(50, -1.0, 1.0).unwrap();
        let mut seen = Vec::new();
        let config = EmbeddingConfig {
            low_dimension: 4,
            ..EmbeddingConfig::for_budget(1_003)
        };
        Embedded::new(&space, config, |low, budget| {
            seen.push((low.len(), budget));
            random_factory(low, budget)
        })
        .unwrap();
        assert_eq!(seen, vec![(4, 201), (5, 201), (5, 201), (5, 200), (5, 200)]);
    }

    #[test]
    fn proposes_points_inside_uneven_boxes() {
        let space = Space::new(
            (0..40).map(|i| Dimension::continuous(i as f64, i as f64 + 0.5 + i as f64 * 0.1).unwrap()),
        )
        .unwrap();
        let config = EmbeddingConfig {
            low_dimension: 3,
            variance: Some(5.0),
            ..EmbeddingConfig::for_budget(300)
        };
        let sampler = Embedded::new(&space, config, random_factory).unwrap();
        let clipped = std::cell::Cell::new(0);
        let objective = |x: &[f64]| {
            assert!(space.contains(x), "outside the box: {x:?}");
            clipped.set(clipped.get() + x.iter().enumerate().filter(|(i, v)| **v == *i as f64).count());
            x.iter().sum::<f64>()
        };
        let outcome = Minimize::new(objective, sampler)
            .budget(300)
            .seed(4)
            .run()
            .unwrap();
        assert!(space.contains(&outcome.best.x));
        assert!(clipped.get() > 0, "a wide matrix should reach the lower bounds");
    }

    #[test]
    fn stages_follow_the_split_and_keep_improving() {
        let dim = 200;
        let space = Space::cube(dim, -1.0, 1.0).unwrap();
        let config = EmbeddingConfig {
            low_dimension: 4,
            ..EmbeddingConfig::for_budget(1_002)
        };
        let sampler = Embedded::new(&space, config, random_factory).unwrap();
        let f = |x: &[f64]| x.iter().map(|v| (v - 0.2) * (v - 0.2)).sum::<f64>();
        let mut run = Minimize::new(f, sampler).budget(1_002).seed(9);
        run.advance(1_002).unwrap();
        let sampler = &run.ledger().sampler();
        let stages = sampler.stages();
        assert_eq!(
            stages.iter().map(|s| s.asked).collect::<Vec<_>>(),
            vec![201, 201, 200, 200, 200]
        );
        assert!(stages.iter().all(|s| s.told == s.asked && s.seed.is_some()));
        assert_eq!(sampler.stage(), Some(4));
        assert_eq!(
            sampler.best().unwrap().value,
            stages.iter().map(|s| s.best).fold(f64::INFINITY, f64::min)
        );
        assert!(sampler.pending.is_empty());
    }

    #[test]
    fn the_last_stage_continues_past_the_planned_budget() {
        let space = Space::cube(30, -1.0, 1.0).unwrap();
        let config = EmbeddingConfig {
            low_dimension: 2,
            ..EmbeddingConfig::for_budget(50)
        };
        let sampler = Embedded::new(&space, config, random_factory).unwrap();
        let outcome = Minimize::new(|x: &[f64]| x[0], sampler)
            .budget(80)
            .seed(1)
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, 80);
    }

    #[test]
    fn out_of_order_tells_reach_their_proposals() {
        let space = Space::cube(100, -1.0, 1.0).unwrap();
        let config = EmbeddingConfig {
            low_dimension: 3,
            ..EmbeddingConfig::for_budget(20)
        };
        let mut sampler = Embedded::new(&space, config, random_factory).unwrap();
        let mut rng = ZooRng::seed_from(2);
        let points: Vec<Vec<f64>> = (0..4).map(|_| sampler.ask(&mut rng).unwrap()).collect();
        assert_eq!(sampler.pending.len(), 4);
        for (k, x) in points.into_iter().enumerate().rev() {
            sampler.tell(x, k as f64);
        }
        assert!(sampler.pending.is_empty());
        assert_eq!(sampler.stages()[0].told, 4);
        assert_eq!(sampler.best().unwrap().value, 0.0);
        // An unsolicited point is a candidate, but reaches no inner sampler.
        sampler.tell(vec![0.0; 100], -1.0);
        assert_eq!(sampler.stages()[0].told, 4);
        assert_eq!(sampler.best().unwrap().value, -1.0);
    }

    #[test]
    fn later_stages_start_from_the_best_point() {
        let space = Space::cube(50, -1.0, 1.0).unwrap();
        for carry in [true, false] {
            let config = EmbeddingConfig {
                low_dimension: 3,
                carry_previous: carry,
                ..EmbeddingConfig::for_budget(10)
            };
            let mut sampler = Embedded::new(&space, config, random_factory).unwrap();
            let mut rng = ZooRng::seed_from(1);
            for _ in 0..2 {
                let x = sampler.ask(&mut rng).unwrap();
                let v = x.iter().sum();
                sampler.tell(x, v);
            }
            let best = sampler.best().unwrap().clone();
            sampler.ask(&mut rng).unwrap();
            assert_eq!(sampler.stage(), Some(1));
            let told = sampler.inner().unwrap().best().map(|b| (b.x.clone(), b.value));
            assert_eq!(told, carry.then(|| (vec![1.0, 0.0, 0.0, 0.0], best.value)));
            // α = 1, y = 0 maps back onto the best point, bit for bit on [-1, 1].
            let mut x = vec![0.0; 50];
            let a = sampler.embedding.as_ref().unwrap();
            sampler
                .bounds
                .map(a, 1.0, sampler.previous.as_deref(), &[0.0; 3], &mut x);
            assert_eq!(x, best.x);
        }
    }

    #[test]
    fn fingerprints_tell_points_apart() {
        let a = vec![0.1, 0.2, 0.3];
        assert_eq!(Fingerprint::of(&a), Fingerprint::of(&a.clone()));
        assert_ne!(Fingerprint::of(&a), Fingerprint::of(&[0.2, 0.1, 0.3]));
        assert_ne!(Fingerprint::of(&a), Fingerprint::of(&[0.1, 0.2, 0.3, 0.0]));
        assert_ne!(Fingerprint::of(&[0.0]), Fingerprint::of(&[-0.0]));
    }
}
