//! `Auto` — one default sampler that chooses and combines zoo's samplers.
//!
//! No single method wins everywhere: SRACOS is the strongest on separable multimodal
//! landscapes and on discrete spaces, CMA-ES by orders of magnitude on smooth, rotated and
//! ill-conditioned ones, a sequential random embedding in very high dimensions, value
//! suppression under noise. `Auto` decides from what it can see before the run — the
//! space, its dimension, the budget (told by the run through [`Sampler::start`]) and
//! declared noise — and from what it observes during the run:
//!
//! - **Declared noise** (or noise the probe below finds): CMA-ES alone (IPOP restarts)
//!   with twice its default population:
//!   recombining many points averages the noise, and on noisy Ackley it beats SRACOS with
//!   value suppression or re-sampling by a wide margin. A run whose step size has shrunk
//!   1,000 times is converging through the noise (noise that vanishes near the optimum) and
//!   goes on with the default population ([`Decision::NoisyFocused`]). The last 1 % of the
//!   budget evaluates the distribution's mean and the point with the lowest value told
//!   again, in turn, and recommends the one with the lower average of those fresh values
//!   ([`Decision::NoisyFinal`]): the lowest value told is mostly the luckiest draw.
//! - **Very high dimension** (a continuous box of more than
//!   [`AutoConfig::embed_above`] coordinates): SRACOS in a sequential random embedding.
//! - **A separability probe** (budgets of 200 or more): the first 8 points SRACOS
//!   evaluates are taken in pairs `a`, `b`, and each pair's two coordinate swaps
//!   `(a_S, b_rest)`, `(b_S, a_rest)` over a random half `S` of the coordinates are
//!   evaluated (8 evaluations), and the first of the 8 of finite value once more. Two
//!   values for one point:
//!   **undeclared noise**, and `Auto` continues as under declared noise, from the best
//!   point so far (P5, noisy Ackley-100: 0.281 undeclared, 0.259 declared). A sum of
//!   one-coordinate functions satisfies `f(a_S, b_rest) + f(b_S, a_rest) = f(a) + f(b)`
//!   exactly; the largest relative defect of that identity is below 1e-14 on separable
//!   problems and 8e-3 or more on coupled ones (rotated, Rosenbrock-like, Ackley, BBOB
//!   f6–f24) but Griewank, whose product of cosines is small at random points (1e-7 to
//!   2e-3 in 10 and 20 dimensions). When the values do not add up, their transformations
//!   `exp f`, `f²`, `ln f` and `√f` are tried ([`AdditiveScale`]): the
//!   logarithm of a separable loss or the root of a sum of squares is separable on the
//!   scale that undoes it. **Not separable** (defect above [`SEPARABLE_DEFECT`] on every
//!   scale; or no informative pair, a probed value infinite and some value finite: an
//!   infeasible region, which couples the coordinates unless it is a box, and the probe
//!   cannot tell): CMA-ES alone from the best point so far, IPOP restarts at random points —
//!   SRACOS's axis-aligned regions do not pay off there — except on a space of labels
//!   (unordered integers, categorical values) at least half of which have 4 values or more,
//!   where CMA-ES would read an order into them that means nothing: the portfolio
//!   continues ([`Decision::CoupledLabels`]) — and except at budgets too small for
//!   CMA-ES alone (below 20 evaluations per coordinate on a continuous box, below 30 per
//!   coordinate CMA-ES learns with discrete ones, a one-hot label counting one per value),
//!   where SRACOS takes the first half of the budget and CMA-ES, from SRACOS's best, the
//!   second ([`Decision::SracosAlone`]): CMA-ES alone would spend most of such a budget
//!   learning its model — and except on a continuous box of 2 coordinates with 500
//!   evaluations per coordinate or more, where **differential evolution** (zoo-de, its
//!   default schedule) takes the rest of the budget ([`Decision::Evolution`]): in the
//!   plane its population finds the basins CMA-ES's restarts miss (BBOB's Schwefel,
//!   rotated Rastrigin, Griewank-Rosenbrock). **Weakly coupled** (separable on no scale,
//!   but a defect of at most [`WEAK_COUPLING`] on the values or on one of the transformed
//!   scales: a separable function plus a small coupled term): where the budget holds
//!   them, the coordinate profiles below are taken; one local minimum along every
//!   profile, the plan for a coupled problem;
//!   several, the scan and line searches of a separable one, and then CMA-ES alone with
//!   its default covariance from their best point — a coupling of a millionth over
//!   Rastrigin, Styblinski–Tang or Schwefel 2.26 left CMA-ES alone in local minima up to
//!   several thousand above the optimum. **Separable**: at budgets of 400 or more where
//!   the portfolio races (from 30 evaluations per coordinate; below, no
//!   line search fits and SRACOS goes on to its polish), three **coordinate profiles** (48 evaluations) move one coordinate of
//!   the best probed point through 16 positions of its range; a separable function is
//!   unimodal exactly when it is unimodal along every coordinate, so one local minimum
//!   along every profile sends `Auto` to **line searches along the coordinates**: sweeps
//!   of Brent's method, one bounded line search per coordinate, which minimize a sum of
//!   unimodal one-coordinate functions to rounding in a few evaluations per coordinate,
//!   whatever the conditioning (a sphere-100 to 4e-28 in 10,000 evaluations, where CMA-ES
//!   reaches 3.6e-9); when a sweep gains nothing, or more than half as much as the one before
//!   (coupled coordinates), CMA-ES alone with a diagonal covariance continues from the
//!   best point. Budgets below two sweeps of 20 evaluations per coordinate go to that
//!   CMA-ES directly, as do spaces with unordered coordinates among ordered ones where no
//!   sweep of the labels fits (below). A space of
//!   coordinates of finitely many values, some of them labels (bits, unordered integers, categorical
//!   values), takes **value sweeps** instead, without profiles, where the rest of the
//!   budget holds two: every other value of each coordinate from the best point, then
//!   the point with every coordinate at its lowest value — a separable function's
//!   optimum after one sweep — while sweeps gain, then the plan for a coupled problem
//!   from the best point ([`Decision::ValueSweeps`]); a space of bits takes them whatever
//!   the verdict (with an informative pair of the probe and no noise), as a local search
//!   that changes one bit at a time before the plan for a coupled problem. Where two such sweeps do not fit (or
//!   some coordinate is continuous) and some coordinates are ordered, the profiles of the
//!   ordered coordinates come first, then one sweep of the labels alone, then the line
//!   searches below along the ordered coordinates. Several local minima along
//!   a profile: the first sweep **scans** each coordinate through 64 evenly spaced
//!   positions and runs line searches from the 3 lowest valleys of the scan — the global
//!   minimum of a separable function is every one-coordinate function's global minimum
//!   (Rastrigin-20 to 0 in 5,000 evaluations, where SRACOS reaches 2.6) — when the
//!   budget allows 144 evaluations per coordinate; smaller scans (32 positions and 2
//!   valleys, 24 and 2) from 92 and 84; below that SRACOS alone, the strongest method on
//!   separable multimodal problems, without the race, polished by CMA-ES at the end.
//!   When the scanning sweep's line searches end, a **zoom** ([`Decision::Zoomed`]) scans
//!   an eighth of each coordinate's range around the best point at 128 positions, sixteen
//!   times the density of the 64-position scan, and searches from its 3 lowest valleys:
//!   where the first scan fell less than two positions to a period, its lowest valley was
//!   one of those a position's neighbours bracket. It takes 208 evaluations per coordinate:
//!   every coordinate when the rest of the budget holds them all, otherwise as many as it
//!   holds of those the first scan resolved poorly (first those whose line search saw
//!   several valleys in its bracket, then those whose scan found a local minimum for every
//!   4 positions or fewer; each group the most scan minima first). Line searches without a
//!   scan that see a coordinate's values fall, rise and fall again (profiles that saw only
//!   a steep envelope) are followed by a scanning sweep, and so by the zoom, where the
//!   budget holds them.
//!   The portfolio's CMA-ES lines learn a diagonal covariance
//!   (sep-CMA-ES) on separable problems, the right shape for a Hessian that is diagonal
//!   everywhere. No evidence (all values equal or infinite): the portfolio as on a
//!   separable problem, with the default covariance.
//! - **Otherwise, a portfolio in phases.** *Explore*: SRACOS alone for the first
//!   [`AutoConfig::explore`] of the budget. *Race*: CMA-ES (IPOP restarts) starts from
//!   SRACOS's best, with a step size set by the spread of the best points SRACOS found,
//!   and the two lines share the next [`AutoConfig::race`] of the budget (CMA-ES's part:
//!   [`AutoConfig::race_split`]; at small budgets the race grows until CMA-ES gets 20
//!   generations, to at most 30 % of the budget). *Exploit*: CMA-ES gets the rest of the
//!   budget when it found the lower value during the race and was still converging at its
//!   end, or improved on the race's starting value by more than 1.5 times as much as
//!   SRACOS; otherwise SRACOS does (CMA-ES then sits in a local optimum no better than
//!   where SRACOS is heading — separable multimodal landscapes). *Polish*: a winning
//!   SRACOS hands the last [`AutoConfig::polish`] of the budget to a CMA-ES started from
//!   its best (SRACOS finds the basin, CMA-ES descends it faster than SRACOS's boxes
//!   shrink). *Go global*: a winning CMA-ES line that stops — by its own tests, or by not
//!   improving for `max(20 λ, budget / 20)` evaluations — is replaced by CMA-ES over the
//!   whole box with IPOP restarts and twice the population, as a local line around one
//!   point would only find the same local optimum again. *Below 30 evaluations per
//!   coordinate* there is no race (a few generations of CMA-ES tell nothing): SRACOS
//!   explores until CMA-ES polishes its best for the last 30 % of the budget — unless a
//!   label has more than [`AUTO_ONE_HOT_UP_TO`] values, which CMA-ES encodes by rank:
//!   whether that order means something only the race can tell.
//!
//! On spaces of [`ELITIST_MIN_DIMENSION`] or more coordinates every CMA-ES line finishes
//! its runs with a (1+1)-ES in the covariance's learnt shape
//! ([`CmaEsConfig::elitist_finish`]), which descends a basin about twice as fast per
//! evaluation once the covariance has settled.
//!
//! Every choice is recorded ([`Auto::decisions`]), so a run's outcome says what it did.
//!
//! References: the idea of choosing by space, budget, dimension and noise is nevergrad's
//! NGOpt (Meunier et al., "Black-box optimization revisited: improving algorithm
//! selection wizards through massive benchmarking", IEEE TEVC 2022); chaining a global
//! explorer into CMA-ES refinement, and racing lines for a share of one budget, follow the
//! sequential-portfolio results on COCO's archive (arXiv:2601.16896). SRACOS: Hu, Qian &
//! Yu, AAAI 2017; CMA-ES: Hansen, arXiv:1604.00772; sequential random embedding: Qian, Hu & Yu, IJCAI 2016.

use serde::{Deserialize, Serialize};
use zoo_cmaes::{AUTO_ONE_HOT_UP_TO, Boundary, CmaEs, CmaEsConfig, Covariance, RestartMean};
use zoo_core::{ConfigError, Dimension, Evaluated, Kind, Sampler, Space, ZooRng, ranked};
use zoo_de::{DeConfig, DifferentialEvolution};
use zoo_highdim::{Embedded, EmbeddingConfig};
use zoo_racos::{SRacos, SRacosConfig};

use crate::coordinate::{CoordinateSearch, SCANS, ScanSize, ZOOM, ZOOM_WIDTH};
use crate::enumeration::{ValueSweeps, label_sweep_cost, sweep_cost};
use crate::noisy::NoisyLine;
use crate::scale::AdditiveScale;

/// Dimension from which the CMA-ES lines finish their runs with a (1+1)-ES in the learnt
/// covariance's shape ([`CmaEsConfig::elitist_finish`]). Measured, medians of seeds 1–10:
/// at 50 and 100 coordinates it gained on ZOOpt's Ackley-100 at 10,000 evaluations (2.7e-5
/// → 6.8e-7), Ackley-50 at 5,000 (5.4e-5 → 4.3e-6), rotated Ackley-50, Griewank-50 and
/// ellipsoid-50 at 10,000, and changed rotated Rastrigin-50 and Rosenbrock-50 by under 1 %;
/// at 20 coordinates it lost on rotated Griewank (1e-11 → 0.017: the elitist descends
/// into one of the ripples a population smooths over) and Rosenbrock. BBOB's Weierstrass
/// and Schaffers functions (f16–f18) lost up to 2× in 40 to 100 dimensions until the
/// finish tested for ripples along lines before it takes over (now 0.98× to 1.18×).
pub const ELITIST_MIN_DIMENSION: usize = 50;

/// The settings of [`Auto`].
///
/// | name | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `noisy` | `false` | the objective is noisy: run CMA-ES alone, with twice its default population | `true`, `false` |
/// | `explore` | `0.1` | share of the budget SRACOS explores alone | `[0, 1]` |
/// | `race` | `0.1` | share of the budget the SRACOS and CMA-ES lines race for (raised, to at most 0.3, until CMA-ES gets 20 generations) | `[0, 1 − explore]` |
/// | `race_split` | `0.5` | CMA-ES's part of the race's evaluations | `(0, 1)` |
/// | `polish` | `0.1` | share of the budget, at its end, in which CMA-ES polishes the best of a winning SRACOS (without a race, below 30 evaluations per coordinate: 0.3; SRACOS first on a coupled problem too small for CMA-ES alone: 0.5) | `[0, 1]` |
/// | `refine_sigma` | `1.0` | CMA-ES's initial step size from SRACOS's best, as a multiple of the spread of the best points SRACOS found (per coordinate, as a fraction of the box width; at most 0.3) | `(0, 10]` |
/// | `embed_above` | `1000` | continuous boxes with more coordinates (and more than the embedding's 10) are searched through a sequential random embedding | `≥ 1` |
/// | `default_budget` | `10_000` | the budget assumed when no run tells one (ask/tell use without a ledger) | `≥ 1` |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoConfig {
    /// The objective is noisy.
    pub noisy: bool,
    /// Share of the budget for SRACOS alone.
    pub explore: f64,
    /// Share of the budget raced between the two lines.
    pub race: f64,
    /// CMA-ES's step size when it starts from SRACOS's best, relative to the spread of
    /// SRACOS's best points.
    pub refine_sigma: f64,
    /// CMA-ES's share of the race's evaluations.
    pub race_split: f64,
    /// Share of the budget, at its end, in which CMA-ES polishes SRACOS's best when
    /// SRACOS won the race.
    pub polish: f64,
    /// Dimension above which a continuous box is embedded.
    pub embed_above: usize,
    /// Budget assumed without [`Sampler::start`].
    pub default_budget: u64,
}

