//! Coordinate search for separable problems: sweeps of bounded line searches, one per
//! ordered coordinate.
//!
//! A sum of one-coordinate functions `f(x) = Σ gᵢ(xᵢ)` is minimized by minimizing each
//! `gᵢ` alone, and when every `gᵢ` is unimodal a line search per coordinate finds the
//! optimum to the precision of the arithmetic in a few evaluations, whatever the
//! conditioning — line searches along the coordinates are among the strongest methods on
//! BBOB's separable functions f1–f5 (Pošík, "BBOB-benchmarking two variants of the
//! line-search algorithm", GECCO 2009 workshop). Each line search is Brent's method for a
//! bounded minimum (golden-section steps, and parabolic steps where the three best points
//! allow one; Brent, "Algorithms for Minimization without Derivatives", 1973, ch. 5).
//!
//! Within a sweep every line search moves one coordinate of the same base point, so the
//! searches are independent and may run concurrently (parallel batches); the sweep ends by
//! evaluating the base with every coordinate at its line minimum. That point becomes the
//! base of the next sweep while sweeps still pay off.

use serde::{Deserialize, Serialize};
use zoo_core::{Dimension, Evaluated, Kind, Space, StateError, ZooRng, ranked};

use crate::scale::AdditiveScale;

/// The golden-section ratio `(3 − √5) / 2`.
const GOLDEN: f64 = 0.381_966_011_250_105_1;

/// Relative tolerance of a line search: the square root of the machine epsilon, below
/// which a parabola through rounded values no longer locates the minimum.
const RELATIVE_TOLERANCE: f64 = 1.5e-8;

/// Absolute tolerance of a continuous coordinate, as a fraction of its width.
const ABSOLUTE_TOLERANCE: f64 = 1e-12;

/// A sweep that improves the base by more than this share of the previous sweep's
/// improvement ends the search. On a separable function each sweep gains far less than the
/// one before (the first finds every coordinate's minimum, later ones only add digits);
/// gains that shrink slowly are the linear convergence of coordinate descent on coupled
/// coordinates, where CMA-ES does better.
const CREEP: f64 = 0.5;

/// Largest relative difference between a combined point's value and the sum of the
/// coordinates' gains that still counts as separable (rounding is about `n · ε`).
const COUPLING_DEFECT: f64 = 1e-9;

/// Smallest share of the coordinates' summed gains a combined point's defect must reach
/// to count as coupling (a genuine coupling is of the order of the gains).
const COUPLING_SHARE: f64 = 0.01;

/// The share of the range of a line's values by which a value must lie below one nearer
/// the line's minimum to reveal a second valley (rounding and plateaus do not).
const VALLEY_MARGIN: f64 = 1e-8;

/// Consecutive evaluations within rounding of the best value that end a line search.
const FLAT_STEPS: u32 = 3;

/// A scan's size: positions per coordinate, and the local minima of the scan that line
/// searches start from (the lowest position of a coarse scan may lie in a valley slightly
/// higher than the lowest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ScanSize {
    pub(crate) points: usize,
    pub(crate) minima: usize,
}

/// The scans `Auto` chooses from, largest first. Rastrigin's cosine has about 10 periods
/// over its range: 64 positions (six per period) and 3 valleys find its lowest valley in
/// most coordinates; 32 and 2 in fewer, but still far more often than SRACOS at budgets
/// too small for 64 (BBOB f3/f4, 100·D evaluations: 2.5 to 4 times lower medians).
pub(crate) const SCANS: [ScanSize; 3] = [
    ScanSize {
        points: 64,
        minima: 3,
    },
    ScanSize {
        points: 32,
        minima: 2,
    },
    ScanSize {
        points: 24,
        minima: 2,
    },
];

/// Most valleys a scan searches from (for checkpoints).
const MAX_SCAN_MINIMA: usize = 3;

fn largest_scan() -> ScanSize {
    SCANS[0]
}

fn whole_range() -> f64 {
    1.0
}

/// The zoom's scan: after the scanning sweep's line searches ended, a second scanning sweep
/// over [`ZOOM_WIDTH`] of each coordinate's range around the base, at this size. Where the
/// first scan's positions fell less than two to a period of the oscillation (BBOB f3's
/// and f4's steepest coordinates oscillate 30 to 300 times over the range), its lowest
/// valley was one of the ten or so a position's neighbours bracket; the zoom's positions,
/// sixteen times denser than the 64-position scan's, tell those valleys apart.
pub(crate) const ZOOM: ScanSize = ScanSize {
    points: 128,
    minima: 3,
};

/// A scan with a local minimum for every this many positions or fewer resolves its
/// coordinate's oscillation poorly (Rastrigin's cosine needs about six per period).
pub(crate) const CROWDED_POSITIONS: usize = 4;

/// The share of each coordinate's range a zoom's scan covers: eight of the first scan's
/// spacings at 64 positions, enough to hold the valleys a position's neighbours bracket.
pub(crate) const ZOOM_WIDTH: f64 = 0.125;

/// Proposals a line search may answer from its own cache before it gives up (rounded
/// coordinates can repeat a point; Brent's method ends long before).
const MAX_CACHED_STEPS: usize = 200;

/// Brent's method for the minimum of one coordinate over `[lo, hi]`, as a state machine:
/// `next` proposes a coordinate value, `update` takes its value.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LineSearch {
    coordinate: usize,
    /// The coordinate's range.
    lo: f64,
    hi: f64,
    /// The bracket.
    a: f64,
    b: f64,
    /// The best point, the second best and the previous second best, with their values.
    x: f64,
    w: f64,
    v: f64,
    #[serde(with = "zoo_core::float_serde")]
    fx: f64,
    #[serde(with = "zoo_core::float_serde")]
    fw: f64,
    #[serde(with = "zoo_core::float_serde")]
    fv: f64,
    /// The last step and the one before.
    d: f64,
    e: f64,
    /// Absolute tolerance.
    tolerance: f64,
    /// The position handed out, awaiting its value.
    pending: Option<f64>,
    /// Consecutive values that differed from the best by no more than rounding.
    #[serde(default)]
    flat: u32,
    /// Coordinate values evaluated, and their values (rounded coordinates repeat).
    seen: Vec<f64>,
    #[serde(with = "zoo_core::float_serde::vec")]
    seen_values: Vec<f64>,
    done: bool,
}

impl LineSearch {
    fn new(
        coordinate: usize,
        (a, b): (f64, f64),
        (lo, hi): (f64, f64),
        (start, value): (f64, f64),
        tolerance: f64,
    ) -> Self {
        LineSearch {
            coordinate,
            lo,
            hi,
            a,
            b,
            x: start,
            w: start,
            v: start,
            fx: value,
            fw: value,
            fv: value,
            d: 0.0,
            e: 0.0,
            tolerance,
            pending: None,
            flat: 0,
            seen: vec![start],
            seen_values: vec![value],
            done: false,
        }
    }

