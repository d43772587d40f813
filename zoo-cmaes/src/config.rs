//! Settings of the CMA-ES samplers, validated once by [`crate::CmaEs::new`].

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Space};

/// Dimension (of the encoded search space) above which [`Covariance::Auto`] always picks
/// the diagonal model: there the eigendecomposition dominates the run time (see
/// `docs/cmaes.md` for the measurements behind the choice).
pub const AUTO_DIAGONAL_ABOVE: usize = 200;

/// [`Covariance::Auto`] also picks the diagonal model when the run's budget is less than
/// this many *learning horizons* of the full model, `λ / (c₁ + c_μ)` evaluations (the
/// time the full covariance needs to adapt once): a full matrix that cannot be learnt in
/// the budget only slows the step-size and mean down. Measured on the problems of
/// `docs/cmaes.md` (seeds 1–10).
pub const AUTO_DIAGONAL_HORIZONS: f64 = 2.0;

/// Largest number of values a categorical or unordered-integer dimension may have for
/// [`Categories::Auto`] to give it one relaxed coordinate per value; larger ones get the
/// rank encoding.
pub const AUTO_ONE_HOT_UP_TO: usize = 10;

/// Shape of the covariance matrix the sampler learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Covariance {
    /// Diagonal when the encoded space has more than [`AUTO_DIAGONAL_ABOVE`] coordinates,
    /// or when the budget (told by the run loop) is below [`AUTO_DIAGONAL_HORIZONS`]
    /// learning horizons of the full model; full otherwise (the default).
    #[default]
    Auto,
    /// A full `n × n` matrix: learns rotated, correlated landscapes; `O(n²)` per
    /// evaluation plus an eigendecomposition every few generations.
    Full,
    /// A diagonal matrix (sep-CMA-ES): learns axis-aligned scalings only; `O(n)` per
    /// evaluation, and learning rates `(n + 2) / 3` times faster.
    Diagonal,
}

impl Covariance {
    /// Whether the diagonal model is used for `n` encoded coordinates, population
    /// `lambda` and (when known) an evaluation budget.
    pub fn is_diagonal(self, n: usize, lambda: usize, budget: Option<u64>) -> bool {
        match self {
            Covariance::Auto => {
                n > AUTO_DIAGONAL_ABOVE
                    || budget.is_some_and(|b| {
                        (b as f64) < AUTO_DIAGONAL_HORIZONS * crate::strategy::learning_horizon(n, lambda)
                    })
            }
            Covariance::Full => false,
            Covariance::Diagonal => true,
        }
    }
}

/// How a sampled continuous coordinate outside the box is brought back in (integer
/// coordinates with a margin are learnt as drawn under `Clip` and `Penalty`; see
/// `docs/cmaes.md`).
///
/// Measured on the six reference problems of `docs/cmaes.md` (medians over seeds 1–10),
/// projection with repair is the best or level on five, most clearly against the mirror on
/// the rotated ellipsoid (3.3e3 against 1.0e4) and against the penalty on Ackley-100
/// (3.6e-5 against 1.2); hence the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Boundary {
    /// Projection onto the box, with repair (the default): coordinates beyond a bound
    /// are set to it, and the update learns from the projected points (so the mean stays
    /// in the box and the step-size path sees the steps that were evaluated) — except
    /// integer coordinates under a margin, which are learnt as drawn and held near the
    /// box by the margin. A sample beyond a bound is evaluated on the bound; where the
    /// minimizer lies beyond a bound, runs converge slowly (see
    /// [`CmaEsConfig::restart_boundary`]).
    #[default]
    Clip,
    /// Reflection at the bounds (a triangle wave of period twice the box), the idea of
    /// pycma's `BoundTransform`: smooth inside the box, no pile-up of points on the
    /// bounds, the sampled genotype is learnt as is.
    Mirror,
    /// Projection with an adaptive quadratic penalty (pycma's `BoundPenalty`, Hansen et
    /// al. 2009): a sample is evaluated at its projection, ranked by that value plus a
    /// penalty on its distance to the box, and learnt as drawn, so the mean may step over
    /// a bound and is pulled back by the penalty.
    Penalty,
}

