//! Talking to the local cluster through the kubectl built from `k8s.io/kubernetes`:
//! server-side apply of manifests, JSON reads, raw GETs.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// kubectl bound to a kubeconfig and context.
#[derive(Debug, Clone)]
pub struct Kubectl {
    /// The kubectl binary.
    pub bin: PathBuf,
    /// The kubeconfig file.
    pub kubeconfig: PathBuf,
    /// The context (`admin`, `alice`, `bob`).
    pub context: String,
}

impl Kubectl {
    /// kubectl as `admin` on the cluster described by `kubeconfig`.
    pub fn admin(kubeconfig: PathBuf) -> Result<Self> {
        Ok(Self { bin: super::binaries::bin("kubernetes", "kubectl")?, kubeconfig, context: "admin".into() })
    }

    /// A kubectl command with `--kubeconfig` and `--context` set.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--context")
            .arg(&self.context)
            .arg("--request-timeout=30s");
        c
    }

    /// Server-side applies a multi-document YAML (field manager `autoscaling-insights-xtask`).
    pub fn apply(&self, what: &str, yaml: &str) -> Result<()> {
        self.stdin(
            what,
            &[
                "apply",
                "--server-side",
                "--force-conflicts",
                "--field-manager=autoscaling-insights-xtask",
                "-f",
                "-",
            ],
            yaml,
        )
        .map(|_| ())
    }

    fn stdin(&self, what: &str, args: &[&str], input: &str) -> Result<String> {
        let mut child = self
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("could not start kubectl")?;
        child.stdin.take().context("kubectl stdin")?.write_all(input.as_bytes())?;
        let out = child.wait_with_output()?;
        if !out.status.success() {
            bail!(
                "kubectl {} ({what}) failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs kubectl with `args` and returns stdout.
    pub fn run(&self, args: &[&str]) -> Result<String> {
        let out = self.cmd().args(args).output().context("could not start kubectl")?;
        if !out.status.success() {
            bail!("kubectl {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// `kubectl get <args> -o json`, parsed.
    pub fn get_json(&self, args: &[&str]) -> Result<serde_json::Value> {
        let mut all = vec!["get"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", "json"]);
        let out = self.run(&all)?;
        serde_json::from_str(&out).with_context(|| format!("parsing kubectl {} output", all.join(" ")))
    }

    /// `kubectl get --raw <path>`.
    pub fn raw(&self, path: &str) -> Result<String> {
        self.run(&["get", "--raw", path])
    }
}

/// True if `.status.conditions[type == ty].status == "True"` in an object's JSON.
pub fn condition_true(obj: &serde_json::Value, ty: &str) -> bool {
    obj["status"]["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().any(|c| c["type"] == ty && c["status"] == "True"))
}