    /// The next position to evaluate, or `None` when the bracket is within tolerance.
    fn step(&mut self) -> Option<f64> {
        let m = 0.5 * (self.a + self.b);
        let tol1 = RELATIVE_TOLERANCE * self.x.abs() + self.tolerance;
        let tol2 = 2.0 * tol1;
        let converged = (self.x - m).abs() <= tol2 - 0.5 * (self.b - self.a) || self.a >= self.b;
        if self.flat >= FLAT_STEPS {
            return None;
        }
        if converged {
            // Brent's steps stay a tolerance away from the ends: a minimum that closes
            // in on an end of the range is tried at the end itself (a slope), each end
            // in turn (a range of two or three values may have both within reach).
            #[allow(clippy::float_cmp)] // bounds kept exactly as given
            let ends = [
                (self.a == self.lo && self.x - self.lo <= 2.0 * tol2, self.lo),
                (self.b == self.hi && self.hi - self.x <= 2.0 * tol2, self.hi),
            ];
            #[allow(clippy::float_cmp)]
            let untried = |end: f64| self.x != end && !self.seen.contains(&end);
            return ends
                .into_iter()
                .find(|&(near, end)| near && untried(end))
                .map(|(_, end)| end);
        }
        let mut golden = true;
        if self.e.abs() > tol1 {
            let r = (self.x - self.w) * (self.fx - self.fv);
            let q = (self.x - self.v) * (self.fx - self.fw);
            let mut p = (self.x - self.v) * q - (self.x - self.w) * r;
            let mut q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            let previous = self.e;
            // A parabolic step must fall inside the bracket and be less than half the
            // step before the last; otherwise the golden section.
            if p.abs() < (0.5 * q * previous).abs() && p > q * (self.a - self.x) && p < q * (self.b - self.x)
            {
                self.e = self.d;
                self.d = p / q;
                let u = self.x + self.d;
                if u - self.a < tol2 || self.b - u < tol2 {
                    self.d = if m >= self.x { tol1 } else { -tol1 };
                }
                golden = false;
            }
        }
        if golden {
            self.e = if self.x >= m {
                self.a - self.x
            } else {
                self.b - self.x
            };
            self.d = GOLDEN * self.e;
        }
        let u = if self.d.abs() >= tol1 {
            self.x + self.d
        } else if self.d > 0.0 {
            self.x + tol1
        } else {
            self.x - tol1
        };
        // Finite brackets give finite steps; a state that does not ends the search.
        u.is_finite().then(|| u.clamp(self.a, self.b))
    }

    /// Takes the value at `u`.
    fn update(&mut self, u: f64, fu: f64) {
        // Values within rounding of the best cannot place the minimum: where every other
        // coordinate adds a large constant, this coordinate's differences vanish in it.
        let rounding = 16.0 * f64::EPSILON * fu.abs().max(self.fx.abs());
        #[allow(clippy::float_cmp)] // equal values, infinite ones included
        let flat =
            fu == self.fx || (fu.is_finite() && self.fx.is_finite() && (fu - self.fx).abs() <= rounding);
        if flat {
            self.flat += 1;
        } else {
            self.flat = 0;
        }
        if fu <= self.fx {
            if u >= self.x {
                self.a = self.x;
            } else {
                self.b = self.x;
            }
            (self.v, self.fv) = (self.w, self.fw);
            (self.w, self.fw) = (self.x, self.fx);
            (self.x, self.fx) = (u, fu);
        } else {
            if u < self.x {
                self.a = u;
            } else {
                self.b = u;
            }
            #[allow(clippy::float_cmp)] // Brent's test: the points coincide exactly.
            if fu <= self.fw || self.w == self.x {
                (self.v, self.fv) = (self.w, self.fw);
                (self.w, self.fw) = (u, fu);
            } else if fu <= self.fv || self.v == self.x || self.v == self.w {
                (self.v, self.fv) = (u, fu);
            }
        }
    }

    /// Whether the values seen along the line fall, rise and fall again: away from the
    /// lowest of them some value lies below one nearer to it, by more than rounding. A
    /// unimodal function never shows this, however coarse the samples.
    fn several_valleys(&self) -> bool {
        let mut line: Vec<(f64, f64)> = self
            .seen
            .iter()
            .copied()
            .zip(self.seen_values.iter().copied())
            .filter(|(_, v)| v.is_finite())
            .collect();
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        let Some(lowest) = (0..line.len()).min_by(|&i, &j| line[i].1.total_cmp(&line[j].1)) else {
            return false;
        };
        let highest = line.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let largest = line.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
        let margin = (VALLEY_MARGIN * (highest - line[lowest].1)).max(16.0 * f64::EPSILON * largest);
        // Walking away from the lowest value, each value should be at least the highest
        // one passed.
        let falls_again = |values: &[(f64, f64)], outward: bool| {
            let mut peak = f64::NEG_INFINITY;
            let mut step = |&(_, v): &(f64, f64)| {
                let lower = v < peak - margin;
                peak = peak.max(v);
                lower
            };
            if outward {
                values.iter().any(&mut step)
            } else {
                values.iter().rev().any(&mut step)
            }
        };
        falls_again(&line[lowest..], true) || falls_again(&line[..=lowest], false)
    }

    /// The next coordinate value to evaluate (snapped into the dimension); positions
    /// whose snapped value was evaluated before are answered from the cache. `None` when
    /// the search is done.
    fn propose(&mut self, space: &Space) -> Option<f64> {
        let dim = &space.dims()[self.coordinate];
        for _ in 0..MAX_CACHED_STEPS {
            let Some(u) = self.step() else {
                self.done = true;
                return None;
            };
            // Brent continues from the position evaluated: an unrounded one would let a
            // tie within one integer (or decimal) cell cut the next cell from the bracket.
            let value = dim.snap(u);
            match self.seen.iter().position(|&s| dim.same(s, value)) {
                Some(i) => self.update(value, self.seen_values[i]),
                None => {
                    self.pending = Some(value);
                    return Some(value);
                }
            }
        }
        self.done = true;
        None
    }

    /// The coordinate value with the lowest value seen, and that value.
    fn best(&self) -> (f64, f64) {
        self.seen
            .iter()
            .zip(&self.seen_values)
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map_or((self.x, self.fx), |(&x, &v)| (x, v))
    }
}

/// A scan of one coordinate over its range, the other coordinates at the base.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Scan {
    coordinate: usize,
    positions: Vec<f64>,
    /// Their values (NaN until told).
    #[serde(with = "zoo_core::float_serde::vec")]
    values: Vec<f64>,
    /// Positions handed out.
    handed: usize,
    /// The interval the grid covers when narrower than the coordinate's range (a zoom).
    #[serde(default)]
    window: Option<(f64, f64)>,
}

impl Scan {
    /// `points` evenly spaced positions over the coordinate's range, the grid shifted by
    /// a random fraction of its spacing (every value of a short integer range), less the
    /// base's own. Evenly spaced: every valley has a position within half a spacing of its
    /// bottom (positions drawn in strata left gaps up to a whole spacing, and found the
    /// lowest valley less often: BBOB f4 at 10-D 2.6e-12 → 0.995). Shifted: a fixed grid
    /// aliases with periodic landscapes (32 positions centred on Rastrigin's range put the
    /// centre valley's nearest position farther from its bottom than those of the valleys
    /// beside it, on every coordinate).
    ///
    /// `width` below 1 narrows the grid to that share of the range, centred on `at`
    /// (clipped to the range).
    fn new(space: &Space, coordinate: usize, at: f64, points: usize, width: f64, rng: &mut ZooRng) -> Self {
        let dim = &space.dims()[coordinate];
        let (lo, hi) = dim.bounds();
        let window = (width < 1.0).then(|| {
            let half = 0.5 * width * (hi - lo);
            ((at - half).max(lo), (at + half).min(hi))
        });
        let (lo, hi) = window.unwrap_or((lo, hi));
        let shift = rng.unit();
        let mut positions: Vec<f64> = (0..points)
            .map(|i| {
                let t = (i as f64 + shift) / points as f64;
                dim.snap(lo * (1.0 - t) + hi * t)
            })
            .filter(|&p| !dim.same(p, at))
            .collect();
        positions.dedup_by(|a, b| dim.same(*a, *b));
        Scan {
            coordinate,
            values: vec![f64::NAN; positions.len()],
            positions,
            handed: 0,
            window,
        }
    }

