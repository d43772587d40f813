#![doc = include_str!("../README.md")]

mod archive;
mod arff;
mod constraint;
mod data;
mod error;
mod greedy;
mod ponss;
mod poss;
mod regression;
mod subset;
mod synthetic;

pub use archive::{Member, dominates, weakly_dominates};
pub use arff::{Arff, Attribute, AttributeKind};
pub use constraint::{Constraint, CostLimit, SizeLimit, SlackFn};
pub use data::{Dataset, SONAR_ARFF, sonar};
pub use error::{DataError, SubsetError};
pub use greedy::Greedy;
pub use ponss::Ponss;
pub use poss::{Poss, default_budget};
pub use regression::{SparseRegression, standardize};
pub use subset::{Indices, MAX_ITEMS, Subset};
pub use synthetic::{Synthetic, SyntheticProblem, recovery};
