//! The map between the sampler's real coordinates (the *genotype*) and points of the
//! space, with the mirror boundary handling and the margin for integer coordinates.
//!
//! | dimension | encoded as | decoded by |
//! | --- | --- | --- |
//! | one value only | nothing | the value |
//! | continuous `[lo, hi]` | one coordinate, `[0, 1]` ↔ `[lo, hi]` | clip or mirror into `[0, 1]`, scale, round to the precision |
//! | ordered integer `[lo, hi]`, `k` values | one coordinate, cell `j = ⌊u·k⌋` ↔ `lo + j` | clip or mirror the cell index into `0..k` |
//! | integer with more than 2⁴⁰ values | one coordinate, as continuous | scale, round to an integer |
//! | unordered / categorical, rank encoding | as an ordered integer over the indices | the same |
//! | unordered / categorical, one-hot | `k` unbounded coordinates | index of the largest |
//!
//! **Clip** (the default). A bounded coordinate `u` is projected onto `[0, 1]`, integer
//! cells onto `0..k`; the update then learns from the projected genotype (repair), which
//! keeps the mean inside the box — except for integer coordinates under a margin, which
//! are learnt as drawn (see [`Encoding::held_in_box`]), or no further than
//! [`crate::CmaEsConfig::integer_reach`] cells beyond their ends ([`Encoding::limit_reach`]).
//!
//! **Penalty.** Decoded as under the clip; the genotype is learnt as drawn and ranked with
//! the penalty of `crate::penalty`.
//!
//! **Mirror.** A bounded coordinate `u` is folded into `[0, 1]` by reflection at 0 and 1
//! (a triangle wave of period 2): the sampler's Gaussian stays unbounded and smooth
//! inside the box, and no point ever leaves it. Shifting the mean by a multiple of 2
//! changes nothing, so the mean is kept within `[−½, 3/2)`. Integer cells are mirrored the
//! same way (the cell beyond `hi` is `hi` again), so the thresholds between integer values
//! sit at every multiple of `1/k`.

// Audit (issue #13, clippy::indexing_slicing): slots and genotype coordinates are built
// from the space by `Encoding::new` and index only vectors of the space's or the
// genotype's length; a restored `CmaEs` must hold the encoding its space and settings give.
#![allow(clippy::indexing_slicing)]

use serde::{Deserialize, Serialize};
use zoo_core::{Kind, Space, ZooRng, normal};

use crate::config::{AUTO_ONE_HOT_UP_TO, Boundary, Categories};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Slot {
    /// A dimension with one value.
    Fixed { value: f64 },
    /// A continuous dimension (`rounded` when it has a precision).
    Continuous {
        coord: usize,
        lo: f64,
        hi: f64,
        width: f64,
        rounded: bool,
    },
    /// An integer-valued coordinate with `count ≥ 2` values `lo, lo + 1, …`.
    Integer { coord: usize, lo: f64, count: usize },
    /// One coordinate per value; the value is `lo + argmax`.
    OneHot { first: usize, lo: f64, count: usize },
}

/// How points of a space are encoded as genotypes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Encoding {
    slots: Vec<Slot>,
    /// Number of genotype coordinates.
    pub n: usize,
    /// Per coordinate: whether it is folded into `[0, 1]` (bounded) or free (one-hot).
    bounded: Vec<bool>,
    boundary: Boundary,
}

/// Mirror `u` into `[0, 1]` (period 2).
#[inline]
fn fold(u: f64, boundary: Boundary) -> f64 {
    if boundary != Boundary::Mirror {
        return if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
    }
    if (0.0..=1.0).contains(&u) {
        return u;
    }
    if !u.is_finite() {
        return 0.5;
    }
    let t = u.rem_euclid(2.0);
    if t > 1.0 { 2.0 - t } else { t }
}

/// The value index of integer cell `cell` for a dimension of `count` values (cells
/// mirrored with period `2·count`).
#[inline]
fn cell_index(cell: i64, count: usize, boundary: Boundary) -> usize {
    let k = count as i64;
    if boundary != Boundary::Mirror {
        return cell.clamp(0, k - 1) as usize;
    }
    let r = cell.rem_euclid(2 * k);
    (if r < k { r } else { 2 * k - 1 - r }) as usize
}

