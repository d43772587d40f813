//! The output directory of `zoo-bench run`: checked before anything runs, so that a long
//! suite neither fails at its end on a read-only directory nor mixes its files with another
//! suite's.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::record::Environment;

/// Makes `dir` ready for the results of suite `suite`: creates it, checks that a file can
/// be written there, and refuses a directory holding the `results.csv` of another suite
/// (or of a suite it cannot name). Results of the same suite are overwritten.
pub fn prepare(dir: &Path, suite: &str) -> Result<()> {
    if dir.join("results.csv").exists() {
        let previous = Environment::load(dir).map(|e| e.suite);
        match previous {
            Some(name) if name == suite => {}
            Some(name) => bail!(
                "{} holds the results of suite `{name}`; choose another directory for `{suite}` or remove it",
                dir.display()
            ),
            None => bail!(
                "{} holds a results.csv without env.json (not written by zoo-bench run?); choose another directory or remove it",
                dir.display()
            ),
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let probe = dir.join(".zoo-bench-write-check");
    std::fs::write(&probe, b"").with_context(|| format!("{} is not writable", dir.display()))?;
    std::fs::remove_file(&probe).with_context(|| format!("removing {}", probe.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_another_suites_results_and_accepts_its_own() {
        let dir = std::env::temp_dir().join(format!("zoo-bench-outdir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        prepare(&dir, "a").unwrap();
        std::fs::write(dir.join("results.csv"), "x\n").unwrap();
        assert!(prepare(&dir, "a").is_err(), "no env.json: unknown suite");
        Environment::detect("a", 1).save(&dir).unwrap();
        prepare(&dir, "a").unwrap();
        let err = prepare(&dir, "b").unwrap_err().to_string();
        assert!(err.contains("suite `a`"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
