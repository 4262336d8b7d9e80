// The recorded demo cluster (e2e/harness/recorded-cluster.mjs) that `cargo xtask demo` shows at once: a
// read-only API over the captured moments with every timestamp moved to "now", and the plugin's pages
// rendering from it inside Headlamp's frontend code through the backend's cluster proxy.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { shifted } from '../harness/recorded-cluster.mjs';
import { CLUSTER, freePort, openBrowser, repo, shotPath, startHeadlamp } from './headlamp.mjs';
import { eventually } from './poll.mjs';

const SO_PATH = '/apis/keda.sh/v1alpha1/scaledobjects';
const idle = JSON.parse(fs.readFileSync(path.join(repo, 'testdata/demo/idle/capture.json'), 'utf8'));
const idleObjects = JSON.parse(fs.readFileSync(path.join(repo, 'testdata/demo/idle/scaledobjects.json'), 'utf8'));

let recorded;
let headlamp;
let spawnedAt;
let upAt;

before(async () => {
  const port = await freePort();
  spawnedAt = Date.now();
  const child = spawn(process.execPath, [path.join(repo, 'e2e/harness/recorded-cluster.mjs'), '-port', String(port)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually('the recorded cluster to answer', async () => (await fetch(`${url}/version`).catch(() => null))?.ok);
  upAt = Date.now();
  recorded = { url, stop: () => child.exitCode === null && process.kill(child.pid, 'SIGTERM') };
  headlamp = await startHeadlamp({ server: url });
});
after(() => {
  headlamp?.stop();
  recorded?.stop();
});

test('timestamps move by a fixed shift; fractions and other strings stay as they are', () => {
  const hour = 3_600_000;
  assert.deepEqual(
    shifted({ a: '2026-11-30T07:22:23Z', b: ['2026-11-30T07:22:23.123456Z'], c: 'not 2026-11-30T07:22:23Z', n: 5 }, hour),
    { a: '2026-11-30T08:22:23Z', b: ['2026-11-30T08:22:23.123456Z'], c: 'not 2026-11-30T07:22:23Z', n: 5 }
  );
});

test('the first moment is idle, shown as if captured when the server started', async () => {
  const r = await fetch(`${headlamp.url}/clusters/${CLUSTER}${SO_PATH}`);
  assert.equal(r.status, 200);
  const list = await r.json();
  assert.deepEqual(list.items.map(o => o.metadata.uid).sort(), idleObjects.items.map(o => o.metadata.uid).sort());
  const captured = new Date(idle.captured_at).getTime();
  for (const o of list.items) {
    const was = idleObjects.items.find(x => x.metadata.uid === o.metadata.uid).metadata.creationTimestamp;
    const age = captured - new Date(was).getTime();
    const now = new Date(o.metadata.creationTimestamp).getTime();
    // The shift is "server start - capture time": between spawning it and its first answer.
    assert.ok(now >= spawnedAt - age - 1000 && now <= upAt - age + 1000, `${o.metadata.name}: ${o.metadata.creationTimestamp}`);
  }
});

test('nothing can be changed: writes are refused and no action is allowed', async () => {
  const patch = await fetch(`${headlamp.url}/clusters/${CLUSTER}${SO_PATH.replace('scaledobjects', 'namespaces/team-a/scaledobjects/orders')}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: '{"metadata":{"annotations":{"autoscaling.keda.sh/paused":"true"}}}',
  });
  assert.equal(patch.status, 403);
  assert.match((await patch.json()).message, /recorded/);
  const review = await fetch(`${headlamp.url}/clusters/${CLUSTER}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec: { resourceAttributes: { verb: 'patch', group: 'keda.sh', resource: 'scaledobjects' } } }),
  });
  assert.equal(review.status, 201);
  assert.equal((await review.json()).status.allowed, false);
});

test('the plugin shows the recorded scalers in Headlamp (direct mode, through the backend proxy)', async () => {
  const b = await openBrowser({});
  try {
    await b.page.goto(`${headlamp.url}/c/${CLUSTER}/autoscaling/scaledobjects`);
    await b.page.locator('.ai-table tbody tr td a').first().waitFor();
    const text = await b.page.locator('main').innerText();
    for (const name of ['orders', 'payments', 'web']) assert.ok(text.includes(name), `${name} listed`);
    await b.page.screenshot({ path: shotPath('recorded-demo-scaledobjects') });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});
