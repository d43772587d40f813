//! The Wilcoxon–Mann–Whitney rank-sum test: whether two algorithms' final values on one
//! problem differ by more than the luck of the seeds.
//!
//! Both samples are ranked together (tied values share their mean rank) and the sum of
//! the first sample's ranks is compared with its distribution when every split of the
//! pooled values into the two sample sizes is equally likely. Up to
//! [`EXACT_UP_TO`] values in all that distribution is counted exactly, ties included;
//! above, the normal approximation with the tie and continuity corrections is used
//! (Hollander, Wolfe & Chicken, *Nonparametric Statistical Methods*, 3rd ed., §4.1).
//! COCO's post-processing tests its comparisons with the same statistic.

use zoo_core::normal;

/// Largest pooled sample counted exactly (20 seeds a side): the counting table grows with
/// the square of the pooled size times the smaller sample.
pub const EXACT_UP_TO: usize = 40;

/// Two-sided p-value of the rank-sum test of `a` against `b`: the probability, under
/// random splits of the pooled values, of a rank sum at least as far from its mean as the
/// observed one. NaN when either sample is empty; 1 when every value is equal. NaN values
/// rank above every number.
pub fn rank_sum_p(a: &[f64], b: &[f64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return f64::NAN;
    }
    let doubled = doubled_ranks(a, b);
    if doubled.len() <= EXACT_UP_TO {
        exact_p(&doubled, a.len())
    } else {
        normal_p(&doubled, a.len())
    }
}

/// Twice the mid-ranks (1-based) of the pooled values, the first sample's first: integers
/// even when ties share a half rank.
fn doubled_ranks(a: &[f64], b: &[f64]) -> Vec<u64> {
    let key = |v: f64| if v.is_nan() { f64::INFINITY } else { v };
    let pooled: Vec<f64> = a.iter().chain(b).map(|&v| key(v)).collect();
    let mut order: Vec<usize> = (0..pooled.len()).collect();
    order.sort_by(|&i, &j| pooled[i].total_cmp(&pooled[j]));
    let mut doubled = vec![0; pooled.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && pooled[order[end]].total_cmp(&pooled[order[start]]).is_eq() {
            end += 1;
        }
        // Ranks start + 1 ..= end share their mean, doubled: start + 1 + end.
        for &i in &order[start..end] {
            doubled[i] = (start + 1 + end) as u64;
        }
        start = end;
    }
    doubled
}

/// The exact permutation p-value: counts the subsets of size `first` by their (doubled)
/// rank sum.
fn exact_p(doubled: &[u64], first: usize) -> f64 {
    let total_sum: u64 = doubled.iter().sum();
    // ways[k][s]: subsets of k values whose doubled ranks sum to s.
    let mut ways = vec![vec![0.0_f64; total_sum as usize + 1]; first + 1];
    ways[0][0] = 1.0;
    for (seen, &r) in doubled.iter().enumerate() {
        let r = r as usize;
        for k in (1..=first.min(seen + 1)).rev() {
            let (lower, upper) = ways.split_at_mut(k);
            let (from, to) = (&lower[k - 1], &mut upper[0]);
            for s in (r..to.len()).rev() {
                to[s] += from[s - r];
            }
        }
    }
    let n = doubled.len() as u64;
    // The mean rank sum is first · (n + 1) / 2; doubled, an integer.
    let mean = first as u64 * (n + 1);
    let observed: u64 = doubled[..first].iter().sum();
    let distance = observed.abs_diff(mean);
    let total: f64 = ways[first].iter().sum();
    let extreme: f64 = ways[first]
        .iter()
        .enumerate()
        .filter(|&(s, _)| (s as u64).abs_diff(mean) >= distance)
        .map(|(_, w)| w)
        .sum();
    (extreme / total).min(1.0)
}

