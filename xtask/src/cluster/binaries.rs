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
        for_cluster: false,
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
    pub fn build(&self) -> Result<()> {
        let version = self.version()?;
        let dir = self.bin_dir()?;
        if self.is_built()? {
            eprintln!("    {} {version}: cached in {}", self.name, dir.display());
            return Ok(());
        }
        let _p = Phase::start(format!("build {} {version} (go build; cold builds take minutes)", self.name));
        let tmp = dir.with_extension("partial");
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp)?;
        let ldflags = self.ldflags(&version);
        for (package, binary) in self.programs {
            let started = std::time::Instant::now();
            let status = Command::new("nice")
                .args(["-n", "10"])
                .arg(go_program())
                .current_dir(self.module_dir())
                .env("CGO_ENABLED", "0")
                .env("GOFLAGS", "-mod=readonly -buildvcs=false")
                .args(["build", "-trimpath", "-ldflags", &ldflags, "-o"])
                .arg(tmp.join(binary))
                .arg(package)
                .status()
                .context("could not run `go` (is Go installed and on PATH?)")?;
            if !status.success() {
                bail!(
                    "building {binary} ({package}) in {} failed with {status}",
                    self.module_dir().display()
                );
            }
            eprintln!("    built {binary} in {:.0}s", started.elapsed().as_secs_f64());
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

/// Builds the named components (all that `cluster up` needs when `names` is empty).
pub fn build(names: &[String]) -> Result<()> {
    let selected: Vec<&Component> = if names.is_empty() {
        COMPONENTS.iter().filter(|c| c.for_cluster).collect()
    } else if names.iter().any(|n| n == "all") {
        COMPONENTS.iter().collect()
    } else {
        names.iter().map(|n| Component::get(n)).collect::<Result<_>>()?
    };
    let _p = Phase::start(format!(
        "build cluster binaries ({})",
        selected.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    ));
    // One at a time: the machine has two cores.
    for c in selected {
        c.build()?;
    }
    Ok(())
}

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
    fn kubernetes_ldflags_carry_major_and_minor() {
        let k = Component::get("kubernetes").expect("kubernetes component");
        let flags = k.ldflags("v1.37.2");
        assert!(flags.contains("k8s.io/component-base/version.gitVersion=v1.37.2"));
        assert!(flags.contains("k8s.io/component-base/version.gitMinor=37"));
        assert!(flags.starts_with("-s -w"));
    }
}
