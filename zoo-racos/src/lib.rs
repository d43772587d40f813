#![doc = include_str!("../README.md")]

mod classifier;
mod config;
mod racos;
mod sracos;
mod training;
mod trust;

pub use config::{
    Centre, MAX_RETRIES, RacosConfig, Replace, SRacosConfig, automatic_uncertain_bits, sizes_for_budget,
};
pub use racos::Racos;
pub use sracos::SRacos;
pub use training::TrainingSets;

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use zoo_core::testing::conformance;

    #[test]
    fn sracos_conforms() {
        for replace in [Replace::Worst, Replace::Random, Replace::Farthest] {
            conformance::check_all(|space| {
                SRacos::new(
                    space.clone(),
                    SRacosConfig {
                        replace,
                        ..SRacosConfig::for_budget(300)
                    },
                )
            });
        }
    }

    #[test]
    fn racos_conforms() {
        conformance::check_all(|space| Racos::new(space.clone(), RacosConfig::for_budget(300)));
    }

    #[test]
    fn every_reachable_state_restores() {
        conformance::reachable_states_restore(&|space: &zoo_core::Space| {
            Racos::new(space.clone(), RacosConfig::for_budget(300))
        });
        for replace in [Replace::Worst, Replace::Random, Replace::Farthest] {
            conformance::reachable_states_restore(&|space: &zoo_core::Space| {
                SRacos::new(
                    space.clone(),
                    SRacosConfig {
                        replace,
                        ..SRacosConfig::for_budget(300)
                    },
                )
            });
        }
    }
}

/// The user guide's examples, compiled and run as doc tests (docs/getting-started.md, whose
/// first run uses `zoo-auto`, runs in zoo-bench's, which depends on every crate).
#[cfg(doctest)]
mod guide {
    #[doc = include_str!("../../README.md")]
    struct Readme;
    #[doc = include_str!("../../docs/search-spaces.md")]
    struct SearchSpaces;
    #[doc = include_str!("../../docs/racos.md")]
    struct Racos;
}