    fn complete(&self) -> bool {
        self.handed == self.positions.len() && self.values.iter().all(|v| !v.is_nan())
    }

    /// The `k` lowest local minima of the scan and the base: each a line search of the
    /// coordinate bracketed by its neighbours (the range's ends beyond the first and last
    /// position), started at the minimum, its neighbours' values known.
    ///
    /// Also the number of local minima the scan found.
    fn minima(&self, space: &Space, base: &Evaluated<Vec<f64>>, k: usize) -> (Vec<LineSearch>, usize) {
        let mut line: Vec<(f64, f64)> = self
            .positions
            .iter()
            .copied()
            .zip(self.values.iter().copied())
            .collect();
        line.push((base.x[self.coordinate], base.value));
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n = line.len();
        let (lo, hi) = space.dims()[self.coordinate].bounds();
        let (from, to) = self.window.unwrap_or((lo, hi));
        let mut minima: Vec<usize> = (0..n)
            .filter(|&i| (i == 0 || line[i].1 < line[i - 1].1) && (i + 1 == n || line[i].1 <= line[i + 1].1))
            .collect();
        minima.sort_by(|&i, &j| line[i].1.total_cmp(&line[j].1));
        let valleys = minima.len();
        minima.truncate(k);
        let searches = minima
            .into_iter()
            .map(|i| {
                // A zoom's end positions, snapped to an integer or decimal grid, may lie
                // just outside its window.
                let left = if i == 0 {
                    from.min(line[i].0)
                } else {
                    line[i - 1].0
                };
                let right = if i + 1 == n {
                    to.max(line[i].0)
                } else {
                    line[i + 1].0
                };
                let mut search = LineSearch::new(
                    self.coordinate,
                    (left, right),
                    (lo, hi),
                    line[i],
                    tolerance(&space.dims()[self.coordinate]),
                );
                for &j in [i.wrapping_sub(1), i + 1].iter().filter(|&&j| j < n) {
                    search.seen.push(line[j].0);
                    search.seen_values.push(line[j].1);
                }
                search
            })
            .collect();
        (searches, valleys)
    }
}

/// The absolute tolerance of a line search along `dim`: half a step of an integer or
/// decimal grid, a tiny share of a continuous width.
fn tolerance(dim: &zoo_core::Dimension) -> f64 {
    let (lo, hi) = dim.bounds();
    match dim.kind() {
        Kind::Integer { .. } => 0.5,
        Kind::Continuous {
            decimals: Some(k), ..
        } => 0.5 * 10f64.powi(-*k),
        _ => ABSOLUTE_TOLERANCE * (hi * 0.5 - lo * 0.5).max(f64::MIN_POSITIVE),
    }
}

/// Sweeps of line searches over the ordered coordinates of a space, from a base point.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CoordinateSearch {
    base: Evaluated<Vec<f64>>,
    /// The first sweep scans each coordinate's range before its line searches (a
    /// separable function with several minima per coordinate).
    #[serde(default)]
    global: bool,
    /// The scans of this sweep, in the order they started.
    #[serde(default)]
    scans: Vec<Scan>,
    /// The size of the scans.
    #[serde(default = "largest_scan")]
    scan: ScanSize,
    /// The share of each coordinate's range the scans cover, centred on the base: 1 for
    /// the whole range, less for a zoom.
    #[serde(default = "whole_range")]
    width: f64,
    /// The ordered coordinates searched, in order.
    coordinates: Vec<usize>,
    /// The line searches of this sweep, in the order they started.
    searches: Vec<LineSearch>,
    /// Coordinates of this sweep whose scan or line search started.
    #[serde(default)]
    started: usize,
    /// The sweep's point with every coordinate at its line minimum, once handed out.
    combined: Option<Vec<f64>>,
    /// The previous sweep's improvement of the base.
    #[serde(with = "zoo_core::float_serde")]
    last_gain: f64,
    sweeps: u32,
    finished: bool,
    /// The value the combined point of this sweep has if the function is separable, and
    /// the scale of the values that sum makes.
    #[serde(default, with = "zoo_core::float_serde")]
    predicted: f64,
    #[serde(default, with = "zoo_core::float_serde")]
    scale: f64,
    /// Whether every line minimum of this sweep had a finite value (whatever the scale
    /// makes of it).
    #[serde(default)]
    line_minima_finite: bool,
    /// A combined point's value broke the sum: the coordinates are coupled.
    #[serde(default)]
    coupled: bool,
    /// The scale on which the values add up: predictions, gains and the coupling check
    /// are taken on it.
    #[serde(default)]
    additive: AdditiveScale,
    /// The starting base's value, the reference of [`AdditiveScale::apply`].
    #[serde(default, with = "zoo_core::float_serde")]
    reference: f64,
    /// Coordinates where a line search from a valley of the first sweep's scan saw several
    /// valleys within its bracket: the scan's positions fell less than two to a period.
    #[serde(default)]
    bracketed: Vec<usize>,
    /// The local minima each coordinate's scan over its whole range found (coordinates
    /// with fewer values than the scan's positions, scanned at every value, left out).
    #[serde(default)]
    scan_minima: Vec<(usize, usize)>,
    /// A line search without a scan saw its values fall, rise and fall again: the
    /// function has several minima along a coordinate the profiles took for unimodal.
    #[serde(default)]
    several_valleys: bool,
}

impl CoordinateSearch {
    /// A search from `base` over the coordinates of `space`, when every coordinate is
    /// ordered (continuous, or ordered integers) and one has two values or more; `None`
    /// otherwise: line searches cannot move unordered labels, and a search that leaves
    /// some coordinates alone would hand them to CMA-ES late.
    pub(crate) fn new(space: &Space, base: Evaluated<Vec<f64>>) -> Option<Self> {
        if !space.dims().iter().all(Dimension::is_ordered) {
            return None;
        }
        Self::over_ordered(space, base)
    }

    /// A search from `base` over the ordered coordinates of `space` only, leaving its
    /// labels where they are (after value sweeps set them); `None` without an ordered
    /// coordinate of two values or more.
    pub(crate) fn over_ordered(space: &Space, base: Evaluated<Vec<f64>>) -> Option<Self> {
        let coordinates: Vec<usize> = (0..space.len())
            .filter(|&j| {
                let dim = &space.dims()[j];
                let (lo, hi) = dim.bounds();
                // A decimal grid may hold one value between distinct bounds.
                dim.is_ordered() && lo < hi && dim.cardinality() != Some(1)
            })
            .collect();
        if coordinates.is_empty() || base.x.len() != space.len() {
            return None;
        }
        Some(CoordinateSearch {
            base: Evaluated::new(base.x, ranked(base.value)),
            global: false,
            scans: Vec::new(),
            scan: SCANS[0],
            width: 1.0,
            started: 0,
            coordinates,
            searches: Vec::new(),
            combined: None,
            last_gain: f64::INFINITY,
            sweeps: 0,
            finished: false,
            predicted: f64::NAN,
            line_minima_finite: false,
            scale: 0.0,
            coupled: false,
            additive: AdditiveScale::Values,
            reference: 0.0,
            several_valleys: false,
            bracketed: Vec::new(),
            scan_minima: Vec::new(),
        })
    }

