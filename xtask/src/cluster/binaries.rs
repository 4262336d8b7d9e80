//! The Go programs of the local cluster, built from the wrapper modules in `tools/cluster/<component>/`
//! (only `go.mod`/`go.sum`, no Go code of ours) into `~/.cache/autoscaling-insights/bin/<component>-<version>/`.
//!
//! The version of each component is read from its `go.mod`: that file is the one place a version is pinned.

use crate::{paths, phase::Phase};
use anyhow::{Context, Result, bail};
use std::fs;
use std::path::PathBuf;
use std::process::Command;

/// One wrapper module and the programs it builds.
#[derive(Debug)]
pub struct Component {
    /// Directory under `tools/cluster/`, also the cache directory prefix.
    pub name: &'static str,
    /// The module whose version names the build (`k8s.io/kubernetes`).
    pub module: &'static str,
    /// (Go package, binary name) pairs.
    pub programs: &'static [(&'static str, &'static str)],
    /// `-X` flags so the binaries report their real version; `{v}` is replaced by the version.
    pub version_flags: &'static [&'static str],
    /// Needed by `cluster up` (others are built on demand by the parts that use them).
    pub for_cluster: bool,
}

/// Every component, in build order (the long Kubernetes build first).
pub const COMPONENTS: &[Component] = &[
    Component {
        name: "kubernetes",
        module: "k8s.io/kubernetes",
        programs: &[
            ("k8s.io/kubernetes/cmd/kube-apiserver", "kube-apiserver"),
            ("k8s.io/kubernetes/cmd/kube-controller-manager", "kube-controller-manager"),
            ("k8s.io/kubernetes/cmd/kube-scheduler", "kube-scheduler"),
            ("k8s.io/kubernetes/cmd/kubectl", "kubectl"),
        ],
        version_flags: &[
            "k8s.io/component-base/version.gitVersion={v}",
            "k8s.io/component-base/version.gitMajor={major}",
            "k8s.io/component-base/version.gitMinor={minor}",
            "k8s.io/component-base/version.gitTreeState=clean",
            "k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z",
            "k8s.io/client-go/pkg/version.gitVersion={v}",
            "k8s.io/client-go/pkg/version.gitMajor={major}",
            "k8s.io/client-go/pkg/version.gitMinor={minor}",
            "k8s.io/client-go/pkg/version.gitTreeState=clean",
            "k8s.io/client-go/pkg/version.buildDate=1970-01-01T00:00:00Z",
        ],
        for_cluster: true,
    },
    Component {
        name: "etcd",
        module: "go.etcd.io/etcd/server/v3",
        programs: &[("go.etcd.io/etcd/server/v3", "etcd")],
        // etcd's version is a constant in go.etcd.io/etcd/api/v3/version.
        version_flags: &[],
        for_cluster: true,
    },
    Component {
        name: "kwok",
        module: "sigs.k8s.io/kwok",
        programs: &[("sigs.k8s.io/kwok/cmd/kwok", "kwok")],
        version_flags: &[],
        for_cluster: true,
    },
    Component {
        name: "keda",
        module: "github.com/kedacore/keda/v2",
        programs: &[
            ("github.com/kedacore/keda/v2/cmd/operator", "keda-operator"),
            ("github.com/kedacore/keda/v2/cmd/adapter", "keda-adapter"),
        ],
        version_flags: &["github.com/kedacore/keda/v2/version.Version={v}"],
        for_cluster: true,
    },
    Component {
        name: "karpenter",
        module: "sigs.k8s.io/karpenter",
        // Karpenter's kwok provider binary is also called `kwok`: renamed.
        programs: &[("sigs.k8s.io/karpenter/kwok", "karpenter-kwok")],
        version_flags: &["sigs.k8s.io/karpenter/pkg/operator.Version={v}"],
        for_cluster: true,
    },
    Component {
        name: "kube-state-metrics",
        module: "k8s.io/kube-state-metrics/v2",
        programs: &[("k8s.io/kube-state-metrics/v2", "kube-state-metrics")],
        version_flags: &["github.com/prometheus/common/version.Version={v}"],
        for_cluster: true,
    },
    Component {
        name: "helm",
        module: "helm.sh/helm/v3",
        programs: &[("helm.sh/helm/v3/cmd/helm", "helm")],
        version_flags: &["helm.sh/helm/v3/internal/version.version={v}"],
        // `up` renders the server's chart with it (and the chart tests run it).
        for_cluster: true,
    },
    Component {
        name: "eks-node-viewer",
        module: "github.com/awslabs/eks-node-viewer",
        programs: &[("github.com/awslabs/eks-node-viewer/cmd/eks-node-viewer", "eks-node-viewer")],
        version_flags: &["main.version={v}"],
        for_cluster: false,
    },
];

