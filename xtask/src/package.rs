//! `cargo xtask package`: the release artifacts of the plugin.
//!
//! - `dist/autoscaling-insights-<version>.tar.gz`: the plugin folder laid out as `headlamp-plugin package`
//!   lays it out (`autoscaling-insights/`, then its `main.js` and `package.json`), which every installer
//!   extracts with `strip: 1` into `<plugins dir>/<name>/`. Deterministic: entries sorted, fixed mtime,
//!   owner and modes, fixed gzip header, so the same plugin folder always gives the same SHA-256.
//! - `dist/autoscaling-insights-<version>.tar.gz.sha256` (`sha256sum` format).
//! - `dist/artifacthub-pkg.yml`: `plugin-manifest/artifacthub-pkg.yml` filled for this release.
//!
//! `cargo xtask package --check` then installs the tarball with Headlamp's own installer code
//! (plugin-manifest/tests, npm `@headlamp-k8s/pluginctl`) and loads the installed folder in the
//! Headlamp harness of e2e/.

use crate::{cmd, paths, phase::Phase};
use anyhow::{Context, Result, bail};
use flate2::{Compression, GzBuilder};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The one version of the project (workspace `version`): plugin, server and chart.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The files Headlamp loads from a plugin folder; nothing else goes into the tarball.
const FILES: &[&str] = &["main.js", "package.json"];

/// kube-apiserver refuses a ConfigMap whose data exceed 1 MiB (`ValidateConfigMap`, `MaxSecretSize`).
const CONFIGMAP_LIMIT: usize = 1024 * 1024;

/// Modification time of every tarball entry: 1980-01-01T00:00:00Z. A constant (not the build time, not
/// `SOURCE_DATE_EPOCH`) so the checksum depends on the plugin's bytes only.
const MTIME: u64 = 315_532_800;

const USAGE: &str = "\
usage: cargo xtask package [--check]

  Builds the plugin, then dist/autoscaling-insights-<version>.tar.gz (+ .sha256) and
  dist/artifacthub-pkg.yml. Release URLs name $GITHUB_REPOSITORY when set (the release workflow),
  else the workspace `repository`.
  --check: also install the tarball with Headlamp's installer code (npm @headlamp-k8s/pluginctl:
  desktop path, Helm pluginsManager path) and with deploy/headlamp's init container, and load each
  installed folder in the Headlamp harness (Chromium).
  HEADLAMP_CHART=<dir of Headlamp's charts/headlamp>: also render deploy/headlamp/*.yaml with it.
";

/// What `cargo xtask package` produced.
pub struct Package {
    /// `dist/<name>-<version>.tar.gz`.
    pub tarball: PathBuf,
    /// Lowercase hex SHA-256 of the tarball.
    pub sha256: String,
    /// `dist/artifacthub-pkg.yml`.
    pub metadata: PathBuf,
}

