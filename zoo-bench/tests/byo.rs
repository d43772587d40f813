//! The bring-your-own example (`examples/byo.rs`) runs as it is and writes the report with its
//! own sampler next to SRACOS and CMA-ES, ECDFs and COCO data included.

#[path = "../examples/byo.rs"]
mod byo;

#[test]
fn byo_example_benchmarks_its_sampler_against_sracos_and_cmaes() {
    // The example writes to `target/byo`, relative to the package directory here.
    let dir = std::path::Path::new("target/byo");
    let _ = std::fs::remove_dir_all(dir);
    byo::main().unwrap();
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    // 2 problems × 3 algorithms × 5 seeds.
    assert_eq!(results.lines().count(), 1 + 30);
    for needle in [
        "bbob-f1,10,local,",
        "bbob-f15,10,sracos,",
        "bbob-f1,10,zoo-cmaes,",
    ] {
        assert!(results.contains(needle), "{needle}");
    }
    assert!(
        results.lines().skip(1).all(|l| l.ends_with(',')),
        "a run failed:\n{results}"
    );
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("## Runtime ECDFs") && report.contains("local"));
    assert!(dir.join("plots/ecdf-all.png").is_file());
    assert!(dir.join("coco/local/bbobexp_f15.info").is_file());
    std::fs::remove_dir_all(dir).unwrap();
}