    /// Takes predictions, gains and the coupling check on `scale`, the scale on which the
    /// separability probe found the values to add up (or nearly, on a weakly coupled
    /// problem).
    pub(crate) fn on_scale(mut self, scale: AdditiveScale) -> Self {
        self.additive = scale;
        self.reference = self.base.value;
        self
    }

    /// A value on the additive scale.
    fn additive(&self, value: f64) -> f64 {
        self.additive.apply(value, self.reference)
    }

    /// The first sweep scans every coordinate's range at `size.points` positions and runs
    /// line searches from the lowest `size.minima` local minima of each scan: the global
    /// minimum of each one-coordinate function of a separable problem with several minima
    /// per coordinate.
    pub(crate) fn scanning(mut self, size: ScanSize) -> Self {
        self.global = true;
        self.scan = size;
        self
    }

    /// The first sweep's scans cover `width` of each coordinate's range, centred on the
    /// base, rather than the whole range.
    pub(crate) fn zooming(mut self, size: ScanSize, width: f64) -> Self {
        self.width = width;
        self.scanning(size)
    }

    /// Whether a line search of a sweep without a scan saw several valleys along its
    /// coordinate.
    pub(crate) fn several_valleys(&self) -> bool {
        self.several_valleys
    }

    /// The coordinates whose oscillation the first scan resolved poorly: first those where
    /// a line search of the scanning sweep, started in a valley of the scan, saw several
    /// valleys between the scan's neighbouring positions; then those whose scan found a
    /// local minimum for every [`CROWDED_POSITIONS`] positions or fewer; each group with the
    /// most scan minima first.
    pub(crate) fn crowded(&self) -> Vec<usize> {
        let minima = |j: usize| self.scan_minima.iter().find(|v| v.0 == j).map_or(0, |v| v.1);
        let most_first = |a: &usize, b: &usize| minima(*b).cmp(&minima(*a)).then(a.cmp(b));
        let mut bracketed = self.bracketed.clone();
        bracketed.sort_by(most_first);
        let mut dense: Vec<usize> = self
            .scan_minima
            .iter()
            .filter(|v| v.1 * CROWDED_POSITIONS >= self.scan.points && !bracketed.contains(&v.0))
            .map(|v| v.0)
            .collect();
        dense.sort_by(most_first);
        bracketed.extend(dense);
        bracketed
    }

    /// The coordinates searched.
    pub(crate) fn searched(&self) -> usize {
        self.coordinates.len()
    }

    /// Searches only `coordinates` (those of the space's searched coordinates among them).
    pub(crate) fn only(mut self, coordinates: &[usize]) -> Self {
        self.coordinates.retain(|j| coordinates.contains(j));
        self
    }

    /// Whether the first sweep scanned the coordinates.
    pub(crate) fn scanned(&self) -> bool {
        self.global
    }

    /// Whether the search ended: a sweep gained nothing or more than half as much as the
    /// one before, or a sweep found the coordinates coupled (the first by its combined
    /// point's value, any by a combined point beyond an infeasible face).
    pub(crate) fn finished(&self) -> bool {
        self.finished
    }

    /// Whether a sweep found the coordinates coupled: the combined point's value was not
    /// the sum of the coordinates' gains.
    pub(crate) fn coupled(&self) -> bool {
        self.coupled
    }

    /// Sweeps completed.
    pub(crate) fn sweeps(&self) -> u32 {
        self.sweeps
    }

    /// The base point: the best point of the completed sweeps.
    pub(crate) fn base(&self) -> &Evaluated<Vec<f64>> {
        &self.base
    }

    /// A line search of `coordinate` over its whole range, from the base.
    fn start_search(&self, space: &Space, coordinate: usize) -> LineSearch {
        let dim = &space.dims()[coordinate];
        let start = (self.base.x[coordinate], self.base.value);
        LineSearch::new(coordinate, dim.bounds(), dim.bounds(), start, tolerance(dim))
    }

    /// The next point to evaluate; `None` while every search of the sweep waits for a
    /// value (parallel batches: [`CoordinateSearch::finished`] tells the two apart), or
    /// once the search finished.
    pub(crate) fn ask(&mut self, space: &Space, rng: &mut ZooRng) -> Option<Vec<f64>> {
        if self.finished {
            return None;
        }
        loop {
            for search in self
                .searches
                .iter_mut()
                .filter(|s| !s.done && s.pending.is_none())
            {
                if let Some(value) = search.propose(space) {
                    let mut x = self.base.x.clone();
                    x[search.coordinate] = value;
                    return Some(x);
                }
            }
            if let Some(scan) = self.scans.iter_mut().find(|s| s.handed < s.positions.len()) {
                let mut x = self.base.x.clone();
                x[scan.coordinate] = scan.positions[scan.handed];
                scan.handed += 1;
                return Some(x);
            }
            if let Some(i) = self.scans.iter().position(Scan::complete) {
                let scan = self.scans.swap_remove(i);
                let (searches, valleys) = scan.minima(space, &self.base, self.scan.minima);
                self.searches.extend(searches);
                let every_value = space.dims()[scan.coordinate]
                    .cardinality()
                    .is_some_and(|c| c <= self.scan.points as u128);
                if self.sweeps == 0 && self.width >= 1.0 && !every_value {
                    self.scan_minima.push((scan.coordinate, valleys));
                }
                continue;
            }
            if self.started < self.coordinates.len() {
                let coordinate = self.coordinates[self.started];
                self.started += 1;
                if self.global && self.sweeps == 0 {
                    self.scans.push(Scan::new(
                        space,
                        coordinate,
                        self.base.x[coordinate],
                        self.scan.points,
                        self.width,
                        rng,
                    ));
                } else {
                    let search = self.start_search(space, coordinate);
                    self.searches.push(search);
                }
                continue;
            }
            if self.searches.iter().any(|s| !s.done) || !self.scans.is_empty() || self.combined.is_some() {
                return None;
            }
            if !self.global && self.searches.iter().any(LineSearch::several_valleys) {
                self.several_valleys = true;
            }
            if self.global && self.sweeps == 0 && self.width >= 1.0 {
                let mut bracketed: Vec<usize> = self
                    .searches
                    .iter()
                    .filter(|s| s.several_valleys())
                    .map(|s| s.coordinate)
                    .collect();
                bracketed.sort_unstable();
                bracketed.dedup();
                self.bracketed = bracketed;
            }
            let mut combined = self.base.x.clone();
            let mut lowest = vec![f64::INFINITY; combined.len()];
            for search in &self.searches {
                let (x, v) = search.best();
                if v < lowest[search.coordinate] {
                    lowest[search.coordinate] = v;
                    combined[search.coordinate] = x;
                }
            }
            if space.same_point(&combined, &self.base.x) {
                self.finished = true;
                return None;
            }
            // On a separable function the combined point's value is the base's plus every
            // coordinate's gain, to rounding.
            let base = self.additive(self.base.value);
            let gains: Vec<f64> = lowest
                .iter()
                .filter(|v| v.is_finite())
                .map(|&v| self.additive(v) - base)
                .collect();
            self.predicted = base + gains.iter().sum::<f64>();
            self.line_minima_finite =
                self.base.value.is_finite() && self.searches.iter().all(|s| lowest[s.coordinate].is_finite());
            self.scale = base.abs() + gains.iter().map(|g| g.abs()).sum::<f64>();
            self.combined = Some(combined.clone());
            return Some(combined);
        }
    }

