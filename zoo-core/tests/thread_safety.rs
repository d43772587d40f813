//! Compile-time checks that the public types can cross threads: spaces, settings,
//! errors, the ledger (a checkpoint) and the outcome are `Send + Sync` for a sampler that
//! is. (A run itself holds the caller's callbacks, which need not be either.)

use zoo_core::{
    ConfigError, Dimension, Evaluated, History, Ledger, Outcome, RandomSearch, RunError, Settings, Space,
    SpaceError, StopReason, ZooRng,
};

fn send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync_where_documented() {
    send_sync::<Space>();
    send_sync::<Dimension>();
    send_sync::<Settings>();
    send_sync::<History>();
    send_sync::<StopReason>();
    send_sync::<ZooRng>();
    send_sync::<SpaceError>();
    send_sync::<ConfigError>();
    send_sync::<RunError<Vec<f64>>>();
    send_sync::<Evaluated<Vec<f64>>>();
    send_sync::<RandomSearch>();
    send_sync::<Ledger<RandomSearch>>();
    send_sync::<Outcome<RandomSearch>>();
}
