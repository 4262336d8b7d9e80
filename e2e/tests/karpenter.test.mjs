// Karpenter and node pages on the live demo cluster: what they show equals what the API server has (NodePools
// with exact CPU, NodeClaims, nodes, pending pods), the joins name the demo's blocked scale-out, and bob — who
// may not read Karpenter's kinds — gets "No permission", never "not installed".
// pages: autoscaling-nodepools, autoscaling-nodepool, autoscaling-nodeclaims, autoscaling-nodeclaim,
// pages: autoscaling-nodeclasses, autoscaling-nodeclass, autoscaling-nodes, autoscaling-pending,
// pages: autoscaling-chains, autoscaling-chain, autoscaling-coldstarts, autoscaling-coldstart
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { loginWithToken, tableRows, waitForPlugin } from './lib/headlamp.mjs';
import { list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

/** `2100m` → 2.1, `4` → 4. */
function cores(q) {
  return String(q).endsWith('m') ? Number(String(q).slice(0, -1)) / 1000 : Number(q);
}

/** Names in the first column of the plugin's first table. */
async function firstColumn(session) {
  const host = session.page.locator('.autoscaling-insights-host');
  return (await tableRows(session, host)).filter(c => c.length > 1).map(c => c[0]);
}

/** Waits until the list shows exactly what the API server has now (objects come and go while scaling). */
async function showsWhatKubectlHas(session, resource, what) {
  return eventually(`the ${what} page to list what kubectl lists`, async () => {
    const expected = (await list(resource)).map(o => o.metadata.name).sort();
    const shown = (await firstColumn(session)).sort();
    return JSON.stringify(shown) === JSON.stringify(expected) ? shown : false;
  }, { timeoutMs: 60_000 });
}

test('NodePools: every pool, CPU in cores against its limit, and a pool page with all its conditions', async () => {
  await withSession({ name: 'karpenter-nodepools' }, async session => {
    await session.goto(clusterPath('/autoscaling/nodepools'));
    await waitForPlugin(session);
    await showsWhatKubectlHas(session, 'nodepools.karpenter.sh', 'NodePools');
    const capped = (await list('nodepools.karpenter.sh')).find(p => p.metadata.name === 'capped');
    assert.ok(capped, 'the demo has NodePool capped');
    await eventually('capped CPU as provisioned / limit in cores', async () => {
      const fresh = (await list('nodepools.karpenter.sh')).find(p => p.metadata.name === 'capped');
      const row = await session.page.locator('table tbody tr', { hasText: 'capped' }).first().innerText();
      return row.includes(`${cores(fresh.status.resources.cpu)} / ${cores(fresh.spec.limits.cpu)} cores`);
    });
    await session.page.getByRole('link', { name: 'capped', exact: true }).first().click();
    await eventually('the NodePool page', async () => session.page.getByText('NodePool: capped').first().isVisible());
    // Sections load on their own: wait until every condition the API server has is on the page.
    const types = capped.status.conditions.map(c => c.type);
    await eventually(`conditions ${types.join(', ')}`, async () => {
      const text = await session.page.locator('.autoscaling-insights-host').innerText();
      return types.every(t => text.includes(t));
    });
    assert.deepEqual(session.problems, []);
  });
});

test('NodeClaims and nodes: the lists equal the API server, every node with its NodePool', async () => {
  await withSession({ name: 'karpenter-nodes' }, async session => {
    await session.goto(clusterPath('/autoscaling/nodeclaims'));
    await waitForPlugin(session);
    await showsWhatKubectlHas(session, 'nodeclaims.karpenter.sh', 'NodeClaims');
    await session.goto(clusterPath('/autoscaling/nodes'));
    await waitForPlugin(session);
    await showsWhatKubectlHas(session, 'nodes', 'Nodes');
    const nodes = await list('nodes');
    const rows = await tableRows(session, session.page.locator('.autoscaling-insights-host'));
    for (const n of nodes) {
      const pool = n.metadata.labels['karpenter.sh/nodepool'];
      const row = rows.find(c => c[0] === n.metadata.name);
      if (row && pool) assert.ok(row.join(' ').includes(pool), `${n.metadata.name} in NodePool ${pool}`);
    }
    assert.deepEqual(session.problems, []);
  });
});

test("Pending: the demo's blocked scale-out (web on NodePool capped) is named with its reason", async () => {
  await withSession({ name: 'karpenter-pending' }, async session => {
    await session.goto(clusterPath('/autoscaling/pending'));
    await waitForPlugin(session);
    const row = session.page.locator('.ai-table[aria-label="Scale-outs"] tbody tr', { hasText: 'web' });
    // web follows its own load: wait for a moment where it wants more than fits.
    await eventually('web blocked by the NodePool limit', async () =>
      (await row.count()) > 0 && /NodePool limit reached/.test(await row.first().innerText())
    , { timeoutMs: 120_000 });
    assert.deepEqual(session.problems, []);
  });
});

const bob = context.users.bob;
test('bob (no rights on karpenter.sh) gets "No permission" on Karpenter pages, not "not installed"', { skip: !bob && 'the run has no user bob' }, async () => {
  await withSession({ name: 'karpenter-bob' }, async session => {
    await loginWithToken(session, bob.token);
    await session.goto(clusterPath('/autoscaling/nodepools', context.tokenCluster));
    await waitForPlugin(session);
    const panel = session.page.locator('.autoscaling-insights-host .ai-panel-error');
    await eventually('an explanation', async () => (await panel.count()) > 0);
    assert.equal(await panel.first().getAttribute('data-error'), 'forbidden');
    assert.equal(await session.page.locator('[data-error="not-installed"]').count(), 0);
    await session.screenshot('karpenter-bob-nodepools');
    // Nodes bob may read: listed, with a note that NodeClaims could not be.
    await session.goto(clusterPath('/autoscaling/nodes', context.tokenCluster));
    await eventually('nodes listed for bob', async () => (await firstColumn(session)).length > 0);
    assert.deepEqual(session.problems, []);
  });
});
