//! Test functions and the conformance suite every sampler of the workspace runs.
//! Enabled by the `testing` feature.

pub mod conformance;
pub mod functions;

/// The median of `values` (the mean of the two middle values for an even count; NaN
/// sorts last). Panics on an empty slice. Used by quality tests and measurement examples.
pub fn median(values: &[f64]) -> f64 {
    assert!(!values.is_empty(), "the median of nothing");
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_of_odd_and_even_counts() {
        assert!((super::median(&[3.0, 1.0, 2.0]) - 2.0).abs() < 1e-12);
        assert!((super::median(&[4.0, 1.0, 2.0, 3.0]) - 2.5).abs() < 1e-12);
    }
}