/// Entry point of `cargo xtask package`.
pub fn run(args: &[String]) -> Result<()> {
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => package().map(|_| ()),
        ["--check"] => test(),
        ["-h" | "--help" | "help"] => {
            print!("{USAGE}");
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}

/// `cargo xtask package --check`, also the packaging step of `cargo xtask test`.
pub fn test() -> Result<()> {
    let total = Phase::start("cargo xtask package --check");
    let package = package()?;
    check(&package)?;
    drop(total);
    Ok(())
}

/// Builds the plugin and the release artifacts.
pub fn package() -> Result<Package> {
    let total = Phase::start("cargo xtask package");
    let built = crate::plugin::build()?;

    let p = Phase::start("tarball (deterministic, headlamp-plugin layout)");
    let name = plugin_name(&built.dir)?;
    let files = FILES
        .iter()
        .map(|f| {
            Ok((*f, fs::read(built.dir.join(f)).with_context(|| format!("reading {f} of the built plugin"))?))
        })
        .collect::<Result<Vec<_>>>()?;
    let bytes = tarball(&name, &files)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let dist = paths::repo().join("dist");
    let file_name = tarball_name(&name, VERSION);
    let tarball = dist.join(&file_name);
    fs::write(&tarball, &bytes)?;
    fs::write(dist.join(format!("{file_name}.sha256")), format!("{sha256}  {file_name}\n"))?;
    eprintln!("    {}: {} ({} bytes)", tarball.display(), kb(bytes.len()), bytes.len());
    eprintln!("    sha256: {sha256}");
    if bytes.len() > CONFIGMAP_LIMIT {
        eprintln!(
            "    note: larger than a ConfigMap holds ({CONFIGMAP_LIMIT} bytes): deploy/headlamp/values-initcontainer.yaml \
             needs the url + sha256 keys, not the tarball itself"
        );
    }
    drop(p);

    let _p = Phase::start("artifacthub-pkg.yml");
    let repository = repository()?;
    let metadata = dist.join("artifacthub-pkg.yml");
    let template = paths::repo().join("plugin-manifest/artifacthub-pkg.yml");
    let text = fs::read_to_string(&template).with_context(|| format!("reading {}", template.display()))?;
    let filled = fill_metadata(&text, &repository, &file_name, &sha256, &created_at()?)?;
    fs::write(&metadata, filled)?;
    eprintln!(
        "    {} (archive-url: https://github.com/{repository}/releases/download/v{VERSION}/{file_name})",
        metadata.display()
    );
    drop(_p);
    drop(total);
    // stdout: the checksum alone, for scripts (`sha=$(cargo xtask package)`).
    println!("{sha256}");
    Ok(Package { tarball, sha256, metadata })
}

/// The tarball `headlamp-plugin package` makes of a plugin folder `name` holding `files`: the folder
/// entry, then the files in name order; mode 0755/0644, owner 0:0, mtime [`MTIME`], gzip -9 with a
/// zero gzip mtime. Same files in, same bytes out.
pub fn tarball(name: &str, files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut sorted: Vec<&(&str, Vec<u8>)> = files.iter().collect();
    sorted.sort_by_key(|(file, _)| *file);
    let gz = GzBuilder::new().mtime(0).operating_system(255).write(Vec::new(), Compression::best());
    let mut tar = tar::Builder::new(gz);
    let header = |kind: tar::EntryType, mode: u32, size: u64| {
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_size(size);
        h.set_mtime(MTIME);
        h.set_uid(0);
        h.set_gid(0);
        h
    };
    tar.append_data(&mut header(tar::EntryType::Directory, 0o755, 0), format!("{name}/"), std::io::empty())?;
    for (file, bytes) in sorted {
        tar.append_data(
            &mut header(tar::EntryType::Regular, 0o644, bytes.len() as u64),
            format!("{name}/{file}"),
            bytes.as_slice(),
        )?;
    }
    let mut gz = tar.into_inner()?;
    gz.flush()?;
    Ok(gz.finish()?)
}

/// `headlamp-plugin package`'s file name: the package name without `@`, `/` turned into `-`.
fn tarball_name(name: &str, version: &str) -> String {
    format!("{}-{version}.tar.gz", name.replace('@', "").replace('/', "-"))
}

/// The plugin's name, which must be the same in the three places installers read it from: the built
/// folder (`dist/<name>/`, the tarball's top folder), its package.json, and artifacthub-pkg.yml's
/// `name` (the folder the desktop catalog and pluginctl install into).
fn plugin_name(dir: &Path) -> Result<String> {
    let folder = dir.file_name().and_then(|n| n.to_str()).context("plugin folder name")?.to_string();
    let pkg: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("package.json"))?)?;
    let pkg_name = pkg["name"].as_str().context("package.json has no name")?;
    let template = fs::read_to_string(paths::repo().join("plugin-manifest/artifacthub-pkg.yml"))?;
    let ah_name = template
        .lines()
        .find_map(|l| l.strip_prefix("name:"))
        .map(|n| n.trim().trim_matches('"'))
        .context("plugin-manifest/artifacthub-pkg.yml has no top-level name")?;
    if folder != pkg_name || folder != ah_name {
        bail!("plugin name differs: folder {folder}, package.json {pkg_name}, artifacthub-pkg.yml {ah_name}");
    }
    Ok(folder)
}

/// `owner/name` of the GitHub repository whose releases carry the tarball: `$GITHUB_REPOSITORY` in the
/// release workflow (a fork publishes its own), else the workspace `repository`.
fn repository() -> Result<String> {
    let from_env = std::env::var("GITHUB_REPOSITORY").ok().filter(|r| !r.is_empty());
    let repo = match from_env {
        Some(r) => r,
        None => env!("CARGO_PKG_REPOSITORY")
            .strip_prefix("https://github.com/")
            .context("workspace `repository` must be https://github.com/<owner>/<name>")?
            .trim_end_matches('/')
            .to_string(),
    };
    // Installers accept only https://github.com/<owner>/<repo>/releases/... for our URL shape.
    let parts: Vec<&str> = repo.split('/').collect();
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if parts.len() != 2 || !parts.iter().all(|p| ok(p)) {
        bail!("repository `{repo}` is not <owner>/<name>");
    }
    Ok(repo)
}

/// Fills the artifacthub-pkg.yml template; every placeholder must be there, and none other.
fn fill_metadata(
    template: &str,
    repository: &str,
    tarball: &str,
    sha256: &str,
    created_at: &str,
) -> Result<String> {
    let mut text = template.to_string();
    for (key, value) in [
        ("${VERSION}", VERSION),
        ("${CREATED_AT}", created_at),
        ("${REPOSITORY}", repository),
        ("${TARBALL}", tarball),
        ("${SHA256}", sha256),
    ] {
        if !template.contains(key) {
            bail!("plugin-manifest/artifacthub-pkg.yml lacks {key}");
        }
        text = text.replace(key, value);
    }
    if let Some(i) = text.find("${") {
        let rest: String = text[i..].chars().take(30).collect();
        bail!("plugin-manifest/artifacthub-pkg.yml: unknown placeholder at `{rest}`");
    }
    Ok(text)
}

