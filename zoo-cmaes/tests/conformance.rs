//! The zoo sampler contract, for every public sampler and for the settings that change
//! the code path (covariance model, restarts, encodings).

use zoo_cmaes::{Boundary, Categories, CmaEs, CmaEsConfig, Covariance, Restarts, SepCmaEs};
use zoo_core::testing::conformance::check_all;

#[test]
fn every_reachable_state_restores() {
    use zoo_core::testing::conformance::reachable_states_restore;
    reachable_states_restore(&|space: &zoo_core::Space| CmaEs::new(space.clone(), CmaEsConfig::default()));
    reachable_states_restore(&|space: &zoo_core::Space| SepCmaEs::new(space.clone(), CmaEsConfig::default()));
    reachable_states_restore(&|space: &zoo_core::Space| {
        CmaEs::new(
            space.clone(),
            CmaEsConfig {
                restarts: Restarts::Bipop,
                categories: Categories::OneHot,
                covariance: Covariance::Full,
                ..CmaEsConfig::default()
            },
        )
    });
}

#[test]
fn boundary_penalty_meets_the_contract() {
    let penalty = || CmaEsConfig {
        boundary: Boundary::Penalty,
        ..CmaEsConfig::default()
    };
    check_all(|space| CmaEs::new(space.clone(), penalty()));
    zoo_core::testing::conformance::reachable_states_restore(&|space: &zoo_core::Space| {
        CmaEs::new(space.clone(), penalty())
    });
}

#[test]
fn cmaes_default_meets_the_contract() {
    check_all(|space| CmaEs::new(space.clone(), CmaEsConfig::default()));
}

#[test]
fn sep_cmaes_meets_the_contract() {
    check_all(|space| SepCmaEs::new(space.clone(), CmaEsConfig::default()));
}

#[test]
fn bipop_one_hot_full_meets_the_contract() {
    check_all(|space| {
        CmaEs::new(
            space.clone(),
            CmaEsConfig {
                restarts: Restarts::Bipop,
                categories: Categories::OneHot,
                covariance: Covariance::Full,
                ..CmaEsConfig::default()
            },
        )
    });
}

/// The rank encoding puts a categorical dimension on one Gaussian coordinate: when the
/// objective ignores it, the far values are rarely proposed before the run converges
/// (600 evaluations on six values: the last one never). That is the documented price of
/// the encoding, so that one check is left out here; the default (`Categories::Auto`)
/// one-hot encodes such a dimension and passes it.
#[test]
fn rank_encoding_meets_the_contract_except_reaching_every_label() {
    use zoo_core::testing::conformance as c;
    let factory = |space: &zoo_core::Space| {
        CmaEs::new(
            space.clone(),
            CmaEsConfig {
                categories: Categories::Rank,
                ..CmaEsConfig::default()
            },
        )
    };
    c::points_lie_in_space(&factory);
    c::survives_nan_and_infinite_values(&factory);
    c::same_seed_gives_same_run(&factory);
    c::warm_start_is_used(&factory);
    c::tiny_discrete_space_ends_cleanly(&factory);
    c::stops_exactly_at_budget(&factory);
    c::resumes_exactly(&factory);
}

#[test]
fn elitist_finish_meets_the_contract() {
    let elitist = || CmaEsConfig {
        elitist_finish: true,
        ..CmaEsConfig::default()
    };
    check_all(|space| CmaEs::new(space.clone(), elitist()));
    zoo_core::testing::conformance::reachable_states_restore(&|space: &zoo_core::Space| {
        CmaEs::new(space.clone(), elitist())
    });
}

#[test]
fn no_restarts_meets_the_contract() {
    check_all(|space| {
        CmaEs::new(
            space.clone(),
            CmaEsConfig {
                restarts: Restarts::Off,
                ..CmaEsConfig::default()
            },
        )
    });
}
