//! A test for ripples at the population's scale, run once when a CMA-ES run hands over to
//! its elitist finish.
//!
//! A population smooths over ripples smaller than its spread: it ranks points by values
//! that average over many of them. A (1+1)-ES cannot: on a rugged landscape (Weierstrass,
//! Schaffers) it accepts a step into one ripple, fails around it and shrinks its step
//! size into it. So before the finish takes over, the values along [`LINES`] lines through
//! the run's mean are measured at [`POINTS`] evenly spaced offsets `s·σ·B·D·z`,
//! `s ∈ [−REACH, REACH]` (`z` standard normal, one per line: a direction as the run would
//! sample it). A landscape that is convex at that scale has one local minimum along every
//! line; more than one on any line hands the run back to its generations at once. Measured
//! at the hand-over, seeds 1–4, on BBOB in 50 dimensions and ZOOpt's Ackley in 100: one
//! minimum on every line of the sphere, the bent cigar, the sharp ridge, different
//! powers, the rotated Rastrigin (at that scale a basin) and Ackley; two to five on most
//! lines of Weierstrass and the Schaffers functions (f16–f18).
//!
//! The same lines test whether the landscape is **locally quadratic**, the shape the
//! finish's fixed covariance assumes. A sum of absolute values or a maximum (a
//! least-absolute-deviations fit, a rotated `Σ|zᵢ|`) is piecewise linear instead, and a
//! (1+1)-ES stalls on its edges while the population's recombination does not (CMA-ES
//! alone on a least-absolute-deviations fit in 50-D at 300·D evaluations, seeds 1–5:
//! 2.6e-6 without the finish, 13.7 with it before this test). When the root-mean-square
//! distance of the values from their least-squares parabola, as a share of each line's
//! range, averages more than [`KINKED`] over the lines, the run goes back to its
//! generations. Measured at the hand-over (50-D and 100-D, seeds 1–5): 0.012–0.054 on
//! least absolute deviations and the rotated `Σ|zᵢ|` (with or without weights), 0.03–0.12
//! on the rotated `max|zᵢ|` but for one run at 0.0027; at most 0.0083 on BBOB's f1, f8,
//! f9 and f12–f14, Ackley, the rotated ellipsoid, Rosenbrock, Griewank and Rastrigin of
//! the quick suite and least squares, but up to 0.0109 on the rotated `Σ|zᵢ|^1.5`, 0.0116
//! on the rotated Rastrigin f15, 0.011–0.044 on the separable ellipsoid f2 and
//! 0.015–0.042 on the rotated ellipsoid f10 in 100-D (both of condition 1e6, their
//! covariance still learning at the hand-over): those runs lose the finish too (f2
//! gains, f10 loses what the finish gave, 0.92× → 1.00× of CMA-ES without it). Shapes that are smooth but far from quadratic along a single line (a flat
//! minimum like `s⁴`, a steep exponential) count as kinked as well; in many coordinates
//! their terms average towards a parabola.

use serde::{Deserialize, Serialize};

/// Lines measured.
pub(crate) const LINES: usize = 3;

/// Points per line, the middle one the mean itself (its value is the finish's first).
pub(crate) const POINTS: usize = 15;

/// Half the length of a line, in typical sample distances: the points reach `±REACH` of
/// the way to where the run samples.
pub(crate) const REACH: f64 = 0.3;

/// Values closer than this share of a line's range are ties (plateaus)…
const TIE: f64 = 1e-9;

/// …and so are values closer than this share of their magnitude (rounding).
const ROUNDING: f64 = 1e-12;

/// The mean share of a line's range by which its values miss their least-squares
/// parabola, above which the landscape counts as kinked at the population's scale.
pub(crate) const KINKED: f64 = 0.01;

/// The test's progress.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct RippleTest {
    /// `B·D·z` of the current line (genotype units per unit of `σ`); empty between lines.
    pub direction: Vec<f64>,
    /// Lines finished.
    pub lines: usize,
    /// Values along the current line so far, the mean's in the middle.
    #[serde(with = "zoo_core::float_serde::vec")]
    pub values: Vec<f64>,
    /// Points of the current line asked.
    pub asked: usize,
    /// A line had more than one local minimum.
    pub rugged: bool,
    /// The sum over the lines finished of their values' distance from a parabola (see
    /// [`parabola_misfit`]); a checkpoint written without it restores 0, and the lines it
    /// had finished count as parabolas.
    #[serde(default)]
    pub misfit: f64,
}

impl RippleTest {
    /// Whether the test has ended (every line measured, or ripples found).
    pub fn done(&self) -> bool {
        self.rugged || self.lines >= LINES
    }

    /// The offset `s` of the next point of the current line, skipping the middle. More
    /// asks than a line has points (a batch: the finish then hands the run back at the
    /// next value) go round the line again.
    pub fn next_offset(&mut self) -> f64 {
        let i = self.asked % (POINTS - 1);
        let k = if i >= POINTS / 2 { i + 1 } else { i };
        self.asked = self.asked.saturating_add(1);
        offset(k)
    }