impl Component {
    /// The component called `name`.
    pub fn get(name: &str) -> Result<&'static Component> {
        COMPONENTS.iter().find(|c| c.name == name).with_context(|| format!("no cluster component `{name}`"))
    }

    /// `tools/cluster/<name>`.
    pub fn module_dir(&self) -> PathBuf {
        paths::repo().join("tools").join("cluster").join(self.name)
    }

    /// The pinned version of `module`, read from the wrapper's go.mod.
    pub fn version(&self) -> Result<String> {
        let go_mod = self.module_dir().join("go.mod");
        let text = fs::read_to_string(&go_mod).with_context(|| format!("reading {}", go_mod.display()))?;
        version_in_go_mod(&text, self.module)
            .with_context(|| format!("{} does not require {}", go_mod.display(), self.module))
    }

    /// `~/.cache/autoscaling-insights/bin/<name>-<version>/`.
    pub fn bin_dir(&self) -> Result<PathBuf> {
        Ok(paths::cache().join("bin").join(format!("{}-{}", self.name, self.version()?)))
    }

    /// Path of one of this component's binaries.
    pub fn binary(&self, program: &str) -> Result<PathBuf> {
        Ok(self.bin_dir()?.join(program))
    }

    /// True when every binary of this component is in the cache.
    pub fn is_built(&self) -> Result<bool> {
        let dir = self.bin_dir()?;
        Ok(self.programs.iter().all(|(_, bin)| super::process::is_executable(&dir.join(bin))))
    }

    /// Directory of `module` (or of another module in this component's build list) in the module
    /// cache, downloading it if needed: CRDs and stage files come from there.
    pub fn module_source(&self, module: &str) -> Result<PathBuf> {
        let out = crate::cmd::output(
            go().current_dir(self.module_dir()).args(["mod", "download", "-json", module]),
        )?;
        let v: serde_json::Value = serde_json::from_str(&out).context("parsing `go mod download -json`")?;
        let dir = v["Dir"].as_str().with_context(|| format!("no Dir for {module}: {out}"))?;
        Ok(PathBuf::from(dir))
    }

    /// Builds the component unless its binaries are cached; prints a phase line with the time taken.
    /// All programs of a component come from one `go build`, so its packages compile once and the
    /// programs link in parallel.
    pub fn build(&self) -> Result<()> {
        let version = self.version()?;
        let dir = self.bin_dir()?;
        if self.is_built()? {
            eprintln!("    {} {version}: cached in {}", self.name, dir.display());
            return Ok(());
        }
        let _p = Phase::start(format!("build {} {version} (go build)", self.name));
        let tmp = paths::cache().join("bin").join(format!("{}-{version}.partial", self.name));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp)?;
        let mut go = Command::new("nice");
        go.args(["-n", "10"])
            .arg(go_program())
            .current_dir(self.module_dir())
            .env("CGO_ENABLED", "0")
            .env("GOFLAGS", "-mod=readonly -buildvcs=false")
            .args(["build", "-trimpath", "-ldflags", &self.ldflags(&version), "-o"]);
        match self.programs {
            [(package, binary)] => go.arg(tmp.join(binary)).arg(package),
            many => go.arg(format!("{}/", tmp.display())).args(many.iter().map(|(package, _)| package)),
        };
        let status = go.status().context("could not run `go` (is Go installed and on PATH?)")?;
        if !status.success() {
            bail!("building {} in {} failed with {status}", self.name, self.module_dir().display());
        }
        if self.programs.len() > 1 {
            for (package, binary) in self.programs {
                fs::rename(tmp.join(go_binary_name(package)), tmp.join(binary))
                    .with_context(|| format!("go build wrote no binary for {package}"))?;
            }
        }
        let _ = fs::remove_dir_all(&dir);
        fs::rename(&tmp, &dir)?;
        Ok(())
    }

    fn ldflags(&self, version: &str) -> String {
        let (major, minor) = major_minor(version);
        let mut flags = String::from("-s -w");
        for f in self.version_flags {
            let f = f.replace("{v}", version).replace("{major}", &major).replace("{minor}", &minor);
            flags.push_str(" -X ");
            flags.push_str(&f);
        }
        flags
    }
}

