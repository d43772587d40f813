//! Suite files: a suite as TOML, parsed with serde and the `toml` crate. Every built-in
//! suite is such a file (`zoo-bench/suites/NAME.toml`, compiled in), and
//! `zoo-bench run --suite-file FILE` runs any other.
//!
//! ```toml
//! name = "mine"                        # required; names the results
//! about = "what it compares"           # optional, one line
//! seeds = [1, 2, 3, 4, 5]              # required: every task runs with every seed
//! exclusive = false                    # optional: run one run at a time (timings)
//!
//! [[tasks]]                            # one or more
//! label = "P1"                         # optional: short label in tables (default "")
//! problems = ["bbob-f1", "bbob-f8"]    # or problem = "ackley"
//! dims = [2, 5, 10]                    # or dim = 50 (default: each problem's own)
//! budget_per_dim = 200                 # or budget = 5000: evaluations per run
//! threads = 1                          # optional: parallel evaluation threads per run
//! algos = ["sracos", "cmaes", "random"]
//! ```
//!
//! A `[[tasks]]` entry stands for every (dimension, problem) pair of its lists, dimensions
//! outermost, in the order written. Unknown keys are errors; names are checked when the
//! suite is planned (an unknown problem or algorithm is an error there).

use serde::Deserialize;

use crate::suite::{Suite, Task};