impl Default for AutoConfig {
    fn default() -> Self {
        AutoConfig {
            noisy: false,
            explore: 0.1,
            race: 0.1,
            refine_sigma: 1.0,
            race_split: 0.5,
            polish: 0.1,
            embed_above: 1000,
            default_budget: 10_000,
        }
    }
}

impl AutoConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |name: &'static str, value: f64, expected: &'static str| ConfigError::OutOfRange {
            name,
            value: value.to_string(),
            expected,
        };
        if !(0.0..=1.0).contains(&self.explore) {
            return Err(bad("explore", self.explore, "in [0, 1]"));
        }
        if !(0.0..=1.0 - self.explore).contains(&self.race) {
            return Err(bad("race", self.race, "in [0, 1 - explore]"));
        }
        if !(self.refine_sigma > 0.0 && self.refine_sigma <= 10.0) {
            return Err(bad("refine_sigma", self.refine_sigma, "in (0, 10]"));
        }
        if !(self.race_split > 0.0 && self.race_split < 1.0) {
            return Err(bad("race_split", self.race_split, "in (0, 1)"));
        }
        if !(0.0..=1.0).contains(&self.polish) {
            return Err(bad("polish", self.polish, "in [0, 1]"));
        }
        if self.embed_above == 0 {
            return Err(bad("embed_above", 0.0, "at least 1"));
        }
        if self.default_budget == 0 {
            return Err(bad("default_budget", 0.0, "at least 1"));
        }
        Ok(())
    }
}

/// One of the two lines of the portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// SRACOS.
    Sracos,
    /// CMA-ES with IPOP restarts.
    CmaEs,
}

/// What [`Auto`] decided, and when (in points handed out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Decision {
    /// CMA-ES alone with twice its default population, because noise was declared or the
    /// separability probe found the objective noisy.
    Noisy,
    /// Under noise, a CMA-ES run shrank its step size 1,000 times: it goes on
    /// with the default population.
    NoisyFocused {
        /// Points handed out so far.
        at: u64,
        /// The population it goes on with.
        population: usize,
    },
    /// Under noise, the last evaluations compare the CMA-ES mean with the point of the
    /// lowest value told, on fresh values; the lower average is the recommendation.
    NoisyFinal {
        /// Points handed out so far.
        at: u64,
    },
    /// SRACOS in a sequential random embedding, because the box has this many coordinates.
    Embedding {
        /// Coordinates of the box.
        dimension: usize,
    },
    /// The SRACOS → CMA-ES portfolio, with these phase lengths (in evaluations); no race
    /// (`race` 0, SRACOS alone until the polish) below 30 evaluations per coordinate.
    Portfolio {
        /// Evaluations SRACOS explores alone.
        explore: u64,
        /// Evaluations of the race.
        race: u64,
    },
    /// CMA-ES started from SRACOS's best.
    RaceStarted {
        /// Points handed out so far.
        at: u64,
        /// The best value at the start of the race.
        #[serde(with = "zoo_core::float_serde")]
        from: f64,
    },
    /// The race ended: `winner` gets the rest of the budget.
    RaceWon {
        /// Points handed out so far.
        at: u64,
        /// The line with the lower best value during the race.
        winner: Line,
        /// SRACOS's best value during the race.
        #[serde(with = "zoo_core::float_serde")]
        sracos: f64,
        /// CMA-ES's best value during the race.
        #[serde(with = "zoo_core::float_serde")]
        cmaes: f64,
        /// CMA-ES's best value two thirds into its share of the race (how much it was
        /// still improving at the end).
        #[serde(with = "zoo_core::float_serde")]
        cmaes_checkpoint: f64,
    },
    /// The CMA-ES line started from SRACOS's best stopped by its own tests while
    /// exploiting: CMA-ES with IPOP restarts and a doubled population searches the whole
    /// box for the rest of the budget.
    GlobalRestart {
        /// Points handed out so far.
        at: u64,
        /// Population of the new run.
        population: usize,
    },
    /// SRACOS won the race and the end of the budget is near: CMA-ES starts from
    /// SRACOS's best, with a step size set by the spread of SRACOS's best points, and
    /// spends the rest of the budget.
    Polish {
        /// Points handed out so far.
        at: u64,
        /// SRACOS's best value when the polish started.
        #[serde(with = "zoo_core::float_serde")]
        from: f64,
    },
    /// The separability probe ended: `defect` is the largest relative defect of
    /// additivity over its swapped pairs (0 for a sum of one-coordinate functions);
    /// above [`SEPARABLE_DEFECT`] on the values and on every transformation of them
    /// ([`AdditiveScale`]) the problem is not separable and CMA-ES runs alone
    /// (on bits after the value sweeps: [`Decision::ValueSweeps`];
    /// on a space of many-valued labels, the portfolio goes on: [`Decision::CoupledLabels`];
    /// in the plane with a large budget, differential evolution runs: [`Decision::Evolution`];
    /// up to [`WEAK_COUPLING`] on the values or on a transformed scale, the profiles may
    /// first send it to the line searches: `weakly_coupled`).
    Probed {
        /// Points handed out so far.
        at: u64,
        /// The largest relative defect of the values themselves (NaN when no pair was
        /// informative).
        #[serde(with = "zoo_core::float_serde")]
        defect: f64,
        /// Whether the problem counts as separable (or there was no evidence either
        /// way: no pair informative, with every value equal, or with infinite values and
        /// none finite yet; with infinite values and a finite value known, the problem
        /// counts as coupled); when not, CMA-ES runs alone but on many-valued labels
        /// ([`Decision::CoupledLabels`]), in the plane with a large budget
        /// ([`Decision::Evolution`]) and after profiles of a weakly coupled problem that
        /// saw several minima.
        separable: bool,
        /// Whether a point evaluated twice gave two values (relative difference above
        /// 1e-9): the objective is noisy, and `Auto` continues as under declared noise.
        noisy: bool,
        /// On a separable verdict, the scale on which the values add up: the values
        /// themselves (`defect` at most [`SEPARABLE_DEFECT`]), or an increasing
        /// transformation of them, such as the exponential of a logarithm of a sum, on
        /// which the defect is that small; on a weakly coupled one, the scale on which
        /// they nearly do; [`AdditiveScale::Values`] otherwise.
        #[serde(default)]
        scale: AdditiveScale,
        /// Not separable on any scale, but the values, or their transformation `scale`,
        /// miss additivity by at most [`WEAK_COUPLING`]: a separable function with a small
        /// coupled term (behind that transformation). Where the budget holds them, the
        /// coordinate profiles decide: several minima along a coordinate, the scanning
        /// line searches (and zoom) of a separable problem, then CMA-ES alone with its
        /// default covariance from their best point; one, the plan for a coupled problem.
        #[serde(default)]
        weakly_coupled: bool,
    },
    /// The coordinate profiles after a separable (or weakly coupled) verdict ended: along
    /// every profiled coordinate the function has at most `valleys` local minima.
    /// Unimodal (one): line searches along the coordinates, then CMA-ES alone with a
    /// diagonal covariance (weakly coupled: the plan for a coupled problem); several: a
    /// scan of each coordinate, then line searches from its lowest valleys (or the
    /// portfolio, when the budget is too small for a scan). On a space with labels, one
    /// sweep of the labels comes first where the budget holds it and the line searches
    /// ([`Decision::ValueSweeps`] with `labels_only`).
    Profiled {
        /// Points handed out so far.
        at: u64,
        /// Coordinates profiled.
        coordinates: usize,
        /// The most local minima seen along one of them.
        valleys: usize,
    },
    /// A separable problem (or a weakly coupled one with several minima along a profile):
    /// sweeps of line searches along the ordered coordinates (Brent's method), from the
    /// best point so far.
    LineSearches {
        /// Points handed out so far.
        at: u64,
        /// The first sweep scans each coordinate's range and searches from the lowest
        /// valleys (several minima along a profile).
        scanning: bool,
    },
    /// The line searches ended — a sweep gained nothing, or more than half as much as
    /// the one before (coupled coordinates) — and CMA-ES alone continues from the best
    /// point, with a diagonal covariance on a separable problem.
    LineSearchesEnded {
        /// Points handed out so far.
        at: u64,
        /// Sweeps completed.
        sweeps: u32,
        /// A sweep's combined point broke the sum of the coordinates' gains: the problem
        /// is not separable after all (a coupling the probe's swaps missed), and CMA-ES
        /// continues with its default covariance rather than a diagonal one.
        #[serde(default)]
        coupled: bool,
        /// The best value of the completed sweeps.
        #[serde(with = "zoo_core::float_serde")]
        value: f64,
    },
    /// A separable problem over coordinates of finitely many values (integers, decimal
    /// grids, labels), some of them labels (unordered integers, categorical values, bits),
    /// where line searches have no order to follow, or a problem over bits of any verdict
    /// with an informative pair and no noise (the sweeps are then a local search that
    /// changes one bit at a time, and the plan for a coupled problem follows), and
    /// the rest of the budget holds two sweeps of at most 100,000 evaluations each: sweeps that evaluate every other value of each coordinate from the best
    /// point so far, each ended by the point with every coordinate at its lowest value (one
    /// sweep finds the optimum of a separable function; where one coordinate alone gains,
    /// that move's point, not evaluated again), while they gain.
    ValueSweeps {
        /// Points handed out so far.
        at: u64,
        /// One sweep of the labels only, after the coordinate profiles, where the rest of
        /// the budget does not hold two sweeps of every coordinate (or some coordinate is
        /// continuous) but holds one of the labels and the line searches along the
        /// ordered coordinates that follow it ([`Decision::LineSearches`]; scanning where
        /// a profile saw several minima).
        #[serde(default)]
        labels_only: bool,
    },
    /// The value sweeps ended — a sweep found no change of one coordinate that gains, or
    /// the one sweep of the labels ended — and the plan for a coupled problem continues
    /// from the best point (it cannot improve on a separable problem's optimum, and
    /// searches on where the probe missed a coupling); after a sweep of the labels alone,
    /// the line searches along the ordered coordinates.
    ValueSweepsEnded {
        /// Points handed out so far.
        at: u64,
        /// Sweeps completed.
        sweeps: u32,
        /// The best value of the completed sweeps.
        #[serde(with = "zoo_core::float_serde")]
        value: f64,
    },
    /// The scanning sweep's line searches ended without finding coupling: one more scanning
    /// sweep, over an eighth of each coordinate's range around the best point at sixteen
    /// times the density of the 64-position scan, and line searches from its lowest
    /// valleys (of every coordinate, or of those the first scan resolved worst when the
    /// budget holds fewer); CMA-ES alone follows as after [`Decision::LineSearchesEnded`].
    Zoomed {
        /// Points handed out so far.
        at: u64,
        /// Coordinates zoomed: all, or when the rest of the budget holds fewer, those the
        /// first scan resolved worst — first those whose line search saw several valleys
        /// within its bracket, then those whose scan found a local minimum for every 4
        /// positions or fewer, the most minima first (0 in records written before this
        /// field: all).
        #[serde(default)]
        coordinates: usize,
    },
    /// Differential evolution for the rest of the budget ([`zoo_de`], its default
    /// schedule), from SRACOS's best point among its members: on a coupled problem over a
    /// continuous box (no precision) of [`EVOLUTION_DIMENSIONS`] coordinates, a budget told
    /// by the run ([`Sampler::start`]) and at least
    /// [`EVOLUTION_MIN_PER_COORDINATE`] evaluations per coordinate, where a population
    /// covering the plane finds the basins CMA-ES's restarts miss.
    Evolution {
        /// Points handed out so far.
        at: u64,
    },
    /// SRACOS alone, without the race, then CMA-ES from its best: on a separable or
    /// weakly coupled problem with several minima along a profile and too little budget
    /// for a scan (CMA-ES polishes the last 10 % of the budget), or on a coupled one with
    /// too small a budget for CMA-ES alone — below 20 evaluations per coordinate on a
    /// continuous box, 30 per coordinate CMA-ES would learn with discrete ones (CMA-ES
    /// takes the second half).
    SracosAlone {
        /// Points handed out so far.
        at: u64,
    },
    /// The probe found the problem not separable, but every coordinate is a label
    /// (unordered integers or categorical values), at least half of them with 4 values or
    /// more: CMA-ES would read an order into them that means nothing. The portfolio
    /// continues; its race decides.
    CoupledLabels {
        /// Points handed out so far.
        at: u64,
    },
    /// A line could not propose a point; the other line took over (or, when SRACOS ran out
    /// on a discrete space, whose points have then all been evaluated, the run ends).
    Exhausted {
        /// Points handed out so far.
        at: u64,
        /// The line that ran out.
        line: Line,
    },
    /// A discrete space of no more points than the budget: SRACOS alone, which never
    /// proposes a point twice, so the run evaluates each point at most once and, if it
    /// must, all of them (the optimum is then certain).
    SmallSpace {
        /// Points of the space.
        points: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Phase {
    Explore,
    Race,
    Exploit(Line),
}

/// What the line searches have for the next ask.
enum LineSearchStep {
    Point(Vec<f64>),
    /// Every search of the sweep waits for a value.
    Wait,
    /// No line searches run (any more).
    Inactive,
}

/// The SRACOS → race → winner portfolio.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Portfolio {
    sracos: SRacos,
    cmaes: Option<CmaEs>,
    phase: Phase,
    explore_until: u64,
    race_until: u64,
    /// Points handed out after which a winning SRACOS hands over to a polishing CMA-ES.
    polish_from: u64,
    budget: u64,
    /// Points handed out per line during the race.
    race_asked: [u64; 2],
    /// Best value told per line during the race.
    #[serde(with = "zoo_core::float_serde::vec")]
    race_best: Vec<f64>,
    /// The best value when the race started.
    #[serde(with = "zoo_core::float_serde")]
    race_from: f64,
    /// CMA-ES's best race value once it had two thirds of its share of the race.
    #[serde(with = "zoo_core::float_serde::option")]
    cmaes_checkpoint: Option<f64>,
    /// Points asked and not yet told, with their line (told back by equality).
    pending: Vec<(Line, Vec<f64>)>,
    /// The best points told while exploring, best first: their spread sets CMA-ES's step.
    elite: Vec<Evaluated<Vec<f64>>>,
    /// Whether the CMA-ES line is final: it searches the whole box (after the local line
    /// stopped) or polishes SRACOS's best at the end of the budget.
    last_line: bool,
    /// The local CMA-ES line's best value, and its evaluations since that best last
    /// improved by a thousandth.
    #[serde(with = "zoo_core::float_serde")]
    local_best: f64,
    local_since: u64,
    /// The separability probe, while it runs (absent in checkpoints written before it
    /// existed: those runs continue without one).
    #[serde(default)]
    probe: Option<Probe>,
    /// The probe found the problem separable: the CMA-ES lines learn a diagonal
    /// covariance (sep-CMA-ES), the right shape for a sum of one-coordinate functions,
    /// whose Hessian is diagonal everywhere, and learned `(n + 2) / 3` times faster.
    #[serde(default)]
    separable: bool,
    /// The probe found the problem weakly coupled ([`WEAK_COUPLING`]) and took the
    /// profiles: they choose between the scanning line searches and the plan for a
    /// coupled problem.
    #[serde(default)]
    weakly_coupled: bool,
    /// The probe found the objective noisy: `Auto` switches to its noise plan.
    #[serde(default)]
    noise_found: bool,
    /// The probe found a coupled problem in the plane: `Auto` switches to differential
    /// evolution ([`Decision::Evolution`]).
    #[serde(default)]
    evolve: bool,
    /// The run told its budget ([`Sampler::start`]): differential evolution plans its
    /// phases by it, so without it (or in a checkpoint of an earlier version) CMA-ES runs.
    #[serde(default)]
    budget_known: bool,
    /// The scale on which the probe found the values to add up, or nearly
    /// ([`AdditiveScale::Values`] unless it found them separable or weakly coupled on
    /// another).
    #[serde(default)]
    additive: AdditiveScale,
    /// Line searches along the coordinates, on a separable problem found unimodal.
    #[serde(default)]
    coordinates: Option<CoordinateSearch>,
    /// Zooms run after the scanning sweep's line searches ([`Decision::Zoomed`]).
    #[serde(default)]
    zooms: u32,
    /// Value sweeps over discrete coordinates, on a separable problem with labels.
    #[serde(default)]
    value_sweeps: Option<ValueSweeps>,
    /// The labels were swept once: the line searches take the other coordinates.
    #[serde(default)]
    labels_swept: bool,
    /// Whether the line searches after a sweep of the labels scan first.
    #[serde(default)]
    scan_after_sweep: bool,
}

