// Server mode and direct mode: with our server registered (APIService v1alpha1.insights.autoscaling.dev) the
// plugin reads its views from it and says so; with the server stopped it switches to direct mode, says why,
// and still shows the same ScaledObjects (joined in the browser). The server is started again afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { tableRows, waitForPlugin } from './lib/headlamp.mjs';
import { kubectl, list, runArgv } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

const APISERVICE = 'v1alpha1.insights.autoscaling.dev';
const MODE = /^(Live from Autoscaling Insights server|Direct mode: .*)$/;

async function apiServiceAvailable() {
  try {
    const svc = JSON.parse(await kubectl(['get', 'apiservice', APISERVICE, '-o', 'json']));
    return (svc.status?.conditions ?? []).some(c => c.type === 'Available' && c.status === 'True');
  } catch {
    return false;
  }
}

async function modeText(session) {
  const host = session.page.locator('.autoscaling-insights-host');
  const el = host.getByText(MODE).first();
  return (await el.count()) > 0 ? (await el.innerText()).trim() : null;
}

async function listed(session) {
  const host = session.page.locator('.autoscaling-insights-host');
  return (await tableRows(session, host)).filter(c => c.length > 1).map(c => `${c[1]}/${c[0]}`).sort();
}

test('the plugin says which source it reads and falls back to direct mode when the server stops', async t => {
  const expected = (await list('scaledobjects.keda.sh')).map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort();
  await eventually('the server APIService to be Available', apiServiceAvailable, { timeoutMs: 60_000 });

  await withSession({ name: 'server-modes' }, async session => {
    await session.goto(clusterPath('/autoscaling/scaledobjects'));
    await waitForPlugin(session);
    await eventually('the ScaledObjects table', async () => (await listed(session)).length === expected.length);
    const first = await eventually('the source indicator', () => modeText(session), { timeoutMs: 10_000 });
    assert.equal(first, 'Live from Autoscaling Insights server');
    await session.screenshot('mode-server');

    // The aggregated API answers 503 while its server is down: provoked here, so not a fault of the page.
    session.expectProblem(/HTTP 503 .*insights\.autoscaling\.dev/);
    await runArgv(context.insightsServer.stop);
    try {
      await eventually('the APIService to report the server down', async () => !(await apiServiceAvailable()), {
        timeoutMs: 60_000,
      });
      await session.goto(clusterPath('/autoscaling/scaledobjects'));
      const mode = await eventually('direct mode', async () => {
        const m = await modeText(session);
        return m?.startsWith('Direct mode') ? m : false;
      });
      assert.match(mode, /server unreachable|not installed/);
      assert.deepEqual(
        await eventually('the same rows in direct mode', async () => {
          const rows = await listed(session);
          return rows.length === expected.length ? rows : false;
        }),
        expected
      );
      await session.screenshot('mode-direct-server-stopped');
    } finally {
      await runArgv(context.insightsServer.start);
      await eventually('the server APIService to be Available again', apiServiceAvailable, { timeoutMs: 120_000 });
    }
    assert.deepEqual(session.problems, []);
  });
});