/// A parse or validation error of a suite file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SuiteFileError {
    /// Not valid TOML, or not the suite schema.
    // The parser's message follows as the source, once.
    #[error("not a suite file")]
    Toml(#[from] toml::de::Error),
    /// Valid TOML, but an entry contradicts itself or is empty.
    #[error("suite file, task {task}: {why}")]
    Task {
        /// 1-based position of the `[[tasks]]` entry.
        task: usize,
        /// What is wrong.
        why: String,
    },
    /// No seeds, no tasks or no name.
    #[error("suite file: {0}")]
    Empty(&'static str),
    /// A seed, or a run of an algorithm on a problem, listed twice: its runs would count
    /// twice in the medians and the tests.
    #[error("suite file: {0} is listed twice: the runs would count twice")]
    Repeated(String),
}

/// The first value that occurs twice.
fn repeated<T: PartialEq>(values: &[T]) -> Option<&T> {
    values
        .iter()
        .enumerate()
        .find(|(i, v)| values[..*i].contains(v))
        .map(|(_, v)| v)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    #[serde(default)]
    about: String,
    seeds: Vec<u64>,
    #[serde(default)]
    exclusive: bool,
    tasks: Vec<TaskEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskEntry {
    #[serde(default)]
    label: String,
    problem: Option<String>,
    problems: Option<Vec<String>>,
    dim: Option<usize>,
    dims: Option<Vec<usize>>,
    budget: Option<u64>,
    budget_per_dim: Option<u64>,
    #[serde(default = "one")]
    threads: usize,
    algos: Vec<String>,
}

fn one() -> usize {
    1
}

/// Exactly one of a single value and a list, as a list.
fn either<T>(
    one: Option<T>,
    many: Option<Vec<T>>,
    what: &str,
    task: usize,
) -> Result<Option<Vec<T>>, SuiteFileError> {
    match (one, many) {
        (Some(_), Some(_)) => Err(SuiteFileError::Task {
            task,
            why: format!("give `{what}` or `{what}s`, not both"),
        }),
        (Some(x), None) => Ok(Some(vec![x])),
        (None, Some(v)) if v.is_empty() => Err(SuiteFileError::Task {
            task,
            why: format!("`{what}s` is empty"),
        }),
        (None, v) => Ok(v),
    }
}

/// Parses a suite file.
pub fn parse(text: &str) -> Result<Suite, SuiteFileError> {
    let file: File = toml::from_str(text)?;
    if file.seeds.is_empty() {
        return Err(SuiteFileError::Empty("`seeds` is empty"));
    }
    if file.tasks.is_empty() {
        return Err(SuiteFileError::Empty("no [[tasks]]"));
    }
    if file.name.trim().is_empty() {
        return Err(SuiteFileError::Empty("`name` is empty"));
    }
    if let Some(seed) = repeated(&file.seeds) {
        return Err(SuiteFileError::Repeated(format!("seed {seed}")));
    }
    let mut tasks = Vec::new();
    for (i, t) in file.tasks.into_iter().enumerate() {
        let n = i + 1;
        let problems = either(t.problem, t.problems, "problem", n)?.ok_or_else(|| SuiteFileError::Task {
            task: n,
            why: "give `problem` or `problems`".into(),
        })?;
        let dims = either(t.dim, t.dims, "dim", n)?;
        let repeat = |what: String| SuiteFileError::Task {
            task: n,
            why: format!("{what} is listed twice: the runs would count twice"),
        };
        if let Some(p) = repeated(&problems) {
            return Err(repeat(format!("problem {p}")));
        }
        if let Some(d) = dims.as_deref().and_then(repeated) {
            return Err(repeat(format!("dimension {d}")));
        }
        if let Some(a) = repeated(&t.algos) {
            return Err(repeat(format!("algorithm {a}")));
        }
        if t.algos.is_empty() {
            return Err(SuiteFileError::Task {
                task: n,
                why: "`algos` is empty".into(),
            });
        }
        if t.threads == 0 {
            return Err(SuiteFileError::Task {
                task: n,
                why: "`threads` must be at least 1".into(),
            });
        }
        let budget = match (t.budget, t.budget_per_dim) {
            (Some(b), None) => Budget::Fixed(b),
            (None, Some(b)) => Budget::PerDim(b),
            _ => {
                return Err(SuiteFileError::Task {
                    task: n,
                    why: "give exactly one of `budget` and `budget_per_dim`".into(),
                });
            }
        };
        // `None` stands for each problem's own dimension, resolved when planned.
        let dims: Vec<Option<usize>> = match dims {
            Some(d) => d.into_iter().map(Some).collect(),
            None => vec![None],
        };
        for dim in dims {
            for p in &problems {
                let dim = match dim {
                    Some(d) => d,
                    None => crate::problem::find(p).map_or(0, |info| info.default_dim),
                };
                let budget = match budget {
                    Budget::Fixed(b) => b,
                    Budget::PerDim(b) => b.checked_mul(dim as u64).ok_or_else(|| SuiteFileError::Task {
                        task: n,
                        why: format!("`budget_per_dim` {b} × dimension {dim} overflows"),
                    })?,
                };
                if budget == 0 {
                    return Err(SuiteFileError::Task {
                        task: n,
                        why: "the budget must be at least 1".into(),
                    });
                }
                tasks.push(Task {
                    label: t.label.clone(),
                    problem: p.clone(),
                    dim,
                    budget,
                    threads: t.threads,
                    algos: t.algos.clone(),
                });
            }
        }
    }
    for (i, task) in tasks.iter().enumerate() {
        let twin = tasks[..i].iter().find(|o| {
            (&o.label, &o.problem, o.dim, o.budget, o.threads)
                == (&task.label, &task.problem, task.dim, task.budget, task.threads)
                && o.algos.iter().any(|a| task.algos.contains(a))
        });
        if let Some(twin) = twin {
            let algo = twin
                .algos
                .iter()
                .find(|a| task.algos.contains(a))
                .cloned()
                .unwrap_or_default();
            return Err(SuiteFileError::Repeated(format!(
                "{algo} on {}-{} at budget {} (two tasks run it)",
                task.problem, task.dim, task.budget
            )));
        }
    }
    Ok(Suite {
        name: file.name,
        about: file.about,
        tasks,
        seeds: file.seeds,
        exclusive: file.exclusive,
    })
}

#[derive(Clone, Copy)]
enum Budget {
    Fixed(u64),
    PerDim(u64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_problems_times_dims_with_budgets_per_dimension() {
        let s = parse(
            r#"
            name = "t"
            seeds = [1, 2]
            [[tasks]]
            problems = ["bbob-f1", "bbob-f2"]
            dims = [2, 5]
            budget_per_dim = 100
            algos = ["random"]
            [[tasks]]
            label = "x"
            problem = "ackley"
            budget = 7
            threads = 2
            algos = ["sracos", "random"]
            "#,
        )
        .unwrap();
        assert_eq!(s.name, "t");
        let got: Vec<(&str, usize, u64)> = s
            .tasks
            .iter()
            .map(|t| (t.problem.as_str(), t.dim, t.budget))
            .collect();
        assert_eq!(
            got,
            [
                ("bbob-f1", 2, 200),
                ("bbob-f2", 2, 200),
                ("bbob-f1", 5, 500),
                ("bbob-f2", 5, 500),
                ("ackley", 100, 7)
            ]
        );
        assert_eq!(s.tasks[4].threads, 2);
        assert_eq!(s.tasks[4].label, "x");
    }

    #[test]
    fn rejects_contradictions_and_unknown_keys() {
        let base = "name = \"t\"\nseeds = [1]\n[[tasks]]\nalgos = [\"random\"]\n";
        for bad in [
            "problem = \"a\"\nproblems = [\"b\"]\nbudget = 1",
            "problem = \"a\"\nbudget = 1\nbudget_per_dim = 2",
            "problem = \"a\"",
            "budget = 3",
            "problem = \"a\"\nbudget = 1\ncolour = \"red\"",
            "problem = \"a\"\nbudget = 0",
            "problem = \"a\"\nbudget = 1\nthreads = 0",
        ] {
            assert!(parse(&format!("{base}{bad}")).is_err(), "{bad}");
        }
        assert!(
            parse("name = \"t\"\nseeds = []\n[[tasks]]\nproblem = \"a\"\nbudget = 1\nalgos = [\"random\"]")
                .is_err()
        );
        assert!(parse("name = \"t\"\nseeds = [1]\ntasks = []").is_err());
    }

    #[test]
    fn runs_listed_twice_and_overflowing_budgets_are_refused() {
        let task = "[[tasks]]\nproblems = [\"bbob-f1\"]\ndims = [2]\nbudget = 10\nalgos = [\"random\"]\n";
        let file = |seeds: &str, tasks: &str| format!("name = \"t\"\nseeds = {seeds}\n{tasks}");
        assert!(parse(&file("[1, 2]", task)).is_ok());
        for (seeds, tasks) in [
            ("[1, 2, 1]", task.to_owned()),
            ("[1]", task.replace("[\"bbob-f1\"]", "[\"bbob-f1\", \"bbob-f1\"]")),
            ("[1]", task.replace("dims = [2]", "dims = [2, 2]")),
            ("[1]", task.replace("[\"random\"]", "[\"random\", \"random\"]")),
            ("[1]", format!("{task}{task}")),
            (
                "[1]",
                task.replace("budget = 10", "budget_per_dim = 4611686018427387905")
                    .replace("[2]", "[4]"),
            ),
        ] {
            let text = file(seeds, &tasks);
            assert!(parse(&text).is_err(), "{text}");
        }
        // The same problem in two tasks with other algorithms, or another budget, is fine.
        let other = task.replace("[\"random\"]", "[\"sracos\"]");
        assert!(parse(&file("[1]", &format!("{task}{other}"))).is_ok());
        assert!(parse(&file("[1]", &format!("{task}{}", task.replace("10", "20")))).is_ok());
        assert!(
            parse("name = \" \"\nseeds = [1]\n[[tasks]]\nproblem = \"a\"\nbudget = 1\nalgos = [\"random\"]")
                .is_err()
        );
    }
}