/// The separability probe. For a sum of one-coordinate functions `f(x) = Σ gᵢ(xᵢ)`, any two
/// points `a`, `b` and their swaps over a set `S` of coordinates, `m = (a_S, b_rest)` and
/// `m' = (b_S, a_rest)`, satisfy `f(m) + f(m') = f(a) + f(b)` exactly. SRACOS's
/// axis-aligned regions pay off on such problems (Rastrigin, sums over integer and
/// continuous coordinates); where the identity fails by far (rotated, coupled, noisy
/// problems) CMA-ES alone is the better use of the budget (docs/which-algorithm.md).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Probe {
    /// The first points SRACOS evaluated, taken in pairs.
    bases: Vec<Evaluated<Vec<f64>>>,
    /// Two swapped points per pair, once every base is known, then a base again, the first
    /// of finite value (a repeat reveals noise).
    swaps: Vec<Vec<f64>>,
    /// Their values (NaN until told).
    #[serde(with = "zoo_core::float_serde::vec")]
    swap_values: Vec<f64>,
    /// Swapped points handed out.
    handed: usize,
    /// After a separable verdict: the coordinate profiles, points that move one
    /// coordinate of the best base through its range (see [`Probe::build_profiles`]).
    #[serde(default)]
    profiles: Vec<Vec<f64>>,
    /// The coordinate each profile point moves.
    #[serde(default)]
    profile_coords: Vec<usize>,
    /// Their values (NaN until told).
    #[serde(default, with = "zoo_core::float_serde::vec")]
    profile_values: Vec<f64>,
    /// Profile points handed out.
    #[serde(default)]
    profiled: usize,
}

/// Pairs of points the separability probe swaps (two evaluations each; one more repeats a
/// point).
const PROBE_PAIRS: usize = 4;

/// Budgets below this skip the probe (its evaluations would be a noticeable share).
const PROBE_MIN_BUDGET: u64 = 200;

/// Coordinates whose profiles are taken after a separable (or weakly coupled) verdict,
/// and points per profile: with 8 points a coarse grid over a dominant quadratic can hide
/// the oscillation, and 18 of 160 runs of BBOB's multimodal f3/f4 (5–40-D, seeds 1–20)
/// were taken for unimodal; with 12 or 16, none.
const PROFILE_COORDINATES: usize = 3;
const PROFILE_POINTS: usize = 16;

/// Budgets below this skip the profiles (their 48 evaluations would be a noticeable
/// share). So do budgets where the portfolio does not race ([`races`]): below 30
/// evaluations per coordinate no line search fits after the profiles, and the CMA-ES
/// alone that unimodal profiles would lead to lost to SRACOS with its polish. On BBOB's
/// f1–f5 at 10·D and 20·D in 20 to 100-D (the 35 cells of 400 evaluations or more),
/// skipping them gave lower medians in 28 cells and higher in 3 (seeds 1–10); held out,
/// 32 and 1 on seeds 11–20, and 11 and 1 of 14 on ZOOpt's sphere and Rastrigin (seeds
/// 21–30; its mixed problem keeps the profiles: labels of 101 values keep the race).
const PROFILE_MIN_BUDGET: u64 = 400;

/// In 2 and 3 dimensions the profiles start from this many evaluations per coordinate,
/// below [`PROFILE_MIN_BUDGET`]: the profiles take 16 per coordinate, and a scan and its
/// line searches fit after them. Before, such budgets went to the portfolio, whose race
/// gave CMA-ES about five generations. On the separable BBOB f1–f5, Rastrigin, the sphere
/// and five separable functions of zoo-bench's `classic` family (Levy, Styblinski–Tang,
/// Alpine, Qing, step), medians lower on 20 and higher on 1 of the (function, dimension,
/// budget) groups that moved at 100·D and 150·D (probability of superiority outside
/// 0.38–0.62; seeds 11–40), and lower on 29 and higher on none at 110·D and 180·D (held-out
/// seeds 41–70), 58 and 2 at 105–175·D (seeds 71–100; the two in 3-D at 105·D, where no
/// scan fits after the profiles). Schwefel 2.26 in 2-D at 250–390 evaluations reached 4.6e-13 on 30 of 30
/// runs (median 0.11–2.0 before), shifted Rastrigin 0 (0.72–1.0 before).
const PROFILE_MIN_PER_COORDINATE: u64 = 100;

/// Largest relative defect of additivity `|f(m) + f(m') − f(a) − f(b)|` (less a rounding
/// allowance of 64 ulps of the values), over the spread of the four values, that still
/// counts as separable: any measurable coupling counts. Measured: below 1e-14 on separable
/// problems (sphere, Rastrigin, axis-aligned ellipsoids, BBOB f1–f5, sums over integer and
/// continuous coordinates); on Griewank, rotated or not, whose coupling (a product of
/// cosines) is small at random points but decides near the optimum, 1e-7 to 2e-3 in 10
/// and 20 dimensions and 6e-13 to 5e-9 in 40; 8e-3 or more on every other coupled
/// problem tried (BBOB f6–f24, the rotated quick-suite problems, the `classic` functions),
/// most above 0.03. Between this and [`WEAK_COUPLING`] a problem is weakly coupled.
pub const SEPARABLE_DEFECT: f64 = 1e-9;

/// Largest defect of additivity (as [`SEPARABLE_DEFECT`], on the values or on a
/// transformed scale, [`AdditiveScale`]) of a weakly coupled problem: a separable
/// function plus a coupled term small at the probe's random points
/// ([`Decision::Probed`]'s `weakly_coupled`). Measured: 1e-7 to 7e-3 on Rastrigin,
/// Styblinski–Tang and Schwefel 2.26 plus 1e-6 to 1e-4 times a rotated ellipsoid, and 1e-7
/// to 2e-3 on Griewank (its product of cosines, rotated or not, in 10 and 20 dimensions;
/// 6e-13 to 5e-9 in 40, where some runs count as separable); 8e-3 or more on every
/// other coupled problem measured (BBOB f6–f24, the rotated quick-suite problems, the
/// `classic` functions), most above 0.03; on the transformed scales, above 1e-3 on every
/// coupled problem of the `classic`, `wrapped` and BBOB suites but some runs of Schwefel
/// 2.22 (`Σ|x| + Π|x|`), whose profiles are unimodal.
pub const WEAK_COUPLING: f64 = 1e-3;

/// Values from which a label counts as many-valued ([`many_valued_labels`]).
const MANY_VALUES: u128 = 4;

/// Whether every coordinate is a label (unordered integers or categorical values) and at
/// least half of them have [`MANY_VALUES`] values or more. CMA-ES reads labels in their
/// listed order, which means nothing there; on such coupled problems the portfolio, whose
/// race can hand the run to SRACOS, does better (medians of seeds 1–10 and 11–20: a ring
/// of 10 labels of 12 values, `label-ring`, 1.38 and 1.54 with CMA-ES alone against 0.94
/// and 0.94; 20 labels 3.62 and 3.78 against 1.77 and 1.83). With two or three values
/// there is little order to misread, and CMA-ES alone holds its own: set cover's 20 bits
/// (median of seeds 1–100 1.016 against the portfolio's 1.091), a 3-colouring of 80 nodes
/// (6 and 6 against 7 and 7.5).
fn many_valued_labels(space: &Space) -> bool {
    let dims = space.dims();
    let many = dims
        .iter()
        .filter(|d| d.cardinality().is_some_and(|c| c >= MANY_VALUES))
        .count();
    dims.iter().all(|d| !d.is_ordered()) && 2 * many >= dims.len()
}

/// Whether some coordinate is a label (unordered integers, categorical values) with more
/// than [`AUTO_ONE_HOT_UP_TO`] values. CMA-ES encodes those by rank, reading an order into
/// them that SRACOS does not; whether the order means something only a race can tell, and
/// when it does the difference is large even at small budgets (ZOOpt's `mixed` in 10-D,
/// labels of 101 values, medians of seeds 1–20 at 100 evaluations: 1.17 with the race, 388
/// without).
fn rank_encoded_labels(space: &Space) -> bool {
    space
        .dims()
        .iter()
        .any(|d| !d.is_ordered() && d.cardinality().is_some_and(|c| c > AUTO_ONE_HOT_UP_TO as u128))
}

impl Probe {
    /// The probe's counts and points are consistent and inside `space`.
    fn check(&self, space: &Space) -> Result<(), zoo_core::StateError> {
        let bases = 2 * PROBE_PAIRS;
        let counts = self.bases.len() <= bases
            && (self.swaps.is_empty() || (self.bases.len() == bases && self.swaps.len() == bases + 1))
            && self.swap_values.len() == self.swaps.len()
            && self.handed <= self.swaps.len();
        let profiles = self.profile_coords.len() == self.profiles.len()
            && self.profile_values.len() == self.profiles.len()
            && self.profiled <= self.profiles.len()
            && self.profile_coords.iter().all(|&j| j < space.len())
            && (self.profiles.is_empty() || self.swaps_complete());
        zoo_core::StateError::ensure(counts && profiles, || {
            "the separability probe's counts are inconsistent".into()
        })?;
        for x in self
            .bases
            .iter()
            .map(|b| &b.x)
            .chain(&self.swaps)
            .chain(&self.profiles)
        {
            space.check_point(x, || "a point of the separability probe".to_owned())?;
        }
        Ok(())
    }

    fn swaps_complete(&self) -> bool {
        !self.swaps.is_empty() && self.swap_values.iter().all(|v| !v.is_nan())
    }

    fn profiles_complete(&self) -> bool {
        !self.profiles.is_empty() && self.profile_values.iter().all(|v| !v.is_nan())
    }

    /// The profiles of up to [`PROFILE_COORDINATES`] ordered coordinates (continuous, or
    /// integers with three values or more) drawn at random: the best base with that one
    /// coordinate moved to [`PROFILE_POINTS`] positions, one in each equal stratum of its
    /// range (every other value of a short integer range). False when no coordinate
    /// qualifies.
    fn build_profiles(&mut self, space: &Space, rng: &mut ZooRng) -> bool {
        let Some(base) = self.best_base().map(|b| b.x.clone()) else {
            return false;
        };
        let mut eligible: Vec<usize> = (0..space.len())
            .filter(|&j| match space.dims()[j].kind() {
                Kind::Continuous { lo, hi, .. } => lo < hi,
                Kind::Integer { lo, hi, ordered } => *ordered && hi.saturating_sub(*lo) >= 2,
                _ => false,
            })
            .collect();
        for k in 0..PROFILE_COORDINATES.min(eligible.len()) {
            let pick = k + rng.index(eligible.len() - k);
            eligible.swap(k, pick);
            let j = eligible[k];
            let dim = &space.dims()[j];
            let (lo, hi) = dim.bounds();
            let positions: Vec<f64> = match dim.kind() {
                Kind::Integer { .. } if hi - lo < PROFILE_POINTS as f64 => (0..=(hi - lo) as i64)
                    .map(|i| lo + i as f64)
                    .filter(|&v| (v - base[j]).abs() >= 0.5)
                    .collect(),
                Kind::Integer { .. } => (0..PROFILE_POINTS)
                    .map(|i| {
                        let width = (hi - lo + 1.0) / PROFILE_POINTS as f64;
                        (lo + ((i as f64 + rng.unit()) * width).floor()).min(hi)
                    })
                    .collect(),
                _ => (0..PROFILE_POINTS)
                    .map(|i| {
                        // Interpolated, not `lo + t·(hi − lo)`: the width may overflow.
                        let t = (i as f64 + rng.unit()) / PROFILE_POINTS as f64;
                        dim.snap(lo * (1.0 - t) + hi * t)
                    })
                    .collect(),
            };
            for v in positions {
                let mut x = base.clone();
                x[j] = v;
                self.profiles.push(x);
                self.profile_coords.push(j);
            }
        }
        self.profile_values = vec![f64::NAN; self.profiles.len()];
        !self.profiles.is_empty()
    }

