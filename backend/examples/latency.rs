//! Latency of the aggregated API through kube-apiserver, as a user of the local cluster sees it:
//! `cargo run --release -p autoscaling-insights --example latency -- [requests] [concurrency]`.
//! Prints p50/p90/p99/max per resource. Bounded: a fixed number of requests to 127.0.0.1 only.

use std::time::{Duration, Instant};
use testenv::{TestEnv, User};

const RESOURCES: &[&str] = &["overviews", "chains", "scalers", "nodes", "journal"];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4).max(1);
    let env = TestEnv::get()?;
    for user in [User::Admin, User::Alice] {
        let client = env.client(user).await?;
        for r in RESOURCES {
            let path = format!("/apis/insights.autoscaling.dev/v1alpha1/{r}");
            // Warm-up: SubjectAccessReview cache and the joined views. A kind the user may not list is
            // refused (alice and nodes): said, not timed.
            match client.request_text(http::Request::get(&path).body(Vec::new())?).await {
                Err(kube::Error::Api(s)) if s.code == 403 => {
                    println!("{:<6} {r:<10} refused (403): {}", user.context(), s.message);
                    continue;
                }
                other => {
                    other?;
                }
            }
            let per_worker = requests.div_ceil(concurrency);
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (client, path) = (client.clone(), path.clone());
                tasks.push(tokio::spawn(async move {
                    let mut t = Vec::with_capacity(per_worker);
                    for _ in 0..per_worker {
                        let start = Instant::now();
                        let req = http::Request::get(&path).body(Vec::new()).expect("request");
                        let body = client.request_text(req).await.expect("response");
                        t.push((start.elapsed(), body.len()));
                    }
                    t
                }));
            }
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await?);
            }
            let bytes = all.last().map(|(_, b)| *b).unwrap_or(0);
            let mut d: Vec<Duration> = all.into_iter().map(|(d, _)| d).collect();
            d.sort();
            println!(
                "{:<6} {:<10} n={:<4} c={:<2} p50={:>7.2}ms p90={:>7.2}ms p99={:>7.2}ms max={:>7.2}ms body={}B",
                user.context(),
                r,
                d.len(),
                concurrency,
                percentile(&d, 0.5).as_secs_f64() * 1e3,
                percentile(&d, 0.9).as_secs_f64() * 1e3,
                percentile(&d, 0.99).as_secs_f64() * 1e3,
                d.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
                bytes
            );
        }
    }
    Ok(())
}
