//! Coupled problems over bits and labels, beside ZOOpt's set cover: a deceptive plateau
//! for CMA-ES (`leadingones`), and two over many-valued labels with no order to exploit
//! (`label-ring`, `colouring`). Their tables and graphs are fixed per dimension, as the
//! rotations of the shifted-rotated problems are.

use anyhow::{Result, bail};
use zoo_core::{Dimension, Space, ZooRng};

use super::{Problem, ProblemInfo};

/// Values of each label of `label-ring`.
const RING_VALUES: usize = 12;
/// Colours of `colouring`.
const COLOURS: i64 = 3;
/// Edges of `colouring` per node.
const EDGES_PER_NODE: usize = 2;
/// Seed of the tables and graphs, mixed with the dimension.
const TABLE_SEED: u64 = 0x6c61_6265_6c73;

fn table_rng(dim: usize) -> ZooRng {
    ZooRng::seed_from(TABLE_SEED ^ (dim as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Bits still wrong before the first wrong one is fixed: `D − (leading ones)`, 0 at all
/// ones. Every bit after the first zero is neutral, a plateau.
fn leading_ones(name: &'static str, dim: usize) -> Result<Problem> {
    let f = move |x: &[f64]| (dim - x.iter().take_while(|v| **v > 0.5).count()) as f64;
    Ok(Problem::from_fn(name, Space::binary(dim)?, f).with_optimum(0.0))
}

/// A ring of `D` labels of 12 values; each neighbouring pair `(xᵢ, xᵢ₊₁ mod D)` scores
/// from its own table of uniform values in `[0, 1)`.
fn label_ring(name: &'static str, dim: usize) -> Result<Problem> {
    let mut rng = table_rng(dim);
    let pairs = RING_VALUES * RING_VALUES;
    let tables: Vec<f64> = (0..dim * pairs).map(|_| rng.unit()).collect();
    let f = move |x: &[f64]| {
        (0..dim)
            .map(|i| {
                let (a, b) = (x[i] as usize, x[(i + 1) % dim] as usize);
                tables[i * pairs + a * RING_VALUES + b]
            })
            .sum()
    };
    let space = Space::new(
        (0..dim)
            .map(|_| Dimension::unordered(0, RING_VALUES as i64 - 1))
            .collect::<Result<Vec<_>, _>>()?,
    )?;
    Ok(Problem::from_fn(name, space, f))
}

/// Conflicts of a 3-colouring of a random graph on `D` nodes with `2·D` edges (no
/// loops): edges whose two ends share a colour.
fn colouring(name: &'static str, dim: usize) -> Result<Problem> {
    // An edge joins two distinct nodes.
    if dim < 2 {
        bail!("problem `{name}` takes 2 or more coordinates, not {dim}");
    }
    let mut rng = table_rng(dim);
    let mut edges = Vec::with_capacity(EDGES_PER_NODE * dim);
    while edges.len() < EDGES_PER_NODE * dim {
        let (a, b) = (rng.below(dim as u64) as usize, rng.below(dim as u64) as usize);
        if a != b {
            edges.push((a, b));
        }
    }
    // Colours are whole numbers: compare them as such.
    let f = move |x: &[f64]| edges.iter().filter(|(a, b)| x[*a] as i64 == x[*b] as i64).count() as f64;
    let space = Space::new(
        (0..dim)
            .map(|_| Dimension::unordered(0, COLOURS - 1))
            .collect::<Result<Vec<_>, _>>()?,
    )?;
    Ok(Problem::from_fn(name, space, f))
}

/// The registry entries.
pub(super) const PROBLEMS: &[ProblemInfo] = &[
    ProblemInfo {
        name: "leadingones",
        about: "D − leading ones of D bits: a plateau after the first zero",
        default_dim: 50,
        fixed_dim: None,
        max_dim: 100_000,
        build: leading_ones,
    },
    ProblemInfo {
        name: "label-ring",
        about: "a ring of D labels of 12 values, each neighbouring pair scored by its own random table",
        default_dim: 10,
        fixed_dim: None,
        max_dim: 10_000,
        build: label_ring,
    },
    ProblemInfo {
        name: "colouring",
        about: "conflicts of a 3-colouring of a random graph on D nodes with 2·D edges",
        default_dim: 40,
        fixed_dim: None,
        max_dim: 100_000,
        build: colouring,
    },
];

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::super::build;

    #[test]
    fn values_follow_their_definitions() {
        let p = build("leadingones", Some(5)).unwrap();
        assert_eq!(p.true_value(&[1.0, 1.0, 0.0, 1.0, 1.0]), 3.0);
        assert_eq!(p.true_value(&[1.0; 5]), 0.0);
        assert_eq!(p.optimum(), Some(0.0));

        let ring = build("label-ring", Some(6)).unwrap();
        assert!(
            ring.space
                .dims()
                .iter()
                .all(|d| !d.is_ordered() && d.cardinality() == Some(12))
        );
        let v = ring.true_value(&[0.0, 3.0, 11.0, 5.0, 5.0, 1.0]);
        assert!((0.0..6.0).contains(&v), "{v}");
        assert_eq!(
            v,
            build("label-ring", Some(6))
                .unwrap()
                .true_value(&[0.0, 3.0, 11.0, 5.0, 5.0, 1.0])
        );

        let c = build("colouring", Some(30)).unwrap();
        assert_eq!(c.true_value(&[1.0; 30]), 60.0, "one colour: every edge conflicts");
        assert!(c.true_value(&(0..30).map(|i| (i % 3) as f64).collect::<Vec<_>>()) < 60.0);
        assert!(
            build("colouring", Some(1)).is_err(),
            "one node has no edge to draw"
        );
        assert!(build("colouring", Some(2)).is_ok());
    }
}