    /// The profiled coordinates, in the order they were drawn.
    fn profiled_coordinates(&self) -> Vec<usize> {
        let mut coords = self.profile_coords.clone();
        coords.dedup();
        coords
    }

    fn best_base(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.bases.iter().min_by(|a, b| a.value.total_cmp(&b.value))
    }

    /// The largest number of local minima along one profile (the best base included,
    /// points in the order of the moved coordinate, runs of equal values as one point):
    /// 1 for a coordinate along which the function is unimodal.
    fn valleys(&self) -> usize {
        let Some(base) = self.best_base() else {
            return 0;
        };
        let mut most = 0;
        for j in self.profiled_coordinates() {
            let mut line: Vec<(f64, f64)> = vec![(base.x[j], base.value)];
            for ((x, &c), &v) in self
                .profiles
                .iter()
                .zip(&self.profile_coords)
                .zip(&self.profile_values)
            {
                if c == j {
                    line.push((x[j], v));
                }
            }
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut values: Vec<f64> = line.iter().map(|p| p.1).collect();
            // `+ 0.0` turns −0 into 0, so that equal values merge under `total_cmp`.
            values.iter_mut().for_each(|v| *v += 0.0);
            values.dedup_by(|a, b| a.total_cmp(b).is_eq());
            let valleys = (0..values.len())
                .filter(|&i| {
                    (i == 0 || values[i] < values[i - 1])
                        && (i + 1 == values.len() || values[i] < values[i + 1])
                })
                .count();
            most = most.max(valleys);
        }
        most
    }

    /// The swapped points of every pair, each coordinate in `S` with probability ½ (`S`
    /// neither empty nor everything).
    fn build_swaps(&mut self, rng: &mut ZooRng) {
        for pair in self.bases.chunks_exact(2) {
            let (a, b) = (&pair[0].x, &pair[1].x);
            let mut in_s: Vec<bool> = (0..a.len()).map(|_| rng.unit() < 0.5).collect();
            if in_s.iter().all(|&i| i) || in_s.iter().all(|&i| !i) {
                in_s[0] = !in_s[0];
            }
            let mix = |p: &[f64], q: &[f64]| -> Vec<f64> {
                in_s.iter()
                    .zip(p.iter().zip(q))
                    .map(|(&s, (&u, &v))| if s { u } else { v })
                    .collect()
            };
            self.swaps.push(mix(a, b));
            self.swaps.push(mix(b, a));
        }
        // The first base of finite value: +∞ told twice would say nothing of noise (a
        // first point in an infeasible region).
        let repeated = self
            .bases
            .iter()
            .find(|b| b.value.is_finite())
            .or(self.bases.first());
        if let Some(first) = repeated {
            self.swaps.push(first.x.clone());
        }
        self.swap_values = vec![f64::NAN; self.swaps.len()];
    }

    /// Whether the repeat of a base (the first of finite value) gave another value
    /// (relative 1e-9, as SRACOS's noise check).
    fn noisy(&self) -> bool {
        let repeated = self.swaps.get(2 * PROBE_PAIRS);
        let first = self.bases.iter().find(|b| Some(&b.x) == repeated);
        let (Some(first), Some(&again)) = (first, self.swap_values.get(2 * PROBE_PAIRS)) else {
            return false;
        };
        let scale = first.value.abs().max(again.abs()).max(1e-300);
        (first.value - again).abs() > 1e-9 * scale || (first.value.is_finite() != again.is_finite())
    }

    /// The largest relative defect of additivity over the informative pairs (NaN if none).
    fn defect(&self) -> f64 {
        self.defect_on(AdditiveScale::Values, SEPARABLE_DEFECT)
    }

    /// The defect of the values themselves, with the first scale on which the values add
    /// up (the values themselves first) and, when they add up on none, the first on which
    /// they miss by at most [`WEAK_COUPLING`] (weakly coupled); no scale when no pair was
    /// informative.
    fn verdict(&self) -> (f64, Option<AdditiveScale>, Option<AdditiveScale>) {
        let defect = self.defect();
        if defect <= SEPARABLE_DEFECT {
            return (defect, Some(AdditiveScale::Values), None);
        }
        if defect.is_nan() {
            return (defect, None, None);
        }
        let separable = AdditiveScale::TRANSFORMED
            .into_iter()
            .find(|&s| self.defect_on(s, SEPARABLE_DEFECT) <= SEPARABLE_DEFECT);
        if separable.is_some() {
            return (defect, separable, None);
        }
        let weak = if defect <= WEAK_COUPLING {
            Some(AdditiveScale::Values)
        } else {
            AdditiveScale::TRANSFORMED
                .into_iter()
                .find(|&s| self.defect_on(s, WEAK_COUPLING) <= WEAK_COUPLING)
        };
        (defect, None, weak)
    }

    /// The largest relative defect of additivity of the values transformed by `scale`
    /// over the informative pairs: NaN if none, +∞ if some value lies outside the
    /// transformation's domain, or under `exp` if values lie too far below the largest
    /// for a defect of `threshold` to mean anything.
    fn defect_on(&self, scale: AdditiveScale, threshold: f64) -> f64 {
        let mut worst = f64::NAN;
        for (i, pair) in self.bases.chunks_exact(2).enumerate() {
            let (fa, fb) = (pair[0].value, pair[1].value);
            let (f1, f2) = (self.swap_values[2 * i], self.swap_values[2 * i + 1]);
            if ![fa, fb, f1, f2].iter().all(|v| v.is_finite()) {
                continue;
            }
            if ![fa, fb, f1, f2].iter().all(|&v| scale.admits(v)) {
                return f64::INFINITY;
            }
            let reference = fa.max(fb).max(f1).max(f2);
            // Values more than ln(1/threshold) below the pair's largest vanish beside it
            // under `exp`: any function whose largest value appears once on each side of
            // the identity (a maximum, a cap, a penalty) would pass.
            let lowest = fa.min(fb).min(f1).min(f2);
            if scale == AdditiveScale::Exp && lowest - reference < threshold.ln() {
                return f64::INFINITY;
            }
            let [fa, fb, f1, f2] = [fa, fb, f1, f2].map(|v| scale.apply(v, reference));
            if ![fa, fb, f1, f2].iter().all(|v| v.is_finite()) {
                return f64::INFINITY;
            }
            // On the values themselves the defect is relative to the pair's spread. On a
            // transformed scale, where the transformation can shrink some differences to
            // nothing, relative to the smaller of the two parts the identity adds: the
            // swapped coordinates' effect `f(m) − f(b)` and the others' `f(m) − f(a)`
            // (each counted on both sides).
            let spread = if scale == AdditiveScale::Values {
                (f1 - fa).abs() + (f2 - fa).abs() + (fb - fa).abs()
            } else {
                ((f1 - fb).abs() + (fa - f2).abs()).min((f1 - fa).abs() + (fb - f2).abs())
            };
            // Floating-point sums of equal terms in another order differ by a few ulps of
            // the values: that much is no evidence of coupling.
            let rounding = 64.0 * f64::EPSILON * (fa.abs() + fb.abs() + f1.abs() + f2.abs());
            if spread <= rounding {
                continue;
            }
            let defect = ((f1 + f2 - fa - fb).abs() - rounding).max(0.0) / spread;
            worst = if worst.is_nan() { defect } else { worst.max(defect) };
        }
        worst
    }
}

/// Points whose spread sets CMA-ES's initial step size.
const ELITE: usize = 10;

/// Generations CMA-ES gets in the race at least (when the budget allows).
const MIN_RACE_GENERATIONS: f64 = 20.0;

/// The race's share of the budget at most, however small the budget.
const MAX_RACE_SHARE: f64 = 0.3;

/// A coupled problem over a continuous box (no precision) of this many coordinates goes to
/// differential evolution
/// ([`Decision::Evolution`]) when the budget allows [`EVOLUTION_MIN_PER_COORDINATE`]
/// evaluations per coordinate. Measured on BBOB's coupled functions f6–f24 (medians of 10
/// runs, `zoo-de` against `auto` before the rule): in 2-D, lower on 18 and higher on 3 of
/// 57 (function, instance set) groups at 500·D, 13 and 4 at 1,000·D (instances 1–10,
/// 30–39, 40–49); on instances 60–79, 12 and 6 at 400·D, 11 and 3 at 700·D, 6 and 2 at
/// 1,500·D, 3 and 2 at 3,000·D (of 38). In 3-D it was level (15 and 12 at 500·D, 7 and 8
/// at 1,000·D), and from 200·D down in 2-D too (19 and 21).
pub const EVOLUTION_DIMENSIONS: usize = 2;

/// Evaluations per coordinate from which [`EVOLUTION_DIMENSIONS`] coupled coordinates go
/// to differential evolution.
pub const EVOLUTION_MIN_PER_COORDINATE: u64 = 500;

/// Budgets below this many evaluations per coordinate skip the race: SRACOS explores
/// alone until CMA-ES polishes its best for the last [`UNRACED_POLISH`] of the budget.
/// There CMA-ES's share of a race is a few generations, the line that leads after them is
/// a coin toss, and a CMA-ES that wins it spends the rest of a small budget learning its
/// model. Chosen on BBOB's 24 functions in 2 to 20-D at 50 to 150 evaluations (seeds
/// 1–15) and in 3 to 8-D at 15·D to 30·D (seeds 16–30, which then ran instances 1–15
/// again): the race won in 2-D only; at
/// 30·D the two were level. Spaces with a label of more than [`AUTO_ONE_HOT_UP_TO`] values
/// keep the race ([`rank_encoded_labels`]). Measured in `docs/which-algorithm.md`.
const RACE_MIN_PER_COORDINATE: u64 = 30;

/// The CMA-ES polish's share of the budget when there is no race. Against a tenth, on
/// BBOB's 24 functions in 3 to 20-D at 10·D and 20·D, seeds 31–45 (then instances 1–15
/// again): lower medians in 114 cells, higher in 62.
const UNRACED_POLISH: f64 = 0.3;

/// On a coupled problem with too small a budget for CMA-ES alone
/// ([`Portfolio::short_for_cmaes_alone`]): CMA-ES's share, from SRACOS's best, at the end
/// of the budget. Against a tenth, on 8 held-out instances of each of two
/// hyperparameter-like losses at 200–400 evaluations (seeds 61–80), the geometric mean of
/// the medians' ratios was 0.46–0.81 on one and 0.63–0.86 on the other.
const CHAIN_POLISH: f64 = 0.5;

/// On a coupled continuous box, budgets below this many evaluations per coordinate chain
/// SRACOS into CMA-ES rather than run CMA-ES alone ([`Portfolio::short_for_cmaes_alone`]).
const CHAIN_BELOW_PER_COORDINATE: u64 = 20;

/// How far beyond its range an integer coordinate of CMA-ES alone is learnt on a problem
/// the probe did not find separable, in cells (`CmaEsConfig::integer_reach`; zoo-cmaes's
/// default learns it as drawn). A sample beyond an end is evaluated at the end value,
/// nearer an interior minimizer than the sample, so the mean drifts out of the range.
/// Measured on integer-coded coupled problems none of the suites hold (a rotated
/// ellipsoid of 101-valued integers, the same with its minimizer partly beyond the
/// range, Rosenbrock on integers, a rotated ellipsoid over continuous and integer
/// coordinates; 10-D and 30-D at 30·D and 100·D; medians of seeds 1–10, confirmed on
/// 11–30) and on the `tuning` losses (seeds 1–40): 1 cell and 2 cells measured alike on
/// seeds 11–30, both far below learning as drawn (`docs/which-algorithm.md`). Separable problems keep
/// the drift: where an end value is a coordinate's minimizer, it parks the coordinate
/// there quickly (the `mixed` problem). Bits keep it everywhere (zoo-cmaes leaves them
/// as drawn; a cell is half their range): on set cover (20 bits, 2,000 evaluations, seeds
/// 1–40) a limit on bits left the median at 0.9897 and raised the mean 1.049 → 1.065.
const COUPLED_INTEGER_REACH: f64 = 1.0;

/// Line searches run only when the rest of the budget allows this many sweeps of
/// [`EVALUATIONS_PER_LINE`] evaluations per coordinate (Brent's method takes 10 to 20 on
/// a smooth coordinate).
const MIN_SWEEPS: u64 = 2;
const EVALUATIONS_PER_LINE: u64 = 20;

/// Evaluations per coordinate a scan of `size` and its line searches take: its positions,
/// a line search from each valley, and one sweep of line searches after it.
fn scan_cost(size: ScanSize) -> u64 {
    size.points as u64 + (size.minima as u64 + 1) * EVALUATIONS_PER_LINE
}

/// The largest of [`SCANS`] that `per_coordinate` evaluations pay for.
fn largest_scan_within(per_coordinate: u64) -> Option<ScanSize> {
    SCANS.into_iter().find(|&s| per_coordinate >= scan_cost(s))
}

/// Zooms after a scanning sweep: one. On BBOB f3/f4 in 5–40-D at 400·D and 1,000·D one
/// zoom took every median to the optimum (to 1e-11).
const MAX_ZOOMS: u32 = 1;

/// What `Auto` runs.
// One plan per sampler: boxing the common case would cost more than the size.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Plan {
    Portfolio(Portfolio),
    Noisy(NoisyLine),
    Embedded(Embedded<SRacos>),
    Evolution(Box<DifferentialEvolution>),
}

/// The automatic choice: see the [module docs](self) for what it picks when.
///
/// ```
/// use zoo_auto::{Auto, AutoConfig};
/// use zoo_core::{Minimize, Space};
///
/// let space = Space::cube(10, -5.0, 5.0)?;
/// let ellipsoid = |x: &[f64]| x.iter().enumerate().map(|(i, v)| 10f64.powi(i as i32 / 3) * v * v).sum::<f64>();
/// let outcome = Minimize::new(ellipsoid, Auto::new(space, AutoConfig::default())?)
///     .budget(4_000)
///     .seed(1)
///     .run()?;
/// assert!(outcome.best.value < 1e-6);
/// println!("{:?}", outcome.sampler.decisions());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Auto {
    space: Space,
    config: AutoConfig,
    plan: Option<Plan>,
    asked: u64,
    /// Values told, warm starts included (these spend budget without an ask).
    #[serde(default)]
    told: u64,
    best: Option<Evaluated<Vec<f64>>>,
    decisions: Vec<Decision>,
}

