//! The portable, seedable random number generator every sampler draws from.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// A ChaCha8 stream seeded from a `u64`.
///
/// ChaCha8 is portable: the same seed gives the same numbers on every platform and with
/// every build, which makes runs reproducible and checkpoints exact. Every seed,
/// including 0, selects its own stream. The state serialises with serde.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZooRng(ChaCha8Rng);

/// SplitMix64's finaliser (Steele, Lea & Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): a bijection of `u64` that spreads every input bit over the
/// output, for hashing points and deriving independent seeds.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl ZooRng {
    /// A generator for `seed`.
    pub fn seed_from(seed: u64) -> Self {
        ZooRng(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A fresh 64-bit word.
    #[inline]
    pub fn next_word(&mut self) -> u64 {
        rand::Rng::next_u64(&mut self.0)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.next_word() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi]` (continuous; `hi` is reached only through rounding). Bounds
    /// whose span overflows (`±1e308`) are handled by interpolating between them.
    #[inline]
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let u = self.unit();
        let span = hi - lo;
        let x = if span.is_finite() {
            lo + span * u
        } else {
            // lo·(1−u) + hi·u never overflows for finite bounds.
            lo * (1.0 - u) + hi * u
        };
        x.min(hi).max(lo)
    }

    /// Uniform integer in `0..n` (`n > 0`), without modulo bias.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0, "below(0) has no value to return");
        // Lemire's multiply-and-reject method.
        let mut m = u128::from(self.next_word()) * u128::from(n);
        let mut low = m as u64;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                m = u128::from(self.next_word()) * u128::from(n);
                low = m as u64;
            }
        }
        (m >> 64) as u64
    }

    /// Uniform index in `0..n` (`n > 0`).
    #[inline]
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform integer in `[lo, hi]`.
    #[inline]
    pub fn integer(&mut self, lo: i64, hi: i64) -> i64 {
        let span = hi.wrapping_sub(lo) as u64;
        if span == u64::MAX {
            return self.next_word() as i64;
        }
        lo.wrapping_add(self.below(span + 1) as i64)
    }

    /// `true` with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal draw (Box–Muller; one of the pair is discarded so the state
    /// stays a plain stream position).
    pub fn normal(&mut self) -> f64 {
        // 1 - unit() lies in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A new independent generator derived from this one (for per-stage or per-worker
    /// streams).
    pub fn fork(&mut self) -> ZooRng {
        ZooRng::seed_from(self.next_word())
    }
}

impl rand::TryRng for ZooRng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(rand::Rng::next_u32(&mut self.0))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(rand::Rng::next_u64(&mut self.0))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        rand::Rng::fill_bytes(&mut self.0, dst);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn uniform_covers_bounds_whose_span_overflows() {
        let mut rng = ZooRng::seed_from(5);
        let draws: Vec<f64> = (0..1_000).map(|_| rng.uniform(-1e308, 1e308)).collect();
        assert!(
            draws
                .iter()
                .all(|x| x.is_finite() && (-1e308..=1e308).contains(x))
        );
        assert!(draws.iter().any(|&x| x < -1e307) && draws.iter().any(|&x| x > 1e307));
        assert!(draws.iter().filter(|&&x| x == 1e308).count() < 5);
    }

    #[test]
    fn seed_zero_is_a_seed_like_any_other() {
        let a: Vec<u64> = (0..4).map(|_| ZooRng::seed_from(0).next_word()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(ZooRng::seed_from(0).next_word(), ZooRng::seed_from(1).next_word());
    }

    #[test]
    fn stream_is_stable_across_builds() {
        // Golden values pin the portable stream; a change here breaks every saved run.
        let mut rng = ZooRng::seed_from(42);
        let words: Vec<u64> = (0..3).map(|_| rng.next_word()).collect();
        let mut again = ZooRng::seed_from(42);
        assert_eq!(words, (0..3).map(|_| again.next_word()).collect::<Vec<_>>());
        assert_eq!(GOLDEN_SEED_42, words[0]);
    }

    const GOLDEN_SEED_42: u64 = 12_578_764_544_318_200_737;

    #[test]
    fn below_and_integer_stay_in_range() {
        let mut rng = ZooRng::seed_from(3);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let k = rng.integer(-2, 2);
            assert!((-2..=2).contains(&k));
            seen[(k + 2) as usize] = true;
            let u = rng.uniform(-1.0, 1.0);
            assert!((-1.0..=1.0).contains(&u));
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn normal_has_unit_moments() {
        let mut rng = ZooRng::seed_from(9);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn state_round_trips_through_json() {
        let mut rng = ZooRng::seed_from(5);
        rng.next_word();
        let json = serde_json::to_string(&rng).unwrap();
        let mut back: ZooRng = serde_json::from_str(&json).unwrap();
        assert_eq!(rng.next_word(), back.next_word());
    }
}
