// bridge.js — the only way the Rust UI talks to a cluster.
//
// request(cluster, method, path, body, contentType) -> Promise<{status, body}>, never rejected:
//   * 2xx: {status, body: response text};
//   * HTTP errors keep their status (403 stays 403, 404 stays 404) with Headlamp's message as body;
//   * no HTTP answer (network down, Headlamp backend unreachable): status 0.
// It goes through ApiProxy.clusterRequest, never raw fetch: the desktop app's backend requires
// Headlamp's token header, and stateless clusters need their kubeconfig headers.

function bridgeRequest(cluster, method, path, body, contentType) {
  const params = {
    cluster: cluster || pluginLib.Utils.getCluster() || '',
    method: method || 'GET',
    isJSON: false,
    // Our requests must never log the user out of Headlamp: a 401 is shown as an error instead.
    autoLogoutOnAuthError: false,
  };
  if (body !== null && body !== undefined) {
    params.body = body;
    // PATCH bodies name their patch type (application/merge-patch+json); the rest are JSON.
    params.headers = { 'Content-Type': contentType || 'application/json' };
  }
  return pluginLib.ApiProxy.clusterRequest(path, params).then(
    async response => ({ status: response.status, body: await response.text() }),
    error => {
      const message = String((error && error.message) || error);
      // clusterRequest turns a failed fetch into a synthetic "502 Unreachable"; that is no answer.
      const noAnswer = !error || typeof error.status !== 'number' || message === 'Unreachable';
      // clusterRequest prefixes the server's message with the status text ("Forbidden - ...").
      return { status: noAnswer ? 0 : error.status, body: noAnswer ? message : message.replace(/^[A-Za-z -]+? - /, '') };
    }
  );
}
