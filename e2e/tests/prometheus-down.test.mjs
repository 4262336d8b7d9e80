// History charts need Prometheus. With Prometheus stopped, a ScaledObject's history says why it is empty
// instead of drawing an empty chart or failing; Prometheus is started again afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { waitForPlugin } from './lib/headlamp.mjs';
import { list, runArgv } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

async function prometheusReady() {
  try {
    return (await fetch(new URL('/-/ready', context.prometheusUrl))).ok;
  } catch {
    return false;
  }
}

test('with Prometheus stopped, charts say why they are empty', async t => {
  const [so] = (await list('scaledobjects.keda.sh')).filter(o => o.status?.conditions?.length);
  assert.ok(so, 'a ScaledObject KEDA has reconciled');
  const detail = clusterPath(`/autoscaling/scaledobjects/${so.metadata.namespace}/${so.metadata.name}`);

  await withSession({ name: 'prometheus-down' }, async session => {
    await session.goto(detail);
    await waitForPlugin(session);
    const host = session.page.locator('.autoscaling-insights-host');
    await eventually('the detail page', async () => (await host.getByText(so.metadata.name).count()) > 0);
    const history = host.getByText('History', { exact: true });
    await eventually('the History section', async () => (await history.count()) > 0);

    // Requests that reach the stopped Prometheus answer 5xx: provoked here, so not a fault of the page.
    session.expectProblem(/HTTP 5\d\d .*(prometheus|\/proxy\/|history)/i);
    await runArgv(context.prometheus.stop);
    try {
      await eventually('Prometheus to be down', async () => !(await prometheusReady()), { timeoutMs: 30_000 });
      await session.goto(detail);
      const why = await eventually('the chart to say why it is empty', async () => {
        const panel = host.getByTestId('chart-unavailable').or(host.getByTestId('chart-degraded')).first();
        return (await panel.count()) > 0 ? (await panel.innerText()).replace(/\s+/g, ' ') : false;
      });
      assert.match(why, /Prometheus/);
      await session.screenshot('charts-prometheus-down');
    } finally {
      await runArgv(context.prometheus.start);
      await eventually('Prometheus to be ready again', prometheusReady, { timeoutMs: 120_000 });
    }
    assert.deepEqual(session.problems, []);
  });
});