impl Auto {
    /// The automatic sampler over `space`; fails on out-of-range settings.
    pub fn new(space: Space, config: AutoConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Auto {
            space,
            config,
            plan: None,
            asked: 0,
            told: 0,
            best: None,
            decisions: Vec::new(),
        })
    }

    /// Everything it decided, in order.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// The space searched.
    pub fn space(&self) -> &Space {
        &self.space
    }

    fn is_box(&self) -> bool {
        self.space
            .dims()
            .iter()
            .all(|d| matches!(d.kind(), zoo_core::Kind::Continuous { decimals: None, .. }))
    }

    /// Chooses what to run for `budget` evaluations.
    fn plan(&mut self, budget: u64) -> Result<Plan, ConfigError> {
        let dim = self.space.len();
        if self.config.noisy {
            // Measured on noisy Ackley (σ = 0.1): CMA-ES's recombination of many points
            // averages the noise, and it beats SRACOS with value suppression or
            // re-sampling by a wide margin (docs/which-algorithm.md). Twice the default
            // population averages more of it per step (docs/noise.md: better than the
            // default population on 13 of the noisy suite's 31 problems, worse on 4).
            let line = NoisyLine::new(&self.space, budget, None)?;
            self.decisions.push(Decision::Noisy);
            return Ok(Plan::Noisy(line));
        }
        let embedding = EmbeddingConfig::for_budget(budget);
        // An embedding must have fewer coordinates than the box it searches.
        if dim > self.config.embed_above && dim > embedding.low_dimension && self.is_box() {
            let embedded = Embedded::new(&self.space, embedding, |low, b| {
                SRacos::new(low, unchecked_sracos(b))
            })
            .map_err(|e| ConfigError::OutOfRange {
                name: "embedding",
                value: e.to_string(),
                expected: "a continuous box",
            })?;
            let mut embedded = embedded;
            embedded.start(budget);
            self.decisions.push(Decision::Embedding { dimension: dim });
            return Ok(Plan::Embedded(embedded));
        }
        if let Some(points) = self
            .space
            .cardinality()
            .filter(|&points| points <= u128::from(budget))
        {
            // CMA-ES (the race, the polish) would spend evaluations on repeats, and the
            // probe's swaps would choose between plans that are not run.
            let mut portfolio = self.portfolio(budget, 0, 0, 0, false)?;
            portfolio.probe = None;
            self.decisions.push(Decision::SmallSpace {
                points: points as u64,
            });
            return Ok(Plan::Portfolio(portfolio));
        }
        let explore = ((budget as f64) * self.config.explore).round() as u64;
        // The race must give CMA-ES enough generations to show its pace: at small budgets
        // per dimension a tenth of the budget is a handful of generations, and the line
        // that happens to lead then is a coin toss.
        let lambda = CmaEs::new(self.space.clone(), CmaEsConfig::default())?.population() as f64;
        let race = ((budget as f64) * self.config.race)
            .max(MIN_RACE_GENERATIONS * lambda / self.config.race_split)
            .min((budget as f64) * MAX_RACE_SHARE)
            .round() as u64;
        let polish = ((budget as f64) * self.config.polish).round() as u64;
        // Too few evaluations per coordinate for CMA-ES to show its pace in a race: SRACOS
        // alone until the polish, unless the two lines read the space differently.
        let racing = races(&self.space, budget);
        let polish = if racing {
            polish
        } else {
            (budget as f64 * UNRACED_POLISH).round() as u64
        };
        let (explore, race) = if racing {
            (explore, race)
        } else {
            (budget.saturating_sub(polish), 0)
        };
        self.decisions.push(Decision::Portfolio { explore, race });
        Ok(Plan::Portfolio(
            self.portfolio(budget, explore, race, polish, racing)?,
        ))
    }

    /// The portfolio's lines and phases for `budget` evaluations: SRACOS explores for
    /// `explore`, the lines race for `race` when `racing`, CMA-ES polishes the last `polish`.
    fn portfolio(
        &self,
        budget: u64,
        explore: u64,
        race: u64,
        polish: u64,
        racing: bool,
    ) -> Result<Portfolio, ConfigError> {
        let dim = self.space.len();
        Ok(Portfolio {
            sracos: SRacos::new(self.space.clone(), unchecked_sracos(budget))?,
            cmaes: None,
            phase: if racing {
                Phase::Explore
            } else {
                Phase::Exploit(Line::Sracos)
            },
            // Without a race the phases before the polish are never entered.
            explore_until: if racing { explore } else { 0 },
            race_until: if racing { explore.saturating_add(race) } else { 0 },
            polish_from: budget.saturating_sub(polish),
            budget,
            race_asked: [0; 2],
            race_best: vec![f64::INFINITY; 2],
            race_from: f64::INFINITY,
            cmaes_checkpoint: None,
            pending: Vec::new(),
            elite: Vec::with_capacity(ELITE + 1),
            last_line: false,
            local_best: f64::INFINITY,
            local_since: 0,
            probe: (budget >= PROBE_MIN_BUDGET && dim >= 2).then(Probe::default),
            separable: false,
            weakly_coupled: false,
            noise_found: false,
            evolve: false,
            budget_known: false,
            additive: AdditiveScale::Values,
            coordinates: None,
            zooms: 0,
            value_sweeps: None,
            labels_swept: false,
            scan_after_sweep: false,
        })
    }

    fn ensure_plan(&mut self, budget: u64) {
        if self.plan.is_none() {
            // The settings were validated and the space is fixed: building cannot fail
            // but for an embedding of a space it does not fit, checked by `is_box`.
            self.plan = self.plan(budget).ok();
        }
    }
}

/// Whether the portfolio races SRACOS against CMA-ES for `budget` evaluations over
/// `space`: from [`RACE_MIN_PER_COORDINATE`] evaluations per coordinate, or on a space
/// with a label of more than [`AUTO_ONE_HOT_UP_TO`] values ([`rank_encoded_labels`]).
fn races(space: &Space, budget: u64) -> bool {
    budget >= RACE_MIN_PER_COORDINATE.saturating_mul(space.len() as u64) || rank_encoded_labels(space)
}

/// SRACOS for `Auto`'s lines, without its noise check: `Auto` handles declared noise with
/// CMA-ES, and undeclared noise is averaged by its CMA-ES line (measured on P5: 0.300 with
/// the noise undeclared, docs/benchmarks.md), so the check's evaluation would be spent for
/// nothing.
fn unchecked_sracos(budget: u64) -> SRacosConfig {
    SRacosConfig {
        noise_check: false,
        ..SRacosConfig::for_budget(budget)
    }
}

fn index(line: Line) -> usize {
    match line {
        Line::Sracos => 0,
        Line::CmaEs => 1,
    }
}

impl Portfolio {
    fn ask(
        &mut self,
        rng: &mut ZooRng,
        asked: u64,
        decisions: &mut Vec<Decision>,
        config: &AutoConfig,
    ) -> Option<Vec<f64>> {
        if let Some(x) = self.probe_ask(rng, asked, decisions) {
            return Some(x);
        }
        match self.value_sweep_ask(asked, decisions) {
            LineSearchStep::Point(x) => return Some(x),
            LineSearchStep::Wait => return None,
            LineSearchStep::Inactive => {}
        }
        match self.line_search_ask(rng, asked, decisions) {
            LineSearchStep::Point(x) => return Some(x),
            // The sweep needs the values of points in flight (parallel batches): the run
            // waits for them.
            LineSearchStep::Wait => return None,
            LineSearchStep::Inactive => {}
        }
        if self.phase == Phase::Explore && asked >= self.explore_until {
            self.start_race(asked, decisions, config);
        }
        if self.phase == Phase::Race && asked >= self.race_until {
            let winner = self.race_winner();
            decisions.push(Decision::RaceWon {
                at: asked,
                winner,
                sracos: self.race_best[0],
                cmaes: self.race_best[1],
                cmaes_checkpoint: self.cmaes_checkpoint.unwrap_or(f64::INFINITY),
            });
            self.phase = Phase::Exploit(winner);
        }
        if self.phase == Phase::Exploit(Line::CmaEs) {
            self.go_global_when_stopped(asked, decisions);
        }
        if self.phase == Phase::Exploit(Line::Sracos) && asked >= self.polish_from && asked > self.race_until
        {
            self.start_polish(asked, decisions, config);
        }
        let line = match self.phase {
            Phase::Explore => Line::Sracos,
            Phase::Race
                if self.cmaes.is_some()
                    && (self.race_asked[1] as f64) * (1.0 - config.race_split)
                        <= (self.race_asked[0] as f64) * config.race_split =>
            {
                Line::CmaEs
            }
            Phase::Race => Line::Sracos,
            Phase::Exploit(line) => line,
        };
        let x = match self.ask_line(line, rng) {
            Some(x) => x,
            // SRACOS never proposes a known point: out of points on a discrete space, every
            // point (of a listable one) has been evaluated, and CMA-ES would only repeat them.
            None if line == Line::Sracos && self.sracos.space().cardinality().is_some() => {
                if !matches!(decisions.last(), Some(Decision::Exhausted { .. })) {
                    decisions.push(Decision::Exhausted { at: asked, line });
                }
                return None;
            }
            None => {
                let other = match line {
                    Line::Sracos => Line::CmaEs,
                    Line::CmaEs => Line::Sracos,
                };
                let x = self.ask_line(other, rng)?;
                decisions.push(Decision::Exhausted { at: asked, line });
                if let Phase::Exploit(_) = self.phase {
                    self.phase = Phase::Exploit(other);
                }
                return Some(self.hand_out(other, x, config));
            }
        };
        Some(self.hand_out(line, x, config))
    }

    /// Runs the separability probe: hands out its swapped points once the bases are
    /// known; when every value is in, decides between the portfolio and CMA-ES alone — on
    /// a separable or weakly coupled verdict (budgets of [`PROFILE_MIN_BUDGET`] or more; in
    /// 2 and 3 dimensions [`PROFILE_MIN_PER_COORDINATE`] per coordinate) only after the
    /// coordinate profiles: unimodal along every profiled coordinate, line searches along
    /// the coordinates (weakly coupled: the plan for a coupled problem), as the portfolio's
    /// SRACOS exploration pays off on separable problems with many local minima only.
    /// `None` when the probe has nothing to hand out (SRACOS explores meanwhile).
    fn probe_ask(&mut self, rng: &mut ZooRng, asked: u64, decisions: &mut Vec<Decision>) -> Option<Vec<f64>> {
        let dim = self.sracos.space().len() as u64;
        let profiles_fit = self.budget
            >= PROFILE_MIN_BUDGET.min(PROFILE_MIN_PER_COORDINATE.saturating_mul(dim))
            && races(self.sracos.space(), self.budget);
        let probe = self.probe.as_mut()?;
        if probe.profiles_complete() {
            let valleys = probe.valleys();
            let coordinates = probe.profiled_coordinates().len();
            self.probe = None;
            decisions.push(Decision::Profiled {
                at: asked,
                coordinates,
                valleys,
            });
            if self.weakly_coupled && valleys <= 1 {
                // Along unimodal coordinates the coupled term is what is left to learn.
                self.route_coupled(asked, decisions);
            } else if !self.start_label_sweep(asked, decisions, valleys > 1) {
                self.start_line_searches(asked, decisions, valleys > 1);
            }
            return None;
        }
        if probe.swaps_complete() && probe.profiles.is_empty() {
            let (defect, additive, weak) = probe.verdict();
            let noisy = probe.noisy();
            // No evidence (NaN) keeps the portfolio, unless a probed value was infinite
            // while some value is finite (an infeasible region, which couples the
            // coordinates unless it is a box): such a problem goes the coupled way, whose
            // CMA-ES steps back from a generation of infinite values.
            let blocked = defect.is_nan()
                && probe
                    .bases
                    .iter()
                    .map(|b| b.value)
                    .chain(probe.swap_values.iter().copied())
                    .any(f64::is_infinite)
                && self.sracos.best().is_some_and(|b| b.value.is_finite());
            let separable = !noisy && ((defect.is_nan() && !blocked) || additive.is_some());
            let weakly_coupled = !noisy && !separable && weak.is_some();
            let scale = additive.or(weak).filter(|_| !noisy).unwrap_or_default();
            decisions.push(Decision::Probed {
                at: asked,
                defect,
                separable,
                noisy,
                scale,
                weakly_coupled,
            });
            // Labels have no order for line searches to follow, and a sweep over every
            // value of each coordinate finds a separable function's optimum: sweeps of
            // every coordinate where the rest of the budget holds two (otherwise the
            // profiles may lead to one sweep of the labels, `start_label_sweep`).
            let space = self.sracos.space();
            let labelled = !space.dims().iter().all(Dimension::is_ordered);
            // On bits the sweeps are a local search that changes one bit at a time, where
            // CMA-ES alone stalls on plateaus: coupled bits take them first too.
            let bits = space
                .dims()
                .iter()
                .all(|d| !d.is_ordered() && d.cardinality() == Some(2));
            let sweeps = ((separable || (bits && !noisy)) && defect.is_finite() && labelled)
                .then(|| self.sracos.best().cloned())
                .flatten()
                .filter(|_| {
                    sweep_cost(space).is_some_and(|cost| cost <= self.budget.saturating_sub(asked) / 2)
                })
                .and_then(|base| ValueSweeps::new(space, base));
            if let Some(sweeps) = sweeps {
                self.separable = separable;
                self.probe = None;
                decisions.push(Decision::ValueSweeps {
                    at: asked,
                    labels_only: false,
                });
                self.value_sweeps = Some(sweeps);
                return None;
            }
            if (separable && defect.is_finite()) || weakly_coupled {
                self.separable = separable;
                self.additive = scale;
                if profiles_fit && probe.build_profiles(self.sracos.space(), rng) {
                    self.weakly_coupled = weakly_coupled;
                    let x = probe.profiles.first().cloned();
                    probe.profiled = 1;
                    return x;
                }
            }
            self.probe = None;
            if noisy {
                // `Auto` replaces the portfolio with the plan for declared noise.
                self.noise_found = true;
            } else if !separable {
                self.route_coupled(asked, decisions);
            }
            return None;
        }
        if !probe.profiles.is_empty() {
            let x = probe.profiles.get(probe.profiled)?.clone();
            probe.profiled += 1;
            return Some(x);
        }
        if probe.swaps.is_empty() && probe.bases.len() == 2 * PROBE_PAIRS {
            probe.build_swaps(rng);
        }
        let x = probe.swaps.get(probe.handed)?.clone();
        probe.handed += 1;
        Some(x)
    }