/// What happens when a run of the strategy stops (converges, stagnates or degenerates)
/// before the budget is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Restarts {
    /// No restarts: the stopping tests are not applied, except the numerical ones
    /// (condition number, step size out of range), after which the strategy starts again
    /// with the same population.
    Off,
    /// IPOP (Auger & Hansen 2005, the default): every restart multiplies the population
    /// by [`CmaEsConfig::population_factor`], while the remaining budget can pay for
    /// ten generations of it.
    #[default]
    Ipop,
    /// BIPOP (Hansen 2009): restarts alternate between the IPOP regime (large, growing
    /// populations) and a regime of small populations with small random step sizes;
    /// the regime that has spent fewer evaluations goes next.
    Bipop,
}

/// Where a restart puts the new run's mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RestartMean {
    /// A uniform random point of the space (the default), as IPOP and BIPOP were
    /// published: each run explores a new basin.
    #[default]
    Random,
    /// [`CmaEsConfig::initial_mean`] again when it is set (else a uniform random point):
    /// for a run started close to a known good point with a small step size, which a
    /// random point with that step size would waste.
    Initial,
}

/// How categorical and unordered-integer dimensions are encoded as real coordinates.
///
/// Ordered integers always get one coordinate (with the margin, see
/// [`CmaEsConfig::margin`]); this setting concerns the labels whose order means nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Categories {
    /// One-hot for at most [`AUTO_ONE_HOT_UP_TO`] values, rank above (the default).
    #[default]
    Auto,
    /// Rank encoding: the index of the value is treated as an ordered integer (one
    /// coordinate, with margin). Cheap, and right when neighbouring labels tend to have
    /// similar values (integers that are labels only in name); arbitrary otherwise.
    Rank,
    /// One relaxed coordinate per value; the proposed value is the one whose coordinate
    /// is largest (argmax). Honest for true labels, but adds `k` coordinates per
    /// dimension of `k` values.
    OneHot,
}

