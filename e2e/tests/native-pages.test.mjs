// The plugin's additions to Headlamp's own pages: a section on the page of a Deployment that KEDA scales, and
// a column in Headlamp's Deployments table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { waitForPlugin } from './lib/headlamp.mjs';
import { list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

const main = await (await fetch(new URL(`/plugins/${context.pluginName}/main.js`, context.headlampUrl))).text();
const registers = call => main.includes(`${call}(`);

/** Headlamp's own pages ask for metrics.k8s.io, which this cluster does not serve, and log that: not ours. */
const HEADLAMP_METRICS_NOISE = /metrics\.k8s\.io/;

/** A ScaledObject whose target is a Deployment, and that Deployment. */
async function scaledDeployment() {
  const so = (await list('scaledobjects.keda.sh')).find(
    o => (o.spec.scaleTargetRef.kind ?? 'Deployment') === 'Deployment'
  );
  assert.ok(so, 'the demo scenario scales a Deployment with KEDA');
  return { so, namespace: so.metadata.namespace, name: so.spec.scaleTargetRef.name };
}

test(
  "a KEDA-scaled Deployment's page in Headlamp shows the plugin's section",
  async () => {
    assert.ok(registers('registerDetailsViewSection'), 'main.js registers a details view section');
    const { so, namespace, name } = await scaledDeployment();
    await withSession({ name: 'native-deployment-section' }, async session => {
      session.expectProblem(HEADLAMP_METRICS_NOISE);
      await session.goto(clusterPath(`/deployments/${namespace}/${name}`));
      await waitForPlugin(session);
      const page = session.page;
      // Headlamp's own details first, then ours inside the same page.
      await eventually("Headlamp's Deployment page", async () => (await page.getByText(name, { exact: true }).count()) > 0);
      const section = page.locator('.autoscaling-insights-host', { hasText: so.metadata.name });
      await eventually(`the section naming ScaledObject ${so.metadata.name}`, async () => (await section.count()) > 0);
      await section.first().scrollIntoViewIfNeeded();
      await session.screenshot('native-deployment-section');
      assert.deepEqual(session.problems, []);
    });
  }
);

test(
  "Headlamp's Deployments table shows the ScaledObject of a KEDA-scaled Deployment",
  async () => {
    assert.ok(registers('registerResourceTableColumnsProcessor'), 'main.js registers a table columns processor');
    const { so, namespace, name } = await scaledDeployment();
    await withSession({ name: 'native-deployments-column' }, async session => {
      session.expectProblem(HEADLAMP_METRICS_NOISE);
      await session.goto(clusterPath(`/deployments?namespace=${namespace}`));
      await waitForPlugin(session);
      const row = session.page.locator('table tbody tr', { hasText: name }).filter({ hasText: namespace });
      const text = await eventually(`the row of Deployment ${namespace}/${name}`, async () =>
        (await row.count()) > 0 ? row.first().innerText() : false
      );
      assert.ok(text.includes(so.metadata.name), `the row names ScaledObject ${so.metadata.name}: ${text}`);
      await session.screenshot('native-deployments-column');
      assert.deepEqual(session.problems, []);
    });
  }
);