    /// The plan for a coupled problem: the portfolio on many-valued labels, SRACOS chained
    /// into CMA-ES on a budget too small for CMA-ES alone, differential evolution in the
    /// plane with a large budget, CMA-ES alone otherwise.
    fn route_coupled(&mut self, asked: u64, decisions: &mut Vec<Decision>) {
        if many_valued_labels(self.sracos.space()) {
            decisions.push(Decision::CoupledLabels { at: asked });
        } else if self.short_for_cmaes_alone() {
            self.polish_from = self.budget - (self.budget as f64 * CHAIN_POLISH).round() as u64;
            self.race_until = 0;
            self.phase = Phase::Exploit(Line::Sracos);
            decisions.push(Decision::SracosAlone { at: asked });
        } else if self.evolution_fits() {
            // `Auto` replaces the portfolio with differential evolution.
            self.evolve = true;
        } else {
            self.run_cmaes_alone(asked, None);
        }
    }

    /// Whether a coupled problem goes to differential evolution: a continuous box of
    /// [`EVOLUTION_DIMENSIONS`] coordinates and a budget of at least
    /// [`EVOLUTION_MIN_PER_COORDINATE`] evaluations per coordinate.
    fn evolution_fits(&self) -> bool {
        let space = self.sracos.space();
        self.budget_known
            && space.len() == EVOLUTION_DIMENSIONS
            && space
                .dims()
                .iter()
                .all(|d| matches!(d.kind(), zoo_core::Kind::Continuous { decimals: None, .. }))
            && self.budget >= EVOLUTION_MIN_PER_COORDINATE.saturating_mul(space.len() as u64)
    }

    /// Whether the budget is too small for CMA-ES alone on a coupled problem, where SRACOS
    /// chained into CMA-ES at [`CHAIN_POLISH`] of the budget does better: on a continuous
    /// box below [`CHAIN_BELOW_PER_COORDINATE`] evaluations per coordinate; with a discrete
    /// coordinate (integers, labels) below [`RACE_MIN_PER_COORDINATE`] per coordinate
    /// CMA-ES learns (one per continuous or integer dimension, one per value of a one-hot
    /// label), as integer cells and one-hot labels take CMA-ES longer to learn.
    ///
    /// Measured, medians (seeds 1–20 unless said): on two hyperparameter-like losses (4
    /// continuous coordinates, 2 integers and 2 labels of 4 values; 6 continuous, an
    /// integer and 2 labels), bits and labels at 200–400 evaluations, the chain had the
    /// lower median in 49 of 63 cells and the higher in 7; on 8 further instances of each
    /// loss, 46 and 10 (seeds 61–80); from 500 evaluations (above 30 per learnt coordinate)
    /// CMA-ES alone was lower on most cells. On BBOB's coupled functions f6–f24 (seeds
    /// 1–15) the chain was lower on 16 and 13 of 19 at 10·D (20 and 40-D) and on 14, 14
    /// and 13 at 15·D (14, 20 and 40-D), about level from 20·D (35 against 22 at 20·D, 28
    /// against 29 at 25·D); on seeds 16–30 (then instances 1–15 again), 13 and 14 at 10·D,
    /// 15 and 13 at 15·D, 21
    /// against 17 at 20·D and 18 against 20 at 24·D.
    fn short_for_cmaes_alone(&self) -> bool {
        let space = self.sracos.space();
        let discrete = space
            .dims()
            .iter()
            .any(|d| !matches!(d.kind(), zoo_core::Kind::Continuous { .. }));
        if !discrete {
            return self.budget < CHAIN_BELOW_PER_COORDINATE.saturating_mul(space.len() as u64);
        }
        CmaEs::new(space.clone(), self.line_config())
            .is_ok_and(|c| self.budget < RACE_MIN_PER_COORDINATE.saturating_mul(c.encoded_dimension() as u64))
    }

    /// Line searches along the coordinates from SRACOS's best, when the rest of the
    /// budget allows [`MIN_SWEEPS`] sweeps (unimodal profiles; otherwise CMA-ES alone) or a
    /// scanning sweep and one more (several minima; otherwise the portfolio continues).
    fn start_line_searches(&mut self, asked: u64, decisions: &mut Vec<Decision>, scanning: bool) {
        let start = self.sracos.best().cloned();
        self.start_line_searches_from(asked, decisions, scanning, start);
    }

    /// [`Self::start_line_searches`] from `start` (the best point so far, or the point a
    /// sweep of the labels ended at).
    fn start_line_searches_from(
        &mut self,
        asked: u64,
        decisions: &mut Vec<Decision>,
        scanning: bool,
        start: Option<Evaluated<Vec<f64>>>,
    ) {
        let remaining = self.budget.saturating_sub(asked);
        let per_coordinate = remaining / self.searched_coordinates();
        // A scanning sweep (the scan, a line search per valley) and one sweep of line
        // searches after it: the largest scan that fits.
        let scan = largest_scan_within(per_coordinate);
        let affordable = if scanning {
            scan.is_some()
        } else {
            per_coordinate >= MIN_SWEEPS * EVALUATIONS_PER_LINE
        };
        let search = start
            .filter(|_| affordable)
            .and_then(|b| self.coordinate_search(b))
            .map(|s| s.on_scale(self.additive))
            .map(|s| match scan {
                Some(size) if scanning => s.scanning(size),
                _ => s,
            });
        match search {
            Some(search) => {
                self.coordinates = Some(search);
                decisions.push(Decision::LineSearches { at: asked, scanning });
            }
            // Several minima and no budget for a scan: SRACOS, the strongest method on
            // separable multimodal problems (weakly coupled ones too), without the race
            // (its CMA-ES share would be spent on a local line), polished at the end as
            // after a race it won.
            None if scanning => {
                if self.phase == Phase::Explore {
                    self.race_until = self.race_until.min(asked);
                    self.phase = Phase::Exploit(Line::Sracos);
                    decisions.push(Decision::SracosAlone { at: asked });
                }
            }
            None => self.run_cmaes_alone(asked, None),
        }
    }

    /// The line searches' next point; when they end, CMA-ES alone from the best point.
    fn line_search_ask(
        &mut self,
        rng: &mut ZooRng,
        asked: u64,
        decisions: &mut Vec<Decision>,
    ) -> LineSearchStep {
        let Some(search) = self.coordinates.as_mut() else {
            return LineSearchStep::Inactive;
        };
        if let Some(x) = search.ask(self.sracos.space(), rng) {
            return LineSearchStep::Point(x);
        }
        if !search.finished() {
            return LineSearchStep::Wait;
        }
        let base = search.base().clone();
        let coupled = search.coupled();
        decisions.push(Decision::LineSearchesEnded {
            at: asked,
            sweeps: search.sweeps(),
            coupled,
            value: base.value,
        });
        if coupled {
            self.separable = false;
        }
        let (scanned, several_valleys) = (search.scanned(), search.several_valleys());
        let crowded = search.crowded();
        self.coordinates = None;
        let next = !coupled
            && if scanned {
                self.start_zoom(asked, &base, &crowded, decisions)
            } else {
                several_valleys && self.start_rescan(asked, &base, decisions)
            };
        if next {
            return self.line_search_ask(rng, asked, decisions);
        }
        let start = match self.sracos.best() {
            Some(b) if b.value < base.value => b.x.clone(),
            _ => base.x,
        };
        self.run_cmaes_alone(asked, Some(start));
        LineSearchStep::Inactive
    }

    /// After the profiles of a separable problem with labels and other coordinates: one
    /// sweep of the labels, then the line searches along the ordered coordinates
    /// (`scanning` as the profiles decided), where the rest of the budget holds both. True
    /// when the sweep started.
    fn start_label_sweep(&mut self, asked: u64, decisions: &mut Vec<Decision>, scanning: bool) -> bool {
        let space = self.sracos.space();
        if !self.separable || self.weakly_coupled || space.dims().iter().all(Dimension::is_ordered) {
            return false;
        }
        let Some(cost) = label_sweep_cost(space) else {
            return false;
        };
        // The line searches after the sweep take the ordered coordinates.
        let ordered = space.dims().iter().filter(|d| d.is_ordered()).count().max(1) as u64;
        let per_coordinate = self.budget.saturating_sub(asked).saturating_sub(cost) / ordered;
        let fits = if scanning {
            largest_scan_within(per_coordinate).is_some()
        } else {
            per_coordinate >= MIN_SWEEPS * EVALUATIONS_PER_LINE
        };
        let Some(sweeps) = self
            .sracos
            .best()
            .filter(|_| fits)
            .and_then(|base| ValueSweeps::labels_once(space, base.clone()))
        else {
            return false;
        };
        self.value_sweeps = Some(sweeps);
        self.scan_after_sweep = scanning;
        decisions.push(Decision::ValueSweeps {
            at: asked,
            labels_only: true,
        });
        true
    }

    /// The coordinates a coordinate search takes: all, or the ordered ones once the labels
    /// were swept (at least 1).
    fn searched_coordinates(&self) -> u64 {
        let dims = self.sracos.space().dims();
        let searched = if self.labels_swept {
            dims.iter().filter(|d| d.is_ordered()).count()
        } else {
            dims.len()
        };
        searched.max(1) as u64
    }

    /// A coordinate search from `base`: along every coordinate, or along the ordered ones
    /// once the labels were swept.
    fn coordinate_search(&self, base: Evaluated<Vec<f64>>) -> Option<CoordinateSearch> {
        let space = self.sracos.space();
        if self.labels_swept {
            CoordinateSearch::over_ordered(space, base)
        } else {
            CoordinateSearch::new(space, base)
        }
    }

    /// The value sweeps' next point; when they end, the plan for a coupled problem from
    /// the best point, or after a sweep of the labels alone, the line searches along the
    /// ordered coordinates from the sweep's point.
    fn value_sweep_ask(&mut self, asked: u64, decisions: &mut Vec<Decision>) -> LineSearchStep {
        let Some(sweeps) = self.value_sweeps.as_mut() else {
            return LineSearchStep::Inactive;
        };
        if let Some(x) = sweeps.ask(self.sracos.space()) {
            return LineSearchStep::Point(x);
        }
        if !sweeps.finished() {
            return LineSearchStep::Wait;
        }
        decisions.push(Decision::ValueSweepsEnded {
            at: asked,
            sweeps: sweeps.sweeps(),
            value: sweeps.base().value,
        });
        let labels_only = sweeps.labels_only();
        let base = sweeps.base().clone();
        self.value_sweeps = None;
        // SRACOS was told every point of the sweeps: its best is theirs.
        if labels_only {
            // The labels are set: the line searches of a separable problem along the other
            // coordinates (scanning where a profile saw several minima).
            self.labels_swept = true;
            self.start_line_searches_from(asked, decisions, self.scan_after_sweep, Some(base));
            return LineSearchStep::Inactive;
        }
        // The plan for a coupled problem, with its default covariance: on a separable
        // problem the sweeps ended at the optimum, and what is left to find is a coupling
        // the probe missed.
        self.separable = false;
        self.route_coupled(asked, decisions);
        LineSearchStep::Inactive
    }

    /// A scanning sweep after line searches that saw several valleys along a coordinate
    /// the profiles took for unimodal (a fast oscillation under a steep envelope: 16
    /// positions see only the envelope), when the rest of the budget holds the largest
    /// scan that fits and a sweep of line searches after it. True when it started.
    fn start_rescan(
        &mut self,
        asked: u64,
        base: &Evaluated<Vec<f64>>,
        decisions: &mut Vec<Decision>,
    ) -> bool {
        let per_coordinate = self.budget.saturating_sub(asked) / self.searched_coordinates();
        let Some(size) = largest_scan_within(per_coordinate) else {
            return false;
        };
        let Some(search) = self.coordinate_search(base.clone()) else {
            return false;
        };
        self.coordinates = Some(search.on_scale(self.additive).scanning(size));
        decisions.push(Decision::LineSearches {
            at: asked,
            scanning: true,
        });
        true
    }

    /// A zoom after a scanning search ended without finding coupling: one more scanning
    /// sweep, over a narrow window of each coordinate around `base` (208 evaluations per
    /// coordinate); when the rest of the budget holds fewer, over as many as it holds of
    /// `crowded`, the coordinates the first scan resolved worst in the order
    /// [`CoordinateSearch::crowded`] gives. True when it started.
    fn start_zoom(
        &mut self,
        asked: u64,
        base: &Evaluated<Vec<f64>>,
        crowded: &[usize],
        decisions: &mut Vec<Decision>,
    ) -> bool {
        if self.zooms >= MAX_ZOOMS {
            return false;
        }
        let affordable = self.budget.saturating_sub(asked) / scan_cost(ZOOM);
        let Some(search) = self.coordinate_search(base.clone()) else {
            return false;
        };
        // Every coordinate when the budget holds them all; otherwise as many as it holds
        // of `crowded`, in its order (bracketed coordinates first, then scans with a
        // local minimum every 4 positions or fewer, each group the most minima first).
        let search = if affordable >= search.searched() as u64 {
            search
        } else if affordable >= 1 && !crowded.is_empty() {
            search.only(&crowded[..crowded.len().min(affordable as usize)])
        } else {
            return false;
        };
        let search = search.on_scale(self.additive).zooming(ZOOM, ZOOM_WIDTH);
        decisions.push(Decision::Zoomed {
            at: asked,
            coordinates: search.searched(),
        });
        self.coordinates = Some(search);
        self.zooms += 1;
        true
    }