/// The components named (all that `cluster up` needs when `names` is empty, every one for `all`,
/// none for `none`).
fn select(names: &[String]) -> Result<Vec<&'static Component>> {
    if names.iter().any(|n| n == "none") {
        Ok(Vec::new())
    } else if names.is_empty() {
        Ok(COMPONENTS.iter().filter(|c| c.for_cluster).collect())
    } else if names.iter().any(|n| n == "all") {
        Ok(COMPONENTS.iter().collect())
    } else {
        names.iter().map(|n| Component::get(n)).collect()
    }
}

/// `cargo xtask cluster build [COMPONENT...|all|none] [--with-server]`.
pub fn run(args: &[String]) -> Result<()> {
    let names: Vec<String> = args.iter().filter(|a| *a != "--with-server").cloned().collect();
    build(&names)?;
    if args.iter().any(|a| a == "--with-server") {
        super::insights::build()?;
    }
    Ok(())
}

/// Builds the named components (see [`select`]), one after the other: the machine has two cores and
/// `go build` already uses both.
pub fn build(names: &[String]) -> Result<()> {
    let selected = select(names)?;
    let missing: Vec<&Component> =
        selected.iter().copied().filter(|c| !c.is_built().unwrap_or(false)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let _p = Phase::start(format!(
        "build cluster binaries ({})",
        missing.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    ));
    for c in missing {
        c.build()?;
    }
    Ok(())
}

/// Go builds running in a background process (`cargo xtask cluster build ...`, at low priority),
/// so that the Go components compile while Rust, npm and the browser tests keep the cores busy
/// only part of the time. Dropping it stops the process group (by pid).
pub struct Background {
    child: Option<std::process::Child>,
    log: PathBuf,
    started: std::time::Instant,
    names: Vec<&'static str>,
    with_server: bool,
}

impl Background {
    /// Starts building `names` (see [`select`]) unless all are built, and then the server when
    /// `with_server` (see [`super::insights::build`]); output goes to a log file.
    pub fn start(names: &[&str], with_server: bool) -> Result<Background> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let missing: Vec<&'static str> =
            select(&names)?.into_iter().filter(|c| !c.is_built().unwrap_or(false)).map(|c| c.name).collect();
        let log = paths::cache().join("logs").join("go-build.log");
        let started = std::time::Instant::now();
        if missing.is_empty() && !with_server {
            return Ok(Background { child: None, log, started, names: missing, with_server });
        }
        fs::create_dir_all(log.parent().context("log dir")?)?;
        let out = fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let mut cmd = Command::new(std::env::current_exe().context("path of xtask")?);
        cmd.args(["cluster", "build"]).args(&missing);
        if missing.is_empty() {
            cmd.arg("none");
        }
        if with_server {
            cmd.arg("--with-server");
        }
        cmd.stdout(out.try_clone()?).stderr(out);
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().context("starting the background builds")?;
        eprintln!(
            "    background: building {}{} (pid {}, log {})",
            if missing.is_empty() { "nothing in Go".to_string() } else { missing.join(", ") },
            if with_server { ", then the server" } else { "" },
            child.id(),
            log.display()
        );
        Ok(Background { child: Some(child), log, started, names: missing, with_server })
    }

    /// What the build does now and how long it may still take, from its log (`None` once finished).
    /// The estimate: the cold-build times of the components not yet done, minus the time already spent
    /// beyond the finished ones' (never below a minute).
    pub fn progress(&self) -> Option<String> {
        self.child.as_ref()?;
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let finished = |n: &&str| text.contains(&format!("<== build {n} "));
        let done: Vec<&str> = self.names.iter().copied().filter(finished).collect();
        let expected_done: u64 = done.iter().map(|n| cold_build_secs(n)).sum();
        let server_left = self.with_server && !text.contains("<== build autoscaling-insights");
        let expected_left: u64 =
            self.names.iter().filter(|n| !finished(n)).map(|n| cold_build_secs(n)).sum::<u64>()
                + if server_left { COLD_SERVER_BUILD_SECS } else { 0 };
        let into_current = self.started.elapsed().as_secs().saturating_sub(expected_done);
        let left = expected_left.saturating_sub(into_current).max(60);
        let current = self.names.iter().copied().find(|n| !finished(n)).unwrap_or("the server");
        Some(format!(
            "building {current} ({} of {} Go components done, about {} min left on 2 cores)",
            done.len(),
            self.names.len(),
            left.div_ceil(60)
        ))
    }

    /// True while the background process runs.
    pub fn running(&mut self) -> bool {
        match &mut self.child {
            Some(c) => matches!(c.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// Waits for the builds, printing a progress line every minute; fails with the log's tail.
    /// Records one phase per component built (times from the log's phase lines).
    pub fn wait(mut self) -> Result<()> {
        if self.child.is_none() {
            return Ok(());
        }
        let _p = Phase::start("wait for the background Go builds");
        let mut last: Option<std::time::Instant> = None;
        let status = loop {
            let child = self.child.as_mut().context("no background build")?;
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if last.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(60)) {
                if let Some(p) = self.progress() {
                    eprintln!("    {p}");
                }
                last = Some(std::time::Instant::now());
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        };
        // Finished: nothing left for Drop to stop.
        self.child = None;
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        for (name, secs) in phase_times(&text) {
            crate::phase::record(format!("(background) {name}"), secs);
        }
        if !status.success() {
            let lines: Vec<&str> = text.lines().collect();
            let tail = lines[lines.len().saturating_sub(30)..].join("\n");
            bail!("the background Go builds failed ({status}); log {}:\n{tail}", self.log.display());
        }
        eprintln!("    background builds done after {:.0}s", self.started.elapsed().as_secs_f64());
        Ok(())
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child
            && matches!(child.try_wait(), Ok(None))
        {
            // The whole process group: xtask, go and its compilers (started with process_group(0)).
            let pgid = child.id() as libc::pid_t;
            // SAFETY: kill(2) with a negative pid signals the group we created; no memory involved.
            unsafe {
                libc::kill(-pgid, libc::SIGTERM);
            }
            let _ = child.wait();
        }
    }
}

/// `(name, seconds)` of every finished `go build` phase in a build log (`<== build NAME ... done (Ns)`).
fn phase_times(log: &str) -> Vec<(String, f64)> {
    log.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("<== build ")?;
            let (name, tail) = rest.split_once(" (go build) done (")?;
            let secs = tail.strip_suffix("s)")?.parse().ok()?;
            Some((format!("build {name}"), secs))
        })
        .collect()
}

/// Seconds a cold build of a component took on a 2-core machine of this project's kind (measured,
/// see BENCHMARKS.md): only for the progress estimate.
fn cold_build_secs(name: &str) -> u64 {
    match name {
        "kubernetes" => 640,
        "keda" => 420,
        "karpenter" => 100,
        "kwok" => 85,
        "kube-state-metrics" => 70,
        "helm" => 65,
        "etcd" => 35,
        _ => 120,
    }
}

/// Seconds the server's first build takes after the Go builds on a fresh 2-core machine (every host
/// test of the workspace: the tests' build, see `super::insights::build`).
const COLD_SERVER_BUILD_SECS: u64 = 360;

/// The version of `module` in a go.mod's require lines (`\tmodule vX.Y.Z // indirect`).
pub fn version_in_go_mod(go_mod: &str, module: &str) -> Option<String> {
    go_mod.lines().find_map(|line| {
        let line = line.trim().trim_start_matches("require").trim();
        let mut words = line.split_whitespace();
        (words.next()? == module).then(|| words.next().map(str::to_string))?
    })
}

fn major_minor(version: &str) -> (String, String) {
    let mut parts = version.trim_start_matches('v').split('.');
    (parts.next().unwrap_or("0").to_string(), parts.next().unwrap_or("0").to_string())
}

/// The file name `go build -o dir/` gives a main package: its last path element, or the one before a
/// major-version suffix (`.../v2`).
fn go_binary_name(package: &str) -> &str {
    let mut parts = package.rsplit('/');
    let last = parts.next().unwrap_or(package);
    let is_major = last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    if is_major { parts.next().unwrap_or(last) } else { last }
}

/// The `go` program (`$GO` overrides).
fn go_program() -> String {
    std::env::var("GO").unwrap_or_else(|_| "go".to_string())
}

/// A `go` command.
pub fn go() -> Command {
    Command::new(go_program())
}

/// Shorthand for the path of a binary of a component, e.g. `bin("kubernetes", "kubectl")`.
pub fn bin(component: &str, program: &str) -> Result<PathBuf> {
    Component::get(component)?.binary(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_from_go_mod_require_lines() {
        let go_mod = "module x\n\ngo 1.26.0\n\nrequire k8s.io/kubernetes v1.37.2\n\nrequire (\n\tsigs.k8s.io/kwok v0.8.0 // indirect\n\tsigs.k8s.io/kwok/extra v9.9.9\n)\n";
        assert_eq!(version_in_go_mod(go_mod, "k8s.io/kubernetes").as_deref(), Some("v1.37.2"));
        assert_eq!(version_in_go_mod(go_mod, "sigs.k8s.io/kwok").as_deref(), Some("v0.8.0"));
        assert_eq!(version_in_go_mod(go_mod, "sigs.k8s.io/karpenter"), None);
    }

    #[test]
    fn every_component_has_a_go_mod_pinning_its_module() {
        for c in COMPONENTS {
            let v = c.version().unwrap_or_else(|e| panic!("{}: {e:#}", c.name));
            assert!(v.starts_with('v'), "{}: {v}", c.name);
        }
    }

    #[test]
    fn go_names_binaries_after_the_package_without_its_major_version() {
        assert_eq!(go_binary_name("k8s.io/kubernetes/cmd/kube-apiserver"), "kube-apiserver");
        assert_eq!(go_binary_name("github.com/kedacore/keda/v2/cmd/operator"), "operator");
        assert_eq!(go_binary_name("k8s.io/kube-state-metrics/v2"), "kube-state-metrics");
    }

    #[test]
    fn background_phase_times_are_read_from_the_log() {
        let log =
            "==> build etcd v3.6.16 (go build)\n<== build etcd v3.6.16 (go build) done (31.5s)\nnoise\n";
        assert_eq!(phase_times(log), vec![("build etcd v3.6.16".to_string(), 31.5)]);
    }

    #[test]
    fn kubernetes_ldflags_carry_major_and_minor() {
        let k = Component::get("kubernetes").expect("kubernetes component");
        let flags = k.ldflags("v1.37.2");
        assert!(flags.contains("k8s.io/component-base/version.gitVersion=v1.37.2"));
        assert!(flags.contains("k8s.io/component-base/version.gitMinor=37"));
        assert!(flags.starts_with("-s -w"));
    }
}