/// Settings of [`crate::CmaEs`] and [`crate::SepCmaEs`].
///
/// All lengths are measured in the *normalised* space, where every bounded coordinate
/// spans `[0, 1]` (continuous `[lo, hi]`; integers `[lo − ½, hi + ½]`), so one step size
/// suits boxes of very different widths.
///
/// | name | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `population` | `None`: `4 + ⌊3 ln n⌋` | offspring per generation `λ` (first run) | `[2, 2^24]` |
/// | `initial_sigma` | `0.3` | step size `σ₀`, as a fraction of each box width | `(0, 10]` |
/// | `initial_mean` | `None`: uniform random point | mean of the first run (a point of the space) | a point of the space |
/// | `restart_mean` | [`RestartMean::Random`] | where restarts put their mean: a uniform random point, or `initial_mean` again | enum |
/// | `covariance` | [`Covariance::Auto`] | full or diagonal covariance | enum |
/// | `boundary` | [`Boundary::Clip`] | how samples outside the box are brought in | enum |
/// | `restarts` | [`Restarts::Ipop`] | restart strategy | enum |
/// | `population_factor` | `2.0` | population growth per large restart | `[1, 10]` |
/// | `categories` | [`Categories::Auto`] | encoding of categorical / unordered dimensions | enum |
/// | `margin` | `None`: `1 / (λ · n)` | least probability that an integer coordinate leaves its current value | `[0, 0.25]`; `0` switches the margin off |
/// | `integer_reach` | `None`: as drawn | how far beyond its range's ends, in cells, an integer coordinate of more than 2 values under a margin is learnt (not under [`Boundary::Mirror`] nor without a margin) | `None`, `Some(c)` with `c ≥ 0` finite |
/// | `tol_fun` | `1e-12` | restart when recent best values and the current generation lie within this range | `≥ 0` |
/// | `tol_x` | `1e-12` | restart when every coordinate's standard deviation is below this (normalised units) | `≥ 0` |
/// | `max_condition` | `1e14` | restart when the covariance's condition number exceeds this | `> 1` |
/// | `restart_boundary` | `None` | the boundary treatment of the runs after one that ended on a bound (continuous spaces, from [`Boundary::Clip`]) | `None`, `Some(`[`Boundary`]`)` |
/// | `elitist_finish` | `false` | once a run's `σ` has shrunk 30 times and its covariance has settled, finish the run with a (1+1)-ES in that covariance's shape, unless a test along 3 lines through the mean finds ripples or kinks, or the mean is near a bound (not with integer or categorical dimensions, nor the penalty; not once more than one point is in flight) | `true`, `false` |
///
/// `n` is the number of encoded coordinates: one per continuous or ordered-integer
/// dimension, one or one per value for the others (see [`Categories`]); dimensions with a
/// single value take none.
///
/// There is no budget here: the run loop tells it through `Sampler::start`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CmaEsConfig {
    /// Offspring per generation `λ` of the first run; `None` for `4 + ⌊3 ln n⌋`.
    pub population: Option<usize>,
    /// Initial step size as a fraction of each box width.
    pub initial_sigma: f64,
    /// Mean of the first run (a point of the space); `None` for a uniform random point (or
    /// the best warm-start point, if any). Restarts start as [`CmaEsConfig::restart_mean`]
    /// says.
    pub initial_mean: Option<Vec<f64>>,
    /// Where restarts put their mean: a uniform random point, or `initial_mean` again.
    #[serde(default)]
    pub restart_mean: RestartMean,
    /// Full or diagonal covariance.
    pub covariance: Covariance,
    /// Reflection or projection at the bounds.
    pub boundary: Boundary,
    /// Restart strategy.
    pub restarts: Restarts,
    /// Growth of the population at each large restart.
    pub population_factor: f64,
    /// Encoding of categorical and unordered-integer dimensions.
    pub categories: Categories,
    /// Least probability that an integer coordinate moves off its current value;
    /// `None` for `1 / (λ · n)`, `Some(0.0)` for none.
    pub margin: Option<f64>,
    /// How far beyond the ends of its range an integer coordinate of more than 2 values
    /// under a margin is learnt, in cells (values) of that coordinate: `None` (the
    /// default) learns it as drawn, however far out, as in Hamano et al.; `Some(c)`
    /// projects the drawn coordinate onto its range widened by `c` cells at each end
    /// before the update. Bits are always learnt as drawn (a cell is half their range).
    ///
    /// A sample beyond an end is evaluated at the end value, which lies nearer an
    /// interior minimizer than the sample does, so selection favours samples beyond the
    /// ends and the mean drifts out, where the coordinate no longer changes the value.
    /// Learnt as drawn, that drift is unbounded: on a rotated ellipsoid of 10 integers
    /// of 101 values each, the mean lay beyond the range in 6 to 9 coordinates for the
    /// first half of a 1,000-evaluation run. Where the minimizer is an end value of
    /// separate coordinates (the `mixed` problem), the same drift is what parks those
    /// coordinates on it quickly, and a narrow reach slows the run (measured in
    /// `docs/cmaes.md`). What is limited is the coordinate's genotype under the margin's
    /// scale; nothing changes under [`Boundary::Mirror`] or with `margin: Some(0.0)`,
    /// where integer coordinates are held in the box.
    #[serde(default)]
    pub integer_reach: Option<f64>,
    /// Range of recent best values below which a run stops.
    pub tol_fun: f64,
    /// Standard deviation (normalised) below which a run stops.
    pub tol_x: f64,
    /// Condition number of the covariance above which a run stops.
    pub max_condition: f64,
    /// The boundary treatment of the runs after one that ended on the box's boundary —
    /// the best point so far with a coordinate on a bound and the ending run's mean within
    /// one standard deviation of that bound — on spaces of continuous coordinates, when
    /// [`CmaEsConfig::boundary`] is [`Boundary::Clip`]. Projection with repair converges
    /// slowly where the minimizer lies beyond a bound (a rotated ellipsoid whose
    /// minimizer lies beyond the box: 2775 after 10,000 evaluations in 10-D, against
    /// 5.7e-13 with the penalty); `Some(Boundary::Penalty)` keeps the projection for the
    /// first run and turns to the penalty once a run has settled on a bound. `None` (the
    /// default) keeps one treatment throughout. Inert with [`Restarts::Off`], whose runs
    /// do not end; after a turn to the penalty no run takes the elitist finish.
    #[serde(default)]
    pub restart_boundary: Option<Boundary>,
    /// Finish each run with a (1+1)-ES in the run's learnt covariance shape once the run
    /// has focused and its covariance has settled (spaces without integer or categorical
    /// dimensions, and not with [`Boundary::Penalty`]). The finish first measures the
    /// values along 3 lines through the mean and hands the run back at once if any line has
    /// more than one local minimum (ripples a population smooths over and a (1+1)-ES
    /// falls into) or if the values miss a parabola by more than 1 % of their range on
    /// average (kinks, as of a sum of absolute values or a maximum, whose edges stall a
    /// (1+1)-ES). Its success rule needs one value at a
    /// time: once more than one point is in flight (parallel batches) it is not used.
    #[serde(default)]
    pub elitist_finish: bool,
}

