#[path = "../tests/it/support.rs"]
#[allow(dead_code)]
mod support;
use corridor_lp::Outcome;
use rand::{Rng, SeedableRng};
use support::Reference;
fn main() {
    let mut counts = std::collections::BTreeMap::new();
    let mut meta = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for _ in 0..20000 {
        let seed: u64 = meta.gen();
        let open = meta.gen_bool(0.5);
        let n = meta.gen_range(1..10);
        let m = meta.gen_range(0..9);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let p = if open { support::random_open_lp(&mut rng, n, m) } else { support::random_boxed_lp(&mut rng, n, m) };
        let ours = corridor_lp::LpSolver::solve(&corridor_lp::Simplex::default(), &p);
        let r = support::solve_microlp(&p);
        let key = match (&ours, &r) {
            (Ok(Outcome::Optimal(s)), Reference::Optimal { objective, .. }) => {
                let v = corridor_lp::verify(&p, s);
                if v.primal_violation > 1e-6 || v.dual_violation > 1e-6 || v.complementarity > 1e-6 || v.duality_gap > 1e-6 { println!("BADCERT {seed} {open} {n} {m} {v:?}"); }
                if support::close(s.objective, *objective, 1e-6) { "opt-agree".to_string() } else { println!("OBJ {seed} {open} {n} {m} {} {}", s.objective, objective); "opt-differ".to_string() } }
            (Ok(o), r) => { let a = format!("{o:?}"); let a = a.split('(').next().unwrap().split(' ').next().unwrap().to_string(); let b = format!("{r:?}"); let b = b.split(['(',' ']).next().unwrap().to_string(); if a != b { println!("DIFF {seed} {open} {n} {m} {a} {b}"); } format!("{a}-{b}") }
            (Err(e), _) => { println!("ERR {seed} {open} {n} {m} {e}"); "err".to_string() }
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    println!("{counts:?}");
}
