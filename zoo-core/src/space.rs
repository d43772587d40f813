//! Search spaces: continuous, integer and categorical dimensions, alone or mixed.
//!
//! A point of a space is a `Vec<f64>` with one coordinate per dimension:
//!
//! | dimension | coordinate holds |
//! | --- | --- |
//! | continuous `[lo, hi]` | a real in `[lo, hi]`, rounded to the precision when one is set |
//! | integer `[lo, hi]` (ordered or unordered) | an integer-valued real in `[lo, hi]` |
//! | categorical `[v0, v1, …]` | the index of the value, `0..len` |
//!
//! [`Space::decode`] turns a point back into typed [`Value`]s.

use serde::{Deserialize, Serialize};

use crate::error::{SpaceError, StateError};
use crate::rng::ZooRng;

/// One value of a categorical dimension, or a decoded coordinate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A real number.
    Float(f64),
    /// A string.
    Str(String),
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Str(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Str(v)
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Bool(v) => write!(f, "{v}"),
            Value::Int(v) => write!(f, "{v}"),
            Value::Float(v) => write!(f, "{v}"),
            Value::Str(v) => write!(f, "{v}"),
        }
    }
}

/// What kind of values a dimension holds. Read it with [`Dimension::kind`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Kind {
    /// Reals in `[lo, hi]`; with `decimals = Some(k)` values are multiples of `10^-k`.
    Continuous {
        /// Lower bound (reachable).
        lo: f64,
        /// Upper bound (reachable).
        hi: f64,
        /// Rounding digits: `Some(3)` rounds to 0.001, `Some(-1)` to tens.
        decimals: Option<i32>,
    },
    /// Integers in `[lo, hi]`.
    Integer {
        /// Lower bound (reachable).
        lo: i64,
        /// Upper bound (reachable).
        hi: i64,
        /// Whether the integers are ordered (a classifier may cut intervals) or only
        /// labels (a classifier may only fix a value).
        ordered: bool,
    },
    /// A list of unordered values; the coordinate is the index of the value.
    Categorical {
        /// The values, each reachable.
        values: Vec<Value>,
    },
}

/// One validated dimension of a search space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension(Kind);

impl Dimension {
    /// Reals in `[lo, hi]`.
    ///
    /// ```
    /// # use zoo_core::Dimension;
    /// assert!(Dimension::continuous(-1.0, 1.0).is_ok());
    /// assert!(Dimension::continuous(1.0, -1.0).is_err());
    /// ```
    pub fn continuous(lo: f64, hi: f64) -> Result<Self, SpaceError> {
        check_bounds(lo, hi)?;
        Ok(Dimension(Kind::Continuous {
            lo,
            hi,
            decimals: None,
        }))
    }

    /// Reals in `[lo, hi]` rounded to `precision`.
    ///
    /// The precision is turned into the largest power of ten that does not exceed it:
    /// 1e-3 rounds to three decimals, 0.5 to one decimal, 25 to tens. Rounded values
    /// that would leave the bounds move one step back inside.
    pub fn continuous_with_precision(lo: f64, hi: f64, precision: f64) -> Result<Self, SpaceError> {
        check_bounds(lo, hi)?;
        if !(precision.is_finite() && precision > 0.0) {
            return Err(SpaceError::InvalidPrecision(precision));
        }
        let dim = Dimension(Kind::Continuous {
            lo,
            hi,
            decimals: Some(decimals_for(precision)),
        });
        dim.check()?;
        Ok(dim)
    }

    /// Ordered integers in `[lo, hi]`.
    pub fn integer(lo: i64, hi: i64) -> Result<Self, SpaceError> {
        Self::integer_kind(lo, hi, true)
    }

    /// Unordered integers (labels) in `[lo, hi]`.
    pub fn unordered(lo: i64, hi: i64) -> Result<Self, SpaceError> {
        Self::integer_kind(lo, hi, false)
    }