    /// Takes the value of a point this search handed out; false for any other point.
    pub(crate) fn tell(&mut self, x: &[f64], value: f64) -> bool {
        let value = ranked(value);
        if self.combined.as_deref() == Some(x) {
            let (base, additive) = (self.additive(self.base.value), self.additive(value));
            let gain = base - additive;
            let defect = (additive - self.predicted).abs();
            // The first sweep only: later ones gain little more than the function's own
            // rounding near the optimum (BBOB's values, less their optimal value, carry
            // ~1e-13), and a defect must also be a share of the gains.
            let gains = self.scale - base.abs();
            self.sweeps += 1;
            // A value outside the scale's domain (a logarithm's argument at or below 0),
            // or one the transformation overflows, is no sum on that scale; so is a sweep
            // whose own line minima were (the prediction is not finite then).
            let off_scale = self.additive != AdditiveScale::Values
                && value.is_finite()
                && (!self.additive.admits(value) || !additive.is_finite() || !self.predicted.is_finite());
            // Every line minimum finite and their combination infinite (each coordinate
            // moved up to the face of an infeasible region, together beyond it): the
            // region couples the coordinates, in any sweep.
            let beyond = value == f64::INFINITY && self.line_minima_finite;
            if beyond
                || self.sweeps == 1
                    && (off_scale
                        || defect.is_finite()
                            && defect > COUPLING_DEFECT * (self.scale + additive.abs())
                            && defect > COUPLING_SHARE * gains)
            {
                // The coordinates' gains do not add up: the function is not separable.
                self.coupled = true;
            }
            if value < self.base.value {
                self.base = Evaluated::new(x.to_vec(), value);
            }
            // No gain: every coordinate is at its minimum (to rounding). A gain close to
            // the one before: coupled coordinates.
            if self.coupled || gain.is_nan() || gain <= 0.0 || gain > CREEP * self.last_gain {
                self.finished = true;
            }
            self.last_gain = gain;
            self.searches.clear();
            self.scans.clear();
            self.started = 0;
            self.combined = None;
            return true;
        }
        let base = &self.base.x;
        #[allow(clippy::float_cmp)] // the point handed out, returned as it was
        let moved_only = |j: usize, at: f64| {
            x.len() == base.len()
                && x[j] == at
                && x.iter().zip(base).enumerate().all(|(i, (a, b))| i == j || a == b)
        };
        for scan in self.scans.iter_mut() {
            if let Some(i) = (0..scan.handed)
                .find(|&i| scan.values[i].is_nan() && moved_only(scan.coordinate, scan.positions[i]))
            {
                scan.values[i] = value;
                return true;
            }
        }
        for search in self.searches.iter_mut() {
            let Some(handed) = search.pending else {
                continue;
            };
            if moved_only(search.coordinate, handed) {
                search.pending = None;
                search.seen.push(handed);
                search.seen_values.push(value);
                search.update(handed, value);
                return true;
            }
        }
        false
    }

