//! KEDA TriggerAuthentications and ClusterTriggerAuthentications: where a scaler's credentials
//! come from. Secrets and ConfigMaps are named (and linked), never read.

pub mod detail;
pub mod list;

pub use crate::data::keda::Authentication as AuthRow;

impl AuthRow {
    /// Cluster-scoped.
    pub fn cluster(&self) -> bool {
        self.kind == "ClusterTriggerAuthentication"
    }

    /// The external secret stores it reads from, in words (`Vault https://...`, `Azure Key Vault ...`).
    pub fn stores(&self) -> Vec<String> {
        let s = &self.spec;
        let mut out = Vec::new();
        if let Some(v) = &s.hashi_corp_vault {
            out.push(format!("Vault {}", v.address));
        }
        if let Some(a) = &s.azure_key_vault {
            out.push(format!("Azure Key Vault {}", a.vault_uri.as_deref().unwrap_or("")).trim().to_owned());
        }
        if s.gcp_secret_manager.is_some() {
            out.push("GCP Secret Manager".to_owned());
        }
        if let Some(a) = &s.aws_secret_manager {
            out.push(format!("AWS Secrets Manager {}", a.region.as_deref().unwrap_or("")).trim().to_owned());
        }
        if let Some(f) = &s.file_path {
            out.push(format!("file {f}"));
        }
        out
    }

    /// Names of the Secrets it references, without repeats.
    pub fn secrets(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.spec.secret_target_ref.iter().map(|r| r.name.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Names of the ConfigMaps it references, without repeats.
    pub fn config_maps(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.spec.config_map_target_ref.iter().map(|r| r.name.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}