/// Integer dimensions with more values than this are encoded like continuous ones.
const HUGE_RANGE: usize = 1 << 40;

#[inline]
fn cell_of(u: f64, count: usize) -> i64 {
    let c = (u * count as f64).floor();
    if c.is_finite() {
        c.clamp(-1e15, 1e15) as i64
    } else {
        0
    }
}

impl Encoding {
    /// The encoding of `space` with the given treatment of unordered dimensions.
    pub fn new(space: &Space, categories: Categories, boundary: Boundary) -> Encoding {
        let mut slots = Vec::with_capacity(space.len());
        let mut bounded = Vec::new();
        for dim in space.dims() {
            let (lo, hi) = dim.bounds();
            let count = match dim.kind() {
                Kind::Continuous { .. } => None,
                _ => Some(((hi - lo) as usize).saturating_add(1)),
            };
            let slot = match (dim.kind(), count) {
                // Integer ranges too wide for cells of a `f64` coordinate: a continuous
                // coordinate rounded to the integers (no margin; no one-hot).
                (Kind::Integer { .. }, Some(count)) if count > HUGE_RANGE => {
                    bounded.push(true);
                    Slot::Continuous {
                        coord: bounded.len() - 1,
                        lo,
                        hi,
                        width: hi - lo,
                        rounded: true,
                    }
                }
                (Kind::Continuous { decimals, .. }, _) if hi > lo => {
                    bounded.push(true);
                    Slot::Continuous {
                        coord: bounded.len() - 1,
                        lo,
                        hi,
                        width: hi - lo,
                        rounded: decimals.is_some(),
                    }
                }
                (_, Some(count)) if count >= 2 => {
                    let one_hot = !dim.is_ordered()
                        && match categories {
                            Categories::Auto => count > 2 && count <= AUTO_ONE_HOT_UP_TO,
                            Categories::Rank => false,
                            Categories::OneHot => true,
                        };
                    if one_hot {
                        let first = bounded.len();
                        bounded.extend(std::iter::repeat_n(false, count));
                        Slot::OneHot { first, lo, count }
                    } else {
                        bounded.push(true);
                        Slot::Integer {
                            coord: bounded.len() - 1,
                            lo,
                            count,
                        }
                    }
                }
                _ => Slot::Fixed { value: dim.snap(lo) },
            };
            slots.push(slot);
        }
        Encoding {
            slots,
            n: bounded.len(),
            bounded,
            boundary,
        }
    }

    /// The point of `space` a genotype denotes. The genotype is
    /// `mean + scale ∘ (raw − mean)` (the margin's per-coordinate scale).
    pub fn decode(&self, space: &Space, mean: &[f64], scale: &[f64], raw: &[f64], out: &mut Vec<f64>) {
        out.clear();
        let g = |i: usize| mean[i] + scale[i] * (raw[i] - mean[i]);
        for (slot, dim) in self.slots.iter().zip(space.dims()) {
            let v = match *slot {
                Slot::Fixed { value } => value,
                Slot::Continuous {
                    coord,
                    lo,
                    hi,
                    width,
                    rounded,
                } => {
                    let x = lo + width * fold(g(coord), self.boundary);
                    if rounded { dim.snap(x) } else { x.clamp(lo, hi) }
                }
                Slot::Integer { coord, lo, count } => {
                    dim.snap(lo + cell_index(cell_of(g(coord), count), count, self.boundary) as f64)
                }
                Slot::OneHot { first, lo, count } => {
                    let mut best = 0;
                    let mut top = f64::NEG_INFINITY;
                    for j in 0..count {
                        let v = g(first + j);
                        if v > top {
                            top = v;
                            best = j;
                        }
                    }
                    lo + best as f64
                }
            };
            out.push(v);
        }
    }

