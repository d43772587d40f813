//! Compile-time checks that every sampler of the workspace, and the wrappers around it,
//! can be sent to and shared between threads (a sampler lives in the driver thread, but
//! users move runs and checkpoints across threads).

use zoo_core::{Ledger, Outcome};
use zoo_highdim::Embedded;
use zoo_noise::{Averaged, Noisy, Resampling, Suppressed};
use zoo_racos::{Racos, SRacos};
use zoo_subset::{Greedy, Ponss, Poss, SizeLimit};

fn send_sync<T: Send + Sync>() {}

#[test]
fn samplers_and_wrappers_are_send_and_sync() {
    send_sync::<SRacos>();
    send_sync::<Racos>();
    send_sync::<Resampling<SRacos>>();
    send_sync::<Suppressed<SRacos>>();
    send_sync::<Suppressed<Resampling<SRacos>>>();
    send_sync::<Embedded<SRacos>>();
    send_sync::<Embedded<Suppressed<SRacos>>>();
    send_sync::<Poss<SizeLimit>>();
    send_sync::<Ponss<SizeLimit>>();
    send_sync::<Greedy>();
    send_sync::<Ledger<Suppressed<SRacos>>>();
    send_sync::<Outcome<Embedded<SRacos>>>();
    send_sync::<Noisy<fn(&[f64]) -> f64>>();
    send_sync::<Averaged<fn(&[f64]) -> f64>>();
}
