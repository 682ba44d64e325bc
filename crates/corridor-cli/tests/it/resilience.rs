//! End-to-end tests of the resilience commands on the embedded dataset.

use super::{corridor, json, stderr, stdout};

#[test]
fn contingency_ranks_russia_and_the_cpc_terminal_first_in_every_format() {
    let o = corridor(&["contingency", "--top", "4"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("country RU"), "{text}");
    // Closing the Turkish Straits strands every Black Sea loading at once: above the CPC terminal alone.
    assert!(text.contains("chokepoint turkish-straits"), "{text}");
    assert!(text.contains("link cpc-terminal-tankers"), "{text}");
    assert!(text.contains("lost (Mt/y)"), "{text}");
    let v = json(&["contingency", "--elements", "links", "--format", "json"]);
    let singles = v["singles"].as_array().expect("singles");
    assert!(singles.iter().all(|c| c["elements"][0]["kind"] == "link"));
    assert_eq!(singles[0]["elements"][0]["id"], "cpc-terminal-tankers");
    let o = corridor(&["contingency", "--format", "csv", "--k", "2", "--top", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("# Pairs worse than their parts"));
    let o = corridor(&["contingency", "--k", "3"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn risk_is_the_same_for_any_thread_count_and_when_sharded_and_merged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = [
        "risk",
        "--samples",
        "200",
        "--seed",
        "9",
        "--format",
        "json",
    ];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        json(&args)
    };
    let one = run(&["--threads", "1"]);
    let two = run(&["--threads", "2"]);
    assert_eq!(one, two);
    let mut files = Vec::new();
    for i in 0..3 {
        let path = dir.path().join(format!("shard-{i}.json"));
        let shard = format!("{i}/3");
        let o = corridor(&[
            "risk",
            "--samples",
            "200",
            "--seed",
            "9",
            "--shard",
            &shard,
            "--out",
            path.to_str().expect("path"),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        files.push(path.to_str().expect("path").to_string());
    }
    let mut args = vec!["risk", "merge", "--format", "json"];
    args.extend(files.iter().rev().map(String::as_str));
    assert_eq!(json(&args), one);
    // A missing shard is named, with exit code 2.
    let o = corridor(&["risk", "merge", &files[0], &files[2]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing"), "{}", stderr(&o));
    let o = corridor(&["risk", "--shard", "3/3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no shard 3 of 3"), "{}", stderr(&o));
    let text = stdout(&corridor(&["risk", "--samples", "100"]));
    assert!(
        text.contains("P95") && text.contains("caspian-winter-storms"),
        "{text}"
    );
}

#[test]
fn indices_put_a_number_on_azerbaijan_s_hold_over_the_bypass() {
    let v = json(&["indices", "--avoid", "RU,CN", "--format", "json"]);
    let az = v["leverage"]
        .as_array()
        .expect("leverage")
        .iter()
        .find(|l| l["country"] == "AZ")
        .expect("AZ");
    assert_eq!(az["share_of_delivered"], 1.0);
    let text = stdout(&corridor(&["indices"]));
    assert!(
        text.contains("HHI routes") && text.contains("Russia"),
        "{text}"
    );
}

#[test]
fn pathway_reports_each_year_and_when_bottlenecks_first_bind() {
    let o = corridor(&["pathway", "--years", "2023..2026"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for year in ["2023", "2024", "2025", "2026"] {
        assert!(text.contains(year), "{text}");
    }
    assert!(text.contains("aktau-oil-berths"), "{text}");
    let v = json(&["pathway", "--years", "2024..2025", "--format", "json"]);
    let years = v["years"].as_array().expect("years");
    assert_eq!(years.len(), 2);
    // The KMG-SOCAR agreement is an "up to" ceiling, raised to 2.2 Mt/y from 2025.
    let max = years[1]["contracts"][0]["max_volume"]
        .as_f64()
        .expect("number");
    assert!((max - 2.2).abs() < 1e-9, "{max}");
    let o = corridor(&["pathway", "--years", "2030..2023"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("backwards"), "{}", stderr(&o));
}

#[test]
fn run_ends_with_the_resilience_section() {
    let o = corridor(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Resilience: the elements the crude flows can least afford to lose"),
        "{text}"
    );
    assert!(text.contains("Transit-country leverage"), "{text}");
    let v = json(&["run", "--format", "json"]);
    assert!(v["resilience"]["critical"]
        .as_array()
        .is_some_and(|c| c.len() == 5));
}