    /// A genotype that decodes to `point` (the centre of its integer cell; the chosen
    /// one-hot coordinate at ¾, the others at ¼).
    pub fn encode(&self, point: &[f64]) -> Vec<f64> {
        let mut g = vec![0.5; self.n];
        for (slot, &x) in self.slots.iter().zip(point) {
            match *slot {
                Slot::Fixed { .. } => {}
                Slot::Continuous { coord, lo, width, .. } => g[coord] = ((x - lo) / width).clamp(0.0, 1.0),
                Slot::Integer { coord, lo, count } => {
                    g[coord] = ((x - lo + 0.5) / count as f64).clamp(0.0, 1.0);
                }
                Slot::OneHot { first, lo, count } => {
                    let chosen = (x - lo).round().clamp(0.0, (count - 1) as f64) as usize;
                    for j in 0..count {
                        g[first + j] = if j == chosen { 0.75 } else { 0.25 };
                    }
                }
            }
        }
        g
    }

    /// A uniformly random genotype: every coordinate uniform in `[0, 1]`, so continuous
    /// and integer values are uniform in their box, one-hot values uniform over the labels.
    pub fn random(&self, rng: &mut ZooRng) -> Vec<f64> {
        (0..self.n).map(|_| rng.unit()).collect()
    }

    /// The point with every coordinate fixed (for spaces with no genotype coordinate).
    pub fn fixed_point(&self) -> Vec<f64> {
        self.slots
            .iter()
            .map(|s| match *s {
                Slot::Fixed { value } => value,
                _ => 0.0,
            })
            .collect()
    }

