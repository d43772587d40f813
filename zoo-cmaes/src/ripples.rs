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
            self.values.clear();
            self.direction.clear();
            self.asked = 0;
            self.lines += 1;
        }
    }

    /// Checks a restored test against the run's dimension `n`.
    pub fn check(&self, n: usize) -> Result<(), String> {
        if !(self.direction.is_empty() || self.direction.len() == n)
            || self.direction.iter().any(|d| !d.is_finite())
            || self.values.len() >= POINTS
            || self.lines > LINES
        {
            return Err("the ripple test's line is inconsistent".to_owned());
        }
        Ok(())
    }
}

/// The offset of point `k` of a line, `−REACH` to `REACH`.
fn offset(k: usize) -> f64 {
    REACH * (2.0 * k as f64 / (POINTS - 1) as f64 - 1.0)
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