    fn integer_kind(lo: i64, hi: i64, ordered: bool) -> Result<Self, SpaceError> {
        let dim = Dimension(Kind::Integer { lo, hi, ordered });
        dim.check()?;
        Ok(dim)
    }

    /// Checks the rules of the constructors again, for a dimension that was deserialised
    /// (a checkpoint) rather than built.
    pub fn check(&self) -> Result<(), SpaceError> {
        match &self.0 {
            Kind::Continuous { lo, hi, decimals } => {
                check_bounds(*lo, *hi)?;
                if let Some(k) = *decimals {
                    check_grid(*lo, *hi, k)?;
                }
                Ok(())
            }
            Kind::Integer { lo, hi, .. } => {
                // Coordinates are f64: beyond 2^53 not every integer has one, and
                // sampling through floats would reach only some of them.
                if lo.unsigned_abs() > MAX_EXACT_INTEGER || hi.unsigned_abs() > MAX_EXACT_INTEGER {
                    return Err(SpaceError::IntegerBeyondF64 { lo: *lo, hi: *hi });
                }
                if lo > hi {
                    return Err(SpaceError::InvertedBounds {
                        lo: *lo as f64,
                        hi: *hi as f64,
                    });
                }
                Ok(())
            }
            Kind::Categorical { values } if values.is_empty() => Err(SpaceError::EmptyCategories),
            Kind::Categorical { .. } => Ok(()),
        }
    }

    /// One of `values`, all reachable.
    ///
    /// ```
    /// # use zoo_core::Dimension;
    /// let optimizer = Dimension::categorical(["adam", "sgd", "rmsprop", "lbfgs"]).unwrap();
    /// assert!(Dimension::categorical(Vec::<&str>::new()).is_err());
    /// # let _ = optimizer;
    /// ```
    pub fn categorical<V: Into<Value>>(values: impl IntoIterator<Item = V>) -> Result<Self, SpaceError> {
        let values: Vec<Value> = values.into_iter().map(Into::into).collect();
        if values.is_empty() {
            return Err(SpaceError::EmptyCategories);
        }
        Ok(Dimension(Kind::Categorical { values }))
    }

    /// The kind of values and their range.
    pub fn kind(&self) -> &Kind {
        &self.0
    }

    /// `true` for continuous dimensions.
    pub fn is_continuous(&self) -> bool {
        matches!(self.0, Kind::Continuous { .. })
    }

    /// `true` where a classifier may cut intervals (continuous and ordered integers).
    pub fn is_ordered(&self) -> bool {
        matches!(
            self.0,
            Kind::Continuous { .. } | Kind::Integer { ordered: true, .. }
        )
    }

    /// Smallest and largest coordinate value (categorical: `0` and `len - 1`).
    pub fn bounds(&self) -> (f64, f64) {
        match &self.0 {
            Kind::Continuous { lo, hi, .. } => (*lo, *hi),
            Kind::Integer { lo, hi, .. } => (*lo as f64, *hi as f64),
            Kind::Categorical { values } => (0.0, values.len().saturating_sub(1) as f64),
        }
    }

    /// Number of distinct coordinate values, when finite.
    pub fn cardinality(&self) -> Option<u128> {
        match &self.0 {
            Kind::Continuous { lo, hi, decimals } => {
                // A one-point interval is a single point at any precision: without this
                // a sampler looking for a new point would search it forever. (Exact on
                // purpose: only identical bounds make one point.)
                if lo.to_bits() == hi.to_bits() || (lo - hi).abs() == 0.0 {
                    return Some(1);
                }
                let k = (*decimals)?;
                let unit = 10f64.powi(-k);
                let first = (lo / unit).ceil();
                let last = (hi / unit).floor();
                if last >= first {
                    // `as` saturates at u128::MAX: a grid of more points than u128 holds
                    // has no representable cardinality (and must not wrap to 0).
                    ((last - first) as u128).checked_add(1)
                } else {
                    Some(1)
                }
            }
            Kind::Integer { lo, hi, .. } => Some((i128::from(*hi) - i128::from(*lo)) as u128 + 1),
            Kind::Categorical { values } => Some(values.len() as u128),
        }
    }