    /// Number of integer and one-hot dimensions, which the margin applies to.
    pub fn discrete_dimensions(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::Integer { .. } | Slot::OneHot { .. }))
            .count()
    }

    /// Mirror: moves each bounded coordinate of the mean by a multiple of 2 into
    /// `[−½, 3/2)`, which leaves the distribution of decoded points unchanged. Clip: keeps
    /// each `held` coordinate of the mean in the box `[0, 1]`, so that it cannot get lost
    /// where every sample is clipped to the same bound and the objective is flat.
    pub fn recentre(&self, mean: &mut [f64], held: &[bool]) {
        for (m, &h) in mean.iter_mut().zip(held) {
            if h && m.is_finite() {
                match self.boundary {
                    Boundary::Mirror if !(-0.5..1.5).contains(m) => *m -= 2.0 * ((*m + 0.5) / 2.0).floor(),
                    Boundary::Clip => *m = m.clamp(0.0, 1.0),
                    // The penalty pulls the mean back; its excess drives the weights.
                    Boundary::Mirror | Boundary::Penalty => {}
                }
            }
        }
    }

    /// Per genotype coordinate: whether a sample beyond `[0, 1]` is brought back into the
    /// box for the update (projected under the clip, penalised under the penalty).
    /// Continuous coordinates are; integer coordinates only without a margin (or under
    /// the mirror, which folds every coordinate). With a margin an integer coordinate is
    /// learnt as drawn: beyond an end of its range every value decodes to the end value,
    /// so the mean may settle there, and the margin keeps the probability of moving back
    /// in at least `α` (as in Hamano et al.). Projecting such coordinates instead piles
    /// the samples up on the bound and slows the whole run: on the mixed-30 problem of
    /// `docs/cmaes.md` the integer part then takes about 2,000 evaluations to solve
    /// instead of about 250.
    pub fn held_in_box(&self, margin: bool) -> Vec<bool> {
        let mut held = self.bounded.clone();
        if margin && self.boundary != Boundary::Mirror {
            for slot in &self.slots {
                if let Slot::Integer { coord, .. } = *slot {
                    held[coord] = false;
                }
            }
        }
        held
    }

    /// Per genotype coordinate, whether it is folded into `[0, 1]`: the coordinates
    /// [`Encoding::held_in_box`] holds without a margin.
    pub fn bounded(&self) -> &[bool] {
        &self.bounded
    }

    /// Clip only: projects the `held` coordinates of a sampled genotype onto `[0, 1]`, so
    /// that the update learns from the points that were evaluated (under the mirror and
    /// the penalty the genotype is kept as sampled).
    pub fn repair(&self, raw: &mut [f64], held: &[bool]) {
        if self.boundary == Boundary::Clip {
            for (x, &h) in raw.iter_mut().zip(held) {
                if h {
                    *x = x.clamp(0.0, 1.0);
                }
            }
        }
    }

    /// Under the clip and the penalty: projects the integer coordinates of more than 2
    /// values that are not `held` (learnt as drawn under a margin) so that their genotype
    /// `mean + scale ∘ (raw − mean)` lies within their range widened by `cells` cells at
    /// each end ([`crate::CmaEsConfig::integer_reach`]). Every value there decodes as
    /// before: beyond an end, the end value. Bits are left as drawn: their cell is half
    /// the range, and the drift the limit stops is one over many cells.
    pub fn limit_reach(&self, raw: &mut [f64], held: &[bool], cells: f64, mean: &[f64], scale: &[f64]) {
        if self.boundary == Boundary::Mirror {
            return;
        }
        for slot in &self.slots {
            if let Slot::Integer { coord: j, count, .. } = *slot
                && count > 2
                && !held[j]
            {
                let reach = cells / count as f64;
                let genotype = mean[j] + scale[j] * (raw[j] - mean[j]);
                let band = -reach..=1.0 + reach;
                if !genotype.is_nan() && !band.contains(&genotype) && scale[j] > 0.0 {
                    let limited = genotype.clamp(-reach, 1.0 + reach);
                    raw[j] = mean[j] + (limited - mean[j]) / scale[j];
                }
            }
        }
    }

    /// The margin of CMA-ES with margin (Hamano et al. 2022) for the integer coordinates:
    /// after an update, the probability that the coordinate's marginal
    /// `N(mean, (scale · sd)²)` leaves the integer value of the mean's cell is raised to at
    /// least `alpha` — half on each side when both neighbouring cells hold other values
    /// (by widening `scale` and moving the mean, σ and C untouched), all on the one side
    /// at the ends of the range (by moving the mean). For one-hot groups (an extension of
    /// the paper's binary case, not in the paper) the means of trailing values are lifted
    /// so that each beats the leading one with probability at least `alpha`.
    pub fn apply_margin(&self, mean: &mut [f64], scale: &mut [f64], sd: &[f64], alpha: f64) {
        if alpha <= 0.0 {
            return;
        }
        for slot in &self.slots {
            let Slot::Integer { coord: j, count, .. } = *slot else {
                continue;
            };
            let k = count as f64;
            let m = mean[j];
            let s = scale[j] * sd[j];
            if !(s > 0.0 && s.is_finite() && m.is_finite()) {
                continue;
            }
            // Under the mirror, cells beyond the box are mirror images and the mean's own
            // cell is the one to keep; otherwise the mean may lie beyond the box, and its
            // margin is that of the end cell.
            let cell = if self.boundary == Boundary::Mirror {
                cell_of(m, count)
            } else {
                cell_of(m.clamp(0.0, 1.0), count).min(count as i64 - 1)
            };
            let here = cell_index(cell, count, self.boundary);
            let low = cell as f64 / k;
            let up = (cell + 1) as f64 / k;
            let low_real = cell_index(cell - 1, count, self.boundary) != here;
            let up_real = cell_index(cell + 1, count, self.boundary) != here;
            match (low_real, up_real) {
                (true, true) => {
                    let p_low = normal::cdf((low - m) / s);
                    let p_up = normal::cdf((m - up) / s);
                    let half = alpha / 2.0;
                    if p_low >= half && p_up >= half {
                        continue;
                    }
                    let ql = normal::quantile(1.0 - p_low.clamp(half, 0.5 - 1e-10));
                    let qu = normal::quantile(1.0 - p_up.clamp(half, 0.5 - 1e-10));
                    let width = (up - low) / (ql + qu);
                    mean[j] = (low * qu + up * ql) / (ql + qu);
                    scale[j] = width / sd[j];
                }
                (true, false) => {
                    let q = normal::quantile(1.0 - alpha);
                    if normal::cdf((low - m) / s) < alpha {
                        mean[j] = low + s * q;
                    }
                }
                (false, true) => {
                    let q = normal::quantile(1.0 - alpha);
                    if normal::cdf((m - up) / s) < alpha {
                        mean[j] = up - s * q;
                    }
                }
                (false, false) => {}
            }
        }
        // One-hot groups: value `j` beats the leading value `t` with probability about
        // `Φ((m_j − m_t) / √(s_j² + s_t²))`; raise every such probability to `alpha` by
        // lifting the trailing means.
        let q = normal::quantile(1.0 - alpha);
        for slot in &self.slots {
            let Slot::OneHot { first, count, .. } = *slot else {
                continue;
            };
            let group = first..first + count;
            let Some(top) = group.clone().max_by(|&a, &b| mean[a].total_cmp(&mean[b])) else {
                continue;
            };
            let st = scale[top] * sd[top];
            for j in group {
                let sj = scale[j] * sd[j];
                let gap = q * (sj * sj + st * st).sqrt();
                if j != top && gap.is_finite() && mean[j] < mean[top] - gap {
                    mean[j] = mean[top] - gap;
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use zoo_core::Dimension;

    fn mixed() -> Space {
        Space::new([
            Dimension::continuous(-2.0, 3.0).unwrap(),
            Dimension::integer(-5, 5).unwrap(),
            Dimension::categorical(["a", "b", "c", "d"]).unwrap(),
            Dimension::categorical(["only"]).unwrap(),
            Dimension::unordered(0, 100).unwrap(),
        ])
        .unwrap()
    }

    #[test]
    fn every_genotype_decodes_into_the_space() {
        let space = mixed();
        let enc = Encoding::new(&space, Categories::Auto, Boundary::Mirror);
        assert_eq!(enc.n, 1 + 1 + 4 + 1);
        let mut rng = ZooRng::seed_from(1);
        let mut out = Vec::new();
        let ones = vec![1.0; enc.n];
        let zeros = vec![0.0; enc.n];
        for _ in 0..2000 {
            let raw: Vec<f64> = (0..enc.n).map(|_| 10.0 * rng.normal()).collect();
            enc.decode(&space, &zeros, &ones, &raw, &mut out);
            assert!(space.contains(&out), "{out:?}");
        }
        let nan = vec![f64::NAN; enc.n];
        enc.decode(&space, &zeros, &ones, &nan, &mut out);
        assert!(space.contains(&out), "{out:?}");
    }

    #[test]
    fn extreme_integer_ranges_stay_in_the_space() {
        let space = Space::new([
            // The widest integer ranges a space accepts (coordinates are f64: ±2^53).
            Dimension::integer(-(1 << 53), 1 << 53).unwrap(),
            Dimension::unordered(-(1 << 52), 1 << 52).unwrap(),
        ])
        .unwrap();
        for boundary in [Boundary::Clip, Boundary::Mirror] {
            let enc = Encoding::new(&space, Categories::Auto, boundary);
            assert_eq!(enc.n, 2);
            let mut rng = ZooRng::seed_from(4);
            let mut out = Vec::new();
            for _ in 0..500 {
                let raw: Vec<f64> = (0..2).map(|_| 3.0 * rng.normal()).collect();
                enc.decode(&space, &[0.5, 0.5], &[1.0, 1.0], &raw, &mut out);
                assert!(space.contains(&out), "{out:?}");
            }
        }
    }

    #[test]
    fn encode_then_decode_gives_the_point_back() {
        let space = mixed();
        let enc = Encoding::new(&space, Categories::Auto, Boundary::Mirror);
        let point = vec![0.25, -3.0, 2.0, 0.0, 77.0];
        let g = enc.encode(&point);
        let mut out = Vec::new();
        enc.decode(&space, &g, &vec![1.0; enc.n], &g, &mut out);
        assert_eq!(out, point);
    }

    #[test]
    fn mirror_reflects_at_the_bounds() {
        assert_eq!(fold(1.25, Boundary::Mirror), 0.75);
        assert_eq!(fold(-0.25, Boundary::Mirror), 0.25);
        assert_eq!(fold(2.25, Boundary::Mirror), 0.25);
        assert_eq!(fold(-0.25, Boundary::Clip), 0.0);
        assert_eq!(cell_index(11, 11, Boundary::Mirror), 10);
        assert_eq!(cell_index(-2, 11, Boundary::Clip), 0);
        assert_eq!(cell_index(-1, 11, Boundary::Mirror), 0);
        assert_eq!(cell_index(-2, 11, Boundary::Mirror), 1);
    }

    #[test]
    fn margin_keeps_integer_coordinates_moving() {
        let space = Space::new([Dimension::integer(0, 9).unwrap()]).unwrap();
        let enc = Encoding::new(&space, Categories::Auto, Boundary::Mirror);
        // Mean in the middle of cell 4 with a tiny deviation: both sides get alpha/2.
        let (mut mean, mut scale) = (vec![0.45], vec![1.0]);
        enc.apply_margin(&mut mean, &mut scale, &[1e-6], 0.02);
        let s = scale[0] * 1e-6;
        let p_low = normal::cdf((0.4 - mean[0]) / s);
        let p_up = normal::cdf((mean[0] - 0.5) / s);
        assert!(
            (p_low - 0.01).abs() < 1e-4 && (p_up - 0.01).abs() < 1e-4,
            "{p_low} {p_up}"
        );
        // At the lower end only the upper side changes the value.
        let (mut mean, mut scale) = (vec![0.02], vec![1.0]);
        enc.apply_margin(&mut mean, &mut scale, &[1e-3], 0.02);
        let p_up = normal::cdf((mean[0] - 0.1) / 1e-3);
        assert!((p_up - 0.02).abs() < 1e-4, "{p_up}");
        assert_eq!(scale[0], 1.0);
    }

    #[test]
    fn with_a_margin_integer_coordinates_leave_the_box_and_are_held_at_its_end() {
        let space = Space::new([
            Dimension::continuous(0.0, 1.0).unwrap(),
            Dimension::integer(0, 9).unwrap(),
        ])
        .unwrap();
        let enc = Encoding::new(&space, Categories::Auto, Boundary::Clip);
        assert_eq!(enc.held_in_box(false), vec![true, true]);
        let held = enc.held_in_box(true);
        assert_eq!(held, vec![true, false]);
        let mut raw = vec![-0.5, -0.5];
        enc.repair(&mut raw, &held);
        assert_eq!(raw, vec![0.0, -0.5]);
        let mut mean = vec![1.5, 1.5];
        enc.recentre(&mut mean, &held);
        assert_eq!(mean, vec![1.0, 1.5]);
        // A mean far beyond the upper end is brought to where the chance of moving back in
        // (below the last cell, 0.9) is the margin.
        let mut scale = vec![1.0, 1.0];
        enc.apply_margin(&mut mean, &mut scale, &[1e-3, 1e-3], 0.02);
        let p_in = normal::cdf((0.9 - mean[1]) / 1e-3);
        assert!((p_in - 0.02).abs() < 1e-4, "{p_in}");
        assert_eq!(mean[0], 1.0);
        let mut out = Vec::new();
        enc.decode(&space, &mean, &scale, &[0.25, 7.0], &mut out);
        assert_eq!(out, vec![0.25, 9.0]);
        // The mirror folds every coordinate.
        let mirror = Encoding::new(&space, Categories::Auto, Boundary::Mirror);
        assert_eq!(mirror.held_in_box(true), vec![true, true]);
    }

    #[test]
    fn a_limited_reach_projects_integer_coordinates_learnt_as_drawn_near_their_range() {
        let space = Space::new([
            Dimension::continuous(0.0, 1.0).unwrap(),
            Dimension::integer(0, 9).unwrap(),
            Dimension::integer(0, 9).unwrap(),
            Dimension::categorical(["a", "b", "c"]).unwrap(),
        ])
        .unwrap();
        let one = [1.0; 6];
        let centre = [0.5; 6];
        for boundary in [Boundary::Clip, Boundary::Penalty] {
            let enc = Encoding::new(&space, Categories::Auto, boundary);
            let held = enc.held_in_box(true);
            // Two cells of ten beyond each end: [-0.2, 1.2]; the continuous coordinate and
            // the one-hot label (coordinates 3 to 5) are left alone.
            let mut raw = vec![-3.0, -3.0, 0.55, -4.0, 9.0, 0.0];
            enc.limit_reach(&mut raw, &held, 2.0, &centre, &one);
            assert!((raw[1] + 0.2).abs() < 1e-12, "{boundary:?}: {raw:?}");
            raw[1] = -0.2;
            assert_eq!(raw, vec![-3.0, -0.2, 0.55, -4.0, 9.0, 0.0], "{boundary:?}");
            let mut raw = vec![5.0, 5.0, 1.1, 0.0, 0.0, 0.0];
            enc.limit_reach(&mut raw, &held, 2.0, &centre, &one);
            assert!(
                (raw[1] - 1.2).abs() < 1e-12 && raw[2] == 1.1,
                "{boundary:?}: {raw:?}"
            );
            // Under the margin's scale the genotype is what is limited: with the mean
            // beyond the upper end (1.25) and a scale of 3, a raw of 1.3 is the genotype
            // 1.4, brought to 1.2, the raw 1.25 + (1.2 − 1.25) / 3.
            let mean = [0.5, 1.25, 0.5, 0.5, 0.5, 0.5];
            let scale = [1.0, 3.0, 1.0, 1.0, 1.0, 1.0];
            let mut raw = vec![0.5, 1.3, 0.5, 0.0, 0.0, 0.0];
            enc.limit_reach(&mut raw, &held, 2.0, &mean, &scale);
            assert!(
                (raw[1] - (1.25 - 0.05 / 3.0)).abs() < 1e-12,
                "{boundary:?}: {raw:?}"
            );
            // A projected coordinate decodes to the end value, as the drawn one did.
            let mut out = Vec::new();
            enc.decode(&space, &mean, &scale, &raw, &mut out);
            assert_eq!(out[1], 9.0);
            // Without a margin the integer coordinates are held in the box: nothing to limit.
            let mut raw = vec![0.5, -3.0, 4.0, 0.0, 0.0, 0.0];
            enc.limit_reach(&mut raw, &enc.held_in_box(false), 0.0, &centre, &one);
            assert_eq!(raw, vec![0.5, -3.0, 4.0, 0.0, 0.0, 0.0]);
        }
        let mirror = Encoding::new(&space, Categories::Auto, Boundary::Mirror);
        let mut raw = vec![-3.0, -3.0, 4.0, 0.0, 0.0, 0.0];
        mirror.limit_reach(&mut raw, &[false; 6], 1.0, &centre, &one);
        assert_eq!(raw, vec![-3.0, -3.0, 4.0, 0.0, 0.0, 0.0]);
        // Bits are left as drawn.
        let bits = Encoding::new(&Space::binary(2).unwrap(), Categories::Auto, Boundary::Clip);
        let mut raw = vec![-3.0, 4.0];
        bits.limit_reach(&mut raw, &bits.held_in_box(true), 1.0, &[0.5; 2], &[1.0; 2]);
        assert_eq!(raw, vec![-3.0, 4.0]);
    }

    #[test]
    fn under_the_mirror_the_margin_keeps_a_mean_in_its_mirrored_cell() {
        let space = Space::new([Dimension::integer(0, 9).unwrap()]).unwrap();
        let enc = Encoding::new(&space, Categories::Auto, Boundary::Mirror);
        // 1.25 is in cell 12, the mirror image of value 7 (cells 10..19 run 9 down to 0).
        let (mut mean, mut scale) = (vec![1.25], vec![1.0]);
        enc.apply_margin(&mut mean, &mut scale, &[1e-3], 0.02);
        let value = |m: f64| cell_index(cell_of(m, 10), 10, Boundary::Mirror);
        assert_eq!(value(mean[0]), 7, "{}", mean[0]);
        assert!((mean[0] - 1.25).abs() < 0.05, "{}", mean[0]);
    }
}