    /// The state is consistent with `space` (for checkpoints): indices in range, counts
    /// consistent, every position a valid coordinate value, brackets inside the ranges.
    pub(crate) fn check(&self, space: &Space) -> Result<(), StateError> {
        let dims = space.dims();
        let in_dim = |j: usize, v: f64| j < dims.len() && dims[j].contains(v);
        let searches_ok = self.searches.iter().all(|s| {
            let range = s.coordinate < dims.len() && (s.lo, s.hi) == dims[s.coordinate].bounds();
            range
                && s.lo <= s.a
                && s.a <= s.x
                && s.x <= s.b
                && s.b <= s.hi
                && [s.w, s.v, s.d, s.e, s.tolerance].iter().all(|v| v.is_finite())
                && s.tolerance > 0.0
                && s.flat <= FLAT_STEPS
                && !s.seen.is_empty()
                && s.seen.len() == s.seen_values.len()
                && s.seen.iter().all(|&v| in_dim(s.coordinate, v))
                && s.pending.is_none_or(|v| in_dim(s.coordinate, v))
        });
        let scans_ok = self.scans.iter().all(|s| {
            s.coordinate < dims.len()
                && s.values.len() == s.positions.len()
                && s.handed <= s.positions.len()
                && s.positions.iter().all(|&v| in_dim(s.coordinate, v))
                && s.window.is_none_or(|(from, to)| {
                    let (lo, hi) = dims[s.coordinate].bounds();
                    lo <= from && from <= to && to <= hi
                })
        });
        let counts_ok = self.coordinates.iter().all(|&j| j < dims.len())
            && self.started <= self.coordinates.len()
            && (1..=MAX_SCAN_MINIMA).contains(&self.scan.minima)
            && SCANS.iter().chain([&ZOOM]).any(|s| s.points == self.scan.points)
            && self.width > 0.0
            && self.width <= 1.0
            && self.searches.len() <= MAX_SCAN_MINIMA * self.coordinates.len()
            && self.scans.len() <= self.coordinates.len()
            && self.bracketed.len() <= dims.len()
            && self.bracketed.iter().all(|&j| j < dims.len())
            && self.scan_minima.len() <= dims.len()
            && self.scan_minima.iter().all(|v| v.0 < dims.len())
            && self.sweeps < u32::MAX;
        StateError::ensure(counts_ok && searches_ok && scans_ok, || {
            "the coordinate search's state is inconsistent".into()
        })?;
        space.check_point(&self.base.x, || "the coordinate search's base".to_owned())?;
        StateError::ensure(
            self.additive == AdditiveScale::Values || self.reference.is_finite(),
            || "the coordinate search's reference value is not finite".into(),
        )?;
        if let Some(c) = &self.combined {
            space.check_point(c, || "the coordinate search's combined point".to_owned())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zoo_core::Dimension;

    /// Runs the search sequentially on `f` for at most `budget` evaluations; the best
    /// value and the evaluations used.
    fn run(space: &Space, f: impl Fn(&[f64]) -> f64, start: Vec<f64>, budget: usize) -> (f64, usize) {
        let mut rng = ZooRng::seed_from(1);
        let value = f(&start);
        let mut search = CoordinateSearch::new(space, Evaluated::new(start, value)).unwrap();
        let mut best = value;
        let mut used = 0;
        while used < budget {
            let Some(x) = search.ask(space, &mut rng) else {
                break;
            };
            assert!(space.contains(&x));
            let v = f(&x);
            best = best.min(v);
            assert!(search.tell(&x, v));
            used += 1;
        }
        (best, used)
    }

    #[test]
    fn separable_unimodal_functions_are_solved_to_rounding_whatever_the_conditioning() {
        let space = Space::cube(20, -5.0, 5.0).unwrap();
        let ellipsoid = |x: &[f64]| {
            x.iter()
                .enumerate()
                .map(|(i, v)| 1e6f64.powf(i as f64 / 19.0) * (v - 1.3).powi(2))
                .sum::<f64>()
        };
        let (best, used) = run(&space, ellipsoid, vec![-4.0; 20], 5_000);
        assert!(best < 1e-12, "{best}");
        assert!(used < 2_000, "{used}");
        // A slope: the optimum on the bounds.
        let (best, _) = run(
            &space,
            |x: &[f64]| x.iter().sum::<f64>() + 100.0,
            vec![2.0; 20],
            5_000,
        );
        assert!((best - 0.0).abs() < 1e-9, "{best}");
    }

    #[test]
    fn integer_coordinates_reach_their_minimum() {
        let dims = (0..10).map(|i| {
            if i % 2 == 0 {
                Dimension::integer(-20, 20).unwrap()
            } else {
                Dimension::continuous(-3.0, 3.0).unwrap()
            }
        });
        let space = Space::new(dims).unwrap();
        let f = |x: &[f64]| x.iter().map(|v| (v - 2.4).powi(2)).sum::<f64>();
        let mut start = vec![-2.9; 10];
        space.snap(&mut start);
        let (best, _) = run(&space, f, start, 2_000);
        // Integers at 2: 5 · 0.16; the continuous ones at 2.4.
        assert!((best - 0.8).abs() < 1e-9, "{best}");
    }

    #[test]
    fn concurrent_searches_agree_with_sequential_ones() {
        let mut rng = ZooRng::seed_from(1);
        let space = Space::cube(6, 0.0, 10.0).unwrap();
        let f = |x: &[f64]| {
            x.iter()
                .enumerate()
                .map(|(i, v)| (v - i as f64).powi(2))
                .sum::<f64>()
        };
        let start = vec![9.0; 6];
        let mut search = CoordinateSearch::new(&space, Evaluated::new(start.clone(), f(&start))).unwrap();
        let mut best = f64::INFINITY;
        for _ in 0..2_000 {
            // Ask up to four points, then tell them newest first.
            let batch: Vec<Vec<f64>> = (0..4).map_while(|_| search.ask(&space, &mut rng)).collect();
            if batch.is_empty() {
                break;
            }
            for x in batch.into_iter().rev() {
                let v = f(&x);
                best = best.min(v);
                assert!(search.tell(&x, v));
            }
        }
        assert!(best < 1e-14, "{best}");
        assert!(search.finished() && search.sweeps() >= 1);
        assert!(
            !search.tell(&[1.0; 6], 0.0),
            "a point never handed out is not its own"
        );
    }

    #[test]
    fn a_scanned_valley_at_the_end_of_the_range_is_searched_inside_the_range() {
        let mut rng = ZooRng::seed_from(1);
        // Shifted Rastrigin: the optimum at the upper bound, in the last scan valley.
        let space = Space::cube(4, -5.0, 5.0).unwrap();
        let f = |x: &[f64]| {
            x.iter()
                .map(|v| 10.0 + (v - 5.0).powi(2) - 10.0 * (2.0 * std::f64::consts::PI * (v - 5.0)).cos())
                .sum::<f64>()
        };
        let start = vec![0.3; 4];
        let value = f(&start);
        let mut search = CoordinateSearch::new(&space, Evaluated::new(start, value))
            .unwrap()
            .scanning(SCANS[0]);
        let mut best = value;
        for _ in 0..5_000 {
            let Some(x) = search.ask(&space, &mut rng) else {
                break;
            };
            assert!(space.contains(&x), "{x:?}");
            let v = f(&x);
            best = best.min(v);
            assert!(search.tell(&x, v));
        }
        assert!(search.finished());
        assert!(best < 1e-12, "{best}");
    }

    #[test]
    fn integer_ties_within_a_cell_keep_the_minimum_in_the_bracket() {
        let space = Space::new([Dimension::integer(-20, 20).unwrap()]).unwrap();
        let (best, _) = run(&space, |x: &[f64]| (x[0] + 18.76).powi(2), vec![0.0], 200);
        assert!((best - 0.24f64.powi(2)).abs() < 1e-12, "{best}");
        // Two values: the other end is tried.
        let space = Space::new([Dimension::integer(0, 1).unwrap()]).unwrap();
        let (best, _) = run(&space, |x: &[f64]| -x[0], vec![0.0], 200);
        assert!((best + 1.0).abs() < 1e-12, "{best}");
    }

    #[test]
    fn infeasible_values_do_not_end_a_search() {
        let space = Space::cube(1, -1.0, 1.0).unwrap();
        let f = |x: &[f64]| {
            if x[0] < -0.9 {
                (x[0] + 0.95).powi(2)
            } else {
                f64::INFINITY
            }
        };
        let (best, _) = run(&space, f, vec![-1.0], 500);
        assert!(best < 1e-12, "{best}");
    }

    #[test]
    fn damaged_states_are_refused() {
        let mut rng = ZooRng::seed_from(1);
        let space = Space::cube(3, 0.0, 1.0).unwrap();
        let start = vec![0.5; 3];
        let mut search = CoordinateSearch::new(&space, Evaluated::new(start, 1.0))
            .unwrap()
            .scanning(SCANS[0]);
        let x = search.ask(&space, &mut rng).unwrap();
        assert!(search.check(&space).is_ok());
        search.tell(&x, 0.5);
        let damaged = |edit: &dyn Fn(&mut CoordinateSearch)| {
            let mut s = search.clone();
            edit(&mut s);
            s.check(&space).is_err()
        };
        assert!(damaged(&|s| s.scans[0].positions[1] = 7.0));
        assert!(damaged(&|s| s.coordinates[0] = 3));
        assert!(damaged(&|s| s.base.x.push(0.0)));
        assert!(damaged(&|s| s.started = 4));
        assert!(damaged(&|s| s.width = 0.0));
        assert!(damaged(&|s| s.width = 1.5));
        assert!(damaged(&|s| s.width = f64::NAN));
        assert!(damaged(&|s| s.scans[0].window = Some((0.6, 0.4))));
        assert!(damaged(&|s| s.scans[0].window = Some((-0.1, 0.4))));
        assert!(!damaged(&|s| s.scans[0].window = Some((0.4, 0.6))));
        assert!(damaged(&|s| {
            s.scans[0].coordinate = 3;
            s.scans[0].positions.clear();
            s.scans[0].values.clear();
            s.scans[0].handed = 0;
        }));
        let mut searching = CoordinateSearch::new(&space, Evaluated::new(vec![0.5; 3], 1.0)).unwrap();
        let x = searching.ask(&space, &mut rng).unwrap();
        assert!(searching.tell(&x, 2.0));
        let damaged = |edit: &dyn Fn(&mut LineSearch)| {
            let mut s = searching.clone();
            edit(&mut s.searches[0]);
            s.check(&space).is_err()
        };
        assert!(damaged(&|l| l.seen.clear()));
        assert!(damaged(&|l| l.seen[0] = -1.0));
        assert!(damaged(&|l| l.a = 2.0));
        assert!(damaged(&|l| l.flat = u32::MAX));
        assert!(damaged(&|l| l.hi = 5.0));
        assert!(searching.check(&space).is_ok());
    }

    /// Line searches on `f` from `start` until they end (generator seed 1).
    fn search_to_the_end(space: &Space, f: &dyn Fn(&[f64]) -> f64, start: Vec<f64>) -> CoordinateSearch {
        search_on_scale(space, f, start, AdditiveScale::Values)
    }

    /// [`search_to_the_end`] with the sum checked on `scale`.
    fn search_on_scale(
        space: &Space,
        f: &dyn Fn(&[f64]) -> f64,
        start: Vec<f64>,
        scale: AdditiveScale,
    ) -> CoordinateSearch {
        let mut rng = ZooRng::seed_from(1);
        let value = f(&start);
        let mut search = CoordinateSearch::new(space, Evaluated::new(start, value))
            .unwrap()
            .on_scale(scale);
        while let Some(x) = search.ask(space, &mut rng) {
            let v = f(&x);
            assert!(search.tell(&x, v));
        }
        search
    }

    #[test]
    fn a_combined_point_that_breaks_the_sum_marks_the_coordinates_coupled() {
        let space = Space::cube(4, -2.0, 2.0).unwrap();
        for (coupling, coupled) in [(0.0, false), (1.5, true)] {
            let f = |x: &[f64]| x.iter().map(|v| (v - 0.5).powi(2)).sum::<f64>() + coupling * x[0] * x[1];
            let search = search_to_the_end(&space, &f, vec![-1.7; 4]);
            assert_eq!(search.coupled(), coupled, "coupling {coupling}");
        }
    }

    /// `‖x‖²` where `Σx ≥ 2`, `+∞` elsewhere, from a feasible start: each coordinate's line
    /// minimum stops at the face, and all of them together lie beyond it.
    #[test]
    fn a_combined_point_beyond_an_infeasible_face_marks_the_coordinates_coupled() {
        let space = Space::cube(4, -2.0, 2.0).unwrap();
        for (face, coupled) in [(-10.0, false), (2.0, true)] {
            let f = |x: &[f64]| {
                if x.iter().sum::<f64>() < face {
                    f64::INFINITY
                } else {
                    x.iter().map(|v| v * v).sum::<f64>()
                }
            };
            let search = search_to_the_end(&space, &f, vec![1.5; 4]);
            assert_eq!(search.coupled(), coupled, "face {face}");
        }
    }

    /// The same face on the logarithm's scale, with a line minimum of value 0 (outside the
    /// logarithm's domain): the prediction is not finite, the line minima are.
    #[test]
    fn a_combined_point_beyond_an_infeasible_face_is_seen_on_any_scale() {
        let space = Space::cube(4, -2.0, 2.0).unwrap();
        let f = |x: &[f64]| {
            if x.iter().sum::<f64>() < 2.0 {
                f64::INFINITY
            } else {
                x[0] * x[0] * x[1..].iter().map(|v| 1.0 + v * v).product::<f64>()
            }
        };
        let search = search_on_scale(&space, &f, vec![1.5; 4], AdditiveScale::Log);
        assert!(search.coupled());
        assert!(search.base().value.is_finite());
    }

    #[test]
    fn the_sum_is_checked_on_the_scale_where_the_values_add_up() {
        let mut rng = ZooRng::seed_from(1);
        let space = Space::cube(4, -2.0, 2.0).unwrap();
        let sum = |x: &[f64]| {
            x.iter()
                .enumerate()
                .map(|(i, v)| (i + 1) as f64 * (v - 0.5).powi(2))
                .sum::<f64>()
        };
        type Case = (fn(f64) -> f64, AdditiveScale);
        let cases: [Case; 2] = [
            (f64::ln_1p, AdditiveScale::Exp),
            (f64::sqrt, AdditiveScale::Square),
        ];
        for (wrap, scale) in cases {
            for (on, coupled) in [(AdditiveScale::Values, true), (scale, false)] {
                let f = |x: &[f64]| wrap(sum(x));
                let start = vec![-1.7; 4];
                let value = f(&start);
                let mut search = CoordinateSearch::new(&space, Evaluated::new(start, value))
                    .unwrap()
                    .on_scale(on);
                while let Some(x) = search.ask(&space, &mut rng) {
                    let v = f(&x);
                    assert!(search.tell(&x, v));
                }
                assert_eq!(search.coupled(), coupled, "{scale:?} checked on {on:?}");
                if !coupled {
                    assert!(sum(&search.base().x) < 1e-12, "{scale:?}: {:?}", search.base());
                }
            }
        }
        // A combined point whose value overflows the scale is no sum on it either: here a
        // jump of 1,000 where every coordinate is at its line minimum.
        let jump = |x: &[f64]| {
            sum(x).ln_1p()
                + if x.iter().all(|v| (v - 0.5).abs() < 1e-3) {
                    1e3
                } else {
                    0.0
                }
        };
        let start = vec![-1.7; 4];
        let value = jump(&start);
        let mut search = CoordinateSearch::new(&space, Evaluated::new(start, value))
            .unwrap()
            .on_scale(AdditiveScale::Exp);
        while let Some(x) = search.ask(&space, &mut rng) {
            let v = jump(&x);
            assert!(search.tell(&x, v));
        }
        assert!(search.coupled());
        // A value outside the scale's domain is no sum on it.
        let below_zero = |x: &[f64]| sum(x) - 1.0;
        let start = vec![-1.7; 4];
        let value = below_zero(&start);
        let mut search = CoordinateSearch::new(&space, Evaluated::new(start, value))
            .unwrap()
            .on_scale(AdditiveScale::Log);
        while let Some(x) = search.ask(&space, &mut rng) {
            let v = below_zero(&x);
            assert!(search.tell(&x, v));
        }
        assert!(search.coupled());
    }

    #[test]
    fn a_coupled_function_ends_the_search() {
        let space = Space::cube(2, -2.0, 2.0).unwrap();
        let rosenbrock = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
        let (_, used) = run(&space, rosenbrock, vec![-1.5, 1.8], 100_000);
        assert!(used < 100_000, "sweeps that creep end the search");
    }

    /// Values along a line, at the given positions, as a line search records them.
    fn line_of(positions: &[f64], f: impl Fn(f64) -> f64) -> LineSearch {
        let mut search = LineSearch::new(
            0,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (positions[0], f(positions[0])),
            1e-12,
        );
        for &u in &positions[1..] {
            search.seen.push(u);
            search.seen_values.push(f(u));
        }
        search
    }

    #[test]
    fn a_line_that_falls_rises_and_falls_again_has_several_valleys() {
        let positions: Vec<f64> = (0..40).map(|i| -4.9 + 0.245 * i as f64).collect();
        // A cosine over a quadratic envelope: several valleys.
        let ripples = |u: f64| 10.0 * (u - 0.3).powi(2) + 10.0 * (1.0 - (20.0 * u).cos());
        assert!(line_of(&positions, ripples).several_valleys());
        // Unimodal, however the samples fall: a quadratic on a large constant, a kink,
        // a plateau (a step function), an optimum at the end of the range.
        type Line = Box<dyn Fn(f64) -> f64>;
        let unimodal: [(&str, Line); 4] = [
            ("quadratic", Box::new(|u: f64| 1e6 + (u - 0.3).powi(2))),
            ("kink", Box::new(|u: f64| (u - 1.7).abs())),
            ("steps", Box::new(|u: f64| (u + 0.5).floor().powi(2))),
            ("slope", Box::new(|u: f64| 3.0 * u)),
        ];
        for (name, f) in &unimodal {
            assert!(!line_of(&positions, f).several_valleys(), "{name}");
        }
        // Jitter of a few ulps on a large value is not a second valley either.
        let jitter =
            |u: f64| 1e12 + (u - 0.3).abs().min(2.0) * 1e-4 + 1e-4 * f64::from((u * 1e3).sin() > 0.0);
        assert!(
            !line_of(&positions, |u| if (u - 0.3).abs() < 2.0 {
                1e12
            } else {
                jitter(u)
            })
            .several_valleys()
        );
        // Differences at rounding around the minimum are not a second valley.
        let rounded = |u: f64| {
            if (u - 0.3).abs() < 0.5 {
                1.0 + 1e-16 * (u * 1e3).sin()
            } else {
                1.0 + (u - 0.3).powi(2)
            }
        };
        assert!(!line_of(&positions, rounded).several_valleys());
    }

    #[test]
    fn a_zoom_scans_a_window_around_the_base() {
        let mut rng = ZooRng::seed_from(3);
        let space = Space::cube(2, -5.0, 5.0).unwrap();
        let f = |x: &[f64]| {
            x.iter()
                .map(|v| 10.0 * (1.0 - (60.0 * v).cos()) + v * v)
                .sum::<f64>()
        };
        let start = vec![4.9, 0.2];
        let value = f(&start);
        let mut search = CoordinateSearch::new(&space, Evaluated::new(start.clone(), value))
            .unwrap()
            .zooming(ZOOM, ZOOM_WIDTH);
        let half = 0.5 * ZOOM_WIDTH * 10.0;
        let mut positions = [Vec::new(), Vec::new()];
        while search.sweeps() == 0 {
            let x = search.ask(&space, &mut rng).unwrap();
            for j in 0..2 {
                #[allow(clippy::float_cmp)] // a coordinate left at the base, copied
                if x[j] != start[j] {
                    positions[j].push(x[j]);
                }
            }
            assert!(search.tell(&x, f(&x)));
        }
        // The window is clipped to the range at the upper bound.
        for (j, window) in [(0, (4.9 - half, 5.0)), (1, (0.2 - half, 0.2 + half))] {
            assert!(positions[j].len() >= ZOOM.points, "{j}: {}", positions[j].len());
            assert!(
                positions[j].iter().all(|&p| window.0 <= p && p <= window.1),
                "coordinate {j}: {:?}",
                positions[j]
            );
        }
    }

    #[test]
    fn a_sweep_that_ends_where_it_started_still_reports_a_second_valley() {
        let mut rng = ZooRng::seed_from(1);
        let space = Space::cube(2, -5.0, 5.0).unwrap();
        // The base sits at the bottom of a narrow valley; a wider, deeper one lies to its
        // left, past a hill, and Brent's steps from the base never reach below it.
        let g = |u: f64| {
            if u > 2.0 {
                (u - 3.0).powi(2)
            } else {
                5.0 + (u + 4.0).powi(2) - 6.0
            }
        };
        let f = |x: &[f64]| g(x[0]) + g(x[1]);
        let mut search =
            CoordinateSearch::new(&space, Evaluated::new(vec![3.0, 3.0], f(&[3.0, 3.0]))).unwrap();
        while let Some(x) = search.ask(&space, &mut rng) {
            assert!(search.tell(&x, f(&x)));
        }
        assert!(search.finished());
        // No combined point was evaluated: the sweep found nothing below the base.
        assert_eq!(search.sweeps(), 0);
        assert!(search.several_valleys());
    }

    #[test]
    fn a_zoom_on_integer_coordinates_keeps_its_state_valid() {
        let mut rng = ZooRng::seed_from(2);
        let space = Space::new([
            Dimension::integer(0, 12).unwrap(),
            Dimension::integer(0, 27).unwrap(),
        ])
        .unwrap();
        let f = |x: &[f64]| (x[0] - 5.0).powi(2) + (x[1] - 13.0).abs();
        let start = vec![6.0, 14.0];
        let mut search = CoordinateSearch::new(&space, Evaluated::new(start.clone(), f(&start)))
            .unwrap()
            .zooming(ZOOM, ZOOM_WIDTH);
        let mut best = f(&start);
        while let Some(x) = search.ask(&space, &mut rng) {
            assert!(space.contains(&x), "{x:?}");
            let v = f(&x);
            best = best.min(v);
            assert!(search.tell(&x, v));
            assert!(search.check(&space).is_ok(), "{search:?}");
        }
        assert!(search.finished());
        assert!(best < 1e-12, "{best}");
    }

    #[test]
    fn crowded_coordinates_come_bracketed_first_then_by_their_scans_minima() {
        let space = Space::cube(5, 0.0, 1.0).unwrap();
        let mut search = CoordinateSearch::new(&space, Evaluated::new(vec![0.5; 5], 1.0)).unwrap();
        // Bracketed coordinates first, the most minima first; then those with a minimum for
        // every 4 positions or fewer (16 of the 64), the most first.
        search.bracketed = vec![4, 1];
        search.scan_minima = vec![(0, 20), (1, 3), (2, 25), (3, 15), (4, 2)];
        assert_eq!(search.crowded(), vec![1, 4, 2, 0]);
        assert!(search.check(&space).is_ok());
        let only = search.clone().only(&[2, 0]);
        assert_eq!(only.searched(), 2);
        assert_eq!(only.coordinates, vec![0, 2]);
        let mut damaged = search.clone();
        damaged.bracketed.push(5);
        assert!(damaged.check(&space).is_err());
        let mut damaged = search;
        damaged.scan_minima.push((7, 20));
        assert!(damaged.check(&space).is_err());
    }

    /// Runs the first sweep of a scanning search on `f` from `start`.
    fn first_sweep(space: &Space, f: impl Fn(&[f64]) -> f64, start: Vec<f64>) -> CoordinateSearch {
        let mut rng = ZooRng::seed_from(4);
        let value = f(&start);
        let mut search = CoordinateSearch::new(space, Evaluated::new(start, value))
            .unwrap()
            .scanning(SCANS[0]);
        while search.sweeps() == 0 {
            let Some(x) = search.ask(space, &mut rng) else {
                break;
            };
            assert!(search.tell(&x, f(&x)));
        }
        search
    }

    /// `amplitude · (1 − cos 2πz) + envelope · z²`, `z = stretch · (v − 0.3)`.
    fn oscillation(v: f64, (stretch, amplitude, envelope): (f64, f64, f64)) -> f64 {
        let z = stretch * (v - 0.3);
        amplitude * (1.0 - (2.0 * std::f64::consts::PI * z).cos()) + envelope * z * z
    }

    #[test]
    fn a_scanning_sweep_records_the_coordinates_it_resolved_poorly() {
        let space = Space::cube(3, -5.0, 5.0).unwrap();
        // Coordinate 0 oscillates 10 times over the range (six scan positions a period);
        // coordinate 1 about 100 times under a shallow envelope (its scan sees a minimum
        // every few positions); coordinate 2 about 300 times under a steep one (its scan
        // sees the envelope, its line searches the valleys).
        let terms = [(1.0, 10.0, 1.0), (9.6, 10.0, 0.001), (31.6, 10.0, 1.0)];
        let f = |x: &[f64]| x.iter().zip(terms).map(|(&v, t)| oscillation(v, t)).sum::<f64>();
        let search = first_sweep(&space, f, vec![1.0; 3]);
        let minima = |j: usize| search.scan_minima.iter().find(|v| v.0 == j).unwrap().1;
        assert!(
            minima(1) * CROWDED_POSITIONS >= SCANS[0].points,
            "{:?}",
            search.scan_minima
        );
        assert!(
            minima(0) * CROWDED_POSITIONS < SCANS[0].points,
            "{:?}",
            search.scan_minima
        );
        assert!(search.bracketed.contains(&2), "{:?}", search.bracketed);
        let crowded = search.crowded();
        assert!(crowded.contains(&1) && crowded.contains(&2), "{crowded:?}");
        assert!(!crowded.contains(&0), "{crowded:?}");
    }

    #[test]
    fn a_first_sweep_that_finds_nothing_lower_still_records_its_crowded_coordinates() {
        // From the optimum itself every line search ends in a higher valley.
        let space = Space::cube(1, -5.0, 5.0).unwrap();
        let search = first_sweep(&space, |x| oscillation(x[0], (31.6, 10.0, 1.0)), vec![0.3]);
        assert!(search.finished() && search.sweeps() == 0);
        assert_eq!(search.crowded(), vec![0]);
    }
}
