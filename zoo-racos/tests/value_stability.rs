//! Golden values of SRACOS's proposals: the same seed must give the same points on every
//! platform and in every release (the published per-seed figures rest on them). A change
//! here is a breaking change of reproducibility and must be announced as such.

use zoo_core::{Ledger, Space};
use zoo_racos::{SRacos, SRacosConfig};

/// The 1st, 2nd and 40th points SRACOS proposes on a 3-D cube, told the sphere's values,
/// as bits: the first come from the initial uniform samples, the 40th from the learned
/// box. (The 7th point asked is the noise check's re-evaluation of the best initial one,
/// not a proposal: the 40th proposal is the 41st point asked.)
fn proposals(seed: u64) -> [[u64; 3]; 3] {
    let sracos = SRacos::new(Space::cube(3, -1.0, 1.0).unwrap(), SRacosConfig::for_budget(100)).unwrap();
    let mut ledger = Ledger::new(sracos).budget(100).seed(seed);
    let mut asked = Vec::new();
    while let Some(x) = ledger.ask() {
        let value = x.iter().map(|v| (v - 0.2) * (v - 0.2)).sum::<f64>();
        asked.push([x[0].to_bits(), x[1].to_bits(), x[2].to_bits()]);
        ledger.tell(x, value);
    }
    assert!(
        asked[..6].contains(&asked[6]),
        "the noise check re-evaluates an initial point"
    );
    [asked[0], asked[1], asked[40]]
}

#[test]
fn first_proposals_are_stable() {
    let golden: [(u64, [[u64; 3]; 3]); 3] = [
        (
            0,
            [
                [4601204355621965084, 13812947654919474816, 4600846511385932112],
                [13829470508298279198, 4605004671097798800, 4591802628780391776],
                [13828222267749712364, 4596675447115593445, 4598698695131997032],
            ],
        ),
        (
            1,
            [
                [13819566705605827576, 13829106391488461918, 4596125914608568064],
                [13826603455259033086, 13824837024551891484, 4601259652917031184],
                [4605281240853487574, 4595448902315324199, 4594731524950134856],
            ],
        ),
        (
            42,
            [
                [4600225120909045420, 4606286660178108004, 13817763050762684848],
                [4598260266284354352, 13824660364989670624, 13827853036805351584],
                [4599171901888967736, 4601871275647502479, 4591287880153511664],
            ],
        ),
    ];
    for (seed, expected) in golden {
        assert_eq!(proposals(seed), expected, "seed {seed}");
    }
}
