//! The bring-your-own example (`examples/byo.rs`) runs, at a small budget, and writes the
//! report with its own sampler and problem next to SRACOS and CMA-ES, ECDFs included.

#[allow(dead_code)]
#[path = "../examples/byo.rs"]
mod byo;

#[test]
fn byo_example_benchmarks_its_sampler_against_sracos_and_cmaes() {
    let dir = std::env::temp_dir().join(format!("zoo-bench-byo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    byo::run(&dir, 200).unwrap();
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    // 3 problems × 3 algorithms × 5 seeds.
    assert_eq!(results.lines().count(), 1 + 45);
    for needle in [
        "bowl,10,one-plus-one,",
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
    assert!(report.contains("## Runtime ECDFs") && report.contains("one-plus-one"));
    assert!(dir.join("plots/ecdf-all.png").is_file());
    assert!(dir.join("coco/one-plus-one/bbobexp_f15.info").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}