    /// The rest of the budget to CMA-ES alone (IPOP restarts), started at `start` or at
    /// SRACOS's best point. On a problem `auto` does not treat as separable (coupled or
    /// weakly coupled by the probe, or after value sweeps), the integer coordinates of
    /// more than 2 values reach [`COUPLED_INTEGER_REACH`] cells beyond their ranges.
    fn run_cmaes_alone(&mut self, asked: u64, start: Option<Vec<f64>>) {
        let space = self.sracos.space().clone();
        let start = start.or_else(|| self.sracos.best().map(|b| b.x.clone()));
        let config = CmaEsConfig {
            initial_mean: start,
            integer_reach: (!self.separable).then_some(COUPLED_INTEGER_REACH),
            ..self.line_config()
        };
        if let Ok(mut cmaes) = CmaEs::new(space, config) {
            cmaes.start(self.budget.saturating_sub(asked));
            self.cmaes = Some(cmaes);
            self.last_line = true;
            self.phase = Phase::Exploit(Line::CmaEs);
        }
    }

    /// CMA-ES wins the race when it found the lower value and is still converging (its
    /// last third of the race improved its best by a tenth or more of the whole race's
    /// improvement, on a log scale), or when its improvement over the race is more than
    /// twice SRACOS's. Otherwise SRACOS continues: CMA-ES has settled in a local optimum
    /// no better than where SRACOS is heading.
    fn race_winner(&self) -> Line {
        let (sracos, cmaes) = (self.race_best[0], self.race_best[1]);
        if cmaes >= sracos || !cmaes.is_finite() {
            return Line::Sracos;
        }
        let from = self.race_from;
        let converging = self.cmaes_checkpoint.is_some_and(|checkpoint| {
            // Values may be negative: measure above a floor just below the best.
            let floor = cmaes - 1e-12 * (1.0 + cmaes.abs());
            let whole = ((from - floor) / (cmaes - floor)).ln();
            let recent = ((checkpoint - floor) / (cmaes - floor)).ln();
            whole.is_finite() && recent.is_finite() && recent > 0.1 * whole
        });
        let dominant = (from - cmaes) > 1.5 * (from - sracos).max(0.0);
        if converging || dominant {
            Line::CmaEs
        } else {
            Line::Sracos
        }
    }

    /// Replaces a local CMA-ES line (started from SRACOS's best) that stopped — by its own
    /// tests (tolfun, tolx, …), or by not improving its best by a thousandth for
    /// `max(20 λ, budget / 20)` evaluations while it creeps into a local optimum — with
    /// CMA-ES over the whole box, IPOP restarts, twice the population: restarting around
    /// the same point would find the same local optimum, as on rotated Rastrigin. The
    /// global line then restarts by its own schedule.
    fn go_global_when_stopped(&mut self, asked: u64, decisions: &mut Vec<Decision>) {
        let Some(cmaes) = self.cmaes.as_ref() else {
            return;
        };
        let population = 2 * cmaes.population();
        let patience = (20 * cmaes.population() as u64).max(self.budget / 20);
        let stopped = (cmaes.runs() >= 1 && cmaes.sigma().is_none()) || self.local_since >= patience;
        let remaining = self.budget.saturating_sub(asked);
        if self.last_line || !stopped || remaining < 10 * population as u64 {
            return;
        }
        let config = CmaEsConfig {
            population: Some(population),
            ..self.line_config()
        };
        if let Ok(mut fresh) = CmaEs::new(self.sracos.space().clone(), config) {
            fresh.start(remaining);
            self.cmaes = Some(fresh);
            self.last_line = true;
            decisions.push(Decision::GlobalRestart {
                at: asked,
                population,
            });
        }
    }

    fn hand_out(&mut self, line: Line, x: Vec<f64>, config: &AutoConfig) -> Vec<f64> {
        if self.phase == Phase::Race {
            self.race_asked[index(line)] = self.race_asked[index(line)].saturating_add(1);
            let share = self.race_until.saturating_sub(self.explore_until) as f64 * config.race_split;
            if line == Line::CmaEs
                && self.cmaes_checkpoint.is_none()
                && (self.race_asked[1] * 3) as f64 >= share * 2.0
            {
                self.cmaes_checkpoint = Some(self.race_best[1]);
            }
        }
        self.pending.push((line, x.clone()));
        x
    }

    fn ask_line(&mut self, line: Line, rng: &mut ZooRng) -> Option<Vec<f64>> {
        match line {
            Line::Sracos => self.sracos.ask(rng),
            Line::CmaEs => self.cmaes.as_mut()?.ask(rng),
        }
    }

    /// Starts CMA-ES from SRACOS's best, once SRACOS has one.
    fn start_race(&mut self, asked: u64, decisions: &mut Vec<Decision>, config: &AutoConfig) {
        match self.refiner(asked, config) {
            Some((cmaes, from)) => {
                self.cmaes = Some(cmaes);
                decisions.push(Decision::RaceStarted { at: asked, from });
                self.race_from = from;
                self.phase = Phase::Race;
            }
            None => self.phase = Phase::Exploit(Line::Sracos),
        }
    }

    /// Hands the rest of the budget to a CMA-ES started afresh from SRACOS's best: SRACOS
    /// finds the basin, CMA-ES descends it faster than SRACOS's boxes shrink.
    fn start_polish(&mut self, asked: u64, decisions: &mut Vec<Decision>, config: &AutoConfig) {
        if let Some((cmaes, from)) = self.refiner(asked, config) {
            self.cmaes = Some(cmaes);
            self.last_line = true;
            decisions.push(Decision::Polish { at: asked, from });
            self.phase = Phase::Exploit(Line::CmaEs);
        }
    }

    /// A CMA-ES centred on SRACOS's best, its step size set by the spread of SRACOS's best
    /// points, for the rest of the budget; with the value it starts from.
    fn refiner(&self, asked: u64, config: &AutoConfig) -> Option<(CmaEs, f64)> {
        let best = self.sracos.best().cloned()?;
        let space = self.sracos.space();
        // A restart of this local line searches SRACOS's basin again: a random point with
        // the refiner's small step size would waste the evaluations.
        let line = CmaEsConfig {
            restart_mean: RestartMean::Initial,
            ..self.line_config()
        };
        let cmaes = CmaEs::new(space.clone(), line);
        let discrete = space
            .dims()
            .iter()
            .all(|d| !matches!(d.kind(), zoo_core::Kind::Continuous { .. }));
        let mut cmaes = if discrete {
            // No coordinate is continuous: a small step around one point is a plateau
            // with nothing to learn; start at the best with the default step size and
            // restart over the whole space.
            cmaes.ok()?
        } else {
            let sigma = (config.refine_sigma * self.spread()).clamp(1e-8, 0.3);
            cmaes.and_then(|c| c.with_start(best.x.clone(), sigma)).ok()?
        };
        cmaes.start(self.budget.saturating_sub(asked));
        cmaes.tell(best.x, best.value);
        Some((cmaes, best.value))
    }

    /// The settings of the portfolio's CMA-ES lines: diagonal on a separable problem; the
    /// boundary penalty for the runs after one that ended on a bound, where projection
    /// converges slowly (`zoo-auto/examples/boundary.rs`: with minimizers beyond the box in
    /// 10-D at 10,000 evaluations, a rotated ellipsoid 1902 → 1.4e-5, rotated Rosenbrock
    /// 32.9 → 1.1e-12; the runs of the zoopt, quick and noisy suites are unchanged).
    fn line_config(&self) -> CmaEsConfig {
        CmaEsConfig {
            covariance: if self.separable {
                Covariance::Diagonal
            } else {
                Covariance::Auto
            },
            elitist_finish: self.sracos.space().len() >= ELITIST_MIN_DIMENSION,
            restart_boundary: Some(Boundary::Penalty),
            ..CmaEsConfig::default()
        }
    }

