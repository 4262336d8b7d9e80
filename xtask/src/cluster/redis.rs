//! Redis (Debian package) as the demo's queue, and a minimal RESP client for the load driver.

use super::Cluster;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

/// Starts redis-server on 127.0.0.1 with a password, no persistence.
pub fn start(c: &Cluster) -> Result<()> {
    let data = c.layout.data_dir().join("redis");
    std::fs::create_dir_all(&data)?;
    let port = c.ports().redis;
    let password = c.info.redis.password.clone();
    let addr = c.info.redis.addr.clone();
    c.ensure_running(
        "redis",
        Duration::from_secs(30),
        || {
            let mut cmd = Command::new("redis-server");
            // Options on the command line (no config file): `--requirepass` is visible in `ps` on
            // this single-user dev machine, which is acceptable for a throwaway password.
            cmd.args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--protected-mode", "yes"])
                .args(["--requirepass", &password])
                .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
                .arg("--dir")
                .arg(&data);
            Ok(cmd)
        },
        || Ok(Redis::connect(&addr, &password).and_then(|mut r| r.cmd(&["PING"])).is_ok()),
    )
}

/// A blocking connection speaking just enough RESP for lists.
pub struct Redis {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// A reply.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+OK`.
    Status(String),
    /// `:42`.
    Int(i64),
    /// `$n` bulk string (None: nil).
    Bulk(Option<String>),
    /// `*n` array.
    Array(Vec<Reply>),
}

impl Redis {
    /// Connects and authenticates.
    pub fn connect(addr: &str, password: &str) -> Result<Redis> {
        let sock = addr.parse().with_context(|| format!("bad address {addr}"))?;
        let s = TcpStream::connect_timeout(&sock, Duration::from_secs(2))?;
        s.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut r = Redis { reader: BufReader::new(s.try_clone()?), writer: s };
        r.cmd(&["AUTH", password])?;
        Ok(r)
    }

    /// Sends one command and reads its reply; an error reply is an error.
    pub fn cmd(&mut self, args: &[&str]) -> Result<Reply> {
        let mut buf = format!("*{}\r\n", args.len());
        for a in args {
            buf.push_str(&format!("${}\r\n{a}\r\n", a.len()));
        }
        self.writer.write_all(buf.as_bytes())?;
        self.read()
    }

    /// `LLEN key`.
    pub fn llen(&mut self, key: &str) -> Result<i64> {
        match self.cmd(&["LLEN", key])? {
            Reply::Int(n) => Ok(n),
            other => bail!("LLEN {key}: unexpected reply {other:?}"),
        }
    }

    fn read(&mut self) -> Result<Reply> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            bail!("redis closed the connection");
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let (kind, rest) = line.split_at(1.min(line.len()));
        Ok(match kind {
            "+" => Reply::Status(rest.to_string()),
            "-" => bail!("redis: {rest}"),
            ":" => Reply::Int(rest.parse()?),
            "$" => {
                let n: i64 = rest.parse()?;
                if n < 0 {
                    Reply::Bulk(None)
                } else {
                    let mut data = vec![0u8; usize::try_from(n)? + 2];
                    std::io::Read::read_exact(&mut self.reader, &mut data)?;
                    data.truncate(data.len() - 2);
                    Reply::Bulk(Some(String::from_utf8_lossy(&data).into_owned()))
                }
            }
            "*" => {
                let n: i64 = rest.parse()?;
                let mut items = Vec::new();
                for _ in 0..n.max(0) {
                    items.push(self.read()?);
                }
                Reply::Array(items)
            }
            _ => bail!("redis: unexpected reply line `{line}`"),
        })
    }
}