    /// The `k`-th of this dimension's values in increasing order (`k` from 0), when it has
    /// finitely many ([`Dimension::cardinality`]) and `k` is below their number: for
    /// listing the points of a small discrete space.
    ///
    /// ```
    /// # use zoo_core::Dimension;
    /// let grid = Dimension::continuous_with_precision(0.25, 1.0, 0.1).unwrap();
    /// assert_eq!(grid.value_at(0), Some(0.3));
    /// assert_eq!(grid.value_at(7), Some(1.0));
    /// assert_eq!(grid.value_at(8), None);
    /// assert_eq!(Dimension::integer(-2, 2).unwrap().value_at(1), Some(-1.0));
    /// assert_eq!(Dimension::continuous(0.0, 1.0).unwrap().value_at(0), None);
    /// ```
    pub fn value_at(&self, k: u128) -> Option<f64> {
        if k >= self.cardinality()? {
            return None;
        }
        match &self.0 {
            // A one-point interval (as `cardinality` counts it) is its own value.
            Kind::Continuous { lo, hi, .. } if lo.to_bits() == hi.to_bits() || (lo - hi).abs() == 0.0 => {
                Some(*lo)
            }
            Kind::Continuous { lo, decimals, .. } => {
                let unit = 10f64.powi(-(*decimals)?);
                Some(self.snap(((lo / unit).ceil() + k as f64) * unit))
            }
            Kind::Integer { .. } | Kind::Categorical { .. } => Some(self.bounds().0 + k as f64),
        }
    }

    /// A uniform draw in `[lo, hi]` of this dimension's kind.
    #[inline]
    pub fn sample(&self, rng: &mut ZooRng) -> f64 {
        let (lo, hi) = self.bounds();
        self.sample_within(lo, hi, rng)
    }

    /// A uniform draw in `[lo, hi]` (a sub-box of the dimension), snapped to its kind.
    #[inline]
    pub fn sample_within(&self, lo: f64, hi: f64, rng: &mut ZooRng) -> f64 {
        match &self.0 {
            Kind::Continuous { decimals: None, .. } => rng.uniform(lo, hi),
            Kind::Continuous { .. } => self.snap(rng.uniform(lo, hi)),
            Kind::Integer { .. } | Kind::Categorical { .. } => rng.integer(lo as i64, hi as i64) as f64,
        }
    }

    /// The nearest valid coordinate: rounded to the precision or to an integer, inside
    /// the bounds. NaN, which is near nothing, becomes the lower bound.
    #[inline]
    pub fn snap(&self, x: f64) -> f64 {
        if x.is_nan() {
            return self.snap(self.bounds().0);
        }
        match &self.0 {
            Kind::Continuous { lo, hi, decimals } => match decimals {
                None => x.clamp(*lo, *hi),
                Some(k) => {
                    let scale = 10f64.powi(*k);
                    let unit = 10f64.powi(-*k);
                    let mut r = (x * scale).round() / scale;
                    if r > *hi {
                        r -= unit;
                    }
                    if r < *lo {
                        r += unit;
                    }
                    // Only an interval narrower than one unit gets here.
                    r.clamp(*lo, *hi)
                }
            },
            _ => {
                let (lo, hi) = self.bounds();
                x.round().clamp(lo, hi)
            }
        }
    }

    /// Whether two coordinate values denote the same point of this dimension.
    #[inline]
    pub fn same(&self, a: f64, b: f64) -> bool {
        match &self.0 {
            Kind::Continuous {
                decimals: Some(k), ..
            } => (a - b).abs() < 0.5 * 10f64.powi(-*k),
            _ => a.to_bits() == b.to_bits() || (a - b).abs() == 0.0,
        }
    }

