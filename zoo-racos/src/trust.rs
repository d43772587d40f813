//! Trusted values under detected noise: the best positive is evaluated again while its lead
//! is within the noise, and valued at the mean of its evaluations.
//!
//! On a noisy objective the best value SRACOS has seen is mostly the luckiest draw: the
//! search then centres on a point whose value is an accident, and the run recommends it.
//! Once SRACOS's noise check has found noise, each ask first looks at the best positive:
//! when its lead over the runner-up is less than two standard errors of the difference
//! (the noise variance estimated from the repeated evaluations), and it has fewer than
//! [`MAX_REPEATS`] values, it is asked again and its value becomes the running mean. A
//! lucky point so loses its luck after a few evaluations and falls back among the
//! positives; a truly better point keeps its place with fewer and fewer re-evaluations as
//! its lead grows. At most [`MAX_SHARE`] of the asks are re-evaluations.
//!
//! This is the racing idea (re-evaluate only where a comparison is uncertain; Maron &
//! Moore, *Hoeffding races*, NIPS 1993) and the incumbent intensification of SMAC (Hutter,
//! Hoos & Leyton-Brown, LION 2011), applied to SRACOS's positive set.

use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, StateError};

type Solution = Evaluated<Vec<f64>>;

/// Most values averaged for one point.
pub(crate) const MAX_REPEATS: u32 = 8;
/// Largest share of the asks spent on re-evaluations.
pub(crate) const MAX_SHARE: f64 = 0.2;
/// Weight of each new squared deviation in the running noise variance (recent ones count
/// more: multiplicative noise shrinks as the values do).
const VARIANCE_WEIGHT: f64 = 0.1;
/// Leads within this many standard errors are uncertain.
const UNCERTAIN_LEAD: f64 = 2.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Repeated {
    x: Vec<f64>,
    values: u32,
}

/// The re-evaluation state of a noisy SRACOS run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Trust {
    /// Running estimate of the noise variance.
    variance: f64,
    /// Positives with more than one value, and how many.
    repeated: Vec<Repeated>,
    /// The point asked again and not yet told.
    pending: Option<Vec<f64>>,
    asks: u64,
    reevaluations: u64,
}

impl Trust {
    /// Starts from the noise check: `first` valued `first.value` then `second`. The point's
    /// value in `positive` becomes the mean of the two.
    pub(crate) fn new(first: &Solution, second: f64, positive: &mut [Solution]) -> Trust {
        let deviation = second - first.value;
        let mut trust = Trust {
            variance: if deviation.is_finite() {
                deviation * deviation / 2.0
            } else {
                0.0
            },
            repeated: Vec::new(),
            pending: None,
            asks: 0,
            reevaluations: 0,
        };
        if let Some(p) = positive.iter_mut().find(|p| p.x == first.x) {
            p.value = 0.5 * (first.value + second);
            trust.repeated.push(Repeated {
                x: first.x.clone(),
                values: 2,
            });
        }
        positive.sort_by(|a, b| a.value.total_cmp(&b.value));
        trust
    }

    fn values(&self, x: &[f64]) -> u32 {
        self.repeated.iter().find(|r| r.x == x).map_or(1, |r| r.values)
    }

    /// The point to ask again before a new proposal, if any: the best positive when its
    /// lead over `runner_up` (the second positive, else the best negative) is uncertain.
    pub(crate) fn next(&mut self, positive: &[Solution], runner_up: Option<&Solution>) -> Option<Vec<f64>> {
        self.asks += 1;
        if self.pending.is_some() || self.reevaluations as f64 >= MAX_SHARE * self.asks as f64 {
            return None;
        }
        let best = positive.first()?;
        let rival = positive.get(1).or(runner_up)?;
        let n = self.values(&best.x);
        if n >= MAX_REPEATS {
            return None;
        }
        let m = self.values(&rival.x);
        let standard_error = (self.variance * (1.0 / f64::from(n) + 1.0 / f64::from(m))).sqrt();
        let lead = rival.value - best.value;
        if lead.is_nan() || lead > UNCERTAIN_LEAD * standard_error {
            return None;
        }
        self.reevaluations += 1;
        self.pending = Some(best.x.clone());
        Some(best.x.clone())
    }