    /// Takes the next value of the current line (`centre` is the mean's); ends the line
    /// when it is whole.
    pub fn take(&mut self, value: f64, centre: f64) {
        if self.values.len() == POINTS / 2 {
            self.values.push(centre);
        }
        self.values.push(value);
        if self.values.len() >= POINTS {
            self.rugged |= local_minima(&self.values) > 1;
            self.misfit += parabola_misfit(&self.values);
            self.values.clear();
            self.direction.clear();
            self.asked = 0;
            self.lines += 1;
        }
    }

    /// Whether every line was measured and their values miss a parabola by more than
    /// [`KINKED`] on average: a kinked landscape, where the finish stalls.
    pub fn kinked(&self) -> bool {
        self.lines >= LINES && self.misfit > KINKED * self.lines as f64
    }

    /// Checks a restored test against the run's dimension `n`.
    pub fn check(&self, n: usize) -> Result<(), String> {
        if !(self.direction.is_empty() || self.direction.len() == n)
            || self.direction.iter().any(|d| !d.is_finite())
            || self.values.len() >= POINTS
            || self.lines > LINES
            || !(self.misfit >= 0.0 && self.misfit <= self.lines as f64)
        {
            return Err("the ripple test's line is inconsistent".to_owned());
        }
        Ok(())
    }
}

/// The offset of point `k` of a line, `−REACH` to `REACH`.
fn offset(k: usize) -> f64 {
    offset_of(k, POINTS)
}