/// `createdAt` (RFC 3339, UTC): `$SOURCE_DATE_EPOCH` when set (the release workflow sets the commit
/// time), else now.
fn created_at() -> Result<String> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => {
            s.trim().parse::<u64>().with_context(|| format!("SOURCE_DATE_EPOCH `{s}` is not seconds"))?
        }
        Err(_) => SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
    };
    Ok(rfc3339(secs))
}

/// Seconds since the epoch as `YYYY-MM-DDThh:mm:ssZ` (days to civil date: H. Hinnant's algorithm).
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3_600, rem % 3_600 / 60, rem % 60)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// The install tests of plugin-manifest/tests (node --test): Headlamp's installer code on our tarball and
/// metadata, our deploy/headlamp values, and the installed folder in the Headlamp harness.
fn check(package: &Package) -> Result<()> {
    let harness = crate::e2e::prepare()?.harness;
    // The init container's script downloads with wget (alpine's in the pod, Debian's here).
    crate::setup::debian_packages(&[("wget", "wget")])?;
    let tests = paths::repo().join("plugin-manifest/tests");
    let _p =
        Phase::start("install tests: pluginctl + init container + Headlamp harness (node --test, Chromium)");
    let mut node = Command::new("node");
    node.current_dir(&tests)
        .env("PACKAGE_TARBALL", &package.tarball)
        .env("PACKAGE_SHA256", &package.sha256)
        .env("PACKAGE_METADATA", &package.metadata)
        .env("PACKAGE_DIST", paths::plugin_dist())
        .env("CONTRACT_HARNESS", &harness)
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec", "."]);
    match std::env::var_os("HEADLAMP_CHART") {
        Some(chart) => {
            let helm = crate::cluster::binaries::Component::get("helm")?;
            helm.build()?;
            node.env("HEADLAMP_CHART", chart).env("HELM", crate::cluster::binaries::bin("helm", "helm")?);
        }
        None => eprintln!(
            "    HEADLAMP_CHART not set: deploy/headlamp values are checked as YAML against pluginctl's schema, \
             not rendered (Headlamp's chart is on no registry this machine reaches)"
        ),
    }
    cmd::run(&mut node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn files() -> Vec<(&'static str, Vec<u8>)> {
        vec![("package.json", b"{\"name\":\"p\"}\n".to_vec()), ("main.js", b"console.log(1)\n".to_vec())]
    }

    #[test]
    fn same_files_give_the_same_bytes_whatever_their_order() {
        let a = tarball("p", &files()).unwrap();
        let mut reversed = files();
        reversed.reverse();
        assert_eq!(a, tarball("p", &reversed).unwrap());
        let mut changed = files();
        changed[1].1.push(b' ');
        assert_ne!(hex(&Sha256::digest(&a)), hex(&Sha256::digest(tarball("p", &changed).unwrap())));
    }

    #[test]
    fn layout_is_folder_then_sorted_files_with_fixed_metadata() {
        let bytes = tarball("p", &files()).unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let h = entry.header().clone();
            assert_eq!((h.mtime().unwrap(), h.uid().unwrap(), h.gid().unwrap()), (MTIME, 0, 0));
            let mut body = Vec::new();
            entry.read_to_end(&mut body).unwrap();
            seen.push((entry.path().unwrap().display().to_string(), h.mode().unwrap(), body));
        }
        assert_eq!(
            seen,
            vec![
                ("p/".to_string(), 0o755, vec![]),
                ("p/main.js".to_string(), 0o644, b"console.log(1)\n".to_vec()),
                ("p/package.json".to_string(), 0o644, b"{\"name\":\"p\"}\n".to_vec()),
            ]
        );
        // gzip header: no mtime, OS "unknown" (bytes 4..8 and 9).
        assert_eq!(&bytes[4..8], &[0, 0, 0, 0]);
        assert_eq!(bytes[9], 255);
    }

    #[test]
    fn tarball_name_is_headlamp_plugins() {
        assert_eq!(tarball_name("@headlamp-k8s/flux", "0.7.0"), "headlamp-k8s-flux-0.7.0.tar.gz");
        assert_eq!(tarball_name("autoscaling-insights", "0.1.0"), "autoscaling-insights-0.1.0.tar.gz");
    }

    #[test]
    fn metadata_template_fills_every_placeholder() {
        let template = fs::read_to_string(paths::repo().join("plugin-manifest/artifacthub-pkg.yml")).unwrap();
        let out = fill_metadata(&template, "o/r", "t.tar.gz", "ab", "2026-01-02T03:04:05Z").unwrap();
        assert!(!out.contains("${"), "{out}");
        assert!(
            out.contains(&format!("https://github.com/o/r/releases/download/v{VERSION}/t.tar.gz")),
            "{out}"
        );
        assert!(out.contains("SHA256:ab"), "{out}");
        assert!(
            fill_metadata("version: x", "o/r", "t", "s", "c").is_err(),
            "missing placeholders are errors"
        );
        assert!(fill_metadata(&format!("{template}\nx: ${{NOPE}}"), "o/r", "t", "s", "c").is_err());
    }

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(MTIME), "1980-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_785_000_000), "2026-07-25T17:20:00Z");
    }
}
