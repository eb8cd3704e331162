//! The dudect-style timing harness shared by the core's timing tests: time
//! batches of one operation on two classes of input (say, a secret that
//! differs from the guess in its first byte and one that differs in its
//! last), classes interleaved pseudo-randomly so machine noise falls on both
//! alike, and report Welch's t statistic between the two timing samples.
//!
//! |t| above [`LEAK`] is a difference no noise explains; every test also runs
//! a deliberately leaky control through the same harness and requires it to
//! exceed [`LEAK`], so a pass below [`NO_LEAK`] means "no difference the
//! harness can see", not "the harness sees nothing".

use std::sync::Mutex;
use std::time::Instant;

/// A control must show at least this |t| (the harness can see a leak).
pub const LEAK: f64 = 20.0;
/// The code under test must stay below this |t|.
pub const NO_LEAK: f64 = 10.0;

/// Timing tests run one at a time: two measuring on two cores would slow each other unevenly.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Welch's t between the timings of `run(0)` and `run(1)`: `samples` samples,
/// each the time of `batch` consecutive calls for one class.
pub fn welch_t(samples: usize, batch: usize, mut run: impl FnMut(usize)) -> f64 {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let mut timings: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut next = crate::test_rng::xorshift(0x9E3779B97F4A7C15);
    for _ in 0..samples {
        let class = (next() & 1) as usize;
        let start = Instant::now();
        for _ in 0..batch {
            run(class);
        }
        timings[class].push(start.elapsed().as_nanos() as f64);
    }
    // Drop the slowest 10% of each class: interrupts and preemption, not the code.
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(|x, y| x.total_cmp(y));
        v.truncate(v.len() * 9 / 10);
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var, n)
    };
    let (m0, v0, n0) = stats(&mut timings[0]);
    let (m1, v1, n1) = stats(&mut timings[1]);
    (m0 - m1) / (v0 / n0 + v1 / n1).sqrt()
}

/// How many times a control repeats its early-exit comparison. One naive
/// compare of a 20-64 byte MAC differs by a few tens of nanoseconds between an
/// early and a late mismatch, which a noisy two-core machine can hide within
/// a test's sample budget; the control therefore carries that leak
/// `CONTROL_REPEAT` times over, and passing means no position-dependent
/// difference of that size exists in the code under test.
pub const CONTROL_REPEAT: usize = 4;

/// An early-exit byte comparison, one byte per step, repeated
/// [`CONTROL_REPEAT`] times: the leak every control adds back into the path
/// under test.
pub fn leaky_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut equal = true;
    for _ in 0..CONTROL_REPEAT {
        equal = true;
        for (x, y) in a.iter().zip(b) {
            if std::hint::black_box(x) != std::hint::black_box(y) {
                equal = false;
                break;
            }
        }
    }
    equal
}

/// Run the control and the code under test through the harness and assert
/// the control leaks and the code does not.
///
/// Other processes on a small shared machine can swamp one run; each side is
/// measured up to three times and judged on its best run. A real leak shows in
/// every run (a control at [`LEAK`] and above), noise bursts rarely twice.
pub fn assert_constant_time(
    what: &str,
    samples: usize,
    batch: usize,
    mut control: impl FnMut(usize),
    mut code: impl FnMut(usize),
) {
    let mut leaky = 0.0f64;
    for _ in 0..3 {
        leaky = leaky.abs().max(welch_t(samples, batch, &mut control).abs());
        if leaky > LEAK {
            break;
        }
    }
    let mut t = f64::INFINITY;
    for _ in 0..3 {
        t = t.min(welch_t(samples, batch, &mut code).abs());
        if t < NO_LEAK {
            break;
        }
    }
    eprintln!("welch |t| for {what}: leaky control {leaky:.1}, ferroauth {t:.1}");
    assert!(
        leaky > LEAK,
        "{what}: the timing harness failed to detect the leaky control (|t| = {leaky})"
    );
    assert!(
        t < NO_LEAK,
        "{what}: timing depends on where the mismatch is (|t| = {t})"
    );
}