    /// Whether `x` is a valid coordinate of this dimension.
    pub fn contains(&self, x: f64) -> bool {
        let (lo, hi) = self.bounds();
        if !(x >= lo && x <= hi) {
            return false;
        }
        match &self.0 {
            Kind::Continuous { decimals: None, .. } => true,
            Kind::Continuous {
                decimals: Some(k), ..
            } => {
                let scaled = x * 10f64.powi(*k);
                // Far from zero the grid index carries rounding error of a few ulps of
                // itself: the tolerance grows with it (1e-6 alone rejects the points of
                // a grid of more than ~1e10 steps that `snap` produces).
                (scaled - scaled.round()).abs() < 1e-6f64.max(scaled.abs() * 8.0 * f64::EPSILON)
            }
            _ => x.fract() == 0.0,
        }
    }

    /// The typed value of coordinate `x`.
    pub fn decode(&self, x: f64) -> Value {
        match &self.0 {
            Kind::Continuous { .. } => Value::Float(x),
            Kind::Integer { .. } => Value::Int(x as i64),
            // `as` saturates (NaN to 0); an unchecked, empty list decodes to the index.
            Kind::Categorical { values } => values
                .get((x as usize).min(values.len().saturating_sub(1)))
                .cloned()
                .unwrap_or(Value::Int(x as i64)),
        }
    }
}

/// The largest integer magnitude below which every integer is an `f64`.
const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// A grid of multiples of `10^-k` over `[lo, hi]` that rounding can reach: both scales are
/// normal numbers, `|bound| · 10^k` does not overflow, and a multiple lies in the interval.
fn check_grid(lo: f64, hi: f64, k: i32) -> Result<(), SpaceError> {
    let scale = 10f64.powi(k);
    let unit = 10f64.powi(-k);
    let invalid = || SpaceError::InvalidPrecision(unit);
    if !(scale.is_normal() && unit.is_normal()) {
        return Err(invalid());
    }
    // Rounding computes x · 10^k (and one unit more): keep a margin below overflow.
    if !(lo.abs().max(hi.abs()) * scale * 16.0).is_finite() {
        return Err(invalid());
    }
    let dim = Dimension(Kind::Continuous {
        lo,
        hi,
        decimals: Some(k),
    });
    // Snapping the lower bound yields the smallest grid point inside, if there is one.
    if !dim.contains(dim.snap(lo)) || !dim.contains(dim.snap(hi)) {
        return Err(SpaceError::EmptyGrid {
            lo,
            hi,
            precision: unit,
        });
    }
    Ok(())
}

fn check_bounds(lo: f64, hi: f64) -> Result<(), SpaceError> {
    // Samplers scale by the width: an infinite one turns coordinates into NaN.
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        return Err(SpaceError::NonFiniteBounds { lo, hi });
    }
    if lo > hi {
        return Err(SpaceError::InvertedBounds { lo, hi });
    }
    Ok(())
}

/// Rounding digits for a precision: the exponent of the largest power of ten `≤ precision`.
fn decimals_for(precision: f64) -> i32 {
    // The small tolerance keeps exact powers of ten (whose logarithm may be off by one
    // ulp) on their own exponent.
    (-precision.log10() - 1e-9).ceil() as i32
}

/// A validated search space: one or more dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Space {
    dims: Vec<Dimension>,
}

impl Space {
    /// A space of the given dimensions.
    pub fn new(dims: impl IntoIterator<Item = Dimension>) -> Result<Self, SpaceError> {
        let dims: Vec<Dimension> = dims.into_iter().collect();
        if dims.is_empty() {
            return Err(SpaceError::NoDimensions);
        }
        Ok(Space { dims })
    }

    /// Checks the rules of the constructors again, for a space that was deserialised (a
    /// checkpoint) rather than built.
    pub fn check(&self) -> Result<(), SpaceError> {
        if self.dims.is_empty() {
            return Err(SpaceError::NoDimensions);
        }
        self.dims.iter().try_for_each(Dimension::check)
    }

