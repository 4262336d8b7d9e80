//! The demo's load driver: a background process (`cargo xtask cluster load-driver`, started by `up`)
//! that plays the part of producers and consumers, since kwok pods run nothing.
//!
//! - `orders` (team-a): bursts of items (150 s on, 210 s off, every 6 minutes) pushed to the Redis
//!   list; drained at 1 item/s per *ready* replica of the Deployment, so KEDA scales out, pods go
//!   Pending, Karpenter launches nodes, pods run, the queue empties, KEDA scales in to zero and
//!   Karpenter consolidates.
//! - `demo_web_requests_per_second` (team-b/web's Prometheus trigger): a 10-minute sine, 0..480.
//! - `thumbnails` (team-c ScaledJob): 3 items every 3 minutes, taken 1/s after 15 s.
//! - Serves `/metrics` (scraped by Prometheus) and accepts `POST /cloudevents` (KEDA's
//!   CloudEventSource destination) on 127.0.0.1.

use super::Cluster;
use super::redis::Redis;
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Starts the driver in the background (this same xtask binary) and waits for its /healthz.
pub fn start(c: &Cluster) -> Result<()> {
    let exe = std::env::current_exe().context("locating the xtask binary")?;
    let addr = super::layout::local(c.ports().load_driver);
    c.ensure_running(
        "load-driver",
        Duration::from_secs(30),
        || {
            let mut cmd = Command::new(exe);
            cmd.args(["cluster", "load-driver"]);
            Ok(cmd)
        },
        || Ok(super::process::http_get(&addr, "/healthz").map(|(s, _)| s == 200).unwrap_or(false)),
    )
}

#[derive(Default)]
struct Counters {
    orders_pushed: AtomicU64,
    orders_processed: AtomicU64,
    orders_length: AtomicU64,
    orders_ready_replicas: AtomicU64,
    /// f64 bits.
    web_rps: AtomicU64,
    thumbnails_pushed: AtomicU64,
    cloudevents: AtomicU64,
}