/// The root-mean-square distance of a line's values from their least-squares parabola
/// `a + b·s + c·s²` over the offsets `s`, as a share of the values' range, in `[0, 1]`: 0
/// on a parabola, a few hundredths where the line bends at a kink. A line with a
/// non-finite value, of equal values or of values that differ by rounding only counts 0
/// (no evidence of a kink), and still counts as a line in the mean.
pub(crate) fn parabola_misfit(values: &[f64]) -> f64 {
    if values.iter().any(|v| !v.is_finite()) {
        return 0.0;
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    // Halves throughout: `hi − lo` may overflow.
    let half_range = 0.5 * hi - 0.5 * lo;
    if !(half_range.is_finite() && half_range > 0.5 * ROUNDING * lo.abs().max(hi.abs())) {
        return 0.0;
    }
    // Values as shares of the range above the lowest, so that huge values lose no digits;
    // the offsets are symmetric, so the odd moments vanish and the linear term separates.
    let y: Vec<f64> = values.iter().map(|v| (0.5 * v - 0.5 * lo) / half_range).collect();
    let s: Vec<f64> = (0..values.len()).map(|k| offset_of(k, values.len())).collect();
    let m = values.len() as f64;
    let moment = |p: i32| s.iter().map(|x| x.powi(p)).sum::<f64>();
    let (s2, s4) = (moment(2), moment(4));
    let (t0, t1, t2) = y.iter().zip(&s).fold((0.0, 0.0, 0.0), |(a, b, c), (v, x)| {
        (a + v, b + v * x, c + v * x * x)
    });
    let det = m * s4 - s2 * s2;
    if !(det > 0.0 && s2 > 0.0) {
        return 0.0;
    }
    let a = (t0 * s4 - t2 * s2) / det;
    let c = (m * t2 - s2 * t0) / det;
    let b = t1 / s2;
    let squares: f64 = y
        .iter()
        .zip(&s)
        .map(|(v, x)| (a + b * x + c * x * x - v).powi(2))
        .sum();
    (squares / m).sqrt().min(1.0)
}

/// The offset of point `k` of `points` evenly spaced over `[−REACH, REACH]`.
fn offset_of(k: usize, points: usize) -> f64 {
    REACH * (2.0 * k as f64 / (points.max(2) - 1) as f64 - 1.0)
}

/// Local minima along a line of values, ends included; near-equal neighbours are merged.
pub(crate) fn local_minima(values: &[f64]) -> usize {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let tie = if hi > lo {
        // Scaled before the difference: `hi − lo` may overflow.
        (TIE * hi - TIE * lo).max(ROUNDING * lo.abs().max(hi.abs()))
    } else {
        0.0
    };
    let mut merged: Vec<f64> = Vec::with_capacity(values.len());
    for &v in values {
        let v = if v.is_nan() { f64::INFINITY } else { v };
        match merged.last() {
            // Equal infinities differ by NaN: compared by their order.
            Some(&last) if (v - last).abs() <= tie || v.total_cmp(&last).is_eq() => {}
            _ => merged.push(v),
        }
    }
    (0..merged.len())
        .filter(|&i| {
            let left = i == 0 || merged[i - 1] > merged[i];
            let right = i + 1 == merged.len() || merged[i + 1] > merged[i];
            left && right
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_convex_line_has_one_minimum_and_ripples_several() {
        let line = |f: &dyn Fn(f64) -> f64| (0..POINTS).map(|k| f(offset(k))).collect::<Vec<_>>();
        assert_eq!(local_minima(&line(&|s| (s - 0.1) * (s - 0.1))), 1);
        assert_eq!(local_minima(&line(&|s| s)), 1, "a slope: the lower end");
        assert_eq!(local_minima(&line(&|_| 3.0)), 1, "a plateau");
        assert_eq!(
            local_minima(&line(&|s| 1.0 + 1e-13 * (s * 1e3).sin())),
            1,
            "rounding ties"
        );
        assert!(local_minima(&line(&|s| s * s + 0.05 * (40.0 * s).sin())) > 1);
        assert_eq!(local_minima(&[f64::INFINITY, 1.0, f64::NAN]), 1);
        assert_eq!(local_minima(&[-1e308, 1e308, -1e308]), 2, "a range beyond f64");
    }

    #[test]
    fn parabolas_fit_and_kinks_do_not() {
        let line = |f: &dyn Fn(f64) -> f64| (0..POINTS).map(|k| f(offset(k))).collect::<Vec<_>>();
        for smooth in [
            line(&|s| 3.0 + (s - 0.05) * (s - 0.05)),
            line(&|s| 1e8 + 1e3 * s * s - s),
            line(&|s| s),
            line(&|_| 2.0),
        ] {
            assert!(parabola_misfit(&smooth) < 1e-7, "{smooth:?}");
        }
        // A curve beyond second order, gentle or steep at that scale: well within, and a pure
        // quartic (flat at its minimum) beyond.
        assert!(parabola_misfit(&line(&|s| (1.0 + s * s).sqrt())) < 0.25 * KINKED);
        assert!(parabola_misfit(&line(&|s| (3.0 * s).cosh())) < KINKED);
        assert!(parabola_misfit(&line(&|s| s.powi(4))) > KINKED);
        let kink = parabola_misfit(&line(&|s| (s - 0.02).abs()));
        assert!(kink > 3.0 * KINKED, "{kink}");
        let l1 = parabola_misfit(&line(&|s| {
            (s - 0.1).abs() + (s + 0.15).abs() + 0.5 * (s - 0.2).abs()
        }));
        assert!(l1 > KINKED, "{l1}");
        assert!(
            parabola_misfit(&line(&|s| (s * 9.0).floor())) > KINKED,
            "a staircase"
        );
        assert!(parabola_misfit(&[1.0, f64::INFINITY, 0.0]).abs() < 1e-15);
        assert!(parabola_misfit(&[f64::NAN, 1.0, 0.0]).abs() < 1e-15);
        // Rounding around a large value is no kink; a range beyond f64 is measured.
        assert!(parabola_misfit(&line(&|s| 79.48 + 1e-14 * (s * 20.0).sin())).abs() < 1e-15);
        assert!(parabola_misfit(&line(&|s| 1.7e308 * (2.0 * (s - 0.02).abs() / 0.32 - 1.0))) > KINKED);
    }

    #[test]
    fn the_test_finds_kinks_over_its_lines() {
        let run = |f: &dyn Fn(f64) -> f64| {
            let mut t = RippleTest::default();
            while !t.done() {
                let s = t.next_offset();
                t.take(f(s), f(0.0));
            }
            assert!(t.check(4).is_ok());
            t
        };
        let smooth = run(&|s| s * s);
        assert!(!smooth.rugged && !smooth.kinked());
        let kinked = run(&|s| (s - 0.03).abs());
        assert!(!kinked.rugged && kinked.kinked());
        let mut damaged = kinked;
        damaged.misfit = f64::NAN;
        assert!(damaged.check(4).is_err());
    }

    #[test]
    fn offsets_span_the_line_and_skip_the_middle() {
        let mut t = RippleTest::default();
        let offsets: Vec<f64> = (0..POINTS - 1).map(|_| t.next_offset()).collect();
        assert!((offsets[0] + REACH).abs() < 1e-15 && (offsets[POINTS - 2] - REACH).abs() < 1e-15);
        assert!(offsets.iter().all(|s| s.abs() > 1e-12), "{offsets:?}");
        // A slope: the mean's value (0) belongs in the middle, or the line gets a dip.
        for (k, s) in offsets.iter().enumerate() {
            t.take(*s, 0.0);
            assert_eq!(t.lines, usize::from(k == POINTS - 2));
        }
        assert!(!t.rugged);
        assert!(t.check(3).is_ok());
        // A batch asks past the line's points: the offsets go round again.
        let mut t = RippleTest::default();
        let round: Vec<f64> = (0..2 * (POINTS - 1)).map(|_| t.next_offset()).collect();
        assert_eq!(round[..POINTS - 1], round[POINTS - 1..]);
        assert!(t.check(3).is_ok());
    }
}