    /// Why `x` is not a point of this space (length, NaN, bounds, kind, precision), or
    /// `Ok` when it is one; `what` names the point in the error.
    pub fn check_point(&self, x: &[f64], what: impl FnOnce() -> String) -> Result<(), StateError> {
        let reason = if x.len() != self.dims.len() {
            format!(
                "it has {} coordinates, the space {} dimensions",
                x.len(),
                self.dims.len()
            )
        } else if let Some((i, v)) = self
            .dims
            .iter()
            .zip(x)
            .enumerate()
            .find_map(|(i, (d, &v))| (!d.contains(v)).then_some((i, v)))
        {
            format!("coordinate {i} = {v} is outside its dimension (bounds, kind or precision)")
        } else {
            return Ok(());
        };
        Err(StateError::Point { what: what(), reason })
    }

    /// `n` continuous dimensions, each `[lo, hi]`.
    ///
    /// ```
    /// # use zoo_core::Space;
    /// let space = Space::cube(100, -1.0, 1.0).unwrap();
    /// assert_eq!(space.len(), 100);
    /// ```
    pub fn cube(n: usize, lo: f64, hi: f64) -> Result<Self, SpaceError> {
        Space::repeated(Dimension::continuous(lo, hi)?, n)
    }

    /// `n` unordered binary dimensions (0 or 1), as for subset and set-cover problems.
    pub fn binary(n: usize) -> Result<Self, SpaceError> {
        Space::repeated(Dimension::unordered(0, 1)?, n)
    }

    /// `n` copies of `dim`; an `n` beyond memory is an error rather than an abort.
    fn repeated(dim: Dimension, n: usize) -> Result<Self, SpaceError> {
        let mut dims = Vec::new();
        dims.try_reserve_exact(n)
            .map_err(|_| SpaceError::TooManyDimensions(n))?;
        dims.extend(std::iter::repeat_n(dim, n));
        Space::new(dims)
    }

    /// The dimensions.
    pub fn dims(&self) -> &[Dimension] {
        &self.dims
    }

    /// Number of dimensions.
    pub fn len(&self) -> usize {
        self.dims.len()
    }

    /// Always `false`: a space has at least one dimension.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `true` when no dimension is continuous.
    pub fn is_discrete(&self) -> bool {
        !self.dims.iter().any(Dimension::is_continuous)
    }

    /// Number of distinct points, when finite and representable.
    pub fn cardinality(&self) -> Option<u128> {
        self.dims
            .iter()
            .try_fold(1u128, |acc, d| acc.checked_mul(d.cardinality()?))
    }

    /// A uniform random point.
    pub fn sample(&self, rng: &mut ZooRng) -> Vec<f64> {
        self.dims.iter().map(|d| d.sample(rng)).collect()
    }

    /// Whether `x` is a valid point of this space (length, bounds, kinds, precision).
    pub fn contains(&self, x: &[f64]) -> bool {
        x.len() == self.dims.len() && self.dims.iter().zip(x).all(|(d, &v)| d.contains(v))
    }

    /// Moves every coordinate of `x` to the nearest valid value.
    pub fn snap(&self, x: &mut [f64]) {
        for (d, v) in self.dims.iter().zip(x.iter_mut()) {
            *v = d.snap(*v);
        }
    }

    /// Whether `a` and `b` denote the same point (precision-aware).
    #[inline]
    pub fn same_point(&self, a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && self
                .dims
                .iter()
                .zip(a.iter().zip(b))
                .all(|(d, (&p, &q))| d.same(p, q))
    }