impl Default for CmaEsConfig {
    fn default() -> Self {
        CmaEsConfig {
            population: None,
            initial_sigma: 0.3,
            initial_mean: None,
            restart_mean: RestartMean::Random,
            covariance: Covariance::Auto,
            boundary: Boundary::Clip,
            restarts: Restarts::Ipop,
            population_factor: 2.0,
            categories: Categories::Auto,
            margin: None,
            integer_reach: None,
            tol_fun: 1e-12,
            tol_x: 1e-12,
            max_condition: 1e14,
            elitist_finish: false,
            restart_boundary: None,
        }
    }
}

fn out_of_range(name: &'static str, value: impl std::fmt::Debug, expected: &'static str) -> ConfigError {
    ConfigError::OutOfRange {
        name,
        value: format!("{value:?}"),
        expected,
    }
}

impl CmaEsConfig {
    /// Checks every setting against its range (and `initial_mean` against `space`).
    pub fn validate(&self, space: &Space) -> Result<(), ConfigError> {
        if let Some(p) = self.population
            && !(2..=crate::strategy::MAX_POPULATION).contains(&p)
        {
            return Err(out_of_range("population", p, "in [2, 2^24]"));
        }
        if !(self.initial_sigma > 0.0 && self.initial_sigma <= 10.0) {
            return Err(out_of_range("initial_sigma", self.initial_sigma, "in (0, 10]"));
        }
        if let Some(mean) = &self.initial_mean
            && !(mean.len() == space.len()
                && space
                    .dims()
                    .iter()
                    .zip(mean)
                    .all(|(d, &v)| v >= d.bounds().0 && v <= d.bounds().1))
        {
            return Err(out_of_range(
                "initial_mean",
                mean,
                "a point inside the space's bounds, one coordinate per dimension",
            ));
        }
        if !(self.population_factor >= 1.0 && self.population_factor <= 10.0) {
            return Err(out_of_range(
                "population_factor",
                self.population_factor,
                "in [1, 10]",
            ));
        }
        if let Some(m) = self.margin
            && !(0.0..=0.25).contains(&m)
        {
            return Err(out_of_range("margin", m, "in [0, 0.25]"));
        }
        if let Some(c) = self.integer_reach
            && !(c >= 0.0 && c.is_finite())
        {
            return Err(out_of_range("integer_reach", c, "finite and at least 0"));
        }
        if !(self.tol_fun >= 0.0 && self.tol_fun.is_finite()) {
            return Err(out_of_range("tol_fun", self.tol_fun, "finite and at least 0"));
        }
        if !(self.tol_x >= 0.0 && self.tol_x.is_finite()) {
            return Err(out_of_range("tol_x", self.tol_x, "finite and at least 0"));
        }
        if self.max_condition.is_nan() || self.max_condition <= 1.0 {
            return Err(out_of_range(
                "max_condition",
                self.max_condition,
                "greater than 1",
            ));
        }
        Ok(())
    }
}
