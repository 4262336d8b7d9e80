// What a test run is about: written by `cargo xtask e2e` (xtask/src/e2e.rs) as JSON, named by $E2E_CONTEXT.
// Fields: headlampUrl, cluster (Headlamp's name of the admin context), tokenCluster (a context without
// credentials: Headlamp asks for a token there), kubeconfig, kubectl, users {name: {token}}, screenshotDir,
// chromium, timeoutMs, pluginName, insightsServer {stop, start} and prometheus {stop, start} (argv arrays).
import fs from 'node:fs';

function load() {
  const file = process.env.E2E_CONTEXT;
  if (!file) {
    throw new Error('E2E_CONTEXT is not set: run the tests with `cargo xtask e2e`, which starts Headlamp and writes it');
  }
  const ctx = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const key of ['headlampUrl', 'cluster', 'kubeconfig', 'kubectl', 'screenshotDir', 'chromium']) {
    if (!ctx[key]) throw new Error(`${file}: missing "${key}"`);
  }
  fs.mkdirSync(ctx.screenshotDir, { recursive: true });
  return { timeoutMs: 30_000, pluginName: 'autoscaling-insights', users: {}, ...ctx };
}

/** The run's context (see the header of this file). */
export const context = load();

/** `/c/<cluster><rest>`: a path inside Headlamp's cluster routes. */
export function clusterPath(rest, cluster = context.cluster) {
  return `/c/${encodeURIComponent(cluster)}${rest}`;
}
