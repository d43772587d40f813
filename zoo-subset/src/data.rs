//! Regression data sets, and the sonar data shipped with the crate.

use nalgebra::{DMatrix, DVector};

use crate::arff::Arff;
use crate::error::DataError;

/// The sonar data (`data/sonar.arff`), embedded in the library: see `data/README.md`
/// for its source (UCI Machine Learning Repository, Gorman & Sejnowski) and licence
/// (CC BY 4.0).
pub const SONAR_ARFF: &str = include_str!("../data/sonar.arff");

/// A regression data set: `m` rows of `n` features and a target.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Features, `m × n`.
    pub x: DMatrix<f64>,
    /// Target, length `m`.
    pub y: DVector<f64>,
    /// Names of the features (`n` of them).
    pub feature_names: Vec<String>,
    /// Name of the target.
    pub target_name: String,
}

impl Dataset {
    /// A data set from a feature matrix and a target; features are named `x0, x1, …`.
    /// Checks the shapes and that every value is finite.
    pub fn new(x: DMatrix<f64>, y: DVector<f64>) -> Result<Dataset, DataError> {
        let (rows, columns) = x.shape();
        if rows == 0 || columns == 0 {
            return Err(DataError::Empty { rows, columns });
        }
        if y.len() != rows {
            return Err(DataError::TargetLength {
                rows,
                target: y.len(),
            });
        }
        for column in 0..columns {
            if let Some(row) = x.column(column).iter().position(|v| !v.is_finite()) {
                return Err(DataError::NonFinite { row, column });
            }
        }
        if let Some(row) = y.iter().position(|v| !v.is_finite()) {
            return Err(DataError::NonFinite { row, column: columns });
        }
        Ok(Dataset {
            x,
            y,
            feature_names: (0..columns).map(|i| format!("x{i}")).collect(),
            target_name: "y".into(),
        })
    }

    /// Renames the features and the target.
    pub fn with_names(
        mut self,
        feature_names: Vec<String>,
        target_name: String,
    ) -> Result<Dataset, DataError> {
        if feature_names.len() != self.columns() {
            return Err(DataError::OutOfRange {
                name: "feature_names",
                value: feature_names.len().to_string(),
                expected: "one name per feature column",
            });
        }
        self.feature_names = feature_names;
        self.target_name = target_name;
        Ok(self)
    }

    /// Number of rows, `m`.
    pub fn rows(&self) -> usize {
        self.x.nrows()
    }

    /// Number of features, `n`.
    pub fn columns(&self) -> usize {
        self.x.ncols()
    }
}

/// The sonar data set: 208 rows, 60 features, target `Rock = 0` / `Mine = 1`.
///
/// ```
/// let sonar = zoo_subset::sonar();
/// assert_eq!((sonar.rows(), sonar.columns()), (208, 60));
/// assert_eq!(sonar.y.iter().filter(|&&v| v == 1.0).count(), 111); // mines
/// ```
pub fn sonar() -> Dataset {
    // The embedded file is fixed at build time and checked by this crate's tests.
    Arff::parse(SONAR_ARFF)
        .and_then(Arff::into_dataset)
        .expect("the embedded sonar.arff parses")
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn sonar_has_the_documented_shape_and_labels() {
        let d = sonar();
        assert_eq!((d.rows(), d.columns()), (208, 60));
        assert_eq!(d.y.iter().filter(|&&v| v == 0.0).count(), 97);
        assert_eq!(d.y.iter().filter(|&&v| v == 1.0).count(), 111);
        assert!(d.x.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(d.feature_names[0], "attribute_1");
        assert_eq!(d.target_name, "Class");
        // First row, first and last features, as in the file.
        assert_eq!(d.x[(0, 0)], 0.02);
        assert_eq!(d.x[(0, 59)], 0.0032);
        assert_eq!(d.y[0], 0.0);
    }

    #[test]
    fn rejects_bad_shapes_and_values() {
        let x = DMatrix::from_element(3, 2, 1.0);
        assert!(matches!(
            Dataset::new(x.clone(), DVector::zeros(2)),
            Err(DataError::TargetLength { rows: 3, target: 2 })
        ));
        let mut bad = x.clone();
        bad[(1, 1)] = f64::NAN;
        assert_eq!(
            Dataset::new(bad, DVector::zeros(3)),
            Err(DataError::NonFinite { row: 1, column: 1 })
        );
        assert!(Dataset::new(DMatrix::zeros(0, 2), DVector::zeros(0)).is_err());
        assert!(
            Dataset::new(x, DVector::zeros(3))
                .unwrap()
                .with_names(vec!["a".into()], "t".into())
                .is_err()
        );
    }
}
