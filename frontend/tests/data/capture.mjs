// Records what the plugin's bridge (frontend/js/bridge.js, evaluated in Headlamp's page, over Headlamp's own
// ApiProxy.clusterRequest) answers for the requests the data layer makes, against the demo cluster, as the admin,
// alice and bob — and with our server stopped. frontend/tests/data.rs replays them (wasm-bindgen-test), so the
// source selection and fallbacks are tested on real answers, not invented ones.
//
// Run (Headlamp and the demo cluster up):
//   cargo xtask e2e --running ../../frontend/tests/data/capture.mjs
// Writes frontend/tests/data/bridge-responses.json. It stops and starts our server once (like server-modes.test.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withSession } from '../../../e2e/tests/lib/browser.mjs';
import { clusterPath, context } from '../../../e2e/tests/lib/context.mjs';
import { loginWithToken, waitForPlugin } from '../../../e2e/tests/lib/headlamp.mjs';
import { kubectl, runArgv } from '../../../e2e/tests/lib/kube.mjs';
import { eventually } from '../../../e2e/tests/lib/poll.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const BRIDGE = fs.readFileSync(path.join(here, '../../js/bridge.js'), 'utf8');
const OUT = path.join(here, 'bridge-responses.json');

const API = '/apis/insights.autoscaling.dev/v1alpha1';
// The lists a direct-mode overview reads (data/parts.rs), and what the server serves.
const DIRECT = [
  '/apis/keda.sh/v1alpha1/scaledobjects',
  '/apis/keda.sh/v1alpha1/scaledjobs',
  '/apis/autoscaling/v2/horizontalpodautoscalers',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/statefulsets',
  '/apis/batch/v1/jobs',
  '/api/v1/pods',
  '/api/v1/nodes',
  '/api/v1/events',
  '/apis/karpenter.sh/v1/nodepools',
  '/apis/karpenter.sh/v1/nodeclaims',
  '/apis/karpenter.k8s.aws/v1/ec2nodeclasses',
  '/apis/eks.amazonaws.com/v1/nodeclasses',
  '/apis/karpenter.azure.com/v1beta1/aksnodeclasses',
  '/apis/karpenter.kwok.sh/v1alpha1/kwoknodeclasses',
];
const SERVER = [API, `${API}/overviews/cluster`, `${API}/scalers`];
// A group version the API server does not serve: the answer discovery gives when our server is not installed.
const NOT_SERVED = '/apis/insights.autoscaling.dev/v1alpha0';

const PATHS = {
  admin: [...SERVER, NOT_SERVED, ...DIRECT, '/api/v1/namespaces'],
  alice: [
    ...SERVER,
    `${API}/namespaces/team-a/scalers`,
    '/apis/keda.sh/v1alpha1/scaledobjects',
    '/api/v1/namespaces',
    ...['team-a', 'team-b'].map(ns => `/apis/keda.sh/v1alpha1/namespaces/${ns}/scaledobjects`),
  ],
  bob: [...SERVER, `${API}/nodepools`, ...DIRECT, '/api/v1/namespaces'],
};

/** Answers of the real bridge for `paths`, in the page of `session`. */
async function record(session, cluster, user, paths) {
  const answers = await session.page.evaluate(
    async ({ bridge, cluster, paths }) => {
      const request = new Function(`${bridge}\nreturn bridgeRequest;`)();
      const out = [];
      for (const p of paths) out.push({ path: p, ...(await request(cluster, 'GET', p, null)) });
      return out;
    },
    { bridge: BRIDGE, cluster, paths }
  );
  return answers.map(a => ({ user, ...a, body: trimmed(a.body) }));
}

const EVENTS_KEPT = 100;

/** The body without `metadata.managedFields` (the one field the plugin never reads; it triples the size), events cut to the newest. */
function trimmed(body) {
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    return body;
  }
  for (const item of [json, ...(Array.isArray(json.items) ? json.items : [])]) {
    if (item && item.metadata) delete item.metadata.managedFields;
  }
  // Events are most of the bytes (megabytes after a demo hour): keep the newest EVENTS_KEPT.
  if (json.kind === 'EventList' && Array.isArray(json.items)) {
    const when = e => e.lastTimestamp || e.eventTime || e.metadata?.creationTimestamp || '';
    json.items = json.items.sort((a, b) => when(a).localeCompare(when(b))).slice(-EVENTS_KEPT);
  }
  return JSON.stringify(json);
}

async function apiServiceAvailable() {
  const svc = JSON.parse(await kubectl(['get', 'apiservice', 'v1alpha1.insights.autoscaling.dev', '-o', 'json']));
  return (svc.status?.conditions ?? []).some(c => c.type === 'Available' && c.status === 'True');
}

test('record the bridge answers of the demo cluster', async () => {
  const responses = [];
  await eventually('our server to be Available', apiServiceAvailable, { timeoutMs: 120_000 });
  await withSession({ name: 'capture-admin' }, async session => {
    await session.goto(clusterPath('/autoscaling'));
    await waitForPlugin(session);
    responses.push(...(await record(session, context.cluster, 'admin', PATHS.admin)));
    // Our server down: what the aggregator answers while the APIService is registered.
    await runArgv(context.insightsServer.stop);
    try {
      await eventually('the APIService to report the server down', async () => !(await apiServiceAvailable()), {
        timeoutMs: 120_000,
      });
      const down = await record(session, context.cluster, 'admin', SERVER);
      responses.push(...down.map(r => ({ ...r, user: 'admin-server-down' })));
    } finally {
      await runArgv(context.insightsServer.start);
      await eventually('our server to be Available again', apiServiceAvailable, { timeoutMs: 120_000 });
    }
  });
  for (const user of ['alice', 'bob']) {
    await withSession({ name: `capture-${user}` }, async session => {
      await loginWithToken(session, context.users[user].token);
      responses.push(...(await record(session, context.tokenCluster, user, PATHS[user])));
    });
  }
  const version = JSON.parse(await kubectl(['version', '-o', 'json'])).serverVersion?.gitVersion;
  fs.writeFileSync(
    OUT,
    JSON.stringify({ capturedAt: new Date().toISOString(), kubernetes: version, responses }, null, 1) + '\n'
  );
  console.log(`wrote ${responses.length} answers to ${OUT}`);
});