    /// The typed values of a point.
    ///
    /// ```
    /// # use zoo_core::{Dimension, Space, Value};
    /// let space = Space::new([
    ///     Dimension::continuous(0.0, 1.0).unwrap(),
    ///     Dimension::categorical(["relu", "tanh"]).unwrap(),
    /// ]).unwrap();
    /// assert_eq!(space.decode(&[0.5, 1.0]), vec![Value::Float(0.5), Value::from("tanh")]);
    /// ```
    pub fn decode(&self, x: &[f64]) -> Vec<Value> {
        self.dims.iter().zip(x).map(|(d, &v)| d.decode(v)).collect()
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn rejects_inverted_and_non_finite_bounds() {
        assert_eq!(
            Dimension::continuous(2.0, 1.0),
            Err(SpaceError::InvertedBounds { lo: 2.0, hi: 1.0 })
        );
        assert!(matches!(
            Dimension::continuous(f64::NAN, 1.0),
            Err(SpaceError::NonFiniteBounds { .. })
        ));
        assert!(matches!(
            Dimension::continuous(0.0, f64::INFINITY),
            Err(SpaceError::NonFiniteBounds { .. })
        ));
        assert!(Dimension::integer(3, 2).is_err());
    }

    #[test]
    fn rejects_empty_categorical_dimension_and_empty_space() {
        assert_eq!(
            Dimension::categorical(Vec::<i64>::new()),
            Err(SpaceError::EmptyCategories)
        );
        assert_eq!(Space::new([]), Err(SpaceError::NoDimensions));
        assert_eq!(Space::cube(0, 0.0, 1.0), Err(SpaceError::NoDimensions));
    }

    #[test]
    fn rejects_bad_precision() {
        for p in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Dimension::continuous_with_precision(0.0, 1.0, p).is_err());
        }
    }

    #[test]
    fn precision_maps_to_power_of_ten() {
        let digits = |p| match Dimension::continuous_with_precision(0.0, 1.0, p).unwrap().kind() {
            Kind::Continuous { decimals, .. } => decimals.unwrap(),
            _ => unreachable!(),
        };
        assert_eq!(digits(1e-3), 3);
        assert_eq!(digits(0.5), 1);
        assert_eq!(digits(1.0), 0);
        assert_eq!(digits(10.0), -1);
        assert_eq!(digits(25.0), -1);
        assert_eq!(digits(1e-6), 6);
        assert_eq!(digits(2.5e-7), 7);
    }

    #[test]
    fn rounded_samples_stay_inside_bounds() {
        // Bounds that are not multiples of the unit: naive rounding would leave them.
        let d = Dimension::continuous_with_precision(0.04, 0.96, 0.1).unwrap();
        let mut rng = ZooRng::seed_from(1);
        for _ in 0..2000 {
            let x = d.sample(&mut rng);
            assert!((0.04..=0.96).contains(&x), "{x}");
            assert!(d.contains(x), "{x}");
        }
        assert_eq!(d.cardinality(), Some(9));
    }

    #[test]
    fn every_categorical_value_is_reachable() {
        let d = Dimension::categorical(["a", "b", "c", "d", "e"]).unwrap();
        let mut rng = ZooRng::seed_from(2);
        let mut counts = [0usize; 5];
        for _ in 0..5000 {
            counts[d.sample(&mut rng) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c > 800), "{counts:?}");
    }

    #[test]
    fn single_value_dimensions_work() {
        let space = Space::new([
            Dimension::categorical(["only"]).unwrap(),
            Dimension::integer(4, 4).unwrap(),
            Dimension::continuous(1.5, 1.5).unwrap(),
        ])
        .unwrap();
        let mut rng = ZooRng::seed_from(3);
        let x = space.sample(&mut rng);
        assert_eq!(x, vec![0.0, 4.0, 1.5]);
        assert!(space.contains(&x));
        // A one-point interval is one point, whatever its kind (a sampler can tell it is used up).
        assert_eq!(space.cardinality(), Some(1));
    }

    #[test]
    fn contains_checks_kind_and_length() {
        let space = Space::new([
            Dimension::integer(0, 3).unwrap(),
            Dimension::continuous(0.0, 1.0).unwrap(),
        ])
        .unwrap();
        assert!(space.contains(&[2.0, 0.3]));
        assert!(!space.contains(&[2.5, 0.3]));
        assert!(!space.contains(&[2.0, 1.3]));
        assert!(!space.contains(&[2.0]));
        assert_eq!(space.cardinality(), None);
        assert_eq!(Space::binary(20).unwrap().cardinality(), Some(1 << 20));
    }
}
