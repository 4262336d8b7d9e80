//! Certificates for the local cluster, generated at run time with the `openssl` CLI (ECDSA P-256).
//!
//! Also the helper other parts use to sign their own certificates (e.g. the Insights server's serving
//! certificate, signed by a CA of its own): [`Ca::ensure`] then [`Ca::issue`].

use crate::cmd;
use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A certificate authority: PEM certificate and PKCS#8 key on disk.
#[derive(Debug, Clone)]
pub struct Ca {
    /// PEM certificate.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
}

/// A leaf certificate and its key.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// PEM certificate.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
}

/// What a leaf certificate is for (its extended key usage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// TLS server.
    Server,
    /// TLS client.
    Client,
    /// Both (KEDA's operator/adapter mTLS uses one certificate for both ends).
    ServerAndClient,
}

/// A subject alternative name.
#[derive(Debug, Clone)]
pub enum San {
    /// A DNS name.
    Dns(String),
    /// An IP address.
    Ip(String),
}

/// `DNS:name` SAN.
pub fn dns(name: &str) -> San {
    San::Dns(name.to_string())
}
/// `IP:addr` SAN.
pub fn ip(addr: &str) -> San {
    San::Ip(addr.to_string())
}

impl Ca {
    /// Loads the CA `<dir>/<name>.{crt,key}`, creating it (CN = `common_name`) if missing.
    pub fn ensure(dir: &Path, name: &str, common_name: &str) -> Result<Ca> {
        fs::create_dir_all(dir)?;
        let ca = Ca { cert: dir.join(format!("{name}.crt")), key: dir.join(format!("{name}.key")) };
        if ca.cert.exists() && ca.key.exists() {
            return Ok(ca);
        }
        cmd::output(
            Command::new("openssl")
                .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"])
                .args(["-days", "3650", "-subj"])
                .arg(format!("/CN={common_name}"))
                .args(["-addext", "basicConstraints=critical,CA:TRUE"])
                .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"])
                .arg("-keyout")
                .arg(&ca.key)
                .arg("-out")
                .arg(&ca.cert),
        )
        .with_context(|| format!("creating CA {name}"))?;
        restrict(&ca.key)?;
        Ok(ca)
    }

    /// The CA certificate as PEM text (for caBundle fields, base64-encode it).
    pub fn cert_pem(&self) -> Result<String> {
        fs::read_to_string(&self.cert).with_context(|| format!("reading {}", self.cert.display()))
    }

    /// Issues (if missing) the leaf `<dir>/<name>.{crt,key}` with subject `/O=<org>/.../CN=<cn>`
    /// (`orgs` become Kubernetes groups for client certificates), the given SANs and usage.
    pub fn issue(
        &self,
        dir: &Path,
        name: &str,
        cn: &str,
        orgs: &[&str],
        sans: &[San],
        usage: Usage,
    ) -> Result<Leaf> {
        fs::create_dir_all(dir)?;
        let leaf = Leaf { cert: dir.join(format!("{name}.crt")), key: dir.join(format!("{name}.key")) };
        if leaf.cert.exists() && leaf.key.exists() {
            return Ok(leaf);
        }
        let csr = dir.join(format!("{name}.csr"));
        let ext = dir.join(format!("{name}.ext"));
        let subject: String = orgs.iter().map(|o| format!("/O={o}")).chain([format!("/CN={cn}")]).collect();
        cmd::output(
            Command::new("openssl")
                .args(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"])
                .arg("-subj")
                .arg(&subject)
                .arg("-keyout")
                .arg(&leaf.key)
                .arg("-out")
                .arg(&csr),
        )
        .with_context(|| format!("creating key and CSR for {name}"))?;
        let eku = match usage {
            Usage::Server => "serverAuth",
            Usage::Client => "clientAuth",
            Usage::ServerAndClient => "serverAuth,clientAuth",
        };
        let mut ext_text = format!(
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage={eku}\n"
        );
        if !sans.is_empty() {
            let list: Vec<String> = sans
                .iter()
                .map(|s| match s {
                    San::Dns(d) => format!("DNS:{d}"),
                    San::Ip(i) => format!("IP:{i}"),
                })
                .collect();
            ext_text.push_str(&format!("subjectAltName={}\n", list.join(",")));
        }
        fs::write(&ext, ext_text)?;
        cmd::output(
            Command::new("openssl")
                .args(["x509", "-req", "-days", "825", "-set_serial"])
                .arg(random_serial()?)
                .arg("-in")
                .arg(&csr)
                .arg("-CA")
                .arg(&self.cert)
                .arg("-CAkey")
                .arg(&self.key)
                .arg("-extfile")
                .arg(&ext)
                .arg("-out")
                .arg(&leaf.cert),
        )
        .with_context(|| format!("signing {name} with {}", self.cert.display()))?;
        let _ = fs::remove_file(&csr);
        let _ = fs::remove_file(&ext);
        restrict(&leaf.key)?;
        Ok(leaf)
    }
}

/// A key pair for signing service-account tokens: `<dir>/sa.key` (private) and `<dir>/sa.pub`.
pub fn ensure_service_account_keys(dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let key = dir.join("sa.key");
    let public = dir.join("sa.pub");
    if !(key.exists() && public.exists()) {
        cmd::output(
            Command::new("openssl")
                .args(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out"])
                .arg(&key),
        )?;
        cmd::output(
            Command::new("openssl").args(["pkey", "-pubout", "-in"]).arg(&key).arg("-out").arg(&public),
        )?;
        restrict(&key)?;
    }
    Ok((key, public))
}

/// `n` random bytes as lowercase hex (tokens, passwords, serials).
pub fn random_hex(n: usize) -> Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; n];
    fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn random_serial() -> Result<String> {
    // Positive 127-bit serial.
    let hex = random_hex(16)?;
    Ok(format!("0x{}{}", "1", &hex[1..]))
}

fn restrict(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    Ok(())
}

/// Standard base64 (for caBundle and kubeconfig `*-data` fields).
pub fn base64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}