/// Runs the driver in the foreground until killed.
pub fn run() -> Result<()> {
    let c = Cluster::load()?;
    let counters = Arc::new(Counters::default());
    let listener = TcpListener::bind(super::layout::local(c.ports().load_driver))
        .context("binding the load driver's port")?;
    {
        let counters = counters.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &counters);
            }
        });
    }
    eprintln!("load driver: redis {}, metrics {}/metrics", c.info.redis.addr, c.info.load_driver_url);
    let start = Instant::now();
    let mut redis: Option<Redis> = None;
    let mut ready = 0u64;
    let mut last_ready_check = Instant::now() - Duration::from_secs(60);
    let mut last_log = Instant::now() - Duration::from_secs(60);
    // (next batch, taking items from) of the thumbnails list.
    let mut thumbnails = (Instant::now() + Duration::from_secs(20), None);
    loop {
        let t = start.elapsed().as_secs_f64();
        let rps = 240.0 + 240.0 * (2.0 * std::f64::consts::PI * t / 600.0).sin();
        counters.web_rps.store(rps.max(0.0).to_bits(), Ordering::Relaxed);

        if last_ready_check.elapsed() >= Duration::from_secs(2) {
            ready = ready_replicas(&c, "team-a", "orders").unwrap_or(0);
            counters.orders_ready_replicas.store(ready, Ordering::Relaxed);
            last_ready_check = Instant::now();
        }
        if redis.is_none() {
            redis = Redis::connect(&c.info.redis.addr, &c.info.redis.password)
                .map_err(|e| eprintln!("load driver: redis: {e:#}"))
                .ok();
        }
        if let Some(r) = redis.as_mut() {
            let cycle = t % 360.0;
            let push = if cycle < 150.0 { 6 } else { 0 };
            let step = tick(r, push, ready, t, &mut thumbnails, &counters);
            if let Err(e) = step {
                eprintln!("load driver: redis: {e:#}");
                redis = None;
            }
        }
        if last_log.elapsed() >= Duration::from_secs(15) {
            eprintln!(
                "t={t:.0}s orders: length {} ready replicas {ready} pushed {} processed {}; web rps {rps:.0}; cloudevents {}",
                counters.orders_length.load(Ordering::Relaxed),
                counters.orders_pushed.load(Ordering::Relaxed),
                counters.orders_processed.load(Ordering::Relaxed),
                counters.cloudevents.load(Ordering::Relaxed),
            );
            last_log = Instant::now();
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn tick(
    r: &mut Redis,
    push: u64,
    ready: u64,
    t: f64,
    thumbnails: &mut (Instant, Option<Instant>),
    n: &Counters,
) -> Result<()> {
    let (thumbnails_next, thumbnails_due) = (&mut thumbnails.0, &mut thumbnails.1);
    for _ in 0..push {
        let id = n.orders_pushed.fetch_add(1, Ordering::Relaxed);
        r.cmd(&["RPUSH", "orders", &format!("order-{id}")])?;
    }
    if ready > 0 {
        let before = r.llen("orders")?;
        r.cmd(&["LPOP", "orders", &ready.to_string()])?;
        let taken = u64::try_from(before.min(i64::try_from(ready)?))?;
        n.orders_processed.fetch_add(taken, Ordering::Relaxed);
    }
    n.orders_length.store(u64::try_from(r.llen("orders")?.max(0))?, Ordering::Relaxed);

    // Thumbnails: a batch of 3 at t = 20 s, 200 s, 380 s, ...; taken one per second after 15 s.
    if Instant::now() >= *thumbnails_next {
        *thumbnails_next += Duration::from_secs(180);
        for i in 0..3 {
            r.cmd(&["RPUSH", "thumbnails", &format!("image-{t:.0}-{i}")])?;
        }
        n.thumbnails_pushed.fetch_add(3, Ordering::Relaxed);
        *thumbnails_due = Some(Instant::now() + Duration::from_secs(15));
    }
    if thumbnails_due.is_some_and(|due| Instant::now() >= due) {
        if r.llen("thumbnails")? == 0 {
            *thumbnails_due = None;
        } else {
            r.cmd(&["LPOP", "thumbnails"])?;
        }
    }
    Ok(())
}

/// `.status.readyReplicas` of a Deployment (0 when absent).
fn ready_replicas(c: &Cluster, namespace: &str, name: &str) -> Result<u64> {
    let out = c.kubectl.run(&[
        "get",
        "deployment",
        name,
        "-n",
        namespace,
        "-o",
        "jsonpath={.status.readyReplicas}",
    ])?;
    Ok(out.trim().parse().unwrap_or(0))
}

fn serve(stream: TcpStream, n: &Counters) -> Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut content_length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            content_length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; content_length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let mut words = request_line.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let (status, text) = match (method, path) {
        ("GET", "/healthz") => ("200 OK", "ok\n".to_string()),
        ("GET", "/metrics") => ("200 OK", metrics(n)),
        ("POST", "/cloudevents") => {
            n.cloudevents.fetch_add(1, Ordering::Relaxed);
            eprintln!("cloudevent: {}", String::from_utf8_lossy(&body).chars().take(300).collect::<String>());
            ("200 OK", String::new())
        }
        _ => ("404 Not Found", "not found\n".to_string()),
    };
    let mut w = stream;
    write!(
        w,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    )?;
    Ok(())
}

fn metrics(n: &Counters) -> String {
    let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
    format!(
        "# HELP demo_orders_queue_length Items in the Redis list `orders`.\n# TYPE demo_orders_queue_length gauge\ndemo_orders_queue_length {}\n\
# HELP demo_orders_pushed_total Items pushed to `orders`.\n# TYPE demo_orders_pushed_total counter\ndemo_orders_pushed_total {}\n\
# HELP demo_orders_processed_total Items taken from `orders` on behalf of ready replicas.\n# TYPE demo_orders_processed_total counter\ndemo_orders_processed_total {}\n\
# HELP demo_orders_ready_replicas Ready replicas of team-a/orders seen by the driver.\n# TYPE demo_orders_ready_replicas gauge\ndemo_orders_ready_replicas {}\n\
# HELP demo_web_requests_per_second Simulated request rate of team-b/web.\n# TYPE demo_web_requests_per_second gauge\ndemo_web_requests_per_second{{namespace=\"team-b\",service=\"web\"}} {:.1}\n\
# HELP demo_thumbnails_pushed_total Items pushed to `thumbnails`.\n# TYPE demo_thumbnails_pushed_total counter\ndemo_thumbnails_pushed_total {}\n\
# HELP demo_cloudevents_received_total CloudEvents received from KEDA.\n# TYPE demo_cloudevents_received_total counter\ndemo_cloudevents_received_total {}\n",
        g(&n.orders_length),
        g(&n.orders_pushed),
        g(&n.orders_processed),
        g(&n.orders_ready_replicas),
        f64::from_bits(g(&n.web_rps)),
        g(&n.thumbnails_pushed),
        g(&n.cloudevents),
    )
}