    /// Takes the value of a re-evaluation; `false` when `x` is not the point asked again.
    pub(crate) fn receive(&mut self, x: &[f64], value: f64, positive: &mut [Solution]) -> bool {
        if self.pending.as_deref() != Some(x) {
            return false;
        }
        self.pending = None;
        let n = self.values(x);
        if let Some(p) = positive.iter_mut().find(|p| p.x == x) {
            let deviation = value - p.value;
            if deviation.is_finite() {
                let k = f64::from(n);
                // E[(v − mean of n)²] = σ²(1 + 1/n): scaled to estimate σ².
                let estimate = deviation * deviation * k / (k + 1.0);
                self.variance = (1.0 - VARIANCE_WEIGHT) * self.variance + VARIANCE_WEIGHT * estimate;
                p.value += deviation / (k + 1.0);
            } else {
                p.value = p.value.max(value);
            }
            match self.repeated.iter_mut().find(|r| r.x == x) {
                Some(r) => r.values += 1,
                None => self.repeated.push(Repeated {
                    x: x.to_vec(),
                    values: 2,
                }),
            }
            positive.sort_by(|a, b| a.value.total_cmp(&b.value));
        }
        self.repeated.retain(|r| positive.iter().any(|p| p.x == r.x));
        true
    }

    /// Checks a resumed state: a finite variance, counts within their bounds, one entry
    /// per re-evaluated positive at most.
    pub(crate) fn check(&self, positives: usize) -> Result<(), StateError> {
        StateError::ensure(self.variance.is_finite() && self.variance >= 0.0, || {
            format!("noise variance {} of the trusted best", self.variance)
        })?;
        StateError::ensure(
            self.repeated.len() <= positives
                && self
                    .repeated
                    .iter()
                    .all(|r| (2..=MAX_REPEATS).contains(&r.values))
                && self.reevaluations <= self.asks,
            || "the re-evaluation counts of the trusted best are inconsistent".to_owned(),
        )
    }

    /// Evaluations spent on re-evaluation so far.
    pub(crate) fn reevaluations(&self) -> u64 {
        self.reevaluations
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn solution(x: f64, value: f64) -> Solution {
        Evaluated::new(vec![x], value)
    }

    #[test]
    fn a_lucky_best_is_asked_again_until_its_mean_drops_it() {
        let mut positive = vec![solution(0.0, 1.0), solution(1.0, 3.0)];
        // The check saw 1.0 then 5.0 at x = 0: mean 3.0, variance 8.
        let first = solution(0.0, 1.0);
        let mut trust = Trust::new(&first, 5.0, &mut positive);
        assert_eq!(positive[0].value, 3.0);
        // Lead 0 < 2 standard errors: x = 0 is asked again.
        let again = trust.next(&positive, None).unwrap();
        assert_eq!(again, vec![0.0]);
        assert_eq!(trust.next(&positive, None), None, "one re-evaluation at a time");
        assert!(trust.receive(&again, 6.0, &mut positive));
        assert_eq!(positive[0].x, vec![1.0], "the mean 4.0 falls behind 3.0");
        assert_eq!(positive[1].value, 4.0);
        assert!(
            !trust.receive(&[7.0], 1.0, &mut positive),
            "not the point asked again"
        );
    }

    #[test]
    fn a_clear_lead_is_not_re_evaluated_and_the_share_is_capped() {
        let mut positive = vec![solution(0.0, 1.0), solution(1.0, 100.0)];
        let first = solution(0.0, 1.0);
        let mut trust = Trust::new(&first, 1.2, &mut positive);
        assert_eq!(trust.next(&positive, None), None);
        let mut close = vec![solution(0.0, 1.0), solution(1.0, 1.01)];
        let mut trust = Trust::new(&first, 1.2, &mut close);
        let mut asked = 0;
        for _ in 0..1_000 {
            if let Some(x) = trust.next(&close, None) {
                asked += 1;
                trust.receive(&x, 1.1, &mut close);
            }
        }
        assert!(asked <= 2 * MAX_REPEATS as usize, "{asked}");
        assert!(trust.reevaluations() as f64 <= MAX_SHARE * 1_000.0);
    }
}