    /// The root-mean-square standard deviation of the elite's coordinates, each as a
    /// fraction of its dimension's width.
    fn spread(&self) -> f64 {
        let n = self.elite.len();
        let dims = self.sracos.space().dims();
        if n < 2 || dims.is_empty() {
            return 0.3;
        }
        let mut total = 0.0;
        for (j, d) in dims.iter().enumerate() {
            let (lo, hi) = d.bounds();
            let width = (hi - lo).max(f64::MIN_POSITIVE);
            let mean = self.elite.iter().map(|e| e.x[j]).sum::<f64>() / n as f64;
            let var = self.elite.iter().map(|e| (e.x[j] - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            total += var / (width * width);
        }
        (total / dims.len() as f64).sqrt()
    }

    fn note_elite(&mut self, x: &[f64], value: f64) {
        let value = ranked(value);
        if self.elite.len() == ELITE && self.elite.last().is_some_and(|w| value >= w.value) {
            return;
        }
        let at = self.elite.partition_point(|e| e.value <= value);
        self.elite.insert(at, Evaluated::new(x.to_vec(), value));
        self.elite.truncate(ELITE);
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        if let Some(search) = self.coordinates.as_mut()
            && search.tell(&x, value)
        {
            return;
        }
        // A point of the lines in flight that equals a move goes to its line.
        if let Some(sweeps) = self.value_sweeps.as_mut()
            && !self.pending.iter().any(|(_, p)| *p == x)
            && sweeps.tell(self.sracos.space(), &x, value)
        {
            self.note_elite(&x, value);
            self.sracos.tell(x, value);
            return;
        }
        if let Some(probe) = self.probe.as_mut()
            && let Some(i) = (0..probe.handed).find(|&i| probe.swap_values[i].is_nan() && probe.swaps[i] == x)
        {
            probe.swap_values[i] = ranked(value);
            if i < 2 * PROBE_PAIRS {
                self.note_elite(&x, value);
                self.sracos.tell(x, value);
            }
            return;
        }
        if let Some(probe) = self.probe.as_mut()
            && let Some(i) =
                (0..probe.profiled).find(|&i| probe.profile_values[i].is_nan() && probe.profiles[i] == x)
        {
            probe.profile_values[i] = ranked(value);
            self.note_elite(&x, value);
            self.sracos.tell(x, value);
            return;
        }
        let line = match self.pending.iter().position(|(_, p)| *p == x) {
            Some(i) => Some(self.pending.swap_remove(i).0),
            None => None,
        };
        match line {
            Some(line) => {
                if self.phase == Phase::Race {
                    let best = &mut self.race_best[index(line)];
                    *best = best.min(ranked(value));
                }
                match line {
                    Line::Sracos => {
                        if let Some(probe) = self.probe.as_mut()
                            && probe.bases.len() < 2 * PROBE_PAIRS
                        {
                            probe.bases.push(Evaluated::new(x.clone(), ranked(value)));
                        }
                        self.note_elite(&x, value);
                        self.sracos.tell(x, value)
                    }
                    Line::CmaEs => {
                        let value = ranked(value);
                        if value < self.local_best - 1e-3 * self.local_best.abs()
                            || (self.local_best.is_infinite() && value.is_finite())
                        {
                            self.local_best = value;
                            self.local_since = 0;
                        } else {
                            self.local_since = self.local_since.saturating_add(1);
                        }
                        if let Some(c) = self.cmaes.as_mut() {
                            c.tell(x, value);
                        }
                    }
                }
            }
            // A point never asked (a warm start): both lines learn it.
            None => {
                self.note_elite(&x, value);
                if let Some(c) = self.cmaes.as_mut() {
                    c.tell(x.clone(), value);
                }
                self.sracos.tell(x, value);
            }
        }
    }
}

impl Sampler for Auto {
    type Solution = Vec<f64>;

    fn start(&mut self, budget: u64) {
        if self.plan.is_none() && budget > 0 {
            self.ensure_plan(budget);
            if let Some(Plan::Portfolio(p)) = self.plan.as_mut() {
                p.budget_known = true;
            }
        }
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        self.ensure_plan(self.config.default_budget);
        if let Some(Plan::Portfolio(p)) = &self.plan
            && p.noise_found
        {
            // Undeclared noise, found by the probe: the plan for declared noise, for the
            // rest of the budget, from SRACOS's best point.
            let remaining = p.budget.saturating_sub(self.asked);
            let start = p.sracos.best().map(|b| b.x.clone());
            if let Ok(line) = NoisyLine::new(&self.space, remaining, start) {
                self.decisions.push(Decision::Noisy);
                self.plan = Some(Plan::Noisy(line));
            }
        }
        if let Some(Plan::Portfolio(p)) = &self.plan
            && p.evolve
        {
            // A coupled problem in the plane: differential evolution for the rest of the
            // budget, SRACOS's best point among its members.
            let remaining = p.budget.saturating_sub(self.asked.max(self.told));
            let best = p.sracos.best().cloned();
            if let Ok(mut de) = DifferentialEvolution::new(self.space.clone(), DeConfig::default()) {
                de.start(remaining);
                if let Some(b) = best {
                    de.tell(b.x, b.value);
                }
                self.decisions.push(Decision::Evolution { at: self.asked });
                self.plan = Some(Plan::Evolution(Box::new(de)));
            }
        }
        if let Some(Plan::Noisy(s)) = self.plan.as_mut()
            && let Some(population) = s.focus()
        {
            self.decisions.push(Decision::NoisyFocused {
                at: self.asked,
                population,
            });
        }
        let x = match self.plan.as_mut()? {
            Plan::Portfolio(p) => p.ask(rng, self.asked, &mut self.decisions, &self.config),
            Plan::Noisy(s) => {
                let comparing = s.comparing();
                let x = s.ask(rng);
                if !comparing && s.comparing() {
                    self.decisions.push(Decision::NoisyFinal { at: self.asked });
                }
                x
            }
            Plan::Embedded(e) => e.ask(rng),
            Plan::Evolution(d) => d.ask(rng),
        }?;
        self.asked += 1;
        Some(x)
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        self.told = self.told.saturating_add(1);
        let ranked_value = ranked(value);
        if self.best.as_ref().is_none_or(|b| ranked_value < b.value) {
            self.best = Some(Evaluated::new(x.clone(), ranked_value));
        }
        self.ensure_plan(self.config.default_budget);
        match self.plan.as_mut() {
            Some(Plan::Portfolio(p)) => p.tell(x, value),
            Some(Plan::Noisy(s)) => s.tell(x, value),
            Some(Plan::Embedded(e)) => e.tell(x, value),
            Some(Plan::Evolution(d)) => d.tell(x, value),
            None => {}
        }
    }

    fn check_state(&self) -> Result<(), zoo_core::StateError> {
        self.space.check()?;
        self.config.validate()?;
        // The ask count grows without checks: far below u64::MAX.
        zoo_core::StateError::ensure(self.asked < 1 << 62, || "asked count out of range".into())?;
        let (sracos, cmaes) = match &self.plan {
            Some(Plan::Portfolio(p)) => (Some(&p.sracos), p.cmaes.as_ref()),
            Some(Plan::Noisy(s)) => {
                s.check_state()?;
                (None, Some(s.cmaes()))
            }
            Some(Plan::Embedded(e)) => {
                e.check_state()?;
                (None, None)
            }
            Some(Plan::Evolution(d)) => {
                d.check_state()?;
                zoo_core::StateError::ensure(d.space() == &self.space, || {
                    "the differential evolution searches another space".into()
                })?;
                (None, None)
            }
            None => (None, None),
        };
        if let Some(Plan::Portfolio(p)) = &self.plan {
            zoo_core::StateError::ensure(p.race_best.len() == 2, || {
                format!("{} race values for 2 lines", p.race_best.len())
            })?;
            zoo_core::StateError::ensure(!(p.separable && p.weakly_coupled), || {
                "the problem is marked both separable and weakly coupled".into()
            })?;
            if let Some(probe) = &p.probe {
                probe.check(&self.space)?;
            }
            if let Some(search) = &p.coordinates {
                search.check(&self.space)?;
            }
            if let Some(sweeps) = &p.value_sweeps {
                sweeps.check(&self.space)?;
            }
        }
        sracos.map_or(Ok(()), Sampler::check_state)?;
        cmaes.map_or(Ok(()), Sampler::check_state)?;
        let same =
            sracos.is_none_or(|s| s.space() == &self.space) && cmaes.is_none_or(|c| c.space() == &self.space);
        zoo_core::StateError::ensure(same, || "an inner sampler searches another space".into())?;
        zoo_core::check_kept(self, &self.best, "the best solution")
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), zoo_core::StateError> {
        self.space.check_point(x, || what.to_owned())
    }

    /// Under noise, CMA-ES's recommendation; in an embedding, the embedding's; otherwise
    /// the best value told.
    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        match &self.plan {
            Some(Plan::Noisy(s)) => s.best(),
            Some(Plan::Embedded(e)) => e.best(),
            _ => self.best.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A probe whose bases and swaps were evaluated by `f`.
    fn probed(f: impl Fn(&[f64]) -> f64, seed: u64) -> Probe {
        let mut rng = ZooRng::seed_from(seed);
        let mut probe = Probe::default();
        for _ in 0..2 * PROBE_PAIRS {
            let x: Vec<f64> = (0..6).map(|_| 4.0 * rng.unit() - 2.0).collect();
            let value = f(&x);
            probe.bases.push(Evaluated::new(x, value));
        }
        probe.build_swaps(&mut rng);
        probe.swap_values = probe.swaps.iter().map(|x| f(x)).collect();
        probe
    }

    /// The profiles of a probe on `[-2, 2]⁶` (and on integer coordinates `-5..=5` where
    /// `integers`), evaluated by `f`.
    fn profiled(f: impl Fn(&[f64]) -> f64, integers: bool, seed: u64) -> Probe {
        let dims = (0..6).map(|_| {
            if integers {
                zoo_core::Dimension::integer(-5, 5).unwrap()
            } else {
                zoo_core::Dimension::continuous(-2.0, 2.0).unwrap()
            }
        });
        let space = Space::new(dims).unwrap();
        let mut probe = probed(|x| f(x), seed);
        if integers {
            for b in &mut probe.bases {
                b.x.iter_mut().for_each(|v| *v = v.round());
                b.value = f(&b.x);
            }
        }
        assert!(probe.build_profiles(&space, &mut ZooRng::seed_from(seed)));
        probe.profile_values = probe.profiles.iter().map(|x| f(x)).collect();
        probe
    }

    #[test]
    fn profiles_count_the_valleys_along_coordinates() {
        let bowl = |x: &[f64]| x.iter().map(|v| (v - 0.3).powi(2)).sum::<f64>();
        let steps = |x: &[f64]| x.iter().map(|v| v.abs().floor()).sum::<f64>();
        let ripples = |x: &[f64]| {
            x.iter()
                .map(|v| v * v + 3.0 * (1.0 - (8.0 * v).cos()))
                .sum::<f64>()
        };
        for seed in 1..=10 {
            let probe = profiled(bowl, false, seed);
            assert_eq!(probe.profiles.len(), PROFILE_COORDINATES * PROFILE_POINTS);
            assert!(probe.profiles_complete());
            assert_eq!(probe.valleys(), 1, "seed {seed}");
            // Plateaus are not valleys.
            assert_eq!(profiled(steps, false, seed).valleys(), 1, "seed {seed}");
            assert!(profiled(ripples, false, seed).valleys() >= 2, "seed {seed}");
            // A short integer range is profiled at every other value.
            let integer = profiled(bowl, true, seed);
            assert_eq!(integer.profiles.len(), PROFILE_COORDINATES * 10, "seed {seed}");
            assert_eq!(integer.valleys(), 1, "seed {seed}");
        }
    }

    #[test]
    fn profiles_span_the_widest_ranges_and_merge_signed_zeros() {
        // The widest box a space takes: a width of f64::MAX.
        let half = f64::MAX / 2.0;
        let space = Space::new([
            zoo_core::Dimension::continuous(-half, half).unwrap(),
            zoo_core::Dimension::continuous(-half, half).unwrap(),
        ])
        .unwrap();
        let mut probe = probed(|x| x.iter().sum(), 1);
        for b in &mut probe.bases {
            b.x.truncate(2);
        }
        assert!(probe.build_profiles(&space, &mut ZooRng::seed_from(1)));
        let mut positions: Vec<f64> = probe
            .profiles
            .iter()
            .zip(&probe.profile_coords)
            .map(|(x, &j)| x[j])
            .collect();
        assert!(probe.profiles.iter().all(|x| space.contains(x)));
        positions.sort_by(f64::total_cmp);
        positions.dedup();
        assert_eq!(positions.len(), 2 * PROFILE_POINTS, "{positions:?}");
        // Along one coordinate: 1, 0, −0, 1, 0.5, 1 has two valleys, 0/−0 one of them.
        let mut probe = Probe::default();
        probe.bases.push(Evaluated::new(vec![0.0], 1.0));
        for (i, v) in [0.0, -0.0, 1.0, 0.5, 1.0].into_iter().enumerate() {
            probe.profiles.push(vec![(i + 1) as f64]);
            probe.profile_coords.push(0);
            probe.profile_values.push(v);
        }
        assert_eq!(probe.valleys(), 2);
    }

    #[test]
    fn additive_functions_have_no_defect_and_coupled_ones_a_large_one() {
        let separable = |x: &[f64]| {
            x.iter()
                .enumerate()
                .map(|(i, v)| (i + 1) as f64 * v * v + v.sin())
                .sum()
        };
        let coupled = |x: &[f64]| x.windows(2).map(|w| (w[1] - w[0] * w[0]).powi(2)).sum::<f64>();
        let product = |x: &[f64]| x.iter().map(|v| 1.0 + v * v).product::<f64>();
        for seed in 1..=20 {
            assert!(probed(separable, seed).defect() < 1e-12, "seed {seed}");
            assert!(
                probed(coupled, seed).defect() > 10.0 * SEPARABLE_DEFECT,
                "seed {seed}"
            );
            assert!(
                probed(product, seed).defect() > 10.0 * SEPARABLE_DEFECT,
                "seed {seed}"
            );
        }
    }

    /// A millionth of a coupled term over a separable function leaves a defect between
    /// the two thresholds (weakly coupled); the coupled terms alone lie far above both.
    #[test]
    fn a_small_coupled_term_leaves_a_small_defect() {
        let separable = |x: &[f64]| x.iter().map(|v| v * v - 10.0 * (6.0 * v).cos()).sum::<f64>();
        let chain = |x: &[f64]| x.windows(2).map(|w| (w[1] - w[0] * w[0]).powi(2)).sum::<f64>();
        let product = |x: &[f64]| x.iter().map(|v| 1.0 + v * v).product::<f64>();
        for seed in 1..=20 {
            for coupled in [&chain as &dyn Fn(&[f64]) -> f64, &product] {
                let weak = probed(|x| separable(x) + 1e-6 * coupled(x), seed).defect();
                assert!(
                    weak > SEPARABLE_DEFECT && weak <= WEAK_COUPLING,
                    "seed {seed}: {weak}"
                );
                assert!(
                    probed(coupled, seed).defect() > 10.0 * WEAK_COUPLING,
                    "seed {seed}"
                );
            }
        }
    }

    /// On a weakly coupled problem the CMA-ES after the scanning line searches learns
    /// the coupling: the problem is not marked separable, and its covariance is full
    /// where the budget can learn one (a diagonal one could not).
    #[test]
    fn after_the_line_searches_of_a_weakly_coupled_problem_cmaes_is_not_diagonal() {
        let weak = |x: &[f64]| {
            let separable: f64 = x.iter().map(|v| v * v - 10.0 * (6.0 * v).cos()).sum();
            separable + 1e-6 * x.windows(2).map(|w| (w[0] - w[1]).powi(2)).sum::<f64>()
        };
        let space = Space::cube(6, -2.0, 2.0).unwrap();
        let mut auto = Auto::new(space, AutoConfig::default()).unwrap();
        auto.start(20_000);
        let mut rng = ZooRng::seed_from(5);
        let mut checked = false;
        for _ in 0..20_000 {
            let x = auto.ask(&mut rng).unwrap();
            let v = weak(&x);
            auto.tell(x, v);
            if let Some(Plan::Portfolio(p)) = &auto.plan
                && let Some(cmaes) = &p.cmaes
            {
                assert!(p.weakly_coupled && !p.separable);
                assert!(!cmaes.is_diagonal());
                checked = true;
                break;
            }
        }
        let decisions = auto.decisions();
        let scanned = decisions
            .iter()
            .any(|d| matches!(d, Decision::LineSearches { scanning: true, .. }));
        assert!(checked && scanned, "{decisions:?}");
    }

    #[test]
    fn increasing_functions_of_a_sum_are_separable_on_the_scale_that_undoes_them() {
        let sum = |x: &[f64]| -> f64 {
            x.iter()
                .enumerate()
                .map(|(i, v)| (i + 1) as f64 * v * v + v.sin() + 2.0)
                .sum()
        };
        let coupled = |x: &[f64]| x.windows(2).map(|w| (w[1] - w[0] * w[0]).powi(2)).sum::<f64>();
        type Case = (fn(f64) -> f64, AdditiveScale);
        let cases: [Case; 4] = [
            (f64::ln, AdditiveScale::Exp),
            (f64::sqrt, AdditiveScale::Square),
            (f64::exp, AdditiveScale::Log),
            (|s| s * s, AdditiveScale::SquareRoot),
        ];
        for seed in 1..=20 {
            assert_eq!(
                probed(sum, seed).verdict().1,
                Some(AdditiveScale::Values),
                "seed {seed}"
            );
            for (wrap, scale) in cases {
                let (defect, found, _) = probed(|x| wrap(sum(x)), seed).verdict();
                assert!(
                    defect > 10.0 * SEPARABLE_DEFECT,
                    "{scale:?}, seed {seed}: {defect}"
                );
                assert_eq!(found, Some(scale), "seed {seed}");
                // No scale turns a coupled function, however wrapped, into a sum, or nearly.
                let (_, found, weak) = probed(|x| wrap(coupled(x) + 1.0), seed).verdict();
                assert_eq!((found, weak), (None, None), "{scale:?}");
                // A small coupled term under the same wrapping: weakly coupled there.
                let nearly = |x: &[f64]| wrap(sum(x) + 1e-6 * coupled(x));
                assert_eq!(
                    probed(nearly, seed).verdict().2,
                    Some(scale),
                    "{scale:?}, seed {seed}"
                );
            }
        }
        // A product of positive one-coordinate factors adds up on the log scale.
        let product = |x: &[f64]| x.iter().map(|v| 1.0 + v * v).product::<f64>();
        for seed in 1..=5 {
            assert_eq!(
                probed(product, seed).verdict().1,
                Some(AdditiveScale::Log),
                "seed {seed}"
            );
        }
    }

    #[test]
    fn maxima_caps_and_penalties_add_up_on_no_transformed_scale() {
        let rosenbrock = |x: &[f64]| {
            x.windows(2)
                .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
                .sum::<f64>()
        };
        let largest = |x: &[f64]| 1000.0 * x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let capped = |x: &[f64]| rosenbrock(x).min(1e3);
        let dominated = |x: &[f64]| (1e4 * x[0].abs()).max(rosenbrock(&x[1..3]));
        let penalised = |x: &[f64]| {
            if x.iter().sum::<f64>() > 0.0 {
                1e6
            } else {
                x.iter().map(|v| v * v).sum()
            }
        };
        type Case<'a> = (&'a str, &'a dyn Fn(&[f64]) -> f64);
        let cases: [Case; 4] = [
            ("largest", &largest),
            ("capped", &capped),
            ("dominated", &dominated),
            ("penalised", &penalised),
        ];
        for (name, f) in cases {
            for seed in 1..=200 {
                let (_, scale, weak) = probed(f, seed).verdict();
                assert!(
                    matches!(scale, None | Some(AdditiveScale::Values)),
                    "{name}, seed {seed}: {scale:?}"
                );
                // Nor nearly: a small defect on a transformed scale would be spurious.
                assert!(
                    matches!(weak, None | Some(AdditiveScale::Values)),
                    "{name}, seed {seed}: {weak:?}"
                );
            }
        }
    }

    #[test]
    fn uninformative_pairs_give_no_verdict() {
        let flat = probed(|_| 3.0, 1);
        assert!(flat.defect().is_nan());
        let infinite = probed(|_| f64::INFINITY, 1);
        assert!(infinite.defect().is_nan());
    }

    #[test]
    // A swap copies coordinates: exact equality is the point.
    #[allow(clippy::float_cmp)]
    fn every_swap_takes_some_coordinates_from_each_point() {
        let probe = probed(|x| x[0], 3);
        for (pair, swaps) in probe.bases.chunks_exact(2).zip(probe.swaps.chunks_exact(2)) {
            let (a, b) = (&pair[0].x, &pair[1].x);
            for m in swaps {
                assert!(m != a && m != b);
                assert!(m.iter().enumerate().all(|(i, v)| *v == a[i] || *v == b[i]));
            }
        }
    }
}