/// The normal approximation, with the variance reduced for ties and a continuity
/// correction of half a rank.
fn normal_p(doubled: &[u64], first: usize) -> f64 {
    let n = doubled.len() as f64;
    let (n1, n2) = (first as f64, n - first as f64);
    let observed: u64 = doubled[..first].iter().sum();
    let rank_sum = observed as f64 / 2.0;
    let mean = n1 * (n + 1.0) / 2.0;
    let mut sorted = doubled.to_vec();
    sorted.sort_unstable();
    let ties: f64 = sorted
        .chunk_by(|x, y| x == y)
        .map(|group| {
            let t = group.len() as f64;
            t * t * t - t
        })
        .sum();
    let variance = n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
    if variance <= 0.0 {
        return 1.0;
    }
    let z = ((rank_sum - mean).abs() - 0.5).max(0.0) / variance.sqrt();
    (2.0 * normal::cdf(-z)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The p-value by listing every split of the pooled values.
    fn enumerated_p(a: &[f64], b: &[f64]) -> f64 {
        let doubled = doubled_ranks(a, b);
        let n = doubled.len();
        let first = a.len();
        let mean = (first * (n + 1)) as i64;
        let observed: u64 = doubled[..first].iter().sum();
        let distance = (observed as i64 - mean).abs();
        let (mut extreme, mut total) = (0u64, 0u64);
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize != first {
                continue;
            }
            let s: u64 = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| doubled[i]).sum();
            total += 1;
            if (s as i64 - mean).abs() >= distance {
                extreme += 1;
            }
        }
        extreme as f64 / total as f64
    }

    #[test]
    fn the_counted_distribution_matches_every_split_listed() {
        let cases: [(&[f64], &[f64]); 4] = [
            (&[1.0, 2.0, 3.0, 4.0], &[5.0, 6.0, 7.0, 8.0, 9.0]),
            (&[0.3, 2.0, 2.0, 7.0, 1.0], &[2.0, 5.0, 0.1, 2.0, 9.0, 4.0]),
            (&[1.0, 1.0, 1.0], &[1.0, 2.0, 2.0, 3.0, 1.0, 0.5]),
            (&[4.0, f64::NAN, 0.5], &[f64::NAN, 3.0, 3.0, 6.0]),
        ];
        for (a, b) in cases {
            let (counted, listed) = (exact_p(&doubled_ranks(a, b), a.len()), enumerated_p(a, b));
            assert!(
                (counted - listed).abs() < 1e-12,
                "{a:?} {b:?}: {counted} against {listed}"
            );
        }
    }

    #[test]
    fn completely_separated_samples_of_ten_give_two_splits_in_all() {
        let low: Vec<f64> = (0..10).map(f64::from).collect();
        let high: Vec<f64> = (10..20).map(f64::from).collect();
        // Only the observed split and its mirror are as extreme: 2 / C(20, 10).
        let p = rank_sum_p(&low, &high);
        assert!((p - 2.0 / 184_756.0).abs() < 1e-15, "{p}");
        assert!((rank_sum_p(&high, &low) - p).abs() < 1e-15);
    }

    #[test]
    fn equal_samples_and_empty_ones() {
        assert!((rank_sum_p(&[3.0; 6], &[3.0; 7]) - 1.0).abs() < 1e-15);
        assert!((rank_sum_p(&[3.0; 30], &[3.0; 30]) - 1.0).abs() < 1e-15);
        assert!(rank_sum_p(&[], &[1.0]).is_nan());
        assert!(rank_sum_p(&[1.0], &[]).is_nan());
    }

    #[test]
    fn interleaved_samples_are_not_told_apart() {
        let a: Vec<f64> = (0..10).map(|i| f64::from(2 * i)).collect();
        let b: Vec<f64> = (0..10).map(|i| f64::from(2 * i + 1)).collect();
        assert!(rank_sum_p(&a, &b) > 0.7);
    }

    #[test]
    fn the_normal_approximation_agrees_with_the_count_at_the_switch() {
        // 20 a side, with ties: both ways of computing the p-value.
        let a: Vec<f64> = (0..20).map(|i| f64::from((i * 7) % 13)).collect();
        let b: Vec<f64> = (0..20).map(|i| f64::from((i * 5) % 11) + 2.0).collect();
        let doubled = doubled_ranks(&a, &b);
        let (exact, approximate) = (exact_p(&doubled, 20), normal_p(&doubled, 20));
        assert!(exact > 0.001 && exact < 0.5, "{exact}");
        assert!(
            (exact - approximate).abs() < 0.01 * exact.max(0.05),
            "{exact} against {approximate}"
        );
    }

    #[test]
    fn large_samples_use_the_approximation_and_find_a_shift() {
        let a: Vec<f64> = (0..50).map(|i| f64::from(i) * 0.1).collect();
        let b: Vec<f64> = (0..50).map(|i| f64::from(i) * 0.1 + 2.0).collect();
        let p = rank_sum_p(&a, &b);
        assert!(p < 1e-4, "{p}");
        let same = rank_sum_p(&a, &a);
        assert!(same > 0.9, "{same}");
    }
}
