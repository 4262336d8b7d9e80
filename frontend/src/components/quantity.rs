//! Resource quantities as people read them: CPU in cores (`1500m` is `1.5`), memory and storage in
//! binary units (`1.5Gi`, never `0`), counts as integers. Exact values come from `model::Quantity`;
//! this only formats them.

use model::quantity::Quantity;

/// Whether a resource is measured in bytes.
pub fn is_bytes(resource: &str) -> bool {
    matches!(resource, "memory" | "ephemeral-storage" | "storage") || resource.starts_with("hugepages-")
}

/// `2.1`, `0.25`, `4`: up to three decimals, trailing zeros dropped.
pub fn decimal(v: f64) -> String {
    if !v.is_finite() {
        return "?".to_owned();
    }
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// Bytes in the largest binary unit that keeps the number at least 1: `768Mi`, `1.5Gi`.
pub fn bytes(v: f64) -> String {
    const UNITS: [&str; 6] = ["", "Ki", "Mi", "Gi", "Ti", "Pi"];
    if !v.is_finite() {
        return "?".to_owned();
    }
    let mut value = v;
    let mut unit = 0;
    while value.abs() >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let shown = if unit == 0 { format!("{value:.0}") } else { decimal((value * 10.0).round() / 10.0) };
    format!("{shown}{}", UNITS[unit])
}

/// One quantity of `resource`, in the unit people use for it.
pub fn amount(resource: &str, q: &Quantity) -> String {
    if is_bytes(resource) { bytes(q.as_f64()) } else { decimal(q.as_f64()) }
}

/// The unit shown after an amount: `cores` for CPU, nothing for bytes (the unit is in the
/// number) or counts.
pub fn unit(resource: &str) -> &'static str {
    match resource {
        "cpu" => " cores",
        _ => "",
    }
}

/// `2.1 / 4 cores`, `768Mi / 1Gi`, `3` (no bound).
pub fn used_of(resource: &str, used: &Quantity, bound: Option<&Quantity>) -> String {
    match bound {
        Some(b) => format!("{} / {}{}", amount(resource, used), amount(resource, b), unit(resource)),
        None => format!("{}{}", amount(resource, used), unit(resource)),
    }
}

/// `$0.123/h`; prices below a cent keep three decimals so spot prices are not all `$0.00`.
pub fn money_per_hour(v: f64) -> String {
    if !v.is_finite() {
        return "?".to_owned();
    }
    format!("${v:.3}/h")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).expect("valid quantity")
    }

    #[test]
    fn cpu_is_shown_in_cores_not_millicores() {
        assert_eq!(amount("cpu", &q("1500m")), "1.5");
        assert_eq!(amount("cpu", &q("2100m")), "2.1");
        assert_eq!(amount("cpu", &q("4")), "4");
        assert_eq!(amount("cpu", &q("250m")), "0.25");
        assert_eq!(used_of("cpu", &q("2100m"), Some(&q("4"))), "2.1 / 4 cores");
    }

    #[test]
    fn memory_keeps_fractions_and_binary_units() {
        assert_eq!(amount("memory", &q("1.5Gi")), "1.5Gi");
        assert_eq!(amount("memory", &q("768Mi")), "768Mi");
        assert_eq!(amount("memory", &q("1536Mi")), "1.5Gi");
        assert_eq!(amount("memory", &q("0")), "0");
        assert_eq!(amount("ephemeral-storage", &q("20G")), "18.6Gi");
        assert_eq!(used_of("memory", &q("640Mi"), None), "640Mi");
    }

    #[test]
    fn counts_and_money() {
        assert_eq!(amount("pods", &q("110")), "110");
        assert_eq!(amount("nvidia.com/gpu", &q("2")), "2");
        assert_eq!(money_per_hour(0.0416), "$0.042/h");
        assert_eq!(money_per_hour(f64::NAN), "?");
        assert_eq!(decimal(-0.0), "0");
    }
}
