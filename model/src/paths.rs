//! Kubernetes API paths that the server and the browser request, built in one place so that every
//! part a tenant can choose (names, metric names, selectors) is escaped.

/// Percent-encodes a path segment or query value: RFC 3986 unreserved characters stay, every other
/// byte becomes `%XX` (and so do the dots of `.` and `..`, which would otherwise move up the path).
pub fn encode(value: &str) -> String {
    let dot_segment = value == "." || value == "..";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_~".contains(&b) || (b == b'.' && !dot_segment) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// One trigger's value as the HPA asks KEDA's metrics server for it: metric `metric` of ScaledObject
/// `scaled_object` in `namespace` (`labelSelector=scaledobject.keda.sh/name=<so>`).
///
/// ```
/// assert_eq!(
///     model::paths::external_metric("team-a", "s0-redis-orders", "orders"),
///     "/apis/external.metrics.k8s.io/v1beta1/namespaces/team-a/s0-redis-orders?labelSelector=scaledobject.keda.sh%2Fname%3Dorders"
/// );
/// ```
pub fn external_metric(namespace: &str, metric: &str, scaled_object: &str) -> String {
    format!(
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/{}/{}?labelSelector={}",
        encode(namespace),
        encode(metric),
        encode(&format!("scaledobject.keda.sh/name={scaled_object}"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_chosen_parts_cannot_leave_their_segment() {
        let p = external_metric("team-a", "../../../api/v1/secrets?x=", "so&labelSelector=evil");
        assert_eq!(
            p,
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/team-a/..%2F..%2F..%2Fapi%2Fv1%2Fsecrets%3Fx%3D?labelSelector=scaledobject.keda.sh%2Fname%3Dso%26labelSelector%3Devil"
        );
        assert_eq!(p.matches('?').count(), 1);
        assert_eq!(encode("é /"), "%C3%A9%20%2F");
        assert_eq!(encode(".."), "%2E%2E");
        assert_eq!(encode("a..b"), "a..b");
    }
}
